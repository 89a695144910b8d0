//! The vfs driver's rootfs: a full copy of the image, made by copying its
//! layers bottom first into the container's `upper` and applying each
//! layer's aufs whiteouts to what the layers below put there.
use std::collections::{HashMap, HashSet};
use std::io;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::path::{Path, PathBuf};

use rustix::fs::FileType;

use super::{RootfsError, is_overlay_xattr};
use crate::sys::fs as sysfs;

const WHITEOUT_PREFIX: &[u8] = b".wh.";
const OPAQUE_MARKER: &[u8] = b".wh..wh..opq";
/// aufs' own metadata (`.wh..wh.plnk`, `.wh..wh.aufs`): never copied.
const AUFS_META_PREFIX: &[u8] = b".wh..wh.";

/// Copies the layers (top first in `lowers`) into the empty directory `dst`.
pub(super) fn copy_layers(lowers: &[PathBuf], dst: &Path) -> Result<(), RootfsError> {
    let dst_root = sysfs::open_dir(dst).map_err(super::io_err("open", dst))?;
    let mut c = Copier {
        dst_root,
        dirs: Vec::new(),
        dir_index: HashMap::new(),
        links: HashMap::new(),
        warned: HashSet::new(),
    };
    for layer in lowers.iter().rev() {
        // Hardlinks never span layers (unpacking copies targets up).
        c.links.clear();
        c.layer(layer).map_err(|source| RootfsError::Copy {
            layer: layer.clone(),
            source,
        })?;
    }
    c.finish_dirs()
        .map_err(super::io_err("set directory modes and times in", dst))
}

/// Gives `upper`'s root the owner and mode of the image's root (`top`, the
/// top layer's diff dir), which the merged root shows.
#[allow(clippy::unnecessary_cast)] // Stat field types differ between arches
pub(super) fn copy_root_meta(top: &Path, upper: &Path) -> io::Result<()> {
    let src = sysfs::open_dir(top)?;
    let st = sysfs::stat_fd(src.as_fd())?;
    let dst = sysfs::open_dir(upper)?;
    sysfs::chown_at(dst.as_fd(), b"", st.st_uid as u32, st.st_gid as u32)?;
    sysfs::chmod_fd(dst.as_fd(), st.st_mode as u32)
}

/// A directory's mode and times, applied after everything below it is
/// written (writing children changes the mtime; a read-only mode would
/// block them). (dev, ino) tell whether a later layer replaced it.
struct DirMeta {
    rel: Vec<u8>,
    dev: u64,
    ino: u64,
    mode: u32,
    atime: (i64, u32),
    mtime: (i64, u32),
}

struct Copier {
    dst_root: OwnedFd,
    dirs: Vec<DirMeta>,
    dir_index: HashMap<Vec<u8>, usize>,
    /// Within the current layer: source (dev, ino) of a multiply linked
    /// file -> its copy's path and (dev, ino).
    links: HashMap<(u64, u64), (Vec<u8>, u64, u64)>,
    warned: HashSet<&'static str>,
}

fn join(rel: &[u8], name: &[u8]) -> Vec<u8> {
    let mut p = rel.to_vec();
    if !p.is_empty() {
        p.push(b'/');
    }
    p.extend_from_slice(name);
    p
}

#[allow(clippy::unnecessary_cast)] // Stat field types differ between arches
fn times(st: &sysfs::Stat) -> ((i64, u32), (i64, u32)) {
    (
        (st.st_atime as i64, st.st_atime_nsec as u32),
        (st.st_mtime as i64, st.st_mtime_nsec as u32),
    )
}

impl Copier {
    #[allow(clippy::unnecessary_cast)]
    fn layer(&mut self, path: &Path) -> io::Result<()> {
        let src = sysfs::open_dir(path)?;
        let st = sysfs::stat_fd(src.as_fd())?;
        let dst = self.dst_root.try_clone()?;
        sysfs::chown_at(dst.as_fd(), b"", st.st_uid as u32, st.st_gid as u32)?;
        self.defer_dir(Vec::new(), &st, dst.as_fd())?;
        self.dir(src.as_fd(), dst.as_fd(), &[])
    }

