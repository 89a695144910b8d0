//! cgroup v1 (cgroupfs): one directory per mounted hierarchy. Also used on
//! hybrid hosts, whose cgroup2 mount is ignored.
use std::path::{Path, PathBuf};
use std::time::Duration;

use oci_spec::runtime::{LinuxBlockIo, LinuxCpu, LinuxMemory, LinuxResources};

use super::mounts::{CgroupMount, SelfCgroup};
use super::path::CgroupPath;
use super::resources::{self as res, tolerate, write_file};
use super::stats::{self, CgroupStats};
use super::{CgroupError, CgroupManager};

/// One v1 hierarchy and the container's directory in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Hierarchy {
    pub controllers: Vec<String>,
    pub mount: PathBuf,
    pub dir: PathBuf,
}

/// The container's directory in every mounted v1 hierarchy.
pub(crate) fn hierarchies(
    mounts: &[CgroupMount],
    own: &SelfCgroup,
    spec: &CgroupPath,
    rootless: bool,
) -> Vec<Hierarchy> {
    mounts
        .iter()
        .filter(|m| !m.v2 && !m.controllers.is_empty())
        .map(|m| {
            let own_path = own.v1_path(&m.controllers).unwrap_or("/");
            Hierarchy {
                controllers: m.controllers.clone(),
                mount: m.mount_point.clone(),
                dir: m.dir_for(&spec.resolve(own_path, rootless)),
            }
        })
        .collect()
}

pub(crate) struct V1Manager {
    hierarchies: Vec<Hierarchy>,
    rootless: bool,
    timeout: Duration,
}

impl V1Manager {
    pub fn new(hierarchies: Vec<Hierarchy>, rootless: bool, timeout: Duration) -> V1Manager {
        V1Manager {
            hierarchies,
            rootless,
            timeout,
        }
    }

    fn dir(&self, controller: &str) -> Option<&Path> {
        self.hierarchies
            .iter()
            .find(|h| h.controllers.iter().any(|c| c == controller))
            .map(|h| h.dir.as_path())
    }

    fn try_write(
        &self,
        controller: &'static str,
        file: &str,
        value: &str,
    ) -> Result<(), CgroupError> {
        match self.dir(controller) {
            Some(d) => write_file(d, file, value),
            None => Err(CgroupError::NoController {
                controller,
                file: file.to_string(),
                value: value.to_string(),
            }),
        }
    }

    fn write(&self, controller: &'static str, file: &str, value: &str) -> Result<(), CgroupError> {
        tolerate(self.rootless, self.try_write(controller, file, value))
    }

    /// Creates each hierarchy's path; in cpuset, every new level gets its
    /// parent's cpus and mems (the kernel leaves them empty, and an empty
    /// cpuset refuses tasks).
    fn ensure(&self) -> Result<(), CgroupError> {
        for h in &self.hierarchies {
            let cpuset = h.controllers.iter().any(|c| c == "cpuset");
            let rel = h.dir.strip_prefix(&h.mount).unwrap_or(Path::new(""));
            let mut cur = h.mount.clone();
            for comp in rel.components() {
                let parent = cur.clone();
                cur.push(comp);
                match std::fs::create_dir(&cur) {
                    Ok(()) => {}
                    Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                    Err(source) => return Err(CgroupError::Create { path: cur, source }),
                }
                if cpuset {
                    for file in ["cpuset.cpus", "cpuset.mems"] {
                        inherit(&parent, &cur, file)?;
                    }
                }
            }
        }
        Ok(())
    }

    fn set_memory(&self, m: &LinuxMemory) -> Result<(), CgroupError> {
        const LIMIT: &str = "memory.limit_in_bytes";
        const MEMSW: &str = "memory.memsw.limit_in_bytes";
        match (m.limit(), m.swap()) {
            (Some(l), Some(s)) => {
                // memsw must stay >= the memory limit at every step: raise
                // memsw first when it grows past the current limit.
                let cur = self
                    .dir("memory")
                    .and_then(|d| stats::read_u64(&d.join(LIMIT)))
                    .unwrap_or(u64::MAX);
                if s < 0 || (s as u64) > cur {
                    self.write("memory", MEMSW, &s.to_string())?;
                    self.write("memory", LIMIT, &l.to_string())?;
                } else {
                    self.write("memory", LIMIT, &l.to_string())?;
                    self.write("memory", MEMSW, &s.to_string())?;
                }
            }
            (Some(l), None) => self.write("memory", LIMIT, &l.to_string())?,
            (None, Some(s)) => self.write("memory", MEMSW, &s.to_string())?,
            (None, None) => {}
        }
        if let Some(r) = m.reservation() {
            self.write("memory", "memory.soft_limit_in_bytes", &r.to_string())?;
        }
        if let Some(k) = m.kernel_tcp() {
            self.write("memory", "memory.kmem.tcp.limit_in_bytes", &k.to_string())?;
        }
        if let Some(sw) = m.swappiness() {
            if sw > 100 {
                return Err(CgroupError::InvalidValue(format!(
                    "memory.swappiness {sw}: must be 0..100"
                )));
            }
            self.write("memory", "memory.swappiness", &sw.to_string())?;
        }
        if m.disable_oom_killer() == Some(true) {
            self.write("memory", "memory.oom_control", "1")?;
        }
        Ok(())
    }

