//! `skiff import`: a root filesystem (tarball, stream or directory) becomes a
//! one-layer image with a fresh config.
use std::collections::HashMap;
use std::fs::{self, File};
use std::io::{self, BufReader, Read, Write};
use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::path::Path;

use chrono::{SecondsFormat, Utc};
use serde::Serialize;

use super::{
    ImportOptions, ImportSource, LayerEncoder, RunConfig, descriptor, ensure_layer, new_record,
};
use crate::image::ImageError;
use crate::image::manifest;
use crate::image::store::{ImageRecord, Store};
use crate::storage::Digest;
use crate::storage::compression;

/// The image config `import` writes (OCI fields, plus Docker's top-level
/// `comment` when a message is given).
#[derive(Serialize)]
struct NewConfig<'a> {
    created: &'a str,
    architecture: &'a str,
    os: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    variant: Option<&'a str>,
    config: &'a RunConfig,
    rootfs: RootFs<'a>,
    history: [History<'a>; 1],
    #[serde(skip_serializing_if = "Option::is_none")]
    comment: Option<&'a str>,
}

#[derive(Serialize)]
struct RootFs<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    diff_ids: [&'a Digest; 1],
}

#[derive(Serialize)]
struct History<'a> {
    created: &'a str,
    created_by: String,
    comment: &'a str,
}

pub fn import(
    store: &Store,
    source: ImportSource,
    opts: &ImportOptions,
) -> Result<ImageRecord, ImageError> {
    let names = match opts.reference {
        Some(r) if r.digest().is_some() || r.tag().is_none() => {
            return Err(ImageError::Invalid(format!(
                "cannot import as {r}: give a name with a tag, not a digest"
            )));
        }
        Some(r) => vec![r.to_string()],
        None => Vec::new(),
    };
    // Bad --change values fail before any work is done.
    let mut run = RunConfig::default();
    run.apply_all(opts.changes)
        .map_err(|e| ImageError::Invalid(e.to_string()))?;

    let _gc = store.gc_shared()?;
    let mut enc = LayerEncoder::new(store)?;
    match source {
        ImportSource::Path(p) => {
            let meta = fs::metadata(&p).map_err(|e| ImageError::io(&p, e))?;
            if meta.is_dir() {
                tar_directory(&p, &mut enc)?;
            } else {
                let f = File::open(&p).map_err(|e| ImageError::io(&p, e))?;
                copy_tar(&p.display().to_string(), f, &mut enc)?;
            }
        }
        ImportSource::Reader(r) => copy_tar("standard input", r, &mut enc)?,
    }
    let layer = enc.finish()?;
    if layer.diff_size == 0 {
        return Err(ImageError::Invalid(
            "import source is empty: expected a tar archive".into(),
        ));
    }
    super::commit_file(store, layer.file.path(), &layer.digest, Some(layer.size))?;
    let blob = descriptor(manifest::OCI_LAYER_GZIP, layer.digest.clone(), layer.size);
    drop(layer.file);
    // Unpacking also proves the input was a tar: a non-tar fails here.
    let (chain, size) = ensure_layer(store, None, &blob, &layer.diff_id, opts.unpack)?;

    let now = Utc::now();
    let created = now.to_rfc3339_opts(SecondsFormat::Nanos, true);
    let cfg = NewConfig {
        created: &created,
        architecture: &opts.platform.architecture,
        os: &opts.platform.os,
        variant: opts.platform.variant.as_deref(),
        config: &run,
        rootfs: RootFs {
            kind: "layers",
            diff_ids: [&layer.diff_id],
        },
        history: [History {
            created: &created,
            created_by: format!("/bin/sh -c #(nop) ADD file:{} in / ", layer.diff_id.hex()),
            comment: opts.message.unwrap_or("imported from tarball"),
        }],
        comment: opts.message,
    };
    let config_body = serde_json::to_vec(&cfg)
        .map_err(|e| ImageError::Invalid(format!("cannot encode image config: {e}")))?;
    let config_digest = store.blobs.put(&config_body)?;
    let config_desc = descriptor(
        manifest::OCI_CONFIG,
        config_digest.clone(),
        config_body.len() as u64,
    );
    let (manifest_digest, _) = super::put_oci_manifest(store, config_desc, vec![blob])?;

    let info = super::ConfigInfo {
        architecture: opts.platform.architecture.clone(),
        os: opts.platform.os.clone(),
        variant: opts.platform.variant.clone(),
        created: Some(now),
        diff_ids: vec![layer.diff_id.clone()],
    };
    let rec = new_record(
        config_digest,
        info,
        manifest_digest,
        manifest::OCI_MANIFEST,
        vec![chain],
        size,
        names,
    );
    store.add_image(rec)
}

