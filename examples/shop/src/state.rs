//! The application state every handler shares.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use mailtest_mailer::AsyncMailer;
use tokio::sync::mpsc;

use crate::accounts::Accounts;
use crate::orders::Order;
use crate::worker;

/// Orders waiting for their receipt; a full queue makes `POST /orders` wait.
const RECEIPT_QUEUE: usize = 1024;

/// What the handlers share: the mailer, the accounts, and the receipt queue.
/// Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub(crate) mailer: AsyncMailer,
    /// Where the links in emails point, e.g. `https://shop.example.com`.
    pub(crate) base_url: Arc<str>,
    pub(crate) accounts: Arc<Mutex<Accounts>>,
    pub(crate) receipts: mpsc::Sender<Order>,
    next_order: Arc<AtomicU64>,
}

impl AppState {
    /// The state of a shop whose emails link to `base_url`, and its receipt
    /// worker, spawned on the current tokio runtime: call it from inside one.
    pub fn start(mailer: AsyncMailer, base_url: &str) -> AppState {
        let (receipts, queue) = mpsc::channel(RECEIPT_QUEUE);
        tokio::spawn(worker::send_receipts(mailer.clone(), queue));
        AppState {
            mailer,
            base_url: base_url.trim_end_matches('/').into(),
            accounts: Arc::default(),
            receipts,
            next_order: Arc::new(AtomicU64::new(1)),
        }
    }

    pub(crate) fn accounts(&self) -> MutexGuard<'_, Accounts> {
        // A handler that panicked left nothing half-written: the accounts
        // change in single insertions.
        self.accounts.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn next_order_id(&self) -> u64 {
        self.next_order.fetch_add(1, Ordering::Relaxed)
    }

    pub(crate) fn link(&self, path: &str, token: &str) -> String {
        format!("{}{path}?token={token}", self.base_url)
    }
}
