//! `skiff runtime ...` and `skiff-runtime ...`: runc's command line over the
//! built-in runtime (`crate::runtime::container::Runtime`), so tools that take
//! a runtime path (podman, conmon, containerd shims, the OCI validation suite)
//! can drive it.
//!
//! Conventions kept from runc, which those tools rely on:
//! - an error is ONE line on stderr and exit code 1; with `--log FILE` the
//!   same message is also appended to FILE as a logrus-style line, text
//!   (`time="…" level=error msg="…"`) or, with `--log-format json`, JSON
//!   (`{"level":"error","msg":"…","time":"…"}`). Podman classifies runtime
//!   errors by their text: messages containing "executable file not found"
//!   or "no such file or directory" become exit 127, "permission denied" or
//!   "operation not permitted" exit 126, anything else 125 (it reads stderr
//!   through conmon, or the JSON log's `msg` for runtimes it knows to log
//!   JSON). So errors must keep the OS error text.
//! - `run` and foreground `exec` exit with the container process's code
//!   (128+signal when it was killed).
//! - `--systemd-cgroup`, `--rootless`, `--no-new-keyring` are accepted; the
//!   runtime detects rootless itself.
//!
//! Differences, on purpose: `exec -e K=V` replaces an existing `K` instead of
//! appending a duplicate (getenv would return the spec's value first), and a
//! terminal needs `--console-socket` (no built-in pty proxy).
use std::ffi::OsString;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};
use clap::{Args, Parser, Subcommand, ValueEnum};
use oci_spec::runtime::{
    Capability, LinuxBlockIo, LinuxCpu, LinuxMemory, LinuxPids, LinuxResources, Process, Spec,
};

use crate::runtime::container::{self as rt, CreateOptions, ExecOptions, Runtime, RuntimeOptions};

/// The runc-compatible front end when invoked as `skiff-runtime`.
#[derive(Parser, Debug)]
#[command(
    name = "skiff-runtime",
    about = "skiff's OCI runtime, with runc's command line",
    disable_version_flag = true,
    max_term_width = 100
)]
pub struct RuntimeCli {
    #[command(flatten)]
    pub args: RuntimeArgs,
}

/// Global options and the command (`skiff runtime [OPTIONS] COMMAND`).
#[derive(Args, Debug)]
pub struct RuntimeArgs {
    /// Directory for container state (default: /run/skiff/runtime as root,
    /// $XDG_RUNTIME_DIR/skiff/runtime otherwise)
    // Same id as skiff's global `--root`, so clap does not propagate that
    // one (storage root) into this command.
    #[arg(long = "root", id = "root", value_name = "DIR")]
    pub state_root: Option<PathBuf>,
    /// Also write errors (and debug lines) to FILE
    #[arg(long, value_name = "FILE")]
    pub log: Option<PathBuf>,
    /// Format of --log lines
    #[arg(long, value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
    /// Log debug information
    #[arg(long)]
    pub debug: bool,
    /// Use systemd for cgroups (accepted for compatibility)
    #[arg(long)]
    pub systemd_cgroup: bool,
    /// Rootless mode: auto, true or false (accepted; detected automatically)
    #[arg(long, value_name = "MODE", default_value = "auto", value_parser = ["auto", "true", "false"])]
    pub rootless: String,
    /// Print the version
    #[arg(short = 'v', long)]
    pub version: bool,
    #[command(subcommand)]
    pub command: Option<RuntimeCommand>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Table,
    Json,
}

