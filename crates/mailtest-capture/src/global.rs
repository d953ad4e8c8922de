//! The global capture, and the gate that keeps tests using it deterministic.
//!
//! A global capture takes every send no binding or route claims, from any
//! thread of the process. Two of them, or one beside an ordinary capture of
//! another test, would take each other's mail; so the gate works like a
//! readers–writer lock: ordinary captures share it, a global capture holds
//! it alone. Under `cargo test` (many tests, one process) tests that use
//! `capture_global()` therefore run one at a time and apart from other
//! capturing tests; under nextest (a process per test) the gate is never
//! contended.
//!
//! A waiting global capture goes first: new ordinary captures wait for it,
//! so a stream of short tests cannot starve it. That preference is bounded
//! ([`PREFERENCE`]), because a capture may be made on a thread that a test
//! holding another capture waits for; a capture never waits for the global
//! capture when its own thread already holds a capture (nesting), and
//! `capture_global()` on such a thread panics instead of waiting for ever.

use std::cell::Cell;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, LazyLock, Mutex, MutexGuard, PoisonError, RwLock};
use std::time::{Duration, Instant};

use crate::guard::mark_captured;
use crate::store::SharedStore;
use crate::thread_label;

/// How long a new capture lets a *waiting* global capture go first.
const PREFERENCE: Duration = Duration::from_millis(500);
/// After this long waiting for a *held* global capture, a capture says why
/// it waits (once), in case the holder waits for it in turn.
const PATIENCE: Duration = Duration::from_secs(10);

#[derive(Default)]
struct GateState {
    /// Ordinary captures alive.
    captures: usize,
    /// The thread holding the global capture, if one is alive.
    global: Option<String>,
    /// Global captures waiting for the gate.
    globals_waiting: usize,
}

struct Gate {
    state: Mutex<GateState>,
    changed: Condvar,
}

static GATE: LazyLock<Gate> =
    LazyLock::new(|| Gate { state: Mutex::new(GateState::default()), changed: Condvar::new() });

/// The global capture's store, while one is alive.
static GLOBAL: RwLock<Option<SharedStore>> = RwLock::new(None);
/// Whether a global capture is alive: lets every other send skip the lock.
static GLOBAL_ALIVE: AtomicBool = AtomicBool::new(false);

thread_local! {
    /// Ordinary captures alive on this thread.
    static CAPTURES_HERE: Cell<usize> = const { Cell::new(0) };
    /// Whether this thread holds the global capture.
    static GLOBAL_HERE: Cell<bool> = const { Cell::new(false) };
}

/// The global capture's store, if one is alive.
///
/// ```
/// assert!(mailtest_capture::global().is_none());
/// ```
pub fn global() -> Option<SharedStore> {
    if !GLOBAL_ALIVE.load(Ordering::Acquire) {
        return None;
    }
    GLOBAL.read().unwrap_or_else(PoisonError::into_inner).clone()
}

/// A place at the gate, held by a capture and given up when it drops, on
/// the thread that took it (`!Send`, as a capture is).
#[derive(Debug)]
#[must_use = "the place at the gate is given up as soon as this is dropped"]
pub struct Ticket {
    global: bool,
    _not_send: std::marker::PhantomData<*const ()>,
}

impl Gate {
    fn lock(&self) -> MutexGuard<'_, GateState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn wait<'a>(&self, state: MutexGuard<'a, GateState>, timeout: Duration) -> MutexGuard<'a, GateState> {
        self.changed.wait_timeout(state, timeout).unwrap_or_else(PoisonError::into_inner).0
    }
}

/// Enters the gate for an ordinary capture, waiting while a global capture
/// is alive on another thread.
///
/// ```
/// let ticket = mailtest_capture::enter_capture();
/// drop(ticket);
/// ```
pub fn enter_capture() -> Ticket {
    let nested = CAPTURES_HERE.with(Cell::get) > 0 || GLOBAL_HERE.with(Cell::get);
    let mut state = GATE.lock();
    if !nested {
        let started = Instant::now();
        let mut told = false;
        loop {
            let waited = started.elapsed();
            let global_waits = state.globals_waiting > 0 && waited < PREFERENCE;
            if state.global.is_none() && !global_waits {
                break;
            }
            if let Some(holder) = state.global.as_deref().filter(|_| waited >= PATIENCE && !told) {
                told = true;
                eprintln!(
                    "mailtest: capture() on thread '{}' has waited {} s for the global capture held \
                     by thread '{holder}' to end (captures wait while a `capture_global()` is alive). \
                     If that thread waits for this one, they wait for ever: make the capture before \
                     calling `capture_global()`, or let the global capture take this thread's mail.",
                    thread_label(),
                    waited.as_secs()
                );
            }
            let timeout = if state.global.is_some() { PATIENCE } else { PREFERENCE.saturating_sub(waited) };
            state = GATE.wait(state, timeout.max(Duration::from_millis(1)));
        }
    }
    state.captures += 1;
    CAPTURES_HERE.with(|n| n.set(n.get() + 1));
    Ticket { global: false, _not_send: std::marker::PhantomData }
}

/// Enters the gate for the global capture: waits until no other capture is
/// alive, then publishes `store` to every thread until the ticket drops.
///
/// # Panics
///
/// When this thread already holds a capture: waiting would never end.
///
/// ```
/// # use std::sync::Arc;
/// # struct Nowhere;
/// # impl mailtest_capture::Store for Nowhere { fn store(&self, _: mailtest_capture::Captured) {} }
/// let ticket = mailtest_capture::enter_global(Arc::new(Nowhere));
/// assert!(mailtest_capture::global().is_some());
/// drop(ticket);
/// assert!(mailtest_capture::global().is_none());
/// ```
#[track_caller]
pub fn enter_global(store: SharedStore) -> Ticket {
    if GLOBAL_HERE.with(Cell::get) {
        panic!(
            "mailtest::capture_global(): this thread already holds the global capture; \
             use that one (one global capture at a time)"
        );
    }
    let held = CAPTURES_HERE.with(Cell::get);
    if held > 0 {
        panic!(
            "mailtest::capture_global(): thread '{}' already holds {held} capture{} \
             (`mailtest::capture()`); a global capture waits until no other capture is alive, \
             so it would wait for ever. Call `capture_global()` first, or instead of `capture()`: \
             it binds to this thread as well.",
            thread_label(),
            if held == 1 { "" } else { "s" }
        );
    }
    mark_captured();
    let mut state = GATE.lock();
    state.globals_waiting += 1;
    while state.captures > 0 || state.global.is_some() {
        state = GATE.wait(state, PATIENCE);
    }
    state.globals_waiting -= 1;
    state.global = Some(thread_label());
    *GLOBAL.write().unwrap_or_else(PoisonError::into_inner) = Some(store);
    GLOBAL_ALIVE.store(true, Ordering::Release);
    GLOBAL_HERE.with(|here| here.set(true));
    Ticket { global: true, _not_send: std::marker::PhantomData }
}

impl Drop for Ticket {
    fn drop(&mut self) {
        let mut state = GATE.lock();
        if self.global {
            GLOBAL_ALIVE.store(false, Ordering::Release);
            *GLOBAL.write().unwrap_or_else(PoisonError::into_inner) = None;
            state.global = None;
            let _ = GLOBAL_HERE.try_with(|here| here.set(false));
        } else {
            state.captures -= 1;
            let _ = CAPTURES_HERE.try_with(|n| n.set(n.get().saturating_sub(1)));
        }
        drop(state);
        GATE.changed.notify_all();
    }
}
