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
//! MAILER_BULK_HOST=bulk-relay.example.com   # or MAILER_BULK_EMAIL_HOST
//! MAILER_BULK_PORT=2525
//! ```
//!
//! This module reads the `MAILERS` and `MAILER_<NAME>_<OPTION>` variables;
//! `Settings::mailer(name)` and `Mailer::using(settings, name)` use them.

use std::collections::BTreeMap;

use super::settings::invalid;
use super::{BackendKind, Settings};
use crate::error::Error;

/// The settings a named mailer has of its own — how it sends — by the
/// name of Django's option (`MAILER_BULK_HOST`, as `OPTIONS: {"host": ..}`)
/// and by the `EMAIL_*` setting it stands for (`MAILER_BULK_EMAIL_HOST`,
/// accepted too). The others (the sender defaults, the subject prefix, …)
/// are the same for every mailer.
const PER_MAILER: &[(&str, &str)] = &[
    ("BACKEND", "EMAIL_BACKEND"),
    ("HOST", "EMAIL_HOST"),
    ("PORT", "EMAIL_PORT"),
    ("USERNAME", "EMAIL_HOST_USER"),
    ("PASSWORD", "EMAIL_HOST_PASSWORD"),
    ("USE_TLS", "EMAIL_USE_TLS"),
    ("USE_SSL", "EMAIL_USE_SSL"),
    ("TIMEOUT", "EMAIL_TIMEOUT"),
    ("SSL_CERTFILE", "EMAIL_SSL_CERTFILE"),
    ("SSL_KEYFILE", "EMAIL_SSL_KEYFILE"),
    ("SSL_CAFILE", "EMAIL_SSL_CAFILE"),
    ("FILE_PATH", "EMAIL_FILE_PATH"),
];

/// What `MAILERS` and the `MAILER_..` variables said, while reading.
#[derive(Default)]
pub(super) struct Named {
    /// The names in `MAILERS`, lower case, as listed.
    names: Vec<String>,
    /// Every `MAILER_..` variable, `(variable, value)` in the order given:
    /// which are ours is known once `MAILERS` is.
    variables: Vec<(String, String)>,
}

/// What a `MAILER_..` variable is.
enum Meaning {
    /// A setting of a mailer `MAILERS` names.
    Setting { mailer: String, setting: &'static str },
    /// A mistake, with what is wrong.
    Mistake(String),
    /// Another tool's (`MAILER_DSN`, say): left alone.
    NotOurs,
}

impl Named {
    /// Takes `key` if it is `MAILERS` or may be a mailer's setting; `false`
    /// for any other variable.
    pub(super) fn read(&mut self, key: &str, value: &str) -> Result<bool, Error> {
        if key == "MAILERS" {
            self.names = names(value)?;
            return Ok(true);
        }
        if !key.starts_with("MAILER_") {
            return Ok(false);
        }
        self.variables.push((key.to_owned(), value.to_owned()));
        Ok(true)
    }

