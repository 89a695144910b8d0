//! Containers: records, spec generation from image config plus options,
//! lifecycle, the per-container monitor, logs and volumes.
pub mod initbin;
pub mod logs;
pub mod names;
pub mod spec;
pub mod volumes;
