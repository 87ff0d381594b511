//! Plain-text rendering of a determination, for a compliance officer's file.

use std::fmt::Write;

use super::determination::{Certainty, Determination, RuleKind, ScopeKind, ScopeLine, Verdict};
use crate::ruleset::vocabulary::Value;

impl Determination {
    /// A plain-language explanation: verdict, classification with each comparison, each
    /// requirement and exception with its citation, missing inputs, warnings and scope.
    /// With `full_trace`, every rule tried is listed too.
    pub fn explain(&self, full_trace: bool) -> String {
        let mut o = String::new();
        self.write_header(&mut o);
        self.write_metrics(&mut o);
        self.write_contents(&mut o);
        self.write_classification(&mut o, full_trace);
        self.write_requirements(&mut o);
        self.write_exceptions(&mut o);
        if !self.missing.is_empty() {
            let _ = writeln!(o, "\nMissing data: {}", self.missing.join(", "));
        }
        if !self.warnings.is_empty() {
            let _ = writeln!(o, "\nWarnings");
            for w in &self.warnings {
                let _ = writeln!(o, "  - {w}");
            }
        }
        if full_trace {
            self.write_trace(&mut o);
        }
        let _ = writeln!(o, "\nScope");
        for s in &self.scope {
            let _ = writeln!(o, "  - {s}");
        }
        o
    }

    /// The verdict, what was determined, and the rules.
    fn write_header(&self, o: &mut String) {
        let verdict = match self.verdict {
            Verdict::NoLicenseRequired => "NO LICENCE REQUIRED",
            Verdict::LicenseException => "LICENCE EXCEPTION AVAILABLE",
            Verdict::LicenseRequired => "LICENCE REQUIRED",
            Verdict::Indeterminate => "INDETERMINATE: missing data decides the outcome",
        };
        let _ = writeln!(o, "Determination: {verdict}");
        let _ = writeln!(
            o,
            "  {} ({}, {}) from {} to {} ({}), as of {}",
            self.product.name,
            self.product.vendor,
            self.product.id,
            self.exported_from.as_ref().map_or("a country not stated", |c| c.code.code()),
            self.destination.code,
            self.destination.name,
            self.as_of
        );
        let _ = writeln!(o, "  Rules: {} {} (sha256 {})", self.rules.name, self.rules.version, self.rules.sha256);
        if let Some(s) = self.superseded_scope() {
            let _ = writeln!(o, "  {s}");
        }
        if let Some(s) = self.unlocked_scope() {
            let _ = writeln!(o, "  {s}");
        }
    }

    /// The scope line saying the pack was used unlocked, when it was ([`PackRef::unlocked`]):
    /// the first scope line of such a determination, after the line saying the pack is
    /// superseded when it is ([`Self::superseded_scope`]).
    ///
    /// [`PackRef::unlocked`]: super::determination::PackRef::unlocked
    fn unlocked_scope(&self) -> Option<&ScopeLine> {
        let skip = usize::from(self.superseded_scope().is_some());
        self.scope.get(skip).filter(|_| self.rules.unlocked)
    }

    /// The scope line saying the pack is a superseded release used all the same
    /// (`--superseded`), when the engine wrote it: the first scope line.
    fn superseded_scope(&self) -> Option<&ScopeLine> {
        self.scope.first().filter(|s| s.kind() == Some(ScopeKind::Superseded))
    }

