//! Determination records (15 CFR 762: export records are kept five years, 15 CFR 762.6).
//!
//! Every determination the service gives is written with the full request (product figures,
//! parties, exporter declarations, date), the pack's name, version and sha256, and the exact
//! bytes of the determination, *before* the response is sent. Writes from concurrent requests
//! are grouped by one writer ([`Recorder`]) into one transaction, so that one fsync serves
//! many requests. Records are never updated or deleted (the stores refuse it with a trigger);
//! they are read one at a time, exported as JSON lines, and replayed.
//!
//! The store is behind the small [`Store`] trait: SQLite ([`sqlite::SqliteStore`], embedded,
//! WAL and `synchronous=FULL`, each determination kept as one Zstandard frame of its exact
//! bytes, [`Stored`]) by default, PostgreSQL ([`postgres::PostgresStore`]) for several
//! instances sharing one database.
//!
//! The rows form a hash chain ([`chain`]): each stores the previous row's hash and its own, a
//! SHA-256 over that and everything the row holds, assigned by the store inside its write
//! transaction, so that a row changed, replaced or deleted after it was written is found
//! (`records verify`, E0606), and rows deleted from the end against a head kept outside the
//! database (`records head`, `records verify --head`, E0607).

pub mod chain;
pub mod check;
pub mod dictionary;
pub mod engine;
pub mod line;
pub mod pages;
pub mod postgres;
pub mod sheets;
mod shown;
pub mod sqlite;
pub mod verify;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use export_controls::ruleset::PackInfo;
use export_controls::{Date, Verdict};
use serde::Serialize;
use tokio::sync::{mpsc, oneshot};

use crate::determine::Request;
use crate::stages::{Stage, StageTotal, Stages};

/// A boxed future, as the [`Store`] trait returns.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Why the store failed.
#[derive(Debug, Clone, thiserror::Error)]
#[error("record store: {0}")]
pub struct StoreError(pub String);

/// A store error saying `e`.
pub(crate) fn err(e: impl std::fmt::Display) -> StoreError {
    StoreError(e.to_string())
}

/// A determination to be recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRecord {
    /// When it was made, RFC 3339 UTC (e.g. `2026-11-30T12:00:00.123Z`).
    pub recorded_at: String,
    /// The as-of date (date of export).
    pub as_of: String,
    /// Product id.
    pub product: String,
    /// Destination, ISO 3166-1 alpha-2.
    pub destination: String,
    /// Verdict, e.g. `license_required`.
    pub verdict: String,
    /// Pack name.
    pub pack_name: String,
    /// Pack version.
    pub pack_version: String,
    /// Pack sha256.
    pub pack_sha256: String,
    /// The request as received (compact JSON): the transaction, the product sheet if one was
    /// sent, and the catalog sheets the product rests on (`catalog_sheets`, [`sheets`]; absent
    /// from records made before records carried them).
    pub request: String,
    /// The determination, byte for byte as sent (possibly compressed on its way to the store;
    /// always [`Stored::Text`] in a record read back).
    pub determination: Stored,
    /// The engine that made it, the `engine` column as stored: compact JSON of an
    /// [`engine::RecordEngine`] ([`engine::RecordEngine::current_column`] for a record made
    /// now; `{"unknown_before": TIME}` for one kept before records named their engine).
    pub engine: String,
}

/// A determination's JSON text as a record carries it: the text, or the same bytes compressed
/// as one Zstandard frame (RFC 8878, content encoding `zstd`), which decompresses to exactly
/// the text (`zstd -d -D` with the [`dictionary`] its header names reads it; frames written
/// before dictionaries name none, and `zstd -d` reads them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stored {
    /// The JSON text.
    Text(String),
    /// One Zstandard frame of the JSON text's UTF-8 bytes, compressed with the dictionary
    /// its header names ([`dictionary`]), or with none.
    Zstd(Vec<u8>),
}

/// The Zstandard level the records are compressed at: 3 (zstd's default). With the built-in
/// [`dictionary`] attached to the context, as [`Stored::compress`] uses it, level 3 (the
/// `dfast` strategy) takes fewer instructions per frame than level 1 (`fast`) and writes a
/// smaller frame: for an H20 → CN determination with its trace (29,421 bytes of JSON), 193k
/// instructions of Zstandard per request instead of 235k and a frame of 1,469 bytes instead of
/// 1,842 (`bench/instructions.py`); negative levels take more instructions for larger frames
/// (`bench/zstd-levels.c`; crates/service/BENCHMARKS.md). The level is not recorded: a frame
/// decodes the same whatever the level it was written at.
pub const ZSTD_LEVEL: i32 = 3;

impl Stored {
    /// The value the encoding column of the SQLite store records: `identity` or `zstd` (the
    /// HTTP content-coding names, RFC 9110 section 8.4.1 and RFC 8878 section 7.2).
    pub fn encoding(&self) -> &'static str {
        match self {
            Stored::Text(_) => "identity",
            Stored::Zstd(_) => "zstd",
        }
    }

    /// The text compressed as one Zstandard frame at [`ZSTD_LEVEL`] (a compressed one is
    /// returned as it is).
    ///
    /// # Errors
    /// [`StoreError`] if the compressor fails (it does not on text).
    pub fn compressed(self) -> Result<Stored, StoreError> {
        match self {
            Stored::Text(t) => Stored::compress(t.as_bytes()),
            z @ Stored::Zstd(_) => Ok(z),
        }
    }

    /// `text` (a determination's JSON, UTF-8) compressed as one Zstandard frame at
    /// [`ZSTD_LEVEL`] with the [`dictionary::CURRENT`] dictionary, whose id the frame's header
    /// carries. The dictionary's tables are used where they are (`ForceAttachDict`) rather than
    /// copied into the context for each frame: about a quarter fewer instructions per frame
    /// for frames of this size, and no larger (crates/service/BENCHMARKS.md).
    ///
    /// # Errors
    /// [`StoreError`] if the compressor fails (it does not on text).
    pub fn compress(text: &[u8]) -> Result<Stored, StoreError> {
        thread_local! {
            /// One compression context per thread, reused (it holds about 1 MB of tables).
            static COMPRESSOR: std::cell::RefCell<Option<zstd::bulk::Compressor<'static>>> =
                const { std::cell::RefCell::new(None) };
        }
        COMPRESSOR.with(|c| {
            let mut c = c.borrow_mut();
            let compressor = match c.as_mut() {
                Some(z) => z,
                None => {
                    let mut z = zstd::bulk::Compressor::with_prepared_dictionary(&dictionary::ENCODER).map_err(err)?;
                    z.set_parameter(zstd::zstd_safe::CParameter::ForceAttachDict(
                        zstd::zstd_safe::DictAttachPref::ForceAttach,
                    ))
                    .map_err(err)?;
                    c.insert(z)
                }
            };
            compressor.compress(text).map(Stored::Zstd).map_err(err)
        })
    }

    /// The JSON text (decompressed if need be, with the dictionary the frame names).
    ///
    /// # Errors
    /// [`StoreError`] when the bytes are not one valid Zstandard frame of UTF-8 text, or the
    /// frame names a dictionary this binary does not have.
    pub fn text(&self) -> Result<std::borrow::Cow<'_, str>, StoreError> {
        match self {
            Stored::Text(t) => Ok(std::borrow::Cow::Borrowed(t)),
            Stored::Zstd(z) => {
                let bytes = match zstd::zstd_safe::get_dict_id_from_frame(z) {
                    None => zstd::stream::decode_all(z.as_slice()).map_err(err)?,
                    Some(id) => {
                        let d = dictionary::decoder(id.get())?;
                        let mut out = Vec::new();
                        let mut decoder =
                            zstd::stream::read::Decoder::with_prepared_dictionary(z.as_slice(), d).map_err(err)?;
                        std::io::Read::read_to_end(&mut decoder, &mut out).map_err(err)?;
                        out
                    }
                };
                String::from_utf8(bytes).map(std::borrow::Cow::Owned).map_err(err)
            }
        }
    }

    /// The record as read back from an encoding column and its value: the text.
    ///
    /// # Errors
    /// [`StoreError`] for an encoding other than `identity` or `zstd`, or bytes that do not
    /// decode.
    pub fn decode(encoding: &str, bytes: Vec<u8>) -> Result<Stored, StoreError> {
        let s = match encoding {
            "identity" => Stored::Text(String::from_utf8(bytes).map_err(err)?),
            "zstd" => Stored::Zstd(bytes),
            other => return Err(StoreError(format!("unknown determination encoding `{other}`"))),
        };
        Ok(Stored::Text(s.text()?.into_owned()))
    }
}

