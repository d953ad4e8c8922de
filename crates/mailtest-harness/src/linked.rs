//! The harness tells the delivery guard, before `main`, that this binary
//! contains it: a binary that links mailtest's test harness is a test, so
//! no mailer in it may reach a real SMTP server — from the first line of the
//! first test, wherever the binary was copied (see `mailtest_capture::guard`).
//!
//! The loader runs the functions listed in a binary's initializer section
//! (`.init_array` on ELF, `__mod_init_func` on Mach-O, `.CRT$XCU` on
//! Windows) before `main`; placing a function pointer there is the one
//! attribute of the crate that needs `unsafe`. The initializer only sets an
//! atomic flag, which is sound before the standard library is set up: no
//! allocation, no thread-local, no I/O. On other targets there is no
//! initializer, and the guard falls back on its other signals.
//!
//! A linker keeps an object file only when something uses it, so
//! [`keep`] is called where every test starts (`capture()`,
//! `Outbox::new()`): a binary that captures anything carries the
//! initializer.

/// Runs before `main` in every binary that links the harness: every Unix
/// (ELF's `.init_array`, Mach-O's `__mod_init_func`) and Windows.
#[cfg(any(unix, windows))]
mod initializer {
    extern "C" fn mark() {
        mailtest_capture::mark_test_harness();
    }

    // SAFETY: the section holds pointers to `extern "C" fn()` that the loader
    // calls once before `main`; `mark` is one, and only stores to an atomic.
    #[allow(unsafe_code)]
    #[used]
    #[cfg_attr(target_vendor = "apple", unsafe(link_section = "__DATA,__mod_init_func"))]
    #[cfg_attr(windows, unsafe(link_section = ".CRT$XCU"))]
    #[cfg_attr(not(any(target_vendor = "apple", windows)), unsafe(link_section = ".init_array"))]
    static MARK: extern "C" fn() = mark;

    pub(super) fn keep() {
        std::hint::black_box(&MARK);
    }
}

/// Elsewhere there is no initializer to keep.
#[cfg(not(any(unix, windows)))]
mod initializer {
    pub(super) fn keep() {}
}

/// Keeps the initializer in every binary that reaches this call.
pub(crate) fn keep() {
    initializer::keep();
}
