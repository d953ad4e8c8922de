//! `bypass_capture()`: a mailer that runs its backend with the rule off.
//! The mailer marks the thread (or, async, every poll of the send) while
//! its backend runs; the SMTP backends ask before they connect.

use std::cell::Cell;

thread_local! {
    /// Set while a `bypass_capture()` mailer runs its backend on this thread.
    static BYPASSING: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f` as a `bypass_capture()` mailer when `bypass` is set: the SMTP
/// backends it runs may reach any server.
///
/// ```
/// assert!(!mailtest_capture::bypass_active());
/// mailtest_capture::bypassing(true, || assert!(mailtest_capture::bypass_active()));
/// ```
pub fn bypassing<T>(bypass: bool, f: impl FnOnce() -> T) -> T {
    if !bypass {
        return f();
    }
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            let _ = BYPASSING.try_with(|b| b.set(self.0));
        }
    }
    let _restore = Restore(BYPASSING.with(|b| b.replace(true)));
    f()
}

/// Whether a `bypass_capture()` mailer is running its backend on this thread.
///
/// ```
/// assert!(!mailtest_capture::bypass_active());
/// ```
pub fn bypass_active() -> bool {
    BYPASSING.try_with(Cell::get).unwrap_or(false)
}

pin_project_lite::pin_project! {
    /// A future polled as a `bypass_capture()` mailer: the async twin of
    /// [`bypassing`], set around every poll, on whichever thread polls.
    ///
    /// ```
    /// let fut = mailtest_capture::Bypassing::new(true, async { mailtest_capture::bypass_active() });
    /// # let _ = fut;
    /// ```
    #[must_use = "futures do nothing unless polled"]
    pub struct Bypassing<F> {
        #[pin]
        inner: F,
        bypass: bool,
    }
}

impl<F> Bypassing<F> {
    /// `inner`, polled as a `bypass_capture()` mailer when `bypass` is set.
    pub fn new(bypass: bool, inner: F) -> Bypassing<F> {
        Bypassing { inner, bypass }
    }
}

impl<F: std::future::Future> std::future::Future for Bypassing<F> {
    type Output = F::Output;

    fn poll(self: std::pin::Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<F::Output> {
        let this = self.project();
        bypassing(*this.bypass, || this.inner.poll(cx))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bypass_is_scoped_and_restored() {
        assert!(!bypass_active());
        bypassing(true, || {
            assert!(bypass_active());
            bypassing(false, || assert!(bypass_active(), "an inner mailer without bypass keeps it"));
        });
        assert!(!bypass_active());
    }
}
