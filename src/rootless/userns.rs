//! The re-exec handshake. The parent (outside) spawns `/proc/self/exe` with a
//! setup marker; the child unshares a user + mount namespace and says so with
//! one byte; the parent runs newuidmap/newgidmap on it and answers with one
//! byte naming the maps the child must still write itself (single-id
//! fallback); the child becomes root and makes `/` rprivate. The parent then
//! only relays signals and mirrors the child's exit.
use std::ffi::OsString;
use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::{AsRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};

use nix::unistd::Pid;

use super::subid::{build_maps, map_args, parse_proc_map, subid_ranges};
use super::{IdMap, MARKER_ENV, Marker, RootlessError, UsernsInfo};
use crate::sys::userns as sys;

/// Child -> parent: the namespaces exist, map them.
const UNSHARED: u8 = b'U';
/// Parent -> child flags: write this map yourself (single-id fallback).
pub(crate) const SELF_UID: u8 = 1;
pub(crate) const SELF_GID: u8 = 2;

/// What the parent will ask newuidmap/newgidmap for; `Err` holds why there
/// is no range to ask with.
pub(crate) struct MapPlan {
    pub user: String,
    pub uid_maps: Result<Vec<IdMap>, String>,
    pub gid_maps: Result<Vec<IdMap>, String>,
}

impl MapPlan {
    /// Reads the user's name and their ranges from /etc/subuid, /etc/subgid.
    pub fn for_user(host_uid: u32, host_gid: u32) -> MapPlan {
        // Ranges are keyed by login name (or uid); newgidmap also uses the
        // user's name, not a group name.
        let user = nix::unistd::User::from_uid(nix::unistd::Uid::from_raw(host_uid))
            .ok()
            .flatten()
            .map(|u| u.name)
            .unwrap_or_default();
        let plan = |host_id: u32, file: &str, kind: &str| {
            let shown = if user.is_empty() {
                host_uid.to_string()
            } else {
                user.clone()
            };
            match subid_ranges(&user, host_uid, Path::new(file)) {
                Ok(r) if r.is_empty() => Err(format!("no {kind} range for user {shown} in {file}")),
                Ok(r) => Ok(build_maps(host_id, &r)),
                Err(e) => Err(e.to_string()),
            }
        };
        let uid_maps = plan(host_uid, "/etc/subuid", "subuid");
        let gid_maps = plan(host_gid, "/etc/subgid", "subgid");
        MapPlan {
            user,
            uid_maps,
            gid_maps,
        }
    }

    /// A plan that maps only the user's own ids (tests, explicit fallback).
    #[cfg(test)]
    pub fn single(reason: &str) -> MapPlan {
        MapPlan {
            user: String::new(),
            uid_maps: Err(reason.into()),
            gid_maps: Err(reason.into()),
        }
    }
}

/// Runs newuidmap and newgidmap on `pid` concurrently. Returns the flags the
/// child needs and, when anything fell back, the one-line warning to print.
pub(crate) fn apply_plan(pid: u32, plan: &MapPlan) -> (u8, Option<String>) {
    let start = |tool: &str, maps: &Result<Vec<IdMap>, String>| {
        let maps = maps.as_ref().map_err(Clone::clone)?;
        Command::new(tool)
            .args(map_args(pid, maps))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::NotFound => {
                    format!("{tool} not found (install the uidmap package)")
                }
                _ => format!("cannot run {tool}: {e}"),
            })
    };
    let finish = |tool: &str, started: Result<std::process::Child, String>| {
        let out = started?
            .wait_with_output()
            .map_err(|e| format!("{tool}: {e}"))?;
        if out.status.success() {
            return Ok(());
        }
        let msg = String::from_utf8_lossy(&out.stderr);
        let first = msg
            .lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("")
            .trim()
            .to_string();
        Err(format!("{tool} failed ({}): {first}", out.status))
    };
    let uid_child = start("newuidmap", &plan.uid_maps);
    let gid_child = start("newgidmap", &plan.gid_maps);
    let uid_res = finish("newuidmap", uid_child);
    let gid_res = finish("newgidmap", gid_child);

    let mut flags = 0;
    let mut reasons = Vec::new();
    let mut no_range = false;
    for (res, flag, maps) in [
        (uid_res, SELF_UID, &plan.uid_maps),
        (gid_res, SELF_GID, &plan.gid_maps),
    ] {
        if let Err(reason) = res {
            flags |= flag;
            no_range |= maps.is_err();
            if !reasons.contains(&reason) {
                reasons.push(reason);
            }
        }
    }
    if reasons.is_empty() {
        return (flags, None);
    }
    let mut warning = format!(
        "{}; using a single-id mapping: files owned by other users in images will be owned by root",
        reasons.join("; ")
    );
    if no_range {
        let who = if plan.user.is_empty() {
            "<user>"
        } else {
            &plan.user
        };
        warning.push_str(&format!(
            "; add ranges with `sudo usermod --add-subuids 100000-165535 --add-subgids 100000-165535 {who}` (any free range)"
        ));
    }
    (flags, Some(warning))
}

/// Parent side of the handshake on an already started child. Never fails:
/// if the child dies early, the caller's wait reports how.
pub(crate) fn parent_handshake(pid: u32, from_child: OwnedFd, to_child: OwnedFd, plan: &MapPlan) {
    let mut byte = [0u8];
    if File::from(from_child).read_exact(&mut byte).is_err() || byte[0] != UNSHARED {
        return;
    }
    let (flags, warning) = apply_plan(pid, plan);
    if let Some(w) = warning {
        eprintln!("Warning: {w}");
    }
    // EPIPE here means the child died; the wait that follows reports it.
    let _ = File::from(to_child).write_all(&[flags]);
}

