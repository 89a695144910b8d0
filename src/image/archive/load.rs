//! `skiff load`: a docker-archive or oci-archive (plain, gzip or zstd) is
//! streamed once into a temp dir under the store, then each image's blobs are
//! verified into the blob store, its layers unpacked, and its record added
//! only when every image in the archive made it.
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs::{self, File};
use std::io::{self, BufReader, Read};
use std::path::{Component, Path, PathBuf};

use tempfile::TempDir;

use super::save::{CONTAINERD_NAME, DockerEntry, REF_NAME};
use super::{LayerEncoder, commit_file, descriptor, ensure_layer, new_record, parse_config};
use crate::image::ImageError;
use crate::image::manifest::{self, Descriptor, ImageIndex, ImageManifest, Parsed, Platform};
use crate::image::reference::Reference;
use crate::image::store::{ImageRecord, Store};
use crate::storage::Digest;
use crate::storage::compression::{self, Compression};
use crate::storage::layers::LayerStore;
use crate::storage::unpack::UnpackOptions;

/// Manifests, configs and index files are read into memory; anything this
/// large is not one.
const MAX_METADATA: u64 = 64 << 20;
/// Symlink hops followed when resolving a path inside the archive.
const MAX_HOPS: usize = 40;

/// Loads every image of the archive. The returned records are as stored,
/// except that `names` holds only the names the archive gave (what `docker
/// load` reports), not names the image already had.
pub fn load(
    store: &Store,
    input: &mut dyn Read,
    unpack: &UnpackOptions,
) -> Result<Vec<ImageRecord>, ImageError> {
    let _gc = store.gc_shared()?;
    let tree = Extracted::from_stream(store, input)?;
    let pending = if tree.has("manifest.json") {
        load_docker(store, &tree, unpack)?
    } else if tree.has("index.json") && tree.has("oci-layout") {
        load_oci(store, &tree, unpack)?
    } else {
        return Err(ImageError::Invalid(
            "not an image archive: found neither manifest.json (docker-archive) nor index.json and oci-layout (oci-archive)"
                .into(),
        ));
    };
    // Every image is complete in the store: only now do records appear.
    pending
        .into_iter()
        .map(|rec| {
            let names = rec.names.clone();
            let mut stored = store.add_image(rec)?;
            stored.names = names;
            Ok(stored)
        })
        .collect()
}

/// The regular files of an archive, written under a temp dir, and its
/// symlinks and hard links, kept as a map and resolved lexically (never
/// created on disk, so nothing can point outside the temp dir).
struct Extracted {
    dir: TempDir,
    files: HashSet<PathBuf>,
    links: HashMap<PathBuf, PathBuf>,
}

impl Extracted {
    fn from_stream(store: &Store, input: &mut dyn Read) -> Result<Extracted, ImageError> {
        let dir = super::temp_dir(store, "load-")?;
        let plain = compression::decompress(BufReader::with_capacity(1 << 20, input))
            .map_err(|e| ImageError::Invalid(format!("cannot read archive: {e}")))?;
        let bad = |e: io::Error| ImageError::Invalid(format!("cannot read archive: {e}"));
        let mut ar = tar::Archive::new(plain);
        let mut files = HashSet::new();
        let mut links = HashMap::new();
        for entry in ar.entries().map_err(bad)? {
            let mut entry = entry.map_err(bad)?;
            let raw = entry.path().map_err(bad)?.into_owned();
            let Some(rel) = normalize(Path::new(""), &raw) else {
                return Err(ImageError::Invalid(format!(
                    "archive entry {} points outside the archive",
                    raw.display()
                )));
            };
            if rel.as_os_str().is_empty() {
                continue;
            }
            match entry.header().entry_type() {
                tar::EntryType::Regular | tar::EntryType::Continuous => {
                    let dest = dir.path().join(&rel);
                    if let Some(parent) = dest.parent() {
                        fs::create_dir_all(parent).map_err(|e| ImageError::io(parent, e))?;
                    }
                    let mut f = File::create(&dest).map_err(|e| ImageError::io(&dest, e))?;
                    super::copy_into(&mut entry, &mut f).map_err(|e| match e {
                        super::CopyError::Read(e) => bad(e),
                        super::CopyError::Write(e) => ImageError::io(&dest, e),
                    })?;
                    links.remove(&rel);
                    files.insert(rel);
                }
                kind @ (tar::EntryType::Symlink | tar::EntryType::Link) => {
                    let target = entry
                        .link_name()
                        .map_err(bad)?
                        .unwrap_or_default()
                        .into_owned();
                    // Symlinks are relative to their directory, hard links to the root.
                    let base = match kind {
                        tar::EntryType::Symlink => rel.parent().unwrap_or(Path::new("")),
                        _ => Path::new(""),
                    };
                    if let Some(t) = normalize(base, &target) {
                        files.remove(&rel);
                        links.insert(rel, t);
                    }
                }
                _ => {}
            }
        }
        Ok(Extracted { dir, files, links })
    }

