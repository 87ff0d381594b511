//! The engine: applies the rules in force on the as-of date to a prepared product and a
//! destination.

use std::collections::BTreeSet;

use super::determination::{
    Certainty, CountryRef, Determination, ExceptionFinding, MetricsReport, PackRef, ProductSummary, RequirementFinding,
    TraceEntry, Verdict,
};
use super::prepared::PreparedProduct;
use crate::date::Date;
use crate::model::Country;
use crate::ruleset::condition::{Comparison, Env, Expr, Truth};
use crate::ruleset::groups::CountryGroups;
use crate::ruleset::vocabulary::{Attr, Value};
use crate::ruleset::{Destinations, Items, RuleMeta, RuleSet, is_under};

/// What to evaluate besides the product.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Query {
    /// Country of destination.
    pub destination: Country,
    /// Country of export (`US` for an export from the United States).
    pub exported_from: Country,
    /// As-of date (date of export).
    pub date: Date,
}

/// The classification of a product on a date.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ClassificationResult {
    /// The as-of date.
    pub as_of: Date,
    /// ECCNs matched, e.g. `["3A090.a"]`.
    pub eccns: Vec<String>,
    /// Paragraphs matched.
    pub paragraphs: Vec<String>,
    /// Paragraphs that may match, depending on missing inputs.
    pub undetermined_paragraphs: Vec<String>,
    /// Absent inputs the classification depends on.
    pub missing: Vec<String>,
    /// Rules tried (empty when tracing is off).
    pub trace: Vec<TraceEntry>,
}

#[derive(Default)]
struct Summary {
    eccns: Vec<String>,
    paragraphs: Vec<String>,
    undetermined: Vec<String>,
    missing: Vec<String>,
    warnings: Vec<String>,
}

/// Evaluation options.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Options {
    /// Record every rule tried with its comparisons.
    pub trace: bool,
}

/// Why a query cannot be evaluated.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EvaluateError {
    /// The date is earlier than the pack covers.
    #[error("{date} is before {coverage_from}, the earliest date the rule pack `{pack}` covers")]
    BeforeCoverage {
        /// The as-of date.
        date: Date,
        /// The pack's first covered date.
        coverage_from: Date,
        /// Pack name.
        pack: String,
    },
    /// Destination and country of export are the same.
    #[error(
        "destination {0} is the country of export: that is not an export or reexport (in-country transfers are not modelled yet)"
    )]
    NotAnExport(Country),
}

struct ProductEnv<'a> {
    product: &'a PreparedProduct,
    params: &'a [Truth],
}

impl Env for ProductEnv<'_> {
    fn value(&self, attr: Attr) -> Option<Value> {
        self.product.value(attr)
    }
    fn meets(&self, rules: &[usize]) -> Truth {
        rules.iter().fold(Truth::False, |acc, &i| acc.or(self.params.get(i).copied().unwrap_or(Truth::Unknown)))
    }
}

/// Collects trace entries when tracing is on.
struct Tracer {
    on: bool,
    entries: Vec<TraceEntry>,
}

impl Tracer {
    fn cmp(&mut self) -> Option<Vec<Comparison>> {
        self.on.then(Vec::new)
    }

    fn push(
        &mut self,
        meta: &RuleMeta,
        kind: &'static str,
        result: Truth,
        cmps: Option<Vec<Comparison>>,
        notes: Vec<String>,
    ) {
        if self.on {
            self.entries.push(TraceEntry {
                rule: meta.id.clone(),
                kind,
                result,
                comparisons: cmps.unwrap_or_default(),
                notes,
                source: meta.source.clone(),
            });
        }
    }
}

fn eval_opt(expr: &Option<Expr>, env: &dyn Env, cmps: &mut Option<Vec<Comparison>>) -> Truth {
    expr.as_ref().map_or(Truth::True, |e| e.eval(env, cmps.as_mut()))
}

/// Whether `dest` is within `d` on `date`, with the reasons (group memberships, equivalences).
fn destination_matches(d: &Destinations, groups: &CountryGroups, dest: Country, date: Date) -> (bool, Vec<String>) {
    let mut included = false;
    let mut excluded = false;
    let mut why = Vec::new();
    for (c, via) in groups.equivalents(dest, date) {
        if let Some(t) = via {
            why.push(format!("{} is treated as {} ({})", t.country, t.as_country, t.source));
        }
        if d.countries.contains(&c) {
            included = true;
            why.push(format!("{c} is named in the rule"));
        }
        for g in &d.groups {
            if groups.contains(g, c, date) {
                included = true;
                why.push(format!("{c} is in Country Group {g}"));
            }
        }
        if d.except_countries.contains(&c) {
            excluded = true;
            why.push(format!("{c} is excepted by name"));
        }
        for g in &d.except_groups {
            if groups.contains(g, c, date) {
                excluded = true;
                why.push(format!("{c} is in Country Group {g}, which is excepted"));
            }
        }
    }
    if !included {
        why.push(format!("{dest} is not among the destinations"));
    }
    (included && !excluded, why)
}

