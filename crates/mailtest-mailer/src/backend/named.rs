//! Several named mailers in one configuration — Django's `MAILERS`.
//!
//! Django (6.1) configures mailers in a dictionary:
//!
//! ```python
//! MAILERS = {
//!     "default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend",
//!                 "OPTIONS": {"host": "smtp.example.com"}},
//!     "bulk": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend",
//!              "OPTIONS": {"host": "bulk-relay.example.com", "port": 2525}},
//! }
//! ```
//!
//! and sends through one with `send_mail(..., using="bulk")` or
//! `mail.mailers["bulk"]`; the locmem backend records the name on each
//! message (`sent_using`). An environment is flat, so the same reads:
//!
//! ```text
//! EMAIL_HOST=smtp.example.com              # the mailer "default"
//! MAILERS=bulk
//! MAILER_BULK_EMAIL_HOST=bulk-relay.example.com
//! MAILER_BULK_EMAIL_PORT=2525
//! ```
//!
//! This module reads the `MAILERS` and `MAILER_<NAME>_<SETTING>` variables;
//! `Settings::mailer(name)` and `Mailer::using(settings, name)` use them.

use std::collections::BTreeMap;

use super::Settings;
use super::settings::invalid;
use crate::error::Error;

/// The settings a named mailer has of its own: how it sends. The others
/// (the sender defaults, the subject prefix, …) are the same for every mailer.
const PER_MAILER: &[&str] = &[
    "EMAIL_BACKEND",
    "EMAIL_HOST",
    "EMAIL_PORT",
    "EMAIL_HOST_USER",
    "EMAIL_HOST_PASSWORD",
    "EMAIL_USE_TLS",
    "EMAIL_USE_SSL",
    "EMAIL_TIMEOUT",
    "EMAIL_SSL_CERTFILE",
    "EMAIL_SSL_KEYFILE",
    "EMAIL_SSL_CAFILE",
    "EMAIL_FILE_PATH",
];

/// What `MAILERS` and the `MAILER_..` variables said, while reading.
#[derive(Default)]
pub(super) struct Named {
    /// The names in `MAILERS`, lower case, as listed.
    names: Vec<String>,
    /// `(mailer, setting, value, variable)` in the order given.
    settings: Vec<(String, &'static str, String, String)>,
}

impl Named {
    /// Takes `key` if it is `MAILERS` or a mailer's setting; `false` for
    /// any other variable. A `MAILER_` variable that neither ends with a
    /// mailer's setting nor has `_EMAIL_` in it is not ours (another tool's
    /// `MAILER_DSN`, say) and is left alone.
    pub(super) fn read(&mut self, key: &str, value: &str) -> Result<bool, Error> {
        if key == "MAILERS" {
            self.names = names(value)?;
            return Ok(true);
        }
        let Some(rest) = key.strip_prefix("MAILER_") else { return Ok(false) };
        // The longest setting the variable ends with: a name may hold `_`.
        let split = PER_MAILER
            .iter()
            .filter_map(|&setting| {
                let mailer = rest.strip_suffix(setting)?.strip_suffix('_')?;
                (!mailer.is_empty()).then_some((mailer, setting))
            })
            .max_by_key(|(_, setting)| setting.len());
        let Some((mailer, setting)) = split else {
            if !rest.contains("_EMAIL_") {
                return Ok(false);
            }
            return Err(invalid(
                key,
                value,
                &format!(
                    "MAILER_<NAME>_ followed by a setting a mailer has of its own: {}",
                    PER_MAILER.join(", ")
                ),
            ));
        };
        if mailer.eq_ignore_ascii_case("default") {
            return Err(invalid(key, value, &format!("the default mailer is set with the plain {setting}")));
        }
        self.settings.push((mailer.to_ascii_lowercase(), setting, value.to_owned(), key.to_owned()));
        Ok(true)
    }

    /// Each named mailer's settings: the shared settings of `default`, then
    /// its own.
    pub(super) fn build(self, default: &Settings) -> Result<BTreeMap<String, Settings>, Error> {
        let mut mailers: BTreeMap<String, Settings> = self
            .names
            .iter()
            .filter(|name| *name != "default")
            .map(|name| (name.clone(), default.shared_with_mailers()))
            .collect();
        let mut with_port = Vec::new();
        for (mailer, setting, value, variable) in self.settings {
            if setting == "EMAIL_PORT" {
                with_port.push(mailer.clone());
            }
            let Some(settings) = mailers.get_mut(&mailer) else {
                let listed = if self.names.is_empty() { "none".to_owned() } else { self.names.join(", ") };
                return Err(invalid(
                    &variable,
                    &value,
                    &format!(
                        "a setting of a mailer that MAILERS names (it names {listed}), not of {mailer:?}"
                    ),
                ));
            };
            settings.set(setting, &value).map_err(|err| for_mailer(err, &variable))?;
        }
        for (name, settings) in &mut mailers {
            // Django's MAILERS default the port to the security in use.
            if !with_port.contains(name) {
                settings.port = match (settings.use_ssl, settings.use_tls) {
                    (true, _) => 465,
                    (false, true) => 587,
                    (false, false) => 25,
                };
            }
            settings
                .check()
                .map_err(|err| for_mailer(err, &format!("MAILER_{}_", name.to_ascii_uppercase())))?;
        }
        Ok(mailers)
    }
}

/// `MAILERS`: names separated by commas; empty means none.
fn names(value: &str) -> Result<Vec<String>, Error> {
    let mut names: Vec<String> = Vec::new();
    for name in value.split(',').map(str::trim).filter(|name| !name.is_empty()) {
        if !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
            return Err(invalid(
                "MAILERS",
                value,
                "mailer names separated by commas, each of letters, digits and _ (e.g. bulk, alerts)",
            ));
        }
        let name = name.to_ascii_lowercase();
        if !names.contains(&name) {
            names.push(name);
        }
    }
    Ok(names)
}

