//! SQLite record store (rusqlite, SQLite bundled): one file, WAL journal, `synchronous=FULL`
//! (a committed transaction survives a power loss), a trigger refusing UPDATE and DELETE.
//!
//! Stored format: the table of [`super::Statements`] plus `determination_encoding`
//! (`identity` or `zstd`, added to older files on open with `identity` for their rows), the
//! `engine` that made the record ([`super::engine`]; added to older files on open with
//! `{"unknown_before": TIME}` for their rows) and the
//! hash chain's `prev_hash` and `hash` ([`super::chain`]; added to older files on open, their
//! rows chained then, in id order: see [`SqliteStore::open`]). A
//! record written now holds in `determination` one Zstandard frame (RFC 8878) of the
//! determination's exact JSON bytes, as a BLOB; `identity` rows hold the text itself. A new
//! file has pages of [`PAGE_SIZE`] (16 KiB), which hold a whole record.
//!
//! Checkpoints are off the commit path: the writer's connection has `wal_autocheckpoint=0`,
//! and a checkpointer thread on its own connection copies the WAL into the database
//! (`wal_checkpoint(PASSIVE)`, which never blocks the writer) every [`CHECKPOINT_EVERY`], so
//! a commit is one WAL append and one fsync. Under steady load the WAL is never wholly
//! copied when a transaction begins, so SQLite never starts it again from its first frame and
//! it grows; past [`WAL_LIMIT_PAGES`] the checkpointer asks the writer to reset it, and the
//! writer runs a `RESTART` checkpoint on its own connection between two batches, after the
//! first batch's requests were answered (`Store::between_batches`): the passive checkpoints
//! have copied nearly all of it, so this copies what is left and syncs the file. (Run by the
//! checkpointer, as before, a `RESTART` locked out the writer, whose busy handler then slept
//! 1, 2, 5, 10… ms between attempts while requests waited.) A `RESTART` that readers hold up
//! is not waited for: it is tried again after the next batch.
//!
//! The writing connection is used by the [`super::Recorder`]'s thread of its own,
//! `record-writer` ([`BlockingWrites`]): it takes the records the CPU pool's workers hand over
//! straight from its queue, writes a batch, answers its requests and begins the next batch at
//! once, with no other thread or task between two commits (crates/service/BENCHMARKS.md,
//! 2026-12-03, branch desk17).

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, LazyLock, Mutex};
use std::time::Duration;

use export_controls::Date;
use rusqlite::types::{Type, ValueRef};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params, params_from_iter};

use super::chain::{self, GENESIS, Head};
use super::engine::RecordEngine;
use super::sheets::{self, SheetRow};
use super::{
    BlockingWrites, BoxFuture, CHAIN_FIELDS, ENGINE_COLUMN, FIELDS, KEEP_MESSAGE, NewRecord, Record, Statements, Store,
    StoreError, Stored, err,
};
use crate::stages::{Stage, StageTotal};

/// The page size of a new database file, bytes: one record (the compressed determination,
/// about 6.6 KB, and the request) fits in one page, so that a record is one WAL frame rather
/// than a chain of overflow pages of the default 4 KiB (SQLite writes each frame with two
/// `pwrite`s, header and page, and the checkpointer reads and writes each page again).
pub const PAGE_SIZE: u32 = 16_384;

/// How often the checkpointer copies the WAL into the database.
pub const CHECKPOINT_EVERY: Duration = Duration::from_millis(200);

/// WAL pages past which the writer resets the WAL (a `RESTART` checkpoint between two
/// batches) rather than let it grow: 64 MiB of [`PAGE_SIZE`] pages (a file made with 4 KiB
/// pages before [`PAGE_SIZE`] was raised: 16 MiB).
pub const WAL_LIMIT_PAGES: i64 = 64 * 1024 * 1024 / PAGE_SIZE as i64;

/// Records in an SQLite file. One connection writes (the [`super::Recorder`] is its only
/// caller), another reads, a third checkpoints; WAL lets reads proceed during a write.
pub struct SqliteStore {
    /// The writing connection: used by the [`super::Recorder`]'s thread `record-writer`
    /// ([`BlockingWrites`]), the only writer while the service runs; [`Store::append`] and
    /// [`Store::between_batches`] run on Tokio's blocking threads.
    writer: Arc<Mutex<Connection>>,
    reader: Arc<Mutex<Connection>>,
    /// Set when the store is dropped: the checkpointer thread stops.
    stop: Arc<AtomicBool>,
    /// Set by the checkpointer when the WAL is over [`WAL_LIMIT_PAGES`]: the writer resets it
    /// between two batches.
    reset_wal: Arc<AtomicBool>,
    /// The batches' commits ([`Store::commits`]).
    commits: Arc<Stage>,
}

