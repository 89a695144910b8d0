//! `skiff runtime spec`'s default configuration, signal names, and the
//! runtime-spec `features` document.
use oci_spec::runtime::Spec;
use serde_json::{Value, json};

use super::error::RuntimeError;

/// The runtime-spec version this runtime implements.
pub const OCI_VERSION: &str = "1.2.0";

/// A config like `runc spec [--rootless]`: `sh` on a terminal, Docker's
/// default capabilities, the usual masked and read-only paths and mounts.
/// Rootless: a user namespace mapping the caller's uid/gid to root, no
/// network namespace, /sys bound from the host, no cgroup mount, no
/// resources and no `gid=5` on devpts (that group is not mapped).
pub fn default_spec(rootless: bool) -> Spec {
    let caps = super::security::docker_default_capabilities();
    let mut v = json!({
        "ociVersion": OCI_VERSION,
        "process": {
            "terminal": true,
            "user": {"uid": 0, "gid": 0},
            "args": ["sh"],
            "env": [
                "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                "TERM=xterm"
            ],
            "cwd": "/",
            "capabilities": {"bounding": caps, "effective": caps, "permitted": caps},
            "rlimits": [{"type": "RLIMIT_NOFILE", "hard": 1024, "soft": 1024}],
            "noNewPrivileges": true
        },
        "root": {"path": "rootfs", "readonly": true},
        "hostname": "skiff",
        "mounts": [
            {"destination": "/proc", "type": "proc", "source": "proc"},
            {"destination": "/dev", "type": "tmpfs", "source": "tmpfs",
             "options": ["nosuid", "strictatime", "mode=755", "size=65536k"]},
            {"destination": "/dev/pts", "type": "devpts", "source": "devpts",
             "options": ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"]},
            {"destination": "/dev/shm", "type": "tmpfs", "source": "shm",
             "options": ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"]},
            {"destination": "/dev/mqueue", "type": "mqueue", "source": "mqueue",
             "options": ["nosuid", "noexec", "nodev"]},
            {"destination": "/sys", "type": "sysfs", "source": "sysfs",
             "options": ["nosuid", "noexec", "nodev", "ro"]},
            {"destination": "/sys/fs/cgroup", "type": "cgroup", "source": "cgroup",
             "options": ["nosuid", "noexec", "nodev", "relatime", "ro"]}
        ],
        "linux": {
            "resources": {"devices": [{"allow": false, "access": "rwm"}]},
            "namespaces": [
                {"type": "pid"}, {"type": "network"}, {"type": "ipc"},
                {"type": "uts"}, {"type": "mount"}, {"type": "cgroup"}
            ],
            "maskedPaths": [
                "/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys",
                "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats",
                "/proc/sched_debug", "/sys/firmware", "/proc/scsi", "/sys/devices/virtual/powercap"
            ],
            "readonlyPaths": [
                "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"
            ]
        }
    });
    if rootless {
        let uid = crate::sys::effective_uid();
        let gid = rustix::process::getegid().as_raw();
        let linux = &mut v["linux"];
        linux["uidMappings"] = json!([{"containerID": 0, "hostID": uid, "size": 1}]);
        linux["gidMappings"] = json!([{"containerID": 0, "hostID": gid, "size": 1}]);
        if let Some(ns) = linux["namespaces"].as_array_mut() {
            ns.retain(|n| n["type"] != "network");
            ns.push(json!({"type": "user"}));
        }
        if let Some(o) = linux.as_object_mut() {
            o.remove("resources");
        }
        if let Some(mounts) = v["mounts"].as_array_mut() {
            mounts.retain(|m| m["type"] != "cgroup");
            for m in mounts.iter_mut() {
                if let Some(opts) = m["options"].as_array_mut() {
                    opts.retain(|o| !o.as_str().is_some_and(|s| s.starts_with("gid=")));
                }
                if m["destination"] == "/sys" {
                    *m = json!({"destination": "/sys", "type": "none", "source": "/sys",
                        "options": ["rbind", "nosuid", "noexec", "nodev", "ro"]});
                }
            }
        }
    }
    serde_json::from_value(v).expect("the default spec is well-formed")
}

/// A signal by name or number: "KILL", "SIGKILL", "kill", "9", "RTMIN+3".
pub fn signal_from_str(s: &str) -> Result<i32, RuntimeError> {
    let bad = || RuntimeError::UnknownSignal(s.to_string());
    let rtmin = libc::SIGRTMIN();
    let rtmax = libc::SIGRTMAX();
    if let Ok(n) = s.parse::<i32>() {
        return if (1..=rtmax).contains(&n) {
            Ok(n)
        } else {
            Err(bad())
        };
    }
    let up = s.to_ascii_uppercase();
    let name = up.strip_prefix("SIG").unwrap_or(&up);
    let rt = |base: i32, rest: &str, sign: i32| -> Result<i32, RuntimeError> {
        let off: i32 = if rest.is_empty() {
            0
        } else {
            rest.parse().map_err(|_| bad())?
        };
        let n = base + sign * off;
        if (rtmin..=rtmax).contains(&n) {
            Ok(n)
        } else {
            Err(bad())
        }
    };
    if let Some(rest) = name.strip_prefix("RTMIN") {
        return match rest.strip_prefix('+') {
            Some(r) => rt(rtmin, r, 1),
            None if rest.is_empty() => Ok(rtmin),
            None => Err(bad()),
        };
    }
    if let Some(rest) = name.strip_prefix("RTMAX") {
        return match rest.strip_prefix('-') {
            Some(r) => rt(rtmax, r, -1),
            None if rest.is_empty() => Ok(rtmax),
            None => Err(bad()),
        };
    }
    format!("SIG{name}")
        .parse::<nix::sys::signal::Signal>()
        .map(|sig| sig as i32)
        .map_err(|_| bad())
}

/// The runtime-spec features document (features.md).
pub fn features() -> Value {
    let mut caps: Vec<String> = caps::all().iter().map(|c| c.to_string()).collect();
    caps.sort();
    json!({
        "ociVersionMin": "1.0.0",
        "ociVersionMax": OCI_VERSION,
        "hooks": ["prestart", "createRuntime", "createContainer", "startContainer",
                  "poststart", "poststop"],
        "mountOptions": [
            "async", "atime", "bind", "defaults", "dev", "diratime", "dirsync", "exec",
            "iversion", "lazytime", "loud", "mand", "noatime", "nodev", "nodiratime",
            "noexec", "noiversion", "nolazytime", "nomand", "norelatime", "nostrictatime",
            "nosuid", "nosymfollow", "private", "ratime", "rbind", "rdev", "rdiratime",
            "relatime", "remount", "rexec", "rnoatime", "rnodev", "rnodiratime", "rnoexec",
            "rnorelatime", "rnostrictatime", "rnosuid", "rnosymfollow", "ro", "rprivate",
            "rrelatime", "rro", "rrw", "rshared", "rslave", "rstrictatime", "rsuid",
            "rsymfollow", "runbindable", "rw", "shared", "silent", "slave", "strictatime",
            "suid", "symfollow", "sync", "unbindable"
        ],
        "linux": {
            "namespaces": ["cgroup", "ipc", "mount", "network", "pid", "time", "user", "uts"],
            "capabilities": caps,
            "cgroup": {"v1": true, "v2": true, "systemd": false, "systemdUser": false,
                       "rdma": false},
            "seccomp": super::security::seccomp_features(),
            "apparmor": {"enabled": true},
            "selinux": {"enabled": false},
            "intelRdt": {"enabled": false},
            "mountExtensions": {"idmap": {"enabled": false}}
        },
        "annotations": {
            "org.opencontainers.runtime-spec.features": OCI_VERSION
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use oci_spec::runtime::LinuxNamespaceType as T;

    #[test]
    fn signals() {
        assert_eq!(signal_from_str("KILL").unwrap(), 9);
        assert_eq!(signal_from_str("SIGKILL").unwrap(), 9);
        assert_eq!(signal_from_str("sigterm").unwrap(), 15);
        assert_eq!(signal_from_str("9").unwrap(), 9);
        assert_eq!(signal_from_str("HUP").unwrap(), 1);
        assert_eq!(signal_from_str("RTMIN").unwrap(), libc::SIGRTMIN());
        assert_eq!(signal_from_str("SIGRTMIN+3").unwrap(), libc::SIGRTMIN() + 3);
        assert_eq!(signal_from_str("RTMAX-1").unwrap(), libc::SIGRTMAX() - 1);
        for bad in ["", "0", "-1", "65", "NOPE", "SIGRTMIN+99", "RTMINX", "9x"] {
            assert!(signal_from_str(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn default_specs() {
        let s = default_spec(false);
        let p = s.process().as_ref().unwrap();
        assert_eq!(p.args().as_deref(), Some(&["sh".to_string()][..]));
        assert_eq!(p.terminal(), Some(true));
        let bounding = p
            .capabilities()
            .as_ref()
            .unwrap()
            .bounding()
            .as_ref()
            .unwrap();
        assert_eq!(
            bounding.len(),
            super::super::security::docker_default_capabilities().len()
        );
        let ns: Vec<_> = super::super::spec::namespaces(&s)
            .into_iter()
            .map(|n| n.0)
            .collect();
        assert!(ns.contains(&T::Network) && !ns.contains(&T::User));
        assert!(
            s.mounts()
                .as_ref()
                .unwrap()
                .iter()
                .any(|m| m.typ().as_deref() == Some("cgroup"))
        );

        let r = default_spec(true);
        let ns: Vec<_> = super::super::spec::namespaces(&r)
            .into_iter()
            .map(|n| n.0)
            .collect();
        assert!(!ns.contains(&T::Network) && ns.contains(&T::User));
        let l = r.linux().as_ref().unwrap();
        let um = &l.uid_mappings().as_ref().unwrap()[0];
        assert_eq!(
            (um.container_id(), um.host_id(), um.size()),
            (0, crate::sys::effective_uid(), 1)
        );
        assert!(l.resources().is_none());
        let mounts = r.mounts().as_ref().unwrap();
        assert!(!mounts.iter().any(|m| m.typ().as_deref() == Some("cgroup")));
        let sys = mounts
            .iter()
            .find(|m| m.destination().to_str() == Some("/sys"))
            .unwrap();
        assert!(
            sys.options()
                .as_ref()
                .unwrap()
                .contains(&"rbind".to_string())
        );
        assert!(
            !mounts
                .iter()
                .flat_map(|m| m.options().clone().unwrap_or_default())
                .any(|o| o.starts_with("gid="))
        );
    }

    #[test]
    fn features_shape() {
        let f = features();
        assert_eq!(f["ociVersionMax"], OCI_VERSION);
        assert!(f["hooks"].as_array().unwrap().len() == 6);
        let caps = f["linux"]["capabilities"].as_array().unwrap();
        assert!(caps.iter().any(|c| c == "CAP_SYS_ADMIN"));
        assert!(f["linux"]["seccomp"].is_object());
    }
}
