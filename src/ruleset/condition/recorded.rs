//! Comparisons recorded as a condition is evaluated and formatted only when shown: the leaf of
//! the condition (a flag read or a comparison) and its outcome are kept, and the values are
//! read again from the same environment to show them ([`Leaf::render`]), which gives the
//! [`Comparison`] that [`Expr::eval`] with a trace gives.

use std::fmt;

use super::walk::Records;
use super::{Comparison, Env, Expr, Operand, Shape, Truth, operand_value};
use crate::ruleset::vocabulary::Value;

/// Which of a comparison's texts [`Leaf::write_texts`] writes next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// The comparison as written ([`Comparison::expr`]) follows.
    Expr,
    /// Its left value as shown ([`Comparison::left`]) follows.
    Left,
    /// Its right value as shown ([`Comparison::right`]) follows.
    Right,
    /// The comparison is written; its outcome as written ([`Comparison::result`]).
    End(Truth),
}

/// Where [`Leaf::write_texts`] writes a comparison: told where each text begins
/// ([`TextsOut::field`]), then given the text in pieces through [`fmt::Write`] (a piece is
/// never escaped: the writer escapes it as its output needs).
pub trait TextsOut: fmt::Write {
    /// The text of `field` follows (or, for [`Field::End`], the comparison is complete).
    fn field(&mut self, field: Field);
}

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

    /// Writes the comparison's texts to `out` as [`Leaf::render`] makes them, without making
    /// the [`Comparison`] or its strings: [`Field::Expr`] then `expr` (after `label` and `: `
    /// when given: the unit of a computer it was made on), [`Field::Left`] then `left`,
    /// [`Field::Right`] then `right`, and [`Field::End`] with its outcome. Writes nothing and
    /// returns `Ok(false)` for a leaf [`Leaf::render`] gives `None` for.
    ///
    /// # Errors
    /// The first error of `out`'s [`fmt::Write`] (none when it writes to memory).
    pub fn write_texts<E: Env + ?Sized, W: TextsOut + ?Sized>(
        &self,
        env: &E,
        label: Option<&str>,
        out: &mut W,
    ) -> Result<bool, fmt::Error> {
        let text = match self.expr {
            &Expr::Flag(a) => a.name(),
            Expr::Cmp { text, .. } => text.as_str(),
            _ => return Ok(false),
        };
        out.field(Field::Expr);
        if let Some(l) = label {
            out.write_str(l)?;
            out.write_str(": ")?;
        }
        if self.negated {
            out.write_str("not ")?;
        }
        out.write_str(text)?;
        out.field(Field::Left);
        match self.expr {
            &Expr::Flag(a) => {
                out.write_str(match env.value(a) {
                    Some(Value::Bool(true)) => "true",
                    Some(Value::Bool(false)) => "false",
                    _ => "unknown",
                })?;
                out.field(Field::Right);
            }
            Expr::Cmp { lhs, rhs, rhs_shown, .. } => {
                // `out` as a `dyn fmt::Write`, for the environment's writers.
                struct Dyn<'w, W: ?Sized>(&'w mut W);
                impl<W: fmt::Write + ?Sized> fmt::Write for Dyn<'_, W> {
                    fn write_str(&mut self, s: &str) -> fmt::Result {
                        self.0.write_str(s)
                    }
                }
                let show = |o: &Operand, out: &mut W| match o {
                    Operand::Attr(a) => env.write_shown(*a, &mut Dyn(out)),
                    _ => match operand_value(o, env) {
                        Some(v) => write!(out, "{v}"),
                        None => out.write_str("unknown"),
                    },
                };
                match (lhs, rhs) {
                    (Operand::Attr(a), Operand::Text(name)) => {
                        let mut quoted = Quoted { out: &mut Dyn(&mut *out), opened: false };
                        match env.write_text(*a, &mut quoted) {
                            Some(written) => {
                                written?;
                                // A text written empty: its quotes only.
                                if !quoted.opened {
                                    out.write_str("\"")?;
                                }
                                out.write_str("\"")?;
                            }
                            None => out.write_str("unknown")?,
                        }
                        out.field(Field::Right);
                        out.write_str("\"")?;
                        out.write_str(name)?;
                        out.write_str("\"")?;
                    }
                    _ => {
                        show(lhs, out)?;
                        out.field(Field::Right);
                        match rhs_shown {
                            Some(r) => out.write_str(r)?,
                            None => show(rhs, out)?,
                        }
                    }
                }
            }
            _ => {}
        }
        out.field(Field::End(self.result));
        Ok(true)
    }
}

