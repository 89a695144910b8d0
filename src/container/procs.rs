//! A running container's processes and what they use, for `top` and
//! `stats`. The container's cgroup answers when it has one (root, or a
//! delegated rootless subtree); a rootless container usually has none, and
//! then its processes are those in its init's pid namespace and their usage
//! is summed from /proc.
use std::collections::{HashMap, HashSet};
use std::os::unix::fs::MetadataExt;
use std::path::Path;

use super::monitor::runtime_for;
use super::record::Container;
use crate::config::Paths;

/// The host pids of a running container's processes, sorted.
pub fn processes(paths: &Paths, c: &Container) -> Vec<i32> {
    let from_cgroup = runtime_for(paths).ps(&c.id).unwrap_or_default();
    // Without a cgroup the runtime knows only the init.
    if from_cgroup.len() > 1 || c.state.pid <= 0 {
        return from_cgroup;
    }
    let found = in_pid_namespace_of(Path::new("/proc"), c.state.pid);
    if found.is_empty() { from_cgroup } else { found }
}

/// Every process in `init`'s pid namespace; when that is our own namespace
/// (`--pid host`), `init` and its descendants instead of the whole host.
fn in_pid_namespace_of(proc: &Path, init: i32) -> Vec<i32> {
    let ns = |pid: &str| {
        std::fs::metadata(proc.join(pid).join("ns/pid"))
            .ok()
            .map(|m| (m.dev(), m.ino()))
    };
    let Some(target) = ns(&init.to_string()) else {
        return Vec::new();
    };
    let Ok(rd) = std::fs::read_dir(proc) else {
        return Vec::new();
    };
    let pids: Vec<i32> = rd
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse().ok())
        .collect();
    let mut out = if ns("self") == Some(target) {
        descendants(proc, init, &pids)
    } else {
        pids.into_iter()
            .filter(|p| ns(&p.to_string()) == Some(target))
            .collect()
    };
    out.sort_unstable();
    out
}

/// `root` and every process below it, by the parent pids in /proc.
fn descendants(proc: &Path, root: i32, pids: &[i32]) -> Vec<i32> {
    let mut children: HashMap<i32, Vec<i32>> = HashMap::new();
    for &p in pids {
        if let Some(ppid) = read(proc, p, "stat").and_then(|s| stat_field(&s, 4)) {
            children.entry(ppid as i32).or_default().push(p);
        }
    }
    let mut out = vec![root];
    let mut seen = HashSet::from([root]);
    let mut i = 0;
    while i < out.len() {
        for &c in children.get(&out[i]).into_iter().flatten() {
            if seen.insert(c) {
                out.push(c);
            }
        }
        i += 1;
    }
    out
}

/// What a container uses at one instant. CPU time is cumulative: a rate
/// needs two samples.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Usage {
    /// CPU time used so far, in nanoseconds.
    pub cpu_ns: u64,
    /// Memory in use, in bytes (without page cache the kernel can drop).
    pub memory: u64,
    /// The container's memory limit, if it has one.
    pub memory_limit: Option<u64>,
    pub pids: u64,
    pub block_read: u64,
    pub block_written: u64,
    pub net_rx: u64,
    pub net_tx: u64,
    /// Whether the memory and CPU figures came from the container's cgroup.
    pub from_cgroup: bool,
}

/// The container's usage now: memory, CPU and pids from its cgroup when it
/// has one, else summed over `pids` from /proc; block I/O from /proc (the
/// kernel's per-task counters) and network from the init's view of
/// /proc/net/dev.
pub fn usage(paths: &Paths, c: &Container, pids: &[i32]) -> Usage {
    let proc = Path::new("/proc");
    let mut u = sum_proc(proc, pids);
    if let Ok(s) = runtime_for(paths).stats(&c.id)
        && let (Some(mem), Some(cpu)) = (s.memory.usage, s.cpu.usage_ns)
    {
        u.memory = mem.saturating_sub(s.memory.inactive_file.unwrap_or(0));
        u.memory_limit = s.memory.limit;
        u.cpu_ns = cpu;
        u.pids = s.pids.current.unwrap_or(u.pids);
        u.from_cgroup = true;
    }
    if c.state.pid > 0
        && let Some(text) = read(proc, c.state.pid, "net/dev")
    {
        (u.net_rx, u.net_tx) = net_dev(&text);
    }
    u
}

/// Sums /proc figures over `pids` (a process that exited meanwhile adds
/// nothing).
fn sum_proc(proc: &Path, pids: &[i32]) -> Usage {
    let tick_ns = 1_000_000_000 / rustix::param::clock_ticks_per_second().max(1);
    let mut u = Usage {
        pids: pids.len() as u64,
        ..Default::default()
    };
    for &p in pids {
        if let Some(stat) = read(proc, p, "stat") {
            // utime and stime: fields 14 and 15, in clock ticks.
            let ticks = stat_field(&stat, 14).unwrap_or(0) + stat_field(&stat, 15).unwrap_or(0);
            u.cpu_ns += ticks * tick_ns;
        }
        if let Some(status) = read(proc, p, "status") {
            u.memory += keyed(&status, "VmRSS:").unwrap_or(0) * 1024;
        }
        if let Some(io) = read(proc, p, "io") {
            u.block_read += keyed(&io, "read_bytes:").unwrap_or(0);
            u.block_written += keyed(&io, "write_bytes:").unwrap_or(0);
        }
    }
    u
}

