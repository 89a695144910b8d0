//! Switching the process root to the container rootfs.
//!
//! pivot_root(2) is the normal way: the old root is then unmounted entirely,
//! so nothing of the host stays reachable. It cannot work when the current
//! root is the initial ramfs/tmpfs `rootfs` (initramfs boots, some CI
//! sandboxes): that mount has no parent and pivot_root fails with EINVAL.
//! There, and when `--no-pivot` is asked, the fallback is runc's: detach every
//! host mount that is not the rootfs or one of its ancestors, move the rootfs
//! mount onto `/` (MS_MOVE) and chroot into it. The fallback is weaker: the
//! old root's directories remain below the moved mount, so a process keeping
//! CAP_SYS_CHROOT could escape the chroot; containers that need that
//! guarantee must not run on such a root.
use std::os::fd::AsFd;
use std::path::{Path, PathBuf};

use crate::sys::fs as sfs;
use crate::sys::mount as sm;

use super::RootfsError;

/// One line of /proc/self/mountinfo, the fields we use.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MountEntry {
    pub mount_point: PathBuf,
    /// Optional fields: `shared:N`, `master:N`, `propagate_from:N`, `unbindable`.
    pub optional: Vec<String>,
}

/// Undoes mountinfo's octal escapes (`\040` for space, `\011`, `\012`, `\134`).
fn unescape(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\'
            && i + 3 < b.len()
            && b[i + 1..i + 4].iter().all(|c| (b'0'..=b'7').contains(c))
        {
            let v = (b[i + 1] - b'0') as u32 * 64
                + (b[i + 2] - b'0') as u32 * 8
                + (b[i + 3] - b'0') as u32;
            out.push(v as u8);
            i += 4;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    out
}

pub fn parse_mountinfo(text: &str) -> Vec<MountEntry> {
    use std::os::unix::ffi::OsStringExt;
    text.lines()
        .filter_map(|line| {
            let mut f = line.split(' ');
            let mount_point = f.nth(4)?;
            let optional = f
                .skip(1)
                .take_while(|x| *x != "-")
                .map(str::to_string)
                .collect();
            Some(MountEntry {
                mount_point: PathBuf::from(std::ffi::OsString::from_vec(unescape(mount_point))),
                optional,
            })
        })
        .collect()
}

/// The mount point of the mount containing `path`'s parent: the closest
/// strict ancestor of `path` that is a mount point.
pub fn parent_mount(entries: &[MountEntry], path: &Path) -> Option<PathBuf> {
    entries
        .iter()
        .map(|e| e.mount_point.as_path())
        .filter(|m| path.starts_with(m) && *m != path)
        .max_by_key(|m| m.as_os_str().len())
        .map(Path::to_path_buf)
}

/// Mount points the no-pivot fallback detaches: everything but the rootfs
/// and what is under it, and its ancestors (detaching one would take the
/// rootfs along). Deepest first, so children go before their parents.
pub fn mounts_to_detach(entries: &[MountEntry], rootfs: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = entries
        .iter()
        .map(|e| e.mount_point.clone())
        .filter(|m| !m.starts_with(rootfs) && !rootfs.starts_with(m))
        .collect();
    v.sort_by_key(|m| std::cmp::Reverse(m.components().count()));
    v.dedup();
    v
}

fn read_mountinfo() -> Result<Vec<MountEntry>, RootfsError> {
    let p = Path::new("/proc/self/mountinfo");
    let text = std::fs::read_to_string(p).map_err(|source| RootfsError::Io {
        op: "read",
        path: p.display().to_string(),
        source,
    })?;
    Ok(parse_mountinfo(&text))
}

fn merr(what: &str, dest: &Path) -> impl FnOnce(std::io::Error) -> RootfsError {
    let (what, dest) = (what.to_string(), dest.display().to_string());
    move |source| RootfsError::Mount { what, dest, source }
}

/// pivot_root and MS_MOVE refuse shared mounts: the current root, the rootfs
/// mount and its parent become slaves (a private mount stays private), so no
/// mount event of ours reaches the peers these had.
fn unshare_propagation(rootfs: &Path) -> Result<(), RootfsError> {
    let entries = read_mountinfo()?;
    let mut targets = vec![PathBuf::from("/"), rootfs.to_path_buf()];
    targets.extend(parent_mount(&entries, rootfs));
    for t in targets {
        sm::mount(None, &t, None, libc::MS_SLAVE, None).map_err(merr("propagation", &t))?;
    }
    Ok(())
}

/// Makes `rootfs` (a mount point, canonical) the process root and cwd.
pub fn switch_root(rootfs: &Path, no_pivot: bool) -> Result<(), RootfsError> {
    unshare_propagation(rootfs)?;
    if no_pivot {
        return move_root(rootfs);
    }
    match pivot(rootfs) {
        Err(e) if e.errno() == Some(libc::EINVAL) && root_is_initramfs() => move_root(rootfs),
        r => r,
    }
}

fn root_is_initramfs() -> bool {
    matches!(sm::fs_type(Path::new("/")), Ok(t) if t == sm::RAMFS_MAGIC || t == sm::TMPFS_MAGIC)
}

/// pivot_root(".", ".") stacks the old root on top of the new one; unmounting
/// "." then leaves only the new root, with no put_old directory needed (so a
/// read-only rootfs works too).
fn pivot(rootfs: &Path) -> Result<(), RootfsError> {
    let io = |op: &'static str, p: &Path| {
        let path = p.display().to_string();
        move |source| RootfsError::Io { op, path, source }
    };
    let old = sfs::open_dir(Path::new("/")).map_err(io("open", Path::new("/")))?;
    let new = sfs::open_dir(rootfs).map_err(io("open", rootfs))?;
    sm::fchdir(new.as_fd()).map_err(io("chdir", rootfs))?;
    sm::pivot_root(Path::new("."), Path::new(".")).map_err(io("pivot_root", rootfs))?;
    sm::fchdir(old.as_fd()).map_err(io("chdir", Path::new("old root")))?;
    // Make sure the unmount cannot propagate to any mount outside.
    sm::mount(
        None,
        Path::new("."),
        None,
        libc::MS_SLAVE | libc::MS_REC,
        None,
    )
    .map_err(merr("propagation", Path::new("old root")))?;
    sm::unmount_detach(Path::new(".")).map_err(io("unmount", Path::new("old root")))?;
    sm::chdir(Path::new("/")).map_err(io("chdir", Path::new("/")))
}

