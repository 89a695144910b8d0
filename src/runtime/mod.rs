//! The built-in OCI runtime (runtime-spec 1.2): a library API used in-process
//! by the engine, and the runc-compatible `skiff runtime` command line.
pub mod cgroups;
pub mod container;
pub mod error;
pub mod exec;
pub mod hooks;
pub mod idmap;
pub mod init;
pub mod rootfs;
pub mod security;
pub mod spec;
pub mod spec_default;
pub mod state;
pub mod sync;
pub mod tty;
pub use container::{
    CreateOptions, ExecOptions, Runtime, RuntimeOptions, default_spec, signal_from_str,
};
pub use error::RuntimeError;
pub use state::{State, Status};
