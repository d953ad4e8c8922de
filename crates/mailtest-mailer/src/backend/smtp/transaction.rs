//! One SMTP mail transaction — `MAIL FROM`, `RCPT TO` for each recipient,
//! `DATA` — written here rather than taken from lettre's `send`, for three
//! behaviours Django has and lettre's `send` does not:
//!
//! - **Refused recipients do not sink the message.** lettre's `send` aborts
//!   the connection at the first refused `RCPT TO`, and the accepted
//!   recipients get nothing. Here, as in `smtplib`, the message goes to the
//!   accepted ones and the refused ones are reported; only a message whose
//!   every recipient is refused fails.
//! - **The data arrives as built** (see `data.rs`).
//! - **Domains go out in ASCII** (IDNA, see `crate::idna`), so a server
//!   without SMTPUTF8 takes `to@öäü.com`.
//!
//! A negative reply leaves the session usable (`RSET` clears the
//! transaction, as `smtplib` does); a network failure or a `421` ends it.

use std::borrow::Cow;
#[cfg(feature = "tokio")]
use std::time::Duration;

use lettre::Address;
use lettre::address::Envelope;
use lettre::transport::smtp::Error as SmtpError;
#[cfg(feature = "tokio")]
use lettre::transport::smtp::client::AsyncSmtpConnection;
use lettre::transport::smtp::client::SmtpConnection;
use lettre::transport::smtp::commands::{Data, Mail, Rcpt, Rset};
use lettre::transport::smtp::extension::{Extension, MailBodyParameter, MailParameter, ServerInfo};

use super::data;
use crate::backend::{Delivery, RefusedRecipient};
use crate::error::Error;

/// A recipient refused at `RCPT TO`.
#[derive(Debug)]
pub(super) struct Refused {
    pub(super) recipient: String,
    pub(super) code: Option<u16>,
    pub(super) reply: String,
}

/// Why a transaction failed.
#[derive(Debug)]
pub(super) enum Failure {
    /// A negative reply, or the connection failed.
    Smtp(SmtpError),
    /// No reply within the timeout (the async client's own timer).
    #[cfg_attr(not(feature = "tokio"), allow(dead_code))]
    TimedOut,
    /// Every recipient was refused: nothing was sent.
    AllRefused(Vec<Refused>),
    /// Refused before anything was sent (what the server cannot take).
    Unsendable(Error),
}

/// What to send for one message to one server.
struct Plan<'a> {
    from: Option<Address>,
    to: Vec<Address>,
    parameters: Vec<MailParameter>,
    data: Cow<'a, [u8]>,
}

