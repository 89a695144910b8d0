//! skiff: a rootless, daemonless container engine.
pub mod cli;
pub mod config;
pub mod container;
pub mod image;
pub mod network;
pub mod rootless;
pub mod runtime;
pub mod storage;
pub mod sys;
