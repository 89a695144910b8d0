//! Command-line front end: clap definitions, dispatch, output.
pub mod container;
pub mod image;
pub mod output;
pub mod pod;
pub mod runtime;
pub mod system;
pub mod units;
pub mod volume;

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context as _;
use clap::{CommandFactory, Parser, Subcommand};

use crate::config::Paths;

/// Which CLI we are impersonating (argv[0]); it only changes output shapes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flavor {
    Skiff,
    Docker,
}

/// Exit codes shared with Docker and Podman.
pub const EXIT_ENGINE: u8 = 125;
pub const EXIT_CANNOT_INVOKE: u8 = 126;
pub const EXIT_NOT_FOUND: u8 = 127;

#[derive(Parser, Debug)]
#[command(
    name = "skiff",
    version,
    about = "A rootless, daemonless container engine",
    propagate_version = true,
    max_term_width = 100
)]
pub struct Cli {
    /// Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)
    #[arg(long, global = true, env = "SKIFF_ROOT", value_name = "DIR")]
    pub root: Option<PathBuf>,
    /// Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)
    #[arg(long, global = true, env = "SKIFF_RUNROOT", value_name = "DIR")]
    pub runroot: Option<PathBuf>,
    /// Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)
    #[arg(long, global = true, env = "SKIFF_STORAGE_DRIVER", value_name = "NAME")]
    pub storage_driver: Option<String>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Pull an image from a registry
    Pull(image::PullArgs),
    /// Push an image to a registry
    Push(image::PushArgs),
    /// List images
    #[command(alias = "image-ls")]
    Images(image::ImagesArgs),
    /// Remove one or more images
    Rmi(image::RmiArgs),
    /// Create a tag TARGET that refers to SOURCE
    Tag(image::TagArgs),
    /// Display detailed information on images
    Inspect(image::InspectArgs),
    /// Show the history of an image
    History(image::HistoryArgs),
    /// Create an image from a tarball or directory of a root filesystem
    Import(image::ImportArgs),
    /// Save images to a tar archive (docker-archive or oci-archive)
    Save(image::SaveArgs),
    /// Load images from a tar archive
    Load(image::LoadArgs),
    /// Log in to a registry
    Login(image::LoginArgs),
    /// Log out from a registry
    Logout(image::LogoutArgs),
    /// Manage images
    Image {
        #[command(subcommand)]
        command: ImageCommand,
    },
    /// Create and run a container from an image
    Run(Box<container::RunArgs>),
    /// Create a container without starting it
    Create(Box<container::CreateArgs>),
    /// Start one or more containers
    Start(container::StartArgs),
    /// Stop one or more running containers
    Stop(container::StopArgs),
    /// Restart one or more containers
    Restart(container::StopArgs),
    /// Send a signal to one or more running containers
    Kill(container::KillArgs),
    /// Remove one or more containers
    Rm(container::RmArgs),
    /// List containers
    Ps(container::PsArgs),
    /// Fetch the logs of a container
    Logs(container::LogsArgs),
    /// Run a command in a running container
    Exec(container::ExecArgs),
    /// Block until containers stop, then print their exit codes
    Wait(container::WaitArgs),
    /// Attach to a running container's input and output
    Attach(container::AttachArgs),
    /// Rename a container
    Rename(container::RenameArgs),
    /// Pause all processes in containers
    Pause(container::ContainersArgs),
    /// Unpause all processes in containers
    Unpause(container::ContainersArgs),
    /// Show the changes to a container's filesystem
    Diff(container::DiffArgs),
    /// Create a new image from a container's changes
    Commit(container::CommitArgs),
    /// Export a container's filesystem as a tar archive
    Export(container::ExportArgs),
    /// Copy files between a container and the host
    Cp(container::CpArgs),
    /// List a container's published ports
    Port(container::PortArgs),
    /// Display the running processes of a container
    Top(container::TopArgs),
    /// Display a live stream of containers' resource usage
    Stats(container::StatsArgs),
    /// Manage containers
    Container {
        #[command(subcommand)]
        command: ContainerCommand,
    },
    /// Manage skiff: disk usage, information, pruning, store checks
    System {
        #[command(subcommand)]
        command: system::SystemCommand,
    },
    /// Display system-wide information
    Info(system::InfoArgs),
    /// Manage volumes
    Volume {
        #[command(subcommand)]
        command: volume::VolumeCommand,
    },
    /// Manage pods: containers sharing network, IPC and UTS namespaces
    Pod {
        #[command(subcommand)]
        command: pod::PodCommand,
    },
    /// Run a command inside skiff's user namespace
    Unshare {
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        command: Vec<String>,
    },
    /// The built-in OCI runtime, with runc's command line
    #[command(disable_version_flag = true)]
    Runtime(Box<runtime::RuntimeArgs>),
    /// Show version information
    Version,
    /// Print a shell completion script (bash, zsh, fish)
    Completion { shell: clap_complete::Shell },
    /// Write man pages to a directory
    #[command(hide = true)]
    GenerateMan { dir: PathBuf },
}

