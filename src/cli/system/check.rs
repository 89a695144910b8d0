//! `system check`: finds what crashed or killed commands left behind, and
//! with `--repair` puts it right. One line per problem; exit 0 when the
//! store is clean (or every problem was repaired), 125 otherwise.
//!
//! Work in progress is told from leftovers by the locks the live commands
//! hold: the names lock (create), a container's lock (start, stop, rm),
//! staging-dir and ingest-file locks (pull, load, import), and the store's
//! gc lock (anything adding images).
use std::collections::{HashMap, HashSet};
use std::fmt::Display;
use std::path::Path;

use clap::Args;

use crate::cli::{Ctx, EXIT_ENGINE, error_line};
use crate::container::record::RECORD_FILE;
use crate::container::{Container, ContainerError, ContainerStore, lifecycle};
use crate::image::store::Store;
use crate::storage::Digest;

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// Fix what can be fixed
    #[arg(short, long)]
    pub repair: bool,
    /// Skip rehashing every blob (the slow part)
    #[arg(short, long)]
    pub quick: bool,
}

/// Counts problems and prints each as it is found (and repaired).
struct Report {
    repair: bool,
    found: usize,
    left: usize,
}

impl Report {
    fn problem(&mut self, what: impl Display, fix: impl FnOnce() -> anyhow::Result<()>) {
        self.found += 1;
        if !self.repair {
            println!("{what}");
            self.left += 1;
            return;
        }
        match fix() {
            Ok(()) => println!("{what}: repaired"),
            Err(e) => {
                println!("{what}: not repaired: {}", error_line(&e));
                self.left += 1;
            }
        }
    }
}

pub fn check(ctx: &Ctx, a: CheckArgs) -> anyhow::Result<u8> {
    let mut r = Report {
        repair: a.repair,
        found: 0,
        left: 0,
    };
    let store = ContainerStore::open(&ctx.paths);
    let containers = container_dirs(&store, &mut r)?;
    container_records(ctx, &store, containers, &mut r);
    runtime_leftovers(ctx, &store, &mut r)?;
    let images = ctx.store()?;
    let _gc = match images.try_gc_exclusive()? {
        Some(l) => l,
        None => {
            eprintln!("waiting for a pull, load or import to finish...");
            images.gc_exclusive()?
        }
    };
    let mut removed_images = image_records(&images, &mut r)?;
    storage_leftovers(&images, &mut r)?;
    if !a.quick {
        removed_images |= blob_contents(&images, &mut r)?;
    }
    if removed_images {
        // What only the removed images used is garbage now.
        let users = crate::cli::image::ContainerUsers::load(ctx)?;
        images.gc_keeping(&users.layers)?;
    }
    if r.found == 0 {
        println!("No problems found");
        return Ok(0);
    }
    if r.left == 0 {
        return Ok(0);
    }
    if a.repair {
        eprintln!("Error: {} problem(s) could not be repaired", r.left);
    } else {
        eprintln!(
            "Error: {} problem(s) found: run `skiff system check --repair` to fix them",
            r.left
        );
    }
    Ok(EXIT_ENGINE)
}

/// Loads every container dir. A dir without a record is a create killed
/// half-way (the record is written last, under the names lock, which we
/// hold) or a removal killed half-way (the record goes first); one whose
/// record cannot be read hides every container from `ps`. Both are removed.
fn container_dirs(store: &ContainerStore, r: &mut Report) -> anyhow::Result<Vec<Container>> {
    let _names = store.names_lock()?;
    let mut out = Vec::new();
    let rd = match std::fs::read_dir(store.root()) {
        Ok(rd) => rd,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out),
        Err(e) => return Err(ContainerError::io(store.root(), e).into()),
    };
    for e in rd.flatten() {
        let id = e.file_name().to_string_lossy().into_owned();
        if id.len() != 64 || !id.bytes().all(|b| b.is_ascii_hexdigit()) || !e.path().is_dir() {
            continue;
        }
        let why = match Container::load(&e.path()) {
            Ok(c) => {
                out.push(c);
                continue;
            }
            Err(ContainerError::Io { source, .. })
                if source.kind() == std::io::ErrorKind::NotFound =>
            {
                format!("has no {RECORD_FILE} (an interrupted create or removal)")
            }
            Err(err) => format!("has an unreadable record ({err})"),
        };
        // A removal in progress holds the container's lock.
        let Some(_lock) = store.try_lock(&id)? else {
            continue;
        };
        let dir = e.path();
        r.problem(
            format_args!("container dir {} {why}", dir.display()),
            || {
                let _ = crate::sys::fs::remove_tree(&store.run_dir(&id));
                Ok(crate::sys::fs::remove_tree(&dir)?)
            },
        );
    }
    Ok(out)
}

/// Records that say running with their monitor gone, and containers whose
/// image layers are missing (they can never start again).
fn container_records(ctx: &Ctx, store: &ContainerStore, cs: Vec<Container>, r: &mut Report) {
    for c in cs {
        let mut c = c;
        if c.state.status.is_active() && !lifecycle::monitor_alive(&c.state) {
            let what = format!(
                "container {} ({}) is recorded {} but its monitor is gone",
                c.name,
                c.short_id(),
                c.state.status.as_str()
            );
            r.problem(what, || {
                c = lifecycle::refresh(store, c.clone())?;
                Ok(())
            });
        }
        if let Some(l) = c.lowers.iter().find(|l| !l.is_dir()) {
            let what = format!(
                "container {} ({}) is missing its image layer {}",
                c.name,
                c.short_id(),
                l.display()
            );
            r.problem(what, || {
                Ok(lifecycle::remove(&ctx.paths, store, &c, true, false)?)
            });
        }
    }
}

