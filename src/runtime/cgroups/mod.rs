//! Cgroups v1, v2 and none: resources, freezer, pids, stats.
//!
//! `manager` looks at the cgroup mounts under a root (normally
//! `/sys/fs/cgroup`) and picks one of:
//! - **v2** (unified hierarchy mounted at the root): one directory; the
//!   controllers it needs are enabled in `cgroup.subtree_control` of every
//!   ancestor (nested delegation). Processes only ever go into the leaf, so
//!   the v2 "no internal processes" rule holds for the cgroups we create; an
//!   ancestor that already holds processes cannot delegate controllers, which
//!   `set` reports with that explanation.
//! - **v1** and **hybrid** (v1 controllers plus a cgroup2 mount under the root,
//!   e.g. `/sys/fs/cgroup/unified`): one directory per mounted v1 hierarchy;
//!   the v2 part of a hybrid host is ignored, as runc's cgroupfs driver does.
//! - **none**: a no-op manager. Rootless callers get it whenever no writable
//!   cgroup is delegated to them (a directory owned by the effective uid);
//!   requested limits are then ignored with one warning line.
//!
//! `cgroupsPath`: an absolute path is relative to the hierarchy root, a
//! relative one to the runtime's own cgroup (from `/proc/self/cgroup`); no
//! path means `<id>` relative to the runtime's cgroup (runc's default). The
//! systemd form `slice:prefix:name` (runc's `--systemd-cgroup`) is accepted
//! and converted to the cgroupfs path systemd would use
//! (`system.slice/prefix-name.scope`); skiff does not talk to systemd over
//! D-Bus, so no unit is registered and systemd does not know the cgroup.
//!
//! Device rules on v1: `devices.deny a`, the rules in order, then
//! `default_device_rules()` (null, zero, full, random, urandom, tty, ptmx,
//! pts, mknod of anything), as runc does; callers add `spec_device_rules`
//! for the spec's `linux.devices`.
//! Device rules on v2: the same rules compiled to a BPF_PROG_TYPE_CGROUP_DEVICE
//! program (`devices_bpf`, last matching rule wins) attached to the cgroup;
//! an update attaches the new program before detaching the old one.
//! Rootless managers skip device rules (in a user namespace device access is
//! bounded by host file permissions, and mknod of real devices is refused).
mod devices_bpf;
mod mounts;
mod path;
mod resources;
mod stats;
#[cfg(test)]
mod testutil;
mod v1;
mod v2;

use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use oci_spec::runtime::LinuxResources;

pub use mounts::detect_mode;
pub use path::{CgroupPath, parse_cgroups_path};
pub use resources::{default_device_rules, spec_device_rules};
pub use stats::{CgroupStats, CpuStats, MemoryStats, PidsStats};

#[derive(Debug, thiserror::Error)]
pub enum CgroupError {
    #[error("reading {}: {source}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("cannot write {value:?} to {}: {source}", path.display())]
    Write {
        path: PathBuf,
        value: String,
        #[source]
        source: io::Error,
    },
    #[error("cannot set {file} = {value:?} in cgroup {}: {reason}", dir.display())]
    NotAvailable {
        dir: PathBuf,
        file: String,
        value: String,
        reason: String,
    },
    #[error("cannot set {file} = {value:?}: no cgroup v1 {controller} hierarchy is mounted")]
    NoController {
        controller: &'static str,
        file: String,
        value: String,
    },
    #[error("creating cgroup {}: {source}", path.display())]
    Create {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("removing cgroup {}: {source}", path.display())]
    Remove {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("invalid cgroupsPath {path:?}: {reason}")]
    InvalidPath { path: String, reason: String },
    #[error("invalid cgroup resources: {0}")]
    InvalidValue(String),
    #[error("{0}")]
    Unsupported(String),
    #[error("cgroup {}: {file} did not reach {want:?} within {ms} ms", dir.display())]
    Timeout {
        dir: PathBuf,
        file: &'static str,
        want: &'static str,
        ms: u128,
    },
    #[error("the container has no cgroup ({0})")]
    NoCgroup(String),
}

pub(crate) fn read_err(path: &Path, source: io::Error) -> CgroupError {
    CgroupError::Read {
        path: path.to_path_buf(),
        source,
    }
}

