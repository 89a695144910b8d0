//! Whiteout rules, and the merged view of an image's layers that a
//! container's upper dir is compared with.
use std::collections::BTreeSet;
use std::io;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::path::PathBuf;

use crate::storage::unpack::WhiteoutFormat;
use crate::sys::fs as sysfs;

pub(super) const WHITEOUT_PREFIX: &[u8] = b".wh.";
pub(super) const OPAQUE_MARKER: &[u8] = b".wh..wh..opq";
const AUFS_META_PREFIX: &[u8] = b".wh..wh.";
/// fuse-overlayfs marks opaque dirs with this when it may not set trusted.*
/// (it also writes the aufs marker file).
const FUSE_OPAQUE_XATTR: &str = "user.fuseoverlayfs.opaque";

/// What a directory entry of an upper dir or layer stands for.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Class<'a> {
    /// A file, directory, link or node of the tree.
    Entry,
    /// Deletes this name of the layers below.
    Whiteout(&'a [u8]),
    /// `.wh..wh..opq`: the directory hides what the layers below have in it.
    OpaqueMarker,
    /// Other aufs bookkeeping (`.wh..wh.plnk`): ignored.
    AufsMeta,
}

/// Classifies `name`; `whiteout_dev` is whether it is a char device 0:0,
/// which means deleted in either format (fuse-overlayfs writes them too).
pub(super) fn classify(name: &[u8], whiteout_dev: bool, format: WhiteoutFormat) -> Class<'_> {
    if whiteout_dev {
        return Class::Whiteout(name);
    }
    if format == WhiteoutFormat::Aufs {
        if name == OPAQUE_MARKER {
            return Class::OpaqueMarker;
        }
        if name.starts_with(AUFS_META_PREFIX) {
            return Class::AufsMeta;
        }
        if let Some(victim) = name.strip_prefix(WHITEOUT_PREFIX)
            && !victim.is_empty()
            && victim != b"."
            && victim != b".."
        {
            return Class::Whiteout(victim);
        }
    }
    Class::Entry
}

/// Whether `value` of an opaque xattr means opaque ("y"; overlay's "x" marks
/// something else).
pub(super) fn opaque_value(value: Option<&[u8]>) -> bool {
    value == Some(b"y")
}

/// Whether the directory behind `dir` (an fd) hides the layers below.
pub(super) fn dir_opaque(
    dir: BorrowedFd<'_>,
    format: WhiteoutFormat,
    xattr: &str,
) -> io::Result<bool> {
    let get = |key: &str| match sysfs::get_xattr_fd(dir, key.as_bytes()) {
        Ok(v) => Ok(opaque_value(v.as_deref())),
        // Unreadable (trusted.* without privilege) or unsupported: not set.
        Err(e) if matches!(e.raw_os_error(), Some(libc::EOPNOTSUPP) | Some(libc::EPERM)) => {
            Ok(false)
        }
        Err(e) => Err(e),
    };
    if !xattr.is_empty() && get(xattr)? {
        return Ok(true);
    }
    Ok(format == WhiteoutFormat::Aufs
        && (sysfs::lstat_at(dir, OPAQUE_MARKER)?.is_some() || get(FUSE_OPAQUE_XATTR)?))
}

/// The image's layers, top first, as the container's overlay shows them.
pub(super) struct Lowers {
    roots: Vec<OwnedFd>,
    format: WhiteoutFormat,
    xattr: String,
}

/// The layers that make up one directory of the merged view, top first:
/// the first holds the visible entry; opacity and whiteouts cut the list.
pub(super) type Contrib = Vec<usize>;

/// A name the merged lower view shows.
pub(super) struct LowerEntry {
    pub(super) stat: sysfs::Stat,
    /// Which layer's entry it is.
    pub(super) layer: usize,
    /// For a directory: the layers that make it up.
    pub(super) contrib: Contrib,
}

/// The contributing layers' copies of one directory, opened.
pub(super) struct Level<'l> {
    lowers: &'l Lowers,
    dirs: Vec<(usize, OwnedFd)>,
}

impl Lowers {
    pub(super) fn open(
        paths: &[PathBuf],
        format: WhiteoutFormat,
        xattr: &str,
    ) -> io::Result<Lowers> {
        let roots = paths
            .iter()
            .map(|p| {
                sysfs::open_dir(p).map_err(|e| {
                    io::Error::new(e.kind(), format!("image layer {}: {e}", p.display()))
                })
            })
            .collect::<io::Result<_>>()?;
        Ok(Lowers {
            roots,
            format,
            xattr: xattr.to_string(),
        })
    }

