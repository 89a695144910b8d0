//! OCI spec generation: an image's config plus `create`/`run` options become
//! the runtime spec, following Docker's and Podman's defaults.
//!
//! [`SpecOptions`] are the parsed, validated flags; they live in the
//! container record and the spec is rebuilt from them at every start (the
//! rootfs, volumes and host files can change between starts). Mount sources
//! are resolved once, at create, by [`resolve_mounts`].
mod build;
mod devices;
mod etc_files;
mod mounts;
pub mod parse;
mod security;
mod user;

#[cfg(test)]
mod parse_tests;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use serde::{Deserialize, Serialize};

pub use build::{build_spec, hostname_for};
pub use etc_files::write_etc_files;
pub use mounts::resolve_mounts;
pub use security::seccomp_from_json;

/// `PATH` when the image sets none (Docker's default).
pub const DEFAULT_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
/// Where the `--init` binary appears inside the container.
pub const INIT_PATH: &str = "/run/skiff-init";

#[derive(Debug, thiserror::Error)]
pub enum SpecError {
    #[error("no command specified: give a command after the image name or set --entrypoint")]
    NoCommand,
    #[error("invalid {flag} {value:?}: {reason}")]
    InvalidValue {
        flag: &'static str,
        value: String,
        reason: String,
    },
    #[error("bind source path does not exist: {}: create it or correct the path", .0.display())]
    BindSourceMissing(PathBuf),
    #[error("duplicate mount point {0}: give each destination once")]
    DuplicateMount(String),
    #[error("volume {name}: {message}")]
    Volume { name: String, message: String },
    #[error("unable to find user {0}: no matching entries in passwd file")]
    UnknownUser(String),
    #[error("unable to find group {0}: no matching entries in group file")]
    UnknownGroup(String),
    #[error(
        "unknown capability {0:?}: use a name from capabilities(7), e.g. NET_ADMIN or CAP_NET_ADMIN"
    )]
    UnknownCapability(String),
    #[error("invalid seccomp profile: {0}")]
    Seccomp(String),
    #[error("{what}: {source}")]
    Io {
        what: String,
        source: std::io::Error,
    },
    #[error("--userns=keep-id needs rootless mode: run skiff as a non-root user")]
    KeepIdNeedsRootless,
    #[error("--init was given but skiff's init binary was not found")]
    InitBinaryMissing,
    #[error("{0} must be resolved to a namespace path before the spec is built")]
    Unresolved(String),
    #[error("building the OCI spec: {0}")]
    Internal(String),
}

impl SpecError {
    pub(crate) fn invalid(flag: &'static str, value: &str, reason: impl Into<String>) -> Self {
        SpecError::InvalidValue {
            flag,
            value: value.to_string(),
            reason: reason.into(),
        }
    }

    pub(crate) fn io(what: impl Into<String>) -> impl FnOnce(std::io::Error) -> SpecError {
        let what = what.into();
        move |source| SpecError::Io { what, source }
    }
}

/// What the image's config contributes (`config` in the image config blob).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ImageDefaults {
    pub entrypoint: Option<Vec<String>>,
    pub cmd: Option<Vec<String>>,
    pub env: Vec<String>,
    pub working_dir: Option<String>,
    pub user: Option<String>,
    pub volumes: Vec<String>,
    pub stop_signal: Option<String>,
    pub exposed_ports: Vec<String>,
    pub labels: BTreeMap<String, String>,
}

impl ImageDefaults {
    /// Reads the image config blob (`{"config": {"Entrypoint": ...}}`).
    /// Absent, null or mistyped fields count as unset; empty strings too.
    pub fn from_config_json(v: &serde_json::Value) -> ImageDefaults {
        let c = &v["config"];
        let strings = |key: &str| -> Option<Vec<String>> {
            c[key].as_array().map(|a| {
                a.iter()
                    .filter_map(|s| s.as_str().map(str::to_string))
                    .collect()
            })
        };
        let string = |key: &str| {
            c[key]
                .as_str()
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        let keys = |key: &str| -> Vec<String> {
            c[key]
                .as_object()
                .map(|o| o.keys().cloned().collect())
                .unwrap_or_default()
        };
        ImageDefaults {
            entrypoint: strings("Entrypoint"),
            cmd: strings("Cmd"),
            env: strings("Env").unwrap_or_default(),
            working_dir: string("WorkingDir"),
            user: string("User"),
            volumes: keys("Volumes"),
            stop_signal: string("StopSignal"),
            exposed_ports: keys("ExposedPorts"),
            labels: c["Labels"]
                .as_object()
                .map(|o| {
                    o.iter()
                        .filter_map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_string())))
                        .collect()
                })
                .unwrap_or_default(),
        }
    }
}

/// `--security-opt seccomp=...`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub enum SeccompMode {
    /// The built-in default profile, adjusted to the capabilities.
    #[default]
    Default,
    Unconfined,
    /// A profile's JSON text (OCI `LinuxSeccomp` or Docker's format), read
    /// at create so later starts do not depend on the file.
    Profile(String),
}

