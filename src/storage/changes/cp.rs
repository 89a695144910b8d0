//! `cp` between a container's root and the host (or a tar stream), with
//! Docker's naming rules. Container paths are resolved with
//! `RESOLVE_IN_ROOT`, so a symlink in the container (absolute or `../..`)
//! never leads outside its root; archives from the container are extracted
//! on the host the same way beneath the destination.
use std::fs;
use std::io::{self, BufReader, Read, Write};
use std::os::fd::{AsFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use rustix::fs::OFlags;

use super::ChangesError;
use super::extract::{self, Owners, Target};
use super::tarw::TarWriter;
use crate::sys::fs as sysfs;

/// `docker cp` flags that change what is copied.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CpOptions {
    /// `-a`: keep the source's owners (default: root in the container,
    /// the calling user on the host).
    pub archive: bool,
    /// `-L`: copy what a symlink SRC points to, not the link.
    pub follow_link: bool,
}

/// A path as given on the command line: components (for a container path,
/// `..` resolved lexically, as Docker does) and its trailing form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct CpPath {
    pub(super) comps: Vec<Vec<u8>>,
    /// Ends in `/.`: the directory's contents, not the directory.
    pub(super) contents: bool,
    /// Ends in `/`: must be a directory.
    pub(super) slash: bool,
}

impl CpPath {
    pub(super) fn parse(raw: &[u8]) -> CpPath {
        let mut comps: Vec<Vec<u8>> = Vec::new();
        for c in raw.split(|b| *b == b'/') {
            match c {
                b"" | b"." => {}
                b".." => {
                    comps.pop();
                }
                c => comps.push(c.to_vec()),
            }
        }
        CpPath {
            comps,
            contents: raw == b"." || raw.ends_with(b"/."),
            slash: raw.ends_with(b"/"),
        }
    }

    fn shown(&self) -> String {
        super::diff::display_path(&self.comps)
    }

    fn rel(&self) -> Vec<u8> {
        self.comps.join(&b'/')
    }

    fn basename(&self) -> Option<&[u8]> {
        self.comps.last().map(Vec::as_slice)
    }
}

/// A resolved copy source.
enum Source {
    Dir(OwnedFd),
    Leaf {
        parent: OwnedFd,
        name: Vec<u8>,
        st: sysfs::Stat,
    },
}

impl Source {
    fn is_dir(&self) -> bool {
        matches!(self, Source::Dir(_))
    }

    /// Archives the source with its top entry named `top` (`.`: only the
    /// directory's contents, under `./`).
    fn write(&self, top: &[u8], out: &mut dyn Write) -> Result<(), ChangesError> {
        let mut w = TarWriter::new(out);
        match self {
            Source::Dir(fd) => w.dir_tree(fd.as_fd(), top)?,
            Source::Leaf { parent, name, st } => w.leaf(parent.as_fd(), name, st, top)?,
        }
        w.finish()
    }
}

fn not_found(p: &CpPath) -> impl Fn(io::Error) -> ChangesError + '_ {
    move |e| match e.raw_os_error() {
        Some(libc::ENOENT) => ChangesError::NotFound(p.shown()),
        Some(libc::ENOTDIR) if p.slash || p.contents => ChangesError::NotADirectory(p.shown()),
        Some(libc::ENOTDIR) => ChangesError::NotFound(p.shown()),
        _ => ChangesError::Read {
            path: p.shown(),
            source: e,
        },
    }
}

fn open_root(root: &Path) -> Result<OwnedFd, ChangesError> {
    sysfs::open_dir(root).map_err(|source| ChangesError::Read {
        path: root.display().to_string(),
        source,
    })
}