/// The monitors' socket dirs (`<runtime>/c/<id12>`) and the runtime's state
/// (`<runtime>/runtime/<id>`) of containers that are gone or stopped.
fn runtime_leftovers(ctx: &Ctx, store: &ContainerStore, r: &mut Report) -> anyhow::Result<()> {
    // As they stand after the repairs above.
    let containers: HashMap<String, Container> = store
        .list()
        .unwrap_or_default()
        .into_iter()
        .map(|c| (c.id.clone(), c))
        .collect();
    // A stopped container whose monitor is alive is finishing its exit; one
    // whose lock is held is being started or removed.
    let settled = |c: &Container| -> anyhow::Result<bool> {
        Ok(!c.state.status.is_active()
            && !lifecycle::monitor_alive(&c.state)
            && store.try_lock(&c.id)?.is_some())
    };
    let entries = |dir: &Path| -> Vec<(String, std::path::PathBuf)> {
        let mut v: Vec<_> = std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
            .collect();
        v.sort();
        v
    };
    for (short, path) in entries(&ctx.paths.runtime.join("c")) {
        let owner = containers.values().find(|c| c.id.starts_with(&short));
        let what = match owner {
            None => format!("runtime dir {} belongs to no container", path.display()),
            Some(c) if settled(c)? => format!(
                "runtime dir {} of stopped container {} was left behind",
                path.display(),
                c.name
            ),
            Some(_) => continue,
        };
        r.problem(what, || Ok(crate::sys::fs::remove_tree(&path)?));
    }
    let rt = crate::container::monitor::runtime_for(&ctx.paths);
    for (id, path) in entries(&ctx.paths.runtime.join("runtime")) {
        if !path.is_dir() {
            continue;
        }
        let what = match containers.get(&id) {
            None => format!(
                "runtime state {} belongs to no container",
                &id[..12.min(id.len())]
            ),
            Some(c) if settled(c)? => format!(
                "runtime state of stopped container {} was left behind",
                c.name
            ),
            Some(_) => continue,
        };
        r.problem(what, || {
            // Kills a process the dead monitor left running, too.
            if rt.delete(&id, true).is_err() {
                crate::sys::fs::remove_tree(&path)?;
            }
            Ok(())
        });
    }
    Ok(())
}

/// Image records whose layers, config or manifest are missing: such an
/// image cannot run, be saved or pushed. Repair removes the record.
fn image_records(images: &Store, r: &mut Report) -> anyhow::Result<bool> {
    let mut removed = false;
    for img in images.images()? {
        let missing_layer = img
            .layers
            .iter()
            .find(|l| !images.layers.diff_dir(l).is_dir());
        let missing_blob = [(&img.id, "config"), (&img.manifest, "manifest")]
            .into_iter()
            .find(|(d, _)| !images.blobs.contains(d));
        let what = match (missing_layer, missing_blob) {
            (Some(l), _) => format!(
                "image {} is missing its layer {}",
                img.id.short(),
                l.short()
            ),
            (None, Some((b, kind))) => format!(
                "image {} is missing its {kind} {}",
                img.id.short(),
                b.short()
            ),
            _ => continue,
        };
        r.problem(what, || {
            crate::image::store::remove(images, &img.id.to_string(), &[], true)?;
            removed = true;
            Ok(())
        });
    }
    Ok(removed)
}

/// Staging dirs and ingest files of pulls, loads and removals that were
/// killed. The caller holds the gc lock: no pull is adding content.
fn storage_leftovers(images: &Store, r: &mut Report) -> anyhow::Result<()> {
    for p in images.layers.leftovers()? {
        r.problem(
            format_args!(
                "unfinished layer {} (an interrupted pull or removal)",
                p.display()
            ),
            || Ok(crate::sys::fs::remove_tree(&p)?),
        );
    }
    for p in images.blobs.stale_ingest()? {
        r.problem(
            format_args!("unfinished download {} (an interrupted pull)", p.display()),
            || Ok(std::fs::remove_file(&p)?),
        );
    }
    Ok(())
}

/// Rehashes every blob. A blob whose content changed is deleted with every
/// image that needs it (its config, its manifest, or one of its layers).
fn blob_contents(images: &Store, r: &mut Report) -> anyhow::Result<bool> {
    let records = images.images()?;
    let needs: Vec<(String, HashSet<Digest>)> = records
        .iter()
        .map(|i| {
            let mut set = HashSet::from([i.id.clone(), i.manifest.clone()]);
            if let Ok(m) = images.manifest_bytes(i)
                && let Ok(m) = serde_json::from_slice::<crate::image::manifest::ImageManifest>(&m)
            {
                set.extend(m.layers.into_iter().map(|l| l.digest));
            }
            (i.id.to_string(), set)
        })
        .collect();
    let mut removed = false;
    for d in images.blobs.list()? {
        let what = match images.blobs.verify(&d) {
            Ok(None) => continue,
            Ok(Some(actual)) => format!("blob {d} is corrupt: its content hashes to {actual}"),
            Err(e) => format!("blob {d} cannot be read: {e}"),
        };
        r.problem(what, || {
            for (id, _) in needs.iter().filter(|(_, set)| set.contains(&d)) {
                match crate::image::store::remove(images, id, &[], true) {
                    Ok(_) => removed = true,
                    // Already gone (a missing layer above, or an earlier blob).
                    Err(crate::image::ImageError::NotFound(_)) => {}
                    Err(e) => return Err(e.into()),
                }
            }
            images.blobs.remove(&d)?;
            Ok(())
        });
    }
    Ok(removed)
}
