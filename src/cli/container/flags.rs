//! The flags of `create` and `run`, with Docker's and Podman's names, and
//! their conversion into [`SpecOptions`].
//!
//! `-h` is `--hostname` as in Docker, so a command that flattens
//! [`CreateFlags`] must set `#[command(disable_help_flag = true)]`; the
//! long `--help` is provided here.
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, anyhow, bail};
use clap::ArgAction;

use crate::cli::units::parse_size;
use crate::container::spec::parse;
use crate::container::spec::{NetworkMode, PullPolicy, RestartPolicy, SpecOptions};

#[derive(clap::Args, Debug, Clone, Default)]
pub struct CreateFlags {
    /// Assign a name to the container
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// Set metadata on the container
    #[arg(short = 'l', long = "label", value_name = "KEY=VALUE")]
    pub label: Vec<String>,
    /// Read labels from a file of KEY=VALUE lines
    #[arg(long, value_name = "FILE")]
    pub label_file: Vec<PathBuf>,
    /// Add an OCI annotation to the container
    #[arg(long, value_name = "KEY=VALUE")]
    pub annotation: Vec<String>,
    /// Remove the container when it exits
    #[arg(long)]
    pub rm: bool,
    /// Restart policy: no, on-failure[:MAX-RETRIES], always, unless-stopped
    #[arg(long, value_name = "POLICY")]
    pub restart: Option<RestartPolicy>,
    /// Pull the image before creating: always, missing, never, newer
    #[arg(long, value_name = "POLICY")]
    pub pull: Option<PullPolicy>,
    /// Keep STDIN open even if not attached
    #[arg(short, long)]
    pub interactive: bool,
    /// Allocate a pseudo-TTY
    #[arg(short, long)]
    pub tty: bool,
    /// Logging driver: k8s-file, json-file or none
    #[arg(long, value_name = "DRIVER", value_parser = ["k8s-file", "json-file", "none"])]
    pub log_driver: Option<String>,
    /// Logging driver options
    #[arg(long, value_name = "OPT")]
    pub log_opt: Vec<String>,
    /// Signal to stop the container
    #[arg(long, value_name = "SIGNAL")]
    pub stop_signal: Option<String>,
    /// Seconds to wait for the container to stop before killing it
    #[arg(long, value_name = "SECONDS")]
    pub stop_timeout: Option<u32>,

