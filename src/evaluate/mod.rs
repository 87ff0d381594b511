//! Evaluation: a prepared product, a destination and a date in; a [`Determination`] out.

mod batch;
mod compiled;
mod decide;
mod determination;
#[allow(clippy::module_inception)]
mod evaluate;
mod explain;
mod prepared;
mod scope;

pub use batch::BatchItem;
pub use decide::{ClassifiedProduct, CompiledPack, Decision, FastQuery, PreparedParties, Scratch};
pub use determination::{
    Certainty, CountryRef, Determination, ExceptionFinding, MetricsReport, PackRef, ProductSummary, RequirementFinding,
    TraceEntry, Verdict,
};
pub use evaluate::{ClassificationResult, EvaluateError, Options, Query};
pub use prepared::PreparedProduct;
