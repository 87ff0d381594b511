//! Checks on the threshold bands of classification paragraphs: conditions that can never hold
//! (L001), gaps between the bands of one ECCN family (L002), duplicate paragraphs (L003) and
//! overlapping bands of two ECCNs of one family (L007).

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;

use crate::diagnostic::{Code, Diagnostic};
use crate::ruleset::condition::{CmpOp, Expr, Operand};
use crate::ruleset::vocabulary::Attr;
use crate::ruleset::{Classification, RuleSet, is_under};

/// L001: a condition whose bounds on one attribute leave no value.
pub(super) fn impossible(rules: &RuleSet) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for c in &rules.classifications {
        let Some(bx) = boxes(&c.when) else { continue };
        for attr in bx.iter().filter(|(_, b)| b.is_empty()).map(|(a, _)| a) {
            let message = format!("`{}` can never be true: the bounds on {} leave no value", c.meta.id, attr.name());
            out.push(c.meta.site.diagnostic(Code::L001, message));
        }
    }
    out
}

/// L002: a band ends where no paragraph of the same ECCN family in force at the same time
/// begins (a gap).
pub(super) fn gaps(rules: &RuleSet) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for c in &rules.classifications {
        let Some(bx) = boxes(&c.when) else { continue };
        for (attr, b) in &bx {
            let Some((u, inclusive)) = b.upper else { continue };
            let continues = rules
                .classifications
                .iter()
                .filter(|o| family(&o.eccn) == family(&c.eccn) && in_force_together(o, c))
                .filter_map(|o| boxes(&o.when)?.get(attr)?.lower)
                .any(|(l, li)| l == u && li != inclusive);
            if !continues {
                let op = if inclusive { "<=" } else { "<" };
                let next = if inclusive { ">" } else { ">=" };
                let (id, name, fam) = (&c.meta.id, attr.name(), family(&c.eccn));
                let message = format!(
                    "`{id}` ends at {name} {op} {u}, but no {fam} paragraph in force at the same time starts at \
                     {name} {next} {u}: values from there on fall in a gap"
                );
                out.push(c.meta.site.diagnostic(Code::L002, message));
            }
        }
    }
    out
}

/// L003: two paragraphs of one ECCN with the same condition in force at the same time.
pub(super) fn duplicates(rules: &RuleSet) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (i, a) in rules.classifications.iter().enumerate() {
        for b in rules.classifications.iter().skip(i + 1) {
            if a.eccn == b.eccn
                && a.when == b.when
                && a.kinds == b.kinds
                && in_force_together(a, b)
                && a.meta.id != b.meta.id
            {
                let message = format!(
                    "`{}` has the same condition as `{}` ({}) and never adds anything",
                    b.meta.id, a.meta.id, a.meta.location
                );
                out.push(b.meta.site.diagnostic(Code::L003, message));
            }
        }
    }
    out
}

/// L007: paragraphs of two different ECCNs of one family (3A090.a and 3A090.b) whose bands
/// overlap, where neither excludes the other with `not meets(...)`.
pub(super) fn overlaps(rules: &RuleSet) -> Vec<Diagnostic> {
    let excludes = |x: &Classification, y: &Classification| {
        negated_meets(&x.when).iter().any(|p| is_under(p, &y.meta.id) || is_under(p, &y.eccn))
    };
    let mut out = Vec::new();
    for (i, a) in rules.classifications.iter().enumerate() {
        for b in rules.classifications.iter().skip(i + 1) {
            if a.eccn == b.eccn
                || family(&a.eccn) != family(&b.eccn)
                || !in_force_together(a, b)
                || a.kinds != b.kinds
                || excludes(a, b)
                || excludes(b, a)
            {
                continue;
            }
            let (Some(ba), Some(bb)) = (boxes(&a.when), boxes(&b.when)) else { continue };
            // Only bands over a common figure compare (a.1 and b.1 both bound TPP).
            if !ba.keys().any(|k| bb.contains_key(k)) {
                continue;
            }
            let attrs: BTreeSet<&Attr> = ba.keys().chain(bb.keys()).collect();
            let intersect = attrs.iter().all(|attr| {
                let x = ba.get(attr).copied().unwrap_or_default();
                let y = bb.get(attr).copied().unwrap_or_default();
                !x.meet(&y).is_empty()
            });
            if intersect {
                let message = format!(
                    "the bands of `{}` ({}) and `{}` ({}) overlap: a product can be in both",
                    a.meta.id, a.eccn, b.meta.id, b.eccn
                );
                let help = format!(
                    "add `not meets(\"{}\")` to the lower paragraph if the regulation ranks them",
                    (&a.eccn).min(&b.eccn)
                );
                out.push(b.meta.site.diagnostic(Code::L007, message).with_help(help));
            }
        }
    }
    out
}

