//! Checks of the test harness itself: registries, fixtures, raw tars and
//! running skiff as the unprivileged test user.

mod common;

use common::fixtures::{
    LAYER_GZIP, LAYER_TAR, LAYER_ZSTD, OCI_INDEX, layers_content, sha256_digest,
};
use common::*;
use std::io::Read;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::process::Command;

fn skopeo_inspect(reg: &Registry, reference: &str, raw: bool) -> serde_json::Value {
    let mut cmd = Command::new("skopeo");
    cmd.args(["--insecure-policy", "inspect", "--tls-verify=false"]);
    if raw {
        cmd.arg("--raw");
    }
    if let Some((u, p)) = reg.credentials() {
        cmd.arg(format!("--creds={u}:{p}"));
    }
    let out = cmd
        .arg(format!("docker://{}", reg.url(reference)))
        .output()
        .expect("run skopeo");
    assert!(
        out.status.success(),
        "skopeo inspect {reference}: {}",
        format_output(&out)
    );
    serde_json::from_slice(&out.stdout).expect("skopeo json")
}

#[test]
fn registry_answers_v2() {
    let reg = registry();
    let resp = reg.get("/v2/", &[]);
    assert_eq!(resp.status, 200, "{}", resp.text());
    assert_eq!(
        resp.header("Docker-Distribution-API-Version"),
        Some("registry/2.0")
    );
    assert!(reg.addr().starts_with("127.0.0.1:"));
    assert_eq!(
        reg.url("busybox:latest"),
        format!("{}/busybox:latest", reg.addr())
    );
}

#[test]
fn fixtures_are_in_catalog() {
    let catalog = registry().catalog();
    for repo in ["busybox", "layers", "multiarch"] {
        assert!(
            catalog.iter().any(|r| r == repo),
            "{repo} missing from {catalog:?}"
        );
    }
}

#[test]
fn skopeo_sees_expected_busybox_digests() {
    let reg = registry();
    let fx = reg.fixtures();
    let info = skopeo_inspect(reg, "busybox:latest", false);
    assert_eq!(info["Digest"], fx.busybox.manifest_digest.as_str());
    assert_eq!(info["Architecture"], "amd64");
    let layers: Vec<&str> = info["Layers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap())
        .collect();
    assert_eq!(layers, fx.busybox.layer_digests);

    let v2 = skopeo_inspect(reg, "busybox:v2s2", true);
    assert_eq!(v2["mediaType"], fixtures::DOCKER_MANIFEST);
    assert_eq!(
        fx.busybox_v2s2.config_digest,
        v2["config"]["digest"].as_str().unwrap()
    );
    assert_ne!(fx.busybox_v2s2.manifest_digest, fx.busybox.manifest_digest);
    // Same content: the uncompressed layer is the same whatever the manifest type.
    assert_eq!(fx.busybox_v2s2.diff_ids, fx.busybox.diff_ids);
}

#[test]
fn multiarch_index_has_three_platforms() {
    let reg = registry();
    let fx = &reg.fixtures().multiarch;
    let index = skopeo_inspect(reg, "multiarch:latest", true);
    assert_eq!(index["mediaType"], OCI_INDEX);
    let entries = index["manifests"].as_array().unwrap();
    assert_eq!(entries.len(), 3);
    for (entry, img) in entries.iter().zip(&fx.platforms) {
        assert_eq!(entry["digest"], img.manifest_digest.as_str());
        assert_eq!(entry["platform"]["architecture"], img.architecture.as_str());
    }
    let arm = fx.platform("arm", Some("v7"));
    assert_eq!(MultiArchFixture::arch_file_content(arm), "armv7");
    assert_ne!(arm.diff_ids, fx.platform("arm64", None).diff_ids);
    // The digest pinned per platform is fetchable by digest.
    let resp = reg.manifest(&fx.repo, &arm.manifest_digest);
    assert_eq!(sha256_digest(&resp.body), arm.manifest_digest);
}

#[test]
fn layers_fixture_has_the_promised_content() {
    let reg = registry();
    let fx = &reg.fixtures().layers;
    assert_eq!(fx.layer_media_types, [LAYER_GZIP, LAYER_ZSTD, LAYER_TAR]);
    // Fetch layer 2 from the registry, check the digest and read its entries.
    let resp = reg.get(
        &format!("/v2/{}/blobs/{}", fx.repo, fx.layer_digests[1]),
        &[],
    );
    assert_eq!(resp.status, 200);
    assert_eq!(sha256_digest(&resp.body), fx.layer_digests[1]);
    let mut tar_bytes = Vec::new();
    zstd::stream::read::Decoder::new(&resp.body[..])
        .unwrap()
        .read_to_end(&mut tar_bytes)
        .unwrap();
    assert_eq!(sha256_digest(&tar_bytes), fx.diff_ids[1]);
    let mut archive = tar::Archive::new(&tar_bytes[..]);
    let mut seen = Vec::new();
    for entry in archive.entries().unwrap() {
        let mut entry = entry.unwrap();
        let path = entry.path().unwrap().display().to_string();
        let header = entry.header().clone();
        match path.as_str() {
            "bin/suid" => assert_eq!(header.mode().unwrap(), 0o4755),
            "lib/hard.txt" => {
                assert_eq!(header.entry_type(), tar::EntryType::Link);
                assert_eq!(
                    entry.link_name().unwrap().unwrap().to_str(),
                    Some("lib/file.txt")
                );
            }
            "lib/abs" => assert_eq!(
                entry.link_name().unwrap().unwrap().to_str(),
                Some("/lib/file.txt")
            ),
            p if p == layers_content::OWNED_FILE => assert_eq!(header.uid().unwrap(), 1000),
            p if p == layers_content::XATTR_FILE => {
                let pax: Vec<(String, Vec<u8>)> = entry
                    .pax_extensions()
                    .unwrap()
                    .expect("pax records")
                    .map(|e| {
                        let e = e.unwrap();
                        (e.key().unwrap().to_string(), e.value_bytes().to_vec())
                    })
                    .collect();
                assert!(
                    pax.contains(&("SCHILY.xattr.user.skiff".into(), b"test".to_vec())),
                    "{pax:?}"
                );
            }
            _ => {}
        }
        seen.push(path);
    }
    for want in [
        "data/.wh.removed.txt",
        "opt/old/.wh..wh..opq",
        "lib/rel",
        "lib/hard.txt",
        "bin/suid",
    ] {
        assert!(
            seen.iter().any(|p| p == want),
            "{want} not in layer 2: {seen:?}"
        );
    }
}

#[test]
fn auth_registry_refuses_anonymous() {
    let reg = auth_registry();
    let resp = reg.get_anonymous("/v2/");
    assert_eq!(resp.status, 401);
    let challenge = resp.header("WWW-Authenticate").unwrap_or_default();
    assert!(challenge.starts_with("Basic"), "challenge: {challenge}");
    assert_eq!(
        reg.get_anonymous("/v2/private/busybox/manifests/latest")
            .status,
        401
    );
    // With credentials the fixtures are there.
    assert_eq!(reg.get("/v2/", &[]).status, 200);
    assert!(reg.catalog().contains(&"private/busybox".to_string()));
    let info = skopeo_inspect(reg, "private/busybox:latest", false);
    assert_eq!(
        info["Digest"],
        reg.fixtures().busybox.manifest_digest.as_str()
    );
}

#[test]
fn raw_tar_keeps_malicious_names() {
    let long = format!("{}/x", "d".repeat(120));
    let tar_bytes = tar_with_raw_entries(&[
        RawEntry::file("../evil", "x"),
        RawEntry::symlink("link", "/etc"),
        RawEntry::hardlink("hl", "../../etc/passwd"),
        RawEntry::char_device("dev/null", 1, 3),
        RawEntry::file(&long, "long"),
    ]);
    let mut archive = tar::Archive::new(&tar_bytes[..]);
    let entries: Vec<(Vec<u8>, tar::EntryType, Option<Vec<u8>>)> = archive
        .entries()
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let link = e.link_name_bytes().map(|l| l.into_owned());
            (e.path_bytes().into_owned(), e.header().entry_type(), link)
        })
        .collect();
    assert_eq!(entries[0].0, b"../evil");
    assert_eq!(entries[1].2.as_deref(), Some(&b"/etc"[..]));
    assert_eq!(entries[2].1, tar::EntryType::Link);
    assert_eq!(entries[2].2.as_deref(), Some(&b"../../etc/passwd"[..]));
    assert_eq!(entries[3].1, tar::EntryType::Char);
    assert_eq!(entries[4].0, long.as_bytes());
}