    fn has(&self, name: &str) -> bool {
        self.resolve(name).is_some()
    }

    /// The on-disk path of the file an archive path names, following links.
    fn resolve(&self, name: &str) -> Option<PathBuf> {
        let mut cur = normalize(Path::new(""), Path::new(name))?;
        'hops: for _ in 0..MAX_HOPS {
            if self.files.contains(&cur) {
                return Some(self.dir.path().join(&cur));
            }
            // Replace the longest linked prefix (a linked file or directory).
            let comps: Vec<_> = cur.components().collect();
            for n in (1..=comps.len()).rev() {
                let prefix: PathBuf = comps[..n].iter().collect();
                if let Some(t) = self.links.get(&prefix) {
                    // (`join("")` would add a trailing slash.)
                    cur = comps[n..].iter().fold(t.clone(), |acc, c| acc.join(c));
                    continue 'hops;
                }
            }
            return None;
        }
        None
    }

    fn require(&self, name: &str, why: &str) -> Result<PathBuf, ImageError> {
        self.resolve(name)
            .ok_or_else(|| ImageError::Invalid(format!("archive lacks {name}, named by {why}")))
    }

    fn read_small(&self, name: &str, why: &str) -> Result<Vec<u8>, ImageError> {
        let p = self.require(name, why)?;
        let len = fs::metadata(&p).map_err(|e| ImageError::io(&p, e))?.len();
        if len > MAX_METADATA {
            return Err(ImageError::Invalid(format!(
                "{name} is too large ({len} bytes) for image metadata"
            )));
        }
        fs::read(&p).map_err(|e| ImageError::io(&p, e))
    }
}

/// Lexically joins `p` onto `base` (both relative to the archive root);
/// `None` if the result would leave the root. A leading `/` means the root.
fn normalize(base: &Path, p: &Path) -> Option<PathBuf> {
    let mut out: Vec<Component> = if p.is_absolute() {
        Vec::new()
    } else {
        base.components().collect()
    };
    for c in p.components() {
        match c {
            Component::Normal(_) => out.push(c),
            Component::ParentDir => {
                out.pop()?;
            }
            Component::CurDir | Component::RootDir | Component::Prefix(_) => {}
        }
    }
    Some(out.iter().collect())
}