    /// What `variable` is, now that the names are known. A variable that
    /// starts with a named mailer is ours, so an unknown setting there is
    /// an error (a typo never leaves a mailer on its defaults); so is one
    /// in the `EMAIL_` form for a mailer `MAILERS` does not name.
    fn meaning(&self, variable: &str) -> Meaning {
        let rest = &variable["MAILER_".len()..];
        // The longest setting the variable ends with: a name may hold `_`.
        let splits = || {
            PER_MAILER
                .iter()
                .flat_map(|&(option, setting)| [(option, setting), (setting, setting)])
                .filter_map(move |(spelling, setting)| {
                    let mailer = rest.strip_suffix(spelling)?.strip_suffix('_')?;
                    (!mailer.is_empty()).then_some((mailer, spelling, setting))
                })
        };
        let named = |mailer: &str| self.names.iter().any(|name| name.eq_ignore_ascii_case(mailer));
        if let Some((mailer, _, setting)) =
            splits().filter(|(mailer, ..)| named(mailer)).max_by_key(|(_, spelling, _)| spelling.len())
        {
            return Meaning::Setting { mailer: mailer.to_ascii_lowercase(), setting };
        }
        if let Some((mailer, ..)) = splits().find(|(_, spelling, _)| spelling.starts_with("EMAIL_")) {
            if mailer.eq_ignore_ascii_case("default") {
                return Meaning::Mistake(format!(
                    "the default mailer is set with the plain {}",
                    &rest[mailer.len() + 1..]
                ));
            }
            let listed = if self.names.is_empty() { "none".to_owned() } else { self.names.join(", ") };
            return Meaning::Mistake(format!(
                "a setting of a mailer that MAILERS names (it names {listed}), not of {:?}",
                mailer.to_ascii_lowercase()
            ));
        }
        let owner = self
            .names
            .iter()
            .filter(|name| {
                rest.len() > name.len() + 1
                    && rest[..name.len()].eq_ignore_ascii_case(name)
                    && rest.as_bytes()[name.len()] == b'_'
            })
            .max_by_key(|name| name.len());
        match owner {
            Some(name) => Meaning::Mistake(unknown_setting(name, &rest[name.len() + 1..])),
            None if rest.contains("_EMAIL_") => Meaning::Mistake(format!(
                "MAILER_<NAME>_ followed by a setting a mailer has of its own: {}",
                spellings()
            )),
            None => Meaning::NotOurs,
        }
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
        // (mailer, setting, the variable that set it)
        let mut given: Vec<(String, &'static str, &str)> = Vec::new();
        for (variable, value) in &self.variables {
            let (mailer, setting) = match self.meaning(variable) {
                Meaning::Setting { mailer, setting } => (mailer, setting),
                Meaning::Mistake(expected) => return Err(invalid(variable, value, &expected)),
                Meaning::NotOurs => continue,
            };
            if !value.trim().is_empty() {
                given.push((mailer.clone(), setting, variable.as_str()));
            }
            let Some(settings) = mailers.get_mut(&mailer) else {
                return Err(invalid(variable, value, "a setting of a mailer other than default"));
            };
            settings.set(setting, value).map_err(|err| named_as(err, |_| variable.clone()))?;
        }
        for (name, settings) in &mut mailers {
            let prefix = format!("MAILER_{}_", name.to_ascii_uppercase());
            let variable = |setting: &str| {
                let written = given.iter().find(|(mailer, given, _)| mailer == name && *given == setting);
                written.map_or_else(
                    || format!("{prefix}{}", option(setting)),
                    |(.., variable)| (*variable).to_owned(),
                )
            };
            let has =
                |setting: &str| given.iter().any(|(mailer, given, _)| mailer == name && *given == setting);
            // Django's MAILERS default the port to the security in use.
            if !has("EMAIL_PORT") {
                settings.port = match (settings.use_ssl, settings.use_tls) {
                    (true, _) => 465,
                    (false, true) => 587,
                    (false, false) => 25,
                };
            }
            // Django requires `host` of a named SMTP mailer, and a file mailer cannot do without a path.
            let required = match settings.backend {
                BackendKind::Smtp if !has("EMAIL_HOST") => Some((
                    "HOST",
                    "the SMTP server's host name (a named SMTP mailer has no default host; Django requires its `host` option)",
                )),
                BackendKind::File if !has("EMAIL_FILE_PATH") => Some((
                    "FILE_PATH",
                    "a directory for the mbox files (a file mailer cannot do without one)",
                )),
                _ => None,
            };
            settings.check().map_err(|err| named_as(err, variable))?;
            if let Some((option, expected)) = required {
                return Err(invalid(&format!("{prefix}{option}"), "", expected));
            }
        }
        Ok(mailers)
    }
}

/// Django's option name for `setting`: `HOST` for `EMAIL_HOST`.
fn option(setting: &str) -> &str {
    PER_MAILER.iter().find(|(_, given)| *given == setting).map_or(setting, |(option, _)| option)
}

/// Every setting a mailer takes, in Django's option form.
fn spellings() -> String {
    PER_MAILER.iter().map(|(option, _)| *option).collect::<Vec<_>>().join(", ")
}

/// What to say of `MAILER_<NAME>_<tail>` when `tail` is no setting: the
/// closest one, if one is close.
fn unknown_setting(name: &str, tail: &str) -> String {
    let prefix = format!("MAILER_{}_", name.to_ascii_uppercase());
    let tail = tail.to_ascii_uppercase();
    let closest = PER_MAILER
        .iter()
        .flat_map(|(option, setting)| [*option, *setting])
        .map(|spelling| (distance(&tail, spelling), spelling))
        .min_by_key(|(distance, _)| *distance)
        .filter(|(distance, spelling)| *distance <= 2.max(spelling.len() / 3));
    let hint =
        closest.map(|(_, spelling)| format!(" (did you mean {prefix}{spelling}?)")).unwrap_or_default();
    format!("a setting of the mailer {name:?}{hint}: {prefix} followed by one of {}", spellings())
}

/// The edit distance between two strings (Levenshtein): how many letters
/// to insert, delete or change.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = diagonal + usize::from(ca != *cb);
            diagonal = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(diagonal + 1);
        }
    }
    row[b.len()]
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

