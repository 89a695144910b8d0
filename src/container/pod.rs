//! Pods, Podman's way: containers that share namespaces. A pod is a record,
//! `<data>/pods/<id>/pod.json`, and an infra container: an image-less
//! container whose process (`/run/skiff-init --pause`) only holds the
//! namespaces its members join (network, IPC and UTS by default, PID when
//! asked). The pod's published ports and hostname are the infra's.
//!
//! Members are the containers whose record names the pod; the pod record
//! does not list them, so it can never disagree with the containers. A
//! member is created under the pod's lock taken shared, `pod rm` takes it
//! exclusive: no member can appear while a pod is being removed.
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::lifecycle::{self, AttachFlags, ImagelessRequest};
use super::record::{Container, Status};
use super::spec::{INIT_PATH, NamespaceMode, NetworkMode, SpecOptions};
use super::store::ContainerStore;
use super::{ContainerError, names};
use crate::config::Paths;
use crate::network::PortMapping;
use crate::storage::atomic::FileLock;
use crate::storage::driver::Driver;

pub const POD_FILE: &str = "pod.json";
const LOCK_FILE: &str = "lock";
const NAMES_LOCK: &str = "pods.lock";

#[derive(Debug, thiserror::Error)]
pub enum PodError {
    #[error("no such pod: {0}")]
    NotFound(String),
    #[error("pod ID prefix {0:?} is ambiguous: give more characters or the name")]
    Ambiguous(String),
    #[error("the pod name {0:?} is already in use; remove that pod or choose another name")]
    NameInUse(String),
    #[error("{0}")]
    Invalid(String),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("corrupt pod record {path}: {message}")]
    Corrupt { path: PathBuf, message: String },
    #[error(transparent)]
    Container(#[from] ContainerError),
    /// Some of the pod's containers failed; one line per failure, joined.
    #[error("{0}")]
    Containers(String),
}

impl PodError {
    fn io(path: &Path, source: std::io::Error) -> PodError {
        PodError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

/// A namespace the members share with the infra container.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Shared {
    Ipc,
    Net,
    Pid,
    Uts,
}

impl Shared {
    /// Podman's default set.
    pub const DEFAULT: [Shared; 3] = [Shared::Ipc, Shared::Net, Shared::Uts];

    pub fn as_str(self) -> &'static str {
        match self {
            Shared::Ipc => "ipc",
            Shared::Net => "net",
            Shared::Pid => "pid",
            Shared::Uts => "uts",
        }
    }
}