impl From<String> for Stored {
    fn from(s: String) -> Stored {
        Stored::Text(s)
    }
}

impl From<&str> for Stored {
    fn from(s: &str) -> Stored {
        Stored::Text(s.to_string())
    }
}

/// The tests' record: the H20 to China on 2025-04-20, `license_required`, under pack us-ear
/// `pack_version` (sha256 `abab…`), recorded at `recorded_at`; the request `{}`, an empty
/// determination and no engine, for a test to set with `..`.
#[cfg(test)]
pub(crate) fn h20_to_cn(recorded_at: &str, pack_version: &str) -> NewRecord {
    NewRecord {
        recorded_at: recorded_at.into(),
        as_of: "2025-04-20".into(),
        product: "nvidia-h20".into(),
        destination: "CN".into(),
        verdict: "license_required".into(),
        pack_name: "us-ear".into(),
        pack_version: pack_version.into(),
        pack_sha256: "ab".repeat(32),
        request: "{}".into(),
        determination: Stored::Text(String::new()),
        engine: String::new(),
    }
}

impl NewRecord {
    /// The record of a determination made now under `pack` for `request`, whose verdict is
    /// `verdict` and whose JSON is `json`: kept compressed ([`Stored::Zstd`]) when `compress`
    /// (the store keeps it so: [`Store::compresses`]), else as text.
    ///
    /// # Errors
    /// [`StoreError`] when `json` is not UTF-8 (a determination's JSON is), or the compressor
    /// fails.
    pub fn of(
        request: &Request,
        pack: &PackInfo,
        verdict: Verdict,
        json: &[u8],
        compress: bool,
    ) -> Result<Self, StoreError> {
        let now = time::OffsetDateTime::now_utc();
        let recorded_at = now.format(&time::format_description::well_known::Rfc3339).unwrap_or_default();
        let t = &request.transaction;
        let determination = if compress {
            Stored::compress(json)?
        } else {
            Stored::Text(String::from_utf8(json.to_vec()).map_err(err)?)
        };
        Ok(NewRecord {
            recorded_at,
            as_of: t.date.to_string(),
            product: request.product.product().id.clone(),
            destination: t.destination.to_string(),
            verdict: verdict.as_str().to_string(),
            pack_name: pack.name.clone(),
            pack_version: pack.version.clone(),
            pack_sha256: pack.sha256.clone(),
            request: request.json.clone(),
            determination,
            engine: engine::RecordEngine::current_column(),
        })
    }

    /// The values of the columns [`FIELDS`] but the last (the determination), in that order.
    pub(crate) fn values(&self) -> [&str; 9] {
        [
            &self.recorded_at,
            &self.as_of,
            &self.product,
            &self.destination,
            &self.verdict,
            &self.pack_name,
            &self.pack_version,
            &self.pack_sha256,
            &self.request,
        ]
    }
}

/// The columns of a record after `id`, in both stores' table: the order of
/// [`NewRecord::values`] and of [`Record::from_columns`]. The chain's columns
/// ([`CHAIN_FIELDS`]) follow them.
pub(crate) const FIELDS: [&str; 10] = [
    "recorded_at",
    "as_of",
    "product",
    "destination",
    "verdict",
    "pack_name",
    "pack_version",
    "pack_sha256",
    "request",
    "determination",
];

/// The hash chain's columns ([`chain`]), after the [`FIELDS`]: `prev_hash` and `hash`, hex
/// SHA-256, added to a table made before them (`''` for a row inserted without them).
pub(crate) const CHAIN_FIELDS: [&str; 2] = ["prev_hash", "hash"];

/// The column naming the engine that made the record ([`engine`]), one of each store's own
/// columns after the chain's; added to a table made before it with
/// [`engine::RecordEngine::unknown_column`] for the rows already there.
pub(crate) const ENGINE_COLUMN: &str = "engine";

/// The SQL both stores run, written once: the table (every field `TEXT NOT NULL`, the
/// determination too, so its bytes are kept), its index, the insert and the selects. The
/// stores differ only in the type of `id`, in how a parameter is written (`?1`, `$1`) and in
/// columns of their own after the chain's (SQLite: the determination's encoding); their
/// triggers refusing UPDATE and DELETE, and the chain's columns on a table made before them,
/// are their own.
pub(crate) struct Statements {
    /// `CREATE TABLE IF NOT EXISTS determinations ...` (without the chain's columns, which
    /// each store adds, to a new table as to an older one) and the index on `recorded_at`.
    pub table: String,
    /// Inserts `id` (the store assigns it, in its write transaction, for the chain), the
    /// [`FIELDS`], the [`CHAIN_FIELDS`] and the store's own columns, parameters 1 to 13 and on.
    pub insert: String,
    /// The record whose id is parameter 1: `id`, the [`FIELDS`], the [`CHAIN_FIELDS`], the
    /// store's own columns.
    pub by_id: String,
    /// Records with id > parameter 1, recorded on or after parameter 2, at most parameter 3,
    /// in id order, selected as [`Statements::by_id`].
    pub page: String,
    /// The last record's `id` and `hash` (no row when the store is empty).
    pub last: String,
}

