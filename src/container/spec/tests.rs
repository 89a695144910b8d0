//! build_spec end to end, on fake root filesystems in temp dirs.
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use super::build::{environment, keep_id_maps, nofile_hard, process_args, working_dir};
use super::*;

const ID: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

struct Fixture {
    _tmp: tempfile::TempDir,
    rootfs: PathBuf,
    etc: Vec<(String, PathBuf)>,
}

fn fixture() -> Fixture {
    let tmp = tempfile::tempdir().unwrap();
    let rootfs = tmp.path().join("merged");
    std::fs::create_dir_all(rootfs.join("etc")).unwrap();
    std::fs::write(
        rootfs.join("etc/passwd"),
        "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n",
    )
    .unwrap();
    std::fs::write(
        rootfs.join("etc/group"),
        "root:x:0:\napp:x:1000:\nwheel:x:10:app\n",
    )
    .unwrap();
    let etc = vec![("/etc/hosts".to_string(), tmp.path().join("hosts"))];
    Fixture {
        _tmp: tmp,
        rootfs,
        etc,
    }
}

fn env_for<'a>(f: &'a Fixture, rootless: bool) -> SpecEnv<'a> {
    SpecEnv {
        id: ID,
        rootfs: &f.rootfs,
        rootless,
        host_uid: 1000,
        host_gid: 1000,
        etc_files: &f.etc,
        init_binary: None,
        cgroups_path: None,
    }
}

fn image() -> ImageDefaults {
    ImageDefaults {
        entrypoint: Some(vec!["/entry.sh".into()]),
        cmd: Some(vec!["serve".into(), "--port=80".into()]),
        env: vec!["PATH=/opt/bin:/bin".into(), "LANG=C.UTF-8".into()],
        working_dir: Some("/srv/app".into()),
        ..Default::default()
    }
}

fn build(img: &ImageDefaults, o: &SpecOptions, mounts: &[ResolvedMount], env: &SpecEnv) -> Value {
    let spec = build_spec(img, o, mounts, env).unwrap();
    crate::runtime::spec::validate(&spec, o.tty).unwrap();
    crate::runtime::security::validate(&spec).unwrap();
    serde_json::to_value(&spec).unwrap()
}

fn strs(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| a.iter().map(|s| s.as_str().unwrap().to_string()).collect())
        .unwrap_or_default()
}

fn ns_types(s: &Value) -> Vec<String> {
    s["linux"]["namespaces"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["type"].as_str().unwrap().to_string())
        .collect()
}

fn mount<'a>(s: &'a Value, dest: &str) -> Option<&'a Value> {
    s["mounts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["destination"] == dest)
}

#[test]
fn image_config_json() {
    let cfg = json!({"architecture": "amd64", "config": {
        "Entrypoint": ["/docker-entrypoint.sh"], "Cmd": null, "Env": ["A=1"],
        "WorkingDir": "", "User": "nginx", "Volumes": {"/data": {}, "/logs": {}},
        "StopSignal": "SIGQUIT", "ExposedPorts": {"80/tcp": {}}, "Labels": {"a": "b"}}});
    let d = ImageDefaults::from_config_json(&cfg);
    assert_eq!(
        d.entrypoint,
        Some(vec!["/docker-entrypoint.sh".to_string()])
    );
    assert_eq!(d.cmd, None);
    assert_eq!(d.working_dir, None);
    assert_eq!(d.user.as_deref(), Some("nginx"));
    assert_eq!(d.volumes, ["/data", "/logs"]);
    assert_eq!(d.exposed_ports, ["80/tcp"]);
    assert_eq!(d.stop_signal.as_deref(), Some("SIGQUIT"));
    assert_eq!(d.labels["a"], "b");
    assert_eq!(
        ImageDefaults::from_config_json(&json!({})),
        ImageDefaults::default()
    );
    let back: ImageDefaults = serde_json::from_str(&serde_json::to_string(&d).unwrap()).unwrap();
    assert_eq!(back, d);
}

