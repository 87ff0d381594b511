//! Plain-text rendering of a determination, for a compliance officer's file.

use std::fmt::Write;

use super::determination::{Certainty, Determination, Verdict};

impl Determination {
    /// A plain-language explanation: verdict, classification with each comparison, each
    /// requirement and exception with its citation, missing inputs, warnings and scope.
    /// With `full_trace`, every rule tried is listed too.
    pub fn explain(&self, full_trace: bool) -> String {
        let mut o = String::new();
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
            self.exported_from.code,
            self.destination.code,
            self.destination.name,
            self.as_of
        );
        let _ = writeln!(o, "  Rules: {} {} (sha256 {})", self.rules.name, self.rules.version, self.rules.sha256);

        let _ = writeln!(o, "\nMetrics ({})", self.metrics.rounding);
        let show = |v: &Option<String>| v.clone().unwrap_or_else(|| "unknown".into());
        let _ = writeln!(o, "  TPP                     {}", show(&self.metrics.tpp));
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

        let _ = writeln!(o, "\nClassification");
        if self.eccns.is_empty() {
            let _ = writeln!(o, "  No classification paragraph of the pack matches.");
        } else {
            let _ = writeln!(o, "  ECCN {} (paragraphs {})", self.eccns.join(", "), self.paragraphs.join(", "));
        }
        if !self.undetermined_paragraphs.is_empty() {
            let _ = writeln!(o, "  May also be {} (depends on missing data)", self.undetermined_paragraphs.join(", "));
        }
        for t in self.trace.iter().filter(|t| matches!(t.kind, "classification" | "exclusion")) {
            if !full_trace && t.result == crate::ruleset::condition::Truth::False && t.kind == "classification" {
                continue;
            }
            let _ = writeln!(o, "  {} {}: {} [{}]", t.kind, t.rule, t.result, t.source);
            for c in &t.comparisons {
                let _ = writeln!(o, "      {}: {} vs {} -> {}", c.expr, c.left, c.right, c.result);
            }
        }

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
            if !r.overcome_by.is_empty() {
                let _ = writeln!(
                    o,
                    "      overcome by licence exception {} (see its obligations)",
                    r.overcome_by.join(", ")
                );
            }
        }
        if !self.exceptions.is_empty() {
            let _ = writeln!(o, "\nLicence exceptions");
            for x in &self.exceptions {
                let may = if x.certainty == Certainty::Possible {
                    " (may be available: depends on missing data)"
                } else {
                    ""
                };
                let _ = writeln!(o, "  {} ({}): {}{may} [{}]", x.name, x.id, x.title, x.source);
                for ob in &x.obligations {
                    let _ = writeln!(o, "      obligation: {ob}");
                }
            }
        }
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
            let _ = writeln!(o, "\nTrace (every rule in force on {})", self.as_of);
            for t in &self.trace {
                let _ = writeln!(o, "  {} {}: {}", t.kind, t.rule, t.result);
                for c in &t.comparisons {
                    let _ = writeln!(o, "      {}: {} vs {} -> {}", c.expr, c.left, c.right, c.result);
                }
                for n in &t.notes {
                    let _ = writeln!(o, "      {n}");
                }
            }
        }
        let _ = writeln!(o, "\nScope");
        for s in &self.scope {
            let _ = writeln!(o, "  - {s}");
        }
        o
    }
}
