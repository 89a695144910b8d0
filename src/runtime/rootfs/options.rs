//! OCI mount options (fstab style) split into what each syscall needs:
//! `MS_*` flags for mount(2), propagation changes applied afterwards,
//! recursive attributes for mount_setattr(2), and the filesystem data string.
use crate::sys::mount as sm;

use super::RootfsError;

/// A mount's parsed options.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MountOptions {
    /// `MS_*` flags for mount(2), including `MS_BIND`/`MS_REC` for binds.
    pub flags: u64,
    /// Propagation changes (`MS_PRIVATE`, `MS_SLAVE|MS_REC`, ...) in the order
    /// given; each is a separate mount(2) call after the mount exists.
    pub propagation: Vec<u64>,
    /// `MOUNT_ATTR_*` bits to set / clear on the whole subtree (`rro`, ...).
    pub attr_set: u64,
    pub attr_clr: u64,
    /// Everything else, passed to the filesystem (`mode=755`, `size=64k`).
    pub data: Vec<String>,
}

/// (name, clear?, flag): the options mount(8) knows as flags. Later options
/// win, so `ro,rw` is writable.
const FLAGS: &[(&str, bool, u64)] = &[
    ("async", true, libc::MS_SYNCHRONOUS),
    ("atime", true, libc::MS_NOATIME),
    ("bind", false, libc::MS_BIND),
    ("defaults", false, 0),
    ("dev", true, libc::MS_NODEV),
    ("diratime", true, libc::MS_NODIRATIME),
    ("dirsync", false, libc::MS_DIRSYNC),
    ("exec", true, libc::MS_NOEXEC),
    ("iversion", false, libc::MS_I_VERSION),
    ("lazytime", false, libc::MS_LAZYTIME),
    ("loud", true, libc::MS_SILENT),
    ("mand", false, libc::MS_MANDLOCK),
    ("noatime", false, libc::MS_NOATIME),
    ("nodev", false, libc::MS_NODEV),
    ("nodiratime", false, libc::MS_NODIRATIME),
    ("noexec", false, libc::MS_NOEXEC),
    ("noiversion", true, libc::MS_I_VERSION),
    ("nolazytime", true, libc::MS_LAZYTIME),
    ("nomand", true, libc::MS_MANDLOCK),
    ("norelatime", true, libc::MS_RELATIME),
    ("nostrictatime", true, libc::MS_STRICTATIME),
    ("nosuid", false, libc::MS_NOSUID),
    ("nosymfollow", false, MS_NOSYMFOLLOW),
    ("rbind", false, libc::MS_BIND | libc::MS_REC),
    ("relatime", false, libc::MS_RELATIME),
    ("remount", false, libc::MS_REMOUNT),
    ("ro", false, libc::MS_RDONLY),
    ("rw", true, libc::MS_RDONLY),
    ("silent", false, libc::MS_SILENT),
    ("strictatime", false, libc::MS_STRICTATIME),
    ("suid", true, libc::MS_NOSUID),
    ("symfollow", true, MS_NOSYMFOLLOW),
    ("sync", false, libc::MS_SYNCHRONOUS),
];

/// MS_NOSYMFOLLOW (Linux 5.10); libc does not export it.
pub const MS_NOSYMFOLLOW: u64 = 256;

const PROPAGATION: &[(&str, u64)] = &[
    ("private", libc::MS_PRIVATE),
    ("rprivate", libc::MS_PRIVATE | libc::MS_REC),
    ("shared", libc::MS_SHARED),
    ("rshared", libc::MS_SHARED | libc::MS_REC),
    ("slave", libc::MS_SLAVE),
    ("rslave", libc::MS_SLAVE | libc::MS_REC),
    ("unbindable", libc::MS_UNBINDABLE),
    ("runbindable", libc::MS_UNBINDABLE | libc::MS_REC),
];

