//! v1 writer against fake cgroupfs trees shaped like this machine's, and a
//! real smoke test on this machine's v1 hierarchy when run as root.
use std::collections::HashMap;
use std::fs;
use std::path::Path;

use oci_spec::runtime::{
    LinuxBlockIoBuilder, LinuxCpuBuilder, LinuxDeviceCgroupBuilder, LinuxDeviceType,
    LinuxHugepageLimitBuilder, LinuxMemoryBuilder, LinuxPidsBuilder, LinuxResources,
    LinuxResourcesBuilder,
};

use crate::runtime::cgroups::testutil::{
    Fake, V1_HIERARCHIES, drop_files, read, v1_mountinfo, v1_tree,
};
use crate::runtime::cgroups::{
    CgroupError, CgroupManager, CgroupMode, detect_mode, manager, manager_for,
};

const SELF: &str = "9:name=systemd:/\n8:pids:/\n7:blkio:/\n6:freezer:/\n5:devices:/\n\
4:memory:/process_api/c4\n3:cpuset:/\n2:cpuacct:/\n1:cpu:/\n0::/\n";

fn fake(rels: &[&str]) -> Fake {
    let f = Fake::new();
    v1_tree(&f.root, rels);
    f
}

fn mgr(f: &Fake, path: Option<&str>) -> Box<dyn CgroupManager> {
    manager_for(
        &f.host(v1_mountinfo(&f.root, V1_HIERARCHIES, true), SELF),
        path,
        "ctr",
        false,
    )
    .unwrap()
}

fn pids(limit: i64) -> LinuxResources {
    LinuxResourcesBuilder::default()
        .pids(LinuxPidsBuilder::default().limit(limit).build().unwrap())
        .build()
        .unwrap()
}

#[test]
fn hybrid_uses_v1_directories() {
    let f = fake(&["/skiff", "/skiff/ctr"]);
    assert_eq!(
        detect_mode(&f.root, &v1_mountinfo(&f.root, V1_HIERARCHIES, true)),
        CgroupMode::Hybrid
    );
    let m = mgr(&f, Some("/skiff/ctr"));
    assert_eq!(m.unified_dir(), None);
    assert!(m.open_for_clone().is_none());
    m.apply(4242).unwrap();
    for h in [
        "cpu", "cpuacct", "cpuset", "memory", "devices", "freezer", "blkio", "pids", "systemd",
    ] {
        assert_eq!(
            read(f.root.join(h).join("skiff/ctr/cgroup.procs")),
            "4242",
            "{h}"
        );
    }
    assert!(!f.root.join("unified/skiff").exists());
}

#[test]
fn cpuset_inherits_from_parent_when_empty() {
    let f = fake(&["/skiff", "/skiff/ctr"]);
    mgr(&f, Some("/skiff/ctr")).apply(1).unwrap();
    let cs = f.root.join("cpuset");
    assert_eq!(read(cs.join("skiff/cpuset.cpus")), "0-3");
    assert_eq!(read(cs.join("skiff/ctr/cpuset.cpus")), "0-3");
    assert_eq!(read(cs.join("skiff/ctr/cpuset.mems")), "0");
    // A value already there is kept.
    fs::write(cs.join("skiff/ctr/cpuset.cpus"), "1\n").unwrap();
    mgr(&f, Some("/skiff/ctr")).apply(1).unwrap();
    assert_eq!(read(cs.join("skiff/ctr/cpuset.cpus")), "1\n");
}

