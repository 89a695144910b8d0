//! Capabilities, seccomp, no_new_privs, AppArmor.
