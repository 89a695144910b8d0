//! `system df`, `system info`, `system prune`, `system check`.
use std::collections::HashSet;
use std::io::IsTerminal;

use clap::{Args, Subcommand};
use serde_json::{Value, json};

use crate::cli::output::{self, Column, Format};
use crate::cli::{Ctx, units};
use crate::container::{Container, ContainerStore, Status, lifecycle};

#[derive(Subcommand, Debug)]
pub enum SystemCommand {
    /// Show disk usage of images, containers and volumes
    Df(DfArgs),
    /// Display system-wide information
    Info(InfoArgs),
    /// Remove stopped containers, unused images and (with --volumes) volumes
    Prune(PruneArgs),
    /// Check the store for problems, and repair them with --repair
    Check(CheckArgs),
}

#[derive(Args, Debug)]
pub struct DfArgs {
    /// Output format: table, json, or a Go template
    #[arg(long)]
    pub format: Option<String>,
}

#[derive(Args, Debug)]
pub struct InfoArgs {
    /// Output format: json or a Go template
    #[arg(short, long)]
    pub format: Option<String>,
}

#[derive(Args, Debug)]
pub struct PruneArgs {
    /// Remove all unused images, not only dangling ones
    #[arg(short, long)]
    pub all: bool,
    /// Do not prompt for confirmation
    #[arg(short, long)]
    pub force: bool,
    /// Prune volumes too
    #[arg(long)]
    pub volumes: bool,
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// Fix what can be fixed
    #[arg(short, long)]
    pub repair: bool,
}

/// Commands that delete files a container may own under subordinate ids.
pub fn needs_userns(cmd: &SystemCommand) -> bool {
    matches!(cmd, SystemCommand::Prune(_) | SystemCommand::Check(_))
}

pub fn run(ctx: &Ctx, cmd: SystemCommand) -> anyhow::Result<u8> {
    match cmd {
        SystemCommand::Df(a) => df(ctx, a),
        SystemCommand::Info(a) => info(ctx, a),
        SystemCommand::Prune(a) => prune(ctx, a),
        SystemCommand::Check(a) => check(ctx, a),
    }
}

fn containers(ctx: &Ctx) -> anyhow::Result<(ContainerStore, Vec<Container>)> {
    let store = ContainerStore::open(&ctx.paths);
    let list = store
        .list()?
        .into_iter()
        .map(|c| lifecycle::refresh(&store, c))
        .collect::<Result<_, _>>()?;
    Ok((store, list))
}

fn reclaim(size: u64, total: u64) -> String {
    let pct = (size * 100).checked_div(total).unwrap_or(0);
    format!("{} ({pct}%)", units::human_size(size))
}

