//! The recording sink: what the evaluation core found for each rule, kept as rule indexes,
//! unformatted comparisons ([`Leaf`]) and typed reasons ([`Reason`]), and written out as text
//! only when the determination is shown or serialised ([`Recorder::trace_entries`] and the
//! other `*_text` methods).

use std::collections::BTreeSet;
use std::ops::Range;

use super::core::missing::{Missing, Warning};
use super::core::reason::Reason;
use super::core::sink::{Notes, RuleKind, Sink, Unconfirmed};
use super::core::{Facts, ProductEnv, Stamped};
use super::determination::TraceEntry;
use crate::model::{Country, Party};
use crate::ruleset::condition::{Comparison, Env, Expr, Leaf, TextsOut, Truth};
use crate::ruleset::vocabulary::Attr;
use crate::ruleset::{ListEntry, RuleMeta, RuleSet};

/// What one rule's test found, recorded. Taken from the recorder's pool and given back when
/// the rule is recorded, so that its buffers are reused from rule to rule (and boxed, so that
/// handing them on moves a pointer).
pub(crate) struct RuleNotes<'r> {
    /// Whether reasons are kept (they are read only in the trace and in a requirement's
    /// basis).
    keep_reasons: bool,
    /// Whether comparisons are recorded (the trace is on).
    keep_comparisons: bool,
    b: Box<Buffers<'r>>,
}

/// The buffers of [`RuleNotes`].
#[derive(Default)]
struct Buffers<'r> {
    leaves: Vec<Leaf<'r>>,
    /// Per leaf: the unit of a computer it was evaluated on (`None`: the product).
    leaf_units: Vec<Option<u32>>,
    reasons: Vec<Reason<'r>>,
    missing: Vec<Missing<'r>>,
    entries: Vec<&'r ListEntry>,
    unknown_attrs: Vec<(Option<u32>, Attr)>,
    /// A buffer for the attributes of one condition found unknown.
    attrs: Vec<Attr>,
    /// The rule whose status after the date is not confirmed, and whether that decides.
    unconfirmed: Option<(&'r RuleMeta, Unconfirmed, bool)>,
    /// Warnings the determination carries whatever the verdict.
    warnings: Vec<Warning<'r>>,
    parties_not_given: bool,
}

impl<'r> RuleNotes<'r> {
    fn empty(keep_reasons: bool, keep_comparisons: bool) -> Self {
        RuleNotes { keep_reasons, keep_comparisons, b: Box::default() }
    }

    /// Notes of another determination (emptied), their buffers kept for this one.
    fn recycled<'o>(n: RuleNotes<'o>) -> Self {
        let Buffers { leaves, leaf_units, reasons, missing, entries, unknown_attrs, attrs, warnings, .. } = *n.b;
        let mut b = Buffers {
            leaves: recycle(leaves),
            leaf_units,
            reasons: recycle(reasons),
            missing: recycle(missing),
            entries: recycle(entries),
            unknown_attrs,
            attrs,
            unconfirmed: None,
            warnings: recycle(warnings),
            parties_not_given: false,
        };
        b.clear();
        RuleNotes { keep_reasons: n.keep_reasons, keep_comparisons: n.keep_comparisons, b: Box::new(b) }
    }
}

/// The buffers of a recorder, emptied, kept per thread for the next determination (the
/// lifetime of what they held erased, as they hold nothing).
#[derive(Default)]
struct Arenas {
    trace: Vec<Traced<'static>>,
    leaves: Vec<Leaf<'static>>,
    leaf_units: Vec<Option<u32>>,
    reasons: Vec<Reason<'static>>,
    pool: Vec<RuleNotes<'static>>,
}

thread_local! {
    /// The buffers of the last recorder dropped on this thread.
    static SPARE_ARENAS: std::cell::Cell<Option<Arenas>> = const { std::cell::Cell::new(None) };
}

/// `v` emptied, as a vector of `U` in the same allocation when `T` and `U` have the same size
/// and alignment (here: the same type borrowing for another lifetime), which the standard
/// library's in-place collection guarantees in practice; otherwise a new, empty vector.
fn recycle<T, U>(v: Vec<T>) -> Vec<U> {
    v.into_iter().filter_map(|_| None).collect()
}

