//! The benchmark rules as formulas, rendered as Cedar policy conditions and ZEN expressions.
//!
//! Cedar and ZEN have no "unknown" truth value, while a missing figure on a product sheet is
//! unknown (never zero) in export-controls. Each output is therefore rendered twice: `certain`
//! (the formula is true whatever the missing figures are) and `possible` (it is not false), by
//! the usual Kleene rules: an atom on an absent attribute is possible but not certain, `not`
//! swaps the two, `and`/`or` keep them. The rules themselves are written once, here, from
//! `pack/ccl-3a090.toml`, `pack/ccl-4a090.toml` and `pack/license-requirements.toml`.

use crate::inputs::{PeerMetrics, UnitFigures, scaled};

/// A numeric attribute of the product.
#[derive(Debug, Clone, Copy)]
pub enum Num {
    /// `tpp`
    Tpp,
    /// `performance_density`
    Pd,
}

/// A formula over the product and the destination.
#[derive(Debug, Clone)]
pub enum F {
    /// `attr >= threshold`
    Ge(Num, &'static str),
    /// `attr < threshold`
    Lt(Num, &'static str),
    /// `designed_or_marketed_for_datacenter`
    Datacenter,
    /// `kind == ...` (never unknown)
    Kind(&'static str),
    /// The destination is in D:1, D:4 or D:5 and in neither A:5 nor A:6 (never unknown).
    InScope,
    /// A boolean fact of the product computed beforehand (never unknown): see [`Classified`].
    Fact(&'static str),
    /// The formula (over a unit's figures: [`F::Ge`], [`F::Lt`], [`F::Datacenter`]) holds for
    /// some unit the product is tested as: itself, or for a computer one of the ICs it contains
    /// ([`crate::inputs::PeerMetrics`]).
    Some(Box<F>),
    /// negation
    Not(Box<F>),
    /// conjunction
    And(Vec<F>),
    /// disjunction
    Or(Vec<F>),
}

fn not(f: F) -> F {
    F::Not(Box::new(f))
}

fn some(f: F) -> F {
    F::Some(Box::new(f))
}

/// Note 2: not designed or marketed for datacenters and TPP less than 4800.
fn note2() -> F {
    F::And(vec![not(F::Datacenter), F::Lt(Num::Tpp, "4800")])
}

/// The parameters of 3A090.a.1, .a.2, .b.1 and .b.2 (Note 2 applied; any product kind), over
/// one unit's figures.
fn params() -> [F; 4] {
    let a1 = F::And(vec![F::Ge(Num::Tpp, "4800"), not(note2())]);
    let a2 = F::And(vec![F::Ge(Num::Tpp, "1600"), F::Ge(Num::Pd, "5.92"), not(note2())]);
    let meets_a = F::Or(vec![a1.clone(), a2.clone()]);
    let b1 = F::And(vec![
        not(meets_a.clone()),
        F::Ge(Num::Tpp, "2400"),
        F::Lt(Num::Tpp, "4800"),
        F::Ge(Num::Pd, "1.6"),
        F::Lt(Num::Pd, "5.92"),
        not(note2()),
    ]);
    let b2 = F::And(vec![
        not(meets_a),
        F::Ge(Num::Tpp, "1600"),
        F::Ge(Num::Pd, "3.2"),
        F::Lt(Num::Pd, "5.92"),
        not(note2()),
    ]);
    [a1, a2, b1, b2]
}

/// The six paragraphs, in the bit order of [`crate::answer::PARAGRAPHS`]: an IC's 3A090
/// paragraphs from its own parameters, a computer's 4A090 paragraphs from those of some IC it
/// contains.
pub fn paragraphs() -> [F; 6] {
    let [a1, a2, b1, b2] = params();
    let ic = F::Kind("integrated_circuit");
    let computer = F::Kind("computer");
    [
        F::And(vec![ic.clone(), some(a1.clone())]),
        F::And(vec![ic.clone(), some(a2.clone())]),
        F::And(vec![ic.clone(), some(b1.clone())]),
        F::And(vec![ic, some(b2.clone())]),
        F::And(vec![computer.clone(), some(F::Or(vec![a1, a2]))]),
        F::And(vec![computer, some(F::Or(vec![b1, b2]))]),
    ]
}

/// The product's part of 742.6(a)(6)(iii): a 3A090.a/.b or 4A090.a/.b item. The six paragraphs
/// factor as (IC or computer) and (the parameters of .a or .b of some unit), as a policy author
/// would write it (Kleene logic is distributive, so the truth value is the same).
pub fn item() -> F {
    F::And(vec![F::Or(vec![F::Kind("integrated_circuit"), F::Kind("computer")]), some(F::Or(params().into()))])
}

/// 742.6(a)(6)(iii): such an item to a destination in scope (one conjunction, as first written).
pub fn licence() -> F {
    match item() {
        F::And(mut v) => {
            v.insert(0, F::InScope);
            F::And(v)
        }
        other => F::And(vec![F::InScope, other]),
    }
}

/// The outputs of the full encoding, as (id, formula, bound): `c0`..`c5` (paragraph certainly
/// matched), `p0`..`p5` (possibly matched), `cl`/`pl` (licence certainly / possibly required).
pub fn outputs() -> Vec<(String, F, Bound)> {
    let mut out = Vec::new();
    for (i, p) in paragraphs().into_iter().enumerate() {
        out.push((format!("c{i}"), p.clone(), Bound::Certain));
        out.push((format!("p{i}"), p, Bound::Possible));
    }
    out.push(("cl".into(), licence(), Bound::Certain));
    out.push(("pl".into(), licence(), Bound::Possible));
    out
}

/// The same outputs when the product was classified once ([`Classified`]): the paragraph
/// bounds are facts of the product, and only the destination scope is left to decide.
pub fn classified_outputs() -> Vec<(String, F)> {
    let mut out = Vec::new();
    for i in 0..6 {
        out.push((format!("c{i}"), F::Fact(Classified::FACTS[i])));
        out.push((format!("p{i}"), F::Fact(Classified::FACTS[6 + i])));
    }
    out.push(("cl".into(), F::And(vec![F::InScope, F::Fact("lc")])));
    out.push(("pl".into(), F::And(vec![F::InScope, F::Fact("lp")])));
    out
}

/// A product classified once, for the peers' "classified" variants (the engine's
/// `classify_product` does the same once per epoch): every paragraph's two bounds and the two
/// bounds of [`item`], by the Kleene evaluation of the same formulas.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Classified {
    /// Paragraphs certainly matched (bit i = paragraph i).
    pub certain: u8,
    /// Paragraphs possibly matched.
    pub possible: u8,
    /// The item is certainly a 3A090.a/.b or 4A090.a/.b item.
    pub item_certain: bool,
    /// The item possibly is one.
    pub item_possible: bool,
}

impl Classified {
    /// The names of the facts: `c0`..`c5`, `p0`..`p5`, then `lc` and `lp` (the item's bounds).
    pub const FACTS: [&'static str; 14] =
        ["c0", "c1", "c2", "c3", "c4", "c5", "p0", "p1", "p2", "p3", "p4", "p5", "lc", "lp"];

    /// Classifies a product.
    pub fn of(m: &PeerMetrics) -> Classified {
        let (mut certain, mut possible) = (0, 0);
        for (i, p) in paragraphs().iter().enumerate() {
            let t = eval(p, m);
            certain |= u8::from(t == Some(true)) << i;
            possible |= u8::from(t != Some(false)) << i;
        }
        let t = eval(&item(), m);
        Classified { certain, possible, item_certain: t == Some(true), item_possible: t != Some(false) }
    }

    /// The facts in the order of [`Classified::FACTS`].
    pub fn facts(&self) -> [bool; 14] {
        let mut f = [false; 14];
        for i in 0..6 {
            f[i] = self.certain & (1 << i) != 0;
            f[6 + i] = self.possible & (1 << i) != 0;
        }
        f[12] = self.item_certain;
        f[13] = self.item_possible;
        f
    }
}

/// The Kleene truth value of a formula over the product (`None`: unknown). The formula must not
/// depend on the destination or on facts.
pub fn eval(f: &F, m: &PeerMetrics) -> Option<bool> {
    eval_on(f, m, None)
}

/// [`eval`], with the unit that [`F::Some`] is evaluating (a unit's figures are read only
/// inside it).
fn eval_on(f: &F, m: &PeerMetrics, unit: Option<&UnitFigures>) -> Option<bool> {
    let this = || unit.unwrap_or_else(|| panic!("eval: {f:?} reads a unit's figures outside `some`"));
    let num = |n: &Num| match n {
        Num::Tpp => this().tpp,
        Num::Pd => this().performance_density,
    };
    match f {
        F::Ge(n, k) => num(n).map(|x| x >= scaled(k)),
        F::Lt(n, k) => num(n).map(|x| x < scaled(k)),
        F::Datacenter => this().datacenter,
        F::Kind(k) => Some(m.kind.as_str() == *k),
        F::InScope | F::Fact(_) => panic!("eval: {f:?} is not a fact of the product's figures"),
        F::Some(g) => kleene_or(m.units.iter().map(|u| eval_on(g, m, Some(u)))),
        F::Not(g) => eval_on(g, m, unit).map(|b| !b),
        F::And(v) => kleene_or(v.iter().map(|g| eval_on(g, m, unit).map(|b| !b))).map(|b| !b),
        F::Or(v) => kleene_or(v.iter().map(|g| eval_on(g, m, unit))),
    }
}

/// Kleene disjunction: true when one is, false when all are, else unknown.
fn kleene_or(values: impl Iterator<Item = Option<bool>>) -> Option<bool> {
    let mut acc = Some(false);
    for v in values {
        match v {
            Some(true) => return Some(true),
            None => acc = None,
            Some(false) => {}
        }
    }
    acc
}

/// Which bound to render.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    /// True whatever the missing figures are.
    Certain,
    /// Not false.
    Possible,
}

impl Bound {
    fn flip(self) -> Bound {
        match self {
            Bound::Certain => Bound::Possible,
            Bound::Possible => Bound::Certain,
        }
    }
}

fn cedar_attr(n: Num) -> &'static str {
    match n {
        Num::Tpp => "tpp",
        Num::Pd => "performance_density",
    }
}

/// A Cedar condition over `principal` (the product entity) and `resource` (the destination).
/// Figures and thresholds are `Long`s scaled by 10⁴ (`principal.tpp >= 48000000` is TPP ≥ 4800),
/// exact for these thresholds (see [`crate::inputs::PeerMetrics`]): a `decimal("4800.0")`
/// literal would be parsed again by Cedar on every request.
pub fn cedar(f: &F, b: Bound) -> String {
    let guarded = |attr: &str, test: String| match b {
        Bound::Certain => format!("(principal has {attr} && {test})"),
        Bound::Possible => format!("(!(principal has {attr}) || {test})"),
    };
    match f {
        F::Ge(n, k) => {
            let a = cedar_attr(*n);
            guarded(a, format!("principal.{a} >= {}", scaled(k)))
        }
        F::Lt(n, k) => {
            let a = cedar_attr(*n);
            guarded(a, format!("principal.{a} < {}", scaled(k)))
        }
        F::Datacenter => guarded("datacenter", "principal.datacenter".into()),
        F::Kind(k) => format!("(principal.kind == \"{k}\")"),
        F::Fact(name) => format!("principal.{name}"),
        // Cedar has no quantifier over a set: one request per unit, its answers joined by "or"
        // (see `crate::cedar`), so a unit is the principal.
        F::Some(g) => cedar(g, b),
        F::InScope => "((resource in Group::\"D:1\" || resource in Group::\"D:4\" || resource in Group::\"D:5\") \
                       && !(resource in Group::\"A:5\" || resource in Group::\"A:6\"))"
            .into(),
        F::Not(g) => format!("!{}", cedar(g, b.flip())),
        F::And(v) => format!("({})", v.iter().map(|g| cedar(g, b)).collect::<Vec<_>>().join(" && ")),
        F::Or(v) => format!("({})", v.iter().map(|g| cedar(g, b)).collect::<Vec<_>>().join(" || ")),
    }
}

/// A ZEN expression over the input object `{ kind, units: [{ tpp, performance_density,
/// datacenter }], groups }` (absent figures are `null`; [`F::Some`] is `some(units, …)`).
pub fn zen(f: &F, b: Bound) -> String {
    zen_in(f, b, "")
}

/// [`zen`], a unit's figures read as `{at}tpp` (`#.tpp` inside `some(units, …)`).
fn zen_in(f: &F, b: Bound, at: &str) -> String {
    let guarded = |attr: &str, test: String| match b {
        Bound::Certain => format!("({at}{attr} != null and {test})"),
        Bound::Possible => format!("({at}{attr} == null or {test})"),
    };
    match f {
        F::Ge(n, k) => {
            let a = cedar_attr(*n);
            guarded(a, format!("{at}{a} >= {k}"))
        }
        F::Lt(n, k) => {
            let a = cedar_attr(*n);
            guarded(a, format!("{at}{a} < {k}"))
        }
        F::Datacenter => guarded("datacenter", format!("{at}datacenter == true")),
        F::Kind(k) => format!("(kind == \"{k}\")"),
        F::Fact(name) => format!("({name} == true)"),
        F::Some(g) => format!("some(units, {})", zen_in(g, b, "#.")),
        F::InScope => {
            "(some(groups, # in [\"D:1\", \"D:4\", \"D:5\"]) and none(groups, # in [\"A:5\", \"A:6\"]))".into()
        }
        F::Not(g) => format!("not {}", zen_in(g, b.flip(), at)),
        F::And(v) => format!("({})", v.iter().map(|g| zen_in(g, b, at)).collect::<Vec<_>>().join(" and ")),
        F::Or(v) => format!("({})", v.iter().map(|g| zen_in(g, b, at)).collect::<Vec<_>>().join(" or ")),
    }
}
