//! Whether a stored record agrees with itself (tester finding N10). A row of the store carries
//! columns that listings and `since=` filters read (`recorded_at`, `as_of`, `product`,
//! `destination`, `verdict`, the pack), the request as received, and the determination.
//! Replay proves the determination; this check proves that the rest of the row says what the
//! determination says, so that a row inserted or edited outside the service (the store's
//! triggers refuse UPDATE and DELETE, not INSERT) is named rather than served as a record.

use export_controls::audit::Inputs;
use export_controls::diagnostic::{Code, SourceFile};
use export_controls::model::Transaction;
use export_controls::{Catalog, Date};
use serde::{Deserialize, Serialize};

use super::NewRecord;
use super::engine::RecordEngine;
use super::shown::shorten;

/// The error code a row that fails [`disagreements`] is refused or flagged with (E0605).
pub const CODE: Code = export_controls::audit::RECORD_DISAGREES;

/// The error code of a record whose request (its transaction or inline product sheet), made by
/// another engine, is refused by this engine's checks (E0612, as a catalog sheet of the day
/// refused, [`super::sheets::REFUSED`]): a check added after the record was made. The request
/// cannot be compared with the determination here, and that is not an alteration.
pub const REFUSED_TODAY: Code = super::sheets::REFUSED;

/// The error code of a record naming no engine (`{"unknown_before": TIME}`) where TIME cannot
/// be the store's migration: recorded at or after it, or TIME in the future (E0611).
pub const ENGINE_NOT_NAMED_AFTER: Code = export_controls::audit::RECORD_ENGINE_NOT_NAMED_AFTER;

/// One thing a record's row says that its determination does not, or a malformed column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Disagreement {
    /// The error code: E0605 ([`CODE`]); E0611 ([`ENGINE_NOT_NAMED_AFTER`]) for a record
    /// naming no engine at a time that cannot be the store's migration; or E0612
    /// ([`REFUSED_TODAY`]) for a request made by another engine that this engine's checks
    /// refuse, which could not be compared ([`Disagreement::is_alteration`] is false).
    #[schema(value_type = String, example = "E0605")]
    pub code: Code,
    /// The column (`recorded_at`, `as_of`, `engine`, `product`, `destination`, `verdict`,
    /// `pack_name`, `pack_version`, `pack_sha256`, `determination`) or `request` (with the request's key,
    /// e.g. `request.destination`).
    pub column: String,
    /// What is wrong, with both values.
    pub message: String,
}

impl Disagreement {
    /// Whether the row says something its determination does not (E0605, E0611): written or
    /// altered outside the service. False for a request this engine refuses and could not
    /// compare (E0612, [`REFUSED_TODAY`]): the record may be whole; replay it with the binary
    /// that made it.
    pub fn is_alteration(&self) -> bool {
        self.code != REFUSED_TODAY
    }
}

/// The values of a determination that the row's columns and request repeat.
#[derive(Deserialize)]
struct Recorded {
    verdict: String,
    as_of: String,
    product: Id,
    destination: Code2,
    /// `null`: the transaction did not state it.
    exported_from: Option<Code2>,
    rules: Pack,
    inputs: Inputs,
}

#[derive(Deserialize)]
struct Id {
    id: String,
}

#[derive(Deserialize)]
struct Code2 {
    code: String,
}

#[derive(Deserialize)]
struct Pack {
    name: String,
    version: String,
    sha256: String,
}

/// Every disagreement between a record's columns and request and its determination, and every
/// malformed column, in column order; empty when the row agrees with itself.
///
/// - `recorded_at` is an RFC 3339 time in UTC, as the service writes it;
/// - `engine` names an engine ([`RecordEngine`]), or none for a record recorded before the
///   `unknown_before` time it gives (a record kept before records named their engine);
/// - `as_of` is a date (YYYY-MM-DD) and the determination's `as_of`; `product`,
///   `destination`, `verdict` and the pack's name, version and sha256 are the determination's;
/// - `request` is a JSON transaction as `POST /v1/determinations` takes it (read with the
///   checks of a transaction file), naming the determination's product, destination, country
///   of export and date, with its region, exporter and parties, and its product (the inline
///   `product_sheet`, or the `catalog`'s product of that id) having the recorded figures; the
///   catalog sheets it carries (`catalog_sheets`, [`super::sheets`]) hash to their SHA-256,
///   are valid sheets, and stand for the `catalog`'s of the same ids (the catalog of the day).
///
/// A determination that is not JSON, or lacks these values, is one disagreement
/// (`determination`); the columns are then checked for their form only.
///
/// A sheet the record carries that this engine refuses (E0612, [`super::sheets::Refused`]) is
/// no disagreement: the record's product figures are then not compared (no catalog of the day
/// can be made), and replay reports the refusal.
pub fn disagreements(r: &NewRecord, catalog: &Catalog) -> Vec<Disagreement> {
    disagreements_in(r, &mut super::sheets::Days::new(catalog))
}

