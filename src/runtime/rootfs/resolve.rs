//! Race-free resolution of paths inside the container rootfs. Every mount
//! target is opened with `openat2(RESOLVE_IN_ROOT)` relative to an fd of the
//! rootfs, missing directories are created with `mkdirat` on fds resolved the
//! same way, and the mount then goes onto `/proc/self/fd/N`: a symlink in the
//! image (even an absolute one pointing at a host path) is followed as if the
//! rootfs were `/`, so it can never redirect a mount outside the rootfs.
use std::io;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::path::{Component, Path, PathBuf};

use rustix::fs::OFlags;

use crate::sys::fs as sfs;

use super::RootfsError;

/// Whether a target must be a directory or a non-directory (file mounts,
/// device nodes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Dir,
    File,
}

/// The normal components of `path` taken relative to `/`, with `.` dropped and
/// `..` applied lexically (clamped at the top), as runc's CleanPath does.
pub fn clean(path: &Path) -> Vec<Vec<u8>> {
    let mut out: Vec<Vec<u8>> = Vec::new();
    for c in path.components() {
        match c {
            Component::Normal(n) => out.push(n.as_bytes().to_vec()),
            Component::ParentDir => {
                out.pop();
            }
            Component::RootDir | Component::CurDir | Component::Prefix(_) => {}
        }
    }
    out
}

/// `/`-joined relative form of cleaned components ("" for the root).
pub fn join(components: &[Vec<u8>]) -> Vec<u8> {
    components.join(&b'/')
}

/// Display form of a container path for error messages.
pub fn display(components: &[Vec<u8>]) -> String {
    format!("/{}", String::from_utf8_lossy(&join(components)))
}

fn io_err(path: &[Vec<u8>], op: &'static str) -> impl FnOnce(io::Error) -> RootfsError {
    let path = display(path);
    move |source| RootfsError::Io { op, path, source }
}

/// Opens the existing `path` in `root` as an `O_PATH` fd (following symlinks
/// inside the root); `Ok(None)` if it does not exist.
pub fn open_existing(root: BorrowedFd<'_>, path: &Path) -> Result<Option<OwnedFd>, RootfsError> {
    let comps = clean(path);
    match sfs::open_in_root(root, &join(&comps), OFlags::PATH, 0) {
        Ok(fd) => Ok(Some(fd)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(io_err(&comps, "resolve")(e)),
    }
}

/// `O_PATH` fd of the directory `comps` in `root`, creating each missing
/// directory (mode 0755) on the way.
fn ensure_dir(root: BorrowedFd<'_>, comps: &[Vec<u8>]) -> Result<OwnedFd, RootfsError> {
    match sfs::open_dir_in_root(root, &join(comps)) {
        Ok(fd) => return Ok(fd),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(io_err(comps, "resolve")(e)),
    }
    let mut cur = sfs::open_dir_in_root(root, b".").map_err(io_err(&[], "open"))?;
    for i in 0..comps.len() {
        let prefix = &comps[..=i];
        match sfs::open_dir_in_root(root, &join(prefix)) {
            Ok(fd) => cur = fd,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                // `cur` is the parent resolved inside the root, so creating a
                // single component in it cannot land anywhere else.
                match sfs::mkdir_at(cur.as_fd(), &comps[i], 0o755) {
                    Ok(()) => {}
                    Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
                    Err(e) => return Err(io_err(prefix, "mkdir")(e)),
                }
                cur = sfs::open_dir_in_root(root, &join(prefix)).map_err(|e| {
                    if e.kind() == io::ErrorKind::NotFound {
                        RootfsError::InvalidPath {
                            path: display(prefix),
                            reason: "is a dangling symlink".into(),
                        }
                    } else {
                        io_err(prefix, "resolve")(e)
                    }
                })?;
            }
            Err(e) => return Err(io_err(prefix, "resolve")(e)),
        }
    }
    Ok(cur)
}

/// Resolves `path` in `root`, creating it (and its parents) if missing, and
/// returns an `O_PATH` fd of what is there: the mount target.
pub fn ensure(root: BorrowedFd<'_>, path: &Path, kind: Kind) -> Result<OwnedFd, RootfsError> {
    let comps = clean(path);
    if kind == Kind::Dir || comps.is_empty() {
        return ensure_dir(root, &comps);
    }
    if let Some(fd) = open_existing(root, path)? {
        return Ok(fd);
    }
    let (name, parent) = comps.split_last().expect("non-empty");
    let dir = ensure_dir(root, parent)?;
    match sfs::create_file_at(dir.as_fd(), name, 0o644) {
        Ok(_) => {}
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(io_err(&comps, "create")(e)),
    }
    match open_existing(root, path)? {
        Some(fd) => Ok(fd),
        None => Err(RootfsError::InvalidPath {
            path: display(&comps),
            reason: "is a dangling symlink".into(),
        }),
    }
}

