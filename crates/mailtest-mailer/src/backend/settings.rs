//! Django's email settings, read from the environment or any key/value list.
//!
//! The names and defaults are Django's (`EMAIL_HOST` is `localhost`,
//! `EMAIL_PORT` is 25, the backend is SMTP), so a deployment configured for a
//! Django service configures a Rust one the same way. Reading never mutates
//! anything: [`Settings::from_vars`] takes any list, so tests build settings
//! without touching the process environment (which is shared by every test
//! thread).

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use crate::error::Error;

/// mailtest's own `EMAIL_BACKEND` values, for error messages.
const BUILTIN_BACKENDS: &str = "smtp, console, file, memory (or locmem), dummy, \
     or Django's dotted names (django.core.mail.backends.smtp.EmailBackend, .console., .filebased., \
     .locmem., .dummy.)";

/// Every `EMAIL_BACKEND` value accepted now, registered ones included, for
/// error messages.
pub(crate) fn valid_backends() -> String {
    let registered = super::registry::names();
    if registered.is_empty() {
        return format!("{BUILTIN_BACKENDS}; or a name registered with mailtest::register_backend (none is)");
    }
    format!("{BUILTIN_BACKENDS}; or a registered backend: {}", registered.join(", "))
}

/// Which backend a [`Mailer`](crate::Mailer) built from settings uses:
/// the value of `EMAIL_BACKEND`.
///
/// ```
/// use mailtest::BackendKind;
///
/// assert_eq!("locmem".parse::<BackendKind>().unwrap(), BackendKind::Memory);
/// assert_eq!(
///     "django.core.mail.backends.filebased.EmailBackend".parse::<BackendKind>().unwrap(),
///     BackendKind::File
/// );
/// assert!("carrier-pigeon".parse::<BackendKind>().is_err());
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum BackendKind {
    /// `smtp`: a real SMTP server (needs the `smtp` feature to send).
    #[default]
    Smtp,
    /// `console`: prints each message to standard output.
    Console,
    /// `file`: an mbox file per session in `EMAIL_FILE_PATH`.
    File,
    /// `memory` / `locmem`: into the outbox bound on the sending thread, or routed.
    Memory,
    /// `dummy`: accepts and discards.
    Dummy,
    /// A backend of your own, by the name it was registered under with
    /// [`register_backend`](crate::register_backend).
    Custom(&'static str),
}

impl BackendKind {
    /// The short name, as `EMAIL_BACKEND` takes it.
    ///
    /// ```
    /// assert_eq!(mailtest::BackendKind::Memory.name(), "memory");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            BackendKind::Smtp => "smtp",
            BackendKind::Console => "console",
            BackendKind::File => "file",
            BackendKind::Memory => "memory",
            BackendKind::Dummy => "dummy",
            BackendKind::Custom(name) => name,
        }
    }
}

/// mailtest's own backend that `value` names: a short name (any case) or a
/// Django dotted class path.
pub(crate) fn builtin(value: &str) -> Option<BackendKind> {
    let trimmed = value.trim();
    let short = trimmed
        .strip_prefix("django.core.mail.backends.")
        .and_then(|rest| rest.strip_suffix(".EmailBackend"))
        .unwrap_or(trimmed);
    match short.to_ascii_lowercase().as_str() {
        "smtp" => Some(BackendKind::Smtp),
        "console" => Some(BackendKind::Console),
        "file" | "filebased" => Some(BackendKind::File),
        "memory" | "locmem" => Some(BackendKind::Memory),
        "dummy" => Some(BackendKind::Dummy),
        _ => None,
    }
}

impl std::str::FromStr for BackendKind {
    type Err = Error;

    /// Short names (any case), Django's dotted class paths, and the names
    /// registered with [`register_backend`](crate::register_backend).
    fn from_str(value: &str) -> Result<BackendKind, Error> {
        builtin(value)
            .or_else(|| super::registry::find(value.trim()).map(BackendKind::Custom))
            .ok_or_else(|| Error::UnknownBackend { value: value.to_owned(), expected: valid_backends() })
    }
}

