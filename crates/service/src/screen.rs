//! Screening products × destinations on a date on the fast path ([`CompiledPack::decide`]),
//! destination rules only: the rows of `export-controls screen`.

use export_controls::diagnostic::Code;
use export_controls::model::Exporter;
use export_controls::origin::QueryOrigins;
use export_controls::screen::{ScreenReport, distinct_destinations};
use export_controls::{ClassifiedProduct, Country, Date, EvaluateError};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::cpu::Cancel;
use crate::pack::LoadedPack;
use crate::problem::Problem;

/// The refusal of a date given under both its names, `date` and `on` (its name before tester
/// round 15), in `what` (the body of `POST /v1/screen`, the query of `GET /bands.svg`): 422,
/// E0534, as the page's form refuses it. Which date was meant is not known, so neither is read.
pub fn date_given_twice(what: &str) -> Problem {
    Problem::usage(format!(
        "{what} gives the date twice, as `date` and as `on` (its name before): give it once, as `date` (which was \
         meant is not known, so neither is read)"
    ))
    .with_code(Code::E0534)
}

/// Whether a JSON object names both `date` and `on` at its top level (a body serde refused with
/// "duplicate field `date`", which a doubled `date` also gives). False for anything else.
pub fn names_date_and_on(body: &[u8]) -> bool {
    // A map keeps a repeated key once (the last), so both names are there when both were sent.
    serde_json::from_slice::<std::collections::HashMap<String, serde::de::IgnoredAny>>(body)
        .is_ok_and(|keys| keys.contains_key("date") && keys.contains_key("on"))
}

/// Most rows one screening request may ask for (products × destinations).
pub const MAX_ROWS: usize = 100_000;

/// A screening request.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScreenRequest {
    /// As-of date (date of export), YYYY-MM-DD: `date`, as a transaction (`POST
    /// /v1/determinations`, a transaction file) and the CLI (`--date`) name it. `on`, its name
    /// before tester round 15 (D1), is accepted as an alias; a body giving both is refused
    /// (422, E0534: [`date_given_twice`]), so the two can never disagree.
    #[serde(alias = "on")]
    #[schema(example = "2024-06-01")]
    pub date: String,
    /// Catalog product ids, at least one; the whole catalog when the field is left out. An
    /// empty list (or `null`, or an empty id) is refused (422, E0533), never read as the whole
    /// catalog: a client's list emptied by a bug upstream would screen everything (tester15 D3).
    #[serde(default, deserialize_with = "listed")]
    #[schema(value_type = Vec<String>, required = false, min_items = 1)]
    pub products: Option<Vec<String>>,
    /// Destinations, ISO 3166-1 alpha-2, at least one; every country but the US when the field
    /// is left out. An empty list (or `null`) is refused as for `products`.
    #[serde(default, deserialize_with = "listed")]
    #[schema(value_type = Vec<String>, required = false, min_items = 1)]
    pub destinations: Option<Vec<String>>,
    /// What the exporter states about itself, as `exporter` in a transaction:
    /// `{"front_end_fabricator_or_osat": false}`. Absent, whether it is a front-end fabricator
    /// or OSAT is unknown, and rows Note 1 to 3A090.a could change are `indeterminate`.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub exporter: Exporter,
}

/// A list that is there: `null` is refused (serde's "invalid type: null, expected a sequence"),
/// not read as the field left out.
fn listed<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Vec<String>>, D::Error> {
    Vec::<String>::deserialize(d).map(Some)
}

/// The refusal (422, E0533) of an empty list, or of an empty item in one (`what`), given for
/// `field`, saying what leaving the field out does (`all`: "to screen the whole catalog").
pub(crate) fn empty_list(field: &str, what: &str, all: &str) -> Problem {
    Problem::usage(format!(
        "{field}: {what}; leave `{field}` out {all}, or name at least one (an empty list is not read as all)"
    ))
    .with_code(Code::E0533)
}

/// Refuses (E0533) a list given for `field` that is empty or holds an empty `item`; `None`
/// (the field left out: `all`) and a list of items pass.
fn not_empty(field: &str, list: Option<&[String]>, item: &str, all: &str) -> Result<(), Problem> {
    match list {
        Some([]) => Err(empty_list(field, "an empty list", all)),
        Some(items) if items.iter().any(|i| i.trim().is_empty()) => {
            Err(empty_list(field, &format!("an empty {item}"), all))
        }
        _ => Ok(()),
    }
}

/// A screening result: the library's [`ScreenReport`], as `export-controls screen --format
/// json` prints it (one type, one shape; tester15 D2).
pub type ScreenResponse = ScreenReport;

