//! Parsers for the option values of `create`/`run` (`-v`, `--mount`,
//! `--tmpfs`, `--device`, `--ulimit`, `--add-host`, `--network`,
//! `--security-opt`, env files...), in Docker's and Podman's syntax, plus the
//! checks that involve several options. The CLI calls them; they know
//! nothing of clap.
use std::net::IpAddr;
use std::path::{Path, PathBuf};

use super::{
    DeviceSpec, MountKind, MountSpec, NamespaceMode, NetworkMode, SeccompMode, SpecError,
    SpecOptions, Ulimit, UsernsMode,
};

/// Default options of `--tmpfs` (Docker's), to which the given ones are added.
const TMPFS_DEFAULTS: [&str; 4] = ["rw", "noexec", "nosuid", "nodev"];

pub(super) const PROPAGATIONS: [&str; 8] = [
    "shared",
    "rshared",
    "slave",
    "rslave",
    "private",
    "rprivate",
    "unbindable",
    "runbindable",
];

/// Options that pass through to the mount unchanged.
const PASSTHROUGH: [&str; 8] = [
    "nosuid", "suid", "nodev", "dev", "noexec", "exec", "bind", "rbind",
];

/// Lexically cleans an absolute container path: no `.`, `..`, empty or
/// trailing components. `None` when `p` is not absolute.
pub fn clean_path(p: &str) -> Option<String> {
    if !p.starts_with('/') {
        return None;
    }
    let mut parts: Vec<&str> = Vec::new();
    for c in p.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            c => parts.push(c),
        }
    }
    Some(format!("/{}", parts.join("/")))
}

fn destination(flag: &'static str, spec: &str, dest: &str) -> Result<String, SpecError> {
    match clean_path(dest) {
        Some(d) if d != "/" => Ok(d),
        Some(_) => Err(SpecError::invalid(
            flag,
            spec,
            "the destination cannot be /",
        )),
        None => Err(SpecError::invalid(
            flag,
            spec,
            format!("the destination {dest:?} must be an absolute path"),
        )),
    }
}

/// A host path relative to `cwd`, cleaned (`./data` -> `/cwd/data`).
fn absolute(cwd: &Path, p: &str) -> String {
    let joined = cwd.join(p).to_string_lossy().into_owned();
    clean_path(&joined).unwrap_or(joined)
}

/// Whether a volume name is valid (Docker's `[a-zA-Z0-9][a-zA-Z0-9_.-]+`).
pub fn valid_volume_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && name.len() >= 2
        && chars.all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c))
}

