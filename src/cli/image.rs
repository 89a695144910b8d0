//! Image commands: pull, push, images, rmi, tag, inspect, history, import,
//! save, load, prune, login, logout.
use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context as _, bail};
use clap::Args;
use serde_json::{Value, json};

use super::output::{self, Column, Format};
use super::units;
use super::{Ctx, Flavor};
use crate::config::registries::RegistriesConfig;
use crate::image::auth::{AuthStore, Credentials};
use crate::image::manifest::Platform;
use crate::image::progress::Progress;
use crate::image::reference::Reference;
use crate::image::remote::Remote;
use crate::image::store::{ImageRecord, Store};
use crate::storage::driver;
use crate::storage::unpack::UnpackOptions;

#[derive(Args, Debug, Clone)]
pub struct RegistryFlags {
    /// Require HTTPS and verify certificates (false: allow HTTP and self-signed TLS)
    #[arg(long, value_name = "BOOL", num_args = 0..=1, default_missing_value = "true")]
    pub tls_verify: Option<bool>,
    /// Path of the authentication file
    #[arg(long, value_name = "FILE", env = "REGISTRY_AUTH_FILE")]
    pub authfile: Option<PathBuf>,
    /// Credentials USERNAME[:PASSWORD] to use instead of stored ones
    #[arg(long, value_name = "USER[:PASS]")]
    pub creds: Option<String>,
}

#[derive(Args, Debug)]
pub struct PullArgs {
    /// Image to pull, e.g. busybox, docker.io/library/alpine:3.20, localhost:5000/app@sha256:…
    pub image: String,
    /// Platform to pull for an image index, as os/arch[/variant]
    #[arg(long)]
    pub platform: Option<String>,
    /// Override the architecture of --platform
    #[arg(long)]
    pub arch: Option<String>,
    /// Override the variant of --platform
    #[arg(long)]
    pub variant: Option<String>,
    /// Print only the image ID
    #[arg(short, long)]
    pub quiet: bool,
    #[command(flatten)]
    pub registry: RegistryFlags,
}

#[derive(Args, Debug)]
pub struct PushArgs {
    /// Local image to push
    pub image: String,
    /// Destination reference (default: the image name itself)
    pub destination: Option<String>,
    /// Do not print progress
    #[arg(short, long)]
    pub quiet: bool,
    /// Write the digest of the pushed manifest to this file
    #[arg(long, value_name = "FILE")]
    pub digestfile: Option<PathBuf>,
    #[command(flatten)]
    pub registry: RegistryFlags,
}

#[derive(Args, Debug)]
pub struct ImagesArgs {
    /// Show only images whose name matches (repository[:tag])
    pub reference: Option<String>,
    /// Show all images (default hides intermediate images; skiff has none)
    #[arg(short, long)]
    pub all: bool,
    /// Only show image IDs
    #[arg(short, long)]
    pub quiet: bool,
    /// Show digests
    #[arg(long)]
    pub digests: bool,
    /// Do not truncate output
    #[arg(long)]
    pub no_trunc: bool,
    /// Format output: table, json, or a Go template
    #[arg(long)]
    pub format: Option<String>,
    /// Filter output (dangling=true|false, reference=PATTERN)
    #[arg(short, long)]
    pub filter: Vec<String>,
    /// Do not print column headings
    #[arg(short = 'n', long)]
    pub noheading: bool,
}

#[derive(Args, Debug)]
pub struct RmiArgs {
    #[arg(required_unless_present = "all")]
    pub images: Vec<String>,
    /// Remove images with several names, or in use
    #[arg(short, long)]
    pub force: bool,
    /// Remove all images
    #[arg(short, long)]
    pub all: bool,
}

#[derive(Args, Debug)]
pub struct TagArgs {
    pub source: String,
    #[arg(required = true)]
    pub targets: Vec<String>,
}

#[derive(Args, Debug)]
pub struct InspectArgs {
    #[arg(required = true)]
    pub images: Vec<String>,
    /// Format the output with a Go template
    #[arg(short, long)]
    pub format: Option<String>,
    /// Object type (only `image` is known)
    #[arg(long = "type")]
    pub kind: Option<String>,
}