impl Statements {
    /// The statements for a store whose `id` column is declared `id_type`, whose parameter
    /// `n` is written `{mark}{n}`, and whose table has the columns `own` after the chain's.
    pub(crate) fn new(id_type: &str, mark: char, own: &[&str]) -> Statements {
        let defs: String = FIELDS.iter().map(|f| format!(",\n    {f} TEXT NOT NULL")).collect();
        let columns: Vec<&str> = FIELDS.iter().chain(&CHAIN_FIELDS).chain(own).copied().collect();
        let columns = columns.join(", ");
        let params: Vec<String> =
            (1..=1 + FIELDS.len() + CHAIN_FIELDS.len() + own.len()).map(|i| format!("{mark}{i}")).collect();
        Statements {
            table: format!(
                "CREATE TABLE IF NOT EXISTS determinations (\n    id {id_type}{defs}\n);\n\
                 CREATE INDEX IF NOT EXISTS determinations_recorded_at ON determinations (recorded_at);\n"
            ),
            insert: format!("INSERT INTO determinations (id, {columns}) VALUES ({})", params.join(", ")),
            by_id: format!("SELECT id, {columns} FROM determinations WHERE id = {mark}1"),
            page: format!(
                "SELECT id, {columns} FROM determinations WHERE id > {mark}1 AND recorded_at >= {mark}2 ORDER BY id LIMIT {mark}3"
            ),
            last: "SELECT id, hash FROM determinations ORDER BY id DESC LIMIT 1".to_string(),
        }
    }
}

/// A stored record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// Record id, increasing in the order of writing.
    pub id: i64,
    /// The record's fields.
    pub record: NewRecord,
    /// Its place in the hash chain: the stored `prev_hash` and `hash`, and the hash of the
    /// row as read.
    pub link: chain::Link,
}

/// A record as JSON: the shape of `GET /v1/determinations/{id}` and of one line of the export.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RecordJson {
    /// Record id.
    pub id: i64,
    /// When the determination was made, RFC 3339 UTC.
    pub recorded_at: String,
    /// The pack that made it.
    pub rules: PackIdentity,
    /// The engine that made it (the `engine` column): `{"version", "commit", "source_sha256"}`
    /// of the build (`export_controls::Engine`), or `{"unknown_before": TIME}` for a record
    /// kept before records named their engine; as a string when the column is not JSON.
    #[schema(value_type = Object)]
    pub engine: serde_json::Value,
    /// The as-of date, YYYY-MM-DD.
    pub as_of: String,
    /// Product id.
    pub product: String,
    /// Destination, ISO 3166-1 alpha-2.
    pub destination: String,
    /// Verdict.
    pub verdict: String,
    /// The request as received (the transaction, and `product_sheet` if one was sent), with
    /// `catalog_sheets`: each catalog sheet the product rests on (the product's own and those of
    /// the catalog products it contains), as `{"id", "sha256", "sheet"}` (the TOML text and the
    /// SHA-256 of its bytes), which replay decides on after the catalog is corrected (E0609);
    /// absent from records made before records carried them, and for a sheet sent inline that
    /// names no catalog product.
    #[schema(value_type = Object)]
    pub request: serde_json::Value,
    /// The determination as sent.
    #[schema(value_type = crate::schemas::DeterminationSchema)]
    pub determination: serde_json::Value,
    /// The previous record's hash, 64 hex characters (64 zeros for the first record): the hash
    /// chain over the records, which `export-controls records verify` checks.
    pub prev_hash: String,
    /// This record's hash as stored: SHA-256 over `prev_hash`, the id, the columns, the request
    /// and the determination as stored (`records::chain::link_hash`), 64 hex characters.
    pub hash: String,
    /// What the row's columns or request say that its determination does not, or columns that
    /// are malformed ([`check::disagreements`], E0605): a row written or altered outside the
    /// service. Absent when the row agrees with itself; do not trust a record that has it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub disagreements: Vec<check::Disagreement>,
    /// In a line of `records export`: what `hash` covers that the line holds in another form
    /// (the determination's bytes as stored, the request and engine columns as kept), so that
    /// `replay` of the line alone checks its hash ([`line`], E0610). Absent from the API's
    /// record and from lines exported before lines carried it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hashed: Option<line::Hashed>,
}

/// A pack's identity.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PackIdentity {
    /// Pack name, e.g. `us-ear`.
    pub name: String,
    /// Semantic version.
    pub version: String,
    /// Hex sha256 over the pack's rule files.
    pub sha256: String,
}

impl PackIdentity {
    /// The identity of the pack `pack` (the pack in force, as records and screens name it).
    pub fn of(pack: &crate::pack::LoadedPack) -> Self {
        let p = &pack.rules().pack();
        PackIdentity { name: p.name.clone(), version: p.version.clone(), sha256: p.sha256.clone() }
    }
}

impl Record {
    /// A record read from a row of `id` and the [`FIELDS`] (as [`Statements::by_id`] selects
    /// them): `column(i)` is the text of column `i`, 1 to 9, and `determination` the text of
    /// the determination.
    pub(crate) fn from_columns<E>(
        id: i64,
        mut column: impl FnMut(usize) -> Result<String, E>,
        determination: impl FnOnce() -> Result<String, E>,
    ) -> Result<Record, E> {
        Ok(Record {
            id,
            record: NewRecord {
                recorded_at: column(1)?,
                as_of: column(2)?,
                product: column(3)?,
                destination: column(4)?,
                verdict: column(5)?,
                pack_name: column(6)?,
                pack_version: column(7)?,
                pack_sha256: column(8)?,
                request: column(9)?,
                determination: Stored::Text(determination()?),
                engine: String::new(),
            },
            link: chain::Link::default(),
        })
    }

    /// The record with the engine column read from its row.
    pub(crate) fn with_engine(mut self, engine: String) -> Record {
        self.record.engine = engine;
        self
    }

    /// The record with its place in the chain: the stored `prev_hash` and `hash`, and the
    /// [`chain::link_hash`] of the row as read, whose determination was stored as `stored`
    /// with `encoding`.
    pub(crate) fn with_link(mut self, prev_hash: String, hash: String, encoding: &str, stored: &[u8]) -> Record {
        let computed = chain::link_hash(&prev_hash, self.id, &self.record, encoding, stored);
        let hashed = chain::Hashed { request: None, encoding: encoding.to_string(), determination: stored.to_vec() };
        self.link = chain::Link { prev_hash, hash, computed, hashed };
        self
    }

