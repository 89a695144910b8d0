//! Atomic file replacement and directory locks shared by every store.
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Writes `data` to `path` so that readers see either the old or the new
/// content, never a torn file: temp file in the same dir, fsync, rename, fsync dir.
pub fn write_file(path: &Path, data: &[u8]) -> io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new().prefix(".tmp-").tempfile_in(dir)?;
    tmp.write_all(data)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    sync_dir(dir)
}

/// Serializes `value` as pretty JSON and writes it atomically.
pub fn write_json<T: serde::Serialize>(path: &Path, value: &T) -> io::Result<()> {
    let data = serde_json::to_vec_pretty(value).map_err(io::Error::other)?;
    write_file(path, &data)
}

/// Like [`write_file`] without the fsyncs: readers still see the old or the
/// new content, never a torn file, but a crash may lose the update. For
/// state that does not outlive a reboot or is rebuilt from other records
/// (runtime state, container state, a bundle's config).
pub fn replace_file(path: &Path, data: &[u8]) -> io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new().prefix(".tmp-").tempfile_in(dir)?;
    tmp.write_all(data)?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// [`replace_file`] of compact JSON.
pub fn replace_json<T: serde::Serialize>(path: &Path, value: &T) -> io::Result<()> {
    let data = serde_json::to_vec(value).map_err(io::Error::other)?;
    replace_file(path, &data)
}

pub fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

/// An advisory `flock` held for the life of the value.
#[derive(Debug)]
pub struct FileLock {
    file: File,
    path: PathBuf,
}

impl FileLock {
    /// Exclusive lock, waiting for other holders.
    pub fn exclusive(path: &Path) -> io::Result<FileLock> {
        let file = Self::open(path)?;
        file.lock()?;
        Ok(FileLock {
            file,
            path: path.to_path_buf(),
        })
    }
    /// Shared lock, waiting for an exclusive holder.
    pub fn shared(path: &Path) -> io::Result<FileLock> {
        let file = Self::open(path)?;
        file.lock_shared()?;
        Ok(FileLock {
            file,
            path: path.to_path_buf(),
        })
    }
    /// Exclusive lock if nobody holds it; `None` otherwise.
    pub fn try_exclusive(path: &Path) -> io::Result<Option<FileLock>> {
        let file = Self::open(path)?;
        match file.try_lock() {
            Ok(()) => Ok(Some(FileLock {
                file,
                path: path.to_path_buf(),
            })),
            Err(fs::TryLockError::WouldBlock) => Ok(None),
            Err(fs::TryLockError::Error(e)) => Err(e),
        }
    }
    /// Exclusive lock, waiting at most `limit` for other holders; `None`
    /// when one still holds it then.
    pub fn exclusive_within(
        path: &Path,
        limit: std::time::Duration,
    ) -> io::Result<Option<FileLock>> {
        let deadline = std::time::Instant::now() + limit;
        loop {
            match Self::try_exclusive(path)? {
                Some(l) => return Ok(Some(l)),
                None if std::time::Instant::now() < deadline => {
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
                None => return Ok(None),
            }
        }
    }
    fn open(path: &Path) -> io::Result<File> {
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir)?;
        }
        OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)
    }
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for FileLock {
    fn drop(&mut self) {
        let _ = self.file.unlock();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_file_replaces() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("x.json");
        write_file(&p, b"one").unwrap();
        write_file(&p, b"two").unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"two");
        // No temp files left behind.
        assert_eq!(fs::read_dir(d.path()).unwrap().count(), 1);
    }

    #[test]
    fn try_lock_sees_holder() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("lock");
        let held = FileLock::exclusive(&p).unwrap();
        assert!(FileLock::try_exclusive(&p).unwrap().is_none());
        drop(held);
        assert!(FileLock::try_exclusive(&p).unwrap().is_some());
    }

    #[test]
    fn bounded_wait_gives_up_or_gets_the_lock() {
        use std::time::{Duration, Instant};
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("lock");
        let held = FileLock::exclusive(&p).unwrap();
        let t = Instant::now();
        assert!(
            FileLock::exclusive_within(&p, Duration::from_millis(100))
                .unwrap()
                .is_none()
        );
        assert!(t.elapsed() >= Duration::from_millis(100));
        // Released while it waits: it gets the lock.
        let p2 = p.clone();
        let waiter = std::thread::spawn(move || {
            FileLock::exclusive_within(&p2, Duration::from_secs(10))
                .unwrap()
                .is_some()
        });
        std::thread::sleep(Duration::from_millis(50));
        drop(held);
        assert!(waiter.join().unwrap());
    }
}
