//! Device rules on cgroup v2: an eBPF program of type
//! `BPF_PROG_TYPE_CGROUP_DEVICE`, attached to the container's cgroup.
//!
//! The kernel runs the program for every device access with a
//! `struct bpf_cgroup_dev_ctx { u32 access_type; u32 major; u32 minor; }`
//! (access_type: device type in the low 16 bits, access bits in the high 16)
//! and allows the access when it returns 1. The program is the OCI rules in
//! reverse order, one block each, first match returning: that is "the last
//! matching rule wins", the cgroup v1 semantics. Nothing matching means deny,
//! as after v1's leading `devices.deny a`; like the v1 writer, runc's default
//! devices are appended after the spec's rules.
use std::os::fd::AsFd;
use std::path::Path;

use oci_spec::runtime::{LinuxDeviceCgroup, LinuxDeviceType};

use super::CgroupError;
use super::resources::default_device_rules;
use crate::sys::bpf::{self, Insn};

// Opcodes (linux/bpf_common.h, linux/bpf.h).
const LDX_MEM_W: u8 = 0x61; // BPF_LDX | BPF_MEM | BPF_W
const ALU32_AND_K: u8 = 0x54; // BPF_ALU | BPF_AND | BPF_K
const ALU32_RSH_K: u8 = 0x74; // BPF_ALU | BPF_RSH | BPF_K
const MOV64_X: u8 = 0xbf; // BPF_ALU64 | BPF_MOV | BPF_X
const MOV64_K: u8 = 0xb7; // BPF_ALU64 | BPF_MOV | BPF_K
const JEQ_K: u8 = 0x15; // BPF_JMP | BPF_JEQ | BPF_K
const JNE_K: u8 = 0x55; // BPF_JMP | BPF_JNE | BPF_K
const EXIT: u8 = 0x95; // BPF_JMP | BPF_EXIT

// Registers: r1 = ctx on entry, r0 = return value.
const R_TYPE: u8 = 2;
const R_ACCESS: u8 = 3;
const R_MAJOR: u8 = 4;
const R_MINOR: u8 = 5;
const R_TMP: u8 = 6;

const DEV_BLOCK: i32 = 1; // BPF_DEVCG_DEV_BLOCK
const DEV_CHAR: i32 = 2; // BPF_DEVCG_DEV_CHAR
const ACC_MKNOD: i32 = 1; // BPF_DEVCG_ACC_MKNOD
const ACC_READ: i32 = 2; // BPF_DEVCG_ACC_READ
const ACC_WRITE: i32 = 4; // BPF_DEVCG_ACC_WRITE
const ACC_ALL: i32 = ACC_MKNOD | ACC_READ | ACC_WRITE;

/// The license string given to the kernel; device programs call no
/// GPL-only helper, so any license is accepted.
const LICENSE: &str = "Apache";

/// One rule, checked and reduced to what the program compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Rule {
    allow: bool,
    /// `None`: any type ("a").
    typ: Option<i32>,
    major: Option<i32>,
    minor: Option<i32>,
    access: i32,
}

fn device_number(what: &str, n: Option<i64>) -> Result<Option<i32>, CgroupError> {
    match n {
        None => Ok(None),
        Some(n) if n < 0 => Ok(None),
        // Jump immediates are sign-extended 32-bit values; real device
        // numbers are far below (12-bit majors, 20-bit minors).
        Some(n) => i32::try_from(n).map(Some).map_err(|_| {
            CgroupError::InvalidValue(format!("device {what} number {n} is out of range"))
        }),
    }
}

