//! `volume create|ls|inspect|rm|prune`.
use std::collections::{BTreeMap, HashSet};
use std::io::IsTerminal;

use anyhow::{Context as _, bail};
use clap::{Args, Subcommand};
use serde_json::{Value, json};

use crate::cli::Ctx;
use crate::cli::output::{self, Column, Format};
use crate::cli::units;
use crate::container::volumes::{Volume, VolumeStore};

#[derive(Subcommand, Debug)]
pub enum VolumeCommand {
    /// Create a volume
    Create(CreateArgs),
    /// List volumes
    #[command(visible_alias = "list")]
    Ls(LsArgs),
    /// Display detailed information on volumes
    Inspect(InspectArgs),
    /// Remove one or more volumes
    #[command(visible_alias = "remove")]
    Rm(RmArgs),
    /// Remove volumes no container uses
    Prune(PruneArgs),
}

#[derive(Args, Debug)]
pub struct CreateArgs {
    /// Volume name (default: a random ID)
    pub name: Option<String>,
    /// Volume driver (only "local")
    #[arg(short, long, default_value = "local")]
    pub driver: String,
    /// Set metadata, KEY=VALUE (repeatable)
    #[arg(short, long, value_name = "KEY=VALUE")]
    pub label: Vec<String>,
    /// Driver option, KEY=VALUE (repeatable)
    #[arg(short, long, value_name = "KEY=VALUE")]
    pub opt: Vec<String>,
}

#[derive(Args, Debug)]
pub struct LsArgs {
    /// Only show volume names
    #[arg(short, long)]
    pub quiet: bool,
    /// Format output: table, json, or a Go template
    #[arg(long)]
    pub format: Option<String>,
    /// Filter output: name=TEXT, label=KEY[=VALUE], dangling=true|false, driver=local
    #[arg(short, long)]
    pub filter: Vec<String>,
    /// Do not print column headings
    #[arg(short = 'n', long)]
    pub noheading: bool,
}

#[derive(Args, Debug)]
pub struct InspectArgs {
    /// Volumes to inspect
    #[arg(required = true)]
    pub volumes: Vec<String>,
    /// Format output with a Go template
    #[arg(short, long)]
    pub format: Option<String>,
}

#[derive(Args, Debug)]
pub struct RmArgs {
    /// Volumes to remove
    #[arg(required = true)]
    pub volumes: Vec<String>,
    /// Do not fail when a volume does not exist
    #[arg(short, long)]
    pub force: bool,
}

#[derive(Args, Debug)]
pub struct PruneArgs {
    /// Do not prompt for confirmation
    #[arg(short, long)]
    pub force: bool,
    /// Remove all unused volumes, not only anonymous ones
    #[arg(short, long)]
    pub all: bool,
    /// Only remove volumes matching: label=KEY[=VALUE], label!=KEY[=VALUE]
    #[arg(long)]
    pub filter: Vec<String>,
}

/// Commands that delete volume data run inside the user namespace: files a
/// container wrote belong to subordinate ids.
pub fn needs_userns(cmd: &VolumeCommand) -> bool {
    matches!(cmd, VolumeCommand::Rm(_) | VolumeCommand::Prune(_))
}

pub fn run(ctx: &Ctx, cmd: VolumeCommand) -> anyhow::Result<u8> {
    let store = VolumeStore::open(&ctx.paths.data)?;
    match cmd {
        VolumeCommand::Create(a) => create(&store, a),
        VolumeCommand::Ls(a) => ls(ctx, &store, a),
        VolumeCommand::Inspect(a) => inspect(&store, a),
        VolumeCommand::Rm(a) => rm(ctx, &store, a),
        VolumeCommand::Prune(a) => prune(ctx, &store, a),
    }
}

/// `KEY=VALUE` pairs; a bare `KEY` is an empty value (Docker's labels).
fn key_values(flag: &str, items: &[String]) -> anyhow::Result<BTreeMap<String, String>> {
    let mut map = BTreeMap::new();
    for it in items {
        let (k, v) = it.split_once('=').unwrap_or((it, ""));
        if k.is_empty() {
            bail!("invalid {flag} {it:?}: expected KEY=VALUE");
        }
        map.insert(k.to_string(), v.to_string());
    }
    Ok(map)
}

fn create(store: &VolumeStore, a: CreateArgs) -> anyhow::Result<u8> {
    if a.driver != "local" {
        return Err(crate::container::volumes::VolumeError::Driver(a.driver).into());
    }
    let labels = key_values("--label", &a.label)?;
    let opts = key_values("--opt", &a.opt)?;
    let v = store.create(a.name.as_deref(), labels, opts, false)?;
    println!("{}", v.name);
    Ok(0)
}

/// `--filter` for ls and prune: the same key ORs, different keys AND.
struct Filters {
    by_key: BTreeMap<String, Vec<String>>,
}

