//! create, run, start, attach.
use std::io::IsTerminal;

use anyhow::{Context as _, bail};

use super::relay::{self, Ended, RelayOptions};
use super::{AttachArgs, CreateArgs, RunArgs, StartArgs, flags::CreateFlags};
use crate::cli::Ctx;
use crate::container::lifecycle::{self, AttachFlags, CreateRequest, StartError};
use crate::container::{Container, ContainerStore};
use crate::image::ImageError;

/// The exit code a failed start maps to (Docker: 125, 126, 127).
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct CommandFailed {
    pub message: String,
    pub code: u8,
}

impl From<StartError> for CommandFailed {
    fn from(e: StartError) -> Self {
        CommandFailed {
            message: e.message,
            code: u8::try_from(e.exit_code).unwrap_or(125),
        }
    }
}

pub fn container_store(ctx: &Ctx) -> ContainerStore {
    ContainerStore::open(&ctx.paths)
}

/// Finds the image (pulling it as the policy says) and creates the container.
fn create_container(ctx: &Ctx, f: &CreateFlags) -> anyhow::Result<Container> {
    let mut options = f.spec_options()?;
    // Held until the record exists: the pod cannot be removed meanwhile.
    let pod = match &f.pod {
        Some(key) => Some(crate::container::pod::join(&ctx.paths, key, &mut options)?),
        None => None,
    };
    let restart = f.restart_policy()?;
    let store = ctx.store()?;
    let search = crate::config::registries::RegistriesConfig::load(&ctx.paths)
        .map(|r| r.search_registries().to_vec())
        .unwrap_or_default();
    use crate::container::spec::PullPolicy;
    let name = f.image();
    let image = match (f.pull_policy(), store.resolve(name, &search)) {
        (PullPolicy::Always | PullPolicy::Newer, _)
        | (PullPolicy::Missing, Err(ImageError::NotFound(_))) => {
            crate::cli::image::pull_for_container(ctx, name)?
        }
        (PullPolicy::Never, Err(ImageError::NotFound(_))) => {
            bail!("image {name:?} is not in local storage and --pull=never forbids pulling it")
        }
        (_, r) => r?,
    };
    let config = store.config_json(&image)?;
    let driver = crate::storage::driver::select(
        &store.root,
        crate::rootless::is_rootless(),
        ctx.storage_driver.as_deref(),
    )?;
    if options.has_resource_limits()
        && crate::rootless::is_rootless()
        && !lifecycle::cgroups_delegated()
    {
        eprintln!(
            "warning: resource limits are ignored: rootless containers need a delegated cgroup v2 tree (systemd user delegation), which this host lacks"
        );
    }
    let labels = f.labels()?;
    let req = CreateRequest {
        name: f.name.clone(),
        image_ref: name.to_string(),
        image,
        image_config: config,
        options,
        labels,
        restart,
        auto_remove: f.rm,
        log_driver: match f.log_driver.as_deref() {
            None => Default::default(),
            Some(d) => d
                .parse()
                .map_err(|e| anyhow::anyhow!("invalid --log-driver: {e}"))?,
        },
        driver,
        pod: pod.as_ref().map(|(p, _)| p.id.clone()),
    };
    Ok(lifecycle::create(&ctx.paths, &store, req)?)
}

pub fn create(ctx: &Ctx, a: CreateArgs) -> anyhow::Result<u8> {
    let c = create_container(ctx, &a.create)?;
    println!("{}", c.id);
    Ok(0)
}

pub fn run(ctx: &Ctx, a: RunArgs) -> anyhow::Result<u8> {
    let f = &a.create;
    let wanted = attach_flags(&a.attach, f.interactive)?;
    let c = create_container(ctx, f)?;
    let store = container_store(ctx);
    if a.detach {
        match lifecycle::start(&ctx.paths, &store, &c.id, AttachFlags::default(), None) {
            Ok(_) => {
                println!("{}", c.id);
                Ok(0)
            }
            Err(e) => Err(start_failed(ctx, &store, &c, e)),
        }
    } else {
        let detach_keys = relay::parse_detach_keys(a.detach_keys.as_deref())?;
        let size = f
            .tty
            .then(|| crate::sys::term::window_size(std::io::stdout()))
            .flatten();
        let started = match lifecycle::start(&ctx.paths, &store, &c.id, wanted, size) {
            Ok(s) => s,
            Err(e) => return Err(start_failed(ctx, &store, &c, e)),
        };
        let conn = started
            .attach
            .context("the container's monitor did not accept the attach")?;
        finish_attached(
            &store,
            &c,
            conn,
            RelayOptions {
                stdin: wanted.stdin,
                tty: f.tty,
                sig_proxy: a.sig_proxy && !f.tty,
                detach_keys,
            },
        )
    }
}

