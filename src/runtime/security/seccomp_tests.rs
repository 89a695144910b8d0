//! Compilation of varied profiles and real filtering in forked children
//! (unprivileged: the children set no_new_privs before loading).
use std::os::fd::{AsRawFd, OwnedFd};

use nix::sys::signal::Signal;
use nix::sys::wait::WaitStatus;
use serde_json::json;

use super::*;
use crate::runtime::security::test_support::{run_in_child, run_in_child_status};
use crate::runtime::security::{
    default_seccomp_profile, default_seccomp_profile_for, set_no_new_privileges,
};

fn profile(v: serde_json::Value) -> LinuxSeccomp {
    serde_json::from_value(v).unwrap()
}

fn errno_of_io(r: std::io::Result<impl Sized>) -> i32 {
    match r {
        Ok(_) => 0,
        Err(e) => e.raw_os_error().unwrap_or(-1),
    }
}

fn errno_of_rustix(r: rustix::io::Result<impl Sized>) -> i32 {
    match r {
        Ok(_) => 0,
        Err(e) => e.raw_os_error(),
    }
}

/// Loads `filter` in a child (after no_new_privs) and returns what `probe`
/// reports from under it.
fn under_filter(filter: SeccompFilter, probe: impl FnOnce() -> String) -> String {
    run_in_child(move || {
        set_no_new_privileges().map_err(|e| e.to_string())?;
        filter.load().map_err(|e| e.to_string())?;
        Ok(probe())
    })
}

#[test]
fn errno_rules_fail_with_exactly_that_errno() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("made");
    let file = dir.path().join("file");
    let f = compile_seccomp(&profile(json!({
        "defaultAction": "SCMP_ACT_ALLOW",
        "syscalls": [
            {"names": ["getcwd", "no_such_syscall_in_any_kernel"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38},
            {"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO"}
        ]
    })))
    .unwrap();
    let out = under_filter(f, move || {
        format!(
            "{} {} {} {}",
            errno_of_io(std::env::current_dir()),
            errno_of_io(std::fs::create_dir(&target)),
            errno_of_io(std::fs::write(&file, b"x")),
            std::process::id() > 0,
        )
    });
    // getcwd: ENOSYS (38), mkdir: default EPERM (1); writes and getpid work.
    assert_eq!(out, "38 1 0 true");
    assert!(!dir.path().join("made").exists());
}

#[test]
fn kill_and_trap_actions_end_the_child_with_sigsys() {
    for action in ["SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL", "SCMP_ACT_TRAP"] {
        let f = compile_seccomp(&profile(json!({
            "defaultAction": "SCMP_ACT_ALLOW",
            "syscalls": [{"names": ["getcwd"], "action": action}]
        })))
        .unwrap();
        let (status, out) = run_in_child_status(move || {
            // The SIGSYS would dump core otherwise.
            let none = rustix::process::Rlimit {
                current: Some(0),
                maximum: Some(0),
            };
            rustix::process::setrlimit(rustix::process::Resource::Core, none)
                .map_err(|e| e.to_string())?;
            set_no_new_privileges().map_err(|e| e.to_string())?;
            f.load().map_err(|e| e.to_string())?;
            let _ = std::env::current_dir();
            Ok("survived".into())
        });
        assert!(
            matches!(status, WaitStatus::Signaled(_, Signal::SIGSYS, _)),
            "{action}: {status:?} {out}"
        );
    }
}

fn open_fds(n: usize) -> Vec<OwnedFd> {
    (0..n)
        .map(|_| OwnedFd::from(std::fs::File::open("/dev/null").unwrap()))
        .collect()
}

/// dup(fd) errno for each fd, under a filter with `args` on dup's fd.
fn dup_results(args: serde_json::Value, fds: &[OwnedFd]) -> String {
    let f = compile_seccomp(&profile(json!({
        "defaultAction": "SCMP_ACT_ALLOW",
        "syscalls": [{"names": ["dup"], "action": "SCMP_ACT_ERRNO", "errnoRet": 77, "args": args}]
    })))
    .unwrap();
    // The child shares these descriptor numbers (fork copies the table).
    under_filter(f, move || {
        fds.iter()
            .map(|fd| errno_of_rustix(rustix::io::dup(fd)).to_string())
            .collect::<Vec<_>>()
            .join(" ")
    })
}

