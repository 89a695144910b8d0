//! Tar archives written header by header, without the path checks of
//! `tar::Builder::append_data`, so tests can build layers with `..` names,
//! absolute paths, links that escape the root, devices and PAX records.
//! The fixture layers are built with the same writer.

use std::io::Write;

/// Fixed mtime for every entry (2024-01-01T00:00:00Z) so layers are reproducible.
pub const MTIME: u64 = 1_704_067_200;

#[derive(Clone, Debug)]
pub enum RawKind {
    File(Vec<u8>),
    Dir,
    Symlink(Vec<u8>),
    Hardlink(Vec<u8>),
    CharDevice(u32, u32),
    BlockDevice(u32, u32),
    Fifo,
}

/// One tar entry; `name` and link targets are written byte for byte.
#[derive(Clone, Debug)]
pub struct RawEntry {
    pub name: Vec<u8>,
    pub kind: RawKind,
    pub mode: u32,
    pub uid: u64,
    pub gid: u64,
    /// Extra PAX records written before the entry (e.g. `SCHILY.xattr.user.x`).
    pub pax: Vec<(String, Vec<u8>)>,
}

impl RawEntry {
    fn new(name: impl AsRef<[u8]>, kind: RawKind, mode: u32) -> RawEntry {
        RawEntry {
            name: name.as_ref().to_vec(),
            kind,
            mode,
            uid: 0,
            gid: 0,
            pax: Vec::new(),
        }
    }
    /// A regular file, mode 0644.
    pub fn file(name: impl AsRef<[u8]>, content: impl AsRef<[u8]>) -> RawEntry {
        RawEntry::new(name, RawKind::File(content.as_ref().to_vec()), 0o644)
    }
    /// A directory, mode 0755. Tar convention is a trailing `/`, added by callers if wanted.
    pub fn dir(name: impl AsRef<[u8]>) -> RawEntry {
        RawEntry::new(name, RawKind::Dir, 0o755)
    }
    pub fn symlink(name: impl AsRef<[u8]>, target: impl AsRef<[u8]>) -> RawEntry {
        RawEntry::new(name, RawKind::Symlink(target.as_ref().to_vec()), 0o777)
    }
    /// A hard link to `target`, a path inside the archive.
    pub fn hardlink(name: impl AsRef<[u8]>, target: impl AsRef<[u8]>) -> RawEntry {
        RawEntry::new(name, RawKind::Hardlink(target.as_ref().to_vec()), 0o644)
    }
    pub fn char_device(name: impl AsRef<[u8]>, major: u32, minor: u32) -> RawEntry {
        RawEntry::new(name, RawKind::CharDevice(major, minor), 0o666)
    }
    pub fn block_device(name: impl AsRef<[u8]>, major: u32, minor: u32) -> RawEntry {
        RawEntry::new(name, RawKind::BlockDevice(major, minor), 0o660)
    }
    pub fn fifo(name: impl AsRef<[u8]>) -> RawEntry {
        RawEntry::new(name, RawKind::Fifo, 0o644)
    }
    /// Permission bits including setuid/setgid/sticky (e.g. 0o4755).
    pub fn mode(mut self, mode: u32) -> RawEntry {
        self.mode = mode;
        self
    }
    pub fn owner(mut self, uid: u64, gid: u64) -> RawEntry {
        self.uid = uid;
        self.gid = gid;
        self
    }
    pub fn pax(mut self, key: &str, value: impl AsRef<[u8]>) -> RawEntry {
        self.pax.push((key.to_string(), value.as_ref().to_vec()));
        self
    }
    /// An extended attribute, carried the way GNU tar and Docker write it.
    pub fn xattr(self, name: &str, value: impl AsRef<[u8]>) -> RawEntry {
        self.pax(&format!("SCHILY.xattr.{name}"), value)
    }
}

/// Serialize entries into an uncompressed tar (with end-of-archive blocks).
pub fn tar_with_raw_entries(entries: &[RawEntry]) -> Vec<u8> {
    let mut builder = tar::Builder::new(Vec::new());
    for e in entries {
        let mut pax: Vec<(String, Vec<u8>)> = e.pax.clone();
        // Names that do not fit the 100-byte field go in PAX records; the
        // header keeps a truncated copy as readers without PAX would.
        if e.name.len() > 100 {
            pax.push(("path".into(), e.name.clone()));
        }
        let link = match &e.kind {
            RawKind::Symlink(t) | RawKind::Hardlink(t) => Some(t.clone()),
            _ => None,
        };
        if let Some(t) = link.as_ref().filter(|t| t.len() > 100) {
            pax.push(("linkpath".into(), t.clone()));
        }
        if !pax.is_empty() {
            builder
                .append_pax_extensions(pax.iter().map(|(k, v)| (k.as_str(), v.as_slice())))
                .expect("write pax header");
        }

        let mut h = tar::Header::new_ustar();
        {
            let raw = h.as_old_mut();
            let n = e.name.len().min(raw.name.len());
            raw.name[..n].copy_from_slice(&e.name[..n]);
            if let Some(t) = &link {
                let n = t.len().min(raw.linkname.len());
                raw.linkname[..n].copy_from_slice(&t[..n]);
            }
        }
        let (entry_type, data): (tar::EntryType, &[u8]) = match &e.kind {
            RawKind::File(c) => (tar::EntryType::Regular, c),
            RawKind::Dir => (tar::EntryType::Directory, &[]),
            RawKind::Symlink(_) => (tar::EntryType::Symlink, &[]),
            RawKind::Hardlink(_) => (tar::EntryType::Link, &[]),
            RawKind::CharDevice(..) => (tar::EntryType::Char, &[]),
            RawKind::BlockDevice(..) => (tar::EntryType::Block, &[]),
            RawKind::Fifo => (tar::EntryType::Fifo, &[]),
        };
        h.set_entry_type(entry_type);
        h.set_size(data.len() as u64);
        h.set_mode(e.mode);
        h.set_uid(e.uid);
        h.set_gid(e.gid);
        h.set_mtime(MTIME);
        if let RawKind::CharDevice(maj, min) | RawKind::BlockDevice(maj, min) = e.kind {
            h.set_device_major(maj).expect("device major");
            h.set_device_minor(min).expect("device minor");
        }
        h.set_cksum();
        builder.append(&h, data).expect("append tar entry");
    }
    builder.into_inner().expect("finish tar")
}

/// Gzip with fixed header fields (mtime 0), so output is reproducible.
pub fn gzip(data: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(data).expect("gzip");
    enc.finish().expect("gzip")
}

pub fn zstd_compress(data: &[u8]) -> Vec<u8> {
    zstd::stream::encode_all(data, 3).expect("zstd")
}
