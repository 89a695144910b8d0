//! `linux.cgroupsPath` semantics.
use super::CgroupError;

/// A parsed `cgroupsPath`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CgroupPath {
    /// Relative to the hierarchy root.
    Absolute(String),
    /// Relative to the runtime's own cgroup.
    Relative(String),
    /// runc's systemd form `slice:prefix:name`, placed where systemd would put
    /// the unit (no unit is registered: skiff does not talk D-Bus).
    Systemd {
        slice: String,
        prefix: String,
        name: String,
    },
}

fn invalid(path: &str, reason: &str) -> CgroupError {
    CgroupError::InvalidPath {
        path: path.to_string(),
        reason: reason.to_string(),
    }
}

/// Parses `cgroups_path`; `None` (or empty) means `<id>` relative to the
/// runtime's cgroup, as runc does. The systemd form is recognised by shape:
/// three ':'-separated fields whose first is empty or a `.slice` name.
pub fn parse_cgroups_path(cgroups_path: Option<&str>, id: &str) -> Result<CgroupPath, CgroupError> {
    let raw = cgroups_path.unwrap_or("");
    let fields: Vec<&str> = raw.split(':').collect();
    if fields.len() == 3
        && !fields[0].contains('/')
        && (fields[0].is_empty() || fields[0].ends_with(".slice"))
    {
        let (slice, prefix, name) = (fields[0], fields[1], fields[2]);
        let name = if name.is_empty() { id } else { name };
        for part in [slice, prefix, name] {
            if part.contains('/') || part == "." || part == ".." {
                return Err(invalid(
                    raw,
                    "systemd fields must not contain '/' or be '.'/'..'",
                ));
            }
        }
        return Ok(CgroupPath::Systemd {
            slice: slice.to_string(),
            prefix: prefix.to_string(),
            name: name.to_string(),
        });
    }
    let p = if raw.is_empty() { id } else { raw };
    if p.contains('\0') {
        return Err(invalid(raw, "contains a NUL byte"));
    }
    let mut parts = Vec::new();
    for c in p.split('/') {
        match c {
            "" | "." => {}
            ".." => return Err(invalid(p, "'..' is not allowed")),
            c => parts.push(c),
        }
    }
    if parts.is_empty() {
        return Err(invalid(
            p,
            "names the hierarchy root; a container needs its own cgroup",
        ));
    }
    let joined = parts.join("/");
    Ok(if p.starts_with('/') {
        CgroupPath::Absolute(format!("/{joined}"))
    } else {
        CgroupPath::Relative(joined)
    })
}

/// `a-b-c.slice` -> `a.slice/a-b.slice/a-b-c.slice`, systemd's nesting of
/// slices; `-.slice` (the root slice) -> "".
fn expand_slice(slice: &str) -> String {
    let Some(stem) = slice.strip_suffix(".slice") else {
        return slice.to_string();
    };
    if stem == "-" || stem.is_empty() {
        return String::new();
    }
    let mut out = Vec::new();
    let mut acc = String::new();
    for (i, part) in stem.split('-').enumerate() {
        if i > 0 {
            acc.push('-');
        }
        acc.push_str(part);
        out.push(format!("{acc}.slice"));
    }
    out.join("/")
}

/// For a rootless caller, the cgroup of its systemd user manager
/// (`.../user-N.slice/user@N.service`), found from its own cgroup.
fn user_manager_base(own: &str) -> Option<String> {
    let comps: Vec<&str> = own.split('/').filter(|c| !c.is_empty()).collect();
    if let Some(i) = comps
        .iter()
        .position(|c| c.starts_with("user@") && c.ends_with(".service"))
    {
        return Some(format!("/{}", comps[..=i].join("/")));
    }
    let i = comps
        .iter()
        .position(|c| c.starts_with("user-") && c.ends_with(".slice"))?;
    let uid = comps[i].strip_prefix("user-")?.strip_suffix(".slice")?;
    Some(format!("/{}/user@{uid}.service", comps[..=i].join("/")))
}

