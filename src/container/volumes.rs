//! Named volumes (driver `local`): `<data>/volumes/<name>/_data` plus
//! `volume.json`.
//!
//! A volume appears whole or not at all: it is built in a `.tmp-*` dir and
//! renamed into place, and removed by renaming it away first, all under
//! `volumes/.lock` (names start with an alphanumeric, so dot-names never
//! collide). Readers take no lock. The same code runs outside the user
//! namespace (`volume ls`) and inside it (euid 0 there is the user), so files
//! get the same owner either way.
use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::names;
use crate::storage::atomic::{self, FileLock};

#[derive(Debug, thiserror::Error)]
pub enum VolumeError {
    #[error(
        "invalid volume name {0:?}: names must match [a-zA-Z0-9][a-zA-Z0-9_.-]+ (at least two characters)"
    )]
    InvalidName(String),
    #[error("no such volume: {0}")]
    NotFound(String),
    #[error("volume {0} is being used by a container: remove the container first")]
    InUse(String),
    #[error("volume driver {0:?} is not supported: only \"local\" is")]
    Driver(String),
    #[error("invalid volume option {0:?}: the local driver takes type, device, o and size")]
    Option(String),
    #[error("{action} {path}: {source}")]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("corrupt volume record {path}: {source}")]
    Corrupt {
        path: PathBuf,
        #[source]
        source: serde_json::Error,
    },
}

fn io_err<'a>(action: &'static str, path: &'a Path) -> impl FnOnce(io::Error) -> VolumeError + 'a {
    move |source| VolumeError::Io {
        action,
        path: path.to_path_buf(),
        source,
    }
}

/// The record in `volume.json`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Volume {
    pub name: String,
    pub driver: String,
    /// The `_data` dir; recomputed on load, so a moved data dir still works.
    pub mountpoint: PathBuf,
    pub created: DateTime<Utc>,
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    #[serde(default)]
    pub options: BTreeMap<String, String>,
    /// Created for a container's anonymous mount (`-v /data`, image VOLUME).
    #[serde(default)]
    pub anonymous: bool,
}

/// Options the local driver accepts (Docker's set). They are recorded; the
/// volume itself is a plain directory.
const LOCAL_OPTIONS: &[&str] = &["type", "device", "o", "size"];

pub struct VolumeStore {
    root: PathBuf,
}

impl VolumeStore {
    /// Opens the store under `data_dir`; nothing is created until a volume is.
    pub fn open(data_dir: &Path) -> Result<VolumeStore, VolumeError> {
        Ok(VolumeStore {
            root: data_dir.join("volumes"),
        })
    }

    /// The `_data` dir of `name` (no check that it exists or that the name
    /// is valid: pass names that came from this store or were validated).
    pub fn path(&self, name: &str) -> PathBuf {
        self.root.join(name).join("_data")
    }

    /// Creates a volume. `None` names it with a random 64-hex ID. An existing
    /// name is returned unchanged (labels and options not applied), as Docker does.
    pub fn create(
        &self,
        name: Option<&str>,
        labels: BTreeMap<String, String>,
        options: BTreeMap<String, String>,
        anonymous: bool,
    ) -> Result<Volume, VolumeError> {
        if let Some(n) = name {
            check_name(n)?;
        }
        if let Some(k) = options
            .keys()
            .find(|k| !LOCAL_OPTIONS.contains(&k.as_str()))
        {
            return Err(VolumeError::Option(k.clone()));
        }
        let _lock = self.lock()?;
        let name = match name {
            Some(n) => {
                if let Some(v) = self.load(n)? {
                    return Ok(v);
                }
                n.to_string()
            }
            None => names::new_id(),
        };
        self.sweep();
        let vol = Volume {
            mountpoint: self.path(&name),
            name,
            driver: "local".to_string(),
            created: Utc::now(),
            labels,
            options,
            anonymous,
        };
        let dir = self.root.join(&vol.name);
        if dir.is_dir() {
            // A directory without a record (made by hand, or an older crash):
            // adopt it and keep its data.
            mkdir(&dir.join("_data"), true)?;
            self.write_record(&dir, &vol)?;
            return Ok(vol);
        }
        let staging = self.root.join(format!(".tmp-{}", &names::new_id()[..16]));
        mkdir(&staging, false)?;
        mkdir(&staging.join("_data"), false)?;
        self.write_record(&staging, &vol)?;
        fs::rename(&staging, &dir).map_err(io_err("creating", &dir))?;
        atomic::sync_dir(&self.root).map_err(io_err("syncing", &self.root))?;
        Ok(vol)
    }

