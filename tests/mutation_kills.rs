//! Behaviour that the rule tests in rules/us-ear/tests do not look at (trace, scope lines,
//! warnings, certainty, fail-closed status dates, name screening), pinned down so that
//! cargo-mutants finds no silent change in src/evaluate and src/ruleset/condition.rs. Every
//! expectation comes from the regulation (the Federal Register rules and the documents of rules/us-ear/NOTES.md), the shipped rule
//! files or the documented semantics (README.md, rules/README.md, doc comments), not from output.

mod common;

use std::sync::OnceLock;

use export_controls::model::{Party, Role};
use export_controls::ruleset::compile;
use export_controls::ruleset::condition::Truth;
use export_controls::{Catalog, Determination, Options, Query, RuleSet, Verdict};

fn query(to: &str, on: &str) -> Query {
    Query::export_to(to.parse().unwrap(), on.parse().unwrap())
}

fn shipped() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(|| RuleSet::shipped().unwrap())
}

fn determine_with(rules: &RuleSet, product: &str, q: &Query, trace: bool) -> Determination {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    let catalog = CATALOG.get_or_init(|| Catalog::shipped().unwrap());
    let p = catalog.get(product).unwrap_or_else(|| panic!("{product} not in the catalog"));
    rules.evaluate(p, q, Options { trace }).unwrap()
}

fn end_user(name: &str, country: &str) -> Party {
    let mut p = Party::new(Role::EndUser);
    p.name = Some(name.into());
    p.country = Some(country.parse().unwrap());
    p.headquarters = Some(country.parse().unwrap());
    p.parent_headquarters = Some(country.parse().unwrap());
    p
}

// ---- trace ----------------------------------------------------------------------------------

#[test]
fn the_trace_records_each_rule_tried_with_its_comparisons() {
    // H100 SXM5: dense FP8 1978.9 TOPS x 8 bits = TPP 15831.2 (its product sheet), so 3A090.a.1 (TPP >= 4800)
    // holds and the 742.6(a)(6)(iii)
    // licence requirement applies to China in mid-2024 (88 FR 73458; rules/us-ear/NOTES.md §3, §6).
    let rules = shipped();
    let q = query("CN", "2024-06-01");
    let d = determine_with(rules, "nvidia-h100-sxm5-80gb", &q, true);
    let a1 = d.trace.iter().find(|t| t.rule == "3A090.a.1").expect("3A090.a.1 traced");
    assert_eq!(a1.kind, "classification");
    assert_eq!(a1.result, Truth::True);
    let c = a1.comparisons.iter().find(|c| c.expr == "tpp >= 4800").expect("tpp comparison traced");
    // The published TPP is 15,832: the TPP lies between the two (issue 12), shown as a range.
    assert_eq!((c.left.as_str(), c.right.as_str(), c.result), ("15831.2 to 15832", "4800", Truth::True));
    let req = d.trace.iter().find(|t| t.rule == "742.6(a)(6)(iii)").expect("requirement traced");
    assert_eq!((req.kind.as_ref(), req.result), ("license_requirement", Truth::True));
    assert!(req.notes.contains(&"CN is in Country Group D:5".to_string()), "{:?}", req.notes);
    assert!(!req.notes.iter().any(|n| n.contains("not among")), "{:?}", req.notes);
    // 746.2 (the Cuba embargo, destinations = { countries = ["CU"] }) does not reach China, and says why.
    let embargo = d.trace.iter().find(|t| t.rule == "746.2").expect("746.2 traced");
    assert_eq!(
        (embargo.result, embargo.notes.clone()),
        (Truth::False, vec!["CN is not among the countries named".into()])
    );
    // 4A090 classifies computers only; the H100 is an integrated circuit.
    let c4 = d.trace.iter().find(|t| t.rule == "4A090.a").expect("4A090.a traced");
    assert_eq!(c4.result, Truth::False);
    assert!(c4.notes.iter().any(|n| n.contains("computer") && n.contains("integrated_circuit")), "{:?}", c4.notes);
    // Note 2 to 3A090.a and .b (non-datacenter chips below TPP 4800) does not take the H100 out; its
    // negated flag is traced as written, with the negated result.
    let note2 = d.trace.iter().find(|t| t.kind == "exclusion").expect("Note 2 traced");
    assert_eq!(note2.result, Truth::False);
    let c = note2.comparisons.iter().find(|c| c.expr == "not designed_or_marketed_for_datacenter").expect("negation");
    assert_eq!((c.left.as_str(), c.result), ("true", Truth::False));
    // Every paragraph is decided: no "classification is undetermined" warning.
    assert!(!d.warnings.iter().any(|w| w.starts_with("The classification is undetermined")), "{:?}", d.warnings);
    // Without tracing, nothing is recorded and the outcome is the same.
    let quiet = determine_with(rules, "nvidia-h100-sxm5-80gb", &q, false);
    assert!(quiet.trace.is_empty());
    assert_eq!((quiet.verdict, quiet.paragraphs.clone()), (d.verdict, d.paragraphs.clone()));
}

// ---- scope lines ------------------------------------------------------------------------------

#[test]
fn the_scope_says_when_party_rules_were_not_evaluated() {
    // README: without parties, party rules are not evaluated and the determination says so.
    let rules = shipped();
    let no_parties = determine_with(rules, "nvidia-h100-sxm5-80gb", &query("CN", "2024-06-01"), false);
    assert!(no_parties.scope[0].contains("us-ear"), "{:?}", no_parties.scope);
    assert!(no_parties.scope.iter().any(|s| s.starts_with("No parties were given")), "{:?}", no_parties.scope);
    let mut q = query("CN", "2024-06-01");
    q.parties.push(end_user("Example Cloud Ltd", "CN"));
    let with_parties = determine_with(rules, "nvidia-h100-sxm5-80gb", &q, false);
    assert!(!with_parties.scope.iter().any(|s| s.starts_with("No parties were given")), "{:?}", with_parties.scope);
    assert!(with_parties.scope[0].contains("us-ear"), "{:?}", with_parties.scope);
}