#[derive(Subcommand, Debug)]
pub enum RuntimeCommand {
    /// Create a container (its process waits for `start`)
    Create(CreateArgs),
    /// Start the user process of a created container
    Start { id: String },
    /// Create and start a container; wait for it unless --detach
    Run {
        /// Return once the container has started
        #[arg(short, long)]
        detach: bool,
        #[command(flatten)]
        create: CreateArgs,
    },
    /// Print the state of a container as JSON
    State { id: String },
    /// Send a signal to the container's init (or all its processes)
    Kill {
        /// Signal every process of the container
        #[arg(short, long)]
        all: bool,
        id: String,
        /// Name (KILL, SIGKILL) or number; default SIGTERM
        signal: Option<String>,
    },
    /// Delete a container (must be stopped unless --force)
    Delete {
        /// Kill the container first if it is running
        #[arg(short, long)]
        force: bool,
        id: String,
    },
    /// Run a new process inside a container
    Exec(ExecArgs),
    /// List the processes of a container
    Ps {
        #[arg(short, long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
        id: String,
        /// Options for ps(1) (default -ef)
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        ps_args: Vec<String>,
    },
    /// List containers
    List {
        #[arg(short, long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
        /// Print only the container IDs
        #[arg(short, long)]
        quiet: bool,
    },
    /// Print the features this runtime supports, as JSON
    Features,
    /// Freeze all processes of a container
    Pause { id: String },
    /// Thaw a paused container
    Resume { id: String },
    /// Change a running container's resource limits
    Update(UpdateArgs),
    /// Write a default config.json
    Spec {
        /// A spec for rootless containers (user namespace, no cgroup mount)
        #[arg(long)]
        rootless: bool,
        /// Directory to write config.json to
        #[arg(short, long, value_name = "DIR")]
        bundle: Option<PathBuf>,
    },
}

#[derive(Args, Debug)]
pub struct CreateArgs {
    /// Bundle directory (holds config.json)
    #[arg(short, long, value_name = "DIR")]
    pub bundle: Option<PathBuf>,
    /// Write the container's init pid to FILE
    #[arg(long, value_name = "FILE")]
    pub pid_file: Option<PathBuf>,
    /// Unix socket that receives the pty master (when process.terminal)
    #[arg(long, value_name = "PATH")]
    pub console_socket: Option<PathBuf>,
    /// Do not use pivot_root (MS_MOVE + chroot; for ramfs roots)
    #[arg(long)]
    pub no_pivot: bool,
    /// Do not create a new session keyring (accepted)
    #[arg(long)]
    pub no_new_keyring: bool,
    /// Pass N extra fds (3 .. 3+N-1) to the container process
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub preserve_fds: u32,
    pub id: String,
}

#[derive(Args, Debug, Default)]
pub struct ExecArgs {
    /// process.json to run (instead of the flags and COMMAND)
    #[arg(short, long, value_name = "FILE")]
    pub process: Option<PathBuf>,
    /// Allocate a pseudo-TTY (needs --console-socket)
    #[arg(short, long)]
    pub tty: bool,
    #[arg(long, value_name = "PATH")]
    pub console_socket: Option<PathBuf>,
    #[arg(long, value_name = "FILE")]
    pub pid_file: Option<PathBuf>,
    /// Return once the process has started
    #[arg(short, long)]
    pub detach: bool,
    /// Working directory in the container
    #[arg(long, value_name = "DIR")]
    pub cwd: Option<PathBuf>,
    /// Set an environment variable (K=V)
    #[arg(short, long, value_name = "K=V")]
    pub env: Vec<String>,
    /// UID[:GID] to run as
    #[arg(short, long, value_name = "UID[:GID]")]
    pub user: Option<String>,
    /// Additional group ids
    #[arg(short = 'g', long, value_name = "GID", value_delimiter = ',')]
    pub additional_gids: Vec<u32>,
    /// Add a capability (bounding, effective, permitted; ambient too when
    /// the spec sets inheritable ones)
    #[arg(short, long, value_name = "CAP")]
    pub cap: Vec<String>,
    /// Set no_new_privileges
    #[arg(long)]
    pub no_new_privs: bool,
    /// SELinux process label
    #[arg(long, value_name = "LABEL")]
    pub process_label: Option<String>,
    /// AppArmor profile
    #[arg(long, value_name = "PROFILE")]
    pub apparmor: Option<String>,
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub preserve_fds: u32,
    /// Exec even when the container is paused (accepted)
    #[arg(long)]
    pub ignore_paused: bool,
    pub id: String,
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    pub command: Vec<String>,
}

