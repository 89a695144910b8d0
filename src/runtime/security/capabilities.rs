//! Capability names and the five sets of `process.capabilities`.
//!
//! Names follow capabilities(7) (`CAP_CHOWN`). Parsing is case-insensitive
//! and accepts the name without the `CAP_` prefix, the forms `oci-spec` also
//! accepts when it deserializes a config (it further strips repeated
//! prefixes, which we refuse); anything else is an error (runc and crun
//! accept unknown names with a warning; skiff refuses them at create).
use oci_spec::runtime::{Capabilities, Capability, LinuxCapabilities};

use super::SecurityError;

/// Capability names indexed by their kernel number (CAP_CHOWN = 0 ...
/// CAP_CHECKPOINT_RESTORE = 40, Linux 5.9).
pub const CAPABILITY_NAMES: [&str; 41] = [
    "CAP_CHOWN",
    "CAP_DAC_OVERRIDE",
    "CAP_DAC_READ_SEARCH",
    "CAP_FOWNER",
    "CAP_FSETID",
    "CAP_KILL",
    "CAP_SETGID",
    "CAP_SETUID",
    "CAP_SETPCAP",
    "CAP_LINUX_IMMUTABLE",
    "CAP_NET_BIND_SERVICE",
    "CAP_NET_BROADCAST",
    "CAP_NET_ADMIN",
    "CAP_NET_RAW",
    "CAP_IPC_LOCK",
    "CAP_IPC_OWNER",
    "CAP_SYS_MODULE",
    "CAP_SYS_RAWIO",
    "CAP_SYS_CHROOT",
    "CAP_SYS_PTRACE",
    "CAP_SYS_PACCT",
    "CAP_SYS_ADMIN",
    "CAP_SYS_BOOT",
    "CAP_SYS_NICE",
    "CAP_SYS_RESOURCE",
    "CAP_SYS_TIME",
    "CAP_SYS_TTY_CONFIG",
    "CAP_MKNOD",
    "CAP_LEASE",
    "CAP_AUDIT_WRITE",
    "CAP_AUDIT_CONTROL",
    "CAP_SETFCAP",
    "CAP_MAC_OVERRIDE",
    "CAP_MAC_ADMIN",
    "CAP_SYSLOG",
    "CAP_WAKE_ALARM",
    "CAP_BLOCK_SUSPEND",
    "CAP_AUDIT_READ",
    "CAP_PERFMON",
    "CAP_BPF",
    "CAP_CHECKPOINT_RESTORE",
];

/// Docker's and Podman's default capability set.
const DOCKER_DEFAULT: [&str; 14] = [
    "CAP_CHOWN",
    "CAP_DAC_OVERRIDE",
    "CAP_FSETID",
    "CAP_FOWNER",
    "CAP_MKNOD",
    "CAP_NET_RAW",
    "CAP_SETGID",
    "CAP_SETUID",
    "CAP_SETFCAP",
    "CAP_SETPCAP",
    "CAP_NET_BIND_SERVICE",
    "CAP_SYS_CHROOT",
    "CAP_KILL",
    "CAP_AUDIT_WRITE",
];

pub fn docker_default_capabilities() -> Vec<String> {
    DOCKER_DEFAULT.iter().map(|s| s.to_string()).collect()
}

/// The kernel number of a capability name (`CAP_SYS_ADMIN`, `sys_admin`).
pub fn parse_capability(name: &str) -> Result<u32, SecurityError> {
    let upper = name.trim().to_ascii_uppercase();
    let full = if upper.starts_with("CAP_") {
        upper
    } else {
        format!("CAP_{upper}")
    };
    CAPABILITY_NAMES
        .iter()
        .position(|n| *n == full)
        .map(|i| i as u32)
        .ok_or_else(|| SecurityError::UnknownCapability {
            name: name.to_string(),
            set: None,
        })
}

/// The kernel number of an `oci-spec` capability (its Display form is the
/// name without the prefix).
pub fn oci_capability_number(cap: &Capability) -> u32 {
    let name = format!("CAP_{cap}");
    // Every oci-spec variant is in the table (checked by a unit test); the
    // fallback keeps this total should a newer oci-spec add a variant first.
    CAPABILITY_NAMES
        .iter()
        .position(|n| *n == name)
        .map_or(u32::MAX, |i| i as u32)
}

