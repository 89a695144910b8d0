//! A running container's processes as `top` lists them, read from /proc on
//! the host: every process in the PID namespace of the container's init,
//! with the pids, user names and times the container sees. Readable for
//! the user who owns the container's user namespace, and for root.
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Clock ticks per second of /proc's times (USER_HZ: 100 on the
/// architectures skiff builds for, whatever the kernel's HZ).
const USER_HZ: f64 = 100.0;

#[derive(Clone, Debug, PartialEq)]
pub struct Process {
    pub host_pid: i32,
    /// As seen in the container's PID namespace.
    pub pid: i32,
    /// Likewise; 0 when the parent is outside the namespace.
    pub ppid: i32,
    /// The effective uid in the container's user namespace.
    pub uid: u32,
    /// Its name in the container's /etc/passwd, else the number.
    pub user: String,
    pub tty: String,
    pub elapsed: Duration,
    pub cpu_time: Duration,
    pub command: String,
}

impl Process {
    /// CPU time over the process's lifetime, in percent (ps's %CPU).
    pub fn cpu_percent(&self) -> f64 {
        let e = self.elapsed.as_secs_f64();
        if e <= 0.0 {
            0.0
        } else {
            100.0 * self.cpu_time.as_secs_f64() / e
        }
    }
}

/// Every process in the PID namespace of host pid `init`, by pid.
pub fn in_pid_namespace_of(init: i32) -> std::io::Result<Vec<Process>> {
    let ns = std::fs::read_link(format!("/proc/{init}/ns/pid"))?;
    let uptime = std::fs::read_to_string("/proc/uptime")?;
    let uptime: f64 = uptime
        .split_whitespace()
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0.0);
    // Several containers can share a PID namespace (a pod's): user names
    // come from each process's own root, read once per mount namespace.
    let mut users: HashMap<PathBuf, Users> = HashMap::new();
    let mut out = Vec::new();
    for e in std::fs::read_dir("/proc")?.flatten() {
        let Ok(host_pid) = e.file_name().to_string_lossy().parse::<i32>() else {
            continue;
        };
        // Other users' processes cannot be looked into: not ours anyway.
        if std::fs::read_link(e.path().join("ns/pid")).ok().as_ref() != Some(&ns) {
            continue;
        }
        let mnt = std::fs::read_link(e.path().join("ns/mnt")).unwrap_or_default();
        let users = users.entry(mnt).or_insert_with(|| Users::of(&e.path()));
        if let Some(p) = read_process(&e.path(), host_pid, uptime, users) {
            out.push(p);
        }
    }
    // Parents as the namespace numbers them.
    let inside: HashMap<i32, i32> = out.iter().map(|p| (p.host_pid, p.pid)).collect();
    for p in &mut out {
        p.ppid = inside.get(&p.ppid).copied().unwrap_or(0);
    }
    out.sort_by_key(|p| p.pid);
    Ok(out)
}

/// A container's uid map (as the host reads it) and user database.
struct Users {
    uid_map: Vec<(u32, u32, u32)>,
    names: HashMap<u32, String>,
}

impl Users {
    /// Through `/proc/<pid>`: the process's user namespace and its root.
    fn of(proc_dir: &Path) -> Users {
        let read = |p: &str| std::fs::read_to_string(proc_dir.join(p)).unwrap_or_default();
        Users {
            uid_map: parse_id_map(&read("uid_map")),
            names: parse_passwd(&read("root/etc/passwd")),
        }
    }

    fn name(&self, uid: u32) -> String {
        match self.names.get(&uid) {
            Some(n) => n.clone(),
            // An image without /etc/passwd (a pod's infra) still has root.
            None if uid == 0 => "root".into(),
            None => uid.to_string(),
        }
    }
}

