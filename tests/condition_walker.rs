//! Every evaluation of a condition gives the truth of three-valued (Kleene) logic, computed here
//! independently of the library: the tree walked recording nothing (`Expr::truth`, what the
//! fast path runs on a condition without flat code), with a trace (`Expr::eval`), with its
//! leaves recorded unformatted (`Expr::eval_recorded`, the recording sink), and the flat code
//! of the fast path (`Program::truth`). Conditions and products are generated: comparisons of
//! TPP and performance density with the 3A090 thresholds (15 CFR 774 Supp. No. 1, 3A090.a and
//! .b: TPP 4800, 2400, 1600; performance density 5.92, 3.2, 1.6) with values exactly on them,
//! one unit of the sixth decimal place and half a unit around them, as ratios, as ranges
//! ("at least"), and unknown; the datacenter flag; the vendor's name; `meets(...)`; constants;
//! nested `and`, `or` and `not`.

use export_controls::number::Ratio;
use export_controls::ruleset::condition::{Comparison, Env, Expr, Program, Scaled, Truth, parse};
use export_controls::ruleset::vocabulary::{Attr, Value};
use proptest::prelude::*;
use rust_decimal::Decimal;

const TPP_THRESHOLDS: [&str; 3] = ["1600", "2400", "4800"];
const DENSITY_THRESHOLDS: [&str; 3] = ["1.6", "3.2", "5.92"];
const OPS: [&str; 6] = [">=", ">", "<=", "<", "==", "!="];

/// A condition as generated, rendered to the condition language and decided by [`kleene`].
#[derive(Debug, Clone)]
enum Cond {
    Const(bool),
    Datacenter,
    /// `tpp` (else `performance_density`) `OPS[op]` threshold `k`.
    Cmp {
        tpp: bool,
        op: usize,
        k: usize,
    },
    /// `vendor == "NVIDIA"` (or `!=` when `ne`).
    Vendor {
        ne: bool,
    },
    /// `meets("a")` or `meets("b")`.
    Meets(usize),
    Not(Box<Cond>),
    And(Vec<Cond>),
    Or(Vec<Cond>),
}

fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

impl Cond {
    fn text(&self) -> String {
        match self {
            Cond::Const(b) => b.to_string(),
            Cond::Datacenter => "designed_or_marketed_for_datacenter".into(),
            Cond::Cmp { tpp: true, op, k } => format!("tpp {} {}", OPS[*op], TPP_THRESHOLDS[*k]),
            Cond::Cmp { tpp: false, op, k } => format!("performance_density {} {}", OPS[*op], DENSITY_THRESHOLDS[*k]),
            Cond::Vendor { ne } => format!("vendor {} \"NVIDIA\"", if *ne { "!=" } else { "==" }),
            Cond::Meets(i) => format!("meets(\"{}\")", ["a", "b"][*i]),
            Cond::Not(c) => format!("not ({})", c.text()),
            Cond::And(parts) => parts.iter().map(|p| format!("({})", p.text())).collect::<Vec<_>>().join(" and "),
            Cond::Or(parts) => parts.iter().map(|p| format!("({})", p.text())).collect::<Vec<_>>().join(" or "),
        }
    }
}

/// A product as conditions read it; `scaled` when it offers its figures at the fixed scale
/// too (a prepared product does; the fast path then compares integers).
#[derive(Debug, Clone)]
struct Product {
    /// Whether the vendor is NVIDIA (else AMD), when known.
    nvidia: Option<bool>,
    tpp: Option<Value>,
    scaled: bool,
    density: Option<Value>,
    /// The truth of the parameters of classification rules 0 and 1 (`meets("a")`, `meets("b")`).
    meets: [Truth; 2],
    datacenter: Option<bool>,
}

