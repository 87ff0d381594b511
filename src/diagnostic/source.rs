//! Source files as loaded: their text, positions in them (1-based line and column), and the
//! errors of reading them from disk.

use std::fmt;
use std::ops::Range;
use std::path::Path;

use super::{Code, Diagnostic, Diagnostics, unknown_field_help};

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

    /// Where a byte span of this file is: line, column, length and the line's text (an
    /// excerpt around the column when the line is longer than [`MAX_SOURCE_LINE`] characters:
    /// a diagnostic never carries megabytes of a one-line file).
    pub fn site(&self, span: Range<usize>) -> Site {
        let (line, column) = self.line_col(span.start);
        let length = span.end.saturating_sub(span.start).max(1);
        let (source_line, source_offset) = match self.line_text(line) {
            Some(l) => {
                let (text, offset) = excerpt(l.trim_start_matches('\u{feff}'), column);
                (Some(text), offset)
            }
            None => (None, 0),
        };
        Site { file: self.path.clone(), line, column, length, source_line, source_offset }
    }

    /// A diagnostic with `code` at a byte span of this file (an error for every `E` code).
    pub fn error(&self, code: Code, span: Range<usize>, message: impl Into<String>) -> Diagnostic {
        self.site(span).diagnostic(code, message)
    }

    /// Parses a spanned text value (a country code, say); on failure records an error with
    /// `code` at the value and returns `None`.
    pub fn parse_at<T>(&self, code: Code, value: &toml::Spanned<String>, errors: &mut Vec<Diagnostic>) -> Option<T>
    where
        T: std::str::FromStr,
        T::Err: fmt::Display,
    {
        value.get_ref().parse::<T>().map_err(|e| errors.push(self.error(code, value.span(), e.to_string()))).ok()
    }

    /// Converts a spanned TOML date; on failure records an error with `code` at the value.
    pub fn date_at(
        &self,
        code: Code,
        value: &toml::Spanned<toml::value::Datetime>,
        errors: &mut Vec<Diagnostic>,
    ) -> Option<crate::date::Date> {
        crate::date::Date::from_toml(value.get_ref())
            .map_err(|e| errors.push(self.error(code, value.span(), e.to_string())))
            .ok()
    }

    /// An error diagnostic about the file as a whole (line 1, column 1).
    pub fn file_error(&self, code: Code, message: impl Into<String>) -> Diagnostic {
        self.error(code, 0..0, message)
    }

    /// Converts a TOML parse or schema error into a diagnostic, adding a "did you mean"
    /// suggestion for unknown keys.
    ///
    /// A key nested deeper than the parser reads (`recursion limit`, a dotted key or table
    /// header of more than [`TOML_KEY_DEPTH`] parts) comes without a place: it is placed at the
    /// first such key in the text ([`deep_key`]), with its number of parts.
    pub fn toml_error(&self, err: &toml::de::Error) -> Diagnostic {
        let mut span = err.span().unwrap_or(0..0);
        let mut message = err.message().trim().to_string();
        if span == (0..0)
            && message == "recursion limit"
            && let Some((at, parts)) = deep_key(&self.text)
        {
            span = at;
            message = format!(
                "recursion limit: a dotted key of {parts} parts; a key of more than {TOML_KEY_DEPTH} parts (tables nested that deep) is not read"
            );
        }
        let written = self.text.get(span.clone()).unwrap_or("");
        let help = unknown_field_help(&message).or_else(|| date_help(&message, written));
        let code = if message.starts_with("unknown field") { Code::E0102 } else { Code::E0101 };
        self.error(code, span, message).with_help_opt(help)
    }
}

/// The most parts of a dotted key (or table header) the TOML parser reads: a key whose path
/// before its last part has 80 parts or more is refused as `recursion limit` (toml 1.2,
/// `de::parser::LIMIT`), without a span.
pub const TOML_KEY_DEPTH: usize = 80;