#[derive(Args, Debug, Default)]
pub struct UpdateArgs {
    /// JSON file with LinuxResources ("-" for stdin); flags override it
    #[arg(short, long, value_name = "FILE")]
    pub resources: Option<PathBuf>,
    /// Memory limit (bytes, or 512m, 1g...; -1 for none)
    #[arg(long, allow_hyphen_values = true)]
    pub memory: Option<String>,
    #[arg(long, allow_hyphen_values = true)]
    pub memory_reservation: Option<String>,
    /// Memory plus swap limit (-1 for unlimited)
    #[arg(long, allow_hyphen_values = true)]
    pub memory_swap: Option<String>,
    #[arg(long = "cpu-share", alias = "cpu-shares")]
    pub cpu_shares: Option<u64>,
    #[arg(long, allow_hyphen_values = true)]
    pub cpu_quota: Option<i64>,
    #[arg(long)]
    pub cpu_period: Option<u64>,
    #[arg(long)]
    pub cpu_rt_period: Option<u64>,
    #[arg(long)]
    pub cpu_rt_runtime: Option<i64>,
    #[arg(long)]
    pub cpuset_cpus: Option<String>,
    #[arg(long)]
    pub cpuset_mems: Option<String>,
    #[arg(long, allow_hyphen_values = true)]
    pub pids_limit: Option<i64>,
    #[arg(long)]
    pub blkio_weight: Option<u16>,
    pub id: String,
}

/// `skiff-runtime ARGS` (argv[0] dispatch from main).
pub fn main() -> anyhow::Result<u8> {
    parse_and_run(std::env::args_os())
}

/// `skiff runtime ARGS`, when `runtime` is the first argument: parsed here
/// directly so skiff's own globals and config loading are skipped.
pub fn intercept() -> Option<anyhow::Result<u8>> {
    let mut args = std::env::args_os();
    let argv0 = args.next()?;
    let first = args.next()?;
    if first != "runtime" {
        return None;
    }
    let mut name = argv0;
    name.push(" runtime");
    Some(parse_and_run(std::iter::once(name).chain(args)))
}

fn parse_and_run(args: impl IntoIterator<Item = OsString>) -> anyhow::Result<u8> {
    match RuntimeCli::try_parse_from(args) {
        Ok(cli) => run(cli.args),
        Err(e) => {
            use clap::error::ErrorKind;
            let _ = e.print();
            Ok(match e.kind() {
                ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => 0,
                _ => 1,
            })
        }
    }
}

/// Runs one runtime command. Errors are reported here (stderr and --log) and
/// turned into exit code 1, so this only fails if even that is impossible.
pub fn run(args: RuntimeArgs) -> anyhow::Result<u8> {
    let log = Log {
        path: args.log.clone(),
        json: args.log_format == LogFormat::Json,
    };
    if args.debug {
        let argv: Vec<String> = std::env::args().collect();
        log.write("debug", &argv.join(" "));
    }
    match execute(&args) {
        Ok(code) => Ok(code),
        Err(e) => {
            let line = super::error_line(&e);
            log.write("error", &line);
            eprintln!("{line}");
            Ok(1)
        }
    }
}

