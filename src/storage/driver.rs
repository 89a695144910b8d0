//! Choosing how a container's rootfs is assembled from layers: kernel
//! overlayfs, fuse-overlayfs, or plain copies (vfs). Probed once per storage
//! root and cached in `<storage>/driver.json`.
use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::atomic;
use super::unpack::WhiteoutFormat;
use crate::sys::fs as sysfs;

pub const DRIVER_ENV: &str = "SKIFF_STORAGE_DRIVER";
const CACHE_FILE: &str = "driver.json";

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Driver {
    Overlay,
    #[serde(rename = "fuse-overlayfs", alias = "fuseoverlay")]
    FuseOverlay,
    Vfs,
}

#[derive(Debug, thiserror::Error)]
pub enum DriverError {
    #[error("unknown storage driver {0:?}: expected overlay, fuse-overlayfs or vfs")]
    Unknown(String),
}

impl Driver {
    pub fn from_name(name: &str) -> Result<Driver, DriverError> {
        match name.trim().to_ascii_lowercase().as_str() {
            "overlay" | "overlay2" | "overlayfs" => Ok(Driver::Overlay),
            "fuse-overlayfs" | "fuse-overlay" | "fuseoverlay" | "fuse" => Ok(Driver::FuseOverlay),
            "vfs" => Ok(Driver::Vfs),
            _ => Err(DriverError::Unknown(name.to_string())),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Driver::Overlay => "overlay",
            Driver::FuseOverlay => "fuse-overlayfs",
            Driver::Vfs => "vfs",
        }
    }

    /// How layers for this driver store deletions.
    pub fn whiteout_format(self) -> WhiteoutFormat {
        match self {
            Driver::Overlay => WhiteoutFormat::Overlay,
            Driver::FuseOverlay | Driver::Vfs => WhiteoutFormat::Aufs,
        }
    }
}

impl fmt::Display for Driver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Driver {
    type Err = DriverError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Driver::from_name(s)
    }
}

#[derive(Serialize, Deserialize)]
struct Cached {
    driver: Driver,
}

/// The driver for `storage_root`: `SKIFF_STORAGE_DRIVER` if set (an invalid
/// value is reported and ignored), else the cached probe result, else a
/// fresh probe whose result is cached.
pub fn probe(storage_root: &Path, rootless: bool) -> Driver {
    let env = std::env::var(DRIVER_ENV).ok().filter(|v| !v.is_empty());
    let env = env.and_then(|v| match Driver::from_name(&v) {
        Ok(d) => Some(d),
        Err(e) => {
            eprintln!("warning: ignoring {DRIVER_ENV}: {e}");
            None
        }
    });
    choose(storage_root, None, env, || detect(storage_root, rootless))
}

/// Like `probe`, but an explicit setting (from the config file or a flag)
/// wins, and an invalid setting or environment value is an error.
pub fn select(
    storage_root: &Path,
    rootless: bool,
    explicit: Option<&str>,
) -> Result<Driver, DriverError> {
    let explicit = explicit.map(Driver::from_name).transpose()?;
    let env = match std::env::var(DRIVER_ENV) {
        Ok(v) if !v.is_empty() => Some(Driver::from_name(&v)?),
        _ => None,
    };
    Ok(choose(storage_root, explicit, env, || {
        detect(storage_root, rootless)
    }))
}

/// Records `driver` as the store's driver (a store created with an explicit
/// driver keeps it for later commands that do not name one).
pub fn remember(storage_root: &Path, driver: Driver) -> std::io::Result<()> {
    fs::create_dir_all(storage_root)?;
    atomic::write_json(&storage_root.join(CACHE_FILE), &Cached { driver })
}

/// Precedence: explicit, environment, cache, detection (then cached).
/// Overrides are never written to the cache.
fn choose(
    storage_root: &Path,
    explicit: Option<Driver>,
    env: Option<Driver>,
    detect: impl FnOnce() -> Driver,
) -> Driver {
    if let Some(d) = explicit.or(env) {
        return d;
    }
    let cache = storage_root.join(CACHE_FILE);
    if let Some(c) = fs::read(&cache)
        .ok()
        .and_then(|b| serde_json::from_slice::<Cached>(&b).ok())
    {
        return c.driver;
    }
    let driver = detect();
    // A failed cache write only costs a probe next time.
    if fs::create_dir_all(storage_root).is_ok() {
        let _ = atomic::write_json(&cache, &Cached { driver });
    }
    driver
}

/// Probes the system: kernel overlay (with our whiteout format) first, then
/// fuse-overlayfs, then vfs.
pub fn detect(storage_root: &Path, rootless: bool) -> Driver {
    if overlay_works(storage_root, rootless).unwrap_or(false) {
        Driver::Overlay
    } else if fuse_overlayfs_usable() {
        Driver::FuseOverlay
    } else {
        Driver::Vfs
    }
}

