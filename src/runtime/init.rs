//! The container init: the child side of `create`, from the namespaces to the
//! blocking open of `exec.fifo`, and then to execve of the user program.
//!
//! It never re-execs skiff: everything below runs in the forked copy of the
//! runtime, which becomes non-dumpable as soon as its namespaces are set (so
//! nothing can ptrace it or open its /proc/<pid>/exe while it waits to be
//! started), and replaces itself with the user program at the very end.
use std::ffi::CString;
use std::fs::File;
use std::io::Write;
use std::os::fd::{AsFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use oci_spec::runtime::{LinuxNamespaceType, Process, Spec};

use super::error::RuntimeError;
use super::hooks::{HookKind, run_hooks};
use super::rootfs::{self, RootfsContext};
use super::security::{self, SeccompFilter};
use super::state::{FIFO_FILE, State, Status};
use super::sync::{self, Channel};
use super::tty::{ConsoleSocket, setup_console_on};
use crate::sys::process::{self as sp, CloneFlags};

/// How the init gets into its namespaces.
pub struct NsPlan {
    /// Flags for the clone that creates the init (the fast path: every
    /// namespace is new, so one clone puts the child in all of them).
    pub clone_flags: CloneFlags,
    /// Otherwise: the child joins `joins` (user first, mount last), then
    /// unshares these.
    pub unshare_flags: CloneFlags,
    pub joins: Vec<(CloneFlags, File)>,
    pub new_user: bool,
    pub in_user_ns: bool,
    /// A pid (or time) namespace entered by unshare/setns applies to children
    /// only: one more fork makes the init.
    pub fork_after: bool,
    /// Unshared by the init after it was placed in its cgroup, so the
    /// namespace's root is the container's cgroup.
    pub new_cgroup: bool,
    /// Contents for /proc/self/timens_offsets.
    pub time_offsets: Option<String>,
}

pub fn clone_flag(t: LinuxNamespaceType) -> CloneFlags {
    match t {
        LinuxNamespaceType::Mount => CloneFlags::CLONE_NEWNS,
        LinuxNamespaceType::Cgroup => CloneFlags::CLONE_NEWCGROUP,
        LinuxNamespaceType::Uts => CloneFlags::CLONE_NEWUTS,
        LinuxNamespaceType::Ipc => CloneFlags::CLONE_NEWIPC,
        LinuxNamespaceType::User => CloneFlags::CLONE_NEWUSER,
        LinuxNamespaceType::Pid => CloneFlags::CLONE_NEWPID,
        LinuxNamespaceType::Network => CloneFlags::CLONE_NEWNET,
        LinuxNamespaceType::Time => CloneFlags::from_bits_retain(libc::CLONE_NEWTIME),
    }
}

impl NsPlan {
    /// Opens the namespaces to join (in the runtime, so paths resolve in the
    /// runtime's mount namespace) and chooses between the two paths.
    pub fn new(spec: &Spec) -> Result<NsPlan, RuntimeError> {
        let mut new = CloneFlags::empty();
        let mut joins = Vec::new();
        let mut pid_joined = false;
        let mut user_joined = false;
        for (t, path) in super::spec::namespaces(spec) {
            let flag = clone_flag(t);
            match path {
                None => new |= flag,
                Some(p) => {
                    let f = File::open(&p).map_err(|e| {
                        RuntimeError::io(format!("opening {t} namespace {}", p.display()), e)
                    })?;
                    pid_joined |= t == LinuxNamespaceType::Pid;
                    user_joined |= t == LinuxNamespaceType::User;
                    joins.push((flag, f));
                }
            }
        }
        // Join order: user first (it owns the others), mount last (it changes
        // what paths mean).
        joins.sort_by_key(|(f, _)| match *f {
            CloneFlags::CLONE_NEWUSER => 0,
            CloneFlags::CLONE_NEWNS => 2,
            _ => 1,
        });
        let time = CloneFlags::from_bits_retain(libc::CLONE_NEWTIME);
        let new_cgroup = new.contains(CloneFlags::CLONE_NEWCGROUP);
        new.remove(CloneFlags::CLONE_NEWCGROUP);
        let time_offsets = spec
            .linux()
            .as_ref()
            .and_then(|l| l.time_offsets().as_ref())
            .filter(|t| !t.is_empty())
            .map(|t| {
                t.iter()
                    .map(|(clock, o)| {
                        format!(
                            "{clock} {} {}\n",
                            o.secs().unwrap_or(0),
                            o.nanosecs().unwrap_or(0)
                        )
                    })
                    .collect()
            });
        let fast = joins.is_empty() && !new.contains(time);
        Ok(NsPlan {
            clone_flags: if fast { new } else { CloneFlags::empty() },
            unshare_flags: if fast { CloneFlags::empty() } else { new },
            fork_after: !fast
                && (pid_joined || new.contains(CloneFlags::CLONE_NEWPID) || new.contains(time)),
            new_user: new.contains(CloneFlags::CLONE_NEWUSER),
            in_user_ns: new.contains(CloneFlags::CLONE_NEWUSER) || user_joined,
            joins,
            new_cgroup,
            time_offsets,
        })
    }
}

pub struct InitArgs<'a> {
    pub spec: &'a Spec,
    pub bundle: &'a Path,
    pub rootfs: &'a Path,
    /// O_PATH handle of `exec.fifo`, opened by the runtime before the clone.
    pub exec_fifo: std::os::fd::BorrowedFd<'a>,
    pub rootless: bool,
    pub no_pivot: bool,
    pub plan: &'a NsPlan,
    pub preserve_fds: u32,
    /// The seccomp agent's socket (`listenerPath`), connected by the
    /// runtime, when the filter notifies.
    pub seccomp_listener: Option<std::os::fd::BorrowedFd<'a>>,
}