fn execute(args: &RuntimeArgs) -> anyhow::Result<u8> {
    if args.version {
        println!("skiff-runtime version {}", env!("CARGO_PKG_VERSION"));
        let features = Runtime::features();
        let spec = features["ociVersionMax"]
            .as_str()
            .unwrap_or(oci_spec::runtime::VERSION);
        println!("spec: {spec}");
        return Ok(0);
    }
    let Some(command) = &args.command else {
        let mut cmd = <RuntimeCli as clap::CommandFactory>::command();
        cmd.print_help()?;
        return Ok(0);
    };
    // Commands that need no state directory.
    match command {
        RuntimeCommand::Features => {
            println!("{}", serde_json::to_string_pretty(&Runtime::features())?);
            return Ok(0);
        }
        RuntimeCommand::Spec { rootless, bundle } => {
            write_default_spec(bundle.as_deref().unwrap_or(Path::new(".")), *rootless)?;
            return Ok(0);
        }
        _ => {}
    }
    let runtime = Runtime::new(RuntimeOptions {
        root: args
            .state_root
            .clone()
            .unwrap_or_else(Runtime::default_root),
        systemd_cgroup: args.systemd_cgroup,
        debug: args.debug,
        log: args.log.as_deref().map(absolute).transpose()?,
        log_format_json: args.log_format == LogFormat::Json,
    });
    match command {
        RuntimeCommand::Create(c) => {
            let (bundle, opts) = create_options(c)?;
            runtime.create(&c.id, &bundle, &opts)?;
            Ok(0)
        }
        RuntimeCommand::Start { id } => {
            runtime.start(id)?;
            Ok(0)
        }
        RuntimeCommand::Run { detach, create } => {
            let (bundle, opts) = create_options(create)?;
            let code = runtime.run(&create.id, &bundle, &opts, *detach)?;
            Ok(code.clamp(0, 255) as u8)
        }
        RuntimeCommand::State { id } => {
            println!("{}", serde_json::to_string_pretty(&runtime.state(id)?)?);
            Ok(0)
        }
        RuntimeCommand::Kill { all, id, signal } => {
            let sig = rt::signal_from_str(signal.as_deref().unwrap_or("SIGTERM"))?;
            runtime.kill(id, sig, *all)?;
            Ok(0)
        }
        RuntimeCommand::Delete { force, id } => {
            runtime.delete(id, *force)?;
            Ok(0)
        }
        RuntimeCommand::Exec(e) => exec(&runtime, e),
        RuntimeCommand::Ps {
            format,
            id,
            ps_args,
        } => ps(&runtime, id, *format, ps_args),
        RuntimeCommand::List { format, quiet } => list(&runtime, *format, *quiet),
        RuntimeCommand::Pause { id } => {
            runtime.pause(id)?;
            Ok(0)
        }
        RuntimeCommand::Resume { id } => {
            runtime.resume(id)?;
            Ok(0)
        }
        RuntimeCommand::Update(u) => {
            let base = match &u.resources {
                Some(p) => Some(read_json_input::<LinuxResources>(p)?),
                None => None,
            };
            runtime.update(&u.id, &update_resources(base, u)?)?;
            Ok(0)
        }
        RuntimeCommand::Features | RuntimeCommand::Spec { .. } => Ok(0),
    }
}

/// Paths are made absolute before the runtime may change directory.
fn absolute(p: &Path) -> anyhow::Result<PathBuf> {
    std::path::absolute(p).with_context(|| format!("resolving {}", p.display()))
}

fn create_options(c: &CreateArgs) -> anyhow::Result<(PathBuf, CreateOptions)> {
    let bundle = absolute(c.bundle.as_deref().unwrap_or(Path::new(".")))?;
    let opts = CreateOptions {
        pid_file: c.pid_file.as_deref().map(absolute).transpose()?,
        console_socket: c.console_socket.as_deref().map(absolute).transpose()?,
        no_pivot: c.no_pivot,
        no_new_keyring: c.no_new_keyring,
        preserve_fds: c.preserve_fds,
    };
    Ok((bundle, opts))
}

fn write_default_spec(bundle: &Path, rootless: bool) -> anyhow::Result<()> {
    let path = bundle.join("config.json");
    let spec = rt::default_spec(rootless);
    let mut data = serde_json::to_vec_pretty(&spec)?;
    data.push(b'\n');
    // create_new refuses an existing file without a check-then-write race.
    let mut f = match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
    {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            bail!("File {} exists. Remove it first", path.display())
        }
        Err(e) => return Err(e).with_context(|| format!("creating {}", path.display())),
    };
    f.write_all(&data)
        .with_context(|| format!("writing {}", path.display()))
}

fn read_json_input<T: serde::de::DeserializeOwned>(path: &Path) -> anyhow::Result<T> {
    let data = if path == Path::new("-") {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut buf).context("reading stdin")?;
        buf
    } else {
        std::fs::read(path).with_context(|| format!("reading {}", path.display()))?
    };
    serde_json::from_slice(&data).with_context(|| format!("parsing {}", path.display()))
}

