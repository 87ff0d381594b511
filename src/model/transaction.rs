//! A transaction: which product goes where, from where, to whom, on which date. Loaded from
//! TOML or JSON files (see rules/README.md, "Transactions").

use serde::{Deserialize, Serialize};
use toml::Spanned;
use toml::value::Datetime;

use super::country::Country;
use super::party::{EndUse, Exporter, Owner, Party, PartyError, PartyErrorKind, Role, Screening, UnknownEndUse};
use super::party_checks::validate_parties;
use super::region::Region;
use crate::date::Date;
use crate::diagnostic::{Code, Diagnostic, Diagnostics, SourceFile, did_you_mean};
use crate::number::{NumLit, slice};

/// What a determination's `missing` names when the transaction does not state where the items
/// ship from (`exported_from`) and a rule keyed to the kind of transaction (export, reexport,
/// in-country transfer; 15 CFR 734.13, 734.14, 734.16) may decide the outcome.
pub const EXPORTED_FROM_MISSING: &str = "exported_from (where the items ship from: `US` for an export from the United States, the destination for an in-country transfer, another country for a reexport; 15 CFR 734.14)";

/// One export, reexport or in-country transfer to be determined.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Transaction {
    /// Catalog id of the product, or a path to a product sheet (the CLI reads a relative path
    /// from the folder of the transaction file, not the working directory).
    pub product: String,
    /// Number of units, if known (information only; at least 1: a file with `quantity = 0`
    /// is refused, E0513).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<u64>,
    /// Country of destination.
    pub destination: Country,
    /// Country the item leaves: `US` for an export, the destination for an in-country
    /// transfer, another country for a reexport (15 CFR 734.14). `None` when not stated: the
    /// transaction kind is then unknown, a missing fact wherever a rule reads it (a rule or
    /// licence exception keyed to the kind leaves the determination `indeterminate`, naming
    /// `exported_from`; a review policy keyed to it gives way to the stricter one, with a
    /// warning), and read nowhere else. A JSON `null` is the same as leaving it out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exported_from: Option<Country>,
    /// The as-of date: the date of export.
    pub date: Date,
    /// Where in Ukraine the item goes (`crimea`, `dnr`, `lnr` or `other`), for 15 CFR 746.6;
    /// read for Ukraine only, unknown when not given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destination_region: Option<Region>,
    /// What the exporter declares about itself.
    #[serde(default)]
    pub exporter: Exporter,
    /// Parties: purchaser, consignees, end user.
    #[serde(default, rename = "party")]
    pub parties: Vec<Party>,
}

/// The TOML form of a party (also used by rule tests as `[[case.party]]`).
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct PartyFile {
    #[schemars(with = "crate::model::RoleLit")]
    role: Spanned<String>,
    name: Option<String>,
    #[schemars(with = "Option<String>")]
    country: Option<Spanned<String>>,
    #[schemars(with = "Option<String>")]
    headquarters: Option<Spanned<String>>,
    #[schemars(with = "Option<String>")]
    parent_headquarters: Option<Spanned<String>>,
    #[serde(default)]
    list_entries: Vec<String>,
    #[serde(default)]
    owner: Vec<OwnerFile>,
    #[serde(default)]
    owners_known: bool,
    #[serde(default)]
    #[schemars(with = "Vec<EndUseFileSchema>")]
    end_uses: Vec<Spanned<EndUseFile>>,
    #[serde(default)]
    screened: Vec<ScreeningFile>,
}

