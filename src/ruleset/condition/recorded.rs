//! Comparisons recorded as a condition is evaluated and formatted only when shown: the leaf of
//! the condition (a flag read or a comparison) and its outcome are kept, and the values are
//! read again from the same environment to show them ([`Leaf::render`]), which gives the
//! [`Comparison`] that [`Expr::eval`] with a trace gives.

use super::walk::Records;
use super::{Comparison, Env, Expr, Operand, Shape, Truth, operand_value};
use crate::ruleset::vocabulary::Value;

/// One comparison of a condition as evaluated, not yet formatted: which part of the condition
/// it is (a flag read alone or a comparison), whether it is written negated (`not …`), and its
/// outcome as written.
#[derive(Debug, Clone, Copy)]
pub struct Leaf<'e> {
    expr: &'e Expr,
    negated: bool,
    /// The outcome of the comparison as written (negation applied).
    pub result: Truth,
}

impl Expr {
    /// Evaluates the condition as [`Expr::eval`] with a trace does (every part of an `and` or
    /// `or` is evaluated, to be shown), appending each comparison to `out` unformatted; render
    /// them with [`Leaf::render`] on the same environment.
    pub fn eval_recorded<'e, E: Env + ?Sized>(&'e self, env: &E, out: &mut Vec<Leaf<'e>>) -> Truth {
        self.walk(env, out)
    }
}

/// Keeps the leaves unformatted.
impl<'e> Records<'e> for Vec<Leaf<'e>> {
    const KEEPS: bool = true;
    fn leaf<E: Env + ?Sized>(&mut self, expr: &'e Expr, result: Truth, _: &E) {
        self.push(Leaf { expr, negated: false, result });
    }
    fn len(&self) -> usize {
        Vec::len(self)
    }
    fn negate_from(&mut self, start: usize) {
        for l in self.iter_mut().skip(start) {
            l.negated = !l.negated;
            l.result = l.result.not();
        }
    }
}

/// Keeps the comparisons formatted at once, as [`Leaf::render`] formats them.
impl<'e> Records<'e> for Vec<Comparison> {
    const KEEPS: bool = true;
    fn leaf<E: Env + ?Sized>(&mut self, expr: &'e Expr, result: Truth, env: &E) {
        self.extend(Leaf { expr, negated: false, result }.render(env));
    }
    fn len(&self) -> usize {
        Vec::len(self)
    }
    fn negate_from(&mut self, start: usize) {
        for c in self.iter_mut().skip(start) {
            negate(c);
            c.result = c.result.not();
        }
    }
}

/// `c` as written negated (`not …`), its outcome left as it is.
fn negate(c: &mut Comparison) {
    c.expr = format!("not {}", c.expr);
    c.shape = c.shape.map(|s| match s {
        Shape::Flag { attr, negated } => Shape::Flag { attr, negated: !negated },
        Shape::Cmp { lhs, op, negated, left, right } => Shape::Cmp { lhs, op, negated: !negated, left, right },
    });
}

impl Leaf<'_> {
    /// The comparison as shown in traces, its values read from `env` (the environment it was
    /// evaluated on): the same [`Comparison`] as [`Expr::eval`] with a trace records. `None`
    /// only for a leaf that is neither a flag nor a comparison (never recorded).
    pub fn render<E: Env + ?Sized>(&self, env: &E) -> Option<Comparison> {
        let mut c = match self.expr {
            &Expr::Flag(a) => {
                let left = match env.value(a) {
                    Some(Value::Bool(b)) => b.to_string(),
                    _ => "unknown".into(),
                };
                let shape = Some(Shape::Flag { attr: a, negated: false });
                Comparison { expr: a.name().into(), left, right: String::new(), result: self.result, shape }
            }
            Expr::Cmp { lhs, op, rhs, text, rhs_shown, .. } => {
                let show = |o: &Operand| match o {
                    Operand::Attr(a) => env.shown(*a),
                    _ => operand_value(o, env).map_or_else(|| "unknown".to_string(), |v| v.to_string()),
                };
                let (left, right) = match (lhs, rhs) {
                    (Operand::Attr(a), Operand::Text(name)) => (
                        env.text(*a).map_or_else(|| "unknown".to_string(), |v| format!("\"{v}\"")),
                        format!("\"{name}\""),
                    ),
                    _ => (show(lhs), rhs_shown.clone().unwrap_or_else(|| show(rhs))),
                };
                // The values as compared, for explanations in words (written as `left` and
                // `right` are: a value's text is its `Display`); none for a name.
                let typed = |o: &Operand| match o {
                    Operand::Text(_) => None,
                    _ => operand_value(o, env),
                };
                let (left_value, right_value) = match rhs {
                    Operand::Text(_) => (None, None),
                    _ => (typed(lhs), typed(rhs)),
                };
                let lhs = match lhs {
                    Operand::Attr(a) => Some(*a),
                    _ => None,
                };
                let shape = Some(Shape::Cmp { lhs, op: *op, negated: false, left: left_value, right: right_value });
                Comparison { expr: text.clone(), left, right, result: self.result, shape }
            }
            _ => return None,
        };
        if self.negated {
            negate(&mut c);
        }
        Some(c)
    }
}

