//! Filesystem primitives for unpacking untrusted layers: path resolution that
//! cannot leave a root directory (`openat2` + `RESOLVE_IN_ROOT`), `*at`
//! creation calls relative to resolved directory fds, and the overlay mount
//! used by the driver probe. rustix is safe already; only `unshare` needs
//! `unsafe` here.
use std::ffi::OsStr;
use std::io;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use rustix::fs::{
    self as rfs, AtFlags, FileType, Mode, OFlags, ResolveFlags, Timespec, Timestamps,
};

pub use rustix::fs::Stat;

fn to_io(e: rustix::io::Errno) -> io::Error {
    io::Error::from(e)
}

/// Opens `path` as an `O_PATH` directory fd, the anchor for `*_in_root` calls.
pub fn open_dir(path: &Path) -> io::Result<OwnedFd> {
    rfs::open(
        path,
        OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC,
        Mode::empty(),
    )
    .map_err(to_io)
}

/// Resolves `path` beneath `root` as if `root` were `/`: absolute symlinks and
/// `..` are clamped to `root`, magic links (`/proc/*/fd`) are refused, so the
/// result is always inside `root`.
pub fn open_in_root(
    root: BorrowedFd<'_>,
    path: &[u8],
    flags: OFlags,
    mode: u32,
) -> io::Result<OwnedFd> {
    let path: &[u8] = if path.is_empty() { b"." } else { path };
    let resolve = ResolveFlags::IN_ROOT | ResolveFlags::NO_MAGICLINKS;
    let mut tries = 0;
    loop {
        match rfs::openat2(
            root,
            path,
            flags | OFlags::CLOEXEC,
            Mode::from_raw_mode(mode),
            resolve,
        ) {
            // The kernel asks for a retry when a concurrent rename raced with
            // a RESOLVE_IN_ROOT lookup.
            Err(rustix::io::Errno::AGAIN) if tries < 64 => tries += 1,
            r => return r.map_err(to_io),
        }
    }
}

/// `O_PATH` fd of the directory `path` resolved in `root`.
pub fn open_dir_in_root(root: BorrowedFd<'_>, path: &[u8]) -> io::Result<OwnedFd> {
    open_in_root(root, path, OFlags::PATH | OFlags::DIRECTORY, 0)
}

/// `O_PATH` fd of the single component `name` in `dir`, not following a
/// symlink there (a symlink yields a fd to the link itself).
pub fn open_path_at(dir: BorrowedFd<'_>, name: &[u8]) -> io::Result<OwnedFd> {
    rfs::openat(
        dir,
        name,
        OFlags::PATH | OFlags::NOFOLLOW | OFlags::CLOEXEC,
        Mode::empty(),
    )
    .map_err(to_io)
}

/// Creates a new regular file `name` in `dir`; fails if anything is there.
pub fn create_file_at(dir: BorrowedFd<'_>, name: &[u8], mode: u32) -> io::Result<std::fs::File> {
    let fd = rfs::openat(
        dir,
        name,
        OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL | OFlags::NOFOLLOW | OFlags::CLOEXEC,
        Mode::from_raw_mode(mode),
    )
    .map_err(to_io)?;
    Ok(std::fs::File::from(fd))
}

pub fn mkdir_at(dir: BorrowedFd<'_>, name: &[u8], mode: u32) -> io::Result<()> {
    rfs::mkdirat(dir, name, Mode::from_raw_mode(mode)).map_err(to_io)
}

pub fn symlink_at(target: &[u8], dir: BorrowedFd<'_>, name: &[u8]) -> io::Result<()> {
    rfs::symlinkat(target, dir, name).map_err(to_io)
}

pub fn read_link_at(dir: BorrowedFd<'_>, name: &[u8]) -> io::Result<Vec<u8>> {
    rfs::readlinkat(dir, name, Vec::new())
        .map(|c| c.into_bytes())
        .map_err(to_io)
}

/// The kind of special file `mknod_at` creates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NodeKind {
    Fifo,
    Char,
    Block,
}

