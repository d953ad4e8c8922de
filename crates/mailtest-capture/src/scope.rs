//! Propagating a binding to futures, modelled on `tracing`'s `Instrument`:
//! the future re-binds its store on every poll, so it captures on whichever
//! worker thread runs it.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::bind::bind;
use crate::store::SharedStore;

pin_project_lite::pin_project! {
    /// A future that runs with a store bound on every poll.
    ///
    /// Made by `mailtest::Outbox::scope` or `mailtest::WithOutboxExt`. It
    /// owns a handle to the store, so it is `Send + 'static` whenever the
    /// inner future is, and `tokio::spawn` takes it.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let mail = mailtest::capture();
    /// let fut: mailtest::WithOutbox<_> = mail.scope(async { mailtest::current().is_some() });
    /// assert!(tokio::spawn(fut).await.unwrap());
    /// # }
    /// ```
    #[must_use = "futures do nothing unless polled"]
    pub struct WithOutbox<F> {
        #[pin]
        inner: F,
        store: Option<SharedStore>,
    }
}

impl<F> WithOutbox<F> {
    /// `inner`, with `store` bound around every poll (nothing when `None`).
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # struct Nowhere;
    /// # impl mailtest_capture::Store for Nowhere { fn store(&self, _: mailtest_capture::Captured) {} }
    /// let fut = mailtest_capture::WithOutbox::new(async { mailtest_capture::current().is_some() }, Some(Arc::new(Nowhere)));
    /// # let _ = fut;
    /// ```
    pub fn new(inner: F, store: Option<SharedStore>) -> WithOutbox<F> {
        WithOutbox { inner, store }
    }
}

impl<F: Future> Future for WithOutbox<F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = self.project();
        let _bound = this.store.clone().map(bind);
        this.inner.poll(cx)
    }
}

impl<F> std::fmt::Debug for WithOutbox<F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WithOutbox").field("bound", &self.store.is_some()).finish_non_exhaustive()
    }
}