#[derive(Subcommand, Debug)]
pub enum ImageCommand {
    /// List images
    #[command(visible_alias = "list")]
    Ls(image::ImagesArgs),
    /// Pull an image from a registry
    Pull(image::PullArgs),
    /// Push an image to a registry
    Push(image::PushArgs),
    /// Remove one or more images
    Rm(image::RmiArgs),
    /// Create a tag TARGET that refers to SOURCE
    Tag(image::TagArgs),
    /// Display detailed information on images
    Inspect(image::InspectArgs),
    /// Show the history of an image
    History(image::HistoryArgs),
    /// Create an image from a tarball or directory
    Import(image::ImportArgs),
    /// Save images to a tar archive
    Save(image::SaveArgs),
    /// Load images from a tar archive
    Load(image::LoadArgs),
    /// Remove unused images
    Prune(image::PruneArgs),
}

#[derive(Subcommand, Debug)]
pub enum ContainerCommand {
    /// Create and run a container from an image
    Run(Box<container::RunArgs>),
    /// Create a container without starting it
    Create(Box<container::CreateArgs>),
    /// Start one or more containers
    Start(container::StartArgs),
    /// Stop one or more running containers
    Stop(container::StopArgs),
    /// Restart one or more containers
    Restart(container::StopArgs),
    /// Send a signal to one or more running containers
    Kill(container::KillArgs),
    /// Remove one or more containers
    Rm(container::RmArgs),
    /// List containers
    #[command(visible_alias = "list")]
    Ls(container::PsArgs),
    /// Display detailed information on containers
    Inspect(container::ContainerInspectArgs),
    /// Fetch the logs of a container
    Logs(container::LogsArgs),
    /// Run a command in a running container
    Exec(container::ExecArgs),
    /// Block until containers stop, then print their exit codes
    Wait(container::WaitArgs),
    /// Attach to a running container's input and output
    Attach(container::AttachArgs),
    /// Rename a container
    Rename(container::RenameArgs),
    /// Pause all processes in containers
    Pause(container::ContainersArgs),
    /// Unpause all processes in containers
    Unpause(container::ContainersArgs),
    /// Remove all stopped containers
    Prune(container::PruneArgs),
    /// Show the changes to a container's filesystem
    Diff(container::DiffArgs),
    /// Create a new image from a container's changes
    Commit(container::CommitArgs),
    /// Export a container's filesystem as a tar archive
    Export(container::ExportArgs),
    /// Copy files between a container and the host
    Cp(container::CpArgs),
    /// List a container's published ports
    Port(container::PortArgs),
    /// Display the running processes of a container
    Top(container::TopArgs),
    /// Display a live stream of containers' resource usage
    Stats(container::StatsArgs),
}

/// State shared by the commands of one invocation.
pub struct Ctx {
    pub flavor: Flavor,
    pub paths: Paths,
    pub storage_driver: Option<String>,
    pub settings: crate::config::settings::Settings,
    store: std::sync::OnceLock<Arc<crate::image::store::Store>>,
}

