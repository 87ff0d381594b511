//! HTTP API v1 (axum): determinations recorded before they are answered, screening on the fast
//! path, the catalog, the pack, records and their replay, health, and the OpenAPI document.

use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use export_controls::Date;
use export_controls::audit::{ReplayError, replay_file_with};
use export_controls::diagnostic::Code;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, OpenApi, ToSchema};

use crate::determine::MAX_BODY_BYTES;
use crate::pack::LoadedPack;
use crate::problem::{PROBLEM_JSON, Problem};
pub use crate::recorded::{AppState, Made, determine_and_record};
use crate::records::{PackIdentity, Record, RecordJson};
use crate::schemas::{
    DeterminationSchema, DiagnosticSchema, ProductSchema, ScreenReportSchema, TppTermSchema, TransactionSchema,
    library_schemas,
};
use crate::screen::{self, ScreenRequest};

/// Media type of the records export.
pub const NDJSON: &str = "application/x-ndjson";

/// Limits on requests.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest request body, bytes (a larger one is refused with 413).
    pub body_bytes: usize,
    /// Longest a request may take, from its headers to its response (then 408 when its body
    /// was not received in full, else 503).
    pub request_time: Duration,
    /// Longest a client may take to send a request's line and headers (then the connection
    /// is closed).
    pub header_time: Duration,
    /// Most requests whose CPU-bound work (evaluation, screening, replay, page) runs at a time;
    /// 0: one per core ([`CpuPool`]).
    pub workers: usize,
    /// Most requests waiting for one of those workers; one more is answered 503 with
    /// `Retry-After` at once.
    pub queue: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            body_bytes: MAX_BODY_BYTES,
            request_time: Duration::from_secs(10),
            header_time: Duration::from_secs(10),
            workers: 0,
            queue: crate::cpu::DEFAULT_QUEUE,
        }
    }
}

/// The router: API v1, `/openapi.json`, `/healthz`, `/readyz` and the HTML page at `/`.
pub fn router(state: AppState, limits: Limits) -> Router {
    Router::new()
        .route("/v1/determinations", post(post_determination).get(list_determinations))
        .route("/v1/determinations/{id}", get(get_determination))
        .route("/v1/determinations/{id}/replay", post(replay_determination))
        .route("/v1/screen", post(post_screen))
        .route("/v1/products", get(list_products))
        .route("/v1/products/{id}", get(get_product))
        .route("/v1/rules", get(get_rules))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/openapi.json", get(openapi_json))
        .merge(crate::page::routes())
        .fallback(|| async { Problem::not_found("no such resource; GET /openapi.json lists the API") })
        .method_not_allowed_fallback(|| async {
            Problem::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "method-not-allowed",
                "Method not allowed",
                "this resource does not answer this method; see /openapi.json",
            )
        })
        .layer(DefaultBodyLimit::max(limits.body_bytes))
        .layer(middleware::from_fn_with_state(limits.request_time, crate::deadline::time_limit))
        .with_state(state)
}

/// Refuses a request body that is not said to be JSON, before it is read (tester12 T4): the
/// body is read as JSON only when sent as `Content-Type: application/json` (parameters such as
/// `charset=utf-8` allowed; one Content-Type), else 415 with E0613; a `Content-Encoding` other
/// than `identity` is refused with E0614 (415, RFC 9110 §15.5.16), as the server decodes none:
/// axum's `Bytes` reads any body as it comes, and no decompression layer is installed, so a
/// body said to be gzip would otherwise be read as if it were not.
fn json_body(headers: &HeaderMap) -> Result<(), Problem> {
    let coding = headers
        .get_all(header::CONTENT_ENCODING)
        .iter()
        .flat_map(|v| v.to_str().unwrap_or("(not text)").split(','))
        .map(str::trim)
        .find(|c| !c.is_empty() && !c.eq_ignore_ascii_case("identity"));
    if let Some(c) = coding {
        return Err(Problem::unsupported_media(
            Code::E0614,
            format!(
                "the body is sent with `Content-Encoding: {c}`, which this server does not decode: send it uncompressed, with no Content-Encoding"
            ),
        ));
    }
    let types: Vec<&str> =
        headers.get_all(header::CONTENT_TYPE).iter().map(|v| v.to_str().unwrap_or("(not text)")).collect();
    let detail = match types.as_slice() {
        [t] if t.split(';').next().unwrap_or("").trim().eq_ignore_ascii_case("application/json") => {
            match other_charset(t) {
                None => return Ok(()),
                Some(charset) => format!(
                    "the body is said to be in `charset={charset}`: JSON here is read as UTF-8 only (RFC 8259 §8.1); send it in UTF-8, as `Content-Type: application/json` or with `charset=utf-8`"
                ),
            }
        }
        [] => "the body has no Content-Type: send it as `Content-Type: application/json`".to_string(),
        [t] => format!("the body is sent as `Content-Type: {t}`: send JSON as `Content-Type: application/json`"),
        _ => {
            format!("the request has {} Content-Type headers: send one, `Content-Type: application/json`", types.len())
        }
    };
    Err(Problem::unsupported_media(Code::E0613, detail))
}

