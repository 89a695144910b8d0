//! The attaching side of `run`, `start -a` and `attach`: copies the
//! container's output to our stdout/stderr, our stdin to the container,
//! terminal size changes, and (with --sig-proxy) our signals to it, until the
//! monitor reports the exit code or the user detaches.
use std::io::{self, Read, Write};
use std::os::fd::AsFd;
use std::os::unix::net::UnixStream;

use nix::sys::signal::{SigSet, Signal};
use nix::sys::signalfd::SignalFd;

use crate::container::attach;

/// How an attached session ended.
pub enum Ended {
    Exited(i32),
    Detached,
    /// The monitor went away without reporting an exit code.
    Lost,
}

pub struct RelayOptions {
    pub stdin: bool,
    pub tty: bool,
    pub sig_proxy: bool,
    pub detach_keys: Vec<u8>,
}

/// Docker's detach keys: "ctrl-p,ctrl-q" by default; `ctrl-X` and single
/// characters, comma separated.
pub fn parse_detach_keys(s: Option<&str>) -> anyhow::Result<Vec<u8>> {
    let s = s.unwrap_or("ctrl-p,ctrl-q");
    if s.is_empty() {
        return Ok(Vec::new());
    }
    s.split(',')
        .map(|k| {
            let k = k.trim();
            if let Some(c) = k.strip_prefix("ctrl-") {
                let b = match c {
                    "@" => 0,
                    "[" => 27,
                    "\\" => 28,
                    "]" => 29,
                    "^" => 30,
                    "_" => 31,
                    c if c.len() == 1 && c.as_bytes()[0].is_ascii_alphabetic() => {
                        c.as_bytes()[0].to_ascii_lowercase() - b'a' + 1
                    }
                    _ => anyhow::bail!(
                        "invalid detach key {k:?}: expected ctrl-<a-z@[\\]^_> or one character"
                    ),
                };
                Ok(b)
            } else if k.len() == 1 {
                Ok(k.as_bytes()[0])
            } else {
                anyhow::bail!(
                    "invalid detach key {k:?}: expected ctrl-<a-z@[\\]^_> or one character"
                )
            }
        })
        .collect()
}

/// Signals forwarded to the container (and SIGWINCH for resizes).
const PROXIED: [Signal; 7] = [
    Signal::SIGINT,
    Signal::SIGTERM,
    Signal::SIGHUP,
    Signal::SIGQUIT,
    Signal::SIGUSR1,
    Signal::SIGUSR2,
    Signal::SIGWINCH,
];

pub fn relay(conn: UnixStream, o: RelayOptions) -> io::Result<Ended> {
    let stdin = io::stdin();
    let raw = (o.tty && rustix::termios::isatty(stdin.as_fd()))
        .then(|| crate::sys::term::RawMode::new(&stdin));
    // Signals are read from a signalfd by a thread; block them first so
    // every thread inherits the mask.
    let mut set = SigSet::empty();
    for s in PROXIED {
        if o.sig_proxy || s == Signal::SIGWINCH {
            set.add(s);
        }
    }
    let _ = set.thread_block();
    if let Ok(sfd) = SignalFd::new(&set) {
        let mut w = conn.try_clone()?;
        let tty = o.tty;
        std::thread::spawn(move || {
            while let Ok(Some(info)) = sfd.read_signal() {
                let sig = info.ssi_signo as i32;
                let res = if sig == libc::SIGWINCH {
                    if !tty {
                        continue;
                    }
                    match crate::sys::term::window_size(io::stdin()) {
                        Some((r, c)) => attach::write_frame(
                            &mut w,
                            attach::RESIZE,
                            &attach::resize_payload(r, c),
                        ),
                        None => continue,
                    }
                } else {
                    attach::write_frame(&mut w, attach::KILL, &sig.to_be_bytes())
                };
                if res.is_err() {
                    break;
                }
            }
        });
    }
    let (detach_tx, detach_rx) = std::sync::mpsc::channel::<()>();
    if o.stdin {
        let mut w = conn.try_clone()?;
        let keys = o.detach_keys.clone();
        let conn_for_detach = conn.try_clone()?;
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            let mut matched = 0usize;
            let mut input = io::stdin().lock();
            loop {
                let n = match input.read(&mut buf) {
                    Ok(0) | Err(_) => {
                        let _ = attach::write_frame(&mut w, attach::STDIN_EOF, &[]);
                        return;
                    }
                    Ok(n) => n,
                };
                let mut data = &buf[..n];
                let mut out = Vec::with_capacity(n);
                if !keys.is_empty() {
                    for &b in data {
                        if b == keys[matched] {
                            matched += 1;
                            if matched == keys.len() {
                                let _ = detach_tx.send(());
                                let _ = conn_for_detach.shutdown(std::net::Shutdown::Both);
                                return;
                            }
                        } else {
                            // A partial sequence that did not complete is input.
                            out.extend_from_slice(&keys[..matched]);
                            matched = usize::from(b == keys[0]);
                            if matched == 0 {
                                out.push(b);
                            }
                        }
                    }
                    data = &out;
                }
                if !data.is_empty() && attach::write_frame(&mut w, attach::STDIN, data).is_err() {
                    return;
                }
            }
        });
    }
    let mut r = io::BufReader::new(conn);
    let stdout = io::stdout();
    let stderr = io::stderr();
    let end = loop {
        match attach::read_frame(&mut r) {
            Ok(Some((attach::STDOUT, data))) => {
                let mut out = stdout.lock();
                let _ = out.write_all(&data);
                let _ = out.flush();
            }
            Ok(Some((attach::STDERR, data))) => {
                let mut err = stderr.lock();
                let _ = err.write_all(&data);
                let _ = err.flush();
            }
            Ok(Some((attach::EXIT, p))) => {
                let code = <[u8; 4]>::try_from(p.as_slice()).map_or(125, i32::from_be_bytes);
                break Ended::Exited(code);
            }
            Ok(Some(_)) => {}
            Ok(None) | Err(_) => {
                break if detach_rx.try_recv().is_ok() {
                    Ended::Detached
                } else {
                    Ended::Lost
                };
            }
        }
    };
    drop(raw);
    Ok(end)
}

