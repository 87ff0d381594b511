// The bodies of the fuzz targets, one public function per target, each taking the raw input.
//
// fuzz/fuzz_targets/<target>.rs calls `export_controls_fuzz::<target>`; tests/fuzz_regressions.rs
// in the main crate pulls this file in with `include!` and replays fuzz/corpus/<target>/ and
// fuzz/regressions/<target>/ through the same functions. So: no inner attributes or inner doc
// comments here (`include!` refuses them), and only dependencies the main crate also has
// (export-controls, serde_json).
//
// Every function must not panic, whatever the input. Inputs are read as UTF-8 with invalid
// sequences replaced, as the loaders only ever see `String`s. A pack compiled from a fuzzed rule
// file is also decided by both evaluation paths, which must agree (`agreement::check`, shared
// with tests/pack_agreement.rs): a disagreement panics, as a crash.

use std::borrow::Cow;
use std::sync::OnceLock;

use export_controls::model::{Owner, Party, Role, Transaction, parse_product_sheet};
use export_controls::rule_tests::{parse_test_files, run_cases, shipped_test_files, split_sheets};
use export_controls::ruleset::condition::{self, Env, Truth};
use export_controls::ruleset::vocabulary::{Attr, Value};
use export_controls::ruleset::{Diagnostic, SourceFile, compile};
use export_controls::{Catalog, CompiledPack, Country, Date, Options, PreparedProduct, Query, RuleSet, Scratch};

/// The agreement check of the two evaluation paths (fuzz/src/agreement.rs).
pub mod agreement {
    include!("agreement.rs");
}

/// The product used for a transaction whose `product` is not in the catalog.
pub const FALLBACK_PRODUCT: &str = "nvidia-h100-sxm5-80gb";

/// Destination, country of export and date of the queries run on fuzzed product sheets and
/// on the packs compiled from fuzzed rule files: an export to D:5, a reexport, an export to a
/// destination outside the groups, across the dates the rules change.
pub const QUERIES: [(&str, &str, &str); 3] =
    [("CN", "US", "2024-06-01"), ("CN", "HK", "2025-04-20"), ("AE", "US", "2026-02-01")];

/// Catalog products evaluated against packs compiled from fuzzed rule files.
pub const PRODUCTS: [&str; 2] = ["nvidia-h100-sxm5-80gb", "nvidia-h20"];

fn text(data: &[u8]) -> Cow<'_, str> {
    String::from_utf8_lossy(data)
}

/// The shipped rule pack, compiled once.
pub fn shipped_rules() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(|| RuleSet::shipped().expect("the shipped pack compiles"))
}

/// The shipped catalog with the rule tests' illustrative sheets (rules/us-ear/tests/sheets),
/// as the shipped rule tests use it.
pub fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        let (_, sheets) = split_sheets(shipped_test_files());
        let shipped = Catalog::shipped().expect("the shipped catalog loads");
        shipped.with_sheets(&sheets).expect("the rule tests' sheets load")
    })
}

/// The shipped pack's `pack.toml`, embedded at build time.
pub fn shipped_pack_toml() -> SourceFile {
    SourceFile::new("pack.toml", include_str!("../../rules/us-ear/pack.toml"))
}

/// Renders diagnostics as the crate shows them (one renderer: each alone, and the batch as the
/// CLI and the service print it).
pub fn render_diagnostics(diags: &[Diagnostic]) {
    for d in diags {
        let _ = d.render();
    }
    let _ = export_controls::Diagnostics(diags.to_vec()).to_string();
}

/// Evaluates a product with the trace on and renders the determination every way.
pub fn evaluate(rules: &RuleSet, product: &PreparedProduct, query: &Query) {
    if let Ok(d) = rules.evaluate(product, query, Options { trace: true }) {
        let _ = d.explain(true);
        let _ = d.explain_decisive();
        let _ = serde_json::to_string(&d);
    }
    let _ = rules.evaluate(product, query, Options { trace: false });
}

fn fixed_queries() -> impl Iterator<Item = Query> {
    QUERIES.iter().map(|(to, from, on)| {
        let to: Country = to.parse().expect("a country");
        let from: Country = from.parse().expect("a country");
        let on: Date = on.parse().expect("a date");
        Query::export_to(to, on).exported_from(from)
    })
}

