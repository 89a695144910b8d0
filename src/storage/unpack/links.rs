//! Hardlinks (with copy-up of targets from parent layers) and whiteouts.
use std::io;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};

use super::{
    OPAQUE_MARKER, UnpackError, Unpacker, WHITEOUT_PREFIX, WhiteoutFormat, clean_path, show,
};
use crate::sys::fs as sysfs;

impl Unpacker<'_> {
    pub(super) fn hardlink(
        &mut self,
        p: BorrowedFd<'_>,
        last: &[u8],
        comps: &[&[u8]],
        target_raw: &[u8],
        name: &str,
    ) -> Result<(), UnpackError> {
        let target_name = show(target_raw);
        let Some(target) = clean_path(target_raw) else {
            return Err(UnpackError::Escape(format!("{name} -> {target_name}")));
        };
        let Some((tlast, tparents)) = target.split_last() else {
            return Err(UnpackError::invalid(name, "hardlink to the layer root"));
        };
        if target == comps {
            return Ok(()); // a link to itself: nothing to do
        }
        let root = self.root.as_fd();
        let found = match sysfs::open_dir_in_root(root, &tparents.join(&b'/')) {
            Ok(dir) => match sysfs::open_path_at(dir.as_fd(), tlast) {
                Ok(fd) => Some(fd),
                Err(e) if e.kind() == io::ErrorKind::NotFound => None,
                Err(e) => return Err(UnpackError::entry(name, e)),
            },
            Err(e) if matches!(e.raw_os_error(), Some(libc::ENOENT) | Some(libc::ENOTDIR)) => None,
            Err(e) => return Err(UnpackError::entry(name, e)),
        };
        let fd = match found {
            Some(fd) => fd,
            None => self.copy_up(&target, name, &target_name)?,
        };
        let st = sysfs::stat_fd(fd.as_fd()).map_err(|e| UnpackError::entry(name, e))?;
        if sysfs::is_dir(&st) {
            return Err(UnpackError::invalid(
                name,
                format!("hardlink to directory {target_name:?}"),
            ));
        }
        self.clear(p, last, comps, false, name)?;
        sysfs::link_fd_at(fd.as_fd(), p, last).map_err(|e| UnpackError::entry(name, e))
    }

    /// Brings a hardlink target that only exists in a parent layer into this
    /// one, as overlayfs copy-up would, and returns an `O_PATH` fd of the copy.
    fn copy_up(
        &mut self,
        target: &[&[u8]],
        name: &str,
        target_name: &str,
    ) -> Result<OwnedFd, UnpackError> {
        let missing = || UnpackError::LinkTargetMissing {
            path: name.to_string(),
            target: target_name.to_string(),
        };
        let (tlast, tparents) = target.split_last().ok_or_else(missing)?;
        let Some(src) = self
            .lowers
            .find(target, self.opts.opaque_xattr)
            .map_err(|e| UnpackError::entry(name, e))?
        else {
            return Err(missing());
        };
        let dir = self.ensure_parent(tparents, name)?;
        self.clear(dir.as_fd(), tlast, target, false, name)?;
        let meta = src
            .copy_to(dir.as_fd(), tlast)
            .map_err(|e| UnpackError::entry(name, e))?;
        let symlink = sysfs::is_symlink(&src.stat);
        self.finish_meta(dir.as_fd(), tlast, None, name, &meta, symlink)?;
        sysfs::open_path_at(dir.as_fd(), tlast).map_err(|e| UnpackError::entry(name, e))
    }

    pub(super) fn whiteout(
        &mut self,
        parents: &[&[u8]],
        last: &[u8],
        name: &str,
    ) -> Result<(), UnpackError> {
        let dir = self.ensure_parent(parents, name)?;
        let d = dir.as_fd();
        let aufs = self.opts.whiteouts == WhiteoutFormat::Aufs;
        if last == OPAQUE_MARKER {
            if aufs {
                return self.empty_marker(d, parents, last, name);
            }
            return sysfs::set_xattr_at(d, b"", self.opts.opaque_xattr.as_bytes(), b"y")
                .map_err(|e| UnpackError::entry(name, e));
        }
        if last.starts_with(b".wh..wh.") {
            return Ok(()); // other aufs metadata (.wh..wh.plnk etc.): meaningless here
        }
        let victim = &last[WHITEOUT_PREFIX.len()..];
        if victim.is_empty() || victim == b"." || victim == b".." || victim.contains(&b'/') {
            return Err(UnpackError::invalid(name, "malformed whiteout"));
        }
        let mut path = parents.to_vec();
        path.push(victim);
        self.clear(d, victim, &path, false, name)?;
        if aufs {
            return self.empty_marker(d, parents, last, name);
        }
        sysfs::make_whiteout_at(d, victim).map_err(|e| UnpackError::entry(name, e))
    }

    fn empty_marker(
        &mut self,
        d: BorrowedFd<'_>,
        parents: &[&[u8]],
        last: &[u8],
        name: &str,
    ) -> Result<(), UnpackError> {
        let mut path = parents.to_vec();
        path.push(last);
        self.clear(d, last, &path, false, name)?;
        sysfs::create_file_at(d, last, 0o600)
            .map(drop)
            .map_err(|e| UnpackError::entry(name, e))
    }
}
