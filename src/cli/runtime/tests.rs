use super::*;
use clap::Parser;

fn parse(args: &[&str]) -> RuntimeArgs {
    RuntimeCli::try_parse_from(std::iter::once("skiff-runtime").chain(args.iter().copied()))
        .unwrap_or_else(|e| panic!("{args:?}: {e}"))
        .args
}

#[test]
fn podman_style_create_line_parses() {
    let a = parse(&[
        "--root",
        "/run/r",
        "--log",
        "/tmp/l",
        "--log-format",
        "json",
        "--systemd-cgroup",
        "create",
        "--bundle",
        "/b",
        "--pid-file",
        "/p",
        "--console-socket",
        "/s",
        "--no-new-keyring",
        "--preserve-fds",
        "2",
        "ctr1",
    ]);
    assert_eq!(a.state_root.as_deref(), Some(Path::new("/run/r")));
    assert_eq!(a.log_format, LogFormat::Json);
    assert!(a.systemd_cgroup);
    let Some(RuntimeCommand::Create(c)) = a.command else {
        panic!("not create")
    };
    assert_eq!(c.id, "ctr1");
    assert_eq!(c.bundle.as_deref(), Some(Path::new("/b")));
    assert_eq!(c.preserve_fds, 2);
    assert!(c.no_new_keyring && !c.no_pivot);
}

#[test]
fn kill_takes_an_optional_signal_and_all() {
    let Some(RuntimeCommand::Kill { all, id, signal }) =
        parse(&["kill", "-a", "c", "KILL"]).command
    else {
        panic!()
    };
    assert!(all);
    assert_eq!((id.as_str(), signal.as_deref()), ("c", Some("KILL")));
    let Some(RuntimeCommand::Kill { signal, .. }) = parse(&["kill", "c"]).command else {
        panic!()
    };
    assert_eq!(signal, None);
}

#[test]
fn exec_keeps_the_command_with_its_own_flags() {
    let Some(RuntimeCommand::Exec(e)) = parse(&[
        "exec",
        "-e",
        "A=1",
        "--env",
        "B=2",
        "-u",
        "1000:1001",
        "-g",
        "5,6",
        "--cap",
        "NET_ADMIN",
        "c1",
        "sh",
        "-c",
        "echo -n hi",
    ])
    .command
    else {
        panic!()
    };
    assert_eq!(e.id, "c1");
    assert_eq!(e.command, ["sh", "-c", "echo -n hi"]);
    assert_eq!(e.env, ["A=1", "B=2"]);
    assert_eq!(e.additional_gids, [5, 6]);
}

fn base_process() -> Process {
    serde_json::from_value(serde_json::json!({
        "user": {"uid": 0, "gid": 0},
        "args": ["sh"],
        "env": ["PATH=/bin", "TERM=xterm"],
        "cwd": "/",
        "terminal": true,
        "capabilities": {"bounding": ["CAP_KILL"], "effective": ["CAP_KILL"],
                         "permitted": ["CAP_KILL"]},
        "rlimits": [{"type": "RLIMIT_NOFILE", "hard": 1024, "soft": 1024}]
    }))
    .unwrap()
}

#[test]
fn exec_process_applies_flags_over_the_spec() {
    let e = ExecArgs {
        command: vec!["id".into()],
        env: vec!["TERM=dumb".into(), "NEW=x".into()],
        user: Some("1000:1001".into()),
        additional_gids: vec![7],
        cap: vec!["net_admin".into()],
        cwd: Some("/tmp".into()),
        no_new_privs: true,
        ..Default::default()
    };
    let p = exec_process(Some(&base_process()), &e).unwrap();
    assert_eq!(p.args().as_deref(), Some(&["id".to_string()][..]));
    assert_eq!(
        p.env().as_deref(),
        Some(&["PATH=/bin".to_string(), "TERM=dumb".into(), "NEW=x".into()][..])
    );
    assert_eq!((p.user().uid(), p.user().gid()), (1000, 1001));
    assert_eq!(p.user().additional_gids().as_deref(), Some(&[7][..]));
    assert_eq!(p.terminal(), Some(false), "terminal only with --tty");
    assert_eq!(p.cwd(), Path::new("/tmp"));
    assert_eq!(p.no_new_privileges(), Some(true));
    let caps = p.capabilities().as_ref().unwrap();
    for set in [caps.bounding(), caps.effective(), caps.permitted()] {
        let set = set.as_ref().unwrap();
        assert!(set.contains(&Capability::NetAdmin) && set.contains(&Capability::Kill));
    }
    // No inheritable set in the spec: no ambient capability added.
    assert!(caps.ambient().is_none());
    // Spec values the flags do not touch are kept.
    assert_eq!(p.rlimits().as_ref().map(Vec::len), Some(1));
}

