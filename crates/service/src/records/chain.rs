//! The hash chain over the records (issue 12 item 4, issue 13 item 2): each row stores
//! `prev_hash`, the `hash` of the row before it, and its own `hash`, a SHA-256 over the previous
//! hash and everything the row holds. A row changed after it was written no longer hashes to its
//! `hash`; a row whose `hash` was recomputed no longer matches the `prev_hash` of the row after
//! it; a row deleted from the middle leaves a gap in the ids; rows deleted from the end, or a
//! tail rewritten with every hash recomputed (the algorithm is public), are found only against
//! a head ([`Head`]: the last id and hash) kept outside the database, which is what
//! `export-controls records head` prints for an auditor to keep.
//!
//! The chain follows the order of the ids, which is the order of commits: a store assigns the
//! ids and the hashes inside its write transaction, holding the database's write lock (SQLite
//! `BEGIN IMMEDIATE`, PostgreSQL `LOCK TABLE ... IN EXCLUSIVE MODE`), reading the last row's id
//! and hash there; two writers (two [`super::Recorder`]s, two processes, two instances on one
//! PostgreSQL database) wait for each other and cannot fork it.

use sha2::{Digest, Sha256};

use super::{NewRecord, Store, StoreError};

/// The `prev_hash` of the first record: 64 zeros (no record comes before it).
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The first field of every hashed input: names this format, so that a hash of this chain is
/// never the hash of anything else framed the same way (the pack's sha256 frames files).
pub const DOMAIN: &str = "export-controls determination record chain v1";

/// The error code of a broken chain (E0606).
pub const BROKEN: export_controls::diagnostic::Code = export_controls::audit::RECORD_CHAIN_BROKEN;

/// The error code of a chain that no longer reaches the head kept outside the store (E0607).
pub const HEAD_NOT_REACHED: export_controls::diagnostic::Code = export_controls::audit::RECORD_HEAD_NOT_REACHED;

/// A row's `hash`: lower-case hex SHA-256 (FIPS 180-4) over the fields below, in this order,
/// each framed as the pack's sha256 frames its files (its length in bytes as 8 bytes
/// big-endian, then its bytes), so that no two rows give the same input:
///
/// 1. [`DOMAIN`];
/// 2. `prev_hash`: the previous row's `hash` as 64 hex characters ([`GENESIS`] for id 1);
/// 3. the row's `id` in decimal ASCII;
/// 4. to 12. `recorded_at`, `as_of`, `product`, `destination`, `verdict`, `pack_name`,
///    `pack_version`, `pack_sha256`, `request`: the columns' UTF-8 text;
/// 13. the determination's encoding as stored: `identity` or `zstd`;
/// 14. the determination's bytes as stored: the JSON text (`identity`; PostgreSQL always) or
///     the Zstandard frame (`zstd`, SQLite), which `records verify` hashes without decoding;
/// 15. the `engine` column's UTF-8 text (the engine that made the record,
///     [`super::engine`]), except for a record kept before records named their engine (the
///     column begins `{"unknown_before":`), whose hash was made of the fields 1 to 14 and is
///     left as it was. A known engine replaced by `{"unknown_before": ...}` drops the field,
///     which changes the hash.
///
/// `record.determination` is not read: the stored form is `encoding` and `determination`.
pub fn link_hash(prev_hash: &str, id: i64, record: &NewRecord, encoding: &str, determination: &[u8]) -> String {
    let mut h = Sha256::new();
    let mut frame = |field: &[u8]| {
        h.update((field.len() as u64).to_be_bytes());
        h.update(field);
    };
    frame(DOMAIN.as_bytes());
    frame(prev_hash.as_bytes());
    frame(id.to_string().as_bytes());
    for v in record.values() {
        frame(v.as_bytes());
    }
    frame(encoding.as_bytes());
    frame(determination);
    if !super::engine::is_unknown(&record.engine) {
        frame(record.engine.as_bytes());
    }
    hex(&h.finalize())
}

