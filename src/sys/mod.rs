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
pub mod userns;
pub mod term;
pub use term::EchoOff;