impl Filters {
    fn parse(items: &[String], allowed: &[&str]) -> anyhow::Result<Filters> {
        let mut by_key: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for f in items {
            let Some((k, v)) = f.split_once('=') else {
                bail!("invalid filter {f:?}: expected KEY=VALUE");
            };
            // `label!=x` splits as ("label!", "x").
            if !allowed.contains(&k) {
                bail!(
                    "invalid filter {f:?}: supported filters are {}",
                    allowed.join(", ")
                );
            }
            if k == "dangling" && !matches!(v, "true" | "false" | "1" | "0") {
                bail!("invalid filter {f:?}: dangling takes true or false");
            }
            by_key.entry(k.to_string()).or_default().push(v.to_string());
        }
        Ok(Filters { by_key })
    }

    fn matches(&self, v: &Volume, used: &HashSet<String>) -> bool {
        let has_label = |want: &str| match want.split_once('=') {
            Some((k, val)) => v.labels.get(k).is_some_and(|x| x == val),
            None => v.labels.contains_key(want),
        };
        self.by_key.iter().all(|(k, values)| match k.as_str() {
            "name" => values.iter().any(|n| v.name.contains(n.as_str())),
            "driver" => values.contains(&v.driver),
            "dangling" => values
                .iter()
                .any(|d| matches!(d.as_str(), "true" | "1") != used.contains(&v.name)),
            // Every label filter must hold (Docker ANDs labels).
            "label" => values.iter().all(|l| has_label(l)),
            "label!" => values.iter().all(|l| !has_label(l)),
            _ => false,
        })
    }
}

fn ls(ctx: &Ctx, store: &VolumeStore, a: LsArgs) -> anyhow::Result<u8> {
    let filters = Filters::parse(
        &a.filter,
        &["name", "label", "label!", "dangling", "driver"],
    )?;
    let used = if filters.by_key.contains_key("dangling") {
        crate::container::volumes_in_use(&ctx.paths)
    } else {
        HashSet::new()
    };
    let vols: Vec<Volume> = store
        .list()?
        .into_iter()
        .filter(|v| filters.matches(v, &used))
        .collect();
    if a.quiet {
        for v in &vols {
            println!("{}", v.name);
        }
        return Ok(0);
    }
    let rows: Vec<Value> = vols.iter().map(ls_row).collect();
    let columns = [
        Column {
            header: "DRIVER",
            field: "Driver",
        },
        Column {
            header: "VOLUME NAME",
            field: "Name",
        },
    ];
    let headers = [
        ("Name", "VOLUME NAME"),
        ("Driver", "DRIVER"),
        ("Scope", "SCOPE"),
        ("Mountpoint", "MOUNTPOINT"),
        ("Labels", "LABELS"),
        ("Links", "LINKS"),
        ("Size", "SIZE"),
        ("CreatedAt", "CREATED AT"),
    ];
    let format = Format::parse(a.format.as_deref());
    print!(
        "{}",
        output::render_list(&format, &columns, &headers, &rows, a.noheading)?
    );
    Ok(0)
}

/// One `volume ls` row with Docker's template fields.
fn ls_row(v: &Volume) -> Value {
    let labels: Vec<String> = v.labels.iter().map(|(k, x)| format!("{k}={x}")).collect();
    json!({
        "Name": v.name,
        "Driver": v.driver,
        "Scope": "local",
        "Mountpoint": v.mountpoint.display().to_string(),
        "Labels": labels.join(","),
        "Links": "N/A",
        "Size": "N/A",
        "CreatedAt": created_at(v),
        "Anonymous": v.anonymous,
    })
}

