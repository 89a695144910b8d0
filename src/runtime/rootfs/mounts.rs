//! The spec's `mounts`, in order, onto targets resolved inside the rootfs.
//!
//! Rootless fallbacks (no error, as runc and crun do): sysfs needs
//! CAP_SYS_ADMIN over the network namespace's owner, so without it the host's
//! `/sys` is bind-mounted recursively (read-only when asked); mqueue falls
//! back to a bind of the host's `/dev/mqueue`; cgroup to a bind of the host's
//! `/sys/fs/cgroup`; when even the bind is refused the mount is skipped.
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::path::{Path, PathBuf};

use oci_spec::runtime::Mount;

use crate::sys::mount as sm;

use super::options::MountOptions;
use super::resolve::{self, Kind};
use super::{RootfsContext, RootfsError};

pub(super) fn mount_all(ctx: &RootfsContext, root: BorrowedFd<'_>) -> Result<(), RootfsError> {
    for m in ctx.spec.mounts().iter().flatten() {
        mount_one(ctx, root, m)?;
    }
    Ok(())
}

/// The host path of a bind source: relative sources are relative to the bundle.
pub fn host_source(bundle: &Path, source: Option<&Path>) -> Option<PathBuf> {
    let s = source?;
    Some(if s.is_absolute() {
        s.to_path_buf()
    } else {
        bundle.join(s)
    })
}

fn mount_one(ctx: &RootfsContext, root: BorrowedFd<'_>, m: &Mount) -> Result<(), RootfsError> {
    let mut opts = MountOptions::parse(m.options().as_deref().unwrap_or(&[]))?;
    let typ = m.typ().as_deref().unwrap_or("");
    let dest = m.destination().as_path();
    if opts.is_bind() || typ == "bind" {
        opts.flags |= libc::MS_BIND;
        let Some(src) = host_source(ctx.bundle, m.source().as_deref()) else {
            return Err(RootfsError::InvalidConfig(format!(
                "bind mount on {} has no source",
                dest.display()
            )));
        };
        return bind(root, &src, dest, &opts);
    }
    if typ.is_empty() {
        return Err(RootfsError::InvalidConfig(format!(
            "mount on {} has no type",
            dest.display()
        )));
    }
    let source = m.source().clone().unwrap_or_else(|| PathBuf::from(typ));
    match typ {
        "sysfs" => with_bind_fallback(root, &source, dest, typ, &opts, "/sys", false),
        "mqueue" => {
            with_bind_fallback(root, &source, dest, typ, &opts, "/dev/mqueue", ctx.rootless)
        }
        "cgroup" | "cgroup2" => cgroup(ctx, root, dest, typ, &opts),
        "devpts" => match mount_fs(root, &source, dest, typ, &opts) {
            // A gid= that is not mapped in a rootless user namespace makes
            // devpts fail with EINVAL: mount without it (group stays ours).
            Err(e)
                if e.errno() == Some(libc::EINVAL)
                    && opts.data.iter().any(|d| d.starts_with("gid=")) =>
            {
                let mut o = opts.clone();
                o.data.retain(|d| !d.starts_with("gid="));
                mount_fs(root, &source, dest, typ, &o)
            }
            r => r,
        },
        _ => mount_fs(root, &source, dest, typ, &opts),
    }
}

fn mount_err(what: &str, dest: &Path) -> impl FnOnce(std::io::Error) -> RootfsError {
    let (what, dest) = (what.to_string(), dest.display().to_string());
    move |source| RootfsError::Mount { what, dest, source }
}

/// A filesystem mount (tmpfs, proc, devpts, overlay, ...) with its flags and
/// data, then its propagation and recursive attributes.
fn mount_fs(
    root: BorrowedFd<'_>,
    source: &Path,
    dest: &Path,
    typ: &str,
    opts: &MountOptions,
) -> Result<(), RootfsError> {
    let target = resolve::ensure(root, dest, Kind::Dir)?;
    let flags = opts.flags & !(libc::MS_BIND | libc::MS_REC);
    sm::mount(
        Some(source),
        &resolve::fd_path(target.as_fd()),
        Some(typ),
        flags,
        opts.data_string().as_deref(),
    )
    .map_err(mount_err(typ, dest))?;
    finish(root, dest, opts)
}