/// An error about one of a mailer's settings, naming the variable as given
/// (`MAILER_BULK_EMAIL_PORT`, not `EMAIL_PORT`).
fn for_mailer(err: Error, variable: &str) -> Error {
    match err {
        Error::InvalidSetting { name, value, expected } if variable.ends_with(&name) => {
            Error::InvalidSetting { name: variable.to_owned(), value, expected }
        }
        Error::InvalidSetting { name, value, expected } => {
            Error::InvalidSetting { name: format!("{variable}{name}"), value, expected }
        }
        Error::ConflictingSettings { first, second } if !variable.ends_with('_') => {
            Error::ConflictingSettings { first, second }
        }
        Error::ConflictingSettings { first, second } => Error::ConflictingSettings {
            first: format!("{variable}{first}"),
            second: format!("{variable}{second}"),
        },
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(vars: &[(&str, &str)]) -> Result<Settings, Error> {
        Settings::from_vars(vars.iter().copied())
    }

    #[test]
    fn a_named_mailer_has_its_own_transport_and_shares_the_rest() {
        let settings = settings(&[
            ("EMAIL_HOST", "smtp.example.com"),
            ("EMAIL_PORT", "587"),
            ("DEFAULT_FROM_EMAIL", "shop@example.com"),
            ("MAILERS", "bulk, Bulk_Email"),
            ("MAILER_BULK_EMAIL_BACKEND", "console"),
            ("MAILER_BULK_EMAIL_EMAIL_HOST", "relay.example.com"),
        ])
        .unwrap();

        let bulk = settings.mailer("BULK").unwrap();
        let two = settings.mailer("bulk_email").unwrap();
        assert_eq!(bulk.backend, crate::BackendKind::Console);
        assert_eq!(
            (two.host.as_str(), two.port),
            ("relay.example.com", 25),
            "defaults, not the default mailer's"
        );
        assert_eq!(two.default_from_email, "shop@example.com", "shared");
        assert!(two.mailers.is_empty());
    }

    #[test]
    fn a_named_mailer_port_follows_its_security_unless_given() {
        let settings = settings(&[
            ("MAILERS", "plain, starttls, implicit, given"),
            ("MAILER_STARTTLS_EMAIL_USE_TLS", "1"),
            ("MAILER_IMPLICIT_EMAIL_USE_SSL", "1"),
            ("MAILER_GIVEN_EMAIL_USE_SSL", "1"),
            ("MAILER_GIVEN_EMAIL_PORT", "2465"),
        ])
        .unwrap();
        let port = |name| settings.mailer(name).unwrap().port;
        assert_eq!([port("plain"), port("starttls"), port("implicit"), port("given")], [25, 587, 465, 2465]);
    }

    #[test]
    fn mistakes_name_the_variable() {
        let cases: [(&[(&str, &str)], &str); 5] = [
            (&[("MAILERS", "bulk"), ("MAILER_BLUK_EMAIL_HOST", "x")], "MAILER_BLUK_EMAIL_HOST"),
            (&[("MAILERS", "bulk"), ("MAILER_BULK_EMAIL_HOTS", "x")], "MAILER_BULK_EMAIL_HOTS"),
            (&[("MAILERS", "bulk"), ("MAILER_BULK_EMAIL_PORT", "abc")], "MAILER_BULK_EMAIL_PORT"),
            (&[("MAILER_DEFAULT_EMAIL_HOST", "x")], "MAILER_DEFAULT_EMAIL_HOST"),
            (&[("MAILERS", "bulk-mail")], "MAILERS"),
        ];
        for (vars, named) in cases {
            let err = settings(vars).unwrap_err();
            assert!(err.to_string().contains(named), "{vars:?}: {err}");
        }
        let both = settings(&[
            ("MAILERS", "bulk"),
            ("MAILER_BULK_EMAIL_USE_TLS", "1"),
            ("MAILER_BULK_EMAIL_USE_SSL", "1"),
        ])
        .unwrap_err();
        assert!(
            both.to_string().contains("MAILER_BULK_EMAIL_USE_TLS and MAILER_BULK_EMAIL_USE_SSL"),
            "{both}"
        );
    }

    #[test]
    fn other_tools_mailer_variables_are_left_alone() {
        assert!(settings(&[("MAILER_DSN", "smtp://localhost")]).is_ok());
    }
}
