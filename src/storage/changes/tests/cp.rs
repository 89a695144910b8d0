//! `cp` both ways: Docker's naming rules, and that nothing in the container
//! (symlinks, archive names, hardlinks) reaches outside its root.
use std::fs;
use std::io::Write;
use std::os::unix::fs::{MetadataExt, symlink};
use std::path::Path;

use super::super::cp::{CpPath, Dest, Plan, plan};
use super::super::*;
use super::{list_tar, names, write};

/// A container root with symlinks that point outside it, and a host dir
/// (outside the root) holding a secret.
struct Fixture {
    _d: tempfile::TempDir,
    root: std::path::PathBuf,
    host: std::path::PathBuf,
}

fn fixture() -> Fixture {
    let d = tempfile::tempdir().unwrap();
    let root = d.path().join("root");
    let host = d.path().join("host");
    write(&host.join("secret"), "host secret");
    write(&root.join("etc/passwd"), "inside");
    write(&root.join("etc/hostname"), "box");
    write(&root.join("dir/a"), "a");
    write(&root.join("dir/sub/b"), "b");
    symlink("/", root.join("escape")).unwrap();
    symlink("../../../../../../..", root.join("rel")).unwrap();
    symlink(&host, root.join("hostlink")).unwrap();
    symlink("/etc/passwd", root.join("pwlink")).unwrap();
    symlink("../../../../etc/passwd", root.join("dir/up")).unwrap();
    Fixture { _d: d, root, host }
}

fn tar_of(root: &Path, src: &str) -> Result<Vec<u8>, ChangesError> {
    let mut out = Vec::new();
    tar_from_root(root, src, &mut out).map(|()| out)
}

#[test]
fn cp_paths_parse_like_docker() {
    let p = CpPath::parse(b"/a/b/../c/");
    assert_eq!(p.comps, [b"a".to_vec(), b"c".to_vec()]);
    assert!(p.slash && !p.contents);
    let p = CpPath::parse(b"dir/.");
    assert_eq!(p.comps, [b"dir".to_vec()]);
    assert!(p.contents && !p.slash);
    assert!(CpPath::parse(b"/").comps.is_empty());
    assert!(
        CpPath::parse(b"/../..").comps.is_empty(),
        "`..` above the root stays at the root"
    );
}

#[test]
fn cp_plan_follows_dockers_rules() {
    let file = CpPath::parse(b"/src/f");
    let dir = CpPath::parse(b"/src/d");
    let contents = CpPath::parse(b"/src/d/.");
    let dest = CpPath::parse(b"/dst");
    let dest_slash = CpPath::parse(b"/dst/");
    let missing = Dest::Missing { parent_dir: true };
    assert_eq!(
        plan(&file, false, &dest, Dest::Dir).unwrap(),
        Plan::Into(b"f".to_vec())
    );
    assert_eq!(
        plan(&dir, true, &dest, Dest::Dir).unwrap(),
        Plan::Into(b"d".to_vec())
    );
    assert_eq!(
        plan(&contents, true, &dest, Dest::Dir).unwrap(),
        Plan::Into(b".".to_vec())
    );
    assert_eq!(
        plan(&file, false, &dest, Dest::File).unwrap(),
        Plan::Replace
    );
    assert_eq!(plan(&file, false, &dest, missing).unwrap(), Plan::Replace);
    assert_eq!(plan(&dir, true, &dest, missing).unwrap(), Plan::Replace);
    assert_eq!(
        plan(&dir, true, &dest_slash, missing).unwrap(),
        Plan::Replace
    );
    assert!(matches!(
        plan(&dir, true, &dest, Dest::File),
        Err(ChangesError::DirToFile { .. })
    ));
    assert!(matches!(
        plan(&file, false, &dest_slash, Dest::File),
        Err(ChangesError::NotADirectory(_))
    ));
    let e = plan(&file, false, &dest_slash, missing).unwrap_err();
    assert!(
        matches!(&e, ChangesError::NoSuchDirectory(p) if p == "/dst"),
        "{e}"
    );
    let e = plan(
        &file,
        false,
        &CpPath::parse(b"/no/dst"),
        Dest::Missing { parent_dir: false },
    )
    .unwrap_err();
    assert!(
        matches!(&e, ChangesError::NoSuchDirectory(p) if p == "/no"),
        "{e}"
    );
}

