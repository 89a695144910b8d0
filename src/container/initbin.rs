//! The `--init` program (src/init/main.rs, built static by build.rs),
//! embedded in skiff and installed once per content under
//! `<data>/libexec/` so it can be bind-mounted into containers.
use std::fs;
use std::io::{self, Write};
use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
use std::path::{Path, PathBuf};

use sha2::{Digest as _, Sha256};

static INIT: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/skiff-init"));

#[derive(Debug, thiserror::Error)]
pub enum InitError {
    #[error("installing the init program at {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}

/// Writes the init program to `<data>/libexec/skiff-init-<sha256 prefix>`
/// (mode 0755, atomically) unless it is already there, and returns its path.
/// A new skiff version gets a new file; a running container keeps its own.
pub fn install(data_dir: &Path) -> Result<PathBuf, InitError> {
    let hash = hex::encode(Sha256::digest(INIT));
    let dir = data_dir.join("libexec");
    let path = dir.join(format!("skiff-init-{}", &hash[..12]));
    if let Ok(md) = fs::metadata(&path)
        && md.is_file()
        && md.len() == INIT.len() as u64
        && md.permissions().mode() & 0o777 == 0o755
    {
        return Ok(path);
    }
    let err = |p: &Path| {
        let p = p.to_path_buf();
        move |source| InitError::Io { path: p, source }
    };
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o755)
        .create(&dir)
        .map_err(err(&dir))?;
    // Same-dir temp file, complete and executable before it gets the name:
    // a concurrent install renames identical bytes over it, which is harmless.
    let mut tmp = tempfile::Builder::new()
        .prefix(".skiff-init-")
        .tempfile_in(&dir)
        .map_err(err(&dir))?;
    tmp.write_all(INIT).map_err(err(tmp.path()))?;
    tmp.as_file()
        .set_permissions(fs::Permissions::from_mode(0o755))
        .map_err(err(tmp.path()))?;
    tmp.as_file().sync_all().map_err(err(tmp.path()))?;
    tmp.persist(&path).map_err(|e| err(&path)(e.error))?;
    crate::storage::atomic::sync_dir(&dir).map_err(err(&dir))?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{BufRead, BufReader};
    use std::os::unix::fs::MetadataExt;
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};

    fn installed() -> (tempfile::TempDir, PathBuf) {
        let d = tempfile::tempdir().unwrap();
        let p = install(d.path()).unwrap();
        // Once one exec got through, no copy of the write fd is left (none
        // can be made after the install closed it): later spawns work.
        assert_eq!(run(&p, &["true"]), 0);
        (d, p)
    }

    fn run(init: &Path, args: &[&str]) -> i32 {
        // ETXTBSY: another test's forked child may still hold a copy of the
        // just-written file's fd (until it execs or exits); wait it out.
        for _ in 0..100 {
            match Command::new(init).args(args).stdin(Stdio::null()).status() {
                Err(e) if e.kind() == std::io::ErrorKind::ExecutableFileBusy => {
                    std::thread::sleep(Duration::from_millis(20));
                }
                status => return status.unwrap().code().unwrap(),
            }
        }
        panic!("{} stayed busy for 2 s", init.display());
    }

    #[test]
    fn installs_once_with_a_content_name() {
        let (d, p) = installed();
        let name = p.file_name().unwrap().to_str().unwrap();
        assert!(
            name.starts_with("skiff-init-") && name.len() == 11 + 12,
            "{name}"
        );
        assert_eq!(p.parent().unwrap(), d.path().join("libexec"));
        let md = fs::metadata(&p).unwrap();
        assert_eq!(md.permissions().mode() & 0o7777, 0o755);
        assert_eq!(fs::read(&p).unwrap(), INIT);
        // Second call: the same file, not rewritten.
        assert_eq!(install(d.path()).unwrap(), p);
        assert_eq!(fs::metadata(&p).unwrap().ino(), md.ino());
        // A damaged copy (wrong size) is replaced.
        fs::write(&p, b"junk").unwrap();
        assert_eq!(install(d.path()).unwrap(), p);
        assert_eq!(fs::read(&p).unwrap(), INIT);
        assert_eq!(fs::read_dir(d.path().join("libexec")).unwrap().count(), 1);
    }

    #[test]
    fn is_a_static_elf() {
        // ELF64 little-endian header, then program headers: no PT_INTERP
        // (3), so it needs no dynamic loader inside the container.
        assert_eq!(&INIT[..4], b"\x7fELF");
        assert_eq!(INIT[4], 2, "ELF64");
        let u16_at = |o: usize| u16::from_le_bytes([INIT[o], INIT[o + 1]]) as usize;
        let phoff = u64::from_le_bytes(INIT[0x20..0x28].try_into().unwrap()) as usize;
        let (phentsize, phnum) = (u16_at(0x36), u16_at(0x38));
        assert!(phnum > 0);
        for i in 0..phnum {
            let off = phoff + i * phentsize;
            let p_type = u32::from_le_bytes(INIT[off..off + 4].try_into().unwrap());
            assert_ne!(p_type, 3, "PT_INTERP found: dynamically linked");
        }
        assert!(INIT.len() < 2 << 20, "{} bytes", INIT.len());
    }

    #[test]
    fn exit_codes() {
        let (_d, init) = installed();
        assert_eq!(run(&init, &["sh", "-c", "exit 3"]), 3);
        assert_eq!(run(&init, &["--", "sh", "-c", "exit 0"]), 0);
        assert_eq!(run(&init, &["sh", "-c", "kill -9 $$"]), 128 + 9);
        assert_eq!(run(&init, &["/nonexistent/prog"]), 127);
        assert_eq!(run(&init, &["/"]), 126);
        assert_eq!(run(&init, &[]), 1);
    }

    #[test]
    fn pause_waits_reaps_and_ends_on_term() {
        let (_d, init) = installed();
        for sig in [15, 2] {
            let mut child = Command::new(&init)
                .arg("--pause")
                .stdin(Stdio::null())
                .spawn()
                .unwrap();
            std::thread::sleep(Duration::from_millis(150));
            // SIGHUP is taken and ignored: still there.
            crate::sys::process::kill(child.id() as i32, 1).unwrap();
            std::thread::sleep(Duration::from_millis(100));
            assert!(child.try_wait().unwrap().is_none(), "pause ended early");
            crate::sys::process::kill(child.id() as i32, sig).unwrap();
            assert_eq!(child.wait().unwrap().code(), Some(0), "signal {sig}");
        }
        // `--pause` with more arguments is a program called --pause.
        assert_eq!(run(&init, &["--pause", "x"]), 127);
    }

    #[test]
    fn forwards_signals() {
        let (_d, init) = installed();
        for (sig, code) in [(15, 7), (10, 8), (2, 9)] {
            let script =
                format!("trap 'exit {code}' {sig}; echo ready; while :; do sleep 0.05; done");
            let mut child = Command::new(&init)
                .args(["sh", "-c", &script])
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .spawn()
                .unwrap();
            let mut line = String::new();
            BufReader::new(child.stdout.take().unwrap())
                .read_line(&mut line)
                .unwrap();
            assert_eq!(line, "ready\n");
            crate::sys::process::kill(child.id() as i32, sig).unwrap();
            assert_eq!(child.wait().unwrap().code(), Some(code), "signal {sig}");
        }
    }

    #[test]
    fn as_pid_1_takes_signals_from_inside_its_namespace() {
        let (_d, init) = installed();
        // A pid 1 only gets signals it handles or blocks from inside its
        // namespace: the program signals pid 1, which must forward it back.
        let script = "trap 'exit 5' TERM; kill -TERM 1; sleep 5 & wait";
        let out = Command::new("unshare")
            .args(["--user", "--map-root-user", "--pid", "--fork"])
            .arg(&init)
            .args(["sh", "-c", script])
            .stdin(Stdio::null())
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        if err.contains("unshare failed") {
            eprintln!("skipped: no user namespaces here: {err}");
            return;
        }
        assert_eq!(out.status.code(), Some(5), "{err}");
    }

    /// Children of `pid` according to /proc (zombies included).
    fn children_of(pid: u32) -> Vec<(u32, char)> {
        let mut out = Vec::new();
        for e in fs::read_dir("/proc").unwrap().flatten() {
            let Ok(stat) = fs::read_to_string(e.path().join("stat")) else {
                continue;
            };
            // pid (comm) state ppid ...: comm may hold spaces, so split after ')'.
            let Some((head, rest)) = stat.rsplit_once(')') else {
                continue;
            };
            let mut f = rest.split_whitespace();
            let state = f.next().and_then(|s| s.chars().next()).unwrap_or('?');
            let ppid: u32 = f.next().and_then(|s| s.parse().ok()).unwrap_or(0);
            if ppid == pid {
                out.push((head.split(' ').next().unwrap().parse().unwrap(), state));
            }
        }
        out
    }

    #[test]
    fn reaps_orphans_and_waits_for_its_own_child() {
        let (d, init) = installed();
        let marker = d.path().join("orphan-done");
        // The inner subshell exits at once, so the background job is
        // reparented to the init; it exits 9 long before the main child.
        let script = format!(
            "( (sleep 0.1; touch {m}; exit 9) & ); sleep 3; exit 4",
            m = marker.display()
        );
        let mut child = Command::new(&init)
            .args(["sh", "-c", &script])
            .stdin(Stdio::null())
            .spawn()
            .unwrap();
        let start = Instant::now();
        let deadline = start + Duration::from_millis(2500);
        // The orphan must become the init's child (it is a subreaper when
        // not pid 1), or this test would prove nothing.
        let mut adopted = false;
        while !marker.exists() {
            assert!(Instant::now() < deadline, "orphan never ran");
            adopted |= children_of(child.id()).len() >= 2;
            std::thread::sleep(Duration::from_millis(5));
        }
        assert!(adopted, "the orphan was never reparented to the init");
        // Once the orphan has exited, only the main child is left, and no
        // zombie: the init reaped it.
        loop {
            let kids = children_of(child.id());
            if kids.len() == 1 && kids[0].1 != 'Z' {
                break;
            }
            assert!(Instant::now() < deadline, "not reaped: {kids:?}");
            std::thread::sleep(Duration::from_millis(20));
        }
        assert_eq!(child.wait().unwrap().code(), Some(4));
        assert!(start.elapsed() >= Duration::from_secs(3));
    }
}
