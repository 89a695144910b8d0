//! Option value parsers.
use std::path::{Path, PathBuf};

use super::parse::*;
use super::{MountKind, NamespaceMode, NetworkMode, SeccompMode, SpecOptions};

fn err<T: std::fmt::Debug>(r: Result<T, super::SpecError>) -> String {
    let e = r.unwrap_err().to_string();
    assert!(!e.contains('\n'), "{e}");
    e
}

#[test]
fn clean_paths() {
    assert_eq!(clean_path("/a//b/./c/").as_deref(), Some("/a/b/c"));
    assert_eq!(clean_path("/a/../../b").as_deref(), Some("/b"));
    assert_eq!(clean_path("/").as_deref(), Some("/"));
    assert_eq!(clean_path("a/b"), None);
    assert!(valid_volume_name("my-vol_1.x"));
    assert!(!valid_volume_name("-x") && !valid_volume_name("a") && !valid_volume_name("a/b"));
}

#[test]
fn volumes() {
    let cwd = Path::new("/home/u/proj");
    let m = parse_volume("/data", cwd).unwrap();
    assert_eq!((m.kind, m.source.as_deref()), (MountKind::Volume, None));
    assert!(m.create_source);
    let m = parse_volume("/srv:/data:ro,Z,rslave,nocopy", cwd).unwrap();
    assert_eq!(
        (m.kind, m.source.as_deref()),
        (MountKind::Bind, Some("/srv"))
    );
    assert_eq!(m.options, ["ro", "rslave"]);
    assert!(m.nocopy);
    let m = parse_volume("./conf:/etc/app/", cwd).unwrap();
    assert_eq!(m.source.as_deref(), Some("/home/u/proj/conf"));
    assert_eq!(m.destination, "/etc/app");
    let m = parse_volume("cache:/var/cache", cwd).unwrap();
    assert_eq!(
        (m.kind, m.source.as_deref()),
        (MountKind::Volume, Some("cache"))
    );
    let m = parse_volume("/data:ro", cwd).unwrap();
    assert_eq!(
        (m.source.as_deref(), m.destination.as_str()),
        (None, "/data")
    );
    assert_eq!(m.options, ["ro"]);

    assert_eq!(
        err(parse_volume("a:b:c:d", cwd)),
        "invalid volume \"a:b:c:d\": expected [SOURCE:]DEST[:OPTIONS]"
    );
    assert!(err(parse_volume("vol:rel:ro", cwd)).contains("absolute path"));
    // Two fields, the second not a path: DEST:OPTIONS, as Podman reads it.
    assert!(err(parse_volume("/a:rel", cwd)).contains("unknown option \"rel\""));
    assert!(err(parse_volume("/a:/", cwd)).contains("cannot be /"));
    assert!(err(parse_volume("/a:/b:ro,rw", cwd)).contains("ro or rw once"));
    assert!(err(parse_volume("/a:/b:shared,slave", cwd)).contains("one propagation"));
    assert!(err(parse_volume("/a:/b:bogus", cwd)).contains("unknown option \"bogus\""));
    assert!(err(parse_volume("bad name:/b", cwd)).contains("valid volume name"));
    assert!(err(parse_volume(":/b", cwd)).contains("source is empty"));
}

#[test]
fn mounts() {
    let cwd = Path::new("/w");
    let m = parse_mount(
        "type=bind,src=/srv,dst=/data,readonly,bind-propagation=rshared",
        cwd,
    )
    .unwrap();
    assert_eq!(
        (m.kind, m.source.as_deref()),
        (MountKind::Bind, Some("/srv"))
    );
    assert_eq!(m.options, ["ro", "rshared"]);
    assert!(!m.create_source, "--mount does not create sources");
    let m = parse_mount("type=bind,source=rel,target=/d,bind-nonrecursive", cwd).unwrap();
    assert_eq!(m.source.as_deref(), Some("/w/rel"));
    assert_eq!(m.options, ["rw", "bind"]);
    let m = parse_mount("target=/d,volume-nocopy", cwd).unwrap();
    assert_eq!((m.kind, m.source.as_deref()), (MountKind::Volume, None));
    assert!(m.nocopy);
    let m = parse_mount("type=volume,source=v1,target=/d,ro=false", cwd).unwrap();
    assert_eq!(m.options, ["rw"]);
    let m = parse_mount("type=tmpfs,target=/t,tmpfs-size=64M,tmpfs-mode=1770", cwd).unwrap();
    assert_eq!(
        m.options,
        ["noexec", "nosuid", "nodev", "rw", "size=64m", "mode=1770"]
    );

    for (spec, needle) in [
        ("type=bind,target=/d", "source is required"),
        ("type=nfs,target=/d", "type \"nfs\""),
        ("type=volume,source=v", "target is required"),
        ("type=tmpfs,source=x,target=/d", "no source"),
        ("type=tmpfs,target=/d,tmpfs-size=lots", "size \"lots\""),
        ("type=tmpfs,target=/d,tmpfs-mode=999", "octal"),
        ("type=bind,src=/a,target=/d,readonly=maybe", "true or false"),
        (
            "type=bind,src=/a,target=/d,bind-propagation=weird",
            "bind-propagation",
        ),
        ("target=/d,volume-driver=nfs", "local volume driver"),
        ("target=/d,colour=blue", "unknown key \"colour\""),
        ("type=volume,source=-bad,target=/d", "valid volume name"),
    ] {
        let e = err(parse_mount(spec, cwd));
        assert!(
            e.starts_with(&format!("invalid --mount {spec:?}")) && e.contains(needle),
            "{e}"
        );
    }
}

