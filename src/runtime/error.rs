//! The runtime's error type: one enum, each variant one clear line.
use std::io;
use std::path::PathBuf;

use super::cgroups::CgroupError;
use super::rootfs::RootfsError;
use super::security::SecurityError;
use super::tty::TtyError;

#[derive(Debug, thiserror::Error)]
pub enum RuntimeError {
    #[error("invalid container id {0:?}: use letters, digits, '_', '+', '-' and '.'")]
    InvalidId(String),
    #[error("container {0} does not exist")]
    NotFound(String),
    #[error("container {0} already exists")]
    Exists(String),
    #[error("cannot {op} container {id}: it is {status}{}", hint(.op))]
    WrongState {
        id: String,
        op: &'static str,
        status: &'static str,
    },
    #[error("loading {}: {message}", path.display())]
    LoadSpec { path: PathBuf, message: String },
    #[error("invalid config: {0}")]
    InvalidSpec(String),
    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: io::Error,
    },
    #[error("{kind} hook {path}: {reason}")]
    Hook {
        kind: &'static str,
        path: String,
        reason: String,
    },
    #[error("container init: {0}")]
    Init(String),
    #[error("unknown signal {0:?}")]
    UnknownSignal(String),
    #[error("{0}")]
    Unsupported(String),
    #[error(transparent)]
    Rootfs(#[from] RootfsError),
    #[error(transparent)]
    Security(#[from] SecurityError),
    #[error("cgroups: {0}")]
    Cgroup(#[from] CgroupError),
    #[error("console: {0}")]
    Tty(#[from] TtyError),
}

fn hint(op: &str) -> &'static str {
    match op {
        "delete" => " (stop it first, or use --force)",
        _ => "",
    }
}

impl RuntimeError {
    pub(crate) fn io(context: impl Into<String>, source: io::Error) -> RuntimeError {
        RuntimeError::Io {
            context: context.into(),
            source,
        }
    }
}

/// `.ctx("what we were doing")` on io results.
pub(crate) trait IoContext<T> {
    fn ctx(self, context: impl FnOnce() -> String) -> Result<T, RuntimeError>;
}

impl<T> IoContext<T> for io::Result<T> {
    fn ctx(self, context: impl FnOnce() -> String) -> Result<T, RuntimeError> {
        self.map_err(|e| RuntimeError::io(context(), e))
    }
}