fn hex(digest: &[u8]) -> String {
    use std::fmt::Write;
    digest.iter().fold(String::with_capacity(64), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// A row's place in the chain, as read.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Link {
    /// The `prev_hash` column: the previous row's hash ([`GENESIS`] for the first row), hex.
    pub prev_hash: String,
    /// The `hash` column, hex (empty for a row inserted without one, outside the service).
    pub hash: String,
    /// [`link_hash`] of the row as read, with its own `prev_hash`: equal to `hash` unless the
    /// row was changed after it was written.
    pub computed: String,
    /// What the hash was computed over that the record as read does not hold as such.
    pub hashed: Hashed,
}

/// The parts of a row's hash input that the record as read holds in another form: the request
/// column as kept (its catalog sheets by reference, [`super::sheets::by_reference`]) and the
/// determination's bytes as stored (a Zstandard frame in SQLite). An exported line carries
/// them ([`super::line`]) so that its hash can be checked without the store.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Hashed {
    /// The request column as kept, when the record's request was read back from it with its
    /// sheets put back ([`super::sheets::inline`]); `None` when it is the request as read.
    pub request: Option<String>,
    /// The determination's encoding as stored: `identity` or `zstd` (field 13).
    pub encoding: String,
    /// The determination's bytes as stored (field 14).
    pub determination: Vec<u8>,
}

/// The last record of the chain: what an auditor keeps outside the database, written
/// `ID:HASH` (`0:` and [`GENESIS`] for an empty store).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    /// The record's id.
    pub id: i64,
    /// Its hash, 64 lower-case hex characters.
    pub hash: String,
}

impl std::fmt::Display for Head {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.id, self.hash)
    }
}

impl std::str::FromStr for Head {
    type Err = String;

    /// `ID:HASH`, the id a non-negative integer, the hash 64 hex characters (read in lower
    /// case).
    fn from_str(s: &str) -> Result<Head, String> {
        let (id, hash) = s.split_once(':').ok_or_else(|| format!("`{s}` is not ID:HASH"))?;
        let id: i64 = id.parse().ok().filter(|i| *i >= 0).ok_or_else(|| format!("`{id}` is not a record id"))?;
        if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(format!("`{hash}` is not a SHA-256 (64 hex characters)"));
        }
        Ok(Head { id, hash: hash.to_ascii_lowercase() })
    }
}

/// Where the chain breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Break {
    /// The row's contents do not hash to its `hash`: it was changed after it was written (or
    /// inserted without the service).
    Hash {
        /// The row.
        id: i64,
        /// Its `hash` column.
        stored: String,
        /// The hash of its contents.
        computed: String,
    },
    /// The row's `prev_hash` is not the previous row's `hash`: the previous row was replaced
    /// with its hash recomputed, or this one was.
    Link {
        /// The row.
        id: i64,
        /// Its `prev_hash` column.
        prev_hash: String,
        /// The previous row's `hash` (or [`GENESIS`]).
        expected: String,
    },
    /// Ids `from` to `to` are missing: rows deleted.
    Gap {
        /// The first missing id.
        from: i64,
        /// The last missing id.
        to: i64,
    },
}

impl Break {
    /// The existing record the break is found at (for a gap: the record after it).
    pub fn id(&self) -> i64 {
        match self {
            Break::Hash { id, .. } | Break::Link { id, .. } => *id,
            Break::Gap { to, .. } => to + 1,
        }
    }
}

impl std::fmt::Display for Break {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Break::Hash { id, stored, computed } => write!(
                f,
                "the hash chain breaks at record {id}: its contents hash to {computed}, its `hash` column says `{stored}`: the row was changed after it was written"
            ),
            Break::Link { id, prev_hash, expected } => write!(
                f,
                "the hash chain breaks at record {id}: its `prev_hash` is `{prev_hash}`, the hash of the record before it is {expected}: that record (or this one) was replaced and its hash recomputed"
            ),
            Break::Gap { from, to } if from == to => {
                write!(f, "the hash chain breaks before record {}: record {from} is missing (deleted)", to + 1)
            }
            Break::Gap { from, to } => write!(
                f,
                "the hash chain breaks before record {}: records {from} to {to} are missing (deleted)",
                to + 1
            ),
        }
    }
}

