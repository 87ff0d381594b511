//! Evaluation: a prepared product, a destination and a date in; a [`Determination`] (explained)
//! or a [`Decision`] (fast path) out. Both come from one core (`core`), which makes every legal
//! decision; they differ only in what the core is asked to record.

mod batch;
mod core;
mod determination;
mod error;
mod explain;
mod explained;
mod fast;
mod prepared;
mod query;
mod record;
mod screening;

pub use batch::{BatchItem, DecisionItem};
pub use core::{Decision, MissingKinds, PreparedParties, Scratch};
pub use determination::{
    Certainty, ContainedFinding, CountryRef, DestinationExceptions, Determination, ExceptionFinding, Inputs,
    MetricsReport, PackRef, ProductSummary, RequirementFinding, RuleKind, ScopeKind, ScopeLine, ScreeningBasis,
    TraceEntry, Verdict,
};
pub use error::EvaluateError;
pub use explained::{ClassificationResult, Explained, SUPERSEDED_SCOPE, TraceText, json_string_needs_escape};
pub use fast::{ClassifiedProduct, CompiledPack};
pub use prepared::PreparedProduct;
pub use query::{FastQuery, Options, Query};
