//! The sink's one thread: started with the sink, stopped and joined on drop.

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread::JoinHandle;

use mio::net::TcpListener;
use mio::{Interest, Poll, Waker};
use socket2::{Domain, Protocol, Socket, Type};

use mailtest_harness::Outbox;

use crate::builder::Config;
use crate::event_loop::{EventLoop, LISTENER, WAKER};
use crate::shared::Shared;

/// A running server: stopped, and its thread joined, on drop.
pub(crate) struct Server {
    pub(crate) addr: SocketAddr,
    pub(crate) shared: Arc<Shared>,
    /// Wakes the loop to stop. Made at start, so a stop needs no new file
    /// descriptor: it works when every descriptor of the process is taken.
    waker: Waker,
    thread: Option<JoinHandle<()>>,
}

impl Server {
    /// Binds `addr` and starts the loop on a thread named `{name}:smtp`
    /// (Linux keeps 15 bytes of a thread name, so `name` must stay short).
    pub(crate) fn start(addr: SocketAddr, config: Config, outbox: Outbox, name: &str) -> io::Result<Server> {
        let mut listener = listen(addr)?;
        let addr = listener.local_addr()?;
        let poll = Poll::new()?;
        let waker = Waker::new(poll.registry(), WAKER)?;
        poll.registry().register(&mut listener, LISTENER, Interest::READABLE)?;
        let shared = Arc::new(Shared {
            config,
            outbox,
            stopping: AtomicBool::new(false),
            sessions: AtomicUsize::new(0),
            sessions_started: AtomicUsize::new(0),
        });
        let event_loop = EventLoop::new(poll, listener, Arc::clone(&shared));
        let thread =
            std::thread::Builder::new().name(format!("{name}:smtp")).spawn(move || event_loop.run())?;
        Ok(Server { addr, shared, waker, thread: Some(thread) })
    }
}

/// Clients that may wait for `accept`: a burst of a thousand clients (or a
/// sink out of descriptors) queues here instead of having its SYNs dropped
/// and retried a second later. (std and mio ask for 128.)
const BACKLOG: i32 = 1024;

/// A non-blocking listener on `addr`, with `SO_REUSEADDR` as std sets it on
/// Unix (a port just closed can be bound again at once).
fn listen(addr: SocketAddr) -> io::Result<TcpListener> {
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, Some(Protocol::TCP))?;
    #[cfg(not(windows))]
    socket.set_reuse_address(true)?;
    socket.bind(&addr.into())?;
    socket.listen(BACKLOG)?;
    socket.set_nonblocking(true)?;
    Ok(TcpListener::from_std(socket.into()))
}

impl Drop for Server {
    fn drop(&mut self) {
        self.shared.stopping.store(true, Ordering::SeqCst);
        // An eventfd write: it cannot fail for want of a descriptor. Should
        // it fail anyway, joining would hang, so the thread is left to see
        // the flag at its next wake-up instead.
        if self.waker.wake().is_ok()
            && let Some(thread) = self.thread.take()
        {
            let _ = thread.join();
        }
    }
}
