//! Raw pieces of entering a user namespace: unshare, identity switch, mount
//! propagation, inherited pipe fds and the signal-forwarding wait of the
//! parent. `crate::rootless` owns the protocol; this file only wraps syscalls.
use std::os::fd::{FromRawFd, OwnedFd, RawFd};

use nix::errno::Errno;
use nix::sys::signal::{SigSet, SigmaskHow, Signal};
use nix::sys::signalfd::{SfdFlags, SignalFd};
use nix::sys::wait::{WaitPidFlag, WaitStatus};
use nix::unistd::{Gid, Pid, Uid};

/// Signals the re-exec parent relays to its child.
pub const FORWARDED_SIGNALS: [Signal; 4] = [
    Signal::SIGINT,
    Signal::SIGTERM,
    Signal::SIGHUP,
    Signal::SIGQUIT,
];

/// `si_code` of a signal the kernel generated itself (for instance ^C on a
/// terminal, which already reached the whole foreground process group).
const SI_KERNEL: i32 = 0x80;

/// Unshares a user and a mount namespace, then sets `env_key=env_value`.
///
/// The environment is rewritten here because only right after a successful
/// `unshare(CLONE_NEWUSER)` is it proven that no other thread exists.
pub fn unshare_user_mount(env_key: &str, env_value: &str) -> Result<(), Errno> {
    nix::sched::unshare(
        nix::sched::CloneFlags::CLONE_NEWUSER | nix::sched::CloneFlags::CLONE_NEWNS,
    )?;
    // The kernel refuses CLONE_NEWUSER with EINVAL in a process with more
    // than one thread: this process is single-threaded right now.
    set_env_single_threaded(env_key, env_value)
}

/// setenv(3) for a process known to have one thread, without std's
/// environment lock: a process forked from a multi-threaded one (a test
/// harness) may have inherited that lock held by a thread that does not
/// exist here, and would wait for it forever.
fn set_env_single_threaded(key: &str, value: &str) -> Result<(), Errno> {
    let (Ok(k), Ok(v)) = (std::ffi::CString::new(key), std::ffi::CString::new(value)) else {
        return Err(Errno::EINVAL);
    };
    // SAFETY: the caller proved the process single-threaded, so nothing
    // reads or writes the environment concurrently; both strings are valid
    // NUL-terminated C strings that setenv copies.
    if unsafe { libc::setenv(k.as_ptr(), v.as_ptr(), 1) } != 0 {
        return Err(Errno::last());
    }
    Ok(())
}

/// Joins the user namespace `ns`, then sets `env_key=env_value`.
pub fn join_user_ns(
    ns: std::os::fd::BorrowedFd<'_>,
    env_key: &str,
    env_value: &str,
) -> Result<(), Errno> {
    nix::sched::setns(ns, nix::sched::CloneFlags::CLONE_NEWUSER)?;
    // setns(CLONE_NEWUSER) fails with EINVAL in a process with more than
    // one thread: this process is single-threaded right now.
    set_env_single_threaded(env_key, env_value)
}

/// Takes ownership of a pipe end the re-exec parent passed down by number,
/// marking it close-on-exec so it never reaches a command we exec later.
pub fn adopt_inherited_pipe(raw: RawFd) -> Result<OwnedFd, Errno> {
    // Never adopt stdio or a negative number, whatever the marker says.
    if raw <= 2 {
        return Err(Errno::EBADF);
    }
    // SAFETY: fcntl(F_GETFD) on any integer is harmless; it only reports
    // whether the descriptor is open.
    if unsafe { libc::fcntl(raw, libc::F_GETFD) } < 0 {
        return Err(Errno::last());
    }
    // SAFETY: the descriptor is open (checked above) and was created by the
    // parent solely for this handshake; no other object in this process owns
    // it, so wrapping it in an OwnedFd gives it exactly one owner.
    let fd = unsafe { OwnedFd::from_raw_fd(raw) };
    let st = rustix::fs::fstat(&fd).map_err(|e| Errno::from_raw(e.raw_os_error()))?;
    if rustix::fs::FileType::from_raw_mode(st.st_mode) != rustix::fs::FileType::Fifo {
        // Not ours after all: give it back untouched instead of closing it.
        let _ = std::os::fd::IntoRawFd::into_raw_fd(fd);
        return Err(Errno::EBADF);
    }
    rustix::io::fcntl_setfd(&fd, rustix::io::FdFlags::CLOEXEC)
        .map_err(|e| Errno::from_raw(e.raw_os_error()))?;
    Ok(fd)
}

