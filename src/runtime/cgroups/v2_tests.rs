//! v2 writer against fake unified trees.
use std::collections::HashMap;
use std::fs;

use oci_spec::runtime::{
    LinuxBlockIoBuilder, LinuxCpuBuilder, LinuxDeviceCgroupBuilder, LinuxHugepageLimitBuilder,
    LinuxMemoryBuilder, LinuxPidsBuilder, LinuxResources, LinuxResourcesBuilder,
};

use crate::runtime::cgroups::testutil::{Fake, drop_files, read, v2_dir, v2_mountinfo};
use crate::runtime::cgroups::{CgroupError, CgroupManager, manager_for};

const ALL: &[&str] = &["cpuset", "cpu", "io", "memory", "hugetlb", "pids"];

fn fake() -> Fake {
    let f = Fake::new();
    v2_dir(&f.root, ALL);
    f
}

fn mgr(f: &Fake, path: Option<&str>, rootless: bool) -> Box<dyn CgroupManager> {
    manager_for(
        &f.host(v2_mountinfo(&f.root), "0::/\n"),
        path,
        "ctr",
        rootless,
    )
    .unwrap()
}

fn memory(limit: i64) -> LinuxResources {
    LinuxResourcesBuilder::default()
        .memory(LinuxMemoryBuilder::default().limit(limit).build().unwrap())
        .build()
        .unwrap()
}

#[test]
fn delegation_enables_controllers_up_the_path() {
    let f = fake();
    fs::write(f.root.join("cgroup.subtree_control"), "cpu memory").unwrap();
    v2_dir(&f.root.join("skiff"), ALL);
    v2_dir(&f.root.join("skiff/ctr"), ALL);
    let m = mgr(&f, Some("/skiff/ctr"), false);
    m.apply(4242).unwrap();
    // Only what each level lacks, in one write.
    assert_eq!(
        read(f.root.join("cgroup.subtree_control")),
        "+cpuset +io +hugetlb +pids"
    );
    assert_eq!(
        read(f.root.join("skiff/cgroup.subtree_control")),
        "+cpuset +cpu +io +memory +hugetlb +pids"
    );
    // The leaf keeps no controllers for children: processes live there.
    assert_eq!(read(f.root.join("skiff/ctr/cgroup.subtree_control")), "");
    assert_eq!(read(f.root.join("skiff/ctr/cgroup.procs")), "4242");
    assert_eq!(m.unified_dir(), Some(f.root.join("skiff/ctr")));
}

#[test]
fn creates_missing_directories() {
    let f = fake();
    let m = mgr(&f, Some("/a/b"), false);
    // The fake has no kernel to fill new dirs, so cgroup.procs is missing:
    // the write is reported with the file and the value.
    let e = m.apply(7).unwrap_err();
    assert!(f.root.join("a/b").is_dir());
    assert!(e.to_string().contains("cgroup.procs = \"7\""), "{e}");
}

#[test]
fn writes_every_resource() {
    let f = fake();
    v2_dir(&f.root.join("ctr"), ALL);
    let r = LinuxResourcesBuilder::default()
        .memory(
            LinuxMemoryBuilder::default()
                .limit(100 << 20)
                .reservation(50 << 20)
                .swap(300 << 20)
                .build()
                .unwrap(),
        )
        .cpu(
            LinuxCpuBuilder::default()
                .shares(1024u64)
                .quota(50_000i64)
                .period(100_000u64)
                .burst(1000u64)
                .cpus("0-1")
                .mems("0")
                .build()
                .unwrap(),
        )
        .pids(LinuxPidsBuilder::default().limit(64).build().unwrap())
        .block_io(
            LinuxBlockIoBuilder::default()
                .weight(500u16)
                .build()
                .unwrap(),
        )
        .hugepage_limits(vec![
            LinuxHugepageLimitBuilder::default()
                .page_size("2MB")
                .limit(1i64 << 21)
                .build()
                .unwrap(),
        ])
        .build()
        .unwrap();
    mgr(&f, Some("/ctr"), false).set(&r).unwrap();
    let d = f.root.join("ctr");
    let expect = [
        ("memory.max", "104857600"),
        ("memory.low", "52428800"),
        ("memory.swap.max", "209715200"),
        ("cpu.weight", "39"),
        ("cpu.max", "50000 100000"),
        ("cpu.max.burst", "1000"),
        ("cpuset.cpus", "0-1"),
        ("cpuset.mems", "0"),
        ("pids.max", "64"),
        ("io.weight", "default 4950"),
        ("hugetlb.2MB.max", "2097152"),
    ];
    for (file, v) in expect {
        assert_eq!(read(d.join(file)), v, "{file}");
    }
    // Untouched files keep the kernel's defaults.
    assert_eq!(read(d.join("cpu.idle")), "0");
}

