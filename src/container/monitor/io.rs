//! The monitor's I/O: the container's stdio (pipes, or the pty master),
//! the log, and attach clients, in one single-threaded poll loop.
use std::fs::File;
use std::io::{self, Read, Write};
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::os::unix::net::{UnixListener, UnixStream};
use std::time::{Duration, Instant};

use rustix::event::{PollFd, PollFlags, Timespec};

use crate::container::attach::{self, FrameBuf};
use crate::container::logs::{LogWriter, Stream};
use crate::container::record::Container;
use crate::container::store::ContainerStore;
use crate::sys::process as sp;
use crate::sys::pty;

/// The container's stdio before the create: our ends and the child's.
pub struct Stdio {
    child: [Option<OwnedFd>; 3],
    parent_in: Option<OwnedFd>,
    parent_out: Option<OwnedFd>,
    parent_err: Option<OwnedFd>,
}

impl Stdio {
    /// Pipes for stdout/stderr (and stdin when `interactive`); with a tty
    /// the runtime's pty replaces all three, so none are made.
    pub fn new(tty: bool, interactive: bool) -> io::Result<Stdio> {
        let mut s = Stdio {
            child: [None, None, None],
            parent_in: None,
            parent_out: None,
            parent_err: None,
        };
        if tty {
            return Ok(s);
        }
        if interactive {
            let (r, w) = sp::pipe()?;
            s.child[0] = Some(r);
            s.parent_in = Some(w);
        }
        let (r, w) = sp::pipe()?;
        s.parent_out = Some(r);
        s.child[1] = Some(w);
        let (r, w) = sp::pipe()?;
        s.parent_err = Some(r);
        s.child[2] = Some(w);
        Ok(s)
    }

    /// Runs `f` (the runtime's create, whose init inherits fds 0-2) with
    /// the child's ends on 0-2, then puts /dev/null back.
    pub fn with_child_stdio<T>(&self, f: impl FnOnce() -> T) -> io::Result<T> {
        let null = File::options().read(true).write(true).open("/dev/null")?;
        for (n, fd) in self.child.iter().enumerate() {
            let src = fd.as_ref().map_or(null.as_fd(), |f| f.as_fd());
            pty::dup_onto(src, n as i32)?;
        }
        let out = f();
        for n in 0..3 {
            pty::dup_onto(null.as_fd(), n)?;
        }
        Ok(out)
    }

    pub fn into_parent(self) -> ParentStdio {
        let nb = |fd: Option<OwnedFd>| {
            fd.map(|fd| {
                let _ = set_nonblocking(fd.as_fd());
                File::from(fd)
            })
        };
        ParentStdio {
            input: nb(self.parent_in),
            out: nb(self.parent_out),
            err: nb(self.parent_err),
            master: None,
        }
    }
}

/// Our ends of the container's stdio.
pub struct ParentStdio {
    input: Option<File>,
    out: Option<File>,
    err: Option<File>,
    master: Option<File>,
}

impl ParentStdio {
    pub fn set_master(&mut self, master: OwnedFd) {
        let _ = set_nonblocking(master.as_fd());
        self.master = Some(File::from(master));
    }

    fn write_input(&mut self, data: &[u8]) {
        let target = self.master.as_mut().or(self.input.as_mut());
        if let Some(f) = target
            && write_all_blocking(f, data).is_err()
        {
            // The container closed its stdin: drop further input.
            self.input = None;
        }
    }

    fn close_input(&mut self) {
        if self.master.is_some() {
            // A terminal has no EOF of its own: send the EOF character.
            if let Some(m) = self.master.as_mut() {
                let _ = write_all_blocking(m, &[4]);
            }
        } else {
            self.input = None;
        }
    }

    /// Reads what the container wrote after its init ended (the pipes or
    /// pty may still hold data), until EOF or nothing more is buffered.
    pub fn drain(&mut self, log: &mut LogWriter, clients: &mut Clients) {
        let mut buf = vec![0u8; 64 * 1024];
        for stream in [Stream::Stdout, Stream::Stderr] {
            loop {
                let f = match stream {
                    Stream::Stdout => self.master.as_mut().or(self.out.as_mut()),
                    Stream::Stderr => self.err.as_mut(),
                };
                let Some(f) = f else { break };
                match f.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        let _ = log.write(stream, &buf[..n]);
                        clients.broadcast(stream, &buf[..n]);
                    }
                }
            }
        }
        let _ = log.flush();
    }
}

struct Client {
    sock: UnixStream,
    flags: u8,
    buf: FrameBuf,
}

