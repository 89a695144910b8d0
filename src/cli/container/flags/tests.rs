//! `create`/`run` flag parsing through a test command.
use super::*;
use crate::container::spec::{MountKind, NamespaceMode, SeccompMode, UsernsMode};
use clap::Parser;

#[derive(Parser, Debug)]
#[command(disable_help_flag = true)]
struct Run {
    /// `run`'s own flag beside the shared ones.
    #[arg(short, long)]
    detach: bool,
    #[command(flatten)]
    flags: CreateFlags,
}

fn parse(args: &[&str]) -> Result<Run, clap::Error> {
    Run::try_parse_from(std::iter::once("run").chain(args.iter().copied()))
}

fn opts(args: &[&str]) -> anyhow::Result<SpecOptions> {
    parse(args).unwrap().flags.spec_options()
}

#[test]
fn command_definition_is_consistent() {
    use clap::CommandFactory;
    Run::command().debug_assert();
}

#[test]
fn options_stop_at_the_image() {
    let r = parse(&["-d", "--rm", "-it", "busybox", "ls", "-l", "--name", "x"]).unwrap();
    assert!(r.detach && r.flags.rm && r.flags.interactive && r.flags.tty);
    assert_eq!(r.flags.image(), "busybox");
    assert_eq!(r.flags.command(), ["ls", "-l", "--name", "x"]);
    assert_eq!(r.flags.name, None);
    let r = parse(&["busybox", "-l"]).unwrap();
    assert_eq!(r.flags.command(), ["-l"]);
    assert!(r.flags.label.is_empty());
    let r = parse(&["--", "busybox", "sh"]).unwrap();
    assert_eq!(r.flags.image(), "busybox");
    assert_eq!(r.flags.command(), ["sh"]);
    assert!(parse(&["-d"]).is_err(), "the image is required");
    assert!(parse(&["--bogus", "busybox"]).is_err());
    assert!(parse(&["-Z", "busybox"]).is_err());
    let r = parse(&["busybox", "--rm"]).unwrap();
    assert!(!r.flags.rm);
    assert_eq!(r.flags.command(), ["--rm"]);
}

#[test]
fn short_and_alias_flags() {
    let r = parse(&[
        "-h",
        "box",
        "-e",
        "A=1",
        "-v",
        "/tmp:/t",
        "-p",
        "80:80",
        "-P",
        "-u",
        "app",
        "-w",
        "/w",
        "-l",
        "k=v",
        "-m",
        "64m",
        "-c",
        "512",
        "--net",
        "none",
        "--dns-opt",
        "ndots:1",
        "--name",
        "web",
        "img",
    ])
    .unwrap()
    .flags;
    assert_eq!(r.hostname.as_deref(), Some("box"));
    assert_eq!(r.network.as_deref(), Some("none"));
    assert_eq!(r.dns_option, ["ndots:1"]);
    assert_eq!(r.name.as_deref(), Some("web"));
    let o = r.spec_options().unwrap();
    assert_eq!(o.memory, Some(64 << 20));
    assert_eq!(o.cpu_shares, Some(512));
    assert_eq!(o.network, NetworkMode::None);
    assert_eq!(o.publish, ["80:80"]);
    assert!(o.publish_all);
    assert_eq!(o.mounts[0].kind, MountKind::Bind);
    assert_eq!(r.labels().unwrap()["k"], "v");
}

#[test]
fn validated_enums() {
    let r = parse(&["--restart", "on-failure:5", "--pull", "never", "img"])
        .unwrap()
        .flags;
    assert_eq!(
        r.restart_policy().unwrap(),
        RestartPolicy::OnFailure(Some(5))
    );
    assert_eq!(r.pull_policy(), PullPolicy::Never);
    assert_eq!(
        parse(&["img"]).unwrap().flags.pull_policy(),
        PullPolicy::Missing
    );
    let e = parse(&["--restart", "sometimes", "img"])
        .unwrap_err()
        .to_string();
    assert!(e.contains("sometimes"), "{e}");
    assert!(parse(&["--log-driver", "syslog", "img"]).is_err());
    assert!(parse(&["--log-driver", "json-file", "img"]).is_ok());
    let r = parse(&["--rm", "--restart", "always", "img"])
        .unwrap()
        .flags;
    assert!(r.restart_policy().unwrap_err().to_string().contains("--rm"));
    let r = parse(&["--rm", "--restart", "no", "img"]).unwrap().flags;
    assert_eq!(r.restart_policy().unwrap(), RestartPolicy::No);
}