/// The cgroup layout of a host, as seen under the given root.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CgroupMode {
    /// Only v1 hierarchies.
    V1,
    /// The unified (v2) hierarchy is mounted at the root.
    V2,
    /// v1 hierarchies plus a cgroup2 mount below the root; managed as v1.
    Hybrid,
    /// No cgroup filesystem under the root.
    None,
}

pub trait CgroupManager {
    /// Creates the cgroup (idempotent) and moves `pid` into it.
    fn apply(&self, pid: i32) -> Result<(), CgroupError>;
    /// Writes the resource limits; creates the cgroup first if needed.
    fn set(&self, r: &LinuxResources) -> Result<(), CgroupError>;
    /// Every process in the cgroup and its descendants (empty for the no-op
    /// manager, which knows of none).
    fn pids(&self) -> Result<Vec<i32>, CgroupError>;
    /// Freezes and waits until the kernel reports the cgroup frozen.
    fn freeze(&self) -> Result<(), CgroupError>;
    fn thaw(&self) -> Result<(), CgroupError>;
    fn is_frozen(&self) -> Result<bool, CgroupError>;
    /// Removes the leaf directories (retrying briefly while busy). Killing the
    /// processes is the caller's job.
    fn destroy(&self) -> Result<(), CgroupError>;
    fn stats(&self) -> Result<CgroupStats, CgroupError>;
    fn can_freeze(&self) -> bool;
    /// The leaf directory on the unified hierarchy (for clone3's
    /// CLONE_INTO_CGROUP); `None` on v1 and for the no-op manager.
    fn unified_dir(&self) -> Option<PathBuf> {
        None
    }
    /// Creates the cgroup and opens its directory on the unified hierarchy,
    /// for clone3's CLONE_INTO_CGROUP. `None` where that does not apply or
    /// fails: the child is then cloned plainly and moved by `apply`, which
    /// reports any error.
    fn open_for_clone(&self) -> Option<std::os::fd::OwnedFd> {
        None
    }
}

/// What `manager` reads from the host, injectable so tests can describe a
/// fake tree.
#[derive(Clone, Debug)]
pub struct Host {
    /// Where the cgroup hierarchies live ("/sys/fs/cgroup").
    pub root: PathBuf,
    /// Text of /proc/self/mountinfo.
    pub mountinfo: String,
    /// Text of /proc/self/cgroup.
    pub self_cgroup: String,
    /// Effective uid, compared with directory owners to detect delegation.
    pub euid: u32,
    /// How long freeze/thaw wait for the state to settle.
    pub settle_timeout: Duration,
}

impl Host {
    /// The running process's view of `root`.
    pub fn current(root: &Path) -> Result<Host, CgroupError> {
        let read = |p: &str| std::fs::read_to_string(p).map_err(|e| read_err(Path::new(p), e));
        Ok(Host {
            root: root.to_path_buf(),
            mountinfo: read("/proc/self/mountinfo")?,
            self_cgroup: read("/proc/self/cgroup")?,
            euid: rustix::process::geteuid().as_raw(),
            settle_timeout: Duration::from_secs(5),
        })
    }
}

/// The manager for container `id` on this host (see the module docs for the
/// choice of mode and the meaning of `cgroups_path`).
pub fn manager(
    root: &Path,
    cgroups_path: Option<&str>,
    id: &str,
    rootless: bool,
) -> Result<Box<dyn CgroupManager>, CgroupError> {
    manager_for(&Host::current(root)?, cgroups_path, id, rootless)
}