/// A condition read against a catalog product; `meets(...)` is unknown.
struct ProductEnv<'a>(&'a PreparedProduct);

impl Env for ProductEnv<'_> {
    fn value(&self, attr: Attr) -> Option<Value> {
        self.0.value(attr)
    }
    fn meets(&self, _rules: &[usize]) -> Truth {
        Truth::Unknown
    }
}

/// Target `condition`: parses a condition; its error span must lie inside the text (as
/// documented); a parsed condition is evaluated on every catalog product, with and without the
/// trace, which must agree.
pub fn condition(data: &[u8]) {
    let src = text(data);
    match condition::parse(&src) {
        Ok(expr) => {
            for product in catalog().iter() {
                let env = ProductEnv(product);
                let mut trace = Vec::new();
                let traced = expr.eval(&env, Some(&mut trace));
                let plain = expr.eval(&env, None);
                assert_eq!(traced, plain, "the trace changed the truth of `{src}` for {}", product.product().id);
                let mut unknown = Vec::new();
                expr.unknown_attrs(&env, &mut unknown);
                for c in &trace {
                    let _ = serde_json::to_string(c);
                }
            }
        }
        Err(e) => {
            assert!(
                e.span.start <= e.span.end && src.get(e.span.clone()).is_some(),
                "error span {:?} is not inside the condition {src:?} ({} bytes): {}",
                e.span,
                src.len(),
                e.message
            );
        }
    }
}

/// Target `rule_file`: compiles a pack of the shipped `pack.toml` and the input as a rule file
/// (`fuzz.toml`), then a pack whose `pack.toml` is the input; a pack that compiles is linted,
/// evaluated for catalog products, and decided by both evaluation paths, which must agree.
pub fn rule_file(data: &[u8]) {
    let _ = decide_rule_file(data);
}

/// The body of [`rule_file`]: returns how many (product, query) pairs both paths decided or
/// refused alike (none when neither pack compiles).
pub fn decide_rule_file(data: &[u8]) -> usize {
    let text = text(data);
    compile_and_evaluate(&[shipped_pack_toml(), SourceFile::new("fuzz.toml", text.clone())])
        + compile_and_evaluate(&[SourceFile::new("pack.toml", text)])
}

fn compile_and_evaluate(files: &[SourceFile]) -> usize {
    match compile(files) {
        Ok(rules) => {
            let findings = export_controls::lint::lint(&rules);
            let _ = export_controls::lint::render(&findings);
            for id in PRODUCTS {
                let product = catalog().get(id).expect("in the catalog");
                for q in fixed_queries() {
                    evaluate(&rules, product, &q);
                }
            }
            decide_both_ways(&CompiledPack::new(rules))
        }
        Err(d) => {
            let _ = d.to_string();
            render_diagnostics(&d.0);
            0
        }
    }
}

/// Products decided by both paths on packs compiled from fuzzed rule files: the catalog
/// [`PRODUCTS`], and the first of them without its logic dies (die area, hence performance
/// density, unknown).
pub fn agreement_products() -> &'static [PreparedProduct] {
    static PRODUCTS_: OnceLock<Vec<PreparedProduct>> = OnceLock::new();
    PRODUCTS_.get_or_init(|| {
        let get = |id: &str| catalog().get(id).expect("in the catalog");
        let mut out: Vec<PreparedProduct> = PRODUCTS.iter().map(|id| get(id).clone()).collect();
        let mut no_dies = get(PRODUCTS[0]).product().clone();
        no_dies.id = format!("{}-no-dies", no_dies.id);
        no_dies.logic_dies.clear();
        out.push(PreparedProduct::new(no_dies));
        out
    })
}

