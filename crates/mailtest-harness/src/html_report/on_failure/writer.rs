//! The thread that writes reports, so that a failing test does not wait
//! for its files.
//!
//! A report is a folder of new files, and a new file costs the file system
//! tens of microseconds to half a millisecond (ext4 looks for recently
//! freed inodes first): paid on the failing test's thread, 50 failures of a
//! suite of short tests added half again to its time. So a report is handed
//! to this thread with what it needs (the emails, the failure's text) and
//! the test goes on. The run's index and summary are written when no report
//! has come for a moment ([`SETTLE`]), once for a burst of failures rather
//! than once for each.
//!
//! Nothing may be lost when the process ends, which a test binary does with
//! `exit` as soon as its last test is done: the C library runs the handlers
//! registered with `atexit` first, and one of them waits until every report
//! handed over, and the index, is written. A process killed (a timeout's
//! `SIGKILL`, an `abort`) loses the reports still queued; on a system
//! without that handler (Windows ends a process that calls
//! `std::process::exit` without running them), reports are written on the
//! test's thread, as they were before. [`wait`] gives the same guarantee in
//! a running process, to a test that reads a report it caused.

use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::sync::{Condvar, Mutex, OnceLock, PoisonError};
use std::time::Duration;

use super::run_index::{self, Change};
use crate::html_report::location::ReportRoot;

/// A report to write, or a stale one to remove: it does so, and returns the
/// change it made under its root (`None` when nothing changed, or when the
/// files could not be written, which it says on standard error itself).
pub(crate) type Job = Box<dyn FnOnce() -> Option<(&'static ReportRoot, Change)> + Send>;

/// How long the index waits for more reports before it is written.
const SETTLE: Duration = Duration::from_millis(50);

enum Message {
    Job(Job),
    /// Write the index now; [`wait`] is waiting.
    Flush,
}

/// How many messages were handed over, and how many are done (a job is
/// done once the index shows it).
#[derive(Default)]
struct Progress {
    handed: u64,
    done: u64,
}

struct Writer {
    /// The process the thread runs in: a child forked from it (without
    /// `exec`) inherits the exit handler but not the thread.
    process: u32,
    messages: Mutex<Sender<Message>>,
    progress: Mutex<Progress>,
    caught_up: Condvar,
}

static WRITER: OnceLock<Option<Writer>> = OnceLock::new();

/// Runs `job` on the writing thread when there is one, else here and now.
pub(crate) fn submit(job: Job) {
    match writer() {
        Some(writer) => {
            writer.hand(Message::Job(job));
        }
        None => {
            if let Some((root, change)) = job() {
                run_index::note(root, change);
            }
            write_index();
        }
    }
}

/// Waits until every report handed over so far is written, and the run's
/// index with them.
pub(crate) fn wait() {
    if let Some(writer) = WRITER.get().and_then(Option::as_ref)
        && writer.process == std::process::id()
    {
        let handed = writer.hand(Message::Flush);
        let mut progress = writer.progress.lock().unwrap_or_else(PoisonError::into_inner);
        while progress.done < handed {
            progress = writer.caught_up.wait(progress).unwrap_or_else(PoisonError::into_inner);
        }
    }
}

impl Writer {
    /// Hands `message` to the thread; how many have been handed, this one included.
    fn hand(&self, message: Message) -> u64 {
        let handed = {
            let mut progress = self.progress.lock().unwrap_or_else(PoisonError::into_inner);
            progress.handed += 1;
            progress.handed
        };
        if let Err(returned) = self.messages.lock().unwrap_or_else(PoisonError::into_inner).send(message) {
            // The thread is gone (nothing in it panics, but be sure): do it here.
            if let Message::Job(job) = returned.0 {
                note(run_job(job));
            }
            write_index();
            self.count_done(1);
        }
        handed
    }

    fn count_done(&self, count: u64) {
        self.progress.lock().unwrap_or_else(PoisonError::into_inner).done += count;
        self.caught_up.notify_all();
    }
}

/// The writing thread, started with the first report; `None` where reports
/// are written on the test's thread.
fn writer() -> Option<&'static Writer> {
    WRITER
        .get_or_init(|| {
            let (messages, queue) = std::sync::mpsc::channel();
            let thread =
                std::thread::Builder::new().name("mailtest-reports".into()).spawn(move || run(queue));
            (thread.is_ok() && at_exit::register(on_exit)).then(|| Writer {
                process: std::process::id(),
                messages: Mutex::new(messages),
                progress: Mutex::new(Progress::default()),
                caught_up: Condvar::new(),
            })
        })
        .as_ref()
}

/// The thread: each job as it comes; the index when the jobs settle, or
/// when asked.
fn run(queue: Receiver<Message>) {
    let mut pending: u64 = 0;
    loop {
        let message = match pending {
            0 => queue.recv().map_err(|_| RecvTimeoutError::Disconnected),
            _ => queue.recv_timeout(SETTLE),
        };
        match message {
            Ok(Message::Job(job)) => {
                contained(|| note(run_job(job)));
                pending += 1;
            }
            Ok(Message::Flush) | Err(RecvTimeoutError::Timeout) => {
                contained(write_index);
                let flushed = u64::from(matches!(message, Ok(Message::Flush)));
                if let Some(writer) = WRITER.get().and_then(Option::as_ref) {
                    writer.count_done(std::mem::take(&mut pending) + flushed);
                }
            }
            Err(RecvTimeoutError::Disconnected) => return,
        }
    }
}

/// A job that panics (none should: each reports its errors) costs its own
/// report, not the thread.
fn run_job(job: Job) -> Option<(&'static ReportRoot, Change)> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(job)).unwrap_or(None)
}

/// Runs `work` so that a panic in it (a bug; the panic hook has said so)
/// cannot end the thread: the process's exit waits for the thread to count
/// what it was handed, and would wait for ever.
fn contained(work: impl FnOnce()) {
    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(work));
}

fn note(change: Option<(&'static ReportRoot, Change)>) {
    if let Some((root, change)) = change {
        run_index::note(root, change);
    }
}

/// Writes the run's index where it is behind, saying on standard error
/// when it cannot: the reports stand either way.
fn write_index() {
    if let Err(error) = run_index::write_behind() {
        tell(&format!("mailtest: the index of the reports not written: {error}"));
    }
}

/// Says `line` on standard error in one write, so that a panic message
/// printed at the same moment by a test (the panic hook writes without
/// taking the lock `eprintln!` takes) cannot tear it apart.
pub(crate) fn tell(line: &str) {
    use std::io::Write;
    let _ = std::io::stderr().write_all(format!("{line}\n").as_bytes());
}

/// The process is ending: every report handed over is written first.
extern "C" fn on_exit() {
    wait();
}

/// `atexit`, where the C library runs it on every exit.
mod at_exit {
    /// Registers `handler` to run when the process exits; whether it was.
    #[cfg(unix)]
    pub(super) fn register(handler: extern "C" fn()) -> bool {
        // SAFETY: `atexit` takes a pointer to an `extern "C" fn()`, which any
        // such function is, and calls it once, on the thread that calls
        // `exit`, before the process ends. It returns 0 when registered.
        #[allow(unsafe_code)]
        unsafe extern "C" {
            safe fn atexit(handler: extern "C" fn()) -> std::ffi::c_int;
        }
        atexit(handler) == 0
    }

    /// Windows ends a process that calls `std::process::exit` (libtest does
    /// when a test failed) without running `atexit` handlers.
    #[cfg(not(unix))]
    pub(super) fn register(_handler: extern "C" fn()) -> bool {
        false
    }
}
