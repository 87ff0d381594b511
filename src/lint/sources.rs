//! Checks on the `source` of rules, list entries and country groups: a placeholder or a source
//! that names no primary document (L010), and one that cites only a note or a file that is not
//! in the repository (L011).
//!
//! A source is accepted when it names at least one of:
//!
//! - a CFR section: `15 CFR 742.6(a)(6)(iii)`, `15 CFR part 744`, `15 C.F.R. § 744.23`,
//!   `§ 744.23` (without the title, a part of three digits, as the EAR's 730 to 774), or a
//!   supplement to a part (`Supp. No. 4 to part 744`);
//! - a Federal Register citation: `88 FR 73458`, `88 Fed. Reg. 73458`, `FR Doc. 2026-02262`;
//! - a public document: an address (`https://...`), a filing with the SEC (`Form 8-K`, `10-K`,
//!   `10-Q`, `6-K`, `20-F`, `40-F`), or a document of BIS (guidance, an FAQ, a policy
//!   statement, a press release, an advisory opinion).
//!
//! A reference to a `.md` or `.csv` file (`rules/us-ear/NOTES.md §2`, up to the end of its `;`
//! part or its parentheses) is a note, not a primary document: it neither counts as a citation
//! nor lends its `§` numbers to one. A source that holds such a note and nothing else is a
//! warning (L011) rather than an error, until its primary document is named.
//!
//! A note is cited by its path from the repository root, under `rules/` or `docs/`
//! (`rules/us-ear/NOTES.md §11`): a reader of the repository can open it. A file named any
//! other way (`regulation.md`, `../../shared/reference/chips.csv`, an absolute path) is not in
//! the repository, and citing it in a rule's `source`, `note` or `unverified` is a warning
//! (L011) too, even beside a primary document.

use super::metas;
use crate::diagnostic::{Code, Diagnostic, Site};
use crate::ruleset::RuleSet;

/// What a `source` cites.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Citation {
    /// A CFR section, a Federal Register citation or a public document.
    Primary,
    /// A placeholder word (`TODO`) as written.
    Placeholder(String),
    /// Only research notes: the `.md` files named.
    NotesOnly(Vec<String>),
    /// Nothing a reader can open, with a hint when the text comes close to a citation.
    Nothing(Option<&'static str>),
}

/// Words that mark a source as not yet written.
const PLACEHOLDERS: [&str; 4] = ["TODO", "TBD", "FIXME", "XXX"];

/// What the help of L010 says is accepted.
const ACCEPTED: &str = "cite a CFR section (`15 CFR 742.6(a)(6)(iii)`, `§ 744.23`), a Federal Register citation \
                        (`88 FR 73458`, `FR Doc. 2026-02262`) or a public document: an `https://` address, a \
                        filing (`Form 8-K`, `10-K`, `10-Q`), or BIS guidance, an FAQ, a policy statement or a \
                        press release";

/// L010: a source that is a placeholder or names no CFR section, Federal Register citation
/// or public document.
pub(super) fn unsupported(rules: &RuleSet) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (what, source, site) in sources(rules) {
        let (message, help) = match cites(source) {
            Citation::Primary | Citation::NotesOnly(_) => continue,
            Citation::Placeholder(word) => {
                (format!("the source of {what} is a placeholder (`{word}`): `{source}`"), ACCEPTED.to_string())
            }
            Citation::Nothing(hint) => (
                format!(
                    "the source of {what} names no CFR section, Federal Register citation or public document: `{source}`"
                ),
                match hint {
                    Some(h) => format!("{h}; {ACCEPTED}"),
                    None => ACCEPTED.to_string(),
                },
            ),
        };
        out.push(site.diagnostic(Code::L010, message).with_help(help));
    }
    out
}