/// Queries decided by both paths on packs compiled from fuzzed rule files: the fixed [`QUERIES`];
/// an export to China with parties (a purchaser named as an Entity List alias, an end user whose
/// location, headquarters and name are unknown, owned in an unknown share by a listed entity,
/// for a supercomputer); an in-country transfer in Singapore to a party whose parent is
/// headquartered in China; not an export (US to US); a date before the shipped coverage; and
/// queries that do not state where the items ship from.
pub fn agreement_queries() -> &'static [Query] {
    static QUERIES_: OnceLock<Vec<Query>> = OnceLock::new();
    QUERIES_.get_or_init(|| {
        let q = |to: &str, from: &str, on: &str| {
            Query::export_to(to.parse().expect("a country"), on.parse().expect("a date")).exported_from(from.parse().expect("a country"))
        };
        let mut out: Vec<Query> = fixed_queries().collect();
        let mut with_parties = q("CN", "US", "2025-06-01");
        let mut purchaser = Party::new(Role::Purchaser);
        purchaser.name = Some("huawei".into());
        purchaser.country = Some("CN".parse().expect("a country"));
        purchaser.headquarters = purchaser.country;
        purchaser.parent_headquarters = purchaser.country;
        let mut end_user = Party::new(Role::EndUser);
        end_user.owners.push(Owner { name: "SMIC".into(), percent: None, list_entries: Vec::new(), screened: Vec::new(), ..Default::default() });
        end_user.end_uses.push(export_controls::model::EndUse::Supercomputer.into());
        with_parties.parties = vec![purchaser, end_user];
        out.push(with_parties);
        let mut transfer = q("SG", "SG", "2025-06-01");
        let mut consignee = Party::new(Role::UltimateConsignee);
        consignee.name = Some("Lion City Compute Pte. Ltd.".into());
        consignee.country = Some("SG".parse().expect("a country"));
        consignee.headquarters = consignee.country;
        consignee.parent_headquarters = Some("CN".parse().expect("a country"));
        transfer.parties = vec![consignee];
        out.push(transfer);
        out.push(q("US", "US", "2024-06-01"));
        out.push(q("CN", "US", "2021-06-01"));
        // Where the items ship from not stated (tester round 10, V5): the transaction kind is
        // unknown to NAC, ACA (in-country) and the 2026 review policy; and into the US.
        for (to, on) in [("CN", "2024-06-01"), ("CN", "2026-02-01"), ("AE", "2024-06-01"), ("US", "2024-06-01")] {
            out.push(q(to, "US", on).origin_not_stated());
        }
        out
    })
}

/// Decides every [`agreement_products`] × [`agreement_queries`] pair with both paths on `pack`;
/// panics on the first disagreement. Returns the number of pairs.
pub fn decide_both_ways(pack: &CompiledPack) -> usize {
    let mut scratch = Scratch::default();
    let mut n = 0;
    for product in agreement_products() {
        let classified = pack.classify_product(product.clone());
        for q in agreement_queries() {
            if let Err(e) = agreement::check(pack, &mut scratch, product, Some(&classified), q) {
                panic!(
                    "the evaluation paths disagree on {} to {} from {} on {}: {e}",
                    product.product().id, q.destination, q.exported_from.map_or_else(|| "(not stated)".to_string(), |c| c.to_string()), q.date
                );
            }
            n += 1;
        }
    }
    n
}

/// Target `product_sheet`: parses a product sheet; a product that parses is evaluated with the
/// shipped pack for a few destinations and dates.
pub fn product_sheet(data: &[u8]) {
    let src = SourceFile::new("rules/products/fuzz.toml", text(data));
    match parse_product_sheet(&src) {
        Ok(product) => {
            let prepared = PreparedProduct::new(product);
            for q in fixed_queries() {
                evaluate(shipped_rules(), &prepared, &q);
            }
        }
        Err(d) => {
            let _ = d.to_string();
            render_diagnostics(&d.0);
        }
    }
}

/// Target `transaction`: parses a transaction (TOML or JSON); one that parses is evaluated with
/// the shipped pack, for its catalog product or, when that is not in the catalog, the H100.
pub fn transaction(data: &[u8]) {
    let src = SourceFile::new("examples/transactions/fuzz.toml", text(data));
    match Transaction::parse(&src) {
        Ok(t) => {
            let product = catalog()
                .get(&t.product)
                .or_else(|| catalog().get(FALLBACK_PRODUCT))
                .expect("the fallback product is in the catalog");
            evaluate(shipped_rules(), product, &Query::of(&t));
            let _ = serde_json::to_string(&t);
        }
        Err(d) => {
            let _ = d.to_string();
            render_diagnostics(&d.0);
        }
    }
}

