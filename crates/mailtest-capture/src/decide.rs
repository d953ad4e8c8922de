//! Where a send goes: the one decision every path makes — ambient
//! transports (sync and async), `Mailer`, `AsyncMailer`, the memory
//! backend, `send_mail` and its relatives.
//!
//! 1. The store bound on the sending thread (or on the future being polled,
//!    through [`WithOutbox`](crate::WithOutbox)).
//! 2. The stores that [`unique_address`](crate::unique_address) routed, for
//!    any recipient.
//! 3. The global capture ([`enter_global`](crate::enter_global)), if one is
//!    alive.
//! 4. Otherwise an ambient send is refused ([`deliver_ambient`]), and a
//!    mailer uses its own backend — whose SMTP backends, in a test process,
//!    refuse to reach anything but an `SmtpSink` of the process
//!    ([`check_real_smtp`]).
//!
//! A `bypass_capture()` mailer skips all of it and uses its backend: it
//! does not ask (mailtest-mailer passes that choice to its backend as an
//! argument, a `Permit`).
//!
//! Every refusal is recorded ([`refusals_since`](crate::refusals_since)),
//! so a failing query can list the sends refused while its outbox was alive.

use std::sync::Arc;
use std::time::Instant;

use crate::attempt::{Attempt, Outcome};
use crate::fault::{ArmedPlan, Client, Verdict};

use crate::bind::current;
use crate::captured::Captured;
use crate::global::global;
use crate::guard::{is_local_sink, test_process};
use crate::refusals::{self, Cause, Refusal};
use crate::route::routed;
use crate::store::SharedStore;
use crate::thread_label;

/// Who claims a message: the first of the rules above that applies.
#[must_use = "a claim captures nothing until `capture` is called"]
pub enum Claim {
    /// Nothing claims it: an ambient send is refused, a mailer uses its backend.
    Unclaimed,
    /// One store takes it.
    One(SharedStore),
    /// Routed addresses of several tests among the recipients: each gets it.
    Many(Vec<SharedStore>),
}

/// Finds who claims a message for `recipients`, without capturing it yet
/// (so a mailer formats the message only when it is captured).
///
/// ```
/// // Nothing bound, routed or global here.
/// assert!(!mailtest_capture::claim(&["ann@example.com".to_owned()]).is_claimed());
/// ```
pub fn claim(recipients: &[String]) -> Claim {
    if let Some(store) = current() {
        return Claim::One(store);
    }
    let mut routed = routed(recipients);
    match routed.len() {
        0 => global().map_or(Claim::Unclaimed, Claim::One),
        1 => Claim::One(routed.remove(0)),
        _ => Claim::Many(routed),
    }
}

impl Claim {
    /// Whether something claims the message.
    ///
    /// ```
    /// assert!(!mailtest_capture::Claim::Unclaimed.is_claimed());
    /// ```
    pub fn is_claimed(&self) -> bool {
        !matches!(self, Claim::Unclaimed)
    }

    /// Captures the message into every claiming store; `false` when none
    /// claimed it (nothing was captured). Faults are not asked: see
    /// [`deliver`](Claim::deliver).
    ///
    /// ```
    /// let mail = mailtest_capture::Captured::new(None, vec![], b"Subject: Hi\r\n\r\n.".to_vec());
    /// assert!(!mailtest_capture::Claim::Unclaimed.capture(mail));
    /// ```
    pub fn capture(self, mail: Captured) -> bool {
        match self {
            Claim::Unclaimed => false,
            Claim::One(store) => {
                store.store(mail);
                true
            }
            Claim::Many(stores) => {
                for store in stores {
                    store.store(mail.clone());
                }
                true
            }
        }
    }

    /// Delivers the message to every claiming store, each playing it
    /// against its fault plan first — or against `plan` when one is given
    /// (a mailer's own) — and keeping the attempt. A store without a plan
    /// just stores it. The sender sees the first store's verdict that is
    /// not a plain acceptance (several stores: routed addresses of several
    /// tests), else the first. `None` when nothing claimed it.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use mailtest_capture::{ArmedPlan, Captured, Claim, Client, Fault, FaultPlan, Stage, Verdict};
    ///
    /// let outbox = mailtest::Outbox::new();
    /// let plan = Arc::new(ArmedPlan::new(FaultPlan::new().fault(Fault::reply(Stage::Mail, 451, "4.3.0 later"))).unwrap());
    /// let mail = Captured::new(None, vec!["ann@example.com".into()], b"Subject: Hi\r\n\r\n.".to_vec());
    ///
    /// let verdict = Claim::One(Arc::new(outbox.clone())).deliver(mail, Client::Lettre, Some(&plan)).unwrap();
    /// assert!(matches!(verdict, Verdict::Failed(_)));
    /// assert!(outbox.is_empty());
    /// assert_eq!(outbox.attempts().len(), 1);
    /// ```
    pub fn deliver(self, mail: Captured, client: Client, plan: Option<&Arc<ArmedPlan>>) -> Option<Verdict> {
        match self {
            Claim::Unclaimed => None,
            Claim::One(store) => Some(deliver_to(&store, mail, client, plan)),
            Claim::Many(stores) => {
                let verdicts: Vec<Verdict> =
                    stores.iter().map(|store| deliver_to(store, mail.clone(), client, plan)).collect();
                let first_fault = verdicts.iter().position(|verdict| *verdict != Verdict::ACCEPTED);
                verdicts.into_iter().nth(first_fault.unwrap_or(0))
            }
        }
    }
}

