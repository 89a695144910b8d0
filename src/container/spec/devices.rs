//! `--device` and `--privileged` devices, and the device cgroup rules.
//!
//! As root a device becomes a `linux.devices` node (the runtime mknods it)
//! plus a cgroup allow rule. Rootless there is no device cgroup and no
//! mknod: the host's node is bind-mounted at the container path instead.
use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use super::{DeviceSpec, SpecError, SpecOptions};

/// A host device node and where it goes.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Node {
    pub container: String,
    pub host: PathBuf,
    pub block: bool,
    pub major: u64,
    pub minor: u64,
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
    pub perms: String,
}

impl Node {
    fn of(host: &Path, meta: &std::fs::Metadata, container: String, perms: &str) -> Option<Node> {
        let ft = meta.file_type();
        if !ft.is_char_device() && !ft.is_block_device() {
            return None;
        }
        let rdev = meta.rdev();
        Some(Node {
            container,
            host: host.to_path_buf(),
            block: ft.is_block_device(),
            major: nix::sys::stat::major(rdev),
            minor: nix::sys::stat::minor(rdev),
            mode: meta.mode() & 0o7777,
            uid: meta.uid(),
            gid: meta.gid(),
            perms: perms.to_string(),
        })
    }
}

/// `/dev` entries Docker leaves out of a privileged container (the runtime
/// makes its own pts, shm, mqueue, console and ptmx).
const PRIVILEGED_SKIP: [&str; 9] = [
    "pts",
    "shm",
    "fd",
    "mqueue",
    ".lxc",
    ".lxd-mounts",
    ".udev",
    "console",
    "ptmx",
];

/// Device nodes under `dir` (not following symlinks), placed under
/// `container`.
fn walk(dir: &Path, container: &str, perms: &str, skip: &[&str], out: &mut Vec<Node>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let name = e.file_name().to_string_lossy().into_owned();
        if skip.contains(&name.as_str()) {
            continue;
        }
        let Ok(meta) = e.metadata() else { continue };
        let cpath = format!("{}/{name}", container.trim_end_matches('/'));
        if meta.is_dir() {
            walk(&e.path(), &cpath, perms, &[], out);
        } else if let Some(n) = Node::of(&e.path(), &meta, cpath, perms) {
            out.push(n);
        }
    }
}

/// The nodes of one `--device` (a directory gives every node under it).
pub(super) fn user_device(d: &DeviceSpec) -> Result<Vec<Node>, SpecError> {
    let spec = format!("{}:{}:{}", d.host.display(), d.container, d.perms);
    let meta = std::fs::metadata(&d.host)
        .map_err(|e| SpecError::invalid("--device", &spec, format!("{}: {e}", d.host.display())))?;
    if meta.is_dir() {
        let mut out = Vec::new();
        walk(&d.host, &d.container, &d.perms, &[], &mut out);
        return Ok(out);
    }
    Node::of(&d.host, &meta, d.container.clone(), &d.perms)
        .map(|n| vec![n])
        .ok_or_else(|| {
            SpecError::invalid(
                "--device",
                &spec,
                format!("{} is not a device node", d.host.display()),
            )
        })
}

/// Every host device a privileged container gets. Rootless, only nodes
/// that other users may read or write (the rest could not be opened
/// anyway), and not the default ones the runtime binds in every container.
fn host_devices(rootless: bool) -> Vec<Node> {
    const DEFAULTS: [&str; 6] = ["null", "zero", "full", "random", "urandom", "tty"];
    let mut out = Vec::new();
    walk(Path::new("/dev"), "/dev", "rwm", &PRIVILEGED_SKIP, &mut out);
    if rootless {
        out.retain(|n| {
            n.mode & 0o006 != 0
                && !DEFAULTS
                    .iter()
                    .any(|d| n.container.strip_prefix("/dev/") == Some(d))
        });
    }
    out
}

/// What the spec gets for devices.
#[derive(Debug, Default)]
pub(super) struct Devices {
    /// `linux.devices` entries.
    pub nodes: Vec<Value>,
    /// `linux.resources.devices` rules (root only).
    pub rules: Vec<Value>,
    /// Bind mounts of host nodes (rootless).
    pub binds: Vec<Value>,
}

/// Docker's device cgroup: deny everything, then allow mknod of any node and
/// use of the standard ones (null, zero, full, random, urandom, tty,
/// console, ptmx, pts, tun).
fn default_rules() -> Vec<Value> {
    let mut rules = vec![
        json!({"allow": false, "access": "rwm"}),
        json!({"allow": true, "type": "c", "access": "m"}),
        json!({"allow": true, "type": "b", "access": "m"}),
    ];
    for (major, minor) in [
        (1, 3),
        (1, 5),
        (1, 7),
        (1, 8),
        (1, 9),
        (5, 0),
        (5, 1),
        (5, 2),
        (10, 200),
    ] {
        rules.push(
            json!({"allow": true, "type": "c", "major": major, "minor": minor, "access": "rwm"}),
        );
    }
    rules.push(json!({"allow": true, "type": "c", "major": 136, "access": "rwm"}));
    rules
}

