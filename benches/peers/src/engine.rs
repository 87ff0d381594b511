//! The engine under test: export-controls with the TOML pack in `pack/`.

use export_controls::{Determination, Options, PreparedProduct, Query, RuleSet, Verdict};

use crate::answer::{Answer, Licence};

/// One determination by the engine, trace off. This is the only place the benchmark calls the
/// engine: swap the call here (e.g. for a compiled fast path) and the agreement test and the
/// benchmark both follow.
#[inline]
pub fn engine_decide(rules: &RuleSet, product: &PreparedProduct, query: &Query) -> Answer {
    let d = rules.evaluate(product, query, Options { trace: false }).unwrap_or_else(|e| panic!("engine: {e}"));
    answer_of(&d)
}

/// The compared answer of a full determination.
#[inline]
pub fn answer_of(d: &Determination) -> Answer {
    let bits = |ids: &[String]| {
        ids.iter().fold(0u8, |acc, p| acc | Answer::bit(p).unwrap_or_else(|| panic!("unexpected paragraph {p}")))
    };
    let licence = match d.verdict {
        Verdict::NoLicenseRequired => Licence::NotRequired,
        Verdict::LicenseRequired => Licence::Required,
        Verdict::Indeterminate => Licence::Indeterminate,
        v => panic!("unexpected verdict {v:?} (the benchmark pack has no licence exception)"),
    };
    Answer { paragraphs: bits(&d.paragraphs), undetermined: bits(&d.undetermined_paragraphs), licence }
}