/// A bind mount of the host path `src`; flags other than MS_REC need a
/// second, remount step because the kernel ignores them on a bind.
fn bind(
    root: BorrowedFd<'_>,
    src: &Path,
    dest: &Path,
    opts: &MountOptions,
) -> Result<(), RootfsError> {
    let meta = std::fs::metadata(src).map_err(mount_err(&src.display().to_string(), dest))?;
    let kind = if meta.is_dir() { Kind::Dir } else { Kind::File };
    let target = resolve::ensure(root, dest, kind)?;
    sm::mount(
        Some(src),
        &resolve::fd_path(target.as_fd()),
        None,
        libc::MS_BIND | (opts.flags & libc::MS_REC),
        None,
    )
    .map_err(mount_err(&src.display().to_string(), dest))?;
    let extra = opts.bind_remount_flags();
    if extra != 0 {
        let fd = reopen(root, dest)?;
        remount(fd.as_fd(), extra).map_err(mount_err("remount", dest))?;
    }
    finish(root, dest, opts)
}

/// The fd of what is now mounted at `dest` (the target fd taken before the
/// mount still names the covered directory).
fn reopen(root: BorrowedFd<'_>, dest: &Path) -> Result<OwnedFd, RootfsError> {
    resolve::open_existing(root, dest)?.ok_or_else(|| RootfsError::InvalidPath {
        path: dest.display().to_string(),
        reason: "vanished after mounting".into(),
    })
}

/// Bind remount of the mount behind `fd` with `flags`. Inside a user
/// namespace the kernel refuses to drop flags locked by the mount's owner
/// (nosuid, nodev, noexec, ro, atime), so on EPERM retry keeping them.
pub(super) fn remount(fd: BorrowedFd<'_>, flags: u64) -> std::io::Result<()> {
    let path = resolve::fd_path(fd);
    let base = libc::MS_REMOUNT | libc::MS_BIND;
    match sm::mount(None, &path, None, base | flags, None) {
        Err(e) if e.raw_os_error() == Some(libc::EPERM) => {
            const LOCKABLE: u64 = libc::MS_RDONLY
                | libc::MS_NOSUID
                | libc::MS_NODEV
                | libc::MS_NOEXEC
                | libc::MS_NOATIME
                | libc::MS_NODIRATIME
                | libc::MS_RELATIME;
            let current = sm::mount_flags_of(fd)? & LOCKABLE;
            if current & !flags == 0 {
                return Err(e);
            }
            sm::mount(None, &path, None, base | flags | current, None)
        }
        r => r,
    }
}

/// Propagation changes and recursive attributes, applied to the new mount.
fn finish(root: BorrowedFd<'_>, dest: &Path, opts: &MountOptions) -> Result<(), RootfsError> {
    if opts.propagation.is_empty() && !opts.has_recursive_attrs() {
        return Ok(());
    }
    let fd = reopen(root, dest)?;
    for &p in &opts.propagation {
        sm::mount(None, &resolve::fd_path(fd.as_fd()), None, p, None)
            .map_err(mount_err("propagation", dest))?;
    }
    if opts.has_recursive_attrs() {
        sm::mount_setattr(fd.as_fd(), true, opts.attr_set, opts.attr_clr, 0).map_err(|e| {
            if e.raw_os_error() == Some(libc::ENOSYS) {
                RootfsError::Unsupported(format!(
                    "recursive mount options on {} need mount_setattr (Linux 5.12)",
                    dest.display()
                ))
            } else {
                mount_err("recursive attributes", dest)(e)
            }
        })?;
    }
    Ok(())
}

fn is_permission_error(e: &RootfsError) -> bool {
    matches!(e.errno(), Some(libc::EPERM) | Some(libc::EACCES))
}