fn load_docker(
    store: &Store,
    tree: &Extracted,
    unpack: &UnpackOptions,
) -> Result<Vec<ImageRecord>, ImageError> {
    let body = tree.read_small("manifest.json", "the archive format")?;
    let entries: Vec<DockerEntry> = serde_json::from_slice(&body)
        .map_err(|e| ImageError::Invalid(format!("invalid manifest.json in archive: {e}")))?;
    let mut pending: Vec<ImageRecord> = Vec::new();
    for e in entries {
        let config = tree.read_small(&e.config, "manifest.json")?;
        let config_digest = Digest::sha256_of(&config);
        let cfg = parse_config(&e.config, &config)?;
        if cfg.diff_ids.len() != e.layers.len() {
            return Err(ImageError::Invalid(format!(
                "{}: manifest.json lists {} layers but the config lists {} diff IDs",
                e.config,
                e.layers.len(),
                cfg.diff_ids.len()
            )));
        }
        let mut names = Vec::new();
        for t in e.repo_tags.iter().flatten() {
            names.push(tagged_name(t, "RepoTags")?);
        }
        let mut parent: Option<Digest> = None;
        let mut chain = Vec::new();
        let mut blobs = Vec::new();
        let mut size = 0;
        for (lp, diff_id) in e.layers.iter().zip(&cfg.diff_ids) {
            let path = tree.require(lp, "manifest.json")?;
            let desc = ingest_docker_layer(store, &path, lp, parent.as_ref(), diff_id)?;
            let (c, s) = ensure_layer(store, parent.as_ref(), &desc, diff_id, unpack)?;
            size += s;
            chain.push(c.clone());
            parent = Some(c);
            blobs.push(desc);
        }
        store.blobs.put(&config)?;
        let config_desc = descriptor(
            manifest::OCI_CONFIG,
            config_digest.clone(),
            config.len() as u64,
        );
        let (manifest_digest, _) = super::put_oci_manifest(store, config_desc, blobs)?;
        let rec = new_record(
            config_digest,
            cfg,
            manifest_digest,
            manifest::OCI_MANIFEST,
            chain,
            size,
            names,
        );
        merge(&mut pending, rec);
    }
    Ok(pending)
}

/// A docker-archive layer into the blob store. Plain tars (what `docker
/// save` writes) are gzip-compressed and their diff ID checked here, unless
/// the layer is already unpacked with a stored blob: then that blob is
/// reused once the tar's digest is checked. Compressed layers are stored as
/// they are and checked when unpacked.
fn ingest_docker_layer(
    store: &Store,
    path: &Path,
    name: &str,
    parent: Option<&Digest>,
    diff_id: &Digest,
) -> Result<Descriptor, ImageError> {
    let mismatch = |actual: &Digest| {
        ImageError::Invalid(format!(
            "layer {name} in the archive has digest {actual}, but the image config expects {diff_id}"
        ))
    };
    let mut f = BufReader::with_capacity(
        1 << 20,
        File::open(path).map_err(|e| ImageError::io(path, e))?,
    );
    let kind = Compression::detect(&mut f).map_err(|e| ImageError::io(path, e))?;
    let media_type = match kind {
        Compression::Gzip => manifest::OCI_LAYER_GZIP,
        Compression::Zstd => manifest::OCI_LAYER_ZSTD,
        Compression::None => {
            if let Some(existing) = reusable_blob(store, parent, diff_id)? {
                let (actual, _) = super::hash_file(path, diff_id.algo())?;
                if actual != *diff_id {
                    return Err(mismatch(&actual));
                }
                return Ok(existing);
            }
            let mut enc = LayerEncoder::new(store)?;
            super::copy_into(&mut f, &mut enc).map_err(|e| match e {
                super::CopyError::Read(e) => ImageError::io(path, e),
                super::CopyError::Write(e) => ImageError::io(enc.path(), e),
            })?;
            let layer = enc.finish()?;
            if layer.diff_id != *diff_id {
                return Err(mismatch(&layer.diff_id));
            }
            commit_file(store, layer.file.path(), &layer.digest, Some(layer.size))?;
            return Ok(descriptor(
                manifest::OCI_LAYER_GZIP,
                layer.digest,
                layer.size,
            ));
        }
    };
    drop(f);
    let (digest, size) = super::hash_file(path, diff_id.algo())?;
    commit_file(store, path, &digest, Some(size))?;
    Ok(descriptor(media_type, digest, size))
}

/// The stored compressed blob of an already unpacked layer, if any.
fn reusable_blob(
    store: &Store,
    parent: Option<&Digest>,
    diff_id: &Digest,
) -> Result<Option<Descriptor>, ImageError> {
    let Some(layer) = store.layers.get(&LayerStore::chain_id(parent, diff_id))? else {
        return Ok(None);
    };
    let (Some(d), Some(size)) = (layer.compressed_digest, layer.compressed_size) else {
        return Ok(None);
    };
    let Ok(blob) = store.blobs.open_blob(&d) else {
        return Ok(None);
    };
    let path = store.blobs.path(&d);
    let kind =
        Compression::detect(&mut BufReader::new(blob)).map_err(|e| ImageError::io(&path, e))?;
    let media_type = match kind {
        Compression::Gzip => manifest::OCI_LAYER_GZIP,
        Compression::Zstd => manifest::OCI_LAYER_ZSTD,
        Compression::None => manifest::OCI_LAYER,
    };
    Ok(Some(descriptor(media_type, d, size)))
}

