//! An indeterminate verdict always names what is missing: `missing` is never empty when the
//! verdict is `indeterminate`. Checked over the catalog (chips and systems made of them) with
//! figures, contents and party facts taken away one by one and at random, on both readings of
//! separately packaged ICs, and against the fast path (which must agree on the verdict).

use export_controls::model::{Party, Product, ProductKind, Role};
use export_controls::ruleset::Reading;
use export_controls::{Catalog, CompiledPack, FastQuery, Options, PreparedProduct, Query, RuleSet, Scratch, Verdict};
use proptest::prelude::*;

const DESTINATIONS: [&str; 6] = ["CN", "MO", "VN", "FR", "MY", "RU"];
const DATES: [&str; 5] = ["2022-09-15", "2023-06-01", "2024-06-01", "2025-04-20", "2026-02-15"];

/// Takes figure `what` away from `p`, or from the products it contains; `None` if there is none to take.
fn strip(p: &Product, what: usize) -> Option<Product> {
    let mut p = p.clone();
    let done = match what {
        0 => p.designed_or_marketed_for_datacenter.take().is_some(),
        1 => p.interconnect_bandwidth_gbps.take().is_some(),
        2 => p.memory.take().is_some(),
        3 => p.commercially_available_in_us.take().is_some(),
        4 => p.transistors.take().is_some(),
        5 => !std::mem::take(&mut p.logic_dies).is_empty(),
        6 => !std::mem::take(&mut p.processing_units).is_empty(),
        // A system: forget what it contains, or the figures of one contained product.
        7 => !std::mem::take(&mut p.contains).is_empty(),
        8 => p.contains.first_mut().and_then(|c| c.sheet.take()).is_some(),
        9 => match p.contains.first_mut().and_then(|c| c.sheet.as_mut()) {
            Some(s) => !std::mem::take(&mut s.processing_units).is_empty() || s.memory.take().is_some(),
            None => false,
        },
        _ => {
            p.vendor.is_empty() || {
                p.vendor.clear();
                true
            }
        }
    };
    done.then_some(p)
}

fn parties() -> Vec<Vec<Party>> {
    let mut unknown_hq = Party::new(Role::EndUser);
    unknown_hq.name = Some("Example Buyer".into());
    unknown_hq.country = Some("MY".parse().unwrap());
    vec![Vec::new(), vec![unknown_hq]]
}

/// The invariant, and the fast path's agreement, for one product and query.
fn check(rules: &RuleSet, pack: &CompiledPack, scratch: &mut Scratch, p: &PreparedProduct, q: &Query) {
    let d = rules.evaluate(p, q, Options::default()).unwrap();
    if d.verdict == Verdict::Indeterminate {
        assert!(
            !d.missing.is_empty(),
            "{} to {} on {} with {} parties is indeterminate but names nothing missing",
            p.product().id,
            q.destination,
            q.date,
            q.parties.len()
        );
    }
    let parties = pack.prepare_parties(&q.parties);
    let fast = pack.decide(p, &FastQuery::of(q, &parties), scratch).unwrap();
    assert_eq!(fast.verdict, d.verdict, "{} to {} on {}: fast path differs", p.product().id, q.destination, q.date);
}

#[test]
fn an_indeterminate_verdict_always_names_what_is_missing() {
    let catalog = Catalog::shipped().unwrap();
    for reading in Reading::ALL {
        let rules = RuleSet::shipped().unwrap().with_reading(reading);
        let pack = CompiledPack::new(rules.clone());
        let mut scratch = Scratch::default();
        let mut indeterminate = 0;
        for product in catalog.iter() {
            let variants: Vec<PreparedProduct> = std::iter::once(product.clone())
                .chain((0..11).filter_map(|w| strip(product.product(), w)).map(PreparedProduct::new))
                .collect();
            for p in &variants {
                for to in DESTINATIONS {
                    for on in DATES {
                        for ps in parties() {
                            let mut q = Query::export_to(to.parse().unwrap(), on.parse().unwrap());
                            q.parties = ps;
                            check(&rules, &pack, &mut scratch, p, &q);
                            let d = rules.evaluate(p, &q, Options::default()).unwrap();
                            indeterminate += usize::from(d.verdict == Verdict::Indeterminate);
                        }
                    }
                }
            }
        }
        assert!(indeterminate > 100, "{reading:?}: only {indeterminate} indeterminate determinations were checked");
    }
}

