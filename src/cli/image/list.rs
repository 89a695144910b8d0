//! images, rmi, tag, image prune.
use std::io::IsTerminal;

use anyhow::bail;
use serde_json::json;

use super::*;
use crate::cli::output::{self, Column, Format};
use crate::cli::units;
use crate::cli::{Ctx, Flavor};
use crate::image::reference::Reference;
use crate::image::store::ImageRecord;

/// Repository and tag columns for one name, in this flavor's style.
fn split_name(ctx: &Ctx, r: Option<&Reference>) -> (String, String) {
    match r {
        Some(r) => {
            let repo = if ctx.flavor == Flavor::Docker {
                r.familiar_name()
            } else {
                r.name()
            };
            (repo, r.tag().unwrap_or("<none>").to_string())
        }
        None => ("<none>".into(), "<none>".into()),
    }
}

pub(super) fn manifest_digest_of(rec: &ImageRecord, repo_name: &str) -> String {
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
            let parsed = n.and_then(|n| Reference::parse(n).ok());
            let (repo, tag) = split_name(ctx, parsed.as_ref());
            if !ref_filters.is_empty()
                && !ref_filters
                    .iter()
                    .any(|p| matches_reference(p, parsed.as_ref()))
            {
                continue;
            }
            let full_repo = parsed.as_ref().map(|r| r.name()).unwrap_or_default();
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
    print!(
        "{}",
        output::render_list(&format, &columns, &headers, &rows, a.noheading)?
    );
    Ok(0)
}

/// Docker's reference filter: a glob-less match on repository or repo:tag,
/// with the familiar or full name.
fn matches_reference(pattern: &str, r: Option<&Reference>) -> bool {
    let Some(r) = r else { return false };
    let tag = r.tag().unwrap_or("");
    let forms = [
        r.name(),
        r.familiar_name(),
        format!("{}:{tag}", r.name()),
        format!("{}:{tag}", r.familiar_name()),
    ];
    forms.iter().any(|f| glob_match(pattern, f))
}

pub(super) fn glob_match(pattern: &str, s: &str) -> bool {
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
    let users = ContainerUsers::load(ctx)?;
    let mut failed = None;
    for t in &targets {
        if !a.force
            && let Ok(rec) = store.resolve(t, &search)
            && let Some(c) = users.of(&rec)
        {
            eprintln!(
                "Error: image {t} is in use by container {} ({}): remove the container first, or use --force to untag it",
                &c.id[..12],
                c.name
            );
            failed = Some(());
            continue;
        }
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
                failed = Some(());
            }
        }
    }
    store.gc_keeping(&users.layers)?;
    match failed {
        Some(_) => Ok(crate::cli::EXIT_ENGINE),
        None => Ok(0),
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
    let reclaimed = prune_images(ctx, a.all, &a.filter, &mut |r| {
        if let Some(id) = &r.deleted {
            println!("{}", id.hex());
        }
    })?;
    if ctx.flavor == Flavor::Docker {
        println!("Total reclaimed space: {}", units::human_size(reclaimed));
    }
    Ok(0)
}

/// Removes dangling images (every image no container uses with `all`) that
/// `filters` (until=TIME, label=KEY[=VALUE], label!=KEY[=VALUE]) select, and
/// then the content nothing references any more. Calls `each` for every
/// image removed; returns the bytes freed on disk.
pub fn prune_images(
    ctx: &Ctx,
    all: bool,
    filters: &[String],
    each: &mut dyn FnMut(&crate::image::store::RemoveReport),
) -> anyhow::Result<u64> {
    let now = chrono::Utc::now();
    let mut until = None;
    let mut labels: Vec<(bool, &str)> = Vec::new();
    for f in filters {
        match f.split_once('=') {
            Some(("until", v)) => {
                until = Some(
                    crate::container::logs::parse_time(v, now)
                        .map_err(|e| anyhow::anyhow!("{e}"))?,
                )
            }
            Some(("label", v)) => labels.push((true, v)),
            Some(("label!", v)) => labels.push((false, v)),
            _ => bail!(
                "invalid filter {f:?}: image prune supports until=TIME, label=KEY[=VALUE] and label!=KEY[=VALUE]"
            ),
        }
    }
    let store = ctx.store()?;
    let _gc = store.gc_exclusive()?;
    let users = ContainerUsers::load(ctx)?;
    let before = stored_bytes(&store);
    let image_labels = |rec: &ImageRecord| -> std::collections::BTreeMap<String, String> {
        store
            .config_json(rec)
            .ok()
            .and_then(|c| serde_json::from_value(c["config"]["Labels"].clone()).ok())
            .unwrap_or_default()
    };
    for v in store.images()? {
        if !(all || v.names.is_empty()) || users.of(&v).is_some() {
            continue;
        }
        if until.is_some_and(|t| v.created.unwrap_or(v.added) >= t) {
            continue;
        }
        if !labels.is_empty() {
            let have = image_labels(&v);
            let hit = |l: &str| match l.split_once('=') {
                Some((k, val)) => have.get(k).is_some_and(|x| x == val),
                None => have.contains_key(l),
            };
            if !labels.iter().all(|(want, l)| hit(l) == *want) {
                continue;
            }
        }
        let report = crate::image::store::remove(&store, &v.id.to_string(), &[], true)?;
        each(&report);
    }
    store.gc_keeping(&users.layers)?;
    Ok(before.saturating_sub(stored_bytes(&store)))
}

/// Bytes of unpacked layers and blobs in the store.
fn stored_bytes(store: &crate::image::store::Store) -> u64 {
    let layers: u64 = store
        .layers
        .list()
        .map(|l| l.iter().map(|l| l.size).sum())
        .unwrap_or(0);
    let blobs: u64 = store
        .blobs
        .list()
        .map(|b| b.iter().filter_map(|d| store.blobs.size(d)).sum())
        .unwrap_or(0);
    layers + blobs
}

/// The containers that use images, and every layer they stand on: removing
/// an image never removes a layer a container's root filesystem needs.
pub struct ContainerUsers {
    pub containers: Vec<crate::container::Container>,
    pub layers: std::collections::HashSet<crate::storage::Digest>,
}

impl ContainerUsers {
    pub fn load(ctx: &Ctx) -> anyhow::Result<ContainerUsers> {
        let containers = crate::container::ContainerStore::open(&ctx.paths).list()?;
        let layers = containers
            .iter()
            .flat_map(|c| c.lowers.iter())
            .filter_map(|p| {
                // `<layers>/<chain hex>/diff`
                let hex = p.parent()?.file_name()?.to_str()?;
                format!("sha256:{hex}").parse().ok()
            })
            .collect();
        Ok(ContainerUsers { containers, layers })
    }

    pub fn of(&self, img: &ImageRecord) -> Option<&crate::container::Container> {
        self.containers.iter().find(|c| c.image_id == img.id.hex())
    }
}