#[test]
fn the_decisive_explanation_picks_the_no_parties_line_by_its_kind() {
    use export_controls::evaluate::{ScopeKind, ScopeLine};
    let rules = shipped();
    let d = determine_with(rules, "nvidia-h100-sxm5-80gb", &query("CN", "2024-06-01"), true);
    // The engine writes the pack's line, then the no-parties line (the rules of 15 CFR 744
    // about end users were not evaluated), each with its kind.
    assert_eq!(d.scope[0].kind(), Some(ScopeKind::Pack), "{:?}", d.scope);
    let [line] = d.scope.iter().filter(|s| s.kind() == Some(ScopeKind::PartiesNotGiven)).collect::<Vec<_>>()[..] else {
        panic!("{:?}", d.scope)
    };
    assert!(line.starts_with("No parties were given: rules about buyers and end users"), "{line}");
    assert!(d.explain_decisive().contains(line.as_str()), "{}", d.explain_decisive());
    // Read back from JSON, a line has its text only: equal to the line written.
    let back: Determination = serde_json::from_str(&serde_json::to_string(&d).unwrap()).unwrap();
    assert_eq!(back, d);
    assert!(back.scope.iter().all(|s| s.kind().is_none()), "{:?}", back.scope);
    // The same text without the kind is not taken for it: with parties given, no such line.
    let mut q = query("CN", "2024-06-01");
    q.parties.push(end_user("Example Cloud Ltd", "CN"));
    let mut with_parties = determine_with(rules, "nvidia-h100-sxm5-80gb", &q, true);
    with_parties.scope.push(ScopeLine::from(line.to_string()));
    assert!(!with_parties.explain_decisive().contains(line.as_str()), "{}", with_parties.explain_decisive());
}

// ---- confirmed_until (fail closed on an unconfirmed status) ------------------------------------

fn pack_with(file: &str, old: &str, new: &str) -> RuleSet {
    compile(&common::pack_files_edited(file, old, new)).unwrap_or_else(|e| panic!("{e:?}"))
}

#[test]
fn a_requirement_past_its_confirmed_date_makes_the_verdict_indeterminate() {
    // rules/README.md: `confirmed_until` is the last day the status is confirmed; after it the
    // determination warns, and a deciding rule whose status is unknown cannot decide.
    let rules = &pack_with(
        "license-requirements.toml",
        "id = \"742.6(a)(6)(iii)\"\n",
        "id = \"742.6(a)(6)(iii)\"\nconfirmed_until = 2024-06-01\n",
    );
    let on_the_day = determine_with(rules, "nvidia-h100-sxm5-80gb", &query("CN", "2024-06-01"), false);
    assert_eq!(on_the_day.verdict, Verdict::LicenseRequired);
    assert!(
        !on_the_day.warnings.iter().any(|w| w.contains("is not confirmed by the sources")),
        "{:?}",
        on_the_day.warnings
    );
    let after = determine_with(rules, "nvidia-h100-sxm5-80gb", &query("CN", "2024-06-02"), false);
    assert_eq!(after.verdict, Verdict::Indeterminate);
    assert!(after.missing.contains(&"status of 742.6(a)(6)(iii) after 2024-06-01".to_string()), "{:?}", after.missing);
    let status: Vec<_> = after.warnings.iter().filter(|w| w.contains("is not confirmed by the sources")).collect();
    assert_eq!(status.len(), 1, "{:?}", after.warnings);
    assert!(status[0].starts_with("742.6(a)(6)(iii) matches this transaction"), "{status:?}");
    // A destination the rule does not reach gets no warning: the rule does not match.
    let fr = determine_with(rules, "nvidia-h100-sxm5-80gb", &query("FR", "2024-06-02"), false);
    assert_eq!(fr.verdict, Verdict::NoLicenseRequired);
    assert!(!fr.warnings.iter().any(|w| w.contains("is not confirmed by the sources")), "{:?}", fr.warnings);
}

#[test]
fn a_review_policy_past_its_confirmed_date_warns_but_does_not_decide() {
    let rules = &pack_with(
        "license-requirements.toml",
        "id = \"742.6(b)(10)/D5-MO\"\n",
        "id = \"742.6(b)(10)/D5-MO\"\nconfirmed_until = 2024-06-01\n",
    );
    let d = determine_with(rules, "nvidia-h100-sxm5-80gb", &query("CN", "2024-06-02"), false);
    assert_eq!(d.verdict, Verdict::LicenseRequired);
    assert!(d.missing.is_empty(), "{:?}", d.missing);
    let status: Vec<_> = d.warnings.iter().filter(|w| w.contains("is not confirmed by the sources")).collect();
    assert_eq!(status.len(), 1, "{:?}", d.warnings);
    assert!(status[0].starts_with("742.6(b)(10)/D5-MO matches"), "{status:?}");
}

// ---- the condition language (src/ruleset/condition.rs) ------------------------------------------

use export_controls::ProductKind;
use export_controls::number::Ratio;
use export_controls::ruleset::condition::{Comparison, Env, parse};
use export_controls::ruleset::vocabulary::{Attr, Value};
use rust_decimal::Decimal;

/// An environment with the given attribute values; everything else unknown, `meets` unknown.
struct MapEnv(Vec<(Attr, Value)>);

impl Env for MapEnv {
    fn value(&self, attr: Attr) -> Option<Value> {
        self.0.iter().find(|(a, _)| *a == attr).map(|(_, v)| *v)
    }
    fn meets(&self, _rules: &[usize]) -> Truth {
        Truth::Unknown
    }
}

fn num(s: &str) -> Value {
    Value::Num(Ratio::from_decimal(s.parse::<Decimal>().unwrap()))
}

fn eval(cond: &str, env: &MapEnv) -> Truth {
    parse(cond).unwrap_or_else(|e| panic!("{cond}: {e:?}")).eval(env, None)
}