static CATALOG: std::sync::LazyLock<Catalog> = std::sync::LazyLock::new(|| Catalog::shipped().unwrap());
static RULES: std::sync::LazyLock<RuleSet> = std::sync::LazyLock::new(|| RuleSet::shipped().unwrap());

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Any combination of figures taken away, from chips and from systems and their contents.
    #[test]
    fn any_figures_taken_away_leave_missing_named(
        pick in 0usize..1000, removals in prop::collection::vec(0usize..11, 0..5),
        to in prop::sample::select(DESTINATIONS.to_vec()), on in prop::sample::select(DATES.to_vec()),
        aggregate: bool,
    ) {
        let catalog = &*CATALOG;
        let base = catalog.iter().nth(pick % catalog.len()).unwrap();
        let mut p = base.product().clone();
        for w in removals {
            if let Some(q) = strip(&p, w) {
                p = q;
            }
        }
        let rules = if aggregate { RULES.with_reading(Reading::Aggregate) } else { RULES.clone() };
        let prepared = PreparedProduct::new(p);
        let q = Query::export_to(to.parse().unwrap(), on.parse().unwrap());
        let d = rules.evaluate(&prepared, &q, Options::default()).unwrap();
        prop_assert!(
            d.verdict != Verdict::Indeterminate || !d.missing.is_empty(),
            "{} to {to} on {on}: indeterminate with nothing missing", prepared.product().id
        );
        if prepared.product().kind == ProductKind::Computer && prepared.product().contains.is_empty() && d.verdict == Verdict::Indeterminate {
            prop_assert!(d.missing.iter().any(|m| m == "contains"), "{:?}", d.missing);
        }
    }
}

/// The tester's stand-alone HBM3E stack (probe3/sheets/probe-hbm3e-stack.toml: 1,229 GB/s over
/// 110 mm², memory bandwidth density 11.17 > 2, so 3A090.c: 15 CFR 774 Supp. No. 1, 89 FR 96790).
fn hbm_stack() -> Product {
    let text = "id = \"probe-hbm3e-stack\"\nname = \"Probe HBM stack\"\nvendor = \"Example\"\nkind = \"memory\"\n\n\
        [memory]\nkind = \"HBM3E\"\nbandwidth = 1229\ncapacity = 36\nhbm = true\nstack_area = 110\n";
    export_controls::model::parse_product_sheet(&export_controls::ruleset::SourceFile::new("hbm.toml", text)).unwrap()
}

/// A memory stack: 3A090.a and .b classify integrated circuits by TPP and performance density,
/// never a stand-alone memory (15 CFR 774 Supp. No. 1; a memory with a processor's figures is
/// refused, E0218), so a memory stack is never 3A090.a or .b and no notice about 3A090.a items
/// "may apply" to it. Over the stack with its figures taken away one by one, every destination
/// and date; and an indeterminate verdict still names what is missing. (The 2022 and 2025 "is
/// informed" letters' requirements still read `tpp`, `interconnect_bandwidth` and
/// `designed_or_marketed_for_datacenter` of any product, so those may be named beside a
/// definite verdict: see README, Verdicts.)
#[test]
fn a_memory_stack_is_never_3a090a_or_b_and_gets_no_3a090a_notice() {
    let rules = RuleSet::shipped().unwrap();
    let full = hbm_stack();
    let mut variants = vec![full.clone()];
    for w in 0..11 {
        variants.extend(strip(&full, w));
    }
    let mut definite = 0;
    for p in variants.into_iter().map(PreparedProduct::new) {
        for to in DESTINATIONS.iter().chain(&["VN", "IN", "AE"]) {
            for on in DATES.iter().chain(&["2025-01-15"]) {
                let q = Query::export_to(to.parse().unwrap(), on.parse().unwrap());
                let d = rules.evaluate(&p, &q, Options::default()).unwrap();
                assert!(d.verdict != Verdict::Indeterminate || !d.missing.is_empty(), "{to} {on}: nothing missing");
                assert!(!d.eccns.iter().any(|e| e == "3A090.a" || e == "3A090.b"), "{to} on {on}: {:?}", d.eccns);
                assert!(
                    !d.warnings.iter().any(|w| w.starts_with("May apply") && w.contains("3A090.a")),
                    "{to} on {on}: {:?}",
                    d.warnings
                );
                definite += usize::from(d.verdict != Verdict::Indeterminate);
            }
        }
    }
    assert!(definite > 20, "only {definite} definite verdicts were checked");
}

/// Tester finding P7: the stack to Viet Nam on 2025-01-15 by an exporter that is not a
/// front-end fabricator or OSAT is 3A090.c (memory bandwidth density 11.17 > 2, 89 FR 96790)
/// with no licence required (the verdict the tester checked against the reference, probe3
/// FINDINGS Part 2: "MBD 11.17 → 3A090.c, CN 2025-01-15 LR, VN NLR"); a memory stack is not a
/// 3A090.a item, so the AI Diffusion notices about 3A090.a items (90 FR 4544) do not concern it,
/// and nothing is missing.
#[test]
fn the_testers_hbm_stack_to_vietnam_is_3a090c_with_nothing_missing() {
    let rules = RuleSet::shipped().unwrap();
    let p = PreparedProduct::new(hbm_stack());
    let q = Query::export_to("VN".parse().unwrap(), "2025-01-15".parse().unwrap()).with_exporter(
        export_controls::model::Exporter { front_end_fabricator_or_osat: Some(false), ..Default::default() },
    );
    let d = rules.evaluate(&p, &q, Options::default()).unwrap();
    assert_eq!(d.eccns, ["3A090.c"]);
    assert_eq!(d.verdict, Verdict::NoLicenseRequired);
    assert_eq!(d.missing, Vec::<String>::new());
    assert!(!d.warnings.iter().any(|w| w.contains("3A090.a")), "{:?}", d.warnings);
}
