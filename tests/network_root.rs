//! Root's default network, the CNI bridge: an address in 10.89.0.0/24 on
//! eth0, containers reaching each other, a published port answering on the
//! host's loopback and own address, and nothing left after `rm` (lease,
//! veth, iptables rules), even when the monitor was killed. Only as root;
//! the tests run one at a time, since every store shares the bridge and
//! each store hands out addresses from its own leases.

mod common;

use std::io::{Read, Write};
use std::net::{IpAddr, Ipv4Addr, TcpListener, TcpStream};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use common::bundle::Mode;
use common::engine::{Engine, IMAGE, monitor_of};

static SERIAL: Mutex<()> = Mutex::new(());

fn root_engine() -> Option<(MutexGuard<'static, ()>, Engine)> {
    if !common::is_root() {
        eprintln!("skipped: the CNI bridge is for root");
        return None;
    }
    let guard = SERIAL.lock().unwrap_or_else(|p| p.into_inner());
    Some((guard, Engine::new(Mode::Root)))
}

fn free_port() -> u16 {
    TcpListener::bind("0.0.0.0:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn http_get(ip: IpAddr, port: u16) -> Option<String> {
    let mut s = TcpStream::connect_timeout(&(ip, port).into(), Duration::from_secs(2)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    s.write_all(b"GET /index.html HTTP/1.0\r\nHost: x\r\n\r\n")
        .ok()?;
    let mut out = String::new();
    s.read_to_string(&mut out).ok()?;
    Some(out)
}

fn sh(cmd: &str) -> String {
    let out = std::process::Command::new("sh")
        .args(["-c", cmd])
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The host's own global IPv4 address (not the bridge's).
fn host_address() -> Option<Ipv4Addr> {
    sh("ip -4 -o addr show scope global")
        .lines()
        .filter_map(|l| {
            let cidr = l.split_whitespace().skip_while(|w| *w != "inet").nth(1)?;
            cidr.split('/').next()?.parse::<Ipv4Addr>().ok()
        })
        .find(|a| !(a.octets()[0] == 10 && a.octets()[1] == 89))
}

/// The addresses host-local has leased from this store.
fn leases(e: &Engine) -> Vec<String> {
    std::fs::read_dir(e.data_dir().join("cni/networks/skiff"))
        .map(|d| {
            d.flatten()
                .map(|f| f.file_name().to_string_lossy().into_owned())
                .filter(|n| n.parse::<IpAddr>().is_ok())
                .collect()
        })
        .unwrap_or_default()
}

fn iptables_lines_with(id: &str) -> Vec<String> {
    sh("iptables-save 2>/dev/null")
        .lines()
        .filter(|l| l.contains(id))
        .map(str::to_string)
        .collect()
}

/// Whether the host has a link with this index (the container's veth peer).
fn host_link(index: &str) -> bool {
    sh("ip -o link")
        .lines()
        .any(|l| l.starts_with(&format!("{index}: ")))
}

/// What a running container has on the bridge: (address, host veth index).
fn on_bridge(e: &Engine, name: &str) -> (Ipv4Addr, String) {
    let ip: Ipv4Addr = e
        .inspect(name, "{{.NetworkSettings.IPAddress}}")
        .parse()
        .expect("an IPv4 address in inspect");
    assert_eq!(&ip.octets()[..3], &[10, 89, 0], "{ip} not in 10.89.0.0/24");
    let index = e
        .ok(&["exec", name, "cat", "/sys/class/net/eth0/iflink"])
        .trim()
        .to_string();
    assert!(host_link(&index), "no host veth with index {index}");
    (ip, index)
}

fn assert_released(e: &Engine, id: &str, ip: Ipv4Addr, veth: &str) {
    assert!(
        !leases(e).contains(&ip.to_string()),
        "{ip} still leased: {:?}",
        leases(e)
    );
    assert!(!host_link(veth), "veth {veth} still there");
    let rules = iptables_lines_with(id);
    assert!(rules.is_empty(), "iptables rules left: {rules:#?}");
}

#[test]
fn bridge_addresses_reach_and_published_ports() {
    let Some((_serial, e)) = root_engine() else {
        return;
    };
    let port = free_port();
    let publish = format!("{port}:80");
    let id = e
        .ok(&[
            "run", "-d", "--name", "web", "--hostname", "webhost", "-p", &publish, IMAGE, "sh",
            "-c",
            "mkdir -p /www && echo served-by-skiff > /www/index.html && exec httpd -f -p 80 -h /www",
        ])
        .trim()
        .to_string();
    let (ip, veth) = on_bridge(&e, "web");
    assert_eq!(
        e.inspect("web", "{{.NetworkSettings.Gateway}}"),
        "10.89.0.1"
    );
    let mac = e.inspect("web", "{{.NetworkSettings.MacAddress}}");
    assert_eq!(mac.len(), 17, "{mac}");
    assert_eq!(
        e.inspect("web", "{{.NetworkSettings.Networks.skiff.IPAddress}}"),
        ip.to_string()
    );
    let inside = e.ok(&["exec", "web", "ip", "-4", "-o", "addr", "show", "eth0"]);
    assert!(inside.contains(&format!("inet {ip}/24")), "{inside}");
    let hosts = e.ok(&["exec", "web", "cat", "/etc/hosts"]);
    assert!(hosts.contains(&format!("{ip}\twebhost web")), "{hosts}");
    assert!(
        hosts.contains("10.89.0.1\thost.containers.internal"),
        "{hosts}"
    );
    assert!(leases(&e).contains(&ip.to_string()));
    assert!(!iptables_lines_with(&id).is_empty(), "no masquerading rule");

    // Another container reaches it by address.
    let url = format!("http://{ip}/index.html");
    let got = e.ok(&["run", "--rm", IMAGE, "wget", "-q", "-O", "-", &url]);
    assert_eq!(got, "served-by-skiff\n");

    // The published port, from the host: loopback and its own address.
    let mut targets = vec![IpAddr::V4(Ipv4Addr::LOCALHOST)];
    targets.extend(host_address().map(IpAddr::V4));
    for t in targets {
        assert!(
            e.wait_for(Duration::from_secs(10), || http_get(t, port)
                .is_some_and(|r| r.contains("served-by-skiff"))),
            "no answer on {t}:{port}"
        );
    }
    // The host port is held: another container cannot take it.
    let (code, err) = e.err(&["run", "--rm", "-p", &publish, IMAGE, "true"]);
    assert_eq!(code, 125);
    assert!(err.contains("already in use"), "{err}");

    // --ip picks the address.
    let got = e.ok(&[
        "run",
        "--rm",
        "--ip",
        "10.89.0.200",
        IMAGE,
        "ip",
        "-4",
        "-o",
        "addr",
        "show",
        "eth0",
    ]);
    assert!(got.contains("inet 10.89.0.200/24"), "{got}");

    e.ok(&["rm", "-f", "web"]);
    assert_released(&e, &id, ip, &veth);
    // The monitor of a --rm container releases its address after the
    // exit code is out.
    assert!(
        e.wait_for(Duration::from_secs(5), || !leases(&e)
            .contains(&"10.89.0.200".to_string())),
        "--rm did not release its address"
    );
    assert!(
        TcpListener::bind(("0.0.0.0", port)).is_ok(),
        "port {port} still held"
    );
}

fn kill9_and_wait(e: &Engine, pid: i32) {
    let _ = std::process::Command::new("kill")
        .args(["-9", &pid.to_string()])
        .status();
    assert!(
        e.wait_for(Duration::from_secs(5), || {
            std::fs::metadata(format!("/proc/{pid}")).is_err()
        }),
        "{pid} survived kill -9"
    );
}

/// `rm` after `kill -9` of the monitor, with the container still running
/// (its namespace is there for DEL) and with it dead too (DEL without a
/// namespace; the rules are found by the container ID).
#[test]
fn rm_after_a_killed_monitor_releases_the_network() {
    let Some((_serial, e)) = root_engine() else {
        return;
    };
    let mut victims = Vec::new();
    for also_the_container in [false, true] {
        let publish = format!("{}:80", free_port());
        let id = e
            .ok(&["run", "-d", "-p", &publish, IMAGE, "sleep", "1000"])
            .trim()
            .to_string();
        let (ip, veth) = on_bridge(&e, &id);
        let init: i32 = e.inspect(&id, "{{.State.Pid}}").parse().unwrap();
        kill9_and_wait(&e, monitor_of(&id));
        if also_the_container {
            kill9_and_wait(&e, init);
        }
        // Nothing released it yet.
        assert!(leases(&e).contains(&ip.to_string()));
        assert!(!iptables_lines_with(&id).is_empty());
        victims.push((id, ip, veth));
    }
    for (id, ip, veth) in victims {
        e.ok(&["rm", "-f", &id]);
        assert_released(&e, &id, ip, &veth);
    }
}

/// A restart gets a new namespace and a new attachment, on the same
/// published port, and leaves nothing of the previous run's.
#[test]
fn restarts_reattach() {
    let Some((_serial, e)) = root_engine() else {
        return;
    };
    let publish = format!("{}:80", free_port());
    let id = e
        .ok(&[
            "run",
            "-d",
            "--restart",
            "on-failure:2",
            "-p",
            &publish,
            IMAGE,
            "sh",
            "-c",
            "ip -4 -o addr show eth0; exit 3",
        ])
        .trim()
        .to_string();
    assert!(
        e.wait_for(Duration::from_secs(15), || {
            e.inspect(&id, "{{.State.Status}} {{.RestartCount}}") == "exited 2"
        }),
        "{}",
        e.inspect(&id, "{{.State.Status}} {{.RestartCount}} {{.State.Error}}")
    );
    let logs = e.ok(&["logs", &id]);
    assert_eq!(logs.matches("inet 10.89.0.").count(), 3, "{logs}");
    e.ok(&["rm", &id]);
    assert!(leases(&e).is_empty(), "{:?}", leases(&e));
    assert!(iptables_lines_with(&id).is_empty());
}