/// Mounts a two-lower overlay where the upper lower whites out a file of the
/// bottom one, in a throwaway mount namespace, and checks the merged view.
fn overlay_works(storage_root: &Path, rootless: bool) -> io::Result<bool> {
    fs::create_dir_all(storage_root)?;
    let tmp = tempfile::Builder::new()
        .prefix(".probe-")
        .tempdir_in(storage_root)?;
    let base = tmp.path();
    let dirs: Vec<PathBuf> = ["l1", "l2", "upper", "work", "merged"]
        .iter()
        .map(|d| base.join(d))
        .collect();
    for d in &dirs {
        fs::create_dir(d)?;
    }
    let [l1, l2, upper, work, merged] = &dirs[..] else {
        unreachable!("five dirs")
    };
    fs::write(l1.join("gone"), b"x")?;
    fs::write(l1.join("kept"), b"x")?;
    let l2fd = sysfs::open_dir(l2)?;
    use std::os::fd::AsFd;
    sysfs::make_whiteout_at(l2fd.as_fd(), b"gone")?;
    let mut opts = format!(
        "lowerdir={}:{},upperdir={},workdir={}",
        l2.display(),
        l1.display(),
        upper.display(),
        work.display()
    );
    if rootless {
        opts.push_str(",userxattr");
    }
    let merged = merged.clone();
    sysfs::in_private_mount_ns(move || {
        sysfs::mount_overlay(&merged, &opts)?;
        let ok = merged.join("kept").exists() && !merged.join("gone").exists();
        sysfs::unmount_detach(&merged)?;
        Ok(ok)
    })
}

fn fuse_overlayfs_usable() -> bool {
    let on_path = std::env::var_os("PATH").is_some_and(|path| {
        std::env::split_paths(&path).any(|d| {
            use std::os::unix::fs::PermissionsExt;
            fs::metadata(d.join("fuse-overlayfs"))
                .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        })
    });
    on_path
        && fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open("/dev/fuse")
            .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    #[test]
    fn names_parse() {
        assert_eq!(Driver::from_name("overlay").unwrap(), Driver::Overlay);
        assert_eq!(
            Driver::from_name("Fuse-OverlayFS").unwrap(),
            Driver::FuseOverlay
        );
        assert_eq!("vfs".parse::<Driver>().unwrap(), Driver::Vfs);
        let e = Driver::from_name("btrfs").unwrap_err().to_string();
        assert!(e.contains("\"btrfs\"") && e.contains("vfs"), "{e}");
        assert_eq!(Driver::Overlay.whiteout_format(), WhiteoutFormat::Overlay);
        assert_eq!(Driver::FuseOverlay.whiteout_format(), WhiteoutFormat::Aufs);
        assert_eq!(Driver::Vfs.whiteout_format(), WhiteoutFormat::Aufs);
        assert_eq!(
            serde_json::to_string(&Driver::FuseOverlay).unwrap(),
            "\"fuse-overlayfs\""
        );
    }

    #[test]
    fn probe_result_is_cached() {
        let d = tempfile::tempdir().unwrap();
        let calls = Cell::new(0);
        let detect = || {
            calls.set(calls.get() + 1);
            Driver::FuseOverlay
        };
        assert_eq!(choose(d.path(), None, None, detect), Driver::FuseOverlay);
        assert_eq!(calls.get(), 1);
        let detect2 = || {
            calls.set(calls.get() + 1);
            Driver::Vfs
        };
        // Second time the cache answers; detection does not run.
        assert_eq!(choose(d.path(), None, None, detect2), Driver::FuseOverlay);
        assert_eq!(calls.get(), 1);
        let cached = fs::read_to_string(d.path().join(CACHE_FILE)).unwrap();
        assert!(cached.contains("fuse-overlayfs"), "{cached}");
    }

    #[test]
    fn overrides_win_and_are_not_cached() {
        let d = tempfile::tempdir().unwrap();
        let never = || panic!("detection must not run with an override");
        assert_eq!(
            choose(d.path(), Some(Driver::Vfs), Some(Driver::Overlay), never),
            Driver::Vfs
        );
        assert_eq!(
            choose(d.path(), None, Some(Driver::Overlay), never),
            Driver::Overlay
        );
        assert!(!d.path().join(CACHE_FILE).exists());
        // A corrupt cache is ignored and rewritten.
        fs::write(d.path().join(CACHE_FILE), b"{not json").unwrap();
        assert_eq!(choose(d.path(), None, None, || Driver::Vfs), Driver::Vfs);
        assert_eq!(choose(d.path(), None, None, never), Driver::Vfs);
    }

    #[test]
    fn select_rejects_bad_explicit_name() {
        let d = tempfile::tempdir().unwrap();
        assert!(matches!(
            select(d.path(), true, Some("zfs")),
            Err(DriverError::Unknown(_))
        ));
        assert_eq!(select(d.path(), true, Some("vfs")).unwrap(), Driver::Vfs);
    }
}