/// `--share`: a comma list replaces the default set, `+LIST` adds to it,
/// `""` or `none` shares nothing.
pub fn parse_share(s: &str) -> Result<Vec<Shared>, PodError> {
    let (mut out, list) = match s.strip_prefix('+') {
        Some(rest) => (Shared::DEFAULT.to_vec(), rest),
        None => (Vec::new(), s),
    };
    for item in list.split(',').map(str::trim).filter(|i| !i.is_empty()) {
        let ns = match item {
            "ipc" => Shared::Ipc,
            "net" => Shared::Net,
            "pid" => Shared::Pid,
            "uts" => Shared::Uts,
            "none" if list.trim() == "none" => continue,
            _ => {
                return Err(PodError::Invalid(format!(
                    "invalid --share {s:?}: {item:?} cannot be shared; pods share ipc, net, pid and uts"
                )));
            }
        };
        out.push(ns);
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// The pod record.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Pod {
    pub id: String,
    pub name: String,
    pub created: DateTime<Utc>,
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    pub hostname: String,
    /// The infra container's ID; empty only while the pod is being created.
    #[serde(default)]
    pub infra_id: String,
    pub share: Vec<Shared>,
    /// The network given at create (the infra container's).
    #[serde(default)]
    pub network: NetworkMode,
    /// Published ports, host ports chosen (the infra container's).
    #[serde(default)]
    pub ports: Vec<PortMapping>,
}

impl Pod {
    pub fn load(dir: &Path) -> Result<Pod, PodError> {
        let path = dir.join(POD_FILE);
        let data = std::fs::read(&path).map_err(|e| PodError::io(&path, e))?;
        serde_json::from_slice(&data).map_err(|e| PodError::Corrupt {
            path: path.clone(),
            message: e.to_string(),
        })
    }

    fn save(&self, dir: &Path) -> Result<(), PodError> {
        let path = dir.join(POD_FILE);
        crate::storage::atomic::replace_json(&path, self).map_err(|e| PodError::io(&path, e))
    }

    pub fn short_id(&self) -> &str {
        &self.id[..12]
    }

    pub fn shares(&self, ns: Shared) -> bool {
        self.share.contains(&ns)
    }
}

/// Where pod records live.
#[derive(Clone, Debug)]
pub struct PodStore {
    root: PathBuf,
}

impl PodStore {
    pub fn open(paths: &Paths) -> PodStore {
        PodStore {
            root: paths.data.join("pods"),
        }
    }

    pub fn dir(&self, id: &str) -> PathBuf {
        self.root.join(id)
    }

    pub fn exists(&self, id: &str) -> bool {
        self.dir(id).join(POD_FILE).is_file()
    }

    /// Every pod with a readable record, oldest first.
    pub fn list(&self) -> Result<Vec<Pod>, PodError> {
        let rd = match std::fs::read_dir(&self.root) {
            Ok(rd) => rd,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(PodError::io(&self.root, e)),
        };
        let mut out = Vec::new();
        for ent in rd.flatten() {
            if ent.file_name().len() != 64 {
                continue;
            }
            match Pod::load(&ent.path()) {
                Ok(p) => out.push(p),
                // A create that died before its record, or a removal.
                Err(PodError::Io { source, .. })
                    if source.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(e),
            }
        }
        out.sort_by(|a, b| a.created.cmp(&b.created).then(a.id.cmp(&b.id)));
        Ok(out)
    }

    /// By exact name, exact ID, or a unique ID prefix.
    pub fn lookup(&self, key: &str) -> Result<Pod, PodError> {
        let all = self.list()?;
        if let Some(p) = all.iter().find(|p| p.id == key || p.name == key) {
            return Ok(p.clone());
        }
        let hex = !key.is_empty() && key.bytes().all(|b| b.is_ascii_hexdigit());
        let mut hits = all.into_iter().filter(|p| hex && p.id.starts_with(key));
        match (hits.next(), hits.next()) {
            (Some(p), None) => Ok(p),
            (Some(_), Some(_)) => Err(PodError::Ambiguous(key.to_string())),
            _ => Err(PodError::NotFound(key.to_string())),
        }
    }

    fn lock(&self, id: &str, shared: bool) -> Result<FileLock, PodError> {
        if !self.exists(id) {
            return Err(PodError::NotFound(id.to_string()));
        }
        let p = self.dir(id).join(LOCK_FILE);
        let l = if shared {
            FileLock::shared(&p)
        } else {
            FileLock::exclusive(&p)
        };
        let l = l.map_err(|e| PodError::io(&p, e))?;
        // Removed while we waited.
        if !self.exists(id) {
            return Err(PodError::NotFound(id.to_string()));
        }
        Ok(l)
    }
}

/// What `pod create` needs.
pub struct CreateRequest {
    pub name: Option<String>,
    pub labels: BTreeMap<String, String>,
    /// Default: the pod's name.
    pub hostname: Option<String>,
    pub share: Vec<Shared>,
    pub network: NetworkMode,
    /// `-p` as given.
    pub publish: Vec<String>,
    pub driver: Driver,
}

/// Creates the pod record and its infra container (not started).
pub fn create(paths: &Paths, req: CreateRequest) -> Result<Pod, PodError> {
    let store = PodStore::open(paths);
    if let Some(n) = &req.name {
        names::validate_name(n)
            .map_err(|_| PodError::Invalid(format!("invalid pod name {n:?}: names must match [a-zA-Z0-9][a-zA-Z0-9_.-]+ (at least two characters)")))?;
    }
    let net = req.share.contains(&Shared::Net);
    if !req.publish.is_empty() && !net {
        return Err(PodError::Invalid(
            "publishing ports needs a pod that shares its network: add net to --share".into(),
        ));
    }
    if req.network != NetworkMode::Default && !net {
        return Err(PodError::Invalid(
            "--network needs a pod that shares its network: add net to --share".into(),
        ));
    }
    if let NetworkMode::Container(_) = &req.network {
        return Err(PodError::Invalid(
            "a pod cannot join a container's network: give it its own (default, slirp4netns, pasta, none or host)".into(),
        ));
    }
    let pod = {
        let _names = lock_names(&store)?;
        let existing = store.list()?;
        let name = match req.name {
            Some(n) if existing.iter().any(|p| p.name == n) => {
                return Err(PodError::NameInUse(n));
            }
            Some(n) => n,
            None => names::generate_name(&|n| existing.iter().any(|p| p.name == n)),
        };
        let id = loop {
            let id = names::new_id();
            if !existing.iter().any(|p| p.id[..12] == id[..12]) {
                break id;
            }
        };
        let pod = Pod {
            hostname: req.hostname.clone().unwrap_or_else(|| name.clone()),
            id,
            name,
            created: Utc::now(),
            labels: req.labels,
            infra_id: String::new(),
            share: req.share,
            network: req.network,
            ports: Vec::new(),
        };
        let dir = store.dir(&pod.id);
        std::fs::create_dir_all(&dir).map_err(|e| PodError::io(&dir, e))?;
        pod.save(&dir)?;
        pod
    };
    let dir = store.dir(&pod.id);
    let infra = lifecycle::create_imageless(
        paths,
        ImagelessRequest {
            name: Some(format!("{}-infra", pod.short_id())),
            options: infra_options(&pod, &req.publish),
            labels: BTreeMap::new(),
            driver: req.driver,
            pod: Some(pod.id.clone()),
            infra: true,
        },
    );
    let infra = match infra {
        Ok(c) => c,
        Err(e) => {
            let _ = crate::sys::fs::remove_tree(&dir);
            return Err(e.into());
        }
    };
    let _lock = store.lock(&pod.id, false)?;
    let mut pod = Pod::load(&dir)?;
    pod.infra_id = infra.id.clone();
    pod.ports = infra.ports.clone();
    pod.save(&dir)?;
    Ok(pod)
}

fn lock_names(store: &PodStore) -> Result<FileLock, PodError> {
    let p = store.root.join(NAMES_LOCK);
    FileLock::exclusive(&p).map_err(|e| PodError::io(&p, e))
}

/// The infra container: the pause program, no capabilities, the pod's
/// hostname, network and ports.
fn infra_options(pod: &Pod, publish: &[String]) -> SpecOptions {
    SpecOptions {
        entrypoint: Some(vec![INIT_PATH.to_string(), "--pause".to_string()]),
        hostname: Some(pod.hostname.clone()),
        network: if pod.shares(Shared::Net) {
            pod.network.clone()
        } else {
            // Nobody joins it: loopback only, no slirp4netns for nothing.
            NetworkMode::None
        },
        publish: publish.to_vec(),
        cap_drop: vec!["ALL".to_string()],
        no_new_privileges: true,
        ..Default::default()
    }
}

/// Makes `o` (a new container's options) a member's of pod `key`: the
/// shared namespaces become the infra container's and the hostname the
/// pod's. Options that would contradict the pod are refused with the fix.
/// The returned lock (the pod's, shared) must be held until the member's
/// record is written.
pub fn join(paths: &Paths, key: &str, o: &mut SpecOptions) -> Result<(Pod, FileLock), PodError> {
    let store = PodStore::open(paths);
    let pod = store.lookup(key)?;
    let lock = store.lock(&pod.id, true)?;
    let pod = Pod::load(&store.dir(&pod.id))?;
    if pod.infra_id.is_empty() {
        return Err(PodError::Invalid(format!(
            "pod {} has no infra container (its create did not finish): remove it with skiff pod rm {}",
            pod.name, pod.name
        )));
    }
    let infra = pod.infra_id.clone();
    if pod.shares(Shared::Net) {
        if !o.publish.is_empty() || o.publish_all {
            return Err(PodError::Invalid(format!(
                "a container in pod {} cannot publish ports: its network is the pod's; publish them on the pod (skiff pod create -p ...)",
                pod.name
            )));
        }
        if o.network != NetworkMode::Default {
            return Err(PodError::Invalid(format!(
                "--network cannot be set for a container in pod {}: it joins the pod's network (give --network to pod create)",
                pod.name
            )));
        }
        o.network = NetworkMode::Container(infra.clone());
    }
    for (ns, mode, flag) in [
        (Shared::Ipc, &mut o.ipc, "--ipc"),
        (Shared::Pid, &mut o.pid, "--pid"),
        (Shared::Uts, &mut o.uts, "--uts"),
    ] {
        if !pod.shares(ns) {
            continue;
        }
        if *mode != NamespaceMode::Private {
            return Err(PodError::Invalid(format!(
                "{flag} cannot be set for a container in pod {}: it joins the pod's {} namespace",
                pod.name,
                ns.as_str()
            )));
        }
        *mode = NamespaceMode::Container(infra.clone());
    }
    if pod.shares(Shared::Uts) {
        if o.hostname.is_some() {
            return Err(PodError::Invalid(format!(
                "--hostname cannot be set for a container in pod {}: it shares the pod's hostname (give --hostname to pod create)",
                pod.name
            )));
        }
        o.hostname = Some(pod.hostname.clone());
    }
    Ok((pod, lock))
}

/// The pod's containers, infra first, then members oldest first; each
/// record repaired if its monitor died.
pub fn containers(store: &ContainerStore, pod: &Pod) -> Result<Vec<Container>, PodError> {
    let mut out: Vec<Container> = Vec::new();
    for c in store.list()? {
        if c.pod.as_deref() == Some(pod.id.as_str()) {
            out.push(lifecycle::refresh(store, c)?);
        }
    }
    // Stable: list() is oldest first.
    out.sort_by_key(|c| !c.infra);
    Ok(out)
}

/// Podman's pod states from its containers' states.
pub fn status(containers: &[Container]) -> &'static str {
    let n = containers.len();
    let count =
        |f: &dyn Fn(Status) -> bool| containers.iter().filter(|c| f(c.state.status)).count();
    let running = count(&|s| matches!(s, Status::Running | Status::Restarting));
    let paused = count(&|s| s == Status::Paused);
    let exited = count(&|s| s == Status::Exited);
    match () {
        _ if n == 0 => "Created",
        _ if running == n => "Running",
        _ if paused == n => "Paused",
        _ if running + paused > 0 => "Degraded",
        _ if exited == n => "Exited",
        _ if exited > 0 => "Stopped",
        _ => "Created",
    }
}

