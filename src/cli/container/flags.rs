//! TEMP stub
use crate::container::spec::{RestartPolicy, SpecOptions};
#[derive(clap::Args, Debug, Clone)]
pub struct CreateFlags {
    #[arg(long)]
    pub name: Option<String>,
    #[arg(long)]
    pub rm: bool,
    #[arg(short, long)]
    pub interactive: bool,
    #[arg(short, long)]
    pub tty: bool,
    #[arg(long)]
    pub init: bool,
    #[arg(long)]
    pub restart: Option<String>,
    #[arg(long)]
    pub pull: Option<String>,
    #[arg(short = 'l', long = "label")]
    pub label: Vec<String>,
    #[arg(long)]
    pub network: Option<String>,
    pub image: String,
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    pub command: Vec<String>,
}
impl CreateFlags {
    pub fn log_driver(&self) -> anyhow::Result<crate::container::logs::LogDriver> {
        Ok(Default::default())
    }
    pub fn spec_options(&self) -> anyhow::Result<SpecOptions> {
        Ok(SpecOptions {
            command: self.command.clone(),
            tty: self.tty,
            interactive: self.interactive,
            init: self.init,
            ..Default::default()
        })
    }
    pub fn restart_policy(&self) -> anyhow::Result<RestartPolicy> {
        Ok(match self.restart.as_deref() {
            Some("always") => RestartPolicy::Always,
            Some(s) if s.starts_with("on-failure") => {
                RestartPolicy::OnFailure(s.split(':').nth(1).and_then(|n| n.parse().ok()))
            }
            _ => RestartPolicy::No,
        })
    }
}
