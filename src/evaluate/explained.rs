//! The explained determination: the evaluation core run with a recording sink ([`Explained`],
//! cheap: rule indexes, truths and unformatted comparisons and reasons), then, when it is shown
//! or serialised, the determination assembled from what it recorded (review policies, notices,
//! warnings, the classification summary, the metrics and the inputs).

mod trace_json;
mod written;

pub use trace_json::{TraceText, json_string_needs_escape};

use std::collections::BTreeSet;

use super::core::{self, Decision, Facts, PreparedParties, ProductEnv, Scratch, Stamped, get};
use super::determination::{
    Certainty, ContainedFinding, CountryRef, DestinationExceptions, Determination, ExceptionFinding, PackRef,
    ProductSummary, RequirementFinding, ScopeKind, ScopeLine, TraceEntry, Verdict,
};
use super::error::EvaluateError;
use super::prepared::PreparedProduct;
use super::query::{Options, Query};
use super::record::Recorder;
use crate::date::Date;
use crate::model::{Country, Exporter, Party};
use crate::ruleset::condition::Truth;
use crate::ruleset::vocabulary::Attr;
use crate::ruleset::{LicenseException, ReviewPolicyRule, RuleSet};

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

/// One destination the transaction was decided for: its facts and what the core found.
struct Leg<'r> {
    f: Facts<'r>,
    /// What the core found for it; `None` for the last destination decided, whose findings
    /// are the run's scratch itself (see [`leg_scratch`]).
    s: Option<Scratch>,
    /// For a destination other than the one given: the party located there, which makes it a
    /// destination.
    placed: Option<(Country, &'r Party)>,
}

/// What the core decided, as the explained determination reads it.
struct Run<'r, 'a> {
    f: Facts<'r>,
    /// The classification (and the destination given).
    s: Scratch,
    /// Each destination decided, the one given first.
    legs: Vec<Leg<'r>>,
    params: Vec<(u32, Truth)>,
    /// The stamp the classification's parameters were written with.
    stamp: u32,
    rec: Recorder<'r>,
    decision: Decision,
    product: &'a PreparedProduct,
}

impl Run<'_, '_> {
    fn params(&self) -> Stamped<'_> {
        Stamped(&self.params, self.stamp)
    }
}

/// What the core found for a destination: its own copy, or for the last destination decided the
/// run's scratch (`main`), which the core left as it was after deciding it.
fn leg_scratch<'a>(leg: &'a Leg<'_>, main: &'a Scratch) -> &'a Scratch {
    leg.s.as_ref().unwrap_or(main)
}

/// An explained determination as the evaluation core recorded it, before any text is written:
/// the decision of every rule in force (classification, licence requirements and exceptions
/// for each destination, review policies, notices) by rule index, with the comparisons made and
/// the reasons given kept unformatted (which part of which condition, which country group,
/// which party), borrowing the pack, the product and the query.
///
/// Made by [`RuleSet::explain`]. Reading the verdict ([`Explained::decision`]) costs nothing
/// more; [`Explained::to_determination`] writes the [`Determination`] that
/// [`RuleSet::evaluate`] returns, and serialising it ([`serde::Serialize`]) writes exactly the
/// JSON of that determination (so a recorded determination replays as before). The text is
/// written then, not when the determination is made.
pub struct Explained<'r> {
    rules: &'r RuleSet,
    q: &'r Query,
    run: Run<'r, 'r>,
    /// Per destination, per requirement found: the review-policy rules that govern it.
    policies: Vec<Vec<Vec<(&'r ReviewPolicyRule, Truth)>>>,
    /// The notices that apply or may apply (by index), with their truth.
    notice_truths: Vec<(usize, Truth)>,
    /// Whether the determination compares the two readings of separately packaged ICs (as
    /// [`RuleSet::evaluate`] does).
    compare_readings: bool,
}