/// (name, set, clear) for the recursive attributes (runc's `rro` family).
const RECURSIVE: &[(&str, u64, u64)] = &[
    ("rro", sm::MOUNT_ATTR_RDONLY, 0),
    ("rrw", 0, sm::MOUNT_ATTR_RDONLY),
    ("rnosuid", sm::MOUNT_ATTR_NOSUID, 0),
    ("rsuid", 0, sm::MOUNT_ATTR_NOSUID),
    ("rnodev", sm::MOUNT_ATTR_NODEV, 0),
    ("rdev", 0, sm::MOUNT_ATTR_NODEV),
    ("rnoexec", sm::MOUNT_ATTR_NOEXEC, 0),
    ("rexec", 0, sm::MOUNT_ATTR_NOEXEC),
    ("rnodiratime", sm::MOUNT_ATTR_NODIRATIME, 0),
    ("rdiratime", 0, sm::MOUNT_ATTR_NODIRATIME),
    // An atime mode change must clear the whole atime mask.
    (
        "rrelatime",
        sm::MOUNT_ATTR_RELATIME,
        sm::MOUNT_ATTR_ATIME_MASK,
    ),
    ("ratime", sm::MOUNT_ATTR_RELATIME, sm::MOUNT_ATTR_ATIME_MASK),
    (
        "rnoatime",
        sm::MOUNT_ATTR_NOATIME,
        sm::MOUNT_ATTR_ATIME_MASK,
    ),
    (
        "rstrictatime",
        sm::MOUNT_ATTR_STRICTATIME,
        sm::MOUNT_ATTR_ATIME_MASK,
    ),
    ("rnosymfollow", sm::MOUNT_ATTR_NOSYMFOLLOW, 0),
    ("rsymfollow", 0, sm::MOUNT_ATTR_NOSYMFOLLOW),
];

/// Options runc and crun accept that change who owns the mount's files; we
/// refuse them clearly rather than pass them to the filesystem as data.
const UNSUPPORTED: &[&str] = &["idmap", "ridmap"];

/// Options that only tell the runtime something and mean nothing to the
/// kernel. `tmpcopyup` (copy the image's files into a fresh tmpfs) is not
/// implemented: the tmpfs starts empty.
const IGNORED: &[&str] = &["tmpcopyup", "notmpcopyup"];

impl MountOptions {
    pub fn parse(options: &[String]) -> Result<MountOptions, RootfsError> {
        let mut o = MountOptions::default();
        for opt in options {
            let name = opt.as_str();
            if let Some(&(_, clear, flag)) = FLAGS.iter().find(|(n, _, _)| *n == name) {
                if clear {
                    o.flags &= !flag;
                } else {
                    o.flags |= flag;
                }
            } else if let Some(&(_, p)) = PROPAGATION.iter().find(|(n, _)| *n == name) {
                o.propagation.push(p);
            } else if let Some(&(_, set, clr)) = RECURSIVE.iter().find(|(n, _, _)| *n == name) {
                // A later option undoes an earlier opposite one.
                o.attr_set = (o.attr_set & !clr & !set_mask(set)) | set;
                o.attr_clr = (o.attr_clr & !set) | clr;
            } else if UNSUPPORTED.contains(&name) {
                return Err(RootfsError::Unsupported(format!(
                    "mount option {name:?} (id-mapped mounts)"
                )));
            } else if IGNORED.contains(&name) || name.is_empty() {
            } else {
                o.data.push(opt.clone());
            }
        }
        Ok(o)
    }

    pub fn is_bind(&self) -> bool {
        self.flags & libc::MS_BIND != 0
    }

    pub fn is_recursive_bind(&self) -> bool {
        self.flags & (libc::MS_BIND | libc::MS_REC) == libc::MS_BIND | libc::MS_REC
    }

    /// The comma-joined data string, `None` when there is nothing to pass.
    pub fn data_string(&self) -> Option<String> {
        (!self.data.is_empty()).then(|| self.data.join(","))
    }

    pub fn has_recursive_attrs(&self) -> bool {
        self.attr_set != 0 || self.attr_clr != 0
    }

    /// The flags a bind mount needs in a second, remount step: a bind ignores
    /// every flag except MS_REC on creation.
    pub fn bind_remount_flags(&self) -> u64 {
        self.flags & !(libc::MS_BIND | libc::MS_REC | libc::MS_REMOUNT)
    }
}

