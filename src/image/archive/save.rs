//! `skiff save`: images as a docker-archive (manifest.json, configs,
//! uncompressed layer tars) or an oci-archive (an OCI image layout in a tar).
use std::collections::{BTreeMap, HashSet};
use std::fs::File;
use std::io::{self, BufReader, Read, Write};

use serde::{Deserialize, Serialize};

use super::{ArchiveFormat, CopyError, Counting, copy_into};
use crate::image::ImageError;
use crate::image::manifest::{self, ImageIndex, ImageManifest, Parsed, Platform};
use crate::image::reference::Reference;
use crate::image::store::{ImageRecord, Store};
use crate::storage::Digest;
use crate::storage::compression;
use crate::storage::digest::HashingWriter;

/// One image in a docker-archive's `manifest.json`.
#[derive(Debug, Serialize, Deserialize)]
pub(super) struct DockerEntry {
    #[serde(rename = "Config")]
    pub config: String,
    #[serde(rename = "RepoTags", default)]
    pub repo_tags: Option<Vec<String>>,
    #[serde(rename = "Layers")]
    pub layers: Vec<String>,
}

pub(super) const REF_NAME: &str = "org.opencontainers.image.ref.name";
pub(super) const CONTAINERD_NAME: &str = "io.containerd.image.name";
pub(super) const OCI_LAYOUT: &str = r#"{"imageLayoutVersion":"1.0.0"}"#;

pub fn save(
    store: &Store,
    images: &[(ImageRecord, Option<Reference>)],
    format: ArchiveFormat,
    out: &mut dyn Write,
) -> Result<(), ImageError> {
    if images.is_empty() {
        return Err(ImageError::Invalid(
            "nothing to save: name at least one image".into(),
        ));
    }
    // Keeps garbage collection from removing blobs while they are read.
    let _gc = store.gc_shared()?;
    let mut w = ArchiveWriter {
        b: tar::Builder::new(out),
        dirs: HashSet::new(),
    };
    match format {
        ArchiveFormat::DockerArchive => save_docker(store, images, &mut w)?,
        ArchiveFormat::OciArchive => save_oci(store, images, &mut w)?,
    }
    w.b.finish().map_err(write_err)?;
    Ok(())
}

fn write_err(e: io::Error) -> ImageError {
    ImageError::io(std::path::Path::new("archive"), e)
}

fn image_manifest(store: &Store, rec: &ImageRecord) -> Result<ImageManifest, ImageError> {
    let body = store.manifest_bytes(rec)?;
    match manifest::parse(&rec.id.to_string(), &rec.manifest_media_type, &body)? {
        Parsed::Manifest(m) => Ok(*m),
        Parsed::Index(_) => Err(ImageError::Corrupt(format!(
            "image {} points at an index, not a manifest",
            rec.id.short()
        ))),
    }
}

/// `name:tag` as Docker writes it in RepoTags, if the reference has a tag.
fn repo_tag(r: &Reference) -> Option<String> {
    r.tag().map(|t| format!("{}:{t}", r.familiar_name()))
}