/// `-v [SOURCE:]DEST[:OPTIONS]`. SOURCE is a host path (absolute, or
/// relative starting with `.`, taken from `cwd`) or a volume name; without it
/// the volume is anonymous.
pub fn parse_volume(spec: &str, cwd: &Path) -> Result<MountSpec, SpecError> {
    const FLAG: &str = "volume";
    let parts: Vec<&str> = spec.split(':').collect();
    let (source, dest, opts) = match parts.as_slice() {
        [d] => (None, *d, ""),
        [s, d] if d.starts_with('/') => (Some(*s), *d, ""),
        // `-v /data:ro` is a destination with options, as Podman reads it.
        [d, o] => (None, *d, *o),
        [s, d, o] => (Some(*s), *d, *o),
        _ => {
            return Err(SpecError::invalid(
                FLAG,
                spec,
                "expected [SOURCE:]DEST[:OPTIONS]",
            ));
        }
    };
    if source.is_some_and(str::is_empty) {
        return Err(SpecError::invalid(FLAG, spec, "the source is empty"));
    }
    let destination = destination(FLAG, spec, dest)?;
    let (kind, source) = match source {
        None => (MountKind::Volume, None),
        Some(s) if s.starts_with('/') => (MountKind::Bind, Some(s.to_string())),
        Some(s) if s.starts_with('.') => (MountKind::Bind, Some(absolute(cwd, s))),
        Some(s) if valid_volume_name(s) => (MountKind::Volume, Some(s.to_string())),
        Some(s) => {
            return Err(SpecError::invalid(
                FLAG,
                spec,
                format!(
                    "{s:?} is neither an absolute path nor a valid volume name \
                     ([a-zA-Z0-9][a-zA-Z0-9_.-]+)"
                ),
            ));
        }
    };
    let mut options = Vec::new();
    let mut nocopy = false;
    for o in opts.split(',').filter(|o| !o.is_empty()) {
        match o {
            // SELinux relabelling and copy-up: accepted and ignored.
            "z" | "Z" | "copy" => {}
            "nocopy" => nocopy = true,
            "ro" | "rw" => {
                if options.iter().any(|x| x == "ro" || x == "rw") {
                    return Err(SpecError::invalid(FLAG, spec, "give ro or rw once"));
                }
                options.push(o.to_string());
            }
            o if PROPAGATIONS.contains(&o) => {
                if options.iter().any(|x| PROPAGATIONS.contains(&x.as_str())) {
                    return Err(SpecError::invalid(FLAG, spec, "give one propagation mode"));
                }
                options.push(o.to_string());
            }
            o if PASSTHROUGH.contains(&o) => options.push(o.to_string()),
            o => {
                return Err(SpecError::invalid(
                    FLAG,
                    spec,
                    format!(
                        "unknown option {o:?} (use ro, rw, z, Z, nocopy, a propagation mode, \
                         or [no]exec/[no]suid/[no]dev)"
                    ),
                ));
            }
        }
    }
    Ok(MountSpec {
        kind,
        source,
        destination,
        options,
        create_source: true,
        nocopy,
    })
}

fn parse_bool(
    flag: &'static str,
    spec: &str,
    key: &str,
    v: Option<&str>,
) -> Result<bool, SpecError> {
    match v.map(str::to_ascii_lowercase).as_deref() {
        None | Some("true") | Some("1") => Ok(true),
        Some("false") | Some("0") => Ok(false),
        Some(x) => Err(SpecError::invalid(
            flag,
            spec,
            format!("{key}={x}: expected true or false"),
        )),
    }
}

/// A tmpfs size as the kernel takes it: bytes, or a number with k/m/g.
fn tmpfs_size(flag: &'static str, spec: &str, v: &str) -> Result<String, SpecError> {
    let digits = v.trim_end_matches(['k', 'K', 'm', 'M', 'g', 'G']);
    if digits.is_empty()
        || !digits.bytes().all(|b| b.is_ascii_digit())
        || v.len() - digits.len() > 1
    {
        return Err(SpecError::invalid(
            flag,
            spec,
            format!("size {v:?}: expected bytes or a number with k, m or g"),
        ));
    }
    Ok(v.to_ascii_lowercase())
}

