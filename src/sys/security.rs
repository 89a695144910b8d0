//! Raw credential syscalls for `runtime::security`: capability sets (capget/
//! capset v3), the bounding and ambient sets, keep-caps and no_new_privs
//! (prctl), supplementary groups and real/effective/saved ids, and the
//! seccomp flag probe. Each wrapper is one syscall; the policy lives in
//! `runtime::security`.
use nix::errno::Errno;

/// The three per-thread capability sets as 64-bit masks (bit n = capability n).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CapSets {
    pub effective: u64,
    pub permitted: u64,
    pub inheritable: u64,
}

/// `_LINUX_CAPABILITY_VERSION_3`: two 32-bit words per set.
const CAP_VERSION_3: u32 = 0x2008_0522;

#[repr(C)]
struct CapHeader {
    version: u32,
    pid: libc::c_int,
}

#[repr(C)]
#[derive(Clone, Copy, Default)]
struct CapData {
    effective: u32,
    permitted: u32,
    inheritable: u32,
}

/// The calling thread's capability sets.
pub fn capget() -> Result<CapSets, Errno> {
    let mut header = CapHeader {
        version: CAP_VERSION_3,
        pid: 0,
    };
    let mut data = [CapData::default(); 2];
    // SAFETY: with version 3 the kernel writes exactly two CapData structs
    // (the layout above is the kernel's __user_cap_data_struct) into `data`,
    // which holds two; both pointers are valid for the call's duration.
    let rc = unsafe {
        libc::syscall(
            libc::SYS_capget,
            &mut header as *mut CapHeader,
            data.as_mut_ptr(),
        )
    };
    Errno::result(rc)?;
    let join = |lo: u32, hi: u32| u64::from(lo) | (u64::from(hi) << 32);
    Ok(CapSets {
        effective: join(data[0].effective, data[1].effective),
        permitted: join(data[0].permitted, data[1].permitted),
        inheritable: join(data[0].inheritable, data[1].inheritable),
    })
}

/// Replaces the calling thread's three capability sets in one call, so no
/// ordering between the sets can make the kernel refuse an intermediate state.
pub fn capset(sets: &CapSets) -> Result<(), Errno> {
    let mut header = CapHeader {
        version: CAP_VERSION_3,
        pid: 0,
    };
    let split = |v: u64| (v as u32, (v >> 32) as u32);
    let (e0, e1) = split(sets.effective);
    let (p0, p1) = split(sets.permitted);
    let (i0, i1) = split(sets.inheritable);
    let data = [
        CapData {
            effective: e0,
            permitted: p0,
            inheritable: i0,
        },
        CapData {
            effective: e1,
            permitted: p1,
            inheritable: i1,
        },
    ];
    // SAFETY: the kernel reads one header and two CapData structs (version 3
    // layout), all of which live on this stack frame for the whole call.
    let rc = unsafe {
        libc::syscall(
            libc::SYS_capset,
            &mut header as *mut CapHeader,
            data.as_ptr(),
        )
    };
    Errno::result(rc).map(drop)
}

fn prctl(option: libc::c_int, arg2: libc::c_ulong, arg3: libc::c_ulong) -> Result<i32, Errno> {
    // SAFETY: every option used in this file takes plain integers (no
    // pointers); unused trailing arguments must be zero, which we pass.
    let rc = unsafe { libc::prctl(option, arg2, arg3, 0 as libc::c_ulong, 0 as libc::c_ulong) };
    Errno::result(rc)
}

/// Whether capability `cap` is in the bounding set.
pub fn bounding_has(cap: u32) -> Result<bool, Errno> {
    prctl(libc::PR_CAPBSET_READ, libc::c_ulong::from(cap), 0).map(|v| v == 1)
}

/// Removes `cap` from the bounding set (needs CAP_SETPCAP).
pub fn bounding_drop(cap: u32) -> Result<(), Errno> {
    prctl(libc::PR_CAPBSET_DROP, libc::c_ulong::from(cap), 0).map(drop)
}

/// Empties the ambient set.
pub fn ambient_clear_all() -> Result<(), Errno> {
    prctl(
        libc::PR_CAP_AMBIENT,
        libc::PR_CAP_AMBIENT_CLEAR_ALL as libc::c_ulong,
        0,
    )
    .map(drop)
}

