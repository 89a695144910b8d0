//! Image records: which manifest, config and layers make an image, and the
//! names and repo digests that point at it. One `images.json`, replaced
//! atomically under an exclusive lock.
use std::path::PathBuf;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::config::Paths;
use crate::image::ImageError;
use crate::image::reference::Reference;
use crate::storage::Digest;
use crate::storage::atomic::{self, FileLock};
use crate::storage::blobs::BlobStore;
use crate::storage::layers::LayerStore;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ImageRecord {
    /// The config digest, as Docker and Podman define image IDs.
    pub id: Digest,
    /// Tagged names, fully qualified: `docker.io/library/busybox:latest`.
    #[serde(default)]
    pub names: Vec<String>,
    /// `name@sha256:…` of the manifest in the repositories it came from.
    #[serde(default)]
    pub digests: Vec<String>,
    pub manifest: Digest,
    pub manifest_media_type: String,
    /// Chain IDs, bottom layer first.
    pub layers: Vec<Digest>,
    pub diff_ids: Vec<Digest>,
    /// Unpacked size in bytes.
    pub size: u64,
    pub created: Option<DateTime<Utc>>,
    /// When this store first got the image.
    pub added: DateTime<Utc>,
    pub architecture: String,
    pub os: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
}

impl ImageRecord {
    pub fn top_layer(&self) -> Option<&Digest> {
        self.layers.last()
    }
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct ImagesFile {
    images: Vec<ImageRecord>,
}

/// The whole local store: blobs, layers and image records under one root.
pub struct Store {
    pub paths: Paths,
    pub root: PathBuf,
    pub blobs: BlobStore,
    pub layers: LayerStore,
    images_path: PathBuf,
    lock_path: PathBuf,
    gc_lock_path: PathBuf,
}

impl Store {
    pub fn open(paths: &Paths) -> Result<Store, ImageError> {
        let root = paths.storage();
        std::fs::create_dir_all(&root).map_err(|e| ImageError::io(&root, e))?;
        Ok(Store {
            paths: paths.clone(),
            blobs: BlobStore::open(&root.join("blobs"))?,
            layers: LayerStore::open(&root.join("layers"))?,
            images_path: root.join("images.json"),
            lock_path: root.join("images.lock"),
            gc_lock_path: root.join("gc.lock"),
            root,
        })
    }

    /// Held (shared) by anything that adds content, and exclusively by
    /// anything that deletes unreferenced content, so a collection never
    /// removes a layer a concurrent pull is about to reference.
    pub fn gc_shared(&self) -> Result<FileLock, ImageError> {
        FileLock::shared(&self.gc_lock_path).map_err(|e| ImageError::io(&self.gc_lock_path, e))
    }
    pub fn gc_exclusive(&self) -> Result<FileLock, ImageError> {
        FileLock::exclusive(&self.gc_lock_path).map_err(|e| ImageError::io(&self.gc_lock_path, e))
    }

    /// `gc_exclusive` if nobody holds the gc lock now; `None` otherwise.
    pub fn try_gc_exclusive(&self) -> Result<Option<FileLock>, ImageError> {
        FileLock::try_exclusive(&self.gc_lock_path)
            .map_err(|e| ImageError::io(&self.gc_lock_path, e))
    }

    /// All image records (no lock: the file is only ever replaced by rename).
    pub fn images(&self) -> Result<Vec<ImageRecord>, ImageError> {
        read_images(&self.images_path)
    }

    /// Read-modify-write of the records under the exclusive lock.
    pub fn update<T>(
        &self,
        f: impl FnOnce(&mut Vec<ImageRecord>) -> Result<T, ImageError>,
    ) -> Result<T, ImageError> {
        let _lock =
            FileLock::exclusive(&self.lock_path).map_err(|e| ImageError::io(&self.lock_path, e))?;
        let mut images = read_images(&self.images_path)?;
        let out = f(&mut images)?;
        let file = ImagesFile { images };
        atomic::write_json(&self.images_path, &file)
            .map_err(|e| ImageError::io(&self.images_path, e))?;
        Ok(out)
    }

