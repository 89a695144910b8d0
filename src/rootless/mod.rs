//! Rootless operation: a non-root user's skiff re-executes itself into a
//! user namespace (plus a mount namespace) where it is root, with the user's
//! subuid/subgid ranges mapped, so layers and containers get real ownership.
//!
//! Call [`ensure_userns`] first thing in `main`, before any thread exists.
//! The parent stays outside only to relay signals and mirror the exit status;
//! no pause process is kept, so each command pays one re-exec (see
//! `userns.rs` for the handshake).
use std::path::PathBuf;
use std::sync::OnceLock;

use nix::errno::Errno;

pub mod subid;
mod userns;

pub use subid::subid_ranges;

/// Environment variable carrying the re-exec state from parent to child, and
/// afterwards telling our descendants that they are inside our namespace.
pub const MARKER_ENV: &str = "_SKIFF_USERNS";
/// Set in the environment of the command `skiff unshare` runs.
pub const UNSHARE_ENV: &str = "SKIFF_UNSHARE";

#[derive(Debug, thiserror::Error)]
pub enum RootlessError {
    #[error("cannot read {path}: {source}")]
    ReadSubid {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("invalid {MARKER_ENV} value {0:?}")]
    BadMarker(String),
    #[error("invalid id map line {0:?}")]
    BadProcMap(String),
    #[error("cannot read {path}: {source}")]
    ReadMap {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write {path}: {source}")]
    WriteMap {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot create the user namespace handshake pipe: {0}")]
    Pipe(Errno),
    #[error("inherited user namespace handshake pipe is unusable: {0}")]
    BadPipe(Errno),
    #[error("cannot block or unblock signals for forwarding: {0}")]
    Signals(Errno),
    #[error("cannot re-execute skiff into a user namespace: {0}")]
    Spawn(std::io::Error),
    #[error("cannot wait for the skiff process in the user namespace: {0}")]
    Wait(Errno),
    #[error(
        "cannot create a user namespace: {0} (are unprivileged user namespaces disabled? see sysctl kernel.unprivileged_userns_clone / user.max_user_namespaces)"
    )]
    Unshare(Errno),
    #[error("cannot join the container's user namespace {path}: {source}")]
    Join {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the outer skiff process exited during user namespace setup")]
    ParentGone,
    #[error("cannot become root in the user namespace: {0}")]
    BecomeRoot(Errno),
    #[error("cannot make / private in the new mount namespace: {0}")]
    MakePrivate(Errno),
    #[error("no id mapping is in place after user namespace setup")]
    NotMapped,
    #[error("`skiff unshare` is only useful for rootless users; run the command directly as root")]
    NotRootless,
    #[error("cannot execute {cmd}: {source}")]
    Exec { cmd: String, source: std::io::Error },
}

impl RootlessError {
    /// Docker's exit codes: 127 command not found, 126 not executable, 125 ours.
    pub fn exit_code(&self) -> i32 {
        match self {
            RootlessError::Exec { source, .. } if source.kind() == std::io::ErrorKind::NotFound => {
                127
            }
            RootlessError::Exec { .. } => 126,
            _ => 125,
        }
    }
}

/// One line of a uid_map/gid_map: `size` ids from `container_id` inside map
/// to `host_id` outside.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IdMap {
    pub container_id: u32,
    pub host_id: u32,
    pub size: u32,
}

/// The namespace skiff runs in for a rootless user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsernsInfo {
    /// The invoking user's ids outside the namespace.
    pub host_uid: u32,
    pub host_gid: u32,
    pub uid_map: Vec<IdMap>,
    pub gid_map: Vec<IdMap>,
    /// Only the user's own uid or gid is mapped (no subordinate range).
    pub single: bool,
}

/// The environment marker, see [`MARKER_ENV`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Marker {
    /// Set by the parent for the re-executed child: who we are outside and
    /// the pipe ends (child reads `read_fd`, writes `write_fd`), and the
    /// signals the parent blocked for forwarding, to unblock (bit n = signal n).
    Setup {
        host_uid: u32,
        host_gid: u32,
        read_fd: i32,
        write_fd: i32,
        unblock: u64,
    },
    /// Set by the child once inside; inherited by its descendants.
    Inside { host_uid: u32, host_gid: u32 },
}

impl Marker {
    pub fn encode(&self) -> String {
        match self {
            Marker::Setup {
                host_uid,
                host_gid,
                read_fd,
                write_fd,
                unblock,
            } => {
                format!("setup:{host_uid}:{host_gid}:{read_fd}:{write_fd}:{unblock:x}")
            }
            Marker::Inside { host_uid, host_gid } => format!("in:{host_uid}:{host_gid}"),
        }
    }