fn save_docker(
    store: &Store,
    images: &[(ImageRecord, Option<Reference>)],
    w: &mut ArchiveWriter<'_>,
) -> Result<(), ImageError> {
    // One entry per image, in the order first named; tags merged.
    let mut order: Vec<&ImageRecord> = Vec::new();
    let mut tags: BTreeMap<&Digest, Vec<String>> = BTreeMap::new();
    for (rec, r) in images {
        if !order.iter().any(|o| o.id == rec.id) {
            order.push(rec);
        }
        let t = tags.entry(&rec.id).or_default();
        if let Some(tag) = r.as_ref().and_then(repo_tag)
            && !t.contains(&tag)
        {
            t.push(tag);
        }
    }
    let mut entries = Vec::new();
    let mut repositories: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    let mut written: HashSet<String> = HashSet::new();
    for rec in order {
        let m = image_manifest(store, rec)?;
        if m.layers.len() != rec.diff_ids.len() {
            return Err(ImageError::Corrupt(format!(
                "image {}: manifest has {} layers, record has {} diff IDs",
                rec.id.short(),
                m.layers.len(),
                rec.diff_ids.len()
            )));
        }
        let config_name = format!("{}.json", rec.id.hex());
        if written.insert(config_name.clone()) {
            let config = store.blobs.read(&rec.id)?;
            w.bytes(&config_name, &config)?;
        }
        let mut layer_paths = Vec::new();
        for (desc, diff_id) in m.layers.iter().zip(&rec.diff_ids) {
            let dir = diff_id.hex().to_string();
            let path = format!("{dir}/layer.tar");
            if written.insert(path.clone()) {
                w.dir(&dir)?;
                write_uncompressed_layer(store, &desc.digest, diff_id, &path, w)?;
            }
            layer_paths.push(path);
        }
        let repo_tags = tags.remove(&rec.id).unwrap_or_default();
        if let Some(top) = rec.diff_ids.last() {
            for t in &repo_tags {
                if let Some((name, tag)) = t.rsplit_once(':') {
                    repositories
                        .entry(name.to_string())
                        .or_default()
                        .insert(tag.to_string(), top.hex().to_string());
                }
            }
        }
        entries.push(DockerEntry {
            config: config_name,
            repo_tags: Some(repo_tags),
            layers: layer_paths,
        });
    }
    w.json("manifest.json", &entries)?;
    if !repositories.is_empty() {
        w.json("repositories", &repositories)?;
    }
    Ok(())
}

/// docker-archive layers are plain tars named by diff ID: the stored blob is
/// decompressed into a temp file (a tar header needs the size up front) and
/// checked against the diff ID before it goes into the archive.
fn write_uncompressed_layer(
    store: &Store,
    blob: &Digest,
    diff_id: &Digest,
    path: &str,
    w: &mut ArchiveWriter<'_>,
) -> Result<(), ImageError> {
    let src = store.blobs.open_blob(blob)?;
    let blob_path = store.blobs.path(blob);
    let mut plain = compression::decompress(BufReader::with_capacity(1 << 20, src))
        .map_err(|e| ImageError::io(&blob_path, e))?;
    let tmp = super::temp_file(store)?;
    let handle = tmp
        .as_file()
        .try_clone()
        .map_err(|e| ImageError::io(tmp.path(), e))?;
    let mut hw = HashingWriter::new(
        io::BufWriter::with_capacity(1 << 20, handle),
        diff_id.algo(),
    );
    copy_into(&mut plain, &mut hw).map_err(|e| match e {
        CopyError::Read(e) => ImageError::Corrupt(format!("layer blob {blob}: {e}")),
        CopyError::Write(e) => ImageError::io(tmp.path(), e),
    })?;
    let (mut buf, actual, size) = hw.finish();
    buf.flush().map_err(|e| ImageError::io(tmp.path(), e))?;
    drop(buf);
    if actual != *diff_id {
        return Err(ImageError::Corrupt(format!(
            "layer blob {blob} unpacks to {actual}, but the image expects {diff_id}"
        )));
    }
    let f = File::open(tmp.path()).map_err(|e| ImageError::io(tmp.path(), e))?;
    w.file(path, f, size)
}