/// What screening does not cover ([`export_controls::screen::SCREEN_NOTE`]).
pub const NOTE: &str = export_controls::screen::SCREEN_NOTE;

/// A screen checked and ready to decide: the products, destinations and date of a request.
pub struct Screen<'p> {
    /// As-of date.
    pub on: Date,
    /// Products, classified once when the pack was loaded, without repeats, in request order.
    pub products: Vec<&'p ClassifiedProduct>,
    /// Destinations without repeats, in request order.
    pub destinations: Vec<Country>,
    /// What the exporter states about itself (the products were classified for an exporter
    /// that states nothing; another is classified again on each row, as `decide` does).
    pub exporter: Exporter,
}

/// A screening failure: a [`Problem`], or an error of the library's evaluation about the
/// request's values, which `/v1/screen` takes as `screen` takes its flags (so with the exit code
/// of [`QueryOrigins::COMMAND_LINE`]).
struct Failure(Problem);

impl From<EvaluateError> for Failure {
    fn from(e: EvaluateError) -> Self {
        Failure(Problem::evaluation(QueryOrigins::COMMAND_LINE, &e))
    }
}

/// Checks a screening request against a loaded pack.
///
/// # Errors
/// A 422 [`Problem`] for a bad date, an unknown product or country, the US as destination, a
/// date before the pack's coverage, or more than [`MAX_ROWS`] rows.
pub fn plan<'p>(pack: &'p LoadedPack, req: &ScreenRequest) -> Result<Screen<'p>, Problem> {
    let on: Date = req.date.parse().map_err(|e| Problem::usage(format!("date: {e}")).with_code(Code::E0501))?;
    let mut chosen: Vec<&ClassifiedProduct> = Vec::new();
    not_empty("products", req.products.as_deref(), "product id", "to screen the whole catalog")?;
    for id in req.products.iter().flatten() {
        match pack.classified(id) {
            Some(_) if chosen.iter().any(|c| c.product().product().id == *id) => {}
            Some(p) => chosen.push(p),
            None => {
                let hint = export_controls::catalog::did_you_mean_text(&pack.catalog.suggest(id))
                    .map(|s| format!(" ({s})"))
                    .unwrap_or_default();
                return Err(Problem::usage(format!("products: unknown product `{id}`{hint}")));
            }
        }
    }
    if req.products.is_none() {
        chosen = pack.classified.iter().collect();
    }
    not_empty("destinations", req.destinations.as_deref(), "country code", "to screen every country but the US")?;
    let mut countries: Vec<Country> = Vec::new();
    for d in req.destinations.iter().flatten() {
        let c: Country = d.parse().map_err(|e| Problem::usage(format!("destinations: {e}")).with_code(Code::E0503))?;
        if c == Country::US {
            return Err(Problem::usage("destinations: US is the country of export; give destinations abroad"));
        }
        countries.push(c);
    }
    let countries = distinct_destinations(&countries);
    let n = chosen.len().saturating_mul(countries.len());
    if n > MAX_ROWS {
        return Err(Problem::usage(format!("{n} rows asked for; one request screens at most {MAX_ROWS}")));
    }
    let rules = pack.rules();
    if !rules.covers(on) {
        return Err(Problem::usage(format!(
            "{on} is before {}, the earliest date the rule pack `{}` covers",
            rules.pack().coverage_from,
            rules.pack().name
        )));
    }
    Ok(Screen { on, products: chosen, destinations: countries, exporter: req.exporter })
}

/// Rows at or above which a screen is decided on two threads (each half of the products).
const PARALLEL_ROWS: usize = 4_096;

