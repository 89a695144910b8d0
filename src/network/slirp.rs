//! slirp4netns: user-mode networking for a rootless container's network
//! namespace. Started by the container's monitor once the namespace exists,
//! it ends when the monitor closes its exit pipe, so it can never outlive
//! the monitor, even one killed with SIGKILL.
use std::io::{Read, Write};
use std::os::fd::{AsFd, AsRawFd, OwnedFd};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use super::NetworkError;
use super::ports::PortMapping;
use crate::sys::process as sp;

/// The addresses slirp4netns gives the container's side (its defaults).
pub const GATEWAY: &str = "10.0.2.2";
pub const DNS: &str = "10.0.2.3";
pub const MTU: u32 = 65520;

/// `--network slirp4netns:OPTIONS`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SlirpOptions {
    /// Let the container reach services on the host's loopback through
    /// 10.0.2.2 (the host as the container sees it).
    pub allow_host_loopback: bool,
    pub enable_ipv6: bool,
    pub mtu: u32,
    pub port_handler: PortHandler,
}

/// What carries published ports into the container.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum PortHandler {
    /// The monitor's own forwarder (`super::forward`), the faster one.
    #[default]
    Builtin,
    /// slirp4netns's `add_hostfwd`: every byte goes through its TCP stack.
    Slirp4netns,
}

impl Default for SlirpOptions {
    fn default() -> Self {
        SlirpOptions {
            allow_host_loopback: true,
            enable_ipv6: false,
            mtu: MTU,
            port_handler: PortHandler::default(),
        }
    }
}

impl SlirpOptions {
    /// `allow_host_loopback=false,mtu=1500,enable_ipv6=true`.
    pub fn parse(s: &str) -> Result<SlirpOptions, NetworkError> {
        let mut o = SlirpOptions::default();
        for kv in s.split(',').filter(|x| !x.is_empty()) {
            let (k, v) = kv.split_once('=').unwrap_or((kv, "true"));
            let flag = |v: &str| match v {
                "true" => Ok(true),
                "false" => Ok(false),
                _ => Err(NetworkError::Invalid(format!(
                    "invalid slirp4netns option {kv:?}: expected true or false"
                ))),
            };
            match k {
                "allow_host_loopback" => o.allow_host_loopback = flag(v)?,
                "enable_ipv6" => o.enable_ipv6 = flag(v)?,
                // Podman calls its forwarder "rootlesskit".
                "port_handler" => {
                    o.port_handler = match v {
                        "builtin" | "rootlesskit" => PortHandler::Builtin,
                        "slirp4netns" => PortHandler::Slirp4netns,
                        _ => {
                            return Err(NetworkError::Invalid(format!(
                                "invalid slirp4netns port_handler {v:?}: builtin (or rootlesskit) or slirp4netns"
                            )));
                        }
                    }
                }
                "mtu" => {
                    o.mtu = v
                        .parse()
                        .ok()
                        .filter(|m| (68..=65521).contains(m))
                        .ok_or_else(|| {
                            NetworkError::Invalid(format!(
                                "invalid slirp4netns mtu {v:?}: 68-65521"
                            ))
                        })?
                }
                _ => {
                    return Err(NetworkError::Invalid(format!(
                        "unknown slirp4netns option {k:?}: known are allow_host_loopback, enable_ipv6, mtu, port_handler"
                    )));
                }
            }
        }
        Ok(o)
    }
}

pub struct Slirp {
    child: Child,
    /// Closing it (drop) tells slirp4netns to exit.
    exit_w: Option<OwnedFd>,
    api: PathBuf,
}

/// slirp4netns launched, its interface not yet known to be up.
pub struct Starting {
    /// Taken by `wait`; a dropped `Starting` kills it.
    child: Option<Child>,
    ready: std::fs::File,
    exit_w: Option<OwnedFd>,
    api: PathBuf,
}

impl Drop for Starting {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

/// Starts slirp4netns on the network namespace of `pid` and waits until the
/// interface is configured.
pub fn start(pid: i32, api_socket: &Path, o: &SlirpOptions) -> Result<Slirp, NetworkError> {
    spawn(pid, api_socket, o)?.wait()
}

/// Launches slirp4netns on the network namespace of `pid`; [`Starting::wait`]
/// waits for it to be ready, so the caller can do other work meanwhile.
pub fn spawn(pid: i32, api_socket: &Path, o: &SlirpOptions) -> Result<Starting, NetworkError> {
    let io = |what: &str| {
        let what = what.to_string();
        move |e: std::io::Error| NetworkError::Slirp(format!("{what}: {e}"))
    };
    let (ready_r, ready_w) = sp::pipe().map_err(io("pipe"))?;
    let (exit_r, exit_w) = sp::pipe().map_err(io("pipe"))?;
    sp::set_inheritable(ready_w.as_fd()).map_err(io("pipe"))?;
    sp::set_inheritable(exit_r.as_fd()).map_err(io("pipe"))?;
    let _ = std::fs::remove_file(api_socket);
    let mut cmd = Command::new("slirp4netns");
    cmd.arg("--configure")
        .arg(format!("--mtu={}", o.mtu))
        .arg("--enable-sandbox")
        .arg("--enable-seccomp")
        .arg(format!("--ready-fd={}", ready_w.as_raw_fd()))
        .arg(format!("--exit-fd={}", exit_r.as_raw_fd()))
        .arg("--api-socket")
        .arg(api_socket);
    if !o.allow_host_loopback {
        cmd.arg("--disable-host-loopback");
    }
    if o.enable_ipv6 {
        cmd.arg("--enable-ipv6");
    }
    cmd.arg(pid.to_string())
        .arg("tap0")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let child = cmd.spawn().map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            NetworkError::Slirp(
                "slirp4netns is not installed: install it (apt install slirp4netns) or use --network none|host".into(),
            )
        } else {
            NetworkError::Slirp(format!("starting slirp4netns: {e}"))
        }
    })?;
    drop(ready_w);
    drop(exit_r);
    Ok(Starting {
        child: Some(child),
        ready: std::fs::File::from(ready_r),
        exit_w: Some(exit_w),
        api: api_socket.to_path_buf(),
    })
}

