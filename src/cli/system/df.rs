//! `system df`: what images, containers and volumes take on disk, and how
//! much of it a prune could free.
use std::collections::{HashMap, HashSet};

use clap::Args;
use serde_json::{Value, json};

use crate::cli::output::{self, Column, Format};
use crate::cli::{Ctx, Flavor, units};
use crate::container::{Container, ContainerStore, Status, lifecycle};
use crate::image::reference::Reference;
use crate::storage::Digest;

#[derive(Args, Debug)]
pub struct DfArgs {
    /// Show each image, container and volume
    #[arg(short, long)]
    pub verbose: bool,
    /// Output format: table, json, or a Go template
    #[arg(long)]
    pub format: Option<String>,
}

/// `NAME (PCT%)`, Docker's RECLAIMABLE cell.
fn reclaim(size: u64, total: u64) -> String {
    let pct = (size * 100).checked_div(total).unwrap_or(0);
    format!("{} ({pct}%)", units::human_size(size))
}

fn col(header: &'static str, field: &'static str) -> Column {
    Column { header, field }
}

pub fn df(ctx: &Ctx, a: DfArgs) -> anyhow::Result<u8> {
    let usage = Usage::gather(ctx)?;
    let format = Format::parse(a.format.as_deref());
    if !a.verbose {
        let columns = [
            col("TYPE", "Type"),
            col("TOTAL", "TotalCount"),
            col("ACTIVE", "Active"),
            col("SIZE", "Size"),
            col("RECLAIMABLE", "Reclaimable"),
        ];
        print!(
            "{}",
            output::render(&format, &columns, &[], &usage.summary())?
        );
        return Ok(0);
    }
    let (images, containers, volumes) = usage.details(ctx);
    match &format {
        Format::Table(None) => {
            let section = |title: &str, cols: &[Column], rows: &[Value]| -> anyhow::Result<()> {
                println!("{title} space usage:\n");
                println!("{}", output::render(&format, cols, &[], rows)?);
                Ok(())
            };
            section(
                "Images",
                &[
                    col("REPOSITORY", "Repository"),
                    col("TAG", "Tag"),
                    col("IMAGE ID", "ID"),
                    col("CREATED", "CreatedSince"),
                    col("SIZE", "Size"),
                    col("SHARED SIZE", "SharedSize"),
                    col("UNIQUE SIZE", "UniqueSize"),
                    col("CONTAINERS", "Containers"),
                ],
                &images,
            )?;
            section(
                "Containers",
                &[
                    col("CONTAINER ID", "ID"),
                    col("IMAGE", "Image"),
                    col("COMMAND", "Command"),
                    col("LOCAL VOLUMES", "LocalVolumes"),
                    col("SIZE", "Size"),
                    col("CREATED", "RunningFor"),
                    col("STATUS", "Status"),
                    col("NAMES", "Names"),
                ],
                &containers,
            )?;
            section(
                "Local Volumes",
                &[
                    col("VOLUME NAME", "Name"),
                    col("LINKS", "Links"),
                    col("SIZE", "Size"),
                ],
                &volumes,
            )?;
        }
        // One document: Docker's `{{.Images}}`, `{{.Containers}}`, `{{.Volumes}}`.
        _ => {
            let doc = json!({"Images": images, "Containers": containers, "Volumes": volumes});
            match &format {
                Format::Json => println!("{}", serde_json::to_string_pretty(&doc)?),
                Format::Template(t) | Format::Table(Some(t)) => {
                    println!("{}", output::render_template(t, &doc)?)
                }
                Format::Table(None) => unreachable!("handled above"),
            }
        }
    }
    Ok(0)
}

/// Everything `df` reports, read once.
struct Usage {
    images: Vec<crate::image::store::ImageRecord>,
    layer_sizes: HashMap<Digest, u64>,
    containers: Vec<(Container, u64)>,
    volumes: Vec<(crate::container::volumes::Volume, u64)>,
    /// Volume name -> how many containers mount it.
    links: HashMap<String, usize>,
}

