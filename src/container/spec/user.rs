//! `--user` resolution against the image's /etc/passwd and /etc/group, the
//! way runc's `GetExecUser` does it for Docker.
use std::io::Read;
use std::os::fd::AsFd;
use std::path::Path;

use rustix::fs::OFlags;

use super::SpecError;

/// Larger files are not account databases; reading stops there.
const MAX_ETC_FILE: u64 = 8 << 20;

#[derive(Debug, Clone, PartialEq)]
pub(super) struct Passwd {
    pub name: String,
    pub uid: u32,
    pub gid: u32,
    pub home: String,
}

#[derive(Debug, Clone, PartialEq)]
pub(super) struct Group {
    pub name: String,
    pub gid: u32,
    pub members: Vec<String>,
}

/// The process identity of the container.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct ExecUser {
    pub uid: u32,
    pub gid: u32,
    pub additional_gids: Vec<u32>,
    pub home: String,
}

/// `name:x:uid:gid:gecos:home:shell` lines; malformed lines are skipped.
pub(super) fn parse_passwd(text: &str) -> Vec<Passwd> {
    text.lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .filter_map(|l| {
            let f: Vec<&str> = l.split(':').collect();
            Some(Passwd {
                name: f.first()?.to_string(),
                uid: f.get(2)?.parse().ok()?,
                gid: f.get(3)?.parse().ok()?,
                home: f.get(5).unwrap_or(&"").to_string(),
            })
        })
        .collect()
}

/// `name:x:gid:member,member` lines; malformed lines are skipped.
pub(super) fn parse_group(text: &str) -> Vec<Group> {
    text.lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .filter_map(|l| {
            let f: Vec<&str> = l.split(':').collect();
            Some(Group {
                name: f.first()?.to_string(),
                gid: f.get(2)?.parse().ok()?,
                members: f
                    .get(3)
                    .map(|m| {
                        m.split(',')
                            .filter(|s| !s.is_empty())
                            .map(str::to_string)
                            .collect()
                    })
                    .unwrap_or_default(),
            })
        })
        .collect()
}

/// Reads `etc/<name>` of the rootfs, resolving every symlink inside the
/// rootfs (an image cannot point it at a host file). A missing file, or
/// anything but a regular file, reads as empty.
pub(super) fn read_etc(rootfs: &Path, name: &str) -> Result<String, SpecError> {
    use crate::sys::fs as sfs;
    let what = || format!("reading /etc/{name} of the image");
    let root = sfs::open_dir(rootfs).map_err(SpecError::io(format!(
        "opening the root filesystem {}",
        rootfs.display()
    )))?;
    // O_NONBLOCK: opening a FIFO planted there must not hang.
    let path = format!("etc/{name}");
    let fd = match sfs::open_in_root(
        root.as_fd(),
        path.as_bytes(),
        OFlags::RDONLY | OFlags::NONBLOCK | OFlags::NOCTTY,
        0,
    ) {
        Ok(fd) => fd,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(String::new()),
        Err(e) => return Err(SpecError::io(what())(e)),
    };
    let file = std::fs::File::from(fd);
    if !file.metadata().map_err(SpecError::io(what()))?.is_file() {
        return Ok(String::new());
    }
    let mut buf = Vec::new();
    file.take(MAX_ETC_FILE)
        .read_to_end(&mut buf)
        .map_err(SpecError::io(what()))?;
    Ok(String::from_utf8_lossy(&buf).into_owned())
}

fn lookup_group(spec: &str, groups: &[Group]) -> Result<u32, SpecError> {
    if let Some(g) = groups.iter().find(|g| g.name == spec) {
        return Ok(g.gid);
    }
    spec.parse()
        .map_err(|_| SpecError::UnknownGroup(spec.to_string()))
}

