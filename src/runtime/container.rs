//! Container lifecycle: create, start, state, kill, delete, exec, and the
//! cgroup-backed pause/resume/update/ps. runtime-spec 1.2 semantics.
//!
//! Process model: `create` clones the init straight into its new namespaces
//! (one clone, no intermediate process unless joining namespaces or a time
//! namespace demands one; see `init::NsPlan`), talks to it over two pipes
//! (`sync`), writes state.json once when it is created, and returns; the
//! init then blocks opening `exec.fifo` for writing. `start` opens the fifo
//! for reading and reads until EOF: the first byte releases the init, EOF
//! means execve happened (the fifo is close-on-exec), any text in between is
//! the init's error. Nothing sleeps or polls: pipes, pidfds and EOF carry
//! every event.
use std::os::fd::AsFd;
use std::path::{Path, PathBuf};

use nix::unistd::Pid;
use oci_spec::runtime::{LinuxResources, Process, Spec};

pub use super::error::RuntimeError;
pub use super::spec_default::{OCI_VERSION, default_spec, features, signal_from_str};
pub use super::state::{State, Status};

use super::cgroups::{self, CgroupManager};
use super::error::IoContext;
use super::hooks::{HookKind, run_hooks};
use super::idmap;
use super::init::{InitArgs, NsPlan, child_main};
use super::state::{FIFO_FILE, Internal, LOCK_FILE, Record, check_transition, validate_id};
use super::sync::{self, Channel};
use super::tty::ConsoleSocket;
use crate::storage::atomic::FileLock;
use crate::sys::process as sp;

#[derive(Debug, Clone, Default)]
pub struct RuntimeOptions {
    pub root: PathBuf,
    pub systemd_cgroup: bool,
    pub debug: bool,
    pub log: Option<PathBuf>,
    pub log_format_json: bool,
}

pub struct Runtime {
    pub opts: RuntimeOptions,
}

#[derive(Debug, Clone, Default)]
pub struct CreateOptions {
    pub pid_file: Option<PathBuf>,
    pub console_socket: Option<PathBuf>,
    pub no_pivot: bool,
    pub no_new_keyring: bool,
    pub preserve_fds: u32,
}

#[derive(Debug, Clone)]
pub struct ExecOptions {
    pub process: Process,
    pub console_socket: Option<PathBuf>,
    pub pid_file: Option<PathBuf>,
    pub detach: bool,
    pub preserve_fds: u32,
}

/// Rootless: not real root, or inside a user namespace that is not the
/// initial one (e.g. under rootless Podman).
pub fn is_rootless() -> bool {
    crate::sys::effective_uid() != 0 || !sp::in_initial_userns()
}

const CGROUP_ROOT: &str = "/sys/fs/cgroup";

impl Runtime {
    pub fn new(opts: RuntimeOptions) -> Runtime {
        Runtime { opts }
    }

    /// `/run/skiff/runtime` as real root, `$XDG_RUNTIME_DIR/skiff/runtime`
    /// otherwise (falling back to `/tmp/skiff-runtime-<uid>`).
    pub fn default_root() -> PathBuf {
        if !is_rootless() {
            return PathBuf::from("/run/skiff/runtime");
        }
        match std::env::var_os("XDG_RUNTIME_DIR") {
            Some(d) if !d.is_empty() => PathBuf::from(d).join("skiff/runtime"),
            _ => PathBuf::from(format!(
                "/tmp/skiff-runtime-{}",
                crate::sys::effective_uid()
            )),
        }
    }

    /// Runtime-spec `features` (see `spec_default::features`).
    pub fn features() -> serde_json::Value {
        features()
    }

    fn dir(&self, id: &str) -> Result<PathBuf, RuntimeError> {
        validate_id(id)?;
        Ok(self.opts.root.join(id))
    }

    fn lock(&self, dir: &Path, id: &str) -> Result<FileLock, RuntimeError> {
        if !dir.is_dir() {
            return Err(RuntimeError::NotFound(id.to_string()));
        }
        let p = dir.join(LOCK_FILE);
        FileLock::exclusive(&p).ctx(|| format!("locking {}", p.display()))
    }

