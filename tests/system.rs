//! `system df|info|prune|check`, `top` and `stats`, end to end. Each test
//! runs rootless as the test user and, when the suite runs as root, again as
//! root with a private store (where containers get cgroups).

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use common::bundle::Mode;
use common::engine::{Engine, IMAGE, monitor_of};

common::bundle::both_modes!(
    df_counts_and_sizes,
    info_reports_host_and_store,
    prune_removes_stopped_and_dangling_only,
    check_finds_and_repairs_leftovers,
    check_verifies_blob_contents,
    top_lists_the_container_processes,
    stats_shows_usage,
);

fn info(e: &Engine) -> serde_json::Value {
    serde_json::from_str(&e.ok(&["info", "--format", "json"])).unwrap()
}

/// `store.graphRoot` and `store.runRoot` as `info` reports them.
fn roots(e: &Engine) -> (PathBuf, PathBuf) {
    let v = info(e);
    let p = |k: &str| PathBuf::from(v["store"][k].as_str().unwrap());
    (p("graphRoot"), p("runRoot"))
}

fn lines_with<'a>(text: &'a str, needle: &str) -> Vec<&'a str> {
    text.lines().filter(|l| l.contains(needle)).collect()
}

fn df_counts_and_sizes(mode: Mode) {
    let e = Engine::new(mode);
    let df = |e: &Engine| {
        e.ok(&[
            "system",
            "df",
            "--format",
            "{{.Type}} {{.TotalCount}} {{.Active}}",
        ])
    };
    assert_eq!(df(&e), "Images 1 0\nContainers 0 0\nLocal Volumes 0 0\n");
    e.ok(&["run", "-d", "--name", "up", IMAGE, "sleep", "1000"]);
    e.ok(&[
        "run",
        "--name",
        "writer",
        "-v",
        "data:/data",
        IMAGE,
        "sh",
        "-c",
        "head -c 300000 /dev/zero > /big; echo x > /data/f",
    ]);
    e.ok(&["volume", "create", "spare"]);
    assert_eq!(df(&e), "Images 1 1\nContainers 2 1\nLocal Volumes 2 1\n");
    // The stopped writer's 300 kB are reclaimable; the running one's nothing.
    let table = e.ok(&["system", "df"]);
    let header = table.lines().next().unwrap();
    for col in ["TYPE", "TOTAL", "ACTIVE", "SIZE", "RECLAIMABLE"] {
        assert!(header.contains(col), "{table}");
    }
    let ctr = lines_with(&table, "Containers")[0];
    assert!(ctr.contains("300kB (100%)"), "{table}");
    let json: serde_json::Value =
        serde_json::from_str(&e.ok(&["system", "df", "--format", "json"])).unwrap();
    assert_eq!(json.as_array().unwrap().len(), 3, "{json}");
    assert_eq!(json[0]["Type"], "Images");
    assert_ne!(json[0]["Size"], "0B", "{json}");

    let v = e.ok(&["system", "df", "-v"]);
    for section in [
        "Images space usage:",
        "Containers space usage:",
        "Local Volumes space usage:",
    ] {
        assert!(v.contains(section), "{v}");
    }
    let writer = lines_with(&v, "writer");
    assert!(
        writer.len() == 1 && writer[0].contains("300kB") && writer[0].contains("Exited (0)"),
        "{v}"
    );
    let data = lines_with(&v, "data");
    assert!(
        data.iter()
            .any(|l| l.split_whitespace().collect::<Vec<_>>() == ["data", "1", "2B"]),
        "{v}"
    );
    let images = e.ok(&[
        "system",
        "df",
        "-v",
        "--format",
        "{{range .Images}}{{.Containers}} {{end}}",
    ]);
    assert_eq!(images.trim(), "2");
}

