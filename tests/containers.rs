//! The container commands end to end: run/create/start/stop/kill/rm/ps/
//! logs/exec/wait/inspect, exit codes, restart policies, a killed monitor,
//! a killed `run`, and concurrency. Each test runs rootless as the test user
//! and, when the suite runs as root, again as root with a private store.

mod common;

use std::io::Read;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::bundle::Mode;
use common::engine::{Engine, IMAGE, monitor_of, mounted_anywhere, pids_matching};
use common::exit_code;

common::bundle::both_modes!(
    run_rm_prints_and_leaves_nothing,
    exit_codes_follow_docker,
    detached_ps_logs_exec_stop_rm,
    create_start_wait_and_attach,
    stop_signal_and_timeout,
    names_ids_and_rename,
    stdin_and_tty,
    restart_policies,
    killed_monitor_is_noticed_and_cleaned,
    killed_run_leaves_a_repairable_store,
    twenty_parallel_runs,
    volumes_and_flags,
    filesystem_commands,
    docker_alias,
    top_stats_and_system,
    ps_listing_and_prune,
    attach_follow_and_signal_proxy,
    rm_force_races,
    container_command_group,
);

fn ids(e: &Engine, args: &[&str]) -> Vec<String> {
    e.ok(args).split_whitespace().map(str::to_string).collect()
}

fn run_rm_prints_and_leaves_nothing(mode: Mode) {
    let e = Engine::new(mode);
    assert_eq!(e.ok(&["run", "--rm", IMAGE, "echo", "hello"]), "hello\n");
    assert!(ids(&e, &["ps", "-aq"]).is_empty());
    let data = e.data_dir();
    assert!(
        !mounted_anywhere(data.to_str().unwrap()),
        "a mount under {} was left",
        data.display()
    );
    // The monitor sends the exit code as its last act, then exits.
    assert!(
        e.wait_for(Duration::from_secs(5), || pids_matching(&format!(
            "--root {}",
            data.display()
        ))
        .is_empty()),
        "the monitor outlived run --rm"
    );
}

fn exit_codes_follow_docker(mode: Mode) {
    let e = Engine::new(mode);
    let (code, _) = e.err(&["run", "--rm", IMAGE, "sh", "-c", "exit 3"]);
    assert_eq!(code, 3);
    let (code, err) = e.err(&["run", "--rm", IMAGE, "no-such-program"]);
    assert_eq!(code, 127, "{err}");
    assert!(
        err.contains("no-such-program") && err.lines().count() == 1,
        "{err}"
    );
    let (code, err) = e.err(&["run", "--rm", IMAGE, "/etc/passwd"]);
    assert_eq!(code, 126, "{err}");
    let (code, err) = e.err(&["run", "--rm", "--pull", "never", "no/such:image", "true"]);
    assert_eq!(code, 125, "{err}");
    assert!(
        err.starts_with("Error: ") && err.contains("no/such"),
        "{err}"
    );
    let (code, _) = e.err(&["run", "--no-such-flag", IMAGE]);
    assert_eq!(code, 125);
    // --rm with a failed start removes the container too.
    assert!(ids(&e, &["ps", "-aq"]).is_empty());
    // Killed by a signal: 128 + N (not pid 1 behind --init, which a
    // signal from inside the container could not kill).
    let (code, _) = e.err(&["run", "--rm", "--init", IMAGE, "sh", "-c", "kill -9 $$"]);
    assert_eq!(code, 137);
}

