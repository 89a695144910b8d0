//! The per-container monitor: one small process per running container, the
//! parent of its init. It mounts the rootfs in a mount namespace of its own
//! (so the mount dies with it and never shows on the host), creates and
//! starts the container through the in-process runtime, holds its stdio or
//! pty, writes the log, serves the attach socket, records the exit code and
//! carries out `--rm` and restart policies.
//!
//! It is the same binary: `skiff __monitor --root DATA --runroot RUN
//! --ctl-fd N ID`, exec'd by the command that starts the container, which
//! it leaves at once (double fork + setsid) so it is nobody's child. Over
//! the control socket (fd N) it reports `created`, waits for `go` (the
//! starter attaches first if it wants output), then reports `started` or
//! the error.
mod io;

use std::io::{BufRead, BufReader, Write};
use std::os::fd::AsFd;
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::PathBuf;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::record::{Container, Status};
use super::spec::RestartPolicy;
use super::store::{ContainerStore, make_run_dir};
use super::{ContainerError, logs};
use crate::config::Paths;
use crate::runtime::container::{CreateOptions, Runtime, RuntimeOptions};
use crate::storage::driver::Driver;
use crate::sys::process as sp;

pub const ARG: &str = "__monitor";

/// Messages from the monitor to the command that started it (JSON lines).
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "lowercase")]
pub enum Report {
    Created {
        pid: i32,
        monitor_pid: i32,
        monitor_start_time: u64,
    },
    Started {
        started_at: chrono::DateTime<chrono::Utc>,
    },
    Error {
        message: String,
        /// Docker's code for the failure: 127 not found, 126 cannot run.
        exit_code: i32,
    },
}

/// The runtime's state dir, shared by the monitor and commands like exec.
pub fn runtime_for(paths: &Paths) -> Runtime {
    Runtime::new(RuntimeOptions {
        root: paths.runtime.join("runtime"),
        ..Default::default()
    })
}

/// `skiff __monitor ...`: recognised before the CLI parser, like `runtime`.
pub fn intercept() -> Option<anyhow::Result<u8>> {
    let mut args = std::env::args().skip(1);
    if args.next().as_deref() != Some(ARG) {
        return None;
    }
    let mut root = None;
    let mut runroot = None;
    let mut ctl = None;
    let mut id = None;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--root" => root = args.next().map(PathBuf::from),
            "--runroot" => runroot = args.next().map(PathBuf::from),
            "--ctl-fd" => ctl = args.next().and_then(|v| v.parse::<i32>().ok()),
            _ => id = Some(a),
        }
    }
    let (Some(root), Some(runroot), Some(ctl), Some(id)) = (root, runroot, ctl, id) else {
        return Some(Err(anyhow::anyhow!(
            "usage: skiff {ARG} --root DIR --runroot DIR --ctl-fd N ID"
        )));
    };
    // The fd number came from our own starter, which left exactly that
    // descriptor open for us.
    let ctl = match sp::adopt_inherited_socket(ctl) {
        Ok(fd) => UnixStream::from(fd),
        Err(e) => return Some(Err(anyhow::anyhow!("monitor control fd {ctl}: {e}"))),
    };
    let paths = match Paths::detect(Some(&root), Some(&runroot)) {
        Ok(p) => p,
        Err(e) => return Some(Err(e.into())),
    };
    // Leave the starter: it reaps this process at once; the grandchild is
    // the monitor, in a session of its own, adopted by init.
    match sp::fork_detached() {
        Ok(false) => return Some(Ok(0)),
        Ok(true) => {}
        Err(e) => return Some(Err(anyhow::anyhow!("forking the monitor: {e}"))),
    }
    let code = match Monitor::new(paths, id, ctl) {
        Ok(mut m) => m.run(),
        Err((mut ctl, e)) => {
            report(
                &mut ctl,
                &Report::Error {
                    message: e.to_string(),
                    exit_code: 125,
                },
            );
            1
        }
    };
    Some(Ok(code.clamp(0, 255) as u8))
}

