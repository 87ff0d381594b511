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

use std::borrow::Cow;

use export_controls::Catalog;
use export_controls::catalog::sheet_sha256;
use export_controls::diagnostic::{Code, SourceFile};
use export_controls::model::Product;
use serde::{Deserialize, Serialize};

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
    Some(serde_json::from_value(v).map_err(|e| format!("not a list of catalog sheets (id, sha256, sheet): {e}")))
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

/// The catalog a record is replayed against, and how its sheets differ from today's.
#[derive(Debug)]
pub struct Day<'a> {
    /// The replaying catalog with the record's sheets in place of its own (the replaying
    /// catalog itself when the record carries none, or the same ones).
    pub catalog: Cow<'a, Catalog>,
    /// The record's sheets that differ from the replaying catalog's, in the record's order.
    pub changed: Vec<Changed>,
    /// What is wrong with the sheets the record carries (a disagreement of the record, E0605:
    /// a sheet that does not hash to its SHA-256, is not a valid sheet, or an id twice); the
    /// catalog is then `today`.
    pub problem: Option<String>,
}

/// The [`Day`] of a record whose request column is `request`, replayed against `today`.
pub fn day<'a>(request: &str, today: &'a Catalog) -> Day<'a> {
    let mut value = serde_json::from_str::<serde_json::Value>(request).ok();
    day_of(value.as_mut().and_then(serde_json::Value::as_object_mut).and_then(take), today)
}

/// The [`Day`] of a record carrying `sheets` (as [`take`] gives them), replayed against `today`.
pub fn day_of(sheets: Option<Result<Vec<CatalogSheet>, String>>, today: &Catalog) -> Day<'_> {
    let as_today = |problem| Day { catalog: Cow::Borrowed(today), changed: Vec::new(), problem };
    match sheets {
        None => as_today(None),
        Some(Err(m)) => as_today(Some(m)),
        Some(Ok(sheets)) => match of_the_day(&sheets, today) {
            Ok((catalog, changed)) => Day { catalog, changed, problem: None },
            Err(m) => as_today(Some(m)),
        },
    }
}

/// `today` with `sheets` in place of its own, and the sheets that differ from its own.
fn of_the_day<'a>(sheets: &[CatalogSheet], today: &'a Catalog) -> Result<(Cow<'a, Catalog>, Vec<Changed>), String> {
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
    if changed.is_empty() {
        return Ok((Cow::Borrowed(today), changed));
    }
    let files: Vec<SourceFile> =
        sheets.iter().map(|s| SourceFile::new(format!("{KEY}/{}.toml", s.id), s.sheet.as_str())).collect();
    let catalog = today.with_sheets_replaced(&files).map_err(|d| {
        let first = d.0.first().map_or_else(String::new, |d| format!("error[{}]: {} ({})", d.code, d.message, d.file));
        format!("a sheet of the day is not a valid sheet: {}", super::shown::shorten(&first))
    })?;
    Ok((Cow::Owned(catalog), changed))
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

    /// A request without sheets is replayed against today's catalog; one whose sheets are
    /// today's too, with nothing changed; a sheet altered without its SHA-256 is a problem.
    #[test]
    fn sheets_of_the_day() {
        let c = Catalog::shipped().unwrap();
        let d = day(r#"{"product":"nvidia-h20"}"#, &c);
        assert!(matches!(d.catalog, Cow::Borrowed(_)) && d.changed.is_empty() && d.problem.is_none());
        let sheets = of(&c, c.get("nvidia-h20").unwrap().product());
        let req = serde_json::json!({"product": "nvidia-h20", KEY: sheets}).to_string();
        let d = day(&req, &c);
        assert!(matches!(d.catalog, Cow::Borrowed(_)) && d.changed.is_empty() && d.problem.is_none());

        let mut altered = sheets.clone();
        altered[0].sheet = altered[0].sheet.replace("fp8 = ", "fp8 = 1");
        let req = serde_json::json!({"product": "nvidia-h20", KEY: altered}).to_string();
        let p = day(&req, &c).problem.unwrap();
        assert!(p.contains("`nvidia-h20`") && p.contains(&sheets[0].sha256), "{p}");
    }
}
