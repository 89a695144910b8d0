//! Image archives: `import` (a root filesystem tarball or directory becomes a
//! one-layer image), `save` (docker-archive or oci-archive tar), and `load`
//! (either kind back into the store).
//!
//! Everything that enters the store goes through the blob store's verifying
//! writer and the layer store's unpacker; image records are added last, so a
//! failure leaves at most unreferenced, content-addressed leftovers.
mod changes;
mod commit;
mod import;
mod load;
mod save;

use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use flate2::write::GzEncoder;
use tempfile::{NamedTempFile, TempDir};

use crate::image::ImageError;
use crate::image::manifest::{self, Descriptor, ImageManifest, Platform};
use crate::image::reference::Reference;
use crate::image::store::{ImageRecord, Store};
use crate::storage::Digest;
use crate::storage::compression;
use crate::storage::digest::{Algo, HashingWriter};
use crate::storage::layers::LayerStore;
use crate::storage::unpack::UnpackOptions;

pub use changes::{ChangeError, RunConfig};
pub use commit::{CommitOptions, commit};
pub use import::import;
pub use load::load;
pub use save::save;

pub struct ImportOptions<'a> {
    /// Name for the new image; untagged when `None`.
    pub reference: Option<&'a Reference>,
    /// Dockerfile instructions applied to the config (`--change`).
    pub changes: &'a [String],
    /// Commit message (`--message`), kept in the history entry.
    pub message: Option<&'a str>,
    pub platform: Platform,
    pub unpack: &'a UnpackOptions,
}

