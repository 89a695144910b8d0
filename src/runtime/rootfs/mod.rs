//! The container root filesystem: mounts, devices, pivot_root, masked paths.
//!
//! Called by the container init, single-threaded, inside its new mount
//! namespace (and already root of its user namespace when there is one), in
//! this order: [`set_hostname`], [`prepare`] (every mount, made on the host
//! path of the rootfs), createContainer hooks, [`pivot_and_finish`] (the root
//! switch, masked and read-only paths, read-only root), [`apply_sysctls`].
//!
//! Every mount target is resolved inside the rootfs with
//! `openat2(RESOLVE_IN_ROOT)` and mounted through `/proc/self/fd/N` (see
//! [`resolve`]), so symlinks in the image cannot redirect a mount to the host.
use std::io;
use std::os::fd::AsFd;
use std::path::{Path, PathBuf};

use oci_spec::runtime::{LinuxNamespaceType, Spec};

use crate::sys::fs as sfs;
use crate::sys::mount as sm;

pub mod devices;
pub mod mounts;
pub mod options;
pub mod paths;
pub mod pivot;
pub mod resolve;
pub mod sysctl;

#[cfg(test)]
mod nstest;

/// What the rootfs steps need from the container's configuration.
pub struct RootfsContext<'a> {
    pub spec: &'a Spec,
    pub bundle: &'a Path,
    /// Absolute host path of the root filesystem.
    pub rootfs: PathBuf,
    /// No CAP_SYS_ADMIN/CAP_MKNOD in the initial user namespace: devices are
    /// bind-mounted from the host and kernel filesystems that need real
    /// privileges fall back to binds of the host's.
    pub rootless: bool,
    /// Use MS_MOVE + chroot instead of pivot_root (runc's `--no-pivot`).
    pub no_pivot: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum RootfsError {
    #[error("{op} {path}: {source}")]
    Io {
        op: &'static str,
        path: String,
        #[source]
        source: io::Error,
    },
    #[error("mount {what} on {dest}: {source}")]
    Mount {
        what: String,
        dest: String,
        #[source]
        source: io::Error,
    },
    #[error("{path} {reason}")]
    InvalidPath { path: String, reason: String },
    #[error("invalid configuration: {0}")]
    InvalidConfig(String),
    #[error("not supported: {0}")]
    Unsupported(String),
    #[error("device {path}: {reason}")]
    Device { path: String, reason: String },
    #[error("sysctl {name}: {reason}")]
    Sysctl { name: String, reason: String },
}

impl RootfsError {
    /// The errno behind a failed syscall, for the callers that fall back.
    pub fn errno(&self) -> Option<i32> {
        match self {
            RootfsError::Io { source, .. } | RootfsError::Mount { source, .. } => {
                source.raw_os_error()
            }
            _ => None,
        }
    }
}

fn host_err(op: &'static str, path: &Path) -> impl FnOnce(io::Error) -> RootfsError {
    let path = path.display().to_string();
    move |source| RootfsError::Io { op, path, source }
}

/// The propagation `linux.rootfsPropagation` asks for, if any.
fn rootfs_propagation(spec: &Spec) -> Result<Option<u64>, RootfsError> {
    match spec
        .linux()
        .as_ref()
        .and_then(|l| l.rootfs_propagation().as_deref())
    {
        None | Some("") => Ok(None),
        Some(p) => options::parse_propagation(p).map(Some),
    }
}

/// Sets up every mount of the container under the host path of its rootfs.
pub fn prepare(ctx: &RootfsContext) -> Result<(), RootfsError> {
    // First cut the new namespace off from the host: by default every mount
    // becomes a slave (host unmounts still reach us; nothing of ours reaches
    // the host), unless the spec chose another propagation for `/`. An
    // unbindable `/` would forbid the rootfs bind below, so that one starts
    // private (what unbindable also is) and is applied after the pivot.
    let prop = match rootfs_propagation(ctx.spec)? {
        None => libc::MS_SLAVE | libc::MS_REC,
        Some(p) if p & libc::MS_UNBINDABLE != 0 => (p & !libc::MS_UNBINDABLE) | libc::MS_PRIVATE,
        Some(p) => p,
    };
    sm::mount(None, Path::new("/"), None, prop, None).map_err(|source| RootfsError::Mount {
        what: "propagation".into(),
        dest: "/".into(),
        source,
    })?;
    let rootfs = std::fs::canonicalize(&ctx.rootfs).map_err(host_err("resolve", &ctx.rootfs))?;
    // pivot_root needs the new root to be a mount point.
    sm::mount(
        Some(&rootfs),
        &rootfs,
        None,
        libc::MS_BIND | libc::MS_REC,
        None,
    )
    .map_err(|source| RootfsError::Mount {
        what: "rootfs bind".into(),
        dest: rootfs.display().to_string(),
        source,
    })?;
    let root = sfs::open_dir(&rootfs).map_err(host_err("open", &rootfs))?;
    mounts::mount_all(ctx, root.as_fd())?;
    devices::setup(ctx, root.as_fd())
}