#[test]
fn tmpfs() {
    let m = parse_tmpfs("/run").unwrap();
    assert_eq!(m.options, ["rw", "noexec", "nosuid", "nodev"]);
    let m = parse_tmpfs("/run:ro,exec,size=1G,mode=755,uid=5").unwrap();
    assert_eq!(
        m.options,
        [
            "nosuid", "nodev", "ro", "exec", "size=1g", "mode=755", "uid=5"
        ]
    );
    assert!(err(parse_tmpfs("run")).contains("absolute"));
    assert!(err(parse_tmpfs("/run:size=1x")).contains("size"));
    assert!(err(parse_tmpfs("/run:mode=abc")).contains("octal"));
}

#[test]
fn devices() {
    let d = parse_device("/dev/fuse").unwrap();
    assert_eq!(
        (d.host, d.container.as_str(), d.perms.as_str()),
        (PathBuf::from("/dev/fuse"), "/dev/fuse", "rwm")
    );
    let d = parse_device("/dev/sda:r").unwrap();
    assert_eq!((d.container.as_str(), d.perms.as_str()), ("/dev/sda", "r"));
    let d = parse_device("/dev/sda:/dev/xvda").unwrap();
    assert_eq!(
        (d.container.as_str(), d.perms.as_str()),
        ("/dev/xvda", "rwm")
    );
    let d = parse_device("/dev/sda:/dev/xvda:rw").unwrap();
    assert_eq!(d.perms, "rw");
    assert!(err(parse_device("/dev/sda:/dev/x:rwx")).contains("permissions"));
    assert!(err(parse_device("sda")).contains("absolute"));
    assert!(err(parse_device("/dev/sda:xvda")).contains("absolute"));
    assert!(err(parse_device("/a:/b:r:x")).contains("HOST[:CONTAINER]"));
}

#[test]
fn ulimits() {
    let u = parse_ulimit("nofile=1024:4096").unwrap();
    assert_eq!(
        (u.name.as_str(), u.soft, u.hard),
        ("RLIMIT_NOFILE", 1024, 4096)
    );
    let u = parse_ulimit("core=-1").unwrap();
    assert_eq!((u.soft, u.hard), (u64::MAX, u64::MAX));
    let u = parse_ulimit("memlock=100:-1").unwrap();
    assert_eq!((u.soft, u.hard), (100, u64::MAX));
    assert!(err(parse_ulimit("nofile=10:5")).contains("soft limit"));
    assert!(err(parse_ulimit("files=1")).contains("unknown limit \"files\""));
    assert!(err(parse_ulimit("nofile")).contains("NAME=SOFT[:HARD]"));
    assert!(err(parse_ulimit("nofile=many")).contains("\"many\""));
}

#[test]
fn hosts_networks_namespaces() {
    assert_eq!(
        parse_add_host("db:10.0.0.1").unwrap(),
        ("db".into(), "10.0.0.1".into())
    );
    assert_eq!(
        parse_add_host("v6:::1").unwrap(),
        ("v6".into(), "::1".into())
    );
    assert_eq!(
        parse_add_host("v6=fe80::1").unwrap(),
        ("v6".into(), "fe80::1".into())
    );
    assert_eq!(parse_add_host("gw:host-gateway").unwrap().1, "host-gateway");
    assert!(err(parse_add_host("db:nope")).contains("not an IP address"));
    assert!(err(parse_add_host(":1.2.3.4")).contains("host name"));

    assert_eq!(parse_network("bridge").unwrap(), NetworkMode::Default);
    assert_eq!(
        parse_network("slirp4netns:allow_host_loopback=false").unwrap(),
        NetworkMode::Slirp("allow_host_loopback=false".into())
    );
    assert_eq!(
        parse_network("pasta").unwrap(),
        NetworkMode::Pasta(String::new())
    );
    assert_eq!(parse_network("none").unwrap(), NetworkMode::None);
    assert_eq!(parse_network("host").unwrap(), NetworkMode::Host);
    assert_eq!(
        parse_network("container:web").unwrap(),
        NetworkMode::Container("web".into())
    );
    assert_eq!(
        parse_network("ns:/run/netns/x").unwrap(),
        NetworkMode::Ns("/run/netns/x".into())
    );
    assert!(parse_network("ns:relative").is_err() && parse_network("container:").is_err());
    assert!(parse_network("host:x").is_err());

    assert_eq!(
        parse_namespace("--ipc", "shareable").unwrap(),
        NamespaceMode::Private
    );
    assert_eq!(
        parse_namespace("--pid", "host").unwrap(),
        NamespaceMode::Host
    );
    assert_eq!(
        parse_namespace("--pid", "container:db").unwrap(),
        NamespaceMode::Container("db".into())
    );
    assert!(parse_namespace("--pid", "shareable").is_err());
    assert!(parse_namespace("--cgroupns", "ns:/x").is_err());
    assert_eq!(parse_userns("").unwrap(), None);
    assert!(parse_sysctl("=1").is_err() && parse_sysctl("a").is_err());
    assert_eq!(
        parse_sysctl("net.ipv4.ping_group_range=0 1").unwrap().1,
        "0 1"
    );
}