/// Resolves `p` inside the container root. The last component is not
/// followed if it is a symlink, unless `follow` (lexically re-resolved in
/// root, up to 40 links) or `p` ends in `/` or `/.`.
fn container_source(root: &OwnedFd, p: &CpPath, follow: bool) -> Result<Source, ChangesError> {
    let root = root.as_fd();
    if p.comps.is_empty() {
        return Ok(Source::Dir(
            sysfs::open_dir_in_root(root, b"").map_err(not_found(p))?,
        ));
    }
    if p.slash || p.contents {
        let fd = sysfs::open_in_root(root, &p.rel(), OFlags::PATH | OFlags::DIRECTORY, 0)
            .map_err(not_found(p))?;
        return Ok(Source::Dir(fd));
    }
    let mut comps = p.comps.clone();
    for _ in 0..40 {
        let Some((name, parents)) = comps.split_last() else {
            return Ok(Source::Dir(
                sysfs::open_dir_in_root(root, b"").map_err(not_found(p))?,
            ));
        };
        let parent = sysfs::open_dir_in_root(root, &parents.join(&b'/')).map_err(not_found(p))?;
        let st = sysfs::lstat_at(parent.as_fd(), name)
            .map_err(not_found(p))?
            .ok_or_else(|| ChangesError::NotFound(p.shown()))?;
        if sysfs::is_symlink(&st) && follow {
            let target = sysfs::read_link_at(parent.as_fd(), name).map_err(not_found(p))?;
            let mut joined = if target.starts_with(b"/") {
                Vec::new()
            } else {
                parents.join(&b'/')
            };
            joined.push(b'/');
            joined.extend_from_slice(&target);
            comps = CpPath::parse(&joined).comps;
            continue;
        }
        if sysfs::is_dir(&st) {
            return Ok(Source::Dir(
                sysfs::open_path_at(parent.as_fd(), name).map_err(not_found(p))?,
            ));
        }
        return Ok(Source::Leaf {
            parent,
            name: name.clone(),
            st,
        });
    }
    Err(ChangesError::Read {
        path: p.shown(),
        source: io::Error::from_raw_os_error(libc::ELOOP),
    })
}

/// Resolves a host path the ordinary way (the host is trusted); the last
/// component is followed only with `follow` or a trailing `/`.
fn host_source(path: &Path, p: &CpPath, follow: bool) -> Result<Source, ChangesError> {
    let read = |source: io::Error| {
        if source.raw_os_error() == Some(libc::ENOTDIR) && (p.slash || p.contents) {
            ChangesError::NotADirectory(path.display().to_string())
        } else {
            ChangesError::Read {
                path: path.display().to_string(),
                source,
            }
        }
    };
    let resolved = if follow || p.slash || p.contents {
        fs::canonicalize(path).map_err(read)?
    } else {
        path.to_path_buf()
    };
    let (parent, name) = match (resolved.parent(), resolved.file_name()) {
        (Some(parent), Some(name)) if !(p.slash || p.contents) => (parent, name),
        _ => {
            let fd = sysfs::open_dir(&resolved).map_err(read)?;
            return Ok(Source::Dir(fd));
        }
    };
    let parent = if parent.as_os_str().is_empty() {
        Path::new(".")
    } else {
        parent
    };
    let pfd = sysfs::open_dir(parent).map_err(read)?;
    let name = name.as_bytes().to_vec();
    let st = sysfs::lstat_at(pfd.as_fd(), &name)
        .map_err(read)?
        .ok_or_else(|| read(io::Error::from_raw_os_error(libc::ENOENT)))?;
    if sysfs::is_dir(&st) {
        return Ok(Source::Dir(
            sysfs::open_path_at(pfd.as_fd(), &name).map_err(read)?,
        ));
    }
    Ok(Source::Leaf {
        parent: pfd,
        name,
        st,
    })
}

/// What is at the destination.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Dest {
    Dir,
    File,
    /// Missing; whether its parent is an existing directory.
    Missing {
        parent_dir: bool,
    },
}

/// Where the copy goes: into the destination directory itself, or into its
/// parent under the destination's name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Plan {
    /// Extract into the destination directory, the top entry named so
    /// (`.` for the source's contents).
    Into(Vec<u8>),
    /// Extract into the destination's parent, the top entry renamed to the
    /// destination's name.
    Replace,
}

