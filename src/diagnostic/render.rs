//! The one renderer of diagnostics: a [`miette::ReportHandler`] that prints any
//! [`miette::Diagnostic`] the way rustc does, in plain text without colour (lawyers, logs and CI
//! read it; `file:line:column` first on the line). Every caller shows a diagnostic through it:
//! [`super::Diagnostic::render`] and [`super::Diagnostics`]' `Display` (the CLI's load and input
//! errors and their JSON `message`, the service's problem `detail`), and the lint's report.

use std::fmt::{self, Write};

/// Renders a diagnostic as plain text:
///
/// ```text
/// ccl-3a090.toml:31:7: error[E0320]: unknown attribute `tp`
///    |
/// 31 | when = "tp >= 4800"
///    |         ^
///   = help: did you mean `tpp`?
/// ```
///
/// The first line is the diagnostic's `Display`. The source line and the caret come from its
/// first label and its source code; a very long line is shown as 120 characters around the
/// caret. The help comes last.
#[derive(Debug, Clone, Copy, Default)]
pub struct PlainReportHandler;

impl PlainReportHandler {
    /// Writes the report of one diagnostic, without a final line break.
    ///
    /// # Errors
    /// Only those of the writer.
    pub fn render(&self, d: &dyn miette::Diagnostic, f: &mut impl Write) -> fmt::Result {
        write!(f, "{d}")?;
        if let Some((line_no, line, column)) = snippet(d) {
            let chars: Vec<char> = line.chars().collect();
            let col = column.min(chars.len());
            let start = col.saturating_sub(60);
            let end = (col + 60).min(chars.len());
            let lead = if start > 0 { "…" } else { "" };
            let trail = if end < chars.len() { "…" } else { "" };
            let shown: String = chars.get(start..end).unwrap_or_default().iter().collect();
            let width = line_no.to_string().len();
            write!(f, "\n{:width$} |\n{line_no} | {lead}{shown}{trail}", "")?;
            // Tabs stay tabs, so the caret lines up under the text as the terminal shows it.
            let pad: String = std::iter::repeat_n(' ', lead.chars().count())
                .chain(chars.get(start..col).unwrap_or_default().iter().map(|c| if *c == '\t' { '\t' } else { ' ' }))
                .collect();
            write!(f, "\n{:width$} | {pad}^", "")?;
        }
        if let Some(help) = d.help() {
            write!(f, "\n  = help: {help}")?;
        }
        Ok(())
    }
}

impl miette::ReportHandler for PlainReportHandler {
    fn debug(&self, diagnostic: &dyn miette::Diagnostic, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.render(diagnostic, f)
    }
}

/// The line a diagnostic points at: its 1-based number, its text, and the column of the first
/// label's start (0-based, in characters); `None` without a label or source code.
fn snippet(d: &dyn miette::Diagnostic) -> Option<(usize, String, usize)> {
    let label = d.labels()?.next()?;
    let contents = d.source_code()?.read_span(label.inner(), 0, 0).ok()?;
    let text = String::from_utf8_lossy(contents.data());
    let line = text.split('\n').next().unwrap_or("").trim_end_matches('\r');
    let offset = label.offset().saturating_sub(contents.span().offset());
    let column = line.char_indices().take_while(|(i, _)| *i < offset).count();
    Some((contents.line() + 1, line.to_string(), column))
}
