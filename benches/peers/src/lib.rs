//! Peer benchmarks for issue 6, item 4: the same rules (ECCN 3A090.a/.b and 4A090.a/.b as of
//! the October 2023 rule, with Note 2, and the 742.6(a)(6)(iii) licence requirement for D:1,
//! D:4 and D:5 destinations not in A:5 or A:6) decided four ways on one as-of date:
//!
//! - [`engine`]: export-controls with the TOML pack in `pack/` (the thing being measured);
//! - [`cedar`]: a cedar-policy policy set (decimal extension), entities carry the metrics and
//!   the destination's group memberships;
//! - [`zen`]: a zen-engine decision table (JSON decision model, hit policy `collect`);
//! - [`hand`]: a hand-written Rust function over the prepared metrics, the practical speed limit.
//!
//! Every decision function returns an [`Answer`]; `tests/agreement.rs` checks that all four
//! agree on the whole catalog × every ISO country, and `benches/peers.rs` times them.
//!
//! Missing figures: a figure absent from a product sheet is unknown (never zero), in all four.
//! The engine evaluates conditions in three-valued (Kleene) logic; the peers get the same
//! semantics by deciding, for every output, whether it is certainly true and whether it is
//! possibly true (see [`formula`]); the hand-written function uses `Option<bool>`. A paragraph
//! that may match is reported as undetermined unless its ECCN is already certain (as the engine
//! reports it), and a licence that may be required is [`Licence::Indeterminate`].

pub mod answer;
pub mod cedar;
pub mod engine;
pub mod formula;
pub mod hand;
pub mod inputs;
pub mod zen;

pub use answer::{Answer, Licence};

/// The one as-of date of the comparison.
pub const AS_OF: &str = "2024-06-01";
