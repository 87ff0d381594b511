//! Tamper evidence: the committed rules.lock matches the shipped pack, changes are named, and a
//! determination replays to the same bytes with the pack that made it.

mod common;

use common::pack_files;

use std::path::Path;

use export_controls::audit::{Lock, ReplayError, replay};
use export_controls::ruleset::{SourceFile, compile};
use export_controls::{Catalog, Options, Query, RuleSet};

#[test]
fn the_committed_lock_matches_the_shipped_pack() {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/us-ear/rules.lock")).unwrap();
    let lock: Lock = toml::from_str(&text).unwrap();
    let diffs = lock.differences(&RuleSet::shipped().unwrap());
    assert!(
        diffs.is_empty(),
        "rules changed since rules.lock was written: {diffs:?}\nreview, then run `cargo run -- lock` and commit rules/us-ear/rules.lock"
    );
}

#[test]
fn an_edit_is_named_and_changes_the_hash() {
    let files = pack_files();
    let before = compile(&files).unwrap();
    let lock = Lock::of(&before);
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
    assert_ne!(before.pack.sha256, after.pack.sha256);
    assert_eq!(lock.differences(&after), ["changed: embargoes.toml"]);
    let mut reversed = edited.clone();
    reversed.reverse();
    assert_eq!(compile(&reversed).unwrap().pack.sha256, after.pack.sha256, "file order must not matter");
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
