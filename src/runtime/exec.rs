//! `exec`: a new process in a running (or created) container. It joins the
//! init's namespaces through /proc/<pid>/ns/* (every one that differs from
//! ours: user first, mount last), its cgroup, and gets the container's
//! seccomp filter; the process settings come from the caller.
use std::fs::File;
use std::os::fd::AsFd;
use std::os::unix::fs::MetadataExt;

use nix::unistd::Pid;
use oci_spec::runtime::Spec;

use super::cgroups::CgroupManager;
use super::container::{ExecOptions, Runtime};
use super::error::{IoContext, RuntimeError};
use super::init::{NotifyTarget, exit_code_for, finish_and_exec, set_oom_score_adj, set_rlimits};
use super::state::Record;
use super::sync::{self, Channel};
use super::tty::{ConsoleSocket, setup_console_on};
use crate::sys::process::{self as sp, CloneFlags};

/// Namespace files in join order, with their clone flag.
const NAMESPACES: [(&str, CloneFlags); 8] = [
    ("user", CloneFlags::CLONE_NEWUSER),
    ("cgroup", CloneFlags::CLONE_NEWCGROUP),
    ("ipc", CloneFlags::CLONE_NEWIPC),
    ("uts", CloneFlags::CLONE_NEWUTS),
    ("net", CloneFlags::CLONE_NEWNET),
    ("pid", CloneFlags::CLONE_NEWPID),
    ("time", CloneFlags::from_bits_retain(libc::CLONE_NEWTIME)),
    ("mnt", CloneFlags::CLONE_NEWNS),
];

/// Opens the namespaces of `pid` that differ from this process's.
fn namespaces_of(pid: i32) -> Result<Vec<(CloneFlags, File)>, RuntimeError> {
    let mut out = Vec::new();
    for (name, flag) in NAMESPACES {
        let theirs = format!("/proc/{pid}/ns/{name}");
        let f = match File::open(&theirs) {
            Ok(f) => f,
            // A kernel without this namespace type.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            // A created init is not dumpable and still has the runtime's
            // memory map (host user namespace): its /proc files need
            // CAP_SYS_PTRACE on the host until it execs. Making it dumpable
            // would open /proc/<pid>/exe, the skiff binary, to the container.
            Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
                return Err(RuntimeError::Init(format!(
                    "cannot join the namespaces of process {pid}: a container that is created but not started can only be entered as root (its init is not dumpable until it runs the container's program); start it first"
                )));
            }
            Err(e) => return Err(RuntimeError::io(format!("opening {theirs}"), e)),
        };
        let a = f.metadata().ctx(|| format!("stat {theirs}"))?;
        let same = std::fs::metadata(format!("/proc/self/ns/{name}"))
            .is_ok_and(|b| a.dev() == b.dev() && a.ino() == b.ino());
        if !same {
            out.push((flag, f));
        }
    }
    Ok(out)
}