fn report(ctl: &mut UnixStream, r: &Report) {
    if let Ok(mut line) = serde_json::to_vec(r) {
        line.push(b'\n');
        let _ = ctl.write_all(&line);
    }
}

struct Monitor {
    paths: Paths,
    store: ContainerStore,
    id: String,
    ctl: Option<UnixStream>,
    runtime: Runtime,
    listener: UnixListener,
    driver: Driver,
    rootless: bool,
    log: logs::LogWriter,
    /// The current run's network; released after the exit code is out, so
    /// waiting for slirp4netns to end is not on `run`'s path.
    network: Option<crate::network::Attached>,
}

impl Monitor {
    fn new(
        paths: Paths,
        id: String,
        ctl: UnixStream,
    ) -> Result<Monitor, (UnixStream, ContainerError)> {
        let store = ContainerStore::open(&paths);
        let setup = || -> Result<_, ContainerError> {
            let c = Container::load(&store.dir(&id))?;
            // A private mount namespace: the rootfs mount lives and dies here.
            sp::unshare_mount_private()
                .map_err(|e| ContainerError::Monitor(format!("mount namespace: {e}")))?;
            rustix::process::set_child_subreaper(Some(rustix::process::getpid()))
                .map_err(|e| ContainerError::Monitor(format!("PR_SET_CHILD_SUBREAPER: {e}")))?;
            let run_dir = store.run_dir(&id);
            make_run_dir(&run_dir)?;
            let sock = store.attach_socket(&id);
            let _ = std::fs::remove_file(&sock);
            let listener = UnixListener::bind(&sock).map_err(|e| ContainerError::io(&sock, e))?;
            listener
                .set_nonblocking(true)
                .map_err(|e| ContainerError::io(&sock, e))?;
            let driver =
                Driver::from_name(&c.driver).map_err(|e| ContainerError::Monitor(e.to_string()))?;
            let log = logs::LogWriter::open(&store.log_path(&id), c.log_driver)
                .map_err(|e| ContainerError::Monitor(e.to_string()))?;
            Ok((listener, driver, log))
        };
        match setup() {
            Ok((listener, driver, log)) => Ok(Monitor {
                runtime: runtime_for(&paths),
                paths,
                store,
                id,
                ctl: Some(ctl),
                listener,
                driver,
                rootless: crate::rootless::is_rootless(),
                log,
                network: None,
            }),
            Err(e) => Err((ctl, e)),
        }
    }

    fn run(&mut self) -> i32 {
        let layout = match Container::load(&self.store.dir(&self.id)) {
            Ok(c) => self.store.layout(&c),
            Err(e) => return self.fail(&e.to_string(), 125),
        };
        if let Err(e) = crate::storage::rootfs::mount(self.driver, &layout, self.rootless) {
            return self.fail(&format!("mounting the container's rootfs: {e}"), 125);
        }
        let mut clients = io::Clients::default();
        let mut first = true;
        let code = loop {
            let outcome = self.run_once(&mut clients, first);
            first = false;
            let (code, error) = match outcome {
                Ok(code) => (code, String::new()),
                Err(Failure { message, exit_code }) => {
                    if self.ctl.is_some() {
                        // Never started: the starter reports it and records it.
                        return self.fail(&message, exit_code);
                    }
                    (exit_code, message)
                }
            };
            let _ = self.log.flush();
            let _ = self.runtime.delete(&self.id, true);
            match self.after_exit(code, &error) {
                Ok(Some(delay)) => {
                    if !clients.wait_restart(&self.listener, delay, &self.store, &self.id) {
                        let _ = self.record_exit(code, "", true);
                        break code;
                    }
                }
                Ok(None) => break code,
                Err(e) => {
                    eprintln!("skiff monitor {}: recording the exit: {e}", self.id);
                    break code;
                }
            }
        };
        let c = Container::load(&self.store.dir(&self.id)).ok();
        let _ = crate::storage::rootfs::unmount(self.driver, &layout.merged);
        if let Some(c) = c.filter(|c| c.auto_remove)
            && let Err(e) = super::lifecycle::remove_files(&self.paths, &self.store, &c)
        {
            eprintln!("skiff monitor {}: --rm: {e}", self.id);
        }
        clients.send_exit(code);
        self.network = None;
        0
    }

