//! Reading /proc/self/mountinfo and /proc/self/cgroup: which cgroup
//! filesystems are mounted under the root, and where this process lives.
use std::path::{Path, PathBuf};

use super::CgroupMode;

/// One cgroup filesystem mount under the root.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct CgroupMount {
    pub mount_point: PathBuf,
    /// The cgroup the mount shows at its mount point ("/" unless a sub-tree
    /// was bind-mounted).
    pub mount_root: String,
    /// v1 controllers of this hierarchy ("name=systemd" included); empty for
    /// cgroup2.
    pub controllers: Vec<String>,
    pub v2: bool,
}

impl CgroupMount {
    /// The directory of `cgroup` (a path in the hierarchy's coordinates).
    pub fn dir_for(&self, cgroup: &str) -> PathBuf {
        let rel = strip_root(cgroup, &self.mount_root);
        let rel = rel.trim_start_matches('/');
        if rel.is_empty() {
            self.mount_point.clone()
        } else {
            self.mount_point.join(rel)
        }
    }
}

/// `cgroup` relative to the mount's root; a path outside that sub-tree (the
/// mount hides it) is taken as already relative to the mount point.
fn strip_root<'a>(cgroup: &'a str, root: &str) -> &'a str {
    let root = root.trim_end_matches('/');
    if root.is_empty() {
        return cgroup;
    }
    match cgroup.strip_prefix(root) {
        Some(rest) if rest.is_empty() || rest.starts_with('/') => rest,
        _ => cgroup,
    }
}

/// Kernel-known v1 controllers; other super options (nsdelegate, xattr,
/// release_agent=...) are not controllers.
const V1_CONTROLLERS: &[&str] = &[
    "cpu",
    "cpuacct",
    "cpuset",
    "memory",
    "devices",
    "freezer",
    "net_cls",
    "net_prio",
    "blkio",
    "perf_event",
    "hugetlb",
    "pids",
    "rdma",
    "misc",
];