    /// Adds (or merges) an image and moves its names to it.
    pub fn add_image(&self, rec: ImageRecord) -> Result<ImageRecord, ImageError> {
        self.update(|images| {
            for other in images.iter_mut() {
                if other.id != rec.id {
                    other.names.retain(|n| !rec.names.contains(n));
                }
            }
            let merged = match images.iter_mut().find(|i| i.id == rec.id) {
                Some(existing) => {
                    for n in &rec.names {
                        if !existing.names.contains(n) {
                            existing.names.push(n.clone());
                        }
                    }
                    for d in &rec.digests {
                        if !existing.digests.contains(d) {
                            existing.digests.push(d.clone());
                        }
                    }
                    existing.manifest = rec.manifest.clone();
                    existing.manifest_media_type = rec.manifest_media_type.clone();
                    existing.clone()
                }
                None => {
                    images.push(rec.clone());
                    rec
                }
            };
            Ok(merged)
        })
    }

    /// Finds an image by ID (or unique ID prefix), name, or name@digest.
    pub fn resolve(&self, name: &str, search: &[String]) -> Result<ImageRecord, ImageError> {
        let images = self.images()?;
        find(&images, name, search)
            .cloned()
            .ok_or_else(|| ImageError::NotFound(name.to_string()))
    }

    pub fn config_json(&self, rec: &ImageRecord) -> Result<serde_json::Value, ImageError> {
        let data = self.blobs.read(&rec.id)?;
        serde_json::from_slice(&data)
            .map_err(|e| ImageError::Corrupt(format!("config of image {}: {e}", rec.id.short())))
    }

    /// Unpacked size of one layer (0 if its record is missing).
    pub fn layer_size(&self, chain_id: &Digest) -> u64 {
        self.layers
            .get(chain_id)
            .ok()
            .flatten()
            .map_or(0, |l| l.size)
    }

    pub fn manifest_bytes(&self, rec: &ImageRecord) -> Result<Vec<u8>, ImageError> {
        Ok(self.blobs.read(&rec.manifest)?)
    }
}

fn read_images(path: &std::path::Path) -> Result<Vec<ImageRecord>, ImageError> {
    match std::fs::read(path) {
        Ok(data) => serde_json::from_slice::<ImagesFile>(&data)
            .map(|f| f.images)
            .map_err(|e| ImageError::Corrupt(format!("{}: {e}", path.display()))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(e) => Err(ImageError::io(path, e)),
    }
}

/// The references a user string can mean: Docker's normalization first, then
/// the configured search registries for short names.
pub fn candidates(name: &str, search: &[String]) -> Result<Vec<Reference>, ImageError> {
    let r = Reference::parse(name)?;
    let mut out = vec![r.clone()];
    if !Reference::has_explicit_registry(name) {
        for reg in search {
            let c = r.with_registry(reg);
            if !out.contains(&c) {
                out.push(c);
            }
        }
    }
    Ok(out)
}

/// What a pull tries, in order. A short name goes to the configured
/// unqualified-search registries when there are any (Podman's rule), else to
/// docker.io (Docker's rule); a qualified name is taken as it is.
pub fn pull_candidates(name: &str, search: &[String]) -> Result<Vec<Reference>, ImageError> {
    let r = Reference::parse(name)?;
    if Reference::has_explicit_registry(name) || search.is_empty() {
        return Ok(vec![r]);
    }
    let mut out: Vec<Reference> = Vec::new();
    for reg in search {
        let c = r.with_registry(reg);
        if !out.contains(&c) {
            out.push(c);
        }
    }
    Ok(out)
}

fn find<'a>(images: &'a [ImageRecord], name: &str, search: &[String]) -> Option<&'a ImageRecord> {
    let id = name.strip_prefix("sha256:").unwrap_or(name);
    if crate::image::reference::looks_like_image_id(id) {
        let matches: Vec<_> = images
            .iter()
            .filter(|i| i.id.hex().starts_with(id))
            .collect();
        if matches.len() == 1 {
            return Some(matches[0]);
        }
    }
    let cands = candidates(name, search).ok()?;
    for c in &cands {
        if let Some(d) = c.digest() {
            let want = format!("{}@{}", c.name(), d);
            if let Some(i) = images.iter().find(|i| {
                i.digests.contains(&want)
                    || (i.manifest == *d
                        && i.names
                            .iter()
                            .any(|n| n.starts_with(&format!("{}:", c.name()))))
            }) {
                return Some(i);
            }
        } else {
            let want = c.to_string();
            if let Some(i) = images.iter().find(|i| i.names.contains(&want)) {
                return Some(i);
            }
        }
    }
    None
}

