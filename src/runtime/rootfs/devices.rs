//! Device nodes in the container's `/dev`: the default set every container
//! gets, the spec's `linux.devices`, and the standard links. As real root the
//! nodes are created with mknod; rootless (or whenever mknod is refused) an
//! empty file is created and the host's node is bind-mounted onto it.
use std::io;
use std::os::fd::{AsFd, BorrowedFd};
use std::path::{Path, PathBuf};

use oci_spec::runtime::{LinuxDevice, LinuxDeviceType};

use crate::sys::fs::{self as sfs, NodeKind};
use crate::sys::mount as sm;

use super::resolve::{self, Kind};
use super::{RootfsContext, RootfsError};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeviceNode {
    /// Path inside the container.
    pub path: PathBuf,
    pub kind: NodeKind,
    pub major: u32,
    pub minor: u32,
    /// Permission bits.
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
}

/// The devices the runtime spec requires in every container.
pub fn default_devices() -> Vec<DeviceNode> {
    [
        ("null", 1, 3),
        ("zero", 1, 5),
        ("full", 1, 7),
        ("random", 1, 8),
        ("urandom", 1, 9),
        ("tty", 5, 0),
    ]
    .into_iter()
    .map(|(name, major, minor)| DeviceNode {
        path: Path::new("/dev").join(name),
        kind: NodeKind::Char,
        major,
        minor,
        mode: 0o666,
        uid: 0,
        gid: 0,
    })
    .collect()
}

/// Converts a spec device; `a` (all) names no node and is refused.
pub fn from_spec(d: &LinuxDevice) -> Result<DeviceNode, RootfsError> {
    let err = |reason: &str| RootfsError::Device {
        path: d.path().display().to_string(),
        reason: reason.into(),
    };
    let kind = match d.typ() {
        LinuxDeviceType::C | LinuxDeviceType::U => NodeKind::Char,
        LinuxDeviceType::B => NodeKind::Block,
        LinuxDeviceType::P => NodeKind::Fifo,
        LinuxDeviceType::A => return Err(err("type \"a\" is not a device node")),
    };
    if !d.path().is_absolute() {
        return Err(err("path must be absolute"));
    }
    let num = |v: i64| u32::try_from(v).map_err(|_| err("major/minor out of range"));
    Ok(DeviceNode {
        path: d.path().clone(),
        kind,
        major: num(d.major())?,
        minor: num(d.minor())?,
        mode: d.file_mode().unwrap_or(0o666) & 0o7777,
        uid: d.uid().unwrap_or(0),
        gid: d.gid().unwrap_or(0),
    })
}

/// Defaults (when we own `/dev`) followed by the spec's devices; a spec entry
/// replaces a default with the same path.
pub fn device_list(
    spec_devices: &[LinuxDevice],
    with_defaults: bool,
) -> Result<Vec<DeviceNode>, RootfsError> {
    let spec: Vec<DeviceNode> = spec_devices
        .iter()
        .map(from_spec)
        .collect::<Result<_, _>>()?;
    let mut out: Vec<DeviceNode> = if with_defaults {
        default_devices()
            .into_iter()
            .filter(|d| {
                !spec
                    .iter()
                    .any(|s| resolve::clean(&s.path) == resolve::clean(&d.path))
            })
            .collect()
    } else {
        Vec::new()
    };
    out.extend(spec);
    Ok(out)
}

/// runc's rule: the runtime owns `/dev` (default devices, links) unless the
/// spec bind-mounts something over `/dev` itself.
pub fn owns_dev(mounts: &[oci_spec::runtime::Mount]) -> bool {
    !mounts.iter().any(|m| {
        resolve::clean(m.destination()) == [b"dev".to_vec()]
            && (m.typ().as_deref() == Some("bind")
                || m.options()
                    .iter()
                    .flatten()
                    .any(|o| o == "bind" || o == "rbind"))
    })
}

/// The symlinks of a standard `/dev`: (target, link).
pub const LINKS: &[(&str, &str)] = &[
    ("/proc/self/fd", "/dev/fd"),
    ("/proc/self/fd/0", "/dev/stdin"),
    ("/proc/self/fd/1", "/dev/stdout"),
    ("/proc/self/fd/2", "/dev/stderr"),
];

