//! /etc/subuid and /etc/subgid ranges, the id maps built from them, and the
//! kernel's `/proc/<pid>/uid_map` format.
use std::path::Path;

use super::{IdMap, RootlessError};

/// The kernel accepts at most 340 lines in a uid_map or gid_map.
const MAX_MAP_LINES: usize = 340;

/// All ranges `(start, count)` granted to `user` (by name) or `uid` (by
/// number) in a subuid/subgid file, in file order. Comments, blank and
/// malformed lines and empty ranges are skipped; a missing file means none.
pub fn subid_ranges(user: &str, uid: u32, file: &Path) -> Result<Vec<(u32, u32)>, RootlessError> {
    let text = match std::fs::read_to_string(file) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => {
            return Err(RootlessError::ReadSubid {
                path: file.to_path_buf(),
                source,
            });
        }
    };
    Ok(parse_subid(&text, user, uid))
}

pub(crate) fn parse_subid(text: &str, user: &str, uid: u32) -> Vec<(u32, u32)> {
    let mut out = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut fields = line.split(':');
        let (Some(owner), Some(start), Some(count), None) =
            (fields.next(), fields.next(), fields.next(), fields.next())
        else {
            continue;
        };
        let owner = owner.trim();
        let matches = (!user.is_empty() && owner == user) || owner.parse::<u32>() == Ok(uid);
        if !matches {
            continue;
        }
        let (Ok(start), Ok(count)) = (start.trim().parse::<u32>(), count.trim().parse::<u32>())
        else {
            continue;
        };
        // A range must be non-empty and fit below 2^32.
        if count == 0 || start.checked_add(count - 1).is_none() {
            continue;
        }
        out.push((start, count));
    }
    out
}

/// The mapping skiff asks for: the user's own id becomes 0, then the ranges
/// follow from container id 1 in file order (stable across runs, so on-disk
/// ownership stays valid). Host ids already mapped (the user's own id, or an
/// overlapping earlier range: the kernel rejects overlaps) are cut out, and
/// whatever would overflow the container id space or the kernel's line
/// limit is left out.
pub fn build_maps(host_id: u32, ranges: &[(u32, u32)]) -> Vec<IdMap> {
    let mut maps = vec![IdMap {
        container_id: 0,
        host_id,
        size: 1,
    }];
    // Host intervals [start, end) already used, kept sorted.
    let mut used: Vec<(u64, u64)> = vec![(u64::from(host_id), u64::from(host_id) + 1)];
    let mut next: u64 = 1;
    for &(start, count) in ranges {
        let (start, end) = (u64::from(start), u64::from(start) + u64::from(count));
        let mut pieces = Vec::new();
        let mut cursor = start;
        for &(us, ue) in &used {
            if ue <= cursor || us >= end {
                continue;
            }
            if us > cursor {
                pieces.push((cursor, us));
            }
            cursor = cursor.max(ue);
        }
        if cursor < end {
            pieces.push((cursor, end));
        }
        for (ps, pe) in pieces {
            // The last container id must stay below u32::MAX ("invalid").
            if maps.len() >= MAX_MAP_LINES || next + (pe - ps) > u64::from(u32::MAX) {
                return maps;
            }
            maps.push(IdMap {
                container_id: next as u32,
                host_id: ps as u32,
                size: (pe - ps) as u32,
            });
            next += pe - ps;
            let at = used.partition_point(|&(us, _)| us < ps);
            used.insert(at, (ps, pe));
        }
    }
    maps
}

/// Arguments for `newuidmap`/`newgidmap`: the pid, then triples.
pub fn map_args(pid: u32, maps: &[IdMap]) -> Vec<String> {
    let mut args = Vec::with_capacity(1 + 3 * maps.len());
    args.push(pid.to_string());
    for m in maps {
        args.push(m.container_id.to_string());
        args.push(m.host_id.to_string());
        args.push(m.size.to_string());
    }
    args
}

/// Parses `/proc/<pid>/uid_map` (or gid_map) text: "inside outside count"
/// per line, whitespace-aligned.
pub fn parse_proc_map(text: &str) -> Result<Vec<IdMap>, RootlessError> {
    let mut out = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let nums: Vec<u32> = line
            .split_whitespace()
            .map(|f| f.parse::<u32>())
            .collect::<Result<_, _>>()
            .map_err(|_| RootlessError::BadProcMap(line.to_string()))?;
        let [container_id, host_id, size] = nums[..] else {
            return Err(RootlessError::BadProcMap(line.to_string()));
        };
        out.push(IdMap {
            container_id,
            host_id,
            size,
        });
    }
    Ok(out)
}