/// An element of `end_uses`: `"supercomputer"` or `{ use = "supercomputer", in = "CN" }`
/// ([`DeclaredEndUse`](crate::model::DeclaredEndUse)), read as text and checked with the
/// element's span.
pub(crate) struct EndUseFile {
    end_use: String,
    place: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PlacedEndUseFile {
    #[serde(rename = "use")]
    end_use: String,
    #[serde(rename = "in")]
    place: String,
}

impl<'de> Deserialize<'de> for EndUseFile {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = EndUseFile;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an end use name, or { use = name, in = country }")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(EndUseFile { end_use: v.to_string(), place: None })
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, m: A) -> Result<Self::Value, A::Error> {
                let p = PlacedEndUseFile::deserialize(serde::de::value::MapAccessDeserializer::new(m))?;
                Ok(EndUseFile { end_use: p.end_use, place: Some(p.place) })
            }
        }
        d.deserialize_any(Visitor)
    }
}

/// The schema of [`EndUseFile`].
#[derive(schemars::JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)]
enum EndUseFileSchema {
    Bare(crate::model::EndUseLit),
    Placed {
        #[serde(rename = "use")]
        end_use: crate::model::EndUseLit,
        #[serde(rename = "in")]
        place: String,
    },
}

/// `screened = [{ list = "entity_list", list_date = 2025-01-31, by = "..." }]`.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct ScreeningFile {
    list: String,
    #[schemars(with = "crate::date::DateLit")]
    list_date: Spanned<Datetime>,
    by: Option<String>,
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct OwnerFile {
    name: String,
    #[schemars(with = "Option<NumLit>")]
    percent: Option<Spanned<NumLit>>,
    #[serde(default)]
    list_entries: Vec<String>,
    #[serde(default)]
    screened: Vec<ScreeningFile>,
    #[serde(default)]
    owners_known: bool,
    /// The owner's own owners (`[[party.owner.owner]]`).
    #[serde(default)]
    owner: Vec<OwnerFile>,
    /// `registration = { country = "MY", number = "..." }` ([`crate::model::Registration`]).
    registration: Option<RegistrationFile>,
    #[serde(default)]
    identified: bool,
}

/// `registration = { country = "MY", number = "201901012345" }`.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct RegistrationFile {
    #[schemars(with = "String")]
    country: Spanned<String>,
    #[schemars(with = "String")]
    number: Spanned<String>,
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct TransactionFile {
    product: String,
    #[schemars(with = "Option<std::num::NonZeroU64>")]
    quantity: Option<Spanned<u64>>,
    #[schemars(with = "String")]
    destination: Spanned<String>,
    /// Country the items ship from, ISO 3166-1 alpha-2: `US` for an export, another country for
    /// a reexport, the destination for an in-country transfer (15 CFR 734.14). Left out (or
    /// `null` in JSON): not stated, and the kind of transaction is unknown where a rule reads it.
    #[schemars(with = "Option<String>")]
    exported_from: Option<Spanned<String>>,
    #[schemars(with = "crate::date::DateLit")]
    date: Spanned<Datetime>,
    destination_region: Option<Region>,
    #[serde(default)]
    exporter: Exporter,
    #[serde(default)]
    party: Vec<PartyFile>,
}

/// JSON Schema of TOML transaction files.
pub fn transaction_schema() -> schemars::Schema {
    schemars::schema_for!(TransactionFile)
}