/// `--mount type=bind|volume|tmpfs,source=...,target=...,readonly,...`.
pub fn parse_mount(spec: &str, cwd: &Path) -> Result<MountSpec, SpecError> {
    const FLAG: &str = "--mount";
    let bad = |r: String| SpecError::invalid(FLAG, spec, r);
    let mut kind = None;
    let (mut source, mut dest) = (None, None);
    let mut readonly = false;
    let mut options = Vec::new();
    let mut nocopy = false;
    let mut recursive = true;
    let mut tmpfs = Vec::new();
    for field in spec.split(',').filter(|f| !f.is_empty()) {
        let (key, value) = match field.split_once('=') {
            Some((k, v)) => (k.trim().to_ascii_lowercase(), Some(v.trim())),
            None => (field.trim().to_ascii_lowercase(), None),
        };
        let need = || value.ok_or_else(|| bad(format!("{key} needs a value")));
        match key.as_str() {
            "type" => {
                kind = Some(match need()? {
                    "bind" => MountKind::Bind,
                    "volume" => MountKind::Volume,
                    "tmpfs" => MountKind::Tmpfs,
                    t => return Err(bad(format!("type {t:?}: use bind, volume or tmpfs"))),
                })
            }
            "source" | "src" => source = Some(need()?.to_string()),
            "destination" | "dst" | "target" => dest = Some(need()?.to_string()),
            "readonly" | "ro" => readonly = parse_bool(FLAG, spec, &key, value)?,
            "bind-propagation" => {
                let p = need()?;
                if !PROPAGATIONS.contains(&p) {
                    return Err(bad(format!(
                        "bind-propagation {p:?}: use one of {PROPAGATIONS:?}"
                    )));
                }
                options.push(p.to_string());
            }
            "bind-nonrecursive" => recursive = !parse_bool(FLAG, spec, &key, value)?,
            "bind-recursive" => match need()? {
                "enabled" => recursive = true,
                "disabled" => recursive = false,
                v => return Err(bad(format!("bind-recursive={v}: use enabled or disabled"))),
            },
            "volume-nocopy" => nocopy = parse_bool(FLAG, spec, &key, value)?,
            "volume-driver" => {
                if need()? != "local" {
                    return Err(bad("only the local volume driver is supported".into()));
                }
            }
            "tmpfs-size" => tmpfs.push(format!("size={}", tmpfs_size(FLAG, spec, need()?)?)),
            "tmpfs-mode" => {
                let m = need()?;
                if u32::from_str_radix(m, 8).is_err() {
                    return Err(bad(format!("tmpfs-mode {m:?}: expected an octal mode")));
                }
                tmpfs.push(format!("mode={m}"));
            }
            // Accepted and ignored, as Docker on Linux and Podman do.
            "consistency" | "relabel" | "z" | "Z" => {}
            k => return Err(bad(format!("unknown key {k:?}"))),
        }
    }
    let kind = kind.unwrap_or(MountKind::Volume);
    let dest = dest.ok_or_else(|| bad("target is required".into()))?;
    let destination = destination(FLAG, spec, &dest)?;
    let rw = if readonly { "ro" } else { "rw" };
    let source = match kind {
        MountKind::Bind => {
            let s = source.ok_or_else(|| bad("source is required for a bind mount".into()))?;
            let p = Path::new(&s);
            Some(if p.is_absolute() {
                s
            } else {
                absolute(cwd, &s)
            })
        }
        MountKind::Volume => match source {
            Some(s) if !valid_volume_name(&s) => {
                return Err(bad(format!("{s:?} is not a valid volume name")));
            }
            s => s,
        },
        MountKind::Tmpfs => {
            if source.is_some() {
                return Err(bad("a tmpfs mount takes no source".into()));
            }
            let mut opts: Vec<String> = TMPFS_DEFAULTS.iter().map(|s| s.to_string()).collect();
            merge_option(&mut opts, rw);
            for o in tmpfs {
                merge_option(&mut opts, &o);
            }
            return Ok(MountSpec {
                kind,
                source: None,
                destination,
                options: opts,
                create_source: false,
                nocopy: false,
            });
        }
    };
    if kind == MountKind::Bind && !recursive {
        options.insert(0, "bind".into());
    }
    options.insert(0, rw.into());
    Ok(MountSpec {
        kind,
        source,
        destination,
        options,
        create_source: false,
        nocopy,
    })
}

/// Adds `o` to a mount option list, replacing the option it contradicts
/// (`exec` replaces `noexec`, a second `size=` the first, ...).
fn merge_option(opts: &mut Vec<String>, o: &str) {
    let key = |s: &str| -> String {
        let base = s.split('=').next().unwrap_or(s);
        match base {
            "ro" | "rw" => "rw".into(),
            b => b.strip_prefix("no").unwrap_or(b).into(),
        }
    };
    let k = key(o);
    opts.retain(|x| key(x) != k);
    opts.push(o.to_string());
}