    /// One create + start + wait. `Ok(code)` once the container ran.
    fn run_once(&mut self, clients: &mut io::Clients, first: bool) -> Result<i32, Failure> {
        // A restart: the previous run's network goes before the new init is
        // cloned from this process, or the clone would inherit its fds (the
        // held host ports) until it execs.
        self.network = None;
        let c = Container::load(&self.store.dir(&self.id)).map_err(Failure::engine)?;
        let bundle = self.store.dir(&self.id);
        let spec = super::lifecycle::generate_spec(&self.paths, &self.store, &c, self.rootless)
            .map_err(Failure::engine)?;
        // Regenerated at every start: no fsync needed.
        crate::storage::atomic::replace_json(&bundle.join("config.json"), &spec)
            .map_err(|e| Failure::engine(ContainerError::io(&bundle, e)))?;
        let tty = c.options.tty;
        let stdio = io::Stdio::new(tty, c.options.interactive).map_err(Failure::io)?;
        let console = if tty {
            let p = self.store.run_dir(&self.id).join("console");
            let _ = std::fs::remove_file(&p);
            Some((UnixListener::bind(&p).map_err(Failure::io)?, p))
        } else {
            None
        };
        let opts = CreateOptions {
            console_socket: console.as_ref().map(|(_, p)| p.clone()),
            ..Default::default()
        };
        let plan = crate::network::plan(&c.options, self.rootless)
            .map_err(|e| Failure::engine(e.into()))?;
        let run_dir = self.store.run_dir(&self.id);
        // slirp4netns starts as soon as the network namespace exists and
        // comes up while the init builds its rootfs.
        let mut early = Ok(crate::network::Early::default());
        let mut in_namespaces =
            |pid: i32| early = crate::network::start_early(&plan, pid, &run_dir);
        // The init inherits fds 0-2: point them at the container's pipes for
        // the create, then back at /dev/null.
        let created = stdio
            .with_child_stdio(|| {
                self.runtime
                    .create_observed(&self.id, &bundle, &opts, &mut in_namespaces)
            })
            .map_err(Failure::io)?;
        let pid = created.map_err(Failure::runtime)?;
        // The network, before the process runs.
        let attached = early.and_then(|early| self.attach_network(&c, &plan, pid, early));
        self.network = Some(attached.map_err(|e| {
            let _ = self.runtime.delete(&self.id, true);
            Failure::engine(e.into())
        })?);
        let mut stdio = stdio.into_parent();
        if let Some((l, p)) = console {
            let master = crate::runtime::tty::recv_console_master(&l)
                .map_err(|e| Failure::engine(ContainerError::Monitor(e.to_string())))?;
            let _ = std::fs::remove_file(p);
            stdio.set_master(master);
        }
        let pidfd = sp::pidfd_open(pid).map_err(Failure::io)?;
        let me = std::process::id() as i32;
        let my_start_time = sp::start_time(me).ok().flatten().unwrap_or(0);
        if first {
            let start_time = my_start_time;
            self.send(&Report::Created {
                pid,
                monitor_pid: me,
                monitor_start_time: start_time,
            });
            // The starter attaches (if it wants to) and then says go.
            if !self.wait_go(clients, &mut stdio) {
                let _ = self.runtime.delete(&self.id, true);
                return Err(Failure {
                    message: "the starting command went away".into(),
                    exit_code: 125,
                });
            }
        }
        if let Err(e) = self.runtime.start(&self.id) {
            return Err(Failure::runtime(e));
        }
        let started_at = chrono::Utc::now();
        if first {
            self.send(&Report::Started { started_at });
            self.ctl = None;
            // Make sure the record says running, and names this monitor,
            // even if the starter died before writing it (it holds the lock
            // until it has): a record without its monitor would be taken
            // for one whose monitor died.
            let _ = self.store.update(&self.id, |c| {
                if c.state.status != Status::Running {
                    c.state.status = Status::Running;
                    c.state.pid = pid;
                    c.state.started_at = Some(started_at);
                    c.state.monitor_pid = me;
                    c.state.monitor_start_time = my_start_time;
                }
                Ok(())
            });
        } else {
            let _ = self.store.update(&self.id, |c| {
                c.state.status = Status::Running;
                c.state.pid = pid;
                c.state.monitor_pid = me;
                c.state.monitor_start_time = my_start_time;
                c.state.started_at = Some(started_at);
                c.state.exit_code = None;
                Ok(())
            });
        }
        // From here on only the poll loop runs: give back the pages of the
        // setup work (spec building, the runtime's create).
        sp::trim_resident_memory();
        clients.pump(&self.listener, &mut stdio, &mut self.log, pidfd.as_fd());
        let status = sp::wait_exit(nix::unistd::Pid::from_raw(pid))
            .map(|e| e.code())
            .unwrap_or(255);
        stdio.drain(&mut self.log, clients);
        reap_strays();
        Ok(status)
    }

