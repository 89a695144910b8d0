//! `info` / `system info`: the host, the store and the version, with
//! `podman info`'s keys; printed YAML-like, as JSON, or through a template.
use std::path::Path;

use clap::Args;
use serde_json::{Value, json};

use crate::cli::output;
use crate::cli::{Ctx, units};
use crate::container::{ContainerStore, Status, lifecycle};
use crate::rootless::IdMap;
use crate::runtime::cgroups::{self, CgroupMode};

#[derive(Args, Debug)]
pub struct InfoArgs {
    /// Output format: json or a Go template
    #[arg(short, long)]
    pub format: Option<String>,
}

pub fn info(ctx: &Ctx, a: InfoArgs) -> anyhow::Result<u8> {
    let v = info_value(ctx)?;
    match a.format.as_deref() {
        Some("json") => println!("{}", serde_json::to_string_pretty(&v)?),
        Some(t) if !t.is_empty() => {
            println!("{}", output::render_template(t, &template_view(&v))?)
        }
        _ => print!("{}", yamlish(&v, 0)),
    }
    Ok(0)
}

fn info_value(ctx: &Ctx) -> anyhow::Result<Value> {
    let cstore = ContainerStore::open(&ctx.paths);
    let mut statuses = Vec::new();
    for c in cstore.list()? {
        statuses.push(lifecycle::refresh(&cstore, c)?.state.status);
    }
    let count = |s: Status| statuses.iter().filter(|x| **x == s).count();
    let (running, paused) = (count(Status::Running), count(Status::Paused));
    let images = ctx.store()?.images()?.len();
    let uts = rustix::system::uname();
    let storage = ctx.paths.storage();
    let rootless = crate::rootless::is_rootless();
    let driver = match &ctx.storage_driver {
        Some(n) => n.clone(),
        None => crate::storage::driver::probe(&storage, rootless)
            .name()
            .to_string(),
    };
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let mem = |key: &str| meminfo_kb(&meminfo, key) * 1024;
    let arch = crate::image::manifest::Platform::host().architecture;
    let (uidmap, gidmap) = id_mappings(rootless);
    let (fs_size, fs_used) = fs_usage(&storage);
    let search = crate::config::registries::RegistriesConfig::load(&ctx.paths)
        .map(|r| r.search_registries().to_vec())
        .unwrap_or_default();
    Ok(json!({
        "host": {
            "arch": arch,
            "os": "linux",
            "kernel": uts.release().to_string_lossy(),
            "hostname": uts.nodename().to_string_lossy(),
            "distribution": distribution(),
            "cgroupVersion": cgroup_version(),
            "cgroupManager": "cgroupfs",
            "cgroupControllers": cgroup_controllers(rootless),
            "rootless": rootless,
            "cpus": std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
            "memTotal": mem("MemTotal:"),
            "memFree": mem("MemAvailable:"),
            "swapTotal": mem("SwapTotal:"),
            "swapFree": mem("SwapFree:"),
            "uptime": uptime(),
            "ociRuntime": {
                "name": "skiff",
                "package": "built in",
                "path": std::env::current_exe().ok(),
                "version": env!("CARGO_PKG_VERSION"),
            },
            "idMappings": {"uidmap": uidmap, "gidmap": gidmap},
            "networkBackend": if rootless { "slirp4netns" } else { "none" },
        },
        "store": {
            "graphRoot": storage,
            "graphRootAllocated": fs_size,
            "graphRootUsed": fs_used,
            "runRoot": ctx.paths.runtime,
            "graphDriverName": driver,
            "volumePath": ctx.paths.data.join("volumes"),
            "containerStore": {
                "number": statuses.len(),
                "running": running,
                "paused": paused,
                "stopped": statuses.len() - running - paused,
            },
            "imageStore": {"number": images},
        },
        "registries": {"search": search},
        "version": {
            "Version": env!("CARGO_PKG_VERSION"),
            "Os": "linux",
            "OsArch": format!("linux/{arch}"),
        },
    }))
}

