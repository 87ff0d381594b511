//! The catalog sheets a record was decided on (issue 13 item 2; 15 CFR 762.6: records are
//! reproduced on request, five years).
//!
//! A determination of a catalog product rests on the catalog's sheets of the day: the
//! product's own and those of the catalog products it contains. The determination's
//! `inputs.product` holds the figures, and replay compares them with the replaying catalog
//! (E0604), so a record made before a correction of the catalog would read as forged. The
//! service therefore keeps, in the record's request, under [`KEY`], each of those sheets with
//! its SHA-256 ([`CatalogSheet`]); the request column is part of the record's hash
//! ([`super::chain::link_hash`]), in SQLite and PostgreSQL alike. A replay takes the
//! [`Day`]: the replaying catalog with the record's sheets in place of its own, so the record
//! is decided on the facts of the day, and each sheet that differs from today's is reported
//! apart ([`Changed`], E0609, a warning), never as an altered record. A record without the key
//! (made before records carried their sheets, or of a sheet sent inline that names no catalog
//! product) is replayed against the replaying catalog, as before.

use export_controls::Catalog;
use export_controls::catalog::sheet_sha256;
use export_controls::diagnostic::{Code, SourceFile};
use export_controls::model::Product;
use serde::{Deserialize, Serialize};

mod tails;

/// The key of the request that holds the catalog sheets ([`CatalogSheet`]): added by the
/// service, never taken from a request body (`POST /v1/determinations` refuses unknown keys).
pub const KEY: &str = "catalog_sheets";

/// The code of a record replayed on a sheet of the day that differs from today's (E0609).
pub const CHANGED: Code = export_controls::audit::CATALOG_SHEET_CHANGED;

/// A catalog sheet a record was decided on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CatalogSheet {
    /// The catalog product's id, e.g. `nvidia-h20`.
    pub id: String,
    /// Lower-case hex SHA-256 of `sheet`'s UTF-8 bytes (what `sha256sum` gives for the file).
    pub sha256: String,
    /// The sheet's TOML text, as the catalog read it.
    pub sheet: String,
}

/// The sheets of `catalog` that `product` (prepared by it) rests on: its own if it is a catalog
/// product, and those of every catalog product it contains, at any depth
/// ([`Catalog::ids_used`]); empty for a sheet of its own that contains none.
pub fn of(catalog: &Catalog, product: &Product) -> Vec<CatalogSheet> {
    catalog
        .ids_used(product)
        .into_iter()
        .filter_map(|id| {
            let s = catalog.sheet(&id)?;
            Some(CatalogSheet { sha256: s.sha256().to_string(), sheet: s.text().to_string(), id })
        })
        .collect()
}

/// Takes the sheets out of a request object: `None` when it carries none, the sheets, or what
/// is wrong with the value.
pub fn take(request: &mut serde_json::Map<String, serde_json::Value>) -> Option<Result<Vec<CatalogSheet>, String>> {
    let v = request.remove(KEY)?;
    // A sheet referenced by its SHA-256 whose text the store does not hold ([`inline`]).
    let missing = v.as_array().and_then(|a| {
        a.iter().enumerate().find_map(|(i, e)| {
            let e = e.as_object()?;
            let sha256 = e.get("sha256")?.as_str()?;
            (!e.contains_key("sheet")).then(|| {
                let id = e.get("id").and_then(serde_json::Value::as_str).unwrap_or_default();
                format!(
                    "sheet {i} (`{}`): the store holds no sheet of sha256 {} (its row in the `sheets` table is missing)",
                    super::shown::shorten(id),
                    super::shown::shorten(sha256)
                )
            })
        })
    });
    if let Some(m) = missing {
        return Some(Err(m));
    }
    Some(serde_json::from_value(v).map_err(|e| format!("not a list of catalog sheets (id, sha256, sheet): {e}")))
}