/// An error about a mailer's settings, naming each setting by `variable`
/// (`MAILER_BULK_PORT`, not `EMAIL_PORT`).
fn named_as(err: Error, variable: impl Fn(&str) -> String) -> Error {
    match err {
        Error::InvalidSetting { name, value, expected } => {
            Error::InvalidSetting { name: variable(&name), value, expected }
        }
        Error::ConflictingSettings { first, second } => {
            Error::ConflictingSettings { first: variable(&first), second: variable(&second) }
        }
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
            ("MAILER_PLAIN_HOST", "relay.example.com"),
            ("MAILER_STARTTLS_HOST", "relay.example.com"),
            ("MAILER_IMPLICIT_HOST", "relay.example.com"),
            ("MAILER_GIVEN_HOST", "relay.example.com"),
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
        assert!(settings(&[("MAILER_DSN", "smtp://localhost"), ("MAILER_SMTP_HOST", "x")]).is_ok());
    }

    #[test]
    fn django_option_names_and_email_settings_both_set_a_mailer() {
        let settings = settings(&[
            ("MAILERS", "bulk"),
            ("MAILER_BULK_HOST", "relay.example.com"),
            ("MAILER_BULK_USERNAME", "bulk"),
            ("MAILER_BULK_EMAIL_HOST_PASSWORD", "s3cret"),
            ("MAILER_BULK_USE_TLS", "1"),
        ])
        .unwrap();

        let bulk = settings.mailer("bulk").unwrap();
        assert_eq!((bulk.host.as_str(), bulk.port), ("relay.example.com", 587));
        assert_eq!(
            (bulk.host_user.as_deref(), bulk.host_password.as_deref()),
            (Some("bulk"), Some("s3cret"))
        );
    }

    #[test]
    fn an_unknown_setting_of_a_named_mailer_says_which_is_close() {
        let cases = [
            ("MAILER_BULK_HOTS", Some("MAILER_BULK_HOST")),
            ("MAILER_BULK_EMAIL_PROT", Some("MAILER_BULK_EMAIL_PORT")),
            ("MAILER_BULK_FILEPATH", Some("MAILER_BULK_FILE_PATH")),
            ("MAILER_BULK_RETRIES", None),
        ];
        for (variable, suggestion) in cases {
            let vars = [("MAILERS", "bulk"), ("MAILER_BULK_HOST", "relay.example.com"), (variable, "x")];
            let err = settings(&vars).unwrap_err();
            let Error::InvalidSetting { name, expected, .. } = &err else { panic!("{err:?}") };
            assert_eq!(name, variable);
            match suggestion {
                Some(close) => assert!(expected.contains(&format!(" (did you mean {close}?): ")), "{err}"),
                None => assert!(!expected.contains("did you mean"), "{err}"),
            }
        }
    }

    #[test]
    fn the_edit_distance_counts_letters() {
        assert_eq!([distance("HOST", "HOST"), distance("HOTS", "HOST"), distance("", "PORT")], [0, 2, 4]);
    }
}