/// What templates see: podman's Go field names for the same tree
/// (`{{.Host.Arch}}`, `{{.Store.GraphRoot}}`), plus the top-level fields of
/// `docker info` that scripts ask for (`{{.ServerVersion}}`, `{{.Driver}}`).
fn template_view(v: &Value) -> Value {
    fn go_name(k: &str) -> String {
        let known = [
            ("idMappings", "IDMappings"),
            ("uidmap", "UIDMap"),
            ("gidmap", "GIDMap"),
            ("container_id", "ContainerID"),
            ("host_id", "HostID"),
            ("ociRuntime", "OCIRuntime"),
            ("cpus", "CPUs"),
            ("cgroupVersion", "CgroupsVersion"),
        ];
        if let Some((_, g)) = known.iter().find(|(j, _)| *j == k) {
            return g.to_string();
        }
        let mut c = k.chars();
        c.next()
            .map(|f| f.to_uppercase().chain(c).collect())
            .unwrap_or_default()
    }
    fn convert(v: &Value) -> Value {
        match v {
            Value::Object(m) => {
                Value::Object(m.iter().map(|(k, v)| (go_name(k), convert(v))).collect())
            }
            Value::Array(a) => Value::Array(a.iter().map(convert).collect()),
            other => other.clone(),
        }
    }
    let mut out = convert(v);
    let (h, s) = (&v["host"], &v["store"]);
    let cs = &s["containerStore"];
    let docker = json!({
        "ServerVersion": v["version"]["Version"],
        "Containers": cs["number"],
        "ContainersRunning": cs["running"],
        "ContainersPaused": cs["paused"],
        "ContainersStopped": cs["stopped"],
        "Images": s["imageStore"]["number"],
        "Driver": s["graphDriverName"],
        "DockerRootDir": s["graphRoot"],
        "KernelVersion": h["kernel"],
        "OperatingSystem": h["distribution"]["distribution"],
        "OSType": h["os"],
        "Architecture": rustix::system::uname().machine().to_string_lossy(),
        "NCPU": h["cpus"],
        "MemTotal": h["memTotal"],
        "Name": h["hostname"],
        "CgroupDriver": h["cgroupManager"],
        "CgroupVersion": if h["cgroupVersion"] == "v2" { "2" } else { "1" },
        "SecurityOptions": if h["rootless"] == true { json!(["name=rootless"]) } else { json!([]) },
    });
    if let (Value::Object(o), Value::Object(d)) = (&mut out, docker) {
        o.extend(d);
    }
    out
}

/// The user namespace's maps: those we run in, else (rootless, outside it)
/// the ones the namespace would get from /etc/subuid and /etc/subgid; none
/// for root, which runs in the initial namespace.
fn id_mappings(rootless: bool) -> (Value, Value) {
    let to_json = |maps: &[IdMap]| -> Value {
        maps.iter()
            .map(|m| json!({"container_id": m.container_id, "host_id": m.host_id, "size": m.size}))
            .collect()
    };
    if let Some(info) = crate::rootless::current() {
        return (to_json(&info.uid_map), to_json(&info.gid_map));
    }
    if !rootless {
        return (Value::Null, Value::Null);
    }
    let (uid, gid) = (crate::rootless::host_uid(), crate::rootless::host_gid());
    let user = nix::unistd::User::from_uid(nix::unistd::Uid::from_raw(uid))
        .ok()
        .flatten()
        .map(|u| u.name)
        .unwrap_or_default();
    let plan = |id: u32, file: &str| {
        let ranges =
            crate::rootless::subid::subid_ranges(&user, uid, Path::new(file)).unwrap_or_default();
        to_json(&crate::rootless::subid::build_maps(id, &ranges))
    };
    (plan(uid, "/etc/subuid"), plan(gid, "/etc/subgid"))
}

fn cgroup_version() -> &'static str {
    let mountinfo = std::fs::read_to_string("/proc/self/mountinfo").unwrap_or_default();
    match cgroups::detect_mode(Path::new("/sys/fs/cgroup"), &mountinfo) {
        CgroupMode::V2 => "v2",
        CgroupMode::V1 => "v1",
        CgroupMode::Hybrid => "hybrid",
        CgroupMode::None => "none",
    }
}

/// Controllers a container could use: the delegated ones for a rootless
/// user on v2, every mounted one otherwise.
fn cgroup_controllers(rootless: bool) -> Vec<String> {
    let unified = Path::new("/sys/fs/cgroup/cgroup.controllers");
    if unified.exists() {
        if rootless && !crate::container::lifecycle::cgroups_delegated() {
            return Vec::new();
        }
        return std::fs::read_to_string(unified)
            .unwrap_or_default()
            .split_whitespace()
            .map(str::to_string)
            .collect();
    }
    if rootless {
        return Vec::new();
    }
    let mut out: Vec<String> = std::fs::read_to_string("/proc/cgroups")
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            (f.get(3) == Some(&"1")).then(|| f[0].to_string())
        })
        .collect();
    out.sort();
    out
}