#[test]
fn cpu_max_update_keeps_the_other_number() {
    let f = fake();
    v2_dir(&f.root.join("ctr"), ALL);
    fs::write(f.root.join("ctr/cpu.max"), "max 20000\n").unwrap();
    let m = mgr(&f, Some("/ctr"), false);
    let cpu = |q: Option<i64>, p: Option<u64>| {
        let mut b = LinuxCpuBuilder::default();
        if let Some(q) = q {
            b = b.quota(q);
        }
        if let Some(p) = p {
            b = b.period(p);
        }
        LinuxResourcesBuilder::default()
            .cpu(b.build().unwrap())
            .build()
            .unwrap()
    };
    m.set(&cpu(Some(5000), None)).unwrap();
    assert_eq!(read(f.root.join("ctr/cpu.max")), "5000 20000");
    m.set(&cpu(None, Some(10_000))).unwrap();
    assert_eq!(read(f.root.join("ctr/cpu.max")), "5000 10000");
    m.set(&cpu(Some(-1), None)).unwrap();
    assert_eq!(read(f.root.join("ctr/cpu.max")), "max 10000");
}

#[test]
fn unified_map_is_written_last() {
    let f = fake();
    v2_dir(&f.root.join("ctr"), ALL);
    let r = LinuxResourcesBuilder::default()
        .pids(LinuxPidsBuilder::default().limit(64).build().unwrap())
        .unified(HashMap::from([("pids.max".to_string(), "99".to_string())]))
        .build()
        .unwrap();
    let m = mgr(&f, Some("/ctr"), false);
    m.set(&r).unwrap();
    assert_eq!(read(f.root.join("ctr/pids.max")), "99");
    let bad = LinuxResourcesBuilder::default()
        .unified(HashMap::from([("../x".to_string(), "1".to_string())]))
        .build()
        .unwrap();
    assert!(matches!(m.set(&bad), Err(CgroupError::InvalidValue(_))));
}

#[test]
fn limits_that_cannot_be_applied_are_errors_as_root() {
    let f = fake();
    v2_dir(&f.root.join("ctr"), &["pids"]);
    let m = mgr(&f, Some("/ctr"), false);
    let e = m.set(&memory(1 << 20)).unwrap_err().to_string();
    assert!(
        e.contains("memory.max = \"1048576\"") && e.contains("memory controller"),
        "{e}"
    );
    // The same as a rootless manager in a delegated tree: warned and skipped.
    mgr(&f, Some("/ctr"), true).set(&memory(1 << 20)).unwrap();
    // Things v2 has no file for.
    let sw = LinuxResourcesBuilder::default()
        .memory(
            LinuxMemoryBuilder::default()
                .swappiness(10u64)
                .build()
                .unwrap(),
        )
        .build()
        .unwrap();
    assert!(matches!(m.set(&sw), Err(CgroupError::Unsupported(_))));
}

#[test]
fn internal_processes_rule_is_explained() {
    let f = fake();
    v2_dir(&f.root.join("busy"), ALL);
    fs::write(f.root.join("busy/cgroup.procs"), "1234\n").unwrap();
    v2_dir(&f.root.join("busy/ctr"), &[]);
    let e = mgr(&f, Some("/busy/ctr"), false)
        .set(&memory(1 << 20))
        .unwrap_err()
        .to_string();
    assert!(e.contains("no internal processes"), "{e}");
}

#[test]
fn device_rules() {
    let f = fake();
    v2_dir(&f.root.join("ctr"), ALL);
    let rules = |allow: bool| {
        LinuxResourcesBuilder::default()
            .devices(vec![
                LinuxDeviceCgroupBuilder::default()
                    .allow(allow)
                    .access("rwm")
                    .build()
                    .unwrap(),
            ])
            .build()
            .unwrap()
    };
    let e = mgr(&f, Some("/ctr"), false)
        .set(&rules(false))
        .unwrap_err()
        .to_string();
    assert!(
        // A fake tree is no cgroup2 file system: no eBPF program can go there.
        e.contains("not a cgroup v2 directory"),
        "{e}"
    );
    mgr(&f, Some("/ctr"), false).set(&rules(true)).unwrap();
    mgr(&f, Some("/ctr"), true).set(&rules(false)).unwrap();
}

#[test]
fn freeze_and_thaw_wait_for_events() {
    let f = fake();
    let d = f.root.join("ctr");
    v2_dir(&d, ALL);
    let m = mgr(&f, Some("/ctr"), false);
    assert!(m.can_freeze());
    fs::write(d.join("cgroup.events"), "populated 1\nfrozen 1\n").unwrap();
    m.freeze().unwrap();
    assert_eq!(read(d.join("cgroup.freeze")), "1");
    assert!(m.is_frozen().unwrap());
    // The kernel never reports thawed here: a clear timeout.
    let e = m.thaw().unwrap_err();
    assert!(matches!(e, CgroupError::Timeout { .. }), "{e}");
    fs::write(d.join("cgroup.events"), "populated 1\nfrozen 0\n").unwrap();
    m.thaw().unwrap();
    assert_eq!(read(d.join("cgroup.freeze")), "0");
    assert!(!m.is_frozen().unwrap());
}