pub fn mknod_at(
    dir: BorrowedFd<'_>,
    name: &[u8],
    kind: NodeKind,
    mode: u32,
    major: u32,
    minor: u32,
) -> io::Result<()> {
    let ft = match kind {
        NodeKind::Fifo => FileType::Fifo,
        NodeKind::Char => FileType::CharacterDevice,
        NodeKind::Block => FileType::BlockDevice,
    };
    let dev = rfs::makedev(major, minor);
    rfs::mknodat(dir, name, ft, Mode::from_raw_mode(mode & 0o7777), dev).map_err(to_io)
}

/// Creates an overlayfs whiteout (char device 0:0). The kernel allows this
/// without CAP_MKNOD since 5.8.
pub fn make_whiteout_at(dir: BorrowedFd<'_>, name: &[u8]) -> io::Result<()> {
    mknod_at(dir, name, NodeKind::Char, 0, 0, 0)
}

/// `/proc/self/fd/N`: a path naming exactly the inode `fd` refers to.
pub fn proc_fd_path(fd: BorrowedFd<'_>) -> PathBuf {
    PathBuf::from(format!("/proc/self/fd/{}", fd.as_raw_fd()))
}

/// `/proc/self/fd/N/name`: the entry `name` inside directory fd `dir`, for
/// path-only calls such as `lsetxattr` (the final component is not followed).
fn proc_fd_child(dir: BorrowedFd<'_>, name: &[u8]) -> PathBuf {
    let mut p = proc_fd_path(dir).into_os_string();
    p.push("/");
    p.push(OsStr::from_bytes(name));
    PathBuf::from(p)
}

/// Hard-links the inode behind `target` (an `O_PATH` fd, possibly of a
/// symlink) as `name` in `dir`. Going through the `/proc/self/fd` magic link
/// with `AT_SYMLINK_FOLLOW` needs no CAP_DAC_READ_SEARCH, unlike AT_EMPTY_PATH,
/// and links a symlink itself rather than what it points to.
pub fn link_fd_at(target: BorrowedFd<'_>, dir: BorrowedFd<'_>, name: &[u8]) -> io::Result<()> {
    rfs::linkat(
        rfs::CWD,
        proc_fd_path(target),
        dir,
        name,
        AtFlags::SYMLINK_FOLLOW,
    )
    .map_err(to_io)
}

/// `fchownat(dir, name, uid, gid, AT_SYMLINK_NOFOLLOW)`.
pub fn chown_at(dir: BorrowedFd<'_>, name: &[u8], uid: u32, gid: u32) -> io::Result<()> {
    let name: &[u8] = if name.is_empty() { b"." } else { name };
    let (u, g) = (rfs::Uid::from_raw(uid), rfs::Gid::from_raw(gid));
    rfs::chownat(dir, name, Some(u), Some(g), AtFlags::SYMLINK_NOFOLLOW).map_err(to_io)
}

/// Sets the mode of the inode behind `fd` (an `O_PATH` fd of a non-symlink).
pub fn chmod_fd(fd: BorrowedFd<'_>, mode: u32) -> io::Result<()> {
    rfs::chmodat(
        rfs::CWD,
        proc_fd_path(fd),
        Mode::from_raw_mode(mode & 0o7777),
        AtFlags::empty(),
    )
    .map_err(to_io)
}

/// Sets atime and mtime of `name` in `dir` without following a symlink.
pub fn set_times_at(
    dir: BorrowedFd<'_>,
    name: &[u8],
    atime: (i64, u32),
    mtime: (i64, u32),
) -> io::Result<()> {
    let name: &[u8] = if name.is_empty() { b"." } else { name };
    rfs::utimensat(
        dir,
        name,
        &timestamps(atime, mtime),
        AtFlags::SYMLINK_NOFOLLOW,
    )
    .map_err(to_io)
}

fn timestamps(atime: (i64, u32), mtime: (i64, u32)) -> Timestamps {
    let ts = |(s, n): (i64, u32)| Timespec {
        tv_sec: s,
        tv_nsec: n.min(999_999_999) as _,
    };
    Timestamps {
        last_access: ts(atime),
        last_modification: ts(mtime),
    }
}

/// Sets atime and mtime of the inode behind `fd` (an `O_PATH` fd of a
/// non-symlink).
pub fn set_times_fd(fd: BorrowedFd<'_>, atime: (i64, u32), mtime: (i64, u32)) -> io::Result<()> {
    // Following the /proc magic link reaches exactly the inode behind `fd`.
    rfs::utimensat(
        rfs::CWD,
        proc_fd_path(fd),
        &timestamps(atime, mtime),
        AtFlags::empty(),
    )
    .map_err(to_io)
}

