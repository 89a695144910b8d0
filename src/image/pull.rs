//! `pull`: resolve a reference through registries.conf, pick a platform,
//! download layers in parallel (streamed to disk, verified), unpack each once
//! in order, and only then publish the image record.
use std::io::{BufReader, Write};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use futures_util::StreamExt;

use crate::image::ImageError;
use crate::image::manifest::{self, Descriptor, ImageManifest, Parsed, Platform};
use crate::image::progress::Progress;
use crate::image::reference::Reference;
use crate::image::registry::{RegistryError, Session};
use crate::image::remote::Remote;
use crate::image::store::{self, ImageRecord, Store};
use crate::storage::Digest;
use crate::storage::layers::LayerStore;
use crate::storage::unpack::UnpackOptions;

pub struct PullOptions {
    pub platform: Option<Platform>,
    pub progress: Progress,
    /// How many blobs to download at once.
    pub parallel: usize,
    /// Unpack settings (whiteout format, ownership policy); lowers are set per layer.
    pub unpack: UnpackOptions,
}

/// Pulls `name` and returns the stored image record.
pub async fn pull(
    store: Arc<Store>,
    remote: &Remote,
    name: &str,
    opts: &PullOptions,
) -> Result<ImageRecord, ImageError> {
    let cands = store::pull_candidates(name, remote.registries.search_registries())?;
    let _gc = store.gc_shared()?;
    // Leftovers of interrupted pulls (nobody holds their locks any more).
    store.blobs.clean_ingest()?;
    store.layers.clean_staging()?;
    let mut first_err = None;
    for cand in &cands {
        match pull_reference(&store, remote, cand, opts).await {
            Ok(rec) => return Ok(rec),
            Err(e) => {
                if cands.len() > 1 {
                    opts.progress.message(&format!("Error pulling {cand}: {e}"));
                }
                first_err.get_or_insert(e);
            }
        }
    }
    Err(first_err.unwrap_or_else(|| ImageError::NotFound(name.to_string())))
}

async fn pull_reference(
    store: &Arc<Store>,
    remote: &Remote,
    r: &Reference,
    opts: &PullOptions,
) -> Result<ImageRecord, ImageError> {
    let endpoints = remote.endpoints(r)?;
    let mut last: Option<ImageError> = None;
    for ep in &endpoints {
        opts.progress.message(&format!("Trying to pull {r}..."));
        let result = async {
            let session = remote.session(ep, false).await?;
            pull_from(store, &session, r, opts).await
        }
        .await;
        match result {
            Ok(rec) => return Ok(rec),
            Err(e) => {
                if ep.mirror {
                    opts.progress
                        .message(&format!("Mirror {} failed: {e}", ep.host));
                }
                last = Some(e);
            }
        }
    }
    Err(last.unwrap_or_else(|| ImageError::NotFound(r.to_string())))
}

/// The config fields a pull needs.
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