/// Converts TOML parties, collecting every problem with its location.
pub(crate) fn parties_from_file(src: &SourceFile, files: Vec<PartyFile>, errors: &mut Vec<Diagnostic>) -> Vec<Party> {
    let mut out = Vec::new();
    let country = |c: &Option<Spanned<String>>, errors: &mut Vec<Diagnostic>| -> Option<Country> {
        src.parse_at(Code::E0503, c.as_ref()?, errors)
    };
    for p in files {
        let role = match Role::parse(p.role.get_ref()) {
            Some(r) => r,
            None => {
                let names = Role::ALL.map(Role::as_str);
                let help = did_you_mean(p.role.get_ref(), names).map(|s| format!("did you mean `{s}`?"));
                errors.push(
                    src.error(
                        Code::E0504,
                        p.role.span(),
                        format!("unknown role `{}`; expected one of {}", p.role.get_ref(), names.join(", ")),
                    )
                    .with_help_opt(help),
                );
                continue;
            }
        };
        let mut party = Party::new(role);
        party.name = p.name;
        party.country = country(&p.country, errors);
        party.headquarters = country(&p.headquarters, errors);
        party.parent_headquarters = country(&p.parent_headquarters, errors);
        party.list_entries = p.list_entries;
        party.owners_known = p.owners_known;
        for sc in p.screened {
            if let Some(list_date) = src.date_at(Code::E0310, &sc.list_date, errors) {
                party.screened.push(Screening { list: sc.list, list_date, by: sc.by });
            }
        }
        for e in p.end_uses {
            let span = e.span();
            let e = e.into_inner();
            let place = match &e.place {
                Some(c) => match c.parse::<Country>() {
                    Ok(c) => Some(c),
                    Err(error) => {
                        errors.push(src.error(Code::E0503, span, format!("end use place: {error}")));
                        continue;
                    }
                },
                None => None,
            };
            match EndUse::parse(&e.end_use) {
                Ok(end_use) => party.end_uses.push(super::party::DeclaredEndUse { end_use, place }),
                Err(unknown) => {
                    errors.push(src.error(Code::E0505, span, unknown.to_string()).with_help_opt(unknown.help()))
                }
            }
        }
        let mut over = None;
        party.owners = owners_from_file(src, role, p.owner, &mut over, 1, errors);
        // The same check and wording as for JSON and parties built in code, at the share that
        // takes the total over 100.
        if let Some(span) = over
            && let Err(e) = validate_parties(std::slice::from_ref(&party))
        {
            errors.push(src.error(Code::E0506, span, e.message));
        }
        out.push(party);
    }
    out
}

/// Converts the owners of a party or of an owner (`level` 1 for a party's), recursively,
/// collecting every problem with its location; `over` is set at the first share that takes
/// one holder's owners over 100 percent. Levels beyond [`MAX_OWNER_DEPTH`](super::party::MAX_OWNER_DEPTH)
/// are left for [`validate_parties`] to refuse (E0518).
fn owners_from_file(
    src: &SourceFile,
    role: Role,
    owners: Vec<OwnerFile>,
    over: &mut Option<std::ops::Range<usize>>,
    level: usize,
    errors: &mut Vec<Diagnostic>,
) -> Vec<Owner> {
    let mut out = Vec::with_capacity(owners.len());
    let mut total = rust_decimal::Decimal::ZERO;
    for o in owners {
        let percent = o.percent.as_ref().and_then(|n| {
            let raw = slice(&src.text, &n.span());
            // The literal as written (a TOML number) or the string's content: one strict form.
            let text = match n.get_ref() {
                NumLit::Text(t) => t.clone(),
                NumLit::Int(_) | NumLit::Float(_) => raw.trim().to_string(),
            };
            match crate::number::parse_percent(&text) {
                Ok(v) if (v.is_zero() || v.is_sign_positive()) && v <= rust_decimal::Decimal::ONE_HUNDRED => Some(v),
                Ok(v) => {
                    // The same wording as for JSON and parties built in code.
                    let one = [Party::new(role)];
                    let e = PartyError::new(&one, 0, None, PartyErrorKind::Share(v));
                    errors.push(src.error(Code::E0506, n.span(), e.message));
                    None
                }
                Err(m) => {
                    errors.push(src.error(Code::E0506, n.span(), m));
                    None
                }
            }
        });
        if let (Some(v), Some(n)) = (percent, &o.percent) {
            total += v;
            if total > rust_decimal::Decimal::ONE_HUNDRED && over.is_none() {
                *over = Some(n.span());
            }
        }
        let mut screened = Vec::new();
        for sc in o.screened {
            if let Some(list_date) = src.date_at(Code::E0310, &sc.list_date, errors) {
                screened.push(Screening { list: sc.list, list_date, by: sc.by });
            }
        }
        let owners = if level < super::party::MAX_OWNER_DEPTH {
            owners_from_file(src, role, o.owner, over, level + 1, errors)
        } else {
            // Kept one level deeper than read, so that E0518 refuses it.
            o.owner.into_iter().map(|c| Owner { name: c.name, ..Owner::default() }).collect()
        };
        let registration = o.registration.and_then(|r| {
            let country = src.parse_at(Code::E0503, &r.country, errors);
            if let Some(why) = super::party::Registration::number_problem(r.number.get_ref()) {
                let help = "give the number as the register of companies writes it, with the country of incorporation; for a natural person, or a company whose number you do not have, write `identified = true` instead";
                errors.push(src.error(Code::E0522, r.number.span(), why).with_help_opt(Some(help.into())));
                return None;
            }
            Some(super::party::Registration { country: country?, number: r.number.into_inner() })
        });
        out.push(Owner {
            name: o.name,
            percent,
            list_entries: o.list_entries,
            screened,
            owners_known: o.owners_known,
            owners,
            registration,
            identified: o.identified,
        });
    }
    out
}