/// Decompresses (gzip, zstd or none, by magic bytes) into the encoder.
fn copy_tar(what: &str, src: impl Read, enc: &mut LayerEncoder) -> Result<(), ImageError> {
    let plain = compression::decompress(BufReader::with_capacity(1 << 20, src))
        .map_err(|e| ImageError::Invalid(format!("{what}: {e}")))?;
    let mut plain = plain;
    super::copy_into(&mut plain, enc).map_err(|e| match e {
        super::CopyError::Read(e) => ImageError::Invalid(format!("{what}: cannot read: {e}")),
        super::CopyError::Write(e) => ImageError::io(enc.path(), e),
    })?;
    Ok(())
}

/// Writes the tree under `root` as a tar stream, without following symlinks,
/// keeping ownership, modes, times, devices and hard links; sockets are
/// skipped (tar cannot hold them, GNU tar skips them too).
fn tar_directory(root: &Path, enc: &mut LayerEncoder) -> Result<(), ImageError> {
    let mut b = tar::Builder::new(enc);
    let mut links: HashMap<(u64, u64), std::path::PathBuf> = HashMap::new();
    // Depth-first with sorted names, so equal trees give equal layers.
    let mut stack = vec![std::path::PathBuf::new()];
    while let Some(rel) = stack.pop() {
        let full = root.join(&rel);
        let meta = fs::symlink_metadata(&full).map_err(|e| ImageError::io(&full, e))?;
        let ft = meta.file_type();
        if ft.is_socket() {
            continue;
        }
        let wrap = |e: io::Error| ImageError::io(&full, e);
        let mut h = tar::Header::new_gnu();
        h.set_metadata_in_mode(&meta, tar::HeaderMode::Complete);
        if ft.is_dir() {
            let mut names: Vec<_> = fs::read_dir(&full)
                .map_err(wrap)?
                .map(|e| e.map(|e| e.file_name()))
                .collect::<Result<_, _>>()
                .map_err(wrap)?;
            names.sort();
            for n in names.into_iter().rev() {
                stack.push(rel.join(n));
            }
            if rel.as_os_str().is_empty() {
                continue;
            }
            h.set_entry_type(tar::EntryType::Directory);
            h.set_size(0);
            b.append_data(&mut h, &rel, io::empty()).map_err(wrap)?;
        } else if ft.is_symlink() {
            let target = fs::read_link(&full).map_err(wrap)?;
            h.set_entry_type(tar::EntryType::Symlink);
            h.set_size(0);
            b.append_link(&mut h, &rel, &target).map_err(wrap)?;
        } else if ft.is_file() {
            let key = (meta.dev(), meta.ino());
            if meta.nlink() > 1 {
                if let Some(first) = links.get(&key) {
                    h.set_entry_type(tar::EntryType::Link);
                    h.set_size(0);
                    b.append_link(&mut h, &rel, first).map_err(wrap)?;
                    continue;
                }
                links.insert(key, rel.clone());
            }
            let f = File::open(&full).map_err(wrap)?;
            // The header carries the size from the metadata; a file that
            // changes size meanwhile would corrupt the tar, so refuse it.
            let mut limited = f.take(meta.len());
            let mut counted = super::Counting {
                inner: &mut limited,
                n: 0,
            };
            b.append_data(&mut h, &rel, &mut counted).map_err(wrap)?;
            if counted.n != meta.len() {
                return Err(ImageError::Invalid(format!(
                    "{}: file changed size while importing",
                    full.display()
                )));
            }
        } else {
            let (kind, rdev) = if ft.is_fifo() {
                (tar::EntryType::Fifo, 0)
            } else if ft.is_char_device() {
                (tar::EntryType::Char, meta.rdev())
            } else {
                (tar::EntryType::Block, meta.rdev())
            };
            h.set_entry_type(kind);
            h.set_size(0);
            h.set_device_major(rustix::fs::major(rdev)).map_err(wrap)?;
            h.set_device_minor(rustix::fs::minor(rdev)).map_err(wrap)?;
            b.append_data(&mut h, &rel, io::empty()).map_err(wrap)?;
        }
    }
    let enc = b.into_inner().map_err(|e| ImageError::io(root, e))?;
    enc.flush().map_err(|e| ImageError::io(root, e))
}
