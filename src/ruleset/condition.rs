//! The condition language of rule files, e.g. `tpp >= 1600 and performance_density >= 5.92`.
//!
//! Grammar (keywords are lower case):
//! ```text
//! condition  := or
//! or         := and ("or" and)*
//! and        := unary ("and" unary)*
//! unary      := "not" unary | primary
//! primary    := "(" condition ")" | "true" | "false" | "meets" "(" STRING ")" | comparison
//! comparison := operand [ (">=" | ">" | "<=" | "<" | "==" | "!=") operand ]
//! operand    := NUMBER | STRING | attribute
//! ```
//! Numbers are exact decimals (`5.92`, never a float). `meets("3A090.a")` is true when the
//! product meets the parameters of every-or-any classification paragraph under that id prefix
//! (its `when` holds and no exclusion takes it out), whatever the product's kind.
//!
//! Conditions have three values: true, false, and unknown when an input is missing (Kleene logic:
//! `false and unknown` is false, `true or unknown` is true).

use std::fmt;
use std::ops::Range;

use rust_decimal::Decimal;

use super::vocabulary::{Attr, AttrType, Value};
use crate::model::ProductKind;
use crate::number::{Fixed, Ratio, check_range, parse_decimal_text};

mod flat;
mod recorded;
mod straight;
mod walk;
pub use flat::Program;
pub use recorded::{Field, Leaf, TextsOut};
pub(crate) use straight::{Straight, StraightBuilder};

/// A three-valued truth.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Truth {
    /// Holds.
    True = 2,
    /// Does not hold.
    False = 0,
    /// Cannot be decided: an input is missing.
    Unknown = 1,
}

impl Truth {
    /// The truth of rank `r` in false < unknown < true (the discriminants).
    #[inline]
    fn of_rank(r: u8) -> Truth {
        match r {
            0 => Truth::False,
            1 => Truth::Unknown,
            _ => Truth::True,
        }
    }

    /// Kleene conjunction: the lesser of the two in false < unknown < true. One of the two
    /// chosen, not a rank converted back: LLVM kept the conversion (a compare and a
    /// conditional move) at each use; choosing saves 92 instructions per `decide` and 34 per
    /// `decide_classified` of H100 to China on the shipped pack (callgrind).
    #[inline]
    pub fn and(self, other: Truth) -> Truth {
        if (other as u8) < (self as u8) { other } else { self }
    }

    /// Kleene disjunction: the greater of the two in false < unknown < true (one of the two
    /// chosen, as [`Truth::and`]).
    #[inline]
    pub fn or(self, other: Truth) -> Truth {
        if (other as u8) > (self as u8) { other } else { self }
    }

    /// Kleene negation: false and true swapped, unknown kept.
    #[allow(clippy::should_implement_trait)]
    #[inline]
    pub fn not(self) -> Truth {
        match self {
            Truth::True => Truth::False,
            Truth::False => Truth::True,
            Truth::Unknown => Truth::Unknown,
        }
    }

    /// From a boolean.
    pub fn from_bool(b: bool) -> Truth {
        if b { Truth::True } else { Truth::False }
    }
}

impl fmt::Display for Truth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Truth::True => "true",
            Truth::False => "false",
            Truth::Unknown => "unknown",
        })
    }
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    /// `>=`
    Ge,
    /// `>`
    Gt,
    /// `<=`
    Le,
    /// `<`
    Lt,
    /// `==`
    Eq,
    /// `!=`
    Ne,
}

impl CmpOp {
    /// As printed in explanations, e.g. `≥`.
    pub fn symbol(self) -> &'static str {
        match self {
            CmpOp::Ge => "≥",
            CmpOp::Gt => ">",
            CmpOp::Le => "≤",
            CmpOp::Lt => "<",
            CmpOp::Eq => "==",
            CmpOp::Ne => "≠",
        }
    }

    /// As written in conditions, e.g. `>=`.
    pub fn as_str(self) -> &'static str {
        match self {
            CmpOp::Ge => ">=",
            CmpOp::Gt => ">",
            CmpOp::Le => "<=",
            CmpOp::Lt => "<",
            CmpOp::Eq => "==",
            CmpOp::Ne => "!=",
        }
    }

    fn test(self, ord: std::cmp::Ordering) -> bool {
        use std::cmp::Ordering::*;
        match self {
            CmpOp::Ge => ord != Less,
            CmpOp::Gt => ord == Greater,
            CmpOp::Le => ord != Greater,
            CmpOp::Lt => ord == Less,
            CmpOp::Eq => ord == Equal,
            CmpOp::Ne => ord != Equal,
        }
    }
}

/// One side of a comparison.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Operand {
    /// An attribute of the product.
    Attr(Attr),
    /// An exact number literal.
    Num(Decimal),
    /// A product kind literal (`"computer"`).
    Kind(ProductKind),
    /// `true` / `false`.
    Bool(bool),
    /// A quoted name compared with a text attribute (`vendor == "NVIDIA"`), normalised as
    /// [`super::normalize_name`] does (upper case, letters and digits, single spaces).
    Text(String),
}

/// A type-checked condition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expr {
    /// `true` or `false`.
    Const(bool),
    /// All must hold.
    And(Vec<Expr>),
    /// One must hold.
    Or(Vec<Expr>),
    /// Negation.
    Not(Box<Expr>),
    /// A boolean attribute used as a predicate.
    Flag(Attr),
    /// A comparison, with its source text for traces.
    Cmp {
        /// Left side.
        lhs: Operand,
        /// Operator.
        op: CmpOp,
        /// Right side.
        rhs: Operand,
        /// The comparison as written.
        text: String,
        /// A number on the right at the scale of [`Fixed`] (every literal a condition may
        /// hold is an integer there), so that it is compared with a product's precomputed
        /// [`Scaled`] value without arithmetic.
        at_scale: Option<Fixed>,
        /// The right side as traces show it, when it is a literal (formatted once).
        rhs_shown: Option<String>,
    },
    /// `meets("prefix")`: the parameters of the classification rules under `prefix`.
    Meets {
        /// Paragraph prefix as written, e.g. `3A090.a`.
        prefix: String,
        /// Byte span of the string literal inside the condition.
        span: Range<usize>,
        /// Indexes of the classification rules it refers to; filled when the pack is compiled.
        rules: Vec<usize>,
    },
}