/// The `charset` parameter of a JSON Content-Type when it names another encoding than UTF-8
/// (tester15 D6: `charset=utf-16` was read as UTF-8 without a word). JSON exchanged between
/// systems is UTF-8 (RFC 8259 §8.1); `utf-8`/`utf8` in any case, quoted or not, are accepted.
pub(crate) fn other_charset(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        if !name.trim().eq_ignore_ascii_case("charset") {
            return None;
        }
        let value = value.trim().trim_matches('"');
        (!value.eq_ignore_ascii_case("utf-8") && !value.eq_ignore_ascii_case("utf8")).then(|| value.to_string())
    })
}

/// The record with this id: 404 when there is none, 503 when the store fails.
async fn stored(st: &AppState, id: i64) -> Result<Record, Problem> {
    st.recorder.store().get(id).await?.ok_or_else(|| Problem::not_found(format!("no determination record {id}")))
}

/// Declares a set of problem responses for the OpenAPI document (`utoipa::IntoResponses`):
/// each status with its description, the body a [`Problem`] in `application/problem+json`.
/// Endpoints that fail alike list the set once (`responses((status = 200, ...), BodyProblems)`).
macro_rules! problem_responses {
    ($(#[$doc:meta])* $name:ident: $($status:literal => $description:literal),+ $(,)?) => {
        $(#[$doc])*
        struct $name;

        impl utoipa::IntoResponses for $name {
            fn responses() -> std::collections::BTreeMap<String, utoipa::openapi::RefOr<utoipa::openapi::Response>> {
                [$(($status, $description)),+]
                    .into_iter()
                    .map(|(status, description): (u16, &str)| {
                        let content = utoipa::openapi::ContentBuilder::new()
                            .schema(Some(utoipa::openapi::Ref::from_schema_name("Problem")))
                            .build();
                        let response =
                            utoipa::openapi::ResponseBuilder::new().description(description).content(PROBLEM_JSON, content).build();
                        (status.to_string(), response.into())
                    })
                    .collect()
            }
        }
    };
}

problem_responses!(
    /// A request body that cannot be read.
    BodyProblems:
    400 => "Not JSON, or not UTF-8",
    408 => "Body not received within the request time limit",
    413 => "Body too large",
);
problem_responses!(
    /// A JSON request body that does not say it is JSON, or says it is compressed.
    MediaProblems:
    415 => "Not sent as `Content-Type: application/json` (E0613), or with a `Content-Encoding` the server does not decode (E0614); `Accept` and `Accept-Encoding` say what is read",
);
problem_responses!(
    /// A record that cannot be had.
    RecordProblems:
    400 => "Not a record id",
    404 => "No such record",
    503 => "The record store does not answer",
);

/// Makes the determination of a transaction, records it (15 CFR 762) and answers it: the body
/// is byte for byte the JSON of `export-controls check --format json`; the record id is in
/// `Location` and `Record-Id`, and the engine that made it (as its record names it) in
/// `Engine`.
#[utoipa::path(
    post,
    path = "/v1/determinations",
    request_body(content = TransactionSchema, content_type = "application/json"),
    responses(
        (status = 201, description = "The determination, recorded", body = DeterminationSchema,
         headers(("Location" = String, description = "/v1/determinations/{id}"), ("Record-Id" = i64, description = "The record id"),
                  ("Engine" = String, description = "The engine that made the determination, as its record names it: `export-controls VERSION, commit COMMIT, source sha256 SHA256`"))),
        BodyProblems,
        MediaProblems,
        (status = 422, description = "Not a valid transaction (CLI exit code 2 or 3, diagnostics)", body = Problem, content_type = PROBLEM_JSON),
        (status = 503, description = "Not recorded (store failure or timeout): no determination given", body = Problem, content_type = PROBLEM_JSON),
    )
)]
async fn post_determination(
    State(st): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, Problem> {
    json_body(&headers)?;
    let made = determine_and_record(&st, st.pack.get(), body?, false).await?;
    let id = made.id;
    let mut r = (StatusCode::CREATED, made.json).into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    if let Ok(v) = HeaderValue::from_str(&format!("/v1/determinations/{id}")) {
        h.insert(header::LOCATION, v);
    }
    h.insert("record-id", HeaderValue::from(id));
    if let Ok(v) = HeaderValue::from_str(&export_controls::Engine::current().to_string()) {
        h.insert("engine", v);
    }
    Ok(r)
}

/// A recorded determination.
#[utoipa::path(
    get,
    path = "/v1/determinations/{id}",
    params(("id" = i64, Path, description = "Record id")),
    responses(
        (status = 200, description = "The record", body = RecordJson),
        RecordProblems,
    )
)]
async fn get_determination(
    State(st): State<AppState>,
    id: Result<Path<i64>, PathRejection>,
) -> Result<axum::Json<RecordJson>, Problem> {
    let Path(id) = id?;
    let pack = st.pack.get();
    Ok(axum::Json(stored(&st, id).await?.to_json_checked(&pack.catalog)))
}

