use super::*;
use std::os::unix::fs::PermissionsExt;

fn b64(s: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(s)
}

fn file(path: PathBuf) -> AuthFile {
    AuthFile {
        path,
        legacy: false,
    }
}

/// A store writing to dir/run/containers/auth.json and reading that,
/// dir/config/containers/auth.json, then dir/docker/config.json.
fn store_in(dir: &Path) -> AuthStore {
    let write = dir.join("run/containers/auth.json");
    let read = vec![
        file(write.clone()),
        file(dir.join("config/containers/auth.json")),
        file(dir.join("docker/config.json")),
    ];
    AuthStore::with_files(write, read)
}

fn put(path: &Path, json: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, json).unwrap();
}

const HELPER: &str = r#"#!/bin/sh
[ "$1" = get ] || exit 2
server=$(cat)
case "$server" in
  helper.example.com) echo '{"ServerURL":"helper.example.com","Username":"hu","Secret":"hs"}' ;;
  token.example.com) echo '{"ServerURL":"token.example.com","Username":"<token>","Secret":"tok"}' ;;
  https://index.docker.io/v1/) echo '{"Username":"hubuser","Secret":"hubpass"}' ;;
  broken.example.com) echo "backend unavailable" >&2; exit 3 ;;
  *) echo "credentials not found in native keychain"; exit 1 ;;
esac
"#;

fn with_fake_helper(dir: &Path, s: AuthStore) -> AuthStore {
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let p = bin.join("docker-credential-fake");
    std::fs::write(&p, HELPER).unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
    s.with_helper_dir(bin)
}

#[test]
fn normalizes_keys() {
    let cases = [
        ("https://index.docker.io/v1/", "docker.io"),
        ("index.docker.io", "docker.io"),
        ("registry-1.docker.io", "docker.io"),
        ("docker.io", "docker.io"),
        ("http://localhost:5000", "localhost:5000"),
        ("https://quay.io/v2/", "quay.io"),
        ("quay.io/", "quay.io"),
        ("quay.io/org/repo", "quay.io/org/repo"),
        ("[::1]:5000", "[::1]:5000"),
    ];
    for (input, want) in cases {
        assert_eq!(normalize_registry_key(input), want, "{input}");
    }
    assert_eq!(normalize_key("quay.io/v1/", true), "quay.io");
}

#[test]
fn store_then_lookup_with_private_permissions() {
    let dir = tempfile::tempdir().unwrap();
    let s = store_in(dir.path());
    assert_eq!(s.lookup("localhost:5000").unwrap(), None);
    let path = s
        .store("localhost:5000", &Credentials::new("alice", "pa:ss"))
        .unwrap();
    assert_eq!(path, dir.path().join("run/containers/auth.json"));
    let got = s.lookup("localhost:5000").unwrap().unwrap();
    assert_eq!(got, Credentials::new("alice", "pa:ss"));
    let v: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    assert_eq!(v["auths"]["localhost:5000"]["auth"], b64("alice:pa:ss"));
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&path), 0o600);
    assert_eq!(mode(path.parent().unwrap()), 0o700);
    // A repository path or scheme finds the registry's entry.
    assert!(s.lookup("https://localhost:5000").unwrap().is_some());
    assert!(s.lookup("localhost:5000/a/b").unwrap().is_some());
    assert_eq!(s.lookup("localhost:5001").unwrap(), None);
}

#[test]
fn store_keeps_other_keys_and_replaces_old_spellings() {
    let dir = tempfile::tempdir().unwrap();
    let s = store_in(dir.path());
    put(
        s.auth_file(),
        &format!(
            r#"{{"auths":{{"https://quay.io/v1/":{{"auth":"{}"}},"ghcr.io":{{"auth":"{}"}}}},"credHelpers":{{"gcr.io":"gcloud"}},"HttpHeaders":{{"X":"1"}}}}"#,
            b64("old:old"),
            b64("g:h")
        ),
    );
    s.store("quay.io", &Credentials::new("new", "new")).unwrap();
    let v: Value = serde_json::from_slice(&std::fs::read(s.auth_file()).unwrap()).unwrap();
    assert_eq!(v["credHelpers"]["gcr.io"], "gcloud");
    assert_eq!(v["HttpHeaders"]["X"], "1");
    assert_eq!(v["auths"]["ghcr.io"]["auth"], b64("g:h"));
    assert!(v["auths"].get("https://quay.io/v1/").is_none());
    assert_eq!(s.lookup("quay.io").unwrap().unwrap().username, "new");
}