fn save_oci(
    store: &Store,
    images: &[(ImageRecord, Option<Reference>)],
    w: &mut ArchiveWriter<'_>,
) -> Result<(), ImageError> {
    w.bytes("oci-layout", OCI_LAYOUT.as_bytes())?;
    w.dir("blobs")?;
    let mut written: HashSet<Digest> = HashSet::new();
    let mut index = ImageIndex {
        schema_version: 2,
        media_type: Some(manifest::OCI_INDEX.to_string()),
        manifests: Vec::new(),
        annotations: None,
    };
    // One index entry per (image, name); an unnamed image gets one plain entry.
    let mut seen: HashSet<(Digest, Option<String>)> = HashSet::new();
    for (rec, r) in images {
        let full = r
            .as_ref()
            .filter(|r| r.tag().is_some())
            .map(|r| r.to_string());
        if !seen.insert((rec.id.clone(), full.clone())) {
            continue;
        }
        let body = store.manifest_bytes(rec)?;
        let m = image_manifest(store, rec)?;
        for d in std::iter::once(&m.config).chain(&m.layers) {
            if written.insert(d.digest.clone()) {
                w.blob(store, &d.digest)?;
            }
        }
        if written.insert(rec.manifest.clone()) {
            w.blob(store, &rec.manifest)?;
        }
        let annotations = match (full, r.as_ref().and_then(|r| r.tag())) {
            (Some(full), Some(tag)) => Some(BTreeMap::from([
                (REF_NAME.to_string(), tag.to_string()),
                (CONTAINERD_NAME.to_string(), full),
            ])),
            _ => None,
        };
        index.manifests.push(manifest::Descriptor {
            media_type: rec.manifest_media_type.clone(),
            digest: rec.manifest.clone(),
            size: body.len() as u64,
            platform: Some(Platform {
                architecture: rec.architecture.clone(),
                os: rec.os.clone(),
                variant: rec.variant.clone(),
                os_version: None,
            }),
            annotations,
            urls: None,
        });
    }
    w.json("index.json", &index)
}

/// A tar builder that adds parent directory entries once, as `docker save`
/// and skopeo archives have them.
struct ArchiveWriter<'a> {
    b: tar::Builder<&'a mut dyn Write>,
    dirs: HashSet<String>,
}

impl ArchiveWriter<'_> {
    fn header(size: u64, mode: u32, kind: tar::EntryType) -> tar::Header {
        let mut h = tar::Header::new_ustar();
        h.set_size(size);
        h.set_mode(mode);
        h.set_entry_type(kind);
        h.set_mtime(0);
        h.set_uid(0);
        h.set_gid(0);
        h
    }

    fn dir(&mut self, path: &str) -> Result<(), ImageError> {
        if let Some((parent, _)) = path.rsplit_once('/') {
            self.dir(parent)?;
        }
        if !self.dirs.insert(path.to_string()) {
            return Ok(());
        }
        let mut h = Self::header(0, 0o755, tar::EntryType::Directory);
        self.b
            .append_data(&mut h, format!("{path}/"), io::empty())
            .map_err(write_err)
    }

    fn file(&mut self, path: &str, data: impl Read, size: u64) -> Result<(), ImageError> {
        if let Some((parent, _)) = path.rsplit_once('/') {
            self.dir(parent)?;
        }
        let mut h = Self::header(size, 0o644, tar::EntryType::Regular);
        // A source shorter than the header's size would corrupt the archive.
        let mut counted = Counting {
            inner: data.take(size),
            n: 0,
        };
        self.b
            .append_data(&mut h, path, &mut counted)
            .map_err(write_err)?;
        if counted.n != size {
            return Err(ImageError::Invalid(format!(
                "{path}: source changed while saving"
            )));
        }
        Ok(())
    }

    fn bytes(&mut self, path: &str, data: &[u8]) -> Result<(), ImageError> {
        self.file(path, data, data.len() as u64)
    }

    fn json<T: Serialize>(&mut self, path: &str, value: &T) -> Result<(), ImageError> {
        let body = serde_json::to_vec(value)
            .map_err(|e| ImageError::Invalid(format!("cannot encode {path}: {e}")))?;
        self.bytes(path, &body)
    }

    /// Copies a stored blob as `blobs/<algo>/<hex>`, as it is.
    fn blob(&mut self, store: &Store, d: &Digest) -> Result<(), ImageError> {
        let f = store.blobs.open_blob(d)?;
        let size = f
            .metadata()
            .map_err(|e| ImageError::io(&store.blobs.path(d), e))?
            .len();
        self.file(
            &format!("blobs/{}/{}", d.algo().name(), d.hex()),
            BufReader::with_capacity(1 << 20, f),
            size,
        )
    }
}
