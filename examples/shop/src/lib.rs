//! A small shop that sends email: the example application of mailtest's
//! README ("Testing an application").
//!
//! Every email goes through one [`mailtest_mailer::AsyncMailer`] held in the
//! application state. In production `main` builds it from the `EMAIL_*`
//! environment variables (SMTP by default); a test builds the state with the
//! mailer it wants, or builds none and talks to the production binary
//! through an `SmtpSink`. The application code is the same either way.
//!
//! - `POST /signup` sends a welcome email with a confirmation link
//!   (`GET /confirm?token=..`);
//! - `POST /password-reset` sends a reset link (`GET /reset?token=..`) to a
//!   known account, and nothing otherwise;
//! - `POST /orders` queues the order; the receipt worker, spawned with the
//!   state, sends the receipt with a PDF attached.

mod accounts;
mod emails;
mod orders;
mod pdf;
mod routes;
mod state;
mod worker;

pub use routes::app;
pub use state::AppState;
