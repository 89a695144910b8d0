//! Rootless networking: slirp4netns by default, published ports, the host
//! reachable from containers, `none` and `host` modes, the /etc files, and
//! no leftover slirp4netns process, mount or bound port.

mod common;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::Duration;

use common::bundle::Mode;
use common::engine::{Engine, IMAGE, monitor_of, mounted_anywhere, pids_matching};

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn http_get(port: u16) -> Option<String> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    s.write_all(b"GET /index.html HTTP/1.0\r\nHost: x\r\n\r\n")
        .ok()?;
    let mut out = String::new();
    s.read_to_string(&mut out).ok()?;
    Some(out)
}

/// slirp4netns processes serving the container whose init is `pid`.
fn slirps_for(pid: &str) -> Vec<i32> {
    pids_matching("slirp4netns")
        .into_iter()
        .filter(|p| {
            std::fs::read(format!("/proc/{p}/cmdline"))
                .map(|c| String::from_utf8_lossy(&c).split('\0').any(|a| a == pid))
                .unwrap_or(false)
        })
        .collect()
}

#[test]
fn published_httpd_answers_from_the_host() {
    let e = Engine::new(Mode::Rootless);
    let port = free_port();
    let publish = format!("{port}:80");
    let id = e
        .ok(&[
            "run", "-d", "--name", "web", "-p", &publish, IMAGE, "sh", "-c",
            "mkdir -p /www && echo served-by-skiff > /www/index.html && exec httpd -f -p 80 -h /www",
        ])
        .trim()
        .to_string();
    assert!(
        e.wait_for(Duration::from_secs(10), || http_get(port)
            .is_some_and(|r| r.contains("served-by-skiff"))),
        "no answer on port {port}"
    );
    let ps = e.ok(&["ps", "--format", "{{.Ports}}"]);
    assert_eq!(ps.trim(), format!("0.0.0.0:{port}->80/tcp"));
    assert_eq!(
        e.ok(&["port", "web", "80"]).trim(),
        format!("0.0.0.0:{port}")
    );
    let init = e.inspect("web", "{{.State.Pid}}");
    assert_eq!(
        slirps_for(&init).len(),
        1,
        "one slirp4netns for the container"
    );

    // The same host port again: a clear error before anything starts.
    let (code, err) = e.err(&["run", "--rm", "-p", &publish, IMAGE, "true"]);
    assert_eq!(code, 125);
    assert!(
        err.contains(&port.to_string()) && err.contains("already in use"),
        "{err}"
    );
    assert_eq!(e.ok(&["ps", "-aq"]).lines().count(), 1);

    e.ok(&["rm", "-f", "web"]);
    assert!(
        e.wait_for(Duration::from_secs(5), || slirps_for(&init).is_empty()),
        "slirp4netns outlived rm"
    );
    assert!(!mounted_anywhere(&id));
    assert!(
        TcpListener::bind(("0.0.0.0", port)).is_ok(),
        "port {port} still bound"
    );
}

#[test]
fn container_reaches_the_host() {
    let e = Engine::new(Mode::Rootless);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = std::thread::spawn(move || {
        let mut got = Vec::new();
        for _ in 0..2 {
            let (mut s, _) = listener.accept().unwrap();
            let mut buf = String::new();
            s.read_to_string(&mut buf).unwrap();
            got.push(buf);
        }
        got
    });
    for host in ["10.0.2.2", "host.containers.internal"] {
        let script = format!("echo hello-from-{host} | nc -w 5 {host} {port}");
        e.ok(&["run", "--rm", IMAGE, "sh", "-c", &script]);
    }
    let got = server.join().unwrap();
    assert_eq!(got[0].trim(), "hello-from-10.0.2.2");
    assert_eq!(got[1].trim(), "hello-from-host.containers.internal");
    let hosts = e.ok(&[
        "run",
        "--rm",
        IMAGE,
        "cat",
        "/etc/hosts",
        "/etc/resolv.conf",
    ]);
    assert!(
        hosts.contains("10.0.2.2\thost.containers.internal host.docker.internal"),
        "{hosts}"
    );
    assert!(hosts.contains("nameserver 10.0.2.3"), "{hosts}");
}

