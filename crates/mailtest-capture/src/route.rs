//! Routing by address, for mail sent where no test is bound: a server task,
//! a worker pool, a thread the test never sees.
//!
//! The table is process-wide because that is the point: any thread may send
//! to a routed address. It holds weak handles, so it never keeps an outbox
//! alive, and an outbox takes its routes with it when it drops.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, LazyLock, PoisonError, RwLock, Weak};

use crate::guard::mark_captured;
use crate::store::{SharedStore, Store, same_store};

static ROUTES: LazyLock<RwLock<HashMap<String, Weak<dyn Store>>>> = LazyLock::new(Default::default);
static NEXT_ADDRESS: AtomicU64 = AtomicU64::new(1);
/// Whether any route was ever made: lets unrouted programs skip the table.
static ANY_ROUTES: AtomicBool = AtomicBool::new(false);

/// The domain of routed addresses: reserved by RFC 2606, so it can never
/// reach a real mailbox.
const ROUTE_DOMAIN: &str = "example.com";

/// Returns an address that no other caller gets and routes any send to it,
/// from any thread, to `store` (see `mailtest::Outbox::unique_address`).
///
/// The address looks like `ann-m7@example.com`: `local_part` kept readable
/// (characters not allowed in an address become `_`). The route holds the
/// store weakly: it ends when the store drops.
///
/// ```
/// # use std::sync::Arc;
/// # struct Nowhere;
/// # impl mailtest_capture::Store for Nowhere { fn store(&self, _: mailtest_capture::Captured) {} }
/// let store: mailtest_capture::SharedStore = Arc::new(Nowhere);
/// let ann = mailtest_capture::unique_address(&store, "ann smith");
/// assert!(ann.starts_with("ann_smith-m") && ann.ends_with("@example.com"));
/// assert_eq!(mailtest_capture::routed(&[ann.clone()]).len(), 1);
/// drop(store);
/// assert!(mailtest_capture::routed(&[ann]).is_empty());
/// ```
pub fn unique_address(store: &SharedStore, local_part: &str) -> String {
    mark_captured();
    let n = NEXT_ADDRESS.fetch_add(1, Ordering::Relaxed);
    let address = format!("{}-m{n}@{ROUTE_DOMAIN}", sanitize(local_part));
    ANY_ROUTES.store(true, Ordering::Relaxed);
    let mut routes = ROUTES.write().unwrap_or_else(PoisonError::into_inner);
    // Routes of dropped stores go here, so the table stays as small as the live ones.
    routes.retain(|_, owner| owner.strong_count() > 0);
    routes.insert(address.to_ascii_lowercase(), Arc::downgrade(store));
    address
}

/// The live stores that routed addresses among `recipients` lead to, each once.
///
/// ```
/// assert!(mailtest_capture::routed(&["nobody@example.com".to_owned()]).is_empty());
/// ```
pub fn routed(recipients: &[String]) -> Vec<SharedStore> {
    if !ANY_ROUTES.load(Ordering::Relaxed) {
        return Vec::new();
    }
    let routes = ROUTES.read().unwrap_or_else(PoisonError::into_inner);
    let mut found: Vec<SharedStore> = Vec::new();
    for recipient in recipients {
        let key = recipient.trim().trim_start_matches('<').trim_end_matches('>').to_ascii_lowercase();
        let Some(store) = routes.get(&key).and_then(Weak::upgrade) else { continue };
        if !found.iter().any(|seen| same_store(seen, &store)) {
            found.push(store);
        }
    }
    found
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
    fn a_dropped_store_takes_its_routes_with_it() {
        struct Nowhere;
        impl Store for Nowhere {
            fn store(&self, _: crate::Captured) {}
        }
        let store: SharedStore = Arc::new(Nowhere);
        let address = unique_address(&store, "gone");
        assert_eq!(routed(std::slice::from_ref(&address)).len(), 1);
        drop(store);
        assert!(routed(&[address]).is_empty());
    }
}