fn connection(path: &Path) -> Result<Connection, StoreError> {
    let c = Connection::open(path).map_err(|e| StoreError(format!("{}: {e}", path.display())))?;
    c.busy_timeout(std::time::Duration::from_secs(10)).map_err(err)?;
    // Only a new, empty file takes it (before WAL is set); a file made before keeps its own.
    c.execute_batch(&format!("PRAGMA page_size={PAGE_SIZE};")).map_err(err)?;
    let mode: String = c.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0)).map_err(err)?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(StoreError(format!("{}: journal_mode is {mode}, WAL is needed", path.display())));
    }
    c.execute_batch("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;").map_err(err)?;
    Ok(c)
}

/// The column added to [`Statements::table`]: how `determination` is encoded.
const ENCODING_COLUMN: &str = "determination_encoding";

/// This store's statements: the [`FIELDS`], the [`CHAIN_FIELDS`], the encoding and the
/// engine.
static SQL: LazyLock<Statements> =
    LazyLock::new(|| Statements::new("INTEGER PRIMARY KEY AUTOINCREMENT", '?', &[ENCODING_COLUMN, ENGINE_COLUMN]));

/// Whether the table has the column `name`.
fn has_column(c: &Connection, name: &str) -> Result<bool, StoreError> {
    c.prepare("SELECT 1 FROM pragma_table_info('determinations') WHERE name = ?1")
        .and_then(|mut st| st.exists([name]))
        .map_err(err)
}

/// The triggers that refuse UPDATE and DELETE (created if missing).
fn keep_triggers(c: &Connection) -> Result<(), StoreError> {
    for (table, name, op) in [
        ("determinations", "determinations_no_update", "UPDATE"),
        ("determinations", "determinations_no_delete", "DELETE"),
        ("sheets", "sheets_no_update", "UPDATE"),
        ("sheets", "sheets_no_delete", "DELETE"),
    ] {
        c.execute_batch(&format!(
            "CREATE TRIGGER IF NOT EXISTS {name} BEFORE {op} ON {table} BEGIN SELECT RAISE(ABORT, '{KEEP_MESSAGE}'); END;"
        ))
        .map_err(err)?;
    }
    Ok(())
}

/// Writes each of `rows` into the `sheets` table unless a sheet of that SHA-256 is there
/// (`INSERT OR IGNORE`: the row kept is never replaced; the triggers are not fired).
fn insert_sheets(tx: &Connection, rows: &[SheetRow]) -> Result<(), StoreError> {
    let mut st = tx.prepare_cached(super::SHEETS_INSERT_SQLITE).map_err(err)?;
    for r in rows {
        st.execute(params![r.sha256, r.sheet]).map_err(err)?;
    }
    Ok(())
}

/// The sheets of the `sheets` table that `records` reference, by SHA-256.
fn sheet_rows(c: &Connection, records: &[Record]) -> Result<HashMap<String, String>, StoreError> {
    let mut rows = HashMap::new();
    let mut st = c.prepare_cached("SELECT sheet FROM sheets WHERE sha256 = ?1").map_err(err)?;
    for r in records {
        for sha256 in sheets::referenced(&r.record.request) {
            if rows.contains_key(&sha256) {
                continue;
            }
            if let Some(text) = st.query_row([&sha256], |row| row.get::<_, String>(0)).optional().map_err(err)? {
                rows.insert(sha256, text);
            }
        }
    }
    Ok(rows)
}

/// `records` with the sheets they reference put back ([`Record::with_sheets`]).
fn with_sheets(c: &Connection, records: Vec<Record>) -> Result<Vec<Record>, StoreError> {
    let rows = sheet_rows(c, &records)?;
    Ok(records.into_iter().map(|r| r.with_sheets(&rows)).collect())
}