#[test]
fn network_modes_and_files() {
    let e = Engine::new(Mode::Rootless);
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
    let ours: Vec<String> = std::fs::read_dir("/sys/class/net")
        .unwrap()
        .map(|d| d.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let theirs = e.ok(&[
        "run",
        "--rm",
        "--network",
        "host",
        IMAGE,
        "ls",
        "/sys/class/net",
    ]);
    for i in &ours {
        assert!(
            theirs.split_whitespace().any(|t| t == i),
            "{i} missing: {theirs}"
        );
    }
    let dflt = e.ok(&["run", "--rm", IMAGE, "ls", "/sys/class/net"]);
    assert_eq!(
        dflt.split_whitespace().collect::<Vec<_>>(),
        vec!["lo", "tap0"]
    );
    let files = e.ok(&[
        "run",
        "--rm",
        "--dns",
        "9.9.9.9",
        "--dns-search",
        "corp.example",
        "--add-host",
        "db:1.2.3.4",
        "--add-host",
        "gw:host-gateway",
        "-h",
        "box",
        IMAGE,
        "cat",
        "/etc/resolv.conf",
        "/etc/hosts",
        "/etc/hostname",
    ]);
    for want in [
        "nameserver 9.9.9.9",
        "search corp.example",
        "1.2.3.4\tdb",
        "10.0.2.2\tgw",
        "box",
    ] {
        assert!(files.contains(want), "{want:?} missing: {files}");
    }
    let (code, err) = e.err(&[
        "run",
        "--rm",
        "--mac-address",
        "02:00:00:00:00:01",
        IMAGE,
        "true",
    ]);
    assert_eq!(code, 125);
    assert!(err.contains("--mac-address"), "{err}");
    let (code, err) = e.err(&[
        "run",
        "--rm",
        "--network",
        "none",
        "-p",
        "8080:80",
        IMAGE,
        "true",
    ]);
    assert_eq!(code, 125);
    assert!(err.contains("publish"), "{err}");
}

#[test]
fn no_slirp_leak_after_killed_monitor_or_failed_start() {
    let e = Engine::new(Mode::Rootless);
    let id = e
        .ok(&["run", "-d", IMAGE, "sleep", "1000"])
        .trim()
        .to_string();
    let init = e.inspect(&id, "{{.State.Pid}}");
    assert_eq!(slirps_for(&init).len(), 1);
    let monitor = monitor_of(&id);
    let _ = std::process::Command::new("kill")
        .args(["-9", &monitor.to_string()])
        .status();
    // slirp4netns watches the monitor's exit pipe: it ends by itself.
    assert!(
        e.wait_for(Duration::from_secs(5), || slirps_for(&init).is_empty()),
        "slirp4netns outlived its killed monitor"
    );
    e.ok(&["rm", &id]);
    assert!(!mounted_anywhere(&id));
    // A start that fails leaves none behind either.
    let before = pids_matching("slirp4netns").len();
    let (code, _) = e.err(&["run", "--rm", IMAGE, "no-such-program"]);
    assert_eq!(code, 127);
    assert!(e.wait_for(
        Duration::from_secs(5),
        || pids_matching("slirp4netns").len() <= before
    ));
}

#[test]
fn pasta_publishes_too() {
    let e = Engine::new(Mode::Rootless);
    let port = free_port();
    e.ok(&[
        "run",
        "-d",
        "--name",
        "pw",
        "--network",
        "pasta",
        "-p",
        &format!("{port}:80"),
        IMAGE,
        "sh",
        "-c",
        "mkdir -p /www && echo via-pasta > /www/index.html && exec httpd -f -p 80 -h /www",
    ]);
    assert!(
        e.wait_for(Duration::from_secs(10), || http_get(port)
            .is_some_and(|r| r.contains("via-pasta"))),
        "no answer through pasta on port {port}"
    );
    e.ok(&["rm", "-f", "pw"]);
    assert!(
        e.wait_for(Duration::from_secs(5), || TcpListener::bind((
            "0.0.0.0", port
        ))
        .is_ok()),
        "pasta kept port {port}"
    );
}

/// A UDP echo (upper-cased) on 9000 and a TCP server on 9001 that answers
/// with the address it sees the client at: the host's python3, run in the
/// busybox image with the host's /usr bound in.
const PY_SERVER: &str = r#"
import select, socket
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("0.0.0.0", 9000))
t = socket.socket(); t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
t.bind(("0.0.0.0", 9001)); t.listen()
while True:
    r, _, _ = select.select([u, t], [], [])
    if u in r:
        d, a = u.recvfrom(2000); u.sendto(d.upper(), a)
    if t in r:
        c, a = t.accept(); c.sendall(a[0].encode()); c.close()
"#;

