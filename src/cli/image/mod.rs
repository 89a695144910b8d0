//! Image commands: pull, push, images, rmi, tag, inspect, history, import,
//! save, load, prune, login, logout. Flags live in `args`, shared helpers here.
mod archive;
mod args;
mod inspect;
mod list;
mod login;
mod transfer;

pub use archive::{import, load, save};
pub use args::*;
pub use inspect::{history, inspect, inspect_value};
pub use list::{ContainerUsers, images, prune, prune_images, rmi, tag};
pub use login::{login, logout};
pub use transfer::pull_for_container;
pub use transfer::{pull, push};

use anyhow::{Context as _, bail};

use crate::cli::{Ctx, Flavor};
use crate::config::registries::RegistriesConfig;
use crate::image::auth::{AuthStore, Credentials};
use crate::image::manifest::Platform;
use crate::image::reference::Reference;
use crate::image::remote::Remote;
use crate::image::store::{ImageRecord, Store};
use crate::storage::driver;
use crate::storage::unpack::UnpackOptions;

pub(super) fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("starting the async runtime")
}

pub(super) fn parse_creds(s: &str) -> Credentials {
    let (u, p) = s.split_once(':').unwrap_or((s, ""));
    Credentials {
        username: u.to_string(),
        password: p.to_string(),
    }
}

pub(super) fn remote(ctx: &Ctx, flags: &RegistryFlags) -> anyhow::Result<Remote> {
    let registries = RegistriesConfig::load(&ctx.paths)?;
    let auth = AuthStore::new(&ctx.paths, flags.authfile.as_deref());
    Ok(Remote::new(
        registries,
        auth,
        flags.tls_verify,
        flags.creds.as_deref().map(parse_creds),
    )?)
}

pub(super) fn search_registries(ctx: &Ctx) -> Vec<String> {
    RegistriesConfig::load(&ctx.paths)
        .map(|r| r.search_registries().to_vec())
        .unwrap_or_default()
}

/// How layers are written for this store: whiteout form by driver, opaque
/// xattr namespace and ownership policy by privilege.
pub fn unpack_options(ctx: &Ctx, store: &Store) -> anyhow::Result<UnpackOptions> {
    let rootless = crate::rootless::is_rootless();
    let driver = driver::select(&store.root, rootless, ctx.storage_driver.as_deref())?;
    // Layers are written in one driver's whiteout form; a store never mixes them.
    let existing = store.layers.any()?;
    if existing.is_none() && ctx.storage_driver.is_some() {
        driver::remember(&store.root, driver)?;
    }
    if let Some(existing) = existing
        && existing.whiteouts != driver.whiteout_format()
    {
        bail!(
            "the store at {} holds layers unpacked for another storage driver than {}; \
             remove its images (skiff image prune -a) or use another --root",
            store.root.display(),
            driver.name()
        );
    }
    Ok(UnpackOptions {
        whiteouts: driver.whiteout_format(),
        opaque_xattr: if rootless {
            "user.overlay.opaque"
        } else {
            "trusted.overlay.opaque"
        },
        lowers: Vec::new(),
        ignore_chown_errors: crate::rootless::current().is_some_and(|i| i.single),
        skip_devices: rootless,
    })
}

pub(super) fn platform(
    p: Option<&str>,
    arch: Option<&str>,
    variant: Option<&str>,
) -> anyhow::Result<Option<Platform>> {
    if p.is_none() && arch.is_none() && variant.is_none() {
        return Ok(None);
    }
    let mut plat = match p {
        Some(p) => Platform::parse(p)?,
        None => Platform::host(),
    };
    if let Some(a) = arch {
        let v = variant.map(|v| format!("/{v}")).unwrap_or_default();
        plat = Platform::parse(&format!("{}/{a}{v}", plat.os))?;
    } else if let Some(v) = variant {
        plat.variant = Some(v.to_string());
    }
    Ok(Some(plat))
}

pub(super) fn tag_suffix(r: &Reference) -> String {
    match (r.tag(), r.digest()) {
        (_, Some(d)) => format!("@{d}"),
        (Some(t), None) => format!(":{t}"),
        (None, None) => String::new(),
    }
}

pub(super) fn short_id(rec: &ImageRecord, no_trunc: bool) -> String {
    if no_trunc {
        rec.id.to_string()
    } else {
        rec.id.hex()[..12].to_string()
    }
}

pub(super) fn display_name(ctx: &Ctx, full: &str) -> String {
    match (ctx.flavor, Reference::parse(full)) {
        (Flavor::Docker, Ok(r)) => r.familiar_name() + &tag_suffix(&r),
        _ => full.to_string(),
    }
}