/// The first dotted key in `text` with more than [`TOML_KEY_DEPTH`] parts, outside strings and
/// comments, in a key/value line, a table header or an inline table: the span of its first
/// part and its number of parts. A run of parts is ended by `=`, `,`, brackets, braces or a
/// comment; quoted parts count as one. Multi-line strings (`"""` and `'''`, values only) are
/// skipped whole: a dotted word on one of their lines is text, not a key (a file of a deep key
/// and a note quoting one was located at the note).
pub(crate) fn deep_key(text: &str) -> Option<(Range<usize>, usize)> {
    let bytes = text.as_bytes();
    // (start of the run, end of its first part, dots so far)
    let mut run: Option<(usize, usize, usize)> = None;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'"' | b'\'' if bytes.get(i + 1) == Some(&b) && bytes.get(i + 2) == Some(&b) => {
                run = None;
                i = multi_line_string_end(bytes, i);
                continue;
            }
            b'"' | b'\'' => {
                // A quoted key part (or a string value): skipped whole, on its line.
                let start = i;
                i += 1;
                while let Some(&c) = bytes.get(i) {
                    if c == b'\\' && b == b'"' {
                        i += 2;
                        continue;
                    }
                    if c == b || c == b'\n' {
                        break;
                    }
                    i += 1;
                }
                run.get_or_insert((start, i + 1, 0));
            }
            b'.' => {
                if let Some(r) = run.as_mut() {
                    r.2 += 1;
                    if r.2 >= TOML_KEY_DEPTH {
                        // Count the rest of the run, then answer.
                        let mut parts = r.2 + 1;
                        let mut j = i + 1;
                        while let Some(&c) = bytes.get(j) {
                            match c {
                                b'.' => parts += 1,
                                b'=' | b',' | b'[' | b']' | b'{' | b'}' | b'#' | b'\n' => break,
                                _ => {}
                            }
                            j += 1;
                        }
                        return Some((r.0..r.1.max(r.0 + 1), parts));
                    }
                }
            }
            b' ' | b'\t' => {}
            b'=' | b',' | b'[' | b']' | b'{' | b'}' | b'\n' | b'\r' => run = None,
            b'#' => {
                run = None;
                while bytes.get(i).is_some_and(|&c| c != b'\n') {
                    i += 1;
                }
                continue;
            }
            _ => {
                let r = run.get_or_insert((i, i, 0));
                if r.2 == 0 {
                    r.1 = i + 1;
                }
            }
        }
        i += 1;
    }
    None
}

/// The byte after the multi-line string whose opening delimiter (`"""` or `'''`) is at
/// `start` (the end of `bytes` when it is not closed): in a basic string a backslash escapes
/// the next byte, and up to two quotes of the delimiter's kind may stand just before the
/// closing one (TOML 1.0, "Multi-line basic strings").
fn multi_line_string_end(bytes: &[u8], start: usize) -> usize {
    let Some(&q) = bytes.get(start) else { return bytes.len() };
    let mut i = start + 3;
    while let Some(&c) = bytes.get(i) {
        if c == b'\\' && q == b'"' {
            i += 2;
            continue;
        }
        if c == q && bytes.get(i + 1) == Some(&q) && bytes.get(i + 2) == Some(&q) {
            let mut end = i + 3;
            // `""""` or `"""""` closes with the content's last one or two quotes.
            for _ in 0..2 {
                if bytes.get(end) == Some(&q) {
                    end += 1;
                }
            }
            return end;
        }
        i += 1;
    }
    bytes.len()
}