    fn attach_network(
        &self,
        c: &Container,
        plan: &crate::network::Plan,
        pid: i32,
        early: crate::network::Early,
    ) -> Result<crate::network::Attached, crate::network::NetworkError> {
        let target = crate::network::Target {
            id: &self.id,
            pid,
            ports: &c.ports,
            ip: c.options.ip.as_deref(),
            mac: c.options.mac_address.as_deref(),
            run_dir: &self.store.run_dir(&self.id),
            container_dir: &self.store.dir(&self.id),
            paths: &self.paths,
        };
        crate::network::attach(plan, &target, early)
    }

    /// Waits for `go` on the control socket while serving attach clients.
    fn wait_go(&mut self, clients: &mut io::Clients, stdio: &mut io::ParentStdio) -> bool {
        let Some(ctl) = self.ctl.as_ref() else {
            return true;
        };
        let mut r = BufReader::new(ctl);
        loop {
            clients.accept_pending(&self.listener, stdio, None);
            let ready = sp::poll_readable(ctl.as_fd(), 20).unwrap_or(false);
            if !ready {
                continue;
            }
            let mut line = String::new();
            return match r.read_line(&mut line) {
                Ok(n) if n > 0 => {
                    // Anyone who connected while we waited is served too.
                    clients.accept_pending(&self.listener, stdio, None);
                    line.trim() == "go"
                }
                _ => false,
            };
        }
    }

    fn send(&mut self, r: &Report) {
        if let Some(ctl) = self.ctl.as_mut() {
            report(ctl, r);
        }
    }

    /// Before the container ever ran: report and clean up.
    /// Removes the sockets dir while the record still says running, so a
    /// later start (which needs it stopped) never has its new dir removed;
    /// connected clients keep their connections. What stays behind is a
    /// leftover `system check` reports.
    fn drop_run_dir(&self) {
        let _ = crate::sys::fs::remove_tree(&self.store.run_dir(&self.id));
    }

    fn fail(&mut self, message: &str, exit_code: i32) -> i32 {
        let _ = self.runtime.delete(&self.id, true);
        self.drop_run_dir();
        self.send(&Report::Error {
            message: message.to_string(),
            exit_code,
        });
        1
    }