/// L011: a source that names no primary document but cites a note, and any rule text that
/// cites a file that is not in the repository (`regulation.md`, `../../shared/reference/...`).
pub(super) fn notes(rules: &RuleSet) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (what, source, site) in sources(rules) {
        let Citation::NotesOnly(files) = cites(source) else { continue };
        let names = quoted(&files);
        let (note, is) = if files.len() == 1 { ("note", "is") } else { ("notes", "are") };
        let message = format!(
            "the source of {what} names no CFR section, Federal Register citation or public document; the \
             {note} it cites ({names}) {is} not one: `{source}`"
        );
        let outside = files.iter().any(|f| !in_repository(f));
        let help = if outside {
            format!("{PRIMARY}; {IN_REPOSITORY}")
        } else {
            format!("{PRIMARY}; the note may stay as a second reference")
        };
        out.push(site.diagnostic(Code::L011, message).with_help(help));
    }
    for (what, field, text, site) in texts(rules) {
        // A source citing only notes has its warning above, which says where notes belong.
        if field == "source" && matches!(cites(text), Citation::NotesOnly(_)) {
            continue;
        }
        let files: Vec<String> = notes_in(text).into_iter().filter(|f| !in_repository(f)).collect();
        if files.is_empty() {
            continue;
        }
        let is = if files.len() == 1 { "is" } else { "are" };
        let message = format!("the `{field}` of {what} cites {}, which {is} not in the repository", quoted(&files));
        out.push(site.diagnostic(Code::L011, message).with_help(format!("{PRIMARY}; {IN_REPOSITORY}")));
    }
    out
}

/// What the help of L011 asks for first.
const PRIMARY: &str =
    "cite the primary document the note relies on (a CFR section, an FR citation, a filing, BIS guidance)";

/// Where the help of L011 says notes belong.
const IN_REPOSITORY: &str = "an explanation the rule needs goes in a note in the repository, cited by its path from \
                             the repository root (`rules/us-ear/NOTES.md §1`)";

/// Folders of the repository that hold the notes rules may cite.
const NOTE_FOLDERS: [&str; 2] = ["rules/", "docs/"];

/// Whether a cited file is in the repository: a path from the repository root under `rules/`
/// or `docs/`, with no `..` in it. A bare name (`regulation.md`), a path that climbs out
/// (`../../shared/reference/chips.csv`) or an absolute path is not.
pub(crate) fn in_repository(path: &str) -> bool {
    NOTE_FOLDERS.iter().any(|f| path.starts_with(f)) && !path.split('/').any(|part| part == "..")
}

/// The files `text` names, in order, each once.
pub(crate) fn notes_in(text: &str) -> Vec<String> {
    strip_notes(text).1
}

/// `` `a`, `b` ``.
fn quoted(files: &[String]) -> String {
    files.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(", ")
}