/// Gives the recorder's buffers back to the thread, emptied, for the next determination.
impl Drop for Recorder<'_> {
    fn drop(&mut self) {
        let arenas = Arenas {
            trace: recycle(std::mem::take(&mut self.trace)),
            leaves: recycle(std::mem::take(&mut self.leaves)),
            leaf_units: {
                let mut v = std::mem::take(&mut self.leaf_units);
                v.clear();
                v
            },
            reasons: recycle(std::mem::take(&mut self.reasons)),
            pool: std::mem::take(&mut self.pool).into_iter().map(RuleNotes::recycled).collect(),
        };
        // Nothing to keep once the thread is ending.
        let _ = SPARE_ARENAS.try_with(|spare| spare.set(Some(arenas)));
    }
}

impl Buffers<'_> {
    /// Empties the notes, keeping their buffers.
    fn clear(&mut self) {
        self.leaves.clear();
        self.leaf_units.clear();
        // Reasons and warnings own their text when written out at once: their elements are
        // dropped one by one, so an empty list is not walked (missing facts own none).
        if !self.reasons.is_empty() {
            self.reasons.clear();
        }
        if !self.missing.is_empty() {
            self.missing.clear();
        }
        self.entries.clear();
        self.unknown_attrs.clear();
        self.attrs.clear();
        self.unconfirmed = None;
        if !self.warnings.is_empty() {
            self.warnings.clear();
        }
        self.parties_not_given = false;
    }
}

impl<'r> Notes<'r> for RuleNotes<'r> {
    const ON: bool = true;
    fn child(&self) -> Self {
        RuleNotes::empty(self.keep_reasons, false)
    }
    fn reasons(&self) -> bool {
        self.keep_reasons
    }
    fn reason(&mut self, r: Reason<'r>) {
        if self.keep_reasons {
            self.b.reasons.push(r);
        }
    }
    fn missing_fact(&mut self, m: Missing<'r>) {
        self.b.missing.push(m);
    }
    fn entry(&mut self, e: &'r ListEntry) {
        self.b.entries.push(e);
    }
    fn eval<E: Env + ?Sized>(&mut self, when: &'r Expr, env: &E, unit: Option<u32>) -> Truth {
        if !self.keep_comparisons {
            return when.eval(env, None);
        }
        let t = when.eval_recorded(env, &mut self.b.leaves);
        self.b.leaf_units.resize(self.b.leaves.len(), unit);
        t
    }
    fn unknown_attrs(&mut self, when: &Expr, env: &dyn Env, unit: Option<u32>) {
        self.b.attrs.clear();
        when.unknown_attrs(env, &mut self.b.attrs);
        self.b.unknown_attrs.extend(self.b.attrs.iter().map(|&a| (unit, a)));
    }
    fn unconfirmed(&mut self, meta: &'r RuleMeta, what: Unconfirmed, decides: bool) {
        // Fail closed: a requirement or exception whose status is unconfirmed may or may not
        // be in force; if that changes the outcome, the verdict is indeterminate, otherwise
        // a warning says so.
        self.b.unconfirmed = Some((meta, what, decides));
    }
    fn warning(&mut self, w: Warning<'r>) {
        self.b.warnings.push(w);
    }
    fn parties_not_given(&mut self) {
        self.b.parties_not_given = true;
    }
    fn absorb(&mut self, other: &mut Self, notes: bool, missing: bool) {
        if notes {
            self.b.reasons.append(&mut other.b.reasons);
            self.b.entries.append(&mut other.b.entries);
        }
        if missing {
            self.b.missing.append(&mut other.b.missing);
        }
    }
}

/// A licence requirement that applies or may apply, with why.
pub(crate) struct Found<'r> {
    /// The destination it was found for (0: the destination given).
    pub leg: usize,
    pub index: usize,
    /// Why its destination is decided, when not the one given.
    why: Option<(Country, &'r Party)>,
    /// Its reasons, in the recorder's reasons.
    reasons: Range<usize>,
    pub entries: Vec<&'r ListEntry>,
}

/// One rule tested, as the trace shows it.
struct Traced<'r> {
    kind: RuleKind,
    index: usize,
    result: Truth,
    /// Its comparisons, in the recorder's leaves.
    leaves: Range<usize>,
    /// Its reasons, in the recorder's reasons, after `why` when there is one.
    reasons: Range<usize>,
    why: Option<(Country, &'r Party)>,
}

