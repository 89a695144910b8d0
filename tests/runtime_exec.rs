//! `skiff runtime exec`, and terminals through `--console-socket` (the test
//! listens on a unix socket, receives the pty master by SCM_RIGHTS, types a
//! command and reads the output), rootless and as root.

mod common;

use common::Env;
use common::bundle::{Bundle, Mode, Runtime, unique_id};
use serde_json::json;
use std::ffi::OsStr;
use std::io::{Read, Write};
use std::os::fd::OwnedFd;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::UnixListener;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

common::bundle::both_modes!(
    exec_without_terminal,
    exec_with_terminal,
    init_with_terminal
);

/// A running `sleep` container.
fn start_sleeper(rt: &Runtime<'_>, b: &mut Bundle, prefix: &str) -> String {
    b.args(&["sleep", "1000"]);
    let id = unique_id(prefix);
    rt.create(b, &id);
    rt.ok(&["start", &id]);
    id
}

/// `exec --detach --pid-file` of a `sleep` in `id`; the pid from the file.
fn exec_detached_sleep(rt: &Runtime<'_>, b: &Bundle, id: &str, pid_file: &str) -> i64 {
    let pid_file = b.dir.join(pid_file);
    rt.ok(&[
        OsStr::new("exec"),
        OsStr::new("--detach"),
        OsStr::new("--pid-file"),
        pid_file.as_os_str(),
        OsStr::new(id),
        OsStr::new("sleep"),
        OsStr::new("999"),
    ]);
    std::fs::read_to_string(&pid_file)
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

fn exec_without_terminal(mode: Mode) {
    let env = Env::new();
    let rt = Runtime::new(&env, mode);
    let mut b = Bundle::busybox(&rt);
    b.spec["process"]["env"] = json!(["PATH=/bin", "FOO=spec", "KEEP=1"]);
    let id = start_sleeper(&rt, &mut b, "exec");

    let out = rt.ok(&[
        "exec",
        "-e",
        "FOO=flag",
        &id,
        "sh",
        "-c",
        "echo $FOO $KEEP; id -u; pwd",
    ]);
    assert_eq!(out, "flag 1\n0\n/\n");
    let out = rt.ok(&["exec", "--cwd", "/tmp", &id, "pwd"]);
    assert_eq!(out, "/tmp\n");

    let o = rt.run(&["exec", &id, "sh", "-c", "echo partial; exit 5"]);
    assert_eq!(
        common::exit_code(o.status),
        5,
        "{}",
        common::format_output(&o)
    );
    assert_eq!(String::from_utf8_lossy(&o.stdout), "partial\n");

    // Stdin is the exec's own.
    let o = rt.run_with_input(&["exec", &id, "cat"], Some(b"piped in"));
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        "piped in",
        "{}",
        common::format_output(&o)
    );

    // --process FILE replaces the spec's process entirely.
    let proc_file = b.dir.join("process.json");
    std::fs::write(
        &proc_file,
        serde_json::to_vec(&json!({
            "args": ["sh", "-c", "echo from-process $ONLY"],
            "env": ["PATH=/bin", "ONLY=here"],
            "cwd": "/",
            "user": {"uid": 0, "gid": 0}
        }))
        .unwrap(),
    )
    .unwrap();
    std::fs::set_permissions(&proc_file, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = rt.ok(&[
        OsStr::new("exec"),
        OsStr::new("--process"),
        proc_file.as_os_str(),
        OsStr::new(&id),
    ]);
    assert_eq!(out, "from-process here\n");

    if mode == Mode::Root {
        let out = rt.ok(&["exec", "-u", "1000:1001", "-g", "7", &id, "id"]);
        assert!(out.starts_with("uid=1000 gid=1001"), "{out}");
        assert!(out.contains("groups=") && out.contains('7'), "{out}");
    }

    // Detached: returns at once, writes the pid file; the process is the
    // container's.
    let pid = exec_detached_sleep(&rt, &b, &id, "exec.pid");
    // In the container's pid namespace (rootless on cgroup v1 has no cgroup
    // for `ps` to list, so compare namespaces).
    let init = rt.state(&id)["pid"].as_i64().unwrap();
    let ns = |p: i64| std::fs::read_link(format!("/proc/{p}/ns/pid")).unwrap();
    assert_eq!(
        ns(pid),
        ns(init),
        "exec'd process {pid} is not in the container"
    );
    if mode == Mode::Root {
        let pids: Vec<i64> =
            serde_json::from_str(&rt.ok(&["ps", "--format", "json", &id])).unwrap();
        assert!(pids.contains(&pid), "{pid} not in {pids:?}");
    }

    // Errors: no command; a stopped container.
    let (code, _) = rt.err(&["exec", &id]);
    assert_eq!(code, 1);
    rt.ok(&["kill", "--all", &id, "KILL"]);
    rt.wait_status(&id, "stopped");
    let (code, err) = rt.err(&["exec", &id, "true"]);
    assert_eq!(code, 1, "{err}");
    rt.ok(&["delete", &id]);

    // A created container, not started: its init is not dumpable yet. As
    // root, exec gets in, into the same namespaces, while the init waits
    // for `start`; rootless, its /proc files are closed to us (as with crun)
    // and exec says so.
    let mut b = Bundle::busybox(&rt);
    b.args(&["sleep", "1000"]);
    b.spec["hostname"] = json!("created-box");
    let id = unique_id("execcreated");
    rt.create(&b, &id);
    if mode == Mode::Rootless {
        let (code, err) = rt.err(&["exec", &id, "hostname"]);
        assert_eq!(code, 1);
        assert!(
            err.contains("created but not started") && err.contains("start it first"),
            "{err}"
        );
        assert_eq!(rt.state(&id)["status"], "created");
        rt.ok(&["delete", "--force", &id]);
        return;
    }
    let out = rt.ok(&["exec", &id, "hostname"]);
    assert_eq!(out, "created-box\n");
    let pid = exec_detached_sleep(&rt, &b, &id, "exec2.pid");
    assert_eq!(rt.state(&id)["status"], "created");
    // Once started the init has exec'd and its files are open to us.
    rt.ok(&["start", &id]);
    let init = rt.state(&id)["pid"].as_i64().unwrap();
    for n in ["pid", "mnt", "net", "user", "uts", "ipc"] {
        let ns = |p: i64| std::fs::read_link(format!("/proc/{p}/ns/{n}")).unwrap();
        assert_eq!(ns(pid), ns(init), "{n} namespace of the exec'd process");
    }
    rt.ok(&["kill", "--all", &id, "KILL"]);
    rt.wait_status(&id, "stopped");
    rt.ok(&["delete", "--force", &id]);
}

/// A console socket the runtime (possibly another user) can connect to, and
/// a thread that receives one pty master from it.
struct Console {
    path: PathBuf,
    master: mpsc::Receiver<Result<OwnedFd, String>>,
}

impl Console {
    fn new(dir: &Path) -> Console {
        let path = dir.join("console.sock");
        let listener = UnixListener::bind(&path).expect("bind console socket");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o777)).unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let r = skiff::runtime::tty::recv_console_master(&listener).map_err(|e| e.to_string());
            let _ = tx.send(r);
        });
        Console { path, master: rx }
    }

    fn master(&self) -> std::fs::File {
        let fd = self
            .master
            .recv_timeout(Duration::from_secs(60))
            .expect("no pty master within 60 s")
            .expect("receiving the pty master");
        std::fs::File::from(fd)
    }
}