    /// The record with the catalog sheets its request column references put back from `rows`
    /// (the store's `sheets` table, by SHA-256; [`sheets::inline`]), the column as kept noted
    /// in its [`chain::Hashed`]. Called after [`Record::with_link`]: the hash is over the
    /// column as kept.
    pub(crate) fn with_sheets(mut self, rows: &std::collections::HashMap<String, String>) -> Record {
        let inlined = sheets::inline(&self.record.request, rows);
        if inlined != self.record.request {
            self.link.hashed.request = Some(std::mem::replace(&mut self.record.request, inlined));
        }
        self
    }

    /// The record as JSON (request and determination parsed back; key order kept).
    pub fn to_json(&self) -> RecordJson {
        let r = &self.record;
        let parse = |s: &str| serde_json::from_str(s).unwrap_or(serde_json::Value::String(s.to_string()));
        RecordJson {
            id: self.id,
            recorded_at: r.recorded_at.clone(),
            rules: PackIdentity {
                name: r.pack_name.clone(),
                version: r.pack_version.clone(),
                sha256: r.pack_sha256.clone(),
            },
            engine: parse(&r.engine),
            as_of: r.as_of.clone(),
            product: r.product.clone(),
            destination: r.destination.clone(),
            verdict: r.verdict.clone(),
            request: parse(&r.request),
            determination: r
                .determination
                .text()
                .map_or_else(|e| serde_json::Value::String(e.to_string()), |t| parse(&t)),
            prev_hash: self.link.prev_hash.clone(),
            hash: self.link.hash.clone(),
            disagreements: Vec::new(),
            hashed: None,
        }
    }

    /// The record as a line of `records export`: [`Record::to_json`] with its [`line::Hashed`].
    fn to_export_json(&self) -> RecordJson {
        let mut json = self.to_json();
        json.hashed = line::Hashed::of(self, &json.request, &json.engine).ok();
        json
    }

    /// The record as JSON with what its columns and request say that its determination does
    /// not ([`check::disagreements`] against `catalog`, the catalog of the pack in force).
    pub fn to_json_checked(&self, catalog: &export_controls::Catalog) -> RecordJson {
        RecordJson { disagreements: check::disagreements(&self.record, catalog), ..self.to_json() }
    }

    /// One line of the JSON-lines export (no trailing newline), with its [`line::Hashed`].
    pub fn to_json_line(&self) -> String {
        serde_json::to_string(&self.to_export_json()).unwrap_or_default()
    }
}

/// Where records are kept. Appends are atomic per call: all records of a batch are written, or
/// none; ids increase in the order of writing. There is no update and no delete.
pub trait Store: Send + Sync + 'static {
    /// `sqlite` or `postgres`.
    fn kind(&self) -> &'static str;
    /// Writes a batch in one transaction, durably (fsync) before returning; the ids in order.
    /// The store assigns the ids (the last id + 1, and on) and the chain's hashes
    /// ([`chain::link_hash`], from the last row's hash) inside the transaction, holding the
    /// database's write lock, so that concurrent writers, in this process or another, extend
    /// one chain.
    fn append(&self, batch: Vec<NewRecord>) -> BoxFuture<'_, Result<Vec<i64>, StoreError>>;
    /// The record with this id.
    fn get(&self, id: i64) -> BoxFuture<'_, Result<Option<Record>, StoreError>>;
    /// Up to `limit` records with id greater than `after`, recorded on or after `since`
    /// (UTC date), in id order.
    fn page(&self, after: i64, since: Option<Date>, limit: usize) -> BoxFuture<'_, Result<Vec<Record>, StoreError>>;
    /// Whether the store answers.
    fn ping(&self) -> BoxFuture<'_, Result<(), StoreError>>;
    /// The last record's id and stored hash (`0:` [`chain::GENESIS`] when there is none), not
    /// verified ([`chain::verify`] does). By default read page by page; the stores ask for the
    /// last row.
    fn head(&self) -> BoxFuture<'_, Result<chain::Head, StoreError>> {
        Box::pin(async move {
            let mut head = chain::Head { id: 0, hash: chain::GENESIS.to_string() };
            loop {
                let page = self.page(head.id, None, 1000).await?;
                let Some(last) = page.last() else { return Ok(head) };
                head = chain::Head { id: last.id, hash: last.link.hash.clone() };
            }
        })
    }
    /// Whether the store keeps determinations compressed ([`Stored::Zstd`]): then the
    /// [`Recorder`] compresses each one on the requesting task, so that concurrent requests
    /// compress in parallel and the writer only writes. A store that does not is handed text.
    fn compresses(&self) -> bool {
        false
    }
    /// The commits of batches of records this store has made ([`crate::stages::Stages::commit`]):
    /// their number and time, the COMMIT alone (SQLite: the WAL's append and its fsync). By
    /// default none (a store that does not tell its commit from the rest of its write).
    fn commits(&self) -> StageTotal {
        StageTotal::default()
    }
    /// The store's writes on the calling thread, for a store whose writes block it (SQLite):
    /// the [`Recorder`] then writes from a thread of its own. By default `None` (async writes:
    /// the [`Recorder`] writes from a task).
    fn blocking_writes(&self) -> Option<&dyn BlockingWrites> {
        None
    }
    /// Upkeep the [`Recorder`] runs between batches, after the last batch's requests were
    /// answered and before the next batch is written, so that it delays no answer already due
    /// and is never waited for by a lock's busy handler (SQLite: resets the WAL once it has
    /// grown past its limit). By default nothing.
    fn between_batches(&self) -> BoxFuture<'_, ()> {
        Box::pin(std::future::ready(()))
    }
}

/// Opens a store from a URL: `sqlite:PATH` (or a bare path) or `postgres://...` /
/// `postgresql://...` (tokio-postgres connection string).
///
/// # Errors
/// [`StoreError`] when the database cannot be opened or its schema created.
pub async fn open(url: &str) -> Result<Arc<dyn Store>, StoreError> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Arc::new(postgres::PostgresStore::connect(url).await?))
    } else {
        let path = url.strip_prefix("sqlite:").unwrap_or(url).to_string();
        let store = tokio::task::spawn_blocking(move || sqlite::SqliteStore::open(std::path::Path::new(&path)))
            .await
            .map_err(|e| StoreError(e.to_string()))??;
        Ok(Arc::new(store))
    }
}

/// What the writer is told once a record is written (its id) or could not be (the store's
/// error): called on the writer's thread or task.
type Reply = Box<dyn FnOnce(Result<i64, StoreError>) + Send + 'static>;

struct Job {
    record: NewRecord,
    reply: Reply,
    /// When it was handed to the writer.
    queued: Instant,
}

