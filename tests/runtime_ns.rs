//! `skiff runtime` namespace paths beyond "all new": joining another
//! container's namespaces by path, time namespaces with offsets, and user
//! namespaces mapping id ranges (newuidmap/newgidmap when rootless). Each test
//! runs rootless as the test user and, when the tests run as root, as root.

mod common;

use common::Env;
use common::bundle::{Bundle, Mode, Runtime, unique_id};
use serde_json::json;
use std::os::unix::fs::MetadataExt;

common::bundle::both_modes!(
    join_namespaces_by_path,
    time_namespace_offsets,
    id_ranges_and_chown,
);

/// The namespaces array of a bundle, for editing.
fn namespaces(b: &mut Bundle) -> &mut Vec<serde_json::Value> {
    b.spec["linux"]["namespaces"]
        .as_array_mut()
        .expect("linux.namespaces")
}

/// Adds a new namespace of `typ` unless the spec already has one.
fn add_namespace(b: &mut Bundle, typ: &str) {
    let ns = namespaces(b);
    if !ns.iter().any(|n| n["type"] == typ) {
        ns.push(json!({ "type": typ }));
    }
}

/// The namespace identity (`net:[4026...]`) of `/proc/<pid>/ns/<kind>`.
fn ns_id(pid: i64, kind: &str) -> String {
    let p = format!("/proc/{pid}/ns/{kind}");
    std::fs::read_link(&p)
        .unwrap_or_else(|e| panic!("readlink {p}: {e}"))
        .display()
        .to_string()
}

/// Whether this process can read `/proc/<pid>/ns/*` of a process of another
/// user (only root can; an unprivileged harness checks ids from inside).
fn can_read_foreign_ns() -> bool {
    common::is_root()
}

