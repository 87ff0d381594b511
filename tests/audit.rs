//! Tamper evidence: the committed rules.lock matches the shipped pack, changes are named, and a
//! determination replays to the same bytes with the pack that made it.

mod common;

use common::{copy_shipped_pack, edit_file, pack_files, temp_dir};

use std::path::Path;

use export_controls::audit::{Lock, ReplayError, pack_status, replay};
use export_controls::ruleset::{SourceFile, compile, pack_hash_input};
use export_controls::{Catalog, Options, Query, RuleSet};

#[test]
fn the_committed_lock_matches_the_shipped_pack() {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/us-ear/rules.lock")).unwrap();
    let lock: Lock = toml::from_str(&text).unwrap();
    let diffs = lock.differences(&Lock::shipped().unwrap());
    assert!(
        diffs.is_empty(),
        "rules changed since rules.lock was written: {diffs:?}\nreview, then run `cargo run -- lock` and commit rules/us-ear/rules.lock"
    );
}

#[test]
fn an_edit_is_named_and_changes_the_hash() {
    let files = pack_files();
    let before = compile(&files).unwrap();
    let lock = Lock::new(&before, &[]);
    // A comment-only edit is a change too: the reviewed text is what is hashed.
    let edited: Vec<SourceFile> = files
        .into_iter()
        .map(|mut f| {
            if f.path == "embargoes.toml" {
                f.text.push_str("# reviewed\n");
            }
            f
        })
        .collect();
    let after = compile(&edited).unwrap();
    assert_ne!(before.pack().sha256, after.pack().sha256);
    assert_eq!(
        lock.differences(&Lock::new(&after, &[])),
        ["changed: embargoes.toml", "version: still 0.1.50 though the content changed: raise `version` in pack.toml"]
    );
    let mut reversed = edited.clone();
    reversed.reverse();
    assert_eq!(compile(&reversed).unwrap().pack().sha256, after.pack().sha256, "file order must not matter");
}

#[test]
fn a_determination_replays_to_the_same_bytes() {
    let rules = RuleSet::shipped().unwrap();
    let catalog = Catalog::shipped().unwrap();
    let mut q = Query::export_to("MY".parse().unwrap(), "2024-06-01".parse().unwrap());
    let mut p = export_controls::model::Party::new(export_controls::model::Role::EndUser);
    p.name = Some("Example Sdn Bhd".into());
    p.country = "MY".parse().ok();
    p.headquarters = "MY".parse().ok();
    p.parent_headquarters = "CN".parse().ok();
    q.parties.push(p);
    let d = rules.evaluate(catalog.get("nvidia-h100-sxm5-80gb").unwrap(), &q, Options { trace: true }).unwrap();
    let json = serde_json::to_string_pretty(&d).unwrap();
    assert_eq!(replay(&json, &rules), Ok(()));
    // Tampering with the recorded verdict is caught.
    let tampered = json.replacen("\"verdict\": \"license_required\"", "\"verdict\": \"no_license_required\"", 1);
    assert!(matches!(replay(&tampered, &rules), Err(ReplayError::Differs { ref path, .. }) if path == "verdict"));
    // Re-formatting the stored JSON (compact, no indentation) does not matter.
    let compact = serde_json::to_string(&serde_json::from_str::<serde_json::Value>(&json).unwrap()).unwrap();
    assert_eq!(replay(&compact, &rules), Ok(()));
    // A different pack is refused before anything is evaluated.
    let mut files = pack_files();
    files.iter_mut().find(|f| f.path == "notices.toml").unwrap().text.push('\n');
    let other = compile(&files).unwrap();
    assert!(matches!(replay(&json, &other), Err(ReplayError::WrongPack { .. })));
}

/// The hex sha256 of bytes.
fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn every_file_is_framed_in_the_pack_hash() {
    // Under the old input (path, "\n", length, "\n", text per file) these two packs gave the
    // same bytes, hence the same sha256: a file name can hold a line break.
    let two = [SourceFile::new("p.toml", "X"), SourceFile::new("q.toml", "Y")];
    let one = [SourceFile::new("p.toml\n1\nXq.toml", "Y")];
    let old = |files: &[SourceFile]| -> String {
        files.iter().map(|f| format!("{}\n{}\n{}", f.path, f.text.len(), f.text)).collect()
    };
    assert_eq!(old(&two), old(&one));
    assert_ne!(pack_hash_input(&two), pack_hash_input(&one));
    // Each field is its length as 8 bytes big-endian, then its bytes.
    let framed = pack_hash_input(&[SourceFile::new("a.toml", "bc")]);
    assert_eq!(framed, [&6u64.to_be_bytes()[..], b"a.toml", &2u64.to_be_bytes()[..], b"bc"].concat());
    // The pack's sha256 is that of the framed files in path order.
    let files = pack_files();
    assert_eq!(compile(&files).unwrap().pack().sha256, sha256_hex(&pack_hash_input(&files)));
    assert_eq!(RuleSet::shipped().unwrap().pack().sha256, sha256_hex(&pack_hash_input(&files)));
}

