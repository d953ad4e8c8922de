//! The interop suite: mailtest against real programs — aiosmtpd (the SMTP
//! backends, Django's own SMTP tests), swaks, curl and Python's smtplib (the
//! sink), Python's urllib (the JSON API of `mailtest serve`), cargo-insta
//! (the snapshot macros in a user's crate). `.ci/install-tools` installs
//! them; a missing one fails its test with the command that installs it.
//! Tests that need no program of someone else's are in the default suite.

mod aiosmtpd;
mod backend_smtp;
mod django_parity;
mod django_parity_smtp;
#[path = "../../../tests/support/fault_replies.rs"]
mod fault_replies;
mod faults;
#[path = "../support/serve.rs"]
mod serve;
#[path = "../../../tests/support/showcase.rs"]
mod showcase;
#[path = "../../../tests/support/sink_clients.rs"]
mod sink_clients;
mod sink_interop;
#[path = "../../../tests/support/smtp_messages.rs"]
mod smtp_messages;
mod snapshot_user_crate;
mod tools;
mod web_api;