#[test]
fn every_comparison_operator_filters_as_specified() {
    let fds = open_fds(3);
    let mid = fds[1].as_raw_fd() as u64;
    // Expected errno for dup(low), dup(mid), dup(high).
    let cases = [
        ("SCMP_CMP_NE", "77 0 77"),
        ("SCMP_CMP_LT", "77 0 0"),
        ("SCMP_CMP_LE", "77 77 0"),
        ("SCMP_CMP_EQ", "0 77 0"),
        ("SCMP_CMP_GE", "0 77 77"),
        ("SCMP_CMP_GT", "0 0 77"),
    ];
    for (op, want) in cases {
        let got = dup_results(json!([{"index": 0, "value": mid, "op": op}]), &fds);
        assert_eq!(got, want, "{op}");
    }
    // MASKED_EQ: value is the mask, valueTwo the datum: odd fds only.
    let got = dup_results(
        json!([{"index": 0, "value": 1, "valueTwo": 1, "op": "SCMP_CMP_MASKED_EQ"}]),
        &fds,
    );
    let want: Vec<String> = fds
        .iter()
        .map(|f| if f.as_raw_fd() % 2 == 1 { "77" } else { "0" }.to_string())
        .collect();
    assert_eq!(got, want.join(" "));
}

#[test]
fn conditions_on_one_argument_are_alternatives() {
    // Two EQ conditions on arg 0 can never both hold; split into two rules
    // they block both fds (runc's semantics).
    let fds = open_fds(3);
    let (a, b) = (fds[0].as_raw_fd() as u64, fds[2].as_raw_fd() as u64);
    let got = dup_results(
        json!([{"index": 0, "value": a, "op": "SCMP_CMP_EQ"},
               {"index": 0, "value": b, "op": "SCMP_CMP_EQ"}]),
        &fds,
    );
    assert_eq!(got, "77 0 77");
}

#[test]
fn conditions_on_different_arguments_all_must_hold() {
    let fds = open_fds(2);
    let first = fds[0].as_raw_fd() as u64;
    let f = compile_seccomp(&profile(json!({
        "defaultAction": "SCMP_ACT_ALLOW",
        "syscalls": [{"names": ["dup3"], "action": "SCMP_ACT_ERRNO", "errnoRet": 18, "args": [
            {"index": 0, "value": first, "op": "SCMP_CMP_EQ"},
            {"index": 2, "value": libc::O_CLOEXEC as u64, "valueTwo": libc::O_CLOEXEC as u64,
             "op": "SCMP_CMP_MASKED_EQ"}]}]
    })))
    .unwrap();
    let got = under_filter(f, move || {
        let mut spare = OwnedFd::from(std::fs::File::open("/dev/null").unwrap());
        let cloexec = rustix::io::DupFlags::CLOEXEC;
        let none = rustix::io::DupFlags::empty();
        [
            rustix::io::dup3(&fds[0], &mut spare, cloexec),
            rustix::io::dup3(&fds[0], &mut spare, none),
            rustix::io::dup3(&fds[1], &mut spare, cloexec),
        ]
        .into_iter()
        .map(|r| errno_of_rustix(r).to_string())
        .collect::<Vec<_>>()
        .join(" ")
    });
    assert_eq!(got, "18 0 0");
}

fn bpf_len(p: serde_json::Value) -> usize {
    compile_seccomp(&profile(p))
        .unwrap()
        .export_bpf()
        .unwrap()
        .len()
}

#[test]
fn several_architectures_each_get_their_own_rules() {
    let base = json!({"defaultAction": "SCMP_ACT_ALLOW",
        "syscalls": [{"names": ["getcwd", "socketcall"], "action": "SCMP_ACT_ERRNO"}]});
    let mut multi = base.clone();
    multi["architectures"] = json!(["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"]);
    let one = bpf_len(base);
    let three = bpf_len(multi);
    assert!(one > 0);
    if cfg!(target_arch = "x86_64") {
        assert!(
            three > one,
            "x86 and x32 sections missing: {three} <= {one}"
        );
    }
}

