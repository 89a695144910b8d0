//! `skiff pull` against a real registry, run rootless as the test user:
//! manifests kinds, platforms, layer contents, errors, concurrency, crashes.

mod common;

use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use common::fixtures::layers_content as lc;
use common::*;

fn fmt(env: &Env, image: &str, template: &str) -> String {
    env.skiff_ok(&["image", "inspect", "--format", template, image])
        .trim()
        .to_string()
}

/// The diff dirs of an image, bottom layer first.
fn layer_dirs(env: &Env, image: &str) -> Vec<PathBuf> {
    let upper = fmt(env, image, "{{.GraphDriver.Data.UpperDir}}");
    let lower = fmt(env, image, "{{.GraphDriver.Data.LowerDir}}");
    let mut dirs: Vec<PathBuf> = lower
        .split(':')
        .filter(|s| !s.is_empty())
        .map(PathBuf::from)
        .collect();
    dirs.reverse();
    dirs.push(PathBuf::from(upper));
    dirs
}

fn layer_count(env: &Env) -> usize {
    let dir = env.data_dir().join("skiff/storage/layers");
    std::fs::read_dir(&dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .filter(|e| e.path().join("layer.json").exists())
                .count()
        })
        .unwrap_or(0)
}

fn subuid_start() -> Option<u32> {
    let user = test_user();
    let text = std::fs::read_to_string("/etc/subuid").ok()?;
    text.lines().find_map(|l| {
        let mut f = l.split(':');
        let (n, s) = (f.next()?, f.next()?);
        (n == user.name || n == user.uid.to_string())
            .then(|| s.parse().ok())
            .flatten()
    })
}

#[test]
fn pull_oci_image_prints_id_and_records_it() {
    let env = Env::new();
    let reg = registry();
    let fx = &reg.fixtures().busybox;
    let out = env.skiff_ok(&["pull", &reg.url("busybox:latest")]);
    assert_eq!(out.trim(), fx.image_id().trim_start_matches("sha256:"));
    assert_eq!(
        fmt(&env, &reg.url("busybox:latest"), "{{.Id}}"),
        fx.image_id()
    );
    let layers = fmt(&env, &reg.url("busybox"), "{{json .RootFS.Layers}}");
    let want: Vec<String> = fx.diff_ids.clone();
    assert_eq!(serde_json::from_str::<Vec<String>>(&layers).unwrap(), want);
    let digests = fmt(&env, &reg.url("busybox"), "{{json .RepoDigests}}");
    assert!(digests.contains(&fx.manifest_digest), "{digests}");
    // Unpacked content is there, with busybox's absolute-path-free symlinks.
    let top = layer_dirs(&env, &reg.url("busybox")).pop().unwrap();
    let bb = top.join("bin/busybox");
    assert!(std::fs::metadata(&bb).unwrap().len() > 100_000);
    assert_eq!(
        std::fs::read_link(top.join("bin/sh")).unwrap(),
        Path::new("busybox")
    );
}

#[test]
fn pull_docker_schema2_image() {
    let env = Env::new();
    let reg = registry();
    let fx = &reg.fixtures().busybox_v2s2;
    env.skiff_ok(&["pull", "-q", &reg.url("busybox:v2s2")]);
    assert_eq!(
        fmt(&env, &reg.url("busybox:v2s2"), "{{.ManifestType}}"),
        "application/vnd.docker.distribution.manifest.v2+json"
    );
    assert_eq!(
        fmt(&env, &reg.url("busybox:v2s2"), "{{.Id}}"),
        fx.image_id()
    );
}