    /// A warning that does not stop the command: to the log file when there
    /// is one (logrus-style, as runc's callers expect), else stderr.
    pub(crate) fn warn(&self, msg: &str) {
        let Some(log) = &self.opts.log else {
            eprintln!("skiff runtime: warning: {msg}");
            return;
        };
        let time = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let line = if self.opts.log_format_json {
            serde_json::json!({"level": "warning", "msg": msg, "time": time}).to_string()
        } else {
            format!("time=\"{time}\" level=warning msg={msg:?}")
        };
        let f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(log);
        if let Ok(mut f) = f {
            let _ = std::io::Write::write_all(&mut f, format!("{line}\n").as_bytes());
        }
    }

    fn cgroup(&self, rec: &Record) -> Result<Box<dyn CgroupManager>, RuntimeError> {
        Ok(cgroups::manager(
            Path::new(CGROUP_ROOT),
            rec.skiff.cgroups_path.as_deref(),
            &rec.state.id,
            rec.skiff.rootless,
        )?)
    }

    pub fn create(&self, id: &str, bundle: &Path, o: &CreateOptions) -> Result<(), RuntimeError> {
        self.create_container(id, bundle, o, &mut |_| {})
            .map(|_| ())
    }

    /// [`Runtime::create`], calling `in_namespaces(pid)` once the init is in
    /// its namespaces and before it sets up its root filesystem, so work
    /// that only needs the namespaces (starting a network helper on its
    /// network namespace) overlaps the rest of the create. Returns the
    /// init's pid.
    pub fn create_observed(
        &self,
        id: &str,
        bundle: &Path,
        o: &CreateOptions,
        in_namespaces: &mut dyn FnMut(i32),
    ) -> Result<i32, RuntimeError> {
        self.create_container(id, bundle, o, in_namespaces)
            .map(|pid| pid.as_raw())
    }