fn error(cond: &str) -> export_controls::ruleset::condition::ConditionError {
    parse(cond).expect_err(cond)
}

#[test]
fn each_operator_compares_as_written() {
    // (operator, below, at, above) for tpp against 4800.
    let table = [
        (">=", Truth::False, Truth::True, Truth::True),
        (">", Truth::False, Truth::False, Truth::True),
        ("<=", Truth::True, Truth::True, Truth::False),
        ("<", Truth::True, Truth::False, Truth::False),
        ("==", Truth::False, Truth::True, Truth::False),
        ("!=", Truth::True, Truth::False, Truth::True),
    ];
    for (op, below, at, above) in table {
        let cond = format!("tpp {op} 4800");
        for (v, want) in [("4799.9", below), ("4800", at), ("4800.1", above)] {
            assert_eq!(eval(&cond, &MapEnv(vec![(Attr::Tpp, num(v))])), want, "{cond} with tpp = {v}");
        }
        // The number may be on the left: 4800 <op> tpp mirrors it.
        assert_eq!(eval(&format!("4800 {op} tpp"), &MapEnv(vec![(Attr::Tpp, num("4800"))])), at, "4800 {op} tpp");
        // Unknown stays unknown.
        assert_eq!(eval(&cond, &MapEnv(vec![])), Truth::Unknown, "{cond} with tpp unknown");
    }
}

#[test]
fn flags_and_kinds_compare_for_equality() {
    let env = MapEnv(vec![(Attr::Hbm, Value::Bool(true)), (Attr::Kind, Value::Kind(ProductKind::Computer))]);
    assert_eq!(eval("hbm", &env), Truth::True);
    assert_eq!(eval("not hbm", &env), Truth::False);
    assert_eq!(eval("hbm == true", &env), Truth::True);
    assert_eq!(eval("hbm == false", &env), Truth::False);
    assert_eq!(eval("hbm != true", &env), Truth::False);
    assert_eq!(eval("hbm != false", &env), Truth::True);
    assert_eq!(eval("kind == \"computer\"", &env), Truth::True);
    assert_eq!(eval("kind != \"computer\"", &env), Truth::False);
    assert_eq!(eval("kind == \"memory\"", &env), Truth::False);
    assert_eq!(eval("kind != \"memory\"", &env), Truth::True);
    assert_eq!(eval("true", &env), Truth::True);
    assert_eq!(eval("false", &env), Truth::False);
    assert_eq!(eval("designed_or_marketed_for_datacenter", &env), Truth::Unknown);
    for cond in ["kind >= \"computer\"", "hbm < true"] {
        assert_eq!(error(cond).message, "only `==` and `!=` compare flags and kinds", "{cond}");
    }
}

#[test]
fn three_valued_logic_is_kleene() {
    use Truth::{False as F, True as T, Unknown as U};
    for (a, b, and, or) in [
        (T, T, T, T),
        (T, F, F, T),
        (F, T, F, T),
        (F, F, F, F),
        (T, U, U, T),
        (U, T, U, T),
        (F, U, F, U),
        (U, F, F, U),
        (U, U, U, U),
    ] {
        assert_eq!(a.and(b), and, "{a:?} and {b:?}");
        assert_eq!(a.or(b), or, "{a:?} or {b:?}");
    }
    assert_eq!((T.not(), F.not(), U.not()), (F, T, U));
    assert_eq!((Truth::from_bool(true), Truth::from_bool(false)), (T, F));
    assert_eq!((T.to_string(), F.to_string(), U.to_string()), ("true".into(), "false".into(), "unknown".into()));
    // The same through conditions, with tpp unknown and the flags known.
    let env = MapEnv(vec![(Attr::Hbm, Value::Bool(false)), (Attr::DesignedOrMarketedForDatacenter, Value::Bool(true))]);
    assert_eq!(eval("tpp >= 4800 and hbm", &env), F);
    assert_eq!(eval("hbm and tpp >= 4800", &env), F);
    assert_eq!(eval("tpp >= 4800 or designed_or_marketed_for_datacenter", &env), T);
    assert_eq!(eval("designed_or_marketed_for_datacenter or tpp >= 4800", &env), T);
    assert_eq!(eval("designed_or_marketed_for_datacenter and tpp >= 4800", &env), U);
    assert_eq!(eval("hbm or tpp >= 4800", &env), U);
    assert_eq!(eval("hbm or designed_or_marketed_for_datacenter and not hbm", &env), T);
    assert_eq!(eval("(hbm or designed_or_marketed_for_datacenter) and hbm", &env), F);
}

#[test]
fn the_trace_of_a_condition_shows_every_comparison_and_negations_as_written() {
    let env = MapEnv(vec![(Attr::Tpp, num("2400")), (Attr::Hbm, Value::Bool(true))]);
    let e = parse("tpp >= 4800 and not hbm and not tpp < 1600").unwrap();
    let mut trace = Vec::new();
    assert_eq!(e.eval(&env, Some(&mut trace)), Truth::False);
    let shown: Vec<String> = trace.iter().map(Comparison::display).collect();
    assert_eq!(
        shown,
        ["tpp >= 4800: 2400 vs 4800 -> false", "not hbm: true -> false", "not tpp < 1600: 2400 vs 1600 -> true"],
        "a trace goes on past the first false part"
    );
    let e = parse("hbm or tpp >= 4800").unwrap();
    let mut trace = Vec::new();
    assert_eq!(e.eval(&env, Some(&mut trace)), Truth::True);
    assert_eq!(trace.len(), 2, "{trace:?}");
    assert_eq!(trace[1].display(), "tpp >= 4800: 2400 vs 4800 -> false");
    let mut trace = Vec::new();
    let kind = MapEnv(vec![(Attr::Kind, Value::Kind(ProductKind::Memory))]);
    parse("kind == \"memory\"").unwrap().eval(&kind, Some(&mut trace));
    assert_eq!(
        (trace[0].expr.as_str(), trace[0].result),
        ("kind == \"memory\"", Truth::True),
        "the comparison as written"
    );
    let mut trace = Vec::new();
    parse("designed_or_marketed_for_datacenter").unwrap().eval(&env, Some(&mut trace));
    assert_eq!(trace[0].display(), "designed_or_marketed_for_datacenter: unknown -> unknown");
    let mut trace = Vec::new();
    parse("transistors < 30000000000").unwrap().eval(&env, Some(&mut trace));
    assert_eq!(trace[0].display(), "transistors < 30000000000: unknown vs 30000000000 -> unknown");
}