/// `None` for rules the device cgroup never sees (fifos).
fn reduce(d: &LinuxDeviceCgroup) -> Result<Option<Rule>, CgroupError> {
    let typ = match d.typ().unwrap_or(LinuxDeviceType::A) {
        LinuxDeviceType::A => None,
        LinuxDeviceType::C | LinuxDeviceType::U => Some(DEV_CHAR),
        LinuxDeviceType::B => Some(DEV_BLOCK),
        LinuxDeviceType::P => return Ok(None),
    };
    let text = d
        .access()
        .clone()
        .filter(|a| !a.is_empty())
        .unwrap_or_else(|| "rwm".into());
    let mut access = 0;
    for c in text.chars() {
        access |= match c {
            'r' => ACC_READ,
            'w' => ACC_WRITE,
            'm' => ACC_MKNOD,
            _ => {
                return Err(CgroupError::InvalidValue(format!(
                    "device access {text:?}: use r, w and m"
                )));
            }
        };
    }
    Ok(Some(Rule {
        allow: d.allow(),
        typ,
        major: device_number("major", d.major())?,
        minor: device_number("minor", d.minor())?,
        access,
    }))
}

/// The instruction stream for the ordered rules (exactly these; the caller
/// appends the default devices).
pub(crate) fn program(rules: &[LinuxDeviceCgroup]) -> Result<Vec<Insn>, CgroupError> {
    let mut reduced = Vec::with_capacity(rules.len());
    for d in rules {
        if let Some(r) = reduce(d)? {
            reduced.push(r);
        }
    }
    let mut out = vec![
        Insn::new(LDX_MEM_W, R_TYPE, 1, 0, 0),
        Insn::new(ALU32_AND_K, R_TYPE, 0, 0, 0xffff),
        Insn::new(LDX_MEM_W, R_ACCESS, 1, 0, 0),
        Insn::new(ALU32_RSH_K, R_ACCESS, 0, 0, 16),
        Insn::new(LDX_MEM_W, R_MAJOR, 1, 4, 0),
        Insn::new(LDX_MEM_W, R_MINOR, 1, 8, 0),
    ];
    for r in reduced.iter().rev() {
        let (block, unconditional) = block(r);
        out.extend(block);
        // The verifier rejects unreachable instructions: stop after a rule
        // that matches everything.
        if unconditional {
            return Ok(out);
        }
    }
    out.push(Insn::new(MOV64_K, 0, 0, 0, 0));
    out.push(Insn::new(EXIT, 0, 0, 0, 0));
    Ok(out)
}

/// One rule's block: conditional jumps to the next block on mismatch, then
/// the verdict. Returns whether it has no condition at all.
fn block(r: &Rule) -> (Vec<Insn>, bool) {
    // Jumps are emitted with off 0 and patched once the length is known.
    let mut b = Vec::new();
    let mut jumps = Vec::new();
    let mut jump = |b: &mut Vec<Insn>, code, reg, imm| {
        jumps.push(b.len());
        b.push(Insn::new(code, reg, 0, 0, imm));
    };
    if let Some(t) = r.typ {
        jump(&mut b, JNE_K, R_TYPE, t);
    }
    if r.access != ACC_ALL {
        b.push(Insn::new(MOV64_X, R_TMP, R_ACCESS, 0, 0));
        if r.allow {
            // Allow only when every requested access is in the rule.
            b.push(Insn::new(ALU32_AND_K, R_TMP, 0, 0, !r.access & ACC_ALL));
            jump(&mut b, JNE_K, R_TMP, 0);
        } else {
            // Deny as soon as any requested access is in the rule.
            b.push(Insn::new(ALU32_AND_K, R_TMP, 0, 0, r.access));
            jump(&mut b, JEQ_K, R_TMP, 0);
        }
    }
    if let Some(m) = r.major {
        jump(&mut b, JNE_K, R_MAJOR, m);
    }
    if let Some(m) = r.minor {
        jump(&mut b, JNE_K, R_MINOR, m);
    }
    b.push(Insn::new(MOV64_K, 0, 0, 0, i32::from(r.allow)));
    b.push(Insn::new(EXIT, 0, 0, 0, 0));
    let len = b.len();
    for &i in &jumps {
        // Relative to the next instruction; lands on the next block's first.
        b[i].off = (len - i - 1) as i16;
    }
    (b, jumps.is_empty())
}

fn filter_err(dir: &Path, what: String) -> CgroupError {
    CgroupError::NotAvailable {
        dir: dir.to_path_buf(),
        file: "devices".into(),
        value: "eBPF device filter".into(),
        reason: what,
    }
}

