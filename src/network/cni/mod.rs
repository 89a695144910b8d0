//! Root containers' default network: a bridge (`skiff0`, 10.89.0.0/24) set
//! up by the CNI plugins (bridge + host-local, portmap, firewall).
//!
//! What a DEL needs (the list as run, the container ID, the ADD result) is
//! written to `network.json` in the container's dir before the first ADD
//! and removed after the last DEL, under `network.lock`: the monitor holds
//! that lock while the network exists, so `rm` after a killed monitor (or
//! a start after a reboot) finds the record and releases the address and
//! the iptables rules, and an `rm` racing a monitor's teardown waits for
//! it. The record lives in the container's dir rather than its run dir:
//! the run dir is removed before the monitor tears the network down, and
//! host-local's leases outlive a reboot while /run does not.
//!
//! The monitor keeps the container's network namespace open until DEL, so
//! the bridge plugin can still find the addresses whose masquerading rules
//! it must remove after the container's process has ended; when the
//! namespace is gone anyway (killed monitor, dead container), DEL runs with
//! an empty `CNI_NETNS` and the rules are found by the container ID.
pub mod config;
pub mod exec;
pub mod iptables;

use std::fs::File;
use std::io::Write;
use std::net::IpAddr;
use std::os::fd::AsRawFd;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::ports::{self, PortMapping};
use crate::storage::atomic::{self, FileLock};
pub use exec::{Address, CniResult, Invocation, NetworkList};

#[derive(Debug, thiserror::Error)]
pub enum CniError {
    #[error("CNI plugin {plugin}: {msg}")]
    Plugin { plugin: String, msg: String },
    #[error(
        "CNI plugin {plugin} not found in {dirs}: install containernetworking-plugins, or run with --network none or host"
    )]
    NotFound { plugin: String, dirs: String },
    #[error("CNI network config {path}: {msg}")]
    Config { path: String, msg: String },
    #[error("host port {0} is already in use: publish on another host port")]
    PortInUse(String),
    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },
}

fn io_err(context: impl Into<String>) -> impl FnOnce(std::io::Error) -> CniError {
    let context = context.into();
    move |source| CniError::Io { context, source }
}

const STATE: &str = "network.json";
const LOCK: &str = "network.lock";
pub const IFNAME: &str = "eth0";

/// The teardown record (`network.json`).
#[derive(Clone, Debug, Serialize, Deserialize)]
struct Saved {
    container_id: String,
    ifname: String,
    args: String,
    /// The list exactly as ADD ran it: DEL must see the same config.
    list: Value,
    runtime_config: Map<String, Value>,
    plugin_dirs: Vec<PathBuf>,
    /// The container's init and its start time, to find its namespace
    /// again (and not another process's that got the pid).
    pid: i32,
    start_time: Option<u64>,
    /// The ADD result; `None` until ADD finished.
    result: Option<Value>,
}

impl Saved {
    fn invocation(&self, netns: String) -> Invocation {
        Invocation {
            container_id: self.container_id.clone(),
            netns,
            ifname: self.ifname.clone(),
            args: self.args.clone(),
            runtime_config: self.runtime_config.clone(),
            plugin_dirs: self.plugin_dirs.clone(),
        }
    }

    fn list(&self) -> Result<NetworkList, CniError> {
        NetworkList::from_value(&self.list).map_err(|msg| CniError::Config {
            path: STATE.into(),
            msg,
        })
    }

    /// DEL with `netns` ("" when it is gone); when the plugins could not
    /// clean everything, the iptables rules naming the container go too.
    fn release(&self, netns: String) -> Result<(), CniError> {
        let gone = netns.is_empty();
        let r = self
            .list()
            .and_then(|l| l.del(&self.invocation(netns), self.result.as_ref()));
        if gone || r.is_err() {
            iptables::sweep(&self.container_id);
        }
        r
    }

    /// The init's namespace path if that process still runs.
    fn live_netns(&self) -> String {
        let same = self.pid > 0
            && crate::sys::process::start_time(self.pid)
                .ok()
                .flatten()
                .is_some_and(|t| Some(t) == self.start_time);
        if same {
            format!("/proc/{}/ns/net", self.pid)
        } else {
            String::new()
        }
    }
}

fn read_saved(path: &Path) -> Option<Saved> {
    serde_json::from_slice(&std::fs::read(path).ok()?).ok()
}

