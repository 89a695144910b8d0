//! Extracting a `cp` archive beneath a directory. Every path is resolved
//! with `RESOLVE_IN_ROOT` under `root` and the last component is created
//! with `*at` calls on its resolved parent, so neither the archive's names
//! and links nor symlinks already there reach outside `root`. Unlike a
//! layer, `.wh.` names are ordinary files here, and a directory is never
//! replaced by a non-directory or the other way round (Docker refuses both).
use std::collections::HashSet;
use std::io::{self, Read};
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};

use tar::EntryType;

use super::ChangesError;
use crate::storage::rootfs::is_overlay_xattr;
use crate::sys::fs as sysfs;

/// Whose files the extracted ones are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Owners {
    /// The archive's ids, where this process may set them.
    FromArchive,
    Fixed(u32, u32),
    /// Whoever this process is.
    Process,
}

/// Where to extract: `base` (components, resolved in `root`) is the
/// directory the archive's top level lands in; `shown` prefixes paths in
/// messages (the host directory, or empty in a container).
pub(super) struct Target<'a> {
    pub(super) root: BorrowedFd<'a>,
    pub(super) base: Vec<Vec<u8>>,
    pub(super) shown: String,
}

struct Meta {
    mode: u32,
    uid: u64,
    gid: u64,
    mtime: i64,
    xattrs: Vec<(Vec<u8>, Vec<u8>)>,
}

struct DirMeta {
    path: Vec<u8>,
    dev: u64,
    ino: u64,
    mode: u32,
    mtime: i64,
}

struct Extractor<'a> {
    t: &'a Target<'a>,
    owners: Owners,
    dirs: Vec<DirMeta>,
    warned: HashSet<&'static str>,
}

/// Splits an archive name into components; `..` anywhere is refused.
fn components(raw: &[u8]) -> Option<Vec<Vec<u8>>> {
    let mut out = Vec::new();
    for c in raw.split(|b| *b == b'/') {
        match c {
            b"" | b"." => {}
            b".." => return None,
            c => out.push(c.to_vec()),
        }
    }
    Some(out)
}

fn read_meta<R: Read>(entry: &mut tar::Entry<'_, R>) -> io::Result<Meta> {
    let h = entry.header();
    let mut m = Meta {
        mode: h.mode().unwrap_or(0o644) & 0o7777,
        uid: h.uid().unwrap_or(0),
        gid: h.gid().unwrap_or(0),
        mtime: h.mtime().unwrap_or(0) as i64,
        xattrs: Vec::new(),
    };
    if let Some(exts) = entry.pax_extensions()? {
        for ext in exts {
            let ext = ext?;
            let val = std::str::from_utf8(ext.value_bytes()).unwrap_or("");
            match ext.key_bytes() {
                b"uid" => m.uid = val.trim().parse().unwrap_or(m.uid),
                b"gid" => m.gid = val.trim().parse().unwrap_or(m.gid),
                b"mtime" => {
                    let secs = val.trim().split('.').next().unwrap_or("");
                    m.mtime = secs.parse().unwrap_or(m.mtime);
                }
                k => {
                    if let Some(x) = k.strip_prefix(b"SCHILY.xattr.") {
                        m.xattrs.push((x.to_vec(), ext.value_bytes().to_vec()));
                    }
                }
            }
        }
    }
    Ok(m)
}

/// Extracts the (uncompressed) archive `tar` at `t`.
pub(super) fn extract(
    t: &Target<'_>,
    tar: &mut dyn Read,
    owners: Owners,
) -> Result<(), ChangesError> {
    let mut x = Extractor {
        t,
        owners,
        dirs: Vec::new(),
        warned: HashSet::new(),
    };
    let mut archive = tar::Archive::new(tar);
    for entry in archive.entries().map_err(ChangesError::Archive)? {
        let mut entry = entry.map_err(ChangesError::Archive)?;
        x.entry(&mut entry)?;
    }
    x.finish_dirs()
}

