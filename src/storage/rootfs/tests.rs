//! Rootfs tests. The vfs copy and option building run anywhere; mounting
//! needs root (each mount test runs in a throwaway mount namespace, and says
//! so when it skips).
use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt, symlink};
use std::path::{Path, PathBuf};

use super::*;

pub(crate) fn is_root() -> bool {
    crate::sys::effective_uid() == 0
}

fn layout(base: &Path, lowers: Vec<PathBuf>) -> RootfsLayout {
    RootfsLayout::in_dir(base, lowers)
}

fn set_mtime(p: &Path, secs: i64) {
    let t = filetime::FileTime::from_unix_time(secs, 0);
    filetime::set_symlink_file_times(p, t, t).unwrap();
}

fn user_xattrs(dir: &Path) -> bool {
    let probe = dir.join(".xattr-probe");
    fs::write(&probe, b"").unwrap();
    let ok = xattr::set(&probe, "user.probe", b"1").is_ok();
    fs::remove_file(&probe).unwrap();
    ok
}

#[test]
fn overlay_options_name_dirs_by_path_or_fd() {
    let d = tempfile::tempdir().unwrap();
    let mk = |name: &str| {
        let p = d.path().join(name);
        fs::create_dir_all(&p).unwrap();
        p
    };
    let (l1, l2, up, wk) = (mk("l1"), mk("l2"), mk("up"), mk("wk"));
    let lowers = [l1.as_path(), l2.as_path()];
    let (data, fds) = overlay_data(&lowers, Some((&up, &wk)), ",userxattr").unwrap();
    assert!(fds.is_empty());
    assert_eq!(
        data,
        format!(
            "lowerdir={}:{},upperdir={},workdir={},userxattr",
            l1.display(),
            l2.display(),
            up.display(),
            wk.display()
        )
    );
    // A separator in a path: every directory goes by fd instead.
    let odd = mk("a,b:c");
    let (data, fds) = overlay_data(&[odd.as_path(), l1.as_path()], None, "").unwrap();
    assert_eq!(fds.len(), 2);
    assert!(data.starts_with("lowerdir=/proc/self/fd/"), "{data}");
    assert!(!data.contains("a,b"), "{data}");
    // More than a page of paths: by fd.
    let long: Vec<PathBuf> = (0..60).map(|i| mk(&format!("{i:0>80}"))).collect();
    let refs: Vec<&Path> = long.iter().map(PathBuf::as_path).collect();
    let (data, fds) = overlay_data(&refs, Some((&up, &wk)), ROOT_OPTIONS).unwrap();
    assert_eq!(fds.len(), 62);
    assert!(
        data.len() <= MOUNT_DATA_MAX && data.ends_with(ROOT_OPTIONS),
        "{data}"
    );
    // Too many even by fd.
    let many: Vec<&Path> = std::iter::repeat_n(l1.as_path(), 400).collect();
    assert!(matches!(
        overlay_data(&many, None, ""),
        Err(RootfsError::TooManyLayers { layers: 400 })
    ));
}

