//! Lint for rule packs: problems that compile but are probably mistakes. Errors that make a
//! pack unusable are reported by the loader (see [`crate::ruleset::compile`]); the lint adds
//! warnings and the errors a loaded pack can still have (a condition that can never hold).
//!
//! Checks: gaps between threshold bands of one ECCN (a band that ends where no other begins),
//! overlapping bands of two ECCNs of one family (3A090.a and 3A090.b), conditions that can never be true, duplicate (shadowed) paragraphs, rules
//! in force before their own publication date, and country groups or lists never used.

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;
use serde::Serialize;

use crate::ruleset::condition::{CmpOp, Expr, Operand};
use crate::ruleset::vocabulary::Attr;
use crate::ruleset::{Classification, Destinations, RuleSet, Scope, is_under};

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Probably a mistake; review it.
    Warning,
    /// Certainly wrong.
    Error,
}

/// One lint finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Warning or error.
    pub severity: Severity,
    /// Stable code, e.g. `L001`.
    pub code: &'static str,
    /// `file:line` of the rule concerned.
    pub location: String,
    /// What is wrong.
    pub message: String,
}

/// Bounds on one attribute: lower (value, inclusive) and upper (value, inclusive).
#[derive(Debug, Clone, Copy, Default)]
struct Bounds {
    lower: Option<(Decimal, bool)>,
    upper: Option<(Decimal, bool)>,
}

