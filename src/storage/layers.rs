//! Unpacked layers by chain ID: `layers/<hex>/{diff/, layer.json}`.
//!
//! A layer is unpacked into `layers/.staging-<random>/diff` and renamed into
//! place only once complete and verified, so `layers/<hex>` exists only for a
//! finished layer; a crash leaves a staging dir that `clean_staging` removes.
use std::fs::{self, File};
use std::io::{self, BufReader, Read};
use std::os::fd::AsFd;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::atomic::{self, FileLock};
use super::compression;
use super::digest::{Algo, Digest, HashingReader};
use super::unpack::{self, UnpackError, UnpackOptions, WhiteoutFormat};
use crate::sys::fs as sysfs;

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct LayerRecord {
    pub chain_id: Digest,
    pub diff_id: Digest,
    pub parent: Option<Digest>,
    pub compressed_digest: Option<Digest>,
    pub compressed_size: Option<u64>,
    /// Sum of the regular file sizes in this layer.
    pub size: u64,
    pub whiteouts: WhiteoutFormat,
    pub created: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, thiserror::Error)]
pub enum LayerError {
    #[error("layer diff ID mismatch: expected {expected}, unpacked content has {actual}")]
    DiffIdMismatch { expected: Digest, actual: Digest },
    #[error("layer {0} is not in the store")]
    NotFound(Digest),
    #[error("parent layer {0} is not in the store")]
    ParentMissing(Digest),
    #[error("layer record {}: {source}", .path.display())]
    BadRecord {
        path: PathBuf,
        source: serde_json::Error,
    },
    #[error(transparent)]
    Unpack(#[from] UnpackError),
    #[error("layer store: {context} {}: {source}", .path.display())]
    Io {
        context: &'static str,
        path: PathBuf,
        source: io::Error,
    },
}

fn io_err<'a>(
    context: &'static str,
    path: &'a Path,
) -> impl FnOnce(io::Error) -> LayerError + use<'a> {
    move |source| LayerError::Io {
        context,
        path: path.to_path_buf(),
        source,
    }
}

const STAGING_PREFIX: &str = ".staging-";
const REMOVING_PREFIX: &str = ".removing-";

#[derive(Debug, Clone)]
pub struct LayerStore {
    root: PathBuf,
}