fn df(ctx: &Ctx, a: DfArgs) -> anyhow::Result<u8> {
    let images = ctx.store()?.images()?;
    let (store, cs) = containers(ctx)?;
    let used: HashSet<&str> = cs.iter().map(|c| c.image_id.as_str()).collect();
    let img_size: u64 = images.iter().map(|i| i.size).sum();
    let img_unused: u64 = images
        .iter()
        .filter(|i| !used.contains(i.id.hex()))
        .map(|i| i.size)
        .sum();
    let sizes: Vec<(bool, u64)> = cs
        .iter()
        .map(|c| {
            (
                c.state.status.is_active(),
                crate::container::dir_size(&store.dir(&c.id).join("upper")),
            )
        })
        .collect();
    let ctr_size: u64 = sizes.iter().map(|s| s.1).sum();
    let ctr_idle: u64 = sizes.iter().filter(|s| !s.0).map(|s| s.1).sum();
    let vols = crate::container::volumes::VolumeStore::open(&ctx.paths.data)?.list()?;
    let in_use = crate::container::volumes_in_use(&ctx.paths);
    let vol_sizes: Vec<(bool, u64)> = vols
        .iter()
        .map(|v| {
            (
                in_use.contains(&v.name),
                crate::container::dir_size(&v.mountpoint),
            )
        })
        .collect();
    let vol_size: u64 = vol_sizes.iter().map(|s| s.1).sum();
    let vol_idle: u64 = vol_sizes.iter().filter(|s| !s.0).map(|s| s.1).sum();
    let rows = vec![
        json!({"Type": "Images", "TotalCount": images.len(), "Active": used.iter().filter(|u| images.iter().any(|i| i.id.hex() == **u)).count(), "Size": units::human_size(img_size), "Reclaimable": reclaim(img_unused, img_size)}),
        json!({"Type": "Containers", "TotalCount": cs.len(), "Active": sizes.iter().filter(|s| s.0).count(), "Size": units::human_size(ctr_size), "Reclaimable": reclaim(ctr_idle, ctr_size)}),
        json!({"Type": "Local Volumes", "TotalCount": vols.len(), "Active": vol_sizes.iter().filter(|s| s.0).count(), "Size": units::human_size(vol_size), "Reclaimable": reclaim(vol_idle, vol_size)}),
    ];
    let columns = [
        Column {
            header: "TYPE",
            field: "Type",
        },
        Column {
            header: "TOTAL",
            field: "TotalCount",
        },
        Column {
            header: "ACTIVE",
            field: "Active",
        },
        Column {
            header: "SIZE",
            field: "Size",
        },
        Column {
            header: "RECLAIMABLE",
            field: "Reclaimable",
        },
    ];
    print!(
        "{}",
        output::render(&Format::parse(a.format.as_deref()), &columns, &[], &rows)?
    );
    Ok(0)
}

fn info_value(ctx: &Ctx) -> anyhow::Result<Value> {
    let (_, cs) = containers(ctx)?;
    let count = |s: Status| cs.iter().filter(|c| c.state.status == s).count();
    let images = ctx.store()?.images()?.len();
    let uts = rustix::system::uname();
    let storage = ctx.paths.storage();
    let rootless = crate::rootless::is_rootless();
    let driver = crate::storage::driver::probe(&storage, rootless);
    let maps = |path: &str| -> Vec<Value> {
        std::fs::read_to_string(path)
            .ok()
            .and_then(|t| crate::rootless::subid::parse_proc_map(&t).ok())
            .unwrap_or_default()
            .iter()
            .map(|m| json!({"container_id": m.container_id, "host_id": m.host_id, "size": m.size}))
            .collect()
    };
    let cgroup = if std::path::Path::new("/sys/fs/cgroup/cgroup.controllers").exists() {
        "v2"
    } else if std::path::Path::new("/sys/fs/cgroup/unified").exists() {
        "hybrid"
    } else {
        "v1"
    };
    let mem_total = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .find_map(|l| l.strip_prefix("MemTotal:"))
                .and_then(|v| v.split_whitespace().next()?.parse::<u64>().ok())
        })
        .unwrap_or(0)
        * 1024;
    Ok(json!({
        "host": {
            "arch": crate::image::manifest::Platform::host().architecture,
            "os": "linux",
            "kernel": uts.release().to_string_lossy(),
            "hostname": uts.nodename().to_string_lossy(),
            "cgroupVersion": cgroup,
            "cgroupManager": "cgroupfs",
            "rootless": rootless,
            "cpus": std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
            "memTotal": mem_total,
            "ociRuntime": {"name": "skiff (built in)", "version": env!("CARGO_PKG_VERSION")},
            "idMappings": {"uidmap": maps("/proc/self/uid_map"), "gidmap": maps("/proc/self/gid_map")},
            "networkBackend": if rootless { "slirp4netns" } else { "none" },
        },
        "store": {
            "graphRoot": storage,
            "runRoot": ctx.paths.runtime,
            "graphDriverName": driver.name(),
            "volumePath": ctx.paths.data.join("volumes"),
            "containerStore": {
                "number": cs.len(),
                "running": count(Status::Running),
                "paused": count(Status::Paused),
                "stopped": cs.len() - count(Status::Running) - count(Status::Paused),
            },
            "imageStore": {"number": images},
        },
        "version": {"Version": env!("CARGO_PKG_VERSION"), "OsArch": format!("linux/{}", crate::image::manifest::Platform::host().architecture)},
    }))
}

