//! Import, save and load against a real store in a temp dir.
use std::fs;
use std::io::{Cursor, Read, Write};
use std::path::Path;

use serde_json::json;

use super::*;
use crate::config::Paths;
use crate::image::manifest::{ImageManifest, OCI_LAYER_GZIP};
use crate::storage::unpack::WhiteoutFormat;

fn test_store() -> (tempfile::TempDir, Store) {
    let d = tempfile::tempdir().unwrap();
    let paths = Paths {
        data: d.path().to_path_buf(),
        config: d.path().join("c"),
        runtime: d.path().join("r"),
    };
    let store = Store::open(&paths).unwrap();
    (d, store)
}

fn unpack_opts() -> UnpackOptions {
    UnpackOptions {
        whiteouts: WhiteoutFormat::Aufs,
        opaque_xattr: "user.overlay.opaque",
        lowers: vec![],
        ignore_chown_errors: true,
        skip_devices: true,
    }
}

/// A tar with a directory `dir/` holding the given files.
fn tar_of(dir: &str, files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    let mut h = tar::Header::new_gnu();
    h.set_entry_type(tar::EntryType::Directory);
    h.set_mode(0o755);
    h.set_size(0);
    h.set_mtime(1_600_000_000);
    b.append_data(&mut h, format!("{dir}/"), std::io::empty())
        .unwrap();
    for (name, data) in files {
        let mut h = tar::Header::new_gnu();
        h.set_mode(0o644);
        h.set_size(data.len() as u64);
        h.set_mtime(1_600_000_000);
        b.append_data(&mut h, format!("{dir}/{name}"), *data)
            .unwrap();
    }
    b.into_inner().unwrap()
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut w = compression::gzip_writer(Vec::new());
    w.write_all(data).unwrap();
    w.finish().unwrap()
}

fn import_opts<'a>(
    reference: Option<&'a Reference>,
    changes: &'a [String],
    unpack: &'a UnpackOptions,
) -> ImportOptions<'a> {
    ImportOptions {
        reference,
        changes,
        message: None,
        platform: Platform::parse("linux/amd64").unwrap(),
        unpack,
    }
}