impl LayerStore {
    pub fn open(root: &Path) -> Result<LayerStore, LayerError> {
        fs::create_dir_all(root).map_err(io_err("cannot create", root))?;
        // Each layer is an unrelated tree. On ext4 this spreads layers across
        // block groups; without it, unpacking right after deleting a layer
        // lands in the group full of just-freed inodes, and a filesystem
        // without a journal scans them all on every create (measured: 2-5 s
        // instead of 1 s for a Debian image; docs/benchmarks.md).
        crate::sys::fs::set_topdir_hint(root);
        Ok(LayerStore {
            root: root.to_path_buf(),
        })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// OCI chain ID: the first layer's is its diff ID; each next one is
    /// sha256 of "<parent chain id> <diff id>".
    pub fn chain_id(parent: Option<&Digest>, diff_id: &Digest) -> Digest {
        match parent {
            None => diff_id.clone(),
            Some(p) => Digest::sha256_of(format!("{p} {diff_id}").as_bytes()),
        }
    }

    fn layer_dir(&self, chain_id: &Digest) -> PathBuf {
        self.root.join(chain_id.hex())
    }

    fn lock_path(&self, chain_id: &Digest) -> PathBuf {
        self.root.join(format!("{}.lock", chain_id.hex()))
    }

    pub fn diff_dir(&self, chain_id: &Digest) -> PathBuf {
        self.layer_dir(chain_id).join("diff")
    }

    pub fn get(&self, chain_id: &Digest) -> Result<Option<LayerRecord>, LayerError> {
        let path = self.layer_dir(chain_id).join("layer.json");
        let data = match fs::read(&path) {
            Ok(d) => d,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(io_err("cannot read", &path)(e)),
        };
        serde_json::from_slice(&data)
            .map(Some)
            .map_err(|source| LayerError::BadRecord { path, source })
    }

    pub fn list(&self) -> Result<Vec<LayerRecord>, LayerError> {
        let mut out = self.scan(usize::MAX)?;
        out.sort_by_key(|r| r.created);
        Ok(out)
    }

    /// Any one layer record, without reading the others (e.g. to learn the
    /// whiteout form a store's layers were written in).
    pub fn any(&self) -> Result<Option<LayerRecord>, LayerError> {
        Ok(self.scan(1)?.pop())
    }

    /// Up to `limit` layer records, in directory order.
    fn scan(&self, limit: usize) -> Result<Vec<LayerRecord>, LayerError> {
        let mut out = Vec::new();
        let rd = fs::read_dir(&self.root).map_err(io_err("cannot list", &self.root))?;
        for ent in rd {
            let ent = ent.map_err(io_err("cannot list", &self.root))?;
            let Some(name) = ent.file_name().to_str().map(str::to_owned) else {
                continue;
            };
            // Layer dirs are bare hex; skip locks, staging and removal dirs.
            let algo = if name.len() == 128 {
                "sha512"
            } else {
                "sha256"
            };
            let Ok(id) = format!("{algo}:{name}").parse::<Digest>() else {
                continue;
            };
            if let Some(rec) = self.get(&id)? {
                out.push(rec);
                if out.len() >= limit {
                    break;
                }
            }
        }
        Ok(out)
    }

    /// Diff dirs of `parent` and its ancestors, nearest first: the `lowers`
    /// for unpacking a child of `parent`.
    pub fn lowers_for(&self, parent: Option<&Digest>) -> Result<Vec<PathBuf>, LayerError> {
        let mut out = Vec::new();
        let mut next = parent.cloned();
        while let Some(id) = next {
            let rec = self
                .get(&id)?
                .ok_or_else(|| LayerError::NotFound(id.clone()))?;
            out.push(self.diff_dir(&id));
            next = rec.parent;
            if out.len() > 1000 {
                return Err(LayerError::Io {
                    context: "parent chain too long (a loop?) at",
                    path: self.layer_dir(&id),
                    source: io::Error::other("more than 1000 ancestors"),
                });
            }
        }
        Ok(out)
    }

    /// Decompresses (auto-detected), unpacks and verifies one layer; see the
    /// module docs for the crash-safety scheme. Concurrent calls for one
    /// chain ID unpack it once: later callers find the record.
    pub fn unpack(
        &self,
        parent: Option<&Digest>,
        blob: impl Read,
        expected_diff_id: Option<&Digest>,
        compressed: Option<(Digest, u64)>,
        opts: &UnpackOptions,
    ) -> Result<LayerRecord, LayerError> {
        if let Some(p) = parent
            && self.get(p)?.is_none()
        {
            return Err(LayerError::ParentMissing(p.clone()));
        }
        // With a known diff ID, lock first so only one process does the work.
        let early = match expected_diff_id {
            Some(d) => {
                let id = Self::chain_id(parent, d);
                let lock = self.lock(&id)?;
                if let Some(rec) = self.get(&id)? {
                    return Ok(rec);
                }
                Some((id, lock))
            }
            None => None,
        };

        let staging = Staging::new(&self.root)?;
        let diff = staging.dir.join("diff");
        fs::create_dir(&diff).map_err(io_err("cannot create", &diff))?;
        let algo = expected_diff_id.map_or(Algo::Sha256, Digest::algo);
        let decoded = compression::decompress(BufReader::with_capacity(1 << 20, blob))
            .map_err(|e| LayerError::Unpack(UnpackError::Tar(e)))?;
        let mut hashing = HashingReader::new(decoded, algo);
        let stats = unpack::unpack(&mut hashing, &diff, opts)?;
        let (diff_id, _) = hashing
            .finish()
            .map_err(|e| LayerError::Unpack(UnpackError::Tar(e)))?;
        if let Some(expected) = expected_diff_id
            && *expected != diff_id
        {
            return Err(LayerError::DiffIdMismatch {
                expected: expected.clone(),
                actual: diff_id,
            });
        }

        let (chain_id, _lock) = match early {
            Some(x) => x,
            None => {
                let id = Self::chain_id(parent, &diff_id);
                let lock = self.lock(&id)?;
                if let Some(rec) = self.get(&id)? {
                    return Ok(rec); // someone else finished it meanwhile
                }
                (id, lock)
            }
        };
        let record = LayerRecord {
            chain_id: chain_id.clone(),
            diff_id,
            parent: parent.cloned(),
            compressed_digest: compressed.as_ref().map(|c| c.0.clone()),
            compressed_size: compressed.map(|c| c.1),
            size: stats.size,
            whiteouts: opts.whiteouts,
            created: chrono::Utc::now(),
        };
        let rec_path = staging.dir.join("layer.json");
        atomic::write_json(&rec_path, &record).map_err(io_err("cannot write", &rec_path))?;
        staging.commit(&self.layer_dir(&chain_id))?;
        Ok(record)
    }

    fn lock(&self, chain_id: &Digest) -> Result<FileLock, LayerError> {
        let p = self.lock_path(chain_id);
        FileLock::exclusive(&p).map_err(io_err("cannot lock", &p))
    }

    /// Removes a layer. It first disappears atomically (rename), then its
    /// files are deleted, even those whose permissions deny it.
    pub fn remove(&self, chain_id: &Digest) -> Result<(), LayerError> {
        let _lock = self.lock(chain_id)?;
        let dir = self.layer_dir(chain_id);
        let doomed = self
            .root
            .join(format!("{REMOVING_PREFIX}{}", random_suffix()));
        match fs::rename(&dir, &doomed) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Err(LayerError::NotFound(chain_id.clone()));
            }
            Err(e) => return Err(io_err("cannot remove", &dir)(e)),
        }
        sysfs::remove_tree(&doomed).map_err(io_err("cannot remove", &doomed))
    }

    /// Removes staging dirs of crashed unpacks and half-removed layers;
    /// staging dirs of live unpacks are locked and left alone. Callers hold
    /// the store's exclusive gc lock, so no unpack starts meanwhile.
    pub fn clean_staging(&self) -> Result<(), LayerError> {
        for path in self.leftovers()? {
            sysfs::remove_tree(&path).map_err(io_err("cannot remove", &path))?;
        }
        Ok(())
    }

    /// What `clean_staging` would remove now: half-removed layers, and
    /// staging dirs whose unpack no longer holds their lock.
    pub fn leftovers(&self) -> Result<Vec<PathBuf>, LayerError> {
        let mut out = Vec::new();
        let rd = fs::read_dir(&self.root).map_err(io_err("cannot list", &self.root))?;
        for ent in rd {
            let ent = ent.map_err(io_err("cannot list", &self.root))?;
            let name = ent.file_name();
            let name = name.to_string_lossy();
            let path = ent.path();
            if name.starts_with(REMOVING_PREFIX) {
                out.push(path);
            } else if name.starts_with(STAGING_PREFIX) {
                let Ok(f) = File::open(&path) else { continue };
                match f.try_lock() {
                    Ok(()) => out.push(path),
                    Err(fs::TryLockError::WouldBlock) => {}
                    Err(fs::TryLockError::Error(e)) => return Err(io_err("cannot lock", &path)(e)),
                }
            }
        }
        out.sort();
        Ok(out)
    }
}

