//! Pseudo-terminals and fd passing: the raw side of the console socket
//! protocol (runc's `--console-socket`): open a pty master from `/dev/ptmx`,
//! unlock it, open its peer, make it the controlling terminal, and pass fds
//! over unix sockets with `SCM_RIGHTS`.
use std::ffi::CString;
use std::io;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

/// The largest payload (pty name) accepted with a passed fd.
const MAX_PAYLOAD: usize = 4096;

fn check(ret: libc::c_int) -> io::Result<libc::c_int> {
    if ret < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(ret)
    }
}

/// Opens a new pty master from `ptmx` (normally `/dev/ptmx`, which in a
/// container resolves to its own devpts instance). Not the controlling
/// terminal of the caller; close-on-exec.
pub fn open_ptmx(ptmx: &Path) -> io::Result<OwnedFd> {
    let c = CString::new(ptmx.as_os_str().as_bytes())
        .map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))?;
    // SAFETY: `c` is a valid NUL-terminated string that outlives the call;
    // open has no other memory effects.
    let fd =
        check(unsafe { libc::open(c.as_ptr(), libc::O_RDWR | libc::O_NOCTTY | libc::O_CLOEXEC) })?;
    // SAFETY: open just returned this fd and nothing else owns it.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

/// Unlocks the slave side of a master (`unlockpt`).
pub fn unlockpt(master: BorrowedFd<'_>) -> io::Result<()> {
    let mut unlock: libc::c_int = 0;
    // SAFETY: TIOCSPTLCK reads one c_int through the pointer, which points to
    // a live local.
    check(unsafe { libc::ioctl(master.as_raw_fd(), libc::TIOCSPTLCK, &mut unlock) })?;
    Ok(())
}

/// The pty number of a master (`TIOCGPTN`).
pub fn pty_number(master: BorrowedFd<'_>) -> io::Result<u32> {
    let mut n: libc::c_uint = 0;
    // SAFETY: TIOCGPTN writes one c_uint through the pointer, which points to
    // a live local.
    check(unsafe { libc::ioctl(master.as_raw_fd(), libc::TIOCGPTN, &mut n) })?;
    Ok(n)
}

/// The slave's path as seen in the mount namespace whose devpts the master
/// came from: `/dev/pts/<n>`.
pub fn ptsname(master: BorrowedFd<'_>) -> io::Result<PathBuf> {
    Ok(PathBuf::from(format!("/dev/pts/{}", pty_number(master)?)))
}

/// Opens the slave of `master` without a path lookup (`TIOCGPTPEER`, Linux
/// 4.13+), so a hostile `/dev/pts` cannot substitute another file; falls back
/// to opening `ptsname` on older kernels. Read-write, no controlling-tty side
/// effect, close-on-exec.
pub fn open_peer(master: BorrowedFd<'_>) -> io::Result<OwnedFd> {
    const TIOCGPTPEER: libc::c_ulong = 0x5441;
    let flags = libc::O_RDWR | libc::O_NOCTTY | libc::O_CLOEXEC;
    // SAFETY: TIOCGPTPEER takes the open flags by value and returns a new fd;
    // no memory is passed.
    let fd = unsafe { libc::ioctl(master.as_raw_fd(), TIOCGPTPEER as _, flags) };
    if fd >= 0 {
        // SAFETY: the ioctl just returned this fd and nothing else owns it.
        return Ok(unsafe { OwnedFd::from_raw_fd(fd) });
    }
    let err = io::Error::last_os_error();
    if err.raw_os_error() != Some(libc::EINVAL) && err.raw_os_error() != Some(libc::ENOTTY) {
        return Err(err);
    }
    let path = ptsname(master)?;
    let c = CString::new(path.as_os_str().as_bytes())
        .map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))?;
    // SAFETY: `c` is a valid NUL-terminated string that outlives the call.
    let fd = check(unsafe { libc::open(c.as_ptr(), flags) })?;
    // SAFETY: open just returned this fd and nothing else owns it.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

/// A new pty pair (master, slave) from `/dev/ptmx`.
pub fn openpty() -> io::Result<(OwnedFd, OwnedFd)> {
    let master = open_ptmx(Path::new("/dev/ptmx"))?;
    unlockpt(master.as_fd())?;
    let slave = open_peer(master.as_fd())?;
    Ok((master, slave))
}

/// Starts a new session (the caller must not be a process group leader).
pub fn setsid() -> io::Result<()> {
    // SAFETY: setsid takes no arguments and touches no memory.
    check(unsafe { libc::setsid() })?;
    Ok(())
}

/// Makes `tty` the controlling terminal of the calling session leader
/// (`TIOCSCTTY`, without stealing it from another session).
pub fn set_controlling_terminal(tty: BorrowedFd<'_>) -> io::Result<()> {
    // SAFETY: TIOCSCTTY takes an int argument by value; no memory is passed.
    check(unsafe { libc::ioctl(tty.as_raw_fd(), libc::TIOCSCTTY, 0) })?;
    Ok(())
}