fn detached_ps_logs_exec_stop_rm(mode: Mode) {
    let e = Engine::new(mode);
    let id = e
        .ok(&[
            "run",
            "-d",
            "--name",
            "web",
            "-l",
            "tier=front",
            IMAGE,
            "sh",
            "-c",
            "echo started; echo oops >&2; exec sleep 1000",
        ])
        .trim()
        .to_string();
    assert!(
        id.len() == 64 && id.bytes().all(|b| b.is_ascii_hexdigit()),
        "{id}"
    );
    let ps = e.ok(&["ps"]);
    let header = ps.lines().next().unwrap();
    for col in [
        "CONTAINER ID",
        "IMAGE",
        "COMMAND",
        "CREATED",
        "STATUS",
        "PORTS",
        "NAMES",
    ] {
        assert!(header.contains(col), "{header}");
    }
    assert!(
        ps.contains(&id[..12]) && ps.contains("Up ") && ps.contains("web"),
        "{ps}"
    );
    assert_eq!(ids(&e, &["ps", "-q"]), vec![id[..12].to_string()]);
    assert_eq!(ids(&e, &["ps", "-q", "--no-trunc"]), vec![id.clone()]);
    assert_eq!(
        e.ok(&["ps", "--format", "{{.Names}} {{.State}}"]).trim(),
        "web running"
    );
    assert_eq!(
        ids(&e, &["ps", "-q", "--filter", "label=tier=front"]).len(),
        1
    );
    assert!(ids(&e, &["ps", "-q", "--filter", "label=tier=back"]).is_empty());
    assert_eq!(ids(&e, &["ps", "-q", "--filter", "name=we"]).len(), 1);
    assert_eq!(
        ids(&e, &["ps", "-q", "--filter", &format!("ancestor={IMAGE}")]).len(),
        1
    );
    let json: serde_json::Value = serde_json::from_str(&e.ok(&["ps", "--format", "json"])).unwrap();
    assert_eq!(json[0]["Names"], "web");

    assert!(e.wait_for(Duration::from_secs(10), || {
        e.ok(&["logs", "web"]).contains("started")
    }));
    let out = e.run(&["logs", "web"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("oops"));
    assert!(!String::from_utf8_lossy(&out.stdout).contains("oops"));
    let ts = e.ok(&["logs", "-t", "web"]);
    assert!(ts.starts_with("20") && ts.contains("Z started"), "{ts}");

    let out = e.run(&[
        "exec",
        "-e",
        "K=V",
        "-w",
        "/tmp",
        "web",
        "sh",
        "-c",
        "echo $K $(pwd); exit 4",
    ]);
    assert_eq!(exit_code(out.status), 4);
    assert_eq!(String::from_utf8_lossy(&out.stdout), "V /tmp\n");
    let (code, _) = e.err(&["exec", "web", "no-such-program"]);
    assert_eq!(code, 127);
    assert_eq!(
        e.ok(&["exec", "-u", "65534", "web", "id", "-u"]).trim(),
        "65534"
    );

    let (code, err) = e.err(&["rm", "web"]);
    assert_eq!(code, 125);
    assert!(err.contains("--force"), "{err}");
    let t = Instant::now();
    e.ok(&["stop", "-t", "1", "web"]);
    assert!(
        t.elapsed() < Duration::from_secs(8),
        "stop took {:?}",
        t.elapsed()
    );
    assert_eq!(
        e.inspect("web", "{{.State.Status}} {{.State.ExitCode}}"),
        "exited 137"
    );
    let ps = e.ok(&["ps", "-a"]);
    assert!(ps.contains("Exited (137)"), "{ps}");
    assert!(ids(&e, &["ps", "-q"]).is_empty());
    assert_eq!(ids(&e, &["ps", "-aq", "--filter", "exited=137"]).len(), 1);
    let (code, _) = e.err(&["exec", "web", "true"]);
    assert_eq!(code, 125);
    e.ok(&["rm", "web"]);
    assert!(ids(&e, &["ps", "-aq"]).is_empty());
    // Docker: rm -f of an unknown name is not an error.
    e.ok(&["rm", "-f", "never-existed"]);
}

fn create_start_wait_and_attach(mode: Mode) {
    let e = Engine::new(mode);
    let id = e.ok(&[
        "create",
        "--name",
        "job",
        IMAGE,
        "sh",
        "-c",
        "echo from-job; exit 5",
    ]);
    assert_eq!(e.inspect(id.trim(), "{{.State.Status}}"), "created");
    let out = e.run(&["start", "-a", "job"]);
    assert_eq!(exit_code(out.status), 5);
    assert_eq!(String::from_utf8_lossy(&out.stdout), "from-job\n");
    e.ok(&["start", "job"]);
    assert_eq!(e.ok(&["wait", "job"]).trim(), "5");
    let doc: serde_json::Value =
        serde_json::from_str(&e.ok(&["container", "inspect", "job"])).unwrap();
    let c = &doc[0];
    assert_eq!(c["Name"], "/job");
    assert_eq!(c["State"]["ExitCode"], 5);
    assert_eq!(c["Config"]["Cmd"][0], "sh");
    assert_eq!(c["HostConfig"]["RestartPolicy"]["Name"], "no");
    assert!(
        c["GraphDriver"]["Name"]
            .as_str()
            .is_some_and(|d| !d.is_empty())
    );
    assert_eq!(c["Id"].as_str().unwrap(), id.trim());
    let logs = e.ok(&["logs", "job"]);
    assert_eq!(logs, "from-job\nfrom-job\n");
    assert_eq!(e.ok(&["logs", "--tail", "1", "job"]), "from-job\n");
}

fn stop_signal_and_timeout(mode: Mode) {
    let e = Engine::new(mode);
    e.ok(&[
        "run",
        "-d",
        "--name",
        "graceful",
        IMAGE,
        "sh",
        "-c",
        "trap 'exit 0' TERM; while :; do sleep 0.1; done",
    ]);
    e.ok(&["stop", "graceful"]);
    assert_eq!(e.inspect("graceful", "{{.State.ExitCode}}"), "0");
    e.ok(&[
        "run",
        "-d",
        "--name",
        "usr1",
        IMAGE,
        "sh",
        "-c",
        "trap 'exit 42' USR1; while :; do sleep 0.1; done",
    ]);
    e.ok(&["kill", "-s", "USR1", "usr1"]);
    assert_eq!(e.ok(&["wait", "usr1"]).trim(), "42");
    e.ok(&["restart", "usr1"]);
    assert_eq!(e.inspect("usr1", "{{.State.Status}}"), "running");
    e.ok(&["kill", "usr1"]);
    assert_eq!(e.ok(&["wait", "usr1"]).trim(), "137");
    let (code, _) = e.err(&["kill", "usr1"]);
    assert_eq!(code, 125);
}

fn names_ids_and_rename(mode: Mode) {
    let e = Engine::new(mode);
    let id = e
        .ok(&["create", "--name", "first", IMAGE, "true"])
        .trim()
        .to_string();
    let (code, err) = e.err(&["create", "--name", "first", IMAGE, "true"]);
    assert_eq!(code, 125);
    assert!(err.contains("already in use"), "{err}");
    let (code, _) = e.err(&["create", "--name", "bad/name", IMAGE, "true"]);
    assert_eq!(code, 125);
    e.ok(&["rename", "first", "second"]);
    assert_eq!(e.inspect(&id[..8], "{{.Name}}"), "/second");
    let generated = e.ok(&["create", IMAGE, "true"]).trim().to_string();
    let name = e.inspect(&generated, "{{.Name}}");
    assert!(name.len() > 3 && name.contains('_'), "{name}");
    let (code, err) = e.err(&["inspect", "--type", "container", "nope"]);
    assert_eq!(code, 125);
    assert!(err.contains("no such container"), "{err}");
}

fn stdin_and_tty(mode: Mode) {
    let e = Engine::new(mode);
    let out = e.run_stdin(
        &["run", "--rm", "-i", IMAGE, "cat"],
        b"line one\nline two\n",
    );
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout), "line one\nline two\n");
    // A terminal, through script(1): the container sees a pty and its code comes back.
    let cmd = format!(
        "{} run --rm -t {IMAGE} sh -c 'tty; exit 7'",
        common::skiff_bin().display()
    );
    let mut c = match mode {
        Mode::Rootless => e
            .env
            .command_as_user("script", &["-qec", &cmd, "/dev/null"]),
        Mode::Root => e
            .env
            .command_as_root("script", &["-qec", &cmd, "/dev/null"]),
    };
    c.stdin(std::process::Stdio::null());
    let out = e.env.output_of(c, None, "script run -t");
    assert_eq!(exit_code(out.status), 7, "{}", common::format_output(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("/dev/pts/0"));
}

