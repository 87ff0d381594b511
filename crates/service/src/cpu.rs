//! The CPU-bound work of requests (parsing and evaluating a transaction, writing its JSON,
//! compressing its record, screening batches, replaying records, rendering the page) runs
//! here, off the async workers: on [`CpuPool::workers`] threads of the pool's own (one per
//! core by default), with at most [`CpuPool::queue`] more requests waiting for one. While a
//! slow request is evaluated, the async workers go on answering `/healthz`, `/readyz` and the
//! request time limit (tester round 5, R8: ten 24,000-character party names held both async
//! workers for half a minute, and the 10 s deadline answered only when the evaluation gave the
//! runtime back). A request that finds the pool and its queue full is answered at once with 503
//! and `Retry-After`.
//!
//! The threads are the pool's, started with it and kept, rather than Tokio's blocking threads
//! (`spawn_blocking`, before 2026-12-03): a worker that ends a request takes the next one
//! waiting without being woken, and each worker keeps its own warm state from one request to
//! the next (the Zstandard context of about 1 MB that compresses the records, the allocator's
//! pages, the JSON buffer's size), where Tokio handed each request to whichever of its idle
//! blocking threads had waited longest, so that under load about ten threads took turns, each
//! with its own cold context (crates/service/BENCHMARKS.md, 2026-12-03, branch desk16).
//!
//! A request answered before its work ended (the time limit's 503, or a client gone) no
//! longer waits for that work: its [`Cancel`] is set, and the work checks it between its
//! steps (a determination: after parsing, before its JSON and its record; a screen: before
//! each row) and stops there (tester round 8, T9: `serve` kept computing a request after its
//! 503), so that the worker is free for the requests still waiting. A request that goes away
//! while it waits is taken out of the queue: never started, its place free at once.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};

use crate::problem::Problem;
use crate::stages::{Stage, StageTotal};

/// Requests waiting for a worker, beyond those running, by default: more than the
/// connections of the load tests (64) and a browser's, few enough that a request waiting
/// at the end of a full queue (0.2–0.4 ms of work each on two cores) is still answered in
/// well under the request time limit.
pub const DEFAULT_QUEUE: usize = 256;

/// A bounded pool for the CPU-bound work of requests (see the module).
#[derive(Clone)]
pub struct CpuPool {
    shared: Arc<Shared>,
    /// Held by the pool's clones only (not by its threads): when the last clone goes, the
    /// threads end once the queue is empty.
    _open: Arc<Open>,
    workers: usize,
    queue: usize,
}

/// A piece of work queued: run once by a worker, or dropped unrun (its request went away, or
/// the pool closed), which gives its admitted place back.
type Job = Box<dyn FnOnce() + Send + 'static>;

/// What the pool's clones and its threads share.
struct Shared {
    jobs: Mutex<Jobs>,
    /// Signalled when a job is queued or the pool closes.
    ready: Condvar,
    counts: Arc<Counts>,
}

/// The queue, each job under the number it was queued with (to take it out again).
#[derive(Default)]
struct Jobs {
    queue: VecDeque<(u64, Job)>,
    next: u64,
    closed: bool,
    /// Threads started (0 when none could be: then each job runs on Tokio's blocking threads).
    threads: usize,
    /// Threads waiting for a job: a job queued while none waits is taken by a worker when it
    /// ends its current one, and nobody is woken (no system call).
    idle: usize,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Jobs> {
        // No code panics while holding the lock (jobs run outside it), so a poisoned lock
        // still holds a consistent queue.
        self.jobs.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Queues `job`; its number, to take it out with [`Shared::take_out`]. Without threads
    /// (none could be started) the job goes to Tokio's blocking threads instead.
    fn push(&self, job: Job) -> Option<u64> {
        let mut jobs = self.lock();
        if jobs.threads == 0 {
            drop(jobs);
            drop(tokio::task::spawn_blocking(job));
            return None;
        }
        let id = jobs.next;
        jobs.next += 1;
        jobs.queue.push_back((id, job));
        let wake = jobs.idle > 0;
        drop(jobs);
        if wake {
            self.ready.notify_one();
        }
        Some(id)
    }

    /// The job queued as `id`, if no worker has taken it yet.
    fn take_out(&self, id: u64) -> Option<Job> {
        let mut jobs = self.lock();
        let at = jobs.queue.iter().position(|(i, _)| *i == id)?;
        jobs.queue.remove(at).map(|(_, j)| j)
    }

    /// A worker's loop: the next job, run; until the pool is closed and its queue empty.
    fn work(&self) {
        loop {
            let job = {
                let mut jobs = self.lock();
                loop {
                    if let Some((_, job)) = jobs.queue.pop_front() {
                        break job;
                    }
                    if jobs.closed {
                        return;
                    }
                    jobs.idle += 1;
                    jobs = self.ready.wait(jobs).unwrap_or_else(PoisonError::into_inner);
                    jobs.idle -= 1;
                }
            };
            job();
        }
    }
}

/// Closes the pool when the last of its clones is dropped.
struct Open(Arc<Shared>);

impl Drop for Open {
    fn drop(&mut self) {
        self.0.lock().closed = true;
        self.0.ready.notify_all();
    }
}

/// Requests admitted (running or waiting) and running, and the time the work waited for a
/// worker and ran ([`crate::stages`]).
#[derive(Default)]
struct Counts {
    admitted: AtomicUsize,
    running: AtomicUsize,
    waited: Stage,
    worked: Stage,
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
    /// A pool of `workers` threads (0: one per core, as the operating system reports them),
    /// started now and named `cpu-worker`, and `queue` requests waiting beyond them. Should no
    /// thread start (the system refuses), the work runs on Tokio's blocking threads, with the
    /// same limits.
    pub fn new(workers: usize, queue: usize) -> CpuPool {
        let workers = if workers == 0 { std::thread::available_parallelism().map_or(1, usize::from) } else { workers };
        let shared = Arc::new(Shared { jobs: Mutex::default(), ready: Condvar::new(), counts: Arc::default() });
        let mut started = 0;
        for _ in 0..workers {
            let s = Arc::clone(&shared);
            match std::thread::Builder::new().name("cpu-worker".into()).spawn(move || s.work()) {
                Ok(_) => started += 1,
                Err(e) => eprintln!("warning: a worker thread did not start ({e})"),
            }
        }
        shared.lock().threads = started;
        CpuPool { _open: Arc::new(Open(Arc::clone(&shared))), shared, workers, queue }
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
        let counts = &self.shared.counts;
        let admitted = counts.admitted.load(Ordering::Acquire);
        let running = counts.running.load(Ordering::Acquire).min(admitted);
        (running, admitted - running)
    }

