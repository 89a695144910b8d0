//! Container lifecycle: create, start, state, kill, delete, exec.