#[test]
fn security_opts() {
    let read = |p: &Path| -> std::io::Result<String> {
        if p == Path::new("/profiles/ok.json") {
            Ok(r#"{"defaultAction":"SCMP_ACT_ERRNO"}"#.into())
        } else {
            Err(std::io::Error::from(std::io::ErrorKind::NotFound))
        }
    };
    let mut o = SpecOptions::default();
    for s in [
        "seccomp=/profiles/ok.json",
        "no-new-privileges:true",
        "label:disable",
        "label=type:spc_t",
        "apparmor=my-profile",
        "mask=/proc/a:/proc/b",
        "unmask=/proc/kcore",
    ] {
        apply_security_opt(&mut o, s, &read).unwrap();
    }
    assert!(matches!(o.seccomp, SeccompMode::Profile(ref t) if t.contains("SCMP_ACT_ERRNO")));
    assert!(o.no_new_privileges && o.label_disable);
    assert_eq!(o.apparmor.as_deref(), Some("my-profile"));
    assert_eq!(o.mask, ["/proc/a", "/proc/b"]);
    assert_eq!(o.unmask, ["/proc/kcore"]);
    apply_security_opt(&mut o, "apparmor=unconfined", &read).unwrap();
    apply_security_opt(&mut o, "systempaths=unconfined", &read).unwrap();
    apply_security_opt(
        &mut o,
        r#"seccomp={"defaultAction":"SCMP_ACT_ALLOW"}"#,
        &read,
    )
    .unwrap();
    assert_eq!(o.apparmor, None);
    assert!(o.unmask.contains(&"ALL".to_string()));
    assert!(
        err(apply_security_opt(&mut o, "seccomp=/nope.json", &read))
            .contains("reading the profile")
    );
    assert!(err(apply_security_opt(&mut o, "mask=rel", &read)).contains("absolute"));
    assert!(
        err(apply_security_opt(&mut o, "no-new-privileges=maybe", &read)).contains("true or false")
    );
}

#[test]
fn env_files() {
    let lookup = |k: &str| (k == "USER").then(|| "alice".to_string());
    assert_eq!(env_entry("A=1", &lookup).unwrap().as_deref(), Some("A=1"));
    assert_eq!(
        env_entry("USER", &lookup).unwrap().as_deref(),
        Some("USER=alice")
    );
    assert_eq!(env_entry("MISSING", &lookup).unwrap(), None);
    assert!(err(env_entry("A B=1", &lookup)).contains("whitespace"));
    let text = "# c\n\n   X=a b\nUSER\nMISSING\nY=\"quoted\"\n";
    assert_eq!(
        env_file(text, &lookup).unwrap(),
        ["X=a b", "USER=alice", "Y=\"quoted\""]
    );
}

#[test]
fn cross_checks() {
    let ok = SpecOptions {
        sysctls: [
            ("kernel.shmmax".to_string(), "1".to_string()),
            ("fs.mqueue.msg_max".to_string(), "1".to_string()),
            ("net.core.somaxconn".to_string(), "1".to_string()),
        ]
        .into(),
        memory: Some(64 << 20),
        memory_swap: Some(128 << 20),
        ..Default::default()
    };
    validate(&ok).unwrap();
    let mut ipc_host = ok.clone();
    ipc_host.ipc = NamespaceMode::Host;
    assert!(err(validate(&ipc_host)).contains("shares this namespace"));
    let mut uts_host = SpecOptions {
        uts: NamespaceMode::Host,
        ..Default::default()
    };
    uts_host
        .sysctls
        .insert("kernel.domainname".into(), "x".into());
    assert!(validate(&uts_host).is_err());
}
