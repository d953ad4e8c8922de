//! What both SMTP backends connect with, read once from [`Settings`]: the
//! server, TLS, credentials and the timeout; and how a lettre error becomes
//! an [`Error::Smtp`] that says what happened.

use std::path::Path;
use std::time::Duration;

use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{Certificate, Identity, TlsParameters};
use lettre::transport::smtp::extension::ClientId;
use rustls_pki_types::CertificateDer;
use rustls_pki_types::pem::PemObject;

use super::transaction::Failure;
use crate::backend::Settings;
use crate::error::{Cause, Error};

/// lettre's default when `EMAIL_TIMEOUT` is not set.
pub(super) const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// How the connection is encrypted.
#[derive(Clone)]
pub(super) enum Security {
    Plain,
    /// `EMAIL_USE_TLS`: STARTTLS, required.
    StartTls(TlsParameters),
    /// `EMAIL_USE_SSL`: TLS from the first byte.
    Implicit(TlsParameters),
}

/// Everything needed to open an SMTP session.
#[derive(Clone)]
pub(super) struct SmtpConfig {
    pub(super) host: String,
    pub(super) port: u16,
    pub(super) security: Security,
    pub(super) credentials: Option<Credentials>,
    /// `EMAIL_TIMEOUT`, if set (errors name the setting only then).
    pub(super) timeout: Option<Duration>,
    pub(super) hello_name: ClientId,
}

pub(super) const MECHANISMS: &[Mechanism] = &[Mechanism::Plain, Mechanism::Login];

impl SmtpConfig {
    /// Reads `settings`, including the certificate files, so a missing or
    /// malformed one fails now, naming it.
    pub(super) fn from_settings(settings: &Settings) -> Result<SmtpConfig, Error> {
        settings.check()?;
        let security = if settings.use_tls || settings.use_ssl {
            let parameters = tls_parameters(settings)?;
            if settings.use_ssl { Security::Implicit(parameters) } else { Security::StartTls(parameters) }
        } else {
            Security::Plain
        };
        let credentials = match (&settings.host_user, &settings.host_password) {
            (Some(user), Some(password)) => Some(Credentials::new(user.clone(), password.clone())),
            _ => None,
        };
        Ok(SmtpConfig {
            host: settings.host.clone(),
            port: settings.port,
            security,
            credentials,
            timeout: settings.timeout,
            hello_name: ClientId::default(),
        })
    }

    /// `host:port`, as errors name the server.
    pub(super) fn server(&self) -> String {
        crate::capture::server_label(&self.host, self.port)
    }

    pub(super) fn timeout(&self) -> Duration {
        self.timeout.unwrap_or(DEFAULT_TIMEOUT)
    }

    /// The parameters for TLS from the first byte, if that is the mode.
    pub(super) fn implicit_tls(&self) -> Option<&TlsParameters> {
        match &self.security {
            Security::Implicit(parameters) => Some(parameters),
            _ => None,
        }
    }

    /// The parameters for STARTTLS, if that is the mode.
    pub(super) fn starttls(&self) -> Option<&TlsParameters> {
        match &self.security {
            Security::StartTls(parameters) => Some(parameters),
            _ => None,
        }
    }

    /// An [`Error::Smtp`] for what lettre reported, in words: the server's
    /// reply with its code, or what failed on the way.
    pub(super) fn error(&self, err: lettre::transport::smtp::Error) -> Error {
        let code = err.status().map(|code| code.to_string().parse::<u16>().unwrap_or_default());
        let reply = if is_timeout(&err) {
            format!(
                "timed out: no answer within {} s ({}); {err}",
                secs(self.timeout()),
                self.timeout_setting()
            )
        } else {
            err.to_string()
        };
        Error::Smtp {
            server: self.server(),
            reply,
            code,
            source: Some(Cause::new(err)),
            outcome_unknown: false,
        }
    }

    /// An [`Error::Smtp`] for a failure that is ours to describe.
    pub(super) fn failure(&self, reply: impl Into<String>) -> Error {
        Error::Smtp {
            server: self.server(),
            reply: reply.into(),
            code: None,
            source: None,
            outcome_unknown: false,
        }
    }

    /// The error for a step that got no answer in time (the async client's
    /// own timer; the blocking one's socket timeout goes through [`error`](Self::error)).
    pub(super) fn timed_out(&self) -> Error {
        self.failure(format!(
            "timed out: no answer within {} s ({})",
            secs(self.timeout()),
            self.timeout_setting()
        ))
    }

