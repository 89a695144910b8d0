//! `push`: upload an image's blobs (skipping what the registry has, mounting
//! from a sibling repository where it allows) and then its manifest.
use crate::image::ImageError;
use crate::image::manifest::{Descriptor, ImageManifest};
use crate::image::progress::Progress;
use crate::image::reference::Reference;
use crate::image::registry::Session;
use crate::image::remote::Remote;
use crate::image::store::{ImageRecord, Store};
use crate::storage::Digest;

pub async fn push(
    store: &Store,
    remote: &Remote,
    rec: &ImageRecord,
    dest: &Reference,
    progress: &Progress,
) -> Result<Digest, ImageError> {
    let manifest_bytes = store.manifest_bytes(rec)?;
    let m: ImageManifest = serde_json::from_slice(&manifest_bytes)
        .map_err(|e| ImageError::Corrupt(format!("manifest of image {}: {e}", rec.id.short())))?;
    // Pushes go to the registry itself, never to a mirror or a rewrite.
    let ep = remote.registries.push_endpoint(dest);
    progress.message(&format!("Pushing {dest}..."));
    let session = remote.session(&ep, true).await?;

    // Repositories on the same registry that already hold this image's blobs.
    let mount_sources: Vec<String> = rec
        .digests
        .iter()
        .filter_map(|d| d.split_once('@'))
        .filter_map(|(n, _)| Reference::parse(n).ok())
        .filter(|r| r.registry() == dest.registry() && r.repository() != dest.repository())
        .map(|r| r.repository().to_string())
        .collect();
    for src in &mount_sources {
        session.add_pull_scope(src);
    }

    for layer in &m.layers {
        push_blob(store, &session, layer, "blob", &mount_sources, progress).await?;
    }
    push_blob(
        store,
        &session,
        &m.config,
        "config",
        &mount_sources,
        progress,
    )
    .await?;

    progress.message("Writing manifest to image destination");
    let media_type = m
        .media_type
        .clone()
        .unwrap_or_else(|| rec.manifest_media_type.clone());
    let reference = match (dest.tag(), dest.digest()) {
        (Some(t), _) => t.to_string(),
        (None, Some(d)) => d.to_string(),
        (None, None) => "latest".to_string(),
    };
    let digest = Digest::sha256_of(&manifest_bytes);
    session
        .put_manifest(&reference, &media_type, manifest_bytes)
        .await?;
    let repo_digest = format!("{}@{digest}", dest.name());
    store.update(|images| {
        if let Some(img) = images.iter_mut().find(|i| i.id == rec.id)
            && !img.digests.contains(&repo_digest)
        {
            img.digests.push(repo_digest.clone());
        }
        Ok(())
    })?;
    Ok(digest)
}

async fn push_blob(
    store: &Store,
    session: &Session<'_>,
    desc: &Descriptor,
    kind: &str,
    mount_sources: &[String],
    progress: &Progress,
) -> Result<(), ImageError> {
    let bar = progress.blob(kind, &desc.digest.hex()[..12], desc.size);
    if session.blob_exists(&desc.digest).await? {
        bar.finish("skipped: already exists");
        return Ok(());
    }
    for from in mount_sources {
        if session.mount(&desc.digest, from).await? {
            bar.finish(&format!("mounted from {from}"));
            return Ok(());
        }
    }
    let path = store.blobs.path(&desc.digest);
    if !store.blobs.contains(&desc.digest) {
        return Err(ImageError::Invalid(format!(
            "blob {} of this image is not in the local store (was it pulled partially?); pull the image again",
            desc.digest
        )));
    }
    let size = desc.size;
    session
        .upload(&desc.digest, size, || {
            match std::fs::File::open(&path) {
                Ok(f) => {
                    let stream = tokio_util::io::ReaderStream::with_capacity(
                        tokio::fs::File::from_std(f),
                        1 << 20,
                    );
                    reqwest::Body::wrap_stream(stream)
                }
                // The PUT then fails with a size mismatch the registry reports.
                Err(_) => reqwest::Body::from(Vec::new()),
            }
        })
        .await?;
    bar.finish("done");
    Ok(())
}