    /// The metrics the rules compared.
    fn write_metrics(&self, o: &mut String) {
        if self.contents.is_empty() {
            let _ = writeln!(o, "\nMetrics ({})", self.metrics.rounding);
        } else {
            let _ = writeln!(
                o,
                "\nMetrics of the system as one aggregate: its own figures, else the sum over its contents ({})",
                self.metrics.rounding
            );
        }
        let show = |v: &Option<String>| v.clone().unwrap_or_else(|| "unknown".into());
        let tpp = match (&self.metrics.tpp, self.metrics.tpp_is_lower_bound, &self.metrics.tpp_upper_bound) {
            (Some(t), true, Some(up)) => format!("{t} to {up}"),
            (Some(t), true, None) => format!("at least {t}"),
            (t, _, _) => show(t),
        };
        let _ = writeln!(o, "  TPP                     {tpp}");
        for t in &self.metrics.tpp_terms {
            let _ = writeln!(o, "      = {} {} TOPS x {} bits ({})", t.precision.as_str(), t.tops, t.bits, t.unit);
        }
        let _ = writeln!(o, "  applicable die area     {} mm²", show(&self.metrics.applicable_die_area));
        let _ = writeln!(o, "  performance density     {}", show(&self.metrics.performance_density));
        let _ = writeln!(o, "  interconnect bandwidth  {} GB/s", show(&self.metrics.interconnect_bandwidth));
        let _ = writeln!(o, "  memory bandwidth        {} GB/s", show(&self.metrics.memory_bandwidth));
        if let Some(mbd) = &self.metrics.memory_bandwidth_density {
            let _ = writeln!(o, "  memory bandwidth density {mbd} GB/s per mm²");
        }
    }

    /// For a system: how each contained product was classified.
    fn write_contents(&self, o: &mut String) {
        if !self.contents.is_empty() {
            let _ = writeln!(o, "\nContents (as the rules tested them)");
            for c in &self.contents {
                let class = if !c.known {
                    "unknown: the contents are not given".to_string()
                } else if c.paragraphs.is_empty() {
                    "no paragraph".to_string()
                } else {
                    c.paragraphs.join(", ")
                };
                let tpp = c.tpp.as_deref().map(|t| format!(", TPP {t}")).unwrap_or_default();
                let _ = writeln!(o, "  {}{tpp}: {class}", c.name);
            }
        }
    }

    /// The classification, with the comparisons of each paragraph tried (those that do not
    /// hold only with `full_trace`).
    fn write_classification(&self, o: &mut String, full_trace: bool) {
        let _ = writeln!(o, "\nClassification");
        if self.eccns.is_empty() {
            let _ = writeln!(o, "  No classification paragraph of the pack matches.");
        } else {
            let _ = writeln!(o, "  ECCN {} (paragraphs {})", self.eccns.join(", "), self.paragraphs.join(", "));
        }
        if !self.undetermined_paragraphs.is_empty() {
            let _ = writeln!(o, "  May also be {} (depends on missing data)", self.undetermined_paragraphs.join(", "));
        }
        for t in self.trace.iter().filter(|t| matches!(t.kind, RuleKind::Classification | RuleKind::Exclusion)) {
            if !full_trace && t.result == crate::ruleset::condition::Truth::False && t.kind == RuleKind::Classification
            {
                continue;
            }
            let _ = writeln!(o, "  {} {}: {} [{}]", t.kind, t.rule, t.result, t.source);
            for c in &t.comparisons {
                let _ = writeln!(o, "      {}", c.display());
            }
        }
    }

    /// Each requirement that applies or may apply, with its basis and review policy.
    fn write_requirements(&self, o: &mut String) {
        let _ = writeln!(o, "\nLicence requirements");
        if self.requirements.is_empty() {
            let _ = writeln!(o, "  None applies.");
        }
        for r in &self.requirements {
            let may = if r.certainty == Certainty::Possible { " (may apply: depends on missing data)" } else { "" };
            let _ = writeln!(o, "  {} [{}] {}{may}", r.id, r.reason, r.title);
            let _ = writeln!(o, "      source: {}", r.source);
            for b in &r.destination_basis {
                let _ = writeln!(o, "      because {b}");
            }
            if let Some(p) = r.review_policy {
                let _ = writeln!(
                    o,
                    "      review policy: {} ({})",
                    p.as_str(),
                    r.review_policy_source.as_deref().unwrap_or("")
                );
            }
            for c in &r.review_conditions {
                let _ = writeln!(o, "      condition of the review policy: {c}");
            }
            if !r.overcome_by.is_empty() {
                let _ =
                    writeln!(o, "      overcome by licence exception {} (see its obligations)", r.overcome_by_text());
            }
        }
    }

