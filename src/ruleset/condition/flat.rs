//! Conditions compiled to a flat list for the fast path: a condition that is an `and` (or an
//! `or`) of literals -- a flag, a comparison, `meets(...)`, each possibly negated -- as one
//! vector of literals tested in order, the comparisons of a numeric attribute with a literal
//! at the scale of [`Fixed`] (integer comparisons), stopping at the first literal that decides
//! it. Made once per rule when the pack is compiled ([`Program::of`]); the same truth as
//! [`Expr::truth`] on every environment, without following boxed nodes. Any other shape has no
//! program and is evaluated as a tree.

use super::{CmpOp, Env, Expr, Operand, Truth, cmp_truth};
use crate::number::Fixed;
use crate::ruleset::vocabulary::Attr;

/// One literal, before its negation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Lit {
    /// A constant.
    Const(Truth),
    /// `attr op k`, `k` a literal at the fixed scale: compared with the environment's scaled
    /// value when it has one (exact, see [`Fixed`]), else leaf `leaf` is evaluated as written.
    Scaled { attr: Attr, op: CmpOp, k: Fixed, leaf: u32 },
    /// A flag read alone: unknown when the flag is.
    Flag(Attr),
    /// `meets(...)` over the target rules `start..end` of [`Program::targets`].
    Meets { start: u32, end: u32 },
    /// Leaf `i` (a name or another comparison) evaluated as written.
    Leaf(u32),
}

/// A condition as a flat list of literals (see the module documentation).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Program {
    /// `and` of the literals (else `or`).
    pub(super) all: bool,
    /// The literals in the order written, each with whether it is negated.
    pub(super) lits: Vec<(Lit, bool)>,
    /// The leaves evaluated as written ([`Lit::Leaf`], and the fallback of [`Lit::Scaled`]).
    leaves: Vec<Expr>,
    /// The target rules of every `meets(...)`.
    pub(super) targets: Vec<usize>,
}

impl Program {
    /// The program of `e`, or `None` when it is not an `and` or an `or` of literals (the
    /// tree is evaluated instead).
    pub fn of(e: &Expr) -> Option<Program> {
        let all = !matches!(e, Expr::Or(_));
        let mut p = Program { all, lits: Vec::new(), leaves: Vec::new(), targets: Vec::new() };
        p.flatten(e)?;
        Some(p)
    }

    /// Appends the literals of `e`, a part of the chain (`None` when one is not a literal).
    fn flatten(&mut self, e: &Expr) -> Option<()> {
        match e {
            // `and` and `or` are associative in Kleene logic: a chain inside a chain of the
            // same operator is part of it.
            Expr::And(parts) if self.all => parts.iter().try_for_each(|p| self.flatten(p)),
            Expr::Or(parts) if !self.all => parts.iter().try_for_each(|p| self.flatten(p)),
            Expr::Not(inner) => {
                let lit = self.literal(inner)?;
                self.lits.push((lit, true));
                Some(())
            }
            _ => {
                let lit = self.literal(e)?;
                self.lits.push((lit, false));
                Some(())
            }
        }
    }

    /// The literal `e` is, if it is one.
    fn literal(&mut self, e: &Expr) -> Option<Lit> {
        Some(match e {
            Expr::Const(b) => Lit::Const(Truth::from_bool(*b)),
            Expr::Flag(a) => Lit::Flag(*a),
            Expr::Cmp { lhs: Operand::Attr(attr), op, rhs: Operand::Num(_), at_scale: Some(k), .. } => {
                Lit::Scaled { attr: *attr, op: *op, k: *k, leaf: self.leaf(e)? }
            }
            Expr::Cmp { .. } => Lit::Leaf(self.leaf(e)?),
            Expr::Meets { rules, .. } => {
                let start = u32::try_from(self.targets.len()).ok()?;
                self.targets.extend_from_slice(rules);
                Lit::Meets { start, end: u32::try_from(self.targets.len()).ok()? }
            }
            Expr::And(_) | Expr::Or(_) | Expr::Not(_) => return None,
        })
    }

    fn leaf(&mut self, e: &Expr) -> Option<u32> {
        let i = u32::try_from(self.leaves.len()).ok()?;
        self.leaves.push(e.clone());
        Some(i)
    }

