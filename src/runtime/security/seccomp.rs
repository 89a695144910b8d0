//! `linux.seccomp` compiled with libseccomp, with the OCI profile semantics
//! runc and crun implement:
//! - `defaultAction` and per-rule actions; SCMP_ACT_ERRNO and SCMP_ACT_TRACE
//!   take `errnoRet`/`defaultErrnoRet` (EPERM when absent);
//! - argument conditions are AND-ed within a rule, except that several
//!   conditions on the same argument become one rule per condition (libseccomp
//!   cannot compare one argument twice in a rule; runc does the same);
//!   SCMP_CMP_MASKED_EQ takes `value` as the mask and `valueTwo` as the datum;
//! - every listed architecture is added to the filter (the native one always
//!   is), so x86 and x32 binaries on x86_64 are filtered too;
//! - syscall names this libseccomp does not know are skipped (they may be
//!   newer than the library), as runc does;
//! - a rule whose action equals the default action is skipped (libseccomp
//!   refuses it and it changes nothing);
//! - SCMP_ACT_NOTIFY needs `listenerPath`: the listener fd the kernel gives
//!   when the filter is loaded goes to that socket (see `runtime::init`).
//!
//! no_new_privs is never set by libseccomp here (its default would): that is
//! `process.noNewPrivileges`'s decision alone.
use libseccomp::{
    ScmpAction, ScmpArch, ScmpArgCompare, ScmpCompareOp, ScmpFilterContext, ScmpSyscall,
    ScmpVersion,
};
use oci_spec::runtime::{
    Arch, LinuxSeccomp, LinuxSeccompAction, LinuxSeccompFilterFlag, LinuxSeccompOperator,
    LinuxSyscall,
};

use super::SecurityError;

/// Largest errno the kernel passes through SECCOMP_RET_ERRNO meaningfully.
const MAX_ERRNO: u32 = 4095;

/// A compiled filter, built while the init is still privileged and loaded
/// with [`SeccompFilter::load`] right before execve.
#[derive(Debug)]
pub struct SeccompFilter {
    ctx: ScmpFilterContext,
    /// Some action is SCMP_ACT_NOTIFY: loading creates a listener fd.
    notifies: bool,
}

impl SeccompFilter {
    /// Installs the filter on the calling process.
    ///
    /// Without no_new_privs the kernel demands CAP_SYS_ADMIN for this, so a
    /// container without `noNewPrivileges` must load its filter before
    /// `apply_identity` drops capabilities (runc's order); with it, load as
    /// late as possible.
    pub fn load(&self) -> Result<(), SecurityError> {
        self.ctx.load().map_err(|e| {
            let errno = e.sysrawrc().map(|rc| -rc).or_else(|| {
                e.errno()
                    .filter(|x| matches!(x, libseccomp::error::SeccompErrno::EACCES))
                    .map(|_| libc::EACCES)
            });
            let hint = if errno == Some(libc::EACCES) || errno == Some(libc::EPERM) {
                " (without noNewPrivileges the filter needs CAP_SYS_ADMIN: load it before dropping capabilities)"
            } else {
                ""
            };
            let what = match errno {
                Some(n) => nix::errno::Errno::from_raw(n).desc().to_string(),
                None => e.to_string(),
            };
            SecurityError::Seccomp(format!("loading the filter: {what}{hint}"))
        })
    }

    /// Whether loading gives a listener fd ([`SeccompFilter::listener_fd`]).
    pub fn notifies(&self) -> bool {
        self.notifies
    }

    /// After [`SeccompFilter::load`]: the seccomp notify listener the kernel
    /// created (close-on-exec), owned by the caller.
    pub fn listener_fd(&self) -> Result<std::os::fd::OwnedFd, SecurityError> {
        use std::os::fd::FromRawFd;
        let fd = self
            .ctx
            .get_notify_fd()
            .map_err(|e| SecurityError::Seccomp(format!("the notify listener fd: {e}")))?;
        // SAFETY: libseccomp returns the listener the kernel opened for this
        // process at load time and keeps no other use for it; we become its
        // only owner.
        Ok(unsafe { std::os::fd::OwnedFd::from_raw_fd(fd) })
    }

