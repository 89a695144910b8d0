//! skiff-init: the tiny pid 1 behind `run --init`.
//!
//! Built by build.rs as a standalone, statically linked program (no crates,
//! so the few libc calls are declared here) and bind-mounted into the
//! container: skiff's own binary is never exposed inside one
//! (CVE-2019-5736). It runs `argv[1..]` (after an optional `--`) as its
//! child, forwards termination and job-control signals to it, reaps every
//! process reparented to it, and exits with the child's status (128+N when
//! signal N killed it).
//!
//! `skiff-init --pause` is the process of a pod's infra container: it runs
//! nothing, only holds the pod's namespaces, reaps whatever is reparented to
//! it (it is pid 1 of a shared pid namespace) and exits 0 on SIGTERM or
//! SIGINT.
//!
//! Signals are blocked and taken synchronously with sigwait: a pid 1 gets no
//! signal from inside its namespace unless it handles or blocks it, and a
//! synchronous loop needs no handlers at all.
use std::ffi::{CString, c_char, c_int};
use std::os::unix::ffi::OsStrExt;
use std::process::exit;

// Linux signal numbers shared by x86_64, aarch64, arm, riscv, powerpc, s390x.
const SIGHUP: c_int = 1;
const SIGINT: c_int = 2;
const SIGQUIT: c_int = 3;
const SIGUSR1: c_int = 10;
const SIGUSR2: c_int = 12;
const SIGPIPE: c_int = 13;
const SIGTERM: c_int = 15;
const SIGCHLD: c_int = 17;
const SIGTTOU: c_int = 22;
const SIGWINCH: c_int = 28;
const FORWARDED: [c_int; 7] = [SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH];

const SIG_BLOCK: c_int = 0;
const SIG_SETMASK: c_int = 2;
const SIG_DFL: usize = 0;
const WNOHANG: c_int = 1;
const PR_SET_CHILD_SUBREAPER: c_int = 36;
const EINTR: c_int = 4;
const ENOENT: c_int = 2;

/// glibc's and musl's `sigset_t`: 1024 bits.
#[repr(C)]
struct SigSet([u64; 16]);

unsafe extern "C" {
    fn sigemptyset(set: *mut SigSet) -> c_int;
    fn sigaddset(set: *mut SigSet, sig: c_int) -> c_int;
    fn sigprocmask(how: c_int, set: *const SigSet, old: *mut SigSet) -> c_int;
    fn sigwait(set: *const SigSet, sig: *mut c_int) -> c_int;
    fn signal(sig: c_int, handler: usize) -> usize;
    fn waitpid(pid: c_int, status: *mut c_int, options: c_int) -> c_int;
    fn kill(pid: c_int, sig: c_int) -> c_int;
    fn fork() -> c_int;
    fn execvp(file: *const c_char, argv: *const *const c_char) -> c_int;
    fn setpgid(pid: c_int, pgid: c_int) -> c_int;
    fn tcsetpgrp(fd: c_int, pgrp: c_int) -> c_int;
    fn getpid() -> c_int;
    fn prctl(option: c_int, ...) -> c_int;
    fn _exit(code: c_int) -> !;
}

