//! One line of `records export` checked on its own (tester finding T4; 15 CFR 762.6: a record
//! reproduced on request is the record kept).
//!
//! A record's `hash` ([`super::chain::link_hash`]) is over the row as the store keeps it: the
//! determination's bytes as stored (a Zstandard frame in SQLite) and the request column as kept
//! (its catalog sheets by SHA-256). An exported line holds both parsed (so that it is read as
//! JSON, the sheets inline so that it stands alone), which do not give those bytes back. The
//! line therefore carries them under `hashed` ([`Hashed`]): the stored frame (base64), and the
//! request and engine columns as kept when they are not the line's values written compact.
//! `replay` of a line recomputes the hash from them, and checks that the line's `request`
//! and `determination` are what they hold: a line altered anywhere fails (E0610, exit 1),
//! naming the field, whatever engine it claims.
//!
//! Why export what was hashed rather than hash what the line holds: the chain of every store
//! already written hashes the stored bytes; a new hash over parsed JSON would leave those
//! records' lines unverifiable (their hashes cannot be recomputed without the stored bytes),
//! and would need a canonical JSON form (numbers, escapes) that the determination's writer
//! does not promise. Exporting the hashed bytes keeps every record, old and new, checkable.

use base64::Engine as _;
use export_controls::diagnostic::Code;
use serde::{Deserialize, Serialize};

use super::chain;
use super::{NewRecord, Record, StoreError, Stored};

pub mod before_hashed;

/// The code of an exported record line that is not what its `hash` covers (E0610).
pub const ALTERED: Code = export_controls::audit::RECORD_LINE_ALTERED;

/// What a record's hash covers that its exported line holds in another form (the `hashed` key
/// of a line of `records export`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Hashed {
    /// The determination's encoding as stored: `identity` (the text) or `zstd` (a Zstandard
    /// frame): the hash's field 13.
    pub encoding: String,
    /// Base64 (RFC 4648 section 4, padded) of one Zstandard frame (RFC 8878) of the
    /// determination: for `zstd` the bytes the store keeps, which the hash covers; for
    /// `identity` a frame of the text the store keeps, which the hash covers decompressed.
    pub determination_zstd: String,
    /// The request column as the store keeps it (the catalog sheets by SHA-256), when it is
    /// not the line's `request` written as compact JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request: Option<String>,
    /// The engine column as stored, when it is not the line's `engine` written as compact JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub engine: Option<String>,
}

/// Compact JSON of `v`.
fn compact(v: &serde_json::Value) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

impl Hashed {
    /// What `record`'s hash covers, for its line, whose `request` and `engine` are written as
    /// `request` and `engine`.
    ///
    /// # Errors
    /// [`StoreError`] when an `identity` determination cannot be compressed (it can).
    pub fn of(record: &Record, request: &serde_json::Value, engine: &serde_json::Value) -> Result<Hashed, StoreError> {
        let h = &record.link.hashed;
        let frame = match h.encoding.as_str() {
            "zstd" => h.determination.clone(),
            _ => match Stored::compress(&h.determination)? {
                Stored::Zstd(z) => z,
                Stored::Text(_) => Vec::new(),
            },
        };
        let request = match &h.request {
            Some(kept) => Some(kept.clone()),
            None => (compact(request) != record.record.request).then(|| record.record.request.clone()),
        };
        let engine = (compact(engine) != record.record.engine).then(|| record.record.engine.clone());
        Ok(Hashed {
            encoding: h.encoding.clone(),
            determination_zstd: base64::engine::general_purpose::STANDARD.encode(frame),
            request,
            engine,
        })
    }
}

/// A field of an exported line that is not what its hash covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Altered {
    /// The line's key: `determination`, `request`, `hashed` or `hash`.
    pub field: String,
    /// What is wrong, with the values.
    pub message: String,
}

impl std::fmt::Display for Altered {
    /// `error[E0610]: `FIELD`: MESSAGE`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "error[{ALTERED}]: `{}`: {}", self.field, self.message)
    }
}