/// The five sets as bit masks. An absent set is empty: nothing is granted
/// that the config did not list.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CapMasks {
    pub bounding: u64,
    pub effective: u64,
    pub permitted: u64,
    pub inheritable: u64,
    pub ambient: u64,
}

/// The highest capability number this kernel knows.
pub fn last_cap() -> u32 {
    std::fs::read_to_string("/proc/sys/kernel/cap_last_cap")
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(CAPABILITY_NAMES.len() as u32 - 1)
}

fn mask_of(set: Option<&Capabilities>, last: u32, unsupported: &mut Vec<String>) -> u64 {
    let mut mask = 0u64;
    for cap in set.into_iter().flatten() {
        let n = oci_capability_number(cap);
        if n > last || n >= 64 {
            let name = format!("CAP_{cap}");
            if !unsupported.contains(&name) {
                unsupported.push(name);
            }
            continue;
        }
        mask |= 1 << n;
    }
    mask
}

/// The masks the config asks for, minus capabilities newer than the kernel
/// (returned by name so the caller can warn, as runc does).
pub fn masks(caps: Option<&LinuxCapabilities>, last: u32) -> (CapMasks, Vec<String>) {
    let mut unsupported = Vec::new();
    let Some(c) = caps else {
        return (CapMasks::default(), unsupported);
    };
    let m = CapMasks {
        bounding: mask_of(c.bounding().as_ref(), last, &mut unsupported),
        effective: mask_of(c.effective().as_ref(), last, &mut unsupported),
        permitted: mask_of(c.permitted().as_ref(), last, &mut unsupported),
        inheritable: mask_of(c.inheritable().as_ref(), last, &mut unsupported),
        ambient: mask_of(c.ambient().as_ref(), last, &mut unsupported),
    };
    (m, unsupported)
}

/// Names of the capabilities in `mask`, for messages.
pub fn names_of(mask: u64) -> String {
    let names: Vec<String> = (0..64u32)
        .filter(|i| mask & (1 << i) != 0)
        .map(|i| {
            CAPABILITY_NAMES
                .get(i as usize)
                .map_or_else(|| format!("capability {i}"), |s| s.to_string())
        })
        .collect();
    names.join(", ")
}

/// Checks the relations the kernel enforces, so a config it would refuse
/// fails at create with a clear message instead of in the init at start:
/// effective ⊆ permitted (capset), inheritable ⊆ bounding (capset, after the
/// bounding drop), ambient ⊆ permitted ∩ inheritable (PR_CAP_AMBIENT_RAISE).
pub fn check_relations(m: &CapMasks) -> Result<(), SecurityError> {
    let rel = |extra: u64, set: &'static str, must_be_in: &'static str| {
        if extra == 0 {
            Ok(())
        } else {
            Err(SecurityError::CapabilityRelation {
                caps: names_of(extra),
                set,
                must_be_in,
            })
        }
    };
    rel(m.effective & !m.permitted, "effective", "permitted")?;
    rel(m.inheritable & !m.bounding, "inheritable", "bounding")?;
    rel(
        m.ambient & !(m.permitted & m.inheritable),
        "ambient",
        "both permitted and inheritable",
    )
}