/// `--tmpfs DEST[:OPTIONS]`, options added to `rw,noexec,nosuid,nodev`.
pub fn parse_tmpfs(spec: &str) -> Result<MountSpec, SpecError> {
    const FLAG: &str = "--tmpfs";
    let (dest, opts) = spec.split_once(':').unwrap_or((spec, ""));
    let destination = destination(FLAG, spec, dest)?;
    let mut options: Vec<String> = TMPFS_DEFAULTS.iter().map(|s| s.to_string()).collect();
    for o in opts.split(',').filter(|o| !o.is_empty()) {
        let o = match o.split_once('=') {
            Some(("size", v)) => format!("size={}", tmpfs_size(FLAG, spec, v)?),
            Some(("mode", v)) if u32::from_str_radix(v, 8).is_err() => {
                return Err(SpecError::invalid(
                    FLAG,
                    spec,
                    format!("mode {v:?} is not octal"),
                ));
            }
            _ => o.to_string(),
        };
        merge_option(&mut options, &o);
    }
    Ok(MountSpec {
        kind: MountKind::Tmpfs,
        source: None,
        destination,
        options,
        create_source: false,
        nocopy: false,
    })
}

/// `--device HOST[:CONTAINER][:PERMS]`.
pub fn parse_device(spec: &str) -> Result<DeviceSpec, SpecError> {
    const FLAG: &str = "--device";
    let is_perms = |s: &str| !s.is_empty() && s.chars().all(|c| "rwm".contains(c));
    let parts: Vec<&str> = spec.split(':').collect();
    let (host, container, perms) = match parts.as_slice() {
        [h] => (*h, *h, "rwm"),
        [h, p] if is_perms(p) => (*h, *h, *p),
        [h, c] => (*h, *c, "rwm"),
        [h, c, p] => (*h, *c, *p),
        _ => {
            return Err(SpecError::invalid(
                FLAG,
                spec,
                "expected HOST[:CONTAINER][:PERMISSIONS]",
            ));
        }
    };
    if !is_perms(perms) {
        return Err(SpecError::invalid(
            FLAG,
            spec,
            format!("permissions {perms:?}: use a combination of r, w and m"),
        ));
    }
    if !host.starts_with('/') {
        return Err(SpecError::invalid(
            FLAG,
            spec,
            "the host path must be absolute",
        ));
    }
    let container = clean_path(container)
        .ok_or_else(|| SpecError::invalid(FLAG, spec, "the container path must be absolute"))?;
    Ok(DeviceSpec {
        host: PathBuf::from(host),
        container,
        perms: perms.to_string(),
    })
}

const ULIMITS: [&str; 16] = [
    "as",
    "core",
    "cpu",
    "data",
    "fsize",
    "locks",
    "memlock",
    "msgqueue",
    "nice",
    "nofile",
    "nproc",
    "rss",
    "rtprio",
    "rttime",
    "sigpending",
    "stack",
];

/// `--ulimit NAME=SOFT[:HARD]`; -1 (or `unlimited`) is unlimited.
pub fn parse_ulimit(spec: &str) -> Result<Ulimit, SpecError> {
    const FLAG: &str = "--ulimit";
    let (name, values) = spec
        .split_once('=')
        .ok_or_else(|| SpecError::invalid(FLAG, spec, "expected NAME=SOFT[:HARD]"))?;
    let name = name.trim().to_ascii_lowercase();
    if !ULIMITS.contains(&name.as_str()) {
        return Err(SpecError::invalid(
            FLAG,
            spec,
            format!("unknown limit {name:?}: use one of {}", ULIMITS.join(", ")),
        ));
    }
    let value = |s: &str| -> Result<u64, SpecError> {
        match s.trim() {
            "-1" | "unlimited" => Ok(u64::MAX),
            s => s.parse().map_err(|_| {
                SpecError::invalid(FLAG, spec, format!("{s:?} is not a number (or -1)"))
            }),
        }
    };
    let (soft, hard) = match values.split_once(':') {
        Some((s, h)) => (value(s)?, value(h)?),
        None => (value(values)?, value(values)?),
    };
    if soft > hard {
        return Err(SpecError::invalid(
            FLAG,
            spec,
            "the soft limit must not exceed the hard limit",
        ));
    }
    Ok(Ulimit {
        name: format!("RLIMIT_{}", name.to_ascii_uppercase()),
        soft,
        hard,
    })
}

