//! Image management commands, rootless: images, tag, rmi, inspect, history,
//! push (with cross-repository mount), login/logout, registries.conf.

mod common;

use std::os::unix::fs::PermissionsExt;

use common::*;

fn pulled(image: &str) -> Env {
    let env = Env::new();
    env.skiff_ok(&["pull", "-q", image]);
    env
}

#[test]
fn images_table_and_flags() {
    let reg = registry();
    let fx = &reg.fixtures().busybox;
    let env = pulled(&reg.url("busybox:latest"));
    let out = env.skiff_ok(&["images"]);
    let mut lines = out.lines();
    let header = lines.next().unwrap();
    for col in ["REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE"] {
        assert!(header.contains(col), "{header}");
    }
    let row = lines.next().unwrap();
    assert!(row.starts_with(&format!("{}/busybox", reg.addr())), "{row}");
    assert!(
        row.contains("latest") && row.contains(fx.short_id()),
        "{row}"
    );
    assert!(row.contains("MB"), "{row}");

    assert_eq!(env.skiff_ok(&["images", "-q"]).trim(), fx.short_id());
    assert_eq!(
        env.skiff_ok(&["images", "-q", "--no-trunc"]).trim(),
        fx.image_id()
    );
    let digests = env.skiff_ok(&["images", "--digests"]);
    assert!(
        digests.contains("DIGEST") && digests.contains(&fx.manifest_digest),
        "{digests}"
    );
    let tmpl = env.skiff_ok(&["images", "--format", "{{.Repository}}:{{.Tag}} {{.ID}}"]);
    assert_eq!(
        tmpl.trim(),
        format!("{}/busybox:latest {}", reg.addr(), fx.short_id())
    );
    let custom = env.skiff_ok(&["images", "--format", "table {{.ID}}\t{{.Tag}}"]);
    assert!(custom.starts_with("IMAGE ID"), "{custom}");
    let json: serde_json::Value =
        serde_json::from_str(&env.skiff_ok(&["images", "--format", "json"])).unwrap();
    assert_eq!(json[0]["Tag"], "latest");
    // Docker's image ls alias and -a.
    assert_eq!(
        env.skiff_ok(&["image", "ls", "-a", "-q"]).trim(),
        fx.short_id()
    );
    let (code, err) = env.skiff_err(&["images", "--format", "{{.Nope"]);
    assert_eq!(code, 125);
    assert!(err.contains("template"), "{err}");
}

#[test]
fn tag_and_rmi_semantics() {
    let reg = registry();
    let fx = &reg.fixtures().busybox;
    let env = pulled(&reg.url("busybox:latest"));
    env.skiff_ok(&[
        "tag",
        &reg.url("busybox:latest"),
        "mine/bb:v1",
        "mine/bb:v2",
    ]);
    let names = env.skiff_ok(&[
        "image",
        "inspect",
        "--format",
        "{{json .RepoTags}}",
        fx.image_id(),
    ]);
    assert!(
        names.contains("docker.io/mine/bb:v1") && names.contains("docker.io/mine/bb:v2"),
        "{names}"
    );
    // The short name resolves with Docker's normalization.
    env.skiff_ok(&["image", "inspect", "mine/bb:v1"]);

    // Removing by ID with several names needs --force.
    let (code, err) = env.skiff_err(&["rmi", fx.short_id()]);
    assert_eq!(code, 125);
    assert!(err.contains("--force"), "{err}");
    // Removing by name only untags while other names remain.
    let out = env.skiff_ok(&["rmi", "mine/bb:v1"]);
    assert!(out.contains("Untagged: docker.io/mine/bb:v1"), "{out}");
    assert!(!out.contains("Deleted"), "{out}");
    let out = env.skiff_ok(&["rmi", "-f", fx.short_id()]);
    assert!(
        out.contains(&format!("Deleted: {}", fx.image_id())),
        "{out}"
    );
    assert_eq!(env.skiff_ok(&["images", "-q"]), "");
    // Layers and blobs went with the last image.
    let layers = env.data_dir().join("skiff/storage/layers");
    let left: Vec<_> = std::fs::read_dir(&layers)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .collect();
    assert!(left.is_empty(), "{left:?}");
    let (code, err) = env.skiff_err(&["rmi", "nosuch:image"]);
    assert_eq!(code, 125);
    assert!(err.contains("no such image"), "{err}");
}