pub(crate) fn exec(
    rt: &Runtime,
    rec: &Record,
    spec: &Spec,
    cg: &dyn CgroupManager,
    o: &ExecOptions,
) -> Result<i32, RuntimeError> {
    let p = &o.process;
    if p.args().as_ref().is_none_or(|a| a.is_empty()) {
        return Err(RuntimeError::InvalidSpec(
            "exec: process.args must not be empty".into(),
        ));
    }
    if !p.cwd().is_absolute() {
        return Err(RuntimeError::InvalidSpec(format!(
            "exec: cwd {} is not absolute",
            p.cwd().display()
        )));
    }
    let terminal = p.terminal().unwrap_or(false);
    if terminal != o.console_socket.is_some() {
        return Err(RuntimeError::InvalidSpec(
            "exec: a terminal needs a console socket, and a console socket needs a terminal".into(),
        ));
    }
    let joins = namespaces_of(rec.skiff.init_pid)?;
    // The ns files were opened from the pid: make sure it was still the init.
    if !rec.init_alive() {
        return Err(RuntimeError::WrongState {
            id: rec.state.id.clone(),
            op: "exec",
            status: "stopped",
        });
    }
    let fork_after = joins
        .iter()
        .any(|(f, _)| *f == CloneFlags::CLONE_NEWPID || f.bits() == libc::CLONE_NEWTIME);
    let console = o
        .console_socket
        .as_deref()
        .map(ConsoleSocket::connect)
        .transpose()?;
    let seccomp = match spec.linux().as_ref().and_then(|l| l.seccomp().as_ref()) {
        Some(s) => Some(super::security::compile_seccomp(s)?),
        None => None,
    };
    // The exec'd process loads the filter too: its listener goes to the
    // same agent, through a socket connected here, outside the container.
    let listener = super::init::connect_seccomp_listener(spec, 3 + o.preserve_fds)?;
    let listener_fd = listener.as_ref().map(|f| f.as_fd());
    if !o.detach {
        crate::sys::userns::block_parent_signals()
            .map_err(|e| RuntimeError::io("blocking signals", e.into()))?;
        rustix::process::set_child_subreaper(Some(rustix::process::getpid()))
            .map_err(|e| RuntimeError::io("PR_SET_CHILD_SUBREAPER", e.into()))?;
    }
    let (p_rx, c_tx) = sp::pipe().ctx(|| "pipe".into())?;
    let (c_rx, p_tx) = sp::pipe().ctx(|| "pipe".into())?;
    let preserve = o.preserve_fds;
    let body = move || {
        let mut ch = Channel::new(c_tx, c_rx);
        let run = |ch: &mut Channel| -> Result<(), RuntimeError> {
            sp::set_dumpable(false).map_err(|e| RuntimeError::io("prctl(PR_SET_DUMPABLE)", e))?;
            for (flag, f) in &joins {
                sp::setns(f.as_fd(), *flag)
                    .map_err(|e| RuntimeError::io(format!("setns({flag:?})"), e))?;
            }
            drop(joins);
            if fork_after {
                // The copy of `ch` in the new process is its own channel.
                let pid = sp::clone_into(CloneFlags::empty(), || {
                    process_main(ch, o, console, seccomp.as_ref(), listener_fd, preserve)
                })
                .map_err(|e| RuntimeError::io("fork into the pid namespace", e))?;
                ch.send_i32(sync::PID, pid.as_raw())?;
                return Ok(());
            }
            let code = process_main(ch, o, console, seccomp.as_ref(), listener_fd, preserve);
            sp::exit_now(code)
        };
        match run(&mut ch) {
            Ok(()) => 0,
            Err(e) => {
                let _ = ch.send(sync::ERROR, e.to_string().as_bytes());
                1
            }
        }
    };
    // On cgroup v2 the process is born in the container's cgroup.
    let cgroup_dir = cg.open_for_clone();
    let (child, born_in_cgroup) = match &cgroup_dir {
        Some(dir) => sp::clone_into_cgroup(CloneFlags::empty(), dir.as_fd(), body),
        None => sp::clone_into(CloneFlags::empty(), body).map(|pid| (pid, false)),
    }
    .ctx(|| "fork for exec".into())?;
    drop(cgroup_dir);
    let mut ch = Channel::new(p_tx, p_rx);
    let mut pid = if fork_after { None } else { Some(child) };
    let mut child_reaped = false;
    // The forked process may say READY before its parent reports its pid.
    let mut ready = false;
    let fail = |child_reaped: bool, pid: Option<Pid>| {
        if let Some(p) = pid {
            let _ = sp::kill(p.as_raw(), libc::SIGKILL);
        }
        if !child_reaped {
            let _ = sp::wait_exit(child);
        }
    };
    loop {
        let msg = match ch.recv() {
            Ok(m) => m,
            Err(e) => {
                fail(child_reaped, pid);
                return Err(e);
            }
        };
        let Some((tag, payload)) = msg else { break };
        match tag {
            sync::PID => {
                pid = sync::as_i32(&payload).map(Pid::from_raw);
                let _ = sp::wait_exit(child);
                child_reaped = true;
            }
            sync::READY => ready = true,
            sync::ERROR => {
                fail(child_reaped, pid);
                return Err(RuntimeError::Init(
                    String::from_utf8_lossy(&payload).into_owned(),
                ));
            }
            t => {
                fail(child_reaped, pid);
                return Err(RuntimeError::Init(format!("exec: unexpected message {t}")));
            }
        }
        if ready && let Some(p) = pid {
            ready = false;
            if !born_in_cgroup && let Err(e) = cg.apply(p.as_raw()) {
                fail(child_reaped, pid);
                return Err(e.into());
            }
            // With a seccomp agent, the ack carries what to send it.
            let message = match listener {
                Some(_) => super::init::notify_message(spec, &rec.state, p.as_raw()),
                None => Vec::new(),
            };
            ch.send(sync::ACK, &message)?;
        }
    }
    // EOF: the process exec'd (its end of the pipe was close-on-exec).
    let Some(pid) = pid else {
        let _ = sp::wait_exit(child);
        return Err(RuntimeError::Init(
            "exec: the process exited during setup".into(),
        ));
    };
    if let Some(f) = &o.pid_file {
        crate::storage::atomic::write_file(f, pid.as_raw().to_string().as_bytes())
            .ctx(|| format!("writing pid file {}", f.display()))?;
    }
    if o.detach {
        return Ok(0);
    }
    let end = crate::sys::userns::wait_forwarding(pid)
        .map_err(|e| RuntimeError::io("waiting for the exec process", e.into()))?;
    let _ = rt;
    Ok(match end {
        crate::sys::userns::ChildEnd::Exited(c) => c,
        crate::sys::userns::ChildEnd::Signaled(s) => 128 + s as i32,
    })
}

/// The exec'd process after it is in the container's namespaces.
fn process_main(
    ch: &mut Channel,
    o: &ExecOptions,
    console: Option<ConsoleSocket>,
    seccomp: Option<&super::security::SeccompFilter>,
    listener: Option<std::os::fd::BorrowedFd<'_>>,
    preserve: u32,
) -> i32 {
    let mut message = Vec::new();
    let setup = |ch: &mut Channel| -> Result<(), RuntimeError> {
        ch.send(sync::READY, &[])?;
        message = ch.wait_ack()?;
        let p = &o.process;
        if let Some(sock) = console {
            let size = p
                .console_size()
                .map(|b| (b.height() as u16, b.width() as u16));
            setup_console_on(sock, size)?;
        }
        set_rlimits(p)?;
        if let Some(adj) = p.oom_score_adj() {
            set_oom_score_adj(adj)?;
        }
        Ok(())
    };
    let err = match setup(ch) {
        Err(e) => e,
        Ok(()) => {
            let notify = listener.map(|sock| NotifyTarget { sock, message });
            finish_and_exec(&o.process, seccomp, notify, preserve)
        }
    };
    let _ = ch.send(sync::ERROR, err.to_string().as_bytes());
    exit_code_for(&err)
}
