//! Errors as RFC 9457 problem details (`application/problem+json`), carrying the CLI's exit code
//! (2 usage error, 3 rule or input error) and, for input errors, the same diagnostics (code,
//! line, column, message, help) that `--error-format json` prints.

use axum::extract::rejection::{BytesRejection, PathRejection, QueryRejection};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use export_controls::EvaluateError;
use export_controls::diagnostic::Code;
use export_controls::origin::{Origin, QueryOrigins};
use export_controls::ruleset::{Diagnostic, Diagnostics};
use serde::Serialize;
use utoipa::ToSchema;

/// Media type of problem details (RFC 9457 §3).
pub const PROBLEM_JSON: &str = "application/problem+json";

/// A problem detail (RFC 9457): what went wrong with a request.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem, e.g. `urn:export-controls:problem:input-error` (held
    /// as the last segment, `input-error`).
    #[serde(rename = "type", serialize_with = "urn")]
    #[schema(value_type = String)]
    pub kind: &'static str,
    /// Short summary of the kind of problem.
    pub title: &'static str,
    /// HTTP status code.
    pub status: u16,
    /// What went wrong in this request.
    pub detail: String,
    /// The CLI's exit code for the same error: 2 usage error, 3 rule or input error (absent for
    /// errors the CLI has no counterpart of, such as an unknown record).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exit_code: Option<u8>,
    /// The first diagnostic's stable code (e.g. `E0503` unknown country), when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// Every diagnostic: code, file (`request body`), line, column, message, help.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schema(value_type = Vec<crate::schemas::DiagnosticSchema>)]
    pub diagnostics: Vec<Diagnostic>,
    /// Seconds after which the request may be sent again, sent as the `Retry-After` header
    /// (RFC 9110 §10.2.3), not in the body.
    #[serde(skip)]
    #[schema(ignore)]
    pub retry_after: Option<u32>,
    /// Whether the response says what request bodies are read, `Accept: application/json` and
    /// `Accept-Encoding: identity` (RFC 9110 §15.5.16: a 415's headers), not in the body. A
    /// flag, not a list of headers, to keep a problem small (clippy's `result_large_err`).
    #[serde(skip)]
    #[schema(ignore)]
    pub accepts_json: bool,
}

fn urn<S: serde::Serializer>(slug: &&'static str, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&format!("urn:export-controls:problem:{slug}"))
}

impl Problem {
    /// A problem of kind `urn:export-controls:problem:{slug}`.
    pub fn new(status: StatusCode, slug: &'static str, title: &'static str, detail: impl Into<String>) -> Self {
        Problem {
            kind: slug,
            title,
            status: status.as_u16(),
            detail: detail.into(),
            exit_code: None,
            code: None,
            diagnostics: Vec::new(),
            retry_after: None,
            accepts_json: false,
        }
    }

    /// A value refused, 422: the request is well-formed but asks for something that cannot be
    /// answered (an unknown product, the US as destination, a date before the pack's coverage).
    /// Its exit code is the library's for a value of that origin ([`Origin::exit_code`]), the
    /// one the CLI exits with: an input error (3, `input-error`) for a value of a transaction
    /// (the body of `POST /v1/determinations` is the `--transaction` file of `check`), a usage
    /// error (2, `usage-error`) for a value the CLI takes as a flag (`/v1/screen`'s `date`, as
    /// `screen --date`).
    pub fn refused(origin: Origin, detail: impl Into<String>) -> Self {
        let (slug, title) = match origin {
            Origin::CommandLine => ("usage-error", "Usage error"),
            Origin::File => ("input-error", "Input error"),
        };
        Problem {
            exit_code: Some(origin.exit_code()),
            ..Problem::new(StatusCode::UNPROCESSABLE_ENTITY, slug, title, detail)
        }
    }

    /// A usage error (CLI exit code 2), 422: a value the CLI takes as a flag refused
    /// ([`Problem::refused`] with [`Origin::CommandLine`]).
    pub fn usage(detail: impl Into<String>) -> Self {
        Problem::refused(Origin::CommandLine, detail)
    }

    /// A query the pack cannot decide (a date outside its coverage, the US as destination, a
    /// party it cannot evaluate), 422, with the exit code of the value it names
    /// ([`QueryOrigins::exit_code`]).
    pub fn evaluation(origins: QueryOrigins, e: &EvaluateError) -> Self {
        Problem::refused(origins.of(e), e.to_string())
    }