async fn pull_from(
    store: &Arc<Store>,
    session: &Session<'_>,
    r: &Reference,
    opts: &PullOptions,
) -> Result<ImageRecord, ImageError> {
    let what = r.to_string();
    let tag_or_digest = match (r.digest(), r.tag()) {
        (Some(d), _) => d.to_string(),
        (None, Some(t)) => t.to_string(),
        (None, None) => "latest".to_string(),
    };
    let (body, ct, top_digest) = session.manifest(&tag_or_digest, manifest::ACCEPT).await?;
    if let Some(d) = r.digest()
        && *d != top_digest
    {
        return Err(ImageError::Invalid(format!(
            "{what}: registry sent a manifest with digest {top_digest}, not the requested one"
        )));
    }
    let wanted = opts.platform.clone().unwrap_or_else(Platform::host);
    let (manifest_body, manifest_ct, manifest_digest, m) = match manifest::parse(&what, &ct, &body)?
    {
        Parsed::Manifest(m) => (body, ct, top_digest.clone(), *m),
        Parsed::Index(idx) => {
            let desc = manifest::select(&what, &idx, &wanted)?.clone();
            // The index itself is kept so `save` and `push` can reproduce it later.
            store.blobs.put(&body)?;
            let (b, c, d) = session
                .manifest(&desc.digest.to_string(), manifest::ACCEPT)
                .await?;
            if d != desc.digest {
                return Err(ImageError::Invalid(format!(
                    "{what}: manifest digest mismatch: index names {}, registry sent {d}",
                    desc.digest
                )));
            }
            match manifest::parse(&what, &c, &b)? {
                Parsed::Manifest(m) => (b, c, d, *m),
                Parsed::Index(_) => {
                    return Err(ImageError::Invalid(format!(
                        "{what}: nested image indexes are not supported"
                    )));
                }
            }
        }
    };
    check_config_type(&what, &m)?;

    // Config: small, verified, kept as a blob (its digest is the image ID).
    let config_data = fetch_small_blob(store, session, &m.config, &opts.progress).await?;
    let cfg = parse_config(&what, &config_data)?;
    if opts.platform.is_some() && (cfg.architecture != wanted.architecture || cfg.os != wanted.os) {
        return Err(ImageError::Invalid(format!(
            "{what}: image is for {}/{}, not the requested {wanted}",
            cfg.os, cfg.architecture
        )));
    }
    if cfg.diff_ids.len() != m.layers.len() {
        return Err(ImageError::Invalid(format!(
            "{what}: manifest lists {} layers but the config lists {} diff IDs",
            m.layers.len(),
            cfg.diff_ids.len()
        )));
    }
    let mut chain = Vec::with_capacity(cfg.diff_ids.len());
    for (i, d) in cfg.diff_ids.iter().enumerate() {
        let parent = if i == 0 { None } else { Some(&chain[i - 1]) };
        let c = LayerStore::chain_id(parent, d);
        chain.push(c);
    }

    download_and_unpack(store, session, &m.layers, &cfg.diff_ids, &chain, opts).await?;

    store.blobs.put(&manifest_body)?;
    let size = chain.iter().map(|c| store.layer_size(c)).sum();
    let mut names = Vec::new();
    if r.digest().is_none() {
        names.push(r.to_string());
    }
    let rec = ImageRecord {
        id: m.config.digest.clone(),
        names,
        digests: vec![format!("{}@{}", r.name(), top_digest)],
        manifest: manifest_digest,
        manifest_media_type: m.media_type.clone().unwrap_or_else(|| {
            manifest_ct
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_string()
        }),
        layers: chain,
        diff_ids: cfg.diff_ids,
        size,
        created: cfg.created,
        added: Utc::now(),
        architecture: cfg.architecture,
        os: cfg.os,
        variant: cfg.variant,
    };
    opts.progress
        .message("Writing manifest to image destination");
    store.add_image(rec)
}

fn check_config_type(what: &str, m: &ImageManifest) -> Result<(), ImageError> {
    match m.config.media_type.as_str() {
        manifest::OCI_CONFIG | manifest::DOCKER_CONFIG | "" => Ok(()),
        other => Err(ImageError::Invalid(format!(
            "{what} is not a container image (its config is {other:?})"
        ))),
    }
}

async fn fetch_small_blob(
    store: &Store,
    session: &Session<'_>,
    desc: &Descriptor,
    progress: &Progress,
) -> Result<Vec<u8>, ImageError> {
    if store.blobs.contains(&desc.digest) {
        return Ok(store.blobs.read(&desc.digest)?);
    }
    let bar = progress.blob("config", &desc.digest.hex()[..10], desc.size);
    download(store, session, desc, &bar).await?;
    bar.finish("done");
    Ok(store.blobs.read(&desc.digest)?)
}

