//! The page's form, control by control: the catalog product or a pasted product sheet, the
//! destination, where the items ship from, the date of export, the parties, and the two questions whose answer may be
//! left unknown (front-end fabricator or OSAT, Note 1 to 3A090.a; where in Ukraine, 15 CFR
//! 746.6). Each control carries its label, the value the user gave and, after a refused
//! submission, the marks of its error ([`Marks`]).

use export_controls::model::{PartyKey, Role};
use export_controls::{Country, Date};

use super::PageForm;
use super::fields::{Field, FieldError, Marks};
use crate::pack::LoadedPack;
use crate::report::esc;

/// The form as HTML, filled with `f` and marked with `errors`.
pub(super) fn form_html(pack: &LoadedPack, f: &PageForm, errors: &[FieldError]) -> String {
    let mut w = FormWriter { o: String::new(), marks: Marks::of(errors) };
    w.o.push_str("<form method=\"post\" action=\"/\" id=\"check\">\n");
    w.product(pack, f);
    w.sheet(f);
    w.destination(f);
    w.origin(f);
    w.date(f);
    w.parties(f);
    w.select(
        Field::Fab,
        "Is the exporter a front-end fabricator or OSAT? (Note 1 to 3A090.a)",
        &[("", "not stated (unknown)"), ("no", "no"), ("yes", "yes")],
        &f.fab,
    );
    w.select(
        Field::Region,
        "To Ukraine: where? (15 CFR 746.6)",
        &[
            ("", "not stated (unknown)"),
            ("other", "not Crimea, DNR or LNR"),
            ("crimea", "Crimea"),
            ("dnr", "DNR"),
            ("lnr", "LNR"),
        ],
        &f.region,
    );
    w.o.push_str("<button type=\"submit\" id=\"submit\">Determine</button>\n</form>\n");
    w.o
}

/// The form's HTML as it is written, and the marks of the errors to put at its controls.
struct FormWriter<'e> {
    o: String,
    marks: Marks<'e>,
}