/// A recursive bind of the host's `host` at `dest`, carrying the requested
/// flags; a requested read-only applies to the whole subtree.
fn bind_host(
    root: BorrowedFd<'_>,
    host: &str,
    dest: &Path,
    opts: &MountOptions,
) -> Result<(), RootfsError> {
    let mut o = opts.clone();
    o.flags |= libc::MS_BIND | libc::MS_REC;
    o.data.clear();
    if o.flags & libc::MS_RDONLY != 0 {
        o.attr_set |= sm::MOUNT_ATTR_RDONLY;
        o.attr_clr &= !sm::MOUNT_ATTR_RDONLY;
    }
    bind(root, Path::new(host), dest, &o)
}

/// Mounts `typ`; when refused for lack of privilege, binds the host's `host`
/// instead; when that fails too and `skip_on_failure`, mounts nothing.
fn with_bind_fallback(
    root: BorrowedFd<'_>,
    source: &Path,
    dest: &Path,
    typ: &str,
    opts: &MountOptions,
    host: &str,
    skip_on_failure: bool,
) -> Result<(), RootfsError> {
    match mount_fs(root, source, dest, typ, opts) {
        Err(e) if is_permission_error(&e) => match bind_host(root, host, dest, opts) {
            Err(_) if skip_on_failure => Ok(()),
            r => r,
        },
        r => r,
    }
}

/// `cgroup`/`cgroup2`: on a cgroup v2 host, a cgroup2 mount (showing the
/// container's cgroup namespace); on a v1 or hybrid host, a recursive bind of
/// the host hierarchy (the per-controller v1 layout runc builds is not
/// reproduced). Rootless and refused: skipped.
fn cgroup(
    ctx: &RootfsContext,
    root: BorrowedFd<'_>,
    dest: &Path,
    typ: &str,
    opts: &MountOptions,
) -> Result<(), RootfsError> {
    let host_v2 = sm::fs_type(Path::new("/sys/fs/cgroup")).ok() == Some(sm::CGROUP2_SUPER_MAGIC);
    if host_v2 || typ == "cgroup2" {
        match mount_fs(root, Path::new("cgroup2"), dest, "cgroup2", opts) {
            Err(e) if is_permission_error(&e) || e.errno() == Some(libc::EBUSY) => {}
            r => return r,
        }
    }
    // After the sysfs fallback (a recursive bind of the host's /sys) the host
    // hierarchy is already there: binding it again would only stack a copy.
    if let (Ok(host), Some(fd)) = (
        std::fs::metadata("/sys/fs/cgroup"),
        resolve::open_existing(root, dest)?,
    ) && let Ok(st) = crate::sys::fs::stat_fd(fd.as_fd())
    {
        use std::os::unix::fs::MetadataExt;
        if st.st_dev == host.dev() && st.st_ino == host.ino() {
            return Ok(());
        }
    }
    match bind_host(root, "/sys/fs/cgroup", dest, opts) {
        Err(_) if ctx.rootless => Ok(()),
        r => r,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bind_sources_are_relative_to_the_bundle() {
        let b = Path::new("/bundles/x");
        assert_eq!(
            host_source(b, Some(Path::new("data"))),
            Some(PathBuf::from("/bundles/x/data"))
        );
        assert_eq!(
            host_source(b, Some(Path::new("/etc/hosts"))),
            Some(PathBuf::from("/etc/hosts"))
        );
        assert_eq!(host_source(b, None), None);
    }

    #[test]
    fn permission_errors_trigger_fallbacks() {
        let e = |n| RootfsError::Mount {
            what: "sysfs".into(),
            dest: "/sys".into(),
            source: std::io::Error::from_raw_os_error(n),
        };
        assert!(is_permission_error(&e(libc::EPERM)));
        assert!(is_permission_error(&e(libc::EACCES)));
        assert!(!is_permission_error(&e(libc::ENOENT)));
        assert!(!is_permission_error(&RootfsError::InvalidConfig(
            "x".into()
        )));
    }
}