/// Truth of "the product is one of `items`", from the classification results.
fn items_truth(items: &Items, rules: &RuleSet, classified: &[Truth]) -> Truth {
    match items {
        Items::All => Truth::True,
        Items::List(list) => rules.classifications.iter().zip(classified).fold(Truth::False, |acc, (c, t)| {
            if list.iter().any(|i| is_under(i, &c.meta.id) || is_under(i, &c.eccn)) { acc.or(*t) } else { acc }
        }),
    }
}

impl RuleSet {
    /// Evaluates one product for one destination and date.
    ///
    /// The verdict is the strictest outcome not overcome (no licence < licence exception <
    /// licence required). When missing inputs leave more than one outcome possible, the verdict
    /// is `indeterminate` and `missing` names them; when every possible value gives the same
    /// outcome, the verdict stands and a warning says the classification is undetermined.
    ///
    /// # Errors
    /// [`EvaluateError`] when the date is before the pack's coverage or the destination is
    /// the country of export.
    pub fn evaluate(
        &self,
        product: &PreparedProduct,
        q: &Query,
        opts: Options,
    ) -> Result<Determination, EvaluateError> {
        if !self.covers(q.date) {
            return Err(EvaluateError::BeforeCoverage {
                date: q.date,
                coverage_from: self.pack.coverage_from,
                pack: self.pack.name.clone(),
            });
        }
        if q.destination == q.exported_from {
            return Err(EvaluateError::NotAnExport(q.destination));
        }
        let date = q.date;
        let mut tr = Tracer { on: opts.trace, entries: Vec::new() };
        let mut missing_attrs: BTreeSet<Attr> = BTreeSet::new();
        let mut warnings = Vec::new();

        // 1. Classification, in dependency order.
        let (params, classified) = self.run_classification(product, date, &mut tr, &mut missing_attrs);

        // 2. Licence requirements.
        struct Applied<'r> {
            idx: usize,
            applies: Truth,
            basis: Vec<String>,
            req: &'r crate::ruleset::Requirement,
        }
        let env = ProductEnv { product, params: &params };
        let mut applied: Vec<Applied> = Vec::new();
        for (idx, r) in self.requirements.iter().enumerate() {
            if !r.meta.period.contains(date) {
                continue;
            }
            let (dest_ok, basis) = destination_matches(&r.destinations, &self.groups, q.destination, date);
            let mut cmps = tr.cmp();
            let mut applies = Truth::from_bool(dest_ok);
            if dest_ok {
                applies = applies.and(items_truth(&r.items, self, &classified));
            }
            if applies != Truth::False {
                let w = eval_opt(&r.when, &env, &mut cmps);
                if w == Truth::Unknown {
                    let mut attrs = Vec::new();
                    r.when.as_ref().inspect(|e| e.unknown_attrs(&env, &mut attrs));
                    missing_attrs.extend(attrs);
                }
                applies = applies.and(w);
            }
            tr.push(&r.meta, "license_requirement", applies, cmps, basis.clone());
            if applies != Truth::False {
                applied.push(Applied { idx, applies, basis, req: r });
            }
        }

        // 3. Licence exceptions.
        let mut exceptions = Vec::new();
        let mut eligible: Vec<(usize, Truth)> = Vec::new();
        for (xi, x) in self.exceptions.iter().enumerate() {
            if !x.meta.period.contains(date) {
                continue;
            }
            let (dest_ok, mut notes) = destination_matches(&x.destinations, &self.groups, q.destination, date);
            let mut cmps = tr.cmp();
            let mut t = Truth::from_bool(dest_ok);
            if dest_ok {
                t = t.and(items_truth(&x.items, self, &classified));
            }
            if t != Truth::False {
                let w = eval_opt(&x.when, &env, &mut cmps);
                if w == Truth::Unknown {
                    let mut attrs = Vec::new();
                    x.when.as_ref().inspect(|e| e.unknown_attrs(&env, &mut attrs));
                    missing_attrs.extend(attrs);
                }
                t = t.and(w);
                let blocked = applied
                    .iter()
                    .filter(|a| x.unavailable_with.iter().any(|p| is_under(p, &a.req.meta.id)))
                    .fold(Truth::False, |acc, a| {
                        notes.push(format!("not available where {} applies", a.req.meta.id));
                        acc.or(a.applies)
                    });
                t = t.and(blocked.not());
            }
            tr.push(&x.meta, "license_exception", t, cmps, notes);
            if t != Truth::False {
                eligible.push((xi, t));
            }
        }