/// Target `rule_test`: parses a rule-test file against the catalog; cases that parse are run
/// against the shipped pack and the report is rendered every way.
pub fn rule_test(data: &[u8]) {
    let files = [SourceFile::new("rules/us-ear/tests/fuzz.toml", text(data))];
    let rules = shipped_rules();
    match parse_test_files(&files, catalog(), rules) {
        Ok(cases) => {
            let report = run_cases(rules, catalog(), cases, None);
            let _ = report.render();
            let _ = report.render_junit();
            let _ = report.render_with_coverage(rules);
            let _ = report.to_json(rules);
        }
        Err(d) => {
            let _ = d.to_string();
            render_diagnostics(&d.0);
        }
    }
}

/// Reads an input as a sequence of small choices (each byte picks one), for building values
/// in code; past the end every choice is the first.
struct Choices<'a> {
    data: &'a [u8],
    at: usize,
}

impl Choices<'_> {
    fn byte(&mut self) -> u8 {
        let b = self.data.get(self.at).copied().unwrap_or(0);
        self.at += 1;
        b
    }
    fn more(&self) -> bool {
        self.at < self.data.len()
    }
    fn pick<'t, T>(&mut self, from: &'t [T]) -> &'t T {
        let i = usize::from(self.byte()) % from.len();
        &from[i]
    }
    /// A figure as written: ordinary, zero, negative, with many decimals, huge, or absent.
    fn figure<T: std::str::FromStr>(&mut self) -> Option<T> {
        const FIGURES: [&str; 12] =
            ["1", "0", "-8", "0.000001", "5.92", "600", "4799.9999", "4800", "1e3", "79228162514264337593543950335", "1000000000000000", "2.5"];
        let s = *self.pick(&FIGURES);
        if s == "1e3" { None } else { s.parse().ok() }
    }
}

/// The shipped pack compiled for the fast path, once.
fn shipped_compiled() -> &'static CompiledPack {
    static PACK: OnceLock<CompiledPack> = OnceLock::new();
    PACK.get_or_init(|| CompiledPack::new(shipped_rules().clone()))
}

/// A party built in code from `c`: any role, a name that may be blank, invisible, full-width
/// or a look-alike, countries that may be unknown, list-entry ids that may not exist, owners
/// whose shares may exceed 100 percent, ownership stated known or not, typed end uses, and
/// attestations of any date.
fn party_in_code(c: &mut Choices<'_>) -> Party {
    const NAMES: [&str; 9] = [
        "",
        "   ",
        "\u{200b}\u{2060}",
        "Huawei Technologies Co., Ltd.",
        "\u{ff28}\u{ff55}\u{ff41}\u{ff57}\u{ff45}\u{ff49}",
        "\u{41d}uawei Technologies",
        "Sophgo Technologies Ltd.",
        "Example Trading Co.",
        "huawei",
    ];
    const COUNTRIES: [&str; 8] = ["CN", "MO", "MY", "SG", "FR", "CU", "US", "VN"];
    const IDS: [&str; 5] = ["EL:huawei-technologies", "EL:huawei-technologiez", "huawei-technologies", "", "EL:SOPHGO"];
    const DATES: [&str; 4] = ["2025-02-01", "2030-01-01", "2022-10-21", "2024-06-01"];
    let role = *c.pick(&Role::ALL);
    let mut p = Party::new(role);
    let name_choice = c.byte();
    p.name = (!name_choice.is_multiple_of(10)).then(|| NAMES[usize::from(name_choice) % NAMES.len()].to_string());
    let country = |c: &mut Choices<'_>| {
        let b = c.byte();
        (!b.is_multiple_of(5)).then(|| COUNTRIES[usize::from(b) % COUNTRIES.len()].parse().expect("a country"))
    };
    p.country = country(c);
    p.headquarters = country(c);
    p.parent_headquarters = country(c);
    for _ in 0..c.byte() % 3 {
        p.list_entries.push(c.pick(&IDS).to_string());
    }
    for _ in 0..c.byte() % 3 {
        let name = c.pick(&NAMES).to_string();
        let percent = c.figure();
        let list_entries = if c.byte().is_multiple_of(2) { Vec::new() } else { vec![c.pick(&IDS).to_string()] };
        p.owners.push(Owner { name, percent, list_entries, screened: Vec::new(), ..Default::default() });
    }
    for _ in 0..c.byte() % 3 {
        p.end_uses.push((*c.pick(&export_controls::model::EndUse::ALL)).into());
    }
    if !c.byte().is_multiple_of(2) {
        let list = if c.byte().is_multiple_of(4) { "entity-list" } else { "entity_list" };
        let on = c.pick(&DATES).parse().expect("a date");
        p.screened.push(export_controls::model::Screening { list: list.into(), list_date: on, by: None });
    }
    // Read last, so that the corpus keeps its meaning for the fields above.
    p.owners_known = c.byte().is_multiple_of(2);
    p
}