/// The numeric bounds a purely conjunctive condition puts on each attribute; `None` when the
/// condition is not a conjunction of comparisons with numbers (it may still hold flags and
/// `meets`, which are ignored).
fn boxes(e: &Expr) -> Option<BTreeMap<Attr, Bounds>> {
    let mut out: BTreeMap<Attr, Bounds> = BTreeMap::new();
    let parts: Vec<&Expr> = match e {
        Expr::And(p) => p.iter().collect(),
        other => vec![other],
    };
    for p in parts {
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

fn empty(b: &Bounds) -> bool {
    match (b.lower, b.upper) {
        (Some((l, li)), Some((u, ui))) => l > u || (l == u && !(li && ui)),
        _ => false,
    }
}

/// The prefixes of `meets(...)` that appear negated in a conjunction (`not meets("3A090.a")`).
fn negated_meets(e: &Expr) -> Vec<&str> {
    let parts: Vec<&Expr> = match e {
        Expr::And(p) => p.iter().collect(),
        other => vec![other],
    };
    parts
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

fn family(eccn: &str) -> &str {
    eccn.split('.').next().unwrap_or(eccn)
}

fn overlaps(a: &Classification, b: &Classification) -> bool {
    a.meta.period.overlaps(&b.meta.period)
}

/// Lints a compiled pack. Findings are in a stable order: by code, then location.
pub fn lint(rules: &RuleSet) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut push = |severity, code, location: &str, message: String| {
        out.push(Finding { severity, code, location: location.to_string(), message });
    };

    // L001: a condition that can never be true.
    for c in &rules.classifications {
        if let Some(bx) = boxes(&c.when) {
            for (attr, b) in &bx {
                if empty(b) {
                    push(
                        Severity::Error,
                        "L001",
                        &c.meta.location,
                        format!("`{}` can never be true: the bounds on {} leave no value", c.meta.id, attr.name()),
                    );
                }
            }
        }
    }

    // L002: a band ends where no paragraph of the same ECCN family begins (a gap).
    for c in &rules.classifications {
        let Some(bx) = boxes(&c.when) else { continue };
        for (attr, b) in &bx {
            let Some((u, inclusive)) = b.upper else { continue };
            let continues =
                rules.classifications.iter().filter(|o| family(&o.eccn) == family(&c.eccn) && overlaps(o, c)).any(
                    |o| {
                        boxes(&o.when)
                            .and_then(|ob| ob.get(attr).and_then(|ob| ob.lower))
                            .is_some_and(|(l, li)| l == u && li != inclusive)
                    },
                );
            if !continues {
                let op = if inclusive { "<=" } else { "<" };
                let next = if inclusive { ">" } else { ">=" };
                push(
                    Severity::Warning,
                    "L002",
                    &c.meta.location,
                    format!(
                        "`{}` ends at {} {op} {u}, but no {} paragraph in force at the same time starts at {} {next} {u}: values from there on fall in a gap",
                        c.meta.id,
                        attr.name(),
                        family(&c.eccn),
                        attr.name()
                    ),
                );
            }
        }
    }

    // L007: paragraphs of two different ECCNs of one family (3A090.a and 3A090.b) whose bands
    // overlap, where neither excludes the other with `not meets(...)`.
    for (i, a) in rules.classifications.iter().enumerate() {
        for b in rules.classifications.iter().skip(i + 1) {
            if a.eccn == b.eccn || family(&a.eccn) != family(&b.eccn) || !overlaps(a, b) || a.kinds != b.kinds {
                continue;
            }
            let excludes = |x: &Classification, y: &Classification| {
                negated_meets(&x.when).iter().any(|p| is_under(p, &y.meta.id) || is_under(p, &y.eccn))
            };
            if excludes(a, b) || excludes(b, a) {
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
                let lower = match (x.lower, y.lower) {
                    (Some(p), Some(q)) => tighter_lower(Some(p), q),
                    (p, q) => p.or(q),
                };
                let upper = match (x.upper, y.upper) {
                    (Some(p), Some(q)) => tighter_upper(Some(p), q),
                    (p, q) => p.or(q),
                };
                !empty(&Bounds { lower, upper })
            });
            if intersect {
                push(
                    Severity::Warning,
                    "L007",
                    &b.meta.location,
                    format!(
                        "the bands of `{}` ({}) and `{}` ({}) overlap: a product can be in both; add `not meets(\"{}\")` to the lower paragraph if the regulation ranks them",
                        a.meta.id,
                        a.eccn,
                        b.meta.id,
                        b.eccn,
                        (&a.eccn).min(&b.eccn)
                    ),
                );
            }
        }
    }

    // L003: two paragraphs of one ECCN with the same condition in force at the same time.
    for (i, a) in rules.classifications.iter().enumerate() {
        for b in rules.classifications.iter().skip(i + 1) {
            if a.eccn == b.eccn && a.when == b.when && a.kinds == b.kinds && overlaps(a, b) && a.meta.id != b.meta.id {
                push(
                    Severity::Warning,
                    "L003",
                    &b.meta.location,
                    format!(
                        "`{}` has the same condition as `{}` ({}) and never adds anything",
                        b.meta.id, a.meta.id, a.meta.location
                    ),
                );
            }
        }
    }

    // L004: in force before its own publication date.
    let metas = rules
        .classifications
        .iter()
        .map(|r| &r.meta)
        .chain(rules.exclusions.iter().map(|r| &r.meta))
        .chain(rules.requirements.iter().map(|r| &r.meta))
        .chain(rules.exceptions.iter().map(|r| &r.meta))
        .chain(rules.review_policies.iter().map(|r| &r.meta))
        .chain(rules.notices.iter().map(|r| &r.meta));
    for m in metas {
        if let Some(p) = m.published
            && m.period.from < p
            && m.effective.is_none()
        {
            push(
                Severity::Warning,
                "L004",
                &m.location,
                format!(
                    "`{}` is in force from {} but its source was published on {p}; BIS rules often take effect before publication, so confirm the effective date with `effective = ...`",
                    m.id, m.period.from
                ),
            );
        }
    }

    // L005: country groups never used; L006: lists never used.
    let mut used_groups: BTreeSet<&str> = BTreeSet::new();
    let mut used_lists: BTreeSet<&str> = BTreeSet::new();
    let scopes = rules
        .requirements
        .iter()
        .map(|r| &r.scope)
        .chain(rules.exceptions.iter().map(|r| &r.scope))
        .chain(rules.review_policies.iter().map(|r| &r.scope))
        .chain(rules.notices.iter().map(|r| &r.scope));
    for s in scopes {
        collect_scope(s, &mut used_groups, &mut used_lists);
    }
    for g in rules.groups.groups.values() {
        if !used_groups.contains(g.id.as_str()) {
            push(Severity::Warning, "L005", &g.source, format!("country group `{}` is never used by any rule", g.id));
        }
    }
    let lists: BTreeSet<&str> = rules.lists.iter().map(|e| e.list.as_str()).collect();
    for l in lists {
        if !used_lists.contains(l) {
            push(
                Severity::Warning,
                "L006",
                l,
                format!("list `{l}` has entries but no rule screens parties against it"),
            );
        }
    }
    out.sort_by(|a, b| (a.code, &a.location).cmp(&(b.code, &b.location)));
    out
}

fn collect_scope<'a>(s: &'a Scope, groups: &mut BTreeSet<&'a str>, lists: &mut BTreeSet<&'a str>) {
    let mut dest = |d: &'a Destinations| {
        for g in d.groups.iter().chain(&d.except_groups) {
            groups.insert(g.as_str());
        }
    };
    if let Some(d) = &s.destinations {
        dest(d);
    }
    if let Some(p) = &s.parties {
        if let Some(d) = &p.located_in {
            dest(d);
        }
        if let Some(d) = &p.headquartered_in {
            dest(d);
        }
        if let Some(l) = &p.listed_on {
            lists.insert(l.as_str());
        }
        if let Some((l, _)) = &p.owned_by_listed {
            lists.insert(l.as_str());
        }
    }
}

/// Plain-text report: errors, then warnings, then a closing count line.
pub fn render(findings: &[Finding]) -> String {
    use std::fmt::Write;
    let mut o = String::new();
    for sev in [Severity::Error, Severity::Warning] {
        for f in findings.iter().filter(|f| f.severity == sev) {
            let word = if sev == Severity::Error { "error" } else { "warning" };
            let _ = writeln!(o, "{}: {word}[{}]: {}", f.location, f.code, f.message);
        }
    }
    let errors = findings.iter().filter(|f| f.severity == Severity::Error).count();
    let _ = writeln!(o, "{errors} error(s), {} warning(s)", findings.len() - errors);
    o
}