/// Decides a planned screen and writes the [`ScreenResponse`] as compact JSON: the rows are
/// decided and written one by one ([`CompiledPack::screen_classified_each`]), never held as
/// values, and a large screen is split over two threads whose JSON is joined in order. Once
/// `cancel` is set (the request went away: the time limit answered it), no further row is
/// decided.
///
/// # Errors
/// A 422 [`Problem`] when a row cannot be decided (a date outside the pack's coverage); 503
/// once `cancel` is set.
pub fn write_json(pack: &LoadedPack, screen: &Screen<'_>, cancel: &Cancel) -> Result<Vec<u8>, Problem> {
    let rows = screen.products.len() * screen.destinations.len();
    let parallel = rows >= PARALLEL_ROWS && screen.products.len() > 1;
    let (first, second) =
        screen.products.split_at(if parallel { screen.products.len() / 2 } else { screen.products.len() });
    let write = |products: &[&ClassifiedProduct]| -> Result<Vec<u8>, Problem> {
        let mut out = Vec::with_capacity(products.len() * screen.destinations.len() * 192);
        pack.compiled
            .screen_classified_each(products, &screen.destinations, screen.on, screen.exporter, |row| {
                cancel.check().map_err(Failure)?;
                if !out.is_empty() {
                    out.push(b',');
                }
                serde_json::to_writer(&mut out, row).map_err(|e| Failure(Problem::unavailable(e.to_string())))
            })
            .map_err(|f| f.0)?;
        Ok(out)
    };
    let parts: Vec<Result<Vec<u8>, Problem>> = if second.is_empty() {
        vec![write(first)]
    } else {
        std::thread::scope(|s| {
            let handles: Vec<_> = [first, second].into_iter().map(|h| s.spawn(move || write(h))).collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_else(|_| Err(Problem::unavailable("a screening thread failed"))))
                .collect()
        })
    };
    let mut out = ScreenReport::new(pack.rules(), screen.on, Vec::new())
        .head_json()
        .map_err(|e| Problem::unavailable(e.to_string()))?;
    let mut first = true;
    for part in parts {
        let part = part?;
        if part.is_empty() {
            continue;
        }
        if !first {
            out.push(b',');
        }
        first = false;
        out.extend_from_slice(&part);
    }
    out.extend_from_slice(b"]}");
    Ok(out)
}

/// Screens a request against a loaded pack, with the rows as values (as
/// [`write_json`] writes them).
///
/// # Errors
/// As [`plan`] and [`write_json`].
pub fn screen(pack: &LoadedPack, req: &ScreenRequest) -> Result<ScreenResponse, Problem> {
    let screen = plan(pack, req)?;
    let mut rows = Vec::with_capacity(screen.products.len() * screen.destinations.len());
    pack.compiled
        .screen_classified_each(&screen.products, &screen.destinations, screen.on, screen.exporter, |row| {
            rows.push(row.to_row());
            Ok::<(), Failure>(())
        })
        .map_err(|f| f.0)?;
    Ok(ScreenReport::new(pack.rules(), screen.on, rows))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pack::PackSource;

    /// The rows written as they are decided, on two threads, are the rows decided as values:
    /// the whole shipped catalog × every destination on 2025-04-20 (over [`PARALLEL_ROWS`]),
    /// and a small screen on one thread.
    #[test]
    fn rows_written_as_decided_equal_rows_as_values() {
        let pack = LoadedPack::load(&PackSource { rules: None, catalog: None, allow_superseded: false })
            .expect("shipped pack");
        for req in [
            ScreenRequest {
                date: "2025-04-20".into(),
                products: None,
                destinations: None,
                exporter: Exporter::default(),
            },
            ScreenRequest {
                date: "2025-06-01".into(),
                products: None,
                destinations: None,
                exporter: Exporter { front_end_fabricator_or_osat: Some(false), ..Exporter::default() },
            },
            ScreenRequest {
                date: "2024-06-01".into(),
                products: Some(vec!["nvidia-h20".into(), "nvidia-h100-sxm5-80gb".into()]),
                destinations: Some(vec!["CN".into(), "MY".into(), "CN".into()]),
                exporter: Exporter::default(),
            },
        ] {
            let planned = plan(&pack, &req).unwrap();
            let rows = planned.products.len() * planned.destinations.len();
            let streamed = write_json(&pack, &planned, &Cancel::default()).unwrap();
            let values = serde_json::to_vec(&screen(&pack, &req).unwrap()).unwrap();
            assert_eq!(String::from_utf8(streamed).unwrap(), String::from_utf8(values).unwrap());
            let v: serde_json::Value =
                serde_json::from_slice(&write_json(&pack, &planned, &Cancel::default()).unwrap()).unwrap();
            assert_eq!(v["rows"].as_array().unwrap().len(), rows);
        }
        assert!(pack.classified.len() * (Country::all().len() - 1) >= PARALLEL_ROWS);
    }

    /// Tester round 8, T9: a screen whose request went away decides no further row: with its
    /// [`Cancel`] set, the whole catalog × every destination (both threads) stops at the first
    /// row with 503, and the same screen not cancelled is written in full.
    #[test]
    fn a_cancelled_screen_stops() {
        let pack = LoadedPack::load(&PackSource { rules: None, catalog: None, allow_superseded: false })
            .expect("shipped pack");
        let req = ScreenRequest {
            date: "2025-04-20".into(),
            products: None,
            destinations: None,
            exporter: Exporter::default(),
        };
        let planned = plan(&pack, &req).unwrap();
        let cancel = Cancel::default();
        cancel.cancel();
        let stopped = write_json(&pack, &planned, &cancel).unwrap_err();
        assert_eq!((stopped.status, stopped.kind), (503, "unavailable"));
        assert!(write_json(&pack, &planned, &Cancel::default()).is_ok());
    }
}
