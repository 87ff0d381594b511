//! The recording sink: what the evaluation core found for each rule, kept as rule indexes,
//! unformatted comparisons ([`Leaf`]) and typed reasons ([`Reason`]), and written out as text
//! only when the determination is shown or serialised ([`Recorder::trace_entries`] and the
//! other `*_text` methods).

use std::collections::BTreeSet;
use std::ops::Range;

use super::core::destination_reasons;
use super::core::missing::{Missing, Warning};
use super::core::reason::Reason;
use super::core::sink::{Notes, RuleKind, Sink, Unconfirmed};
use super::core::{Facts, ProductEnv, Stamped};
use super::determination::TraceEntry;
use crate::model::{Country, Party};
use crate::ruleset::condition::{Comparison, Env, Expr, Leaf, Program, TextsOut, Truth};
use crate::ruleset::index::EpochData;
use crate::ruleset::vocabulary::Attr;
use crate::ruleset::{ListEntry, RuleMeta, RuleSet};

/// What one rule's test found, recorded. Taken from the recorder's pool and given back when
/// the rule is recorded, so that its buffers are reused from rule to rule, and from
/// determination to determination on a thread ([`SpareNotes`]; boxed, so that handing them on
/// moves a pointer).
pub(crate) struct RuleNotes<'r> {
    /// Whether reasons are kept (they are read only in the trace and in a requirement's
    /// basis).
    keep_reasons: bool,
    /// Whether comparisons are recorded (the trace is on).
    keep_comparisons: bool,
    b: Box<Buffers<'r>>,
}

/// The buffers of [`RuleNotes`]: the comparisons and reasons most rules give, and the rest,
/// which few give, apart ([`Rare`]: looked at only when `any_rare` says it holds something).
#[derive(Default)]
struct Buffers<'r> {
    /// The conditions evaluated, each with the unit of a computer it was evaluated on
    /// (`None`: the product): their comparisons are found again when shown.
    conds: Vec<Cond<'r>>,
    reasons: Vec<Reason<'r>>,
    /// Whether `rare` may hold something.
    any_rare: bool,
    rare: Rare<'r>,
}

/// What few rules' notes hold: missing facts, screening-list entries, unknown attributes,
/// an unconfirmed status, warnings, parties not given.
#[derive(Default)]
struct Rare<'r> {
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
}

/// The buffers of a recorder, emptied, kept per thread for the next determination (the
/// lifetime of what they held erased, as they hold nothing).
#[derive(Default)]
struct Arenas {
    trace: Vec<Traced<'static>>,
    conds: Vec<Cond<'static>>,
    reasons: Vec<Reason<'static>>,
    pool: Vec<RuleNotes<'static>>,
    /// The buffers of the notes of the recorder's pool.
    notes: Vec<SpareNotes>,
}

/// The buffers of one [`RuleNotes`]' comparisons and reasons, emptied, kept for the next
/// determination (its box cannot be given another lifetime, its vectors can: [`recycle`]; the
/// rare notes are let go). Making the notes' box again costs less than growing their vectors
/// again from empty (callgrind).
struct SpareNotes {
    conds: Vec<Cond<'static>>,
    reasons: Vec<Reason<'static>>,
}

impl SpareNotes {
    /// The buffers of `n`, emptied.
    fn of(mut n: RuleNotes<'_>) -> SpareNotes {
        let b = &mut *n.b;
        SpareNotes { conds: recycle(std::mem::take(&mut b.conds)), reasons: recycle(std::mem::take(&mut b.reasons)) }
    }
}

thread_local! {
    /// The buffers of the last recorder dropped on this thread.
    static SPARE_ARENAS: std::cell::Cell<Option<Arenas>> = const { std::cell::Cell::new(None) };
}

/// `v` emptied, as a vector of `U` in the same allocation when `T` and `U` have the same size
/// and alignment (here: the same type borrowing for another lifetime), which the standard
/// library's in-place collection guarantees in practice; otherwise a new, empty vector.
fn recycle<T, U>(mut v: Vec<T>) -> Vec<U> {
    if v.capacity() == 0 {
        return Vec::new();
    }
    v.clear();
    v.into_iter().filter_map(|_| None).collect()
}

