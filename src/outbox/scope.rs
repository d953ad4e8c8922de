//! Propagating a binding to futures and threads, modelled on `tracing`'s
//! `Instrument`: the future re-binds its outbox on every poll, so it captures
//! correctly on whichever worker thread runs it.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use super::Outbox;

pin_project_lite::pin_project! {
    /// A future that runs with an outbox bound on every poll.
    ///
    /// Made by [`Outbox::scope`] or [`WithOutboxExt::with_outbox`]. It owns
    /// an outbox handle, so it is `Send + 'static` whenever the inner future
    /// is, and `tokio::spawn` takes it.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let mail = mailtest::capture();
    /// let fut: mailtest::WithOutbox<_> = mail.scope(async { mailtest::current().is_some() });
    /// assert!(tokio::spawn(fut).await.unwrap());
    /// # }
    /// ```
    #[must_use = "futures do nothing unless polled"]
    #[derive(Debug)]
    pub struct WithOutbox<F> {
        #[pin]
        inner: F,
        outbox: Option<Outbox>,
    }
}

impl<F: Future> Future for WithOutbox<F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = self.project();
        let _bound = this.outbox.as_ref().map(Outbox::bind);
        this.inner.poll(cx)
    }
}

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
        WithOutbox { inner: self, outbox: Some(outbox.clone()) }
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
        WithOutbox { inner: self, outbox: super::current() }
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
}
