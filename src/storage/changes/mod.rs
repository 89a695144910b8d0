//! What a container changed in its filesystem, and archives of its files:
//! `diff`, the layer tar of `commit`, `export`, and `cp` both ways.
//!
//! Every function reads file owners as the calling process sees them: run
//! them inside the user namespace (rootless), so the archives carry the
//! container's ids.
use std::fmt;
use std::io::{self, Read, Write};
use std::os::fd::AsFd;
use std::path::{Path, PathBuf};

use crate::storage::driver::Driver;
use crate::storage::rootfs::RootfsLayout;
use crate::storage::unpack::WhiteoutFormat;
use crate::sys::fs as sysfs;

mod cp;
mod diff;
mod extract;
mod lowers;
mod tarw;
#[cfg(test)]
mod tests;

pub use cp::CpOptions;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChangeKind {
    Added,
    Changed,
    Deleted,
}

impl fmt::Display for ChangeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ChangeKind::Added => "A",
            ChangeKind::Changed => "C",
            ChangeKind::Deleted => "D",
        })
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ChangesError {
    #[error("cannot read {path}: {source}")]
    Read { path: String, source: io::Error },
    #[error("cannot write the archive: {0}")]
    Write(io::Error),
    #[error("no such file or directory: {0}")]
    NotFound(String),
    #[error("{0} is not a directory")]
    NotADirectory(String),
    #[error("cannot copy directory {src} onto file {dest}: copy into a directory instead")]
    DirToFile { src: String, dest: String },
    #[error("no such directory: {0} (create it first)")]
    NoSuchDirectory(String),
    #[error("cannot overwrite {existing} {path} with a {new}")]
    Overwrite {
        existing: &'static str,
        path: String,
        new: &'static str,
    },
    #[error("archive entry {0:?} points outside the destination")]
    Escape(String),
    #[error("invalid tar archive: {0}")]
    Archive(io::Error),
    #[error("cannot extract {path}: {source}")]
    Extract { path: String, source: io::Error },
}

/// The opaque-directory xattr of an overlay mounted by us: `user.*` with
/// `userxattr` (rootless), else `trusted.*`.
pub fn opaque_xattr(rootless: bool) -> &'static str {
    if rootless {
        "user.overlay.opaque"
    } else {
        "trusted.overlay.opaque"
    }
}

fn walker<'a>(
    lowers: &'a lowers::Lowers,
    format: WhiteoutFormat,
    xattr: &'a str,
) -> diff::Walker<'a> {
    diff::Walker {
        lowers,
        format,
        xattr,
        out: diff::Changes::new(),
    }
}

fn read_err(path: &Path) -> impl FnOnce(io::Error) -> ChangesError + '_ {
    move |source| ChangesError::Read {
        path: path.display().to_string(),
        source,
    }
}

/// Changes of `upper` against the image `lowers`, by walking `mode`.
fn changes(
    upper: &Path,
    lowers: &[PathBuf],
    format: WhiteoutFormat,
    xattr: &str,
    mode: diff::Mode,
) -> Result<diff::Changes, ChangesError> {
    let low = lowers::Lowers::open(lowers, format, xattr).map_err(read_err(upper))?;
    let mut w = walker(&low, format, xattr);
    let up = sysfs::open_dir(upper).map_err(read_err(upper))?;
    let root = low.root().map_err(read_err(upper))?;
    w.walk(mode, up.as_fd(), &[], Some(&root))
        .map_err(read_err(upper))?;
    w.add_parents();
    Ok(w.out)
}

fn listed(c: diff::Changes) -> Vec<(ChangeKind, String)> {
    c.into_iter()
        .map(|(p, k)| (k, diff::display_path(&p)))
        .collect()
}

/// `docker diff` for an overlay-style upper dir (overlay or fuse-overlayfs):
/// compares `upper` with the image layers `lowers` (top first). A path in
/// `upper` that the image has is C, else A; whiteouts (char 0:0, or `.wh.`
/// files in the aufs format) are D; below an opaque directory the contents
/// are compared with the image's; every directory above a change is
/// reported C. Sorted the way Docker walks: a directory, then its contents.
pub fn diff(
    upper: &Path,
    lowers: &[PathBuf],
    format: WhiteoutFormat,
    opaque_xattr: &str,
) -> Result<Vec<(ChangeKind, String)>, ChangesError> {
    changes(upper, lowers, format, opaque_xattr, diff::Mode::Sparse).map(listed)
}

