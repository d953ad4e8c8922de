//! What [`Mailer`](crate::Mailer) and [`AsyncMailer`](crate::AsyncMailer)
//! share besides their backend: the options a mailer was made with, and
//! the [`Plan`] of each call made from them. The two mailers only carry out
//! a plan's steps — one calls its backend, the other awaits it.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use lettre::Message;
use lettre::address::Envelope;
use mailtest_capture::{ArmedPlan, FaultPlan, PlanError};

use super::plan::{Plan, Policy};
use super::{Permit, Settings};

/// A mailer's options; clones share the session flag.
#[derive(Clone)]
pub(crate) struct Core {
    /// The backend's name, for `Debug`.
    label: Arc<str>,
    bypass: bool,
    fail_silently: bool,
    asynchronous: bool,
    /// Whether `open()` was called and `close()` not since: a fail-silently
    /// batch then keeps the session rather than opening and closing its own.
    opened: Arc<AtomicBool>,
    /// What it was made from, if from settings: defaults for `send_mail`.
    settings: Option<Arc<Settings>>,
    /// Its name among the configured mailers (Django's alias), if it has one.
    name: Option<Arc<str>>,
    /// Its fault plan, answering for what a capture takes from it.
    faults: Option<Arc<ArmedPlan>>,
}

impl Core {
    /// A mailer of a backend called `label`; `asynchronous` for an `AsyncMailer`.
    pub(crate) fn new(label: &str, asynchronous: bool) -> Core {
        Core {
            label: label.into(),
            bypass: false,
            fail_silently: false,
            asynchronous,
            opened: Arc::new(AtomicBool::new(false)),
            settings: None,
            name: None,
            faults: None,
        }
    }

    /// The label of a backend value: its type's name, without the path.
    pub(crate) fn label_of<B>(backend: &B) -> &'static str {
        std::any::type_name_of_val(backend).rsplit("::").next().unwrap_or("backend")
    }

    /// These options for the mailer called `name` in `settings`.
    pub(crate) fn named(self, settings: &Settings, name: &str) -> Core {
        Core { settings: Some(Arc::new(settings.clone())), name: Some(name.into()), ..self }
    }

    pub(crate) fn with_fail_silently(self, fail_silently: bool) -> Core {
        Core { fail_silently, ..self }
    }

    pub(crate) fn with_faults(self, plan: FaultPlan) -> Result<Core, PlanError> {
        Ok(Core { faults: Some(Arc::new(ArmedPlan::new(plan)?)), ..self })
    }

    pub(crate) fn bypassing_capture(self) -> Core {
        Core { bypass: true, ..self }
    }

    pub(crate) fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    pub(crate) fn settings(&self) -> Option<&Settings> {
        self.settings.as_deref()
    }

    fn policy(&self) -> Policy<'_> {
        Policy {
            permit: Permit::new(self.bypass, self.asynchronous),
            fail_silently: self.fail_silently,
            opened: &self.opened,
            localtime: self.settings.as_ref().is_some_and(|settings| settings.use_localtime),
            sent_using: self.name.as_ref(),
            faults: self.faults.as_ref(),
        }
    }

    /// The plan of `send_messages` / `deliver`.
    pub(crate) fn deliver<'a>(&'a self, messages: &'a [Message]) -> Plan<'a> {
        Plan::batch(messages, self.policy())
    }

    /// The plan of `lettre`'s `send_raw`.
    pub(crate) fn send_raw<'a>(&'a self, envelope: &'a Envelope, raw: &'a [u8]) -> Plan<'a> {
        Plan::raw(envelope, raw, self.policy())
    }

    /// The plan of `open`.
    pub(crate) fn open(&self) -> Plan<'_> {
        Plan::open(self.policy())
    }

    /// The plan of `close`.
    pub(crate) fn close(&self) -> Plan<'_> {
        Plan::close(self.policy())
    }

    /// `Debug` for the mailer type `mailer`.
    pub(crate) fn debug(&self, mailer: &str, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct(mailer)
            .field("name", &self.name)
            .field("backend", &self.label)
            .field("bypass_capture", &self.bypass)
            .field("fail_silently", &self.fail_silently)
            .field("faults", &self.faults.as_ref().map(|faults| faults.plan()))
            .finish()
    }
}

/// The mailer `$settings` configure, called `$name`: the backend they name,
/// made as `$mailer` takes it (`$smtp` for SMTP, `$custom` for a registered
/// name). One list of backends for both mailers.
macro_rules! from_settings {
    ($mailer:ident, $settings:expr, $name:expr, $smtp:expr, $custom:expr) => {{
        let settings: &Settings = $settings;
        settings.check()?;
        let mailer = match settings.backend {
            BackendKind::Smtp => $smtp(settings)?,
            BackendKind::Console => $mailer::new(ConsoleBackend::stdout()),
            BackendKind::File => $mailer::new(FileBackend::new(settings.required_file_path()?)?),
            BackendKind::Memory => $mailer::new(MemoryBackend),
            BackendKind::Dummy => $mailer::new(DummyBackend),
            BackendKind::Custom(backend) => $mailer::boxed($custom(backend, settings)?, backend),
        };
        Ok($mailer { core: mailer.core.named(settings, $name), ..mailer })
    }};
}

pub(crate) use from_settings;
