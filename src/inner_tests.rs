//! Tests across the crate's modules that need its insides ([`crate`]'s `inner_tests`).
//!
//! Moved from `src/evaluate/fast.rs` (round 17, item 6), where they imported the catalog, a
//! module above the evaluator. They cannot be integration tests: the public API builds a pack
//! without its index only when the index would exceed its limits (`MAX_INDEX_WORK`, 64 Mi
//! epoch × rule units, in src/ruleset/index.rs), a pack far too large to write for a test.

use crate::evaluate::{FastQuery, Scratch, Verdict};
use crate::model::Country;
use crate::{Catalog, CompiledPack, RuleSet};

/// A pack too large to index is decided by scanning its rules: the same decisions and
/// paragraphs as the indexed pack, for every catalog product to every country on four dates
/// across the rules' texts (as the test did in src/evaluate/fast.rs).
#[test]
fn without_the_index_decisions_are_the_same() {
    let indexed = CompiledPack::new(RuleSet::shipped().unwrap());
    assert!(indexed.epochs().is_some_and(|n| n > 10));
    let mut rules = RuleSet::shipped().unwrap();
    rules.compiled.index = None;
    let scanned = CompiledPack::new(rules);
    assert_eq!(scanned.epochs(), None);
    let catalog = Catalog::shipped().unwrap();
    let (mut a, mut b) = (Scratch::default(), Scratch::default());
    let mut seen = std::collections::BTreeSet::new();
    for p in catalog.iter() {
        for to in Country::all() {
            for on in ["2022-10-21", "2023-11-17", "2025-01-20", "2025-09-29"] {
                let q = FastQuery::export_to(to, on.parse().unwrap());
                let x = indexed.decide(p, &q, &mut a);
                let y = scanned.decide(p, &q, &mut b);
                assert_eq!(x, y, "{} to {to} on {on}", p.product().id);
                assert!(a.paragraphs(&indexed).eq(b.paragraphs(&scanned)));
                if let Ok(d) = x {
                    seen.insert(d.verdict);
                }
            }
        }
    }
    assert!(seen.contains(&Verdict::LicenseRequired) && seen.contains(&Verdict::NoLicenseRequired));
}