fn join(base: &str, rel: &str) -> String {
    let base = base.trim_end_matches('/');
    let rel = rel.trim_matches('/');
    match (base.is_empty(), rel.is_empty()) {
        (_, true) if base.is_empty() => "/".to_string(),
        (_, true) => base.to_string(),
        _ => format!("{base}/{rel}"),
    }
}

impl CgroupPath {
    /// The path in the hierarchy's coordinates, given the runtime's own cgroup
    /// `own` in that hierarchy.
    pub fn resolve(&self, own: &str, rootless: bool) -> String {
        // A process outside our cgroup namespace's root sees "/.." paths:
        // never build a path above the hierarchy from them.
        let own = if own.split('/').any(|c| c == "..") {
            "/"
        } else {
            own
        };
        match self {
            CgroupPath::Absolute(p) => p.clone(),
            CgroupPath::Relative(p) => join(own, p),
            CgroupPath::Systemd {
                slice,
                prefix,
                name,
            } => {
                let slice = if !slice.is_empty() {
                    slice.as_str()
                } else if rootless {
                    "user.slice"
                } else {
                    "system.slice"
                };
                let unit = if name.ends_with(".slice") || name.ends_with(".scope") {
                    name.clone()
                } else if prefix.is_empty() {
                    format!("{name}.scope")
                } else {
                    format!("{prefix}-{name}.scope")
                };
                let base = if rootless {
                    user_manager_base(own).unwrap_or_default()
                } else {
                    String::new()
                };
                join(&join(&base, &expand_slice(slice)), &unit)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve(p: Option<&str>, own: &str, rootless: bool) -> String {
        parse_cgroups_path(p, "ctr").unwrap().resolve(own, rootless)
    }

    #[test]
    fn absolute_relative_and_default() {
        assert_eq!(resolve(Some("/skiff/a"), "/x/y", false), "/skiff/a");
        assert_eq!(resolve(Some("//skiff/./a/"), "/x", false), "/skiff/a");
        assert_eq!(resolve(Some("sub/a"), "/x/y", false), "/x/y/sub/a");
        assert_eq!(resolve(Some("sub"), "/", false), "/sub");
        assert_eq!(
            resolve(None, "/process_api/c4", false),
            "/process_api/c4/ctr"
        );
        assert_eq!(resolve(Some(""), "/", false), "/ctr");
    }

    #[test]
    fn rejects_escapes_and_root() {
        for bad in ["/a/../../etc", "..", "/", "a/../b"] {
            let e = parse_cgroups_path(Some(bad), "ctr").unwrap_err();
            assert!(matches!(e, CgroupError::InvalidPath { .. }), "{bad}: {e}");
        }
        assert!(parse_cgroups_path(Some("system.slice:a/b:c"), "x").is_err());
    }

    #[test]
    fn systemd_form() {
        assert_eq!(
            resolve(Some("system.slice:skiff:abc"), "/", false),
            "/system.slice/skiff-abc.scope"
        );
        assert_eq!(
            resolve(Some(":skiff:abc"), "/", false),
            "/system.slice/skiff-abc.scope"
        );
        assert_eq!(
            resolve(Some("machine-pods.slice::abc"), "/", false),
            "/machine.slice/machine-pods.slice/abc.scope"
        );
        assert_eq!(
            resolve(Some("system.slice:p:"), "/", false),
            "/system.slice/p-ctr.scope"
        );
        assert_eq!(resolve(Some("-.slice:p:x.slice"), "/", false), "/x.slice");
        // Rootless: under the user manager found from the own cgroup.
        assert_eq!(
            resolve(
                Some("user.slice:libpod:abc"),
                "/user.slice/user-1000.slice/user@1000.service/app.slice/x.scope",
                true
            ),
            "/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-abc.scope"
        );
        assert_eq!(
            resolve(
                Some(":libpod:abc"),
                "/user.slice/user-1000.slice/session-3.scope",
                true
            ),
            "/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-abc.scope"
        );
        // An own cgroup outside the namespace root never escapes the hierarchy.
        assert_eq!(resolve(None, "/../..", false), "/ctr");
        // A plain path with colons in the wrong shape stays a path.
        assert_eq!(resolve(Some("/a:b"), "/", false), "/a:b");
    }
}