    /// Records the exit; returns the delay before a restart, if the policy
    /// wants one.
    fn after_exit(&self, code: i32, error: &str) -> Result<Option<Duration>, ContainerError> {
        let c = Container::load(&self.store.dir(&self.id))?;
        let restart = !c.state.stopped_by_user
            && match c.restart {
                RestartPolicy::No => false,
                RestartPolicy::Always | RestartPolicy::UnlessStopped => true,
                RestartPolicy::OnFailure(max) => {
                    code != 0 && max.is_none_or(|m| c.state.restart_count < m)
                }
            };
        if !restart {
            self.record_exit(code, error, false)?;
            return Ok(None);
        }
        let count = self.store.update(&self.id, |c| {
            c.state.status = Status::Restarting;
            c.state.exit_code = Some(code);
            c.state.finished_at = Some(chrono::Utc::now());
            c.state.restart_count += 1;
            c.state.pid = 0;
            Ok(c.state.restart_count)
        })?;
        // Docker's back-off: doubling from 100 ms, capped.
        let ms = 100u64 << count.min(7);
        Ok(Some(Duration::from_millis(ms.min(10_000))))
    }

    fn record_exit(&self, code: i32, error: &str, cancelled: bool) -> Result<(), ContainerError> {
        self.drop_run_dir();
        self.store.update(&self.id, |c| {
            c.state.status = Status::Exited;
            c.state.exit_code = Some(code);
            if !cancelled {
                c.state.finished_at = Some(chrono::Utc::now());
            }
            c.state.pid = 0;
            c.state.error = error.to_string();
            Ok(())
        })
    }
}

struct Failure {
    message: String,
    exit_code: i32,
}

impl Failure {
    fn engine(e: ContainerError) -> Failure {
        Failure {
            message: e.to_string(),
            exit_code: 125,
        }
    }
    /// A runtime error, with Docker's code when the process could not be
    /// executed (found missing at create, or failing at execve on start).
    fn runtime(e: crate::runtime::container::RuntimeError) -> Failure {
        use crate::runtime::container::RuntimeError as R;
        let exit_code = match &e {
            R::Init(m) => exit_code_of_start_error(m),
            R::Io { context, .. } if context.starts_with("exec") => {
                crate::runtime::init::exit_code_for(&e)
            }
            _ => 125,
        };
        Failure {
            message: e.to_string(),
            exit_code,
        }
    }
    fn io(e: std::io::Error) -> Failure {
        Failure {
            message: e.to_string(),
            exit_code: 125,
        }
    }
}

/// Docker's codes for a process that could not be started: 127 when the
/// executable does not exist, 126 when it cannot be run.
fn exit_code_of_start_error(message: &str) -> i32 {
    let m = message.to_ascii_lowercase();
    if m.contains("not found") || m.contains("no such file") {
        127
    } else if m.contains("permission denied") || m.contains("exec format") {
        126
    } else {
        125
    }
}

/// Processes reparented to us (we are a subreaper) that ended meanwhile.
fn reap_strays() {
    use nix::sys::wait::{WaitPidFlag, waitpid};
    while let Ok(s) = waitpid(None, Some(WaitPidFlag::WNOHANG | WaitPidFlag::__WALL)) {
        if s == nix::sys::wait::WaitStatus::StillAlive {
            break;
        }
    }
}

/// Used by the starter: the control socket end the monitor inherits.
pub fn inheritable(s: &UnixStream) -> std::io::Result<i32> {
    use std::os::fd::AsRawFd;
    sp::set_inheritable(s.as_fd())?;
    Ok(s.as_raw_fd())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn start_errors_map_to_docker_codes() {
        assert_eq!(
            exit_code_of_start_error("exec: \"nope\": executable file not found in $PATH"),
            127
        );
        assert_eq!(
            exit_code_of_start_error("exec \"/etc\": Permission denied (os error 13)"),
            126
        );
        assert_eq!(exit_code_of_start_error("mount failed"), 125);
    }

    #[test]
    fn reports_are_json_lines() {
        let r = Report::Created {
            pid: 5,
            monitor_pid: 4,
            monitor_start_time: 9,
        };
        let s = serde_json::to_string(&r).unwrap();
        assert_eq!(
            s,
            r#"{"event":"created","pid":5,"monitor_pid":4,"monitor_start_time":9}"#
        );
        let back: Report = serde_json::from_str(&s).unwrap();
        assert!(matches!(back, Report::Created { pid: 5, .. }));
    }
}
