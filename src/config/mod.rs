//! Configuration: state paths, skiff's TOML config, registries.conf, auth files.
pub mod paths;

pub use paths::Paths;
pub mod registries;
pub mod settings;