fn info_reports_host_and_store(mode: Mode) {
    let e = Engine::new(mode);
    e.ok(&["run", "-d", "--name", "up", IMAGE, "sleep", "1000"]);
    e.ok(&["create", "--name", "idle", IMAGE, "true"]);
    let v = info(&e);
    let host = &v["host"];
    for key in ["arch", "kernel", "os", "hostname", "cgroupManager"] {
        assert!(
            host[key].as_str().is_some_and(|s| !s.is_empty()),
            "{key}: {v}"
        );
    }
    assert!(
        ["v1", "v2", "hybrid"].contains(&host["cgroupVersion"].as_str().unwrap()),
        "{v}"
    );
    assert_eq!(host["rootless"], mode == Mode::Rootless);
    assert!(host["cpus"].as_u64().unwrap() >= 1);
    assert!(host["memTotal"].as_u64().unwrap() > 0);
    assert_eq!(host["ociRuntime"]["name"], "skiff");
    let uidmap = &host["idMappings"]["uidmap"];
    match mode {
        // The user's own uid as container root, then the subuid range.
        Mode::Rootless => {
            assert_eq!(uidmap[0]["container_id"], 0, "{v}");
            assert_eq!(uidmap[0]["host_id"], e.env.user().uid, "{v}");
            assert_eq!(uidmap[1]["container_id"], 1, "{v}");
        }
        Mode::Root => assert!(uidmap.is_null(), "{v}"),
    }
    let store = &v["store"];
    assert_eq!(
        Path::new(store["graphRoot"].as_str().unwrap()),
        e.data_dir().join("storage")
    );
    assert!(store["runRoot"].as_str().is_some_and(|s| !s.is_empty()));
    assert!(
        ["overlay", "fuse-overlayfs", "vfs"].contains(&store["graphDriverName"].as_str().unwrap()),
        "{v}"
    );
    let cs = &store["containerStore"];
    assert_eq!(
        (&cs["number"], &cs["running"], &cs["paused"], &cs["stopped"]),
        (&2.into(), &1.into(), &0.into(), &1.into()),
        "{v}"
    );
    assert_eq!(store["imageStore"]["number"], 1);
    assert!(v["version"]["Version"].is_string());
    // Templates: podman's field names, and Docker's top-level ones.
    assert_eq!(
        e.ok(&[
            "info",
            "--format",
            "{{.Store.ContainerStore.Running}} {{.Host.Arch}}"
        ])
        .trim(),
        format!("1 {}", host["arch"].as_str().unwrap())
    );
    assert_eq!(
        e.ok(&[
            "system",
            "info",
            "--format",
            "{{.Containers}} {{.ContainersRunning}} {{.Images}}"
        ])
        .trim(),
        "2 1 1"
    );
    let human = e.ok(&["system", "info"]);
    assert!(
        human.starts_with("host:\n  arch: ") && human.contains("\nstore:\n  graphRoot: "),
        "{human}"
    );
}

fn prune_removes_stopped_and_dangling_only(mode: Mode) {
    let e = Engine::new(mode);
    let up = e.ok(&["run", "-d", "--name", "up", IMAGE, "sleep", "1000"]);
    let done = e.ok(&["run", "--name", "done", "-v", "/anon", IMAGE, "true"]);
    let _ = done;
    let done_id = e.inspect("done", "{{.Id}}");
    let fresh_id = e
        .ok(&["create", "--name", "fresh", IMAGE, "true"])
        .trim()
        .to_string();
    let tar = e.env.root().join("busybox.tar");
    let dangling = e
        .ok(&["import", "-q", "-m", "another", tar.to_str().unwrap()])
        .trim()
        .to_string();
    let dangling_hex = dangling.trim_start_matches("sha256:").to_string();
    assert_eq!(e.ok(&["images", "-q"]).lines().count(), 2);
    assert_eq!(e.ok(&["volume", "ls", "-q"]).lines().count(), 1);

    let out = e.ok(&["system", "prune", "-f"]);
    assert!(out.starts_with("Deleted Containers:\n"), "{out}");
    assert!(out.contains(&done_id) && out.contains(&fresh_id), "{out}");
    assert!(!out.contains(up.trim()), "{out}");
    assert!(
        out.contains(&format!("Deleted Images:\ndeleted: sha256:{dangling_hex}")),
        "{out}"
    );
    assert!(!out.contains("Deleted Volumes"), "{out}");
    assert!(
        out.trim_end()
            .lines()
            .last()
            .unwrap()
            .starts_with("Total reclaimed space: "),
        "{out}"
    );
    assert_eq!(e.ok(&["ps", "-a", "--format", "{{.Names}}"]).trim(), "up");
    assert_eq!(e.ok(&["images", "-q"]).lines().count(), 1);
    // The image a running container uses survives -a; volumes need --volumes.
    let out = e.ok(&["system", "prune", "-a", "-f", "--volumes"]);
    assert!(out.contains("Deleted Volumes:\n"), "{out}");
    assert_eq!(e.ok(&["volume", "ls", "-q"]), "");
    assert_eq!(e.ok(&["images", "-q"]).lines().count(), 1);
    e.ok(&["rm", "-f", "up"]);
    let out = e.ok(&["system", "prune", "-a", "-f"]);
    assert!(
        out.contains("untagged: ") && out.contains("deleted: sha256:"),
        "{out}"
    );
    assert_eq!(e.ok(&["images", "-q"]), "");
    let (code, err) = e.err(&["system", "prune", "-f", "--filter", "nope=1"]);
    assert_eq!(code, 125, "{err}");
}

