//! [`build_spec`]: image defaults + options + resolved mounts -> OCI spec.
use std::path::Path;

use oci_spec::runtime::Spec;
use serde_json::{Map, Value, json};

use super::mounts::{self, SystemCtx};
use super::{
    DEFAULT_PATH, INIT_PATH, ImageDefaults, NamespaceMode, NetworkMode, ResolvedMount, SpecEnv,
    SpecError, SpecOptions, UsernsMode, devices, security, user,
};

/// The open-files limit a container gets without `--ulimit nofile`
/// (Podman's), capped at the engine's own hard limit.
const DEFAULT_NOFILE: u64 = 1 << 20;
/// Ids in the rootless user namespace when it cannot be inspected: the user
/// plus the usual 65536 subordinate ids.
const DEFAULT_OUTER_IDS: u32 = 65537;

/// The container's hostname: `--hostname`, else the host's when it shares
/// the host's network or UTS namespace, else the first 12 hex of the id.
pub fn hostname_for(id: &str, o: &SpecOptions) -> String {
    if let Some(h) = o.hostname.as_ref().filter(|h| !h.is_empty()) {
        return h.clone();
    }
    if o.network == NetworkMode::Host || o.uts == NamespaceMode::Host {
        return nix::unistd::gethostname()
            .ok()
            .and_then(|h| h.into_string().ok())
            .unwrap_or_else(|| "localhost".into());
    }
    id.chars().take(12).collect()
}

/// Entrypoint + command with Docker's rules: a command replaces the image's
/// Cmd; `--entrypoint` replaces its Entrypoint and drops its Cmd.
pub(super) fn process_args(img: &ImageDefaults, o: &SpecOptions) -> Result<Vec<String>, SpecError> {
    let mut args = match &o.entrypoint {
        Some(e) => e.clone(),
        None => img.entrypoint.clone().unwrap_or_default(),
    };
    if !o.command.is_empty() {
        args.extend(o.command.iter().cloned());
    } else if o.entrypoint.is_none() {
        args.extend(img.cmd.clone().unwrap_or_default());
    }
    if args.is_empty() {
        return Err(SpecError::NoCommand);
    }
    Ok(args)
}

/// The environment: the image's, then PATH (if unset), HOSTNAME, TERM (with
/// a tty) and `container=skiff`, then `-e`; HOME last if still unset. A
/// later value replaces an earlier one in place.
pub(super) fn environment(
    img: &ImageDefaults,
    o: &SpecOptions,
    hostname: &str,
    home: &str,
) -> Vec<String> {
    fn set(env: &mut Vec<(String, String)>, k: &str, v: &str) {
        match env.iter_mut().find(|(key, _)| key == k) {
            Some(e) => e.1 = v.to_string(),
            None => env.push((k.to_string(), v.to_string())),
        }
    }
    let mut env: Vec<(String, String)> = Vec::new();
    let split = |e: &str| {
        e.split_once('=')
            .map(|(k, v)| (k.to_string(), v.to_string()))
    };
    for (k, v) in img.env.iter().filter_map(|e| split(e)) {
        set(&mut env, &k, &v);
    }
    if !img.env.iter().any(|e| e.starts_with("PATH=")) {
        set(&mut env, "PATH", DEFAULT_PATH);
    }
    set(&mut env, "HOSTNAME", hostname);
    if o.tty {
        set(&mut env, "TERM", "xterm");
    }
    set(&mut env, "container", "skiff");
    for (k, v) in o.env.iter().filter_map(|e| split(e)) {
        set(&mut env, &k, &v);
    }
    if !env.iter().any(|(k, _)| k == "HOME") {
        set(&mut env, "HOME", home);
    }
    env.into_iter().map(|(k, v)| format!("{k}={v}")).collect()
}

/// `-w`, else the image's WorkingDir (relative to /), else `/`.
pub(super) fn working_dir(img: &ImageDefaults, o: &SpecOptions) -> Result<String, SpecError> {
    if let Some(w) = o.workdir.as_ref().filter(|w| !w.is_empty()) {
        return super::parse::clean_path(w).ok_or_else(|| {
            SpecError::invalid(
                "--workdir",
                w,
                "the working directory must be an absolute path",
            )
        });
    }
    Ok(match img.working_dir.as_deref() {
        Some(w) => super::parse::clean_path(&format!("/{w}")).unwrap_or_else(|| "/".into()),
        None => "/".into(),
    })
}