    pub fn parse(s: &str) -> Result<Marker, RootlessError> {
        let bad = || RootlessError::BadMarker(s.to_string());
        let mut parts = s.split(':');
        let kind = parts.next().ok_or_else(bad)?;
        let mut fields: Vec<&str> = parts.collect();
        // The setup marker ends with a hex signal mask; the rest are decimal.
        let unblock = match kind {
            "setup" => Some(
                fields
                    .pop()
                    .and_then(|m| u64::from_str_radix(m, 16).ok())
                    .ok_or_else(bad)?,
            ),
            _ => None,
        };
        let nums: Vec<u32> = fields
            .iter()
            .map(|p| p.parse::<u32>())
            .collect::<Result<_, _>>()
            .map_err(|_| bad())?;
        let fd = |n: u32| i32::try_from(n).map_err(|_| bad());
        match (kind, nums.as_slice(), unblock) {
            ("setup", &[host_uid, host_gid, r, w], Some(unblock)) => Ok(Marker::Setup {
                host_uid,
                host_gid,
                read_fd: fd(r)?,
                write_fd: fd(w)?,
                unblock,
            }),
            ("in", &[host_uid, host_gid], None) => Ok(Marker::Inside { host_uid, host_gid }),
            _ => Err(bad()),
        }
    }

    fn from_env() -> Result<Option<Marker>, RootlessError> {
        match std::env::var(MARKER_ENV) {
            Ok(v) => Marker::parse(&v).map(Some),
            Err(_) => Ok(None),
        }
    }
}

static CURRENT: OnceLock<Option<UsernsInfo>> = OnceLock::new();
/// Set by [`join_userns_of`]; wins over `CURRENT`, which may already have
/// been settled ("not in a namespace") before the join.
static JOINED: OnceLock<UsernsInfo> = OnceLock::new();

/// Enters (or confirms) the rootless user namespace. Must run before any
/// thread is started.
///
/// - real root (euid 0, not in our namespace): `Ok(None)`, nothing done;
/// - unprivileged, outside: re-executes this binary inside and never returns
///   (the process exits with the inner command's status) unless the re-exec
///   itself fails;
/// - the re-executed child, or any process already inside: `Ok(Some(info))`.
pub fn ensure_userns() -> Result<Option<UsernsInfo>, RootlessError> {
    if let Some(Some(info)) = CURRENT.get() {
        return Ok(Some(info.clone()));
    }
    let euid = crate::sys::effective_uid();
    match Marker::from_env()? {
        Some(Marker::Setup {
            host_uid,
            host_gid,
            read_fd,
            write_fd,
            unblock,
        }) if euid != 0 => {
            // Inherited from the parent's forwarding set-up; pending signals
            // (an early ^C) are delivered here.
            crate::sys::userns::unblock_signals(unblock).map_err(RootlessError::Signals)?;
            let (to_parent, from_parent) = userns::adopt_pipes(read_fd, write_fd)?;
            let info = userns::child_enter(to_parent, from_parent, host_uid, host_gid)?;
            let _ = CURRENT.set(Some(info.clone()));
            return Ok(Some(info));
        }
        Some(Marker::Inside { host_uid, host_gid }) => {
            if let Some(info) = userns::read_info(host_uid, host_gid)? {
                let _ = CURRENT.set(Some(info.clone()));
                return Ok(Some(info));
            }
            // A stale marker in the initial namespace: ignore it.
        }
        _ => {}
    }
    if euid == 0 {
        return Ok(None);
    }
    match userns::reexec_and_wait(crate::sys::real_uid(), crate::sys::real_gid())? {}
}

/// The namespace this process runs in, if it is ours: set by
/// [`ensure_userns`], or found from the marker and `/proc/self/uid_map` in
/// a descendant (e.g. a command run by `skiff unshare`).
pub fn current() -> Option<&'static UsernsInfo> {
    if let Some(j) = JOINED.get() {
        return Some(j);
    }
    if let Some(v) = CURRENT.get() {
        return v.as_ref();
    }
    match Marker::from_env() {
        Ok(Some(Marker::Inside { host_uid, host_gid })) => CURRENT
            .get_or_init(|| userns::read_info(host_uid, host_gid).ok().flatten())
            .as_ref(),
        // Setup still to run (ensure_userns not called yet): do not cache.
        Ok(Some(Marker::Setup { .. })) => None,
        _ => CURRENT.get_or_init(|| None).as_ref(),
    }
}