fn restart_policies(mode: Mode) {
    let e = Engine::new(mode);
    e.ok(&[
        "run",
        "-d",
        "--name",
        "flaky",
        "--restart",
        "on-failure:2",
        IMAGE,
        "sh",
        "-c",
        "exit 1",
    ]);
    assert_eq!(e.ok(&["wait", "flaky"]).trim(), "1");
    assert!(e.wait_for(Duration::from_secs(20), || {
        e.inspect("flaky", "{{.State.Status}} {{.RestartCount}}") == "exited 2"
    }));
    e.ok(&[
        "run",
        "-d",
        "--name",
        "forever",
        "--restart",
        "always",
        IMAGE,
        "sh",
        "-c",
        "sleep 0.2; exit 0",
    ]);
    assert!(e.wait_for(Duration::from_secs(20), || {
        e.inspect("forever", "{{.RestartCount}}")
            .parse::<u32>()
            .unwrap_or(0)
            >= 2
    }));
    e.ok(&["stop", "-t", "1", "forever"]);
    let n = e.inspect("forever", "{{.RestartCount}}");
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(
        e.inspect("forever", "{{.State.Status}} {{.RestartCount}}"),
        format!("exited {n}")
    );
    let (code, _) = e.err(&["run", "--rm", "--restart", "always", IMAGE, "true"]);
    assert_eq!(code, 125);
}

fn killed_monitor_is_noticed_and_cleaned(mode: Mode) {
    let e = Engine::new(mode);
    let id = e
        .ok(&["run", "-d", "--name", "orphan", IMAGE, "sleep", "1000"])
        .trim()
        .to_string();
    let init: i32 = e.inspect("orphan", "{{.State.Pid}}").parse().unwrap();
    let monitors = [monitor_of(&id)];
    let _ = std::process::Command::new("kill")
        .args(["-9", &monitors[0].to_string()])
        .status();
    assert!(e.wait_for(Duration::from_secs(5), || {
        std::fs::metadata(format!("/proc/{}", monitors[0])).is_err()
    }));
    let ps = e.ok(&["ps", "-a", "--format", "{{.Names}} {{.State}}"]);
    assert_eq!(ps.trim(), "orphan exited");
    assert!(e.inspect("orphan", "{{.State.Error}}").contains("monitor"));
    e.ok(&["rm", "orphan"]);
    assert!(
        e.wait_for(Duration::from_secs(5), || std::fs::metadata(format!(
            "/proc/{init}"
        ))
        .is_err()),
        "the container's process {init} survived rm"
    );
    assert!(!mounted_anywhere(&id));
    assert!(ids(&e, &["ps", "-aq"]).is_empty());
}

fn killed_run_leaves_a_repairable_store(mode: Mode) {
    let e = Engine::new(mode);
    // A duration no other test's container sleeps, to find this one's.
    let nap = (900_000 + std::process::id() % 1000 * 2 + mode as u32).to_string();
    // SIGKILL `run` (detached, attached, --rm) at points spread over its
    // whole course (a rootless run takes ~120 ms here): before the record,
    // between create and start, after the monitor started.
    for i in 0..12u64 {
        let args: &[&str] = match i % 3 {
            0 => &["run", "-d", IMAGE, "sleep", &nap],
            1 => &["run", IMAGE, "sleep", &nap],
            _ => &["run", "--rm", IMAGE, "sleep", &nap],
        };
        let mut child = e
            .command(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(i * 14));
        let _ = child.kill();
        let _ = child.wait();
    }
    // A rootless run's re-exec'd child may outlive its parent briefly; let
    // whatever it was doing settle before judging the store.
    assert!(
        e.wait_for(Duration::from_secs(10), || cli_pids(&e, "run").is_empty()),
        "killed runs left CLI processes: {:?}",
        cli_pids(&e, "run")
    );
    // Whatever state each run reached, ps works and rm -f cleans it all.
    let all = ids(&e, &["ps", "-aq"]);
    if !all.is_empty() {
        let mut args = vec!["rm", "-f"];
        args.extend(all.iter().map(String::as_str));
        e.ok(&args);
    }
    assert!(ids(&e, &["ps", "-aq"]).is_empty());
    let data = e.data_dir();
    assert!(
        e.wait_for(Duration::from_secs(5), || pids_matching(&format!(
            "--root {}",
            data.display()
        ))
        .is_empty()),
        "monitors were left running"
    );
    assert!(
        e.wait_for(Duration::from_secs(5), || pids_matching(&format!(
            "sleep {nap}"
        ))
        .is_empty()),
        "container processes survived rm -f: {:?}",
        pids_matching(&format!("sleep {nap}"))
    );
    assert!(!mounted_anywhere(data.to_str().unwrap()));
    // A run killed between making the container's dir and writing its
    // record leaves a record-less dir: no container for ps or rm (by
    // design, store.rs), swept by `system check --repair`. Anything else
    // left is a leak.
    let left = leftover_container_dirs(&e);
    for d in &left {
        let dir = data.join("containers").join(d);
        let entries: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .flatten()
            .map(|x| x.file_name())
            .collect();
        assert!(
            !dir.join("container.json").exists(),
            "{d} has a record but ps -a did not list it: {entries:?}"
        );
    }
    if !left.is_empty() {
        e.ok(&["system", "check", "--repair"]);
    }
    assert_eq!(leftover_container_dirs(&e), Vec::<String>::new());
}