/// Creates a missing working directory inside the rootfs, as Docker does.
/// Best effort: if it fails, the runtime reports the missing cwd.
fn ensure_workdir(rootfs: &Path, cwd: &str) {
    use crate::sys::fs as sfs;
    use std::os::fd::AsFd;
    let Ok(root) = sfs::open_dir(rootfs) else {
        return;
    };
    // Each parent is resolved from the root, so symlinks in the image stay
    // inside it.
    let mut prefix = String::from("/");
    for comp in cwd.split('/').filter(|c| !c.is_empty()) {
        let Ok(parent) = sfs::open_dir_in_root(root.as_fd(), prefix.as_bytes()) else {
            return;
        };
        let _ = sfs::mkdir_at(parent.as_fd(), comp.as_bytes(), 0o755);
        prefix.push_str(comp);
        prefix.push('/');
    }
}

/// `--userns=keep-id` maps for one id kind: container `host_id` is the user
/// (0 outside), container 0..host_id are outer 1..=host_id, and the rest
/// of the `outer` ids map to themselves.
pub(super) fn keep_id_maps(host_id: u32, outer: u32) -> Vec<Value> {
    let mut maps = Vec::new();
    let below = host_id.min(outer.saturating_sub(1));
    if below > 0 {
        maps.push(json!({"containerID": 0, "hostID": 1, "size": below}));
    }
    maps.push(json!({"containerID": host_id, "hostID": 0, "size": 1}));
    if outer > host_id + 1 {
        let n = outer - host_id - 1;
        maps.push(json!({"containerID": host_id + 1, "hostID": host_id + 1, "size": n}));
    }
    maps
}

/// How many uids and gids the engine's namespace has, and whether gid 5
/// (tty, for devpts) is one of them.
fn outer_ids(rootless: bool) -> (u32, u32, bool) {
    if !rootless {
        return (u32::MAX, u32::MAX, true);
    }
    match crate::rootless::current() {
        Some(info) => {
            let count = |m: &[crate::rootless::IdMap]| m.iter().map(|m| m.size).sum::<u32>();
            let tty = info
                .gid_map
                .iter()
                .any(|m| (m.container_id..m.container_id.saturating_add(m.size)).contains(&5));
            (count(&info.uid_map), count(&info.gid_map), tty)
        }
        None => (DEFAULT_OUTER_IDS, DEFAULT_OUTER_IDS, true),
    }
}

/// The hard open-files limit of this process (`/proc/self/limits`).
pub(super) fn nofile_hard(limits: &str) -> Option<u64> {
    let line = limits.lines().find(|l| l.starts_with("Max open files"))?;
    let hard = line.split_whitespace().nth(4)?;
    if hard == "unlimited" {
        Some(u64::MAX)
    } else {
        hard.parse().ok()
    }
}

fn rlimits(o: &SpecOptions) -> Vec<Value> {
    let mut out: Vec<Value> = o
        .ulimits
        .iter()
        .map(|u| json!({"type": u.name, "soft": u.soft, "hard": u.hard}))
        .collect();
    if !o.ulimits.iter().any(|u| u.name == "RLIMIT_NOFILE") {
        // Never above the engine's own hard limit: raising it needs
        // CAP_SYS_RESOURCE in the initial user namespace, which rootless
        // skiff, and root inside another container, lack.
        let n = std::fs::read_to_string("/proc/self/limits")
            .ok()
            .and_then(|l| nofile_hard(&l))
            .map(|h| h.min(DEFAULT_NOFILE));
        if let Some(n) = n {
            out.push(json!({"type": "RLIMIT_NOFILE", "soft": n, "hard": n}));
        }
    }
    out
}

