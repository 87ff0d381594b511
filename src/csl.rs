//! Importer for the trade.gov **Consolidated Screening List** (CSL): extracts the Entity List
//! entries (supplement no. 4 to 15 CFR part 744) and writes them as `[[list_entry]]` rules.
//!
//! # Input shapes
//!
//! The CSL is published by the International Trade Administration (ITA) at
//! `https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.json` (and
//! `consolidated.csv`); the same records come back from the CSL search API. The shapes below are
//! those written by ITA's own importers (GitHub `InternationalTradeAdministration/csl-importers`:
//! `shared/output.py` lists the CSV columns, `ElDataTimer/el_data.py` builds the Entity List
//! records, `StaticFileMaker` wraps them in `consolidated.json`).
//!
//! * **JSON**: an object `{"results": [...], "sources_used": [...], "total": n, ...}`, or a bare
//!   array of records. Each record has `id` (older API versions: `_id`), `source` (the list's full
//!   name, e.g. `"Entity List (EL) - Bureau of Industry and Security"`), `name`, `alt_names`
//!   (array of strings, or null), `addresses` (array of objects with `address`, `city`, `state`,
//!   `postal_code` and `country`, an ISO 3166-1 alpha-2 code where ITA could map it),
//!   `federal_register_notice`, `start_date` and `end_date` (`YYYY-MM-DD`, or null),
//!   `license_requirement`, `license_policy`, `source_list_url` and more fields this importer
//!   ignores.
//! * **CSV**: one header line with the columns `_id, source, entity_number, type, programs, name,
//!   title, addresses, federal_register_notice, start_date, end_date, standard_order,
//!   license_requirement, license_policy, call_sign, vessel_type, gross_tonnage,
//!   gross_registered_tonnage, vessel_flag, vessel_owner, remarks, source_list_url, alt_names,
//!   citizenships, dates_of_birth, nationalities, places_of_birth, source_information_url, ids`.
//!   List-valued fields are joined strings: `alt_names` with `"; "` (the Entity List's raw
//!   alternate-name column may also use `"; and "` before the last name), `addresses` as one
//!   `"address, city, state, postal_code, COUNTRY"` string per address (empty parts left out,
//!   country last) joined with `"; "`. Only `name` and `source` are required columns.
//!
//! # Output
//!
//! [`to_toml`] writes one `[[list_entry]]` table per Entity List entry, with the keys `list`,
//! `id`, `name`, `aliases`, `country`, `countries`, `source`, `from`, `until`,
//! `license_requirement`, `review_policy`, `footnote` and `note` (see [`to_toml`]).
//!
//! Nothing here panics on any input: every malformed file is a [`CslError`] naming the line
//! (and, for JSON, the column), and every record that cannot be imported is listed in
//! [`Import::rejected`] with the reason.

use std::collections::HashSet;

use serde_json::Value;

pub mod sentinels;

/// The CSL `source` of Entity List records, as ITA publishes it.
pub const ENTITY_LIST_SOURCE: &str = "Entity List (EL) - Bureau of Industry and Security";

/// The citation every imported entry's `source` starts with.
pub const ENTITY_LIST_CITATION: &str = "15 CFR 744 Supp. No. 4";

/// The two formats ITA publishes the CSL in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CslFormat {
    /// `consolidated.json` or a CSL API response: an object with a `results` array, or a bare
    /// array of records.
    Json,
    /// `consolidated.csv`: a header line, then one record per row.
    Csv,
}

/// One Entity List record as read from the CSL, before conversion to a rule.
///
/// Strings are trimmed; empty strings are `None` (or left out of the vectors).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CslEntry {
    /// The CSL record id (`id` in JSON, `_id` in CSV), or, when the record has none, a slug of
    /// the name. [`to_toml`] writes it as `"EL:" + id`.
    pub id: String,
    /// The listed name.
    pub name: String,
    /// The alternate names (`alt_names`), split, de-duplicated, in published order; the name
    /// itself is left out.
    pub aliases: Vec<String>,
    /// Every distinct address country in published order: ISO alpha-2 codes upper-cased, other
    /// values (ITA leaves unmappable country names as they are) kept as published.
    pub countries: Vec<String>,
    /// `federal_register_notice`, e.g. `84 FR 22961`.
    pub federal_register_notice: Option<String>,
    /// `start_date`, normalised to `YYYY-MM-DD`; `None` when the record has none or it is not a
    /// date (the entry is then taken as listed from the start, and [`to_toml`] says so).
    pub start_date: Option<String>,
    /// `start_date` as published when it is not a date (e.g. `10/17/2023`).
    pub start_date_as_published: Option<String>,
    /// `end_date`: normalised to `YYYY-MM-DD` when it is a date, otherwise as published
    /// ([`to_toml`] then leaves `until` out and says so in `note`).
    pub end_date: Option<String>,
    /// `license_requirement`, as published.
    pub license_requirement: Option<String>,
    /// `license_policy`, as published.
    pub license_policy: Option<String>,
}

