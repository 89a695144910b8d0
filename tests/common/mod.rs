//! Shared harness for integration tests. Every test drives the real `skiff`
//! binary as an unprivileged user: as root, the user named by
//! `SKIFF_TEST_USER` (default `skiff-test`, created by `contrib/setup.sh`);
//! otherwise the current user. Registries and image fixtures live in
//! `registry` and `fixtures`; hand-made (possibly malicious) tars in `rawtar`.
#![allow(dead_code)]

pub mod bundle;
pub mod engine;
pub mod fixtures;
pub mod rawtar;
pub mod registry;
pub mod token;

// Each test binary uses a different subset of these.
#[allow(unused_imports)]
pub use fixtures::{FixtureImage, Fixtures, MultiArchFixture, push_raw_image};
#[allow(unused_imports)]
pub use rawtar::{RawEntry, RawKind, gzip, tar_with_raw_entries, zstd_compress};
#[allow(unused_imports)]
pub use registry::{AUTH_PASS, AUTH_USER, HttpResponse, Registry, auth_registry, registry};

use std::ffi::OsStr;
use std::fs;
use std::io::Write;
use std::os::unix::fs::{PermissionsExt, chown};
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::Duration;

/// Default limit for one `skiff` invocation; `SKIFF_TEST_TIMEOUT` (seconds) overrides.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(180);
/// PATH given to the test user's commands (the skiff copy's dir is prepended).
const BASE_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
/// Variables passed through from the test process when set, for debugging.
const PASSTHROUGH_ENV: &[&str] = &["RUST_BACKTRACE", "RUST_LOG", "SKIFF_LOG", "SKIFF_DEBUG"];

pub fn is_root() -> bool {
    rustix::process::geteuid().is_root()
}

/// Where per-process scratch dirs go. As root this is `/tmp`, because the
/// test user must be able to traverse it (TMPDIR might point under /root).
pub fn scratch_root() -> PathBuf {
    if is_root() {
        PathBuf::from("/tmp")
    } else {
        std::env::temp_dir()
    }
}

/// A new empty directory `<scratch>/skiff-test-<kind>-<pid>-<n>`, mode 0755.
/// The pid in the name lets a later run remove dirs of processes that died
/// without cleaning up (static registries are never dropped).
pub fn scratch_dir(kind: &str) -> PathBuf {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    sweep_stale_scratch();
    let root = scratch_root();
    loop {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let dir = root.join(format!("skiff-test-{kind}-{}-{n}", std::process::id()));
        match fs::create_dir(&dir) {
            Ok(()) => {
                fs::set_permissions(&dir, fs::Permissions::from_mode(0o755))
                    .unwrap_or_else(|e| panic!("chmod {}: {e}", dir.display()));
                return dir;
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => panic!("cannot create {}: {e}", dir.display()),
        }
    }
}

/// Once per process: remove `skiff-test-*-<pid>-*` dirs whose process is gone.
fn sweep_stale_scratch() {
    static DONE: OnceLock<()> = OnceLock::new();
    DONE.get_or_init(|| {
        let Ok(entries) = fs::read_dir(scratch_root()) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let Some(name) = name.to_str() else { continue };
            let Some(rest) = name.strip_prefix("skiff-test-") else {
                continue;
            };
            let mut parts = rest.split('-');
            let (_kind, Some(pid)) = (parts.next(), parts.next()) else {
                continue;
            };
            let Ok(pid) = pid.parse::<u32>() else {
                continue;
            };
            if pid != std::process::id() && !Path::new(&format!("/proc/{pid}")).exists() {
                force_remove(&entry.path());
            }
        }
    });
}

/// Remove a tree, making dirs writable first if a plain removal fails
/// (layers can contain 0555 dirs). Errors are ignored: this is cleanup.
fn force_remove(path: &Path) {
    if fs::remove_dir_all(path).is_ok() || !path.exists() {
        return;
    }
    let _ = Command::new("chmod")
        .arg("-R")
        .arg("u+rwx")
        .arg(path)
        .stderr(Stdio::null())
        .status();
    let _ = fs::remove_dir_all(path);
}