/// Whether a map is the initial namespace's identity map ("0 0 4294967295"),
/// i.e. the process is not in any user namespace.
pub fn is_initial_map(maps: &[IdMap]) -> bool {
    matches!(
        maps,
        [IdMap {
            container_id: 0,
            host_id: 0,
            size: u32::MAX
        }]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "\
# subordinate ids
alice:100000:65536
bob:165536:65536

  alice : 300000 : 1000
1001:400000:10
carol:500000
dave:x:10
alice:600000:0
alice:4294967295:2
eve:1:2:3
";

    #[test]
    fn by_name_collects_all_ranges_in_order() {
        assert_eq!(
            parse_subid(FILE, "alice", 5000),
            vec![(100000, 65536), (300000, 1000)]
        );
    }

    #[test]
    fn by_uid_and_by_name_combine() {
        assert_eq!(
            parse_subid(FILE, "bob", 1001),
            vec![(165536, 65536), (400000, 10)]
        );
        assert_eq!(parse_subid(FILE, "nobody-here", 1001), vec![(400000, 10)]);
    }

    #[test]
    fn malformed_and_missing_give_nothing() {
        assert!(parse_subid(FILE, "carol", 7).is_empty());
        assert!(parse_subid(FILE, "dave", 7).is_empty());
        assert!(parse_subid(FILE, "eve", 7).is_empty());
        assert!(parse_subid("", "alice", 0).is_empty());
        // An empty user name must not match lines with an empty owner.
        assert!(parse_subid(":1:2\n", "", 9).is_empty());
    }

    #[test]
    fn missing_file_is_no_range_and_real_file_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("subuid");
        assert!(subid_ranges("alice", 1, &missing).unwrap().is_empty());
        std::fs::write(&missing, FILE).unwrap();
        assert_eq!(
            subid_ranges("bob", 9, &missing).unwrap(),
            vec![(165536, 65536)]
        );
        // A directory is an error, not "no ranges".
        assert!(subid_ranges("bob", 9, dir.path()).is_err());
    }

    #[test]
    fn maps_and_newuidmap_arguments() {
        let maps = build_maps(1000, &[(100000, 65536), (300000, 10)]);
        assert_eq!(
            maps,
            vec![
                IdMap {
                    container_id: 0,
                    host_id: 1000,
                    size: 1
                },
                IdMap {
                    container_id: 1,
                    host_id: 100000,
                    size: 65536
                },
                IdMap {
                    container_id: 65537,
                    host_id: 300000,
                    size: 10
                },
            ]
        );
        assert_eq!(
            map_args(4242, &maps),
            [
                "4242", "0", "1000", "1", "1", "100000", "65536", "65537", "300000", "10"
            ]
        );
        assert_eq!(map_args(7, &build_maps(5, &[])), ["7", "0", "5", "1"]);
    }

    #[test]
    fn overlapping_ranges_and_own_id_are_cut_out() {
        // 1000 lies inside the first range; the second overlaps the first.
        let maps = build_maps(1000, &[(900, 200), (1050, 100), (900, 50)]);
        assert_eq!(
            maps,
            vec![
                IdMap {
                    container_id: 0,
                    host_id: 1000,
                    size: 1
                },
                IdMap {
                    container_id: 1,
                    host_id: 900,
                    size: 100
                },
                IdMap {
                    container_id: 101,
                    host_id: 1001,
                    size: 99
                },
                IdMap {
                    container_id: 200,
                    host_id: 1100,
                    size: 50
                },
            ]
        );
    }

    #[test]
    fn maps_stop_before_overflow_and_line_limit() {
        // Container ids 1..=u32::MAX-1 fit exactly; nothing more does.
        assert_eq!(build_maps(0, &[(1, u32::MAX - 1), (5, 5)]).len(), 2);
        assert_eq!(build_maps(0, &[(1, u32::MAX)]).len(), 1);
        let many: Vec<(u32, u32)> = (0..400).map(|i| (100000 + i * 10, 10)).collect();
        assert_eq!(build_maps(1000, &many).len(), MAX_MAP_LINES);
    }

    #[test]
    fn proc_map_parsing() {
        let text = "         0       1000          1\n         1     100000      65536\n";
        assert_eq!(
            parse_proc_map(text).unwrap(),
            vec![
                IdMap {
                    container_id: 0,
                    host_id: 1000,
                    size: 1
                },
                IdMap {
                    container_id: 1,
                    host_id: 100000,
                    size: 65536
                },
            ]
        );
        assert!(is_initial_map(
            &parse_proc_map("         0          0 4294967295\n").unwrap()
        ));
        assert!(!is_initial_map(&parse_proc_map(text).unwrap()));
        assert!(parse_proc_map("0 1\n").is_err());
        assert!(parse_proc_map("0 x 1\n").is_err());
        assert!(parse_proc_map("").unwrap().is_empty());
    }
}