/// cgroup resources (root only): memory, cpu, pids and device rules.
fn resources(o: &SpecOptions, device_rules: Vec<Value>) -> Value {
    let mut r = Map::new();
    let mut mem = Map::new();
    if let Some(m) = o.memory {
        mem.insert("limit".into(), json!(m));
        // Docker: without --memory-swap, as much swap as memory.
        let swap = o.memory_swap.unwrap_or_else(|| m.saturating_mul(2) as i64);
        mem.insert("swap".into(), json!(swap));
    }
    if let Some(res) = o.memory_reservation {
        mem.insert("reservation".into(), json!(res));
    }
    if !mem.is_empty() {
        r.insert("memory".into(), Value::Object(mem));
    }
    let mut cpu = Map::new();
    if let Some(c) = o.cpus {
        cpu.insert("quota".into(), json!((c * 100_000.0).round() as i64));
        cpu.insert("period".into(), json!(100_000));
    }
    if let Some(s) = o.cpu_shares {
        cpu.insert("shares".into(), json!(s));
    }
    if let Some(c) = &o.cpuset_cpus {
        cpu.insert("cpus".into(), json!(c));
    }
    if let Some(m) = &o.cpuset_mems {
        cpu.insert("mems".into(), json!(m));
    }
    if !cpu.is_empty() {
        r.insert("cpu".into(), Value::Object(cpu));
    }
    if let Some(p) = o.pids_limit {
        // 0 and -1 both mean unlimited, as in Docker.
        r.insert("pids".into(), json!({"limit": if p <= 0 { -1 } else { p }}));
    }
    r.insert("devices".into(), Value::Array(device_rules));
    Value::Object(r)
}

/// A namespace entry: new, joined by path, or none (shared with the engine).
fn namespace(typ: &str, mode: &NamespaceMode) -> Result<Option<Value>, SpecError> {
    Ok(match mode {
        NamespaceMode::Private => Some(json!({"type": typ})),
        NamespaceMode::Host => None,
        NamespaceMode::Path(p) => Some(json!({"type": typ, "path": p})),
        NamespaceMode::Container(c) => {
            return Err(SpecError::Unresolved(format!(
                "the {typ} namespace of container {c}"
            )));
        }
    })
}

fn cgroup_v2() -> bool {
    crate::sys::mount::fs_type(Path::new("/sys/fs/cgroup")).ok()
        == Some(crate::sys::mount::CGROUP2_SUPER_MAGIC)
}

fn namespaces(o: &SpecOptions, env: &SpecEnv, keep_id: bool) -> Result<Vec<Value>, SpecError> {
    let net = match &o.network {
        NetworkMode::Default
        | NetworkMode::None
        | NetworkMode::Slirp(_)
        | NetworkMode::Pasta(_) => NamespaceMode::Private,
        NetworkMode::Host => NamespaceMode::Host,
        NetworkMode::Ns(p) => NamespaceMode::Path(p.clone()),
        NetworkMode::Container(c) => {
            return Err(SpecError::Unresolved(format!(
                "the network of container {c}"
            )));
        }
    };
    // A private cgroup namespace only where the container has a cgroup of
    // its own to be rooted at: real root on cgroup v2.
    let cgroup = match &o.cgroupns {
        NamespaceMode::Private if env.rootless || !cgroup_v2() => NamespaceMode::Host,
        m => m.clone(),
    };
    let mut ns = Vec::new();
    for (typ, mode) in [
        ("pid", &o.pid),
        ("ipc", &o.ipc),
        ("uts", &o.uts),
        ("mount", &NamespaceMode::Private),
        ("network", &net),
        ("cgroup", &cgroup),
    ] {
        ns.extend(namespace(typ, mode)?);
    }
    if keep_id {
        ns.push(json!({"type": "user"}));
    }
    Ok(ns)
}

