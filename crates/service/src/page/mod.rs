//! The page at `/`: a compliance officer's form (catalog product or pasted product sheet,
//! destination, date, parties) and the determination beside the TPP × performance-density
//! plane and the verdict strip. Server-rendered HTML with inline CSS and SVG: no script, no
//! CDN, works offline; plain labelled form controls, so it is used with the keyboard alone.
//! Each determination made here is recorded like one made through the API.

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Form, FromRequest, Query, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use export_controls::Date;
use export_controls::diagnostic::Code;
use export_controls::model::Party;
use serde::Deserialize;
use serde_json::{Value, json};

mod fields;
mod form;

use fields::{Field, FieldError};
use form::form_html;

use crate::pack::LoadedPack;
use crate::problem::Problem;
use crate::recorded::{AppState, Made, determine_and_record};
use crate::report::{
    STYLE, after_cut_off_statement, bands_svg_for, determination_html, esc, verdict_strip_svg, verdict_timeline,
};

/// Routes of the page: `GET /` (the form), `POST /` (a determination), `GET /bands.svg`.
pub fn routes() -> Router<AppState> {
    Router::new().route("/", get(form_page).post(submit)).route("/bands.svg", get(bands))
}

/// The form's fields (also accepted as query parameters by `GET /` to prefill it), read from
/// the `name=value` pairs of `POST /` and `GET /` in the order sent (`PageForm::read`).
///
/// A field the form does not have is refused (422 naming it), never dropped: a hand-made POST
/// giving the parties as `party=` (the CLI's and the transaction file's name) was decided and
/// recorded without them (tester round 6, S6), as `POST /v1/determinations` refuses an unknown key.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageForm {
    /// Catalog id; empty to use `sheet`.
    #[serde(default)]
    pub product: String,
    /// A product sheet (TOML), used when `product` is empty.
    #[serde(default)]
    pub sheet: String,
    /// Destination, ISO 3166-1 alpha-2.
    #[serde(default)]
    pub to: String,
    /// Where the items ship from (`exported_from`), ISO 3166-1 alpha-2; empty: not stated
    /// (unknown, never presumed to be the US).
    #[serde(default)]
    pub from: String,
    /// Date of export, YYYY-MM-DD: `date`, as a transaction and `/v1/screen` name it; `on`, its
    /// name before tester round 16, is read as it, and both at once are refused (E0534).
    #[serde(default, alias = "on")]
    pub date: String,
    /// Parties, one per line, as the CLI's `--party`: `role=end_user,name=...,country=MY,hq=MY,parent_hq=CN`.
    #[serde(default)]
    pub parties: String,
    /// Whether the exporter is a front-end fabricator or OSAT (Note 1 to 3A090.a): `yes`, `no`,
    /// or empty (not stated: unknown).
    #[serde(default)]
    pub fab: String,
    /// Where in Ukraine the item goes (15 CFR 746.6): `crimea`, `dnr`, `lnr`, `other`, or empty.
    #[serde(default)]
    pub region: String,
}

impl PageForm {
    /// The value of `field`.
    fn slot(&mut self, field: Field) -> &mut String {
        match field {
            Field::Product => &mut self.product,
            Field::Sheet => &mut self.sheet,
            Field::To => &mut self.to,
            Field::From => &mut self.from,
            Field::Date => &mut self.date,
            Field::Parties => &mut self.parties,
            Field::Fab => &mut self.fab,
            Field::Region => &mut self.region,
        }
    }