/// Why a file could not be read as a CSL file. Records that are merely unusable are not
/// errors: they go to [`Import::rejected`].
#[derive(thiserror::Error, Debug)]
pub enum CslError {
    /// The text is not valid JSON (serde_json's message and 1-based position).
    #[error("invalid JSON at line {line}, column {column}: {message}")]
    Json {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// The text is not valid CSV (bad UTF-8, or a row with a different number of fields).
    #[error("invalid CSV at line {line}: {message}")]
    Csv {
        /// 1-based line.
        line: u64,
        /// What is wrong.
        message: String,
    },
    /// The CSV header lacks a column the importer needs.
    #[error(
        "CSV header (line 1) has no `{column}` column, so this is not a Consolidated Screening List CSV \
         (expected columns such as _id, source, name, alt_names, addresses, start_date; found: {found})"
    )]
    MissingColumn {
        /// The missing column.
        column: String,
        /// The header's columns, comma-separated.
        found: String,
    },
    /// Valid JSON or CSV, but not shaped like the CSL.
    #[error("not a Consolidated Screening List file: {0}")]
    NotCsl(String),
}

/// The result of [`parse`]: the Entity List entries, and what was left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Import {
    /// Entity List entries, in file order.
    pub entries: Vec<CslEntry>,
    /// Records of other lists (SDN, DPL, MEU, ...), skipped.
    pub skipped_other_sources: usize,
    /// Records that could not be read, each with where it was and why (not an object, no name,
    /// no `source`, duplicate id, end before start). An import with any is not complete.
    pub rejected: Vec<String>,
    /// The date of the Entity List in the file, `YYYY-MM-DD`: in a `consolidated.json` or API
    /// response, the Entity List's `source_last_updated` (else its `last_imported`, else the
    /// file's `search_performed_at`); `None` when the file does not say (CSV, a bare array).
    pub list_date: Option<String>,
    /// Whether the file holds every record of the list it was made from: false for a page of
    /// an API search (`offset` above 0, or fewer `results` than `total`).
    pub whole_file: bool,
}

impl Import {
    /// Entries without a usable start date (taken as listed from the start).
    pub fn undated(&self) -> usize {
        self.entries.iter().filter(|e| e.start_date.is_none()).count()
    }

    /// Whether the import is the complete Entity List as of a known date: the whole file, every
    /// record read, at least [`MIN_COMPLETE_ENTRIES`] entries, a list date, entries spread as the
    /// whole list's are ([`Import::narrowness`]) and holding what it holds
    /// ([`Import::implausibility`]). Only then does
    /// [`to_toml`] declare the list complete (`[[screening_list]] complete = true`), which lets
    /// a party that matches none of its entries be cleared of it.
    ///
    /// A file cannot say whether it is the whole list or the result of a name search (an API
    /// search for "huawei" answers with every match, `offset` 0 and a `total` equal to what it
    /// holds): a file with fewer entries than the floor is taken as a search or an extract.
    ///
    /// A search filtered by country or by program passes that floor (600 entries in China from
    /// one Federal Register notice, found by a hostile user): the whole list also spans at least
    /// [`MIN_COMPLETE_COUNTRIES`] countries and, where its entries name their notices, at least
    /// [`MIN_COMPLETE_NOTICES`] Federal Register notices.
    pub fn is_complete(&self) -> bool {
        self.whole_file
            && self.rejected.is_empty()
            && self.entries.len() >= MIN_COMPLETE_ENTRIES
            && self.list_date.is_some()
            && self.narrowness().is_none()
            && self.implausibility().is_none()
    }

    /// Why the entries cannot be the whole Entity List of [`Import::list_date`], though they
    /// may pass every floor (600 made-up records in twelve countries from twelve notices):
    /// an entry every list of that date holds is missing ([`sentinels::SENTINELS`]: Huawei
    /// Technologies Co., Ltd. since 2019, SMIC since 2020), an entry starts after the date, or
    /// the start dates span fewer than [`sentinels::MIN_START_YEARS`] years. `None` when none
    /// holds, or the list has no date.
    pub fn implausibility(&self) -> Option<String> {
        sentinels::implausible(&self.entries, self.list_date.as_deref())
    }