#[cfg(test)]
mod tests {
    use rust_decimal::Decimal;

    use super::super::parse;
    use super::*;
    use crate::model::ProductKind;
    use crate::number::Ratio;
    use crate::ruleset::vocabulary::Attr;

    /// An H100-like product: TPP 15,832 (at least, when `bound`), density 19.4, datacenter,
    /// NVIDIA; the die area unknown.
    struct Product {
        bound: bool,
    }

    impl Env for Product {
        fn value(&self, attr: Attr) -> Option<Value> {
            let n = |s: &str| Ratio::from_decimal(s.parse::<Decimal>().unwrap_or_default());
            match attr {
                Attr::Tpp if self.bound => Some(Value::Range { lo: n("15832"), hi: None }),
                Attr::Tpp => Some(Value::Num(n("15832"))),
                Attr::PerformanceDensity => Some(Value::Num(n("19.4"))),
                Attr::DesignedOrMarketedForDatacenter => Some(Value::Bool(true)),
                Attr::Kind => Some(Value::Kind(ProductKind::IntegratedCircuit)),
                _ => None,
            }
        }
        fn meets(&self, _: &[usize]) -> Truth {
            Truth::Unknown
        }
        fn text_matches(&self, attr: Attr, normalized: &str) -> Option<bool> {
            (attr == Attr::Vendor).then(|| normalized == "NVIDIA")
        }
        fn text(&self, attr: Attr) -> Option<String> {
            (attr == Attr::Vendor).then(|| "NVIDIA".to_string())
        }
    }

    /// Recorded then rendered, every comparison is the one the traced evaluation writes at
    /// once: text, values, outcome and shape (negated leaves, unknown values, bounds, names,
    /// kinds and `meets`, which records none).
    #[test]
    fn rendered_leaves_are_the_comparisons_traced() {
        let conditions = [
            "tpp >= 4800",
            "tpp >= 4800 and not designed_or_marketed_for_datacenter",
            "not (tpp < 1600 or performance_density >= 5.92)",
            "not not designed_or_marketed_for_datacenter",
            "applicable_die_area > 0 or hbm",
            "vendor == \"NVIDIA\" and vendor != \"AMD\"",
            "kind == \"integrated_circuit\" and meets(\"3A090.a\")",
            "not tpp < 16000",
        ];
        for bound in [false, true] {
            let env = Product { bound };
            for cond in conditions {
                let e = parse(cond).unwrap_or_else(|err| panic!("{cond}: {}", err.message));
                let mut traced = Vec::new();
                let t = e.eval(&env, Some(&mut traced));
                let mut leaves = Vec::new();
                assert_eq!(e.eval_recorded(&env, &mut leaves), t, "{cond}");
                let rendered: Vec<Comparison> = leaves.iter().filter_map(|l| l.render(&env)).collect();
                assert_eq!(rendered, traced, "{cond}");
                let shapes = |v: &[Comparison]| v.iter().map(|c| c.shape).collect::<Vec<_>>();
                assert_eq!(shapes(&rendered), shapes(&traced), "{cond}");
                assert!(!traced.is_empty(), "{cond}: nothing traced");
            }
        }
    }
}