fn twenty_parallel_runs(mode: Mode) {
    let e = Engine::new(mode);
    let children: Vec<_> = (0..20)
        .map(|_| {
            e.command(&["run", "-d", IMAGE, "sleep", "1000"])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for c in children {
        let out = c.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", common::format_output(&out));
    }
    let running = ids(&e, &["ps", "-q"]);
    assert_eq!(running.len(), 20);
    let mut args = vec!["rm".to_string(), "-f".to_string()];
    args.extend(running);
    e.ok(&args);
    assert!(ids(&e, &["ps", "-aq"]).is_empty());
    let data = e.data_dir();
    assert!(pids_matching(&format!("--root {}", data.display())).is_empty());
    assert!(!mounted_anywhere(data.to_str().unwrap()));
    assert_eq!(leftover_container_dirs(&e), Vec::<String>::new());
}

fn volumes_and_flags(mode: Mode) {
    let e = Engine::new(mode);
    e.ok(&[
        "run",
        "--rm",
        "-v",
        "vol1:/data",
        IMAGE,
        "sh",
        "-c",
        "echo kept > /data/f",
    ]);
    assert_eq!(
        e.ok(&[
            "run",
            "--rm",
            "-v",
            "vol1:/data:ro",
            IMAGE,
            "cat",
            "/data/f"
        ]),
        "kept\n"
    );
    let (code, _) = e.err(&[
        "run",
        "--rm",
        "-v",
        "vol1:/data:ro",
        IMAGE,
        "touch",
        "/data/g",
    ]);
    assert_eq!(code, 1);
    e.ok(&[
        "run",
        "-d",
        "--name",
        "user",
        "-v",
        "vol1:/data",
        IMAGE,
        "sleep",
        "1000",
    ]);
    let (code, err) = e.err(&["volume", "rm", "vol1"]);
    assert_eq!(code, 125);
    assert!(err.contains("being used"), "{err}");
    e.ok(&["rm", "-f", "user"]);
    e.ok(&["volume", "rm", "vol1"]);
    let out = e.ok(&[
        "run",
        "--rm",
        "-h",
        "box",
        "-e",
        "A=1",
        "-u",
        "65534:65534",
        IMAGE,
        "sh",
        "-c",
        "echo $(hostname) $A $(id -u):$(id -g)",
    ]);
    assert_eq!(out, "box 1 65534:65534\n");
    let (code, err) = e.err(&["run", "--rm", "-u", "nosuchuser", IMAGE, "true"]);
    assert_eq!(code, 125);
    assert!(err.contains("nosuchuser"), "{err}");
    let (code, _) = e.err(&["run", "--rm", "--read-only", IMAGE, "touch", "/x"]);
    assert_eq!(code, 1);
    assert_eq!(
        e.ok(&[
            "run",
            "--rm",
            "--network",
            "none",
            IMAGE,
            "ls",
            "/sys/class/net"
        ])
        .trim(),
        "lo"
    );
    let caps = e.ok(&[
        "run",
        "--rm",
        "--cap-drop",
        "ALL",
        IMAGE,
        "grep",
        "CapEff",
        "/proc/self/status",
    ]);
    assert!(caps.contains("0000000000000000"), "{caps}");
    if mode == Mode::Rootless {
        let uid = e.env.user().uid.to_string();
        let out = e.ok(&["run", "--rm", "--userns", "keep-id", IMAGE, "id", "-u"]);
        assert_eq!(out.trim(), uid);
    }
    let init = e.ok(&["run", "--rm", "--init", IMAGE, "cat", "/proc/1/cmdline"]);
    assert!(init.starts_with("/run/skiff-init"), "{init:?}");
}

fn filesystem_commands(mode: Mode) {
    let e = Engine::new(mode);
    e.ok(&[
        "run",
        "--name",
        "fs",
        IMAGE,
        "sh",
        "-c",
        "echo data > /tmp/new; rm /bin/ls",
    ]);
    let diff = e.ok(&["diff", "fs"]);
    assert!(
        diff.contains("A /tmp/new") && diff.contains("D /bin/ls"),
        "{diff}"
    );
    assert!(
        !diff.contains("/etc/hosts") && !diff.contains("A /proc"),
        "{diff}"
    );
    e.ok(&[
        "commit",
        "-c",
        "CMD [\"cat\", \"/tmp/new\"]",
        "fs",
        "demo/committed:1",
    ]);
    assert_eq!(e.ok(&["run", "--rm", "demo/committed:1"]), "data\n");
    let (code, _) = e.err(&["run", "--rm", "demo/committed:1", "ls", "/"]);
    assert_eq!(code, 127);
    let out = e.run(&["export", "fs"]);
    assert!(out.status.success());
    let mut ar = tar::Archive::new(&out.stdout[..]);
    let names: Vec<String> = ar
        .entries()
        .unwrap()
        .map(|en| en.unwrap().path().unwrap().to_string_lossy().into_owned())
        .collect();
    assert!(
        names
            .iter()
            .any(|n| n.trim_start_matches("./") == "tmp/new"),
        "{names:?}"
    );
    assert!(!names.iter().any(|n| n.trim_start_matches("./") == "bin/ls"));
    // cp both ways, stopped and running.
    let host = e.env.root().join("hostfile");
    e.env.write_user_file(&host, b"from host\n");
    e.ok(&["cp", host.to_str().unwrap(), "fs:/tmp/"]);
    let out = e.run(&["cp", "fs:/tmp/hostfile", "-"]);
    assert!(out.status.success());
    let mut ar = tar::Archive::new(&out.stdout[..]);
    let mut en = ar.entries().unwrap().next().unwrap().unwrap();
    let mut s = String::new();
    std::io::Read::read_to_string(&mut en, &mut s).unwrap();
    assert_eq!(s, "from host\n");
    e.ok(&["run", "-d", "--name", "live", IMAGE, "sleep", "1000"]);
    e.ok(&["cp", host.to_str().unwrap(), "live:/tmp/"]);
    assert_eq!(
        e.ok(&["exec", "live", "cat", "/tmp/hostfile"]),
        "from host\n"
    );
    // An image containers use cannot be removed; its layers survive -f.
    let (code, err) = e.err(&["rmi", IMAGE]);
    assert_eq!(code, 125);
    assert!(err.contains("in use by container"), "{err}");
    e.ok(&["rmi", "-f", IMAGE]);
    e.ok(&["restart", "live"]);
    assert_eq!(
        e.ok(&["exec", "live", "echo", "layers-intact"]),
        "layers-intact
"
    );
}

/// Invoked as `docker` (a symlink), skiff takes Docker's commands and
/// prints Docker's shapes, with Docker's exit codes.
fn docker_alias(mode: Mode) {
    let e = Engine::new(mode);
    let docker = common::skiff_bin().parent().unwrap().join("docker");
    if std::fs::symlink_metadata(&docker).is_err() {
        let _ = std::os::unix::fs::symlink("skiff", &docker);
    }
    let run = |args: &[&str]| {
        let c = match mode {
            Mode::Rootless => e.env.command_as_user(&docker, args),
            Mode::Root => e.env.command_as_root(&docker, args),
        };
        e.env.output_of(c, None, &args.join(" "))
    };
    let out = run(&[
        "run",
        "--name",
        "d1",
        IMAGE,
        "sh",
        "-c",
        "echo via-docker; exit 3",
    ]);
    assert_eq!(exit_code(out.status), 3);
    assert_eq!(String::from_utf8_lossy(&out.stdout), "via-docker\n");
    assert_eq!(
        exit_code(run(&["run", "--rm", IMAGE, "no-such-program"]).status),
        127
    );
    assert_eq!(
        exit_code(run(&["run", "--rm", IMAGE, "/etc/passwd"]).status),
        126
    );
    assert_eq!(exit_code(run(&["run", "--bogus-flag", IMAGE]).status), 125);
    let ps = String::from_utf8_lossy(&run(&["ps", "-a"]).stdout).into_owned();
    // Docker shows the image as given and the command quoted.
    assert!(
        ps.contains(&format!(" {IMAGE} ")) && ps.contains("\"sh -c"),
        "{ps}"
    );
    let out = run(&["inspect", "--format", "{{.Name}} {{.State.ExitCode}}", "d1"]);
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "/d1 3");
    assert!(run(&["rm", "d1"]).status.success());
}

fn top_stats_and_system(mode: Mode) {
    let e = Engine::new(mode);
    e.start_busy();
    let top = e.ok(&["top", "busy"]);
    assert!(
        top.starts_with("UID") && top.contains("sleep 1000"),
        "{top}"
    );
    let stats = e.ok(&["stats", "--no-stream"]);
    let row = stats
        .lines()
        .find(|l| l.contains("busy"))
        .unwrap_or_else(|| panic!("{stats}"));
    assert_eq!(row.split_whitespace().last(), Some("2"), "{stats}");
    e.ok(&["create", "--name", "idle", IMAGE, "true"]);
    let df = e.ok(&[
        "system",
        "df",
        "--format",
        "{{.Type}} {{.TotalCount}} {{.Active}}",
    ]);
    assert!(
        df.contains("Images 1 1") && df.contains("Containers 2 1"),
        "{df}"
    );
    let info: serde_json::Value =
        serde_json::from_str(&e.ok(&["info", "--format", "json"])).unwrap();
    assert_eq!(info["store"]["containerStore"]["number"], 2);
    assert_eq!(info["store"]["containerStore"]["running"], 1);
    assert_eq!(info["host"]["rootless"], mode == Mode::Rootless);
    // check: clean, then a half-created container dir is found and repaired.
    assert!(e.ok(&["system", "check"]).contains("No problems found"));
    let stray = e.data_dir().join("containers").join("f".repeat(64));
    e.env.write_user_file(&stray.join("partial"), b"");
    let (code, out) = e.err(&["system", "check"]);
    assert_eq!(code, 125, "{out}");
    let fixed = e.ok(&["system", "check", "--repair"]);
    assert!(fixed.contains("repaired"), "{fixed}");
    assert!(!stray.exists());
    // pause needs a freezer: as root (cgroup v1 here) it works; rootless
    // without a delegated cgroup it is a clear error.
    match mode {
        Mode::Root => {
            e.ok(&["pause", "busy"]);
            assert_eq!(e.inspect("busy", "{{.State.Status}}"), "paused");
            e.ok(&["unpause", "busy"]);
            assert_eq!(e.inspect("busy", "{{.State.Status}}"), "running");
        }
        Mode::Rootless => {
            let (code, err) = e.err(&["pause", "busy"]);
            assert_eq!(code, 125);
            assert!(err.contains("freezer"), "{err}");
        }
    }
    // prune removes stopped containers only.
    e.ok(&["system", "prune", "-f"]);
    let left = e.ok(&["ps", "-a", "--format", "{{.Names}}"]);
    assert_eq!(left.trim(), "busy");
}

fn ps_listing_and_prune(mode: Mode) {
    let e = Engine::new(mode);
    e.ok(&["run", "--name", "ok0", IMAGE, "true"]);
    let (code, _) = e.err(&["run", "--name", "fail2", IMAGE, "sh", "-c", "exit 2"]);
    assert_eq!(code, 2);
    let up = e
        .ok(&["run", "-d", "--name", "up", IMAGE, "sleep", "1000"])
        .trim()
        .to_string();
    e.ok(&["create", "--name", "fresh", IMAGE, "true"]);
    let names = |args: &[&str]| -> Vec<String> {
        let mut a = args.to_vec();
        a.extend(["--format", "{{.Names}}"]);
        e.ok(&a).lines().map(str::to_string).collect()
    };
    // Newest first; -n/-l count all states.
    assert_eq!(names(&["ps"]), ["up"]);
    assert_eq!(names(&["ps", "-a"]), ["fresh", "up", "fail2", "ok0"]);
    assert_eq!(names(&["ps", "-n", "2"]), ["fresh", "up"]);
    assert_eq!(names(&["ps", "-l"]), ["fresh"]);
    // Docker: a status filter implies -a; one key given twice is an OR,
    // different keys an AND.
    assert_eq!(
        names(&["ps", "--filter", "status=exited"]),
        ["fail2", "ok0"]
    );
    assert_eq!(
        names(&["ps", "-a", "--filter", "status=created"]),
        ["fresh"]
    );
    assert_eq!(names(&["ps", "-a", "--filter", "status=running"]), ["up"]);
    assert_eq!(
        names(&[
            "ps",
            "-a",
            "--filter",
            "status=exited",
            "--filter",
            "status=created"
        ]),
        ["fresh", "fail2", "ok0"]
    );
    assert_eq!(
        names(&[
            "ps",
            "-a",
            "--filter",
            "status=exited",
            "--filter",
            "name=fail"
        ]),
        ["fail2"]
    );
    assert_eq!(names(&["ps", "-a", "--filter", "exited=0"]), ["ok0"]);
    assert_eq!(
        names(&["ps", "-a", "--filter", &format!("id={}", &up[..6])]),
        ["up"]
    );
    let ps = e.ok(&["ps", "-a"]);
    let row = |name: &str| {
        ps.lines()
            .find(|l| l.ends_with(name))
            .unwrap_or_else(|| panic!("no {name} in {ps}"))
            .to_string()
    };
    assert!(row("fail2").contains("Exited (2) "), "{ps}");
    assert!(row("ok0").contains("Exited (0) "), "{ps}");
    assert!(row("fresh").contains("Created"), "{ps}");
    assert!(
        row("up").contains(&up[..12]) && !row("up").contains(&up[..13]),
        "{ps}"
    );
    let wide = e.ok(&["ps", "--no-trunc"]);
    assert!(wide.contains(&up), "{wide}");
    assert_eq!(
        e.ok(&["container", "ls", "-a", "-q"]),
        e.ok(&["ps", "-a", "-q"])
    );

    // prune: every stopped container (created ones too), never a running one.
    let stopped: Vec<String> = ["ok0", "fail2", "fresh"]
        .iter()
        .map(|n| e.inspect(n, "{{.Id}}"))
        .collect();
    let pruned = e.ok(&["container", "prune", "-f"]);
    for id in &stopped {
        assert!(pruned.contains(id.as_str()), "{pruned}");
    }
    assert!(!pruned.contains(&up), "{pruned}");
    assert_eq!(names(&["ps", "-a"]), ["up"]);

    // An ID prefix finds its container when unique; an ambiguous one is an
    // error that touches nothing, even with -f.
    let mut all = vec![up.clone()];
    let prefix = loop {
        let id = e.ok(&["create", IMAGE, "true"]).trim().to_string();
        if all.iter().any(|o| o[..1] == id[..1]) {
            break id[..1].to_string();
        }
        all.push(id);
        assert!(
            all.len() <= 17,
            "17 IDs cannot all differ in their first hex digit"
        );
    };
    let before = ids(&e, &["ps", "-aq"]).len();
    let (code, err) = e.err(&["rm", "-f", &prefix]);
    assert_eq!(code, 125, "{err}");
    assert!(err.contains("ambiguous"), "{err}");
    let (code, _) = e.err(&["container", "inspect", &prefix]);
    assert_eq!(code, 125);
    assert_eq!(ids(&e, &["ps", "-aq"]).len(), before);
    assert_eq!(e.inspect(&up[..5], "{{.Name}}"), "/up");
}

fn attach_follow_and_signal_proxy(mode: Mode) {
    let e = Engine::new(mode);
    // attach with stdin: the input reaches the container, its code comes back.
    e.ok(&[
        "run",
        "-d",
        "-i",
        "--name",
        "reader",
        IMAGE,
        "sh",
        "-c",
        "read x; echo got $x; exit 6",
    ]);
    let out = e.run_stdin(&["attach", "reader"], b"hello\n");
    assert_eq!(exit_code(out.status), 6, "{}", common::format_output(&out));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "got hello\n");

    // attach --no-stdin: output from now on, until the container exits.
    e.ok(&[
        "run",
        "-d",
        "--name",
        "ticker",
        IMAGE,
        "sh",
        "-c",
        "while [ ! -e /tmp/go ]; do echo tick; sleep 0.05; done; echo done; exit 4",
    ]);
    let att = Watched::spawn(e.command(&["attach", "--no-stdin", "ticker"]));
    assert!(
        e.wait_for(Duration::from_secs(10), || att.stdout().contains("tick")),
        "attach showed nothing: {}",
        att.stdout()
    );
    e.ok(&["exec", "ticker", "touch", "/tmp/go"]);
    let (code, out, err) = att.finish(Duration::from_secs(10));
    assert_eq!(code, 4, "{out}{err}");
    assert!(out.ends_with("tick\ndone\n"), "{out}");

    // logs -f: the lines so far, the later ones, and it returns on exit.
    e.ok(&[
        "run",
        "-d",
        "--name",
        "slow",
        IMAGE,
        "sh",
        "-c",
        "echo first; while [ ! -e /tmp/go ]; do sleep 0.05; done; echo last",
    ]);
    let follow = Watched::spawn(e.command(&["logs", "-f", "slow"]));
    assert!(
        e.wait_for(Duration::from_secs(10), || follow
            .stdout()
            .contains("first")),
        "logs -f showed nothing"
    );
    e.ok(&["exec", "slow", "touch", "/tmp/go"]);
    let (code, out, err) = follow.finish(Duration::from_secs(10));
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "first\nlast\n");
    // Of a stopped container it prints the log and returns at once.
    let t = Instant::now();
    assert_eq!(e.ok(&["logs", "-f", "slow"]), "first\nlast\n");
    assert!(t.elapsed() < Duration::from_secs(5), "{:?}", t.elapsed());

    // An attached run forwards the signals it gets to the container.
    let fg = Watched::spawn(e.command(&[
        "run",
        "--name",
        "fg",
        IMAGE,
        "sh",
        "-c",
        "trap 'echo trapped; exit 9' TERM; echo ready; while :; do sleep 0.1; done",
    ]));
    assert!(
        e.wait_for(Duration::from_secs(10), || fg.stdout().contains("ready")),
        "run printed nothing"
    );
    fg.signal(rustix::process::Signal::TERM);
    let (code, out, err) = fg.finish(Duration::from_secs(10));
    assert_eq!(code, 9, "{out}{err}");
    assert_eq!(out, "ready\ntrapped\n");
    assert_eq!(
        e.inspect("fg", "{{.State.Status}} {{.State.ExitCode}}"),
        "exited 9"
    );
}