impl Env for Product {
    fn value(&self, attr: Attr) -> Option<Value> {
        let datacenter = self.datacenter.map(Value::Bool);
        let known = [(Attr::Tpp, self.tpp), (Attr::PerformanceDensity, self.density)];
        let flags = [(Attr::DesignedOrMarketedForDatacenter, datacenter)];
        known.into_iter().chain(flags).find(|&(a, _)| a == attr).and_then(|(_, v)| v)
    }
    fn scaled(&self, attr: Attr) -> Option<Scaled> {
        // Only a prepared product offers its figures at the fixed scale.
        if !self.scaled {
            return None;
        }
        Scaled::of(&self.value(attr)?)
    }
    fn meets(&self, rules: &[usize]) -> Truth {
        // `meets` holds when one of the rules it names does (a disjunction).
        let mut any = Truth::False;
        for &rule in rules {
            any = or(any, self.meets[rule]);
        }
        any
    }
    fn text_matches(&self, attr: Attr, normalized: &str) -> Option<bool> {
        if attr != Attr::Vendor {
            return None;
        }
        self.nvidia.map(|n| n == (normalized == "NVIDIA"))
    }
    fn text(&self, attr: Attr) -> Option<String> {
        (attr == Attr::Vendor).then_some(self.nvidia).flatten().map(|n| if n { "NVIDIA" } else { "AMD" }.to_string())
    }
}

/// Kleene's strong three-valued logic by its truth tables.
fn and(a: Truth, b: Truth) -> Truth {
    match (a, b) {
        (Truth::False, _) | (_, Truth::False) => Truth::False,
        (Truth::True, Truth::True) => Truth::True,
        _ => Truth::Unknown,
    }
}

fn or(a: Truth, b: Truth) -> Truth {
    match (a, b) {
        (Truth::True, _) | (_, Truth::True) => Truth::True,
        (Truth::False, Truth::False) => Truth::False,
        _ => Truth::Unknown,
    }
}

fn not(a: Truth) -> Truth {
    match a {
        Truth::True => Truth::False,
        Truth::False => Truth::True,
        Truth::Unknown => Truth::Unknown,
    }
}

/// `x op k` for an exact `x = num / den`.
fn holds(num: Decimal, den: Decimal, op: usize, k: Decimal) -> bool {
    let (x, k) = (num, k * den);
    match OPS[op] {
        ">=" => x >= k,
        ">" => x > k,
        "<=" => x <= k,
        "<" => x < k,
        "==" => x == k,
        _ => x != k,
    }
}

/// `v op k`: for a range, true when every value in it makes the comparison true, false when
/// none does, unknown otherwise (the values tried: its ends and the threshold when inside).
fn compared(v: Option<Value>, op: usize, k: Decimal) -> Truth {
    let at = |r: Ratio| holds(r.num, r.den, op, k);
    match v {
        None | Some(Value::Bool(_) | Value::Kind(_)) => Truth::Unknown,
        Some(Value::Num(r)) => Truth::from_bool(at(r)),
        Some(Value::Range { lo, hi }) => {
            let mut outcomes = vec![at(lo)];
            let kr = Ratio::from_decimal(k);
            let above_lo = lo.num < k * lo.den;
            let below_hi = hi.is_none_or(|h| k * h.den < h.num);
            if above_lo && below_hi {
                outcomes.push(at(kr));
            }
            match hi {
                Some(h) => outcomes.push(at(h)),
                // Unbounded: a value above every threshold.
                None => outcomes.push(at(Ratio::from_decimal(dec("1000000")))),
            }
            if outcomes.iter().all(|&b| b) {
                Truth::True
            } else if outcomes.iter().all(|&b| !b) {
                Truth::False
            } else {
                Truth::Unknown
            }
        }
    }
}