/// E0513 at `span`: a quantity of zero units.
fn zero_quantity(src: &SourceFile, span: std::ops::Range<usize>) -> Diagnostic {
    src.error(Code::E0513, span, "quantity 0: a transaction moves at least one unit")
        .with_help_opt(Some("give the number of units, or leave `quantity` out while it is unknown".into()))
}

impl Transaction {
    /// Refuses a screening attestation whose list is dated after `today`
    /// ([`check_list_dates`](super::check_list_dates)), located in the file the transaction
    /// was read from (`src`) at the list's date.
    ///
    /// # Errors
    /// One diagnostic, E0511.
    pub fn check_list_dates(&self, src: &SourceFile, today: Date) -> Result<(), Diagnostics> {
        let Err(e) = super::party_checks::check_list_dates(&self.parties, today) else { return Ok(()) };
        let super::party::PartyErrorKind::ListDateAfterToday { list_date, .. } = &e.kind else { return Ok(()) };
        let date = list_date.to_string();
        let span = src.text.find(&date).map_or(0..1, |at| at..at + date.len());
        Err(Diagnostics(vec![src.error(e.code(), span, e.message.clone()).with_help_opt(e.help())]))
    }
}

/// Checks parties given in JSON or built in code as transaction files are checked: owners'
/// shares from 0 to 100, at most 100 in all (see [`validate_parties`]; end uses are typed).
///
/// # Errors
/// A message naming the party and the problem.
pub fn check_parties(parties: &[Party]) -> Result<(), String> {
    validate_parties(parties).map_err(|e| e.one_line())
}

/// Most significant digits a JSON number may have: JSON readers (serde_json among them) read a
/// number with a fraction or exponent as an IEEE 754 binary64 float, which holds every decimal
/// of up to 15 significant digits exactly (`DBL_DIG`, C11 5.2.4.2.2) and not every longer
/// one (`38.00564285706793587091` is read as `38.00564285706793`).
pub const JSON_NUMBER_DIGITS: usize = 15;