/// Docker's rules for `cp SRC DEST`.
pub(super) fn plan(
    src: &CpPath,
    src_is_dir: bool,
    dest: &CpPath,
    state: Dest,
) -> Result<Plan, ChangesError> {
    match state {
        Dest::Dir => {
            if src_is_dir && (src.contents || src.comps.is_empty()) {
                Ok(Plan::Into(b".".to_vec()))
            } else {
                Ok(Plan::Into(src.basename().unwrap_or(b".").to_vec()))
            }
        }
        Dest::File if src_is_dir => Err(ChangesError::DirToFile {
            src: src.shown(),
            dest: dest.shown(),
        }),
        Dest::File if dest.slash => Err(ChangesError::NotADirectory(dest.shown())),
        Dest::File => Ok(Plan::Replace),
        Dest::Missing { parent_dir: false } => {
            Err(ChangesError::NoSuchDirectory(parent_shown(dest)))
        }
        Dest::Missing { .. } if dest.slash && !src_is_dir => {
            Err(ChangesError::NoSuchDirectory(dest.shown()))
        }
        Dest::Missing { .. } => Ok(Plan::Replace),
    }
}

fn parent_shown(p: &CpPath) -> String {
    super::diff::display_path(&p.comps[..p.comps.len().saturating_sub(1)])
}

/// Streams `source` as a tar into `consume` through a pipe; the writer runs
/// on a scoped thread. A failure to read the source wins over the
/// consumer's complaint about the cut archive it caused.
fn pipe_through(
    produce: impl FnOnce(&mut dyn Write) -> Result<(), ChangesError> + Send,
    consume: impl FnOnce(&mut dyn Read) -> Result<(), ChangesError>,
) -> Result<(), ChangesError> {
    let (r, w) = io::pipe().map_err(ChangesError::Write)?;
    std::thread::scope(|s| {
        let writer = s.spawn(move || {
            let mut w = w;
            produce(&mut w)
        });
        let consumed = {
            let mut r = r;
            consume(&mut r)
        }; // the reader is closed here, so a blocked writer fails
        let produced = writer.join().unwrap_or_else(|_| {
            Err(ChangesError::Write(io::Error::other(
                "archive writer panicked",
            )))
        });
        match (produced, consumed) {
            (Err(e), _) if !matches!(e, ChangesError::Write(_)) => Err(e),
            (_, Err(e)) => Err(e),
            (Err(e), Ok(())) => Err(e),
            (Ok(()), Ok(())) => Ok(()),
        }
    })
}

pub(super) fn tar_from_root(
    root: &Path,
    src: &str,
    follow: bool,
    out: &mut dyn Write,
) -> Result<(), ChangesError> {
    let root_fd = open_root(root)?;
    let p = CpPath::parse(src.as_bytes());
    let source = container_source(&root_fd, &p, follow)?;
    let top: Vec<u8> = match (&source, p.basename()) {
        (Source::Dir(_), _) if p.contents => b".".to_vec(),
        (_, Some(b)) => b.to_vec(),
        (_, None) => b".".to_vec(),
    };
    source.write(&top, out)
}

pub(super) fn untar_into_root(
    root: &Path,
    dest_dir: &str,
    tar: &mut dyn Read,
) -> Result<(), ChangesError> {
    let root_fd = open_root(root)?;
    let dest = CpPath::parse(dest_dir.as_bytes());
    sysfs::open_dir_in_root(root_fd.as_fd(), &dest.rel()).map_err(|e| match e.raw_os_error() {
        Some(libc::ENOENT) | Some(libc::ENOTDIR) => ChangesError::NoSuchDirectory(dest.shown()),
        _ => ChangesError::Read {
            path: dest.shown(),
            source: e,
        },
    })?;
    let mut tar = crate::storage::compression::decompress(BufReader::new(tar))
        .map_err(ChangesError::Archive)?;
    let t = Target {
        root: root_fd.as_fd(),
        base: dest.comps,
        shown: String::new(),
    };
    extract::extract(&t, &mut tar, Owners::FromArchive)
}

