//! Propagating a binding to futures and threads, modelled on `tracing`'s
//! `Instrument`: the future re-binds its outbox on every poll, so it captures
//! correctly on whichever worker thread runs it. Routing by address, for
//! work that no binding reaches.

use std::future::Future;

use mailtest_capture::WithOutbox;

use super::Outbox;

/// Attaches an outbox to any future: `fut.with_outbox(&outbox)`.
///
/// ```
/// # #[tokio::main(flavor = "multi_thread", worker_threads = 2)] async fn main() {
/// let mail = mailtest::capture();
/// use mailtest::WithOutboxExt;
///
/// let handle = tokio::spawn(
///     async {
///         // Runs on a worker thread, yet sees the test's outbox.
///         mailtest::current().unwrap().capture_raw(None, &["ann@example.com"], b"Subject: Hi\r\n\r\n.");
///     }
///     .with_outbox(&mail),
/// );
/// handle.await.unwrap();
/// mail.assert_count(1);
/// # }
/// ```
pub trait WithOutboxExt: Future + Sized {
    /// Binds `outbox` around every poll of this future.
    fn with_outbox(self, outbox: &Outbox) -> WithOutbox<Self> {
        WithOutbox::new(self, Some(outbox.as_store()))
    }

    /// Binds whatever outbox is bound on the current thread *now* (if any)
    /// around every poll of this future: `tokio::spawn(fut.with_current_outbox())`.
    ///
    /// ```
    /// # #[tokio::main(flavor = "multi_thread", worker_threads = 2)] async fn main() {
    /// use mailtest::WithOutboxExt;
    ///
    /// let mail = mailtest::capture();
    /// let seen = tokio::spawn(async { mailtest::current() }.with_current_outbox()).await.unwrap();
    /// assert_eq!(seen.as_ref(), Some(&*mail));
    /// # }
    /// ```
    fn with_current_outbox(self) -> WithOutbox<Self> {
        WithOutbox::new(self, mailtest_capture::current())
    }
}

impl<F: Future> WithOutboxExt for F {}

impl Outbox {
    /// Wraps `fut` so this outbox is bound on every poll, on whatever thread
    /// polls it.
    ///
    /// ```
    /// # #[tokio::main(flavor = "multi_thread", worker_threads = 2)] async fn main() {
    /// let mail = mailtest::capture();
    /// tokio::spawn(mail.scope(async {
    ///     mailtest::current().unwrap().capture_raw(None, &["ann@example.com"], b"Subject: Hi\r\n\r\n.");
    /// }))
    /// .await
    /// .unwrap();
    /// mail.assert_count(1);
    /// # }
    /// ```
    pub fn scope<F: Future>(&self, fut: F) -> WithOutbox<F> {
        fut.with_outbox(self)
    }

    /// Starts a std thread with this outbox bound for its whole run.
    ///
    /// ```
    /// let mail = mailtest::capture();
    /// let bound_there = mail.spawn(|| mailtest::current().is_some()).join().unwrap();
    /// assert!(bound_there);
    /// ```
    pub fn spawn<F, T>(&self, f: F) -> std::thread::JoinHandle<T>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        let outbox = self.clone();
        std::thread::spawn(move || outbox.in_scope(f))
    }

    /// Returns an address that no other test uses and routes any send to it
    /// — through an ambient transport, a `Mailer` or `AsyncMailer`, or
    /// `send_mail` — from any thread, to this outbox.
    ///
    /// Use it when the mail is sent by work that no test thread owns, such as
    /// a shared server or a worker pool, so that binding cannot reach it. The
    /// address looks like `ann-m7@example.com`; `local_part` is kept
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
        mailtest_capture::unique_address(&self.as_store(), local_part)
    }
}