fn open_dir(dir: &Path) -> Result<std::fs::File, CgroupError> {
    std::fs::File::open(dir).map_err(|e| super::read_err(dir, e))
}

/// True when `dir` is on a cgroup2 file system (fake trees in tests are not).
fn is_cgroup2(dir: &Path) -> bool {
    rustix::fs::statfs(dir).is_ok_and(|s| s.f_type as u32 == libc::CGROUP2_SUPER_MAGIC as u32)
}

/// Loads the program for `rules` + the default devices and attaches it to
/// `dir`, then detaches the programs attached there before (an update): the
/// new filter is in force before the old one goes, and while both are
/// attached the kernel requires both to allow.
pub(crate) fn apply(dir: &Path, rules: &[LinuxDeviceCgroup]) -> Result<(), CgroupError> {
    let all: Vec<LinuxDeviceCgroup> = rules
        .iter()
        .cloned()
        .chain(default_device_rules())
        .collect();
    let insns = program(&all)?;
    if !is_cgroup2(dir) {
        return Err(filter_err(dir, "not a cgroup v2 directory".into()));
    }
    let cg = open_dir(dir)?;
    let old = bpf::query_cgroup_device(cg.as_fd())
        .map_err(|e| filter_err(dir, format!("listing attached device programs: {e}")))?;
    let prog = bpf::load_cgroup_device_prog(&insns, LICENSE)
        .map_err(|e| filter_err(dir, e.to_string()))?;
    bpf::attach_cgroup_device(cg.as_fd(), prog.as_fd())
        .map_err(|e| filter_err(dir, format!("attaching the device program: {e}")))?;
    detach_ids(dir, &cg, &old)
}

/// Detaches every device program attached directly to `dir` (device rules
/// updated to allow-all). Nothing to do on a directory that is not a cgroup2
/// one.
pub(crate) fn remove(dir: &Path) -> Result<(), CgroupError> {
    if !is_cgroup2(dir) {
        return Ok(());
    }
    let cg = open_dir(dir)?;
    let ids = bpf::query_cgroup_device(cg.as_fd())
        .map_err(|e| filter_err(dir, format!("listing attached device programs: {e}")))?;
    detach_ids(dir, &cg, &ids)
}