    /// Reads a submitted form from its `name=value` pairs in the order sent: the form (each
    /// field's first value, to show again) and its errors, empty when it may be determined.
    ///
    /// A field given twice (two `to=`) is refused at that field: which value was meant is not
    /// known, and reading either would decide a transaction the user may not have meant
    /// (deserialising into [`PageForm`] refused it only as "Malformed form", the form emptied;
    /// tester round 16, D4). So is the date given as both `date` and `on`, its name before
    /// (E0534). A field the form does not have is refused by its name, with the fields the form
    /// has (tester round 6, S6), never dropped.
    fn read(pairs: Vec<(String, String)>) -> (PageForm, Vec<FieldError>) {
        let mut f = PageForm::default();
        // How many times each name is given: the fields' and the date's old name.
        let mut given: Vec<(&str, Field, usize)> = Field::ALL.iter().map(|field| (field.id(), *field, 0)).collect();
        given.push(("on", Field::Date, 0));
        let mut filled: Vec<Field> = Vec::new();
        let mut unknown: Vec<String> = Vec::new();
        for (name, value) in pairs {
            match given.iter_mut().find(|(id, _, _)| *id == name) {
                Some((_, field, n)) => {
                    *n += 1;
                    if !filled.contains(field) {
                        filled.push(*field);
                        *f.slot(*field) = value;
                    }
                }
                None if !unknown.contains(&name) => unknown.push(name),
                None => {}
            }
        }
        let mut errors: Vec<FieldError> = given
            .iter()
            .filter(|(_, _, n)| *n > 1)
            .map(|(name, field, n)| {
                FieldError::at(
                    *field,
                    format!(
                        "the form gives `{name}` {n} times: give it once (which value was meant is not known, so \
                         none is decided)"
                    ),
                )
            })
            .collect();
        let count = |name: &str| given.iter().find(|(id, _, _)| *id == name).map_or(0, |g| g.2);
        if count("date") > 0 && count("on") > 0 {
            errors.push(FieldError {
                code: Some(Code::E0534.to_string()),
                ..FieldError::at(
                    Field::Date,
                    "the form gives the date twice, as `date` and as `on` (its name before): give it once, as \
                     `date` (which was meant is not known, so neither is decided)",
                )
            });
        }
        errors.extend(unknown.iter().map(|name| {
            // serde's words, as when the form was deserialised: "unknown field `party`,
            // expected one of `product`, ...".
            let e = <serde::de::value::Error as serde::de::Error>::unknown_field(name, &Field::NAMES);
            FieldError { field: None, place: None, code: None, message: e.to_string() }
        }));
        (f, errors)
    }
}

/// Date of the first advanced-computing rule; where the verdict strip starts.
fn strip_start() -> Date {
    Date::from_ymd(2022, 10, 1).unwrap_or_else(|_| Date::today_utc())
}

fn html(status: StatusCode, body: String) -> Response {
    let mut r = (status, body).into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    r
}

fn page(pack: &LoadedPack, f: &PageForm, errors: &[FieldError], result: &str, chart: &str) -> String {
    let info = &pack.rules().pack();
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>Export controls: advanced computing determination</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<header><h1>Export controls: advanced computing (EAR 3A090/4A090)</h1>\n<p class=\"small\">Pack {} {} (sha256 {}), covering {} to {}. Every determination made here is recorded (15 CFR 762).</p></header>\n<main class=\"cols\">\n<div>\n{}\n{}\n</div>\n<div id=\"chart\">\n{}\n</div>\n</main>\n</body>\n</html>\n",
        esc(&info.name),
        esc(&info.version),
        esc(&info.sha256),
        info.coverage_from,
        pack.cut_off,
        form_html(pack, f, errors),
        result,
        chart
    )
}

/// The plane on `on` with `highlight`: nothing when no date could be read; in place of the
/// picture, the refusal, when `on` is before the pack's coverage (no rule of the pack is in
/// force then: an empty plane would say that nothing is controlled); and, after the pack's
/// research cut-off, the picture under a veil with the statement of what it cannot know, also
/// given as text that the figure names (`aria-describedby`).
fn chart(pack: &LoadedPack, on: Option<Date>, highlight: Option<&export_controls::PreparedProduct>) -> String {
    let Some(on) = on else { return String::new() };
    match bands_svg_for(pack.rules(), &pack.catalog, on, &[], highlight) {
        Ok(svg) => match after_cut_off_statement(pack.rules(), on) {
            Some(s) => format!(
                "<h2>TPP × performance density on {on}</h2>\n<p class=\"problem\" id=\"chart-note\">{}</p>\n<figure aria-describedby=\"chart-note\">{svg}</figure>\n",
                esc(&s)
            ),
            None => format!("<h2>TPP × performance density on {on}</h2>\n<figure>{svg}</figure>\n"),
        },
        Err(m) => format!(
            "<h2>TPP × performance density on {on}</h2>\n<p class=\"problem\" id=\"chart-refused\">No picture: {}</p>\n",
            esc(&m)
        ),
    }
}

