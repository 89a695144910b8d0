//! The built-in port forwarder for slirp4netns networks: a thread of the
//! container's monitor listens on the published host ports and relays each
//! connection to the container's address, with `splice` so the bytes never
//! pass through user space and no user-mode TCP stack sits in between.
//!
//! The thread moves itself into the container's network namespace. Host
//! sockets are made before that, in the host's namespace, and keep it: a
//! socket belongs to the namespace it was created in. So one thread with
//! one poll loop can accept on the host and connect in the container.
//!
//! The container sees connections come from its own address (10.0.2.100),
//! where slirp4netns's `add_hostfwd` shows its gateway (10.0.2.2): neither
//! passes the real client address through.
use std::collections::HashMap;
use std::fs::File;
use std::io;
use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4, TcpListener, TcpStream, UdpSocket};
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use nix::sched::CloneFlags;
use rustix::event::{PollFd, PollFlags, Timespec, poll};
use rustix::io::Errno;
use rustix::pipe::{SpliceFlags, splice};

use super::NetworkError;
use super::ports::{self, HostSocket, PortMapping};
use crate::sys::process as sp;

/// slirp4netns's address for the container (`--configure`, default CIDR).
pub const GUEST: Ipv4Addr = Ipv4Addr::new(10, 0, 2, 100);
/// How much one splice moves; the pipes are grown to this where allowed.
const CHUNK: usize = 1 << 20;
/// A UDP "connection" is forgotten after this long without traffic.
const UDP_IDLE: Duration = Duration::from_secs(60);

/// The running forwarder; dropping it closes every listener and connection.
pub struct Forwarder {
    /// Closing it wakes the thread, which then returns.
    stop: Option<OwnedFd>,
    thread: Option<JoinHandle<()>>,
}

