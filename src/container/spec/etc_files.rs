//! The container's /etc/hosts, /etc/hostname and /etc/resolv.conf, written
//! to its userdata dir and bind-mounted over the image's.
use std::net::IpAddr;
use std::path::{Path, PathBuf};

use super::{NetworkMode, SpecError, SpecOptions};
use crate::network::EtcHints;

/// Used when the host has no nameserver the container can reach (Docker's).
const FALLBACK_NAMESERVERS: [&str; 2] = ["8.8.8.8", "8.8.4.4"];
/// systemd-resolved's list of upstream servers, for when /etc/resolv.conf
/// points at its loopback stub.
const RESOLVED_UPSTREAM: &str = "/run/systemd/resolve/resolv.conf";

fn own_netns(o: &SpecOptions) -> bool {
    o.network != NetworkMode::Host
}

fn is_loopback(ns: &str) -> bool {
    ns.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// /etc/hosts. On the host's network: the host's file plus `--add-host`.
/// Otherwise the localhost lines, `--add-host` entries, and the hostname and
/// name on 127.0.1.1, and with a network that reaches the host (slirp4netns:
/// `hints.host_gateway`), `host.containers.internal` and
/// `host.docker.internal` for it; `--add-host NAME:host-gateway` too.
pub(super) fn hosts_file(
    hostname: &str,
    name: &str,
    o: &SpecOptions,
    host: Option<&str>,
    hints: &EtcHints,
) -> String {
    let mut out = String::new();
    match host {
        Some(h) => {
            out.push_str(h);
            if !out.is_empty() && !out.ends_with('\n') {
                out.push('\n');
            }
        }
        None => {
            out.push_str(
                "127.0.0.1\tlocalhost localhost.localdomain localhost4 localhost4.localdomain4\n",
            );
            out.push_str(
                "::1\tlocalhost localhost.localdomain localhost6 localhost6.localdomain6\n",
            );
        }
    }
    for (h, ip) in &o.add_host {
        match (ip.as_str(), &hints.host_gateway) {
            ("host-gateway", Some(gw)) => out.push_str(&format!("{gw}\t{h}\n")),
            ("host-gateway", None) => {}
            _ => out.push_str(&format!("{ip}\t{h}\n")),
        }
    }
    if let Some(gw) = &hints.host_gateway {
        out.push_str(&format!(
            "{gw}\thost.containers.internal host.docker.internal\n"
        ));
    }
    if host.is_none() {
        let mut names = hostname.to_string();
        if !name.is_empty() && name != hostname {
            names.push(' ');
            names.push_str(name);
        }
        out.push_str(&format!("127.0.1.1\t{names}\n"));
    }
    out
}

#[derive(Default)]
struct Resolv {
    nameservers: Vec<String>,
    search: Vec<String>,
    options: Vec<String>,
}

fn parse_resolv(text: &str) -> Resolv {
    let mut r = Resolv::default();
    for line in text.lines() {
        let mut f = line.split_whitespace();
        match f.next() {
            Some("nameserver") => r.nameservers.extend(f.next().map(str::to_string)),
            // The last search or domain line wins (resolv.conf(5)).
            Some("search") | Some("domain") => r.search = f.map(str::to_string).collect(),
            Some("options") => r.options.extend(f.map(str::to_string)),
            _ => {}
        }
    }
    r
}

/// /etc/resolv.conf from the host's (`host`), without loopback nameservers
/// when the container has its own network namespace (they would point at
/// the container itself), overridden by `--dns*`. On the host's network
/// with no overrides, the host's file unchanged.
pub(super) fn resolv_conf(host: &str, o: &SpecOptions, hints: &EtcHints) -> String {
    let overridden = !o.dns.is_empty() || !o.dns_search.is_empty() || !o.dns_option.is_empty();
    if !own_netns(o) && !overridden {
        return host.to_string();
    }
    let h = parse_resolv(host);
    let nameservers = if !o.dns.is_empty() {
        o.dns.clone()
    } else if let Some(ns) = &hints.nameserver {
        // The network's own forwarder (slirp4netns's 10.0.2.3).
        vec![ns.clone()]
    } else {
        let mut ns = h.nameservers;
        if own_netns(o) {
            ns.retain(|n| !is_loopback(n));
        }
        if ns.is_empty() {
            ns = FALLBACK_NAMESERVERS.iter().map(|s| s.to_string()).collect();
        }
        ns
    };
    let search = if o.dns_search.is_empty() {
        h.search
    } else if o.dns_search.iter().any(|s| s == ".") {
        Vec::new()
    } else {
        o.dns_search.clone()
    };
    let options = if o.dns_option.is_empty() {
        h.options
    } else {
        o.dns_option.clone()
    };
    let mut out = String::new();
    if !search.is_empty() {
        out.push_str(&format!("search {}\n", search.join(" ")));
    }
    for n in nameservers {
        out.push_str(&format!("nameserver {n}\n"));
    }
    if !options.is_empty() {
        out.push_str(&format!("options {}\n", options.join(" ")));
    }
    out
}

/// The host's resolv.conf as the container should see it: with its own
/// network namespace and only loopback nameservers (systemd-resolved's
/// stub), the upstream list that systemd-resolved keeps.
fn host_resolv(o: &SpecOptions) -> String {
    let text = std::fs::read_to_string("/etc/resolv.conf").unwrap_or_default();
    let h = parse_resolv(&text);
    if own_netns(o)
        && !h.nameservers.is_empty()
        && h.nameservers.iter().all(|n| is_loopback(n))
        && let Ok(up) = std::fs::read_to_string(RESOLVED_UPSTREAM)
    {
        return up;
    }
    text
}

/// Replaces `path` with `data` (temp file, then rename), mode 0644.
fn write_file(path: &Path, data: &str) -> Result<(), SpecError> {
    use std::io::Write;
    use std::os::unix::fs::PermissionsExt;
    let dir = path.parent().unwrap_or(Path::new("."));
    let what = || format!("writing {}", path.display());
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(SpecError::io(what()))?;
    tmp.write_all(data.as_bytes())
        .map_err(SpecError::io(what()))?;
    tmp.as_file()
        .set_permissions(std::fs::Permissions::from_mode(0o644))
        .map_err(SpecError::io(what()))?;
    tmp.persist(path)
        .map_err(|e| SpecError::io(what())(e.error))?;
    Ok(())
}

/// Writes hosts, hostname and resolv.conf into `dir` and returns the
/// (container path, host path) pairs for [`super::SpecEnv::etc_files`].
/// The files are copies even on the host's network, so the container cannot
/// change the host's.
pub fn write_etc_files(
    dir: &Path,
    hostname: &str,
    name: &str,
    o: &SpecOptions,
    hints: &EtcHints,
) -> Result<Vec<(String, PathBuf)>, SpecError> {
    std::fs::create_dir_all(dir).map_err(SpecError::io(format!("creating {}", dir.display())))?;
    let host_hosts = if own_netns(o) {
        None
    } else {
        Some(std::fs::read_to_string("/etc/hosts").unwrap_or_default())
    };
    let files = [
        (
            "hosts",
            hosts_file(hostname, name, o, host_hosts.as_deref(), hints),
        ),
        ("hostname", format!("{hostname}\n")),
        ("resolv.conf", resolv_conf(&host_resolv(o), o, hints)),
    ];
    let mut out = Vec::new();
    for (file, data) in files {
        let path = dir.join(file);
        write_file(&path, &data)?;
        out.push((format!("/etc/{file}"), path));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOST: &str = "# generated\nnameserver 127.0.0.53\nnameserver 10.1.1.1\n\
        nameserver ::1\nsearch corp.example lab.example\noptions edns0 trust-ad\n";

    #[test]
    fn resolv_own_netns() {
        let o = SpecOptions::default();
        assert_eq!(
            resolv_conf(HOST, &o, &EtcHints::default()),
            "search corp.example lab.example\nnameserver 10.1.1.1\noptions edns0 trust-ad\n"
        );
        // Only loopback servers: Docker's fallback.
        let r = resolv_conf("nameserver 127.0.0.1\n", &o, &EtcHints::default());
        assert_eq!(r, "nameserver 8.8.8.8\nnameserver 8.8.4.4\n");
    }

    #[test]
    fn resolv_overrides() {
        let o = SpecOptions {
            dns: vec!["1.1.1.1".into()],
            dns_search: vec!["a.example".into()],
            dns_option: vec!["ndots:2".into()],
            ..Default::default()
        };
        assert_eq!(
            resolv_conf(HOST, &o, &EtcHints::default()),
            "search a.example\nnameserver 1.1.1.1\noptions ndots:2\n"
        );
        let o = SpecOptions {
            dns_search: vec![".".into()],
            network: NetworkMode::Host,
            ..Default::default()
        };
        // Host network with an override: loopback servers are kept.
        assert_eq!(
            resolv_conf(HOST, &o, &EtcHints::default()),
            "nameserver 127.0.0.53\nnameserver 10.1.1.1\nnameserver ::1\noptions edns0 trust-ad\n"
        );
        let o = SpecOptions {
            network: NetworkMode::Host,
            ..Default::default()
        };
        assert_eq!(resolv_conf(HOST, &o, &EtcHints::default()), HOST);
    }

    #[test]
    fn hosts() {
        let o = SpecOptions {
            add_host: vec![
                ("db".into(), "10.0.0.5".into()),
                ("gw".into(), "host-gateway".into()),
                ("v6".into(), "fe80::1".into()),
            ],
            ..Default::default()
        };
        let slirp = EtcHints {
            nameserver: Some("10.0.2.3".into()),
            host_gateway: Some("10.0.2.2".into()),
        };
        let h = hosts_file("abc123", "web", &o, None, &slirp);
        assert!(
            h.contains("10.0.2.2\thost.containers.internal host.docker.internal\n"),
            "{h}"
        );
        assert_eq!(
            resolv_conf(HOST, &o, &slirp).matches("nameserver").count(),
            1
        );
        assert!(resolv_conf(HOST, &o, &slirp).contains("nameserver 10.0.2.3\n"));
        let h = hosts_file("abc123", "web", &o, None, &EtcHints::default());
        assert!(h.starts_with("127.0.0.1\tlocalhost "));
        assert!(h.contains("\n10.0.0.5\tdb\n") && h.contains("\nfe80::1\tv6\n"));
        assert!(!h.contains("host-gateway"));
        assert!(h.ends_with("127.0.1.1\tabc123 web\n"));
        assert!(
            hosts_file("web", "web", &o, None, &EtcHints::default()).ends_with("127.0.1.1\tweb\n")
        );
        let h = hosts_file(
            "box",
            "web",
            &o,
            Some("127.0.0.1 localhost"),
            &EtcHints::default(),
        );
        assert_eq!(h, "127.0.0.1 localhost\n10.0.0.5\tdb\nfe80::1\tv6\n");
    }

    #[test]
    fn writes_the_files() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("userdata");
        let o = SpecOptions {
            dns: vec!["9.9.9.9".into()],
            ..Default::default()
        };
        let files = write_etc_files(&dir, "abcdef012345", "web", &o, &EtcHints::default()).unwrap();
        let names: Vec<&str> = files.iter().map(|(c, _)| c.as_str()).collect();
        assert_eq!(names, ["/etc/hosts", "/etc/hostname", "/etc/resolv.conf"]);
        assert_eq!(
            std::fs::read_to_string(&files[1].1).unwrap(),
            "abcdef012345\n"
        );
        assert!(
            std::fs::read_to_string(&files[2].1)
                .unwrap()
                .contains("nameserver 9.9.9.9\n")
        );
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&files[0].1).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o644);
        // Rewriting replaces the files.
        write_etc_files(&dir, "other", "web", &o, &EtcHints::default()).unwrap();
        assert_eq!(std::fs::read_to_string(&files[1].1).unwrap(), "other\n");
    }
}