/// A catalog sheet as a store keeps it once, in its `sheets` table: the sheet's text under its
/// SHA-256 (lower-case hex of its UTF-8 bytes), whatever number of records rest on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetRow {
    /// SHA-256 of `sheet`: the table's key, which the records reference.
    pub sha256: String,
    /// The sheet's TOML text.
    pub sheet: String,
}

/// A request column with its catalog sheets taken out: the column as a store keeps it (each of
/// [`KEY`]'s entries `{"id", "sha256"}`, without `sheet`) and the sheets, for its `sheets`
/// table. `None` when the request carries no sheet text to take out (none, or already by
/// reference). A sheet whose text does not hash to its `sha256` is left in the request, where
/// the record's checks find it (E0605): a store keys no text under a hash that is not its own.
///
/// The record's hash ([`super::chain::link_hash`]) is over the column as kept: it covers each
/// sheet by its SHA-256, and the store checks each sheet read back against it ([`inline`]).
pub fn by_reference(request: &str) -> Option<(String, Vec<SheetRow>)> {
    if !request.contains(KEY) {
        return None;
    }
    // A column ending as one taken apart before: only the transaction before the sheets is
    // parsed ([`tails`]); the same bytes as below.
    if let Some(kept) = tails::kept(request) {
        return Some(kept);
    }
    let kept = by_reference_parsed(request)?;
    tails::remember(request, &kept);
    Some(kept)
}

/// [`by_reference`] by parsing the whole column.
fn by_reference_parsed(request: &str) -> Option<(String, Vec<SheetRow>)> {
    let mut value: serde_json::Value = serde_json::from_str(request).ok()?;
    let entries = value.as_object_mut()?.get_mut(KEY)?.as_array_mut()?;
    let mut rows = Vec::with_capacity(entries.len());
    for e in entries.iter_mut().filter_map(serde_json::Value::as_object_mut) {
        let (Some(serde_json::Value::String(sha256)), Some(serde_json::Value::String(sheet))) =
            (e.get("sha256"), e.get("sheet"))
        else {
            continue;
        };
        if !hashes_to(sheet, sha256) {
            continue;
        }
        let sha256 = sha256.clone();
        if let Some(serde_json::Value::String(sheet)) = e.shift_remove("sheet") {
            rows.push(SheetRow { sha256, sheet });
        }
    }
    if rows.is_empty() {
        return None;
    }
    Some((value.to_string(), rows))
}

/// Most sheet texts [`hashes_to`] remembers (a catalog has about fifty; a sheet sent inline
/// that names catalog products adds theirs, not itself).
const KNOWN_SHEETS: usize = 256;

/// Whether `sheet`'s UTF-8 bytes hash to `sha256` (lower-case hex SHA-256). Each text is hashed
/// once: a text found to hash to its `sha256` is remembered (up to [`KNOWN_SHEETS`] of them),
/// and the same `sha256` with the same text (compared byte for byte) is not hashed again. Every
/// record of a catalog product carries the same sheets, which the catalog hashed when it was
/// loaded; before, the writer hashed each of them again for each record (about 3.2 KB a sheet).
pub fn hashes_to(sheet: &str, sha256: &str) -> bool {
    static KNOWN: std::sync::Mutex<std::collections::BTreeMap<String, String>> =
        std::sync::Mutex::new(std::collections::BTreeMap::new());
    let known = |k: &std::collections::BTreeMap<String, String>| k.get(sha256).is_some_and(|t| t == sheet);
    if KNOWN.lock().is_ok_and(|k| known(&k)) {
        return true;
    }
    if sheet_sha256(sheet) != sha256 {
        return false;
    }
    if let Ok(mut k) = KNOWN.lock()
        && k.len() < KNOWN_SHEETS
    {
        k.insert(sha256.to_string(), sheet.to_string());
    }
    true
}