/// A condition that could not be parsed or type-checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConditionError {
    /// Byte span inside the condition text.
    pub span: Range<usize>,
    /// What is wrong and what was expected.
    pub message: String,
    /// Suggestion, e.g. "did you mean `performance_density`?".
    pub help: Option<String>,
}

fn err(span: Range<usize>, message: impl Into<String>) -> ConditionError {
    ConditionError { span, message: message.into(), help: None }
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Num(String),
    Str(String),
    Op(CmpOp),
    LParen,
    RParen,
}

/// Maximum condition length in bytes.
pub const MAX_CONDITION_LEN: usize = 4096;
/// Maximum nesting depth of parentheses and `not`.
pub const MAX_DEPTH: usize = 32;

fn lex(src: &str) -> Result<Vec<(Tok, Range<usize>)>, ConditionError> {
    let bytes = src.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let at = |i: usize| bytes.get(i).copied().unwrap_or(0);
    while let Some(&c) = bytes.get(i) {
        let start = i;
        match c {
            b' ' | b'\t' | b'\n' | b'\r' => i += 1,
            b'(' => {
                out.push((Tok::LParen, i..i + 1));
                i += 1;
            }
            b')' => {
                out.push((Tok::RParen, i..i + 1));
                i += 1;
            }
            b'=' if matches!(bytes.get(i + 1), Some(b'>' | b'<')) => {
                // `=>` and `=<`: the operator turned round, not a mistyped `==`.
                let (written, meant) = if at(i + 1) == b'>' { ("=>", ">=") } else { ("=<", "<=") };
                return Err(err(i..i + 2, format!("`{written}` is not an operator: write `{meant}`")));
            }
            b'>' | b'<' | b'=' | b'!' => {
                let two = bytes.get(i + 1) == Some(&b'=');
                let op = match (c, two) {
                    (b'>', true) => CmpOp::Ge,
                    (b'>', false) => CmpOp::Gt,
                    (b'<', true) => CmpOp::Le,
                    (b'<', false) => CmpOp::Lt,
                    (b'=', true) => CmpOp::Eq,
                    (b'!', true) => CmpOp::Ne,
                    (b'=', false) => return Err(err(i..i + 1, "`=` is not an operator here: write `==` to compare")),
                    _ => return Err(err(i..i + 1, "`!` is not an operator: write `not` or `!=`")),
                };
                let len = if two { 2 } else { 1 };
                out.push((Tok::Op(op), i..i + len));
                i += len;
            }
            b'"' => {
                let end = src[i + 1..].find('"').map(|e| i + 1 + e);
                let Some(end) = end else { return Err(err(i..src.len(), "unterminated string: add the closing `\"`")) };
                out.push((Tok::Str(src[i + 1..end].to_string()), i..end + 1));
                i = end + 1;
            }
            b'0'..=b'9' | b'.' => {
                i = lex_number(src, start, &mut out)?;
            }
            c if c.is_ascii_alphabetic() || c == b'_' => {
                while at(i).is_ascii_alphanumeric() || at(i) == b'_' {
                    i += 1;
                }
                out.push((Tok::Ident(src[start..i].to_string()), start..i));
            }
            _ => {
                let ch = src[i..].chars().next().unwrap_or('?');
                let span = i..i + ch.len_utf8();
                let mut e = err(span, format!("unexpected character `{ch}`"));
                if ch == '&' || ch == '|' {
                    e.help = Some("write `and` / `or`".into());
                } else if ch == '≥' || ch == '≤' {
                    e.help = Some("write `>=` / `<=`".into());
                }
                return Err(e);
            }
        }
    }
    Ok(out)
}

/// Lexes the number starting at `start`, returning where it ends; a comma between digits
/// (`5,92`, `4,800`) is refused with the spelling meant.
fn lex_number(src: &str, start: usize, out: &mut Vec<(Tok, Range<usize>)>) -> Result<usize, ConditionError> {
    let bytes = src.as_bytes();
    let at = |i: usize| bytes.get(i).copied().unwrap_or(0);
    let mut i = start;
    while at(i).is_ascii_digit() || at(i) == b'.' || at(i) == b'_' {
        i += 1;
    }
    if bytes.get(i) == Some(&b',') && bytes.get(i + 1).is_some_and(u8::is_ascii_digit) {
        let mut j = i + 1;
        while at(j).is_ascii_digit() {
            j += 1;
        }
        let mut e = err(start..j, format!("`{}` is not a number here", &src[start..j]));
        let text = &src[start..j];
        e.help = Some(if j - i - 1 == 3 {
            // `4,800`: a thousands separator as likely as a decimal comma.
            format!(
                "write numbers without a thousands separator (`{}`), and decimals with a point (`{}`)",
                text.replace(',', ""),
                text.replace(',', ".")
            )
        } else {
            format!("write decimals with a point: `{}`", text.replace(',', "."))
        });
        return Err(e);
    }
    out.push((Tok::Num(src[start..i].replace('_', "")), start..i));
    Ok(i)
}

struct Parser<'a> {
    src: &'a str,
    toks: Vec<(Tok, Range<usize>)>,
    pos: usize,
    depth: usize,
}