/// Streams one blob into the blob store, verifying size and digest.
async fn download(
    store: &Store,
    session: &Session<'_>,
    desc: &Descriptor,
    bar: &crate::image::progress::BlobProgress,
) -> Result<(), ImageError> {
    let resp = session.blob(&desc.digest).await?;
    let mut w = store.blobs.begin(&desc.digest, Some(desc.size))?;
    let mut body = resp.bytes_stream();
    while let Some(chunk) = body.next().await {
        let chunk = chunk.map_err(|e| {
            ImageError::Registry(RegistryError::Unreachable {
                host: session.host.clone(),
                reason: format!("download of {} interrupted: {e}", desc.digest),
            })
        })?;
        if let Err(e) = w.write_all(&chunk) {
            return Err(ImageError::Blob(w.error(e)));
        }
        bar.inc(chunk.len() as u64);
        if w.written() > desc.size {
            return Err(ImageError::Invalid(format!(
                "blob {} is larger than the {} bytes its manifest declares",
                desc.digest, desc.size
            )));
        }
    }
    w.commit()?;
    Ok(())
}

async fn download_and_unpack(
    store: &Arc<Store>,
    session: &Session<'_>,
    layers: &[Descriptor],
    diff_ids: &[Digest],
    chain: &[Digest],
    opts: &PullOptions,
) -> Result<(), ImageError> {
    let n = layers.len();
    let (tx, mut rx) = tokio::sync::mpsc::channel::<usize>(n.max(1));
    let bars: Vec<_> = layers
        .iter()
        .map(|l| opts.progress.blob("blob", &l.digest.hex()[..12], l.size))
        .collect();

    let downloads = async {
        let tasks = layers.iter().enumerate().map(|(i, desc)| {
            let bar = &bars[i];
            async move {
                let have_layer = store.layers.get(&chain[i])?.is_some();
                if have_layer || store.blobs.contains(&desc.digest) {
                    bar.set_message("skipped: already exists");
                    return Ok::<usize, ImageError>(i);
                }
                if let Some(urls) = &desc.urls
                    && !urls.is_empty()
                {
                    return Err(ImageError::Invalid(format!(
                        "layer {} is a foreign layer hosted outside the registry; not supported",
                        desc.digest
                    )));
                }
                match download(store, session, desc, bar).await {
                    Ok(()) => Ok(i),
                    Err(e) => {
                        bar.abandon();
                        Err(e)
                    }
                }
            }
        });
        let mut s = futures_util::stream::iter(tasks).buffered(opts.parallel.max(1));
        while let Some(r) = s.next().await {
            let i = r?;
            let _ = tx.send(i).await;
        }
        drop(tx);
        Ok::<(), ImageError>(())
    };

    let unpacks = async {
        for i in 0..n {
            let Some(got) = rx.recv().await else {
                // Downloads ended early: their error is reported by the other branch.
                return Ok(());
            };
            debug_assert_eq!(got, i);
            if store.layers.get(&chain[i])?.is_some() {
                bars[i].finish("skipped: already exists");
                continue;
            }
            bars[i].set_message("unpacking");
            let st = Arc::clone(store);
            let parent = (i > 0).then(|| chain[i - 1].clone());
            let desc = layers[i].clone();
            let diff_id = diff_ids[i].clone();
            let base = opts.unpack.clone();
            tokio::task::spawn_blocking(move || -> Result<(), ImageError> {
                let mut uo = base;
                uo.lowers = st.layers.lowers_for(parent.as_ref())?;
                let file = st.blobs.open_blob(&desc.digest)?;
                st.layers.unpack(
                    parent.as_ref(),
                    BufReader::with_capacity(1 << 20, file),
                    Some(&diff_id),
                    Some((desc.digest.clone(), desc.size)),
                    &uo,
                )?;
                Ok(())
            })
            .await
            .map_err(|e| ImageError::Invalid(format!("unpack task failed: {e}")))??;
            bars[i].finish("done");
        }
        Ok::<(), ImageError>(())
    };
    tokio::try_join!(downloads, unpacks)?;
    Ok(())
}