/// Joins failures into one error, or Ok.
fn collect(failures: Vec<String>) -> Result<(), PodError> {
    if failures.is_empty() {
        Ok(())
    } else {
        Err(PodError::Containers(failures.join("; ")))
    }
}

/// Starts the infra container, then the members (oldest first). Running
/// ones are left alone.
pub fn start(paths: &Paths, pod: &Pod) -> Result<(), PodError> {
    let store = ContainerStore::open(paths);
    let mut failures = Vec::new();
    for c in containers(&store, pod)? {
        if c.state.status.is_active() {
            continue;
        }
        if let Err(e) = lifecycle::start(paths, &store, &c.id, AttachFlags::default(), None) {
            failures.push(format!("starting {}: {}", c.name, e.message));
            if c.infra {
                // Nothing can join namespaces that do not exist.
                break;
            }
        }
    }
    collect(failures)
}

/// Makes sure the infra container of pod `pod_id` runs, for a member about
/// to start.
pub fn ensure_infra(paths: &Paths, store: &ContainerStore, pod_id: &str) -> Result<(), PodError> {
    let pods = PodStore::open(paths);
    let pod = Pod::load(&pods.dir(pod_id)).map_err(|e| match e {
        PodError::Io { source, .. } if source.kind() == std::io::ErrorKind::NotFound => {
            PodError::NotFound(pod_id.to_string())
        }
        e => e,
    })?;
    if pod.infra_id.is_empty() {
        return Err(PodError::Invalid(format!(
            "pod {} has no infra container",
            pod.name
        )));
    }
    lifecycle::start(paths, store, &pod.infra_id, AttachFlags::default(), None)
        .map(|_| ())
        .map_err(|e| {
            PodError::Containers(format!(
                "starting the infra container of pod {}: {}",
                pod.name, e.message
            ))
        })
}