    /// Why the import is not declared complete, one reason a line, in the order: one page of a
    /// search, records not read, too few entries, no date, then, for an import of the floor's
    /// size, [`Import::narrowness`] or else [`Import::implausibility`]. Empty when
    /// [`Import::is_complete`].
    pub fn why_incomplete(&self) -> Vec<String> {
        let mut why = Vec::new();
        if !self.whole_file {
            why.push("the file is one page of a search, not the whole list".to_string());
        }
        if !self.rejected.is_empty() {
            why.push(format!("{} record(s) could not be read", self.rejected.len()));
        }
        if self.entries.len() < MIN_COMPLETE_ENTRIES {
            why.push(format!(
                "{} Entity List entries, fewer than {MIN_COMPLETE_ENTRIES}: a search result or an extract, not the whole list",
                self.entries.len()
            ));
        }
        if self.list_date.is_none() {
            why.push("the file does not give the list's date (import-csl --as-of gives it)".to_string());
        }
        if self.entries.len() >= MIN_COMPLETE_ENTRIES {
            // A search filtered by country or notice is said so; otherwise, what the entries lack.
            if let Some(why_not) = self.narrowness().or_else(|| self.implausibility()) {
                why.push(why_not);
            }
        }
        why
    }

    /// Why the entries look like a filtered search rather than the whole list: too few
    /// distinct countries, or too few distinct Federal Register notices among the entries
    /// that name one (when at least half do). `None` when neither.
    pub fn narrowness(&self) -> Option<String> {
        let countries: HashSet<&str> =
            self.entries.iter().flat_map(|e| e.countries.iter().map(String::as_str)).collect();
        if countries.len() < MIN_COMPLETE_COUNTRIES {
            return Some(format!(
                "its entries are in {} countr{}, fewer than {MIN_COMPLETE_COUNTRIES}: a search filtered by country, not the whole list",
                countries.len(),
                if countries.len() == 1 { "y" } else { "ies" }
            ));
        }
        let noticed: Vec<&str> = self.entries.iter().filter_map(|e| e.federal_register_notice.as_deref()).collect();
        let notices: HashSet<&str> = noticed.iter().copied().collect();
        if noticed.len() * 2 >= self.entries.len() && notices.len() < MIN_COMPLETE_NOTICES {
            return Some(format!(
                "its entries come from {} Federal Register notice(s), fewer than {MIN_COMPLETE_NOTICES}: a search filtered by notice or program, not the whole list",
                notices.len()
            ));
        }
        None
    }
}

/// The fewest distinct countries the entries of an import declared complete must be in.
/// Supplement No. 4 to 15 CFR part 744 lists entities under the headings of dozens of
/// destinations (from Afghanistan on, China, Russia, Iran, Pakistan and the United Arab
/// Emirates among the largest) in every edition this pack covers; a single notice can add
/// entries in four (FR Doc. 2024-28267, published 2024-12-05: 140 entities in China, Japan,
/// South Korea and Singapore).
pub const MIN_COMPLETE_COUNTRIES: usize = 10;

/// The fewest distinct Federal Register notices the entries of an import declared complete
/// must cite, when at least half of them cite one: the list has been built by hundreds of
/// rules since 1997.
pub const MIN_COMPLETE_NOTICES: usize = 10;

/// The fewest Entity List entries an import must hold to be declared the complete list: fewer
/// is a search result or an extract (Supplement No. 4 to 15 CFR part 744 has held well over
/// this many entries in every edition this pack covers, 2022 on). A floor, not a check of
/// completeness: a whole, dated file is still needed.
pub const MIN_COMPLETE_ENTRIES: usize = 500;

/// Guesses the format: JSON when the first non-whitespace character (after any UTF-8 byte
/// order mark) is `{` or `[`, CSV otherwise.
pub fn detect_format(text: &str) -> CslFormat {
    match strip_bom(text).trim_start().chars().next() {
        Some('{' | '[') => CslFormat::Json,
        _ => CslFormat::Csv,
    }
}

/// Reads a CSL file and keeps its Entity List entries.
///
/// Records whose `source` is not [`ENTITY_LIST_SOURCE`] (compared trimmed, ignoring case) are
/// counted in [`Import::skipped_other_sources`], unless the source still names the Entity List
/// in other words (`Entity List (EL) – Bureau ...` with an en dash, or double spaces): those are
/// listed in [`Import::rejected`], so that the import is not declared complete without them. Entity List records without a name, without a
/// `source`, with an id seen before, or ending before they start are listed in
/// [`Import::rejected`]. A record without a valid `start_date` (`YYYY-MM-DD`, optionally
/// followed by `T...`) is imported as listed from the start, since the list holds it.
///
/// # Errors
///
/// [`CslError::Json`] or [`CslError::Csv`] for text that does not parse (with its line, and
/// column for JSON), [`CslError::MissingColumn`] for a CSV without a `name` or `source` column,
/// [`CslError::NotCsl`] for empty input or JSON that is neither an array nor an object with a
/// `results` array.
pub fn parse(text: &str, format: CslFormat) -> Result<Import, CslError> {
    let text = strip_bom(text);
    if text.trim().is_empty() {
        return Err(CslError::NotCsl("the input is empty".into()));
    }
    let (raws, list_date, whole_file) = match format {
        CslFormat::Json => read_json(text)?,
        CslFormat::Csv => (read_csv(text)?, None, true),
    };
    let mut import =
        Import { entries: Vec::new(), skipped_other_sources: 0, rejected: Vec::new(), list_date, whole_file };
    let mut seen = HashSet::new();
    for raw in raws {
        accept(raw, &mut import, &mut seen);
    }
    Ok(import)
}

