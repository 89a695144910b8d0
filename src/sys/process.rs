//! Process-level syscalls of the built-in runtime: clone with namespace flags,
//! setns/unshare, prctl, close_range, execve, waiting, fifos, pidfds, rlimits
//! and reading a process's start time. Safe wrappers only; the runtime
//! (`crate::runtime`) owns the protocol.
use std::ffi::CString;
use std::io;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd};
use std::path::Path;

use nix::errno::Errno;
use nix::sys::wait::{WaitPidFlag, WaitStatus};
use nix::unistd::Pid;

pub use nix::sched::CloneFlags;

fn io_err(e: Errno) -> io::Error {
    io::Error::from_raw_os_error(e as i32)
}

fn rx(e: rustix::io::Errno) -> io::Error {
    io::Error::from_raw_os_error(e.raw_os_error())
}

/// `struct clone_args` of clone3(2), version 2 (88 bytes: up to `cgroup`).
#[repr(C)]
#[derive(Default)]
struct CloneArgs {
    flags: u64,
    pidfd: u64,
    child_tid: u64,
    parent_tid: u64,
    exit_signal: u64,
    stack: u64,
    stack_size: u64,
    tls: u64,
    set_tid: u64,
    set_tid_size: u64,
    cgroup: u64,
}

/// `CLONE_INTO_CGROUP` (Linux 5.7): clone3 places the child in `cgroup`.
const CLONE_INTO_CGROUP: u64 = 0x2_0000_0000;

/// Creates a child process like fork(2), but directly inside the new
/// namespaces named by `flags` (so a new pid namespace needs no second fork).
/// The child runs `f` and `_exit`s with its return value; the parent gets the
/// child's pid. The caller must be single-threaded (the runtime is).
pub fn clone_into(flags: CloneFlags, f: impl FnOnce() -> i32) -> io::Result<Pid> {
    child_or_pid(raw_clone(flags, None), f)
}

/// [`clone_into`], with the child born in the cgroup v2 directory `cgroup`
/// (no window in which it runs, or forks, outside it). Where the kernel or
/// the cgroup cannot do that (EINVAL, EOPNOTSUPP, EBUSY...), it clones
/// plainly; the flag says which happened, so the caller moves the child.
pub fn clone_into_cgroup(
    flags: CloneFlags,
    cgroup: BorrowedFd<'_>,
    f: impl FnOnce() -> i32,
) -> io::Result<(Pid, bool)> {
    let mut ret = raw_clone(flags, Some(cgroup));
    let mut placed = true;
    if ret < 0 {
        placed = false;
        ret = raw_clone(flags, None);
    }
    child_or_pid(ret, f).map(|pid| (pid, placed))
}

/// clone3 (clone(2) where clone3 is missing and no cgroup is asked for);
/// the raw return value: the pid in the parent, 0 in the child, -1 on error.
fn raw_clone(flags: CloneFlags, cgroup: Option<BorrowedFd<'_>>) -> i64 {
    let mut args = CloneArgs {
        flags: flags.bits() as u64,
        exit_signal: libc::SIGCHLD as u64,
        ..Default::default()
    };
    if let Some(fd) = cgroup {
        args.flags |= CLONE_INTO_CGROUP;
        args.cgroup = fd.as_raw_fd() as u64;
    }
    // SAFETY: clone3 without CLONE_VM and without a stack duplicates the
    // address space exactly like fork(2); the child continues on its own copy
    // of this stack. The caller is single-threaded, so no lock can be held by
    // a thread that does not exist in the child. `args` outlives the call and
    // its size is passed alongside; `cgroup`, when set, is an open fd
    // borrowed for the duration of the call.
    let ret = unsafe {
        libc::syscall(
            libc::SYS_clone3,
            &args as *const CloneArgs,
            std::mem::size_of::<CloneArgs>(),
        )
    };
    if ret < 0 && Errno::last() == Errno::ENOSYS && cgroup.is_none() {
        // SAFETY: same as above with the older clone(2) ABI: a null stack
        // means "share nothing, copy-on-write", i.e. fork semantics.
        return unsafe {
            libc::syscall(
                libc::SYS_clone,
                flags.bits() as libc::c_long | libc::SIGCHLD as libc::c_long,
                std::ptr::null_mut::<libc::c_void>(),
                std::ptr::null_mut::<libc::c_void>(),
                std::ptr::null_mut::<libc::c_void>(),
                0 as libc::c_long,
            )
        };
    }
    ret
}