/// `--add-host NAME:IP` (or `NAME=IP`); IP may be `host-gateway`, or an IPv6
/// address, bracketed or not.
pub fn parse_add_host(spec: &str) -> Result<(String, String), SpecError> {
    const FLAG: &str = "--add-host";
    let (name, ip) = spec
        .split_once('=')
        .or_else(|| spec.split_once(':'))
        .ok_or_else(|| SpecError::invalid(FLAG, spec, "expected NAME:IP"))?;
    let ip = ip.trim_start_matches('[').trim_end_matches(']');
    if name.is_empty() || name.contains(char::is_whitespace) {
        return Err(SpecError::invalid(
            FLAG,
            spec,
            "the host name is empty or has spaces",
        ));
    }
    if ip != "host-gateway" && ip.parse::<IpAddr>().is_err() {
        return Err(SpecError::invalid(
            FLAG,
            spec,
            format!("{ip:?} is not an IP address (or host-gateway)"),
        ));
    }
    Ok((name.to_string(), ip.to_string()))
}

/// `--network`.
pub fn parse_network(spec: &str) -> Result<NetworkMode, SpecError> {
    let base = spec.split_once(':').map_or(spec, |(b, _)| b);
    Ok(match (base, spec.split_once(':')) {
        ("container", Some((_, name))) if !name.is_empty() => NetworkMode::Container(name.into()),
        ("ns", Some((_, p))) if p.starts_with('/') => NetworkMode::Ns(PathBuf::from(p)),
        ("slirp4netns", o) => NetworkMode::Slirp(o.map(|(_, o)| o.to_string()).unwrap_or_default()),
        ("pasta", o) => NetworkMode::Pasta(o.map(|(_, o)| o.to_string()).unwrap_or_default()),
        ("" | "default" | "bridge" | "private", _) => NetworkMode::Default,
        ("none", None) => NetworkMode::None,
        ("host", None) => NetworkMode::Host,
        _ => {
            return Err(SpecError::invalid(
                "--network",
                spec,
                "use default, none, host, slirp4netns[:OPTIONS], pasta[:OPTIONS], container:NAME or ns:PATH \
                 (user-defined networks are not supported)",
            ));
        }
    })
}

/// `--ipc`, `--pid`, `--uts`, `--cgroupns`.
pub fn parse_namespace(flag: &'static str, spec: &str) -> Result<NamespaceMode, SpecError> {
    let shared = flag != "--cgroupns";
    Ok(match spec.split_once(':') {
        Some(("container", name)) if shared && !name.is_empty() => {
            NamespaceMode::Container(name.into())
        }
        Some(("ns", p)) if shared && p.starts_with('/') => NamespaceMode::Path(PathBuf::from(p)),
        None if spec == "host" => NamespaceMode::Host,
        None if spec.is_empty() || spec == "private" => NamespaceMode::Private,
        // Docker's IPC modes that differ only in who may join later.
        None if flag == "--ipc" && (spec == "shareable" || spec == "none") => {
            NamespaceMode::Private
        }
        _ => {
            let hint = if shared {
                "use private, host, container:NAME or ns:PATH"
            } else {
                "use private or host"
            };
            return Err(SpecError::invalid(flag, spec, hint));
        }
    })
}

/// `--userns`: `host` (the default) or `keep-id`.
pub fn parse_userns(spec: &str) -> Result<Option<UsernsMode>, SpecError> {
    match spec {
        "" => Ok(None),
        "host" => Ok(Some(UsernsMode::Host)),
        "keep-id" => Ok(Some(UsernsMode::KeepId)),
        _ => Err(SpecError::invalid("--userns", spec, "use host or keep-id")),
    }
}