#[test]
fn pull_quiet_prints_only_the_id() {
    let env = Env::new();
    let reg = registry();
    let out = env.skiff(&["pull", "-q", &reg.url("busybox:latest")]);
    assert!(out.status.success(), "{}", format_output(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn pull_by_digest_and_wrong_digest() {
    let env = Env::new();
    let reg = registry();
    let fx = &reg.fixtures().busybox;
    let by_digest = format!("{}@{}", reg.url("busybox"), fx.manifest_digest);
    env.skiff_ok(&["pull", "-q", &by_digest]);
    assert_eq!(fmt(&env, &by_digest, "{{.Id}}"), fx.image_id());
    // A digest reference does not invent a tag.
    assert_eq!(fmt(&env, fx.image_id(), "{{json .RepoTags}}"), "[]");
    let wrong = format!("{}@sha256:{}", reg.url("busybox"), "0".repeat(64));
    let (code, err) = env.skiff_err(&["pull", &wrong]);
    assert_eq!(code, 125);
    assert!(err.contains("manifest unknown"), "{err}");
}

#[test]
fn second_pull_skips_existing_layers() {
    let env = Env::new();
    let reg = registry();
    env.skiff_ok(&["pull", &reg.url("layers:latest")]);
    let out = env.skiff(&["pull", &reg.url("layers:latest")]);
    assert!(out.status.success(), "{}", format_output(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.matches("skipped: already exists").count(), 3, "{err}");
    assert_eq!(layer_count(&env), 3);
}

#[test]
fn multi_layer_image_unpacks_every_kind_of_entry() {
    let env = Env::new();
    let reg = registry();
    env.skiff_ok(&["pull", "-q", &reg.url("layers:latest")]);
    let dirs = layer_dirs(&env, &reg.url("layers:latest"));
    assert_eq!(dirs.len(), 3);
    let (l2, l3) = (&dirs[1], &dirs[2]);
    // Layer 3 (uncompressed) overrides the config file.
    assert_eq!(
        std::fs::read_to_string(l3.join("etc/config.txt")).unwrap(),
        lc::CONFIG_NEW
    );
    // Whiteout: a 0:0 char device in overlay form, or a .wh. file for fuse-overlayfs.
    let driver = fmt(&env, &reg.url("layers"), "{{.GraphDriver.Name}}");
    let wh = l2.join(lc::REMOVED);
    if driver == "overlay" {
        let m = std::fs::symlink_metadata(&wh).expect("whiteout device");
        assert!(
            m.file_type().is_char_device(),
            "{wh:?} is not a char device"
        );
        assert_eq!(m.rdev(), 0);
        let opaque = xattr::get(l2.join("opt/old"), "user.overlay.opaque").unwrap();
        assert_eq!(opaque.as_deref(), Some(&b"y"[..]));
        assert!(!l2.join("opt/old/.wh..wh..opq").exists());
    } else {
        assert!(l2.join("data/.wh.removed.txt").exists());
        assert!(l2.join("opt/old/.wh..wh..opq").exists());
    }
    // Hardlinks share an inode; symlinks keep their targets.
    let a = std::fs::metadata(l2.join("lib/file.txt")).unwrap();
    let b = std::fs::metadata(l2.join("lib/hard.txt")).unwrap();
    assert_eq!(a.ino(), b.ino());
    assert_eq!(
        std::fs::read_link(l2.join("lib/rel")).unwrap(),
        Path::new("file.txt")
    );
    assert_eq!(
        std::fs::read_link(l2.join("lib/abs")).unwrap(),
        Path::new("/lib/file.txt")
    );
    // setuid survives chown; xattrs are applied.
    let suid = std::fs::metadata(l2.join("bin/suid")).unwrap();
    assert_eq!(suid.permissions().mode() & 0o7777, 0o4755);
    let x = xattr::get(l2.join(lc::XATTR_FILE), lc::XATTR_NAME).unwrap();
    assert_eq!(x.as_deref(), Some(lc::XATTR_VALUE.as_bytes()));
    // Ownership maps through the subuid range: container uid 1000 is
    // subuid_start + 999 on the host (uid 0 is the user).
    let owned = std::fs::metadata(l2.join(lc::OWNED_FILE)).unwrap();
    let user = test_user();
    if user.switch || !is_root() {
        if let Some(start) = subuid_start() {
            assert_eq!(owned.uid(), start + lc::OWNED_UID - 1);
        }
        let root_owned = std::fs::metadata(l2.join("lib/file.txt")).unwrap();
        assert_eq!(root_owned.uid(), user.uid);
    }
}

#[test]
fn merged_overlay_view_applies_whiteouts() {
    let env = Env::new();
    let reg = registry();
    env.skiff_ok(&["pull", "-q", &reg.url("layers:latest")]);
    if fmt(&env, &reg.url("layers"), "{{.GraphDriver.Name}}") != "overlay" {
        eprintln!("skipped: storage driver is not kernel overlay here");
        return;
    }
    let dirs = layer_dirs(&env, &reg.url("layers:latest"));
    let lower: Vec<String> = dirs.iter().rev().map(|d| d.display().to_string()).collect();
    let mnt = env.root().join("merged");
    let script = format!(
        "mkdir -p {m} && mount -t overlay overlay -o lowerdir={l},userxattr {m} && \
         test ! -e {m}/{removed} && test ! -e {m}/{keep_not} && cat {m}/{new} && cat {m}/etc/config.txt",
        m = mnt.display(),
        l = lower.join(":"),
        removed = lc::REMOVED,
        keep_not = lc::KEEP_NOT,
        new = lc::NEW_IN_OPAQUE,
    );
    let out = env.skiff_ok(&["unshare", "sh", "-c", &script]);
    assert_eq!(
        out,
        format!("{}{}", lc::NEW_IN_OPAQUE_CONTENT, lc::CONFIG_NEW)
    );
}

#[test]
fn index_platform_selection() {
    let env = Env::new();
    let reg = registry();
    let ma = &reg.fixtures().multiarch;
    let r = reg.url("multiarch:latest");
    env.skiff_ok(&["pull", "-q", &r]);
    assert_eq!(fmt(&env, &r, "{{.Architecture}}"), "amd64");
    assert_eq!(
        fmt(&env, &r, "{{.Id}}"),
        ma.platform("amd64", None).image_id()
    );
    // The repo digest is the index's, as Docker records it.
    assert!(fmt(&env, &r, "{{json .RepoDigests}}").contains(&ma.index_digest));

    env.skiff_ok(&["pull", "-q", "--platform", "linux/arm64", &r]);
    assert_eq!(fmt(&env, &r, "{{.Architecture}}/{{.Variant}}"), "arm64/v8");
    let top = layer_dirs(&env, &r).pop().unwrap();
    assert_eq!(
        std::fs::read_to_string(top.join("etc/arch"))
            .unwrap()
            .trim(),
        "arm64"
    );

    env.skiff_ok(&["pull", "-q", "--platform", "linux/arm/v7", &r]);
    assert_eq!(fmt(&env, &r, "{{.Architecture}}/{{.Variant}}"), "arm/v7");

    let (code, err) = env.skiff_err(&["pull", "--platform", "linux/s390x", &r]);
    assert_eq!(code, 125);
    assert!(
        err.contains("linux/s390x") && err.contains("linux/amd64"),
        "{err}"
    );
    let (code, err) = env.skiff_err(&["pull", "--platform", "linux//", &r]);
    assert_eq!(code, 125);
    assert!(err.contains("invalid platform"), "{err}");
}

#[test]
fn errors_are_one_line_with_exit_125() {
    let env = Env::new();
    let reg = registry();
    let cases = [
        (reg.url("busybox:nope"), "manifest unknown"),
        (reg.url("no/such/repo:latest"), ""),
        (
            "127.0.0.1:1/busybox:latest".to_string(),
            "cannot reach registry 127.0.0.1:1",
        ),
        ("Busybox".to_string(), "must be lowercase"),
        ("a:b:c".to_string(), "invalid reference"),
    ];
    for (image, want) in cases {
        let (code, err) = env.skiff_err(&["pull", "-q", &image]);
        assert_eq!(code, 125, "{image}: {err}");
        let lines: Vec<&str> = err.lines().filter(|l| l.starts_with("Error:")).collect();
        assert_eq!(lines.len(), 1, "{image}: {err}");
        assert!(err.contains(want), "{image}: {err}");
    }
    assert_eq!(env.skiff_ok(&["images", "-q"]), "");
}

#[test]
fn unauthorized_without_login() {
    let env = Env::new();
    let reg = auth_registry();
    let (code, err) = env.skiff_err(&["pull", "-q", &reg.url("private/busybox:latest")]);
    assert_eq!(code, 125);
    assert!(
        err.contains("unauthorized") && err.contains("skiff login"),
        "{err}"
    );
}

#[test]
fn digest_mismatch_leaves_nothing_behind() {
    let env = Env::new();
    let reg = registry();
    let layer = gzip(&tar_with_raw_entries(&[RawEntry::file(
        "hello.txt",
        "hello\n",
    )]));
    let img = push_raw_image(reg, "corrupt/blob:latest", vec![layer.clone()]);
    // Flip the stored blob's bytes while keeping its size.
    let path = reg.blob_path(&img.layer_digests[0]);
    let mut data = std::fs::read(&path).unwrap();
    let n = data.len();
    data[n / 2] ^= 0xff;
    std::fs::write(&path, &data).unwrap();

    let (code, err) = env.skiff_err(&["pull", &reg.url("corrupt/blob:latest")]);
    assert_eq!(code, 125);
    assert!(err.contains("digest mismatch"), "{err}");
    assert_eq!(env.skiff_ok(&["images", "-q"]), "");
    assert_eq!(layer_count(&env), 0);
    let ingest = env.data_dir().join("skiff/storage/blobs/ingest");
    let left: Vec<_> = std::fs::read_dir(&ingest)
        .map(|r| r.filter_map(Result::ok).collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "ingest leftovers: {left:?}");
    assert!(
        !env.data_dir()
            .join("skiff/storage/blobs/sha256")
            .join(img.layer_digests[0].trim_start_matches("sha256:"))
            .exists()
    );
}

#[test]
fn concurrent_pulls_share_layers() {
    let env = Env::new();
    let reg = registry();
    let images = [
        reg.url("busybox:latest"),
        reg.url("busybox:v2s2"),
        reg.url("layers:latest"),
        reg.url("layers:latest"),
    ];
    let children: Vec<_> = images
        .iter()
        .map(|i| env.spawn(&["pull", "-q", i.as_str()]))
        .collect();
    for (c, i) in children.into_iter().zip(&images) {
        let out = c.wait_with_output().unwrap();
        assert!(out.status.success(), "{i}: {}", format_output(&out));
    }
    // busybox and busybox:v2s2 share their one layer; layers has 3 distinct ones.
    assert_eq!(layer_count(&env), 4, "one copy of each layer");
    // busybox:v2s2 is the same config as busybox:latest, so the same image.
    assert_eq!(
        reg.fixtures().busybox.image_id(),
        reg.fixtures().busybox_v2s2.image_id()
    );
    let ids = env.skiff_ok(&["images", "-q"]);
    assert_eq!(ids.lines().count(), 2, "{ids}");
    let names = env.skiff_ok(&["images", "--format", "{{.Tag}}"]);
    assert_eq!(names.lines().count(), 3, "{names}");
}

#[test]
fn killed_pull_then_pull_again_succeeds() {
    let env = Env::new();
    let reg = registry();
    // A big incompressible layer so the kill lands mid-download or mid-unpack.
    let mut big = vec![0u8; 48 << 20];
    let mut x: u64 = 0x9e3779b97f4a7c15;
    for chunk in big.chunks_mut(8) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        chunk.copy_from_slice(&x.to_le_bytes()[..chunk.len()]);
    }
    let layer = gzip(&tar_with_raw_entries(&[RawEntry::file("big.bin", &big)]));
    push_raw_image(reg, "big/layer:latest", vec![layer]);
    let image = reg.url("big/layer:latest");

    for delay_ms in [150u64, 400] {
        let mut child = env
            .skiff_command(&["pull", "-q", &image])
            .process_group(0)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        // SIGKILL the whole process group: the re-exec'd namespace child too.
        kill_group(child.id());
        let _ = child.wait();
        let (code, _) = (env.skiff(&["images", "-q"]).status.code(), ());
        assert_eq!(code, Some(0));
        let _ = env.skiff(&["rmi", "-f", &image]);
    }
    env.skiff_ok(&["pull", "-q", &image]);
    assert_eq!(env.skiff_ok(&["images", "-q"]).lines().count(), 1);
    assert_eq!(layer_count(&env), 1);
    let layers_dir = env.data_dir().join("skiff/storage/layers");
    let staging: Vec<_> = std::fs::read_dir(&layers_dir)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with(".staging"))
        .collect();
    assert!(staging.is_empty(), "staging leftovers: {staging:?}");
}

fn kill_group(pid: u32) {
    let _ = std::process::Command::new("kill")
        .args(["-KILL", "--", &format!("-{pid}")])
        .status();
}

#[test]
fn fuse_overlayfs_driver_keeps_aufs_whiteouts_and_stores_do_not_mix() {
    let env = Env::new();
    let reg = registry();
    let image = reg.url("layers:latest");
    env.skiff_ok(&["--storage-driver", "fuse-overlayfs", "pull", "-q", &image]);
    let l2 = layer_dirs(&env, &image)[1].clone();
    assert!(l2.join("data/.wh.removed.txt").is_file());
    assert!(l2.join("opt/old/.wh..wh..opq").is_file());
    // The store remembers its driver.
    assert_eq!(fmt(&env, &image, "{{.GraphDriver.Name}}"), "fuse-overlayfs");
    env.skiff_ok(&["pull", "-q", &reg.url("busybox:latest")]);
    let (code, err) = env.skiff_err(&[
        "--storage-driver",
        "overlay",
        "pull",
        "-q",
        &reg.url("busybox:v2s2"),
    ]);
    assert_eq!(code, 125);
    assert!(err.contains("another storage driver"), "{err}");
}