/// Reads from a pty master until `needle` shows up, EOF/EIO, or 30 s.
fn read_until(master: std::fs::File, needle: &str) -> String {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut m = master;
        let mut buf = [0u8; 4096];
        loop {
            match m.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    if tx.send(buf[..n].to_vec()).is_err() {
                        break;
                    }
                }
            }
        }
    });
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut text = String::new();
    while !text.contains(needle) {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(chunk) => text.push_str(&String::from_utf8_lossy(&chunk)),
            Err(_) => break,
        }
    }
    text
}

fn exec_with_terminal(mode: Mode) {
    let env = Env::new();
    let rt = Runtime::new(&env, mode);
    let mut b = Bundle::busybox(&rt);
    let id = start_sleeper(&rt, &mut b, "exectty");
    let console = Console::new(&b.host_dir("console"));

    let child = rt
        .command(&[
            OsStr::new("exec"),
            OsStr::new("--tty"),
            OsStr::new("--console-socket"),
            console.path.as_os_str(),
            OsStr::new(&id),
            OsStr::new("sh"),
        ])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn exec");
    let master = console.master();
    let mut w = master.try_clone().unwrap();
    w.write_all(b"echo marker-$((6*7)); tty; exit 3\n").unwrap();
    let text = read_until(master, "/dev/pts/");
    assert!(text.contains("marker-42"), "{text:?}");
    assert!(text.contains("/dev/pts/"), "tty: {text:?}");
    let out = wait_child(child.wait_with_output_timeout());
    assert_eq!(
        common::exit_code(out.status),
        3,
        "{}",
        common::format_output(&out)
    );
    child_cleanup(&rt, &id);
}

fn init_with_terminal(mode: Mode) {
    let env = Env::new();
    let rt = Runtime::new(&env, mode);
    let mut b = Bundle::busybox(&rt);
    let console = Console::new(&b.host_dir("console"));
    b.spec["process"]["terminal"] = json!(true);
    b.spec["process"]["consoleSize"] = json!({"height": 33, "width": 101});
    b.shell("tty; stty size; echo init-$((40+2))");
    b.save();
    let id = unique_id("inittty");
    rt.ok(&[
        OsStr::new("create"),
        OsStr::new("--bundle"),
        b.dir.as_os_str(),
        OsStr::new("--console-socket"),
        console.path.as_os_str(),
        OsStr::new(&id),
    ]);
    let master = console.master();
    rt.ok(&["start", &id]);
    let text = read_until(master, "init-42");
    assert!(
        text.contains("init-42") && text.contains("/dev/pts/"),
        "{text:?}"
    );
    assert!(text.contains("33 101"), "console size: {text:?}");
    rt.wait_status(&id, "stopped");
    rt.ok(&["delete", &id]);
}

trait WaitTimeout {
    fn wait_with_output_timeout(self) -> Option<std::process::Output>;
}

impl WaitTimeout for std::process::Child {
    /// Waits up to 60 s; kills the child past that.
    fn wait_with_output_timeout(self) -> Option<std::process::Output> {
        let pid = self.id();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(self.wait_with_output());
        });
        match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(r) => r.ok(),
            Err(_) => {
                let _ = std::process::Command::new("kill")
                    .arg("-9")
                    .arg(pid.to_string())
                    .status();
                None
            }
        }
    }
}

fn wait_child(out: Option<std::process::Output>) -> std::process::Output {
    out.expect("exec did not finish within 60 s")
}

fn child_cleanup(rt: &Runtime<'_>, id: &str) {
    rt.ok(&["delete", "--force", id]);
    assert!(rt.try_state(id).is_none());
}