impl Usage {
    fn gather(ctx: &Ctx) -> anyhow::Result<Usage> {
        let store = ctx.store()?;
        let images = store.images()?;
        let layer_sizes = images
            .iter()
            .flat_map(|i| i.layers.iter())
            .map(|l| (l.clone(), store.layer_size(l)))
            .collect();
        let cstore = ContainerStore::open(&ctx.paths);
        let containers = cstore
            .list()?
            .into_iter()
            .map(|c| {
                let c = lifecycle::refresh(&cstore, c)?;
                let size = crate::container::dir_size(&cstore.dir(&c.id).join("upper"));
                Ok((c, size))
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        let volumes = volume_usage(ctx)?;
        let mut links: HashMap<String, usize> = HashMap::new();
        for (c, _) in &containers {
            let names: HashSet<&String> = c
                .mounts
                .iter()
                .filter_map(|m| m.volume_name.as_ref())
                .collect();
            for n in names {
                *links.entry(n.clone()).or_default() += 1;
            }
        }
        // Records this version cannot read still protect their volumes.
        for n in crate::container::volumes_in_use(&ctx.paths) {
            links.entry(n).or_insert(1);
        }
        Ok(Usage {
            images,
            layer_sizes,
            containers,
            volumes,
            links,
        })
    }

    fn users_of(&self, img: &crate::image::store::ImageRecord) -> usize {
        self.containers
            .iter()
            .filter(|(c, _)| c.image_id == img.id.hex())
            .count()
    }

    /// Bytes of the distinct layers of `images`.
    fn layers_size<'a>(
        &self,
        images: impl Iterator<Item = &'a crate::image::store::ImageRecord>,
    ) -> u64 {
        let set: HashSet<&Digest> = images.flat_map(|i| i.layers.iter()).collect();
        set.into_iter()
            .map(|l| self.layer_sizes.get(l).copied().unwrap_or(0))
            .sum()
    }

    fn summary(&self) -> Vec<Value> {
        let used: Vec<_> = self
            .images
            .iter()
            .filter(|i| self.users_of(i) > 0)
            .collect();
        let img_size = self.layers_size(self.images.iter());
        let img_used = self.layers_size(used.iter().copied());
        let running = |c: &Container| matches!(c.state.status, Status::Running | Status::Paused);
        let ctr_size: u64 = self.containers.iter().map(|c| c.1).sum();
        let ctr_idle: u64 = self
            .containers
            .iter()
            .filter(|c| !running(&c.0))
            .map(|c| c.1)
            .sum();
        let vol_used = |n: &str| self.links.get(n).is_some_and(|&k| k > 0);
        let vol_size: u64 = self.volumes.iter().map(|v| v.1).sum();
        let vol_idle: u64 = self
            .volumes
            .iter()
            .filter(|v| !vol_used(&v.0.name))
            .map(|v| v.1)
            .sum();
        let row = |kind: &str, total: usize, active: usize, size: u64, free: u64| {
            json!({
                "Type": kind,
                "TotalCount": total,
                "Active": active,
                "Size": units::human_size(size),
                "Reclaimable": reclaim(free, size),
            })
        };
        vec![
            row(
                "Images",
                self.images.len(),
                used.len(),
                img_size,
                img_size - img_used,
            ),
            row(
                "Containers",
                self.containers.len(),
                self.containers.iter().filter(|c| running(&c.0)).count(),
                ctr_size,
                ctr_idle,
            ),
            row(
                "Local Volumes",
                self.volumes.len(),
                self.volumes.iter().filter(|v| vol_used(&v.0.name)).count(),
                vol_size,
                vol_idle,
            ),
        ]
    }

    /// `-v`: one row per image (per name), container and volume.
    fn details(&self, ctx: &Ctx) -> (Vec<Value>, Vec<Value>, Vec<Value>) {
        let now = chrono::Utc::now();
        // How many images stand on each layer: a layer under two is shared.
        let mut layer_users: HashMap<&Digest, usize> = HashMap::new();
        for i in &self.images {
            for l in i.layers.iter().collect::<HashSet<_>>() {
                *layer_users.entry(l).or_default() += 1;
            }
        }
        let mut images = Vec::new();
        for i in &self.images {
            let size = self.layers_size(std::iter::once(i));
            let shared: u64 = i
                .layers
                .iter()
                .collect::<HashSet<_>>()
                .into_iter()
                .filter(|l| layer_users.get(l).is_some_and(|&n| n > 1))
                .map(|l| self.layer_sizes.get(l).copied().unwrap_or(0))
                .sum();
            let names: Vec<Option<Reference>> = if i.names.is_empty() {
                vec![None]
            } else {
                i.names.iter().map(|n| Reference::parse(n).ok()).collect()
            };
            for r in names {
                let (repo, tag) = match &r {
                    Some(r) if ctx.flavor == Flavor::Docker => {
                        (r.familiar_name(), r.tag().unwrap_or("<none>").to_string())
                    }
                    Some(r) => (r.name(), r.tag().unwrap_or("<none>").to_string()),
                    None => ("<none>".into(), "<none>".into()),
                };
                images.push(json!({
                    "Repository": repo,
                    "Tag": tag,
                    "ID": i.id.hex()[..12].to_string(),
                    "CreatedSince": units::created_since(i.created.unwrap_or(i.added), now),
                    "Size": units::human_size(size),
                    "SharedSize": units::human_size(shared),
                    "UniqueSize": units::human_size(size - shared),
                    "Containers": self.users_of(i).to_string(),
                }));
            }
        }
        let containers = self
            .containers
            .iter()
            .map(|(c, size)| {
                let cmd = c.command_line().join(" ");
                let cmd = if cmd.chars().count() > 20 {
                    format!("{}…", cmd.chars().take(19).collect::<String>())
                } else {
                    cmd
                };
                json!({
                    "ID": c.short_id(),
                    "Image": c.image,
                    "Command": format!("\"{cmd}\""),
                    "LocalVolumes": c.mounts.iter().filter(|m| m.volume_name.is_some()).count().to_string(),
                    "Size": units::human_size(*size),
                    "RunningFor": units::created_since(c.created, now),
                    "Status": crate::cli::container::status_text(c, now),
                    "Names": c.name,
                })
            })
            .collect();
        let volumes = self
            .volumes
            .iter()
            .map(|(v, size)| {
                json!({
                    "Name": v.name,
                    "Links": self.links.get(&v.name).copied().unwrap_or(0).to_string(),
                    "Size": units::human_size(*size),
                })
            })
            .collect();
        (images, containers, volumes)
    }
}

/// Every volume with the bytes under its mountpoint.
fn volume_usage(ctx: &Ctx) -> anyhow::Result<Vec<(crate::container::volumes::Volume, u64)>> {
    let vols = crate::container::volumes::VolumeStore::open(&ctx.paths.data)?.list()?;
    Ok(vols
        .into_iter()
        .map(|v| {
            let size = crate::container::dir_size(&v.mountpoint);
            (v, size)
        })
        .collect())
}
