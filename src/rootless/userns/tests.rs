//! Handshake tests. The namespace work happens in a forked child (the test
//! harness is multithreaded and cannot unshare a user namespace itself); the
//! test thread plays the outer parent. Exit code 77 from the child means
//! "user namespaces unavailable here" and skips.
use std::io::Write;
use std::os::fd::OwnedFd;
use std::os::unix::fs::MetadataExt;

use super::*;
use crate::sys::userns::{self as sys, ChildEnd, fork_for_test, inheritable_pipe, wait_child};

const SKIP: i32 = 77;

/// Serializes these tests: a fork child inherits every lock another harness
/// thread holds at that instant and every fd it has open (a helper's stderr
/// pipe, whose reader then never sees EOF). Tests in other modules still run
/// alongside, which is why the child sets its environment marker with
/// setenv(3) rather than through std's lock (a concurrent `Command::spawn`
/// elsewhere holds that one).
static FORK_LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    FORK_LOCK.lock().unwrap_or_else(|e| e.into_inner())
}

/// Reports a failed check from the forked child straight to fd 2 (the
/// harness's output capture would swallow it) and picks its exit code.
fn fail(code: i32, what: String) -> i32 {
    let _ = writeln!(std::io::stderr(), "forked child check failed: {what}");
    code
}

/// Runs the whole handshake: `check` runs in the child once it is inside.
fn run_handshake(plan: &MapPlan, check: impl FnOnce(&UsernsInfo) -> i32) -> Option<i32> {
    let _serial = serial();
    let (host_uid, host_gid) = (crate::sys::real_uid(), crate::sys::real_gid());
    let (child_r, parent_w) = inheritable_pipe().unwrap();
    let (parent_r, child_w) = inheritable_pipe().unwrap();
    let child = fork_for_test(
        move || match child_enter(child_w, child_r, host_uid, host_gid) {
            Err(e) if userns_unavailable(&e) => SKIP,
            Err(e) => fail(1, format!("child_enter: {e}")),
            Ok(info) => check(&info),
        },
    )
    .unwrap();
    // The closure (holding the child's pipe ends) was dropped in this process,
    // so a dead child shows up as EOF rather than a hang.
    parent_handshake(child.as_raw() as u32, parent_r, parent_w, plan);
    match wait_child(child).unwrap() {
        ChildEnd::Exited(SKIP) => None,
        ChildEnd::Exited(code) => Some(code),
        ChildEnd::Signaled(sig) => panic!("forked child killed by {sig}"),
    }
}

/// Checks shared by both mapping kinds, run inside.
fn common_checks(info: &UsernsInfo, host_uid: u32, host_gid: u32) -> Result<(), (i32, String)> {
    let ids = (
        nix::unistd::getuid().as_raw(),
        nix::unistd::geteuid().as_raw(),
        nix::unistd::getgid().as_raw(),
    );
    if ids != (0, 0, 0) {
        return Err((2, format!("uid/euid/gid inside are {ids:?}")));
    }
    if info.host_uid != host_uid || info.host_gid != host_gid {
        return Err((3, format!("host ids {}:{}", info.host_uid, info.host_gid)));
    }
    let marker = std::env::var(MARKER_ENV).unwrap_or_default();
    if marker != format!("in:{host_uid}:{host_gid}") {
        return Err((4, format!("marker after setup is {marker:?}")));
    }
    // A second call (as `skiff unshare` makes) must see the same namespace.
    match crate::rootless::ensure_userns() {
        Ok(Some(again)) if again == *info => {}
        other => return Err((5, format!("ensure_userns inside returned {other:?}"))),
    }
    // `/` must not propagate mounts back to the host.
    let mountinfo = std::fs::read_to_string("/proc/self/mountinfo").unwrap_or_default();
    let root = mountinfo.lines().find(|l| l.split(' ').nth(4) == Some("/"));
    match root {
        Some(l) if !l.split(" - ").next().unwrap_or("").contains("shared:") => Ok(()),
        other => Err((6, format!("/ mount is {other:?}"))),
    }
}

#[test]
fn single_id_mapping_when_parent_maps_nothing() {
    let (host_uid, host_gid) = (crate::sys::real_uid(), crate::sys::real_gid());
    let code = run_handshake(&MapPlan::single("test: no range"), |info| {
        if let Err((code, what)) = common_checks(info, host_uid, host_gid) {
            return fail(code, what);
        }
        let want_u = vec![IdMap {
            container_id: 0,
            host_id: host_uid,
            size: 1,
        }];
        let want_g = vec![IdMap {
            container_id: 0,
            host_id: host_gid,
            size: 1,
        }];
        if info.uid_map != want_u || info.gid_map != want_g || !info.single {
            return fail(10, format!("maps {info:?}"));
        }
        let setgroups = std::fs::read_to_string("/proc/self/setgroups").unwrap_or_default();
        if setgroups.trim() != "deny" {
            return fail(11, format!("setgroups is {setgroups:?}"));
        }
        0
    });
    match code {
        None => println!("skipped: user namespaces are unavailable here"),
        Some(code) => assert_eq!(code, 0, "forked child failed, see stderr"),
    }
}

