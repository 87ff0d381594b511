//! The page's errors at the form field the user filled: the label of the field (and, in a
//! pasted product sheet, the line and column in the sheet; in the parties box, the line), with
//! the diagnostic's code, instead of a place in the JSON transaction that the page builds from
//! the form and sends through the API's path; and the attributes that mark the field for
//! assistive technology (`aria-invalid`, `aria-describedby` naming the message, `autofocus` on
//! the first bad field).

use export_controls::Date;
use export_controls::ruleset::Diagnostic;

use super::PageForm;
use crate::pack::LoadedPack;
use crate::problem::Problem;
use crate::report::esc;

/// A control of the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Field {
    /// The catalog product (`product`).
    Product,
    /// The pasted product sheet (`sheet`).
    Sheet,
    /// The destination (`to`).
    To,
    /// Where the items ship from (`from`, the transaction's `exported_from`).
    From,
    /// The date of export (`date`; `on`, its name before tester round 16, is read as it).
    Date,
    /// The parties box (`parties`), one party a line.
    Parties,
    /// Whether the exporter is a front-end fabricator or OSAT (`fab`).
    Fab,
    /// Where in Ukraine (`region`).
    Region,
}

impl Field {
    /// Every control, in the order of the form (and of [`PageForm`]'s fields).
    pub(super) const ALL: [Field; 8] =
        [Field::Product, Field::Sheet, Field::To, Field::From, Field::Date, Field::Parties, Field::Fab, Field::Region];

    /// The controls' names, in the order of [`Field::ALL`].
    pub(super) const NAMES: [&'static str; 8] = ["product", "sheet", "to", "from", "date", "parties", "fab", "region"];

    /// The control's `id` (and `name`).
    pub(super) fn id(self) -> &'static str {
        match self {
            Field::Product => "product",
            Field::Sheet => "sheet",
            Field::To => "to",
            Field::From => "from",
            Field::Date => "date",
            Field::Parties => "parties",
            Field::Fab => "fab",
            Field::Region => "region",
        }
    }

    /// The field a form names `name` (its control's name, or `on`, the date's name before).
    pub(super) fn named(name: &str) -> Option<Field> {
        if name == "on" { Some(Field::Date) } else { Field::ALL.into_iter().find(|f| f.id() == name) }
    }

    /// The field as its label names it.
    pub(super) fn label(self) -> &'static str {
        match self {
            Field::Product => "Product",
            Field::Sheet => "Product sheet",
            Field::To => "Destination",
            Field::From => "Ships from",
            Field::Date => "Date of export",
            Field::Parties => "Parties",
            Field::Fab => "Front-end fabricator or OSAT",
            Field::Region => "Region of Ukraine",
        }
    }
}

/// One error of a submitted form: at a field when it can be placed, else of the whole request
/// (the record store failing, say).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct FieldError {
    /// The field, or `None` for an error of the whole request.
    pub field: Option<Field>,
    /// Where in the field: `line 2, column 8` in a sheet, `line 2` in the parties box.
    pub place: Option<String>,
    /// The diagnostic's code (`E0501`), when it has one.
    pub code: Option<String>,
    /// What is wrong, with the diagnostic's help in brackets.
    pub message: String,
}

impl FieldError {
    pub(super) fn at(field: Field, message: impl Into<String>) -> Self {
        FieldError { field: Some(field), place: None, code: None, message: message.into() }
    }

    /// The error as one line of text: `Date of export: month 13 is not between 1 and 12`.
    pub(super) fn text(&self) -> String {
        match (self.field, &self.place) {
            (Some(f), Some(p)) => format!("{}, {p}: {}", f.label(), self.message),
            (Some(f), None) => format!("{}: {}", f.label(), self.message),
            (None, _) => self.message.clone(),
        }
    }

    /// The error as HTML: its code, then [`FieldError::text`].
    pub(super) fn html(&self) -> String {
        let code = self.code.as_ref().map(|c| format!("<code>{}</code> ", esc(c))).unwrap_or_default();
        format!("{code}{}", esc(&self.text()))
    }
}

/// The fields of a form marked bad, the first to take the focus.
pub(super) struct Marks<'e> {
    errors: &'e [FieldError],
}

impl<'e> Marks<'e> {
    pub(super) fn of(errors: &'e [FieldError]) -> Self {
        Marks { errors }
    }

    fn first(&self) -> Option<Field> {
        self.errors.iter().find_map(|e| e.field)
    }

    fn has(&self, field: Field) -> bool {
        self.errors.iter().any(|e| e.field == Some(field))
    }