impl Ctx {
    pub fn store(&self) -> anyhow::Result<Arc<crate::image::store::Store>> {
        if let Some(s) = self.store.get() {
            return Ok(Arc::clone(s));
        }
        let s = Arc::new(crate::image::store::Store::open(&self.paths)?);
        Ok(Arc::clone(self.store.get_or_init(|| s)))
    }
}

/// Commands that write layers (or delete them) run inside the user namespace
/// so file ownership maps through the subuid range.
fn needs_userns(cmd: &Command) -> bool {
    match cmd {
        Command::Pull(_)
        | Command::Rmi(_)
        | Command::Import(_)
        | Command::Load(_)
        | Command::Unshare { .. } => true,
        Command::Run(_)
        | Command::Create(_)
        | Command::Start(_)
        | Command::Restart(_)
        | Command::Rm(_)
        | Command::Diff(_)
        | Command::Commit(_)
        | Command::Export(_) => true,
        Command::Container { command } => matches!(
            command,
            ContainerCommand::Run(_)
                | ContainerCommand::Create(_)
                | ContainerCommand::Start(_)
                | ContainerCommand::Restart(_)
                | ContainerCommand::Rm(_)
                | ContainerCommand::Prune(_)
                | ContainerCommand::Diff(_)
                | ContainerCommand::Commit(_)
                | ContainerCommand::Export(_)
        ),
        Command::Image { command } => matches!(
            command,
            ImageCommand::Pull(_)
                | ImageCommand::Rm(_)
                | ImageCommand::Import(_)
                | ImageCommand::Load(_)
                | ImageCommand::Prune(_)
        ),
        Command::Volume { command } => volume::needs_userns(command),
        Command::System { command } => system::needs_userns(command),
        Command::Pod { command } => pod::needs_userns(command),
        _ => false,
    }
}

pub fn run(flavor: Flavor) -> anyhow::Result<u8> {
    // `skiff runtime ...` skips skiff's globals and config (hot path for
    // tools that call the runtime per container operation).
    if let Some(result) = runtime::intercept() {
        return result;
    }
    if let Some(result) = crate::container::monitor::intercept() {
        return result;
    }
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            use clap::error::ErrorKind;
            let _ = e.print();
            return Ok(match e.kind() {
                ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => 0,
                ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => EXIT_ENGINE,
                _ => EXIT_ENGINE,
            });
        }
    };
    if let Some(cp) = match &cli.command {
        Command::Cp(a)
        | Command::Container {
            command: ContainerCommand::Cp(a),
        } => Some(a),
        _ => None,
    } {
        enter_for_cp(&cli, cp)?;
    } else if needs_userns(&cli.command) {
        // Decided once, outside (not again in the re-executed child).
        let outside = crate::sys::effective_uid() != 0
            && std::env::var_os(crate::rootless::MARKER_ENV).is_none();
        let join = if outside {
            let paths = Paths::detect(cli.root.as_deref(), cli.runroot.as_deref())?;
            pod::userns_to_join(&paths, &cli.command)
        } else {
            None
        };
        match join {
            Some(monitor) => crate::rootless::join_userns_of(monitor)
                .context("joining the user namespace of the containers to share namespaces with")?,
            None => {
                crate::rootless::ensure_userns().context("entering the user namespace")?;
            }
        }
    }
    let paths = Paths::detect(cli.root.as_deref(), cli.runroot.as_deref())?;
    let settings = crate::config::settings::Settings::load(&paths)?;
    let ctx = Ctx {
        flavor,
        storage_driver: cli
            .storage_driver
            .clone()
            .or_else(|| settings.storage_driver.clone()),
        settings,
        paths,
        store: std::sync::OnceLock::new(),
    };
    dispatch(&ctx, cli.command)
}

