//! Engine settings from the `[engine]` table of `<config>/skiff.toml`:
//!
//! ```toml
//! [engine]
//! storage-driver = "overlay"     # default: probed
//! parallel-downloads = 6         # layers fetched at once
//! log-driver = "k8s-file"        # default: k8s-file
//! ```
//!
//! A missing file or table means defaults; an unknown key is an error, so a
//! typo does not silently fall back to a default. Other tables (such as
//! `[registries]`, read by `registries.rs`) are not this module's business.
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::config::Paths;

pub const DEFAULT_PARALLEL_DOWNLOADS: usize = 6;
const ENGINE_KEYS: &[&str] = &["storage-driver", "parallel-downloads", "log-driver"];

#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("{path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Parse { path: PathBuf, message: String },
    #[error("{path}: unknown key {key:?} (known keys: {known})")]
    UnknownKey {
        path: PathBuf,
        key: String,
        known: String,
    },
    #[error("{path}: {message}")]
    Invalid { path: PathBuf, message: String },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Rootfs driver name; `None` lets storage probe for the best one.
    pub storage_driver: Option<String>,
    pub parallel_downloads: usize,
    /// Container log format; `None` means the engine default.
    pub log_driver: Option<String>,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            storage_driver: None,
            parallel_downloads: DEFAULT_PARALLEL_DOWNLOADS,
            log_driver: None,
        }
    }
}

#[derive(Deserialize, Default)]
struct File {
    #[serde(default)]
    engine: Option<Engine>,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Engine {
    storage_driver: Option<String>,
    parallel_downloads: Option<usize>,
    log_driver: Option<String>,
}

impl Settings {
    /// Reads `<paths.config>/skiff.toml`.
    pub fn load(paths: &Paths) -> Result<Settings, SettingsError> {
        Settings::load_file(&paths.config.join("skiff.toml"))
    }

    pub fn load_file(path: &Path) -> Result<Settings, SettingsError> {
        match std::fs::read_to_string(path) {
            Ok(text) => Settings::from_toml_str(&text, path),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Settings::default()),
            Err(source) => Err(SettingsError::Read {
                path: path.to_path_buf(),
                source,
            }),
        }
    }

    /// Parses skiff.toml text; `path` is only used in error messages.
    pub fn from_toml_str(text: &str, path: &Path) -> Result<Settings, SettingsError> {
        let parse_err = |e: toml::de::Error| SettingsError::Parse {
            path: path.to_path_buf(),
            message: toml_error_line(text, &e),
        };
        let table: toml::Table = toml::from_str(text).map_err(parse_err)?;
        if let Some(engine) = table.get("engine") {
            let Some(engine) = engine.as_table() else {
                return Err(SettingsError::Invalid {
                    path: path.to_path_buf(),
                    message: "\"engine\" must be a table".into(),
                });
            };
            if let Some(key) = engine.keys().find(|k| !ENGINE_KEYS.contains(&k.as_str())) {
                return Err(SettingsError::UnknownKey {
                    path: path.to_path_buf(),
                    key: format!("engine.{key}"),
                    known: ENGINE_KEYS.join(", "),
                });
            }
        }
        let file: File = toml::from_str(text).map_err(parse_err)?;
        let Some(e) = file.engine else {
            return Ok(Settings::default());
        };
        let invalid = |message: &str| SettingsError::Invalid {
            path: path.to_path_buf(),
            message: message.to_string(),
        };
        let parallel_downloads = e.parallel_downloads.unwrap_or(DEFAULT_PARALLEL_DOWNLOADS);
        if parallel_downloads == 0 {
            return Err(invalid("engine.parallel-downloads must be at least 1"));
        }
        if e.storage_driver.as_deref() == Some("") {
            return Err(invalid("engine.storage-driver must not be empty"));
        }
        if e.log_driver.as_deref() == Some("") {
            return Err(invalid("engine.log-driver must not be empty"));
        }
        Ok(Settings {
            storage_driver: e.storage_driver,
            parallel_downloads,
            log_driver: e.log_driver,
        })
    }
}

/// A TOML error as one line: `line N: message` (the crate's own Display
/// spans several lines with a source excerpt).
pub(crate) fn toml_error_line(text: &str, e: &toml::de::Error) -> String {
    let msg = e.message().trim().replace('\n', "; ");
    match e.span() {
        Some(span) => {
            let line = text[..span.start.min(text.len())].matches('\n').count() + 1;
            format!("line {line}: {msg}")
        }
        None => msg,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Settings, SettingsError> {
        Settings::from_toml_str(text, Path::new("/x/skiff.toml"))
    }

    #[test]
    fn defaults_when_missing() {
        let dir = tempfile::tempdir().unwrap();
        let paths = Paths {
            data: dir.path().join("data"),
            config: dir.path().join("config"),
            runtime: dir.path().join("run"),
        };
        assert_eq!(Settings::load(&paths).unwrap(), Settings::default());
        assert_eq!(Settings::default().parallel_downloads, 6);
        assert_eq!(parse("").unwrap(), Settings::default());
        assert_eq!(
            parse("[registries]\nfoo = 1\n").unwrap(),
            Settings::default()
        );
    }

    #[test]
    fn reads_engine_table_from_file() {
        let dir = tempfile::tempdir().unwrap();
        let paths = Paths {
            data: dir.path().join("data"),
            config: dir.path().to_path_buf(),
            runtime: dir.path().join("run"),
        };
        std::fs::write(
            dir.path().join("skiff.toml"),
            "[engine]\nstorage-driver = \"vfs\"\nparallel-downloads = 2\nlog-driver = \"json-file\"\n",
        )
        .unwrap();
        let s = Settings::load(&paths).unwrap();
        assert_eq!(s.storage_driver.as_deref(), Some("vfs"));
        assert_eq!(s.parallel_downloads, 2);
        assert_eq!(s.log_driver.as_deref(), Some("json-file"));
    }

    #[test]
    fn unknown_key_names_key_and_file() {
        let e = parse("[engine]\nparallel_downloads = 3\n").unwrap_err();
        let msg = e.to_string();
        assert!(matches!(e, SettingsError::UnknownKey { .. }), "{msg}");
        assert!(msg.contains("/x/skiff.toml"), "{msg}");
        assert!(msg.contains("engine.parallel_downloads"), "{msg}");
    }

    #[test]
    fn rejects_bad_values() {
        let e = parse("[engine]\nparallel-downloads = 0\n").unwrap_err();
        assert!(e.to_string().contains("at least 1"), "{e}");
        let e = parse("[engine]\nparallel-downloads = \"six\"\n").unwrap_err();
        let msg = e.to_string();
        assert!(msg.starts_with("/x/skiff.toml: line 2: "), "{msg}");
        assert!(!msg.contains('\n'), "{msg}");
        assert!(parse("engine = 1\n").is_err());
        assert!(parse("[engine]\nlog-driver = \"\"\n").is_err());
        let e = parse("[engine\n").unwrap_err();
        assert!(e.to_string().contains("line 1"), "{e}");
    }
}