#[test]
fn exec_rejects_bad_users_and_caps() {
    let mut e = ExecArgs {
        command: vec!["id".into()],
        user: Some("bob".into()),
        ..Default::default()
    };
    assert!(exec_process(None, &e).is_err());
    e.user = None;
    e.cap = vec!["CAP_FLY".into()];
    let err = exec_process(None, &e).unwrap_err().to_string();
    assert!(err.contains("CAP_FLY"), "{err}");
}

#[test]
fn exec_validation_needs_args_and_absolute_cwd() {
    let mut p = base_process();
    p.set_args(Some(vec![]));
    assert!(validate_exec_process(&p).is_err());
    p.set_args(Some(vec!["true".into()]));
    p.set_cwd("rel".into());
    assert!(validate_exec_process(&p).is_err());
    p.set_cwd("/".into());
    validate_exec_process(&p).unwrap();
}

#[test]
fn update_flags_override_the_file() {
    let base: LinuxResources = serde_json::from_value(serde_json::json!({
        "memory": {"limit": 1000, "swap": 2000},
        "cpu": {"shares": 10}
    }))
    .unwrap();
    let u = UpdateArgs {
        memory: Some("1m".into()),
        memory_swap: Some("-1".into()),
        cpu_quota: Some(5000),
        pids_limit: Some(42),
        id: "c".into(),
        ..Default::default()
    };
    let r = update_resources(Some(base), &u).unwrap();
    let m = r.memory().as_ref().unwrap();
    assert_eq!((m.limit(), m.swap()), (Some(1 << 20), Some(-1)));
    let c = r.cpu().as_ref().unwrap();
    assert_eq!((c.shares(), c.quota()), (Some(10), Some(5000)));
    assert_eq!(r.pids().as_ref().map(|p| p.limit()), Some(42));
    let bad = UpdateArgs {
        memory: Some("lots".into()),
        ..Default::default()
    };
    assert!(update_resources(None, &bad).is_err());
}

#[test]
fn ps_table_keeps_header_and_container_rows() {
    let table = "UID PID PPID C STIME TTY TIME CMD\n\
                 root 1 0 0 10:00 ? 00:00:01 /sbin/init\n\
                 root 4242 1 0 10:00 ? 00:00:00 sh\n\
                 root 42 1 0 10:00 ? 00:00:00 other 4242\n";
    let out = filter_ps_table(table, &[4242]).unwrap();
    assert_eq!(
        out,
        "UID PID PPID C STIME TTY TIME CMD\nroot 4242 1 0 10:00 ? 00:00:00 sh\n"
    );
    assert!(filter_ps_table("USER COMMAND\nx y\n", &[1]).is_err());
}

#[test]
fn log_lines_have_runc_shapes() {
    use chrono::TimeZone;
    let t = chrono::Local.timestamp_opt(1_700_000_000, 0).unwrap();
    let j = log_line(true, "error", "container \"x\" not found", t);
    assert!(j.ends_with('\n') && j.lines().count() == 1);
    let v: serde_json::Value = serde_json::from_str(&j).unwrap();
    assert_eq!(v["level"], "error");
    assert_eq!(v["msg"], "container \"x\" not found");
    assert!(v["time"].as_str().unwrap().starts_with("2023-11-1"));
    let tx = log_line(false, "error", "a \"b\"", t);
    assert!(tx.contains(" level=error msg=\"a \\\"b\\\"\"\n"), "{tx}");
    assert!(tx.starts_with("time=\"2023-11-1"), "{tx}");
}

#[test]
fn spec_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("config.json"), b"{}").unwrap();
    let err = write_default_spec(dir.path(), false)
        .unwrap_err()
        .to_string();
    assert!(err.contains("exists"), "{err}");
    assert_eq!(
        std::fs::read(dir.path().join("config.json")).unwrap(),
        b"{}"
    );
}

#[test]
fn columns_align_like_runc_list() {
    let out = align_columns("ID\tPID\tSTATUS\nabc\t12\trunning\n");
    assert_eq!(
        out,
        "ID          PID         STATUS\nabc         12          running\n"
    );
}