/// `O_PATH` fd of `path` resolved in `root` without following a final
/// symlink (the fd then refers to the link).
pub fn open_path_in_root_nofollow(root: BorrowedFd<'_>, path: &[u8]) -> io::Result<OwnedFd> {
    open_in_root(root, path, OFlags::PATH | OFlags::NOFOLLOW, 0)
}

/// Sets an xattr on `name` in `dir`, not following a final symlink.
pub fn set_xattr_at(dir: BorrowedFd<'_>, name: &[u8], key: &[u8], value: &[u8]) -> io::Result<()> {
    if name.is_empty() {
        return set_xattr_fd(dir, key, value);
    }
    let path = proc_fd_child(dir, name);
    rfs::lsetxattr(path.as_path(), key, value, rfs::XattrFlags::empty()).map_err(to_io)
}

/// Sets an xattr on the inode behind `fd` (an `O_PATH` fd of a non-symlink).
pub fn set_xattr_fd(fd: BorrowedFd<'_>, key: &[u8], value: &[u8]) -> io::Result<()> {
    rfs::setxattr(
        proc_fd_path(fd).as_path(),
        key,
        value,
        rfs::XattrFlags::empty(),
    )
    .map_err(to_io)
}

/// Reads an xattr of the inode behind `fd` (non-symlink); `None` if unset.
pub fn get_xattr_fd(fd: BorrowedFd<'_>, key: &[u8]) -> io::Result<Option<Vec<u8>>> {
    xattr::get_deref(proc_fd_path(fd), OsStr::from_bytes(key))
}

