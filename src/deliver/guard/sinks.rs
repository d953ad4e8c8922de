//! The addresses of this process's live SMTP sinks: the only SMTP servers
//! a mailer in a test process may reach.

use std::net::SocketAddr;
use std::sync::{Mutex, PoisonError};

static SINKS: Mutex<Vec<SocketAddr>> = Mutex::new(Vec::new());

/// Keeps a sink's address registered as "of this process" while it lives.
#[derive(Debug)]
pub(crate) struct SinkRegistration(SocketAddr);

impl SinkRegistration {
    pub(crate) fn new(addr: SocketAddr) -> SinkRegistration {
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
#[cfg(feature = "smtp")]
pub(crate) fn any(matches: impl Fn(&SocketAddr) -> bool) -> bool {
    SINKS.lock().unwrap_or_else(PoisonError::into_inner).iter().any(matches)
}