impl Explained<'_> {
    /// The outcome: the verdict and the range of outcomes the missing inputs leave open.
    pub fn decision(&self) -> Decision {
        self.run.decision
    }

    /// The verdict, as [`Determination::verdict`].
    pub fn verdict(&self) -> Verdict {
        self.run.decision.verdict
    }

    /// The determination written out, as [`RuleSet::evaluate`] returns it: every finding,
    /// warning, missing input and (when asked for) the trace in words, the product's figures
    /// and the inputs. Writing it costs far more than recording it (every string is made here).
    pub fn to_determination(&self) -> Determination {
        let mut d = self.rules.assemble(self);
        if let Some(w) = self.readings_warning(|| Outcome::of(&d)) {
            d.warnings.push(w);
        }
        d
    }

    /// The trace's JSON, appended to `out`: byte for byte the value of the `trace` field in
    /// `serde_json::to_string_pretty` of [`Explained::to_determination`] (the field at the top
    /// level of the determination, so its entries are indented four spaces; `[]` when the trace
    /// is off or empty), as serialising this explained form writes it. Written straight, without
    /// a `serde::Serializer`, each rule's id, kind and citation copied from `text` when it was
    /// made of this determination's rule set ([`TraceText::of`]; otherwise, or with `None`,
    /// written from the rules: the same bytes).
    pub fn write_trace_json(&self, out: &mut Vec<u8>, text: Option<&TraceText>) {
        let run = &self.run;
        let w = run.rec.trace_writer(&run.f, run.params(), &run.s.unit_params);
        trace_json::write(out, &w, self.rules, text);
    }

    /// The determination as [`Explained::to_determination`] writes it, for serialising only:
    /// its lists written out, its product, inputs and pack borrowed, its trace written entry
    /// by entry as it is serialised. Serialises byte for byte as that determination.
    fn written(&self) -> written::Written<'_, '_> {
        let rules = self.rules;
        let (summary, mut lists) = rules.parts(self);
        let outcome =
            || Outcome::of_parts(self.run.decision.verdict, &summary.eccns, &lists.requirements, &lists.exceptions);
        if let Some(w) = self.readings_warning(outcome) {
            lists.warnings.push(w);
        }
        written::Written::new(rules, &self.run, self.q, summary, lists)
    }

    /// When the pack reads separately packaged ICs one way and the product's outcome would
    /// differ read the other way (as [`RuleSet::evaluate`] compares them): the warning saying
    /// so. `mine` is the outcome of this determination.
    fn readings_warning(&self, mine: impl FnOnce() -> Outcome) -> Option<String> {
        let rules = self.rules;
        let product = self.run.product;
        if !(self.compare_readings && product.readings_may_differ()) {
            return None;
        }
        let reading = self.run.f.reading;
        // The same query on the same date: it cannot be refused when this one was not.
        let other = rules.evaluate_reading(product, self.q, Options { trace: false }, reading.other(), false).ok()?;
        let (mine, theirs) = (mine(), Outcome::of(&other));
        (mine != theirs).then(|| {
            format!(
                "Separately packaged ICs: this pack reads the ICs a system contains {} ([aggregation] in pack.toml), which gives: {}. Read {}, the outcome would be: {}. Whether separately packaged ICs on one board or in one system aggregate is an open question: settle it before relying on either outcome.",
                describe(reading),
                mine.render(),
                describe(reading.other()),
                theirs.render(),
            )
        })
    }
}

thread_local! {
    /// The working memory of the last explained determination made on this thread, kept for
    /// the next one (so that it is not allocated and sized for the pack each time).
    static SPARE: std::cell::Cell<Option<Scratch>> = const { std::cell::Cell::new(None) };
}

/// Working memory for a determination: the thread's spare, or a new one.
fn spare_scratch() -> Scratch {
    SPARE.try_with(std::cell::Cell::take).ok().flatten().unwrap_or_default()
}

/// Gives the working memory of a determination back to the thread, for the next one.
impl Drop for Explained<'_> {
    fn drop(&mut self) {
        let mut s = std::mem::take(&mut self.run.s);
        s.params = std::mem::take(&mut self.run.params);
        // Nothing to keep once the thread is ending.
        let _ = SPARE.try_with(|spare| spare.set(Some(s)));
    }
}

