//! End-to-end test of the real mount work. The driver test re-runs this test
//! binary under `unshare(1)` (new mount, UTS and pid namespaces; plus a user
//! namespace for the rootless variant), where the ignored `ns_child` test
//! builds a busybox rootfs, runs prepare + pivot_and_finish + apply_sysctls
//! with a default-like spec and checks the result from inside.
use std::collections::HashMap;
use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::path::{Path, PathBuf};
use std::process::Command;

use oci_spec::runtime::{LinuxDeviceBuilder, LinuxDeviceType, MountBuilder, Spec};

use super::*;

const CHILD: &str = "runtime::rootfs::nstest::ns_child";

fn run_variant(variant: &str, unshare_args: &[&str]) -> Result<String, String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let out = Command::new("unshare")
        .args(unshare_args)
        .arg(&exe)
        .args([
            "--exact",
            CHILD,
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("SKIFF_ROOTFS_NSTEST", variant)
        .env("SKIFF_ROOTFS_NSTEST_DIR", dir.path())
        .output()
        .map_err(|e| format!("unshare: {e}"))?;
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    if out.status.success() && text.contains("NSTEST OK") {
        Ok(text)
    } else {
        Err(text)
    }
}

fn userns_available() -> bool {
    Command::new("unshare")
        .args(["-Urm", "true"])
        .status()
        .is_ok_and(|s| s.success())
}

#[test]
fn prepare_and_pivot_in_namespaces() {
    let userns = [
        "-U",
        "-r",
        "-m",
        "-u",
        "-p",
        "-f",
        "--propagation",
        "unchanged",
    ];
    let mut variants: Vec<(&str, &[&str])> = Vec::new();
    if crate::sys::effective_uid() == 0 {
        let root: &[&str] = &["-m", "-u", "-p", "-f", "--propagation", "unchanged"];
        variants.push(("root", root));
        variants.push(("nopivot", root));
    }
    if userns_available() {
        variants.push(("userns", &userns));
    }
    if variants.is_empty() {
        eprintln!("note: not root and no unprivileged user namespaces: mount test skipped");
        return;
    }
    for (name, args) in variants {
        match run_variant(name, args) {
            Ok(out) => eprintln!("variant {name}: ok\n{out}"),
            Err(out) => panic!("variant {name} failed:\n{out}"),
        }
    }
}

fn spec_for(rootfs: &Path, data: &Path, variant: &str) -> Spec {
    let mut spec = Spec::default();
    let mut mounts = spec.mounts().clone().unwrap();
    mounts.push(
        MountBuilder::default()
            .destination("/data")
            .typ("bind")
            .source(data)
            .options(vec![
                "rbind".to_string(),
                "ro".to_string(),
                "nosuid".to_string(),
            ])
            .build()
            .unwrap(),
    );
    // The image's /evil is a symlink to a host path; the tmpfs must land
    // inside the rootfs.
    mounts.push(
        MountBuilder::default()
            .destination("/evil")
            .typ("tmpfs")
            .source("tmpfs")
            .options(vec!["size=1m".to_string(), "mode=700".to_string()])
            .build()
            .unwrap(),
    );
    spec.set_mounts(Some(mounts));
    spec.set_hostname(Some("skiff-test".into()));
    let mut root = spec.root().clone().unwrap();
    root.set_path(rootfs.to_path_buf());
    root.set_readonly(Some(true));
    spec.set_root(Some(root));
    let mut linux = spec.linux().clone().unwrap();
    linux.set_sysctl(Some(HashMap::from([(
        "kernel.domainname".to_string(),
        "example.org".to_string(),
    )])));
    if variant != "userns" {
        let dev = LinuxDeviceBuilder::default()
            .path("/dev/custom/zero")
            .typ(LinuxDeviceType::C)
            .major(1)
            .minor(5)
            .file_mode(0o600u32)
            .uid(1u32)
            .gid(2u32)
            .build()
            .unwrap();
        linux.set_devices(Some(vec![dev]));
    }
    spec.set_linux(Some(linux));
    spec
}

fn same_device(a: &Path, b: &Path) -> bool {
    std::fs::metadata(a).unwrap().dev() == std::fs::metadata(b).unwrap().dev()
}

fn is_read_only(p: &Path) -> bool {
    let fd = crate::sys::fs::open_dir(p)
        .or_else(|_| {
            rustix::fs::open(p, rustix::fs::OFlags::PATH, rustix::fs::Mode::empty())
                .map_err(std::io::Error::from)
        })
        .unwrap();
    crate::sys::mount::mount_flags_of(fd.as_fd()).unwrap() & libc::MS_RDONLY != 0
}

#[test]
#[ignore = "run inside namespaces by prepare_and_pivot_in_namespaces"]
fn ns_child() {
    let variant = std::env::var("SKIFF_ROOTFS_NSTEST").expect("run by the driver test");
    let dir = PathBuf::from(std::env::var("SKIFF_ROOTFS_NSTEST_DIR").unwrap());
    let rootfs = dir.join("rootfs");
    for d in ["bin", "proc", "sys", "dev", "etc"] {
        std::fs::create_dir_all(rootfs.join(d)).unwrap();
    }
    std::fs::copy("/bin/busybox", rootfs.join("bin/busybox")).unwrap();
    let outside = dir.join("outside");
    std::fs::create_dir(&outside).unwrap();
    std::fs::create_dir_all(rootfs.join(outside.strip_prefix("/").unwrap())).unwrap();
    std::os::unix::fs::symlink(&outside, rootfs.join("evil")).unwrap();
    std::fs::write(dir.join("host-marker"), b"host").unwrap();
    let data = dir.join("data");
    std::fs::create_dir(&data).unwrap();
    std::fs::write(data.join("hello"), b"hi").unwrap();

    let spec = spec_for(&rootfs, &data, &variant);
    let ctx = RootfsContext {
        spec: &spec,
        bundle: &dir,
        rootfs: rootfs.clone(),
        rootless: variant == "userns",
        no_pivot: variant == "nopivot",
    };
    set_hostname(&spec).unwrap();
    prepare(&ctx).unwrap();
    // The symlinked target was mounted inside the rootfs, never on the host.
    assert!(same_device(&outside, &dir), "host dir got a mount");
    let inner = rootfs.join(outside.strip_prefix("/").unwrap());
    assert!(!same_device(&inner, &rootfs), "tmpfs not inside the rootfs");

    pivot_and_finish(&ctx).unwrap();
    apply_sysctls(&spec).unwrap();

    assert_eq!(std::env::current_dir().unwrap(), Path::new("/"));
    assert!(Path::new("/bin/busybox").is_file());
    assert!(
        !dir.join("host-marker").exists(),
        "old root still reachable"
    );
    let null = std::fs::metadata("/dev/null").unwrap();
    assert!(null.file_type().is_char_device());
    assert_eq!(null.rdev(), libc::makedev(1, 3));
    assert_eq!(
        std::fs::read_link("/dev/ptmx").unwrap(),
        Path::new("pts/ptmx")
    );
    assert_eq!(
        std::fs::read_link("/dev/fd").unwrap(),
        Path::new("/proc/self/fd")
    );
    assert_eq!(
        std::fs::read_link("/dev/stderr").unwrap(),
        Path::new("/proc/self/fd/2")
    );
    assert!(Path::new("/dev/pts/ptmx").exists(), "devpts not mounted");
    assert!(
        Path::new("/proc/self/mountinfo").is_file(),
        "proc not mounted"
    );
    assert!(Path::new("/sys/kernel").is_dir(), "sysfs not mounted");
    assert!(is_read_only(Path::new("/sys")));
    if Path::new("/proc/kcore").exists() {
        assert_eq!(
            std::fs::read("/proc/kcore").unwrap().len(),
            0,
            "kcore not masked"
        );
    }
    if Path::new("/sys/firmware").exists() {
        assert_eq!(std::fs::read_dir("/sys/firmware").unwrap().count(), 0);
        assert!(is_read_only(Path::new("/sys/firmware")));
    }
    assert!(is_read_only(Path::new("/proc/sys")));
    assert!(!is_read_only(Path::new("/proc")));
    assert!(is_read_only(Path::new("/")), "root not read-only");
    assert!(std::fs::write("/newfile", b"x").is_err());
    assert!(!is_read_only(Path::new("/dev/shm")));
    assert_eq!(std::fs::read("/data/hello").unwrap(), b"hi");
    assert!(is_read_only(Path::new("/data")));
    assert!(std::fs::write("/data/new", b"x").is_err());
    let evil = std::fs::metadata(&outside).unwrap();
    assert_eq!(evil.mode() & 0o7777, 0o700, "tmpfs /evil missing");
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap();
    assert_eq!(host.trim(), "skiff-test");
    let domain = std::fs::read_to_string("/proc/sys/kernel/domainname").unwrap();
    assert_eq!(domain.trim(), "example.org");
    if variant != "userns" {
        let m = std::fs::metadata("/dev/custom/zero").unwrap();
        assert!(m.file_type().is_char_device());
        assert_eq!((m.mode() & 0o7777, m.uid(), m.gid()), (0o600, 1, 2));
        assert_eq!(m.rdev(), libc::makedev(1, 5));
    }
    let mountinfo = std::fs::read_to_string("/proc/self/mountinfo").unwrap();
    println!("{mountinfo}");
    println!("NSTEST OK {variant}");
}
