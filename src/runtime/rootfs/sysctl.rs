//! `linux.sysctl`: names validated and checked to belong to a namespace the
//! container has (a sysctl outside one would change the host), then written
//! under /proc/sys.
use std::io::{Read, Write};
use std::os::fd::AsFd;
use std::path::Path;

use oci_spec::runtime::{LinuxNamespaceType, Spec};
use rustix::fs::OFlags;

use crate::sys::fs as sfs;

use super::RootfsError;

fn err(name: &str, reason: impl Into<String>) -> RootfsError {
    RootfsError::Sysctl {
        name: name.to_string(),
        reason: reason.into(),
    }
}

/// The components of a sysctl name: dotted (`net.ipv4.ip_forward`) or, as
/// sysctl(8) allows when a component itself has dots, slashed
/// (`net/ipv4/conf/eth0.100/forwarding`). Empty, `.` and `..` components are
/// refused so the path cannot leave /proc/sys.
pub fn components(name: &str) -> Result<Vec<&str>, RootfsError> {
    let sep = if name.contains('/') { '/' } else { '.' };
    let parts: Vec<&str> = name.split(sep).collect();
    for p in &parts {
        if p.is_empty() || *p == "." || *p == ".." {
            return Err(err(name, "invalid name"));
        }
        if p.bytes().any(|b| b == 0 || b.is_ascii_whitespace()) {
            return Err(err(name, "invalid character in name"));
        }
    }
    Ok(parts)
}

/// IPC sysctls, namespaced by the IPC namespace (besides `fs.mqueue.*`).
const IPC: &[&str] = &[
    "kernel.msgmax",
    "kernel.msgmnb",
    "kernel.msgmni",
    "kernel.sem",
    "kernel.shmall",
    "kernel.shmmax",
    "kernel.shmmni",
    "kernel.shm_rmid_forced",
];

/// The namespace that makes `name` the container's own, or `None` when the
/// sysctl is global.
pub fn namespace_of(name: &str) -> Result<Option<LinuxNamespaceType>, RootfsError> {
    let dotted = components(name)?.join(".");
    Ok(
        if IPC.contains(&dotted.as_str()) || dotted.starts_with("fs.mqueue.") {
            Some(LinuxNamespaceType::Ipc)
        } else if dotted.starts_with("net.") {
            Some(LinuxNamespaceType::Network)
        } else if dotted == "kernel.hostname" || dotted == "kernel.domainname" {
            Some(LinuxNamespaceType::Uts)
        } else {
            None
        },
    )
}

/// Refuses a sysctl that would not be confined to the container.
pub fn check_namespace(spec: &Spec, name: &str) -> Result<(), RootfsError> {
    let Some(ns) = namespace_of(name)? else {
        return Err(err(name, "not namespaced: it would change the host"));
    };
    if super::has_namespace(spec, ns) {
        Ok(())
    } else {
        Err(err(
            name,
            format!("needs its own {ns} namespace, the host's would change"),
        ))
    }
}

/// Sets one sysctl of the running container. The UTS names go through
/// sethostname/setdomainname: their /proc/sys files belong to the initial
/// user namespace's root, so a rootless container could not write them.
pub fn apply(name: &str, value: &str) -> Result<(), RootfsError> {
    let dotted = components(name)?.join(".");
    let uts = match dotted.as_str() {
        "kernel.hostname" => Some(crate::sys::mount::sethostname(value)),
        "kernel.domainname" => Some(crate::sys::mount::setdomainname(value)),
        _ => None,
    };
    match uts {
        Some(r) => r.map_err(|e| err(name, e.to_string())),
        None => write(Path::new("/proc/sys"), name, value),
    }
}

/// Same value modulo whitespace (the kernel prints `kernel.sem` with tabs).
pub fn same_value(current: &str, wanted: &str) -> bool {
    current.split_whitespace().eq(wanted.split_whitespace())
}