impl Extractor<'_> {
    fn shown(&self, path: &[Vec<u8>]) -> String {
        let mut s = self.t.shown.clone();
        for c in path {
            s.push('/');
            s.push_str(&String::from_utf8_lossy(c));
        }
        if s.is_empty() {
            s.push('/');
        }
        s
    }

    fn err(&self, path: &[Vec<u8>]) -> impl FnOnce(io::Error) -> ChangesError + use<> {
        let path = self.shown(path);
        move |source| ChangesError::Extract { path, source }
    }

    fn warn(&mut self, key: &'static str, msg: impl FnOnce() -> String) {
        if self.warned.insert(key) {
            eprintln!("warning: {}", msg());
        }
    }

    fn entry<R: Read>(&mut self, entry: &mut tar::Entry<'_, R>) -> Result<(), ChangesError> {
        let kind = entry.header().entry_type();
        if matches!(kind, EntryType::XGlobalHeader) {
            return Ok(());
        }
        let raw = entry.path_bytes().into_owned();
        let comps = components(&raw)
            .ok_or_else(|| ChangesError::Escape(String::from_utf8_lossy(&raw).into_owned()))?;
        let mut full = self.t.base.clone();
        full.extend(comps.iter().cloned());
        let meta = read_meta(entry).map_err(ChangesError::Archive)?;
        let Some((last, parents)) = full.split_last() else {
            // "./" for the extraction root itself: only its metadata.
            if kind.is_dir() {
                let fd = sysfs::open_dir_in_root(self.t.root, b"").map_err(self.err(&full))?;
                self.chown(fd.as_fd(), b"", &meta, &full)?;
                return self.defer_dir(fd.as_fd(), b"", &full, &meta);
            }
            return Err(ChangesError::Overwrite {
                existing: "directory",
                path: self.shown(&full),
                new: "non-directory",
            });
        };
        if comps.is_empty() && !kind.is_dir() {
            return Err(ChangesError::Overwrite {
                existing: "directory",
                path: self.shown(&full),
                new: "non-directory",
            });
        }
        let parent = self.ensure_parent(parents, &full)?;
        let p = parent.as_fd();
        let existing = sysfs::lstat_at(p, last).map_err(self.err(&full))?;
        let existing_dir = existing.as_ref().map(sysfs::is_dir);
        if kind.is_dir() {
            match existing_dir {
                Some(true) => {}
                Some(false) => {
                    return Err(ChangesError::Overwrite {
                        existing: "non-directory",
                        path: self.shown(&full),
                        new: "directory",
                    });
                }
                None => sysfs::mkdir_at(p, last, 0o700).map_err(self.err(&full))?,
            }
            self.chown(p, last, &meta, &full)?;
            self.xattrs(p, last, &meta, &full)?;
            let fd = sysfs::open_path_at(p, last).map_err(self.err(&full))?;
            return self.defer_dir(fd.as_fd(), &full.join(&b'/'), &full, &meta);
        }
        let supported = matches!(
            kind,
            EntryType::Regular
                | EntryType::Continuous
                | EntryType::Link
                | EntryType::Symlink
                | EntryType::Char
                | EntryType::Block
                | EntryType::Fifo
        );
        if !supported {
            let name = self.shown(&full);
            self.warn("type", || {
                format!("skipping {name} of unsupported type {kind:?}")
            });
            return Ok(());
        }
        if kind == EntryType::Link {
            return self.hardlink(entry, p, last, &full, existing_dir);
        }
        if existing_dir == Some(true) {
            return Err(ChangesError::Overwrite {
                existing: "directory",
                path: self.shown(&full),
                new: "non-directory",
            });
        }
        if existing_dir.is_some() {
            sysfs::remove_all_at(p, last).map_err(self.err(&full))?;
        }
        let mut file = None;
        match kind {
            EntryType::Symlink => {
                let target = entry.link_name_bytes().unwrap_or_default().into_owned();
                sysfs::symlink_at(&target, p, last).map_err(self.err(&full))?;
            }
            EntryType::Char | EntryType::Block | EntryType::Fifo => {
                let node = match kind {
                    EntryType::Char => sysfs::NodeKind::Char,
                    EntryType::Block => sysfs::NodeKind::Block,
                    _ => sysfs::NodeKind::Fifo,
                };
                let h = entry.header();
                let major = h.device_major().ok().flatten().unwrap_or(0);
                let minor = h.device_minor().ok().flatten().unwrap_or(0);
                if let Err(e) = sysfs::mknod_at(p, last, node, 0o600, major, minor) {
                    if e.raw_os_error() == Some(libc::EPERM) && node != sysfs::NodeKind::Fifo {
                        let name = self.shown(&full);
                        self.warn("devices", || {
                            format!("skipping device nodes (cannot create them here), first {name}")
                        });
                        return Ok(());
                    }
                    return Err(self.err(&full)(e));
                }
            }
            _ => {
                let mut f = sysfs::create_file_at(p, last, 0o600).map_err(self.err(&full))?;
                io::copy(entry, &mut f).map_err(self.err(&full))?;
                file = Some(f);
            }
        }
        self.chown(p, last, &meta, &full)?;
        // xattrs after chown (which drops security.capability), chmod after
        // chown (which drops setuid).
        self.xattrs(p, last, &meta, &full)?;
        if kind != EntryType::Symlink {
            let res = match &file {
                Some(f) => sysfs::chmod_fd(f.as_fd(), meta.mode),
                None => sysfs::open_path_at(p, last)
                    .and_then(|fd| sysfs::chmod_fd(fd.as_fd(), meta.mode)),
            };
            res.map_err(self.err(&full))?;
        }
        sysfs::set_times_at(p, last, (meta.mtime, 0), (meta.mtime, 0)).map_err(self.err(&full))
    }

    fn hardlink<R: Read>(
        &mut self,
        entry: &tar::Entry<'_, R>,
        p: BorrowedFd<'_>,
        last: &[u8],
        full: &[Vec<u8>],
        existing_dir: Option<bool>,
    ) -> Result<(), ChangesError> {
        let raw = entry.link_name_bytes().unwrap_or_default().into_owned();
        let rel = components(&raw)
            .ok_or_else(|| ChangesError::Escape(String::from_utf8_lossy(&raw).into_owned()))?;
        let mut target = self.t.base.clone();
        target.extend(rel);
        if target == full {
            return Ok(());
        }
        let fd = sysfs::open_path_in_root_nofollow(self.t.root, &target.join(&b'/'))
            .map_err(self.err(&target))?;
        let st = sysfs::stat_fd(fd.as_fd()).map_err(self.err(&target))?;
        if sysfs::is_dir(&st) || existing_dir == Some(true) {
            return Err(ChangesError::Overwrite {
                existing: "directory",
                path: self.shown(full),
                new: "hardlink",
            });
        }
        if existing_dir.is_some() {
            sysfs::remove_all_at(p, last).map_err(self.err(full))?;
        }
        sysfs::link_fd_at(fd.as_fd(), p, last).map_err(self.err(full))
    }

    /// Opens (creating missing ones, mode 0755) the directories `parents`.
    fn ensure_parent(
        &self,
        parents: &[Vec<u8>],
        full: &[Vec<u8>],
    ) -> Result<OwnedFd, ChangesError> {
        let root = self.t.root;
        let not_dir = |e: io::Error, upto: &[Vec<u8>]| {
            if e.raw_os_error() == Some(libc::ENOTDIR) {
                ChangesError::Overwrite {
                    existing: "non-directory",
                    path: self.shown(upto),
                    new: "directory",
                }
            } else {
                self.err(full)(e)
            }
        };
        match sysfs::open_dir_in_root(root, &parents.join(&b'/')) {
            Ok(fd) => return Ok(fd),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(not_dir(e, parents)),
        }
        let mut cur = sysfs::open_dir_in_root(root, b"").map_err(self.err(full))?;
        for i in 0..parents.len() {
            let prefix = parents[..=i].join(&b'/');
            cur = match sysfs::open_dir_in_root(root, &prefix) {
                Err(e) if e.kind() == io::ErrorKind::NotFound => {
                    match sysfs::mkdir_at(cur.as_fd(), &parents[i], 0o755) {
                        Err(e) if e.kind() != io::ErrorKind::AlreadyExists => {
                            return Err(self.err(full)(e));
                        }
                        _ => {}
                    }
                    sysfs::open_dir_in_root(root, &prefix)
                        .map_err(|e| not_dir(e, &parents[..=i]))?
                }
                r => r.map_err(|e| not_dir(e, &parents[..=i]))?,
            };
        }
        Ok(cur)
    }

    fn chown(
        &mut self,
        p: BorrowedFd<'_>,
        last: &[u8],
        meta: &Meta,
        full: &[Vec<u8>],
    ) -> Result<(), ChangesError> {
        let (uid, gid) = match self.owners {
            Owners::Process => return Ok(()),
            Owners::Fixed(u, g) => (u, g),
            Owners::FromArchive => match (u32::try_from(meta.uid), u32::try_from(meta.gid)) {
                (Ok(u), Ok(g)) => (u, g),
                _ => return Ok(()),
            },
        };
        match sysfs::chown_at(p, last, uid, gid) {
            Ok(()) => Ok(()),
            Err(e) if matches!(e.raw_os_error(), Some(libc::EPERM) | Some(libc::EINVAL)) => {
                self.warn("chown", || {
                    format!("cannot give files their owners ({e}); they keep the current owner")
                });
                Ok(())
            }
            Err(e) => Err(self.err(full)(e)),
        }
    }

    fn xattrs(
        &mut self,
        p: BorrowedFd<'_>,
        last: &[u8],
        meta: &Meta,
        full: &[Vec<u8>],
    ) -> Result<(), ChangesError> {
        for (key, value) in &meta.xattrs {
            if is_overlay_xattr(key) {
                continue; // would change what an overlay shows
            }
            let Err(e) = sysfs::set_xattr_at(p, last, key, value) else {
                continue;
            };
            let privileged = key.starts_with(b"trusted.") || key.starts_with(b"security.");
            match e.raw_os_error() {
                Some(libc::EOPNOTSUPP) => {}
                Some(libc::EPERM) if privileged => {}
                _ => return Err(self.err(full)(e)),
            }
            let key = String::from_utf8_lossy(key).into_owned();
            self.warn("xattr", || {
                format!("cannot set xattr {key:?} ({e}); skipping such xattrs")
            });
        }
        Ok(())
    }

    #[allow(clippy::unnecessary_cast)] // Stat field types differ between arches
    fn defer_dir(
        &mut self,
        fd: BorrowedFd<'_>,
        rel: &[u8],
        full: &[Vec<u8>],
        meta: &Meta,
    ) -> Result<(), ChangesError> {
        let st = sysfs::stat_fd(fd).map_err(self.err(full))?;
        self.dirs.retain(|d| d.path != rel);
        self.dirs.push(DirMeta {
            path: rel.to_vec(),
            dev: st.st_dev as u64,
            ino: st.st_ino as u64,
            mode: meta.mode,
            mtime: meta.mtime,
        });
        Ok(())
    }

    /// Directory modes and times, deepest first (children change a
    /// directory's mtime; a read-only mode would have blocked them).
    #[allow(clippy::unnecessary_cast)]
    fn finish_dirs(&mut self) -> Result<(), ChangesError> {
        let mut dirs = std::mem::take(&mut self.dirs);
        dirs.sort_by_key(|d| {
            std::cmp::Reverse(
                d.path.iter().filter(|b| **b == b'/').count() + usize::from(!d.path.is_empty()),
            )
        });
        for d in dirs {
            let comps = components(&d.path).unwrap_or_default();
            let fd = match sysfs::open_path_in_root_nofollow(self.t.root, &d.path) {
                Ok(fd) => fd,
                Err(e) if matches!(e.raw_os_error(), Some(libc::ENOENT) | Some(libc::ENOTDIR)) => {
                    continue;
                }
                Err(e) => return Err(self.err(&comps)(e)),
            };
            let st = sysfs::stat_fd(fd.as_fd()).map_err(self.err(&comps))?;
            if (st.st_dev as u64, st.st_ino as u64) != (d.dev, d.ino) || !sysfs::is_dir(&st) {
                continue;
            }
            sysfs::chmod_fd(fd.as_fd(), d.mode).map_err(self.err(&comps))?;
            sysfs::set_times_fd(fd.as_fd(), (d.mtime, 0), (d.mtime, 0))
                .map_err(self.err(&comps))?;
        }
        Ok(())
    }
}