fn detach_ids(dir: &Path, cg: &std::fs::File, ids: &[u32]) -> Result<(), CgroupError> {
    for &id in ids {
        let fd = match bpf::prog_fd_by_id(id) {
            Ok(fd) => fd,
            // Gone meanwhile.
            Err(nix::errno::Errno::ENOENT) => continue,
            Err(e) => return Err(filter_err(dir, format!("opening device program {id}: {e}"))),
        };
        match bpf::detach_cgroup_device(cg.as_fd(), fd.as_fd()) {
            Ok(()) | Err(nix::errno::Errno::ENOENT) => {}
            Err(e) => {
                return Err(filter_err(
                    dir,
                    format!("detaching device program {id}: {e}"),
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use oci_spec::runtime::LinuxDeviceCgroupBuilder;
    use std::io::{Read, Write};
    use std::process::{Command, Stdio};

    fn rule(allow: bool, typ: &str, major: i64, minor: i64, access: &str) -> LinuxDeviceCgroup {
        let typ = match typ {
            "a" => LinuxDeviceType::A,
            "c" => LinuxDeviceType::C,
            "b" => LinuxDeviceType::B,
            _ => LinuxDeviceType::P,
        };
        LinuxDeviceCgroupBuilder::default()
            .allow(allow)
            .typ(typ)
            .major(major)
            .minor(minor)
            .access(access)
            .build()
            .unwrap()
    }

    /// Runs the program the way the kernel would, for the opcodes emitted
    /// here; panics on anything else, on a jump out of range, or on falling
    /// off the end.
    fn run(p: &[Insn], typ: u32, access: u32, major: u32, minor: u32) -> u64 {
        let ctx = [typ | (access << 16), major, minor];
        let mut r = [0u64; 11];
        let mut pc = 0usize;
        loop {
            let i = p.get(pc).expect("fell off the end of the program");
            let (d, s) = (usize::from(i.dst()), usize::from(i.src()));
            let imm = i64::from(i.imm) as u64;
            let mut next = pc + 1;
            match i.code {
                LDX_MEM_W => {
                    assert_eq!(s, 1, "loads come from the context");
                    r[d] = u64::from(ctx[i.off as usize / 4]);
                }
                ALU32_AND_K => r[d] = (r[d] as u32 & i.imm as u32) as u64,
                ALU32_RSH_K => r[d] = ((r[d] as u32) >> i.imm) as u64,
                MOV64_X => r[d] = r[s],
                MOV64_K => r[d] = imm,
                JEQ_K | JNE_K => {
                    let taken = (r[d] == imm) == (i.code == JEQ_K);
                    if taken {
                        next = (pc as i64 + 1 + i64::from(i.off)) as usize;
                        assert!(next < p.len(), "jump out of range at {pc}");
                    }
                }
                EXIT => return r[0],
                c => panic!("unexpected opcode {c:#x}"),
            }
            pc = next;
        }
    }

    const R: u32 = ACC_READ as u32;
    const W: u32 = ACC_WRITE as u32;
    const M: u32 = ACC_MKNOD as u32;
    const C: u32 = DEV_CHAR as u32;
    const B: u32 = DEV_BLOCK as u32;

    fn check_structure(p: &[Insn]) {
        assert!(p.len() < 4096);
        assert_eq!(p.last().unwrap().code, EXIT);
        for (pc, i) in p.iter().enumerate() {
            if matches!(i.code, JEQ_K | JNE_K) {
                let t = pc as i64 + 1 + i64::from(i.off);
                assert!(i.off > 0 && (t as usize) < p.len(), "jump at {pc}");
                // Every jump lands on a block start: right after an exit.
                assert_eq!(p[t as usize - 1].code, EXIT, "jump at {pc} lands mid-block");
            }
        }
    }

    #[test]
    fn empty_rules_deny_everything() {
        let p = program(&[]).unwrap();
        check_structure(&p);
        assert_eq!(p.len(), 8);
        assert_eq!(run(&p, C, R, 1, 3), 0);
    }

    #[test]
    fn last_matching_rule_wins() {
        let rules = [
            rule(false, "a", -1, -1, "rwm"),
            rule(true, "c", 1, -1, "rw"),
            rule(false, "c", 1, 5, "w"),
        ];
        let p = program(&rules).unwrap();
        check_structure(&p);
        assert_eq!(run(&p, C, R, 1, 3), 1);
        assert_eq!(run(&p, C, R | W, 1, 3), 1);
        assert_eq!(run(&p, C, M, 1, 3), 0, "mknod not in the allow rule");
        assert_eq!(run(&p, C, R, 1, 5), 1);
        assert_eq!(run(&p, C, W, 1, 5), 0);
        assert_eq!(run(&p, C, R | W, 1, 5), 0, "any denied bit denies");
        assert_eq!(run(&p, B, R, 1, 3), 0, "type must match");
        assert_eq!(run(&p, C, R, 2, 3), 0, "major must match");
        // The leading deny-all matches everything: nothing after it.
        assert_eq!(
            &p[p.len() - 2..],
            &[Insn::new(MOV64_K, 0, 0, 0, 0), Insn::new(EXIT, 0, 0, 0, 0)]
        );
    }

    #[test]
    fn a_later_allow_all_cuts_the_program_short() {
        let p = program(&[
            rule(false, "c", 1, 3, "rwm"),
            rule(true, "a", -1, -1, "rwm"),
        ])
        .unwrap();
        check_structure(&p);
        // Loads, then "r0 = 1; exit" and nothing unreachable after it.
        assert_eq!(p.len(), 8);
        assert_eq!(run(&p, C, R, 1, 3), 1);
        let p = program(&[
            rule(true, "a", -1, -1, "rwm"),
            rule(false, "c", 1, 3, "rwm"),
        ])
        .unwrap();
        check_structure(&p);
        assert_eq!(run(&p, C, R, 1, 3), 0);
        assert_eq!(run(&p, B, W, 8, 0), 1);
    }

    #[test]
    fn defaults_and_wildcards() {
        let mut rules = vec![rule(false, "a", -1, -1, "rwm"), rule(true, "b", 8, -1, "r")];
        rules.extend(default_device_rules());
        let p = program(&rules).unwrap();
        check_structure(&p);
        assert_eq!(run(&p, C, R | W, 1, 3), 1, "/dev/null");
        assert_eq!(run(&p, C, R | W, 136, 7), 1, "pts");
        assert_eq!(run(&p, C, M, 10, 200), 1, "mknod of any char device");
        assert_eq!(run(&p, B, R, 8, 16), 1);
        assert_eq!(run(&p, B, W, 8, 16), 0);
        assert_eq!(run(&p, C, R, 10, 200), 0, "tun is not a default device");
    }

    #[test]
    fn fifos_skipped_and_bad_values_rejected() {
        assert_eq!(program(&[rule(true, "p", -1, -1, "rwm")]).unwrap().len(), 8);
        let e = program(&[rule(true, "c", 1, 3, "rx")]).unwrap_err();
        assert!(matches!(e, CgroupError::InvalidValue(_)), "{e}");
        let e = program(&[rule(true, "c", 1 << 40, 3, "r")]).unwrap_err();
        assert!(e.to_string().contains("out of range"), "{e}");
    }

    #[test]
    fn fake_tree_is_not_a_cgroup() {
        let d = tempfile::tempdir().unwrap();
        let e = apply(d.path(), &[rule(false, "a", -1, -1, "rwm")]).unwrap_err();
        assert!(e.to_string().contains("not a cgroup v2 directory"), "{e}");
        remove(d.path()).unwrap();
    }

    /// Removes the test cgroup even when an assertion fails.
    struct Cleanup(std::path::PathBuf);
    impl Drop for Cleanup {
        fn drop(&mut self) {
            let _ = remove(&self.0);
            let _ = std::fs::remove_dir(&self.0);
        }
    }

    #[test]
    fn real_filter_allows_null_and_denies_zero() {
        let base = Path::new("/sys/fs/cgroup/unified");
        let base = if is_cgroup2(base) {
            base
        } else {
            Path::new("/sys/fs/cgroup")
        };
        if crate::sys::effective_uid() != 0 || !is_cgroup2(base) {
            eprintln!("skipped: needs root and a cgroup2 mount");
            return;
        }
        let dir = base.join(format!("skiff-bpf-test-{}", std::process::id()));
        std::fs::create_dir(&dir).unwrap();
        let _cleanup = Cleanup(dir.clone());
        // Only the rule under test: no default devices.
        let insns = program(&[rule(true, "c", 1, 3, "rwm")]).unwrap();
        let cg = open_dir(&dir).unwrap();
        let prog = bpf::load_cgroup_device_prog(&insns, LICENSE).unwrap();
        bpf::attach_cgroup_device(cg.as_fd(), prog.as_fd()).unwrap();
        assert_eq!(bpf::query_cgroup_device(cg.as_fd()).unwrap().len(), 1);

        // The child waits on stdin until it has been moved into the cgroup.
        let script =
            "head -c1 /dev/null || exit 10; if head -c1 /dev/zero; then exit 11; fi; exit 0";
        let mut child = Command::new("sh")
            .args(["-c", &format!("read _; {script}")])
            .stdin(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        std::fs::write(dir.join("cgroup.procs"), child.id().to_string()).unwrap();
        child.stdin.take().unwrap().write_all(b"go\n").unwrap();
        let mut err = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut err)
            .unwrap();
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(0), "stderr: {err}");
        assert!(err.contains("Operation not permitted"), "stderr: {err}");

        // An update replaces the program; allow-all removes it.
        apply(&dir, &[rule(false, "a", -1, -1, "rwm")]).unwrap();
        let ids = bpf::query_cgroup_device(cg.as_fd()).unwrap();
        assert_eq!(ids.len(), 1);
        remove(&dir).unwrap();
        assert!(bpf::query_cgroup_device(cg.as_fd()).unwrap().is_empty());
    }
}