    /// The `_data` dir of the named volume, creating the volume if needed
    /// (`-v NAME:/dest` with a name that does not exist yet).
    pub fn ensure(&self, name: &str) -> Result<PathBuf, VolumeError> {
        check_name(name)?;
        if self.load(name)?.is_none() {
            self.create(Some(name), BTreeMap::new(), BTreeMap::new(), false)?;
        }
        Ok(self.path(name))
    }

    pub fn get(&self, name: &str) -> Result<Volume, VolumeError> {
        if !names::is_valid_name(name) {
            return Err(VolumeError::NotFound(name.to_string()));
        }
        self.load(name)?
            .ok_or_else(|| VolumeError::NotFound(name.to_string()))
    }

    /// All volumes, sorted by name.
    pub fn list(&self) -> Result<Vec<Volume>, VolumeError> {
        let rd = match fs::read_dir(&self.root) {
            Ok(rd) => rd,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(io_err("reading", &self.root)(e)),
        };
        let mut out = Vec::new();
        for entry in rd {
            let entry = entry.map_err(io_err("reading", &self.root))?;
            let Some(name) = entry.file_name().to_str().map(str::to_string) else {
                continue;
            };
            if !names::is_valid_name(&name) {
                continue;
            }
            if let Some(v) = self.load(&name)? {
                out.push(v);
            }
        }
        out.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(out)
    }

    /// Removes a volume. A volume a container uses is refused even with
    /// `force`; `force` only makes a missing volume not an error.
    pub fn remove(
        &self,
        name: &str,
        force: bool,
        in_use: &dyn Fn(&str) -> bool,
    ) -> Result<(), VolumeError> {
        let _lock = self.lock()?;
        if !names::is_valid_name(name) || !self.root.join(name).is_dir() {
            return if force {
                Ok(())
            } else {
                Err(VolumeError::NotFound(name.to_string()))
            };
        }
        if in_use(name) {
            return Err(VolumeError::InUse(name.to_string()));
        }
        self.delete(name)
    }

    /// Removes the volumes no container uses: anonymous ones, and named ones
    /// too with `all` (Docker's `volume prune -a`). Returns the names removed
    /// with the bytes their data took.
    pub fn prune(
        &self,
        in_use: &dyn Fn(&str) -> bool,
        all: bool,
    ) -> Result<Vec<(String, u64)>, VolumeError> {
        let _lock = self.lock()?;
        self.sweep();
        let mut removed = Vec::new();
        for v in self.list()? {
            if (all || v.anonymous) && !in_use(&v.name) {
                let size = super::dir_size(&v.mountpoint);
                self.delete(&v.name)?;
                removed.push((v.name, size));
            }
        }
        Ok(removed)
    }

    /// Bytes used by the files in a volume's data dir.
    pub fn size(&self, name: &str) -> u64 {
        super::dir_size(&self.path(name))
    }

    fn lock(&self) -> Result<FileLock, VolumeError> {
        mkdir(&self.root, true)?;
        let p = self.root.join(".lock");
        FileLock::exclusive(&p).map_err(io_err("locking", &p))
    }

    fn load(&self, name: &str) -> Result<Option<Volume>, VolumeError> {
        let p = self.root.join(name).join("volume.json");
        let data = match fs::read(&p) {
            Ok(d) => d,
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
                ) =>
            {
                return Ok(None);
            }
            Err(e) => return Err(io_err("reading", &p)(e)),
        };
        let mut v: Volume =
            serde_json::from_slice(&data).map_err(|source| VolumeError::Corrupt {
                path: p.clone(),
                source,
            })?;
        v.name = name.to_string();
        v.mountpoint = self.path(name);
        Ok(Some(v))
    }

    fn write_record(&self, dir: &Path, v: &Volume) -> Result<(), VolumeError> {
        let p = dir.join("volume.json");
        atomic::write_json(&p, v).map_err(io_err("writing", &p))
    }

    /// Moves the volume out of sight, then deletes it. Caller holds the lock.
    fn delete(&self, name: &str) -> Result<(), VolumeError> {
        let dir = self.root.join(name);
        let gone = self.root.join(format!(".rm-{}", &names::new_id()[..16]));
        fs::rename(&dir, &gone).map_err(io_err("removing", &dir))?;
        crate::sys::fs::remove_tree(&gone).map_err(io_err("removing", &gone))
    }

    /// Removes what a crashed create or remove left. Caller holds the lock,
    /// so no `.tmp-`/`.rm-` dir is in use.
    fn sweep(&self) {
        let Ok(rd) = fs::read_dir(&self.root) else {
            return;
        };
        for e in rd.flatten() {
            let n = e.file_name();
            let n = n.to_string_lossy();
            if n.starts_with(".tmp-") || n.starts_with(".rm-") {
                let _ = crate::sys::fs::remove_tree(&e.path());
            }
        }
    }
}

