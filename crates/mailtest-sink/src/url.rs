//! [`SmtpSink::url`]: the sink as the URL a lettre app's `from_url` takes.

use crate::SmtpSink;

impl SmtpSink {
    /// The URL of this sink in lettre's syntax — what an app that builds
    /// `SmtpTransport::from_url(SMTP_URL)` (or mailtest's
    /// `Mailer::from_url`) takes — with the first configured credentials,
    /// percent-encoded: `smtp://127.0.0.1:40123`,
    /// `smtp://app:s3cret@127.0.0.1:40123`; for a TLS sink (feature `tls`),
    /// `smtp://127.0.0.1:40123?tls=required` with STARTTLS and
    /// `smtps://127.0.0.1:40123` with implicit TLS. A test gives it to the app's
    /// unchanged production constructor, so the app's own transport
    /// delivers here.
    ///
    /// ```
    /// let sink = mailtest::SmtpSink::builder().credentials("app", "s3cr@t").start().unwrap();
    /// assert_eq!(sink.url(), format!("smtp://app:s3cr%40t@127.0.0.1:{}", sink.port()));
    /// // An app's own constructor takes it: lettre::SmtpTransport::from_url(&sink.url())
    /// ```
    pub fn url(&self) -> String {
        let addr = self.addr();
        let host = if addr.ip().is_unspecified() { "127.0.0.1".to_owned() } else { addr.ip().to_string() };
        let host = if host.contains(':') { format!("[{host}]") } else { host };
        let config = &self.server.shared.config;
        let userinfo = match config.credentials.first() {
            Some((user, password)) => format!("{}:{}@", encode(user), encode(password)),
            None => String::new(),
        };
        let port = addr.port();
        if config.implicit_tls() {
            format!("smtps://{userinfo}{host}:{port}")
        } else if config.offers_starttls() {
            format!("smtp://{userinfo}{host}:{port}?tls=required")
        } else {
            format!("smtp://{userinfo}{host}:{port}")
        }
    }
}

/// Percent-encodes what a URL's user or password cannot carry as it is.
fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}