impl Starting {
    pub fn wait(mut self) -> Result<Slirp, NetworkError> {
        // One byte when the tap is up; EOF when slirp4netns died.
        let mut b = [0u8; 1];
        let ok = matches!(self.ready.read(&mut b), Ok(1));
        let mut child = self.child.take().expect("taken only here");
        if !ok {
            let _ = child.kill();
            let mut err = String::new();
            if let Some(mut e) = child.stderr.take() {
                let _ = e.read_to_string(&mut err);
            }
            let _ = child.wait();
            return Err(NetworkError::Slirp(format!(
                "slirp4netns failed: {}",
                err.trim().lines().last().unwrap_or("no message")
            )));
        }
        // Its stderr is only needed for start-up failures.
        drop(child.stderr.take());
        Ok(Slirp {
            child,
            exit_w: self.exit_w.take(),
            api: std::mem::take(&mut self.api),
        })
    }
}

impl Slirp {
    /// Publishes a host port to the container through slirp4netns's API.
    pub fn add_hostfwd(&self, m: &PortMapping) -> Result<(), NetworkError> {
        let host_addr = if m.host_ip.is_empty() {
            "0.0.0.0"
        } else {
            &m.host_ip
        };
        let req = serde_json::json!({
            "execute": "add_hostfwd",
            "arguments": {
                "proto": m.protocol.as_str(),
                "host_addr": host_addr,
                "host_port": m.host_port,
                "guest_port": m.container_port,
            }
        });
        let fail = |e: String| NetworkError::Slirp(format!("publishing {}: {e}", m.display()));
        let mut s = UnixStream::connect(&self.api).map_err(|e| fail(e.to_string()))?;
        s.set_read_timeout(Some(Duration::from_secs(10)))
            .map_err(|e| fail(e.to_string()))?;
        s.write_all(req.to_string().as_bytes())
            .map_err(|e| fail(e.to_string()))?;
        s.shutdown(std::net::Shutdown::Write)
            .map_err(|e| fail(e.to_string()))?;
        let mut resp = String::new();
        s.read_to_string(&mut resp)
            .map_err(|e| fail(e.to_string()))?;
        let v: serde_json::Value =
            serde_json::from_str(&resp).map_err(|e| fail(format!("bad answer {resp:?}: {e}")))?;
        if let Some(err) = v.get("error") {
            let desc = err["desc"].as_str().unwrap_or("unknown error");
            if desc.contains("in use") || desc.contains("bind") {
                return Err(NetworkError::PortInUse(m.display()));
            }
            return Err(fail(desc.to_string()));
        }
        Ok(())
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Slirp {
    fn drop(&mut self) {
        // Closing the exit pipe ends it; wait so no zombie is left.
        self.exit_w.take();
        if crate::sys::process::wait_child_timeout(&mut self.child, Duration::from_secs(2)).is_err()
        {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
        let _ = std::fs::remove_file(&self.api);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_parse() {
        assert_eq!(SlirpOptions::parse("").unwrap(), SlirpOptions::default());
        let o = SlirpOptions::parse("allow_host_loopback=false,mtu=1500,enable_ipv6=true").unwrap();
        assert!(!o.allow_host_loopback && o.enable_ipv6 && o.mtu == 1500);
        assert!(SlirpOptions::parse("mtu=10").is_err());
        assert_eq!(
            SlirpOptions::parse("port_handler=slirp4netns")
                .unwrap()
                .port_handler,
            PortHandler::Slirp4netns
        );
        assert_eq!(
            SlirpOptions::parse("port_handler=rootlesskit")
                .unwrap()
                .port_handler,
            PortHandler::Builtin
        );
        assert!(SlirpOptions::parse("port_handler=socat").is_err());
        assert!(SlirpOptions::parse("cidr=10.1.0.0/24").is_err());
        assert!(SlirpOptions::parse("enable_ipv6=maybe").is_err());
    }
}
