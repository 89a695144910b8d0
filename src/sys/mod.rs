//! Every raw syscall and `unsafe` block lives under this module, each with a
//! SAFETY comment; the rest of the crate calls the safe wrappers.

/// The real uid of this process (outside any user namespace we created, the
/// caller's uid; inside one, the mapped id).
pub fn real_uid() -> u32 {
    rustix::process::getuid().as_raw()
}

pub fn effective_uid() -> u32 {
    rustix::process::geteuid().as_raw()
}

pub fn real_gid() -> u32 {
    rustix::process::getgid().as_raw()
}
pub mod fs;
pub mod inotify;
pub mod term;
pub mod userns;
pub use term::EchoOff;

/// The process umask. There is no read-only syscall for it, so set and restore
/// (the process is single-threaded where this is called, or the race is benign:
/// only file creation modes in that instant could differ).
pub fn current_umask() -> u32 {
    let old = rustix::process::umask(rustix::fs::Mode::from_raw_mode(0o022));
    rustix::process::umask(old);
    old.as_raw_mode()
}
pub mod bpf;
pub mod mount;
pub mod net;
pub mod process;
pub mod pty;
pub mod security;