/// Where a filter with SCMP_ACT_NOTIFY hands its listener fd once loaded:
/// the agent's socket and the container process state to send with it.
pub struct NotifyTarget<'a> {
    pub sock: std::os::fd::BorrowedFd<'a>,
    pub message: Vec<u8>,
}

/// runtime-spec's "container process state", sent to the seccomp agent
/// with the listener fd: `pid` is the process whose filter it is, the
/// metadata the spec's `listenerMetadata`.
pub fn notify_message(spec: &Spec, state: &State, pid: i32) -> Vec<u8> {
    let metadata = spec
        .linux()
        .as_ref()
        .and_then(|l| l.seccomp().as_ref())
        .and_then(|s| s.listener_metadata().as_deref());
    serde_json::to_vec(&serde_json::json!({
        "ociVersion": super::spec_default::OCI_VERSION,
        "fds": ["seccompFd"],
        "pid": pid,
        "metadata": metadata.unwrap_or(""),
        "state": state,
    }))
    .unwrap_or_default()
}

/// The agent's socket, connected by the runtime before the clone, with a
/// number at or above `min_fd` so the init's close-on-exec sweep (which
/// spares stdio and the preserved fds below it) covers it.
pub fn connect_seccomp_listener(spec: &Spec, min_fd: u32) -> Result<Option<OwnedFd>, RuntimeError> {
    let Some(seccomp) = spec.linux().as_ref().and_then(|l| l.seccomp().as_ref()) else {
        return Ok(None);
    };
    let Some(path) = seccomp
        .listener_path()
        .as_ref()
        .filter(|_| security::uses_notify(seccomp))
    else {
        return Ok(None);
    };
    let sock = std::os::unix::net::UnixStream::connect(path).map_err(|e| {
        RuntimeError::io(
            format!(
                "connecting to the seccomp agent at listenerPath {}",
                path.display()
            ),
            e,
        )
    })?;
    let fd = rustix::io::fcntl_dupfd_cloexec(&sock, min_fd as i32)
        .map_err(|e| RuntimeError::io("moving the seccomp agent socket", e.into()))?;
    Ok(Some(fd))
}

/// What the init holds between "created" and "start".
struct Created {
    fifo: OwnedFd,
    seccomp: Option<SeccompFilter>,
    state: State,
}

/// Where the init's filter sends its listener, with the state as of `start`.
fn notify_target<'a>(a: &InitArgs<'a>, state: &State) -> Option<NotifyTarget<'a>> {
    Some(NotifyTarget {
        sock: a.seccomp_listener?,
        message: notify_message(a.spec, state, state.pid.unwrap_or(0)),
    })
}

enum Setup {
    /// This process only forked the init and reported its pid.
    Intermediate,
    Init(Box<Created>),
}

/// The body of the cloned child. Returns the exit code (only on failure:
/// success ends in execve).
pub fn child_main(a: &InitArgs, mut ch: Channel, console: Option<ConsoleSocket>) -> i32 {
    let created = match setup(a, &mut ch, console) {
        Ok(Setup::Intermediate) => return 0,
        Ok(Setup::Init(c)) => c,
        Err(e) => {
            let _ = ch.send(sync::ERROR, e.to_string().as_bytes());
            return 1;
        }
    };
    drop(ch);
    start_phase(a, *created)
}

