//! # export-controls
//!
//! A rules engine for the US export controls on advanced computing (EAR, 15 CFR parts
//! 730–774): it computes total processing performance (TPP) and performance density exactly,
//! classifies products under ECCNs 3A090 and 4A090, and determines licence requirements,
//! licence exceptions (NAC, ACA) and review policies from effective-dated, cited TOML rules.
//!
//! ```
//! use export_controls::{Catalog, Options, Query, RuleSet, Verdict};
//!
//! let rules = RuleSet::shipped()?;                    // rules/us-ear, embedded
//! let catalog = Catalog::shipped()?;                  // rules/products, embedded
//! let h100 = catalog.get("nvidia-h100-sxm5-80gb").expect("in the catalog");
//! let query = Query::export_to("CN".parse()?, "2024-06-01".parse()?);
//! let d = rules.evaluate(h100, &query, Options { trace: true })?;
//! assert_eq!(d.verdict, Verdict::LicenseRequired);
//! assert_eq!(d.eccns, ["3A090.a"]);
//! assert_eq!(d.metrics.tpp.as_deref(), Some("15831.2"));  // 1978.9 TFLOPS FP8 × 8 bits
//! println!("{}", serde_json::to_string_pretty(&d)?);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Data flows one way: [`RuleSet::load_dir`] / [`RuleSet::shipped`] load and check rules
//! (never evaluate); [`RuleSet::evaluate`] evaluates (never reads files).

#![forbid(unsafe_code)]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing))]
#![warn(missing_docs)]

pub mod audit;
pub mod catalog;
pub mod csl;
pub mod date;
pub mod diagnostic;
pub mod engine;
pub mod evaluate;
pub mod files;
pub mod impact;
pub mod lint;
pub mod metrics;
pub mod model;
pub mod names;
pub mod number;
pub mod origin;
pub mod releases;
pub mod rule_tests;
pub mod ruleset;
pub mod schema;
pub mod screen;

pub use catalog::Catalog;
pub use date::Date;
pub use diagnostic::{Diagnostic, Diagnostics, LoadError};
pub use engine::Engine;
pub use evaluate::{
    ClassifiedProduct, CompiledPack, Decision, DecisionItem, Determination, EvaluateError, Explained, FastQuery,
    MissingKinds, Options, PreparedParties, PreparedProduct, Query, Scratch, Verdict,
};
pub use metrics::Metrics;
pub use model::{Country, Product, ProductKind};
pub use ruleset::RuleSet;

/// The README's examples, compiled and run as doctests so that they stay true.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

/// Tests that need the crate's insides across its modules (a compiled pack with its epoch index
/// removed, to decide by scanning), which the integration tests under tests/ cannot reach
/// through the public API: kept at the root, so that no module reaches up to another (the
/// evaluator to the catalog) for its tests.
#[cfg(test)]
mod inner_tests;