/// The date of the form, when it reads as one.
fn form_date(f: &PageForm) -> Option<Date> {
    f.date.trim().parse().ok()
}

async fn form_page(State(st): State<AppState>, q: Result<Query<Vec<(String, String)>>, QueryRejection>) -> Response {
    // A prefill, not a submission: each field's first value (`on` read as `date`), the rest
    // left for the submission to refuse.
    let f = q.map(|Query(pairs)| PageForm::read(pairs).0).unwrap_or_default();
    let pack = st.pack.get();
    // The chart is drawn on the pool ([`crate::cpu::CpuPool`]), as every page.
    let drawn = st.cpu.run(move || {
        let on = if f.date.trim().is_empty() { Some(Date::today_utc()) } else { form_date(&f) };
        let highlight = pack.catalog.get(&f.product);
        html(StatusCode::OK, page(&pack, &f, &[], "", &chart(&pack, on, highlight)))
    });
    drawn.await.unwrap_or_else(IntoResponse::into_response)
}

/// Parses one line of the parties box with the parser of the CLI's `--party`
/// ([`Party::from_kv`]: the same keys, checks and messages), into the JSON of a transaction
/// file's party.
fn party_json(line: &str) -> Result<Value, String> {
    let party = Party::from_kv(line).map_err(|e| format!("party `{line}`: {e}"))?;
    serde_json::to_value(&party).map_err(|e| format!("party `{line}`: {e}"))
}

/// The transaction JSON of a form, as `POST /v1/determinations` takes it; a pasted sheet goes
/// last (see [`fields::problem_errors`]).
fn transaction_json(f: &PageForm) -> Result<String, FieldError> {
    let mut tx = serde_json::Map::new();
    // A product chosen and a sheet pasted: which one the user meant is not known, so neither is
    // decided (deciding the chosen product dropped the sheet, tester round 5, R3); the API
    // refuses the two together too.
    if !f.product.trim().is_empty() && !f.sheet.trim().is_empty() {
        return Err(FieldError::at(
            Field::Sheet,
            format!(
                "a catalog product (`{}`) is chosen and a product sheet is pasted: choose the empty product to \
                 determine the sheet, or clear the sheet to determine the catalog product",
                f.product.trim()
            ),
        ));
    }
    if !f.product.trim().is_empty() {
        tx.insert("product".into(), json!(f.product.trim()));
    } else if f.sheet.trim().is_empty() {
        return Err(FieldError::at(Field::Product, "choose a catalog product or paste a product sheet"));
    }
    tx.insert("destination".into(), json!(f.to.trim().to_ascii_uppercase()));
    if !f.from.trim().is_empty() {
        tx.insert("exported_from".into(), json!(f.from.trim().to_ascii_uppercase()));
    }
    tx.insert("date".into(), json!(f.date.trim()));
    let mut parties = Vec::new();
    for (line, text) in
        fields::party_lines(&f.parties).into_iter().zip(f.parties.lines().filter(|l| !l.trim().is_empty()))
    {
        let party = party_json(text.trim())
            .map_err(|m| FieldError { place: Some(format!("line {line}")), ..FieldError::at(Field::Parties, m) })?;
        parties.push(party);
    }
    if !parties.is_empty() {
        tx.insert("party".into(), Value::Array(parties));
    }
    let fab = match f.fab.trim() {
        "" => None,
        "yes" => Some(true),
        "no" => Some(false),
        other => return Err(FieldError::at(Field::Fab, format!("`{other}` is not yes or no"))),
    };
    if let Some(b) = fab {
        tx.insert("exporter".into(), json!({ "front_end_fabricator_or_osat": b }));
    }
    if !f.region.trim().is_empty() {
        tx.insert("destination_region".into(), json!(f.region.trim()));
    }
    if !f.sheet.trim().is_empty() && f.product.trim().is_empty() {
        tx.insert("product_sheet".into(), json!(f.sheet));
    }
    Ok(Value::Object(tx).to_string())
}

