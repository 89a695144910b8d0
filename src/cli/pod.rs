//! `pod create|ls|inspect|start|stop|restart|kill|rm|top`, with Podman's
//! flags and output.
use std::collections::BTreeMap;

use anyhow::bail;
use clap::{Args, Subcommand};
use serde_json::{Value, json};

use crate::cli::Ctx;
use crate::cli::output::{self, Column, Format};
use crate::cli::units;
use crate::container::pod::{self, Pod, PodError, PodStore};
use crate::container::{Container, ContainerStore, Status};

#[derive(Subcommand, Debug)]
pub enum PodCommand {
    /// Create a new pod (and its infra container)
    Create(CreateArgs),
    /// List pods
    #[command(visible_aliases = ["ps", "list"])]
    Ls(LsArgs),
    /// Display detailed information on pods
    Inspect(InspectArgs),
    /// Start pods: the infra container, then the members
    Start(PodsArgs),
    /// Stop pods: the members, then the infra container
    Stop(StopArgs),
    /// Restart pods
    Restart(PodsArgs),
    /// Send a signal to the running containers of pods
    Kill(KillArgs),
    /// Remove pods with their containers
    Rm(RmArgs),
    /// Display the running processes of a pod's containers
    Top(TopArgs),
}

#[derive(Args, Debug)]
pub struct CreateArgs {
    /// Name of the pod (default: a generated one)
    #[arg(short, long, value_name = "NAME")]
    pub name: Option<String>,
    /// The pod's name, as a positional argument
    #[arg(value_name = "NAME", conflicts_with = "name")]
    pub pod_name: Option<String>,
    /// Set metadata on the pod
    #[arg(short, long = "label", value_name = "KEY=VALUE")]
    pub label: Vec<String>,
    /// The pod's hostname (default: its name)
    #[arg(long, value_name = "NAME")]
    pub hostname: Option<String>,
    /// Publish a port of the pod to the host
    #[arg(
        short = 'p',
        long,
        value_name = "[IP:][HOST-PORT:]CONTAINER-PORT[/PROTO]"
    )]
    pub publish: Vec<String>,
    /// Namespaces the members share: ipc, net, pid, uts (+LIST adds to the default ipc,net,uts)
    #[arg(long, value_name = "NAMESPACES")]
    pub share: Option<String>,
    /// The pod's network: default, none, host, slirp4netns[:OPTS], pasta[:OPTS] or ns:PATH
    #[arg(long, visible_alias = "net", value_name = "MODE")]
    pub network: Option<String>,
}

#[derive(Args, Debug)]
pub struct LsArgs {
    /// Only print pod IDs
    #[arg(short, long)]
    pub quiet: bool,
    /// Do not truncate IDs
    #[arg(long)]
    pub no_trunc: bool,
    /// Output format: table, json, or a Go template
    #[arg(long)]
    pub format: Option<String>,
    /// Filter output (id, name, label, status)
    #[arg(short, long, value_name = "FILTER")]
    pub filter: Vec<String>,
    /// Do not print column headings
    #[arg(long)]
    pub noheading: bool,
}

#[derive(Args, Debug)]
pub struct InspectArgs {
    /// Format the output using a Go template
    #[arg(short, long)]
    pub format: Option<String>,
    #[arg(required = true, value_name = "POD")]
    pub pods: Vec<String>,
}

#[derive(Args, Debug)]
pub struct PodsArgs {
    /// Every pod
    #[arg(short, long)]
    pub all: bool,
    #[arg(value_name = "POD")]
    pub pods: Vec<String>,
}

#[derive(Args, Debug)]
pub struct StopArgs {
    /// Seconds to wait for each container before killing it (default: its own)
    #[arg(
        short = 't',
        long = "time",
        visible_alias = "timeout",
        value_name = "SECONDS"
    )]
    pub time: Option<u64>,
    #[command(flatten)]
    pub pods: PodsArgs,
}

#[derive(Args, Debug)]
pub struct KillArgs {
    /// Signal to send
    #[arg(short, long, default_value = "KILL")]
    pub signal: String,
    #[command(flatten)]
    pub pods: PodsArgs,
}

#[derive(Args, Debug)]
pub struct RmArgs {
    /// Kill running containers first
    #[arg(short, long)]
    pub force: bool,
    /// Do not fail when a pod does not exist
    #[arg(short, long)]
    pub ignore: bool,
    #[command(flatten)]
    pub pods: PodsArgs,
}