    fn set_cpu(&self, c: &LinuxCpu) -> Result<(), CgroupError> {
        if let Some(s) = c.shares().filter(|&s| s > 0) {
            self.write("cpu", "cpu.shares", &s.to_string())?;
        }
        if let Some(p) = c.period() {
            self.write("cpu", "cpu.cfs_period_us", &p.to_string())?;
        }
        if let Some(q) = c.quota() {
            self.write("cpu", "cpu.cfs_quota_us", &q.to_string())?;
        }
        if let Some(b) = c.burst() {
            self.write("cpu", "cpu.cfs_burst_us", &b.to_string())?;
        }
        if let Some(p) = c.realtime_period() {
            self.write("cpu", "cpu.rt_period_us", &p.to_string())?;
        }
        if let Some(r) = c.realtime_runtime() {
            self.write("cpu", "cpu.rt_runtime_us", &r.to_string())?;
        }
        if let Some(i) = c.idle() {
            self.write("cpu", "cpu.idle", &i.to_string())?;
        }
        if let Some(cpus) = c.cpus().as_deref().filter(|s| !s.is_empty()) {
            self.write("cpuset", "cpuset.cpus", cpus)?;
        }
        if let Some(mems) = c.mems().as_deref().filter(|s| !s.is_empty()) {
            self.write("cpuset", "cpuset.mems", mems)?;
        }
        Ok(())
    }

    fn set_blkio(&self, b: &LinuxBlockIo) -> Result<(), CgroupError> {
        if let Some(w) = b.weight() {
            // Without CFQ (blk-mq kernels) only BFQ's file exists.
            let r = self.try_write("blkio", "blkio.weight", &w.to_string());
            let r = match r {
                Err(CgroupError::NotAvailable { .. }) => {
                    self.try_write("blkio", "blkio.bfq.weight", &w.to_string())
                }
                r => r,
            };
            tolerate(self.rootless, r)?;
        }
        if let Some(w) = b.leaf_weight() {
            self.write("blkio", "blkio.leaf_weight", &w.to_string())?;
        }
        for d in b.weight_device().iter().flatten() {
            if let Some(w) = d.weight() {
                self.write(
                    "blkio",
                    "blkio.weight_device",
                    &format!("{}:{} {w}", d.major(), d.minor()),
                )?;
            }
        }
        let throttles = [
            (
                b.throttle_read_bps_device(),
                "blkio.throttle.read_bps_device",
            ),
            (
                b.throttle_write_bps_device(),
                "blkio.throttle.write_bps_device",
            ),
            (
                b.throttle_read_iops_device(),
                "blkio.throttle.read_iops_device",
            ),
            (
                b.throttle_write_iops_device(),
                "blkio.throttle.write_iops_device",
            ),
        ];
        for (list, file) in throttles {
            for d in list.iter().flatten() {
                self.write(
                    "blkio",
                    file,
                    &format!("{}:{} {}", d.major(), d.minor(), d.rate()),
                )?;
            }
        }
        Ok(())
    }

    fn set_freezer(&self, state: &'static str) -> Result<(), CgroupError> {
        let Some(dir) = self.dir("freezer") else {
            return Err(CgroupError::NoController {
                controller: "freezer",
                file: "freezer.state".into(),
                value: state.into(),
            });
        };
        let file = dir.join("freezer.state");
        write_file(dir, "freezer.state", state)?;
        // FREEZING can stick while tasks fork; writing again retries them.
        let settled = res::wait_until(
            self.timeout,
            || Ok(res::read_trimmed(&file)? == state),
            || write_file(dir, "freezer.state", state),
        )?;
        if settled {
            return Ok(());
        }
        if state == "FROZEN" {
            // Do not leave the container half frozen.
            let _ = write_file(dir, "freezer.state", "THAWED");
        }
        Err(CgroupError::Timeout {
            dir: dir.to_path_buf(),
            file: "freezer.state",
            want: state,
            ms: self.timeout.as_millis(),
        })
    }
}

/// Copies `file` from `parent` into `dir` when it is empty there.
fn inherit(parent: &Path, dir: &Path, file: &str) -> Result<(), CgroupError> {
    if !res::read_trimmed(&dir.join(file))?.is_empty() {
        return Ok(());
    }
    let v = res::read_trimmed(&parent.join(file))?;
    write_file(dir, file, &v)
}