/// `--network`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub enum NetworkMode {
    /// A new network namespace that the network module connects.
    #[default]
    Default,
    /// A new network namespace with only loopback.
    None,
    Host,
    /// `slirp4netns[:OPTIONS]`: a new namespace connected by slirp4netns.
    Slirp(String),
    /// `pasta[:OPTIONS]`: a new namespace connected by pasta (passt).
    Pasta(String),
    /// `container:NAME`; the caller turns it into [`NetworkMode::Ns`].
    Container(String),
    /// `ns:PATH`, or a resolved `container:NAME` (`/proc/<pid>/ns/net`).
    Ns(PathBuf),
}

/// `--ipc`, `--pid`, `--uts`, `--cgroupns`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub enum NamespaceMode {
    #[default]
    Private,
    /// Share the engine's namespace (the host's: rootless skiff only enters
    /// a user and a mount namespace).
    Host,
    /// `container:NAME`; the caller turns it into [`NamespaceMode::Path`].
    Container(String),
    /// `ns:PATH`, or a resolved `container:NAME`.
    Path(PathBuf),
}

/// `--userns`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum UsernsMode {
    /// The engine's user namespace (the default).
    Host,
    /// Map the invoking user's uid/gid to themselves in the container.
    KeepId,
}

/// What a [`MountSpec`] mounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MountKind {
    Bind,
    Volume,
    Tmpfs,
}

/// One `-v`, `--mount` or `--tmpfs` as given.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MountSpec {
    pub kind: MountKind,
    /// Bind: absolute host path. Volume: the name; `None` = anonymous.
    pub source: Option<String>,
    /// Absolute path in the container.
    pub destination: String,
    /// Mount options passed through: `ro`/`rw`, propagation, `nosuid`...;
    /// for tmpfs the full option list (`size=`, `mode=`...).
    pub options: Vec<String>,
    /// `-v` creates a missing bind source, as Docker does; `--mount` does not.
    pub create_source: bool,
    /// `nocopy`: do not copy the image's content into a new volume.
    #[serde(default)]
    pub nocopy: bool,
}

/// `--device HOST[:CONTAINER][:PERMS]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeviceSpec {
    pub host: PathBuf,
    pub container: String,
    /// Subset of "rwm".
    pub perms: String,
}

/// `--ulimit NAME=SOFT[:HARD]`; `u64::MAX` is unlimited.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ulimit {
    /// OCI name, e.g. `RLIMIT_NOFILE`.
    pub name: String,
    pub soft: u64,
    pub hard: u64,
}

/// Parsed and validated `create`/`run` options. Stored in the container
/// record; the spec is regenerated from them at every start.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SpecOptions {
    /// Arguments after the image name; they replace the image's Cmd.
    pub command: Vec<String>,
    /// `--entrypoint`: replaces the image's Entrypoint and clears its Cmd;
    /// `Some(vec![])` for `--entrypoint ""`.
    pub entrypoint: Option<Vec<String>>,
    /// KEY=VALUE, env files first, then `-e` (later wins).
    pub env: Vec<String>,
    pub workdir: Option<String>,
    pub user: Option<String>,
    pub hostname: Option<String>,
    pub privileged: bool,
    /// Capability names as given (validated; `ALL` allowed).
    pub cap_add: Vec<String>,
    pub cap_drop: Vec<String>,
    pub seccomp: SeccompMode,
    /// `--security-opt apparmor=PROFILE`; `None` = unconfined.
    pub apparmor: Option<String>,
    pub no_new_privileges: bool,
    /// `--security-opt label=disable` (accepted; skiff sets no SELinux labels).
    pub label_disable: bool,
    /// `--security-opt mask=PATHS`: extra masked paths.
    pub mask: Vec<String>,
    /// `--security-opt unmask=PATHS|ALL`: default masked paths to drop.
    pub unmask: Vec<String>,
    pub read_only: bool,
    /// `-v`, `--mount` and `--tmpfs`, in the order given.
    pub mounts: Vec<MountSpec>,
    pub devices: Vec<DeviceSpec>,
    pub ulimits: Vec<Ulimit>,
    /// Bytes.
    pub memory: Option<u64>,
    /// Memory plus swap in bytes; -1 = unlimited swap.
    pub memory_swap: Option<i64>,
    pub memory_reservation: Option<u64>,
    pub cpus: Option<f64>,
    pub cpu_shares: Option<u64>,
    pub cpuset_cpus: Option<String>,
    pub cpuset_mems: Option<String>,
    /// Maximum number of processes; `Some(-1)` = unlimited.
    pub pids_limit: Option<i64>,
    pub oom_score_adj: Option<i32>,
    pub init: bool,
    pub userns: Option<UsernsMode>,
    pub tty: bool,
    /// `-i`: keep stdin open.
    pub interactive: bool,
    pub stop_signal: Option<String>,
    pub stop_timeout: Option<u32>,
    pub network: NetworkMode,
    pub ipc: NamespaceMode,
    pub pid: NamespaceMode,
    pub uts: NamespaceMode,
    pub cgroupns: NamespaceMode,
    pub dns: Vec<String>,
    pub dns_search: Vec<String>,
    pub dns_option: Vec<String>,
    /// `--add-host NAME:IP` as (name, ip); ip may be `host-gateway`.
    pub add_host: Vec<(String, String)>,
    /// `-p` as given; the network module parses them.
    pub publish: Vec<String>,
    pub publish_all: bool,
    pub mac_address: Option<String>,
    pub ip: Option<String>,
    /// /dev/shm size in bytes (default 64 MiB).
    pub shm_size: Option<u64>,
    pub sysctls: BTreeMap<String, String>,
    /// Group names or ids.
    pub group_add: Vec<String>,
    pub annotations: BTreeMap<String, String>,
}