/// The first number in a JSON text (outside strings) that a binary float may not hold exactly:
/// more than [`JSON_NUMBER_DIGITS`] significant digits, with a fraction or exponent or too large
/// for a 64-bit integer (which JSON readers read exactly). With its byte span and the message
/// (E0521): such a number is to be written as a string, which is read exactly. Tolerant of
/// text that is not JSON (it then finds nothing more than the numbers it sees).
pub fn json_inexact_number(text: &str) -> Option<(std::ops::Range<usize>, String)> {
    let bytes = text.as_bytes();
    let (mut i, mut in_string) = (0usize, false);
    while let Some(&b) = bytes.get(i) {
        if in_string {
            match b {
                b'\\' => i += 1,
                b'"' => in_string = false,
                _ => {}
            }
            i += 1;
            continue;
        }
        if b == b'"' {
            in_string = true;
            i += 1;
            continue;
        }
        if !(b == b'-' || b.is_ascii_digit()) {
            i += 1;
            continue;
        }
        let start = i;
        while bytes.get(i).is_some_and(|c| c.is_ascii_digit() || matches!(c, b'-' | b'+' | b'.' | b'e' | b'E')) {
            i += 1;
        }
        let literal = text.get(start..i).unwrap_or("");
        let integer = !literal.contains(['.', 'e', 'E']);
        if integer && (literal.parse::<i64>().is_ok() || literal.parse::<u64>().is_ok()) {
            continue;
        }
        let mantissa = literal.split(['e', 'E']).next().unwrap_or("");
        let digits = mantissa.trim_start_matches('-').replace('.', "");
        let significant = digits.trim_start_matches('0').trim_end_matches('0').len();
        if significant > JSON_NUMBER_DIGITS {
            let read = literal.parse::<f64>().map(|f| f.to_string()).unwrap_or_else(|_| "another number".into());
            return Some((
                start..i,
                format!(
                    "the JSON number {literal} has {significant} significant digits, more than a JSON reader's binary float holds exactly ({JSON_NUMBER_DIGITS}): it would be read as {read}; write it as a string, \"{literal}\", which is read exactly"
                ),
            ));
        }
    }
    None
}

/// The E0521 diagnostic for the first number of the JSON text of `src` that a binary float may
/// not hold exactly ([`json_inexact_number`]), at the number, with the help to write it as a
/// string. The one check of a JSON transaction file ([`Transaction::parse`]) and of a request
/// body (the service), run on the text before anything reads it through a binary float.
pub fn json_inexact_number_error(src: &SourceFile) -> Option<Diagnostic> {
    let (span, m) = json_inexact_number(&src.text)?;
    Some(
        src.error(Code::E0521, span, m)
            .with_help("write the number as a string, which is read exactly as TOML numbers are"),
    )
}

/// The first owner's share written in a JSON transaction as a number literal that is not a
/// plain decimal (`6e1`, `-0`, `60.0e0`): serde reads a JSON number by value, so its literal is
/// checked here, as a TOML number's literal and every string are
/// ([`crate::number::parse_percent`]). With the byte offset of the literal.
fn json_percent_literal_error(text: &str) -> Option<(usize, String)> {
    for (at, key) in text.match_indices("\"percent\"") {
        // A key, not text inside a string (`\"percent\"` in a name).
        if text.get(..at).is_some_and(|before| before.ends_with('\\')) {
            continue;
        }
        let Some(after_colon) = text.get(at + key.len()..).and_then(|r| r.trim_start().strip_prefix(':')) else {
            continue;
        };
        let value = after_colon.trim_start();
        let start = text.len() - value.len();
        let literal: String =
            value.chars().take_while(|c| c.is_ascii_digit() || matches!(c, '-' | '+' | '.' | 'e' | 'E')).collect();
        if literal.is_empty() {
            continue;
        }
        if let Err(m) = crate::number::parse_percent(&literal) {
            return Some((start, m));
        }
    }
    None
}

/// Where a party problem is written in a JSON transaction: an owner's `"percent"` value (the
/// n-th such key of the text, owners at every level counted depth first, as they are
/// written: the owner at [`PartyError::owner_path`]), else the start of the file.
fn json_party_offset(text: &str, parties: &[Party], e: &PartyError) -> std::ops::Range<usize> {
    if e.owner_path.is_empty() {
        return 0..1;
    }
    let levels = super::party::MAX_OWNER_DEPTH + 1;
    let with_percent = |owners: &[(Vec<usize>, &Owner)]| owners.iter().filter(|(_, o)| o.percent.is_some()).count();
    let before: usize = parties.iter().take(e.party).map(|p| with_percent(&super::party::owner_paths(p, levels))).sum();
    let within = parties.get(e.party).map_or(0, |p| {
        let owners = super::party::owner_paths(p, levels);
        let at = owners.iter().position(|(path, _)| path.as_slice() == &*e.owner_path).unwrap_or(owners.len());
        with_percent(owners.get(..at).unwrap_or_default())
    });
    let nth = before + within;
    let Some((at, _)) = text.match_indices("\"percent\"").nth(nth) else { return 0..1 };
    let after = at + "\"percent\"".len();
    let rest = text.get(after..).unwrap_or("");
    let value = rest.trim_start().strip_prefix(':').map(str::trim_start).unwrap_or(rest);
    let start = text.len() - value.len();
    let len = value.find([',', '}', '\n']).unwrap_or(value.len()).max(1);
    start..start + len
}