fn read_process(dir: &Path, host_pid: i32, uptime: f64, users: &Users) -> Option<Process> {
    let status = parse_status(&std::fs::read_to_string(dir.join("status")).ok()?)?;
    let stat = parse_stat(&std::fs::read_to_string(dir.join("stat")).ok()?)?;
    let cmdline = std::fs::read(dir.join("cmdline")).unwrap_or_default();
    let mut command = String::from_utf8_lossy(&cmdline)
        .trim_end_matches('\0')
        .replace('\0', " ");
    if command.is_empty() {
        command = format!("[{}]", stat.comm);
    }
    let uid = to_inside(&users.uid_map, status.euid).unwrap_or(status.euid);
    let started = stat.start_ticks as f64 / USER_HZ;
    Some(Process {
        host_pid,
        pid: status.ns_pid,
        // Translated by the caller.
        ppid: status.ppid,
        uid,
        user: users.name(uid),
        tty: tty_name(stat.tty_nr),
        elapsed: Duration::from_secs_f64((uptime - started).max(0.0)),
        cpu_time: Duration::from_secs_f64(stat.cpu_ticks as f64 / USER_HZ),
        command,
    })
}

#[derive(Debug, PartialEq)]
struct Status {
    /// The innermost namespace's pid (last of `NSpid`).
    ns_pid: i32,
    /// As the reader's namespace sees it.
    ppid: i32,
    euid: u32,
}

fn parse_status(text: &str) -> Option<Status> {
    let field = |name: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(name))
            .map(|v| v.split_whitespace().collect::<Vec<_>>())
    };
    let ns_pid = field("NSpid:")
        .or_else(|| field("Pid:"))?
        .last()?
        .parse()
        .ok()?;
    let ppid = field("PPid:")?.first()?.parse().ok()?;
    let euid = field("Uid:")?.get(1)?.parse().ok()?;
    Some(Status { ns_pid, ppid, euid })
}

#[derive(Debug, PartialEq)]
struct Stat {
    comm: String,
    tty_nr: u64,
    cpu_ticks: u64,
    start_ticks: u64,
}

fn parse_stat(text: &str) -> Option<Stat> {
    // pid (comm) state ...: comm may hold spaces and parentheses.
    let open = text.find('(')?;
    let close = text.rfind(')')?;
    let comm = text.get(open + 1..close)?.to_string();
    let f: Vec<&str> = text.get(close + 1..)?.split_whitespace().collect();
    // Fields after comm, from 0: state, ppid, pgrp, session, tty_nr (4),
    // ..., utime (11), stime (12), ..., starttime (19).
    let n = |i: usize| f.get(i).and_then(|s| s.parse::<u64>().ok());
    Some(Stat {
        comm,
        tty_nr: n(4)?,
        cpu_ticks: n(11)? + n(12)?,
        start_ticks: n(19)?,
    })
}

/// `/proc/<pid>/uid_map` as read from the host: (inside, outside, count).
fn parse_id_map(text: &str) -> Vec<(u32, u32, u32)> {
    text.lines()
        .filter_map(|l| {
            let mut f = l.split_whitespace().map(|x| x.parse::<u32>().ok());
            Some((f.next()??, f.next()??, f.next()??))
        })
        .collect()
}

fn to_inside(map: &[(u32, u32, u32)], outside: u32) -> Option<u32> {
    map.iter().find_map(|&(inside, out, count)| {
        (outside >= out && outside - out < count).then(|| inside + (outside - out))
    })
}

fn parse_passwd(text: &str) -> HashMap<u32, String> {
    let mut m = HashMap::new();
    for l in text.lines() {
        let f: Vec<&str> = l.split(':').collect();
        if let (Some(name), Some(Ok(uid))) = (f.first(), f.get(2).map(|u| u.parse::<u32>())) {
            m.entry(uid).or_insert_with(|| name.to_string());
        }
    }
    m
}

/// ps's TTY: `pts/N`, `ttyN`, or `?`.
fn tty_name(tty_nr: u64) -> String {
    let major = (tty_nr >> 8) & 0xfff;
    let minor = (tty_nr & 0xff) | ((tty_nr >> 12) & 0xfff00);
    match major {
        0 => "?".into(),
        136..=143 => format!("pts/{}", (major - 136) * 256 + minor),
        4 => format!("tty{minor}"),
        _ => "?".into(),
    }
}