    /// The licence exceptions available, with their obligations.
    fn write_exceptions(&self, o: &mut String) {
        if !self.exceptions.is_empty() {
            let _ = writeln!(o, "\nLicence exceptions");
            for x in &self.exceptions {
                let may = if x.certainty == Certainty::Possible {
                    " (may be available: depends on missing data)"
                } else {
                    ""
                };
                let _ = writeln!(o, "  {} ({}): {}{may} [{}]", x.name, x.id, x.title, x.source);
                for g in &x.grounds {
                    let _ = writeln!(o, "      ground: {g}");
                }
                for ob in &x.obligations {
                    let _ = writeln!(o, "      obligation: {ob}");
                }
            }
        }
    }

    /// Every rule tried, with its comparisons and notes.
    fn write_trace(&self, o: &mut String) {
        let _ = writeln!(o, "\nTrace (every rule in force on {})", self.as_of);
        for t in &self.trace {
            let _ = writeln!(o, "  {} {}: {}", t.kind, t.rule, t.result);
            for c in &t.comparisons {
                let _ = writeln!(o, "      {}", c.display());
            }
            for n in &t.notes {
                let _ = writeln!(o, "      {n}");
            }
        }
    }
}

/// Writes a decimal string with thousands separators: `15831.2` → `15,831.2`.
fn grouped(n: &str) -> String {
    let (int, frac) = n.split_once('.').map_or((n, None), |(i, f)| (i, Some(f)));
    let (sign, digits) = int.strip_prefix('-').map_or(("", int), |d| ("-", d));
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return n.to_string();
    }
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    match frac {
        Some(f) => format!("{sign}{out}.{f}"),
        None => format!("{sign}{out}"),
    }
}

/// A value as compared, grouped, from its typed form: `15831.2` → `15,831.2`; a bound →
/// `at least 2,176`; a range → `15,831.2 to 15,832`. `written` (the comparison's text of it)
/// when the value is not known to the comparison: unknown, or a name.
fn grouped_value(v: Option<Value>, written: &str) -> String {
    match v {
        Some(Value::Num(n)) => grouped(&n.to_string()),
        Some(Value::Range { lo, hi: None }) => format!("at least {}", grouped(&lo.to_string())),
        Some(Value::Range { lo, hi: Some(hi) }) => {
            format!("{} to {}", grouped(&lo.to_string()), grouped(&hi.to_string()))
        }
        Some(v @ (Value::Bool(_) | Value::Kind(_))) => v.to_string(),
        None => written.to_string(),
    }
}

/// A comparison in words, from its typed shape: `tpp >= 4800` with left 15831.2 →
/// `TPP 15,831.2 ≥ 4,800`; a flag → `not designed or marketed for datacenter
/// (designed_or_marketed_for_datacenter = false)`. A comparison read back from JSON (no shape)
/// is shown as written.
fn comparison_words(c: &crate::ruleset::condition::Comparison) -> String {
    use crate::ruleset::condition::Shape;
    let not = |negated: bool| if negated { "not " } else { "" };
    match c.shape {
        Some(Shape::Flag { attr, negated }) => {
            format!("{}{} ({} = {})", not(negated), attr.name().replace('_', " "), attr.name(), c.left)
        }
        Some(Shape::Cmp { lhs, op, negated, left, right }) => {
            let left = match lhs {
                Some(a) => format!("{} {}", a.label(), grouped_value(left, &c.left)),
                None => grouped_value(left, &c.left),
            };
            format!("{}{left} {} {}", not(negated), op.symbol(), grouped_value(right, &c.right))
        }
        None => c.display(),
    }
}

