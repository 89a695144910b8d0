//! seccomp user notification (SCMP_ACT_NOTIFY with `listenerPath`): the
//! test plays the seccomp agent. It listens on a unix socket, receives the
//! container process state and the listener fd from the init (at start) and
//! from each exec'd process, and answers the notified `mkdir` calls itself:
//! the first with EROFS, later ones by letting the kernel run them.
//! Rootless (as the unprivileged user) and as root.

mod common;

use std::os::fd::{AsFd, AsRawFd, OwnedFd};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::UnixListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};
use std::time::Duration;

use common::Env;
use common::bundle::{Bundle, Mode, Runtime, unique_id};
use libseccomp::{ScmpNotifReq, ScmpNotifResp, ScmpNotifRespFlags};
use serde_json::{Value, json};

common::bundle::both_modes!(
    agent_gets_the_listener_and_answers,
    notify_needs_a_listening_agent
);

/// A seccomp agent on `path`: every connection's message goes to the
/// returned channel; its notifications are answered, the first one of all
/// with EROFS and the rest with "continue".
fn agent(path: &std::path::Path) -> mpsc::Receiver<Value> {
    let listener = UnixListener::bind(path).expect("bind agent socket");
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o777)).unwrap();
    let (tx, rx) = mpsc::channel();
    let answered = Arc::new(AtomicUsize::new(0));
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(conn) = conn else { return };
            let Ok((fd, data)) = skiff::sys::pty::recv_fd(conn.as_fd()) else {
                continue;
            };
            let msg: Value = serde_json::from_slice(&data).unwrap_or(Value::Null);
            let _ = tx.send(msg);
            let answered = answered.clone();
            std::thread::spawn(move || serve(fd, &answered));
        }
    });
    rx
}

fn serve(fd: OwnedFd, answered: &AtomicUsize) {
    let raw = fd.as_raw_fd();
    // Ends when the filtered processes are gone (receive then fails).
    while let Ok(req) = ScmpNotifReq::receive(raw) {
        let resp = if answered.fetch_add(1, Ordering::SeqCst) == 0 {
            ScmpNotifResp::new_error(req.id, -libc::EROFS, ScmpNotifRespFlags::empty())
        } else {
            ScmpNotifResp::new_continue(req.id, ScmpNotifRespFlags::CONTINUE)
        };
        let _ = resp.respond(raw);
    }
}

fn notify_profile(b: &mut Bundle, listener: &std::path::Path) {
    b.spec["linux"]["seccomp"] = json!({
        "defaultAction": "SCMP_ACT_ALLOW",
        "listenerPath": listener,
        "listenerMetadata": "skiff-test-meta",
        "syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_NOTIFY"}]
    });
}

fn agent_gets_the_listener_and_answers(mode: Mode) {
    let env = Env::new();
    let rt = Runtime::new(&env, mode);
    let mut b = Bundle::busybox(&rt);
    let sock = b.host_dir("agent").join("agent.sock");
    let messages = agent(&sock);
    notify_profile(&mut b, &sock);
    b.shell(
        "mkdir /dev/shm/first; echo first=$?; mkdir /dev/shm/second; echo second=$?; \
         test -d /dev/shm/second && echo made; ls /proc/self/fd | tr '\\n' ' '",
    );
    let id = unique_id("notify");
    let (code, stdout, stderr) = rt.run_bundle(&b, &id);
    assert_eq!(code, 0, "{stdout:?} {stderr:?}");
    // The agent's EROFS reached the program; then the kernel ran mkdir.
    assert!(stderr.contains("Read-only file system"), "{stderr:?}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines[..3],
        ["first=1", "second=0", "made"],
        "{stdout:?} {stderr:?}"
    );
    // Neither the agent socket nor the listener reached the program: only
    // stdio and ls's own directory fd.
    assert_eq!(lines[3].trim(), "0 1 2 3", "{stdout:?}");

    let msg = messages
        .recv_timeout(Duration::from_secs(5))
        .expect("no message for the agent");
    assert_eq!(msg["fds"], json!(["seccompFd"]), "{msg}");
    assert_eq!(msg["metadata"], "skiff-test-meta", "{msg}");
    assert_eq!(msg["state"]["id"], json!(id), "{msg}");
    assert!(
        msg["ociVersion"]
            .as_str()
            .is_some_and(|v| v.starts_with("1."))
    );
    assert!(msg["pid"].as_i64().is_some_and(|p| p > 0), "{msg}");
    assert_eq!(msg["pid"], msg["state"]["pid"], "{msg}");

    // An exec'd process loads the filter too and sends its own listener.
    let mut b = Bundle::busybox(&rt);
    notify_profile(&mut b, &sock);
    b.args(&["sleep", "1000"]);
    let id = unique_id("notify-exec");
    rt.create(&b, &id);
    rt.ok(&["start", &id]);
    let init = messages.recv_timeout(Duration::from_secs(5)).unwrap();
    assert_eq!(init["state"]["id"], json!(id));
    let out = rt.ok(&["exec", &id, "sh", "-c", "mkdir /dev/shm/x; echo x=$?"]);
    assert_eq!(out, "x=0\n");
    let exec = messages.recv_timeout(Duration::from_secs(5)).unwrap();
    assert_eq!(exec["state"]["id"], json!(id));
    assert_ne!(exec["pid"], init["pid"], "the exec'd process's own pid");
    rt.ok(&["kill", "--all", &id, "KILL"]);
    rt.wait_status(&id, "stopped");
    rt.ok(&["delete", &id]);
}

fn notify_needs_a_listening_agent(mode: Mode) {
    let env = Env::new();
    let rt = Runtime::new(&env, mode);
    let mut b = Bundle::busybox(&rt);
    let sock = b.host_dir("agent").join("nobody.sock");
    notify_profile(&mut b, &sock);
    b.shell("true");
    let id = unique_id("notify-none");
    let (code, _, stderr) = rt.run_bundle(&b, &id);
    assert_ne!(code, 0);
    assert!(
        stderr.contains("seccomp agent") && stderr.contains("nobody.sock"),
        "{stderr:?}"
    );
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr:?}");
    // Without listenerPath, NOTIFY is refused before anything runs.
    b.spec["linux"]["seccomp"]
        .as_object_mut()
        .unwrap()
        .remove("listenerPath");
    let (code, _, stderr) = rt.run_bundle(&b, &unique_id("notify-nopath"));
    assert_ne!(code, 0);
    assert!(stderr.contains("listenerPath"), "{stderr:?}");
}
