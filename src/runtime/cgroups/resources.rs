//! Conversions and file writes shared by the v1 and v2 writers.
use std::fs::OpenOptions;
use std::io::{self, Write};
use std::path::Path;
use std::thread::sleep;
use std::time::{Duration, Instant};

use oci_spec::runtime::{LinuxDevice, LinuxDeviceCgroup, LinuxDeviceType, LinuxResources};

use super::{CgroupError, read_err};

/// Writes `value` to `dir/file`. Cgroup files are never created: a missing
/// one means the controller is not there, reported as such.
pub(crate) fn write_file(dir: &Path, file: &str, value: &str) -> Result<(), CgroupError> {
    let path = dir.join(file);
    let res = OpenOptions::new()
        .write(true)
        .truncate(true)
        .open(&path)
        .and_then(|mut f| f.write_all(value.as_bytes()));
    match res {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Err(CgroupError::NotAvailable {
            dir: dir.to_path_buf(),
            file: file.to_string(),
            value: value.to_string(),
            reason: "the file does not exist (controller not enabled or not supported)".into(),
        }),
        Err(source) => Err(CgroupError::Write {
            path,
            value: value.to_string(),
            source,
        }),
    }
}

pub(crate) fn read_trimmed(path: &Path) -> Result<String, CgroupError> {
    std::fs::read_to_string(path)
        .map(|s| s.trim().to_string())
        .map_err(|e| read_err(path, e))
}

/// Rootless managers cannot always apply everything (a controller that was
/// not delegated): such failures are a warning there, an error as root.
pub(crate) fn tolerate(rootless: bool, r: Result<(), CgroupError>) -> Result<(), CgroupError> {
    match r {
        Err(
            e @ (CgroupError::NotAvailable { .. }
            | CgroupError::NoController { .. }
            | CgroupError::Write { .. }),
        ) if rootless => {
            eprintln!("skiff: warning: rootless cgroup: {e}; ignored");
            Ok(())
        }
        other => other,
    }
}

/// runc's cpu.shares (2..262144) -> cpu.weight (1..10000) mapping.
pub(crate) fn shares_to_weight(shares: u64) -> u64 {
    let s = shares.clamp(2, 262_144);
    1 + ((s - 2) * 9999) / 262_142
}

/// blkio.weight (10..1000) -> io.weight (1..10000), the same linear mapping
/// runc and crun use.
pub(crate) fn blkio_to_io_weight(w: u16) -> u64 {
    let w = u64::from(w).clamp(10, 1000);
    1 + ((w - 10) * 9999) / 990
}

/// A v2 limit: negative means "max".
pub(crate) fn v2_limit(v: i64) -> String {
    if v < 0 { "max".into() } else { v.to_string() }
}

/// memory.swap.max from the OCI memory+swap total: `swap - limit`.
/// `None` when nothing is to be written.
pub(crate) fn v2_swap_max(
    limit: Option<i64>,
    swap: Option<i64>,
) -> Result<Option<String>, CgroupError> {
    match (swap, limit) {
        (None | Some(0), _) => Ok(None),
        (Some(s), _) if s < 0 => Ok(Some("max".into())),
        (Some(_), None | Some(0)) => Err(CgroupError::InvalidValue(
            "memory.swap needs memory.limit on cgroup v2 (swap.max = swap - limit)".into(),
        )),
        (Some(_), Some(l)) if l < 0 => Err(CgroupError::InvalidValue(
            "memory.swap cannot be limited while memory.limit is unlimited".into(),
        )),
        (Some(s), Some(l)) if s < l => Err(CgroupError::InvalidValue(format!(
            "memory.swap ({s}) is memory+swap and must be >= memory.limit ({l})"
        ))),
        (Some(s), Some(l)) => Ok(Some((s - l).to_string())),
    }
}

/// cpu.max "quota period"; a missing or negative quota is "max", a missing
/// period the kernel default 100000.
pub(crate) fn v2_cpu_max(quota: Option<i64>, period: Option<u64>) -> Option<String> {
    if quota.is_none() && period.is_none() {
        return None;
    }
    let q = match quota {
        Some(q) if q > 0 => q.to_string(),
        _ => "max".into(),
    };
    Some(format!("{q} {}", period.unwrap_or(100_000)))
}