impl SpecOptions {
    /// Whether any cgroup resource limit was asked for (rootless containers
    /// get none, so the caller can say so).
    pub fn has_resource_limits(&self) -> bool {
        self.memory.is_some()
            || self.memory_swap.is_some()
            || self.memory_reservation.is_some()
            || self.cpus.is_some()
            || self.cpu_shares.is_some()
            || self.cpuset_cpus.is_some()
            || self.cpuset_mems.is_some()
            || self.pids_limit.is_some()
    }
}

/// Where volumes come from; the caller implements it over its volume store.
pub trait VolumeSource {
    /// Host directory of the named volume, created if missing.
    fn named(&mut self, name: &str) -> Result<PathBuf, String>;
    /// A new anonymous volume: (name, host directory).
    fn anonymous(&mut self) -> Result<(String, PathBuf), String>;
}

/// A mount with its host source decided (at create).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResolvedMount {
    pub destination: String,
    /// Host path (bind, volume) or `tmpfs`.
    pub source: String,
    pub kind: MountKind,
    /// OCI mount options (`rbind`, `ro`, propagation, tmpfs data...).
    pub options: Vec<String>,
    pub volume_name: Option<String>,
    pub anonymous: bool,
}

/// What [`build_spec`] needs to know about this start.
pub struct SpecEnv<'a> {
    /// Container id (64 hex); the default hostname is its first 12.
    pub id: &'a str,
    /// The mounted rootfs; etc/passwd and etc/group are read through it
    /// without following symlinks out of it.
    pub rootfs: &'a Path,
    pub rootless: bool,
    pub host_uid: u32,
    pub host_gid: u32,
    /// (container path, host file) binds: hosts, hostname, resolv.conf.
    pub etc_files: &'a [(String, PathBuf)],
    /// Host path of the `--init` binary, bound read-only at [`INIT_PATH`].
    pub init_binary: Option<&'a Path>,
    pub cgroups_path: Option<String>,
}

/// `--restart`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
pub enum RestartPolicy {
    #[default]
    No,
    /// Restart after a non-zero exit, at most N times when given.
    OnFailure(Option<u32>),
    Always,
    UnlessStopped,
}

impl FromStr for RestartPolicy {
    type Err = SpecError;
    fn from_str(s: &str) -> Result<Self, SpecError> {
        let bad = |r: &str| SpecError::invalid("--restart", s, r);
        let (name, count) = match s.split_once(':') {
            Some((n, c)) => (n, Some(c)),
            None => (s, None),
        };
        let policy = match name {
            "" | "no" => RestartPolicy::No,
            "always" => RestartPolicy::Always,
            "unless-stopped" => RestartPolicy::UnlessStopped,
            "on-failure" => {
                let n = count
                    .map(|c| {
                        c.parse::<u32>()
                            .map_err(|_| bad("the retry count must be a non-negative integer"))
                    })
                    .transpose()?;
                return Ok(RestartPolicy::OnFailure(n));
            }
            _ => {
                return Err(bad(
                    "use no, on-failure[:MAX-RETRIES], always or unless-stopped",
                ));
            }
        };
        if count.is_some() {
            return Err(bad("only on-failure takes a retry count"));
        }
        Ok(policy)
    }
}

impl fmt::Display for RestartPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RestartPolicy::No => f.write_str("no"),
            RestartPolicy::OnFailure(None) => f.write_str("on-failure"),
            RestartPolicy::OnFailure(Some(n)) => write!(f, "on-failure:{n}"),
            RestartPolicy::Always => f.write_str("always"),
            RestartPolicy::UnlessStopped => f.write_str("unless-stopped"),
        }
    }
}

/// `--pull`.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum PullPolicy {
    Always,
    #[default]
    Missing,
    Never,
    Newer,
}

impl FromStr for PullPolicy {
    type Err = SpecError;
    fn from_str(s: &str) -> Result<Self, SpecError> {
        match s.to_ascii_lowercase().as_str() {
            "always" => Ok(PullPolicy::Always),
            "missing" | "ifmissing" | "ifnotpresent" => Ok(PullPolicy::Missing),
            "never" => Ok(PullPolicy::Never),
            "newer" | "ifnewer" => Ok(PullPolicy::Newer),
            _ => Err(SpecError::invalid(
                "--pull",
                s,
                "use always, missing, never or newer",
            )),
        }
    }
}

impl fmt::Display for PullPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PullPolicy::Always => "always",
            PullPolicy::Missing => "missing",
            PullPolicy::Never => "never",
            PullPolicy::Newer => "newer",
        })
    }
}
