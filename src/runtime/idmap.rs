//! Writing a new user namespace's id maps. Directly to /proc/<pid>/*_map when
//! the kernel lets us (real root, or a single mapping of our own id), through
//! the setuid `newuidmap`/`newgidmap` helpers (which check /etc/subuid and
//! /etc/subgid) otherwise.
use std::process::Command;

use oci_spec::runtime::LinuxIdMapping;

use super::error::RuntimeError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    Uid,
    Gid,
}

impl Which {
    fn file(self) -> &'static str {
        match self {
            Which::Uid => "uid_map",
            Which::Gid => "gid_map",
        }
    }
    fn helper(self) -> &'static str {
        match self {
            Which::Uid => "newuidmap",
            Which::Gid => "newgidmap",
        }
    }
}

/// The kernel's map format: one "inside outside count" line per mapping.
pub fn map_text(maps: &[LinuxIdMapping]) -> String {
    maps.iter()
        .map(|m| format!("{} {} {}\n", m.container_id(), m.host_id(), m.size()))
        .collect()
}

/// Arguments of newuidmap/newgidmap: `<pid> <inside> <outside> <count>...`.
pub fn helper_args(pid: i32, maps: &[LinuxIdMapping]) -> Vec<String> {
    let mut v = vec![pid.to_string()];
    for m in maps {
        v.push(m.container_id().to_string());
        v.push(m.host_id().to_string());
        v.push(m.size().to_string());
    }
    v
}

/// Whether `maps` is exactly one mapping of the single id `own`, the one
/// case an unprivileged process may write itself.
pub fn is_single_self(maps: &[LinuxIdMapping], own: u32) -> bool {
    matches!(maps, [m] if m.host_id() == own && m.size() == 1)
}

/// How the maps of one kind get written.
#[derive(Debug, PartialEq, Eq)]
pub enum Method {
    Direct,
    Helper,
}

pub fn method(privileged: bool, maps: &[LinuxIdMapping], own: u32) -> Method {
    if privileged || is_single_self(maps, own) {
        Method::Direct
    } else {
        Method::Helper
    }
}

/// Writes both maps of the user namespace of `pid`. `privileged`: euid 0
/// (in our own user namespace), so the kernel accepts any mapping of ids we
/// have.
pub fn write_maps(
    pid: i32,
    uid_maps: &[LinuxIdMapping],
    gid_maps: &[LinuxIdMapping],
    privileged: bool,
) -> Result<(), RuntimeError> {
    let euid = crate::sys::effective_uid();
    let egid = rustix::process::getegid().as_raw();
    let gid_method = method(privileged, gid_maps, egid);
    if !privileged && gid_method == Method::Direct && !gid_maps.is_empty() {
        // An unprivileged gid_map write requires setgroups to be denied first
        // (otherwise the mapped process could drop a group used to deny it
        // access).
        write_proc(pid, "setgroups", "deny")?;
    }
    write_one(
        pid,
        Which::Uid,
        uid_maps,
        method(privileged, uid_maps, euid),
    )?;
    write_one(pid, Which::Gid, gid_maps, gid_method)
}

fn write_one(
    pid: i32,
    which: Which,
    maps: &[LinuxIdMapping],
    how: Method,
) -> Result<(), RuntimeError> {
    if maps.is_empty() {
        return Ok(());
    }
    match how {
        Method::Direct => write_proc(pid, which.file(), &map_text(maps)),
        Method::Helper => {
            let out = Command::new(which.helper())
                .args(helper_args(pid, maps))
                .output()
                .map_err(|e| {
                    RuntimeError::Unsupported(format!(
                        "{} is needed for a user namespace with id ranges: {e}",
                        which.helper()
                    ))
                })?;
            if out.status.success() {
                Ok(())
            } else {
                Err(RuntimeError::Init(format!(
                    "{} {}: {}",
                    which.helper(),
                    helper_args(pid, maps).join(" "),
                    String::from_utf8_lossy(&out.stderr).trim()
                )))
            }
        }
    }
}

fn write_proc(pid: i32, file: &str, text: &str) -> Result<(), RuntimeError> {
    let path = format!("/proc/{pid}/{file}");
    // One write(2): the kernel accepts a map only as a single write.
    std::fs::write(&path, text.as_bytes())
        .map_err(|e| RuntimeError::io(format!("writing {path} ({})", text.trim()), e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use oci_spec::runtime::LinuxIdMappingBuilder;

    fn m(c: u32, h: u32, s: u32) -> LinuxIdMapping {
        LinuxIdMappingBuilder::default()
            .container_id(c)
            .host_id(h)
            .size(s)
            .build()
            .unwrap()
    }

    #[test]
    fn text_and_args() {
        let maps = [m(0, 1000, 1), m(1, 100000, 65536)];
        assert_eq!(map_text(&maps), "0 1000 1\n1 100000 65536\n");
        assert_eq!(
            helper_args(42, &maps),
            ["42", "0", "1000", "1", "1", "100000", "65536"]
        );
    }

    #[test]
    fn methods() {
        assert!(is_single_self(&[m(0, 1000, 1)], 1000));
        assert!(!is_single_self(&[m(0, 1000, 2)], 1000));
        assert!(!is_single_self(&[m(0, 1001, 1)], 1000));
        assert!(!is_single_self(&[m(0, 1000, 1), m(1, 100000, 10)], 1000));
        assert_eq!(method(false, &[m(0, 1000, 1)], 1000), Method::Direct);
        assert_eq!(method(false, &[m(0, 100000, 65536)], 1000), Method::Helper);
        assert_eq!(method(true, &[m(0, 100000, 65536)], 0), Method::Direct);
    }
}
