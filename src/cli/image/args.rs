//! Flags of the image commands (shared by `skiff` and `skiff image`).
use std::path::PathBuf;

use clap::Args;

#[derive(Args, Debug, Clone)]
pub struct RegistryFlags {
    /// Require HTTPS and verify certificates (false: allow HTTP and self-signed TLS)
    #[arg(long, value_name = "BOOL", num_args = 0..=1, default_missing_value = "true")]
    pub tls_verify: Option<bool>,
    /// Path of the authentication file
    #[arg(long, value_name = "FILE", env = "REGISTRY_AUTH_FILE")]
    pub authfile: Option<PathBuf>,
    /// Credentials USERNAME[:PASSWORD] to use instead of stored ones
    #[arg(long, value_name = "USER[:PASS]")]
    pub creds: Option<String>,
}

#[derive(Args, Debug)]
pub struct PullArgs {
    /// Image to pull, e.g. busybox, docker.io/library/alpine:3.20, localhost:5000/app@sha256:…
    pub image: String,
    /// Platform to pull for an image index, as os/arch[/variant]
    #[arg(long)]
    pub platform: Option<String>,
    /// Override the architecture of --platform
    #[arg(long)]
    pub arch: Option<String>,
    /// Override the variant of --platform
    #[arg(long)]
    pub variant: Option<String>,
    /// Print only the image ID
    #[arg(short, long)]
    pub quiet: bool,
    #[command(flatten)]
    pub registry: RegistryFlags,
}

#[derive(Args, Debug)]
pub struct PushArgs {
    /// Local image to push
    pub image: String,
    /// Destination reference (default: the image name itself)
    pub destination: Option<String>,
    /// Do not print progress
    #[arg(short, long)]
    pub quiet: bool,
    /// Write the digest of the pushed manifest to this file
    #[arg(long, value_name = "FILE")]
    pub digestfile: Option<PathBuf>,
    #[command(flatten)]
    pub registry: RegistryFlags,
}

#[derive(Args, Debug)]
pub struct ImagesArgs {
    /// Show only images whose name matches (repository[:tag])
    pub reference: Option<String>,
    /// Show all images (default hides intermediate images; skiff has none)
    #[arg(short, long)]
    pub all: bool,
    /// Only show image IDs
    #[arg(short, long)]
    pub quiet: bool,
    /// Show digests
    #[arg(long)]
    pub digests: bool,
    /// Do not truncate output
    #[arg(long)]
    pub no_trunc: bool,
    /// Format output: table, json, or a Go template
    #[arg(long)]
    pub format: Option<String>,
    /// Filter output (dangling=true|false, reference=PATTERN)
    #[arg(short, long)]
    pub filter: Vec<String>,
    /// Do not print column headings
    #[arg(short = 'n', long)]
    pub noheading: bool,
}

#[derive(Args, Debug)]
pub struct RmiArgs {
    #[arg(required_unless_present = "all")]
    pub images: Vec<String>,
    /// Remove images with several names, or in use
    #[arg(short, long)]
    pub force: bool,
    /// Remove all images
    #[arg(short, long)]
    pub all: bool,
}

#[derive(Args, Debug)]
pub struct TagArgs {
    pub source: String,
    #[arg(required = true)]
    pub targets: Vec<String>,
}

#[derive(Args, Debug)]
pub struct InspectArgs {
    #[arg(required = true)]
    pub images: Vec<String>,
    /// Format the output with a Go template
    #[arg(short, long)]
    pub format: Option<String>,
    /// Object type: container or image (default: either)
    #[arg(long = "type")]
    pub kind: Option<String>,
}

#[derive(Args, Debug)]
pub struct HistoryArgs {
    pub image: String,
    /// Print sizes and dates in human readable format
    #[arg(short = 'H', long, default_value_t = true, num_args = 0..=1, default_missing_value = "true")]
    pub human: bool,
    #[arg(long)]
    pub no_trunc: bool,
    #[arg(short, long)]
    pub quiet: bool,
    #[arg(long)]
    pub format: Option<String>,
}

#[derive(Args, Debug)]
pub struct ImportArgs {
    /// Tarball (plain, gzip or zstd), directory, or - for stdin
    pub source: String,
    /// Name for the new image
    pub reference: Option<String>,
    /// Apply a Dockerfile instruction (CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, USER, WORKDIR, VOLUME, STOPSIGNAL, ONBUILD)
    #[arg(short, long)]
    pub change: Vec<String>,
    /// Commit message recorded in the history
    #[arg(short, long)]
    pub message: Option<String>,
    /// Platform recorded in the config (default: this host)
    #[arg(long)]
    pub platform: Option<String>,
    /// Print only the image ID
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Args, Debug)]
pub struct SaveArgs {
    #[arg(required = true)]
    pub images: Vec<String>,
    /// Write to a file instead of stdout
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// docker-archive (default) or oci-archive
    #[arg(long, default_value = "docker-archive")]
    pub format: String,
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Args, Debug)]
pub struct LoadArgs {
    /// Read from a file instead of stdin
    #[arg(short, long)]
    pub input: Option<PathBuf>,
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Args, Debug)]
pub struct PruneArgs {
    /// Remove all unused images, not just dangling ones
    #[arg(short, long)]
    pub all: bool,
    /// Do not prompt for confirmation
    #[arg(short, long)]
    pub force: bool,
    /// Only images matching: until=TIME, label=KEY[=VALUE], label!=KEY[=VALUE]
    #[arg(long, value_name = "FILTER")]
    pub filter: Vec<String>,
}

#[derive(Args, Debug)]
pub struct LoginArgs {
    pub server: Option<String>,
    #[arg(short, long)]
    pub username: Option<String>,
    #[arg(short, long)]
    pub password: Option<String>,
    /// Read the password from stdin
    #[arg(long)]
    pub password_stdin: bool,
    /// Only check whether credentials exist for the registry
    #[arg(long)]
    pub get_login: bool,
    #[command(flatten)]
    pub registry: RegistryFlags,
}

#[derive(Args, Debug)]
pub struct LogoutArgs {
    pub server: Option<String>,
    /// Remove all stored credentials
    #[arg(short, long)]
    pub all: bool,
    #[arg(long, value_name = "FILE", env = "REGISTRY_AUTH_FILE")]
    pub authfile: Option<PathBuf>,
}
