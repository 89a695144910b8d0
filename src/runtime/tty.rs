//! Terminals: the console socket protocol and the container pty.