#[derive(Args, Debug)]
pub struct HistoryArgs {
    pub image: String,
    /// Print sizes and dates in human readable format
    #[arg(short = 'H', long, default_value_t = true, num_args = 0..=1, default_missing_value = "true")]
    pub human: bool,
    #[arg(long)]
    pub no_trunc: bool,
    #[arg(short, long)]
    pub quiet: bool,
    #[arg(long)]
    pub format: Option<String>,
}

#[derive(Args, Debug)]
pub struct ImportArgs {
    /// Tarball (plain, gzip or zstd), directory, or - for stdin
    pub source: String,
    /// Name for the new image
    pub reference: Option<String>,
    /// Apply a Dockerfile instruction (CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, USER, WORKDIR, VOLUME, STOPSIGNAL, ONBUILD)
    #[arg(short, long)]
    pub change: Vec<String>,
    /// Commit message recorded in the history
    #[arg(short, long)]
    pub message: Option<String>,
    /// Platform recorded in the config (default: this host)
    #[arg(long)]
    pub platform: Option<String>,
    /// Print only the image ID
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Args, Debug)]
pub struct SaveArgs {
    #[arg(required = true)]
    pub images: Vec<String>,
    /// Write to a file instead of stdout
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// docker-archive (default) or oci-archive
    #[arg(long, default_value = "docker-archive")]
    pub format: String,
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Args, Debug)]
pub struct LoadArgs {
    /// Read from a file instead of stdin
    #[arg(short, long)]
    pub input: Option<PathBuf>,
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Args, Debug)]
pub struct PruneArgs {
    /// Remove all unused images, not just dangling ones
    #[arg(short, long)]
    pub all: bool,
    /// Do not prompt for confirmation
    #[arg(short, long)]
    pub force: bool,
}

#[derive(Args, Debug)]
pub struct LoginArgs {
    pub server: Option<String>,
    #[arg(short, long)]
    pub username: Option<String>,
    #[arg(short, long)]
    pub password: Option<String>,
    /// Read the password from stdin
    #[arg(long)]
    pub password_stdin: bool,
    /// Only check whether credentials exist for the registry
    #[arg(long)]
    pub get_login: bool,
    #[command(flatten)]
    pub registry: RegistryFlags,
}

#[derive(Args, Debug)]
pub struct LogoutArgs {
    pub server: Option<String>,
    /// Remove all stored credentials
    #[arg(short, long)]
    pub all: bool,
    #[arg(long, value_name = "FILE", env = "REGISTRY_AUTH_FILE")]
    pub authfile: Option<PathBuf>,
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("starting the async runtime")
}

fn parse_creds(s: &str) -> Credentials {
    let (u, p) = s.split_once(':').unwrap_or((s, ""));
    Credentials {
        username: u.to_string(),
        password: p.to_string(),
    }
}

fn remote(ctx: &Ctx, flags: &RegistryFlags) -> anyhow::Result<Remote> {
    let registries = RegistriesConfig::load(&ctx.paths)?;
    let auth = AuthStore::new(&ctx.paths, flags.authfile.as_deref());
    Ok(Remote::new(
        registries,
        auth,
        flags.tls_verify,
        flags.creds.as_deref().map(parse_creds),
    )?)
}