/// Gives the recorder's buffers back to the thread, emptied, for the next determination.
impl Drop for Recorder<'_> {
    fn drop(&mut self) {
        // The notes' buffers are carried over, not the notes: each is boxed, and a box cannot
        // be given another lifetime.
        let mut notes = std::mem::take(&mut self.spare);
        notes.extend(self.pool.drain(..).map(SpareNotes::of));
        let arenas = Arenas {
            trace: recycle(std::mem::take(&mut self.trace)),
            conds: recycle(std::mem::take(&mut self.conds)),
            reasons: recycle(std::mem::take(&mut self.reasons)),
            pool: recycle(std::mem::take(&mut self.pool)),
            notes,
        };
        // Nothing to keep once the thread is ending.
        let _ = SPARE_ARENAS.try_with(|spare| spare.set(Some(arenas)));
    }
}

impl Rare<'_> {
    /// Empties the notes, keeping their buffers.
    fn clear(&mut self) {
        // Warnings own their text when written out at once: their elements are dropped one
        // by one, so an empty list is not walked (missing facts own none).
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
        self.b.any_rare = true;
        self.b.rare.missing.push(m);
    }
    fn entry(&mut self, e: &'r ListEntry) {
        self.b.any_rare = true;
        self.b.rare.entries.push(e);
    }
    fn eval<E: Env + ?Sized>(&mut self, when: &'r Expr, env: &E, unit: Option<u32>) -> Truth {
        // The condition and where it was evaluated are kept, not its comparisons: they are
        // found again from the same environment when shown ([`TraceItem::write_comparisons`]).
        if self.keep_comparisons {
            self.b.conds.push(Cond { when, unit });
        }
        when.truth(env)
    }
    fn eval_program<E: Env + ?Sized>(
        &mut self,
        when: &'r Expr,
        program: Option<&Program>,
        env: &E,
        unit: Option<u32>,
    ) -> Truth {
        if self.keep_comparisons {
            self.b.conds.push(Cond { when, unit });
        }
        // The flat code gives the tree's truth (`tests/condition_walker.rs`).
        match program {
            Some(p) => p.truth(env),
            None => when.truth(env),
        }
    }
    fn unknown_attrs(&mut self, when: &Expr, env: &dyn Env, unit: Option<u32>) {
        self.b.any_rare = true;
        let r = &mut self.b.rare;
        r.attrs.clear();
        when.unknown_attrs(env, &mut r.attrs);
        r.unknown_attrs.extend(r.attrs.iter().map(|&a| (unit, a)));
    }
    fn unconfirmed(&mut self, meta: &'r RuleMeta, what: Unconfirmed, decides: bool) {
        // Fail closed: a requirement or exception whose status is unconfirmed may or may not
        // be in force; if that changes the outcome, the verdict is indeterminate, otherwise
        // a warning says so.
        self.b.any_rare = true;
        self.b.rare.unconfirmed = Some((meta, what, decides));
    }
    fn warning(&mut self, w: Warning<'r>) {
        self.b.any_rare = true;
        self.b.rare.warnings.push(w);
    }
    fn parties_not_given(&mut self) {
        self.b.any_rare = true;
        self.b.rare.parties_not_given = true;
    }
    fn absorb(&mut self, other: &mut Self, notes: bool, missing: bool) {
        if notes {
            self.b.reasons.append(&mut other.b.reasons);
            if !other.b.rare.entries.is_empty() {
                self.b.any_rare = true;
                self.b.rare.entries.append(&mut other.b.rare.entries);
            }
        }
        if missing && !other.b.rare.missing.is_empty() {
            self.b.any_rare = true;
            self.b.rare.missing.append(&mut other.b.rare.missing);
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
    /// Its conditions evaluated, in the recorder's conditions.
    conds: Range<usize>,
    /// Its reasons, in the recorder's reasons, after `why` when there is one.
    reasons: Range<usize>,
    why: Option<(Country, &'r Party)>,
}

/// A condition a rule's test evaluated, and where: on the product (`unit` `None`) or on unit
/// `unit` of a computer. Its comparisons are not kept: evaluated again on the same
/// environment with every part recorded ([`Expr::eval_recorded`]) when shown, they are the
/// comparisons it made (the environment is the product's, the query's exporter and the
/// classification's parameters, all fixed once the determination is made; a `meets(...)` reads
/// only paragraphs decided before the rule, in dependency order).
#[derive(Clone, Copy)]
struct Cond<'r> {
    when: &'r Expr,
    unit: Option<u32>,
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
    /// The conditions every rule traced evaluated, and the unit each was evaluated on.
    conds: Vec<Cond<'r>>,
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
    /// The buffers of the last determination's notes not yet made notes again, and the list
    /// the pool's are given back to the thread in.
    spare: Vec<SpareNotes>,
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
        let mut conds: Vec<Cond<'r>> = recycle(spare.conds);
        let mut reasons: Vec<Reason<'r>> = recycle(spare.reasons);
        if trace_on {
            trace.reserve(traced);
            conds.reserve(traced);
            reasons.reserve(2 * traced);
        } else {
            reasons.reserve(16);
        }
        Recorder {
            rules,
            trace_on,
            trace,
            conds,
            reasons,
            missing_attrs: BTreeSet::new(),
            missing_facts: Vec::new(),
            status: Vec::new(),
            parties_not_given: false,
            found: Vec::new(),
            leg: 0,
            why: None,
            pool: recycle(spare.pool),
            spare: spare.notes,
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

    /// The reasons of `range` as shown (each [`Reason::Destination`] expanded in `epoch`, the
    /// epoch of the date), after the note of the destination `why` when there is one.
    fn reasons_text(&self, why: Option<(Country, &'r Party)>, range: &Range<usize>, epoch: &EpochData) -> Vec<String> {
        let reasons = self.reasons.get(range.clone()).unwrap_or_default();
        let mut out = Vec::with_capacity(shown_len(reasons) + usize::from(why.is_some()));
        out.extend(why.map(|(c, p)| Reason::ForDestination(c, p).text()));
        let _ = each_shown(self.rules, epoch, reasons, &mut |r| {
            out.push(r.text());
            Ok::<(), ()>(())
        });
        out
    }

    /// Why requirement `found` applies to its destination, as its `destination_basis` says
    /// (`f`: the facts of the determination, for the epoch of its date).
    pub fn basis(&self, found: &Found<'r>, f: &Facts<'_>) -> Vec<String> {
        self.reasons_text(found.why, &found.reasons, &f.epoch.data)
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
            comparisons: e.comparisons(),
            notes: e.notes(),
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
        TraceWriter { rec: self, f, params, unit_params, leaves: std::cell::RefCell::new(Vec::new()) }
    }
}

/// The trace of a [`Recorder`], written entry by entry ([`Recorder::trace_writer`]).
pub(crate) struct TraceWriter<'a, 'r> {
    rec: &'a Recorder<'r>,
    f: &'a Facts<'r>,
    params: Stamped<'a>,
    unit_params: &'a [Truth],
    /// The comparisons of the condition being shown (reused from condition to condition).
    leaves: std::cell::RefCell<Vec<Leaf<'r>>>,
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

    /// Gives `each` the comparisons of condition `c` in turn, with their values (found again
    /// by evaluating it, every part, on the environment it was evaluated on: the product, or a
    /// unit of a computer), after telling `room` how many it may give at most; stops at the
    /// first error.
    fn compared<E>(
        &self,
        c: &Cond<'r>,
        each: &mut impl FnMut(Comparison) -> Result<(), E>,
        room: impl FnOnce(usize),
    ) -> Result<(), E> {
        let rules = self.rec.rules;
        let f = self.f;
        let units = f.units();
        let mut leaves = self.leaves.borrow_mut();
        leaves.clear();
        let Some((k, u)) = c.unit.and_then(|k| Some((k as usize, units.get(k as usize)?))) else {
            let env = ProductEnv { rules, product: f.product, exporter: f.exporter, params: self.params };
            c.when.eval_recorded(&env, &mut leaves);
            room(leaves.len());
            for l in leaves.iter() {
                if let Some(c) = l.render(&env) {
                    each(c)?;
                }
            }
            return Ok(());
        };
        let per = rules.classifications.len();
        let up = self.unit_params.get(k * per..(k + 1) * per).unwrap_or(&[]);
        let uenv = ProductEnv { rules, product: &u.product, exporter: f.exporter, params: up };
        c.when.eval_recorded(&uenv, &mut leaves);
        room(leaves.len());
        for l in leaves.iter() {
            if let Some(mut c) = l.render(&uenv) {
                c.expr = format!("{}: {}", u.label(), c.expr);
                each(c)?;
            }
        }
        Ok(())
    }

    /// The comparisons of condition `c` written to `out` as [`TraceWriter::compared`] gives
    /// them ([`Leaf::write_texts`]), without making their strings; returns how many.
    fn write_compared<W: TextsOut + ?Sized>(&self, c: &Cond<'r>, out: &mut W) -> Result<usize, std::fmt::Error> {
        let rules = self.rec.rules;
        let f = self.f;
        let units = f.units();
        let mut leaves = self.leaves.borrow_mut();
        leaves.clear();
        let mut n = 0;
        let Some((k, u)) = c.unit.and_then(|k| Some((k as usize, units.get(k as usize)?))) else {
            let env = ProductEnv { rules, product: f.product, exporter: f.exporter, params: self.params };
            c.when.eval_recorded(&env, &mut leaves);
            for l in leaves.iter() {
                n += usize::from(l.write_texts(&env, None, out)?);
            }
            return Ok(n);
        };
        let per = rules.classifications.len();
        let up = self.unit_params.get(k * per..(k + 1) * per).unwrap_or(&[]);
        let uenv = ProductEnv { rules, product: &u.product, exporter: f.exporter, params: up };
        c.when.eval_recorded(&uenv, &mut leaves);
        let label = u.label();
        for l in leaves.iter() {
            n += usize::from(l.write_texts(&uenv, Some(&label), out)?);
        }
        Ok(n)
    }
}

impl<'w, 'a, 'r> TraceItem<'w, 'a, 'r> {
    /// Writes its comparisons to `out` one after the other, as [`TraceItem::comparisons`]
    /// gives them ([`Leaf::write_texts`]); returns how many.
    ///
    /// # Errors
    /// The first error of `out` (none when it writes to memory).
    pub(crate) fn write_comparisons<W: TextsOut + ?Sized>(&self, out: &mut W) -> Result<usize, std::fmt::Error> {
        let w = self.w;
        let mut n = 0;
        for c in w.rec.conds.get(self.t.conds.clone()).unwrap_or_default() {
            n += w.write_compared(c, out)?;
        }
        Ok(n)
    }

    /// The rule's kind and its index among the pack's rules of that kind.
    pub(crate) fn rule_index(&self) -> (RuleKind, usize) {
        (self.t.kind, self.t.index)
    }

    /// Gives `each` its comparisons in turn, with values; stops at the first error.
    ///
    /// # Errors
    /// The first error of `each`.
    pub(crate) fn each_comparison<E>(&self, mut each: impl FnMut(Comparison) -> Result<(), E>) -> Result<(), E> {
        let w = self.w;
        for c in w.rec.conds.get(self.t.conds.clone()).unwrap_or_default() {
            w.compared(c, &mut each, |_| {})?;
        }
        Ok(())
    }

    /// Its comparisons, with values. The list is sized for each condition once it is walked
    /// again (as many as its flag reads and comparisons), not grown from empty.
    pub(crate) fn comparisons(&self) -> Vec<Comparison> {
        let w = self.w;
        let mut out: Vec<Comparison> = Vec::new();
        for c in w.rec.conds.get(self.t.conds.clone()).unwrap_or_default() {
            let room = std::cell::Cell::new(0);
            let _ = w.compared(
                c,
                &mut |c| {
                    if room.get() > 0 {
                        out.reserve_exact(room.replace(0));
                    }
                    out.push(c);
                    Ok::<(), ()>(())
                },
                |n| room.set(n),
            );
        }
        out
    }

    /// Its notes: the note of its destination when not the one given, then its reasons.
    fn notes(&self) -> Vec<String> {
        let reasons = self.w.rec.reasons.get(self.t.reasons.clone()).unwrap_or_default();
        let mut out = Vec::with_capacity(usize::from(self.t.why.is_some()) + shown_len(reasons));
        let _ = self.each_note(|n| {
            out.push(n.0.text());
            Ok::<(), ()>(())
        });
        out
    }

    /// Gives `each` its notes in turn, as [`TraceItem::notes`] gives them, each serialised as its
    /// text without being made a string first ([`Note`]); stops at the first error.
    ///
    /// # Errors
    /// The first error of `each`.
    pub(crate) fn each_note<E>(&self, mut each: impl FnMut(Note<'_, 'r>) -> Result<(), E>) -> Result<(), E> {
        let w = self.w;
        if let Some((c, p)) = self.t.why {
            each(Note(&Reason::ForDestination(c, p)))?;
        }
        let reasons = w.rec.reasons.get(self.t.reasons.clone()).unwrap_or_default();
        each_shown(w.rec.rules, &w.f.epoch.data, reasons, &mut |r| each(Note(r)))
    }
}

/// About how many reasons `reasons` are when shown (each [`Reason::Destination`] counted as
/// the few it usually stands for), to size a list of them.
fn shown_len(reasons: &[Reason<'_>]) -> usize {
    reasons.iter().map(|r| if matches!(r, Reason::Destination(_)) { 3 } else { 1 }).sum()
}

/// Gives `each` the reasons of `reasons` as shown, in turn: each as recorded, but a
/// [`Reason::Destination`] as the reasons it stands for in `epoch` (the epoch of the date;
/// [`destination_reasons`]); stops at the first error.
fn each_shown<'r, E>(
    rules: &'r RuleSet,
    epoch: &EpochData,
    reasons: &[Reason<'r>],
    each: &mut impl FnMut(&Reason<'r>) -> Result<(), E>,
) -> Result<(), E> {
    for r in reasons {
        match r {
            Reason::Destination(d) => destination_reasons(rules, epoch, *d, each)?,
            r => each(r)?,
        }
    }
    Ok(())
}

/// A reason serialised as its text ([`Reason::text`]), written by the serializer from its
/// `Display` (`collect_str`): `serde_json` writes it into its output as it is formatted.
pub(crate) struct Note<'a, 'r>(&'a Reason<'r>);

/// The reason's text ([`Reason::text`]), as the note is serialised.
impl std::fmt::Display for Note<'_, '_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(self.0, f)
    }
}

impl serde::Serialize for Note<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self.0)
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
        use serde::ser::SerializeSeq;
        use serde::ser::SerializeStruct;
        /// Its comparisons, serialised as a sequence.
        struct Comparisons<'i, 'w, 'a, 'r>(&'i TraceItem<'w, 'a, 'r>);
        impl serde::Serialize for Comparisons<'_, '_, '_, '_> {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut seq = serializer.serialize_seq(None)?;
                self.0.each_comparison(|c| seq.serialize_element(&c))?;
                seq.end()
            }
        }
        /// Its notes, serialised as a sequence of their texts.
        struct Notes<'i, 'w, 'a, 'r>(&'i TraceItem<'w, 'a, 'r>);
        impl serde::Serialize for Notes<'_, '_, '_, '_> {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut seq = serializer.serialize_seq(None)?;
                self.0.each_note(|n| seq.serialize_element(&n))?;
                seq.end()
            }
        }
        let mut s = serializer.serialize_struct("TraceEntry", 6)?;
        s.serialize_field("rule", self.rule)?;
        s.serialize_field("kind", self.kind)?;
        s.serialize_field("result", &self.result)?;
        s.serialize_field("comparisons", &Comparisons(self))?;
        s.serialize_field("notes", &Notes(self))?;
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