/// Counters of the writer.
#[derive(Debug, Default)]
pub struct WriterStats {
    /// Records written.
    pub records: AtomicU64,
    /// Transactions committed.
    pub batches: AtomicU64,
    /// Each record's wait from being handed to the writer to its transaction's start.
    pub writer_wait: Stage,
    /// Each transaction, from its start to its commit returned.
    pub write: Stage,
    /// Each recorded request, from the writer's reply to its task running again.
    pub answer: Stage,
}

impl WriterStats {
    /// Takes the batch `jobs` out of the writer's queue now: counts their wait.
    fn started(&self, jobs: &[Job]) -> Instant {
        let start = Instant::now();
        for j in jobs {
            self.writer_wait.add(start.saturating_duration_since(j.queued));
        }
        start
    }

    /// The batch begun at `start` was written (or not): counts it and answers each request.
    fn written(&self, start: Instant, replies: Vec<Reply>, appended: Result<Vec<i64>, StoreError>) {
        self.counted(start, replies.len(), appended.is_ok());
        answer(replies, appended);
    }

    /// Counts the batch of `n` records begun at `start`, written when `ok`.
    fn counted(&self, start: Instant, n: usize, ok: bool) {
        self.write.add(start.elapsed());
        if ok {
            self.records.fetch_add(n as u64, Ordering::Relaxed);
            self.batches.fetch_add(1, Ordering::Relaxed);
        }
    }
}

/// Answers each request of a batch: its id, or the store's error.
fn answer(replies: Vec<Reply>, appended: Result<Vec<i64>, StoreError>) {
    match appended {
        Ok(ids) => {
            for (reply, id) in replies.into_iter().zip(ids) {
                reply(Ok(id));
            }
        }
        Err(e) => {
            for reply in replies {
                reply(Err(e.clone()));
            }
        }
    }
}

/// A store whose writes block the thread that makes them (SQLite, whose connection is not
/// async): the [`Recorder`] then writes on a thread of its own ([`Store::blocking_writes`]),
/// which takes the records waiting straight from the threads that hand them over, writes them
/// in one transaction, answers their requests, and takes the next batch at once, with no other
/// thread or task between two commits.
pub trait BlockingWrites: Send + Sync {
    /// As [`Store::append`], on the calling thread: the batch in one transaction, durably
    /// (fsync) before returning; the ids in order.
    ///
    /// # Errors
    /// [`StoreError`] when the store failed: nothing of the batch is written.
    fn append_blocking(&self, batch: Vec<NewRecord>) -> Result<Vec<i64>, StoreError>;
    /// As [`Store::between_batches`], on the calling thread.
    fn between_batches_blocking(&self);
}

/// Records waiting for the writer's thread ([`BlockingWrites`]).
struct Queue {
    state: std::sync::Mutex<QueueState>,
    /// Signalled when a record is queued while the writer waits for one, or the queue closes.
    ready: std::sync::Condvar,
    /// Signalled when a full queue has room again, or the queue closes.
    space: std::sync::Condvar,
}

#[derive(Default)]
struct QueueState {
    jobs: std::collections::VecDeque<Job>,
    /// Set when the last [`Recorder`] is dropped: the writer ends once the queue is empty.
    closed: bool,
    /// Whether the writer waits for a record (then a record queued wakes it; else it takes the
    /// record with the next batch, and nobody is woken).
    idle: bool,
}

impl Queue {
    fn lock(&self) -> std::sync::MutexGuard<'_, QueueState> {
        // Nothing panics while holding the lock (replies and writes run outside it).
        self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Queues `job`, waiting while the queue is full when `wait`; gives the job back when the
    /// queue is closed, or full and not `wait`.
    fn push(&self, job: Job, wait: bool) -> Result<(), Box<Job>> {
        let mut q = self.lock();
        while q.jobs.len() >= Recorder::QUEUE && !q.closed {
            if !wait {
                return Err(Box::new(job));
            }
            q = self.space.wait(q).unwrap_or_else(std::sync::PoisonError::into_inner);
        }
        if q.closed {
            return Err(Box::new(job));
        }
        q.jobs.push_back(job);
        let wake = std::mem::take(&mut q.idle);
        drop(q);
        if wake {
            self.ready.notify_one();
        }
        Ok(())
    }

    /// The next batch (every record waiting, up to [`Recorder::MAX_BATCH`]), waiting for one;
    /// `None` once the queue is closed and empty.
    fn next_batch(&self) -> Option<Vec<Job>> {
        let mut q = self.lock();
        while q.jobs.is_empty() {
            if q.closed {
                return None;
            }
            q.idle = true;
            q = self.ready.wait(q).unwrap_or_else(std::sync::PoisonError::into_inner);
        }
        q.idle = false;
        let was_full = q.jobs.len() >= Recorder::QUEUE;
        let n = q.jobs.len().min(Recorder::MAX_BATCH);
        let batch: Vec<Job> = q.jobs.drain(..n).collect();
        drop(q);
        if was_full {
            self.space.notify_all();
        }
        Some(batch)
    }

    fn close(&self) {
        self.lock().closed = true;
        self.ready.notify_all();
        self.space.notify_all();
    }
}

/// Closes the writer's queue when the last [`Recorder`] clone is dropped.
struct CloseOnDrop(Arc<Queue>);

impl Drop for CloseOnDrop {
    fn drop(&mut self) {
        self.0.close();
    }
}

/// Where the [`Recorder`] hands its records.
#[derive(Clone)]
enum Sink {
    /// The writer's task, for a store whose writes are async (PostgreSQL).
    Task(mpsc::Sender<Job>),
    /// The writer's thread, for a store whose writes block ([`BlockingWrites`]: SQLite).
    Thread {
        /// The queue the thread takes its batches from.
        queue: Arc<Queue>,
        /// Held by the [`Recorder`]'s clones only: when the last goes, the queue closes.
        _open: Arc<CloseOnDrop>,
    },
}

/// Groups the writes of concurrent requests: one writer takes every record waiting (up to a
/// batch size) and writes them in one transaction, then answers each request with its id.
/// While a transaction commits, the next batch gathers, so durability (one fsync per batch)
/// does not cost throughput.
///
/// For a store whose writes block ([`Store::blocking_writes`]: SQLite) the writer is a thread
/// of its own, `record-writer`, holding the store's writing connection: a record handed over
/// ([`Recorder::submit_blocking`] from the CPU pool's workers) goes into its queue, waking it
/// only when it waits; once its batch is committed it hands the batch's answers to one Tokio
/// task (on the runtime it was started on; without one, it answers from the thread), and takes
/// the next batch at once. For an async store (PostgreSQL) it is a Tokio task.
#[derive(Clone)]
pub struct Recorder {
    sink: Sink,
    store: Arc<dyn Store>,
    stats: Arc<WriterStats>,
}