/// Asks the kernel to SIGKILL this process when its parent dies, so the
/// re-executed child never outlives a killed `skiff` (the handshake that
/// follows fails if the parent was already gone).
pub fn die_with_parent() -> Result<(), Errno> {
    rustix::process::set_parent_process_death_signal(Some(rustix::process::Signal::KILL))
        .map_err(|e| Errno::from_raw(e.raw_os_error()))
}

/// A pipe whose both ends are inheritable (no CLOEXEC); the caller marks the
/// end it keeps with [`set_cloexec`].
pub fn inheritable_pipe() -> Result<(OwnedFd, OwnedFd), Errno> {
    rustix::pipe::pipe().map_err(|e| Errno::from_raw(e.raw_os_error()))
}

pub fn set_cloexec(fd: &OwnedFd) -> Result<(), Errno> {
    rustix::io::fcntl_setfd(fd, rustix::io::FdFlags::CLOEXEC)
        .map_err(|e| Errno::from_raw(e.raw_os_error()))
}

/// Becomes uid/gid 0 in the new namespace; drops supplementary groups when
/// `/proc/self/setgroups` still allows it.
pub fn become_root(drop_groups: bool) -> Result<(), Errno> {
    let root_g = Gid::from_raw(0);
    let root_u = Uid::from_raw(0);
    nix::unistd::setresgid(root_g, root_g, root_g)?;
    nix::unistd::setresuid(root_u, root_u, root_u)?;
    if drop_groups {
        nix::unistd::setgroups(&[])?;
    }
    Ok(())
}

/// `mount --make-rprivate /`: nothing we mount may propagate to the host.
pub fn make_root_rprivate() -> Result<(), Errno> {
    use rustix::mount::MountPropagationFlags as F;
    rustix::mount::mount_change("/", F::PRIVATE | F::REC)
        .map_err(|e| Errno::from_raw(e.raw_os_error()))
}

/// Blocks the forwarded signals and SIGCHLD so they queue up until
/// [`wait_forwarding`] reads them (per thread: call while single-threaded). Call before spawning the child, so neither
/// its exit nor an early ^C can be missed. The child inherits this mask
/// (`Command` does not reset it), so the result, a bitmask (bit n = signal
/// n) of the signals that were not blocked before, must reach the child for
/// [`unblock_signals`].
pub fn block_parent_signals() -> Result<u64, Errno> {
    let mut old = SigSet::empty();
    nix::sys::signal::sigprocmask(
        SigmaskHow::SIG_BLOCK,
        Some(&parent_sigset()),
        Some(&mut old),
    )?;
    Ok(parent_sigset()
        .iter()
        .filter(|s| !old.contains(*s))
        .fold(0u64, |m, s| m | 1 << (s as i32)))
}

/// Unblocks the signals named in a [`block_parent_signals`] bitmask;
/// pending ones are delivered now.
pub fn unblock_signals(mask: u64) -> Result<(), Errno> {
    let mut set = SigSet::empty();
    for s in Signal::iterator().filter(|s| (*s as i32) < 64 && mask & (1 << (*s as i32)) != 0) {
        set.add(s);
    }
    nix::sys::signal::sigprocmask(SigmaskHow::SIG_UNBLOCK, Some(&set), None)
}

fn parent_sigset() -> SigSet {
    let mut set = SigSet::empty();
    for s in FORWARDED_SIGNALS {
        set.add(s);
    }
    set.add(Signal::SIGCHLD);
    set
}

/// How the waited-for child ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChildEnd {
    Exited(i32),
    Signaled(Signal),
}