/// The problem as an alert above the form: its title, then each error with its code, naming
/// the field it is at (the fields themselves are marked by [`fields::Marks`]).
fn problem_html(title: &str, errors: &[FieldError]) -> String {
    let mut o = format!("<section class=\"problem\" role=\"alert\"><h2>{}</h2>\n", esc(title));
    for (i, e) in errors.iter().enumerate() {
        let id = if i == 0 { " id=\"problem\"" } else { "" };
        o.push_str(&format!("<p{id}>{}</p>\n", e.html()));
    }
    o.push_str("</section>\n");
    o
}

/// The page answering a refused form: the alert, the form with its bad fields marked, and the
/// chart on the form's date.
fn refused(pack: &LoadedPack, f: &PageForm, status: StatusCode, title: &str, errors: &[FieldError]) -> Response {
    let chart = chart(pack, form_date(f), pack.catalog.get(f.product.trim()));
    html(status, page(pack, f, errors, &problem_html(title, errors), &chart))
}

/// Answers the page's form. A form said to be in another charset than UTF-8 is refused (415,
/// E0530) before it is read: the form is read as UTF-8, and another encoding's bytes would be
/// read as other characters or lost (tester16 F2). So is a form sent with no charset whose
/// field, percent-decoded, is not UTF-8 (422, E0536, at that field: [`fields_not_utf8`]),
/// which the form reader would have decoded lossily, as U+FFFD. A field given twice is refused
/// at that field ([`PageForm::read`]).
async fn submit(State(st): State<AppState>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let headers = &parts.headers;
    let pack = st.pack.get();
    let charset =
        headers.get_all(header::CONTENT_TYPE).iter().find_map(|v| crate::api::other_charset(v.to_str().unwrap_or("")));
    if let Some(charset) = charset {
        let message = format!(
            "the form is said to be in `charset={charset}`: this page reads its form as UTF-8 only, and another encoding's bytes would be read as other characters (a name screened as another); send it in UTF-8, with no charset or `charset=utf-8`"
        );
        let errors = [FieldError {
            field: None,
            place: None,
            code: Some(export_controls::diagnostic::Code::E0530.to_string()),
            message,
        }];
        let alert = problem_html("Malformed form", &errors);
        return html(StatusCode::UNSUPPORTED_MEDIA_TYPE, page(&pack, &PageForm::default(), &[], &alert, ""));
    }
    // The body as sent (within the router's body limit), read as the form after its bytes are
    // checked: the form reader decodes bytes that are not UTF-8 lossily.
    let bytes = match Bytes::from_request(request_like(&parts, body), &()).await {
        Ok(b) => b,
        Err(r) => {
            let errors = [FieldError { field: None, place: None, code: None, message: r.body_text() }];
            let alert = problem_html("Malformed form", &errors);
            return html(r.status(), page(&pack, &PageForm::default(), &[], &alert, ""));
        }
    };
    let form = Form::<Vec<(String, String)>>::from_request(request_like(&parts, Body::from(bytes.clone())), &()).await;
    let f = match form {
        Ok(Form(pairs)) if !fields_not_utf8(&bytes).is_empty() => {
            let (mut f, _) = PageForm::read(pairs);
            let errors: Vec<FieldError> = fields_not_utf8(&bytes)
                .into_iter()
                .map(|name| {
                    let field = name.as_deref().and_then(Field::named);
                    if let Some(field) = field {
                        // The lossy value is not what was sent: not shown again.
                        f.slot(field).clear();
                    }
                    let what = match &name {
                        Some(n) if field.is_some() => format!("`{n}` holds bytes"),
                        Some(n) => format!("the field `{n}` holds bytes"),
                        None => "the name of a field holds bytes".to_string(),
                    };
                    FieldError {
                        field,
                        place: None,
                        code: Some(Code::E0536.to_string()),
                        message: format!(
                            "{what} that are not UTF-8 once percent-decoded: this page reads its form as UTF-8, and \
                             bytes of another encoding would be read as U+FFFD, another text than the one sent \
                             (a name screened as another); send the form in UTF-8"
                        ),
                    }
                })
                .collect();
            let drawn =
                st.cpu.run(move || refused(&pack, &f, StatusCode::UNPROCESSABLE_ENTITY, "Malformed form", &errors));
            return drawn.await.unwrap_or_else(IntoResponse::into_response);
        }
        Ok(Form(pairs)) => match PageForm::read(pairs) {
            (f, errors) if errors.is_empty() => f,
            (f, errors) => {
                let drawn =
                    st.cpu.run(move || refused(&pack, &f, StatusCode::UNPROCESSABLE_ENTITY, "Usage error", &errors));
                return drawn.await.unwrap_or_else(IntoResponse::into_response);
            }
        },
        Err(r) => {
            let errors = [FieldError { field: None, place: None, code: None, message: r.body_text() }];
            let alert = problem_html("Malformed form", &errors);
            return html(r.status(), page(&pack, &PageForm::default(), &[], &alert, ""));
        }
    };
    let made = match transaction_json(&f) {
        Ok(body) => {
            let made = determine_and_record(&st, std::sync::Arc::clone(&pack), body.clone().into(), true).await;
            Ok((body, made))
        }
        Err(e) => Err(e),
    };
    // The answer (the determination, the chart and the verdict strip over every rule change)
    // is drawn on the pool too.
    let drawn = st.cpu.run(move || match made {
        Ok((body, made)) => answer(&pack, &f, &body, made),
        Err(e) => refused(&pack, &f, StatusCode::UNPROCESSABLE_ENTITY, "Usage error", &[e]),
    });
    drawn.await.unwrap_or_else(IntoResponse::into_response)
}