/// 127 for "not found", 126 for "cannot execute", 1 otherwise (shell style).
pub fn exit_code_for(e: &RuntimeError) -> i32 {
    match e {
        RuntimeError::Io { source, context } if context.starts_with("exec") => {
            match source.raw_os_error() {
                Some(libc::ENOENT) => 127,
                Some(libc::EACCES) | Some(libc::ENOEXEC) | Some(libc::EPERM) => 126,
                _ => 1,
            }
        }
        _ => 1,
    }
}

pub fn state_json(s: &State) -> Vec<u8> {
    serde_json::to_vec(s).unwrap_or_default()
}

fn setup(
    a: &InitArgs,
    ch: &mut Channel,
    console: Option<ConsoleSocket>,
) -> Result<Setup, RuntimeError> {
    let plan = a.plan;
    // An unprivileged parent writes our id maps through /proc/<pid>, which a
    // non-dumpable process's files forbid: then wait until the maps are in.
    let dumpable_until_mapped = plan.new_user && a.rootless;
    if !dumpable_until_mapped {
        sp::set_dumpable(false).map_err(|e| RuntimeError::io("prctl(PR_SET_DUMPABLE)", e))?;
    }
    if plan.clone_flags.is_empty() {
        for (flag, f) in &plan.joins {
            sp::setns(f.as_fd(), *flag)
                .map_err(|e| RuntimeError::io(format!("setns({flag:?})"), e))?;
        }
        if !plan.unshare_flags.is_empty() {
            sp::unshare(plan.unshare_flags)
                .map_err(|e| RuntimeError::io(format!("unshare({:?})", plan.unshare_flags), e))?;
        }
        if plan.new_user {
            ch.send(sync::USERNS, &[])?;
            ch.wait_ack()?;
        }
        if let Some(offsets) = &plan.time_offsets {
            std::fs::write("/proc/self/timens_offsets", offsets)
                .map_err(|e| RuntimeError::io("writing /proc/self/timens_offsets", e))?;
        }
        if plan.fork_after {
            let pid = sp::clone_into(CloneFlags::empty(), || {
                // The init proper: continue below in the new process.
                match init_setup(a, ch, console, dumpable_until_mapped) {
                    Ok(created) => start_phase(a, *created),
                    Err(e) => {
                        let _ = ch.send(sync::ERROR, e.to_string().as_bytes());
                        1
                    }
                }
            })
            .map_err(|e| RuntimeError::io("fork into the pid namespace", e))?;
            ch.send_i32(sync::PID, pid.as_raw())?;
            return Ok(Setup::Intermediate);
        }
    }
    init_setup(a, ch, console, dumpable_until_mapped).map(Setup::Init)
}

/// After "created": block until `start` opens the fifo, then run the
/// startContainer hooks and exec. `start` reads the fifo until EOF (execve
/// closes it), and any text after the first byte is our error.
fn start_phase(a: &InitArgs, created: Created) -> i32 {
    let mut fifo = match sp::reopen_for_write(created.fifo.as_fd()) {
        Ok(f) => File::from(f),
        Err(e) => {
            eprintln!("skiff init: opening {FIFO_FILE}: {e}");
            return 1;
        }
    };
    drop(created.fifo);
    if fifo.write_all(b"0").is_err() {
        return 1;
    }
    let mut state = created.state;
    state.status = Status::Created;
    let hooks = HookKind::StartContainer.select(a.spec.hooks().as_ref());
    let err = match run_hooks(HookKind::StartContainer, hooks, &state_json(&state)) {
        Err(e) => e,
        Ok(()) => {
            let process = a.spec.process().as_ref().expect("validated at create");
            let notify = notify_target(a, &state);
            finish_and_exec(process, created.seccomp.as_ref(), notify, a.preserve_fds)
        }
    };
    let _ = fifo.write_all(err.to_string().as_bytes());
    exit_code_for(&err)
}