fn check_finds_and_repairs_leftovers(mode: Mode) {
    let e = Engine::new(mode);
    let (graph, run) = roots(&e);
    assert_eq!(e.ok(&["system", "check"]), "No problems found\n");
    // (a) a create killed before writing the record.
    let stray = e.data_dir().join("containers").join("f".repeat(64));
    e.env.write_user_file(&stray.join("upper/file"), b"x");
    // (b) a running container whose monitor was killed.
    let id = e
        .ok(&["run", "-d", "--name", "orphan", IMAGE, "sleep", "1000"])
        .trim()
        .to_string();
    let init: i32 = e.inspect("orphan", "{{.State.Pid}}").parse().unwrap();
    let monitor = monitor_of(&id);
    let _ = std::process::Command::new("kill")
        .args(["-9", &monitor.to_string()])
        .status();
    assert!(e.wait_for(Duration::from_secs(5), || {
        std::fs::metadata(format!("/proc/{monitor}")).is_err()
    }));
    // (c) runtime dirs of no container; a pull's staging dir and download.
    let stale_sock = run.join("c").join("0123456789ab");
    e.env.write_user_file(&stale_sock.join("attach"), b"");
    let stale_state = run.join("runtime").join("e".repeat(64));
    e.env.write_user_file(&stale_state.join("junk"), b"");
    let staging = graph.join("layers").join(".staging-0000000000000000");
    e.env.write_user_file(&staging.join("diff/f"), b"x");
    let ingest = graph.join("blobs/ingest/deadbeef-123");
    e.env.write_user_file(&ingest, b"partial");

    let out = e.run(&["system", "check"]);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(
        common::exit_code(out.status),
        125,
        "{}",
        common::format_output(&out)
    );
    for needle in [
        &format!("container dir {}", stray.display()),
        "container orphan",
        "monitor is gone",
        &format!(
            "runtime dir {} belongs to no container",
            stale_sock.display()
        ),
        "runtime state eeeeeeeeeeee belongs to no container",
        &format!("unfinished layer {}", staging.display()),
        &format!("unfinished download {}", ingest.display()),
    ] {
        assert_eq!(lines_with(&text, needle).len(), 1, "{needle}: {text}");
    }
    assert!(!text.contains("repaired"), "{text}");
    // Reporting changed nothing (`ps` would repair the record: not here).
    assert!(stray.exists() && staging.exists() && ingest.exists());
    let record = std::fs::read_to_string(
        e.data_dir()
            .join("containers")
            .join(&id)
            .join("container.json"),
    )
    .unwrap();
    assert!(record.contains(r#""status":"running""#), "{record}");

    let fixed = e.ok(&["system", "check", "--repair"]);
    assert!(
        fixed.lines().count() >= 7 && fixed.lines().all(|l| l.ends_with(": repaired")),
        "{fixed}"
    );
    // The dead monitor's container is marked exited, and what it left
    // running (its init, runtime state, socket dir) is gone.
    assert!(
        lines_with(&fixed, "runtime state of stopped container orphan").len() == 1,
        "{fixed}"
    );
    assert!(
        e.wait_for(Duration::from_secs(5), || std::fs::metadata(format!(
            "/proc/{init}"
        ))
        .is_err()),
        "the orphan's process {init} survived the repair"
    );
    assert_eq!(
        e.ok(&["ps", "-a", "--format", "{{.Names}} {{.State}}"])
            .trim(),
        "orphan exited"
    );
    for p in [
        &stray,
        &stale_sock,
        &stale_state,
        &staging,
        &ingest,
        &run.join("c").join(&id[..12]),
    ] {
        assert!(!p.exists(), "{} survived the repair", p.display());
    }
    assert_eq!(e.ok(&["system", "check"]), "No problems found\n");
    // A container still starts and runs after all that.
    assert_eq!(e.ok(&["run", "--rm", IMAGE, "echo", "ok"]), "ok\n");
    e.ok(&["start", "orphan"]);
    assert_eq!(e.ok(&["system", "check"]), "No problems found\n");
}

fn check_verifies_blob_contents(mode: Mode) {
    let e = Engine::new(mode);
    let (graph, _) = roots(&e);
    e.ok(&["create", "--name", "user", IMAGE, "true"]);
    let id = e.inspect(IMAGE, "{{.Id}}");
    let blob = graph
        .join("blobs/sha256")
        .join(id.trim_start_matches("sha256:"));
    let mut config = std::fs::read(&blob).unwrap();
    config.push(b' ');
    let mut perm = std::fs::metadata(&blob).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perm, 0o644);
    std::fs::set_permissions(&blob, perm).unwrap();
    std::fs::write(&blob, &config).unwrap();
    // --quick does not rehash.
    assert_eq!(e.ok(&["system", "check", "--quick"]), "No problems found\n");
    let (code, _) = e.err(&["system", "check"]);
    assert_eq!(code, 125);
    let out = e.run(&["system", "check"]);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(lines_with(&text, "is corrupt").len(), 1, "{text}");
    let fixed = e.ok(&["system", "check", "--repair"]);
    assert!(
        fixed.contains("is corrupt") && fixed.contains("repaired"),
        "{fixed}"
    );
    assert_eq!(e.ok(&["images", "-q"]), "");
    assert!(!blob.exists());
    // The container keeps the layers it stands on, and still runs.
    e.ok(&["start", "-a", "user"]);
    assert_eq!(e.ok(&["system", "check"]), "No problems found\n");
}

fn top_lists_the_container_processes(mode: Mode) {
    let e = Engine::new(mode);
    e.start_busy();
    let top = e.ok(&["top", "busy"]);
    let mut lines = top.lines();
    let header = lines.next().unwrap();
    assert!(
        header.starts_with("UID") && header.contains("PID") && header.contains("CMD"),
        "{top}"
    );
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 2, "{top}");
    assert!(rows.iter().any(|r| r.ends_with(" sleep 1000")), "{top}");
    let init = e.inspect("busy", "{{.State.Pid}}");
    assert!(
        rows.iter()
            .any(|r| r.split_whitespace().nth(1) == Some(init.as_str())),
        "{top}"
    );
    // ps options pass through; `container top` is the same command.
    let custom = e.ok(&["container", "top", "busy", "-o", "pid,comm"]);
    assert!(
        custom.lines().next().unwrap().contains("COMMAND"),
        "{custom}"
    );
    assert_eq!(lines_with(&custom, "sleep").len(), 1, "{custom}");
    e.ok(&["create", "--name", "idle", IMAGE, "true"]);
    let (code, err) = e.err(&["top", "idle"]);
    assert_eq!(code, 125, "{err}");
}

