//! A container's root filesystem: its writable layer (`upper`, `work`) and
//! mountpoint (`merged`) beside the image's unpacked layers, mounted the way
//! the store's driver says.
//!
//! - overlay: kernel overlayfs over the layer diff dirs (`userxattr` when
//!   rootless), mounted in the caller's private mount namespace.
//! - fuse-overlayfs: the same through the fuse-overlayfs daemon.
//! - vfs: `prepare` copies the image into `upper`; `mount` bind-mounts
//!   `upper` on `merged`.
//!
//! So for every driver the container's root is `merged` once mounted, and
//! `upper` holds exactly what the container wrote (for vfs: the whole tree).
//! An image without layers is a bind mount of `upper` for every driver:
//! overlay needs a lower layer, and an empty one would add nothing.
use std::fs;
use std::io::{self, Read, Seek};
use std::os::fd::{AsFd, OwnedFd};
use std::os::unix::fs::DirBuilderExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::driver::Driver;
use crate::sys::fs as sysfs;
use crate::sys::mount as sysmount;

#[cfg(test)]
pub(crate) mod tests;
mod vfs;

/// Where a container's filesystem lives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RootfsLayout {
    /// The image's layer diff dirs, top first (`LayerStore::lowers_for` of
    /// the image's top chain ID).
    pub lowers: Vec<PathBuf>,
    pub upper: PathBuf,
    pub work: PathBuf,
    pub merged: PathBuf,
}

impl RootfsLayout {
    /// `upper/`, `work/` and `merged/` inside a container's directory.
    pub fn in_dir(container_dir: &Path, lowers: Vec<PathBuf>) -> RootfsLayout {
        RootfsLayout {
            lowers,
            upper: container_dir.join("upper"),
            work: container_dir.join("work"),
            merged: container_dir.join("merged"),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum RootfsError {
    #[error("container rootfs: cannot {action} {}: {source}", .path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        source: io::Error,
    },
    #[error("cannot mount the container rootfs at {}: {source}{hint}", .target.display())]
    Mount {
        target: PathBuf,
        source: io::Error,
        hint: &'static str,
    },
    #[error(
        "the image has {layers} layers, too many for one overlay mount: flatten it (export and import) or use the vfs storage driver"
    )]
    TooManyLayers { layers: usize },
    #[error("fuse-overlayfs could not mount {}: {message}", .target.display())]
    Fuse { target: PathBuf, message: String },
    #[error(
        "path {} contains ',', ':' or '\\', which fuse-overlayfs options cannot carry: move the storage root",
        .path.display()
    )]
    FusePath { path: PathBuf },
    #[error("cannot copy image layer {} into the container (vfs driver): {source}", .layer.display())]
    Copy { layer: PathBuf, source: io::Error },
    #[error("cannot unmount the container rootfs at {}: {source}", .target.display())]
    Unmount { target: PathBuf, source: io::Error },
}

fn io_err<'a>(action: &'static str, path: &'a Path) -> impl FnOnce(io::Error) -> RootfsError + 'a {
    move |source| RootfsError::Io {
        action,
        path: path.to_path_buf(),
        source,
    }
}

/// Whether an xattr is overlay's private metadata, never copied into a
/// rootfs or a layer.
pub(crate) fn is_overlay_xattr(key: &[u8]) -> bool {
    key.starts_with(b"trusted.overlay.")
        || key.starts_with(b"user.overlay.")
        || key.starts_with(b"user.fuseoverlayfs.")
}

/// Creates `upper`, `work` and `merged` (the container directory holding
/// them must exist). `upper`'s root takes the owner and mode of the image's
/// root, since the merged root shows them. For vfs, `upper` receives a copy
/// of the image (layers bottom first, aufs whiteouts applied, owners, modes,
/// xattrs, times and hardlinks kept); a half-done copy from an earlier
/// attempt is discarded first.
pub fn prepare(driver: Driver, l: &RootfsLayout, rootless: bool) -> Result<(), RootfsError> {
    let _ = rootless; // owners come from the namespace the caller runs in
    if driver == Driver::Vfs && l.upper.exists() {
        sysfs::remove_tree(&l.upper).map_err(io_err("clear", &l.upper))?;
    }
    make_dir(&l.upper, 0o755)?;
    make_dir(&l.work, 0o700)?;
    make_dir(&l.merged, 0o755)?;
    if driver == Driver::Vfs {
        vfs::copy_layers(&l.lowers, &l.upper)
    } else if let Some(top) = l.lowers.first() {
        vfs::copy_root_meta(top, &l.upper).map_err(|source| RootfsError::Copy {
            layer: top.clone(),
            source,
        })
    } else {
        Ok(())
    }
}

fn make_dir(path: &Path, mode: u32) -> Result<(), RootfsError> {
    match fs::DirBuilder::new().mode(mode).create(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists && path.is_dir() => Ok(()),
        Err(e) => Err(io_err("create", path)(e)),
    }
}