fn search_registries(ctx: &Ctx) -> Vec<String> {
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
    let existing = store.layers.list()?;
    if existing.is_empty() && ctx.storage_driver.is_some() {
        driver::remember(&store.root, driver)?;
    }
    if let Some(existing) = existing.first()
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

fn platform(
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

fn tag_suffix(r: &Reference) -> String {
    match (r.tag(), r.digest()) {
        (_, Some(d)) => format!("@{d}"),
        (Some(t), None) => format!(":{t}"),
        (None, None) => String::new(),
    }
}

pub fn push(ctx: &Ctx, a: PushArgs) -> anyhow::Result<u8> {
    let store = ctx.store()?;
    let search = search_registries(ctx);
    let rec = store.resolve(&a.image, &search)?;
    let dest = match &a.destination {
        Some(d) => Reference::parse(d.strip_prefix("docker://").unwrap_or(d))?,
        None => Reference::parse(&a.image)?,
    };
    let remote = remote(ctx, &a.registry)?;
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

/// Repository and tag columns for one name, in this flavor's style.
fn split_name(ctx: &Ctx, name: &str) -> (String, String) {
    match Reference::parse(name) {
        Ok(r) => {
            let repo = if ctx.flavor == Flavor::Docker {
                r.familiar_name()
            } else {
                r.name()
            };
            (repo, r.tag().unwrap_or("<none>").to_string())
        }
        Err(_) => ("<none>".into(), "<none>".into()),
    }
}

fn short_id(rec: &ImageRecord, no_trunc: bool) -> String {
    if no_trunc {
        rec.id.to_string()
    } else {
        rec.id.hex()[..12].to_string()
    }
}

fn manifest_digest_of(rec: &ImageRecord, repo_name: &str) -> String {
    rec.digests
        .iter()
        .find_map(|d| {
            let (n, dg) = d.split_once('@')?;
            (Reference::parse(n).map(|r| r.name()).unwrap_or_default() == repo_name)
                .then(|| dg.to_string())
        })
        .unwrap_or_else(|| rec.manifest.to_string())
}

pub fn images(ctx: &Ctx, a: ImagesArgs) -> anyhow::Result<u8> {
    let store = ctx.store()?;
    let mut images = store.images()?;
    images.sort_by(|x, y| y.created.cmp(&x.created).then(y.added.cmp(&x.added)));
    let mut dangling: Option<bool> = None;
    let mut ref_filters: Vec<String> = Vec::new();
    for f in &a.filter {
        match f.split_once('=') {
            Some(("dangling", v)) => dangling = Some(v == "true" || v == "1"),
            Some(("reference", v)) => ref_filters.push(v.to_string()),
            _ => bail!(
                "invalid filter {f:?}: supported filters are dangling=true|false and reference=PATTERN"
            ),
        }
    }
    if let Some(r) = &a.reference {
        ref_filters.push(r.clone());
    }
    let now = chrono::Utc::now();
    let mut rows = Vec::new();
    for rec in &images {
        if let Some(d) = dangling
            && d != rec.names.is_empty()
        {
            continue;
        }
        let mut names: Vec<Option<&String>> = rec.names.iter().map(Some).collect();
        if names.is_empty() {
            names.push(None);
        }
        for n in names {
            let (repo, tag) = match n {
                Some(n) => split_name(ctx, n),
                None => ("<none>".into(), "<none>".into()),
            };
            if !ref_filters.is_empty()
                && !ref_filters
                    .iter()
                    .any(|p| matches_reference(p, n.map(String::as_str)))
            {
                continue;
            }
            let full_repo = n
                .and_then(|n| Reference::parse(n).ok())
                .map(|r| r.name())
                .unwrap_or_default();
            let digest = manifest_digest_of(rec, &full_repo);
            let created = rec.created.unwrap_or(rec.added);
            rows.push(json!({
                "ID": short_id(rec, a.no_trunc),
                "Id": rec.id.to_string(),
                "Repository": repo,
                "Tag": tag,
                "Digest": digest,
                "CreatedSince": units::created_since(created, now),
                "CreatedAt": created.format("%Y-%m-%d %H:%M:%S %z UTC").to_string(),
                "Created": created.timestamp(),
                "Size": units::human_size(rec.size),
                "VirtualSize": units::human_size(rec.size),
                "SharedSize": "N/A",
                "UniqueSize": units::human_size(rec.size),
                "Containers": "N/A",
                "Names": rec.names,
                "Digests": rec.digests,
            }));
        }
    }
    if a.quiet {
        let mut seen = std::collections::HashSet::new();
        for r in &rows {
            let id = r["ID"].as_str().unwrap_or("").to_string();
            if seen.insert(id.clone()) {
                println!("{id}");
            }
        }
        return Ok(0);
    }
    let mut columns = vec![
        Column {
            header: "REPOSITORY",
            field: "Repository",
        },
        Column {
            header: "TAG",
            field: "Tag",
        },
    ];
    if a.digests {
        columns.push(Column {
            header: "DIGEST",
            field: "Digest",
        });
    }
    columns.extend([
        Column {
            header: "IMAGE ID",
            field: "ID",
        },
        Column {
            header: "CREATED",
            field: "CreatedSince",
        },
        Column {
            header: "SIZE",
            field: "Size",
        },
    ]);
    let headers = [
        ("ID", "IMAGE ID"),
        ("Repository", "REPOSITORY"),
        ("Tag", "TAG"),
        ("Digest", "DIGEST"),
        ("CreatedSince", "CREATED"),
        ("CreatedAt", "CREATED AT"),
        ("Size", "SIZE"),
        ("VirtualSize", "VIRTUAL SIZE"),
        ("SharedSize", "SHARED SIZE"),
        ("UniqueSize", "UNIQUE SIZE"),
        ("Containers", "CONTAINERS"),
    ];
    let format = Format::parse(a.format.as_deref());
    let mut out = output::render(&format, &columns, &headers, &rows)?;
    if a.noheading
        && matches!(format, Format::Table(_))
        && let Some(i) = out.find('\n')
    {
        out = out[i + 1..].to_string();
    }
    print!("{out}");
    Ok(0)
}

/// Docker's reference filter: a glob-less match on repository or repo:tag,
/// with the familiar or full name.
fn matches_reference(pattern: &str, name: Option<&str>) -> bool {
    let Some(name) = name else { return false };
    let Ok(r) = Reference::parse(name) else {
        return false;
    };
    let tag = r.tag().unwrap_or("");
    let forms = [
        r.name(),
        r.familiar_name(),
        format!("{}:{tag}", r.name()),
        format!("{}:{tag}", r.familiar_name()),
    ];
    forms.iter().any(|f| glob_match(pattern, f))
}

fn glob_match(pattern: &str, s: &str) -> bool {
    fn rec(p: &[u8], s: &[u8]) -> bool {
        match (p.first(), s.first()) {
            (None, None) => true,
            (Some(b'*'), _) => {
                rec(&p[1..], s) || (!s.is_empty() && s[0] != b'/' && rec(p, &s[1..]))
            }
            (Some(b'?'), Some(_)) => rec(&p[1..], &s[1..]),
            (Some(a), Some(b)) if a == b => rec(&p[1..], &s[1..]),
            _ => false,
        }
    }
    rec(pattern.as_bytes(), s.as_bytes())
}

pub fn rmi(ctx: &Ctx, a: RmiArgs) -> anyhow::Result<u8> {
    let store = ctx.store()?;
    let search = search_registries(ctx);
    let targets: Vec<String> = if a.all {
        store.images()?.iter().map(|i| i.id.to_string()).collect()
    } else {
        a.images.clone()
    };
    let _gc = store.gc_exclusive()?;
    let mut failed = None;
    for t in &targets {
        match crate::image::store::remove(&store, t, &search, a.force || a.all) {
            Ok(report) => {
                for u in report.untagged {
                    println!("Untagged: {}", display_name(ctx, &u));
                }
                if let Some(id) = report.deleted {
                    println!("Deleted: {id}");
                }
            }
            Err(e) => {
                eprintln!("Error: {e}");
                failed = Some(e);
            }
        }
    }
    store.gc()?;
    match failed {
        Some(_) => Ok(super::EXIT_ENGINE),
        None => Ok(0),
    }
}

fn display_name(ctx: &Ctx, full: &str) -> String {
    match (ctx.flavor, Reference::parse(full)) {
        (Flavor::Docker, Ok(r)) => r.familiar_name() + &tag_suffix(&r),
        _ => full.to_string(),
    }
}

pub fn tag(ctx: &Ctx, a: TagArgs) -> anyhow::Result<u8> {
    let store = ctx.store()?;
    let search = search_registries(ctx);
    let rec = store.resolve(&a.source, &search)?;
    let mut names = Vec::new();
    for t in &a.targets {
        let r = Reference::parse(t)?;
        if r.digest().is_some() {
            bail!("invalid tag {t:?}: a tag cannot contain a digest");
        }
        names.push(r.to_string());
    }
    store.update(|images| {
        for img in images.iter_mut() {
            if img.id != rec.id {
                img.names.retain(|n| !names.contains(n));
            } else {
                for n in &names {
                    if !img.names.contains(n) {
                        img.names.push(n.clone());
                    }
                }
            }
        }
        Ok(())
    })?;
    Ok(0)
}

/// Docker-shaped `image inspect` JSON for one image.
pub fn inspect_value(ctx: &Ctx, store: &Store, rec: &ImageRecord) -> anyhow::Result<Value> {
    let cfg = store.config_json(rec)?;
    let repo_tags: Vec<String> = rec.names.iter().map(|n| display_name(ctx, n)).collect();
    let repo_digests: Vec<String> = rec
        .digests
        .iter()
        .map(|d| match (ctx.flavor, d.split_once('@')) {
            (Flavor::Docker, Some((n, dg))) => Reference::parse(n)
                .map(|r| format!("{}@{dg}", r.familiar_name()))
                .unwrap_or_else(|_| d.clone()),
            _ => d.clone(),
        })
        .collect();
    let layer_dirs: Vec<String> = rec
        .layers
        .iter()
        .rev()
        .map(|c| store.layers.diff_dir(c).display().to_string())
        .collect();
    let driver_name = match &ctx.storage_driver {
        Some(n) => n.clone(),
        None => driver::probe(&store.root, crate::rootless::is_rootless())
            .name()
            .to_string(),
    };
    let created = rec
        .created
        .map(|c| c.to_rfc3339_opts(chrono::SecondsFormat::Nanos, true))
        .unwrap_or_default();
    let config = cfg.get("config").cloned().unwrap_or(json!({}));
    Ok(json!({
        "Id": rec.id.to_string(),
        "Digest": rec.manifest.to_string(),
        "RepoTags": repo_tags,
        "RepoDigests": repo_digests,
        "Parent": "",
        "Comment": cfg.get("comment").cloned().unwrap_or(json!("")),
        "Created": created,
        "DockerVersion": cfg.get("docker_version").cloned().unwrap_or(json!("")),
        "Author": cfg.get("author").cloned().unwrap_or(json!("")),
        "Config": config,
        "Architecture": rec.architecture,
        "Variant": rec.variant.clone().unwrap_or_default(),
        "Os": rec.os,
        "Size": rec.size,
        "VirtualSize": rec.size,
        "GraphDriver": {
            "Name": driver_name,
            "Data": {
                "LowerDir": layer_dirs.iter().skip(1).cloned().collect::<Vec<_>>().join(":"),
                "UpperDir": layer_dirs.first().cloned().unwrap_or_default(),
            }
        },
        "RootFS": {
            "Type": "layers",
            "Layers": rec.diff_ids.iter().map(|d| d.to_string()).collect::<Vec<_>>(),
        },
        "Labels": config.get("Labels").cloned().unwrap_or(Value::Null),
        "ManifestType": rec.manifest_media_type,
        "User": config.get("User").cloned().unwrap_or(json!("")),
        "History": cfg.get("history").cloned().unwrap_or(json!([])),
        "Metadata": { "LastTagTime": rec.added.to_rfc3339_opts(chrono::SecondsFormat::Nanos, true) },
    }))
}

pub fn inspect(ctx: &Ctx, a: InspectArgs) -> anyhow::Result<u8> {
    if let Some(k) = &a.kind
        && k != "image"
    {
        bail!("invalid --type {k:?}: only \"image\" objects exist so far");
    }
    let store = ctx.store()?;
    let search = search_registries(ctx);
    let mut values = Vec::new();
    let mut failed = false;
    for name in &a.images {
        match store.resolve(name, &search) {
            Ok(rec) => values.push(inspect_value(ctx, &store, &rec)?),
            Err(e) => {
                eprintln!("Error: {e}");
                failed = true;
            }
        }
    }
    match a.format.as_deref() {
        None | Some("json") => {
            println!("{}", serde_json::to_string_pretty(&Value::Array(values))?);
        }
        Some(t) => {
            for v in &values {
                println!("{}", output::render_template(t, v)?);
            }
        }
    }
    Ok(if failed { super::EXIT_ENGINE } else { 0 })
}

pub fn history(ctx: &Ctx, a: HistoryArgs) -> anyhow::Result<u8> {
    let store = ctx.store()?;
    let rec = store.resolve(&a.image, &search_registries(ctx))?;
    let cfg = store.config_json(&rec)?;
    let hist = cfg
        .get("history")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut layer_sizes = rec.layers.iter().map(|c| {
        store
            .layers
            .get(c)
            .ok()
            .flatten()
            .map(|l| l.size)
            .unwrap_or(0)
    });
    let now = chrono::Utc::now();
    let mut rows = Vec::new();
    for h in &hist {
        let empty = h
            .get("empty_layer")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let size = if empty {
            0
        } else {
            layer_sizes.next().unwrap_or(0)
        };
        let created = h
            .get("created")
            .and_then(Value::as_str)
            .and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok())
            .map(|d| d.with_timezone(&chrono::Utc));
        let by = h
            .get("created_by")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let by_shown = if a.no_trunc || by.chars().count() <= 45 {
            by.clone()
        } else {
            by.chars().take(44).collect::<String>() + "…"
        };
        rows.push(json!({
            "ID": "<missing>",
            "Created": created.map(|c| c.to_rfc3339()).unwrap_or_default(),
            "CreatedSince": created.map(|c| if a.human { units::created_since(c, now) } else { c.to_rfc3339() }).unwrap_or_default(),
            "CreatedBy": by_shown,
            "Size": if a.human { units::human_size(size) } else { size.to_string() },
            "Comment": h.get("comment").and_then(Value::as_str).unwrap_or(""),
        }));
    }
    rows.reverse();
    if let Some(first) = rows.first_mut() {
        first["ID"] = json!(short_id(&rec, a.no_trunc));
    }
    if a.quiet {
        for r in &rows {
            println!("{}", r["ID"].as_str().unwrap_or(""));
        }
        return Ok(0);
    }
    let columns = [
        Column {
            header: "IMAGE",
            field: "ID",
        },
        Column {
            header: "CREATED",
            field: "CreatedSince",
        },
        Column {
            header: "CREATED BY",
            field: "CreatedBy",
        },
        Column {
            header: "SIZE",
            field: "Size",
        },
        Column {
            header: "COMMENT",
            field: "Comment",
        },
    ];
    let headers = [
        ("ID", "IMAGE"),
        ("CreatedSince", "CREATED"),
        ("Created", "CREATED AT"),
        ("CreatedBy", "CREATED BY"),
        ("Size", "SIZE"),
        ("Comment", "COMMENT"),
    ];
    print!(
        "{}",
        output::render(
            &Format::parse(a.format.as_deref()),
            &columns,
            &headers,
            &rows
        )?
    );
    Ok(0)
}

pub fn import(ctx: &Ctx, a: ImportArgs) -> anyhow::Result<u8> {
    use crate::image::archive::{ImportOptions, ImportSource};
    let store = ctx.store()?;
    let _gc = store.gc_shared()?;
    let reference = a.reference.as_deref().map(Reference::parse).transpose()?;
    let unpack = unpack_options(ctx, &store)?;
    let plat = match &a.platform {
        Some(p) => Platform::parse(p)?,
        None => Platform::host(),
    };
    let source = if a.source == "-" {
        ImportSource::Reader(Box::new(std::io::stdin()))
    } else {
        let p = PathBuf::from(&a.source);
        if !p.exists() {
            bail!(
                "import source {:?} does not exist: give a tarball, a directory, or - for stdin",
                a.source
            );
        }
        ImportSource::Path(p)
    };
    let opts = ImportOptions {
        reference: reference.as_ref(),
        changes: &a.change,
        message: a.message.as_deref(),
        platform: plat,
        unpack: &unpack,
    };
    let rec = crate::image::archive::import(&store, source, &opts)?;
    match ctx.flavor {
        Flavor::Docker => println!("{}", rec.id),
        Flavor::Skiff => println!("{}", rec.id.hex()),
    }
    Ok(0)
}

pub fn save(ctx: &Ctx, a: SaveArgs) -> anyhow::Result<u8> {
    use crate::image::archive::ArchiveFormat;
    let format = match a.format.as_str() {
        "docker-archive" | "docker" => ArchiveFormat::DockerArchive,
        "oci-archive" | "oci" => ArchiveFormat::OciArchive,
        other => bail!("invalid --format {other:?}: use docker-archive or oci-archive"),
    };
    let store = ctx.store()?;
    let search = search_registries(ctx);
    let mut list = Vec::new();
    for name in &a.images {
        let rec = store.resolve(name, &search)?;
        let named =
            if crate::image::reference::looks_like_image_id(name.trim_start_matches("sha256:")) {
                None
            } else {
                Reference::parse(name)
                    .ok()
                    .filter(|r| rec.names.contains(&r.to_string()))
            };
        list.push((rec, named));
    }
    match &a.output {
        Some(path) => {
            let dir = path
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(std::path::Path::new("."));
            let mut tmp = tempfile::Builder::new()
                .prefix(".skiff-save-")
                .tempfile_in(dir)
                .with_context(|| format!("creating a temporary file in {}", dir.display()))?;
            {
                let mut w = std::io::BufWriter::new(tmp.as_file_mut());
                crate::image::archive::save(&store, &list, format, &mut w)?;
                w.flush()?;
            }
            // tempfile creates 0600; an archive is an ordinary file (0666 & ~umask).
            let umask = crate::sys::current_umask();
            std::fs::set_permissions(
                tmp.path(),
                std::os::unix::fs::PermissionsExt::from_mode(0o666 & !umask),
            )?;
            tmp.persist(path)
                .with_context(|| format!("writing {}", path.display()))?;
        }
        None => {
            let stdout = std::io::stdout();
            if stdout.is_terminal() {
                bail!("refusing to write an archive to a terminal: use -o FILE or redirect stdout");
            }
            let mut w = std::io::BufWriter::new(stdout.lock());
            crate::image::archive::save(&store, &list, format, &mut w)?;
            w.flush()?;
        }
    }
    Ok(0)
}

pub fn load(ctx: &Ctx, a: LoadArgs) -> anyhow::Result<u8> {
    let store = ctx.store()?;
    let _gc = store.gc_shared()?;
    let unpack = unpack_options(ctx, &store)?;
    let mut input: Box<dyn Read> = match &a.input {
        Some(p) => {
            Box::new(std::fs::File::open(p).with_context(|| format!("opening {}", p.display()))?)
        }
        None => {
            if std::io::stdin().is_terminal() {
                bail!("no archive given: use -i FILE or pipe an archive to stdin");
            }
            Box::new(std::io::stdin())
        }
    };
    let recs = crate::image::archive::load(&store, &mut input, &unpack)?;
    for rec in recs {
        if rec.names.is_empty() {
            println!("Loaded image ID: {}", rec.id);
        }
        for n in &rec.names {
            println!("Loaded image: {}", display_name(ctx, n));
        }
    }
    Ok(0)
}

pub fn prune(ctx: &Ctx, a: PruneArgs) -> anyhow::Result<u8> {
    if !a.force && std::io::stdin().is_terminal() {
        eprint!(
            "WARNING! This will remove all {}images.\nAre you sure you want to continue? [y/N] ",
            if a.all { "" } else { "dangling " }
        );
        let mut line = String::new();
        std::io::stdin().read_line(&mut line)?;
        if !matches!(line.trim(), "y" | "Y" | "yes") {
            return Ok(0);
        }
    }
    let store = ctx.store()?;
    let _gc = store.gc_exclusive()?;
    let victims: Vec<ImageRecord> = store
        .images()?
        .into_iter()
        .filter(|i| a.all || i.names.is_empty())
        .collect();
    let mut reclaimed = 0u64;
    for v in &victims {
        let report = crate::image::store::remove(&store, &v.id.to_string(), &[], true)?;
        if let Some(id) = report.deleted {
            println!("{}", id.hex());
            reclaimed += v.size;
        }
    }
    store.gc()?;
    if ctx.flavor == Flavor::Docker {
        println!("Total reclaimed space: {}", units::human_size(reclaimed));
    }
    Ok(0)
}

fn read_password_from_tty(prompt: &str) -> anyhow::Result<String> {
    eprint!("{prompt}");
    let _ = std::io::stderr().flush();
    let stdin = std::io::stdin();
    let guard = crate::sys::EchoOff::new(&stdin);
    let mut line = String::new();
    std::io::stdin().read_line(&mut line)?;
    drop(guard);
    eprintln!();
    Ok(line.trim_end_matches(['\n', '\r']).to_string())
}

pub fn login(ctx: &Ctx, a: LoginArgs) -> anyhow::Result<u8> {
    let server = a.server.clone().unwrap_or_else(|| "docker.io".to_string());
    let host = crate::image::auth::normalize_registry_key(&server);
    let remote = remote(ctx, &a.registry)?;
    if a.get_login {
        return match remote.auth.lookup(&host)? {
            Some(c) => {
                println!("{}", c.username);
                Ok(0)
            }
            None => bail!("not logged into {host}"),
        };
    }
    let interactive = std::io::stdin().is_terminal();
    let username = match a.username.clone() {
        Some(u) => u,
        None if interactive => {
            eprint!("Username: ");
            let _ = std::io::stderr().flush();
            let mut u = String::new();
            std::io::stdin().read_line(&mut u)?;
            u.trim().to_string()
        }
        None => bail!("no username given: use --username (or -u)"),
    };
    let password = if a.password_stdin {
        let mut p = String::new();
        std::io::stdin().read_to_string(&mut p)?;
        p.trim_end_matches(['\n', '\r']).to_string()
    } else if let Some(p) = a.password.clone() {
        p
    } else if interactive {
        read_password_from_tty("Password: ")?
    } else {
        bail!("no password given: use --password-stdin or --password");
    };
    if username.is_empty() {
        bail!("username is empty");
    }
    let creds = Credentials { username, password };
    let rt = runtime()?;
    rt.block_on(async {
        // The repository only matters for the token scope; login asks for none.
        let ep = crate::config::registries::Endpoint {
            host: host.clone(),
            repository: "library/none".to_string(),
            insecure: remote.registries.is_insecure(&host),
            mirror: false,
        };
        let session = crate::image::registry::Session::connect(
            &remote.transport,
            &ep.host,
            &ep.repository,
            &remote.host_options(ep.insecure),
            Some(creds.clone()),
            false,
        )
        .await?;
        session.verify_login().await
    })?;
    remote.auth.store(&host, &creds)?;
    println!(
        "Login Succeeded{}",
        if ctx.flavor == Flavor::Docker {
            ""
        } else {
            "!"
        }
    );
    Ok(0)
}

pub fn logout(ctx: &Ctx, a: LogoutArgs) -> anyhow::Result<u8> {
    let auth = AuthStore::new(&ctx.paths, a.authfile.as_deref());
    if a.all {
        auth.remove_all()?;
        println!("Removed login credentials for all registries");
        return Ok(0);
    }
    let server = a.server.clone().unwrap_or_else(|| "docker.io".to_string());
    let host = crate::image::auth::normalize_registry_key(&server);
    if auth.remove(&host)? {
        println!("Removed login credentials for {host}");
        Ok(0)
    } else {
        bail!("not logged into {host}")
    }
}