/// A request with the method, URI, version, headers and extensions (the router's body limit
/// among them) of `parts`, and `body`.
fn request_like(parts: &axum::http::request::Parts, body: Body) -> Request {
    let mut r = Request::new(body);
    *r.method_mut() = parts.method.clone();
    *r.uri_mut() = parts.uri.clone();
    *r.version_mut() = parts.version;
    *r.headers_mut() = parts.headers.clone();
    *r.extensions_mut() = parts.extensions.clone();
    r
}

/// The fields of an `application/x-www-form-urlencoded` body (`name=value` pairs joined by
/// `&`, `+` for a space, `%XX` for a byte; WHATWG URL Standard, section 5.1) whose value,
/// percent-decoded, is not UTF-8, by name, in the order sent, each once; `None` for a field
/// whose name is not UTF-8. Empty when every name and value is UTF-8.
fn fields_not_utf8(body: &[u8]) -> Vec<Option<String>> {
    let mut out: Vec<Option<String>> = Vec::new();
    for pair in body.split(|&b| b == b'&').filter(|p| !p.is_empty()) {
        let mut halves = pair.splitn(2, |&b| b == b'=');
        let (name, value) = (halves.next().unwrap_or_default(), halves.next().unwrap_or_default());
        let bad = match String::from_utf8(percent_decoded(name)) {
            Err(_) => None,
            Ok(n) if std::str::from_utf8(&percent_decoded(value)).is_err() => Some(n),
            Ok(_) => continue,
        };
        if !out.contains(&bad) {
            out.push(bad);
        }
    }
    out
}