fn stats_shows_usage(mode: Mode) {
    let e = Engine::new(mode);
    e.start_busy();
    e.ok(&["create", "--name", "idle", IMAGE, "true"]);
    let out = e.ok(&["stats", "--no-stream"]);
    let header = out.lines().next().unwrap();
    for col in [
        "CONTAINER ID",
        "NAME",
        "CPU %",
        "MEM USAGE / LIMIT",
        "MEM %",
        "NET I/O",
        "BLOCK I/O",
        "PIDS",
    ] {
        assert!(header.contains(col), "{out}");
    }
    assert_eq!(out.lines().count(), 2, "only running containers: {out}");
    let row = lines_with(&out, "busy");
    assert_eq!(row.len(), 1, "{out}");
    assert_eq!(row[0].split_whitespace().last(), Some("2"), "{out}");
    let v: serde_json::Value = serde_json::from_str(&e.ok(&[
        "container",
        "stats",
        "--no-stream",
        "--format",
        "json",
        "busy",
    ]))
    .unwrap();
    let mem = v[0]["MemUsage"].as_str().unwrap();
    assert!(!mem.starts_with("0B"), "{v}");
    assert!(v[0]["CPUPerc"].as_str().unwrap().ends_with('%'), "{v}");
    assert_eq!(v[0]["PIDs"], "2", "{v}");
    let all = e.ok(&[
        "stats",
        "-a",
        "--no-stream",
        "--format",
        "{{.Name}} {{.PIDs}}",
    ]);
    let mut names: Vec<&str> = all.lines().collect();
    names.sort();
    assert_eq!(names, ["busy 2", "idle 0"], "{all}");
}