/// Adds `cap` to the ambient set (it must be permitted and inheritable).
pub fn ambient_raise(cap: u32) -> Result<(), Errno> {
    prctl(
        libc::PR_CAP_AMBIENT,
        libc::PR_CAP_AMBIENT_RAISE as libc::c_ulong,
        libc::c_ulong::from(cap),
    )
    .map(drop)
}

/// PR_SET_KEEPCAPS: keep the permitted set when all uids leave 0.
pub fn set_keepcaps(keep: bool) -> Result<(), Errno> {
    prctl(libc::PR_SET_KEEPCAPS, libc::c_ulong::from(keep), 0).map(drop)
}

/// PR_SET_NO_NEW_PRIVS: execve can never grant privileges again (one-way).
pub fn set_no_new_privs() -> Result<(), Errno> {
    prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0).map(drop)
}

/// Whether no_new_privs is set on the calling thread.
pub fn no_new_privs() -> Result<bool, Errno> {
    prctl(libc::PR_GET_NO_NEW_PRIVS, 0, 0).map(|v| v == 1)
}

/// Sets the supplementary group list.
pub fn setgroups(gids: &[u32]) -> Result<(), Errno> {
    // SAFETY: the kernel reads `gids.len()` gid_t values (u32 on Linux) from
    // the slice, which stays borrowed for the call; an empty slice is allowed.
    let rc = unsafe { libc::setgroups(gids.len(), gids.as_ptr()) };
    Errno::result(rc).map(drop)
}

/// Sets real, effective and saved gid. glibc's wrapper applies it to every
/// thread of the process, which is what a credential change must do.
pub fn setresgid(gid: u32) -> Result<(), Errno> {
    // SAFETY: plain integer arguments.
    let rc = unsafe { libc::setresgid(gid, gid, gid) };
    Errno::result(rc).map(drop)
}

/// Sets real, effective and saved uid (on every thread, as above).
pub fn setresuid(uid: u32) -> Result<(), Errno> {
    // SAFETY: plain integer arguments.
    let rc = unsafe { libc::setresuid(uid, uid, uid) };
    Errno::result(rc).map(drop)
}

/// Whether the kernel knows the seccomp filter flag `flag`
/// (SECCOMP_FILTER_FLAG_*): with a NULL program a known flag fails with
/// EFAULT when the program is copied in, an unknown one earlier with EINVAL.
/// Nothing is ever installed.
pub fn seccomp_filter_flag_known(flag: u32) -> bool {
    const SECCOMP_SET_MODE_FILTER: libc::c_ulong = 1;
    // SAFETY: the program pointer is NULL, so the kernel either rejects the
    // flags (EINVAL) or faults copying the program (EFAULT); no filter is
    // attached and no memory of ours is touched.
    let rc = unsafe {
        libc::syscall(
            libc::SYS_seccomp,
            SECCOMP_SET_MODE_FILTER,
            libc::c_ulong::from(flag),
            std::ptr::null::<libc::c_void>(),
        )
    };
    rc < 0 && Errno::last() == Errno::EFAULT
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capget_matches_proc_status() {
        let sets = capget().unwrap();
        let status = std::fs::read_to_string("/proc/thread-self/status").unwrap();
        let field = |name: &str| {
            let line = status
                .lines()
                .find(|l| l.starts_with(name))
                .unwrap_or_else(|| panic!("{name} missing"));
            u64::from_str_radix(line[name.len()..].trim(), 16).unwrap()
        };
        assert_eq!(sets.effective, field("CapEff:"));
        assert_eq!(sets.permitted, field("CapPrm:"));
        assert_eq!(sets.inheritable, field("CapInh:"));
        // Setting the same sets again is always allowed.
        capset(&sets).unwrap();
    }

    #[test]
    fn seccomp_flag_probe_distinguishes_known_flags() {
        // TSYNC (1) exists since 3.17; bit 31 is not a flag on any kernel.
        assert!(seccomp_filter_flag_known(1));
        assert!(!seccomp_filter_flag_known(1 << 31));
    }

    #[test]
    fn bounding_read_reports_in_range_caps() {
        // CAP_CHOWN is readable (true or false); a number past any kernel's
        // last capability is EINVAL.
        bounding_has(0).unwrap();
        assert_eq!(bounding_has(200), Err(Errno::EINVAL));
    }
}
