//! Waiting for mail: blocking on the outbox's condition variable, or as a
//! future woken by the outbox's wakers, with a timer for the deadline. No
//! sleep loops: a waiter wakes when mail arrives or time is up.

use std::future::{Future, poll_fn};
use std::pin::Pin;
use std::task::Poll;
use std::time::Instant;

use crate::deadline::Deadline;
use crate::outbox::Outbox;

/// Blocks until `outbox` changes after `generation` or `deadline` passes.
pub(crate) fn block_until_change(outbox: &Outbox, generation: u64, deadline: Instant) {
    outbox.wait_for_change(generation, deadline);
}

/// Resolves when `outbox` changes after `generation` or `deadline` passes.
/// Never blocks the thread, so it works on a current-thread runtime.
pub(crate) async fn until_change(outbox: &Outbox, generation: u64, deadline: Instant) {
    let mut timer = Deadline::at(deadline);
    poll_fn(|cx| {
        if outbox.register_waker(generation, cx.waker()) {
            return Poll::Ready(());
        }
        Pin::new(&mut timer).poll(cx)
    })
    .await;
}

/// Why a blocking wait cannot work here, if it cannot: on the thread that
/// drives a current-thread tokio runtime, the sender is a task on this very
/// thread, so blocking would wait for ever.
///
/// A `spawn_blocking` thread of that runtime carries the same runtime handle
/// but may block, and tokio has no public way to tell the two apart, so this
/// asks tokio's own check: `Handle::block_on` panics only on a thread that is
/// already running the runtime.
pub(crate) fn blocking_wait_refusal() -> Option<&'static str> {
    #[cfg(feature = "tokio")]
    if let Ok(handle) = tokio::runtime::Handle::try_current()
        && handle.runtime_flavor() == tokio::runtime::RuntimeFlavor::CurrentThread
        && mailtest_mime::contain_panics(|| handle.block_on(async {})).is_err()
    {
        return Some(
            "a blocking wait (`.within(..)` with `.one()`, `.count(..)`, `assert_sent!(.., within: ..)`, …) \
             on a current-thread tokio runtime would block the tasks that send the mail; use the async \
             form: `.within(..).one_async().await` (`count_async`, `none_async`, `all_async`, …), or \
             `assert_sent_async!(.., within: ..).await`",
        );
    }
    None
}
