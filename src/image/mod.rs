//! Images: references, registry client, pull/push, image records, archives.
pub mod auth;
pub mod manifest;
pub mod progress;
pub mod pull;
pub mod push;
pub mod reference;
pub mod registry;
pub mod remote;
pub mod store;

use std::path::Path;

use crate::storage::blobs::BlobError;
use crate::storage::layers::LayerError;

/// Everything that can go wrong with images; each renders as one line.
#[derive(Debug, thiserror::Error)]
pub enum ImageError {
    #[error("no such image: {0}")]
    NotFound(String),
    #[error("{0}")]
    Reference(#[from] reference::ReferenceError),
    #[error("{0}")]
    Registry(#[from] registry::RegistryError),
    #[error("{0}")]
    Manifest(#[from] manifest::ManifestError),
    #[error("{0}")]
    Blob(#[from] BlobError),
    #[error("{0}")]
    Layer(#[from] LayerError),
    #[error("{0}")]
    Registries(#[from] crate::config::registries::RegistriesError),
    #[error("{0}")]
    Auth(#[from] auth::AuthError),
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("store is damaged: {0} (run `skiff system check --repair`)")]
    Corrupt(String),
    #[error("{0}")]
    Invalid(String),
    #[error("image is in use: {0}")]
    InUse(String),
}

impl ImageError {
    pub fn io(path: &Path, source: std::io::Error) -> ImageError {
        ImageError::Io {
            path: path.display().to_string(),
            source,
        }
    }
}
pub mod archive;
