//! Secure extraction of one layer tar into a directory.
//!
//! Entries are read with the `tar` crate and written by hand: every path is
//! resolved beneath the destination with `openat2(RESOLVE_IN_ROOT)`, so a
//! symlink in the layer (absolute or `../..`) resolves inside the layer and
//! nothing can be created, linked or changed outside it. The final component
//! is created with `*at` calls relative to the resolved parent directory.
use std::collections::{HashMap, HashSet};
use std::io::{self, Read, Write};
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tar::EntryType;

use crate::sys::fs as sysfs;

mod links;
mod lower;
mod meta;
#[cfg(test)]
mod tests;

use meta::Meta;

/// How deletions are recorded on disk.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum WhiteoutFormat {
    /// Kernel overlayfs: char device 0:0 and an "opaque" xattr.
    Overlay,
    /// `.wh.NAME` and `.wh..wh..opq` files, as in the tar (fuse-overlayfs, vfs).
    Aufs,
}

#[derive(Clone, Debug)]
pub struct UnpackOptions {
    pub whiteouts: WhiteoutFormat,
    /// `user.overlay.opaque` rootless (userxattr overlay), `trusted.overlay.opaque` as root.
    pub opaque_xattr: &'static str,
    /// Parent layers' diff dirs, nearest first, searched for hardlink targets
    /// that are not in this layer.
    pub lowers: Vec<PathBuf>,
    /// Single-id user namespace: chown to other ids fails; keep going.
    pub ignore_chown_errors: bool,
    /// Skip device nodes (other than whiteouts), warning once.
    pub skip_devices: bool,
}

impl UnpackOptions {
    /// Defaults for the given format: rootless means user xattrs and no devices.
    pub fn new(whiteouts: WhiteoutFormat, rootless: bool) -> UnpackOptions {
        UnpackOptions {
            whiteouts,
            opaque_xattr: if rootless {
                "user.overlay.opaque"
            } else {
                "trusted.overlay.opaque"
            },
            lowers: Vec::new(),
            ignore_chown_errors: false,
            skip_devices: rootless,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UnpackStats {
    /// Sum of regular file sizes.
    pub size: u64,
    pub entries: u64,
    pub skipped_devices: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum UnpackError {
    #[error("layer entry {0:?} escapes the layer root")]
    Escape(String),
    #[error(
        "hardlink {path:?} points to {target:?}, which is neither in this layer nor in its parent layers"
    )]
    LinkTargetMissing { path: String, target: String },
    #[error("cannot chown {path:?} to {uid}:{gid}: {reason}")]
    Chown {
        path: String,
        uid: u64,
        gid: u64,
        reason: &'static str,
    },
    #[error("layer entry {path:?}: {reason}")]
    Invalid { path: String, reason: String },
    #[error("no space left on device while unpacking {path:?}")]
    NoSpace { path: String },
    #[error("cannot unpack {path:?}: {source}")]
    Entry { path: String, source: io::Error },
    #[error("cannot read layer tar: {0}")]
    Tar(io::Error),
    #[error("cannot open layer directory {}: {source}", .path.display())]
    Dest { path: PathBuf, source: io::Error },
}

impl UnpackError {
    fn entry(path: &str, source: io::Error) -> UnpackError {
        if source.raw_os_error() == Some(libc::ENOSPC) {
            UnpackError::NoSpace {
                path: path.to_string(),
            }
        } else {
            UnpackError::Entry {
                path: path.to_string(),
                source,
            }
        }
    }
    fn invalid(path: &str, reason: impl Into<String>) -> UnpackError {
        UnpackError::Invalid {
            path: path.to_string(),
            reason: reason.into(),
        }
    }
}

const COPY_BUF: usize = 1 << 20;
const WHITEOUT_PREFIX: &[u8] = b".wh.";
const OPAQUE_MARKER: &[u8] = b".wh..wh..opq";

/// Unpacks the (decompressed) layer tar `tar` into the existing directory `dest`.
pub fn unpack<R: Read>(
    tar: R,
    dest: &Path,
    opts: &UnpackOptions,
) -> Result<UnpackStats, UnpackError> {
    let root = sysfs::open_dir(dest).map_err(|source| UnpackError::Dest {
        path: dest.to_path_buf(),
        source,
    })?;
    let mut u = Unpacker {
        root,
        opts,
        stats: UnpackStats::default(),
        dirs: Vec::new(),
        dir_index: HashMap::new(),
        warned: HashSet::new(),
        buf: vec![0; COPY_BUF],
        lowers: lower::Lowers::new(&opts.lowers),
    };
    let mut archive = tar::Archive::new(tar);
    for entry in archive.entries().map_err(UnpackError::Tar)? {
        let mut entry = entry.map_err(UnpackError::Tar)?;
        u.entry(&mut entry)?;
    }
    u.finish_dirs()?;
    Ok(u.stats)
}

/// Splits an entry name into components: leading `/` and `.` components are
/// dropped; any `..` makes the name invalid (`None`).
pub(crate) fn clean_path(raw: &[u8]) -> Option<Vec<&[u8]>> {
    let mut out = Vec::new();
    for c in raw.split(|b| *b == b'/') {
        match c {
            b"" | b"." => {}
            b".." => return None,
            c => out.push(c),
        }
    }
    Some(out)
}

fn show(raw: &[u8]) -> String {
    String::from_utf8_lossy(raw).into_owned()
}

/// A directory whose mode and times are applied after all entries, since
/// writing its children changes its mtime and a read-only mode would stop
/// them being written. (dev, ino) guards against the path being replaced later.
struct DirMeta {
    path: Vec<u8>,
    dev: u64,
    ino: u64,
    mode: u32,
    mtime: (i64, u32),
}

struct Unpacker<'o> {
    root: OwnedFd,
    opts: &'o UnpackOptions,
    stats: UnpackStats,
    dirs: Vec<DirMeta>,
    dir_index: HashMap<Vec<u8>, usize>,
    warned: HashSet<&'static str>,
    buf: Vec<u8>,
    lowers: lower::Lowers,
}

impl Unpacker<'_> {
    fn warn_once(&mut self, key: &'static str, msg: impl FnOnce() -> String) {
        if self.warned.insert(key) {
            eprintln!("warning: {}", msg());
        }
    }