/// The SHA-256s of the sheets a request column as kept references (entries of [`KEY`] without
/// `sheet`), in order; empty for a request that carries its sheets' text (records made before
/// stores kept sheets apart) or none.
pub fn referenced(request: &str) -> Vec<String> {
    if !request.contains(KEY) {
        return Vec::new();
    }
    let Ok(serde_json::Value::Object(o)) = serde_json::from_str::<serde_json::Value>(request) else {
        return Vec::new();
    };
    let Some(serde_json::Value::Array(entries)) = o.get(KEY) else { return Vec::new() };
    entries
        .iter()
        .filter_map(serde_json::Value::as_object)
        .filter(|e| !e.contains_key("sheet"))
        .filter_map(|e| e.get("sha256").and_then(serde_json::Value::as_str).map(str::to_string))
        .collect()
}

/// The request column as kept, with each referenced sheet's text put back from `rows` (the
/// store's `sheets` table, by SHA-256): the request as the record was made, as exports and
/// replays read it. A row whose text does not hash to its key is put back as it is, where the
/// record's checks find it (E0605: the record's sheet does not hash to its SHA-256); a sheet
/// without a row is left without text (E0605: the store holds no sheet of that SHA-256). A
/// request that references none is returned as it is.
pub fn inline(request: &str, rows: &std::collections::HashMap<String, String>) -> String {
    let mut value = match serde_json::from_str::<serde_json::Value>(request) {
        Ok(v) if request.contains(KEY) => v,
        _ => return request.to_string(),
    };
    let Some(serde_json::Value::Array(entries)) = value.as_object_mut().and_then(|o| o.get_mut(KEY)) else {
        return request.to_string();
    };
    let mut put = false;
    for e in entries.iter_mut().filter_map(serde_json::Value::as_object_mut) {
        if e.contains_key("sheet") {
            continue;
        }
        let text = e.get("sha256").and_then(serde_json::Value::as_str).and_then(|s| rows.get(s));
        if let Some(text) = text {
            e.insert("sheet".into(), serde_json::Value::String(text.clone()));
            put = true;
        }
    }
    if put { value.to_string() } else { request.to_string() }
}

/// A sheet a record carries that the replaying catalog holds otherwise, or not at all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Changed {
    /// The product's id.
    pub id: String,
    /// SHA-256 of the sheet the record was decided on (the sheet of the day).
    pub recorded_sha256: String,
    /// SHA-256 of the replaying catalog's sheet of that product; absent when the catalog no
    /// longer has the product.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub today_sha256: Option<String>,
}

impl std::fmt::Display for Changed {
    /// `warning[E0609]: catalog product `ID`: ...`, naming both SHA-256s.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let today = match &self.today_sha256 {
            Some(t) => format!("today's catalog sheet differs (sha256 {t})"),
            None => "today's catalog has no such product".to_string(),
        };
        write!(
            f,
            "warning[{CHANGED}]: catalog product `{}`: the record was decided on its sheet of the day (sha256 {}), which it carries; {today}: the catalog was corrected after the record was made; replayed on the sheet of the day",
            self.id, self.recorded_sha256
        )
    }
}

/// The code of a record carrying a sheet that today's engine refuses (E0612).
pub const REFUSED: Code = export_controls::audit::CATALOG_SHEET_REFUSED;

/// A sheet a record carries (it hashes to its SHA-256) that the replaying engine refuses: a
/// check of the figures added after the record was made. Not an alteration of the record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Refused {
    /// The product's id.
    pub id: String,
    /// SHA-256 of the sheet the record carries.
    pub sha256: String,
    /// The code today's checks refuse it with (e.g. `E0235`).
    #[schema(value_type = String, example = "E0235")]
    pub code: Code,
    /// Their message.
    pub message: String,
}

