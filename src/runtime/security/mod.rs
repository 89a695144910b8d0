//! Capabilities, seccomp, no_new_privs, AppArmor.
//!
//! Used by the container init in this order (see the runtime contract):
//! [`validate`] at create; [`compile_seccomp`] while still privileged;
//! [`apply_identity`], [`set_no_new_privileges`], [`apply_apparmor`], then
//! [`SeccompFilter::load`] right before execve (before `apply_identity` when
//! `noNewPrivileges` is false, since loading then needs CAP_SYS_ADMIN).
//!
//! Choices: an absent `capabilities` object or set means an empty set;
//! capabilities newer than the kernel are dropped with one note (runc);
//! an AppArmor profile on a kernel without AppArmor is skipped with one note
//! at apply time, not refused at create (runc, crun).
mod apparmor;
mod capabilities;
mod identity;
mod seccomp;
mod seccomp_default;

use std::path::PathBuf;

use nix::errno::Errno;
use oci_spec::runtime::Spec;

pub use apparmor::{apparmor_enabled, apply_apparmor};
pub use capabilities::{
    CAPABILITY_NAMES, check_raw_names, docker_default_capabilities, parse_capability,
};
pub use identity::{apply_identity, set_no_new_privileges};
pub use seccomp::{
    SeccompFilter, compile_seccomp, seccomp_features, uses_notify, validate_seccomp,
};
pub use seccomp_default::{default_seccomp_profile, default_seccomp_profile_for};

#[derive(Debug, thiserror::Error)]
pub enum SecurityError {
    #[error("unknown capability {name:?}{}", set_suffix(.set))]
    UnknownCapability { name: String, set: Option<String> },
    #[error("capabilities {caps} are in the {set} set but not in the {must_be_in} set")]
    CapabilityRelation {
        caps: String,
        set: &'static str,
        must_be_in: &'static str,
    },
    #[error("capabilities {0} were requested but the runtime does not hold them")]
    CapabilityNotHeld(String),
    #[error("{op}: {source}")]
    Syscall { op: String, source: Errno },
    #[error("invalid seccomp profile: {0}")]
    InvalidSeccomp(String),
    #[error("seccomp: {0} is not supported")]
    SeccompUnsupported(String),
    #[error("seccomp: {0}")]
    Seccomp(String),
    #[error("apparmor profile {profile:?}: writing {}: {source}", .path.display())]
    AppArmor {
        profile: String,
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("invalid config: {0}")]
    InvalidConfig(String),
}

fn set_suffix(set: &Option<String>) -> String {
    set.as_ref()
        .map(|s| format!(" in process.capabilities.{s}"))
        .unwrap_or_default()
}

impl SecurityError {
    pub(crate) fn syscall(op: impl Into<String>, source: Errno) -> Self {
        SecurityError::Syscall {
            op: op.into(),
            source,
        }
    }
}

/// Checks the security parts of `spec` at create, before anything runs:
/// capability set relations the kernel would refuse, the AppArmor profile
/// name, and the seccomp profile (actions, errno values, argument indexes,
/// flags, notify). Unknown capability names never reach a typed `Spec`
/// (oci-spec refuses them); [`check_raw_names`] reports them by name on the
/// raw config.
pub fn validate(spec: &Spec) -> Result<(), SecurityError> {
    if let Some(process) = spec.process() {
        let (masks, _) =
            capabilities::masks(process.capabilities().as_ref(), capabilities::last_cap());
        capabilities::check_relations(&masks)?;
        if let Some(profile) = process.apparmor_profile().as_deref()
            && !profile.is_empty()
        {
            apparmor::check_profile_name(profile)?;
        }
    }
    if let Some(s) = spec.linux().as_ref().and_then(|l| l.seccomp().as_ref()) {
        validate_seccomp(s)?;
    }
    Ok(())
}

#[cfg(test)]
pub(crate) mod test_support {
    use std::io::{Read, Write};

    use nix::sys::wait::{WaitStatus, waitpid};

    /// Runs `f` in a forked child and returns its wait status and what it
    /// reported ("ok:<text>" or "err:<text>").
    pub fn run_in_child_status(f: impl FnOnce() -> Result<String, String>) -> (WaitStatus, String) {
        let (r, w) = rustix::pipe::pipe_with(rustix::pipe::PipeFlags::CLOEXEC).unwrap();
        let mut writer = std::fs::File::from(w);
        let pid = crate::sys::userns::fork_for_test(move || {
            let msg = match f() {
                Ok(s) => format!("ok:{s}"),
                Err(e) => format!("err:{e}"),
            };
            if writer.write_all(msg.as_bytes()).is_err() {
                return 3;
            }
            0
        })
        .unwrap();
        let mut out = String::new();
        std::fs::File::from(r).read_to_string(&mut out).unwrap();
        (waitpid(pid, None).unwrap(), out)
    }