/// A catalog product changed in code from `c`: rates, rate-list completeness, die areas and
/// counts, architecture, bandwidths, the reported TPP, the kind, and contained products.
fn product_in_code(c: &mut Choices<'_>) -> export_controls::model::Product {
    use export_controls::model::{Contained, Precision, ProductKind, Rate};
    const BASES: [&str; 6] =
        ["nvidia-h100-sxm5-80gb", "nvidia-h20", "nvidia-rtx-4090", "nvidia-hgx-h20", "nvidia-l40", "nvidia-dgx-h100"];
    let id: &str = c.pick::<&str>(&BASES);
    let base = catalog().get(id).or_else(|| catalog().get(FALLBACK_PRODUCT)).expect("in the catalog");
    let mut p = base.product().clone();
    for _ in 0..c.byte() % 6 {
        match c.byte() % 12 {
            0 => {
                if let Some(u) = p.processing_units.first_mut()
                    && let Some(tops) = c.figure()
                {
                    u.rates.push(Rate { precision: *c.pick(&Precision::ALL), tops });
                }
            }
            1 => {
                if let Some(u) = p.processing_units.first_mut() {
                    u.complete = !u.complete;
                }
            }
            2 => {
                if let Some(u) = p.processing_units.first_mut() {
                    u.unsupported.push(*c.pick(&Precision::ALL));
                }
            }
            3 => {
                if let Some(d) = p.logic_dies.first_mut() {
                    d.area_mm2 = c.figure();
                }
            }
            4 => {
                if let Some(d) = p.logic_dies.first_mut() {
                    d.non_planar = [None, Some(true), Some(false)][usize::from(c.byte()) % 3];
                    d.count = u32::from(c.byte()) * 100;
                }
            }
            5 => p.interconnect_bandwidth_gbps = c.figure(),
            6 => {
                if let Some(m) = p.memory.as_mut() {
                    m.bandwidth_gbps = c.figure();
                }
            }
            7 => p.tpp_reported = c.figure(),
            8 => p.kind = *c.pick(&ProductKind::ALL),
            9 => {
                let id: &str = c.pick::<&str>(&BASES);
                let inner = catalog().get(id).map(|q| q.product().clone());
                let count = u32::from(c.byte()) * 500;
                let product = inner.as_ref().map_or_else(|| "unknown".into(), |q| q.id.clone());
                p.contains.push(Contained { product, count, sheet: inner.filter(|_| !c.byte().is_multiple_of(4)).map(Box::new) });
            }
            10 => p.contains.clear(),
            _ => p.processing_units.clear(),
        }
    }
    p
}

