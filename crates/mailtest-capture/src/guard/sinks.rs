//! The addresses of this process's live SMTP sinks: the only SMTP servers
//! a mailer in a test process may reach.

use std::net::SocketAddr;
use std::sync::{Mutex, PoisonError};

static SINKS: Mutex<Vec<SocketAddr>> = Mutex::new(Vec::new());

/// Keeps a sink's address registered as "of this process" while it lives.
///
/// ```
/// let addr = "127.0.0.1:2525".parse().unwrap();
/// let registration = mailtest_capture::SinkRegistration::new(addr);
/// assert!(mailtest_capture::is_local_sink("localhost", 2525));
/// drop(registration);
/// assert!(!mailtest_capture::is_local_sink("localhost", 2525));
/// ```
#[derive(Debug)]
#[must_use = "the address stops being a sink of this process as soon as this is dropped"]
pub struct SinkRegistration(SocketAddr);

impl SinkRegistration {
    /// Registers `addr` until the registration drops.
    pub fn new(addr: SocketAddr) -> SinkRegistration {
        SINKS.lock().unwrap_or_else(PoisonError::into_inner).push(addr);
        SinkRegistration(addr)
    }
}

impl Drop for SinkRegistration {
    fn drop(&mut self) {
        let mut sinks = SINKS.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(at) = sinks.iter().position(|addr| *addr == self.0) {
            sinks.swap_remove(at);
        }
    }
}

/// Whether any live sink matches: for the test-process rule.
pub(crate) fn any(matches: impl Fn(&SocketAddr) -> bool) -> bool {
    SINKS.lock().unwrap_or_else(PoisonError::into_inner).iter().any(matches)
}
