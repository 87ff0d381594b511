//! A transaction: which product goes where, from where, to whom, on which date. Loaded from
//! TOML or JSON files (see rules/README.md, "Transactions").

use serde::{Deserialize, Serialize};
use toml::Spanned;
use toml::value::Datetime;

use super::Country;
use super::party::{END_USES, Exporter, Owner, Party, Role};
use crate::date::Date;
use crate::diagnostic::{Code, Diagnostic, Diagnostics, SourceFile, did_you_mean};
use crate::number::{NumLit, exact_decimal, slice};

/// One export, reexport or in-country transfer to be determined.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Transaction {
    /// Catalog id of the product, or a path to a product sheet.
    pub product: String,
    /// Number of units, if known (information only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<u64>,
    /// Country of destination.
    pub destination: Country,
    /// Country the item leaves; `US` (the default) for an export.
    #[serde(default = "us")]
    pub exported_from: Country,
    /// The as-of date: the date of export.
    pub date: Date,
    /// What the exporter declares about itself.
    #[serde(default)]
    pub exporter: Exporter,
    /// Parties: purchaser, consignees, end user.
    #[serde(default, rename = "party")]
    pub parties: Vec<Party>,
}

fn us() -> Country {
    Country::US
}

/// The TOML form of a party (also used by rule tests as `[[case.party]]`).
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct PartyFile {
    #[schemars(with = "crate::schema::RoleLit")]
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
    #[schemars(with = "Vec<crate::schema::EndUseLit>")]
    end_uses: Vec<Spanned<String>>,
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct OwnerFile {
    name: String,
    #[schemars(with = "Option<NumLit>")]
    percent: Option<Spanned<NumLit>>,
    #[serde(default)]
    list_entries: Vec<String>,
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct TransactionFile {
    product: String,
    quantity: Option<u64>,
    #[schemars(with = "String")]
    destination: Spanned<String>,
    #[schemars(with = "Option<String>")]
    exported_from: Option<Spanned<String>>,
    #[schemars(with = "crate::schema::DateLit")]
    date: Spanned<Datetime>,
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
        for e in p.end_uses {
            if END_USES.contains(&e.get_ref().as_str()) {
                party.end_uses.push(e.into_inner());
            } else {
                let help = did_you_mean(e.get_ref(), END_USES).map(|s| format!("did you mean `{s}`?"));
                errors.push(
                    src.error(
                        Code::E0505,
                        e.span(),
                        format!("unknown end use `{}`; known end uses: {}", e.get_ref(), END_USES.join(", ")),
                    )
                    .with_help_opt(help),
                );
            }
        }
        for o in p.owner {
            let percent = o.percent.as_ref().and_then(|n| {
                match exact_decimal(n.get_ref(), &slice(&src.text, &n.span()), &["%"]) {
                    Ok(v) if v <= rust_decimal::Decimal::ONE_HUNDRED => Some(v),
                    Ok(v) => {
                        errors.push(src.error(Code::E0506, n.span(), format!("{v} percent is more than 100")));
                        None
                    }
                    Err(m) => {
                        errors.push(src.error(Code::E0506, n.span(), m));
                        None
                    }
                }
            });
            party.owners.push(Owner { name: o.name, percent, list_entries: o.list_entries });
        }
        out.push(party);
    }
    out
}

/// Checks parties given in JSON or built in code: end uses from the vocabulary, shares 0–100.
///
/// # Errors
/// A message naming the party and the problem.
pub fn check_parties(parties: &[Party]) -> Result<(), String> {
    party_problem(parties).map_err(|(_, m, h, _)| match h {
        Some(h) => format!("{m} ({h})"),
        None => m,
    })
}

/// A problem with the parties: code, message, help, and the offending text as written in JSON.
type PartyProblem = (Code, String, Option<String>, String);

/// The first problem with the parties, worded as for TOML files.
fn party_problem(parties: &[Party]) -> Result<(), PartyProblem> {
    for p in parties {
        for e in &p.end_uses {
            if !END_USES.contains(&e.as_str()) {
                let msg = format!("unknown end use `{e}`; known end uses: {}", END_USES.join(", "));
                let help = did_you_mean(e, END_USES).map(|s| format!("did you mean `{s}`?"));
                return Err((Code::E0505, msg, help, format!("\"{e}\"")));
            }
        }
        for o in &p.owners {
            if let Some(x) = o.percent.filter(|x| x.is_sign_negative() || *x > rust_decimal::Decimal::ONE_HUNDRED) {
                let msg = if x.is_sign_negative() {
                    format!("{x} is negative; figures must be zero or more")
                } else {
                    format!("{x} percent is more than 100")
                };
                return Err((Code::E0506, msg, None, format!("\"{x}\"")));
            }
        }
        let total: rust_decimal::Decimal = p.owners.iter().filter_map(|o| o.percent).sum();
        if total > rust_decimal::Decimal::ONE_HUNDRED {
            let first = p.owners.iter().find_map(|o| o.percent).unwrap_or_default();
            return Err((
                Code::E0506,
                format!("the owners of {} hold {total} percent in all, more than 100", p.label()),
                None,
                format!("\"{first}\""),
            ));
        }
    }
    Ok(())
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
    } else if message.contains("ISO 3166") {
        (Code::E0503, None)
    } else {
        (Code::E0501, None)
    };
    src.error(code, offset..offset + 1, message).with_help_opt(help)
}

impl Transaction {
    /// Writes the transaction as a TOML transaction file (bare date, `[[party]]` tables) that
    /// [`Transaction::parse`] reads back to the same transaction.
    pub fn to_toml(&self) -> String {
        let Ok(toml::Value::Table(mut t)) = toml::Value::try_from(self) else { return String::new() };
        if let Ok(d) = self.date.to_string().parse::<toml::value::Datetime>() {
            t.insert("date".into(), toml::Value::Datetime(d));
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
            let t: Transaction = serde_json::from_str(text).map_err(|e| Diagnostics(vec![json_error(src, &e)]))?;
            if let Err((code, message, help, needle)) = party_problem(&t.parties) {
                // Point at the offending value where it is written.
                let at = src.text.find(&needle).unwrap_or(0);
                return Err(Diagnostics(vec![
                    src.error(code, at..at + needle.len().max(1), message).with_help_opt(help),
                ]));
            }
            return Ok(t);
        }
        let f: TransactionFile = toml::from_str(&src.text).map_err(|e| Diagnostics(vec![src.toml_error(&e)]))?;
        let mut errors = Vec::new();
        let destination: Option<Country> = src.parse_at(Code::E0503, &f.destination, &mut errors);
        let exported_from = match &f.exported_from {
            Some(c) => src.parse_at(Code::E0503, c, &mut errors),
            None => Some(Country::US),
        };
        let date = src.date_at(Code::E0310, &f.date, &mut errors);
        let parties = parties_from_file(src, f.party, &mut errors);
        match (destination, exported_from, date, errors.is_empty()) {
            (Some(destination), Some(exported_from), Some(date), true) => Ok(Transaction {
                product: f.product,
                quantity: f.quantity,
                destination,
                exported_from,
                date,
                exporter: f.exporter,
                parties,
            }),
            _ => Err(Diagnostics(errors)),
        }
    }
}