fn move_root(rootfs: &Path) -> Result<(), RootfsError> {
    for m in mounts_to_detach(&read_mountinfo()?, rootfs) {
        // Best effort, as runc: some mounts are locked in a user namespace.
        let _ = sm::unmount_detach(&m);
    }
    let io = |op: &'static str| {
        let path = rootfs.display().to_string();
        move |source| RootfsError::Io { op, path, source }
    };
    sm::chdir(rootfs).map_err(io("chdir"))?;
    sm::mount(
        Some(Path::new(".")),
        Path::new("/"),
        None,
        libc::MS_MOVE,
        None,
    )
    .map_err(merr("rootfs move", Path::new("/")))?;
    sm::chroot(Path::new(".")).map_err(io("chroot"))?;
    sm::chdir(Path::new("/")).map_err(io("chdir"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "\
22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw
23 22 0:5 / /proc rw,nosuid shared:12 - proc proc rw
24 22 0:6 / /run/my\\040dir rw master:3 - tmpfs tmpfs rw
25 22 8:1 /b /var/lib/bundle/rootfs rw - ext4 /dev/sda1 rw
26 25 0:7 / /var/lib/bundle/rootfs/proc rw shared:5 unbindable - proc proc rw
27 22 0:8 / /var rw - tmpfs tmpfs rw
";

    #[test]
    fn mountinfo_fields_and_escapes() {
        let e = parse_mountinfo(SAMPLE);
        assert_eq!(e.len(), 6);
        assert_eq!(e[0].mount_point, Path::new("/"));
        assert_eq!(e[0].optional, vec!["shared:1"]);
        assert_eq!(e[2].mount_point, Path::new("/run/my dir"));
        assert_eq!(e[2].optional, vec!["master:3"]);
        assert!(e[3].optional.is_empty());
        assert_eq!(e[4].optional, vec!["shared:5", "unbindable"]);
        assert_eq!(unescape("a\\134b\\011"), b"a\\b\t");
        assert_eq!(unescape("tail\\04"), b"tail\\04");
    }

    #[test]
    fn parent_of_rootfs_is_the_closest_ancestor() {
        let e = parse_mountinfo(SAMPLE);
        let root = Path::new("/var/lib/bundle/rootfs");
        assert_eq!(parent_mount(&e, root), Some(PathBuf::from("/var")));
        assert_eq!(
            parent_mount(&e, Path::new("/srv/x")),
            Some(PathBuf::from("/"))
        );
        assert_eq!(parent_mount(&e, Path::new("/")), None);
    }

    #[test]
    fn no_pivot_detaches_unrelated_mounts_deepest_first() {
        let e = parse_mountinfo(SAMPLE);
        let d = mounts_to_detach(&e, Path::new("/var/lib/bundle/rootfs"));
        // "/" and "/var" hold the rootfs; rootfs and rootfs/proc are ours.
        assert_eq!(
            d,
            vec![PathBuf::from("/run/my dir"), PathBuf::from("/proc")]
        );
    }
}