/// [`disagreements`] with the catalogs of the day of `days` (made once for the records that
/// carry the same sheets).
pub fn disagreements_in(r: &NewRecord, days: &mut super::sheets::Days<'_>) -> Vec<Disagreement> {
    let mut out = Vec::new();
    let mut say = |column: &str, message: String| out.push(Disagreement { code: CODE, column: column.into(), message });
    match time::OffsetDateTime::parse(&r.recorded_at, &time::format_description::well_known::Rfc3339) {
        Ok(t) if t.offset().is_utc() => {}
        Ok(_) => say("recorded_at", format!("`{}` is not in UTC", shorten(&r.recorded_at))),
        Err(e) => say("recorded_at", format!("`{}` is not an RFC 3339 time: {e}", shorten(&r.recorded_at))),
    }
    if let Err(e) = r.as_of.parse::<Date>() {
        say("as_of", format!("`{}` is not a date: {e}", shorten(&r.as_of)));
    }
    if let Some((code, message)) = engine_disagreement(&r.engine, &r.recorded_at) {
        out.push(Disagreement { code, column: "engine".into(), message });
    }
    let mut say = |column: &str, message: String| out.push(Disagreement { code: CODE, column: column.into(), message });
    let text = match r.determination.text() {
        Ok(t) => t,
        Err(e) => {
            say("determination", e.to_string());
            return out;
        }
    };
    let d: Recorded = match serde_json::from_str(&text) {
        Ok(d) => d,
        Err(e) => {
            say("determination", format!("not a determination written by the service: {e}"));
            return out;
        }
    };
    let mut column = |name: &str, value: &str, recorded: &str, what: &str| {
        if value != recorded {
            say(
                name,
                format!("the column says `{}`, the determination's {what} is `{}`", shorten(value), shorten(recorded)),
            );
        }
    };
    column("as_of", &r.as_of, &d.as_of, "as_of");
    column("product", &r.product, &d.product.id, "product.id");
    column("destination", &r.destination, &d.destination.code, "destination.code");
    column("verdict", &r.verdict, &d.verdict, "verdict");
    column("pack_name", &r.pack_name, &d.rules.name, "rules.name");
    column("pack_version", &r.pack_version, &d.rules.version, "rules.version");
    column("pack_sha256", &r.pack_sha256, &d.rules.sha256, "rules.sha256");
    // Today's checks refusing a request that another engine accepted is not an alteration.
    let other_engine = !RecordEngine::parse(&r.engine).is_ok_and(|e| e.is_current());
    out.extend(request_disagreements(&r.request, &d, days, other_engine));
    out
}

/// How far in the future an `unknown_before` may be (the migration rounds the time up to the
/// second, and instances sharing a PostgreSQL store have their own clocks): one minute.
const CLOCKS: time::Duration = time::Duration::minutes(1);

/// What is wrong with the `engine` column, and its code: not an engine
/// ([`RecordEngine::parse`], E0605); or no engine named (`unknown_before`, the time the store
/// was migrated to name engines) where that time cannot be the migration (E0611): the record
/// was made at or after it (a record the service wrote then names its engine), or it is after
/// now (no store was migrated in the future; such a time would let any record pass for one
/// kept before, whose difference on replay reads as the engine's, E0608).
fn engine_disagreement(column: &str, recorded_at: &str) -> Option<(Code, String)> {
    let rfc3339 = |t: &str| time::OffsetDateTime::parse(t, &time::format_description::well_known::Rfc3339).ok();
    match RecordEngine::parse(column) {
        Err(m) => Some((CODE, m)),
        Ok(RecordEngine::Known(_)) => None,
        Ok(RecordEngine::Unknown { unknown_before }) => match (rfc3339(&unknown_before), rfc3339(recorded_at)) {
            (None, _) => {
                Some((CODE, format!("`unknown_before` `{}` is not an RFC 3339 time", shorten(&unknown_before))))
            }
            (Some(before), Some(at)) if at >= before => Some((
                ENGINE_NOT_NAMED_AFTER,
                format!(
                    "names no engine, as a record kept before {unknown_before} does, but was recorded at {recorded_at}: the service names the engine of every record it writes"
                ),
            )),
            (Some(before), _) if before > time::OffsetDateTime::now_utc() + CLOCKS => Some((
                ENGINE_NOT_NAMED_AFTER,
                format!(
                    "names no engine, as a record kept before {unknown_before} does, but that time is in the future: no store was migrated then"
                ),
            )),
            _ => None,
        },
    }
}