        // 4. Outcome per requirement, as a range over the missing inputs.
        let mut lo = Verdict::NoLicenseRequired;
        let mut hi = Verdict::NoLicenseRequired;
        let mut requirements = Vec::new();
        let mut used_exceptions: BTreeSet<usize> = BTreeSet::new();
        for a in &applied {
            let mut overcome = Truth::False;
            let mut by = Vec::new();
            for &(xi, t) in &eligible {
                let x = &self.exceptions[xi];
                if x.overcomes.iter().any(|o| o == &a.req.meta.id) {
                    overcome = overcome.or(t);
                    by.push(x.name.clone());
                    used_exceptions.insert(xi);
                }
            }
            let (min, max) = match (a.applies, overcome) {
                (Truth::Unknown, Truth::True) => (Verdict::NoLicenseRequired, Verdict::LicenseException),
                (Truth::Unknown, _) => (Verdict::NoLicenseRequired, Verdict::LicenseRequired),
                (_, Truth::True) => (Verdict::LicenseException, Verdict::LicenseException),
                (_, Truth::Unknown) => (Verdict::LicenseException, Verdict::LicenseRequired),
                (_, Truth::False) => (Verdict::LicenseRequired, Verdict::LicenseRequired),
            };
            lo = lo.max(min);
            hi = hi.max(max);
            let (policy, policy_source) = self.review_policy(a.idx, &env, q.destination, date, &mut tr);
            if a.applies == Truth::True
                && let Some(u) = &a.req.meta.unverified
            {
                warnings.push(format!("{} rests on facts not confirmed from a primary source: {u}", a.req.meta.id));
            }
            requirements.push(RequirementFinding {
                id: a.req.meta.id.clone(),
                title: a.req.meta.title.clone(),
                reason: a.req.reason.clone(),
                source: a.req.meta.source.clone(),
                certainty: if a.applies == Truth::True { Certainty::Certain } else { Certainty::Possible },
                destination_basis: a.basis.clone(),
                review_policy: policy,
                review_policy_source: policy_source,
                overcome_by: by,
            });
        }
        for &(xi, t) in &eligible {
            if !used_exceptions.contains(&xi) {
                continue;
            }
            let x = &self.exceptions[xi];
            let overcomes =
                x.overcomes.iter().filter(|o| applied.iter().any(|a| &a.req.meta.id == *o)).cloned().collect();
            exceptions.push(ExceptionFinding {
                id: x.meta.id.clone(),
                name: x.name.clone(),
                title: x.meta.title.clone(),
                source: x.meta.source.clone(),
                certainty: if t == Truth::True { Certainty::Certain } else { Certainty::Possible },
                overcomes,
                obligations: x.obligations.clone(),
            });
        }

        let verdict = if lo == hi { lo } else { Verdict::Indeterminate };

        // Notices: what must be seen though it is not a licence requirement.
        let mut notices = Vec::new();
        for n in &self.notices {
            if !n.meta.period.contains(date) {
                continue;
            }
            let (dest_ok, notes) = match &n.destinations {
                Some(d) => destination_matches(d, &self.groups, q.destination, date),
                None => (true, Vec::new()),
            };
            let mut cmps = tr.cmp();
            let t = if dest_ok { eval_opt(&n.when, &env, &mut cmps) } else { Truth::False };
            tr.push(&n.meta, "notice", t, cmps, notes);
            if t != Truth::False {
                notices.push(n.meta.id.clone());
            }
            match t {
                Truth::True => warnings.push(format!("{} [{}; {}]", n.meta.title, n.meta.id, n.meta.source)),
                Truth::Unknown => warnings.push(format!(
                    "May apply (depends on missing data): {} [{}; {}]",
                    n.meta.title, n.meta.id, n.meta.source
                )),
                Truth::False => {}
            }
        }

        // 5. Classification summary and missing inputs.
        let Summary { eccns, paragraphs, undetermined, missing, warnings: class_warnings } =
            self.summarize(product, &classified, &missing_attrs);
        warnings.extend(class_warnings);
        if !undetermined.is_empty() && verdict != Verdict::Indeterminate {
            warnings.push(format!(
                "The classification is undetermined ({} may apply; missing: {}). The verdict is the same whatever the missing figures are, but the ECCN must be settled before export filings.",
                undetermined.join(", "),
                missing.join(", ")
            ));
        }

