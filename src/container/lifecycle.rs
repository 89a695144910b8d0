//! Container lifecycle as the commands drive it: create, start (spawning the
//! monitor), stop, kill, wait, remove, and repairing records whose monitor
//! died. No daemon: every step is done by the command that asks for it, under
//! the container's lock.
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::os::fd::AsFd;
use std::os::unix::net::UnixStream;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use super::attach;
use super::logs::LogDriver;
use super::monitor::{self, Report};
use super::record::{Container, State, Status};
use super::spec::{self, ImageDefaults, RestartPolicy, SpecOptions, VolumeSource};
use super::store::ContainerStore;
use super::volumes::VolumeStore;
use super::{ContainerError, names};
use crate::config::Paths;
use crate::image::store::ImageRecord;
use crate::storage::driver::Driver;
use crate::sys::process as sp;

/// What `create` needs besides the flags.
pub struct CreateRequest {
    pub name: Option<String>,
    /// The image as the user named it.
    pub image_ref: String,
    pub image: ImageRecord,
    pub image_config: serde_json::Value,
    pub options: SpecOptions,
    pub labels: BTreeMap<String, String>,
    pub restart: RestartPolicy,
    pub auto_remove: bool,
    pub log_driver: LogDriver,
    pub driver: Driver,
    /// The pod the container joins (its ID); the options already name the
    /// namespaces of the pod's infra container.
    pub pod: Option<String>,
}

/// A container from no image: its root filesystem is its writable layer
/// alone, empty at first. A pod's infra container is one.
pub struct ImagelessRequest {
    pub name: Option<String>,
    pub options: SpecOptions,
    pub labels: BTreeMap<String, String>,
    pub driver: Driver,
    pub pod: Option<String>,
    pub infra: bool,
}

/// Named and anonymous volumes for `resolve_mounts`, over the volume store.
struct Volumes<'a>(&'a VolumeStore);

impl VolumeSource for Volumes<'_> {
    fn named(&mut self, name: &str) -> Result<PathBuf, String> {
        self.0.ensure(name).map_err(|e| e.to_string())
    }
    fn anonymous(&mut self) -> Result<(String, PathBuf), String> {
        let v = self
            .0
            .create(None, BTreeMap::new(), BTreeMap::new(), true)
            .map_err(|e| e.to_string())?;
        let path = self.0.path(&v.name);
        Ok((v.name, path))
    }
}

pub fn create(
    paths: &Paths,
    images: &crate::image::store::Store,
    req: CreateRequest,
) -> Result<Container, ContainerError> {
    // Held until the record names the layers: an rmi cannot collect them
    // in between.
    let _gc = images
        .gc_shared()
        .map_err(|e| ContainerError::Other(e.to_string()))?;
    let lowers = match req.image.top_layer() {
        Some(top) => images
            .layers
            .lowers_for(Some(top))
            .map_err(|e| ContainerError::Other(e.to_string()))?,
        None => Vec::new(),
    };
    insert_new(
        paths,
        NewRecord {
            name: req.name,
            image: req.image_ref,
            image_name: req.image.names.first().cloned().unwrap_or_default(),
            image_id: req.image.id.hex().to_string(),
            defaults: ImageDefaults::from_config_json(&req.image_config),
            lowers,
            options: req.options,
            labels: req.labels,
            restart: req.restart,
            auto_remove: req.auto_remove,
            log_driver: req.log_driver,
            driver: req.driver,
            pod: req.pod,
            infra: false,
        },
    )
}

/// Creates an image-less container (see [`ImagelessRequest`]).
pub fn create_imageless(paths: &Paths, req: ImagelessRequest) -> Result<Container, ContainerError> {
    insert_new(
        paths,
        NewRecord {
            name: req.name,
            image: String::new(),
            image_name: String::new(),
            image_id: String::new(),
            defaults: ImageDefaults::default(),
            lowers: Vec::new(),
            options: req.options,
            labels: req.labels,
            restart: RestartPolicy::No,
            auto_remove: false,
            log_driver: LogDriver::default(),
            driver: req.driver,
            pod: req.pod,
            infra: req.infra,
        },
    )
}

