//! Working memory of the core, reused from one decision to the next so that deciding
//! allocates nothing once it has grown to the pack's size.

use crate::ruleset::RuleSet;
use crate::ruleset::condition::Truth;

/// Working memory of the fast path, reused from one decision to the next so that deciding
/// allocates nothing once it has grown to the pack's size. One per thread. After
/// [`CompiledPack::decide`](crate::CompiledPack::decide), it also tells which paragraphs and
/// requirements matched.
#[derive(Debug, Clone, Default)]
pub struct Scratch {
    /// The pack of the last decision (0: none).
    pub(crate) pack: u64,
    pub(crate) stamp: u32,
    /// Per classification rule: its parameters (`when` and no exclusion).
    pub(crate) params: Vec<(u32, Truth)>,
    /// Classification rules that hold (one bit per rule) and that may hold.
    pub(crate) class_true: Vec<u64>,
    pub(crate) class_unknown: Vec<u64>,
    pub(crate) excluded: Vec<(u32, Truth)>,
    pub(crate) requirements: Vec<(u32, Truth)>,
    pub(crate) exceptions: Vec<(u32, Truth)>,
    /// Whether a licence exception tested for the destination being decided is available or
    /// possibly available (its truth in `exceptions` not false). When none is, no requirement
    /// is overcome: [`overcome`](super::overcome) and [`Scratch::collect_found`] read no
    /// exception links (six for 742.6(a)(6)(iii) on the shipped pack: about 140 instructions
    /// per decision of H100 to China, callgrind).
    pub(crate) exceptions_open: bool,
    /// Requirements that apply or may apply, in pack order.
    pub(crate) applied: Vec<u32>,
    /// Requirements that apply or may apply for any destination of the decision, with their
    /// truth (the strongest over the destinations), in the order found.
    pub(crate) found: Vec<(u32, Truth)>,
    /// Licence exceptions available or possibly available that overcome a requirement found,
    /// for any destination of the decision, with their truth (the strongest over the
    /// destinations), in the order found.
    pub(crate) found_exceptions: Vec<(u32, Truth)>,
    /// The kinds of missing fact of the last fast decision.
    pub(crate) missing: super::MissingKinds,
    pub(crate) candidates: Vec<u32>,
    /// Paragraphs that classify the product, in pack order.
    pub(crate) paragraphs: Vec<u32>,
    /// For a computer: each unit's parameters per classification rule (unit-major).
    pub(crate) unit_params: Vec<Truth>,
    /// For a computer: each unit's exclusions already tested (unit-major).
    pub(crate) unit_excluded: Vec<Option<Truth>>,
    /// An index named a rule the pack does not have: the decision cannot be trusted and is
    /// indeterminate (never happens with a pack built by the loader).
    pub(crate) corrupt: bool,
    /// The product's declared ECCN names paragraphs the figures do not reach: they were left
    /// open (`declared::reconcile`).
    pub(crate) declared_open: bool,
    /// The last date whose epoch was looked up in a pack's index, with that pack and the
    /// epoch's number ([`Scratch::epoch_in`]): decisions usually come many to a date.
    pub(crate) last_epoch: Option<(u64, crate::date::Date, usize)>,
}

/// A truth stamped with the decision that wrote it: a slot written by an earlier decision
/// reads as false.
pub(crate) fn get(v: &[(u32, Truth)], stamp: u32, i: usize) -> Truth {
    match v.get(i) {
        Some(&(s, t)) if s == stamp => t,
        _ => Truth::False,
    }
}

pub(crate) fn set(v: &mut [(u32, Truth)], stamp: u32, i: usize, t: Truth) {
    if let Some(slot) = v.get_mut(i) {
        *slot = (stamp, t);
    }
}

/// Zeroes `words`. A pack of up to 64 paragraphs has one word, written without the call to
/// `memset` that `fill` makes (about 15 instructions per decision and vector, callgrind).
fn clear_words(words: &mut [u64]) {
    if let [w] = words {
        *w = 0;
    } else {
        words.fill(0);
    }
}

/// Copies `src` into `dst`, of the same length: one word without the call to `memcpy` that
/// `copy_from_slice` makes (as [`clear_words`]).
#[inline]
pub(crate) fn copy_words(dst: &mut [u64], src: &[u64]) {
    match (dst, src) {
        ([d], [x]) => *d = *x,
        (dst, src) => dst.copy_from_slice(src),
    }
}