impl std::fmt::Display for BackendKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Email settings, Django's names and defaults.
///
/// | variable | field | default | accepts |
/// |---|---|---|---|
/// | `EMAIL_URL` | several | none | one URL for the backend and its server, read before the others (which win over it): see [`from_url`](Settings::from_url) |
/// | `EMAIL_BACKEND` | `backend` | `smtp` | `smtp`, `console`, `file`, `memory`/`locmem`, `dummy`, `django.core.mail.backends.<name>.EmailBackend`, or a name [registered](crate::register_backend) for a backend of your own |
/// | `EMAIL_HOST` | `host` | `localhost` | a host name or IP address |
/// | `EMAIL_PORT` | `port` | `25` | 1–65535 |
/// | `EMAIL_HOST_USER` | `host_user` | none | text; AUTH is used when user and password are both non-empty |
/// | `EMAIL_HOST_PASSWORD` | `host_password` | none | text |
/// | `EMAIL_USE_TLS` | `use_tls` | `false` | a boolean: STARTTLS, required |
/// | `EMAIL_USE_SSL` | `use_ssl` | `false` | a boolean: TLS from the first byte; not with `EMAIL_USE_TLS` |
/// | `EMAIL_TIMEOUT` | `timeout` | none (lettre's 60 s) | seconds, e.g. `10` or `2.5` |
/// | `EMAIL_SSL_CERTFILE` | `ssl_certfile` | none | a PEM client certificate; its key too, unless `EMAIL_SSL_KEYFILE` is set |
/// | `EMAIL_SSL_KEYFILE` | `ssl_keyfile` | none | its PEM private key |
/// | `EMAIL_SSL_CAFILE` | `ssl_cafile` | none | a PEM certificate to trust as well as the usual roots (mailtest's extension, e.g. for a self-signed server) |
/// | `EMAIL_FILE_PATH` | `file_path` | none; required by `file` | a directory |
/// | `DEFAULT_FROM_EMAIL` | `default_from_email` | `webmaster@localhost` | an address: the sender when [`send_mail`](crate::send_mail) is given none (`""`) |
/// | `SERVER_EMAIL` | `server_email` | `root@localhost` | an address: the sender of [`mail_admins`](crate::mail_admins) and [`mail_managers`](crate::mail_managers) |
/// | `EMAIL_SUBJECT_PREFIX` | `subject_prefix` | `[Django] ` | text put before their subjects |
/// | `ADMINS` | `admins` | none | addresses, comma-separated (`Ann <ann@example.com>, bob@example.com`): who `mail_admins` writes to |
/// | `MANAGERS` | `managers` | none | the same, for `mail_managers` |
/// | `EMAIL_USE_LOCALTIME` | `use_localtime` | `false` | a boolean: the `Date` header in the system's time zone (`TZ`, `/etc/localtime`) instead of UTC |
/// | `MAILERS` | `mailers` (names) | none | names of more mailers, comma-separated (`bulk, alerts`): see below |
/// | `MAILER_<NAME>_<OPTION>` | `mailers[name]` | — | a setting of the mailer `name`, by Django's option name: `MAILER_BULK_HOST` is `EMAIL_HOST` for the mailer `bulk` (`MAILER_BULK_EMAIL_HOST` works too) |
///
/// **Several mailers** — Django's `MAILERS`: the `EMAIL_*` settings above
/// configure the mailer called `default`; `MAILERS` names more, each
/// configured by `MAILER_<NAME>_` followed by one of Django's options —
/// `BACKEND`, `HOST`, `PORT`, `USERNAME`, `PASSWORD`, `USE_TLS`, `USE_SSL`,
/// `TIMEOUT`, `SSL_CERTFILE`, `SSL_KEYFILE`, `SSL_CAFILE`, `FILE_PATH` — or
/// by the `EMAIL_*` setting each stands for (`MAILER_BULK_EMAIL_HOST_USER`
/// for `MAILER_BULK_USERNAME`). As in Django, a named mailer starts from
/// the defaults, not from the default mailer's values: an SMTP mailer needs
/// its `HOST` (there is no default host: `MAILER_BULK_HOST is not set` says
/// so when the settings are read), a file mailer its `FILE_PATH`, and the
/// port defaults to the security in use (465 with `USE_SSL`, 587 with
/// `USE_TLS`, else 25); the message settings
/// (`DEFAULT_FROM_EMAIL`, `SERVER_EMAIL`, `EMAIL_SUBJECT_PREFIX`, `ADMINS`,
/// `MANAGERS`, `EMAIL_USE_LOCALTIME`) are shared. A name is letters, digits
/// and `_`, in any case. [`Mailer::using`](crate::Mailer::using) makes the
/// mailer of a name; `send_mail(..).using(name)` sends through it; a captured
/// email says which mailer sent it ([`Email::sent_using`](https://docs.rs/mailtest/latest/mailtest/struct.Email.html#method.sent_using)).
/// A `MAILER_<NAME>_..` variable of a mailer that `MAILERS` names but for a
/// setting it does not have, or one in the `EMAIL_` form of a mailer that
/// `MAILERS` does not name, is an error naming it — with the closest
/// setting when one is close (`MAILER_BULK_HOTS`: did you mean
/// `MAILER_BULK_HOST`?): a typo never leaves a mailer silently on its
/// defaults. Other `MAILER_*` variables (another tool's `MAILER_DSN`) are
/// left alone.
///
/// Booleans accept `true`/`false`, `1`/`0`, `yes`/`no`, `on`/`off` in any
/// case, and an empty value as false. Anything else — and a port that is not
/// a number, a negative timeout, both TLS modes — is an error naming the
/// setting and the value. Unknown `EMAIL_*` variables are ignored, as Django
/// ignores settings it does not use.
///
/// ```
/// use mailtest::{BackendKind, Settings};
///
/// let settings = Settings::from_vars([
///     ("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"),
///     ("EMAIL_HOST", "smtp.example.com"),
///     ("EMAIL_PORT", "587"),
///     ("EMAIL_USE_TLS", "True"),
/// ])
/// .unwrap();
/// assert_eq!(settings.backend, BackendKind::Smtp);
/// assert_eq!(settings.port, 587);
/// assert!(settings.use_tls);
///
/// let err = Settings::from_vars([("EMAIL_PORT", "abc")]).unwrap_err();
/// assert!(err.to_string().contains(r#"EMAIL_PORT="abc""#));
///
/// let several = Settings::from_vars([
///     ("EMAIL_HOST", "smtp.example.com"),
///     ("MAILERS", "bulk"),
///     ("MAILER_BULK_HOST", "bulk-relay.example.com"),
///     ("MAILER_BULK_PORT", "2525"),
/// ])
/// .unwrap();
/// assert_eq!(several.mailer("bulk").unwrap().host, "bulk-relay.example.com");
/// assert_eq!(several.mailer("default").unwrap().host, "smtp.example.com");
/// ```
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Settings {
    /// `EMAIL_BACKEND`.
    pub backend: BackendKind,
    /// `EMAIL_HOST`.
    pub host: String,
    /// `EMAIL_PORT`.
    pub port: u16,
    /// `EMAIL_HOST_USER`.
    pub host_user: Option<String>,
    /// `EMAIL_HOST_PASSWORD`.
    pub host_password: Option<String>,
    /// `EMAIL_USE_TLS`: STARTTLS.
    pub use_tls: bool,
    /// `EMAIL_USE_SSL`: implicit TLS.
    pub use_ssl: bool,
    /// `EMAIL_TIMEOUT`.
    pub timeout: Option<Duration>,
    /// `EMAIL_SSL_CERTFILE`.
    pub ssl_certfile: Option<PathBuf>,
    /// `EMAIL_SSL_KEYFILE`.
    pub ssl_keyfile: Option<PathBuf>,
    /// `EMAIL_SSL_CAFILE` (mailtest's extension).
    pub ssl_cafile: Option<PathBuf>,
    /// `EMAIL_FILE_PATH`.
    pub file_path: Option<PathBuf>,
    /// `DEFAULT_FROM_EMAIL`.
    pub default_from_email: String,
    /// `SERVER_EMAIL`.
    pub server_email: String,
    /// `EMAIL_SUBJECT_PREFIX`.
    pub subject_prefix: String,
    /// `ADMINS`, each address as written.
    pub admins: Vec<String>,
    /// `MANAGERS`, each address as written.
    pub managers: Vec<String>,
    /// `EMAIL_USE_LOCALTIME`.
    pub use_localtime: bool,
    /// The mailers `MAILERS` names, by name (lower case), each with its own
    /// settings; the default mailer is these settings themselves.
    pub mailers: BTreeMap<String, Settings>,
}