    fn timeout_setting(&self) -> &'static str {
        match self.timeout {
            Some(_) => "EMAIL_TIMEOUT",
            None => "EMAIL_TIMEOUT (not set: lettre's default)",
        }
    }

    /// The error for a message that could not be sent.
    pub(super) fn transaction_error(&self, failure: Failure) -> Error {
        match failure {
            Failure::Smtp(err) => self.error(err),
            Failure::TimedOut => self.timed_out(),
            Failure::Other(err) => err,
            Failure::AllRefused(refused) => {
                let each: Vec<String> = refused
                    .iter()
                    .map(|r| match r.code {
                        Some(code) => format!("{} ({code} {})", r.recipient, r.reply),
                        None => format!("{} ({})", r.recipient, r.reply),
                    })
                    .collect();
                Error::Smtp {
                    server: self.server(),
                    reply: format!("every recipient was refused, nothing was sent: {}", each.join(", ")),
                    code: refused.first().and_then(|r| r.code),
                    source: None,
                    outcome_unknown: false,
                }
            }
        }
    }
}

/// Whether the failure was a timeout: lettre's own check looks for
/// `TimedOut` only, while a socket's read timeout reports `WouldBlock`
/// ("Resource temporarily unavailable") on Unix.
fn is_timeout(err: &lettre::transport::smtp::Error) -> bool {
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        if let Some(io) = cause.downcast_ref::<std::io::Error>() {
            return matches!(io.kind(), std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock);
        }
        source = cause.source();
    }
    err.is_timeout()
}

/// Seconds as a person writes them: `10`, `2.5`.
fn secs(duration: Duration) -> String {
    let secs = duration.as_secs_f64();
    if secs.fract() == 0.0 { format!("{secs:.0}") } else { format!("{secs}") }
}

fn tls_parameters(settings: &Settings) -> Result<TlsParameters, Error> {
    let mut tls = TlsParameters::builder(settings.host.clone());
    if let Some(cafile) = &settings.ssl_cafile {
        let pem = read(cafile)?;
        certificates(&pem, "EMAIL_SSL_CAFILE", cafile)?;
        let certificate = Certificate::from_pem(&pem)
            .map_err(|err| bad_file("EMAIL_SSL_CAFILE", cafile, &format!("a PEM certificate ({err})")))?;
        tls = tls.add_root_certificate(certificate);
    }
    if let Some(certfile) = &settings.ssl_certfile {
        tls = tls.identify_with(identity(certfile, settings.ssl_keyfile.as_deref())?);
    }
    tls.build_rustls().map_err(|err| Error::Smtp {
        server: format!("{}:{}", settings.host, settings.port),
        reply: format!("could not set up TLS: {err}"),
        code: None,
        source: Some(Cause::new(err)),
        outcome_unknown: false,
    })
}

/// The client identity. lettre's rustls side takes the certificate bytes
/// as DER although the method is `from_pem`, so it gets the DER here.
fn identity(certfile: &Path, keyfile: Option<&Path>) -> Result<Identity, Error> {
    let cert_pem = read(certfile)?;
    let chain = certificates(&cert_pem, "EMAIL_SSL_CERTFILE", certfile)?;
    let (key_pem, key_setting, key_path) = match keyfile {
        Some(keyfile) => (read(keyfile)?, "EMAIL_SSL_KEYFILE", keyfile),
        None => (cert_pem.clone(), "EMAIL_SSL_CERTFILE", certfile),
    };
    if rustls_pki_types::PrivateKeyDer::from_pem_slice(&key_pem).is_err() {
        return Err(bad_file(key_setting, key_path, "a PEM private key (PKCS#8, PKCS#1 or SEC1)"));
    }
    Identity::from_pem(chain[0].as_ref(), &key_pem).map_err(|err| {
        bad_file(
            "EMAIL_SSL_CERTFILE",
            certfile,
            &format!(
                "a client certificate lettre can use ({err}); lettre cannot build a rustls client \
                 identity while its `native-tls` feature is on somewhere in the build"
            ),
        )
    })
}

/// The certificates in a PEM file; at least one.
fn certificates(pem: &[u8], setting: &str, path: &Path) -> Result<Vec<CertificateDer<'static>>, Error> {
    let chain: Vec<CertificateDer<'static>> =
        CertificateDer::pem_slice_iter(pem)
            .collect::<Result<_, _>>()
            .map_err(|err| bad_file(setting, path, &format!("a PEM certificate ({err})")))?;
    if chain.is_empty() {
        return Err(bad_file(setting, path, "a PEM certificate (found no CERTIFICATE block)"));
    }
    Ok(chain)
}

fn read(path: &Path) -> Result<Vec<u8>, Error> {
    std::fs::read(path).map_err(|err| Error::io("read", path, &err))
}

fn bad_file(setting: &str, path: &Path, expected: &str) -> Error {
    Error::InvalidSetting {
        name: setting.to_owned(),
        value: path.display().to_string(),
        expected: expected.to_owned(),
    }
}