/// Writes the entries as `[[list_entry]]` rules, sorted by id, after a two-line comment naming
/// `source_name` and the number of entries and a `[[screening_list]]` table saying what the
/// import holds: `complete = true` with `as_of` = [`Import::list_date`] only when
/// [`Import::is_complete`], otherwise `complete = false` with a comment saying why. The output
/// is deterministic and always valid TOML.
///
/// Per entry: `list = "entity_list"`; `id = "EL:<id>"`; `name`; `aliases` (left out if none);
/// `country`, the first address country, and `countries`, every distinct one (left out if there
/// is at most one); `source = "15 CFR 744 Supp. No. 4; <federal_register_notice>"`; `from` and
/// `until` as bare TOML dates (`from` left out when the start date is unknown: the entry is in
/// force from the start); `license_requirement` as published; `review_policy` mapped from
/// `license_policy` (`presumption_of_denial`, `case_by_case`, `presumption_of_approval`,
/// `policy_of_denial`) when it names exactly one of them; `footnote = 4` or `5` when the licence
/// requirement carries that footnote mark (`footnote 4`, `⁴`, `\4\`, or a `4` right after the
/// closing `.` or `)`); `note` when something could not be carried over: an unknown start date,
/// a licence policy that is unmapped or qualified, an end date that is not a date, an address
/// country that is not an alpha-2 code, both footnote marks. Only alpha-2 codes are written as
/// countries.
///
/// Entries built by hand without a name are left out with a comment.
pub fn to_toml(import: &Import, source_name: &str) -> String {
    let mut ready = Vec::new();
    let mut skipped = Vec::new();
    for e in &import.entries {
        let id = format!("EL:{}", e.id);
        if e.name.trim().is_empty() {
            skipped.push(id);
        } else {
            ready.push((id, e.start_date.as_deref().and_then(parse_date), e));
        }
    }
    ready.sort_by(|a, b| a.0.cmp(&b.0));
    skipped.sort();

    let mut out = String::new();
    out.push_str(
        "# Imported from the Consolidated Screening List (Entity List entries only) by export-controls import-csl.\n",
    );
    out.push_str(&format!("# Source file: {}; entries: {}.\n", one_line(source_name), ready.len()));
    for id in &skipped {
        out.push_str(&format!("# Left out {}: no name.\n", one_line(id)));
    }
    let complete = import.is_complete() && skipped.is_empty();
    if !ready.is_empty() {
        out.push('\n');
        if !complete {
            let mut why = import.why_incomplete();
            if !skipped.is_empty() {
                // Entries without a name count with the records not read.
                let unread = format!("{} record(s) could not be read", import.rejected.len() + skipped.len());
                let at = usize::from(!import.whole_file);
                if import.rejected.is_empty() {
                    why.insert(at.min(why.len()), unread);
                } else if let Some(w) = why.get_mut(at) {
                    *w = unread;
                }
            }
            out.push_str(&format!("# Not declared complete: {}.\n", one_line(&why.join("; "))));
        }
        out.push_str("[[screening_list]]\n");
        out.push_str("list = \"entity_list\"\n");
        out.push_str("name = \"Entity List\"\n");
        out.push_str(&format!("complete = {complete}\n"));
        if let Some(d) = import.list_date.as_deref().and_then(parse_date) {
            out.push_str(&format!("as_of = {d}\n"));
        }
        let dated = import.list_date.as_deref().map(|d| format!(", Entity List as of {d}")).unwrap_or_default();
        let source =
            format!("export-controls import-csl of {} (Consolidated Screening List{dated})", one_line(source_name));
        out.push_str(&format!("source = {}\n", toml_str(&source)));
    }
    for (id, from, e) in &ready {
        out.push('\n');
        write_entry(&mut out, id, from.as_deref(), e);
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Reading

/// A record as read, before the Entity List checks.
#[derive(Default)]
struct Raw {
    /// Where it is, for messages: `JSON record 3` or `CSV line 5`.
    at: String,
    source: Option<String>,
    id: Option<String>,
    name: Option<String>,
    aliases: Vec<String>,
    countries: Vec<String>,
    federal_register_notice: Option<String>,
    start_date: Option<String>,
    end_date: Option<String>,
    license_requirement: Option<String>,
    license_policy: Option<String>,
}

fn strip_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// The records, the Entity List's date and whether the file is whole (not a page).
fn read_json(text: &str) -> Result<(Vec<Raw>, Option<String>, bool), CslError> {
    let value: Value = serde_json::from_str(text).map_err(|e| CslError::Json {
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    })?;
    let (records, list_date, whole) = json_records(value)?;
    let out = records.iter().enumerate().map(|(i, rec)| json_record(i, rec)).collect();
    Ok((out, list_date, whole))
}

/// The records of a bare array, or of an object's `results` with the list's date and whether
/// the file is whole (`offset` 0 and no more than `results` in `total`).
fn json_records(value: Value) -> Result<(Vec<Value>, Option<String>, bool), CslError> {
    match value {
        Value::Array(a) => Ok((a, None, true)),
        Value::Object(mut o) => match o.remove("results") {
            Some(Value::Array(a)) => {
                let date = json_list_date(&o);
                let offset = o.get("offset").and_then(Value::as_u64).unwrap_or(0);
                let total = o.get("total").and_then(Value::as_u64);
                let whole = offset == 0 && total.is_none_or(|t| t <= a.len() as u64);
                Ok((a, date, whole))
            }
            Some(_) => Err(CslError::NotCsl("`results` is not an array".into())),
            None => Err(CslError::NotCsl("the JSON object has no `results` array".into())),
        },
        _ => Err(CslError::NotCsl("the JSON is neither an array nor an object with `results`".into())),
    }
}

/// The `i`th record (from 0) as read; one that is not an object is read as a record of nothing.
fn json_record(i: usize, rec: &Value) -> Raw {
    let at = format!("JSON record {}", i + 1);
    let Value::Object(o) = rec else {
        return Raw { at, ..Raw::default() };
    };
    let get = |k: &str| o.get(k).and_then(scalar);
    Raw {
        at,
        source: get("source"),
        id: get("id").or_else(|| get("_id")),
        name: get("name"),
        aliases: json_aliases(o.get("alt_names")),
        countries: json_countries(o.get("addresses")),
        federal_register_notice: get("federal_register_notice"),
        start_date: get("start_date"),
        end_date: get("end_date"),
        license_requirement: get("license_requirement"),
        license_policy: get("license_policy"),
    }
}

/// A record's `alt_names`: an array of strings, or one `"; "`-joined string, each split.
fn json_aliases(alt_names: Option<&Value>) -> Vec<String> {
    match alt_names {
        Some(Value::Array(a)) => a.iter().filter_map(scalar).flat_map(|s| split_aliases(&s)).collect(),
        other => other.and_then(scalar).map(|s| split_aliases(&s)).unwrap_or_default(),
    }
}

/// A record's address countries: of an array of addresses, or of one flattened address string.
fn json_countries(addresses: Option<&Value>) -> Vec<String> {
    match addresses {
        Some(Value::Array(a)) => a.iter().flat_map(address_countries).collect(),
        other => other.and_then(scalar).map(|s| flat_address_countries(&s)).unwrap_or_default(),
    }
}

/// The country of one address of an array: an object's `country`, or the countries of a
/// flattened address string.
fn address_countries(address: &Value) -> Vec<String> {
    match address {
        Value::Object(addr) => addr.get("country").and_then(scalar).into_iter().collect(),
        other => scalar(other).map(|s| flat_address_countries(&s)).unwrap_or_default(),
    }
}

/// The Entity List's date in a `consolidated.json` or API response: its `sources_used` entry's
/// `source_last_updated`, else its `last_imported`, else the file's `search_performed_at`.
fn json_list_date(o: &serde_json::Map<String, Value>) -> Option<String> {
    let el = o.get("sources_used").and_then(Value::as_array).and_then(|a| {
        a.iter().find(|s| {
            s.get("source").and_then(Value::as_str).is_some_and(|x| x.trim().eq_ignore_ascii_case(ENTITY_LIST_SOURCE))
        })
    });
    let field = |v: Option<&Value>, k: &str| v.and_then(|v| v.get(k)).and_then(Value::as_str).and_then(parse_date);
    field(el, "source_last_updated")
        .or_else(|| field(el, "last_imported"))
        .or_else(|| o.get("search_performed_at").and_then(Value::as_str).and_then(parse_date))
}

/// A trimmed, non-empty string or number; anything else is `None`.
fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => nonempty(s),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn nonempty(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

fn csv_error(e: &csv::Error) -> CslError {
    CslError::Csv { line: e.position().map_or(1, |p| p.line()), message: e.to_string() }
}

fn read_csv(text: &str) -> Result<Vec<Raw>, CslError> {
    let mut rdr = csv::ReaderBuilder::new().has_headers(true).flexible(false).from_reader(text.as_bytes());
    let headers: Vec<String> =
        rdr.headers().map_err(|e| csv_error(&e))?.iter().map(|h| h.trim().to_ascii_lowercase()).collect();
    let col = |name: &str| headers.iter().position(|h| h == name);
    let missing = |column: &str| CslError::MissingColumn { column: column.into(), found: headers.join(", ") };
    let name_col = col("name").ok_or_else(|| missing("name"))?;
    let source_col = col("source").ok_or_else(|| missing("source"))?;
    let id_col = col("_id").or_else(|| col("id"));
    let alt_col = col("alt_names");
    let addr_col = col("addresses");
    let fr_col = col("federal_register_notice");
    let start_col = col("start_date");
    let end_col = col("end_date");
    let req_col = col("license_requirement");
    let pol_col = col("license_policy");

    let mut out = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| csv_error(&e))?;
        let field = |c: Option<usize>| c.and_then(|c| rec.get(c)).and_then(nonempty);
        let line = rec.position().map_or(0, |p| p.line());
        out.push(Raw {
            at: format!("CSV line {line}"),
            source: field(Some(source_col)),
            id: field(id_col),
            name: field(Some(name_col)),
            aliases: field(alt_col).map(|s| split_aliases(&s)).unwrap_or_default(),
            countries: field(addr_col).map(|s| flat_address_countries(&s)).unwrap_or_default(),
            federal_register_notice: field(fr_col),
            start_date: field(start_col),
            end_date: field(end_col),
            license_requirement: field(req_col),
            license_policy: field(pol_col),
        });
    }
    Ok(out)
}

/// Splits a `"; "`-joined alternate-name string; a leading `and ` (from `"...; and X"`) is
/// dropped, as ITA does when it builds the JSON.
fn split_aliases(s: &str) -> Vec<String> {
    s.split("; ")
        .map(|p| {
            let p = p.trim();
            p.strip_prefix("and ").map_or(p, str::trim)
        })
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect()
}

/// The countries of a flattened address string: `"; "`-joined addresses, each ending in
/// `", CC"`. Only two-letter codes are recognised (a piece ending otherwise is a fragment of an
/// address that itself contained `"; "`, or has no country).
fn flat_address_countries(s: &str) -> Vec<String> {
    s.split("; ")
        .filter_map(|piece| {
            let last = piece.rsplit(", ").next().unwrap_or(piece).trim();
            is_alpha2(last).then(|| last.to_ascii_uppercase())
        })
        .collect()
}

fn is_alpha2(s: &str) -> bool {
    s.len() == 2 && s.bytes().all(|b| b.is_ascii_alphabetic())
}

fn is_upper_alpha2(s: &str) -> bool {
    s.len() == 2 && s.bytes().all(|b| b.is_ascii_uppercase())
}

/// Adds an Entity List record to `import` as an entry, or says in `import.rejected` why it
/// cannot be one; a record of another list is counted as skipped.
fn accept(raw: Raw, import: &mut Import, seen: &mut HashSet<String>) {
    let Raw {
        at,
        source,
        id,
        name,
        aliases,
        countries,
        federal_register_notice,
        start_date,
        end_date,
        license_requirement,
        license_policy,
    } = raw;
    let label = match &name {
        Some(n) => format!("{at} ({n})"),
        None => at.clone(),
    };
    let Some(source) = source else {
        import.rejected.push(format!("{label}: no `source`, so it cannot be told to be an Entity List entry"));
        return;
    };
    if !source.eq_ignore_ascii_case(ENTITY_LIST_SOURCE) {
        // A source that names the Entity List in other words (spacing, a dash of another kind,
        // an abbreviation) may be an Entity List record: not read, and not counted as another
        // list's, so the import is not declared complete without it (tester17 F3).
        if names_entity_list(&source) {
            import.rejected.push(format!(
                "{label}: `source` {source:?} names the Entity List but is not written as ITA writes it ({ENTITY_LIST_SOURCE:?}), so it cannot be told to be an Entity List entry"
            ));
        } else {
            import.skipped_other_sources += 1;
        }
        return;
    }
    let Some(name) = name else {
        import.rejected.push(format!("{label}: Entity List record without a name"));
        return;
    };
    let dates = match EntryDates::read(start_date.as_deref(), end_date) {
        Ok(dates) => dates,
        Err(why) => {
            import.rejected.push(format!("{label}: {why}"));
            return;
        }
    };
    let id = match id.or_else(|| Some(slug(&name)).filter(|s| !s.is_empty())) {
        Some(id) => id,
        None => {
            import.rejected.push(format!("{label}: no id, and the name gives no usable slug"));
            return;
        }
    };
    if !seen.insert(id.clone()) {
        import.rejected.push(format!("{label}: duplicate id {id:?}; the first record with it was kept"));
        return;
    }
    import.entries.push(CslEntry {
        id,
        aliases: distinct_aliases(aliases, &name),
        name,
        countries: distinct_countries(countries),
        federal_register_notice,
        start_date: dates.start,
        start_date_as_published: dates.start_as_published,
        end_date: dates.end,
        license_requirement,
        license_policy,
    });
}

/// Whether a CSL `source` other than [`ENTITY_LIST_SOURCE`] may still name the Entity List:
/// it holds `entity list` or `(EL)` (case, spacing and punctuation aside). No other list of the
/// CSL does (`Military End User (MEU) List`, `Unverified List (UVL)`, `Denied Persons List (DPL)`,
/// and the State and Treasury lists).
fn names_entity_list(source: &str) -> bool {
    let words: Vec<String> =
        source.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect();
    words.windows(2).any(|w| matches!(w, [a, b] if a == "entity" && b == "list"))
        || source.split(|c: char| !c.is_alphanumeric()).any(|w| w == "EL")
}

/// A record's dates as an entry holds them.
struct EntryDates {
    /// `YYYY-MM-DD`, or `None` when there is no start date or it is not a date.
    start: Option<String>,
    /// The start date as published when it is not a date.
    start_as_published: Option<String>,
    /// `YYYY-MM-DD` when it is a date, otherwise as published.
    end: Option<String>,
}

impl EntryDates {
    /// The dates; an end before the start is refused (the message says so). A record without a
    /// usable start date is still on the list: taken as listed from the start.
    fn read(start_date: Option<&str>, end_date: Option<String>) -> Result<EntryDates, String> {
        let (start, start_as_published) = match start_date {
            None => (None, None),
            Some(s) => match parse_date(s) {
                Some(d) => (Some(d), None),
                None => (None, Some(s.to_string())),
            },
        };
        let end = end_date.map(|s| parse_date(&s).unwrap_or(s));
        if let (Some(end), Some(start)) = (end.as_deref().filter(|e| parse_date(e).is_some()), start.as_deref())
            && end < start
        {
            return Err(format!("end_date {end} is before start_date {start}"));
        }
        Ok(EntryDates { start, start_as_published, end })
    }
}

/// The alternate names in published order, once each, the name itself left out.
fn distinct_aliases(aliases: Vec<String>, name: &str) -> Vec<String> {
    let mut al: Vec<String> = Vec::new();
    for a in aliases {
        if a != name && !al.contains(&a) {
            al.push(a);
        }
    }
    al
}

/// The address countries in published order, once each, alpha-2 codes upper-cased.
fn distinct_countries(countries: Vec<String>) -> Vec<String> {
    let mut cs: Vec<String> = Vec::new();
    for c in countries {
        let c = if is_alpha2(&c) { c.to_ascii_uppercase() } else { c };
        if !cs.contains(&c) {
            cs.push(c);
        }
    }
    cs
}

/// Lower-case letters and digits, other runs replaced by `-`.
fn slug(name: &str) -> String {
    let mut out = String::new();
    let mut dash = false;
    for c in name.chars() {
        if c.is_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.extend(c.to_lowercase());
        } else {
            dash = true;
        }
    }
    out
}

