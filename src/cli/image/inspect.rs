//! image inspect and history.

use anyhow::bail;
use serde_json::{Value, json};

use super::*;
use crate::cli::output::{self, Column, Format};
use crate::cli::units;
use crate::cli::{Ctx, Flavor};
use crate::image::reference::Reference;
use crate::image::store::{ImageRecord, Store};
use crate::storage::driver;

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
    let kind = a.kind.as_deref();
    if let Some(k) = kind
        && k != "image"
        && k != "container"
    {
        bail!("invalid --type {k:?}: expected \"container\" or \"image\"");
    }
    let store = ctx.store()?;
    let search = search_registries(ctx);
    let containers = crate::container::ContainerStore::open(&ctx.paths);
    let mut values = Vec::new();
    let mut failed = false;
    for name in &a.images {
        // Containers first, as Docker looks them up.
        if kind != Some("image") {
            match containers.lookup(name) {
                Ok(c) => {
                    let c = crate::container::lifecycle::refresh(&containers, c)?;
                    values.push(crate::cli::container::inspect_value(&containers, &c));
                    continue;
                }
                Err(e) if kind == Some("container") => {
                    eprintln!("Error: {e}");
                    failed = true;
                    continue;
                }
                Err(_) => {}
            }
        }
        match store.resolve(name, &search) {
            Ok(rec) => values.push(inspect_value(ctx, &store, &rec)?),
            Err(e) => {
                eprintln!("Error: {e}");
                failed = true;
            }
        }
    }
    output::print_inspect(values, a.format.as_deref())?;
    Ok(if failed { crate::cli::EXIT_ENGINE } else { 0 })
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
    let mut layer_sizes = rec.layers.iter().map(|c| store.layer_size(c));
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