    /// Leaf `i` evaluated as written (unknown for a leaf the program does not have).
    fn leaf_truth<E: Env + ?Sized>(&self, i: u32, env: &E) -> Truth {
        match self.leaves.get(i as usize) {
            Some(Expr::Cmp { lhs, op, rhs, at_scale, .. }) => cmp_truth(env, lhs, *op, rhs, *at_scale),
            Some(e) => e.truth(env),
            None => Truth::Unknown,
        }
    }

    /// The truth of one literal, before its negation.
    // Inlined into [`Program::truth`]'s loop: called, it cost about 15 instructions per
    // literal of copying the literal, passing the environment and saving registers
    // (callgrind, peers bench: about 6 literals per decision).
    #[inline(always)]
    fn lit_truth<E: Env + ?Sized>(&self, lit: Lit, env: &E) -> Truth {
        match lit {
            Lit::Const(t) => t,
            Lit::Scaled { attr, op, k, leaf } => match env.scaled(attr) {
                Some(v) => v.compare(op, k),
                None => self.leaf_truth(leaf, env),
            },
            Lit::Flag(a) => env.flag(a).map_or(Truth::Unknown, Truth::from_bool),
            Lit::Meets { start, end } => env.meets(self.targets.get(start as usize..end as usize).unwrap_or_default()),
            Lit::Leaf(i) => self.leaf_truth(i, env),
        }
    }

    /// The condition's truth on `env`: the same as [`Expr::truth`] of the condition compiled
    /// (the literals in order, stopping at the first false one of an `and`, the first true
    /// one of an `or`).
    // Inlined into the few places the core evaluates a rule, so that the environment's
    // fields are read once per rule rather than passed through a call.
    #[inline(always)]
    pub fn truth<E: Env + ?Sized>(&self, env: &E) -> Truth {
        // On the ranks false < unknown < true (0, 1, 2): `and` is the least, `or` the
        // greatest, `not` 2 - rank.
        let (mut acc, stop) = if self.all { (2u8, 0u8) } else { (0, 2) };
        for &(lit, negated) in &self.lits {
            let r = self.lit_truth(lit, env) as u8;
            let r = if negated { 2 - r.min(2) } else { r };
            acc = if self.all { acc.min(r) } else { acc.max(r) };
            if acc == stop {
                break;
            }
        }
        Truth::of_rank(acc)
    }
}

#[cfg(test)]
mod tests {
    use rust_decimal::Decimal;

    use super::*;
    use crate::number::Ratio;
    use crate::ruleset::condition::{Scaled, parse};
    use crate::ruleset::vocabulary::Value;

    /// A product with a TPP, a performance density and the datacenter flag (each possibly
    /// unknown), and `meets(...)` answering per target rule.
    struct Part {
        tpp: Option<Value>,
        density: Option<Value>,
        datacenter: Option<bool>,
        meets: [Truth; 2],
        /// Whether the scaled values are given (a prepared product's), or only the exact ones.
        scaled: bool,
    }

    impl Env for Part {
        fn value(&self, attr: Attr) -> Option<Value> {
            match attr {
                Attr::Tpp => self.tpp,
                Attr::PerformanceDensity => self.density,
                Attr::DesignedOrMarketedForDatacenter => self.datacenter.map(Value::Bool),
                _ => None,
            }
        }
        fn scaled(&self, attr: Attr) -> Option<Scaled> {
            self.value(attr).filter(|_| self.scaled).and_then(|v| Scaled::of(&v))
        }
        fn meets(&self, rules: &[usize]) -> Truth {
            rules.iter().fold(Truth::False, |acc, &i| acc.or(self.meets.get(i).copied().unwrap_or(Truth::Unknown)))
        }
    }

    fn num(s: &str) -> Value {
        Value::Num(Ratio::from_decimal(s.parse::<Decimal>().unwrap()))
    }

    /// The conditions of the 3A090 (2023) paragraphs and Note 2 as the shipped pack writes them,
    /// and shapes the pack does not use (nested `or`, negated groups, constants).
    const CONDITIONS: [&str; 10] = [
        "tpp >= 4800",
        "tpp >= 1600 and performance_density >= 5.92",
        "not meets(\"a\") and tpp >= 2400 and tpp < 4800 and performance_density >= 1.6 and performance_density < 5.92",
        "not meets(\"a\") and tpp >= 1600 and performance_density >= 3.2 and performance_density < 5.92",
        "not designed_or_marketed_for_datacenter and tpp < 4800",
        "meets(\"a\") or meets(\"b\")",
        "tpp >= 4800 or (performance_density >= 5.92 and not (tpp < 1600 or designed_or_marketed_for_datacenter))",
        "not (tpp >= 4800 and performance_density > 5.92) or false",
        "(tpp == 4800 or tpp != 2400) and (true and not meets(\"b\"))",
        "((tpp <= 4800 and (performance_density < 1.6 or (tpp > 1600 and not designed_or_marketed_for_datacenter))))",
    ];