fn rm_force_races(mode: Mode) {
    let e = Engine::new(mode);
    // rm -f of a running --rm container: the monitor's own removal racing
    // ours is no error (Docker: exit 0).
    let id = e
        .ok(&["run", "-d", "--rm", IMAGE, "sleep", "1000"])
        .trim()
        .to_string();
    let out = e.run(&["rm", "-f", &id]);
    assert!(out.status.success(), "{}", common::format_output(&out));
    assert!(ids(&e, &["ps", "-aq"]).is_empty());
    // stop of a --rm container: it goes away on its own.
    let id = e
        .ok(&["run", "-d", "--rm", IMAGE, "sleep", "1000"])
        .trim()
        .to_string();
    e.ok(&["stop", "-t", "1", &id]);
    assert!(e.wait_for(Duration::from_secs(5), || {
        ids(&e, &["ps", "-aq"]).is_empty()
    }));
    // Two rm -f of one container at once: both succeed, nothing is left.
    let id = e
        .ok(&["run", "-d", IMAGE, "sleep", "1000"])
        .trim()
        .to_string();
    let both: Vec<_> = (0..2)
        .map(|_| Watched::spawn(e.command(&["rm", "-f", &id])))
        .collect();
    for w in both {
        let (code, out, err) = w.finish(Duration::from_secs(30));
        assert_eq!(code, 0, "{out}{err}");
    }
    assert!(ids(&e, &["ps", "-aq"]).is_empty());
    // rm of several with one unknown: the others still go, and it fails.
    e.ok(&["create", "--name", "one", IMAGE, "true"]);
    e.ok(&["create", "--name", "two", IMAGE, "true"]);
    let (code, err) = e.err(&["rm", "one", "missing", "two"]);
    assert_eq!(code, 125);
    assert!(err.contains("missing") && err.lines().count() == 1, "{err}");
    assert!(ids(&e, &["ps", "-aq"]).is_empty());
    let data = e.data_dir();
    assert!(
        e.wait_for(Duration::from_secs(5), || pids_matching(&format!(
            "--root {}",
            data.display()
        ))
        .is_empty()),
        "monitors were left running"
    );
    assert!(!mounted_anywhere(data.to_str().unwrap()));
    assert_eq!(leftover_container_dirs(&e), Vec::<String>::new());
}

