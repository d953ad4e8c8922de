//! `lettre::AsyncTransport` for a [`Guarded`] transport: the same decision
//! as the sync one, then the inner transport's own async send.

use lettre::address::Envelope;
use lettre::{AsyncTransport, Message};

use super::{GuardError, Guarded, Sent};

#[async_trait::async_trait]
impl<T> AsyncTransport for Guarded<T>
where
    T: AsyncTransport + Send + Sync,
    T::Ok: Send,
    T::Error: Send,
{
    type Ok = Sent<T::Ok>;
    type Error = GuardError<T::Error>;

    /// Captured, refused, or the inner transport's own `send`.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// use lettre::AsyncTransport;
    /// use lettre::transport::stub::AsyncStubTransport;
    ///
    /// let transport = mailtest::guard(AsyncStubTransport::new_ok());
    /// let mail = mailtest::Outbox::new();
    /// let message = lettre::Message::builder()
    ///     .from("shop@example.com".parse().unwrap())
    ///     .to("ann@example.com".parse().unwrap())
    ///     .body(String::from("Hi"))
    ///     .unwrap();
    /// let sent = mail.scope(transport.send(message)).await.unwrap();
    /// assert!(sent.is_captured());
    /// mail.find().to("ann@example.com").one();
    /// # }
    /// ```
    async fn send(&self, message: Message) -> Result<Sent<T::Ok>, GuardError<T::Error>> {
        if self.decide(message.envelope(), || message.formatted(), true).map_err(GuardError::Refused)? {
            return Ok(Sent::Captured);
        }
        self.inner.send(message).await.map(Sent::Delivered).map_err(GuardError::Transport)
    }

    async fn send_raw(&self, envelope: &Envelope, email: &[u8]) -> Result<Sent<T::Ok>, GuardError<T::Error>> {
        if self.decide(envelope, || email.to_vec(), true).map_err(GuardError::Refused)? {
            return Ok(Sent::Captured);
        }
        self.inner.send_raw(envelope, email).await.map(Sent::Delivered).map_err(GuardError::Transport)
    }

    async fn shutdown(&self) {
        self.inner.shutdown().await;
    }
}
