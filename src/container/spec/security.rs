//! Capabilities, seccomp and masked paths for a container, as Docker sets
//! them.
use oci_spec::runtime::LinuxSeccomp;
use serde_json::{Value, json};

use super::{SeccompMode, SpecError, SpecOptions};
use crate::runtime::security::{CAPABILITY_NAMES, docker_default_capabilities};

/// The capabilities in a `CapBnd:` mask of /proc/<pid>/status.
pub(super) fn caps_in_mask(status: &str) -> Option<Vec<String>> {
    let hex = status
        .lines()
        .find_map(|l| l.strip_prefix("CapBnd:"))?
        .trim();
    let mask = u64::from_str_radix(hex, 16).ok()?;
    Some(
        CAPABILITY_NAMES
            .iter()
            .enumerate()
            .filter(|(i, _)| mask & (1u64 << i) != 0)
            .map(|(_, n)| n.to_string())
            .collect(),
    )
}

/// Every capability the engine holds in its bounding set (`--privileged`,
/// `--cap-add ALL`), as Podman does: asking for more fails at create.
fn all_capabilities() -> Vec<String> {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| caps_in_mask(&s))
        .unwrap_or_else(|| CAPABILITY_NAMES.iter().map(|s| s.to_string()).collect())
}

/// The capability set: Docker's defaults adjusted by `--cap-add` and
/// `--cap-drop` (moby's order: a dropped `ALL` starts from nothing, an added
/// `ALL` from everything; otherwise defaults minus drops plus adds).
pub(super) fn capabilities(o: &SpecOptions) -> Result<Vec<String>, SpecError> {
    if o.privileged {
        return Ok(all_capabilities());
    }
    let norm = |v: &[String]| -> Result<Vec<String>, SpecError> {
        v.iter().map(|c| super::parse::capability_name(c)).collect()
    };
    let (add, drop) = (norm(&o.cap_add)?, norm(&o.cap_drop)?);
    let all = |v: &[String]| v.iter().any(|c| c == "ALL");
    let mut caps = if all(&drop) {
        Vec::new()
    } else {
        let mut base = if all(&add) {
            all_capabilities()
        } else {
            docker_default_capabilities()
        };
        base.retain(|c| !drop.contains(c));
        base
    };
    if all(&add) && all(&drop) {
        return Ok(all_capabilities());
    }
    for c in add.into_iter().filter(|c| c != "ALL") {
        if !caps.contains(&c) {
            caps.push(c);
        }
    }
    Ok(caps)
}

/// The seccomp profile for `caps`; `None` when unconfined.
pub(super) fn seccomp(o: &SpecOptions, caps: &[String]) -> Result<Option<LinuxSeccomp>, SpecError> {
    if o.privileged {
        return Ok(None);
    }
    match &o.seccomp {
        SeccompMode::Unconfined => Ok(None),
        SeccompMode::Default => Ok(Some(crate::runtime::security::default_seccomp_profile_for(
            caps,
        ))),
        SeccompMode::Profile(text) => seccomp_from_json(text, caps).map(Some),
    }
}

/// Docker's architecture names for this build, as in its profiles' `arches`.
fn go_arch() -> &'static str {
    if cfg!(target_arch = "x86_64") {
        "amd64"
    } else if cfg!(target_arch = "aarch64") {
        "arm64"
    } else if cfg!(target_arch = "arm") {
        "arm"
    } else if cfg!(target_arch = "powerpc64") {
        "ppc64le"
    } else if cfg!(target_arch = "s390x") {
        "s390x"
    } else if cfg!(target_arch = "riscv64") {
        "riscv64"
    } else {
        "unknown"
    }
}

/// libseccomp's name for this build's architecture.
fn scmp_arch() -> &'static str {
    if cfg!(target_arch = "x86_64") {
        "SCMP_ARCH_X86_64"
    } else if cfg!(target_arch = "aarch64") {
        "SCMP_ARCH_AARCH64"
    } else if cfg!(target_arch = "arm") {
        "SCMP_ARCH_ARM"
    } else if cfg!(target_arch = "powerpc64") {
        "SCMP_ARCH_PPC64LE"
    } else if cfg!(target_arch = "s390x") {
        "SCMP_ARCH_S390X"
    } else if cfg!(target_arch = "riscv64") {
        "SCMP_ARCH_RISCV64"
    } else {
        "SCMP_ARCH_NATIVE"
    }
}