fn exec(runtime: &Runtime, e: &ExecArgs) -> anyhow::Result<u8> {
    let process = match &e.process {
        Some(p) => read_json_input::<Process>(p)?,
        None => {
            let state = runtime.state(&e.id)?;
            let config = Path::new(&state.bundle).join("config.json");
            let spec =
                Spec::load(&config).with_context(|| format!("loading {}", config.display()))?;
            exec_process(spec.process().as_ref(), e)?
        }
    };
    validate_exec_process(&process)?;
    let terminal = process.terminal().unwrap_or(false);
    if terminal && e.console_socket.is_none() {
        bail!("a terminal needs --console-socket (skiff runtime does not proxy a tty)");
    }
    if !terminal && e.console_socket.is_some() {
        bail!("cannot use a console socket if the process has no terminal (use --tty)");
    }
    let opts = ExecOptions {
        process,
        console_socket: e.console_socket.as_deref().map(absolute).transpose()?,
        pid_file: e.pid_file.as_deref().map(absolute).transpose()?,
        detach: e.detach,
        preserve_fds: e.preserve_fds,
    };
    let code = runtime.exec(&e.id, &opts)?;
    Ok(code.clamp(0, 255) as u8)
}

/// The process `exec` runs without `--process`: the container's process from
/// config.json with the flags applied, as runc builds it.
pub fn exec_process(base: Option<&Process>, e: &ExecArgs) -> anyhow::Result<Process> {
    let mut p = base.cloned().unwrap_or_default();
    p.set_args(Some(e.command.clone()));
    p.set_command_line(None);
    p.set_terminal(Some(e.tty));
    p.set_console_size(None);
    if let Some(cwd) = &e.cwd {
        p.set_cwd(cwd.clone());
    }
    if let Some(profile) = &e.apparmor {
        p.set_apparmor_profile(Some(profile.clone()));
    }
    if let Some(label) = &e.process_label {
        p.set_selinux_label(Some(label.clone()));
    }
    if e.no_new_privs {
        p.set_no_new_privileges(Some(true));
    }
    if !e.env.is_empty() {
        let mut env = p.env().clone().unwrap_or_default();
        for kv in &e.env {
            let key = kv.split('=').next().unwrap_or_default();
            match env.iter_mut().find(|v| v.split('=').next() == Some(key)) {
                Some(v) => *v = kv.clone(),
                None => env.push(kv.clone()),
            }
        }
        p.set_env(Some(env));
    }
    if let Some(user) = &e.user {
        let (uid, gid) = parse_user(user)?;
        p.user_mut().set_uid(uid);
        if let Some(gid) = gid {
            p.user_mut().set_gid(gid);
        }
    }
    if !e.additional_gids.is_empty() {
        let gids = p
            .user_mut()
            .additional_gids_mut()
            .get_or_insert_with(Vec::new);
        gids.extend(&e.additional_gids);
    }
    if !e.cap.is_empty() {
        let mut caps = p.capabilities().clone().unwrap_or_default();
        let with_ambient = caps.inheritable().is_some();
        for name in &e.cap {
            let cap = parse_capability(name)?;
            let add = |set: Option<&oci_spec::runtime::Capabilities>| {
                let mut s = set.cloned().unwrap_or_default();
                s.insert(cap);
                Some(s)
            };
            caps.set_bounding(add(caps.bounding().as_ref()));
            caps.set_effective(add(caps.effective().as_ref()));
            caps.set_permitted(add(caps.permitted().as_ref()));
            if with_ambient {
                caps.set_ambient(add(caps.ambient().as_ref()));
            }
        }
        p.set_capabilities(Some(caps));
    }
    Ok(p)
}

fn validate_exec_process(p: &Process) -> anyhow::Result<()> {
    if p.args().as_ref().is_none_or(|a| a.is_empty()) {
        bail!("exec: no command given (args must not be empty)");
    }
    if !p.cwd().is_absolute() {
        bail!("exec: cwd {:?} is not an absolute path", p.cwd());
    }
    Ok(())
}

/// `UID[:GID]`, numeric as runc takes them.
fn parse_user(s: &str) -> anyhow::Result<(u32, Option<u32>)> {
    let num = |v: &str| {
        v.parse::<u32>()
            .map_err(|_| anyhow::anyhow!("invalid --user {s:?}: want UID[:GID] (numbers)"))
    };
    match s.split_once(':') {
        Some((u, g)) => Ok((num(u)?, Some(num(g)?))),
        None => Ok((num(s)?, None)),
    }
}