    /// The filter as a classic BPF program (for inspection and tests).
    pub fn export_bpf(&self) -> Result<Vec<u8>, SecurityError> {
        use std::io::{Read, Seek};
        let fail = |e: String| SecurityError::Seccomp(format!("exporting the filter: {e}"));
        let fd = rustix::fs::memfd_create("skiff-seccomp-bpf", rustix::fs::MemfdFlags::CLOEXEC)
            .map_err(|e| fail(e.to_string()))?;
        let mut file = std::fs::File::from(fd);
        self.ctx
            .export_bpf(&file)
            .map_err(|e| fail(e.to_string()))?;
        let mut out = Vec::new();
        file.rewind()
            .and_then(|_| file.read_to_end(&mut out))
            .map_err(|e| fail(e.to_string()))?;
        Ok(out)
    }
}

fn invalid(msg: String) -> SecurityError {
    SecurityError::InvalidSeccomp(msg)
}

fn errno_of(action: LinuxSeccompAction, ret: Option<u32>, what: &str) -> Result<(), SecurityError> {
    match (action, ret) {
        (_, None) => Ok(()),
        (LinuxSeccompAction::ScmpActErrno | LinuxSeccompAction::ScmpActTrace, Some(n))
            if n <= MAX_ERRNO =>
        {
            Ok(())
        }
        (LinuxSeccompAction::ScmpActErrno | LinuxSeccompAction::ScmpActTrace, Some(n)) => Err(
            invalid(format!("{what} {n} is out of range (0..={MAX_ERRNO})")),
        ),
        (a, Some(n)) => Err(invalid(format!(
            "{what} {n} given with {a}: only SCMP_ACT_ERRNO and SCMP_ACT_TRACE take one"
        ))),
    }
}

/// libseccomp 2.6 added SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV.
fn libseccomp_has_waitkill() -> bool {
    ScmpVersion::current().is_ok_and(|v| (v.major, v.minor) >= (2, 6))
}

/// Whether the default action or any rule is SCMP_ACT_NOTIFY.
pub fn uses_notify(s: &LinuxSeccomp) -> bool {
    s.default_action() == LinuxSeccompAction::ScmpActNotify
        || s.syscalls()
            .iter()
            .flatten()
            .any(|r| r.action() == LinuxSeccompAction::ScmpActNotify)
}

/// Structural checks that need no filter context: actions and errno values,
/// argument indexes, flags libseccomp cannot set, notify.
pub fn validate_seccomp(s: &LinuxSeccomp) -> Result<(), SecurityError> {
    if uses_notify(s) && s.listener_path().is_none() {
        return Err(invalid(
            "SCMP_ACT_NOTIFY needs linux.seccomp.listenerPath, the socket of the agent that answers the notifications".into(),
        ));
    }
    // The runtime's own last calls run under the filter before the agent
    // has the listener (sendmsg hands it over, see the per-rule check
    // below): notifying them would hang.
    if s.default_action() == LinuxSeccompAction::ScmpActNotify {
        return Err(SecurityError::SeccompUnsupported(
            "defaultAction SCMP_ACT_NOTIFY (the runtime's calls after the filter is loaded would wait for an agent that has no listener yet): notify only the syscalls the agent handles".into(),
        ));
    }
    if s.listener_metadata().is_some() && s.listener_path().is_none() {
        return Err(invalid(
            "listenerMetadata without listenerPath: set the agent's socket too".into(),
        ));
    }
    if let Some(p) = s.listener_path()
        && !p.is_absolute()
    {
        return Err(invalid(format!(
            "listenerPath {} must be an absolute path",
            p.display()
        )));
    }
    errno_of(s.default_action(), s.default_errno_ret(), "defaultErrnoRet")?;
    for flag in s.flags().iter().flatten() {
        if *flag == LinuxSeccompFilterFlag::SeccompFilterFlagWaitKillableRecv
            && !libseccomp_has_waitkill()
        {
            return Err(SecurityError::SeccompUnsupported(format!(
                "flag {flag} (needs libseccomp 2.6 or newer)"
            )));
        }
    }
    for rule in s.syscalls().iter().flatten() {
        let names = rule.names().join(",");
        if rule.names().is_empty() {
            return Err(invalid("a syscalls entry has no names".into()));
        }
        if rule.action() == LinuxSeccompAction::ScmpActNotify
            && rule.names().iter().any(|n| n == "sendmsg")
        {
            return Err(SecurityError::SeccompUnsupported(
                "SCMP_ACT_NOTIFY for sendmsg: the listener itself is handed to the agent with sendmsg".into(),
            ));
        }
        errno_of(
            rule.action(),
            rule.errno_ret(),
            &format!("errnoRet for {names}:"),
        )?;
        for arg in rule.args().iter().flatten() {
            if arg.index() > 5 {
                return Err(invalid(format!(
                    "argument index {} for {names} (syscalls have 6 arguments, 0..=5)",
                    arg.index()
                )));
            }
        }
    }
    Ok(())
}

