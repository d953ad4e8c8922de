//! The bytes between a connection's socket and its session: as they are,
//! or through TLS (feature `tls`). rustls is sans-I/O, so the event loop
//! stays as it is: a TLS connection reads and writes the same non-blocking
//! socket, and the session sees plaintext either way.

use std::io::{self, Read, Write};

use mio::net::TcpStream;
#[cfg(feature = "tls")]
use rustls::ServerConnection;

use crate::builder::Config;
#[cfg(feature = "tls")]
use crate::tls::TlsMode;

/// The bytes between a connection's socket and its session: as they are,
/// or through TLS.
pub(crate) enum Link {
    Plain,
    #[cfg(feature = "tls")]
    Tls(Box<ServerConnection>),
}

impl Link {
    /// The link a new connection starts with: TLS from the first byte for
    /// an implicit-TLS sink, plain otherwise.
    pub(crate) fn at_connect(config: &Config) -> io::Result<Link> {
        #[cfg(feature = "tls")]
        if let Some(tls) = config.tls.as_ref().filter(|tls| tls.mode == TlsMode::Implicit) {
            return Ok(Link::Tls(Box::new(tls.accept()?)));
        }
        let _ = config;
        Ok(Link::Plain)
    }

    /// The link after the client's STARTTLS got its `220`.
    pub(crate) fn after_starttls(config: &Config) -> io::Result<Link> {
        #[cfg(feature = "tls")]
        if let Some(tls) = &config.tls {
            return Ok(Link::Tls(Box::new(tls.accept()?)));
        }
        let _ = config;
        Err(io::Error::other("STARTTLS on a sink without TLS"))
    }

    /// Whether the session is under TLS.
    pub(crate) fn is_tls(&self) -> bool {
        match self {
            Link::Plain => false,
            #[cfg(feature = "tls")]
            Link::Tls(_) => true,
        }
    }

    /// Plaintext from the client. `Ok(0)` at its end; `WouldBlock` when the
    /// socket has nothing more for now.
    pub(crate) fn read(&mut self, stream: &mut TcpStream, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Link::Plain => stream.read(buf),
            #[cfg(feature = "tls")]
            Link::Tls(tls) => read_tls(tls, stream, buf),
        }
    }

    /// Whether a read that filled less than its buffer may still have left
    /// input in the socket. Plain: no (the next input brings a new edge).
    /// TLS: yes, a record may hold less plaintext than the socket has bytes.
    pub(crate) fn may_hold_more(&self) -> bool {
        self.is_tls()
    }

    /// Takes plaintext to send; how much it took.
    pub(crate) fn write(&mut self, stream: &mut TcpStream, data: &[u8]) -> io::Result<usize> {
        match self {
            Link::Plain => stream.write(data),
            #[cfg(feature = "tls")]
            Link::Tls(tls) => tls.writer().write(data),
        }
    }

    /// Sends what TLS holds; `WouldBlock` if the socket takes no more now.
    pub(crate) fn push(&mut self, stream: &mut TcpStream) -> io::Result<()> {
        match self {
            Link::Plain => {
                let _ = stream; // plain bytes went straight to the socket in `write`
                Ok(())
            }
            #[cfg(feature = "tls")]
            Link::Tls(tls) => push(tls, stream),
        }
    }
}

#[cfg(feature = "tls")]
fn push(tls: &mut ServerConnection, stream: &mut TcpStream) -> io::Result<()> {
    while tls.wants_write() {
        if tls.write_tls(stream)? == 0 {
            return Err(io::ErrorKind::WriteZero.into());
        }
    }
    Ok(())
}

/// Plaintext out of TLS, reading records from the socket as needed.
#[cfg(feature = "tls")]
fn read_tls(tls: &mut ServerConnection, stream: &mut TcpStream, buf: &mut [u8]) -> io::Result<usize> {
    loop {
        match tls.reader().read(buf) {
            Ok(n) => return Ok(n),
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
            // The client closed the socket without close_notify: an end all the same.
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(0),
            Err(e) => return Err(e),
        }
        if tls.read_tls(stream)? == 0 {
            return Ok(0);
        }
        if let Err(err) = tls.process_new_packets() {
            // The alert saying why, if the socket takes it.
            let _ = tls.write_tls(stream);
            return Err(io::Error::new(io::ErrorKind::InvalidData, err));
        }
        // The handshake's answers go out as they are made; what the
        // socket does not take now goes with the next flush.
        match push(tls, stream) {
            Err(e) if e.kind() != io::ErrorKind::WouldBlock => return Err(e),
            _ => {}
        }
    }
}