/// Builds the OCI spec for one start. Reads the user database through
/// `env.rootfs` and creates a missing working directory there.
pub fn build_spec(
    img: &ImageDefaults,
    o: &SpecOptions,
    mounts: &[ResolvedMount],
    env: &SpecEnv,
) -> Result<Spec, SpecError> {
    let keep_id = o.userns == Some(UsernsMode::KeepId);
    if keep_id && !env.rootless {
        return Err(SpecError::KeepIdNeedsRootless);
    }
    let mut args = process_args(img, o)?;
    if o.init {
        if env.init_binary.is_none() {
            return Err(SpecError::InitBinaryMissing);
        }
        args.splice(0..0, [INIT_PATH.to_string(), "--".to_string()]);
    }

    let passwd = user::parse_passwd(&user::read_etc(env.rootfs, "passwd")?);
    let groups = user::parse_group(&user::read_etc(env.rootfs, "group")?);
    let user_spec = match (&o.user, keep_id) {
        (Some(u), _) => u.clone(),
        (None, true) => format!("{}:{}", env.host_uid, env.host_gid),
        (None, false) => img.user.clone().unwrap_or_default(),
    };
    let u = user::resolve(&user_spec, &o.group_add, &passwd, &groups)?;

    let hostname = hostname_for(env.id, o);
    let cwd = working_dir(img, o)?;
    ensure_workdir(env.rootfs, &cwd);

    let caps = security::capabilities(o)?;
    let seccomp = security::seccomp(o, &caps)?;
    let (masked, readonly) = security::masked_paths(o);
    let devs = devices::devices(o, env.rootless)?;

    let mut process = json!({
        "terminal": o.tty,
        "user": {"uid": u.uid, "gid": u.gid, "umask": 0o022},
        "args": args,
        "env": environment(img, o, &hostname, &u.home),
        "cwd": cwd,
        "capabilities": {"bounding": caps, "effective": caps, "permitted": caps},
        "rlimits": rlimits(o),
        "noNewPrivileges": o.no_new_privileges,
    });
    if !u.additional_gids.is_empty() {
        process["user"]["additionalGids"] = json!(u.additional_gids);
    }
    if let Some(adj) = o.oom_score_adj {
        process["oomScoreAdj"] = json!(adj);
    }
    if let Some(p) = &o.apparmor {
        process["apparmorProfile"] = json!(p);
    }

    let (outer_uids, outer_gids, tty_group) = outer_ids(env.rootless);
    let system = mounts::system_mounts(
        o,
        &SystemCtx {
            rootless: env.rootless,
            tty_group,
        },
    );
    let all_mounts = mounts::assemble(
        system,
        env.etc_files,
        env.init_binary,
        mounts,
        devs.binds,
        o.read_only,
    );

    let mut linux = json!({
        "namespaces": namespaces(o, env, keep_id)?,
        "maskedPaths": masked,
        "readonlyPaths": readonly,
    });
    if keep_id {
        linux["uidMappings"] = json!(keep_id_maps(env.host_uid, outer_uids));
        linux["gidMappings"] = json!(keep_id_maps(env.host_gid, outer_gids));
    }
    if !devs.nodes.is_empty() {
        linux["devices"] = json!(devs.nodes);
    }
    // Rootless containers get no cgroup limits (and no device cgroup).
    if !env.rootless {
        linux["resources"] = resources(o, devs.rules);
    }
    if let Some(p) = &env.cgroups_path {
        linux["cgroupsPath"] = json!(p);
    }
    if !o.sysctls.is_empty() {
        linux["sysctl"] = json!(o.sysctls);
    }
    if let Some(s) = seccomp {
        linux["seccomp"] =
            serde_json::to_value(s).map_err(|e| SpecError::Internal(e.to_string()))?;
    }
    if let Some(p) = mounts::rootfs_propagation(mounts) {
        linux["rootfsPropagation"] = json!(p);
    }

    let mut spec = json!({
        "ociVersion": crate::runtime::spec_default::OCI_VERSION,
        "process": process,
        "root": {"path": env.rootfs, "readonly": o.read_only},
        "mounts": all_mounts,
        "linux": linux,
    });
    // The hostname is set only in a UTS namespace of our own, and not on the
    // host's network unless asked for (it keeps the host's).
    if o.uts == NamespaceMode::Private && (o.network != NetworkMode::Host || o.hostname.is_some()) {
        spec["hostname"] = json!(hostname);
    }
    if !o.annotations.is_empty() {
        spec["annotations"] = json!(o.annotations);
    }
    serde_json::from_value(spec).map_err(|e| SpecError::Internal(e.to_string()))
}