/// The container's connection to the bridge, released on drop (or by
/// [`Attachment::teardown`]).
pub struct Attachment {
    saved: Saved,
    dir: PathBuf,
    /// Keeps the namespace alive until DEL has run.
    netns: Option<File>,
    _lock: FileLock,
    /// Bound so nothing else takes them (the traffic itself is redirected
    /// by portmap's DNAT rules before it reaches the sockets).
    _ports: Vec<ports::HostSocket>,
    done: bool,
}

fn hold_ports(maps: &[PortMapping]) -> Result<Vec<ports::HostSocket>, CniError> {
    maps.iter()
        .map(|m| {
            ports::bind_host_io(m).map_err(|e| match e.kind() {
                std::io::ErrorKind::AddrInUse => CniError::PortInUse(m.display()),
                _ => io_err(format!("publishing {}", m.display()))(e),
            })
        })
        .collect()
}

/// Docker's `--publish` as portmap's `portMappings`.
fn port_mappings(ports: &[PortMapping]) -> Value {
    Value::Array(
        ports
            .iter()
            .map(|m| {
                json!({
                    "hostPort": m.host_port,
                    "containerPort": m.container_port,
                    "protocol": m.protocol.as_str(),
                    "hostIP": m.host_ip,
                })
            })
            .collect(),
    )
}

/// `CNI_ARGS` for `--ip` / `--mac-address` (host-local reads IP, bridge
/// MAC); IgnoreUnknown so plugins that know neither accept them.
fn cni_args(ip: Option<&str>, mac: Option<&str>) -> String {
    let mut a = vec!["IgnoreUnknown=1".to_string()];
    if let Some(ip) = ip {
        a.push(format!("IP={ip}"));
    }
    if let Some(mac) = mac {
        a.push(format!("MAC={mac}"));
    }
    a.join(";")
}

/// Connects the container to the default network and returns once its
/// `eth0` is configured, the ports are published and /etc/hosts has its
/// address.
pub fn attach(req: &super::Target) -> Result<Attachment, CniError> {
    let dir = req.container_dir.to_path_buf();
    let lock = FileLock::exclusive(&dir.join(LOCK)).map_err(io_err("locking the network"))?;
    // A record left by a killed monitor (or from before a reboot): release
    // it first, or its address and rules would leak.
    let state = dir.join(STATE);
    if let Some(old) = read_saved(&state) {
        let _ = old.release(old.live_netns());
        let _ = std::fs::remove_file(&state);
    }
    let plugin_dirs = exec::default_plugin_dirs();
    let list = config::for_container(
        &config::load_or_create(&req.paths.config, &plugin_dirs)?,
        &req.paths.data,
        !req.ports.is_empty(),
    );
    let held = hold_ports(req.ports)?;
    let netns_path = format!("/proc/{}/ns/net", req.pid);
    let netns =
        File::open(&netns_path).map_err(io_err("opening the container's network namespace"))?;
    let mut runtime_config = Map::new();
    if !req.ports.is_empty() {
        runtime_config.insert("portMappings".into(), port_mappings(req.ports));
    }
    let mut saved = Saved {
        container_id: req.id.to_string(),
        ifname: IFNAME.into(),
        args: cni_args(req.ip, req.mac),
        list: list.to_value(),
        runtime_config,
        plugin_dirs,
        pid: req.pid,
        start_time: crate::sys::process::start_time(req.pid).ok().flatten(),
        result: None,
    };
    atomic::replace_json(&state, &saved).map_err(io_err(format!("writing {}", state.display())))?;
    let result = match list.add(&saved.invocation(netns_path)) {
        Ok(r) => r,
        Err(e) => {
            // ADD already undid what it could.
            let _ = std::fs::remove_file(&state);
            return Err(e);
        }
    };
    saved.result = Some(result);
    let a = Attachment {
        saved,
        dir,
        netns: Some(netns),
        _lock: lock,
        _ports: held,
        done: false,
    };
    // From here on, a failure is undone by the attachment's drop.
    atomic::write_json(&state, &a.saved).map_err(io_err(format!("writing {}", state.display())))?;
    if let Some(addr) = a.addresses().into_iter().next() {
        let hosts = a.dir.join("userdata").join("hosts");
        add_to_hosts(&hosts, &addr)
            .map_err(io_err(format!("adding the address to {}", hosts.display())))?;
    }
    Ok(a)
}