/// `docker diff` of a full copy of the image (the vfs driver's `upper`):
/// every path is compared (type, mode, owner, size, mtime, link target).
pub fn diff_full(
    root: &Path,
    lowers: &[PathBuf],
) -> Result<Vec<(ChangeKind, String)>, ChangesError> {
    changes(root, lowers, WhiteoutFormat::Aufs, "", diff::Mode::Full).map(listed)
}

/// `diff` or `diff_full`, as the container's driver needs.
pub fn diff_container(
    driver: Driver,
    l: &RootfsLayout,
    rootless: bool,
) -> Result<Vec<(ChangeKind, String)>, ChangesError> {
    match driver {
        Driver::Vfs => diff_full(&l.upper, &l.lowers),
        _ => diff(
            &l.upper,
            &l.lowers,
            driver.whiteout_format(),
            opaque_xattr(rootless),
        ),
    }
}

/// The OCI layer tar (uncompressed) of an overlay-style `upper` for
/// `commit`: whiteouts become `.wh.NAME`, opaque directories get
/// `.wh..wh..opq`; owners, modes, mtimes (whole seconds) and xattrs (not
/// overlay's own, nor the SELinux label) are kept, hardlinks inside the
/// layer become tar links, device nodes stay, sockets are left out. Entries
/// are sorted, so the same tree gives the same bytes.
pub fn layer_tar(
    upper: &Path,
    format: WhiteoutFormat,
    opaque_xattr: &str,
    out: &mut dyn Write,
) -> Result<(), ChangesError> {
    let up = sysfs::open_dir(upper).map_err(read_err(upper))?;
    let mut w = tarw::TarWriter::new(out);
    layer_walk(&mut w, up.as_fd(), &[], format, opaque_xattr)?;
    w.finish()
}

fn layer_walk(
    w: &mut tarw::TarWriter<'_>,
    up: std::os::fd::BorrowedFd<'_>,
    arch: &[u8],
    format: WhiteoutFormat,
    xattr: &str,
) -> Result<(), ChangesError> {
    let read = |e| ChangesError::Read {
        path: format!("/{}", String::from_utf8_lossy(arch)),
        source: e,
    };
    if !arch.is_empty() && lowers::dir_opaque(up, format, xattr).map_err(read)? {
        let st = sysfs::stat_fd(up).map_err(read)?;
        w.opaque(arch, &st)?;
    }
    for name in sysfs::list_dir(up).map_err(read)? {
        let Some(st) = sysfs::lstat_at(up, &name).map_err(read)? else {
            continue;
        };
        let path = tarw::join(arch, &name);
        match lowers::classify(&name, sysfs::is_whiteout(&st), format) {
            lowers::Class::OpaqueMarker | lowers::Class::AufsMeta => {}
            lowers::Class::Whiteout(victim) => {
                let readded =
                    victim != &name[..] && sysfs::lstat_at(up, victim).map_err(read)?.is_some();
                if !readded {
                    w.whiteout(&tarw::join(arch, victim), Some(&st))?;
                }
            }
            lowers::Class::Entry if sysfs::is_dir(&st) => {
                let fd = sysfs::open_path_at(up, &name).map_err(read)?;
                w.dir_entry(fd.as_fd(), &path, Vec::new())?;
                layer_walk(w, fd.as_fd(), &path, format, xattr)?;
            }
            lowers::Class::Entry => w.leaf(up, &name, &st, &path)?,
        }
    }
    Ok(())
}

/// The layer tar of a full copy of the image (vfs): what `diff_full`
/// reports, with deletions as whiteouts.
pub fn layer_tar_full(
    root: &Path,
    lowers: &[PathBuf],
    out: &mut dyn Write,
) -> Result<(), ChangesError> {
    let c = changes(root, lowers, WhiteoutFormat::Aufs, "", diff::Mode::Full)?;
    let up = sysfs::open_dir(root).map_err(read_err(root))?;
    let mut w = tarw::TarWriter::new(out);
    for (path, kind) in c {
        let arch = path.join(&b'/');
        let shown = diff::display_path(&path);
        let read = |source| ChangesError::Read {
            path: shown.clone(),
            source,
        };
        if kind == ChangeKind::Deleted {
            w.whiteout(&arch, None)?;
            continue;
        }
        let (name, parents) = path.split_last().expect("changes are below the root");
        let parent = sysfs::open_dir_in_root(up.as_fd(), &parents.join(&b'/')).map_err(read)?;
        let Some(st) = sysfs::lstat_at(parent.as_fd(), name).map_err(read)? else {
            continue;
        };
        if sysfs::is_dir(&st) {
            let fd = sysfs::open_path_at(parent.as_fd(), name).map_err(read)?;
            w.dir_entry(fd.as_fd(), &arch, Vec::new())?;
        } else {
            w.leaf(parent.as_fd(), name, &st, &arch)?;
        }
    }
    w.finish()
}

