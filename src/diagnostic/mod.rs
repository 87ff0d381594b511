//! Diagnostics for rule files, product sheets, transactions, rule tests and the lint: every
//! message names the file, the line and the column (both 1-based), shows the source line with a
//! caret, and says what was expected.
//!
//! This module sits below every other one (model, ruleset, catalog, rule_tests and lint use it;
//! it uses none of them), so reading a product sheet does not depend on the rule language.
//!
//! - [`Code`]: every stable code, with its meaning, example, help and [`Severity`];
//!   `rules/ERRORS.md` is generated from it.
//! - [`Diagnostic`]: one problem at a file, line and column, with the line, for load errors and
//!   lint findings alike; [`Diagnostics`] is the batch a failed load returns.
//! - [`SourceFile`] and [`Site`]: a loaded file and a position in it; [`LoadError`] for files
//!   that cannot be read.
//! - [`PlainReportHandler`]: the one text rendering (a [`miette::ReportHandler`]), used by
//!   every caller: the CLI, the lint, the service, `Display`.

mod code;
mod render;
mod source;

use std::fmt;

use serde::Serialize;

pub use code::{Area, Code, UnknownCode};
pub use render::PlainReportHandler;
pub use source::{LoadError, MAX_SOURCE_LINE, Site, SourceFile, decode_utf8};

/// How serious a diagnostic is. Every load error is an [`Severity::Error`]; lint findings are
/// errors or warnings (see [`Code::severity`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Worth knowing; nothing to fix.
    Note,
    /// Probably a mistake; review it.
    Warning,
    /// Certainly wrong: a file with an error is not loaded.
    Error,
}

impl Severity {
    /// The word used in messages and JSON: `error`, `warning` or `note`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    /// Whether this is [`Severity::Error`].
    pub fn is_error(&self) -> bool {
        *self == Severity::Error
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem found in a file: while loading it (an error) or by the lint (an error or a
/// warning), with its stable code (see rules/ERRORS.md), location and an optional hint.
///
/// In JSON: `code`, `severity` (left out for errors, so the loader's diagnostics read as they
/// always have), `file`, `line`, `column`, `message` and `help` (left out when there is none).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Diagnostic {
    /// Stable code, e.g. [`Code::E0102`] for an unknown key.
    pub code: Code,
    /// How serious it is: the code's severity.
    #[serde(skip_serializing_if = "Severity::is_error")]
    pub severity: Severity,
    /// File path as given to the loader.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// What is wrong and what was expected.
    pub message: String,
    /// A suggestion, e.g. "did you mean `performance_density`?".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// The offending source line, for display (an excerpt around the column when the line is
    /// long; see [`Site::source_offset`]).
    #[serde(skip)]
    pub source_line: Option<String>,
    /// Characters of the line left out before `source_line`, less the `…` marking the cut.
    #[serde(skip)]
    pub source_offset: usize,
    /// Length in bytes of the offending text on that line (at least 1), for the underline.
    #[serde(skip)]
    pub length: usize,
}

impl std::error::Error for Diagnostic {}

impl miette::Diagnostic for Diagnostic {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.code))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.severity {
            Severity::Note => miette::Severity::Advice,
            Severity::Warning => miette::Severity::Warning,
            Severity::Error => miette::Severity::Error,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help.as_ref().map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source_line.as_ref().map(|_| self as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        let line = self.source_line.as_ref()?;
        let column = self.column.saturating_sub(self.source_offset);
        let start: usize = line.chars().take(column.saturating_sub(1)).map(char::len_utf8).sum();
        let len = self.length.max(1).min(line.len().saturating_sub(start).max(1));
        Some(Box::new(std::iter::once(miette::LabeledSpan::new_with_span(Some("here".into()), (start, len)))))
    }
}

/// Serves the offending line to miette with its real line number, so the rendered report shows
/// `file:line:column` and the line as in the file without keeping the whole file.
impl miette::SourceCode for Diagnostic {
    fn read_span<'a>(
        &'a self,
        _span: &miette::SourceSpan,
        _before: usize,
        _after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let line = self.source_line.as_deref().unwrap_or("");
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.file.clone(),
            line.as_bytes(),
            (0, line.len()).into(),
            self.line.saturating_sub(1),
            0,
            1,
        )))
    }
}

impl Diagnostic {
    /// Adds a hint.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(shorten(&help.into()));
        self
    }

    /// Adds a hint if there is one.
    pub fn with_help_opt(mut self, help: Option<String>) -> Self {
        if let Some(h) = help {
            self.help = Some(shorten(&h));
        }
        self
    }

    /// This diagnostic of a file read from the directory shown as `dir` (a path as given on the
    /// command line, already made printable, e.g. by [`crate::files::display_path`]), named
    /// from there: its `file`, and every `at FILE:` in its message that names one of `files`
    /// (the directory's files, by their path relative to it), become `dir/FILE`. A rule pack's
    /// files are named relative to the pack (that is how its sha256 and lock name them); a
    /// reader running `export-controls lint rules/us-ear` from the repository's root opens
    /// `rules/us-ear/ccl-3a090.toml`, as the rule tests' and the catalog's diagnostics name
    /// their files. An empty `dir` (the current directory) leaves it as it is.
    pub fn in_dir(mut self, dir: &str, files: &[&str]) -> Self {
        if dir.is_empty() || dir == "." {
            return self;
        }
        let join = |file: &str| format!("{}/{file}", dir.trim_end_matches('/'));
        for f in files {
            let at = format!(" at {f}:");
            if self.message.contains(&at) {
                self.message = self.message.replace(&at, &format!(" at {}:", join(f)));
            }
        }
        self.file = join(&self.file);
        self
    }

    /// The full plain-text report ([`PlainReportHandler`]): the header line, the source line
    /// with a caret under the column, and the help.
    pub fn render(&self) -> String {
        let mut s = String::new();
        let _ = PlainReportHandler.render(self, &mut s);
        s
    }
}

