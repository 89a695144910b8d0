//! `skiff` as a container engine in one mode: rootless as the test user, or
//! as real root with a private store (SKIFF_ROOT / SKIFF_RUNROOT under the
//! Env), with a busybox image imported from busybox-static.
use std::ffi::OsStr;
use std::os::unix::fs::chown;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use super::bundle::Mode;
use super::fixtures::busybox_entries;
use super::rawtar::tar_with_raw_entries;
use super::{Env, exit_code, format_output, skiff_bin};

pub const IMAGE: &str = "demo/busybox:latest";

pub struct Engine {
    pub env: Env,
    pub mode: Mode,
}

impl Engine {
    /// A fresh store with the busybox image in it.
    pub fn new(mode: Mode) -> Engine {
        let mut env = Env::new();
        if mode == Mode::Root {
            let data = env.root().join("rootdata");
            let run = env.root().join("rootrun");
            env.set_env("SKIFF_ROOT", data.to_str().unwrap());
            env.set_env("SKIFF_RUNROOT", run.to_str().unwrap());
        }
        let e = Engine { env, mode };
        let tar = e.env.root().join("busybox.tar");
        std::fs::write(&tar, tar_with_raw_entries(&busybox_entries())).unwrap();
        if e.env.user().switch {
            chown(&tar, Some(e.env.user().uid), Some(e.env.user().gid)).unwrap();
        }
        e.ok(&["import", tar.to_str().unwrap(), IMAGE]);
        e
    }

    pub fn command<S: AsRef<OsStr>>(&self, args: &[S]) -> Command {
        match self.mode {
            Mode::Rootless => self.env.skiff_command(args),
            Mode::Root => self.env.command_as_root(skiff_bin(), args),
        }
    }

    pub fn run<S: AsRef<OsStr>>(&self, args: &[S]) -> Output {
        self.env
            .output_of(self.command(args), None, &describe(args))
    }

    pub fn run_stdin<S: AsRef<OsStr>>(&self, args: &[S], input: &[u8]) -> Output {
        self.env
            .output_of(self.command(args), Some(input), &describe(args))
    }

    /// Asserts success; returns stdout.
    pub fn ok<S: AsRef<OsStr>>(&self, args: &[S]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "skiff {} failed ({:?}): {}",
            describe(args),
            self.mode,
            format_output(&out)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Asserts failure; returns (exit code, stderr).
    pub fn err<S: AsRef<OsStr>>(&self, args: &[S]) -> (i32, String) {
        let out = self.run(args);
        assert!(
            !out.status.success(),
            "skiff {} unexpectedly succeeded ({:?}): {}",
            describe(args),
            self.mode,
            format_output(&out)
        );
        (
            exit_code(out.status),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    /// `inspect --format TEMPLATE NAME`, trimmed.
    pub fn inspect(&self, name: &str, template: &str) -> String {
        self.ok(&["inspect", "--format", template, name])
            .trim()
            .to_string()
    }

    pub fn data_dir(&self) -> std::path::PathBuf {
        match self.mode {
            Mode::Rootless => self.env.data_dir().join("skiff"),
            Mode::Root => self.env.root().join("rootdata"),
        }
    }

    /// Polls `cond` every 20 ms for up to `limit`.
    pub fn wait_for(&self, limit: Duration, mut cond: impl FnMut() -> bool) -> bool {
        let end = Instant::now() + limit;
        while Instant::now() < end {
            if cond() {
                return true;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        cond()
    }
}

impl Drop for Engine {
    fn drop(&mut self) {
        // Leave no container running behind a failed test: pods first
        // (their infra containers go only with them). Never panics: a panic
        // here while a failed test unwinds would abort the whole binary.
        let _ = self.quiet(&["pod", "rm", "-f", "-a"]);
        let ids = self.quiet(&["ps", "-aq"]).unwrap_or_default();
        let ids: Vec<&str> = ids.split_whitespace().collect();
        if !ids.is_empty() {
            let mut args = vec!["rm", "-f"];
            args.extend(ids);
            let _ = self.quiet(&args);
        }
    }
}

impl Engine {
    /// Runs `busy` (a shell and its `sleep`), waiting until the sleep exists.
    pub fn start_busy(&self) {
        self.ok(&[
            "run",
            "-d",
            "--name",
            "busy",
            IMAGE,
            "sh",
            "-c",
            "sleep 1000 & wait",
        ]);
        assert!(self.wait_for(Duration::from_secs(5), || {
            self.ok(&["top", "busy"]).contains(" sleep 1000\n")
        }));
    }

    /// Runs a cleanup command for at most a minute; its stdout, or `None`.
    fn quiet(&self, args: &[&str]) -> Option<String> {
        let child = self
            .command(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .ok()?;
        let pid = child.id() as i32;
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(child.wait_with_output());
        });
        match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(Ok(out)) => Some(String::from_utf8_lossy(&out.stdout).into_owned()),
            _ => {
                if let Some(pid) = rustix::process::Pid::from_raw(pid) {
                    let _ = rustix::process::kill_process(pid, rustix::process::Signal::KILL);
                }
                None
            }
        }
    }
}

fn describe<S: AsRef<OsStr>>(args: &[S]) -> String {
    args.iter()
        .map(|a| a.as_ref().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Pids of processes whose command line contains `needle`.
pub fn pids_matching(needle: &str) -> Vec<i32> {
    let mut out = Vec::new();
    for e in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = e.file_name().to_string_lossy().parse::<i32>() else {
            continue;
        };
        if let Ok(cmd) = std::fs::read(format!("/proc/{pid}/cmdline")) {
            let cmd = String::from_utf8_lossy(&cmd).replace('\0', " ");
            if cmd.contains(needle) {
                out.push(pid);
            }
        }
    }
    out
}

/// Whether any process's mount table mentions `path`.
pub fn mounted_anywhere(path: &str) -> bool {
    for e in std::fs::read_dir("/proc").unwrap().flatten() {
        if e.file_name().to_string_lossy().parse::<i32>().is_err() {
            continue;
        }
        if let Ok(m) = std::fs::read_to_string(e.path().join("mountinfo"))
            && m.contains(path)
        {
            return true;
        }
    }
    false
}

/// The monitor process of container `id` (there must be exactly one).
pub fn monitor_of(id: &str) -> i32 {
    let found: Vec<i32> = pids_matching("__monitor")
        .into_iter()
        .filter(|p| {
            std::fs::read(format!("/proc/{p}/cmdline"))
                .map(|c| String::from_utf8_lossy(&c).contains(id))
                .unwrap_or(false)
        })
        .collect();
    assert_eq!(found.len(), 1, "monitors of {id}: {found:?}");
    found[0]
}
