//! The engine: applies the rules in force on the as-of date to a prepared product and a
//! destination.

use std::collections::BTreeSet;

use super::determination::{
    Certainty, CountryRef, Determination, ExceptionFinding, MetricsReport, PackRef, ProductSummary, RequirementFinding,
    TraceEntry, Verdict,
};
use super::prepared::PreparedProduct;
use super::scope::Ctx;
use crate::date::Date;
use crate::model::{Country, Exporter, Party, Transaction, TransactionKind};
use crate::ruleset::condition::{Comparison, Env, Expr, Truth};
use crate::ruleset::vocabulary::{Attr, Value};
use crate::ruleset::{Items, ReviewPolicy, RuleMeta, RuleSet, is_under};

/// What to evaluate besides the product: destination, country of export, date, parties and
/// what the exporter declares about itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    /// Country of destination.
    pub destination: Country,
    /// Country of export (`US` for an export from the United States).
    pub exported_from: Country,
    /// As-of date (date of export).
    pub date: Date,
    /// Parties (purchaser, consignees, end user). When empty, party rules are not evaluated
    /// and the determination says so.
    pub parties: Vec<Party>,
    /// What the exporter declares about itself (front-end fabricator or OSAT, attestations).
    pub exporter: Exporter,
}

impl Query {
    /// A destination-only query: no parties, an ordinary exporter.
    pub fn new(destination: Country, exported_from: Country, date: Date) -> Self {
        Query { destination, exported_from, date, parties: Vec::new(), exporter: Exporter::default() }
    }

    /// The query of a transaction (everything but the product).
    pub fn of(t: &Transaction) -> Self {
        Query {
            destination: t.destination,
            exported_from: t.exported_from,
            date: t.date,
            parties: t.parties.clone(),
            exporter: t.exporter,
        }
    }

    /// Export, reexport or in-country transfer.
    pub fn kind(&self) -> TransactionKind {
        TransactionKind::of(self.exported_from, self.destination)
    }
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
    /// Destination and country of export are both the United States.
    #[error("destination {0} is the country of export: that is not an export")]
    NotAnExport(Country),
}

/// The parameters of the classification rules evaluated so far, for `meets(...)`.
pub(crate) trait Params {
    /// The parameters of classification rule `i` (false for a rule not in force).
    fn param(&self, i: usize) -> Truth;
}

impl Params for &[Truth] {
    fn param(&self, i: usize) -> Truth {
        self.get(i).copied().unwrap_or(Truth::Unknown)
    }
}

/// The attributes of a prepared product and the exporter's declarations, as conditions read
/// them.
pub(crate) struct ProductEnv<'a, P> {
    pub product: &'a PreparedProduct,
    pub params: P,
    pub exporter: &'a Exporter,
}