/// Writes `value` to `<proc_sys>/<name as a path>` unless it is there already.
pub fn write(proc_sys: &Path, name: &str, value: &str) -> Result<(), RootfsError> {
    let rel = components(name)?.join("/");
    let dir =
        sfs::open_dir(proc_sys).map_err(|e| err(name, format!("{}: {e}", proc_sys.display())))?;
    if let Ok(fd) = sfs::open_in_root(dir.as_fd(), rel.as_bytes(), OFlags::RDONLY, 0) {
        let mut current = String::new();
        if std::fs::File::from(fd).read_to_string(&mut current).is_ok()
            && same_value(&current, value)
        {
            return Ok(());
        }
    }
    let fd = sfs::open_in_root(
        dir.as_fd(),
        rel.as_bytes(),
        OFlags::WRONLY | OFlags::TRUNC,
        0,
    )
    .map_err(|e| err(name, e.to_string()))?;
    std::fs::File::from(fd)
        .write_all(value.as_bytes())
        .map_err(|e| err(name, format!("writing {value:?}: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use oci_spec::runtime::{LinuxBuilder, LinuxNamespaceBuilder, SpecBuilder};

    #[test]
    fn names_are_validated() {
        assert_eq!(
            components("net.ipv4.ip_forward").unwrap(),
            ["net", "ipv4", "ip_forward"]
        );
        assert_eq!(
            components("net/ipv4/conf/eth0.100/forwarding").unwrap(),
            ["net", "ipv4", "conf", "eth0.100", "forwarding"]
        );
        for bad in [
            "",
            "net..ipv4",
            "net/../../etc/passwd",
            ".net",
            "kernel.",
            "a b",
            "x/./y",
        ] {
            assert!(components(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn namespaces_of_sysctls() {
        let ns = |n| namespace_of(n).unwrap();
        assert_eq!(ns("kernel.shmmax"), Some(LinuxNamespaceType::Ipc));
        assert_eq!(ns("fs.mqueue.msg_max"), Some(LinuxNamespaceType::Ipc));
        assert_eq!(ns("net.ipv4.ip_forward"), Some(LinuxNamespaceType::Network));
        assert_eq!(
            ns("net/ipv4/conf/eth0.100/forwarding"),
            Some(LinuxNamespaceType::Network)
        );
        assert_eq!(ns("kernel.domainname"), Some(LinuxNamespaceType::Uts));
        assert_eq!(ns("kernel.panic"), None);
        assert_eq!(ns("vm.swappiness"), None);
    }

    #[test]
    fn sysctl_needs_the_namespace_in_the_spec() {
        let net = LinuxNamespaceBuilder::default()
            .typ(LinuxNamespaceType::Network)
            .build()
            .unwrap();
        let linux = LinuxBuilder::default()
            .namespaces(vec![net])
            .build()
            .unwrap();
        let spec = SpecBuilder::default().linux(linux).build().unwrap();
        check_namespace(&spec, "net.ipv4.ip_forward").unwrap();
        assert!(check_namespace(&spec, "kernel.shmmax").is_err());
        assert!(check_namespace(&spec, "kernel.panic").is_err());
    }

    #[test]
    fn write_goes_under_the_given_tree_only() {
        let d = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(d.path().join("net/ipv4")).unwrap();
        std::fs::write(d.path().join("net/ipv4/ip_forward"), b"0").unwrap();
        write(d.path(), "net.ipv4.ip_forward", "1").unwrap();
        assert_eq!(
            std::fs::read(d.path().join("net/ipv4/ip_forward")).unwrap(),
            b"1"
        );
        // An equal value is not rewritten: a read-only file is fine then.
        use std::os::unix::fs::PermissionsExt;
        let f = d.path().join("net/ipv4/ip_forward");
        std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o444)).unwrap();
        write(d.path(), "net.ipv4.ip_forward", " 1\n").unwrap();
        assert!(same_value("250\t32000\t32\t128\n", "250 32000 32 128"));
        assert!(!same_value("0\n", "1"));
        // Missing entries are an error, not created.
        assert!(write(d.path(), "net.ipv4.nope", "1").is_err());
        assert!(!d.path().join("net/ipv4/nope").exists());
    }
}