    fn parsed(text: &str) -> Expr {
        let mut e = parse(text).unwrap();
        e.visit_meets_mut(&mut |prefix, _, rules| rules.push(usize::from(prefix == "b")));
        e
    }

    #[test]
    fn programs_give_the_truth_of_the_tree_on_every_part() {
        let tpps = ["1599.9999", "1600", "2400", "4799.99", "4800", "4800.0001"];
        let densities = ["1.5999", "1.6", "3.2", "5.9199", "5.92", "5.9201"];
        let mut tpp_values: Vec<Option<Value>> = tpps.iter().map(|t| Some(num(t))).collect();
        tpp_values.push(None);
        // A TPP known only to be at least 2176, and one between 4750 and 4850.
        let at_least = |lo: &str, hi: Option<&str>| {
            let r = |s: &str| Ratio::from_decimal(s.parse::<Decimal>().unwrap());
            Some(Value::Range { lo: r(lo), hi: hi.map(r) })
        };
        tpp_values.extend([at_least("2176", None), at_least("4750", Some("4850"))]);
        let mut density_values: Vec<Option<Value>> = densities.iter().map(|d| Some(num(d))).collect();
        density_values.push(None);
        let truths = [Truth::True, Truth::False, Truth::Unknown];
        let mut checked = 0;
        for text in CONDITIONS {
            let e = parsed(text);
            let Some(p) = Program::of(&e) else {
                // Only the shapes the pack does not use may lack a program.
                assert!(CONDITIONS.iter().position(|c| *c == text) > Some(5), "{text}: no program");
                continue;
            };
            for (&tpp, &density, datacenter, m0, m1, scaled) in combinations(&tpp_values, &density_values, &truths) {
                let part = Part { tpp, density, datacenter, meets: [m0, m1], scaled };
                assert_eq!(p.truth(&part), e.truth(&part), "{text} on tpp {tpp:?}, density {density:?}");
                checked += 1;
            }
        }
        assert!(checked > 10_000, "{checked}");
    }

    /// Every combination of the parts' inputs.
    fn combinations<'a>(
        tpps: &'a [Option<Value>],
        densities: &'a [Option<Value>],
        truths: &'a [Truth; 3],
    ) -> impl Iterator<Item = (&'a Option<Value>, &'a Option<Value>, Option<bool>, Truth, Truth, bool)> + 'a {
        tpps.iter().flat_map(move |t| {
            densities.iter().flat_map(move |d| {
                [Some(true), Some(false), None].into_iter().flat_map(move |dc| {
                    truths.iter().flat_map(move |&m0| {
                        truths.iter().flat_map(move |&m1| [true, false].map(|sc| (t, d, dc, m0, m1, sc)))
                    })
                })
            })
        })
    }

    #[test]
    fn a_part_exactly_on_a_threshold_meets_it_and_one_just_under_does_not() {
        // 3A090.a.2 (88 FR 73458): TPP of 1600 or more and performance density of 5.92 or more.
        let p = Program::of(&parsed(CONDITIONS[1])).unwrap();
        let part = |density: &str| Part {
            tpp: Some(num("1600")),
            density: Some(num(density)),
            datacenter: Some(true),
            meets: [Truth::False; 2],
            scaled: true,
        };
        assert_eq!(p.truth(&part("5.92")), Truth::True);
        assert_eq!(p.truth(&part("5.919999")), Truth::False);
        // Unknown density: the paragraph may hold.
        assert_eq!(p.truth(&Part { density: None, ..part("5.92") }), Truth::Unknown);
    }

    #[test]
    fn chains_of_literals_have_a_program_and_other_shapes_none() {
        assert!(Program::of(&parsed(&vec!["tpp >= 1"; 200].join(" and "))).is_some());
        assert!(Program::of(&parsed("tpp >= 1 and (performance_density >= 2 and not meets(\"a\"))")).is_some());
        assert!(Program::of(&parsed("meets(\"a\") or not tpp < 4800 or (meets(\"b\") or false)")).is_some());
        assert_eq!(Program::of(&parsed(CONDITIONS[6])), None);
        assert_eq!(Program::of(&parsed("not (tpp >= 1 and tpp < 2)")), None);
    }
}