/// Query of the records export.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// Records made on or after this UTC date, YYYY-MM-DD.
    since: Option<String>,
    /// Records with an id greater than this (for the next page).
    after: Option<i64>,
    /// Most records in this page: 1 to 1000 (default 1000); another number is a 400.
    limit: Option<usize>,
}

/// Records as JSON lines (one record per line, in id order), a page at a time; a `Link` header
/// with `rel="next"` gives the next page when this one is full.
#[utoipa::path(
    get,
    path = "/v1/determinations",
    params(ExportQuery),
    responses(
        (status = 200, description = "JSON lines, each a record", content_type = "application/x-ndjson", body = String),
        (status = 400, description = "Bad query", body = Problem, content_type = PROBLEM_JSON),
    )
)]
async fn list_determinations(
    State(st): State<AppState>,
    q: Result<Query<ExportQuery>, QueryRejection>,
) -> Result<Response, Problem> {
    let Query(q) = q?;
    let since = q
        .since
        .as_deref()
        .map(str::parse::<Date>)
        .transpose()
        .map_err(|e| Problem::bad_query(format!("since: {e}")))?;
    // Out of range is refused, not clamped (tester15 D5: `limit=0` was read as 1): a client
    // asking for 0 or 5,000 records would otherwise page through something it did not ask for.
    let limit = match q.limit {
        None => 1000,
        Some(n @ 1..=1000) => n,
        Some(n) => {
            return Err(Problem::bad_query(format!("limit: {n} is not between 1 and 1000 (leave it out for 1000)")));
        }
    };
    let after = q.after.unwrap_or(0);
    let page = st.recorder.store().page(after, since, limit).await?;
    let pack = st.pack.get();
    // Up to 1,000 records decompressed and checked: on the pool.
    let (page, body) = st
        .cpu
        .run(move || {
            let mut body = String::new();
            for r in &page {
                body.push_str(&serde_json::to_string(&r.to_json_checked(&pack.catalog)).unwrap_or_default());
                body.push('\n');
            }
            (page, body)
        })
        .await?;
    let mut resp = body.into_response();
    resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(NDJSON));
    if let (true, Some(last)) = (page.len() == limit, page.last()) {
        let since = since.map(|d| format!("&since={d}")).unwrap_or_default();
        let link = format!("</v1/determinations?after={}&limit={limit}{since}>; rel=\"next\"", last.id);
        if let Ok(v) = HeaderValue::from_str(&link) {
            resp.headers_mut().insert(header::LINK, v);
        }
    }
    Ok(resp)
}

