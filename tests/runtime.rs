//! `skiff runtime` (the built-in OCI runtime) driven like runc, with busybox
//! bundles: each test runs rootless as the test user and, when the tests run
//! as root, again as root. Root-only features (cgroup limits, freezer) are in
//! `tests/runtime_root.rs`; terminals and exec in `tests/runtime_exec.rs`.

mod common;

use common::Env;
use common::bundle::{Bundle, Mode, Runtime, unique_id};
use serde_json::json;
use std::ffi::OsStr;
use std::path::Path;

common::bundle::both_modes!(
    lifecycle,
    delete_of_created_container_needs_force,
    kill_signal_forms,
    run_exit_codes_and_stdio,
    missing_executable_is_a_clear_error,
    hooks_run_in_order_with_state,
    masked_and_readonly_paths,
    seccomp_errno_ret,
    seccomp_profile_without_close_range,
    rootfs_propagation_unbindable,
    capability_drops,
    user_mappings,
    rlimits,
    unknown_capability_fails_create,
    errors_are_one_line_and_logged,
);

fn lifecycle(mode: Mode) {
    let env = Env::new();
    let rt = Runtime::new(&env, mode);
    let mut b = Bundle::busybox(&rt);
    b.args(&["sleep", "1000"]);
    let id = unique_id("life");
    rt.create(&b, &id);

    let st = rt.state(&id);
    assert_eq!(st["id"], id.as_str());
    assert_eq!(st["status"], "created", "{st}");
    assert!(st["ociVersion"].is_string(), "{st}");
    assert_eq!(st["bundle"], b.dir.to_str().unwrap(), "{st}");
    let pid = st["pid"].as_i64().expect("pid while created");
    assert!(
        pid > 0 && Path::new(&format!("/proc/{pid}")).exists(),
        "{st}"
    );

    rt.ok(&["start", &id]);
    assert_eq!(rt.status(&id), "running");
    assert_eq!(rt.state(&id)["pid"].as_i64(), Some(pid));

    let quiet = rt.ok(&["list", "-q"]);
    assert!(quiet.lines().any(|l| l == id), "{quiet}");
    let list: serde_json::Value =
        serde_json::from_str(&rt.ok(&["list", "--format", "json"])).unwrap();
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .any(|s| s["id"] == id.as_str() && s["status"] == "running"),
        "{list}"
    );
    let table = rt.ok(&["list"]);
    assert!(table.starts_with("ID") && table.contains(&id), "{table}");
    let pids: Vec<i64> = serde_json::from_str(&rt.ok(&["ps", "--format", "json", &id])).unwrap();
    assert!(pids.contains(&pid), "{pids:?} lacks {pid}");

    // A second create with the same id must fail and leave the first alone.
    let (code, _) = rt.err(&[
        OsStr::new("create"),
        OsStr::new("--bundle"),
        b.dir.as_os_str(),
        OsStr::new(&id),
    ]);
    assert_eq!(code, 1);
    assert_eq!(rt.status(&id), "running");

    rt.ok(&["kill", &id, "KILL"]);
    rt.wait_status(&id, "stopped");
    let st = rt.state(&id);
    assert!(
        st["pid"].is_null() || st["pid"] == 0,
        "stopped state keeps a pid: {st}"
    );
    rt.ok(&["delete", &id]);
    assert!(rt.try_state(&id).is_none(), "state after delete");
    let (code, err) = rt.err(&["delete", &id]);
    assert_eq!(code, 1, "{err}");
}