#[test]
fn attributes_and_unknown_attributes_are_collected_through_every_operator() {
    let e = parse("tpp >= 4800 and not hbm or (kind == \"computer\" and 600 <= interconnect_bandwidth)").unwrap();
    let mut read = Vec::new();
    e.attributes(&mut read);
    assert_eq!(read, [Attr::Tpp, Attr::Hbm, Attr::Kind, Attr::InterconnectBandwidth]);
    // Known: hbm and kind. Unknown: tpp and interconnect_bandwidth.
    let env = MapEnv(vec![(Attr::Hbm, Value::Bool(false)), (Attr::Kind, Value::Kind(ProductKind::Computer))]);
    let mut unknown = Vec::new();
    e.unknown_attrs(&env, &mut unknown);
    assert_eq!(unknown, [Attr::Tpp, Attr::InterconnectBandwidth]);
    let mut unknown = Vec::new();
    parse("not (hbm and designed_or_marketed_for_datacenter)").unwrap().unknown_attrs(&env, &mut unknown);
    assert_eq!(unknown, [Attr::DesignedOrMarketedForDatacenter]);
}

#[test]
fn condition_errors_point_at_the_mistake_and_say_what_to_write() {
    let e = error("tpp ≥ 4800");
    assert_eq!((e.span.clone(), e.message.as_str()), (4..7, "unexpected character `≥`"));
    assert_eq!(e.help.as_deref(), Some("write `>=` / `<=`"));
    assert_eq!(error("tpp ≤ 4800").help.as_deref(), Some("write `>=` / `<=`"));
    let e = error("tpp >= 4800 & hbm");
    assert_eq!((e.span.clone(), e.help.as_deref()), (12..13, Some("write `and` / `or`")));
    assert_eq!(error("tpp >= 4800 | hbm").help.as_deref(), Some("write `and` / `or`"));
    assert_eq!(error("tpp >= 4800 # x").help, None);
    assert_eq!(error(">= 4800").message, "`>=` needs a name or number on its left");
    let e = error("tpp >= >= 1");
    assert_eq!((e.span.clone(), e.message.as_str()), (7..9, "`>=` needs a name or number on its left"));
    assert_eq!(error("tpp >= < 1").span, 7..8);
    assert_eq!(error("< 4800").message, "`<` needs a name or number on its left");
    assert_eq!(error("tpp >= 1 2").message, "unexpected `2`; expected `and`, `or` or the end of the condition");
    assert_eq!(error("tpp >= 5,x").message, "unexpected character `,`");
    let e = error("tpp >= 5,92");
    assert_eq!((e.span.clone(), e.message.as_str()), (7..11, "`5,92` is not a number here"));
    assert_eq!(error("and tpp >= 1").message, "`and` needs a comparison before it");
    assert_eq!(error("tpp >= \"computer\"").message, "cannot compare a number with a kind");
    let e = error("kind == \"chip\"");
    assert_eq!(
        (e.span.clone(), e.message.as_str()),
        (8..14, "unknown kind \"chip\"; expected one of integrated_circuit, computer, memory")
    );
    assert_eq!(error("tpp >= \"4800\"").message, "numbers are written without quotes, e.g. `tpp >= 4800`");
    assert!(error("tpp >= .").message.contains("is not a number"));
    let e = error("tpp >= 4800)");
    assert_eq!((e.span.clone(), e.message.as_str()), (11..12, "unbalanced `)`"));
    let e = error("hbm and (tpp >= 1");
    assert_eq!((e.span.clone(), e.message.as_str()), (8..9, "`(` is never closed: add `)`"));
    let e = error("tpp >= 1 and !hbm");
    assert_eq!((e.span.clone(), e.message.as_str()), (13..14, "`!` is not an operator: write `not` or `!=`"));
    let e = error("tpp = 4800");
    assert_eq!((e.span.clone(), e.message.as_str()), (4..5, "`=` is not an operator here: write `==` to compare"));
    let e = error("tpp >=");
    assert_eq!((e.span.clone(), e.message.as_str()), (6..6, "condition ends too early; expected a name or a number"));
    let e = error("tpp >= 1 and");
    assert_eq!((e.span.clone(), e.message.as_str()), (12..12, "condition ends too early; expected a comparison"));
    let e = error("meets(3A090)");
    assert_eq!(e.message, "write `meets(\"3A090.a\")` with one quoted paragraph id");
    let e = error("tpp");
    assert_eq!(
        (e.span.clone(), e.message.as_str()),
        (0..3, "`tpp` is a number, not a yes/no flag: compare it, e.g. `tpp >= 4800`")
    );
}

#[test]
fn nesting_is_limited_in_depth_not_in_breadth() {
    // MAX_DEPTH (32) levels of parentheses or `not` are accepted; one more is refused.
    let nested = |n: usize| format!("{}hbm{}", "(".repeat(n), ")".repeat(n));
    assert!(parse(&nested(32)).is_ok());
    assert!(error(&nested(33)).message.contains("nested more than 32 levels deep"));
    let nots = |n: usize| format!("{}hbm", "not ".repeat(n));
    assert!(parse(&nots(32)).is_ok());
    assert!(error(&nots(33)).message.contains("nested more than 32 levels deep"));
    // Depth is given back after each group: forty groups side by side are one level deep.
    let side_by_side = vec!["(not hbm)"; 40].join(" and ");
    assert!(parse(&side_by_side).is_ok(), "{:?}", parse(&side_by_side));
    let side_by_side = vec!["not (hbm)"; 40].join(" or ");
    assert!(parse(&side_by_side).is_ok(), "{:?}", parse(&side_by_side));
}