#[test]
fn tar_from_root_names_entries_like_docker() {
    let f = fixture();
    let l = list_tar(&tar_of(&f.root, "/etc/passwd").unwrap());
    assert_eq!(names(&l), ["passwd"]);
    assert_eq!(l[0].4, "inside");
    let l = list_tar(&tar_of(&f.root, "dir").unwrap());
    assert_eq!(
        names(&l),
        ["dir/", "dir/a", "dir/sub/", "dir/sub/b", "dir/up"]
    );
    let l = list_tar(&tar_of(&f.root, "/dir/.").unwrap());
    assert_eq!(names(&l), ["./", "./a", "./sub/", "./sub/b", "./up"]);
    let l = list_tar(&tar_of(&f.root, "/pwlink").unwrap());
    assert_eq!((l[0].1, l[0].4.as_str()), ('l', "/etc/passwd"));
    assert!(matches!(tar_of(&f.root, "/nope"), Err(ChangesError::NotFound(p)) if p == "/nope"));
    assert!(matches!(
        tar_of(&f.root, "/etc/passwd/"),
        Err(ChangesError::NotADirectory(_))
    ));
}

#[test]
fn tar_from_root_never_leaves_the_root() {
    let f = fixture();
    for src in [
        "/escape/etc/passwd",
        "/rel/etc/passwd",
        "/dir/sub/../../escape/etc/passwd",
    ] {
        let l = list_tar(&tar_of(&f.root, src).unwrap());
        assert_eq!(l[0].4, "inside", "{src}");
    }
    // The host dir the symlink names does not exist inside the root.
    assert!(matches!(
        tar_of(&f.root, "/hostlink/secret"),
        Err(ChangesError::NotFound(_))
    ));
    assert!(matches!(
        tar_of(&f.root, "/hostlink/"),
        Err(ChangesError::NotFound(_))
    ));
    let mut out = Vec::new();
    let e = tar_from_root_following(&f.root, "/hostlink", &mut out).unwrap_err();
    assert!(matches!(e, ChangesError::NotFound(_)), "{e}");
    // -L follows, inside the root.
    for src in ["/pwlink", "/dir/up"] {
        let mut out = Vec::new();
        tar_from_root_following(&f.root, src, &mut out).unwrap();
        let l = list_tar(&out);
        assert_eq!((l[0].1, l[0].4.as_str()), ('f', "inside"), "{src}");
    }
}

/// A tar whose names the `tar` crate would refuse to write.
fn raw_tar(entries: &[(tar::EntryType, &str, &str, &str)]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for (kind, name, link, data) in entries {
        let mut h = tar::Header::new_gnu();
        h.as_old_mut().name[..name.len()].copy_from_slice(name.as_bytes());
        h.as_old_mut().linkname[..link.len()].copy_from_slice(link.as_bytes());
        h.set_entry_type(*kind);
        h.set_size(data.len() as u64);
        h.set_mode(if kind.is_dir() { 0o755 } else { 0o644 });
        h.set_uid(crate::sys::real_uid() as u64);
        h.set_gid(crate::sys::real_gid() as u64);
        h.set_mtime(1_600_000_000);
        h.set_cksum();
        b.append(&h, data.as_bytes()).unwrap();
    }
    b.into_inner().unwrap()
}

