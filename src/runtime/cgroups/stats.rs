//! Usage numbers for `skiff stats`, read from either hierarchy. Each value is
//! `None` when its controller is not available for the cgroup.
use std::path::Path;

use serde::Serialize;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct CgroupStats {
    pub memory: MemoryStats,
    pub cpu: CpuStats,
    pub pids: PidsStats,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct MemoryStats {
    /// Bytes in use (page cache included, as the kernel counts it).
    pub usage: Option<u64>,
    /// The limit in bytes; `None` when unlimited or unknown.
    pub limit: Option<u64>,
    /// Peak usage in bytes, where the kernel keeps it.
    pub max_usage: Option<u64>,
    /// Page cache the kernel can drop at once (memory.stat's inactive file
    /// pages), which `docker stats` leaves out of the usage it shows.
    pub inactive_file: Option<u64>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct CpuStats {
    /// Total CPU time in nanoseconds.
    pub usage_ns: Option<u64>,
    pub user_ns: Option<u64>,
    pub system_ns: Option<u64>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PidsStats {
    pub current: Option<u64>,
    /// `None` when unlimited.
    pub limit: Option<u64>,
}

/// A single number from a file; `None` if the file is missing or says "max".
pub(crate) fn read_u64(path: &Path) -> Option<u64> {
    std::fs::read_to_string(path).ok()?.trim().parse().ok()
}

/// v1 reports "no limit" as a huge page-rounded number.
pub(crate) fn v1_limit(v: Option<u64>) -> Option<u64> {
    v.filter(|&v| v < (1 << 62))
}

/// `key value` lines (cpu.stat, memory.stat, cgroup.events).
pub(crate) fn keyed(text: &str, key: &str) -> Option<u64> {
    text.lines().find_map(|l| {
        let (k, v) = l.split_once(' ')?;
        if k == key {
            v.trim().parse().ok()
        } else {
            None
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parsing() {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(d.path().join("a"), "123\n").unwrap();
        std::fs::write(d.path().join("b"), "max\n").unwrap();
        assert_eq!(read_u64(&d.path().join("a")), Some(123));
        assert_eq!(read_u64(&d.path().join("b")), None);
        assert_eq!(read_u64(&d.path().join("missing")), None);
        assert_eq!(v1_limit(Some(9_223_372_036_854_771_712)), None);
        assert_eq!(v1_limit(Some(4096)), Some(4096));
        let cpu = "usage_usec 5\nuser_usec 3\nsystem_usec 2\n";
        assert_eq!(keyed(cpu, "user_usec"), Some(3));
        assert_eq!(keyed(cpu, "usage"), None);
    }
}
