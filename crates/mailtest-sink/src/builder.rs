//! `SmtpSinkBuilder`: what a sink accepts, and which failures it injects.

use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use mailtest_capture::{ArmedPlan, Fault, FaultPlan, Stage};

use crate::SmtpSink;
use crate::delivery::Delivery;
use crate::error::Error;
use mailtest_harness::Outbox;

/// The default [`max_message_size`](SmtpSinkBuilder::max_message_size): 10 MiB.
pub(crate) const DEFAULT_MAX_SIZE: usize = 10 * 1024 * 1024;
/// RFC 5321 §4.5.3.1.8: a server must accept at least 100 recipients.
pub(crate) const DEFAULT_MAX_RECIPIENTS: usize = 100;
pub(crate) const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(30);
/// A whole DATA: 5 minutes carries the default 10 MiB at 35 KB/s, far slower
/// than any client on loopback; a client that trickles bytes is cut off.
pub(crate) const DEFAULT_DATA_TIMEOUT: Duration = Duration::from_secs(5 * 60);

/// Where a sink hangs up instead of answering, for
/// [`SmtpSinkBuilder::drop_connection`].
///
/// In every case the connection is closed without a reply and the message
/// in progress, if any, is not delivered.
///
/// ```
/// use mailtest::{DropPoint, SmtpSink};
///
/// // The first message's data arrives in full, then the line goes dead:
/// // the client cannot know whether it was delivered (it was not).
/// let sink = SmtpSink::builder().drop_connection(DropPoint::EndOfData, 1).start().unwrap();
/// # drop(sink);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DropPoint {
    /// Right after the TCP connection is accepted, before the 220 greeting.
    Connect,
    /// On `MAIL FROM`, instead of its reply.
    Mail,
    /// On `RCPT TO`, instead of its reply.
    Rcpt,
    /// On `DATA`, instead of the 354 go-ahead.
    Data,
    /// After the message data and its final `.` arrived, instead of the 250.
    EndOfData,
}

impl DropPoint {
    /// The stage of a fault plan this point is.
    fn stage(self) -> Stage {
        match self {
            DropPoint::Connect => Stage::Greeting,
            DropPoint::Mail => Stage::Mail,
            DropPoint::Rcpt => Stage::Rcpt,
            DropPoint::Data => Stage::Data,
            DropPoint::EndOfData => Stage::EndOfData,
        }
    }
}

impl Config {
    /// Whether EHLO offers STARTTLS, and AUTH and MAIL wait for it.
    pub(crate) fn offers_starttls(&self) -> bool {
        #[cfg(feature = "tls")]
        if let Some(tls) = &self.tls {
            return tls.mode == crate::tls::TlsMode::StartTls;
        }
        false
    }

    /// Whether TLS starts with the connection (SMTPS).
    pub(crate) fn implicit_tls(&self) -> bool {
        #[cfg(feature = "tls")]
        if let Some(tls) = &self.tls {
            return tls.mode == crate::tls::TlsMode::Implicit;
        }
        false
    }

    /// Whether EHLO offers AUTH.
    pub(crate) fn offers_auth(&self) -> bool {
        self.any_credentials || !self.credentials.is_empty()
    }

    /// Whether MAIL waits for a successful AUTH: only for a sink with
    /// credentials of its own.
    pub(crate) fn requires_auth(&self) -> bool {
        !self.any_credentials && !self.credentials.is_empty()
    }

    /// Whether AUTH takes `user` and `password`.
    pub(crate) fn accepts(&self, user: &str, password: &str) -> bool {
        self.any_credentials || self.credentials.iter().any(|(u, p)| u == user && p == password)
    }
}

/// Everything a session needs to know, shared by every connection thread.
#[derive(Debug)]
pub(crate) struct Config {
    pub(crate) hostname: String,
    pub(crate) credentials: Vec<(String, String)>,
    /// AUTH takes any user name and password (`any_credentials`).
    pub(crate) any_credentials: bool,
    #[cfg(feature = "tls")]
    pub(crate) tls: Option<crate::tls::TlsSetup>,
    pub(crate) max_size: usize,
    pub(crate) max_recipients: usize,
    pub(crate) idle_timeout: Duration,
    pub(crate) data_timeout: Duration,
    /// The fault plan each session asks at each command, if any.
    pub(crate) faults: Option<ArmedPlan>,
    /// Where accepted mail goes instead of the outbox, if anywhere.
    pub(crate) delivery: Option<Box<dyn Delivery>>,
}