#[test]
fn push_raw_image_and_blob_path() {
    let reg = Registry::start(false);
    let good = gzip(&tar_with_raw_entries(&[RawEntry::file(
        "hello.txt",
        "hi\n",
    )]));
    let garbage = b"not a tar at all".to_vec();
    let img = push_raw_image(&reg, "raw/test:v1", vec![good.clone(), garbage.clone()]);
    assert_eq!((img.repo.as_str(), img.tag.as_str()), ("raw/test", "v1"));
    assert_eq!(img.layer_media_types, [LAYER_GZIP, LAYER_TAR]);
    assert_eq!(
        img.layer_digests,
        [sha256_digest(&good), sha256_digest(&garbage)]
    );
    let stored = std::fs::read(reg.blob_path(&img.layer_digests[1])).unwrap();
    assert_eq!(stored, garbage);
    assert_eq!(reg.catalog(), ["raw/test"]);
}

#[test]
fn env_runs_skiff_as_the_test_user() {
    let env = Env::new();
    let user = test_user();
    let out = env.skiff_ok(&["--version"]);
    assert!(out.contains("skiff"), "--version printed {out:?}");

    let id = env.run_as_user("id", &["-u"]);
    assert!(id.status.success(), "{}", format_output(&id));
    assert_eq!(
        String::from_utf8_lossy(&id.stdout).trim(),
        user.uid.to_string()
    );
    assert_ne!(user.uid, 0, "tests must not run skiff as root");

    for dir in [
        env.root().to_path_buf(),
        env.home(),
        env.data_dir(),
        env.runtime_dir(),
    ] {
        let meta = std::fs::metadata(&dir).unwrap();
        assert_eq!(meta.uid(), user.uid, "{}", dir.display());
        assert_eq!(
            meta.permissions().mode() & 0o777,
            0o700,
            "{}",
            dir.display()
        );
    }
    let printenv = env.run_as_user("sh", &["-c", "echo $HOME $XDG_RUNTIME_DIR $LANG"]);
    assert_eq!(
        String::from_utf8_lossy(&printenv.stdout).trim(),
        format!(
            "{} {} C.UTF-8",
            env.home().display(),
            env.runtime_dir().display()
        )
    );
    let (code, _stderr) = env.skiff_err(&["--no-such-flag-for-harness"]);
    assert_ne!(code, 0);
}

#[test]
fn env_is_removed_on_drop() {
    let env = Env::new();
    let root = env.root().to_path_buf();
    let file = env.data_dir().join("nested/file");
    env.write_user_file(&file, b"x");
    let out = env.run_as_user(
        "mkdir",
        &["-p", &env.home().join("a/b").display().to_string()],
    );
    assert!(out.status.success(), "{}", format_output(&out));
    drop(env);
    assert!(!root.exists(), "{} left behind", root.display());
}