fn dispatch(ctx: &Ctx, cmd: Command) -> anyhow::Result<u8> {
    use image as i;
    match cmd {
        Command::Pull(a)
        | Command::Image {
            command: ImageCommand::Pull(a),
        } => i::pull(ctx, a),
        Command::Push(a)
        | Command::Image {
            command: ImageCommand::Push(a),
        } => i::push(ctx, a),
        Command::Images(a)
        | Command::Image {
            command: ImageCommand::Ls(a),
        } => i::images(ctx, a),
        Command::Rmi(a)
        | Command::Image {
            command: ImageCommand::Rm(a),
        } => i::rmi(ctx, a),
        Command::Tag(a)
        | Command::Image {
            command: ImageCommand::Tag(a),
        } => i::tag(ctx, a),
        Command::Inspect(a)
        | Command::Image {
            command: ImageCommand::Inspect(a),
        } => i::inspect(ctx, a),
        Command::History(a)
        | Command::Image {
            command: ImageCommand::History(a),
        } => i::history(ctx, a),
        Command::Import(a)
        | Command::Image {
            command: ImageCommand::Import(a),
        } => i::import(ctx, a),
        Command::Save(a)
        | Command::Image {
            command: ImageCommand::Save(a),
        } => i::save(ctx, a),
        Command::Load(a)
        | Command::Image {
            command: ImageCommand::Load(a),
        } => i::load(ctx, a),
        Command::Image {
            command: ImageCommand::Prune(a),
        } => i::prune(ctx, a),
        Command::Volume { command } => volume::run(ctx, command),
        Command::Pod { command } => pod::run(ctx, command),
        Command::Login(a) => i::login(ctx, a),
        Command::Logout(a) => i::logout(ctx, a),
        Command::Unshare { command } => {
            Ok(crate::rootless::unshare_command(&command).map(|c| c.clamp(0, 255) as u8)?)
        }
        Command::Runtime(args) => runtime::run(*args),
        Command::Run(a) => container::run(ctx, *a),
        Command::Create(a) => container::create(ctx, *a),
        Command::Start(a) => container::start(ctx, a),
        Command::Stop(a) => container::stop(ctx, a),
        Command::Restart(a) => container::restart(ctx, a),
        Command::Kill(a) => container::kill(ctx, a),
        Command::Rm(a) => container::rm(ctx, a),
        Command::Ps(a) => container::ps(ctx, a),
        Command::Logs(a) => container::logs(ctx, a),
        Command::Exec(a) => container::exec(ctx, a),
        Command::Wait(a) => container::wait(ctx, a),
        Command::Attach(a) => container::attach(ctx, a),
        Command::Rename(a) => container::rename(ctx, a),
        Command::Pause(a) => container::pause(ctx, a, true),
        Command::Unpause(a) => container::pause(ctx, a, false),
        Command::Diff(a) => container::diff(ctx, a),
        Command::Commit(a) => container::commit(ctx, a),
        Command::Export(a) => container::export(ctx, a),
        Command::Cp(a) => container::cp(ctx, a),
        Command::Port(a) => container::port(ctx, a),
        Command::Top(a) => container::top(ctx, a),
        Command::Stats(a) => container::stats(ctx, a),
        Command::Container { command } => dispatch_container(ctx, command),
        Command::System { command } => system::run(ctx, command),
        Command::Info(a) => system::run(ctx, system::SystemCommand::Info(a)),
        Command::Version => {
            version(ctx);
            Ok(0)
        }
        Command::Completion { shell } => {
            let mut cmd = Cli::command();
            clap_complete::generate(shell, &mut cmd, "skiff", &mut std::io::stdout());
            Ok(0)
        }
        Command::GenerateMan { dir } => {
            generate_man(&dir)?;
            Ok(0)
        }
    }
}

