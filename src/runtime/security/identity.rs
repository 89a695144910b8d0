//! Switching the container process to its user, groups and capabilities.
//!
//! Order (the same as runc's and crun's): drop the bounding set while still
//! privileged, PR_SET_KEEPCAPS so the permitted set survives the uid change,
//! setgroups, setresgid, setresuid, then one capset for effective/permitted/
//! inheritable and finally the ambient set. After execve the kernel derives
//! the new sets from these: a non-root user keeps only the ambient set (plus
//! file capabilities); uid 0 gets the bounding set (capabilities(7)).
use nix::errno::Errno;
use oci_spec::runtime::{LinuxCapabilities, User};

use super::SecurityError;
use super::capabilities::{self, CapMasks};
use crate::sys::security as sys;

/// Applies `user` (uid, gid, additionalGids) and the capability sets of
/// `caps` to the calling process. `None` (no `capabilities` object in the
/// config) and absent sets mean empty sets.
pub fn apply_identity(user: &User, caps: Option<&LinuxCapabilities>) -> Result<(), SecurityError> {
    let last = capabilities::last_cap();
    let (want, unsupported) = capabilities::masks(caps, last);
    if !unsupported.is_empty() {
        eprintln!(
            "skiff: ignoring capabilities this kernel does not know: {}",
            unsupported.join(", ")
        );
    }
    capabilities::check_relations(&want)?;

    let held = sys::capget().map_err(|e| SecurityError::syscall("capget", e))?;
    // Only capabilities we hold can be granted; say which are missing before
    // changing anything (e.g. CAP_SYS_RESOURCE when the host withheld it).
    let missing = (want.permitted | want.inheritable | want.ambient) & !held.permitted;
    if missing != 0 {
        return Err(SecurityError::CapabilityNotHeld(capabilities::names_of(
            missing,
        )));
    }

    drop_bounding(want.bounding, last)?;
    sys::set_keepcaps(true).map_err(|e| SecurityError::syscall("prctl(PR_SET_KEEPCAPS)", e))?;
    set_groups(user)?;
    sys::setresgid(user.gid())
        .map_err(|e| SecurityError::syscall(format!("setresgid({})", user.gid()), e))?;
    sys::setresuid(user.uid())
        .map_err(|e| SecurityError::syscall(format!("setresuid({})", user.uid()), e))?;
    apply_sets(&want)?;
    sys::set_keepcaps(false).map_err(|e| SecurityError::syscall("prctl(PR_SET_KEEPCAPS)", e))
}

fn drop_bounding(keep: u64, last: u32) -> Result<(), SecurityError> {
    for cap in 0..=last.min(63) {
        if keep & (1 << cap) != 0 {
            continue;
        }
        match sys::bounding_has(cap) {
            Ok(false) => continue,
            Ok(true) => {}
            // A number the kernel does not know cannot be in the set.
            Err(Errno::EINVAL) => continue,
            Err(e) => return Err(SecurityError::syscall("prctl(PR_CAPBSET_READ)", e)),
        }
        sys::bounding_drop(cap).map_err(|e| {
            SecurityError::syscall(
                format!(
                    "dropping {} from the bounding set",
                    capabilities::names_of(1 << cap)
                ),
                e,
            )
        })?;
    }
    Ok(())
}

/// Whether this user namespace allows setgroups (`/proc/self/setgroups` is
/// "deny" in a namespace whose gid map was written without privilege).
fn setgroups_allowed() -> bool {
    std::fs::read_to_string("/proc/self/setgroups").map_or(true, |s| s.trim() != "deny")
}

fn set_groups(user: &User) -> Result<(), SecurityError> {
    let gids: &[u32] = user.additional_gids().as_deref().unwrap_or(&[]);
    if !setgroups_allowed() {
        if !gids.is_empty() {
            eprintln!(
                "skiff: additionalGids {gids:?} not applied: setgroups is denied in this user namespace"
            );
        }
        return Ok(());
    }
    // An empty list is still written: it clears the groups the runtime
    // itself had, which must not leak into the container.
    sys::setgroups(gids).map_err(|e| SecurityError::syscall(format!("setgroups({gids:?})"), e))
}

fn apply_sets(want: &CapMasks) -> Result<(), SecurityError> {
    sys::capset(&sys::CapSets {
        effective: want.effective,
        permitted: want.permitted,
        inheritable: want.inheritable,
    })
    .map_err(|e| SecurityError::syscall("capset", e))?;
    sys::ambient_clear_all().map_err(|e| SecurityError::syscall("clearing the ambient set", e))?;
    for cap in 0..64u32 {
        if want.ambient & (1 << cap) != 0 {
            sys::ambient_raise(cap).map_err(|e| {
                SecurityError::syscall(
                    format!("raising ambient {}", capabilities::names_of(1 << cap)),
                    e,
                )
            })?;
        }
    }
    Ok(())
}

