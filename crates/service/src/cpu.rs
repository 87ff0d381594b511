//! The CPU-bound work of requests (parsing and evaluating a transaction, writing its JSON,
//! compressing its record, screening batches, replaying records, rendering the page) runs
//! here, off the async workers: a pool of at most [`CpuPool::workers`] threads at a time (one
//! per core by default) on Tokio's blocking threads, with at most [`CpuPool::queue`] more
//! requests waiting for one. While a slow request is evaluated, the async workers go on
//! answering `/healthz`, `/readyz` and the request time limit (tester round 5, R8: ten
//! 24,000-character party names held both async workers for half a minute, and the 10 s
//! deadline answered only when the evaluation gave the runtime back). A request that finds
//! the pool and its queue full is answered at once with 503 and `Retry-After`.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

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
        let admitted = self.counts.admitted.fetch_add(1, Ordering::AcqRel) + 1;
        let counts = Arc::clone(&self.counts);
        if admitted > self.workers + self.queue {
            counts.admitted.fetch_sub(1, Ordering::AcqRel);
            return Err(Problem::busy(self.workers, self.queue));
        }
        // Dropped with this future when the request goes away while it waits (time limit).
        let waiting = AdmittedGuard(Arc::clone(&counts));
        let permit = Arc::clone(&self.permits)
            .acquire_owned()
            .await
            .map_err(|_| Problem::unavailable("the worker pool is closed"))?;
        let job = tokio::task::spawn_blocking(move || {
            // Held until the work ends, even when the request was answered before (time
            // limit): the pool never runs more than `workers` at once.
            let (_permit, _admitted) = (permit, waiting);
            counts.running.fetch_add(1, Ordering::AcqRel);
            let _running = Held(&counts.running);
            f()
        });
        job.await.map_err(|e| Problem::unavailable(format!("the work of this request failed: {e}")))
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
}
