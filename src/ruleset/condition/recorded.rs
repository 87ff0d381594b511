//! Comparisons recorded as a condition is evaluated and formatted only when shown: the leaf of
//! the condition (a flag read or a comparison) and its outcome are kept, and the values are
//! read again from the same environment to show them ([`Leaf::render`]), which gives the
//! [`Comparison`] that [`Expr::eval`] with a trace gives.

use super::{CmpOp, Comparison, Env, Expr, Operand, Shape, Truth, cmp_truth, operand_value};
use crate::ruleset::vocabulary::{Attr, Value};

/// The part of a condition one recorded comparison was made by.
#[derive(Debug, Clone, Copy)]
enum LeafExpr<'e> {
    /// A flag read alone.
    Flag(Attr),
    /// A comparison: its sides, operator, text as written and right side as shown.
    Cmp { lhs: &'e Operand, op: CmpOp, rhs: &'e Operand, text: &'e str, rhs_shown: Option<&'e str> },
}

/// One comparison of a condition as evaluated, not yet formatted: which part of the condition
/// it is, whether it is written negated (`not …`), and its outcome as written.
#[derive(Debug, Clone, Copy)]
pub struct Leaf<'e> {
    expr: LeafExpr<'e>,
    negated: bool,
    /// The outcome of the comparison as written (negation applied).
    pub result: Truth,
}

impl Expr {
    /// Evaluates the condition as [`Expr::eval`] with a trace does (every part of an `and` or
    /// `or` is evaluated, to be shown), appending each comparison to `out` unformatted; render
    /// them with [`Leaf::render`] on the same environment.
    pub fn eval_recorded<'e, E: Env + ?Sized>(&'e self, env: &E, out: &mut Vec<Leaf<'e>>) -> Truth {
        match self {
            Expr::Const(b) => Truth::from_bool(*b),
            Expr::And(parts) => parts.iter().fold(Truth::True, |acc, p| acc.and(p.eval_recorded(env, out))),
            Expr::Or(parts) => parts.iter().fold(Truth::False, |acc, p| acc.or(p.eval_recorded(env, out))),
            // A negated leaf is shown as written: `not designed_or_marketed_for_datacenter`.
            Expr::Not(e) if matches!(e.as_ref(), Expr::Flag(_) | Expr::Cmp { .. }) => {
                let start = out.len();
                let t = e.eval_recorded(env, out).not();
                for l in out.iter_mut().skip(start) {
                    l.negated = !l.negated;
                    l.result = l.result.not();
                }
                t
            }
            Expr::Not(e) => e.eval_recorded(env, out).not(),
            Expr::Flag(a) => {
                let t = match env.value(*a) {
                    Some(Value::Bool(b)) => Truth::from_bool(b),
                    _ => Truth::Unknown,
                };
                out.push(Leaf { expr: LeafExpr::Flag(*a), negated: false, result: t });
                t
            }
            Expr::Cmp { lhs, op, rhs, text, at_scale, rhs_shown } => {
                let t = cmp_truth(env, lhs, *op, rhs, *at_scale);
                let expr = LeafExpr::Cmp { lhs, op: *op, rhs, text, rhs_shown: rhs_shown.as_deref() };
                out.push(Leaf { expr, negated: false, result: t });
                t
            }
            Expr::Meets { rules, .. } => env.meets(rules),
        }
    }
}

impl Leaf<'_> {
    /// The comparison as shown in traces, its values read from `env` (the environment it was
    /// evaluated on): the same [`Comparison`] as [`Expr::eval`] with a trace records.
    pub fn render<E: Env + ?Sized>(&self, env: &E) -> Comparison {
        let mut c = match self.expr {
            LeafExpr::Flag(a) => {
                let left = match env.value(a) {
                    Some(Value::Bool(b)) => b.to_string(),
                    _ => "unknown".into(),
                };
                let shape = Some(Shape::Flag { attr: a, negated: false });
                Comparison { expr: a.name().into(), left, right: String::new(), result: self.result, shape }
            }
            LeafExpr::Cmp { lhs, op, rhs, text, rhs_shown } => {
                let show = |o: &Operand| match o {
                    Operand::Attr(a) => env.shown(*a),
                    _ => operand_value(o, env).map_or_else(|| "unknown".to_string(), |v| v.to_string()),
                };
                let (left, right) = match (lhs, rhs) {
                    (Operand::Attr(a), Operand::Text(name)) => (
                        env.text(*a).map_or_else(|| "unknown".to_string(), |v| format!("\"{v}\"")),
                        format!("\"{name}\""),
                    ),
                    _ => (show(lhs), rhs_shown.map_or_else(|| show(rhs), str::to_string)),
                };
                let lhs = match lhs {
                    Operand::Attr(a) => Some(*a),
                    _ => None,
                };
                let shape = Some(Shape::Cmp { lhs, op, negated: false });
                Comparison { expr: text.to_string(), left, right, result: self.result, shape }
            }
        };
        if self.negated {
            c.expr = format!("not {}", c.expr);
            c.shape = c.shape.map(|s| match s {
                Shape::Flag { attr, negated } => Shape::Flag { attr, negated: !negated },
                Shape::Cmp { lhs, op, negated } => Shape::Cmp { lhs, op, negated: !negated },
            });
        }
        c
    }
}
