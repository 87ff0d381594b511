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
//!
//! The schema types of those values sit with what they describe, below this module: a bare
//! date ([`crate::date::DateLit`]) with the dates, a figure with [`crate::number::NumLit`],
//! the words of products, parties and transactions in [`crate::model`], the words and `items`
//! of rule files in [`crate::ruleset`], a verdict with the rule tests.

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

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