    /// Like [`run_in_child_status`], panicking unless the child exited 0 and
    /// `f` succeeded; returns `f`'s text.
    pub fn run_in_child(f: impl FnOnce() -> Result<String, String>) -> String {
        let (status, out) = run_in_child_status(f);
        assert!(
            matches!(status, WaitStatus::Exited(_, 0)),
            "child ended with {status:?}: {out}"
        );
        match out.strip_prefix("ok:") {
            Some(text) => text.to_string(),
            None => panic!("child failed: {out}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(json: serde_json::Value) -> Spec {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn validate_accepts_default_like_spec() {
        let caps = docker_default_capabilities();
        let s = spec(serde_json::json!({
            "ociVersion": "1.2.0",
            "process": {"cwd": "/", "user": {"uid": 0, "gid": 0}, "args": ["sh"],
                "capabilities": {"bounding": caps, "effective": caps, "permitted": caps}},
            "linux": {"seccomp": serde_json::to_value(default_seccomp_profile()).unwrap()}
        }));
        validate(&s).unwrap();
    }

    #[test]
    fn validate_errors_are_one_line_and_name_the_value() {
        let cases = [
            (
                serde_json::json!({"process": {"cwd": "/", "user": {"uid": 0, "gid": 0},
                    "capabilities": {"permitted": [], "effective": ["CAP_KILL"]}}}),
                "CAP_KILL",
            ),
            (
                serde_json::json!({"linux": {"seccomp": {"defaultAction": "SCMP_ACT_ALLOW",
                    "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ERRNO", "errnoRet": 70000}]}}}),
                "70000",
            ),
            (
                serde_json::json!({"linux": {"seccomp": {"defaultAction": "SCMP_ACT_ALLOW",
                    "syscalls": [{"names": ["openat"], "action": "SCMP_ACT_ERRNO",
                        "args": [{"index": 6, "value": 1, "op": "SCMP_CMP_EQ"}]}]}}}),
                "openat",
            ),
            (
                serde_json::json!({"linux": {"seccomp": {"defaultAction": "SCMP_ACT_ALLOW",
                    "syscalls": [{"names": ["getpid"], "action": "SCMP_ACT_NOTIFY"}]}}}),
                "listenerPath",
            ),
            (
                serde_json::json!({"linux": {"seccomp": {"defaultAction": "SCMP_ACT_NOTIFY",
                    "listenerPath": "/run/agent.sock"}}}),
                "defaultAction SCMP_ACT_NOTIFY",
            ),
            (
                serde_json::json!({"linux": {"seccomp": {"defaultAction": "SCMP_ACT_ALLOW",
                    "listenerPath": "/run/agent.sock",
                    "syscalls": [{"names": ["sendmsg"], "action": "SCMP_ACT_NOTIFY"}]}}}),
                "sendmsg",
            ),
            (
                serde_json::json!({"linux": {"seccomp": {"defaultAction": "SCMP_ACT_ALLOW",
                    "listenerMetadata": "m"}}}),
                "listenerMetadata",
            ),
            (
                serde_json::json!({"linux": {"seccomp": {"defaultAction": "SCMP_ACT_ALLOW",
                    "listenerPath": "run/agent.sock",
                    "syscalls": [{"names": ["getpid"], "action": "SCMP_ACT_NOTIFY"}]}}}),
                "run/agent.sock",
            ),
            (
                serde_json::json!({"linux": {"seccomp": {"defaultAction": "SCMP_ACT_KILL",
                    "defaultErrnoRet": 1}}}),
                "defaultErrnoRet",
            ),
            (
                serde_json::json!({"process": {"cwd": "/", "user": {"uid": 0, "gid": 0},
                    "apparmorProfile": "bad\nname"}}),
                "apparmorProfile",
            ),
        ];
        for (mut json, needle) in cases {
            json["ociVersion"] = "1.2.0".into();
            let err = validate(&spec(json)).unwrap_err().to_string();
            assert!(err.contains(needle), "{err:?} lacks {needle}");
            assert!(!err.contains('\n'), "{err:?}");
        }
    }

    #[test]
    fn typed_spec_refuses_unknown_capability() {
        // The typed parse refuses what check_raw_names reports by name.
        let raw = serde_json::json!({"ociVersion": "1.2.0", "process": {"cwd": "/",
            "user": {"uid": 0, "gid": 0}, "capabilities": {"bounding": ["CAP_TEST"]}}});
        assert!(serde_json::from_value::<Spec>(raw.clone()).is_err());
        let err = check_raw_names(&raw).unwrap_err().to_string();
        assert_eq!(
            err,
            "unknown capability \"CAP_TEST\" in process.capabilities.bounding"
        );
    }
}