struct NewRecord {
    name: Option<String>,
    image: String,
    image_name: String,
    image_id: String,
    defaults: ImageDefaults,
    lowers: Vec<PathBuf>,
    options: SpecOptions,
    labels: BTreeMap<String, String>,
    restart: RestartPolicy,
    auto_remove: bool,
    log_driver: LogDriver,
    driver: Driver,
    pod: Option<String>,
    infra: bool,
}

/// Checks the options, resolves ports and mounts, picks a free name and ID
/// and writes the record and the writable layer.
fn insert_new(paths: &Paths, r: NewRecord) -> Result<Container, ContainerError> {
    let store = ContainerStore::open(paths);
    if let Some(n) = &r.name {
        names::validate_name(n).map_err(|e| ContainerError::Other(e.to_string()))?;
    }
    let ports = crate::network::validate(
        &r.options,
        &r.defaults.exposed_ports,
        crate::rootless::is_rootless(),
    )?;
    let volumes =
        VolumeStore::open(&paths.data).map_err(|e| ContainerError::Other(e.to_string()))?;
    let mounts = spec::resolve_mounts(&r.defaults, &r.options, &mut Volumes(&volumes))
        .map_err(|e| ContainerError::Other(e.to_string()))?;
    let c = {
        let _names = store.names_lock()?;
        let existing = store.list()?;
        let name = match r.name {
            Some(n) => {
                if existing.iter().any(|c| c.name == n) {
                    return Err(ContainerError::NameInUse(n));
                }
                n
            }
            None => names::generate_name(&|n| existing.iter().any(|c| c.name == n)),
        };
        // IDs are random; the 12-hex prefix names the runtime dir, so it
        // must be unique too.
        let id = loop {
            let id = names::new_id();
            if !existing.iter().any(|c| c.id[..12] == id[..12]) {
                break id;
            }
        };
        let c = Container {
            id,
            name,
            image: r.image,
            image_name: r.image_name,
            image_id: r.image_id,
            created: chrono::Utc::now(),
            labels: r.labels,
            options: r.options,
            image_defaults: r.defaults,
            mounts,
            ports,
            driver: r.driver.name().to_string(),
            lowers: r.lowers,
            restart: r.restart,
            auto_remove: r.auto_remove,
            log_driver: r.log_driver,
            pod: r.pod,
            infra: r.infra,
            state: State::default(),
        };
        store.insert(&c)?;
        c
    };
    let layout = store.layout(&c);
    if let Err(e) =
        crate::storage::rootfs::prepare(r.driver, &layout, crate::rootless::is_rootless())
    {
        let _ = store.remove_files(&c.id);
        return Err(ContainerError::Other(format!(
            "preparing the container's root filesystem: {e}"
        )));
    }
    Ok(c)
}

/// The spec for the next start: /etc files, then the OCI config from the
/// image defaults and options. Runs in the monitor, with the rootfs mounted.
pub fn generate_spec(
    paths: &Paths,
    store: &ContainerStore,
    c: &Container,
    rootless: bool,
) -> Result<oci_spec::runtime::Spec, ContainerError> {
    let dir = store.dir(&c.id);
    let userdata = dir.join("userdata");
    std::fs::create_dir_all(&userdata).map_err(|e| ContainerError::io(&userdata, e))?;
    let options = resolve_namespaces(store, &c.options)?;
    let hostname = spec::hostname_for(&c.id, &options);
    // Joining another container's network means using its resolver and
    // host entries too (a pod's members see the infra's slirp4netns DNS).
    let net_owner = match &c.options.network {
        spec::NetworkMode::Container(n) => store.lookup(n)?.options,
        _ => options.clone(),
    };
    let plan = crate::network::plan(&net_owner, rootless)
        .map_err(|e| ContainerError::Other(e.to_string()))?;
    let etc = spec::write_etc_files(
        &userdata,
        &hostname,
        &c.name,
        &options,
        &crate::network::etc_hints(&plan),
    )
    .map_err(|e| ContainerError::Other(e.to_string()))?;
    // An infra container's process is the init binary in pause mode.
    let init = if c.options.init || c.infra {
        Some(
            super::initbin::install(&paths.data)
                .map_err(|e| ContainerError::Other(format!("installing the --init binary: {e}")))?,
        )
    } else {
        None
    };
    let layout = store.layout(c);
    let env = spec::SpecEnv {
        id: &c.id,
        rootfs: &layout.merged,
        rootless,
        host_uid: crate::rootless::host_uid(),
        host_gid: crate::rootless::host_gid(),
        etc_files: &etc,
        init_binary: init.as_deref(),
        cgroups_path: None,
    };
    let mut s = spec::build_spec(&c.image_defaults, &options, &c.mounts, &env)
        .map_err(|e| ContainerError::Other(e.to_string()))?;
    if rootless && !cgroups_delegated() {
        // Limits were warned about at create; the runtime cannot apply them.
        if let Some(l) = s.linux_mut() {
            l.set_resources(None);
        }
    }
    Ok(s)
}