/// One store's part of [`Claim::deliver`].
fn deliver_to(
    store: &SharedStore,
    mut mail: Captured,
    client: Client,
    plan: Option<&Arc<ArmedPlan>>,
) -> Verdict {
    let own;
    let plan = match plan {
        Some(plan) => plan,
        None => match store.faults() {
            Some(faults) => {
                own = faults;
                &own
            }
            None => {
                store.store(mail);
                return Verdict::ACCEPTED;
            }
        },
    };
    let (verdict, stored_to) = plan.play(mail.envelope_from.as_deref(), &mail.envelope_to, client);
    if verdict.stored() {
        mail.envelope_to = stored_to;
    }
    store.attempt(Attempt::new(mail, Outcome::of_verdict(&verdict)));
    verdict
}

impl std::fmt::Debug for Claim {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Claim::Unclaimed => f.write_str("Unclaimed"),
            Claim::One(_) => f.write_str("One(..)"),
            Claim::Many(stores) => write!(f, "Many({} stores)", stores.len()),
        }
    }
}

/// An ambient send (a capture transport, the memory backend): delivered to
/// whoever claims it ([`Claim::deliver`]: their fault plans answer), else
/// refused and recorded — never dropped.
///
/// ```
/// let mail = mailtest_capture::Captured::new(None, vec!["ann@example.com".into()], b"Subject: Hi\r\n\r\n.".to_vec());
/// let refusal = mailtest_capture::deliver_ambient(mail, mailtest_capture::Client::Lettre, false).unwrap_err();
/// assert_eq!(refusal.recipients, ["ann@example.com"]);
/// ```
pub fn deliver_ambient(mail: Captured, client: Client, asynchronous: bool) -> Result<Verdict, Box<Refusal>> {
    let claim = claim(&mail.envelope_to);
    if !claim.is_claimed() {
        return Err(refuse(mail.envelope_to, Cause::NoOutbox, asynchronous));
    }
    Ok(claim.deliver(mail, client, None).unwrap_or(Verdict::ACCEPTED))
}

/// Whether an SMTP backend may connect to `host:port` now: `Err(why the
/// process is a test)` when the test-process rule forbids it. Records
/// nothing: [`check_real_smtp`] does, for a send.
///
/// ```
/// // A process that never captured and is no cargo test binary may send anywhere;
/// // this doctest is a test binary, so it may not.
/// assert!(mailtest_capture::real_smtp_allowed("smtp.example.com", 587).is_err());
/// ```
pub fn real_smtp_allowed(host: &str, port: u16) -> Result<(), String> {
    if is_local_sink(host, port) {
        return Ok(());
    }
    test_process().map_or(Ok(()), Err)
}

/// The test-process rule, for an SMTP backend about to send to `host:port`
/// (or to open a session there, with no recipients yet): `Ok` outside
/// tests and for a sink of this process; otherwise the send is refused and
/// recorded. A `bypass_capture()` mailer does not ask.
///
/// ```
/// let refusal = mailtest_capture::check_real_smtp("smtp.example.com", 587, &["ann@example.com".into()], false).unwrap_err();
/// assert_eq!(refusal.prevented().as_deref(), Some("smtp.example.com:587"));
/// ```
pub fn check_real_smtp(
    host: &str,
    port: u16,
    recipients: &[String],
    asynchronous: bool,
) -> Result<(), Box<Refusal>> {
    real_smtp_allowed(host, port).map_err(|why| {
        refuse(recipients.to_vec(), Cause::RealSmtp { server: server_label(host, port), why }, asynchronous)
    })
}

/// The test-process rule, for a transport about to deliver somewhere mailtest
/// cannot see (a guarded lettre transport whose server it was not told):
/// `Ok` outside tests; in a test process the send is refused and recorded,
/// `destination` naming where it would have gone.
///
/// ```
/// let refusal = mailtest_capture::check_real_send("its own SmtpTransport", &["ann@example.com".into()], false).unwrap_err();
/// assert_eq!(refusal.prevented().as_deref(), Some("its own SmtpTransport"));
/// ```
pub fn check_real_send(
    destination: &str,
    recipients: &[String],
    asynchronous: bool,
) -> Result<(), Box<Refusal>> {
    match test_process() {
        None => Ok(()),
        Some(why) => Err(refuse(
            recipients.to_vec(),
            Cause::RealSmtp { server: destination.to_owned(), why },
            asynchronous,
        )),
    }
}

/// `host:port` as errors and reports name an SMTP server (`[::1]:25` for IPv6).
///
/// ```
/// assert_eq!(mailtest_capture::server_label("::1", 25), "[::1]:25");
/// assert_eq!(mailtest_capture::server_label("localhost", 25), "localhost:25");
/// ```
pub fn server_label(host: &str, port: u16) -> String {
    if host.contains(':') { format!("[{host}]:{port}") } else { format!("{host}:{port}") }
}

/// Records a refusal and returns it, for the error the sender sees (boxed:
/// it is large, and an `Ok` should not pay for it).
fn refuse(recipients: Vec<String>, cause: Cause, asynchronous: bool) -> Box<Refusal> {
    let refusal = Refusal {
        at: Instant::now(),
        thread: thread_label(),
        thread_id: std::thread::current().id(),
        recipients,
        cause,
        asynchronous,
    };
    refusals::record(refusal.clone());
    Box::new(refusal)
}