fn delete_of_created_container_needs_force(mode: Mode) {
    let env = Env::new();
    let rt = Runtime::new(&env, mode);
    let mut b = Bundle::busybox(&rt);
    b.args(&["sleep", "1000"]);
    let id = unique_id("nodel");
    rt.create(&b, &id);
    let pid = rt.state(&id)["pid"].as_i64().unwrap();
    let (code, err) = rt.err(&["delete", &id]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(err.trim().lines().count(), 1, "one line: {err:?}");
    // Untouched: still created, same init, still startable.
    let st = rt.state(&id);
    assert_eq!(
        (st["status"].as_str(), st["pid"].as_i64()),
        (Some("created"), Some(pid))
    );
    assert!(Path::new(&format!("/proc/{pid}")).exists());
    rt.ok(&["start", &id]);
    assert_eq!(rt.status(&id), "running");
    rt.ok(&["delete", "--force", &id]);
    assert!(rt.try_state(&id).is_none());
}

fn kill_signal_forms(mode: Mode) {
    let env = Env::new();
    let rt = Runtime::new(&env, mode);
    let mut b = Bundle::busybox(&rt);
    // pid 1 of a pid namespace only gets signals it handles: trap TERM.
    b.shell("trap 'exit 0' TERM; sleep 1000 & wait");
    for (n, signal) in [
        None,
        Some("SIGTERM"),
        Some("TERM"),
        Some("15"),
        Some("9"),
        Some("SIGKILL"),
    ]
    .into_iter()
    .enumerate()
    {
        let id = unique_id(&format!("sig{n}"));
        b.save();
        rt.ok(&[
            OsStr::new("run"),
            OsStr::new("--detach"),
            OsStr::new("--bundle"),
            b.dir.as_os_str(),
            OsStr::new(&id),
        ]);
        assert_eq!(rt.status(&id), "running");
        match signal {
            None => rt.ok(&["kill", &id]),
            Some(s) => rt.ok(&["kill", &id, s]),
        };
        rt.wait_status(&id, "stopped");
        rt.ok(&["delete", &id]);
    }
    let id = unique_id("badsig");
    let (code, err) = rt.err(&["kill", &id, "SIGFOO"]);
    assert_eq!(code, 1, "{err}");
}

fn run_exit_codes_and_stdio(mode: Mode) {
    let env = Env::new();
    let rt = Runtime::new(&env, mode);
    let mut b = Bundle::busybox(&rt);
    b.shell("echo out; echo err >&2; exit 3");
    let id = unique_id("run");
    let (code, stdout, stderr) = rt.run_bundle(&b, &id);
    assert_eq!(code, 3, "stdout {stdout:?} stderr {stderr:?}");
    assert_eq!(stdout, "out\n");
    assert!(stderr.contains("err"), "{stderr:?}");
    assert!(rt.try_state(&id).is_none(), "run deletes the container");

    b.args(&["true"]);
    let (code, _, stderr) = rt.run_bundle(&b, &unique_id("true"));
    assert_eq!(code, 0, "{stderr}");
    // The process environment and cwd come from the spec.
    b.spec["process"]["cwd"] = json!("/tmp");
    b.spec["process"]["env"] = json!(["PATH=/bin", "GREETING=hello there"]);
    b.shell("echo \"$GREETING\" from $(pwd) as $(id -u)");
    let (code, stdout, stderr) = rt.run_bundle(&b, &unique_id("env"));
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "hello there from /tmp as 0\n");
}

fn missing_executable_is_a_clear_error(mode: Mode) {
    let env = Env::new();
    let rt = Runtime::new(&env, mode);
    let mut b = Bundle::busybox(&rt);
    b.args(&["no-such-program"]);
    let id = unique_id("enoent");
    let (code, stdout, stderr) = rt.run_bundle(&b, &id);
    assert_ne!(code, 0, "{stdout}");
    // Podman maps these phrases to exit 127: keep them in the message.
    let lower = stderr.to_lowercase();
    assert!(
        lower.contains("no-such-program")
            && (lower.contains("not found") || lower.contains("no such file or directory")),
        "{stderr:?}"
    );
    rt.cleanup(&id);
}