#[test]
fn writes_every_resource() {
    let f = fake(&["/ctr"]);
    let dev = |allow: bool, typ: LinuxDeviceType, maj: i64, min: i64| {
        LinuxDeviceCgroupBuilder::default()
            .allow(allow)
            .typ(typ)
            .major(maj)
            .minor(min)
            .access("rwm")
            .build()
            .unwrap()
    };
    let r = LinuxResourcesBuilder::default()
        .memory(
            LinuxMemoryBuilder::default()
                .limit(100 << 20)
                .swap(200 << 20)
                .reservation(50 << 20)
                .swappiness(10u64)
                .disable_oom_killer(true)
                .build()
                .unwrap(),
        )
        .cpu(
            LinuxCpuBuilder::default()
                .shares(512u64)
                .quota(20_000i64)
                .period(50_000u64)
                .cpus("0-1")
                .mems("0")
                .build()
                .unwrap(),
        )
        .pids(LinuxPidsBuilder::default().limit(100).build().unwrap())
        .block_io(
            LinuxBlockIoBuilder::default()
                .weight(300u16)
                .build()
                .unwrap(),
        )
        .devices(vec![
            LinuxDeviceCgroupBuilder::default()
                .allow(false)
                .access("rwm")
                .build()
                .unwrap(),
            dev(true, LinuxDeviceType::C, 1, 3),
            dev(false, LinuxDeviceType::B, 8, 0),
        ])
        .build()
        .unwrap();
    mgr(&f, Some("/ctr")).set(&r).unwrap();
    let expect = [
        ("memory", "memory.limit_in_bytes", "104857600"),
        ("memory", "memory.memsw.limit_in_bytes", "209715200"),
        ("memory", "memory.soft_limit_in_bytes", "52428800"),
        ("memory", "memory.swappiness", "10"),
        ("memory", "memory.oom_control", "1"),
        ("cpu", "cpu.shares", "512"),
        ("cpu", "cpu.cfs_quota_us", "20000"),
        ("cpu", "cpu.cfs_period_us", "50000"),
        ("cpuset", "cpuset.cpus", "0-1"),
        ("cpuset", "cpuset.mems", "0"),
        ("pids", "pids.max", "100"),
        // This kernel has no CFQ: BFQ's weight file.
        ("blkio", "blkio.bfq.weight", "300"),
        // Each file keeps its last write; the order is checked in resources.
        ("devices", "devices.allow", "c 136:* rwm"),
        ("devices", "devices.deny", "b 8:0 rwm"),
    ];
    for (h, file, v) in expect {
        assert_eq!(read(f.root.join(h).join("ctr").join(file)), v, "{file}");
    }
    // Untouched: the kernel's defaults stay.
    assert_eq!(read(f.root.join("cpu/ctr/cpu.cfs_burst_us")), "0");
}

#[test]
fn errors_name_file_and_value() {
    let f = fake(&["/ctr"]);
    let m = mgr(&f, Some("/ctr"));
    let huge = LinuxResourcesBuilder::default()
        .hugepage_limits(vec![
            LinuxHugepageLimitBuilder::default()
                .page_size("2MB")
                .limit(4096i64)
                .build()
                .unwrap(),
        ])
        .build()
        .unwrap();
    let e = m.set(&huge).unwrap_err().to_string();
    assert!(
        e.contains("hugetlb.2MB.limit_in_bytes = \"4096\"") && e.contains("hugetlb"),
        "{e}"
    );
    fs::remove_file(f.root.join("pids/ctr/pids.max")).unwrap();
    let e = m.set(&pids(5)).unwrap_err().to_string();
    assert!(e.contains("pids.max = \"5\""), "{e}");
    let uni = LinuxResourcesBuilder::default()
        .unified(HashMap::from([(
            "memory.high".to_string(),
            "1".to_string(),
        )]))
        .build()
        .unwrap();
    assert!(matches!(m.set(&uni), Err(CgroupError::Unsupported(_))));
}

#[test]
fn freezer_states() {
    let f = fake(&["/ctr"]);
    let m = mgr(&f, Some("/ctr"));
    assert!(m.can_freeze());
    m.freeze().unwrap();
    assert_eq!(read(f.root.join("freezer/ctr/freezer.state")), "FROZEN");
    assert!(m.is_frozen().unwrap());
    m.thaw().unwrap();
    assert_eq!(read(f.root.join("freezer/ctr/freezer.state")), "THAWED");
    assert!(!m.is_frozen().unwrap());
}

#[test]
fn relative_paths_follow_each_hierarchy() {
    let f = fake(&["/ctr", "/process_api/c4/ctr"]);
    let m = mgr(&f, None);
    m.set(&pids(3)).unwrap();
    assert_eq!(read(f.root.join("pids/ctr/pids.max")), "3");
    let lim = LinuxResourcesBuilder::default()
        .memory(LinuxMemoryBuilder::default().limit(4096).build().unwrap())
        .build()
        .unwrap();
    m.set(&lim).unwrap();
    assert_eq!(
        read(
            f.root
                .join("memory/process_api/c4/ctr/memory.limit_in_bytes")
        ),
        "4096"
    );
}