/// The outside process: re-exec ourselves into the namespace, relay signals,
/// and end exactly as the child ended. Returns only if the child could not
/// be started.
pub(crate) fn reexec_and_wait(
    host_uid: u32,
    host_gid: u32,
) -> Result<std::convert::Infallible, RootlessError> {
    let (child_r, parent_w) = sys::inheritable_pipe().map_err(RootlessError::Pipe)?;
    let (parent_r, child_w) = sys::inheritable_pipe().map_err(RootlessError::Pipe)?;
    sys::set_cloexec(&parent_w).map_err(RootlessError::Pipe)?;
    sys::set_cloexec(&parent_r).map_err(RootlessError::Pipe)?;
    let unblock = sys::block_parent_signals().map_err(RootlessError::Signals)?;

    let marker = Marker::Setup {
        host_uid,
        host_gid,
        read_fd: child_r.as_raw_fd(),
        write_fd: child_w.as_raw_fd(),
        unblock,
    };
    let mut argv = std::env::args_os();
    let argv0 = argv.next().unwrap_or_else(|| OsString::from("skiff"));
    let child = Command::new("/proc/self/exe")
        .arg0(argv0)
        .args(argv)
        .env(MARKER_ENV, marker.encode())
        .spawn()
        .map_err(|e| {
            let _ = sys::unblock_signals(unblock);
            RootlessError::Spawn(e)
        })?;
    drop((child_r, child_w));
    let pid = child.id();

    // Read the ranges while the child is still starting up.
    let plan = MapPlan::for_user(host_uid, host_gid);
    parent_handshake(pid, parent_r, parent_w, &plan);
    let end = match sys::wait_forwarding(Pid::from_raw(pid as i32)) {
        Ok(end) => end,
        Err(e) => {
            sys::kill_child(Pid::from_raw(pid as i32));
            return Err(RootlessError::Wait(e));
        }
    };
    sys::exit_like(end)
}

/// Child side: unshare, report, wait for the maps, finish them if asked,
/// become root and privatize mounts. `inside` is the marker the environment
/// carries from now on, for our own children (e.g. `skiff unshare`'s shell).
pub(crate) fn child_enter(
    to_parent: OwnedFd,
    from_parent: OwnedFd,
    host_uid: u32,
    host_gid: u32,
) -> Result<UsernsInfo, RootlessError> {
    let inside = Marker::Inside { host_uid, host_gid }.encode();
    sys::die_with_parent().map_err(RootlessError::Unshare)?;
    sys::unshare_user_mount(MARKER_ENV, &inside).map_err(RootlessError::Unshare)?;
    File::from(to_parent)
        .write_all(&[UNSHARED])
        .map_err(|_| RootlessError::ParentGone)?;
    let mut flags = [0u8];
    File::from(from_parent)
        .read_exact(&mut flags)
        .map_err(|_| RootlessError::ParentGone)?;
    let flags = flags[0];
    if flags & SELF_UID != 0 {
        write_proc("/proc/self/uid_map", &format!("0 {host_uid} 1\n"))?;
    }
    if flags & SELF_GID != 0 {
        // Unprivileged gid_map writes require setgroups to be denied first.
        write_proc("/proc/self/setgroups", "deny\n")?;
        write_proc("/proc/self/gid_map", &format!("0 {host_gid} 1\n"))?;
    }
    sys::become_root(flags & SELF_GID == 0).map_err(RootlessError::BecomeRoot)?;
    sys::make_root_rprivate().map_err(RootlessError::MakePrivate)?;
    read_info(host_uid, host_gid)?.ok_or(RootlessError::NotMapped)
}

fn write_proc(path: &str, text: &str) -> Result<(), RootlessError> {
    std::fs::write(path, text).map_err(|source| RootlessError::WriteMap {
        path: path.into(),
        source,
    })
}

/// The namespace this process is in, or `None` in the initial one.
pub(crate) fn read_info(host_uid: u32, host_gid: u32) -> Result<Option<UsernsInfo>, RootlessError> {
    let read = |path: &str| {
        std::fs::read_to_string(path)
            .map_err(|source| RootlessError::ReadMap {
                path: path.into(),
                source,
            })
            .and_then(|t| parse_proc_map(&t))
    };
    let uid_map = read("/proc/self/uid_map")?;
    if uid_map.is_empty() || super::subid::is_initial_map(&uid_map) {
        return Ok(None);
    }
    let gid_map = read("/proc/self/gid_map")?;
    let total = |m: &[IdMap]| m.iter().map(|e| u64::from(e.size)).sum::<u64>();
    let single = total(&uid_map) <= 1 || total(&gid_map) <= 1;
    Ok(Some(UsernsInfo {
        host_uid,
        host_gid,
        uid_map,
        gid_map,
        single,
    }))
}

/// Adopts the pipe ends named by a setup marker.
pub(crate) fn adopt_pipes(
    read_fd: i32,
    write_fd: i32,
) -> Result<(OwnedFd, OwnedFd), RootlessError> {
    let from_parent = sys::adopt_inherited_pipe(read_fd).map_err(RootlessError::BadPipe)?;
    let to_parent = sys::adopt_inherited_pipe(write_fd).map_err(RootlessError::BadPipe)?;
    Ok((to_parent, from_parent))
}

/// Errno of a failed unshare that means "user namespaces are not available
/// here" rather than a bug (used by tests to skip).
#[cfg(test)]
pub(crate) fn userns_unavailable(e: &RootlessError) -> bool {
    use nix::errno::Errno as E;
    matches!(
        e,
        RootlessError::Unshare(E::EPERM | E::ENOSPC | E::EINVAL | E::ENOSYS)
    )
}

#[cfg(test)]
mod tests;