/// `--sysctl KEY=VALUE`.
pub fn parse_sysctl(spec: &str) -> Result<(String, String), SpecError> {
    match spec.split_once('=') {
        Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_string(), v.to_string())),
        _ => Err(SpecError::invalid("--sysctl", spec, "expected KEY=VALUE")),
    }
}

/// The namespace a sysctl belongs to (Docker's list); `None` if it is not
/// namespaced and would change the host.
fn sysctl_namespace(key: &str) -> Option<&'static str> {
    const IPC: [&str; 8] = [
        "kernel.msgmax",
        "kernel.msgmnb",
        "kernel.msgmni",
        "kernel.sem",
        "kernel.shmall",
        "kernel.shmmax",
        "kernel.shmmni",
        "kernel.shm_rmid_forced",
    ];
    if IPC.contains(&key) || key.starts_with("fs.mqueue.") {
        Some("ipc")
    } else if key.starts_with("net.") {
        Some("network")
    } else if key == "kernel.hostname" || key == "kernel.domainname" {
        Some("uts")
    } else {
        None
    }
}

/// A capability as given to `--cap-add`/`--cap-drop`: `ALL`, or its
/// `CAP_`-prefixed upper-case name.
pub fn capability_name(s: &str) -> Result<String, SpecError> {
    if s.eq_ignore_ascii_case("all") {
        return Ok("ALL".into());
    }
    let n = crate::runtime::security::parse_capability(s)
        .map_err(|_| SpecError::UnknownCapability(s.to_string()))?;
    Ok(crate::runtime::security::CAPABILITY_NAMES[n as usize].to_string())
}

/// Applies one `--security-opt` (`key=value`, or Docker's older `key:value`).
/// `read` reads a seccomp profile file.
pub fn apply_security_opt(
    o: &mut SpecOptions,
    spec: &str,
    read: &dyn Fn(&Path) -> std::io::Result<String>,
) -> Result<(), SpecError> {
    const FLAG: &str = "--security-opt";
    let (key, value) = match spec.split_once('=').or_else(|| spec.split_once(':')) {
        Some((k, v)) => (k, Some(v)),
        None => (spec, None),
    };
    let need =
        || value.ok_or_else(|| SpecError::invalid(FLAG, spec, format!("{key} needs a value")));
    let paths = |v: &str| -> Vec<String> {
        v.split(':')
            .filter(|p| !p.is_empty())
            .map(str::to_string)
            .collect()
    };
    match key {
        "seccomp" => {
            o.seccomp = match need()? {
                "unconfined" => SeccompMode::Unconfined,
                v if v.trim_start().starts_with('{') => SeccompMode::Profile(v.to_string()),
                path => SeccompMode::Profile(read(Path::new(path)).map_err(|e| {
                    SpecError::invalid(FLAG, spec, format!("reading the profile: {e}"))
                })?),
            };
            if let SeccompMode::Profile(text) = &o.seccomp {
                // Checked now with the default capabilities; the real set is
                // applied when the spec is built.
                let caps = crate::runtime::security::docker_default_capabilities();
                super::seccomp_from_json(text, &caps)?;
            }
        }
        "no-new-privileges" => o.no_new_privileges = parse_bool(FLAG, spec, key, value)?,
        "label" => {
            // skiff sets no SELinux labels: other label options are accepted.
            if value == Some("disable") {
                o.label_disable = true;
            }
        }
        "apparmor" => {
            o.apparmor = match need()? {
                "unconfined" => None,
                p => Some(p.to_string()),
            }
        }
        "mask" => o.mask.extend(paths(need()?)),
        "unmask" => o.unmask.extend(paths(need()?)),
        "systempaths" if value == Some("unconfined") => o.unmask.push("ALL".into()),
        _ => {
            return Err(SpecError::invalid(
                FLAG,
                spec,
                "use seccomp=unconfined|PROFILE, no-new-privileges, apparmor=PROFILE, \
                 label=disable, mask=PATHS, unmask=PATHS or systempaths=unconfined",
            ));
        }
    }
    for p in o.mask.iter().chain(o.unmask.iter().filter(|p| *p != "ALL")) {
        if !p.starts_with('/') {
            return Err(SpecError::invalid(
                FLAG,
                spec,
                format!("{p:?} is not an absolute path"),
            ));
        }
    }
    Ok(())
}

