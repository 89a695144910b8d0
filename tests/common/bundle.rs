//! OCI runtime tests: busybox bundles and a driver for `skiff runtime`, run
//! either rootless (as the test user) or as real root ([`Mode`]), so one test
//! body covers both.
use std::ffi::OsStr;
use std::fs;
use std::os::unix::fs::{PermissionsExt, lchown, symlink};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use super::{Env, format_output, is_root, scratch_dir, skiff_bin};

/// Who runs the runtime.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// The unprivileged test user, with `spec --rootless` bundles.
    Rootless,
    /// Real root (only when the tests themselves run as root).
    Root,
}

impl Mode {
    /// False (with a note on stderr) when this mode cannot run here: `Root`
    /// needs the tests to run as root.
    pub fn available(self) -> bool {
        if self == Mode::Root && !is_root() {
            eprintln!("skipping the root variant: tests are not running as root");
            return false;
        }
        true
    }
}

impl Env {
    /// A command running `program` as real root with this Env's environment
    /// (the harness must be root).
    pub fn command_as_root<S: AsRef<OsStr>>(
        &self,
        program: impl AsRef<OsStr>,
        args: &[S],
    ) -> Command {
        assert!(is_root(), "command_as_root needs the tests to run as root");
        let mut cmd = Command::new(program);
        cmd.args(args)
            .env_clear()
            .envs(self.env_vars())
            .current_dir(self.root());
        cmd
    }

    /// `skiff <args>` as real root, to completion, bounded by the timeout.
    pub fn skiff_as_root<S: AsRef<OsStr>>(&self, args: &[S]) -> Output {
        let what = args
            .iter()
            .map(|a| a.as_ref().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join(" ");
        self.run_with_timeout(self.command_as_root(skiff_bin(), args), None, &what)
    }

    /// Runs a prepared command to completion (stdin empty unless `input`),
    /// bounded by this Env's timeout.
    pub fn output_of(&self, cmd: Command, input: Option<&[u8]>, what: &str) -> Output {
        self.run_with_timeout(cmd, input.map(<[u8]>::to_vec), what)
    }
}

/// `skiff runtime --root <private state dir> ...` in one mode.
pub struct Runtime<'e> {
    pub env: &'e Env,
    pub mode: Mode,
    pub state_root: PathBuf,
}