/// Bottom layer: a tree with every kind of entry. Top layer (aufs form):
/// deletes some of it, makes one directory opaque, adds files.
fn image_layers(base: &Path) -> Vec<PathBuf> {
    let bottom = base.join("bottom");
    let top = base.join("top");
    for d in ["etc/app", "opq/sub", "gone-dir/x", "mode"] {
        fs::create_dir_all(bottom.join(d)).unwrap();
    }
    fs::write(bottom.join("etc/passwd"), b"root:x:0:0\n").unwrap();
    fs::write(bottom.join("etc/app/conf"), b"conf").unwrap();
    fs::write(bottom.join("opq/old"), b"old").unwrap();
    fs::write(bottom.join("opq/sub/deep"), b"deep").unwrap();
    fs::write(bottom.join("gone"), b"gone").unwrap();
    fs::write(bottom.join("hl1"), b"linked").unwrap();
    fs::hard_link(bottom.join("hl1"), bottom.join("hl2")).unwrap();
    symlink("/etc/passwd", bottom.join("abs-link")).unwrap();
    fs::set_permissions(bottom.join("etc/passwd"), fs::Permissions::from_mode(0o640)).unwrap();
    fs::set_permissions(bottom.join("mode"), fs::Permissions::from_mode(0o750)).unwrap();
    set_mtime(&bottom.join("etc/passwd"), 1_000_000);
    set_mtime(&bottom.join("abs-link"), 1_000_001);
    set_mtime(&bottom.join("mode"), 1_000_002);

    for d in ["opq", "etc"] {
        fs::create_dir_all(top.join(d)).unwrap();
    }
    fs::write(top.join("opq/.wh..wh..opq"), b"").unwrap();
    fs::write(top.join("opq/new"), b"new").unwrap();
    fs::write(top.join(".wh.gone"), b"").unwrap();
    fs::write(top.join(".wh.gone-dir"), b"").unwrap();
    fs::write(top.join("etc/.wh..wh.plnk"), b"").unwrap();
    fs::write(top.join("etc/hostname"), b"box").unwrap();
    vec![top, bottom]
}

#[test]
fn vfs_prepare_copies_the_image() {
    let d = tempfile::tempdir().unwrap();
    let lowers = image_layers(d.path());
    let xattrs = user_xattrs(d.path());
    if xattrs {
        xattr::set(lowers[1].join("etc/passwd"), "user.note", b"kept").unwrap();
    }
    let c = d.path().join("ctr");
    fs::create_dir(&c).unwrap();
    let l = layout(&c, lowers);
    prepare(Driver::Vfs, &l, !is_root()).unwrap();
    let u = &l.upper;
    let read = |p: &str| fs::read_to_string(u.join(p)).unwrap();
    assert_eq!(read("etc/passwd"), "root:x:0:0\n");
    assert_eq!(read("etc/hostname"), "box");
    assert_eq!(read("opq/new"), "new");
    // Whiteouts applied, and never copied themselves.
    for gone in [
        "gone",
        "gone-dir",
        "opq/old",
        "opq/sub",
        ".wh.gone",
        "opq/.wh..wh..opq",
        "etc/.wh..wh.plnk",
    ] {
        assert!(fs::symlink_metadata(u.join(gone)).is_err(), "{gone} exists");
    }
    let m = fs::symlink_metadata(u.join("etc/passwd")).unwrap();
    assert_eq!((m.mode() & 0o7777, m.mtime()), (0o640, 1_000_000));
    let m = fs::symlink_metadata(u.join("mode")).unwrap();
    assert_eq!((m.mode() & 0o7777, m.mtime()), (0o750, 1_000_002));
    assert_eq!(
        fs::read_link(u.join("abs-link")).unwrap(),
        Path::new("/etc/passwd")
    );
    assert_eq!(
        fs::symlink_metadata(u.join("abs-link")).unwrap().mtime(),
        1_000_001
    );
    let (h1, h2) = (
        fs::metadata(u.join("hl1")).unwrap(),
        fs::metadata(u.join("hl2")).unwrap(),
    );
    assert_eq!(h1.ino(), h2.ino(), "hardlink not kept");
    if xattrs {
        assert_eq!(
            xattr::get(u.join("etc/passwd"), "user.note")
                .unwrap()
                .as_deref(),
            Some(&b"kept"[..])
        );
    }
    assert!(l.work.is_dir() && l.merged.is_dir());
    // A second prepare starts over rather than merging into the old copy.
    fs::write(u.join("stale"), b"x").unwrap();
    prepare(Driver::Vfs, &l, !is_root()).unwrap();
    assert!(!u.join("stale").exists());
    // vfs reads the copy itself, no mount.
    assert_eq!(
        mount_readonly(Driver::Vfs, &l, &c.join("ro"), false).unwrap(),
        l.upper
    );
    remove(&l).unwrap();
    for p in [&l.upper, &l.work, &l.merged] {
        assert!(!p.exists());
    }
}

