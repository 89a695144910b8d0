//! diff, commit, export, cp: a container's filesystem from the outside.
//!
//! A stopped container's filesystem is assembled here, in this command's own
//! mount namespace (rootless: inside the user namespace), so nothing shows
//! on the host and nothing is left mounted. A running one is reached through
//! `/proc/<init>/root` after joining its monitor's user namespace, so the
//! view is exactly the container's and writes land in its live overlay.
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, anyhow, bail};
use clap::Args;

use super::run::container_store;
use crate::cli::Ctx;
use crate::container::{Container, ContainerStore, Status, lifecycle};
use crate::storage::changes;
use crate::storage::driver::Driver;

#[derive(Args, Debug)]
pub struct DiffArgs {
    #[arg(value_name = "CONTAINER")]
    pub container: String,
}

#[derive(Args, Debug)]
pub struct CommitArgs {
    /// Apply a Dockerfile instruction to the new image's config
    #[arg(short, long, value_name = "INSTRUCTION")]
    pub change: Vec<String>,
    /// Commit message
    #[arg(short, long)]
    pub message: Option<String>,
    /// Author
    #[arg(short, long)]
    pub author: Option<String>,
    /// Pause the container while committing (accepted; containers without a freezer are not paused)
    #[arg(short, long, default_value_t = true, action = clap::ArgAction::Set, value_name = "BOOL")]
    pub pause: bool,
    /// Print only the image ID
    #[arg(short, long)]
    pub quiet: bool,
    #[arg(value_name = "CONTAINER")]
    pub container: String,
    #[arg(value_name = "IMAGE")]
    pub image: Option<String>,
}

#[derive(Args, Debug)]
pub struct ExportArgs {
    /// Write to a file instead of standard output
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[arg(value_name = "CONTAINER")]
    pub container: String,
}

#[derive(Args, Debug)]
pub struct CpArgs {
    /// Archive mode: keep the files' owners (default: owned by the destination's root)
    #[arg(short, long)]
    pub archive: bool,
    /// Follow symlinks in SRC_PATH
    #[arg(short = 'L', long)]
    pub follow_link: bool,
    #[arg(value_name = "SRC")]
    pub src: String,
    #[arg(value_name = "DEST")]
    pub dest: String,
}

/// `CONTAINER:PATH` (a leading `./` or `/` path is always local).
fn split_container_path(s: &str) -> Option<(&str, &str)> {
    if s.starts_with('/') || s.starts_with('.') {
        return None;
    }
    s.split_once(':').filter(|(c, _)| !c.is_empty())
}

/// The container a cp/export names, if it is running (then the command
/// joins its user namespace instead of making a new one). Called before
/// any thread starts.
pub fn running_target(ctx_paths: &crate::config::Paths, key: &str) -> Option<Container> {
    let store = ContainerStore::open(ctx_paths);
    let c = store.lookup(key).ok()?;
    let c = lifecycle::refresh(&store, c).ok()?;
    (c.state.status == Status::Running && c.state.pid > 0).then_some(c)
}

/// The container named by `cp` arguments.
pub fn cp_container(a: &CpArgs) -> Option<&str> {
    split_container_path(&a.src)
        .or_else(|| split_container_path(&a.dest))
        .map(|(c, _)| c)
}

/// Where the container's root can be read (and written) from here.
enum Root {
    /// `/proc/<pid>/root` of a running container.
    Live(PathBuf),
    /// Assembled in this command's mount namespace; dropped with it.
    Mounted(PathBuf),
}

impl Root {
    fn path(&self) -> &Path {
        match self {
            Root::Live(p) | Root::Mounted(p) => p,
        }
    }
}

fn driver_of(c: &Container) -> anyhow::Result<Driver> {
    Driver::from_name(&c.driver).map_err(|e| anyhow!("{e}"))
}

/// The container's root for `cp`: a running container's own view (its
/// volumes included, writes visible to it at once), else the layers
/// assembled here (read-write only for copying in).
fn open_root(store: &ContainerStore, c: &Container, writable: bool) -> anyhow::Result<Root> {
    let c = lifecycle::refresh(store, c.clone())?;
    if c.state.status == Status::Running && c.state.pid > 0 {
        return Ok(Root::Live(PathBuf::from(format!(
            "/proc/{}/root",
            c.state.pid
        ))));
    }
    if c.state.status.is_active() {
        bail!(
            "container {} is {}: try again when it is running or stopped",
            c.name,
            c.state.status.as_str()
        );
    }
    if !writable {
        return layers_view(store, &c).map(Root::Mounted);
    }
    crate::sys::process::unshare_mount_private()
        .context("a private mount namespace for the container's filesystem")?;
    // Nothing else has the overlay mounted: the container is stopped and
    // the caller holds its lock.
    let layout = store.layout(&c);
    crate::storage::rootfs::mount(driver_of(&c)?, &layout, crate::rootless::is_rootless())
        .map_err(|e| anyhow!("mounting the container's filesystem: {e}"))?;
    Ok(Root::Mounted(layout.merged.clone()))
}

