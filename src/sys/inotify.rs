//! A one-file inotify watch, for following a growing file (`logs -f`).
use std::io;
use std::os::fd::{AsFd, OwnedFd};
use std::path::Path;

use rustix::fs::inotify::{self, CreateFlags, WatchFlags};

/// Wakes a waiter when the watched file is written, closed, moved, removed or
/// has its attributes changed.
pub struct FileWatch {
    fd: OwnedFd,
}

impl FileWatch {
    pub fn new(path: &Path) -> io::Result<FileWatch> {
        let fd = inotify::init(CreateFlags::CLOEXEC | CreateFlags::NONBLOCK)?;
        inotify::add_watch(
            &fd,
            path,
            WatchFlags::MODIFY
                | WatchFlags::CLOSE_WRITE
                | WatchFlags::ATTRIB
                | WatchFlags::MOVE_SELF
                | WatchFlags::DELETE_SELF,
        )?;
        Ok(FileWatch { fd })
    }

    /// Waits up to `timeout_ms` for an event and discards every queued one.
    /// Returns whether anything happened.
    pub fn wait(&self, timeout_ms: i32) -> io::Result<bool> {
        if !super::process::poll_readable(self.fd.as_fd(), timeout_ms)? {
            return Ok(false);
        }
        let mut buf = [0u8; 4096];
        loop {
            match rustix::io::read(&self.fd, &mut buf) {
                Ok(0) => return Ok(true),
                Ok(_) => continue,
                Err(rustix::io::Errno::AGAIN) => return Ok(true),
                Err(rustix::io::Errno::INTR) => continue,
                Err(e) => return Err(e.into()),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write as _;

    #[test]
    fn wakes_on_append_only() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("f");
        std::fs::write(&p, b"a").unwrap();
        let w = FileWatch::new(&p).unwrap();
        // Nothing happened yet (the write above closed before the watch).
        assert!(!w.wait(0).unwrap());
        let mut f = std::fs::OpenOptions::new().append(true).open(&p).unwrap();
        f.write_all(b"b").unwrap();
        assert!(w.wait(1000).unwrap());
        // Events were drained.
        assert!(!w.wait(0).unwrap());
    }
}