impl Attachment {
    /// The container's addresses, IPv4 first.
    pub fn addresses(&self) -> Vec<Address> {
        self.saved
            .result
            .as_ref()
            .and_then(|r| CniResult::parse(r).ok())
            .map(|r| r.addresses(&self.saved.ifname))
            .unwrap_or_default()
    }

    /// DEL through the plugins, then forgets the record. Once only.
    pub fn teardown(&mut self) -> Result<(), CniError> {
        if self.done {
            return Ok(());
        }
        self.done = true;
        // The namespace as this process holds it: valid even though the
        // container's process is gone.
        let netns = self
            .netns
            .as_ref()
            .map(|f| format!("/proc/{}/fd/{}", std::process::id(), f.as_raw_fd()))
            .unwrap_or_default();
        let r = self.saved.release(netns);
        self.netns = None;
        let _ = std::fs::remove_file(self.dir.join(STATE));
        r
    }
}

impl Drop for Attachment {
    fn drop(&mut self) {
        if let Err(e) = self.teardown() {
            eprintln!(
                "skiff: releasing the network of container {}: {e}",
                self.saved.container_id
            );
        }
    }
}

/// Releases what a killed monitor left: the address, the veth (when the
/// namespace still exists) and the iptables rules. Waits a while for a
/// monitor that is tearing the network down itself; one that keeps the lock
/// longer is alive and still owns the network, which is then left to it.
pub fn cleanup_leftovers(container_dir: &Path) -> Result<(), CniError> {
    let state = container_dir.join(STATE);
    if !state.exists() {
        return Ok(());
    }
    let lock_path = container_dir.join(LOCK);
    let wait = std::time::Duration::from_secs(10);
    let Some(_lock) =
        FileLock::exclusive_within(&lock_path, wait).map_err(io_err("locking the network"))?
    else {
        return Err(CniError::Io {
            context: format!(
                "network lock {} still held by a live monitor after 10 s (its network is left to it)",
                lock_path.display()
            ),
            source: std::io::Error::from(std::io::ErrorKind::WouldBlock),
        });
    };
    let Some(saved) = read_saved(&state) else {
        // Released meanwhile, or unreadable: nothing we can do with it.
        let _ = std::fs::remove_file(&state);
        return Ok(());
    };
    let r = saved.release(saved.live_netns());
    let _ = std::fs::remove_file(&state);
    r
}

/// The network name and the addresses of a container on the bridge, from
/// its record (for `inspect`); `None` when it has none.
pub fn addresses(container_dir: &Path) -> Option<(String, Vec<Address>)> {
    let saved = read_saved(&container_dir.join(STATE))?;
    let result = CniResult::parse(saved.result.as_ref()?).ok()?;
    let name = saved
        .list()
        .map(|l| l.name)
        .unwrap_or_else(|_| config::NETWORK_NAME.into());
    Some((name, result.addresses(&saved.ifname)))
}

/// Rewrites the container's hosts file in place (it is bind-mounted: a
/// rename would leave the container with the old file).
fn add_to_hosts(path: &Path, addr: &Address) -> std::io::Result<()> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    let new = hosts_with_address(&text, addr.ip, addr.gateway);
    if new != text {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .truncate(true)
            .open(path)?;
        f.write_all(new.as_bytes())?;
    }
    Ok(())
}