/// `YYYY-MM-DD`, optionally followed by `T`/space and anything (a time), to `YYYY-MM-DD` if it
/// is a real calendar date.
fn parse_date(s: &str) -> Option<String> {
    let s = s.trim();
    let (date, rest) = (s.get(..10)?, s.get(10..)?);
    if !(rest.is_empty() || rest.starts_with(['T', 't', ' '])) {
        return None;
    }
    let b = date.as_bytes();
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = date.get(r)?;
        if part.bytes().all(|c| c.is_ascii_digit()) { part.parse().ok() } else { None }
    };
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let (y, m, d) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    (1..=days).contains(&d).then(|| date.to_string())
}

// ---------------------------------------------------------------------------------------------
// Writing

fn write_entry(out: &mut String, id: &str, from: Option<&str>, e: &CslEntry) {
    let mut notes: Vec<String> = Vec::new();
    if from.is_none() {
        notes.push(match e.start_date_as_published.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(raw) => format!("start_date as published: {raw} (not a date): taken as listed from the start"),
            None => "no start_date published: taken as listed from the start".to_string(),
        });
    }
    out.push_str("[[list_entry]]\n");
    out.push_str("list = \"entity_list\"\n");
    out.push_str(&format!("id = {}\n", toml_str(id)));
    out.push_str(&format!("name = {}\n", toml_str(e.name.trim())));
    let aliases: Vec<&str> = e.aliases.iter().map(|a| a.trim()).filter(|a| !a.is_empty()).collect();
    if !aliases.is_empty() {
        out.push_str(&format!("aliases = {}\n", toml_array(&aliases)));
    }
    let mut countries: Vec<&str> = Vec::new();
    for c in &e.countries {
        let c = c.trim();
        if is_upper_alpha2(c) {
            if !countries.contains(&c) {
                countries.push(c);
            }
        } else if !c.is_empty() {
            notes.push(format!("address country as published: {c}"));
        }
    }
    if let Some(first) = countries.first() {
        out.push_str(&format!("country = {}\n", toml_str(first)));
    }
    if countries.len() > 1 {
        out.push_str(&format!("countries = {}\n", toml_array(&countries)));
    }
    let source = match e.federal_register_notice.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(fr) => format!("{ENTITY_LIST_CITATION}; {fr}"),
        None => ENTITY_LIST_CITATION.to_string(),
    };
    out.push_str(&format!("source = {}\n", toml_str(&source)));
    if let Some(from) = from {
        out.push_str(&format!("from = {from}\n"));
    }
    if let Some(end) = e.end_date.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        match parse_date(end) {
            Some(until) => out.push_str(&format!("until = {until}\n")),
            None => notes.push(format!("end_date as published: {end} (not a date, so no `until`)")),
        }
    }
    let requirement = e.license_requirement.as_deref().map(str::trim).filter(|s| !s.is_empty());
    if let Some(req) = requirement {
        out.push_str(&format!("license_requirement = {}\n", toml_str(req)));
    }
    if let Some(policy) = e.license_policy.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        let (mapped, bare) = map_policy(policy);
        if let Some(p) = mapped {
            out.push_str(&format!("review_policy = {}\n", toml_str(p)));
        }
        if mapped.is_none() || !bare {
            notes.push(format!("license policy as published: {policy}"));
        }
    }
    if let Some(req) = requirement {
        match footnotes(req).as_slice() {
            [n] => out.push_str(&format!("footnote = {n}\n")),
            [] => {}
            _ => notes.push("license requirement carries both footnote 4 and footnote 5 marks".into()),
        }
    }
    if !notes.is_empty() {
        out.push_str(&format!("note = {}\n", toml_str(&notes.join("; "))));
    }
}