#[test]
fn untar_into_root_stays_inside() {
    use tar::EntryType::{Link, Regular, Symlink};
    let f = fixture();
    let e = untar_into_root(
        &f.root,
        "/",
        &mut raw_tar(&[(Regular, "../evil", "", "x")]).as_slice(),
    )
    .unwrap_err();
    assert!(matches!(e, ChangesError::Escape(_)), "{e}");
    // A symlink to / from the archive, then a file through it.
    let tar = raw_tar(&[(Symlink, "l", "/", ""), (Regular, "l/pwned", "", "x")]);
    untar_into_root(&f.root, "/", &mut tar.as_slice()).unwrap();
    assert_eq!(fs::read_to_string(f.root.join("pwned")).unwrap(), "x");
    // Into a directory that is a symlink to a host path: not there inside.
    let e = untar_into_root(
        &f.root,
        "/hostlink",
        &mut raw_tar(&[(Regular, "x", "", "x")]).as_slice(),
    )
    .unwrap_err();
    assert!(matches!(e, ChangesError::NoSuchDirectory(_)), "{e}");
    assert!(!f.host.join("x").exists());
    // Through the container's own absolute symlink: lands inside.
    untar_into_root(
        &f.root,
        "/escape/dir",
        &mut raw_tar(&[(Regular, "y", "", "y")]).as_slice(),
    )
    .unwrap();
    assert_eq!(fs::read_to_string(f.root.join("dir/y")).unwrap(), "y");
    // A hardlink to an absolute path links the container's file.
    let tar = raw_tar(&[(Link, "hl", "/etc/passwd", "")]);
    untar_into_root(&f.root, "/", &mut tar.as_slice()).unwrap();
    let (a, b) = (
        fs::metadata(f.root.join("hl")).unwrap(),
        fs::metadata(f.root.join("etc/passwd")).unwrap(),
    );
    assert_eq!(a.ino(), b.ino());
    assert_eq!(
        fs::read_to_string(f.host.join("secret")).unwrap(),
        "host secret"
    );
}

#[test]
fn untar_into_root_is_not_a_layer() {
    use tar::EntryType::{Directory, Regular};
    let f = fixture();
    // `.wh.` names are files, not deletions.
    let tar = raw_tar(&[(Regular, "dir/.wh.a", "", "")]);
    untar_into_root(&f.root, "/", &mut tar.as_slice()).unwrap();
    assert!(f.root.join("dir/a").exists() && f.root.join("dir/.wh.a").exists());
    // A directory is never replaced by a file, nor the other way round.
    let e = untar_into_root(
        &f.root,
        "/",
        &mut raw_tar(&[(Regular, "dir", "", "x")]).as_slice(),
    )
    .unwrap_err();
    assert!(
        e.to_string().contains("cannot overwrite directory /dir"),
        "{e}"
    );
    assert!(f.root.join("dir/sub/b").exists());
    let e = untar_into_root(
        &f.root,
        "/",
        &mut raw_tar(&[(Directory, "etc/passwd", "", "")]).as_slice(),
    )
    .unwrap_err();
    assert!(matches!(e, ChangesError::Overwrite { .. }), "{e}");
    // A file replaces a file; a gzip stream is fine.
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(&raw_tar(&[(Regular, "etc/hostname", "", "new")]))
        .unwrap();
    untar_into_root(&f.root, "/", &mut gz.finish().unwrap().as_slice()).unwrap();
    assert_eq!(
        fs::read_to_string(f.root.join("etc/hostname")).unwrap(),
        "new"
    );
}

#[test]
fn copy_into_root_follows_dockers_rules() {
    let f = fixture();
    let src = f.host.join("src");
    write(&src.join("one"), "1");
    write(&src.join("deep/two"), "2");
    let file = f.host.join("secret");
    let r = &f.root;
    let read = |p: &str| fs::read_to_string(r.join(p)).unwrap();
    copy_into_root(&file, r, "/etc").unwrap();
    assert_eq!(read("etc/secret"), "host secret");
    copy_into_root(&file, r, "/etc/renamed").unwrap();
    assert_eq!(read("etc/renamed"), "host secret");
    copy_into_root(&file, r, "/etc/passwd").unwrap();
    assert_eq!(read("etc/passwd"), "host secret");
    copy_into_root(&src, r, "/opt").unwrap();
    assert_eq!(read("opt/deep/two"), "2");
    copy_into_root(&src, r, "/etc").unwrap();
    assert_eq!(read("etc/src/one"), "1");
    copy_into_root(Path::new(&format!("{}/.", src.display())), r, "/dir").unwrap();
    assert_eq!(read("dir/one"), "1");
    assert_eq!(read("dir/a"), "a");
    assert!(matches!(
        copy_into_root(&src, r, "/etc/passwd"),
        Err(ChangesError::DirToFile { .. })
    ));
    assert!(
        matches!(copy_into_root(&file, r, "/nope/x"), Err(ChangesError::NoSuchDirectory(p)) if p == "/nope")
    );
    assert!(matches!(
        copy_into_root(&file, r, "/newdir/"),
        Err(ChangesError::NoSuchDirectory(_))
    ));
    let slashed = format!("{}/", file.display());
    let e = copy_into_root(Path::new(&slashed), r, "/etc").unwrap_err();
    assert!(matches!(e, ChangesError::NotADirectory(_)), "{e}");
    // The container's symlinks resolve inside it.
    copy_into_root(&file, r, "/escape/dir/").unwrap();
    assert_eq!(read("dir/secret"), "host secret");
    assert!(matches!(
        copy_into_root(&file, r, "/hostlink/"),
        Err(ChangesError::NoSuchDirectory(_))
    ));
    assert!(!f.host.join("secret").is_dir() && fs::read_dir(&f.host).unwrap().count() == 2);
}