/// A warning of a rule tested: its status on the date not confirmed, or one it gave.
enum Status<'r> {
    Unconfirmed(&'r RuleMeta, Unconfirmed),
    Warning(Warning<'r>),
}

/// A missing fact: one a rule or the transaction lacks, or the status of a rule on the date
/// (its start, or after a day).
enum Fact<'r> {
    Missing(Missing<'r>),
    Status(&'r RuleMeta, Unconfirmed),
}

/// The recording sink: the trace (when asked for), the reasons of the requirements found, the
/// missing inputs and the status warnings, unformatted.
pub(crate) struct Recorder<'r> {
    rules: &'r RuleSet,
    trace_on: bool,
    trace: Vec<Traced<'r>>,
    /// The comparisons of every rule traced, and the unit each was made on.
    leaves: Vec<Leaf<'r>>,
    leaf_units: Vec<Option<u32>>,
    /// The reasons of every rule traced or requirement found.
    reasons: Vec<Reason<'r>>,
    /// Attributes found unknown, of the product (`None`) or of a computer's unit.
    pub missing_attrs: BTreeSet<(Option<u32>, Attr)>,
    missing_facts: Vec<Fact<'r>>,
    /// Rules whose status after a date is not confirmed, and the warnings rules gave
    /// whatever the verdict, in the order found.
    status: Vec<Status<'r>>,
    pub parties_not_given: bool,
    pub found: Vec<Found<'r>>,
    /// The destination being decided (0: the destination given) and, for another one, the
    /// party located there.
    leg: usize,
    why: Option<(Country, &'r Party)>,
    /// Notes given back, to be reused.
    pool: Vec<RuleNotes<'r>>,
}

impl<'r> Recorder<'r> {
    /// Records what follows for destination `k`, placed there by a party located in it (none
    /// for the destination given).
    pub fn enter(&mut self, k: usize, why: Option<(Country, &'r Party)>) {
        self.leg = k;
        self.why = why;
    }

    pub fn new(rules: &'r RuleSet, trace_on: bool) -> Self {
        // Room for every rule the trace may show, so that it is not grown (and copied) on the
        // way; the buffers of the last determination on this thread are reused (allocating
        // them anew costs more than the rest of the recording: glibc consolidates its free
        // chunks for each large request).
        let traced = (rules.classifications.len()
            + rules.exclusions.len()
            + rules.requirements.len()
            + rules.exceptions.len()
            + rules.review_policies.len()
            + rules.notices.len())
        .min(256);
        let spare = SPARE_ARENAS.try_with(std::cell::Cell::take).ok().flatten().unwrap_or_default();
        let mut trace: Vec<Traced<'r>> = recycle(spare.trace);
        let mut leaves: Vec<Leaf<'r>> = recycle(spare.leaves);
        let mut leaf_units = spare.leaf_units;
        leaf_units.clear();
        let mut reasons: Vec<Reason<'r>> = recycle(spare.reasons);
        if trace_on {
            trace.reserve(traced);
            leaves.reserve(2 * traced);
            leaf_units.reserve(2 * traced);
            reasons.reserve(2 * traced);
        } else {
            reasons.reserve(16);
        }
        Recorder {
            rules,
            trace_on,
            trace,
            leaves,
            leaf_units,
            reasons,
            missing_attrs: BTreeSet::new(),
            missing_facts: Vec::new(),
            status: Vec::new(),
            parties_not_given: false,
            found: Vec::new(),
            leg: 0,
            why: None,
            pool: spare.pool.into_iter().map(RuleNotes::recycled).collect(),
        }
    }

    fn meta(&self, kind: RuleKind, i: usize) -> Option<&'r RuleMeta> {
        let r = self.rules;
        match kind {
            RuleKind::Classification => r.classifications.get(i).map(|x| &x.meta),
            RuleKind::Exclusion => r.exclusions.get(i).map(|x| &x.meta),
            RuleKind::LicenseRequirement => r.requirements.get(i).map(|x| &x.meta),
            RuleKind::LicenseException => r.exceptions.get(i).map(|x| &x.meta),
            RuleKind::ReviewPolicy => r.review_policies.get(i).map(|x| &x.meta),
            RuleKind::Notice => r.notices.get(i).map(|x| &x.meta),
        }
    }

    /// The reasons of `range`, after the note of the destination `why` when there is one.
    fn reasons_text(&self, why: Option<(Country, &'r Party)>, range: &Range<usize>) -> Vec<String> {
        let reasons = self.reasons.get(range.clone()).unwrap_or_default();
        let mut out = Vec::with_capacity(reasons.len() + usize::from(why.is_some()));
        out.extend(why.map(|(c, p)| Reason::ForDestination(c, p).text()));
        out.extend(reasons.iter().map(Reason::text));
        out
    }

    /// Why requirement `found` applies to its destination, as its `destination_basis` says.
    pub fn basis(&self, found: &Found<'r>) -> Vec<String> {
        self.reasons_text(found.why, &found.reasons)
    }

    /// The missing facts recorded, in the order found.
    pub fn missing_facts_text(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::with_capacity(self.missing_facts.len());
        for f in &self.missing_facts {
            let m = match f {
                Fact::Missing(m) => m.text(self.rules),
                Fact::Status(meta, Unconfirmed::After(until)) => format!("status of {} after {until}", meta.id),
                Fact::Status(meta, Unconfirmed::Before(from)) => {
                    format!("status of {} before {from} (its start is not confirmed)", meta.id)
                }
            };
            if !out.contains(&m) {
                out.push(m);
            }
        }
        out
    }

    /// The warnings of rules that match but whose status after a date is not confirmed, and
    /// those rules gave whatever the verdict, once each.
    pub fn status_warnings_text(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::with_capacity(self.status.len());
        for s in &self.status {
            let w = match s {
                Status::Unconfirmed(meta, Unconfirmed::After(until)) => format!(
                    "{} matches this transaction, but its status after {until} is not confirmed by the sources ({})",
                    meta.id, meta.source
                ),
                Status::Unconfirmed(meta, Unconfirmed::Before(from)) => format!(
                    "{} may match this transaction, but the sources do not confirm that it binds before {from}: its start is unconfirmed from {} to the day before ({}){}",
                    meta.id,
                    meta.period.from,
                    meta.source,
                    meta.unverified.as_deref().map_or_else(String::new, |u| format!("; {u}"))
                ),
                Status::Warning(w) => w.text(),
            };
            if !out.contains(&w) {
                out.push(w);
            }
        }
        out
    }

    /// The trace, written out: each rule tested with its comparisons (values read from the
    /// product, or from the unit of a computer each was made on) and its reasons.
    pub fn trace_entries(&self, f: &Facts<'r>, params: Stamped<'_>, unit_params: &[Truth]) -> Vec<TraceEntry> {
        let w = self.trace_writer(f, params, unit_params);
        let mut out = Vec::with_capacity(self.trace.len());
        out.extend(w.entries().map(|e| TraceEntry {
            rule: e.rule.clone(),
            kind: e.t.kind,
            result: e.result,
            comparisons: e.comparisons().collect(),
            notes: e.notes().collect(),
            source: e.source.clone(),
        }));
        out
    }

    /// The trace as [`Recorder::trace_entries`] writes it, written only as it is serialised
    /// (each entry's strings made, serialised and dropped in turn; the rule ids and citations
    /// borrowed from the pack). Serialises exactly as the `Vec<TraceEntry>` of
    /// [`Recorder::trace_entries`].
    pub fn trace_writer<'a>(
        &'a self,
        f: &'a Facts<'r>,
        params: Stamped<'a>,
        unit_params: &'a [Truth],
    ) -> TraceWriter<'a, 'r> {
        TraceWriter { rec: self, f, params, unit_params }
    }
}

/// The trace of a [`Recorder`], written entry by entry ([`Recorder::trace_writer`]).
pub(crate) struct TraceWriter<'a, 'r> {
    rec: &'a Recorder<'r>,
    f: &'a Facts<'r>,
    params: Stamped<'a>,
    unit_params: &'a [Truth],
}

/// One rule tested, as the trace shows it, its comparisons and notes written when read.
pub(crate) struct TraceItem<'w, 'a, 'r> {
    w: &'w TraceWriter<'a, 'r>,
    t: &'a Traced<'r>,
    /// Rule id.
    pub rule: &'r String,
    /// Rule kind.
    pub kind: &'static str,
    /// Outcome.
    pub result: Truth,
    /// Citation.
    pub source: &'r String,
}

impl<'a, 'r> TraceWriter<'a, 'r> {
    /// Each rule traced whose metadata the pack holds, in the order tested.
    pub(crate) fn entries<'w>(&'w self) -> impl Iterator<Item = TraceItem<'w, 'a, 'r>> + 'w {
        self.rec.trace.iter().filter_map(move |t| {
            let meta = self.rec.meta(t.kind, t.index)?;
            Some(TraceItem {
                w: self,
                t,
                rule: &meta.id,
                kind: t.kind.as_str(),
                result: t.result,
                source: &meta.source,
            })
        })
    }

    /// Comparison `leaf`, made on the product or on unit `unit` of a computer, with its values.
    fn compared(&self, leaf: &Leaf<'r>, unit: Option<u32>) -> Option<Comparison> {
        let rules = self.rec.rules;
        let f = self.f;
        let units = f.units();
        let Some((k, u)) = unit.and_then(|k| Some((k as usize, units.get(k as usize)?))) else {
            let env = ProductEnv { rules, product: f.product, exporter: f.exporter, params: self.params };
            return leaf.render(&env);
        };
        let per = rules.classifications.len();
        let up = self.unit_params.get(k * per..(k + 1) * per).unwrap_or(&[]);
        let uenv = ProductEnv { rules, product: &u.product, exporter: f.exporter, params: up };
        let mut c = leaf.render(&uenv)?;
        c.expr = format!("{}: {}", u.label(), c.expr);
        Some(c)
    }
}