/// `container:NAME` namespace modes become the paths of that container's
/// namespaces (it must be running).
fn resolve_namespaces(
    store: &ContainerStore,
    o: &SpecOptions,
) -> Result<SpecOptions, ContainerError> {
    use spec::{NamespaceMode, NetworkMode};
    let mut o = o.clone();
    let ns_path = |name: &str, kind: &str| -> Result<PathBuf, ContainerError> {
        let other = refresh(store, store.lookup(name)?)?;
        if other.state.status != Status::Running || other.state.pid <= 0 {
            return Err(ContainerError::WrongState {
                id: other.name.clone(),
                status: other.state.status.as_str(),
                what: format!("its {kind} namespace can only be joined while it runs"),
            });
        }
        Ok(PathBuf::from(format!(
            "/proc/{}/ns/{kind}",
            other.state.pid
        )))
    };
    if let NetworkMode::Container(n) = &o.network {
        o.network = NetworkMode::Ns(ns_path(n, "net")?);
    }
    for (mode, kind) in [
        (&mut o.ipc, "ipc"),
        (&mut o.pid, "pid"),
        (&mut o.uts, "uts"),
        (&mut o.cgroupns, "cgroup"),
    ] {
        if let NamespaceMode::Container(n) = mode {
            *mode = NamespaceMode::Path(ns_path(n, kind)?);
        }
    }
    Ok(o)
}

/// Rootless cgroup limits need a delegated cgroup v2 subtree (systemd's
/// user delegation); without one the runtime skips cgroups.
pub fn cgroups_delegated() -> bool {
    crate::runtime::cgroups::rootless_delegation_available()
}

/// Deletes a stopped container's files: writable layer, anonymous volumes
/// (when it was created with --rm, as Docker does) and its records.
pub fn remove_files(
    paths: &Paths,
    store: &ContainerStore,
    c: &Container,
) -> Result<(), ContainerError> {
    remove_with_volumes(paths, store, c, c.auto_remove)
}

fn remove_with_volumes(
    paths: &Paths,
    store: &ContainerStore,
    c: &Container,
    anonymous_volumes: bool,
) -> Result<(), ContainerError> {
    // Overlay's work dir holds mode-0000 dirs: the rootfs code knows how.
    if let Err(e) = crate::storage::rootfs::remove(&store.layout(c)) {
        return Err(ContainerError::Other(format!(
            "removing the writable layer of {}: {e}",
            c.name
        )));
    }
    store.remove_files(&c.id)?;
    if anonymous_volumes && let Ok(vs) = VolumeStore::open(&paths.data) {
        for m in c.mounts.iter().filter(|m| m.anonymous) {
            if let Some(v) = &m.volume_name {
                let _ = vs.remove(v, true, &|_| false);
            }
        }
    }
    Ok(())
}

/// Whether the monitor recorded in `s` is still that process.
pub fn monitor_alive(s: &State) -> bool {
    s.monitor_pid > 0
        && sp::start_time(s.monitor_pid)
            .ok()
            .flatten()
            .is_some_and(|t| t == s.monitor_start_time)
}

/// A record that says running while its monitor is gone (killed, or the
/// machine rebooted) is marked exited with the reason. Returns the record
/// as it now stands.
pub fn refresh(store: &ContainerStore, c: Container) -> Result<Container, ContainerError> {
    if !c.state.status.is_active() || monitor_alive(&c.state) {
        return Ok(c);
    }
    store.update(&c.id.clone(), |rec| {
        mark_if_monitor_dead(rec);
        Ok(rec.clone())
    })
}