/// The values of a line of `records export`, as written in it (`request`, `determination` and
/// `engine` the JSON text of their values).
#[derive(Debug, Clone)]
pub struct Line<'a> {
    /// `id`.
    pub id: i64,
    /// `prev_hash`.
    pub prev_hash: &'a str,
    /// `hash`.
    pub hash: &'a str,
    /// The columns `recorded_at` to `pack_sha256` ([`NewRecord::values`] but the request),
    /// `request`, `determination` and `engine` as the line holds them; the determination
    /// is not read.
    pub record: &'a NewRecord,
    /// The JSON text of the line's `request`.
    pub request_json: &'a str,
    /// The JSON text of the line's `determination`.
    pub determination_json: &'a str,
    /// The JSON text of the line's `engine` (absent from lines exported before records named it).
    pub engine_json: Option<&'a str>,
}

/// The text a line holds for a column: a JSON string's content (the export writes a column that
/// is not JSON as a string), otherwise the JSON written compact.
fn column_text(json: &str) -> String {
    match serde_json::from_str::<serde_json::Value>(json) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(v) => compact(&v),
        Err(_) => json.to_string(),
    }
}

fn value(json: &str) -> Option<serde_json::Value> {
    serde_json::from_str(json).ok()
}

/// Every field of `line` that is not what its `hash` covers, given its `hashed`: the line's
/// `determination` is not the stored one (decoded), its `request` not the kept one (with the
/// line's sheets put back), or its fields do not hash to its `hash` (a value the line holds as
/// a column, its `engine`, `id`, `prev_hash` or `hash` altered). Empty for a line as exported.
pub fn check(line: &Line<'_>, hashed: &Hashed) -> Vec<Altered> {
    let mut out = Vec::new();
    let mut say = |field: &str, message: String| out.push(Altered { field: field.into(), message });
    let frame = match base64::engine::general_purpose::STANDARD.decode(&hashed.determination_zstd) {
        Ok(f) => f,
        Err(e) => {
            say("hashed", format!("`determination_zstd` is not base64: {e}"));
            return out;
        }
    };
    let text = match Stored::Zstd(frame.clone()).text() {
        Ok(t) => t.into_owned(),
        Err(e) => {
            say("hashed", format!("`determination_zstd` is not a Zstandard frame of a determination: {e}"));
            return out;
        }
    };
    let stored: &[u8] = match hashed.encoding.as_str() {
        "zstd" => &frame,
        "identity" => text.as_bytes(),
        other => {
            say("hashed", format!("`encoding` `{}` is neither `identity` nor `zstd`", super::shown::shorten(other)));
            return out;
        }
    };
    if value(line.determination_json) != value(&text) {
        say(
            "determination",
            "not the determination the record's hash covers (the stored one, in `hashed`, decodes to other JSON): the line was altered".into(),
        );
    }
    let kept = hashed.request.clone().unwrap_or_else(|| column_text(line.request_json));
    if hashed.request.is_some() {
        // The kept column with the line's sheets put back must be the line's request.
        let rows = line_sheets(line.request_json);
        if value(&super::sheets::inline(&kept, &rows)) != value(line.request_json) {
            say(
                "request",
                "not the request the record's hash covers (the kept one, in `hashed`, with the line's sheets): the line was altered".into(),
            );
        }
    }
    let engine = hashed.engine.clone().unwrap_or_else(|| line.engine_json.map(column_text).unwrap_or_default());
    let hashed_record =
        NewRecord { request: kept, engine, determination: Stored::Text(String::new()), ..line.record.clone() };
    let computed = chain::link_hash(line.prev_hash, line.id, &hashed_record, &hashed.encoding, stored);
    if computed != line.hash {
        say(
            "hash",
            format!(
                "the line's fields hash to {computed}, its `hash` says `{}`: a field of the line was altered (its id, prev_hash, recorded_at, as_of, product, destination, verdict, rules, engine, request or determination, or the hash itself)",
                super::shown::shorten(line.hash)
            ),
        );
    }
    out
}