fn action(a: LinuxSeccompAction, errno_ret: Option<u32>) -> Result<ScmpAction, SecurityError> {
    let code = errno_ret.unwrap_or(libc::EPERM as u32);
    Ok(match a {
        // SCMP_ACT_KILL is the historical name of KILL_THREAD.
        LinuxSeccompAction::ScmpActKill | LinuxSeccompAction::ScmpActKillThread => {
            ScmpAction::KillThread
        }
        LinuxSeccompAction::ScmpActKillProcess => ScmpAction::KillProcess,
        LinuxSeccompAction::ScmpActTrap => ScmpAction::Trap,
        LinuxSeccompAction::ScmpActErrno => ScmpAction::Errno(code as i32),
        LinuxSeccompAction::ScmpActTrace => ScmpAction::Trace(code as u16),
        LinuxSeccompAction::ScmpActLog => ScmpAction::Log,
        LinuxSeccompAction::ScmpActAllow => ScmpAction::Allow,
        LinuxSeccompAction::ScmpActNotify => ScmpAction::Notify,
    })
}

fn arch(a: Arch) -> ScmpArch {
    match a {
        Arch::ScmpArchNative => ScmpArch::Native,
        Arch::ScmpArchX86 => ScmpArch::X86,
        Arch::ScmpArchX86_64 => ScmpArch::X8664,
        Arch::ScmpArchX32 => ScmpArch::X32,
        Arch::ScmpArchArm => ScmpArch::Arm,
        Arch::ScmpArchAarch64 => ScmpArch::Aarch64,
        Arch::ScmpArchMips => ScmpArch::Mips,
        Arch::ScmpArchMips64 => ScmpArch::Mips64,
        Arch::ScmpArchMips64n32 => ScmpArch::Mips64N32,
        Arch::ScmpArchMipsel => ScmpArch::Mipsel,
        Arch::ScmpArchMipsel64 => ScmpArch::Mipsel64,
        Arch::ScmpArchMipsel64n32 => ScmpArch::Mipsel64N32,
        Arch::ScmpArchPpc => ScmpArch::Ppc,
        Arch::ScmpArchPpc64 => ScmpArch::Ppc64,
        Arch::ScmpArchPpc64le => ScmpArch::Ppc64Le,
        Arch::ScmpArchS390 => ScmpArch::S390,
        Arch::ScmpArchS390x => ScmpArch::S390X,
        Arch::ScmpArchParisc => ScmpArch::Parisc,
        Arch::ScmpArchParisc64 => ScmpArch::Parisc64,
        Arch::ScmpArchRiscv64 => ScmpArch::Riscv64,
        Arch::ScmpArchLoongarch64 => ScmpArch::Loongarch64,
        Arch::ScmpArchM68k => ScmpArch::M68k,
        Arch::ScmpArchSh => ScmpArch::Sh,
        Arch::ScmpArchSheb => ScmpArch::Sheb,
    }
}