fn main() {
    let mut args: Vec<CString> = std::env::args_os()
        .skip(1)
        // An argument cannot hold a NUL byte: it came through execve.
        .map(|a| CString::new(a.as_bytes()).unwrap_or_default())
        .collect();
    if args.len() == 1 && args[0].as_bytes() == b"--pause" {
        pause();
    }
    if args.first().is_some_and(|a| a.as_bytes() == b"--") {
        args.remove(0);
    }
    if args.is_empty() {
        eprintln!("usage: skiff-init [--] PROGRAM [ARG...] | skiff-init --pause");
        exit(1);
    }
    let mut argv: Vec<*const c_char> = args.iter().map(|a| a.as_ptr()).collect();
    argv.push(std::ptr::null());

    let mut set = SigSet([0; 16]);
    let mut old = SigSet([0; 16]);
    // SAFETY: `set` and `old` are valid sigset_t-sized buffers owned here.
    unsafe {
        sigemptyset(&mut set);
        for s in FORWARDED.iter().chain(&[SIGCHLD, SIGTTOU]) {
            sigaddset(&mut set, *s);
        }
        if sigprocmask(SIG_BLOCK, &set, &mut old) != 0 {
            die("blocking signals");
        }
    }
    if std::process::id() != 1 {
        // Not pid 1 (a test, or a shared pid namespace): orphans still come
        // to us to be reaped.
        // SAFETY: PR_SET_CHILD_SUBREAPER takes one integer argument.
        unsafe { prctl(PR_SET_CHILD_SUBREAPER, 1 as std::ffi::c_ulong) };
    }

    // SAFETY: this process is single-threaded, so the child may run any code.
    let child = unsafe { fork() };
    if child < 0 {
        die("fork");
    }
    if child == 0 {
        // SAFETY: argv is a NUL-terminated array of valid C strings that
        // outlive the call; `old` is the mask saved above.
        unsafe {
            // Own process group, in the foreground of the terminal if there
            // is one, so ^C reaches the program once (SIGTTOU is blocked,
            // so a background tcsetpgrp is allowed). Not a tty: no effect.
            setpgid(0, 0);
            tcsetpgrp(0, getpid());
            // Rust ignores SIGPIPE before main; the program gets the default.
            signal(SIGPIPE, SIG_DFL);
            sigprocmask(SIG_SETMASK, &old, std::ptr::null_mut());
            execvp(argv[0], argv.as_ptr());
        }
        let err = std::io::Error::last_os_error();
        eprintln!(
            "skiff-init: exec {}: {err}",
            String::from_utf8_lossy(args[0].as_bytes())
        );
        let code = if err.raw_os_error() == Some(ENOENT) {
            127
        } else {
            126
        };
        // SAFETY: leaves the forked child without running the parent's exit code.
        unsafe { _exit(code) };
    }

    loop {
        let mut sig: c_int = 0;
        // SAFETY: `set` is initialised; `sig` is a valid out-pointer.
        let r = unsafe { sigwait(&set, &mut sig) };
        if r == EINTR {
            continue;
        }
        if r != 0 {
            die("waiting for signals");
        }
        if sig != SIGCHLD {
            if FORWARDED.contains(&sig) {
                // SAFETY: plain syscall; the child may already be gone (ESRCH).
                unsafe { kill(child, sig) };
            }
            continue;
        }
        // One SIGCHLD can stand for many exits: reap all that are ready.
        let mut child_status = None;
        loop {
            let mut status: c_int = 0;
            // SAFETY: `status` is a valid out-pointer.
            let pid = unsafe { waitpid(-1, &mut status, WNOHANG) };
            if pid <= 0 {
                break;
            }
            if pid == child {
                child_status = Some(status);
            }
        }
        if let Some(status) = child_status {
            exit(exit_code(status));
        }
    }
}

/// The pause loop: blocked signals taken with sigwait (so a pid 1 gets
/// them at all), children reaped, 0 on SIGTERM or SIGINT.
fn pause() -> ! {
    let mut set = SigSet([0; 16]);
    // SAFETY: `set` is a valid sigset_t-sized buffer owned here.
    unsafe {
        sigemptyset(&mut set);
        for s in [SIGTERM, SIGINT, SIGHUP, SIGCHLD] {
            sigaddset(&mut set, s);
        }
        if sigprocmask(SIG_BLOCK, &set, std::ptr::null_mut()) != 0 {
            die("blocking signals");
        }
    }
    if std::process::id() != 1 {
        // SAFETY: PR_SET_CHILD_SUBREAPER takes one integer argument.
        unsafe { prctl(PR_SET_CHILD_SUBREAPER, 1 as std::ffi::c_ulong) };
    }
    loop {
        let mut sig: c_int = 0;
        // SAFETY: `set` is initialised; `sig` is a valid out-pointer.
        let r = unsafe { sigwait(&set, &mut sig) };
        if r == EINTR {
            continue;
        }
        if r != 0 {
            die("waiting for signals");
        }
        match sig {
            SIGTERM | SIGINT => exit(0),
            SIGCHLD => loop {
                let mut status: c_int = 0;
                // SAFETY: `status` is a valid out-pointer.
                if unsafe { waitpid(-1, &mut status, WNOHANG) } <= 0 {
                    break;
                }
            },
            _ => {}
        }
    }
}

/// The shell's convention: the exit code, or 128+N for death by signal N.
fn exit_code(status: c_int) -> i32 {
    let sig = status & 0x7f;
    if sig == 0 {
        (status >> 8) & 0xff
    } else {
        128 + sig
    }
}

fn die(what: &str) -> ! {
    eprintln!("skiff-init: {what}: {}", std::io::Error::last_os_error());
    exit(1);
}