/// Where a replay differs.
#[derive(Debug, Serialize, ToSchema)]
pub struct Difference {
    /// JSON path of the first difference, e.g. `verdict`.
    pub path: String,
    /// Recorded value there.
    pub recorded: String,
    /// Replayed value there.
    pub replayed: String,
}

/// The outcome of a replay.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReplayResult {
    /// Record id.
    pub id: i64,
    /// Whether the pack in force made the same determination, value for value.
    pub identical: bool,
    /// The pack it was replayed with.
    pub rules: PackIdentity,
    /// The engine that made the record, as the record names it (`{"version", "commit",
    /// "source_sha256"}`, or `{"unknown_before": TIME}` for a record kept before records named
    /// their engine).
    #[schema(value_type = Object)]
    pub made_by: serde_json::Value,
    /// The engine that replayed it: this service's (`{"version", "commit", "source_sha256"}`).
    #[schema(value_type = Object)]
    pub replayed_by: export_controls::Engine,
    /// Whether the engine that replayed it is the one that made it (the same source sha256).
    /// When not, a `difference` may be the engine's rather than the record's (E0608): replay
    /// the record with the binary built from the commit it names; under the same engine a
    /// difference is a record altered.
    pub same_engine: bool,
    /// The first difference, when not identical.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub difference: Option<Difference>,
    /// What the record's columns or request say that its determination does not (E0605):
    /// every disagreement, each making the replay not identical. Absent when there is none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub disagreements: Vec<crate::records::check::Disagreement>,
    /// The catalog sheets the record carries (the sheets of the day it was decided on, which
    /// it was replayed on) that the catalog in force holds otherwise or not at all (E0609, a
    /// warning: the catalog was corrected after the record was made; the record is not altered
    /// for it). Absent when there is none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub catalog_changes: Vec<crate::records::sheets::Changed>,
}

/// Re-evaluates a recorded determination with the pack in force (which must be the pack that
/// made it) and says whether every value is the same (`export-controls replay`), and whether
/// the record's columns and request say what its determination says (E0605).
#[utoipa::path(
    post,
    path = "/v1/determinations/{id}/replay",
    params(("id" = i64, Path, description = "Record id")),
    responses(
        (status = 200, description = "Replayed", body = ReplayResult),
        RecordProblems,
        (status = 409, description = "Made with another pack than the one in force", body = Problem, content_type = PROBLEM_JSON),
        (status = 422, description = "The record holds no determination that can be replayed", body = Problem, content_type = PROBLEM_JSON),
    )
)]
async fn replay_determination(
    State(st): State<AppState>,
    id: Result<Path<i64>, PathRejection>,
) -> Result<axum::Json<ReplayResult>, Problem> {
    let Path(id) = id?;
    let record = stored(&st, id).await?;
    let pack = st.pack.get();
    st.cpu.run(move || replay(id, &record, &pack)).await?.map(axum::Json)
}