/// Under the container's lock: a record that still says active while its
/// monitor is gone becomes exited, with the reason.
fn mark_if_monitor_dead(rec: &mut Container) {
    if rec.state.status.is_active() && !monitor_alive(&rec.state) {
        rec.state.status = Status::Exited;
        rec.state.finished_at = Some(chrono::Utc::now());
        if rec.state.exit_code.is_none() {
            rec.state.exit_code = Some(255);
        }
        rec.state.error = "the container's monitor process died; its exit code is unknown".into();
    }
}

/// What the starter wants from the container's streams while it starts.
#[derive(Clone, Copy, Debug, Default)]
pub struct AttachFlags {
    pub stdin: bool,
    pub stdout: bool,
    pub stderr: bool,
}

impl AttachFlags {
    pub fn any(self) -> bool {
        self.stdin || self.stdout || self.stderr
    }
    pub fn bits(self) -> u8 {
        (if self.stdin { attach::WANT_STDIN } else { 0 })
            | (if self.stdout { attach::WANT_STDOUT } else { 0 })
            | (if self.stderr { attach::WANT_STDERR } else { 0 })
    }
}

/// A started container, with the attach connection when one was asked for.
pub struct Started {
    pub container: Container,
    pub attach: Option<UnixStream>,
}

/// The failure of a start, with Docker's exit code for it.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct StartError {
    pub message: String,
    pub exit_code: i32,
}

/// Starts a created or exited container: spawns its monitor, attaches if
/// asked (before the process runs, so no output is missed), and records it
/// running. Starting a running container is a no-op.
pub fn start(
    paths: &Paths,
    store: &ContainerStore,
    key: &str,
    flags: AttachFlags,
    term_size: Option<(u16, u16)>,
) -> Result<Started, StartError> {
    let engine = |e: ContainerError| StartError {
        message: e.to_string(),
        exit_code: 125,
    };
    let c = store.lookup(key).map_err(engine)?;
    // A pod's member joins the namespaces of the pod's infra container,
    // which must run first.
    if let Some(pod) = c.pod.as_deref().filter(|_| !c.infra) {
        super::pod::ensure_infra(paths, store, pod).map_err(|e| StartError {
            message: e.to_string(),
            exit_code: 125,
        })?;
    }
    let _lock = store.lock(&c.id).map_err(engine)?;
    let c = Container::load(&store.dir(&c.id)).map_err(engine)?;
    let c = refresh_locked(store, c).map_err(engine)?;
    match c.state.status {
        Status::Created | Status::Exited => {}
        Status::Running | Status::Restarting if !flags.any() => {
            return Ok(Started {
                container: c,
                attach: None,
            });
        }
        s => {
            return Err(engine(ContainerError::WrongState {
                id: c.name.clone(),
                status: s.as_str(),
                what: "it cannot be started now".into(),
            }));
        }
    }
    let (ours, theirs) =
        UnixStream::pair().map_err(|e| engine(ContainerError::io(&store.dir(&c.id), e)))?;
    let fd = monitor::inheritable(&theirs)
        .map_err(|e| engine(ContainerError::io(&store.dir(&c.id), e)))?;
    let mlog = store.dir(&c.id).join("monitor.log");
    let stderr = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&mlog)
        .map_err(|e| engine(ContainerError::io(&mlog, e)))?;
    // argv[0] "skiff" whatever we were called as: a `docker` symlink must
    // not change how the monitor parses its arguments.
    let mut child = std::process::Command::new("/proc/self/exe");
    std::os::unix::process::CommandExt::arg0(&mut child, "skiff");
    let mut child = child
        .arg(monitor::ARG)
        .arg("--root")
        .arg(&paths.data)
        .arg("--runroot")
        .arg(&paths.runtime)
        .arg("--ctl-fd")
        .arg(fd.to_string())
        .arg(&c.id)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(stderr)
        .spawn()
        .map_err(|e| {
            engine(ContainerError::Monitor(format!(
                "starting the monitor: {e}"
            )))
        })?;
    drop(theirs);
    // The first process forks the monitor and exits at once.
    let _ = child.wait();
    let mut reader = BufReader::new(
        ours.try_clone()
            .map_err(|e| engine(ContainerError::io(&mlog, e)))?,
    );
    let mut ctl = ours;
    let created = match read_report(&mut reader) {
        Some(Report::Created {
            pid,
            monitor_pid,
            monitor_start_time,
        }) => (pid, monitor_pid, monitor_start_time),
        Some(Report::Error { message, exit_code }) => {
            return Err(record_start_failure(store, &c, message, exit_code));
        }
        _ => {
            return Err(record_start_failure(
                store,
                &c,
                format!("the container's monitor failed; see {}", mlog.display()),
                125,
            ));
        }
    };
    let mut conn = None;
    if flags.any() {
        let sock = store.attach_socket(&c.id);
        match attach::connect(&sock) {
            Ok(mut s) => {
                let _ = attach::write_frame(&mut s, attach::HELLO, &[flags.bits()]);
                if let Some((rows, cols)) = term_size {
                    let _ = attach::write_frame(
                        &mut s,
                        attach::RESIZE,
                        &attach::resize_payload(rows, cols),
                    );
                }
                conn = Some(s);
            }
            Err(e) => {
                return Err(engine(ContainerError::io(&sock, e)));
            }
        }
    }
    let _ = ctl.write_all(b"go\n");
    let started_at = match read_report(&mut reader) {
        Some(Report::Started { started_at }) => started_at,
        Some(Report::Error { message, exit_code }) => {
            return Err(record_start_failure(store, &c, message, exit_code));
        }
        _ => {
            return Err(record_start_failure(
                store,
                &c,
                format!("the container's monitor failed; see {}", mlog.display()),
                125,
            ));
        }
    };
    let c = store
        .update_locked(&c.id, |rec| {
            rec.state = State {
                status: Status::Running,
                pid: created.0,
                monitor_pid: created.1,
                monitor_start_time: created.2,
                started_at: Some(started_at),
                finished_at: None,
                exit_code: None,
                error: String::new(),
                restart_count: rec.state.restart_count,
                stopped_by_user: false,
            };
            Ok(rec.clone())
        })
        .map_err(engine)?;
    Ok(Started {
        container: c,
        attach: conn,
    })
}