/// A JSON syntax or schema error as a diagnostic, with the same codes and suggestions as TOML
/// files. serde_json reports a byte column, and for a value refused after it was read (an
/// unknown country, an impossible date, an unknown key) the position where it stopped, often
/// the end of the object: such errors point at the offending value instead, found by its text.
fn json_error(src: &SourceFile, e: &serde_json::Error) -> Diagnostic {
    let full = e.to_string();
    let message = full.rsplit_once(" at line ").map_or(full.as_str(), |(m, _)| m).to_string();
    let line = e.line().max(1);
    let line_start: usize = src.text.split_inclusive('\n').take(line - 1).map(str::len).sum();
    let mut offset = (line_start + e.column().saturating_sub(1)).min(src.text.len());
    if matches!(e.classify(), serde_json::error::Category::Data) {
        let token = message
            .split('`')
            .nth(1)
            .map(str::to_string)
            .or_else(|| message.split_whitespace().next().map(str::to_string))
            .unwrap_or_default();
        let quoted = format!("\"{token}\"");
        let upto = src.text.get(..(offset + 1).min(src.text.len())).unwrap_or("");
        let found = upto.rfind(&quoted).or_else(|| src.text.find(&quoted)).or_else(|| {
            // An unquoted value (a number where a string belongs).
            (!token.is_empty()).then(|| upto.rfind(token.as_str())).flatten()
        });
        if let Some(at) = found {
            offset = at;
        }
    }
    let (code, help) = if message.starts_with("unknown field") {
        (Code::E0102, crate::diagnostic::unknown_field_help(&message))
    } else if let Some(rest) = message.strip_prefix("unknown end use `") {
        let word = rest.split('`').next().unwrap_or_default();
        (Code::E0505, UnknownEndUse(word.to_string()).help())
    } else if message.contains("ISO 3166") {
        (Code::E0503, None)
    } else if message.contains("is not a share;") || message.contains("is negative; a share is a percentage") {
        // An owner's share, refused as in TOML (`number::parse_percent`).
        (Code::E0506, None)
    } else {
        (Code::E0501, None)
    };
    src.error(code, offset..offset + 1, message).with_help_opt(help)
}

/// Makes the `list_date` of every `screened` attestation of `holder` (a party or an owner
/// table) and of its owners, at every level of `owner` tables, a bare TOML date (`bare`).
/// The depth is bounded by the model's (owners beyond
/// [`MAX_OWNER_DEPTH`](super::party::MAX_OWNER_DEPTH) are refused when read).
fn bare_list_dates(holder: &mut toml::Value, bare: &impl Fn(&mut toml::Value)) {
    for screened in holder.get_mut("screened").and_then(toml::Value::as_array_mut).into_iter() {
        for d in screened.iter_mut().filter_map(|s| s.get_mut("list_date")) {
            bare(d);
        }
    }
    for o in holder.get_mut("owner").and_then(toml::Value::as_array_mut).into_iter().flatten() {
        bare_list_dates(o, bare);
    }
}

