//! Refused sends and the test-process rule (DESIGN §10): real mail never
//! leaves a test, and a refusal is never invisible.
//!
//! A report lists only its own test's refusals (made on a thread its capture
//! was bound on, or to a recipient its query names), so these tests run
//! beside all the others. Their recipients are their own (`ann.listing@…`),
//! so that no other test's query names them.
//!
//! A test here that watches where an unclaimed send goes holds a capture for
//! its whole run, even one it never reads (`let _gate = capture();`): a
//! global capture takes every unclaimed send in the process, and a capture
//! keeps one from starting beside it (and waits for one to end).

mod attribution;
pub(crate) mod copied;
mod guard;
mod leak;
mod listing;
mod rule;

#[path = "../../support/relay.rs"]
mod relay;

use relay::{Relay, message};

fn snapshot(name: &str, text: &str) {
    insta::with_settings!({ snapshot_path => "../../../snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!(name, text);
    });
}
