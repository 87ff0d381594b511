//! JSON Schemas for the files people write: rule files, `pack.toml`, product sheets,
//! transactions and rule tests. Generated from the Rust types that read them, committed in
//! `schemas/`, checked to be current by the tests, and used by editors (Even Better TOML /
//! taplo, through `.taplo.toml`) and by CI (`taplo check`).
//!
//! TOML dates appear as strings with format `date` (how taplo presents them to a schema, so a
//! schema cannot tell a bare date from a quoted one: the loader refuses the quoted form with
//! the help to write it bare); figures may be numbers or quoted numbers with a unit; words of
//! the vocabulary (kinds, verdicts, review policies, end uses, roles, transaction kinds) list
//! their allowed values.

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

/// A bare TOML date such as `2023-11-17`.
pub struct DateLit;

impl JsonSchema for DateLit {
    fn schema_name() -> Cow<'static, str> {
        "Date".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A date, written as a bare TOML date, year first, with dashes and no quotes: 2023-11-17",
            "type": "string",
            "format": "date"
        })
    }
}

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

impl JsonSchema for crate::number::NumLit {
    fn schema_name() -> Cow<'static, str> {
        "Figure".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A figure: a number (814, 5.92) or a quoted number with its unit (\"3350 GB/s\")",
            "anyOf": [
                { "type": "number", "minimum": 0 },
                { "type": "string", "pattern": "^\\s*[0-9][0-9_]*(\\.[0-9]+)?([eE][+-]?[0-9]+)?\\s*[A-Za-z/²%]*\\s*$" }
            ]
        })
    }
}

/// Every schema as (file name, pretty JSON text with a trailing newline), in a fixed order.
pub fn schemas() -> Vec<(&'static str, String)> {
    let pretty = |s: Schema| serde_json::to_string_pretty(&s).unwrap_or_default() + "\n";
    vec![
        ("pack.schema.json", pretty(crate::ruleset::file_schemas().0)),
        ("rule-file.schema.json", pretty(crate::ruleset::file_schemas().1)),
        ("product-sheet.schema.json", pretty(crate::model::sheet_schema())),
        ("transaction.schema.json", pretty(crate::model::transaction_schema())),
        ("rule-test.schema.json", pretty(crate::rule_tests::test_file_schema())),
    ]
}

/// Declares a schema type for a word of the vocabulary: a string that is one of the values.
macro_rules! vocabulary_schema {
    ($(#[$doc:meta])* $name:ident, $schema_name:literal, $description:literal, $values:expr) => {
        $(#[$doc])*
        pub struct $name;

        impl JsonSchema for $name {
            fn schema_name() -> Cow<'static, str> {
                $schema_name.into()
            }
            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                let values: Vec<&str> = $values;
                json_schema!({ "description": $description, "type": "string", "enum": values })
            }
        }
    };
}

vocabulary_schema!(
    /// A product kind: `integrated_circuit`, `computer` or `memory`.
    KindLit,
    "ProductKind",
    "A product kind",
    crate::model::ProductKind::ALL.iter().map(|k| k.as_str()).collect()
);
vocabulary_schema!(
    /// A verdict, as a rule test expects it.
    VerdictLit,
    "Verdict",
    "A verdict",
    {
        use crate::evaluate::Verdict;
        [Verdict::NoLicenseRequired, Verdict::LicenseException, Verdict::LicenseRequired, Verdict::Indeterminate]
            .iter()
            .map(|v| v.as_str())
            .collect()
    }
);
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
vocabulary_schema!(
    /// A declared end use of a party.
    EndUseLit,
    "EndUse",
    "A declared end use",
    crate::model::END_USES.to_vec()
);
vocabulary_schema!(
    /// A party's role.
    RoleLit,
    "Role",
    "A party's role in the transaction",
    crate::model::Role::ALL.iter().map(|r| r.as_str()).collect()
);
vocabulary_schema!(
    /// A kind of transaction.
    TransactionKindLit,
    "TransactionKind",
    "A kind of transaction",
    crate::model::TransactionKind::ALL.iter().map(|t| t.as_str()).collect()
);

// ---- What determinations are made of (the JSON the library writes), for schemas generated
// in the serialization contract, such as the HTTP service's OpenAPI document.

impl JsonSchema for crate::date::Date {
    fn schema_name() -> Cow<'static, str> {
        "IsoDate".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "description": "A date, YYYY-MM-DD", "type": "string", "format": "date" })
    }
}

impl JsonSchema for crate::model::Country {
    fn schema_name() -> Cow<'static, str> {
        "CountryCode".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "An ISO 3166-1 alpha-2 country code, upper case (CN, HK, MO, MY)",
            "type": "string",
            "pattern": "^[A-Z]{2}$"
        })
    }
}

impl JsonSchema for crate::model::EndUse {
    fn schema_name() -> Cow<'static, str> {
        "EndUseName".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let names: Vec<&str> = crate::model::EndUse::ALL.iter().map(|e| e.as_str()).collect();
        json_schema!({ "description": "An end use of the vocabulary", "type": "string", "enum": names })
    }
}

impl JsonSchema for crate::model::DeclaredEndUse {
    fn schema_name() -> Cow<'static, str> {
        "DeclaredEndUse".into()
    }
    fn json_schema(g: &mut SchemaGenerator) -> Schema {
        let name = g.subschema_for::<crate::model::EndUse>();
        let country = g.subschema_for::<crate::model::Country>();
        json_schema!({
            "description": "A declared end use: its name, or {\"use\": name, \"in\": country} with the country where it takes place (where the supercomputer is located or destined, the IC facility is, the military end use is)",
            "oneOf": [
                name,
                {
                    "type": "object",
                    "properties": { "use": name, "in": country },
                    "required": ["use", "in"],
                    "additionalProperties": false
                }
            ]
        })
    }
}

impl JsonSchema for crate::diagnostic::Code {
    fn schema_name() -> Cow<'static, str> {
        "ErrorCode".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let codes: Vec<&str> = crate::diagnostic::Code::ALL.iter().map(|c| c.as_str()).collect();
        json_schema!({
            "description": "A diagnostic code, as listed in rules/ERRORS.md (E0503: unknown country, ...)",
            "type": "string",
            "enum": codes
        })
    }
}