fn join_namespaces_by_path(mode: Mode) {
    let env = Env::new();
    let rt = Runtime::new(&env, mode);

    // The first container owns the namespaces: its own network namespace
    // (rootless specs have none by default), ipc, uts with a hostname.
    let mut first = Bundle::busybox(&rt);
    first.args(&["sleep", "1000"]);
    add_namespace(&mut first, "network");
    add_namespace(&mut first, "ipc");
    add_namespace(&mut first, "uts");
    first.spec["hostname"] = json!("first-host");
    let first_id = unique_id("owner");
    rt.create(&first, &first_id);
    // Started: once the init has exec'd the user program it is dumpable
    // again, so its owner (the rootless runtime) may open /proc/<pid>/ns/*.
    rt.ok(&["start", &first_id]);
    let pid = rt.state(&first_id)["pid"].as_i64().expect("pid");

    let mut second = Bundle::busybox(&rt);
    let mut joins = Vec::new();
    if mode == Mode::Rootless {
        // The other namespaces are owned by the first container's user
        // namespace: join it first (and bring no id maps of our own).
        joins.push("user");
        second.spec["linux"]
            .as_object_mut()
            .unwrap()
            .retain(|k, _| k != "uidMappings" && k != "gidMappings");
    }
    joins.extend(["network", "ipc", "uts"]);
    {
        let ns = namespaces(&mut second);
        ns.retain(|n| !joins.iter().any(|j| n["type"] == *j));
        // User first, as the spec lists it and the runtime must join it.
        for (i, kind) in joins.iter().enumerate() {
            let proc_name = match *kind {
                "network" => "net",
                k => k,
            };
            ns.insert(
                i,
                json!({"type": kind, "path": format!("/proc/{pid}/ns/{proc_name}")}),
            );
        }
    }
    // Setting a hostname in a joined uts namespace would rename the first.
    second
        .spec
        .as_object_mut()
        .unwrap()
        .retain(|k, _| k != "hostname" && k != "domainname");
    second.shell("hostname; for n in net ipc uts user mnt; do readlink /proc/self/ns/$n; done");
    let (code, stdout, stderr) = rt.run_bundle(&second, &unique_id("joiner"));
    assert_eq!(code, 0, "stdout: {stdout}\nstderr: {stderr}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 6, "{stdout}");
    assert_eq!(lines[0], "first-host", "uts not joined: {stdout}");

    // What the first container sees of its own namespaces, from inside.
    let own = rt.ok(&[
        "exec",
        &first_id,
        "sh",
        "-c",
        "for n in net ipc uts user mnt; do readlink /proc/self/ns/$n; done",
    ]);
    let own: Vec<&str> = own.lines().collect();
    assert_eq!(own.len(), 5, "{own:?}");
    for (i, kind) in ["net", "ipc", "uts"].iter().enumerate() {
        assert_eq!(lines[1 + i], own[i], "{kind} not joined: {stdout}");
    }
    if mode == Mode::Rootless {
        assert_eq!(lines[4], own[3], "user ns not joined: {stdout}");
    }
    // The mount namespace was not asked to be joined: a new one.
    assert_ne!(lines[5], own[4], "mount ns shared: {stdout}");
    if can_read_foreign_ns() {
        // Seen from the host too, and not the host's own namespaces.
        for (i, kind) in ["net", "ipc", "uts"].iter().enumerate() {
            assert_eq!(ns_id(pid, kind), own[i]);
            assert_ne!(
                ns_id(pid, kind),
                ns_id(std::process::id().into(), kind),
                "the first container shares the host's {kind} namespace"
            );
        }
    }
    rt.ok(&["kill", &first_id, "KILL"]);
    rt.wait_status(&first_id, "stopped");
    rt.ok(&["delete", &first_id]);

    // The first init is gone: joining its namespaces is a clear one-line
    // error at create, and leaves no container behind.
    second.args(&["true"]);
    let gone = unique_id("gone");
    let (code, _, stderr) = rt.run_bundle(&second, &gone);
    assert_ne!(code, 0, "{stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert!(stderr.contains(&format!("/proc/{pid}/ns/")), "{stderr}");
    assert!(
        rt.try_state(&gone).is_none(),
        "state left after a failed create"
    );
}

fn time_namespace_offsets(mode: Mode) {
    if !std::path::Path::new("/proc/self/ns/time").exists() {
        eprintln!("kernel without time namespaces: skipped");
        return;
    }
    let env = Env::new();
    let rt = Runtime::new(&env, mode);
    let mut b = Bundle::busybox(&rt);
    add_namespace(&mut b, "time");
    // Ten days on monotonic, twenty on boottime (uptime reads boottime).
    let (mono, boot) = (10 * 86_400i64, 20 * 86_400i64);
    b.spec["linux"]["timeOffsets"] = json!({
        "monotonic": {"secs": mono, "nanosecs": 500},
        "boottime": {"secs": boot},
    });
    b.shell("cat /proc/self/timens_offsets; echo --; cat /proc/uptime");
    let host_uptime = read_uptime(&std::fs::read_to_string("/proc/uptime").unwrap());
    let (code, stdout, stderr) = rt.run_bundle(&b, &unique_id("timens"));
    assert_eq!(code, 0, "stdout: {stdout}\nstderr: {stderr}");
    let (offsets, uptime) = stdout.split_once("--\n").expect("separator");
    let offsets: Vec<Vec<&str>> = offsets
        .lines()
        .map(|l| l.split_whitespace().collect())
        .collect();
    // The kernel prints clock ids by name; 1 = monotonic, 7 = boottime.
    let find = |name: &str, id: &str| {
        offsets
            .iter()
            .find(|f| f.first().is_some_and(|c| *c == name || *c == id))
            .unwrap_or_else(|| panic!("no {name} in {offsets:?}"))
            .clone()
    };
    assert_eq!(
        find("monotonic", "1")[1..],
        [mono.to_string(), "500".into()]
    );
    assert_eq!(find("boottime", "7")[1..], [boot.to_string(), "0".into()]);
    let inside = read_uptime(uptime);
    let lag = inside - host_uptime - boot as f64;
    assert!(
        (0.0..120.0).contains(&lag),
        "uptime inside {inside}, host {host_uptime}, offset {boot}"
    );

    // Without a time namespace the offsets are refused at create.
    let mut bad = Bundle::busybox(&rt);
    bad.without_namespace("time");
    bad.spec["linux"]["timeOffsets"] = json!({"monotonic": {"secs": 5}});
    let (code, _, stderr) = rt.run_bundle(&bad, &unique_id("notimens"));
    assert_ne!(code, 0);
    assert!(stderr.contains("time"), "{stderr}");
}

fn read_uptime(text: &str) -> f64 {
    text.split_whitespace()
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("bad /proc/uptime: {text:?}"))
}

/// The user's first /etc/subuid and /etc/subgid ranges: (start, count) each.
fn subid_ranges(user: &str, uid: u32) -> Option<((u32, u32), (u32, u32))> {
    let find = |file: &str| {
        std::fs::read_to_string(file).ok()?.lines().find_map(|l| {
            let f: Vec<&str> = l.trim().split(':').collect();
            if f.len() == 3 && (f[0] == user || f[0] == uid.to_string()) {
                Some((f[1].parse().ok()?, f[2].parse().ok()?))
            } else {
                None
            }
        })
    };
    Some((find("/etc/subuid")?, find("/etc/subgid")?))
}

fn id_ranges_and_chown(mode: Mode) {
    let env = Env::new();
    let rt = Runtime::new(&env, mode);
    let mut b = Bundle::busybox(&rt);
    // Container root is the owner's own id (the caller rootless, a spare
    // host id as root); 1.. come from a range (the user's subordinate ids
    // rootless, through newuidmap/newgidmap).
    let (root_uid, root_gid, uid_range, gid_range) = match mode {
        Mode::Rootless => {
            let Some((u, g)) = subid_ranges(&env.user().name, rt.uid()) else {
                eprintln!("no subordinate ids for the test user: range mapping not tested");
                return;
            };
            (rt.uid(), rt.gid(), u, g)
        }
        Mode::Root => {
            add_namespace(&mut b, "user");
            // cgroup v1 mounts are refused inside a user namespace.
            b.spec["mounts"]
                .as_array_mut()
                .unwrap()
                .retain(|m| m["type"] != "cgroup");
            (300_000, 300_000, (310_000, 65_536), (320_000, 65_536))
        }
    };
    assert!(uid_range.1 > 1000 && gid_range.1 > 1000, "ranges too small");
    b.spec["linux"]["uidMappings"] = json!([
        {"containerID": 0, "hostID": root_uid, "size": 1},
        {"containerID": 1, "hostID": uid_range.0, "size": uid_range.1}]);
    b.spec["linux"]["gidMappings"] = json!([
        {"containerID": 0, "hostID": root_gid, "size": 1},
        {"containerID": 1, "hostID": gid_range.0, "size": gid_range.1}]);
    if mode == Mode::Root {
        // The rootfs must be reachable by the container's root (host
        // 300000): owned by it, like a rootless bundle is by its user.
        chown_tree(&b.rootfs(), root_uid, root_gid);
    }
    // The default spec's root is read-only; /tmp/x is written to the rootfs.
    b.spec["root"]["readonly"] = json!(false);
    b.shell(
        "cat /proc/self/uid_map; echo --; cat /proc/self/gid_map; echo --; \
         touch /tmp/x && chown 1000:1001 /tmp/x && stat -c '%u %g' /tmp/x",
    );
    let (code, stdout, stderr) = rt.run_bundle(&b, &unique_id("ranges"));
    assert_eq!(code, 0, "stdout: {stdout}\nstderr: {stderr}");
    let norm: Vec<String> = stdout
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    assert_eq!(
        norm,
        [
            format!("0 {root_uid} 1"),
            format!("1 {} {}", uid_range.0, uid_range.1),
            "--".into(),
            format!("0 {root_gid} 1"),
            format!("1 {} {}", gid_range.0, gid_range.1),
            "--".into(),
            "1000 1001".into(),
        ],
        "{stdout}"
    );

    // On the host, inside id n >= 1 is range start + n - 1.
    let meta = std::fs::metadata(b.rootfs().join("tmp/x")).expect("stat /tmp/x");
    assert_eq!(
        (meta.uid(), meta.gid()),
        (uid_range.0 + 999, gid_range.0 + 1000),
        "host owner of /tmp/x"
    );
}

fn chown_tree(path: &std::path::Path, uid: u32, gid: u32) {
    std::os::unix::fs::lchown(path, Some(uid), Some(gid)).expect("chown");
    if std::fs::symlink_metadata(path).expect("stat").is_dir() {
        for e in std::fs::read_dir(path).expect("readdir") {
            chown_tree(&e.expect("entry").path(), uid, gid);
        }
    }
}
