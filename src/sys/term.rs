//! Terminal helpers.
use std::os::fd::AsFd;

use rustix::termios::{self, LocalModes, OptionalActions, Termios};

/// Turns terminal echo off (for password prompts) until dropped.
pub struct EchoOff<'a, F: AsFd> {
    fd: &'a F,
    saved: Option<Termios>,
}

impl<'a, F: AsFd> EchoOff<'a, F> {
    pub fn new(fd: &'a F) -> Self {
        let saved = termios::tcgetattr(fd).ok();
        if let Some(t) = &saved {
            let mut quiet = t.clone();
            quiet.local_modes.remove(LocalModes::ECHO);
            let _ = termios::tcsetattr(fd, OptionalActions::Now, &quiet);
        }
        EchoOff { fd, saved }
    }
}

impl<F: AsFd> Drop for EchoOff<'_, F> {
    fn drop(&mut self) {
        if let Some(t) = &self.saved {
            let _ = termios::tcsetattr(self.fd, OptionalActions::Now, t);
        }
    }
}
