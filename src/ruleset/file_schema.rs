//! The JSON Schemas of the values of rule files that their Rust types do not describe:
//! `items` (`"all"` or a list of ECCNs), a licence review policy and a reason for control.

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

use crate::model::vocabulary_schema;

/// `items`: `"all"` or a list of ECCNs.
pub struct ItemsLit;

impl JsonSchema for ItemsLit {
    fn schema_name() -> Cow<'static, str> {
        "Items".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "\"all\" (every item subject to the EAR) or a list of ECCNs or paragraphs, e.g. [\"3A090.a\", \"4A090.a\"]",
            "anyOf": [
                { "const": "all" },
                { "type": "array", "items": { "type": "string" }, "minItems": 1 }
            ]
        })
    }
}

vocabulary_schema!(
    /// A licence review policy.
    PolicyLit,
    "ReviewPolicy",
    "A licence review policy",
    crate::ruleset::ReviewPolicy::ALL.iter().map(|p| p.as_str()).collect()
);

vocabulary_schema!(
    /// Why a licence requirement applies: a reason for control or the part of the EAR imposing it.
    ReasonLit,
    "ControlReason",
    "Why a licence is required: a reason for control of 15 CFR 738.2(d)(2), or the part of the EAR that imposes the requirement",
    crate::ruleset::ControlReason::ALL.iter().map(|r| r.as_str()).collect()
);
