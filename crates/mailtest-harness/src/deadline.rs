//! A future that is ready at an instant: the deadline of an async wait
//! (`.within(..).one_async()`, `assert_sent_async!`), on any runtime or
//! none. One thread, started on first use, sleeps until the earliest
//! deadline and wakes the tasks whose deadline has passed; a wait that ends
//! early (the mail came) takes its deadline off the list as it is dropped.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard, OnceLock, PoisonError};
use std::task::{Context, Poll, Waker};
use std::time::Instant;

/// Ready once `Instant::now()` reaches its instant.
#[derive(Debug)]
pub(crate) struct Deadline {
    at: Instant,
    id: u64,
}

impl Deadline {
    pub(crate) fn at(at: Instant) -> Self {
        static NEXT_ID: AtomicU64 = AtomicU64::new(0);
        Deadline { at, id: NEXT_ID.fetch_add(1, Ordering::Relaxed) }
    }
}

/// The deadlines tasks wait on, each with the waker of its last poll.
struct Timers {
    pending: Mutex<Vec<(u64, Instant, Waker)>>,
    changed: Condvar,
}

impl Timers {
    fn pending(&self) -> MutexGuard<'_, Vec<(u64, Instant, Waker)>> {
        // The list stays consistent whatever panicked while holding it.
        self.pending.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

static TIMERS: Timers = Timers { pending: Mutex::new(Vec::new()), changed: Condvar::new() };

/// Whether the timer thread runs: started by the first wait.
fn started() -> bool {
    static STARTED: OnceLock<bool> = OnceLock::new();
    *STARTED.get_or_init(|| {
        std::thread::Builder::new().name("mailtest-deadlines".into()).spawn(|| run(&TIMERS)).is_ok()
    })
}

/// The timer thread: wakes what is due, then sleeps until the next
/// deadline or a new one.
fn run(timers: &Timers) {
    let mut pending = timers.pending();
    loop {
        let now = Instant::now();
        let due: Vec<Waker> =
            pending.extract_if(.., |(_, at, _)| *at <= now).map(|(_, _, waker)| waker).collect();
        if !due.is_empty() {
            // A waker may run the task's code: never under the lock.
            drop(pending);
            due.into_iter().for_each(Waker::wake);
            pending = timers.pending();
            continue;
        }
        pending = match pending.iter().map(|(_, at, _)| *at).min() {
            Some(next) => {
                timers.changed.wait_timeout(pending, next - now).unwrap_or_else(PoisonError::into_inner).0
            }
            None => timers.changed.wait(pending).unwrap_or_else(PoisonError::into_inner),
        };
    }
}

impl Future for Deadline {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if Instant::now() >= self.at {
            return Poll::Ready(());
        }
        if !started() {
            // No thread could be started (the process is out of them): poll
            // again soon rather than never.
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        let mut pending = TIMERS.pending();
        match pending.iter_mut().find(|(id, _, _)| *id == self.id) {
            Some((_, _, waker)) => waker.clone_from(cx.waker()),
            None => {
                pending.push((self.id, self.at, cx.waker().clone()));
                TIMERS.changed.notify_one();
            }
        }
        Poll::Pending
    }
}

impl Drop for Deadline {
    fn drop(&mut self) {
        TIMERS.pending().retain(|(id, _, _)| *id != self.id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::AtomicUsize;
    use std::task::Wake;
    use std::time::Duration;

    struct Count(AtomicUsize);

    impl Wake for Count {
        fn wake(self: Arc<Self>) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    #[test]
    fn wakes_its_task_once_the_instant_has_passed_and_is_then_ready() {
        let count = Arc::new(Count(AtomicUsize::new(0)));
        let waker = Waker::from(count.clone());
        let mut cx = Context::from_waker(&waker);
        let mut deadline = Deadline::at(Instant::now() + Duration::from_millis(30));
        assert!(Pin::new(&mut deadline).poll(&mut cx).is_pending());
        assert!(Pin::new(&mut deadline).poll(&mut cx).is_pending());
        let registered = TIMERS.pending().iter().filter(|(id, _, _)| *id == deadline.id).count();
        assert_eq!(registered, 1, "a second poll registers nothing new");
        let until = Instant::now() + Duration::from_secs(10);
        while count.0.load(Ordering::SeqCst) == 0 && Instant::now() < until {
            std::thread::sleep(Duration::from_millis(5));
        }
        assert_eq!(count.0.load(Ordering::SeqCst), 1);
        assert!(Pin::new(&mut deadline).poll(&mut cx).is_ready());
    }

    #[test]
    fn a_dropped_deadline_leaves_the_list() {
        let waker = Waker::from(Arc::new(Count(AtomicUsize::new(0))));
        let mut deadline = Deadline::at(Instant::now() + Duration::from_secs(3600));
        assert!(Pin::new(&mut deadline).poll(&mut Context::from_waker(&waker)).is_pending());
        let id = deadline.id;
        drop(deadline);
        assert!(!TIMERS.pending().iter().any(|(other, _, _)| *other == id));
    }
}
