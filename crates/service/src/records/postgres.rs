//! PostgreSQL record store (tokio-postgres, no TLS: for a server on the same host or a private
//! network), for several service instances writing to one database. Same table as SQLite
//! (without its encoding column): the determination is kept as TEXT (not jsonb, which would
//! reorder keys) so the bytes sent are the bytes kept; PostgreSQL compresses values over about
//! 2 KB itself (TOAST, pglz or lz4), so the store takes them uncompressed. A trigger refuses UPDATE and DELETE.
//!
//! The `engine` that made each record ([`super::engine`]), added to a table made before it
//! with `{"unknown_before": TIME}` for its rows.
//!
//! The hash chain ([`super::chain`]): `prev_hash` and `hash` columns, added to a table made
//! before them and its rows chained then ([`PostgresStore::connect`]); each batch is written
//! holding `LOCK TABLE determinations IN EXCLUSIVE MODE` (readers go on, writers wait), its ids
//! assigned from the last row's (the sequence is not used: it leaves gaps on a rollback) and
//! its hashes from the last row's hash, so that several instances extend one chain.

use std::collections::HashMap;
use std::sync::LazyLock;

use export_controls::Date;
use tokio::sync::Mutex;
use tokio_postgres::types::ToSql;
use tokio_postgres::{Client, NoTls, Row};

use super::chain::{self, GENESIS, Head};
use super::engine::RecordEngine;
use super::sheets;
use super::{
    BoxFuture, CHAIN_FIELDS, ENGINE_COLUMN, FIELDS, KEEP_MESSAGE, NewRecord, Record, Statements, Store, StoreError, err,
};

/// Records in a PostgreSQL database.
pub struct PostgresStore {
    client: Mutex<Client>,
}

static SQL: LazyLock<Statements> = LazyLock::new(|| Statements::new("BIGSERIAL PRIMARY KEY", '$', &[ENGINE_COLUMN]));

/// The encoding of every determination this store keeps: the text.
const ENCODING: &str = "identity";

/// The table, and the trigger that refuses UPDATE and DELETE.
fn schema() -> String {
    format!(
        "{}
CREATE OR REPLACE FUNCTION determinations_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION '{KEEP_MESSAGE}'; END $$;
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'determinations_keep') THEN
    CREATE TRIGGER determinations_keep BEFORE UPDATE OR DELETE ON determinations
      FOR EACH ROW EXECUTE FUNCTION determinations_keep();
  END IF;
END $$;
{}DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'sheets_keep') THEN
    CREATE TRIGGER sheets_keep BEFORE UPDATE OR DELETE ON sheets
      FOR EACH ROW EXECUTE FUNCTION determinations_keep();
  END IF;
END $$;
",
        SQL.table,
        super::SHEETS_TABLE
    )
}

/// The sheets of the `sheets` table that `records` reference, by SHA-256.
async fn sheet_rows(c: &Client, records: &[Record]) -> Result<HashMap<String, String>, StoreError> {
    let mut wanted: Vec<String> = records.iter().flat_map(|r| sheets::referenced(&r.record.request)).collect();
    if wanted.is_empty() {
        return Ok(HashMap::new());
    }
    wanted.sort();
    wanted.dedup();
    let rows = c.query("SELECT sha256, sheet FROM sheets WHERE sha256 = ANY($1)", &[&wanted]).await.map_err(err)?;
    rows.iter().map(|r| Ok((r.try_get(0).map_err(err)?, r.try_get(1).map_err(err)?))).collect()
}

/// `records` with the sheets they reference put back ([`Record::with_sheets`]).
async fn with_sheets(c: &Client, records: Vec<Record>) -> Result<Vec<Record>, StoreError> {
    let rows = sheet_rows(c, &records).await?;
    Ok(records.into_iter().map(|r| r.with_sheets(&rows)).collect())
}

fn row(r: &Row) -> Result<Record, StoreError> {
    let n = FIELDS.len();
    let record =
        Record::from_columns(r.try_get(0).map_err(err)?, |i| r.try_get(i).map_err(err), || r.try_get(n).map_err(err))?
            .with_engine(r.try_get(n + CHAIN_FIELDS.len() + 1).map_err(err)?);
    let text = record.record.determination.text()?.into_owned();
    Ok(record.with_link(r.try_get(n + 1).map_err(err)?, r.try_get(n + 2).map_err(err)?, ENCODING, text.as_bytes()))
}