#[test]
fn a_file_name_with_a_control_character_is_refused() {
    let mut files = pack_files();
    files.push(SourceFile::new("notes.toml\n5\n", ""));
    let err = compile(&files).unwrap_err();
    assert_eq!(err.0.len(), 1, "{err}");
    let d = &err.0[0];
    assert_eq!((d.code.as_str(), d.file.as_str()), ("E0307", "notes.toml\\n5\\n"));
    assert_eq!(
        d.message,
        "the file name `notes.toml\\n5\\n` holds a control character (a line break, a tab): rename it"
    );
    // The rendered diagnostic stays on its lines.
    assert_eq!(d.to_string().lines().count(), 1);
}

#[test]
fn the_lock_covers_the_rule_tests_and_a_changed_pack_must_change_its_version() {
    let shipped = Lock::shipped().unwrap();
    assert!(
        shipped.files.contains_key("tests/hbm.toml")
            && shipped.files.contains_key("tests/sheets/example-l20-server.toml")
    );
    let dir = temp_dir("lock-status");
    copy_shipped_pack(&dir);
    let status = pack_status(&dir).unwrap();
    assert!(status.is_locked(), "{:?}", status.differences);

    // A rule test is part of what was reviewed.
    let hbm = dir.join("tests/hbm.toml");
    std::fs::write(&hbm, std::fs::read_to_string(&hbm).unwrap() + "# edited\n").unwrap();
    let v = &shipped.version;
    assert_eq!(
        pack_status(&dir).unwrap().differences,
        [
            "changed: tests/hbm.toml".to_string(),
            format!("version: still {v} though the content changed: raise `version` in pack.toml")
        ]
    );
    // With a new version, only the changes are named.
    edit_file(&dir.join("pack.toml"), &format!("version = \"{v}\""), "version = \"9.9.9\"");
    assert_eq!(
        pack_status(&dir).unwrap().differences,
        [format!("version: locked {v}, found 9.9.9"), "changed: pack.toml".into(), "changed: tests/hbm.toml".into()]
    );
    // A pack that was never locked.
    std::fs::remove_file(dir.join("rules.lock")).unwrap();
    assert_eq!(pack_status(&dir).unwrap().differences, ["no rules.lock: the pack was never locked"]);
    std::fs::remove_dir_all(&dir).ok();
}

/// A determination of the H100 to an end user in MY whose parent is headquartered in China,
/// as JSON, and the rules that made it.
fn recorded() -> (String, RuleSet) {
    let rules = RuleSet::shipped().unwrap();
    let catalog = Catalog::shipped().unwrap();
    let mut q = Query::export_to("MY".parse().unwrap(), "2024-06-01".parse().unwrap());
    let mut p = export_controls::model::Party::new(export_controls::model::Role::EndUser);
    p.name = Some("Example Sdn Bhd".into());
    p.country = "MY".parse().ok();
    p.headquarters = "MY".parse().ok();
    p.parent_headquarters = "CN".parse().ok();
    q.parties.push(p);
    let d = rules.evaluate(catalog.get("nvidia-h100-sxm5-80gb").unwrap(), &q, Options { trace: true }).unwrap();
    (serde_json::to_string_pretty(&d).unwrap(), rules)
}

/// The diagnostics of a replay that must be refused as invalid.
fn invalid(json: &str, rules: &RuleSet) -> Vec<export_controls::Diagnostic> {
    match replay(json, rules) {
        Err(ReplayError::Invalid(d)) => d.0,
        other => panic!("expected an invalid determination, got {other:?}"),
    }
}

#[test]
fn a_key_written_twice_is_refused_at_any_depth() {
    let (json, rules) = recorded();
    assert_eq!(replay(&json, &rules), Ok(()));
    // A second "verdict" at the end would win in a plain JSON reader.
    let forged =
        format!("{},\n  \"verdict\": \"no_license_required\"\n}}", json.trim_end().trim_end_matches('}').trim_end());
    let d = invalid(&forged, &rules);
    assert_eq!((d[0].code.as_str(), d[0].column), ("E0602", 3), "{}", d[0]);
    assert_eq!(d[0].line, forged.lines().count() - 1);
    assert_eq!(d[0].message, "the key `verdict` is written twice in one object: a determination has each key once");
    // Inside an array of objects, and with the key written with an escape.
    let nested = json.replacen(
        "\"review_policy\": ",
        "\"review_policy\": \"policy_of_denial\",\n      \"review_\\u0070olicy\": ",
        1,
    );
    let d = invalid(&nested, &rules);
    assert_eq!(d[0].code, "E0602");
    assert!(
        d[0].source_line.as_deref().unwrap().trim_start().starts_with("\"review_\\u0070olicy\""),
        "{}",
        d[0].render()
    );
    assert_eq!(
        d[0].message,
        "the key `review_policy` is written twice in one object: a determination has each key once"
    );
}