/// A text value written after its opening quote, written before its first piece (the text may
/// be written in several pieces, or none when it is empty).
struct Quoted<'o> {
    out: &'o mut dyn fmt::Write,
    opened: bool,
}

impl fmt::Write for Quoted<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        if !self.opened {
            self.opened = true;
            self.out.write_char('"')?;
        }
        self.out.write_str(s)
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

    /// A comparison's texts as [`Leaf::write_texts`] writes them, collected field by field.
    #[derive(Default)]
    struct Texts {
        fields: Vec<(Field, String)>,
    }

    impl fmt::Write for Texts {
        fn write_str(&mut self, s: &str) -> fmt::Result {
            match self.fields.last_mut() {
                Some((Field::End(_), _)) | None => Err(fmt::Error),
                Some((_, text)) => {
                    text.push_str(s);
                    Ok(())
                }
            }
        }
    }

    impl TextsOut for Texts {
        fn field(&mut self, field: Field) {
            self.fields.push((field, String::new()));
        }
    }

    /// Written straight, every comparison's texts and outcome are those [`Leaf::render`] makes
    /// (negated leaves, unknown values, bounds, names with their quotes, a vendor not known,
    /// kinds), in the order expr, left, right, end; with a unit's label, the expr is the
    /// rendered one after `label: `.
    #[test]
    fn written_leaves_are_the_rendered_comparisons() {
        /// The H100-like product without a vendor (the text of a name comparison unknown).
        struct NoVendor(Product);
        impl Env for NoVendor {
            fn value(&self, attr: Attr) -> Option<Value> {
                self.0.value(attr)
            }
            fn meets(&self, rules: &[usize]) -> Truth {
                self.0.meets(rules)
            }
        }
        /// The H100-like product whose vendor is written empty (`""`, not unknown).
        struct EmptyVendor(Product);
        impl Env for EmptyVendor {
            fn value(&self, attr: Attr) -> Option<Value> {
                self.0.value(attr)
            }
            fn meets(&self, rules: &[usize]) -> Truth {
                self.0.meets(rules)
            }
            fn text(&self, attr: Attr) -> Option<String> {
                (attr == Attr::Vendor).then(String::new)
            }
        }
        let conditions = [
            "tpp >= 4800 and not designed_or_marketed_for_datacenter",
            "not (tpp < 1600 or performance_density >= 5.92)",
            "not not designed_or_marketed_for_datacenter",
            "applicable_die_area > 0 or hbm",
            "vendor == \"NVIDIA\" and not vendor != \"AMD\"",
            "kind == \"integrated_circuit\" and meets(\"3A090.a\")",
            "not tpp < 16000",
        ];
        fn check<E: Env>(env: &E, cond: &str, seen: &mut usize) {
            let e = parse(cond).unwrap_or_else(|err| panic!("{cond}: {}", err.message));
            let mut leaves = Vec::new();
            e.eval_recorded(env, &mut leaves);
            for l in &leaves {
                for label in [None, Some("HGX x8")] {
                    let mut texts = Texts::default();
                    let written = l.write_texts(env, label, &mut texts).unwrap_or_else(|_| panic!("{cond}"));
                    let Some(c) = l.render(env) else {
                        assert!(!written && texts.fields.is_empty(), "{cond}");
                        continue;
                    };
                    assert!(written, "{cond}");
                    let expr = label.map_or_else(|| c.expr.clone(), |u| format!("{u}: {}", c.expr));
                    let want = vec![
                        (Field::Expr, expr),
                        (Field::Left, c.left),
                        (Field::Right, c.right),
                        (Field::End(c.result), String::new()),
                    ];
                    assert_eq!(texts.fields, want, "{cond}");
                    *seen += 1;
                }
            }
        }
        let mut seen = 0;
        for bound in [false, true] {
            for cond in conditions {
                check(&Product { bound }, cond, &mut seen);
                check(&NoVendor(Product { bound }), cond, &mut seen);
                check(&EmptyVendor(Product { bound }), cond, &mut seen);
            }
        }
        assert!(seen > 60, "{seen} comparisons compared");
    }
}