/// `bytes` with `+` read as a space and each `%XX` (two hex digits) as that byte; a `%` not
/// followed by two hex digits is kept as it is (WHATWG URL Standard, percent-decode).
fn percent_decoded(bytes: &[u8]) -> Vec<u8> {
    let hex = |b: u8| (b as char).to_digit(16);
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match (b, bytes.get(i + 1).copied().and_then(hex), bytes.get(i + 2).copied().and_then(hex)) {
            (b'%', Some(hi), Some(lo)) => {
                out.push((hi * 16 + lo) as u8);
                i += 3;
            }
            (b'+', _, _) => {
                out.push(b' ');
                i += 1;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    out
}

/// The page answering a form whose transaction (JSON `body`) was determined and recorded
/// (`made`), or refused.
fn answer(pack: &LoadedPack, f: &PageForm, body: &str, made: Result<Made, Problem>) -> Response {
    match made {
        Ok(Made { determination: Some(d), request, id, .. }) => {
            let d = &d;
            let t = &request.transaction;
            let q = export_controls::Query::of(t);
            let (from, to) = (strip_start(), pack.cut_off.max(d.as_of));
            let spans = verdict_timeline(pack.rules(), &request.product, &q, from, to);
            let strip = verdict_strip_svg(&spans, from, to, Some(d.as_of), t.destination);
            let mut result = determination_html(d);
            result.push_str(&format!(
                "<p class=\"small\">Recorded as <a id=\"record\" href=\"/v1/determinations/{0}\">determination record {0}</a>.</p>\n",
                id
            ));
            let mut chart = chart(pack, Some(d.as_of), Some(&request.product));
            chart.push_str(&format!(
                "<h2>Verdict for {} on every rule change, {from} to {to}</h2>\n<figure>{strip}</figure>\n",
                esc(&d.destination.name)
            ));
            html(StatusCode::OK, page(pack, f, &[], &result, &chart))
        }
        // Not made: `determine_and_record` writes the determination out when asked to.
        Ok(Made { determination: None, .. }) => {
            let errors = [FieldError {
                field: None,
                place: None,
                code: None,
                message: "the determination was recorded but not written out for the page".into(),
            }];
            refused(pack, f, StatusCode::INTERNAL_SERVER_ERROR, "Determination not written out", &errors)
        }
        Err(p) => {
            let status = StatusCode::from_u16(p.status).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY);
            refused(pack, f, status, p.title, &fields::problem_errors(pack, f, body, &p))
        }
    }
}

/// Query of `/bands.svg`.
#[derive(Debug, Default, Deserialize)]
pub struct BandsQuery {
    /// As-of date (default today): `date`, as `/v1/screen` and a transaction name it.
    date: Option<String>,
    /// The date under its name before tester round 15 (D1), read as `date`; both at once are
    /// refused as the form and `/v1/screen` refuse them (422, E0534; a 400 "duplicate field"
    /// before tester round 17, D5).
    on: Option<String>,
    /// Product ids, comma-separated (left out: the catalog's ICs; empty: refused, E0533).
    products: Option<String>,
    /// Product id to highlight.
    highlight: Option<String>,
}

async fn bands(State(st): State<AppState>, q: Result<Query<BandsQuery>, QueryRejection>) -> Response {
    let Query(q) = match q {
        Ok(q) => q,
        Err(r) => return Problem::from(r).into_response(),
    };
    if q.date.is_some() && q.on.is_some() {
        return crate::screen::date_given_twice("the query").into_response();
    }
    let pack = st.pack.get();
    let on = match q.date.as_deref().or(q.on.as_deref()).map(str::parse::<Date>).transpose() {
        Ok(d) => d.unwrap_or_else(Date::today_utc),
        Err(e) => return Problem::usage(format!("date: {e}")).into_response(),
    };
    // A date before the pack's coverage, refused as `/v1/screen` refuses its `date` (and `plot
    // --date`, `check --date`): a usage error.
    if let Err(e) = crate::report::plot_date(pack.rules(), on) {
        return Problem::evaluation(export_controls::origin::QueryOrigins::COMMAND_LINE, &e).into_response();
    }
    // `products=` empty, or with an empty id (`a,,b`), is refused (E0533), not read as the
    // catalog's ICs: only leaving `products` out draws them (tester15 D3).
    let products: Vec<String> = match q.products.as_deref() {
        None => Vec::new(),
        Some(list) => {
            let ids: Vec<String> = list.split(',').map(|s| s.trim().to_string()).collect();
            if ids.iter().any(String::is_empty) {
                let what = if list.trim().is_empty() { "an empty list" } else { "an empty product id" };
                return crate::screen::empty_list("products", what, "to draw the catalog's integrated circuits")
                    .into_response();
            }
            ids
        }
    };
    let drawn = st.cpu.run(move || crate::report::bands_svg(&pack, on, &products, q.highlight.as_deref()));
    let drawn = match drawn.await {
        Ok(d) => d,
        Err(p) => return p.into_response(),
    };
    match drawn {
        Ok(svg) => {
            let mut r = svg.into_response();
            r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("image/svg+xml"));
            r
        }
        Err(m) => Problem::usage(m).into_response(),
    }
}