/// `cp` with a running rootless container joins its monitor's user
/// namespace (to reach `/proc/<pid>/root` with the container's rights);
/// with a stopped one it assembles the filesystem in a namespace of its own.
fn enter_for_cp(cli: &Cli, a: &container::CpArgs) -> anyhow::Result<()> {
    let paths = Paths::detect(cli.root.as_deref(), cli.runroot.as_deref())?;
    let running = container::cp_container(a).and_then(|k| container::running_target(&paths, k));
    match running {
        Some(c) => crate::rootless::join_userns_of(c.state.monitor_pid)
            .context("joining the container's user namespace")?,
        None => {
            crate::rootless::ensure_userns().context("entering the user namespace")?;
        }
    }
    Ok(())
}

fn dispatch_container(ctx: &Ctx, cmd: ContainerCommand) -> anyhow::Result<u8> {
    use ContainerCommand as C;
    match cmd {
        C::Run(a) => container::run(ctx, *a),
        C::Create(a) => container::create(ctx, *a),
        C::Start(a) => container::start(ctx, a),
        C::Stop(a) => container::stop(ctx, a),
        C::Restart(a) => container::restart(ctx, a),
        C::Kill(a) => container::kill(ctx, a),
        C::Rm(a) => container::rm(ctx, a),
        C::Ls(a) => container::ps(ctx, a),
        C::Inspect(a) => container::inspect_containers(ctx, a),
        C::Logs(a) => container::logs(ctx, a),
        C::Exec(a) => container::exec(ctx, a),
        C::Wait(a) => container::wait(ctx, a),
        C::Attach(a) => container::attach(ctx, a),
        C::Rename(a) => container::rename(ctx, a),
        C::Pause(a) => container::pause(ctx, a, true),
        C::Unpause(a) => container::pause(ctx, a, false),
        C::Prune(a) => container::prune(ctx, a),
        C::Diff(a) => container::diff(ctx, a),
        C::Commit(a) => container::commit(ctx, a),
        C::Export(a) => container::export(ctx, a),
        C::Cp(a) => container::cp(ctx, a),
        C::Port(a) => container::port(ctx, a),
        C::Top(a) => container::top(ctx, a),
        C::Stats(a) => container::stats(ctx, a),
    }
}

fn version(ctx: &Ctx) {
    let name = match ctx.flavor {
        Flavor::Docker => "Docker-compatible skiff",
        Flavor::Skiff => "skiff",
    };
    println!("{name} version {}", env!("CARGO_PKG_VERSION"));
    println!(
        "OS/Arch: linux/{}",
        crate::image::manifest::Platform::host().architecture
    );
}

/// Writes `skiff.1` and one page per subcommand (`skiff-pull.1`, ...).
fn generate_man(dir: &std::path::Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    fn write(cmd: clap::Command, name: String, dir: &std::path::Path) -> anyhow::Result<()> {
        let mut buf = Vec::new();
        clap_mangen::Man::new(cmd.clone().name(name.clone())).render(&mut buf)?;
        let path = dir.join(format!("{name}.1"));
        std::fs::write(&path, buf).with_context(|| format!("writing {}", path.display()))?;
        for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
            write(sub.clone(), format!("{name}-{}", sub.get_name()), dir)?;
        }
        Ok(())
    }
    write(Cli::command(), "skiff".to_string(), dir)
}

/// Docker's exit-code convention for engine errors.
pub fn exit_code(e: &anyhow::Error) -> u8 {
    // `skiff unshare CMD`: 127 when CMD is not found, 126 when it cannot run.
    if let Some(r) = e.downcast_ref::<crate::rootless::RootlessError>() {
        return u8::try_from(r.exit_code()).unwrap_or(EXIT_ENGINE);
    }
    if let Some(f) = e.downcast_ref::<container::CommandFailed>() {
        return f.code;
    }
    EXIT_ENGINE
}

/// One line: the outermost context, then the root cause if it adds anything.
pub fn error_line(e: &anyhow::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    for cause in e.chain() {
        let s = cause.to_string();
        if s.is_empty() || parts.iter().any(|p| p.contains(&s)) {
            continue;
        }
        parts.push(s);
    }
    parts.join(": ").replace('\n', " ")
}
