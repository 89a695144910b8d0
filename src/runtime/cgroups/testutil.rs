//! Fake cgroupfs trees in temp dirs: the files a kernel would show, so the
//! writers can be checked byte for byte. Regular files stand in for cgroup
//! files, so each keeps only its last write.
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::Host;

pub(crate) struct Fake {
    _tmp: tempfile::TempDir,
    pub root: PathBuf,
}

impl Fake {
    pub fn new() -> Fake {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("cgroup");
        fs::create_dir(&root).unwrap();
        Fake { _tmp: tmp, root }
    }

    pub fn host(&self, mountinfo: String, self_cgroup: &str) -> Host {
        Host {
            root: self.root.clone(),
            mountinfo,
            self_cgroup: self_cgroup.to_string(),
            euid: owner(&self.root),
            settle_timeout: Duration::from_millis(50),
        }
    }
}

pub(crate) fn owner(p: &Path) -> u32 {
    use std::os::unix::fs::MetadataExt;
    fs::metadata(p).unwrap().uid()
}

pub(crate) fn read(p: impl AsRef<Path>) -> String {
    fs::read_to_string(p.as_ref()).unwrap_or_else(|e| panic!("{}: {e}", p.as_ref().display()))
}

fn put(dir: &Path, files: &[(&str, &str)]) {
    fs::create_dir_all(dir).unwrap();
    for (f, v) in files {
        fs::write(dir.join(f), v).unwrap();
    }
}

pub(crate) fn v2_mountinfo(root: &Path) -> String {
    format!(
        "24 1 0:22 / /sys rw - sysfs sysfs rw\n28 24 0:25 / {} rw,nosuid shared:4 - cgroup2 cgroup2 rw,nsdelegate\n",
        root.display()
    )
}

/// A v2 cgroup directory offering `controllers` (as the parent enabled
/// them), with their interface files.
pub(crate) fn v2_dir(dir: &Path, controllers: &[&str]) {
    put(
        dir,
        &[
            ("cgroup.controllers", &controllers.join(" ")),
            ("cgroup.subtree_control", ""),
            ("cgroup.procs", ""),
            ("cgroup.freeze", "0"),
            ("cgroup.events", "populated 0\nfrozen 0\n"),
        ],
    );
    for c in controllers {
        let files: &[(&str, &str)] = match *c {
            "memory" => &[
                ("memory.max", "max"),
                ("memory.low", "0"),
                ("memory.swap.max", "max"),
                ("memory.current", "4096"),
                ("memory.peak", "8192"),
                ("memory.stat", "anon 2048\ninactive_file 1024\n"),
            ],
            "cpu" => &[
                ("cpu.weight", "100"),
                ("cpu.max", "max 100000"),
                ("cpu.max.burst", "0"),
                ("cpu.idle", "0"),
                ("cpu.stat", "usage_usec 7\nuser_usec 4\nsystem_usec 3\n"),
            ],
            "cpuset" => &[("cpuset.cpus", ""), ("cpuset.mems", "")],
            "pids" => &[("pids.max", "max"), ("pids.current", "2")],
            "io" => &[("io.weight", "default 100"), ("io.max", "")],
            "hugetlb" => &[("hugetlb.2MB.max", "max")],
            _ => &[],
        };
        put(dir, files);
    }
}

/// v1 hierarchies as mounted on this machine (plus the empty cgroup2 at
/// /unified when `hybrid`).
pub(crate) const V1_HIERARCHIES: &[&str] = &[
    "cpu",
    "cpuacct",
    "cpuset",
    "memory",
    "devices",
    "freezer",
    "blkio",
    "pids",
    "name=systemd",
];

fn mount_name(h: &str) -> &str {
    h.strip_prefix("name=").unwrap_or(h)
}

pub(crate) fn v1_mountinfo(root: &Path, hierarchies: &[&str], hybrid: bool) -> String {
    let mut s = format!(
        "31 23 0:28 / {} rw,relatime - tmpfs tmpfs rw,mode=755\n",
        root.display()
    );
    for (i, h) in hierarchies.iter().enumerate() {
        s += &format!(
            "{} 31 0:{} / {}/{} rw,relatime - cgroup cgroup rw,{h}\n",
            32 + i,
            29 + i,
            root.display(),
            mount_name(h)
        );
    }
    if hybrid {
        s += &format!(
            "50 31 0:50 / {}/unified rw,relatime - cgroup2 cgroup2 rw\n",
            root.display()
        );
    }
    s
}

/// A v1 cgroup directory of hierarchy `h` with its interface files; the
/// hierarchy root gets cpuset values, children start empty like the kernel's.
pub(crate) fn v1_dir(root: &Path, h: &str, rel: &str) {
    let dir = root.join(mount_name(h)).join(rel.trim_start_matches('/'));
    put(&dir, &[("cgroup.procs", ""), ("tasks", "")]);
    let top = rel.trim_matches('/').is_empty();
    let files: &[(&str, &str)] = match h {
        "cpu" => &[
            ("cpu.shares", "1024"),
            ("cpu.cfs_period_us", "100000"),
            ("cpu.cfs_quota_us", "-1"),
            ("cpu.cfs_burst_us", "0"),
            ("cpu.rt_period_us", "1000000"),
            ("cpu.rt_runtime_us", "0"),
            ("cpu.idle", "0"),
        ],
        "cpuacct" => &[
            ("cpuacct.usage", "900"),
            ("cpuacct.usage_user", "600"),
            ("cpuacct.usage_sys", "300"),
        ],
        "cpuset" if top => &[("cpuset.cpus", "0-3\n"), ("cpuset.mems", "0\n")],
        "cpuset" => &[("cpuset.cpus", "\n"), ("cpuset.mems", "\n")],
        "memory" => &[
            ("memory.limit_in_bytes", "9223372036854771712"),
            ("memory.memsw.limit_in_bytes", "9223372036854771712"),
            ("memory.soft_limit_in_bytes", "9223372036854771712"),
            ("memory.swappiness", "60"),
            ("memory.oom_control", "oom_kill_disable 0"),
            ("memory.kmem.tcp.limit_in_bytes", "9223372036854771712"),
            ("memory.usage_in_bytes", "12288"),
            ("memory.max_usage_in_bytes", "16384"),
            ("memory.stat", "inactive_file 1\ntotal_inactive_file 4096\n"),
        ],
        "devices" => &[
            ("devices.allow", ""),
            ("devices.deny", ""),
            ("devices.list", "a *:* rwm"),
        ],
        "freezer" => &[("freezer.state", "THAWED")],
        "blkio" => &[
            ("blkio.bfq.weight", "100"),
            ("blkio.throttle.read_bps_device", ""),
        ],
        "pids" => &[("pids.max", "max"), ("pids.current", "1")],
        _ => &[],
    };
    put(&dir, files);
}

/// A fake v1 tree with each hierarchy's root and the directories `rels`.
pub(crate) fn v1_tree(root: &Path, rels: &[&str]) {
    for h in V1_HIERARCHIES {
        v1_dir(root, h, "/");
        for rel in rels {
            v1_dir(root, h, rel);
        }
    }
}

/// What the kernel does on rmdir of a cgroup: its interface files vanish
/// with it. Removing them lets the plain rmdir of `destroy` succeed.
pub(crate) fn drop_files(dir: &Path) {
    for e in fs::read_dir(dir).unwrap().flatten() {
        if e.file_type().unwrap().is_dir() {
            drop_files(&e.path());
        } else {
            fs::remove_file(e.path()).unwrap();
        }
    }
}