/// A read-only view of the image layers plus the container's writable
/// layer, mounted in this command's own mount namespace. It never conflicts
/// with the container's own mount, so it serves running containers too
/// (without /proc, /sys or volumes, as `export` wants).
fn layers_view(store: &ContainerStore, c: &Container) -> anyhow::Result<PathBuf> {
    crate::sys::process::unshare_mount_private()
        .context("a private mount namespace for the container's filesystem")?;
    let target = store.dir(&c.id).join("view");
    std::fs::create_dir_all(&target).with_context(|| format!("creating {}", target.display()))?;
    crate::storage::rootfs::mount_readonly(
        driver_of(c)?,
        &store.layout(c),
        &target,
        crate::rootless::is_rootless(),
    )
    .map_err(|e| anyhow!("mounting the container's filesystem: {e}"))
}

pub fn diff(ctx: &Ctx, a: DiffArgs) -> anyhow::Result<u8> {
    let store = container_store(ctx);
    let c = store.lookup(&a.container)?;
    let list = changes::diff_container(
        driver_of(&c)?,
        &store.layout(&c),
        crate::rootless::is_rootless(),
    )
    .map_err(|e| anyhow!("{e}"))?;
    let list = hide_mountpoints(list, &c);
    let mut out = std::io::stdout().lock();
    for (kind, path) in list {
        writeln!(out, "{kind} {path}")?;
    }
    Ok(0)
}

/// Mountpoints the runtime created for the container's own mounts (Docker
/// keeps them in a hidden init layer) are not the user's changes: they are
/// left out, with any parent that is listed only because of them.
fn hide_mountpoints(
    list: Vec<(changes::ChangeKind, String)>,
    c: &Container,
) -> Vec<(changes::ChangeKind, String)> {
    let mut points: Vec<String> = [
        "/dev",
        "/proc",
        "/sys",
        "/etc/hosts",
        "/etc/hostname",
        "/etc/resolv.conf",
        crate::container::spec::INIT_PATH,
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    points.extend(c.mounts.iter().map(|m| m.destination.clone()));
    let hidden = |p: &str| {
        points.iter().any(|m| {
            p == m
                || p.strip_prefix(m.as_str())
                    .is_some_and(|r| r.starts_with('/'))
        })
    };
    let kept: Vec<_> = list
        .into_iter()
        .filter(|(k, p)| !(matches!(k, changes::ChangeKind::Added) && hidden(p)))
        .collect();
    kept.iter()
        .filter(|(k, p)| {
            !matches!(k, changes::ChangeKind::Changed)
                || !points.iter().any(|m| m.starts_with(&format!("{p}/")))
                || kept.iter().any(|(_, q)| q.starts_with(&format!("{p}/")))
        })
        .cloned()
        .collect()
}

pub fn commit(ctx: &Ctx, a: CommitArgs) -> anyhow::Result<u8> {
    use crate::image::archive::{CommitOptions, RunConfig};
    let store = container_store(ctx);
    let c = store.lookup(&a.container)?;
    let images = ctx.store()?;
    let base = images
        .images()?
        .into_iter()
        .find(|i| i.id.hex() == c.image_id)
        .with_context(|| {
            format!(
                "the image of container {} is no longer in the store",
                c.name
            )
        })?;
    let reference = a
        .image
        .as_deref()
        .map(crate::image::reference::Reference::parse)
        .transpose()?;
    let d = &c.image_defaults;
    let o = &c.options;
    let mut env = d.env.clone();
    for kv in &o.env {
        let key = kv.split('=').next().unwrap_or("");
        env.retain(|e| e.split('=').next() != Some(key));
        env.push(kv.clone());
    }
    let mut labels = d.labels.clone();
    labels.extend(c.labels.clone());
    let run = RunConfig {
        user: o
            .user
            .clone()
            .or_else(|| d.user.clone())
            .unwrap_or_default(),
        exposed_ports: d
            .exposed_ports
            .iter()
            .map(|p| (p.clone(), Default::default()))
            .collect(),
        env,
        entrypoint: o.entrypoint.clone().or_else(|| d.entrypoint.clone()),
        cmd: if o.command.is_empty() {
            if o.entrypoint.is_some() {
                None
            } else {
                d.cmd.clone()
            }
        } else {
            Some(o.command.clone())
        },
        volumes: d
            .volumes
            .iter()
            .map(|v| (v.clone(), Default::default()))
            .collect(),
        working_dir: o
            .workdir
            .clone()
            .or_else(|| d.working_dir.clone())
            .unwrap_or_default(),
        labels,
        stop_signal: o
            .stop_signal
            .clone()
            .or_else(|| d.stop_signal.clone())
            .unwrap_or_default(),
        on_build: Vec::new(),
    };
    let layout = store.layout(&c);
    let driver = driver_of(&c)?;
    let unpack = crate::cli::image::unpack_options(ctx, &images)?;
    let rootless = crate::rootless::is_rootless();
    let mut write_layer = |w: &mut dyn Write| -> Result<(), String> {
        changes::layer_tar_container(driver, &layout, rootless, w).map_err(|e| e.to_string())
    };
    let opts = CommitOptions {
        reference: reference.as_ref(),
        run,
        changes: &a.change,
        message: a.message.as_deref(),
        author: a.author.as_deref(),
        created_by: format!("/bin/sh -c #(nop) {}", c.command_line().join(" ")),
        unpack: &unpack,
    };
    let rec = crate::image::archive::commit(&images, &base, &mut write_layer, &opts)?;
    if a.quiet || ctx.flavor == crate::cli::Flavor::Skiff {
        println!("{}", rec.id.hex());
    } else {
        println!("{}", rec.id);
    }
    Ok(0)
}

pub fn export(ctx: &Ctx, a: ExportArgs) -> anyhow::Result<u8> {
    let store = container_store(ctx);
    let c = store.lookup(&a.container)?;
    if a.output.is_none() && std::io::IsTerminal::is_terminal(&std::io::stdout()) {
        bail!("refusing to write a tar archive to a terminal: use -o FILE or redirect the output");
    }
    let root = Root::Mounted(layers_view(&store, &c)?);
    let res = match &a.output {
        Some(p) => {
            let mut f = std::io::BufWriter::new(
                std::fs::File::create(p).with_context(|| format!("creating {}", p.display()))?,
            );
            changes::export_tar(root.path(), &mut f).map_err(|e| anyhow!("{e}"))?;
            f.flush()
                .with_context(|| format!("writing {}", p.display()))
        }
        None => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            changes::export_tar(root.path(), &mut out).map_err(|e| anyhow!("{e}"))?;
            out.flush().context("writing standard output")
        }
    };
    res?;
    Ok(0)
}

