//! diff, layer tars and export. Trees are built in temp dirs; aufs-form
//! uppers need no privilege, the kernel overlay test runs as root only.
use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt, symlink};
use std::path::{Path, PathBuf};

use super::lowers::{Class, classify, opaque_value};
use super::*;
use crate::storage::rootfs;

mod cp;

fn set_mtime(p: &Path, secs: i64) {
    let t = filetime::FileTime::from_unix_time(secs, 0);
    filetime::set_symlink_file_times(p, t, t).unwrap();
}

fn write(p: &Path, data: &str) {
    if let Some(parent) = p.parent() {
        fs::create_dir_all(parent).unwrap();
    }
    fs::write(p, data).unwrap();
}

/// Two aufs-form image layers, top first.
fn image(base: &Path) -> Vec<PathBuf> {
    let (top, bottom) = (base.join("top"), base.join("bottom"));
    write(&bottom.join("etc/passwd"), "root\n");
    write(&bottom.join("etc/group"), "root\n");
    write(&bottom.join("usr/bin/tool"), "tool");
    write(&bottom.join("var/cache/a"), "a");
    write(&bottom.join("var/cache/b"), "b");
    write(&bottom.join("var/cache/keep"), "keep");
    write(&bottom.join("deleted-below"), "x");
    write(&top.join("etc/hostname"), "box");
    write(&top.join(".wh.deleted-below"), "");
    for p in [
        "etc/passwd",
        "etc/group",
        "etc",
        "usr/bin/tool",
        "usr/bin",
        "usr",
        "var/cache",
        "var",
    ] {
        set_mtime(&bottom.join(p), 1_000_000);
    }
    set_mtime(&top.join("etc"), 1_000_000);
    vec![top, bottom]
}

fn strs(v: &[(ChangeKind, String)]) -> Vec<String> {
    v.iter().map(|(k, p)| format!("{k} {p}")).collect()
}

#[test]
fn kinds_display_like_docker() {
    assert_eq!(
        format!(
            "{} {} {}",
            ChangeKind::Added,
            ChangeKind::Changed,
            ChangeKind::Deleted
        ),
        "A C D"
    );
}

#[test]
fn whiteouts_classify_per_format() {
    use crate::storage::unpack::WhiteoutFormat::{Aufs, Overlay};
    assert_eq!(classify(b"x", true, Overlay), Class::Whiteout(b"x"));
    assert_eq!(classify(b"x", true, Aufs), Class::Whiteout(b"x"));
    assert_eq!(classify(b".wh.x", false, Overlay), Class::Entry);
    assert_eq!(classify(b".wh.x", false, Aufs), Class::Whiteout(b"x"));
    assert_eq!(classify(b".wh..wh..opq", false, Aufs), Class::OpaqueMarker);
    assert_eq!(classify(b".wh..wh.plnk", false, Aufs), Class::AufsMeta);
    assert_eq!(classify(b".wh.", false, Aufs), Class::Entry);
    assert_eq!(classify(b".wh...", false, Aufs), Class::Entry);
    assert_eq!(classify(b"x.wh.y", false, Aufs), Class::Entry);
    assert!(opaque_value(Some(b"y")));
    assert!(!opaque_value(Some(b"x")) && !opaque_value(Some(b"n")) && !opaque_value(None));
}

/// An aufs-form upper (what fuse-overlayfs leaves) over `image`.
fn aufs_upper(base: &Path) -> PathBuf {
    let up = base.join("upper");
    write(&up.join("etc/passwd"), "root\nuser\n"); // changed
    set_mtime(&up.join("etc"), 1_000_000); // copied up, unchanged itself
    write(&up.join("etc/new.conf"), "n"); // added
    write(&up.join(".wh.etc.old"), ""); // whiteout of nothing: not reported
    write(&up.join("usr/bin/.wh.tool"), ""); // deleted
    set_mtime(&up.join("usr/bin"), 1_000_000);
    set_mtime(&up.join("usr"), 1_000_000);
    write(&up.join("var/cache/.wh..wh..opq"), ""); // rm -rf cache; mkdir cache
    write(&up.join("var/cache/keep"), "keep");
    write(&up.join("var/cache/c"), "c");
    set_mtime(&up.join("var/cache/keep"), 1_700_000_000);
    write(&up.join("opt/app/bin"), "bin"); // a new tree
    write(&up.join("deleted-below"), "again"); // deleted in the image, now back
    write(&up.join(".wh..wh.plnk"), "");
    up
}