    /// The pool's stages since it started ([`crate::stages::Stages::pool_wait`] and
    /// [`crate::stages::Stages::work`]): each piece of work's wait for a worker, and its run.
    pub fn stages(&self) -> (StageTotal, StageTotal) {
        (self.shared.counts.waited.total(), self.shared.counts.worked.total())
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
    /// request went away is taken out of the queue, never started.
    ///
    /// # Errors
    /// As [`CpuPool::run`].
    pub async fn run_cancellable<T, F>(&self, f: F) -> Result<T, Problem>
    where
        T: Send + 'static,
        F: FnOnce(&Cancel) -> T + Send + 'static,
    {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let submitted = self.submit(f, move |t| {
            let _ = tx.send(t);
        })?;
        let done = rx.await;
        submitted.done();
        // The sender dropped unsent: `f` panicked (the library never panics: a bug), or the
        // work was not started (its request went away, which nobody then reads).
        done.map_err(|_| Problem::unavailable("the work of this request failed: it panicked or was not started"))
    }

    /// Queues `f` for a worker and returns at once, without waiting for it: the worker runs
    /// `f`, gives the request's place in the pool back, then hands `f`'s result to `then` on
    /// the same thread (e.g. a channel the caller awaits, or the record writer, so that the
    /// request's task is woken once, when the record is durable, rather than once more between
    /// the work and the record). The caller holds the [`Submitted`] while it waits: dropped
    /// before [`Submitted::done`], it takes the work out of the queue if no worker has started
    /// it, and sets its [`Cancel`] if one has, as [`CpuPool::run_cancellable`]'s future does.
    /// A panic in `f` is caught (the worker goes on), and `then` is dropped unrun.
    ///
    /// # Errors
    /// 503 with `Retry-After` when [`CpuPool::workers`] requests run and [`CpuPool::queue`]
    /// wait already (nothing is done).
    pub fn submit<T, F, G>(&self, f: F, then: G) -> Result<Submitted, Problem>
    where
        F: FnOnce(&Cancel) -> T + Send + 'static,
        G: FnOnce(T) + Send + 'static,
    {
        let counts = Arc::clone(&self.shared.counts);
        let admitted = counts.admitted.fetch_add(1, Ordering::AcqRel) + 1;
        if admitted > self.workers + self.queue {
            counts.admitted.fetch_sub(1, Ordering::AcqRel);
            return Err(Problem::busy(self.workers, self.queue));
        }
        // Its place, given back when the job is dropped: run, or taken out of the queue.
        let place = AdmittedGuard(Arc::clone(&counts));
        let cancel = Cancel::default();
        let c = cancel.clone();
        let queued = std::time::Instant::now();
        let job: Job = Box::new(move || {
            if c.is_cancelled() {
                return;
            }
            let started = std::time::Instant::now();
            counts.waited.add(started.saturating_duration_since(queued));
            let done = {
                counts.running.fetch_add(1, Ordering::AcqRel);
                let _running = Held(&counts.running);
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(&c)))
            };
            counts.worked.add(started.elapsed());
            // Its place given back before the result goes on: whoever has the result sees the
            // pool without it.
            drop(place);
            if let Ok(t) = done {
                then(t);
            }
        });
        let mut submitted =
            Submitted(CancelOnDrop { shared: Arc::clone(&self.shared), id: None, cancel: Some(cancel) });
        submitted.0.id = self.shared.push(job);
        Ok(submitted)
    }
}