fn condition(
    index: usize,
    op: LinuxSeccompOperator,
    value: u64,
    two: Option<u64>,
) -> ScmpArgCompare {
    let op = match op {
        LinuxSeccompOperator::ScmpCmpNe => ScmpCompareOp::NotEqual,
        LinuxSeccompOperator::ScmpCmpLt => ScmpCompareOp::Less,
        LinuxSeccompOperator::ScmpCmpLe => ScmpCompareOp::LessOrEqual,
        LinuxSeccompOperator::ScmpCmpEq => ScmpCompareOp::Equal,
        LinuxSeccompOperator::ScmpCmpGe => ScmpCompareOp::GreaterEqual,
        LinuxSeccompOperator::ScmpCmpGt => ScmpCompareOp::Greater,
        LinuxSeccompOperator::ScmpCmpMaskedEq => {
            return ScmpArgCompare::new(
                index as u32,
                ScmpCompareOp::MaskedEqual(value),
                two.unwrap_or(0),
            );
        }
    };
    ScmpArgCompare::new(index as u32, op, value)
}

fn set_flag(
    ctx: &mut ScmpFilterContext,
    flag: LinuxSeccompFilterFlag,
) -> Result<(), SecurityError> {
    let r = match flag {
        LinuxSeccompFilterFlag::SeccompFilterFlagLog => ctx.set_ctl_log(true),
        LinuxSeccompFilterFlag::SeccompFilterFlagSpecAllow => ctx.set_ctl_ssb(true),
        LinuxSeccompFilterFlag::SeccompFilterFlagTsync => ctx.set_ctl_tsync(true),
        LinuxSeccompFilterFlag::SeccompFilterFlagWaitKillableRecv => ctx.set_ctl_waitkill(true),
    };
    r.map(drop)
        .map_err(|e| SecurityError::SeccompUnsupported(format!("flag {flag}: {e}")))
}

fn add_rule(
    ctx: &mut ScmpFilterContext,
    rule: &LinuxSyscall,
    default: ScmpAction,
) -> Result<(), SecurityError> {
    let act = action(rule.action(), rule.errno_ret())?;
    if act == default {
        return Ok(());
    }
    let conds: Vec<ScmpArgCompare> = rule
        .args()
        .iter()
        .flatten()
        .map(|a| condition(a.index(), a.op(), a.value(), a.value_two()))
        .collect();
    let mut per_index = [0u8; 6];
    for a in rule.args().iter().flatten() {
        per_index[a.index().min(5)] += 1;
    }
    let split = per_index.iter().any(|&n| n > 1);
    for name in rule.names() {
        // Unknown to this libseccomp: newer than the library, skipped.
        let Ok(sys) = ScmpSyscall::from_name(name) else {
            continue;
        };
        let added = if split {
            conds
                .iter()
                .try_for_each(|c| ctx.add_rule_conditional(act, sys, &[*c]).map(drop))
        } else {
            ctx.add_rule_conditional(act, sys, &conds).map(drop)
        };
        added.map_err(|e| SecurityError::Seccomp(format!("adding the rule for {name}: {e}")))?;
    }
    Ok(())
}