#[test]
fn diff_of_an_aufs_upper() {
    let d = tempfile::tempdir().unwrap();
    let lowers = image(d.path());
    let up = aufs_upper(d.path());
    let got = diff(&up, &lowers, WhiteoutFormat::Aufs, "user.overlay.opaque").unwrap();
    assert_eq!(
        strs(&got),
        [
            "A /deleted-below",
            "C /etc",
            "A /etc/new.conf",
            "C /etc/passwd",
            "A /opt",
            "A /opt/app",
            "A /opt/app/bin",
            "C /usr",
            "C /usr/bin",
            "D /usr/bin/tool",
            "C /var",
            "C /var/cache",
            "D /var/cache/a",
            "D /var/cache/b",
            "A /var/cache/c",
            "C /var/cache/keep",
        ]
    );
}

#[test]
fn diff_reports_changed_directory_metadata() {
    let d = tempfile::tempdir().unwrap();
    let lowers = image(d.path());
    let up = d.path().join("upper");
    fs::create_dir_all(up.join("etc")).unwrap();
    fs::set_permissions(up.join("etc"), fs::Permissions::from_mode(0o700)).unwrap();
    fs::create_dir_all(up.join("usr")).unwrap();
    set_mtime(&up.join("usr"), 1_000_000);
    let got = diff(&up, &lowers, WhiteoutFormat::Aufs, "").unwrap();
    assert_eq!(strs(&got), ["C /etc"]);
}

/// `prepare(Vfs)` then changes made straight in the copy.
fn vfs_container(base: &Path) -> rootfs::RootfsLayout {
    let lowers = image(base);
    let c = base.join("ctr");
    fs::create_dir(&c).unwrap();
    let l = rootfs::RootfsLayout::in_dir(&c, lowers);
    rootfs::prepare(Driver::Vfs, &l, false).unwrap();
    let u = &l.upper;
    fs::write(u.join("etc/passwd"), "root\nuser\n").unwrap();
    fs::remove_file(u.join("usr/bin/tool")).unwrap();
    fs::remove_dir_all(u.join("var/cache")).unwrap();
    write(&u.join("opt/app/bin"), "bin");
    fs::set_permissions(u.join("usr"), fs::Permissions::from_mode(0o700)).unwrap();
    l
}

#[test]
fn diff_full_compares_a_whole_copy() {
    let d = tempfile::tempdir().unwrap();
    let l = vfs_container(d.path());
    let got = diff_container(Driver::Vfs, &l, false).unwrap();
    assert_eq!(
        strs(&got),
        [
            "C /etc",
            "C /etc/passwd",
            "A /opt",
            "A /opt/app",
            "A /opt/app/bin",
            "C /usr",
            "C /usr/bin",
            "D /usr/bin/tool",
            "C /var",
            "D /var/cache",
        ]
    );
    // Nothing changed: nothing reported.
    let d2 = tempfile::tempdir().unwrap();
    let lowers = image(d2.path());
    let l2 = rootfs::RootfsLayout::in_dir(d2.path(), lowers);
    rootfs::prepare(Driver::Vfs, &l2, false).unwrap();
    assert!(diff_full(&l2.upper, &l2.lowers).unwrap().is_empty());
}

/// Entry name -> (type, mode, uid, link name or content), in archive order.
type Listing = Vec<(String, char, u32, u64, String)>;