#[derive(Args, Debug)]
pub struct TopArgs {
    #[arg(value_name = "POD")]
    pub pod: String,
    /// ps(1) options (default -ef)
    #[arg(
        trailing_var_arg = true,
        allow_hyphen_values = true,
        value_name = "PS_OPTIONS"
    )]
    pub ps_args: Vec<String>,
}

/// Commands that create, start or delete containers' files run inside the
/// user namespace, like their container counterparts.
pub fn needs_userns(cmd: &PodCommand) -> bool {
    matches!(
        cmd,
        PodCommand::Create(_) | PodCommand::Start(_) | PodCommand::Restart(_) | PodCommand::Rm(_)
    )
}

/// The monitor whose user namespace a rootless command must run in
/// instead of a new one, because it starts containers that join a running
/// container's namespaces (a pod's infra, or `container:NAME`), which only
/// their own user namespace may do.
pub fn userns_to_join(paths: &crate::config::Paths, cmd: &crate::cli::Command) -> Option<i32> {
    use crate::cli::{Command as C, ContainerCommand as CC};
    use crate::container::joins::{namespace_holder, running_monitor};
    let starts = |keys: &[String]| keys.iter().find_map(|k| namespace_holder(paths, k));
    match cmd {
        C::Run(a)
        | C::Container {
            command: CC::Run(a),
        } => {
            let f = &a.create;
            if let Some(p) = &f.pod {
                return pod::infra_monitor(paths, p);
            }
            [&f.network, &f.ipc, &f.pid, &f.uts, &f.cgroupns]
                .into_iter()
                .flatten()
                .filter_map(|m| m.strip_prefix("container:"))
                .find_map(|n| running_monitor(paths, n))
        }
        C::Start(a)
        | C::Container {
            command: CC::Start(a),
        } => starts(&a.containers),
        C::Restart(a)
        | C::Container {
            command: CC::Restart(a),
        } => starts(&a.containers),
        C::Pod {
            command: PodCommand::Start(a),
        } => a.pods.iter().find_map(|p| pod::infra_monitor(paths, p)),
        _ => None,
    }
}

pub fn run(ctx: &Ctx, cmd: PodCommand) -> anyhow::Result<u8> {
    match cmd {
        PodCommand::Create(a) => create(ctx, a),
        PodCommand::Ls(a) => ls(ctx, a),
        PodCommand::Inspect(a) => inspect(ctx, a),
        PodCommand::Start(a) => each(ctx, &a, false, |p| pod::start(&ctx.paths, p)),
        PodCommand::Stop(a) => {
            let t = a.time.map(std::time::Duration::from_secs);
            each(ctx, &a.pods, false, |p| pod::stop(&ctx.paths, p, t))
        }
        PodCommand::Restart(a) => each(ctx, &a, false, |p| {
            pod::stop(&ctx.paths, p, None)?;
            pod::start(&ctx.paths, p)
        }),
        PodCommand::Kill(a) => {
            let sig = crate::runtime::container::signal_from_str(&a.signal)?;
            each(ctx, &a.pods, false, |p| {
                if pod::kill(&ctx.paths, p, sig)? == 0 {
                    return Err(PodError::Invalid(format!(
                        "pod {} has no running container to signal",
                        p.name
                    )));
                }
                Ok(())
            })
        }
        PodCommand::Rm(a) => {
            let force = a.force;
            each(ctx, &a.pods, a.ignore, |p| {
                pod::remove(&ctx.paths, p, force)
            })
        }
        PodCommand::Top(a) => top(ctx, a),
    }
}

fn create(ctx: &Ctx, a: CreateArgs) -> anyhow::Result<u8> {
    let mut labels = BTreeMap::new();
    for l in &a.label {
        let (k, v) = l.split_once('=').unwrap_or((l, ""));
        if k.is_empty() {
            bail!("invalid --label {l:?}: expected KEY=VALUE");
        }
        labels.insert(k.to_string(), v.to_string());
    }
    let network = match &a.network {
        Some(n) => crate::container::spec::parse::parse_network(n)?,
        None => Default::default(),
    };
    let share = match &a.share {
        Some(s) => pod::parse_share(s)?,
        None => pod::Shared::DEFAULT.to_vec(),
    };
    let driver = crate::storage::driver::select(
        &ctx.store()?.root,
        crate::rootless::is_rootless(),
        ctx.storage_driver.as_deref(),
    )?;
    let p = pod::create(
        &ctx.paths,
        pod::CreateRequest {
            name: a.name.or(a.pod_name),
            labels,
            hostname: a.hostname,
            share,
            network,
            publish: a.publish,
            driver,
        },
    )?;
    println!("{}", p.id);
    Ok(0)
}