/// The policy `license_policy` names, if it names exactly one; and whether the text is just that
/// policy (nothing qualifying it).
fn map_policy(text: &str) -> (Option<&'static str>, bool) {
    let norm: String = text
        .to_lowercase()
        .chars()
        .map(|c| if ('\u{2010}'..='\u{2015}').contains(&c) { '-' } else { c })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace("case by case", "case-by-case");
    const PHRASES: [(&str, &str, &[&str]); 4] = [
        ("presumption of denial", "presumption_of_denial", &["presumption of denial"]),
        ("case-by-case", "case_by_case", &["case-by-case", "case-by-case review"]),
        ("presumption of approval", "presumption_of_approval", &["presumption of approval"]),
        ("policy of denial", "policy_of_denial", &["policy of denial"]),
    ];
    let found: Vec<_> = PHRASES.iter().filter(|(p, _, _)| norm.contains(p)).collect();
    match found.as_slice() {
        [(_, name, bare_forms)] => {
            let stripped = norm.trim_end_matches(['.', ' ']);
            (Some(*name), bare_forms.contains(&stripped))
        }
        _ => (None, false),
    }
}

/// The footnote numbers (4, 5) whose mark the licence requirement text carries.
fn footnotes(text: &str) -> Vec<u8> {
    let lower = text.to_lowercase();
    let mut found = Vec::new();
    for (n, digit, sup) in [(4u8, '4', '\u{2074}'), (5u8, '5', '\u{2075}')] {
        let word = format!("footnote {digit}");
        let worded = lower
            .match_indices(&word)
            .any(|(i, w)| lower.get(i + w.len()..).and_then(|r| r.chars().next()).is_none_or(|c| !c.is_ascii_digit()));
        let gpo = lower.contains(&format!("\\{digit}\\"));
        if worded || gpo || text.contains(sup) || trailing_mark(text) == Some(digit) {
            found.push(n);
        }
    }
    found
}