    /// Publish a container's port(s) to the host
    #[arg(
        short = 'p',
        long,
        value_name = "[IP:][HOST-PORT:]CONTAINER-PORT[/PROTO]"
    )]
    pub publish: Vec<String>,
    /// Publish all exposed ports to random host ports
    #[arg(short = 'P', long)]
    pub publish_all: bool,
    /// Network mode: default, none, host, container:NAME or ns:PATH
    #[arg(long, visible_alias = "net", value_name = "MODE")]
    pub network: Option<String>,
    /// Set custom DNS servers
    #[arg(long, value_name = "IP")]
    pub dns: Vec<String>,
    /// Set custom DNS search domains ("." for none)
    #[arg(long, value_name = "DOMAIN")]
    pub dns_search: Vec<String>,
    /// Set DNS resolver options
    #[arg(long, visible_alias = "dns-opt", value_name = "OPTION")]
    pub dns_option: Vec<String>,
    /// Add a custom host-to-IP mapping
    #[arg(long, value_name = "HOST:IP")]
    pub add_host: Vec<String>,
    /// Container MAC address
    #[arg(long, value_name = "MAC")]
    pub mac_address: Option<String>,
    /// Container IPv4 address
    #[arg(long, value_name = "IP")]
    pub ip: Option<String>,
    /// Container IPv6 address
    #[arg(long, value_name = "IP")]
    pub ip6: Option<String>,
    /// Run the container in a pod
    #[arg(long, value_name = "POD")]
    pub pod: Option<String>,
    /// Cgroup namespace: private or host
    #[arg(long, value_name = "MODE")]
    pub cgroupns: Option<String>,
    /// IPC namespace: private, host, container:NAME or ns:PATH
    #[arg(long, value_name = "MODE")]
    pub ipc: Option<String>,
    /// PID namespace: private, host, container:NAME or ns:PATH
    #[arg(long, value_name = "MODE")]
    pub pid: Option<String>,
    /// UTS namespace: private, host, container:NAME or ns:PATH
    #[arg(long, value_name = "MODE")]
    pub uts: Option<String>,
    /// User namespace: host or keep-id (rootless: run as your own uid)
    #[arg(long, value_name = "MODE")]
    pub userns: Option<String>,
    /// Platform of the image to use (os/arch[/variant])
    #[arg(long, value_name = "PLATFORM")]
    pub platform: Option<String>,

    /// Set environment variables (KEY alone takes the host's value)
    #[arg(short = 'e', long, value_name = "KEY[=VALUE]")]
    pub env: Vec<String>,
    /// Read environment variables from a file of KEY=VALUE lines
    #[arg(long, value_name = "FILE")]
    pub env_file: Vec<PathBuf>,
    /// Working directory inside the container
    #[arg(short = 'w', long, value_name = "DIR")]
    pub workdir: Option<String>,
    /// Username or UID, with an optional group (name|uid[:group|gid])
    #[arg(short = 'u', long, value_name = "USER")]
    pub user: Option<String>,
    /// Add additional groups to join
    #[arg(long, value_name = "GROUP")]
    pub group_add: Vec<String>,
    /// Container host name
    #[arg(short = 'h', long, value_name = "NAME")]
    pub hostname: Option<String>,
    /// Overwrite the image's ENTRYPOINT ("" clears it; a JSON array is split)
    #[arg(long, value_name = "COMMAND", allow_hyphen_values = true)]
    pub entrypoint: Option<String>,

    /// Give extended privileges to this container
    #[arg(long)]
    pub privileged: bool,
    /// Add Linux capabilities (or ALL)
    #[arg(long, value_name = "CAP")]
    pub cap_add: Vec<String>,
    /// Drop Linux capabilities (or ALL)
    #[arg(long, value_name = "CAP")]
    pub cap_drop: Vec<String>,
    /// Security options: seccomp=unconfined|PROFILE, no-new-privileges, label=disable, apparmor=PROFILE, mask=PATHS, unmask=PATHS
    #[arg(long, value_name = "OPT")]
    pub security_opt: Vec<String>,
    /// Mount the container's root filesystem read-only
    #[arg(long)]
    pub read_only: bool,
    /// Mount a tmpfs directory (DEST[:OPTIONS])
    #[arg(long, value_name = "DEST[:OPTIONS]")]
    pub tmpfs: Vec<String>,
    /// Bind mount a volume ([SOURCE:]DEST[:OPTIONS])
    #[arg(short = 'v', long, value_name = "[SOURCE:]DEST[:OPTIONS]")]
    pub volume: Vec<String>,
    /// Attach a filesystem mount (type=bind|volume|tmpfs,source=...,target=...)
    #[arg(long, value_name = "MOUNT")]
    pub mount: Vec<String>,
    /// Add a host device (HOST[:CONTAINER][:PERMISSIONS])
    #[arg(long, value_name = "DEVICE")]
    pub device: Vec<String>,
    /// Resource limit (NAME=SOFT[:HARD], -1 for unlimited)
    #[arg(long, value_name = "ULIMIT")]
    pub ulimit: Vec<String>,
    /// Set kernel parameters (KEY=VALUE)
    #[arg(long, value_name = "KEY=VALUE")]
    pub sysctl: Vec<String>,

    /// Memory limit (e.g. 512m, 1g)
    #[arg(short = 'm', long, value_name = "BYTES")]
    pub memory: Option<String>,
    /// Memory plus swap limit (-1 for unlimited swap)
    #[arg(long, value_name = "BYTES", allow_hyphen_values = true)]
    pub memory_swap: Option<String>,
    /// Memory soft limit
    #[arg(long, value_name = "BYTES")]
    pub memory_reservation: Option<String>,
    /// Number of CPUs (e.g. 1.5)
    #[arg(long, value_name = "NUMBER")]
    pub cpus: Option<f64>,
    /// CPU shares (relative weight)
    #[arg(short = 'c', long, value_name = "SHARES")]
    pub cpu_shares: Option<u64>,
    /// CPUs in which to allow execution (0-3, 0,1)
    #[arg(long, value_name = "CPUS")]
    pub cpuset_cpus: Option<String>,
    /// Memory nodes in which to allow execution (0-3, 0,1)
    #[arg(long, value_name = "NODES")]
    pub cpuset_mems: Option<String>,
    /// Tune the container's pids limit (-1 for unlimited)
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub pids_limit: Option<i64>,
    /// Tune the host's OOM preferences (-1000 to 1000)
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub oom_score_adj: Option<i32>,
    /// Size of /dev/shm (e.g. 64m)
    #[arg(long, value_name = "BYTES")]
    pub shm_size: Option<String>,
    /// Run an init inside the container that forwards signals and reaps processes
    #[arg(long)]
    pub init: bool,

    /// Print help
    #[arg(long, action = ArgAction::Help)]
    pub help: Option<bool>,

    /// The image, then the command and its arguments (replacing the image's CMD)
    // One positional, so that option parsing stops at the image (clap's
    // trailing_var_arg starts with a positional's first value): `run img -l`
    // and `run img --rm` pass those to the command, as Docker does.
    #[arg(
        value_name = "IMAGE [COMMAND [ARG...]]",
        required = true,
        num_args = 1..,
        trailing_var_arg = true
    )]
    pub args: Vec<String>,
}

