//! `skiff commit`: a container's changes become one more layer on top of its
//! image, with a config that records how the container was run.
use std::io::Write;

use chrono::{SecondsFormat, Utc};
use serde_json::{Value, json};

use super::{LayerEncoder, RunConfig, descriptor, ensure_layer, new_record};
use crate::image::ImageError;
use crate::image::manifest::{self, ImageManifest};
use crate::image::reference::Reference;
use crate::image::store::{ImageRecord, Store};
use crate::storage::unpack::UnpackOptions;

pub struct CommitOptions<'a> {
    pub reference: Option<&'a Reference>,
    /// The run config the container was created with (image defaults and
    /// its own options merged); `--change`s are applied on top.
    pub run: RunConfig,
    pub changes: &'a [String],
    pub message: Option<&'a str>,
    pub author: Option<&'a str>,
    /// What the history entry says created the layer (the container's command).
    pub created_by: String,
    pub unpack: &'a UnpackOptions,
}

/// Writes the layer (`write_layer` produces an uncompressed OCI layer tar),
/// its config and manifest, and adds the image record.
pub fn commit(
    store: &Store,
    base: &ImageRecord,
    write_layer: &mut dyn FnMut(&mut dyn Write) -> Result<(), String>,
    o: &CommitOptions,
) -> Result<ImageRecord, ImageError> {
    let names = match o.reference {
        Some(r) if r.digest().is_some() => {
            return Err(ImageError::Invalid(format!(
                "cannot commit as {r}: give a name with a tag, not a digest"
            )));
        }
        Some(r) => vec![r.to_string()],
        None => Vec::new(),
    };
    let mut run = o.run.clone();
    run.apply_all(o.changes)
        .map_err(|e| ImageError::Invalid(e.to_string()))?;
    let _gc = store.gc_shared()?;
    let base_config = store.config_json(base)?;
    let base_manifest: ImageManifest = serde_json::from_slice(&store.manifest_bytes(base)?)
        .map_err(|e| ImageError::Invalid(format!("manifest of {}: {e}", base.id.short())))?;

    let mut enc = LayerEncoder::new(store)?;
    write_layer(&mut enc)
        .map_err(|e| ImageError::Invalid(format!("reading the container's changes: {e}")))?;
    let layer = enc.finish()?;
    super::commit_file(store, layer.file.path(), &layer.digest, Some(layer.size))?;
    let blob = descriptor(manifest::OCI_LAYER_GZIP, layer.digest.clone(), layer.size);
    drop(layer.file);
    let parent = base.top_layer();
    let (chain, size) = ensure_layer(store, parent, &blob, &layer.diff_id, o.unpack)?;

    let now = Utc::now();
    let created = now.to_rfc3339_opts(SecondsFormat::Nanos, true);
    let mut cfg = match base_config {
        Value::Object(m) => Value::Object(m),
        _ => json!({}),
    };
    cfg["created"] = json!(created);
    cfg["config"] = serde_json::to_value(&run)
        .map_err(|e| ImageError::Invalid(format!("cannot encode image config: {e}")))?;
    if let Some(a) = o.author {
        cfg["author"] = json!(a);
    }
    match o.message {
        Some(m) => cfg["comment"] = json!(m),
        None => {
            if let Some(obj) = cfg.as_object_mut() {
                obj.remove("comment");
            }
        }
    }
    let mut diff_ids = base.diff_ids.clone();
    diff_ids.push(layer.diff_id.clone());
    cfg["rootfs"] = json!({"type": "layers", "diff_ids": diff_ids});
    let mut history = cfg["history"].as_array().cloned().unwrap_or_default();
    let mut h = json!({"created": created, "created_by": o.created_by});
    if let Some(a) = o.author {
        h["author"] = json!(a);
    }
    if let Some(m) = o.message {
        h["comment"] = json!(m);
    }
    history.push(h);
    cfg["history"] = json!(history);
    let config_body = serde_json::to_vec(&cfg)
        .map_err(|e| ImageError::Invalid(format!("cannot encode image config: {e}")))?;
    let config_digest = store.blobs.put(&config_body)?;
    let config_desc = descriptor(
        manifest::OCI_CONFIG,
        config_digest.clone(),
        config_body.len() as u64,
    );
    // The base's layers keep their bytes; Docker media types become their
    // OCI equivalents so the manifest is one consistent OCI manifest.
    let mut layers: Vec<_> = base_manifest
        .layers
        .into_iter()
        .map(|mut d| {
            d.media_type = manifest::oci_layer_type(&d.media_type).to_string();
            d
        })
        .collect();
    layers.push(blob);
    let (manifest_digest, _) = super::put_oci_manifest(store, config_desc, layers)?;
    let mut chains = base.layers.clone();
    chains.push(chain);
    let info = super::ConfigInfo {
        architecture: base.architecture.clone(),
        os: base.os.clone(),
        variant: base.variant.clone(),
        created: Some(now),
        diff_ids,
    };
    let rec = new_record(
        config_digest,
        info,
        manifest_digest,
        manifest::OCI_MANIFEST,
        chains,
        base.size + size,
        names,
    );
    store.add_image(rec)
}