/// `layer_tar` or `layer_tar_full`, as the container's driver needs.
pub fn layer_tar_container(
    driver: Driver,
    l: &RootfsLayout,
    rootless: bool,
    out: &mut dyn Write,
) -> Result<(), ChangesError> {
    match driver {
        Driver::Vfs => layer_tar_full(&l.upper, &l.lowers, out),
        _ => layer_tar(
            &l.upper,
            driver.whiteout_format(),
            opaque_xattr(rootless),
            out,
        ),
    }
}

/// `export`: a tar of the whole tree at `root` (a merged view: no whiteouts
/// to convert), symlinks archived as links, sockets left out.
pub fn export_tar(root: &Path, out: &mut dyn Write) -> Result<(), ChangesError> {
    let fd = sysfs::open_dir(root).map_err(read_err(root))?;
    let mut w = tarw::TarWriter::new(out);
    w.dir_tree(fd.as_fd(), b"")?;
    w.finish()
}

/// `cp CONTAINER:SRC -`: a tar of SRC resolved inside `root` (a symlink in
/// the container, absolute or `../`, never leads outside it). The archive
/// holds SRC under its base name; SRC ending in `/.` gives its contents
/// (under `./`). A symlink SRC is archived as the link.
pub fn tar_from_root(root: &Path, src: &str, out: &mut dyn Write) -> Result<(), ChangesError> {
    cp::tar_from_root(root, src, false, out)
}

/// `tar_from_root` with `-L`: a symlink SRC is followed (inside `root`).
pub fn tar_from_root_following(
    root: &Path,
    src: &str,
    out: &mut dyn Write,
) -> Result<(), ChangesError> {
    cp::tar_from_root(root, src, true, out)
}

/// `cp - CONTAINER:DEST`: extracts a tar (plain or compressed) into the
/// existing directory DEST resolved inside `root`; entries cannot leave
/// `root`. Owners as in the tar where this process may set them.
pub fn untar_into_root(
    root: &Path,
    dest_dir: &str,
    tar: &mut dyn Read,
) -> Result<(), ChangesError> {
    cp::untar_into_root(root, dest_dir, tar)
}

/// `cp HOST_SRC CONTAINER:DEST` with Docker's rules: DEST an existing
/// directory -> copied into it; DEST missing -> the copy is named DEST (its
/// parent must exist); SRC ending in `/.` -> its contents; a directory onto
/// a file, or a file onto a missing `DEST/`, is an error. Files become
/// root's in the container.
pub fn copy_into_root(host_src: &Path, root: &Path, dest: &str) -> Result<(), ChangesError> {
    cp::copy_into_root(host_src, root, dest, CpOptions::default())
}

/// `copy_into_root` with `-a` / `-L`.
pub fn copy_into_root_with(
    host_src: &Path,
    root: &Path,
    dest: &str,
    opts: CpOptions,
) -> Result<(), ChangesError> {
    cp::copy_into_root(host_src, root, dest, opts)
}

/// `cp CONTAINER:SRC HOST_DEST` with the rules of `copy_into_root`; the
/// files become the calling user's. Archive entries are extracted beneath
/// the host destination, so the container's symlinks cannot redirect them.
pub fn copy_out_of_root(root: &Path, src: &str, host_dest: &Path) -> Result<(), ChangesError> {
    cp::copy_out_of_root(root, src, host_dest, CpOptions::default())
}

/// `copy_out_of_root` with `-a` / `-L`.
pub fn copy_out_of_root_with(
    root: &Path,
    src: &str,
    host_dest: &Path,
    opts: CpOptions,
) -> Result<(), ChangesError> {
    cp::copy_out_of_root(root, src, host_dest, opts)
}
