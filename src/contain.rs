//! Running code that may panic where a panic is an expected answer, not a
//! failure: a third-party parser on hostile input, a probe of a runtime.
//!
//! The panic hook is wrapped once so that contained panics do not print a
//! misleading "thread panicked" line into the test output; every other
//! panic goes to the hook that was installed before.

use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

thread_local! {
    static CONTAINING: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f`, turning a panic into `Err(message)`, without printing it.
pub(crate) fn contain_panics<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    static QUIET_HOOK: Once = Once::new();
    // The hook cannot be changed while this thread unwinds (std panics, and
    // in a destructor that aborts): then a contained panic prints its line.
    if !std::thread::panicking() {
        QUIET_HOOK.call_once(install_quiet_hook);
    }
    let was = CONTAINING.with(|c| c.replace(true));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    CONTAINING.with(|c| c.set(was));
    result.map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic with no message".to_owned())
    })
}

fn install_quiet_hook() {
    let previous = panic::take_hook();
    panic::set_hook(Box::new(move |info| {
        if !CONTAINING.with(Cell::get) {
            previous(info);
        }
    }));
}
