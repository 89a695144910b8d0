//! The bpf(2) calls behind the cgroup v2 device filter: loading a
//! `BPF_PROG_TYPE_CGROUP_DEVICE` program, attaching it to a cgroup directory
//! (`BPF_F_ALLOW_MULTI`), listing what is attached there and detaching it.
//! The program itself is built by `runtime::cgroups::devices_bpf`.
use std::os::fd::{AsRawFd, BorrowedFd, FromRawFd, OwnedFd};

use nix::errno::Errno;

const BPF_PROG_LOAD: libc::c_int = 5;
const BPF_PROG_ATTACH: libc::c_int = 8;
const BPF_PROG_DETACH: libc::c_int = 9;
const BPF_PROG_GET_FD_BY_ID: libc::c_int = 13;
const BPF_PROG_QUERY: libc::c_int = 16;

const BPF_PROG_TYPE_CGROUP_DEVICE: u32 = 15;
const BPF_CGROUP_DEVICE: u32 = 6;
const BPF_F_ALLOW_MULTI: u32 = 1 << 1;

/// One eBPF instruction, laid out as the kernel's `struct bpf_insn`:
/// opcode, dst_reg:4 + src_reg:4 in one byte, 16-bit offset, 32-bit immediate.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Insn {
    pub code: u8,
    regs: u8,
    pub off: i16,
    pub imm: i32,
}

impl Insn {
    pub const fn new(code: u8, dst: u8, src: u8, off: i16, imm: i32) -> Insn {
        // The bitfield order follows the byte order (see linux/bpf.h).
        #[cfg(target_endian = "little")]
        let regs = (dst & 0xf) | ((src & 0xf) << 4);
        #[cfg(target_endian = "big")]
        let regs = ((dst & 0xf) << 4) | (src & 0xf);
        Insn {
            code,
            regs,
            off,
            imm,
        }
    }

    pub const fn dst(&self) -> u8 {
        #[cfg(target_endian = "little")]
        return self.regs & 0xf;
        #[cfg(target_endian = "big")]
        return self.regs >> 4;
    }

    pub const fn src(&self) -> u8 {
        #[cfg(target_endian = "little")]
        return self.regs >> 4;
        #[cfg(target_endian = "big")]
        return self.regs & 0xf;
    }
}

/// A failed BPF_PROG_LOAD: the errno and, when the verifier said something,
/// its log (the useful part of a rejection).
#[derive(Debug, thiserror::Error)]
#[error("loading the eBPF program: {errno}{}", if log.is_empty() { String::new() } else { format!(" (verifier: {log})") })]
pub struct LoadError {
    pub errno: Errno,
    pub log: String,
}

/// `union bpf_attr`, the parts used here, zero-padded: the kernel requires
/// every byte past the fields a command reads to be zero.
#[repr(C, align(8))]
struct Attr([u8; 128]);

impl Attr {
    fn new() -> Attr {
        Attr([0; 128])
    }
    fn u32(&mut self, at: usize, v: u32) -> &mut Attr {
        self.0[at..at + 4].copy_from_slice(&v.to_ne_bytes());
        self
    }
    fn u64(&mut self, at: usize, v: u64) -> &mut Attr {
        self.0[at..at + 8].copy_from_slice(&v.to_ne_bytes());
        self
    }
    fn get_u32(&self, at: usize) -> u32 {
        u32::from_ne_bytes(self.0[at..at + 4].try_into().unwrap_or_default())
    }
}

fn bpf(cmd: libc::c_int, attr: &mut Attr) -> Result<libc::c_long, Errno> {
    // SAFETY: `attr` is a live, writable, 8-aligned buffer of the size passed;
    // every pointer stored inside it by the callers refers to memory that
    // outlives this call (borrowed slices/strings held by the caller).
    let r = unsafe {
        libc::syscall(
            libc::SYS_bpf,
            cmd,
            attr.0.as_mut_ptr(),
            std::mem::size_of::<Attr>() as libc::c_uint,
        )
    };
    if r < 0 { Err(Errno::last()) } else { Ok(r) }
}

fn owned_fd(r: libc::c_long) -> OwnedFd {
    // SAFETY: the kernel just returned this new fd to us; nothing else owns it.
    unsafe { OwnedFd::from_raw_fd(r as libc::c_int) }
}

