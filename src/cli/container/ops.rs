//! stop, kill, restart, rm, wait, rename, logs, exec, pause/unpause,
//! container prune.
use std::io::Write;
use std::time::Duration;

use anyhow::{Context as _, bail};

use super::run::{CommandFailed, container_store};
use super::{
    ContainersArgs, ExecArgs, KillArgs, LogsArgs, PruneArgs, RenameArgs, RmArgs, StopArgs, WaitArgs,
};
use crate::cli::Ctx;
use crate::container::lifecycle::{self, AttachFlags};
use crate::container::{Container, ContainerError, ContainerStore, Status, logs};
use crate::runtime::container::signal_from_str;

/// Runs `f` on each named container, printing each name as Docker does;
/// the first error is printed and the exit code is 125 (others continue).
fn for_each(
    store: &ContainerStore,
    keys: &[String],
    mut f: impl FnMut(&Container) -> anyhow::Result<()>,
) -> anyhow::Result<u8> {
    let mut code = 0;
    for key in keys {
        let res = store
            .lookup(key)
            .map_err(anyhow::Error::from)
            .and_then(|c| f(&c));
        match res {
            Ok(()) => println!("{key}"),
            Err(e) => {
                eprintln!("Error: {}", crate::cli::error_line(&e));
                code = crate::cli::EXIT_ENGINE;
            }
        }
    }
    Ok(code)
}

fn stop_signal(c: &Container, flag: Option<&str>) -> anyhow::Result<i32> {
    let name = flag
        .map(str::to_string)
        .or_else(|| c.options.stop_signal.clone())
        .or_else(|| c.image_defaults.stop_signal.clone())
        .unwrap_or_else(|| "TERM".into());
    Ok(signal_from_str(&name)?)
}

fn stop_timeout(c: &Container, flag: Option<i64>) -> Duration {
    let secs = flag
        .or(c.options.stop_timeout.map(|t| t as i64))
        .unwrap_or(10);
    Duration::from_secs(secs.max(0) as u64)
}

pub fn stop(ctx: &Ctx, a: StopArgs) -> anyhow::Result<u8> {
    let store = container_store(ctx);
    let keys = if a.all {
        running_ids(&store)?
    } else {
        if a.containers.is_empty() {
            bail!("stop needs at least one container name or ID, or --all");
        }
        a.containers.clone()
    };
    for_each(&store, &keys, |c| {
        let sig = stop_signal(c, a.signal.as_deref())?;
        lifecycle::stop(&store, c, sig, stop_timeout(c, a.time))?;
        Ok(())
    })
}

fn running_ids(store: &ContainerStore) -> anyhow::Result<Vec<String>> {
    Ok(store
        .list()?
        .into_iter()
        .filter_map(|c| lifecycle::refresh(store, c).ok())
        .filter(|c| c.state.status.is_active())
        .map(|c| c.id[..12].to_string())
        .collect())
}

pub fn kill(ctx: &Ctx, a: KillArgs) -> anyhow::Result<u8> {
    let store = container_store(ctx);
    let sig = signal_from_str(&a.signal)?;
    for_each(&store, &a.containers, |c| {
        // Docker counts a kill as a user's stop for restart policies.
        if sig == libc::SIGKILL || sig == libc::SIGTERM {
            store.update(&c.id, |r| {
                r.state.stopped_by_user = true;
                Ok(())
            })?;
        }
        lifecycle::kill(&store, c, sig)?;
        Ok(())
    })
}

pub fn restart(ctx: &Ctx, a: StopArgs) -> anyhow::Result<u8> {
    let store = container_store(ctx);
    for_each(&store, &a.containers, |c| {
        let sig = stop_signal(c, a.signal.as_deref())?;
        lifecycle::stop(&store, c, sig, stop_timeout(c, a.time))?;
        lifecycle::start(&ctx.paths, &store, &c.id, AttachFlags::default(), None)
            .map_err(CommandFailed::from)?;
        Ok(())
    })
}

pub fn rm(ctx: &Ctx, a: RmArgs) -> anyhow::Result<u8> {
    let store = container_store(ctx);
    let keys: Vec<String> = if a.all {
        // Infra containers go with their pods (pod rm).
        store
            .list()?
            .into_iter()
            .filter(|c| !c.infra)
            .map(|c| c.id)
            .collect()
    } else {
        if a.containers.is_empty() {
            bail!("rm needs at least one container name or ID, or --all");
        }
        a.containers.clone()
    };
    let mut code = 0;
    for key in &keys {
        let res = match store
            .lookup(key)
            .and_then(|c| lifecycle::remove(&ctx.paths, &store, &c, a.force, a.volumes))
        {
            Ok(()) => Ok(()),
            // Docker: `rm -f` of a missing container is not an error, nor
            // of one that went away while we removed it (--rm, another rm).
            Err(ContainerError::NotFound(_)) if a.force => Ok(()),
            Err(e) => Err(anyhow::Error::from(e)),
        };
        match res {
            Ok(()) => println!("{key}"),
            Err(e) => {
                eprintln!("Error: {}", crate::cli::error_line(&e));
                code = crate::cli::EXIT_ENGINE;
            }
        }
    }
    Ok(code)
}