    /// An input error (CLI exit code 3) with its diagnostics, 422. The detail is the
    /// diagnostics as the library renders them ([`Diagnostics`]' `Display`, as the CLI prints
    /// them): each `file:line:column: error[CODE]: message`, the line with a caret, the help.
    pub fn input(d: Diagnostics) -> Self {
        let code = d.0.first().map(|x| x.code.to_string());
        Problem {
            exit_code: Some(3),
            code,
            detail: d.to_string(),
            diagnostics: d.0,
            ..Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "input-error", "Input error", "")
        }
    }

    /// A body that is not JSON, or not UTF-8 (CLI exit code 3, code E0501), 400.
    pub fn malformed(detail: impl Into<String>) -> Self {
        Problem {
            exit_code: Some(3),
            code: Some(Code::E0501.to_string()),
            ..Problem::new(StatusCode::BAD_REQUEST, "malformed-request", "Malformed request", detail)
        }
    }

    /// A body in a media type other than JSON (E0613) or in a content coding the server does
    /// not decode (E0614), 415 (RFC 9110 §15.5.16), CLI exit code 3 (the body is the
    /// transaction file of `check`), with `Accept: application/json` and
    /// `Accept-Encoding: identity` saying what would have been read.
    pub fn unsupported_media(code: Code, detail: impl Into<String>) -> Self {
        Problem {
            exit_code: Some(3),
            code: Some(code.to_string()),
            accepts_json: true,
            ..Problem::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported-media-type",
                "Unsupported media type",
                detail,
            )
        }
    }

    /// Not found, 404.
    pub fn not_found(detail: impl Into<String>) -> Self {
        Problem::new(StatusCode::NOT_FOUND, "not-found", "Not found", detail)
    }

    /// A server-side failure (the record store), 503: the determination was not recorded and
    /// therefore not given.
    pub fn unavailable(detail: impl Into<String>) -> Self {
        Problem::new(StatusCode::SERVICE_UNAVAILABLE, "unavailable", "Service unavailable", detail)
    }

    /// Too many requests at work and waiting already ([`crate::cpu::CpuPool`]), 503 with
    /// `Retry-After: 1`: nothing was done, the request may be sent again.
    pub fn busy(workers: usize, queue: usize) -> Self {
        Problem {
            retry_after: Some(1),
            ..Problem::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "busy",
                "Service busy",
                format!(
                    "{workers} requests are being worked on and {queue} are waiting: this one was not started; send it again in a second"
                ),
            )
        }
    }

    /// A query string that cannot be read, 400.
    pub fn bad_query(detail: impl Into<String>) -> Self {
        Problem::new(StatusCode::BAD_REQUEST, "bad-query", "Bad query", detail)
    }

    /// Sets the CLI diagnostic code.
    pub fn with_code(mut self, code: Code) -> Self {
        self.code = Some(code.to_string());
        self
    }
}

/// A body that could not be read: 413 when too large, else the rejection's status.
impl From<BytesRejection> for Problem {
    fn from(r: BytesRejection) -> Self {
        let status = r.status();
        if status == StatusCode::PAYLOAD_TOO_LARGE {
            Problem::new(status, "too-large", "Request body too large", r.body_text())
        } else {
            Problem::new(status, "malformed-request", "Malformed request", r.body_text())
        }
    }
}

/// A path parameter of the wrong type (a record id that is not a number), 400.
impl From<PathRejection> for Problem {
    fn from(r: PathRejection) -> Self {
        Problem::new(StatusCode::BAD_REQUEST, "bad-path", "Bad path parameter", r.body_text())
    }
}

/// A query string that cannot be read, 400.
impl From<QueryRejection> for Problem {
    fn from(r: QueryRejection) -> Self {
        Problem::bad_query(r.body_text())
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = serde_json::to_string_pretty(&self).unwrap_or_default();
        let mut r = (status, body).into_response();
        r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        if let Some(s) = self.retry_after {
            r.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(s));
        }
        if self.accepts_json {
            r.headers_mut().insert(header::ACCEPT, HeaderValue::from_static("application/json"));
            r.headers_mut().insert(header::ACCEPT_ENCODING, HeaderValue::from_static("identity"));
        }
        r
    }
}