impl Recorder {
    /// Most records in one transaction.
    pub const MAX_BATCH: usize = 256;

    /// Most records waiting for the writer; whoever hands over one more waits for room.
    pub const QUEUE: usize = 4 * Self::MAX_BATCH;

    /// Starts the writer: a thread of its own for a store whose writes block
    /// ([`Store::blocking_writes`]), else a task on the current Tokio runtime. Should the
    /// thread not start (the system refuses), the task.
    pub fn start(store: Arc<dyn Store>) -> Recorder {
        let stats = Arc::new(WriterStats::default());
        if store.blocking_writes().is_some() {
            let queue = Arc::new(Queue {
                state: std::sync::Mutex::default(),
                ready: std::sync::Condvar::new(),
                space: std::sync::Condvar::new(),
            });
            let (q, s, st) = (Arc::clone(&queue), Arc::clone(&store), Arc::clone(&stats));
            let runtime = tokio::runtime::Handle::try_current().ok();
            let started = std::thread::Builder::new()
                .name("record-writer".into())
                .spawn(move || write_loop(&q, s.as_ref(), &st, runtime.as_ref()));
            match started {
                Ok(_) => {
                    let close = Arc::new(CloseOnDrop(Arc::clone(&queue)));
                    return Recorder { sink: Sink::Thread { queue, _open: close }, store, stats };
                }
                Err(e) => eprintln!("warning: the record writer's thread did not start ({e}); writing from a task"),
            }
        }
        let (tx, mut rx) = mpsc::channel::<Job>(Self::QUEUE);
        let (s, st) = (Arc::clone(&store), Arc::clone(&stats));
        tokio::spawn(async move {
            while let Some(first) = rx.recv().await {
                let mut jobs = vec![first];
                while jobs.len() < Self::MAX_BATCH {
                    match rx.try_recv() {
                        Ok(j) => jobs.push(j),
                        Err(_) => break,
                    }
                }
                let start = st.started(&jobs);
                let (records, replies): (Vec<_>, Vec<_>) = jobs.into_iter().map(|j| (j.record, j.reply)).unzip();
                let appended = s.append(records).await;
                st.written(start, replies, appended);
                s.between_batches().await;
            }
        });
        Recorder { sink: Sink::Task(tx), store, stats }
    }

    /// Records one determination; returns once it is durably written, with its id.
    ///
    /// # Errors
    /// [`StoreError`] when the store failed or the writer stopped: the determination must not
    /// be given.
    pub async fn record(&self, mut record: NewRecord) -> Result<i64, StoreError> {
        if self.store.compresses() {
            record.determination = record.determination.compressed()?;
        }
        let (tx, rx) = oneshot::channel();
        let reply: Reply = Box::new(move |r| {
            let _ = tx.send(r);
        });
        let job = Job { record, reply, queued: Instant::now() };
        let stopped = || StoreError("the writer stopped".into());
        match &self.sink {
            Sink::Task(tx) => tx.send(job).await.map_err(|_| stopped())?,
            Sink::Thread { queue, .. } => {
                if let Err(job) = queue.push(job, false) {
                    // Full (or closed): wait for room off the async workers.
                    let q = Arc::clone(queue);
                    tokio::task::spawn_blocking(move || q.push(*job, true))
                        .await
                        .map_err(|_| stopped())?
                        .map_err(|_| stopped())?;
                }
            }
        }
        rx.await.map_err(|_| stopped())?
    }

    /// Hands one determination's record to the writer from a thread that may block (not an
    /// async task: the CPU pool's workers, [`crate::cpu::CpuPool::submit`]), waiting only
    /// while the writer's queue is full; `reply` is called on the writer's task (or the task
    /// its thread hands the batch's answers to) once the record is durably written, with its id, or with the error that kept it from
    /// being written (the writer stopped included: then at once, on this thread). The record
    /// is compressed here if the store keeps it so and it is not yet.
    pub fn submit_blocking(&self, mut record: NewRecord, reply: impl FnOnce(Result<i64, StoreError>) + Send + 'static) {
        if self.store.compresses() {
            match record.determination.compressed() {
                Ok(d) => record.determination = d,
                Err(e) => return reply(Err(e)),
            }
        }
        let job = Job { record, reply: Box::new(reply), queued: Instant::now() };
        let refused = match &self.sink {
            Sink::Task(tx) => tx.blocking_send(job).err().map(|e| Box::new(e.0)),
            Sink::Thread { queue, .. } => queue.push(job, true).err(),
        };
        if let Some(job) = refused {
            (job.reply)(Err(StoreError("the writer stopped".into())));
        }
    }

    /// The store.
    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    /// Records and transactions written so far.
    pub fn stats(&self) -> (u64, u64) {
        (self.stats.records.load(Ordering::Relaxed), self.stats.batches.load(Ordering::Relaxed))
    }

    /// Counts a recorded request answered `d` after the writer's reply
    /// ([`crate::stages::Stages::answer`]).
    pub fn answered(&self, d: Duration) {
        self.stats.answer.add(d);
    }

    /// The writer's stages since it started ([`Stages`]; the CPU pool's, `pool_wait` and
    /// `work`, are left at zero for the caller to fill in).
    pub fn stages(&self) -> Stages {
        Stages {
            writer_wait: self.stats.writer_wait.total(),
            write: self.stats.write.total(),
            commit: self.store.commits(),
            answer: self.stats.answer.total(),
            ..Stages::default()
        }
    }
}

/// The writer's thread ([`Recorder::start`] for a store with [`BlockingWrites`]): each batch
/// waiting written in one transaction and its requests answered, then the store's upkeep
/// between batches, until the last [`Recorder`] is gone and the queue is empty.
///
/// The requests of a batch are answered from one task spawned on `runtime` (the Tokio runtime
/// the [`Recorder`] was started on), which wakes each request's task on its own worker, rather
/// than from this thread, whose every wake-up would go through the runtime's injection queue
/// and might unpark a worker of its own; the thread goes on with the next batch at once.
/// Without a runtime, from this thread.
fn write_loop(queue: &Queue, store: &dyn Store, stats: &WriterStats, runtime: Option<&tokio::runtime::Handle>) {
    while let Some(jobs) = queue.next_batch() {
        let start = stats.started(&jobs);
        let (records, replies): (Vec<_>, Vec<_>) = jobs.into_iter().map(|j| (j.record, j.reply)).unzip();
        let appended = match store.blocking_writes() {
            Some(w) => w.append_blocking(records),
            None => Err(StoreError("the store does not write from a thread".into())),
        };
        stats.counted(start, replies.len(), appended.is_ok());
        match runtime {
            Some(rt) => drop(rt.spawn(async move { answer(replies, appended) })),
            None => answer(replies, appended),
        }
        if let Some(w) = store.blocking_writes() {
            w.between_batches_blocking();
        }
    }
}