#[test]
fn options_round_trip_and_defaults() {
    let o = SpecOptions {
        command: vec!["ls".into()],
        entrypoint: Some(vec![]),
        seccomp: SeccompMode::Profile("{}".into()),
        network: NetworkMode::Ns("/proc/1/ns/net".into()),
        userns: Some(UsernsMode::KeepId),
        add_host: vec![("a".into(), "1.2.3.4".into())],
        memory_swap: Some(-1),
        ..Default::default()
    };
    let text = serde_json::to_string(&o).unwrap();
    let back: SpecOptions = serde_json::from_str(&text).unwrap();
    assert_eq!(back, o);
    // Records written by an older skiff (fewer fields) still load.
    let old: SpecOptions = serde_json::from_str(r#"{"command": ["sh"]}"#).unwrap();
    assert_eq!(old.command, ["sh"]);
    assert!(!old.has_resource_limits());
    assert!(
        SpecOptions {
            pids_limit: Some(10),
            ..Default::default()
        }
        .has_resource_limits()
    );
}

#[test]
fn args_follow_docker_override_rules() {
    let img = image();
    let o = SpecOptions::default();
    assert_eq!(
        process_args(&img, &o).unwrap(),
        ["/entry.sh", "serve", "--port=80"]
    );
    let o = SpecOptions {
        command: vec!["sh".into()],
        ..Default::default()
    };
    assert_eq!(process_args(&img, &o).unwrap(), ["/entry.sh", "sh"]);
    let o = SpecOptions {
        entrypoint: Some(vec!["/bin/bash".into()]),
        ..Default::default()
    };
    assert_eq!(
        process_args(&img, &o).unwrap(),
        ["/bin/bash"],
        "--entrypoint drops Cmd"
    );
    let o = SpecOptions {
        entrypoint: Some(vec![]),
        command: vec!["id".into()],
        ..Default::default()
    };
    assert_eq!(process_args(&img, &o).unwrap(), ["id"]);
    let o = SpecOptions {
        entrypoint: Some(vec![]),
        ..Default::default()
    };
    let e = process_args(&img, &o).unwrap_err().to_string();
    assert!(e.starts_with("no command specified"), "{e}");
    assert!(process_args(&ImageDefaults::default(), &SpecOptions::default()).is_err());
}

#[test]
fn environment_order() {
    let img = image();
    let o = SpecOptions {
        tty: true,
        env: vec!["LANG=fr_FR".into(), "X=1".into(), "HOSTNAME=mine".into()],
        ..Default::default()
    };
    let e = environment(&img, &o, "abc", "/root");
    assert_eq!(
        e,
        [
            "PATH=/opt/bin:/bin",
            "LANG=fr_FR",
            "HOSTNAME=mine",
            "TERM=xterm",
            "container=skiff",
            "X=1",
            "HOME=/root"
        ]
    );
    let img = ImageDefaults {
        env: vec!["HOME=/data".into()],
        ..Default::default()
    };
    let e = environment(&img, &SpecOptions::default(), "h", "/root");
    assert!(e.contains(&format!("PATH={DEFAULT_PATH}")));
    assert!(e.contains(&"HOME=/data".to_string()) && !e.iter().any(|v| v.starts_with("TERM=")));
}

#[test]
fn working_directory() {
    let o = SpecOptions::default();
    assert_eq!(working_dir(&image(), &o).unwrap(), "/srv/app");
    assert_eq!(working_dir(&ImageDefaults::default(), &o).unwrap(), "/");
    let rel = ImageDefaults {
        working_dir: Some("app/".into()),
        ..Default::default()
    };
    assert_eq!(working_dir(&rel, &o).unwrap(), "/app");
    let o = SpecOptions {
        workdir: Some("tmp".into()),
        ..Default::default()
    };
    assert!(
        working_dir(&rel, &o)
            .unwrap_err()
            .to_string()
            .contains("absolute")
    );
}

#[test]
fn default_root_spec() {
    let f = fixture();
    let s = build(&image(), &SpecOptions::default(), &[], &env_for(&f, false));
    let p = &s["process"];
    assert_eq!(strs(&p["args"]), ["/entry.sh", "serve", "--port=80"]);
    assert_eq!(p["cwd"], "/srv/app");
    assert!(
        f.rootfs.join("srv/app").is_dir(),
        "a missing workdir is created"
    );
    assert_eq!(p["user"]["uid"], 0);
    assert_eq!(p["terminal"], false);
    let env = strs(&p["env"]);
    assert!(env.contains(&"HOSTNAME=0123456789ab".to_string()));
    assert!(env.contains(&"HOME=/root".to_string()));
    assert_eq!(s["hostname"], "0123456789ab");
    // oci-spec keeps capability sets unordered.
    let mut caps = strs(&p["capabilities"]["bounding"]);
    let mut want = crate::runtime::security::docker_default_capabilities();
    caps.sort();
    want.sort();
    assert_eq!(caps, want);
    let mut eff = strs(&p["capabilities"]["effective"]);
    eff.sort();
    assert_eq!(eff, caps);
    assert!(
        p["capabilities"]
            .get("inheritable")
            .is_none_or(Value::is_null)
    );
    assert!(p["capabilities"].get("ambient").is_none_or(Value::is_null));
    assert_eq!(p["noNewPrivileges"], false);
    assert_eq!(p["rlimits"][0]["type"], "RLIMIT_NOFILE");
    assert_eq!(
        ns_types(&s),
        ["pid", "ipc", "uts", "mount", "network"]
            .iter()
            .map(|s| s.to_string())
            .chain(
                (crate::sys::mount::fs_type(Path::new("/sys/fs/cgroup")).ok()
                    == Some(crate::sys::mount::CGROUP2_SUPER_MAGIC))
                .then(|| "cgroup".to_string())
            )
            .collect::<Vec<_>>()
    );
    let l = &s["linux"];
    assert!(
        l["seccomp"]["syscalls"]
            .as_array()
            .is_some_and(|a| !a.is_empty())
    );
    assert!(strs(&l["maskedPaths"]).contains(&"/proc/kcore".into()));
    assert!(strs(&l["readonlyPaths"]).contains(&"/proc/sys".into()));
    assert_eq!(
        l["resources"]["devices"][0],
        json!({"allow": false, "access": "rwm"})
    );
    assert!(l.get("uidMappings").is_none_or(Value::is_null));
    assert_eq!(
        mount(&s, "/etc/hosts").unwrap()["source"],
        f.etc[0].1.to_str().unwrap()
    );
    assert_eq!(mount(&s, "/sys/fs/cgroup").unwrap()["type"], "cgroup");
    assert_eq!(s["root"]["path"], f.rootfs.to_str().unwrap());
    assert_eq!(s["root"]["readonly"], false);
}

#[test]
fn users() {
    let f = fixture();
    let o = SpecOptions {
        user: Some("app".into()),
        group_add: vec!["99".into()],
        ..Default::default()
    };
    let s = build(&image(), &o, &[], &env_for(&f, false));
    let u = &s["process"]["user"];
    assert_eq!(
        (u["uid"].as_u64(), u["gid"].as_u64()),
        (Some(1000), Some(1000))
    );
    assert_eq!(u["additionalGids"], json!([10, 99]));
    assert!(strs(&s["process"]["env"]).contains(&"HOME=/home/app".into()));

    // The image's USER applies when -u is not given.
    let img = ImageDefaults {
        user: Some("4000:4000".into()),
        ..image()
    };
    let s = build(&img, &SpecOptions::default(), &[], &env_for(&f, false));
    assert_eq!(s["process"]["user"]["uid"], 4000);
    assert!(strs(&s["process"]["env"]).contains(&"HOME=/".into()));

    let o = SpecOptions {
        user: Some("ghost".into()),
        ..Default::default()
    };
    let e = build_spec(&image(), &o, &[], &env_for(&f, false)).unwrap_err();
    assert_eq!(
        e.to_string(),
        "unable to find user ghost: no matching entries in passwd file"
    );
}

#[test]
fn keep_id() {
    let f = fixture();
    let o = SpecOptions {
        userns: Some(UsernsMode::KeepId),
        ..Default::default()
    };
    let e = build_spec(&image(), &o, &[], &env_for(&f, false)).unwrap_err();
    assert!(matches!(e, SpecError::KeepIdNeedsRootless));
    let s = build(&image(), &o, &[], &env_for(&f, true));
    assert_eq!(s["process"]["user"]["uid"], 1000);
    assert!(strs(&s["process"]["env"]).contains(&"HOME=/home/app".into()));
    assert!(ns_types(&s).contains(&"user".into()));
    let maps = &s["linux"]["uidMappings"];
    assert_eq!(
        maps[0],
        json!({"containerID": 0, "hostID": 1, "size": 1000})
    );
    assert_eq!(
        maps[1],
        json!({"containerID": 1000, "hostID": 0, "size": 1})
    );
    assert!(
        s["linux"].get("resources").is_none_or(Value::is_null),
        "rootless: no cgroup limits"
    );

    assert_eq!(
        keep_id_maps(1000, 65537),
        [
            json!({"containerID": 0, "hostID": 1, "size": 1000}),
            json!({"containerID": 1000, "hostID": 0, "size": 1}),
            json!({"containerID": 1001, "hostID": 1001, "size": 64536}),
        ]
    );
    // A uid above the mapped range: everything below it that fits.
    assert_eq!(
        keep_id_maps(100_000, 65537),
        [
            json!({"containerID": 0, "hostID": 1, "size": 65536}),
            json!({"containerID": 100_000, "hostID": 0, "size": 1}),
        ]
    );
    // No subordinate ids: only the user.
    assert_eq!(
        keep_id_maps(1000, 1),
        [json!({"containerID": 1000, "hostID": 0, "size": 1})]
    );
}

#[test]
fn privileged_and_security_opts() {
    let f = fixture();
    let o = SpecOptions {
        privileged: true,
        ..Default::default()
    };
    let s = build(&image(), &o, &[], &env_for(&f, false));
    assert!(strs(&s["process"]["capabilities"]["bounding"]).contains(&"CAP_SYS_ADMIN".into()));
    let l = &s["linux"];
    assert!(l.get("seccomp").is_none_or(Value::is_null));
    assert!(strs(&l["maskedPaths"]).is_empty() && strs(&l["readonlyPaths"]).is_empty());
    assert_eq!(
        l["resources"]["devices"],
        json!([{"allow": true, "access": "rwm"}])
    );
    assert!(strs(&mount(&s, "/sys").unwrap()["options"]).contains(&"rw".into()));

    let o = SpecOptions {
        seccomp: SeccompMode::Unconfined,
        no_new_privileges: true,
        cap_drop: vec!["ALL".into()],
        cap_add: vec!["net_bind_service".into()],
        ..Default::default()
    };
    let s = build(&image(), &o, &[], &env_for(&f, false));
    assert!(s["linux"].get("seccomp").is_none_or(Value::is_null));
    assert_eq!(s["process"]["noNewPrivileges"], true);
    assert_eq!(
        strs(&s["process"]["capabilities"]["permitted"]),
        ["CAP_NET_BIND_SERVICE"]
    );

    let o = SpecOptions {
        seccomp: SeccompMode::Profile(
            r#"{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mkdir"],"action":"SCMP_ACT_ERRNO"}]}"#
                .into(),
        ),
        ..Default::default()
    };
    let s = build(&image(), &o, &[], &env_for(&f, false));
    assert_eq!(s["linux"]["seccomp"]["defaultAction"], "SCMP_ACT_ALLOW");
}

#[test]
fn network_modes() {
    let f = fixture();
    let o = SpecOptions {
        network: NetworkMode::Host,
        ..Default::default()
    };
    let s = build(&image(), &o, &[], &env_for(&f, true));
    assert!(!ns_types(&s).contains(&"network".into()));
    assert!(s.get("hostname").is_none_or(Value::is_null));
    assert_eq!(mount(&s, "/sys").unwrap()["type"], "bind");
    assert!(mount(&s, "/sys/fs/cgroup").is_none());
    let o = SpecOptions {
        network: NetworkMode::Host,
        hostname: Some("box".into()),
        ..Default::default()
    };
    let s = build(&image(), &o, &[], &env_for(&f, true));
    assert_eq!(s["hostname"], "box");

    let o = SpecOptions {
        network: NetworkMode::Ns("/proc/42/ns/net".into()),
        pid: NamespaceMode::Host,
        uts: NamespaceMode::Path("/proc/42/ns/uts".into()),
        ..Default::default()
    };
    let s = build(&image(), &o, &[], &env_for(&f, false));
    let ns = s["linux"]["namespaces"].as_array().unwrap();
    assert!(ns.contains(&json!({"type": "network", "path": "/proc/42/ns/net"})));
    assert!(ns.contains(&json!({"type": "uts", "path": "/proc/42/ns/uts"})));
    assert!(!ns_types(&s).contains(&"pid".into()));
    assert!(
        s.get("hostname").is_none_or(Value::is_null),
        "a joined UTS namespace keeps its name"
    );

    for o in [
        SpecOptions {
            network: NetworkMode::Container("db".into()),
            ..Default::default()
        },
        SpecOptions {
            ipc: NamespaceMode::Container("db".into()),
            ..Default::default()
        },
    ] {
        let e = build_spec(&image(), &o, &[], &env_for(&f, false)).unwrap_err();
        assert!(matches!(e, SpecError::Unresolved(_)), "{e}");
    }
}

#[test]
fn mounts_init_and_read_only() {
    let f = fixture();
    let init = f.rootfs.parent().unwrap().join("skiff-init");
    std::fs::write(&init, "").unwrap();
    let mut env = env_for(&f, false);
    env.init_binary = Some(&init);
    env.cgroups_path = Some("/skiff/abc".into());
    let o = SpecOptions {
        init: true,
        read_only: true,
        tty: true,
        annotations: [("io.skiff.name".to_string(), "web".to_string())].into(),
        sysctls: [("net.ipv4.ip_forward".to_string(), "1".to_string())].into(),
        ..Default::default()
    };
    let user = [ResolvedMount {
        destination: "/etc/hosts".into(),
        source: "/h/hosts".into(),
        kind: MountKind::Bind,
        options: vec!["rbind".into(), "ro".into(), "rslave".into()],
        volume_name: None,
        anonymous: false,
    }];
    let s = build(&image(), &o, &user, &env);
    assert_eq!(
        strs(&s["process"]["args"])[..3],
        ["/run/skiff-init", "--", "/entry.sh"]
    );
    let m = mount(&s, "/run/skiff-init").unwrap();
    assert_eq!(m["source"], init.to_str().unwrap());
    assert!(strs(&m["options"]).contains(&"ro".into()));
    assert_eq!(s["root"]["readonly"], true);
    assert_eq!(
        mount(&s, "/etc/hosts").unwrap()["source"],
        "/h/hosts",
        "user mount wins"
    );
    assert_eq!(s["linux"]["rootfsPropagation"], "rslave");
    assert_eq!(s["linux"]["cgroupsPath"], "/skiff/abc");
    assert_eq!(s["linux"]["sysctl"]["net.ipv4.ip_forward"], "1");
    assert_eq!(s["annotations"]["io.skiff.name"], "web");
    assert!(strs(&s["process"]["env"]).contains(&"TERM=xterm".into()));

    env.init_binary = None;
    let e = build_spec(&image(), &o, &[], &env).unwrap_err();
    assert!(matches!(e, SpecError::InitBinaryMissing));
}

#[test]
fn resources_and_limits() {
    let f = fixture();
    let o = SpecOptions {
        memory: Some(64 << 20),
        cpus: Some(1.5),
        cpu_shares: Some(512),
        pids_limit: Some(0),
        ulimits: vec![Ulimit {
            name: "RLIMIT_NOFILE".into(),
            soft: 100,
            hard: 200,
        }],
        oom_score_adj: Some(500),
        ..Default::default()
    };
    let s = build(&image(), &o, &[], &env_for(&f, false));
    let r = &s["linux"]["resources"];
    assert_eq!(r["memory"]["limit"], 64 << 20);
    assert_eq!(r["memory"]["swap"], 128 << 20);
    assert_eq!(
        (r["cpu"]["quota"].as_i64(), r["cpu"]["period"].as_u64()),
        (Some(150_000), Some(100_000))
    );
    assert_eq!(r["cpu"]["shares"], 512);
    assert_eq!(r["pids"]["limit"], -1);
    assert_eq!(
        s["process"]["rlimits"],
        json!([{"type": "RLIMIT_NOFILE", "soft": 100, "hard": 200}])
    );
    assert_eq!(s["process"]["oomScoreAdj"], 500);

    let s = build(&image(), &o, &[], &env_for(&f, true));
    assert!(s["linux"].get("resources").is_none_or(Value::is_null));

    let limits = "Limit                     Soft Limit           Hard Limit           Units\n\
                  Max open files            1024                 524288               files\n";
    assert_eq!(nofile_hard(limits), Some(524288));
    assert_eq!(
        nofile_hard("Max open files  unlimited  unlimited  files"),
        Some(u64::MAX)
    );
    assert_eq!(nofile_hard(""), None);
}

#[test]
fn policies() {
    for (s, p) in [
        ("no", RestartPolicy::No),
        ("always", RestartPolicy::Always),
        ("unless-stopped", RestartPolicy::UnlessStopped),
        ("on-failure", RestartPolicy::OnFailure(None)),
        ("on-failure:3", RestartPolicy::OnFailure(Some(3))),
    ] {
        assert_eq!(s.parse::<RestartPolicy>().unwrap(), p);
        assert_eq!(p.to_string(), s);
    }
    for bad in ["sometimes", "always:2", "on-failure:x", "on-failure:-1"] {
        let e = bad.parse::<RestartPolicy>().unwrap_err().to_string();
        assert!(e.starts_with(&format!("invalid --restart {bad:?}")), "{e}");
    }
    for (s, p) in [
        ("always", PullPolicy::Always),
        ("missing", PullPolicy::Missing),
        ("never", PullPolicy::Never),
        ("newer", PullPolicy::Newer),
    ] {
        assert_eq!(s.parse::<PullPolicy>().unwrap(), p);
        assert_eq!(p.to_string(), s);
    }
    assert!("sometimes".parse::<PullPolicy>().is_err());
}
