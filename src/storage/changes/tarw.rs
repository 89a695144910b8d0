//! Writing tar archives of directory trees: ustar headers with PAX records
//! where ustar falls short (long names, xattrs), a second name of a
//! hardlinked inode as a link to the first, children in sorted order,
//! sockets left out. Symlinks are archived, never followed.
use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::os::fd::{AsFd, BorrowedFd};

use rustix::fs::FileType;
use tar::{EntryType, Header};

use super::ChangesError;
use crate::storage::rootfs::is_overlay_xattr;
use crate::sys::fs as sysfs;

/// The output, remembering whether an error came from it (the archive
/// cannot be written) rather than from reading the tree.
struct Out<'w> {
    w: &'w mut dyn Write,
    failed: bool,
}

impl Write for Out<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let r = self.w.write(buf);
        self.failed |= r.is_err();
        r
    }
    fn flush(&mut self) -> io::Result<()> {
        let r = self.w.flush();
        self.failed |= r.is_err();
        r
    }
}

pub(super) struct TarWriter<'w> {
    b: tar::Builder<Out<'w>>,
    /// (dev, ino) of multiply linked files -> the archive name written first.
    links: HashMap<(u64, u64), Vec<u8>>,
}

/// Whether an xattr belongs in an archive: not overlay's bookkeeping, and
/// not the host's SELinux label.
fn archived_xattr(key: &[u8]) -> bool {
    !is_overlay_xattr(key) && key != b"security.selinux"
}

/// `prefix/name` (just `name` at the top).
pub(super) fn join(prefix: &[u8], name: &[u8]) -> Vec<u8> {
    let mut p = prefix.to_vec();
    if !p.is_empty() {
        p.push(b'/');
    }
    p.extend_from_slice(name);
    p
}