fn hooks_run_in_order_with_state(mode: Mode) {
    let env = Env::new();
    let rt = Runtime::new(&env, mode);
    let mut b = Bundle::busybox(&rt);
    let out = b.host_dir("hooks");
    let script = out.join("hook.sh");
    // $1: hook name, $2: output dir as the hook sees it.
    b.write_exec(
        &script,
        "#!/bin/sh\ncat > \"$2/stdin-$1.json\"\necho \"$1\" >> \"$2/order\"\n",
    );
    let host = |name: &str| json!({"path": script, "args": ["hook.sh", name, out], "timeout": 30});
    b.spec["hooks"] = json!({
        "prestart": [host("prestart")],
        "createRuntime": [host("createRuntime")],
        "createContainer": [host("createContainer")],
        // Resolved and run inside the container: the same dir bind-mounted.
        "startContainer": [{"path": "/hooks/hook.sh", "args": ["hook.sh", "startContainer", "/hooks"]}],
        "poststart": [host("poststart")],
        "poststop": [host("poststop")],
    });
    b.spec["mounts"].as_array_mut().unwrap().push(
        json!({"destination": "/hooks", "type": "bind", "source": out, "options": ["rbind", "rw"]}),
    );
    b.args(&["sleep", "1000"]);
    let id = unique_id("hooks");
    let order = || std::fs::read_to_string(out.join("order")).unwrap_or_default();

    rt.create(&b, &id);
    let after_create = order();
    assert_eq!(
        after_create.lines().collect::<Vec<_>>(),
        ["prestart", "createRuntime", "createContainer"],
        "after create"
    );
    rt.ok(&["start", &id]);
    assert_eq!(
        order().lines().collect::<Vec<_>>(),
        [
            "prestart",
            "createRuntime",
            "createContainer",
            "startContainer",
            "poststart"
        ],
        "after start"
    );
    rt.ok(&["kill", &id, "KILL"]);
    rt.wait_status(&id, "stopped");
    rt.ok(&["delete", &id]);
    assert_eq!(
        order().lines().collect::<Vec<_>>(),
        [
            "prestart",
            "createRuntime",
            "createContainer",
            "startContainer",
            "poststart",
            "poststop"
        ],
        "after delete"
    );
    for name in [
        "prestart",
        "createRuntime",
        "createContainer",
        "startContainer",
        "poststart",
        "poststop",
    ] {
        let text = std::fs::read_to_string(out.join(format!("stdin-{name}.json"))).unwrap();
        let st: serde_json::Value = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{name} hook stdin is not JSON ({e}): {text:?}"));
        assert_eq!(st["id"], id.as_str(), "{name}: {st}");
        assert_eq!(st["bundle"], b.dir.to_str().unwrap(), "{name}: {st}");
        assert!(st["ociVersion"].is_string(), "{name}: {st}");
        if name != "poststop" {
            assert!(st["pid"].as_i64().unwrap_or(0) > 0, "{name}: {st}");
        }
    }
}

fn masked_and_readonly_paths(mode: Mode) {
    let env = Env::new();
    let rt = Runtime::new(&env, mode);
    let mut b = Bundle::busybox(&rt);
    // Masked paths that this kernel has and that are not empty on the host
    // (/proc/kcore only exists with CONFIG_PROC_KCORE): inside they must be.
    let masked: Vec<String> = b.spec["linux"]["maskedPaths"]
        .as_array()
        .expect("maskedPaths")
        .iter()
        .filter_map(|p| p.as_str().map(String::from))
        .filter(|p| {
            let path = Path::new(p);
            if path.is_dir() {
                std::fs::read_dir(path).is_ok_and(|mut d| d.next().is_some())
            } else {
                std::fs::read(path).is_ok_and(|c| !c.is_empty())
            }
        })
        .collect();
    assert!(
        !masked.is_empty(),
        "no masked path of the default spec exists here"
    );
    let mut script = String::new();
    for p in &masked {
        script.push_str(&format!(
            "if [ -d {p} ]; then echo {p} $(ls -A {p} | wc -l); else echo {p} $(wc -c < {p}); fi; "
        ));
    }
    script.push_str(
        "awk '$2 == \"/proc/sys\" {split($4, o, \",\"); print o[1]}' /proc/mounts; \
         echo x > /proc/sys/kernel/domainname 2>/dev/null && echo writable || echo denied",
    );
    b.shell(&script);
    let (code, stdout, stderr) = rt.run_bundle(&b, &unique_id("mask"));
    assert_eq!(code, 0, "{stderr}");
    let mut expected: Vec<String> = masked.iter().map(|p| format!("{p} 0")).collect();
    expected.extend(["ro".to_string(), "denied".to_string()]);
    let lines: Vec<String> = stdout
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    assert_eq!(lines, expected, "{stdout:?} {stderr:?}");
}