impl std::fmt::Display for Refused {
    /// `error[E0612]: catalog product `ID`: ... error[CODE]: MESSAGE ...`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "error[{REFUSED}]: catalog product `{}`: the sheet the record was decided on (sha256 {}, which it carries and which hashes to it) is refused by this engine's checks: error[{}]: {}; the record is not altered, but this engine cannot replay it on the facts of the day: replay it with the binary that made it",
            self.id,
            self.sha256,
            self.code,
            super::shown::shorten(&self.message)
        )
    }
}

/// The catalog a record is replayed on: the replaying catalog itself, or one made from it with
/// the record's sheets in their place (shared by the records carrying the same sheets,
/// [`Days`]).
#[derive(Debug, Clone)]
pub enum DayCatalog<'a> {
    /// The replaying catalog.
    Today(&'a Catalog),
    /// The replaying catalog with the record's sheets of the day in place of its own.
    OfTheDay(std::sync::Arc<Catalog>),
}

impl std::ops::Deref for DayCatalog<'_> {
    type Target = Catalog;
    fn deref(&self) -> &Catalog {
        match self {
            DayCatalog::Today(c) => c,
            DayCatalog::OfTheDay(c) => c,
        }
    }
}

/// The catalog a record is replayed against, and how its sheets differ from today's.
#[derive(Debug)]
pub struct Day<'a> {
    /// The replaying catalog with the record's sheets in place of its own (the replaying
    /// catalog itself when the record carries none, or the same ones, or one is refused).
    pub catalog: DayCatalog<'a>,
    /// The record's sheets that differ from the replaying catalog's, in the record's order.
    pub changed: Vec<Changed>,
    /// What is wrong with the sheets the record carries (a disagreement of the record, E0605:
    /// a sheet that does not hash to its SHA-256, an id twice, or a sheet the store does not
    /// hold); the catalog is then `today`.
    pub problem: Option<String>,
    /// A sheet the record carries that this engine refuses (E0612): the record cannot be
    /// replayed on the facts of the day; the catalog is then `today`.
    pub refused: Option<Refused>,
}

/// The [`Day`] of a record whose request column is `request`, replayed against `today`.
pub fn day<'a>(request: &str, today: &'a Catalog) -> Day<'a> {
    Days::new(today).day(request)
}

/// The [`Day`] of a record carrying `sheets` (as [`take`] gives them), replayed against `today`.
pub fn day_of(sheets: Option<Result<Vec<CatalogSheet>, String>>, today: &Catalog) -> Day<'_> {
    Days::new(today).day_of(sheets)
}

/// The catalogs of the day made for records replayed against one catalog, kept by the sheets
/// they were made with (each sheet's id and SHA-256, in the record's order), so that the
/// records decided on the same sheets (`records verify`: a store's records of one catalog of
/// the day) share one catalog, made once.
#[derive(Debug)]
pub struct Days<'a> {
    today: &'a Catalog,
    made: std::collections::HashMap<SheetsKey, Result<std::sync::Arc<Catalog>, Refused>>,
}

/// The sheets a catalog of the day is made with: each one's id and SHA-256, in the record's
/// order.
type SheetsKey = Vec<(String, String)>;

impl<'a> Days<'a> {
    /// No catalog made yet; `today` is the replaying catalog.
    pub fn new(today: &'a Catalog) -> Days<'a> {
        Days { today, made: std::collections::HashMap::new() }
    }

    /// Catalogs of the day made so far (for tests and measurements).
    pub fn made(&self) -> usize {
        self.made.len()
    }

    /// The [`Day`] of a record whose request column is `request`.
    pub fn day(&mut self, request: &str) -> Day<'a> {
        if !request.contains(KEY) {
            return self.day_of(None);
        }
        let mut value = serde_json::from_str::<serde_json::Value>(request).ok();
        self.day_of(value.as_mut().and_then(serde_json::Value::as_object_mut).and_then(take))
    }