#[test]
fn pids_stats_destroy() {
    let f = fake();
    let d = f.root.join("ctr");
    v2_dir(&d, ALL);
    v2_dir(&d.join("sub"), &[]);
    fs::write(d.join("cgroup.procs"), "12\n34\n").unwrap();
    fs::write(d.join("sub/cgroup.procs"), "56\n").unwrap();
    fs::write(d.join("pids.max"), "100\n").unwrap();
    let m = mgr(&f, Some("/ctr"), false);
    let mut p = m.pids().unwrap();
    p.sort();
    assert_eq!(p, vec![12, 34, 56]);
    let s = m.stats().unwrap();
    assert_eq!(
        (s.memory.usage, s.memory.limit, s.memory.max_usage),
        (Some(4096), None, Some(8192))
    );
    assert_eq!(s.memory.inactive_file, Some(1024));
    assert_eq!(
        (s.cpu.usage_ns, s.cpu.user_ns, s.cpu.system_ns),
        (Some(7000), Some(4000), Some(3000))
    );
    assert_eq!((s.pids.current, s.pids.limit), (Some(2), Some(100)));
    drop_files(&d);
    m.destroy().unwrap();
    assert!(!d.exists() && f.root.is_dir());
    m.destroy().unwrap();
}

#[test]
fn relative_path_is_under_own_cgroup() {
    let f = fake();
    let own = "user.slice/user-1000.slice/user@1000.service/app.slice/x.scope";
    v2_dir(&f.root.join(own).join("ctr"), ALL);
    // The user manager's cgroup, delegated to the user (the test's uid).
    v2_dir(
        &f.root.join("user.slice/user-1000.slice/user@1000.service"),
        ALL,
    );
    let h = f.host(v2_mountinfo(&f.root), &format!("0::/{own}\n"));
    let m = manager_for(&h, None, "ctr", false).unwrap();
    assert_eq!(m.unified_dir(), Some(f.root.join(own).join("ctr")));
    let m = manager_for(&h, Some("user.slice:libpod:abc"), "ctr", true).unwrap();
    assert_eq!(
        m.unified_dir(),
        Some(
            f.root
                .join("user.slice/user-1000.slice/user@1000.service/user.slice/libpod-abc.scope")
        )
    );
}

#[test]
fn rootless_without_delegation_is_a_noop() {
    let f = fake();
    let mut h = f.host(v2_mountinfo(&f.root), "0::/\n");
    h.euid = h.euid.wrapping_add(4242);
    let m = manager_for(&h, Some("/ctr"), "ctr", true).unwrap();
    assert_eq!(m.unified_dir(), None);
    assert!(!m.can_freeze());
    m.apply(1).unwrap();
    m.set(&memory(1 << 20)).unwrap();
    assert_eq!(m.pids().unwrap(), Vec::<i32>::new());
    assert!(matches!(m.stats(), Err(CgroupError::NoCgroup(_))));
    assert!(matches!(m.freeze(), Err(CgroupError::NoCgroup(_))));
    m.destroy().unwrap();
    assert!(
        !f.root.join("ctr").exists(),
        "the no-op manager creates nothing"
    );
    // The same host as root: the v2 manager.
    assert!(
        manager_for(&h, Some("/ctr"), "ctr", false)
            .unwrap()
            .unified_dir()
            .is_some()
    );
}

#[test]
fn no_cgroupfs() {
    let f = fake();
    let h = f.host("22 1 0:21 / /proc rw - proc proc rw\n".into(), "0::/\n");
    manager_for(&h, None, "ctr", true)
        .unwrap()
        .set(&memory(1))
        .unwrap();
    let e = manager_for(&h, None, "ctr", false)
        .unwrap()
        .set(&memory(1))
        .unwrap_err();
    assert!(e.to_string().contains("no cgroup filesystem"), "{e}");
    // Nothing asked: nothing to refuse.
    let empty = LinuxResourcesBuilder::default().build().unwrap();
    manager_for(&h, None, "ctr", false)
        .unwrap()
        .set(&empty)
        .unwrap();
}

#[test]
fn open_for_clone_creates_the_leaf_and_opens_it() {
    let f = fake();
    let m = mgr(&f, Some("/skiff/new"), false);
    let fd = m.open_for_clone().expect("an fd for CLONE_INTO_CGROUP");
    assert!(f.root.join("skiff/new").is_dir());
    // The fd is the leaf directory itself.
    let a = rustix::fs::fstat(&fd).unwrap();
    let b = rustix::fs::stat(f.root.join("skiff/new")).unwrap();
    assert_eq!((a.st_dev, a.st_ino), (b.st_dev, b.st_ino));
    // Nothing was moved: the clone does that.
    assert!(
        !f.root.join("skiff/new/cgroup.procs").exists()
            || read(f.root.join("skiff/new/cgroup.procs")).is_empty()
    );
}