    /// Creates the container; returns the init's pid.
    fn create_container(
        &self,
        id: &str,
        bundle: &Path,
        o: &CreateOptions,
        in_namespaces: &mut dyn FnMut(i32),
    ) -> Result<Pid, RuntimeError> {
        let dir = self.dir(id)?;
        let bundle = std::path::absolute(bundle).ctx(|| format!("bundle {}", bundle.display()))?;
        let spec = super::spec::load(&bundle)?;
        super::spec::validate(&spec, o.console_socket.is_some())?;
        super::security::validate(&spec)?;
        let rootfs = super::spec::rootfs_path(&spec, &bundle)?;
        let rootless = is_rootless();
        let plan = NsPlan::new(&spec)?;

        create_dir_mode(&self.opts.root, 0o711)?;
        match std::fs::create_dir(&dir) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                return Err(RuntimeError::Exists(id.to_string()));
            }
            Err(e) => return Err(RuntimeError::io(format!("creating {}", dir.display()), e)),
        }
        let mut guard = Cleanup {
            dir: dir.clone(),
            child: None,
            init: None,
            cgroup: None,
            cgroup_applied: false,
        };
        let _lock = FileLock::exclusive(&dir.join(LOCK_FILE))
            .ctx(|| format!("locking {}", dir.display()))?;
        let fifo = dir.join(FIFO_FILE);
        sp::mkfifo(&fifo, 0o600).ctx(|| format!("creating {}", fifo.display()))?;
        if !rootless && plan.new_user {
            // The init opens the fifo as the namespace's root.
            let host = |maps: Option<&Vec<oci_spec::runtime::LinuxIdMapping>>| {
                maps.and_then(|m| m.iter().find(|m| m.container_id() == 0))
                    .map(|m| m.host_id())
            };
            let l = spec.linux().as_ref();
            if let (Some(u), Some(g)) = (
                host(l.and_then(|l| l.uid_mappings().as_ref())),
                host(l.and_then(|l| l.gid_mappings().as_ref())),
            ) {
                std::os::unix::fs::chown(&fifo, Some(u), Some(g))
                    .ctx(|| format!("chown {}", fifo.display()))?;
            }
        }
        let linux = spec.linux().as_ref();
        let cgroups_path = linux
            .and_then(|l| l.cgroups_path().as_ref())
            .map(|p| p.display().to_string());
        guard.cgroup = Some(cgroups::manager(
            Path::new(CGROUP_ROOT),
            cgroups_path.as_deref(),
            id,
            rootless,
        )?);
        let console = o
            .console_socket
            .as_deref()
            .map(ConsoleSocket::connect)
            .transpose()?;
        let (p_rx, c_tx) = sp::pipe().ctx(|| "pipe".into())?;
        let (c_rx, p_tx) = sp::pipe().ctx(|| "pipe".into())?;
        let preserve_fds = o.preserve_fds + listen_fds();
        // Opened here, before any user namespace: the init inherits the handle
        // and needs no search permission on the state dir's ancestors (with a
        // uid range, its root is an unprivileged host uid).
        let fifo_handle = sp::open_path(&fifo).ctx(|| format!("opening {}", fifo.display()))?;
        // Connected here, by the runtime's user, while host paths resolve.
        let seccomp_listener = super::init::connect_seccomp_listener(&spec, 3 + preserve_fds)?;
        let args = InitArgs {
            spec: &spec,
            bundle: &bundle,
            rootfs: &rootfs,
            exec_fifo: fifo_handle.as_fd(),
            rootless,
            no_pivot: o.no_pivot,
            plan: &plan,
            preserve_fds,
            seccomp_listener: seccomp_listener.as_ref().map(|f| f.as_fd()),
        };
        let body = move || child_main(&args, Channel::new(c_tx, c_rx), console);
        // On cgroup v2 the init is born in its cgroup (no moving it later).
        let cgroup_dir = guard.cgroup.as_ref().and_then(|c| c.open_for_clone());
        let (child, born_in_cgroup) = match &cgroup_dir {
            Some(dir) => sp::clone_into_cgroup(plan.clone_flags, dir.as_fd(), body),
            None => sp::clone_into(plan.clone_flags, body).map(|pid| (pid, false)),
        }
        .ctx(|| format!("clone({:?})", plan.clone_flags))?;
        drop(cgroup_dir);
        guard.child = Some(child);
        let mut ch = Channel::new(p_tx, p_rx);
        let mut init = if plan.fork_after { None } else { Some(child) };
        guard.init = init;
        let mut ready = false;
        let mut mapped = false;
        let mut observed = false;
        let uid_maps = linux
            .and_then(|l| l.uid_mappings().clone())
            .unwrap_or_default();
        let gid_maps = linux
            .and_then(|l| l.gid_mappings().clone())
            .unwrap_or_default();
        let privileged = crate::sys::effective_uid() == 0;
        let owner = owner_name();
        let created = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Nanos, true);
        let make_state = |status: Status, pid: Pid| State {
            oci_version: OCI_VERSION.to_string(),
            id: id.to_string(),
            status,
            pid: Some(pid.as_raw()),
            bundle: bundle.display().to_string(),
            annotations: spec
                .annotations()
                .as_ref()
                .map(|a| a.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
                .unwrap_or_default(),
            rootfs: rootfs.display().to_string(),
            created: created.clone(),
            owner: owner.clone(),
        };
        loop {
            let Some((tag, payload)) = ch.recv()? else {
                return Err(RuntimeError::Init(
                    "the container init exited during create".into(),
                ));
            };
            match tag {
                sync::USERNS => {
                    idmap::write_maps(child.as_raw(), &uid_maps, &gid_maps, privileged)?;
                    mapped = true;
                    ch.send(sync::ACK, &[])?;
                }
                sync::PID => {
                    let pid = sync::as_i32(&payload)
                        .ok_or_else(|| RuntimeError::Init("bad pid message".into()))?;
                    init = Some(Pid::from_raw(pid));
                    guard.init = init;
                    // The intermediate has done its job; reap it now.
                    sp::wait_exit(child).ctx(|| "waiting for the intermediate process".into())?;
                    guard.child = None;
                }
                sync::READY => ready = true,
                sync::HOOKS => {
                    let pid = init.ok_or_else(|| RuntimeError::Init("hooks before pid".into()))?;
                    let json = super::init::state_json(&make_state(Status::Creating, pid));
                    let hooks = spec.hooks().as_ref();
                    let res =
                        run_hooks(HookKind::Prestart, HookKind::Prestart.select(hooks), &json)
                            .and_then(|()| {
                                run_hooks(
                                    HookKind::CreateRuntime,
                                    HookKind::CreateRuntime.select(hooks),
                                    &json,
                                )
                            });
                    if let Err(e) = res {
                        let _ = ch.send(sync::ABORT, &[]);
                        drop(guard);
                        self.poststop_after_failure(&spec, &make_state(Status::Stopped, pid));
                        return Err(e);
                    }
                    ch.send(sync::ACK, &[])?;
                }
                sync::CREATED => break,
                sync::ERROR => {
                    return Err(RuntimeError::Init(
                        String::from_utf8_lossy(&payload).into_owned(),
                    ));
                }
                t => return Err(RuntimeError::Init(format!("unexpected message {t}"))),
            }
            if ready && let Some(pid) = init {
                ready = false;
                if plan.new_user && !mapped {
                    idmap::write_maps(pid.as_raw(), &uid_maps, &gid_maps, privileged)?;
                    mapped = true;
                }
                let cg = guard.cgroup.as_ref().expect("set above");
                guard.cgroup_applied = true;
                if !born_in_cgroup {
                    cg.apply(pid.as_raw())?;
                }
                if let Some(r) = linux.and_then(|l| l.resources().as_ref()) {
                    cg.set(r)?;
                }
                let json = super::init::state_json(&make_state(Status::Creating, pid));
                ch.send(sync::ACK, &json)?;
                // After the ack: the init goes on with its rootfs meanwhile.
                if !observed {
                    observed = true;
                    in_namespaces(pid.as_raw());
                }
            }
        }
        let pid = init.ok_or_else(|| RuntimeError::Init("created without a pid".into()))?;
        let start_time = sp::start_time(pid.as_raw())
            .ok()
            .flatten()
            .ok_or_else(|| RuntimeError::Init("the container init vanished".into()))?;
        let record = Record {
            state: make_state(Status::Created, pid),
            skiff: Internal {
                init_pid: pid.as_raw(),
                init_start_time: start_time,
                rootless,
                cgroups_path,
                hooks: spec.hooks().clone(),
            },
        };
        record.save(&dir)?;
        if let Some(p) = &o.pid_file {
            crate::storage::atomic::write_file(p, pid.as_raw().to_string().as_bytes())
                .ctx(|| format!("writing pid file {}", p.display()))?;
        }
        ch.send(sync::ACK, &[])?;
        guard.disarm();
        Ok(pid)
    }

    fn poststop_after_failure(&self, spec: &Spec, state: &State) {
        let hooks = HookKind::Poststop.select(spec.hooks().as_ref());
        if let Err(e) = run_hooks(HookKind::Poststop, hooks, &super::init::state_json(state)) {
            self.warn(&e.to_string());
        }
    }

    pub fn start(&self, id: &str) -> Result<(), RuntimeError> {
        let dir = self.dir(id)?;
        let _lock = self.lock(&dir, id)?;
        let mut rec = Record::load(&dir, id)?;
        rec.refresh();
        check_transition("start", id, rec.state.status)?;
        let fifo_path = dir.join(FIFO_FILE);
        let out = release_init(&fifo_path, &rec)?;
        let _ = std::fs::remove_file(&fifo_path);
        if let Some(msg) = out {
            return Err(RuntimeError::Init(msg));
        }
        rec.state.status = Status::Running;
        rec.save(&dir)?;
        let json = super::init::state_json(&rec.state);
        let hooks = HookKind::Poststart.select(rec.skiff.hooks.as_ref());
        if let Err(e) = run_hooks(HookKind::Poststart, hooks, &json) {
            self.warn(&e.to_string());
        }
        Ok(())
    }

    /// create + start; without `detach`, waits for the init (forwarding
    /// signals), deletes the container and returns the exit code.
    pub fn run(
        &self,
        id: &str,
        bundle: &Path,
        o: &CreateOptions,
        detach: bool,
    ) -> Result<i32, RuntimeError> {
        if !detach {
            // Signals queue until the wait below; an init forked by an
            // intermediate becomes our child through the subreaper bit.
            crate::sys::userns::block_parent_signals()
                .map_err(|e| RuntimeError::io("blocking signals", e.into()))?;
            rustix::process::set_child_subreaper(Some(rustix::process::getpid()))
                .map_err(|e| RuntimeError::io("PR_SET_CHILD_SUBREAPER", e.into()))?;
        }
        let pid = self.create_container(id, bundle, o, &mut |_| {})?;
        if let Err(e) = self.start(id) {
            let _ = self.delete(id, true);
            return Err(e);
        }
        if detach {
            return Ok(0);
        }
        let end = crate::sys::userns::wait_forwarding(pid)
            .map_err(|e| RuntimeError::io("waiting for the container", e.into()))?;
        let code = match end {
            crate::sys::userns::ChildEnd::Exited(c) => c,
            crate::sys::userns::ChildEnd::Signaled(s) => 128 + s as i32,
        };
        self.delete(id, true)?;
        Ok(code)
    }

    pub fn state(&self, id: &str) -> Result<State, RuntimeError> {
        let dir = self.dir(id)?;
        let mut rec = Record::load(&dir, id)?;
        rec.refresh();
        Ok(rec.state)
    }

    pub fn list(&self) -> Result<Vec<State>, RuntimeError> {
        let rd = match std::fs::read_dir(&self.opts.root) {
            Ok(rd) => rd,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => {
                return Err(RuntimeError::io(
                    format!("reading {}", self.opts.root.display()),
                    e,
                ));
            }
        };
        let mut out = Vec::new();
        for ent in rd.flatten() {
            let Some(name) = ent.file_name().to_str().map(str::to_string) else {
                continue;
            };
            match self.state(&name) {
                Ok(s) => out.push(s),
                Err(RuntimeError::NotFound(_)) | Err(RuntimeError::InvalidId(_)) => {}
                Err(e) => return Err(e),
            }
        }
        out.sort_by(|a, b| a.created.cmp(&b.created).then(a.id.cmp(&b.id)));
        Ok(out)
    }

    pub fn kill(&self, id: &str, signal: i32, all: bool) -> Result<(), RuntimeError> {
        let dir = self.dir(id)?;
        let mut rec = Record::load(&dir, id)?;
        rec.refresh();
        check_transition("kill", id, rec.state.status)?;
        if all {
            let cg = self.cgroup(&rec)?;
            let pids = cg.pids()?;
            for p in &pids {
                match sp::kill(*p, signal) {
                    Ok(()) => {}
                    Err(e) if e.raw_os_error() == Some(libc::ESRCH) => {}
                    Err(e) => return Err(RuntimeError::io(format!("kill {p}"), e)),
                }
            }
            if rec.state.status == Status::Paused && signal == libc::SIGKILL {
                // Frozen tasks act on SIGKILL only once thawed.
                cg.thaw()?;
            }
            if !pids.is_empty() {
                return Ok(());
            }
        }
        signal_init(&rec, signal)
    }

    pub fn delete(&self, id: &str, force: bool) -> Result<(), RuntimeError> {
        let dir = self.dir(id)?;
        let _lock = self.lock(&dir, id)?;
        let mut rec = match Record::load(&dir, id) {
            Ok(r) => r,
            Err(RuntimeError::NotFound(_)) if force => {
                // A create that died before writing its state: only files.
                return crate::sys::fs::remove_tree(&dir)
                    .ctx(|| format!("removing {}", dir.display()));
            }
            Err(e) => return Err(e),
        };
        rec.refresh();
        if rec.state.status != Status::Stopped {
            if !force {
                return check_transition("delete", id, rec.state.status);
            }
            let paused = rec.state.status == Status::Paused;
            kill_and_wait(&rec)?;
            if paused && let Ok(cg) = self.cgroup(&rec) {
                let _ = cg.thaw();
            }
        }
        match self.cgroup(&rec) {
            Ok(cg) => {
                // Without a pid namespace, children of the init outlive it.
                if let Ok(pids) = cg.pids() {
                    for p in pids {
                        let _ = sp::kill(p, libc::SIGKILL);
                    }
                }
                if let Err(e) = cg.destroy() {
                    self.warn(&format!("removing the cgroup of {id}: {e}"));
                }
            }
            Err(e) => self.warn(&format!("cgroup of {id}: {e}")),
        }
        crate::sys::fs::remove_tree(&dir).ctx(|| format!("removing {}", dir.display()))?;
        rec.state.status = Status::Stopped;
        rec.state.pid = None;
        let hooks = HookKind::Poststop.select(rec.skiff.hooks.as_ref());
        if let Err(e) = run_hooks(
            HookKind::Poststop,
            hooks,
            &super::init::state_json(&rec.state),
        ) {
            self.warn(&e.to_string());
        }
        Ok(())
    }

    pub fn exec(&self, id: &str, o: &ExecOptions) -> Result<i32, RuntimeError> {
        let dir = self.dir(id)?;
        let mut rec = Record::load(&dir, id)?;
        rec.refresh();
        check_transition("exec", id, rec.state.status)?;
        let spec = super::spec::load(Path::new(&rec.state.bundle))?;
        let cg = self.cgroup(&rec)?;
        super::exec::exec(self, &rec, &spec, cg.as_ref(), o)
    }

    pub fn ps(&self, id: &str) -> Result<Vec<i32>, RuntimeError> {
        let dir = self.dir(id)?;
        let mut rec = Record::load(&dir, id)?;
        rec.refresh();
        let mut pids = self.cgroup(&rec)?.pids()?;
        if pids.is_empty() && rec.state.status != Status::Stopped {
            // No cgroup of our own (rootless without delegation): the init.
            pids.push(rec.skiff.init_pid);
        }
        pids.sort_unstable();
        Ok(pids)
    }

    /// Usage figures of the container's cgroup; `CgroupError::NoCgroup`
    /// when it runs without one (rootless without delegation).
    pub fn stats(&self, id: &str) -> Result<cgroups::CgroupStats, RuntimeError> {
        let dir = self.dir(id)?;
        let rec = Record::load(&dir, id)?;
        Ok(self.cgroup(&rec)?.stats()?)
    }

    pub fn pause(&self, id: &str) -> Result<(), RuntimeError> {
        self.freeze(id, true)
    }

    pub fn resume(&self, id: &str) -> Result<(), RuntimeError> {
        self.freeze(id, false)
    }

    fn freeze(&self, id: &str, freeze: bool) -> Result<(), RuntimeError> {
        let dir = self.dir(id)?;
        let _lock = self.lock(&dir, id)?;
        let mut rec = Record::load(&dir, id)?;
        rec.refresh();
        let op = if freeze { "pause" } else { "resume" };
        check_transition(op, id, rec.state.status)?;
        let cg = self.cgroup(&rec)?;
        if !cg.can_freeze() {
            return Err(RuntimeError::Unsupported(format!(
                "cannot {op} container {id}: no cgroup freezer is available to it"
            )));
        }
        if freeze {
            cg.freeze()?;
            rec.state.status = Status::Paused;
        } else {
            cg.thaw()?;
            rec.state.status = Status::Running;
        }
        rec.save(&dir)
    }

    pub fn update(&self, id: &str, r: &LinuxResources) -> Result<(), RuntimeError> {
        let dir = self.dir(id)?;
        let _lock = self.lock(&dir, id)?;
        let mut rec = Record::load(&dir, id)?;
        rec.refresh();
        check_transition("update", id, rec.state.status)?;
        Ok(self.cgroup(&rec)?.set(r)?)
    }
}

