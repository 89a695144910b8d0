//! ps and container inspect: Docker's rows and inspect document.
use anyhow::bail;
use serde_json::{Value, json};

use super::run::container_store;
use super::{ContainerInspectArgs, PsArgs};
use crate::cli::output::{self, Column, Format};
use crate::cli::units;
use crate::cli::{Ctx, Flavor};
use crate::container::pod::{Pod, PodStore};
use crate::container::{Container, ContainerStore, Status, lifecycle};

/// `label=KEY` or `label=KEY=VALUE`.
pub fn label_matches(c: &Container, filter: &str) -> bool {
    match filter.split_once('=') {
        Some((k, v)) => c.labels.get(k).is_some_and(|x| x == v),
        None => c.labels.contains_key(filter),
    }
}

/// Docker's STATUS column: "Up 3 minutes", "Exited (0) 2 seconds ago".
pub fn status_text(c: &Container, now: chrono::DateTime<chrono::Utc>) -> String {
    let since = |t: Option<chrono::DateTime<chrono::Utc>>| {
        let d = (now - t.unwrap_or(now)).to_std().unwrap_or_default();
        units::human_duration(d)
    };
    match c.state.status {
        Status::Created => "Created".into(),
        Status::Running => format!("Up {}", since(c.state.started_at)),
        Status::Paused => format!("Up {} (Paused)", since(c.state.started_at)),
        Status::Restarting => format!(
            "Restarting ({}) {} ago",
            c.state.exit_code.unwrap_or(0),
            since(c.state.finished_at)
        ),
        Status::Removing => "Removal In Progress".into(),
        Status::Exited => format!(
            "Exited ({}) {} ago",
            c.state.exit_code.unwrap_or(0),
            since(c.state.finished_at)
        ),
    }
}

fn matches_filters(
    c: &Container,
    filters: &[(String, String)],
    pods: &[Pod],
) -> anyhow::Result<bool> {
    // Docker: filters of one key are ORed, different keys ANDed.
    let mut keys: Vec<&str> = filters.iter().map(|(k, _)| k.as_str()).collect();
    keys.dedup();
    for key in keys {
        let mut any = false;
        for (_, v) in filters.iter().filter(|(k, _)| k == key) {
            any |= match key {
                "name" => c.name.contains(v.as_str()),
                "id" => c.id.starts_with(v.as_str()),
                "status" => c.state.status.as_str() == v,
                "label" => label_matches(c, v),
                "ancestor" => {
                    c.image == *v
                        || c.image_name == *v
                        || c.image_id
                            .starts_with(v.strip_prefix("sha256:").unwrap_or(v))
                        || crate::image::reference::Reference::parse(v)
                            .is_ok_and(|r| r.to_string() == c.image_name)
                }
                "pod" => c.pod.as_deref().is_some_and(|id| {
                    pods.iter()
                        .any(|p| p.id == id && (p.name == *v || p.id.starts_with(v.as_str())))
                }),
                "exited" => {
                    c.state.status == Status::Exited
                        && c.state.exit_code.is_some_and(|x| x.to_string() == *v)
                }
                _ => bail!(
                    "invalid filter {key:?}: supported filters are name, id, status, label, ancestor, exited and pod"
                ),
            };
        }
        if !any {
            return Ok(false);
        }
    }
    Ok(true)
}

fn quoted_command(c: &Container, flavor: Flavor, no_trunc: bool) -> String {
    let cmd = c.command_line().join(" ");
    match flavor {
        Flavor::Docker => {
            let s = if !no_trunc && cmd.chars().count() > 20 {
                format!("{}…", cmd.chars().take(19).collect::<String>())
            } else {
                cmd
            };
            format!("\"{s}\"")
        }
        Flavor::Skiff => {
            if !no_trunc && cmd.chars().count() > 20 {
                format!("{}...", cmd.chars().take(17).collect::<String>())
            } else {
                cmd
            }
        }
    }
}