#[test]
fn prepare_gives_upper_the_image_root_mode() {
    let d = tempfile::tempdir().unwrap();
    let top = d.path().join("top");
    fs::create_dir(&top).unwrap();
    fs::set_permissions(&top, fs::Permissions::from_mode(0o711)).unwrap();
    let c = d.path().join("ctr");
    fs::create_dir(&c).unwrap();
    let l = layout(&c, vec![top]);
    prepare(Driver::Overlay, &l, false).unwrap();
    assert_eq!(fs::metadata(&l.upper).unwrap().mode() & 0o7777, 0o711);
    assert_eq!(fs::metadata(&l.work).unwrap().mode() & 0o7777, 0o700);
    // Idempotent for overlay.
    prepare(Driver::Overlay, &l, false).unwrap();
}

#[test]
fn remove_clears_unreadable_work_dirs() {
    let d = tempfile::tempdir().unwrap();
    let l = layout(d.path(), Vec::new());
    prepare(Driver::Overlay, &l, false).unwrap();
    fs::create_dir_all(l.work.join("work/inner")).unwrap();
    fs::write(l.upper.join("f"), b"x").unwrap();
    fs::set_permissions(l.work.join("work"), fs::Permissions::from_mode(0o000)).unwrap();
    remove(&l).unwrap();
    assert!(!l.upper.exists() && !l.work.exists() && !l.merged.exists());
    remove(&l).unwrap(); // already gone: fine
}

/// Runs `f` in a private mount namespace if we are root; else says why not.
pub(crate) fn as_root_in_mount_ns(test: &str, f: impl FnOnce() -> io::Result<()> + Send + 'static) {
    if !is_root() {
        eprintln!("note: {test} needs root to mount; skipped");
        return;
    }
    sysfs::in_private_mount_ns(f).unwrap();
}

#[test]
fn overlay_mount_shows_the_image_and_keeps_writes_in_upper() {
    as_root_in_mount_ns("overlay mount test", || {
        let d = tempfile::tempdir()?;
        let (bottom, top) = (d.path().join("bottom"), d.path().join("top"));
        fs::create_dir_all(bottom.join("dir"))?;
        fs::create_dir_all(&top)?;
        fs::write(bottom.join("dir/a"), b"a")?;
        fs::write(bottom.join("b"), b"b")?;
        fs::write(top.join("c"), b"c")?;
        let topfd = sysfs::open_dir(&top)?;
        sysfs::make_whiteout_at(topfd.as_fd(), b"b")?;
        let c = d.path().join("ctr");
        fs::create_dir(&c)?;
        let l = layout(&c, vec![top, bottom]);
        prepare(Driver::Overlay, &l, false).unwrap();
        mount(Driver::Overlay, &l, false).unwrap();
        let m = &l.merged;
        assert_eq!(fs::read(m.join("dir/a"))?, b"a");
        assert_eq!(fs::read(m.join("c"))?, b"c");
        assert!(!m.join("b").exists(), "whiteout ignored");
        fs::write(m.join("new"), b"n")?;
        fs::remove_file(m.join("dir/a"))?;
        assert_eq!(fs::read(l.upper.join("new"))?, b"n");
        assert!(sysfs::is_whiteout(
            &sysfs::lstat_at(sysfs::open_dir(&l.upper.join("dir"))?.as_fd(), b"a")?.unwrap()
        ));
        // A read-only view while the rw mount stands: no conflict.
        let ro = mount_readonly(Driver::Overlay, &l, &c.join("ro"), false).unwrap();
        assert_eq!(fs::read(ro.join("new"))?, b"n");
        assert!(!ro.join("dir/a").exists() && ro.join("c").exists());
        assert!(
            fs::write(ro.join("x"), b"x").is_err(),
            "read-only view is writable"
        );
        unmount(Driver::Overlay, &ro).unwrap();
        unmount(Driver::Overlay, m).unwrap();
        unmount(Driver::Overlay, m).unwrap(); // not mounted: fine
        assert!(!m.join("c").exists());
        remove(&l).unwrap();
        assert!(!c.join("upper").exists());
        Ok(())
    });
}