/// Serialises as the [`Determination`] it writes out ([`Explained::to_determination`]), byte
/// for byte, without making it: the lists are written out, the rest is borrowed or written as
/// it is serialised (the trace), so that most of its strings are never allocated.
impl serde::Serialize for Explained<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.written().serialize(serializer)
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
    /// The same as [`RuleSet::explain`] followed by [`Explained::to_determination`].
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
        self.explain(product, q, opts, |e| e.to_determination())
    }

    /// Makes the explained determination of one product for one destination and date, as
    /// [`RuleSet::evaluate`] does, and hands it to `then` as recorded ([`Explained`]: rule
    /// indexes, truths, unformatted comparisons and reasons), before any of its text is written;
    /// `then` reads the decision, or writes the determination out
    /// ([`Explained::to_determination`]) or serialises it (the same JSON as the
    /// [`Determination`]). The parties of `q` are screened against the pack's lists here.
    ///
    /// ```
    /// use export_controls::{Catalog, Options, Query, RuleSet, Verdict};
    ///
    /// let rules = RuleSet::shipped()?;
    /// let catalog = Catalog::shipped()?;
    /// let h100 = catalog.get("nvidia-h100-sxm5-80gb").ok_or("no H100")?;
    /// let q = Query::export_to("CN".parse()?, "2024-06-01".parse()?);
    /// let (verdict, json) = rules.explain(h100, &q, Options { trace: true }, |e| {
    ///     (e.verdict(), serde_json::to_string(e))
    /// })?;
    /// assert_eq!(verdict, Verdict::LicenseRequired);
    /// assert_eq!(json?, serde_json::to_string(&rules.evaluate(h100, &q, Options { trace: true })?)?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// As [`RuleSet::evaluate`]; `then` is not called.
    pub fn explain<T>(
        &self,
        product: &PreparedProduct,
        q: &Query,
        opts: Options,
        then: impl FnOnce(&Explained<'_>) -> T,
    ) -> Result<T, EvaluateError> {
        let parties = PreparedParties::screen(self, &q.parties);
        let reading = self.pack.aggregation.separate_packages;
        let mut e = self.record(product, q, &parties, opts, reading, true)?;
        e.compare_readings = true;
        Ok(then(&e))
    }

    /// As [`RuleSet::evaluate`] without the trace and without the notices (no notice ids and
    /// no warnings from notices): for comparisons that read only the verdict, classification,
    /// requirements and exceptions ([`crate::impact`]), whose cost must not grow with the
    /// number of notices in the pack. (Nor the warning comparing the two readings of
    /// separately packaged ICs: the pack's reading alone.)
    pub(crate) fn evaluate_outcome(
        &self,
        product: &PreparedProduct,
        q: &Query,
    ) -> Result<Determination, EvaluateError> {
        self.evaluate_reading(product, q, Options { trace: false }, self.pack.aggregation.separate_packages, false)
    }

    /// [`RuleSet::evaluate`] with a given reading of separately packaged ICs, with or without
    /// the notices.
    fn evaluate_reading(
        &self,
        product: &PreparedProduct,
        q: &Query,
        opts: Options,
        reading: crate::ruleset::Reading,
        with_notices: bool,
    ) -> Result<Determination, EvaluateError> {
        let parties = PreparedParties::screen(self, &q.parties);
        Ok(self.assemble(&self.record(product, q, &parties, opts, reading, with_notices)?))
    }

    /// Runs the core with the recording sink: the classification, each destination's
    /// requirements and exceptions, and their review policies and notices (none when
    /// `with_notices` is off).
    fn record<'r>(
        &'r self,
        product: &'r PreparedProduct,
        q: &'r Query,
        parties: &'r PreparedParties,
        opts: Options,
        reading: crate::ruleset::Reading,
        with_notices: bool,
    ) -> Result<Explained<'r>, EvaluateError> {
        let mut f = Facts::new(self, product, q.destination, q.exported_from, q.date, parties, &q.exporter)?
            .in_region(q.destination_region)?;
        f.reading = reading;
        let mut s = spare_scratch();
        s.begin(self);
        let mut rec = Recorder::new(self, opts.trace);
        core::classify(&f, &mut s, &mut rec);
        let params = std::mem::take(&mut s.params);
        let stamp = s.stamp;
        let destinations = 1 + f.other_destinations().count();
        let mut legs = Vec::with_capacity(destinations);
        let mut placed_by = None;
        let decision = core::finish_all(&f, &mut s, Stamped(&params, stamp), &mut rec, |step, rec| match step {
            core::Step::Before(k, placed) => {
                placed_by = placed;
                rec.enter(k, placed);
            }
            core::Step::After(lf, ls) => {
                // A copy of the findings while another destination is still to be decided.
                let s = (legs.len() + 1 < destinations).then(|| ls.clone());
                legs.push(Leg { f: lf.to(lf.destination), s, placed: placed_by.take() });
            }
        });
        rec.enter(0, None);
        let mut run = Run { f, s, legs, params, stamp, rec, decision, product };
        let (policies, notice_truths) = Self::policies_and_notices(&mut run, with_notices);
        Ok(Explained { rules: self, q, run, policies, notice_truths, compare_readings: false })
    }

    /// The determination written out from what the core recorded.
    fn assemble(&self, e: &Explained<'_>) -> Determination {
        let (summary, lists) = self.parts(e);
        self.determination(&e.run, e.q, summary, lists)
    }

    /// The lists and classification of a determination, written out from what the core
    /// recorded (the rest is the product's, the query's, the pack's and the trace).
    fn parts(&self, e: &Explained<'_>) -> (Summary, Lists) {
        let (run, q) = (&e.run, e.q);
        let mut warnings = Vec::new();
        let notices = self.notice_warnings(&e.notice_truths, &mut warnings);
        self.possible_match_warnings(q, &mut warnings);
        self.lookalike_warnings(run.f.parties, q.date, &mut warnings);
        let screening = self.screening_basis(&q.parties);
        let mut scope = self.scope_lines(run.rec.parties_not_given);
        self.screening_notes(&screening, &q.parties, q.date, &mut scope, &mut warnings);
        for leg in run.legs.iter().skip(1) {
            if let Some((c, party)) = &leg.placed {
                let located = party.role.takes_the_items() && party.country == Some(*c);
                let used_there = party.end_uses.iter().find(|u| u.destination() == Some(*c)).filter(|_| !located);
                warnings.push(if let Some(u) = used_there {
                    format!(
                        "The {} declares the end use {u}, not in {} (the destination given): the items are where the end use takes place, their ultimate destination (15 CFR 748.5; a supercomputer \"located in or destined to\" a country, 744.23(a)(1)), so the transaction was also determined with {c} as the destination.",
                        party.label(),
                        q.destination
                    )
                } else if party.role == crate::model::Role::IntermediateConsignee {
                    format!(
                        "The {} is located in {c}, not in {} (the destination given): the items enter {c} on their way to the ultimate consignee (15 CFR 748.5(d)), so the transaction was also determined with {c} as the destination.",
                        party.label(),
                        q.destination
                    )
                } else {
                    format!(
                        "The {} is located in {c}, not in {} (the destination given): the ultimate destination is where the ultimate consignee and end user are, so the transaction was also determined with {c} as the destination.",
                        party.label(),
                        q.destination
                    )
                });
            }
        }
        let requirements = self.requirement_findings(run, &e.policies, &mut warnings);
        let exceptions = self.exception_findings(run, &mut warnings);
        for w in run.rec.status_warnings_text() {
            if !warnings.contains(&w) {
                warnings.push(w);
            }
        }
        let verdict = run.decision.verdict;
        let mut summary = self.summarize(run);
        let mut missing = std::mem::take(&mut summary.missing);
        for f in run.rec.missing_facts_text() {
            if !missing.contains(&f) {
                missing.push(f);
            }
        }
        warnings.append(&mut summary.warnings);
        if !summary.undetermined.is_empty() && verdict != Verdict::Indeterminate {
            warnings.push(format!(
                "The classification is undetermined ({} may apply; missing: {}). The verdict is the same whatever the missing figures are, but the ECCN must be settled before export filings.",
                summary.undetermined.join(", "),
                missing.join(", ")
            ));
        }
        let contents = self.contents(run);
        let lists = Lists { requirements, exceptions, missing, warnings, notices, scope, screening, contents };
        (summary, lists)
    }

    /// The review policies of the requirements found, per destination, and the notices that
    /// apply or may apply to any destination (in pack order; none when `with_notices` is off).
    #[allow(clippy::type_complexity)]
    fn policies_and_notices<'r>(
        run: &mut Run<'r, '_>,
        with_notices: bool,
    ) -> (Vec<Vec<Vec<(&'r ReviewPolicyRule, Truth)>>>, Vec<(usize, Truth)>) {
        let params = Stamped(&run.params, run.stamp);
        let mut policies = Vec::with_capacity(run.legs.len());
        let mut notice_truths: Vec<(usize, Truth)> = Vec::new();
        for (k, leg) in run.legs.iter().enumerate() {
            run.rec.enter(k, leg.placed);
            let ls = leg_scratch(leg, &run.s);
            policies.push(core::review_policies(&leg.f, ls, params, &mut run.rec));
            let truths = if with_notices { core::notices(&leg.f, ls, params, &mut run.rec) } else { Vec::new() };
            for (i, t) in truths {
                match notice_truths.iter_mut().find(|(j, _)| *j == i) {
                    Some((_, old)) => *old = old.or(t),
                    None => notice_truths.push((i, t)),
                }
            }
        }
        run.rec.enter(0, None);
        notice_truths.sort_by_key(|(i, _)| *i);
        (policies, notice_truths)
    }

    /// The determination made of its parts.
    fn determination(&self, run: &Run<'_, '_>, q: &Query, summary: Summary, lists: Lists) -> Determination {
        let Lists { requirements, exceptions, missing, warnings, notices, scope, screening, contents } = lists;
        let product = run.product;
        Determination {
            verdict: run.decision.verdict,
            as_of: q.date,
            product: ProductSummary {
                id: product.product().id.clone(),
                name: product.product().name.clone(),
                vendor: product.product().vendor.clone(),
                kind: product.product().kind,
                designed_or_marketed_for_datacenter: product.product().designed_or_marketed_for_datacenter,
            },
            destination: CountryRef::from(q.destination),
            other_destinations: run.legs.iter().skip(1).map(|l| CountryRef::from(l.f.destination)).collect(),
            exported_from: q.exported_from.map(CountryRef::from),
            eccns: summary.eccns,
            paragraphs: summary.paragraphs,
            undetermined_paragraphs: summary.undetermined,
            metrics: product.figures().report().clone(),
            contents,
            requirements,
            exceptions,
            missing,
            warnings,
            notices,
            trace: run.rec.trace_entries(&run.f, run.params(), &run.s.unit_params),
            inputs: super::determination::Inputs {
                product: product.product().clone(),
                parties: q.parties.clone(),
                exporter: q.exporter,
                destination_region: q.destination_region,
            },
            rules: PackRef {
                name: self.pack.name.clone(),
                version: self.pack.version.clone(),
                sha256: self.pack.sha256.clone(),
                unlocked: self.pack.unlocked.is_some(),
            },
            scope,
            screening,
        }
    }

    /// The ids of the notices that apply or may apply, and their warnings.
    fn notice_warnings(&self, truths: &[(usize, Truth)], warnings: &mut Vec<String>) -> Vec<String> {
        let mut ids = Vec::new();
        for &(i, t) in truths {
            let Some(n) = self.notices.get(i) else { continue };
            ids.push(n.meta.id.clone());
            let (title, id, source) = (&n.meta.title, &n.meta.id, &n.meta.source);
            match t {
                Truth::True => warnings.push(format!("{title} [{id}; {source}]")),
                Truth::Unknown => {
                    warnings.push(format!("May apply (depends on missing data): {title} [{id}; {source}]"))
                }
                Truth::False => {}
            }
        }
        ids
    }

    /// Names close to a list entry without matching it exactly: screen them by hand.
    fn possible_match_warnings(&self, q: &Query, warnings: &mut Vec<String>) {
        for p in &q.parties {
            let Some(name) = &p.name else { continue };
            let key = crate::ruleset::normalize_name(name);
            if key.is_empty() {
                continue;
            }
            let exact = self.lists.iter().any(|e| e.period.contains(q.date) && e.keys.contains(&key));
            if exact || !p.list_entries.is_empty() {
                continue;
            }
            for e in self.possible_matches(name, q.date) {
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
    }

    /// Each requirement that applies or may apply, for any destination: its certainty, basis,
    /// review policy and the exceptions that overcome it. A requirement found for several
    /// destinations is given once, with the bases of each and the strictest policy.
    fn requirement_findings(
        &self,
        run: &Run<'_, '_>,
        policies: &[Vec<Vec<(&crate::ruleset::ReviewPolicyRule, Truth)>>],
        warnings: &mut Vec<String>,
    ) -> Vec<RequirementFinding> {
        let mut out: Vec<RequirementFinding> = Vec::new();
        for ((k, leg), leg_policies) in run.legs.iter().enumerate().zip(policies) {
            let found = run.rec.found.iter().filter(|f| f.leg == k);
            for (found, matching) in found.zip(leg_policies) {
                let Some(req) = self.requirements.get(found.index) else { continue };
                let ls = leg_scratch(leg, &run.s);
                let applies = get(&ls.requirements, ls.stamp, found.index);
                let by = self.overcome_by(ls, found.index);
                let policy = core::choose_review_policy(req, matching, &found.entries);
                let mut warn = |w: String| {
                    if !warnings.contains(&w) {
                        warnings.push(w);
                    }
                };
                if let Some(p) = policy.open {
                    warn(core::open_policy_warning(&leg.f, p, &req.meta.id));
                }
                if let Some((id, u)) = &policy.unverified {
                    warn(format!(
                        "The review policy of {} comes from {id}, which rests on facts not confirmed from a primary source: {u}",
                        req.meta.id
                    ));
                }
                for e in found.entries.iter().filter(|e| e.unverified.is_some()) {
                    let u = e.unverified.as_deref().unwrap_or("");
                    warn(format!("{} entry {} is not confirmed from a primary source: {u}", e.list, e.id));
                }
                if applies == Truth::True
                    && let Some(u) = &req.meta.unverified
                {
                    warn(format!("{} rests on facts not confirmed from a primary source: {u}", req.meta.id));
                }
                let finding = RequirementFinding {
                    id: req.meta.id.clone(),
                    title: req.meta.title.clone(),
                    reason: req.reason.as_str().to_owned(),
                    source: req.meta.source.clone(),
                    certainty: certainty(applies),
                    destination_basis: run.rec.basis(found, &run.f),
                    review_policy: policy.policy,
                    review_policy_source: policy.source,
                    review_conditions: policy.conditions,
                    overcome_by_destination: match run.legs.len() > 1 {
                        true => vec![DestinationExceptions { destination: leg.f.destination, overcome_by: by.clone() }],
                        false => Vec::new(),
                    },
                    overcome_by: by,
                };
                match out.iter_mut().find(|r| r.id == finding.id) {
                    None => out.push(finding),
                    Some(r) => merge_requirement(r, finding),
                }
            }
        }
        // Per destination only what some exception overcomes somewhere.
        for r in out.iter_mut().filter(|r| r.overcome_by.is_empty()) {
            r.overcome_by_destination.clear();
        }
        out
    }

    /// Indexes of the exceptions available (true or unknown) that overcome requirement `r`.
    fn overcoming(&self, s: &Scratch, r: usize) -> Vec<usize> {
        let links = self.compiled.requirements.get(r).map_or(&[][..], |c| c.links.as_slice());
        links.iter().map(|&x| x as usize).filter(|&x| get(&s.exceptions, s.stamp, x) != Truth::False).collect()
    }

    /// The requirement, undecided here, that would make exception `x` unavailable
    /// (`unavailable_with`), when `x` itself is undecided: the exception may be available only
    /// where that requirement does not apply (the Note 1 to 3A090.a presumption, undecided,
    /// makes NAC and ACA possible only if it is rebutted or does not bind the exporter: presumed,
    /// the IC is a datacenter 3A090.a item they exclude, 15 CFR 740.8(a)).
    fn held_back_by(&self, s: &Scratch, x: usize) -> Option<&str> {
        if get(&s.exceptions, s.stamp, x) != Truth::Unknown {
            return None;
        }
        let blockers = self.compiled.exceptions.get(x).map_or(&[][..], |c| c.links.as_slice());
        blockers
            .iter()
            .map(|&r| r as usize)
            .find(|&r| get(&s.requirements, s.stamp, r) == Truth::Unknown)
            .and_then(|r| self.requirements.get(r))
            .map(|r| r.meta.id.as_str())
    }

    /// Names of the exceptions that overcome requirement `r`.
    fn overcome_by(&self, s: &Scratch, r: usize) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        for x in self.overcoming(s, r).into_iter().filter_map(|x| self.exceptions.get(x)) {
            if !names.contains(&x.name) {
                names.push(x.name.clone());
            }
        }
        names
    }

    /// The exceptions available that overcome a requirement found, for any destination, with
    /// what they overcome: one entry per exception name (see [`merge_exception`]).
    fn exception_findings(&self, run: &Run<'_, '_>, warnings: &mut Vec<String>) -> Vec<ExceptionFinding> {
        let mut out: Vec<ExceptionFinding> = Vec::new();
        for (k, leg) in run.legs.iter().enumerate() {
            let found: Vec<usize> = run.rec.found.iter().filter(|f| f.leg == k).map(|f| f.index).collect();
            let ls = leg_scratch(leg, &run.s);
            let used: BTreeSet<usize> = found.iter().flat_map(|&r| self.overcoming(ls, r)).collect();
            for (xi, x) in self.exceptions.iter().enumerate().filter(|(xi, _)| used.contains(xi)) {
                self.exception_warnings(ls, xi, warnings);
                let overcomes = self.overcome(&found, xi);
                merge_exception(&mut out, x, get(&ls.exceptions, ls.stamp, xi), overcomes);
            }
        }
        out.sort_by_key(|e| self.exceptions.iter().position(|x| x.meta.id == e.id));
        out
    }

    /// The ids of the requirements found (`found`, by index, in the order found) that exception
    /// `x` overcomes: those whose compiled links name it.
    fn overcome(&self, found: &[usize], x: usize) -> Vec<String> {
        found
            .iter()
            .filter(|&&r| self.compiled.requirements.get(r).is_some_and(|c| c.links.contains(&(x as u32))))
            .filter_map(|&r| self.requirements.get(r))
            .map(|r| r.meta.id.clone())
            .collect()
    }

    /// The warnings exception `x`, offered, carries: held back by an undecided requirement
    /// ([`RuleSet::held_back_by`]), or resting on unconfirmed facts. Each warning once.
    fn exception_warnings(&self, ls: &Scratch, xi: usize, warnings: &mut Vec<String>) {
        let Some(x) = self.exceptions.get(xi) else { return };
        let mut warn = |w: String| {
            if !warnings.contains(&w) {
                warnings.push(w);
            }
        };
        if let Some(req) = self.held_back_by(ls, xi) {
            warn(format!(
                "License Exception {name} may be available only if {req} does not apply: it is undecided, and where it applies it makes {name} unavailable (an IC presumed 3A090.a under Note 1 is presumed designed for datacenters, which 15 CFR 740.8(a) excludes); give the missing facts before relying on {name}",
                name = x.name
            ));
        }
        if let Some(u) = &x.meta.unverified {
            warn(format!("{} ({}) rests on facts not confirmed from a primary source: {u}", x.name, x.meta.id));
        }
    }

    /// Classifies a product as of `date`: ECCNs and paragraphs matched, those that depend on
    /// missing inputs, and the missing inputs. Destination-independent, and by the product's
    /// figures: as exported by an exporter that is not a front-end fabricator or OSAT (the
    /// Note 1 to 3A090.a presumption is a fact of the transaction, read by `evaluate`).
    ///
    /// # Errors
    /// [`EvaluateError::BeforeCoverage`] when the date is before the pack's coverage.
    pub fn classify(
        &self,
        product: &PreparedProduct,
        date: Date,
        opts: Options,
    ) -> Result<ClassificationResult, EvaluateError> {
        core::check_coverage(self, date)?;
        // A classification of the product by its figures: the Note 1 to 3A090.a presumption
        // binds front-end fabricators and OSATs only, a transaction fact that `evaluate` reads.
        let exporter = Exporter { front_end_fabricator_or_osat: Some(false), ..Exporter::default() };
        let f = Facts::classification(self, product, date, &exporter);
        let mut s = Scratch::default();
        s.begin(self);
        let mut rec = Recorder::new(self, opts.trace);
        core::classify(&f, &mut s, &mut rec);
        let params = std::mem::take(&mut s.params);
        let stamp = s.stamp;
        let decision = Decision {
            verdict: Verdict::NoLicenseRequired,
            at_least: Verdict::NoLicenseRequired,
            at_most: Verdict::NoLicenseRequired,
        };
        let run = Run { f, s, legs: Vec::new(), params, stamp, rec, decision, product };
        let summary = self.summarize(&run);
        Ok(ClassificationResult {
            as_of: date,
            eccns: summary.eccns,
            paragraphs: summary.paragraphs,
            undetermined_paragraphs: summary.undetermined,
            missing: summary.missing,
            trace: run.rec.trace_entries(&run.f, run.params(), &run.s.unit_params),
        })
    }

    /// The classification: ECCNs and paragraphs that hold, those undetermined, the inputs
    /// missing for them (and for every condition found unknown), and unverified paragraphs.
    fn summarize(&self, run: &Run<'_, '_>) -> Summary {
        let mut s = Summary::default();
        // A paragraph left undecided only matters when its ECCN is not already certain (an
        // H100-class part without a die area is 3A090.a by a.1 whatever a.2 says).
        let env = ProductEnv { rules: self, product: run.product, params: run.params(), exporter: run.f.exporter };
        let units = run.f.units();
        let per = self.classifications.len();
        let mut attrs: Vec<(Option<u32>, Attr)> = Vec::new();
        for i in run.s.undetermined(self) {
            let Some(c) = self.classifications.get(i) else { continue };
            s.undetermined.push(c.meta.id.clone());
            let mut found = Vec::new();
            if units.is_empty() {
                c.when.unknown_attrs(&env, &mut found);
                for ex in c.exclusions.iter().filter_map(|&x| self.exclusions.get(x)) {
                    ex.when.unknown_attrs(&env, &mut found);
                }
                attrs.extend(found.drain(..).map(|a| (None, a)));
            }
            for (k, unit) in units.iter().enumerate() {
                let up = run.s.unit_params.get(k * per..(k + 1) * per).unwrap_or(&[]);
                let uenv = ProductEnv { rules: self, product: &unit.product, params: up, exporter: run.f.exporter };
                c.when.unknown_attrs(&uenv, &mut found);
                for ex in c.exclusions.iter().filter_map(|&x| self.exclusions.get(x)) {
                    ex.when.unknown_attrs(&uenv, &mut found);
                }
                attrs.extend(found.drain(..).map(|a| (Some(core::to_u32(k)), a)));
            }
        }
        let mut missing_attrs = run.rec.missing_attrs.clone();
        missing_attrs.extend(attrs);
        for (i, c) in self.classifications.iter().enumerate() {
            if run.s.classified(i) != Truth::True {
                continue;
            }
            s.paragraphs.push(c.meta.id.clone());
            if !s.eccns.contains(&c.eccn) {
                s.eccns.push(c.eccn.clone());
            }
            if let Some(u) = &c.meta.unverified {
                s.warnings.push(format!("{} rests on facts not confirmed from a primary source: {u}", c.meta.id));
            }
        }
        s.eccns.sort();
        s.paragraphs.sort();
        let (declared_missing, declared_warning) = core::declared::findings(&run.f, &run.s, &s.eccns);
        s.missing.extend(declared_missing);
        s.warnings.extend(declared_warning);
        let product = run.product;
        for m in product.problems().iter().map(|p| format!("a valid product ({p})")) {
            if !s.missing.contains(&m) {
                s.missing.push(m);
            }
        }
        for &(unit, a) in &missing_attrs {
            let names: Vec<String> = match unit {
                None => product.missing_inputs(a).into_iter().map(str::to_string).collect(),
                Some(k) => units.get(k as usize).map(|u| u.missing_inputs(a)).unwrap_or_default(),
            };
            for m in names {
                if !s.missing.contains(&m) {
                    s.missing.push(m);
                }
            }
        }
        if !product.is_valid() {
            s.warnings.push(format!(
                "The product fails the checks a product sheet passes ({}): none of its figures is read, and every determination of it is indeterminate until it is corrected.",
                product.problems().join("; ")
            ));
        }
        let bound_read = missing_attrs.iter().any(|(_, a)| matches!(a, Attr::Tpp | Attr::PerformanceDensity));
        if bound_read && let Some(w) = product.bound_warning() {
            s.warnings.push(w);
        }
        s.warnings.extend(product.warnings().iter().cloned());
        s
    }

    /// For a computer: what each unit it was tested as (each contained product, or their
    /// aggregate) is classified as.
    fn contents(&self, run: &Run<'_, '_>) -> Vec<ContainedFinding> {
        let per = self.classifications.len();
        let mut out = Vec::new();
        for (k, unit) in run.f.units().iter().enumerate() {
            let mut paragraphs = Vec::new();
            let mut eccns: Vec<String> = Vec::new();
            for (i, c) in self.classifications.iter().enumerate() {
                let holds = run.s.unit_params.get(k * per + i) == Some(&Truth::True);
                if holds && c.kinds.contains(&unit.product.product().kind) {
                    paragraphs.push(c.meta.id.clone());
                    if !eccns.contains(&c.eccn) {
                        eccns.push(c.eccn.clone());
                    }
                }
            }
            paragraphs.sort();
            eccns.sort();
            let m = unit.product.metrics();
            out.push(ContainedFinding {
                product: if unit.prefix.is_some() || unit.placeholder {
                    unit.product.product().id.clone()
                } else {
                    "aggregate".into()
                },
                name: unit.label(),
                count: unit.count,
                known: !unit.placeholder,
                eccns,
                paragraphs,
                tpp: m.tpp.map(|d| d.normalize().to_string()),
                performance_density: m.performance_density.map(|r| r.rounded(4).to_string()),
            });
        }
        out
    }

    fn scope_lines(&self, parties_not_given: bool) -> Vec<ScopeLine> {
        let mut v = Vec::new();
        if let Some(by) = &self.pack.superseded_by {
            v.push(ScopeLine::new(ScopeKind::Superseded, format!(
                "{SUPERSEDED_SCOPE} the rule pack {} {} is superseded by {by}: this determination applies the rules of the older release, which may since have been corrected or tightened; it does not stand for the rules in force under the current release.",
                self.pack.name, self.pack.version
            )));
        }
        if let Some(what) = &self.pack.unlocked {
            v.push(ScopeLine::new(ScopeKind::Unlocked, format!(
                "{UNLOCKED_SCOPE} {} {} differs from its rules.lock ({what}): this determination was not made under the reviewed rules of that name and version.",
                self.pack.name, self.pack.version
            )));
        }
        let pack =
            format!("This determination covers only the rules in pack {} {}.", self.pack.name, self.pack.version);
        v.push(ScopeLine::new(ScopeKind::Pack, pack));
        if parties_not_given {
            v.push(ScopeLine::new(ScopeKind::PartiesNotGiven, PARTIES_NOT_GIVEN));
        }
        v.extend(self.pack.scope_notes.iter().map(|n| ScopeLine::new(ScopeKind::PackNote, n.as_str())));
        v
    }
}

/// The scope line of a determination whose rules concern parties when none were given.
pub(crate) const PARTIES_NOT_GIVEN: &str = "No parties were given: rules about buyers and end users (headquarters in D:5 or Macau, the Entity List, affiliates, end uses) were not evaluated. Give the parties to have them checked.";
/// How the scope line of a determination made under a superseded release of the pack
/// embedded in this program starts (`--superseded`): the first line of its scope.
pub const SUPERSEDED_SCOPE: &str = "SUPERSEDED PACK:";
/// How the scope line of a determination made under an unlocked pack starts.
pub const UNLOCKED_SCOPE: &str = "UNLOCKED PACK: the rule pack";

/// The lists of a determination, besides the classification.
struct Lists {
    requirements: Vec<RequirementFinding>,
    exceptions: Vec<ExceptionFinding>,
    missing: Vec<String>,
    warnings: Vec<String>,
    notices: Vec<String>,
    scope: Vec<ScopeLine>,
    screening: Vec<super::determination::ScreeningBasis>,
    contents: Vec<ContainedFinding>,
}

#[derive(Default)]
struct Summary {
    eccns: Vec<String>,
    paragraphs: Vec<String>,
    undetermined: Vec<String>,
    missing: Vec<String>,
    warnings: Vec<String>,
}

/// What a determination decided, for comparing two readings: verdict, ECCNs, requirements
/// with their review policies, exceptions.
#[derive(PartialEq, Eq)]
struct Outcome {
    verdict: Verdict,
    eccns: Vec<String>,
    requirements: Vec<(String, Option<crate::ruleset::ReviewPolicy>)>,
    exceptions: Vec<String>,
}

impl Outcome {
    fn of(d: &Determination) -> Self {
        Self::of_parts(d.verdict, &d.eccns, &d.requirements, &d.exceptions)
    }

    fn of_parts(
        verdict: Verdict,
        eccns: &[String],
        requirements: &[RequirementFinding],
        exceptions: &[ExceptionFinding],
    ) -> Self {
        Outcome {
            verdict,
            eccns: eccns.to_vec(),
            requirements: requirements.iter().map(|r| (r.id.clone(), r.review_policy)).collect(),
            exceptions: exceptions.iter().map(|x| x.name.clone()).collect(),
        }
    }

    fn render(&self) -> String {
        let mut parts = vec![self.verdict.as_str().to_string()];
        parts.push(if self.eccns.is_empty() { "no ECCN".into() } else { format!("ECCN {}", self.eccns.join(", ")) });
        for (id, p) in &self.requirements {
            parts.push(match p {
                Some(p) => format!("{id} ({})", p.as_str()),
                None => id.clone(),
            });
        }
        if !self.exceptions.is_empty() {
            parts.push(format!("License Exception {}", self.exceptions.join(", ")));
        }
        parts.join("; ")
    }
}

/// How a reading is described in prose.
fn describe(r: crate::ruleset::Reading) -> &'static str {
    match r {
        crate::ruleset::Reading::PerIc => "each on its own, per IC",
        crate::ruleset::Reading::Aggregate => "as one aggregate IC",
    }
}