    /// The [`Day`] of a record carrying `sheets` (as [`take`] gives them).
    pub fn day_of(&mut self, sheets: Option<Result<Vec<CatalogSheet>, String>>) -> Day<'a> {
        let today = self.today;
        let as_today =
            |problem, refused| Day { catalog: DayCatalog::Today(today), changed: Vec::new(), problem, refused };
        let sheets = match sheets {
            None => return as_today(None, None),
            Some(Err(m)) => return as_today(Some(m), None),
            Some(Ok(sheets)) => sheets,
        };
        let changed = match changed(&sheets, today) {
            Ok(c) => c,
            Err(m) => return as_today(Some(m), None),
        };
        if changed.is_empty() {
            return Day { catalog: DayCatalog::Today(today), changed, problem: None, refused: None };
        }
        let key: SheetsKey = sheets.iter().map(|s| (s.id.clone(), s.sha256.clone())).collect();
        let made = self.made.entry(key).or_insert_with(|| of_the_day(&sheets, today)).clone();
        match made {
            Ok(catalog) => Day { catalog: DayCatalog::OfTheDay(catalog), changed, problem: None, refused: None },
            Err(r) => Day { catalog: DayCatalog::Today(today), changed, problem: None, refused: Some(r) },
        }
    }
}

/// The sheets that differ from `today`'s, after checking that each hashes to its SHA-256 and
/// no id is given twice (what is wrong otherwise).
fn changed(sheets: &[CatalogSheet], today: &Catalog) -> Result<Vec<Changed>, String> {
    let mut changed = Vec::new();
    for (i, s) in sheets.iter().enumerate() {
        let hashed = sheet_sha256(&s.sheet);
        if hashed != s.sha256 {
            return Err(format!(
                "sheet {i} (`{}`): the record says sha256 {}, its sheet's is {hashed}",
                super::shown::shorten(&s.id),
                super::shown::shorten(&s.sha256)
            ));
        }
        if sheets.iter().take(i).any(|o| o.id == s.id) {
            return Err(format!("`{}` is given twice", super::shown::shorten(&s.id)));
        }
        let today_sha256 = today.sheet(&s.id).map(|t| t.sha256().to_string());
        if today_sha256.as_deref() != Some(s.sha256.as_str()) {
            changed.push(Changed { id: s.id.clone(), recorded_sha256: s.sha256.clone(), today_sha256 });
        }
    }
    Ok(changed)
}