/// Adds the chain's columns to a table made before them and chains the rows already there, in
/// id order from [`GENESIS`], in one transaction holding the write lock (the trigger refusing
/// UPDATE is set aside inside it, for these columns of these rows, and put back before the
/// commit). Those rows are chained as they are at this moment: the chain proves nothing about
/// what they were before. A table that has the columns is left as it is.
fn add_chain(c: &mut Connection) -> Result<(), StoreError> {
    let tx = c.transaction_with_behavior(TransactionBehavior::Immediate).map_err(err)?;
    if has_column(&tx, "hash")? {
        return Ok(());
    }
    for column in CHAIN_FIELDS {
        tx.execute_batch(&format!("ALTER TABLE determinations ADD COLUMN {column} TEXT NOT NULL DEFAULT ''"))
            .map_err(err)?;
    }
    tx.execute_batch("DROP TRIGGER IF EXISTS determinations_no_update;").map_err(err)?;
    let (mut after, mut prev) = (0, GENESIS.to_string());
    loop {
        let rows = {
            let mut st = tx.prepare(&SQL.page).map_err(err)?;
            st.query_map(params![after, "", 1000], stored_row)
                .map_err(err)?
                .collect::<Result<Vec<_>, _>>()
                .map_err(err)?
        };
        let Some(last) = rows.last() else { break };
        after = last.0.id;
        let mut update =
            tx.prepare("UPDATE determinations SET prev_hash = ?1, hash = ?2 WHERE id = ?3").map_err(err)?;
        for (r, encoding, bytes) in &rows {
            let hash = chain::link_hash(&prev, r.id, &r.record, encoding, bytes);
            update.execute(params![prev, hash, r.id]).map_err(err)?;
            prev = hash;
        }
    }
    keep_triggers(&tx)?;
    tx.commit().map_err(err)
}

/// Adds the engine column to a table made before it, in one transaction holding the write
/// lock: the rows already there get [`RecordEngine::unknown_column`] of now (made before now,
/// by an engine they do not name; their hashes, made without it, stay as they are). ADD
/// COLUMN changes no row (the triggers are not fired). A table that has it is left as it is.
fn add_engine(c: &mut Connection) -> Result<(), StoreError> {
    let tx = c.transaction_with_behavior(TransactionBehavior::Immediate).map_err(err)?;
    if has_column(&tx, ENGINE_COLUMN)? {
        return Ok(());
    }
    let unknown = RecordEngine::unknown_column(time::OffsetDateTime::now_utc()).replace('\'', "''");
    tx.execute_batch(&format!(
        "ALTER TABLE determinations ADD COLUMN {ENGINE_COLUMN} TEXT NOT NULL DEFAULT '{unknown}'"
    ))
    .map_err(err)?;
    tx.commit().map_err(err)
}

impl SqliteStore {
    /// Opens (creating if needed) the database at `path`, adds the encoding column, the engine
    /// column (`{"unknown_before": now}` for the rows already there) and the chain's columns
    /// to a file made before them (chaining its rows as they are now, in id order: records
    /// older than this migration are chained from the time of the migration, which proves
    /// nothing about their past), and starts the checkpointer thread.
    ///
    /// # Errors
    /// [`StoreError`] when the file cannot be opened, WAL cannot be set, or the schema created.
    pub fn open(path: &Path) -> Result<SqliteStore, StoreError> {
        let mut w = connection(path)?;
        w.execute_batch(&SQL.table).map_err(err)?;
        w.execute_batch(super::SHEETS_TABLE).map_err(err)?;
        if !has_column(&w, ENCODING_COLUMN)? {
            // Rows written before are the text itself. ADD COLUMN changes no row (the
            // triggers below are not fired).
            w.execute_batch(&format!(
                "ALTER TABLE determinations ADD COLUMN {ENCODING_COLUMN} TEXT NOT NULL DEFAULT 'identity' \
                 CHECK ({ENCODING_COLUMN} IN ('identity', 'zstd'))"
            ))
            .map_err(err)?;
        }
        keep_triggers(&w)?;
        add_engine(&mut w)?;
        add_chain(&mut w)?;
        // The writer never checkpoints: the checkpointer does.
        w.execute_batch("PRAGMA wal_autocheckpoint=0;").map_err(err)?;
        let r = connection(path)?;
        let stop = Arc::new(AtomicBool::new(false));
        let reset_wal = Arc::new(AtomicBool::new(false));
        let checkpointer = connection(path)?;
        let (flag, reset) = (Arc::clone(&stop), Arc::clone(&reset_wal));
        std::thread::Builder::new()
            .name("sqlite-checkpoint".into())
            .spawn(move || checkpoint_loop(&checkpointer, &flag, &reset))
            .map_err(err)?;
        Ok(SqliteStore {
            writer: Arc::new(Mutex::new(w)),
            reader: Arc::new(Mutex::new(r)),
            stop,
            reset_wal,
            commits: Arc::default(),
        })
    }
}