/// Whether a Docker `includes`/`excludes` condition holds.
fn condition(c: &Value, caps: &[String], any: bool) -> bool {
    let has_cap = |name: &Value| {
        name.as_str().is_some_and(|n| {
            let n = n.to_ascii_uppercase();
            caps.iter().any(|c| *c == n || *c == format!("CAP_{n}"))
        })
    };
    let arch = |a: &Value| a.as_str() == Some(go_arch());
    let list = |k: &str| c[k].as_array().filter(|a| !a.is_empty());
    let checks = [
        list("caps").map(|l| {
            if any {
                l.iter().any(has_cap)
            } else {
                l.iter().all(has_cap)
            }
        }),
        list("arches").map(|l| l.iter().any(arch)),
    ];
    if any {
        checks.contains(&Some(true))
    } else {
        // minKernel is not checked: the rule applies.
        checks.iter().all(|c| *c != Some(false))
    }
}

/// Turns a profile in Docker's format (`archMap`, `includes`/`excludes`,
/// `name`) into OCI's, for a container with `caps`.
fn from_docker_format(mut v: Value, caps: &[String]) -> Value {
    if let Some(map) = v.get("archMap").and_then(Value::as_array).cloned() {
        let native = scmp_arch();
        let arches: Vec<Value> = map
            .iter()
            .filter(|m| m["architecture"] == native)
            .flat_map(|m| {
                std::iter::once(m["architecture"].clone()).chain(
                    m["subArchitectures"]
                        .as_array()
                        .cloned()
                        .unwrap_or_default(),
                )
            })
            .collect();
        v["architectures"] = Value::Array(arches);
    }
    if let Some(o) = v.as_object_mut() {
        o.remove("archMap");
    }
    if let Some(calls) = v.get_mut("syscalls").and_then(Value::as_array_mut) {
        calls.retain(|s| {
            let inc = s.get("includes").is_none_or(|c| condition(c, caps, false));
            let exc = s.get("excludes").is_some_and(|c| condition(c, caps, true));
            inc && !exc
        });
        for s in calls.iter_mut() {
            if let Some(o) = s.as_object_mut() {
                if let Some(name) = o.remove("name") {
                    o.entry("names").or_insert_with(|| json!([name]));
                }
                for k in ["includes", "excludes", "comment"] {
                    o.remove(k);
                }
            }
        }
    }
    v
}

/// Parses a seccomp profile (OCI `LinuxSeccomp`, or Docker's format) for a
/// container with capabilities `caps`, and checks it as `create` would.
pub fn seccomp_from_json(text: &str, caps: &[String]) -> Result<LinuxSeccomp, SpecError> {
    let v: Value = serde_json::from_str(text).map_err(|e| SpecError::Seccomp(e.to_string()))?;
    if !v.is_object() {
        return Err(SpecError::Seccomp("expected a JSON object".into()));
    }
    let v = from_docker_format(v, caps);
    let s: LinuxSeccomp =
        serde_json::from_value(v).map_err(|e| SpecError::Seccomp(e.to_string()))?;
    crate::runtime::security::validate_seccomp(&s)
        .map_err(|e| SpecError::Seccomp(e.to_string()))?;
    Ok(s)
}