    fn entry<R: Read>(&mut self, entry: &mut tar::Entry<'_, R>) -> Result<(), UnpackError> {
        let kind = entry.header().entry_type();
        if matches!(kind, EntryType::XGlobalHeader) {
            return Ok(());
        }
        let raw = entry.path_bytes().into_owned();
        let name = show(&raw);
        let comps = clean_path(&raw).ok_or_else(|| UnpackError::Escape(name.clone()))?;
        let meta = Meta::read(entry, &name)?;
        self.stats.entries += 1;

        let Some((last, parents)) = comps.split_last() else {
            // "./": the layer root itself.
            if !kind.is_dir() {
                return Err(UnpackError::invalid(
                    &name,
                    "the layer root must be a directory",
                ));
            }
            return self.directory(
                self.root
                    .try_clone()
                    .map_err(|e| UnpackError::entry(&name, e))?,
                b"",
                &[],
                &name,
                &meta,
            );
        };
        if last.starts_with(WHITEOUT_PREFIX) {
            return self.whiteout(parents, last, &name);
        }
        let parent = self.ensure_parent(parents, &name)?;
        let p = parent.as_fd();
        match kind {
            EntryType::Directory => self.directory(
                parent
                    .try_clone()
                    .map_err(|e| UnpackError::entry(&name, e))?,
                last,
                &comps,
                &name,
                &meta,
            ),
            EntryType::Regular | EntryType::Continuous | EntryType::GNUSparse => {
                self.regular(p, last, &comps, &name, &meta, entry)
            }
            EntryType::Symlink => {
                let target = entry
                    .link_name_bytes()
                    .ok_or_else(|| UnpackError::invalid(&name, "symlink without a target"))?
                    .into_owned();
                self.clear(p, last, &comps, false, &name)?;
                sysfs::symlink_at(&target, p, last).map_err(|e| UnpackError::entry(&name, e))?;
                self.finish_meta(p, last, None, &name, &meta, true)
            }
            EntryType::Link => {
                let target = entry
                    .link_name_bytes()
                    .ok_or_else(|| UnpackError::invalid(&name, "hardlink without a target"))?
                    .into_owned();
                self.hardlink(p, last, &comps, &target, &name)
            }
            EntryType::Char | EntryType::Block | EntryType::Fifo => {
                let node = match kind {
                    EntryType::Char => sysfs::NodeKind::Char,
                    EntryType::Block => sysfs::NodeKind::Block,
                    _ => sysfs::NodeKind::Fifo,
                };
                if node != sysfs::NodeKind::Fifo && self.opts.skip_devices {
                    self.stats.skipped_devices += 1;
                    self.warn_once("devices", || {
                        format!("skipping device nodes in the layer (cannot create them without root), first {name:?}")
                    });
                    return Ok(());
                }
                let h = entry.header();
                let major = h.device_major().ok().flatten().unwrap_or(0);
                let minor = h.device_minor().ok().flatten().unwrap_or(0);
                self.clear(p, last, &comps, false, &name)?;
                sysfs::mknod_at(p, last, node, 0o600, major, minor)
                    .map_err(|e| UnpackError::entry(&name, e))?;
                self.finish_meta(p, last, None, &name, &meta, false)
            }
            other => {
                self.warn_once("type", || {
                    format!("skipping layer entry {name:?} of unsupported type {other:?}")
                });
                Ok(())
            }
        }
    }

