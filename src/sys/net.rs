//! Network interface set-up that needs raw ioctls.
use std::io;
use std::os::fd::{AsFd, AsRawFd, RawFd};

use nix::sched::CloneFlags;

/// Sets the loopback interface up in the network namespace of `pid` (a new
/// namespace has it down). Done from a short-lived thread: setns of a
/// network namespace moves only the calling thread, so the caller stays in
/// its own.
pub fn loopback_up(pid: i32) -> io::Result<()> {
    let ns = std::fs::File::open(format!("/proc/{pid}/ns/net"))?;
    std::thread::scope(|s| {
        s.spawn(|| -> io::Result<()> {
            nix::sched::setns(ns.as_fd(), CloneFlags::CLONE_NEWNET).map_err(io::Error::from)?;
            let sock = rustix::net::socket(
                rustix::net::AddressFamily::INET,
                rustix::net::SocketType::DGRAM,
                None,
            )?;
            set_flags_up(sock.as_raw_fd(), b"lo")
        })
        .join()
        .unwrap_or_else(|_| Err(io::Error::other("the loopback set-up thread panicked")))
    })
}

/// SIOCGIFFLAGS, then SIOCSIFFLAGS with IFF_UP added, on interface `name`.
fn set_flags_up(sock: RawFd, name: &[u8]) -> io::Result<()> {
    // SAFETY: ifreq is plain old data; all zeroes is a valid value.
    let mut req: libc::ifreq = unsafe { std::mem::zeroed() };
    if name.len() >= req.ifr_name.len() {
        return Err(io::Error::from(io::ErrorKind::InvalidInput));
    }
    for (d, s) in req.ifr_name.iter_mut().zip(name) {
        *d = *s as libc::c_char;
    }
    // SAFETY: `sock` is an open socket owned by the caller; the kernel
    // writes the flags into `req`, which lives across the call.
    if unsafe { libc::ioctl(sock, libc::SIOCGIFFLAGS, &mut req) } < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: SIOCGIFFLAGS filled the union's flags member, read here.
    unsafe { req.ifr_ifru.ifru_flags |= libc::IFF_UP as libc::c_short };
    // SAFETY: as above; the kernel only reads `req`.
    if unsafe { libc::ioctl(sock, libc::SIOCSIFFLAGS, &req) } < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::io::{Read, Write};
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};

    #[test]
    fn sets_loopback_up_in_another_namespace() {
        // A shell in a new network namespace (lo down) that reports lo's
        // flags once told to.
        let child = Command::new("unshare")
            .args(["--user", "--map-root-user", "--net", "sh", "-c"])
            .arg("read x; ip -o link show lo")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn();
        let Ok(mut child) = child else {
            eprintln!("skipped: no unshare");
            return;
        };
        let pid = child.id() as i32;
        let own = std::fs::read_link("/proc/self/ns/net").unwrap();
        let end = Instant::now() + Duration::from_secs(5);
        while std::fs::read_link(format!("/proc/{pid}/ns/net"))
            .ok()
            .as_ref()
            == Some(&own)
        {
            if Instant::now() > end || child.try_wait().unwrap().is_some() {
                eprintln!("skipped: no network namespace for an unprivileged child");
                let _ = child.kill();
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        super::loopback_up(pid).unwrap();
        child.stdin.take().unwrap().write_all(b"go\n").unwrap();
        let mut out = String::new();
        child
            .stdout
            .take()
            .unwrap()
            .read_to_string(&mut out)
            .unwrap();
        child.wait().unwrap();
        if out.is_empty() {
            eprintln!("skipped: no ip command");
            return;
        }
        assert!(out.contains("LOOPBACK,UP"), "{out}");
    }
}