/// Target `library`: products, parties and queries built in code, as procurement software
/// linking the crate builds them, without any file. Checks, whatever the values: no panic;
/// [`Product::validate`](export_controls::model::Product::validate) refuses exactly what
/// [`PreparedProduct::try_new`] refuses; the explained and the fast path agree
/// ([`agreement::check`]); and an invalid product is never cleared (a determination of it is
/// `indeterminate`, or `license_required` where a requirement applies whatever its figures).
/// Then, for a product from `Product::blank` or the one above with any vendor (dotted, spaced,
/// in another script), an exporter whose role is stated or not and a region of Ukraine given or
/// not: the paths agree, and Ukraine is never cleared without its region.
pub fn library(data: &[u8]) {
    let mut c = Choices { data, at: 0 };
    let product = product_in_code(&mut c);
    let valid = product.validate().is_ok();
    assert_eq!(PreparedProduct::try_new(product.clone()).is_ok(), valid, "validate and try_new disagree");
    let prepared = PreparedProduct::new(product);
    assert_eq!(prepared.is_valid(), valid, "validate and is_valid disagree");
    let pack = shipped_compiled();
    let classified = pack.classify_product(prepared.clone());
    let mut scratch = Scratch::default();
    let mut queries: Vec<Query> = fixed_queries().collect();
    let mut q = queries[0].clone();
    while c.more() && q.parties.len() < 4 {
        q.parties.push(party_in_code(&mut c));
    }
    q.date = c.pick(&["2023-11-17", "2024-06-01", "2025-04-20", "2025-06-01"]).parse().expect("a date");
    queries.push(q);
    for q in &queries {
        match agreement::check(pack, &mut scratch, &prepared, Some(&classified), q) {
            Ok(outcome) => {
                if let Some(v) = outcome.verdict() {
                    use export_controls::Verdict::{Indeterminate, LicenseRequired};
                    assert!(
                        valid || matches!(v, Indeterminate | LicenseRequired),
                        "an invalid product was cleared ({v:?}) to {}",
                        q.destination
                    );
                }
            }
            Err(e) => panic!("the evaluation paths disagree on a value built in code: {e}"),
        }
        evaluate(shipped_rules(), &prepared, q);
    }
    // Read last, so that the corpus keeps its meaning for the choices above: facts unknown until
    // stated (whether the exporter is a front-end fabricator or OSAT; where in Ukraine the item
    // goes) and the vendor as written, on a product started from `Product::blank` or changed.
    use export_controls::model::{Exporter, Product, ProductKind, Region};
    const VENDORS: [&str; 8] = ["NVIDIA", "N.V.I.D.I.A.", "N V I D I A", "\u{82f1}\u{4f1f}\u{8fbe}", "AMD", "Example", "", "NVIDIACorp"];
    let fab = [None, Some(false), Some(true)][usize::from(c.byte()) % 3];
    let region = [None, Some(Region::Crimea), Some(Region::Dnr), Some(Region::Lnr), Some(Region::Other)][usize::from(c.byte()) % 5];
    let vendor = c.pick(&VENDORS).to_string();
    let mut other = if c.byte().is_multiple_of(3) {
        Product::blank("fuzz-blank", "blank product", *c.pick(&ProductKind::ALL))
    } else {
        prepared.product().clone()
    };
    other.vendor = vendor;
    let other_valid = other.validate().is_ok();
    let other = PreparedProduct::new(other);
    let on = c.pick(&["2022-02-01", "2024-06-01", "2025-06-01"]).parse().expect("a date");
    // Where the items ship from: the US, or not stated (the transaction kind unknown).
    let origin_stated = !c.byte().is_multiple_of(3);
    for to in ["UA", "CN", "MY"] {
        let mut q = Query::export_to(to.parse().expect("a country"), on)
            .with_exporter(Exporter { front_end_fabricator_or_osat: fab, ..Exporter::default() });
        if !origin_stated {
            q = q.origin_not_stated();
        }
        if let Some(r) = region.filter(|_| to == "UA") {
            q = q.in_region(r);
        }
        match agreement::check(pack, &mut scratch, &other, None, &q) {
            Ok(outcome) => {
                if let Some(v) = outcome.verdict() {
                    use export_controls::Verdict::{Indeterminate, LicenseRequired};
                    assert!(other_valid || matches!(v, Indeterminate | LicenseRequired), "an invalid product was cleared");
                    assert!(to != "UA" || region.is_some() || v != export_controls::Verdict::NoLicenseRequired, "Ukraine cleared without its region");
                }
            }
            Err(e) => panic!("the evaluation paths disagree on a value built in code: {e}"),
        }
    }
}

/// A target's body.
pub type Target = fn(&[u8]);

/// The target functions by name, for replaying corpora.
pub const TARGETS: [(&str, Target); 6] = [
    ("condition", condition),
    ("rule_file", rule_file),
    ("product_sheet", product_sheet),
    ("transaction", transaction),
    ("rule_test", rule_test),
    ("library", library),
];