/// What `remove` did: names it untagged and the image it deleted, if any.
#[derive(Debug, Default)]
pub struct RemoveReport {
    pub untagged: Vec<String>,
    pub deleted: Option<Digest>,
}

/// `rmi` semantics: a name untags; the last name (or an ID) deletes the image.
/// Removing by ID an image with several names needs `force`, as in Docker.
/// Content is left for `Store::gc`, which the caller runs under the gc lock.
pub fn remove(
    store: &Store,
    name: &str,
    search: &[String],
    force: bool,
) -> Result<RemoveReport, ImageError> {
    store.update(|images| {
        let rec = find(images, name, search)
            .cloned()
            .ok_or_else(|| ImageError::NotFound(name.to_string()))?;
        let by_id = {
            let id = name.strip_prefix("sha256:").unwrap_or(name);
            crate::image::reference::looks_like_image_id(id) && rec.id.hex().starts_with(id)
        };
        let mut report = RemoveReport::default();
        let img = images
            .iter_mut()
            .find(|i| i.id == rec.id)
            .expect("found above");
        if !by_id {
            let cands = candidates(name, search)?;
            if let Some(n) = img
                .names
                .iter()
                .find(|n| cands.iter().any(|c| c.to_string() == **n))
                .cloned()
            {
                img.names.retain(|x| *x != n);
                report.untagged.push(n.clone());
                let repo = n
                    .rsplit_once(':')
                    .map(|(r, _)| r.to_string())
                    .unwrap_or_default();
                if !img.names.iter().any(|x| x.starts_with(&format!("{repo}:"))) {
                    img.digests.retain(|d| !d.starts_with(&format!("{repo}@")));
                }
                if !img.names.is_empty() {
                    return Ok(report);
                }
            }
        } else if img.names.len() > 1 && !force {
            return Err(ImageError::InUse(format!(
                "image {} is referenced by several names ({}); remove them by name or use --force",
                rec.id.short(),
                img.names.join(", ")
            )));
        }
        report.untagged.append(&mut img.names);
        images.retain(|i| i.id != rec.id);
        report.deleted = Some(rec.id.clone());
        Ok(report)
    })
}

impl Store {
    /// Deletes layers and blobs no image references. Callers hold `gc_exclusive`.
    pub fn gc(&self) -> Result<(), ImageError> {
        self.gc_keeping(&std::collections::HashSet::new())
    }

    /// `gc`, also keeping the layers in `extra` (those containers use).
    pub fn gc_keeping(&self, extra: &std::collections::HashSet<Digest>) -> Result<(), ImageError> {
        let images = self.images()?;
        let mut keep_layers = extra.clone();
        let mut keep_blobs = std::collections::HashSet::new();
        for img in &images {
            keep_layers.extend(img.layers.iter().cloned());
            keep_blobs.insert(img.id.clone());
            keep_blobs.insert(img.manifest.clone());
            for d in &img.digests {
                if let Some(Ok(dg)) = d.split_once('@').map(|(_, x)| x.parse::<Digest>()) {
                    keep_blobs.insert(dg);
                }
            }
            if let Ok(data) = self.blobs.read(&img.manifest)
                && let Ok(m) =
                    serde_json::from_slice::<crate::image::manifest::ImageManifest>(&data)
            {
                keep_blobs.extend(m.layers.into_iter().map(|l| l.digest));
            }
        }
        for layer in self.layers.list()? {
            if !keep_layers.contains(&layer.chain_id) {
                self.layers.remove(&layer.chain_id)?;
            }
        }
        for blob in self.blobs.list()? {
            if !keep_blobs.contains(&blob) {
                self.blobs.remove(&blob)?;
            }
        }
        Ok(())
    }
}