fn list_tar(bytes: &[u8]) -> Listing {
    let mut a = tar::Archive::new(bytes);
    let mut out = Vec::new();
    for e in a.entries().unwrap() {
        let mut e = e.unwrap();
        let h = e.header().clone();
        let name = String::from_utf8(e.path_bytes().into_owned()).unwrap();
        let kind = match h.entry_type() {
            tar::EntryType::Directory => 'd',
            tar::EntryType::Regular => 'f',
            tar::EntryType::Symlink => 'l',
            tar::EntryType::Link => 'h',
            tar::EntryType::Fifo => 'p',
            tar::EntryType::Char => 'c',
            _ => '?',
        };
        let extra = match kind {
            'l' | 'h' => String::from_utf8(e.link_name_bytes().unwrap().into_owned()).unwrap(),
            _ => {
                let mut s = String::new();
                std::io::Read::read_to_string(&mut e, &mut s).unwrap();
                s
            }
        };
        out.push((name, kind, h.mode().unwrap(), h.mtime().unwrap(), extra));
    }
    out
}

fn names(l: &Listing) -> Vec<&str> {
    l.iter().map(|e| e.0.as_str()).collect()
}

#[test]
fn layer_tar_of_an_aufs_upper() {
    let d = tempfile::tempdir().unwrap();
    let up = aufs_upper(d.path());
    fs::hard_link(up.join("etc/new.conf"), up.join("etc/new-link")).unwrap();
    symlink("../etc/passwd", up.join("opt/pw")).unwrap();
    let long = "d".repeat(120) + "/" + &"f".repeat(150);
    write(&up.join(&long), "long");
    fs::set_permissions(up.join("etc/passwd"), fs::Permissions::from_mode(0o4755)).unwrap();
    let mut out = Vec::new();
    layer_tar(&up, WhiteoutFormat::Aufs, "user.overlay.opaque", &mut out).unwrap();
    let l = list_tar(&out);
    let long_dir = format!("{}/", "d".repeat(120));
    assert_eq!(
        names(&l),
        [
            ".wh.etc.old",
            "d".repeat(120).as_str(),
            long.as_str(),
            "deleted-below",
            "etc/",
            "etc/new-link",
            "etc/new.conf",
            "etc/passwd",
            "opt/",
            "opt/app/",
            "opt/app/bin",
            "opt/pw",
            "usr/",
            "usr/bin/",
            "usr/bin/.wh.tool",
            "var/",
            "var/cache/",
            "var/cache/.wh..wh..opq",
            "var/cache/c",
            "var/cache/keep",
        ]
        .map(|s| if s == "d".repeat(120) {
            long_dir.as_str()
        } else {
            s
        })
    );
    let by_name: BTreeMap<&str, _> = l.iter().map(|e| (e.0.as_str(), e)).collect();
    // The second name of a hardlinked file is a link to the first written.
    assert_eq!(by_name["etc/new.conf"].1, 'h');
    assert_eq!(by_name["etc/new.conf"].4, "etc/new-link");
    assert_eq!(by_name["etc/new-link"].4, "n");
    assert_eq!(by_name["etc/passwd"].2, 0o4755);
    assert_eq!(by_name["opt/pw"].1, 'l');
    assert_eq!(by_name["opt/pw"].4, "../etc/passwd");
    assert_eq!(by_name["var/cache/keep"].3, 1_700_000_000);
    assert_eq!(by_name[long.as_str()].4, "long");
    // Deterministic.
    let mut again = Vec::new();
    layer_tar(&up, WhiteoutFormat::Aufs, "user.overlay.opaque", &mut again).unwrap();
    assert_eq!(out, again);
}

/// What a tree holds, for comparing two trees: path -> kind, mode, content.
fn snapshot(root: &Path) -> BTreeMap<String, String> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, String>) {
        let mut ents: Vec<_> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        ents.sort();
        for p in ents {
            let m = fs::symlink_metadata(&p).unwrap();
            let rel = p.strip_prefix(root).unwrap().display().to_string();
            let v = if m.is_dir() {
                walk(root, &p, out);
                format!("dir {:o}", m.mode() & 0o7777)
            } else if m.file_type().is_symlink() {
                format!("link {}", fs::read_link(&p).unwrap().display())
            } else {
                format!(
                    "file {:o} {}",
                    m.mode() & 0o7777,
                    fs::read_to_string(&p).unwrap()
                )
            };
            out.insert(rel, v);
        }
    }
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}