impl CgroupManager for V1Manager {
    fn apply(&self, pid: i32) -> Result<(), CgroupError> {
        self.ensure()?;
        for h in &self.hierarchies {
            tolerate(
                self.rootless,
                write_file(&h.dir, "cgroup.procs", &pid.to_string()),
            )?;
        }
        Ok(())
    }

    fn set(&self, r: &LinuxResources) -> Result<(), CgroupError> {
        if r.unified().as_ref().is_some_and(|u| !u.is_empty()) {
            return Err(CgroupError::Unsupported(
                "linux.resources.unified needs cgroup v2; this host uses cgroup v1".into(),
            ));
        }
        self.ensure()?;
        if !self.rootless {
            for (file, line) in res::v1_device_writes(r.devices().as_deref().unwrap_or_default())? {
                self.write("devices", file, &line)?;
            }
        }
        if let Some(m) = r.memory() {
            self.set_memory(m)?;
        }
        if let Some(c) = r.cpu() {
            self.set_cpu(c)?;
        }
        if let Some(p) = r.pids()
            && p.limit() != 0
        {
            self.write("pids", "pids.max", &res::v2_limit(p.limit()))?;
        }
        if let Some(b) = r.block_io() {
            self.set_blkio(b)?;
        }
        for h in r.hugepage_limits().iter().flatten() {
            res::check_page_size(h.page_size())?;
            let file = format!("hugetlb.{}.limit_in_bytes", h.page_size());
            self.write("hugetlb", &file, &h.limit().to_string())?;
        }
        if let Some(n) = r.network() {
            if let Some(id) = n.class_id() {
                self.write("net_cls", "net_cls.classid", &id.to_string())?;
            }
            for p in n.priorities().iter().flatten() {
                self.write(
                    "net_prio",
                    "net_prio.ifpriomap",
                    &format!("{} {}", p.name(), p.priority()),
                )?;
            }
        }
        for line in res::rdma_max_lines(r) {
            self.write("rdma", "rdma.max", &line)?;
        }
        Ok(())
    }

    fn pids(&self) -> Result<Vec<i32>, CgroupError> {
        let dir = ["pids", "freezer", "memory", "cpu", "devices"]
            .iter()
            .find_map(|c| self.dir(c))
            .or_else(|| self.hierarchies.first().map(|h| h.dir.as_path()))
            .ok_or_else(|| CgroupError::NoCgroup("no cgroup v1 hierarchy is mounted".into()))?;
        let mut out = Vec::new();
        res::collect_pids(dir, &mut out)?;
        Ok(out)
    }

    fn freeze(&self) -> Result<(), CgroupError> {
        self.set_freezer("FROZEN")
    }

    fn thaw(&self) -> Result<(), CgroupError> {
        self.set_freezer("THAWED")
    }

    fn is_frozen(&self) -> Result<bool, CgroupError> {
        match self.dir("freezer") {
            Some(d) => Ok(res::read_trimmed(&d.join("freezer.state"))? == "FROZEN"),
            None => Ok(false),
        }
    }

    fn destroy(&self) -> Result<(), CgroupError> {
        let mut first = None;
        for h in &self.hierarchies {
            if let Err(e) = res::remove_tree(&h.dir) {
                first.get_or_insert(e);
            }
        }
        first.map_or(Ok(()), Err)
    }

    fn stats(&self) -> Result<CgroupStats, CgroupError> {
        let f =
            |ctrl: &str, name: &str| self.dir(ctrl).and_then(|d| stats::read_u64(&d.join(name)));
        let mut s = CgroupStats::default();
        s.memory.usage = f("memory", "memory.usage_in_bytes");
        s.memory.limit = stats::v1_limit(f("memory", "memory.limit_in_bytes"));
        s.memory.max_usage = f("memory", "memory.max_usage_in_bytes");
        s.memory.inactive_file = self
            .dir("memory")
            .and_then(|d| std::fs::read_to_string(d.join("memory.stat")).ok())
            .and_then(|t| stats::keyed(&t, "total_inactive_file"));
        s.cpu.usage_ns = f("cpuacct", "cpuacct.usage");
        s.cpu.user_ns = f("cpuacct", "cpuacct.usage_user");
        s.cpu.system_ns = f("cpuacct", "cpuacct.usage_sys");
        s.pids.current = f("pids", "pids.current");
        s.pids.limit = f("pids", "pids.max");
        Ok(s)
    }

    fn can_freeze(&self) -> bool {
        self.dir("freezer").is_some()
    }
}

#[cfg(test)]
#[path = "v1_tests.rs"]
mod tests;