/// The monitor pid of pod `key`'s infra container if it runs: a command
/// that starts members joins its user namespace (see
/// [`super::joins::namespace_holder`]).
pub fn infra_monitor(paths: &Paths, key: &str) -> Option<i32> {
    let p = PodStore::open(paths).lookup(key).ok()?;
    super::joins::running_monitor(paths, &p.infra_id)
}

/// A container's stop signal: `--stop-signal`, else the image's, else TERM.
fn stop_signal(c: &Container) -> i32 {
    c.options
        .stop_signal
        .as_deref()
        .or(c.image_defaults.stop_signal.as_deref())
        .and_then(|s| crate::runtime::container::signal_from_str(s).ok())
        .unwrap_or(libc::SIGTERM)
}

/// Stops `list` concurrently (each may take its whole timeout).
fn stop_all(
    store: &ContainerStore,
    list: &[&Container],
    timeout: Option<Duration>,
    failures: &mut Vec<String>,
) {
    let results: Vec<(String, Result<(), ContainerError>)> = std::thread::scope(|s| {
        let handles: Vec<_> = list
            .iter()
            .map(|c| {
                s.spawn(move || {
                    let t = timeout.unwrap_or_else(|| {
                        Duration::from_secs(c.options.stop_timeout.unwrap_or(10).into())
                    });
                    lifecycle::stop(store, c, stop_signal(c), t)
                })
            })
            .collect();
        list.iter()
            .zip(handles)
            .map(|(c, h)| {
                let r = h
                    .join()
                    .unwrap_or_else(|_| Err(ContainerError::Other("stop panicked".into())));
                (c.name.clone(), r)
            })
            .collect()
    });
    for (name, r) in results {
        if let Err(e) = r {
            failures.push(format!("stopping {name}: {e}"));
        }
    }
}

