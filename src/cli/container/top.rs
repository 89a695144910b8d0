//! top: a running container's processes, shown by the host's ps(1).
use anyhow::bail;
use clap::Args;

use super::run::container_store;
use crate::cli::Ctx;
use crate::container::{Status, lifecycle, procs};

#[derive(Args, Debug)]
pub struct TopArgs {
    #[arg(value_name = "CONTAINER")]
    pub container: String,
    /// ps(1) options (default -ef)
    #[arg(
        trailing_var_arg = true,
        allow_hyphen_values = true,
        value_name = "PS_OPTIONS"
    )]
    pub ps_args: Vec<String>,
}

pub fn top(ctx: &Ctx, a: TopArgs) -> anyhow::Result<u8> {
    let store = container_store(ctx);
    let c = lifecycle::refresh(&store, store.lookup(&a.container)?)?;
    if !matches!(c.state.status, Status::Running | Status::Paused) {
        bail!(
            "container {} is {}: top needs a running container",
            c.name,
            c.state.status.as_str()
        );
    }
    let pids = procs::processes(&ctx.paths, &c);
    print!("{}", crate::cli::runtime::ps_table(&pids, &a.ps_args)?);
    Ok(0)
}