pub(super) fn devices(o: &SpecOptions, rootless: bool) -> Result<Devices, SpecError> {
    let mut nodes = if o.privileged {
        host_devices(rootless)
    } else {
        Vec::new()
    };
    for d in &o.devices {
        nodes.extend(user_device(d)?);
    }
    // A later entry for the same path wins.
    let mut seen = Vec::new();
    for i in (0..nodes.len()).rev() {
        if seen.contains(&nodes[i].container) {
            nodes.remove(i);
        } else {
            seen.push(nodes[i].container.clone());
        }
    }
    let mut out = Devices::default();
    if rootless {
        out.binds = nodes
            .iter()
            .map(|n| {
                let mut opts = vec!["bind", "nosuid", "noexec"];
                if !n.perms.contains('w') {
                    opts.push("ro");
                }
                json!({"destination": n.container, "type": "bind",
                       "source": n.host, "options": opts})
            })
            .collect();
        return Ok(out);
    }
    out.rules = if o.privileged {
        vec![json!({"allow": true, "access": "rwm"})]
    } else {
        default_rules()
    };
    for n in &nodes {
        let typ = if n.block { "b" } else { "c" };
        out.nodes
            .push(json!({"path": n.container, "type": typ, "major": n.major,
            "minor": n.minor, "fileMode": n.mode, "uid": n.uid, "gid": n.gid}));
        if !o.privileged {
            out.rules
                .push(json!({"allow": true, "type": typ, "major": n.major,
                "minor": n.minor, "access": n.perms}));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dev(host: &str, container: &str, perms: &str) -> DeviceSpec {
        DeviceSpec {
            host: host.into(),
            container: container.into(),
            perms: perms.into(),
        }
    }

    #[test]
    fn user_devices_as_root_and_rootless() {
        let o = SpecOptions {
            devices: vec![
                dev("/dev/null", "/dev/mynull", "rw"),
                dev("/dev/zero", "/dev/zero", "r"),
            ],
            ..Default::default()
        };
        let d = devices(&o, false).unwrap();
        assert_eq!(d.nodes.len(), 2);
        assert_eq!(d.nodes[0]["path"], "/dev/mynull");
        assert_eq!(
            (d.nodes[0]["major"].as_u64(), d.nodes[0]["minor"].as_u64()),
            (Some(1), Some(3))
        );
        assert_eq!(d.nodes[0]["type"], "c");
        assert_eq!(d.rules[0], json!({"allow": false, "access": "rwm"}));
        let last = d.rules.last().unwrap();
        assert_eq!(last["access"], "r");
        assert_eq!(last["minor"], 5);
        assert!(d.binds.is_empty());

        let d = devices(&o, true).unwrap();
        assert!(d.nodes.is_empty() && d.rules.is_empty());
        assert_eq!(d.binds[0]["source"], "/dev/null");
        assert_eq!(d.binds[0]["destination"], "/dev/mynull");
        assert_eq!(
            d.binds[1]["options"],
            json!(["bind", "nosuid", "noexec", "ro"])
        );
    }

    #[test]
    fn bad_devices() {
        let e = user_device(&dev("/nonexistent/dev", "/dev/x", "rwm"))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("/nonexistent/dev") && e.contains("--device"),
            "{e}"
        );
        let e = user_device(&dev("/etc/passwd", "/dev/x", "rwm"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("is not a device node"), "{e}");
    }

    #[test]
    fn privileged_gets_host_devices() {
        let o = SpecOptions {
            privileged: true,
            ..Default::default()
        };
        let d = devices(&o, false).unwrap();
        assert_eq!(d.rules, vec![json!({"allow": true, "access": "rwm"})]);
        assert!(d.nodes.iter().any(|n| n["path"] == "/dev/null"));
        assert!(
            !d.nodes
                .iter()
                .any(|n| n["path"] == "/dev/ptmx" || n["path"] == "/dev/console")
        );
        assert!(
            !d.nodes
                .iter()
                .any(|n| n["path"].as_str().unwrap().starts_with("/dev/pts/"))
        );
        let d = devices(&o, true).unwrap();
        assert!(
            !d.binds.iter().any(|n| n["source"] == "/dev/null"),
            "the runtime binds the default devices itself"
        );
    }
}