/// In the child: runs `f` and exits; in the parent: the child's pid.
fn child_or_pid(ret: i64, f: impl FnOnce() -> i32) -> io::Result<Pid> {
    match ret {
        r if r < 0 => Err(io::Error::last_os_error()),
        0 => {
            let code = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).unwrap_or(101);
            exit_now(code)
        }
        pid => Ok(Pid::from_raw(pid as i32)),
    }
}

/// Ends the process at once: no atexit handlers, no unwinding, no flushing of
/// buffers that belong to the parent's copy of the address space.
pub fn exit_now(code: i32) -> ! {
    // SAFETY: _exit has no preconditions and never returns.
    unsafe { libc::_exit(code) }
}

pub fn unshare(flags: CloneFlags) -> io::Result<()> {
    nix::sched::unshare(flags).map_err(io_err)
}

/// Joins the namespace behind `fd` (`nstype` 0 accepts any type).
pub fn setns(fd: BorrowedFd<'_>, nstype: CloneFlags) -> io::Result<()> {
    nix::sched::setns(fd, nstype).map_err(io_err)
}

/// PR_SET_DUMPABLE: a non-dumpable process cannot be ptraced and its
/// /proc/<pid> files (exe, fd, environ) belong to root.
pub fn set_dumpable(on: bool) -> io::Result<()> {
    use rustix::process::DumpableBehavior;
    let b = if on {
        DumpableBehavior::Dumpable
    } else {
        DumpableBehavior::NotDumpable
    };
    rustix::process::set_dumpable_behavior(b).map_err(rx)
}

/// The signal this process gets when its parent dies.
pub fn set_parent_death_signal(sig: i32) -> io::Result<()> {
    let s = rustix::process::Signal::from_named_raw(sig);
    rustix::process::set_parent_process_death_signal(s).map_err(rx)
}

/// Marks every descriptor from `first` up close-on-exec (close_range with
/// CLOSE_RANGE_CLOEXEC): none survives execve, yet an error can still be
/// reported over one of them if execve fails.
pub fn cloexec_from(first: u32) -> io::Result<()> {
    const CLOSE_RANGE_CLOEXEC: libc::c_uint = 1 << 2;
    // SAFETY: close_range only changes descriptor flags here; it touches no
    // memory. Rust objects owning those fds stay valid until exec.
    let r = unsafe {
        libc::syscall(
            libc::SYS_close_range,
            first as libc::c_uint,
            libc::c_uint::MAX,
            CLOSE_RANGE_CLOEXEC,
        )
    };
    if r < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// Replaces the process image. Returns only on failure.
pub fn execve(path: &CString, args: &[CString], env: &[CString]) -> io::Error {
    match nix::unistd::execve(path, args, env) {
        Ok(never) => match never {},
        Err(e) => io_err(e),
    }
}

/// Restores the default disposition of every signal and an empty mask, so
/// the container process does not inherit ours (Rust ignores SIGPIPE).
pub fn reset_signals() -> io::Result<()> {
    use nix::sys::signal::{SigHandler, SigSet, SigmaskHow, Signal, signal};
    for sig in Signal::iterator() {
        if matches!(sig, Signal::SIGKILL | Signal::SIGSTOP) {
            continue;
        }
        // SAFETY: installing SIG_DFL runs no code of ours in signal context.
        let _ = unsafe { signal(sig, SigHandler::SigDfl) };
    }
    nix::sys::signal::sigprocmask(SigmaskHow::SIG_SETMASK, Some(&SigSet::empty()), None)
        .map_err(io_err)
}

/// How a waited-for process ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Code(i32),
    Signal(i32),
}

impl Exit {
    /// The shell convention: the exit code, or 128 + signal.
    pub fn code(self) -> i32 {
        match self {
            Exit::Code(c) => c,
            Exit::Signal(s) => 128 + s,
        }
    }
}

/// Blocks until `pid` (our child) ends.
pub fn wait_exit(pid: Pid) -> io::Result<Exit> {
    loop {
        match nix::sys::wait::waitpid(pid, Some(WaitPidFlag::__WALL)) {
            Ok(WaitStatus::Exited(_, c)) => return Ok(Exit::Code(c)),
            Ok(WaitStatus::Signaled(_, s, _)) => return Ok(Exit::Signal(s as i32)),
            Ok(_) | Err(Errno::EINTR) => continue,
            Err(e) => return Err(io_err(e)),
        }
    }
}