/// `today` with `sheets` (each hashing to its SHA-256) in place of its own, or the first sheet
/// this engine refuses.
fn of_the_day(sheets: &[CatalogSheet], today: &Catalog) -> Result<std::sync::Arc<Catalog>, Refused> {
    let files: Vec<SourceFile> =
        sheets.iter().map(|s| SourceFile::new(format!("{KEY}/{}.toml", s.id), s.sheet.as_str())).collect();
    today.with_sheets_replaced(&files).map(std::sync::Arc::new).map_err(|d| {
        let first = d.0.first();
        let file = first.map(|d| d.file.as_str()).unwrap_or_default();
        let sheet = sheets.iter().find(|s| file == format!("{KEY}/{}.toml", s.id)).or(sheets.first());
        Refused {
            id: sheet.map(|s| s.id.clone()).unwrap_or_default(),
            sha256: sheet.map(|s| s.sha256.clone()).unwrap_or_default(),
            code: first.map_or(export_controls::diagnostic::Code::E0201, |d| d.code),
            message: first.map(|d| d.message.clone()).unwrap_or_default(),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The sheets of a system name the system's and its contents', hashed as `sha256sum`
    /// hashes the files (the SHA-256 of `abc` is FIPS 180-4's example, appendix B.1).
    #[test]
    fn a_system_carries_its_contents_sheets() {
        assert_eq!(sheet_sha256("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        let c = Catalog::shipped().unwrap();
        let dgx = c.get("nvidia-dgx-h100").unwrap();
        let ids: Vec<String> = of(&c, dgx.product()).into_iter().map(|s| s.id).collect();
        assert_eq!(ids, ["nvidia-dgx-h100", "nvidia-hgx-h100", "nvidia-h100-sxm5-80gb"]);
        let h20 = &of(&c, c.get("nvidia-h20").unwrap().product())[0];
        assert_eq!(h20.sheet, include_str!("../../../../rules/products/nvidia-h20.toml"));
        assert_eq!(h20.sha256, sheet_sha256(&h20.sheet));
    }

    /// A text is checked against its SHA-256 once and then recognised, but never a different
    /// text under a SHA-256 already seen, nor a text under another's SHA-256 (FIPS 180-4,
    /// appendix B.1: `abc`).
    #[test]
    fn a_sheet_is_hashed_once_and_never_taken_for_another() {
        let abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        assert!(hashes_to("abc", abc));
        assert!(hashes_to("abc", abc), "remembered");
        assert!(!hashes_to("abd", abc), "another text under a SHA-256 already seen");
        assert!(!hashes_to("abc ", abc));
        assert!(!hashes_to("abc", &abc.replace('b', "c")), "the text under another SHA-256");
        assert!(!hashes_to("", abc));
    }

    /// A request without sheets is replayed against today's catalog; one whose sheets are
    /// today's too, with nothing changed; a sheet altered without its SHA-256 is a problem.
    #[test]
    fn sheets_of_the_day() {
        let c = Catalog::shipped().unwrap();
        let d = day(r#"{"product":"nvidia-h20"}"#, &c);
        assert!(matches!(d.catalog, DayCatalog::Today(_)) && d.changed.is_empty() && d.problem.is_none());
        let sheets = of(&c, c.get("nvidia-h20").unwrap().product());
        let req = serde_json::json!({"product": "nvidia-h20", KEY: sheets}).to_string();
        let d = day(&req, &c);
        assert!(matches!(d.catalog, DayCatalog::Today(_)) && d.changed.is_empty() && d.problem.is_none());

        let mut altered = sheets.clone();
        altered[0].sheet = altered[0].sheet.replace("fp8 = ", "fp8 = 1");
        let req = serde_json::json!({"product": "nvidia-h20", KEY: altered}).to_string();
        let p = day(&req, &c).problem.unwrap();
        assert!(p.contains("`nvidia-h20`") && p.contains(&sheets[0].sha256), "{p}");
    }

    /// Kept by reference: the column without the sheets' text, the sheets apart; put back, the
    /// request as it was, byte for byte. A sheet whose text is not its SHA-256's stays inline.
    #[test]
    fn by_reference_and_back() {
        let c = Catalog::shipped().unwrap();
        let sheets = of(&c, c.get("nvidia-dgx-h100").unwrap().product());
        let req = serde_json::json!({"product": "nvidia-dgx-h100", "party": [], KEY: sheets}).to_string();
        let (kept, rows) = by_reference(&req).unwrap();
        assert!(!kept.contains("\"sheet\""), "{kept}");
        assert_eq!(rows.len(), 3);
        assert_eq!(referenced(&kept), sheets.iter().map(|s| s.sha256.clone()).collect::<Vec<_>>());
        let map = rows.into_iter().map(|r| (r.sha256, r.sheet)).collect();
        assert_eq!(inline(&kept, &map), req);
        assert_eq!(by_reference(&kept), None, "already by reference");
        assert!(referenced(&req).is_empty(), "inline");
        let mut altered = sheets.clone();
        altered[1].sheet.push(' ');
        let req = serde_json::json!({"product": "nvidia-dgx-h100", KEY: altered}).to_string();
        let (kept, rows) = by_reference(&req).unwrap();
        assert_eq!(rows.len(), 2);
        assert!(kept.contains(&altered[1].sheet.replace('\n', "\\n").replace('"', "\\\"")), "{kept}");
    }

    /// Taken out from a column's end seen before ([`tails`]): the same bytes and sheets as
    /// parsing the whole column, for the columns the service makes (every catalog product
    /// resting on sheets, without parties and with a party whose name holds a quote, a
    /// backslash, a tab and `é`: the second made from the end the first left) and for columns
    /// written otherwise (spaces, a number written `1.50`); and columns it does not make (the
    /// key twice, keys after it, the key nested) are parsed whole, their end not remembered.
    #[test]
    fn the_sheets_taken_out_from_an_end_seen_before_are_the_same_bytes() {
        let c = Catalog::shipped().unwrap();
        let mut from_ends = 0;
        for p in c.iter() {
            let sheets = of(&c, p.product());
            if sheets.is_empty() {
                continue;
            }
            let json = serde_json::to_string(&sheets).unwrap();
            let id = &p.product().id;
            for party in ["[]", r#"[{"role":"end_user","name":"A \"B\" \\ C\tÉ é","country":"MY"}]"#] {
                let req = format!(
                    r#"{{"product":"{id}","destination":"CN","date":"2025-04-20","party":{party},"{KEY}":{json}}}"#
                );
                let want = by_reference_parsed(&req);
                assert!(want.as_ref().is_some_and(|(kept, rows)| !kept.contains("\"sheet\"") && !rows.is_empty()));
                assert_eq!(by_reference(&req), want, "{req}");
                assert_eq!(tails::kept(&req), want, "{id}: from the end seen");
                from_ends += 1;
            }
        }
        assert!(from_ends >= 40, "{from_ends}");
        let h20 = serde_json::to_string(&of(&c, c.get("nvidia-h20").unwrap().product())).unwrap();
        let written_otherwise = format!(r#"{{ "product" : "nvidia-h20" , "n": 1.50,"{KEY}":{h20}}}"#);
        assert!(tails::kept(&written_otherwise).is_some());
        assert_eq!(by_reference(&written_otherwise), by_reference_parsed(&written_otherwise));
        for req in [
            format!(r#"{{"{KEY}":[],"product":"nvidia-h20","{KEY}":{h20}}}"#),
            format!(r#"{{"product":"nvidia-h20","{KEY}":{h20},"destination":"CN"}}"#),
            format!(r#"{{"product":"nvidia-h20","party":[{{"a":1,"{KEY}":{h20}}}]}}"#),
        ] {
            assert_eq!(by_reference(&req), by_reference_parsed(&req), "{req}");
            assert_eq!(tails::kept(&req), None, "{req}");
        }
    }

    /// The catalog of the day is made once for the records carrying the same sheets: a hundred
    /// records of the DGX H100 decided on a corrected HGX sheet, one catalog made; a record of
    /// other sheets, a second.
    #[test]
    fn the_catalog_of_the_day_is_made_once_per_sheets() {
        let c = Catalog::shipped().unwrap();
        let mut sheets = of(&c, c.get("nvidia-dgx-h100").unwrap().product());
        sheets[1].sheet = sheets[1].sheet.replacen("\n", "\n# corrected later\n", 1);
        sheets[1].sha256 = sheet_sha256(&sheets[1].sheet);
        let req = serde_json::json!({"product": "nvidia-dgx-h100", KEY: sheets}).to_string();
        let mut days = Days::new(&c);
        for _ in 0..100 {
            let d = days.day(&req);
            assert!(matches!(d.catalog, DayCatalog::OfTheDay(_)) && d.changed.len() == 1 && d.problem.is_none());
        }
        assert_eq!(days.made(), 1);
        let h20 = of(&c, c.get("nvidia-h20").unwrap().product());
        let mut h20 = h20;
        h20[0].sheet.push('\n');
        h20[0].sha256 = sheet_sha256(&h20[0].sheet);
        let d = days.day(&serde_json::json!({"product": "nvidia-h20", KEY: h20}).to_string());
        assert!(matches!(d.catalog, DayCatalog::OfTheDay(_)));
        assert_eq!(days.made(), 2);
    }
}