/// Docker keeps a container that failed to start, except with --rm.
fn start_failed(ctx: &Ctx, store: &ContainerStore, c: &Container, e: StartError) -> anyhow::Error {
    if c.auto_remove {
        let _ = lifecycle::remove(&ctx.paths, store, c, true, true);
    }
    CommandFailed::from(e).into()
}

fn finish_attached(
    store: &ContainerStore,
    c: &Container,
    conn: std::os::unix::net::UnixStream,
    o: RelayOptions,
) -> anyhow::Result<u8> {
    match relay::relay(conn, o)? {
        Ended::Exited(code) => Ok(code.clamp(0, 255) as u8),
        Ended::Detached => {
            eprintln!("Detached from {}", &c.id[..12]);
            Ok(0)
        }
        Ended::Lost => {
            // The monitor died: its record tells what is known.
            let rec = Container::load(&store.dir(&c.id))
                .ok()
                .map(|r| lifecycle::refresh(store, r));
            match rec {
                Some(Ok(r)) if r.state.exit_code.is_some() => {
                    Ok(r.state.exit_code.unwrap_or(125).clamp(0, 255) as u8)
                }
                _ => bail!(
                    "lost the connection to the monitor of container {}",
                    &c.id[..12]
                ),
            }
        }
    }
}

/// `-a stdin -a stdout`; default: stdout and stderr, stdin with -i.
fn attach_flags(list: &[String], interactive: bool) -> anyhow::Result<AttachFlags> {
    if list.is_empty() {
        return Ok(AttachFlags {
            stdin: interactive,
            stdout: true,
            stderr: true,
        });
    }
    let mut f = AttachFlags::default();
    for s in list {
        match s.to_ascii_lowercase().as_str() {
            "stdin" => f.stdin = true,
            "stdout" => f.stdout = true,
            "stderr" => f.stderr = true,
            _ => bail!("invalid --attach {s:?}: expected stdin, stdout or stderr"),
        }
    }
    Ok(f)
}

pub fn start(ctx: &Ctx, a: StartArgs) -> anyhow::Result<u8> {
    let store = container_store(ctx);
    if a.attach || a.interactive {
        if a.containers.len() > 1 {
            bail!("you cannot start and attach multiple containers at once");
        }
        let c = store.lookup(&a.containers[0])?;
        let flags = AttachFlags {
            stdin: a.interactive && c.options.interactive,
            stdout: true,
            stderr: true,
        };
        let size = c
            .options
            .tty
            .then(|| crate::sys::term::window_size(std::io::stdout()))
            .flatten();
        let started = lifecycle::start(&ctx.paths, &store, &c.id, flags, size)
            .map_err(CommandFailed::from)?;
        let Some(conn) = started.attach else {
            return Ok(0);
        };
        return finish_attached(
            &store,
            &c,
            conn,
            RelayOptions {
                stdin: flags.stdin,
                tty: c.options.tty,
                sig_proxy: !c.options.tty,
                detach_keys: relay::parse_detach_keys(a.detach_keys.as_deref())?,
            },
        );
    }
    let mut failed = None;
    for key in &a.containers {
        match lifecycle::start(&ctx.paths, &store, key, AttachFlags::default(), None) {
            Ok(_) => println!("{key}"),
            Err(e) => {
                eprintln!("Error: {key}: {}", e.message);
                failed = Some(e);
            }
        }
    }
    match failed {
        Some(e) => Err(CommandFailed::from(e).into()),
        None => Ok(0),
    }
}

pub fn attach(ctx: &Ctx, a: AttachArgs) -> anyhow::Result<u8> {
    let store = container_store(ctx);
    let c = lifecycle::refresh(&store, store.lookup(&a.container)?)?;
    if c.state.status != crate::container::Status::Running {
        bail!(
            "you cannot attach to container {} because it is {}: start it first",
            c.name,
            c.state.status.as_str()
        );
    }
    let sock = store.attach_socket(&c.id);
    let mut conn = crate::container::attach::connect(&sock)
        .with_context(|| format!("connecting to the monitor of {}", c.name))?;
    let stdin = !a.no_stdin && c.options.interactive;
    let flags = AttachFlags {
        stdin,
        stdout: true,
        stderr: true,
    };
    crate::container::attach::write_frame(
        &mut conn,
        crate::container::attach::HELLO,
        &[flags.bits()],
    )?;
    if c.options.tty
        && std::io::stdout().is_terminal()
        && let Some((r, col)) = crate::sys::term::window_size(std::io::stdout())
    {
        crate::container::attach::write_frame(
            &mut conn,
            crate::container::attach::RESIZE,
            &crate::container::attach::resize_payload(r, col),
        )?;
    }
    finish_attached(
        &store,
        &c,
        conn,
        RelayOptions {
            stdin,
            tty: c.options.tty,
            sig_proxy: a.sig_proxy && !c.options.tty,
            detach_keys: relay::parse_detach_keys(a.detach_keys.as_deref())?,
        },
    )
}