#[test]
fn environment() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("env");
    std::fs::write(
        &file,
        "# comment\n\n  A=from-file\nB=x=y \nSKIFF_TEST_UNSET_VAR\nPATH\n",
    )
    .unwrap();
    let path = std::env::var("PATH").unwrap();
    let o = opts(&[
        "--env-file",
        file.to_str().unwrap(),
        "-e",
        "A=cli",
        "-e",
        "HOME",
        "img",
    ])
    .unwrap();
    let home = std::env::var("HOME").unwrap();
    assert_eq!(
        o.env,
        [
            "A=from-file".to_string(),
            "B=x=y ".into(),
            format!("PATH={path}"),
            "A=cli".into(),
            format!("HOME={home}")
        ]
    );
    let e = opts(&["-e", "=x", "img"]).unwrap_err().to_string();
    assert!(e.contains("\"=x\""), "{e}");
    let e = opts(&["--env-file", "/nonexistent/env", "img"])
        .unwrap_err()
        .to_string();
    assert!(e.contains("/nonexistent/env"), "{e}");
}

#[test]
fn entrypoint_forms() {
    let o = opts(&["--entrypoint", "", "img", "id"]).unwrap();
    assert_eq!(o.entrypoint, Some(vec![]));
    assert_eq!(o.command, ["id"]);
    let o = opts(&["--entrypoint", "/bin/sh -c", "img"]).unwrap();
    assert_eq!(o.entrypoint, Some(vec!["/bin/sh -c".to_string()]));
    let o = opts(&["--entrypoint", r#"["/bin/sh","-c"]"#, "img"]).unwrap();
    assert_eq!(o.entrypoint, Some(vec!["/bin/sh".to_string(), "-c".into()]));
    assert_eq!(opts(&["img"]).unwrap().entrypoint, None);
}

#[test]
fn resources() {
    let o = opts(&[
        "--memory",
        "1g",
        "--memory-swap",
        "-1",
        "--cpus",
        "0.5",
        "--pids-limit",
        "-1",
        "--shm-size",
        "128m",
        "--oom-score-adj",
        "-500",
        "--ulimit",
        "nofile=100:200",
        "--ulimit",
        "nofile=300",
        "img",
    ])
    .unwrap();
    assert_eq!(o.memory, Some(1 << 30));
    assert_eq!(o.memory_swap, Some(-1));
    assert_eq!(o.cpus, Some(0.5));
    assert_eq!(o.pids_limit, Some(-1));
    assert_eq!(o.shm_size, Some(128 << 20));
    assert_eq!(o.oom_score_adj, Some(-500));
    assert_eq!(o.ulimits.len(), 1);
    assert_eq!((o.ulimits[0].soft, o.ulimits[0].hard), (300, 300));
    for (args, needle) in [
        (&["--memory", "lots", "img"][..], "--memory \"lots\""),
        (&["--memory", "1m", "img"], "minimum is 6MB"),
        (
            &["--memory", "64m", "--memory-swap", "32m", "img"],
            "--memory-swap",
        ),
        (&["--memory-swap", "1g", "img"], "set --memory too"),
        (&["--cpus", "0", "img"], "--cpus"),
        (&["--oom-score-adj", "2000", "img"], "-1000 and 1000"),
        (&["--shm-size", "0", "img"], "--shm-size"),
    ] {
        let e = opts(args).unwrap_err().to_string();
        assert!(e.contains(needle), "{args:?}: {e}");
    }
}

#[test]
fn security() {
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("p.json");
    std::fs::write(&profile, r#"{"defaultAction":"SCMP_ACT_ALLOW"}"#).unwrap();
    let o = opts(&[
        "--cap-add",
        "net_admin",
        "--cap-drop",
        "ALL",
        "--security-opt",
        "no-new-privileges",
        "--security-opt",
        "label=disable",
        "--security-opt",
        &format!("seccomp={}", profile.display()),
        "img",
    ])
    .unwrap();
    assert_eq!(o.cap_add, ["CAP_NET_ADMIN"]);
    assert_eq!(o.cap_drop, ["ALL"]);
    assert!(o.no_new_privileges && o.label_disable);
    assert_eq!(
        o.seccomp,
        SeccompMode::Profile(r#"{"defaultAction":"SCMP_ACT_ALLOW"}"#.into())
    );
    let o = opts(&[
        "--security-opt",
        "seccomp:unconfined",
        "--security-opt",
        "no-new-privileges=false",
        "img",
    ])
    .unwrap();
    assert_eq!(o.seccomp, SeccompMode::Unconfined);
    assert!(!o.no_new_privileges);
    for (args, needle) in [
        (
            &["--cap-add", "FLY", "img"][..],
            "unknown capability \"FLY\"",
        ),
        (
            &["--security-opt", "seccomp=/nonexistent.json", "img"],
            "/nonexistent.json",
        ),
        (
            &["--security-opt", "seccomp={bad", "img"],
            "invalid seccomp profile",
        ),
        (
            &["--security-opt", "bogus", "img"],
            "--security-opt \"bogus\"",
        ),
    ] {
        let e = opts(args).unwrap_err().to_string();
        assert!(e.contains(needle), "{args:?}: {e}");
    }
}

#[test]
fn namespaces_and_network() {
    let o = opts(&[
        "--network",
        "container:db",
        "--ipc",
        "host",
        "--pid",
        "ns:/proc/9/ns/pid",
        "--uts",
        "private",
        "--cgroupns",
        "host",
        "--userns",
        "keep-id",
        "img",
    ])
    .unwrap();
    assert_eq!(o.network, NetworkMode::Container("db".into()));
    assert_eq!(o.ipc, NamespaceMode::Host);
    assert_eq!(o.pid, NamespaceMode::Path("/proc/9/ns/pid".into()));
    assert_eq!(o.uts, NamespaceMode::Private);
    assert_eq!(o.cgroupns, NamespaceMode::Host);
    assert_eq!(o.userns, Some(UsernsMode::KeepId));
    let o = opts(&[
        "--add-host",
        "db:10.0.0.2",
        "--add-host",
        "v6=[::1]",
        "--dns",
        "1.1.1.1",
        "--network",
        "host",
        "img",
    ])
    .unwrap();
    assert_eq!(
        o.add_host,
        [
            ("db".into(), "10.0.0.2".into()),
            ("v6".into(), "::1".into())
        ]
    );
    assert_eq!(o.network, NetworkMode::Host);
    for (args, needle) in [
        (&["--network", "mynet", "img"][..], "user-defined networks"),
        (&["--cgroupns", "container:x", "img"], "private or host"),
        (&["--userns", "auto", "img"], "host or keep-id"),
        (&["--dns", "dns.example", "img"], "--dns"),
        (&["--add-host", "db", "img"], "NAME:IP"),
        (
            &["--network", "host", "-p", "80:80", "img"],
            "--network host",
        ),
        (&["--hostname", "bad_name", "img"], "RFC 1123"),
        (&["--stop-signal", "SIGNOPE", "img"], "--stop-signal"),
        (&["-w", "rel", "img"], "absolute"),
    ] {
        let e = opts(args).unwrap_err().to_string();
        assert!(e.contains(needle), "{args:?}: {e}");
    }
}

#[test]
fn mounts_devices_sysctls() {
    let o = opts(&[
        "-v",
        "data:/data:ro,z",
        "-v",
        "/anon",
        "--mount",
        "type=tmpfs,target=/scratch,tmpfs-size=1m",
        "--tmpfs",
        "/run:exec,size=64m",
        "--device",
        "/dev/null:/dev/n:r",
        "--sysctl",
        "net.ipv4.ip_forward=1",
        "img",
    ])
    .unwrap();
    let dests: Vec<&str> = o.mounts.iter().map(|m| m.destination.as_str()).collect();
    assert_eq!(dests, ["/data", "/anon", "/scratch", "/run"]);
    assert_eq!(o.mounts[0].source.as_deref(), Some("data"));
    assert_eq!(o.mounts[0].options, ["ro"]);
    assert_eq!(
        o.mounts[3].options,
        ["rw", "nosuid", "nodev", "exec", "size=64m"]
    );
    assert_eq!(o.devices[0].container, "/dev/n");
    assert_eq!(o.sysctls["net.ipv4.ip_forward"], "1");
    for (args, needle) in [
        (
            &["-v", "/a:/b", "-v", "/c:/b/", "img"][..],
            "duplicate mount point /b",
        ),
        (
            &["--sysctl", "kernel.panic=1", "img"],
            "not a namespaced sysctl",
        ),
        (
            &[
                "--sysctl",
                "net.core.somaxconn=1",
                "--network",
                "host",
                "img",
            ],
            "shares this namespace",
        ),
        (
            &["-v", "a:b:c:d", "img"],
            "expected [SOURCE:]DEST[:OPTIONS]",
        ),
    ] {
        let e = opts(args).unwrap_err().to_string();
        assert!(e.contains(needle), "{args:?}: {e}");
    }
}