/// The help for a date written the wrong way: `2027/01/01` or `01.01.2027` (which TOML reads as
/// an unquoted string, so its message advises quotes), or `"2027-01-01"` (quoted, which the
/// loader refuses): a date is written bare, year first, with dashes.
fn date_help(message: &str, written: &str) -> Option<String> {
    let value = written.trim().trim_matches('"');
    let parts: Vec<&str> = value.split(['/', '.', '-']).collect();
    let digits =
        |s: &str, n: std::ops::RangeInclusive<usize>| n.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
    // Year first: the date is known. Year last (`01/02/2027`): day and month could be either
    // way round, so none is guessed.
    let (year_first, year_last) = match parts.as_slice() {
        [y, m, d] if digits(y, 4..=4) && digits(m, 1..=2) && digits(d, 1..=2) => {
            (Some(format!("{y}-{m:0>2}-{d:0>2}")), false)
        }
        [a, b, y] => (None, digits(y, 4..=4) && digits(a, 1..=2) && digits(b, 1..=2)),
        _ => (None, false),
    };
    if message.contains("expected a TOML datetime") {
        if message.starts_with("invalid type: string") {
            let example = year_first.unwrap_or_else(|| "YYYY-MM-DD".to_string());
            return Some(format!("write the date bare, without quotes: `{example}`"));
        }
        // `20250101`: the digits of a date without its dashes.
        let eight = value.len() == 8 && value.bytes().all(|b| b.is_ascii_digit());
        let example = match (value.get(..4), value.get(4..6), value.get(6..)) {
            (Some(y), Some(m), Some(d)) if eight => format!("{y}-{m}-{d}"),
            _ => "YYYY-MM-DD".to_string(),
        };
        return Some(format!("a date is written bare, year first, with dashes: `{example}`"));
    }
    if !message.starts_with("string values must be quoted") || !value.contains(['/', '.']) {
        return None;
    }
    match (year_first, year_last) {
        (Some(date), _) => Some(format!("a date is written bare, year first, with dashes (no quotes): `{date}`")),
        (None, true) => Some("a date is written bare, year first, with dashes (no quotes): `YYYY-MM-DD`".into()),
        (None, false) => None,
    }
}

/// Where something is written: a file, a 1-based line and column (in characters), the length
/// of the text in bytes, and the line itself. Rules keep the site of their id so that the lint
/// can point at them as the loader does.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Site {
    /// File path as given to the loader.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// Length in bytes of the text meant (at least 1), for the underline.
    pub length: usize,
    /// The line's text, for display; `None` when there is no text to show. A line longer than
    /// [`MAX_SOURCE_LINE`] characters is kept as an excerpt around the column, marked `…`
    /// where it was cut.
    pub source_line: Option<String>,
    /// Characters of the line left out before `source_line` (less the `…` that marks the
    /// cut): the column within `source_line` is `column - source_offset`. 0 for a whole line.
    pub source_offset: usize,
}

impl Site {
    /// A file as a whole, without text to show: line 1, column 1.
    pub fn whole_file(file: impl Into<String>) -> Site {
        Site { file: file.into(), line: 1, column: 1, length: 1, source_line: None, source_offset: 0 }
    }

    /// A diagnostic with `code` at this site; its severity is the code's.
    pub fn diagnostic(&self, code: Code, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code,
            severity: code.severity(),
            file: self.file.clone(),
            line: self.line,
            column: self.column,
            message: super::shorten(&message.into()),
            help: None,
            source_line: self.source_line.clone(),
            source_offset: self.source_offset,
            length: self.length,
        }
    }
}

/// The longest source line a diagnostic keeps whole, in characters; a longer one is cut to an
/// excerpt of this many characters around the column.
pub const MAX_SOURCE_LINE: usize = 160;

/// `line` whole when it is short, otherwise [`MAX_SOURCE_LINE`] characters around the 1-based
/// `column` with `…` where it was cut; and the characters left out before it, less the `…`.
fn excerpt(line: &str, column: usize) -> (String, usize) {
    let count = line.chars().count();
    if count <= MAX_SOURCE_LINE {
        return (line.to_string(), 0);
    }
    let at = column.saturating_sub(1).min(count);
    let from = at.saturating_sub(MAX_SOURCE_LINE / 2).min(count.saturating_sub(MAX_SOURCE_LINE));
    let to = (from + MAX_SOURCE_LINE).min(count);
    let lead = if from > 0 { "…" } else { "" };
    let trail = if to < count { "…" } else { "" };
    let shown: String = line.chars().skip(from).take(to - from).collect();
    (format!("{lead}{shown}{trail}"), from.saturating_sub(lead.chars().count()))
}