/// Whether bit `i` is set.
pub(crate) fn bit(v: &[u64], i: usize) -> bool {
    v.get(i / 64).is_some_and(|w| w & (1 << (i % 64)) != 0)
}

/// The indexes of the bits set, ascending.
fn set_bits(words: &[u64]) -> SetBits<'_> {
    SetBits { words, end: 0, bits: 0 }
}

/// The iterator of [`set_bits`]: a word at a time, with no closure per word (in place of a
/// `flat_map` over the words, which the fast path runs on every decision for the paragraphs
/// left undetermined).
struct SetBits<'a> {
    /// The words not yet read.
    words: &'a [u64],
    /// The index one past the last bit of the word `bits` was read from.
    end: usize,
    /// The bits of that word not yet given.
    bits: u64,
}

impl Iterator for SetBits<'_> {
    type Item = usize;

    #[inline]
    fn next(&mut self) -> Option<usize> {
        while self.bits == 0 {
            let (&w, rest) = self.words.split_first()?;
            self.bits = w;
            self.words = rest;
            self.end += 64;
        }
        let b = self.bits.trailing_zeros() as usize;
        self.bits &= self.bits - 1;
        Some(self.end - 64 + b)
    }
}

pub(crate) fn to_u32(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

impl Scratch {
    /// The number of the epoch of `date` in the index `ix` of pack `pack` (as
    /// [`Index::epoch`](crate::ruleset::index::Index::epoch)), from a one-entry cache of the
    /// last date asked: a hit skips the binary search of the epoch's bounds (about 30
    /// instructions per decision of the peers bench, callgrind). A pack's index never changes
    /// under its id ([`CompiledPack::new`](crate::CompiledPack::new) gives each pack its own).
    #[inline]
    pub(crate) fn epoch_in(
        &mut self,
        pack: u64,
        ix: &crate::ruleset::index::Index,
        date: crate::date::Date,
    ) -> Option<usize> {
        if let Some((p, d, e)) = self.last_epoch
            && p == pack
            && d == date
        {
            return Some(e);
        }
        let e = ix.epoch(date)?;
        self.last_epoch = Some((pack, date, e));
        Some(e)
    }

    /// Starts a decision on `rules`. Always inlined into the fast path (a call per decision,
    /// and the clears as separate stores, cost about 40 instructions per decision, callgrind;
    /// `#[inline]` alone left it called from `CompiledPack::decide`: 14.5 more).
    #[inline(always)]
    pub(crate) fn begin(&mut self, rules: &RuleSet) {
        self.begin_with_classes(rules);
        clear_words(&mut self.class_true);
        clear_words(&mut self.class_unknown);
    }

    /// As [`Scratch::begin`], but the classification bits (`class_true`, `class_unknown`,
    /// sized for `rules`) are left for the caller to overwrite whole: a decision of a
    /// classified product copies them instead of clearing them first.
    #[inline]
    pub(crate) fn begin_with_classes(&mut self, rules: &RuleSet) {
        // Sized for the pack of the last decision already (a pack's sizes never change).
        if self.pack != rules.id {
            self.fit(rules);
            self.pack = rules.id;
        }
        self.stamp = self.stamp.wrapping_add(1);
        if self.stamp == 0 {
            for v in [&mut self.params, &mut self.excluded, &mut self.requirements, &mut self.exceptions] {
                v.iter_mut().for_each(|s| *s = (0, Truth::False));
            }
            self.stamp = 1;
        }
        self.applied.clear();
        self.exceptions_open = false;
        self.found.clear();
        self.found_exceptions.clear();
        self.missing = super::MissingKinds::NONE;
        self.paragraphs.clear();
        self.candidates.clear();
        self.unit_params.clear();
        self.unit_excluded.clear();
        self.corrupt = false;
        self.declared_open = false;
    }

    /// Sizes the working memory for `rules`, with room for the largest possible lists, so that
    /// no later decision grows them.
    fn fit(&mut self, rules: &RuleSet) {
        let fit = |v: &mut Vec<(u32, Truth)>, n: usize| {
            if v.len() != n {
                v.clear();
                v.resize(n, (0, Truth::False));
            }
        };
        fit(&mut self.params, rules.classifications.len());
        let words = rules.classifications.len().div_ceil(64);
        for v in [&mut self.class_true, &mut self.class_unknown] {
            v.clear();
            v.resize(words, 0);
        }
        fit(&mut self.excluded, rules.exclusions.len());
        fit(&mut self.requirements, rules.requirements.len());
        fit(&mut self.exceptions, rules.exceptions.len());
        let most = rules.classifications.len().max(rules.requirements.len()).max(rules.exceptions.len());
        self.candidates.reserve(most);
        self.applied.reserve(rules.requirements.len());
        self.found.reserve(rules.requirements.len());
        self.found_exceptions.reserve(rules.exceptions.len());
        self.paragraphs.reserve(rules.classifications.len());
        // Room for computers of up to 8 distinct contained products.
        self.unit_params.reserve(8 * rules.classifications.len());
        self.unit_excluded.reserve(8 * rules.exclusions.len());
    }

    /// Starts deciding the same transaction for another destination: the classification is
    /// kept (its parameters are read with the stamp they were written with), the requirements
    /// and exceptions are forgotten.
    pub(crate) fn next_destination(&mut self) {
        self.stamp = self.stamp.wrapping_add(1);
        if self.stamp == 0 {
            for v in [&mut self.requirements, &mut self.exceptions] {
                v.iter_mut().for_each(|s| *s = (0, Truth::False));
            }
            self.stamp = 1;
        }
        self.applied.clear();
        self.exceptions_open = false;
    }

    /// Adds the requirements of the destination just decided to `found`, and the exceptions
    /// available (or possibly available) that overcome them to `found_exceptions`. Inlined,
    /// with the requirements read out of line: most decisions find none, and then make no call.
    #[inline(always)]
    pub(crate) fn collect_found(&mut self, rules: &RuleSet) {
        if !self.applied.is_empty() {
            self.collect_applied(rules);
        }
    }

    /// [`Scratch::collect_found`] when some requirement applies or may apply.
    #[inline(never)]
    fn collect_applied(&mut self, rules: &RuleSet) {
        for &r in &self.applied {
            let t = get(&self.requirements, self.stamp, r as usize);
            match self.found.iter_mut().find(|(x, _)| *x == r) {
                Some((_, old)) => *old = old.or(t),
                None => self.found.push((r, t)),
            }
            if !self.exceptions_open {
                continue;
            }
            let links = rules.compiled.requirements.get(r as usize).map_or(&[][..], |c| c.links.as_slice());
            for &x in links {
                let t = get(&self.exceptions, self.stamp, x as usize);
                if t == Truth::False {
                    continue;
                }
                match self.found_exceptions.iter_mut().find(|(y, _)| *y == x) {
                    Some((_, old)) => *old = old.or(t),
                    None => self.found_exceptions.push((x, t)),
                }
            }
        }
    }

    /// Forgets the last decision (after an error): no paragraphs, no requirements.
    pub(crate) fn forget(&mut self) {
        self.pack = 0;
    }

    /// The truth of classification rule `i` in this decision.
    pub(crate) fn classified(&self, i: usize) -> Truth {
        if bit(&self.class_true, i) {
            Truth::True
        } else if bit(&self.class_unknown, i) {
            Truth::Unknown
        } else {
            Truth::False
        }
    }

    /// Classification rules that may classify the product and whose ECCN no rule certainly
    /// gives: the paragraphs that stay undetermined.
    pub(crate) fn undetermined<'a>(&'a self, rules: &'a RuleSet) -> impl Iterator<Item = usize> + 'a {
        set_bits(&self.class_unknown).filter(move |&i| !self.eccn_certain(rules, i))
    }

    /// Whether some rule certainly classifies the product under the ECCN of rule `i`.
    pub(crate) fn eccn_certain(&self, rules: &RuleSet, i: usize) -> bool {
        let ids = &rules.compiled.eccn_ids;
        let Some(eccn) = ids.get(i) else { return false };
        set_bits(&self.class_true).any(|j| ids.get(j) == Some(eccn))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Bits 3 and 63 of word 0 and bit 0 of word 2 are the 3rd, 63rd and 128th: empty words
    /// (leading, inner, trailing) give nothing.
    #[test]
    fn set_bits_are_ascending_indexes_across_words() {
        let words = [1u64 << 3 | 1 << 63, 0, 1, 0];
        assert_eq!(set_bits(&words).collect::<Vec<_>>(), vec![3, 63, 128]);
        assert_eq!(set_bits(&[0, 1 << 5]).collect::<Vec<_>>(), vec![69]);
        assert_eq!(set_bits(&[0, 0]).next(), None);
        assert_eq!(set_bits(&[]).next(), None);
        assert_eq!(set_bits(&[u64::MAX]).count(), 64);
    }
}
