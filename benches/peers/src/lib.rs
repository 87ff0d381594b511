//! Peer benchmarks for issue 6, item 4 (made fair by issue 10, item 7): the same rules (ECCN
//! 3A090.a/.b and 4A090.a/.b as of the October 2023 rule, with Note 2, and the 742.6(a)(6)(iii)
//! licence requirement for D:1, D:4 and D:5 destinations not in A:5 or A:6) decided by:
//!
//! - [`engine`]: export-controls with the TOML pack in `pack/` (the thing being measured), by
//!   `decide`, `decide_classified` and `evaluate`;
//! - [`cedar`]: a cedar-policy policy set, entities carry the figures (as `Long`s scaled by
//!   10⁴) and the destination's group memberships, one store per period of the groups;
//! - [`zen`]: a zen-engine decision table (JSON decision model, hit policy `collect`);
//! - [`hand`]: hand-written Rust, over 10⁴-scaled `i64` (the practical speed limit) and over
//!   the engine's `Decimal`/`Ratio`;
//!
//! and, for the engine, Cedar, ZEN and the integer hand-written function, on products classified
//! once ([`formula::Classified`], [`hand::HandClassified`]), so that `decide_classified` is
//! compared with peers given the same precomputation.
//!
//! The peers are Cargo features, both on by default (`cedar`, `zen`): without them the package
//! builds the engine and the hand-written functions alone ([`cases::Impl::built`]).
//!
//! [`cases`] holds the cases (product × destination × date) and runs every implementation the
//! same way for the bench, the instruction counter (`examples/count.rs`) and the agreement test.
//! Every decision returns an [`Answer`]; `tests/agreement.rs` checks that all agree on the whole
//! catalog × every ISO country and on products exactly on the thresholds, on two dates.
//!
//! Missing figures: a figure absent from a product sheet is unknown (never zero), in all of them.
//! The engine evaluates conditions in three-valued (Kleene) logic; the peers get the same
//! semantics by deciding, for every output, whether it is certainly true and whether it is
//! possibly true (see [`formula`]); the hand-written functions use `Option<bool>`. A paragraph
//! that may match is reported as undetermined unless its ECCN is already certain (as the engine
//! reports it), and a licence that may be required is [`Licence::Indeterminate`].

pub mod answer;
pub mod cases;
#[cfg(feature = "cedar")]
pub mod cedar;
pub mod engine;
pub mod formula;
pub mod hand;
pub mod inputs;
#[cfg(feature = "zen")]
pub mod zen;

pub use answer::{Answer, Licence};