pub fn ps(ctx: &Ctx, a: PsArgs) -> anyhow::Result<u8> {
    let store = container_store(ctx);
    let mut filters = Vec::new();
    for f in &a.filter {
        let Some((k, v)) = f.split_once('=') else {
            bail!("invalid filter {f:?}: expected KEY=VALUE");
        };
        filters.push((k.to_string(), v.to_string()));
    }
    let mut all: Vec<Container> = store
        .list()?
        .into_iter()
        .map(|c| lifecycle::refresh(&store, c))
        .collect::<Result<_, _>>()?;
    all.sort_by_key(|c| std::cmp::Reverse(c.created));
    // Pod names only when some container is in a pod.
    let pods = if all.iter().any(|c| c.pod.is_some()) {
        PodStore::open(&ctx.paths).list()?
    } else {
        Vec::new()
    };
    let show_all = a.all
        || a.last.is_some()
        || a.latest
        || filters.iter().any(|(k, _)| k == "status" || k == "exited");
    let mut rows = Vec::new();
    let now = chrono::Utc::now();
    let limit = if a.latest { Some(1) } else { a.last };
    for c in all.iter() {
        if !show_all && !c.state.status.is_active() {
            continue;
        }
        if !matches_filters(c, &filters, &pods)? {
            continue;
        }
        if limit.is_some_and(|n| rows.len() >= n) {
            break;
        }
        rows.push(row(ctx, &store, c, &a, &pods, now));
    }
    if a.quiet {
        for r in &rows {
            println!("{}", r["ID"].as_str().unwrap_or_default());
        }
        return Ok(0);
    }
    let mut columns = vec![
        Column {
            header: "CONTAINER ID",
            field: "ID",
        },
        Column {
            header: "IMAGE",
            field: "Image",
        },
        Column {
            header: "COMMAND",
            field: "Command",
        },
        Column {
            header: "CREATED",
            field: "RunningFor",
        },
        Column {
            header: "STATUS",
            field: "Status",
        },
        Column {
            header: "PORTS",
            field: "Ports",
        },
        Column {
            header: "NAMES",
            field: "Names",
        },
    ];
    if a.size {
        columns.push(Column {
            header: "SIZE",
            field: "Size",
        });
    }
    if a.pod {
        columns.push(Column {
            header: "POD ID",
            field: "Pod",
        });
        columns.push(Column {
            header: "PODNAME",
            field: "PodName",
        });
    }
    let format = Format::parse(a.format.as_deref());
    print!("{}", output::render(&format, &columns, &[], &rows)?);
    Ok(0)
}

fn row(
    ctx: &Ctx,
    store: &ContainerStore,
    c: &Container,
    a: &PsArgs,
    pods: &[Pod],
    now: chrono::DateTime<chrono::Utc>,
) -> Value {
    let pod = c
        .pod
        .as_deref()
        .and_then(|id| pods.iter().find(|p| p.id == id));
    // A pod's members are reached through the pod's published ports.
    let ports = match pod {
        Some(p) if c.ports.is_empty() => &p.ports,
        _ => &c.ports,
    };
    let id = if a.no_trunc {
        c.id.clone()
    } else {
        c.id[..12].to_string()
    };
    let image = match ctx.flavor {
        Flavor::Docker => c.image.clone(),
        Flavor::Skiff => {
            if c.image_name.is_empty() {
                c.image.clone()
            } else {
                c.image_name.clone()
            }
        }
    };
    let size = if a.size {
        let rw = crate::container::dir_size(&store.dir(&c.id).join("upper"));
        format!(
            "{} (virtual {})",
            units::human_size(rw),
            units::human_size(rw)
        )
    } else {
        String::new()
    };
    let labels = c
        .labels
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",");
    json!({
        "ID": id,
        "Image": image,
        "Command": quoted_command(c, ctx.flavor, a.no_trunc),
        "CreatedAt": c.created.with_timezone(&chrono::Local).format("%Y-%m-%d %H:%M:%S %z %Z").to_string(),
        "RunningFor": units::created_since(c.created, now),
        "Status": status_text(c, now),
        "State": c.state.status.as_str(),
        "Ports": ports.iter().map(|p| p.display()).collect::<Vec<_>>().join(", "),
        "Pod": pod.map(|p| if a.no_trunc { p.id.clone() } else { p.id[..12].to_string() }).unwrap_or_default(),
        "PodName": pod.map(|p| p.name.clone()).unwrap_or_default(),
        "Names": c.name,
        "Labels": labels,
        "Mounts": c.mounts.iter().map(|m| m.volume_name.clone().unwrap_or_else(|| m.source.clone())).collect::<Vec<_>>().join(","),
        "Networks": "",
        "LocalVolumes": c.mounts.iter().filter(|m| m.volume_name.is_some()).count().to_string(),
        "Size": size,
    })
}