    /// Merges the layer directory `src` into `dst` (both `O_PATH` fds).
    fn dir(&mut self, src: BorrowedFd<'_>, dst: BorrowedFd<'_>, rel: &[u8]) -> io::Result<()> {
        let names = sysfs::list_dir(src)?;
        // Whiteouts first: they hide what lower layers put here, never what
        // this layer adds.
        if names.iter().any(|n| n == OPAQUE_MARKER) {
            for n in sysfs::list_dir(dst)? {
                sysfs::remove_all_at(dst, &n)?;
            }
        }
        for n in &names {
            if n.starts_with(AUFS_META_PREFIX) {
                continue;
            }
            if let Some(victim) = n.strip_prefix(WHITEOUT_PREFIX)
                && !victim.is_empty()
                && victim != b"."
                && victim != b".."
            {
                sysfs::remove_all_at(dst, victim)?;
            }
        }
        for n in names.iter().filter(|n| !n.starts_with(WHITEOUT_PREFIX)) {
            let Some(st) = sysfs::lstat_at(src, n)? else {
                continue;
            };
            let child = join(rel, n);
            let existing = sysfs::lstat_at(dst, n)?;
            if sysfs::is_dir(&st) {
                match existing {
                    Some(e) if sysfs::is_dir(&e) => {}
                    Some(_) => {
                        sysfs::remove_all_at(dst, n)?;
                        sysfs::mkdir_at(dst, n, 0o700)?;
                    }
                    None => sysfs::mkdir_at(dst, n, 0o700)?,
                }
                self.owner_and_xattrs(src, n, dst, &st)?;
                let s2 = sysfs::open_path_at(src, n)?;
                let d2 = sysfs::open_path_at(dst, n)?;
                self.defer_dir(child.clone(), &st, d2.as_fd())?;
                self.dir(s2.as_fd(), d2.as_fd(), &child)?;
            } else {
                if existing.is_some() {
                    sysfs::remove_all_at(dst, n)?;
                }
                self.non_dir(src, n, dst, &st, child)?;
            }
        }
        Ok(())
    }

    #[allow(clippy::unnecessary_cast)]
    fn non_dir(
        &mut self,
        src: BorrowedFd<'_>,
        name: &[u8],
        dst: BorrowedFd<'_>,
        st: &sysfs::Stat,
        rel: Vec<u8>,
    ) -> io::Result<()> {
        let key = (st.st_dev as u64, st.st_ino as u64);
        let linked = st.st_nlink > 1;
        if linked && let Some((path, dev, ino)) = self.links.get(&key) {
            let fd = sysfs::open_path_in_root_nofollow(self.dst_root.as_fd(), path)?;
            let now = sysfs::stat_fd(fd.as_fd())?;
            if (now.st_dev as u64, now.st_ino as u64) == (*dev, *ino) {
                return sysfs::link_fd_at(fd.as_fd(), dst, name);
            }
        }
        let symlink = match sysfs::file_type_of(st) {
            FileType::RegularFile => {
                let mut r = sysfs::open_read_at(src, name)?;
                let mut w = sysfs::create_file_at(dst, name, 0o600)?;
                // Uses copy_file_range: reflinks where the filesystem can.
                io::copy(&mut r, &mut w)?;
                false
            }
            FileType::Symlink => {
                let target = sysfs::read_link_at(src, name)?;
                sysfs::symlink_at(&target, dst, name)?;
                true
            }
            ft @ (FileType::Fifo | FileType::CharacterDevice | FileType::BlockDevice) => {
                let kind = match ft {
                    FileType::Fifo => sysfs::NodeKind::Fifo,
                    FileType::CharacterDevice => sysfs::NodeKind::Char,
                    _ => sysfs::NodeKind::Block,
                };
                let rdev = st.st_rdev as u64;
                let (major, minor) = (rustix::fs::major(rdev as _), rustix::fs::minor(rdev as _));
                match sysfs::mknod_at(dst, name, kind, 0o600, major, minor) {
                    Err(e) if e.raw_os_error() == Some(libc::EPERM) => {
                        self.warn("devices", || {
                            format!(
                                "skipping device nodes in the image (cannot create them here), first {:?}",
                                String::from_utf8_lossy(&rel)
                            )
                        });
                        return Ok(());
                    }
                    r => r?,
                }
                false
            }
            _ => return Ok(()), // sockets do not survive a copy
        };
        self.owner_and_xattrs(src, name, dst, st)?;
        if !symlink {
            let fd = sysfs::open_path_at(dst, name)?;
            sysfs::chmod_fd(fd.as_fd(), st.st_mode as u32)?;
        }
        let (atime, mtime) = times(st);
        sysfs::set_times_at(dst, name, atime, mtime)?;
        if linked && let Some(copy) = sysfs::lstat_at(dst, name)? {
            self.links
                .insert(key, (rel, copy.st_dev as u64, copy.st_ino as u64));
        }
        Ok(())
    }

