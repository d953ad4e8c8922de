//! Where a send goes, for [mailtest](https://docs.rs/mailtest): the one
//! decision that every send path of mailtest makes — its lettre transports,
//! `Mailer` and `AsyncMailer` (from [mailtest-mailer]), the memory backend
//! and `send_mail` — and the rule that keeps a test process from reaching a
//! real SMTP server.
//!
//! Applications never name this crate. It is the small piece that both a
//! production mailer and the test harness depend on: a mailer asks it
//! whether a test claims a message; the harness's `Outbox` is a [`Store`]
//! that claims it. It has no dependency beyond `std` and pin-project-lite,
//! so the production mailer compiles nothing of the harness.
//!
//! # The decision
//!
//! For a message to a list of recipients, [`claim`] finds, in order:
//!
//! 1. the store [`bind`]ed on the sending thread (or on the future being
//!    polled: [`WithOutbox`]);
//! 2. the stores that [`unique_address`] routed, for any recipient;
//! 3. the global capture, while one [`enter_global`] ticket lives.
//!
//! Nothing claims it? An ambient send ([`deliver_ambient`]) is refused with
//! a [`Refusal`], never dropped; a mailer uses its own backend, whose SMTP
//! connection asks [`check_real_smtp`] first: in a test process it may reach
//! only an SMTP sink of that process ([`guard`]). A mailer made with
//! `bypass_capture()` skips both: it says so to its backend in an argument
//! (mailtest-mailer's `Permit`), never through state of this crate.
//!
//! # Process-wide state, and why
//!
//! Every item below lives for the whole process, because a send may happen
//! on any thread, where no test's handle is in reach:
//!
//! | state | module | what it holds |
//! |---|---|---|
//! | bindings | [`bind`] | the store bound on each thread (thread-local) |
//! | routes | [`unique_address`] | routed address → store (weak) |
//! | the gate | [`enter_capture`], [`enter_global`] | live captures, the global capture |
//! | sinks | [`SinkRegistration`] | the addresses of this process's SMTP sinks |
//! | the test-process signal | [`test_process`] | whether the process captured |
//! | refusals | [`refusals_since`] | the newest 1,024 refused sends |
//!
//! # Faults on demand
//!
//! A store may carry a [`FaultPlan`] ([`Store::faults`]): a send it claims
//! is then played against the plan — the stages of an SMTP exchange, in
//! memory — and may be refused, time out, lose its connection, or be
//! stored with its `250` lost, as a real server would make it; the store
//! keeps each [`Attempt`]. The SMTP sink asks the same plan at each
//! command of a real session. See the `fault` module's reasons in
//! [`FaultPlan`].
//!
//! # Performance
//!
//! The decision costs nothing a test can see. Measured with
//! `cargo bench -p mailtest-benches --bench capture` (criterion, 2 cores,
//! load average 1.6), against a baseline in the same run on the same
//! message (multipart/mixed: text and HTML alternatives and a 2 KB
//! attachment); a `Mailer` send, which makes the same decision, is measured
//! in [mailtest-mailer]:
//!
//! | what | result | limit |
//! |---|---|---|
//! | an ambient send (the decision, then the bound store) / an explicit `outbox.transport()` send into the same store | **1.00×** (1.03 µs vs 1.03 µs) | ≤ 1.05× |
//!
//! [mailtest-mailer]: https://docs.rs/mailtest-mailer

#![warn(missing_docs)]

mod attempt;
mod bind;
mod captured;
mod decide;
mod fault;
mod global;
pub mod guard;
mod refusals;
mod route;
mod scope;
mod store;

pub use attempt::{Attempt, Outcome};
pub use bind::{BindGuard, bind, current};
pub use captured::Captured;
pub use decide::{
    Claim, check_real_send, check_real_smtp, claim, deliver_ambient, real_smtp_allowed, server_label,
};
pub use fault::{
    Answer, ArmedPlan, Client, Fault, FaultPlan, Injected, PlanError, Point, Reply, Stage, Verdict,
};
pub use global::{Ticket, enter_capture, enter_global, global};
pub use guard::{SinkRegistration, is_local_sink, mark_test_harness, test_process};
pub use refusals::{Cause, Refusal, since as refusals_since};
pub use route::{routed, unique_address};
pub use scope::WithOutbox;
pub use store::{SharedStore, Store};

/// Names the current thread for messages: its name, or its id.
///
/// ```
/// let name = std::thread::Builder::new()
///     .name("worker".into())
///     .spawn(mailtest_capture::thread_label)
///     .unwrap()
///     .join()
///     .unwrap();
/// assert_eq!(name, "worker");
/// ```
pub fn thread_label() -> String {
    let thread = std::thread::current();
    match thread.name() {
        Some(name) => name.to_owned(),
        None => format!("{:?}", thread.id()),
    }
}
