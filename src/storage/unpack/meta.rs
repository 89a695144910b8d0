//! Entry metadata: header fields merged with PAX records (ids, times, xattrs).
use std::io::{self, Read};

use super::UnpackError;

/// Metadata of one entry, merged from the header and its PAX records.
pub(super) struct Meta {
    pub(super) mode: u32,
    pub(super) uid: u64,
    pub(super) gid: u64,
    pub(super) mtime: (i64, u32),
    pub(super) xattrs: Vec<(Vec<u8>, Vec<u8>)>,
}

impl Meta {
    pub(super) fn read<R: Read>(
        entry: &mut tar::Entry<'_, R>,
        name: &str,
    ) -> Result<Meta, UnpackError> {
        let bad = |what: &str, e: io::Error| UnpackError::invalid(name, format!("bad {what}: {e}"));
        let h = entry.header();
        let old = h.as_old();
        let mut m = Meta {
            mode: numeric(h.mode().map(u64::from), &old.mode).map_err(|e| bad("mode", e))? as u32
                & 0o7777,
            uid: numeric(h.uid(), &old.uid).map_err(|e| bad("uid", e))?,
            gid: numeric(h.gid(), &old.gid).map_err(|e| bad("gid", e))?,
            mtime: (
                numeric(h.mtime(), &old.mtime).map_err(|e| bad("mtime", e))? as i64,
                0,
            ),
            xattrs: Vec::new(),
        };
        if let Some(exts) = entry.pax_extensions().map_err(UnpackError::Tar)? {
            for ext in exts {
                let ext = ext.map_err(UnpackError::Tar)?;
                let key = ext.key_bytes();
                let val = ext.value_bytes();
                let num = || std::str::from_utf8(val).ok()?.trim().parse::<u64>().ok();
                match key {
                    b"uid" => m.uid = num().ok_or_else(|| bad("uid", io::Error::other("PAX")))?,
                    b"gid" => m.gid = num().ok_or_else(|| bad("gid", io::Error::other("PAX")))?,
                    b"mtime" => {
                        if let Some(t) = parse_pax_time(val) {
                            m.mtime = t;
                        }
                    }
                    _ => {
                        if let Some(x) = key.strip_prefix(b"SCHILY.xattr.") {
                            m.xattrs.push((x.to_vec(), val.to_vec()));
                        }
                    }
                }
            }
        }
        Ok(m)
    }
}

/// A numeric header field; an empty one (all NULs or spaces, written by some
/// tools) reads as 0, as Go's archive/tar does.
fn numeric(parsed: io::Result<u64>, raw: &[u8]) -> io::Result<u64> {
    match parsed {
        Err(_) if raw.iter().all(|b| *b == 0 || *b == b' ') => Ok(0),
        r => r,
    }
}

/// Parses a PAX time such as `1700000000.123456789` or `-5.5`.
pub(super) fn parse_pax_time(v: &[u8]) -> Option<(i64, u32)> {
    let s = std::str::from_utf8(v).ok()?.trim();
    let (secs, frac) = s.split_once('.').unwrap_or((s, ""));
    let secs: i64 = secs.parse().ok()?;
    let digits: String = frac.chars().take(9).collect();
    if !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let nanos = if digits.is_empty() {
        0
    } else {
        format!("{digits:0<9}").parse().ok()?
    };
    if secs < 0 && nanos > 0 {
        // -5.5 means 5.5 s before the epoch: (-6 s) + 0.5 s.
        return Some((secs - 1, 1_000_000_000 - nanos));
    }
    Some((secs, nanos))
}