/// Loads a cgroup device program. On rejection the load is repeated with a
/// verifier log so the error says why.
pub fn load_cgroup_device_prog(insns: &[Insn], license: &str) -> Result<OwnedFd, LoadError> {
    let license = std::ffi::CString::new(license).map_err(|_| LoadError {
        errno: Errno::EINVAL,
        log: "license contains a NUL byte".into(),
    })?;
    let cnt = u32::try_from(insns.len()).map_err(|_| LoadError {
        errno: Errno::E2BIG,
        log: String::new(),
    })?;
    let mut log = vec![0u8; 64 * 1024];
    let attempt = |with_log: bool, log: &mut [u8]| {
        let mut a = Attr::new();
        a.u32(0, BPF_PROG_TYPE_CGROUP_DEVICE)
            .u32(4, cnt)
            .u64(8, insns.as_ptr() as u64)
            .u64(16, license.as_ptr() as u64)
            .u32(68, BPF_CGROUP_DEVICE);
        if with_log {
            a.u32(24, 1)
                .u32(28, log.len() as u32)
                .u64(32, log.as_mut_ptr() as u64);
        }
        bpf(BPF_PROG_LOAD, &mut a)
    };
    match attempt(false, &mut log) {
        Ok(fd) => Ok(owned_fd(fd)),
        Err(errno) if errno == Errno::EPERM => Err(LoadError {
            errno,
            log: String::new(),
        }),
        Err(_) => match attempt(true, &mut log) {
            Ok(fd) => Ok(owned_fd(fd)),
            Err(errno) => {
                let end = log.iter().position(|&b| b == 0).unwrap_or(log.len());
                let text = String::from_utf8_lossy(&log[..end]);
                let last: Vec<&str> = text.lines().rev().take(3).collect();
                Err(LoadError {
                    errno,
                    log: last.into_iter().rev().collect::<Vec<_>>().join("; "),
                })
            }
        },
    }
}

/// Attaches a device program to a cgroup directory, alongside any others.
pub fn attach_cgroup_device(cgroup: BorrowedFd, prog: BorrowedFd) -> Result<(), Errno> {
    let mut a = Attr::new();
    a.u32(0, cgroup.as_raw_fd() as u32)
        .u32(4, prog.as_raw_fd() as u32)
        .u32(8, BPF_CGROUP_DEVICE)
        .u32(12, BPF_F_ALLOW_MULTI);
    bpf(BPF_PROG_ATTACH, &mut a).map(drop)
}

/// Detaches one device program from a cgroup directory.
pub fn detach_cgroup_device(cgroup: BorrowedFd, prog: BorrowedFd) -> Result<(), Errno> {
    let mut a = Attr::new();
    a.u32(0, cgroup.as_raw_fd() as u32)
        .u32(4, prog.as_raw_fd() as u32)
        .u32(8, BPF_CGROUP_DEVICE);
    bpf(BPF_PROG_DETACH, &mut a).map(drop)
}

/// Ids of the device programs attached directly to this cgroup (not the
/// inherited ones).
pub fn query_cgroup_device(cgroup: BorrowedFd) -> Result<Vec<u32>, Errno> {
    let mut ids = vec![0u32; 64];
    loop {
        let mut a = Attr::new();
        a.u32(0, cgroup.as_raw_fd() as u32)
            .u32(4, BPF_CGROUP_DEVICE)
            .u64(16, ids.as_mut_ptr() as u64)
            .u32(24, ids.len() as u32);
        match bpf(BPF_PROG_QUERY, &mut a) {
            Ok(_) => {
                ids.truncate(a.get_u32(24) as usize);
                return Ok(ids);
            }
            // prog_cnt now holds the number needed.
            Err(Errno::ENOSPC) if (a.get_u32(24) as usize) > ids.len() => {
                ids = vec![0; a.get_u32(24) as usize];
            }
            Err(e) => return Err(e),
        }
    }
}

/// An fd for a loaded program, by id (needed to detach it).
pub fn prog_fd_by_id(id: u32) -> Result<OwnedFd, Errno> {
    let mut a = Attr::new();
    a.u32(0, id);
    bpf(BPF_PROG_GET_FD_BY_ID, &mut a).map(owned_fd)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn insn_layout_matches_the_kernel() {
        assert_eq!(std::mem::size_of::<Insn>(), 8);
        let i = Insn::new(0x61, 2, 1, 4, -7);
        assert_eq!((i.dst(), i.src(), i.off, i.imm), (2, 1, 4, -7));
        // The byte image: code, regs, off, imm.
        let bytes: Vec<u8> = [i.code, i.regs]
            .into_iter()
            .chain(i.off.to_ne_bytes())
            .chain(i.imm.to_ne_bytes())
            .collect();
        #[cfg(target_endian = "little")]
        assert_eq!(bytes[..4], [0x61, 0x12, 4, 0]);
        assert_eq!(bytes.len(), 8);
    }

    #[test]
    fn verifier_rejection_carries_its_log() {
        // "exit" with r0 never set: the verifier refuses it (EACCES) and says
        // why; without privileges the kernel answers EPERM before that.
        let exit = Insn::new(0x95, 0, 0, 0, 0);
        let e = load_cgroup_device_prog(&[exit], "Apache").unwrap_err();
        if crate::sys::effective_uid() == 0 {
            assert_eq!(e.errno, Errno::EACCES, "{e}");
            assert!(e.log.contains("R0"), "{e}");
            // r0 = 1; exit: a valid device program.
            let ok = [Insn::new(0xb7, 0, 0, 0, 1), exit];
            load_cgroup_device_prog(&ok, "Apache").unwrap();
        } else {
            assert_eq!(e.errno, Errno::EPERM, "{e}");
        }
        let e = load_cgroup_device_prog(&[], "Apache").unwrap_err();
        assert!(matches!(e.errno, Errno::E2BIG | Errno::EPERM), "{e}");
    }
}
