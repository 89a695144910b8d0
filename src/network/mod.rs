//! Container networking: which network a container gets, slirp4netns for
//! rootless containers, a CNI bridge for root's, published ports, and the
//! host entries that go with them. The container's monitor calls [`attach`]
//! once the container's network namespace exists and drops the result when
//! the container ends.
pub mod cni;
pub mod forward;
pub mod pasta;
pub mod ports;
pub mod slirp;

use std::net::IpAddr;
use std::path::Path;

use crate::config::Paths;
use crate::container::spec::{NetworkMode, SpecOptions};
pub use ports::PortMapping;

#[derive(Debug, thiserror::Error)]
pub enum NetworkError {
    #[error("{0}")]
    Invalid(String),
    #[error("host port {0} is already in use: publish on another host port")]
    PortInUse(String),
    #[error("{0}")]
    Slirp(String),
    #[error("{0}")]
    Unsupported(String),
    #[error(transparent)]
    Cni(#[from] cni::CniError),
}

/// How a container's network is provided.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Plan {
    /// Nothing to do: the host's network or a joined namespace.
    Nothing,
    /// A new namespace with only `lo`, which must be set up.
    Loopback,
    Slirp(slirp::SlirpOptions),
    /// pasta with its extra command-line options.
    Pasta(String),
    /// Root's default: the CNI bridge.
    Bridge,
}

/// The plan for a container's options; `rootless` picks the default.
pub fn plan(o: &SpecOptions, rootless: bool) -> Result<Plan, NetworkError> {
    Ok(match &o.network {
        NetworkMode::Default if rootless => Plan::Slirp(slirp::SlirpOptions::default()),
        NetworkMode::Default => Plan::Bridge,
        NetworkMode::None => Plan::Loopback,
        NetworkMode::Slirp(opts) => Plan::Slirp(slirp::SlirpOptions::parse(opts)?),
        NetworkMode::Pasta(opts) => Plan::Pasta(opts.clone()),
        NetworkMode::Host | NetworkMode::Container(_) | NetworkMode::Ns(_) => Plan::Nothing,
    })
}

/// Checks the flags that only make sense with some networks, and parses
/// and reserves the published ports (a taken host port fails here, before
/// the container exists).
pub fn validate(
    o: &SpecOptions,
    exposed: &[String],
    rootless: bool,
) -> Result<Vec<PortMapping>, NetworkError> {
    let plan = plan(o, rootless)?;
    if rootless && (o.mac_address.is_some() || o.ip.is_some()) {
        return Err(NetworkError::Unsupported(
            "--mac-address and --ip need a bridge network, which rootless containers do not have: drop them".into(),
        ));
    }
    if plan != Plan::Bridge && (o.mac_address.is_some() || o.ip.is_some()) {
        return Err(NetworkError::Unsupported(format!(
            "--mac-address and --ip need the default bridge network, not --network {}",
            network_name(&o.network)
        )));
    }
    if let Some(ip) = &o.ip
        && ip.parse::<IpAddr>().is_err()
    {
        return Err(NetworkError::Invalid(format!(
            "invalid --ip {ip:?}: not an IP address"
        )));
    }
    let mut ports = Vec::new();
    for p in &o.publish {
        ports.extend(ports::parse_publish(p)?);
    }
    if o.publish_all {
        ports.extend(ports::publish_all(exposed)?);
    }
    if ports.is_empty() {
        return Ok(ports);
    }
    match (&o.network, &plan) {
        (NetworkMode::Host, _) => {
            eprintln!("warning: published ports are ignored with --network host");
            return Ok(Vec::new());
        }
        (_, Plan::Nothing | Plan::Loopback) => {
            return Err(NetworkError::Unsupported(format!(
                "cannot publish ports with --network {}: use the default network",
                network_name(&o.network)
            )));
        }
        _ => {}
    }
    ports::reserve(&mut ports)?;
    Ok(ports)
}

fn network_name(n: &NetworkMode) -> String {
    match n {
        NetworkMode::Default => "default".into(),
        NetworkMode::None => "none".into(),
        NetworkMode::Host => "host".into(),
        NetworkMode::Slirp(_) => "slirp4netns".into(),
        NetworkMode::Pasta(_) => "pasta".into(),
        NetworkMode::Container(c) => format!("container:{c}"),
        NetworkMode::Ns(p) => format!("ns:{}", p.display()),
    }
}

/// What /etc/hosts and resolv.conf need to say for this network.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EtcHints {
    /// The resolver the container should use instead of the host's.
    pub nameserver: Option<String>,
    /// The host as the container reaches it (host.containers.internal).
    pub host_gateway: Option<String>,
}

pub fn etc_hints(plan: &Plan) -> EtcHints {
    match plan {
        Plan::Slirp(_) => EtcHints {
            nameserver: Some(slirp::DNS.into()),
            host_gateway: Some(slirp::GATEWAY.into()),
        },
        // pasta copies the host's addresses and the bridge routes to them:
        // the host's resolvers work (loopback ones are left out). The
        // bridge's host entry is added once its address is known.
        Plan::Pasta(_) | Plan::Bridge | Plan::Nothing | Plan::Loopback => EtcHints::default(),
    }
}

/// What a killed monitor left for the container whose dirs these are:
/// pasta still running (slirp4netns ends by itself), or a bridge address
/// and its iptables rules (from the record in `container_dir`).
pub fn cleanup_leftovers(run_dir: &Path, container_dir: &Path) -> Result<(), NetworkError> {
    pasta::cleanup(run_dir);
    cni::cleanup_leftovers(container_dir)?;
    Ok(())
}