#[test]
fn copy_into_root_sets_owners() {
    if crate::sys::effective_uid() != 0 {
        eprintln!("note: owner test needs root; skipped");
        return;
    }
    let f = fixture();
    let file = f.host.join("secret");
    std::os::unix::fs::lchown(&file, Some(1234), Some(4321)).unwrap();
    copy_into_root(&file, &f.root, "/plain").unwrap();
    let m = fs::metadata(f.root.join("plain")).unwrap();
    assert_eq!((m.uid(), m.gid()), (0, 0));
    let a = CpOptions {
        archive: true,
        follow_link: false,
    };
    copy_into_root_with(&file, &f.root, "/kept", a).unwrap();
    let m = fs::metadata(f.root.join("kept")).unwrap();
    assert_eq!((m.uid(), m.gid()), (1234, 4321));
}

#[test]
fn copy_out_of_root_follows_dockers_rules() {
    let f = fixture();
    let out = f.host.join("out");
    fs::create_dir(&out).unwrap();
    let r = &f.root;
    let read = |p: &Path| fs::read_to_string(p).unwrap();
    copy_out_of_root(r, "/etc/passwd", &out).unwrap();
    assert_eq!(read(&out.join("passwd")), "inside");
    copy_out_of_root(r, "/dir", &out.join("copy")).unwrap();
    assert_eq!(read(&out.join("copy/sub/b")), "b");
    copy_out_of_root(r, "/dir/.", &out).unwrap();
    assert_eq!(read(&out.join("a")), "a");
    copy_out_of_root(r, "/rel/etc/hostname", &out.join("h")).unwrap();
    assert_eq!(read(&out.join("h")), "box");
    // A symlink is copied as the link, or followed inside the root with -L.
    copy_out_of_root(r, "/pwlink", &out.join("pl")).unwrap();
    assert_eq!(
        fs::read_link(out.join("pl")).unwrap(),
        Path::new("/etc/passwd")
    );
    let follow = CpOptions {
        archive: false,
        follow_link: true,
    };
    copy_out_of_root_with(r, "/pwlink", &out.join("pf"), follow).unwrap();
    assert_eq!(read(&out.join("pf")), "inside");
    assert!(matches!(
        copy_out_of_root(r, "/dir", &out.join("passwd")),
        Err(ChangesError::DirToFile { .. })
    ));
    let e = copy_out_of_root(r, "/etc/passwd", &out.join("no/such")).unwrap_err();
    assert!(
        matches!(&e, ChangesError::NoSuchDirectory(p) if p.ends_with("out/no")),
        "{e}"
    );
    assert!(matches!(
        copy_out_of_root(r, "/nope", &out),
        Err(ChangesError::NotFound(_))
    ));
    // dir/up (-> ../../../../etc/passwd) stays a symlink on the host; its
    // copy never made a file appear outside `out`.
    assert_eq!(
        fs::read_link(out.join("up")).unwrap(),
        Path::new("../../../../etc/passwd")
    );
}
