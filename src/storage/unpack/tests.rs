//! Unpack tests. Every tar is built here, byte by byte where the `tar` crate
//! would refuse the name, and must pass as root and as an ordinary user.
use std::fs;
use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
use std::path::Path;

use tar::{EntryType, Header};

use super::meta::parse_pax_time;
use super::*;

const MTIME: u64 = 1_600_000_000;

struct TarBuf {
    b: tar::Builder<Vec<u8>>,
}

impl TarBuf {
    fn new() -> TarBuf {
        TarBuf {
            b: tar::Builder::new(Vec::new()),
        }
    }

    /// Appends an entry with a raw (unvalidated) name and link name.
    fn raw(&mut self, kind: EntryType, name: &[u8], link: &[u8], mode: u32, data: &[u8]) {
        let mut h = Header::new_gnu();
        let old = h.as_old_mut();
        old.name[..name.len()].copy_from_slice(name);
        old.linkname[..link.len()].copy_from_slice(link);
        h.set_entry_type(kind);
        h.set_size(data.len() as u64);
        h.set_mode(mode);
        h.set_uid(crate::sys::real_uid() as u64);
        h.set_gid(crate::sys::real_gid() as u64);
        h.set_mtime(MTIME);
        h.set_cksum();
        self.b.append(&h, data).unwrap();
    }
    fn dir(&mut self, name: &str, mode: u32) {
        self.raw(EntryType::Directory, name.as_bytes(), b"", mode, b"");
    }
    fn file(&mut self, name: &str, mode: u32, data: &[u8]) {
        self.raw(EntryType::Regular, name.as_bytes(), b"", mode, data);
    }
    fn symlink(&mut self, name: &str, target: &str) {
        self.raw(
            EntryType::Symlink,
            name.as_bytes(),
            target.as_bytes(),
            0o777,
            b"",
        );
    }
    fn hardlink(&mut self, name: &str, target: &str) {
        self.raw(
            EntryType::Link,
            name.as_bytes(),
            target.as_bytes(),
            0o644,
            b"",
        );
    }
    fn pax(&mut self, kv: &[(&str, &[u8])]) {
        self.b
            .append_pax_extensions(kv.iter().map(|(k, v)| (*k, *v)))
            .unwrap();
    }
    fn bytes(self) -> Vec<u8> {
        self.b.into_inner().unwrap()
    }
}

fn opts(whiteouts: WhiteoutFormat) -> UnpackOptions {
    UnpackOptions {
        whiteouts,
        opaque_xattr: "user.overlay.opaque",
        lowers: Vec::new(),
        ignore_chown_errors: false,
        skip_devices: true,
    }
}

fn run(tar: &[u8], dest: &Path, o: &UnpackOptions) -> Result<UnpackStats, UnpackError> {
    unpack(tar, dest, o)
}

/// Whether the filesystem of the temp dirs takes `user.*` xattrs (tmpfs
/// before 6.6 does not). Probes in its own dir so no test dir's mtime changes.
fn user_xattrs_supported(_near: &Path) -> bool {
    let d = tempfile::tempdir().unwrap();
    let ok = xattr::set(d.path(), "user.probe", b"1").is_ok();
    if !ok {
        println!("note: user xattrs unsupported here; xattr checks skipped");
    }
    ok
}

fn mtime(p: &Path) -> i64 {
    fs::symlink_metadata(p).unwrap().mtime()
}

#[test]
fn clean_path_rules() {
    assert_eq!(clean_path(b"./a//b/").unwrap(), vec![&b"a"[..], b"b"]);
    assert_eq!(
        clean_path(b"/etc/passwd").unwrap(),
        vec![&b"etc"[..], b"passwd"]
    );
    assert!(clean_path(b"./").unwrap().is_empty());
    assert!(clean_path(b"../x").is_none());
    assert!(clean_path(b"a/../../x").is_none());
    assert!(clean_path(b"a/..").is_none());
}

#[test]
fn pax_times_parse() {
    assert_eq!(
        parse_pax_time(b"1700000000.5"),
        Some((1_700_000_000, 500_000_000))
    );
    assert_eq!(parse_pax_time(b"12"), Some((12, 0)));
    assert_eq!(parse_pax_time(b"-5.25"), Some((-6, 750_000_000)));
    assert_eq!(parse_pax_time(b"x"), None);
}

