//! The built-in OCI runtime (runtime-spec 1.2): a library API used in-process
//! by the engine, and the runc-compatible `skiff runtime` command line.
pub mod cgroups;
pub mod container;
pub mod rootfs;
pub mod security;
pub mod tty;