/// The skiff binary, copied once per test process to a directory the test
/// user can execute from (the build dir may be under /root).
pub fn skiff_bin() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let src = Path::new(env!("CARGO_BIN_EXE_skiff"));
        let dir = scratch_dir("bin");
        let dst = dir.join("skiff");
        // A hard link is instant; fall back to copying across filesystems.
        if fs::hard_link(src, &dst).is_err() {
            fs::copy(src, &dst)
                .unwrap_or_else(|e| panic!("copy {} -> {}: {e}", src.display(), dst.display()));
        }
        fs::set_permissions(&dst, fs::Permissions::from_mode(0o755))
            .unwrap_or_else(|e| panic!("chmod {}: {e}", dst.display()));
        dst
    })
}

/// The unprivileged user that runs skiff in tests.
#[derive(Clone, Debug)]
pub struct TestUser {
    pub name: String,
    pub uid: u32,
    pub gid: u32,
    pub home: PathBuf,
    /// True when the harness runs as root and must switch to this user.
    pub switch: bool,
}

/// Parse one `getent passwd` line: name:x:uid:gid:gecos:home:shell.
fn parse_passwd_line(line: &str) -> Option<TestUser> {
    let f: Vec<&str> = line.trim_end().split(':').collect();
    if f.len() < 7 {
        return None;
    }
    Some(TestUser {
        name: f[0].to_string(),
        uid: f[2].parse().ok()?,
        gid: f[3].parse().ok()?,
        home: PathBuf::from(f[5]),
        switch: false,
    })
}

fn getent_passwd(key: &str) -> Option<TestUser> {
    let out = Command::new("getent")
        .arg("passwd")
        .arg(key)
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    parse_passwd_line(String::from_utf8_lossy(&out.stdout).lines().next()?)
}

pub fn test_user() -> &'static TestUser {
    static USER: OnceLock<TestUser> = OnceLock::new();
    USER.get_or_init(|| {
        if is_root() {
            let name = std::env::var("SKIFF_TEST_USER").unwrap_or_else(|_| "skiff-test".into());
            let mut user = getent_passwd(&name).unwrap_or_else(|| {
                panic!(
                    "test user {name:?} does not exist: run `sudo ./contrib/setup.sh` \
                     (or set SKIFF_TEST_USER to an unprivileged user with subuid/subgid ranges)"
                )
            });
            assert_ne!(user.uid, 0, "SKIFF_TEST_USER must not be root");
            user.switch = true;
            user
        } else {
            let uid = rustix::process::getuid().as_raw();
            let gid = rustix::process::getgid().as_raw();
            getent_passwd(&uid.to_string()).unwrap_or_else(|| TestUser {
                name: std::env::var("USER").unwrap_or_else(|_| uid.to_string()),
                uid,
                gid,
                home: std::env::var_os("HOME")
                    .map(PathBuf::from)
                    .unwrap_or_default(),
                switch: false,
            })
        }
    })
}

/// One test's private world: HOME and XDG dirs in a fresh temp dir owned by
/// the test user (mode 0700), removed on drop.
pub struct Env {
    root: PathBuf,
    user: TestUser,
    extra_env: Vec<(String, String)>,
    timeout: Duration,
}

impl Default for Env {
    fn default() -> Self {
        Self::new()
    }
}

impl Env {
    pub fn new() -> Env {
        let user = test_user().clone();
        let root = scratch_dir("env");
        for sub in ["home", "data", "config", "run", "cache"] {
            fs::create_dir(root.join(sub)).expect("create env dir");
        }
        for dir in ["", "home", "data", "config", "run", "cache"].map(|s| root.join(s)) {
            fs::set_permissions(&dir, fs::Permissions::from_mode(0o700)).expect("chmod env dir");
            if user.switch {
                chown(&dir, Some(user.uid), Some(user.gid))
                    .unwrap_or_else(|e| panic!("chown {}: {e}", dir.display()));
            }
        }
        let timeout = std::env::var("SKIFF_TEST_TIMEOUT")
            .ok()
            .and_then(|s| s.parse().ok())
            .map(Duration::from_secs)
            .unwrap_or(DEFAULT_TIMEOUT);
        Env {
            root,
            user,
            extra_env: Vec::new(),
            timeout,
        }
    }

