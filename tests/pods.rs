//! Pods end to end: members talking over the pod's localhost and sharing its
//! hostname, pod ls/ps/inspect/top, start/stop/restart/kill, rm -f leaving
//! nothing behind, a port published on the pod answering from the host, and
//! a shared PID namespace. Each test runs rootless as the test user and,
//! when the suite runs as root, again as root with a private store (whose
//! default network is the CNI bridge).

mod common;

use std::io::{Read, Write};
use std::time::Duration;

use common::bundle::Mode;
use common::engine::{Engine, IMAGE, mounted_anywhere, pids_matching};

common::bundle::both_modes!(
    members_share_localhost_and_hostname,
    ls_inspect_and_lifecycle,
    rm_force_leaves_nothing,
    port_published_on_the_pod_answers,
    shared_pid_namespace,
);

fn lines(s: &str) -> Vec<String> {
    s.lines().map(str::to_string).collect()
}

/// The namespace `kind` of a running container's init, as the host sees it.
fn ns_of(e: &Engine, name: &str, kind: &str) -> String {
    let pid = e.inspect(name, "{{.State.Pid}}");
    std::fs::read_link(format!("/proc/{pid}/ns/{kind}"))
        .unwrap_or_else(|err| panic!("{name} (pid {pid}) ns/{kind}: {err}"))
        .display()
        .to_string()
}

fn infra_of(e: &Engine, pod: &str) -> String {
    e.ok(&["pod", "inspect", "--format", "{{.InfraContainerID}}", pod])
        .trim()
        .to_string()
}

fn members_share_localhost_and_hostname(mode: Mode) {
    let e = Engine::new(mode);
    let pod = e.ok(&["pod", "create", "--name", "duo"]).trim().to_string();
    assert_eq!(pod.len(), 64, "{pod}");
    e.ok(&[
        "run",
        "-d",
        "--pod",
        "duo",
        "--name",
        "listener",
        IMAGE,
        "sh",
        "-c",
        // stdin held open: busybox nc stops at stdin EOF, which would race
        // the message arriving.
        "sleep 1000 | nc -l -p 9000",
    ]);
    // The sender retries until the listener is up.
    e.ok(&[
        "run",
        "--rm",
        "--pod",
        "duo",
        IMAGE,
        "sh",
        "-c",
        "for i in $(seq 100); do echo hi-from-the-pod | nc 127.0.0.1 9000 && exit 0; sleep 0.1; done; exit 1",
    ]);
    assert!(
        e.wait_for(Duration::from_secs(10), || {
            e.ok(&["logs", "listener"]).contains("hi-from-the-pod")
        }),
        "the message never reached the listener: {}",
        e.ok(&["logs", "listener"])
    );

    // The pod's name is every member's hostname, and the namespaces are
    // the infra container's own.
    e.ok(&[
        "run", "-d", "--pod", "duo", "--name", "sleeper", IMAGE, "sleep", "1000",
    ]);
    assert_eq!(e.ok(&["exec", "sleeper", "hostname"]).trim(), "duo");
    assert_eq!(
        e.ok(&["run", "--rm", "--pod", "duo", IMAGE, "hostname"])
            .trim(),
        "duo"
    );
    let infra = infra_of(&e, "duo");
    for kind in ["net", "ipc", "uts"] {
        assert_eq!(
            ns_of(&e, "sleeper", kind),
            ns_of(&e, &infra, kind),
            "{kind}"
        );
    }
    assert_ne!(ns_of(&e, "sleeper", "pid"), ns_of(&e, &infra, "pid"));
    // A container outside the pod has its own.
    e.ok(&["run", "-d", "--name", "outsider", IMAGE, "sleep", "1000"]);
    assert_ne!(ns_of(&e, "outsider", "net"), ns_of(&e, &infra, "net"));
    e.ok(&["rm", "-f", "outsider"]);

    // Flags that would contradict the pod are refused with the fix.
    let (code, err) = e.err(&[
        "run", "--rm", "--pod", "duo", "-p", "8080:80", IMAGE, "true",
    ]);
    assert_eq!(code, 125);
    assert!(err.contains("publish them on the pod"), "{err}");
    let (_, err) = e.err(&[
        "run",
        "--rm",
        "--pod",
        "duo",
        "--network",
        "none",
        IMAGE,
        "true",
    ]);
    assert!(err.contains("--network cannot be set"), "{err}");
    let (_, err) = e.err(&["run", "--rm", "--pod", "duo", "-h", "other", IMAGE, "true"]);
    assert!(err.contains("--hostname cannot be set"), "{err}");
    let (_, err) = e.err(&["run", "--rm", "--pod", "nope", IMAGE, "true"]);
    assert!(err.contains("no such pod: nope"), "{err}");
    e.ok(&["pod", "rm", "-f", "duo"]);
}

