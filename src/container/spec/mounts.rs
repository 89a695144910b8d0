//! The container's mounts: user mounts resolved at create ([`resolve_mounts`])
//! and the full, ordered list for the spec at each start.
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use super::parse::{PROPAGATIONS, clean_path};
use super::{
    ImageDefaults, MountKind, NamespaceMode, NetworkMode, ResolvedMount, SpecError, SpecOptions,
    VolumeSource,
};

/// /dev/shm without `--shm-size` (Docker's 64 MiB).
const DEFAULT_SHM: u64 = 64 << 20;

/// OCI options of a bind or volume mount: recursive unless `bind` was asked
/// for, `rprivate` unless a propagation was given (Docker's default).
fn bind_options(given: &[String]) -> Vec<String> {
    let recursive = !given.iter().any(|o| o == "bind");
    let mut out = vec![if recursive { "rbind" } else { "bind" }.to_string()];
    out.extend(
        given
            .iter()
            .filter(|o| *o != "bind" && *o != "rbind")
            .cloned(),
    );
    if !given.iter().any(|o| PROPAGATIONS.contains(&o.as_str())) {
        out.push("rprivate".into());
    }
    out
}

/// Resolves `-v`/`--mount`/`--tmpfs` and the image's VOLUMEs (an anonymous
/// volume each, unless a user mount covers the path) at create. A missing
/// `-v` bind source is created, as Docker does; for `--mount` it is an
/// error.
pub fn resolve_mounts(
    img: &ImageDefaults,
    o: &SpecOptions,
    vols: &mut dyn VolumeSource,
) -> Result<Vec<ResolvedMount>, SpecError> {
    let anon = |vols: &mut dyn VolumeSource| {
        vols.anonymous().map_err(|message| SpecError::Volume {
            name: "(anonymous)".into(),
            message,
        })
    };
    let mut out: Vec<ResolvedMount> = Vec::new();
    for m in &o.mounts {
        if out.iter().any(|r| r.destination == m.destination) {
            return Err(SpecError::DuplicateMount(m.destination.clone()));
        }
        let r = match m.kind {
            MountKind::Bind => {
                let src = PathBuf::from(m.source.as_deref().unwrap_or_default());
                if std::fs::metadata(&src).is_err() {
                    if !m.create_source {
                        return Err(SpecError::BindSourceMissing(src));
                    }
                    std::fs::create_dir_all(&src).map_err(SpecError::io(format!(
                        "creating the bind source {}",
                        src.display()
                    )))?;
                }
                ResolvedMount {
                    destination: m.destination.clone(),
                    source: src.to_string_lossy().into_owned(),
                    kind: MountKind::Bind,
                    options: bind_options(&m.options),
                    volume_name: None,
                    anonymous: false,
                }
            }
            MountKind::Volume => {
                let (name, path, anonymous) = match &m.source {
                    Some(name) => {
                        let p = vols.named(name).map_err(|message| SpecError::Volume {
                            name: name.clone(),
                            message,
                        })?;
                        (name.clone(), p, false)
                    }
                    None => {
                        let (n, p) = anon(vols)?;
                        (n, p, true)
                    }
                };
                ResolvedMount {
                    destination: m.destination.clone(),
                    source: path.to_string_lossy().into_owned(),
                    kind: MountKind::Volume,
                    options: bind_options(&m.options),
                    volume_name: Some(name),
                    anonymous,
                }
            }
            MountKind::Tmpfs => ResolvedMount {
                destination: m.destination.clone(),
                source: "tmpfs".into(),
                kind: MountKind::Tmpfs,
                options: m.options.clone(),
                volume_name: None,
                anonymous: false,
            },
        };
        out.push(r);
    }
    for v in &img.volumes {
        let rooted = if v.starts_with('/') {
            v.clone()
        } else {
            format!("/{v}")
        };
        let Some(dest) = clean_path(&rooted).filter(|d| d != "/") else {
            continue;
        };
        if out.iter().any(|r| r.destination == dest) {
            continue;
        }
        let (name, path) = anon(vols)?;
        out.push(ResolvedMount {
            destination: dest,
            source: path.to_string_lossy().into_owned(),
            kind: MountKind::Volume,
            options: bind_options(&[]),
            volume_name: Some(name),
            anonymous: true,
        });
    }
    Ok(out)
}

/// What the system mounts depend on.
pub(super) struct SystemCtx {
    pub rootless: bool,
    /// Whether devpts may be given `gid=5` (the group is mapped).
    pub tty_group: bool,
}