fn read_report(r: &mut impl BufRead) -> Option<Report> {
    let mut line = String::new();
    match r.read_line(&mut line) {
        Ok(n) if n > 0 => serde_json::from_str(line.trim()).ok(),
        _ => None,
    }
}

/// Docker keeps a container that failed to start, with the error and code.
fn record_start_failure(
    store: &ContainerStore,
    c: &Container,
    message: String,
    exit_code: i32,
) -> StartError {
    let _ = store.update_locked(&c.id, |rec| {
        rec.state.exit_code = Some(exit_code);
        rec.state.error = message.clone();
        rec.state.pid = 0;
        if rec.state.status != Status::Created {
            rec.state.status = Status::Exited;
            rec.state.finished_at = Some(chrono::Utc::now());
        }
        Ok(())
    });
    StartError { message, exit_code }
}

fn refresh_locked(store: &ContainerStore, c: Container) -> Result<Container, ContainerError> {
    if !c.state.status.is_active() || monitor_alive(&c.state) {
        return Ok(c);
    }
    store.update_locked(&c.id.clone(), |rec| {
        mark_if_monitor_dead(rec);
        Ok(rec.clone())
    })
}

/// Sends `signal` to the container's process through its monitor.
pub fn kill(store: &ContainerStore, c: &Container, signal: i32) -> Result<(), ContainerError> {
    let c = refresh(store, c.clone())?;
    if !matches!(c.state.status, Status::Running | Status::Paused) {
        return Err(ContainerError::WrongState {
            id: c.name.clone(),
            status: c.state.status.as_str(),
            what: "only a running container can be signalled".into(),
        });
    }
    let sock = store.attach_socket(&c.id);
    attach::send_kill(&sock, signal).map_err(|e| ContainerError::io(&sock, e))
}

