//! Finding a hardlink target in the parent layers' diff dirs, honouring
//! whiteouts and opaque directories of either format, and copying it up.
use std::io;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::path::PathBuf;

use rustix::fs::FileType;

use super::{Meta, OPAQUE_MARKER, WHITEOUT_PREFIX};
use crate::sys::fs as sysfs;

pub(super) struct Lowers {
    paths: Vec<PathBuf>,
    roots: Vec<Option<OwnedFd>>,
}

/// An entry found in a lower layer: its directory fd, name and lstat.
pub(super) struct Source {
    dir: OwnedFd,
    name: Vec<u8>,
    pub(super) stat: sysfs::Stat,
}

impl Lowers {
    pub(super) fn new(paths: &[PathBuf]) -> Lowers {
        Lowers {
            paths: paths.to_vec(),
            roots: paths.iter().map(|_| None).collect(),
        }
    }

    fn root(&mut self, i: usize) -> io::Result<BorrowedFd<'_>> {
        if self.roots[i].is_none() {
            let fd = sysfs::open_dir(&self.paths[i]).map_err(|e| {
                io::Error::new(
                    e.kind(),
                    format!("parent layer {}: {e}", self.paths[i].display()),
                )
            })?;
            self.roots[i] = Some(fd);
        }
        Ok(self.roots[i].as_ref().expect("just opened").as_fd())
    }

    /// Looks `target` up through the lowers, nearest first, as the merged
    /// overlay would show it. Intermediate components must be real
    /// directories (no symlinks are followed in lowers).
    pub(super) fn find(
        &mut self,
        target: &[&[u8]],
        opaque_key: &str,
    ) -> io::Result<Option<Source>> {
        for i in 0..self.paths.len() {
            let mut dir = sysfs::open_dir_in_root(self.root(i)?, b"")?;
            let mut opaque = false;
            for (k, comp) in target.iter().enumerate() {
                if deleted(dir.as_fd(), comp)? {
                    return Ok(None);
                }
                let Some(st) = sysfs::lstat_at(dir.as_fd(), comp)? else {
                    break; // not in this lower
                };
                if k + 1 == target.len() {
                    return Ok(Some(Source {
                        dir,
                        name: comp.to_vec(),
                        stat: st,
                    }));
                }
                if !sysfs::is_dir(&st) {
                    return Ok(None); // a non-directory hides deeper layers' directory
                }
                dir = sysfs::open_dir_in_root(dir.as_fd(), comp)?;
                opaque |= is_opaque(dir.as_fd(), opaque_key)?;
            }
            if opaque {
                return Ok(None);
            }
        }
        Ok(None)
    }
}

/// Whether `comp` in `dir` is whited out (char 0:0 or a `.wh.` file).
fn deleted(dir: BorrowedFd<'_>, comp: &[u8]) -> io::Result<bool> {
    if let Some(st) = sysfs::lstat_at(dir, comp)?
        && sysfs::is_whiteout(&st)
    {
        return Ok(true);
    }
    let mut marker = WHITEOUT_PREFIX.to_vec();
    marker.extend_from_slice(comp);
    Ok(sysfs::lstat_at(dir, &marker)?.is_some())
}

fn is_opaque(dir: BorrowedFd<'_>, key: &str) -> io::Result<bool> {
    if sysfs::lstat_at(dir, OPAQUE_MARKER)?.is_some() {
        return Ok(true);
    }
    match sysfs::get_xattr_fd(dir, key.as_bytes()) {
        Ok(v) => Ok(v.as_deref() == Some(b"y")),
        Err(e) if matches!(e.raw_os_error(), Some(libc::EOPNOTSUPP) | Some(libc::EPERM)) => {
            Ok(false)
        }
        Err(e) => Err(e),
    }
}

impl Source {
    /// Creates a copy of this entry as `name` in `dst` and returns the
    /// metadata the caller must apply to it.
    // `Stat` field types differ between architectures; the casts are needed
    // on some of them.
    #[allow(clippy::unnecessary_cast)]
    pub(super) fn copy_to(&self, dst: BorrowedFd<'_>, name: &[u8]) -> io::Result<Meta> {
        let st = &self.stat;
        match sysfs::file_type_of(st) {
            FileType::RegularFile => {
                let mut src = sysfs::open_read_at(self.dir.as_fd(), &self.name)?;
                let mut out = sysfs::create_file_at(dst, name, 0o600)?;
                io::copy(&mut src, &mut out)?;
            }
            FileType::Symlink => {
                let t = sysfs::read_link_at(self.dir.as_fd(), &self.name)?;
                sysfs::symlink_at(&t, dst, name)?;
            }
            ft @ (FileType::Fifo | FileType::CharacterDevice | FileType::BlockDevice) => {
                let kind = match ft {
                    FileType::Fifo => sysfs::NodeKind::Fifo,
                    FileType::CharacterDevice => sysfs::NodeKind::Char,
                    _ => sysfs::NodeKind::Block,
                };
                let rdev = st.st_rdev as u64;
                let (major, minor) = (rustix::fs::major(rdev as _), rustix::fs::minor(rdev as _));
                sysfs::mknod_at(dst, name, kind, 0o600, major, minor)?;
            }
            _ => {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    "hardlink target in the parent layer is a directory or socket",
                ));
            }
        }
        let xattrs = sysfs::list_xattrs_at(self.dir.as_fd(), &self.name)?
            .into_iter()
            .filter(|(k, _)| {
                !k.starts_with(b"trusted.overlay.") && !k.starts_with(b"user.overlay.")
            })
            .collect();
        Ok(Meta {
            mode: st.st_mode as u32 & 0o7777,
            uid: st.st_uid as u64,
            gid: st.st_gid as u64,
            mtime: (st.st_mtime as i64, st.st_mtime_nsec as u32),
            xattrs,
        })
    }
}
