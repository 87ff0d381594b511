//! The trace of an explained determination written straight as pretty-printed JSON, byte for
//! byte as `serde_json::to_string_pretty` writes the `trace` field of the
//! [`Determination`](crate::Determination) (two spaces a level, the field at the top level of
//! the determination), without making a [`TraceEntry`](crate::evaluate::TraceEntry) or going
//! through a `serde::Serializer`: each entry's fixed text (its rule id, kind and citation, with
//! the keys and indentation around them) is taken from [`TraceText`], written once per pack,
//! and only the comparisons and notes are written per determination. A service writing a
//! determination for every request spends most of its JSON on the trace (about 22 KB of an
//! H20 → CN determination's 36 KB).
//!
//! Strings are escaped as `serde_json` escapes them (RFC 8259 section 7: `"`, `\` and the
//! controls U+0000 to U+001F; `\b \f \n \r \t` by name, the other controls as `\u00xx` in
//! lower-case hex; nothing else). The tests compare the output with `serde_json`'s on every
//! catalog product × destinations × dates, and the escaping on arbitrary strings.

use std::fmt::Write as _;

use crate::evaluate::core::sink::RuleKind;
use crate::evaluate::record::{TraceItem, TraceWriter};
use crate::ruleset::condition::{Field, TextsOut, Truth};
use crate::ruleset::{RuleMeta, RuleSet};

/// Every rule's fixed text in a trace entry, for one pack: written once (when the pack is
/// loaded) and copied into each determination's trace by [`crate::Explained::write_trace_json`].
///
/// Per rule: the entry's opening up to its `result` (`{`, `"rule"` and `"kind"` with their
/// values, `"result": "`) and its closing from `"source"` on, each with its line breaks and
/// indentation. Made of one [`RuleSet`]; used with another (a reloaded pack, or the same pack
/// moved) it is not used, and the text is written from the rules instead (the same bytes).
#[derive(Debug, Clone)]
pub struct TraceText {
    /// The rule set it was made of: its address, its pack's sha256 and its rule counts.
    of: (usize, String, [usize; KINDS]),
    /// Per kind ([`slot`]), per rule index: the entry's opening and closing.
    rules: [Vec<Fixed>; KINDS],
}

/// The fixed text of one rule's trace entry.
#[derive(Debug, Clone)]
struct Fixed {
    /// From the line break before `{` to `"result": "`.
    head: Box<[u8]>,
    /// From `,` after `"notes"`'s value to `}`.
    tail: Box<[u8]>,
}

/// The number of rule kinds.
const KINDS: usize = 6;

/// The kinds, in the order of [`slot`].
const ALL_KINDS: [RuleKind; KINDS] = [
    RuleKind::Classification,
    RuleKind::Exclusion,
    RuleKind::LicenseRequirement,
    RuleKind::LicenseException,
    RuleKind::ReviewPolicy,
    RuleKind::Notice,
];

/// The place of `kind` in [`ALL_KINDS`].
fn slot(kind: RuleKind) -> usize {
    match kind {
        RuleKind::Classification => 0,
        RuleKind::Exclusion => 1,
        RuleKind::LicenseRequirement => 2,
        RuleKind::LicenseException => 3,
        RuleKind::ReviewPolicy => 4,
        RuleKind::Notice => 5,
    }
}

/// The metadata of every rule of `kind` in `rules`, in index order.
fn metas(rules: &RuleSet, kind: RuleKind) -> Vec<&RuleMeta> {
    match kind {
        RuleKind::Classification => rules.classifications.iter().map(|r| &r.meta).collect(),
        RuleKind::Exclusion => rules.exclusions.iter().map(|r| &r.meta).collect(),
        RuleKind::LicenseRequirement => rules.requirements.iter().map(|r| &r.meta).collect(),
        RuleKind::LicenseException => rules.exceptions.iter().map(|r| &r.meta).collect(),
        RuleKind::ReviewPolicy => rules.review_policies.iter().map(|r| &r.meta).collect(),
        RuleKind::Notice => rules.notices.iter().map(|r| &r.meta).collect(),
    }
}

/// Which rule set `rules` is, as [`TraceText`] tells it.
fn identity(rules: &RuleSet) -> (usize, &str, [usize; KINDS]) {
    let counts = [
        rules.classifications.len(),
        rules.exclusions.len(),
        rules.requirements.len(),
        rules.exceptions.len(),
        rules.review_policies.len(),
        rules.notices.len(),
    ];
    (std::ptr::from_ref(rules) as usize, rules.pack.sha256.as_str(), counts)
}

impl TraceText {
    /// The fixed text of every rule of `rules` (a few kilobytes per hundred rules).
    pub fn of(rules: &RuleSet) -> TraceText {
        let (at, sha256, counts) = identity(rules);
        let texts = ALL_KINDS.map(|kind| {
            metas(rules, kind)
                .into_iter()
                .map(|m| {
                    let (mut head, mut tail) = (Vec::new(), Vec::new());
                    write_head(&mut head, &m.id, kind);
                    write_tail(&mut tail, &m.source);
                    Fixed { head: head.into(), tail: tail.into() }
                })
                .collect()
        });
        TraceText { of: (at, sha256.to_string(), counts), rules: texts }
    }