#[test]
fn import_tarball_with_changes() {
    let (_d, store) = test_store();
    let unpack = unpack_opts();
    let tar = tar_of("etc", &[("hello", b"hello world")]);
    let r = Reference::parse("example.com/test/img:1").unwrap();
    let changes: Vec<String> = [
        "CMD [\"/bin/app\"]",
        "ENV A=1",
        "EXPOSE 8080",
        "LABEL k=v",
        "ENTRYPOINT run it",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let mut opts = import_opts(Some(&r), &changes, &unpack);
    opts.message = Some("first import");
    opts.platform = Platform::parse("linux/arm64").unwrap();
    let src = ImportSource::Reader(Box::new(Cursor::new(gzip(&tar))));
    let rec = import(&store, src, &opts).unwrap();

    assert_eq!(rec.names, vec!["example.com/test/img:1".to_string()]);
    assert_eq!(rec.diff_ids, vec![Digest::sha256_of(&tar)]);
    assert_eq!(
        (rec.architecture.as_str(), rec.variant.as_deref()),
        ("arm64", Some("v8"))
    );
    let cfg = store.config_json(&rec).unwrap();
    assert_eq!(cfg["architecture"], "arm64");
    assert_eq!(cfg["config"]["Cmd"], json!(["/bin/app"]));
    assert_eq!(
        cfg["config"]["Entrypoint"],
        json!(["/bin/sh", "-c", "run it"])
    );
    assert_eq!(cfg["config"]["Env"], json!(["A=1"]));
    assert_eq!(cfg["config"]["ExposedPorts"], json!({"8080/tcp": {}}));
    assert_eq!(cfg["config"]["Labels"], json!({"k": "v"}));
    assert_eq!(cfg["history"][0]["comment"], "first import");
    assert_eq!(
        cfg["rootfs"]["diff_ids"],
        json!([rec.diff_ids[0].to_string()])
    );

    let m: ImageManifest = serde_json::from_slice(&store.manifest_bytes(&rec).unwrap()).unwrap();
    assert_eq!(m.config.digest, rec.id);
    assert_eq!(m.layers.len(), 1);
    assert_eq!(m.layers[0].media_type, OCI_LAYER_GZIP);
    assert_eq!(
        store.blobs.size(&m.layers[0].digest),
        Some(m.layers[0].size)
    );
    let diff = store.layers.diff_dir(&rec.layers[0]);
    assert_eq!(fs::read(diff.join("etc/hello")).unwrap(), b"hello world");
    assert_eq!(
        store.resolve("example.com/test/img:1", &[]).unwrap().id,
        rec.id
    );

    // The same content as a plain tar file: same layer, different config,
    // and no Env when no --change sets one (as Docker and Podman do).
    let file = _d.path().join("rootfs.tar");
    fs::write(&file, &tar).unwrap();
    let rec2 = import(
        &store,
        ImportSource::Path(file),
        &import_opts(None, &[], &unpack),
    )
    .unwrap();
    assert_eq!(rec2.layers, rec.layers);
    assert_ne!(rec2.id, rec.id);
    assert!(rec2.names.is_empty());
    let cfg2 = store.config_json(&rec2).unwrap();
    assert_eq!(cfg2["config"], json!({}));
    assert_eq!(cfg2["history"][0]["comment"], "imported from tarball");
    assert_eq!(store.images().unwrap().len(), 2);
}

#[test]
fn import_directory_keeps_links_and_skips_sockets() {
    let (d, store) = test_store();
    let unpack = unpack_opts();
    let src = d.path().join("rootfs");
    fs::create_dir_all(src.join("etc/sub")).unwrap();
    fs::write(src.join("etc/a"), b"aaa").unwrap();
    fs::hard_link(src.join("etc/a"), src.join("etc/b")).unwrap();
    std::os::unix::fs::symlink("a", src.join("etc/c")).unwrap();
    let _sock = std::os::unix::net::UnixListener::bind(src.join("etc/sock")).unwrap();
    let rec = import(
        &store,
        ImportSource::Path(src),
        &import_opts(None, &[], &unpack),
    )
    .unwrap();

    let diff = store.layers.diff_dir(&rec.layers[0]);
    assert_eq!(fs::read(diff.join("etc/a")).unwrap(), b"aaa");
    assert_eq!(fs::read(diff.join("etc/b")).unwrap(), b"aaa");
    assert_eq!(fs::read_link(diff.join("etc/c")).unwrap(), Path::new("a"));
    assert!(diff.join("etc/sub").is_dir());
    assert!(fs::symlink_metadata(diff.join("etc/sock")).is_err());

    // The layer holds the second name as a hard link, not a second copy.
    let m: ImageManifest = serde_json::from_slice(&store.manifest_bytes(&rec).unwrap()).unwrap();
    let blob = store.blobs.open_blob(&m.layers[0].digest).unwrap();
    let plain = compression::decompress(BufReader::new(blob)).unwrap();
    let mut kinds = Vec::new();
    for e in tar::Archive::new(plain).entries().unwrap() {
        let e = e.unwrap();
        kinds.push((
            e.path().unwrap().display().to_string(),
            e.header().entry_type(),
        ));
    }
    let links = kinds
        .iter()
        .filter(|(_, k)| *k == tar::EntryType::Link)
        .count();
    assert_eq!(links, 1, "{kinds:?}");
    assert!(kinds.iter().all(|(p, _)| !p.contains("sock")));
}

#[test]
fn import_failures_leave_no_record() {
    let (_d, store) = test_store();
    let unpack = unpack_opts();
    let tar = tar_of("x", &[("f", b"f")]);
    let bad = vec!["FROM scratch".to_string()];
    let src = ImportSource::Reader(Box::new(Cursor::new(tar)));
    let e = import(&store, src, &import_opts(None, &bad, &unpack)).unwrap_err();
    assert!(e.to_string().contains("only CMD, ENTRYPOINT"), "{e}");

    let garbage = b"this is not a tar archive\n".repeat(100);
    let src = ImportSource::Reader(Box::new(Cursor::new(garbage)));
    assert!(import(&store, src, &import_opts(None, &[], &unpack)).is_err());

    let src = ImportSource::Reader(Box::new(Cursor::new(Vec::new())));
    let e = import(&store, src, &import_opts(None, &[], &unpack)).unwrap_err();
    assert!(e.to_string().contains("empty"), "{e}");

    let r = Reference::parse(
        "busybox@sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824",
    )
    .unwrap();
    let src = ImportSource::Reader(Box::new(Cursor::new(tar_of("x", &[]))));
    assert!(import(&store, src, &import_opts(Some(&r), &[], &unpack)).is_err());
    assert!(store.images().unwrap().is_empty());
}

/// A docker-archive as `docker save` writes it, by hand: two images sharing
/// a bottom layer, one layer gzip-compressed, one reached through a symlink.
fn handmade_docker_archive() -> (Vec<u8>, Digest, Digest) {
    let l1 = tar_of("base", &[("os-release", b"ID=test\n")]);
    let l2 = tar_of("app", &[("run", b"#!/bin/sh\necho hi\n")]);
    let cfg = |diffs: &[&[u8]]| {
        let ids: Vec<String> = diffs
            .iter()
            .map(|l| Digest::sha256_of(l).to_string())
            .collect();
        serde_json::to_vec(&json!({
            "architecture": "amd64", "os": "linux", "created": "2024-01-02T03:04:05Z",
            "config": {"Cmd": ["/app/run"]},
            "rootfs": {"type": "layers", "diff_ids": ids},
        }))
        .unwrap()
    };
    let c1 = cfg(&[&l1, &l2]);
    let c2 = cfg(&[&l1]);
    let (id1, id2) = (Digest::sha256_of(&c1), Digest::sha256_of(&c2));
    let manifest = json!([
        {"Config": format!("{}.json", id1.hex()), "RepoTags": ["busybox:rt"], "Layers": ["l1/layer.tar", "l2/layer.tar"]},
        {"Config": format!("{}.json", id2.hex()), "RepoTags": null, "Layers": ["dup/layer.tar"]},
    ]);
    let mut b = tar::Builder::new(Vec::new());
    let mut add = |path: &str, data: &[u8]| {
        let mut h = tar::Header::new_ustar();
        h.set_mode(0o644);
        h.set_size(data.len() as u64);
        b.append_data(&mut h, path, data).unwrap();
    };
    add(&format!("{}.json", id1.hex()), &c1);
    add(&format!("{}.json", id2.hex()), &c2);
    add("l1/layer.tar", &l1);
    add("l2/layer.tar", &gzip(&l2));
    add("manifest.json", &serde_json::to_vec(&manifest).unwrap());
    let mut h = tar::Header::new_ustar();
    h.set_entry_type(tar::EntryType::Symlink);
    h.set_size(0);
    b.append_link(&mut h, "dup/layer.tar", "../l1/layer.tar")
        .unwrap();
    (b.into_inner().unwrap(), id1, id2)
}

fn by_id(recs: &[ImageRecord], id: &Digest) -> ImageRecord {
    recs.iter()
        .find(|r| r.id == *id)
        .cloned()
        .expect("image loaded")
}

fn keep(name: &str, data: &[u8]) {
    // SKIFF_KEEP_ARCHIVES=DIR keeps what the tests write, for trying the
    // archives with skopeo or docker by hand.
    if let Ok(dir) = std::env::var("SKIFF_KEEP_ARCHIVES") {
        fs::write(Path::new(&dir).join(name), data).unwrap();
    }
}

#[test]
fn load_save_round_trip_both_formats() {
    let unpack = unpack_opts();
    let (archive, id1, id2) = handmade_docker_archive();
    let (_a, a) = test_store();
    let loaded = load(&a, &mut Cursor::new(archive), &unpack).unwrap();
    assert_eq!(loaded.len(), 2);
    let r1 = by_id(&loaded, &id1);
    let r2 = by_id(&loaded, &id2);
    assert_eq!(r1.names, vec!["docker.io/library/busybox:rt".to_string()]);
    assert!(r2.names.is_empty());
    assert_eq!(r1.layers.len(), 2);
    assert_eq!(r2.layers, r1.layers[..1]);
    assert_eq!(
        r1.created.unwrap().to_rfc3339(),
        "2024-01-02T03:04:05+00:00"
    );
    let diff = a.layers.diff_dir(&r1.layers[1]);
    assert_eq!(
        fs::read(diff.join("app/run")).unwrap(),
        b"#!/bin/sh\necho hi\n"
    );

    let busybox = Reference::parse("busybox:rt").unwrap();
    let list = vec![(r1.clone(), Some(busybox)), (r2.clone(), None)];
    for (format, name) in [
        (ArchiveFormat::DockerArchive, "docker.tar"),
        (ArchiveFormat::OciArchive, "oci.tar"),
    ] {
        let mut out = Vec::new();
        save(&a, &list, format, &mut out).unwrap();
        keep(name, &out);
        // Load it plain and gzip-compressed into fresh stores.
        for input in [out.clone(), gzip(&out)] {
            let (_b, b) = test_store();
            let back = load(&b, &mut Cursor::new(input), &unpack).unwrap();
            assert_eq!(back.len(), 2, "{name}");
            let b1 = by_id(&back, &id1);
            let b2 = by_id(&back, &id2);
            assert_eq!(b1.names, r1.names, "{name}");
            assert!(b2.names.is_empty(), "{name}");
            assert_eq!(
                (&b1.layers, &b1.diff_ids),
                (&r1.layers, &r1.diff_ids),
                "{name}"
            );
            assert_eq!(b2.layers, r2.layers, "{name}");
            if format == ArchiveFormat::OciArchive {
                // Manifests travel as they are.
                assert_eq!(b1.manifest, r1.manifest);
            }
            assert_eq!(b.images().unwrap().len(), 2);
        }
    }
}

#[test]
fn docker_archive_layout() {
    let unpack = unpack_opts();
    let (archive, id1, _) = handmade_docker_archive();
    let (_a, a) = test_store();
    let loaded = load(&a, &mut Cursor::new(archive), &unpack).unwrap();
    let r1 = by_id(&loaded, &id1);
    let list = vec![(r1.clone(), Some(Reference::parse("busybox:rt").unwrap()))];
    let mut out = Vec::new();
    save(&a, &list, ArchiveFormat::DockerArchive, &mut out).unwrap();
    let mut files = std::collections::BTreeMap::new();
    for e in tar::Archive::new(&out[..]).entries().unwrap() {
        let mut e = e.unwrap();
        let p = e.path().unwrap().display().to_string();
        let mut data = Vec::new();
        e.read_to_end(&mut data).unwrap();
        files.insert(p, data);
    }
    let m: serde_json::Value = serde_json::from_slice(&files["manifest.json"]).unwrap();
    let l0 = format!("{}/layer.tar", r1.diff_ids[0].hex());
    let l1 = format!("{}/layer.tar", r1.diff_ids[1].hex());
    assert_eq!(
        m,
        json!([{"Config": format!("{}.json", id1.hex()), "RepoTags": ["busybox:rt"], "Layers": [l0, l1]}])
    );
    // Layers are uncompressed and hash to their diff IDs.
    assert_eq!(Digest::sha256_of(&files[&l1]), r1.diff_ids[1]);
    assert_eq!(
        Digest::sha256_of(&files[&format!("{}.json", id1.hex())]),
        id1
    );
    let repos: serde_json::Value = serde_json::from_slice(&files["repositories"]).unwrap();
    assert_eq!(repos, json!({"busybox": {"rt": r1.diff_ids[1].hex()}}));
}

/// Flips one byte in the middle of the data of the archive entry `path`.
fn corrupt(archive: &mut [u8], path: &str) {
    let mut pos = None;
    for e in tar::Archive::new(&archive[..]).entries().unwrap() {
        let e = e.unwrap();
        if e.path().unwrap() == Path::new(path) {
            pos = Some(e.raw_file_position() + e.size() / 2);
        }
    }
    let pos = pos.expect("entry present") as usize;
    archive[pos] ^= 0xff;
}

#[test]
fn corrupted_blobs_are_refused_without_records() {
    let unpack = unpack_opts();
    let (archive, id1, _) = handmade_docker_archive();
    let (_a, a) = test_store();
    let loaded = load(&a, &mut Cursor::new(archive.clone()), &unpack).unwrap();
    let r1 = by_id(&loaded, &id1);
    let list = vec![(r1.clone(), Some(Reference::parse("busybox:rt").unwrap()))];

    let mut oci = Vec::new();
    save(&a, &list, ArchiveFormat::OciArchive, &mut oci).unwrap();
    let m: ImageManifest = serde_json::from_slice(&a.manifest_bytes(&r1).unwrap()).unwrap();
    corrupt(
        &mut oci,
        &format!("blobs/sha256/{}", m.layers[1].digest.hex()),
    );
    let (_b, b) = test_store();
    let e = load(&b, &mut Cursor::new(oci), &unpack).unwrap_err();
    assert!(e.to_string().contains("digest mismatch"), "{e}");
    assert!(b.images().unwrap().is_empty());

    let mut docker = archive;
    corrupt(&mut docker, "l1/layer.tar");
    let (_c, c) = test_store();
    let e = load(&c, &mut Cursor::new(docker), &unpack).unwrap_err();
    assert!(e.to_string().contains("expects"), "{e}");
    assert!(c.images().unwrap().is_empty());

    let (_d, d) = test_store();
    let e = load(&d, &mut Cursor::new(tar_of("x", &[("y", b"z")])), &unpack).unwrap_err();
    assert!(e.to_string().contains("not an image archive"), "{e}");
}

#[test]
fn oci_tag_only_ref_name_loads_untagged() {
    let unpack = unpack_opts();
    let (archive, id1, _) = handmade_docker_archive();
    let (_a, a) = test_store();
    let r1 = by_id(&load(&a, &mut Cursor::new(archive), &unpack).unwrap(), &id1);
    let mut out = Vec::new();
    let list = vec![(r1.clone(), Some(Reference::parse("busybox:rt").unwrap()))];
    save(&a, &list, ArchiveFormat::OciArchive, &mut out).unwrap();
    // Rewrite index.json as skopeo writes it for `oci-archive:f.tar:rt`.
    let mut b = tar::Builder::new(Vec::new());
    for e in tar::Archive::new(&out[..]).entries().unwrap() {
        let mut e = e.unwrap();
        let p = e.path().unwrap().into_owned();
        let mut data = Vec::new();
        e.read_to_end(&mut data).unwrap();
        if p == Path::new("index.json") {
            let mut idx: serde_json::Value = serde_json::from_slice(&data).unwrap();
            idx["manifests"][0]["annotations"] = json!({"org.opencontainers.image.ref.name": "rt"});
            data = serde_json::to_vec(&idx).unwrap();
        }
        let mut h = e.header().clone();
        h.set_size(data.len() as u64);
        b.append_data(&mut h, &p, &data[..]).unwrap();
    }
    let edited = b.into_inner().unwrap();
    let (_b, bs) = test_store();
    let back = load(&bs, &mut Cursor::new(edited.clone()), &unpack).unwrap();
    assert_eq!(back.len(), 1);
    assert_eq!(back[0].id, id1);
    assert!(back[0].names.is_empty());
    // Into a store that has the image under a name: the name stays, and the
    // result reports only what the archive named (nothing).
    let again = load(&a, &mut Cursor::new(edited), &unpack).unwrap();
    assert!(again[0].names.is_empty());
    assert_eq!(a.resolve("busybox:rt", &[]).unwrap().id, id1);
}
