//! SQLite record store (rusqlite, SQLite bundled): one file, WAL journal, `synchronous=FULL`
//! (a committed transaction survives a power loss), a trigger refusing UPDATE and DELETE.
//!
//! Stored format: the table of [`super::Statements`] plus `determination_encoding`
//! (`identity` or `zstd`, added to older files on open with `identity` for their rows). A
//! record written now holds in `determination` one Zstandard frame (RFC 8878) of the
//! determination's exact JSON bytes, as a BLOB; `identity` rows hold the text itself. A new
//! file has pages of [`PAGE_SIZE`] (16 KiB), which hold a whole record.
//!
//! Checkpoints are off the commit path: the writer's connection has `wal_autocheckpoint=0`,
//! and a checkpointer thread on its own connection copies the WAL into the database
//! (`wal_checkpoint(PASSIVE)`, which never blocks the writer) every [`CHECKPOINT_EVERY`], so
//! a commit is one WAL append and one fsync. Should the WAL still grow past
//! [`WAL_LIMIT_PAGES`] (passive checkpoints overtaken by the writer), the checkpointer runs a
//! `RESTART` checkpoint, which waits for the writer's transaction in progress.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, LazyLock, Mutex};
use std::time::Duration;

use export_controls::Date;
use rusqlite::types::{Type, ValueRef};
use rusqlite::{Connection, OptionalExtension, params, params_from_iter};

use super::{BoxFuture, FIELDS, KEEP_MESSAGE, NewRecord, Record, Statements, Store, StoreError, Stored, err};

/// The page size of a new database file, bytes: one record (the compressed determination,
/// about 6.6 KB, and the request) fits in one page, so that a record is one WAL frame rather
/// than a chain of overflow pages of the default 4 KiB (SQLite writes each frame with two
/// `pwrite`s, header and page, and the checkpointer reads and writes each page again).
pub const PAGE_SIZE: u32 = 16_384;

/// How often the checkpointer copies the WAL into the database.
pub const CHECKPOINT_EVERY: Duration = Duration::from_millis(200);

/// WAL pages past which the checkpointer waits for the writer (`RESTART`) rather than copying
/// around it (`PASSIVE`): 64 MiB of [`PAGE_SIZE`] pages (a file made with 4 KiB pages before
/// [`PAGE_SIZE`] was raised: 16 MiB).
pub const WAL_LIMIT_PAGES: i64 = 64 * 1024 * 1024 / PAGE_SIZE as i64;

