//! `skiff runtime` features only real root can exercise on this kind of
//! machine: cgroup limits, `update`, the freezer (`pause`/`resume`), and
//! `ps` as a table. Skipped (with a note) when the tests are not root.

mod common;

use common::Env;
use common::bundle::{Bundle, Mode, Runtime, unique_id};
use serde_json::json;
use std::path::PathBuf;

/// The file holding controller `controller`'s `v1_file` (cgroup v1) or
/// `v2_file` (unified) for process `pid`, from /proc/<pid>/cgroup.
fn cgroup_file(pid: i64, controller: &str, v1_file: &str, v2_file: &str) -> PathBuf {
    let text = std::fs::read_to_string(format!("/proc/{pid}/cgroup")).expect("read cgroup");
    let mut unified = None;
    for line in text.lines() {
        let mut f = line.splitn(3, ':');
        let (_, ctrls, path) = (f.next(), f.next().unwrap_or(""), f.next().unwrap_or(""));
        if ctrls.split(',').any(|c| c == controller) {
            return PathBuf::from(format!("/sys/fs/cgroup/{controller}{path}/{v1_file}"));
        }
        if ctrls.is_empty() {
            unified = Some(format!("/sys/fs/cgroup{path}/{v2_file}"));
        }
    }
    PathBuf::from(unified.expect("no cgroup line for the controller"))
}

fn read_trim(p: &PathBuf) -> String {
    std::fs::read_to_string(p)
        .unwrap_or_else(|e| panic!("read {}: {e}", p.display()))
        .trim()
        .to_string()
}

#[test]
fn cgroup_limits_update_pause_and_ps() {
    if !Mode::Root.available() {
        return;
    }
    let env = Env::new();
    let rt = Runtime::new(&env, Mode::Root);
    let mut b = Bundle::busybox(&rt);
    b.args(&["sleep", "1000"]);
    let id = unique_id("cg");
    b.spec["linux"]["resources"] = json!({
        "memory": {"limit": 64 * 1024 * 1024},
        "pids": {"limit": 50},
        "cpu": {"shares": 512}
    });
    rt.create(&b, &id);
    let pid = rt.state(&id)["pid"].as_i64().unwrap();

    let mem = cgroup_file(pid, "memory", "memory.limit_in_bytes", "memory.max");
    let pids = cgroup_file(pid, "pids", "pids.max", "pids.max");
    assert_eq!(
        read_trim(&mem),
        (64 * 1024 * 1024).to_string(),
        "{}",
        mem.display()
    );
    assert_eq!(read_trim(&pids), "50", "{}", pids.display());

    rt.ok(&["start", &id]);
    rt.ok(&["update", "--memory", "128m", "--pids-limit", "60", &id]);
    assert_eq!(read_trim(&mem), (128 * 1024 * 1024).to_string());
    assert_eq!(read_trim(&pids), "60");
    // -r FILE, overridden by a flag.
    let res = b.dir.join("resources.json");
    std::fs::write(
        &res,
        r#"{"pids": {"limit": 70}, "memory": {"limit": 100000000}}"#,
    )
    .unwrap();
    rt.ok(&[
        "update",
        "-r",
        res.to_str().unwrap(),
        "--memory",
        "96m",
        &id,
    ]);
    assert_eq!(read_trim(&pids), "70");
    assert_eq!(read_trim(&mem), (96 * 1024 * 1024).to_string());

    rt.ok(&["pause", &id]);
    assert_eq!(rt.status(&id), "paused");
    rt.ok(&["resume", &id]);
    assert_eq!(rt.status(&id), "running");

    let table = rt.ok(&["ps", &id]);
    let mut lines = table.lines();
    let header = lines.next().unwrap_or_default();
    let col = header
        .split_whitespace()
        .position(|c| c == "PID")
        .unwrap_or_else(|| panic!("no PID column: {table}"));
    let listed: Vec<i64> = lines
        .filter_map(|l| l.split_whitespace().nth(col)?.parse().ok())
        .collect();
    assert_eq!(listed, [pid], "{table}");

    rt.ok(&["kill", &id, "KILL"]);
    rt.wait_status(&id, "stopped");
    rt.ok(&["delete", &id]);
}