fn meminfo_kb(text: &str, key: &str) -> u64 {
    text.lines()
        .find_map(|l| l.strip_prefix(key))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// `NAME` and `VERSION_ID` from os-release.
fn distribution() -> Value {
    let text = std::fs::read_to_string("/etc/os-release")
        .or_else(|_| std::fs::read_to_string("/usr/lib/os-release"))
        .unwrap_or_default();
    let get = |key: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(key)?.strip_prefix('='))
            .map(|v| v.trim_matches('"').to_string())
            .unwrap_or_default()
    };
    json!({"distribution": get("ID"), "version": get("VERSION_ID"), "codename": get("VERSION_CODENAME")})
}

fn uptime() -> String {
    let secs = std::fs::read_to_string("/proc/uptime")
        .ok()
        .and_then(|t| t.split_whitespace().next()?.parse::<f64>().ok())
        .unwrap_or(0.0);
    units::human_duration(std::time::Duration::from_secs(secs as u64))
}

/// Size and used bytes of the filesystem holding `dir`.
fn fs_usage(dir: &Path) -> (u64, u64) {
    match rustix::fs::statvfs(dir) {
        Ok(s) => {
            let size = s.f_blocks * s.f_frsize;
            (size, size.saturating_sub(s.f_bfree * s.f_frsize))
        }
        Err(_) => (0, 0),
    }
}

/// `podman info`'s YAML-like human form.
fn yamlish(v: &Value, indent: usize) -> String {
    let pad = "  ".repeat(indent);
    let mut out = String::new();
    let Value::Object(m) = v else {
        return format!("{pad}{}\n", scalar(v));
    };
    for (k, v) in m {
        match v {
            Value::Object(_) => out.push_str(&format!("{pad}{k}:\n{}", yamlish(v, indent + 1))),
            Value::Array(a) if !a.is_empty() => {
                out.push_str(&format!("{pad}{k}:\n"));
                for item in a {
                    // `- ` then the item's first line; its other lines under it.
                    let inner = yamlish(item, indent + 2);
                    let base = "  ".repeat(indent + 2);
                    let mut lines = inner.lines().map(|l| l.strip_prefix(&base).unwrap_or(l));
                    if let Some(first) = lines.next() {
                        out.push_str(&format!("{pad}- {first}\n"));
                    }
                    for l in lines {
                        out.push_str(&format!("{pad}  {l}\n"));
                    }
                }
            }
            _ => out.push_str(&format!("{pad}{k}: {}\n", scalar(v))),
        }
    }
    out
}

fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Array(_) => "[]".into(),
        Value::Null => "null".into(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yamlish_nests_objects_and_lists() {
        let v = json!({
            "host": {
                "arch": "amd64",
                "idMappings": {"uidmap": [
                    {"container_id": 0, "host_id": 1000, "size": 1},
                    {"container_id": 1, "host_id": 100000, "size": 65536},
                ], "gidmap": null},
                "cgroupControllers": [],
            },
            "version": {"Version": "1.0"},
        });
        assert_eq!(
            yamlish(&v, 0),
            "host:\n  arch: amd64\n  idMappings:\n    uidmap:\n    \
             - container_id: 0\n      host_id: 1000\n      size: 1\n    \
             - container_id: 1\n      host_id: 100000\n      size: 65536\n    \
             gidmap: null\n  cgroupControllers: []\n\
             version:\n  Version: 1.0\n"
        );
    }

    #[test]
    fn templates_see_go_field_names() {
        let v = json!({
            "host": {"arch": "amd64", "cpus": 2, "idMappings": {"uidmap": [{"container_id": 0}]},
                     "cgroupVersion": "v2", "rootless": true},
            "store": {"graphRoot": "/s", "containerStore": {"number": 3, "running": 1}},
            "version": {"Version": "1.0"},
        });
        let t = template_view(&v);
        assert_eq!(t["Host"]["Arch"], "amd64");
        assert_eq!(t["Host"]["CPUs"], 2);
        assert_eq!(t["Host"]["IDMappings"]["UIDMap"][0]["ContainerID"], 0);
        assert_eq!(t["Store"]["ContainerStore"]["Number"], 3);
        assert_eq!(t["Version"]["Version"], "1.0");
        assert_eq!(
            (&t["ServerVersion"], &t["Containers"]),
            (&json!("1.0"), &json!(3))
        );
        assert_eq!(
            (&t["DockerRootDir"], &t["CgroupVersion"]),
            (&json!("/s"), &json!("2"))
        );
        assert_eq!(t["SecurityOptions"], json!(["name=rootless"]));
    }

    #[test]
    fn meminfo_fields() {
        let t = "MemTotal:       16303256 kB\nMemFree:         1000 kB\n";
        assert_eq!(meminfo_kb(t, "MemTotal:"), 16303256);
        assert_eq!(meminfo_kb(t, "SwapTotal:"), 0);
    }
}