#[test]
fn key_spellings_and_docker_hub() {
    let dir = tempfile::tempdir().unwrap();
    let s = store_in(dir.path());
    put(
        &dir.path().join("docker/config.json"),
        &format!(
            r#"{{"auths":{{"https://index.docker.io/v1/":{{"auth":"{}"}},"https://r.example.com":{{"auth":"{}"}},"plain.example.com":{{"username":"u","password":"p"}}}}}}"#,
            b64("hub:pw"),
            b64("r:pw")
        ),
    );
    assert_eq!(s.lookup("docker.io").unwrap().unwrap().username, "hub");
    assert_eq!(
        s.lookup("index.docker.io").unwrap().unwrap().username,
        "hub"
    );
    assert_eq!(s.lookup("r.example.com").unwrap().unwrap().username, "r");
    assert_eq!(
        s.lookup("plain.example.com").unwrap(),
        Some(Credentials::new("u", "p"))
    );
}

#[test]
fn search_order_and_namespaces() {
    let dir = tempfile::tempdir().unwrap();
    let s = store_in(dir.path());
    let entry = |u: &str| format!(r#"{{"auth":"{}"}}"#, b64(&format!("{u}:x")));
    put(
        &dir.path().join("config/containers/auth.json"),
        &format!(
            r#"{{"auths":{{"quay.io":{},"quay.io/org":{},"only.example.com":{}}}}}"#,
            entry("xdg"),
            entry("xdg-org"),
            entry("xdg-only")
        ),
    );
    put(
        &dir.path().join("docker/config.json"),
        &format!(
            r#"{{"auths":{{"quay.io":{},"docker.example.com":{}}}}}"#,
            entry("docker"),
            entry("dock")
        ),
    );
    let user = |r: &str| s.lookup(r).unwrap().map(|c| c.username);
    assert_eq!(user("quay.io").as_deref(), Some("xdg"));
    assert_eq!(user("quay.io/org/app").as_deref(), Some("xdg-org"));
    assert_eq!(user("quay.io/other/app").as_deref(), Some("xdg"));
    assert_eq!(user("docker.example.com").as_deref(), Some("dock"));
    // The write target comes first.
    s.store("quay.io", &Credentials::new("runtime", "x"))
        .unwrap();
    assert_eq!(user("quay.io").as_deref(), Some("runtime"));
    assert_eq!(user("only.example.com").as_deref(), Some("xdg-only"));
}

#[test]
fn legacy_dockercfg_and_identity_tokens() {
    let dir = tempfile::tempdir().unwrap();
    let legacy = dir.path().join("dockercfg");
    put(
        &legacy,
        &format!(
            r#"{{"https://old.example.com/v1/":{{"auth":"{}","email":"e@x"}}}}"#,
            b64("o:p")
        ),
    );
    let main = dir.path().join("auth.json");
    put(
        &main,
        r#"{"auths":{"tok.example.com":{"auth":"dTo=","identitytoken":"refresh"}}}"#,
    );
    let read = vec![
        file(main.clone()),
        AuthFile {
            path: legacy,
            legacy: true,
        },
    ];
    let s = AuthStore::with_files(main, read);
    assert_eq!(
        s.lookup("old.example.com").unwrap(),
        Some(Credentials::new("o", "p"))
    );
    let t = s.lookup("tok.example.com").unwrap().unwrap();
    assert_eq!(t.as_identity_token(), Some("refresh"));
    assert!(!format!("{t:?}").contains("refresh"));
    // Stored back as a token, and found again as one.
    s.store("tok2.example.com", &t).unwrap();
    let v: Value = serde_json::from_slice(&std::fs::read(s.auth_file()).unwrap()).unwrap();
    assert_eq!(v["auths"]["tok2.example.com"]["identitytoken"], "refresh");
    assert!(v["auths"]["tok2.example.com"].get("auth").is_none());
    assert_eq!(s.lookup("tok2.example.com").unwrap(), Some(t));
    assert_eq!(Credentials::new("u", "p").as_identity_token(), None);
}

#[test]
fn credential_helpers() {
    let dir = tempfile::tempdir().unwrap();
    let s = with_fake_helper(dir.path(), store_in(dir.path()));
    put(
        &dir.path().join("config/containers/auth.json"),
        r#"{"credHelpers":{"helper.example.com":"fake","token.example.com":"fake","broken.example.com":"fake","missing.example.com":"nope"}}"#,
    );
    assert_eq!(
        s.lookup("helper.example.com").unwrap(),
        Some(Credentials::new("hu", "hs"))
    );
    let t = s.lookup("token.example.com").unwrap().unwrap();
    assert_eq!(t.as_identity_token(), Some("tok"));
    let e = s.lookup("broken.example.com").unwrap_err();
    assert!(e.to_string().contains("backend unavailable"), "{e}");
    let e = s.lookup("missing.example.com").unwrap_err();
    assert!(e.to_string().contains("docker-credential-nope"), "{e}");
    // A failing helper does not hide credentials found later.
    put(
        &dir.path().join("docker/config.json"),
        &format!(
            r#"{{"auths":{{"broken.example.com":{{"auth":"{}"}}}}}}"#,
            b64("later:pw")
        ),
    );
    assert_eq!(
        s.lookup("broken.example.com").unwrap().unwrap().username,
        "later"
    );
}

#[test]
fn creds_store_and_placeholders() {
    let dir = tempfile::tempdir().unwrap();
    let s = with_fake_helper(dir.path(), store_in(dir.path()));
    put(
        &dir.path().join("docker/config.json"),
        r#"{"auths":{"https://index.docker.io/v1/":{},"nothing.example.com":{}},"credsStore":"fake"}"#,
    );
    assert_eq!(
        s.lookup("docker.io").unwrap(),
        Some(Credentials::new("hubuser", "hubpass"))
    );
    // The helper says "not found": no credentials, no error.
    assert_eq!(s.lookup("nothing.example.com").unwrap(), None);
    assert_eq!(
        run_credential_helper(
            &dir.path().join("bin/docker-credential-fake"),
            "helper.example.com"
        )
        .unwrap(),
        Some(Credentials::new("hu", "hs"))
    );
}

#[test]
fn remove_and_remove_all() {
    let dir = tempfile::tempdir().unwrap();
    let s = store_in(dir.path());
    assert!(!s.remove("quay.io").unwrap());
    s.remove_all().unwrap();
    assert!(!s.auth_file().exists());
    s.store("quay.io", &Credentials::new("a", "b")).unwrap();
    s.store("ghcr.io", &Credentials::new("c", "d")).unwrap();
    assert!(s.remove("https://quay.io/v1/").unwrap());
    assert!(!s.remove("quay.io").unwrap());
    assert_eq!(s.lookup("quay.io").unwrap(), None);
    assert!(s.lookup("ghcr.io").unwrap().is_some());
    put(
        s.auth_file(),
        &format!(
            r#"{{"auths":{{"ghcr.io":{{"auth":"{}"}}}},"credHelpers":{{"x":"y"}}}}"#,
            b64("c:d")
        ),
    );
    s.remove_all().unwrap();
    assert_eq!(s.lookup("ghcr.io").unwrap(), None);
    let v: Value = serde_json::from_slice(&std::fs::read(s.auth_file()).unwrap()).unwrap();
    assert_eq!(v["credHelpers"]["x"], "y");
}

#[test]
fn bad_files_are_errors_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let s = store_in(dir.path());
    let p = dir.path().join("config/containers/auth.json");
    put(&p, "{not json");
    let e = s.lookup("quay.io").unwrap_err();
    assert!(e.to_string().contains(&p.display().to_string()), "{e}");
    put(&p, r#"{"auths":{"quay.io":{"auth":"!!!"}}}"#);
    assert!(s.lookup("quay.io").is_err());
    put(&p, r#"{"auths":{"quay.io":{"auth":"bm9jb2xvbg=="}}}"#); // "nocolon"
    assert!(s.lookup("quay.io").is_err());
    put(s.auth_file(), "[]");
    assert!(s.store("quay.io", &Credentials::new("a", "b")).is_err());
    put(s.auth_file(), "");
    s.store("quay.io", &Credentials::new("a", "b")).unwrap();
    assert!(s.lookup("").is_err());
}

#[test]
fn explicit_authfile_is_the_only_file() {
    let dir = tempfile::tempdir().unwrap();
    let paths = Paths {
        data: dir.path().join("d"),
        config: dir.path().join("c"),
        runtime: dir.path().join("r"),
    };
    let af = dir.path().join("my-auth.json");
    let s = AuthStore::new(&paths, Some(&af));
    assert_eq!(s.auth_file(), af);
    assert_eq!(s.read, vec![file(af)]);
}

#[test]
fn user_pass_flag() {
    assert_eq!(
        Credentials::from_user_pass("u:p:q"),
        Some(Credentials::new("u", "p:q"))
    );
    assert_eq!(Credentials::from_user_pass("u"), None);
}
