//! SQLite record store (rusqlite, SQLite bundled): one file, WAL journal, `synchronous=FULL`
//! (a committed transaction survives a power loss), a trigger refusing UPDATE and DELETE.

use std::path::Path;
use std::sync::{Arc, LazyLock, Mutex};

use export_controls::Date;
use rusqlite::{Connection, OptionalExtension, params, params_from_iter};

use super::{BoxFuture, KEEP_MESSAGE, NewRecord, Record, Statements, Store, StoreError, err};

/// Records in an SQLite file. One connection writes (the [`super::Recorder`] is its only
/// caller), another reads; WAL lets reads proceed during a write.
pub struct SqliteStore {
    writer: Arc<Mutex<Connection>>,
    reader: Arc<Mutex<Connection>>,
}

fn connection(path: &Path) -> Result<Connection, StoreError> {
    let c = Connection::open(path).map_err(|e| StoreError(format!("{}: {e}", path.display())))?;
    c.busy_timeout(std::time::Duration::from_secs(10)).map_err(err)?;
    let mode: String = c.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0)).map_err(err)?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(StoreError(format!("{}: journal_mode is {mode}, WAL is needed", path.display())));
    }
    c.execute_batch("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;").map_err(err)?;
    Ok(c)
}

static SQL: LazyLock<Statements> = LazyLock::new(|| Statements::new("INTEGER PRIMARY KEY AUTOINCREMENT", '?'));

impl SqliteStore {
    /// Opens (creating if needed) the database at `path`.
    ///
    /// # Errors
    /// [`StoreError`] when the file cannot be opened, WAL cannot be set, or the schema created.
    pub fn open(path: &Path) -> Result<SqliteStore, StoreError> {
        let w = connection(path)?;
        w.execute_batch(&SQL.table).map_err(err)?;
        for (name, op) in [("determinations_no_update", "UPDATE"), ("determinations_no_delete", "DELETE")] {
            w.execute_batch(&format!(
                "CREATE TRIGGER IF NOT EXISTS {name} BEFORE {op} ON determinations BEGIN SELECT RAISE(ABORT, '{KEEP_MESSAGE}'); END;"
            ))
            .map_err(err)?;
        }
        let r = connection(path)?;
        Ok(SqliteStore { writer: Arc::new(Mutex::new(w)), reader: Arc::new(Mutex::new(r)) })
    }
}

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Record> {
    Record::from_columns(r.get(0)?, |i| r.get(i))
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

    fn append(&self, batch: Vec<NewRecord>) -> BoxFuture<'_, Result<Vec<i64>, StoreError>> {
        blocking(&self.writer, move |c| {
            let tx = c.transaction().map_err(err)?;
            let mut ids = Vec::with_capacity(batch.len());
            {
                let mut st = tx.prepare_cached(&SQL.insert).map_err(err)?;
                for r in &batch {
                    st.execute(params_from_iter(r.values())).map_err(err)?;
                    ids.push(tx.last_insert_rowid());
                }
            }
            tx.commit().map_err(err)?;
            Ok(ids)
        })
    }

    fn get(&self, id: i64) -> BoxFuture<'_, Result<Option<Record>, StoreError>> {
        blocking(&self.reader, move |c| {
            c.prepare_cached(&SQL.by_id).map_err(err)?.query_row([id], row).optional().map_err(err)
        })
    }

    fn page(&self, after: i64, since: Option<Date>, limit: usize) -> BoxFuture<'_, Result<Vec<Record>, StoreError>> {
        let since = since.map(|d| d.to_string()).unwrap_or_default();
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        blocking(&self.reader, move |c| {
            let mut st = c.prepare_cached(&SQL.page).map_err(err)?;
            let rows = st.query_map(params![after, since, limit], row).map_err(err)?;
            rows.collect::<Result<Vec<_>, _>>().map_err(err)
        })
    }

    fn ping(&self) -> BoxFuture<'_, Result<(), StoreError>> {
        blocking(&self.reader, |c| c.query_row("SELECT 1", [], |_| Ok(())).map_err(err))
    }
}
