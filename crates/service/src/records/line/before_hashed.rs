//! A line of `records export` written before lines carried `hashed` (commit 46e99c0; records of
//! pack us-ear 0.1.17 to 0.1.27, from commit 80903ab, which began the hash chain): it holds
//! `prev_hash` and `hash` but not the bytes its hash covers. 15 CFR 762.6 requires records to
//! stay reproducible for five years, so such a line is checked against its hash as that era's
//! store made it ([`super::super::chain::link_hash`], unchanged since), and refused (E0610) only
//! when none of the forms its record could have been stored in hashes to its `hash`.
//!
//! What the line does not hold, and how it is rebuilt:
//!
//! - the determination as stored: the text the service wrote then, byte for byte
//!   `serde_json::to_writer_pretty` of the determination and a final newline
//!   (`determine::determination_json`), is the line's `determination` written the same way (the
//!   JSON keeps its key order). A PostgreSQL store kept that text (`identity`); a SQLite store
//!   one Zstandard frame of it, from `zstd::bulk::Compressor` (zstd 0.13.3, libzstd 1.5.7, as
//!   today) at level 1 without a dictionary (until commit 4d9ca27), with
//!   `determinations-1.zdict` attached (`ForceAttachDict`) at level 1 (until b95094a), then at
//!   level 3. Each form is tried;
//! - the request and engine columns: the compact JSON of the line's values, as the service
//!   wrote them (`Request::json`, `RecordEngine::current_column`). A line without `engine`
//!   was exported before records named theirs, and its hash has no engine field.
//!
//! A hash is SHA-256: a line whose fields hash to its `hash` in one of these forms is the
//! record the chain holds (whether the chain still reaches the store's head is for
//! `records verify --head`, as for any line).

use super::{Altered, Line, column_text, value};
use crate::records::{NewRecord, Stored, chain, dictionary, engine};

/// A Zstandard compression of that era's SQLite store: its level, and whether
/// `determinations-1.zdict` was attached.
#[derive(Debug, Clone, Copy)]
struct Era {
    level: i32,
    dictionary: bool,
}

/// The SQLite store's compressions before lines carried `hashed`, oldest first.
const ERAS: [Era; 3] =
    [Era { level: 1, dictionary: false }, Era { level: 1, dictionary: true }, Era { level: 3, dictionary: true }];

impl Era {
    /// `text` compressed as that era's store compressed it; `None` if the compressor fails.
    /// As then: a prepared dictionary (`EncoderDictionary::copy` at the level), attached.
    fn compress(self, text: &[u8]) -> Option<Vec<u8>> {
        if !self.dictionary {
            return zstd::bulk::Compressor::new(self.level).ok()?.compress(text).ok();
        }
        let prepared = zstd::dict::EncoderDictionary::copy(dictionary::ALL.first()?.bytes, self.level);
        let mut z = zstd::bulk::Compressor::with_prepared_dictionary(&prepared).ok()?;
        z.set_parameter(zstd::zstd_safe::CParameter::ForceAttachDict(zstd::zstd_safe::DictAttachPref::ForceAttach))
            .ok()?;
        z.compress(text).ok()
    }
}

/// The determination's text as the service stored it: pretty JSON and a final newline.
fn stored_text(determination_json: &str) -> Option<Vec<u8>> {
    let mut out = serde_json::to_vec_pretty(&value(determination_json)?).ok()?;
    out.push(b'\n');
    Some(out)
}