enum Side {
    Attr(Attr, Range<usize>),
    Num(Decimal, Range<usize>),
    Str(String, Range<usize>),
    Bool(bool, Range<usize>),
}

impl Side {
    fn span(&self) -> Range<usize> {
        match self {
            Side::Attr(_, s) | Side::Num(_, s) | Side::Str(_, s) | Side::Bool(_, s) => s.clone(),
        }
    }
}

/// Parses and type-checks a condition.
///
/// # Errors
/// The first syntax or type error, with its span inside `src`: unknown attribute (with a
/// suggestion), a unit mismatch between two attributes, a number compared with a flag, a
/// malformed number such as `5,92`, unbalanced parentheses, a condition over
/// [`MAX_CONDITION_LEN`] bytes or nested deeper than [`MAX_DEPTH`].
pub fn parse(src: &str) -> Result<Expr, ConditionError> {
    if src.len() > MAX_CONDITION_LEN {
        return Err(err(0..0, format!("condition is longer than {MAX_CONDITION_LEN} bytes")));
    }
    let toks = lex(src)?;
    if toks.is_empty() {
        return Err(err(0..src.len(), "empty condition; write `true` for a rule that always applies"));
    }
    let mut p = Parser { src, toks, pos: 0, depth: 0 };
    let e = p.or()?;
    if let Some((t, span)) = p.toks.get(p.pos) {
        let what = match t {
            Tok::RParen => "unbalanced `)`".to_string(),
            _ => format!("unexpected `{}`; expected `and`, `or` or the end of the condition", &src[span.clone()]),
        };
        return Err(err(span.clone(), what));
    }
    Ok(e)
}

impl Parser<'_> {
    fn peek_ident(&self, word: &str) -> bool {
        matches!(self.toks.get(self.pos), Some((Tok::Ident(w), _)) if w == word)
    }

    fn end_span(&self) -> Range<usize> {
        self.src.len()..self.src.len()
    }

    fn or(&mut self) -> Result<Expr, ConditionError> {
        let mut parts = vec![self.and()?];
        while self.peek_ident("or") {
            self.pos += 1;
            parts.push(self.and()?);
        }
        Ok(if parts.len() == 1 { parts.remove(0) } else { Expr::Or(parts) })
    }

    fn and(&mut self) -> Result<Expr, ConditionError> {
        let mut parts = vec![self.unary()?];
        while self.peek_ident("and") {
            self.pos += 1;
            parts.push(self.unary()?);
        }
        Ok(if parts.len() == 1 { parts.remove(0) } else { Expr::And(parts) })
    }

    fn deeper(&mut self, span: Range<usize>) -> Result<(), ConditionError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(err(span, format!("condition is nested more than {MAX_DEPTH} levels deep")));
        }
        Ok(())
    }

    fn unary(&mut self) -> Result<Expr, ConditionError> {
        if self.peek_ident("not") {
            let span = self.toks.get(self.pos).map_or(0..0, |t| t.1.clone());
            self.pos += 1;
            self.deeper(span)?;
            let inner = self.unary()?;
            self.depth -= 1;
            return Ok(Expr::Not(Box::new(inner)));
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<Expr, ConditionError> {
        let Some((tok, span)) = self.toks.get(self.pos).cloned() else {
            return Err(err(self.end_span(), "condition ends too early; expected a comparison"));
        };
        match tok {
            Tok::LParen => {
                self.pos += 1;
                self.deeper(span.clone())?;
                let e = self.or()?;
                self.depth -= 1;
                match self.toks.get(self.pos) {
                    Some((Tok::RParen, _)) => {
                        self.pos += 1;
                        Ok(e)
                    }
                    _ => Err(err(span, "`(` is never closed: add `)`")),
                }
            }
            Tok::Ident(ref w) if w == "meets" => self.meets(span),
            _ => self.comparison(),
        }
    }

    fn meets(&mut self, span: Range<usize>) -> Result<Expr, ConditionError> {
        self.pos += 1;
        let open = matches!(self.toks.get(self.pos), Some((Tok::LParen, _)));
        let arg = self.toks.get(self.pos + 1).cloned();
        let close = matches!(self.toks.get(self.pos + 2), Some((Tok::RParen, _)));
        match (open, arg, close) {
            (true, Some((Tok::Str(prefix), s)), true) => {
                self.pos += 3;
                Ok(Expr::Meets { prefix, span: s, rules: Vec::new() })
            }
            _ => Err(err(span, "write `meets(\"3A090.a\")` with one quoted paragraph id")),
        }
    }

    fn operand(&mut self) -> Result<Side, ConditionError> {
        let Some((tok, span)) = self.toks.get(self.pos).cloned() else {
            return Err(err(self.end_span(), "condition ends too early; expected a name or a number"));
        };
        self.pos += 1;
        match tok {
            Tok::Num(text) => {
                let v = parse_decimal_text(&text).map_err(|m| err(span.clone(), m))?;
                check_range(v).map_err(|m| err(span.clone(), m))?;
                Ok(Side::Num(v, span))
            }
            Tok::Str(s) => Ok(Side::Str(s, span)),
            Tok::Ident(w) if w == "true" => Ok(Side::Bool(true, span)),
            Tok::Ident(w) if w == "false" => Ok(Side::Bool(false, span)),
            Tok::Ident(w) if matches!(w.as_str(), "and" | "or" | "not") => {
                Err(err(span, format!("`{w}` needs a comparison before it")))
            }
            Tok::Ident(w) => match Attr::parse(&w) {
                Some(a) => Ok(Side::Attr(a, span)),
                None if Attr::parse(&w.to_ascii_lowercase()).is_some() => {
                    let mut e = err(span, format!("unknown attribute `{w}`"));
                    e.help = Some(format!("attribute names are lower case: `{}`", w.to_ascii_lowercase()));
                    Err(e)
                }
                None if ProductKind::parse(&w.to_ascii_lowercase()).is_some() => {
                    let kind = w.to_ascii_lowercase();
                    let mut e = err(span, format!("`{w}` is a kind, not an attribute: quote it"));
                    e.help = Some(format!("write `kind == \"{kind}\"`"));
                    Err(e)
                }
                None => {
                    let mut e = err(span, format!("unknown attribute `{w}`"));
                    let names = Attr::ALL.map(Attr::name);
                    e.help = Some(match crate::diagnostic::did_you_mean(&w, names) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => format!("known attributes: {}", names.join(", ")),
                    });
                    Err(e)
                }
            },
            Tok::Op(op) => Err(err(span, format!("`{}` needs a name or number on its left", op.as_str()))),
            Tok::LParen | Tok::RParen => Err(err(span, "expected a name or a number")),
        }
    }

    fn comparison(&mut self) -> Result<Expr, ConditionError> {
        let lhs = self.operand()?;
        let op = match self.toks.get(self.pos) {
            Some((Tok::Op(op), _)) => {
                let op = *op;
                self.pos += 1;
                op
            }
            _ => {
                return match lhs {
                    Side::Attr(a, span) => match a.ty() {
                        AttrType::Bool => Ok(Expr::Flag(a)),
                        _ => Err(err(
                            span,
                            format!(
                                "`{}` is a number, not a yes/no flag: compare it, e.g. `{} >= 4800`",
                                a.name(),
                                a.name()
                            ),
                        )),
                    },
                    Side::Bool(b, _) => Ok(Expr::Const(b)),
                    other => Err(err(other.span(), "expected a comparison such as `tpp >= 4800`")),
                };
            }
        };
        let rhs = self.operand()?;
        let text = self.src[lhs.span().start..rhs.span().end].to_string();
        let (l, r) = typecheck(&lhs, op, &rhs)?;
        let at_scale = match r {
            Operand::Num(k) => Fixed::threshold(k),
            _ => None,
        };
        let rhs_shown = operand_constant(&r).map(|v| v.to_string());
        Ok(Expr::Cmp { lhs: l, op, rhs: r, text, at_scale, rhs_shown })
    }
}