/// The same lifecycle through `skiff container ...`, and top-level
/// `inspect` in Docker's shape.
fn container_command_group(mode: Mode) {
    let e = Engine::new(mode);
    let id = e
        .ok(&[
            "container",
            "create",
            "--name",
            "grp",
            IMAGE,
            "sh",
            "-c",
            "echo hi; exec sleep 1000",
        ])
        .trim()
        .to_string();
    e.ok(&["container", "start", "grp"]);
    assert_eq!(
        e.ok(&["container", "ls", "--format", "{{.Names}} {{.State}}"])
            .trim(),
        "grp running"
    );
    assert!(e.wait_for(Duration::from_secs(10), || {
        e.ok(&["container", "logs", "grp"]).contains("hi")
    }));
    assert_eq!(e.ok(&["container", "exec", "grp", "echo", "in"]), "in\n");
    e.ok(&["container", "rename", "grp", "grp2"]);
    e.ok(&["container", "stop", "-t", "1", "grp2"]);
    assert_eq!(e.ok(&["container", "wait", "grp2"]).trim(), "137");
    e.ok(&["container", "restart", "grp2"]);
    assert_eq!(e.inspect("grp2", "{{.State.Status}}"), "running");
    e.ok(&["container", "kill", "-s", "KILL", "grp2"]);
    assert_eq!(e.ok(&["container", "wait", "grp2"]).trim(), "137");

    let doc: serde_json::Value = serde_json::from_str(&e.ok(&["inspect", "grp2"])).unwrap();
    let c = &doc[0];
    assert_eq!(c["Id"], id.as_str());
    assert_eq!(c["Name"], "/grp2");
    assert_eq!(c["State"]["Status"], "exited");
    assert_eq!(c["State"]["ExitCode"], 137);
    assert_eq!(
        c["Config"]["Cmd"],
        serde_json::json!(["sh", "-c", "echo hi; exec sleep 1000"])
    );
    assert_eq!(c["HostConfig"]["RestartPolicy"]["Name"], "no");
    assert!(
        c["GraphDriver"]["Name"]
            .as_str()
            .is_some_and(|d| !d.is_empty()),
        "{c}"
    );
    // Docker counts only restarts by the policy, not `restart`.
    assert_eq!(c["RestartCount"], 0);
    e.ok(&["container", "rm", "grp2"]);
    assert!(ids(&e, &["container", "ls", "-aq"]).is_empty());
}

