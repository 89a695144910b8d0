//! Where skiff keeps its state: XDG dirs for a user, system dirs for root.
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum PathsError {
    #[error("cannot determine the home directory: set HOME or XDG_DATA_HOME")]
    NoHome,
}

#[derive(Debug, Clone)]
pub struct Paths {
    /// Persistent data: blobs, layers, images (and later containers, volumes).
    pub data: PathBuf,
    /// User configuration: `skiff.toml`, `registries.conf`.
    pub config: PathBuf,
    /// Runtime state that does not survive a reboot: locks of live things, auth.
    pub runtime: PathBuf,
}

impl Paths {
    /// Root uses `/var/lib/skiff`, `/etc/skiff` and `/run/skiff`; everyone else
    /// the XDG dirs. `--root` / `--runroot` override data and runtime.
    pub fn detect(root: Option<&Path>, runroot: Option<&Path>) -> Result<Paths, PathsError> {
        let mut p =
            if crate::rootless::host_uid() == 0 && std::env::var_os("SKIFF_FORCE_XDG").is_none() {
                Paths {
                    data: PathBuf::from("/var/lib/skiff"),
                    config: PathBuf::from("/etc/skiff"),
                    runtime: PathBuf::from("/run/skiff"),
                }
            } else {
                let dirs =
                    directories::ProjectDirs::from("", "", "skiff").ok_or(PathsError::NoHome)?;
                let runtime = match dirs.runtime_dir() {
                    Some(r) => r.to_path_buf(),
                    // No XDG_RUNTIME_DIR (a bare `su` session): Podman falls back to a
                    // per-user dir in /tmp; do the same so runtime state still works.
                    None => std::env::temp_dir()
                        .join(format!("skiff-run-{}", crate::rootless::host_uid())),
                };
                Paths {
                    data: dirs.data_dir().to_path_buf(),
                    config: dirs.config_dir().to_path_buf(),
                    runtime,
                }
            };
        if let Some(r) = root {
            p.data = r.to_path_buf();
        }
        if let Some(r) = runroot {
            p.runtime = r.to_path_buf();
        }
        Ok(p)
    }

    /// The content and layer store.
    pub fn storage(&self) -> PathBuf {
        self.data.join("storage")
    }
}
