//! pasta (from passt): an alternative to slirp4netns for rootless
//! containers. It copies the host's addresses and routes into the
//! container's namespace, forwards the published ports and daemonizes once
//! the interface is up. It does not notice the namespace going away when
//! handed an fd, so it is stopped by pid (its pid file in the container's
//! run dir): by the monitor when the container ends, or by `rm` after a
//! killed monitor.
use std::os::fd::AsFd;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use super::NetworkError;
use super::ports::{PortMapping, Proto};

/// Starts pasta for the network namespace of `pid` and returns once it is
/// configured (pasta's foreground process exits 0 after daemonizing).
/// `extra` is `--network pasta:ARGS` split on commas.
pub fn start(
    pid: i32,
    ports: &[PortMapping],
    extra: &str,
    run_dir: &Path,
) -> Result<Pasta, NetworkError> {
    let pid_file = run_dir.join(PID_FILE);
    let _ = std::fs::remove_file(&pid_file);
    let mut cmd = Command::new("pasta");
    cmd.arg("--config-net")
        .arg("--quiet")
        .arg("--pid")
        .arg(&pid_file);
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
    // Read now: the run dir (and the file) may be gone by the time the
    // container ends.
    let pid = std::fs::read_to_string(&pid_file)
        .ok()
        .and_then(|s| s.trim().parse::<i32>().ok());
    Ok(Pasta { pid, pid_file })
}

const PID_FILE: &str = "pasta.pid";

/// A running pasta, stopped on drop.
pub struct Pasta {
    pid: Option<i32>,
    pid_file: PathBuf,
}

impl Drop for Pasta {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.pid_file);
        if let Some(pid) = self.pid {
            stop_pid(pid);
        }
    }
}

/// Stops the pasta whose pid file is in `run_dir`, if one is running (after
/// a killed monitor).
pub fn cleanup(run_dir: &Path) {
    stop(&run_dir.join(PID_FILE));
}

fn stop(pid_file: &Path) {
    let Some(pid) = std::fs::read_to_string(pid_file)
        .ok()
        .and_then(|s| s.trim().parse::<i32>().ok())
    else {
        return;
    };
    let _ = std::fs::remove_file(pid_file);
    stop_pid(pid);
}

fn stop_pid(pid: i32) {
    use crate::sys::process as sp;
    let Ok(pidfd) = sp::pidfd_open(pid) else {
        return;
    };
    // The pidfd pins the process: check it is still pasta before signalling.
    let is_pasta = std::fs::read(format!("/proc/{pid}/cmdline")).is_ok_and(|c| {
        c.split(|b| *b == 0)
            .next()
            .is_some_and(|a| a.ends_with(b"pasta"))
    });
    if !is_pasta {
        return;
    }
    let _ = sp::pidfd_send_signal(pidfd.as_fd(), libc::SIGTERM);
    let ms = Duration::from_secs(2).as_millis() as i32;
    if !sp::poll_readable(pidfd.as_fd(), ms).unwrap_or(false) {
        let _ = sp::pidfd_send_signal(pidfd.as_fd(), libc::SIGKILL);
    }
}
