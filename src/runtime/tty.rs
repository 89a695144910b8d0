//! Terminals: the console socket protocol and the container pty.
//!
//! runc's protocol, which conmon, containerd and our own engine speak: the
//! caller listens on a unix socket and passes its path as `--console-socket`;
//! the runtime connects, allocates a pty in the container's devpts, and sends
//! the master in ONE message (the fd in an `SCM_RIGHTS` control message, the
//! pty's name as the data), then makes the slave the container process's
//! stdin/stdout/stderr and controlling terminal.
//!
//! The socket path is a host path: once the process has pivoted into the
//! container's root (or joined its mount namespace, for exec) the path is
//! gone. So the runtime connects first ([`ConsoleSocket::connect`], before
//! `pivot_root`/`setns`) and sets up the pty later ([`setup_console_on`]);
//! [`setup_console`] does both for callers where the path is still reachable.
use std::io;
use std::os::fd::{AsFd, AsRawFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};

use crate::sys::pty;

/// A sun_path holds 108 bytes including the NUL.
const SUN_PATH_MAX: usize = 107;

/// Errors of console set-up; each renders as one line.
#[derive(Debug, thiserror::Error)]
pub enum TtyError {
    #[error("connecting to console socket {}: {source}", path.display())]
    Connect { path: PathBuf, source: io::Error },
    #[error("opening /dev/ptmx: {0}")]
    OpenPtmx(#[source] io::Error),
    #[error("unlocking the pty: {0}")]
    Unlock(#[source] io::Error),
    #[error("opening the pty slave: {0}")]
    OpenSlave(#[source] io::Error),
    #[error("setting the console size: {0}")]
    WindowSize(#[source] io::Error),
    #[error("sending the pty master over the console socket: {0}")]
    Send(#[source] io::Error),
    #[error("accepting on the console socket: {0}")]
    Accept(#[source] io::Error),
    #[error("receiving the pty master from the console socket: {0}")]
    Recv(#[source] io::Error),
    #[error("starting a new session: {0}")]
    Setsid(#[source] io::Error),
    #[error("making the pty the controlling terminal: {0}")]
    ControllingTerminal(#[source] io::Error),
    #[error("making the pty the standard streams: {0}")]
    Stdio(#[source] io::Error),
}

/// A connection to the caller's console socket, opened while its path is
/// still reachable.
#[derive(Debug)]
pub struct ConsoleSocket {
    stream: UnixStream,
}

impl ConsoleSocket {
    /// Connects to the socket at `path`. Paths longer than a `sun_path` are
    /// reached through `/proc/self/fd/<dir>/<name>` of an `O_PATH` handle on
    /// their directory, as conmon's sockets under deep run dirs can be.
    pub fn connect(path: &Path) -> Result<ConsoleSocket, TtyError> {
        let err = |source| TtyError::Connect {
            path: path.to_path_buf(),
            source,
        };
        if path.as_os_str().len() <= SUN_PATH_MAX {
            return UnixStream::connect(path)
                .map(|stream| ConsoleSocket { stream })
                .map_err(err);
        }
        let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
            return Err(err(io::Error::from(io::ErrorKind::InvalidInput)));
        };
        let dir = crate::sys::fs::open_dir(dir).map_err(err)?;
        let short = Path::new("/proc/self/fd")
            .join(dir.as_raw_fd().to_string())
            .join(name);
        if short.as_os_str().len() > SUN_PATH_MAX {
            return Err(err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "socket name too long",
            )));
        }
        UnixStream::connect(&short)
            .map(|stream| ConsoleSocket { stream })
            .map_err(err)
    }

    /// Wraps an already connected stream (e.g. one end of a socketpair).
    pub fn from_stream(stream: UnixStream) -> ConsoleSocket {
        ConsoleSocket { stream }
    }
}

/// Connects to `console_socket` and sets up the console; see
/// [`setup_console_on`]. Only for callers that can still reach the path.
pub fn setup_console(console_socket: &Path) -> Result<(), TtyError> {
    setup_console_on(ConsoleSocket::connect(console_socket)?, None)
}

/// In the container process, after `pivot_root` (so `/dev/ptmx` is the
/// container's devpts): allocates a pty, optionally sizes it (`rows`,
/// `cols`), sends the master over `sock`, then starts a new session and makes
/// the slave the controlling terminal and fds 0, 1 and 2. The master and the
/// socket are closed here: only the receiver keeps the master.
pub fn setup_console_on(sock: ConsoleSocket, size: Option<(u16, u16)>) -> Result<(), TtyError> {
    let slave = allocate_and_send(&sock, size)?;
    drop(sock);
    if let Err(e) = pty::setsid() {
        // Already a session leader (the caller did setsid itself): fine.
        if rustix::process::getsid(None).ok() != Some(rustix::process::getpid()) {
            return Err(TtyError::Setsid(e));
        }
    }
    pty::set_controlling_terminal(slave.as_fd()).map_err(TtyError::ControllingTerminal)?;
    for target in 0..=2 {
        pty::dup_onto(slave.as_fd(), target).map_err(TtyError::Stdio)?;
    }
    if slave.as_raw_fd() <= 2 {
        // The slave landed on a stdio slot: keep it open as that slot.
        std::mem::forget(slave);
    }
    Ok(())
}

/// Opens a pty from `/dev/ptmx`, sends the master with its slave's name over
/// `sock`, and returns the slave.
fn allocate_and_send(sock: &ConsoleSocket, size: Option<(u16, u16)>) -> Result<OwnedFd, TtyError> {
    let master = pty::open_ptmx(Path::new("/dev/ptmx")).map_err(TtyError::OpenPtmx)?;
    pty::unlockpt(master.as_fd()).map_err(TtyError::Unlock)?;
    let name = pty::ptsname(master.as_fd()).map_err(TtyError::OpenSlave)?;
    let slave = pty::open_peer(master.as_fd()).map_err(TtyError::OpenSlave)?;
    if let Some((rows, cols)) = size {
        pty::set_window_size(master.as_fd(), rows, cols).map_err(TtyError::WindowSize)?;
    }
    pty::send_fd(
        sock.stream.as_fd(),
        master.as_fd(),
        name.as_os_str().as_bytes(),
    )
    .map_err(TtyError::Send)?;
    Ok(slave)
}

/// The receiving side: accepts one connection on `listener` and returns the
/// pty master the runtime sent, with the pty name from the message.
pub fn recv_console(listener: &UnixListener) -> Result<(OwnedFd, PathBuf), TtyError> {
    let (stream, _) = listener.accept().map_err(TtyError::Accept)?;
    let (fd, name) = pty::recv_fd(stream.as_fd()).map_err(TtyError::Recv)?;
    let name = name.split(|&b| b == 0).next().unwrap_or_default();
    Ok((
        fd,
        PathBuf::from(std::ffi::OsStr::from_bytes(name).to_os_string()),
    ))
}

/// [`recv_console`] without the name.
pub fn recv_console_master(listener: &UnixListener) -> Result<OwnedFd, TtyError> {
    recv_console(listener).map(|(fd, _)| fd)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};

    #[test]
    fn master_arrives_and_drives_the_slave() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("console.sock");
        let listener = UnixListener::bind(&path).unwrap();
        let sock = ConsoleSocket::connect(&path).unwrap();
        let slave = allocate_and_send(&sock, Some((24, 80))).unwrap();
        let (master, name) = recv_console(&listener).unwrap();
        assert!(name.starts_with("/dev/pts/"), "{}", name.display());
        let ws = rustix::termios::tcgetwinsize(&slave).unwrap();
        assert_eq!((ws.ws_row, ws.ws_col), (24, 80));
        let mut m = std::fs::File::from(master);
        let mut s = std::fs::File::from(slave);
        m.write_all(b"ping\n").unwrap();
        let mut buf = [0u8; 5];
        s.read_exact(&mut buf).unwrap();
        assert_eq!(&buf, b"ping\n");
    }

    #[test]
    fn long_socket_paths_connect_through_proc() {
        let dir = tempfile::tempdir().unwrap();
        let deep = dir.path().join("d".repeat(60)).join("e".repeat(60));
        std::fs::create_dir_all(&deep).unwrap();
        let path = deep.join("console.sock");
        assert!(path.as_os_str().len() > SUN_PATH_MAX);
        // Bind through the same short alias; the kernel names the inode.
        let d = crate::sys::fs::open_dir(&deep).unwrap();
        let alias = format!("/proc/self/fd/{}/console.sock", d.as_raw_fd());
        let listener = UnixListener::bind(&alias).unwrap();
        let sock = ConsoleSocket::connect(&path).unwrap();
        let _slave = allocate_and_send(&sock, None).unwrap();
        recv_console_master(&listener).unwrap();
    }

    #[test]
    fn connect_to_missing_socket_names_the_path() {
        let err = ConsoleSocket::connect(Path::new("/nonexistent/skiff.sock")).unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("/nonexistent/skiff.sock"), "{msg}");
    }

    #[test]
    fn a_peer_that_sends_no_fd_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s");
        let listener = UnixListener::bind(&path).unwrap();
        let mut c = UnixStream::connect(&path).unwrap();
        c.write_all(b"hello").unwrap();
        assert!(matches!(
            recv_console_master(&listener),
            Err(TtyError::Recv(_))
        ));
    }
}
