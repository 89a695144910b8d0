//! The container root filesystem: mounts, devices, pivot_root, masked paths.