fn check_name(name: &str) -> Result<(), VolumeError> {
    if names::is_valid_name(name) {
        Ok(())
    } else {
        Err(VolumeError::InvalidName(name.to_string()))
    }
}

/// Creates `path` with mode 0755 (the volumes root: 0700, its contents are
/// the user's data), whatever the umask.
fn mkdir(path: &Path, exist_ok: bool) -> Result<(), VolumeError> {
    let is_root = path.file_name().is_some_and(|n| n == "volumes");
    let mode = if is_root { 0o700 } else { 0o755 };
    match fs::DirBuilder::new()
        .recursive(false)
        .mode(mode)
        .create(path)
    {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists && exist_ok => return Ok(()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent).map_err(io_err("creating", parent))?;
            }
            return mkdir(path, exist_ok);
        }
        Err(e) => return Err(io_err("creating", path)(e)),
    }
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).map_err(io_err("creating", path))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn store() -> (tempfile::TempDir, VolumeStore) {
        let d = tempfile::tempdir().unwrap();
        let s = VolumeStore::open(d.path()).unwrap();
        (d, s)
    }

    fn labels(kv: &[(&str, &str)]) -> BTreeMap<String, String> {
        kv.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn create_get_list_and_layout() {
        let (d, s) = store();
        assert!(s.list().unwrap().is_empty());
        let v = s
            .create(
                Some("data"),
                labels(&[("app", "web")]),
                labels(&[("o", "uid=1000")]),
                false,
            )
            .unwrap();
        assert_eq!(v.name, "data");
        assert_eq!(v.driver, "local");
        assert_eq!(v.mountpoint, d.path().join("volumes/data/_data"));
        assert!(v.mountpoint.is_dir());
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o7777;
        assert_eq!(mode(&v.mountpoint), 0o755);
        assert_eq!(mode(&d.path().join("volumes/data")), 0o755);
        assert_eq!(mode(&d.path().join("volumes")), 0o700);
        let rec: serde_json::Value =
            serde_json::from_slice(&fs::read(d.path().join("volumes/data/volume.json")).unwrap())
                .unwrap();
        assert_eq!(rec["name"], "data");
        assert_eq!(rec["driver"], "local");
        assert_eq!(rec["labels"]["app"], "web");
        assert_eq!(rec["options"]["o"], "uid=1000");
        assert_eq!(rec["anonymous"], false);
        DateTime::parse_from_rfc3339(rec["created"].as_str().unwrap()).unwrap();
        assert_eq!(s.get("data").unwrap(), v);

        // Creating an existing name returns it unchanged.
        let again = s
            .create(
                Some("data"),
                labels(&[("other", "x")]),
                BTreeMap::new(),
                false,
            )
            .unwrap();
        assert_eq!(again, v);

        let anon = s
            .create(None, BTreeMap::new(), BTreeMap::new(), true)
            .unwrap();
        assert_eq!(anon.name.len(), 64);
        assert!(anon.anonymous);
        let names: Vec<String> = s.list().unwrap().into_iter().map(|v| v.name).collect();
        let mut want = vec![anon.name.clone(), "data".to_string()];
        want.sort();
        assert_eq!(names, want);
        // Only volumes are listed: no lock file, no stray files.
        fs::write(d.path().join("volumes/stray"), b"x").unwrap();
        assert_eq!(s.list().unwrap().len(), 2);
    }

    #[test]
    fn bad_input_is_refused() {
        let (_d, s) = store();
        for bad in ["a", "../x", "a/b", ".hidden", "-x"] {
            let e = s
                .create(Some(bad), BTreeMap::new(), BTreeMap::new(), false)
                .unwrap_err();
            assert!(matches!(e, VolumeError::InvalidName(_)), "{bad}: {e}");
            assert!(matches!(s.ensure(bad), Err(VolumeError::InvalidName(_))));
            assert!(matches!(s.get(bad), Err(VolumeError::NotFound(_))));
        }
        let e = s
            .create(Some("ok"), BTreeMap::new(), labels(&[("foo", "1")]), false)
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid volume option \"foo\": the local driver takes type, device, o and size"
        );
        assert_eq!(
            s.get("nope").unwrap_err().to_string(),
            "no such volume: nope"
        );
    }

    #[test]
    fn ensure_creates_once() {
        let (_d, s) = store();
        let p = s.ensure("cache").unwrap();
        assert!(p.is_dir());
        fs::write(p.join("f"), b"keep").unwrap();
        assert_eq!(s.ensure("cache").unwrap(), p);
        assert_eq!(fs::read(p.join("f")).unwrap(), b"keep");
        assert!(!s.get("cache").unwrap().anonymous);
    }

    #[test]
    fn a_directory_without_record_is_adopted() {
        let (d, s) = store();
        let data = d.path().join("volumes/old/_data");
        fs::create_dir_all(&data).unwrap();
        fs::write(data.join("f"), b"x").unwrap();
        let v = s
            .create(Some("old"), BTreeMap::new(), BTreeMap::new(), false)
            .unwrap();
        assert_eq!(v.mountpoint, data);
        assert_eq!(fs::read(data.join("f")).unwrap(), b"x");
        assert_eq!(s.get("old").unwrap(), v);
    }

    #[test]
    fn remove_and_in_use() {
        let (d, s) = store();
        let p = s.ensure("used").unwrap();
        // Data the container may have written with restrictive modes.
        fs::create_dir(p.join("ro")).unwrap();
        fs::write(p.join("ro/f"), b"x").unwrap();
        fs::set_permissions(p.join("ro"), fs::Permissions::from_mode(0o500)).unwrap();
        let e = s.remove("used", true, &|n| n == "used").unwrap_err();
        assert_eq!(
            e.to_string(),
            "volume used is being used by a container: remove the container first"
        );
        assert!(p.is_dir());
        s.remove("used", false, &|_| false).unwrap();
        assert!(!d.path().join("volumes/used").exists());
        assert!(matches!(
            s.remove("used", false, &|_| false),
            Err(VolumeError::NotFound(_))
        ));
        s.remove("used", true, &|_| false).unwrap();
        s.remove("../../etc", true, &|_| false).unwrap();
        // Nothing but the lock is left.
        let left: Vec<_> = fs::read_dir(d.path().join("volumes"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(left, [".lock"]);
    }

    #[test]
    fn prune_removes_unused_and_reports_sizes() {
        let (_d, s) = store();
        let anon = s
            .create(None, BTreeMap::new(), BTreeMap::new(), true)
            .unwrap();
        fs::write(anon.mountpoint.join("f"), vec![0u8; 1000]).unwrap();
        fs::create_dir(anon.mountpoint.join("sub")).unwrap();
        fs::write(anon.mountpoint.join("sub/g"), vec![0u8; 24]).unwrap();
        let busy = s
            .create(None, BTreeMap::new(), BTreeMap::new(), true)
            .unwrap();
        s.ensure("named").unwrap();
        let busy_name = busy.name.clone();
        let in_use = move |n: &str| n == busy_name;
        // Anonymous volumes only by default.
        assert_eq!(
            s.prune(&in_use, false).unwrap(),
            [(anon.name.clone(), 1024)]
        );
        assert_eq!(s.prune(&in_use, true).unwrap(), [("named".to_string(), 0)]);
        let left: Vec<String> = s.list().unwrap().into_iter().map(|v| v.name).collect();
        assert_eq!(left, [busy.name]);
    }

    #[test]
    fn crash_leftovers_are_swept() {
        let (d, s) = store();
        s.ensure("a1").unwrap();
        fs::create_dir_all(d.path().join("volumes/.tmp-dead/_data")).unwrap();
        fs::create_dir_all(d.path().join("volumes/.rm-dead/_data/x")).unwrap();
        assert_eq!(s.list().unwrap().len(), 1);
        s.ensure("b1").unwrap();
        assert!(!d.path().join("volumes/.tmp-dead").exists());
        assert!(!d.path().join("volumes/.rm-dead").exists());
    }

    #[test]
    fn concurrent_creates_of_one_name_agree() {
        let (d, s) = store();
        let s = Arc::new(s);
        let threads: Vec<_> = (0..8)
            .map(|i| {
                let s = Arc::clone(&s);
                std::thread::spawn(move || {
                    s.create(
                        Some("shared"),
                        labels(&[("by", &i.to_string())]),
                        BTreeMap::new(),
                        false,
                    )
                    .unwrap()
                })
            })
            .collect();
        let made: Vec<Volume> = threads.into_iter().map(|t| t.join().unwrap()).collect();
        assert!(made.iter().all(|v| *v == made[0]), "{made:?}");
        assert_eq!(s.get("shared").unwrap(), made[0]);
        assert_eq!(fs::read_dir(d.path().join("volumes")).unwrap().count(), 2);
    }
}
