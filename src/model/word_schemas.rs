//! The JSON Schemas of the words of products, parties and transactions (a product kind, an
//! end use, a party's role, a kind of transaction), for the fields of product sheets,
//! transaction files and rule files that hold one: a string that is one of the words.
//! `vocabulary_schema!` declares such a schema type; the rule files' own words and the rule
//! tests' verdict use it too.

/// Declares a schema type for a word of the vocabulary: a string that is one of the values.
macro_rules! vocabulary_schema {
    ($(#[$doc:meta])* $name:ident, $schema_name:literal, $description:literal, $values:expr) => {
        $(#[$doc])*
        pub struct $name;

        impl ::schemars::JsonSchema for $name {
            fn schema_name() -> ::std::borrow::Cow<'static, str> {
                $schema_name.into()
            }
            fn json_schema(_: &mut ::schemars::SchemaGenerator) -> ::schemars::Schema {
                let values: Vec<&str> = $values;
                ::schemars::json_schema!({ "description": $description, "type": "string", "enum": values })
            }
        }
    };
}

pub(crate) use vocabulary_schema;

vocabulary_schema!(
    /// A product kind: `integrated_circuit`, `computer` or `memory`.
    KindLit,
    "ProductKind",
    "A product kind",
    crate::model::ProductKind::ALL.iter().map(|k| k.as_str()).collect()
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