/// `exec -t`: the runtime sends the pty master over a console socket; the
/// exec runs on a thread while this one copies between the master and our
/// terminal.
pub fn exec_with_tty(
    store: &crate::container::ContainerStore,
    c: &crate::container::Container,
    rt: crate::runtime::container::Runtime,
    mut p: oci_spec::runtime::Process,
    detach: bool,
    interactive: bool,
) -> Result<u8, crate::runtime::container::RuntimeError> {
    use crate::runtime::container::{ExecOptions, RuntimeError};
    let io_err = |what: &str, e: io::Error| RuntimeError::io(what.to_string(), e);
    if let Some((rows, cols)) = crate::sys::term::window_size(io::stdout()) {
        let b = oci_spec::runtime::BoxBuilder::default()
            .height(u64::from(rows))
            .width(u64::from(cols))
            .build()
            .ok();
        p.set_console_size(b);
    }
    let dir = store.run_dir(&c.id);
    let _ = std::fs::create_dir_all(&dir);
    let sock = dir.join(format!("exec-{}", std::process::id()));
    let _ = std::fs::remove_file(&sock);
    let listener =
        std::os::unix::net::UnixListener::bind(&sock).map_err(|e| io_err("console socket", e))?;
    let o = ExecOptions {
        process: p,
        console_socket: Some(sock.clone()),
        pid_file: None,
        detach,
        preserve_fds: 0,
    };
    let id = c.id.clone();
    let worker = std::thread::spawn(move || rt.exec(&id, &o));
    let master = crate::runtime::tty::recv_console_master(&listener);
    let _ = std::fs::remove_file(&sock);
    let master = match master {
        Ok(m) => std::fs::File::from(m),
        Err(e) => {
            return match worker.join() {
                Ok(Err(we)) => Err(we),
                _ => Err(e.into()),
            };
        }
    };
    if detach {
        return worker
            .join()
            .unwrap_or_else(|_| Err(RuntimeError::Init("exec thread panicked".into())))
            .map(|c| c.clamp(0, 255) as u8);
    }
    let stdin = io::stdin();
    let raw =
        rustix::termios::isatty(stdin.as_fd()).then(|| crate::sys::term::RawMode::new(&stdin));
    if interactive {
        let mut w = master.try_clone().map_err(|e| io_err("pty", e))?;
        std::thread::spawn(move || {
            let _ = io::copy(&mut io::stdin().lock(), &mut w);
        });
    }
    let mut r = master;
    let mut out = io::stdout();
    let mut buf = [0u8; 8192];
    loop {
        match r.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                let _ = out.write_all(&buf[..n]);
                let _ = out.flush();
            }
        }
    }
    drop(raw);
    worker
        .join()
        .unwrap_or_else(|_| Err(RuntimeError::Init("exec thread panicked".into())))
        .map(|c| c.clamp(0, 255) as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detach_keys_parse_like_docker() {
        assert_eq!(parse_detach_keys(None).unwrap(), vec![16, 17]);
        assert_eq!(parse_detach_keys(Some("ctrl-a,x")).unwrap(), vec![1, b'x']);
        assert_eq!(
            parse_detach_keys(Some("ctrl-@,ctrl-_")).unwrap(),
            vec![0, 31]
        );
        assert!(parse_detach_keys(Some("ctrl-1")).is_err());
        assert!(parse_detach_keys(Some("abc")).is_err());
        assert!(parse_detach_keys(Some("")).unwrap().is_empty());
    }
}