fn typecheck(lhs: &Side, op: CmpOp, rhs: &Side) -> Result<(Operand, Operand), ConditionError> {
    let whole = lhs.span().start..rhs.span().end;
    let ordering = matches!(op, CmpOp::Ge | CmpOp::Gt | CmpOp::Le | CmpOp::Lt);
    let text_attr = |s: &Side| match s {
        Side::Attr(a, _) if a.ty() == AttrType::Text => Some(*a),
        _ => None,
    };
    if let Some(a) = text_attr(lhs).or(text_attr(rhs)) {
        let literal = match (lhs, rhs) {
            (Side::Attr(..), Side::Str(t, _)) | (Side::Str(t, _), Side::Attr(..)) => t,
            _ => {
                return Err(err(
                    whole,
                    format!("`{}` is compared with a quoted name, e.g. `{} == \"NVIDIA\"`", a.name(), a.name()),
                ));
            }
        };
        if ordering {
            return Err(err(whole, "only `==` and `!=` compare names"));
        }
        let normalized = super::normalize_name(literal);
        if normalized.is_empty() {
            return Err(err(whole, "the quoted name is empty"));
        }
        return Ok((Operand::Attr(a), Operand::Text(normalized)));
    }
    let kind_of = |s: &str, span: Range<usize>| {
        ProductKind::parse(s).ok_or_else(|| {
            let names = ProductKind::ALL.map(ProductKind::as_str);
            err(span, format!("unknown kind \"{s}\"; expected one of {}", names.join(", ")))
        })
    };
    let side = |s: &Side| -> Result<Operand, ConditionError> {
        Ok(match s {
            Side::Attr(a, _) => Operand::Attr(*a),
            Side::Num(n, _) => Operand::Num(*n),
            Side::Bool(b, _) => Operand::Bool(*b),
            Side::Str(t, span) => Operand::Kind(kind_of(t, span.clone())?),
        })
    };
    let ty = |s: &Side| match s {
        Side::Attr(a, _) => a.ty(),
        Side::Num(..) => AttrType::Number(""),
        Side::Bool(..) => AttrType::Bool,
        Side::Str(..) => AttrType::Kind,
    };
    match (ty(lhs), ty(rhs)) {
        (AttrType::Number(u), AttrType::Number(v)) => {
            if !u.is_empty() && !v.is_empty() && u != v {
                return Err(err(whole, format!("cannot compare {u} with {v}: the units differ")));
            }
            if u.is_empty() && v.is_empty() {
                return Err(err(whole, "compares two numbers; one side must be an attribute"));
            }
        }
        (AttrType::Bool, AttrType::Bool) | (AttrType::Kind, AttrType::Kind) if !ordering => {}
        (AttrType::Bool, AttrType::Bool) | (AttrType::Kind, AttrType::Kind) => {
            return Err(err(whole, "only `==` and `!=` compare flags and kinds"));
        }
        (AttrType::Number(_), AttrType::Kind) | (AttrType::Kind, AttrType::Number(_))
            if [lhs, rhs].iter().any(|s| matches!(s, Side::Str(t, _) if parse_decimal_text(t).is_ok())) =>
        {
            return Err(err(whole, "numbers are written without quotes, e.g. `tpp >= 4800`"));
        }
        (a, b) => {
            let name = |t: AttrType| match t {
                AttrType::Number(_) => "a number",
                AttrType::Bool => "a yes/no flag",
                AttrType::Kind => "a kind",
                AttrType::Text => "a name",
            };
            return Err(err(whole, format!("cannot compare {} with {}", name(a), name(b))));
        }
    }
    Ok((side(lhs)?, side(rhs)?))
}