/// Adds the chain's columns to a table made before them and chains the rows already there, in
/// id order from [`GENESIS`], in one transaction (the trigger refusing UPDATE is disabled inside
/// it and enabled before the commit). Those rows are chained as they are at this moment: the
/// chain proves nothing about what they were before. The caller holds the schema's advisory
/// lock.
async fn add_chain(client: &mut Client) -> Result<(), StoreError> {
    let has = client
        .query_opt(
            "SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() \
             AND table_name = 'determinations' AND column_name = 'hash'",
            &[],
        )
        .await
        .map_err(err)?;
    if has.is_some() {
        return Ok(());
    }
    let tx = client.transaction().await.map_err(err)?;
    let add: Vec<String> =
        CHAIN_FIELDS.iter().map(|c| format!("ADD COLUMN IF NOT EXISTS {c} TEXT NOT NULL DEFAULT ''")).collect();
    tx.batch_execute(&format!(
        "ALTER TABLE determinations {};\nALTER TABLE determinations DISABLE TRIGGER determinations_keep;",
        add.join(", ")
    ))
    .await
    .map_err(err)?;
    let update = tx.prepare("UPDATE determinations SET prev_hash = $1, hash = $2 WHERE id = $3").await.map_err(err)?;
    let (mut after, mut prev) = (0_i64, GENESIS.to_string());
    loop {
        let rows = tx.query(&SQL.page, &[&after, &"", &1000_i64]).await.map_err(err)?;
        let rows = rows.iter().map(row).collect::<Result<Vec<_>, _>>()?;
        let Some(last) = rows.last() else { break };
        after = last.id;
        for r in &rows {
            let text = r.record.determination.text()?;
            let hash = chain::link_hash(&prev, r.id, &r.record, ENCODING, text.as_bytes());
            tx.execute(&update, &[&prev, &hash, &r.id]).await.map_err(err)?;
            prev = hash;
        }
    }
    tx.batch_execute("ALTER TABLE determinations ENABLE TRIGGER determinations_keep;").await.map_err(err)?;
    tx.commit().await.map_err(err)
}

/// Adds the engine column to a table made before it: the rows already there get
/// [`RecordEngine::unknown_column`] of now (made before now, by an engine they do not name;
/// their hashes, made without it, stay as they are). ADD COLUMN fires no trigger. A table that
/// has it is left as it is. The caller holds the schema's advisory lock.
async fn add_engine(client: &Client) -> Result<(), StoreError> {
    let unknown = RecordEngine::unknown_column(time::OffsetDateTime::now_utc()).replace('\'', "''");
    client
        .batch_execute(&format!(
            "ALTER TABLE determinations ADD COLUMN IF NOT EXISTS {ENGINE_COLUMN} TEXT NOT NULL DEFAULT '{unknown}'"
        ))
        .await
        .map_err(err)
}

impl PostgresStore {
    /// Connects and creates the schema if needed; adds the chain's columns to a table made
    /// before them, chaining its rows as they are now, in id order (records older than this
    /// migration are chained from the time of the migration, which proves nothing about their
    /// past). The connection runs on the current Tokio runtime.
    ///
    /// # Errors
    /// [`StoreError`] when the server cannot be reached or the schema created.
    pub async fn connect(url: &str) -> Result<PostgresStore, StoreError> {
        let (client, conn) = tokio_postgres::connect(url, NoTls).await.map_err(err)?;
        tokio::spawn(async move {
            if let Err(e) = conn.await {
                eprintln!("postgres connection closed: {e}");
            }
        });
        // Two instances starting at once may race on CREATE: serialise on an advisory lock.
        client.batch_execute("SELECT pg_advisory_lock(762006)").await.map_err(err)?;
        let mut client = client;
        let created = match client.batch_execute(&schema()).await.map_err(err) {
            Ok(()) => match add_engine(&client).await {
                Ok(()) => add_chain(&mut client).await,
                Err(e) => Err(e),
            },
            Err(e) => Err(e),
        };
        client.batch_execute("SELECT pg_advisory_unlock(762006)").await.map_err(err)?;
        created?;
        Ok(PostgresStore { client: Mutex::new(client) })
    }
}

