//! pull and push.
use std::sync::Arc;

use anyhow::Context as _;

use super::*;
use crate::cli::{Ctx, Flavor};
use crate::image::progress::Progress;
use crate::image::reference::Reference;

pub fn pull(ctx: &Ctx, a: PullArgs) -> anyhow::Result<u8> {
    let store = ctx.store()?;
    let remote = remote(ctx, &a.registry)?;
    let opts = crate::image::pull::PullOptions {
        platform: platform(
            a.platform.as_deref(),
            a.arch.as_deref(),
            a.variant.as_deref(),
        )?,
        progress: Progress::new(a.quiet),
        parallel: ctx.settings.parallel_downloads,
        unpack: unpack_options(ctx, &store)?,
    };
    let rec = runtime()?.block_on(crate::image::pull::pull(
        Arc::clone(&store),
        &remote,
        &a.image,
        &opts,
    ))?;
    match ctx.flavor {
        Flavor::Docker if !a.quiet => {
            let r = Reference::parse(&a.image)?;
            println!("Digest: {}", rec.manifest);
            println!(
                "Status: Downloaded newer image for {}",
                r.familiar_name() + &tag_suffix(&r)
            );
            println!("{r}");
        }
        _ => println!("{}", rec.id.hex()),
    }
    Ok(0)
}

pub fn push(ctx: &Ctx, a: PushArgs) -> anyhow::Result<u8> {
    let store = ctx.store()?;
    let remote = remote(ctx, &a.registry)?;
    let rec = store.resolve(&a.image, remote.registries.search_registries())?;
    let dest = match &a.destination {
        Some(d) => Reference::parse(d.strip_prefix("docker://").unwrap_or(d))?,
        None => Reference::parse(&a.image)?,
    };
    let progress = Progress::new(a.quiet);
    let digest = runtime()?.block_on(crate::image::push::push(
        &store, &remote, &rec, &dest, &progress,
    ))?;
    if let Some(f) = &a.digestfile {
        crate::storage::atomic::write_file(f, digest.to_string().as_bytes())
            .with_context(|| format!("writing {}", f.display()))?;
    }
    if ctx.flavor == Flavor::Docker && !a.quiet {
        println!(
            "{}: digest: {digest} size: {}",
            dest.tag().unwrap_or("latest"),
            store.blobs.size(&rec.manifest).unwrap_or(0)
        );
    }
    Ok(0)
}

/// Pulls `name` for `run`/`create` (progress on stderr, nothing on stdout).
pub fn pull_for_container(
    ctx: &Ctx,
    name: &str,
) -> anyhow::Result<crate::image::store::ImageRecord> {
    let store = ctx.store()?;
    let flags = RegistryFlags {
        tls_verify: None,
        authfile: None,
        creds: None,
    };
    let remote = remote(ctx, &flags)?;
    let opts = crate::image::pull::PullOptions {
        platform: None,
        progress: Progress::new(false),
        parallel: ctx.settings.parallel_downloads,
        unpack: unpack_options(ctx, &store)?,
    };
    Ok(runtime()?.block_on(crate::image::pull::pull(
        Arc::clone(&store),
        &remote,
        name,
        &opts,
    ))?)
}