/// Every field of `line` (one without `hashed`, with `prev_hash` and `hash`) that is not what
/// its hash covers: empty when its fields hash to its `hash` with the determination stored in
/// one of the era's forms; else the `hash`, named with what was tried.
pub fn check(line: &Line<'_>) -> Vec<Altered> {
    let Some(text) = stored_text(line.determination_json) else {
        return vec![Altered {
            field: "determination".into(),
            message: "not JSON, so not the determination the record's hash covers: the line was altered".into(),
        }];
    };
    // A line without `engine` (exported before records named theirs): hashed without it.
    let engine = line.engine_json.map_or_else(|| engine::UNKNOWN_PREFIX.to_string(), column_text);
    let record = NewRecord {
        request: column_text(line.request_json),
        engine,
        determination: Stored::Text(String::new()),
        ..line.record.clone()
    };
    let hash = |encoding: &str, bytes: &[u8]| chain::link_hash(line.prev_hash, line.id, &record, encoding, bytes);
    if hash("identity", &text) == line.hash {
        return Vec::new();
    }
    if ERAS.iter().filter_map(|e| e.compress(&text)).any(|frame| hash("zstd", &frame) == line.hash) {
        return Vec::new();
    }
    vec![Altered {
        field: "hash".into(),
        message: format!(
            "the line carries no `hashed` (exported before lines carried it), and its fields hash to its `hash` `{}` in none of the forms its record was stored in then (the determination as text, or as a Zstandard frame at level 1 without a dictionary, or with dictionary 1 at level 1 or 3): a field of the line was altered (its id, prev_hash, recorded_at, as_of, product, destination, verdict, rules, engine, request or determination, or the hash itself)",
            crate::records::shown::shorten(line.hash)
        ),
    }]
}

#[cfg(test)]
mod tests {
    use sha2::{Digest, Sha256};

    use super::*;

    /// The line's values: the H20 to China, record 7 of its chain, with its engine named.
    fn record(engine: &str) -> NewRecord {
        NewRecord {
            request: r#"{"product":"nvidia-h20","destination":"CN","n":1.5}"#.into(),
            engine: engine.into(),
            ..crate::records::h20_to_cn("2026-12-01T20:00:00Z", "0.1.25")
        }
    }

    const ENGINE: &str = r#"{"version":"0.1.0","commit":"3479c0f","source_sha256":"5e5e"}"#;
    const PREV: &str = "1111111111111111111111111111111111111111111111111111111111111111";

    /// A determination as the service wrote it: pretty JSON, a final newline.
    fn determination() -> String {
        let trace: Vec<String> = (0..40).map(|i| format!("rule us-ear/3a090a step {i}")).collect();
        let d = serde_json::json!({"verdict": "license_required", "eccns": ["3A090.a"], "tpp": 2368.5, "trace": trace});
        serde_json::to_string_pretty(&d).unwrap() + "\n"
    }

    /// The record's hash as the chain's definition gives it (commit 80903ab, fields 15 from
    /// 3479c0f), written out here: SHA-256 over each field framed by its length (8 bytes,
    /// big-endian).
    fn framed_sha256(r: &NewRecord, encoding: &str, stored: &[u8], engine: Option<&str>) -> String {
        let mut h = Sha256::new();
        let id = b"7";
        let columns = [
            &r.recorded_at,
            &r.as_of,
            &r.product,
            &r.destination,
            &r.verdict,
            &r.pack_name,
            &r.pack_version,
            &r.pack_sha256,
            &r.request,
        ];
        let mut fields: Vec<&[u8]> = vec![b"export-controls determination record chain v1", PREV.as_bytes(), id];
        fields.extend(columns.iter().map(|c| c.as_bytes()));
        fields.extend([encoding.as_bytes(), stored]);
        fields.extend(engine.map(str::as_bytes));
        for f in fields {
            h.update((f.len() as u64).to_be_bytes());
            h.update(f);
        }
        h.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }

    /// The store's frame of each era, as its code wrote it: `Compressor::new(1)` (80903ab),
    /// then `determinations-1.zdict` prepared at the level and attached (4d9ca27 at level 1,
    /// b95094a at level 3).
    fn frames(text: &str) -> Vec<Vec<u8>> {
        let mut out = vec![zstd::bulk::Compressor::new(1).unwrap().compress(text.as_bytes()).unwrap()];
        for level in [1, 3] {
            let d = zstd::dict::EncoderDictionary::copy(dictionary::ALL[0].bytes, level);
            let mut z = zstd::bulk::Compressor::with_prepared_dictionary(&d).unwrap();
            z.set_parameter(zstd::zstd_safe::CParameter::ForceAttachDict(zstd::zstd_safe::DictAttachPref::ForceAttach))
                .unwrap();
            out.push(z.compress(text.as_bytes()).unwrap());
        }
        out
    }