pub fn cp(ctx: &Ctx, a: CpArgs) -> anyhow::Result<u8> {
    let store = container_store(ctx);
    match (split_container_path(&a.src), split_container_path(&a.dest)) {
        (Some(_), Some(_)) => {
            bail!("copying between containers is not supported: copy to the host first")
        }
        (None, None) => bail!("one of SRC and DEST must be CONTAINER:PATH"),
        (Some((key, path)), None) => {
            let c = store.lookup(key)?;
            let _lock = store.lock(&c.id)?;
            let root = open_root(&store, &c, false)?;
            let opts = changes::CpOptions {
                archive: a.archive,
                follow_link: a.follow_link,
            };
            if a.dest == "-" {
                let mut out = std::io::BufWriter::new(std::io::stdout().lock());
                if a.follow_link {
                    changes::tar_from_root_following(root.path(), path, &mut out)
                } else {
                    changes::tar_from_root(root.path(), path, &mut out)
                }
                .map_err(|e| anyhow!("{e}"))?;
                out.flush()?;
            } else {
                changes::copy_out_of_root_with(root.path(), path, Path::new(&a.dest), opts)
                    .map_err(|e| anyhow!("{e}"))?;
            }
        }
        (None, Some((key, path))) => {
            let c = store.lookup(key)?;
            let _lock = store.lock(&c.id)?;
            let root = open_root(&store, &c, true)?;
            if a.src == "-" {
                let mut input = std::io::stdin().lock();
                changes::untar_into_root(root.path(), path, &mut input)
                    .map_err(|e| anyhow!("{e}"))?;
            } else {
                let opts = changes::CpOptions {
                    archive: a.archive,
                    follow_link: a.follow_link,
                };
                changes::copy_into_root_with(Path::new(&a.src), root.path(), path, opts)
                    .map_err(|e| anyhow!("{e}"))?;
            }
        }
    }
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn container_paths_split_like_docker() {
        assert_eq!(
            split_container_path("web:/etc/hosts"),
            Some(("web", "/etc/hosts"))
        );
        assert_eq!(split_container_path("/abs:path"), None);
        assert_eq!(split_container_path("./rel:x"), None);
        assert_eq!(split_container_path("-"), None);
        assert_eq!(split_container_path(":x"), None);
        assert_eq!(split_container_path("plain"), None);
    }
}
