//! Internal to mailtest; no API.
//!
//! lettre refuses to compile with `tokio1` and `rustls` on unless `tokio1-rustls` is on too.
//! mailtest-mailer's `tokio` feature turns on `lettre/tokio1` and its `smtp` feature turns on
//! `lettre/rustls-tls`; Cargo has no "both features on" condition, and a crate may not depend on
//! lettre twice under two names. So mailtest-mailer's `smtp` feature depends on this crate, and its
//! `tokio` feature turns on this crate's `tokio1-rustls` through a weak feature
//! (`mailtest-lettre-tokio-rustls?/tokio1-rustls`): lettre's `tokio1-rustls` is on exactly when
//! both of mailtest's features are.
#![no_std]
#![forbid(unsafe_code)]