    pub fn user(&self) -> &TestUser {
        &self.user
    }
    pub fn root(&self) -> &Path {
        &self.root
    }
    pub fn home(&self) -> PathBuf {
        self.root.join("home")
    }
    /// XDG_DATA_HOME (skiff's storage lives below it).
    pub fn data_dir(&self) -> PathBuf {
        self.root.join("data")
    }
    /// XDG_CONFIG_HOME.
    pub fn config_dir(&self) -> PathBuf {
        self.root.join("config")
    }
    /// XDG_RUNTIME_DIR.
    pub fn runtime_dir(&self) -> PathBuf {
        self.root.join("run")
    }
    pub fn cache_dir(&self) -> PathBuf {
        self.root.join("cache")
    }

    /// Extra environment for every later command of this Env.
    pub fn set_env(&mut self, key: &str, value: &str) {
        self.extra_env.retain(|(k, _)| k != key);
        self.extra_env.push((key.to_string(), value.to_string()));
    }

    pub fn set_timeout(&mut self, timeout: Duration) {
        self.timeout = timeout;
    }

    /// The environment a command of this Env sees (nothing else leaks in).
    pub fn env_vars(&self) -> Vec<(String, String)> {
        let bin_dir = skiff_bin().parent().expect("bin dir").display().to_string();
        let mut vars = vec![
            ("PATH".to_string(), format!("{bin_dir}:{BASE_PATH}")),
            ("HOME".into(), self.home().display().to_string()),
            ("USER".into(), self.user.name.clone()),
            ("LOGNAME".into(), self.user.name.clone()),
            (
                "XDG_DATA_HOME".into(),
                self.data_dir().display().to_string(),
            ),
            (
                "XDG_CONFIG_HOME".into(),
                self.config_dir().display().to_string(),
            ),
            (
                "XDG_RUNTIME_DIR".into(),
                self.runtime_dir().display().to_string(),
            ),
            (
                "XDG_CACHE_HOME".into(),
                self.cache_dir().display().to_string(),
            ),
            ("LANG".into(), "C.UTF-8".into()),
            ("TERM".into(), "dumb".into()),
        ];
        for key in PASSTHROUGH_ENV {
            if let Ok(v) = std::env::var(key) {
                vars.push((key.to_string(), v));
            }
        }
        vars.extend(self.extra_env.iter().cloned());
        vars
    }

    /// A command that runs `program` as the test user with this Env's
    /// environment, in its HOME. Stdio is left to the caller.
    pub fn command_as_user<S: AsRef<OsStr>>(
        &self,
        program: impl AsRef<OsStr>,
        args: &[S],
    ) -> Command {
        let mut cmd = if self.user.switch {
            let mut c = Command::new("setpriv");
            c.arg(format!("--reuid={}", self.user.uid))
                .arg(format!("--regid={}", self.user.gid))
                .arg("--init-groups")
                .arg("--")
                .arg(program);
            c
        } else {
            Command::new(program)
        };
        cmd.args(args)
            .env_clear()
            .envs(self.env_vars())
            .current_dir(self.home());
        cmd
    }

    /// `skiff <args>` as the test user, not yet started.
    pub fn skiff_command<S: AsRef<OsStr>>(&self, args: &[S]) -> Command {
        self.command_as_user(skiff_bin(), args)
    }

    /// Run `skiff <args>` to completion (stdin empty), bounded by the timeout.
    pub fn skiff<S: AsRef<OsStr>>(&self, args: &[S]) -> Output {
        self.run_with_timeout(self.skiff_command(args), None, &describe(args))
    }

    /// Like `skiff`, feeding `input` on stdin.
    pub fn skiff_with_stdin<S: AsRef<OsStr>>(&self, args: &[S], input: &[u8]) -> Output {
        self.run_with_timeout(
            self.skiff_command(args),
            Some(input.to_vec()),
            &describe(args),
        )
    }