    /// Owner, then xattrs (chown drops security.capability).
    #[allow(clippy::unnecessary_cast)]
    fn owner_and_xattrs(
        &mut self,
        src: BorrowedFd<'_>,
        name: &[u8],
        dst: BorrowedFd<'_>,
        st: &sysfs::Stat,
    ) -> io::Result<()> {
        sysfs::chown_at(dst, name, st.st_uid as u32, st.st_gid as u32)?;
        for (key, value) in sysfs::list_xattrs_at(src, name)? {
            if is_overlay_xattr(&key) {
                continue;
            }
            if let Err(e) = sysfs::set_xattr_at(dst, name, &key, &value) {
                let privileged = key.starts_with(b"trusted.") || key.starts_with(b"security.");
                match e.raw_os_error() {
                    Some(libc::EOPNOTSUPP) => {}
                    Some(libc::EPERM) if privileged => {}
                    _ => return Err(e),
                }
                self.warn("xattrs", || {
                    format!(
                        "cannot copy xattr {:?} ({e}); skipping such xattrs",
                        String::from_utf8_lossy(&key)
                    )
                });
            }
        }
        Ok(())
    }

    #[allow(clippy::unnecessary_cast)]
    fn defer_dir(&mut self, rel: Vec<u8>, st: &sysfs::Stat, dst: BorrowedFd<'_>) -> io::Result<()> {
        let now = sysfs::stat_fd(dst)?;
        let (atime, mtime) = times(st);
        let m = DirMeta {
            rel,
            dev: now.st_dev as u64,
            ino: now.st_ino as u64,
            mode: st.st_mode as u32 & 0o7777,
            atime,
            mtime,
        };
        match self.dir_index.get(&m.rel) {
            Some(&i) => self.dirs[i] = m,
            None => {
                self.dir_index.insert(m.rel.clone(), self.dirs.len());
                self.dirs.push(m);
            }
        }
        Ok(())
    }

    /// Applies directory modes and times, deepest first.
    #[allow(clippy::unnecessary_cast)]
    fn finish_dirs(&mut self) -> io::Result<()> {
        let depth = |m: &DirMeta| {
            m.rel.iter().filter(|b| **b == b'/').count() + usize::from(!m.rel.is_empty())
        };
        self.dirs.sort_by_key(|m| std::cmp::Reverse(depth(m)));
        for m in &self.dirs {
            let fd = match sysfs::open_path_in_root_nofollow(self.dst_root.as_fd(), &m.rel) {
                Ok(fd) => fd,
                Err(e) if matches!(e.raw_os_error(), Some(libc::ENOENT) | Some(libc::ENOTDIR)) => {
                    continue; // removed by a later layer
                }
                Err(e) => return Err(e),
            };
            let st = sysfs::stat_fd(fd.as_fd())?;
            if (st.st_dev as u64, st.st_ino as u64) != (m.dev, m.ino) || !sysfs::is_dir(&st) {
                continue;
            }
            sysfs::chmod_fd(fd.as_fd(), m.mode)?;
            sysfs::set_times_fd(fd.as_fd(), m.atime, m.mtime)?;
        }
        Ok(())
    }

    fn warn(&mut self, what: &'static str, msg: impl FnOnce() -> String) {
        if self.warned.insert(what) {
            eprintln!("warning: {}", msg());
        }
    }
}