/// Every text of the pack that may cite a file: the sources of [`sources`], and the `note` and
/// `unverified` of rules, list entries, country groups and the pack's `[aggregation]`.
fn texts(rules: &RuleSet) -> Vec<(String, &'static str, &str, Site)> {
    let mut out: Vec<(String, &'static str, &str, Site)> =
        sources(rules).into_iter().map(|(what, source, site)| (what, "source", source, site.clone())).collect();
    for m in metas(rules) {
        for (field, text) in [("note", &m.note), ("unverified", &m.unverified)] {
            if let Some(t) = text {
                out.push((format!("`{}`", m.id), field, t, m.site.clone()));
            }
        }
    }
    for e in &rules.lists {
        for (field, text) in [("note", &e.note), ("unverified", &e.unverified)] {
            if let Some(t) = text {
                out.push((format!("list entry `{}`", e.id), field, t, e.site.clone()));
            }
        }
    }
    for g in rules.groups.groups.values() {
        if let Some(t) = &g.note {
            out.push((format!("country group `{}`", g.id), "note", t, g.site.clone()));
        }
        for u in &g.unverified_dated {
            let what = format!("the unverified member {} of country group `{}`", u.country, g.id);
            out.push((what, "reason", &u.why.reason, g.site.clone()));
        }
    }
    let a = &rules.pack.aggregation;
    for (field, text) in [("source", Some(&a.source)), ("note", a.note.as_ref()), ("unverified", a.unverified.as_ref())]
    {
        if let Some(t) = text {
            out.push(("`[aggregation]`".to_string(), field, t, Site::whole_file("pack.toml")));
        }
    }
    out
}

/// Every source of the pack that the lint can point at: what it belongs to (for messages), the
/// text, and where the owner is written. Equivalences (`[[treated_as]]`) keep no site and are
/// not checked.
fn sources(rules: &RuleSet) -> Vec<(String, &str, &Site)> {
    let mut out: Vec<(String, &str, &Site)> = Vec::new();
    for m in metas(rules) {
        out.push((format!("`{}`", m.id), &m.source, &m.site));
    }
    for e in &rules.lists {
        out.push((format!("list entry `{}`", e.id), &e.source, &e.site));
    }
    for g in rules.groups.groups.values() {
        out.push((format!("country group `{}`", g.id), &g.source, &g.site));
        for (country, _, source) in &g.dated {
            out.push((format!("the dated member {country} of country group `{}`", g.id), source, &g.site));
        }
        for u in &g.unverified_dated {
            let what = format!("the unverified member {} of country group `{}`", u.country, g.id);
            out.push((what, &u.why.source, &g.site));
        }
    }
    out
}

/// What `source` cites (see the module documentation).
pub(crate) fn cites(source: &str) -> Citation {
    let (text, notes) = strip_notes(source);
    if let Some(word) = words(source).find(|w| PLACEHOLDERS.iter().any(|p| w.eq_ignore_ascii_case(p))) {
        return Citation::Placeholder(word.to_string());
    }
    if names_cfr(&text) || names_fr(&text) || names_public_document(&text) {
        Citation::Primary
    } else if !notes.is_empty() {
        Citation::NotesOnly(notes)
    } else {
        Citation::Nothing(near_miss(&text))
    }
}

/// The source without its references to `.md` files, and the files named. A reference runs
/// from the file name to the end of its `;` part or of the parentheses around it.
fn strip_notes(source: &str) -> (String, Vec<String>) {
    let mut text = String::with_capacity(source.len());
    let mut notes = Vec::new();
    let mut rest = source;
    while let Some((start, name)) = next_note(rest) {
        text.push_str(&rest[..start]);
        text.push(' ');
        if !notes.iter().any(|n| n == name) {
            notes.push(name.to_string());
        }
        let after = &rest[start..];
        let mut depth = 0usize;
        let mut end = after.len();
        for (i, c) in after.char_indices() {
            match c {
                '(' => depth += 1,
                ')' if depth == 0 => {
                    end = i;
                    break;
                }
                ')' => depth -= 1,
                ';' if depth == 0 => {
                    end = i;
                    break;
                }
                _ => {}
            }
        }
        rest = &after[end..];
    }
    text.push_str(rest);
    (text, notes)
}

/// The first file name ending in `.md` or `.csv` in `text`, outside an address
/// (`https://.../README.md`): its byte offset and the name.
fn next_note(text: &str) -> Option<(usize, &str)> {
    let is_name = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '/');
    let mut from = 0;
    loop {
        let (i, ext) = [".md", ".csv"]
            .iter()
            .filter_map(|ext| text[from..].find(ext).map(|i| (i + from, ext.len())))
            .min_by_key(|&(i, _)| i)?;
        let end = i + ext;
        let ends_word = !text[end..].chars().next().is_some_and(|c| c.is_ascii_alphanumeric());
        let start = text[..i].char_indices().rev().take_while(|&(_, c)| is_name(c)).last().map_or(i, |(j, _)| j);
        let in_address = text[..start].ends_with(':');
        if ends_word && start < i && !in_address {
            return Some((start, &text[start..end]));
        }
        from = end;
    }
}

/// The words of a text: runs of letters and digits.
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty())
}

/// The tokens of a text: runs of characters other than spaces and `,;()`.
fn tokens(text: &str) -> Vec<&str> {
    text.split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '(' | ')')).filter(|w| !w.is_empty()).collect()
}

/// Whether a token is a number (`15`, `742.6`, `742.6(a)` is cut at `(` by [`tokens`]).
fn starts_with_digit(token: &str) -> bool {
    token.chars().next().is_some_and(|c| c.is_ascii_digit())
}