#[test]
fn flags_are_applied_or_refused_clearly() {
    let f = compile_seccomp(&profile(json!({
        "defaultAction": "SCMP_ACT_ALLOW",
        "flags": ["SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW", "SECCOMP_FILTER_FLAG_TSYNC"],
        "syscalls": [{"names": ["getcwd"], "action": "SCMP_ACT_ERRNO", "errnoRet": 5}]
    })))
    .unwrap();
    assert_eq!(
        under_filter(f, || errno_of_io(std::env::current_dir()).to_string()),
        "5"
    );

    let wait = profile(json!({"defaultAction": "SCMP_ACT_ALLOW",
        "flags": ["SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"]}));
    match compile_seccomp(&wait) {
        Ok(_) => assert!(libseccomp_has_waitkill()),
        Err(e) => {
            let msg = e.to_string();
            assert!(
                msg.contains("SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"),
                "{msg}"
            );
        }
    }
    let features = seccomp_features();
    let supported = features["supportedFlags"].as_array().unwrap();
    assert!(supported.iter().any(|f| f == "SECCOMP_FILTER_FLAG_LOG"));
    assert_eq!(features["knownFlags"].as_array().unwrap().len(), 4);
    assert!(
        features["actions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a == "SCMP_ACT_NOTIFY")
    );
}

#[test]
fn rule_equal_to_default_and_trace_log_compile() {
    bpf_len(json!({"defaultAction": "SCMP_ACT_ALLOW",
        "syscalls": [{"names": ["getpid"], "action": "SCMP_ACT_ALLOW"},
                     {"names": ["getppid"], "action": "SCMP_ACT_LOG"},
                     {"names": ["gettid"], "action": "SCMP_ACT_TRACE", "errnoRet": 3},
                     {"names": ["getuid"], "action": "SCMP_ACT_KILL_THREAD"}]}));
    bpf_len(
        json!({"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 38,
        "syscalls": [{"names": ["read", "write"], "action": "SCMP_ACT_ALLOW"}]}),
    );
}

#[test]
fn docker_default_profile_blocks_namespaces_but_runs_programs() {
    let p = default_seccomp_profile();
    assert_eq!(p.default_action(), LinuxSeccompAction::ScmpActErrno);
    assert_eq!(p.default_errno_ret(), Some(1));
    let f = compile_seccomp(&p).unwrap();
    assert!(!f.export_bpf().unwrap().is_empty());
    let out = under_filter(f, || {
        let unshare = match nix::sched::unshare(nix::sched::CloneFlags::CLONE_NEWUSER) {
            Ok(()) => 0,
            Err(e) => e as i32,
        };
        // posix_spawn tries clone3 (ENOSYS here) and falls back to clone
        // without namespace flags, which the profile allows.
        let spawned = std::process::Command::new("/bin/true")
            .status()
            .map(|s| s.success().to_string())
            .unwrap_or_else(|e| e.to_string());
        format!(
            "{unshare} {spawned} {}",
            errno_of_io(std::env::current_dir())
        )
    });
    assert_eq!(out, "1 true 0");
}

#[test]
fn sys_admin_profile_allows_unshare_when_the_host_does() {
    let baseline = run_in_child(|| {
        Ok(nix::sched::unshare(nix::sched::CloneFlags::CLONE_NEWUSER)
            .is_ok()
            .to_string())
    });
    if baseline != "true" {
        println!("note: skipped: this host refuses unshare(CLONE_NEWUSER) even unfiltered");
        return;
    }
    let mut caps = crate::runtime::security::docker_default_capabilities();
    caps.push("CAP_SYS_ADMIN".into());
    let p = default_seccomp_profile_for(&caps);
    let names = p.syscalls().as_ref().unwrap();
    assert!(!names.iter().any(|r| r.names() == &["clone3".to_string()]));
    let f = compile_seccomp(&p).unwrap();
    let out = under_filter(f, || {
        nix::sched::unshare(nix::sched::CloneFlags::CLONE_NEWUSER)
            .map_or_else(|e| e.to_string(), |()| "ok".into())
    });
    assert_eq!(out, "ok");
}

#[test]
fn default_errno_ret_is_used_for_the_default_action() {
    let mut p = default_seccomp_profile();
    p.set_default_errno_ret(Some(38));
    let f = compile_seccomp(&p).unwrap();
    let out = under_filter(f, || {
        match nix::sched::unshare(nix::sched::CloneFlags::CLONE_NEWUSER) {
            Ok(()) => 0,
            Err(e) => e as i32,
        }
        .to_string()
    });
    assert_eq!(out, "38");
}

#[test]
fn loading_without_no_new_privs_needs_cap_sys_admin() {
    let f = compile_seccomp(&profile(json!({"defaultAction": "SCMP_ACT_ALLOW",
        "syscalls": [{"names": ["getcwd"], "action": "SCMP_ACT_ERRNO"}]})))
    .unwrap();
    let privileged = crate::sys::security::capget().unwrap().effective & (1 << 21) != 0;
    if crate::sys::security::no_new_privs().unwrap() {
        println!("note: skipped: the test process already has no_new_privs");
        return;
    }
    let out = run_in_child(move || {
        Ok(match f.load() {
            Ok(()) => format!(
                "loaded nnp={}",
                crate::sys::security::no_new_privs().unwrap()
            ),
            Err(e) => e.to_string(),
        })
    });
    if privileged {
        // Loaded, and libseccomp did not set no_new_privs behind our back.
        assert_eq!(out, "loaded nnp=false");
    } else {
        assert!(out.contains("noNewPrivileges"), "{out}");
    }
}

#[test]
fn syscalls_of_other_architectures_and_unknown_names_are_skipped() {
    // Names of other architectures' syscalls (and invented ones) must not
    // fail compilation: profiles are shared across architectures.
    let f = compile_seccomp(&profile(json!({
        "defaultAction": "SCMP_ACT_ALLOW",
        "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
        "syscalls": [{"names": ["s390_pci_mmio_read", "breakpoint", "riscv_flush_icache",
                                "socketcall", "brand_new_syscall_2030", "getcwd"],
                      "action": "SCMP_ACT_ERRNO", "errnoRet": 40}]
    })))
    .unwrap();
    assert_eq!(
        under_filter(f, || errno_of_io(std::env::current_dir()).to_string()),
        "40"
    );
}