fn size_option(bytes: u64) -> String {
    if bytes.is_multiple_of(1024) {
        format!("size={}k", bytes / 1024)
    } else {
        format!("size={bytes}")
    }
}

/// /proc, /dev, /dev/pts, /dev/shm, /dev/mqueue, /sys and (as root) the
/// cgroup filesystem, as Docker mounts them.
pub(super) fn system_mounts(o: &SpecOptions, ctx: &SystemCtx) -> Vec<Value> {
    let ro = if o.privileged { "rw" } else { "ro" };
    let host_bind = |dest: &str, extra: &[&str]| {
        let mut opts = vec!["rbind", "nosuid", "noexec", "nodev"];
        opts.extend_from_slice(extra);
        json!({"destination": dest, "type": "bind", "source": dest, "options": opts})
    };
    let mut v = Vec::new();
    // Rootless, proc can only be mounted for a PID namespace we own.
    if ctx.rootless && o.pid == NamespaceMode::Host {
        v.push(host_bind("/proc", &[]));
    } else {
        v.push(
            json!({"destination": "/proc", "type": "proc", "source": "proc",
            "options": ["nosuid", "noexec", "nodev"]}),
        );
    }
    v.push(
        json!({"destination": "/dev", "type": "tmpfs", "source": "tmpfs",
        "options": ["nosuid", "strictatime", "mode=755", "size=65536k"]}),
    );
    let mut pts = vec![
        "nosuid",
        "noexec",
        "newinstance",
        "ptmxmode=0666",
        "mode=0620",
    ];
    if ctx.tty_group {
        pts.push("gid=5");
    }
    v.push(
        json!({"destination": "/dev/pts", "type": "devpts", "source": "devpts",
        "options": pts}),
    );
    if o.ipc == NamespaceMode::Host {
        v.push(host_bind("/dev/shm", &[]));
    } else {
        let size = size_option(o.shm_size.unwrap_or(DEFAULT_SHM));
        v.push(
            json!({"destination": "/dev/shm", "type": "tmpfs", "source": "shm",
            "options": ["nosuid", "noexec", "nodev", "mode=1777", size]}),
        );
    }
    v.push(
        json!({"destination": "/dev/mqueue", "type": "mqueue", "source": "mqueue",
        "options": ["nosuid", "noexec", "nodev"]}),
    );
    // sysfs needs a network namespace owned by our user namespace; rootless
    // on the host's network, bind the host's /sys (as `runtime spec
    // --rootless` does). The runtime falls back to that bind as well.
    if ctx.rootless && o.network == NetworkMode::Host {
        v.push(host_bind("/sys", &[ro]));
    } else {
        v.push(
            json!({"destination": "/sys", "type": "sysfs", "source": "sysfs",
            "options": ["nosuid", "noexec", "nodev", ro]}),
        );
    }
    if !ctx.rootless {
        v.push(
            json!({"destination": "/sys/fs/cgroup", "type": "cgroup", "source": "cgroup",
            "options": ["nosuid", "noexec", "nodev", "relatime", ro]}),
        );
    }
    v
}

fn dest_of(m: &Value) -> &str {
    m["destination"].as_str().unwrap_or_default()
}

/// The spec's mount list: the system mounts, then the etc files, the init
/// binary and the user mounts sorted by destination depth (stable, so a
/// mount inside another lands on top of it: `-v x:/run` does not hide
/// /run/skiff-init), then device binds. A user mount replaces any other
/// mount with the same destination.
pub(super) fn assemble(
    system: Vec<Value>,
    etc_files: &[(String, PathBuf)],
    init: Option<&Path>,
    user: &[ResolvedMount],
    device_binds: Vec<Value>,
    read_only: bool,
) -> Vec<Value> {
    let rw = if read_only { "ro" } else { "rw" };
    let mut rest: Vec<Value> = etc_files
        .iter()
        .map(|(dest, host)| {
            json!({"destination": dest, "type": "bind", "source": host,
                "options": ["rbind", "rprivate", rw]})
        })
        .collect();
    if let Some(init) = init {
        rest.push(
            json!({"destination": super::INIT_PATH, "type": "bind", "source": init,
            "options": ["bind", "ro", "nosuid", "nodev"]}),
        );
    }
    let replaced = |m: &Value| user.iter().any(|u| u.destination == dest_of(m));
    let mut all = system;
    all.retain(|m| !replaced(m));
    rest.retain(|m| !replaced(m));
    rest.extend(user.iter().map(|m| {
        let typ = if m.kind == MountKind::Tmpfs {
            "tmpfs"
        } else {
            "bind"
        };
        json!({"destination": m.destination, "type": typ, "source": m.source,
            "options": m.options})
    }));
    rest.sort_by_key(|m| dest_of(m).matches('/').count());
    all.extend(rest);
    all.extend(device_binds);
    all
}

