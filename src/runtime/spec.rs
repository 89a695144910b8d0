//! Loading a bundle's config.json and refusing, before anything is created,
//! a configuration the runtime cannot honour.
use std::collections::HashSet;
use std::path::{Path, PathBuf};

use oci_spec::runtime::{LinuxNamespaceType, Spec};

use super::error::RuntimeError;

/// Reads `<bundle>/config.json`. Unknown capability names are reported by
/// name (the typed parse would only say "unknown variant").
pub fn load(bundle: &Path) -> Result<Spec, RuntimeError> {
    let path = bundle.join("config.json");
    let err = |message: String| RuntimeError::LoadSpec {
        path: path.clone(),
        message,
    };
    let data = std::fs::read(&path).map_err(|e| err(e.to_string()))?;
    let raw: serde_json::Value = serde_json::from_slice(&data).map_err(|e| err(e.to_string()))?;
    super::security::check_raw_names(&raw)?;
    serde_json::from_value(raw).map_err(|e| err(e.to_string()))
}

/// The absolute root filesystem path (`root.path` relative to the bundle).
pub fn rootfs_path(spec: &Spec, bundle: &Path) -> Result<PathBuf, RuntimeError> {
    let root = spec
        .root()
        .as_ref()
        .ok_or_else(|| RuntimeError::InvalidSpec("root is required".into()))?;
    let p = bundle.join(root.path());
    let abs = std::fs::canonicalize(&p)
        .map_err(|e| RuntimeError::io(format!("root.path {}", p.display()), e))?;
    if !abs.is_dir() {
        return Err(RuntimeError::InvalidSpec(format!(
            "root.path {} is not a directory",
            abs.display()
        )));
    }
    Ok(abs)
}

fn invalid(msg: impl Into<String>) -> RuntimeError {
    RuntimeError::InvalidSpec(msg.into())
}

/// Whether the spec asks for a namespace of type `t` (new or joined).
pub fn has_namespace(spec: &Spec, t: LinuxNamespaceType) -> bool {
    namespaces(spec).iter().any(|(ty, _)| *ty == t)
}

/// (type, path) of every namespace in the spec.
pub fn namespaces(spec: &Spec) -> Vec<(LinuxNamespaceType, Option<PathBuf>)> {
    spec.linux()
        .as_ref()
        .and_then(|l| l.namespaces().as_ref())
        .map(|ns| ns.iter().map(|n| (n.typ(), n.path().clone())).collect())
        .unwrap_or_default()
}

/// Structural checks of runtime-spec 1.2 that need no system access.
/// `console_socket`: whether the caller passed one.
pub fn validate(spec: &Spec, console_socket: bool) -> Result<(), RuntimeError> {
    let major = spec.version().split('.').next().unwrap_or("");
    if major != "1" {
        return Err(invalid(format!(
            "ociVersion {:?} is not supported (1.x only)",
            spec.version()
        )));
    }
    let process = spec
        .process()
        .as_ref()
        .ok_or_else(|| invalid("process is required"))?;
    if process.args().as_ref().is_none_or(|a| a.is_empty()) {
        return Err(invalid("process.args must not be empty"));
    }
    if !process.cwd().is_absolute() {
        return Err(invalid(format!(
            "process.cwd {} is not absolute",
            process.cwd().display()
        )));
    }
    let terminal = process.terminal().unwrap_or(false);
    if terminal && !console_socket {
        return Err(invalid(
            "process.terminal needs a console socket (--console-socket)",
        ));
    }
    if !terminal && console_socket {
        return Err(invalid(
            "a console socket was given but process.terminal is false",
        ));
    }
    let mut seen = Vec::new();
    for r in process.rlimits().as_deref().unwrap_or(&[]) {
        if seen.contains(&r.typ()) {
            return Err(invalid(format!("duplicate rlimit {:?}", r.typ())));
        }
        if r.soft() > r.hard() {
            return Err(invalid(format!(
                "rlimit {:?}: soft {} above hard {}",
                r.typ(),
                r.soft(),
                r.hard()
            )));
        }
        seen.push(r.typ());
    }
    for (kind, hooks) in [
        super::hooks::HookKind::Prestart,
        super::hooks::HookKind::CreateRuntime,
        super::hooks::HookKind::CreateContainer,
        super::hooks::HookKind::StartContainer,
        super::hooks::HookKind::Poststart,
        super::hooks::HookKind::Poststop,
    ]
    .map(|k| (k, k.select(spec.hooks().as_ref())))
    {
        for h in hooks {
            if !h.path().is_absolute() {
                return Err(invalid(format!(
                    "{} hook path {} is not absolute",
                    kind.name(),
                    h.path().display()
                )));
            }
            if h.timeout().is_some_and(|t| t <= 0) {
                return Err(invalid(format!(
                    "{} hook {}: timeout must be positive",
                    kind.name(),
                    h.path().display()
                )));
            }
        }
    }
    validate_linux(spec)
}