fn show(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

type Pax = Vec<(String, Vec<u8>)>;

/// Puts `name` in the header: the name field, the ustar prefix split, or a
/// PAX `path` record (with a truncated name for old readers).
fn set_name(h: &mut Header, name: &[u8], pax: &mut Pax) {
    let fits = |field: &mut [u8], v: &[u8]| {
        field.fill(0);
        field[..v.len()].copy_from_slice(v);
    };
    if name.len() <= 100 {
        fits(&mut h.as_old_mut().name, name);
        return;
    }
    let split = name
        .iter()
        .enumerate()
        .filter(|(i, b)| **b == b'/' && *i <= 155 && name.len() - i - 1 <= 100 && *i > 0)
        .map(|(i, _)| i)
        .next();
    if let (Some(i), Some(u)) = (split, h.as_ustar_mut()) {
        fits(&mut u.prefix, &name[..i]);
        fits(&mut u.name, &name[i + 1..]);
        return;
    }
    pax.push(("path".into(), name.to_vec()));
    fits(&mut h.as_old_mut().name, &name[..100]);
}

fn set_link(h: &mut Header, target: &[u8], pax: &mut Pax) {
    let field = &mut h.as_old_mut().linkname;
    field.fill(0);
    if target.len() <= 100 {
        field[..target.len()].copy_from_slice(target);
    } else {
        pax.push(("linkpath".into(), target.to_vec()));
        field.copy_from_slice(&target[..100]);
    }
}

#[allow(clippy::unnecessary_cast)] // Stat field types differ between arches
fn base_header(st: Option<&sysfs::Stat>, kind: EntryType) -> Header {
    let mut h = Header::new_ustar();
    h.set_entry_type(kind);
    h.set_size(0);
    match st {
        Some(st) => {
            h.set_mode(st.st_mode as u32 & 0o7777);
            h.set_uid(st.st_uid as u64);
            h.set_gid(st.st_gid as u64);
            // Whole seconds, as Docker writes them: the same tree gives the
            // same bytes.
            h.set_mtime((st.st_mtime as i64).max(0) as u64);
        }
        None => {
            h.set_mode(0);
            h.set_uid(0);
            h.set_gid(0);
            h.set_mtime(0);
        }
    }
    h
}

fn xattr_records(xattrs: Vec<(Vec<u8>, Vec<u8>)>, pax: &mut Pax) {
    for (k, v) in xattrs {
        if archived_xattr(&k)
            && let Ok(k) = String::from_utf8(k)
        {
            pax.push((format!("SCHILY.xattr.{k}"), v));
        }
    }
}

impl<'w> TarWriter<'w> {
    pub(super) fn new(out: &'w mut dyn Write) -> TarWriter<'w> {
        TarWriter {
            b: tar::Builder::new(Out {
                w: out,
                failed: false,
            }),
            links: HashMap::new(),
        }
    }

    fn err(&self, arch: &[u8], e: io::Error) -> ChangesError {
        if self.b.get_ref().failed {
            ChangesError::Write(e)
        } else {
            ChangesError::Read {
                path: show(arch),
                source: e,
            }
        }
    }

    /// Writes the end-of-archive blocks and flushes.
    pub(super) fn finish(mut self) -> Result<(), ChangesError> {
        self.b.finish().map_err(ChangesError::Write)?;
        self.b.get_mut().flush().map_err(ChangesError::Write)
    }

    fn emit(
        &mut self,
        mut h: Header,
        arch: &[u8],
        mut pax: Pax,
        data: &mut dyn Read,
    ) -> Result<(), ChangesError> {
        set_name(&mut h, arch, &mut pax);
        if !pax.is_empty() {
            self.b
                .append_pax_extensions(pax.iter().map(|(k, v)| (k.as_str(), v.as_slice())))
                .map_err(|e| self.err(arch, e))?;
        }
        h.set_cksum();
        self.b.append(&h, data).map_err(|e| self.err(arch, e))
    }

    /// `name` in `dir` as `arch`, and for a directory everything below it.
    pub(super) fn tree(
        &mut self,
        dir: BorrowedFd<'_>,
        name: &[u8],
        arch: &[u8],
    ) -> Result<(), ChangesError> {
        let read = |e| ChangesError::Read {
            path: show(arch),
            source: e,
        };
        let Some(st) = sysfs::lstat_at(dir, name).map_err(read)? else {
            return Ok(()); // gone meanwhile (a running container)
        };
        if sysfs::is_dir(&st) {
            let fd = sysfs::open_path_at(dir, name).map_err(read)?;
            self.dir_tree(fd.as_fd(), arch)
        } else {
            self.leaf(dir, name, &st, arch)
        }
    }

    /// The directory `fd` as `arch` and everything below it; an empty
    /// `arch` writes only the contents, at the top of the archive.
    pub(super) fn dir_tree(&mut self, fd: BorrowedFd<'_>, arch: &[u8]) -> Result<(), ChangesError> {
        if !arch.is_empty() {
            self.dir_entry(fd, arch, Vec::new())?;
        }
        let names = sysfs::list_dir(fd).map_err(|e| ChangesError::Read {
            path: show(arch),
            source: e,
        })?;
        for n in names {
            self.tree(fd, &n, &join(arch, &n))?;
        }
        Ok(())
    }

    /// The entry of the directory `fd` alone.
    pub(super) fn dir_entry(
        &mut self,
        fd: BorrowedFd<'_>,
        arch: &[u8],
        mut pax: Pax,
    ) -> Result<(), ChangesError> {
        let read = |e| ChangesError::Read {
            path: show(arch),
            source: e,
        };
        let st = sysfs::stat_fd(fd).map_err(read)?;
        xattr_records(sysfs::list_xattrs_fd(fd).map_err(read)?, &mut pax);
        let h = base_header(Some(&st), EntryType::Directory);
        let mut name = arch.to_vec();
        if !name.ends_with(b"/") {
            name.push(b'/');
        }
        self.emit(h, &name, pax, &mut io::empty())
    }

    /// A non-directory `name` in `dir` (lstat `st`) as `arch`.
    #[allow(clippy::unnecessary_cast)]
    pub(super) fn leaf(
        &mut self,
        dir: BorrowedFd<'_>,
        name: &[u8],
        st: &sysfs::Stat,
        arch: &[u8],
    ) -> Result<(), ChangesError> {
        let read = |e| ChangesError::Read {
            path: show(arch),
            source: e,
        };
        let ft = sysfs::file_type_of(st);
        let kind = match ft {
            FileType::RegularFile => EntryType::Regular,
            FileType::Symlink => EntryType::Symlink,
            FileType::CharacterDevice => EntryType::Char,
            FileType::BlockDevice => EntryType::Block,
            FileType::Fifo => EntryType::Fifo,
            _ => return Ok(()), // sockets
        };
        let mut pax = Pax::new();
        if st.st_nlink > 1 {
            let key = (st.st_dev as u64, st.st_ino as u64);
            if let Some(first) = self.links.get(&key).cloned() {
                let mut h = base_header(Some(st), EntryType::Link);
                set_link(&mut h, &first, &mut pax);
                return self.emit(h, arch, pax, &mut io::empty());
            }
            self.links.insert(key, arch.to_vec());
        }
        xattr_records(sysfs::list_xattrs_at(dir, name).map_err(read)?, &mut pax);
        let mut h = base_header(Some(st), kind);
        match ft {
            FileType::RegularFile => {
                let size = st.st_size as u64;
                h.set_size(size);
                let f = sysfs::open_read_at(dir, name).map_err(read)?;
                // Exactly `size` bytes even if the file changes meanwhile.
                let mut data = f.take(size).chain(io::repeat(0)).take(size);
                return self.emit(h, arch, pax, &mut data);
            }
            FileType::Symlink => {
                let target = sysfs::read_link_at(dir, name).map_err(read)?;
                set_link(&mut h, &target, &mut pax);
            }
            FileType::CharacterDevice | FileType::BlockDevice => {
                let rdev = st.st_rdev as u64;
                h.set_device_major(rustix::fs::major(rdev as _))
                    .and_then(|()| h.set_device_minor(rustix::fs::minor(rdev as _)))
                    .map_err(read)?;
            }
            _ => {}
        }
        self.emit(h, arch, pax, &mut io::empty())
    }

    /// A whiteout for `victim` (its archive path): `dir/.wh.NAME`, carrying
    /// the owner and times of the whiteout found on disk, if any.
    pub(super) fn whiteout(
        &mut self,
        victim: &[u8],
        st: Option<&sysfs::Stat>,
    ) -> Result<(), ChangesError> {
        let (parent, name) = match victim.iter().rposition(|b| *b == b'/') {
            Some(i) => (&victim[..i], &victim[i + 1..]),
            None => (&b""[..], victim),
        };
        let mut marker = b".wh.".to_vec();
        marker.extend_from_slice(name);
        let h = base_header(st, EntryType::Regular);
        self.emit(h, &join(parent, &marker), Pax::new(), &mut io::empty())
    }

    /// The opaque marker `dir/.wh..wh..opq` of the directory `dir` (stat `st`).
    pub(super) fn opaque(&mut self, dir: &[u8], st: &sysfs::Stat) -> Result<(), ChangesError> {
        let h = base_header(Some(st), EntryType::Regular);
        self.emit(h, &join(dir, b".wh..wh..opq"), Pax::new(), &mut io::empty())
    }
}