fn udp_echo(port: u16, msg: &[u8]) -> Option<Vec<u8>> {
    let s = std::net::UdpSocket::bind("127.0.0.1:0").ok()?;
    s.set_read_timeout(Some(Duration::from_millis(500))).ok()?;
    s.send_to(msg, ("127.0.0.1", port)).ok()?;
    let mut buf = [0u8; 2000];
    let n = s.recv(&mut buf).ok()?;
    Some(buf[..n].to_vec())
}

fn tcp_answer(port: u16) -> Option<String> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    let mut out = String::new();
    s.read_to_string(&mut out).ok()?;
    (!out.is_empty()).then_some(out)
}

#[test]
fn both_port_handlers_carry_tcp_and_udp() {
    let e = Engine::new(Mode::Rootless);
    // The built-in forwarder (the default) connects from the container's
    // own address; slirp4netns's add_hostfwd from its gateway.
    for (network, peer) in [
        (None, "10.0.2.100"),
        (Some("slirp4netns:port_handler=slirp4netns"), "10.0.2.2"),
    ] {
        let (udp, tcp) = (free_port(), free_port());
        let (pu, pt) = (format!("{udp}:9000/udp"), format!("{tcp}:9001"));
        let mut args = vec!["run", "-d", "-p", &pu, "-p", &pt];
        if let Some(n) = network {
            args.extend(["--network", n]);
        }
        args.extend([
            "-v",
            "/usr:/usr:ro",
            "-v",
            "/usr/lib:/lib:ro",
            "-v",
            "/usr/lib64:/lib64:ro",
            IMAGE,
            "/usr/bin/python3",
            "-c",
            PY_SERVER,
        ]);
        let id = e.ok(&args).trim().to_string();
        let mut answer = None;
        assert!(
            e.wait_for(Duration::from_secs(10), || {
                answer = tcp_answer(tcp);
                answer.is_some()
            }),
            "no TCP answer on {tcp} ({network:?}): {}",
            e.ok(&["logs", &id])
        );
        assert_eq!(answer.unwrap(), peer, "{network:?}");
        let mut echo = None;
        assert!(
            e.wait_for(Duration::from_secs(5), || {
                echo = udp_echo(udp, b"ping");
                echo.is_some()
            }),
            "no UDP echo on {udp} ({network:?})"
        );
        assert_eq!(echo.unwrap(), b"PING");
        e.ok(&["rm", "-f", &id]);
        assert!(
            TcpListener::bind(("0.0.0.0", tcp)).is_ok()
                && std::net::UdpSocket::bind(("0.0.0.0", udp)).is_ok(),
            "ports {tcp}/{udp} still bound after rm ({network:?})"
        );
    }
}

/// Data goes through the forwarder intact both ways, and a client that
/// stops sending (half-close) still gets the answer.
#[test]
fn forwarder_keeps_data_and_half_close() {
    let e = Engine::new(Mode::Rootless);
    let port = free_port();
    let id = e
        .ok(&[
            "run",
            "-d",
            "-p",
            &format!("{port}:5000"),
            IMAGE,
            "nc",
            "-ll",
            "-p",
            "5000",
            "-e",
            "md5sum",
        ])
        .trim()
        .to_string();
    // 24 MiB of a pattern that is not all one byte.
    let data: Vec<u8> = (0..24u32 << 20).map(|i| (i * 7 % 251) as u8).collect();
    let expect = {
        let mut c = std::process::Command::new("md5sum")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        c.stdin.take().unwrap().write_all(&data).unwrap();
        let out = c.wait_with_output().unwrap();
        String::from_utf8(out.stdout).unwrap()[..32].to_string()
    };
    let send = || -> Option<String> {
        let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
        s.set_read_timeout(Some(Duration::from_secs(20))).ok()?;
        s.write_all(&data).ok()?;
        s.shutdown(std::net::Shutdown::Write).ok()?;
        let mut out = String::new();
        s.read_to_string(&mut out).ok()?;
        Some(out)
    };
    let mut got = None;
    assert!(
        e.wait_for(Duration::from_secs(10), || {
            got = send().filter(|o| !o.is_empty());
            got.is_some()
        }),
        "no answer through port {port}"
    );
    assert!(got.unwrap().starts_with(&expect));
    // Several clients at once, each with its own answer.
    let clients: Vec<_> = std::thread::scope(|s| {
        let running: Vec<_> = (0..4).map(|_| s.spawn(send)).collect();
        running.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for c in clients {
        assert!(c.is_some_and(|o| o.starts_with(&expect)));
    }
    e.ok(&["rm", "-f", &id]);
}
