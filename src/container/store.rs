//! Where container records live and how commands find and lock them.
//!
//! `<data>/containers/<id>/` holds the record, the bundle (`config.json`),
//! the writable layer and the log; `<runtime>/c/<id12>/` holds what dies with
//! a reboot (the monitor's socket). Names are unique: creating or renaming
//! takes `containers.lock`, so two concurrent creates cannot both win a name.
use std::path::{Path, PathBuf};

use super::ContainerError;
use super::record::{Container, RECORD_FILE};
use crate::config::Paths;
use crate::storage::atomic::FileLock;
use crate::storage::rootfs::RootfsLayout;

const LOCK_FILE: &str = "lock";
const NAMES_LOCK: &str = "containers.lock";

#[derive(Clone, Debug)]
pub struct ContainerStore {
    root: PathBuf,
    run: PathBuf,
}

impl ContainerStore {
    pub fn open(paths: &Paths) -> ContainerStore {
        ContainerStore {
            root: paths.data.join("containers"),
            run: paths.runtime.join("c"),
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn dir(&self, id: &str) -> PathBuf {
        self.root.join(id)
    }

    /// Short, so socket paths stay under the 108-byte limit.
    pub fn run_dir(&self, id: &str) -> PathBuf {
        self.run.join(&id[..12.min(id.len())])
    }

    pub fn attach_socket(&self, id: &str) -> PathBuf {
        self.run_dir(id).join("attach")
    }

    pub fn layout(&self, c: &Container) -> RootfsLayout {
        let dir = self.dir(&c.id);
        RootfsLayout {
            lowers: c.lowers.clone(),
            upper: dir.join("upper"),
            work: dir.join("work"),
            merged: dir.join("merged"),
        }
    }

    pub fn log_path(&self, id: &str) -> PathBuf {
        self.dir(id).join("ctr.log")
    }

    /// Every container with a readable record, oldest first. A directory
    /// without a record is a create that died half-way: skipped here,
    /// swept by `system check --repair`.
    pub fn list(&self) -> Result<Vec<Container>, ContainerError> {
        let rd = match std::fs::read_dir(&self.root) {
            Ok(rd) => rd,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(ContainerError::io(&self.root, e)),
        };
        let mut out = Vec::new();
        for ent in rd.flatten() {
            let name = ent.file_name();
            let Some(name) = name.to_str() else { continue };
            if name.len() != 64 {
                continue;
            }
            match Container::load(&ent.path()) {
                Ok(c) => out.push(c),
                Err(ContainerError::Io { source, .. })
                    if source.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(e),
            }
        }
        out.sort_by(|a, b| a.created.cmp(&b.created).then(a.id.cmp(&b.id)));
        Ok(out)
    }

    /// By exact name, exact ID, or a unique ID prefix (Docker's order).
    pub fn lookup(&self, key: &str) -> Result<Container, ContainerError> {
        let key = key.strip_prefix('/').unwrap_or(key);
        if key.len() == 64 && key.bytes().all(|b| b.is_ascii_hexdigit()) {
            match Container::load(&self.dir(key)) {
                Ok(c) => return Ok(c),
                Err(ContainerError::Io { source, .. })
                    if source.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(e),
            }
        }
        let all = self.list()?;
        if let Some(c) = all.iter().find(|c| c.name == key) {
            return Ok(c.clone());
        }
        let hex = !key.is_empty() && key.bytes().all(|b| b.is_ascii_hexdigit());
        let mut hits = all.into_iter().filter(|c| hex && c.id.starts_with(key));
        match (hits.next(), hits.next()) {
            (Some(c), None) => Ok(c),
            (Some(_), Some(_)) => Err(ContainerError::Ambiguous(key.to_string())),
            _ => Err(ContainerError::NotFound(key.to_string())),
        }
    }

    /// The container's lock: held across any read-modify-write of its record
    /// and across a start (until the record says running).
    pub fn lock(&self, id: &str) -> Result<FileLock, ContainerError> {
        let p = self.dir(id).join(LOCK_FILE);
        if !self.dir(id).is_dir() {
            return Err(ContainerError::NotFound(id.to_string()));
        }
        FileLock::exclusive(&p).map_err(|e| ContainerError::io(&p, e))
    }

    /// The container's lock if nobody holds it (a start, stop or removal in
    /// progress does); `None` otherwise.
    pub fn try_lock(&self, id: &str) -> Result<Option<FileLock>, ContainerError> {
        let p = self.dir(id).join(LOCK_FILE);
        if !self.dir(id).is_dir() {
            return Err(ContainerError::NotFound(id.to_string()));
        }
        FileLock::try_exclusive(&p).map_err(|e| ContainerError::io(&p, e))
    }

    /// Reloads the record under the lock, applies `f`, and writes it back.
    pub fn update<T>(
        &self,
        id: &str,
        f: impl FnOnce(&mut Container) -> Result<T, ContainerError>,
    ) -> Result<T, ContainerError> {
        let _lock = self.lock(id)?;
        self.update_locked(id, f)
    }

    /// `update` for a caller that already holds the lock.
    pub fn update_locked<T>(
        &self,
        id: &str,
        f: impl FnOnce(&mut Container) -> Result<T, ContainerError>,
    ) -> Result<T, ContainerError> {
        let dir = self.dir(id);
        let mut c = Container::load(&dir)?;
        let out = f(&mut c)?;
        c.save(&dir)?;
        Ok(out)
    }

    /// Takes the names lock for a create or rename.
    pub fn names_lock(&self) -> Result<FileLock, ContainerError> {
        let p = self.root.join(NAMES_LOCK);
        FileLock::exclusive(&p).map_err(|e| ContainerError::io(&p, e))
    }

    /// Writes a new container's dir and record. The caller holds
    /// `names_lock` and has checked the name and ID are free.
    pub fn insert(&self, c: &Container) -> Result<(), ContainerError> {
        let dir = self.dir(&c.id);
        create_private_dir(&self.root, 0o700)?;
        std::fs::create_dir(&dir).map_err(|e| ContainerError::io(&dir, e))?;
        // The record last: a dir without one is a create that did not finish.
        c.save(&dir)
    }

    /// Deletes the container's files: data dir (writable layer included)
    /// and runtime dir. The caller has stopped it and unmounted its rootfs.
    pub fn remove_files(&self, id: &str) -> Result<(), ContainerError> {
        let dir = self.dir(id);
        // Drop the record first: from here on, the container is gone for
        // every reader even if deleting a large layer is interrupted.
        let rec = dir.join(RECORD_FILE);
        match std::fs::remove_file(&rec) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(ContainerError::io(&rec, e)),
        }
        let run = self.run_dir(id);
        let _ = crate::sys::fs::remove_tree(&run);
        crate::sys::fs::remove_tree(&dir).map_err(|e| ContainerError::io(&dir, e))
    }
}

fn create_private_dir(p: &Path, mode: u32) -> Result<(), ContainerError> {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(mode)
        .create(p)
        .map_err(|e| ContainerError::io(p, e))
}

/// A run dir for the monitor's sockets, private to the user.
pub fn make_run_dir(p: &Path) -> Result<(), ContainerError> {
    create_private_dir(p, 0o700)
}