/// A callback over `meets(...)` references: prefix, span inside the condition, target rules.
pub type MeetsVisitor<'a> = dyn FnMut(&str, &Range<usize>, &mut Vec<usize>) + 'a;

/// What a condition reads while it is evaluated.
pub trait Env {
    /// The value of an attribute, or `None` if unknown.
    fn value(&self, attr: Attr) -> Option<Value>;
    /// An attribute's value as traces show it (`unknown` when unknown).
    fn shown(&self, attr: Attr) -> String {
        self.value(attr).map_or_else(|| "unknown".to_string(), |v| v.to_string())
    }
    /// The value of a flag (a yes/no attribute), or `None` if unknown or not a flag: what
    /// [`Env::value`] gives as a [`Value::Bool`] (an environment overrides it only to read it
    /// without building the value). Every evaluation of a condition reads flags through it.
    fn flag(&self, attr: Attr) -> Option<bool> {
        match self.value(attr) {
            Some(Value::Bool(b)) => Some(b),
            _ => None,
        }
    }
    /// The value of a numeric attribute at the scale of [`Fixed`], when the environment has it
    /// precomputed (compared with a literal without arithmetic, with the same result as
    /// [`Env::value`]); `None` sends the comparison to `value`.
    fn scaled(&self, _attr: Attr) -> Option<Scaled> {
        None
    }
    /// The truth of `meets(...)` over the given classification rules.
    fn meets(&self, rules: &[usize]) -> Truth;
    /// Whether a text attribute (the vendor, the name) equals `normalized`, a name normalised as
    /// [`super::normalize_name`] does; `None` when unknown, and when the attribute may be the
    /// name without being written so (a vendor a few letters off, a part name read without its
    /// separators or look-alike characters: [`crate::names::part`]), so that a rule keyed on it
    /// is undecided, never false.
    fn text_matches(&self, _attr: Attr, _normalized: &str) -> Option<bool> {
        None
    }
    /// A text attribute as shown in traces, `None` when unknown.
    fn text(&self, _attr: Attr) -> Option<String> {
        None
    }
    /// Writes an attribute's value as traces show it ([`Env::shown`]) to `out`, without making
    /// a string when the environment holds it written (the same text).
    ///
    /// # Errors
    /// `out`'s error (none when it writes to memory).
    fn write_shown(&self, attr: Attr, out: &mut dyn std::fmt::Write) -> std::fmt::Result {
        out.write_str(&self.shown(attr))
    }
    /// Writes a text attribute as shown in traces ([`Env::text`]) to `out`, in one piece or
    /// several; `None`, writing nothing, when unknown.
    fn write_text(&self, attr: Attr, out: &mut dyn std::fmt::Write) -> Option<std::fmt::Result> {
        self.text(attr).map(|t| out.write_str(&t))
    }
    /// The attributes that leave unknown the parameters of the classification rules a
    /// `meets(...)` names (those whose parameters are unknown), so that a condition unknown
    /// through `meets` still names what is missing.
    fn meets_unknown_attrs(&self, _rules: &[usize], _out: &mut Vec<Attr>) {}
}

/// One comparison as evaluated, for the trace.
#[derive(Debug, Clone, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct Comparison {
    /// The comparison as written, e.g. `tpp >= 4800`.
    pub expr: String,
    /// Left value (`unknown` when missing).
    pub left: String,
    /// Right value.
    pub right: String,
    /// Outcome.
    pub result: Truth,
    /// What was compared, as the engine knew it when it compared (explanations are rendered
    /// from it). Not serialised: a comparison read back from JSON has its text only.
    #[serde(skip)]
    pub shape: Option<Shape>,
}

/// Two comparisons are equal when what they record (text, values, outcome) is equal; the
/// typed [`Shape`] is not recorded.
impl PartialEq for Comparison {
    fn eq(&self, other: &Self) -> bool {
        (&self.expr, &self.left, &self.right, self.result) == (&other.expr, &other.left, &other.right, other.result)
    }
}

/// The typed form of a comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// A flag read alone, e.g. `designed_or_marketed_for_datacenter`.
    Flag {
        /// The attribute.
        attr: Attr,
        /// Written as `not …`.
        negated: bool,
    },
    /// A comparison, e.g. `tpp >= 4800`.
    Cmp {
        /// The attribute on the left, if the left operand is one.
        lhs: Option<Attr>,
        /// The operator.
        op: CmpOp,
        /// Written as `not …`.
        negated: bool,
        /// The value compared on the left (a figure, a bound, a kind), as
        /// [`Comparison::left`] writes it; `None` when unknown or a name (`vendor`).
        left: Option<Value>,
        /// The value compared on the right, as [`Comparison::right`] writes it; `None` when
        /// unknown or a name.
        right: Option<Value>,
    },
}

impl Comparison {
    /// As shown in traces: `tpp >= 4800: 15831.2 vs 4800 -> true`, or for a flag
    /// `not designed_or_marketed_for_datacenter: true -> false`.
    pub fn display(&self) -> String {
        if self.right.is_empty() {
            format!("{}: {} -> {}", self.expr, self.left, self.result)
        } else {
            format!("{}: {} vs {} -> {}", self.expr, self.left, self.right, self.result)
        }
    }
}

impl Expr {
    /// The condition's truth, recording nothing (as [`Expr::eval`] without a trace): `and`
    /// stops at the first false part, `or` at the first true one.
    pub fn truth<E: Env + ?Sized>(&self, env: &E) -> Truth {
        self.walk(env, &mut ())
    }