/// Sets no_new_privs: from here on execve never grants privileges (setuid
/// bits, file capabilities), and seccomp filters load without CAP_SYS_ADMIN.
pub fn set_no_new_privileges() -> Result<(), SecurityError> {
    sys::set_no_new_privs().map_err(|e| SecurityError::syscall("prctl(PR_SET_NO_NEW_PRIVS)", e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::security::test_support::run_in_child;

    fn status_field(status: &str, name: &str) -> String {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .unwrap_or_else(|| panic!("{name} missing in {status}"))
            .trim()
            .to_string()
    }

    #[test]
    fn no_new_privileges_is_set_in_child() {
        let out = run_in_child(|| {
            set_no_new_privileges().map_err(|e| e.to_string())?;
            Ok(format!(
                "{}",
                sys::no_new_privs().map_err(|e| e.to_string())?
            ))
        });
        assert_eq!(out, "true");
    }

    #[test]
    fn apply_identity_switches_user_groups_and_caps() {
        if sys::capget().unwrap().effective & (1 << 7 | 1 << 6 | 1 << 8)
            != (1 << 7 | 1 << 6 | 1 << 8)
        {
            println!(
                "note: skipped apply_identity_switches_user_groups_and_caps: needs root (CAP_SETUID/SETGID/SETPCAP)"
            );
            return;
        }
        let user: User = serde_json::from_value(serde_json::json!(
            {"uid": 1000, "gid": 1000, "additionalGids": [5]}))
        .unwrap();
        let caps: LinuxCapabilities = serde_json::from_value(serde_json::json!({
            "bounding": ["CAP_KILL", "CAP_NET_BIND_SERVICE", "CAP_CHOWN"],
            "permitted": ["CAP_KILL", "CAP_NET_BIND_SERVICE"],
            "effective": ["CAP_KILL"],
            "inheritable": ["CAP_NET_BIND_SERVICE"],
            "ambient": ["CAP_NET_BIND_SERVICE"]
        }))
        .unwrap();
        let status = run_in_child(move || {
            apply_identity(&user, Some(&caps)).map_err(|e| e.to_string())?;
            std::fs::read_to_string("/proc/self/status").map_err(|e| e.to_string())
        });
        let kill = 1u64 << 5;
        let nbs = 1u64 << 10;
        let chown = 1u64;
        let hex = |v: u64| format!("{v:016x}");
        assert_eq!(status_field(&status, "CapEff:"), hex(kill), "{status}");
        assert_eq!(status_field(&status, "CapPrm:"), hex(kill | nbs));
        assert_eq!(status_field(&status, "CapInh:"), hex(nbs));
        assert_eq!(status_field(&status, "CapAmb:"), hex(nbs));
        assert_eq!(status_field(&status, "CapBnd:"), hex(kill | nbs | chown));
        let ids = |f: &str| {
            status_field(&status, f)
                .split_whitespace()
                .map(str::to_string)
                .collect::<Vec<_>>()
        };
        assert_eq!(ids("Uid:"), vec!["1000"; 4]);
        assert_eq!(ids("Gid:"), vec!["1000"; 4]);
        assert_eq!(ids("Groups:"), vec!["5"]);
    }

    #[test]
    fn apply_identity_in_a_user_namespace_like_rootless() {
        // The rootless case: root of a fresh user namespace mapping only the
        // caller, setgroups denied, Docker's default capabilities.
        let (uid, gid) = (crate::sys::real_uid(), crate::sys::real_gid());
        let caps_list = capabilities::docker_default_capabilities();
        let caps: LinuxCapabilities = serde_json::from_value(serde_json::json!({
            "bounding": caps_list, "effective": caps_list, "permitted": caps_list
        }))
        .unwrap();
        let user: User =
            serde_json::from_value(serde_json::json!({"uid": 0, "gid": 0, "additionalGids": [5]}))
                .unwrap();
        let (status, out) =
            crate::runtime::security::test_support::run_in_child_status(move || {
                if nix::sched::unshare(nix::sched::CloneFlags::CLONE_NEWUSER).is_err() {
                    return Ok("no-userns".into());
                }
                let write =
                    |f: &str, s: String| std::fs::write(f, s).map_err(|e| format!("{f}: {e}"));
                write("/proc/self/setgroups", "deny".into())?;
                write("/proc/self/uid_map", format!("0 {uid} 1"))?;
                write("/proc/self/gid_map", format!("0 {gid} 1"))?;
                apply_identity(&user, Some(&caps)).map_err(|e| e.to_string())?;
                std::fs::read_to_string("/proc/self/status").map_err(|e| e.to_string())
            });
        assert!(
            matches!(status, nix::sys::wait::WaitStatus::Exited(_, 0)),
            "{status:?} {out}"
        );
        let status_text = out.strip_prefix("ok:").unwrap_or_else(|| panic!("{out}"));
        if status_text == "no-userns" {
            println!("note: skipped: unshare(CLONE_NEWUSER) refused on this host");
            return;
        }
        let mut want = 0u64;
        for n in &caps_list {
            want |= 1 << capabilities::parse_capability(n).unwrap();
        }
        let hex = format!("{want:016x}");
        assert_eq!(status_field(status_text, "CapEff:"), hex, "{status_text}");
        assert_eq!(status_field(status_text, "CapPrm:"), hex);
        assert_eq!(status_field(status_text, "CapBnd:"), hex);
        assert_eq!(status_field(status_text, "CapAmb:"), format!("{:016x}", 0));
        assert!(status_field(status_text, "Uid:").starts_with("0\t"));
    }

    #[test]
    fn apply_identity_refuses_caps_not_held() {
        // As an ordinary user nothing is held; as root on hosts that withhold
        // a capability, that one is missing. Either way the error names it.
        let held = sys::capget().unwrap().permitted;
        let Some(cap) = (0..=capabilities::last_cap()).find(|c| held & (1 << c) == 0) else {
            println!(
                "note: skipped apply_identity_refuses_caps_not_held: every capability is held"
            );
            return;
        };
        let name = capabilities::CAPABILITY_NAMES[cap as usize];
        let caps: LinuxCapabilities = serde_json::from_value(serde_json::json!({
            "bounding": [name], "permitted": [name]
        }))
        .unwrap();
        let user = User::default();
        let err = run_in_child(move || match apply_identity(&user, Some(&caps)) {
            Ok(()) => Err("apply_identity succeeded".to_string()),
            Err(e) => Ok(e.to_string()),
        });
        assert!(err.contains(name), "{err}");
    }
}