    /// Run `skiff <args>`, assert it exits 0, return stdout.
    pub fn skiff_ok<S: AsRef<OsStr>>(&self, args: &[S]) -> String {
        let out = self.skiff(args);
        if !out.status.success() {
            panic!("skiff {} failed: {}", describe(args), format_output(&out));
        }
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Run `skiff <args>`, assert it fails, return (exit code, stderr).
    /// A death by signal N is reported as 128+N.
    pub fn skiff_err<S: AsRef<OsStr>>(&self, args: &[S]) -> (i32, String) {
        let out = self.skiff(args);
        if out.status.success() {
            panic!(
                "skiff {} unexpectedly succeeded: {}",
                describe(args),
                format_output(&out)
            );
        }
        (
            exit_code(out.status),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    /// Start `skiff <args>` in the background (stdin null, stdout/stderr piped).
    pub fn spawn<S: AsRef<OsStr>>(&self, args: &[S]) -> Child {
        self.skiff_command(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("spawn skiff {}: {e}", describe(args)))
    }

    /// Run any program as the test user with this Env (e.g. `stat`, `id`).
    pub fn run_as_user<S: AsRef<OsStr>>(&self, program: &str, args: &[S]) -> Output {
        let what = format!("{program} {}", describe(args));
        self.run_with_timeout(self.command_as_user(program, args), None, &what)
    }

    /// Write `$XDG_CONFIG_HOME/containers/registries.conf` (owned by the user).
    pub fn write_registries_conf(&self, content: &str) {
        self.write_user_file(
            &self.config_dir().join("containers/registries.conf"),
            content.as_bytes(),
        );
    }

    /// Mark a plain-HTTP test registry as insecure in the user's registries.conf.
    pub fn allow_insecure(&self, registry: &Registry) {
        self.write_registries_conf(&format!(
            "[[registry]]\nlocation = \"{}\"\ninsecure = true\n",
            registry.addr()
        ));
    }

    /// Create a file (and missing parent dirs) inside this Env, owned by the test user.
    pub fn write_user_file(&self, path: &Path, content: &[u8]) {
        assert!(
            path.starts_with(&self.root),
            "{} is outside the Env",
            path.display()
        );
        let parent = path.parent().expect("parent");
        let mut created = Vec::new();
        let mut p = parent;
        while !p.exists() {
            created.push(p.to_path_buf());
            p = p.parent().expect("parent");
        }
        fs::create_dir_all(parent).expect("create dirs");
        fs::write(path, content).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
        if self.user.switch {
            for p in created.iter().map(PathBuf::as_path).chain([path]) {
                chown(p, Some(self.user.uid), Some(self.user.gid)).expect("chown");
            }
        }
    }

    fn run_with_timeout(&self, mut cmd: Command, input: Option<Vec<u8>>, what: &str) -> Output {
        cmd.stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
        let mut child = cmd.spawn().unwrap_or_else(|e| panic!("spawn {what}: {e}"));
        if let Some(input) = input {
            let mut stdin = child.stdin.take().expect("stdin");
            std::thread::spawn(move || {
                let _ = stdin.write_all(&input);
            });
        }
        let pid = child.id();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(child.wait_with_output());
        });
        match rx.recv_timeout(self.timeout) {
            Ok(out) => out.unwrap_or_else(|e| panic!("wait for {what}: {e}")),
            Err(_) => {
                if let Some(pid) = rustix::process::Pid::from_raw(pid as i32) {
                    let _ = rustix::process::kill_process(pid, rustix::process::Signal::KILL);
                }
                panic!(
                    "{what} did not finish within {:?} (or a background child kept its \
                     stdout/stderr open)",
                    self.timeout
                );
            }
        }
    }
}

impl Drop for Env {
    fn drop(&mut self) {
        if std::env::var_os("SKIFF_TEST_KEEP").is_some() {
            eprintln!("SKIFF_TEST_KEEP: leaving {}", self.root.display());
            return;
        }
        if fs::remove_dir_all(&self.root).is_ok() {
            return;
        }
        if self.user.switch {
            // Root may remove files owned by subordinate ids directly.
            force_remove(&self.root);
        } else {
            // Files owned by subordinate ids are removable only inside the
            // user namespace; best effort.
            let _ = self
                .skiff_command(&["unshare", "rm", "-rf", &self.root.display().to_string()])
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
            force_remove(&self.root);
        }
    }
}

pub fn exit_code(status: ExitStatus) -> i32 {
    status
        .code()
        .or_else(|| status.signal().map(|s| 128 + s))
        .unwrap_or(-1)
}

fn describe<S: AsRef<OsStr>>(args: &[S]) -> String {
    args.iter()
        .map(|a| a.as_ref().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn format_output(out: &Output) -> String {
    format!(
        "{}\n--- stdout ---\n{}\n--- stderr ---\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}