    /// Evaluates the condition. Comparisons are appended to `trace` when it is given (every
    /// part of an `and` or `or` is then evaluated, to be shown).
    pub fn eval<E: Env + ?Sized>(&self, env: &E, trace: Option<&mut Vec<Comparison>>) -> Truth {
        match trace {
            Some(tr) => self.walk(env, tr),
            None => self.truth(env),
        }
    }

    /// Every attribute the condition reads.
    pub fn attributes(&self, out: &mut Vec<Attr>) {
        match self {
            Expr::And(parts) | Expr::Or(parts) => parts.iter().for_each(|p| p.attributes(out)),
            Expr::Not(e) => e.attributes(out),
            Expr::Flag(a) => out.push(*a),
            Expr::Cmp { lhs, rhs, .. } => {
                for o in [lhs, rhs] {
                    if let Operand::Attr(a) = o {
                        out.push(*a);
                    }
                }
            }
            Expr::Const(_) | Expr::Meets { .. } => {}
        }
    }

    /// The attributes read by comparisons that evaluate to unknown, and through an unknown
    /// `meets(...)` those of the paragraphs it names ([`Env::meets_unknown_attrs`]).
    pub fn unknown_attrs(&self, env: &dyn Env, out: &mut Vec<Attr>) {
        match self {
            Expr::Meets { rules, .. } if env.meets(rules) == Truth::Unknown => env.meets_unknown_attrs(rules, out),
            Expr::And(parts) | Expr::Or(parts) => parts.iter().for_each(|p| p.unknown_attrs(env, out)),
            Expr::Not(e) => e.unknown_attrs(env, out),
            Expr::Flag(a) if env.value(*a).is_none() => out.push(*a),
            Expr::Cmp { lhs: Operand::Attr(a), rhs: Operand::Text(t), .. } if env.text_matches(*a, t).is_none() => {
                out.push(*a);
            }
            Expr::Cmp { rhs: Operand::Text(_), .. } => {}
            Expr::Cmp { lhs, rhs, .. } => {
                // An absent figure, or a bound (a TPP "at least" X) that left the comparison open.
                let open = || self.eval(env, None) == Truth::Unknown;
                for o in [lhs, rhs] {
                    if let Operand::Attr(a) = o
                        && env.value(*a).is_none_or(|v| v.is_bound() && open())
                    {
                        out.push(*a);
                    }
                }
            }
            _ => {}
        }
    }

    /// Calls `f` on every `meets(...)` reference with its prefix, its span inside the condition
    /// and its target list, which `f` may fill or rewrite (used when the pack is compiled).
    pub fn visit_meets_mut(&mut self, f: &mut MeetsVisitor<'_>) {
        match self {
            Expr::And(parts) | Expr::Or(parts) => parts.iter_mut().for_each(|p| p.visit_meets_mut(f)),
            Expr::Not(e) => e.visit_meets_mut(f),
            Expr::Meets { prefix, span, rules } => f(prefix, span, rules),
            _ => {}
        }
    }

    /// The classification rules this condition refers to through `meets(...)`.
    pub fn meets_targets(&self, out: &mut Vec<usize>) {
        match self {
            Expr::And(parts) | Expr::Or(parts) => parts.iter().for_each(|p| p.meets_targets(out)),
            Expr::Not(e) => e.meets_targets(out),
            Expr::Meets { rules, .. } => out.extend(rules),
            _ => {}
        }
    }
}

/// A numeric attribute's value at the scale of [`Fixed`], precomputed once per product, for
/// comparing with literals (themselves integers at that scale) by integer comparisons alone:
/// the lowest and highest values it may have (the same for an exact number; the highest is
/// [`Fixed::UNBOUNDED`] for a number known only to be at least `lo`). Exact: the same truth as
/// comparing the [`Value`] it is made from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scaled {
    /// Lowest possible value.
    pub lo: Fixed,
    /// Highest possible value ([`Fixed::UNBOUNDED`] when there is no upper bound).
    pub hi: Fixed,
}

impl Scaled {
    /// The scaled form of a numeric value, `None` for another value or one too large for it.
    pub fn of(v: &Value) -> Option<Scaled> {
        match v {
            Value::Num(r) => Fixed::of_ratio(r).map(|x| Scaled { lo: x, hi: x }),
            Value::Range { lo, hi } => {
                let lo = Fixed::of_ratio(lo)?;
                let hi = match hi {
                    Some(h) => Fixed::of_ratio(h)?,
                    None => Fixed::UNBOUNDED,
                };
                Some(Scaled { lo, hi })
            }
            Value::Bool(_) | Value::Kind(_) => None,
        }
    }

    /// The truth of `self op k`, `k` a literal at the fixed scale: as [`compare`] decides it
    /// for the value and the literal (true when every value in the range makes it true, false
    /// when every value makes it false, else unknown; an exact number is a range of one value).
    #[inline]
    pub fn compare(self, op: CmpOp, k: Fixed) -> Truth {
        use std::cmp::Ordering::{Greater, Less};
        let (lo, hi) = (self.lo.cmp(&k), self.hi.cmp(&k));
        decided_by_bounds(op, lo != Less, lo == Greater, hi != Greater, hi == Less)
    }
}

/// The truth of a comparison of two ranges from what holds for every pair of values.
#[inline]
fn decided_by_bounds(op: CmpOp, all_ge: bool, all_gt: bool, all_le: bool, all_lt: bool) -> Truth {
    let decided = |yes: bool, no: bool| {
        if yes {
            Truth::True
        } else if no {
            Truth::False
        } else {
            Truth::Unknown
        }
    };
    match op {
        CmpOp::Ge => decided(all_ge, all_lt),
        CmpOp::Gt => decided(all_gt, all_le),
        CmpOp::Le => decided(all_le, all_gt),
        CmpOp::Lt => decided(all_lt, all_ge),
        // Equal for every pair only when both are the same single value.
        CmpOp::Eq => decided(all_ge && all_le, all_lt || all_gt),
        CmpOp::Ne => decided(all_lt || all_gt, all_ge && all_le),
    }
}

