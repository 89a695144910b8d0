//! Containers: records, spec generation from image config plus options,
//! lifecycle, the per-container monitor, logs and volumes.
pub mod attach;
pub mod initbin;
pub mod joins;
pub mod lifecycle;
pub mod logs;
pub mod monitor;
pub mod names;
pub mod pod;
pub mod procs;
pub mod record;
pub mod spec;
pub mod store;
pub mod volumes;

use std::path::{Path, PathBuf};

pub use record::{Container, Status};
pub use store::ContainerStore;

#[derive(Debug, thiserror::Error)]
pub enum ContainerError {
    #[error("no such container: {0}")]
    NotFound(String),
    #[error("container ID prefix {0:?} is ambiguous: give more characters or the name")]
    Ambiguous(String),
    #[error(
        "the container name {0:?} is already in use; remove that container or choose another --name"
    )]
    NameInUse(String),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("corrupt container record {path}: {message}")]
    Corrupt { path: PathBuf, message: String },
    #[error("container {id} is {status}: {what}")]
    WrongState {
        id: String,
        status: &'static str,
        what: String,
    },
    #[error(transparent)]
    Runtime(#[from] crate::runtime::container::RuntimeError),
    #[error(transparent)]
    Network(#[from] crate::network::NetworkError),
    #[error("{0}")]
    Monitor(String),
    #[error("{0}")]
    Other(String),
}

impl ContainerError {
    pub fn io(path: &Path, source: std::io::Error) -> ContainerError {
        ContainerError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

/// Bytes used by the regular files under `path` (not following symlinks); what
/// `ps -s` and `system df` report for a writable layer.
pub fn dir_size(path: &Path) -> u64 {
    let mut total = 0;
    let mut stack = vec![path.to_path_buf()];
    while let Some(p) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&p) else {
            continue;
        };
        for e in rd.flatten() {
            let Ok(md) = e.metadata() else { continue };
            if md.is_dir() {
                stack.push(e.path());
            } else if md.is_file() {
                total += md.len();
            }
        }
    }
    total
}

/// Names of the volumes some container's record mounts (`volume_name` of
/// each entry in `mounts`). Read as plain JSON, not as a full record, so a
/// record from another version of skiff still protects its volumes: this
/// answers "may I delete it?", and a volume is kept while any record names it.
pub fn volumes_in_use(paths: &crate::config::Paths) -> std::collections::HashSet<String> {
    let mut used = std::collections::HashSet::new();
    let Ok(rd) = std::fs::read_dir(ContainerStore::open(paths).root()) else {
        return used;
    };
    for e in rd.flatten() {
        let Ok(data) = std::fs::read(e.path().join(record::RECORD_FILE)) else {
            continue;
        };
        let Ok(rec) = serde_json::from_slice::<serde_json::Value>(&data) else {
            continue;
        };
        let mounts = rec.get("mounts").and_then(|m| m.as_array());
        for m in mounts.into_iter().flatten() {
            if let Some(n) = m.get("volume_name").and_then(|n| n.as_str()) {
                used.insert(n.to_string());
            }
        }
    }
    used
}