/// `CAP_NET_ADMIN`, `NET_ADMIN` or `net_admin`.
fn parse_capability(name: &str) -> anyhow::Result<Capability> {
    let upper = name.to_ascii_uppercase();
    let full = if upper.starts_with("CAP_") {
        upper
    } else {
        format!("CAP_{upper}")
    };
    serde_json::from_value(serde_json::Value::String(full))
        .map_err(|_| anyhow::anyhow!("unknown capability {name:?}"))
}

/// Runc's `update`: the file's resources (if any) with the flags on top.
pub fn update_resources(
    base: Option<LinuxResources>,
    u: &UpdateArgs,
) -> anyhow::Result<LinuxResources> {
    let mut r = base.unwrap_or_default();
    let size = |flag: &str, v: &str| -> anyhow::Result<i64> {
        if v.trim() == "-1" {
            return Ok(-1);
        }
        let n = super::units::parse_size(v).with_context(|| format!("invalid --{flag} {v:?}"))?;
        i64::try_from(n).with_context(|| format!("--{flag} {v:?} is too large"))
    };
    if u.memory.is_some() || u.memory_reservation.is_some() || u.memory_swap.is_some() {
        let mut m: LinuxMemory = (*r.memory()).unwrap_or_default();
        if let Some(v) = &u.memory {
            m.set_limit(Some(size("memory", v)?));
        }
        if let Some(v) = &u.memory_reservation {
            m.set_reservation(Some(size("memory-reservation", v)?));
        }
        if let Some(v) = &u.memory_swap {
            m.set_swap(Some(size("memory-swap", v)?));
        }
        r.set_memory(Some(m));
    }
    let cpu_flags = u.cpu_shares.is_some()
        || u.cpu_quota.is_some()
        || u.cpu_period.is_some()
        || u.cpu_rt_period.is_some()
        || u.cpu_rt_runtime.is_some()
        || u.cpuset_cpus.is_some()
        || u.cpuset_mems.is_some();
    if cpu_flags {
        let mut c: LinuxCpu = r.cpu().clone().unwrap_or_default();
        if u.cpu_shares.is_some() {
            c.set_shares(u.cpu_shares);
        }
        if u.cpu_quota.is_some() {
            c.set_quota(u.cpu_quota);
        }
        if u.cpu_period.is_some() {
            c.set_period(u.cpu_period);
        }
        if u.cpu_rt_period.is_some() {
            c.set_realtime_period(u.cpu_rt_period);
        }
        if u.cpu_rt_runtime.is_some() {
            c.set_realtime_runtime(u.cpu_rt_runtime);
        }
        if u.cpuset_cpus.is_some() {
            c.set_cpus(u.cpuset_cpus.clone());
        }
        if u.cpuset_mems.is_some() {
            c.set_mems(u.cpuset_mems.clone());
        }
        r.set_cpu(Some(c));
    }
    if let Some(limit) = u.pids_limit {
        let mut p: LinuxPids = (*r.pids()).unwrap_or_default();
        p.set_limit(limit);
        r.set_pids(Some(p));
    }
    if let Some(w) = u.blkio_weight {
        let mut b: LinuxBlockIo = r.block_io().clone().unwrap_or_default();
        b.set_weight(Some(w));
        r.set_block_io(Some(b));
    }
    Ok(r)
}

fn ps(runtime: &Runtime, id: &str, format: ListFormat, ps_args: &[String]) -> anyhow::Result<u8> {
    let pids = runtime.ps(id)?;
    if format == ListFormat::Json {
        println!("{}", serde_json::to_string(&pids)?);
        return Ok(0);
    }
    print!("{}", ps_table(&pids, ps_args)?);
    Ok(0)
}