#[test]
fn kill_all_reaches_every_process() {
    if !Mode::Root.available() {
        return;
    }
    let env = Env::new();
    let rt = Runtime::new(&env, Mode::Root);
    let mut b = Bundle::busybox(&rt);
    // Without a pid namespace, killing the init would not take its children.
    b.without_namespace("pid");
    b.shell("sleep 1000 & sleep 1000 & wait");
    let id = unique_id("killall");
    rt.create(&b, &id);
    rt.ok(&["start", &id]);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let mut pids: Vec<i64>;
    loop {
        pids = serde_json::from_str(&rt.ok(&["ps", "--format", "json", &id])).unwrap();
        if pids.len() >= 3 || std::time::Instant::now() > deadline {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert!(pids.len() >= 3, "{pids:?}");
    rt.ok(&["kill", "--all", &id, "KILL"]);
    rt.wait_status(&id, "stopped");
    rt.ok(&["delete", &id]);
    for p in pids {
        let stat = std::fs::read_to_string(format!("/proc/{p}/stat")).unwrap_or_default();
        // Gone, or a zombie waiting for the host's init.
        assert!(
            stat.is_empty() || stat.contains(") Z "),
            "{p} survived: {stat}"
        );
    }
}

/// On a cgroup v2 host the init is cloned straight into its cgroup
/// (clone3's CLONE_INTO_CGROUP). This host is hybrid, so the test gives the
/// runtime a private mount namespace where /sys/fs/cgroup is the unified
/// hierarchy alone, as on a v2-only host. (Rootless v2 needs a delegated
/// cgroup from systemd, which this machine cannot give.)
#[test]
fn cgroup_v2_init_and_exec_are_born_in_the_cgroup() {
    if !Mode::Root.available() || !std::path::Path::new("/sys/fs/cgroup/unified").exists() {
        eprintln!("skipped: needs root and the unified hierarchy");
        return;
    }
    let env = Env::new();
    let rt = Runtime::new(&env, Mode::Root);
    let mut b = Bundle::busybox(&rt);
    // No cgroup namespace, so /proc/self/cgroup shows the real path.
    b.without_namespace("cgroup");
    let id = unique_id("v2clone");
    let path = format!("/skiff-test/{id}");
    b.spec["linux"]["cgroupsPath"] = json!(path);
    b.shell("cat /proc/self/cgroup; sleep 1000");
    b.save();
    // Everything runs in one shell inside the private mount namespace:
    // create, an exec, the state, a kill and the delete.
    let skiff = rt.command(&["state", "x"]);
    let prog = skiff.get_program().to_owned();
    let base: Vec<_> = skiff.get_args().map(|a| a.to_owned()).collect();
    let script = r#"set -e
mount --make-rprivate /
mount -t cgroup2 none /sys/fs/cgroup
"$SKIFF" runtime --root "$STATE" create --bundle "$BUNDLE" "$ID" > "$BUNDLE/create.out"
"$SKIFF" runtime --root "$STATE" start "$ID"
sleep 0.3
echo "exec: $("$SKIFF" runtime --root "$STATE" exec "$ID" cat /proc/self/cgroup)"
"$SKIFF" runtime --root "$STATE" kill "$ID" KILL
while "$SKIFF" runtime --root "$STATE" state "$ID" | grep -q running; do sleep 0.05; done
"$SKIFF" runtime --root "$STATE" delete "$ID"
test ! -e "/sys/fs/cgroup$CGPATH" && echo removed
"#;
    let state = base[base.iter().position(|a| a == "--root").unwrap() + 1].clone();
    let mut cmd = std::process::Command::new("unshare");
    cmd.args(["-m", "sh", "-c", script])
        .env("SKIFF", &prog)
        .env("STATE", &state)
        .env("BUNDLE", &b.dir)
        .env("ID", &id)
        .env("CGPATH", &path);
    let out = rt.captured(cmd, None, "v2 clone script");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let exec_out = stdout.split("exec:").nth(1).unwrap_or("");
    assert!(exec_out.contains(&format!("\n0::{path}\n")), "{stdout}");
    assert!(stdout.trim_end().ends_with("removed"), "{stdout}");
    // The init's own output went where create's stdout went.
    let init_out = std::fs::read_to_string(b.dir.join("create.out")).unwrap_or_default();
    assert!(init_out.contains(&format!("0::{path}")), "init: {init_out}");
}