/// Undoes a failed create: the init dies, the cgroup and state dir go.
struct Cleanup {
    dir: PathBuf,
    child: Option<Pid>,
    init: Option<Pid>,
    cgroup: Option<Box<dyn CgroupManager>>,
    cgroup_applied: bool,
}

impl Cleanup {
    fn disarm(mut self) {
        self.child = None;
        self.init = None;
        self.cgroup_applied = false;
        self.dir = PathBuf::new();
    }
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        if let Some(init) = self.init
            && let Ok(pfd) = sp::pidfd_open(init.as_raw())
        {
            let _ = sp::pidfd_send_signal(pfd.as_fd(), libc::SIGKILL);
            let _ = sp::poll_readable(pfd.as_fd(), -1);
        }
        if let Some(child) = self.child {
            let _ = sp::kill(child.as_raw(), libc::SIGKILL);
            let _ = sp::wait_exit(child);
        }
        if self.cgroup_applied
            && let Some(cg) = &self.cgroup
        {
            let _ = cg.destroy();
        }
        if !self.dir.as_os_str().is_empty() {
            let _ = crate::sys::fs::remove_tree(&self.dir);
        }
    }
}

/// Releases the init blocked on the fifo and waits until it has exec'd
/// (EOF) or failed (`Some(message)`).
fn release_init(fifo_path: &Path, rec: &Record) -> Result<Option<String>, RuntimeError> {
    use rustix::fs::{Mode, OFlags};
    // Check and hold the init before opening the fifo: the open itself
    // releases it, and a short program may exec and exit at once.
    let pidfd = sp::pidfd_open(rec.skiff.init_pid)
        .map_err(|e| RuntimeError::io("pidfd_open of the container init", e))?;
    if !rec.init_alive() {
        return Err(RuntimeError::Init("the container init is gone".into()));
    }
    let fifo = rustix::fs::open(
        fifo_path,
        OFlags::RDONLY | OFlags::NONBLOCK | OFlags::CLOEXEC,
        Mode::empty(),
    )
    .map_err(|e| RuntimeError::io(format!("opening {}", fifo_path.display()), e.into()))?;
    // A reader that opened before any writer sees no hangup, only data: wait
    // for data from the fifo or for the init's death, whichever comes first.
    let (data_ready, _) = sp::poll_two(fifo.as_fd(), pidfd.as_fd())
        .map_err(|e| RuntimeError::io("waiting for the container init", e))?;
    if !data_ready {
        return Err(RuntimeError::Init(
            "the container init exited before it was started".into(),
        ));
    }
    rustix::fs::fcntl_setfl(&fifo, OFlags::empty())
        .map_err(|e| RuntimeError::io("fcntl on the fifo", e.into()))?;
    let mut out = Vec::new();
    std::io::Read::read_to_end(&mut std::fs::File::from(fifo), &mut out)
        .map_err(|e| RuntimeError::io("reading the fifo", e))?;
    match out.split_first() {
        None => Err(RuntimeError::Init(
            "the container init exited before it was started".into(),
        )),
        Some((_, [])) => Ok(None),
        Some((_, rest)) => Ok(Some(String::from_utf8_lossy(rest).into_owned())),
    }
}