#[test]
fn normal_layer() {
    let d = tempfile::tempdir().unwrap();
    let mut t = TarBuf::new();
    t.dir("./", 0o755);
    t.dir("bin/", 0o755);
    t.file("bin/busybox", 0o755, b"#!busybox");
    t.symlink("bin/sh", "/bin/busybox");
    t.dir("usr/", 0o755);
    t.dir("usr/lib/", 0o755);
    t.symlink("lib", "usr/lib");
    t.file("lib/libc.so", 0o644, b"libc"); // written through the relative symlink
    t.file("implicit/sub/file", 0o640, b"deep");
    t.file("etc/passwd", 0o644, b"old");
    t.file("etc/passwd", 0o600, b"root:x:0:0");
    t.hardlink("etc/passwd-", "/etc/passwd");
    t.file("usr/bin/su", 0o4755, b"su");
    t.pax(&[("SCHILY.xattr.user.test", b"hello")]);
    t.file("usr/xattr", 0o644, b"x");
    t.dir("ro/", 0o555);
    t.file("ro/inside", 0o444, b"in");
    t.raw(EntryType::Fifo, b"run/fifo", b"", 0o600, b"");
    let long = format!("{}/{}", "d".repeat(120), "f".repeat(120));
    let mut h = Header::new_gnu();
    h.set_size(4);
    h.set_mode(0o644);
    h.set_uid(crate::sys::real_uid() as u64);
    h.set_gid(crate::sys::real_gid() as u64);
    h.set_mtime(MTIME);
    t.b.append_data(&mut h, &long, &b"long"[..]).unwrap();
    let tar = t.bytes();

    let stats = run(&tar, d.path(), &opts(WhiteoutFormat::Overlay)).unwrap();
    let p = d.path();
    assert_eq!(stats.entries, 18);
    assert_eq!(stats.size, 9 + 4 + 4 + 3 + 10 + 2 + 1 + 2 + 4);
    assert_eq!(fs::read(p.join("bin/busybox")).unwrap(), b"#!busybox");
    assert_eq!(
        fs::read_link(p.join("bin/sh")).unwrap(),
        Path::new("/bin/busybox")
    );
    assert_eq!(fs::read(p.join("usr/lib/libc.so")).unwrap(), b"libc");
    assert!(fs::symlink_metadata(p.join("lib")).unwrap().is_symlink());
    assert_eq!(fs::read(p.join("implicit/sub/file")).unwrap(), b"deep");
    assert_eq!(
        fs::metadata(p.join("implicit/sub")).unwrap().mode() & 0o7777,
        0o755
    );
    assert_eq!(fs::read(p.join("etc/passwd")).unwrap(), b"root:x:0:0");
    let a = fs::metadata(p.join("etc/passwd")).unwrap();
    let b = fs::metadata(p.join("etc/passwd-")).unwrap();
    assert_eq!((a.ino(), a.nlink(), a.mode() & 0o7777), (b.ino(), 2, 0o600));
    assert_eq!(
        fs::metadata(p.join("usr/bin/su")).unwrap().mode() & 0o7777,
        0o4755
    );
    assert_eq!(a.uid(), crate::sys::real_uid());
    if user_xattrs_supported(p) {
        assert_eq!(
            xattr::get(p.join("usr/xattr"), "user.test")
                .unwrap()
                .unwrap(),
            b"hello"
        );
    }
    assert_eq!(fs::metadata(p.join("ro")).unwrap().mode() & 0o7777, 0o555);
    assert_eq!(fs::read(p.join("ro/inside")).unwrap(), b"in");
    assert!(
        fs::metadata(p.join("run/fifo"))
            .unwrap()
            .file_type()
            .is_fifo()
    );
    assert_eq!(fs::read(p.join(&long)).unwrap(), b"long");
    // Times: files, symlinks and directories whose children were written later.
    for f in ["bin/busybox", "bin/sh", "bin", "usr", "usr/lib", "ro", "."] {
        assert_eq!(mtime(&p.join(f)), MTIME as i64, "{f}");
    }
    assert_eq!(fs::symlink_metadata(p).unwrap().mode() & 0o7777, 0o755);
    fs::set_permissions(p.join("ro"), fs::Permissions::from_mode(0o755)).unwrap();
}

fn whiteout_layer() -> Vec<u8> {
    let mut t = TarBuf::new();
    t.dir("a/", 0o755);
    t.file("a/.wh.gone", 0o644, b"");
    t.dir("b/", 0o755);
    t.file("b/.wh..wh..opq", 0o644, b"");
    t.file("b/keep", 0o644, b"k");
    t.file(".wh..wh.plnk", 0o644, b"");
    t.file("c/.wh.implicit", 0o644, b"");
    t.bytes()
}