impl std::fmt::Debug for Settings {
    /// Every setting but the password, which shows as `Some("[redacted]")`:
    /// settings end up in logs and panic messages.
    ///
    /// ```
    /// let settings = mailtest_mailer::Settings::from_vars([("EMAIL_HOST_PASSWORD", "s3cret")]).unwrap();
    /// let shown = format!("{settings:?}");
    /// assert!(!shown.contains("s3cret"), "{shown}");
    /// assert!(shown.contains("host_password: Some(\"[redacted]\")"), "{shown}");
    /// ```
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let Settings {
            backend,
            host,
            port,
            host_user,
            host_password,
            use_tls,
            use_ssl,
            timeout,
            ssl_certfile,
            ssl_keyfile,
            ssl_cafile,
            file_path,
            default_from_email,
            server_email,
            subject_prefix,
            admins,
            managers,
            use_localtime,
            mailers,
        } = self;
        f.debug_struct("Settings")
            .field("backend", backend)
            .field("host", host)
            .field("port", port)
            .field("host_user", host_user)
            .field("host_password", &host_password.as_ref().map(|_| "[redacted]"))
            .field("use_tls", use_tls)
            .field("use_ssl", use_ssl)
            .field("timeout", timeout)
            .field("ssl_certfile", ssl_certfile)
            .field("ssl_keyfile", ssl_keyfile)
            .field("ssl_cafile", ssl_cafile)
            .field("file_path", file_path)
            .field("default_from_email", default_from_email)
            .field("server_email", server_email)
            .field("subject_prefix", subject_prefix)
            .field("admins", admins)
            .field("managers", managers)
            .field("use_localtime", use_localtime)
            .field("mailers", mailers)
            .finish()
    }
}