pub fn wait(ctx: &Ctx, a: WaitArgs) -> anyhow::Result<u8> {
    let store = container_store(ctx);
    let mut code = 0;
    for key in &a.containers {
        match store.lookup(key).and_then(|c| lifecycle::wait(&store, &c)) {
            Ok(exit) => println!("{exit}"),
            Err(e) => {
                eprintln!("Error: {e}");
                code = crate::cli::EXIT_ENGINE;
            }
        }
    }
    Ok(code)
}

pub fn rename(ctx: &Ctx, a: RenameArgs) -> anyhow::Result<u8> {
    let store = container_store(ctx);
    crate::container::names::validate_name(&a.new_name).map_err(|e| anyhow::anyhow!("{e}"))?;
    let c = store.lookup(&a.container)?;
    let _names = store.names_lock()?;
    if store.list()?.iter().any(|o| o.name == a.new_name) {
        return Err(ContainerError::NameInUse(a.new_name).into());
    }
    store.update(&c.id, |r| {
        r.name = a.new_name.clone();
        Ok(())
    })?;
    Ok(0)
}

pub fn pause(ctx: &Ctx, a: ContainersArgs, freeze: bool) -> anyhow::Result<u8> {
    let store = container_store(ctx);
    let rt = crate::container::monitor::runtime_for(&ctx.paths);
    for_each(&store, &a.containers, |c| {
        let c = lifecycle::refresh(&store, c.clone())?;
        let want = if freeze {
            Status::Running
        } else {
            Status::Paused
        };
        if c.state.status != want {
            bail!(
                "container {} is {}: only a {} container can be {}",
                c.name,
                c.state.status.as_str(),
                want.as_str(),
                if freeze { "paused" } else { "unpaused" }
            );
        }
        if freeze {
            rt.pause(&c.id)?;
        } else {
            rt.resume(&c.id)?;
        }
        store.update(&c.id, |r| {
            r.state.status = if freeze {
                Status::Paused
            } else {
                Status::Running
            };
            Ok(())
        })?;
        Ok(())
    })
}

pub fn logs(ctx: &Ctx, a: LogsArgs) -> anyhow::Result<u8> {
    let store = container_store(ctx);
    let c = store.lookup(&a.container)?;
    if c.log_driver == logs::LogDriver::None {
        bail!(
            "container {} was created with --log-driver none: it has no logs",
            c.name
        );
    }
    let now = chrono::Utc::now();
    let parse = |s: &Option<String>| -> anyhow::Result<_> {
        s.as_deref()
            .map(|v| logs::parse_time(v, now))
            .transpose()
            .map_err(|e| anyhow::anyhow!("{e}"))
    };
    let tail = match a.tail.as_deref() {
        None | Some("all") | Some("-1") => None,
        Some(n) => Some(
            n.parse::<usize>()
                .with_context(|| format!("invalid --tail {n:?}: expected a number or \"all\""))?,
        ),
    };
    let o = logs::ReadOptions {
        since: parse(&a.since)?,
        until: parse(&a.until)?,
        tail,
        timestamps: a.timestamps,
        follow: a.follow,
    };
    let path = store.log_path(&c.id);
    let mut running = || {
        Container::load(&store.dir(&c.id))
            .ok()
            .and_then(|r| lifecycle::refresh(&store, r).ok())
            .is_some_and(|r| r.state.status.is_active())
    };
    let mut out = std::io::stdout().lock();
    let mut err = std::io::stderr().lock();
    if !path.exists() {
        return Ok(0);
    }
    logs::read_logs(&path, c.log_driver, &o, &mut out, &mut err, &mut running)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let _ = out.flush();
    Ok(0)
}