/// A number as a range: (lowest, highest or `None` when unbounded).
type Bounds = (Ratio, Option<Ratio>);

fn bounds(v: Value) -> Bounds {
    match v {
        Value::Range { lo, hi } => (lo, hi),
        Value::Num(n) => (n, Some(n)),
        // Not reached: only numbers are passed.
        Value::Bool(_) | Value::Kind(_) => (Ratio::from_decimal(Decimal::ZERO), None),
    }
}

/// A comparison of two ranges: true when every pair of values makes it true, false when every
/// pair makes it false, otherwise unknown (also when a cross-product overflows).
fn compare_ranges((alo, ahi): Bounds, op: CmpOp, (blo, bhi): Bounds) -> Truth {
    use std::cmp::Ordering::{Greater, Less};
    // `x.exact_cmp(y)` when both are bounded; `None` (undecided) otherwise.
    let cmp = |x: Option<Ratio>, y: Option<Ratio>| x.zip(y).and_then(|(x, y)| x.exact_cmp(&y));
    // a >= b for every pair: the lowest a is at least the highest b.
    let all_ge = cmp(Some(alo), bhi).is_some_and(|o| o != Less);
    let all_gt = cmp(Some(alo), bhi) == Some(Greater);
    // a <= b for every pair: the highest a is at most the lowest b.
    let all_le = cmp(ahi, Some(blo)).is_some_and(|o| o != Greater);
    let all_lt = cmp(ahi, Some(blo)) == Some(Less);
    decided_by_bounds(op, all_ge, all_gt, all_le, all_lt)
}

/// The truth of one comparison: a name against the product's vendor; an attribute against a
/// literal on the product's scaled value when it has one (exact, see [`Fixed`]), else on its
/// decimal or ratio; otherwise the two values compared exactly.
#[inline]
fn cmp_truth<E: Env + ?Sized>(env: &E, lhs: &Operand, op: CmpOp, rhs: &Operand, at_scale: Option<Fixed>) -> Truth {
    match (lhs, rhs) {
        (Operand::Attr(a), Operand::Text(t)) => match env.text_matches(*a, t) {
            Some(m) => Truth::from_bool(if op == CmpOp::Ne { !m } else { m }),
            None => Truth::Unknown,
        },
        (Operand::Attr(a), Operand::Num(k)) => {
            if let (Some(kk), Some(v)) = (at_scale, env.scaled(*a)) {
                return v.compare(op, kk);
            }
            match env.value(*a) {
                Some(Value::Num(v)) if v.den == Decimal::ONE => Truth::from_bool(op.test(v.num.cmp(k))),
                Some(v) => compare(v, op, Value::Num(Ratio::from_decimal(*k))),
                None => Truth::Unknown,
            }
        }
        _ => match (operand_value(lhs, env), operand_value(rhs, env)) {
            (Some(l), Some(r)) => compare(l, op, r),
            _ => Truth::Unknown,
        },
    }
}

/// The value of an operand that is a literal.
fn operand_constant(o: &Operand) -> Option<Value> {
    match o {
        Operand::Num(n) => Some(Value::Num(Ratio::from_decimal(*n))),
        Operand::Kind(k) => Some(Value::Kind(*k)),
        Operand::Bool(b) => Some(Value::Bool(*b)),
        Operand::Attr(_) | Operand::Text(_) => None,
    }
}

fn operand_value<E: Env + ?Sized>(o: &Operand, env: &E) -> Option<Value> {
    match o {
        Operand::Attr(a) => env.value(*a),
        Operand::Num(n) => Some(Value::Num(Ratio::from_decimal(*n))),
        Operand::Kind(k) => Some(Value::Kind(*k)),
        Operand::Bool(b) => Some(Value::Bool(*b)),
        Operand::Text(_) => None,
    }
}