impl fmt::Display for Diagnostic {
    /// One line: `file:line:column: error[CODE]: message` (`warning[CODE]` for a warning).
    /// [`Diagnostic::render`] adds the source line, a caret and the help.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Diagnostic { file, line, column, severity, code, message, .. } = self;
        write!(f, "{file}:{line}:{column}: {severity}[{code}]: {message}")
    }
}

/// The diagnostics of a failed load: at least one, in file order. Nothing was loaded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            writeln!(f, "{}", d.render())?;
        }
        let n = self.0.len();
        write!(f, "{n} error{}", if n == 1 { "" } else { "s" })
    }
}

/// Longest text quoted between backticks in a message or help, in characters; a longer one is
/// cut in the middle (`…`).
pub const MAX_QUOTED: usize = 80;
/// Longest message or help, in characters; a longer one is cut (`…`).
pub const MAX_MESSAGE: usize = 1000;

/// A message that quotes an excerpt of what it names, never megabytes: each backtick-quoted
/// text longer than [`MAX_QUOTED`] characters is cut in the middle, and the whole is cut at
/// [`MAX_MESSAGE`] characters.
pub(crate) fn shorten(text: &str) -> String {
    if text.chars().count() <= MAX_QUOTED {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len().min(4 * MAX_MESSAGE));
    for (i, part) in text.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        let n = part.chars().count();
        if i % 2 == 1 && n > MAX_QUOTED {
            let head: String = part.chars().take(MAX_QUOTED / 2).collect();
            let tail: String = part.chars().skip(n - MAX_QUOTED / 4).collect();
            out.push_str(&format!("{head}…{tail}"));
        } else {
            out.push_str(part);
        }
    }
    if out.chars().count() > MAX_MESSAGE {
        out = out.chars().take(MAX_MESSAGE).collect::<String>() + "…";
    }
    out
}

/// The most edits a suggestion may be away from the word given (the limit is otherwise a third
/// of the word's length, at least 2): it bounds the work per candidate, so that a hostile word
/// (a 200,000-character `--product`, tester12 T16) costs one pass over it, not its length times
/// every candidate's.
const MAX_SUGGESTION_EDITS: usize = 10;

/// The nearest of `candidates` to `word` by edit distance (Levenshtein, compared in lower case
/// so that `NVIDIA-H20` finds `nvidia-h20`), if it is close enough to be a plausible typo: at
/// most a third of the word's length in edits (at least 2, at most
/// [`MAX_SUGGESTION_EDITS`]). Among candidates as near, the first. Linear in the length of
/// `word` and of each candidate: a candidate whose length differs by more than the limit is
/// not compared, and the comparison is banded.
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    near_words(word, candidates).into_iter().min_by_key(|(d, _)| *d).map(|(_, c)| c)
}

/// Every one of `candidates` close enough to `word` to be a plausible typo of it, as
/// [`did_you_mean`] measures it, with its edit distance, in the order given.
pub fn near_words<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<(usize, &'a str)> {
    let word: Vec<char> = word.chars().flat_map(char::to_lowercase).collect();
    let limit = (word.len() / 3).clamp(2, MAX_SUGGESTION_EDITS);
    candidates.into_iter().filter_map(|c| bounded_edit_distance(&word, c, limit).map(|d| (d, c))).collect()
}