fn seccomp_errno_ret(mode: Mode) {
    let env = Env::new();
    let rt = Runtime::new(&env, mode);
    let mut b = Bundle::busybox(&rt);
    b.spec["linux"]["seccomp"] = json!({
        "defaultAction": "SCMP_ACT_ALLOW",
        "syscalls": [
            {"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38},
            {"names": ["not_a_real_syscall"], "action": "SCMP_ACT_ERRNO"}
        ]
    });
    b.shell("mkdir /tmp/blocked; echo after; ls -d /tmp/blocked 2>&1 || echo absent");
    let (code, stdout, stderr) = rt.run_bundle(&b, &unique_id("seccomp"));
    assert_eq!(code, 0, "{stdout:?} {stderr:?}");
    // errno 38 is ENOSYS; busybox prints its strerror.
    assert!(stderr.contains("Function not implemented"), "{stderr:?}");
    assert_eq!(stdout.lines().next(), Some("after"), "{stdout:?}");
    assert!(stdout.contains("absent"), "{stdout:?}");
}

// Profiles written before close_range existed deny it (errno default
// action); the runtime must not need it once the filter is loaded. Without
// noNewPrivileges the filter goes in before the capability drop, i.e. before
// the runtime's own last steps.
fn seccomp_profile_without_close_range(mode: Mode) {
    let env = Env::new();
    let rt = Runtime::new(&env, mode);
    let mut b = Bundle::busybox(&rt);
    b.spec["process"]["noNewPrivileges"] = json!(false);
    b.spec["linux"]["seccomp"] = json!({
        "defaultAction": "SCMP_ACT_ALLOW",
        "syscalls": [{"names": ["close_range"], "action": "SCMP_ACT_ERRNO"}]
    });
    b.shell("echo ran");
    let (code, stdout, stderr) = rt.run_bundle(&b, &unique_id("seccomp-cr"));
    assert_eq!(code, 0, "{stdout:?} {stderr:?}");
    assert_eq!(stdout.trim(), "ran", "{stderr:?}");
}

// An unbindable `/` cannot be applied before the rootfs is bind-mounted onto
// itself (EINVAL): it must still end up on the container's root.
fn rootfs_propagation_unbindable(mode: Mode) {
    let env = Env::new();
    let rt = Runtime::new(&env, mode);
    for prop in ["unbindable", "runbindable"] {
        let mut b = Bundle::busybox(&rt);
        b.spec["linux"]["rootfsPropagation"] = json!(prop);
        // Optional fields of the root mount: between the options and "-".
        b.shell("awk '$5 == \"/\" { for (i = 7; $i != \"-\"; i++) printf \"%s \", $i; print \"end\" }' /proc/self/mountinfo");
        let (code, stdout, stderr) = rt.run_bundle(&b, &unique_id("prop"));
        assert_eq!(code, 0, "{prop}: {stdout:?} {stderr:?}");
        assert_eq!(stdout.trim(), "unbindable end", "{prop}: {stderr:?}");
    }
}

fn capability_drops(mode: Mode) {
    let env = Env::new();
    let rt = Runtime::new(&env, mode);
    let mut b = Bundle::busybox(&rt);
    let kill_only = json!(["CAP_KILL"]);
    b.spec["process"]["capabilities"] = json!({
        "bounding": kill_only, "effective": kill_only, "permitted": kill_only,
    });
    b.shell("grep -E '^Cap(Eff|Prm|Bnd|Amb)' /proc/self/status");
    let (code, stdout, stderr) = rt.run_bundle(&b, &unique_id("caps"));
    assert_eq!(code, 0, "{stderr}");
    let field = |name: &str| {
        stdout
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{name}:")))
            .map(str::trim)
            .unwrap_or_else(|| panic!("{name} missing: {stdout}"))
            .to_string()
    };
    // CAP_KILL is bit 5.
    assert_eq!(field("CapEff"), "0000000000000020", "{stdout}");
    assert_eq!(field("CapPrm"), "0000000000000020", "{stdout}");
    assert_eq!(field("CapBnd"), "0000000000000020", "{stdout}");
    assert_eq!(field("CapAmb"), "0000000000000000", "{stdout}");

    b.spec["process"]["capabilities"] = json!({});
    b.shell("grep '^CapEff' /proc/self/status; chown 1 /tmp 2>/dev/null && echo chowned || echo refused");
    let (code, stdout, stderr) = rt.run_bundle(&b, &unique_id("nocaps"));
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("0000000000000000") && stdout.contains("refused"),
        "{stdout}"
    );
}