fn all_digits(token: &str) -> bool {
    !token.is_empty() && token.chars().all(|c| c.is_ascii_digit())
}

/// `15 CFR 742.6`, `15 CFR part 744`, `15 C.F.R. § 744.23`, `§ 744.23`, `Supp. No. 4 to part 744`.
fn names_cfr(text: &str) -> bool {
    let t = tokens(text);
    let cfr = |w: &str| w == "CFR" || w == "C.F.R.";
    let section_after = |i: usize| {
        let mut j = i + 1;
        while t.get(j).is_some_and(|w| w.eq_ignore_ascii_case("part") || w.chars().all(|c| c == '§')) {
            j += 1;
        }
        t.get(j).is_some_and(|w| starts_with_digit(w.trim_start_matches('§')))
    };
    let titled = (0..t.len()).any(|i| {
        t.get(i).is_some_and(|w| cfr(w)) && i > 0 && t.get(i - 1).is_some_and(|w| all_digits(w)) && section_after(i)
    });
    // `§ 744.23`, `§744.23`, `§§ 744.21-744.23`: a part of three digits (the EAR's are 730 to
    // 774) and a section; a note's `§3.1` is not one.
    let section_sign = text.match_indices('§').any(|(i, _)| {
        let rest = text[i..].trim_start_matches(|c: char| c == '§' || c.is_whitespace());
        let part: String = rest.chars().take_while(char::is_ascii_digit).collect();
        part.len() == 3
            && rest[part.len()..].starts_with('.')
            && rest[part.len() + 1..].starts_with(|c: char| c.is_ascii_digit())
    });
    let supplement = (0..t.len()).any(|i| {
        t.get(i).is_some_and(|w| w.starts_with("Supp"))
            && (i + 1..t.len().min(i + 6)).any(|j| {
                t.get(j) == Some(&"to")
                    && t.get(j + 1).is_some_and(|w| w.eq_ignore_ascii_case("part"))
                    && t.get(j + 2).is_some_and(|w| starts_with_digit(w))
            })
    });
    titled || section_sign || supplement
}

/// `88 FR 73458`, `88 Fed. Reg. 73458`, `FR Doc. 2026-02262`.
fn names_fr(text: &str) -> bool {
    let t = tokens(text);
    (0..t.len()).any(|i| {
        let volume = i > 0 && t.get(i - 1).is_some_and(|w| all_digits(w));
        let page = |j: usize| t.get(j).is_some_and(|w| all_digits(w.trim_end_matches('.')));
        match t.get(i).copied() {
            Some("FR") => {
                (volume && page(i + 1))
                    || (t.get(i + 1).is_some_and(|w| w.trim_end_matches('.') == "Doc") && {
                        let j =
                            if t.get(i + 2).is_some_and(|w| w.trim_end_matches('.') == "No") { i + 3 } else { i + 2 };
                        t.get(j).is_some_and(|w| document_number(w))
                    })
            }
            Some("Fed.") => volume && t.get(i + 1) == Some(&"Reg.") && page(i + 2),
            _ => false,
        }
    })
}

/// A Federal Register document number: `2026-02262`.
fn document_number(token: &str) -> bool {
    let token = token.trim_end_matches('.');
    token.split_once('-').is_some_and(|(y, n)| all_digits(y) && all_digits(n))
}