impl FormWriter<'_> {
    /// The catalog's products, the chosen one selected; the empty choice when a sheet is pasted.
    fn product(&mut self, pack: &LoadedPack, f: &PageForm) {
        self.o.push_str(&format!(
            "<label for=\"product\">Product</label>\n<select id=\"product\" name=\"product\"{}>\n",
            self.marks.attrs(Field::Product, None)
        ));
        self.o.push_str(&format!(
            "<option value=\"\"{}>(choose a product, or paste a sheet below)</option>\n",
            if f.product.is_empty() && !f.sheet.is_empty() { " selected" } else { "" }
        ));
        for p in pack.catalog.iter() {
            let id = &p.product().id;
            self.o.push_str(&format!(
                "<option value=\"{}\"{}>{} ({})</option>\n",
                esc(id),
                if *id == f.product { " selected" } else { "" },
                esc(&p.product().name),
                esc(id)
            ));
        }
        self.o.push_str("</select>\n");
        self.o.push_str(&self.marks.note(Field::Product));
    }

    /// The box for a pasted product sheet (TOML).
    fn sheet(&mut self, f: &PageForm) {
        self.o.push_str("<label for=\"sheet\">or paste a product sheet (TOML, as in rules/products/)</label>\n");
        self.o.push_str(&format!(
            "<textarea id=\"sheet\" name=\"sheet\" rows=\"5\" spellcheck=\"false\"{}>{}</textarea>\n",
            self.marks.attrs(Field::Sheet, None),
            esc(&f.sheet)
        ));
        self.o.push_str(&self.marks.note(Field::Sheet));
    }

    /// Every country but the United States, the one given selected (China when none is).
    fn destination(&mut self, f: &PageForm) {
        self.o.push_str(&format!(
            "<label for=\"to\">Destination</label>\n<select id=\"to\" name=\"to\" required{}>\n",
            self.marks.attrs(Field::To, None)
        ));
        let to = if f.to.is_empty() { "CN" } else { f.to.as_str() };
        for c in Country::all() {
            if c == Country::US {
                continue;
            }
            let code = c.to_string();
            self.o.push_str(&format!(
                "<option value=\"{code}\"{}>{code} {}</option>\n",
                if code.eq_ignore_ascii_case(to) { " selected" } else { "" },
                esc(c.name())
            ));
        }
        self.o.push_str("</select>\n");
        self.o.push_str(&self.marks.note(Field::To));
    }

    /// Where the items ship from (`exported_from`): not stated (the first choice: unknown, never
    /// presumed to be the US), the United States (an export), or any other country (a
    /// reexport; the destination itself, an in-country transfer; 15 CFR 734.14).
    fn origin(&mut self, f: &PageForm) {
        self.o.push_str(&format!(
            "<label for=\"from\">Ships from (15 CFR 734.14: export, reexport or in-country transfer)</label>\n<select id=\"from\" name=\"from\"{}>\n",
            self.marks.attrs(Field::From, None)
        ));
        let from = f.from.trim();
        self.o.push_str(&format!(
            "<option value=\"\"{}>not stated (unknown)</option>\n",
            if from.is_empty() { " selected" } else { "" }
        ));
        let us = std::iter::once(Country::US);
        for c in us.chain(Country::all().into_iter().filter(|c| *c != Country::US)) {
            let code = c.to_string();
            self.o.push_str(&format!(
                "<option value=\"{code}\"{}>{code} {}</option>\n",
                if code.eq_ignore_ascii_case(from) { " selected" } else { "" },
                esc(c.name())
            ));
        }
        self.o.push_str("</select>\n");
        self.o.push_str(&self.marks.note(Field::From));
    }

    /// The date of export, today (UTC) when none is given.
    fn date(&mut self, f: &PageForm) {
        let date = if f.date.is_empty() { Date::today_utc().to_string() } else { f.date.clone() };
        self.o.push_str(&format!(
            "<label for=\"date\">Date of export</label>\n<input id=\"date\" name=\"date\" type=\"date\" value=\"{}\" required{}>\n",
            esc(&date),
            self.marks.attrs(Field::Date, None)
        ));
        self.o.push_str(&self.marks.note(Field::Date));
    }

    /// The parties box, one party a line as the CLI's `--party`, with the keys and roles it reads.
    fn parties(&mut self, f: &PageForm) {
        self.o.push_str("<label for=\"parties\">Parties (optional), one per line</label>\n");
        self.o.push_str(&format!(
            "<textarea id=\"parties\" name=\"parties\" rows=\"3\" spellcheck=\"false\"{}>{}</textarea>\n",
            self.marks.attrs(Field::Parties, Some("parties-hint")),
            esc(&f.parties)
        ));
        self.o.push_str(&self.marks.note(Field::Parties));
        self.o.push_str(&format!(
            "<p class=\"hint\" id=\"parties-hint\">As the CLI's <code>--party</code>, e.g. <code>role=end_user,name=Example Cloud,country=MY,hq=MY,parent_hq=CN</code>; keys {}; roles {}. Without parties, party rules (Entity List, headquarters, end uses) are not evaluated.</p>\n",
            PartyKey::ALL.map(PartyKey::as_str).join(", "),
            Role::ALL.map(Role::as_str).join(", ")
        ));
    }

    /// A choice among `options` (value, text), `chosen` selected.
    fn select(&mut self, field: Field, label: &str, options: &[(&str, &str)], chosen: &str) {
        let id = field.id();
        self.o.push_str(&format!(
            "<label for=\"{id}\">{label}</label>\n<select id=\"{id}\" name=\"{id}\"{}>\n",
            self.marks.attrs(field, None)
        ));
        for (value, text) in options {
            let sel = if *value == chosen { " selected" } else { "" };
            self.o.push_str(&format!("<option value=\"{value}\"{sel}>{text}</option>\n"));
        }
        self.o.push_str("</select>\n");
        self.o.push_str(&self.marks.note(field));
    }
}