impl Determination {
    /// The decisive path in plain language, e.g. "Licence required because the H100 SXM5 80GB
    /// has TPP 15,831.2 ≥ 4,800 (3A090.a.1; 15 CFR 774 Supp. No. 1 ...) and CN is in Country
    /// Group D:5 (742.6(a)(6)(iii); ...)". Needs a determination made with the trace on.
    pub fn explain_decisive(&self) -> String {
        let mut o = String::new();
        match self.verdict {
            Verdict::NoLicenseRequired => self.decisive_no_licence(&mut o),
            Verdict::Indeterminate => {
                let _ = write!(o, "Indeterminate: the outcome depends on missing data ({}).", self.missing.join(", "));
                for r in &self.requirements {
                    let _ = write!(o, " {} may apply ({}).", r.id, r.source);
                }
            }
            Verdict::LicenseRequired | Verdict::LicenseException => self.decisive_requirements(&mut o),
        }
        // The scope lines that qualify the answer, in their order: the pack a superseded
        // release, the pack used unlocked (the first lines), no parties given (by the kind the
        // engine wrote it with: a line read back from JSON has none).
        let unlocked = self.unlocked_scope();
        for s in self.scope.iter().filter(|&s| {
            unlocked.is_some_and(|u| std::ptr::eq(u, s))
                || matches!(s.kind(), Some(ScopeKind::PartiesNotGiven | ScopeKind::Superseded))
        }) {
            let _ = write!(o, " {s}");
        }
        o.push('\n');
        // The warnings qualify the answer (the other reading of a system, a stale screening, a
        // look-alike name, a date past the pack's research): never left out of the short form.
        for w in &self.warnings {
            let _ = writeln!(o, "Warning: {w}");
        }
        o
    }

    /// Why the product is classified as it is: each paragraph that holds, with the comparisons
    /// that make it hold.
    fn class_reason(&self) -> String {
        let mut parts = Vec::new();
        for t in self
            .trace
            .iter()
            .filter(|t| t.kind == RuleKind::Classification && t.result == crate::ruleset::condition::Truth::True)
        {
            let cmps: Vec<String> = t
                .comparisons
                .iter()
                .filter(|c| c.result == crate::ruleset::condition::Truth::True)
                .map(comparison_words)
                .collect();
            let why = if cmps.is_empty() { String::new() } else { format!(" with {}", cmps.join(" and ")) };
            parts.push(format!("is {}{why} ({})", t.rule, t.source));
        }
        parts.join("; it also ")
    }

    /// No licence required: the classification (or why none holds) and no requirement.
    fn decisive_no_licence(&self, o: &mut String) {
        let product = &self.product.name;
        let _ = write!(o, "No licence required: ");
        if self.eccns.is_empty() {
            let _ = write!(o, "the {product} meets no classification paragraph of the pack");
            let tpp = match (self.metrics.tpp.as_deref().map(grouped), &self.metrics.tpp_upper_bound) {
                (Some(t), Some(up)) => format!("{t} to {}", grouped(up)),
                (Some(t), None) if self.metrics.tpp_is_lower_bound => format!("at least {t}"),
                (Some(t), None) => t,
                (None, _) => "unknown".into(),
            };
            let pd = self.metrics.performance_density.as_deref().unwrap_or("unknown");
            let _ = write!(o, " (TPP {tpp}, performance density {pd})");
            for t in self
                .trace
                .iter()
                .filter(|t| t.kind == RuleKind::Exclusion && t.result == crate::ruleset::condition::Truth::True)
            {
                let why: Vec<String> = t.comparisons.iter().map(comparison_words).collect();
                let _ = write!(o, "; {} takes it out ({}; {})", t.rule, why.join(" and "), t.source);
            }
        } else {
            let _ = write!(o, "the {product} {}", self.class_reason());
        }
        let _ = write!(
            o,
            ", and no licence requirement of the pack applies to {} ({}) on {}.",
            self.destination.code, self.destination.name, self.as_of
        );
    }