#[test]
fn rmi_keeps_layers_shared_with_other_images() {
    let reg = registry();
    let env = pulled(&reg.url("busybox:latest"));
    env.skiff_ok(&["pull", "-q", &reg.url("busybox:v2s2")]);
    env.skiff_ok(&["rmi", &reg.url("busybox:v2s2")]);
    // The remaining image still has its unpacked layer.
    let upper = env.skiff_ok(&[
        "image",
        "inspect",
        "--format",
        "{{.GraphDriver.Data.UpperDir}}",
        &reg.url("busybox:latest"),
    ]);
    assert!(
        std::path::Path::new(upper.trim())
            .join("bin/busybox")
            .exists()
    );
}

#[test]
fn inspect_is_docker_shaped() {
    let reg = registry();
    let fx = &reg.fixtures().busybox;
    let env = pulled(&reg.url("busybox:latest"));
    let out = env.skiff_ok(&["image", "inspect", &reg.url("busybox")]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let img = &v[0];
    for key in [
        "Id",
        "RepoTags",
        "RepoDigests",
        "Created",
        "Config",
        "Architecture",
        "Os",
        "Size",
        "RootFS",
        "GraphDriver",
    ] {
        assert!(img.get(key).is_some(), "missing {key}: {out}");
    }
    assert_eq!(img["Id"], fx.image_id());
    assert_eq!(img["Os"], "linux");
    assert_eq!(img["RootFS"]["Type"], "layers");
    assert_eq!(img["Config"]["Cmd"][0], "/bin/sh");
    // `inspect` (top level) does the same for images.
    let top = env.skiff_ok(&["inspect", "--format", "{{.Id}}", &reg.url("busybox")]);
    assert_eq!(top.trim(), fx.image_id());
    let (code, _) = env.skiff_err(&["image", "inspect", "nosuch"]);
    assert_eq!(code, 125);
}

#[test]
fn history_lists_layers() {
    let reg = registry();
    let env = pulled(&reg.url("layers:latest"));
    let out = env.skiff_ok(&["history", &reg.url("layers:latest")]);
    let lines: Vec<&str> = out.lines().collect();
    assert!(
        lines[0].contains("IMAGE") && lines[0].contains("CREATED BY"),
        "{out}"
    );
    assert!(lines.len() >= 4, "{out}");
    assert!(
        lines[1].starts_with(reg.fixtures().layers.short_id()),
        "{out}"
    );
    let q = env.skiff_ok(&["history", "-q", &reg.url("layers:latest")]);
    assert!(q.lines().skip(1).all(|l| l == "<missing>"), "{q}");
}

#[test]
fn push_to_another_repository_mounts_blobs() {
    let reg = registry();
    let env = pulled(&reg.url("busybox:latest"));
    let dest = reg.url(&format!("pushed/bb{}:v1", std::process::id()));
    env.skiff_ok(&["tag", &reg.url("busybox:latest"), &dest]);
    let out = env.skiff(&["push", &dest]);
    assert!(out.status.success(), "{}", format_output(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("mounted from busybox") || err.contains("skipped: already exists"),
        "{err}"
    );
    // An independent client sees the pushed manifest with the same config.
    let (repo, tag) = dest.rsplit_once(':').unwrap();
    let repo = repo.strip_prefix(&format!("{}/", reg.addr())).unwrap();
    let m = reg.manifest(repo, tag);
    assert_eq!(m.status, 200, "{}", m.text());
    assert!(
        m.text()
            .contains(reg.fixtures().busybox.config_digest.as_str())
    );
    // Pull it back into a fresh store.
    let env2 = Env::new();
    let id = env2.skiff_ok(&["pull", "-q", &dest]);
    assert_eq!(
        id.trim(),
        reg.fixtures()
            .busybox
            .image_id()
            .trim_start_matches("sha256:")
    );
}

#[test]
fn push_new_image_uploads_blobs() {
    let reg = registry();
    let env = Env::new();
    let dir = env.root().join("rootfs");
    env.write_user_file(
        &dir.join("hello.txt"),
        format!("unique {}\n", std::process::id()).as_bytes(),
    );
    let name = reg.url(&format!("uploaded/img{}:latest", std::process::id()));
    env.skiff_ok(&["import", dir.to_str().unwrap(), &name]);
    let digest_file = env.root().join("digest");
    let out = env.skiff(&["push", "--digestfile", digest_file.to_str().unwrap(), &name]);
    assert!(out.status.success(), "{}", format_output(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("Copying blob") && err.contains("done"),
        "{err}"
    );
    let digest = std::fs::read_to_string(&digest_file).unwrap();
    assert!(digest.starts_with("sha256:"), "{digest}");
    let env2 = Env::new();
    env2.skiff_ok(&[
        "pull",
        "-q",
        &format!("{}@{}", name.rsplit_once(':').unwrap().0, digest.trim()),
    ]);
}

#[test]
fn login_pull_logout_with_htpasswd_registry() {
    let reg = auth_registry();
    let (user, pass) = reg.credentials().unwrap();
    let env = Env::new();
    let (code, err) = env.skiff_err(&["login", "-u", user, "-p", "wrong", reg.addr()]);
    assert_eq!(code, 125);
    assert!(err.contains("invalid username or password"), "{err}");

    let out = env.skiff_with_stdin(
        &["login", "-u", user, "--password-stdin", reg.addr()],
        pass.as_bytes(),
    );
    assert!(out.status.success(), "{}", format_output(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Login Succeeded"));
    // Podman-compatible auth.json location and permissions.
    let auth = env.runtime_dir().join("containers/auth.json");
    let mode = std::fs::metadata(&auth).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let text = std::fs::read_to_string(&auth).unwrap();
    assert!(text.contains(reg.addr()), "{text}");

    env.skiff_ok(&["pull", "-q", &reg.url("private/busybox:latest")]);
    assert_eq!(
        env.skiff_ok(&["login", "--get-login", reg.addr()]).trim(),
        user
    );

    let out = env.skiff_ok(&["logout", reg.addr()]);
    assert!(out.contains("Removed login credentials"), "{out}");
    let (code, err) = env.skiff_err(&["pull", "-q", &reg.url("private/layers:latest")]);
    assert_eq!(code, 125);
    assert!(err.contains("unauthorized"), "{err}");
    let (code, err) = env.skiff_err(&["logout", reg.addr()]);
    assert_eq!(code, 125);
    assert!(err.contains("not logged in"), "{err}");
}

#[test]
fn docker_config_json_credentials_are_used() {
    let reg = auth_registry();
    let (user, pass) = reg.credentials().unwrap();
    let env = Env::new();
    use base64::Engine as _;
    let auth = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{pass}"));
    env.write_user_file(
        &env.home().join(".docker/config.json"),
        format!(
            "{{\"auths\":{{\"{}\":{{\"auth\":\"{auth}\"}}}}}}",
            reg.addr()
        )
        .as_bytes(),
    );
    env.skiff_ok(&["pull", "-q", &reg.url("private/busybox:latest")]);
}

#[test]
fn creds_flag_overrides_stored_credentials() {
    let reg = auth_registry();
    let (user, pass) = reg.credentials().unwrap();
    let env = Env::new();
    env.skiff_ok(&[
        "pull",
        "-q",
        "--creds",
        &format!("{user}:{pass}"),
        &reg.url("private/busybox:latest"),
    ]);
}

#[test]
fn registries_conf_mirror_and_search() {
    let reg = registry();
    let env = Env::new();
    env.write_registries_conf(&format!(
        "unqualified-search-registries = [\"{addr}\"]\n\
         [[registry]]\nprefix = \"registry.k8s.io\"\nlocation = \"{addr}\"\ninsecure = true\n\
         [[registry]]\nprefix = \"quay.example.invalid\"\nlocation = \"quay.example.invalid\"\n\
         [[registry.mirror]]\nlocation = \"{addr}\"\ninsecure = true\n",
        addr = reg.addr()
    ));
    let fx = &reg.fixtures().busybox;
    // Prefix rewrite (how the CRI mode maps registry.k8s.io to a local mirror).
    let id = env.skiff_ok(&["pull", "-q", "registry.k8s.io/busybox:latest"]);
    assert_eq!(id.trim(), fx.image_id().trim_start_matches("sha256:"));
    // A mirror serves a registry that does not exist.
    env.skiff_ok(&["pull", "-q", "quay.example.invalid/layers:latest"]);
    // A short name goes to the unqualified-search registry.
    env.skiff_ok(&["pull", "-q", "busybox:v2s2"]);
    let names = env.skiff_ok(&["images", "--format", "{{.Repository}}:{{.Tag}}"]);
    assert!(names.contains("registry.k8s.io/busybox:latest"), "{names}");
    assert!(
        names.contains("quay.example.invalid/layers:latest"),
        "{names}"
    );
    assert!(
        names.contains(&format!("{}/busybox:v2s2", reg.addr())),
        "{names}"
    );
}

#[test]
fn tls_verify_true_refuses_plain_http() {
    let reg = registry();
    let env = Env::new();
    let (code, err) = env.skiff_err(&["pull", "--tls-verify=true", &reg.url("busybox:latest")]);
    assert_eq!(code, 125);
    assert!(err.contains("cannot reach registry"), "{err}");
    env.skiff_ok(&[
        "pull",
        "-q",
        "--tls-verify=false",
        &reg.url("busybox:latest"),
    ]);
}

#[test]
fn image_prune_removes_dangling_and_all() {
    let reg = registry();
    let env = pulled(&reg.url("busybox:latest"));
    env.skiff_ok(&["pull", "-q", &reg.url("layers:latest")]);
    // Retagging layers' name onto busybox leaves the old layers image dangling.
    env.skiff_ok(&["tag", &reg.url("busybox:latest"), &reg.url("layers:latest")]);
    let out = env.skiff_ok(&["image", "prune", "-f"]);
    assert!(
        out.contains(
            reg.fixtures()
                .layers
                .image_id()
                .trim_start_matches("sha256:")
        ),
        "{out}"
    );
    assert_eq!(env.skiff_ok(&["images", "-q"]).lines().count(), 1);
    env.skiff_ok(&["image", "prune", "-a", "-f"]);
    assert_eq!(env.skiff_ok(&["images", "-q"]), "");
}

#[test]
fn completion_and_man_pages() {
    let env = Env::new();
    for shell in ["bash", "zsh", "fish"] {
        let out = env.skiff_ok(&["completion", shell]);
        assert!(out.contains("pull"), "{shell}");
    }
    let dir = env.root().join("man");
    env.skiff_ok(&["generate-man", dir.to_str().unwrap()]);
    assert!(dir.join("skiff.1").exists() && dir.join("skiff-pull.1").exists());
}

#[test]
fn self_signed_tls_registry_needs_insecure() {
    let tls = Registry::start_tls();
    let layout = &registry().fixtures().layout_dir;
    let out = std::process::Command::new("skopeo")
        .args(["--insecure-policy", "copy", "--dest-tls-verify=false"])
        .arg(format!("oci:{}:busybox", layout.display()))
        .arg(format!("docker://{}", tls.url("busybox:latest")))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", format_output(&out));
    let image = tls.url("busybox:latest");
    let env = Env::new();
    let (code, err) = env.skiff_err(&["pull", "-q", &image]);
    assert_eq!(code, 125);
    assert!(
        err.contains("certificate") && err.contains("--tls-verify=false"),
        "{err}"
    );
    env.skiff_ok(&["pull", "-q", "--tls-verify=false", &image]);
    // The same through registries.conf.
    let env2 = Env::new();
    env2.write_registries_conf(&format!(
        "[[registry]]\nlocation = \"{}\"\ninsecure = true\n",
        tls.addr()
    ));
    env2.skiff_ok(&["pull", "-q", &image]);
}

#[test]
fn disk_full_is_one_line_and_leaves_nothing() {
    // A tiny tmpfs as the store needs root to mount; skiff itself still runs
    // as the unprivileged user.
    if !is_root() {
        eprintln!("skipped: mounting a small tmpfs needs root");
        return;
    }
    let reg = registry();
    let env = Env::new();
    let small = env.root().join("small");
    std::fs::create_dir(&small).unwrap();
    let st = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=600k,mode=0755", "tmpfs"])
        .arg(&small)
        .status()
        .unwrap();
    assert!(st.success());
    struct Unmount(std::path::PathBuf);
    impl Drop for Unmount {
        fn drop(&mut self) {
            let _ = std::process::Command::new("umount")
                .arg("-l")
                .arg(&self.0)
                .status();
        }
    }
    let _guard = Unmount(small.clone());
    let user = test_user();
    std::os::unix::fs::chown(&small, Some(user.uid), Some(user.gid)).unwrap();
    let root = small.join("store");
    let (code, err) = env.skiff_err(&[
        "--root",
        root.to_str().unwrap(),
        "pull",
        "-q",
        &reg.url("busybox:latest"),
    ]);
    assert_eq!(code, 125);
    let lines: Vec<&str> = err.lines().filter(|l| l.starts_with("Error:")).collect();
    assert_eq!(lines.len(), 1, "{err}");
    assert!(
        err.contains("No space left") || err.contains("no space"),
        "{err}"
    );
    let out = env.skiff_ok(&["--root", root.to_str().unwrap(), "images", "-q"]);
    assert_eq!(out, "");
    let ingest = root.join("storage/blobs/ingest");
    let left: Vec<_> = std::fs::read_dir(&ingest)
        .map(|r| r.filter_map(Result::ok).collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn bearer_token_flow_pull_and_push() {
    let reg = common::token::token_registry();
    let (user, pass) = (AUTH_USER, AUTH_PASS);
    let layout = &registry().fixtures().layout_dir;
    let out = std::process::Command::new("skopeo")
        .args(["--insecure-policy", "copy", "--dest-tls-verify=false"])
        .arg(format!("--dest-creds={user}:{pass}"))
        .arg(format!("oci:{}:busybox", layout.display()))
        .arg(format!("docker://{}", reg.url("tok/busybox:latest")))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", format_output(&out));
    let env = Env::new();
    let (code, err) = env.skiff_err(&["pull", "-q", &reg.url("tok/busybox:latest")]);
    assert_eq!(code, 125);
    assert!(err.contains("unauthorized"), "{err}");
    let (code, err) = env.skiff_err(&["login", "-u", user, "-p", "nope", reg.addr()]);
    assert_eq!(code, 125);
    assert!(err.contains("invalid username or password"), "{err}");
    env.skiff_ok(&["login", "-u", user, "-p", pass, reg.addr()]);
    let id = env.skiff_ok(&["pull", "-q", &reg.url("tok/busybox:latest")]);
    assert_eq!(
        id.trim(),
        registry()
            .fixtures()
            .busybox
            .image_id()
            .trim_start_matches("sha256:")
    );
    // Push needs a token with the push action, and mounts from tok/busybox.
    env.skiff_ok(&[
        "tag",
        &reg.url("tok/busybox:latest"),
        &reg.url("tok/copy:1"),
    ]);
    let out = env.skiff(&["push", &reg.url("tok/copy:1")]);
    assert!(out.status.success(), "{}", format_output(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("mounted from tok/busybox"),
        "{}",
        format_output(&out)
    );
}