/// A digit closing the text right after its final `.`, `)` or `;` (a footnote mark that lost its
/// superscript), e.g. `...of the EAR. 4`; not a decimal such as `§ 744.4`, nor `Supp. No. 4`.
fn trailing_mark(text: &str) -> Option<char> {
    let t = text.trim_end();
    let digit = t.chars().next_back().filter(char::is_ascii_digit)?;
    let prefix = t.get(..t.len() - digit.len_utf8())?;
    let p = prefix.trim_end();
    let spaced = p.len() != prefix.len();
    let mut rev = p.chars().rev();
    match rev.next()? {
        ')' | ';' => Some(digit),
        '.' => {
            let word: String = rev.take_while(|c| c.is_alphanumeric()).collect();
            let decimal = word.chars().next().is_some_and(|c| c.is_ascii_digit()) && !spaced;
            let numbered = word.eq_ignore_ascii_case("on") || word.eq_ignore_ascii_case("son"); // "No.", "Nos." reversed
            (!decimal && !numbered).then_some(digit)
        }
        _ => None,
    }
}

/// A TOML basic string.
fn toml_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if c < ' ' || c == '\u{7f}' => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn toml_array(items: &[&str]) -> String {
    let parts: Vec<String> = items.iter().map(|s| toml_str(s)).collect();
    format!("[{}]", parts.join(", "))
}

/// Text safe inside a `#` comment: control characters become spaces.
fn one_line(s: &str) -> String {
    s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}