/// A container's addresses on the bridge, for `inspect`: the network's
/// name and the addresses (IPv4 first). `None` without a bridge address.
pub fn bridge_addresses(container_dir: &Path) -> Option<(String, Vec<cni::Address>)> {
    cni::addresses(container_dir)
}

/// A connected network, torn down on drop.
#[derive(Default)]
pub struct Attached {
    // Before `_slirp`: the forwarder's connections close before the
    // network under them goes.
    _forward: Option<forward::Forwarder>,
    _slirp: Option<slirp::Slirp>,
    _pasta: Option<pasta::Pasta>,
    _bridge: Option<cni::Attachment>,
}

/// The container being connected.
pub struct Target<'a> {
    pub id: &'a str,
    /// Its init: the network namespace to connect.
    pub pid: i32,
    pub ports: &'a [PortMapping],
    /// `--ip`, `--mac-address` (bridge only).
    pub ip: Option<&'a str>,
    pub mac: Option<&'a str>,
    /// Holds the helpers' sockets and pid files.
    pub run_dir: &'a Path,
    /// `<data>/containers/<id>`: the bridge's teardown record, userdata.
    pub container_dir: &'a Path,
    /// The bridge's config (`<config>/cni/skiff.conflist`) and its address
    /// leases (`<data>/cni/networks`).
    pub paths: &'a Paths,
}

/// Helpers started as soon as the container's network namespace exists,
/// while the rest of its create goes on; [`attach`] finishes the job.
#[derive(Default)]
pub struct Early {
    slirp: Option<slirp::Starting>,
}

/// Starts what [`attach`] would otherwise wait for first (slirp4netns) on
/// the network namespace of `pid`.
pub fn start_early(plan: &Plan, pid: i32, run_dir: &Path) -> Result<Early, NetworkError> {
    Ok(match plan {
        Plan::Slirp(o) => Early {
            slirp: Some(slirp::spawn(pid, &run_dir.join("slirp.sock"), o)?),
        },
        _ => Early::default(),
    })
}

/// Connects the container's network namespace as `plan` says and
/// publishes its ports, using what [`start_early`] started.
pub fn attach(plan: &Plan, t: &Target, early: Early) -> Result<Attached, NetworkError> {
    let (pid, ports, run_dir) = (t.pid, t.ports, t.run_dir);
    match plan {
        Plan::Nothing => Ok(Attached::default()),
        Plan::Loopback => {
            crate::sys::net::loopback_up(pid).map_err(|e| {
                NetworkError::Unsupported(format!("setting up the loopback interface: {e}"))
            })?;
            Ok(Attached::default())
        }
        Plan::Slirp(o) => {
            let s = match early.slirp {
                Some(starting) => starting.wait()?,
                None => slirp::start(pid, &run_dir.join("slirp.sock"), o)?,
            };
            let mut forward = None;
            match o.port_handler {
                slirp::PortHandler::Slirp4netns => {
                    for m in ports {
                        s.add_hostfwd(m)?;
                    }
                }
                slirp::PortHandler::Builtin if !ports.is_empty() => {
                    forward = Some(forward::start(pid, ports)?);
                }
                slirp::PortHandler::Builtin => {}
            }
            Ok(Attached {
                _forward: forward,
                _slirp: Some(s),
                ..Default::default()
            })
        }
        Plan::Pasta(extra) => Ok(Attached {
            _pasta: Some(pasta::start(pid, ports, extra, run_dir)?),
            ..Default::default()
        }),
        Plan::Bridge => {
            // The plugins set up eth0 only.
            crate::sys::net::loopback_up(pid).map_err(|e| {
                NetworkError::Unsupported(format!("setting up the loopback interface: {e}"))
            })?;
            let a = cni::attach(t)?;
            Ok(Attached {
                _bridge: Some(a),
                ..Default::default()
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plans() {
        let with = |network: NetworkMode| SpecOptions {
            network,
            ..Default::default()
        };
        assert!(matches!(
            plan(&with(NetworkMode::Default), true),
            Ok(Plan::Slirp(_))
        ));
        // Root's default is the bridge; `none` is loopback, set up.
        assert_eq!(
            plan(&with(NetworkMode::Default), false).unwrap(),
            Plan::Bridge
        );
        assert_eq!(
            plan(&with(NetworkMode::None), true).unwrap(),
            Plan::Loopback
        );
        assert_eq!(plan(&with(NetworkMode::Host), true).unwrap(), Plan::Nothing);
        assert_eq!(
            plan(&with(NetworkMode::Container("x".into())), true).unwrap(),
            Plan::Nothing
        );
        let mut o = with(NetworkMode::None);
        o.publish = vec!["80".into()];
        let e = validate(&o, &[], true).unwrap_err().to_string();
        assert!(e.contains("--network none"), "{e}");
        // --ip only on the bridge, and only an address.
        let mut o = with(NetworkMode::Host);
        o.ip = Some("10.89.0.9".into());
        let e = validate(&o, &[], false).unwrap_err().to_string();
        assert!(e.contains("--network host"), "{e}");
        o.network = NetworkMode::Default;
        validate(&o, &[], false).unwrap();
        o.ip = Some("10.89.0".into());
        let e = validate(&o, &[], false).unwrap_err().to_string();
        assert!(e.contains("invalid --ip"), "{e}");
    }
}