/// `manager` with an explicit host view.
pub fn manager_for(
    host: &Host,
    cgroups_path: Option<&str>,
    id: &str,
    rootless: bool,
) -> Result<Box<dyn CgroupManager>, CgroupError> {
    let spec = parse_cgroups_path(cgroups_path, id)?;
    let mounts = mounts::cgroup_mounts(&host.root, &host.mountinfo);
    let own = mounts::parse_self_cgroup(&host.self_cgroup);
    match detect_mode(&host.root, &host.mountinfo) {
        CgroupMode::V2 => {
            let Some(mount) = mounts.iter().find(|m| m.v2 && m.mount_point == host.root) else {
                return Err(CgroupError::NoCgroup(format!(
                    "no cgroup2 mount at {}",
                    host.root.display()
                )));
            };
            let own_path = own.unified.as_deref().unwrap_or("/");
            let dir = mount.dir_for(&spec.resolve(own_path, rootless));
            if rootless && !delegated(&dir, host.euid) {
                return Ok(Box::new(NoopManager::rootless(format!(
                    "no writable cgroup v2 delegated to uid {} at {}",
                    host.euid,
                    dir.display()
                ))));
            }
            Ok(Box::new(v2::V2Manager::new(
                host.root.clone(),
                dir,
                rootless,
                host.settle_timeout,
            )))
        }
        CgroupMode::V1 | CgroupMode::Hybrid => {
            let hierarchies = v1::hierarchies(&mounts, &own, &spec, rootless);
            if rootless && let Some(h) = hierarchies.iter().find(|h| !delegated(&h.dir, host.euid))
            {
                return Ok(Box::new(NoopManager::rootless(format!(
                    "cgroup v1 hierarchy at {} is not delegated to uid {}",
                    h.dir.display(),
                    host.euid
                ))));
            }
            Ok(Box::new(v1::V1Manager::new(
                hierarchies,
                rootless,
                host.settle_timeout,
            )))
        }
        CgroupMode::None => Ok(Box::new(NoopManager {
            reason: format!("no cgroup filesystem under {}", host.root.display()),
            rootless,
        })),
    }
}

/// A cgroup is delegated to `euid` when its nearest existing ancestor (itself
/// included) is owned by that uid and writable: that is what systemd's
/// `Delegate=yes` and `chown`-based delegation produce.
fn delegated(dir: &Path, euid: u32) -> bool {
    use std::os::unix::fs::MetadataExt;
    let mut cur = Some(dir);
    while let Some(d) = cur {
        if let Ok(md) = std::fs::metadata(d) {
            return md.uid() == euid
                && rustix::fs::access(d, rustix::fs::Access::WRITE_OK).is_ok()
                && rustix::fs::access(d.join("cgroup.procs"), rustix::fs::Access::WRITE_OK)
                    .is_ok();
        }
        cur = d.parent();
    }
    false
}

static WARNED: AtomicBool = AtomicBool::new(false);

/// Prints `msg` as a warning the first time it is called in this process.
pub(crate) fn warn_once(msg: &str) {
    if !WARNED.swap(true, Ordering::Relaxed) {
        eprintln!("skiff: warning: {msg}");
    }
}

/// No cgroup: rootless without delegation, or a host with no cgroupfs.
#[derive(Debug)]
pub struct NoopManager {
    reason: String,
    rootless: bool,
}

impl NoopManager {
    fn rootless(reason: String) -> NoopManager {
        NoopManager {
            reason,
            rootless: true,
        }
    }

    fn none(&self) -> CgroupError {
        CgroupError::NoCgroup(self.reason.clone())
    }
}

impl CgroupManager for NoopManager {
    fn apply(&self, _pid: i32) -> Result<(), CgroupError> {
        Ok(())
    }

    fn set(&self, r: &LinuxResources) -> Result<(), CgroupError> {
        if !resources::requests_limits(r, self.rootless) {
            return Ok(());
        }
        if self.rootless {
            warn_once(&format!("{}; resource limits are ignored", self.reason));
            Ok(())
        } else {
            Err(CgroupError::Unsupported(format!(
                "resource limits requested but {}",
                self.reason
            )))
        }
    }

    /// No cgroup, no list: empty, so callers fall back to the init's pid.
    fn pids(&self) -> Result<Vec<i32>, CgroupError> {
        Ok(Vec::new())
    }

    fn freeze(&self) -> Result<(), CgroupError> {
        Err(self.none())
    }

    fn thaw(&self) -> Result<(), CgroupError> {
        Err(self.none())
    }

    fn is_frozen(&self) -> Result<bool, CgroupError> {
        Ok(false)
    }

    fn destroy(&self) -> Result<(), CgroupError> {
        Ok(())
    }

    fn stats(&self) -> Result<CgroupStats, CgroupError> {
        Err(self.none())
    }

    fn can_freeze(&self) -> bool {
        false
    }
}

/// Whether a rootless container on this host gets a cgroup of its own (a
/// delegated subtree); without one the runtime runs it without limits.
pub fn rootless_delegation_available() -> bool {
    manager(Path::new("/sys/fs/cgroup"), None, "skiff-probe", true)
        .is_ok_and(|m| m.can_freeze() || m.unified_dir().is_some())
}
