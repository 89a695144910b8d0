//! Container commands.
pub mod flags;