/// Builds the filter for `s` (see the module docs for the semantics).
pub fn compile_seccomp(s: &LinuxSeccomp) -> Result<SeccompFilter, SecurityError> {
    validate_seccomp(s)?;
    let default = action(s.default_action(), s.default_errno_ret())?;
    let lib = |what: &str, e: libseccomp::error::SeccompError| {
        SecurityError::Seccomp(format!("{what}: {e}"))
    };
    let mut ctx = ScmpFilterContext::new(default).map_err(|e| lib("creating the filter", e))?;
    ctx.set_ctl_nnp(false)
        .map_err(|e| lib("clearing libseccomp's no_new_privs default", e))?;
    // Report the kernel's errno from seccomp_load instead of ECANCELED; an old
    // libseccomp without the attribute only loses that detail.
    let _ = ctx.set_api_sysrawrc(true);
    for a in s.architectures().iter().flatten() {
        ctx.add_arch(arch(*a))
            .map_err(|e| lib(&format!("adding architecture {a}"), e))?;
    }
    for flag in s.flags().iter().flatten() {
        set_flag(&mut ctx, *flag)?;
    }
    for rule in s.syscalls().iter().flatten() {
        add_rule(&mut ctx, rule, default)?;
    }
    Ok(SeccompFilter {
        ctx,
        notifies: uses_notify(s),
    })
}

/// The `linux.seccomp` part of `skiff runtime features` (runtime-spec
/// features.md): what this build accepts and what the kernel supports.
pub fn seccomp_features() -> serde_json::Value {
    let actions = [
        "SCMP_ACT_ALLOW",
        "SCMP_ACT_ERRNO",
        "SCMP_ACT_KILL",
        "SCMP_ACT_KILL_PROCESS",
        "SCMP_ACT_KILL_THREAD",
        "SCMP_ACT_LOG",
        "SCMP_ACT_NOTIFY",
        "SCMP_ACT_TRACE",
        "SCMP_ACT_TRAP",
    ];
    let operators = [
        "SCMP_CMP_EQ",
        "SCMP_CMP_GE",
        "SCMP_CMP_GT",
        "SCMP_CMP_LE",
        "SCMP_CMP_LT",
        "SCMP_CMP_MASKED_EQ",
        "SCMP_CMP_NE",
    ];
    let archs = [
        "SCMP_ARCH_AARCH64",
        "SCMP_ARCH_ARM",
        "SCMP_ARCH_LOONGARCH64",
        "SCMP_ARCH_M68K",
        "SCMP_ARCH_MIPS",
        "SCMP_ARCH_MIPS64",
        "SCMP_ARCH_MIPS64N32",
        "SCMP_ARCH_MIPSEL",
        "SCMP_ARCH_MIPSEL64",
        "SCMP_ARCH_MIPSEL64N32",
        "SCMP_ARCH_PARISC",
        "SCMP_ARCH_PARISC64",
        "SCMP_ARCH_PPC",
        "SCMP_ARCH_PPC64",
        "SCMP_ARCH_PPC64LE",
        "SCMP_ARCH_RISCV64",
        "SCMP_ARCH_S390",
        "SCMP_ARCH_S390X",
        "SCMP_ARCH_SH",
        "SCMP_ARCH_SHEB",
        "SCMP_ARCH_X32",
        "SCMP_ARCH_X86",
        "SCMP_ARCH_X86_64",
    ];
    // (name, SECCOMP_FILTER_FLAG_* bit)
    let flags = [
        ("SECCOMP_FILTER_FLAG_TSYNC", 1u32 << 0),
        ("SECCOMP_FILTER_FLAG_LOG", 1 << 1),
        ("SECCOMP_FILTER_FLAG_SPEC_ALLOW", 1 << 2),
        ("SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", 1 << 5),
    ];
    let supported: Vec<&str> = flags
        .iter()
        .filter(|(name, bit)| {
            (*name != "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV" || libseccomp_has_waitkill())
                && crate::sys::security::seccomp_filter_flag_known(*bit)
        })
        .map(|(name, _)| *name)
        .collect();
    serde_json::json!({
        "enabled": true,
        "actions": actions,
        "operators": operators,
        "archs": archs,
        "knownFlags": flags.iter().map(|(n, _)| *n).collect::<Vec<_>>(),
        "supportedFlags": supported,
    })
}

#[cfg(test)]
#[path = "seccomp_tests.rs"]
mod tests;