/// One `-e` value: `KEY=VALUE` as is; a bare `KEY` takes the host's value
/// (or is dropped when the host has none).
pub fn env_entry(
    spec: &str,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<Option<String>, SpecError> {
    let key = spec.split_once('=').map_or(spec, |(k, _)| k);
    if key.is_empty() {
        return Err(SpecError::invalid(
            "environment variable",
            spec,
            "the name is empty",
        ));
    }
    if key.contains(char::is_whitespace) {
        return Err(SpecError::invalid(
            "environment variable",
            spec,
            "the name contains whitespace",
        ));
    }
    Ok(if spec.contains('=') {
        Some(spec.to_string())
    } else {
        lookup(key).map(|v| format!("{key}={v}"))
    })
}

/// An `--env-file`/`--label-file` body as Docker reads it: one `KEY=VALUE`
/// per line, leading whitespace dropped, blank lines and `#` comments
/// skipped, values taken verbatim. A bare `KEY` goes through `lookup`.
pub fn env_file(
    text: &str,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<Vec<String>, SpecError> {
    let mut out = Vec::new();
    for line in text.lines() {
        let line = line.trim_start();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(e) = env_entry(line, lookup)? {
            out.push(e);
        }
    }
    Ok(out)
}

/// Checks that involve several options, once they are all parsed.
pub fn validate(o: &SpecOptions) -> Result<(), SpecError> {
    let mut seen: Vec<&str> = Vec::new();
    for m in &o.mounts {
        if seen.contains(&m.destination.as_str()) {
            return Err(SpecError::DuplicateMount(m.destination.clone()));
        }
        seen.push(&m.destination);
    }
    for key in o.sysctls.keys() {
        let shared = match sysctl_namespace(key) {
            None => {
                return Err(SpecError::invalid(
                    "--sysctl",
                    key,
                    "not a namespaced sysctl: it would change the host",
                ));
            }
            Some("ipc") => o.ipc == NamespaceMode::Host,
            Some("network") => o.network == NetworkMode::Host,
            Some(_) => o.uts == NamespaceMode::Host,
        };
        if shared {
            return Err(SpecError::invalid(
                "--sysctl",
                key,
                "the container shares this namespace with the host: drop the sysctl or the host mode",
            ));
        }
    }
    if let (Some(mem), Some(swap)) = (o.memory, o.memory_swap)
        && swap >= 0
        && (swap as u64) < mem
    {
        return Err(SpecError::invalid(
            "--memory-swap",
            &swap.to_string(),
            "it includes the memory: give at least --memory, or -1 for unlimited",
        ));
    }
    if o.memory_swap.is_some() && o.memory.is_none() {
        return Err(SpecError::invalid(
            "--memory-swap",
            &o.memory_swap.unwrap_or_default().to_string(),
            "set --memory too",
        ));
    }
    if o.memory.is_some_and(|m| m < 6 * 1024 * 1024) {
        return Err(SpecError::invalid(
            "--memory",
            &o.memory.unwrap_or_default().to_string(),
            "the minimum is 6MB",
        ));
    }
    if o.cpus.is_some_and(|c| !(c > 0.0 && c.is_finite())) {
        return Err(SpecError::invalid(
            "--cpus",
            &o.cpus.unwrap_or_default().to_string(),
            "must be a positive number",
        ));
    }
    Ok(())
}
