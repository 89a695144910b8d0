//! `system prune`: stopped containers, then dangling (or, with -a, unused)
//! images, then with --volumes unused anonymous volumes, through the same
//! code as `container prune`, `image prune` and `volume prune`.
use anyhow::bail;
use clap::Args;

use crate::cli::{Ctx, units};

#[derive(Args, Debug)]
pub struct PruneArgs {
    /// Remove all unused images, not only dangling ones
    #[arg(short, long)]
    pub all: bool,
    /// Do not prompt for confirmation
    #[arg(short, long)]
    pub force: bool,
    /// Prune anonymous volumes no container uses too
    #[arg(long)]
    pub volumes: bool,
    /// Only what matches: until=TIME, label=KEY[=VALUE], label!=KEY[=VALUE]
    #[arg(long, value_name = "FILTER")]
    pub filter: Vec<String>,
}

pub fn prune(ctx: &Ctx, a: PruneArgs) -> anyhow::Result<u8> {
    for f in &a.filter {
        match f.split_once('=').map(|(k, _)| k) {
            Some("until") if a.volumes => {
                bail!("invalid filter {f:?}: until is not supported with --volumes")
            }
            Some("until" | "label" | "label!") => {}
            _ => bail!(
                "invalid filter {f:?}: system prune supports until=TIME, label=KEY[=VALUE] and label!=KEY[=VALUE]"
            ),
        }
    }
    let warning = format!(
        "WARNING! This will remove:\n  - all stopped containers\n{}  - {}\n",
        if a.volumes {
            "  - all anonymous volumes not used by at least one container\n"
        } else {
            ""
        },
        if a.all {
            "all images without at least one container associated to them"
        } else {
            "all dangling images"
        },
    );
    if !a.force && !super::confirm(&warning)? {
        return Ok(0);
    }
    let mut total = 0u64;
    let mut header = Section::new("Deleted Containers:");
    let containers = crate::cli::container::prune_containers(ctx, &a.filter, &mut |id| {
        header.item(id);
    })?;
    header.end();
    total += containers.iter().map(|c| c.1).sum::<u64>();

    let mut header = Section::new("Deleted Images:");
    total += crate::cli::image::prune_images(ctx, a.all, &a.filter, &mut |r| {
        for n in &r.untagged {
            header.item(&format!("untagged: {n}"));
        }
        if let Some(d) = &r.deleted {
            header.item(&format!("deleted: {d}"));
        }
    })?;
    header.end();

    if a.volumes {
        let mut header = Section::new("Deleted Volumes:");
        let removed = crate::cli::volume::prune_volumes(ctx, false, &a.filter)?;
        for (name, size) in &removed {
            header.item(name);
            total += size;
        }
        header.end();
    }
    println!("Total reclaimed space: {}", units::human_size(total));
    Ok(0)
}

/// A titled list printed as it grows: the title before the first item, a
/// blank line after the last; nothing at all when empty (Docker's shape).
struct Section {
    title: &'static str,
    started: bool,
}

impl Section {
    fn new(title: &'static str) -> Section {
        Section {
            title,
            started: false,
        }
    }

    fn item(&mut self, line: &str) {
        if !self.started {
            println!("{}", self.title);
            self.started = true;
        }
        println!("{line}");
    }

    fn end(self) {
        if self.started {
            println!();
        }
    }
}
