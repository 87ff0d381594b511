//! The time limit of a request ([`crate::api::Limits::request_time`]): a request not answered
//! in time gets a problem, 408 Request Timeout when the client had not finished sending its
//! body (RFC 9110 §15.5.9: the server did not receive a complete request in the time it was
//! prepared to wait), 503 Service Unavailable when the body was in and the service was slow.

use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body::{Frame, SizeHint};

use crate::problem::Problem;

/// Answers a problem when a request takes longer than `limit`: 408 when its body was not
/// received in full, 503 otherwise.
pub async fn time_limit(State(limit): State<Duration>, req: Request, next: Next) -> Response {
    let received = Arc::new(AtomicBool::new(false));
    let req = req.map(|b| Body::new(Tracked::new(b, received.clone())));
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(r) => r,
        Err(_) if !received.load(Ordering::Acquire) => Problem::new(
            StatusCode::REQUEST_TIMEOUT,
            "request-timeout",
            "Request body not received in time",
            format!("the request's body was not received within {} s", limit.as_secs_f64()),
        )
        .into_response(),
        Err(_) => Problem::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "timeout",
            "Request took too long",
            format!("the request was not answered within {} s", limit.as_secs_f64()),
        )
        .into_response(),
    }
}

/// A request body that notes when it has been received to its end.
struct Tracked {
    inner: Body,
    received: Arc<AtomicBool>,
}

impl Tracked {
    fn new(inner: Body, received: Arc<AtomicBool>) -> Self {
        // A request without a body (a GET) has nothing to wait for.
        if http_body::Body::is_end_stream(&inner) {
            received.store(true, Ordering::Release);
        }
        Tracked { inner, received }
    }
}

impl http_body::Body for Tracked {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        let polled = Pin::new(&mut self.inner).poll_frame(cx);
        if matches!(polled, Poll::Ready(None)) || http_body::Body::is_end_stream(&self.inner) {
            self.received.store(true, Ordering::Release);
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}