/// Undoes mountinfo's octal escapes (`\040` for a space, ...).
fn unescape(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\'
            && i + 4 <= b.len()
            && let Some(v) = std::str::from_utf8(&b[i + 1..i + 4])
                .ok()
                .and_then(|o| u8::from_str_radix(o, 8).ok())
        {
            out.push(v);
            i += 4;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The cgroup mounts whose mount point is `root` or below it. A later mount on
/// the same point hides an earlier one, so only the last is kept.
pub(crate) fn cgroup_mounts(root: &Path, mountinfo: &str) -> Vec<CgroupMount> {
    let mut out: Vec<CgroupMount> = Vec::new();
    for line in mountinfo.lines() {
        let Some((pre, post)) = line.split_once(" - ") else {
            continue;
        };
        let pre: Vec<&str> = pre.split(' ').collect();
        let post: Vec<&str> = post.split(' ').collect();
        if pre.len() < 5 || post.len() < 3 {
            continue;
        }
        let fstype = post[0];
        if fstype != "cgroup" && fstype != "cgroup2" {
            continue;
        }
        let mount_point = PathBuf::from(unescape(pre[4]));
        if !mount_point.starts_with(root) {
            continue;
        }
        let v2 = fstype == "cgroup2";
        let controllers = if v2 {
            Vec::new()
        } else {
            post[2]
                .split(',')
                .filter(|o| V1_CONTROLLERS.contains(o) || o.starts_with("name="))
                .map(str::to_string)
                .collect()
        };
        out.retain(|m| m.mount_point != mount_point);
        out.push(CgroupMount {
            mount_point,
            mount_root: unescape(pre[3]),
            controllers,
            v2,
        });
    }
    out
}

/// The cgroup layout under `root` according to `mountinfo`.
pub fn detect_mode(root: &Path, mountinfo: &str) -> CgroupMode {
    let mounts = cgroup_mounts(root, mountinfo);
    if mounts.iter().any(|m| m.v2 && m.mount_point == root) {
        return CgroupMode::V2;
    }
    let v1 = mounts.iter().any(|m| !m.v2 && !m.controllers.is_empty());
    let v2_below = mounts.iter().any(|m| m.v2);
    match (v1, v2_below) {
        (true, true) => CgroupMode::Hybrid,
        (true, false) => CgroupMode::V1,
        _ => CgroupMode::None,
    }
}

/// This process's cgroups from /proc/self/cgroup.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct SelfCgroup {
    /// The "0::" line.
    pub unified: Option<String>,
    /// (controllers, path) for each v1 hierarchy line.
    pub v1: Vec<(Vec<String>, String)>,
}

impl SelfCgroup {
    /// Our cgroup in the v1 hierarchy holding any of `controllers`.
    pub fn v1_path(&self, controllers: &[String]) -> Option<&str> {
        self.v1
            .iter()
            .find(|(c, _)| c.iter().any(|x| controllers.contains(x)))
            .map(|(_, p)| p.as_str())
    }
}

pub(crate) fn parse_self_cgroup(text: &str) -> SelfCgroup {
    let mut out = SelfCgroup::default();
    for line in text.lines() {
        let mut parts = line.splitn(3, ':');
        let (Some(_id), Some(ctrl), Some(path)) = (parts.next(), parts.next(), parts.next()) else {
            continue;
        };
        if ctrl.is_empty() {
            out.unified = Some(path.to_string());
        } else {
            out.v1.push((
                ctrl.split(',').map(str::to_string).collect(),
                path.to_string(),
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) const HYBRID_THIS_MACHINE: &str = "\
22 1 0:21 / /proc rw,nosuid,nodev,noexec,relatime - proc proc rw
31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct
34 31 0:31 / /sys/fs/cgroup/cpuset rw,relatime - cgroup cgroup rw,cpuset
35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
36 31 0:33 / /sys/fs/cgroup/devices rw,relatime - cgroup cgroup rw,devices
37 31 0:34 / /sys/fs/cgroup/freezer rw,relatime - cgroup cgroup rw,freezer
38 31 0:35 / /sys/fs/cgroup/blkio rw,relatime - cgroup cgroup rw,blkio
39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd
41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
";

    const PURE_V2: &str = "\
24 1 0:22 / /sys rw,nosuid - sysfs sysfs rw
28 24 0:25 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot
";

    const PURE_V1: &str = "\
25 24 0:23 / /sys/fs/cgroup ro,nosuid - tmpfs tmpfs ro,mode=755
26 25 0:24 / /sys/fs/cgroup/systemd rw - cgroup cgroup rw,xattr,release_agent=/lib/systemd/systemd-cgroups-agent,name=systemd
27 25 0:25 / /sys/fs/cgroup/cpu,cpuacct rw shared:8 - cgroup cgroup rw,cpu,cpuacct
28 25 0:26 / /sys/fs/cgroup/memory rw shared:9 - cgroup cgroup rw,memory
29 25 0:27 / /sys/fs/cgroup/pids rw shared:10 - cgroup cgroup rw,pids
";

    const NONE: &str = "\
22 1 0:21 / /proc rw - proc proc rw
24 1 0:22 / /sys rw,nosuid - sysfs sysfs rw
";

    #[test]
    fn detects_modes() {
        let root = Path::new("/sys/fs/cgroup");
        assert_eq!(detect_mode(root, PURE_V2), CgroupMode::V2);
        assert_eq!(detect_mode(root, PURE_V1), CgroupMode::V1);
        assert_eq!(detect_mode(root, HYBRID_THIS_MACHINE), CgroupMode::Hybrid);
        assert_eq!(detect_mode(root, NONE), CgroupMode::None);
        // Relative to the given root: nothing is mounted under another root.
        assert_eq!(
            detect_mode(Path::new("/elsewhere"), PURE_V2),
            CgroupMode::None
        );
        // The unified mount of a hybrid host is not at the root.
        assert_eq!(
            detect_mode(Path::new("/sys/fs/cgroup/unified"), HYBRID_THIS_MACHINE),
            CgroupMode::V2
        );
    }

    #[test]
    fn parses_controllers_and_combined_hierarchies() {
        let m = cgroup_mounts(Path::new("/sys/fs/cgroup"), PURE_V1);
        assert_eq!(m.len(), 4);
        assert_eq!(m[0].controllers, vec!["name=systemd"]);
        assert_eq!(m[1].controllers, vec!["cpu", "cpuacct"]);
        assert_eq!(m[1].mount_point, Path::new("/sys/fs/cgroup/cpu,cpuacct"));
        let h = cgroup_mounts(Path::new("/sys/fs/cgroup"), HYBRID_THIS_MACHINE);
        assert_eq!(h.len(), 10);
        assert!(h[9].v2 && h[9].controllers.is_empty());
    }

    #[test]
    fn mount_root_and_escapes() {
        let info =
            "30 25 0:26 /docker/abc /sys/fs/cgroup/my\\040mem rw - cgroup cgroup rw,memory\n";
        let m = &cgroup_mounts(Path::new("/sys/fs/cgroup"), info)[0];
        assert_eq!(m.mount_point, Path::new("/sys/fs/cgroup/my mem"));
        assert_eq!(m.mount_root, "/docker/abc");
        assert_eq!(
            m.dir_for("/docker/abc/x"),
            Path::new("/sys/fs/cgroup/my mem/x")
        );
        assert_eq!(m.dir_for("/docker/abc"), Path::new("/sys/fs/cgroup/my mem"));
        assert_eq!(
            m.dir_for("/docker/abcd"),
            Path::new("/sys/fs/cgroup/my mem/docker/abcd")
        );
    }

    #[test]
    fn parses_self_cgroup() {
        let s = parse_self_cgroup(
            "9:name=systemd:/\n4:memory:/process_api/c4\n2:cpu,cpuacct:/a\n0::/\n",
        );
        assert_eq!(s.unified.as_deref(), Some("/"));
        assert_eq!(s.v1_path(&["memory".into()]), Some("/process_api/c4"));
        assert_eq!(s.v1_path(&["cpuacct".into()]), Some("/a"));
        assert_eq!(s.v1_path(&["name=systemd".into()]), Some("/"));
        assert_eq!(s.v1_path(&["pids".into()]), None);
    }
}