/// Runs `f` on each named pod (or all), printing each pod's ID as Podman
/// does; errors are printed and make the exit code 125.
fn each(
    ctx: &Ctx,
    a: &PodsArgs,
    ignore_missing: bool,
    mut f: impl FnMut(&Pod) -> Result<(), PodError>,
) -> anyhow::Result<u8> {
    let store = PodStore::open(&ctx.paths);
    let keys: Vec<String> = if a.all {
        store.list()?.into_iter().map(|p| p.id).collect()
    } else {
        if a.pods.is_empty() {
            bail!("give at least one pod name or ID, or --all");
        }
        a.pods.clone()
    };
    let mut code = 0;
    for key in &keys {
        match store.lookup(key).and_then(|p| f(&p).map(|()| p)) {
            Ok(p) => println!("{}", p.id),
            Err(PodError::NotFound(_)) if ignore_missing => {}
            Err(e) => {
                eprintln!("Error: {e}");
                code = crate::cli::EXIT_ENGINE;
            }
        }
    }
    Ok(code)
}

/// `KEY=VALUE` filters: one key ORs its values, different keys AND.
fn matches(p: &Pod, status: &str, filters: &[(String, String)]) -> anyhow::Result<bool> {
    let mut keys: Vec<&str> = filters.iter().map(|(k, _)| k.as_str()).collect();
    keys.dedup();
    for key in keys {
        let mut any = false;
        for (_, v) in filters.iter().filter(|(k, _)| k == key) {
            any |= match key {
                "id" => p.id.starts_with(v.as_str()),
                "name" => p.name.contains(v.as_str()),
                "status" => status.eq_ignore_ascii_case(v),
                "label" => match v.split_once('=') {
                    Some((k, val)) => p.labels.get(k).is_some_and(|x| x == val),
                    None => p.labels.contains_key(v.as_str()),
                },
                _ => bail!(
                    "invalid filter {key:?}: supported filters are id, name, label and status"
                ),
            };
        }
        if !any {
            return Ok(false);
        }
    }
    Ok(true)
}

fn ls(ctx: &Ctx, a: LsArgs) -> anyhow::Result<u8> {
    let mut filters = Vec::new();
    for f in &a.filter {
        let Some((k, v)) = f.split_once('=') else {
            bail!("invalid filter {f:?}: expected KEY=VALUE");
        };
        filters.push((k.to_string(), v.to_string()));
    }
    let pods = PodStore::open(&ctx.paths);
    let store = ContainerStore::open(&ctx.paths);
    let mut list = pods.list()?;
    list.sort_by_key(|p| std::cmp::Reverse(p.created));
    let now = chrono::Utc::now();
    let mut rows = Vec::new();
    for p in &list {
        let ctrs = pod::containers(&store, p)?;
        let status = pod::status(&ctrs);
        if !matches(p, status, &filters)? {
            continue;
        }
        rows.push(ls_row(p, &ctrs, status, a.no_trunc, now));
    }
    if a.quiet {
        for r in &rows {
            println!("{}", r["ID"].as_str().unwrap_or_default());
        }
        return Ok(0);
    }
    let columns = [
        Column {
            header: "POD ID",
            field: "ID",
        },
        Column {
            header: "NAME",
            field: "Name",
        },
        Column {
            header: "STATUS",
            field: "Status",
        },
        Column {
            header: "CREATED",
            field: "Created",
        },
        Column {
            header: "INFRA ID",
            field: "InfraID",
        },
        Column {
            header: "# OF CONTAINERS",
            field: "NumberOfContainers",
        },
    ];
    let headers = [
        ("Labels", "LABELS"),
        ("Networks", "NETWORKS"),
        ("ContainerNames", "NAMES"),
        ("ContainerIds", "IDS"),
        ("ContainerStatuses", "STATUS"),
        ("CreatedAt", "CREATED AT"),
    ];
    let format = Format::parse(a.format.as_deref());
    print!(
        "{}",
        output::render_list(&format, &columns, &headers, &rows, a.noheading)?
    );
    Ok(0)
}