#[test]
fn the_length_limit_is_inclusive() {
    let max = export_controls::ruleset::condition::MAX_CONDITION_LEN;
    let base = "tpp >= 1";
    let cond = format!("{base}{}", " ".repeat(max - base.len()));
    assert_eq!(cond.len(), max);
    assert!(parse(&cond).is_ok());
    assert!(error(&format!("{cond} ")).message.contains("longer than 4096 bytes"));
}

// ---- parties (src/evaluate/scope.rs) ------------------------------------------------------------

fn with_parties(product: &str, to: &str, on: &str, parties: Vec<Party>) -> Determination {
    let mut q = query(to, on);
    q.parties = parties;
    determine_with(shipped(), product, &q, false)
}

fn requirement<'d>(d: &'d Determination, id: &str) -> Option<&'d export_controls::evaluate::RequirementFinding> {
    d.requirements.iter().find(|r| r.id == id)
}

#[test]
fn the_headquarters_rule_says_whose_headquarters_decided() {
    // 744.23(a)(3) (2023-11-17 to 2025-01-13): a party headquartered, or with an ultimate parent
    // headquartered, in D:5 or Macau, wherever located (88 FR 73458; rules/us-ear/NOTES.md §7).
    let h100 = "nvidia-h100-sxm5-80gb";
    let mut own = end_user("Acme", "MY");
    own.headquarters = Some("CN".parse().unwrap());
    let d = with_parties(h100, "MY", "2024-06-01", vec![own]);
    let r = requirement(&d, "744.23(a)(3)").expect("744.23(a)(3) applies");
    assert_eq!(r.certainty, export_controls::evaluate::Certainty::Certain);
    assert!(
        r.destination_basis.contains(&"end user \"Acme\" is headquartered in CN".into()),
        "{:?}",
        r.destination_basis
    );

    let mut parent = end_user("Acme", "MY");
    parent.parent_headquarters = Some("CN".parse().unwrap());
    let d = with_parties(h100, "MY", "2024-06-01", vec![parent]);
    let r = requirement(&d, "744.23(a)(3)").expect("744.23(a)(3) applies through the parent");
    assert!(
        r.destination_basis.contains(&"end user \"Acme\"'s ultimate parent is headquartered in CN".into()),
        "{:?}",
        r.destination_basis
    );

    let d = with_parties(h100, "MY", "2024-06-01", vec![end_user("Acme", "MY")]);
    assert!(requirement(&d, "744.23(a)(3)").is_none());

    // Neither headquarters known: the requirement may apply, and both facts are missing.
    let mut unknown = end_user("Acme", "MY");
    unknown.headquarters = None;
    unknown.parent_headquarters = None;
    let d = with_parties(h100, "MY", "2024-06-01", vec![unknown]);
    let r = requirement(&d, "744.23(a)(3)").expect("744.23(a)(3) possible");
    assert_eq!(r.certainty, export_controls::evaluate::Certainty::Possible);
    assert_eq!(d.verdict, Verdict::Indeterminate);
    for m in ["end user \"Acme\": headquarters", "end user \"Acme\": parent_headquarters"] {
        assert!(d.missing.contains(&m.to_string()), "{m} not in {:?}", d.missing);
    }
}

#[test]
fn end_use_and_location_are_named_in_the_basis() {
    // 744.23(a)(1): supercomputer end use in China (87 FR 62186; rules/us-ear/NOTES.md §9).
    // The end use is declared with its place: the party's location is not presumed to be it.
    let mut p = end_user("Acme", "CN");
    p.end_uses = vec![export_controls::model::DeclaredEndUse {
        end_use: export_controls::model::EndUse::Supercomputer,
        place: Some("CN".parse().unwrap()),
    }];
    let d = with_parties("nvidia-h100-sxm5-80gb", "CN", "2024-06-01", vec![p]);
    let r = requirement(&d, "744.23(a)(1)").expect("744.23(a)(1) applies");
    let note = "end user \"Acme\" declared the end use supercomputer in CN";
    assert!(r.destination_basis.contains(&note.to_string()), "{note} not in {:?}", r.destination_basis);
    // The rule carries `unverified`; rules/README.md: shown as a warning whenever the rule decides.
    let warned =
        |d: &Determination| d.warnings.iter().any(|w| w.starts_with("744.23(a)(1) rests on facts not confirmed"));
    assert!(warned(&d), "{:?}", d.warnings);
    let d = with_parties("nvidia-h100-sxm5-80gb", "CN", "2024-06-01", vec![end_user("Acme", "CN")]);
    assert!(requirement(&d, "744.23(a)(1)").is_none());
    assert!(!warned(&d), "{:?}", d.warnings);
    // Location unknown: the requirement may apply; it does not decide, so no such warning.
    let mut somewhere = end_user("Acme", "CN");
    somewhere.country = None;
    somewhere.end_uses = vec![export_controls::model::EndUse::Supercomputer.into()];
    let d = with_parties("nvidia-h100-sxm5-80gb", "CN", "2024-06-01", vec![somewhere]);
    assert_eq!(
        requirement(&d, "744.23(a)(1)").map(|r| r.certainty),
        Some(export_controls::evaluate::Certainty::Possible)
    );
    assert!(d.missing.contains(&"end user \"Acme\": country".to_string()), "{:?}", d.missing);
    assert!(!warned(&d), "{:?}", d.warnings);
}