fn ls_inspect_and_lifecycle(mode: Mode) {
    let e = Engine::new(mode);
    let id = e
        .ok(&["pod", "create", "-l", "app=web", "lsd"])
        .trim()
        .to_string();
    let (_, err) = e.err(&["pod", "create", "--name", "lsd"]);
    assert!(err.contains("already in use"), "{err}");
    e.ok(&[
        "create", "--pod", "lsd", "--name", "m1", IMAGE, "sleep", "1000",
    ]);

    let ls = e.ok(&["pod", "ls"]);
    let header = ls.lines().next().unwrap();
    for col in [
        "POD ID",
        "NAME",
        "STATUS",
        "CREATED",
        "INFRA ID",
        "# OF CONTAINERS",
    ] {
        assert!(header.contains(col), "{header}");
    }
    assert_eq!(e.ok(&["pod", "ps"]), ls, "pod ps is pod ls");
    assert_eq!(
        lines(&e.ok(&["pod", "ls", "-q"])),
        vec![id[..12].to_string()]
    );
    assert_eq!(
        lines(&e.ok(&["pod", "ls", "-q", "--no-trunc"])),
        vec![id.clone()]
    );
    let fmt = "{{.Name}} {{.Status}} {{.NumberOfContainers}}";
    assert_eq!(
        e.ok(&["pod", "ls", "--format", fmt]).trim(),
        "lsd Created 2"
    );
    assert_eq!(
        e.ok(&["pod", "ls", "-q", "-f", "label=app=web"]).trim(),
        &id[..12]
    );
    assert!(
        e.ok(&["pod", "ls", "-q", "-f", "name=other"])
            .trim()
            .is_empty()
    );

    let doc: serde_json::Value = serde_json::from_str(&e.ok(&["pod", "inspect", "lsd"])).unwrap();
    let d = &doc[0];
    assert_eq!(d["Id"], id.as_str());
    assert_eq!(d["Name"], "lsd");
    assert_eq!(d["Hostname"], "lsd");
    assert_eq!(d["State"], "Created");
    assert_eq!(d["Labels"]["app"], "web");
    assert_eq!(
        d["SharedNamespaces"],
        serde_json::json!(["ipc", "net", "uts"])
    );
    assert_eq!(d["NumContainers"], 2);
    let infra = d["InfraContainerID"].as_str().unwrap().to_string();
    assert_eq!(d["Containers"][0]["Id"], infra.as_str());
    assert_eq!(d["Containers"][1]["Name"], "m1");
    assert_eq!(
        e.inspect(&infra, "{{.Pod}} {{.IsInfra}}"),
        format!("{id} true")
    );

    // Starting a member starts the infra container first.
    e.ok(&["start", "m1"]);
    assert_eq!(
        e.ok(&[
            "ps",
            "--filter",
            "pod=lsd",
            "--format",
            "{{.Names}} {{.State}}"
        ])
        .lines()
        .count(),
        2
    );
    assert_eq!(e.inspect(&infra, "{{.State.Status}}"), "running");
    let ps = e.ok(&["ps", "--pod"]);
    assert!(ps.lines().next().unwrap().contains("POD ID"), "{ps}");
    assert!(ps.lines().next().unwrap().contains("PODNAME"), "{ps}");
    let m1 = ps.lines().find(|l| l.contains("m1")).unwrap();
    assert!(m1.contains(&id[..12]) && m1.contains("lsd"), "{ps}");
    assert_eq!(
        e.ok(&["ps", "-q", "--filter", &format!("pod={}", &id[..8])])
            .lines()
            .count(),
        2
    );

    // The infra container goes only with its pod.
    let (code, err) = e.err(&["rm", "-f", &infra]);
    assert_eq!(code, 125);
    assert!(err.contains("skiff pod rm lsd"), "{err}");

    // ps's rows for the member and the infra container's pause, and only
    // those (with ps options as for top).
    let top = e.ok(&["pod", "top", "lsd"]);
    assert!(top.starts_with("UID") && top.contains(" PID "), "{top}");
    assert!(top.contains("sleep 1000"), "{top}");
    assert!(top.contains("/run/skiff-init --pause"), "{top}");
    assert_eq!(top.lines().count(), 3, "{top}");
    let top = e.ok(&["pod", "top", "lsd", "-o", "pid,args"]);
    assert!(
        top.lines().next().unwrap().trim().starts_with("PID"),
        "{top}"
    );
    assert_eq!(top.lines().count(), 3, "{top}");

    // A member stopped alone: degraded. Started again by a later command,
    // it joins the running infra container's namespaces.
    e.ok(&["stop", "-t", "0", "m1"]);
    assert_eq!(
        e.ok(&["pod", "ls", "--format", "{{.Status}}"]).trim(),
        "Degraded"
    );
    e.ok(&["start", "m1"]);
    assert_eq!(ns_of(&e, "m1", "net"), ns_of(&e, &infra, "net"));
    e.ok(&["restart", "-t", "0", "m1"]);
    assert_eq!(ns_of(&e, "m1", "uts"), ns_of(&e, &infra, "uts"));

    assert_eq!(e.ok(&["pod", "stop", "-t", "0", "lsd"]).trim(), id);
    assert_eq!(
        e.ok(&["pod", "inspect", "--format", "{{.State}}", "lsd"])
            .trim(),
        "Exited"
    );
    assert_eq!(e.ok(&["pod", "start", "lsd"]).trim(), id);
    assert_eq!(
        e.ok(&["pod", "ls", "--format", "{{.Status}}"]).trim(),
        "Running"
    );
    assert_eq!(ns_of(&e, "m1", "ipc"), ns_of(&e, &infra, "ipc"));
    let before = e.inspect("m1", "{{.State.Pid}}");
    e.ok(&["pod", "restart", "lsd"]);
    assert_eq!(
        e.ok(&["pod", "ls", "--format", "{{.Status}}"]).trim(),
        "Running"
    );
    assert_ne!(e.inspect("m1", "{{.State.Pid}}"), before);
    e.ok(&["pod", "kill", "lsd"]);
    assert!(e.wait_for(Duration::from_secs(10), || {
        e.ok(&["pod", "ls", "--format", "{{.Status}}"]).trim() == "Exited"
    }));
    let (_, err) = e.err(&["pod", "kill", "lsd"]);
    assert!(err.contains("no running container"), "{err}");
    let (_, err) = e.err(&["pod", "top", "lsd"]);
    assert!(err.contains("no running containers"), "{err}");

    // rm -a leaves pods' infra containers to pod rm.
    e.ok(&["rm", "-a"]);
    assert_eq!(e.ok(&["ps", "-aq"]).trim(), &infra[..12]);
    assert_eq!(
        e.ok(&["pod", "ls", "--format", "{{.NumberOfContainers}}"])
            .trim(),
        "1"
    );
    e.ok(&["pod", "rm", "lsd"]);
    assert!(e.ok(&["pod", "ls", "-q"]).trim().is_empty());
    assert!(e.ok(&["ps", "-aq"]).trim().is_empty());
    let (code, err) = e.err(&["pod", "rm", "lsd"]);
    assert_eq!(code, 125);
    assert!(err.contains("no such pod"), "{err}");
    e.ok(&["pod", "rm", "-i", "lsd"]);
}