fn user_mappings(mode: Mode) {
    let env = Env::new();
    let rt = Runtime::new(&env, mode);
    let mut b = Bundle::busybox(&rt);
    let norm = |s: &str| {
        s.lines()
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect::<Vec<_>>()
    };
    b.shell("cat /proc/self/uid_map; echo --; cat /proc/self/gid_map; echo --; id -u");
    let expected: Vec<String> = match mode {
        Mode::Rootless => {
            // `spec --rootless` maps root to the caller.
            let uid = rt.uid();
            let gid = rt.gid();
            vec![
                format!("0 {uid} 1"),
                "--".into(),
                format!("0 {gid} 1"),
                "--".into(),
                "0".into(),
            ]
        }
        Mode::Root => {
            // A range, as root: written directly by the runtime. The cgroup
            // v1 mount is not allowed in a user namespace: drop it.
            b.spec["linux"]["namespaces"]
                .as_array_mut()
                .unwrap()
                .push(json!({"type": "user"}));
            b.spec["linux"]["uidMappings"] =
                json!([{"containerID": 0, "hostID": 200000, "size": 65536}]);
            b.spec["linux"]["gidMappings"] =
                json!([{"containerID": 0, "hostID": 200000, "size": 65536}]);
            b.spec["mounts"]
                .as_array_mut()
                .unwrap()
                .retain(|m| m["type"] != "cgroup");
            vec![
                "0 200000 65536".into(),
                "--".into(),
                "0 200000 65536".into(),
                "--".into(),
                "0".into(),
            ]
        }
    };
    let (code, stdout, stderr) = rt.run_bundle(&b, &unique_id("userns"));
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(norm(&stdout), expected, "{stdout}");

    if mode == Mode::Rootless {
        // Ranges from /etc/subuid go through newuidmap/newgidmap.
        let Some((sub_uid, sub_gid)) = subid_range(&rt.env.user().name, rt.uid()) else {
            eprintln!("no subordinate ids for the test user: range mapping not tested");
            return;
        };
        let (uid, gid) = (rt.uid(), rt.gid());
        b.spec["linux"]["uidMappings"] = json!([
            {"containerID": 0, "hostID": uid, "size": 1},
            {"containerID": 1, "hostID": sub_uid.0, "size": sub_uid.1}]);
        b.spec["linux"]["gidMappings"] = json!([
            {"containerID": 0, "hostID": gid, "size": 1},
            {"containerID": 1, "hostID": sub_gid.0, "size": sub_gid.1}]);
        b.shell("cat /proc/self/uid_map");
        let (code, stdout, stderr) = rt.run_bundle(&b, &unique_id("subid"));
        assert_eq!(code, 0, "{stderr}");
        assert_eq!(
            norm(&stdout),
            [
                format!("0 {uid} 1"),
                format!("1 {} {}", sub_uid.0, sub_uid.1)
            ],
            "{stdout}"
        );
    }
}

/// The user's first /etc/subuid and /etc/subgid ranges: ((start, count), (start, count)).
#[allow(clippy::type_complexity)]
fn subid_range(user: &str, uid: u32) -> Option<((u64, u64), (u64, u64))> {
    let find = |file: &str| {
        std::fs::read_to_string(file).ok()?.lines().find_map(|l| {
            let f: Vec<&str> = l.split(':').collect();
            (f.len() == 3 && (f[0] == user || f[0] == uid.to_string()))
                .then(|| Some((f[1].parse().ok()?, f[2].parse().ok()?)))
                .flatten()
        })
    };
    Some((find("/etc/subuid")?, find("/etc/subgid")?))
}