fn validate_linux(spec: &Spec) -> Result<(), RuntimeError> {
    let ns = namespaces(spec);
    let mut types = HashSet::new();
    for (t, path) in &ns {
        if !types.insert(*t) {
            return Err(invalid(format!("namespace {t} listed twice")));
        }
        if let Some(p) = path
            && !p.is_absolute()
        {
            return Err(invalid(format!(
                "namespace {t} path {} is not absolute",
                p.display()
            )));
        }
    }
    let has = |t| types.contains(&t);
    let new_user = ns
        .iter()
        .any(|(t, p)| *t == LinuxNamespaceType::User && p.is_none());
    let linux = spec.linux().as_ref();
    let uid_maps = linux
        .and_then(|l| l.uid_mappings().as_ref())
        .map_or(0, Vec::len);
    let gid_maps = linux
        .and_then(|l| l.gid_mappings().as_ref())
        .map_or(0, Vec::len);
    if (uid_maps > 0 || gid_maps > 0) && !new_user {
        return Err(invalid("uidMappings/gidMappings need a new user namespace"));
    }
    if new_user && (uid_maps == 0 || gid_maps == 0) {
        return Err(invalid(
            "a new user namespace needs both uidMappings and gidMappings",
        ));
    }
    if (spec.hostname().as_ref().is_some_and(|h| !h.is_empty())
        || spec.domainname().as_ref().is_some_and(|h| !h.is_empty()))
        && !has(LinuxNamespaceType::Uts)
    {
        return Err(invalid("hostname/domainname need a UTS namespace"));
    }
    if linux
        .and_then(|l| l.time_offsets().as_ref())
        .is_some_and(|t| !t.is_empty())
        && !ns
            .iter()
            .any(|(t, p)| *t == LinuxNamespaceType::Time && p.is_none())
    {
        return Err(invalid("timeOffsets need a new time namespace"));
    }
    if !has(LinuxNamespaceType::Mount) {
        return Err(invalid(
            "a mount namespace is required (the root filesystem is set up in one)",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Spec {
        super::super::spec_default::default_spec(false)
    }

    fn with(f: impl FnOnce(&mut serde_json::Value)) -> Spec {
        let mut v = serde_json::to_value(base()).unwrap();
        f(&mut v);
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn default_spec_is_valid() {
        // The default spec asks for a terminal.
        validate(&base(), true).unwrap();
        assert!(validate(&base(), false).is_err());
        validate(&super::super::spec_default::default_spec(true), true).unwrap();
    }

    #[test]
    fn refusals() {
        let e = |s: &Spec| validate(s, true).unwrap_err().to_string();
        assert!(e(&with(|v| v["ociVersion"] = "2.0.0".into())).contains("ociVersion"));
        assert!(e(&with(|v| v["process"]["args"] = serde_json::json!([]))).contains("args"));
        assert!(e(&with(|v| v["process"]["cwd"] = "rel".into())).contains("cwd"));
        assert!(
            e(&with(|v| v["process"]["rlimits"] = serde_json::json!([
                {"type":"RLIMIT_NOFILE","soft":1,"hard":1},
                {"type":"RLIMIT_NOFILE","soft":2,"hard":2}
            ])))
            .contains("duplicate")
        );
        assert!(
            e(&with(
                |v| v["hooks"] = serde_json::json!({"poststop":[{"path":"rel"}]})
            ))
            .contains("not absolute")
        );
        assert!(
            e(&with(
                |v| v["hooks"] = serde_json::json!({"poststop":[{"path":"/x","timeout":0}]})
            ))
            .contains("timeout")
        );
        assert!(
            e(&with(
                |v| v["linux"]["uidMappings"] =
                    serde_json::json!([{"containerID":0,"hostID":1000,"size":1}])
            ))
            .contains("user namespace")
        );
        assert!(
            e(&with(|v| {
                let ns = v["linux"]["namespaces"].as_array_mut().unwrap();
                ns.retain(|n| n["type"] != "uts");
            }))
            .contains("UTS")
        );
        assert!(
            e(&with(|v| {
                v["linux"]["namespaces"]
                    .as_array_mut()
                    .unwrap()
                    .push(serde_json::json!({"type":"pid"}));
            }))
            .contains("twice")
        );
    }

    #[test]
    fn load_reports_unknown_capability() {
        let dir = tempfile::tempdir().unwrap();
        let mut v = serde_json::to_value(base()).unwrap();
        v["process"]["capabilities"]["bounding"] = serde_json::json!(["CAP_NOPE"]);
        std::fs::write(dir.path().join("config.json"), v.to_string()).unwrap();
        let e = load(dir.path()).unwrap_err().to_string();
        assert!(e.contains("CAP_NOPE"), "{e}");
        assert!(load(&dir.path().join("missing")).is_err());
        std::fs::write(
            dir.path().join("config.json"),
            serde_json::to_vec(&base()).unwrap(),
        )
        .unwrap();
        assert_eq!(load(dir.path()).unwrap(), base());
    }
}