/// Mounts the container's read-write root at `l.merged` in the current
/// mount namespace (the caller's private one; euid 0 in the user's user
/// namespace when rootless). See the module docs for what each driver does.
pub fn mount(driver: Driver, l: &RootfsLayout, rootless: bool) -> Result<(), RootfsError> {
    if l.lowers.is_empty() || driver == Driver::Vfs {
        return bind(&l.upper, &l.merged);
    }
    let lowers: Vec<&Path> = l.lowers.iter().map(PathBuf::as_path).collect();
    let rw = Some((l.upper.as_path(), l.work.as_path()));
    match driver {
        Driver::Overlay => mount_overlay(&lowers, rw, &l.merged, rootless),
        _ => mount_fuse(&lowers, rw, &l.merged),
    }
}

/// Detaches the rootfs mounted at `merged` (or a read-only view from
/// `mount_readonly`). Not mounted is not an error.
pub fn unmount(driver: Driver, merged: &Path) -> Result<(), RootfsError> {
    let err = |source| RootfsError::Unmount {
        target: merged.to_path_buf(),
        source,
    };
    match sysmount::unmount_detach(merged) {
        Ok(()) => Ok(()),
        Err(e) if matches!(e.raw_os_error(), Some(libc::EINVAL) | Some(libc::ENOENT)) => Ok(()),
        // A FUSE mount made through the setuid helper belongs to it.
        Err(e) if driver == Driver::FuseOverlay && e.raw_os_error() == Some(libc::EPERM) => {
            fusermount_unmount(merged).map_err(|_| err(e))
        }
        Err(e) => Err(err(e)),
    }
}

fn fusermount_unmount(target: &Path) -> io::Result<()> {
    for helper in ["fusermount3", "fusermount"] {
        match Command::new(helper)
            .args(["-u", "-z"])
            .arg(target)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
        {
            Ok(s) if s.success() => return Ok(()),
            _ => continue,
        }
    }
    Err(io::Error::other("fusermount -u failed"))
}

/// A read-only merged view of the container's files (upper over the image)
/// at `target`, for export, commit or cp of a container that is not
/// running. Returns the directory to read: `target` when a view was mounted
/// (unmount it with `unmount`), else `upper` itself (vfs, or no image
/// layers), which needs no mount. The view has no upper or work dir, so it
/// never conflicts with the container's own read-write mount.
pub fn mount_readonly(
    driver: Driver,
    l: &RootfsLayout,
    target: &Path,
    rootless: bool,
) -> Result<PathBuf, RootfsError> {
    if driver == Driver::Vfs || l.lowers.is_empty() {
        return Ok(l.upper.clone());
    }
    make_dir(target, 0o755)?;
    let lowers: Vec<&Path> = std::iter::once(l.upper.as_path())
        .chain(l.lowers.iter().map(PathBuf::as_path))
        .collect();
    match driver {
        Driver::Overlay => mount_overlay(&lowers, None, target, rootless)?,
        _ => mount_fuse(&lowers, None, target)?,
    }
    Ok(target.to_path_buf())
}

/// Deletes `upper`, `work` and `merged` after the rootfs was unmounted.
/// Overlay's work dir holds mode-0000 dirs; `remove_tree` grants itself
/// access. `merged` is only ever rmdir'ed: should it still be mounted here,
/// deleting through it would walk the container's files.
pub fn remove(l: &RootfsLayout) -> Result<(), RootfsError> {
    match fs::remove_dir(&l.merged) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) if e.raw_os_error() == Some(libc::EBUSY) => {
            sysmount::unmount_detach(&l.merged).map_err(io_err("unmount", &l.merged))?;
            fs::remove_dir(&l.merged).map_err(io_err("remove", &l.merged))?;
        }
        Err(e) => return Err(io_err("remove", &l.merged)(e)),
    }
    for d in [&l.work, &l.upper] {
        sysfs::remove_tree(d).map_err(io_err("remove", d))?;
    }
    Ok(())
}

fn bind(src: &Path, target: &Path) -> Result<(), RootfsError> {
    sysmount::mount(Some(src), target, None, libc::MS_BIND, None).map_err(|source| {
        RootfsError::Mount {
            target: target.to_path_buf(),
            source,
            hint: "",
        }
    })
}

/// One page of mount(2) data, its NUL included; the kernel silently
/// truncates anything longer.
const MOUNT_DATA_MAX: usize = 4095;

/// Options no container overlay should run with as root: redirects and
/// metacopy would leave the upper dir unreadable as a layer diff, and the
/// inode index ties the upper dir to one set of lowers. (With `userxattr`
/// the kernel already turns the first two off and the index is unavailable.)
const ROOT_OPTIONS: &str = ",index=off,redirect_dir=off,metacopy=off";

