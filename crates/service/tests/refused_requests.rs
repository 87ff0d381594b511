//! tester16 D2: a stored record whose request today's engine refuses (a check added after the
//! record was made: E0528, or E0523's U+FFFD in a name) was exported and verified as altered
//! (E0605, "disagree"). A record must be reproducible for five years (15 CFR 762.6) across
//! engine upgrades: made by another engine, such a request is E0612 (refused by this engine's
//! checks, not compared, not shown altered), which `records export` writes and warns of; made
//! by this engine (which accepted it when it recorded it), it is still E0605.

mod common;

use common::*;
use export_controls::Engine;
use export_controls_service::records::check::{self, Disagreement};
use export_controls_service::records::engine::RecordEngine;
use export_controls_service::records::{self, NewRecord};

const ID: &str = "nvidia-h20";

fn shipped_sheet() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../rules/products/nvidia-h20.toml")).unwrap()
}

/// The H20's sheet with U+FFFD (a byte lost in decoding) in its name: refused by E0523 since
/// tester16 F2, accepted before.
fn refused_sheet() -> String {
    let s = shipped_sheet();
    let out = s.replacen("name = \"HGX H20", "name = \"HGX H\u{FFFD}20", 1);
    assert_ne!(out, s, "the sheet's name line moved");
    out
}

/// The column of an engine other than this build.
fn other_engine() -> String {
    let mut e = Engine::current().clone();
    e.commit = "0123456789abcdef0123456789abcdef01234567".into();
    e.source_sha256 = "ab".repeat(32);
    serde_json::to_string(&RecordEngine::Known(e)).unwrap()
}

/// A record of the H20 to China on 2025-04-20 decided on the shipped sheet, whose request
/// carries `sheet` inline, made by `engine`.
fn record(sheet: &str, engine: String) -> NewRecord {
    record_to_cn_2025(ID, ("product_sheet", sheet.into()), engine)
}

fn disagreements(r: &NewRecord) -> Vec<Disagreement> {
    check::disagreements(r, &export_controls::Catalog::shipped().unwrap())
}

#[test]
fn the_same_record_on_the_sheet_accepted_today_agrees_with_itself() {
    // The control: the setup below differs from a whole record only by the refused name.
    assert_eq!(disagreements(&record(&shipped_sheet(), other_engine())), []);
    assert_eq!(disagreements(&record(&shipped_sheet(), RecordEngine::current_column())), []);
}

#[test]
fn a_request_refused_by_a_check_added_since_is_e0612_not_an_alteration() {
    let d = disagreements(&record(&refused_sheet(), other_engine()));
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].code.to_string(), "E0612");
    assert_eq!(d[0].column, "request.product_sheet");
    assert!(d[0].message.contains("error[E0523]"), "{}", d[0].message);
    assert!(!d[0].is_alteration());
}

#[test]
fn a_request_this_engine_made_and_now_refuses_is_still_e0605() {
    let d = disagreements(&record(&refused_sheet(), RecordEngine::current_column()));
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].code.to_string(), "E0605");
    assert_eq!(d[0].column, "request.product_sheet");
    assert!(d[0].is_alteration());
}

#[test]
fn records_export_writes_it_unchecked_not_flagged() {
    let dir = temp_dir("refused-requests-export");
    let url = format!("sqlite:{}", dir.join("records.db").display());
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let summary = rt.block_on(async {
        let store = records::open(&url).await.unwrap();
        store
            .append(vec![
                record(&refused_sheet(), other_engine()),
                record(&refused_sheet(), RecordEngine::current_column()),
                record(&shipped_sheet(), other_engine()),
            ])
            .await
            .unwrap();
        let catalog = export_controls::Catalog::shipped().unwrap();
        let mut out = Vec::new();
        records::export_checked(store.as_ref(), None, &catalog, &mut out).await.unwrap()
    });
    assert_eq!(summary.written, 3);
    assert_eq!(summary.unchecked, [1]);
    assert_eq!(summary.flagged, [2]);
    std::fs::remove_dir_all(&dir).ok();
}