impl TraceWriter<'_, '_> {
    /// Comparison `leaf` written to `out` as [`TraceWriter::compared`] gives it ([`Leaf::write_texts`]),
    /// without making its strings; `Ok(false)`, writing nothing, when that gives `None`.
    fn write_compared<W: TextsOut + ?Sized>(
        &self,
        leaf: &Leaf<'_>,
        unit: Option<u32>,
        out: &mut W,
    ) -> Result<bool, std::fmt::Error> {
        let rules = self.rec.rules;
        let f = self.f;
        let units = f.units();
        let Some((k, u)) = unit.and_then(|k| Some((k as usize, units.get(k as usize)?))) else {
            let env = ProductEnv { rules, product: f.product, exporter: f.exporter, params: self.params };
            return leaf.write_texts(&env, None, out);
        };
        let per = rules.classifications.len();
        let up = self.unit_params.get(k * per..(k + 1) * per).unwrap_or(&[]);
        let uenv = ProductEnv { rules, product: &u.product, exporter: f.exporter, params: up };
        leaf.write_texts(&uenv, Some(&u.label()), out)
    }
}

impl<'w, 'a, 'r> TraceItem<'w, 'a, 'r> {
    /// Writes its comparisons to `out` one after the other, as [`TraceItem::comparisons`]
    /// gives them ([`Leaf::write_texts`]); returns how many.
    ///
    /// # Errors
    /// The first error of `out` (none when it writes to memory).
    pub(crate) fn write_comparisons<W: TextsOut + ?Sized>(&self, out: &mut W) -> Result<usize, std::fmt::Error> {
        let (w, range) = (self.w, self.t.leaves.clone());
        let leaves = w.rec.leaves.get(range.clone()).unwrap_or_default();
        let units = w.rec.leaf_units.get(range).unwrap_or_default();
        let mut n = 0;
        for (l, &u) in leaves.iter().zip(units) {
            n += usize::from(w.write_compared(l, u, out)?);
        }
        Ok(n)
    }

