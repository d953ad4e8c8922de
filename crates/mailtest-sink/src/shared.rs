//! What the event loop, its sessions and the `SmtpSink` handle share: the
//! sink's settings, its outbox and its counters. Below the server and the
//! loop, so that both read it and neither depends on the other for it.

use std::sync::atomic::{AtomicBool, AtomicUsize};

use mailtest_harness::Outbox;

use crate::builder::Config;

/// What the event loop and the `SmtpSink` handle share.
pub(crate) struct Shared {
    pub(crate) config: Config,
    pub(crate) outbox: Outbox,
    pub(crate) stopping: AtomicBool,
    /// Sessions still open (a session leaves before its socket closes).
    pub(crate) sessions: AtomicUsize,
    /// Sessions ever started: how many connections clients made.
    pub(crate) sessions_started: AtomicUsize,
}
