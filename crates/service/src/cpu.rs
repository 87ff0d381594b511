//! The CPU-bound work of requests (parsing and evaluating a transaction, writing its JSON,
//! compressing its record, screening batches, replaying records, rendering the page) runs
//! here, off the async workers: a pool of at most [`CpuPool::workers`] threads at a time (one
//! per core by default) on Tokio's blocking threads, with at most [`CpuPool::queue`] more
//! requests waiting for one. While a slow request is evaluated, the async workers go on
//! answering `/healthz`, `/readyz` and the request time limit (tester round 5, R8: ten
//! 24,000-character party names held both async workers for half a minute, and the 10 s
//! deadline answered only when the evaluation gave the runtime back). A request that finds
//! the pool and its queue full is answered at once with 503 and `Retry-After`.
//!
//! A request answered before its work ended (the time limit's 503, or a client gone) no
//! longer waits for that work: its [`Cancel`] is set, and the work checks it between its
//! steps (a determination: after parsing, before its JSON and its record; a screen: before
//! each row) and stops there (tester round 8, T9: `serve` kept computing a request after its
//! 503), so that the worker is free for the requests still waiting.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use tokio::sync::Semaphore;

use crate::problem::Problem;

/// Requests waiting for a worker, beyond those running, by default: more than the
/// connections of the load tests (64) and a browser's, few enough that a request waiting
/// at the end of a full queue (0.2–0.4 ms of work each on two cores) is still answered in
/// well under the request time limit.
pub const DEFAULT_QUEUE: usize = 256;

/// A bounded pool for the CPU-bound work of requests (see the module).
#[derive(Clone)]
pub struct CpuPool {
    permits: Arc<Semaphore>,
    counts: Arc<Counts>,
    workers: usize,
    queue: usize,
}

/// Requests admitted (running or waiting) and running.
#[derive(Default)]
struct Counts {
    admitted: AtomicUsize,
    running: AtomicUsize,
}

/// Takes one back from a counter when dropped (the work ended, or the request went away
/// while it waited).
struct Held<'a>(&'a AtomicUsize);

impl Drop for Held<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

impl CpuPool {
    /// A pool of `workers` threads at a time (0: one per core, as the operating system
    /// reports them) and `queue` requests waiting beyond them.
    pub fn new(workers: usize, queue: usize) -> CpuPool {
        let workers = if workers == 0 { std::thread::available_parallelism().map_or(1, usize::from) } else { workers };
        CpuPool { permits: Arc::new(Semaphore::new(workers)), counts: Arc::default(), workers, queue }
    }

    /// Most requests worked on at a time.
    pub fn workers(&self) -> usize {
        self.workers
    }

    /// Most requests waiting for a worker.
    pub fn queue(&self) -> usize {
        self.queue
    }

    /// Requests being worked on now, and requests waiting for a worker.
    pub fn load(&self) -> (usize, usize) {
        let admitted = self.counts.admitted.load(Ordering::Acquire);
        let running = self.counts.running.load(Ordering::Acquire).min(admitted);
        (running, admitted - running)
    }

    /// Runs `f` on a worker once one is free, and gives its result.
    ///
    /// # Errors
    /// 503 with `Retry-After` when [`CpuPool::workers`] requests run and [`CpuPool::queue`]
    /// wait already (nothing is done); 503 when `f` panicked (the library never panics, so
    /// this is a bug).
    pub async fn run<T, F>(&self, f: F) -> Result<T, Problem>
    where
        T: Send + 'static,
        F: FnOnce() -> T + Send + 'static,
    {
        self.run_cancellable(move |_| f()).await
    }

    /// As [`CpuPool::run`], `f` given the request's [`Cancel`]: set when this future is
    /// dropped before `f` returned (the request time limit answered 503, or the client went
    /// away), for `f` to check between its steps and stop. Work not yet started when its
    /// request went away is not started.
    ///
    /// # Errors
    /// As [`CpuPool::run`].
    pub async fn run_cancellable<T, F>(&self, f: F) -> Result<T, Problem>
    where
        T: Send + 'static,
        F: FnOnce(&Cancel) -> T + Send + 'static,
    {
        let admitted = self.counts.admitted.fetch_add(1, Ordering::AcqRel) + 1;
        let counts = Arc::clone(&self.counts);
        if admitted > self.workers + self.queue {
            counts.admitted.fetch_sub(1, Ordering::AcqRel);
            return Err(Problem::busy(self.workers, self.queue));
        }
        // Dropped with this future when the request goes away while it waits (time limit).
        let waiting = AdmittedGuard(Arc::clone(&counts));
        let cancel = Cancel::default();
        let mut on_drop = CancelOnDrop(Some(cancel.clone()));
        let permit = Arc::clone(&self.permits)
            .acquire_owned()
            .await
            .map_err(|_| Problem::unavailable("the worker pool is closed"))?;
        let job = tokio::task::spawn_blocking(move || {
            // Held until the work ends, even when the request was answered before (time
            // limit): the pool never runs more than `workers` at once.
            let (_permit, _admitted) = (permit, waiting);
            if cancel.is_cancelled() {
                return None;
            }
            counts.running.fetch_add(1, Ordering::AcqRel);
            let _running = Held(&counts.running);
            Some(f(&cancel))
        });
        let done = job.await;
        on_drop.0 = None;
        match done {
            Ok(Some(t)) => Ok(t),
            Ok(None) => Err(gone()),
            Err(e) => Err(Problem::unavailable(format!("the work of this request failed: {e}"))),
        }
    }
}

