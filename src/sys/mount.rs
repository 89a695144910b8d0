//! Mount-namespace syscalls for the container init: mount(2) with raw flags
//! and data, mount_setattr(2) for recursive attributes, pivot_root, chroot,
//! umount2, hostname and domainname. The callers resolve every target to an
//! `O_PATH` fd first and pass `/proc/self/fd/N` here, so no path given to the
//! kernel can be redirected by a symlink in the container image.
use std::ffi::CString;
use std::io;
use std::os::fd::{AsRawFd, BorrowedFd};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

/// mount_setattr(2) attribute bits (linux/mount.h).
pub const MOUNT_ATTR_RDONLY: u64 = 0x0000_0001;
pub const MOUNT_ATTR_NOSUID: u64 = 0x0000_0002;
pub const MOUNT_ATTR_NODEV: u64 = 0x0000_0004;
pub const MOUNT_ATTR_NOEXEC: u64 = 0x0000_0008;
/// Mask of the atime mode; changing the mode must clear the whole mask.
pub const MOUNT_ATTR_ATIME_MASK: u64 = 0x0000_0070;
pub const MOUNT_ATTR_RELATIME: u64 = 0x0000_0000;
pub const MOUNT_ATTR_NOATIME: u64 = 0x0000_0010;
pub const MOUNT_ATTR_STRICTATIME: u64 = 0x0000_0020;
pub const MOUNT_ATTR_NODIRATIME: u64 = 0x0000_0080;
pub const MOUNT_ATTR_NOSYMFOLLOW: u64 = 0x0020_0000;

/// Filesystem magic numbers (statfs f_type) the rootfs code asks about.
pub const RAMFS_MAGIC: i64 = 0x8584_58f6;
pub const TMPFS_MAGIC: i64 = 0x0102_1994;
pub const CGROUP2_SUPER_MAGIC: i64 = 0x6367_7270;

/// The kernel's `struct mount_attr` (size version 0, 32 bytes).
#[repr(C)]
struct MountAttr {
    attr_set: u64,
    attr_clr: u64,
    propagation: u64,
    userns_fd: u64,
}

fn cstring(bytes: &[u8]) -> io::Result<CString> {
    CString::new(bytes).map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "NUL in path"))
}

/// mount(2). `flags` are `MS_*` bits; `None` passes NULL (as propagation
/// changes and remounts need).
pub fn mount(
    source: Option<&Path>,
    target: &Path,
    fstype: Option<&str>,
    flags: u64,
    data: Option<&str>,
) -> io::Result<()> {
    let source = source
        .map(|s| cstring(s.as_os_str().as_bytes()))
        .transpose()?;
    let target = cstring(target.as_os_str().as_bytes())?;
    let fstype = fstype.map(|s| cstring(s.as_bytes())).transpose()?;
    let data = data.map(|s| cstring(s.as_bytes())).transpose()?;
    let ptr = |c: &Option<CString>| c.as_ref().map_or(std::ptr::null(), |c| c.as_ptr());
    // SAFETY: every pointer is either NULL or a NUL-terminated string owned by
    // a CString that lives until the call returns; the kernel copies them.
    let rc = unsafe {
        libc::mount(
            ptr(&source),
            target.as_ptr(),
            ptr(&fstype),
            flags as libc::c_ulong,
            ptr(&data).cast(),
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

/// mount_setattr(2) on the mount `fd` refers to (AT_EMPTY_PATH), on the whole
/// subtree when `recursive`. `propagation` is 0 or one `MS_*` propagation bit.
pub fn mount_setattr(
    fd: BorrowedFd<'_>,
    recursive: bool,
    set: u64,
    clear: u64,
    propagation: u64,
) -> io::Result<()> {
    let attr = MountAttr {
        attr_set: set,
        attr_clr: clear,
        propagation,
        userns_fd: 0,
    };
    let mut flags = libc::AT_EMPTY_PATH as libc::c_uint;
    if recursive {
        flags |= libc::AT_RECURSIVE as libc::c_uint;
    }
    // SAFETY: `attr` is a properly laid out struct mount_attr that outlives the
    // call and its size is passed; the path is an empty NUL-terminated string
    // used with AT_EMPTY_PATH on a valid borrowed fd.
    let rc = unsafe {
        libc::syscall(
            libc::SYS_mount_setattr,
            fd.as_raw_fd(),
            c"".as_ptr(),
            flags,
            &attr as *const MountAttr,
            std::mem::size_of::<MountAttr>(),
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

/// The `MS_*` flags of the mount holding `fd` (statvfs' ST_* bits have the
/// same values for the ones a bind remount must keep).
pub fn mount_flags_of(fd: BorrowedFd<'_>) -> io::Result<u64> {
    let st = rustix::fs::fstatvfs(fd).map_err(io::Error::from)?;
    Ok(st.f_flag.bits())
}

/// statfs' f_type of the filesystem holding `path`.
pub fn fs_type(path: &Path) -> io::Result<i64> {
    let st = rustix::fs::statfs(path).map_err(io::Error::from)?;
    Ok(st.f_type as i64)
}

pub fn pivot_root(new_root: &Path, put_old: &Path) -> io::Result<()> {
    rustix::process::pivot_root(new_root, put_old).map_err(io::Error::from)
}

pub fn chroot(path: &Path) -> io::Result<()> {
    rustix::process::chroot(path).map_err(io::Error::from)
}

pub fn chdir(path: &Path) -> io::Result<()> {
    rustix::process::chdir(path).map_err(io::Error::from)
}

pub fn fchdir(fd: BorrowedFd<'_>) -> io::Result<()> {
    rustix::process::fchdir(fd).map_err(io::Error::from)
}

/// umount2(target, MNT_DETACH).
pub fn unmount_detach(target: &Path) -> io::Result<()> {
    rustix::mount::unmount(target, rustix::mount::UnmountFlags::DETACH).map_err(io::Error::from)
}

pub fn sethostname(name: &str) -> io::Result<()> {
    nix::unistd::sethostname(name).map_err(|e| io::Error::from_raw_os_error(e as i32))
}

pub fn setdomainname(name: &str) -> io::Result<()> {
    // SAFETY: the pointer and length describe the bytes of `name`, which lives
    // across the call; the kernel copies at most `len` bytes.
    let rc = unsafe { libc::setdomainname(name.as_ptr().cast(), name.len()) };
    if rc == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mount_attr_has_kernel_layout() {
        // MOUNT_ATTR_SIZE_VER0 is 32: a wrong size makes the kernel return E2BIG.
        assert_eq!(std::mem::size_of::<MountAttr>(), 32);
    }

    #[test]
    fn mount_flags_report_read_only_proc_sys() {
        // /proc itself is never mounted read-only, so the bit must be clear.
        let fd = crate::sys::fs::open_dir(Path::new("/proc")).unwrap();
        use std::os::fd::AsFd;
        let flags = mount_flags_of(fd.as_fd()).unwrap();
        assert_eq!(flags & libc::MS_RDONLY, 0);
        // PROC_SUPER_MAGIC
        assert_eq!(fs_type(Path::new("/proc")).unwrap(), 0x9fa0);
    }
}