impl Drop for SqliteStore {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// Copies the WAL into the database every [`CHECKPOINT_EVERY`] until `stop` (`PASSIVE`: the
/// writer is never waited for nor locked out), and sets `reset_wal` when the WAL is over
/// [`WAL_LIMIT_PAGES`]. A failure is written to standard error and tried again next time (the
/// WAL keeps every commit meanwhile); a checkpoint found running (the writer's reset) is left
/// to finish.
fn checkpoint_loop(c: &Connection, stop: &AtomicBool, reset_wal: &AtomicBool) {
    while !stop.load(Ordering::Relaxed) {
        std::thread::sleep(CHECKPOINT_EVERY);
        // (busy, pages in the WAL, pages copied)
        match c.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| r.get::<_, i64>(1)) {
            Ok(pages) if pages > WAL_LIMIT_PAGES => reset_wal.store(true, Ordering::Relaxed),
            Ok(_) => {}
            Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy) => {}
            Err(e) => eprintln!("record store: checkpoint: {e}"),
        }
    }
}

/// The writer's reset of the WAL (see the module): a `RESTART` checkpoint on the writer's
/// connection, which holds no transaction between batches, without waiting for readers (busy
/// timeout 0 meanwhile). Gives whether it completed; when it did, the next transaction writes
/// the WAL from its first frame again.
fn restart_wal(c: &Connection) -> Result<bool, StoreError> {
    c.busy_timeout(Duration::ZERO).map_err(err)?;
    let busy = c.query_row("PRAGMA wal_checkpoint(RESTART)", [], |r| r.get::<_, i64>(0));
    c.busy_timeout(Duration::from_secs(10)).map_err(err)?;
    match busy {
        Ok(b) => Ok(b == 0),
        Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy) => Ok(false),
        Err(e) => Err(err(e)),
    }
}

/// A row as [`Statements::by_id`] selects it: the record (determination decoded, no link
/// yet), and the determination's encoding and bytes as stored.
fn stored_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<(Record, String, Vec<u8>)> {
    let n = FIELDS.len();
    let encoding: String = r.get(n + CHAIN_FIELDS.len() + 1)?;
    let bytes = match r.get_ref(n)? {
        ValueRef::Text(t) | ValueRef::Blob(t) => t.to_vec(),
        other => return Err(rusqlite::Error::InvalidColumnType(n, "determination".into(), other.data_type())),
    };
    let record = Record::from_columns(
        r.get(0)?,
        |i| r.get(i),
        || match Stored::decode(&encoding, bytes.clone())? {
            Stored::Text(t) => Ok(t),
            Stored::Zstd(_) => Err(rusqlite::Error::InvalidColumnType(n, "determination".into(), Type::Blob)),
        },
    )?
    .with_engine(r.get(n + CHAIN_FIELDS.len() + 2)?);
    Ok((record, encoding, bytes))
}

/// A row as [`Statements::by_id`] selects it, with its place in the chain.
fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Record> {
    let (record, encoding, bytes) = stored_row(r)?;
    let n = FIELDS.len();
    Ok(record.with_link(r.get(n + 1)?, r.get(n + 2)?, &encoding, &bytes))
}

impl From<StoreError> for rusqlite::Error {
    fn from(e: StoreError) -> Self {
        rusqlite::Error::FromSqlConversionFailure(FIELDS.len(), Type::Blob, Box::new(e))
    }
}

/// Runs `f` on a connection on the blocking pool.
fn blocking<T: Send + 'static>(
    conn: &Arc<Mutex<Connection>>,
    f: impl FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
) -> BoxFuture<'static, Result<T, StoreError>> {
    let conn = Arc::clone(conn);
    Box::pin(async move {
        tokio::task::spawn_blocking(move || {
            let mut c = conn.lock().map_err(|_| StoreError("a database connection was poisoned".into()))?;
            f(&mut c)
        })
        .await
        .map_err(err)?
    })
}