/// The container's names move from the 127.0.1.1 stand-in to its address,
/// and the host's side of the bridge becomes `host.containers.internal`.
pub(crate) fn hosts_with_address(text: &str, ip: IpAddr, gateway: Option<IpAddr>) -> String {
    let mut out = String::new();
    for line in text.lines() {
        match line.strip_prefix("127.0.1.1\t") {
            Some(names) => out.push_str(&format!("{ip}\t{names}\n")),
            None => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    if let Some(gw) = gateway
        && !text.contains("host.containers.internal")
    {
        out.push_str(&format!(
            "{gw}\thost.containers.internal host.docker.internal\n"
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_get_the_address() {
        let before = "127.0.0.1\tlocalhost\n::1\tlocalhost\n10.0.0.5\tdb\n127.0.1.1\tabc123 web\n";
        let after = hosts_with_address(
            before,
            "10.89.0.7".parse().unwrap(),
            Some("10.89.0.1".parse().unwrap()),
        );
        assert_eq!(
            after,
            "127.0.0.1\tlocalhost\n::1\tlocalhost\n10.0.0.5\tdb\n10.89.0.7\tabc123 web\n\
             10.89.0.1\thost.containers.internal host.docker.internal\n"
        );
        // Idempotent: a second rewrite (a restart) changes nothing.
        assert_eq!(
            hosts_with_address(
                &after,
                "10.89.0.7".parse().unwrap(),
                Some("10.89.0.1".parse().unwrap())
            ),
            after
        );
    }

    #[test]
    fn cni_args_and_port_mappings() {
        assert_eq!(cni_args(None, None), "IgnoreUnknown=1");
        assert_eq!(
            cni_args(Some("10.89.0.9"), Some("02:00:00:00:00:09")),
            "IgnoreUnknown=1;IP=10.89.0.9;MAC=02:00:00:00:00:09"
        );
        let m = crate::network::ports::parse_publish("127.0.0.1:8080:80/udp").unwrap();
        assert_eq!(
            port_mappings(&m),
            json!([{"hostPort": 8080, "containerPort": 80, "protocol": "udp", "hostIP": "127.0.0.1"}])
        );
    }

    #[test]
    fn held_ports_refuse_a_second_taker() {
        let mut m = crate::network::ports::parse_publish("127.0.0.1::80").unwrap();
        crate::network::ports::reserve(&mut m).unwrap();
        let held = hold_ports(&m).unwrap();
        // What `create` checks for another container now fails.
        let e = crate::network::ports::reserve(&mut m.clone()).unwrap_err();
        assert!(e.to_string().contains("already in use"), "{e}");
        let e = hold_ports(&m).err().unwrap().to_string();
        assert!(e.contains("already in use"), "{e}");
        drop(held);
        hold_ports(&m).unwrap();
    }

    /// A record a killed monitor left is released with DEL (no namespace:
    /// its process is gone) and forgotten.
    #[test]
    fn leftovers_are_released_from_the_record() {
        use std::os::unix::fs::PermissionsExt;
        let d = tempfile::tempdir().unwrap();
        let plugins = tempfile::tempdir().unwrap();
        let log = plugins.path().join("log");
        let p = plugins.path().join("fake");
        std::fs::write(
            &p,
            format!(
                "#!/bin/sh\necho \"$CNI_COMMAND $CNI_CONTAINERID netns=$CNI_NETNS\" >> {}\ncat > {}.stdin\n",
                log.display(),
                log.display()
            ),
        )
        .unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
        let result = json!({"cniVersion": "1.0.0", "ips": [{"address": "10.89.0.9/24"}]});
        let saved = Saved {
            container_id: "feed".into(),
            ifname: IFNAME.into(),
            args: String::new(),
            list: json!({"cniVersion": "1.0.0", "name": "n", "plugins": [{"type": "fake"}]}),
            runtime_config: Map::new(),
            plugin_dirs: vec![plugins.path().to_path_buf()],
            // Not a process that is running with this start time.
            pid: std::process::id() as i32,
            start_time: Some(1),
            result: Some(result.clone()),
        };
        atomic::write_json(&d.path().join(STATE), &saved).unwrap();
        let (name, addrs) = addresses(d.path()).unwrap();
        assert_eq!(name, "n");
        assert_eq!(addrs[0].ip.to_string(), "10.89.0.9");
        cleanup_leftovers(d.path()).unwrap();
        assert_eq!(std::fs::read_to_string(&log).unwrap(), "DEL feed netns=\n");
        let stdin: Value =
            serde_json::from_slice(&std::fs::read(plugins.path().join("log.stdin")).unwrap())
                .unwrap();
        assert_eq!(stdin["prevResult"], result);
        assert!(!d.path().join(STATE).exists());
        // Once only.
        cleanup_leftovers(d.path()).unwrap();
        assert_eq!(std::fs::read_to_string(&log).unwrap().lines().count(), 1);
    }

    #[test]
    fn leftovers_without_a_record_are_nothing_to_do() {
        let d = tempfile::tempdir().unwrap();
        cleanup_leftovers(d.path()).unwrap();
        assert!(!d.path().join(LOCK).exists());
        assert!(addresses(d.path()).is_none());
    }
}