/// Writes every record recorded on or after `since` (UTC date; all when `None`) as JSON lines,
/// one record per line in id order, reading the store page by page. Returns the number written.
///
/// # Errors
/// [`StoreError`] from the store, or an I/O error writing.
pub async fn export_jsonl(
    store: &dyn Store,
    since: Option<Date>,
    out: &mut (dyn std::io::Write + Send),
) -> Result<u64, StoreError> {
    let mut pages = pages::Pages::new(store, since);
    let mut n = 0;
    while let Some(page) = pages.next().await? {
        for r in &page {
            writeln!(out, "{}", r.to_json_line()).map_err(|e| StoreError(e.to_string()))?;
            n += 1;
        }
    }
    out.flush().map_err(|e| StoreError(e.to_string()))?;
    Ok(n)
}

/// What [`export_checked`] wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportSummary {
    /// Records written.
    pub written: u64,
    /// Ids of the records written with `disagreements` that are alterations (E0605, E0611,
    /// [`check::Disagreement::is_alteration`]): rows whose columns or request disagree with
    /// their determination.
    pub flagged: Vec<i64>,
    /// Ids of the records written with only E0612 `disagreements`: made by another engine,
    /// with a request this engine's checks refuse (a check added since), so not compared with
    /// their determination here; not shown altered.
    pub unchecked: Vec<i64>,
}

/// [`export_jsonl`], each record checked against its determination ([`check::disagreements`]
/// with `catalog`): a row that disagrees is written with its `disagreements` and its id is
/// returned in [`ExportSummary::flagged`], so that the caller can refuse the export; a row
/// whose request this engine refuses but another engine made (E0612 only) is written with them
/// too and returned in [`ExportSummary::unchecked`].
///
/// # Errors
/// [`StoreError`] from the store, or an I/O error writing.
pub async fn export_checked(
    store: &dyn Store,
    since: Option<Date>,
    catalog: &export_controls::Catalog,
    out: &mut (dyn std::io::Write + Send),
) -> Result<ExportSummary, StoreError> {
    let mut pages = pages::Pages::new(store, since);
    let mut summary = ExportSummary::default();
    while let Some(page) = pages.next().await? {
        for r in &page {
            let json = RecordJson { disagreements: check::disagreements(&r.record, catalog), ..r.to_export_json() };
            if json.disagreements.iter().any(check::Disagreement::is_alteration) {
                summary.flagged.push(r.id);
            } else if !json.disagreements.is_empty() {
                summary.unchecked.push(r.id);
            }
            let line = serde_json::to_string(&json).unwrap_or_default();
            writeln!(out, "{line}").map_err(|e| StoreError(e.to_string()))?;
            summary.written += 1;
        }
    }
    out.flush().map_err(|e| StoreError(e.to_string()))?;
    Ok(summary)
}

/// The table of the catalog sheets the records rest on, each kept once under its SHA-256 (both
/// stores): a record's request references its sheets by SHA-256 ([`sheets::by_reference`]),
/// and the sheet read back is checked against it ([`sheets::inline`], E0605). Rows are never
/// updated or deleted (the stores' triggers refuse it, as for the records).
pub(crate) const SHEETS_TABLE: &str =
    "CREATE TABLE IF NOT EXISTS sheets (\n    sha256 TEXT PRIMARY KEY,\n    sheet TEXT NOT NULL\n);\n";

/// SQLite's insert of a sheet that is kept once: a sheet already there is left as it is.
pub(crate) const SHEETS_INSERT_SQLITE: &str = "INSERT OR IGNORE INTO sheets (sha256, sheet) VALUES (?1, ?2)";

/// The SQL text both stores use to refuse changes to records.
pub(crate) const KEEP_MESSAGE: &str = "determination records are kept (15 CFR 762.6): no update or delete";

