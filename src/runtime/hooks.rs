//! Lifecycle hooks: each runs with the container state on stdin, its own
//! `args` and `env` (the environment is exactly `env`), and an optional
//! `timeout` in seconds. Which failures abort is the caller's business (the
//! spec: createRuntime/createContainer/startContainer/prestart abort;
//! poststart/poststop only warn).
use std::io::Write;
use std::os::fd::AsFd;
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};

use oci_spec::runtime::{Hook, Hooks};

use super::error::RuntimeError;
use crate::sys::process::{pidfd_open, poll_readable};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HookKind {
    Prestart,
    CreateRuntime,
    CreateContainer,
    StartContainer,
    Poststart,
    Poststop,
}

impl HookKind {
    pub fn name(self) -> &'static str {
        match self {
            HookKind::Prestart => "prestart",
            HookKind::CreateRuntime => "createRuntime",
            HookKind::CreateContainer => "createContainer",
            HookKind::StartContainer => "startContainer",
            HookKind::Poststart => "poststart",
            HookKind::Poststop => "poststop",
        }
    }

    /// The hooks of this kind in `hooks`, in order.
    #[allow(deprecated)] // prestart is deprecated in the spec, yet still defined
    pub fn select(self, hooks: Option<&Hooks>) -> &[Hook] {
        let Some(h) = hooks else { return &[] };
        let list = match self {
            HookKind::Prestart => h.prestart(),
            HookKind::CreateRuntime => h.create_runtime(),
            HookKind::CreateContainer => h.create_container(),
            HookKind::StartContainer => h.start_container(),
            HookKind::Poststart => h.poststart(),
            HookKind::Poststop => h.poststop(),
        };
        list.as_deref().unwrap_or(&[])
    }
}

/// Runs every hook of `kind` in order; stops at the first failure.
pub fn run_hooks(kind: HookKind, hooks: &[Hook], state_json: &[u8]) -> Result<(), RuntimeError> {
    for h in hooks {
        run_hook(h, state_json).map_err(|reason| RuntimeError::Hook {
            kind: kind.name(),
            path: h.path().display().to_string(),
            reason,
        })?;
    }
    Ok(())
}

/// Runs one hook to completion (or its timeout). The error is the reason.
pub fn run_hook(h: &Hook, state_json: &[u8]) -> Result<(), String> {
    let mut cmd = Command::new(h.path());
    if let Some(args) = h.args() {
        if let Some(a0) = args.first() {
            cmd.arg0(a0);
        }
        cmd.args(args.iter().skip(1));
    }
    cmd.env_clear();
    for kv in h.env().as_deref().unwrap_or(&[]) {
        match kv.split_once('=') {
            Some((k, v)) => cmd.env(k, v),
            None => cmd.env(kv, ""),
        };
    }
    cmd.stdin(Stdio::piped());
    let mut child = cmd.spawn().map_err(|e| format!("starting: {e}"))?;
    // Watch the hook through a pidfd so the timeout needs no polling loop.
    let pidfd = pidfd_open(child.id() as i32).map_err(|e| format!("pidfd_open: {e}"))?;
    if let Some(mut stdin) = child.stdin.take() {
        // A hook may exit without reading its stdin: EPIPE is not a failure.
        match stdin.write_all(state_json) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
            Err(e) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("writing the state to its stdin: {e}"));
            }
        }
    }
    let timeout_ms = match h.timeout() {
        Some(t) if t > 0 => t.saturating_mul(1000).min(i32::MAX as i64) as i32,
        _ => -1,
    };
    let done = poll_readable(pidfd.as_fd(), timeout_ms).map_err(|e| format!("waiting: {e}"))?;
    if !done {
        let _ = child.kill();
        let _ = child.wait();
        return Err(format!("timed out after {}s", h.timeout().unwrap_or(0)));
    }
    let status = child.wait().map_err(|e| format!("waiting: {e}"))?;
    if status.success() {
        return Ok(());
    }
    use std::os::unix::process::ExitStatusExt;
    Err(match (status.code(), status.signal()) {
        (Some(c), _) => format!("exited with status {c}"),
        (_, Some(s)) => format!("killed by signal {s}"),
        _ => "failed".to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use oci_spec::runtime::HookBuilder;

    /// A hook running `body` with /bin/sh. Not a script file: a file just
    /// written can be "busy" for exec while another test's fork holds it.
    fn sh(body: &str) -> Hook {
        HookBuilder::default()
            .path("/bin/sh")
            .args(vec!["sh".into(), "-c".into(), body.into()])
            .build()
            .unwrap()
    }

    #[test]
    fn hook_gets_state_args_and_env() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        // argv[0] as the hook sees it comes from /proc (a script's $0 would
        // be the script path); `env` shows exactly the environment given.
        let body = format!(
            "{{ cat; echo; tr '\\0' ' ' < /proc/$$/cmdline; echo; env; }} > {}",
            out.display()
        );
        let h = HookBuilder::default()
            .path("/bin/sh")
            .args(vec!["myhook".into(), "-c".into(), body.clone()])
            .env(vec!["FOO=bar".into()])
            .build()
            .unwrap();
        run_hooks(HookKind::Poststart, &[h], br#"{"id":"c1"}"#).unwrap();
        let text = std::fs::read_to_string(out).unwrap();
        let mut lines = text.lines();
        assert_eq!(lines.next(), Some(r#"{"id":"c1"}"#));
        assert_eq!(lines.next(), Some(format!("myhook -c {body} ").as_str()));
        let env: Vec<&str> = lines.collect();
        assert!(env.contains(&"FOO=bar"), "{env:?}");
        assert!(!env.iter().any(|l| l.starts_with("HOME=")), "{env:?}");
    }

    #[test]
    fn failure_timeout_and_missing() {
        let dir = tempfile::tempdir().unwrap();
        let fail = sh("exit 3");
        let e = run_hooks(HookKind::CreateRuntime, &[fail], b"{}").unwrap_err();
        assert!(e.to_string().contains("createRuntime hook"), "{e}");
        assert!(e.to_string().contains("status 3"), "{e}");

        let mut slow = sh("exec sleep 30");
        slow.set_timeout(Some(1));
        let t0 = std::time::Instant::now();
        let e = run_hook(&slow, b"{}").unwrap_err();
        assert!(e.contains("timed out"), "{e}");
        assert!(t0.elapsed() < std::time::Duration::from_secs(10));

        let missing = HookBuilder::default()
            .path(dir.path().join("absent"))
            .build()
            .unwrap();
        assert!(run_hook(&missing, b"{}").unwrap_err().contains("starting"));

        // A hook that ignores stdin still succeeds, even with a large state.
        let quiet = sh("exit 0");
        run_hook(&quiet, &vec![b'x'; 1 << 20]).unwrap();
    }

    #[test]
    fn select_kinds() {
        let h = HookBuilder::default().path("/bin/true").build().unwrap();
        let hooks = oci_spec::runtime::HooksBuilder::default()
            .poststop(vec![h.clone()])
            .build()
            .unwrap();
        assert_eq!(HookKind::Poststop.select(Some(&hooks)).len(), 1);
        assert!(HookKind::Poststart.select(Some(&hooks)).is_empty());
        assert!(HookKind::Prestart.select(None).is_empty());
    }
}