fn info(ctx: &Ctx, a: InfoArgs) -> anyhow::Result<u8> {
    let v = info_value(ctx)?;
    match a.format.as_deref() {
        Some("json") => println!("{}", serde_json::to_string_pretty(&v)?),
        Some(t) if !t.is_empty() => println!("{}", output::render_template(t, &v)?),
        _ => print!("{}", yamlish(&v, 0)),
    }
    Ok(0)
}

/// `podman info`'s YAML-like human form.
fn yamlish(v: &Value, indent: usize) -> String {
    let pad = "  ".repeat(indent);
    let mut out = String::new();
    match v {
        Value::Object(m) => {
            for (k, v) in m {
                match v {
                    Value::Object(_) => {
                        out.push_str(&format!("{pad}{k}:\n{}", yamlish(v, indent + 1)))
                    }
                    Value::Array(a) if !a.is_empty() => {
                        out.push_str(&format!("{pad}{k}:\n"));
                        for item in a {
                            let inner = yamlish(item, indent + 2);
                            out.push_str(&format!(
                                "{pad}  - {}\n",
                                inner
                                    .trim_start()
                                    .replace('\n', &format!("\n{pad}    "))
                                    .trim_end()
                            ));
                        }
                    }
                    _ => out.push_str(&format!("{pad}{k}: {}\n", scalar(v))),
                }
            }
        }
        other => out.push_str(&format!("{pad}{}\n", scalar(other))),
    }
    out
}

fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Array(_) => "[]".into(),
        other => other.to_string(),
    }
}

fn prune(ctx: &Ctx, a: PruneArgs) -> anyhow::Result<u8> {
    if !a.force && std::io::stdin().is_terminal() {
        eprint!(
            "WARNING! This will remove:\n  - all stopped containers\n  - all {}images not used by a container\n{}Are you sure you want to continue? [y/N] ",
            if a.all { "" } else { "dangling " },
            if a.volumes {
                "  - all volumes not used by a container\n"
            } else {
                ""
            }
        );
        let mut line = String::new();
        std::io::stdin().read_line(&mut line)?;
        if !matches!(line.trim(), "y" | "Y" | "yes") {
            return Ok(0);
        }
    }
    crate::cli::container::prune(
        ctx,
        crate::cli::container::PruneArgs {
            force: true,
            filter: Vec::new(),
        },
    )?;
    println!("Deleted Images:");
    crate::cli::image::prune(
        ctx,
        crate::cli::image::PruneArgs {
            all: a.all,
            force: true,
        },
    )?;
    if a.volumes {
        crate::cli::volume::run(
            ctx,
            crate::cli::volume::VolumeCommand::Prune(crate::cli::volume::PruneArgs {
                force: true,
                all: true,
                filter: Vec::new(),
            }),
        )?;
    }
    Ok(0)
}

/// One problem `check` found, and whether `--repair` fixed it.
struct Finding {
    what: String,
    repaired: bool,
}

