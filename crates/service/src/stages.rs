//! Where the time of a recorded determination goes, stage by stage (issue 13, point 6: the
//! service's load figures): cumulative counters that `/healthz` shows ([`Stages`]), so that a
//! load test reads how long requests waited, and where, from two snapshots taken before and
//! after a run (`bench/load.sh` prints the means per request), rather than from the machine's
//! wall clock alone, which other processes share.
//!
//! Each [`Stage`] is a count and a total of nanoseconds (monotonic clock, [`std::time::Instant`]);
//! adding to one is two relaxed atomic additions, and reading is not synchronised with writing
//! (a snapshot may count an event's number before its time: a mean over many events is what
//! the counters are for).

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use serde::Serialize;
use utoipa::ToSchema;

/// One stage's counters: how many times it was passed through and the time spent in it.
#[derive(Debug, Default)]
pub struct Stage {
    count: AtomicU64,
    nanos: AtomicU64,
}

impl Stage {
    /// Counts one event that took `d`.
    pub fn add(&self, d: Duration) {
        self.add_n(1, d);
    }

    /// Counts `n` events that took `d` together (their total).
    pub fn add_n(&self, n: u64, d: Duration) {
        self.count.fetch_add(n, Ordering::Relaxed);
        self.nanos.fetch_add(u64::try_from(d.as_nanos()).unwrap_or(u64::MAX), Ordering::Relaxed);
    }

    /// The counters now.
    pub fn total(&self) -> StageTotal {
        StageTotal { count: self.count.load(Ordering::Relaxed), micros: self.nanos.load(Ordering::Relaxed) / 1_000 }
    }
}

/// A stage's counters as `/healthz` shows them: cumulative since the service started.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct StageTotal {
    /// Events counted (requests, records or transactions, as the stage says).
    pub count: u64,
    /// Their total time, microseconds (the mean is `micros / count`).
    pub micros: u64,
}

/// The stages of a recorded determination (`POST /v1/determinations`, the page's `POST /`), in
/// the order a request passes through them, each cumulative since the service started. A
/// request's time in the service is about `pool_wait + work + writer_wait + write + answer`
/// (means), plus reading it and sending its response.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct Stages {
    /// Each piece of work of the CPU pool (a determination, a screen, a replay, the page), from
    /// its request's admission to a `cpu-worker` starting it: the wait for a worker.
    pub pool_wait: StageTotal,
    /// Each piece of work of the CPU pool, run: for a determination, parsing, evaluating,
    /// writing its JSON and compressing its record.
    pub work: StageTotal,
    /// Each record, from being handed to the record writer to the start of the transaction
    /// that writes it: the wait for the transaction before it to commit, and for the writer.
    pub writer_wait: StageTotal,
    /// Each transaction of records (a batch; `count` is the number of transactions), from its
    /// start to its commit returned: the inserts, the chain's hashes, and the commit with its
    /// fsync.
    pub write: StageTotal,
    /// Of [`Stages::write`], the commit alone (the WAL's append and its fsync), for a store that
    /// says (SQLite); count 0 for one that does not.
    pub commit: StageTotal,
    /// Each recorded request answered, from the writer's reply (the record durable) to the
    /// request's task running again to send the response: the wake-up of the request.
    pub answer: StageTotal,
}