/// Configures an [`SmtpSink`]: address, credentials, limits, timeouts and
/// failure injection. Every method consumes and returns the builder;
/// [`start`](SmtpSinkBuilder::start) checks the whole configuration.
///
/// ```
/// use std::time::Duration;
/// use mailtest::SmtpSink;
///
/// let sink = SmtpSink::builder()
///     .hostname("mx.test")
///     .credentials("app", "secret")          // AUTH PLAIN and LOGIN, required before MAIL
///     .max_message_size(64 * 1024)           // advertised as SIZE 65536, enforced with 552
///     .max_recipients(10)                    // the 11th RCPT gets 452
///     .idle_timeout(Duration::from_secs(5))  // for each command line; then 421 and the connection closes
///     .data_timeout(Duration::from_secs(60)) // for a whole DATA
///     .refuse_recipient("blocked@example.com", 550, "5.1.1 no such user")
///     .fail_message(2, 451, "4.3.0 try again later")
///     .start()
///     .unwrap();
/// assert!(sink.addr().ip().is_loopback());
/// ```
#[derive(Debug)]
#[must_use = "a builder does nothing until `.start()`"]
pub struct SmtpSinkBuilder {
    addr: SocketAddr,
    outbox: Option<Outbox>,
    hostname: String,
    credentials: Vec<(String, String)>,
    pub(crate) any_credentials: bool,
    #[cfg(feature = "tls")]
    pub(crate) tls: Option<crate::tls::TlsMode>,
    max_size: usize,
    max_recipients: usize,
    idle_timeout: Duration,
    data_timeout: Duration,
    /// The plan's faults, each with the builder method that added it (its
    /// errors name that method).
    faults: Vec<(&'static str, Fault)>,
    seed: u64,
    delivery: Option<Box<dyn Delivery>>,
}

impl Default for SmtpSinkBuilder {
    fn default() -> Self {
        SmtpSinkBuilder {
            addr: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            outbox: None,
            hostname: "localhost".to_owned(),
            credentials: Vec::new(),
            any_credentials: false,
            #[cfg(feature = "tls")]
            tls: None,
            max_size: DEFAULT_MAX_SIZE,
            max_recipients: DEFAULT_MAX_RECIPIENTS,
            idle_timeout: DEFAULT_IDLE_TIMEOUT,
            data_timeout: DEFAULT_DATA_TIMEOUT,
            faults: Vec::new(),
            seed: 0,
            delivery: None,
        }
    }
}

impl SmtpSinkBuilder {
    /// Listens on `addr` instead of `127.0.0.1` and a free port. Only this
    /// call makes a sink reachable from beyond loopback.
    ///
    /// ```
    /// let sink = mailtest::SmtpSink::builder().bind(([127, 0, 0, 1], 0)).start().unwrap();
    /// assert_eq!(sink.addr().ip().to_string(), "127.0.0.1");
    /// ```
    pub fn bind(mut self, addr: impl Into<SocketAddr>) -> Self {
        self.addr = addr.into();
        self
    }

    /// Listens on `127.0.0.1:port` (0, the default, picks a free port).
    ///
    /// ```
    /// let sink = mailtest::SmtpSink::builder().port(0).start().unwrap();
    /// assert_ne!(sink.port(), 0);
    /// ```
    pub fn port(mut self, port: u16) -> Self {
        self.addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        self
    }

    /// Delivers into `outbox` (a shared handle) instead of a fresh one, so a
    /// test can point the sink at its own capture.
    ///
    /// ```
    /// let mail = mailtest::capture();
    /// let sink = mailtest::SmtpSink::builder().outbox(&mail).start().unwrap();
    /// assert_eq!(sink.outbox(), *mail);
    /// ```
    pub fn outbox(mut self, outbox: &Outbox) -> Self {
        self.outbox = Some(outbox.clone());
        self
    }

    /// Hands each accepted message to `delivery` instead of the outbox,
    /// and asks it about each recipient: what it refuses, the client hears
    /// with its reply. [`SmtpSink::outbox`] then stays empty. For a store
    /// with rules of its own, such as `mailtest serve`'s mailboxes with a
    /// cap; see [`Delivery`].
    ///
    /// ```
    /// use mailtest_capture::Captured;
    /// use mailtest_sink::{Delivery, SmtpReply, SmtpSink};
    ///
    /// struct Closed;
    /// impl Delivery for Closed {
    ///     fn deliver(&self, _: Captured) -> Result<(), SmtpReply> {
    ///         Err(SmtpReply::new(554, "5.3.2 closed for the night").unwrap())
    ///     }
    /// }
    /// let sink = SmtpSink::builder().deliver_to(Closed).start().unwrap();
    /// # drop(sink);
    /// ```
    pub fn deliver_to(mut self, delivery: impl Delivery) -> Self {
        self.delivery = Some(Box::new(delivery));
        self
    }