pub(super) fn copy_into_root(
    host_src: &Path,
    root: &Path,
    dest: &str,
    opts: CpOptions,
) -> Result<(), ChangesError> {
    let src = CpPath::parse(host_src.as_os_str().as_bytes());
    let source = host_source(host_src, &src, opts.follow_link)?;
    let root_fd = open_root(root)?;
    let dest = CpPath::parse(dest.as_bytes());
    let state = match sysfs::open_in_root(root_fd.as_fd(), &dest.rel(), OFlags::PATH, 0) {
        Ok(fd) => {
            let st = sysfs::stat_fd(fd.as_fd()).map_err(not_found(&dest))?;
            if sysfs::is_dir(&st) {
                Dest::Dir
            } else {
                Dest::File
            }
        }
        Err(e) if e.raw_os_error() == Some(libc::ENOENT) => {
            let parent = dest.comps[..dest.comps.len().saturating_sub(1)].join(&b'/');
            Dest::Missing {
                parent_dir: sysfs::open_dir_in_root(root_fd.as_fd(), &parent).is_ok(),
            }
        }
        Err(e) if e.raw_os_error() == Some(libc::ENOTDIR) => Dest::Missing { parent_dir: false },
        Err(e) => return Err(not_found(&dest)(e)),
    };
    // The host source's name, for a copy into a directory.
    let src_named = CpPath {
        comps: host_src
            .file_name()
            .map(|n| vec![n.as_bytes().to_vec()])
            .unwrap_or_default(),
        ..src.clone()
    };
    let (base, top) = match plan(&src_named, source.is_dir(), &dest, state)? {
        Plan::Into(top) => (dest.comps.clone(), top),
        Plan::Replace => {
            let (last, parent) = dest
                .comps
                .split_last()
                .expect("a missing or file path has a name");
            (parent.to_vec(), last.clone())
        }
    };
    let owners = if opts.archive {
        Owners::FromArchive
    } else {
        Owners::Fixed(0, 0)
    };
    let t = Target {
        root: root_fd.as_fd(),
        base,
        shown: String::new(),
    };
    pipe_through(
        |w| source.write(&top, w),
        |r| extract::extract(&t, r, owners),
    )
}

pub(super) fn copy_out_of_root(
    root: &Path,
    src: &str,
    host_dest: &Path,
    opts: CpOptions,
) -> Result<(), ChangesError> {
    let root_fd = open_root(root)?;
    let src = CpPath::parse(src.as_bytes());
    let source = container_source(&root_fd, &src, opts.follow_link)?;
    let dest = CpPath::parse(host_dest.as_os_str().as_bytes());
    let parent: PathBuf = match host_dest.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let state = match fs::metadata(host_dest) {
        Ok(m) if m.is_dir() => Dest::Dir,
        Ok(_) => Dest::File,
        Err(e) if e.kind() == io::ErrorKind::NotFound => Dest::Missing {
            parent_dir: fs::metadata(&parent).is_ok_and(|m| m.is_dir()),
        },
        Err(e) => {
            return Err(ChangesError::Read {
                path: host_dest.display().to_string(),
                source: e,
            });
        }
    };
    let (base_dir, top) = match plan(&src, source.is_dir(), &dest, state) {
        Ok(Plan::Into(top)) => (host_dest.to_path_buf(), top),
        Ok(Plan::Replace) => {
            let name = host_dest
                .file_name()
                .ok_or_else(|| ChangesError::NoSuchDirectory(host_dest.display().to_string()))?;
            (parent.clone(), name.as_bytes().to_vec())
        }
        // Name host paths as given, not as container-style components.
        Err(ChangesError::NoSuchDirectory(_)) if state == (Dest::Missing { parent_dir: false }) => {
            return Err(ChangesError::NoSuchDirectory(parent.display().to_string()));
        }
        Err(ChangesError::NoSuchDirectory(_)) => {
            return Err(ChangesError::NoSuchDirectory(
                host_dest.display().to_string(),
            ));
        }
        Err(ChangesError::NotADirectory(_)) => {
            return Err(ChangesError::NotADirectory(host_dest.display().to_string()));
        }
        Err(ChangesError::DirToFile { src, .. }) => {
            return Err(ChangesError::DirToFile {
                src,
                dest: host_dest.display().to_string(),
            });
        }
        Err(e) => return Err(e),
    };
    let base_fd = sysfs::open_dir(&base_dir).map_err(|source| ChangesError::Read {
        path: base_dir.display().to_string(),
        source,
    })?;
    let owners = if opts.archive {
        Owners::FromArchive
    } else {
        Owners::Process
    };
    let t = Target {
        root: base_fd.as_fd(),
        base: Vec::new(),
        shown: base_dir
            .display()
            .to_string()
            .trim_end_matches('/')
            .to_string(),
    };
    pipe_through(
        |w| source.write(&top, w),
        |r| extract::extract(&t, r, owners),
    )
}