/// What [`verify`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// Records read.
    pub records: u64,
    /// The last record read (`0:` [`GENESIS`] for an empty store).
    pub head: Head,
    /// Every break, in id order (at most [`Report::MAX_BREAKS`] kept).
    pub breaks: Vec<Break>,
    /// Breaks found in all (more than `breaks.len()` when over [`Report::MAX_BREAKS`]).
    pub broken: u64,
    /// When a head was given: why the chain no longer reaches it (E0607), or `None` if it does.
    pub head_not_reached: Option<String>,
}

impl Report {
    /// Most breaks kept in [`Report::breaks`].
    pub const MAX_BREAKS: usize = 1000;

    /// Whether the chain is unbroken and reaches the head given.
    pub fn is_intact(&self) -> bool {
        self.broken == 0 && self.head_not_reached.is_none()
    }
}

/// Reads every record in id order and checks the chain: ids from 1 without gaps, each
/// `prev_hash` the previous row's `hash` ([`GENESIS`] for the first; not compared after a gap,
/// which is the break), each `hash` the
/// [`link_hash`] of its row. With `head` (kept from an earlier `records head`), also that the
/// chain still reaches it: a row with that id and that hash, no break at or before it. Rows
/// after a break are checked against the stored hashes, so that one changed row is one break.
///
/// # Errors
/// [`StoreError`] from the store.
pub async fn verify(store: &dyn Store, head: Option<&Head>) -> Result<Report, StoreError> {
    let mut report = Report {
        records: 0,
        head: Head { id: 0, hash: GENESIS.to_string() },
        breaks: Vec::new(),
        broken: 0,
        head_not_reached: None,
    };
    let mut broken_at: Option<i64> = None;
    // The `hash` column of the row with the head's id, once read.
    let mut at_head: Option<String> = None;
    let mut pages = super::pages::Pages::new(store, None);
    while let Some(page) = pages.next().await? {
        for r in &page {
            let mut found = Vec::new();
            if r.id != report.head.id + 1 {
                // (Its `prev_hash` is the hash of a row that is not there: one break, the gap.)
                found.push(Break::Gap { from: report.head.id + 1, to: r.id - 1 });
            } else if r.link.prev_hash != report.head.hash {
                found.push(Break::Link {
                    id: r.id,
                    prev_hash: r.link.prev_hash.clone(),
                    expected: report.head.hash.clone(),
                });
            }
            if r.link.hash != r.link.computed {
                found.push(Break::Hash { id: r.id, stored: r.link.hash.clone(), computed: r.link.computed.clone() });
            }
            if let Some(b) = found.first() {
                broken_at.get_or_insert(b.id());
            }
            report.broken += found.len() as u64;
            let room = Report::MAX_BREAKS.saturating_sub(report.breaks.len());
            report.breaks.extend(found.into_iter().take(room));
            if head.is_some_and(|h| h.id == r.id) {
                at_head = Some(r.link.hash.clone());
            }
            report.records += 1;
            report.head = Head { id: r.id, hash: r.link.hash.clone() };
        }
    }
    report.head_not_reached = head.and_then(|h| head_not_reached(h, at_head.as_deref(), broken_at, &report.head));
    Ok(report)
}