    /// The layers making up the root: all down to the first opaque root.
    pub(super) fn root(&self) -> io::Result<Contrib> {
        let mut out = Vec::new();
        for (i, fd) in self.roots.iter().enumerate() {
            out.push(i);
            if dir_opaque(fd.as_fd(), self.format, &self.xattr)? {
                break;
            }
        }
        Ok(out)
    }

    /// Opens directory `rel` (components) in each of `contrib`.
    pub(super) fn level(&self, contrib: &Contrib, rel: &[Vec<u8>]) -> io::Result<Level<'_>> {
        let path = rel.join(&b'/');
        let mut dirs = Vec::with_capacity(contrib.len());
        for &i in contrib {
            // Every component was checked to be a real directory in this
            // layer when `contrib` was built; IN_ROOT keeps it in the layer
            // regardless.
            dirs.push((i, sysfs::open_dir_in_root(self.roots[i].as_fd(), &path)?));
        }
        Ok(Level { lowers: self, dirs })
    }

    fn whited_out(
        &self,
        dir: BorrowedFd<'_>,
        name: &[u8],
        st: Option<&sysfs::Stat>,
    ) -> io::Result<bool> {
        if st.is_some_and(sysfs::is_whiteout) {
            return Ok(true);
        }
        if self.format != WhiteoutFormat::Aufs {
            return Ok(false);
        }
        let mut marker = WHITEOUT_PREFIX.to_vec();
        marker.extend_from_slice(name);
        Ok(sysfs::lstat_at(dir, &marker)?.is_some())
    }

    fn opaque_child(&self, dir: BorrowedFd<'_>, name: &[u8]) -> io::Result<bool> {
        let fd = sysfs::open_path_at(dir, name)?;
        dir_opaque(fd.as_fd(), self.format, &self.xattr)
    }
}

impl Level<'_> {
    /// What the merged view shows at `name` here; `None` if nothing or
    /// deleted.
    pub(super) fn lookup(&self, name: &[u8]) -> io::Result<Option<LowerEntry>> {
        let l = self.lowers;
        for (k, (layer, fd)) in self.dirs.iter().enumerate() {
            let st = sysfs::lstat_at(fd.as_fd(), name)?;
            // An entry and its whiteout in one layer: the layer re-added it.
            if let Some(st) = st.filter(|s| !sysfs::is_whiteout(s)) {
                let mut contrib = Vec::new();
                if sysfs::is_dir(&st) {
                    contrib.push(*layer);
                    if !l.opaque_child(fd.as_fd(), name)? {
                        for (layer2, fd2) in &self.dirs[k + 1..] {
                            let st2 = sysfs::lstat_at(fd2.as_fd(), name)?;
                            if l.whited_out(fd2.as_fd(), name, st2.as_ref())? {
                                break;
                            }
                            match st2 {
                                None => continue,
                                Some(s) if sysfs::is_dir(&s) => {
                                    contrib.push(*layer2);
                                    if l.opaque_child(fd2.as_fd(), name)? {
                                        break;
                                    }
                                }
                                Some(_) => break, // a file hides deeper dirs
                            }
                        }
                    }
                }
                return Ok(Some(LowerEntry {
                    stat: st,
                    layer: *layer,
                    contrib,
                }));
            }
            if l.whited_out(fd.as_fd(), name, st.as_ref())? {
                return Ok(None);
            }
        }
        Ok(None)
    }

    /// Every name the merged view shows here, sorted.
    pub(super) fn names(&self) -> io::Result<Vec<Vec<u8>>> {
        let mut seen = BTreeSet::new();
        for (_, fd) in &self.dirs {
            for n in sysfs::list_dir(fd.as_fd())? {
                let st = sysfs::lstat_at(fd.as_fd(), &n)?;
                let dev = st.as_ref().is_some_and(sysfs::is_whiteout);
                if classify(&n, dev, self.lowers.format) == Class::Entry {
                    seen.insert(n);
                }
            }
        }
        // A name may be deleted by a layer above the one holding it.
        let mut out = Vec::with_capacity(seen.len());
        for n in seen {
            if self.lookup(&n)?.is_some() {
                out.push(n);
            }
        }
        Ok(out)
    }

    /// A readable symlink target of `name` as found in `layer`.
    pub(super) fn read_link(&self, layer: usize, name: &[u8]) -> io::Result<Vec<u8>> {
        let fd = self
            .dirs
            .iter()
            .find(|(l, _)| *l == layer)
            .map(|(_, fd)| fd)
            .ok_or_else(|| io::Error::other("layer not in this directory"))?;
        sysfs::read_link_at(fd.as_fd(), name)
    }
}