impl Transaction {
    /// Writes the transaction as a TOML transaction file (bare date, `[[party]]` tables) that
    /// [`Transaction::parse`] reads back to the same transaction.
    pub fn to_toml(&self) -> String {
        let Ok(toml::Value::Table(mut t)) = toml::Value::try_from(self) else { return String::new() };
        let bare = |v: &mut toml::Value| {
            if let Some(d) = v.as_str().and_then(|s| s.parse::<toml::value::Datetime>().ok()) {
                *v = toml::Value::Datetime(d);
            }
        };
        if let Some(d) = t.get_mut("date") {
            bare(d);
        }
        // Attestations' list dates (of parties and of owners at every level) are bare dates
        // too, as a transaction file writes them: a quoted date is a string, which the reader
        // refuses, so a record written with one could not be replayed.
        for p in t.get_mut("party").and_then(toml::Value::as_array_mut).into_iter().flatten() {
            bare_list_dates(p, &bare);
        }
        toml::to_string(&t).unwrap_or_default()
    }

    /// Parses a transaction file: TOML (bare dates, `[[party]]` tables) or JSON (same keys, the
    /// date as "YYYY-MM-DD", `"party": [...]`), chosen by the first character (`{` for JSON).
    ///
    /// # Errors
    /// Every problem found, each with the file, line and column.
    pub fn parse(src: &SourceFile) -> Result<Transaction, Diagnostics> {
        if src.text.len() > super::sheet::MAX_SHEET_BYTES {
            let msg = format!("a transaction file is larger than {} bytes", super::sheet::MAX_SHEET_BYTES);
            return Err(Diagnostics(vec![src.file_error(Code::E0507, msg)]));
        }
        let text = src.text.trim_start_matches('\u{feff}');
        let first = text.trim_start().chars().next();
        if matches!(first, Some('[') | Some('n') | Some('"')) && serde_json::from_str::<serde_json::Value>(text).is_ok()
        {
            return Err(Diagnostics(vec![src.file_error(
                Code::E0501,
                "a transaction file holds one JSON object ({...}) or TOML keys; this is another JSON value",
            )]));
        }
        if text.trim_start().starts_with('{') {
            return Self::parse_json(src, text);
        }
        Self::parse_toml(src)
    }

    /// A JSON transaction file (`text`, the file's text after any byte order mark), with the
    /// first error found: of the JSON, a percentage or number JSON cannot hold exactly, the
    /// region, the parties, a zero quantity.
    fn parse_json(src: &SourceFile, text: &str) -> Result<Transaction, Diagnostics> {
        let t: Transaction = serde_json::from_str(text).map_err(|e| Diagnostics(vec![json_error(src, &e)]))?;
        if let Some((at, m)) = json_percent_literal_error(&src.text) {
            return Err(Diagnostics(vec![src.error(Code::E0506, at..at + 1, m)]));
        }
        if let Some(d) = json_inexact_number_error(src) {
            return Err(Diagnostics(vec![d]));
        }
        if let Err(m) = super::region::check_region(t.destination_region, t.destination, &t.parties) {
            let at = src.text.find("\"destination_region\"").unwrap_or(0);
            return Err(Diagnostics(vec![src.error(Code::E0512, at..at + 1, m)]));
        }
        if let Err(e) = validate_parties(&t.parties) {
            // Point at the offending value where it is written.
            let at = super::party::repeat_span(&src.text, &t.parties, &e)
                .or_else(|| match e.kind {
                    PartyErrorKind::ControlChar(c) | PartyErrorKind::BidiControl(c) => {
                        super::party::written_char_span(&src.text, c)
                    }
                    _ => None,
                })
                .unwrap_or_else(|| json_party_offset(&src.text, &t.parties, &e));
            return Err(Diagnostics(vec![src.error(e.code(), at, e.message.clone()).with_help_opt(e.help())]));
        }
        if t.quantity == Some(0) {
            let at = src.text.find("\"quantity\"").map_or(0..1, |at| at..at + "\"quantity\"".len());
            return Err(Diagnostics(vec![zero_quantity(src, at)]));
        }
        Ok(t)
    }