    /// The control's attributes: `aria-describedby` naming its message (and `hint`, a hint
    /// it always has), `aria-invalid` when it has an error, `autofocus` on the first bad one.
    pub(super) fn attrs(&self, field: Field, hint: Option<&str>) -> String {
        let id = field.id();
        let bad = self.has(field);
        let described: Vec<String> =
            bad.then(|| format!("{id}-error")).into_iter().chain(hint.map(String::from)).collect();
        let mut a = String::new();
        if bad {
            a.push_str(" aria-invalid=\"true\"");
        }
        if !described.is_empty() {
            a.push_str(&format!(" aria-describedby=\"{}\"", described.join(" ")));
        }
        if bad && self.first() == Some(field) {
            a.push_str(" autofocus");
        }
        a
    }

    /// The field's messages, under the control (`id="{field}-error"`), or nothing.
    pub(super) fn note(&self, field: Field) -> String {
        let mine: Vec<String> = self.errors.iter().filter(|e| e.field == Some(field)).map(FieldError::html).collect();
        if mine.is_empty() {
            return String::new();
        }
        format!("<p class=\"field-error\" id=\"{}-error\">{}</p>\n", field.id(), mine.join("<br>"))
    }
}

/// The line numbers (1-based) of the parties box's non-blank lines: the n-th party of the
/// transaction is on line `lines[n]`.
pub(super) fn party_lines(parties: &str) -> Vec<usize> {
    parties.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()).map(|(i, _)| i + 1).collect()
}

/// The top-level key of the JSON object `text` at the place (1-based line and column, in
/// characters): the key there, or the one whose value holds the place or ends just before it;
/// and the index of the element when that value is an array. `None` before the first key.
pub(super) fn json_key_at(text: &str, line: usize, column: usize) -> Option<(String, Option<usize>)> {
    let (mut l, mut c) = (1usize, 1usize);
    let (mut depth, mut in_str, mut escaped) = (0usize, false, false);
    let (mut s, mut last) = (String::new(), String::new());
    let mut key: Option<String> = None;
    let mut index: Option<usize> = None;
    for (at, ch) in text.char_indices() {
        if (l, c) >= (line, column) {
            if depth == 1
                && !in_str
                && let Some(k) = key_starting(&text[at..])
            {
                return Some((k, None));
            }
            break;
        }
        if in_str {
            if escaped {
                escaped = false;
                s.push(ch);
            } else if ch == '\\' {
                escaped = true;
            } else if ch == '"' {
                in_str = false;
                last = std::mem::take(&mut s);
            } else {
                s.push(ch);
            }
        } else {
            match ch {
                '"' => in_str = true,
                ':' if depth == 1 => {
                    key = Some(last.clone());
                    index = None;
                }
                '[' if depth == 1 => {
                    index = Some(0);
                    depth += 1;
                }
                '{' | '[' => depth += 1,
                '}' | ']' => depth = depth.saturating_sub(1),
                ',' if depth == 2 => index = index.map(|i| i + 1),
                _ => {}
            }
        }
        if ch == '\n' {
            l += 1;
            c = 1;
        } else {
            c += 1;
        }
    }
    key.map(|k| (k, index))
}

/// The key of a top-level member that starts `rest` (after blanks and a comma): `"key":`.
fn key_starting(rest: &str) -> Option<String> {
    let rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == ',');
    let body = rest.strip_prefix('"')?;
    let end = body.find('"')?;
    body[end + 1..].trim_start().starts_with(':').then(|| body[..end].to_string())
}

/// The text in which the API's parser located a diagnostic of `request body`: the page's JSON
/// as sent; or, with a pasted sheet, the transaction as `parse_request` re-serialises it
/// (the sheet taken out, `product` added last; the page sends the sheet last, so that no other
/// key moves). Only the lines of the other keys matter here, not the product's id.
fn parsed_text(body: &str) -> String {
    let Ok(mut value) = serde_json::from_str::<serde_json::Value>(body) else { return body.to_string() };
    let Some(obj) = value.as_object_mut() else { return body.to_string() };
    if obj.remove("product_sheet").is_none() {
        return body.to_string();
    }
    if !obj.contains_key("product") {
        obj.insert("product".into(), serde_json::Value::String(String::new()));
    }
    serde_json::to_string_pretty(&value).unwrap_or_default()
}

/// Whether the diagnostic's quoted source line is the line of `text` it names, so that a
/// place is read against the text it was found in (else it is not placed at a field).
fn same_line(text: &str, d: &Diagnostic) -> bool {
    let Some(quoted) = &d.source_line else { return true };
    let Some(line) = d.line.checked_sub(1).and_then(|i| text.lines().nth(i)) else { return false };
    line.contains(quoted.trim_matches('…'))
}

