//! The SMTP backend: Django's `smtp.EmailBackend`, on lettre's SMTP
//! transport with rustls (feature `smtp`).
//!
//! TLS is always built with rustls (`build_rustls`), even when a crate next
//! to us turns on lettre's `native-tls`: the behaviour of this backend then
//! does not depend on features elsewhere in the build. Trust is the Mozilla
//! roots (webpki-roots) plus `EMAIL_SSL_CAFILE`, mailtest's addition for
//! servers with a private or self-signed certificate.
//!
//! Each send opens a connection (lettre's transport; with lettre's `pool`
//! feature on, lettre keeps connections open and reuses them instead).

use std::path::Path;

use lettre::address::Envelope;
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{Certificate, Identity, Tls, TlsParameters};
use lettre::{Message, SmtpTransport, Transport};
use rustls_pki_types::CertificateDer;
use rustls_pki_types::pem::PemObject;

use super::{EmailBackend, Settings};
use crate::error::Error;

/// Sends through an SMTP server (`EMAIL_BACKEND=smtp`, the default).
///
/// | setting | effect |
/// |---|---|
/// | `EMAIL_HOST`, `EMAIL_PORT` | the server |
/// | `EMAIL_USE_TLS` | STARTTLS, required: a server that does not offer it is an error |
/// | `EMAIL_USE_SSL` | TLS from the first byte (usually port 465) |
/// | `EMAIL_HOST_USER`, `EMAIL_HOST_PASSWORD` | AUTH PLAIN or LOGIN, when both are set |
/// | `EMAIL_TIMEOUT` | for connecting and for each reply (default 60 s) |
/// | `EMAIL_SSL_CERTFILE`, `EMAIL_SSL_KEYFILE` | a client certificate (PEM; the key may be in the cert file) |
/// | `EMAIL_SSL_CAFILE` | a PEM certificate to trust besides the Mozilla roots |
///
/// Errors name `host:port` and the server's reply, e.g.
/// `mailtest: SMTP server 127.0.0.1:2525: permanent error (535): 5.7.8 Authentication credentials invalid`.
///
/// A client certificate needs lettre's `native-tls` feature to be off in
/// the whole build (lettre then cannot build the rustls identity from PEM);
/// with it on, a clear error says so.
///
/// ```no_run
/// use mailtest::{Mailer, Settings, SmtpBackend};
///
/// let settings = Settings::from_vars([
///     ("EMAIL_HOST", "smtp.example.com"),
///     ("EMAIL_PORT", "587"),
///     ("EMAIL_USE_TLS", "true"),
///     ("EMAIL_HOST_USER", "app"),
///     ("EMAIL_HOST_PASSWORD", "s3cret"),
/// ])
/// .unwrap();
/// let mailer = Mailer::new(SmtpBackend::from_settings(&settings).unwrap());
/// # let _ = mailer;
/// ```
pub struct SmtpBackend {
    transport: SmtpTransport,
    server: String,
}

impl SmtpBackend {
    /// An SMTP backend for `settings`; reads the certificate files now, so a
    /// missing or malformed one fails here, naming it. Connects at each send.
    ///
    /// ```
    /// let settings =
    ///     mailtest::Settings::from_vars([("EMAIL_USE_TLS", "true"), ("EMAIL_SSL_CAFILE", "/no/such/ca.pem")])
    ///         .unwrap();
    /// let err = mailtest::SmtpBackend::from_settings(&settings).unwrap_err();
    /// assert!(err.to_string().contains("/no/such/ca.pem"));
    /// ```
    pub fn from_settings(settings: &Settings) -> Result<SmtpBackend, Error> {
        settings.check()?;
        let server = format!("{}:{}", settings.host, settings.port);
        let mut builder = SmtpTransport::builder_dangerous(settings.host.as_str()).port(settings.port);
        if settings.use_tls || settings.use_ssl {
            let parameters = tls_parameters(settings)?;
            builder = builder.tls(if settings.use_ssl {
                Tls::Wrapper(parameters)
            } else {
                Tls::Required(parameters)
            });
        } else {
            builder = builder.tls(Tls::None);
        }
        if let Some(timeout) = settings.timeout {
            builder = builder.timeout(Some(timeout));
        }
        if let (Some(user), Some(password)) = (&settings.host_user, &settings.host_password) {
            builder = builder
                .credentials(Credentials::new(user.clone(), password.clone()))
                .authentication(vec![Mechanism::Plain, Mechanism::Login]);
        }
        Ok(SmtpBackend { transport: builder.build(), server })
    }

    fn smtp_error(&self, err: &lettre::transport::smtp::Error) -> Error {
        Error::Smtp { server: self.server.clone(), reply: err.to_string() }
    }
}

impl std::fmt::Debug for SmtpBackend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpBackend").field("server", &self.server).finish()
    }
}

impl EmailBackend for SmtpBackend {
    fn send_messages(&self, messages: &[Message]) -> Result<usize, Error> {
        for message in messages {
            self.transport.send(message).map_err(|err| self.smtp_error(&err))?;
        }
        Ok(messages.len())
    }

    fn send_raw(&self, envelope: &Envelope, raw: &[u8]) -> Result<(), Error> {
        self.transport.send_raw(envelope, raw).map(drop).map_err(|err| self.smtp_error(&err))
    }

    /// Checks that the server answers (connect, EHLO, QUIT).
    fn open(&self) -> Result<(), Error> {
        match self.transport.test_connection() {
            Ok(true) => Ok(()),
            Ok(false) => {
                Err(Error::Smtp { server: self.server.clone(), reply: "the server did not answer".into() })
            }
            Err(err) => Err(self.smtp_error(&err)),
        }
    }
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