/// A duration as Go prints one (`1h2m3.5s`, `450ms`, `0s`), which is how
/// Podman's top shows ELAPSED and TIME.
pub fn go_duration(d: Duration) -> String {
    let ms = d.as_millis();
    if ms == 0 {
        return "0s".into();
    }
    if ms < 1000 {
        return format!("{ms}ms");
    }
    let (h, m) = (ms / 3_600_000, (ms / 60_000) % 60);
    let s = (ms % 60_000) as f64 / 1000.0;
    let secs = format!("{s:.3}");
    let secs = secs.trim_end_matches('0').trim_end_matches('.');
    let mut out = String::new();
    if h > 0 {
        out.push_str(&format!("{h}h"));
    }
    if h > 0 || m > 0 {
        out.push_str(&format!("{m}m"));
    }
    out.push_str(secs);
    out.push('s');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_fields() {
        let t = "Name:\tsleep\nPid:\t4242\nPPid:\t4200\nUid:\t100000\t100033\t100000\t100000\nNSpid:\t4242\t7\n";
        assert_eq!(
            parse_status(t),
            Some(Status {
                ns_pid: 7,
                ppid: 4200,
                euid: 100033
            })
        );
        // No NSpid line (old kernels): Pid.
        let t = "Pid:\t9\nPPid:\t1\nUid:\t0\t0\t0\t0\n";
        assert_eq!(parse_status(t).unwrap().ns_pid, 9);
        assert_eq!(parse_status("Pid:\t9\n"), None);
    }

    #[test]
    fn stat_fields() {
        let t = "77 (my (odd) prog) S 1 77 77 34817 77 4194560 100 0 0 0 250 50 0 0 20 0 1 0 12345 1000 10 18446744073709551615";
        assert_eq!(
            parse_stat(t),
            Some(Stat {
                comm: "my (odd) prog".into(),
                tty_nr: 34817,
                cpu_ticks: 300,
                start_ticks: 12345
            })
        );
        assert_eq!(tty_name(34817), "pts/1");
        assert_eq!(tty_name(0), "?");
        assert_eq!(tty_name((4 << 8) | 2), "tty2");
    }

    #[test]
    fn uids_map_back_into_the_container() {
        let map =
            parse_id_map("         0       1000          1\n         1     100000      65536\n");
        assert_eq!(map, vec![(0, 1000, 1), (1, 100000, 65536)]);
        assert_eq!(to_inside(&map, 1000), Some(0));
        assert_eq!(to_inside(&map, 100000), Some(1));
        assert_eq!(to_inside(&map, 165535), Some(65536));
        assert_eq!(to_inside(&map, 165536), None);
        let users =
            parse_passwd("root:x:0:0::/root:/bin/sh\nbad\nnobody:x:65534:65534::/:/bin/false\n");
        assert_eq!(users.get(&0).map(String::as_str), Some("root"));
        assert_eq!(users.get(&65534).map(String::as_str), Some("nobody"));
        assert_eq!(users.len(), 2);
    }

    #[test]
    fn go_durations() {
        assert_eq!(go_duration(Duration::ZERO), "0s");
        assert_eq!(go_duration(Duration::from_millis(450)), "450ms");
        assert_eq!(go_duration(Duration::from_millis(3500)), "3.5s");
        assert_eq!(go_duration(Duration::from_secs(62)), "1m2s");
        assert_eq!(go_duration(Duration::from_secs(3600 + 5)), "1h0m5s");
    }

    #[test]
    fn lists_this_process_namespace() {
        // The test's own pid namespace holds at least this process, with
        // its real command line and uid.
        let me = std::process::id() as i32;
        let list = in_pid_namespace_of(me).unwrap();
        let p = list.iter().find(|p| p.host_pid == me).expect("self listed");
        assert!(p.command.contains("skiff"), "{}", p.command);
        assert_eq!(p.uid, rustix::process::geteuid().as_raw());
        assert!(p.elapsed > Duration::ZERO);
    }
}