/// Duplicates `fd` onto descriptor number `target` (which loses CLOEXEC, as
/// stdio must survive exec).
pub fn dup_onto(fd: BorrowedFd<'_>, target: RawFd) -> io::Result<()> {
    if fd.as_raw_fd() == target {
        // dup2 onto itself keeps the flags: clear CLOEXEC explicitly.
        // SAFETY: F_SETFD with an int flag argument; no memory is passed.
        check(unsafe { libc::fcntl(target, libc::F_SETFD, 0) })?;
        return Ok(());
    }
    // SAFETY: dup2 only manipulates the fd table; `fd` is a live borrowed fd
    // and replacing `target` is the purpose of this function (stdio slots).
    check(unsafe { libc::dup2(fd.as_raw_fd(), target) })?;
    Ok(())
}

/// Sets the window size of a terminal (`TIOCSWINSZ`).
pub fn set_window_size(tty: BorrowedFd<'_>, rows: u16, cols: u16) -> io::Result<()> {
    let ws = libc::winsize {
        ws_row: rows,
        ws_col: cols,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: TIOCSWINSZ reads one winsize through the pointer, which points
    // to a live local.
    check(unsafe { libc::ioctl(tty.as_raw_fd(), libc::TIOCSWINSZ, &ws) })?;
    Ok(())
}

/// Sends `fd` over the connected unix socket `sock` in one message: the fd in
/// an `SCM_RIGHTS` control message, `payload` (runc sends the pty name) as
/// the data. A message of only control data is not portable, so an empty
/// payload is sent as one NUL byte.
pub fn send_fd(sock: BorrowedFd<'_>, fd: BorrowedFd<'_>, payload: &[u8]) -> io::Result<()> {
    let nul = [0u8];
    let data: &[u8] = if payload.is_empty() { &nul } else { payload };
    let mut iov = libc::iovec {
        iov_base: data.as_ptr() as *mut libc::c_void,
        iov_len: data.len(),
    };
    let raw = fd.as_raw_fd();
    // SAFETY: CMSG_SPACE is a pure computation on a size.
    let space = unsafe { libc::CMSG_SPACE(std::mem::size_of::<RawFd>() as u32) } as usize;
    // u64 storage keeps the control buffer aligned for cmsghdr.
    let mut cbuf = vec![0u64; space.div_ceil(8)];
    // SAFETY: msghdr is plain data; all-zero is a valid initial value.
    let mut msg: libc::msghdr = unsafe { std::mem::zeroed() };
    msg.msg_iov = &mut iov;
    msg.msg_iovlen = 1;
    msg.msg_control = cbuf.as_mut_ptr() as *mut libc::c_void;
    msg.msg_controllen = space as _;
    // SAFETY: msg_control points to `space` zeroed, aligned bytes, enough for
    // one cmsghdr carrying one fd, so CMSG_FIRSTHDR is non-null and CMSG_DATA
    // has room for the fd (written unaligned, as the macro gives no alignment
    // guarantee for the data).
    unsafe {
        let cmsg = libc::CMSG_FIRSTHDR(&msg);
        (*cmsg).cmsg_level = libc::SOL_SOCKET;
        (*cmsg).cmsg_type = libc::SCM_RIGHTS;
        (*cmsg).cmsg_len = libc::CMSG_LEN(std::mem::size_of::<RawFd>() as u32) as _;
        std::ptr::write_unaligned(libc::CMSG_DATA(cmsg) as *mut RawFd, raw);
    }
    loop {
        // SAFETY: `msg` and everything it points to (iov, data, cbuf) are
        // alive for the call; sendmsg only reads them.
        let n = unsafe { libc::sendmsg(sock.as_raw_fd(), &msg, libc::MSG_NOSIGNAL) };
        if n >= 0 {
            return Ok(());
        }
        let err = io::Error::last_os_error();
        if err.kind() != io::ErrorKind::Interrupted {
            return Err(err);
        }
    }
}

/// Receives one message with one passed fd from `sock`: the fd (close-on-
/// exec) and the data payload. Extra fds in the message are closed; a message
/// without an fd is `InvalidData`; end of stream is `UnexpectedEof`.
pub fn recv_fd(sock: BorrowedFd<'_>) -> io::Result<(OwnedFd, Vec<u8>)> {
    let mut data = vec![0u8; MAX_PAYLOAD];
    let mut iov = libc::iovec {
        iov_base: data.as_mut_ptr() as *mut libc::c_void,
        iov_len: data.len(),
    };
    // Room for a few fds, so a peer sending more cannot make us lose track.
    const MAX_FDS: usize = 8;
    // SAFETY: CMSG_SPACE is a pure computation on a size.
    let space =
        unsafe { libc::CMSG_SPACE((MAX_FDS * std::mem::size_of::<RawFd>()) as u32) } as usize;
    let mut cbuf = vec![0u64; space.div_ceil(8)];
    // SAFETY: msghdr is plain data; all-zero is a valid initial value.
    let mut msg: libc::msghdr = unsafe { std::mem::zeroed() };
    msg.msg_iov = &mut iov;
    msg.msg_iovlen = 1;
    msg.msg_control = cbuf.as_mut_ptr() as *mut libc::c_void;
    msg.msg_controllen = space as _;
    let n = loop {
        // SAFETY: `msg` points to live, writable buffers of the sizes given
        // (data, cbuf); recvmsg writes at most those sizes.
        let n = unsafe { libc::recvmsg(sock.as_raw_fd(), &mut msg, libc::MSG_CMSG_CLOEXEC) };
        if n >= 0 {
            break n as usize;
        }
        let err = io::Error::last_os_error();
        if err.kind() != io::ErrorKind::Interrupted {
            return Err(err);
        }
    };
    let mut fds: Vec<OwnedFd> = Vec::new();
    // SAFETY: recvmsg filled msg_control/msg_controllen; the CMSG_* macros
    // walk only within that buffer. Each SCM_RIGHTS fd is a new descriptor
    // the kernel installed for us, so taking ownership is sound.
    unsafe {
        let mut cmsg = libc::CMSG_FIRSTHDR(&msg);
        while !cmsg.is_null() {
            if (*cmsg).cmsg_level == libc::SOL_SOCKET && (*cmsg).cmsg_type == libc::SCM_RIGHTS {
                let header = libc::CMSG_LEN(0) as usize;
                let count = ((*cmsg).cmsg_len as usize - header) / std::mem::size_of::<RawFd>();
                let base = libc::CMSG_DATA(cmsg) as *const RawFd;
                for i in 0..count {
                    let fd = std::ptr::read_unaligned(base.add(i));
                    fds.push(OwnedFd::from_raw_fd(fd));
                }
            }
            cmsg = libc::CMSG_NXTHDR(&msg, cmsg);
        }
    }
    if fds.is_empty() {
        return Err(if n == 0 {
            io::Error::from(io::ErrorKind::UnexpectedEof)
        } else {
            io::Error::new(
                io::ErrorKind::InvalidData,
                "message carried no file descriptor",
            )
        });
    }
    data.truncate(n);
    // Extra fds are dropped (closed) here.
    Ok((fds.swap_remove(0), data))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};
    use std::os::unix::net::UnixStream;

    #[test]
    fn pty_pair_carries_bytes() {
        let (master, slave) = openpty().expect("openpty");
        let mut s = std::fs::File::from(slave);
        s.write_all(b"hi\n").unwrap();
        let mut m = std::fs::File::from(master);
        let mut buf = [0u8; 16];
        let n = m.read(&mut buf).unwrap();
        // The default line discipline maps NL to CR NL on output.
        assert_eq!(&buf[..n], b"hi\r\n");
    }

    #[test]
    fn ptsname_matches_peer() {
        let (master, slave) = openpty().expect("openpty");
        let name = ptsname(master.as_fd()).unwrap();
        let peer = std::fs::read_link(format!("/proc/self/fd/{}", slave.as_raw_fd())).unwrap();
        // The peer is the same devpts node (paths can differ by mount point).
        assert_eq!(peer.file_name(), name.file_name());
    }

    #[test]
    fn fd_passing_round_trip() {
        let (a, b) = UnixStream::pair().unwrap();
        let (master, slave) = openpty().unwrap();
        send_fd(a.as_fd(), master.as_fd(), b"/dev/pts/7").unwrap();
        drop(master);
        let (got, payload) = recv_fd(b.as_fd()).unwrap();
        assert_eq!(payload, b"/dev/pts/7");
        // The received master still drives the same slave.
        let mut s = std::fs::File::from(slave);
        s.write_all(b"x").unwrap();
        let mut m = std::fs::File::from(got);
        let mut buf = [0u8; 4];
        assert_eq!(m.read(&mut buf).unwrap(), 1);
        assert_eq!(buf[0], b'x');
    }

    #[test]
    fn recv_without_fd_is_an_error() {
        let (mut a, b) = UnixStream::pair().unwrap();
        a.write_all(b"no fd").unwrap();
        let err = recv_fd(b.as_fd()).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
        drop(a);
        let err = recv_fd(b.as_fd()).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::UnexpectedEof);
    }

    #[test]
    fn window_size_is_set() {
        let (master, slave) = openpty().unwrap();
        set_window_size(master.as_fd(), 33, 101).unwrap();
        let ws = rustix::termios::tcgetwinsize(&slave).unwrap();
        assert_eq!((ws.ws_row, ws.ws_col), (33, 101));
    }
}