    /// Resolves (creating as needed, mode 0755) the directory `parents`
    /// beneath the root.
    fn ensure_parent(&self, parents: &[&[u8]], name: &str) -> Result<OwnedFd, UnpackError> {
        let root = self.root.as_fd();
        let path = parents.join(&b'/');
        match sysfs::open_dir_in_root(root, &path) {
            Ok(fd) => return Ok(fd),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(self.parent_error(name, &path, e)),
        }
        let mut cur =
            sysfs::open_dir_in_root(root, b"").map_err(|e| UnpackError::entry(name, e))?;
        for i in 0..parents.len() {
            let prefix = parents[..=i].join(&b'/');
            let next = match sysfs::open_dir_in_root(root, &prefix) {
                Err(e) if e.kind() == io::ErrorKind::NotFound => {
                    match sysfs::mkdir_at(cur.as_fd(), parents[i], 0o755) {
                        Err(e) if e.kind() != io::ErrorKind::AlreadyExists => {
                            return Err(UnpackError::entry(name, e));
                        }
                        _ => {}
                    }
                    // Still missing after mkdir: the name is a symlink whose
                    // target does not exist in this layer.
                    sysfs::open_dir_in_root(root, &prefix).map_err(|e| {
                        if e.kind() == io::ErrorKind::NotFound {
                            UnpackError::invalid(
                                name,
                                format!(
                                    "parent {:?} is a symlink to a missing directory",
                                    show(&prefix)
                                ),
                            )
                        } else {
                            self.parent_error(name, &prefix, e)
                        }
                    })?
                }
                r => r.map_err(|e| self.parent_error(name, &prefix, e))?,
            };
            cur = next;
        }
        Ok(cur)
    }

    fn parent_error(&self, name: &str, parent: &[u8], e: io::Error) -> UnpackError {
        if e.raw_os_error() == Some(libc::ENOTDIR) {
            UnpackError::invalid(
                name,
                format!("parent {:?} is not a directory", show(parent)),
            )
        } else {
            UnpackError::entry(name, e)
        }
    }

    /// Makes room for a new entry called `last` in `dir`: anything there is
    /// removed, except a directory when `keep_dir` (a directory entry over an
    /// existing directory only updates metadata). Returns whether a directory
    /// was kept.
    /// `path` is the removed entry's path in the layer, for forgetting the
    /// deferred metadata of directories that go with it.
    fn clear(
        &mut self,
        dir: BorrowedFd<'_>,
        last: &[u8],
        path: &[&[u8]],
        keep_dir: bool,
        name: &str,
    ) -> Result<bool, UnpackError> {
        match sysfs::lstat_at(dir, last).map_err(|e| UnpackError::entry(name, e))? {
            None => Ok(false),
            Some(st) if keep_dir && sysfs::is_dir(&st) => Ok(true),
            Some(st) => {
                sysfs::remove_all_at(dir, last).map_err(|e| UnpackError::entry(name, e))?;
                if sysfs::is_dir(&st) {
                    self.forget_dirs(&path.join(&b'/'));
                }
                Ok(false)
            }
        }
    }