/// All xattrs of `name` in `dir` (not following a symlink), as (key, value).
pub fn list_xattrs_at(dir: BorrowedFd<'_>, name: &[u8]) -> io::Result<Vec<(Vec<u8>, Vec<u8>)>> {
    let path = proc_fd_child(dir, name);
    let keys = match xattr::list(&path) {
        Ok(k) => k,
        Err(e) if e.raw_os_error() == Some(libc::EOPNOTSUPP) => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let mut out = Vec::new();
    for key in keys {
        if let Some(v) = xattr::get(&path, &key)? {
            out.push((key.as_bytes().to_vec(), v));
        }
    }
    Ok(out)
}

/// All xattrs of the inode behind `fd` (an `O_PATH` fd of a non-symlink).
pub fn list_xattrs_fd(fd: BorrowedFd<'_>) -> io::Result<Vec<(Vec<u8>, Vec<u8>)>> {
    let path = proc_fd_path(fd);
    let keys = match xattr::list_deref(&path) {
        Ok(k) => k,
        Err(e) if e.raw_os_error() == Some(libc::EOPNOTSUPP) => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let mut out = Vec::new();
    for key in keys {
        if let Some(v) = xattr::get_deref(&path, &key)? {
            out.push((key.as_bytes().to_vec(), v));
        }
    }
    Ok(out)
}

pub fn stat_fd(fd: BorrowedFd<'_>) -> io::Result<Stat> {
    rfs::fstat(fd).map_err(to_io)
}

/// `lstat` of `name` in `dir`; `None` if nothing is there.
pub fn lstat_at(dir: BorrowedFd<'_>, name: &[u8]) -> io::Result<Option<Stat>> {
    match rfs::statat(dir, name, AtFlags::SYMLINK_NOFOLLOW) {
        Ok(st) => Ok(Some(st)),
        Err(rustix::io::Errno::NOENT) => Ok(None),
        Err(e) => Err(to_io(e)),
    }
}

pub fn is_dir(st: &Stat) -> bool {
    FileType::from_raw_mode(st.st_mode) == FileType::Directory
}

pub fn is_symlink(st: &Stat) -> bool {
    FileType::from_raw_mode(st.st_mode) == FileType::Symlink
}

pub fn is_regular(st: &Stat) -> bool {
    FileType::from_raw_mode(st.st_mode) == FileType::RegularFile
}

/// True for an overlayfs whiteout (char device 0:0).
pub fn is_whiteout(st: &Stat) -> bool {
    FileType::from_raw_mode(st.st_mode) == FileType::CharacterDevice && st.st_rdev == 0
}

pub fn file_type_of(st: &Stat) -> FileType {
    FileType::from_raw_mode(st.st_mode)
}

/// Opens the regular file `name` in `dir` for reading, refusing symlinks.
pub fn open_read_at(dir: BorrowedFd<'_>, name: &[u8]) -> io::Result<std::fs::File> {
    let fd = rfs::openat(
        dir,
        name,
        OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
        Mode::empty(),
    )
    .map_err(to_io)?;
    Ok(std::fs::File::from(fd))
}

/// Opens the directory `name` in `dir` (`b""`: `dir` itself) for listing
/// its entries, refusing a symlink.
pub fn open_dir_read_at(dir: BorrowedFd<'_>, name: &[u8]) -> io::Result<OwnedFd> {
    let name: &[u8] = if name.is_empty() { b"." } else { name };
    rfs::openat(
        dir,
        name,
        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
        Mode::empty(),
    )
    .map_err(to_io)
}

/// Entry names of `dir` (a directory fd, `O_PATH` or not) without `.` and
/// `..`, sorted bytewise so walks are deterministic.
pub fn list_dir(dir: BorrowedFd<'_>) -> io::Result<Vec<Vec<u8>>> {
    let fd = open_dir_read_at(dir, b".")?;
    let mut names = Vec::new();
    let mut it = rfs::Dir::read_from(&fd).map_err(to_io)?;
    while let Some(ent) = it.read() {
        let ent = ent.map_err(to_io)?;
        let n = ent.file_name().to_bytes();
        if n != b"." && n != b".." {
            names.push(n.to_vec());
        }
    }
    names.sort();
    Ok(names)
}

/// Removes `name` in `dir` whatever it is; a directory is removed with its
/// contents, granting ourselves u+rwx on directories that deny it. Never
/// follows symlinks. Missing is not an error.
pub fn remove_all_at(dir: BorrowedFd<'_>, name: &[u8]) -> io::Result<()> {
    let Some(st) = lstat_at(dir, name)? else {
        return Ok(());
    };
    if !is_dir(&st) {
        return match rfs::unlinkat(dir, name, AtFlags::empty()) {
            Err(rustix::io::Errno::NOENT) => Ok(()),
            r => r.map_err(to_io),
        };
    }
    if st.st_mode & 0o700 != 0o700 {
        let p = open_path_at(dir, name)?;
        chmod_fd(p.as_fd(), (st.st_mode | 0o700) & 0o7777)?;
    }
    let sub = rfs::openat(
        dir,
        name,
        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
        Mode::empty(),
    )
    .map_err(to_io)?;
    empty_dir(sub.as_fd())?;
    match rfs::unlinkat(dir, name, AtFlags::REMOVEDIR) {
        Err(rustix::io::Errno::NOENT) => Ok(()),
        r => r.map_err(to_io),
    }
}

fn empty_dir(dir: BorrowedFd<'_>) -> io::Result<()> {
    // Collect names first: removing while iterating can skip entries.
    let mut names = Vec::new();
    let mut it = rfs::Dir::read_from(dir).map_err(to_io)?;
    while let Some(ent) = it.read() {
        let ent = ent.map_err(to_io)?;
        let n = ent.file_name().to_bytes();
        if n != b"." && n != b".." {
            names.push(n.to_vec());
        }
    }
    for n in names {
        remove_all_at(dir, &n)?;
    }
    Ok(())
}

/// Removes the tree at `path` (see `remove_all_at`). Missing is not an error.
pub fn remove_tree(path: &Path) -> io::Result<()> {
    let parent = path.parent().unwrap_or(Path::new("/"));
    let Some(name) = path.file_name() else {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("refusing to remove {}", path.display()),
        ));
    };
    let dir = match open_dir(if parent.as_os_str().is_empty() {
        Path::new(".")
    } else {
        parent
    }) {
        Ok(d) => d,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    remove_all_at(dir.as_fd(), name.as_bytes())
}

/// Flushes the whole filesystem holding `fd` (one call instead of an fsync
/// per unpacked file).
pub fn syncfs(fd: BorrowedFd<'_>) -> io::Result<()> {
    rfs::syncfs(fd).map_err(to_io)
}

/// Runs `f` on a fresh thread that first moves into a new mount namespace with
/// every mount private, so mounts made by `f` are seen by no other process and
/// vanish when the thread exits. Fails if the namespace cannot be created.
pub fn in_private_mount_ns<T: Send + 'static>(
    f: impl FnOnce() -> io::Result<T> + Send + 'static,
) -> io::Result<T> {
    std::thread::spawn(move || {
        // SAFETY: CLONE_NEWNS (with the CLONE_FS it implies) only changes this
        // thread's mount namespace, root and cwd; it does not touch the fd
        // table, so no thread can observe an fd from a different table. The
        // thread ends when `f` returns, taking the namespace with it.
        unsafe { rustix::thread::unshare_unsafe(rustix::thread::UnshareFlags::NEWNS) }
            .map_err(to_io)?;
        rustix::mount::mount_change(
            "/",
            rustix::mount::MountPropagationFlags::REC
                | rustix::mount::MountPropagationFlags::PRIVATE,
        )
        .map_err(to_io)?;
        f()
    })
    .join()
    .map_err(|_| io::Error::other("mount namespace thread panicked"))?
}