impl<P: Params> Env for ProductEnv<'_, P> {
    fn value(&self, attr: Attr) -> Option<Value> {
        match attr {
            Attr::FrontEndFabricatorOrOsat => Some(Value::Bool(self.exporter.front_end_fabricator_or_osat)),
            Attr::ApprovedIcDesignerAttestation => Some(Value::Bool(self.exporter.approved_ic_designer_attestation)),
            Attr::PackagedOutsideD5OrMacau => Some(Value::Bool(self.exporter.packaged_outside_d5_or_macau)),
            _ => self.product.value(attr),
        }
    }
    fn meets(&self, rules: &[usize]) -> Truth {
        rules.iter().fold(Truth::False, |acc, &i| acc.or(self.params.param(i)))
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
                kind: std::borrow::Cow::Borrowed(kind),
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

/// A requirement's review policy and where it comes from.
struct ChosenPolicy {
    policy: Option<ReviewPolicy>,
    source: Option<String>,
    conditions: Vec<String>,
    /// What the sources could not confirm about the rule or entry that set it.
    unverified: Option<(String, String)>,
}

/// The review policy of a requirement: the matching review-policy rules minus those superseded
/// (the strictest if several remain); else the policy of the matched list entries (the
/// strictest); else the requirement's own default.
fn choose_review_policy(
    req: &crate::ruleset::Requirement,
    matching: &[&crate::ruleset::ReviewPolicyRule],
    entries: &[&crate::ruleset::ListEntry],
) -> ChosenPolicy {
    let superseded: Vec<&str> = matching.iter().flat_map(|p| p.supersedes.iter().map(String::as_str)).collect();
    if let Some(p) = matching.iter().filter(|p| !superseded.contains(&p.meta.id.as_str())).max_by_key(|p| p.policy) {
        return ChosenPolicy {
            policy: Some(p.policy),
            source: Some(format!("{} ({})", p.meta.id, p.meta.source)),
            conditions: p.obligations.clone(),
            unverified: p.meta.unverified.clone().map(|u| (p.meta.id.clone(), u)),
        };
    }
    if let Some(e) = entries.iter().filter(|e| e.review_policy.is_some()).max_by_key(|e| e.review_policy) {
        return ChosenPolicy {
            policy: e.review_policy,
            source: Some(format!("{} entry {} ({})", e.list, e.id, e.source)),
            conditions: Vec::new(),
            unverified: e.unverified.clone().map(|u| (e.id.clone(), u)),
        };
    }
    ChosenPolicy {
        policy: req.review_policy,
        source: req.review_policy.map(|_| format!("{} ({})", req.meta.id, req.meta.source)),
        conditions: Vec::new(),
        unverified: None,
    }
}

/// The outcomes a requirement allows, least and most restrictive, given whether it applies
/// (true or unknown) and whether an available exception overcomes it.
pub(crate) fn outcome_range(applies: Truth, overcome: Truth) -> (Verdict, Verdict) {
    match (applies, overcome) {
        (Truth::Unknown, Truth::True) => (Verdict::NoLicenseRequired, Verdict::LicenseException),
        (Truth::Unknown, _) => (Verdict::NoLicenseRequired, Verdict::LicenseRequired),
        (_, Truth::True) => (Verdict::LicenseException, Verdict::LicenseException),
        (_, Truth::Unknown) => (Verdict::LicenseException, Verdict::LicenseRequired),
        (_, Truth::False) => (Verdict::LicenseRequired, Verdict::LicenseRequired),
    }
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
    /// [`EvaluateError`] when the date is before the pack's coverage, or when the destination
    /// and the country of export are both the United States (not an export).
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
        if q.destination == q.exported_from && q.destination == Country::US {
            return Err(EvaluateError::NotAnExport(q.destination));
        }
        let date = q.date;
        let mut tr = Tracer { on: opts.trace, entries: Vec::new() };
        let mut missing_attrs: BTreeSet<Attr> = BTreeSet::new();
        let mut missing_facts: Vec<String> = Vec::new();
        let mut warnings = Vec::new();
        let mut parties_not_given = false;
        let mut status_warnings: Vec<String> = Vec::new();
        let cx = Ctx {
            product_id: &product.product.id,
            destination: q.destination,
            kind: q.kind(),
            date,
            parties: &q.parties,
        };

        // 1. Classification, in dependency order.
        let (params, classified) = self.run_classification(product, &q.exporter, date, &mut tr, &mut missing_attrs);
        let env = ProductEnv { product, params: params.as_slice(), exporter: &q.exporter };

        // A rule's applicability: scope, items and condition, three-valued.
        let mut applicability =
            |meta: &RuleMeta,
             scope: &crate::ruleset::Scope,
             items: Option<&Items>,
             when: &Option<Expr>,
             decides: bool,
             tr: &mut Tracer|
             -> (Truth, Vec<String>, Vec<&crate::ruleset::ListEntry>, Option<Vec<Comparison>>) {
                let sr = self.eval_scope(scope, &cx);
                parties_not_given |= sr.parties_not_given;
                let mut t = sr.truth;
                if t != Truth::False
                    && let Some(items) = items
                {
                    t = t.and(items_truth(items, self, &classified));
                }
                let mut cmps = tr.cmp();
                if t != Truth::False {
                    let w = eval_opt(when, &env, &mut cmps);
                    if w == Truth::Unknown {
                        let mut attrs = Vec::new();
                        when.as_ref().inspect(|e| e.unknown_attrs(&env, &mut attrs));
                        missing_attrs.extend(attrs);
                    }
                    t = t.and(w);
                }
                if t == Truth::Unknown {
                    missing_facts.extend(sr.missing);
                }
                if t != Truth::False
                    && let Some(until) = meta.confirmed_until
                    && date > until
                {
                    // Fail closed: a requirement or exception whose status is unconfirmed may or
                    // may not be in force; if that changes the outcome, the verdict is
                    // indeterminate, otherwise this warning says so.
                    status_warnings.push(format!(
                        "{} matches this transaction, but its status after {until} is not confirmed by the sources ({})",
                        meta.id, meta.source
                    ));
                    if decides {
                        t = Truth::Unknown;
                        missing_facts.push(format!("status of {} after {until}", meta.id));
                    }
                }
                (t, sr.notes, sr.entries, cmps)
            };

        // 2. Licence requirements.
        struct Applied<'r> {
            applies: Truth,
            basis: Vec<String>,
            entries: Vec<&'r crate::ruleset::ListEntry>,
            req: &'r crate::ruleset::Requirement,
        }
        let mut applied: Vec<Applied> = Vec::new();
        for r in &self.requirements {
            if !r.meta.period.contains(date) {
                continue;
            }
            let (applies, basis, entries, cmps) =
                applicability(&r.meta, &r.scope, Some(&r.items), &r.when, true, &mut tr);
            tr.push(&r.meta, "license_requirement", applies, cmps, basis.clone());
            if applies != Truth::False {
                applied.push(Applied { applies, basis, entries, req: r });
            }
        }

        // 3. Licence exceptions.
        let mut exceptions = Vec::new();
        let mut eligible: Vec<(usize, &crate::ruleset::LicenseException, Truth)> = Vec::new();
        for (xi, x) in self.exceptions.iter().enumerate() {
            if !x.meta.period.contains(date) {
                continue;
            }
            let (mut t, mut notes, _, cmps) = applicability(&x.meta, &x.scope, Some(&x.items), &x.when, true, &mut tr);
            if t != Truth::False {
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
                eligible.push((xi, x, t));
            }
        }

        // 4. Review policies, per requirement that applies.
        let mut policies = Vec::new();
        for a in &applied {
            let mut matching = Vec::new();
            for p in &self.review_policies {
                if !p.meta.period.contains(date) || !p.applies_to.iter().any(|id| id == &a.req.meta.id) {
                    continue;
                }
                let (t, notes, _, cmps) = applicability(&p.meta, &p.scope, None, &p.when, false, &mut tr);
                tr.push(&p.meta, "review_policy", t, cmps, notes);
                if t == Truth::True {
                    matching.push(p);
                }
            }
            policies.push(matching);
        }

        // Notices: what must be seen though it is not a licence requirement.
        let mut notices = Vec::new();
        for n in &self.notices {
            if !n.meta.period.contains(date) {
                continue;
            }
            let (t, notes, _, cmps) = applicability(&n.meta, &n.scope, None, &n.when, false, &mut tr);
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

        // Names close to a list entry without matching it exactly: screen them by hand.
        for p in &q.parties {
            let Some(name) = &p.name else { continue };
            let exact = self
                .lists
                .iter()
                .any(|e| e.period.contains(date) && e.keys.contains(&crate::ruleset::normalize_name(name)));
            if exact || !p.list_entries.is_empty() {
                continue;
            }
            for e in self.possible_matches(name, date) {
                warnings.push(format!(
                    "{} resembles {} entry {} \"{}\" ({}) without matching it exactly: screen the party and, if it is the listed entity, give its entry id in list_entries",
                    p.label(),
                    e.list,
                    e.id,
                    e.name,
                    e.source
                ));
            }
        }

        // 5. Outcome per requirement, as a range over the missing inputs.
        let mut lo = Verdict::NoLicenseRequired;
        let mut hi = Verdict::NoLicenseRequired;
        let mut requirements = Vec::new();
        let mut used_exceptions: BTreeSet<usize> = BTreeSet::new();
        for (a, matching) in applied.iter().zip(&policies) {
            let mut overcome = Truth::False;
            let mut by = Vec::new();
            for &(xi, x, t) in &eligible {
                if x.overcomes.iter().any(|o| o == &a.req.meta.id) {
                    overcome = overcome.or(t);
                    by.push(x.name.clone());
                    used_exceptions.insert(xi);
                }
            }
            let (min, max) = outcome_range(a.applies, overcome);
            lo = lo.max(min);
            hi = hi.max(max);
            let policy = choose_review_policy(a.req, matching, &a.entries);
            if let Some((id, u)) = &policy.unverified {
                warnings.push(format!("The review policy of {} comes from {id}, which rests on facts not confirmed from a primary source: {u}", a.req.meta.id));
            }
            for e in a.entries.iter().filter(|e| e.unverified.is_some()) {
                warnings.push(format!(
                    "{} entry {} is not confirmed from a primary source: {}",
                    e.list,
                    e.id,
                    e.unverified.as_deref().unwrap_or("")
                ));
            }
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
                review_policy: policy.policy,
                review_policy_source: policy.source,
                review_conditions: policy.conditions,
                overcome_by: by,
            });
        }
        for &(xi, x, t) in &eligible {
            if !used_exceptions.contains(&xi) {
                continue;
            }
            let overcomes =
                x.overcomes.iter().filter(|o| applied.iter().any(|a| &a.req.meta.id == *o)).cloned().collect();
            if let Some(u) = &x.meta.unverified {
                warnings.push(format!(
                    "{} ({}) rests on facts not confirmed from a primary source: {u}",
                    x.name, x.meta.id
                ));
            }
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
        for w in status_warnings {
            if !warnings.contains(&w) {
                warnings.push(w);
            }
        }

        // 5. Classification summary and missing inputs.
        let Summary { eccns, paragraphs, undetermined, mut missing, warnings: class_warnings } =
            self.summarize(product, &classified, &missing_attrs);
        for f in missing_facts {
            if !missing.contains(&f) {
                missing.push(f);
            }
        }
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
                rounding: std::borrow::Cow::Borrowed(
                    "densities are shown rounded to 4 decimal places; every threshold comparison uses exact values",
                ),
            },
            requirements,
            exceptions,
            missing,
            warnings,
            notices,
            trace: tr.entries,
            inputs: crate::audit::Inputs {
                product: product.product.clone(),
                parties: q.parties.clone(),
                exporter: q.exporter,
            },
            rules: PackRef {
                name: self.pack.name.clone(),
                version: self.pack.version.clone(),
                sha256: self.pack.sha256.clone(),
            },
            scope: self.scope_lines(parties_not_given),
        })
    }

    /// Evaluates every classification rule in force on `date`: the parameters (`when` and no
    /// exclusion) and the classification (parameters and kind), per rule.
    fn run_classification(
        &self,
        product: &PreparedProduct,
        exporter: &Exporter,
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
            let env = ProductEnv { product, params: params.as_slice(), exporter };
            let mut cmps = tr.cmp();
            let when = c.when.eval(&env, cmps.as_mut());
            let mut excluded = Truth::False;
            let mut notes = Vec::new();
            for &x in &c.exclusions {
                let Some(ex) = self.exclusions.get(x) else { continue };
                if !ex.meta.period.contains(date) {
                    continue;
                }
                let t = match exclusion_truth.get(x).copied().flatten() {
                    Some(t) => t,
                    None => {
                        let mut xc = tr.cmp();
                        let t = ex.when.eval(&env, xc.as_mut());
                        tr.push(&ex.meta, "exclusion", t, xc, vec![format!("applies to {}", ex.applies_to.join(", "))]);
                        if let Some(slot) = exclusion_truth.get_mut(x) {
                            *slot = Some(t);
                        }
                        t
                    }
                };
                if t != Truth::False {
                    notes.push(format!("{} takes it out: {t}", ex.meta.id));
                }
                excluded = excluded.or(t);
            }
            let p_i = when.and(excluded.not());
            if let Some(slot) = params.get_mut(i) {
                *slot = p_i;
            }
            let kind_ok = c.kinds.contains(&product.product.kind);
            if !kind_ok {
                notes.push(format!(
                    "classifies {} only; this product is {}",
                    kinds_text(&c.kinds),
                    product.product.kind.as_str()
                ));
            }
            let c_i = p_i.and(Truth::from_bool(kind_ok));
            if let Some(slot) = classified.get_mut(i) {
                *slot = c_i;
            }
            tr.push(&c.meta, "classification", c_i, cmps, notes);
        }

        // A paragraph left undecided only matters when its ECCN is not already certain (an
        // H100-class part without a die area is 3A090.a by a.1 whatever a.2 says).
        let env = ProductEnv { product, params: params.as_slice(), exporter };
        for (c, t) in self.classifications.iter().zip(&classified) {
            if *t == Truth::Unknown && !self.eccn_certain(&c.eccn, &classified) {
                let mut attrs = Vec::new();
                c.when.unknown_attrs(&env, &mut attrs);
                for ex in c.exclusions.iter().filter_map(|&x| self.exclusions.get(x)) {
                    ex.when.unknown_attrs(&env, &mut attrs);
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
        let (_, classified) = self.run_classification(product, &Exporter::default(), date, &mut tr, &mut missing_attrs);
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

    fn scope_lines(&self, parties_not_given: bool) -> Vec<String> {
        let mut v =
            vec![format!("This determination covers only the rules in pack {} {}.", self.pack.name, self.pack.version)];
        if parties_not_given {
            v.push("No parties were given: rules about buyers and end users (headquarters in D:5 or Macau, the Entity List, affiliates, end uses) were not evaluated. Give the parties to have them checked.".into());
        }
        v.extend(self.pack.scope_notes.iter().cloned());
        v
    }
}

fn kinds_text(kinds: &[crate::model::ProductKind]) -> String {
    kinds.iter().map(|k| k.as_str()).collect::<Vec<_>>().join(", ")
}