/// Why the chain does not reach `head`, given the stored hash of the row with its id (`None`:
/// no such row), the first break, and the last record.
fn head_not_reached(head: &Head, at_head: Option<&str>, broken_at: Option<i64>, last: &Head) -> Option<String> {
    if head.id == 0 {
        return (head.hash != GENESIS)
            .then(|| format!("the head {head} is not a head: record 0 is the genesis value {GENESIS}"));
    }
    match at_head {
        None => Some(format!(
            "the head {head} is not in the store: its last record is {}, so records were deleted from the end",
            last.id
        )),
        Some(stored) if stored != head.hash => Some(format!(
            "record {} now has the hash {stored}, not the head's {}: the records up to it were rewritten",
            head.id, head.hash
        )),
        Some(_) => broken_at
            .filter(|b| *b <= head.id)
            .map(|b| format!("the chain breaks at record {b}, before it reaches the head {head}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record() -> NewRecord {
        NewRecord {
            determination: "{}".into(),
            // A record kept before records named their engine: hashed without it.
            engine: r#"{"unknown_before":"2026-12-01T18:00:00Z"}"#.into(),
            ..super::super::h20_to_cn("2026-11-30T12:00:00Z", "0.1.17")
        }
    }

    /// SHA-256 (FIPS 180-4, through the sha2 crate) over [`record`]'s fields as link 1 after
    /// the genesis, stored as `identity` with `determination`, each field framed by its length
    /// as a big-endian u64, written out by hand; the engine column last when it is named.
    fn framed_sha256(determination: &[u8], engine: Option<&str>) -> String {
        let pack = "ab".repeat(32);
        let fields: [&[u8]; 14] = [
            DOMAIN.as_bytes(),
            GENESIS.as_bytes(),
            b"1",
            b"2026-11-30T12:00:00Z",
            b"2025-04-20",
            b"nvidia-h20",
            b"CN",
            b"license_required",
            b"us-ear",
            b"0.1.17",
            pack.as_bytes(),
            b"{}",
            b"identity",
            determination,
        ];
        let mut input = Vec::new();
        for f in fields.into_iter().chain(engine.map(str::as_bytes)) {
            input.extend_from_slice(&(f.len() as u64).to_be_bytes());
            input.extend_from_slice(f);
        }
        hex(&Sha256::digest(&input))
    }

    /// The hash is SHA-256 over the framed fields as documented: recomputed here from the
    /// bytes written out by hand (FIPS 180-4 through the sha2 crate), it is the same; each
    /// field, and the boundary between two fields, changes it.
    #[test]
    fn the_hash_is_sha256_over_the_framed_fields() {
        let r = record();
        let expected = framed_sha256(b"{\"verdict\":\"license_required\"}", None);
        let h = link_hash(GENESIS, 1, &r, "identity", b"{\"verdict\":\"license_required\"}");
        assert_eq!(h, expected);
        assert_eq!(h.len(), 64);
        assert_ne!(link_hash(GENESIS, 2, &r, "identity", b"{\"verdict\":\"license_required\"}"), h);
        assert_ne!(link_hash(&"1".repeat(64), 1, &r, "identity", b"{\"verdict\":\"license_required\"}"), h);
        assert_ne!(link_hash(GENESIS, 1, &r, "zstd", b"{\"verdict\":\"license_required\"}"), h);
        // Moving a byte from one field to the next changes the input (framing).
        let moved = NewRecord { product: "nvidia-h2".into(), destination: "0CN".into(), ..record() };
        assert_ne!(link_hash(GENESIS, 1, &moved, "identity", b"{\"verdict\":\"license_required\"}"), h);
    }

    /// A record that names its engine has the engine column as the 15th field (framed as the
    /// others); a record kept before records named their engine keeps the hash of its 14
    /// fields, whatever its `unknown_before`; a named engine replaced by `unknown_before`
    /// changes the hash.
    #[test]
    fn the_engine_is_the_fifteenth_field_when_named() {
        let det = b"{\"verdict\":\"license_required\"}";
        let old = record();
        let h14 = link_hash(GENESIS, 1, &old, "identity", det);
        let later = NewRecord { engine: r#"{"unknown_before":"2027-01-01T00:00:00Z"}"#.into(), ..record() };
        assert_eq!(link_hash(GENESIS, 1, &later, "identity", det), h14);

        let engine = r#"{"version":"0.1.0","commit":"unknown","source_sha256":"00"}"#;
        let named = NewRecord { engine: engine.into(), ..record() };
        let h15 = link_hash(GENESIS, 1, &named, "identity", det);
        assert_eq!(h15, framed_sha256(det, Some(engine)));
        assert_ne!(h15, h14);
        let other = NewRecord { engine: engine.replace("unknown", "unknowN"), ..record() };
        assert_ne!(link_hash(GENESIS, 1, &other, "identity", det), h15);
    }

    #[test]
    fn a_head_reads_as_id_colon_hash() {
        let h: Head = format!("42:{}", "AB".repeat(32)).parse().unwrap();
        assert_eq!(h, Head { id: 42, hash: "ab".repeat(32) });
        assert_eq!(h.to_string(), format!("42:{}", "ab".repeat(32)));
        for bad in ["42", "x:00", "-1:00", &format!("1:{}", "g".repeat(64)), &format!("1:{}", "a".repeat(63))] {
            assert!(bad.parse::<Head>().is_err(), "{bad}");
        }
    }
}