/// Docker's inspect document for a container.
pub fn inspect_value(store: &ContainerStore, c: &Container) -> Value {
    let dir = store.dir(&c.id);
    let s = &c.state;
    let ts = |t: Option<chrono::DateTime<chrono::Utc>>| {
        t.map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Nanos, true))
            .unwrap_or_else(|| "0001-01-01T00:00:00Z".into())
    };
    let cmd = c.command_line();
    let layout = store.layout(c);
    let o = &c.options;
    json!({
        "Id": c.id,
        "Created": c.created.to_rfc3339_opts(chrono::SecondsFormat::Nanos, true),
        "Path": cmd.first().cloned().unwrap_or_default(),
        "Args": cmd.iter().skip(1).collect::<Vec<_>>(),
        "State": {
            "Status": s.status.as_str(),
            "Running": matches!(s.status, Status::Running | Status::Paused),
            "Paused": s.status == Status::Paused,
            "Restarting": s.status == Status::Restarting,
            "OOMKilled": false,
            "Dead": false,
            "Pid": s.pid,
            "ExitCode": s.exit_code.unwrap_or(0),
            "Error": s.error,
            "StartedAt": ts(s.started_at),
            "FinishedAt": ts(s.finished_at),
        },
        "Image": if c.image_id.is_empty() { String::new() } else { format!("sha256:{}", c.image_id) },
        "Pod": c.pod.clone().unwrap_or_default(),
        "IsInfra": c.infra,
        "ImageName": c.image_name,
        "ResolvConfPath": dir.join("userdata/resolv.conf"),
        "HostnamePath": dir.join("userdata/hostname"),
        "HostsPath": dir.join("userdata/hosts"),
        "LogPath": store.log_path(&c.id),
        "Name": format!("/{}", c.name),
        "RestartCount": s.restart_count,
        "Driver": c.driver,
        "Platform": "linux",
        "MountLabel": "",
        "ProcessLabel": "",
        "AppArmorProfile": "",
        "HostConfig": {
            "AutoRemove": c.auto_remove,
            "RestartPolicy": restart_json(&c.restart),
            "LogConfig": {"Type": log_driver_name(c.log_driver), "Config": {}},
        },
        "GraphDriver": {
            "Name": c.driver,
            "Data": {
                "LowerDir": layout.lowers.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(":"),
                "UpperDir": layout.upper,
                "WorkDir": layout.work,
                "MergedDir": layout.merged,
            }
        },
        "Mounts": c.mounts.iter().map(|m| json!({
            "Type": if m.volume_name.is_some() { "volume" } else { "bind" },
            "Name": m.volume_name,
            "Source": m.source,
            "Destination": m.destination,
            "Options": m.options,
        })).collect::<Vec<_>>(),
        "Config": {
            "Hostname": o.hostname.clone().unwrap_or_else(|| c.id[..12].to_string()),
            "Domainname": "",
            "AttachStdin": o.interactive,
            "Tty": o.tty,
            "OpenStdin": o.interactive,
            "Env": c.image_defaults.env.iter().chain(o.env.iter()).collect::<Vec<_>>(),
            "Cmd": if o.command.is_empty() { c.image_defaults.cmd.clone().unwrap_or_default() } else { o.command.clone() },
            "Image": c.image,
            "Entrypoint": o.entrypoint.clone().or_else(|| c.image_defaults.entrypoint.clone()),
            "WorkingDir": c.image_defaults.working_dir.clone().unwrap_or_default(),
            "Labels": c.labels,
            "StopSignal": o.stop_signal.clone().or_else(|| c.image_defaults.stop_signal.clone()).unwrap_or_else(|| "SIGTERM".into()),
        },
        "NetworkSettings": network_settings(&dir, c),
    })
}