#[test]
fn a_listed_party_brings_its_entry_and_its_review_policy() {
    // Huawei: Entity List since 2019-05-16, presumption of denial (entity-list.toml).
    let d = with_parties(
        "nvidia-h100-sxm5-80gb",
        "CN",
        "2024-06-01",
        vec![end_user("Huawei Technologies Co., Ltd.", "CN")],
    );
    let r = requirement(&d, "744.11").expect("744.11 applies");
    assert_eq!(r.certainty, export_controls::evaluate::Certainty::Certain);
    assert!(
        r.destination_basis.iter().any(|b| b.contains("matches entity_list entry EL:huawei-technologies")),
        "{r:?}"
    );
    assert_eq!(r.review_policy, Some(export_controls::ruleset::ReviewPolicy::PresumptionOfDenial));
    assert!(
        r.review_policy_source.as_deref().is_some_and(|s| s.starts_with("entity_list entry EL:huawei-technologies"))
    );
    // The entry's facts are not all confirmed (its `unverified` field): a warning says so.
    assert!(
        d.warnings.iter().any(|w| w.starts_with("entity_list entry EL:huawei-technologies is not confirmed")),
        "{:?}",
        d.warnings
    );
    // Named by its entry id rather than its name.
    let mut by_id = end_user("Unnamed subsidiary", "CN");
    by_id.list_entries = vec!["EL:huawei-technologies".into()];
    let d = with_parties("nvidia-h100-sxm5-80gb", "CN", "2024-06-01", vec![by_id]);
    assert!(requirement(&d, "744.11").is_some());
    // A party without a name or entry id cannot be screened: 744.11 may apply.
    let mut anonymous = end_user("x", "CN");
    anonymous.name = None;
    let d = with_parties("nvidia-h100-sxm5-80gb", "CN", "2024-06-01", vec![anonymous]);
    assert_eq!(requirement(&d, "744.11").map(|r| r.certainty), Some(export_controls::evaluate::Certainty::Possible));
    assert!(d.missing.contains(&"end user: name (for screening)".to_string()), "{:?}", d.missing);
}

#[test]
fn names_close_to_a_list_entry_are_flagged_for_screening() {
    let resembles = |d: &Determination, entry: &str| {
        d.warnings.iter().any(|w| w.contains(" resembles entity_list entry ") && w.contains(entry))
    };
    let h100 = "nvidia-h100-sxm5-80gb";
    // Contains the alias "Huawei Technologies" as whole words, without matching exactly.
    let d = with_parties(h100, "CN", "2024-06-01", vec![end_user("Huawei Technologies Shenzhen", "CN")]);
    assert!(
        d.warnings.iter().any(|w| w.starts_with(
            "end user \"Huawei Technologies Shenzhen\" resembles entity_list entry EL:huawei-technologies"
        )),
        "{:?}",
        d.warnings
    );
    // A resemblance is not a match: 744.11 at most may apply (the pack's Entity List is a
    // sample, which clears no one).
    assert!(
        requirement(&d, "744.11").is_none_or(|r| r.certainty == export_controls::evaluate::Certainty::Possible),
        "a resemblance is not a match"
    );
    // Contained in an alias ("Shanghai Biren Technology Co., Ltd.").
    let d = with_parties(h100, "CN", "2024-06-01", vec![end_user("Shanghai Biren", "CN")]);
    assert!(resembles(&d, "EL:biren-technology"), "{:?}", d.warnings);
    // Before Biren was listed (2023-10-17) there is nothing to resemble.
    let d = with_parties(h100, "CN", "2023-01-02", vec![end_user("Shanghai Biren", "CN")]);
    assert!(!resembles(&d, "EL:biren-technology"), "{:?}", d.warnings);
    // An exact match, an entry id given, or an unrelated name: no screening warning.
    let d = with_parties(h100, "CN", "2024-06-01", vec![end_user("Huawei", "CN")]);
    assert!(!d.warnings.iter().any(|w| w.contains(" resembles ")), "{:?}", d.warnings);
    let mut with_id = end_user("Huawei Technologies Shenzhen", "CN");
    with_id.list_entries = vec!["EL:huawei-technologies".into()];
    let d = with_parties(h100, "CN", "2024-06-01", vec![with_id]);
    assert!(!d.warnings.iter().any(|w| w.contains(" resembles ")), "{:?}", d.warnings);
    let d = with_parties(h100, "CN", "2024-06-01", vec![end_user("Example Cloud Ltd", "CN")]);
    assert!(!d.warnings.iter().any(|w| w.contains(" resembles ")), "{:?}", d.warnings);
}

// ---- queries, coverage, classification (src/evaluate/evaluate.rs) -------------------------------

#[test]
fn every_shipment_into_the_us_is_refused_and_the_other_kinds_are_decided() {
    // README: `--to US` is refused whatever the origin: a shipment into the United States is no
    // export, reexport (a shipment from one foreign country to another) or in-country transfer
    // (15 CFR 734.13, 734.14). Another country of export makes a reexport, the same country an
    // in-country transfer.
    let catalog = Catalog::shipped().unwrap();
    let h100 = catalog.get("nvidia-h100-sxm5-80gb").unwrap();
    let q = |to: &str, from: &str| {
        Query::export_to(to.parse().unwrap(), "2024-06-01".parse().unwrap()).exported_from(from.parse().unwrap())
    };
    for from in ["US", "SG"] {
        assert_eq!(
            shipped().evaluate(h100, &q("US", from), Options::default()).unwrap_err(),
            export_controls::EvaluateError::NotAnExport("US".parse().unwrap()),
            "{from} -> US"
        );
    }
    for (to, from) in [("CN", "CN"), ("SG", "US"), ("CN", "SG")] {
        assert!(shipped().evaluate(h100, &q(to, from), Options::default()).is_ok(), "{from} -> {to}");
    }
    assert_eq!(q("CN", "CN").kind(), Some(export_controls::model::TransactionKind::InCountryTransfer));
    assert_eq!(q("CN", "SG").kind(), Some(export_controls::model::TransactionKind::Reexport));
}

