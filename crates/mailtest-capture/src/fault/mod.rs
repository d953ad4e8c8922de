//! Faults on demand: a [`FaultPlan`] says how the "server" answers instead
//! of a plain `250` — a reply code at a stage, greylisting, a rate limit, a
//! timeout, a dropped connection, a lost `250` — and which sends it hits,
//! deterministically.
//!
//! # Why here
//!
//! The plan is written once and read in two places that share no other
//! code: the delivery decision of this crate, which plays a send into a
//! capture against the plan in memory ([`ArmedPlan::play`]), and the SMTP
//! sink (mailtest-sink), which asks the plan at each command of a real
//! session ([`ArmedPlan::answer`]). This crate is the one both depend on,
//! and it has no dependency of its own, so the production mailer that
//! carries a plan (`Mailer::faults`) compiles nothing more for it.
//!
//! The attempt log belongs with the store (mailtest's `Outbox`): the
//! decision only hands each [`Attempt`](crate::Attempt) to the store that
//! claimed the send, through [`Store::attempt`](crate::Store::attempt).
//! Whether a send meets a fault belongs to the decision: a capture or
//! routed address whose store has a plan ([`Store::faults`](crate::Store::faults))
//! answers with the fault instead of storing ([`Claim::deliver`](crate::Claim::deliver)).
//! A send into a store without a plan costs one call that returns `None`.

mod armed;
mod exchange;
mod plan;
mod reply;
mod rng;

pub use armed::{Answer, ArmedPlan, Injected, Point};
pub use exchange::{Client, Verdict};
pub use plan::{Fault, FaultPlan, PlanError};
pub use reply::{Reply, Stage};
