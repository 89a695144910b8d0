//! The monitor's socket protocol: framed messages over a unix stream socket
//! at `<runtime>/c/<id12>/attach` (0600).
//!
//! A frame is one type byte, a big-endian u32 length and the payload. A
//! client first sends `HELLO` with the streams it wants; it then gets
//! `STDOUT`/`STDERR` data and, when the container's process ends, `EXIT`
//! with the code. It may send `STDIN` data, `STDIN_EOF`, `RESIZE` and
//! `KILL`. A client that wants no streams (stop, kill) just sends its
//! requests and closes.
use std::io::{self, Read, Write};
use std::os::unix::net::UnixStream;
use std::path::Path;

pub const HELLO: u8 = 0;
pub const STDOUT: u8 = 1;
pub const STDERR: u8 = 2;
pub const EXIT: u8 = 3;
pub const STDIN: u8 = 10;
pub const STDIN_EOF: u8 = 11;
pub const RESIZE: u8 = 12;
pub const KILL: u8 = 13;

/// `HELLO` flags.
pub const WANT_STDIN: u8 = 1;
pub const WANT_STDOUT: u8 = 2;
pub const WANT_STDERR: u8 = 4;

/// Largest payload accepted: a frame longer than this is a protocol error.
pub const MAX_FRAME: usize = 1 << 20;

pub fn write_frame(w: &mut impl Write, kind: u8, payload: &[u8]) -> io::Result<()> {
    let mut head = [0u8; 5];
    head[0] = kind;
    head[1..].copy_from_slice(&(payload.len() as u32).to_be_bytes());
    // One write for small frames keeps frames whole on a shared socket.
    if payload.len() <= 4096 {
        let mut buf = Vec::with_capacity(5 + payload.len());
        buf.extend_from_slice(&head);
        buf.extend_from_slice(payload);
        return w.write_all(&buf);
    }
    w.write_all(&head)?;
    w.write_all(payload)
}

/// Reads one frame; `None` at a clean end of stream.
pub fn read_frame(r: &mut impl Read) -> io::Result<Option<(u8, Vec<u8>)>> {
    let mut head = [0u8; 5];
    let mut got = 0;
    while got < head.len() {
        match r.read(&mut head[got..]) {
            Ok(0) if got == 0 => return Ok(None),
            Ok(0) => return Err(io::ErrorKind::UnexpectedEof.into()),
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    let len = u32::from_be_bytes([head[1], head[2], head[3], head[4]]) as usize;
    if len > MAX_FRAME {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("attach frame of {len} bytes is too large"),
        ));
    }
    let mut payload = vec![0u8; len];
    r.read_exact(&mut payload)?;
    Ok(Some((head[0], payload)))
}

/// Incremental frame parser for a non-blocking reader (the monitor's side).
#[derive(Default)]
pub struct FrameBuf {
    buf: Vec<u8>,
}

impl FrameBuf {
    pub fn push(&mut self, data: &[u8]) {
        self.buf.extend_from_slice(data);
    }
    /// The next complete frame, if one has arrived.
    pub fn next_frame(&mut self) -> io::Result<Option<(u8, Vec<u8>)>> {
        if self.buf.len() < 5 {
            return Ok(None);
        }
        let len = u32::from_be_bytes([self.buf[1], self.buf[2], self.buf[3], self.buf[4]]) as usize;
        if len > MAX_FRAME {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "attach frame too large",
            ));
        }
        if self.buf.len() < 5 + len {
            return Ok(None);
        }
        let kind = self.buf[0];
        let payload = self.buf[5..5 + len].to_vec();
        self.buf.drain(..5 + len);
        Ok(Some((kind, payload)))
    }
}

/// Connects to a container's monitor.
pub fn connect(socket: &Path) -> io::Result<UnixStream> {
    UnixStream::connect(socket)
}

/// Asks the monitor to signal the container's init.
pub fn send_kill(socket: &Path, signal: i32) -> io::Result<()> {
    let mut s = connect(socket)?;
    write_frame(&mut s, HELLO, &[0])?;
    write_frame(&mut s, KILL, &signal.to_be_bytes())?;
    // Wait for the monitor to read it and hang up (it answers nothing).
    s.shutdown(std::net::Shutdown::Write)?;
    let mut sink = [0u8; 64];
    while s.read(&mut sink)? > 0 {}
    Ok(())
}

pub fn resize_payload(rows: u16, cols: u16) -> [u8; 4] {
    let mut p = [0u8; 4];
    p[..2].copy_from_slice(&rows.to_be_bytes());
    p[2..].copy_from_slice(&cols.to_be_bytes());
    p
}

pub fn parse_resize(p: &[u8]) -> Option<(u16, u16)> {
    (p.len() == 4).then(|| {
        (
            u16::from_be_bytes([p[0], p[1]]),
            u16::from_be_bytes([p[2], p[3]]),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_round_trip_whole_and_in_pieces() {
        let mut wire = Vec::new();
        write_frame(&mut wire, STDOUT, b"hello\n").unwrap();
        write_frame(&mut wire, EXIT, &7i32.to_be_bytes()).unwrap();
        let big = vec![b'x'; 10_000];
        write_frame(&mut wire, STDERR, &big).unwrap();
        let mut r = &wire[..];
        assert_eq!(
            read_frame(&mut r).unwrap(),
            Some((STDOUT, b"hello\n".to_vec()))
        );
        assert_eq!(
            read_frame(&mut r).unwrap(),
            Some((EXIT, 7i32.to_be_bytes().to_vec()))
        );
        assert_eq!(read_frame(&mut r).unwrap(), Some((STDERR, big.clone())));
        assert_eq!(read_frame(&mut r).unwrap(), None);

        let mut fb = FrameBuf::default();
        let mut frames = Vec::new();
        for chunk in wire.chunks(3) {
            fb.push(chunk);
            while let Some(f) = fb.next_frame().unwrap() {
                frames.push(f);
            }
        }
        assert_eq!(frames.len(), 3);
        assert_eq!(frames[2].1.len(), 10_000);
    }

    #[test]
    fn oversized_and_truncated_frames_are_errors() {
        let mut wire = vec![STDIN];
        wire.extend_from_slice(&((MAX_FRAME as u32) + 1).to_be_bytes());
        assert!(read_frame(&mut &wire[..]).is_err());
        let mut fb = FrameBuf::default();
        fb.push(&wire);
        assert!(fb.next_frame().is_err());
        let short = [STDOUT, 0, 0];
        assert!(read_frame(&mut &short[..]).is_err());
    }

    #[test]
    fn resize_payload_round_trips() {
        assert_eq!(parse_resize(&resize_payload(40, 120)), Some((40, 120)));
        assert_eq!(parse_resize(&[1, 2, 3]), None);
    }
}