#[test]
fn dates_before_the_pack_are_refused_by_evaluate_and_classify() {
    // pack.toml: coverage_from = 2022-01-01.
    let catalog = Catalog::shipped().unwrap();
    let h100 = catalog.get("nvidia-h100-sxm5-80gb").unwrap();
    let before: export_controls::Date = "2021-12-31".parse().unwrap();
    let first: export_controls::Date = "2022-01-01".parse().unwrap();
    let q = Query::export_to("CN".parse().unwrap(), before);
    assert!(matches!(
        shipped().evaluate(h100, &q, Options::default()),
        Err(export_controls::EvaluateError::BeforeCoverage { .. })
    ));
    assert!(matches!(
        shipped().classify(h100, before, Options::default()),
        Err(export_controls::EvaluateError::BeforeCoverage { .. })
    ));
    // 3A090 did not exist on 2022-01-01 (it took effect 2022-10-21).
    let c = shipped().classify(h100, first, Options::default()).unwrap();
    assert!(c.eccns.is_empty(), "{c:?}");
    // Under the 2023 rule the H100 is 3A090.a by a.1 (TPP >= 4800) and a.2 (PD 19.45 >= 5.92).
    let c = shipped().classify(h100, "2024-06-01".parse().unwrap(), Options { trace: true }).unwrap();
    assert_eq!(
        (c.eccns.clone(), c.paragraphs.clone()),
        (vec!["3A090.a".to_string()], vec!["3A090.a.1".to_string(), "3A090.a.2".to_string()])
    );
    assert!(c.missing.is_empty() && c.undetermined_paragraphs.is_empty(), "{c:?}");
    assert!(c.trace.iter().any(|t| t.rule == "3A090.a.1" && t.result == Truth::True));
}

#[test]
fn the_query_of_a_transaction_keeps_everything_but_the_product() {
    let src = export_controls::ruleset::SourceFile::new(
        "tx.toml",
        "product = \"nvidia-h100-sxm5-80gb\"\ndestination = \"CN\"\nexported_from = \"SG\"\ndate = 2024-06-01\n\
         exporter = { front_end_fabricator_or_osat = true }\n[[party]]\nrole = \"end_user\"\nname = \"Acme\"\n",
    );
    let t = export_controls::model::Transaction::parse(&src).unwrap();
    let q = Query::of(&t);
    assert_eq!((q.destination, q.exported_from, q.date), (t.destination, t.exported_from, t.date));
    assert_eq!(q.parties, t.parties);
    assert_eq!(q.exporter.front_end_fabricator_or_osat, Some(true));
    assert_eq!(q.parties[0].name.as_deref(), Some("Acme"));
}

#[test]
fn items_may_name_a_single_paragraph() {
    // rules/README.md: `items` lists ECCNs or paragraphs. Narrowed to 3A090.a.2 (TPP >= 1600 and
    // PD >= 5.92), the requirement reaches the H100 (PD 19.45, its product sheet) but not the MI250X, which is
    // 3A090.a by a.1 only (TPP 6128, PD 4.232; rules/us-ear/tests/classification-2023.toml).
    let rules = &pack_with(
        "license-requirements.toml",
        "items = [\"3A090.a\", \"3A090.b\", \"4A090.a\", \"4A090.b\"]\ndestinations = { groups = [\"D:1\"",
        "items = [\"3A090.a.2\"]\ndestinations = { groups = [\"D:1\"",
    );
    let q = query("CN", "2024-06-01");
    let h100 = determine_with(rules, "nvidia-h100-sxm5-80gb", &q, false);
    assert!(requirement(&h100, "742.6(a)(6)(iii)").is_some(), "{:?}", h100.requirements);
    let mi250x = determine_with(rules, "amd-mi250x", &q, false);
    assert_eq!(mi250x.paragraphs, ["3A090.a.1"]);
    assert!(requirement(&mi250x, "742.6(a)(6)(iii)").is_none(), "{:?}", mi250x.requirements);
}

#[test]
fn an_exception_names_what_it_overcomes_and_how_certain_it_is() {
    // RTX 4090 (non-datacenter 3A090.a) to China in 2024: 742.6(a)(6)(iii) applies and NAC
    // (740.8, not for datacenter .a items) overcomes it (rules/us-ear/NOTES.md §8;
    // rules/us-ear/tests/non-datacenter.toml).
    let d = determine_with(shipped(), "nvidia-rtx-4090", &query("CN", "2024-06-01"), false);
    assert_eq!(d.verdict, Verdict::LicenseException);
    let nac = d.exceptions.iter().find(|x| x.name == "NAC").expect("NAC");
    assert_eq!(nac.certainty, export_controls::evaluate::Certainty::Certain);
    assert_eq!(nac.overcomes, ["742.6(a)(6)(iii)"]);
    assert_eq!(requirement(&d, "742.6(a)(6)(iii)").unwrap().overcome_by, ["NAC"]);
    // The same chip without the datacenter flag: NAC may or may not be available.
    let sheet = "id = \"x\"\nname = \"X\"\nvendor = \"T\"\nkind = \"integrated_circuit\"\n[dense_tops]\ncomplete = true\nfp8 = 750\n\
                 [[logic_die]]\narea = 800\nnon_planar = true\n";
    let p = export_controls::PreparedProduct::new(
        export_controls::model::parse_product_sheet(&export_controls::ruleset::SourceFile::new("x.toml", sheet))
            .unwrap(),
    );
    let d = shipped().evaluate(&p, &query("CN", "2024-06-01"), Options::default()).unwrap();
    assert_eq!(d.verdict, Verdict::Indeterminate);
    let nac = d.exceptions.iter().find(|x| x.name == "NAC").expect("NAC possible");
    assert_eq!(nac.certainty, export_controls::evaluate::Certainty::Possible);
    // Every paragraph is decided (TPP 6000, PD 7.5): no "classification is undetermined" warning.
    assert!(!d.warnings.iter().any(|w| w.starts_with("The classification is undetermined")), "{:?}", d.warnings);
}