    /// The rule's kind and its index among the pack's rules of that kind.
    pub(crate) fn rule_index(&self) -> (RuleKind, usize) {
        (self.t.kind, self.t.index)
    }

    /// Its comparisons, with values.
    pub(crate) fn comparisons(&self) -> impl Iterator<Item = Comparison> + 'w {
        let (w, range) = (self.w, self.t.leaves.clone());
        let leaves = w.rec.leaves.get(range.clone()).unwrap_or_default();
        let units = w.rec.leaf_units.get(range).unwrap_or_default();
        leaves.iter().zip(units).filter_map(move |(l, &u)| w.compared(l, u))
    }

    /// Its notes: the note of its destination when not the one given, then its reasons.
    fn notes(&self) -> impl Iterator<Item = String> + 'w {
        let rec = self.w.rec;
        let reasons = rec.reasons.get(self.t.reasons.clone()).unwrap_or_default();
        let why = self.t.why.map(|(c, p)| Reason::ForDestination(c, p).text());
        why.into_iter().chain(reasons.iter().map(Reason::text))
    }

    /// Its notes as [`TraceItem::notes`] gives them, each serialised as its text without being
    /// made a string first ([`Note`]).
    pub(crate) fn notes_shown(&self) -> impl Iterator<Item = Note<'a, 'r>> + 'w {
        let rec = self.w.rec;
        let reasons = rec.reasons.get(self.t.reasons.clone()).unwrap_or_default();
        let why = self.t.why.map(|(c, p)| Note(std::borrow::Cow::Owned(Reason::ForDestination(c, p))));
        why.into_iter().chain(reasons.iter().map(|r| Note(std::borrow::Cow::Borrowed(r))))
    }
}