/// The record store failed, 503.
impl From<StoreError> for crate::problem::Problem {
    fn from(e: StoreError) -> Self {
        crate::problem::Problem::unavailable(e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The statements written once are the ones each store spelled out before (SQLite `?N`,
    /// PostgreSQL `$N`), and `values` and `from_columns` agree with `FIELDS`.
    #[test]
    fn the_statements_are_the_stores_sql() {
        let cols = "recorded_at, as_of, product, destination, verdict, pack_name, pack_version, pack_sha256, request, determination";
        let sqlite = Statements::new("INTEGER PRIMARY KEY AUTOINCREMENT", '?', &["determination_encoding"]);
        assert_eq!(
            sqlite.insert,
            format!(
                "INSERT INTO determinations (id, {cols}, prev_hash, hash, determination_encoding) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)"
            )
        );
        assert_eq!(
            sqlite.by_id,
            format!("SELECT id, {cols}, prev_hash, hash, determination_encoding FROM determinations WHERE id = ?1")
        );
        let pg = Statements::new("BIGSERIAL PRIMARY KEY", '$', &[]);
        assert_eq!(
            pg.page,
            format!(
                "SELECT id, {cols}, prev_hash, hash FROM determinations WHERE id > $1 AND recorded_at >= $2 ORDER BY id LIMIT $3"
            )
        );
        assert_eq!(pg.insert.matches('$').count(), 13, "{}", pg.insert);
        assert_eq!(
            pg.table,
            "CREATE TABLE IF NOT EXISTS determinations (
    id BIGSERIAL PRIMARY KEY,
    recorded_at TEXT NOT NULL,
    as_of TEXT NOT NULL,
    product TEXT NOT NULL,
    destination TEXT NOT NULL,
    verdict TEXT NOT NULL,
    pack_name TEXT NOT NULL,
    pack_version TEXT NOT NULL,
    pack_sha256 TEXT NOT NULL,
    request TEXT NOT NULL,
    determination TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS determinations_recorded_at ON determinations (recorded_at);
"
        );

        let r = NewRecord {
            recorded_at: "2026-11-30T12:00:00Z".into(),
            as_of: "2025-04-20".into(),
            product: "nvidia-h20".into(),
            destination: "CN".into(),
            verdict: "license_required".into(),
            pack_name: "us-ear".into(),
            pack_version: "0.1.6".into(),
            pack_sha256: "ab".into(),
            request: "{}".into(),
            determination: "{\"verdict\":\"license_required\"}".into(),
            engine: String::new(),
        };
        let v = r.values();
        assert_eq!(v[FIELDS.iter().position(|f| *f == "destination").unwrap()], "CN");
        assert_eq!(FIELDS.last(), Some(&"determination"), "the determination is the last field, not among the values");
        let back = Record::from_columns(
            7,
            |i| Ok::<_, ()>(v[i - 1].to_string()),
            || Ok("{\"verdict\":\"license_required\"}".to_string()),
        )
        .unwrap();
        assert_eq!(back, Record { id: 7, record: r, link: chain::Link::default() });
    }
}

#[cfg(test)]
mod stored_tests {
    use super::*;

    /// A compressed determination is a standard Zstandard frame (magic number 0xFD2FB528, RFC
    /// 8878 section 3.1.1, little-endian) that decodes to the same bytes, and is smaller.
    #[test]
    fn a_compressed_determination_is_a_zstd_frame_of_the_same_bytes() {
        let text = format!("{{\n  \"trace\": [\n{}  ]\n}}\n", "    \"rule us-ear/3a090a applies\",\n".repeat(200));
        let z = Stored::from(text.as_str()).compressed().unwrap();
        let Stored::Zstd(bytes) = &z else { panic!("not compressed") };
        assert_eq!(bytes[..4], [0x28, 0xB5, 0x2F, 0xFD]);
        assert!(bytes.len() * 4 < text.len(), "{} of {}", bytes.len(), text.len());
        assert_eq!(z.text().unwrap(), text);
        assert_eq!(z.encoding(), "zstd");
        assert_eq!(Stored::decode("zstd", bytes.clone()).unwrap(), Stored::Text(text.clone()));
        assert_eq!(Stored::decode("identity", text.clone().into_bytes()).unwrap(), Stored::Text(text));
        assert!(Stored::decode("gzip", vec![]).is_err());
        assert!(Stored::decode("zstd", b"not a frame".to_vec()).is_err());
    }

    /// A frame written now names the current dictionary in its header (RFC 8878 section
    /// 3.1.1.1.3) and decodes with it; a frame written before dictionaries (none named) still
    /// decodes; a frame naming a dictionary this binary does not have is refused, naming it.
    #[test]
    fn frames_name_their_dictionary_and_older_frames_still_decode() {
        let text = "{\n  \"verdict\": \"license_required\",\n  \"trace\": []\n}\n".repeat(50);
        let Stored::Zstd(now) = Stored::compress(text.as_bytes()).unwrap() else { panic!("not compressed") };
        assert_eq!(zstd::zstd_safe::get_dict_id_from_frame(&now).map(|i| i.get()), Some(dictionary::CURRENT.id));
        assert_eq!(Stored::decode("zstd", now).unwrap(), Stored::Text(text.clone()));

        let before = zstd::bulk::compress(text.as_bytes(), ZSTD_LEVEL).unwrap();
        assert_eq!(zstd::zstd_safe::get_dict_id_from_frame(&before), None);
        assert_eq!(Stored::decode("zstd", before).unwrap(), Stored::Text(text.clone()));

        // The same text compressed with another dictionary (id 7): refused, not misread.
        let mut other = dictionary::CURRENT.bytes.to_vec();
        other[4..8].copy_from_slice(&7u32.to_le_bytes());
        let foreign =
            zstd::bulk::Compressor::with_dictionary(ZSTD_LEVEL, &other).unwrap().compress(text.as_bytes()).unwrap();
        let e = Stored::decode("zstd", foreign).unwrap_err().to_string();
        assert!(e.contains("dictionary 7"), "{e}");
    }

    /// [`ZSTD_LEVEL`] 3 against the level 1 records were written at before (2026-12-01), on
    /// real determinations with their trace: a level-1 frame made with the same dictionary
    /// attached (what main's binary stored) still decodes to its bytes, and the level-3 frame is
    /// smaller (with the dictionary attached, `dfast` finds longer matches in it than `fast`;
    /// its instruction counts are in crates/service/BENCHMARKS.md, not testable here).
    #[test]
    fn level_3_frames_are_smaller_and_level_1_frames_still_decode() {
        let rules = export_controls::RuleSet::shipped().unwrap();
        let catalog = export_controls::Catalog::shipped().unwrap();
        for (product, to, on) in [("nvidia-h20", "CN", "2025-04-20"), ("nvidia-h100-sxm5-80gb", "MY", "2025-06-01")] {
            let q = export_controls::Query::export_to(to.parse().unwrap(), on.parse().unwrap());
            let d =
                rules.evaluate(catalog.get(product).unwrap(), &q, export_controls::Options { trace: true }).unwrap();
            let text = crate::determine::determination_json(&d);
            let Stored::Zstd(now) = Stored::compress(&text).unwrap() else { panic!("not compressed") };
            let level_1_dictionary = zstd::dict::EncoderDictionary::copy(dictionary::CURRENT.bytes, 1);
            let mut level_1 = zstd::bulk::Compressor::with_prepared_dictionary(&level_1_dictionary).unwrap();
            level_1
                .set_parameter(zstd::zstd_safe::CParameter::ForceAttachDict(
                    zstd::zstd_safe::DictAttachPref::ForceAttach,
                ))
                .unwrap();
            let before = level_1.compress(&text).unwrap();
            assert!(
                now.len() < before.len(),
                "{product} -> {to}: level 3 {} bytes, level 1 {}",
                now.len(),
                before.len()
            );
            let want = Stored::Text(String::from_utf8(text).unwrap());
            assert_eq!(Stored::decode("zstd", before).unwrap(), want);
            assert_eq!(Stored::decode("zstd", now).unwrap(), want);
        }
    }

    /// A record handed to the writer from a thread that is not an async task (the CPU pool's
    /// workers, [`super::Recorder::submit_blocking`]) is compressed, written and committed
    /// before its reply comes, with its id: another connection reads it back, the same bytes.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_record_handed_over_from_a_thread_is_written_before_its_reply() {
        let dir = std::env::temp_dir().join(format!("ec-submit-blocking-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let store = super::open(&format!("sqlite:{}", dir.join("records.db").display())).await.unwrap();
        let recorder = super::Recorder::start(Arc::clone(&store));
        let text = "{\n  \"verdict\": \"license_required\"\n}\n";
        let record = super::NewRecord {
            determination: super::Stored::Text(text.into()),
            ..super::h20_to_cn("2026-12-03T09:00:00Z", "0.1.48")
        };
        let (tx, rx) = std::sync::mpsc::channel();
        let r = recorder.clone();
        std::thread::spawn(move || r.submit_blocking(record, move |id| tx.send(id).unwrap()));
        let id = tokio::task::spawn_blocking(move || rx.recv().unwrap()).await.unwrap().unwrap();
        assert_eq!(id, 1);
        let back = store.get(1).await.unwrap().unwrap();
        assert_eq!(back.record.determination, super::Stored::Text(text.into()));
        assert_eq!(recorder.stats(), (1, 1));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
