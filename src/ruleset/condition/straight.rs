//! The classification of one epoch and product kind compiled to straight-line code: every
//! comparison the paragraphs in force make is one integer comparison of a product's figure at
//! the scale of [`Fixed`] (10⁻⁶) with a threshold, every flag one read, and each paragraph's
//! condition, exclusions and `meets(...)` a mask test over the bits those give. Made when the
//! pack is compiled, from the paragraphs' flat code ([`Program`]): generated from the rules,
//! never written by hand.
//!
//! [`Straight::run`] is two-valued: it answers for a product whose every figure it reads is
//! known (exactly, or as a range wholly on one side of each threshold it is compared with:
//! the general path's [`Scaled::compare`](super::Scaled::compare) decides each comparison)
//! and every flag known: then each literal of the flat code is true or false, and Kleene
//! `and`, `or` and `not` on true and false are Boolean ones, so the bits are the truths the
//! flat code gives. With at most 8 tests, the steps are not run on each product: their bits
//! for every combination of the tests' bits are tabulated when the pack is compiled (by the
//! same steps), and one read of the table gives them. For any other product it answers `None`;
//! [`Straight::run_kleene`] then evaluates the same tests and steps in Kleene's three-valued
//! logic (an unknown figure or flag, or an undecided range, is an unknown literal), and
//! answers `None` only for a figure known but without a value at the fixed scale. Then the
//! core classifies it through the general path, which stays the one source of the decision.
//! A list that holds a condition of another shape (a comparison the flat code evaluates as
//! written, a tree), an exclusion the pack does not have, a status that is unconfirmed, or
//! more than 64 bits has no straight form at all.

use super::flat::Lit;
use super::{CmpOp, Env, Program, Scaled, Truth};
use crate::number::Fixed;
use crate::ruleset::vocabulary::Attr;

/// A comparison of a figure with a threshold, after negation is taken out (`<` is `not >=`,
/// `<=` is `not >`, `!=` is `not ==`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Ge,
    Gt,
    Eq,
}

impl Op {
    /// The truth of `x op k` for a figure `x` known as the range `x` (an exact figure is a
    /// range of one value): true when every value in it makes the comparison true, false when
    /// every value makes it false, `None` otherwise. The decision of the general path's
    /// [`Scaled::compare`] (with [`CmpOp::Ge`], [`CmpOp::Gt`], [`CmpOp::Eq`]), written per
    /// operator so that a test is two integer comparisons.
    #[inline]
    fn decide(self, x: Scaled, k: Fixed) -> Option<bool> {
        let (yes, no) = match self {
            Op::Ge => (x.lo >= k, x.hi < k),
            Op::Gt => (x.lo > k, x.hi <= k),
            Op::Eq => (x.lo == k && x.hi == k, x.hi < k || x.lo > k),
        };
        if yes || no { Some(yes) } else { None }
    }
}

/// One test of the product: a figure compared with a threshold, or a flag read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Test {
    Cmp { attr: Attr, op: Op, k: Fixed },
    Flag(Attr),
}

/// One step: bit `out` is set to the `and` (`all`) or the `or` of the bits of `pos` and the
/// negations of the bits of `neg`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Step {
    all: bool,
    pos: u64,
    neg: u64,
    out: u32,
}

/// The bit that is always set: a constant.
const ONE: u32 = 0;

/// A classification compiled to straight-line tests (see the module documentation).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Straight {
    /// Test `j` sets bit `j + 1`.
    tests: Vec<Test>,
    /// In dependency order.
    steps: Vec<Step>,
    /// The classification rules decided, in the order of the list compiled, each with the bit
    /// of its parameters (its condition, less its exclusions).
    rules: Vec<(u32, u32)>,
    /// With at most [`TABLE_TESTS`] tests: for every combination of the tests' bits (the
    /// index, test `j` at bit `j`), the bits the steps give, computed when the pack is compiled
    /// by the steps themselves ([`Straight::apply_steps`]); empty otherwise (the steps run).
    table: Vec<u64>,
}

/// The most tests for which the steps are tabulated (a table of 2^8 words, 2 KiB).
const TABLE_TESTS: usize = 8;