fn host_env(key: &str) -> Option<String> {
    std::env::var(key).ok()
}

fn read_file(path: &Path, what: &str) -> anyhow::Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("reading {what} {}", path.display()))
}

fn size(flag: &str, v: &str) -> anyhow::Result<u64> {
    parse_size(v).map_err(|e| anyhow!("invalid {flag} {v:?}: {e}"))
}

/// `--entrypoint`: "" clears it, a JSON array of strings is taken as is
/// (Podman), anything else is one program (Docker).
fn entrypoint(s: &str) -> Vec<String> {
    if s.is_empty() {
        return Vec::new();
    }
    if s.trim_start().starts_with('[')
        && let Ok(v) = serde_json::from_str::<Vec<String>>(s)
    {
        return v;
    }
    vec![s.to_string()]
}

/// KEY=VALUE pairs; a bare KEY has an empty value.
fn key_values(items: &[String]) -> BTreeMap<String, String> {
    items
        .iter()
        .map(|l| match l.split_once('=') {
            Some((k, v)) => (k.to_string(), v.to_string()),
            None => (l.to_string(), String::new()),
        })
        .collect()
}

/// A host name as RFC 1123 allows (Docker checks the same).
fn valid_hostname(h: &str) -> bool {
    !h.is_empty()
        && h.len() <= 253
        && h.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

impl CreateFlags {
    /// The image reference as given.
    pub fn image(&self) -> &str {
        self.args.first().map_or("", String::as_str)
    }

    /// The command after the image (empty: the image's).
    pub fn command(&self) -> &[String] {
        self.args.get(1..).unwrap_or_default()
    }

    /// Parses and checks every option that shapes the container's spec.
    pub fn spec_options(&self) -> anyhow::Result<SpecOptions> {
        let cwd = std::env::current_dir().context("reading the current directory")?;
        let mut o = SpecOptions {
            command: self.command().to_vec(),
            entrypoint: self.entrypoint.as_deref().map(entrypoint),
            user: self.user.clone(),
            privileged: self.privileged,
            read_only: self.read_only,
            init: self.init,
            tty: self.tty,
            interactive: self.interactive,
            stop_timeout: self.stop_timeout,
            publish: self.publish.clone(),
            publish_all: self.publish_all,
            mac_address: self.mac_address.clone(),
            ip: self.ip.clone(),
            cpus: self.cpus,
            cpu_shares: self.cpu_shares,
            cpuset_cpus: self.cpuset_cpus.clone(),
            cpuset_mems: self.cpuset_mems.clone(),
            pids_limit: self.pids_limit,
            group_add: self.group_add.clone(),
            dns_search: self.dns_search.clone(),
            dns_option: self.dns_option.clone(),
            annotations: key_values(&self.annotation),
            ..Default::default()
        };

        for f in &self.env_file {
            o.env
                .extend(parse::env_file(&read_file(f, "env file")?, &host_env)?);
        }
        for e in &self.env {
            o.env.extend(parse::env_entry(e, &host_env)?);
        }

        if let Some(w) = &self.workdir {
            if !w.starts_with('/') {
                bail!("invalid --workdir {w:?}: the working directory must be an absolute path");
            }
            o.workdir = Some(w.clone());
        }
        if let Some(h) = &self.hostname {
            if !valid_hostname(h) {
                bail!("invalid --hostname {h:?}: use letters, digits, '-' and '.' (RFC 1123)");
            }
            o.hostname = Some(h.clone());
        }

        o.cap_add = self
            .cap_add
            .iter()
            .map(|c| parse::capability_name(c))
            .collect::<Result<_, _>>()?;
        o.cap_drop = self
            .cap_drop
            .iter()
            .map(|c| parse::capability_name(c))
            .collect::<Result<_, _>>()?;
        for s in &self.security_opt {
            parse::apply_security_opt(&mut o, s, &|p: &Path| std::fs::read_to_string(p))?;
        }

        for v in &self.volume {
            o.mounts.push(parse::parse_volume(v, &cwd)?);
        }
        for m in &self.mount {
            o.mounts.push(parse::parse_mount(m, &cwd)?);
        }
        for t in &self.tmpfs {
            o.mounts.push(parse::parse_tmpfs(t)?);
        }
        for d in &self.device {
            o.devices.push(parse::parse_device(d)?);
        }
        for u in &self.ulimit {
            let u = parse::parse_ulimit(u)?;
            o.ulimits.retain(|x| x.name != u.name);
            o.ulimits.push(u);
        }
        for s in &self.sysctl {
            let (k, v) = parse::parse_sysctl(s)?;
            o.sysctls.insert(k, v);
        }

        o.memory = self
            .memory
            .as_deref()
            .map(|v| size("--memory", v))
            .transpose()?;
        o.memory_swap = match self.memory_swap.as_deref() {
            None => None,
            Some("-1") => Some(-1),
            Some(v) => Some(i64::try_from(size("--memory-swap", v)?)?),
        };
        o.memory_reservation = self
            .memory_reservation
            .as_deref()
            .map(|v| size("--memory-reservation", v))
            .transpose()?;
        o.shm_size = match self.shm_size.as_deref().map(|v| size("--shm-size", v)) {
            Some(Ok(0)) => bail!("invalid --shm-size: must be greater than 0"),
            s => s.transpose()?,
        };
        if let Some(adj) = self.oom_score_adj {
            if !(-1000..=1000).contains(&adj) {
                bail!("invalid --oom-score-adj {adj}: must be between -1000 and 1000");
            }
            o.oom_score_adj = Some(adj);
        }

        if let Some(s) = &self.stop_signal {
            crate::runtime::spec_default::signal_from_str(s).map_err(|_| {
                anyhow!("invalid --stop-signal {s:?}: use a name like SIGTERM or a number")
            })?;
            o.stop_signal = Some(s.clone());
        }

        o.network = match &self.network {
            Some(n) => parse::parse_network(n)?,
            None => NetworkMode::Default,
        };
        let ns = |flag: &'static str, v: &Option<String>| {
            v.as_deref()
                .map(|s| parse::parse_namespace(flag, s))
                .transpose()
                .map(Option::unwrap_or_default)
        };
        o.ipc = ns("--ipc", &self.ipc)?;
        o.pid = ns("--pid", &self.pid)?;
        o.uts = ns("--uts", &self.uts)?;
        o.cgroupns = ns("--cgroupns", &self.cgroupns)?;
        o.userns = match &self.userns {
            Some(u) => parse::parse_userns(u)?,
            None => None,
        };
        for d in &self.dns {
            if d.parse::<std::net::IpAddr>().is_err() {
                bail!("invalid --dns {d:?}: expected an IP address");
            }
        }
        o.dns = self.dns.clone();
        o.add_host = self
            .add_host
            .iter()
            .map(|h| parse::parse_add_host(h))
            .collect::<Result<_, _>>()?;

        if o.network == NetworkMode::Host && !self.publish.is_empty() {
            bail!("--publish has no effect with --network host: drop one of them");
        }
        parse::validate(&o)?;
        Ok(o)
    }

    /// `--label-file` entries, then `--label` (later wins).
    pub fn labels(&self) -> anyhow::Result<BTreeMap<String, String>> {
        let mut lines = Vec::new();
        for f in &self.label_file {
            lines.extend(parse::env_file(&read_file(f, "label file")?, &|_| {
                Some(String::new())
            })?);
        }
        lines.extend(self.label.iter().cloned());
        Ok(key_values(&lines))
    }

    /// `--restart`; it cannot be combined with `--rm`.
    pub fn restart_policy(&self) -> anyhow::Result<RestartPolicy> {
        let p = self.restart.clone().unwrap_or_default();
        if self.rm && p != RestartPolicy::No {
            bail!("conflicting options: --restart {p} and --rm: drop one of them");
        }
        Ok(p)
    }

    /// `--pull`, default `missing`.
    pub fn pull_policy(&self) -> PullPolicy {
        self.pull.unwrap_or_default()
    }
}

#[cfg(test)]
mod tests;