/// Resolves `spec` (`name`, `uid`, `name:group`, `uid:gid`; empty = root),
/// then adds `group_add`. Numeric ids need no entry; names must exist.
pub(super) fn resolve(
    spec: &str,
    group_add: &[String],
    passwd: &[Passwd],
    groups: &[Group],
) -> Result<ExecUser, SpecError> {
    let (user, group) = match spec.split_once(':') {
        Some((u, g)) => (u, Some(g)),
        None => (spec, None),
    };
    let user = if user.is_empty() { "0" } else { user };
    let entry = passwd
        .iter()
        .find(|p| p.name == user)
        .or_else(|| {
            let uid: u32 = user.parse().ok()?;
            passwd.iter().find(|p| p.uid == uid)
        })
        .cloned();
    let uid = match &entry {
        Some(e) => e.uid,
        None => user
            .parse()
            .map_err(|_| SpecError::UnknownUser(user.to_string()))?,
    };
    let mut gid = entry.as_ref().map_or(0, |e| e.gid);
    let mut additional = Vec::new();
    match group.filter(|g| !g.is_empty()) {
        Some(g) => gid = lookup_group(g, groups)?,
        None => {
            // Supplementary groups come from membership only when no group
            // was named (runc).
            if let Some(e) = &entry {
                additional.extend(
                    groups
                        .iter()
                        .filter(|g| g.members.contains(&e.name))
                        .map(|g| g.gid),
                );
            }
        }
    }
    for g in group_add {
        additional.push(lookup_group(g, groups)?);
    }
    let mut seen = Vec::new();
    additional.retain(|g| {
        let new = !seen.contains(g);
        seen.push(*g);
        new
    });
    let home = match &entry {
        Some(e) if !e.home.is_empty() => e.home.clone(),
        _ if uid == 0 => "/root".to_string(),
        _ => "/".to_string(),
    };
    Ok(ExecUser {
        uid,
        gid,
        additional_gids: additional,
        home,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const PASSWD: &str = "root:x:0:0:root:/root:/bin/sh\n\
        # comment\n\
        daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n\
        broken line\n\
        app:x:1000:1000:App:/home/app:/bin/sh\n\
        nohome:x:1001:1001::\n";
    const GROUP: &str =
        "root:x:0:\nwheel:x:10:app,other\nappgrp:x:1000:\naudio:x:29:app\nstaff:x:50:\n";

    fn r(spec: &str, add: &[&str]) -> Result<ExecUser, SpecError> {
        let add: Vec<String> = add.iter().map(|s| s.to_string()).collect();
        resolve(spec, &add, &parse_passwd(PASSWD), &parse_group(GROUP))
    }

    #[test]
    fn parses_files() {
        let p = parse_passwd(PASSWD);
        assert_eq!(p.len(), 4);
        assert_eq!(p[2].home, "/home/app");
        let g = parse_group(GROUP);
        assert_eq!(g[1].members, vec!["app", "other"]);
        assert!(g[0].members.is_empty());
    }

    #[test]
    fn names_and_ids() {
        let u = r("", &[]).unwrap();
        assert_eq!((u.uid, u.gid, u.home.as_str()), (0, 0, "/root"));
        assert!(u.additional_gids.is_empty());

        let u = r("app", &[]).unwrap();
        assert_eq!((u.uid, u.gid, u.home.as_str()), (1000, 1000, "/home/app"));
        assert_eq!(u.additional_gids, vec![10, 29]);

        // A uid with an entry gets its group, home and memberships.
        let u = r("1000", &[]).unwrap();
        assert_eq!((u.uid, u.gid), (1000, 1000));
        assert_eq!(u.additional_gids, vec![10, 29]);

        // Numeric ids need no entry.
        let u = r("4242:4343", &[]).unwrap();
        assert_eq!((u.uid, u.gid, u.home.as_str()), (4242, 4343, "/"));
        let u = r("4242", &[]).unwrap();
        assert_eq!(u.gid, 0);

        // An explicit group: no membership groups, but --group-add applies.
        let u = r("app:staff", &["audio", "777", "audio"]).unwrap();
        assert_eq!((u.uid, u.gid), (1000, 50));
        assert_eq!(u.additional_gids, vec![29, 777]);

        assert_eq!(r("nohome", &[]).unwrap().home, "/");
        assert_eq!(r("daemon:", &[]).unwrap().gid, 1);
    }

    #[test]
    fn unknown_names_are_errors() {
        assert_eq!(
            r("nobody", &[]).unwrap_err().to_string(),
            "unable to find user nobody: no matching entries in passwd file"
        );
        assert_eq!(
            r("app:nogroup", &[]).unwrap_err().to_string(),
            "unable to find group nogroup: no matching entries in group file"
        );
        assert!(matches!(
            r("0", &["video"]),
            Err(SpecError::UnknownGroup(g)) if g == "video"
        ));
    }

    #[test]
    fn read_etc_stays_in_the_rootfs() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("rootfs");
        std::fs::create_dir_all(root.join("etc")).unwrap();
        let outside = dir.path().join("secret");
        std::fs::write(&outside, "evil:x:0:0::/:/bin/sh\n").unwrap();
        // An absolute symlink resolves inside the rootfs, where it is missing.
        std::os::unix::fs::symlink(&outside, root.join("etc/passwd")).unwrap();
        assert_eq!(read_etc(&root, "passwd").unwrap(), "");
        // A relative escape is clamped to the root as well.
        std::fs::write(root.join("real"), "ok:x:5:5::/:/bin/sh\n").unwrap();
        std::os::unix::fs::symlink("../../../real", root.join("etc/group")).unwrap();
        assert_eq!(read_etc(&root, "group").unwrap(), "ok:x:5:5::/:/bin/sh\n");
        // Not a regular file, or missing: empty.
        std::fs::remove_file(root.join("etc/group")).unwrap();
        assert_eq!(read_etc(&root, "group").unwrap(), "");
        nix::unistd::mkfifo(
            &root.join("etc/group"),
            nix::sys::stat::Mode::from_bits_truncate(0o600),
        )
        .unwrap();
        assert_eq!(read_etc(&root, "group").unwrap(), "");
    }
}