impl Straight {
    /// The bits of every test and step on `env`, or `None` when a figure the tests read is
    /// unknown, a comparison it makes is undecided (a range across the threshold), or a flag is
    /// unknown (then the general path decides).
    #[inline]
    pub(crate) fn run<E: Env + ?Sized>(&self, env: &E) -> Option<u64> {
        let mut tested: u64 = 0;
        for (j, t) in self.tests.iter().enumerate() {
            let b = match *t {
                // The general path's comparison (`Scaled::compare`): a figure known only as a
                // range is decided when every value in it falls on one side of the threshold.
                Test::Cmp { attr, op, k } => op.decide(env.scaled(attr)?, k)?,
                Test::Flag(a) => env.flag(a)?,
            };
            tested |= u64::from(b) << j;
        }
        match self.table.get(usize::try_from(tested).unwrap_or(usize::MAX)) {
            Some(&m) => Some(m),
            None => Some(self.apply_steps(1 << ONE | tested << 1)),
        }
    }

    /// The bits of every step, in order, added to `m` (the bits of [`ONE`] and the tests).
    #[inline]
    fn apply_steps(&self, mut m: u64) -> u64 {
        for s in &self.steps {
            let b = if s.all { m & s.pos == s.pos && m & s.neg == 0 } else { m & s.pos != 0 || !m & s.neg != 0 };
            m |= u64::from(b) << s.out;
        }
        m
    }

    /// As [`Straight::run`] in Kleene's three-valued logic, for a product some figure or flag
    /// of which is unknown, or some comparison of which is undecided (a range across the
    /// threshold): the bits that are certainly true, and those that are possibly true (not
    /// false). Each literal is true, false or unknown as the flat code reads it (an unknown
    /// figure or flag, or an undecided range, is unknown), and each step is Kleene's `and` or
    /// `or` of its literals: an `and` is true when every literal is, and possibly true when none
    /// is false; an `or` is true when some literal is, and possibly true when some literal is
    /// not false. `None` for a figure that is known but has no value at the fixed scale (the
    /// flat code compares it exactly): the general path decides.
    pub(crate) fn run_kleene<E: Env + ?Sized>(&self, env: &E) -> Option<(u64, u64)> {
        let (mut yes, mut maybe): (u64, u64) = (1 << ONE, 1 << ONE);
        for (j, t) in self.tests.iter().enumerate() {
            let b = match *t {
                Test::Cmp { attr, op, k } => match env.scaled(attr) {
                    Some(x) => op.decide(x, k),
                    None if env.value(attr).is_none() => None,
                    None => return None,
                },
                Test::Flag(a) => env.flag(a),
            };
            let bit = 1u64 << (j + 1);
            match b {
                Some(true) => (yes, maybe) = (yes | bit, maybe | bit),
                Some(false) => {}
                None => maybe |= bit,
            }
        }
        for s in &self.steps {
            let (y, m) = if s.all {
                (yes & s.pos == s.pos && maybe & s.neg == 0, maybe & s.pos == s.pos && yes & s.neg == 0)
            } else {
                (yes & s.pos != 0 || !maybe & s.neg != 0, maybe & s.pos != 0 || !yes & s.neg != 0)
            };
            yes |= u64::from(y) << s.out;
            maybe |= u64::from(m) << s.out;
        }
        Some((yes, maybe))
    }

    /// The truth of `bit` in the bits `(yes, maybe)` of [`Straight::run_kleene`].
    #[inline]
    pub(crate) fn truth_kleene((yes, maybe): (u64, u64), bit: u32) -> Truth {
        if yes >> bit & 1 != 0 {
            Truth::True
        } else if maybe >> bit & 1 != 0 {
            Truth::Unknown
        } else {
            Truth::False
        }
    }

    /// The classification rules decided, in the order compiled, each with the bit of
    /// [`Straight::run`] that holds its parameters.
    pub(crate) fn rules(&self) -> &[(u32, u32)] {
        &self.rules
    }

    /// The truth of `bit` in the bits `m` of [`Straight::run`].
    #[inline]
    pub(crate) fn truth(m: u64, bit: u32) -> Truth {
        Truth::from_bool(m >> bit & 1 != 0)
    }
}

/// Builds a [`Straight`]: tests and steps are added in dependency order; `None` from any
/// method means the list has no straight form.
#[derive(Debug, Default)]
pub(crate) struct StraightBuilder {
    tests: Vec<Test>,
    steps: Vec<Step>,
    /// Bits used so far (tests and steps; bit 0 is [`ONE`]).
    next: u32,
    rules: Vec<(u32, u32)>,
}

impl StraightBuilder {
    /// An empty builder.
    pub(crate) fn new() -> Self {
        StraightBuilder { next: ONE + 1, ..StraightBuilder::default() }
    }

    fn bit(&mut self) -> Option<u32> {
        let b = self.next;
        if b >= 64 {
            return None;
        }
        self.next += 1;
        Some(b)
    }

