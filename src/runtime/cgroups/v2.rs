//! The unified hierarchy (cgroup v2).
use std::path::{Path, PathBuf};
use std::time::Duration;

use oci_spec::runtime::{LinuxBlockIo, LinuxCpu, LinuxMemory, LinuxResources};

use super::resources::{self as res, tolerate, write_file};
use super::stats::{self, CgroupStats};
use super::{CgroupError, CgroupManager};

pub(crate) struct V2Manager {
    root: PathBuf,
    dir: PathBuf,
    rootless: bool,
    timeout: Duration,
}

fn words(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .split_whitespace()
        .map(str::to_string)
        .collect()
}

impl V2Manager {
    pub fn new(root: PathBuf, dir: PathBuf, rootless: bool, timeout: Duration) -> V2Manager {
        V2Manager {
            root,
            dir,
            rootless,
            timeout,
        }
    }

    /// Creates the path from the root down, enabling in each ancestor's
    /// cgroup.subtree_control every controller it has that is not enabled yet.
    /// Failures to enable are left for `set` to report against the file it
    /// needs (an ancestor holding processes cannot delegate: the "no internal
    /// processes" rule).
    fn ensure(&self) -> Result<(), CgroupError> {
        let rel = self.dir.strip_prefix(&self.root).unwrap_or(Path::new(""));
        let mut cur = self.root.clone();
        for comp in rel.components() {
            enable_controllers(&cur);
            cur.push(comp);
            match std::fs::create_dir(&cur) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(source) => return Err(CgroupError::Create { path: cur, source }),
            }
        }
        Ok(())
    }

    /// write_file, with a reason naming the missing controller, and the
    /// rootless leniency.
    fn write(&self, file: &str, value: &str) -> Result<(), CgroupError> {
        let r = write_file(&self.dir, file, value).map_err(|e| match e {
            CgroupError::NotAvailable {
                dir,
                file,
                value,
                reason,
            } => {
                let ctrl = file.split('.').next().unwrap_or_default();
                let reason = if ctrl == "cgroup"
                    || words(&dir.join("cgroup.controllers"))
                        .iter()
                        .any(|c| c == ctrl)
                {
                    reason
                } else {
                    self.missing_controller_reason(ctrl)
                };
                CgroupError::NotAvailable {
                    dir,
                    file,
                    value,
                    reason,
                }
            }
            e => e,
        });
        tolerate(self.rootless, r)
    }

    fn missing_controller_reason(&self, ctrl: &str) -> String {
        let parent = self.dir.parent().unwrap_or(&self.root);
        let busy = parent != self.root
            && std::fs::read_to_string(parent.join("cgroup.procs"))
                .is_ok_and(|s| !s.trim().is_empty());
        if !words(&parent.join("cgroup.controllers"))
            .iter()
            .any(|c| c == ctrl)
        {
            format!(
                "the {ctrl} controller is not available in {} (not delegated)",
                parent.display()
            )
        } else if busy {
            format!(
                "the {ctrl} controller cannot be enabled: {} holds processes (cgroup v2 \"no internal processes\" rule); use a cgroupsPath outside the runtime's own cgroup",
                parent.display()
            )
        } else {
            format!("the {ctrl} controller is not enabled for this cgroup")
        }
    }

    fn set_memory(&self, m: &LinuxMemory) -> Result<(), CgroupError> {
        let unsupported = |what: &str| {
            Err(CgroupError::Unsupported(format!(
                "{what} is not available on cgroup v2"
            )))
        };
        if m.swappiness().is_some() {
            return unsupported("memory.swappiness");
        }
        if m.disable_oom_killer() == Some(true) {
            return unsupported("disableOOMKiller");
        }
        if m.kernel_tcp().is_some() {
            return unsupported("memory.kernelTCP");
        }
        if let Some(swap) = res::v2_swap_max(m.limit(), m.swap())? {
            self.write("memory.swap.max", &swap)?;
        }
        if let Some(l) = m.limit() {
            self.write("memory.max", &res::v2_limit(l))?;
        }
        if let Some(r) = m.reservation() {
            self.write("memory.low", &res::v2_limit(r))?;
        }
        Ok(())
    }

    fn set_cpu(&self, c: &LinuxCpu) -> Result<(), CgroupError> {
        if c.realtime_runtime().is_some() || c.realtime_period().is_some() {
            return Err(CgroupError::Unsupported(
                "cpu realtime runtime/period is not available on cgroup v2".into(),
            ));
        }
        if let Some(s) = c.shares().filter(|&s| s > 0) {
            self.write("cpu.weight", &res::shares_to_weight(s).to_string())?;
        }
        // cpu.max holds both numbers: keep the current one not given (update).
        let (cur_quota, cur_period) = self.current_cpu_max();
        let quota = c.quota().or(cur_quota.filter(|_| c.period().is_some()));
        let period = c.period().or(cur_period.filter(|_| c.quota().is_some()));
        if let Some(max) = res::v2_cpu_max(quota, period) {
            self.write("cpu.max", &max)?;
        }
        if let Some(b) = c.burst() {
            self.write("cpu.max.burst", &b.to_string())?;
        }
        if let Some(i) = c.idle() {
            self.write("cpu.idle", &i.to_string())?;
        }
        if let Some(cpus) = c.cpus().as_deref().filter(|s| !s.is_empty()) {
            self.write("cpuset.cpus", cpus)?;
        }
        if let Some(mems) = c.mems().as_deref().filter(|s| !s.is_empty()) {
            self.write("cpuset.mems", mems)?;
        }
        Ok(())
    }

    /// (quota, period) from cpu.max; quota `None` when "max".
    fn current_cpu_max(&self) -> (Option<i64>, Option<u64>) {
        let text = std::fs::read_to_string(self.dir.join("cpu.max")).unwrap_or_default();
        let mut it = text.split_whitespace();
        let quota = it.next().and_then(|q| q.parse().ok());
        (quota, it.next().and_then(|p| p.parse().ok()))
    }

    fn set_io(&self, b: &LinuxBlockIo) -> Result<(), CgroupError> {
        if let Some(w) = b.weight() {
            self.write(
                "io.weight",
                &format!("default {}", res::blkio_to_io_weight(w)),
            )?;
        }
        for d in b.weight_device().iter().flatten() {
            if let Some(w) = d.weight() {
                let v = format!("{}:{} {}", d.major(), d.minor(), res::blkio_to_io_weight(w));
                self.write("io.weight", &v)?;
            }
        }
        let throttles = [
            (b.throttle_read_bps_device(), "rbps"),
            (b.throttle_write_bps_device(), "wbps"),
            (b.throttle_read_iops_device(), "riops"),
            (b.throttle_write_iops_device(), "wiops"),
        ];
        for (list, key) in throttles {
            for d in list.iter().flatten() {
                self.write(
                    "io.max",
                    &format!("{}:{} {key}={}", d.major(), d.minor(), d.rate()),
                )?;
            }
        }
        Ok(())
    }
}