/// Docker's NetworkSettings: the published ports, and on the bridge the
/// container's address, gateway and MAC (top level and under `Networks`).
fn network_settings(dir: &std::path::Path, c: &Container) -> Value {
    let mut v = json!({
        "Ports": ports_json(&c.ports),
        "IPAddress": "",
        "IPPrefixLen": 0,
        "Gateway": "",
        "MacAddress": "",
        "Networks": {},
    });
    let running = matches!(c.state.status, Status::Running | Status::Paused);
    if let Some((name, addrs)) = crate::network::bridge_addresses(dir).filter(|_| running)
        && let Some(a) = addrs.iter().find(|a| a.ip.is_ipv4()).or(addrs.first())
    {
        let one = json!({
            "IPAddress": a.ip.to_string(),
            "IPPrefixLen": a.prefix_len,
            "Gateway": a.gateway.map(|g| g.to_string()).unwrap_or_default(),
            "MacAddress": a.mac,
        });
        if let (Some(m), Some(o)) = (v.as_object_mut(), one.as_object()) {
            for (k, x) in o {
                m.insert(k.clone(), x.clone());
            }
        }
        v["Networks"] = json!({ name: one });
    }
    v
}

/// Docker's `{"80/tcp": [{"HostIp": "0.0.0.0", "HostPort": "8080"}]}`.
fn ports_json(ports: &[crate::network::PortMapping]) -> Value {
    let mut m = serde_json::Map::new();
    for p in ports {
        let key = format!("{}/{}", p.container_port, p.protocol.as_str());
        let host_ip = if p.host_ip.is_empty() {
            "0.0.0.0"
        } else {
            &p.host_ip
        };
        let entry = json!({"HostIp": host_ip, "HostPort": p.host_port.to_string()});
        match m.get_mut(&key).and_then(Value::as_array_mut) {
            Some(a) => a.push(entry),
            None => {
                m.insert(key, json!([entry]));
            }
        }
    }
    Value::Object(m)
}

/// `port CONTAINER [PRIVATE_PORT[/PROTO]]`: Docker's lines.
pub fn port(ctx: &Ctx, a: super::PortArgs) -> anyhow::Result<u8> {
    let store = container_store(ctx);
    let c = store.lookup(&a.container)?;
    let want = match &a.port {
        None => None,
        Some(p) => {
            let (num, proto) = p.split_once('/').unwrap_or((p, "tcp"));
            let n: u16 = num
                .parse()
                .map_err(|_| anyhow::anyhow!("invalid port {p:?}: expected PORT[/tcp|/udp]"))?;
            Some((n, proto.to_string()))
        }
    };
    let mut found = false;
    for m in &c.ports {
        let host_ip = if m.host_ip.is_empty() {
            "0.0.0.0"
        } else {
            &m.host_ip
        };
        match &want {
            None => println!(
                "{}/{} -> {host_ip}:{}",
                m.container_port,
                m.protocol.as_str(),
                m.host_port
            ),
            Some((n, proto)) if *n == m.container_port && proto == m.protocol.as_str() => {
                println!("{host_ip}:{}", m.host_port);
            }
            Some(_) => continue,
        }
        found = true;
    }
    if !found && let Some((n, proto)) = want {
        bail!("no public port '{n}/{proto}' published for {}", c.name);
    }
    Ok(0)
}

fn restart_json(r: &crate::container::spec::RestartPolicy) -> Value {
    use crate::container::spec::RestartPolicy as R;
    match r {
        R::No => json!({"Name": "no", "MaximumRetryCount": 0}),
        R::Always => json!({"Name": "always", "MaximumRetryCount": 0}),
        R::UnlessStopped => json!({"Name": "unless-stopped", "MaximumRetryCount": 0}),
        R::OnFailure(n) => json!({"Name": "on-failure", "MaximumRetryCount": n.unwrap_or(0)}),
    }
}

fn log_driver_name(d: crate::container::logs::LogDriver) -> &'static str {
    use crate::container::logs::LogDriver as L;
    match d {
        L::K8sFile => "k8s-file",
        L::JsonFile => "json-file",
        L::None => "none",
    }
}

pub fn inspect_containers(ctx: &Ctx, a: ContainerInspectArgs) -> anyhow::Result<u8> {
    let store = container_store(ctx);
    let mut docs = Vec::new();
    let mut code = 0;
    for key in &a.containers {
        match store
            .lookup(key)
            .and_then(|c| lifecycle::refresh(&store, c))
        {
            Ok(c) => docs.push(inspect_value(&store, &c)),
            Err(e) => {
                eprintln!("Error: {e}");
                code = crate::cli::EXIT_ENGINE;
            }
        }
    }
    output::print_inspect(docs, a.format.as_deref())?;
    Ok(code)
}