/// Replays one record with `pack` (CPU-bound: run on the [`CpuPool`]).
fn replay(id: i64, record: &Record, pack: &LoadedPack) -> Result<ReplayResult, Problem> {
    let rules = PackIdentity::of(pack);
    let text = record.record.determination.text()?;
    let src = export_controls::diagnostic::SourceFile::new("determination.json", text.as_ref());
    // On the catalog sheets the record carries, if any (the sheets of the day).
    let day = crate::records::sheets::day(&record.record.request, &pack.catalog);
    // A sheet of the day that this engine refuses: the record cannot be replayed here, and is
    // not altered (E0612).
    if let Some(r) = &day.refused {
        return Err(Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "sheet-refused",
            "Not replayable by this engine",
            r.to_string(),
        )
        .with_code(crate::records::sheets::REFUSED));
    }
    let difference = match replay_file_with(&src, pack.rules(), &day.catalog) {
        Ok(()) => None,
        Err(ReplayError::Differs { path, recorded, replayed }) => Some(Difference { path, recorded, replayed }),
        Err(e @ ReplayError::WrongPack { .. }) => {
            return Err(Problem::new(StatusCode::CONFLICT, "wrong-pack", "Made with another pack", e.to_string()));
        }
        Err(e) => {
            // The code of the first problem found in the record (E0601 for a determination
            // that is not JSON, E0602 for a key written twice, or the refusing file's code for
            // recorded inputs), as its detail says.
            let code = match &e {
                ReplayError::Invalid(d) => d.0.first().map_or(Code::E0601, |d| d.code),
                _ => Code::E0601,
            };
            return Err(Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "not-a-determination",
                "Not replayable",
                e.to_string(),
            )
            .with_code(code));
        }
    };
    // The row's own columns and request, compared with the determination just replayed.
    let disagreements = crate::records::check::disagreements(&record.record, &pack.catalog);
    let identical = difference.is_none() && disagreements.is_empty();
    let made_by = serde_json::from_str(&record.record.engine)
        .unwrap_or_else(|_| serde_json::Value::String(record.record.engine.clone()));
    let same_engine = crate::records::engine::RecordEngine::parse(&record.record.engine).is_ok_and(|e| e.is_current());
    let replayed_by = export_controls::Engine::current().clone();
    let catalog_changes = day.changed;
    Ok(ReplayResult {
        id,
        identical,
        rules,
        made_by,
        replayed_by,
        same_engine,
        difference,
        disagreements,
        catalog_changes,
    })
}

/// Screens products × destinations on a date on the fast path: direct exports from the United
/// States (a reexport or in-country transfer needs `POST /v1/determinations`), destination rules
/// only, no parties, as `export-controls screen --format json`.
#[utoipa::path(
    post,
    path = "/v1/screen",
    request_body(content = ScreenRequest, content_type = "application/json"),
    responses(
        (status = 200, description = "One row per product and destination: `export_controls::screen::ScreenReport`, as `export-controls screen --format json` prints it", body = ScreenReportSchema),
        BodyProblems,
        MediaProblems,
        (status = 422, description = "Bad date, product or country, or too many rows", body = Problem, content_type = PROBLEM_JSON),
    )
)]
async fn post_screen(
    State(st): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, Problem> {
    json_body(&headers)?;
    let body = body?;
    let req: ScreenRequest = serde_json::from_slice(&body).map_err(|e| {
        if e.is_data() && e.to_string().starts_with("duplicate field `date`") && screen::names_date_and_on(&body) {
            screen::date_given_twice("the body")
        } else if e.is_data() {
            Problem::usage(e.to_string())
        } else {
            Problem::malformed(format!("the body is not JSON: {e}"))
        }
    })?;
    let pack = st.pack.get();
    // Batches run off the async threads (the pool), and are written as they are decided;
    // a batch whose request went away (time limit) stops.
    let json = st
        .cpu
        .run_cancellable(move |cancel| {
            let planned = screen::plan(&pack, &req)?;
            screen::write_json(&pack, &planned, cancel)
        })
        .await??;
    Ok(([(header::CONTENT_TYPE, "application/json")], json).into_response())
}

/// A catalog product with its metrics.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = CatalogProduct)]
pub struct ProductSummary {
    /// Catalog id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Vendor.
    pub vendor: String,
    /// `integrated_circuit`, `computer` or `memory`.
    pub kind: String,
    /// TPP, bit × TOPS (Technical Note to 3A090: dense rate × bit length), exact; absent if unknown.
    pub tpp: Option<String>,
    /// Applicable (non-planar logic) die area, mm², exact.
    pub applicable_die_area: Option<String>,
    /// Performance density, TPP per mm² of applicable die area, rounded to 4 places.
    pub performance_density: Option<String>,
}

fn summary(p: &export_controls::PreparedProduct) -> ProductSummary {
    ProductSummary {
        id: p.product().id.clone(),
        name: p.product().name.clone(),
        vendor: p.product().vendor.clone(),
        kind: p.product().kind.as_str().to_string(),
        tpp: p.metrics().tpp.map(|t| t.to_string()),
        applicable_die_area: p.metrics().applicable_die_area.map(|a| a.to_string()),
        performance_density: p.metrics().performance_density.map(|r| r.rounded(4).to_string()),
    }
}

/// The product catalog, in id order.
#[utoipa::path(get, path = "/v1/products", responses((status = 200, description = "The catalog", body = Vec<ProductSummary>)))]
async fn list_products(State(st): State<AppState>) -> Response {
    let pack = st.pack.get();
    axum::Json(pack.catalog.iter().map(summary).collect::<Vec<_>>()).into_response()
}

/// One product: its sheet's figures and its metrics.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProductDetail {
    /// Summary with metrics.
    pub summary: ProductSummary,
    /// Every figure of the product sheet (as `export-controls products --format json`).
    #[schema(value_type = ProductSchema)]
    pub product: serde_json::Value,
    /// The derivation of TPP: per processing unit, the decisive rate (TOPS) × bit length.
    #[schema(value_type = Vec<TppTermSchema>)]
    pub tpp_terms: serde_json::Value,
}