    /// The bit of test `t` (added once).
    fn test(&mut self, t: Test) -> Option<u32> {
        if let Some(j) = self.tests.iter().position(|x| *x == t) {
            return u32::try_from(j + 1).ok();
        }
        // Tests come before every step: their bits are the first after `ONE`.
        if !self.steps.is_empty() {
            return None;
        }
        let b = self.bit()?;
        self.tests.push(t);
        Some(b)
    }

    /// A new step over `pos` and `neg`, and its bit.
    fn step(&mut self, all: bool, pos: u64, neg: u64) -> Option<u32> {
        let out = self.bit()?;
        self.steps.push(Step { all, pos, neg, out });
        Some(out)
    }

    /// Whether `p` reads other rules' parameters (`meets(...)`): its truth then depends on
    /// where it is tested.
    pub(crate) fn reads_rules(p: &Program) -> bool {
        p.lits.iter().any(|(lit, _)| matches!(lit, Lit::Meets { .. }))
    }

    /// Declares every test `p` makes, before any step (see [`StraightBuilder::program`]).
    pub(crate) fn tests_of(&mut self, p: &Program) -> Option<()> {
        for &(lit, _) in &p.lits {
            match lit {
                Lit::Scaled { attr, op, k, .. } => {
                    self.test(Test::Cmp { attr, op: positive(op).0, k })?;
                }
                Lit::Flag(a) => {
                    self.test(Test::Flag(a))?;
                }
                Lit::Const(_) | Lit::Meets { .. } => {}
                Lit::Leaf(_) => return None,
            }
        }
        Some(())
    }

    /// The bit of the truth of `p` less the exclusions whose bits are `excluded`. `param` gives
    /// the bit of a classification rule's parameters already decided, `None` for a rule not
    /// decided before (its parameters read false, as a slot the decision has not written).
    pub(crate) fn program(
        &mut self,
        p: &Program,
        param: impl Fn(usize) -> Option<u32>,
        excluded: &[u32],
    ) -> Option<u32> {
        let (mut pos, mut neg) = (0u64, 0u64);
        for &(lit, negated) in &p.lits {
            let (bit, flip) = match lit {
                Lit::Const(t) => (ONE, t == Truth::False),
                Lit::Scaled { attr, op, k, .. } => {
                    let (op, flip) = positive(op);
                    (self.test(Test::Cmp { attr, op, k })?, flip)
                }
                Lit::Flag(a) => (self.test(Test::Flag(a))?, false),
                Lit::Meets { start, end } => {
                    let targets = p.targets.get(start as usize..end as usize)?;
                    let mask = targets.iter().filter_map(|&i| param(i)).fold(0u64, |m, b| m | 1 << b);
                    match mask.count_ones() {
                        // No target decided before: `meets` reads false.
                        0 => (ONE, true),
                        1 => (mask.trailing_zeros(), false),
                        _ => (self.step(false, mask, 0)?, false),
                    }
                }
                Lit::Leaf(_) => return None,
            };
            if negated ^ flip {
                neg |= 1 << bit;
            } else {
                pos |= 1 << bit;
            }
        }
        let ex = excluded.iter().fold(0u64, |m, &b| m | 1 << b);
        if p.all {
            // `when and not x1 and not x2 ...`: one step.
            return self.step(true, pos, neg | ex);
        }
        let when = self.step(false, pos, neg)?;
        if ex == 0 { Some(when) } else { self.step(true, 1 << when, ex) }
    }

    /// Records classification rule `i`, whose parameters are bit `bit`.
    pub(crate) fn rule(&mut self, i: usize, bit: u32) -> Option<()> {
        self.rules.push((u32::try_from(i).ok()?, bit));
        Some(())
    }

    /// The straight form built.
    pub(crate) fn finish(self) -> Straight {
        let mut st = Straight { tests: self.tests, steps: self.steps, rules: self.rules, table: Vec::new() };
        if st.tests.len() <= TABLE_TESTS {
            st.table = (0..1u64 << st.tests.len()).map(|tested| st.apply_steps(1 << ONE | tested << 1)).collect();
        }
        st
    }
}

/// A comparison as a positive one and whether it is negated.
fn positive(op: CmpOp) -> (Op, bool) {
    match op {
        CmpOp::Ge => (Op::Ge, false),
        CmpOp::Gt => (Op::Gt, false),
        CmpOp::Lt => (Op::Ge, true),
        CmpOp::Le => (Op::Gt, true),
        CmpOp::Eq => (Op::Eq, false),
        CmpOp::Ne => (Op::Eq, true),
    }
}