/// Stop: the stop signal, up to `timeout` for the process to end, then
/// SIGKILL. Returns once the monitor has recorded the exit. A stopped
/// container is left alone by restart policies.
pub fn stop(
    store: &ContainerStore,
    c: &Container,
    signal: i32,
    timeout: Duration,
) -> Result<(), ContainerError> {
    let c = store.update(&c.id, |rec| {
        rec.state.stopped_by_user = true;
        Ok(rec.clone())
    })?;
    let c = refresh(store, c)?;
    if !c.state.status.is_active() {
        return Ok(());
    }
    let pidfd = match sp::pidfd_open(c.state.monitor_pid) {
        Ok(fd) if monitor_alive(&c.state) => fd,
        _ => return refresh(store, c).map(|_| ()),
    };
    let sock = store.attach_socket(&c.id);
    if c.state.status == Status::Running {
        let _ = attach::send_kill(&sock, signal);
        let ms = i32::try_from(timeout.as_millis()).unwrap_or(i32::MAX);
        if sp::poll_readable(pidfd.as_fd(), ms).unwrap_or(false) {
            return Ok(());
        }
    }
    let _ = attach::send_kill(&sock, libc::SIGKILL);
    sp::poll_readable(pidfd.as_fd(), -1).map_err(|e| ContainerError::io(&sock, e))?;
    Ok(())
}

/// Blocks until the container is no longer running; returns its exit code.
pub fn wait(store: &ContainerStore, c: &Container) -> Result<i32, ContainerError> {
    let mut c = refresh(store, c.clone())?;
    let pidfd = sp::pidfd_open(c.state.monitor_pid).ok();
    while c.state.status.is_active() {
        match &pidfd {
            Some(fd) if monitor_alive(&c.state) => {
                let _ = sp::poll_readable(fd.as_fd(), 100);
            }
            _ => std::thread::sleep(Duration::from_millis(50)),
        }
        c = refresh(store, Container::load(&store.dir(&c.id))?)?;
    }
    Ok(c.state.exit_code.unwrap_or(0))
}

/// `rm`: a running container needs `force` (it is killed first). A pod's
/// infra container goes only with its pod.
pub fn remove(
    paths: &Paths,
    store: &ContainerStore,
    c: &Container,
    force: bool,
    volumes: bool,
) -> Result<(), ContainerError> {
    let pods = super::pod::PodStore::open(paths);
    if c.infra
        && let Some(pod) = &c.pod
        && let Ok(p) = super::pod::Pod::load(&pods.dir(pod))
    {
        return Err(ContainerError::Other(format!(
            "container {} is the infra container of pod {}: remove the pod (skiff pod rm {})",
            c.name, p.name, p.name
        )));
    }
    remove_container(paths, store, c, force, volumes)
}

/// [`remove`] without the infra check: for `pod rm`.
pub(super) fn remove_container(
    paths: &Paths,
    store: &ContainerStore,
    c: &Container,
    force: bool,
    volumes: bool,
) -> Result<(), ContainerError> {
    let c = refresh(store, c.clone())?;
    if c.state.status.is_active() {
        if !force {
            return Err(ContainerError::WrongState {
                id: c.name.clone(),
                status: c.state.status.as_str(),
                what: "stop it before removing it, or use --force".into(),
            });
        }
        stop(store, &c, libc::SIGKILL, Duration::ZERO)?;
    }
    // Removed meanwhile (the monitor's --rm cleanup after the kill above,
    // or another rm): the dir, or only its record, is gone.
    let _lock = match store.lock(&c.id) {
        Ok(l) => l,
        Err(ContainerError::NotFound(_)) => return Ok(()),
        Err(e) => return Err(e),
    };
    let c = match Container::load(&store.dir(&c.id)) {
        Ok(c) => c,
        Err(_) => return Ok(()),
    };
    // A monitor that died may have left the runtime's state and network
    // helpers behind.
    if let Err(e) = crate::network::cleanup_leftovers(&store.run_dir(&c.id), &store.dir(&c.id)) {
        eprintln!("warning: container {}: {e}", c.name);
    }
    let rt = monitor::runtime_for(paths);
    let _ = rt.delete(&c.id, true);
    remove_with_volumes(paths, store, &c, volumes)
}

/// Waits for `cond` up to `limit`, checking every 20 ms.
pub fn wait_until(limit: Duration, mut cond: impl FnMut() -> bool) -> bool {
    let end = Instant::now() + limit;
    while Instant::now() < end {
        if cond() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    cond()
}
