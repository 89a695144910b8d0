use super::*;

fn cfg(text: &str) -> RegistriesConfig {
    RegistriesConfig::from_toml_str(text).unwrap_or_else(|e| panic!("{e}"))
}

fn r(s: &str) -> Reference {
    Reference::parse(s).unwrap()
}

/// (host, repository, insecure, mirror) of each endpoint.
fn eps(c: &RegistriesConfig, reference: &str) -> Vec<(String, String, bool, bool)> {
    c.endpoints(&r(reference))
        .unwrap()
        .into_iter()
        .map(|e| (e.host, e.repository, e.insecure, e.mirror))
        .collect()
}

fn ep(host: &str, repo: &str, insecure: bool, mirror: bool) -> (String, String, bool, bool) {
    (host.into(), repo.into(), insecure, mirror)
}

const DIGEST: &str = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

#[test]
fn no_config_means_the_reference_itself() {
    let c = cfg("");
    assert!(c.search_registries().is_empty());
    assert_eq!(
        eps(&c, "busybox"),
        vec![ep("docker.io", "library/busybox", false, false)]
    );
    assert!(!c.is_insecure("docker.io"));
}

#[test]
fn search_registries_v2_and_v1() {
    let c =
        cfg(r#"unqualified-search-registries = ["quay.io", "index.docker.io", "localhost:5000"]"#);
    assert_eq!(
        c.search_registries(),
        ["quay.io", "docker.io", "localhost:5000"]
    );
    let c = cfg("[registries.search]\nregistries = ['docker.io', 'quay.io']\n");
    assert_eq!(c.search_registries(), ["docker.io", "quay.io"]);
    for bad in [
        r#"unqualified-search-registries = ["quay.io/ns"]"#,
        r#"unqualified-search-registries = ["https://quay.io"]"#,
        "[registries.search]\nregistries = ['-bad']\n",
    ] {
        assert!(RegistriesConfig::from_toml_str(bad).is_err(), "{bad}");
    }
}

#[test]
fn v1_insecure_and_block() {
    let c = cfg(
        "[registries.insecure]\nregistries = ['localhost:5000', 'both.example.com']\n\
         [registries.block]\nregistries = ['evil.example.com', 'both.example.com']\n",
    );
    assert!(c.is_insecure("localhost:5000"));
    assert!(c.is_insecure("http://localhost:5000/"));
    assert!(!c.is_insecure("localhost:5001"));
    assert_eq!(
        eps(&c, "localhost:5000/a"),
        vec![ep("localhost:5000", "a", true, false)]
    );
    let e = c.endpoints(&r("evil.example.com/x")).unwrap_err();
    assert!(matches!(e, RegistriesError::Blocked { .. }), "{e}");
    assert!(e.to_string().contains("evil.example.com/x"), "{e}");
    assert!(c.endpoints(&r("both.example.com/x")).is_err());
    assert!(c.is_insecure("both.example.com"));
}

#[test]
fn mixing_v1_and_v2_is_an_error() {
    let e = RegistriesConfig::from_toml_str(
        "unqualified-search-registries = ['a.io']\n[registries.search]\nregistries = ['b.io']\n",
    )
    .unwrap_err();
    assert!(e.to_string().contains("v1"), "{e}");
}

#[test]
fn prefix_rewrite_with_namespace() {
    let c = cfg(r#"
[[registry]]
prefix = "registry.k8s.io"
location = "localhost:5000/k8s"
"#);
    assert_eq!(
        eps(&c, "registry.k8s.io/pause:3.9"),
        vec![ep("localhost:5000", "k8s/pause", false, false)]
    );
    assert_eq!(
        eps(&c, "registry.k8s.io/sig/app"),
        vec![ep("localhost:5000", "k8s/sig/app", false, false)]
    );
    // Only on path-component boundaries.
    assert_eq!(
        eps(&c, "registry.k8s.io.evil.com/pause"),
        vec![ep("registry.k8s.io.evil.com", "pause", false, false)]
    );
}

#[test]
fn longest_prefix_wins() {
    let c = cfg(r#"
[[registry]]
prefix = "example.com"
location = "a.example.net"
[[registry]]
prefix = "example.com/team/special"
location = "b.example.net/s"
[[registry]]
prefix = "example.com/team"
location = "c.example.net/t"
"#);
    assert_eq!(eps(&c, "example.com/x")[0].0, "a.example.net");
    assert_eq!(
        eps(&c, "example.com/team/x")[0],
        ep("c.example.net", "t/x", false, false)
    );
    assert_eq!(
        eps(&c, "example.com/team/special")[0],
        ep("b.example.net", "s", false, false)
    );
    assert_eq!(
        eps(&c, "example.com/team/special/y")[0],
        ep("b.example.net", "s/y", false, false)
    );
    assert_eq!(
        eps(&c, "example.com/teams")[0],
        ep("a.example.net", "teams", false, false)
    );
}

#[test]
fn wildcard_prefixes() {
    let c = cfg(r#"
[[registry]]
prefix = "*.example.com"
insecure = true
[[registry]]
prefix = "*.mirrored.com"
location = "cache.local:5000"
[[registry]]
prefix = "b.example.com"
location = "b.example.com"
"#);
    assert_eq!(
        eps(&c, "a.example.com/x"),
        vec![ep("a.example.com", "x", true, false)]
    );
    assert_eq!(
        eps(&c, "b.a.example.com:444/x/y"),
        vec![ep("b.a.example.com:444", "x/y", true, false)]
    );
    assert!(c.is_insecure("a.example.com"));
    assert!(!c.is_insecure("example.com"));
    assert_eq!(
        eps(&c, "example.com/x"),
        vec![ep("example.com", "x", false, false)]
    );
    assert_eq!(
        eps(&c, "badexample.com/x"),
        vec![ep("badexample.com", "x", false, false)]
    );
    // An exact prefix beats the wildcard of the same length.
    assert_eq!(
        eps(&c, "b.example.com/x"),
        vec![ep("b.example.com", "x", false, false)]
    );
    assert_eq!(
        eps(&c, "q.mirrored.com/a/b"),
        vec![ep("cache.local:5000", "a/b", false, false)]
    );
    for bad in [
        "[[registry]]\nprefix = '*.example.com/ns'\n",
        "[[registry]]\nprefix = 'a.*.com'\nlocation = 'x.io'\n",
        "[[registry]]\nprefix = 'x.io/ns'\n",
    ] {
        assert!(RegistriesConfig::from_toml_str(bad).is_err(), "{bad}");
    }
}

#[test]
fn mirrors_in_order_then_primary() {
    let c = cfg(r#"
[[registry]]
location = "docker.io"
[[registry.mirror]]
location = "mirror.gcr.io"
[[registry.mirror]]
location = "localhost:5001/hub"
insecure = true
[[registry.mirror]]
location = "digests.example.com"
pull-from-mirror = "digest-only"
[[registry.mirror]]
location = "tags.example.com"
pull-from-mirror = "tag-only"
"#);
    assert_eq!(
        eps(&c, "busybox"),
        vec![
            ep("mirror.gcr.io", "library/busybox", false, true),
            ep("localhost:5001", "hub/library/busybox", true, true),
            ep("tags.example.com", "library/busybox", false, true),
            ep("docker.io", "library/busybox", false, false),
        ]
    );
    let by_digest: Vec<String> = eps(&c, &format!("busybox@{DIGEST}"))
        .into_iter()
        .map(|e| e.0)
        .collect();
    assert_eq!(
        by_digest,
        [
            "mirror.gcr.io",
            "localhost:5001",
            "digests.example.com",
            "docker.io"
        ]
    );
    assert!(c.is_insecure("localhost:5001"));
    assert!(!c.is_insecure("mirror.gcr.io"));
}

#[test]
fn mirror_by_digest_only() {
    let c = cfg(r#"
[[registry]]
prefix = "quay.io"
location = "quay.io"
mirror-by-digest-only = true
[[registry.mirror]]
location = "m.example.com"
"#);
    assert_eq!(eps(&c, "quay.io/a/b:1").len(), 1);
    let with_tag_and_digest = format!("quay.io/a/b:1@{DIGEST}");
    assert_eq!(
        eps(&c, &with_tag_and_digest)[0],
        ep("m.example.com", "a/b", false, true)
    );
    let bad = "[[registry]]\nlocation = 'q.io'\nmirror-by-digest-only = true\n\
               [[registry.mirror]]\nlocation = 'm.io'\npull-from-mirror = 'tag-only'\n";
    assert!(RegistriesConfig::from_toml_str(bad).is_err());
    let bad = "[[registry]]\nlocation = 'q.io'\n[[registry.mirror]]\nlocation = 'm.io'\npull-from-mirror = 'some'\n";
    assert!(RegistriesConfig::from_toml_str(bad).is_err());
}

#[test]
fn blocked_and_push() {
    let c = cfg(r#"
[[registry]]
prefix = "example.com/forbidden"
location = "example.com/forbidden"
blocked = true
[[registry]]
prefix = "push.example.com"
location = "elsewhere.example.com"
insecure = true
"#);
    assert!(c.endpoints(&r("example.com/forbidden/x")).is_err());
    assert!(c.endpoints(&r("example.com/allowed")).is_ok());
    // Pushes go to the name as written, with the entry's insecure flag.
    let p = c.push_endpoint(&r("push.example.com/a"));
    assert_eq!(
        (p.host.as_str(), p.repository.as_str(), p.insecure),
        ("push.example.com", "a", true)
    );
    assert!(!c.push_endpoint(&r("quay.io/a")).insecure);
}

#[test]
fn locations_are_validated() {
    for bad in [
        "[[registry]]\nlocation = 'https://quay.io'\n",
        "[[registry]]\nprefix = 'a.io'\n",
        "[[registry]]\n",
        "[[registry]]\nlocation = 'bad host'\n",
        "[[registry]]\nlocation = 'a.io'\n[[registry.mirror]]\ninsecure = true\n",
        "[[registry]]\nlocation = 'a.io'\n[[registry]]\nprefix = 'a.io'\nlocation = 'b.io'\n",
        "short-name-mode = 'sometimes'\n",
        "[aliases]\n'docker.io/x' = 'docker.io/library/x'\n",
        "[aliases]\nx = 'x'\n",
        "unqualified-search-registries = 'docker.io'\n",
    ] {
        assert!(RegistriesConfig::from_toml_str(bad).is_err(), "{bad}");
    }
    // Trailing slashes are trimmed.
    let c = cfg("[[registry]]\nprefix = 'a.io/'\nlocation = 'b.io/ns/'\n");
    assert_eq!(eps(&c, "a.io/x"), vec![ep("b.io", "ns/x", false, false)]);
    // A rewrite that yields an invalid name is an error, not a wrong pull.
    let c = cfg("[[registry]]\nprefix = 'a.io/x'\nlocation = 'b.io'\n");
    assert!(matches!(
        c.endpoints(&r("a.io/x")),
        Err(RegistriesError::Rewrite { .. })
    ));
}

#[test]
fn aliases_and_short_name_mode() {
    let c = cfg(
        "short-name-mode = 'permissive'\n[aliases]\nfedora = 'registry.fedoraproject.org/fedora'\n\
                 'my/app' = 'quay.io/me/app'\n",
    );
    assert_eq!(c.alias("fedora"), Some("registry.fedoraproject.org/fedora"));
    assert_eq!(c.alias("my/app"), Some("quay.io/me/app"));
    assert_eq!(c.alias("ubuntu"), None);
    assert_eq!(c.short_name_mode(), Some(ShortNameMode::Permissive));
}

#[test]
fn unknown_keys_are_ignored_in_containers_files() {
    let c = cfg(
        "credential-helpers = ['containers-auth.json']\nfuture-key = 1\n\
                 [[registry]]\nlocation = 'a.io'\nnew-field = true\n",
    );
    assert_eq!(c.registries().len(), 1);
}

#[test]
fn loopback_hosts() {
    for yes in [
        "localhost",
        "LOCALHOST:5000",
        "127.0.0.1",
        "127.1.2.3:80",
        "[::1]",
        "[::1]:5000",
        "::1",
        "[::ffff:127.0.0.1]:1",
    ] {
        assert!(is_loopback_host(yes), "{yes}");
    }
    for no in [
        "10.0.0.1:5000",
        "localhost.example.com",
        "[::2]:5000",
        "128.0.0.1",
        "docker.io",
        "",
    ] {
        assert!(!is_loopback_host(no), "{no}");
    }
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

#[test]
fn merge_order_of_files() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        &d.join("etc/registries.conf"),
        "unqualified-search-registries = ['sys.io']\n\
         [[registry]]\nlocation = 'a.io'\ninsecure = true\n\
         [[registry]]\nlocation = 'keep.io'\ninsecure = true\n\
         [aliases]\ngone = 'sys.io/gone'\nkept = 'sys.io/kept'\n",
    );
    // Applied in name order: 10 before 20; non-.conf files are ignored.
    write(
        &d.join("etc/d/20-second.conf"),
        "unqualified-search-registries = ['second.io']\n[aliases]\ngone = ''\n",
    );
    write(
        &d.join("etc/d/10-first.conf"),
        "unqualified-search-registries = ['first.io']\n",
    );
    write(&d.join("etc/d/30-ignored.conf.bak"), "this is not toml");
    write(
        &d.join("user/d/05-user.conf"),
        "[[registry]]\nlocation = 'a.io'\n",
    );
    let src = Sources {
        main: Some(d.join("etc/registries.conf")),
        main_required: false,
        dropin_dirs: vec![d.join("etc/d"), d.join("user/d"), d.join("missing")],
        skiff_toml: Some(d.join("skiff.toml")),
    };
    let c = RegistriesConfig::load_from(&src).unwrap();
    assert_eq!(c.search_registries(), ["second.io"]);
    // The user drop-in replaced the a.io entry (no longer insecure).
    assert!(!c.is_insecure("a.io"));
    assert!(c.is_insecure("keep.io"));
    assert_eq!(c.alias("gone"), None);
    assert_eq!(c.alias("kept"), Some("sys.io/kept"));

    // skiff.toml comes last.
    write(
        &d.join("skiff.toml"),
        "[engine]\nparallel-downloads = 3\n[registries]\nunqualified-search-registries = ['docker.io']\n\
         [[registries.registry]]\nprefix = 'registry.k8s.io'\nlocation = '127.0.0.1:5000/k8s'\ninsecure = true\n",
    );
    let c = RegistriesConfig::load_from(&src).unwrap();
    assert_eq!(c.search_registries(), ["docker.io"]);
    assert_eq!(
        eps(&c, "registry.k8s.io/pause:3.9"),
        vec![ep("127.0.0.1:5000", "k8s/pause", true, false)]
    );
    assert!(c.is_insecure("keep.io"));

    // A bad drop-in is an error naming it.
    write(
        &d.join("etc/d/40-bad.conf"),
        "[[registry]]\nlocation = 'https://x.io'\n",
    );
    let e = RegistriesConfig::load_from(&src).unwrap_err();
    assert!(e.to_string().contains("40-bad.conf"), "{e}");
}

#[test]
fn main_file_replacement_and_requirement() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let missing = Sources {
        main: Some(d.join("nope.conf")),
        ..Sources::default()
    };
    assert!(
        RegistriesConfig::load_from(&missing)
            .unwrap()
            .search_registries()
            .is_empty()
    );
    let required = Sources {
        main_required: true,
        ..missing
    };
    assert!(matches!(
        RegistriesConfig::load_from(&required),
        Err(RegistriesError::Read { .. })
    ));
}

#[test]
fn skiff_toml_is_strict() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("skiff.toml");
    let src = Sources {
        skiff_toml: Some(p.clone()),
        ..Sources::default()
    };
    for (text, key) in [
        (
            "[registries]\nunqualified-search = ['a.io']\n",
            "registries.unqualified-search",
        ),
        (
            "[[registries.registry]]\nlocation = 'a.io'\ninsecur = true\n",
            "registries.registry[0].insecur",
        ),
        (
            "[[registries.registry]]\nlocation = 'a.io'\n[[registries.registry.mirror]]\nlocaton = 'b.io'\n",
            "registries.registry[0].mirror[0].locaton",
        ),
    ] {
        write(&p, text);
        let e = RegistriesConfig::load_from(&src).unwrap_err().to_string();
        assert!(e.contains(key) && e.contains("skiff.toml"), "{e}");
    }
    write(&p, "[registries]\nunqualified-search-registries = 5\n");
    let e = RegistriesConfig::load_from(&src).unwrap_err().to_string();
    assert!(e.contains("line 2"), "{e}");
    // No [registries] table: nothing to add.
    write(&p, "[engine]\nlog-driver = 'k8s-file'\n");
    assert!(
        RegistriesConfig::load_from(&src)
            .unwrap()
            .registries()
            .is_empty()
    );
}