fn created_at(v: &Volume) -> String {
    v.created.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// `volume inspect` output: Docker's keys.
pub fn inspect_value(v: &Volume) -> Value {
    json!({
        "CreatedAt": created_at(v),
        "Driver": v.driver,
        "Labels": v.labels,
        "Mountpoint": v.mountpoint.display().to_string(),
        "Name": v.name,
        "Options": v.options,
        "Scope": "local",
    })
}

fn inspect(store: &VolumeStore, a: InspectArgs) -> anyhow::Result<u8> {
    let mut values = Vec::new();
    let mut failed = false;
    for name in &a.volumes {
        match store.get(name) {
            Ok(v) => values.push(inspect_value(&v)),
            Err(e) => {
                eprintln!("Error: {e}");
                failed = true;
            }
        }
    }
    output::print_inspect(values, a.format.as_deref())?;
    Ok(if failed { crate::cli::EXIT_ENGINE } else { 0 })
}

fn rm(ctx: &Ctx, store: &VolumeStore, a: RmArgs) -> anyhow::Result<u8> {
    let used = crate::container::volumes_in_use(&ctx.paths);
    let mut failed = false;
    for name in &a.volumes {
        match store.remove(name, a.force, &|n| used.contains(n)) {
            Ok(()) => println!("{name}"),
            Err(e) => {
                eprintln!("Error: {e}");
                failed = true;
            }
        }
    }
    Ok(if failed { crate::cli::EXIT_ENGINE } else { 0 })
}

fn prune(ctx: &Ctx, store: &VolumeStore, a: PruneArgs) -> anyhow::Result<u8> {
    let filters = Filters::parse(&a.filter, &["label", "label!"])?;
    if !a.force && std::io::stdin().is_terminal() {
        eprint!(
            "WARNING! This will remove {} local volumes not used by at least one container.\n\
             Are you sure you want to continue? [y/N] ",
            if a.all { "all" } else { "anonymous" }
        );
        let mut line = String::new();
        std::io::stdin()
            .read_line(&mut line)
            .context("reading the answer")?;
        if !matches!(line.trim(), "y" | "Y" | "yes") {
            return Ok(0);
        }
    }
    let removed = prune_unused(ctx, store, a.all, &filters)?;
    if !removed.is_empty() {
        println!("Deleted Volumes:");
        for (name, _) in &removed {
            println!("{name}");
        }
        println!();
    }
    let total: u64 = removed.iter().map(|(_, s)| s).sum();
    println!(
        "Total reclaimed space: {}",
        units::human_size_with_precision(total as f64, 4)
    );
    Ok(0)
}

/// `volume prune` for other commands (`system prune --volumes`): removes
/// the unused volumes (anonymous ones only unless `all`) that `filters`
/// (label=, label!=) select; returns their names and sizes.
pub fn prune_volumes(
    ctx: &Ctx,
    all: bool,
    filters: &[String],
) -> anyhow::Result<Vec<(String, u64)>> {
    let filters = Filters::parse(filters, &["label", "label!"])?;
    prune_unused(ctx, &VolumeStore::open(&ctx.paths.data)?, all, &filters)
}

fn prune_unused(
    ctx: &Ctx,
    store: &VolumeStore,
    all: bool,
    filters: &Filters,
) -> anyhow::Result<Vec<(String, u64)>> {
    let used = crate::container::volumes_in_use(&ctx.paths);
    let wanted: HashSet<String> = store
        .list()?
        .into_iter()
        .filter(|v| filters.matches(v, &used))
        .map(|v| v.name)
        .collect();
    // Volumes the filters exclude are kept as if in use.
    Ok(store.prune(&|n| used.contains(n) || !wanted.contains(n), all)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn vol(name: &str, labels: &[(&str, &str)]) -> Volume {
        Volume {
            name: name.into(),
            driver: "local".into(),
            mountpoint: format!("/d/volumes/{name}/_data").into(),
            created: chrono::Utc.with_ymd_and_hms(2024, 5, 1, 10, 0, 0).unwrap(),
            labels: labels
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            options: BTreeMap::new(),
            anonymous: false,
        }
    }

    fn f(items: &[&str]) -> Filters {
        let items: Vec<String> = items.iter().map(|s| s.to_string()).collect();
        Filters::parse(&items, &["name", "label", "label!", "dangling", "driver"]).unwrap()
    }

    #[test]
    fn filters() {
        let used: HashSet<String> = ["busy".to_string()].into();
        let a = vol("web-data", &[("app", "web"), ("tier", "")]);
        let b = vol("busy", &[("app", "db")]);
        let m = |fs: &[&str], v: &Volume| f(fs).matches(v, &used);
        assert!(m(&[], &a));
        assert!(m(&["name=web"], &a) && !m(&["name=web"], &b));
        assert!(m(&["name=nope", "name=busy"], &b));
        assert!(m(&["label=app"], &a) && m(&["label=app=web"], &a));
        assert!(!m(&["label=app=db"], &a) && m(&["label=app=db"], &b));
        assert!(m(&["label=tier"], &a) && !m(&["label=app", "label=tier"], &b));
        assert!(m(&["label!=app=web"], &b) && !m(&["label!=app=web"], &a));
        assert!(m(&["dangling=true"], &a) && !m(&["dangling=true"], &b));
        assert!(m(&["dangling=false"], &b) && !m(&["dangling=0"], &a));
        assert!(m(&["driver=local", "name=web"], &a));
        for bad in ["size=1", "dangling=maybe", "name"] {
            let e = Filters::parse(&[bad.to_string()], &["name", "dangling"]);
            assert!(e.is_err(), "{bad}");
        }
    }

    #[test]
    fn inspect_has_dockers_keys_in_order() {
        let v = vol("data", &[("a", "1")]);
        let j = inspect_value(&v);
        let keys: Vec<&String> = j.as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            [
                "CreatedAt",
                "Driver",
                "Labels",
                "Mountpoint",
                "Name",
                "Options",
                "Scope"
            ]
        );
        assert_eq!(j["CreatedAt"], "2024-05-01T10:00:00Z");
        assert_eq!(j["Labels"]["a"], "1");
        assert_eq!(j["Options"], json!({}));
        assert_eq!(j["Scope"], "local");
        assert_eq!(ls_row(&v)["Labels"], "a=1");
    }

    #[test]
    fn key_value_flags() {
        let m = key_values("--label", &["a=1".into(), "b".into(), "c=x=y".into()]).unwrap();
        assert_eq!(m["a"], "1");
        assert_eq!(m["b"], "");
        assert_eq!(m["c"], "x=y");
        assert!(key_values("--opt", &["=v".into()]).is_err());
    }
}