pub fn mkfifo(path: &Path, mode: u32) -> io::Result<()> {
    nix::unistd::mkfifo(path, nix::sys::stat::Mode::from_bits_truncate(mode)).map_err(io_err)
}

/// A pipe with both ends close-on-exec.
pub fn pipe() -> io::Result<(OwnedFd, OwnedFd)> {
    rustix::pipe::pipe_with(rustix::pipe::PipeFlags::CLOEXEC).map_err(rx)
}

/// A pidfd for `pid` (close-on-exec); signals sent through it cannot reach a
/// later process that reused the number.
pub fn pidfd_open(pid: i32) -> io::Result<OwnedFd> {
    let p = rustix::process::Pid::from_raw(pid).ok_or_else(|| io_err(Errno::ESRCH))?;
    rustix::process::pidfd_open(p, rustix::process::PidfdFlags::empty()).map_err(rx)
}

pub fn pidfd_send_signal(pidfd: BorrowedFd<'_>, sig: i32) -> io::Result<()> {
    // SAFETY: pidfd_send_signal with a null siginfo reads no memory of ours;
    // the fd is borrowed and open for the whole call.
    let r = unsafe {
        libc::syscall(
            libc::SYS_pidfd_send_signal,
            pidfd.as_raw_fd(),
            sig,
            std::ptr::null::<libc::siginfo_t>(),
            0 as libc::c_uint,
        )
    };
    if r < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// kill(2) by number, for processes found in a cgroup (no pidfd needed: the
/// cgroup membership was just read).
pub fn kill(pid: i32, sig: i32) -> io::Result<()> {
    let s = if sig == 0 {
        None
    } else {
        Some(nix::sys::signal::Signal::try_from(sig).map_err(io_err)?)
    };
    nix::sys::signal::kill(Pid::from_raw(pid), s).map_err(io_err)
}

/// Waits until `fd` is readable (a pidfd becomes readable when the process
/// exits) or `timeout_ms` passes (-1: no limit). Returns whether it is ready.
pub fn poll_readable(fd: BorrowedFd<'_>, timeout_ms: i32) -> io::Result<bool> {
    let mut p = libc::pollfd {
        fd: fd.as_raw_fd(),
        events: libc::POLLIN,
        revents: 0,
    };
    loop {
        // SAFETY: one valid pollfd whose fd is borrowed for the call.
        let r = unsafe { libc::poll(&mut p, 1, timeout_ms) };
        if r < 0 {
            let e = io::Error::last_os_error();
            if e.kind() == io::ErrorKind::Interrupted {
                continue;
            }
            return Err(e);
        }
        return Ok(r > 0);
    }
}

/// Waits until `a` or `b` is readable (or hung up); returns which are.
pub fn poll_two(a: BorrowedFd<'_>, b: BorrowedFd<'_>) -> io::Result<(bool, bool)> {
    let ev = libc::POLLIN;
    let mut p = [
        libc::pollfd {
            fd: a.as_raw_fd(),
            events: ev,
            revents: 0,
        },
        libc::pollfd {
            fd: b.as_raw_fd(),
            events: ev,
            revents: 0,
        },
    ];
    loop {
        // SAFETY: two valid pollfds whose fds are borrowed for the call.
        let r = unsafe { libc::poll(p.as_mut_ptr(), 2, -1) };
        if r < 0 {
            let e = io::Error::last_os_error();
            if e.kind() == io::ErrorKind::Interrupted {
                continue;
            }
            return Err(e);
        }
        return Ok((p[0].revents != 0, p[1].revents != 0));
    }
}

/// setrlimit(2) by the resource's OCI name ("RLIMIT_NOFILE").
pub fn set_rlimit(name: &str, soft: u64, hard: u64) -> io::Result<()> {
    use rustix::process::Resource as R;
    let res = match name {
        "RLIMIT_CPU" => R::Cpu,
        "RLIMIT_FSIZE" => R::Fsize,
        "RLIMIT_DATA" => R::Data,
        "RLIMIT_STACK" => R::Stack,
        "RLIMIT_CORE" => R::Core,
        "RLIMIT_RSS" => R::Rss,
        "RLIMIT_NPROC" => R::Nproc,
        "RLIMIT_NOFILE" => R::Nofile,
        "RLIMIT_MEMLOCK" => R::Memlock,
        "RLIMIT_AS" => R::As,
        "RLIMIT_LOCKS" => R::Locks,
        "RLIMIT_SIGPENDING" => R::Sigpending,
        "RLIMIT_MSGQUEUE" => R::Msgqueue,
        "RLIMIT_NICE" => R::Nice,
        "RLIMIT_RTPRIO" => R::Rtprio,
        "RLIMIT_RTTIME" => R::Rttime,
        _ => return Err(io_err(Errno::EINVAL)),
    };
    let lim = |v: u64| if v == u64::MAX { None } else { Some(v) };
    let r = rustix::process::Rlimit {
        current: lim(soft),
        maximum: lim(hard),
    };
    rustix::process::setrlimit(res, r).map_err(rx)
}

pub fn set_umask(mask: u32) {
    rustix::process::umask(rustix::fs::Mode::from_raw_mode(mask));
}

pub fn chdir(path: &Path) -> io::Result<()> {
    rustix::process::chdir(path).map_err(rx)
}

/// The start time of `pid` in clock ticks since boot (field 22 of
/// /proc/<pid>/stat), which with the pid identifies one process for good.
/// `None` when the process does not exist.
pub fn start_time(pid: i32) -> io::Result<Option<u64>> {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(s) => parse_start_time(&s)
            .map(Some)
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "unparsable /proc stat")),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// Parses the start time and checks the process is not a zombie ("Z"/"X").
pub fn parse_start_time(stat: &str) -> Option<u64> {
    // comm (field 2) may contain spaces and parens: split after the last ')'.
    let rest = &stat[stat.rfind(')')? + 1..];
    let mut fields = rest.split_whitespace();
    // `rest` starts at field 3 (state); start time is field 22.
    let state = fields.next()?;
    let st: u64 = fields.nth(18)?.parse().ok()?;
    if state == "Z" || state == "X" {
        return Some(0);
    }
    Some(st)
}