impl Store for PostgresStore {
    fn kind(&self) -> &'static str {
        "postgres"
    }

    fn append(&self, batch: Vec<NewRecord>) -> BoxFuture<'_, Result<Vec<i64>, StoreError>> {
        Box::pin(async move {
            let mut c = self.client.lock().await;
            let tx = c.transaction().await.map_err(err)?;
            // Other instances' writers wait here until this one commits; readers do not.
            tx.batch_execute("LOCK TABLE determinations IN EXCLUSIVE MODE").await.map_err(err)?;
            let (mut id, mut prev) = match tx.query_opt(&SQL.last, &[]).await.map_err(err)? {
                Some(r) => (r.try_get::<_, i64>(0).map_err(err)?, r.try_get::<_, String>(1).map_err(err)?),
                None => (0, GENESIS.to_string()),
            };
            // Each catalog sheet kept once, the records referencing it by its SHA-256.
            let mut batch = batch;
            let mut sheet_rows = Vec::new();
            for r in &mut batch {
                if let Some((request, rows)) = sheets::by_reference(&r.request) {
                    r.request = request;
                    sheet_rows.extend(rows);
                }
            }
            sheet_rows.sort_by(|a, b| a.sha256.cmp(&b.sha256));
            sheet_rows.dedup_by(|a, b| a.sha256 == b.sha256);
            if !sheet_rows.is_empty() {
                let ins = tx
                    .prepare("INSERT INTO sheets (sha256, sheet) VALUES ($1, $2) ON CONFLICT (sha256) DO NOTHING")
                    .await
                    .map_err(err)?;
                for s in &sheet_rows {
                    tx.execute(&ins, &[&s.sha256, &s.sheet]).await.map_err(err)?;
                }
            }
            let st = tx.prepare(&SQL.insert).await.map_err(err)?;
            let mut ids = Vec::with_capacity(batch.len());
            for r in &batch {
                let values = r.values();
                // Text: PostgreSQL compresses long values itself (TOAST).
                let text = r.determination.text()?;
                let determination: &str = &text;
                id += 1;
                let hash = chain::link_hash(&prev, id, r, ENCODING, determination.as_bytes());
                let mut params: Vec<&(dyn ToSql + Sync)> = vec![&id];
                params.extend(values.iter().map(|v| v as &(dyn ToSql + Sync)));
                let chained: [&(dyn ToSql + Sync); 4] = [&determination, &prev, &hash, &r.engine];
                params.extend(chained);
                tx.execute(&st, &params).await.map_err(err)?;
                ids.push(id);
                prev = hash;
            }
            tx.commit().await.map_err(err)?;
            Ok(ids)
        })
    }

    fn get(&self, id: i64) -> BoxFuture<'_, Result<Option<Record>, StoreError>> {
        Box::pin(async move {
            let c = self.client.lock().await;
            let rows = c.query(&SQL.by_id, &[&id]).await.map_err(err)?;
            let record = rows.first().map(row).transpose()?;
            Ok(with_sheets(&c, record.into_iter().collect()).await?.pop())
        })
    }

    fn page(&self, after: i64, since: Option<Date>, limit: usize) -> BoxFuture<'_, Result<Vec<Record>, StoreError>> {
        Box::pin(async move {
            let since = since.map(|d| d.to_string()).unwrap_or_default();
            let limit = i64::try_from(limit).unwrap_or(i64::MAX);
            let c = self.client.lock().await;
            let rows = c.query(&SQL.page, &[&after, &since, &limit]).await.map_err(err)?;
            let records = rows.iter().map(row).collect::<Result<Vec<_>, _>>()?;
            with_sheets(&c, records).await
        })
    }

    fn ping(&self) -> BoxFuture<'_, Result<(), StoreError>> {
        Box::pin(async move {
            let c = self.client.lock().await;
            c.batch_execute("SELECT 1").await.map_err(err)
        })
    }

    fn head(&self) -> BoxFuture<'_, Result<Head, StoreError>> {
        Box::pin(async move {
            let c = self.client.lock().await;
            match c.query_opt(&SQL.last, &[]).await.map_err(err)? {
                Some(r) => Ok(Head { id: r.try_get(0).map_err(err)?, hash: r.try_get(1).map_err(err)? }),
                None => Ok(Head { id: 0, hash: GENESIS.to_string() }),
            }
        })
    }
}