/// One catalog product.
#[utoipa::path(
    get,
    path = "/v1/products/{id}",
    params(("id" = String, Path, description = "Catalog id, e.g. nvidia-h20")),
    responses(
        (status = 200, description = "The product", body = ProductDetail),
        (status = 404, description = "Not in the catalog", body = Problem, content_type = PROBLEM_JSON),
    )
)]
async fn get_product(
    State(st): State<AppState>,
    id: Result<Path<String>, PathRejection>,
) -> Result<axum::Json<ProductDetail>, Problem> {
    let Path(id) = id?;
    let pack = st.pack.get();
    let Some(p) = pack.catalog.get(&id) else {
        let hint = export_controls::catalog::did_you_mean_text(&pack.catalog.suggest(&id))
            .map(|s| format!(" ({s})"))
            .unwrap_or_default();
        return Err(Problem::not_found(format!("unknown product `{id}`{hint}")));
    };
    Ok(axum::Json(ProductDetail {
        summary: summary(p),
        product: serde_json::to_value(p.product()).unwrap_or_default(),
        tpp_terms: serde_json::to_value(&p.metrics().tpp_terms).unwrap_or_default(),
    }))
}

/// The pack in force.
#[derive(Debug, Serialize, ToSchema)]
pub struct RulesInfo {
    /// Pack name.
    pub name: String,
    /// Title.
    pub title: String,
    /// Semantic version.
    pub version: String,
    /// Hex sha256 over the rule files.
    pub sha256: String,
    /// The pack matched its rules.lock when loaded (always true: a pack that does not is refused).
    pub verified: bool,
    /// `null` for the current pack; when the pack is an older release of the pack embedded in
    /// the server, served with `--superseded`, the statement that says so, as the first scope
    /// line of its determinations and a screen's `superseded` say it: "SUPERSEDED PACK: the rule
    /// pack us-ear 0.1.44 is superseded by us-ear 0.1.45: ..."
    /// (`export_controls::RuleSet::superseded_statement`).
    pub superseded: Option<String>,
    /// Coverage: the earliest as-of date answered and the last day of the regulation reflected.
    pub coverage: Coverage,
    /// Each rule file's sha256, by path.
    #[schema(value_type = std::collections::BTreeMap<String, String>)]
    pub files: serde_json::Value,
}

/// What a pack covers.
#[derive(Debug, Serialize, ToSchema)]
pub struct Coverage {
    /// Earliest as-of date the pack answers for, YYYY-MM-DD.
    pub from: String,
    /// Last day of the regulation the pack reflects (its cut-off), YYYY-MM-DD.
    pub cut_off: String,
    /// What is encoded and what is not.
    pub notes: Vec<String>,
}