    /// Whether this text was made of `rules` (the same rule set, where it was then).
    fn is_of(&self, rules: &RuleSet) -> bool {
        let (at, sha256, counts) = identity(rules);
        self.of.0 == at && self.of.1 == sha256 && self.of.2 == counts
    }
}

/// The lines of a trace entry's fields and of a comparison's, with their indentation: the
/// trace is the value of a top-level field (level 1), its entries at level 2, their fields at
/// level 3, comparisons and notes at level 4, a comparison's fields at level 5.
const ENTRY: &[u8] = b"\n    {\n      \"rule\": ";
const KIND: &[u8] = b",\n      \"kind\": \"";
const RESULT: &[u8] = b"\",\n      \"result\": \"";
const COMPARISONS: &[u8] = b"\",\n      \"comparisons\": ";
const NOTES: &[u8] = b",\n      \"notes\": ";
const SOURCE: &[u8] = b",\n      \"source\": ";
const ENTRY_END: &[u8] = b"\n    }";
const COMPARISON: &[u8] = b"\n        {\n          \"expr\": \"";
const LEFT: &[u8] = b"\",\n          \"left\": \"";
const RIGHT: &[u8] = b"\",\n          \"right\": \"";
const COMPARISON_RESULT: &[u8] = b"\",\n          \"result\": \"";
const COMPARISON_END: &[u8] = b"\"\n        }";
const NOTE: &[u8] = b"\n        \"";
const LIST_END: &[u8] = b"\n      ]";

/// A trace entry's opening, up to the opening quote of its result.
fn write_head(out: &mut Vec<u8>, id: &str, kind: RuleKind) {
    out.extend_from_slice(ENTRY);
    write_str(out, id);
    out.extend_from_slice(KIND);
    out.extend_from_slice(kind.as_str().as_bytes());
    out.extend_from_slice(RESULT);
}

/// A trace entry's closing, from the comma after its notes.
fn write_tail(out: &mut Vec<u8>, source: &str) {
    out.extend_from_slice(SOURCE);
    write_str(out, source);
    out.extend_from_slice(ENTRY_END);
}

/// A truth as serialised (`snake_case`).
fn truth(t: Truth) -> &'static [u8] {
    match t {
        Truth::True => b"true",
        Truth::False => b"false",
        Truth::Unknown => b"unknown",
    }
}

/// Writes the trace of `w` as the value of a determination's `trace` field, from `text` when it
/// was made of `rules` (else each entry's fixed text is written from the rules).
pub(super) fn write(out: &mut Vec<u8>, w: &TraceWriter<'_, '_>, rules: &RuleSet, text: Option<&TraceText>) {
    let text = text.filter(|t| t.is_of(rules));
    out.push(b'[');
    let mut any = false;
    for (i, e) in w.entries().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        any = true;
        let (kind, index) = e.rule_index();
        let fixed = text.and_then(|t| t.rules.get(slot(kind))?.get(index));
        match fixed {
            Some(f) => out.extend_from_slice(&f.head),
            None => write_head(out, e.rule, kind),
        }
        write_body(out, &e);
        match fixed {
            Some(f) => out.extend_from_slice(&f.tail),
            None => write_tail(out, e.source),
        }
    }
    if any {
        out.extend_from_slice(b"\n  ]");
    } else {
        out.push(b']');
    }
}

/// An entry's result, comparisons and notes, from after the result's opening quote to the end
/// of the notes' list.
fn write_body(out: &mut Vec<u8>, e: &TraceItem<'_, '_, '_>) {
    out.extend_from_slice(truth(e.result));
    out.extend_from_slice(COMPARISONS);
    out.push(b'[');
    let mut comparisons = Comparisons(out);
    // Writing to memory does not fail.
    let any = e.write_comparisons(&mut comparisons).is_ok_and(|n| n > 0);
    close_list(out, any);
    out.extend_from_slice(NOTES);
    out.push(b'[');
    let mut any = false;
    let _ = e.each_note(|n| {
        if any {
            out.push(b',');
        }
        any = true;
        out.extend_from_slice(NOTE);
        // Writing to memory does not fail, nor does a reason's `Display`.
        let _ = write!(Escaping(out), "{n}");
        out.push(b'"');
        Ok::<(), ()>(())
    });
    close_list(out, any);
}

/// A list's closing bracket: on a line of its own unless it is empty.
fn close_list(out: &mut Vec<u8>, any: bool) {
    if any {
        out.extend_from_slice(LIST_END);
    } else {
        out.push(b']');
    }
}

/// An entry's comparisons written as the elements of its `comparisons` list, each as
/// `serde_json` writes a [`Comparison`](crate::ruleset::condition::Comparison): its texts
/// escaped as they are written, between the keys and indentation.
struct Comparisons<'o>(&'o mut Vec<u8>);