impl<'r> Recorder<'r> {
    /// New notes, in the buffers of the last determination's when some are left (the pool is
    /// empty: a few per determination).
    #[cold]
    #[inline(never)]
    fn new_notes(&mut self, keep_reasons: bool) -> RuleNotes<'r> {
        let mut n = RuleNotes::empty(keep_reasons, self.trace_on);
        if let Some(b) = self.spare.pop() {
            n.b.conds = recycle(b.conds);
            n.b.reasons = recycle(b.reasons);
        }
        n
    }

    /// Takes what a rule's rare notes hold (`t`: its truth; `found`: a requirement that applies
    /// or may apply, whose screening-list entries are returned).
    #[inline(never)]
    fn rare(&mut self, t: Truth, found: bool, r: &mut Rare<'r>) -> Vec<&'r ListEntry> {
        if !r.unknown_attrs.is_empty() {
            self.missing_attrs.extend(r.unknown_attrs.drain(..));
        }
        self.parties_not_given |= r.parties_not_given;
        if t == Truth::Unknown && !r.missing.is_empty() {
            self.missing_facts.extend(r.missing.drain(..).map(Fact::Missing));
        }
        if let Some((meta, what, decides)) = r.unconfirmed.take() {
            self.status.push(Status::Unconfirmed(meta, what));
            if decides {
                self.missing_facts.push(Fact::Status(meta, what));
            }
        }
        if !r.warnings.is_empty() {
            self.status.extend(r.warnings.drain(..).map(Status::Warning));
        }
        if found && !r.entries.is_empty() { std::mem::take(&mut r.entries) } else { Vec::new() }
    }
}

