//! Binding a store to the current thread: the first rule of the decision.

use std::cell::RefCell;
use std::marker::PhantomData;

use crate::guard::mark_captured;
use crate::store::SharedStore;

thread_local! {
    static CURRENT: RefCell<Option<SharedStore>> = const { RefCell::new(None) };
}

/// Binds `store` to the current thread until the guard drops; the guard
/// then restores what was bound before, so bindings nest.
///
/// Binding counts as capturing: from then on the process is a test process
/// (see [`test_process`](crate::test_process)).
///
/// ```
/// # use std::sync::Arc;
/// # struct Nowhere;
/// # impl mailtest_capture::Store for Nowhere { fn store(&self, _: mailtest_capture::Captured) {} }
/// let guard = mailtest_capture::bind(Arc::new(Nowhere));
/// assert!(mailtest_capture::current().is_some());
/// drop(guard);
/// assert!(mailtest_capture::current().is_none());
/// ```
pub fn bind(store: SharedStore) -> BindGuard {
    mark_captured();
    store.bound_on(std::thread::current().id());
    let previous = CURRENT.with(|current| current.replace(Some(store)));
    BindGuard { previous, _not_send: PhantomData }
}

/// The store bound on the current thread, if any.
///
/// ```
/// assert!(mailtest_capture::current().is_none());
/// ```
pub fn current() -> Option<SharedStore> {
    // During thread teardown the thread-local may be gone: nothing is bound then.
    CURRENT.try_with(|current| current.borrow().clone()).ok().flatten()
}

/// Keeps a store bound to the current thread; dropping it restores what was
/// bound before.
///
/// `!Send`: a binding belongs to one thread. Guards restore correctly when
/// dropped in reverse order of creation, which scoping does for you.
///
/// ```
/// let outbox = mailtest::Outbox::new();
/// let guard: mailtest::BindGuard = outbox.bind();
/// assert!(mailtest::current().is_some());
/// drop(guard);
/// assert!(mailtest::current().is_none());
/// ```
#[must_use = "the outbox is unbound as soon as this is dropped; keep it: `let _bound = outbox.bind();`"]
pub struct BindGuard {
    previous: Option<SharedStore>,
    _not_send: PhantomData<*const ()>,
}

impl Drop for BindGuard {
    fn drop(&mut self) {
        let previous = self.previous.take();
        // During thread teardown there is nothing left to restore.
        let _ = CURRENT.try_with(|current| *current.borrow_mut() = previous);
    }
}

impl std::fmt::Debug for BindGuard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BindGuard").finish_non_exhaustive()
    }
}
