//! Waiting for a future while watching the client that asked for it: a
//! long poll (`/api/wait`) ends the moment its client hangs up, instead of
//! holding its thread until the timeout.
//!
//! The wait is the async form of the query (`try_at_least_async`): the same
//! code as a test's `.within(..)`, woken by the outbox's wakers and its
//! timer. The thread sleeps in `epoll` (through mio) on two things at once:
//! an eventfd that the future's waker rings, and the client's socket, which
//! turns readable when the client closes it. No polling loop, no timer of
//! our own.

use std::cell::RefCell;
use std::future::Future;
use std::io::ErrorKind;
use std::net::TcpStream;
use std::pin::pin;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};

use mio::{Events, Interest, Token};

const WOKEN: Token = Token(0);
const CLIENT: Token = Token(1);

/// Rings the eventfd the waiting thread sleeps on.
struct Ring(mio::Waker);

impl Wake for Ring {
    fn wake(self: Arc<Self>) {
        let _ = self.0.wake();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        let _ = self.0.wake();
    }
}

/// What a thread sleeps on while it waits: its epoll set, and the eventfd
/// in it that the future's waker rings. Made once a thread and kept (the
/// connection threads are reused, see `workers.rs`): four system calls
/// and two descriptors fewer a wait. A ring left over from an earlier
/// wait (an outbox still holding its waker) only makes the next wait poll
/// its future once more.
struct Watch {
    poll: mio::Poll,
    ring: Arc<Ring>,
    events: Events,
}

impl Watch {
    fn new() -> std::io::Result<Watch> {
        let poll = mio::Poll::new()?;
        let ring = Arc::new(Ring(mio::Waker::new(poll.registry(), WOKEN)?));
        Ok(Watch { poll, ring, events: Events::with_capacity(4) })
    }
}

thread_local! {
    static WATCH: RefCell<Option<Watch>> = const { RefCell::new(None) };
}

/// Runs `future` to its end on this thread, unless the client on `stream`
/// hangs up first: then `None`, at once. `Err` when the watch cannot be set
/// up (out of descriptors).
pub(crate) fn unless_gone<F: Future>(future: F, stream: &TcpStream) -> std::io::Result<Option<F::Output>> {
    let mut watch = match WATCH.with_borrow_mut(Option::take) {
        Some(watch) => watch,
        None => Watch::new()?,
    };
    // The watch shares the socket's open file, so its non-blocking mode is
    // the stream's too: set back before the answer is written.
    let mut watched = mio::net::TcpStream::from_std(stream.try_clone()?);
    watch.poll.registry().register(&mut watched, CLIENT, Interest::READABLE)?;
    let outcome = drive(future, &mut watch, &watched);
    let _ = watch.poll.registry().deregister(&mut watched);
    WATCH.with_borrow_mut(|kept| *kept = Some(watch));
    stream.set_nonblocking(false)?;
    outcome
}

fn drive<F: Future>(
    future: F,
    watch: &mut Watch,
    watched: &mio::net::TcpStream,
) -> std::io::Result<Option<F::Output>> {
    let waker = Waker::from(Arc::clone(&watch.ring));
    let mut context = Context::from_waker(&waker);
    let mut future = pin!(future);
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut context) {
            return Ok(Some(output));
        }
        loop {
            match watch.poll.poll(&mut watch.events, None) {
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                result => break result?,
            }
        }
        if watch.events.iter().any(|event| event.token() == CLIENT) && gone(watched) {
            return Ok(None);
        }
    }
}

/// Whether the client closed its side (or the connection broke). Bytes it
/// sent after its request are left where they are.
fn gone(stream: &mio::net::TcpStream) -> bool {
    let mut byte = [0u8; 1];
    match stream.peek(&mut byte) {
        Ok(0) => true,
        Ok(_) => false,
        Err(e) => !matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::Interrupted),
    }
}

#[cfg(test)]
mod tests {
    use std::net::TcpListener;
    use std::time::{Duration, Instant};

    use super::*;

    fn pair() -> (TcpStream, TcpStream) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        (listener.accept().unwrap().0, client)
    }

    #[test]
    fn a_client_that_hangs_up_ends_the_wait_at_once() {
        let (server, client) = pair();
        let started = Instant::now();
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(50));
            drop(client);
        });
        let never = std::future::pending::<()>();
        assert_eq!(unless_gone(never, &server).unwrap(), None);
        assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
    }

    #[test]
    fn one_thread_waits_again_after_a_hang_up_and_after_an_answer() {
        let outbox = mailtest::Outbox::new();
        for round in 0..3 {
            let (server, client) = pair();
            let wait = outbox.find().subject("hi").within(Duration::from_secs(30)).try_at_least_async(round);
            let ended = match round {
                // Gone: its watch is reused by the next wait on this thread.
                0 => {
                    drop(client);
                    unless_gone(std::future::pending::<()>(), &server).unwrap()
                }
                _ => {
                    let sender = outbox.clone();
                    std::thread::spawn(move || {
                        std::thread::sleep(Duration::from_millis(20));
                        sender.capture_raw(None, &["ann@example.com"], b"Subject: hi\r\n\r\n.");
                    });
                    let found = unless_gone(wait, &server).unwrap().unwrap().unwrap();
                    assert_eq!(found.len(), round, "round {round}");
                    Some(())
                }
            };
            assert_eq!(ended.is_some(), round > 0, "round {round}");
        }
    }

    #[test]
    fn a_future_woken_from_elsewhere_ends_the_wait_with_its_output() {
        let (server, client) = pair();
        let outbox = mailtest::Outbox::new();
        let sender = outbox.clone();
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(20));
            sender.capture_raw(None, &["ann@example.com"], b"Subject: hi\r\n\r\n.");
        });
        let wait = outbox.find().subject("hi").within(Duration::from_secs(30)).try_at_least_async(1);
        let found = unless_gone(wait, &server).unwrap().unwrap().unwrap();
        assert_eq!(found.len(), 1);
        // The stream blocks again, for the answer: a read waits its timeout out.
        server.set_read_timeout(Some(Duration::from_millis(50))).unwrap();
        let reading = Instant::now();
        assert!(std::io::Read::read(&mut &server, &mut [0u8; 1]).is_err());
        assert!(reading.elapsed() >= Duration::from_millis(40), "{:?}", reading.elapsed());
        drop(client);
    }
}