/// A reason serialised as its text ([`Reason::text`]), written by the serializer from its
/// `Display` (`collect_str`): `serde_json` writes it into its output as it is formatted.
pub(crate) struct Note<'a, 'r>(std::borrow::Cow<'a, Reason<'r>>);

/// The reason's text ([`Reason::text`]), as the note is serialised.
impl std::fmt::Display for Note<'_, '_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(&*self.0, f)
    }
}

impl serde::Serialize for Note<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&*self.0)
    }
}

/// Serialises as the `Vec<TraceEntry>` of [`Recorder::trace_entries`].
impl serde::Serialize for TraceWriter<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.entries())
    }
}

/// Serialises as the [`TraceEntry`] it stands for: the same fields in the same order.
impl serde::Serialize for TraceItem<'_, '_, '_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        /// A sequence written from an iterator when serialised (once).
        struct Seq<I>(std::cell::Cell<Option<I>>);
        impl<I: Iterator<Item = T>, T: serde::Serialize> serde::Serialize for Seq<I> {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_seq(self.0.take().into_iter().flatten())
            }
        }
        let mut s = serializer.serialize_struct("TraceEntry", 6)?;
        s.serialize_field("rule", self.rule)?;
        s.serialize_field("kind", self.kind)?;
        s.serialize_field("result", &self.result)?;
        s.serialize_field("comparisons", &Seq(std::cell::Cell::new(Some(self.comparisons()))))?;
        s.serialize_field("notes", &Seq(std::cell::Cell::new(Some(self.notes_shown()))))?;
        s.serialize_field("source", self.source)?;
        s.end()
    }
}

/// Moves `items` to the end of `to`, returning where they are (nothing is done when there
/// are none).
fn append<T>(to: &mut Vec<T>, items: &mut Vec<T>) -> Range<usize> {
    let start = to.len();
    if !items.is_empty() {
        to.append(items);
    }
    start..to.len()
}

impl<'r> Sink<'r> for Recorder<'r> {
    type Notes = RuleNotes<'r>;
    const EXPLAINS: bool = true;

    fn notes(&mut self, kind: RuleKind) -> RuleNotes<'r> {
        let keep_reasons = self.trace_on || kind == RuleKind::LicenseRequirement;
        match self.pool.pop() {
            Some(mut n) => {
                n.keep_reasons = keep_reasons;
                n.keep_comparisons = self.trace_on;
                n
            }
            None => RuleNotes::empty(keep_reasons, self.trace_on),
        }
    }

    fn fact_missing(&mut self, m: Missing<'r>) {
        self.missing_facts.push(Fact::Missing(m));
    }

    fn rule(&mut self, kind: RuleKind, i: usize, t: Truth, mut n: RuleNotes<'r>) {
        // Most rules record comparisons and reasons only: each list is touched only when it
        // holds something (draining an empty one into another costs about 30 instructions,
        // and this runs for every rule in force; callgrind).
        let b = &mut *n.b;
        if !b.unknown_attrs.is_empty() {
            self.missing_attrs.extend(b.unknown_attrs.drain(..));
        }
        self.parties_not_given |= b.parties_not_given;
        if t == Truth::Unknown && !b.missing.is_empty() {
            self.missing_facts.extend(b.missing.drain(..).map(Fact::Missing));
        }
        if let Some((meta, what, decides)) = b.unconfirmed.take() {
            self.status.push(Status::Unconfirmed(meta, what));
            if decides {
                self.missing_facts.push(Fact::Status(meta, what));
            }
        }
        if !b.warnings.is_empty() {
            self.status.extend(b.warnings.drain(..).map(Status::Warning));
        }
        let why = self.why.filter(|_| !matches!(kind, RuleKind::Classification | RuleKind::Exclusion));
        let found = kind == RuleKind::LicenseRequirement && t != Truth::False;
        if found || self.trace_on {
            let reasons = append(&mut self.reasons, &mut b.reasons);
            if found {
                let entries = if b.entries.is_empty() { Vec::new() } else { std::mem::take(&mut b.entries) };
                self.found.push(Found { leg: self.leg, index: i, why, reasons: reasons.clone(), entries });
            }
            if self.trace_on {
                let leaves = append(&mut self.leaves, &mut b.leaves);
                if !b.leaf_units.is_empty() {
                    self.leaf_units.append(&mut b.leaf_units);
                }
                self.trace.push(Traced { kind, index: i, result: t, leaves, reasons, why });
            }
        }
        b.clear();
        self.pool.push(n);
    }
}