fn rm_force_leaves_nothing(mode: Mode) {
    let e = Engine::new(mode);
    // With a published port: slirp4netns runs for it (root: when asked).
    let mut create = vec!["pod", "create", "--name", "doomed", "-p", "80"];
    if mode == Mode::Root {
        create.extend(["--network", "slirp4netns"]);
    }
    e.ok(&create);
    e.ok(&[
        "run", "-d", "--pod", "doomed", "--name", "a1", IMAGE, "sleep", "1000",
    ]);
    e.ok(&[
        "run", "-d", "--pod", "doomed", "--name", "a2", IMAGE, "sleep", "1000",
    ]);
    let pids: Vec<String> = ["a1", "a2"]
        .iter()
        .map(|n| e.inspect(n, "{{.State.Pid}}"))
        .collect();
    let (code, err) = e.err(&["pod", "rm", "doomed"]);
    assert_eq!(code, 125);
    assert!(err.contains("--force") && err.contains("a1"), "{err}");
    assert_eq!(e.ok(&["ps", "-q"]).lines().count(), 3);

    e.ok(&["pod", "rm", "-f", "doomed"]);
    assert!(e.ok(&["ps", "-aq"]).trim().is_empty());
    assert!(e.ok(&["pod", "ls", "-q"]).trim().is_empty());
    let root = e.env.root().display().to_string();
    assert!(
        e.wait_for(Duration::from_secs(5), || pids_matching(&root).is_empty()),
        "processes of this store survived pod rm -f: {:?}",
        pids_matching(&root)
    );
    for pid in pids {
        assert!(
            std::fs::metadata(format!("/proc/{pid}")).is_err(),
            "member process {pid} survived"
        );
    }
    assert!(!mounted_anywhere(&e.data_dir().display().to_string()));
    let pods = std::fs::read_dir(e.data_dir().join("pods")).unwrap();
    let left: Vec<_> = pods
        .flatten()
        .map(|d| d.file_name().to_string_lossy().into_owned())
        .filter(|n| n.len() == 64)
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

/// An HTTP GET of `/` on 127.0.0.1:`port`; the body, if any answer came.
fn http_get(port: u16) -> Option<String> {
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    s.write_all(b"GET / HTTP/1.0\r\nHost: localhost\r\n\r\n")
        .ok()?;
    let mut out = String::new();
    s.read_to_string(&mut out).ok()?;
    out.split_once("\r\n\r\n").map(|(_, b)| b.to_string())
}

fn port_published_on_the_pod_answers(mode: Mode) {
    let e = Engine::new(mode);
    // Root: the default bridge (CNI portmap) forwards the port.
    e.ok(&["pod", "create", "--name", "web", "-p", "80"]);
    let port: u16 = e
        .ok(&[
            "pod",
            "inspect",
            "--format",
            "{{(index (index .InfraConfig.PortBindings \"80/tcp\") 0).HostPort}}",
            "web",
        ])
        .trim()
        .parse()
        .unwrap();
    e.ok(&[
        "run",
        "-d",
        "--pod",
        "web",
        "--name",
        "srv",
        IMAGE,
        "sh",
        "-c",
        "mkdir -p /tmp/www && echo hello from the pod > /tmp/www/index.html && exec httpd -f -p 80 -h /tmp/www",
    ]);
    let mut body = None;
    assert!(
        e.wait_for(Duration::from_secs(15), || {
            body = http_get(port);
            body.is_some()
        }),
        "nothing answered on host port {port}"
    );
    assert_eq!(body.unwrap(), "hello from the pod\n");
    // Members show the pod's ports.
    let ports = e.ok(&["ps", "--filter", "name=srv", "--format", "{{.Ports}}"]);
    assert_eq!(ports.trim(), format!("0.0.0.0:{port}->80/tcp"));
    // And reach each other's services on localhost, with the pod's resolver.
    let got = e.ok(&[
        "run",
        "--rm",
        "--pod",
        "web",
        IMAGE,
        "wget",
        "-q",
        "-O",
        "-",
        "http://127.0.0.1/",
    ]);
    assert_eq!(got, "hello from the pod\n");
    e.ok(&["pod", "rm", "-f", "web"]);
    assert!(
        e.wait_for(Duration::from_secs(5), || http_get(port).is_none()),
        "port {port} still answers after pod rm"
    );
}

fn shared_pid_namespace(mode: Mode) {
    let e = Engine::new(mode);
    e.ok(&["pod", "create", "--name", "pids", "--share", "+pid"]);
    assert_eq!(
        e.ok(&[
            "pod",
            "inspect",
            "--format",
            "{{json .SharedNamespaces}}",
            "pids"
        ])
        .trim(),
        r#"["ipc","net","pid","uts"]"#
    );
    e.ok(&[
        "run", "-d", "--pod", "pids", "--name", "sl", IMAGE, "sleep", "1000",
    ]);
    let ps = e.ok(&["run", "--rm", "--pod", "pids", IMAGE, "ps"]);
    let pause = ps
        .lines()
        .find(|l| l.contains("skiff-init --pause"))
        .unwrap_or_else(|| panic!("{ps}"));
    assert_eq!(pause.split_whitespace().next(), Some("1"), "{ps}");
    assert!(ps.contains("sleep 1000"), "{ps}");
    let infra = infra_of(&e, "pids");
    assert_eq!(ns_of(&e, "sl", "pid"), ns_of(&e, &infra, "pid"));
    // One namespace: each process listed once.
    let top = e.ok(&["pod", "top", "pids"]);
    assert_eq!(top.matches("sleep 1000").count(), 1, "{top}");
    let (_, err) = e.err(&["pod", "create", "--share", "cgroup"]);
    assert!(err.contains("ipc, net, pid and uts"), "{err}");
    e.ok(&["pod", "rm", "-f", "pids"]);
}