/// Waits for `child`, relaying forwarded signals that another process sent
/// to us; signals the kernel raised (terminal ^C, hangup) already reached the
/// child through the shared process group and are not sent twice.
/// Requires [`block_parent_signals`] to have run first.
pub fn wait_forwarding(child: Pid) -> Result<ChildEnd, Errno> {
    let sfd = SignalFd::with_flags(&parent_sigset(), SfdFlags::SFD_CLOEXEC)?;
    loop {
        // The child may already be gone (its SIGCHLD is then pending too), so
        // check before blocking; WNOHANG keeps this from ever sleeping here.
        if let Some(end) = reap(child, WaitPidFlag::WNOHANG)? {
            return Ok(end);
        }
        let info = match sfd.read_signal() {
            Ok(Some(i)) => i,
            Ok(None) | Err(Errno::EINTR) => continue,
            Err(e) => return Err(e),
        };
        let Ok(sig) = Signal::try_from(info.ssi_signo as i32) else {
            continue;
        };
        if sig != Signal::SIGCHLD && info.ssi_code != SI_KERNEL {
            // ESRCH: it just exited; the pending SIGCHLD ends the loop.
            match nix::sys::signal::kill(child, sig) {
                Ok(()) | Err(Errno::ESRCH) => {}
                Err(e) => return Err(e),
            }
        }
    }
}

fn reap(child: Pid, flags: WaitPidFlag) -> Result<Option<ChildEnd>, Errno> {
    loop {
        return match nix::sys::wait::waitpid(child, Some(flags)) {
            Ok(WaitStatus::Exited(_, code)) => Ok(Some(ChildEnd::Exited(code))),
            Ok(WaitStatus::Signaled(_, sig, _)) => Ok(Some(ChildEnd::Signaled(sig))),
            Ok(_) => Ok(None),
            Err(Errno::EINTR) => continue,
            Err(e) => Err(e),
        };
    }
}

/// Blocking wait for `child` without signal forwarding (error paths, tests).
pub fn wait_child(child: Pid) -> Result<ChildEnd, Errno> {
    loop {
        if let Some(end) = reap(child, WaitPidFlag::empty())? {
            return Ok(end);
        }
    }
}

/// Ends this process the way the child ended, so a shell sees the same
/// status: the same exit code, or death by the same signal.
pub fn exit_like(end: ChildEnd) -> ! {
    match end {
        ChildEnd::Exited(code) => std::process::exit(code),
        ChildEnd::Signaled(sig) => {
            // SAFETY: installing SIG_DFL runs no handler code of ours; the only
            // effect is that the raise below uses the default action.
            let _ = unsafe { nix::sys::signal::signal(sig, nix::sys::signal::SigHandler::SigDfl) };
            let mut set = SigSet::empty();
            set.add(sig);
            let _ = nix::sys::signal::raise(sig);
            // Blocked signals (all of the forwarded ones) fire on unblocking.
            let _ = nix::sys::signal::sigprocmask(SigmaskHow::SIG_UNBLOCK, Some(&set), None);
            // Signals whose default action does not terminate: the shell
            // convention for "killed by N".
            std::process::exit(128 + sig as i32)
        }
    }
}

pub fn kill_child(child: Pid) {
    let _ = nix::sys::signal::kill(child, Signal::SIGKILL);
}

/// Runs `f` in a forked child that exits with its return value. Test-only:
/// the test harness is multithreaded, and a user namespace can only be
/// unshared by a single-threaded process, which a fork child is.
#[cfg(test)]
pub fn fork_for_test(f: impl FnOnce() -> i32) -> Result<Pid, Errno> {
    // SAFETY: the child only runs `f` and then _exit()s without unwinding or
    // running atexit handlers. Tests accept the usual post-fork caveat (locks
    // held by other harness threads); the harness threads are idle waiting
    // for this test, and glibc keeps malloc usable across fork.
    match unsafe { nix::unistd::fork() }? {
        nix::unistd::ForkResult::Parent { child } => Ok(child),
        nix::unistd::ForkResult::Child => {
            let code = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).unwrap_or(101);
            // SAFETY: _exit ends the process immediately, which is what a fork
            // child of a test must do.
            unsafe { libc::_exit(code) }
        }
    }
}