/// Records in an SQLite file. One connection writes (the [`super::Recorder`] is its only
/// caller), another reads, a third checkpoints; WAL lets reads proceed during a write.
pub struct SqliteStore {
    writer: Arc<Mutex<Connection>>,
    reader: Arc<Mutex<Connection>>,
    /// Set when the store is dropped: the checkpointer thread stops.
    stop: Arc<AtomicBool>,
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

static SQL: LazyLock<Statements> = LazyLock::new(|| Statements::new("INTEGER PRIMARY KEY AUTOINCREMENT", '?'));

/// The column added to [`Statements::table`]: how `determination` is encoded.
const ENCODING_COLUMN: &str = "determination_encoding";

/// This store's insert (the [`FIELDS`] and the encoding, parameters 1 to 11) and selects (`id`,
/// the [`FIELDS`], the encoding).
struct SqliteSql {
    insert: String,
    by_id: String,
    page: String,
}

static SQLITE: LazyLock<SqliteSql> = LazyLock::new(|| {
    let columns = FIELDS.join(", ");
    let params: Vec<String> = (1..=FIELDS.len() + 1).map(|i| format!("?{i}")).collect();
    SqliteSql {
        insert: format!("INSERT INTO determinations ({columns}, {ENCODING_COLUMN}) VALUES ({})", params.join(", ")),
        by_id: format!("SELECT id, {columns}, {ENCODING_COLUMN} FROM determinations WHERE id = ?1"),
        page: format!(
            "SELECT id, {columns}, {ENCODING_COLUMN} FROM determinations WHERE id > ?1 AND recorded_at >= ?2 ORDER BY id LIMIT ?3"
        ),
    }
});

impl SqliteStore {
    /// Opens (creating if needed) the database at `path`, adds the encoding column to a file
    /// made before it, and starts the checkpointer thread.
    ///
    /// # Errors
    /// [`StoreError`] when the file cannot be opened, WAL cannot be set, or the schema created.
    pub fn open(path: &Path) -> Result<SqliteStore, StoreError> {
        let w = connection(path)?;
        w.execute_batch(&SQL.table).map_err(err)?;
        let has_encoding = w
            .prepare("SELECT 1 FROM pragma_table_info('determinations') WHERE name = ?1")
            .and_then(|mut st| st.exists([ENCODING_COLUMN]))
            .map_err(err)?;
        if !has_encoding {
            // Rows written before are the text itself. ADD COLUMN changes no row (the
            // triggers below are not fired).
            w.execute_batch(&format!(
                "ALTER TABLE determinations ADD COLUMN {ENCODING_COLUMN} TEXT NOT NULL DEFAULT 'identity' \
                 CHECK ({ENCODING_COLUMN} IN ('identity', 'zstd'))"
            ))
            .map_err(err)?;
        }
        for (name, op) in [("determinations_no_update", "UPDATE"), ("determinations_no_delete", "DELETE")] {
            w.execute_batch(&format!(
                "CREATE TRIGGER IF NOT EXISTS {name} BEFORE {op} ON determinations BEGIN SELECT RAISE(ABORT, '{KEEP_MESSAGE}'); END;"
            ))
            .map_err(err)?;
        }
        // The writer never checkpoints: the checkpointer does.
        w.execute_batch("PRAGMA wal_autocheckpoint=0;").map_err(err)?;
        let r = connection(path)?;
        let stop = Arc::new(AtomicBool::new(false));
        let checkpointer = connection(path)?;
        let flag = Arc::clone(&stop);
        std::thread::Builder::new()
            .name("sqlite-checkpoint".into())
            .spawn(move || checkpoint_loop(&checkpointer, &flag))
            .map_err(err)?;
        Ok(SqliteStore { writer: Arc::new(Mutex::new(w)), reader: Arc::new(Mutex::new(r)), stop })
    }
}

impl Drop for SqliteStore {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// Copies the WAL into the database every [`CHECKPOINT_EVERY`] until `stop`; a failure is
/// written to standard error and tried again next time (the WAL keeps every commit meanwhile).
fn checkpoint_loop(c: &Connection, stop: &AtomicBool) {
    while !stop.load(Ordering::Relaxed) {
        std::thread::sleep(CHECKPOINT_EVERY);
        // (busy, pages in the WAL, pages copied)
        let run = |mode: &str| c.query_row(&format!("PRAGMA wal_checkpoint({mode})"), [], |r| r.get::<_, i64>(1));
        match run("PASSIVE") {
            Ok(pages) if pages > WAL_LIMIT_PAGES => {
                if let Err(e) = run("RESTART") {
                    eprintln!("record store: checkpoint (restart): {e}");
                }
            }
            Ok(_) => {}
            Err(e) => eprintln!("record store: checkpoint: {e}"),
        }
    }
}

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Record> {
    let last = FIELDS.len();
    Record::from_columns(
        r.get(0)?,
        |i| r.get(i),
        || {
            let encoding: String = r.get(last + 1)?;
            let bytes = match r.get_ref(last)? {
                ValueRef::Text(t) | ValueRef::Blob(t) => t.to_vec(),
                other => {
                    return Err(rusqlite::Error::InvalidColumnType(last, "determination".into(), other.data_type()));
                }
            };
            match Stored::decode(&encoding, bytes)? {
                Stored::Text(t) => Ok(t),
                Stored::Zstd(_) => Err(rusqlite::Error::InvalidColumnType(last, "determination".into(), Type::Blob)),
            }
        },
    )
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

impl Store for SqliteStore {
    fn kind(&self) -> &'static str {
        "sqlite"
    }

    fn compresses(&self) -> bool {
        true
    }

    fn append(&self, batch: Vec<NewRecord>) -> BoxFuture<'_, Result<Vec<i64>, StoreError>> {
        blocking(&self.writer, move |c| {
            // Records that did not come through the Recorder are compressed here.
            let batch = batch
                .into_iter()
                .map(|mut r| {
                    r.determination = r.determination.compressed()?;
                    Ok(r)
                })
                .collect::<Result<Vec<_>, StoreError>>()?;
            let tx = c.transaction().map_err(err)?;
            let mut ids = Vec::with_capacity(batch.len());
            {
                let mut st = tx.prepare_cached(&SQLITE.insert).map_err(err)?;
                for r in &batch {
                    let bytes: &[u8] = match &r.determination {
                        Stored::Zstd(z) => z,
                        Stored::Text(t) => t.as_bytes(),
                    };
                    let values = r.values();
                    let mut params: Vec<&dyn rusqlite::ToSql> =
                        values.iter().map(|v| v as &dyn rusqlite::ToSql).collect();
                    params.push(&bytes);
                    let encoding = r.determination.encoding();
                    params.push(&encoding);
                    st.execute(params_from_iter(params)).map_err(err)?;
                    ids.push(tx.last_insert_rowid());
                }
            }
            tx.commit().map_err(err)?;
            Ok(ids)
        })
    }

    fn get(&self, id: i64) -> BoxFuture<'_, Result<Option<Record>, StoreError>> {
        blocking(&self.reader, move |c| {
            c.prepare_cached(&SQLITE.by_id).map_err(err)?.query_row([id], row).optional().map_err(err)
        })
    }

    fn page(&self, after: i64, since: Option<Date>, limit: usize) -> BoxFuture<'_, Result<Vec<Record>, StoreError>> {
        let since = since.map(|d| d.to_string()).unwrap_or_default();
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        blocking(&self.reader, move |c| {
            let mut st = c.prepare_cached(&SQLITE.page).map_err(err)?;
            let rows = st.query_map(params![after, since, limit], row).map_err(err)?;
            rows.collect::<Result<Vec<_>, _>>().map_err(err)
        })
    }

    fn ping(&self) -> BoxFuture<'_, Result<(), StoreError>> {
        blocking(&self.reader, |c| c.query_row("SELECT 1", [], |_| Ok(())).map_err(err))
    }
}