/// Switches to the new root and applies what must be done from inside it.
pub fn pivot_and_finish(ctx: &RootfsContext) -> Result<(), RootfsError> {
    let rootfs = std::fs::canonicalize(&ctx.rootfs).map_err(host_err("resolve", &ctx.rootfs))?;
    pivot::switch_root(&rootfs, ctx.no_pivot)?;
    // Sysctls go in before readonlyPaths makes /proc/sys read-only (runc's
    // order); the caller's later apply_sysctls finds them set and skips them.
    apply_sysctls(ctx.spec)?;
    let root = sfs::open_dir(Path::new("/")).map_err(host_err("open", Path::new("/")))?;
    if let Some(linux) = ctx.spec.linux() {
        if let Some(masked) = linux.masked_paths() {
            paths::mask_paths(root.as_fd(), masked)?;
        }
        if let Some(ro) = linux.readonly_paths() {
            paths::readonly_paths(root.as_fd(), ro)?;
        }
    }
    if ctx
        .spec
        .root()
        .as_ref()
        .is_some_and(|r| r.readonly() == Some(true))
    {
        paths::make_readonly(root.as_fd(), false, "/")?;
    }
    // Last: masked and read-only paths are bind mounts, which an unbindable
    // tree would refuse.
    if let Some(prop) = rootfs_propagation(ctx.spec)? {
        sm::mount(None, Path::new("/"), None, prop, None).map_err(|source| RootfsError::Mount {
            what: "rootfsPropagation".into(),
            dest: "/".into(),
            source,
        })?;
    }
    sm::chdir(Path::new("/")).map_err(host_err("chdir", Path::new("/")))
}

fn has_namespace(spec: &Spec, kind: LinuxNamespaceType) -> bool {
    spec.linux()
        .as_ref()
        .and_then(|l| l.namespaces().as_ref())
        .is_some_and(|ns| ns.iter().any(|n| n.typ() == kind))
}

/// Sets the hostname and domainname of the container's UTS namespace.
pub fn set_hostname(spec: &Spec) -> Result<(), RootfsError> {
    let hostname = spec.hostname().as_deref().filter(|h| !h.is_empty());
    let domainname = spec.domainname().as_deref().filter(|d| !d.is_empty());
    if hostname.is_none() && domainname.is_none() {
        return Ok(());
    }
    if !has_namespace(spec, LinuxNamespaceType::Uts) {
        return Err(RootfsError::InvalidConfig(
            "hostname/domainname need a UTS namespace (the host's would change)".into(),
        ));
    }
    if let Some(h) = hostname {
        sm::sethostname(h).map_err(|source| RootfsError::Io {
            op: "sethostname",
            path: h.to_string(),
            source,
        })?;
    }
    if let Some(d) = domainname {
        sm::setdomainname(d).map_err(|source| RootfsError::Io {
            op: "setdomainname",
            path: d.to_string(),
            source,
        })?;
    }
    Ok(())
}

/// Writes `linux.sysctl` to `/proc/sys`, refusing names outside the
/// container's namespaces. [`pivot_and_finish`] already calls it (before
/// /proc/sys becomes read-only); values already in place are not rewritten,
/// so calling it again afterwards succeeds.
pub fn apply_sysctls(spec: &Spec) -> Result<(), RootfsError> {
    let Some(map) = spec.linux().as_ref().and_then(|l| l.sysctl().as_ref()) else {
        return Ok(());
    };
    let mut entries: Vec<_> = map.iter().collect();
    entries.sort();
    for (name, value) in entries {
        sysctl::check_namespace(spec, name)?;
        sysctl::apply(name, value)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use oci_spec::runtime::{LinuxBuilder, LinuxNamespaceBuilder, SpecBuilder};

    #[test]
    fn hostname_without_uts_namespace_is_refused() {
        let linux = LinuxBuilder::default().namespaces(vec![]).build().unwrap();
        let spec = SpecBuilder::default()
            .hostname("box")
            .linux(linux)
            .build()
            .unwrap();
        let err = set_hostname(&spec).unwrap_err();
        assert!(matches!(err, RootfsError::InvalidConfig(_)), "{err}");
        // No hostname asked: nothing to do, whatever the namespaces.
        let spec = SpecBuilder::default().hostname("").build().unwrap();
        set_hostname(&spec).unwrap();
        let uts = LinuxNamespaceBuilder::default()
            .typ(LinuxNamespaceType::Uts)
            .build()
            .unwrap();
        let linux = LinuxBuilder::default()
            .namespaces(vec![uts])
            .build()
            .unwrap();
        let spec = SpecBuilder::default().linux(linux).build().unwrap();
        assert!(has_namespace(&spec, LinuxNamespaceType::Uts));
        assert!(!has_namespace(&spec, LinuxNamespaceType::Network));
    }

    #[test]
    fn rootfs_propagation_values() {
        let mk = |p: &str| {
            let linux = LinuxBuilder::default()
                .rootfs_propagation(p)
                .build()
                .unwrap();
            SpecBuilder::default().linux(linux).build().unwrap()
        };
        assert_eq!(
            rootfs_propagation(&mk("rslave")).unwrap(),
            Some(libc::MS_SLAVE | libc::MS_REC)
        );
        assert_eq!(
            rootfs_propagation(&mk("shared")).unwrap(),
            Some(libc::MS_SHARED)
        );
        assert_eq!(rootfs_propagation(&mk("")).unwrap(), None);
        assert!(rootfs_propagation(&mk("bogus")).is_err());
    }
}
