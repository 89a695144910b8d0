//! Cgroups v1, v2 and none: resources, freezer, pids, stats.