/// The parent directory of `path` in `root` (created if missing) and the last
/// component, for calls that create a node by name (mknod, symlink).
pub fn ensure_parent(root: BorrowedFd<'_>, path: &Path) -> Result<(OwnedFd, Vec<u8>), RootfsError> {
    let comps = clean(path);
    let Some((name, parent)) = comps.split_last() else {
        return Err(RootfsError::InvalidPath {
            path: path.display().to_string(),
            reason: "names the root itself".into(),
        });
    };
    Ok((ensure_dir(root, parent)?, name.clone()))
}

/// `/proc/self/fd/N` for `fd`: the exact inode, for mount(2) and friends.
pub fn fd_path(fd: BorrowedFd<'_>) -> PathBuf {
    sfs::proc_fd_path(fd)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::MetadataExt;

    fn ino_of_fd(fd: &OwnedFd) -> u64 {
        sfs::stat_fd(fd.as_fd()).unwrap().st_ino
    }

    #[test]
    fn clean_is_lexical_and_clamped() {
        let c = clean(Path::new("/a/./b/../../../c//d"));
        assert_eq!(c, vec![b"c".to_vec(), b"d".to_vec()]);
        assert_eq!(display(&clean(Path::new("/"))), "/");
        assert_eq!(display(&clean(Path::new("dev/pts"))), "/dev/pts");
    }

    #[test]
    fn absolute_symlink_to_host_path_stays_inside() {
        let host = tempfile::tempdir().unwrap();
        let outside = host.path().join("outside");
        std::fs::create_dir(&outside).unwrap();
        let rootfs = host.path().join("rootfs");
        std::fs::create_dir(&rootfs).unwrap();
        // The image's symlink names the host directory by its absolute path.
        std::os::unix::fs::symlink(&outside, rootfs.join("evil")).unwrap();
        let root = sfs::open_dir(&rootfs).unwrap();

        // The target does not exist inside the rootfs: a dangling symlink is
        // an error, and nothing is created on the host.
        let err = ensure(root.as_fd(), Path::new("/evil/sub"), Kind::Dir).unwrap_err();
        assert!(matches!(err, RootfsError::InvalidPath { .. }), "{err}");
        assert_eq!(std::fs::read_dir(&outside).unwrap().count(), 0);

        // Once the same path exists inside the rootfs, resolution lands there.
        let inner = rootfs.join(outside.strip_prefix("/").unwrap());
        std::fs::create_dir_all(&inner).unwrap();
        let fd = ensure(root.as_fd(), Path::new("/evil/sub"), Kind::Dir).unwrap();
        assert!(inner.join("sub").is_dir());
        assert_eq!(
            ino_of_fd(&fd),
            std::fs::metadata(inner.join("sub")).unwrap().ino()
        );
        assert_eq!(std::fs::read_dir(&outside).unwrap().count(), 0);

        // A file target through the symlink is created inside too.
        let fd = ensure(root.as_fd(), Path::new("/evil/f"), Kind::File).unwrap();
        assert!(inner.join("f").is_file());
        assert_eq!(
            ino_of_fd(&fd),
            std::fs::metadata(inner.join("f")).unwrap().ino()
        );
        assert!(!outside.join("f").exists());
    }

    #[test]
    fn dotdot_symlinks_are_clamped_at_the_root() {
        let host = tempfile::tempdir().unwrap();
        let rootfs = host.path().join("rootfs");
        std::fs::create_dir(&rootfs).unwrap();
        std::os::unix::fs::symlink("../../../../..", rootfs.join("up")).unwrap();
        let root = sfs::open_dir(&rootfs).unwrap();
        let fd = ensure(root.as_fd(), Path::new("/up/up/x"), Kind::Dir).unwrap();
        // `up` resolves to the rootfs itself, so x is created at its top.
        assert!(rootfs.join("x").is_dir());
        assert!(!host.path().join("x").exists());
        assert_eq!(
            ino_of_fd(&fd),
            std::fs::metadata(rootfs.join("x")).unwrap().ino()
        );
    }

    #[test]
    fn creates_nested_dirs_and_parent_for_nodes() {
        let d = tempfile::tempdir().unwrap();
        let root = sfs::open_dir(d.path()).unwrap();
        ensure(root.as_fd(), Path::new("/a/b/c"), Kind::Dir).unwrap();
        assert!(d.path().join("a/b/c").is_dir());
        let (dir, name) = ensure_parent(root.as_fd(), Path::new("/dev/net/tun")).unwrap();
        assert_eq!(name, b"tun");
        assert_eq!(
            ino_of_fd(&dir),
            std::fs::metadata(d.path().join("dev/net")).unwrap().ino()
        );
        assert!(ensure_parent(root.as_fd(), Path::new("/")).is_err());
        // An existing file is returned as is, not recreated.
        std::fs::write(d.path().join("a/file"), b"keep").unwrap();
        ensure(root.as_fd(), Path::new("a/file"), Kind::File).unwrap();
        assert_eq!(std::fs::read(d.path().join("a/file")).unwrap(), b"keep");
        assert!(
            open_existing(root.as_fd(), Path::new("/nope"))
                .unwrap()
                .is_none()
        );
    }
}
