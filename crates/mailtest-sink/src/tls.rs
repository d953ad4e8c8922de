//! TLS for the sink (feature `tls`): the certificate made at start, the
//! builder's two modes and the CA a client trusts. The bytes themselves go
//! through `link.rs`.

use std::io;
use std::sync::Arc;

use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair, KeyUsagePurpose,
};
use rustls::ServerConnection;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

use crate::{Error, SmtpSink, SmtpSinkBuilder};

/// How a sink speaks TLS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TlsMode {
    /// Plain SMTP that offers STARTTLS, and requires it before AUTH and MAIL
    /// (lettre's `smtp://…?tls=required`, Django's `EMAIL_USE_TLS`).
    StartTls,
    /// TLS from the first byte (lettre's `smtps://`, Django's `EMAIL_USE_SSL`).
    Implicit,
}

/// A TLS sink's server side: its mode, rustls' configuration, and the CA
/// that signed its certificate, for clients to trust.
pub(crate) struct TlsSetup {
    pub(crate) mode: TlsMode,
    config: Arc<rustls::ServerConfig>,
    ca_pem: String,
}

impl std::fmt::Debug for TlsSetup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TlsSetup").field("mode", &self.mode).finish_non_exhaustive()
    }
}

impl TlsSetup {
    /// A fresh CA and a certificate it signs for `localhost`, `127.0.0.1`,
    /// `::1` and the sink's `hostname`: made at every start, so no key is
    /// shipped or shared, and each sink's CA is trusted by its own test only.
    pub(crate) fn generate(mode: TlsMode, hostname: &str) -> Result<TlsSetup, Error> {
        let failed =
            |err: rcgen::Error| Error::setting("tls", format!("could not make the certificate: {err}"));
        let ca_key = KeyPair::generate().map_err(failed)?;
        let mut ca = CertificateParams::new(Vec::<String>::new()).map_err(failed)?;
        ca.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
        ca.distinguished_name.push(DnType::CommonName, "mailtest sink CA");
        ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::DigitalSignature];
        let ca = ca.self_signed(&ca_key).map_err(failed)?;

        let key = KeyPair::generate().map_err(failed)?;
        let mut names = vec!["localhost".to_owned(), "127.0.0.1".to_owned(), "::1".to_owned()];
        if !names.iter().any(|name| name == hostname) {
            names.push(hostname.to_owned());
        }
        let mut leaf = CertificateParams::new(names).map_err(failed)?;
        leaf.distinguished_name.push(DnType::CommonName, hostname);
        leaf.is_ca = IsCa::ExplicitNoCa;
        leaf.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        let leaf = leaf.signed_by(&key, &ca, &ca_key).map_err(failed)?;

        let chain = vec![leaf.der().clone(), CertificateDer::from(ca.der().to_vec())];
        let private = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .and_then(|config| config.with_no_client_auth().with_single_cert(chain, private))
            .map_err(|err| Error::setting("tls", format!("could not configure TLS: {err}")))?;
        Ok(TlsSetup { mode, config: Arc::new(config), ca_pem: ca.pem() })
    }

    /// The server side of one new TLS session.
    pub(crate) fn accept(&self) -> io::Result<ServerConnection> {
        let mut connection = ServerConnection::new(Arc::clone(&self.config)).map_err(io::Error::other)?;
        // Replies are bounded before they reach TLS (the connection's
        // OUTPUT_HIGH); a second, lower bound here would cut a reply short.
        connection.set_buffer_limit(None);
        Ok(connection)
    }
}

impl SmtpSinkBuilder {
    /// Offers STARTTLS, with a certificate generated at start (see
    /// [`SmtpSink::ca_pem`]), and requires it: AUTH and MAIL before
    /// STARTTLS get `530 5.7.0`. [`SmtpSink::url`] then ends in
    /// `?tls=required`, lettre's syntax for it. Feature `tls`.
    ///
    /// ```
    /// let sink = mailtest::SmtpSink::builder().starttls().start().unwrap();
    /// assert_eq!(sink.url(), format!("smtp://127.0.0.1:{}?tls=required", sink.port()));
    /// assert!(sink.ca_pem().unwrap().starts_with("-----BEGIN CERTIFICATE-----"));
    /// ```
    pub fn starttls(mut self) -> Self {
        self.tls = Some(TlsMode::StartTls);
        self
    }

    /// Speaks TLS from the first byte (SMTPS, RFC 8314), with a certificate
    /// generated at start (see [`SmtpSink::ca_pem`]). [`SmtpSink::url`] then
    /// starts with `smtps://`. Feature `tls`.
    ///
    /// ```
    /// let sink = mailtest::SmtpSink::builder().implicit_tls().start().unwrap();
    /// assert_eq!(sink.url(), format!("smtps://127.0.0.1:{}", sink.port()));
    /// ```
    pub fn implicit_tls(mut self) -> Self {
        self.tls = Some(TlsMode::Implicit);
        self
    }
}

impl SmtpSink {
    /// The PEM certificate of the CA that signed this sink's certificate,
    /// made when the sink started, for the client to trust; `None` for a
    /// sink without TLS. Its certificate names `localhost`, `127.0.0.1`,
    /// `::1` and the sink's [hostname](SmtpSinkBuilder::hostname). Feature
    /// `tls`.
    ///
    /// A lettre client adds it to its roots:
    ///
    /// ```
    /// use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
    /// use lettre::{Message, SmtpTransport, Transport};
    ///
    /// let sink = mailtest::SmtpSink::builder().implicit_tls().start().unwrap();
    /// let ca = Certificate::from_pem(sink.ca_pem().unwrap().as_bytes()).unwrap();
    /// let tls = TlsParameters::builder("127.0.0.1".to_owned()).add_root_certificate(ca).build().unwrap();
    /// let transport =
    ///     SmtpTransport::builder_dangerous("127.0.0.1").port(sink.port()).tls(Tls::Wrapper(tls)).build();
    /// let message = Message::builder()
    ///     .from("shop@example.com".parse().unwrap())
    ///     .to("ann@example.com".parse().unwrap())
    ///     .body(String::from("Hi"))
    ///     .unwrap();
    /// transport.send(&message).unwrap();
    /// sink.outbox().find().to("ann@example.com").one();
    /// ```
    ///
    /// A program that reads the system's trust store (OpenSSL, so lettre
    /// with `native-tls`; `rustls-native-certs`; curl; Python) takes it as
    /// a file named by `SSL_CERT_FILE`.
    pub fn ca_pem(&self) -> Option<&str> {
        self.server.shared.config.tls.as_ref().map(|tls| tls.ca_pem.as_str())
    }
}