/// Where `import` reads the root filesystem from.
pub enum ImportSource {
    /// A tarball (plain, gzip or zstd) or a directory.
    Path(PathBuf),
    /// A tarball stream, e.g. stdin for `skiff import -`.
    Reader(Box<dyn Read + Send>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArchiveFormat {
    DockerArchive,
    OciArchive,
}

/// Scratch space on the store's file system, so finished blobs are copied
/// within one file system and nothing large lands in /tmp.
fn tmp_root(store: &Store) -> Result<PathBuf, ImageError> {
    let dir = store.root.join("tmp");
    std::fs::create_dir_all(&dir).map_err(|e| ImageError::io(&dir, e))?;
    Ok(dir)
}

/// A directory under the store's tmp dir, removed when dropped (also on error).
fn temp_dir(store: &Store, prefix: &str) -> Result<TempDir, ImageError> {
    let root = tmp_root(store)?;
    tempfile::Builder::new()
        .prefix(prefix)
        .tempdir_in(&root)
        .map_err(|e| ImageError::io(&root, e))
}

fn temp_file(store: &Store) -> Result<NamedTempFile, ImageError> {
    let root = tmp_root(store)?;
    tempfile::Builder::new()
        .prefix("layer-")
        .tempfile_in(&root)
        .map_err(|e| ImageError::io(&root, e))
}

/// A layer re-encoded as gzip in a temp file, with the digests of both forms.
struct EncodedLayer {
    file: NamedTempFile,
    /// Digest and size of the gzip blob.
    digest: Digest,
    size: u64,
    /// sha256 of the uncompressed tar.
    diff_id: Digest,
    diff_size: u64,
}

type Inner = GzEncoder<HashingWriter<BufWriter<File>>>;

/// Takes an uncompressed tar stream and writes it gzip-compressed to a temp
/// file, hashing both sides on the way.
struct LayerEncoder {
    file: NamedTempFile,
    inner: HashingWriter<Inner>,
}

impl LayerEncoder {
    fn new(store: &Store) -> Result<LayerEncoder, ImageError> {
        let file = temp_file(store)?;
        let handle = file
            .as_file()
            .try_clone()
            .map_err(|e| ImageError::io(file.path(), e))?;
        let compressed =
            HashingWriter::new(BufWriter::with_capacity(1 << 20, handle), Algo::Sha256);
        Ok(LayerEncoder {
            inner: HashingWriter::new(compression::gzip_writer(compressed), Algo::Sha256),
            file,
        })
    }

    fn path(&self) -> &Path {
        self.file.path()
    }

    fn finish(self) -> Result<EncodedLayer, ImageError> {
        let path = self.file.path().to_path_buf();
        let (gz, diff_id, diff_size) = self.inner.finish();
        let hashed = gz.finish().map_err(|e| ImageError::io(&path, e))?;
        let (mut buf, digest, size) = hashed.finish();
        buf.flush().map_err(|e| ImageError::io(&path, e))?;
        Ok(EncodedLayer {
            file: self.file,
            digest,
            size,
            diff_id,
            diff_size,
        })
    }
}

impl Write for LayerEncoder {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.inner.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Copies a file into the blob store under `digest`; the writer re-hashes
/// and refuses content that does not match.
fn commit_file(
    store: &Store,
    path: &Path,
    digest: &Digest,
    size: Option<u64>,
) -> Result<(), ImageError> {
    if store.blobs.contains(digest) {
        return Ok(());
    }
    let mut src = File::open(path).map_err(|e| ImageError::io(path, e))?;
    let mut w = store.blobs.begin(digest, size)?;
    copy_into(&mut src, &mut w).map_err(|e| match e {
        CopyError::Read(e) => ImageError::io(path, e),
        CopyError::Write(e) => ImageError::Blob(w.error(e)),
    })?;
    w.commit()?;
    Ok(())
}

enum CopyError {
    Read(io::Error),
    Write(io::Error),
}

/// `io::copy` that tells read errors from write errors.
fn copy_into(r: &mut dyn Read, w: &mut dyn Write) -> Result<u64, CopyError> {
    let mut buf = vec![0u8; 256 * 1024];
    let mut total = 0u64;
    loop {
        let n = match r.read(&mut buf) {
            Ok(0) => return Ok(total),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(CopyError::Read(e)),
        };
        w.write_all(&buf[..n]).map_err(CopyError::Write)?;
        total += n as u64;
    }
}

/// Counts what passes through, so a source that ends before the size
/// written in a tar header is caught instead of corrupting the archive.
struct Counting<R> {
    inner: R,
    n: u64,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.n += n as u64;
        Ok(n)
    }
}

/// Hashes a whole file with `algo`, returning its digest and size.
fn hash_file(path: &Path, algo: Algo) -> Result<(Digest, u64), ImageError> {
    let f = File::open(path).map_err(|e| ImageError::io(path, e))?;
    let mut hw = HashingWriter::new(io::sink(), algo);
    copy_into(&mut BufReader::new(f), &mut hw).map_err(|e| match e {
        CopyError::Read(e) | CopyError::Write(e) => ImageError::io(path, e),
    })?;
    let (_, d, n) = hw.finish();
    Ok((d, n))
}

/// Unpacks one stored layer blob on top of `parent` unless the layer store
/// already has it; returns the chain ID and unpacked size.
fn ensure_layer(
    store: &Store,
    parent: Option<&Digest>,
    blob: &Descriptor,
    diff_id: &Digest,
    unpack: &UnpackOptions,
) -> Result<(Digest, u64), ImageError> {
    let chain = LayerStore::chain_id(parent, diff_id);
    if let Some(l) = store.layers.get(&chain)? {
        return Ok((chain, l.size));
    }
    let mut uo = unpack.clone();
    uo.lowers = store.layers.lowers_for(parent)?;
    let file = store.blobs.open_blob(&blob.digest)?;
    let rec = store.layers.unpack(
        parent,
        BufReader::with_capacity(1 << 20, file),
        Some(diff_id),
        Some((blob.digest.clone(), blob.size)),
        &uo,
    )?;
    Ok((chain, rec.size))
}

/// The fields of an image config that records and archives need.
struct ConfigInfo {
    architecture: String,
    os: String,
    variant: Option<String>,
    created: Option<DateTime<Utc>>,
    diff_ids: Vec<Digest>,
}

fn parse_config(what: &str, data: &[u8]) -> Result<ConfigInfo, ImageError> {
    #[derive(serde::Deserialize)]
    struct RootFs {
        #[serde(default)]
        diff_ids: Vec<Digest>,
    }
    #[derive(serde::Deserialize)]
    struct Cfg {
        #[serde(default)]
        architecture: String,
        #[serde(default)]
        os: String,
        #[serde(default)]
        variant: Option<String>,
        #[serde(default)]
        created: Option<DateTime<Utc>>,
        rootfs: RootFs,
    }
    let c: Cfg = serde_json::from_slice(data)
        .map_err(|e| ImageError::Invalid(format!("{what}: invalid image config: {e}")))?;
    Ok(ConfigInfo {
        architecture: c.architecture,
        os: c.os,
        variant: c.variant,
        created: c.created,
        diff_ids: c.rootfs.diff_ids,
    })
}

fn descriptor(media_type: &str, digest: Digest, size: u64) -> Descriptor {
    Descriptor {
        media_type: media_type.to_string(),
        digest,
        size,
        platform: None,
        annotations: None,
        urls: None,
    }
}

/// An OCI manifest for a config and layers, stored as a blob.
fn put_oci_manifest(
    store: &Store,
    config: Descriptor,
    layers: Vec<Descriptor>,
) -> Result<(Digest, Vec<u8>), ImageError> {
    let m = ImageManifest {
        schema_version: 2,
        media_type: Some(manifest::OCI_MANIFEST.to_string()),
        config,
        layers,
        annotations: None,
    };
    let body = serde_json::to_vec(&m)
        .map_err(|e| ImageError::Invalid(format!("cannot encode manifest: {e}")))?;
    let d = store.blobs.put(&body)?;
    Ok((d, body))
}

/// The record for an image whose blobs and layers are all in the store.
fn new_record(
    config_digest: Digest,
    cfg: ConfigInfo,
    manifest: Digest,
    manifest_media_type: &str,
    chain: Vec<Digest>,
    size: u64,
    names: Vec<String>,
) -> ImageRecord {
    ImageRecord {
        id: config_digest,
        names,
        digests: Vec::new(),
        manifest,
        manifest_media_type: manifest_media_type.to_string(),
        layers: chain,
        diff_ids: cfg.diff_ids,
        size,
        created: cfg.created,
        added: Utc::now(),
        architecture: cfg.architecture,
        os: cfg.os,
        variant: cfg.variant,
    }
}

#[cfg(test)]
mod tests;