/// Opens `path` (O_PATH or otherwise) and returns the fd; used for namespace
/// files and for the exec fifo handle.
pub fn open_path(path: &Path) -> io::Result<OwnedFd> {
    use rustix::fs::{Mode, OFlags};
    rustix::fs::open(path, OFlags::PATH | OFlags::CLOEXEC, Mode::empty()).map_err(rx)
}

/// Re-opens an O_PATH fifo handle for writing through /proc/self/fd; blocks
/// until a reader opens the other end.
pub fn reopen_for_write(fd: BorrowedFd<'_>) -> io::Result<OwnedFd> {
    use rustix::fs::{Mode, OFlags};
    let p = format!("/proc/self/fd/{}", fd.as_raw_fd());
    rustix::fs::open(p.as_str(), OFlags::WRONLY | OFlags::CLOEXEC, Mode::empty()).map_err(rx)
}

/// Duplicates `fd` onto the lowest number >= `min`, close-on-exec.
pub fn dup_above(fd: BorrowedFd<'_>, min: i32) -> io::Result<OwnedFd> {
    rustix::io::fcntl_dupfd_cloexec(fd.as_fd(), min).map_err(rx)
}

/// Whether `raw` is an open descriptor of this process (preserved fds).
pub fn check_fd_open(raw: i32) -> bool {
    // SAFETY: F_GETFD on any integer only reports whether it is open.
    unsafe { libc::fcntl(raw, libc::F_GETFD) >= 0 }
}

/// Whether this process runs in the initial user namespace with full ids.
pub fn in_initial_userns() -> bool {
    match std::fs::read_to_string("/proc/self/uid_map") {
        Ok(s) => is_full_uid_map(&s),
        Err(_) => true,
    }
}

pub fn is_full_uid_map(map: &str) -> bool {
    let f: Vec<&str> = map.split_whitespace().collect();
    f == ["0", "0", "4294967295"]
}

/// Takes ownership of a socket a parent passed down by number (the
/// monitor's control socket), marking it close-on-exec.
pub fn adopt_inherited_socket(raw: i32) -> io::Result<OwnedFd> {
    if raw <= 2 {
        return Err(io_err(Errno::EBADF));
    }
    // SAFETY: fcntl(F_GETFD) on any integer only reports whether it is open.
    if unsafe { libc::fcntl(raw, libc::F_GETFD) } < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: the descriptor is open (checked above) and was left open by
    // our starter for this purpose only; nothing else in this process owns
    // it, so the OwnedFd becomes its one owner.
    let fd = unsafe { <OwnedFd as std::os::fd::FromRawFd>::from_raw_fd(raw) };
    let st = rustix::fs::fstat(&fd).map_err(rx)?;
    if rustix::fs::FileType::from_raw_mode(st.st_mode) != rustix::fs::FileType::Socket {
        let _ = std::os::fd::IntoRawFd::into_raw_fd(fd);
        return Err(io_err(Errno::EBADF));
    }
    rustix::io::fcntl_setfd(&fd, rustix::io::FdFlags::CLOEXEC).map_err(rx)?;
    Ok(fd)
}

