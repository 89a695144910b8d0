//! The create-time conversation between the runtime and the container init:
//! framed messages over two CLOEXEC pipes. End of file means the other side
//! died, so no step ever waits on a timer.
use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::OwnedFd;

use super::error::RuntimeError;

/// Message tags. Child to parent: `USERNS` (map my user namespace, I am the
/// sender), `PID` (the init's pid, from an intermediate process), `READY`
/// (namespaces done: place me in the cgroup), `HOOKS` (run createRuntime and
/// prestart now), `CREATED`, `ERROR` (text follows). Parent to child: `ACK`
/// (possibly with data), `ABORT`.
pub const USERNS: u8 = b'U';
pub const PID: u8 = b'P';
pub const READY: u8 = b'R';
pub const HOOKS: u8 = b'H';
pub const CREATED: u8 = b'C';
pub const ERROR: u8 = b'E';
pub const ACK: u8 = b'A';
pub const ABORT: u8 = b'X';

pub struct Channel {
    tx: File,
    rx: File,
}

fn lost(e: std::io::Error) -> RuntimeError {
    RuntimeError::io("synchronising with the other side of create", e)
}

impl Channel {
    pub fn new(tx: OwnedFd, rx: OwnedFd) -> Channel {
        Channel {
            tx: File::from(tx),
            rx: File::from(rx),
        }
    }

    /// One message: tag, little-endian u32 length, payload. Small enough to
    /// be a single atomic pipe write.
    pub fn send(&mut self, tag: u8, payload: &[u8]) -> Result<(), RuntimeError> {
        let mut buf = Vec::with_capacity(5 + payload.len());
        buf.push(tag);
        buf.extend_from_slice(&(payload.len() as u32).to_le_bytes());
        buf.extend_from_slice(payload);
        self.tx.write_all(&buf).map_err(lost)
    }

    pub fn send_i32(&mut self, tag: u8, v: i32) -> Result<(), RuntimeError> {
        self.send(tag, &v.to_le_bytes())
    }

    /// The next message; `None` at end of file (the peer is gone).
    pub fn recv(&mut self) -> Result<Option<(u8, Vec<u8>)>, RuntimeError> {
        let mut head = [0u8; 5];
        match self.rx.read_exact(&mut head) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(None),
            Err(e) => return Err(lost(e)),
        }
        let len = u32::from_le_bytes([head[1], head[2], head[3], head[4]]) as usize;
        let mut payload = vec![0u8; len];
        self.rx.read_exact(&mut payload).map_err(lost)?;
        Ok(Some((head[0], payload)))
    }

    /// Waits for the parent's go-ahead; anything else ends the child.
    pub fn wait_ack(&mut self) -> Result<Vec<u8>, RuntimeError> {
        match self.recv()? {
            Some((ACK, data)) => Ok(data),
            Some((ABORT, _)) => Err(RuntimeError::Init("aborted by the runtime".into())),
            Some((t, _)) => Err(RuntimeError::Init(format!("unexpected message {t}"))),
            None => Err(RuntimeError::Init("the runtime went away".into())),
        }
    }
}

pub fn as_i32(payload: &[u8]) -> Option<i32> {
    Some(i32::from_le_bytes(payload.get(..4)?.try_into().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn framing_and_eof() {
        let (r1, w1) = crate::sys::process::pipe().unwrap();
        let (r2, w2) = crate::sys::process::pipe().unwrap();
        let mut a = Channel::new(w1, r2);
        let mut b = Channel::new(w2, r1);
        a.send_i32(PID, 4242).unwrap();
        a.send(ERROR, b"boom").unwrap();
        let (t, p) = b.recv().unwrap().unwrap();
        assert_eq!((t, as_i32(&p)), (PID, Some(4242)));
        assert_eq!(b.recv().unwrap().unwrap(), (ERROR, b"boom".to_vec()));
        b.send(ACK, b"data").unwrap();
        assert_eq!(a.wait_ack().unwrap(), b"data");
        drop(b);
        assert!(a.recv().unwrap().is_none());
        assert!(a.wait_ack().is_err());
    }
}