/// From "I am the init in my namespaces" to "created".
fn init_setup(
    a: &InitArgs,
    ch: &mut Channel,
    console: Option<ConsoleSocket>,
    dumpable_until_mapped: bool,
) -> Result<Box<Created>, RuntimeError> {
    let spec = a.spec;
    let process = spec.process().as_ref().expect("validated at create");
    ch.send(sync::READY, &[])?;
    let data = ch.wait_ack()?;
    let state: State = serde_json::from_slice(&data)
        .map_err(|e| RuntimeError::Init(format!("bad state from the runtime: {e}")))?;
    if dumpable_until_mapped {
        sp::set_dumpable(false).map_err(|e| RuntimeError::io("prctl(PR_SET_DUMPABLE)", e))?;
    }
    if a.plan.new_cgroup {
        sp::unshare(CloneFlags::CLONE_NEWCGROUP)
            .map_err(|e| RuntimeError::io("unshare(CLONE_NEWCGROUP)", e))?;
    }
    if a.plan.in_user_ns {
        become_ns_root()?;
    }
    rootfs::set_hostname(spec)?;
    let fifo = a
        .exec_fifo
        .try_clone_to_owned()
        .map_err(|e| RuntimeError::io("duplicating the exec.fifo handle", e))?;
    if let Some(adj) = process.oom_score_adj() {
        set_oom_score_adj(adj)?;
    }
    let ctx = RootfsContext {
        spec,
        bundle: a.bundle,
        rootfs: a.rootfs.to_path_buf(),
        rootless: a.rootless,
        no_pivot: a.no_pivot,
    };
    rootfs::prepare(&ctx)?;
    let hooks = spec.hooks().as_ref();
    if !HookKind::Prestart.select(hooks).is_empty()
        || !HookKind::CreateRuntime.select(hooks).is_empty()
    {
        ch.send(sync::HOOKS, &[])?;
        ch.wait_ack()?;
    }
    run_hooks(
        HookKind::CreateContainer,
        HookKind::CreateContainer.select(hooks),
        &state_json(&state),
    )?;
    rootfs::pivot_and_finish(&ctx)?;
    rootfs::apply_sysctls(spec)?;
    if let Some(sock) = console {
        let size = process
            .console_size()
            .map(|b| (b.height() as u16, b.width() as u16));
        setup_console_on(sock, size)?;
    }
    set_rlimits(process)?;
    let seccomp = match spec.linux().as_ref().and_then(|l| l.seccomp().as_ref()) {
        Some(s) => Some(security::compile_seccomp(s)?),
        None => None,
    };
    // Like runc and crun: a program that does not exist fails `create`, not
    // `start` (engines map the two failures to different exit codes).
    check_program_exists(process)?;
    ch.send(sync::CREATED, &[])?;
    ch.wait_ack()?;
    Ok(Box::new(Created {
        fifo,
        seccomp,
        state,
    }))
}

/// In a user namespace, act as its root for the rootfs work (the process
/// may still carry an unmapped uid from outside).
fn become_ns_root() -> Result<(), RuntimeError> {
    use nix::unistd::{Gid, Uid, setresgid, setresuid};
    let _ = nix::unistd::setgroups(&[]);
    let z = Gid::from_raw(0);
    setresgid(z, z, z)
        .map_err(|e| RuntimeError::io("setresgid(0) in the user namespace", e.into()))?;
    let z = Uid::from_raw(0);
    setresuid(z, z, z).map_err(|e| RuntimeError::io("setresuid(0) in the user namespace", e.into()))
}

pub fn set_oom_score_adj(adj: i32) -> Result<(), RuntimeError> {
    match std::fs::write("/proc/self/oom_score_adj", adj.to_string()) {
        Ok(()) => Ok(()),
        Err(e) if adj < 0 && matches!(e.raw_os_error(), Some(libc::EACCES) | Some(libc::EPERM)) => {
            Err(RuntimeError::Unsupported(format!(
                "oomScoreAdj {adj} refused: no CAP_SYS_RESOURCE"
            )))
        }
        Err(e) => Err(RuntimeError::io(format!("setting oomScoreAdj {adj}"), e)),
    }
}

pub fn set_rlimits(process: &Process) -> Result<(), RuntimeError> {
    for r in process.rlimits().as_deref().unwrap_or(&[]) {
        let name = serde_json::to_value(r.typ())
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        sp::set_rlimit(&name, r.soft(), r.hard()).map_err(|e| {
            RuntimeError::io(
                format!("setrlimit {name} soft={} hard={}", r.soft(), r.hard()),
                e,
            )
        })?;
    }
    Ok(())
}