/// The atime bits a newly set atime mode replaces.
fn set_mask(set: u64) -> u64 {
    if set & sm::MOUNT_ATTR_ATIME_MASK != 0 {
        sm::MOUNT_ATTR_ATIME_MASK
    } else {
        0
    }
}

/// Parses `linux.rootfsPropagation`: one of the propagation names.
pub fn parse_propagation(value: &str) -> Result<u64, RootfsError> {
    PROPAGATION
        .iter()
        .find(|(n, _)| *n == value)
        .map(|&(_, p)| p)
        .ok_or_else(|| RootfsError::InvalidConfig(format!("rootfsPropagation {value:?}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(v: &[&str]) -> MountOptions {
        MountOptions::parse(&v.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap()
    }

    #[test]
    fn flags_and_data_are_split() {
        let o = parse(&["nosuid", "strictatime", "mode=755", "size=65536k"]);
        assert_eq!(o.flags, libc::MS_NOSUID | libc::MS_STRICTATIME);
        assert_eq!(o.data_string().as_deref(), Some("mode=755,size=65536k"));
        assert!(!o.is_bind());
        assert!(o.propagation.is_empty());
    }

    #[test]
    fn later_options_override_earlier() {
        let o = parse(&["ro", "nodev", "rw", "dev", "noexec"]);
        assert_eq!(o.flags, libc::MS_NOEXEC);
        let o = parse(&["rw", "ro"]);
        assert_eq!(o.flags, libc::MS_RDONLY);
    }

    #[test]
    fn bind_options() {
        let o = parse(&["rbind", "ro", "nosuid"]);
        assert!(o.is_bind() && o.is_recursive_bind());
        assert_eq!(o.bind_remount_flags(), libc::MS_RDONLY | libc::MS_NOSUID);
        let o = parse(&["bind"]);
        assert!(o.is_bind() && !o.is_recursive_bind());
        assert_eq!(o.bind_remount_flags(), 0);
        assert_eq!(o.data_string(), None);
    }

    #[test]
    fn propagation_is_kept_in_order() {
        let o = parse(&["bind", "rprivate", "slave", "runbindable"]);
        assert_eq!(
            o.propagation,
            vec![
                libc::MS_PRIVATE | libc::MS_REC,
                libc::MS_SLAVE,
                libc::MS_UNBINDABLE | libc::MS_REC
            ]
        );
        assert_eq!(o.flags, libc::MS_BIND);
        assert_eq!(
            parse_propagation("rshared").unwrap(),
            libc::MS_SHARED | libc::MS_REC
        );
        assert!(parse_propagation("sideways").is_err());
    }

    #[test]
    fn recursive_attributes() {
        let o = parse(&["rbind", "rro", "rnosuid", "rnoatime"]);
        assert_eq!(
            o.attr_set,
            sm::MOUNT_ATTR_RDONLY | sm::MOUNT_ATTR_NOSUID | sm::MOUNT_ATTR_NOATIME
        );
        assert_eq!(o.attr_clr, sm::MOUNT_ATTR_ATIME_MASK);
        assert!(o.has_recursive_attrs());
        // rrw after rro: cleared, not set.
        let o = parse(&["rro", "rrw"]);
        assert_eq!(o.attr_set, 0);
        assert_eq!(o.attr_clr, sm::MOUNT_ATTR_RDONLY);
        // A later atime mode replaces the earlier one.
        let o = parse(&["rnoatime", "rstrictatime"]);
        assert_eq!(o.attr_set, sm::MOUNT_ATTR_STRICTATIME);
        assert_eq!(o.attr_clr, sm::MOUNT_ATTR_ATIME_MASK);
        // Recursive options never reach the data string or the flags.
        assert_eq!(o.flags, 0);
        assert!(o.data.is_empty());
    }

    #[test]
    fn idmap_is_refused_and_tmpcopyup_ignored() {
        let opts = vec!["idmap".to_string()];
        assert!(matches!(
            MountOptions::parse(&opts),
            Err(RootfsError::Unsupported(_))
        ));
        let o = parse(&["tmpcopyup", "mode=1777"]);
        assert_eq!(o.data, vec!["mode=1777".to_string()]);
    }
}