pub(super) fn setup(ctx: &RootfsContext, root: BorrowedFd<'_>) -> Result<(), RootfsError> {
    let own = owns_dev(ctx.spec.mounts().as_deref().unwrap_or(&[]));
    let spec_devices = ctx
        .spec
        .linux()
        .as_ref()
        .and_then(|l| l.devices().clone())
        .unwrap_or_default();
    for dev in device_list(&spec_devices, own)? {
        create(root, &dev, ctx.rootless)?;
    }
    if own {
        for (target, link) in LINKS {
            symlink(root, target, Path::new(link), false)?;
        }
        // The container's ptmx must be the one of its own devpts instance.
        symlink(root, "pts/ptmx", Path::new("/dev/ptmx"), true)?;
    }
    Ok(())
}

fn dev_err(path: &Path, op: &str) -> impl FnOnce(io::Error) -> RootfsError {
    let (path, op) = (path.display().to_string(), op.to_string());
    move |e| RootfsError::Device {
        path,
        reason: format!("{op}: {e}"),
    }
}

fn create(root: BorrowedFd<'_>, dev: &DeviceNode, rootless: bool) -> Result<(), RootfsError> {
    if !rootless {
        let (dir, name) = resolve::ensure_parent(root, &dev.path)?;
        match sfs::mknod_at(dir.as_fd(), &name, dev.kind, dev.mode, dev.major, dev.minor) {
            Ok(()) => {
                // mknod applied the umask; ownership and mode are set exactly.
                sfs::chown_at(dir.as_fd(), &name, dev.uid, dev.gid)
                    .map_err(dev_err(&dev.path, "chown"))?;
                let fd =
                    sfs::open_path_at(dir.as_fd(), &name).map_err(dev_err(&dev.path, "open"))?;
                return sfs::chmod_fd(fd.as_fd(), dev.mode).map_err(dev_err(&dev.path, "chmod"));
            }
            // Something is there already (image content, an earlier entry).
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => return Ok(()),
            // Root without CAP_MKNOD over the filesystem (a user namespace):
            // bind the host's node like the rootless path does.
            Err(e) if e.raw_os_error() == Some(libc::EPERM) => {}
            Err(e) => return Err(dev_err(&dev.path, "mknod")(e)),
        }
    }
    bind_host_node(root, dev)
}

fn bind_host_node(root: BorrowedFd<'_>, dev: &DeviceNode) -> Result<(), RootfsError> {
    let host = &dev.path;
    let meta = std::fs::metadata(host).map_err(dev_err(host, "host device for bind mount"))?;
    use std::os::unix::fs::FileTypeExt;
    let ft = meta.file_type();
    let same_kind = match dev.kind {
        NodeKind::Char => ft.is_char_device(),
        NodeKind::Block => ft.is_block_device(),
        NodeKind::Fifo => ft.is_fifo(),
    };
    if !same_kind {
        return Err(RootfsError::Device {
            path: host.display().to_string(),
            reason: "host path is not a device of that type; cannot bind it".into(),
        });
    }
    let target = resolve::ensure(root, &dev.path, Kind::File)?;
    sm::mount(
        Some(host),
        &resolve::fd_path(target.as_fd()),
        None,
        libc::MS_BIND,
        None,
    )
    .map_err(dev_err(&dev.path, "bind mount"))
}

