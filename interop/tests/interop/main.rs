//! The interop suite: mailtest against real programs — aiosmtpd (the SMTP
//! backends, Django's own SMTP tests), swaks, curl and Python's smtplib (the
//! sink), Python's urllib (the JSON API of `mailtest serve`), cargo-insta
//! (the snapshot macros in a user's crate). `.ci/install-tools` installs
//! them; a missing one fails its test with the command that installs it.

mod aiosmtpd;
mod backend_smtp;
mod django_parity;
mod django_parity_smtp;
mod faults;
#[path = "../support/serve.rs"]
mod serve;
#[path = "../../../tests/support/showcase.rs"]
mod showcase;
mod sink_interop;
mod snapshot_user_crate;
mod tools;
mod web_api;