impl Drop for Forwarder {
    fn drop(&mut self) {
        self.stop.take();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Binds the host side of `ports` (a taken port is [`NetworkError::PortInUse`])
/// and starts relaying them into the network namespace of `pid`.
pub fn start(pid: i32, ports: &[PortMapping]) -> Result<Forwarder, NetworkError> {
    let fail = |what: String| move |e: io::Error| NetworkError::Slirp(format!("{what}: {e}"));
    let mut tcp = Vec::new();
    let mut udp = Vec::new();
    for m in ports {
        let nonblocking = match ports::bind_host(m)? {
            HostSocket::Tcp(l) => {
                let r = l.set_nonblocking(true);
                tcp.push((l, m.container_port));
                r
            }
            HostSocket::Udp(host) => {
                let r = host.set_nonblocking(true);
                udp.push(UdpPort {
                    host,
                    container_port: m.container_port,
                });
                r
            }
        };
        nonblocking.map_err(fail(format!("publishing {}", m.display())))?;
    }
    let ns_path = format!("/proc/{pid}/ns/net");
    let netns = File::open(&ns_path).map_err(fail(ns_path))?;
    let (stop_r, stop_w) = sp::pipe().map_err(fail("pipe".into()))?;
    let (tx, rx) = std::sync::mpsc::channel();
    let thread = std::thread::Builder::new()
        .name("port-forward".into())
        .stack_size(256 * 1024)
        .spawn(move || {
            // Only this thread changes namespace; the monitor stays put.
            let entered = sp::setns(netns.as_fd(), CloneFlags::CLONE_NEWNET);
            drop(netns);
            let ok = entered.is_ok();
            let _ = tx.send(entered);
            if ok {
                Relay::new(tcp, udp).run(stop_r.as_fd());
            }
        })
        .map_err(fail("starting the port forwarder".into()))?;
    let mut f = Forwarder {
        stop: Some(stop_w),
        thread: Some(thread),
    };
    match rx.recv() {
        Ok(Ok(())) => Ok(f),
        Ok(Err(e)) => {
            f.thread.take().map(|t| t.join());
            Err(NetworkError::Slirp(format!(
                "entering the container's network namespace: {e}"
            )))
        }
        Err(_) => Err(NetworkError::Slirp("the port forwarder died".into())),
    }
}

/// One direction of a connection: bytes read from one socket wait in a
/// pipe until the other takes them.
struct Half {
    r: OwnedFd,
    w: OwnedFd,
    queued: usize,
    /// The source said EOF.
    eof: bool,
    /// ... and the destination has been told (shutdown for writing).
    done: bool,
}

impl Half {
    fn new() -> io::Result<Half> {
        let (r, w) = sp::pipe()?;
        // Bigger moves per wake-up; the default 64 KiB still works.
        let _ = rustix::pipe::fcntl_setpipe_size(&w, CHUNK);
        Ok(Half {
            r,
            w,
            queued: 0,
            eof: false,
            done: false,
        })
    }

    /// Moves what it can from `src` to `dst` without blocking.
    fn pump(&mut self, src: BorrowedFd<'_>, dst: BorrowedFd<'_>) -> Result<(), Errno> {
        let flags = SpliceFlags::NONBLOCK | SpliceFlags::MOVE;
        loop {
            if self.queued == 0 && !self.eof {
                match splice(src, None, &self.w, None, CHUNK, flags) {
                    Ok(0) => self.eof = true,
                    Ok(n) => self.queued += n,
                    Err(Errno::AGAIN) => {}
                    Err(e) => return Err(e),
                }
            }
            if self.queued > 0 {
                match splice(&self.r, None, dst, None, self.queued, flags) {
                    Ok(n) => self.queued -= n,
                    Err(Errno::AGAIN) => return Ok(()),
                    Err(e) => return Err(e),
                }
                if self.queued > 0 {
                    return Ok(());
                }
                // All passed on: read again while the source has more.
                continue;
            }
            if self.eof && !self.done {
                self.done = true;
                let _ = rustix::net::shutdown(dst, rustix::net::Shutdown::Write);
            }
            return Ok(());
        }
    }

    /// Poll interest on the source and the destination.
    fn wants(&self) -> (PollFlags, PollFlags) {
        let read = if self.queued == 0 && !self.eof {
            PollFlags::IN
        } else {
            PollFlags::empty()
        };
        let write = if self.queued > 0 {
            PollFlags::OUT
        } else {
            PollFlags::empty()
        };
        (read, write)
    }
}

struct Conn {
    client: TcpStream,
    upstream: TcpStream,
    connected: bool,
    /// client → container, container → client.
    up: Half,
    down: Half,
}

impl Conn {
    fn open(client: TcpStream, container_port: u16) -> io::Result<Conn> {
        use rustix::net::{AddressFamily, SocketFlags, SocketType};
        client.set_nonblocking(true)?;
        let fd = rustix::net::socket_with(
            AddressFamily::INET,
            SocketType::STREAM,
            SocketFlags::NONBLOCK | SocketFlags::CLOEXEC,
            None,
        )?;
        match rustix::net::connect(&fd, &SocketAddrV4::new(GUEST, container_port)) {
            Ok(()) | Err(Errno::INPROGRESS) => {}
            Err(e) => return Err(e.into()),
        }
        Ok(Conn {
            client,
            upstream: TcpStream::from(fd),
            connected: false,
            up: Half::new()?,
            down: Half::new()?,
        })
    }

    fn interest(&self) -> (PollFlags, PollFlags) {
        if !self.connected {
            return (PollFlags::empty(), PollFlags::OUT);
        }
        let (c_in, u_out) = self.up.wants();
        let (u_in, c_out) = self.down.wants();
        (c_in | c_out, u_in | u_out)
    }

    /// Handles readiness; false once the connection is over.
    fn step(&mut self, client: PollFlags, upstream: PollFlags) -> bool {
        if !self.connected {
            if upstream.is_empty() {
                return true;
            }
            // Refused or unreachable: close the client's side too.
            match rustix::net::sockopt::socket_error(&self.upstream) {
                Ok(Ok(())) => self.connected = true,
                _ => return false,
            }
        }
        if client.is_empty() && upstream.is_empty() {
            return true;
        }
        if client.contains(PollFlags::ERR) || upstream.contains(PollFlags::ERR) {
            return false;
        }
        let (c, u) = (self.client.as_fd(), self.upstream.as_fd());
        if self.up.pump(c, u).is_err() || self.down.pump(u, c).is_err() {
            return false;
        }
        // A peer that hung up entirely takes nothing more: once what it
        // sent is through, the connection is over.
        let gone = |flags: PollFlags, from: &Half| {
            flags.contains(PollFlags::HUP) && from.eof && from.queued == 0
        };
        let over = (self.up.done && self.down.done)
            || gone(client, &self.up)
            || gone(upstream, &self.down);
        !over
    }
}

struct UdpPort {
    host: UdpSocket,
    container_port: u16,
}

/// A host client's datagrams, relayed through a socket of its own so the
/// container's replies find their way back.
struct Flow {
    port: usize,
    client: SocketAddr,
    sock: UdpSocket,
    last: Instant,
}

struct Relay {
    listeners: Vec<(TcpListener, u16)>,
    udp: Vec<UdpPort>,
    conns: Vec<Conn>,
    flows: HashMap<(usize, SocketAddr), Flow>,
    buf: Vec<u8>,
}

impl Relay {
    fn new(listeners: Vec<(TcpListener, u16)>, udp: Vec<UdpPort>) -> Relay {
        Relay {
            listeners,
            udp,
            conns: Vec::new(),
            flows: HashMap::new(),
            buf: vec![0; 64 * 1024],
        }
    }

    fn run(&mut self, stop: BorrowedFd<'_>) {
        loop {
            let flows: Vec<(usize, SocketAddr)> = self.flows.keys().copied().collect();
            let mut fds = Vec::with_capacity(1 + self.listeners.len() + 2 * self.conns.len());
            fds.push(PollFd::new(&stop, PollFlags::IN));
            for (l, _) in &self.listeners {
                fds.push(PollFd::new(l, PollFlags::IN));
            }
            for u in &self.udp {
                fds.push(PollFd::new(&u.host, PollFlags::IN));
            }
            for k in &flows {
                fds.push(PollFd::new(&self.flows[k].sock, PollFlags::IN));
            }
            for c in &self.conns {
                let (ci, ui) = c.interest();
                fds.push(PollFd::new(&c.client, ci));
                fds.push(PollFd::new(&c.upstream, ui));
            }
            // Idle UDP flows are swept at least this often.
            let timeout = (!self.flows.is_empty()).then_some(Timespec {
                tv_sec: 5,
                tv_nsec: 0,
            });
            match poll(&mut fds, timeout.as_ref()) {
                Ok(_) | Err(Errno::INTR) => {}
                Err(_) => return,
            }
            let ready: Vec<PollFlags> = fds.iter().map(|f| f.revents()).collect();
            drop(fds);
            if !ready[0].is_empty() {
                return;
            }
            let mut i = 1;
            for l in 0..self.listeners.len() {
                if !ready[i].is_empty() {
                    self.accept(l);
                }
                i += 1;
            }
            for p in 0..self.udp.len() {
                if !ready[i].is_empty() {
                    self.relay_to_container(p);
                }
                i += 1;
            }
            for k in &flows {
                if !ready[i].is_empty() {
                    self.relay_to_host(k);
                }
                i += 1;
            }
            // Connections accepted above come after the polled ones.
            let polled = (ready.len() - i) / 2;
            let mut keep = Vec::with_capacity(self.conns.len());
            for (n, mut c) in self.conns.drain(..).enumerate() {
                let alive = if n < polled {
                    c.step(ready[i + 2 * n], ready[i + 2 * n + 1])
                } else {
                    true
                };
                if alive {
                    keep.push(c);
                }
            }
            self.conns = keep;
            self.flows.retain(|_, f| f.last.elapsed() < UDP_IDLE);
        }
    }

    fn accept(&mut self, l: usize) {
        let (listener, port) = &self.listeners[l];
        while let Ok((client, _)) = listener.accept() {
            // A failure here (out of fds) drops this client only.
            if let Ok(c) = Conn::open(client, *port) {
                self.conns.push(c);
            }
        }
    }

    fn relay_to_container(&mut self, p: usize) {
        while let Ok((n, client)) = self.udp[p].host.recv_from(&mut self.buf) {
            let port = self.udp[p].container_port;
            let flow = match self.flows.entry((p, client)) {
                std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::hash_map::Entry::Vacant(e) => {
                    let Ok(sock) = udp_to_container(port) else {
                        continue;
                    };
                    e.insert(Flow {
                        port: p,
                        client,
                        sock,
                        last: Instant::now(),
                    })
                }
            };
            flow.last = Instant::now();
            let _ = flow.sock.send(&self.buf[..n]);
        }
    }

    fn relay_to_host(&mut self, k: &(usize, SocketAddr)) {
        let Some(flow) = self.flows.get_mut(k) else {
            return;
        };
        while let Ok(n) = flow.sock.recv(&mut self.buf) {
            flow.last = Instant::now();
            let _ = self.udp[flow.port]
                .host
                .send_to(&self.buf[..n], flow.client);
        }
    }
}

fn udp_to_container(port: u16) -> io::Result<UdpSocket> {
    let s = UdpSocket::bind((Ipv4Addr::UNSPECIFIED, 0))?;
    s.connect((GUEST, port))?;
    s.set_nonblocking(true)?;
    Ok(s)
}