/// Waits up to `limit` for a spawned child to exit (woken by its pidfd, no
/// polling); `Err` if it is still running.
pub fn wait_child_timeout(
    child: &mut std::process::Child,
    limit: std::time::Duration,
) -> io::Result<std::process::ExitStatus> {
    if let Some(st) = child.try_wait()? {
        return Ok(st);
    }
    let pidfd = pidfd_open(child.id() as i32)?;
    let ms = i32::try_from(limit.as_millis()).unwrap_or(i32::MAX);
    if !poll_readable(pidfd.as_fd(), ms)? {
        return Err(io::ErrorKind::TimedOut.into());
    }
    child.wait()
}

/// Clears close-on-exec on `fd`, so a command we spawn inherits it (the
/// number is passed on its command line). Call while single-threaded.
pub fn set_inheritable(fd: BorrowedFd<'_>) -> io::Result<()> {
    rustix::io::fcntl_setfd(fd, rustix::io::FdFlags::empty()).map_err(rx)
}

/// The second half of a double fork: forks; the parent should exit at once
/// (returns `false`), the child (`true`) continues in a new session, so it
/// is nobody's child once the parent is reaped and has no controlling tty.
/// Call while single-threaded.
pub fn fork_detached() -> io::Result<bool> {
    // SAFETY: the process is single-threaded here (the monitor forks before
    // it starts any thread), so the child may run arbitrary code.
    match unsafe { nix::unistd::fork() }.map_err(io_err)? {
        nix::unistd::ForkResult::Parent { .. } => Ok(false),
        nix::unistd::ForkResult::Child => {
            nix::unistd::setsid().map_err(io_err)?;
            Ok(true)
        }
    }
}

/// A mount namespace of our own whose mounts never propagate back.
pub fn unshare_mount_private() -> io::Result<()> {
    unshare(CloneFlags::CLONE_NEWNS)?;
    use rustix::mount::MountPropagationFlags as F;
    rustix::mount::mount_change("/", F::PRIVATE | F::REC).map_err(rx)
}