/// Attach clients, kept across restarts of the container.
#[derive(Default)]
pub struct Clients {
    list: Vec<Client>,
}

impl Clients {
    /// Accepts every pending connection and handles frames already sent.
    pub fn accept_pending(
        &mut self,
        listener: &UnixListener,
        stdio: &mut ParentStdio,
        pidfd: Option<BorrowedFd<'_>>,
    ) {
        while let Ok((sock, _)) = listener.accept() {
            let _ = sock.set_nonblocking(true);
            self.list.push(Client {
                sock,
                flags: 0,
                buf: FrameBuf::default(),
            });
        }
        for i in (0..self.list.len()).rev() {
            if !self.read_client(i, stdio, pidfd) {
                self.list.swap_remove(i);
            }
        }
    }

    /// Serves output, input and clients until the init (`pidfd`) exits.
    pub fn pump(
        &mut self,
        listener: &UnixListener,
        stdio: &mut ParentStdio,
        log: &mut LogWriter,
        pidfd: BorrowedFd<'_>,
    ) {
        let mut buf = vec![0u8; 64 * 1024];
        let mut out_open = true;
        let mut err_open = stdio.err.is_some();
        loop {
            let out_fd = stdio
                .master
                .as_ref()
                .or(stdio.out.as_ref())
                .map(|f| f.as_fd());
            let err_fd = stdio.err.as_ref().map(|f| f.as_fd());
            let mut fds = vec![
                PollFd::from_borrowed_fd(pidfd, PollFlags::IN),
                PollFd::from_borrowed_fd(listener.as_fd(), PollFlags::IN),
            ];
            let out_idx = match out_fd {
                Some(fd) if out_open => {
                    fds.push(PollFd::from_borrowed_fd(fd, PollFlags::IN));
                    Some(fds.len() - 1)
                }
                _ => None,
            };
            let err_idx = match err_fd {
                Some(fd) if err_open => {
                    fds.push(PollFd::from_borrowed_fd(fd, PollFlags::IN));
                    Some(fds.len() - 1)
                }
                _ => None,
            };
            let first_client = fds.len();
            for c in &self.list {
                fds.push(PollFd::from_borrowed_fd(c.sock.as_fd(), PollFlags::IN));
            }
            match rustix::event::poll(&mut fds, None) {
                Ok(_) => {}
                Err(rustix::io::Errno::INTR) => continue,
                Err(_) => return,
            }
            let ready = |i: usize| !fds[i].revents().is_empty();
            let exited = ready(0);
            let accept = ready(1);
            let out_ready = out_idx.is_some_and(ready);
            let err_ready = err_idx.is_some_and(ready);
            let client_ready: Vec<bool> = (first_client..fds.len()).map(ready).collect();
            drop(fds);
            if out_ready {
                out_open = self.copy_out(stdio, Stream::Stdout, log, &mut buf);
            }
            if err_ready {
                err_open = self.copy_out(stdio, Stream::Stderr, log, &mut buf);
            }
            for i in (0..client_ready.len()).rev() {
                if client_ready[i] && !self.read_client(i, stdio, Some(pidfd)) {
                    self.list.swap_remove(i);
                }
            }
            if accept {
                self.accept_pending(listener, stdio, Some(pidfd));
            }
            if exited {
                return;
            }
        }
    }

    /// One read of the container's output; false at EOF.
    fn copy_out(
        &mut self,
        stdio: &mut ParentStdio,
        stream: Stream,
        log: &mut LogWriter,
        buf: &mut [u8],
    ) -> bool {
        let f = match stream {
            Stream::Stdout => stdio.master.as_mut().or(stdio.out.as_mut()),
            Stream::Stderr => stdio.err.as_mut(),
        };
        let Some(f) = f else { return false };
        match f.read(buf) {
            Ok(0) => false,
            Ok(n) => {
                if let Err(e) = log.write(stream, &buf[..n]) {
                    eprintln!("skiff monitor: writing the log: {e}");
                }
                self.broadcast(stream, &buf[..n]);
                true
            }
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => true,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => true,
            // EIO: the pty's other side is closed.
            Err(_) => false,
        }
    }