impl Default for Settings {
    /// Django's defaults: SMTP to `localhost:25`, no TLS, no AUTH.
    ///
    /// ```
    /// let settings = mailtest::Settings::default();
    /// assert_eq!((settings.host.as_str(), settings.port), ("localhost", 25));
    /// ```
    fn default() -> Settings {
        Settings {
            backend: BackendKind::Smtp,
            host: "localhost".to_owned(),
            port: 25,
            host_user: None,
            host_password: None,
            use_tls: false,
            use_ssl: false,
            timeout: None,
            ssl_certfile: None,
            ssl_keyfile: None,
            ssl_cafile: None,
            file_path: None,
            default_from_email: "webmaster@localhost".to_owned(),
            server_email: "root@localhost".to_owned(),
            subject_prefix: "[Django] ".to_owned(),
            admins: Vec::new(),
            managers: Vec::new(),
            use_localtime: false,
            mailers: BTreeMap::new(),
        }
    }
}

impl Settings {
    /// Reads the settings in the [table](Settings) from this process's
    /// environment.
    ///
    /// Variables that are not valid Unicode are skipped. In tests, prefer
    /// [`from_vars`](Settings::from_vars): the environment is shared by every
    /// thread of the test binary.
    ///
    /// ```
    /// // With no EMAIL_* variables set, Django's defaults.
    /// # if std::env::vars().all(|(k, _)| !k.starts_with("EMAIL_")) {
    /// let settings = mailtest::Settings::from_env().unwrap();
    /// assert_eq!(settings, mailtest::Settings::default());
    /// # }
    /// ```
    pub fn from_env() -> Result<Settings, Error> {
        Settings::from_vars(std::env::vars().filter(|(key, _)| is_setting(key)))
    }