/// Best effort: "+a +b" at once, then one by one if the kernel refused the
/// batch (one unavailable controller must not block the others).
fn enable_controllers(dir: &Path) {
    let enabled = words(&dir.join("cgroup.subtree_control"));
    let missing: Vec<String> = words(&dir.join("cgroup.controllers"))
        .into_iter()
        .filter(|c| !enabled.contains(c))
        .map(|c| format!("+{c}"))
        .collect();
    if missing.is_empty() || write_file(dir, "cgroup.subtree_control", &missing.join(" ")).is_ok() {
        return;
    }
    for c in &missing {
        let _ = write_file(dir, "cgroup.subtree_control", c);
    }
}

impl CgroupManager for V2Manager {
    fn apply(&self, pid: i32) -> Result<(), CgroupError> {
        self.ensure()?;
        tolerate(
            self.rootless,
            write_file(&self.dir, "cgroup.procs", &pid.to_string()),
        )
    }

    fn set(&self, r: &LinuxResources) -> Result<(), CgroupError> {
        if r.network().is_some() {
            return Err(CgroupError::Unsupported(
                "network classID/priorities (net_cls, net_prio) are not available on cgroup v2"
                    .into(),
            ));
        }
        self.ensure()?;
        // Rootless: device access is bounded by host permissions, and loading
        // eBPF programs needs privileges a user namespace does not give.
        if let Some(d) = r.devices().as_ref().filter(|_| !self.rootless) {
            if res::devices_allow_all(d) {
                super::devices_bpf::remove(&self.dir)?;
            } else {
                super::devices_bpf::apply(&self.dir, d)?;
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
            self.write("pids.max", &res::v2_limit(p.limit()))?;
        }
        if let Some(b) = r.block_io() {
            self.set_io(b)?;
        }
        for h in r.hugepage_limits().iter().flatten() {
            res::check_page_size(h.page_size())?;
            self.write(
                &format!("hugetlb.{}.max", h.page_size()),
                &res::v2_limit(h.limit()),
            )?;
        }
        for line in res::rdma_max_lines(r) {
            self.write("rdma.max", &line)?;
        }
        // Last, so that explicit unified values win over the converted ones.
        if let Some(u) = r.unified() {
            let mut keys: Vec<_> = u.iter().collect();
            keys.sort_by_key(|(k, _)| k.as_str());
            for (k, v) in keys {
                res::check_unified_key(k)?;
                self.write(k, v)?;
            }
        }
        Ok(())
    }

    fn pids(&self) -> Result<Vec<i32>, CgroupError> {
        let mut out = Vec::new();
        res::collect_pids(&self.dir, &mut out)?;
        Ok(out)
    }

    fn freeze(&self) -> Result<(), CgroupError> {
        self.set_frozen(true)
    }

    fn thaw(&self) -> Result<(), CgroupError> {
        self.set_frozen(false)
    }

    fn is_frozen(&self) -> Result<bool, CgroupError> {
        let events = res::read_trimmed(&self.dir.join("cgroup.events"))?;
        Ok(stats::keyed(&events, "frozen") == Some(1))
    }

    fn destroy(&self) -> Result<(), CgroupError> {
        res::remove_tree(&self.dir)
    }

    fn stats(&self) -> Result<CgroupStats, CgroupError> {
        if !self.dir.is_dir() {
            return Err(super::read_err(
                &self.dir,
                std::io::ErrorKind::NotFound.into(),
            ));
        }
        let f = |name: &str| stats::read_u64(&self.dir.join(name));
        let cpu = std::fs::read_to_string(self.dir.join("cpu.stat")).unwrap_or_default();
        let usec = |k: &str| stats::keyed(&cpu, k).map(|v| v * 1000);
        let mut s = CgroupStats::default();
        s.memory.usage = f("memory.current");
        s.memory.limit = f("memory.max");
        s.memory.max_usage = f("memory.peak");
        s.memory.inactive_file = std::fs::read_to_string(self.dir.join("memory.stat"))
            .ok()
            .and_then(|t| stats::keyed(&t, "inactive_file"));
        s.cpu.usage_ns = usec("usage_usec");
        s.cpu.user_ns = usec("user_usec");
        s.cpu.system_ns = usec("system_usec");
        s.pids.current = f("pids.current");
        s.pids.limit = f("pids.max");
        Ok(s)
    }

    fn can_freeze(&self) -> bool {
        let mut cur = Some(self.dir.as_path());
        while let Some(d) = cur.filter(|d| *d != self.root) {
            if d.is_dir() {
                return d.join("cgroup.freeze").exists();
            }
            cur = d.parent();
        }
        false
    }

    fn unified_dir(&self) -> Option<PathBuf> {
        Some(self.dir.clone())
    }

    fn open_for_clone(&self) -> Option<std::os::fd::OwnedFd> {
        self.ensure().ok()?;
        crate::sys::fs::open_dir(&self.dir).ok()
    }
}

impl V2Manager {
    fn set_frozen(&self, frozen: bool) -> Result<(), CgroupError> {
        let want = if frozen { "1" } else { "0" };
        write_file(&self.dir, "cgroup.freeze", want)?;
        let events = self.dir.join("cgroup.events");
        let settled = res::wait_until(
            self.timeout,
            || Ok(stats::keyed(&res::read_trimmed(&events)?, "frozen") == Some(u64::from(frozen))),
            || Ok(()),
        )?;
        if settled {
            Ok(())
        } else {
            Err(CgroupError::Timeout {
                dir: self.dir.clone(),
                file: "cgroup.events",
                want: if frozen { "frozen 1" } else { "frozen 0" },
                ms: self.timeout.as_millis(),
            })
        }
    }
}

#[cfg(test)]
#[path = "v2_tests.rs"]
mod tests;