/// Entries of `<data>/containers` (if it exists yet) other than its lock file.
fn leftover_container_dirs(e: &Engine) -> Vec<String> {
    let Ok(rd) = std::fs::read_dir(e.data_dir().join("containers")) else {
        return Vec::new();
    };
    rd.flatten()
        .map(|d| d.file_name().to_string_lossy().into_owned())
        .filter(|n| n != "containers.lock")
        .collect()
}

/// `skiff SUBCOMMAND` processes of this Engine (found by its Env's path in
/// their environment), monitors excluded.
fn cli_pids(e: &Engine, subcommand: &str) -> Vec<i32> {
    let root = e.env.root().to_string_lossy().into_owned();
    let mut out = Vec::new();
    for d in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = d.file_name().to_string_lossy().parse::<i32>() else {
            continue;
        };
        let (Ok(cmd), Ok(env)) = (
            std::fs::read(d.path().join("cmdline")),
            std::fs::read(d.path().join("environ")),
        ) else {
            continue;
        };
        let argv: Vec<&[u8]> = cmd.split(|&b| b == 0).collect();
        let is_skiff = argv
            .first()
            .is_some_and(|a| a.ends_with(b"skiff") || a.ends_with(b"exe"));
        if is_skiff
            && argv.get(1) == Some(&subcommand.as_bytes())
            && String::from_utf8_lossy(&env).contains(&root)
        {
            out.push(pid);
        }
    }
    out
}