/// Stops the members (together), then the infra container. `timeout`
/// overrides each container's own.
pub fn stop(paths: &Paths, pod: &Pod, timeout: Option<Duration>) -> Result<(), PodError> {
    let store = ContainerStore::open(paths);
    let all = containers(&store, pod)?;
    let active = |infra: bool| -> Vec<&Container> {
        all.iter()
            .filter(|c| c.infra == infra && c.state.status.is_active())
            .collect()
    };
    let mut failures = Vec::new();
    stop_all(&store, &active(false), timeout, &mut failures);
    stop_all(&store, &active(true), timeout, &mut failures);
    collect(failures)
}

/// Sends `signal` to every running container of the pod; returns how many.
pub fn kill(paths: &Paths, pod: &Pod, signal: i32) -> Result<usize, PodError> {
    let store = ContainerStore::open(paths);
    let mut failures = Vec::new();
    let mut n = 0;
    for c in containers(&store, pod)? {
        if !matches!(c.state.status, Status::Running | Status::Paused) {
            continue;
        }
        // As for `kill`: a user's stop for restart policies.
        if signal == libc::SIGKILL || signal == libc::SIGTERM {
            store.update(&c.id, |r| {
                r.state.stopped_by_user = true;
                Ok(())
            })?;
        }
        match lifecycle::kill(&store, &c, signal) {
            Ok(()) => n += 1,
            Err(e) => failures.push(format!("signalling {}: {e}", c.name)),
        }
    }
    collect(failures)?;
    Ok(n)
}

/// Removes the pod: its members, its infra container, its record. Running
/// containers need `force` (they are killed first).
pub fn remove(paths: &Paths, pod: &Pod, force: bool) -> Result<(), PodError> {
    let pods = PodStore::open(paths);
    let store = ContainerStore::open(paths);
    let _lock = pods.lock(&pod.id, false)?;
    let all = containers(&store, pod)?;
    let running: Vec<&str> = all
        .iter()
        .filter(|c| c.state.status.is_active())
        .map(|c| c.name.as_str())
        .collect();
    if !running.is_empty() && !force {
        return Err(PodError::Invalid(format!(
            "pod {} has running containers ({}): stop the pod first (skiff pod stop {}) or use --force",
            pod.name,
            running.join(", "),
            pod.name
        )));
    }
    let mut failures = Vec::new();
    if force {
        let kill = |infra: bool| -> Vec<&Container> {
            all.iter()
                .filter(|c| c.infra == infra && c.state.status.is_active())
                .collect()
        };
        // SIGKILL with no grace: `stop` marks them stopped by the user, so
        // no restart policy brings one back.
        let killed = |list: Vec<&Container>, failures: &mut Vec<String>| {
            for c in list {
                if let Err(e) = lifecycle::stop(&store, c, libc::SIGKILL, Duration::ZERO) {
                    failures.push(format!("killing {}: {e}", c.name));
                }
            }
        };
        killed(kill(false), &mut failures);
        killed(kill(true), &mut failures);
    }
    // Members first: the infra goes last, with the record.
    for c in all
        .iter()
        .filter(|c| !c.infra)
        .chain(all.iter().filter(|c| c.infra))
    {
        if let Err(e) = lifecycle::remove_container(paths, &store, c, force, false) {
            failures.push(format!("removing {}: {e}", c.name));
        }
    }
    collect(failures)?;
    let dir = pods.dir(&pod.id);
    crate::sys::fs::remove_tree(&dir).map_err(|e| PodError::io(&dir, e))
}

#[cfg(test)]
mod tests;