#[test]
fn recorded_inputs_are_checked_as_a_sheet_and_a_transaction_file_are() {
    let (json, rules) = recorded();
    let edit = |f: &dyn Fn(&mut serde_json::Value)| {
        let mut v: serde_json::Value = serde_json::from_str(&json).unwrap();
        f(&mut v);
        serde_json::to_string_pretty(&v).unwrap()
    };
    type Edit<'a> = &'a dyn Fn(&mut serde_json::Value);
    let cases: [(&str, Edit); 6] = [
        ("E0202", &|v| v["inputs"]["product"]["logic_dies"][0]["area_mm2"] = "0".into()),
        ("E0201", &|v| v["inputs"]["product"]["processing_units"][0]["rates"][0]["tops"] = "-34".into()),
        ("E0203", &|v| v["inputs"]["product"]["id"] = "NVIDIA H100".into()),
        ("E0205", &|v| v["inputs"]["product"]["year"] = 20.into()),
        ("E0505", &|v| v["inputs"]["parties"][0]["end_uses"] = serde_json::json!(["supercomputers"])),
        ("E0506", &|v| {
            v["inputs"]["parties"][0]["owner"] =
                serde_json::json!([{"name": "A", "percent": "70"}, {"name": "B", "percent": "40"}])
        }),
    ];
    // Another pack: the inputs are refused before the pack is compared.
    let mut files = pack_files();
    files.iter_mut().find(|f| f.path == "notices.toml").unwrap().text.push('\n');
    let other = compile(&files).unwrap();
    for (code, f) in cases {
        let forged = edit(f);
        for r in [&rules, &other] {
            let d = invalid(&forged, r);
            assert_eq!(d[0].code, code, "{}", d[0].render());
            assert!(d[0].message.starts_with("`inputs."), "{}", d[0]);
        }
    }
}

#[test]
fn a_determination_made_under_an_unlocked_pack_says_so_and_replays_only_so() {
    let (json, rules) = recorded();
    assert!(!json.contains("unlocked"), "a determination under a locked pack has no `unlocked` key");
    let mut unlocked = rules.clone();
    unlocked.mark_unlocked("changed: ccl-3a090.toml");
    let catalog = Catalog::shipped().unwrap();
    let q = Query::export_to("CN".parse().unwrap(), "2024-06-01".parse().unwrap());
    let d = unlocked.evaluate(catalog.get("nvidia-h20").unwrap(), &q, Options { trace: true }).unwrap();
    assert!(d.rules.unlocked);
    assert!(d.scope[0].starts_with("UNLOCKED PACK: the rule pack us-ear"), "{:?}", d.scope);
    assert!(d.scope[0].contains("(changed: ccl-3a090.toml)"), "{}", d.scope[0]);
    assert!(d.explain(false).lines().nth(3).unwrap().contains("UNLOCKED PACK"), "{}", d.explain(false));
    assert!(d.explain_decisive().contains("UNLOCKED PACK"));
    let text = serde_json::to_string_pretty(&d).unwrap();
    assert_eq!(replay(&text, &unlocked), Ok(()));
    // The same rules, locked, do not replay it: the record says it was unlocked.
    assert!(matches!(replay(&text, &rules), Err(ReplayError::Differs { ref path, .. }) if path == "rules.unlocked"));
}

/// Tester finding N8: a record whose trace was emptied or removed lost the part that explains
/// its verdict; replay always re-runs with the trace, so it differs at `trace`.
#[test]
fn a_record_whose_trace_was_emptied_or_removed_does_not_replay_identical() {
    let (json, rules) = recorded();
    let mut v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let steps = v["trace"].as_array().unwrap().len();
    assert!(steps > 0, "check --format json records the trace");
    v["trace"] = serde_json::json!([]);
    let emptied = serde_json::to_string_pretty(&v).unwrap();
    match replay(&emptied, &rules) {
        Err(ReplayError::Differs { path, recorded, replayed }) => {
            assert_eq!((path.as_str(), recorded.as_str()), ("trace", "0 items"));
            assert_eq!(replayed, format!("{steps} items"));
        }
        other => panic!("an emptied trace replayed as {other:?}"),
    }
    v.as_object_mut().unwrap().remove("trace");
    let removed = serde_json::to_string_pretty(&v).unwrap();
    match replay(&removed, &rules) {
        Err(ReplayError::Differs { path, recorded, .. }) => {
            assert_eq!((path.as_str(), recorded.as_str()), ("trace", "(absent)"))
        }
        other => panic!("a removed trace replayed as {other:?}"),
    }
}
