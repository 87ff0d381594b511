//! The one evaluation of a condition tree: Kleene `and`, `or` and `not`, the flag read and the
//! comparison of every leaf, written once ([`Expr::walk`]) and parameterised by what it keeps
//! of the leaves ([`Records`]): nothing ([`Expr::truth`]), the comparisons formatted at once
//! ([`Expr::eval`] with a trace) or the leaves unformatted ([`Expr::eval_recorded`]). The flat
//! code of the fast path ([`super::Program`]) is proved to give the same truth by
//! `tests/condition_walker.rs`.

use super::{Env, Expr, Truth, cmp_truth};

/// What an evaluation keeps of the leaves (flag reads and comparisons) it evaluates.
pub(crate) trait Records<'e> {
    /// Whether leaves are kept. When they are, every part of an `and` or `or` is evaluated (to
    /// be shown) and a negated leaf is kept as written (`not …`); when not, `and` stops at the
    /// first false part and `or` at the first true one. The truth is the same either way.
    const KEEPS: bool;
    /// Keeps leaf `leaf` (an [`Expr::Flag`] or an [`Expr::Cmp`]), evaluated to `result` on
    /// `env`.
    fn leaf<E: Env + ?Sized>(&mut self, leaf: &'e Expr, result: Truth, env: &E);
    /// How many leaves are kept so far.
    fn len(&self) -> usize;
    /// The leaves kept from `start` on are written negated (`not …`, outcome negated).
    fn negate_from(&mut self, start: usize);
}

/// Keeps nothing.
impl<'e> Records<'e> for () {
    const KEEPS: bool = false;
    #[inline(always)]
    fn leaf<E: Env + ?Sized>(&mut self, _: &'e Expr, _: Truth, _: &E) {}
    #[inline(always)]
    fn len(&self) -> usize {
        0
    }
    #[inline(always)]
    fn negate_from(&mut self, _: usize) {}
}

impl Expr {
    /// The condition's truth on `env` (Kleene logic: unknown when a part it needs is),
    /// recording its leaves in `rec`.
    pub(crate) fn walk<'e, E: Env + ?Sized, R: Records<'e>>(&'e self, env: &E, rec: &mut R) -> Truth {
        match self {
            Expr::Const(b) => Truth::from_bool(*b),
            Expr::And(parts) => Expr::chain(parts, Truth::True, Truth::and, env, rec),
            Expr::Or(parts) => Expr::chain(parts, Truth::False, Truth::or, env, rec),
            // A negated leaf is kept as written: `not designed_or_marketed_for_datacenter`.
            Expr::Not(e) if R::KEEPS && matches!(e.as_ref(), Expr::Flag(_) | Expr::Cmp { .. }) => {
                let start = rec.len();
                let t = e.walk(env, rec).not();
                rec.negate_from(start);
                t
            }
            Expr::Not(e) => e.walk(env, rec).not(),
            Expr::Flag(a) => {
                let t = env.flag(*a).map_or(Truth::Unknown, Truth::from_bool);
                rec.leaf(self, t, env);
                t
            }
            Expr::Cmp { lhs, op, rhs, at_scale, .. } => {
                let t = cmp_truth(env, lhs, *op, rhs, *at_scale);
                rec.leaf(self, t, env);
                t
            }
            Expr::Meets { rules, .. } => env.meets(rules),
        }
    }

    /// `parts` joined by `join` (Kleene `and` from true, `or` from false): when no leaf is
    /// kept, stops at the first part that decides it (false for `and`, true for `or`).
    #[inline(always)]
    fn chain<'e, E: Env + ?Sized, R: Records<'e>>(
        parts: &'e [Expr],
        start: Truth,
        join: impl Fn(Truth, Truth) -> Truth,
        env: &E,
        rec: &mut R,
    ) -> Truth {
        let decided = start.not();
        let mut acc = start;
        for p in parts {
            acc = join(acc, p.walk(env, rec));
            if !R::KEEPS && acc == decided {
                break;
            }
        }
        acc
    }
}
