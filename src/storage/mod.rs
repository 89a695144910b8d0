//! The content store: blobs by digest, unpacked layers, rootfs drivers, locks.
pub mod atomic;
pub mod digest;

pub use digest::Digest;
pub mod blobs;
pub mod changes;
pub mod compression;
pub mod driver;
pub mod layers;
pub mod rootfs;
pub mod unpack;