    /// The name the sink gives in its greeting and EHLO reply (default
    /// `localhost`).
    ///
    /// ```
    /// let sink = mailtest::SmtpSink::builder().hostname("mx.test").start().unwrap();
    /// # drop(sink);
    /// ```
    pub fn hostname(mut self, hostname: impl Into<String>) -> Self {
        self.hostname = hostname.into();
        self
    }

    /// Accepts this user name and password with AUTH PLAIN and AUTH LOGIN.
    /// Once any credentials are set, AUTH is advertised and `MAIL` before a
    /// successful AUTH gets `530`. Call again to add more users.
    ///
    /// ```
    /// let sink = mailtest::SmtpSink::builder().credentials("app", "secret").start().unwrap();
    /// # drop(sink);
    /// ```
    pub fn credentials(mut self, user: impl Into<String>, password: impl Into<String>) -> Self {
        self.credentials.push((user.into(), password.into()));
        self
    }

    /// The largest message accepted, in bytes after dot-unstuffing (default
    /// 10 MiB). Advertised as `SIZE n`; a larger `SIZE=` on `MAIL` or larger
    /// data gets `552`, and the data is read to its end but not kept.
    ///
    /// ```
    /// let sink = mailtest::SmtpSink::builder().max_message_size(1024).start().unwrap();
    /// # drop(sink);
    /// ```
    pub fn max_message_size(mut self, bytes: usize) -> Self {
        self.max_size = bytes;
        self
    }

    /// The most recipients one message may have (default 100, the RFC 5321
    /// minimum); each one more gets `452 4.5.3` (RFC 5321 §4.5.3.1.10).
    ///
    /// ```
    /// let sink = mailtest::SmtpSink::builder().max_recipients(2).start().unwrap();
    /// # drop(sink);
    /// ```
    pub fn max_recipients(mut self, n: usize) -> Self {
        self.max_recipients = n;
        self
    }

    /// How long a client has to send each whole command line (default
    /// 30 s), counted from the reply to the one before, and how long it may
    /// stay silent in the middle of DATA; then it gets `421` and the
    /// connection is closed. A client that sends a byte now and then does
    /// not reset it. Also bounds how long a reply may wait for a client that
    /// does not read.
    ///
    /// ```
    /// let sink = mailtest::SmtpSink::builder()
    ///     .idle_timeout(std::time::Duration::from_millis(500))
    ///     .start()
    ///     .unwrap();
    /// # drop(sink);
    /// ```
    pub fn idle_timeout(mut self, timeout: Duration) -> Self {
        self.idle_timeout = timeout;
        self
    }

    /// How long a whole DATA may take, from the `354` to the final `.`
    /// (default 5 minutes); then the client gets `421`, the connection is
    /// closed and the message is not delivered. However slowly the bytes
    /// come, no client holds a session longer.
    ///
    /// ```
    /// let sink = mailtest::SmtpSink::builder()
    ///     .data_timeout(std::time::Duration::from_secs(10))
    ///     .start()
    ///     .unwrap();
    /// # drop(sink);
    /// ```
    pub fn data_timeout(mut self, timeout: Duration) -> Self {
        self.data_timeout = timeout;
        self
    }

    /// Refuses `RCPT TO:<address>` (compared case-insensitively) with `code`
    /// (400–599) and `text`, every time. Other recipients are unaffected.
    /// A shorthand for `.faults(FaultPlan::new().fault(Fault::reply(Stage::Rcpt, code, text).to(address)))`.
    ///
    /// ```
    /// let sink = mailtest::SmtpSink::builder()
    ///     .refuse_recipient("gone@example.com", 550, "5.1.1 mailbox unavailable")
    ///     .start()
    ///     .unwrap();
    /// # drop(sink);
    /// ```
    pub fn refuse_recipient(
        mut self,
        address: impl Into<String>,
        code: u16,
        text: impl Into<String>,
    ) -> Self {
        self.faults.push(("refuse_recipient", Fault::reply(Stage::Rcpt, code, text).to(address)));
        self
    }

    /// Answers the `nth` complete message (1-based, counted across all
    /// connections in the order their data ends) with `code` (400–599) and
    /// `text` instead of 250; that message is not delivered. A shorthand
    /// for a [`Fault::reply`] at [`Stage::EndOfData`] with [`Fault::nth`].
    ///
    /// ```
    /// // The first attempt fails temporarily; a retry is accepted.
    /// let sink = mailtest::SmtpSink::builder().fail_message(1, 451, "4.3.0 try later").start().unwrap();
    /// # drop(sink);
    /// ```
    pub fn fail_message(mut self, nth: usize, code: u16, text: impl Into<String>) -> Self {
        self.faults.push(("fail_message", Fault::reply(Stage::EndOfData, code, text).nth(nth as u64)));
        self
    }