/// The truth the regulation's logic gives: Kleene's tables over the leaves' truths.
fn kleene(c: &Cond, p: &Product) -> Truth {
    match c {
        Cond::Const(b) => Truth::from_bool(*b),
        Cond::Datacenter => p.datacenter.map_or(Truth::Unknown, Truth::from_bool),
        Cond::Cmp { tpp: true, op, k } => compared(p.tpp, *op, dec(TPP_THRESHOLDS[*k])),
        Cond::Cmp { tpp: false, op, k } => compared(p.density, *op, dec(DENSITY_THRESHOLDS[*k])),
        Cond::Vendor { ne } => p.nvidia.map_or(Truth::Unknown, |n| Truth::from_bool(n != *ne)),
        Cond::Meets(i) => p.meets[*i],
        Cond::Not(c) => not(kleene(c, p)),
        Cond::And(parts) => parts.iter().fold(Truth::True, |acc, c| and(acc, kleene(c, p))),
        Cond::Or(parts) => parts.iter().fold(Truth::False, |acc, c| or(acc, kleene(c, p))),
    }
}

fn leaf() -> impl Strategy<Value = Cond> {
    prop_oneof![
        any::<bool>().prop_map(Cond::Const),
        Just(Cond::Datacenter),
        (any::<bool>(), 0..OPS.len(), 0..3usize).prop_map(|(tpp, op, k)| Cond::Cmp { tpp, op, k }),
        any::<bool>().prop_map(|ne| Cond::Vendor { ne }),
        (0..2usize).prop_map(Cond::Meets),
    ]
}

/// Any condition: nested `and`, `or` and `not` over leaves.
fn tree() -> impl Strategy<Value = Cond> {
    leaf().prop_recursive(4, 32, 4, |inner| {
        prop_oneof![
            inner.clone().prop_map(|c| Cond::Not(Box::new(c))),
            prop::collection::vec(inner.clone(), 1..4).prop_map(Cond::And),
            prop::collection::vec(inner, 1..4).prop_map(Cond::Or),
        ]
    })
}

/// A chain of literals, each possibly negated, joined by `and` (or `or`): the shapes the fast
/// path compiles to flat code.
fn chain() -> impl Strategy<Value = Cond> {
    let literal = (leaf(), any::<bool>()).prop_map(|(l, n)| if n { Cond::Not(Box::new(l)) } else { l });
    (prop::collection::vec(literal, 1..6), any::<bool>())
        .prop_map(|(lits, all)| if all { Cond::And(lits) } else { Cond::Or(lits) })
}

/// A figure near threshold `k`: on it, one unit of the sixth decimal place or half a unit
/// (a number with seven places, between two keys of the fixed scale) above or below, the
/// same as a ratio (`3k / 3`), or a range: at least it, or from below it to above it.
fn figure(thresholds: &'static [&'static str; 3]) -> impl Strategy<Value = Option<Value>> {
    (0..3usize, 0..9usize).prop_map(move |(k, how)| {
        let k = dec(thresholds[k]);
        let unit = dec("0.000001");
        let half = dec("0.0000005");
        let num = |d: Decimal| Value::Num(Ratio::from_decimal(d));
        Some(match how {
            0 => num(k),
            1 => num(k + unit),
            2 => num(k - unit),
            3 => num(k + half),
            4 => num(k - half),
            5 => Value::Num(Ratio::new(k * dec("3"), dec("3")).unwrap()),
            6 => Value::Range { lo: Ratio::from_decimal(k), hi: None },
            7 => Value::Range { lo: Ratio::from_decimal(k - unit), hi: Some(Ratio::from_decimal(k + unit)) },
            _ => return None,
        })
    })
}

fn truth() -> impl Strategy<Value = Truth> {
    prop_oneof![Just(Truth::True), Just(Truth::False), Just(Truth::Unknown)]
}

fn product() -> impl Strategy<Value = Product> {
    (
        figure(&TPP_THRESHOLDS),
        figure(&DENSITY_THRESHOLDS),
        prop::option::of(any::<bool>()),
        prop::option::of(any::<bool>()),
        (truth(), truth()),
        any::<bool>(),
    )
        .prop_map(|(tpp, density, datacenter, nvidia, (m0, m1), scaled)| Product {
            tpp,
            density,
            datacenter,
            nvidia,
            meets: [m0, m1],
            scaled,
        })
}

