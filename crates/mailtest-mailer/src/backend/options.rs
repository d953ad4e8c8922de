//! The constructors and options `Mailer` and `AsyncMailer` share, written
//! once: each is a thin driver of the same [`Core`](super::core::Core), so
//! what differs between them is only the backend trait and how a step is
//! carried out (called, or awaited). The examples that send are given per
//! mailer (an async one needs a runtime).

/// Defines `from_env`, `from_settings`, `using`, `name`, `fail_silently`,
/// `settings` and `bypass_capture` on `$mailer` (which has `core: Core`,
/// `named(settings, name)`), with the two examples that send.
macro_rules! mailer_options {
    ($mailer:ident, fail_silently: $fail_silently:literal, bypass_capture: $bypass_capture:literal) => {
        impl $mailer {
            /// A mailer configured by the `EMAIL_*` environment variables:
            /// see [`Settings`].
            ///
            /// ```
            /// # if std::env::var_os("EMAIL_BACKEND").is_none() {
            /// let mail = mailtest::capture();
            #[doc = concat!("let mailer = mailtest::", stringify!($mailer), "::from_env().unwrap();")]
            /// # let _ = (mail, mailer);
            /// # }
            /// ```
            pub fn from_env() -> Result<$mailer, Error> {
                $mailer::from_settings(&Settings::from_env()?)
            }

            /// A mailer configured by `settings`. Needs no runtime, and
            /// connects to no server, until the first send (or
            /// [`open`](Self::open)).
            ///
            /// The file backend checks its directory now (creating it if
            /// missing), so a bad `EMAIL_FILE_PATH` fails here, not at the
            /// first send. The SMTP backend reads its certificate files now.
            /// Without the `smtp` feature an SMTP mailer can still be made —
            /// so code and tests that capture work whatever the
            /// configuration — but a send that reaches it fails: in a test
            /// process with [`Error::NoOutbox`] (turning the feature on would
            /// not make it happen), elsewhere with [`Error::FeatureRequired`].
            ///
            /// ```
            /// let dir = tempfile::tempdir().unwrap();
            /// let settings = mailtest::Settings::from_vars([
            ///     ("EMAIL_BACKEND", "file"),
            ///     ("EMAIL_FILE_PATH", dir.path().to_str().unwrap()),
            /// ])
            /// .unwrap();
            #[doc = concat!("let mailer = mailtest::", stringify!($mailer), "::from_settings(&settings).unwrap();")]
            /// # let _ = mailer;
            /// ```
            pub fn from_settings(settings: &Settings) -> Result<$mailer, Error> {
                $mailer::named(settings, "default")
            }

            /// A mailer configured by one URL: lettre's syntax
            /// (`smtps://user:password@smtp.example.com`,
            /// `smtp://smtp.example.com?tls=required`), so an app moving from
            /// `SmtpTransport::from_url` keeps its configuration, or
            /// django-environ's `EMAIL_URL` schemes. See
            /// [`Settings::from_url`] for the schemes and the errors.
            ///
            /// ```
            /// let mail = mailtest::capture(); // a test: nothing reaches the server
            #[doc = concat!("let mailer = mailtest::", stringify!($mailer), "::from_url(\"smtp+tls://ann:s3cret@smtp.example.com\").unwrap();")]
            /// assert_eq!(mailer.settings().map(|s| s.port), Some(587));
            #[doc = concat!("assert!(mailtest::", stringify!($mailer), "::from_url(\"smtp:/smtp.example.com\").is_err());")]
            /// # drop(mail);
            /// ```
            pub fn from_url(url: &str) -> Result<$mailer, Error> {
                $mailer::from_settings(&Settings::from_url(url)?)
            }

            /// The mailer called `name` in `settings` — Django's
            /// `mail.mailers[name]`: `default` is the one the `EMAIL_*`
            /// settings configure, the others are those `MAILERS` names (see
            /// [`Settings`]). What it sends is captured with its name
            /// ([`Email::sent_using`](https://docs.rs/mailtest/latest/mailtest/struct.Email.html#method.sent_using)),
            /// so a test can check that the bulk mail went through the bulk
            /// mailer.
            ///
            /// # Errors
            ///
            /// [`Error::UnknownMailer`] naming the mailers there are;
            /// otherwise as [`from_settings`](Self::from_settings).
            ///
            /// ```
            /// let settings = mailtest::Settings::from_vars([
            ///     ("EMAIL_BACKEND", "smtp"),
            ///     ("MAILERS", "bulk"),
            ///     ("MAILER_BULK_BACKEND", "dummy"),
            /// ])
            /// .unwrap();
            #[doc = concat!("let bulk = mailtest::", stringify!($mailer), "::using(&settings, \"bulk\").unwrap();")]
            /// assert_eq!(bulk.name(), Some("bulk"));
            #[doc = concat!("assert!(mailtest::", stringify!($mailer), "::using(&settings, \"alerts\").is_err());")]
            /// ```
            pub fn using(settings: &Settings, name: &str) -> Result<$mailer, Error> {
                $mailer::named(settings.mailer(name)?, &name.to_ascii_lowercase())
            }

            /// Its name among the configured mailers: `default` for one made
            /// from settings, the name given to [`using`](Self::using);
            /// `None` for one made in code with [`new`](Self::new).
            ///
            /// ```
            #[doc = concat!("assert_eq!(mailtest::", stringify!($mailer), "::new(mailtest::DummyBackend).name(), None);")]
            /// let settings = mailtest::Settings::from_vars([("EMAIL_BACKEND", "dummy")]).unwrap();
            #[doc = concat!("let mailer = mailtest::", stringify!($mailer), "::from_settings(&settings).unwrap();")]
            /// assert_eq!(mailer.name(), Some("default"));
            /// ```
            pub fn name(&self) -> Option<&str> {
                self.core.name()
            }

            /// This mailer, failing silently — Django's
            /// `get_connection(fail_silently=True)`: a failed
            /// [`open`](Self::open) is no error, and a batch goes on past a
            /// message that fails and counts only what was sent. Errors are
            /// not reported at all, so use it only where mail is a nicety (an
            /// error report that must not fail the request that caused it).
            /// A send the test-process rule refuses is still recorded, and
            /// listed by a failing query. A line break in a header is still
            /// an error: a mistake in the calling code. Clones made from the
            /// result fail silently too; the original does not.
            ///
            #[doc = $fail_silently]
            pub fn fail_silently(self, fail_silently: bool) -> $mailer {
                $mailer { core: self.core.with_fail_silently(fail_silently), ..self }
            }

            /// The settings this mailer was made from, if it was: for
            /// `DEFAULT_FROM_EMAIL` and the other settings an application
            /// reads.
            ///
            /// ```
            /// let settings = mailtest::Settings::from_vars([("DEFAULT_FROM_EMAIL", "Shop <shop@example.com>")]).unwrap();
            #[doc = concat!("let mailer = mailtest::", stringify!($mailer), "::from_settings(&settings).unwrap();")]
            /// assert_eq!(mailer.settings().unwrap().default_from_email, "Shop <shop@example.com>");
            #[doc = concat!("assert!(mailtest::", stringify!($mailer), "::new(mailtest::DummyBackend).settings().is_none());")]
            /// ```
            pub fn settings(&self) -> Option<&Settings> {
                self.core.settings()
            }

            /// This mailer, always sending through its own backend: no
            /// binding, route or global capture takes its mail, and the
            /// test-process rule does not apply to it (its backend gets a
            /// [`Permit`](crate::Permit) that says so). For tests of a
            /// backend itself — an SMTP server's behaviour, say — never for
            /// application code under test. Clones made from the result
            /// bypass too; the original does not.
            ///
            #[doc = $bypass_capture]
            pub fn bypass_capture(self) -> $mailer {
                $mailer { core: self.core.bypassing_capture(), ..self }
            }

            /// This mailer, meeting `plan`'s faults: what a capture takes
            /// from it is played against this plan (rather than the
            /// capture's own), and a fault answers with the error the SMTP
            /// backend gives for the same answer of a real server (see
            /// [`Error::outcome_unknown`] for which errors a retry is safe
            /// for). The attempts are kept by the capture. Sends that reach
            /// the backend meet no plan here: point the SMTP backend at an
            /// `SmtpSink` with the plan instead. Clones share the plan's
            /// counts and generator.
            ///
            /// # Panics
            ///
            /// When the plan does not pass [`FaultPlan::check`](mailtest_capture::FaultPlan::check),
            /// naming the fault; [`try_faults`](Self::try_faults) returns the error.
            ///
            /// ```
            /// use mailtest_capture::{Fault, FaultPlan, Stage};
            ///
            #[doc = concat!("let bulk = mailtest::", stringify!($mailer), "::new(mailtest::MemoryBackend)")]
            ///     .faults(FaultPlan::new().fault(Fault::rate_limit(100)));
            /// # let _ = bulk;
            /// ```
            #[track_caller]
            pub fn faults(self, plan: mailtest_capture::FaultPlan) -> $mailer {
                match self.try_faults(plan) {
                    Ok(mailer) => mailer,
                    Err(err) => panic!("mailtest: {err}"),
                }
            }

            /// [`faults`](Self::faults), returning what is wrong with the plan.
            ///
            /// ```
            /// use mailtest_capture::{Fault, FaultPlan, Stage};
            ///
            /// let plan = FaultPlan::new().fault(Fault::reply(Stage::Mail, 451, "4.3.0 later").to("ann@example.com"));
            #[doc = concat!("let err = mailtest::", stringify!($mailer), "::new(mailtest::MemoryBackend).try_faults(plan).unwrap_err();")]
            /// assert!(err.to_string().contains("RCPT or later"));
            /// ```
            pub fn try_faults(self, plan: mailtest_capture::FaultPlan) -> Result<$mailer, mailtest_capture::PlanError> {
                Ok($mailer { core: self.core.with_faults(plan)?, ..self })
            }
        }
    };
}

pub(crate) use mailer_options;