fn mount_overlay(
    lowers: &[&Path],
    rw: Option<(&Path, &Path)>,
    target: &Path,
    rootless: bool,
) -> Result<(), RootfsError> {
    let extra = if rootless { ",userxattr" } else { ROOT_OPTIONS };
    // The fds (if any) back the /proc/self/fd paths until the mount is made.
    let (data, _fds) = overlay_data(lowers, rw, extra)?;
    sysfs::mount_overlay(target, &data).map_err(|source| RootfsError::Mount {
        target: target.to_path_buf(),
        source,
        hint: " (the kernel log says why: dmesg | grep overlay)",
    })
}

/// The overlay option string. Directories are named by path when every path
/// is free of the option separators (`,` `:` `\`) and the string fits one
/// page; else by `/proc/self/fd/N` of open directory fds (returned, to be
/// kept open until the mount call), which fits ~200 layers.
fn overlay_data(
    lowers: &[&Path],
    rw: Option<(&Path, &Path)>,
    extra: &str,
) -> Result<(String, Vec<OwnedFd>), RootfsError> {
    let all: Vec<&Path> = lowers
        .iter()
        .copied()
        .chain(rw.into_iter().flat_map(|(u, w)| [u, w]))
        .collect();
    let plain: Option<Vec<String>> = all.iter().map(|p| plain_path(p)).collect();
    if let Some(names) = plain {
        let data = format_data(&names, lowers.len(), extra);
        if data.len() <= MOUNT_DATA_MAX {
            return Ok((data, Vec::new()));
        }
    }
    let mut fds = Vec::with_capacity(all.len());
    let mut names = Vec::with_capacity(all.len());
    for p in &all {
        let fd = sysfs::open_dir(p).map_err(io_err("open", p))?;
        names.push(sysfs::proc_fd_path(fd.as_fd()).display().to_string());
        fds.push(fd);
    }
    let data = format_data(&names, lowers.len(), extra);
    if data.len() > MOUNT_DATA_MAX {
        return Err(RootfsError::TooManyLayers {
            layers: lowers.len(),
        });
    }
    Ok((data, fds))
}

/// `p` as an option value, if it needs no escaping.
fn plain_path(p: &Path) -> Option<String> {
    p.to_str()
        .filter(|s| !s.contains([',', ':', '\\']))
        .map(str::to_string)
}

/// `lowerdir=A:B[,upperdir=U,workdir=W]EXTRA` from the names of the lowers
/// followed (when present) by upper and work.
fn format_data(names: &[String], nlower: usize, extra: &str) -> String {
    let mut s = format!("lowerdir={}", names[..nlower].join(":"));
    if let [upper, work] = &names[nlower..] {
        s.push_str(&format!(",upperdir={upper},workdir={work}"));
    }
    s.push_str(extra);
    s
}

const FUSE_OVERLAYFS: &str = "fuse-overlayfs";

/// Runs fuse-overlayfs, which mounts, daemonizes and exits 0 once the mount
/// is in place. Its stderr goes to a file: the daemon keeps a pipe open.
fn mount_fuse(
    lowers: &[&Path],
    rw: Option<(&Path, &Path)>,
    target: &Path,
) -> Result<(), RootfsError> {
    let all: Vec<&Path> = lowers
        .iter()
        .copied()
        .chain(rw.into_iter().flat_map(|(u, w)| [u, w]))
        .collect();
    let mut names = Vec::with_capacity(all.len());
    for p in &all {
        names.push(plain_path(p).ok_or_else(|| RootfsError::FusePath {
            path: p.to_path_buf(),
        })?);
    }
    let data = format_data(&names, lowers.len(), "");
    let fuse_err = |message: String| RootfsError::Fuse {
        target: target.to_path_buf(),
        message,
    };
    let mut errfile = tempfile::tempfile().map_err(|e| fuse_err(e.to_string()))?;
    let stderr = errfile.try_clone().map_err(|e| fuse_err(e.to_string()))?;
    let status = Command::new(FUSE_OVERLAYFS)
        .arg("-o")
        .arg(&data)
        .arg(target)
        // Whiteouts as `.wh.` files, the aufs form of our fuse layers, so
        // the upper dir reads like one.
        .env("FUSE_OVERLAYFS_DISABLE_OVL_WHITEOUT", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(stderr)
        .status()
        .map_err(|e| {
            if e.kind() == io::ErrorKind::NotFound {
                fuse_err(
                    "fuse-overlayfs is not installed: install it or use the vfs storage driver"
                        .into(),
                )
            } else {
                fuse_err(format!("cannot run fuse-overlayfs: {e}"))
            }
        })?;
    if status.success() {
        return Ok(());
    }
    let mut text = String::new();
    let _ = errfile.rewind();
    let _ = errfile.take(4096).read_to_string(&mut text);
    let text = text
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with("unknown argument ignored"))
        .collect::<Vec<_>>()
        .join("; ");
    Err(fuse_err(if text.is_empty() {
        format!("it exited with {status}")
    } else {
        text
    }))
}
