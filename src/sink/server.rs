//! The acceptor thread, one thread per connection, and an orderly stop.

use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

use crate::outbox::Outbox;
use crate::sink::builder::Config;
use crate::sink::session::Session;

/// Session threads need little stack: buffers live on the heap.
const SESSION_STACK: usize = 256 * 1024;

/// What the acceptor, every session and the `SmtpSink` handle share.
pub(crate) struct Shared {
    pub(crate) config: Config,
    pub(crate) outbox: Outbox,
    pub(crate) stopping: AtomicBool,
    /// Sessions still running (a session leaves before its socket closes).
    pub(crate) sessions: AtomicUsize,
    /// Sessions ever started: how many connections clients made.
    pub(crate) sessions_started: AtomicUsize,
    connections: Mutex<Vec<Connection>>,
}

/// A session thread and its socket, kept so that a stop can wake the thread
/// (by shutting the socket's read side) and then join it.
struct Connection {
    stream: Arc<TcpStream>,
    thread: JoinHandle<()>,
}

/// A running server: stopped, and every thread joined, on drop.
pub(crate) struct Server {
    pub(crate) addr: SocketAddr,
    pub(crate) shared: Arc<Shared>,
    acceptor: Option<JoinHandle<()>>,
}

impl Server {
    /// `name` prefixes every thread's name (`{name}:acc`, `{name}:conn`);
    /// Linux keeps 15 bytes of a thread name, so it must stay short.
    pub(crate) fn start(
        listener: TcpListener,
        config: Config,
        outbox: Outbox,
        name: &str,
    ) -> io::Result<Server> {
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            config,
            outbox,
            stopping: AtomicBool::new(false),
            sessions: AtomicUsize::new(0),
            sessions_started: AtomicUsize::new(0),
            connections: Mutex::new(Vec::new()),
        });
        let acceptor = {
            let shared = Arc::clone(&shared);
            std::thread::Builder::new().name(format!("{name}:acc")).spawn({
                let name = name.to_owned();
                move || accept_loop(&listener, &shared, &name)
            })?
        };
        Ok(Server { addr, shared, acceptor: Some(acceptor) })
    }
}

fn accept_loop(listener: &TcpListener, shared: &Arc<Shared>, name: &str) {
    loop {
        let accepted = listener.accept();
        if shared.stopping.load(Ordering::SeqCst) {
            return;
        }
        let stream = match accepted {
            Ok((stream, _)) => Arc::new(stream),
            // Out of file descriptors or similar: back off instead of
            // spinning; the client is still queued in the backlog.
            Err(_) => {
                std::thread::sleep(Duration::from_millis(10));
                continue;
            }
        };
        let idle = shared.config.idle_timeout;
        // Replies go out whole; Nagle would only delay them.
        let configured = stream
            .set_nodelay(true)
            .and(stream.set_read_timeout(Some(idle)))
            .and(stream.set_write_timeout(Some(idle)));
        if configured.is_err() {
            continue;
        }
        shared.sessions.fetch_add(1, Ordering::SeqCst);
        shared.sessions_started.fetch_add(1, Ordering::SeqCst);
        let spawned = {
            let shared = Arc::clone(shared);
            let stream = Arc::clone(&stream);
            std::thread::Builder::new()
                .name(format!("{name}:conn"))
                .stack_size(SESSION_STACK)
                .spawn(move || serve(&stream, &shared))
        };
        match spawned {
            Ok(thread) => {
                let mut connections = shared.connections.lock().unwrap_or_else(PoisonError::into_inner);
                // Forget finished sessions so the list stays as long as the
                // number of open connections.
                connections.retain(|c| !c.thread.is_finished());
                connections.push(Connection { stream, thread });
            }
            Err(_) => {
                shared.sessions.fetch_sub(1, Ordering::SeqCst);
                let _ = io::Write::write_all(&mut &*stream, b"421 4.3.2 too busy, try again later\r\n");
                let _ = stream.shutdown(Shutdown::Both);
            }
        }
    }
}

fn serve(stream: &TcpStream, shared: &Shared) {
    let session = Session::new(QuickAck(stream), stream, &shared.config, &shared.outbox, &shared.stopping);
    // An I/O error means the client is gone: nothing left to tell anyone.
    let _ = session.run();
    shared.sessions.fetch_sub(1, Ordering::SeqCst);
    // Shut the socket itself (the registry holds another handle to it), so
    // the client sees the close now.
    let _ = stream.shutdown(Shutdown::Both);
}

impl Drop for Server {
    fn drop(&mut self) {
        self.shared.stopping.store(true, Ordering::SeqCst);
        if let Some(acceptor) = self.acceptor.take() {
            // `accept` blocks; a connection of our own wakes it to see the flag.
            let woken = TcpStream::connect_timeout(&wake_addr(self.addr), Duration::from_secs(1)).is_ok();
            if woken {
                let _ = acceptor.join();
            }
            // Otherwise the acceptor stays parked in `accept` until the
            // process ends; it holds no message and accepts nothing new that
            // matters, as every session it would start sees `stopping`.
        }
        // The listener is closed now; no new sessions can appear.
        let connections =
            std::mem::take(&mut *self.shared.connections.lock().unwrap_or_else(PoisonError::into_inner));
        for connection in &connections {
            // Wakes a session blocked on a read: it reads end-of-file, sees
            // `stopping` and says 421 before it closes.
            let _ = connection.stream.shutdown(Shutdown::Read);
        }
        for connection in connections {
            let _ = connection.thread.join();
        }
    }
}

/// Reads from a socket and acknowledges what arrived at once.
///
/// Many clients (lettre among them) write the message data and the final
/// `\r\n.\r\n` in two writes without `TCP_NODELAY`. Nagle's algorithm then
/// holds the second write until the first is acknowledged, and Linux delays
/// that acknowledgement by up to 40 ms: every message would take 40 ms. Quick
/// ACK mode does not stick, so it is asked for again on every read.
struct QuickAck<'a>(&'a TcpStream);

impl io::Read for QuickAck<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        #[cfg(any(target_os = "linux", target_os = "android"))]
        let _ = socket2::SockRef::from(self.0).set_tcp_quickack(true);
        (&mut &*self.0).read(buf)
    }
}

/// Where to connect to reach a listener bound to `addr`.
fn wake_addr(addr: SocketAddr) -> SocketAddr {
    let ip = match addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    SocketAddr::new(ip, addr.port())
}