/// Checks every capability name of a raw config (`process.capabilities.*`),
/// so an unknown name is reported as such, naming the set, before the typed
/// parse turns it into a generic deserialization error.
pub fn check_raw_names(config: &serde_json::Value) -> Result<(), SecurityError> {
    let Some(caps) = config
        .get("process")
        .and_then(|p| p.get("capabilities"))
        .and_then(|c| c.as_object())
    else {
        return Ok(());
    };
    for (set, list) in caps {
        let set_name = set.clone();
        let Some(list) = list.as_array() else {
            return Err(SecurityError::InvalidConfig(format!(
                "process.capabilities.{set} is not a list"
            )));
        };
        for item in list {
            let Some(name) = item.as_str() else {
                return Err(SecurityError::InvalidConfig(format!(
                    "process.capabilities.{set} holds a non-string value {item}"
                )));
            };
            parse_capability(name).map_err(|_| SecurityError::UnknownCapability {
                name: name.to_string(),
                set: Some(set_name.clone()),
            })?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_names_with_and_without_prefix() {
        assert_eq!(parse_capability("CAP_CHOWN").unwrap(), 0);
        assert_eq!(parse_capability("CAP_SYS_ADMIN").unwrap(), 21);
        assert_eq!(parse_capability("sys_admin").unwrap(), 21);
        assert_eq!(parse_capability("NET_RAW").unwrap(), 13);
        assert_eq!(parse_capability("CAP_CHECKPOINT_RESTORE").unwrap(), 40);
    }

    #[test]
    fn rejects_unknown_names_naming_them() {
        for bad in ["CAP_TEST", "CAP_", "", "CAP_SYS_ADMINX", "CAP_CAP_CHOWN"] {
            let err = parse_capability(bad).unwrap_err().to_string();
            assert!(err.contains(&format!("\"{bad}\"")), "{err}");
            assert!(!err.contains('\n'));
        }
    }

    #[test]
    fn every_oci_spec_capability_maps_to_its_number() {
        for (i, name) in CAPABILITY_NAMES.iter().enumerate() {
            let cap: Capability = serde_json::from_value(serde_json::json!(name)).unwrap();
            assert_eq!(oci_capability_number(&cap), i as u32, "{name}");
        }
    }

    #[test]
    fn docker_defaults_are_known_names() {
        let d = docker_default_capabilities();
        assert_eq!(d.len(), 14);
        for n in &d {
            parse_capability(n).unwrap();
        }
        assert!(!d.iter().any(|n| n == "CAP_SYS_ADMIN"));
    }

    fn caps_from(json: serde_json::Value) -> LinuxCapabilities {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn masks_treat_absent_sets_as_empty_and_drop_unsupported() {
        let c = caps_from(serde_json::json!({
            "bounding": ["CAP_CHOWN", "CAP_KILL", "CAP_CHECKPOINT_RESTORE"],
            "effective": ["CAP_KILL"]
        }));
        let (m, unsupported) = masks(Some(&c), 39);
        assert_eq!(m.bounding, 1 | 1 << 5);
        assert_eq!(m.effective, 1 << 5);
        assert_eq!(m.permitted, 0);
        assert_eq!(unsupported, vec!["CAP_CHECKPOINT_RESTORE".to_string()]);
        assert_eq!(masks(None, 40).0, CapMasks::default());
    }

    #[test]
    fn relations_name_the_offending_capability() {
        let c = caps_from(serde_json::json!({
            "bounding": ["CAP_KILL"], "permitted": ["CAP_KILL"],
            "effective": ["CAP_KILL", "CAP_NET_RAW"]
        }));
        let err = check_relations(&masks(Some(&c), 40).0)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("CAP_NET_RAW") && err.contains("effective"),
            "{err}"
        );

        let c = caps_from(serde_json::json!({
            "bounding": ["CAP_KILL"], "permitted": ["CAP_KILL"],
            "inheritable": ["CAP_KILL"], "ambient": ["CAP_KILL"]
        }));
        check_relations(&masks(Some(&c), 40).0).unwrap();

        let c = caps_from(serde_json::json!({
            "bounding": ["CAP_KILL"], "permitted": ["CAP_KILL"], "ambient": ["CAP_KILL"]
        }));
        let err = check_relations(&masks(Some(&c), 40).0)
            .unwrap_err()
            .to_string();
        assert!(err.contains("ambient") && err.contains("CAP_KILL"), "{err}");
    }

    #[test]
    fn raw_check_reports_set_and_name() {
        let cfg = serde_json::json!({"process": {"capabilities": {
            "bounding": ["CAP_CHOWN"], "effective": ["CAP_CHOWN", "CAP_TEST"]}}});
        let err = check_raw_names(&cfg).unwrap_err().to_string();
        assert!(
            err.contains("\"CAP_TEST\"") && err.contains("effective"),
            "{err}"
        );
        let ok = serde_json::json!({"process": {"capabilities": {"bounding": ["CAP_CHOWN"]}}});
        check_raw_names(&ok).unwrap();
        check_raw_names(&serde_json::json!({})).unwrap();
    }
}