/// Drops this process's resident pages of its own code (clean, file-backed:
/// they come back from the page cache when touched again) and
/// returns free heap to the kernel. For a long-lived process that from now
/// on only runs a small loop (the container monitor): what stays resident
/// is what that loop uses.
pub fn trim_resident_memory() {
    let Ok(exe) = std::fs::read_link("/proc/self/exe") else {
        return;
    };
    let Ok(maps) = std::fs::read_to_string("/proc/self/maps") else {
        return;
    };
    let exe = exe.to_string_lossy();
    // Our binary's mappings: (start, end, perms).
    let mine: Vec<(usize, usize, &str)> = maps
        .lines()
        .filter(|l| l.ends_with(exe.as_ref()))
        .filter_map(|l| {
            let mut parts = l.split_whitespace();
            let (range, perms) = (parts.next()?, parts.next()?);
            let (a, b) = range.split_once('-')?;
            let start = usize::from_str_radix(a, 16).ok()?;
            let end = usize::from_str_radix(b, 16).ok()?;
            Some((start, end, perms))
        })
        .collect();
    let Some(text) = mine.iter().find(|m| m.2 == "r-xp").map(|m| m.0) else {
        return;
    };
    for (start, end, perms) in mine {
        // The code, and the read-only data mapped before it (headers,
        // .rodata, .eh_frame), were never writable. Never the read-only
        // data after the code: its RELRO part was written by the dynamic
        // loader before it became read-only.
        let never_written = perms == "r-xp" || (perms == "r--p" && start < text);
        if !never_written {
            continue;
        }
        // SAFETY: the range is a private mapping of our own executable that
        // was never writable, so it holds no private copies. MADV_DONTNEED
        // drops its page table entries; the mapping stays valid and each
        // page is faulted back in, with the same bytes, from the file on
        // the next access. (MADV_PAGEOUT would need write access to the
        // binary, which a rootless user lacks.)
        unsafe {
            libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_DONTNEED);
        }
    }
    // SAFETY: malloc_trim only returns free heap pages to the kernel.
    unsafe {
        libc::malloc_trim(0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn start_time_parses_comm_with_parens() {
        let stat =
            "1234 (a) b) c) S 1 1234 1234 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 1000 100";
        assert_eq!(parse_start_time(stat), Some(987654));
        let zombie = "1 (x) Z 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 55 0 0";
        assert_eq!(parse_start_time(zombie), Some(0));
        assert_eq!(parse_start_time("garbage"), None);
    }

    #[test]
    fn own_start_time_is_stable() {
        let me = std::process::id() as i32;
        let a = start_time(me).unwrap().unwrap();
        assert!(a > 0);
        assert_eq!(start_time(me).unwrap(), Some(a));
        assert_eq!(start_time(i32::MAX).unwrap(), None);
    }

    #[test]
    fn full_uid_map_detection() {
        assert!(is_full_uid_map("         0          0 4294967295\n"));
        assert!(!is_full_uid_map("         0       1000          1\n"));
    }

    #[test]
    fn rlimit_names() {
        assert!(set_rlimit("RLIMIT_BOGUS", 1, 1).is_err());
        // Setting the current value again is always allowed.
        let cur = rustix::process::getrlimit(rustix::process::Resource::Nofile);
        let v = |o: Option<u64>| o.unwrap_or(u64::MAX);
        set_rlimit("RLIMIT_NOFILE", v(cur.current), v(cur.maximum)).unwrap();
    }

    #[test]
    fn clone_child_exit_code_and_pidfd() {
        let pid = clone_into(CloneFlags::empty(), || 7).unwrap();
        assert_eq!(wait_exit(pid).unwrap(), Exit::Code(7));
        assert_eq!(Exit::Signal(9).code(), 137);
        let (r, w) = pipe().unwrap();
        let pid = clone_into(CloneFlags::empty(), move || {
            drop(r);
            let _ = rustix::io::write(&w, b"x");
            0
        })
        .unwrap();
        let pfd = pidfd_open(pid.as_raw()).unwrap();
        assert!(poll_readable(pfd.as_fd(), 5000).unwrap());
        assert_eq!(wait_exit(pid).unwrap(), Exit::Code(0));
    }

    /// Needs root and a cgroup2 mount (this machine's hybrid layout has one
    /// at /sys/fs/cgroup/unified); skipped otherwise.
    #[test]
    fn clone_into_cgroup_places_the_child_or_falls_back() {
        let unified = ["/sys/fs/cgroup/unified", "/sys/fs/cgroup"]
            .into_iter()
            .map(Path::new)
            .find(|p| {
                rustix::fs::statfs(*p).is_ok_and(|s| s.f_type == 0x6367_7270 /* CGROUP2 */)
            });
        let Some(unified) = unified.filter(|_| crate::sys::effective_uid() == 0) else {
            eprintln!("skipped: needs root and a cgroup2 mount");
            return;
        };
        let name = format!("skiff-clone-test-{}", std::process::id());
        let dir = unified.join(&name);
        std::fs::create_dir(&dir).unwrap();
        let fd = crate::sys::fs::open_dir(&dir).unwrap();
        let want = format!("0::/{name}");
        let want = format!("\n{want}\n");
        // The child checks where it was born and says so in its exit code.
        // It must not allocate: a raw clone in this multi-threaded harness
        // runs no fork handlers, so a malloc lock may be held in it.
        let (pid, placed) = clone_into_cgroup(CloneFlags::empty(), fd.as_fd(), || {
            let mut buf = [0u8; 4096];
            buf[0] = b'\n';
            let Ok(f) = rustix::fs::open(
                c"/proc/self/cgroup",
                rustix::fs::OFlags::RDONLY,
                rustix::fs::Mode::empty(),
            ) else {
                return 2;
            };
            let n = rustix::io::read(&f, &mut buf[1..]).unwrap_or(0);
            let hit = buf[..n + 1]
                .windows(want.len())
                .any(|w| w == want.as_bytes());
            if hit { 0 } else { 1 }
        })
        .unwrap();
        let code = wait_exit(pid).unwrap();
        std::fs::remove_dir(&dir).unwrap();
        assert!(placed);
        assert_eq!(code, Exit::Code(0));
        // Not a cgroup: the clone still happens, outside any new cgroup.
        let not_cgroup = crate::sys::fs::open_dir(Path::new("/tmp")).unwrap();
        let (pid, placed) =
            clone_into_cgroup(CloneFlags::empty(), not_cgroup.as_fd(), || 7).unwrap();
        assert!(!placed);
        assert_eq!(wait_exit(pid).unwrap(), Exit::Code(7));
    }
}