/// Mounts an overlay at `target` with the given option string.
pub fn mount_overlay(target: &Path, options: &str) -> io::Result<()> {
    let data = std::ffi::CString::new(options)
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "NUL in overlay options"))?;
    rustix::mount::mount(
        "overlay",
        target,
        "overlay",
        rustix::mount::MountFlags::empty(),
        data.as_c_str(),
    )
    .map_err(to_io)
}

pub fn unmount_detach(target: &Path) -> io::Result<()> {
    rustix::mount::unmount(target, rustix::mount::UnmountFlags::DETACH).map_err(to_io)
}

/// Marks `dir` as a top of unrelated directory trees for ext4's Orlov
/// allocator (`chattr +T`), so each subdirectory starts in a fresh block
/// group. Best effort: other filesystems do not know the flag.
pub fn set_topdir_hint(dir: &Path) {
    let Ok(fd) = rustix::fs::open(
        dir,
        rustix::fs::OFlags::RDONLY | rustix::fs::OFlags::DIRECTORY | rustix::fs::OFlags::CLOEXEC,
        rustix::fs::Mode::empty(),
    ) else {
        return;
    };
    if let Ok(flags) = rustix::fs::ioctl_getflags(&fd)
        && !flags.contains(rustix::fs::IFlags::TOPDIR)
    {
        let _ = rustix::fs::ioctl_setflags(&fd, flags | rustix::fs::IFlags::TOPDIR);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_in_root_clamps_absolute_symlinks() {
        let d = tempfile::tempdir().unwrap();
        std::fs::create_dir(d.path().join("etc")).unwrap();
        std::os::unix::fs::symlink("/etc", d.path().join("link")).unwrap();
        let root = open_dir(d.path()).unwrap();
        let fd = open_dir_in_root(root.as_fd(), b"link").unwrap();
        let st = stat_fd(fd.as_fd()).unwrap();
        let inside = std::fs::metadata(d.path().join("etc")).unwrap();
        use std::os::unix::fs::MetadataExt;
        assert_eq!(st.st_ino, inside.ino());
        // A `..` walk stays at the root.
        let fd = open_dir_in_root(root.as_fd(), b"../../..").unwrap();
        let st = stat_fd(fd.as_fd()).unwrap();
        assert_eq!(st.st_ino, std::fs::metadata(d.path()).unwrap().ino());
    }

    #[test]
    fn remove_all_handles_unwritable_dirs() {
        use std::os::unix::fs::PermissionsExt;
        let d = tempfile::tempdir().unwrap();
        let t = d.path().join("t");
        std::fs::create_dir_all(t.join("a/b")).unwrap();
        std::fs::write(t.join("a/b/f"), b"x").unwrap();
        std::os::unix::fs::symlink("/etc", t.join("a/l")).unwrap();
        std::fs::set_permissions(t.join("a/b"), std::fs::Permissions::from_mode(0o500)).unwrap();
        std::fs::set_permissions(t.join("a"), std::fs::Permissions::from_mode(0o000)).unwrap();
        remove_tree(&t).unwrap();
        assert!(!t.exists());
        assert!(Path::new("/etc").is_dir());
        remove_tree(&t).unwrap();
    }
}