/// The sheets a line's request carries, by SHA-256 as each claims.
fn line_sheets(request_json: &str) -> std::collections::HashMap<String, String> {
    let mut rows = std::collections::HashMap::new();
    let Some(serde_json::Value::Object(o)) = value(request_json) else { return rows };
    if let Some(serde_json::Value::Array(entries)) = o.get(super::sheets::KEY) {
        for e in entries.iter().filter_map(serde_json::Value::as_object) {
            if let (Some(serde_json::Value::String(sha)), Some(serde_json::Value::String(sheet))) =
                (e.get("sha256"), e.get("sheet"))
            {
                rows.insert(sha.clone(), sheet.clone());
            }
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A record as the SQLite store keeps it (zstd), chained after the genesis value.
    fn stored() -> Record {
        let trace = vec!["    \"rule us-ear/3a090a applies\""; 50].join(",\n");
        let text = format!("{{\n  \"verdict\": \"license_required\",\n  \"trace\": [\n{trace}\n  ]\n}}\n");
        let record = NewRecord {
            request: r#"{"product":"nvidia-h20","n":1.5}"#.into(),
            determination: Stored::Text(text.clone()),
            engine: super::super::engine::RecordEngine::current_column(),
            ..super::super::h20_to_cn("2026-12-01T20:00:00Z", "0.1.27")
        };
        let Stored::Zstd(frame) = Stored::compress(text.as_bytes()).unwrap() else { panic!("not compressed") };
        let hash = chain::link_hash(chain::GENESIS, 1, &record, "zstd", &frame);
        Record { id: 1, record, link: chain::Link::default() }.with_link(chain::GENESIS.into(), hash, "zstd", &frame)
    }

    fn checked(r: &Record, edit: impl FnOnce(&mut serde_json::Value)) -> Vec<Altered> {
        let mut line: serde_json::Value = serde_json::from_str(&r.to_json_line()).unwrap();
        edit(&mut line);
        let hashed: Hashed = serde_json::from_value(line["hashed"].clone()).unwrap();
        let record = NewRecord { verdict: line["verdict"].as_str().unwrap().into(), ..r.record.clone() };
        let l = Line {
            id: line["id"].as_i64().unwrap(),
            prev_hash: line["prev_hash"].as_str().unwrap(),
            hash: line["hash"].as_str().unwrap(),
            record: &record,
            request_json: &line["request"].to_string(),
            determination_json: &line["determination"].to_string(),
            engine_json: Some(&line["engine"].to_string()),
        };
        check(&l, &hashed)
    }

    fn fields(a: &[Altered]) -> Vec<&str> {
        a.iter().map(|a| a.field.as_str()).collect()
    }

    /// A line as exported checks; its `hashed` holds the frame the store keeps (the
    /// determination decodes from it) and no request or engine (they are the line's, compact).
    #[test]
    fn a_line_as_exported_checks_against_its_hash() {
        let r = stored();
        let line: serde_json::Value = serde_json::from_str(&r.to_json_line()).unwrap();
        let hashed: Hashed = serde_json::from_value(line["hashed"].clone()).unwrap();
        assert_eq!(
            (hashed.encoding.as_str(), hashed.request.as_deref(), hashed.engine.as_deref()),
            ("zstd", None, None)
        );
        let frame = base64::engine::general_purpose::STANDARD.decode(&hashed.determination_zstd).unwrap();
        assert_eq!(frame, r.link.hashed.determination);
        assert_eq!(checked(&r, |_| {}), []);
    }

    /// The determination edited, with or without its frame recompressed to match: named.
    #[test]
    fn an_edited_line_names_the_field() {
        let r = stored();
        let forged = r.record.determination.text().unwrap().replacen("license_required", "no_license_required", 1);
        let a = checked(&r, |l| l["determination"] = serde_json::from_str(&forged).unwrap());
        assert_eq!(fields(&a), ["determination"]);
        let Stored::Zstd(frame) = Stored::compress(forged.as_bytes()).unwrap() else { panic!("not compressed") };
        let a = checked(&r, |l| {
            l["determination"] = serde_json::from_str(&forged).unwrap();
            l["hashed"]["determination_zstd"] = base64::engine::general_purpose::STANDARD.encode(frame).into();
        });
        assert_eq!(fields(&a), ["hash"]);
        assert!(a[0].to_string().starts_with("error[E0610]: `hash`: the line's fields hash to "), "{}", a[0]);
        let a = checked(&r, |l| l["verdict"] = "no_license_required".into());
        assert_eq!(fields(&a), ["hash"]);
        let a = checked(&r, |l| l["hashed"]["determination_zstd"] = "not base64!".into());
        assert_eq!(fields(&a), ["hashed"]);
    }
}