impl TextsOut for Comparisons<'_> {
    fn field(&mut self, field: Field) {
        let out = &mut *self.0;
        match field {
            Field::Expr => {
                // Not the first: after the previous comparison's closing brace.
                if out.last() == Some(&b'}') {
                    out.push(b',');
                }
                out.extend_from_slice(COMPARISON);
            }
            Field::Left => out.extend_from_slice(LEFT),
            Field::Right => out.extend_from_slice(RIGHT),
            Field::End(result) => {
                out.extend_from_slice(COMPARISON_RESULT);
                out.extend_from_slice(truth(result));
                out.extend_from_slice(COMPARISON_END);
            }
        }
    }
}

impl std::fmt::Write for Comparisons<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        write_contents(self.0, s);
        Ok(())
    }
}

/// Text written into the output escaped as it is formatted (a note's `Display`).
struct Escaping<'o>(&'o mut Vec<u8>);

impl std::fmt::Write for Escaping<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        write_contents(self.0, s);
        Ok(())
    }
}

/// `s` as a JSON string, quotes included.
fn write_str(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    write_contents(out, s);
    out.push(b'"');
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// Whether any of the eight bytes of `w` is below 0x20, `"` or `\` (each test is exact: a
/// borrow crosses into a higher byte only from a byte that matched).
fn needs_escape(w: u64) -> bool {
    let below_space = w.wrapping_sub(ONES * 0x20) & !w;
    let q = w ^ (ONES * u64::from(b'"'));
    let quote = q.wrapping_sub(ONES) & !q;
    let b = w ^ (ONES * u64::from(b'\\'));
    let backslash = b.wrapping_sub(ONES) & !b;
    (below_space | quote | backslash) & HIGHS != 0
}

/// Whether any byte of `bytes` (a JSON string's contents, UTF-8) is one that JSON escapes: a
/// control character below 0x20, `"` or `\` (RFC 8259, section 7; as serde_json escapes them).
/// Tested eight bytes at a time (the last few padded with spaces, which need none); `false` for
/// empty input. The service's pretty writer uses it too, so that both write the same bytes.
pub fn json_string_needs_escape(bytes: &[u8]) -> bool {
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        if <[u8; 8]>::try_from(c).map_or(true, |w| needs_escape(u64::from_le_bytes(w))) {
            return true;
        }
    }
    let rest = chunks.remainder();
    let mut w = [b' '; 8];
    if let Some(head) = w.get_mut(..rest.len()) {
        head.copy_from_slice(rest);
    }
    needs_escape(u64::from_le_bytes(w))
}

/// `s` escaped as the inside of a JSON string, as `serde_json` escapes it: copied whole when
/// nothing needs escaping (nearly every string of a trace).
fn write_contents(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    if !json_string_needs_escape(bytes) {
        out.extend_from_slice(bytes);
        return;
    }
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut run = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let named = match b {
            b'"' => b'"',
            b'\\' => b'\\',
            0x08 => b'b',
            0x09 => b't',
            0x0A => b'n',
            0x0C => b'f',
            0x0D => b'r',
            0x00..=0x1F => 0,
            _ => continue,
        };
        out.extend_from_slice(bytes.get(run..i).unwrap_or_default());
        if named == 0 {
            let hex = |n: u8| HEX.get(usize::from(n & 0xF)).copied().unwrap_or(b'0');
            out.extend_from_slice(&[b'\\', b'u', b'0', b'0', hex(b >> 4), hex(b)]);
        } else {
            out.extend_from_slice(&[b'\\', named]);
        }
        run = i + 1;
    }
    out.extend_from_slice(bytes.get(run..).unwrap_or_default());
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use proptest::prelude::*;

    proptest! {
        /// Any string is escaped as `serde_json` escapes it (controls, quotes, backslashes,
        /// DEL and non-ASCII among ordinary text).
        #[test]
        fn strings_are_escaped_as_serde_json_escapes_them(s in "(\\PC|[\\x00-\\x1f\"\\\\\\x7f])*") {
            let mut out = Vec::new();
            super::write_str(&mut out, &s);
            prop_assert_eq!(String::from_utf8(out).unwrap(), serde_json::to_string(&s).unwrap());
        }
    }

    /// Every byte below 0x80 alone, and at each place of an eight-byte word, escaped as
    /// `serde_json` escapes it.
    #[test]
    fn every_ascii_byte_is_escaped_as_serde_json_escapes_it() {
        for b in 0u8..0x80 {
            for at in 0..9 {
                let mut s = "abcdefgh".to_string();
                s.insert(at, char::from(b));
                let mut out = Vec::new();
                super::write_str(&mut out, &s);
                assert_eq!(String::from_utf8(out).unwrap(), serde_json::to_string(&s).unwrap(), "{b:#x} at {at}");
            }
        }
    }
}
