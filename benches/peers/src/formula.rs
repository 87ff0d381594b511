//! The benchmark rules as formulas, rendered as Cedar policy conditions and ZEN expressions.
//!
//! Cedar and ZEN have no "unknown" truth value, while a missing figure on a product sheet is
//! unknown (never zero) in export-controls. Each output is therefore rendered twice: `certain`
//! (the formula is true whatever the missing figures are) and `possible` (it is not false), by
//! the usual Kleene rules: an atom on an absent attribute is possible but not certain, `not`
//! swaps the two, `and`/`or` keep them. The rules themselves are written once, here, from
//! `pack/ccl-3a090.toml`, `pack/ccl-4a090.toml` and `pack/license-requirements.toml`.

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

/// Note 2: not designed or marketed for datacenters and TPP less than 4800.
fn note2() -> F {
    F::And(vec![not(F::Datacenter), F::Lt(Num::Tpp, "4800")])
}

/// The parameters of 3A090.a.1, .a.2, .b.1 and .b.2 (Note 2 applied; any product kind).
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

/// The six paragraphs, in the bit order of [`crate::answer::PARAGRAPHS`].
pub fn paragraphs() -> [F; 6] {
    let [a1, a2, b1, b2] = params();
    let ic = F::Kind("integrated_circuit");
    let computer = F::Kind("computer");
    [
        F::And(vec![a1.clone(), ic.clone()]),
        F::And(vec![a2.clone(), ic.clone()]),
        F::And(vec![b1.clone(), ic.clone()]),
        F::And(vec![b2.clone(), ic]),
        F::And(vec![F::Or(vec![a1.clone(), a2.clone()]), computer.clone()]),
        F::And(vec![F::Or(vec![b1.clone(), b2.clone()]), computer]),
    ]
}

/// 742.6(a)(6)(iii): a 3A090.a/.b or 4A090.a/.b item to a destination in scope. The six
/// paragraphs factor as (IC or computer) and (the parameters of .a or .b), as a policy author
/// would write it (Kleene logic is distributive, so the truth value is the same).
pub fn licence() -> F {
    F::And(vec![F::InScope, F::Or(vec![F::Kind("integrated_circuit"), F::Kind("computer")]), F::Or(params().into())])
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

/// A Cedar literal for a threshold: `decimal("4800.0")`.
fn cedar_decimal(k: &str) -> String {
    if k.contains('.') { format!("decimal(\"{k}\")") } else { format!("decimal(\"{k}.0\")") }
}

fn cedar_attr(n: Num) -> &'static str {
    match n {
        Num::Tpp => "tpp",
        Num::Pd => "performance_density",
    }
}

/// A Cedar condition over `principal` (the product entity) and `resource` (the destination).
pub fn cedar(f: &F, b: Bound) -> String {
    let guarded = |attr: &str, test: String| match b {
        Bound::Certain => format!("(principal has {attr} && {test})"),
        Bound::Possible => format!("(!(principal has {attr}) || {test})"),
    };
    match f {
        F::Ge(n, k) => {
            let a = cedar_attr(*n);
            guarded(a, format!("principal.{a}.greaterThanOrEqual({})", cedar_decimal(k)))
        }
        F::Lt(n, k) => {
            let a = cedar_attr(*n);
            guarded(a, format!("principal.{a}.lessThan({})", cedar_decimal(k)))
        }
        F::Datacenter => guarded("datacenter", "principal.datacenter".into()),
        F::Kind(k) => format!("(principal.kind == \"{k}\")"),
        F::InScope => "((resource in Group::\"D:1\" || resource in Group::\"D:4\" || resource in Group::\"D:5\") \
                       && !(resource in Group::\"A:5\" || resource in Group::\"A:6\"))"
            .into(),
        F::Not(g) => format!("!{}", cedar(g, b.flip())),
        F::And(v) => format!("({})", v.iter().map(|g| cedar(g, b)).collect::<Vec<_>>().join(" && ")),
        F::Or(v) => format!("({})", v.iter().map(|g| cedar(g, b)).collect::<Vec<_>>().join(" || ")),
    }
}

/// A ZEN expression over the input object `{ tpp, performance_density, datacenter, kind, groups }`
/// (absent figures are `null`).
pub fn zen(f: &F, b: Bound) -> String {
    let guarded = |attr: &str, test: String| match b {
        Bound::Certain => format!("({attr} != null and {test})"),
        Bound::Possible => format!("({attr} == null or {test})"),
    };
    match f {
        F::Ge(n, k) => {
            let a = cedar_attr(*n);
            guarded(a, format!("{a} >= {k}"))
        }
        F::Lt(n, k) => {
            let a = cedar_attr(*n);
            guarded(a, format!("{a} < {k}"))
        }
        F::Datacenter => guarded("datacenter", "datacenter == true".into()),
        F::Kind(k) => format!("(kind == \"{k}\")"),
        F::InScope => {
            "(some(groups, # in [\"D:1\", \"D:4\", \"D:5\"]) and none(groups, # in [\"A:5\", \"A:6\"]))".into()
        }
        F::Not(g) => format!("not {}", zen(g, b.flip())),
        F::And(v) => format!("({})", v.iter().map(|g| zen(g, b)).collect::<Vec<_>>().join(" and ")),
        F::Or(v) => format!("({})", v.iter().map(|g| zen(g, b)).collect::<Vec<_>>().join(" or ")),
    }
}