/// The condition parsed, its `meets("a")` on rule 0 and `meets("b")` on rule 1.
fn compiled(c: &Cond) -> Expr {
    let text = c.text();
    let mut e = parse(&text).unwrap_or_else(|err| panic!("{text}: {}", err.message));
    e.visit_meets_mut(&mut |prefix, _, rules| rules.push(usize::from(prefix == "b")));
    e
}

/// Every evaluation of `c` on `p` gives Kleene's truth, and the recorded leaves render to the
/// comparisons the trace writes.
fn check(c: &Cond, p: &Product) -> Result<(), TestCaseError> {
    let e = compiled(c);
    let expected = kleene(c, p);
    let text = c.text();
    prop_assert_eq!(e.truth(p), expected, "truth: {} on {:?}", text, p);
    prop_assert_eq!(e.eval(p, None), expected, "eval: {}", text);
    let mut trace: Vec<Comparison> = Vec::new();
    prop_assert_eq!(e.eval(p, Some(&mut trace)), expected, "traced: {}", text);
    let mut leaves = Vec::new();
    prop_assert_eq!(e.eval_recorded(p, &mut leaves), expected, "recorded: {}", text);
    let rendered: Vec<Comparison> = leaves.iter().filter_map(|l| l.render(p)).collect();
    prop_assert_eq!(&rendered, &trace, "rendered leaves: {}", text);
    if let Some(program) = Program::of(&e) {
        prop_assert_eq!(program.truth(p), expected, "flat code: {} on {:?}", text, p);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2048, ..ProptestConfig::default() })]

    /// Nested conditions, evaluated every way, give Kleene's truth.
    #[test]
    fn every_evaluation_of_a_condition_gives_its_kleene_truth(c in tree(), p in product()) {
        check(&c, &p)?;
    }

    /// Chains of literals (compiled to flat code for the fast path) give Kleene's truth, the
    /// flat code included.
    #[test]
    fn the_flat_code_gives_the_kleene_truth_of_its_condition(c in chain(), p in product()) {
        prop_assert!(Program::of(&compiled(&c)).is_some(), "no flat code for {}", c.text());
        check(&c, &p)?;
    }
}

/// The oracle itself: on the 3A090.a.2 threshold (TPP 1600 and density 5.92, 88 FR 73458) a
/// part exactly on it meets it, half a unit of the sixth place under it does not, and an
/// unknown density leaves it open; `false and unknown` is false, `true or unknown` true.
#[test]
fn the_oracle_decides_thresholds_and_unknowns_as_the_regulation_reads() {
    let c = Cond::And(vec![Cond::Cmp { tpp: true, op: 0, k: 0 }, Cond::Cmp { tpp: false, op: 0, k: 2 }]);
    let mut p = Product {
        tpp: Some(Value::Num(Ratio::from_decimal(dec("1600")))),
        density: Some(Value::Num(Ratio::from_decimal(dec("5.92")))),
        datacenter: None,
        nvidia: None,
        meets: [Truth::Unknown; 2],
        scaled: true,
    };
    assert_eq!(kleene(&c, &p), Truth::True);
    p.density = Some(Value::Num(Ratio::from_decimal(dec("5.9199995"))));
    assert_eq!(kleene(&c, &p), Truth::False);
    p.density = None;
    assert_eq!(kleene(&c, &p), Truth::Unknown);
    p.tpp = Some(Value::Range { lo: Ratio::from_decimal(dec("1599.999999")), hi: None });
    p.density = Some(Value::Num(Ratio::from_decimal(dec("6"))));
    assert_eq!(kleene(&c, &p), Truth::Unknown);
    assert_eq!(kleene(&Cond::And(vec![Cond::Const(false), Cond::Datacenter]), &p), Truth::False);
    assert_eq!(kleene(&Cond::Or(vec![Cond::Const(true), Cond::Datacenter]), &p), Truth::True);
    for c in [c, Cond::Or(vec![Cond::Const(true), Cond::Datacenter])] {
        check(&c, &p).unwrap();
    }
}
