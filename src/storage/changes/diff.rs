//! Comparing a container's files with its image: `docker diff`, and the
//! change list a vfs commit is built from.
use std::collections::BTreeMap;
use std::io;
use std::os::fd::{AsFd, BorrowedFd};

use super::ChangeKind;
use super::lowers::{Class, Contrib, Level, LowerEntry, Lowers, classify, dir_opaque};
use crate::storage::unpack::WhiteoutFormat;
use crate::sys::fs as sysfs;

/// A path as components; ordering them sorts a tree the way a walk visits
/// it (a directory, then everything in it, then its next sibling).
pub(super) type PathKey = Vec<Vec<u8>>;

pub(super) type Changes = BTreeMap<PathKey, ChangeKind>;

/// How the upper dir relates to the lowers.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    /// An overlay upper dir: only what changed, plus whiteouts.
    Sparse,
    /// A full tree (vfs, or below an opaque directory): compare everything.
    Full,
}

pub(super) struct Walker<'a> {
    pub(super) lowers: &'a Lowers,
    pub(super) format: WhiteoutFormat,
    pub(super) xattr: &'a str,
    pub(super) out: Changes,
}

/// Metadata that makes a directory count as changed.
#[allow(clippy::unnecessary_cast)] // Stat field types differ between arches
fn dir_differs(a: &sysfs::Stat, b: &sysfs::Stat) -> bool {
    a.st_mode != b.st_mode
        || a.st_uid != b.st_uid
        || a.st_gid != b.st_gid
        || (a.st_mtime as i64, a.st_mtime_nsec as i64)
            != (b.st_mtime as i64, b.st_mtime_nsec as i64)
}

/// Metadata that makes a non-directory count as changed (content changes
/// move the mtime; a copy keeps it).
#[allow(clippy::unnecessary_cast)]
fn file_differs(a: &sysfs::Stat, b: &sysfs::Stat) -> bool {
    dir_differs(a, b) || a.st_size != b.st_size || a.st_rdev != b.st_rdev
}

impl Walker<'_> {
    fn push(&mut self, path: &[Vec<u8>], name: &[u8], kind: ChangeKind) -> PathKey {
        let mut p = path.to_vec();
        p.push(name.to_vec());
        self.out.insert(p.clone(), kind);
        p
    }

    /// Walks the upper directory `up` (an `O_PATH` fd) at `path`; `contrib`
    /// is its counterpart in the lowers, `None` if it has none (so
    /// everything below is added).
    pub(super) fn walk(
        &mut self,
        mode: Mode,
        up: BorrowedFd<'_>,
        path: &[Vec<u8>],
        contrib: Option<&Contrib>,
    ) -> io::Result<()> {
        let level = match contrib {
            Some(c) => Some(self.lowers.level(c, path)?),
            None => None,
        };
        let lookup = |level: &Option<Level<'_>>, name: &[u8]| -> io::Result<Option<LowerEntry>> {
            match level {
                Some(l) => l.lookup(name),
                None => Ok(None),
            }
        };
        let names = sysfs::list_dir(up)?;
        let mut subdirs: Vec<(Vec<u8>, Mode, Option<Contrib>)> = Vec::new();
        let mut present: Vec<&[u8]> = Vec::with_capacity(names.len());
        for name in &names {
            let Some(st) = sysfs::lstat_at(up, name)? else {
                continue;
            };
            match classify(name, sysfs::is_whiteout(&st), self.format) {
                Class::OpaqueMarker | Class::AufsMeta => continue,
                Class::Whiteout(victim) => {
                    // Below an opaque dir the lower view already reports
                    // deletions; a re-added name is not deleted.
                    let readded = victim != &name[..] && sysfs::lstat_at(up, victim)?.is_some();
                    if mode == Mode::Sparse && !readded && lookup(&level, victim)?.is_some() {
                        self.push(path, victim, ChangeKind::Deleted);
                    }
                    continue;
                }
                Class::Entry => present.push(name),
            }
            let lower = lookup(&level, name)?;
            let Some(lower) = lower else {
                self.push(path, name, ChangeKind::Added);
                if sysfs::is_dir(&st) {
                    subdirs.push((name.clone(), Mode::Full, None));
                }
                continue;
            };
            let up_dir = sysfs::is_dir(&st);
            let low_dir = sysfs::is_dir(&lower.stat);
            if up_dir && low_dir {
                let child_mode = if mode == Mode::Full {
                    Mode::Full
                } else {
                    let fd = sysfs::open_path_at(up, name)?;
                    if dir_opaque(fd.as_fd(), self.format, self.xattr)? {
                        Mode::Full
                    } else {
                        Mode::Sparse
                    }
                };
                if dir_differs(&st, &lower.stat) {
                    self.push(path, name, ChangeKind::Changed);
                }
                subdirs.push((name.clone(), child_mode, Some(lower.contrib)));
            } else if up_dir || low_dir {
                self.push(path, name, ChangeKind::Changed);
                if up_dir {
                    subdirs.push((name.clone(), Mode::Full, None));
                }
            } else if mode == Mode::Sparse
                || file_differs(&st, &lower.stat)
                || (sysfs::is_symlink(&st)
                    && level
                        .as_ref()
                        .expect("has a lower entry")
                        .read_link(lower.layer, name)?
                        != sysfs::read_link_at(up, name)?)
            {
                self.push(path, name, ChangeKind::Changed);
            }
        }
        if mode == Mode::Full
            && let Some(level) = &level
        {
            for name in level.names()? {
                if present.binary_search(&name.as_slice()).is_err() {
                    self.push(path, &name, ChangeKind::Deleted);
                }
            }
        }
        // Lower fds are released before descending, so open fds stay
        // proportional to depth, not depth times layers.
        drop(level);
        for (name, child_mode, contrib) in subdirs {
            let fd = sysfs::open_path_at(up, &name)?;
            let mut child = path.to_vec();
            child.push(name);
            self.walk(child_mode, fd.as_fd(), &child, contrib.as_ref())?;
        }
        Ok(())
    }

    /// Reports every directory holding a change as changed itself, as
    /// Docker does (restoring a file needs its parents' metadata).
    pub(super) fn add_parents(&mut self) {
        let mut parents = Vec::new();
        for path in self.out.keys() {
            for n in 1..path.len() {
                let p = &path[..n];
                if !self.out.contains_key(p) {
                    parents.push(p.to_vec());
                }
            }
        }
        for p in parents {
            self.out.entry(p).or_insert(ChangeKind::Changed);
        }
    }
}

/// `/a/b` from components (bytes that are not UTF-8 shown lossily).
pub(super) fn display_path(p: &[Vec<u8>]) -> String {
    let mut s = String::new();
    for c in p {
        s.push('/');
        s.push_str(&String::from_utf8_lossy(c));
    }
    if s.is_empty() {
        s.push('/');
    }
    s
}