/// Signals the init through a pidfd, after checking the pid still names it.
fn signal_init(rec: &Record, signal: i32) -> Result<(), RuntimeError> {
    let pfd = sp::pidfd_open(rec.skiff.init_pid);
    // The pidfd pins the process: check its identity after opening it.
    let alive = rec.init_alive();
    match pfd {
        Ok(pfd) if alive => sp::pidfd_send_signal(pfd.as_fd(), signal)
            .ctx(|| format!("signalling the container init ({})", rec.skiff.init_pid)),
        _ => Err(RuntimeError::WrongState {
            id: rec.state.id.clone(),
            op: "kill",
            status: Status::Stopped.as_str(),
        }),
    }
}

fn kill_and_wait(rec: &Record) -> Result<(), RuntimeError> {
    let Ok(pfd) = sp::pidfd_open(rec.skiff.init_pid) else {
        return Ok(());
    };
    if !rec.init_alive() {
        return Ok(());
    }
    match sp::pidfd_send_signal(pfd.as_fd(), libc::SIGKILL) {
        Ok(()) => {}
        Err(e) if e.raw_os_error() == Some(libc::ESRCH) => return Ok(()),
        Err(e) => return Err(RuntimeError::io("killing the container init", e)),
    }
    sp::poll_readable(pfd.as_fd(), -1).ctx(|| "waiting for the container init".into())?;
    Ok(())
}

/// `LISTEN_FDS` of socket activation: those fds pass to the container too.
fn listen_fds() -> u32 {
    std::env::var("LISTEN_FDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

fn owner_name() -> String {
    let uid = nix::unistd::Uid::effective();
    match nix::unistd::User::from_uid(uid) {
        Ok(Some(u)) => u.name,
        _ => uid.to_string(),
    }
}

fn create_dir_mode(p: &Path, mode: u32) -> Result<(), RuntimeError> {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(mode)
        .create(p)
        .ctx(|| format!("creating {}", p.display()))
}