/// Why a rule pack, a catalog or a rule-test folder could not be read from disk or loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// A file or directory could not be read.
    #[error("{path}: {message}")]
    Io {
        /// The path.
        path: String,
        /// The operating system's message.
        message: String,
    },
    /// The files were read but are not valid: every problem found.
    #[error("{0}")]
    Invalid(#[from] Diagnostics),
}

/// Decodes a file read from disk as UTF-8.
///
/// # Errors
/// [`LoadError::Io`] naming the path, line and column of the first invalid byte.
pub fn decode_utf8(path: &Path, bytes: Vec<u8>) -> Result<String, LoadError> {
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.as_bytes().get(..e.utf8_error().valid_up_to()).unwrap_or_default();
        let prefix = String::from_utf8_lossy(valid);
        let line = prefix.matches('\n').count() + 1;
        let last = prefix.rsplit('\n').next().unwrap_or("");
        let bom = usize::from(line == 1 && last.starts_with('\u{feff}'));
        let column = last.chars().count() + 1 - bom;
        LoadError::Io {
            path: format!("{}:{line}:{column}", path.display()),
            message: format!("byte {} is not valid UTF-8; save the file as UTF-8", valid.len()),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The key found is the first of more than 80 parts outside strings and comments, in a
    /// key/value line, a table header or an inline table; a key of 80 parts, dots in strings,
    /// comments and numbers are not keys too deep.
    #[test]
    fn the_first_key_too_deep_is_found_outside_strings_and_comments() {
        let deep = |n: usize| format!("k{}", ".a".repeat(n - 1));
        let text = format!(
            "# {}\nv = \"{}\"\nw = 1.5\n{} = 1\nt = {{ x = 1, {} = 2 }}\n",
            deep(200),
            deep(200),
            deep(80),
            deep(81)
        );
        let at = text.find("{ x").unwrap() + 9;
        assert_eq!(&text[at..at + 3], "k.a");
        assert_eq!(deep_key(&text), Some((at..at + 1, 81)));
        let quoted = "'q.r'.a.b = 1\n".replace(".a.b", &".a".repeat(90));
        assert_eq!(deep_key(&quoted), Some((0..5, 91)), "a quoted part is one part, underlined whole");
        assert_eq!(deep_key(&format!("{} = 1\n", deep(80))), None);
        // A file without a place for the parser's error keeps line 1, column 1.
        let src = SourceFile::new("s.toml", format!("a = 1\n{} = 1\n", deep(150)));
        let err = toml::from_str::<toml::Table>(&src.text).unwrap_err();
        let d = src.toml_error(&err);
        assert_eq!((d.code, d.line, d.column), (Code::E0101, 2, 1), "{d:?}");
        assert!(d.message.starts_with("recursion limit: a dotted key of 150 parts"), "{}", d.message);
    }

    /// Lines of a multi-line string are text: a dotted run there is not a key, whichever
    /// delimiter, escapes or quotes close it (`\"""` inside, `""""` at the end).
    #[test]
    fn a_deep_key_is_not_looked_for_in_multi_line_strings() {
        let deep = format!("k{}", ".a".repeat(90));
        let cases = [(r#"""""#, r#"""""#), ("'''", "'''"), (r#"""" \""" "#, r#"""""""#), ("'''x", "''''")];
        for (open, close) in cases {
            let text = format!("n = {open}\n{deep} = 1\n{close}\n{deep} = 1\n");
            let second = text.rfind(&deep).unwrap();
            assert_eq!(deep_key(&text), Some((second..second + 1, 91)), "{open} … {close}");
        }
        // A string never closed holds the rest of the file.
        assert_eq!(deep_key(&format!("n = '''\n{deep} = 1\n")), None);
    }
}