fn rlimits(mode: Mode) {
    let env = Env::new();
    let rt = Runtime::new(&env, mode);
    let mut b = Bundle::busybox(&rt);
    b.spec["process"]["rlimits"] = json!([
        {"type": "RLIMIT_NOFILE", "hard": 512, "soft": 256},
        {"type": "RLIMIT_NPROC", "hard": 4000, "soft": 3000}
    ]);
    b.shell("ulimit -n; ulimit -Hn; ulimit -u");
    let (code, stdout, stderr) = rt.run_bundle(&b, &unique_id("rlim"));
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stdout.lines().collect::<Vec<_>>(),
        ["256", "512", "3000"],
        "{stdout}"
    );
}

fn unknown_capability_fails_create(mode: Mode) {
    let env = Env::new();
    let rt = Runtime::new(&env, mode);
    let mut b = Bundle::busybox(&rt);
    b.spec["process"]["capabilities"]["bounding"]
        .as_array_mut()
        .unwrap()
        .push(json!("CAP_FLY_TO_THE_MOON"));
    b.save();
    let id = unique_id("badcap");
    let (code, err) = rt.err(&[
        OsStr::new("create"),
        OsStr::new("--bundle"),
        b.dir.as_os_str(),
        OsStr::new(&id),
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("CAP_FLY_TO_THE_MOON"), "{err:?}");
    assert!(
        rt.try_state(&id).is_none(),
        "a failed create leaves no container"
    );
}

fn errors_are_one_line_and_logged(mode: Mode) {
    let env = Env::new();
    let rt = Runtime::new(&env, mode);
    let log = rt.env.root().join(format!("log-{mode:?}.json"));
    let args = [
        OsStr::new("--log"),
        log.as_os_str(),
        OsStr::new("--log-format"),
        OsStr::new("json"),
        OsStr::new("state"),
        OsStr::new("no-such-container"),
    ];
    let (code, err) = rt.err(&args);
    assert_eq!(code, 1);
    let line = err.trim_end();
    assert_eq!(line.lines().count(), 1, "{err:?}");
    assert!(line.contains("no-such-container"), "{line}");
    let logged = std::fs::read_to_string(&log).expect("log written");
    let last: serde_json::Value = serde_json::from_str(logged.lines().last().unwrap()).unwrap();
    assert_eq!(last["level"], "error");
    assert_eq!(last["msg"], line);
    assert!(last["time"].is_string());
}

#[test]
fn features_and_spec() {
    let env = Env::new();
    let rt = Runtime::new(&env, Mode::Rootless);
    let f: serde_json::Value = serde_json::from_str(&rt.ok(&["features"])).expect("features JSON");
    assert!(
        f["ociVersionMin"].is_string() && f["ociVersionMax"].is_string(),
        "{f}"
    );
    let ns = f["linux"]["namespaces"]
        .as_array()
        .expect("linux.namespaces");
    for want in ["user", "pid", "mount", "network", "cgroup"] {
        assert!(ns.iter().any(|n| n == want), "{want} missing: {f}");
    }
    assert!(
        f["hooks"]
            .as_array()
            .is_some_and(|h| h.iter().any(|x| x == "createContainer")),
        "{f}"
    );

    let b = Bundle::busybox(&rt);
    let spec = &b.spec;
    assert_eq!(spec["root"]["path"], "rootfs");
    assert!(
        spec["linux"]["uidMappings"]
            .as_array()
            .is_some_and(|m| !m.is_empty()),
        "{spec}"
    );
    let (code, err) = rt.err(&[
        OsStr::new("spec"),
        OsStr::new("--bundle"),
        b.dir.as_os_str(),
    ]);
    assert_eq!(code, 1);
    assert!(err.contains("exists"), "{err}");
    let version = rt.ok(&["--version"]);
    assert!(version.contains("spec: 1."), "{version}");
}