/// One `pod ls` row with Podman's template fields.
fn ls_row(
    p: &Pod,
    ctrs: &[Container],
    status: &str,
    no_trunc: bool,
    now: chrono::DateTime<chrono::Utc>,
) -> Value {
    let short = |id: &str| {
        if no_trunc || id.len() < 12 {
            id.to_string()
        } else {
            id[..12].to_string()
        }
    };
    let join = |f: &dyn Fn(&Container) -> String| ctrs.iter().map(f).collect::<Vec<_>>().join(",");
    json!({
        "ID": short(&p.id),
        "Name": p.name,
        "Status": status,
        "Created": units::created_since(p.created, now),
        "CreatedAt": p.created.with_timezone(&chrono::Local).format("%Y-%m-%d %H:%M:%S %z %Z").to_string(),
        "InfraID": short(&p.infra_id),
        "NumberOfContainers": ctrs.len(),
        "Labels": p.labels.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(","),
        "Networks": "",
        "ContainerNames": join(&|c| c.name.clone()),
        "ContainerIds": join(&|c| short(&c.id)),
        "ContainerStatuses": join(&|c| c.state.status.as_str().to_string()),
    })
}

/// Podman's `pod inspect` document.
fn inspect_value(p: &Pod, ctrs: &[Container]) -> Value {
    let mut ports = serde_json::Map::new();
    for m in &p.ports {
        let key = format!("{}/{}", m.container_port, m.protocol.as_str());
        let entry = json!({"HostIp": m.host_ip, "HostPort": m.host_port.to_string()});
        match ports.get_mut(&key).and_then(Value::as_array_mut) {
            Some(a) => a.push(entry),
            None => {
                ports.insert(key, json!([entry]));
            }
        }
    }
    json!({
        "Id": p.id,
        "Name": p.name,
        "Created": p.created.to_rfc3339_opts(chrono::SecondsFormat::Nanos, true),
        "ExitPolicy": "continue",
        "State": pod::status(ctrs),
        "Hostname": p.hostname,
        "Labels": p.labels,
        "CreateInfra": true,
        "InfraContainerID": p.infra_id,
        "InfraConfig": {
            "PortBindings": ports,
            "HostNetwork": p.network == crate::container::spec::NetworkMode::Host,
            "StaticIP": "",
            "StaticMAC": "",
            "NoManageResolvConf": false,
            "DNSServer": null,
            "DNSSearch": null,
            "DNSOption": null,
            "NoManageHosts": false,
            "HostAdd": null,
            "Networks": null,
            "NetworkOptions": null,
            // The infra container's own namespaces (SharedNamespaces says
            // which the members join).
            "pid_ns": "private",
            "userns": "host",
            "uts_ns": "private",
        },
        "SharedNamespaces": p.share.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
        "NumContainers": ctrs.len(),
        "Containers": ctrs.iter().map(|c| json!({
            "Id": c.id,
            "Name": c.name,
            "State": c.state.status.as_str(),
        })).collect::<Vec<_>>(),
    })
}

fn inspect(ctx: &Ctx, a: InspectArgs) -> anyhow::Result<u8> {
    let pods = PodStore::open(&ctx.paths);
    let store = ContainerStore::open(&ctx.paths);
    let mut docs = Vec::new();
    let mut code = 0;
    for key in &a.pods {
        match pods
            .lookup(key)
            .and_then(|p| pod::containers(&store, &p).map(|c| (p, c)))
        {
            Ok((p, ctrs)) => docs.push(inspect_value(&p, &ctrs)),
            Err(e) => {
                eprintln!("Error: {e}");
                code = crate::cli::EXIT_ENGINE;
            }
        }
    }
    output::print_inspect(docs, a.format.as_deref())?;
    Ok(code)
}

/// `top` over every running container of the pod: ps(1)'s rows of the
/// processes in their PID namespaces (a namespace shared by several
/// containers is listed once).
fn top(ctx: &Ctx, a: TopArgs) -> anyhow::Result<u8> {
    let pods = PodStore::open(&ctx.paths);
    let store = ContainerStore::open(&ctx.paths);
    let p = pods.lookup(&a.pod)?;
    let running: Vec<Container> = pod::containers(&store, &p)?
        .into_iter()
        .filter(|c| matches!(c.state.status, Status::Running | Status::Paused))
        .collect();
    if running.is_empty() {
        bail!("pod {} has no running containers: start it first", p.name);
    }
    let mut pids: Vec<i32> = running
        .iter()
        .flat_map(|c| crate::container::procs::processes(&ctx.paths, c))
        .collect();
    pids.sort_unstable();
    pids.dedup();
    print!("{}", crate::cli::runtime::ps_table(&pids, &a.ps_args)?);
    Ok(0)
}
