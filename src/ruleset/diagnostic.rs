//! Diagnostics for rule files, product sheets and rule tests: every error names the file, the
//! line and the column (both 1-based), shows the source line with a caret, and says what was
//! expected.

use std::fmt;
use std::ops::Range;

use serde::Serialize;

/// A text file being loaded: its display path (relative to the pack or catalog root, `/`
/// separated) and its contents.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path as shown in diagnostics.
    pub path: String,
    /// UTF-8 contents.
    pub text: String,
    /// Byte offsets of line starts, computed on first use (so locating many errors or rules in
    /// a large file stays linear).
    line_starts: std::sync::OnceLock<Vec<usize>>,
}

impl SourceFile {
    /// Creates a source file from a display path and its text.
    pub fn new(path: impl Into<String>, text: impl Into<String>) -> Self {
        Self { path: path.into(), text: text.into(), line_starts: std::sync::OnceLock::new() }
    }

    /// 1-based line and column (in characters) of a byte offset; offsets past the end point
    /// at the end of the file.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let starts = self
            .line_starts
            .get_or_init(|| std::iter::once(0).chain(self.text.match_indices('\n').map(|(i, _)| i + 1)).collect());
        let idx = starts.partition_point(|&s| s <= offset).saturating_sub(1);
        let line = idx + 1;
        let line_start = starts.get(idx).copied().unwrap_or(0);
        let mut column = self.text.get(line_start..offset).map_or(0, |s| s.chars().count()) + 1;
        if line_start == 0 && self.text.starts_with('\u{feff}') && offset > 0 {
            column -= 1; // a byte-order mark is not a column
        }
        (line, column)
    }

    /// The text of a 1-based line, without its line ending.
    pub fn line_text(&self, line: usize) -> Option<&str> {
        let starts = self
            .line_starts
            .get_or_init(|| std::iter::once(0).chain(self.text.match_indices('\n').map(|(i, _)| i + 1)).collect());
        let start = *starts.get(line.checked_sub(1)?)?;
        let end = starts.get(line).map_or(self.text.len(), |e| e.saturating_sub(1));
        self.text.get(start..end.max(start)).map(|l| l.trim_end_matches('\r'))
    }

    /// An error diagnostic at a byte span of this file.
    pub fn error(&self, code: &'static str, span: Range<usize>, message: impl Into<String>) -> Diagnostic {
        let (line, column) = self.line_col(span.start);
        let source_line = self.line_text(line).map(|l| l.trim_start_matches('\u{feff}').to_string());
        let length = span.end.saturating_sub(span.start).max(1);
        Diagnostic {
            code,
            file: self.path.clone(),
            line,
            column,
            message: message.into(),
            help: None,
            source_line,
            length,
        }
    }

    /// Parses a spanned text value (a country code, say); on failure records an error with
    /// `code` at the value and returns `None`.
    pub fn parse_at<T>(
        &self,
        code: &'static str,
        value: &toml::Spanned<String>,
        errors: &mut Vec<Diagnostic>,
    ) -> Option<T>
    where
        T: std::str::FromStr,
        T::Err: fmt::Display,
    {
        value.get_ref().parse::<T>().map_err(|e| errors.push(self.error(code, value.span(), e.to_string()))).ok()
    }

    /// Converts a spanned TOML date; on failure records an error with `code` at the value.
    pub fn date_at(
        &self,
        code: &'static str,
        value: &toml::Spanned<toml::value::Datetime>,
        errors: &mut Vec<Diagnostic>,
    ) -> Option<crate::date::Date> {
        crate::date::Date::from_toml(value.get_ref())
            .map_err(|e| errors.push(self.error(code, value.span(), e.to_string())))
            .ok()
    }

    /// An error diagnostic about the file as a whole (line 1, column 1).
    pub fn file_error(&self, code: &'static str, message: impl Into<String>) -> Diagnostic {
        self.error(code, 0..0, message)
    }

    /// Converts a TOML parse or schema error into a diagnostic, adding a "did you mean"
    /// suggestion for unknown keys.
    pub fn toml_error(&self, err: &toml::de::Error) -> Diagnostic {
        let span = err.span().unwrap_or(0..0);
        let message = err.message().trim().to_string();
        let help = unknown_key_suggestion(&message);
        let code = if message.starts_with("unknown field") { "E0102" } else { "E0101" };
        self.error(code, span, message).with_help_opt(help)
    }
}