#[test]
fn whiteouts_overlay_format() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    match run(&whiteout_layer(), p, &opts(WhiteoutFormat::Overlay)) {
        Err(UnpackError::Entry { source, .. }) if source.raw_os_error() == Some(libc::EPERM) => {
            println!("note: this kernel refuses unprivileged whiteouts; check skipped");
            return;
        }
        r => {
            r.unwrap();
        }
    }
    for w in ["a/gone", "c/implicit"] {
        let m = fs::symlink_metadata(p.join(w)).unwrap();
        assert!(m.file_type().is_char_device() && m.rdev() == 0, "{w}");
    }
    assert!(!p.join("a/.wh.gone").exists());
    assert!(!p.join("b/.wh..wh..opq").exists());
    assert!(!p.join(".wh..wh.plnk").exists());
    assert_eq!(fs::read(p.join("b/keep")).unwrap(), b"k");
    if user_xattrs_supported(p) {
        assert_eq!(
            xattr::get(p.join("b"), "user.overlay.opaque")
                .unwrap()
                .unwrap(),
            b"y"
        );
        assert_eq!(
            xattr::get(p.join("a"), "user.overlay.opaque").unwrap(),
            None
        );
    }
}

#[test]
fn whiteouts_aufs_format() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    run(&whiteout_layer(), p, &opts(WhiteoutFormat::Aufs)).unwrap();
    for f in ["a/.wh.gone", "b/.wh..wh..opq", "c/.wh.implicit"] {
        let m = fs::symlink_metadata(p.join(f)).unwrap();
        assert!(m.is_file() && m.len() == 0, "{f}");
    }
    assert!(fs::symlink_metadata(p.join("a/gone")).is_err());
    assert!(!p.join(".wh..wh.plnk").exists());
    if user_xattrs_supported(p) {
        assert_eq!(
            xattr::get(p.join("b"), "user.overlay.opaque").unwrap(),
            None
        );
    }
}

#[test]
fn hardlink_to_file_in_lower() {
    let base = tempfile::tempdir().unwrap();
    let (l1, l2, up) = (
        base.path().join("l1"),
        base.path().join("l2"),
        base.path().join("up"),
    );
    for d in [&l1, &l2, &up] {
        fs::create_dir(d).unwrap();
    }
    let mut t = TarBuf::new();
    t.pax(&[("SCHILY.xattr.user.k", b"v")]);
    t.file("usr/bin/tool", 0o751, b"TOOL");
    t.file("usr/bin/deleted", 0o644, b"D");
    run(&t.bytes(), &l1, &opts(WhiteoutFormat::Aufs)).unwrap();
    // Middle layer deletes one of them.
    let mut t = TarBuf::new();
    t.file("usr/bin/.wh.deleted", 0o644, b"");
    run(&t.bytes(), &l2, &opts(WhiteoutFormat::Aufs)).unwrap();

    let mut t = TarBuf::new();
    t.hardlink("usr/bin/alias", "usr/bin/tool");
    let mut o = opts(WhiteoutFormat::Aufs);
    o.lowers = vec![l2.clone(), l1.clone()];
    run(&t.bytes(), &up, &o).unwrap();
    let a = fs::metadata(up.join("usr/bin/alias")).unwrap();
    let b = fs::metadata(up.join("usr/bin/tool")).unwrap();
    assert_eq!((a.ino(), a.nlink(), a.mode() & 0o7777), (b.ino(), 2, 0o751));
    assert_eq!(fs::read(up.join("usr/bin/alias")).unwrap(), b"TOOL");
    assert_eq!(fs::metadata(l1.join("usr/bin/tool")).unwrap().nlink(), 1);
    if user_xattrs_supported(&up) {
        assert_eq!(
            xattr::get(up.join("usr/bin/tool"), "user.k")
                .unwrap()
                .unwrap(),
            b"v"
        );
    }

    // A target whited out in a nearer lower is gone.
    let up2 = base.path().join("up2");
    fs::create_dir(&up2).unwrap();
    let mut t = TarBuf::new();
    t.hardlink("x", "usr/bin/deleted");
    let err = run(&t.bytes(), &up2, &o).unwrap_err();
    assert!(
        matches!(err, UnpackError::LinkTargetMissing { .. }),
        "{err}"
    );
    assert!(err.to_string().contains("\"x\""), "{err}");
}