/// The last steps of every container process (init and exec): cwd, umask,
/// identity, no_new_privs, AppArmor, seccomp, descriptors, execve. Returns
/// only the error that stopped it.
pub fn finish_and_exec(
    process: &Process,
    seccomp: Option<&SeccompFilter>,
    notify: Option<NotifyTarget<'_>>,
    preserve_fds: u32,
) -> RuntimeError {
    match prepare_exec(process, seccomp, notify, preserve_fds) {
        Ok((path, argv, env)) => exec_resolved(&path, &argv, &env),
        Err(e) => e,
    }
}

type ExecPlan = (String, Vec<CString>, Vec<CString>);

fn prepare_exec(
    process: &Process,
    seccomp: Option<&SeccompFilter>,
    notify: Option<NotifyTarget<'_>>,
    preserve_fds: u32,
) -> Result<ExecPlan, RuntimeError> {
    let cwd = process.cwd();
    sp::chdir(cwd).map_err(|e| RuntimeError::io(format!("chdir to cwd {}", cwd.display()), e))?;
    // CVE-2024-21626: the cwd must be inside the container's root; a path
    // reached through a leaked host fd would read "(unreachable)/...".
    let here = std::env::current_dir()
        .map_err(|e| RuntimeError::io("checking the working directory", e))?;
    if !here.is_absolute() || here.as_os_str().as_bytes().starts_with(b"(unreachable)") {
        return Err(RuntimeError::InvalidSpec(format!(
            "cwd {} is outside the container",
            cwd.display()
        )));
    }
    sp::set_umask(process.user().umask().unwrap_or(0o022));
    let env: Vec<CString> = process
        .env()
        .as_deref()
        .unwrap_or(&[])
        .iter()
        .filter_map(|kv| CString::new(kv.as_bytes()).ok())
        .collect();
    let args = process.args().as_deref().unwrap_or(&[]);
    let argv: Vec<CString> = args
        .iter()
        .map(|a| CString::new(a.as_bytes()))
        .collect::<Result<_, _>>()
        .map_err(|_| RuntimeError::InvalidSpec("process.args contains a NUL byte".into()))?;
    // Nothing but stdio and the preserved fds may reach the program; marking
    // the rest CLOEXEC (rather than closing) keeps the error channel usable
    // should execve fail. Done before any seccomp filter is loaded: profiles
    // older than close_range (the runtime-tools default one, Docker's before
    // 2021) deny it with EPERM.
    sp::cloexec_from(3 + preserve_fds).map_err(|e| RuntimeError::io("close_range", e))?;
    let nnp = process.no_new_privileges().unwrap_or(false);
    let mut notify = notify;
    if !nnp && let Some(f) = seccomp {
        // Without no_new_privs, loading needs CAP_SYS_ADMIN: before the drop.
        f.load()?;
        hand_listener_over(f, notify.take())?;
    }
    security::apply_identity(process.user(), process.capabilities().as_ref())?;
    if nnp {
        security::set_no_new_privileges()?;
    }
    security::apply_apparmor(
        process
            .apparmor_profile()
            .as_deref()
            .filter(|p| !p.is_empty()),
    )?;
    sp::reset_signals().map_err(|e| RuntimeError::io("resetting signal handlers", e))?;
    if nnp && let Some(f) = seccomp {
        f.load()?;
        hand_listener_over(f, notify.take())?;
    }
    Ok((process_path(process).to_string(), argv, env))
}

/// Sends a just-loaded filter's notify listener to the seccomp agent and
/// closes our copy: the program never holds it. Until the agent has it, a
/// notified syscall of ours would block: only sendmsg and close run here.
fn hand_listener_over(
    f: &SeccompFilter,
    notify: Option<NotifyTarget<'_>>,
) -> Result<(), RuntimeError> {
    let Some(t) = notify.filter(|_| f.notifies()) else {
        return Ok(());
    };
    let listener = f.listener_fd()?;
    crate::sys::pty::send_fd(t.sock, listener.as_fd(), &t.message)
        .map_err(|e| RuntimeError::io("sending the seccomp listener to the agent", e))
}

/// execve with a PATH search like execvpe(3), in the container's root.
fn exec_resolved(path_var: &str, argv: &[CString], env: &[CString]) -> RuntimeError {
    let arg0 = argv[0].to_string_lossy().into_owned();
    if arg0.contains('/') {
        let e = sp::execve(&argv[0], argv, env);
        return RuntimeError::io(format!("exec {arg0:?}"), e);
    }
    let mut denied = None;
    for dir in candidates(path_var) {
        let full = format!("{dir}/{arg0}");
        let Ok(c) = CString::new(full) else { continue };
        let e = sp::execve(&c, argv, env);
        match e.raw_os_error() {
            Some(libc::ENOENT) | Some(libc::ENOTDIR) => continue,
            Some(libc::EACCES) => denied = Some(e),
            _ => return RuntimeError::io(format!("exec {arg0:?}"), e),
        }
    }
    match denied {
        Some(e) => RuntimeError::io(format!("exec {arg0:?}"), e),
        None => RuntimeError::io(
            format!("exec: {arg0:?}: executable file not found in $PATH"),
            std::io::Error::from_raw_os_error(libc::ENOENT),
        ),
    }
}

