//! Content-addressed blob store: `<root>/<algo>/<hex>`. Blobs enter only
//! through a `BlobWriter`, which hashes while writing to a temp file in
//! `<root>/ingest` and renames it into place only if digest and size match, so
//! a blob file always holds exactly the content its name promises.
use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use super::digest::{Algo, Digest, Hasher};

#[derive(Debug, thiserror::Error)]
pub enum BlobError {
    #[error("digest mismatch for {expected}: registry sent content with {actual}")]
    DigestMismatch { expected: Digest, actual: Digest },
    #[error("size mismatch for blob: expected {expected} bytes, got {actual}")]
    SizeMismatch { expected: u64, actual: u64 },
    #[error("blob {0} is not in the store")]
    NotFound(Digest),
    #[error("no space left on device while writing to {}: free some space (e.g. `skiff image prune -a`)", .0.display())]
    NoSpace(PathBuf),
    #[error("blob store: {context} {}: {source}", .path.display())]
    Io {
        context: &'static str,
        path: PathBuf,
        source: io::Error,
    },
}

impl BlobError {
    /// Wraps an I/O error, giving disk-full its own variant.
    fn io(context: &'static str, path: &Path, source: io::Error) -> BlobError {
        // tempfile wraps errors to add the path, hiding the errno; the kind survives.
        if source.raw_os_error() == Some(libc::ENOSPC)
            || source.kind() == io::ErrorKind::StorageFull
        {
            BlobError::NoSpace(path.to_path_buf())
        } else {
            BlobError::Io {
                context,
                path: path.to_path_buf(),
                source,
            }
        }
    }
}

#[derive(Debug, Clone)]
pub struct BlobStore {
    root: PathBuf,
}

impl BlobStore {
    /// Opens (creating if needed) the store rooted at `root`.
    pub fn open(root: &Path) -> Result<BlobStore, BlobError> {
        for sub in ["sha256", "ingest"] {
            let p = root.join(sub);
            fs::create_dir_all(&p).map_err(|e| BlobError::io("cannot create", &p, e))?;
        }
        Ok(BlobStore {
            root: root.to_path_buf(),
        })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn path(&self, d: &Digest) -> PathBuf {
        self.root.join(d.algo().name()).join(d.hex())
    }

    pub fn contains(&self, d: &Digest) -> bool {
        self.path(d).is_file()
    }

    pub fn size(&self, d: &Digest) -> Option<u64> {
        fs::metadata(self.path(d))
            .ok()
            .filter(|m| m.is_file())
            .map(|m| m.len())
    }

    /// Starts writing a blob that must hash to `expected` (and be
    /// `expected_size` bytes long if given). Several writers of one digest
    /// may run at once; each has its own temp file.
    pub fn begin(
        &self,
        expected: &Digest,
        expected_size: Option<u64>,
    ) -> Result<BlobWriter, BlobError> {
        let ingest = self.root.join("ingest");
        let final_dir = self.root.join(expected.algo().name());
        fs::create_dir_all(&final_dir)
            .map_err(|e| BlobError::io("cannot create", &final_dir, e))?;
        loop {
            let tmp = tempfile::Builder::new()
                .prefix(&format!("{}-", expected.short()))
                .tempfile_in(&ingest)
                .map_err(|e| BlobError::io("cannot create temp file in", &ingest, e))?;
            tmp.as_file()
                .lock()
                .map_err(|e| BlobError::io("cannot lock", tmp.path(), e))?;
            // `clean_ingest` may have removed the file between creation and
            // locking; if so our name no longer points at our inode: retry.
            let ours = tmp.as_file().metadata().map(|m| m.ino()).ok();
            let named = fs::symlink_metadata(tmp.path()).map(|m| m.ino()).ok();
            if ours.is_some() && ours == named {
                return Ok(BlobWriter {
                    tmp: Some(tmp),
                    hasher: Some(expected.hasher()),
                    written: 0,
                    expected: expected.clone(),
                    expected_size,
                    final_path: self.path(expected),
                    failed: false,
                });
            }
        }
    }

    /// Stores `data` under its sha256 digest.
    pub fn put(&self, data: &[u8]) -> Result<Digest, BlobError> {
        let d = Digest::sha256_of(data);
        if self.contains(&d) {
            return Ok(d);
        }
        let mut w = self.begin(&d, Some(data.len() as u64))?;
        w.write_all(data).map_err(|e| w.error(e))?;
        w.commit()?;
        Ok(d)
    }

    pub fn read(&self, d: &Digest) -> Result<Vec<u8>, BlobError> {
        let mut f = self.open_blob(d)?;
        let mut out = Vec::new();
        f.read_to_end(&mut out)
            .map_err(|e| BlobError::io("cannot read", &self.path(d), e))?;
        Ok(out)
    }

    pub fn open_blob(&self, d: &Digest) -> Result<File, BlobError> {
        let p = self.path(d);
        File::open(&p).map_err(|e| match e.kind() {
            io::ErrorKind::NotFound => BlobError::NotFound(d.clone()),
            _ => BlobError::io("cannot open", &p, e),
        })
    }

    /// Removes a blob; removing a missing blob succeeds (another process's
    /// garbage collection may have been first).
    pub fn remove(&self, d: &Digest) -> Result<(), BlobError> {
        let p = self.path(d);
        match fs::remove_file(&p) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => {
                Err(BlobError::io("cannot remove", &p, e))
            }
            _ => Ok(()),
        }
    }