/// Creates the symlink `link` -> `target` inside the root; an existing entry
/// is kept, or replaced when `replace` (never a directory).
fn symlink(
    root: BorrowedFd<'_>,
    target: &str,
    link: &Path,
    replace: bool,
) -> Result<(), RootfsError> {
    let (dir, name) = resolve::ensure_parent(root, link)?;
    if replace
        && let Some(st) = sfs::lstat_at(dir.as_fd(), &name).map_err(dev_err(link, "lstat"))?
        && !sfs::is_dir(&st)
    {
        sfs::remove_all_at(dir.as_fd(), &name).map_err(dev_err(link, "remove"))?;
    }
    match sfs::symlink_at(target.as_bytes(), dir.as_fd(), &name) {
        Err(e) if e.kind() != io::ErrorKind::AlreadyExists => Err(dev_err(link, "symlink")(e)),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oci_spec::runtime::{LinuxDeviceBuilder, MountBuilder};

    #[test]
    fn default_devices_are_the_spec_six() {
        let d = default_devices();
        let names: Vec<_> = d.iter().map(|d| d.path.to_str().unwrap()).collect();
        assert_eq!(
            names,
            [
                "/dev/null",
                "/dev/zero",
                "/dev/full",
                "/dev/random",
                "/dev/urandom",
                "/dev/tty"
            ]
        );
        assert!(
            d.iter()
                .all(|d| d.kind == NodeKind::Char && d.mode == 0o666)
        );
        assert_eq!((d[0].major, d[0].minor), (1, 3));
        assert_eq!((d[5].major, d[5].minor), (5, 0));
    }

    #[test]
    fn spec_devices_override_defaults_and_convert() {
        let fuse = LinuxDeviceBuilder::default()
            .path("/dev/fuse")
            .typ(LinuxDeviceType::C)
            .major(10)
            .minor(229)
            .file_mode(0o20600u32)
            .uid(1000u32)
            .build()
            .unwrap();
        let null = LinuxDeviceBuilder::default()
            .path("/dev/null")
            .typ(LinuxDeviceType::C)
            .major(1)
            .minor(3)
            .file_mode(0o600u32)
            .build()
            .unwrap();
        let list = device_list(&[fuse, null], true).unwrap();
        assert_eq!(list.len(), 7);
        let n: Vec<_> = list
            .iter()
            .filter(|d| d.path == Path::new("/dev/null"))
            .collect();
        assert_eq!(n.len(), 1);
        assert_eq!(n[0].mode, 0o600);
        let f = list
            .iter()
            .find(|d| d.path == Path::new("/dev/fuse"))
            .unwrap();
        // Type bits in fileMode are dropped: only permissions are ours.
        assert_eq!(
            (f.mode, f.uid, f.gid, f.major, f.minor),
            (0o600, 1000, 0, 10, 229)
        );
        assert!(device_list(&[], false).unwrap().is_empty());
    }

    #[test]
    fn invalid_spec_devices_are_refused() {
        let all = LinuxDeviceBuilder::default()
            .path("/dev/x")
            .typ(LinuxDeviceType::A)
            .build()
            .unwrap();
        assert!(from_spec(&all).is_err());
        let rel = LinuxDeviceBuilder::default()
            .path("dev/x")
            .typ(LinuxDeviceType::B)
            .build()
            .unwrap();
        assert!(from_spec(&rel).is_err());
        let neg = LinuxDeviceBuilder::default()
            .path("/dev/x")
            .typ(LinuxDeviceType::P)
            .major(-1)
            .build()
            .unwrap();
        assert!(from_spec(&neg).is_err());
    }

    #[test]
    fn dev_ownership_follows_runc() {
        let tmpfs = MountBuilder::default()
            .destination("/dev")
            .typ("tmpfs")
            .build()
            .unwrap();
        assert!(owns_dev(&[tmpfs]));
        let bind = MountBuilder::default()
            .destination("/dev/")
            .source("/dev")
            .options(vec!["rbind".to_string()])
            .build()
            .unwrap();
        assert!(!owns_dev(&[bind]));
        assert!(owns_dev(&[]));
    }

    #[test]
    fn symlinks_keep_or_replace() {
        let d = tempfile::tempdir().unwrap();
        std::fs::create_dir(d.path().join("dev")).unwrap();
        std::fs::write(d.path().join("dev/ptmx"), b"").unwrap();
        std::fs::write(d.path().join("dev/stdin"), b"keep").unwrap();
        let root = sfs::open_dir(d.path()).unwrap();
        symlink(root.as_fd(), "pts/ptmx", Path::new("/dev/ptmx"), true).unwrap();
        symlink(
            root.as_fd(),
            "/proc/self/fd/0",
            Path::new("/dev/stdin"),
            false,
        )
        .unwrap();
        symlink(root.as_fd(), "/proc/self/fd", Path::new("/dev/fd"), false).unwrap();
        let rl = |p: &str| std::fs::read_link(d.path().join(p)).unwrap();
        assert_eq!(rl("dev/ptmx"), Path::new("pts/ptmx"));
        assert_eq!(rl("dev/fd"), Path::new("/proc/self/fd"));
        assert_eq!(std::fs::read(d.path().join("dev/stdin")).unwrap(), b"keep");
    }
}