/// An `https://` address, an SEC filing, or a BIS document.
fn names_public_document(text: &str) -> bool {
    let url = ["https://", "http://"].iter().any(|scheme| {
        text.match_indices(scheme).any(|(i, _)| {
            let host: String = text[i + scheme.len()..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-'))
                .collect();
            host.split('.').filter(|p| !p.is_empty()).count() >= 2
        })
    });
    const FORMS: [&str; 6] = ["10-K", "10-Q", "8-K", "6-K", "20-F", "40-F"];
    let filing = text
        .split(|c: char| !(c.is_alphanumeric() || c == '-'))
        .any(|w| FORMS.iter().any(|f| w.eq_ignore_ascii_case(f)));
    let bis = text.split(';').any(|part| {
        let lower = part.to_lowercase();
        let by_bis = words(part).any(|w| w == "BIS") || lower.contains("bureau of industry and security");
        let kind =
            ["guidance", "policy statement", "press release", "advisory opinion"].iter().any(|k| lower.contains(k))
                || words(part).any(|w| w == "FAQ" || w == "FAQs");
        by_bis && kind
    });
    url || filing || bis
}

/// What a source that cites nothing comes close to, as a hint.
fn near_miss(text: &str) -> Option<&'static str> {
    let w: Vec<&str> = words(text).collect();
    let has = |x: &str| w.contains(&x);
    let lower = text.to_lowercase();
    if has("CFR") {
        Some("a CFR citation gives the title and the section, e.g. `15 CFR 744.23`")
    } else if has("FR") || lower.contains("federal register") {
        Some(
            "a Federal Register citation gives the volume and the page (`88 FR 73458`) or the document number (`FR Doc. 2026-02262`)",
        )
    } else if ["8K", "10K", "10Q", "6K"].iter().any(|f| w.iter().any(|v| v.eq_ignore_ascii_case(f))) {
        Some("write the form with its hyphen, e.g. `Form 8-K`")
    } else if lower.contains("www.") {
        Some("give the address with its scheme, e.g. `https://www.bis.gov/...`")
    } else if has("BIS") {
        Some("name the BIS document: guidance, an FAQ, a policy statement or a press release, with its date")
    } else if w.iter().any(|v| v.eq_ignore_ascii_case("part") || v.eq_ignore_ascii_case("section")) {
        Some("name the title of the CFR, e.g. `15 CFR part 744`")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cfr_sections_are_citations() {
        for s in [
            "15 CFR 742.6",
            "15 CFR 742.6(a)(6)(iii) and ECCN 3A090 licence requirements",
            "15 CFR part 744",
            "31 CFR part 560 (OFAC ITSR)",
            "15 C.F.R. § 744.23",
            "15 CFR §744.23",
            "§ 744.23",
            "§744.23(a)(3)",
            "§§ 744.21-744.23",
            "15 CFR 774 Supp. No. 1, ECCN 3A090.a.1",
            "Supp. No. 4 to part 744",
        ] {
            assert_eq!(cites(s), Citation::Primary, "{s}");
        }
    }

    #[test]
    fn federal_register_citations_are_citations() {
        for s in
            ["88 FR 73458", "88 FR 73458 (2023-10-25)", "88 Fed. Reg. 73458", "FR Doc. 2026-02262", "FR Doc 2026-02262"]
        {
            assert_eq!(cites(s), Citation::Primary, "{s}");
        }
    }

    #[test]
    fn public_documents_are_citations() {
        for s in [
            "https://www.bis.gov/press-release/example",
            "NVIDIA Form 8-K (2025-04-15)",
            "AMD 10-Q for the quarter ended 2025-03-29",
            "Annual report on Form 10-K",
            "BIS guidance of 2025-05-13 on General Prohibition 10",
            "BIS FAQ on advanced computing",
            "BIS policy statement of 2025-05-13",
            "BIS press release of 2025-05-13",
            "Bureau of Industry and Security guidance on 3A090",
        ] {
            assert_eq!(cites(s), Citation::Primary, "{s}");
        }
    }

    #[test]
    fn placeholders_are_refused_even_beside_a_citation() {
        assert_eq!(cites("TODO"), Citation::Placeholder("TODO".into()));
        assert_eq!(cites("tbd"), Citation::Placeholder("tbd".into()));
        assert_eq!(cites("15 CFR 744.23; FR citation FIXME"), Citation::Placeholder("FIXME".into()));
        // A word that merely contains one is not a placeholder.
        assert_eq!(cites("15 CFR 744.23 (TODOS)"), Citation::Primary);
    }

    #[test]
    fn texts_that_cite_nothing() {
        assert_eq!(cites(""), Citation::Nothing(None));
        assert_eq!(
            cites("BIS rule"),
            Citation::Nothing(Some(
                "name the BIS document: guidance, an FAQ, a policy statement or a press release, with its date"
            ))
        );
        assert!(matches!(cites("CFR 742.6"), Citation::Nothing(Some(h)) if h.contains("`15 CFR 744.23`")));
        assert!(matches!(cites("15 CFR"), Citation::Nothing(Some(_))));
        assert!(matches!(cites("FR 73458"), Citation::Nothing(Some(h)) if h.contains("`88 FR 73458`")));
        assert!(matches!(cites("the Federal Register"), Citation::Nothing(Some(h)) if h.contains("volume")));
        assert!(matches!(cites("NVIDIA 8K"), Citation::Nothing(Some(h)) if h.contains("`Form 8-K`")));
        assert!(matches!(cites("www.bis.gov"), Citation::Nothing(Some(h)) if h.contains("https://")));
        assert_eq!(cites("https://"), Citation::Nothing(None));
        assert_eq!(cites("NVIDIA and AMD statements (2025-07-15)"), Citation::Nothing(None));
        assert_eq!(cites("part 744"), Citation::Nothing(Some("name the title of the CFR, e.g. `15 CFR part 744`")));
    }

    #[test]
    fn a_research_note_is_not_a_citation_and_lends_none_its_section_numbers() {
        assert_eq!(cites("regulation.md (research cut-off)"), Citation::NotesOnly(vec!["regulation.md".into()]));
        // `§3.4` and `§4.3b` belong to the note, not to the CFR.
        assert_eq!(
            cites("NVIDIA and AMD statements (2025-07-15); regulation.md §2 rows 10-11, §3.4"),
            Citation::NotesOnly(vec!["regulation.md".into()])
        );
        assert_eq!(
            cites("FD Associates summary (regulation.md §4.3b); Freshfields summary (chips.md §1)"),
            Citation::NotesOnly(vec!["regulation.md".into(), "chips.md".into()])
        );
        // With a primary document beside it, the source is accepted.
        assert_eq!(cites("87 FR 62186 (2022-10-13); regulation.md §2 row 1, §3.1"), Citation::Primary);
        assert_eq!(cites("BIS guidance of 2025-05-13 (regulation.md §2 row 12)"), Citation::Primary);
        assert_eq!(cites("TODO; regulation.md §2"), Citation::Placeholder("TODO".into()));
        // A section sign without a title names a part of three digits: `§3.1` is a note's.
        assert_eq!(cites("§3.1 of regulation.md"), Citation::NotesOnly(vec!["regulation.md".into()]));
        assert_eq!(cites("§ 3.1"), Citation::Nothing(None));
    }

    #[test]
    fn notes_are_md_and_csv_files_outside_addresses() {
        assert_eq!(notes_in("chips.csv (nvidia-h20); chips.md §2"), ["chips.csv", "chips.md"]);
        assert_eq!(
            notes_in("Figures from ../../shared/reference/chips.csv (sources below)"),
            ["../../shared/reference/chips.csv"]
        );
        assert_eq!(notes_in("rules/us-ear/NOTES.md §4; rules/us-ear/NOTES.md §6"), ["rules/us-ear/NOTES.md"]);
        // A file in an address is part of a public document, not a note.
        assert!(notes_in("https://github.com/owner/repo/blob/main/README.md").is_empty());
        assert_eq!(cites("https://github.com/owner/repo/blob/main/README.md"), Citation::Primary);
        // Not a file name: `.mdx`, `.csvs`, a bare extension.
        assert!(notes_in("page.mdx; data.csvs; .md").is_empty());
        assert_eq!(cites("chips.csv (nvidia-h20)"), Citation::NotesOnly(vec!["chips.csv".into()]));
    }

    #[test]
    fn a_note_is_in_the_repository_when_cited_by_its_path_under_rules_or_docs() {
        for p in ["rules/us-ear/NOTES.md", "rules/products/NOTES.md", "docs/mutation-testing.md", "rules/README.md"] {
            assert!(in_repository(p), "{p}");
        }
        for p in [
            "regulation.md",
            "chips.csv",
            "NOTES.md",
            "../shared/reference/regulation.md",
            "../../shared/reference/chips.csv",
            "/work/shared/reference/chips.md",
            "shared/reference/chips.md",
            "rules/../../shared/reference/regulation.md",
        ] {
            assert!(!in_repository(p), "{p}");
        }
    }

    #[test]
    fn a_file_outside_the_repository_is_flagged_in_any_rule_text_even_beside_a_primary_document() {
        let pack = |rule: &str| {
            let files = vec![
                crate::diagnostic::SourceFile::new(
                    "pack.toml",
                    "name = \"p\"\ntitle = \"p\"\nversion = \"0.1.0\"\nengine = \"^0.1\"\ncoverage_from = 2022-01-01\nresearched_until = 9999-12-31\n",
                ),
                crate::diagnostic::SourceFile::new("rules.toml", rule),
            ];
            let rules = match crate::ruleset::compile(&files) {
                Ok(rules) => rules,
                Err(e) => panic!("the pack compiles: {e}"),
            };
            notes(&rules).into_iter().map(|d| d.render()).collect::<Vec<_>>()
        };
        let rule = |source: &str, extra: &str| {
            format!(
                "[[license_requirement]]\nid = \"r\"\ntitle = \"t\"\nreason = \"RS\"\nsource = \"15 CFR 742.6\"\n\
                 from = 2023-01-01\nitems = \"all\"\ndestinations = {{ countries = [\"CN\"] }}\n\n\
                 [[notice]]\nid = \"n\"\ntitle = \"t\"\nsource = \"{source}\"\nfrom = 2023-01-01\n{extra}\n"
            )
        };
        // Beside a primary document, a note in the repository is fine.
        assert!(
            pack(&rule("88 FR 73458; rules/us-ear/NOTES.md §3", "note = \"see rules/us-ear/NOTES.md §3\"")).is_empty()
        );
        // A file outside the repository is not, in the source, a note or an `unverified`.
        for (source, extra, field, file) in [
            ("88 FR 73458; regulation.md §3.2", "", "source", "regulation.md"),
            (
                "88 FR 73458",
                "note = \"from ../../shared/reference/chips.csv\"",
                "note",
                "../../shared/reference/chips.csv",
            ),
            ("88 FR 73458", "unverified = \"secondary (chips.md §4)\"", "unverified", "chips.md"),
        ] {
            let found = pack(&rule(source, extra));
            assert_eq!(found.len(), 1, "{found:?}");
            assert!(
                found[0].contains(&format!("the `{field}` of `n` cites `{file}`, which is not in the repository")),
                "{found:?}"
            );
        }
        // A source citing only a note has one warning, whose help says where notes belong.
        let found = pack(&rule("regulation.md (research cut-off)", ""));
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].contains("the note it cites (`regulation.md`) is not one"), "{found:?}");
        assert!(found[0].contains("rules/us-ear/NOTES.md"), "{found:?}");
    }

    #[test]
    fn every_source_of_the_shipped_pack_cites_a_primary_document() {
        let Ok(rules) = RuleSet::shipped() else { panic!("the shipped pack loads") };
        let mut notes_only = Vec::new();
        for (what, source, _) in sources(&rules) {
            match cites(source) {
                Citation::Primary => {}
                Citation::NotesOnly(_) => notes_only.push(what),
                other => panic!("{what}: {other:?} for {source:?}"),
            }
        }
        // Issue 12, item 8: every source names its primary document; a note is a second reference.
        assert!(notes_only.is_empty(), "{notes_only:?}");
    }

    #[test]
    fn no_text_of_the_shipped_pack_cites_a_file_outside_the_repository() {
        let Ok(rules) = RuleSet::shipped() else { panic!("the shipped pack loads") };
        let outside: Vec<String> = texts(&rules)
            .into_iter()
            .flat_map(|(what, field, text, _)| {
                notes_in(text).into_iter().filter(|f| !in_repository(f)).map(move |f| format!("{field} of {what}: {f}"))
            })
            .collect();
        assert!(outside.is_empty(), "{outside:?}");
        assert!(notes(&rules).is_empty());
    }
}
