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

/// Puts a terminal in raw mode (for `run -it` / `attach`) until dropped.
pub struct RawMode<'a, F: AsFd> {
    fd: &'a F,
    saved: Option<Termios>,
}

impl<'a, F: AsFd> RawMode<'a, F> {
    pub fn new(fd: &'a F) -> Self {
        let saved = termios::tcgetattr(fd).ok();
        if let Some(t) = &saved {
            let mut raw = t.clone();
            raw.make_raw();
            let _ = termios::tcsetattr(fd, OptionalActions::Now, &raw);
        }
        RawMode { fd, saved }
    }
}

impl<F: AsFd> Drop for RawMode<'_, F> {
    fn drop(&mut self) {
        if let Some(t) = &self.saved {
            let _ = termios::tcsetattr(self.fd, OptionalActions::Now, t);
        }
    }
}

/// The terminal's size as (rows, cols), if `fd` is a terminal.
pub fn window_size(fd: impl AsFd) -> Option<(u16, u16)> {
    termios::tcgetwinsize(fd)
        .ok()
        .filter(|w| w.ws_row > 0 && w.ws_col > 0)
        .map(|w| (w.ws_row, w.ws_col))
}
