//! AUTH that takes whatever the client has: for an app whose credentials
//! come from its own configuration, which a test need not repeat.

use crate::SmtpSinkBuilder;

impl SmtpSinkBuilder {
    /// Offers AUTH PLAIN and LOGIN and accepts any user name and password,
    /// so an app configured with credentials logs in as it does in
    /// production, whatever they are. MAIL does not wait for AUTH (a client
    /// without credentials sends too); with
    /// [`credentials`](SmtpSinkBuilder::credentials) as well, any pair is
    /// still accepted, and [`SmtpSink::url`](crate::SmtpSink::url) carries
    /// the first of them.
    ///
    /// ```
    /// use lettre::transport::smtp::authentication::Credentials;
    /// use lettre::{Message, SmtpTransport, Transport};
    ///
    /// let sink = mailtest::SmtpSink::builder().any_credentials().start().unwrap();
    /// let app = SmtpTransport::builder_dangerous("127.0.0.1")
    ///     .port(sink.port())
    ///     .credentials(Credentials::new("whoever".into(), "from .env".into()))
    ///     .build();
    /// let message = Message::builder()
    ///     .from("shop@example.com".parse().unwrap())
    ///     .to("ann@example.com".parse().unwrap())
    ///     .body(String::from("Hi"))
    ///     .unwrap();
    /// app.send(&message).unwrap();
    /// sink.outbox().find().to("ann@example.com").one();
    /// ```
    pub fn any_credentials(mut self) -> Self {
        self.any_credentials = true;
        self
    }
}