fn compare(l: Value, op: CmpOp, r: Value) -> Truth {
    match (l, r) {
        // An overflowing cross-product cannot be decided: unknown, never a guess.
        (Value::Num(a), Value::Num(b)) => a.exact_cmp(&b).map_or(Truth::Unknown, |o| Truth::from_bool(op.test(o))),
        (a @ (Value::Num(_) | Value::Range { .. }), b @ (Value::Num(_) | Value::Range { .. })) => {
            compare_ranges(bounds(a), op, bounds(b))
        }
        (Value::Bool(a), Value::Bool(b)) => Truth::from_bool(op.test(a.cmp(&b))),
        (Value::Kind(a), Value::Kind(b)) => Truth::from_bool(if op == CmpOp::Eq { a == b } else { a != b }),
        _ => Truth::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct One(Attr, Value);

    impl Env for One {
        fn value(&self, attr: Attr) -> Option<Value> {
            (attr == self.0).then_some(self.1)
        }
        fn meets(&self, _: &[usize]) -> Truth {
            Truth::Unknown
        }
    }

    fn r(n: i64) -> Ratio {
        Ratio::from_decimal(Decimal::from(n))
    }

    /// The truth of `cond` for a TPP in `lo..=hi` (`hi` None: unbounded), with and without a trace.
    fn truth(cond: &str, lo: i64, hi: Option<i64>) -> Truth {
        let env = One(Attr::Tpp, Value::Range { lo: r(lo), hi: hi.map(r) });
        let e = parse(cond).unwrap();
        let fast = e.eval(&env, None);
        let mut trace = Vec::new();
        assert_eq!(e.eval(&env, Some(&mut trace)), fast, "{cond}: traced and untraced differ");
        fast
    }

    #[test]
    fn a_lower_bound_decides_only_what_no_higher_value_could_flip() {
        // TPP at least 2176.
        assert_eq!(truth("tpp >= 1600", 2176, None), Truth::True);
        assert_eq!(truth("tpp >= 4800", 2176, None), Truth::Unknown);
        assert_eq!(truth("tpp < 4800", 2176, None), Truth::Unknown);
        assert_eq!(truth("tpp < 1600", 2176, None), Truth::False);
        assert_eq!(truth("tpp > 2176", 2176, None), Truth::Unknown);
        assert_eq!(truth("tpp <= 2175", 2176, None), Truth::False);
        assert_eq!(truth("tpp == 2176", 2176, None), Truth::Unknown);
        assert_eq!(truth("tpp != 100", 2176, None), Truth::True);
        assert_eq!(truth("not tpp >= 4800", 2176, None), Truth::Unknown);
    }

    #[test]
    fn a_range_decides_what_holds_at_both_ends() {
        // Between 4750 and 4850.
        assert_eq!(truth("tpp >= 4800", 4750, Some(4850)), Truth::Unknown);
        assert_eq!(truth("tpp >= 4700", 4750, Some(4850)), Truth::True);
        assert_eq!(truth("tpp >= 4900", 4750, Some(4850)), Truth::False);
        assert_eq!(truth("tpp < 4850", 4750, Some(4850)), Truth::Unknown);
        assert_eq!(truth("tpp <= 4850", 4750, Some(4850)), Truth::True);
        assert_eq!(truth("tpp > 4850", 4750, Some(4850)), Truth::False);
        assert_eq!(truth("tpp == 4900", 4750, Some(4850)), Truth::False);
        // A range of one value is that value.
        assert_eq!(truth("tpp == 4800", 4800, Some(4800)), Truth::True);
        assert_eq!(truth("tpp != 4800", 4800, Some(4800)), Truth::False);
    }

    /// `One` with its value also at the fixed scale, as a prepared product has it.
    struct Scaled1(Attr, Value);

    impl Env for Scaled1 {
        fn value(&self, attr: Attr) -> Option<Value> {
            (attr == self.0).then_some(self.1)
        }
        fn scaled(&self, attr: Attr) -> Option<Scaled> {
            (attr == self.0).then(|| Scaled::of(&self.1)).flatten()
        }
        fn meets(&self, _: &[usize]) -> Truth {
            Truth::Unknown
        }
    }

    fn dec(s: &str) -> Ratio {
        Ratio::from_decimal(s.parse().unwrap())
    }

    #[test]
    fn scaled_comparisons_agree_with_exact_ones_at_every_threshold_and_one_unit_around() {
        let ks = ["0", "1.6", "2", "3.2", "5.92", "600", "1600", "2400", "4800", "30000000000"];
        let ops = [">=", ">", "<=", "<", "==", "!="];
        let mut points = Vec::new();
        for k in ks {
            let k: Decimal = k.parse().unwrap();
            let ulp: Decimal = "0.000001".parse().unwrap();
            for x in [k, k + ulp, k - ulp] {
                if x >= Decimal::ZERO {
                    points.push(Ratio::from_decimal(x));
                }
            }
            // The threshold as a quotient, and a hair either side of it.
            let den: Decimal = "347".parse().unwrap();
            for num in [k * den, k * den + ulp, k * den - ulp] {
                if let Some(r) = Ratio::new(num, den).filter(|_| num >= Decimal::ZERO) {
                    points.push(r);
                }
            }
        }
        let mut values: Vec<Value> = points.iter().map(|&p| Value::Num(p)).collect();
        for &lo in &points {
            values.push(Value::Range { lo, hi: None });
            for &hi in points.iter().filter(|hi| hi.exact_cmp(&lo) != Some(std::cmp::Ordering::Less)).take(40) {
                values.push(Value::Range { lo, hi: Some(hi) });
            }
        }
        let mut checked = 0;
        for k in ks {
            for op in ops {
                let e = parse(&format!("tpp {op} {k}")).unwrap();
                for &v in &values {
                    let slow = e.eval(&One(Attr::Tpp, v), None);
                    let fast = e.eval(&Scaled1(Attr::Tpp, v), None);
                    assert_eq!(fast, slow, "tpp = {v} {op} {k}");
                    let mut trace = Vec::new();
                    assert_eq!(e.eval(&Scaled1(Attr::Tpp, v), Some(&mut trace)), slow, "traced: tpp = {v} {op} {k}");
                    checked += 1;
                }
            }
        }
        assert!(checked > 10_000, "{checked}");
        let k = Fixed::threshold("5.92".parse().unwrap()).unwrap();
        assert_eq!(Scaled::of(&Value::Num(dec("5.92"))).map(|s| s.compare(CmpOp::Ge, k)), Some(Truth::True));
    }

    #[test]
    fn only_comparisons_a_bound_leaves_open_name_it_as_missing() {
        let env = One(Attr::Tpp, Value::Range { lo: r(2176), hi: None });
        let mut out = Vec::new();
        parse("tpp >= 1600 and tpp >= 4800").unwrap().unknown_attrs(&env, &mut out);
        assert_eq!(out, [Attr::Tpp]);
        out.clear();
        parse("tpp >= 1600").unwrap().unknown_attrs(&env, &mut out);
        assert!(out.is_empty());
        assert_eq!(Value::Range { lo: r(2176), hi: None }.to_string(), "at least 2176");
        assert_eq!(Value::Range { lo: r(4750), hi: Some(r(4850)) }.to_string(), "4750 to 4850");
    }
}