pub fn exec(ctx: &Ctx, a: ExecArgs) -> anyhow::Result<u8> {
    let store = container_store(ctx);
    let c = lifecycle::refresh(&store, store.lookup(&a.container)?)?;
    if c.state.status != Status::Running {
        bail!(
            "container {} is {}: exec needs a running container",
            c.name,
            c.state.status.as_str()
        );
    }
    let bundle = store.dir(&c.id);
    let spec = crate::runtime::spec::load(&bundle)
        .with_context(|| format!("reading the spec of {}", c.name))?;
    let mut p = spec
        .process()
        .clone()
        .context("the container's spec has no process")?;
    p.set_args(Some(a.command.clone()));
    p.set_terminal(Some(a.tty));
    p.set_console_size(None);
    let mut env = p.env().clone().unwrap_or_default();
    let mut extra = Vec::new();
    for f in &a.env_file {
        let text = std::fs::read_to_string(f)
            .with_context(|| format!("reading --env-file {}", f.display()))?;
        extra.extend(
            text.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .map(str::to_string),
        );
    }
    extra.extend(a.env.iter().cloned());
    for kv in extra {
        let kv = if kv.contains('=') {
            kv
        } else {
            match std::env::var(&kv) {
                Ok(v) => format!("{kv}={v}"),
                Err(_) => continue,
            }
        };
        let key = kv.split('=').next().unwrap_or("").to_string();
        env.retain(|e| e.split('=').next() != Some(key.as_str()));
        env.push(kv);
    }
    p.set_env(Some(env));
    if let Some(w) = &a.workdir {
        p.set_cwd(w.into());
    }
    if let Some(u) = &a.user {
        let (uid, gid) = parse_numeric_user(u)
            .with_context(|| format!("invalid --user {u:?}: exec takes UID[:GID]"))?;
        let mut user = p.user().clone();
        user.set_uid(uid);
        user.set_gid(gid.unwrap_or(uid));
        user.set_additional_gids(None);
        p.set_user(user);
    }
    if a.privileged {
        let all: Vec<_> = crate::runtime::security::CAPABILITY_NAMES
            .iter()
            .filter_map(|n| n.parse().ok())
            .collect::<std::collections::HashSet<oci_spec::runtime::Capability>>()
            .into_iter()
            .collect();
        let set: oci_spec::runtime::Capabilities = all.into_iter().collect();
        let mut caps = p.capabilities().clone().unwrap_or_default();
        caps.set_bounding(Some(set.clone()));
        caps.set_effective(Some(set.clone()));
        caps.set_permitted(Some(set));
        p.set_capabilities(Some(caps));
    }
    let rt = crate::container::monitor::runtime_for(&ctx.paths);
    if !a.tty {
        let o = crate::runtime::container::ExecOptions {
            process: p,
            console_socket: None,
            pid_file: None,
            detach: a.detach,
            preserve_fds: 0,
        };
        let code = rt.exec(&c.id, &o).map_err(exec_error)?;
        return Ok(code.clamp(0, 255) as u8);
    }
    super::relay::exec_with_tty(&store, &c, rt, p, a.detach, a.interactive).map_err(exec_error)
}

fn exec_error(e: crate::runtime::container::RuntimeError) -> anyhow::Error {
    let msg = e.to_string();
    let code = match &e {
        crate::runtime::container::RuntimeError::Init(m) => {
            let m = m.to_ascii_lowercase();
            if m.contains("not found") || m.contains("no such file") {
                127
            } else {
                126
            }
        }
        _ => 125,
    };
    CommandFailed { message: msg, code }.into()
}

pub fn prune(ctx: &Ctx, a: PruneArgs) -> anyhow::Result<u8> {
    if !a.force && std::io::IsTerminal::is_terminal(&std::io::stdin()) {
        eprint!(
            "WARNING! This will remove all stopped containers.\nAre you sure you want to continue? [y/N] "
        );
        let mut line = String::new();
        std::io::stdin().read_line(&mut line)?;
        if !matches!(line.trim(), "y" | "Y" | "yes") {
            return Ok(0);
        }
    }
    println!("Deleted Containers:");
    let removed = prune_containers(ctx, &a.filter, &mut |id| println!("{id}"))?;
    println!(
        "\nTotal reclaimed space: {}",
        crate::cli::units::human_size(removed.iter().map(|r| r.1).sum())
    );
    Ok(0)
}

/// Removes every stopped container that `filters` (until=TIME,
/// label=KEY[=VALUE], label!=KEY[=VALUE]) select, calling `removed` with each ID as it goes;
/// returns the IDs with the size of their writable layers.
pub fn prune_containers(
    ctx: &Ctx,
    filters: &[String],
    removed: &mut dyn FnMut(&str),
) -> anyhow::Result<Vec<(String, u64)>> {
    let store = container_store(ctx);
    let mut until = None;
    let mut labels = Vec::new();
    for f in filters {
        match f.split_once('=') {
            Some(("until", v)) => {
                until = Some(
                    logs::parse_time(v, chrono::Utc::now()).map_err(|e| anyhow::anyhow!("{e}"))?,
                )
            }
            Some(("label", v)) => labels.push((true, v)),
            Some(("label!", v)) => labels.push((false, v)),
            _ => bail!(
                "invalid filter {f:?}: container prune supports until=TIME, label=KEY[=VALUE] and label!=KEY[=VALUE]"
            ),
        }
    }
    let mut out = Vec::new();
    for c in store.list()? {
        let c = lifecycle::refresh(&store, c)?;
        if c.state.status.is_active() || c.infra {
            continue;
        }
        if until.is_some_and(|t| c.created >= t) {
            continue;
        }
        if !labels
            .iter()
            .all(|(want, l)| super::ps::label_matches(&c, l) == *want)
        {
            continue;
        }
        let size = crate::container::dir_size(&store.dir(&c.id).join("upper"));
        lifecycle::remove(&ctx.paths, &store, &c, false, false)?;
        removed(&c.id);
        out.push((c.id, size));
    }
    Ok(out)
}

/// `UID[:GID]` as exec's --user takes it.
fn parse_numeric_user(u: &str) -> Option<(u32, Option<u32>)> {
    let (uid, gid) = match u.split_once(':') {
        Some((a, b)) => (a, Some(b)),
        None => (u, None),
    };
    let uid = uid.parse().ok()?;
    let gid = match gid {
        Some(g) => Some(g.parse().ok()?),
        None => None,
    };
    Some((uid, gid))
}