#[test]
fn pids_stats_destroy() {
    let f = fake(&["/ctr"]);
    fs::write(f.root.join("pids/ctr/cgroup.procs"), "5\n6\n").unwrap();
    fs::write(f.root.join("pids/ctr/pids.max"), "32\n").unwrap();
    let m = mgr(&f, Some("/ctr"));
    assert_eq!(m.pids().unwrap(), vec![5, 6]);
    let s = m.stats().unwrap();
    assert_eq!(
        (s.memory.usage, s.memory.limit, s.memory.max_usage),
        (Some(12288), None, Some(16384))
    );
    assert_eq!(s.memory.inactive_file, Some(4096));
    assert_eq!(
        (s.cpu.usage_ns, s.cpu.user_ns, s.cpu.system_ns),
        (Some(900), Some(600), Some(300))
    );
    assert_eq!((s.pids.current, s.pids.limit), (Some(1), Some(32)));
    for h in V1_HIERARCHIES {
        drop_files(&f.root.join(h.trim_start_matches("name=")).join("ctr"));
    }
    m.destroy().unwrap();
    assert!(!f.root.join("memory/ctr").exists() && f.root.join("memory").is_dir());
}

#[test]
fn rootless_v1_without_delegation_is_a_noop() {
    let f = fake(&[]);
    let mut h = f.host(v1_mountinfo(&f.root, V1_HIERARCHIES, true), SELF);
    h.euid = h.euid.wrapping_add(4242);
    let m = manager_for(&h, Some("/ctr"), "ctr", true).unwrap();
    m.apply(1).unwrap();
    m.set(&pids(3)).unwrap();
    assert!(!m.can_freeze());
    assert!(!f.root.join("pids/ctr").exists());
}

/// Real cgroup v1 as root: a sleeping child gets memory and pids limits, is
/// frozen and thawed, and the cgroup is removed.
#[test]
fn real_v1_smoke() {
    let root = Path::new("/sys/fs/cgroup");
    let mode = fs::read_to_string("/proc/self/mountinfo").map(|mi| detect_mode(root, &mi));
    if rustix::process::geteuid().as_raw() != 0
        || !matches!(mode, Ok(CgroupMode::V1 | CgroupMode::Hybrid))
    {
        eprintln!("real_v1_smoke: skipped (needs root and a cgroup v1/hybrid host; mode {mode:?})");
        return;
    }
    let path = format!("/skiff-test-{}", std::process::id());
    let mut child = std::process::Command::new("sleep")
        .arg("60")
        .spawn()
        .unwrap();
    let pid = child.id() as i32;
    let m = manager(root, Some(&path), "smoke", false).unwrap();
    let r = LinuxResourcesBuilder::default()
        .memory(
            LinuxMemoryBuilder::default()
                .limit(64 << 20)
                .build()
                .unwrap(),
        )
        .pids(LinuxPidsBuilder::default().limit(16).build().unwrap())
        .build()
        .unwrap();
    let result = (|| -> Result<(), String> {
        m.apply(pid).map_err(|e| e.to_string())?;
        m.set(&r).map_err(|e| e.to_string())?;
        let mem = read(format!("/sys/fs/cgroup/memory{path}/memory.limit_in_bytes"));
        let pmax = read(format!("/sys/fs/cgroup/pids{path}/pids.max"));
        eprintln!(
            "real_v1_smoke: memory.limit_in_bytes={} pids.max={}",
            mem.trim(),
            pmax.trim()
        );
        if mem.trim() != "67108864" || pmax.trim() != "16" {
            return Err(format!("limits not applied: {mem:?} {pmax:?}"));
        }
        let procs = m.pids().map_err(|e| e.to_string())?;
        if !procs.contains(&pid) {
            return Err(format!("{pid} not in cgroup.procs {procs:?}"));
        }
        m.freeze().map_err(|e| e.to_string())?;
        if !m.is_frozen().map_err(|e| e.to_string())? {
            return Err("not frozen".into());
        }
        m.thaw().map_err(|e| e.to_string())?;
        if m.is_frozen().map_err(|e| e.to_string())? {
            return Err("still frozen".into());
        }
        let s = m.stats().map_err(|e| e.to_string())?;
        eprintln!("real_v1_smoke: stats {s:?}");
        if s.pids.current != Some(1) || s.memory.limit != Some(64 << 20) {
            return Err(format!("unexpected stats {s:?}"));
        }
        Ok(())
    })();
    let _ = child.kill();
    let _ = child.wait();
    let destroyed = m.destroy();
    result.unwrap();
    destroyed.unwrap();
    assert!(!Path::new(&format!("/sys/fs/cgroup/memory{path}")).exists());
    assert!(!Path::new(&format!("/sys/fs/cgroup/pids{path}")).exists());
}