impl<'a> Plan<'a> {
    /// The envelope with ASCII domains, and the `MAIL FROM` parameters the
    /// message needs: `BODY=8BITMIME` for 8-bit data, `SMTPUTF8` for a
    /// non-ASCII local part — each only if the server offers it.
    fn new(envelope: &Envelope, raw: &'a [u8], server: &ServerInfo) -> Result<Plan<'a>, Failure> {
        let envelope = crate::idna::ascii_envelope(envelope).map_or(Cow::Borrowed(envelope), Cow::Owned);
        let mut parameters = Vec::new();
        if let Some(address) = envelope
            .from()
            .into_iter()
            .chain(envelope.to())
            .find(|a: &&Address| !AsRef::<str>::as_ref(*a).is_ascii())
        {
            if !server.supports_feature(Extension::SmtpUtfEight) {
                return Err(Failure::Unsendable(Error::InvalidAddress {
                    address: address.to_string(),
                    reason: "its local part is not ASCII, which needs the server's SMTPUTF8 extension \
                             (RFC 6531), and the server does not offer it (only a domain has an ASCII form)"
                        .to_owned(),
                    source: None,
                }));
            }
            parameters.push(MailParameter::SmtpUtfEight);
        }
        if !raw.is_ascii() {
            if !server.supports_feature(Extension::EightBitMime) {
                return Err(Failure::Unsendable(Error::InvalidMessage {
                    reason: "the message has 8-bit data and the server does not offer 8BITMIME (RFC 6152); \
                             build it with a 7-bit transfer encoding (quoted-printable or base64)"
                        .to_owned(),
                    source: None,
                }));
            }
            parameters.push(MailParameter::Body(MailBodyParameter::EightBitMime));
        }
        Ok(Plan {
            from: envelope.from().cloned(),
            to: envelope.to().to_vec(),
            parameters,
            data: data::for_lettre(raw),
        })
    }
}

impl Refused {
    fn new(recipient: &Address, err: &SmtpError) -> Refused {
        Refused {
            recipient: recipient.to_string(),
            code: reply_code(err),
            reply: std::error::Error::source(err).map_or_else(|| err.to_string(), ToString::to_string),
        }
    }
}

/// Message number `at` of a batch sent: counted, with the recipients
/// refused on the way.
pub(super) fn delivered(at: usize, refused: Vec<Refused>) -> Delivery {
    refused.into_iter().fold(Delivery::new(1), |delivery, r| {
        delivery.with_refused(RefusedRecipient::new(at, r.recipient, r.code, r.reply))
    })
}

/// The reply code of a negative reply; `None` for a failure with no reply.
pub(super) fn reply_code(err: &SmtpError) -> Option<u16> {
    err.status().and_then(|code| code.to_string().parse().ok())
}

/// What to do with the session after a failed step: `RSET` after a
/// negative reply (the session stays usable), end it after a network
/// failure or a `421` (the server is closing).
#[derive(PartialEq)]
enum After {
    Reset,
    Abort,
}

fn after(err: &SmtpError) -> After {
    match reply_code(err) {
        Some(421) | None => After::Abort,
        Some(_) => After::Reset,
    }
}

/// Sends one message over `conn`; the recipients refused while others took
/// it, or why nothing was sent.
pub(super) fn send(
    conn: &mut SmtpConnection,
    envelope: &Envelope,
    raw: &[u8],
) -> Result<Vec<Refused>, Failure> {
    let plan = Plan::new(envelope, raw, conn.server_info())?;
    let result = conn.command(Mail::new(plan.from.clone(), plan.parameters.clone()));
    checked(conn, result)?;
    let mut refused = Vec::new();
    for to in &plan.to {
        match conn.command(Rcpt::new(to.clone(), Vec::new())) {
            Ok(_) => {}
            Err(err) if after(&err) == After::Reset => refused.push(Refused::new(to, &err)),
            Err(err) => return checked::<()>(conn, Err(err)).map(|()| Vec::new()),
        }
    }
    if refused.len() == plan.to.len() {
        reset(conn);
        return Err(Failure::AllRefused(refused));
    }
    let result = conn.command(Data);
    checked(conn, result)?;
    let result = conn.message(&plan.data);
    checked(conn, result)?;
    Ok(refused)
}

/// `result`, after putting the session right when it failed.
fn checked<T>(conn: &mut SmtpConnection, result: Result<T, SmtpError>) -> Result<(), Failure> {
    match result {
        Ok(_) => Ok(()),
        Err(err) => {
            match after(&err) {
                After::Reset => reset(conn),
                After::Abort => conn.abort(),
            }
            Err(Failure::Smtp(err))
        }
    }
}

fn reset(conn: &mut SmtpConnection) {
    if conn.command(Rset).is_err() {
        conn.abort();
    }
}

/// [`send`] on lettre's async client, each step bounded by `timeout`.
#[cfg(feature = "tokio")]
pub(super) async fn send_async(
    conn: &mut AsyncSmtpConnection,
    envelope: &Envelope,
    raw: &[u8],
    timeout: Duration,
) -> Result<Vec<Refused>, Failure> {
    let plan = Plan::new(envelope, raw, conn.server_info())?;
    let result = timed(timeout, conn.command(Mail::new(plan.from.clone(), plan.parameters.clone()))).await;
    checked_async(conn, result, timeout).await?;
    let mut refused = Vec::new();
    for to in &plan.to {
        match timed(timeout, conn.command(Rcpt::new(to.clone(), Vec::new()))).await {
            Ok(_) => {}
            Err(Failure::Smtp(err)) if after(&err) == After::Reset => refused.push(Refused::new(to, &err)),
            Err(failure) => {
                return checked_async::<()>(conn, Err(failure), timeout).await.map(|()| Vec::new());
            }
        }
    }
    if refused.len() == plan.to.len() {
        reset_async(conn, timeout).await;
        return Err(Failure::AllRefused(refused));
    }
    let result = timed(timeout, conn.command(Data)).await;
    checked_async(conn, result, timeout).await?;
    let result = timed(timeout, conn.message(&plan.data)).await;
    checked_async(conn, result, timeout).await?;
    Ok(refused)
}

#[cfg(feature = "tokio")]
async fn timed<T>(timeout: Duration, step: impl Future<Output = Result<T, SmtpError>>) -> Result<T, Failure> {
    match tokio::time::timeout(timeout, step).await {
        Ok(result) => result.map_err(Failure::Smtp),
        Err(_) => Err(Failure::TimedOut),
    }
}

#[cfg(feature = "tokio")]
async fn checked_async<T>(
    conn: &mut AsyncSmtpConnection,
    result: Result<T, Failure>,
    timeout: Duration,
) -> Result<(), Failure> {
    match result {
        Ok(_) => Ok(()),
        Err(Failure::Smtp(err)) if after(&err) == After::Reset => {
            reset_async(conn, timeout).await;
            Err(Failure::Smtp(err))
        }
        Err(failure) => {
            conn.abort().await;
            Err(failure)
        }
    }
}

#[cfg(feature = "tokio")]
async fn reset_async(conn: &mut AsyncSmtpConnection, timeout: Duration) {
    if timed(timeout, conn.command(Rset)).await.is_err() {
        conn.abort().await;
    }
}