    pub fn list(&self) -> Result<Vec<Digest>, BlobError> {
        let mut out = Vec::new();
        for algo in [Algo::Sha256, Algo::Sha512] {
            let dir = self.root.join(algo.name());
            let rd = match fs::read_dir(&dir) {
                Ok(rd) => rd,
                Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
                Err(e) => return Err(BlobError::io("cannot list", &dir, e)),
            };
            for ent in rd {
                let ent = ent.map_err(|e| BlobError::io("cannot list", &dir, e))?;
                let name = ent.file_name();
                let parsed = name
                    .to_str()
                    .and_then(|h| format!("{}:{h}", algo.name()).parse::<Digest>().ok());
                if let Some(d) = parsed {
                    out.push(d);
                }
            }
        }
        out.sort();
        Ok(out)
    }

    /// Removes temp files left by crashed writers; live writers hold a flock
    /// on theirs and are left alone.
    pub fn clean_ingest(&self) -> Result<(), BlobError> {
        for p in self.stale_ingest()? {
            match fs::remove_file(&p) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => {
                    return Err(BlobError::io("cannot remove", &p, e));
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// Temp files in `ingest/` no writer holds: what `clean_ingest` removes.
    /// A writer that loses its file to a clean between creating and locking
    /// it notices and starts over (see `begin`).
    pub fn stale_ingest(&self) -> Result<Vec<PathBuf>, BlobError> {
        let dir = self.root.join("ingest");
        let rd = fs::read_dir(&dir).map_err(|e| BlobError::io("cannot list", &dir, e))?;
        let mut out = Vec::new();
        for ent in rd {
            let ent = ent.map_err(|e| BlobError::io("cannot list", &dir, e))?;
            let p = ent.path();
            let Ok(f) = File::open(&p) else { continue };
            match f.try_lock() {
                Ok(()) => out.push(p),
                Err(fs::TryLockError::WouldBlock) => {}
                Err(fs::TryLockError::Error(e)) => {
                    return Err(BlobError::io("cannot lock", &p, e));
                }
            }
        }
        out.sort();
        Ok(out)
    }

    /// Rehashes a stored blob: `Ok(Some(actual))` when its content no
    /// longer matches its name (disk corruption, or an edit by hand).
    pub fn verify(&self, d: &Digest) -> Result<Option<Digest>, BlobError> {
        let mut f = self.open_blob(d)?;
        let mut h = d.hasher();
        let mut buf = vec![0u8; 1 << 20];
        loop {
            let n = match f.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(BlobError::io("cannot read", &self.path(d), e)),
            };
            h.update(&buf[..n]);
        }
        let actual = h.finish();
        Ok((actual != *d).then_some(actual))
    }
}

/// An in-progress blob. Dropping it without `commit` deletes the temp file.
pub struct BlobWriter {
    tmp: Option<tempfile::NamedTempFile>,
    hasher: Option<Hasher>,
    written: u64,
    expected: Digest,
    expected_size: Option<u64>,
    final_path: PathBuf,
    failed: bool,
}

impl BlobWriter {
    pub fn written(&self) -> u64 {
        self.written
    }

    pub fn expected(&self) -> &Digest {
        &self.expected
    }

    /// Turns an I/O error from `write` into a `BlobError` (disk full gets
    /// `NoSpace`).
    pub fn error(&self, e: io::Error) -> BlobError {
        let dir = self.final_path.parent().unwrap_or(Path::new("."));
        BlobError::io("cannot write blob in", dir, e)
    }

    /// Verifies size and digest, makes the data durable and moves it into
    /// place. If the blob appeared meanwhile, the temp file is discarded.
    pub fn commit(mut self) -> Result<(), BlobError> {
        let tmp = self.tmp.take().expect("writer already committed");
        let actual = self
            .hasher
            .take()
            .expect("writer already committed")
            .finish();
        if self.failed {
            return Err(BlobError::Io {
                context: "an earlier write failed for",
                path: tmp.path().to_path_buf(),
                source: io::Error::other("blob write was interrupted"),
            });
        }
        if let Some(expected) = self.expected_size
            && expected != self.written
        {
            return Err(BlobError::SizeMismatch {
                expected,
                actual: self.written,
            });
        }
        if actual != self.expected {
            return Err(BlobError::DigestMismatch {
                expected: self.expected.clone(),
                actual,
            });
        }
        if self.final_path.exists() {
            return Ok(()); // `tmp` drops and deletes itself
        }
        tmp.as_file()
            .sync_all()
            .map_err(|e| BlobError::io("cannot sync", tmp.path(), e))?;
        let dir = self
            .final_path
            .parent()
            .unwrap_or(Path::new("."))
            .to_path_buf();
        tmp.persist(&self.final_path)
            .map_err(|e| BlobError::io("cannot rename into", &dir, e.error))?;
        super::atomic::sync_dir(&dir).map_err(|e| BlobError::io("cannot sync", &dir, e))
    }
}

impl Write for BlobWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let Some(tmp) = self.tmp.as_mut() else {
            return Err(io::Error::other("blob writer already finished"));
        };
        match tmp.write(buf) {
            Ok(n) => {
                if let Some(h) = self.hasher.as_mut() {
                    h.update(&buf[..n]);
                }
                self.written += n as u64;
                Ok(n)
            }
            Err(e) => {
                self.failed = true;
                if e.raw_os_error() == Some(libc::ENOSPC) {
                    // Give the space back right away rather than at drop.
                    self.tmp = None;
                }
                Err(e)
            }
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self.tmp.as_mut() {
            Some(t) => t.flush(),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ingest_count(s: &BlobStore) -> usize {
        fs::read_dir(s.root().join("ingest")).unwrap().count()
    }

    #[test]
    fn put_read_list_remove() {
        let d = tempfile::tempdir().unwrap();
        let s = BlobStore::open(d.path()).unwrap();
        let dg = s.put(b"hello").unwrap();
        assert_eq!(dg, Digest::sha256_of(b"hello"));
        assert!(s.contains(&dg));
        assert_eq!(s.size(&dg), Some(5));
        assert_eq!(s.read(&dg).unwrap(), b"hello");
        assert_eq!(s.list().unwrap(), vec![dg.clone()]);
        s.remove(&dg).unwrap();
        assert!(!s.contains(&dg));
        assert!(matches!(s.read(&dg), Err(BlobError::NotFound(_))));
        assert_eq!(ingest_count(&s), 0);
    }

    #[test]
    fn writer_verifies_digest_and_size() {
        let d = tempfile::tempdir().unwrap();
        let s = BlobStore::open(d.path()).unwrap();
        let good = Digest::sha256_of(b"content");

        let mut w = s.begin(&good, Some(7)).unwrap();
        w.write_all(b"content").unwrap();
        assert_eq!(w.written(), 7);
        w.commit().unwrap();
        assert_eq!(s.read(&good).unwrap(), b"content");

        let other = Digest::sha256_of(b"other");
        let mut w = s.begin(&other, None).unwrap();
        w.write_all(b"tampered").unwrap();
        let err = w.commit().unwrap_err();
        let msg = err.to_string();
        assert!(matches!(err, BlobError::DigestMismatch { .. }), "{msg}");
        assert!(
            msg.contains(&other.to_string())
                && msg.contains(&Digest::sha256_of(b"tampered").to_string())
        );
        assert!(!s.contains(&other));

        let mut w = s.begin(&other, Some(6)).unwrap();
        w.write_all(b"oth").unwrap();
        let err = w.commit().unwrap_err();
        assert!(
            matches!(
                err,
                BlobError::SizeMismatch {
                    expected: 6,
                    actual: 3
                }
            ),
            "{err}"
        );
        assert!(!s.contains(&other));
        assert_eq!(ingest_count(&s), 0);
    }

    #[test]
    fn abort_leaves_no_temp() {
        let d = tempfile::tempdir().unwrap();
        let s = BlobStore::open(d.path()).unwrap();
        let dg = Digest::sha256_of(b"abc");
        let mut w = s.begin(&dg, None).unwrap();
        w.write_all(b"ab").unwrap();
        assert_eq!(ingest_count(&s), 1);
        drop(w);
        assert_eq!(ingest_count(&s), 0);
        assert!(!s.contains(&dg));
    }

    #[test]
    fn concurrent_writers_of_one_digest_both_commit() {
        let d = tempfile::tempdir().unwrap();
        let s = BlobStore::open(d.path()).unwrap();
        let data: Vec<u8> = (0..200_000u32).map(|i| (i % 253) as u8).collect();
        let dg = Digest::sha256_of(&data);
        let barrier = std::sync::Barrier::new(2);
        std::thread::scope(|sc| {
            for _ in 0..2 {
                sc.spawn(|| {
                    let mut w = s.begin(&dg, Some(data.len() as u64)).unwrap();
                    barrier.wait();
                    for c in data.chunks(4096) {
                        w.write_all(c).unwrap();
                    }
                    barrier.wait();
                    w.commit().unwrap();
                });
            }
        });
        assert_eq!(s.read(&dg).unwrap(), data);
        assert_eq!(ingest_count(&s), 0);
    }

    #[test]
    fn clean_ingest_spares_live_writers() {
        let d = tempfile::tempdir().unwrap();
        let s = BlobStore::open(d.path()).unwrap();
        // A temp file left by a crashed writer (nobody holds its lock).
        fs::write(s.root().join("ingest/stale-123"), b"junk").unwrap();
        let dg = Digest::sha256_of(b"live");
        let mut w = s.begin(&dg, None).unwrap();
        w.write_all(b"li").unwrap();
        s.clean_ingest().unwrap();
        assert_eq!(ingest_count(&s), 1, "live writer's temp must survive");
        w.write_all(b"ve").unwrap();
        w.commit().unwrap();
        assert!(s.contains(&dg));
        assert_eq!(ingest_count(&s), 0);
    }

    #[test]
    fn stale_ingest_lists_only_dead_writers() {
        let d = tempfile::tempdir().unwrap();
        let s = BlobStore::open(d.path()).unwrap();
        fs::write(s.root().join("ingest/stale-1"), b"junk").unwrap();
        let dg = Digest::sha256_of(b"live");
        let w = s.begin(&dg, None).unwrap();
        assert_eq!(
            s.stale_ingest().unwrap(),
            vec![s.root().join("ingest/stale-1")]
        );
        drop(w);
        assert!(s.stale_ingest().unwrap().len() == 1);
    }

    #[test]
    fn verify_detects_changed_content() {
        let d = tempfile::tempdir().unwrap();
        let s = BlobStore::open(d.path()).unwrap();
        let dg = s.put(b"hello").unwrap();
        assert_eq!(s.verify(&dg).unwrap(), None);
        fs::write(s.path(&dg), b"hellO").unwrap();
        assert_eq!(s.verify(&dg).unwrap(), Some(Digest::sha256_of(b"hellO")));
        s.remove(&dg).unwrap();
        assert!(matches!(s.verify(&dg), Err(BlobError::NotFound(_))));
    }

    #[test]
    fn enospc_has_clear_message() {
        let e = BlobError::io(
            "x",
            Path::new("/s/blobs"),
            io::Error::from_raw_os_error(libc::ENOSPC),
        );
        assert!(matches!(e, BlobError::NoSpace(_)));
        assert!(
            e.to_string()
                .starts_with("no space left on device while writing to /s/blobs")
        );
    }
}