/// The edit distance between `a` and `b` (in lower case) if it is at most `limit`, else `None`:
/// a DP over the band of cells within `limit` of the diagonal (the others exceed it), given up
/// as soon as a whole row exceeds it; O(len(a) × limit) after reading `b` once.
fn bounded_edit_distance(a: &[char], b: &str, limit: usize) -> Option<usize> {
    let far = limit + 1;
    // The length difference is a lower bound: most candidates are refused before any work.
    let b_len = b.chars().flat_map(char::to_lowercase).take(a.len() + far).count();
    if a.len().abs_diff(b_len) > limit {
        return None;
    }
    let b: Vec<char> = b.chars().flat_map(char::to_lowercase).collect();
    let mut prev: Vec<usize> = (0..=b.len()).map(|j| j.min(far)).collect();
    let mut cur = vec![far; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        let row = i + 1;
        // Column 0 (`row` deletions), then the band: a cell left of it is beyond the limit.
        // Only the band is written (work per row bounded by the limit, not by `b`): the next
        // row reads this one's band and the cell after it, kept beyond the limit.
        let first = row.min(far);
        if let Some(c) = cur.first_mut() {
            *c = first;
        }
        let lo = row.saturating_sub(limit).max(1);
        let hi = (row + limit).min(b.len());
        if let Some(c) = cur.get_mut(hi + 1) {
            *c = far;
        }
        let mut left = if lo == 1 { first } else { far };
        let mut best = first;
        for j in lo..=hi {
            let (Some(&diag), Some(&up), Some(&cb)) = (prev.get(j - 1), prev.get(j), b.get(j - 1)) else { break };
            let d = (diag + usize::from(*ca != cb)).min(up + 1).min(left + 1).min(far);
            if let Some(c) = cur.get_mut(j) {
                *c = d;
            }
            left = d;
            best = best.min(d);
        }
        if best > limit {
            return None;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev.last().copied().filter(|d| *d <= limit)
}

/// The "did you mean" help for a serde "unknown field" message: reads "unknown field `x`,
/// expected one of `a`, `b`" and suggests the closest key.
pub(crate) fn unknown_field_help(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    let (field, rest) = rest.split_once('`')?;
    let expected: Vec<&str> = rest.split('`').skip(1).step_by(2).collect();
    did_you_mean(field, expected.iter().copied()).map(|s| format!("did you mean `{s}`?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_are_one_based_and_count_characters() {
        let f = SourceFile::new("x.toml", "a = 1\nbé = 2\n");
        assert_eq!(f.line_col(0), (1, 1));
        assert_eq!(f.line_col(6), (2, 1));
        // 'é' is two bytes; the '=' after "bé " is the 4th character of line 2.
        assert_eq!(f.line_col(10), (2, 4));
    }

    #[test]
    fn suggests_the_nearest_name() {
        assert_eq!(did_you_mean("performance_densty", ["tpp", "performance_density"]), Some("performance_density"));
        assert_eq!(did_you_mean("zzz", ["tpp", "performance_density"]), None);
        // In another case (tester12 T11): seven letters differ, none in lower case.
        assert_eq!(did_you_mean("NVIDIA-H20", ["nvidia-h100-sxm5-80gb", "nvidia-h20"]), Some("nvidia-h20"));
        assert_eq!(
            unknown_field_help("unknown field `fromm`, expected one of `id`, `from`, `until`"),
            Some("did you mean `from`?".into())
        );
    }

    /// The banded distance agrees with the textbook values: kitten → sitting is 3 edits
    /// (Levenshtein's example), flaw → lawn 2, and a word is 0 from itself; beyond the limit
    /// there is no distance.
    #[test]
    fn bounded_distance_is_the_edit_distance_within_the_limit() {
        let chars = |s: &str| s.chars().collect::<Vec<char>>();
        assert_eq!(bounded_edit_distance(&chars("kitten"), "sitting", 3), Some(3));
        assert_eq!(bounded_edit_distance(&chars("kitten"), "sitting", 2), None);
        assert_eq!(bounded_edit_distance(&chars("flaw"), "lawn", 2), Some(2));
        assert_eq!(bounded_edit_distance(&chars("same"), "same", 2), Some(0));
        assert_eq!(bounded_edit_distance(&chars(""), "ab", 2), Some(2));
        assert_eq!(bounded_edit_distance(&chars("abc"), "", 2), None);
        // Every pair of these words, every limit: the textbook (Wagner–Fischer) distance when
        // it is within the limit, else none.
        fn full(a: &[char], b: &[char]) -> usize {
            let mut prev: Vec<usize> = (0..=b.len()).collect();
            for (i, ca) in a.iter().enumerate() {
                let mut cur = vec![i + 1];
                for (j, cb) in b.iter().enumerate() {
                    cur.push((prev[j] + usize::from(ca != cb)).min(prev[j + 1] + 1).min(cur[j] + 1));
                }
                prev = cur;
            }
            prev[b.len()]
        }
        let words = [
            "",
            "a",
            "ab",
            "ba",
            "abc",
            "kitten",
            "sitting",
            "saturday",
            "sunday",
            "nvidia-h20",
            "nvidia-h100",
            "vnidia-h2",
            "aaaaaaaaaaaa",
        ];
        for x in words {
            for y in words {
                for limit in 0..8 {
                    let d = full(&chars(x), &chars(y));
                    let want = (d <= limit).then_some(d);
                    assert_eq!(bounded_edit_distance(&chars(x), y, limit), want, "{x:?} {y:?} {limit}");
                }
            }
        }
    }

    /// A 200,000-character word (tester12 T16) is near no candidate: no suggestion, and the
    /// work is bounded (no timing asserted; `benches/suggest.rs` measures it).
    #[test]
    fn a_huge_word_gets_no_suggestion() {
        let word = "n".repeat(200_000);
        assert_eq!(did_you_mean(&word, ["nvidia-h20", "nnnnnnnnnn"]), None);
        let near = format!("{}x", "n".repeat(29));
        assert_eq!(did_you_mean(&near, ["n".repeat(30).as_str()]).map(str::len), Some(30));
    }
}