fn read(proc: &Path, pid: i32, file: &str) -> Option<String> {
    std::fs::read_to_string(proc.join(pid.to_string()).join(file)).ok()
}

/// Field `n` (1-based, as proc(5) numbers them) of /proc/<pid>/stat as a
/// number. The command (field 2) may hold spaces and parentheses, so
/// counting starts after its last ')'.
fn stat_field(stat: &str, n: usize) -> Option<u64> {
    let rest = &stat[stat.rfind(')')? + 1..];
    rest.split_whitespace().nth(n.checked_sub(3)?)?.parse().ok()
}

/// The number after `key` in `key value [unit]` lines.
fn keyed(text: &str, key: &str) -> Option<u64> {
    text.lines()
        .find_map(|l| l.strip_prefix(key))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
}

/// Bytes received and sent on every interface but loopback.
fn net_dev(text: &str) -> (u64, u64) {
    text.lines()
        .skip(2)
        .filter_map(|l| l.split_once(':'))
        .filter(|(ifc, _)| ifc.trim() != "lo")
        .fold((0, 0), |(rx, tx), (_, v)| {
            let f: Vec<u64> = v
                .split_whitespace()
                .map(|x| x.parse().unwrap_or(0))
                .collect();
            (
                rx + f.first().copied().unwrap_or(0),
                tx + f.get(8).copied().unwrap_or(0),
            )
        })
}

/// The host's memory (MemTotal), the limit of a container without one.
pub fn mem_total() -> u64 {
    std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| keyed(&m, "MemTotal:"))
        .unwrap_or(0)
        * 1024
}

#[cfg(test)]
mod tests {
    use super::*;

    const STAT: &str = "42 (my (odd) prog) S 7 42 42 0 -1 4194560 100 0 0 0 \
                        25 5 0 0 20 0 1 0 12345 1000000 200 18446744073709551615";

    #[test]
    fn stat_fields_after_the_command() {
        assert_eq!(stat_field(STAT, 4), Some(7));
        assert_eq!(stat_field(STAT, 14), Some(25));
        assert_eq!(stat_field(STAT, 15), Some(5));
        assert_eq!(stat_field(STAT, 22), Some(12345));
        assert_eq!(stat_field(STAT, 2), None);
        assert_eq!(stat_field("garbage", 4), None);
    }

    #[test]
    fn net_dev_skips_loopback() {
        let text = "Inter-|   Receive                            |  Transmit\n \
face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets\n    \
lo:  500 5 0 0 0 0 0 0  500 5 0 0 0 0 0 0\n  \
tap0: 1000 10 0 0 0 0 0 0 2000 20 0 0 0 0 0 0\n  \
eth1: 1 1 0 0 0 0 0 0 2 1 0 0 0 0 0 0\n";
        assert_eq!(net_dev(text), (1001, 2002));
        assert_eq!(net_dev(""), (0, 0));
    }

    fn fake_proc(procs: &[(i32, i32, u64, u64, u64)]) -> tempfile::TempDir {
        let d = tempfile::tempdir().unwrap();
        for &(pid, ppid, ticks, rss_kb, read) in procs {
            let p = d.path().join(pid.to_string());
            std::fs::create_dir_all(&p).unwrap();
            std::fs::write(
                p.join("stat"),
                format!("{pid} (sh) S {ppid} 1 1 0 -1 0 0 0 0 0 {ticks} {ticks} 0 0 20 0 1 0 9"),
            )
            .unwrap();
            std::fs::write(
                p.join("status"),
                format!("Name:\tsh\nVmPeak:\t  9999 kB\nVmRSS:\t  {rss_kb} kB\n"),
            )
            .unwrap();
            std::fs::write(
                p.join("io"),
                format!("rchar: 77\nread_bytes: {read}\nwrite_bytes: 3\n"),
            )
            .unwrap();
        }
        d
    }

    #[test]
    fn sums_over_processes() {
        let d = fake_proc(&[(10, 1, 2, 100, 4096), (11, 10, 3, 50, 0)]);
        let u = sum_proc(d.path(), &[10, 11, 99]);
        let tick_ns = 1_000_000_000 / rustix::param::clock_ticks_per_second();
        assert_eq!(u.cpu_ns, 10 * tick_ns);
        assert_eq!(u.memory, 150 * 1024);
        assert_eq!((u.block_read, u.block_written), (4096, 6));
        assert_eq!(u.pids, 3);
        assert!(!u.from_cgroup);
    }

    #[test]
    fn descendants_follow_parent_pids() {
        let d = fake_proc(&[
            (10, 1, 0, 0, 0),
            (11, 10, 0, 0, 0),
            (12, 11, 0, 0, 0),
            (13, 1, 0, 0, 0),
        ]);
        let mut got = descendants(d.path(), 10, &[10, 11, 12, 13]);
        got.sort_unstable();
        assert_eq!(got, vec![10, 11, 12]);
    }

    #[test]
    fn own_namespace_members() {
        // Every process of this test is in our pid namespace: asking for our
        // own namespace gives our descendants, not the whole host.
        let me = std::process::id() as i32;
        let got = in_pid_namespace_of(Path::new("/proc"), me);
        assert!(got.contains(&me), "{got:?}");
        assert!(!got.contains(&1), "{got:?}");
        assert!(in_pid_namespace_of(Path::new("/proc"), i32::MAX).is_empty());
    }
}