fn tagged_name(name: &str, what: &str) -> Result<String, ImageError> {
    let r = Reference::parse(name).map_err(|e| {
        ImageError::Invalid(format!(
            "invalid image name {name:?} in the archive's {what}: {e}"
        ))
    })?;
    if r.digest().is_some() || r.tag().is_none() {
        return Err(ImageError::Invalid(format!(
            "image name {name:?} in the archive's {what} must be name:tag"
        )));
    }
    Ok(r.to_string())
}

/// Adds `rec` to the list, or its names to an earlier record of the same image.
fn merge(pending: &mut Vec<ImageRecord>, rec: ImageRecord) {
    match pending.iter_mut().find(|p| p.id == rec.id) {
        Some(p) => {
            for n in rec.names {
                if !p.names.contains(&n) {
                    p.names.push(n);
                }
            }
        }
        None => pending.push(rec),
    }
}

fn blob_name(d: &Digest) -> String {
    format!("blobs/{}/{}", d.algo().name(), d.hex())
}

/// Reads a small blob of an OCI layout and checks its size and digest.
fn read_verified(tree: &Extracted, desc: &Descriptor, why: &str) -> Result<Vec<u8>, ImageError> {
    let name = blob_name(&desc.digest);
    let data = tree.read_small(&name, why)?;
    let mut h = desc.digest.hasher();
    h.update(&data);
    let actual = h.finish();
    if actual != desc.digest || data.len() as u64 != desc.size {
        return Err(ImageError::Invalid(format!(
            "{name} in the archive is corrupt: expected {} ({} bytes), found {actual} ({} bytes)",
            desc.digest,
            desc.size,
            data.len()
        )));
    }
    Ok(data)
}

fn load_oci(
    store: &Store,
    tree: &Extracted,
    unpack: &UnpackOptions,
) -> Result<Vec<ImageRecord>, ImageError> {
    let body = tree.read_small("index.json", "the archive format")?;
    let index: ImageIndex = serde_json::from_slice(&body)
        .map_err(|e| ImageError::Invalid(format!("invalid index.json in archive: {e}")))?;
    if index.manifests.is_empty() {
        return Err(ImageError::Invalid(
            "index.json in the archive lists no images".into(),
        ));
    }
    let mut pending: Vec<ImageRecord> = Vec::new();
    for top in &index.manifests {
        let names = oci_names(top.annotations.as_ref())?;
        let (desc, m) = resolve_manifest(tree, top)?;
        let m_body = read_verified(tree, &desc, "index.json")?;
        let config = read_verified(tree, &m.config, "a manifest")?;
        let what = blob_name(&m.config.digest);
        let cfg = parse_config(&what, &config)?;
        if cfg.diff_ids.len() != m.layers.len() {
            return Err(ImageError::Invalid(format!(
                "{}: manifest lists {} layers but the config lists {} diff IDs",
                blob_name(&desc.digest),
                m.layers.len(),
                cfg.diff_ids.len()
            )));
        }
        let mut parent: Option<Digest> = None;
        let mut chain = Vec::new();
        let mut size = 0;
        for (l, diff_id) in m.layers.iter().zip(&cfg.diff_ids) {
            let path = tree.require(&blob_name(&l.digest), "a manifest")?;
            // The blob writer re-hashes: a corrupt layer is refused here.
            commit_file(store, &path, &l.digest, Some(l.size))?;
            let (c, s) = ensure_layer(store, parent.as_ref(), l, diff_id, unpack)?;
            size += s;
            chain.push(c.clone());
            parent = Some(c);
        }
        put_small(store, &m.config.digest, &config)?;
        put_small(store, &desc.digest, &m_body)?;
        let media_type = match desc.media_type.as_str() {
            "" => m
                .media_type
                .clone()
                .unwrap_or_else(|| manifest::OCI_MANIFEST.to_string()),
            t => t.to_string(),
        };
        let rec = new_record(
            m.config.digest.clone(),
            cfg,
            desc.digest.clone(),
            &media_type,
            chain,
            size,
            names,
        );
        merge(&mut pending, rec);
    }
    Ok(pending)
}