#[test]
fn committed_layer_recreates_the_container_view() {
    let d = tempfile::tempdir().unwrap();
    let lowers = image(d.path());
    let up = aufs_upper(d.path());
    let mut tar = Vec::new();
    layer_tar(&up, WhiteoutFormat::Aufs, "", &mut tar).unwrap();
    // Merged view of the container: vfs copy of upper-as-a-layer over the image.
    let expected_l = rootfs::RootfsLayout::in_dir(
        &d.path().join("expected"),
        [vec![up.clone()], lowers.clone()].concat(),
    );
    fs::create_dir(d.path().join("expected")).unwrap();
    rootfs::prepare(Driver::Vfs, &expected_l, false).unwrap();
    // The committed layer unpacked on its own, then stacked the same way.
    let layer = d.path().join("layer");
    fs::create_dir(&layer).unwrap();
    let mut opts = crate::storage::unpack::UnpackOptions::new(WhiteoutFormat::Aufs, false);
    opts.ignore_chown_errors = true;
    crate::storage::unpack::unpack(tar.as_slice(), &layer, &opts).unwrap();
    let got_l = rootfs::RootfsLayout::in_dir(&d.path().join("got"), [vec![layer], lowers].concat());
    fs::create_dir(d.path().join("got")).unwrap();
    rootfs::prepare(Driver::Vfs, &got_l, false).unwrap();
    let (want, got) = (snapshot(&expected_l.upper), snapshot(&got_l.upper));
    assert_eq!(want, got);
    assert!(got.contains_key("var/cache/c") && !got.contains_key("var/cache/a"));
    assert!(!got.contains_key("usr/bin/tool"));
}

#[test]
fn vfs_layer_tar_holds_the_changes() {
    let d = tempfile::tempdir().unwrap();
    let l = vfs_container(d.path());
    let mut tar = Vec::new();
    layer_tar_container(Driver::Vfs, &l, false, &mut tar).unwrap();
    let listing = list_tar(&tar);
    assert_eq!(
        names(&listing),
        [
            "etc/",
            "etc/passwd",
            "opt/",
            "opt/app/",
            "opt/app/bin",
            "usr/",
            "usr/bin/",
            "usr/bin/.wh.tool",
            "var/",
            "var/.wh.cache",
        ]
    );
    assert_eq!(listing[1].4, "root\nuser\n");
    assert_eq!(listing[5].2, 0o700);
    let mut again = Vec::new();
    layer_tar_container(Driver::Vfs, &l, false, &mut again).unwrap();
    assert_eq!(tar, again);
}

#[test]
fn export_archives_everything_but_sockets() {
    let d = tempfile::tempdir().unwrap();
    let r = d.path().join("root");
    write(&r.join("b/file"), "f");
    write(&r.join("a"), "a");
    symlink("/nonexistent/target", r.join("dangling")).unwrap();
    symlink("/", r.join("slash")).unwrap();
    fs::hard_link(r.join("a"), r.join("b/a-again")).unwrap();
    nix::unistd::mkfifo(
        &r.join("fifo"),
        nix::sys::stat::Mode::from_bits_truncate(0o600),
    )
    .unwrap();
    let _sock = std::os::unix::net::UnixListener::bind(r.join("sock")).unwrap();
    let mut out = Vec::new();
    export_tar(&r, &mut out).unwrap();
    let l = list_tar(&out);
    assert_eq!(
        names(&l),
        [
            "a",
            "b/",
            "b/a-again",
            "b/file",
            "dangling",
            "fifo",
            "slash"
        ]
    );
    let kinds: String = l.iter().map(|e| e.1).collect();
    assert_eq!(kinds, "fdhflpl");
    assert_eq!(l[2].4, "a");
    assert_eq!(l[6].4, "/");
}