    /// Reads settings from any list of `(name, value)` pairs; names not
    /// listed in the [table](Settings) are ignored, a later pair wins over
    /// an earlier one.
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let settings = mailtest::Settings::from_vars([
    ///     ("EMAIL_BACKEND", "file"),
    ///     ("EMAIL_FILE_PATH", "/tmp/app-mail"),
    ///     ("EMAIL_TIMEOUT", "2.5"),
    /// ])
    /// .unwrap();
    /// assert_eq!(settings.timeout, Some(Duration::from_millis(2500)));
    ///
    /// let err = mailtest::Settings::from_vars([("EMAIL_USE_TLS", "1"), ("EMAIL_USE_SSL", "yes")]).unwrap_err();
    /// assert!(matches!(err, mailtest::Error::ConflictingSettings { .. }));
    /// ```
    pub fn from_vars<K: AsRef<str>, V: AsRef<str>>(
        vars: impl IntoIterator<Item = (K, V)>,
    ) -> Result<Settings, Error> {
        let vars: Vec<(K, V)> = vars.into_iter().collect();
        let mut settings = Settings::default();
        // EMAIL_URL first: an EMAIL_* variable beside it says more, and wins.
        for (key, value) in &vars {
            if key.as_ref() == "EMAIL_URL" {
                super::email_url::apply(&mut settings, "EMAIL_URL", value.as_ref())?;
            }
        }
        let mut named = super::named::Named::default();
        for (key, value) in &vars {
            let (key, value) = (key.as_ref(), value.as_ref());
            if key == "EMAIL_URL" {
                continue;
            }
            if !named.read(key, value)? {
                settings.set(key, value)?;
            }
        }
        settings.check()?;
        settings.mailers = named.build(&settings)?;
        Ok(settings)
    }

    /// Settings from one URL, in lettre's syntax (what
    /// `SmtpTransport::from_url` takes) or django-environ's `EMAIL_URL`
    /// schemes; Django's defaults for what it does not say.
    ///
    /// | URL | backend | TLS | port unless given |
    /// |---|---|---|---|
    /// | `smtp://host` | SMTP | none | 25 |
    /// | `smtp://host?tls=required`, `smtp+tls://host` | SMTP | STARTTLS (`EMAIL_USE_TLS`) | 587 |
    /// | `smtps://host`, `smtp+ssl://host` | SMTP | TLS from the first byte (`EMAIL_USE_SSL`) | 465 |
    /// | `consolemail://` | console | | |
    /// | `filemail:///var/mail/app` | file, in that directory | | |
    /// | `memorymail://` | memory | | |
    /// | `dummymail://` | dummy | | |
    ///
    /// `user:password@` before the host (percent-encoded where it has `@`,
    /// `:` or `/`) is `EMAIL_HOST_USER` and `EMAIL_HOST_PASSWORD`; an SMTP
    /// URL also takes `?timeout=10`, `?ssl_certfile=`, `?ssl_keyfile=`,
    /// `?ssl_cafile=`, and `?use_tls=`/`?use_ssl=` (django-environ's).
    /// `smtps://` is implicit TLS, as in lettre and RFC 8314 (django-environ
    /// reads it as STARTTLS: write `smtp+tls://` for that). lettre's
    /// `?tls=opportunistic` is refused: mailtest's SMTP backend never falls
    /// back to plain text.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidSetting`] naming `URL`, the URL (its password as
    /// `***`) and the part that is wrong. As the `EMAIL_URL` setting
    /// ([`from_vars`](Settings::from_vars)), the same, naming `EMAIL_URL`.
    ///
    /// ```
    /// let settings = mailtest::Settings::from_url("smtps://ann:s3cret@smtp.example.com").unwrap();
    /// assert_eq!((settings.host.as_str(), settings.port, settings.use_ssl), ("smtp.example.com", 465, true));
    /// assert_eq!(settings.host_password.as_deref(), Some("s3cret"));
    ///
    /// let err = mailtest::Settings::from_url("smtp://ann:s3cret@smtp.example.com:58x").unwrap_err();
    /// assert_eq!(
    ///     err.to_string(),
    ///     r#"mailtest: URL="smtp://ann:***@smtp.example.com:58x" is not valid: expected the port "58x" to be a number from 1 to 65535"#
    /// );
    /// ```
    pub fn from_url(url: &str) -> Result<Settings, Error> {
        let mut settings = Settings::default();
        super::email_url::apply(&mut settings, "URL", url)?;
        settings.check()?;
        Ok(settings)
    }

    /// The settings of the mailer called `name` (any case): these settings
    /// for `default`, else one that `MAILERS` names.
    ///
    /// # Errors
    ///
    /// [`Error::UnknownMailer`] naming the mailers there are.
    ///
    /// ```
    /// let settings = mailtest::Settings::from_vars([("MAILERS", "bulk"), ("MAILER_BULK_HOST", "relay.example.com")]).unwrap();
    /// assert!(settings.mailer("bulk").is_ok());
    /// let err = settings.mailer("bluk").unwrap_err();
    /// assert_eq!(err.to_string(), "mailtest: no mailer is called \"bluk\"; the mailers are: default, bulk (MAILERS names all but default)");
    /// ```
    pub fn mailer(&self, name: &str) -> Result<&Settings, Error> {
        if name.eq_ignore_ascii_case("default") {
            return Ok(self);
        }
        self.mailers.get(&name.to_ascii_lowercase()).ok_or_else(|| Error::UnknownMailer {
            name: name.to_owned(),
            known: self.mailer_names().map(str::to_owned).collect(),
        })
    }

    /// The names of the mailers: `default`, then those `MAILERS` names.
    ///
    /// ```
    /// let settings = mailtest::Settings::from_vars([
    ///     ("MAILERS", "bulk, Alerts"),
    ///     ("MAILER_BULK_BACKEND", "dummy"),
    ///     ("MAILER_ALERTS_BACKEND", "console"),
    /// ])
    /// .unwrap();
    /// assert_eq!(settings.mailer_names().collect::<Vec<_>>(), ["default", "alerts", "bulk"]);
    /// ```
    pub fn mailer_names(&self) -> impl Iterator<Item = &str> {
        std::iter::once("default").chain(self.mailers.keys().map(String::as_str))
    }

    /// The message settings a named mailer shares with the default one.
    pub(crate) fn shared_with_mailers(&self) -> Settings {
        Settings {
            default_from_email: self.default_from_email.clone(),
            server_email: self.server_email.clone(),
            subject_prefix: self.subject_prefix.clone(),
            admins: self.admins.clone(),
            managers: self.managers.clone(),
            use_localtime: self.use_localtime,
            ..Settings::default()
        }
    }

    /// Applies one variable.
    pub(crate) fn set(&mut self, name: &str, value: &str) -> Result<(), Error> {
        let text = || Some(value.to_owned()).filter(|v| !v.is_empty());
        let path = || text().map(PathBuf::from);
        match name {
            "EMAIL_BACKEND" => self.backend = value.parse()?,
            "EMAIL_HOST" => {
                self.host = if value.is_empty() { "localhost".to_owned() } else { value.to_owned() }
            }
            "EMAIL_PORT" => self.port = parse_port(value)?,
            "EMAIL_HOST_USER" => self.host_user = text(),
            "EMAIL_HOST_PASSWORD" => self.host_password = text(),
            "EMAIL_USE_TLS" => self.use_tls = parse_bool(name, value)?,
            "EMAIL_USE_SSL" => self.use_ssl = parse_bool(name, value)?,
            "EMAIL_TIMEOUT" => self.timeout = parse_timeout(value)?,
            "EMAIL_SSL_CERTFILE" => self.ssl_certfile = path(),
            "EMAIL_SSL_KEYFILE" => self.ssl_keyfile = path(),
            "EMAIL_SSL_CAFILE" => self.ssl_cafile = path(),
            "EMAIL_FILE_PATH" => self.file_path = path(),
            "DEFAULT_FROM_EMAIL" => self.default_from_email = parse_address(name, value)?,
            "SERVER_EMAIL" => self.server_email = parse_address(name, value)?,
            "EMAIL_SUBJECT_PREFIX" => self.subject_prefix = value.to_owned(),
            "ADMINS" => self.admins = parse_addresses(name, value)?,
            "MANAGERS" => self.managers = parse_addresses(name, value)?,
            "EMAIL_USE_LOCALTIME" => self.use_localtime = parse_bool(name, value)?,
            _ => {}
        }
        Ok(())
    }

    /// `EMAIL_FILE_PATH`, which the file backend cannot do without.
    pub(crate) fn required_file_path(&self) -> Result<&std::path::Path, Error> {
        self.file_path.as_deref().ok_or_else(|| Error::InvalidSetting {
            name: "EMAIL_FILE_PATH".to_owned(),
            value: String::new(),
            expected: "a directory for the mbox files (EMAIL_BACKEND=file needs one)".to_owned(),
        })
    }

    /// Checks what no single value shows: settings that exclude each other.
    pub(crate) fn check(&self) -> Result<(), Error> {
        if self.use_tls && self.use_ssl {
            return Err(Error::ConflictingSettings {
                first: "EMAIL_USE_TLS".to_owned(),
                second: "EMAIL_USE_SSL".to_owned(),
            });
        }
        if let Some(keyfile) = &self.ssl_keyfile
            && self.ssl_certfile.is_none()
        {
            return Err(invalid(
                "EMAIL_SSL_KEYFILE",
                &keyfile.display().to_string(),
                "to be set together with EMAIL_SSL_CERTFILE (the client certificate)",
            ));
        }
        Ok(())
    }
}

pub(crate) fn invalid(name: &str, value: &str, expected: &str) -> Error {
    Error::InvalidSetting { name: name.to_owned(), value: value.to_owned(), expected: expected.to_owned() }
}

/// Whether `name` is a setting [`Settings::from_env`] reads.
fn is_setting(name: &str) -> bool {
    name.starts_with("EMAIL_")
        || name.starts_with("MAILER_")
        || ["DEFAULT_FROM_EMAIL", "SERVER_EMAIL", "ADMINS", "MANAGERS", "MAILERS"].contains(&name)
}

/// One address (`Ann <ann@example.com>` or `ann@example.com`), checked now.
fn parse_address(name: &str, value: &str) -> Result<String, Error> {
    let value = value.trim();
    value.parse::<lettre::message::Mailbox>().map(|_| value.to_owned()).map_err(|err| {
        invalid(name, value, &format!("an email address, e.g. Shop <shop@example.com> ({err})"))
    })
}

/// A comma-separated list of addresses; empty means none.
fn parse_addresses(name: &str, value: &str) -> Result<Vec<String>, Error> {
    if value.trim().is_empty() {
        return Ok(Vec::new());
    }
    let mailboxes: lettre::message::Mailboxes = value.parse().map_err(|err| {
        invalid(
            name,
            value,
            &format!("addresses separated by commas, e.g. Ann <ann@example.com>, bob@example.com ({err})"),
        )
    })?;
    Ok(mailboxes.into_iter().map(|mailbox| mailbox.to_string()).collect())
}

/// Django-ish booleans: what people write in environment files.
pub(crate) fn parse_bool(name: &str, value: &str) -> Result<bool, Error> {
    match value.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" | "y" | "t" => Ok(true),
        "false" | "0" | "no" | "off" | "n" | "f" | "" => Ok(false),
        _ => Err(invalid(name, value, "a boolean: true/false, 1/0, yes/no or on/off (any case)")),
    }
}

fn parse_port(value: &str) -> Result<u16, Error> {
    match value.trim().parse::<u16>() {
        Ok(port) if port > 0 => Ok(port),
        _ => Err(invalid("EMAIL_PORT", value, "a port number from 1 to 65535")),
    }
}

/// Seconds, whole or fractional; empty means no timeout of our own.
fn parse_timeout(value: &str) -> Result<Option<Duration>, Error> {
    parse_timeout_value(value)
        .ok_or_else(|| invalid("EMAIL_TIMEOUT", value, "a positive number of seconds, e.g. 10 or 2.5"))
}

/// A timeout's value (`Some(None)`: none of our own), or `None` when it is not one.
pub(crate) fn parse_timeout_value(value: &str) -> Option<Option<Duration>> {
    if value.trim().is_empty() {
        return Some(None);
    }
    value
        .trim()
        .parse::<f64>()
        .ok()
        .and_then(|secs| Duration::try_from_secs_f64(secs).ok())
        .filter(|d| !d.is_zero())
        .map(Some)
}