fn random_suffix() -> String {
    use rand::Rng;
    let n: u64 = rand::thread_rng().r#gen();
    format!("{n:016x}")
}

/// A staging dir, flock'ed while alive so `clean_staging` spares it, and
/// removed on drop unless committed.
struct Staging {
    dir: PathBuf,
    handle: Option<File>,
}

impl Staging {
    fn new(root: &Path) -> Result<Staging, LayerError> {
        let dir = root.join(format!("{STAGING_PREFIX}{}", random_suffix()));
        fs::create_dir(&dir).map_err(io_err("cannot create", &dir))?;
        let mut s = Staging { dir, handle: None };
        let f = File::open(&s.dir).map_err(io_err("cannot open", &s.dir))?;
        f.lock().map_err(io_err("cannot lock", &s.dir))?;
        s.handle = Some(f);
        Ok(s)
    }

    /// Flushes the unpacked files and renames the staging dir to `dest`.
    fn commit(mut self, dest: &Path) -> Result<(), LayerError> {
        let f = self.handle.take().expect("staging handle");
        sysfs::syncfs(f.as_fd()).map_err(io_err("cannot sync", &self.dir))?;
        fs::rename(&self.dir, dest).map_err(io_err("cannot move staging dir to", dest))?;
        let parent = dest.parent().unwrap_or(Path::new("."));
        atomic::sync_dir(parent).map_err(io_err("cannot sync", parent))?;
        self.dir = PathBuf::new(); // committed: nothing for drop to remove
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.dir.as_os_str().is_empty() {
            let _ = sysfs::remove_tree(&self.dir);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::os::unix::fs::PermissionsExt;

    fn layer_tar(files: &[(&str, &[u8])]) -> Vec<u8> {
        let mut b = tar::Builder::new(Vec::new());
        for (name, data) in files {
            let mut h = tar::Header::new_gnu();
            h.set_size(data.len() as u64);
            h.set_mode(0o644);
            h.set_uid(crate::sys::real_uid() as u64);
            h.set_gid(crate::sys::real_gid() as u64);
            b.append_data(&mut h, name, *data).unwrap();
        }
        b.into_inner().unwrap()
    }

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut w = compression::gzip_writer(Vec::new());
        w.write_all(data).unwrap();
        w.finish().unwrap()
    }

    fn opts() -> UnpackOptions {
        UnpackOptions::new(WhiteoutFormat::Aufs, true)
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn chain_ids_follow_oci() {
        let a = Digest::sha256_of(b"a");
        let b = Digest::sha256_of(b"b");
        assert_eq!(LayerStore::chain_id(None, &a), a);
        let expect = Digest::sha256_of(format!("{a} {b}").as_bytes());
        assert_eq!(LayerStore::chain_id(Some(&a), &b), expect);
    }

    #[test]
    fn unpack_twice_returns_same_record_and_chains() {
        let d = tempfile::tempdir().unwrap();
        let s = LayerStore::open(d.path()).unwrap();
        let tar = layer_tar(&[("etc/os-release", b"skiff"), ("bin/sh", b"sh")]);
        let diff_id = Digest::sha256_of(&tar);
        let gz = gzip(&tar);
        let comp = (Digest::sha256_of(&gz), gz.len() as u64);
        let r1 = s
            .unpack(None, &gz[..], Some(&diff_id), Some(comp.clone()), &opts())
            .unwrap();
        assert_eq!(r1.chain_id, diff_id);
        assert_eq!(r1.size, 7);
        assert_eq!(r1.compressed_digest, Some(comp.0.clone()));
        let r2 = s
            .unpack(None, &gz[..], Some(&diff_id), Some(comp), &opts())
            .unwrap();
        assert_eq!(r1, r2);
        assert_eq!(
            fs::read(s.diff_dir(&r1.chain_id).join("etc/os-release")).unwrap(),
            b"skiff"
        );

        // A child layer, zstd, without a known diff ID.
        let tar2 = layer_tar(&[("etc/hostname", b"h")]);
        let z = zstd::encode_all(&tar2[..], 3).unwrap();
        let c = s
            .unpack(Some(&r1.chain_id), &z[..], None, None, &opts())
            .unwrap();
        assert_eq!(c.diff_id, Digest::sha256_of(&tar2));
        assert_eq!(
            c.chain_id,
            LayerStore::chain_id(Some(&r1.chain_id), &c.diff_id)
        );
        assert_eq!(c.parent, Some(r1.chain_id.clone()));
        assert_eq!(s.get(&c.chain_id).unwrap(), Some(c.clone()));
        assert_eq!(
            s.lowers_for(Some(&c.chain_id)).unwrap(),
            vec![s.diff_dir(&c.chain_id), s.diff_dir(&r1.chain_id)]
        );
        assert!(s.lowers_for(None).unwrap().is_empty());
        let listed: Vec<Digest> = s.list().unwrap().into_iter().map(|r| r.chain_id).collect();
        assert_eq!(listed.len(), 2);
        assert!(listed.contains(&c.chain_id) && listed.contains(&r1.chain_id));
        assert!(!names(d.path()).iter().any(|n| n.starts_with(".staging")));
    }

    #[test]
    fn concurrent_unpacks_of_one_layer_happen_once() {
        let d = tempfile::tempdir().unwrap();
        let s = LayerStore::open(d.path()).unwrap();
        let tar = layer_tar(&[("f", b"x")]);
        let id = Digest::sha256_of(&tar);
        let recs: Vec<LayerRecord> = std::thread::scope(|sc| {
            let hs: Vec<_> = (0..3)
                .map(|_| sc.spawn(|| s.unpack(None, &tar[..], Some(&id), None, &opts()).unwrap()))
                .collect();
            hs.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert!(recs.iter().all(|r| *r == recs[0]));
        assert_eq!(
            names(d.path()),
            vec![id.hex().to_string(), format!("{}.lock", id.hex())]
        );
    }

    #[test]
    fn diff_id_mismatch_leaves_only_the_lock() {
        let d = tempfile::tempdir().unwrap();
        let s = LayerStore::open(d.path()).unwrap();
        let tar = layer_tar(&[("f", b"x")]);
        let wrong = Digest::sha256_of(b"something else");
        let err = s
            .unpack(None, &tar[..], Some(&wrong), None, &opts())
            .unwrap_err();
        assert!(matches!(err, LayerError::DiffIdMismatch { .. }), "{err}");
        assert!(
            err.to_string()
                .contains(&Digest::sha256_of(&tar).to_string())
        );
        assert_eq!(names(d.path()), vec![format!("{}.lock", wrong.hex())]);
        // A missing parent is refused before any work.
        let err = s
            .unpack(Some(&wrong), &tar[..], None, None, &opts())
            .unwrap_err();
        assert!(matches!(err, LayerError::ParentMissing(_)), "{err}");
    }

    #[test]
    fn clean_staging_spares_live_unpacks() {
        let d = tempfile::tempdir().unwrap();
        let s = LayerStore::open(d.path()).unwrap();
        let crashed = d.path().join(".staging-dead");
        fs::create_dir_all(crashed.join("diff/ro")).unwrap();
        fs::write(crashed.join("diff/ro/f"), b"x").unwrap();
        fs::set_permissions(crashed.join("diff/ro"), fs::Permissions::from_mode(0o555)).unwrap();
        fs::create_dir_all(d.path().join(".removing-x/diff")).unwrap();
        let live = Staging::new(d.path()).unwrap();
        assert_eq!(
            s.leftovers().unwrap(),
            vec![d.path().join(".removing-x"), crashed.clone()]
        );
        s.clean_staging().unwrap();
        let left = names(d.path());
        assert_eq!(left.len(), 1);
        assert!(left[0].starts_with(STAGING_PREFIX) && d.path().join(&left[0]) == live.dir);
        drop(live);
        assert!(names(d.path()).is_empty());
    }

    #[test]
    fn remove_copes_with_read_only_dirs() {
        let d = tempfile::tempdir().unwrap();
        let s = LayerStore::open(d.path()).unwrap();
        let mut b = tar::Builder::new(Vec::new());
        let mut h = tar::Header::new_gnu();
        h.set_entry_type(tar::EntryType::Directory);
        h.set_mode(0o555);
        h.set_size(0);
        h.set_uid(crate::sys::real_uid() as u64);
        h.set_gid(crate::sys::real_gid() as u64);
        b.append_data(&mut h, "ro/", &b""[..]).unwrap();
        let mut h = tar::Header::new_gnu();
        h.set_mode(0o444);
        h.set_size(1);
        h.set_uid(crate::sys::real_uid() as u64);
        h.set_gid(crate::sys::real_gid() as u64);
        b.append_data(&mut h, "ro/f", &b"x"[..]).unwrap();
        let tar = b.into_inner().unwrap();
        let rec = s.unpack(None, &tar[..], None, None, &opts()).unwrap();
        assert_eq!(
            fs::metadata(s.diff_dir(&rec.chain_id).join("ro"))
                .unwrap()
                .permissions()
                .mode()
                & 0o777,
            0o555
        );
        s.remove(&rec.chain_id).unwrap();
        assert_eq!(s.get(&rec.chain_id).unwrap(), None);
        assert!(!d.path().join(rec.chain_id.hex()).exists());
        assert!(matches!(
            s.remove(&rec.chain_id),
            Err(LayerError::NotFound(_))
        ));
        assert!(s.list().unwrap().is_empty());
    }
}