/// `linux.rootfsPropagation` a bind's propagation needs: a shared or slave
/// bind only propagates if the root is not private (Docker's rule).
pub(super) fn rootfs_propagation(user: &[ResolvedMount]) -> Option<&'static str> {
    let has = |names: &[&str]| {
        user.iter()
            .any(|m| m.options.iter().any(|o| names.contains(&o.as_str())))
    };
    if has(&["shared", "rshared"]) {
        Some("rshared")
    } else if has(&["slave", "rslave"]) {
        Some("rslave")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::container::spec::MountSpec;

    /// A volume store in a temp dir that records what it was asked.
    pub(crate) struct FakeVolumes {
        pub dir: PathBuf,
        pub anon: u32,
    }

    impl VolumeSource for FakeVolumes {
        fn named(&mut self, name: &str) -> Result<PathBuf, String> {
            if name == "broken" {
                return Err("disk on fire".into());
            }
            Ok(self.dir.join(name).join("_data"))
        }
        fn anonymous(&mut self) -> Result<(String, PathBuf), String> {
            self.anon += 1;
            let name = format!("anon{}", self.anon);
            let p = self.dir.join(&name).join("_data");
            Ok((name, p))
        }
    }

    fn mount(
        kind: MountKind,
        source: Option<&str>,
        dest: &str,
        opts: &[&str],
        create: bool,
    ) -> MountSpec {
        MountSpec {
            kind,
            source: source.map(str::to_string),
            destination: dest.into(),
            options: opts.iter().map(|s| s.to_string()).collect(),
            create_source: create,
            nocopy: false,
        }
    }

    #[test]
    fn resolves_user_and_image_mounts() {
        let tmp = tempfile::tempdir().unwrap();
        let mut vols = FakeVolumes {
            dir: tmp.path().join("volumes"),
            anon: 0,
        };
        let missing = tmp.path().join("made/by/v");
        let o = SpecOptions {
            mounts: vec![
                mount(
                    MountKind::Bind,
                    Some(missing.to_str().unwrap()),
                    "/data",
                    &["ro"],
                    true,
                ),
                mount(
                    MountKind::Volume,
                    Some("cache"),
                    "/cache",
                    &["rshared"],
                    false,
                ),
                mount(MountKind::Volume, None, "/scratch", &[], false),
                mount(MountKind::Tmpfs, None, "/run", &["rw", "size=1m"], false),
            ],
            ..Default::default()
        };
        let img = ImageDefaults {
            volumes: vec!["/cache/".into(), "/var/lib/db".into(), "logs".into()],
            ..Default::default()
        };
        let r = resolve_mounts(&img, &o, &mut vols).unwrap();
        assert!(missing.is_dir(), "-v creates a missing host directory");
        let dests: Vec<&str> = r.iter().map(|m| m.destination.as_str()).collect();
        assert_eq!(
            dests,
            [
                "/data",
                "/cache",
                "/scratch",
                "/run",
                "/var/lib/db",
                "/logs"
            ]
        );
        assert_eq!(r[0].options, ["rbind", "ro", "rprivate"]);
        assert_eq!(r[1].options, ["rbind", "rshared"]);
        assert_eq!(r[1].volume_name.as_deref(), Some("cache"));
        assert!(!r[1].anonymous && r[2].anonymous && r[4].anonymous);
        assert_eq!(r[2].volume_name.as_deref(), Some("anon1"));
        assert_eq!(r[3].source, "tmpfs");
        assert_eq!(vols.anon, 3);
        assert_eq!(rootfs_propagation(&r), Some("rshared"));
    }

    #[test]
    fn resolve_errors() {
        let tmp = tempfile::tempdir().unwrap();
        let mut vols = FakeVolumes {
            dir: tmp.path().into(),
            anon: 0,
        };
        let missing = tmp.path().join("nope");
        let o = SpecOptions {
            mounts: vec![mount(
                MountKind::Bind,
                Some(missing.to_str().unwrap()),
                "/d",
                &[],
                false,
            )],
            ..Default::default()
        };
        let e = resolve_mounts(&ImageDefaults::default(), &o, &mut vols).unwrap_err();
        assert_eq!(
            e.to_string(),
            format!(
                "bind source path does not exist: {}: create it or correct the path",
                missing.display()
            )
        );
        assert!(!missing.exists());
        let o = SpecOptions {
            mounts: vec![mount(MountKind::Volume, Some("broken"), "/d", &[], false)],
            ..Default::default()
        };
        let e = resolve_mounts(&ImageDefaults::default(), &o, &mut vols).unwrap_err();
        assert_eq!(e.to_string(), "volume broken: disk on fire");
    }

    #[test]
    fn assembly_order_and_overrides() {
        let sys = system_mounts(
            &SpecOptions::default(),
            &SystemCtx {
                rootless: false,
                tty_group: true,
            },
        );
        let user = vec![
            ResolvedMount {
                destination: "/a/b/c".into(),
                source: "/h/abc".into(),
                kind: MountKind::Bind,
                options: vec!["rbind".into()],
                volume_name: None,
                anonymous: false,
            },
            ResolvedMount {
                destination: "/dev/shm".into(),
                source: "tmpfs".into(),
                kind: MountKind::Tmpfs,
                options: vec![],
                volume_name: None,
                anonymous: false,
            },
            ResolvedMount {
                destination: "/a".into(),
                source: "/h/a".into(),
                kind: MountKind::Volume,
                options: vec!["rbind".into()],
                volume_name: Some("v".into()),
                anonymous: false,
            },
        ];
        let etc = [("/etc/hosts".to_string(), PathBuf::from("/u/hosts"))];
        let all = assemble(
            sys,
            &etc,
            Some(Path::new("/usr/libexec/init")),
            &user,
            vec![],
            true,
        );
        let dests: Vec<&str> = all.iter().map(dest_of).collect();
        assert_eq!(
            dests,
            [
                "/proc",
                "/dev",
                "/dev/pts",
                "/dev/mqueue",
                "/sys",
                "/sys/fs/cgroup",
                "/a",
                "/etc/hosts",
                "/run/skiff-init",
                "/dev/shm",
                "/a/b/c"
            ]
        );
        assert_eq!(all[7]["options"], json!(["rbind", "rprivate", "ro"]));
        assert_eq!(all[9]["type"], "tmpfs");
        assert_eq!(all[6]["type"], "bind");
    }

    #[test]
    fn system_mount_variants() {
        let root = SystemCtx {
            rootless: false,
            tty_group: true,
        };
        let m = system_mounts(&SpecOptions::default(), &root);
        let shm = m.iter().find(|m| dest_of(m) == "/dev/shm").unwrap();
        assert!(
            shm["options"]
                .as_array()
                .unwrap()
                .contains(&json!("size=65536k"))
        );
        let pts = m.iter().find(|m| dest_of(m) == "/dev/pts").unwrap();
        assert!(pts["options"].as_array().unwrap().contains(&json!("gid=5")));

        let o = SpecOptions {
            shm_size: Some(1000),
            ipc: NamespaceMode::Private,
            network: NetworkMode::Host,
            pid: NamespaceMode::Host,
            ..Default::default()
        };
        let rootless = SystemCtx {
            rootless: true,
            tty_group: false,
        };
        let m = system_mounts(&o, &rootless);
        let shm = m.iter().find(|m| dest_of(m) == "/dev/shm").unwrap();
        assert!(
            shm["options"]
                .as_array()
                .unwrap()
                .contains(&json!("size=1000"))
        );
        assert!(!m.iter().any(|m| m["type"] == "cgroup"));
        let sys = m.iter().find(|m| dest_of(m) == "/sys").unwrap();
        assert_eq!(sys["type"], "bind");
        assert_eq!(m[0]["type"], "bind", "rootless --pid host binds /proc");
        let pts = m.iter().find(|m| dest_of(m) == "/dev/pts").unwrap();
        assert!(!pts["options"].as_array().unwrap().contains(&json!("gid=5")));

        let o = SpecOptions {
            ipc: NamespaceMode::Host,
            privileged: true,
            ..Default::default()
        };
        let m = system_mounts(&o, &root);
        let shm = m.iter().find(|m| dest_of(m) == "/dev/shm").unwrap();
        assert_eq!(shm["source"], "/dev/shm");
        let sys = m.iter().find(|m| dest_of(m) == "/sys").unwrap();
        assert!(sys["options"].as_array().unwrap().contains(&json!("rw")));
    }
}