/// "2MB", "1GB", "64KB": the only shapes the kernel names hugetlb files with.
pub(crate) fn check_page_size(s: &str) -> Result<(), CgroupError> {
    let ok = s.len() > 2
        && (s.ends_with("KB") || s.ends_with("MB") || s.ends_with("GB"))
        && s[..s.len() - 2].bytes().all(|b| b.is_ascii_digit());
    if ok {
        Ok(())
    } else {
        Err(CgroupError::InvalidValue(format!(
            "hugepage size {s:?}: expected e.g. 2MB or 1GB"
        )))
    }
}

/// A `unified` key must name a file directly in the cgroup directory.
pub(crate) fn check_unified_key(k: &str) -> Result<(), CgroupError> {
    if k.is_empty()
        || k.contains('/')
        || k.starts_with('.')
        || k == "cgroup.procs"
        || k == "cgroup.threads"
    {
        return Err(CgroupError::InvalidValue(format!(
            "unified key {k:?} is not a settable cgroup file"
        )));
    }
    Ok(())
}

fn is_catch_all(d: &LinuxDeviceCgroup) -> bool {
    matches!(d.typ(), None | Some(LinuxDeviceType::A))
        && d.major().is_none_or(|m| m < 0)
        && d.minor().is_none_or(|m| m < 0)
}

fn access_of(d: &LinuxDeviceCgroup) -> String {
    d.access()
        .clone()
        .filter(|a| !a.is_empty())
        .unwrap_or_else(|| "rwm".into())
}

/// True when the rules allow every device: no deny at all (rules only add to
/// the allow-all a new cgroup starts with), or a full allow after the last
/// deny. This is all cgroup v2 can honour without an eBPF device program.
pub(crate) fn devices_allow_all(rules: &[LinuxDeviceCgroup]) -> bool {
    match rules.iter().rposition(|d| !d.allow()) {
        None => true,
        Some(i) => rules[i + 1..].iter().any(|d| {
            let a = access_of(d);
            d.allow() && is_catch_all(d) && a.contains('r') && a.contains('w') && a.contains('m')
        }),
    }
}

/// `rdma.max` lines ("<device> hca_handle=N hca_object=M"), sorted by device;
/// the file format is the same on v1 and v2.
pub(crate) fn rdma_max_lines(r: &LinuxResources) -> Vec<String> {
    let Some(rdma) = r.rdma() else {
        return Vec::new();
    };
    let mut devs: Vec<_> = rdma.iter().collect();
    devs.sort_by_key(|(k, _)| k.as_str());
    devs.into_iter()
        .map(|(dev, l)| {
            let mut v = dev.clone();
            if let Some(h) = l.hca_handles() {
                v.push_str(&format!(" hca_handle={h}"));
            }
            if let Some(o) = l.hca_objects() {
                v.push_str(&format!(" hca_object={o}"));
            }
            v
        })
        .collect()
}

/// Devices every container may use (and mknod of any device), appended
/// after the spec's rules whenever there are rules, as runc does: a spec's
/// leading "deny all" must not take /dev/null and friends away.
pub fn default_device_rules() -> Vec<LinuxDeviceCgroup> {
    let rule = |typ: LinuxDeviceType, major: Option<i64>, minor: Option<i64>, access: &str| {
        let mut d = LinuxDeviceCgroup::default();
        d.set_allow(true);
        d.set_typ(Some(typ));
        d.set_major(major);
        d.set_minor(minor);
        d.set_access(Some(access.to_string()));
        d
    };
    use LinuxDeviceType::{B, C};
    vec![
        rule(C, None, None, "m"),
        rule(B, None, None, "m"),
        rule(C, Some(1), Some(3), "rwm"), // null
        rule(C, Some(1), Some(5), "rwm"), // zero
        rule(C, Some(1), Some(7), "rwm"), // full
        rule(C, Some(1), Some(8), "rwm"), // random
        rule(C, Some(1), Some(9), "rwm"), // urandom
        rule(C, Some(5), Some(0), "rwm"), // tty
        rule(C, Some(5), Some(2), "rwm"), // ptmx
        rule(C, Some(136), None, "rwm"),  // pts
    ]
}

