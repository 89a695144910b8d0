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
    b.spec["linux"]["namespaces"]
        .as_array_mut()
        .unwrap()
        .retain(|n| n["type"] != "pid");
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
