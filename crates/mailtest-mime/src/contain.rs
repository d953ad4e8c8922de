//! Running code that may panic where a panic is an expected answer, not a
//! failure: a probe of a runtime (`wait.rs` asks tokio whether this thread
//! drives it), or the decoder on input nobody foresaw (a safety net: the
//! MIME walk calls no code known to panic).
//!
//! A contained panic should not print a misleading "thread panicked" line
//! into the test output, and only the process-wide panic hook can keep it
//! quiet. So a hook is installed once, wrapping the hook that was there
//! before, and passing every panic to it except the ones contained on this
//! thread. Two rules keep it from hurting anyone:
//!
//! - It is installed only from a thread that is not panicking. Changing the
//!   hook from a panicking thread panics (inside a `Drop` that runs while a
//!   test fails, that aborts the whole test binary), so a first containment
//!   during unwinding runs without the quiet hook: its panic may print,
//!   nothing aborts.
//! - It is installed at most once, and never replaced: a hook the user sets
//!   before it is called for every panic but ours; a hook the user sets after
//!   it replaces it, and then contained panics print through the user's hook
//!   — they are still contained.

use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

thread_local! {
    static CONTAINING: Cell<bool> = const { Cell::new(false) };
}

static QUIET_HOOK: Once = Once::new();

/// Runs `f`, turning a panic into `Err(message)`, without printing it when
/// that can be done safely (see the module docs).
pub fn contain_panics<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    if !std::thread::panicking() {
        QUIET_HOOK.call_once(|| {
            let previous = panic::take_hook();
            panic::set_hook(Box::new(move |info| {
                if !CONTAINING.with(Cell::get) {
                    previous(info);
                }
            }));
        });
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