/// Runs ps(1) with `ps_args` (default `-ef`) and keeps the rows of `pids`.
pub fn ps_table(pids: &[i32], ps_args: &[String]) -> anyhow::Result<String> {
    let args: Vec<String> = if ps_args.is_empty() {
        vec!["-ef".into()]
    } else {
        ps_args.to_vec()
    };
    let out = std::process::Command::new("ps")
        .args(&args)
        .output()
        .context("running ps")?;
    if !out.status.success() {
        bail!(
            "ps {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    filter_ps_table(&String::from_utf8_lossy(&out.stdout), pids)
}

/// Keeps ps(1)'s header and the rows whose PID column is one of `pids`.
pub fn filter_ps_table(table: &str, pids: &[i32]) -> anyhow::Result<String> {
    let mut lines = table.lines();
    let header = lines.next().unwrap_or_default();
    let Some(col) = header.split_whitespace().position(|c| c == "PID") else {
        bail!("no PID column in the ps output (header {header:?})");
    };
    let mut out = String::new();
    let _ = writeln!(out, "{header}");
    for line in lines {
        let pid = line
            .split_whitespace()
            .nth(col)
            .and_then(|v| v.parse::<i32>().ok());
        if pid.is_some_and(|p| pids.contains(&p)) {
            let _ = writeln!(out, "{line}");
        }
    }
    Ok(out)
}

fn list(runtime: &Runtime, format: ListFormat, quiet: bool) -> anyhow::Result<u8> {
    let states = runtime.list()?;
    if quiet {
        for s in &states {
            println!("{}", s.id);
        }
        return Ok(0);
    }
    if format == ListFormat::Json {
        println!("{}", serde_json::to_string(&states)?);
        return Ok(0);
    }
    let rows: Vec<serde_json::Value> = states
        .iter()
        .map(serde_json::to_value)
        .collect::<Result<_, _>>()?;
    let columns = [
        ("ID", "id"),
        ("PID", "pid"),
        ("STATUS", "status"),
        ("BUNDLE", "bundle"),
        ("CREATED", "created"),
        ("OWNER", "owner"),
    ];
    let mut text = String::new();
    let _ = writeln!(text, "{}", columns.map(|(h, _)| h).join("\t"));
    for row in &rows {
        let cells: Vec<String> = columns
            .iter()
            .map(|(_, f)| match row.get(*f) {
                Some(serde_json::Value::String(s)) => s.clone(),
                Some(serde_json::Value::Null) | None => {
                    if *f == "pid" {
                        "0".into()
                    } else {
                        String::new()
                    }
                }
                Some(v) => v.to_string(),
            })
            .collect();
        let _ = writeln!(text, "{}", cells.join("\t"));
    }
    print!("{}", align_columns(&text));
    Ok(0)
}

/// Left-aligns tab-separated columns with runc's spacing (min width 12,
/// padding 1).
fn align_columns(text: &str) -> String {
    let rows: Vec<Vec<&str>> = text.lines().map(|l| l.split('\t').collect()).collect();
    let ncol = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..ncol)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|s| s.chars().count() + 1)
                .max()
                .unwrap_or(0)
                .max(12)
        })
        .collect();
    let mut out = String::new();
    for r in rows {
        let last = r.len().saturating_sub(1);
        for (i, cell) in r.iter().enumerate() {
            if i == last {
                out.push_str(cell);
            } else {
                let _ = write!(out, "{cell:<w$}", w = widths[i]);
            }
        }
        out.push('\n');
    }
    out
}

/// `--log FILE`: logrus-style lines, appended (several runtime processes
/// may write one container's log).
struct Log {
    path: Option<PathBuf>,
    json: bool,
}

impl Log {
    fn write(&self, level: &str, msg: &str) {
        let Some(path) = &self.path else { return };
        let line = log_line(self.json, level, msg, chrono::Local::now());
        let res = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .and_then(|mut f| f.write_all(line.as_bytes()));
        if let Err(e) = res {
            eprintln!("writing log {}: {e}", path.display());
        }
    }
}

fn log_line(json: bool, level: &str, msg: &str, now: chrono::DateTime<chrono::Local>) -> String {
    let time = now.to_rfc3339_opts(chrono::SecondsFormat::Nanos, false);
    if json {
        let mut s = serde_json::json!({"level": level, "msg": msg, "time": time}).to_string();
        s.push('\n');
        s
    } else {
        format!(
            "time={} level={level} msg={}\n",
            serde_json::Value::String(time),
            serde_json::Value::String(msg.to_string())
        )
    }
}

#[cfg(test)]
mod tests;