    fn forget_dirs(&mut self, prefix: &[u8]) {
        let under =
            |p: &[u8]| p == prefix || (p.starts_with(prefix) && p.get(prefix.len()) == Some(&b'/'));
        if self.dirs.iter().any(|d| under(&d.path)) {
            self.dirs.retain(|d| !under(&d.path));
            self.dir_index = self
                .dirs
                .iter()
                .enumerate()
                .map(|(i, d)| (d.path.clone(), i))
                .collect();
        }
    }

    fn directory(
        &mut self,
        parent: OwnedFd,
        last: &[u8],
        comps: &[&[u8]],
        name: &str,
        meta: &Meta,
    ) -> Result<(), UnpackError> {
        let p = parent.as_fd();
        if !last.is_empty() && !self.clear(p, last, comps, true, name)? {
            sysfs::mkdir_at(p, last, 0o700).map_err(|e| UnpackError::entry(name, e))?;
        }
        self.chown(p, last, meta, name)?;
        self.set_xattrs(p, last, &meta.xattrs, name)?;
        let fd = if last.is_empty() {
            parent
        } else {
            sysfs::open_path_at(p, last).map_err(|e| UnpackError::entry(name, e))?
        };
        let st = sysfs::stat_fd(fd.as_fd()).map_err(|e| UnpackError::entry(name, e))?;
        let dm = DirMeta {
            path: comps.join(&b'/'),
            dev: st.st_dev,
            ino: st.st_ino,
            mode: meta.mode,
            mtime: meta.mtime,
        };
        match self.dir_index.get(&dm.path) {
            Some(&i) => self.dirs[i] = dm,
            None => {
                self.dir_index.insert(dm.path.clone(), self.dirs.len());
                self.dirs.push(dm);
            }
        }
        Ok(())
    }

    fn regular<R: Read>(
        &mut self,
        p: BorrowedFd<'_>,
        last: &[u8],
        comps: &[&[u8]],
        name: &str,
        meta: &Meta,
        entry: &mut tar::Entry<'_, R>,
    ) -> Result<(), UnpackError> {
        self.clear(p, last, comps, false, name)?;
        let mut f =
            sysfs::create_file_at(p, last, 0o600).map_err(|e| UnpackError::entry(name, e))?;
        loop {
            let n = match entry.read(&mut self.buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(UnpackError::Tar(e)),
            };
            f.write_all(&self.buf[..n])
                .map_err(|e| UnpackError::entry(name, e))?;
            self.stats.size += n as u64;
        }
        self.finish_meta(p, last, Some(f.as_fd()), name, meta, false)
    }

    /// Owner, mode, xattrs and times of a just-created non-directory.
    fn finish_meta(
        &mut self,
        p: BorrowedFd<'_>,
        last: &[u8],
        fd: Option<BorrowedFd<'_>>,
        name: &str,
        meta: &Meta,
        symlink: bool,
    ) -> Result<(), UnpackError> {
        self.chown(p, last, meta, name)?;
        // xattrs after chown (which drops security.capability) and before
        // chmod (user.* needs write permission on the file); chmod after
        // chown, which clears setuid/setgid.
        self.set_xattrs(p, last, &meta.xattrs, name)?;
        if !symlink {
            let res = match fd {
                Some(fd) => sysfs::chmod_fd(fd, meta.mode),
                None => sysfs::open_path_at(p, last)
                    .and_then(|fd| sysfs::chmod_fd(fd.as_fd(), meta.mode)),
            };
            res.map_err(|e| UnpackError::entry(name, e))?;
        }
        sysfs::set_times_at(p, last, meta.mtime, meta.mtime)
            .map_err(|e| UnpackError::entry(name, e))
    }

