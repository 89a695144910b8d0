//! import / save / load, and interoperability with skopeo's archives.

mod common;

use std::process::Command;

use common::*;

fn skopeo(args: &[&str]) {
    let out = Command::new("skopeo")
        .arg("--insecure-policy")
        .args(args)
        .output()
        .expect("skopeo");
    assert!(
        out.status.success(),
        "skopeo {args:?}: {}",
        format_output(&out)
    );
}

#[test]
fn import_tarball_with_changes() {
    let env = Env::new();
    let tar = env.root().join("rootfs.tar");
    env.write_user_file(
        &tar,
        &tar_with_raw_entries(&[
            RawEntry::dir("bin"),
            RawEntry::file("bin/hello", "#!/bin/sh\necho hi\n").mode(0o755),
        ]),
    );
    let id = env.skiff_ok(&[
        "import",
        "--change",
        "CMD [\"/bin/hello\"]",
        "--change",
        "ENV A=b",
        "--change",
        "WORKDIR /srv",
        "--change",
        "EXPOSE 8080/tcp",
        "-m",
        "first import",
        tar.to_str().unwrap(),
        "demo/hello:1",
    ]);
    assert_eq!(id.trim().len(), 64, "{id}");
    let cfg = env.skiff_ok(&[
        "image",
        "inspect",
        "--format",
        "{{json .Config}}",
        "demo/hello:1",
    ]);
    let v: serde_json::Value = serde_json::from_str(&cfg).unwrap();
    assert_eq!(v["Cmd"][0], "/bin/hello");
    assert_eq!(v["Env"][0], "A=b");
    assert_eq!(v["WorkingDir"], "/srv");
    assert!(v["ExposedPorts"].get("8080/tcp").is_some(), "{cfg}");
    let hist = env.skiff_ok(&["history", "--format", "{{.Comment}}", "demo/hello:1"]);
    assert!(hist.contains("first import"), "{hist}");
    let (code, err) = env.skiff_err(&["import", "--change", "FROM x", tar.to_str().unwrap()]);
    assert_eq!(code, 125);
    assert!(err.contains("invalid --change"), "{err}");
    let (code, err) = env.skiff_err(&["import", "/nonexistent.tar"]);
    assert_eq!(code, 125);
    assert!(err.contains("does not exist"), "{err}");
}

#[test]
fn import_from_stdin_and_directory() {
    let env = Env::new();
    let tar = gzip(&tar_with_raw_entries(&[RawEntry::file("a.txt", "a")]));
    let out = env.skiff_with_stdin(&["import", "-", "demo/stdin:latest"], &tar);
    assert!(out.status.success(), "{}", format_output(&out));
    let dir = env.root().join("tree");
    env.write_user_file(&dir.join("etc/os-release"), b"ID=demo\n");
    env.skiff_ok(&["import", dir.to_str().unwrap(), "demo/dir:latest"]);
    let names = env.skiff_ok(&["images", "--format", "{{.Repository}}"]);
    assert!(
        names.contains("docker.io/demo/stdin") && names.contains("docker.io/demo/dir"),
        "{names}"
    );
}

#[test]
fn save_load_round_trip_both_formats() {
    let reg = registry();
    let fx = &reg.fixtures().layers;
    let env = Env::new();
    env.skiff_ok(&["pull", "-q", &reg.url("layers:latest")]);
    for format in ["docker-archive", "oci-archive"] {
        let file = env.root().join(format!("{format}.tar"));
        env.skiff_ok(&[
            "save",
            "--format",
            format,
            "-o",
            file.to_str().unwrap(),
            &reg.url("layers:latest"),
        ]);
        let env2 = Env::new();
        let out = env2.skiff_ok(&["load", "-i", file.to_str().unwrap()]);
        assert!(
            out.contains(&format!("Loaded image: {}", reg.url("layers:latest"))),
            "{format}: {out}"
        );
        let id = env2.skiff_ok(&[
            "image",
            "inspect",
            "--format",
            "{{.Id}}",
            &reg.url("layers:latest"),
        ]);
        assert_eq!(id.trim(), fx.image_id(), "{format}");
        // skopeo reads what we wrote.
        let dest = env.root().join(format!("{format}-oci"));
        skopeo(&[
            "copy",
            &format!("{format}:{}", file.display()),
            &format!("oci:{}:x", dest.display()),
        ]);
    }
}

#[test]
fn load_reads_skopeo_archives() {
    let reg = registry();
    let fx = &reg.fixtures().busybox;
    let env = Env::new();
    for (kind, name) in [
        ("docker-archive", "docker.io/library/busybox:latest"),
        ("oci-archive", "busybox"),
    ] {
        let file = env.root().join(format!("skopeo-{kind}.tar"));
        skopeo(&[
            "copy",
            "--src-tls-verify=false",
            &format!("docker://{}", reg.url("busybox:latest")),
            &format!("{kind}:{}:{name}", file.display()),
        ]);
        std::fs::set_permissions(&file, std::os::unix::fs::PermissionsExt::from_mode(0o644))
            .unwrap();
        let out = env.skiff_ok(&["load", "-i", file.to_str().unwrap()]);
        assert!(out.contains("Loaded image"), "{kind}: {out}");
        let ids = env.skiff_ok(&["images", "-q", "--no-trunc"]);
        assert!(ids.contains(fx.image_id()), "{kind}: {ids}");
    }
    let out = env.skiff_with_stdin(&["load"], b"this is not a tar archive at all");
    assert_eq!(out.status.code(), Some(125), "{}", format_output(&out));
}

#[test]
fn corrupted_archive_loads_nothing() {
    let reg = registry();
    let env = Env::new();
    env.skiff_ok(&["pull", "-q", &reg.url("busybox:latest")]);
    let file = env.root().join("a.tar");
    env.skiff_ok(&[
        "save",
        "--format",
        "oci-archive",
        "-o",
        file.to_str().unwrap(),
        &reg.url("busybox:latest"),
    ]);
    // Truncate the archive in the middle of a blob.
    let data = std::fs::read(&file).unwrap();
    let cut = env.root().join("cut.tar");
    env.write_user_file(&cut, &data[..data.len() / 2]);
    let env2 = Env::new();
    let (code, err) = env2.skiff_err(&["load", "-i", cut.to_str().unwrap()]);
    assert_eq!(code, 125, "{err}");
    assert_eq!(env2.skiff_ok(&["images", "-q"]), "");
}