/// Allow rules for the devices a spec creates (`linux.devices`), for the
/// caller to append to `linux.resources.devices` before `set`: runc allows
/// every device it creates.
pub fn spec_device_rules(devices: &[LinuxDevice]) -> Vec<LinuxDeviceCgroup> {
    devices
        .iter()
        .map(|dev| {
            let mut d = LinuxDeviceCgroup::default();
            d.set_allow(true);
            d.set_typ(Some(dev.typ()));
            d.set_major(Some(dev.major()));
            d.set_minor(Some(dev.minor()));
            d.set_access(Some("rwm".into()));
            d
        })
        .collect()
}

/// The v1 writes for device rules, in order: deny everything, each rule to
/// devices.allow or devices.deny, then the default devices. Nothing when
/// there are no rules.
pub(crate) fn v1_device_writes(
    rules: &[LinuxDeviceCgroup],
) -> Result<Vec<(&'static str, String)>, CgroupError> {
    if rules.is_empty() {
        return Ok(Vec::new());
    }
    let num = |n: Option<i64>| match n {
        Some(n) if n >= 0 => n.to_string(),
        _ => "*".into(),
    };
    let mut out = vec![("devices.deny", "a".to_string())];
    for d in rules.iter().chain(&default_device_rules()) {
        let access = access_of(d);
        if !access.chars().all(|c| matches!(c, 'r' | 'w' | 'm')) {
            return Err(CgroupError::InvalidValue(format!(
                "device access {access:?}: use r, w and m"
            )));
        }
        let file = if d.allow() {
            "devices.allow"
        } else {
            "devices.deny"
        };
        let full = ['r', 'w', 'm'].iter().all(|c| access.contains(*c));
        let typ = d.typ().unwrap_or(LinuxDeviceType::A);
        // The kernel reads a leading "a" as every device with every access
        // and ignores the rest, so a narrower "all" rule is spelt as c + b.
        let one = [typ.as_str()];
        let types: &[&str] = match typ {
            LinuxDeviceType::A if is_catch_all(d) && full => {
                out.push((file, "a".to_string()));
                continue;
            }
            LinuxDeviceType::A => &["c", "b"],
            _ => &one,
        };
        for t in types {
            out.push((
                file,
                format!("{t} {}:{} {access}", num(d.major()), num(d.minor())),
            ));
        }
    }
    Ok(out)
}

/// Whether `r` asks for anything a cgroup would enforce (device rules count
/// only for root: rootless managers skip them).
pub(crate) fn requests_limits(r: &LinuxResources, rootless: bool) -> bool {
    let mem = r.memory().is_some_and(|m| {
        m.limit().is_some()
            || m.reservation().is_some()
            || m.swap().is_some()
            || m.kernel_tcp().is_some()
            || m.swappiness().is_some()
            || m.disable_oom_killer() == Some(true)
    });
    let cpu = r.cpu().as_ref().is_some_and(|c| {
        c.shares().is_some()
            || c.quota().is_some()
            || c.period().is_some()
            || c.burst().is_some()
            || c.idle().is_some()
            || c.realtime_runtime().is_some()
            || c.realtime_period().is_some()
            || c.cpus().as_deref().is_some_and(|s| !s.is_empty())
            || c.mems().as_deref().is_some_and(|s| !s.is_empty())
    });
    let pids = r.pids().is_some_and(|p| p.limit() > 0);
    let bio = r.block_io().as_ref().is_some_and(|b| {
        b.weight().is_some()
            || b.leaf_weight().is_some()
            || b.weight_device().as_ref().is_some_and(|v| !v.is_empty())
            || b.throttle_read_bps_device()
                .as_ref()
                .is_some_and(|v| !v.is_empty())
            || b.throttle_write_bps_device()
                .as_ref()
                .is_some_and(|v| !v.is_empty())
            || b.throttle_read_iops_device()
                .as_ref()
                .is_some_and(|v| !v.is_empty())
            || b.throttle_write_iops_device()
                .as_ref()
                .is_some_and(|v| !v.is_empty())
    });
    let huge = r.hugepage_limits().as_ref().is_some_and(|v| !v.is_empty());
    let unified = r.unified().as_ref().is_some_and(|m| !m.is_empty());
    let devices = !rootless && r.devices().as_ref().is_some_and(|d| !devices_allow_all(d));
    mem || cpu || pids || bio || huge || unified || devices
}