    fn chown(
        &self,
        p: BorrowedFd<'_>,
        last: &[u8],
        meta: &Meta,
        name: &str,
    ) -> Result<(), UnpackError> {
        let err = |reason| UnpackError::Chown {
            path: name.to_string(),
            uid: meta.uid,
            gid: meta.gid,
            reason,
        };
        let (Ok(uid), Ok(gid)) = (u32::try_from(meta.uid), u32::try_from(meta.gid)) else {
            return if self.opts.ignore_chown_errors {
                Ok(())
            } else {
                Err(err("id out of range"))
            };
        };
        match sysfs::chown_at(p, last, uid, gid) {
            Ok(()) => Ok(()),
            Err(e) => match e.raw_os_error() {
                Some(libc::EINVAL) | Some(libc::EPERM) if self.opts.ignore_chown_errors => Ok(()),
                Some(libc::EINVAL) => Err(err(
                    "not mapped in the user namespace (add a larger range to /etc/subuid)",
                )),
                Some(libc::EPERM) => Err(err(
                    "operation not permitted (unpack inside the user namespace, or ignore chown errors)",
                )),
                _ => Err(UnpackError::entry(name, e)),
            },
        }
    }

    fn set_xattrs(
        &mut self,
        p: BorrowedFd<'_>,
        last: &[u8],
        xattrs: &[(Vec<u8>, Vec<u8>)],
        name: &str,
    ) -> Result<(), UnpackError> {
        for (key, value) in xattrs {
            // Overlay's private metadata (opaque, redirect, metacopy, origin)
            // in a layer could change what the mounted rootfs shows.
            if key.starts_with(b"trusted.overlay.") || key.starts_with(b"user.overlay.") {
                self.warn_once("overlay-xattr", || {
                    format!(
                        "ignoring overlay xattr {:?} on layer entry {name:?}",
                        show(key)
                    )
                });
                continue;
            }
            let Err(e) = sysfs::set_xattr_at(p, last, key, value) else {
                continue;
            };
            let privileged = key.starts_with(b"trusted.") || key.starts_with(b"security.");
            let unsupported = matches!(e.raw_os_error(), Some(libc::EOPNOTSUPP));
            if unsupported || (privileged && e.raw_os_error() == Some(libc::EPERM)) {
                self.warn_once("xattr", || {
                    format!(
                        "cannot set xattr {:?} on {name:?} ({e}); skipping such xattrs",
                        show(key)
                    )
                });
                continue;
            }
            return Err(UnpackError::entry(name, e));
        }
        Ok(())
    }

    /// Applies deferred directory modes and times, deepest first so that a
    /// read-only parent does not block its children.
    fn finish_dirs(&mut self) -> Result<(), UnpackError> {
        let mut dirs = std::mem::take(&mut self.dirs);
        dirs.sort_by_key(|d| {
            std::cmp::Reverse(
                d.path.iter().filter(|b| **b == b'/').count() + usize::from(!d.path.is_empty()),
            )
        });
        for d in dirs {
            let name = show(&d.path);
            let fd = match sysfs::open_path_in_root_nofollow(self.root.as_fd(), &d.path) {
                Ok(fd) => fd,
                Err(e) if matches!(e.raw_os_error(), Some(libc::ENOENT) | Some(libc::ENOTDIR)) => {
                    continue;
                }
                Err(e) => return Err(UnpackError::entry(&name, e)),
            };
            let st = sysfs::stat_fd(fd.as_fd()).map_err(|e| UnpackError::entry(&name, e))?;
            // Inode numbers are reused, so the type is checked too.
            if st.st_dev != d.dev || st.st_ino != d.ino || !sysfs::is_dir(&st) {
                continue; // replaced or removed by a later entry
            }
            sysfs::chmod_fd(fd.as_fd(), d.mode).map_err(|e| UnpackError::entry(&name, e))?;
            sysfs::set_times_fd(fd.as_fd(), d.mtime, d.mtime)
                .map_err(|e| UnpackError::entry(&name, e))?;
        }
        Ok(())
    }
}