/// A directory outside the layer with one file, and a check that neither
/// changed.
struct Outside {
    _base: tempfile::TempDir,
    dir: std::path::PathBuf,
    dest: std::path::PathBuf,
}

impl Outside {
    fn new() -> Outside {
        let base = tempfile::tempdir().unwrap();
        let dir = base.path().join("outside");
        let dest = base.path().join("a/b/dest");
        fs::create_dir_all(&dir).unwrap();
        fs::create_dir_all(&dest).unwrap();
        fs::write(dir.join("secret"), b"secret").unwrap();
        Outside {
            _base: base,
            dir,
            dest,
        }
    }
    /// The outside dir's path relative to `/` (what it becomes inside the layer).
    fn rel(&self) -> String {
        self.dir
            .to_str()
            .unwrap()
            .trim_start_matches('/')
            .to_string()
    }
    fn assert_untouched(&self) {
        let names: Vec<_> = fs::read_dir(&self.dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec!["secret"], "outside dir changed");
        let m = fs::metadata(self.dir.join("secret")).unwrap();
        assert_eq!(m.nlink(), 1);
        assert_eq!(fs::read(self.dir.join("secret")).unwrap(), b"secret");
        // Nothing appeared beside the destination either (`../../..` from dest).
        let base = self.dir.parent().unwrap();
        let mut top: Vec<_> = fs::read_dir(base)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        top.sort();
        assert_eq!(top, vec!["a", "outside"]);
        let names: Vec<_> = fs::read_dir(base.join("a"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec!["b"]);
    }
}

fn lenient() -> UnpackOptions {
    let mut o = opts(WhiteoutFormat::Overlay);
    o.ignore_chown_errors = true;
    o
}

#[test]
fn malicious_dotdot_names_are_rejected() {
    for name in [
        &b"../escape"[..],
        b"a/../../escape",
        b"./../escape",
        b"/../escape",
    ] {
        let o = Outside::new();
        let mut t = TarBuf::new();
        t.raw(EntryType::Regular, name, b"", 0o644, b"pwned");
        let err = run(&t.bytes(), &o.dest, &lenient()).unwrap_err();
        let msg = err.to_string();
        assert!(matches!(err, UnpackError::Escape(_)), "{msg}");
        assert!(
            msg.starts_with("layer entry \"") && msg.ends_with("escapes the layer root"),
            "{msg}"
        );
        o.assert_untouched();
    }
    let o = Outside::new();
    let mut t = TarBuf::new();
    t.raw(EntryType::Symlink, b"../link", b"/", 0o777, b"");
    assert!(run(&t.bytes(), &o.dest, &lenient()).is_err());
    o.assert_untouched();
}

#[test]
fn malicious_absolute_symlink_parent_stays_inside() {
    let o = Outside::new();
    let mut t = TarBuf::new();
    t.symlink("evil", o.dir.to_str().unwrap());
    t.file("evil/pwned", 0o644, b"pwned");
    let res = run(&t.bytes(), &o.dest, &lenient());
    o.assert_untouched();
    if res.is_ok() {
        assert!(o.dest.join(o.rel()).join("pwned").is_file());
    }
    // Pointing at "/" lands in the layer root.
    let o = Outside::new();
    let mut t = TarBuf::new();
    t.symlink("evil", "/");
    t.file(&format!("evil/{}/secret", o.rel()), 0o644, b"pwned");
    t.file("evil/pwned", 0o644, b"pwned");
    run(&t.bytes(), &o.dest, &lenient()).unwrap();
    o.assert_untouched();
    assert_eq!(fs::read(o.dest.join("pwned")).unwrap(), b"pwned");
    assert_eq!(
        fs::read(o.dest.join(o.rel()).join("secret")).unwrap(),
        b"pwned"
    );
}

#[test]
fn malicious_relative_symlink_parent_stays_inside() {
    let o = Outside::new();
    let mut t = TarBuf::new();
    t.symlink("up", "../../..");
    t.file("up/pwned", 0o644, b"pwned");
    t.symlink("up2", "../../../outside");
    t.file("up2/secret", 0o644, b"pwned");
    let res = run(&t.bytes(), &o.dest, &lenient());
    o.assert_untouched();
    assert_eq!(fs::read(o.dest.join("pwned")).unwrap(), b"pwned");
    // up2 resolves to <dest>/outside, which does not exist in the layer.
    assert!(res.is_err(), "{res:?}");
}

#[test]
fn malicious_hardlinks_never_reach_outside() {
    let o = Outside::new();
    let secret = o.dir.join("secret");
    let cases = [
        format!("hl -> {}", secret.display()),
        "hl -> ../../outside/secret".to_string(),
        "hl -> /etc/passwd".to_string(),
    ];
    for case in cases {
        let (_, target) = case.split_once(" -> ").unwrap();
        let mut t = TarBuf::new();
        t.raw(EntryType::Link, b"hl", target.as_bytes(), 0o644, b"");
        let err = run(&t.bytes(), &o.dest, &lenient()).unwrap_err();
        assert!(
            matches!(
                err,
                UnpackError::LinkTargetMissing { .. } | UnpackError::Escape(_)
            ),
            "{case}: {err}"
        );
        o.assert_untouched();
    }
    let passwd_links = fs::metadata("/etc/passwd").map(|m| m.nlink()).ok();
    // Through a symlink to "/" inside the layer: resolves inside, finds nothing.
    let mut t = TarBuf::new();
    t.symlink("root", "/");
    t.hardlink("hl2", &format!("root/{}/secret", o.rel()));
    assert!(matches!(
        run(&t.bytes(), &o.dest, &lenient()).unwrap_err(),
        UnpackError::LinkTargetMissing { .. }
    ));
    // To a symlink that names the outside file: links the symlink itself.
    let mut t = TarBuf::new();
    t.symlink("s", secret.to_str().unwrap());
    t.hardlink("hl3", "s");
    run(&t.bytes(), &o.dest, &lenient()).unwrap();
    let m = fs::symlink_metadata(o.dest.join("hl3")).unwrap();
    assert!(m.is_symlink() && m.nlink() == 2);
    o.assert_untouched();
    assert_eq!(
        fs::metadata("/etc/passwd").map(|m| m.nlink()).ok(),
        passwd_links
    );
}

#[test]
fn malicious_symlink_replacing_parent_dir() {
    let o = Outside::new();
    let mut t = TarBuf::new();
    t.dir("d/", 0o755);
    t.file("d/f", 0o644, b"f");
    t.symlink("d", o.dir.to_str().unwrap());
    t.file("d/pwned", 0o644, b"pwned");
    let res = run(&t.bytes(), &o.dest, &lenient());
    o.assert_untouched();
    assert!(fs::symlink_metadata(o.dest.join("d")).unwrap().is_symlink());
    if res.is_ok() {
        assert!(o.dest.join(o.rel()).join("pwned").is_file());
    }
    // Replaced by a symlink to the root, later entries go to the layer root;
    // the deferred metadata of the old "d" must not be applied to "/".
    let o = Outside::new();
    let mut t = TarBuf::new();
    t.dir("d/", 0o700);
    t.symlink("d", "/");
    t.file("d/pwned", 0o644, b"pwned");
    t.symlink("d", "../../..");
    t.file("d/pwned2", 0o644, b"pwned");
    run(&t.bytes(), &o.dest, &lenient()).unwrap();
    o.assert_untouched();
    assert_eq!(fs::read(o.dest.join("pwned")).unwrap(), b"pwned");
    assert_eq!(fs::read(o.dest.join("pwned2")).unwrap(), b"pwned");
    assert_ne!(fs::metadata(&o.dest).unwrap().mode() & 0o777, 0o700);
}

#[test]
fn later_entries_replace_earlier_ones() {
    let d = tempfile::tempdir().unwrap();
    let mut t = TarBuf::new();
    t.file("x", 0o644, b"file");
    t.dir("x/", 0o755); // file replaced by dir
    t.file("x/child", 0o644, b"c");
    t.dir("x/", 0o700); // dir over dir: keeps children, updates mode
    t.dir("y/", 0o755);
    t.file("y/z", 0o644, b"z");
    t.symlink("y", "x"); // dir replaced by symlink
    run(&t.bytes(), d.path(), &lenient()).unwrap();
    assert_eq!(fs::read(d.path().join("x/child")).unwrap(), b"c");
    assert_eq!(
        fs::metadata(d.path().join("x")).unwrap().mode() & 0o777,
        0o700
    );
    assert_eq!(fs::read_link(d.path().join("y")).unwrap(), Path::new("x"));
}

#[test]
fn devices_are_skipped_rootless() {
    let d = tempfile::tempdir().unwrap();
    let mut t = TarBuf::new();
    t.raw(EntryType::Char, b"dev/null", b"", 0o666, b"");
    t.raw(EntryType::Block, b"dev/sda", b"", 0o660, b"");
    t.file("dev/ok", 0o644, b"");
    let stats = run(&t.bytes(), d.path(), &opts(WhiteoutFormat::Overlay)).unwrap();
    assert_eq!(stats.skipped_devices, 2);
    assert!(!d.path().join("dev/null").exists());
    assert!(d.path().join("dev/ok").exists());
}

#[test]
fn devices_as_root_or_clear_error() {
    let d = tempfile::tempdir().unwrap();
    let mut t = TarBuf::new();
    let mut h = Header::new_gnu();
    h.set_entry_type(EntryType::Char);
    h.set_device_major(1).unwrap();
    h.set_device_minor(3).unwrap();
    h.set_mode(0o666);
    h.set_size(0);
    h.set_mtime(MTIME);
    t.b.append_data(&mut h, "dev/null", &b""[..]).unwrap();
    let mut o = lenient();
    o.skip_devices = false;
    let res = run(&t.bytes(), d.path(), &o);
    // Only real root may create devices (not root in a user namespace).
    let probe = tempfile::tempdir().unwrap();
    let probe_fd = crate::sys::fs::open_dir(probe.path()).unwrap();
    let can_mknod = crate::sys::fs::mknod_at(
        probe_fd.as_fd(),
        b"null",
        crate::sys::fs::NodeKind::Char,
        0o666,
        1,
        3,
    )
    .is_ok();
    if can_mknod {
        res.unwrap();
        let m = fs::symlink_metadata(d.path().join("dev/null")).unwrap();
        assert!(m.file_type().is_char_device());
        assert_eq!(
            (m.rdev(), m.mode() & 0o7777),
            (rustix::fs::makedev(1, 3), 0o666)
        );
    } else {
        let err = res.unwrap_err().to_string();
        assert!(err.starts_with("cannot unpack \"dev/null\": "), "{err}");
    }
}

#[test]
fn chown_failures_name_entry_and_ids() {
    let d = tempfile::tempdir().unwrap();
    let mut t = TarBuf::new();
    t.pax(&[("uid", b"5000000000")]);
    t.file("x", 0o644, b"");
    let tar = t.bytes();
    let err = run(&tar, d.path(), &opts(WhiteoutFormat::Overlay)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "cannot chown \"x\" to 5000000000:".to_string()
            + &crate::sys::real_gid().to_string()
            + ": id out of range"
    );
    // With ignore_chown_errors the file is still written.
    run(&tar, d.path(), &lenient()).unwrap();
    assert!(d.path().join("x").is_file());
    // Where chown to 100000 is impossible (ordinary user, small user
    // namespace) the error names the entry and ids; elsewhere it works.
    let probe = d.path().join("probe");
    fs::write(&probe, b"").unwrap();
    let can_chown = std::os::unix::fs::lchown(&probe, Some(100000), None).is_ok();
    let mut t = TarBuf::new();
    t.pax(&[("uid", b"100000")]);
    t.file("y", 0o644, b"");
    let res = run(&t.bytes(), d.path(), &opts(WhiteoutFormat::Overlay));
    if can_chown {
        res.unwrap();
        assert_eq!(fs::metadata(d.path().join("y")).unwrap().uid(), 100000);
    } else {
        let err = res.unwrap_err().to_string();
        assert!(err.starts_with("cannot chown \"y\" to 100000:"), "{err}");
    }
}

#[test]
fn overlay_private_xattrs_are_not_planted() {
    let d = tempfile::tempdir().unwrap();
    if !user_xattrs_supported(d.path()) {
        return;
    }
    let mut t = TarBuf::new();
    t.pax(&[
        ("SCHILY.xattr.user.overlay.redirect", b"/etc"),
        ("SCHILY.xattr.user.ok", b"1"),
    ]);
    t.dir("d/", 0o755);
    run(&t.bytes(), d.path(), &opts(WhiteoutFormat::Overlay)).unwrap();
    assert_eq!(
        xattr::get(d.path().join("d"), "user.overlay.redirect").unwrap(),
        None
    );
    assert_eq!(
        xattr::get(d.path().join("d"), "user.ok").unwrap().unwrap(),
        b"1"
    );
}