/// Polls `check` until it returns true or `timeout` passes; `retry` is run
/// between polls (re-writing a freezer state that raced with a fork).
pub(crate) fn wait_until(
    timeout: Duration,
    mut check: impl FnMut() -> Result<bool, CgroupError>,
    mut retry: impl FnMut() -> Result<(), CgroupError>,
) -> Result<bool, CgroupError> {
    let start = Instant::now();
    let mut delay = Duration::from_millis(1);
    loop {
        if check()? {
            return Ok(true);
        }
        if start.elapsed() >= timeout {
            return Ok(false);
        }
        sleep(delay);
        delay = (delay * 2).min(Duration::from_millis(50));
        retry()?;
    }
}

/// rmdir with retries while the kernel still counts exiting tasks (EBUSY).
pub(crate) fn remove_dir(dir: &Path) -> Result<(), CgroupError> {
    let mut delay = Duration::from_millis(5);
    for attempt in 0.. {
        match std::fs::remove_dir(dir) {
            Ok(()) => return Ok(()),
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
            Err(e) if e.raw_os_error() == Some(libc::EBUSY) && attempt < 10 => {
                sleep(delay);
                delay = (delay * 2).min(Duration::from_millis(100));
            }
            Err(source) => {
                return Err(CgroupError::Remove {
                    path: dir.to_path_buf(),
                    source,
                });
            }
        }
    }
    unreachable!("the retry loop returns")
}

/// Removes `dir` after any child cgroups the container made inside it.
pub(crate) fn remove_tree(dir: &Path) -> Result<(), CgroupError> {
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            if e.file_type().is_ok_and(|t| t.is_dir()) {
                remove_tree(&e.path())?;
            }
        }
    }
    remove_dir(dir)
}