#[test]
fn subid_ranges_mapped_by_newuidmap() {
    let (host_uid, host_gid) = (crate::sys::real_uid(), crate::sys::real_gid());
    let plan = MapPlan::for_user(host_uid, host_gid);
    let (Ok(uid_maps), Ok(gid_maps)) = (plan.uid_maps.clone(), plan.gid_maps.clone()) else {
        println!("skipped: uid {host_uid} has no subuid/subgid range");
        return;
    };
    if host_uid == 0 {
        println!("skipped: runs only as a non-root user with a subuid range");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("owned-by-1");
    std::fs::write(&file, b"x").unwrap();
    let inner_file = file.clone();
    let (want_u, want_g) = (uid_maps.clone(), gid_maps.clone());
    let code = run_handshake(&plan, move |info| {
        if let Err((code, what)) = common_checks(info, host_uid, host_gid) {
            return fail(code, what);
        }
        if info.uid_map != want_u || info.gid_map != want_g || info.single {
            return fail(20, format!("maps {info:?}, wanted {want_u:?} / {want_g:?}"));
        }
        match nix::unistd::getgroups() {
            Ok(g) if g.is_empty() => {}
            other => return fail(21, format!("supplementary groups {other:?}")),
        }
        // Root inside may give a file to a subordinate id.
        if let Err(e) = std::os::unix::fs::chown(&inner_file, Some(1), Some(1)) {
            return fail(22, format!("chown to 1:1 inside: {e}"));
        }
        0
    });
    let Some(code) = code else {
        println!("skipped: user namespaces are unavailable here");
        return;
    };
    assert_eq!(code, 0, "forked child failed, see stderr");
    // Seen from outside, container id 1 is the first subordinate id.
    let meta = std::fs::metadata(&file).unwrap();
    assert_eq!(
        (meta.uid(), meta.gid()),
        (uid_maps[1].host_id, gid_maps[1].host_id)
    );
}

#[test]
fn no_range_plan_falls_back_with_one_warning_naming_the_fix() {
    let plan = MapPlan {
        user: "alice".into(),
        uid_maps: Err("no subuid range for user alice in /etc/subuid".into()),
        gid_maps: Err("no subgid range for user alice in /etc/subgid".into()),
    };
    let (flags, warning) = apply_plan(1, &plan);
    assert_eq!(flags, SELF_UID | SELF_GID);
    let w = warning.unwrap();
    assert!(!w.contains('\n'));
    assert!(
        w.contains("no subuid range for user alice in /etc/subuid"),
        "{w}"
    );
    assert!(
        w.contains("usermod --add-subuids") && w.ends_with("alice` (any free range)"),
        "{w}"
    );
}

#[test]
fn failing_newuidmap_falls_back_without_usermod_hint() {
    // A pid that cannot exist (above pid_max's hard limit of 2^22): the
    // helpers fail (or are missing) and both maps fall back.
    let maps = Ok(vec![IdMap {
        container_id: 0,
        host_id: 1000,
        size: 1,
    }]);
    let plan = MapPlan {
        user: "alice".into(),
        uid_maps: maps.clone(),
        gid_maps: maps,
    };
    let (flags, warning) = {
        let _serial = serial();
        apply_plan(4_194_305, &plan)
    };
    assert_eq!(flags, SELF_UID | SELF_GID);
    let w = warning.unwrap();
    assert!(w.contains("newuidmap") && w.contains("newgidmap"), "{w}");
    assert!(!w.contains("usermod"), "{w}");
}

#[test]
fn dead_child_does_not_hang_the_parent() {
    // The child exits before unsharing: the parent sees EOF, maps nothing.
    let _serial = serial();
    let (child_r, parent_w) = inheritable_pipe().unwrap();
    let (parent_r, child_w) = inheritable_pipe().unwrap();
    let child = fork_for_test(move || {
        drop::<(OwnedFd, OwnedFd)>((child_r, child_w));
        3
    })
    .unwrap();
    // Our copies of the child's ends went with the closure, which
    // fork_for_test drops unrun in the parent, so EOF can arrive.
    parent_handshake(
        child.as_raw() as u32,
        parent_r,
        parent_w,
        &MapPlan::single("unused"),
    );
    assert_eq!(wait_child(child).unwrap(), ChildEnd::Exited(3));
}

#[test]
fn blocked_signal_mask_round_trips_through_the_marker_bits() {
    let _serial = serial();
    // In a fork child, so the harness thread's mask is left alone.
    let child = fork_for_test(|| {
        let Ok(mask) = sys::block_parent_signals() else {
            return 1;
        };
        // SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGCHLD (none blocked before).
        if mask != (1 << 1) | (1 << 2) | (1 << 3) | (1 << 15) | (1 << 17) {
            return fail(2, format!("mask {mask:#x}"));
        }
        if sys::block_parent_signals() != Ok(0) {
            return fail(3, "second block reported newly blocked signals".into());
        }
        if sys::unblock_signals(mask).is_err() {
            return 4;
        }
        let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
        match status.lines().find(|l| l.starts_with("SigBlk:")) {
            Some(l) if l.ends_with("0000000000000000") => 0,
            other => fail(5, format!("after unblock: {other:?}")),
        }
    })
    .unwrap();
    assert_eq!(wait_child(child).unwrap(), ChildEnd::Exited(0));
}