/// Adds to a requirement found for one destination what was found for another: its bases, the
/// strictest review policy, certainty if certain there, and the exceptions that overcome it.
fn merge_requirement(r: &mut RequirementFinding, other: RequirementFinding) {
    for b in other.destination_basis {
        if !r.destination_basis.contains(&b) {
            r.destination_basis.push(b);
        }
    }
    if other.certainty == Certainty::Certain {
        r.certainty = Certainty::Certain;
    }
    if other.review_policy > r.review_policy {
        r.review_policy = other.review_policy;
        r.review_policy_source = other.review_policy_source;
        r.review_conditions = other.review_conditions;
    }
    // Each destination's exceptions (NAC for one, ACA for another); where one has none, the
    // verdict says a licence is required.
    for x in other.overcome_by {
        if !r.overcome_by.contains(&x) {
            r.overcome_by.push(x);
        }
    }
    for d in other.overcome_by_destination {
        match r.overcome_by_destination.iter_mut().find(|e| e.destination == d.destination) {
            Some(e) => {
                for x in d.overcome_by {
                    if !e.overcome_by.contains(&x) {
                        e.overcome_by.push(x);
                    }
                }
            }
            None => r.overcome_by_destination.push(d),
        }
    }
}

/// Adds exception `x` (its condition `t`, overcoming `overcomes`) to `out`, one entry per
/// exception name: NAC offered on its destination ground and on its headquarters ground (two
/// rules of 15 CFR 740.8) is one exception, with both, when both are equally certain (else the
/// entries keep their own certainty).
fn merge_exception(out: &mut Vec<ExceptionFinding>, x: &LicenseException, t: Truth, overcomes: Vec<String>) {
    let same = |e: &ExceptionFinding| e.id == x.meta.id || (e.name == x.name && e.certainty == certainty(t));
    let at = out.iter().position(|e| e.id == x.meta.id).or_else(|| out.iter().position(same));
    let Some(e) = at.and_then(|i| out.get_mut(i)) else {
        out.push(ExceptionFinding {
            id: x.meta.id.clone(),
            name: x.name.clone(),
            title: x.meta.title.clone(),
            source: x.meta.source.clone(),
            certainty: certainty(t),
            overcomes,
            obligations: x.obligations.clone(),
            grounds: Vec::new(),
        });
        return;
    };
    if t == Truth::True {
        e.certainty = Certainty::Certain;
    }
    for o in overcomes {
        if !e.overcomes.contains(&o) {
            e.overcomes.push(o);
        }
    }
    if e.id != x.meta.id {
        if e.grounds.is_empty() {
            e.grounds.push(format!("{}: {}", e.id, e.title));
        }
        let g = format!("{}: {}", x.meta.id, x.meta.title);
        if !e.grounds.contains(&g) {
            e.grounds.push(g);
        }
    }
    for ob in &x.obligations {
        if !e.obligations.contains(ob) {
            e.obligations.push(ob.clone());
        }
    }
}

fn certainty(t: Truth) -> Certainty {
    if t == Truth::True { Certainty::Certain } else { Certainty::Possible }
}