        let m = &product.metrics;
        let show = |d: Option<rust_decimal::Decimal>| d.map(|d| d.normalize().to_string());
        let mem = product.product.memory.as_ref();
        Ok(Determination {
            verdict,
            as_of: date,
            product: ProductSummary {
                id: product.product.id.clone(),
                name: product.product.name.clone(),
                vendor: product.product.vendor.clone(),
                kind: product.product.kind,
                designed_or_marketed_for_datacenter: product.product.designed_or_marketed_for_datacenter,
            },
            destination: CountryRef::from(q.destination),
            exported_from: CountryRef::from(q.exported_from),
            eccns,
            paragraphs,
            undetermined_paragraphs: undetermined,
            metrics: MetricsReport {
                tpp: show(m.tpp),
                tpp_terms: m.tpp_terms.clone(),
                applicable_die_area: show(m.applicable_die_area),
                performance_density: m.performance_density.map(|r| r.rounded(4).to_string()),
                interconnect_bandwidth: show(product.product.interconnect_bandwidth_gbps),
                memory_bandwidth: show(mem.and_then(|m| m.bandwidth_gbps)),
                memory_bandwidth_density: m.memory_bandwidth_density.map(|r| r.rounded(4).to_string()),
                rounding: "densities are shown rounded to 4 decimal places; every threshold comparison uses exact values",
            },
            requirements,
            exceptions,
            missing,
            warnings,
            notices,
            trace: tr.entries,
            rules: PackRef {
                name: self.pack.name.clone(),
                version: self.pack.version.clone(),
                sha256: self.pack.sha256.clone(),
            },
            scope: self.scope_lines(),
        })
    }

    /// Evaluates every classification rule in force on `date`: the parameters (`when` and no
    /// exclusion) and the classification (parameters and kind), per rule.
    fn run_classification(
        &self,
        product: &PreparedProduct,
        date: Date,
        tr: &mut Tracer,
        missing_attrs: &mut BTreeSet<Attr>,
    ) -> (Vec<Truth>, Vec<Truth>) {
        let n = self.classifications.len();
        let mut params = vec![Truth::False; n];
        let mut classified = vec![Truth::False; n];
        let mut exclusion_truth: Vec<Option<Truth>> = vec![None; self.exclusions.len()];
        for (i, c) in self.classifications.iter().enumerate() {
            if !c.meta.period.contains(date) {
                continue;
            }
            let env = ProductEnv { product, params: &params };
            let mut cmps = tr.cmp();
            let when = c.when.eval(&env, cmps.as_mut());
            let mut excluded = Truth::False;
            let mut notes = Vec::new();
            for &x in &c.exclusions {
                let ex = &self.exclusions[x];
                if !ex.meta.period.contains(date) {
                    continue;
                }
                let t = match exclusion_truth[x] {
                    Some(t) => t,
                    None => {
                        let mut xc = tr.cmp();
                        let t = ex.when.eval(&env, xc.as_mut());
                        tr.push(&ex.meta, "exclusion", t, xc, vec![format!("applies to {}", ex.applies_to.join(", "))]);
                        exclusion_truth[x] = Some(t);
                        t
                    }
                };
                if t != Truth::False {
                    notes.push(format!("{} takes it out: {t}", ex.meta.id));
                }
                excluded = excluded.or(t);
            }
            params[i] = when.and(excluded.not());
            let kind_ok = c.kinds.contains(&product.product.kind);
            if !kind_ok {
                notes.push(format!(
                    "classifies {} only; this product is {}",
                    kinds_text(&c.kinds),
                    product.product.kind.as_str()
                ));
            }
            classified[i] = params[i].and(Truth::from_bool(kind_ok));
            tr.push(&c.meta, "classification", classified[i], cmps, notes);
        }

        // A paragraph left undecided only matters when its ECCN is not already certain (an
        // H100-class part without a die area is 3A090.a by a.1 whatever a.2 says).
        let env = ProductEnv { product, params: &params };
        for (i, c) in self.classifications.iter().enumerate() {
            if classified[i] == Truth::Unknown && !self.eccn_certain(&c.eccn, &classified) {
                let mut attrs = Vec::new();
                c.when.unknown_attrs(&env, &mut attrs);
                for &x in &c.exclusions {
                    self.exclusions[x].when.unknown_attrs(&env, &mut attrs);
                }
                missing_attrs.extend(attrs);
            }
        }

        (params, classified)
    }

    /// Classifies a product as of `date`: ECCNs and paragraphs matched, those that depend on
    /// missing inputs, and the missing inputs. Destination-independent.
    ///
    /// # Errors
    /// [`EvaluateError::BeforeCoverage`] when the date is before the pack's coverage.
    pub fn classify(
        &self,
        product: &PreparedProduct,
        date: Date,
        opts: Options,
    ) -> Result<ClassificationResult, EvaluateError> {
        if !self.covers(date) {
            return Err(EvaluateError::BeforeCoverage {
                date,
                coverage_from: self.pack.coverage_from,
                pack: self.pack.name.clone(),
            });
        }
        let mut tr = Tracer { on: opts.trace, entries: Vec::new() };
        let mut missing_attrs = BTreeSet::new();
        let (_, classified) = self.run_classification(product, date, &mut tr, &mut missing_attrs);
        let s = self.summarize(product, &classified, &missing_attrs);
        Ok(ClassificationResult {
            as_of: date,
            eccns: s.eccns,
            paragraphs: s.paragraphs,
            undetermined_paragraphs: s.undetermined,
            missing: s.missing,
            trace: tr.entries,
        })
    }

    /// Whether some paragraph of `eccn` certainly classifies the product.
    fn eccn_certain(&self, eccn: &str, classified: &[Truth]) -> bool {
        self.classifications.iter().zip(classified).any(|(c, t)| *t == Truth::True && c.eccn == eccn)
    }

    fn summarize(&self, product: &PreparedProduct, classified: &[Truth], missing_attrs: &BTreeSet<Attr>) -> Summary {
        let mut s = Summary::default();
        for (c, t) in self.classifications.iter().zip(classified) {
            match t {
                Truth::True => {
                    s.paragraphs.push(c.meta.id.clone());
                    if !s.eccns.contains(&c.eccn) {
                        s.eccns.push(c.eccn.clone());
                    }
                    if let Some(u) = &c.meta.unverified {
                        s.warnings
                            .push(format!("{} rests on facts not confirmed from a primary source: {u}", c.meta.id));
                    }
                }
                Truth::Unknown if !self.eccn_certain(&c.eccn, classified) => s.undetermined.push(c.meta.id.clone()),
                Truth::Unknown => {}
                Truth::False => {}
            }
        }
        s.eccns.sort();
        s.paragraphs.sort();
        for a in missing_attrs {
            for m in product.missing_inputs(*a) {
                if !s.missing.iter().any(|x| x == m) {
                    s.missing.push(m.to_string());
                }
            }
        }
        s
    }

    fn scope_lines(&self) -> Vec<String> {
        let mut v = vec![format!(
            "This determination covers only the rules in pack {} {} (licence requirements by destination and product); parties, end uses and lists are not evaluated.",
            self.pack.name, self.pack.version
        )];
        v.extend(self.pack.scope_notes.iter().cloned());
        v
    }

    /// The review policy for requirement `idx`: the matching review-policy rules minus those
    /// superseded, the strictest if several remain; else the requirement's own default.
    fn review_policy(
        &self,
        idx: usize,
        env: &dyn Env,
        dest: Country,
        date: Date,
        tr: &mut Tracer,
    ) -> (Option<crate::ruleset::ReviewPolicy>, Option<String>) {
        let req = &self.requirements[idx];
        let mut matching = Vec::new();
        for p in &self.review_policies {
            if !p.meta.period.contains(date) || !p.applies_to.iter().any(|a| a == &req.meta.id) {
                continue;
            }
            let (dest_ok, notes) = match &p.destinations {
                Some(d) => destination_matches(d, &self.groups, dest, date),
                None => (true, Vec::new()),
            };
            let mut cmps = tr.cmp();
            let t =
                Truth::from_bool(dest_ok).and(if dest_ok { eval_opt(&p.when, env, &mut cmps) } else { Truth::False });
            tr.push(&p.meta, "review_policy", t, cmps, notes);
            if t == Truth::True {
                matching.push(p);
            }
        }
        let superseded: Vec<&str> = matching.iter().flat_map(|p| p.supersedes.iter().map(String::as_str)).collect();
        matching
            .iter()
            .filter(|p| !superseded.contains(&p.meta.id.as_str()))
            .max_by_key(|p| p.policy)
            .map(|p| (Some(p.policy), Some(format!("{} ({})", p.meta.id, p.meta.source))))
            .unwrap_or((req.review_policy, req.review_policy.map(|_| format!("{} ({})", req.meta.id, req.meta.source))))
    }
}

fn kinds_text(kinds: &[crate::model::ProductKind]) -> String {
    kinds.iter().map(|k| k.as_str()).collect::<Vec<_>>().join(", ")
}