/// The disagreements of the `request` column with the determination. A transaction or inline
/// product sheet that this engine's checks refuse is a disagreement (E0605) when this engine
/// made the record (it accepted them then), and [`REFUSED_TODAY`] (E0612) when `other_engine`
/// made it: a check added since (tester16 D2: records made before E0528 and E0523's U+FFFD
/// check were exported as altered).
fn request_disagreements(
    request: &str,
    d: &Recorded,
    days: &mut super::sheets::Days<'_>,
    other_engine: bool,
) -> Vec<Disagreement> {
    let mut out = Vec::new();
    let mut say_as = |code: Code, key: &str, message: String| {
        let column = if key.is_empty() { "request".to_string() } else { format!("request.{key}") };
        out.push(Disagreement { code, column, message });
    };
    let refused_today = |first: &str| {
        format!(
            "refused by this engine's checks: {}; the record was made by another engine, which accepted it: it is not shown altered, but this engine cannot compare it with the determination: replay it with the binary that made it",
            shorten(first)
        )
    };
    let mut value: serde_json::Value = match serde_json::from_str(request) {
        Ok(v) => v,
        Err(e) => {
            say_as(CODE, "", format!("not JSON: {e}"));
            return out;
        }
    };
    let Some(obj) = value.as_object_mut() else {
        say_as(CODE, "", "not a JSON object: a request is one transaction".into());
        return out;
    };
    // The catalog of the day: today's with the sheets the record carries in their place.
    let day = days.day_of(super::sheets::take(obj));
    if let Some(m) = &day.problem {
        say_as(CODE, super::sheets::KEY, m.clone());
        return out;
    }
    let refused = day.refused.is_some();
    let catalog = &*day.catalog;
    let sheet = match obj.remove("product_sheet") {
        None => None,
        Some(serde_json::Value::String(s)) => Some(s),
        Some(_) => {
            say_as(CODE, "product_sheet", "not the text of a product sheet".into());
            return out;
        }
    };
    let src = SourceFile::new("request", serde_json::to_string_pretty(&value).unwrap_or_default());
    let t = match Transaction::parse(&src) {
        Ok(t) => t,
        Err(diags) => {
            let first = diags.0.first().map_or_else(String::new, |d| format!("error[{}]: {}", d.code, d.message));
            if other_engine {
                say_as(REFUSED_TODAY, "", refused_today(&first));
            } else {
                say_as(CODE, "", format!("not a transaction: {}", shorten(&first)));
            }
            return out;
        }
    };
    let mut differ = |key: &str, given: String, recorded: String| {
        if given != recorded {
            say_as(
                CODE,
                key,
                format!("the request says `{}`, the determination `{}`", shorten(&given), shorten(&recorded)),
            );
        }
    };
    differ("product", t.product.clone(), d.product.id.clone());
    differ("destination", t.destination.to_string(), d.destination.code.clone());
    let not_stated = || "(not stated)".to_string();
    differ(
        "exported_from",
        t.exported_from.map_or_else(not_stated, |c| c.to_string()),
        d.exported_from.as_ref().map_or_else(not_stated, |c| c.code.clone()),
    );
    differ("date", t.date.to_string(), d.as_of.clone());
    differ("destination_region", json(&t.destination_region), json(&d.inputs.destination_region));
    differ("exporter", json(&t.exporter), json(&d.inputs.exporter));
    differ("party", json(&t.parties), json(&d.inputs.parties));
    // `Ok(Err(first))`: an inline sheet this engine's checks refuse, with their first error.
    let product = match &sheet {
        Some(s) => match catalog.prepare_sheet(&SourceFile::new("product_sheet", s.as_str())) {
            Ok(p) => Ok(Ok(p.product().clone())),
            Err(diags) => {
                Ok(Err(diags.0.first().map_or_else(String::new, |d| format!("error[{}]: {}", d.code, d.message))))
            }
        },
        None => catalog
            .get(&t.product)
            .map(|p| Ok(p.product().clone()))
            .ok_or_else(|| format!("`{}` is not a product of the catalog", shorten(&t.product))),
    };
    let key = if sheet.is_some() { "product_sheet" } else { "product" };
    match product {
        // No catalog of the day to compare with: replay reports the refused sheet (E0612).
        _ if refused => {}
        Ok(Ok(p)) if p == d.inputs.product => {}
        Ok(Ok(_)) => say_as(CODE, key, "its product's figures are not the figures the determination records".into()),
        Ok(Err(first)) if other_engine => say_as(REFUSED_TODAY, key, refused_today(&first)),
        Ok(Err(m)) | Err(m) => say_as(CODE, key, shorten(&m)),
    }
    out
}

/// A value as compact JSON text, for comparing and quoting.
fn json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_default()
}