#[test]
fn the_trace_says_which_note_takes_a_paragraph_out() {
    // RTX 4090D: non-datacenter, TPP below 4800 and PD above 5.92, so Note 2 to 3A090.a and .b takes
    // it out of 3A090.a.2 (rules/us-ear/tests/non-datacenter.toml: outside 3A090 by Note 2).
    let c = shipped().classify(
        Catalog::shipped().unwrap().get("nvidia-rtx-4090d").unwrap(),
        "2024-06-01".parse().unwrap(),
        Options { trace: true },
    );
    let c = c.unwrap();
    assert!(c.eccns.is_empty(), "{c:?}");
    let a2 = c.trace.iter().find(|t| t.rule == "3A090.a.2").expect("3A090.a.2 traced");
    assert_eq!(a2.result, Truth::False);
    assert_eq!(a2.notes, ["3A090 Note 2 takes it out: true"]);
    // The H100 is datacenter: Note 2 takes nothing out, and no note says it does.
    let c = shipped()
        .classify(
            Catalog::shipped().unwrap().get("nvidia-h100-sxm5-80gb").unwrap(),
            "2024-06-01".parse().unwrap(),
            Options { trace: true },
        )
        .unwrap();
    assert!(c.trace.iter().all(|t| t.notes.iter().all(|n| !n.contains("takes it out"))), "{:?}", c.trace);
}

#[test]
fn an_undecided_paragraph_does_not_matter_once_its_eccn_is_certain() {
    // evaluate.rs: an H100-class part without a die area is 3A090.a by a.1 (TPP 6000 >= 4800)
    // whatever a.2 (performance density) says, so nothing is undetermined or missing.
    let sheet = "id = \"x\"\nname = \"X\"\nvendor = \"T\"\nkind = \"integrated_circuit\"\n\
                 designed_or_marketed_for_datacenter = true\n[dense_tops]\ncomplete = true\nfp8 = 750\n";
    let p = export_controls::PreparedProduct::new(
        export_controls::model::parse_product_sheet(&export_controls::ruleset::SourceFile::new("x.toml", sheet))
            .unwrap(),
    );
    let c = shipped().classify(&p, "2024-06-01".parse().unwrap(), Options::default()).unwrap();
    assert_eq!((c.eccns.clone(), c.paragraphs.clone()), (vec!["3A090.a".to_string()], vec!["3A090.a.1".to_string()]));
    assert!(c.undetermined_paragraphs.is_empty(), "{c:?}");
    assert!(c.missing.is_empty(), "{c:?}");
    let d = shipped().evaluate(&p, &query("CN", "2024-06-01"), Options::default()).unwrap();
    assert_eq!(d.verdict, Verdict::LicenseRequired);
    assert!(d.undetermined_paragraphs.is_empty() && d.missing.is_empty(), "{d:?}");
}

#[test]
fn a_known_attribute_has_no_missing_inputs() {
    // PreparedProduct::missing_inputs names the absent inputs behind an unknown attribute; a known
    // one has none.
    // A100 SXM4 40GB: TPP 4,992 from a complete rate list, equal to the published TPP.
    let catalog = Catalog::shipped().unwrap();
    let a100 = catalog.get("nvidia-a100-sxm4-40gb").unwrap();
    for a in [Attr::Tpp, Attr::PerformanceDensity, Attr::Hbm, Attr::Kind, Attr::InterconnectBandwidth] {
        assert!(a100.missing_inputs(a).is_empty(), "{}: {:?}", a.name(), a100.missing_inputs(a));
    }
    // H100 SXM5: 15,831.2 from the rates, 15,832 published: the gap is named.
    let h100 = catalog.get("nvidia-h100-sxm5-80gb").unwrap();
    assert_eq!(h100.missing_inputs(Attr::Tpp), ["tpp: the rates give 15831.2, tpp_reported is 15832"]);
    let sheet = "id = \"x\"\nname = \"X\"\nvendor = \"T\"\nkind = \"integrated_circuit\"\n";
    let p = export_controls::PreparedProduct::new(
        export_controls::model::parse_product_sheet(&export_controls::ruleset::SourceFile::new("x.toml", sheet))
            .unwrap(),
    );
    assert_eq!(p.missing_inputs(Attr::Tpp), ["tpp"]);
    assert_eq!(p.missing_inputs(Attr::PerformanceDensity), ["tpp", "applicable_die_area"]);
    assert!(p.missing_inputs(Attr::Kind).is_empty());
}

#[test]
fn a_negated_meets_is_evaluated_after_the_paragraphs_it_names() {
    // condition.rs: meets() reads the classification rules it names, so those are evaluated
    // first (compile.rs orders them), also through `not`. A test paragraph whose id sorts before
    // 3A090 and that holds for chips *not* in 3A090.a must not hold for the H100 (3A090.a.1).
    let extra = "[[classification]]\nid = \"0TEST.a\"\neccn = \"0TEST.a\"\ntitle = \"t\"\nsource = \"s\"\n\
                 from = 2023-11-17\nkinds = [\"integrated_circuit\"]\nwhen = 'not meets(\"3A090.a\")'\n";
    let mut files = common::pack_files();
    files.push(export_controls::ruleset::SourceFile::new("0test.toml", extra));
    let rules = compile(&files).unwrap_or_else(|e| panic!("{e:?}"));
    let h100 = Catalog::shipped().unwrap();
    let c =
        rules.classify(h100.get("nvidia-h100-sxm5-80gb").unwrap(), "2024-06-01".parse().unwrap(), Options::default());
    assert_eq!(c.unwrap().eccns, ["3A090.a"]);
    let c = rules.classify(h100.get("nvidia-rtx-4090d").unwrap(), "2024-06-01".parse().unwrap(), Options::default());
    assert_eq!(c.unwrap().eccns, ["0TEST.a"]);
}
