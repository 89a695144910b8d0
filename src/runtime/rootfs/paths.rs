//! `linux.maskedPaths` and `linux.readonlyPaths`, applied after the root
//! switch so they act on the container's own /proc and /sys. Paths missing in
//! the container are skipped, as the spec allows.
use std::os::fd::{AsFd, BorrowedFd};
use std::path::Path;

use crate::sys::fs::{self as sfs, Stat};
use crate::sys::mount as sm;

use super::resolve;
use super::{RootfsError, mounts};

/// How a masked path is hidden.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MaskAction {
    /// Nothing there: nothing to hide.
    Skip,
    /// A directory: an empty read-only tmpfs over it.
    EmptyTmpfs,
    /// Anything else: `/dev/null` bind-mounted over it (reads as empty).
    BindNull,
}

pub fn mask_action(st: Option<&Stat>) -> MaskAction {
    match st {
        None => MaskAction::Skip,
        Some(st) if sfs::is_dir(st) => MaskAction::EmptyTmpfs,
        Some(_) => MaskAction::BindNull,
    }
}

fn merr(what: &str, dest: &str) -> impl FnOnce(std::io::Error) -> RootfsError {
    let (what, dest) = (what.to_string(), dest.to_string());
    move |source| RootfsError::Mount { what, dest, source }
}

pub(super) fn mask_paths(root: BorrowedFd<'_>, paths: &[String]) -> Result<(), RootfsError> {
    for p in paths {
        let fd = resolve::open_existing(root, Path::new(p))?;
        let st = fd
            .as_ref()
            .map(|fd| sfs::stat_fd(fd.as_fd()))
            .transpose()
            .map_err(|source| RootfsError::Io {
                op: "stat",
                path: p.clone(),
                source,
            })?;
        let (Some(fd), action) = (fd, mask_action(st.as_ref())) else {
            continue;
        };
        let target = resolve::fd_path(fd.as_fd());
        match action {
            MaskAction::Skip => {}
            MaskAction::EmptyTmpfs => sm::mount(
                Some(Path::new("tmpfs")),
                &target,
                Some("tmpfs"),
                libc::MS_RDONLY | libc::MS_NOSUID | libc::MS_NODEV | libc::MS_NOEXEC,
                None,
            )
            .map_err(merr("mask (tmpfs)", p))?,
            MaskAction::BindNull => sm::mount(
                Some(Path::new("/dev/null")),
                &target,
                None,
                libc::MS_BIND,
                None,
            )
            .map_err(merr("mask (/dev/null)", p))?,
        }
    }
    Ok(())
}

pub(super) fn readonly_paths(root: BorrowedFd<'_>, paths: &[String]) -> Result<(), RootfsError> {
    for p in paths {
        let Some(fd) = resolve::open_existing(root, Path::new(p))? else {
            continue;
        };
        let target = resolve::fd_path(fd.as_fd());
        sm::mount(
            Some(&target),
            &target,
            None,
            libc::MS_BIND | libc::MS_REC,
            None,
        )
        .map_err(merr("read-only bind", p))?;
        make_readonly(root, true, p)?;
    }
    Ok(())
}

/// Makes the mount at `path` read-only (its whole subtree when `recursive`)
/// with mount_setattr, which changes only that bit; on kernels without it, a
/// bind remount that keeps the flags the mount's owner locked.
pub(super) fn make_readonly(
    root: BorrowedFd<'_>,
    recursive: bool,
    path: &str,
) -> Result<(), RootfsError> {
    let fd =
        resolve::open_existing(root, Path::new(path))?.ok_or_else(|| RootfsError::InvalidPath {
            path: path.to_string(),
            reason: "vanished".into(),
        })?;
    match sm::mount_setattr(fd.as_fd(), recursive, sm::MOUNT_ATTR_RDONLY, 0, 0) {
        Err(e) if e.raw_os_error() == Some(libc::ENOSYS) => {
            mounts::remount(fd.as_fd(), libc::MS_RDONLY).map_err(merr("read-only remount", path))
        }
        r => r.map_err(merr("read-only", path)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mask_decisions() {
        let d = tempfile::tempdir().unwrap();
        std::fs::create_dir(d.path().join("dir")).unwrap();
        std::fs::write(d.path().join("file"), b"secret").unwrap();
        let root = sfs::open_dir(d.path()).unwrap();
        let st = |p: &str| sfs::lstat_at(root.as_fd(), p.as_bytes()).unwrap();
        assert_eq!(mask_action(st("dir").as_ref()), MaskAction::EmptyTmpfs);
        assert_eq!(mask_action(st("file").as_ref()), MaskAction::BindNull);
        assert_eq!(mask_action(st("missing").as_ref()), MaskAction::Skip);
        // A char device (like /proc/kcore's neighbours in /dev) is bound over.
        let null = sfs::open_dir(Path::new("/dev")).unwrap();
        let st = sfs::lstat_at(null.as_fd(), b"null").unwrap();
        assert_eq!(mask_action(st.as_ref()), MaskAction::BindNull);
    }

    #[test]
    fn missing_masked_and_readonly_paths_are_ignored() {
        // Nothing exists, so no mount is attempted (this runs unprivileged).
        let d = tempfile::tempdir().unwrap();
        let root = sfs::open_dir(d.path()).unwrap();
        let paths = vec!["/proc/kcore".to_string(), "/sys/firmware".to_string()];
        mask_paths(root.as_fd(), &paths).unwrap();
        readonly_paths(root.as_fd(), &paths).unwrap();
        assert_eq!(std::fs::read_dir(d.path()).unwrap().count(), 0);
    }
}