    /// Hangs up, without a reply, the `nth` time (1-based, across all
    /// connections) any session reaches `point`. A shorthand for a
    /// [`Fault::disconnect`] with [`Fault::nth`].
    ///
    /// ```
    /// use mailtest::{DropPoint, SmtpSink};
    /// let sink = SmtpSink::builder().drop_connection(DropPoint::Rcpt, 1).start().unwrap();
    /// # drop(sink);
    /// ```
    pub fn drop_connection(mut self, point: DropPoint, nth: usize) -> Self {
        self.faults.push(("drop_connection", Fault::disconnect(point.stage()).nth(nth as u64)));
        self
    }

    /// Answers by `plan`: at each command of each session, the plan's
    /// faults at that stage are asked (see [`FaultPlan`]) — a reply code,
    /// greylisting, a rate limit, silence until the client gives up, a
    /// dropped connection, or the message stored and its `250` lost — and
    /// every attempt is kept in the outbox ([`Outbox::attempts`]). The
    /// sink offers `STARTTLS` when a fault waits there. Adds to the faults
    /// given before (the shorthands below among them), after them; the
    /// plan's seed replaces the sink's.
    ///
    /// ```
    /// use mailtest::{Fault, FaultPlan, SmtpSink, Stage};
    ///
    /// let sink = SmtpSink::builder()
    ///     .faults(FaultPlan::new().fault(Fault::greylist()).fault(Fault::reply_lost().times(1)))
    ///     .start()
    ///     .unwrap();
    /// # drop(sink);
    /// ```
    pub fn faults(mut self, plan: FaultPlan) -> Self {
        self.seed = plan.seed_value();
        self.faults.extend(plan.into_faults().into_iter().map(|fault| ("faults", fault)));
        self
    }

    /// Checks the configuration, binds the address and starts serving.
    ///
    /// # Errors
    ///
    /// [`Error`] naming the setting or the address and the cause: a
    /// reply code outside 400–599, an `nth` of 0, a zero limit or timeout,
    /// or an address that cannot be bound.
    ///
    /// ```
    /// let err = mailtest::SmtpSink::builder().fail_message(1, 250, "OK").start().unwrap_err();
    /// assert!(err.to_string().contains("fail_message"));
    /// ```
    pub fn start(self) -> Result<SmtpSink, Error> {
        self.check()?;
        let plan = self
            .faults
            .iter()
            .fold(FaultPlan::new().seed(self.seed), |plan, (_, fault)| plan.fault(fault.clone()));
        let faults = if plan.is_empty() {
            None
        } else {
            Some(ArmedPlan::new(plan).map_err(|err| Error::setting("faults", err.to_string()))?)
        };
        #[cfg(feature = "tls")]
        let tls = match self.tls {
            Some(mode) => Some(crate::tls::TlsSetup::generate(mode, &self.hostname)?),
            None => None,
        };
        let config = Config {
            hostname: self.hostname,
            credentials: self.credentials,
            any_credentials: self.any_credentials,
            #[cfg(feature = "tls")]
            tls,
            max_size: self.max_size,
            max_recipients: self.max_recipients,
            idle_timeout: self.idle_timeout,
            data_timeout: self.data_timeout,
            faults,
            delivery: self.delivery,
        };
        SmtpSink::serve(self.addr, config, self.outbox.unwrap_or_default())
    }

    fn check(&self) -> Result<(), Error> {
        let invalid = |setting: &str, cause: String| Err(Error::setting(setting, cause));
        for (method, fault) in &self.faults {
            if let Err(err) = FaultPlan::new().fault(fault.clone()).check() {
                return invalid(method, err.problem().to_owned());
            }
        }
        if self.max_size == 0 {
            return invalid("max_message_size", "0 bytes would refuse every message".to_owned());
        }
        if self.max_recipients == 0 {
            return invalid("max_recipients", "0 would refuse every recipient".to_owned());
        }
        if self.idle_timeout.is_zero() {
            return invalid("idle_timeout", "a zero timeout would close every connection at once".to_owned());
        }
        if self.data_timeout.is_zero() {
            return invalid("data_timeout", "a zero timeout would refuse every message".to_owned());
        }
        if self.hostname.is_empty() || self.hostname.contains(['\r', '\n', ' ']) {
            return invalid("hostname", format!("{:?} is not a host name", self.hostname));
        }
        Ok(())
    }
}
