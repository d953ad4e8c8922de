//! How Django's helpers send: through the mailer given with
//! `connection(..)`, or one they make from the environment; with
//! `fail_silently`, a failure to send counts as nothing sent.

use lettre::Message;

use crate::backend::{Mailer, Settings};
use crate::error::Error;

/// The delivery options every helper takes.
#[derive(Clone, Default)]
pub(super) struct Via {
    pub(super) fail_silently: bool,
    pub(super) auth_user: Option<String>,
    pub(super) auth_password: Option<String>,
    pub(super) connection: Option<Mailer>,
    #[cfg(feature = "tokio")]
    pub(super) async_connection: Option<crate::backend::AsyncMailer>,
    /// The named mailer to make from the environment (Django's `using=`).
    pub(super) using: Option<String>,
}

impl std::fmt::Debug for Via {
    /// Every option but the password, which shows as `Some("[redacted]")`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut debug = f.debug_struct("Via");
        debug
            .field("fail_silently", &self.fail_silently)
            .field("auth_user", &self.auth_user)
            .field("auth_password", &self.auth_password.as_ref().map(|_| "[redacted]"))
            .field("connection", &self.connection);
        #[cfg(feature = "tokio")]
        debug.field("async_connection", &self.async_connection);
        debug.field("using", &self.using).finish()
    }
}

impl Via {
    /// The settings that give defaults (`DEFAULT_FROM_EMAIL`, `ADMINS`, …):
    /// those of the given mailer when it was made from settings, else the
    /// environment's — as Django reads its global settings.
    pub(super) fn settings(&self) -> Result<Settings, Error> {
        let given = self.connection.as_ref().and_then(Mailer::settings);
        #[cfg(feature = "tokio")]
        let given = given.or_else(|| self.async_connection.as_ref().and_then(|mailer| mailer.settings()));
        match given {
            Some(settings) => Ok(settings.clone()),
            None => self.env_settings(),
        }
    }

    /// The settings of the mailer to make from the environment — the one
    /// `using` names, else `default` — with `auth_user`/`auth_password`
    /// over them.
    fn env_settings(&self) -> Result<Settings, Error> {
        let env = Settings::from_env()?;
        let mut settings = env.mailer(self.mailer_name())?.clone();
        if let Some(user) = &self.auth_user {
            settings.host_user = Some(user.clone());
        }
        if let Some(password) = &self.auth_password {
            settings.host_password = Some(password.clone());
        }
        Ok(settings)
    }

    fn mailer_name(&self) -> &str {
        self.using.as_deref().unwrap_or("default")
    }

    /// Options that exclude each other, as Django refuses them: a given
    /// mailer has its own credentials and its own configuration. A mistake
    /// in the calling code, so an error even when failing silently.
    fn check(&self) -> Result<(), Error> {
        #[cfg(feature = "tokio")]
        let given = match (&self.connection, &self.async_connection) {
            (Some(_), _) => Some("connection(..)"),
            (None, Some(_)) => Some("async_connection(..)"),
            (None, None) => None,
        };
        #[cfg(not(feature = "tokio"))]
        let given = self.connection.as_ref().map(|_| "connection(..)");
        let Some(given) = given else { return Ok(()) };
        let conflict = |first: &str, reason: &str| Error::ConflictingOptions {
            first: first.to_owned(),
            second: given.to_owned(),
            reason: reason.to_owned(),
        };
        let credentials = "the given mailer logs in with the credentials it was made with; make it from \
                           settings with EMAIL_HOST_USER and EMAIL_HOST_PASSWORD instead";
        if self.auth_user.is_some() {
            return Err(conflict("auth_user(..)", credentials));
        }
        if self.auth_password.is_some() {
            return Err(conflict("auth_password(..)", credentials));
        }
        if self.using.is_some() {
            return Err(conflict(
                "using(..)",
                "both choose the mailer: give the mailer, or its name (Mailer::using makes a named mailer)",
            ));
        }
        Ok(())
    }

    /// The settings and the messages to send, or what the send returns
    /// without sending: `Ok(0)` for nothing to send (or a settings error
    /// with `fail_silently`), the error otherwise.
    fn prepare(
        &self,
        build: impl FnOnce(&Settings) -> Result<Vec<Message>, Error>,
    ) -> Result<(Settings, Vec<Message>), Result<usize, Error>> {
        self.check().map_err(Err)?;
        let settings = self.settings().map_err(|err| self.outcome(Err(err)))?;
        let messages = build(&settings).map_err(Err)?;
        if messages.is_empty() {
            return Err(Ok(0));
        }
        Ok((settings, messages))
    }

    /// Sends through the blocking mailer.
    pub(super) fn send(
        &self,
        build: impl FnOnce(&Settings) -> Result<Vec<Message>, Error>,
    ) -> Result<usize, Error> {
        let (settings, messages) = match self.prepare(build) {
            Ok(prepared) => prepared,
            Err(done) => return done,
        };
        #[cfg(feature = "tokio")]
        if self.connection.is_none() && self.async_connection.is_some() {
            return Err(Error::InvalidMessage {
                reason:
                    "an async mailer was given with `.async_connection(..)`: send with `.send_async().await`"
                        .to_owned(),
                source: None,
            });
        }
        let sent = match &self.connection {
            Some(mailer) => mailer.send_messages(&messages),
            None => Mailer::named(&settings, self.mailer_name())
                .and_then(|mailer| mailer.send_messages(&messages)),
        };
        self.outcome(sent)
    }

    /// Sends through the async mailer.
    #[cfg(feature = "tokio")]
    pub(super) async fn send_async(
        &self,
        build: impl FnOnce(&Settings) -> Result<Vec<Message>, Error>,
    ) -> Result<usize, Error> {
        let (settings, messages) = match self.prepare(build) {
            Ok(prepared) => prepared,
            Err(done) => return done,
        };
        if self.async_connection.is_none() && self.connection.is_some() {
            return Err(Error::InvalidMessage {
                reason: "a blocking mailer was given with `.connection(..)`: give an `AsyncMailer` with \
                         `.async_connection(..)`, or send with `.send()`"
                    .to_owned(),
                source: None,
            });
        }
        let sent = match &self.async_connection {
            Some(mailer) => mailer.send_messages(&messages).await,
            None => match crate::backend::AsyncMailer::named(&settings, self.mailer_name()) {
                Ok(mailer) => mailer.send_messages(&messages).await,
                Err(err) => Err(err),
            },
        };
        self.outcome(sent)
    }

    /// With `fail_silently`, a failure to send is nothing sent.
    fn outcome(&self, sent: Result<usize, Error>) -> Result<usize, Error> {
        match sent {
            Err(_) if self.fail_silently => Ok(0),
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn debug_never_shows_the_password() {
        let builder = crate::send_mail("Hi", "Hello", "app@example.com", &["ann@example.com"])
            .auth_user("app")
            .auth_password("s3cret");
        let shown = format!("{builder:?}");
        assert!(!shown.contains("s3cret"), "{shown}");
        assert!(shown.contains("auth_password: Some(\"[redacted]\")"), "{shown}");
    }
}