    /// A TOML transaction file, with every error found.
    fn parse_toml(src: &SourceFile) -> Result<Transaction, Diagnostics> {
        let f: TransactionFile = toml::from_str(&src.text).map_err(|e| Diagnostics(vec![src.toml_error(&e)]))?;
        let mut errors = Vec::new();
        let destination: Option<Country> = src.parse_at(Code::E0503, &f.destination, &mut errors);
        // Not stated: unknown (`None`), never presumed to be the United States.
        let exported_from = match &f.exported_from {
            Some(c) => src.parse_at(Code::E0503, c, &mut errors).map(Some),
            None => Some(None),
        };
        let date = src.date_at(Code::E0310, &f.date, &mut errors);
        let parties = parties_from_file(src, f.party, &mut errors);
        if let Some(d) = destination
            && let Err(m) = super::region::check_region(f.destination_region, d, &parties)
        {
            let at = src.text.find("destination_region").unwrap_or(0);
            errors.push(src.error(Code::E0512, at..at + 1, m));
        }
        if let Some(q) = f.quantity.as_ref().filter(|q| *q.get_ref() == 0) {
            errors.push(zero_quantity(src, q.span()));
        }
        repeated_parties(src, &parties, &mut errors);
        match (destination, exported_from, date, errors.is_empty()) {
            (Some(destination), Some(exported_from), Some(date), true) => Ok(Transaction {
                product: f.product,
                quantity: f.quantity.map(Spanned::into_inner),
                destination,
                exported_from,
                date,
                destination_region: f.destination_region,
                exporter: f.exporter,
                parties,
            }),
            _ => Err(Diagnostics(errors)),
        }
    }
}

/// A party or an owner listed twice, too many of them, too long a name or one holding a
/// control character (E0523), in a TOML
/// transaction file, as in JSON and in code (shares were checked party by party as they were
/// read, at their values).
fn repeated_parties(src: &SourceFile, parties: &[Party], errors: &mut Vec<Diagnostic>) {
    if let Err(e) = validate_parties(parties)
        && matches!(
            e.kind,
            PartyErrorKind::DuplicateParty { .. }
                | PartyErrorKind::DuplicateOwner { .. }
                | PartyErrorKind::TooManyParties(_)
                | PartyErrorKind::TooManyOwners(_)
                | PartyErrorKind::NameTooLong(_)
                | PartyErrorKind::ControlChar(_)
        )
    {
        let at = super::party::repeat_span(&src.text, parties, &e)
            .or_else(|| match e.kind {
                PartyErrorKind::ControlChar(c) => super::party::written_char_span(&src.text, c),
                _ => None,
            })
            .unwrap_or(0..1);
        errors.push(src.error(e.code(), at, e.message.clone()).with_help_opt(e.help()));
    }
}

#[cfg(test)]
mod json_number_tests {
    use super::json_inexact_number;

    #[test]
    fn numbers_a_binary_float_may_not_hold_are_found_and_others_are_not() {
        // 15 significant digits or fewer, integers of 64 bits, and numbers in strings pass.
        for ok in [
            r#"{"percent": 38.25, "quantity": 18446744073709551615}"#,
            r#"{"percent": 12.3456789012345, "x": -0.000000000000000000123456789012345}"#,
            r#"{"name": "38.00564285706793587091 \" 1.00000000000000001", "percent": "38.00564285706793587091"}"#,
            r#"{"percent": 1e-30, "y": 100.000000000000000000}"#,
        ] {
            assert_eq!(json_inexact_number(ok), None, "{ok}");
        }
        let text = r#"{"owner": [{"percent": 11.99435714293206412909}]}"#;
        let (span, m) = json_inexact_number(text).unwrap();
        assert_eq!(&text[span], "11.99435714293206412909");
        assert!(m.contains("it would be read as 11.994357142932063"), "{m}");
        for bad in ["{\"q\": 18446744073709551616}", "{\"q\": 1.0000000000000001}", "{\"q\": -1234567890.123456e3}"] {
            assert!(json_inexact_number(bad).is_some(), "{bad}");
        }
    }
}
