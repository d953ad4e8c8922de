//! The threads that serve HTTP connections: still a thread per open
//! connection (a long poll or an event stream is a plain blocking loop on
//! its own), but a thread that finished one connection waits a while for the
//! next instead of ending.
//!
//! Why: a team's test scripts open a connection per request, and each
//! `/api/wait` is one. Starting and ending a thread for each (its stack
//! mapped, guarded and unmapped, its signal stack, the kernel's bookkeeping)
//! cost about a tenth of the server's CPU under 64 busy clients on two
//! cores, and CPU the server spends there is CPU a woken long poll waits
//! for. A reused thread also keeps its long poll's epoll set (`hangup.rs`).

use std::collections::VecDeque;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

/// How long an idle thread waits for another connection before it ends.
const IDLE_FOR: Duration = Duration::from_secs(30);

/// Hands each job to an idle thread, or to a new one when none is idle.
pub(crate) struct Workers<J: Send + 'static> {
    shared: Arc<Shared<J>>,
    name: &'static str,
    work: fn(J),
}

struct Shared<J> {
    state: Mutex<State<J>>,
    handed: Condvar,
}

struct State<J> {
    /// Jobs handed over and not yet taken.
    jobs: VecDeque<J>,
    /// Threads waiting for a job: always at least as many as `jobs`.
    idle: usize,
}

impl<J: Send + 'static> Workers<J> {
    /// Threads called `name`, each doing `work` on one job at a time.
    pub(crate) fn new(name: &'static str, work: fn(J)) -> Workers<J> {
        let state = State { jobs: VecDeque::new(), idle: 0 };
        Workers { shared: Arc::new(Shared { state: Mutex::new(state), handed: Condvar::new() }), name, work }
    }

    /// Has `job` done on a thread of its own; `Err` when no thread can be
    /// started (the job is dropped: for a connection, that closes it).
    pub(crate) fn run(&self, job: J) -> Result<(), String> {
        let mut state = self.shared.lock();
        if state.idle > state.jobs.len() {
            state.jobs.push_back(job);
            drop(state);
            self.shared.handed.notify_one();
            return Ok(());
        }
        drop(state);
        let (shared, work) = (Arc::clone(&self.shared), self.work);
        std::thread::Builder::new()
            .name(self.name.to_owned())
            .spawn(move || {
                work(job);
                while let Some(job) = shared.next_job() {
                    work(job);
                }
            })
            .map(drop)
            .map_err(|e| format!("cannot start a thread: {e}"))
    }
}

impl<J> Shared<J> {
    fn lock(&self) -> MutexGuard<'_, State<J>> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The next job handed over within [`IDLE_FOR`]; `None` when the thread
    /// should end. A job handed over is never left behind: `run` hands over
    /// only while more threads are idle than jobs wait, and a thread that
    /// times out takes a waiting job rather than end.
    fn next_job(&self) -> Option<J> {
        let mut state = self.lock();
        state.idle += 1;
        loop {
            if let Some(job) = state.jobs.pop_front() {
                state.idle -= 1;
                return Some(job);
            }
            let (next, waited) =
                self.handed.wait_timeout(state, IDLE_FOR).unwrap_or_else(PoisonError::into_inner);
            state = next;
            if waited.timed_out() && state.jobs.is_empty() {
                state.idle -= 1;
                return None;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc;

    use super::*;

    #[test]
    fn a_thread_that_finished_a_job_takes_the_next_and_every_job_is_done() {
        let workers = Workers::new("test-worker", |(done, _): (mpsc::Sender<_>, u32)| {
            done.send(std::thread::current().id()).unwrap();
        });
        let (done, finished) = mpsc::channel();
        workers.run((done.clone(), 0)).unwrap();
        let first = finished.recv().unwrap();
        // The thread is idle (or about to be): wait until it says so.
        while workers.shared.lock().idle == 0 {
            std::thread::yield_now();
        }
        workers.run((done.clone(), 1)).unwrap();
        assert_eq!(finished.recv().unwrap(), first, "the idle thread took the second job");
        for n in 2..50 {
            workers.run((done.clone(), n)).unwrap();
        }
        assert_eq!(finished.iter().take(48).count(), 48, "every job done");
    }
}