/// One problem found while loading, with its stable code (see rules/README.md), location and
/// an optional hint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Stable error code, e.g. `E0102` for an unknown key.
    pub code: &'static str,
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
    /// The offending source line, for display.
    #[serde(skip)]
    pub source_line: Option<String>,
    /// Length in bytes of the offending text on that line (at least 1), for the underline.
    #[serde(skip)]
    pub length: usize,
}

impl std::error::Error for Diagnostic {}

impl miette::Diagnostic for Diagnostic {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.code))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help.as_ref().map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source_line.as_ref().map(|_| self as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        let line = self.source_line.as_ref()?;
        let start: usize = line.chars().take(self.column.saturating_sub(1)).map(char::len_utf8).sum();
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
        self.help = Some(help.into());
        self
    }

    /// Adds a hint if there is one.
    pub fn with_help_opt(mut self, help: Option<String>) -> Self {
        if help.is_some() {
            self.help = help;
        }
        self
    }
}

impl fmt::Display for Diagnostic {
    /// One line: `file:line:column: error[CODE]: message`. [`Diagnostic::render`] adds the
    /// source line, a caret and the help.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: error[{}]: {}", self.file, self.line, self.column, self.code, self.message)
    }
}

impl Diagnostic {
    /// The full plain-text report: the header line, the source line with a caret under the
    /// column, and the help.
    pub fn render(&self) -> String {
        let mut s = String::new();
        let _ = self.render_into(&mut s);
        s
    }

    fn render_into(&self, f: &mut String) -> fmt::Result {
        use std::fmt::Write as _;
        write!(f, "{self}")?;
        if let Some(line) = &self.source_line {
            // Very long lines are shown as a window of 120 characters around the column.
            let chars: Vec<char> = line.chars().collect();
            let col = self.column.saturating_sub(1).min(chars.len());
            let start = col.saturating_sub(60);
            let end = (col + 60).min(chars.len());
            let lead = if start > 0 { "…" } else { "" };
            let trail = if end < chars.len() { "…" } else { "" };
            let shown: String = chars.get(start..end).unwrap_or_default().iter().collect();
            let width = self.line.to_string().len();
            write!(f, "\n{:width$} |\n{} | {lead}{shown}{trail}", "", self.line)?;
            let pad: String = std::iter::repeat_n(' ', lead.chars().count())
                .chain(chars.get(start..col).unwrap_or_default().iter().map(|c| if *c == '\t' { '\t' } else { ' ' }))
                .collect();
            write!(f, "\n{:width$} | {pad}^", "")?;
        }
        if let Some(help) = &self.help {
            write!(f, "\n  = help: {help}")?;
        }
        Ok(())
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

/// The nearest of `candidates` to `word` by edit distance, if it is close enough to be a
/// plausible typo.
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(2);
    candidates
        .into_iter()
        .map(|c| (edit_distance(word, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            let diag = prev.get(j).copied().unwrap_or(usize::MAX - 1) + cost;
            let up = prev.get(j + 1).copied().unwrap_or(usize::MAX - 1) + 1;
            let left = cur.last().copied().unwrap_or(usize::MAX - 1) + 1;
            cur.push(diag.min(up).min(left));
        }
        prev = cur;
    }
    prev.last().copied().unwrap_or(0)
}

/// The "did you mean" help for a serde "unknown field" message.
pub(crate) fn unknown_field_help(message: &str) -> Option<String> {
    unknown_key_suggestion(message)
}

/// Reads serde's "unknown field `x`, expected one of `a`, `b`" and suggests the closest key.
fn unknown_key_suggestion(message: &str) -> Option<String> {
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
        assert_eq!(
            unknown_key_suggestion("unknown field `fromm`, expected one of `id`, `from`, `until`"),
            Some("did you mean `from`?".into())
        );
    }
}