    /// A licence required (or an exception available): the classification, each requirement
    /// with its basis, what overcomes it and its review policy, and the exceptions' obligations.
    fn decisive_requirements(&self, o: &mut String) {
        let head =
            if self.verdict == Verdict::LicenseRequired { "Licence required" } else { "Licence exception available" };
        let _ = write!(o, "{head} because ");
        // The reasons are the requirements that apply; one that only may apply (a fact missing,
        // as an Entity List entry for a party not screened against the full list) is not a
        // reason for the verdict and is named after them as such (probe17). A verdict resting on
        // possible requirements alone cannot be reached; should it be, they are all given.
        let (sure, possible): (Vec<_>, Vec<_>) =
            self.requirements.iter().partition(|r| r.certainty != Certainty::Possible);
        let (sure, possible) = if sure.is_empty() { (possible, Vec::new()) } else { (sure, possible) };
        let reasons: Vec<String> = sure.into_iter().map(requirement_reason).collect();
        if !self.eccns.is_empty() {
            let _ = write!(o, "the {} {}, and ", self.product.name, self.class_reason());
        }
        let _ = write!(o, "{}.", reasons.join("; and "));
        for r in possible {
            let _ = write!(
                o,
                " {} may also apply (depends on missing data: {}; {}).",
                r.id,
                self.missing.join(", "),
                r.source
            );
        }
        for x in &self.exceptions {
            for ob in &x.obligations {
                let _ = write!(o, " {} obliges: {ob}", x.name);
            }
        }
    }
}

/// One requirement in the decisive path: its basis, citation, what overcomes it and its review
/// policy.
fn requirement_reason(r: &super::determination::RequirementFinding) -> String {
    let basis =
        if r.destination_basis.is_empty() { String::new() } else { format!("{} ", r.destination_basis.join(", ")) };
    let mut s = format!("{basis}({}: {}; {})", r.id, r.title, r.source);
    if !r.overcome_by.is_empty() {
        s.push_str(&format!(", overcome by License Exception {}", r.overcome_by_text()));
    }
    if let Some(p) = r.review_policy {
        s.push_str(&format!(", reviewed under {}", p.as_str().replace('_', " ")));
        if !r.review_conditions.is_empty() {
            s.push_str(&format!(" provided that: {}", r.review_conditions.join(" ")));
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::{comparison_words, grouped};
    use crate::number::Ratio;
    use crate::ruleset::condition::{CmpOp, Comparison, Shape, Truth};
    use crate::ruleset::vocabulary::{Attr, Value};

    fn n(s: &str) -> Ratio {
        Ratio::from_decimal(s.parse().unwrap_or_default())
    }

    /// A comparison `tpp >= 4800` (the 3A090.a.1 threshold, 15 CFR 774 Supp. No. 1) of the
    /// TPP `left`, its text written as `written`.
    fn tpp_cmp(left: Option<Value>, written: &str) -> Comparison {
        Comparison {
            expr: "tpp >= 4800".into(),
            left: written.into(),
            right: "4800".into(),
            result: Truth::Unknown,
            shape: Some(Shape::Cmp {
                lhs: Some(Attr::Tpp),
                op: CmpOp::Ge,
                negated: false,
                left,
                right: Some(Value::Num(n("4800"))),
            }),
        }
    }

    /// A value in words comes from the value compared, not from its text: a bound, a range and
    /// a figure are grouped by their typed form (the text is left aside: here deliberately
    /// not the value's), an unknown value is written as traced.
    #[test]
    fn comparisons_are_worded_from_typed_values() {
        let bound = tpp_cmp(Some(Value::Range { lo: n("2176"), hi: None }), "-");
        assert_eq!(comparison_words(&bound), "TPP at least 2,176 ≥ 4,800");
        let range = tpp_cmp(Some(Value::Range { lo: n("15831.2"), hi: Some(n("15832")) }), "-");
        assert_eq!(comparison_words(&range), "TPP 15,831.2 to 15,832 ≥ 4,800");
        let exact = tpp_cmp(Some(Value::Num(n("15831.2"))), "-");
        assert_eq!(comparison_words(&exact), "TPP 15,831.2 ≥ 4,800");
        let unknown = tpp_cmp(None, "unknown");
        assert_eq!(comparison_words(&unknown), "TPP unknown ≥ 4,800");
        // Read back from JSON, a comparison has no typed form: shown as written.
        let read_back = Comparison { shape: None, ..exact };
        assert_eq!(comparison_words(&read_back), "tpp >= 4800: - vs 4800 -> unknown");
    }

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(grouped("15831.2"), "15,831.2");
        assert_eq!(grouped("4800"), "4,800");
        assert_eq!(grouped("600"), "600");
        assert_eq!(grouped("unknown"), "unknown");
    }
}
