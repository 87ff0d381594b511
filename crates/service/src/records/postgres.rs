//! PostgreSQL record store (tokio-postgres, no TLS: for a server on the same host or a private
//! network), for several service instances writing to one database. Same table as SQLite
//! (without its encoding column): the determination is kept as TEXT (not jsonb, which would
//! reorder keys) so the bytes sent are the bytes kept; PostgreSQL compresses values over about
//! 2 KB itself (TOAST, pglz or lz4), so the store takes them uncompressed. A trigger refuses UPDATE and DELETE.

use std::sync::LazyLock;

use export_controls::Date;
use tokio::sync::Mutex;
use tokio_postgres::types::ToSql;
use tokio_postgres::{Client, NoTls, Row};

use super::{BoxFuture, KEEP_MESSAGE, NewRecord, Record, Statements, Store, StoreError, err};

/// Records in a PostgreSQL database.
pub struct PostgresStore {
    client: Mutex<Client>,
}

static SQL: LazyLock<Statements> = LazyLock::new(|| Statements::new("BIGSERIAL PRIMARY KEY", '$'));

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
",
        SQL.table
    )
}

fn row(r: &Row) -> Result<Record, StoreError> {
    Record::from_columns(r.try_get(0).map_err(err)?, |i| r.try_get(i).map_err(err), || r.try_get(10).map_err(err))
}

impl PostgresStore {
    /// Connects and creates the schema if needed. The connection runs on the current Tokio
    /// runtime.
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
        let created = client.batch_execute(&schema()).await.map_err(err);
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
            let st = tx.prepare(&format!("{} RETURNING id", SQL.insert)).await.map_err(err)?;
            let mut ids = Vec::with_capacity(batch.len());
            for r in &batch {
                let values = r.values();
                // Text: PostgreSQL compresses long values itself (TOAST).
                let text = r.determination.text()?;
                let determination: &str = &text;
                let mut params: Vec<&(dyn ToSql + Sync)> = values.iter().map(|v| v as &(dyn ToSql + Sync)).collect();
                params.push(&determination);
                let row = tx.query_one(&st, &params).await.map_err(err)?;
                ids.push(row.try_get::<_, i64>(0).map_err(err)?);
            }
            tx.commit().await.map_err(err)?;
            Ok(ids)
        })
    }

    fn get(&self, id: i64) -> BoxFuture<'_, Result<Option<Record>, StoreError>> {
        Box::pin(async move {
            let c = self.client.lock().await;
            let rows = c.query(&SQL.by_id, &[&id]).await.map_err(err)?;
            rows.first().map(row).transpose()
        })
    }

    fn page(&self, after: i64, since: Option<Date>, limit: usize) -> BoxFuture<'_, Result<Vec<Record>, StoreError>> {
        Box::pin(async move {
            let since = since.map(|d| d.to_string()).unwrap_or_default();
            let limit = i64::try_from(limit).unwrap_or(i64::MAX);
            let c = self.client.lock().await;
            let rows = c.query(&SQL.page, &[&after, &since, &limit]).await.map_err(err)?;
            rows.iter().map(row).collect()
        })
    }

    fn ping(&self) -> BoxFuture<'_, Result<(), StoreError>> {
        Box::pin(async move {
            let c = self.client.lock().await;
            c.batch_execute("SELECT 1").await.map_err(err)
        })
    }
}