/// A command running in the background whose output the test can watch
/// while it runs.
struct Watched {
    child: Child,
    out: Arc<Mutex<Vec<u8>>>,
    err: Arc<Mutex<Vec<u8>>>,
    readers: Vec<std::thread::JoinHandle<()>>,
}

impl Watched {
    fn spawn(mut cmd: Command) -> Watched {
        let mut child = cmd
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let out = Arc::new(Mutex::new(Vec::new()));
        let err = Arc::new(Mutex::new(Vec::new()));
        let readers = vec![
            pump(child.stdout.take().unwrap(), out.clone()),
            pump(child.stderr.take().unwrap(), err.clone()),
        ];
        Watched {
            child,
            out,
            err,
            readers,
        }
    }

    fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.out.lock().unwrap()).into_owned()
    }

    fn signal(&self, sig: rustix::process::Signal) {
        let pid = rustix::process::Pid::from_raw(self.child.id() as i32).unwrap();
        rustix::process::kill_process(pid, sig).unwrap();
    }

    /// Waits (bounded) for the exit and for EOF on its output; returns
    /// (exit code, stdout, stderr).
    fn finish(mut self, limit: Duration) -> (i32, String, String) {
        let end = Instant::now() + limit;
        let status = loop {
            if let Some(s) = self.child.try_wait().unwrap() {
                break s;
            }
            if Instant::now() > end {
                let _ = self.child.kill();
                panic!(
                    "still running after {limit:?}; stdout: {}; stderr: {}",
                    self.stdout(),
                    String::from_utf8_lossy(&self.err.lock().unwrap())
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        while self.readers.iter().any(|r| !r.is_finished()) {
            assert!(
                Instant::now() < end,
                "the command exited but something kept its stdout/stderr open"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        let err = String::from_utf8_lossy(&self.err.lock().unwrap()).into_owned();
        (exit_code(status), self.stdout(), err)
    }
}

impl Drop for Watched {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn pump(
    mut from: impl Read + Send + 'static,
    into: Arc<Mutex<Vec<u8>>>,
) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = from.read(&mut buf) {
            if n == 0 {
                break;
            }
            into.lock().unwrap().extend_from_slice(&buf[..n]);
        }
    })
}