    /// Reads whatever a client sent; false when it is gone.
    fn read_client(
        &mut self,
        i: usize,
        stdio: &mut ParentStdio,
        pidfd: Option<BorrowedFd<'_>>,
    ) -> bool {
        let mut tmp = [0u8; 16 * 1024];
        let c = &mut self.list[i];
        let mut open = true;
        loop {
            match c.sock.read(&mut tmp) {
                Ok(0) => {
                    open = false;
                    break;
                }
                Ok(n) => c.buf.push(&tmp[..n]),
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => return false,
            }
        }
        loop {
            let frame = match c.buf.next_frame() {
                Ok(Some(f)) => f,
                Ok(None) => break,
                Err(_) => return false,
            };
            match frame {
                (attach::HELLO, p) => c.flags = p.first().copied().unwrap_or(0),
                (attach::STDIN, data) if c.flags & attach::WANT_STDIN != 0 => {
                    stdio.write_input(&data)
                }
                (attach::STDIN_EOF, _) if c.flags & attach::WANT_STDIN != 0 => stdio.close_input(),
                (attach::RESIZE, p) => {
                    if let (Some((rows, cols)), Some(m)) = (attach::parse_resize(&p), &stdio.master)
                    {
                        let _ = pty::set_window_size(m.as_fd(), rows, cols);
                    }
                }
                (attach::KILL, p) => {
                    if let (Ok(b), Some(pfd)) = (<[u8; 4]>::try_from(p.as_slice()), pidfd) {
                        let _ = sp::pidfd_send_signal(pfd, i32::from_be_bytes(b));
                    }
                }
                _ => {}
            }
        }
        if !open && c.flags & attach::WANT_STDIN != 0 {
            // An interactive client left: like Docker, that closes stdin.
            stdio.close_input();
        }
        open
    }

    pub fn broadcast(&mut self, stream: Stream, data: &[u8]) {
        let (kind, want) = match stream {
            Stream::Stdout => (attach::STDOUT, attach::WANT_STDOUT),
            Stream::Stderr => (attach::STDERR, attach::WANT_STDERR),
        };
        self.list.retain_mut(|c| {
            c.flags & want == 0 || {
                let mut frame = Vec::with_capacity(5 + data.len());
                let _ = attach::write_frame(&mut frame, kind, data);
                write_all_blocking(&mut c.sock, &frame).is_ok()
            }
        });
    }

    /// Tells every client the container's process ended, with its code.
    pub fn send_exit(&mut self, code: i32) {
        for c in &mut self.list {
            let mut frame = Vec::new();
            let _ = attach::write_frame(&mut frame, attach::EXIT, &code.to_be_bytes());
            let _ = write_all_blocking(&mut c.sock, &frame);
        }
        self.list.clear();
    }

    /// Waits out a restart delay while serving clients; false when a user's
    /// stop arrived meanwhile (no restart then).
    pub fn wait_restart(
        &mut self,
        listener: &UnixListener,
        delay: Duration,
        store: &ContainerStore,
        id: &str,
    ) -> bool {
        let end = Instant::now() + delay;
        let mut dummy = ParentStdio {
            input: None,
            out: None,
            err: None,
            master: None,
        };
        loop {
            let stopped = || {
                Container::load(&store.dir(id))
                    .map(|c| c.state.stopped_by_user)
                    .unwrap_or(true)
            };
            if stopped() {
                return false;
            }
            let left = end.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return true;
            }
            let ts = Timespec::try_from(left.min(Duration::from_millis(100))).unwrap_or_default();
            let mut fds = [PollFd::from_borrowed_fd(listener.as_fd(), PollFlags::IN)];
            let _ = rustix::event::poll(&mut fds, Some(&ts));
            self.accept_pending(listener, &mut dummy, None);
        }
    }
}

fn set_nonblocking(fd: BorrowedFd<'_>) -> io::Result<()> {
    let fl =
        rustix::fs::fcntl_getfl(fd).map_err(|e| io::Error::from_raw_os_error(e.raw_os_error()))?;
    rustix::fs::fcntl_setfl(fd, fl | rustix::fs::OFlags::NONBLOCK)
        .map_err(|e| io::Error::from_raw_os_error(e.raw_os_error()))
}

/// write_all on a non-blocking fd: waits (up to 10 s per stall) for room.
/// A reader that stalls longer is dropped rather than stalling the monitor.
fn write_all_blocking(w: &mut (impl Write + AsFd), mut data: &[u8]) -> io::Result<()> {
    while !data.is_empty() {
        match w.write(data) {
            Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
            Ok(n) => data = &data[n..],
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                let ts = Timespec {
                    tv_sec: 10,
                    tv_nsec: 0,
                };
                let mut fds = [PollFd::from_borrowed_fd(w.as_fd(), PollFlags::OUT)];
                let n = rustix::event::poll(&mut fds, Some(&ts))
                    .map_err(|e| io::Error::from_raw_os_error(e.raw_os_error()))?;
                if n == 0 {
                    return Err(io::ErrorKind::TimedOut.into());
                }
            }
            Err(e) => return Err(e),
        }
    }
    Ok(())
}