/// Bounds on one attribute: lower and upper, each a value and whether it is inclusive.
#[derive(Debug, Clone, Copy, Default)]
struct Bounds {
    lower: Option<(Decimal, bool)>,
    upper: Option<(Decimal, bool)>,
}

impl Bounds {
    /// Whether no value lies within the bounds.
    fn is_empty(&self) -> bool {
        match (self.lower, self.upper) {
            (Some((l, li)), Some((u, ui))) => l > u || (l == u && !(li && ui)),
            _ => false,
        }
    }

    /// The values within both bounds.
    fn meet(&self, other: &Bounds) -> Bounds {
        let lower = match (self.lower, other.lower) {
            (Some(p), Some(q)) => tighter_lower(Some(p), q),
            (p, q) => p.or(q),
        };
        let upper = match (self.upper, other.upper) {
            (Some(p), Some(q)) => tighter_upper(Some(p), q),
            (p, q) => p.or(q),
        };
        Bounds { lower, upper }
    }
}

/// The numeric bounds a purely conjunctive condition puts on each attribute; `None` when the
/// condition is not a conjunction of comparisons with numbers (it may still hold flags and
/// `meets`, which are ignored).
fn boxes(e: &Expr) -> Option<BTreeMap<Attr, Bounds>> {
    let mut out: BTreeMap<Attr, Bounds> = BTreeMap::new();
    for p in conjuncts(e) {
        match p {
            Expr::Cmp { lhs: Operand::Attr(a), op, rhs: Operand::Num(n), .. } => {
                let b = out.entry(*a).or_default();
                match op {
                    CmpOp::Ge => b.lower = tighter_lower(b.lower, (*n, true)),
                    CmpOp::Gt => b.lower = tighter_lower(b.lower, (*n, false)),
                    CmpOp::Le => b.upper = tighter_upper(b.upper, (*n, true)),
                    CmpOp::Lt => b.upper = tighter_upper(b.upper, (*n, false)),
                    CmpOp::Eq => {
                        b.lower = tighter_lower(b.lower, (*n, true));
                        b.upper = tighter_upper(b.upper, (*n, true));
                    }
                    CmpOp::Ne => {}
                }
            }
            Expr::Or(_) => return None,
            _ => {}
        }
    }
    Some(out)
}

fn tighter_lower(a: Option<(Decimal, bool)>, b: (Decimal, bool)) -> Option<(Decimal, bool)> {
    Some(match a {
        Some(x) if x.0 > b.0 || (x.0 == b.0 && !x.1) => x,
        _ => b,
    })
}

fn tighter_upper(a: Option<(Decimal, bool)>, b: (Decimal, bool)) -> Option<(Decimal, bool)> {
    Some(match a {
        Some(x) if x.0 < b.0 || (x.0 == b.0 && !x.1) => x,
        _ => b,
    })
}

/// The parts of a conjunction (the expression itself when it is not one).
fn conjuncts(e: &Expr) -> Vec<&Expr> {
    match e {
        Expr::And(p) => p.iter().collect(),
        other => vec![other],
    }
}

/// The prefixes of `meets(...)` that appear negated in a conjunction (`not meets("3A090.a")`).
fn negated_meets(e: &Expr) -> Vec<&str> {
    conjuncts(e)
        .into_iter()
        .filter_map(|p| match p {
            Expr::Not(inner) => match inner.as_ref() {
                Expr::Meets { prefix, .. } => Some(prefix.as_str()),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

/// The ECCN family: `3A090` for `3A090.a`.
fn family(eccn: &str) -> &str {
    eccn.split('.').next().unwrap_or(eccn)
}

/// Whether two paragraphs are in force on a common day.
fn in_force_together(a: &Classification, b: &Classification) -> bool {
    a.meta.period.overlaps(&b.meta.period)
}