/// The field of one diagnostic of the API's parser.
fn diagnostic_error(f: &PageForm, text: &str, d: &Diagnostic) -> FieldError {
    let message = match &d.help {
        Some(h) => format!("{} ({h})", d.message),
        None => d.message.clone(),
    };
    let mut e = FieldError { field: None, place: None, code: Some(d.code.to_string()), message };
    if d.file == "product_sheet" {
        e.field = Some(Field::Sheet);
        e.place = Some(format!("line {}, column {}", d.line, d.column));
        return e;
    }
    let placed = if d.file == crate::determine::BODY_FILE && same_line(text, d) {
        json_key_at(text, d.line, d.column)
    } else {
        None
    };
    match placed {
        Some((key, index)) => {
            e.field = match key.as_str() {
                "product" if f.product.trim().is_empty() => Some(Field::Sheet),
                "product" => Some(Field::Product),
                "destination" => Some(Field::To),
                "exported_from" => Some(Field::From),
                "date" => Some(Field::Date),
                "party" => Some(Field::Parties),
                "exporter" => Some(Field::Fab),
                "destination_region" => Some(Field::Region),
                _ => None,
            };
            if e.field == Some(Field::Parties) {
                e.place = index.and_then(|i| party_lines(&f.parties).get(i).map(|l| format!("line {l}")));
            }
        }
        // Not placed: the place as the parser gave it.
        None => e.message = format!("{}:{}:{}: {}", d.file, d.line, d.column, e.message),
    }
    e
}

/// The field a refusal without diagnostics is about, read from the form: an unknown catalog
/// product, a date before the pack's coverage, the United States as destination. `None` when
/// none of these holds (the refusal is then of the whole request).
fn refused_field(pack: &LoadedPack, f: &PageForm) -> Option<Field> {
    let product = f.product.trim();
    if !product.is_empty() && pack.catalog.get(product).is_none() {
        Some(Field::Product)
    } else if f.date.trim().parse::<Date>().is_ok_and(|d| !pack.rules().covers(d)) {
        Some(Field::Date)
    } else if f.to.trim().eq_ignore_ascii_case("US") {
        Some(Field::To)
    } else {
        None
    }
}

/// The errors of a problem the API's path gave for the page's `body`, each at its field.
pub(super) fn problem_errors(pack: &LoadedPack, f: &PageForm, body: &str, p: &Problem) -> Vec<FieldError> {
    if !p.diagnostics.is_empty() {
        let text = parsed_text(body);
        return p.diagnostics.iter().map(|d| diagnostic_error(f, &text, d)).collect();
    }
    let field = if p.status == 422 { refused_field(pack, f) } else { None };
    vec![FieldError { field, place: None, code: p.code.clone(), message: p.detail.clone() }]
}

#[cfg(test)]
mod tests {
    use super::{json_key_at, party_lines};

    #[test]
    fn a_place_in_the_json_is_the_key_whose_value_holds_it() {
        let t = r#"{"product":"nvidia-h20","destination":"CN","date":"2025-13-01"}"#;
        // Columns as serde_json gives them: at the value, or just after it.
        assert_eq!(json_key_at(t, 1, 39), Some(("destination".into(), None)));
        assert_eq!(json_key_at(t, 1, 63), Some(("date".into(), None)));
        assert_eq!(json_key_at(t, 1, 1), None);
        // At a key (E0512 points at `destination_region`), that key.
        let t = r#"{"date":"2025-04-20","destination_region":"crimea"}"#;
        assert_eq!(json_key_at(t, 1, 22), Some(("destination_region".into(), None)));
        assert_eq!(json_key_at(t, 1, 21), Some(("destination_region".into(), None)));
        let t = "{\n  \"date\": \"x\",\n  \"party\": [\n    {\n      \"role\": \"end_user\"\n    },\n    {\n      \"country\": \"ZZ\"\n    }\n  ],\n  \"product\": \"\"\n}";
        assert_eq!(json_key_at(t, 2, 12), Some(("date".into(), None)));
        assert_eq!(json_key_at(t, 5, 15), Some(("party".into(), Some(0))));
        assert_eq!(json_key_at(t, 8, 18), Some(("party".into(), Some(1))));
        assert_eq!(json_key_at(t, 11, 14), Some(("product".into(), None)));
        // A colon or brace inside a string is text.
        let t = r#"{"a":"x:{[","b":[{"c":"]"},{"d":1}]}"#;
        assert_eq!(json_key_at(t, 1, 33), Some(("b".into(), Some(1))));
    }

    #[test]
    fn the_names_are_the_controls_ids() {
        assert_eq!(super::Field::ALL.map(super::Field::id), super::Field::NAMES);
    }

    #[test]
    fn the_nth_party_is_on_the_nth_non_blank_line() {
        assert_eq!(party_lines("a\n\n  \nb\nc"), vec![1, 4, 5]);
        assert!(party_lines("").is_empty());
    }
}