/// Makes the container's changes through a kernel overlay, then checks
/// `diff`, and that the committed layer over the image shows the same tree.
fn kernel_overlay_roundtrip(rootless: bool) -> std::io::Result<()> {
    let d = tempfile::tempdir()?;
    let lowers = image(d.path());
    // The image in overlay form: the top layer's aufs whiteout as 0:0.
    fs::remove_file(lowers[0].join(".wh.deleted-below"))?;
    let top = crate::sys::fs::open_dir(&lowers[0])?;
    crate::sys::fs::make_whiteout_at(std::os::fd::AsFd::as_fd(&top), b"deleted-below")?;
    let c = d.path().join("ctr");
    fs::create_dir(&c)?;
    let l = rootfs::RootfsLayout::in_dir(&c, lowers);
    rootfs::prepare(Driver::Overlay, &l, rootless).unwrap();
    rootfs::mount(Driver::Overlay, &l, rootless).unwrap();
    let m = &l.merged;
    fs::write(m.join("etc/passwd"), "root\nuser\n")?;
    fs::write(m.join("etc/new.conf"), "n")?;
    fs::remove_file(m.join("usr/bin/tool"))?;
    fs::remove_dir_all(m.join("var/cache"))?;
    fs::create_dir(m.join("var/cache"))?;
    fs::write(m.join("var/cache/c"), "c")?;
    write(&m.join("opt/app/bin"), "bin");
    fs::write(m.join("deleted-below"), "again")?;
    let before = snapshot(m);
    rootfs::unmount(Driver::Overlay, m).unwrap();

    let got = diff_container(Driver::Overlay, &l, rootless).unwrap();
    assert_eq!(
        strs(&got),
        [
            "A /deleted-below",
            "C /etc",
            "A /etc/new.conf",
            "C /etc/passwd",
            "A /opt",
            "A /opt/app",
            "A /opt/app/bin",
            "C /usr",
            "C /usr/bin",
            "D /usr/bin/tool",
            "C /var",
            "C /var/cache",
            "D /var/cache/a",
            "D /var/cache/b",
            "A /var/cache/c",
            "D /var/cache/keep",
        ]
    );
    let mut tar = Vec::new();
    layer_tar_container(Driver::Overlay, &l, rootless, &mut tar).unwrap();
    let listing = list_tar(&tar);
    let n = names(&listing);
    assert!(
        n.contains(&"usr/bin/.wh.tool") && n.contains(&"var/cache/.wh..wh..opq"),
        "{n:?}"
    );
    // The layer on top of the image shows what the container saw.
    let layer = d.path().join("layer");
    fs::create_dir(&layer)?;
    let opts = crate::storage::unpack::UnpackOptions::new(WhiteoutFormat::Overlay, rootless);
    crate::storage::unpack::unpack(tar.as_slice(), &layer, &opts).unwrap();
    let c2 = d.path().join("c2");
    fs::create_dir(&c2)?;
    let stacked = rootfs::RootfsLayout::in_dir(&c2, [vec![layer], l.lowers.clone()].concat());
    rootfs::prepare(Driver::Overlay, &stacked, rootless).unwrap();
    let view = d.path().join("view");
    let view = rootfs::mount_readonly(Driver::Overlay, &stacked, &view, rootless).unwrap();
    assert_eq!(snapshot(&view), before);
    rootfs::unmount(Driver::Overlay, &view).unwrap();
    Ok(())
}

#[test]
fn overlay_upper_from_the_kernel() {
    rootfs::tests::as_root_in_mount_ns("kernel overlay diff test", || {
        kernel_overlay_roundtrip(false)
    });
}

const USERNS_CHILD: &str = "storage::changes::tests::userns_child";

/// The rootless path (`userxattr`, user.overlay.opaque): this test binary
/// re-run under `unshare -Urm`, where the ignored `userns_child` test does
/// the work, since the multithreaded harness cannot unshare a user ns.
#[test]
fn overlay_upper_in_a_user_namespace() {
    let ok = std::process::Command::new("unshare")
        .args(["-Urm", "true"])
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        eprintln!("note: no unprivileged user namespaces here; rootless overlay test skipped");
        return;
    }
    let exe = std::env::current_exe().unwrap();
    let out = std::process::Command::new("unshare")
        .args(["-Urm"])
        .arg(exe)
        .args([
            "--exact",
            USERNS_CHILD,
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("SKIFF_CHANGES_USERNS_CHILD", "1")
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success() && text.contains("USERNS OK"), "{text}");
}

#[test]
#[ignore = "run by overlay_upper_in_a_user_namespace inside unshare -Urm"]
fn userns_child() {
    if std::env::var_os("SKIFF_CHANGES_USERNS_CHILD").is_none() {
        return;
    }
    kernel_overlay_roundtrip(true).unwrap();
    println!("USERNS OK");
}
