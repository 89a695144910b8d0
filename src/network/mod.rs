//! Container networking: which network a container gets, slirp4netns for
//! rootless containers, published ports, and the host entries that go with
//! them. The container's monitor calls [`attach`] once the container's
//! network namespace exists and drops the result when the container ends.
pub mod pasta;
pub mod ports;
pub mod slirp;

use std::path::Path;

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
}

/// The plan for a container's options; `rootless` picks the default.
pub fn plan(o: &SpecOptions, rootless: bool) -> Result<Plan, NetworkError> {
    Ok(match &o.network {
        NetworkMode::Default if rootless => Plan::Slirp(slirp::SlirpOptions::default()),
        // Root's default bridge (CNI) is not there yet: loopback only.
        NetworkMode::Default | NetworkMode::None => Plan::Loopback,
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
        // pasta copies the host's addresses: the host's resolvers work.
        Plan::Pasta(_) | Plan::Nothing | Plan::Loopback => EtcHints::default(),
    }
}

/// Network helpers a killed monitor left running for the container whose
/// run dir this is (slirp4netns ends by itself; pasta must be stopped).
pub fn cleanup_leftovers(run_dir: &Path) {
    pasta::cleanup(run_dir);
}

/// A connected network, torn down on drop.
pub struct Attached {
    _slirp: Option<slirp::Slirp>,
    _pasta: Option<pasta::Pasta>,
}

/// Connects the network namespace of `pid` as `plan` says and publishes
/// `ports`. `run_dir` holds the API socket.
pub fn attach(
    plan: &Plan,
    pid: i32,
    ports: &[PortMapping],
    run_dir: &Path,
) -> Result<Attached, NetworkError> {
    match plan {
        Plan::Nothing => Ok(Attached {
            _slirp: None,
            _pasta: None,
        }),
        Plan::Loopback => {
            crate::sys::net::loopback_up(pid).map_err(|e| {
                NetworkError::Unsupported(format!("setting up the loopback interface: {e}"))
            })?;
            Ok(Attached {
                _slirp: None,
                _pasta: None,
            })
        }
        Plan::Slirp(o) => {
            let s = slirp::start(pid, &run_dir.join("slirp.sock"), o)?;
            for m in ports {
                s.add_hostfwd(m)?;
            }
            Ok(Attached {
                _slirp: Some(s),
                _pasta: None,
            })
        }
        Plan::Pasta(extra) => Ok(Attached {
            _slirp: None,
            _pasta: Some(pasta::start(pid, ports, extra, run_dir)?),
        }),
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
        // Root has no default network yet; `none` is loopback too, set up.
        assert_eq!(
            plan(&with(NetworkMode::Default), false).unwrap(),
            Plan::Loopback
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
    }
}