/// Every pid in `dir`'s cgroup.procs and those of its descendants.
pub(crate) fn collect_pids(dir: &Path, out: &mut Vec<i32>) -> Result<(), CgroupError> {
    let procs = dir.join("cgroup.procs");
    let text = std::fs::read_to_string(&procs).map_err(|e| read_err(&procs, e))?;
    out.extend(text.lines().filter_map(|l| l.trim().parse::<i32>().ok()));
    let entries = std::fs::read_dir(dir).map_err(|e| read_err(dir, e))?;
    for e in entries.flatten() {
        if e.file_type().is_ok_and(|t| t.is_dir()) {
            collect_pids(&e.path(), out)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use oci_spec::runtime::{LinuxDeviceCgroupBuilder, LinuxMemoryBuilder, LinuxResourcesBuilder};

    fn dev(
        allow: bool,
        typ: Option<LinuxDeviceType>,
        maj: Option<i64>,
        min: Option<i64>,
        acc: &str,
    ) -> LinuxDeviceCgroup {
        let mut b = LinuxDeviceCgroupBuilder::default().allow(allow).access(acc);
        if let Some(t) = typ {
            b = b.typ(t);
        }
        if let Some(m) = maj {
            b = b.major(m);
        }
        if let Some(m) = min {
            b = b.minor(m);
        }
        b.build().unwrap()
    }

    #[test]
    fn conversions() {
        assert_eq!(shares_to_weight(2), 1);
        assert_eq!(shares_to_weight(1024), 39);
        assert_eq!(shares_to_weight(262_144), 10_000);
        assert_eq!(blkio_to_io_weight(10), 1);
        assert_eq!(blkio_to_io_weight(500), 4950);
        assert_eq!(blkio_to_io_weight(1000), 10_000);
        assert_eq!(v2_limit(-1), "max");
        assert_eq!(
            v2_cpu_max(Some(50_000), None).as_deref(),
            Some("50000 100000")
        );
        assert_eq!(
            v2_cpu_max(Some(-1), Some(20_000)).as_deref(),
            Some("max 20000")
        );
        assert_eq!(v2_cpu_max(None, None), None);
    }

    #[test]
    fn swap_conversion() {
        assert_eq!(
            v2_swap_max(Some(100), Some(300)).unwrap().as_deref(),
            Some("200")
        );
        assert_eq!(
            v2_swap_max(Some(100), Some(100)).unwrap().as_deref(),
            Some("0")
        );
        assert_eq!(
            v2_swap_max(Some(100), Some(-1)).unwrap().as_deref(),
            Some("max")
        );
        assert_eq!(v2_swap_max(Some(100), None).unwrap(), None);
        assert!(v2_swap_max(None, Some(300)).is_err());
        assert!(v2_swap_max(Some(300), Some(100)).is_err());
    }

    #[test]
    fn validation() {
        assert!(check_page_size("2MB").is_ok() && check_page_size("1GB").is_ok());
        assert!(check_page_size("2M").is_err() && check_page_size("../x").is_err());
        assert!(check_unified_key("memory.high").is_ok());
        assert!(
            check_unified_key("../memory.max").is_err()
                && check_unified_key("cgroup.procs").is_err()
        );
    }

    #[test]
    fn device_rules() {
        let deny_all = dev(false, None, None, None, "rwm");
        let null = dev(true, Some(LinuxDeviceType::C), Some(1), Some(3), "rwm");
        let pts = dev(true, Some(LinuxDeviceType::C), Some(136), None, "rw");
        let allow_all = dev(true, Some(LinuxDeviceType::A), None, None, "rwm");
        assert!(devices_allow_all(&[]));
        assert!(devices_allow_all(std::slice::from_ref(&null)));
        assert!(devices_allow_all(&[deny_all.clone(), allow_all.clone()]));
        assert!(!devices_allow_all(std::slice::from_ref(&deny_all)));
        assert!(!devices_allow_all(&[deny_all.clone(), null.clone()]));
        assert!(!devices_allow_all(&[allow_all, deny_all.clone()]));
        let mknod_all = dev(true, Some(LinuxDeviceType::A), None, None, "m");
        let w = v1_device_writes(&[deny_all, null, pts, mknod_all]).unwrap();
        let own: Vec<(&str, &str)> = w.iter().take(6).map(|(f, l)| (*f, l.as_str())).collect();
        assert_eq!(
            own,
            vec![
                ("devices.deny", "a"),
                ("devices.deny", "a"),
                ("devices.allow", "c 1:3 rwm"),
                ("devices.allow", "c 136:* rw"),
                ("devices.allow", "c *:* m"),
                ("devices.allow", "b *:* m"),
            ]
        );
        // Then the defaults, last, so a leading deny-all keeps /dev/null.
        let tail: Vec<&str> = w[6..].iter().map(|(_, l)| l.as_str()).collect();
        assert_eq!(
            tail,
            vec![
                "c *:* m",
                "b *:* m",
                "c 1:3 rwm",
                "c 1:5 rwm",
                "c 1:7 rwm",
                "c 1:8 rwm",
                "c 1:9 rwm",
                "c 5:0 rwm",
                "c 5:2 rwm",
                "c 136:* rwm"
            ]
        );
        assert!(w[6..].iter().all(|(f, _)| *f == "devices.allow"));
        assert!(v1_device_writes(&[]).unwrap().is_empty());
        assert!(v1_device_writes(&[dev(true, None, None, None, "rwx")]).is_err());
    }

    #[test]
    fn limits_requested() {
        let empty = LinuxResourcesBuilder::default().build().unwrap();
        assert!(!requests_limits(&empty, true));
        let deny = LinuxResourcesBuilder::default()
            .devices(vec![dev(false, None, None, None, "rwm")])
            .build()
            .unwrap();
        assert!(!requests_limits(&deny, true));
        assert!(requests_limits(&deny, false));
        let mem = LinuxResourcesBuilder::default()
            .memory(
                LinuxMemoryBuilder::default()
                    .limit(1 << 20)
                    .build()
                    .unwrap(),
            )
            .build()
            .unwrap();
        assert!(requests_limits(&mem, true));
    }

    #[test]
    fn write_file_reports_missing_and_writes_exactly() {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(d.path().join("pids.max"), "max\n").unwrap();
        write_file(d.path(), "pids.max", "42").unwrap();
        assert_eq!(
            std::fs::read_to_string(d.path().join("pids.max")).unwrap(),
            "42"
        );
        let e = write_file(d.path(), "memory.max", "1").unwrap_err();
        assert!(e.to_string().contains("memory.max = \"1\""), "{e}");
        assert!(!d.path().join("memory.max").exists());
    }
}