impl<'r> Sink<'r> for Recorder<'r> {
    type Notes = RuleNotes<'r>;
    const EXPLAINS: bool = true;

    #[inline]
    fn notes(&mut self, kind: RuleKind) -> RuleNotes<'r> {
        let keep_reasons = self.trace_on || kind == RuleKind::LicenseRequirement;
        match self.pool.pop() {
            Some(mut n) => {
                n.keep_reasons = keep_reasons;
                n.keep_comparisons = self.trace_on;
                n
            }
            None => self.new_notes(keep_reasons),
        }
    }

    fn fact_missing(&mut self, m: Missing<'r>) {
        self.missing_facts.push(Fact::Missing(m));
    }

    fn rule(&mut self, kind: RuleKind, i: usize, t: Truth, mut n: RuleNotes<'r>) {
        // Most rules record comparisons and reasons only: the rest is looked at only when the
        // notes hold some (this runs for every rule in force; callgrind).
        let b = &mut *n.b;
        let found = kind == RuleKind::LicenseRequirement && t != Truth::False;
        let entries = if b.any_rare { self.rare(t, found, &mut b.rare) } else { Vec::new() };
        if found || self.trace_on {
            let why = self.why.filter(|_| !matches!(kind, RuleKind::Classification | RuleKind::Exclusion));
            let reasons = append(&mut self.reasons, &mut b.reasons);
            if found {
                self.found.push(Found { leg: self.leg, index: i, why, reasons: reasons.clone(), entries });
            }
            if self.trace_on {
                let conds = append(&mut self.conds, &mut b.conds);
                self.trace.push(Traced { kind, index: i, result: t, conds, reasons, why });
            }
        }
        b.conds.clear();
        // Reasons own their text when written out at once: their elements are dropped one by
        // one, so an empty list is not walked.
        if !b.reasons.is_empty() {
            b.reasons.clear();
        }
        if b.any_rare {
            b.rare.clear();
            b.any_rare = false;
        }
        self.pool.push(n);
    }
}