/// Whether the request a piece of work on the pool serves has gone away ([`CpuPool::run_cancellable`]):
/// set when the request's future is dropped before the work ended (the time limit answered
/// it 503, or the connection closed). The work checks it between its steps.
#[derive(Debug, Clone, Default)]
pub struct Cancel(Arc<AtomicBool>);

impl Cancel {
    /// Whether the request has gone away.
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Acquire)
    }

    /// Marks the request as gone (what dropping its future does).
    pub fn cancel(&self) {
        self.0.store(true, Ordering::Release);
    }

    /// `Err` (503 `unavailable`, which nobody reads: the request was answered already) once the
    /// request has gone away, so that the work stops with `?`.
    ///
    /// # Errors
    /// [`Problem`] when [`Cancel::is_cancelled`].
    pub fn check(&self) -> Result<(), Problem> {
        if self.is_cancelled() { Err(gone()) } else { Ok(()) }
    }
}

/// The problem of work stopped because its request went away (nobody reads it).
fn gone() -> Problem {
    Problem::unavailable("the request went away before its work ended; the work was stopped")
}

/// Sets its [`Cancel`] when dropped, unless disarmed: the request's future went away before
/// the work's result came back.
struct CancelOnDrop(Option<Cancel>);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        if let Some(c) = self.0.take() {
            c.cancel();
        }
    }
}

/// One admitted request, taken back when dropped.
struct AdmittedGuard(Arc<Counts>);

impl Drop for AdmittedGuard {
    fn drop(&mut self) {
        self.0.admitted.fetch_sub(1, Ordering::AcqRel);
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
    use super::*;

    /// With one worker and a queue of one, a third request is refused at once (503, busy,
    /// Retry-After) while the first runs and the second waits; the counts say so, and go back
    /// to zero when the work ends.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_full_pool_refuses_at_once_and_counts_come_back() {
        let pool = CpuPool::new(1, 1);
        let (started_tx, started_rx) = std::sync::mpsc::channel();
        let (release_tx, release_rx) = std::sync::mpsc::channel::<()>();
        let p = pool.clone();
        let first = tokio::spawn(async move {
            p.run(move || {
                started_tx.send(()).unwrap();
                release_rx.recv().unwrap();
                1
            })
            .await
        });
        tokio::task::spawn_blocking(move || started_rx.recv().unwrap()).await.unwrap();
        assert_eq!(pool.load(), (1, 0));
        let p = pool.clone();
        let second = tokio::spawn(async move { p.run(|| 2).await });
        while pool.load() != (1, 1) {
            tokio::task::yield_now().await;
        }
        let third = pool.run(|| 3).await.unwrap_err();
        assert_eq!((third.status, third.kind, third.retry_after), (503, "busy", Some(1)));
        release_tx.send(()).unwrap();
        assert_eq!(first.await.unwrap().unwrap(), 1);
        assert_eq!(second.await.unwrap().unwrap(), 2);
        assert_eq!(pool.load(), (0, 0));
        assert_eq!(pool.run(|| 4).await.unwrap(), 4);
    }

    /// Tester round 8, T9: a request that goes away while its work runs (its future dropped,
    /// as the time limit drops it) sets the work's [`Cancel`], which the work sees; a request
    /// that goes away while waiting for a worker is never started; a request that waits for
    /// its work sees no cancellation.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_request_gone_cancels_its_work() {
        let pool = CpuPool::new(1, 1);
        assert!(!pool.run_cancellable(|c| c.is_cancelled()).await.unwrap(), "a request waited for is not cancelled");
        let (started_tx, started_rx) = std::sync::mpsc::channel();
        let (release_tx, release_rx) = std::sync::mpsc::channel::<()>();
        let (seen_tx, seen_rx) = std::sync::mpsc::channel();
        let p = pool.clone();
        let first = tokio::spawn(async move {
            p.run_cancellable(move |cancel| {
                started_tx.send(cancel.is_cancelled()).unwrap();
                release_rx.recv().unwrap();
                seen_tx.send(cancel.is_cancelled()).unwrap();
            })
            .await
        });
        let at_start = tokio::task::spawn_blocking(move || started_rx.recv().unwrap()).await.unwrap();
        assert!(!at_start);
        let ran = Arc::new(AtomicBool::new(false));
        let r = Arc::clone(&ran);
        let p = pool.clone();
        let second = tokio::spawn(async move { p.run_cancellable(move |_| r.store(true, Ordering::Release)).await });
        while pool.load() != (1, 1) {
            tokio::task::yield_now().await;
        }
        first.abort();
        second.abort();
        assert!(first.await.unwrap_err().is_cancelled());
        assert!(second.await.unwrap_err().is_cancelled());
        release_tx.send(()).unwrap();
        let seen = tokio::task::spawn_blocking(move || seen_rx.recv().unwrap()).await.unwrap();
        assert!(seen, "the work did not see its request gone");
        while pool.load() != (0, 0) {
            tokio::task::yield_now().await;
        }
        assert!(!ran.load(Ordering::Acquire), "work whose request went away while waiting was started");
    }
}