/// Writes `batch` in one transaction on the writing connection `c` ([`Store::append`]): each
/// record compressed if it is not yet, each catalog sheet kept once, the ids and the chain's
/// hashes assigned holding the write lock; the COMMIT (the WAL's append and its fsync) counted
/// in `commits`.
fn append_on(c: &mut Connection, batch: Vec<NewRecord>, commits: &Stage) -> Result<Vec<i64>, StoreError> {
    // Records that did not come through the Recorder are compressed here; each
    // catalog sheet is kept once, the records referencing it by its SHA-256.
    let mut sheet_rows = Vec::new();
    let batch = batch
        .into_iter()
        .map(|mut r| {
            r.determination = r.determination.compressed()?;
            if let Some((request, rows)) = sheets::by_reference(&r.request) {
                r.request = request;
                sheet_rows.extend(rows);
            }
            Ok(r)
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    sheet_rows.sort_by(|a, b| a.sha256.cmp(&b.sha256));
    sheet_rows.dedup_by(|a, b| a.sha256 == b.sha256);
    // IMMEDIATE: the write lock from the start, so that the last row read here is the
    // last row when these are written, whoever else writes to the file.
    let tx = c.transaction_with_behavior(TransactionBehavior::Immediate).map_err(err)?;
    insert_sheets(&tx, &sheet_rows)?;
    let mut ids = Vec::with_capacity(batch.len());
    {
        let (mut id, mut prev) = tx
            .prepare_cached(&SQL.last)
            .and_then(|mut st| st.query_row([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))).optional())
            .map_err(err)?
            .unwrap_or((0, GENESIS.to_string()));
        let mut st = tx.prepare_cached(&SQL.insert).map_err(err)?;
        for r in &batch {
            let bytes: &[u8] = match &r.determination {
                Stored::Zstd(z) => z,
                Stored::Text(t) => t.as_bytes(),
            };
            let encoding = r.determination.encoding();
            id += 1;
            let hash = chain::link_hash(&prev, id, r, encoding, bytes);
            let values = r.values();
            let mut params: Vec<&dyn rusqlite::ToSql> = vec![&id];
            params.extend(values.iter().map(|v| v as &dyn rusqlite::ToSql));
            let chained: [&dyn rusqlite::ToSql; 5] = [&bytes, &prev, &hash, &encoding, &r.engine];
            params.extend(chained);
            st.execute(params_from_iter(params)).map_err(err)?;
            ids.push(id);
            prev = hash;
        }
    }
    let committing = std::time::Instant::now();
    tx.commit().map_err(err)?;
    commits.add(committing.elapsed());
    Ok(ids)
}

/// The upkeep between two batches ([`Store::between_batches`]): the WAL reset when the
/// checkpointer asked for it, on the writing connection; asked again after the next batch when
/// readers held it up.
fn between_batches_on(writer: &Mutex<Connection>, reset_wal: &AtomicBool) {
    if !reset_wal.swap(false, Ordering::Relaxed) {
        return;
    }
    let Ok(c) = writer.lock() else {
        eprintln!("record store: checkpoint (restart): the writing connection was poisoned");
        return;
    };
    match restart_wal(&c) {
        Ok(true) => {}
        // Readers in the way: after the next batch.
        Ok(false) => reset_wal.store(true, Ordering::Relaxed),
        Err(e) => eprintln!("record store: checkpoint (restart): {e}"),
    }
}

/// The writes on the calling thread: the [`super::Recorder`]'s own thread (`record-writer`),
/// which holds the writing connection's lock only while it writes.
impl BlockingWrites for SqliteStore {
    fn append_blocking(&self, batch: Vec<NewRecord>) -> Result<Vec<i64>, StoreError> {
        let mut c = self.writer.lock().map_err(|_| StoreError("the writing connection was poisoned".into()))?;
        append_on(&mut c, batch, &self.commits)
    }

    fn between_batches_blocking(&self) {
        between_batches_on(&self.writer, &self.reset_wal);
    }
}

impl Store for SqliteStore {
    fn kind(&self) -> &'static str {
        "sqlite"
    }

    fn compresses(&self) -> bool {
        true
    }

    fn commits(&self) -> StageTotal {
        self.commits.total()
    }

    fn blocking_writes(&self) -> Option<&dyn BlockingWrites> {
        Some(self)
    }

    fn between_batches(&self) -> BoxFuture<'_, ()> {
        if !self.reset_wal.load(Ordering::Relaxed) {
            return Box::pin(std::future::ready(()));
        }
        let (writer, reset_wal) = (Arc::clone(&self.writer), Arc::clone(&self.reset_wal));
        Box::pin(async move {
            let _ = tokio::task::spawn_blocking(move || between_batches_on(&writer, &reset_wal)).await;
        })
    }

    fn append(&self, batch: Vec<NewRecord>) -> BoxFuture<'_, Result<Vec<i64>, StoreError>> {
        let commits = Arc::clone(&self.commits);
        blocking(&self.writer, move |c| append_on(c, batch, &commits))
    }

    fn get(&self, id: i64) -> BoxFuture<'_, Result<Option<Record>, StoreError>> {
        blocking(&self.reader, move |c| {
            let r = c.prepare_cached(&SQL.by_id).map_err(err)?.query_row([id], row).optional().map_err(err)?;
            Ok(with_sheets(c, r.into_iter().collect())?.pop())
        })
    }

    fn page(&self, after: i64, since: Option<Date>, limit: usize) -> BoxFuture<'_, Result<Vec<Record>, StoreError>> {
        let since = since.map(|d| d.to_string()).unwrap_or_default();
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        blocking(&self.reader, move |c| {
            let mut st = c.prepare_cached(&SQL.page).map_err(err)?;
            let rows = st.query_map(params![after, since, limit], row).map_err(err)?;
            let records = rows.collect::<Result<Vec<_>, _>>().map_err(err)?;
            with_sheets(c, records)
        })
    }

    fn ping(&self) -> BoxFuture<'_, Result<(), StoreError>> {
        blocking(&self.reader, |c| c.query_row("SELECT 1", [], |_| Ok(())).map_err(err))
    }

    fn head(&self) -> BoxFuture<'_, Result<Head, StoreError>> {
        blocking(&self.reader, |c| {
            let last = c
                .prepare_cached(&SQL.last)
                .and_then(|mut st| st.query_row([], |r| Ok(Head { id: r.get(0)?, hash: r.get(1)? })).optional())
                .map_err(err)?;
            Ok(last.unwrap_or(Head { id: 0, hash: GENESIS.to_string() }))
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    fn record(i: usize) -> NewRecord {
        NewRecord {
            request: format!("{{\"n\":{i}}}"),
            determination: Stored::Text(format!("{{\"n\":{i},\"pad\":\"{}\"}}", "x".repeat(3000 + i))),
            engine: super::super::engine::RecordEngine::current_column(),
            ..super::super::h20_to_cn("2026-12-01T18:00:00Z", "0.1.25")
        }
    }

    /// Asked to (the WAL over its limit), the writer resets the WAL between two batches: the
    /// batch after it is written over the WAL's first frames (the file does not grow), where
    /// without it the WAL grows; every record written is read back, in order, chained.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_writer_resets_a_grown_wal_between_batches() {
        let dir = std::env::temp_dir().join(format!("ec-wal-reset-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let db = dir.join("records.db");
        let wal = dir.join("records.db-wal");
        let store = SqliteStore::open(&db).unwrap();
        // No passive checkpoint meanwhile: the WAL keeps every frame until the reset.
        store.stop.store(true, Ordering::Relaxed);
        std::thread::sleep(CHECKPOINT_EVERY * 2);
        let size = || std::fs::metadata(&wal).unwrap().len();
        let mut n = 0;
        let mut batch = |k: usize| {
            let b: Vec<NewRecord> = (n..n + k).map(record).collect();
            n += k;
            b
        };
        for _ in 0..10 {
            store.append(batch(5)).await.unwrap();
        }
        let grown = size();
        store.append(batch(5)).await.unwrap();
        assert!(size() > grown, "without a reset the WAL grows: {} -> {}", grown, size());
        let before_reset = size();
        // Not asked: nothing done.
        store.between_batches().await;
        store.reset_wal.store(true, Ordering::Relaxed);
        store.between_batches().await;
        assert!(!store.reset_wal.load(Ordering::Relaxed), "the reset completed");
        store.append(batch(5)).await.unwrap();
        assert_eq!(size(), before_reset, "the batch after the reset was written from the WAL's first frame");
        let head = store.head().await.unwrap();
        assert_eq!(head.id, 60);
        let report = crate::records::chain::verify(&store, None).await.unwrap();
        assert!(report.is_intact(), "{:?}", report.breaks);
        assert_eq!(report.records, 60);
        let last = store.get(60).await.unwrap().unwrap();
        assert_eq!(last.record.request, "{\"n\":59}");
        drop(store);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