/// An index entry's manifest; an entry that is itself an index (a
/// multi-platform image) yields the best match for this host among the
/// manifests the archive actually holds.
fn resolve_manifest(
    tree: &Extracted,
    top: &Descriptor,
) -> Result<(Descriptor, ImageManifest), ImageError> {
    let body = read_verified(tree, top, "index.json")?;
    let what = blob_name(&top.digest);
    match manifest::parse(&what, &top.media_type, &body)? {
        Parsed::Manifest(m) => Ok((top.clone(), *m)),
        Parsed::Index(mut idx) => {
            idx.manifests.retain(|d| tree.has(&blob_name(&d.digest)));
            let d = manifest::select(&what, &idx, &Platform::host())?.clone();
            let body = read_verified(tree, &d, &what)?;
            match manifest::parse(&what, &d.media_type, &body)? {
                Parsed::Manifest(m) => Ok((d, *m)),
                Parsed::Index(_) => Err(ImageError::Invalid(format!(
                    "{what}: nested image indexes are not supported"
                ))),
            }
        }
    }
}

/// Names for an index entry: containerd's full-name annotation, else a
/// `ref.name` that is a full reference. A bare tag (`latest`) names no
/// repository, so it gives no name.
fn oci_names(annotations: Option<&BTreeMap<String, String>>) -> Result<Vec<String>, ImageError> {
    let Some(a) = annotations else {
        return Ok(Vec::new());
    };
    if let Some(n) = a.get(CONTAINERD_NAME) {
        return Ok(vec![tagged_name(n, CONTAINERD_NAME)?]);
    }
    match a.get(REF_NAME) {
        Some(n) if n.contains('/') || n.contains(':') => Ok(vec![tagged_name(n, REF_NAME)?]),
        _ => Ok(Vec::new()),
    }
}

/// Stores already-verified bytes under their digest (which may be sha512).
fn put_small(store: &Store, d: &Digest, data: &[u8]) -> Result<(), ImageError> {
    if store.blobs.contains(d) {
        return Ok(());
    }
    let mut w = store.blobs.begin(d, Some(data.len() as u64))?;
    io::Write::write_all(&mut w, data).map_err(|e| ImageError::Blob(w.error(e)))?;
    w.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_stays_inside() {
        let n = |b: &str, p: &str| normalize(Path::new(b), Path::new(p));
        assert_eq!(n("", "./a/b/../c"), Some(PathBuf::from("a/c")));
        assert_eq!(
            n("", "/manifest.json"),
            Some(PathBuf::from("manifest.json"))
        );
        assert_eq!(n("x", "../y/layer.tar"), Some(PathBuf::from("y/layer.tar")));
        assert_eq!(n("x", "/abs"), Some(PathBuf::from("abs")));
        assert_eq!(n("", "../etc/passwd"), None);
        assert_eq!(n("x", "../../etc"), None);
    }

    #[test]
    fn oci_name_rules() {
        let a = |pairs: &[(&str, &str)]| -> BTreeMap<String, String> {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        assert!(
            oci_names(Some(&a(&[(REF_NAME, "latest")])))
                .unwrap()
                .is_empty()
        );
        assert_eq!(
            oci_names(Some(&a(&[(REF_NAME, "busybox:1")]))).unwrap(),
            vec!["docker.io/library/busybox:1".to_string()]
        );
        assert_eq!(
            oci_names(Some(&a(&[
                (REF_NAME, "latest"),
                (CONTAINERD_NAME, "quay.io/x/y:2")
            ])))
            .unwrap(),
            vec!["quay.io/x/y:2".to_string()]
        );
        assert!(oci_names(Some(&a(&[(REF_NAME, "Bad/Name:x")]))).is_err());
        assert!(oci_names(None).unwrap().is_empty());
    }
}