fn check(ctx: &Ctx, a: CheckArgs) -> anyhow::Result<u8> {
    let mut found: Vec<Finding> = Vec::new();
    let mut note = |what: String, repair: &mut dyn FnMut() -> anyhow::Result<()>| {
        let repaired = a.repair && repair().is_ok();
        found.push(Finding { what, repaired });
    };
    let store = ContainerStore::open(&ctx.paths);
    // Creates write their dir and record under the names lock: holding it,
    // a dir without a record is a create that was killed half-way.
    let _names = store.names_lock()?;
    let mut ids: HashSet<String> = HashSet::new();
    if let Ok(rd) = std::fs::read_dir(store.root()) {
        for e in rd.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if name.len() != 64 {
                continue;
            }
            if e.path()
                .join(crate::container::record::RECORD_FILE)
                .exists()
            {
                ids.insert(name);
                continue;
            }
            let dir = e.path();
            note(
                format!(
                    "container dir {} has no record (an interrupted create)",
                    dir.display()
                ),
                &mut || Ok(crate::sys::fs::remove_tree(&dir)?),
            );
        }
    }
    for c in store.list()? {
        if c.state.status.is_active() && !lifecycle::monitor_alive(&c.state) {
            let st = store.clone();
            let cc = c.clone();
            note(
                format!(
                    "container {} is recorded {} but its monitor is gone",
                    c.name,
                    c.state.status.as_str()
                ),
                &mut || Ok(lifecycle::refresh(&st, cc.clone()).map(|_| ())?),
            );
        }
        for l in &c.lowers {
            if !l.is_dir() {
                let (paths, st, cc) = (ctx.paths.clone(), store.clone(), c.clone());
                note(
                    format!(
                        "container {} is missing its image layer {}",
                        c.name,
                        l.display()
                    ),
                    &mut || Ok(lifecycle::remove(&paths, &st, &cc, true, false)?),
                );
                break;
            }
        }
    }
    // Runtime state nobody owns: sockets of removed containers, runtime
    // records of containers that are not running.
    let live: HashSet<String> = store
        .list()?
        .into_iter()
        .filter(|c| c.state.status.is_active())
        .map(|c| c.id)
        .collect();
    if let Ok(rd) = std::fs::read_dir(ctx.paths.runtime.join("c")) {
        for e in rd.flatten() {
            let short = e.file_name().to_string_lossy().into_owned();
            if !ids.iter().any(|id| id.starts_with(&short)) {
                let p = e.path();
                note(
                    format!("runtime dir {} belongs to no container", p.display()),
                    &mut || Ok(crate::sys::fs::remove_tree(&p)?),
                );
            }
        }
    }
    let rt = crate::container::monitor::runtime_for(&ctx.paths);
    if let Ok(states) = rt.list() {
        for s in states {
            if !live.contains(&s.id) {
                let id = s.id.clone();
                note(
                    format!(
                        "runtime state of {} outlived its container",
                        &s.id[..12.min(s.id.len())]
                    ),
                    &mut || Ok(rt.delete(&id, true)?),
                );
            }
        }
    }
    // Images whose layers or blobs are gone.
    let images = ctx.store()?;
    for img in images.images()? {
        let missing_layer = img
            .layers
            .iter()
            .find(|l| !images.layers.diff_dir(l).is_dir());
        let missing_blob = [&img.id, &img.manifest]
            .into_iter()
            .find(|d| !images.blobs.contains(d));
        let what = match (missing_layer, missing_blob) {
            (Some(l), _) => format!(
                "image {} is missing its layer {}",
                img.id.short(),
                l.short()
            ),
            (None, Some(b)) => {
                format!("image {} is missing its blob {}", img.id.short(), b.short())
            }
            _ => continue,
        };
        let (st, id) = (images.clone(), img.id.to_string());
        note(what, &mut || {
            let _gc = st.gc_exclusive()?;
            crate::image::store::remove(&st, &id, &[], true)?;
            Ok(())
        });
    }
    // Interrupted pulls and loads: staging dirs and ingest files nobody holds.
    if a.repair {
        let _gc = images.gc_exclusive()?;
        images.layers.clean_staging()?;
        images.blobs.clean_ingest()?;
    }
    if found.is_empty() {
        println!("No problems found");
        return Ok(0);
    }
    for f in &found {
        println!("{}{}", f.what, if f.repaired { ": repaired" } else { "" });
    }
    if found.iter().all(|f| f.repaired) {
        Ok(0)
    } else {
        if !a.repair {
            eprintln!(
                "Error: {} problem(s) found: run `skiff system check --repair` to fix them",
                found.len()
            );
        } else {
            eprintln!("Error: some problems could not be repaired");
        }
        Ok(crate::cli::EXIT_ENGINE)
    }
}