/// Fails with exec's "not found" error when `args[0]` names no file in the
/// container (after pivot_root, so paths resolve in the container's root).
fn check_program_exists(process: &oci_spec::runtime::Process) -> Result<(), RuntimeError> {
    let Some(arg0) = process.args().as_ref().and_then(|a| a.first()) else {
        return Ok(());
    };
    let not_found =
        |what: String| RuntimeError::io(what, std::io::Error::from_raw_os_error(libc::ENOENT));
    if arg0.contains('/') {
        let p = if arg0.starts_with('/') {
            std::path::PathBuf::from(arg0)
        } else {
            process.cwd().join(arg0)
        };
        return match std::fs::metadata(&p) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                Err(not_found(format!("exec {arg0:?}")))
            }
            _ => Ok(()),
        };
    }
    let found = candidates(process_path(process)).into_iter().any(|dir| {
        let dir = std::path::Path::new(dir);
        let dir = if dir.is_absolute() {
            dir.to_path_buf()
        } else {
            process.cwd().join(dir)
        };
        std::fs::metadata(dir.join(arg0)).is_ok_and(|m| m.is_file())
    });
    if found {
        Ok(())
    } else {
        Err(not_found(format!(
            "exec: {arg0:?}: executable file not found in $PATH"
        )))
    }
}

/// The PATH the program is looked up in: the last `PATH=` of its env, else
/// the usual default.
fn process_path(process: &oci_spec::runtime::Process) -> &str {
    process
        .env()
        .as_deref()
        .unwrap_or(&[])
        .iter()
        .rev()
        .find_map(|kv| kv.strip_prefix("PATH="))
        .unwrap_or("/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
}

/// PATH entries in order; an empty entry means the current directory.
pub fn candidates(path_var: &str) -> Vec<&str> {
    path_var
        .split(':')
        .map(|d| if d.is_empty() { "." } else { d })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_candidates() {
        assert_eq!(candidates("/a:/b"), ["/a", "/b"]);
        assert_eq!(candidates("/a::/b"), ["/a", ".", "/b"]);
    }

    #[test]
    fn exit_codes() {
        let nf = RuntimeError::io(
            "exec \"x\"",
            std::io::Error::from_raw_os_error(libc::ENOENT),
        );
        assert_eq!(exit_code_for(&nf), 127);
        let de = RuntimeError::io(
            "exec \"x\"",
            std::io::Error::from_raw_os_error(libc::EACCES),
        );
        assert_eq!(exit_code_for(&de), 126);
        assert_eq!(exit_code_for(&RuntimeError::Init("x".into())), 1);
    }

    #[test]
    fn plans() {
        let s = super::super::spec_default::default_spec(false);
        let p = NsPlan::new(&s).unwrap();
        // All new: one clone, no extra fork; the cgroup namespace comes later.
        assert!(
            p.clone_flags
                .contains(CloneFlags::CLONE_NEWPID | CloneFlags::CLONE_NEWNS)
        );
        assert!(!p.clone_flags.contains(CloneFlags::CLONE_NEWCGROUP));
        assert!(p.new_cgroup && !p.fork_after && !p.new_user);
        let mut v = serde_json::to_value(&s).unwrap();
        v["linux"]["namespaces"] = serde_json::json!([
            {"type": "pid"}, {"type": "mount"},
            {"type": "network", "path": "/proc/self/ns/net"},
            {"type": "user", "path": "/proc/self/ns/user"}
        ]);
        let s2: Spec = serde_json::from_value(v).unwrap();
        let p = NsPlan::new(&s2).unwrap();
        assert!(p.clone_flags.is_empty());
        assert!(p.fork_after && p.in_user_ns && !p.new_user);
        assert_eq!(p.joins[0].0, CloneFlags::CLONE_NEWUSER);
        assert!(p.unshare_flags.contains(CloneFlags::CLONE_NEWPID));
    }
}
