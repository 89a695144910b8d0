//! pasta (from passt): an alternative to slirp4netns for rootless
//! containers. It copies the host's addresses and routes into the
//! container's namespace, forwards the published ports, daemonizes once the
//! interface is up, and quits by itself when the namespace goes away.
use std::process::{Command, Stdio};

use super::NetworkError;
use super::ports::{PortMapping, Proto};

/// Starts pasta for the network namespace of `pid` and returns once it is
/// configured (pasta's foreground process exits 0 after daemonizing).
/// `extra` is `--network pasta:ARGS` split on commas.
pub fn start(pid: i32, ports: &[PortMapping], extra: &str) -> Result<(), NetworkError> {
    let mut cmd = Command::new("pasta");
    cmd.arg("--config-net").arg("--quiet");
    for (flag, proto) in [("-t", Proto::Tcp), ("-u", Proto::Udp)] {
        let specs: Vec<String> = ports
            .iter()
            .filter(|m| m.protocol == proto)
            .map(|m| {
                let addr = if m.host_ip.is_empty() {
                    String::new()
                } else {
                    format!("{}/", m.host_ip)
                };
                format!("{addr}{}:{}", m.host_port, m.container_port)
            })
            .collect();
        if specs.is_empty() {
            cmd.arg(flag).arg("none");
        }
        for s in specs {
            cmd.arg(flag).arg(s);
        }
    }
    // Nothing from the container to the host's ports unless asked.
    cmd.args(["-T", "none", "-U", "none"]);
    cmd.args(extra.split(',').filter(|a| !a.is_empty()));
    // The namespace is opened here and handed down as an inherited fd:
    // pasta drops its privileges before it opens the path, and the init is
    // not dumpable yet, so /proc/<pid>/ns/net would be closed to it.
    let ns = std::fs::File::open(format!("/proc/{pid}/ns/net")).map_err(|e| {
        NetworkError::Slirp(format!("opening the container's network namespace: {e}"))
    })?;
    crate::sys::process::set_inheritable(std::os::fd::AsFd::as_fd(&ns))
        .map_err(|e| NetworkError::Slirp(format!("network namespace fd: {e}")))?;
    cmd.arg("--netns")
        .arg(format!(
            "/proc/self/fd/{}",
            std::os::fd::AsRawFd::as_raw_fd(&ns)
        ))
        .stdin(Stdio::null())
        .stdout(Stdio::null());
    let out = cmd.output().map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            NetworkError::Unsupported(
                "pasta is not installed: install passt (apt install passt) or use the default network".into(),
            )
        } else {
            NetworkError::Slirp(format!("starting pasta: {e}"))
        }
    })?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        let msg = err
            .trim()
            .lines()
            .last()
            .unwrap_or("no message")
            .to_string();
        if msg.contains("in use") {
            return Err(NetworkError::PortInUse(msg));
        }
        return Err(NetworkError::Slirp(format!("pasta failed: {msg}")));
    }
    Ok(())
}
