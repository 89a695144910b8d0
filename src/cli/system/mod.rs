//! `system df|info|prune|check`.
mod check;
mod df;
mod info;
mod prune;

use clap::Subcommand;

use crate::cli::Ctx;

pub use check::CheckArgs;
pub use df::DfArgs;
pub use info::InfoArgs;
pub use prune::PruneArgs;

#[derive(Subcommand, Debug)]
pub enum SystemCommand {
    /// Show disk usage of images, containers and volumes
    Df(DfArgs),
    /// Display system-wide information
    Info(InfoArgs),
    /// Remove stopped containers, unused images and (with --volumes) volumes
    Prune(PruneArgs),
    /// Check the store for problems, and repair them with --repair
    Check(CheckArgs),
}

/// Commands that read or delete files a container may own under
/// subordinate ids (df: a writable layer's dirs may be unreadable outside).
pub fn needs_userns(cmd: &SystemCommand) -> bool {
    matches!(
        cmd,
        SystemCommand::Df(_) | SystemCommand::Prune(_) | SystemCommand::Check(_)
    )
}

pub fn run(ctx: &Ctx, cmd: SystemCommand) -> anyhow::Result<u8> {
    match cmd {
        SystemCommand::Df(a) => df::df(ctx, a),
        SystemCommand::Info(a) => info::info(ctx, a),
        SystemCommand::Prune(a) => prune::prune(ctx, a),
        SystemCommand::Check(a) => check::check(ctx, a),
    }
}

/// Docker's confirmation prompt; `true` to go on. Without a terminal on
/// stdin there is nobody to ask, and the answer is yes, as with Docker.
fn confirm(warning: &str) -> anyhow::Result<bool> {
    use std::io::IsTerminal;
    if !std::io::stdin().is_terminal() {
        return Ok(true);
    }
    eprint!("{warning}\nAre you sure you want to continue? [y/N] ");
    let mut line = String::new();
    std::io::stdin().read_line(&mut line)?;
    Ok(matches!(line.trim(), "y" | "Y" | "yes"))
}