/// The invoking user's uid outside the namespace. Inside it `getuid()` is 0,
/// so anything per-user (XDG paths, runtime dirs) must use this instead.
pub fn host_uid() -> u32 {
    current().map_or_else(crate::sys::real_uid, |i| i.host_uid)
}

/// The invoking user's primary gid outside the namespace.
pub fn host_gid() -> u32 {
    current().map_or_else(crate::sys::real_gid, |i| i.host_gid)
}

/// Whether skiff was invoked by a non-root user (true outside and inside).
pub fn is_rootless() -> bool {
    host_uid() != 0
}

/// `skiff unshare [CMD...]`: runs CMD (default `$SHELL`, else `/bin/sh`)
/// inside the namespace with `SKIFF_UNSHARE=1`. The command replaces this
/// process, so this returns only on error.
pub fn unshare_command(args: &[String]) -> Result<i32, RootlessError> {
    if ensure_userns()?.is_none() {
        return Err(RootlessError::NotRootless);
    }
    let (cmd, rest) = match args.split_first() {
        Some((c, rest)) => (c.clone(), rest),
        None => (
            std::env::var("SHELL")
                .ok()
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| "/bin/sh".into()),
            args,
        ),
    };
    let source = std::os::unix::process::CommandExt::exec(
        std::process::Command::new(&cmd)
            .args(rest)
            .env(UNSHARE_ENV, "1"),
    );
    Err(RootlessError::Exec { cmd, source })
}

/// Joins the user namespace of `pid` (a running container's monitor), so a
/// command on that container acts with the container's own view and rights:
/// reading its root through /proc, files owned by its subordinate ids.
/// Only for a rootless user outside any namespace of ours; must run before
/// any thread starts.
pub fn join_userns_of(pid: i32) -> Result<(), RootlessError> {
    let euid = crate::sys::effective_uid();
    if euid == 0 || current().is_some() {
        return Ok(());
    }
    let (uid, gid) = (crate::sys::real_uid(), crate::sys::real_gid());
    let path = format!("/proc/{pid}/ns/user");
    let f = std::fs::File::open(&path).map_err(|source| RootlessError::Join {
        path: path.clone().into(),
        source,
    })?;
    let marker = Marker::Inside {
        host_uid: uid,
        host_gid: gid,
    };
    crate::sys::userns::join_user_ns(std::os::fd::AsFd::as_fd(&f), MARKER_ENV, &marker.encode())
        .map_err(|e| RootlessError::Join {
            path: path.into(),
            source: e.into(),
        })?;
    if let Some(info) = userns::read_info(uid, gid)? {
        let _ = JOINED.set(info);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marker_round_trips() {
        for m in [
            Marker::Setup {
                host_uid: 1000,
                host_gid: 100,
                read_fd: 5,
                write_fd: 8,
                unblock: 0x2_4006,
            },
            Marker::Setup {
                host_uid: 0,
                host_gid: 0,
                read_fd: 3,
                write_fd: 4,
                unblock: 0,
            },
            Marker::Inside {
                host_uid: 4294967294,
                host_gid: 0,
            },
        ] {
            assert_eq!(Marker::parse(&m.encode()).unwrap(), m);
        }
        assert_eq!(
            Marker::parse("in:1000:1000").unwrap(),
            Marker::Inside {
                host_uid: 1000,
                host_gid: 1000
            }
        );
    }

    #[test]
    fn marker_rejects_garbage() {
        for bad in [
            "",
            "in",
            "in:1",
            "in:1:2:3",
            "setup:1:2:3",
            "setup:1:2:3:x",
            "setup:1:2:3:4",
            "setup:1:2:3:4:zz",
            "out:1:2",
            "in:1:2:0",
            "in:-1:2",
            "setup:1:2:3:4294967295:0",
            "in:1:2:",
        ] {
            assert!(Marker::parse(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn exit_codes_follow_docker() {
        let exec = |kind| RootlessError::Exec {
            cmd: "x".into(),
            source: std::io::Error::from(kind),
        };
        assert_eq!(exec(std::io::ErrorKind::NotFound).exit_code(), 127);
        assert_eq!(exec(std::io::ErrorKind::PermissionDenied).exit_code(), 126);
        assert_eq!(RootlessError::NotRootless.exit_code(), 125);
    }

    #[test]
    fn host_uid_outside_our_namespace_is_the_real_uid() {
        // The test harness never enters our namespace (no marker), so the
        // host uid is simply getuid().
        if std::env::var_os(MARKER_ENV).is_none() {
            assert_eq!(host_uid(), crate::sys::real_uid());
            assert_eq!(is_rootless(), crate::sys::real_uid() != 0);
        }
    }
}