/// Docker's masked and read-only paths (the lists `skiff runtime spec`
/// uses), adjusted by `--security-opt mask=`/`unmask=`; none when
/// privileged.
pub(super) fn masked_paths(o: &SpecOptions) -> (Vec<String>, Vec<String>) {
    if o.privileged || o.unmask.iter().any(|p| p == "ALL") {
        return (o.mask.clone(), Vec::new());
    }
    let d = crate::runtime::spec_default::default_spec(false);
    let linux = d.linux().clone().unwrap_or_default();
    let mut masked = linux.masked_paths().clone().unwrap_or_default();
    let readonly = linux.readonly_paths().clone().unwrap_or_default();
    masked.retain(|p| !o.unmask.contains(p));
    for m in &o.mask {
        if !masked.contains(m) {
            masked.push(m.clone());
        }
    }
    (masked, readonly)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(add: &[&str], drop: &[&str]) -> SpecOptions {
        SpecOptions {
            cap_add: add.iter().map(|s| s.to_string()).collect(),
            cap_drop: drop.iter().map(|s| s.to_string()).collect(),
            ..Default::default()
        }
    }

    #[test]
    fn capability_arithmetic() {
        let def = docker_default_capabilities();
        assert_eq!(capabilities(&opts(&[], &[])).unwrap(), def);

        let c = capabilities(&opts(
            &["net_admin", "CAP_SYS_TIME"],
            &["chown", "CAP_KILL"],
        ))
        .unwrap();
        assert!(c.contains(&"CAP_NET_ADMIN".into()) && c.contains(&"CAP_SYS_TIME".into()));
        assert!(!c.contains(&"CAP_CHOWN".into()) && !c.contains(&"CAP_KILL".into()));
        assert_eq!(c.len(), def.len());

        let c = capabilities(&opts(&["NET_ADMIN"], &["ALL"])).unwrap();
        assert_eq!(c, vec!["CAP_NET_ADMIN".to_string()]);

        let c = capabilities(&opts(&["ALL"], &["SYS_ADMIN"])).unwrap();
        assert!(c.contains(&"CAP_SYS_PTRACE".into()) && !c.contains(&"CAP_SYS_ADMIN".into()));

        // Added wins over dropped, as in moby.
        let c = capabilities(&opts(&["KILL"], &["KILL"])).unwrap();
        assert!(c.contains(&"CAP_KILL".into()));

        let mut p = opts(&[], &["ALL"]);
        p.privileged = true;
        assert!(capabilities(&p).unwrap().contains(&"CAP_SYS_ADMIN".into()));

        assert_eq!(
            capabilities(&opts(&["FOO"], &[])).unwrap_err().to_string(),
            "unknown capability \"FOO\": use a name from capabilities(7), e.g. NET_ADMIN or CAP_NET_ADMIN"
        );
    }

    #[test]
    fn bounding_set_names() {
        let caps = caps_in_mask("Name:\tx\nCapBnd:\t0000000000200021\n").unwrap();
        assert_eq!(caps, ["CAP_CHOWN", "CAP_KILL", "CAP_SYS_ADMIN"]);
        assert_eq!(caps_in_mask("CapBnd:\tzz\n"), None);
        assert_eq!(caps_in_mask(""), None);
    }

    #[test]
    fn oci_profile() {
        let p = r#"{"defaultAction":"SCMP_ACT_ERRNO","defaultErrnoRet":1,
            "syscalls":[{"names":["read","write"],"action":"SCMP_ACT_ALLOW"}]}"#;
        let s = seccomp_from_json(p, &[]).unwrap();
        assert_eq!(s.syscalls().as_ref().unwrap()[0].names().len(), 2);
        let e = seccomp_from_json("{nope", &[]).unwrap_err().to_string();
        assert!(e.starts_with("invalid seccomp profile:"), "{e}");
        let bad = r#"{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["read"],
            "action":"SCMP_ACT_ERRNO","errnoRet":70000}]}"#;
        assert!(
            seccomp_from_json(bad, &[])
                .unwrap_err()
                .to_string()
                .contains("70000")
        );
    }

    #[test]
    fn docker_profile() {
        let native = scmp_arch();
        let p = json!({
            "defaultAction": "SCMP_ACT_ERRNO",
            "archMap": [
                {"architecture": native, "subArchitectures": ["SCMP_ARCH_X86"]},
                {"architecture": "SCMP_ARCH_MIPS", "subArchitectures": []}
            ],
            "syscalls": [
                {"names": ["read"], "action": "SCMP_ACT_ALLOW", "comment": "", "includes": {}, "excludes": {}},
                {"name": "ptrace", "action": "SCMP_ACT_ALLOW", "includes": {"caps": ["CAP_SYS_PTRACE"]}},
                {"names": ["mount"], "action": "SCMP_ACT_ALLOW", "includes": {"caps": ["CAP_SYS_ADMIN"]}},
                {"names": ["clone"], "action": "SCMP_ACT_ALLOW", "excludes": {"caps": ["CAP_SYS_ADMIN"]}},
                {"names": ["arch_prctl"], "action": "SCMP_ACT_ALLOW", "includes": {"arches": [go_arch()]}},
                {"names": ["s390_pci_mmio_read"], "action": "SCMP_ACT_ALLOW", "includes": {"arches": ["nope"]}}
            ]
        })
        .to_string();
        let s = seccomp_from_json(&p, &["CAP_SYS_PTRACE".into()]).unwrap();
        let names: Vec<String> = s
            .syscalls()
            .as_ref()
            .unwrap()
            .iter()
            .flat_map(|r| r.names().clone())
            .collect();
        assert_eq!(names, ["read", "ptrace", "clone", "arch_prctl"]);
        let arches = serde_json::to_value(s.architectures()).unwrap();
        assert_eq!(arches, json!([native, "SCMP_ARCH_X86"]));

        let s = seccomp_from_json(&p, &["CAP_SYS_ADMIN".into()]).unwrap();
        let names: Vec<String> = s
            .syscalls()
            .as_ref()
            .unwrap()
            .iter()
            .flat_map(|r| r.names().clone())
            .collect();
        assert_eq!(names, ["read", "mount", "arch_prctl"]);
    }

    #[test]
    fn masks() {
        let o = SpecOptions::default();
        let (m, r) = masked_paths(&o);
        assert!(m.contains(&"/proc/kcore".into()) && r.contains(&"/proc/sys".into()));
        let o = SpecOptions {
            mask: vec!["/secret".into()],
            unmask: vec!["/proc/kcore".into()],
            ..Default::default()
        };
        let (m, _) = masked_paths(&o);
        assert!(m.contains(&"/secret".into()) && !m.contains(&"/proc/kcore".into()));
        let o = SpecOptions {
            privileged: true,
            ..Default::default()
        };
        assert_eq!(masked_paths(&o), (vec![], vec![]));
    }
}
