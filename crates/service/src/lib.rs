//! # export-controls-service
//!
//! The HTTP face of the `export-controls` rules engine (US EAR advanced computing, ECCN
//! 3A090/4A090), kept in its own package so that the library pulls in no async runtime and no
//! database for those who link it:
//!
//! - [`api`]: HTTP API v1 on axum/tokio, an OpenAPI 3.1 document generated from the types
//!   (utoipa), errors as RFC 9457 problem details with the CLI's exit codes and diagnostics.
//! - [`records`]: every determination recorded with its full inputs and the pack's identity
//!   before it is answered (15 CFR 762; five years, 15 CFR 762.6), SQLite or PostgreSQL,
//!   hash-chained (`records::chain`: a row changed, replaced or deleted is found), exported as
//!   JSON lines and replayed.
//! - [`report`]: the TPP × performance-density plane as SVG with the 3A090 bands in force on a
//!   date, the verdict strip over the rule change dates, and a determination as HTML; the page
//!   at `/` ([`page`]) uses them, and so can the CLI (`plot`, `check --format html`).
//! - [`server::serve`]: runs it all; the pack is loaded once, verified against its
//!   `rules.lock`, and reloaded on SIGHUP (a pack that fails verification is refused while the
//!   old one keeps serving).

#![forbid(unsafe_code)]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing))]
#![warn(missing_docs)]

pub mod api;
pub mod cpu;
mod deadline;
pub mod determine;
pub mod pack;
pub mod page;
mod pretty;
pub mod problem;
pub mod recorded;
pub mod records;
pub mod report;
pub mod schemas;
pub mod screen;
pub mod server;
pub mod stages;

pub use server::{ServeConfig, ServeError, serve};