/// A piece of work queued on the pool ([`CpuPool::submit`]) whose request still waits: dropped
/// before [`Submitted::done`] (the request went away), it takes the work out of the queue if
/// no worker has started it, and sets its [`Cancel`] if one has.
pub struct Submitted(CancelOnDrop);

impl Submitted {
    /// The request has what it waited for: nothing to cancel any more.
    pub fn done(mut self) {
        self.0.cancel = None;
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

/// Sets its [`Cancel`] when dropped, unless disarmed, and takes its job out of the queue if
/// no worker has taken it yet: the request's future went away before the work's result came
/// back.
struct CancelOnDrop {
    shared: Arc<Shared>,
    id: Option<u64>,
    cancel: Option<Cancel>,
}

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        if let Some(c) = self.cancel.take() {
            c.cancel();
            // Dropped outside the queue's lock: gives the request's place back.
            let job = self.id.and_then(|id| self.shared.take_out(id));
            drop(job);
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
        // The request gone while it waited is out of the queue at once: its place is free
        // while the first's work still runs.
        assert_eq!(pool.load(), (1, 0));
        release_tx.send(()).unwrap();
        let seen = tokio::task::spawn_blocking(move || seen_rx.recv().unwrap()).await.unwrap();
        assert!(seen, "the work did not see its request gone");
        while pool.load() != (0, 0) {
            tokio::task::yield_now().await;
        }
        assert!(!ran.load(Ordering::Acquire), "work whose request went away while waiting was started");
    }

    /// The work runs on the pool's own threads, named `cpu-worker`, the same few taking one
    /// request after another (not a new or another idle thread per request, as Tokio's
    /// blocking threads did: each worker keeps its warm state, e.g. the record compressor);
    /// from concurrent requests, at most [`CpuPool::workers`] at a time.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_work_runs_on_the_pools_own_few_threads() {
        let pool = CpuPool::new(2, 64);
        let at_once = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for _ in 0..64 {
            let (p, at_once, most) = (pool.clone(), Arc::clone(&at_once), Arc::clone(&most));
            tasks.push(tokio::spawn(async move {
                p.run(move || {
                    let now = at_once.fetch_add(1, Ordering::AcqRel) + 1;
                    most.fetch_max(now, Ordering::AcqRel);
                    std::thread::sleep(std::time::Duration::from_micros(200));
                    at_once.fetch_sub(1, Ordering::AcqRel);
                    let t = std::thread::current();
                    (t.id(), t.name().map(str::to_string))
                })
                .await
                .unwrap()
            }));
        }
        let mut threads = std::collections::HashSet::new();
        for t in tasks {
            let (id, name) = t.await.unwrap();
            assert_eq!(name.as_deref(), Some("cpu-worker"));
            threads.insert(id);
        }
        assert!(threads.len() <= 2, "{} threads", threads.len());
        assert!(most.load(Ordering::Acquire) <= 2, "{} at once", most.load(Ordering::Acquire));
        assert_eq!(pool.load(), (0, 0));
    }

    /// Work that panics (the library never does: a bug) is answered 503 and gives its place
    /// back; the worker goes on with the next request. With [`CpuPool::submit`], what comes
    /// after the work (`then`) runs after the request's place is given back, and not at all
    /// when the work panicked.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_panic_is_a_503_and_the_worker_goes_on() {
        let pool = CpuPool::new(1, 4);
        let p = pool.run(|| -> u8 { panic!("a bug") }).await.unwrap_err();
        assert_eq!((p.status, p.kind), (503, "unavailable"));
        assert_eq!(pool.load(), (0, 0));
        assert_eq!(pool.run(|| 5).await.unwrap(), 5);
        let (tx, rx) = tokio::sync::oneshot::channel();
        let p2 = pool.clone();
        let submitted = pool.submit(|_| 6, move |six| tx.send((six, p2.load())).unwrap()).unwrap();
        assert_eq!(rx.await.unwrap(), (6, (0, 0)), "`then` ran while the request still held its place");
        submitted.done();
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let submitted = pool.submit(|_| -> u8 { panic!("a bug") }, move |_| tx.send(()).unwrap()).unwrap();
        assert!(rx.await.is_err(), "`then` ran after a panic");
        submitted.done();
        assert_eq!(pool.run(|| 7).await.unwrap(), 7);
    }
}