/// The pack in force: name, version, sha256 and coverage.
#[utoipa::path(get, path = "/v1/rules", responses((status = 200, description = "The pack", body = RulesInfo)))]
async fn get_rules(State(st): State<AppState>) -> Response {
    let pack = st.pack.get();
    let p = &pack.rules().pack();
    let files: serde_json::Map<String, serde_json::Value> =
        p.files.iter().map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone()))).collect();
    axum::Json(RulesInfo {
        name: p.name.clone(),
        title: p.title.clone(),
        version: p.version.clone(),
        sha256: p.sha256.clone(),
        verified: true,
        superseded: pack.rules().superseded_statement(),
        coverage: Coverage {
            from: p.coverage_from.to_string(),
            cut_off: pack.cut_off.to_string(),
            notes: p.scope_notes.clone(),
        },
        files: serde_json::Value::Object(files),
    })
    .into_response()
}

/// Liveness and writer counters.
#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// `ok`.
    pub status: &'static str,
    /// Records written since start.
    pub records_written: u64,
    /// Transactions committed since start (records / transactions = mean batch size).
    pub transactions: u64,
    /// Requests whose CPU-bound work (evaluation, screening, replay, page) is running now.
    pub working: usize,
    /// Requests waiting for a worker now (at most the queue; beyond it, 503 and `Retry-After`).
    pub waiting: usize,
    /// Where the time of recorded determinations went since the service started, stage by
    /// stage (cumulative counts and microseconds: a load test takes the difference of two
    /// snapshots; `bench/load.sh` prints the means per request).
    pub stages: crate::stages::Stages,
}

/// Liveness: the process answers.
#[utoipa::path(get, path = "/healthz", responses((status = 200, description = "Alive", body = Health)))]
async fn healthz(State(st): State<AppState>) -> Response {
    let (records_written, transactions) = st.recorder.stats();
    let (working, waiting) = st.cpu.load();
    let (pool_wait, work) = st.cpu.stages();
    let stages = crate::stages::Stages { pool_wait, work, ..st.recorder.stages() };
    axum::Json(Health { status: "ok", records_written, transactions, working, waiting, stages }).into_response()
}

/// Readiness: a verified pack is loaded and the record store answers.
#[utoipa::path(
    get,
    path = "/readyz",
    responses(
        (status = 200, description = "Ready", body = PackIdentity),
        (status = 503, description = "The store does not answer", body = Problem, content_type = PROBLEM_JSON),
    )
)]
async fn readyz(State(st): State<AppState>) -> Result<axum::Json<PackIdentity>, Problem> {
    st.recorder.store().ping().await?;
    Ok(axum::Json(PackIdentity::of(&st.pack.get())))
}

/// The OpenAPI 3.1 document of this API, generated from the handlers' types.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "export-controls",
        description = "US export-control (EAR advanced computing, ECCN 3A090/4A090) determinations from dated, cited rules. Every determination is recorded (15 CFR 762) before it is answered. Errors are application/problem+json (RFC 9457) with the CLI's exit codes and diagnostics.",
        license(name = "Apache-2.0", identifier = "Apache-2.0")
    ),
    paths(
        post_determination,
        list_determinations,
        get_determination,
        replay_determination,
        post_screen,
        list_products,
        get_product,
        get_rules,
        healthz,
        readyz
    ),
    components(schemas(
        Problem,
        DeterminationSchema,
        TransactionSchema,
        ProductSchema,
        TppTermSchema,
        DiagnosticSchema,
        RecordJson,
        PackIdentity,
        ScreenRequest,
        ScreenReportSchema
    ))
)]
pub struct ApiDoc;

/// The OpenAPI document as JSON text: utoipa's, from the handlers and their types, with the
/// schemas of the library's types ([`library_schemas`]) in place of their placeholders.
pub fn openapi_document() -> String {
    let mut doc = serde_json::to_value(ApiDoc::openapi()).unwrap_or_default();
    if let Some(schemas) = doc.pointer_mut("/components/schemas").and_then(serde_json::Value::as_object_mut) {
        schemas.extend(library_schemas());
    }
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}

async fn openapi_json() -> Response {
    let mut r = openapi_document().into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    r
}
