//! Routing by address, for mail sent where no test is bound: a server task,
//! a worker pool, a thread the test never sees.
//!
//! The table is process-wide because that is the point: any thread may send
//! to a routed address. It holds weak handles, so it never keeps an outbox
//! alive, and an outbox takes its routes with it when it drops.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, LazyLock, PoisonError, RwLock, Weak};

use super::{Outbox, Shared};

struct Route {
    outbox_id: u64,
    outbox: Weak<Shared>,
}

static ROUTES: LazyLock<RwLock<HashMap<String, Route>>> = LazyLock::new(Default::default);
static NEXT_ADDRESS: AtomicU64 = AtomicU64::new(1);
/// Whether any route was ever made: lets unrouted programs skip the table.
static ANY_ROUTES: AtomicBool = AtomicBool::new(false);

/// The domain of routed addresses: reserved by RFC 2606, so it can never
/// reach a real mailbox.
const ROUTE_DOMAIN: &str = "example.com";

impl Outbox {
    /// Returns an address that no other test uses and routes any send to it
    /// — through an ambient transport, a `Mailer` or `AsyncMailer`, or
    /// `send_mail` — from any thread, to this outbox.
    ///
    /// Use it when the mail is sent by work that no test thread owns, such as
    /// a shared server or a worker pool, so that binding cannot reach it. The
    /// address looks like `ann-m3x7@example.com`; `local_part` is kept
    /// readable (characters not allowed in an address become `_`). A send
    /// bound to an outbox goes there, as bound; routes serve threads with
    /// nothing bound, and win over the global capture. A message whose recipients route to several outboxes
    /// is captured in each. The route ends when the last handle to the outbox
    /// drops.
    ///
    /// ```
    /// use lettre::Transport;
    ///
    /// let mail = mailtest::capture();
    /// let ann = mail.unique_address("ann");
    /// let message = lettre::Message::builder()
    ///     .from("app@example.com".parse().unwrap())
    ///     .to(ann.parse().unwrap())
    ///     .body(String::from("from a thread nobody bound"))
    ///     .unwrap();
    /// std::thread::spawn(move || mailtest::CaptureTransport::ambient().send(&message).unwrap())
    ///     .join()
    ///     .unwrap();
    /// mail.find().to(ann.as_str()).one();
    /// ```
    pub fn unique_address(&self, local_part: &str) -> String {
        super::mark_captured();
        let n = NEXT_ADDRESS.fetch_add(1, Ordering::Relaxed);
        let address = format!("{}-m{}x{}@{ROUTE_DOMAIN}", sanitize(local_part), self.id(), n);
        ANY_ROUTES.store(true, Ordering::Relaxed);
        self.shared.routed.store(true, Ordering::Relaxed);
        ROUTES.write().unwrap_or_else(PoisonError::into_inner).insert(
            address.to_ascii_lowercase(),
            Route { outbox_id: self.id(), outbox: Arc::downgrade(&self.shared) },
        );
        address
    }
}

/// The live outboxes that routed addresses among `recipients` lead to, each once.
pub(crate) fn routed_outboxes(recipients: &[String]) -> Vec<Outbox> {
    if !ANY_ROUTES.load(Ordering::Relaxed) {
        return Vec::new();
    }
    let routes = ROUTES.read().unwrap_or_else(PoisonError::into_inner);
    let mut found: Vec<Outbox> = Vec::new();
    for recipient in recipients {
        let key = recipient.trim().trim_start_matches('<').trim_end_matches('>').to_ascii_lowercase();
        let Some(route) = routes.get(&key) else { continue };
        let Some(shared) = route.outbox.upgrade() else { continue };
        let outbox = Outbox { shared };
        if !found.contains(&outbox) {
            found.push(outbox);
        }
    }
    found
}

/// Forgets the routes of a dropping outbox.
pub(super) fn forget(outbox_id: u64) {
    ROUTES.write().unwrap_or_else(PoisonError::into_inner).retain(|_, route| route.outbox_id != outbox_id);
}

fn sanitize(local_part: &str) -> String {
    let kept: String = local_part
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || "._-".contains(c) { c } else { '_' })
        .collect();
    let kept = kept.trim_matches('.');
    if kept.is_empty() { "user".to_owned() } else { kept.to_owned() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitize_keeps_readable_local_parts() {
        assert_eq!(sanitize("ann"), "ann");
        assert_eq!(sanitize("Ann.Lee_2-x"), "Ann.Lee_2-x");
        assert_eq!(sanitize("ann smith@x"), "ann_smith_x");
        assert_eq!(sanitize(""), "user");
        assert_eq!(sanitize("..."), "user");
    }

    #[test]
    fn dropped_outbox_takes_its_routes_with_it() {
        let address = Outbox::new().unique_address("gone");
        assert!(routed_outboxes(&[address]).is_empty());
    }
}