#[test]
fn overlay_mounts_more_layers_than_a_page_of_paths() {
    as_root_in_mount_ns("long lowerdir test", || {
        let d = tempfile::tempdir()?;
        let lowers: Vec<PathBuf> = (0..60)
            .map(|i| {
                let p = d.path().join(format!("{i:0>90}"));
                fs::create_dir(&p).unwrap();
                fs::write(p.join(format!("f{i}")), b"x").unwrap();
                p
            })
            .collect();
        let c = d.path().join("ctr");
        fs::create_dir(&c)?;
        let l = layout(&c, lowers);
        prepare(Driver::Overlay, &l, false).unwrap();
        mount(Driver::Overlay, &l, false).unwrap();
        for i in [0, 30, 59] {
            assert!(l.merged.join(format!("f{i}")).exists(), "layer {i} missing");
        }
        unmount(Driver::Overlay, &l.merged).unwrap();
        Ok(())
    });
}

#[test]
fn no_image_layers_is_a_bind_of_upper() {
    as_root_in_mount_ns("empty image mount test", || {
        let d = tempfile::tempdir()?;
        let l = layout(d.path(), Vec::new());
        for driver in [Driver::Overlay, Driver::Vfs] {
            prepare(driver, &l, false).unwrap();
            mount(driver, &l, false).unwrap();
            fs::write(l.merged.join("f"), b"x")?;
            assert!(l.upper.join("f").exists());
            unmount(driver, &l.merged).unwrap();
            assert!(!l.merged.join("f").exists());
            assert_eq!(
                mount_readonly(driver, &l, &d.path().join("ro"), false).unwrap(),
                l.upper
            );
            remove(&l).unwrap();
        }
        Ok(())
    });
}

fn fuse_overlayfs_present() -> bool {
    Command::new(FUSE_OVERLAYFS)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok()
        && Path::new("/dev/fuse").exists()
}

#[test]
fn fuse_overlayfs_mount_uses_aufs_whiteouts() {
    if !fuse_overlayfs_present() {
        eprintln!("note: fuse-overlayfs or /dev/fuse missing; fuse mount test skipped");
        return;
    }
    as_root_in_mount_ns("fuse-overlayfs mount test", || {
        let d = tempfile::tempdir()?;
        let (bottom, top) = (d.path().join("bottom"), d.path().join("top"));
        fs::create_dir_all(&bottom)?;
        fs::create_dir_all(&top)?;
        fs::write(bottom.join("a"), b"a")?;
        fs::write(bottom.join("b"), b"b")?;
        fs::write(top.join(".wh.b"), b"")?;
        let c = d.path().join("ctr");
        fs::create_dir(&c)?;
        let l = layout(&c, vec![top, bottom]);
        prepare(Driver::FuseOverlay, &l, false).unwrap();
        mount(Driver::FuseOverlay, &l, false).unwrap();
        let m = &l.merged;
        assert!(m.join("a").exists() && !m.join("b").exists());
        assert!(!m.join(".wh.b").exists(), "whiteout file visible");
        fs::remove_file(m.join("a"))?;
        fs::write(m.join("n"), b"n")?;
        unmount(Driver::FuseOverlay, m).unwrap();
        assert!(
            l.upper.join(".wh.a").exists(),
            "deletion not an aufs whiteout"
        );
        let ro = mount_readonly(Driver::FuseOverlay, &l, &c.join("ro"), false).unwrap();
        assert!(ro.join("n").exists() && !ro.join("a").exists());
        unmount(Driver::FuseOverlay, &ro).unwrap();
        remove(&l).unwrap();
        Ok(())
    });
}

#[test]
fn fuse_overlayfs_reports_bad_paths() {
    let d = tempfile::tempdir().unwrap();
    let odd = d.path().join("a:b");
    fs::create_dir(&odd).unwrap();
    let e = mount_fuse(&[odd.as_path()], None, d.path()).unwrap_err();
    assert!(matches!(e, RootfsError::FusePath { .. }), "{e}");
    assert!(e.to_string().contains("a:b"), "{e}");
}