impl<'e> Runtime<'e> {
    pub fn new(env: &'e Env, mode: Mode) -> Runtime<'e> {
        let state_root = env.root().join(format!("rt-state-{mode:?}").to_lowercase());
        fs::create_dir(&state_root).expect("create state root");
        if mode == Mode::Rootless && env.user().switch {
            lchown(&state_root, Some(env.user().uid), Some(env.user().gid)).expect("chown");
        }
        Runtime {
            env,
            mode,
            state_root,
        }
    }

    /// The uid that owns what this mode's containers write.
    pub fn uid(&self) -> u32 {
        match self.mode {
            Mode::Root => 0,
            Mode::Rootless => self.env.user().uid,
        }
    }

    pub fn gid(&self) -> u32 {
        match self.mode {
            Mode::Root => 0,
            Mode::Rootless => self.env.user().gid,
        }
    }

    /// A not yet started `skiff runtime --root STATE <args>`.
    pub fn command<S: AsRef<OsStr>>(&self, args: &[S]) -> Command {
        let mut full: Vec<&OsStr> = vec![
            OsStr::new("runtime"),
            OsStr::new("--root"),
            self.state_root.as_os_str(),
        ];
        full.extend(args.iter().map(AsRef::as_ref));
        match self.mode {
            Mode::Root => self.env.command_as_root(skiff_bin(), &full),
            Mode::Rootless => self.env.command_as_user(skiff_bin(), &full),
        }
    }

    pub fn run<S: AsRef<OsStr>>(&self, args: &[S]) -> Output {
        self.run_with_input(args, None)
    }

    pub fn run_with_input<S: AsRef<OsStr>>(&self, args: &[S], input: Option<&[u8]>) -> Output {
        let what = format!("[{:?}] skiff runtime {}", self.mode, describe(args));
        self.captured(self.command(args), input, &what)
    }

    /// Runs `cmd` to exit with stdio in files, not pipes: `create`, `run
    /// -d` and `exec -d` hand their stdio to the container process, which
    /// outlives them, so waiting for EOF on a pipe would wait for the
    /// container.
    pub fn captured(&self, mut cmd: Command, input: Option<&[u8]>, what: &str) -> Output {
        use std::io::{Read, Seek, Write};
        let tmp = || tempfile::tempfile_in(self.env.root()).expect("temp file");
        let (mut out, mut err) = (tmp(), tmp());
        let stdin = match input {
            Some(data) => {
                let mut f = tmp();
                f.write_all(data).expect("write stdin");
                f.rewind().expect("rewind");
                Stdio::from(f)
            }
            None => Stdio::null(),
        };
        cmd.stdin(stdin)
            .stdout(out.try_clone().expect("dup"))
            .stderr(err.try_clone().expect("dup"));
        let mut child = cmd.spawn().unwrap_or_else(|e| panic!("spawn {what}: {e}"));
        let pid = child.id() as i32;
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(child.wait());
        });
        let status = match rx.recv_timeout(self.env.timeout) {
            Ok(status) => status.expect("wait"),
            Err(_) => {
                if let Some(pid) = rustix::process::Pid::from_raw(pid) {
                    let _ = rustix::process::kill_process(pid, rustix::process::Signal::KILL);
                }
                panic!("{what} did not finish within {:?}", self.env.timeout);
            }
        };
        let read = |f: &mut fs::File| {
            let mut v = Vec::new();
            f.rewind().expect("rewind");
            f.read_to_end(&mut v).expect("read output");
            v
        };
        Output {
            status,
            stdout: read(&mut out),
            stderr: read(&mut err),
        }
    }

    /// Runs, asserts exit 0, returns stdout.
    pub fn ok<S: AsRef<OsStr>>(&self, args: &[S]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "[{:?}] skiff runtime {} failed: {}",
            self.mode,
            describe(args),
            format_output(&out)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Runs, asserts failure, returns (exit code, stderr).
    pub fn err<S: AsRef<OsStr>>(&self, args: &[S]) -> (i32, String) {
        let out = self.run(args);
        assert!(
            !out.status.success(),
            "[{:?}] skiff runtime {} unexpectedly succeeded: {}",
            self.mode,
            describe(args),
            format_output(&out)
        );
        (
            super::exit_code(out.status),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    /// `state ID` parsed, or None when the runtime does not know the id.
    pub fn try_state(&self, id: &str) -> Option<serde_json::Value> {
        let out = self.run(&["state", id]);
        if !out.status.success() {
            return None;
        }
        Some(
            serde_json::from_slice(&out.stdout)
                .unwrap_or_else(|e| panic!("state {id}: bad JSON ({e}): {}", format_output(&out))),
        )
    }

    pub fn state(&self, id: &str) -> serde_json::Value {
        self.try_state(id).unwrap_or_else(|| {
            panic!(
                "[{:?}] state {id}: {}",
                self.mode,
                format_output(&self.run(&["state", id]))
            )
        })
    }

    pub fn status(&self, id: &str) -> String {
        self.state(id)["status"]
            .as_str()
            .unwrap_or_else(|| panic!("no status for {id}"))
            .to_string()
    }

    /// Polls `state` until the status is `want` (10 s deadline).
    pub fn wait_status(&self, id: &str, want: &str) {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let status = self.status(id);
            if status == want {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "[{:?}] {id} stayed {status:?}, wanted {want:?}",
                self.mode
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// `run ID` of `bundle` to completion: (exit code, stdout, stderr).
    pub fn run_bundle(&self, bundle: &Bundle, id: &str) -> (i32, String, String) {
        bundle.save();
        let out = self.run(&[
            OsStr::new("run"),
            OsStr::new("--bundle"),
            bundle.dir.as_os_str(),
            OsStr::new(id),
        ]);
        (
            super::exit_code(out.status),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    /// `create --bundle DIR ID`, asserting success.
    pub fn create(&self, bundle: &Bundle, id: &str) {
        bundle.save();
        self.ok(&[
            OsStr::new("create"),
            OsStr::new("--bundle"),
            bundle.dir.as_os_str(),
            OsStr::new(id),
        ]);
    }

    /// Deletes `id` with --force, ignoring errors (cleanup).
    pub fn cleanup(&self, id: &str) {
        let _ = self
            .command(&["delete", "--force", id])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}

impl Drop for Runtime<'_> {
    /// Force-deletes whatever a failed test left behind in this state root.
    fn drop(&mut self) {
        let Ok(out) = self.command(&["list", "-q"]).stdin(Stdio::null()).output() else {
            return;
        };
        for id in String::from_utf8_lossy(&out.stdout).lines() {
            self.cleanup(id.trim());
        }
    }
}

/// A bundle directory: `rootfs/` with busybox and its applets, `config.json`
/// from `skiff runtime spec [--rootless]` held as JSON for tests to edit.
/// Lives in its own 0755 scratch dir (a user namespace's root must be able
/// to reach it), owned by the rootless user in that mode.
pub struct Bundle {
    pub dir: PathBuf,
    pub spec: serde_json::Value,
    owner: Option<(u32, u32)>,
}

impl Bundle {
    pub fn busybox(rt: &Runtime<'_>) -> Bundle {
        let dir = scratch_dir("bundle");
        let rootfs = dir.join("rootfs");
        for d in ["bin", "etc", "tmp", "proc", "sys", "dev", "root"] {
            fs::create_dir_all(rootfs.join(d)).expect("mkdir rootfs");
        }
        fs::set_permissions(rootfs.join("tmp"), fs::Permissions::from_mode(0o1777)).expect("chmod");
        fs::copy(busybox_path(), rootfs.join("bin/busybox")).expect("copy busybox");
        for applet in applets() {
            let link = rootfs.join("bin").join(&applet);
            if !link.exists() {
                symlink("busybox", &link).expect("applet link");
            }
        }
        fs::write(
            rootfs.join("etc/passwd"),
            "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n",
        )
        .expect("passwd");
        fs::write(rootfs.join("etc/group"), "root:x:0:\nnogroup:x:65534:\n").expect("group");
        let owner = (rt.mode == Mode::Rootless && rt.env.user().switch)
            .then(|| (rt.env.user().uid, rt.env.user().gid));
        if let Some((uid, gid)) = owner {
            chown_tree(&dir, uid, gid);
        }
        let mut args = vec![OsStr::new("spec"), OsStr::new("--bundle"), dir.as_os_str()];
        if rt.mode == Mode::Rootless {
            args.push(OsStr::new("--rootless"));
        }
        rt.ok(&args);
        let text =
            fs::read_to_string(dir.join("config.json")).expect("config.json written by spec");
        let mut spec: serde_json::Value = serde_json::from_str(&text).expect("spec JSON");
        // Tests print to pipes, not terminals, unless they ask for one.
        spec["process"]["terminal"] = false.into();
        Bundle { dir, spec, owner }
    }

    pub fn rootfs(&self) -> PathBuf {
        self.dir.join("rootfs")
    }

    /// Sets process.args.
    pub fn args(&mut self, args: &[&str]) -> &mut Self {
        self.spec["process"]["args"] = args
            .iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>()
            .into();
        self
    }

    /// Drops the spec's namespace of type `typ` (the container shares the
    /// runtime's).
    pub fn without_namespace(&mut self, typ: &str) -> &mut Self {
        self.spec["linux"]["namespaces"]
            .as_array_mut()
            .expect("linux.namespaces")
            .retain(|n| n["type"] != typ);
        self
    }

    /// `sh -c SCRIPT`.
    pub fn shell(&mut self, script: &str) -> &mut Self {
        self.args(&["sh", "-c", script])
    }

    /// Writes the (edited) spec to config.json.
    pub fn save(&self) {
        let path = self.dir.join("config.json");
        fs::write(&path, serde_json::to_vec_pretty(&self.spec).expect("spec"))
            .expect("write config");
        if let Some((uid, gid)) = self.owner {
            lchown(&path, Some(uid), Some(gid)).expect("chown config");
        }
    }

    /// A new directory in the bundle (outside the rootfs), writable by the
    /// container's owner, e.g. for hook output or a bind mount.
    pub fn host_dir(&self, name: &str) -> PathBuf {
        let d = self.dir.join(name);
        fs::create_dir_all(&d).expect("mkdir");
        fs::set_permissions(&d, fs::Permissions::from_mode(0o777)).expect("chmod");
        if let Some((uid, gid)) = self.owner {
            lchown(&d, Some(uid), Some(gid)).expect("chown");
        }
        d
    }

    /// Writes an executable file, owned like the bundle.
    pub fn write_exec(&self, path: &Path, content: &str) {
        fs::write(path, content).expect("write");
        fs::set_permissions(path, fs::Permissions::from_mode(0o755)).expect("chmod");
        if let Some((uid, gid)) = self.owner {
            lchown(path, Some(uid), Some(gid)).expect("chown");
        }
    }
}

impl Drop for Bundle {
    fn drop(&mut self) {
        if std::env::var_os("SKIFF_TEST_KEEP").is_some() {
            return;
        }
        let _ = fs::remove_dir_all(&self.dir);
    }
}

fn busybox_path() -> &'static str {
    ["/bin/busybox", "/usr/bin/busybox"]
        .into_iter()
        .find(|p| Path::new(p).exists())
        .expect("busybox is not installed (contrib/setup.sh installs busybox-static)")
}

/// The applet names `busybox --list` reports.
fn applets() -> Vec<String> {
    let out = Command::new(busybox_path())
        .arg("--list")
        .output()
        .expect("busybox --list");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.contains('/'))
        .map(String::from)
        .collect()
}

fn chown_tree(path: &Path, uid: u32, gid: u32) {
    lchown(path, Some(uid), Some(gid)).expect("chown");
    if fs::symlink_metadata(path).expect("stat").is_dir() {
        for e in fs::read_dir(path).expect("readdir") {
            chown_tree(&e.expect("entry").path(), uid, gid);
        }
    }
}

fn describe<S: AsRef<OsStr>>(args: &[S]) -> String {
    args.iter()
        .map(|a| a.as_ref().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A container id unique within this test process.
pub fn unique_id(prefix: &str) -> String {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    format!(
        "{prefix}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}

/// Runs `fn $name(Mode)` as two tests: `$name::rootless` and, when the
/// tests run as root, `$name::root`. The calling file must have `Mode` in
/// scope (`use common::bundle::Mode`).
#[allow(unused_macros)]
macro_rules! both_modes {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[test]
            fn rootless() {
                super::$name(super::Mode::Rootless)
            }
            #[test]
            fn root() {
                if super::Mode::Root.available() {
                    super::$name(super::Mode::Root)
                }
            }
        }
    )*};
}
// Each test binary includes this harness; those without two-mode tests do not use it.
#[allow(unused_imports)]
pub(crate) use both_modes;