    /// `check` of the line exported for `r` with `hash`, its determination `text` parsed and
    /// written compact as the export wrote it; `engine` the line's `engine` (absent: `None`).
    fn checked(r: &NewRecord, text: &str, hash: &str, engine: Option<&str>) -> Vec<String> {
        let determination = serde_json::from_str::<serde_json::Value>(text).unwrap().to_string();
        let line = Line {
            id: 7,
            prev_hash: PREV,
            hash,
            record: r,
            request_json: &r.request,
            determination_json: &determination,
            engine_json: engine,
        };
        check(&line).iter().map(|a| a.field.clone()).collect()
    }

    /// A line of each era's store (PostgreSQL's text, SQLite's frames of the three
    /// compressions) checks against its hash; the frames differ, so each form is needed.
    #[test]
    fn a_line_of_each_era_checks_against_its_hash() {
        let (r, text) = (record(ENGINE), determination());
        let frames = frames(&text);
        assert!(frames[0] != frames[1] && frames[1] != frames[2], "three different frames");
        let mut stored: Vec<(&str, &[u8])> = vec![("identity", text.as_bytes())];
        stored.extend(frames.iter().map(|f| ("zstd", f.as_slice())));
        for (encoding, bytes) in stored {
            let hash = framed_sha256(&r, encoding, bytes, Some(ENGINE));
            assert_eq!(checked(&r, &text, &hash, Some(ENGINE)), Vec::<String>::new(), "{encoding}");
        }
    }

    /// A line without `engine` (before records named theirs) hashes without it; one whose engine
    /// names none (`unknown_before`) as well.
    #[test]
    fn a_line_before_engines_were_named_hashes_without_one() {
        let text = determination();
        let r = record("");
        let hash = framed_sha256(&r, "identity", text.as_bytes(), None);
        assert_eq!(checked(&r, &text, &hash, None), Vec::<String>::new());
        let unknown = r#"{"unknown_before":"2026-12-01T18:00:00Z"}"#;
        assert_eq!(checked(&record(unknown), &text, &hash, Some(unknown)), Vec::<String>::new());
        // An engine added to it: not what was hashed.
        assert_eq!(checked(&record(ENGINE), &text, &hash, Some(ENGINE)), ["hash"]);
    }

    /// Any field altered, the determination forged to a clearance, or the hash edited: refused,
    /// naming `hash` (a determination that is not JSON: `determination`).
    #[test]
    fn an_altered_line_of_that_era_is_refused() {
        let (r, text) = (record(ENGINE), determination());
        let frame = frames(&text).pop().unwrap();
        let hash = framed_sha256(&r, "zstd", &frame, Some(ENGINE));
        let cleared = text.replacen("license_required", "no_license_required", 1);
        assert_eq!(checked(&r, &cleared, &hash, Some(ENGINE)), ["hash"]);
        let verdict = NewRecord { verdict: "no_license_required".into(), ..r.clone() };
        assert_eq!(checked(&verdict, &text, &hash, Some(ENGINE)), ["hash"]);
        let request =
            NewRecord { request: r#"{"product":"nvidia-h20","destination":"DE","n":1.5}"#.into(), ..r.clone() };
        assert_eq!(checked(&request, &text, &hash, Some(ENGINE)), ["hash"]);
        let other = r#"{"version":"0.1.0","commit":"d3613c1","source_sha256":"5e5e"}"#;
        assert_eq!(checked(&record(other), &text, &hash, Some(other)), ["hash"]);
        assert_eq!(checked(&r, &text, &"0".repeat(64), Some(ENGINE)), ["hash"]);
        let line = Line {
            id: 7,
            prev_hash: PREV,
            hash: &hash,
            record: &r,
            request_json: &r.request,
            determination_json: "{not json",
            engine_json: Some(ENGINE),
        };
        assert_eq!(check(&line).iter().map(|a| a.field.as_str()).collect::<Vec<_>>(), ["determination"]);
        let line = Line { determination_json: &cleared, ..line };
        let a = check(&line);
        assert!(a[0].to_string().starts_with("error[E0610]: `hash`: the line carries no `hashed`"), "{}", a[0]);
    }
}
