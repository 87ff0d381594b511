//! The schemas of the library's types in the OpenAPI document: placeholders utoipa refers to
//! by name, and the schemas generated from the types with schemars that take their place.

use utoipa::ToSchema;

/// Declares a placeholder for a schema that is generated from a library type with schemars
/// ([`library_schemas`]) and put in its place in the document: utoipa refers to it by name.
macro_rules! library_schema {
    ($(#[$doc:meta])* $placeholder:ident, $name:literal) => {
        $(#[$doc])*
        pub struct $placeholder;

        impl utoipa::PartialSchema for $placeholder {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::schema::Object::new().into()
            }
        }

        impl ToSchema for $placeholder {
            fn name() -> std::borrow::Cow<'static, str> {
                $name.into()
            }
        }
    };
}

library_schema!(
    /// `export_controls::Determination`, exactly as `export-controls check --format json` prints it.
    DeterminationSchema,
    "Determination"
);
library_schema!(
    /// A transaction file in JSON (`schemas/transaction.schema.json`, the date as a string), and
    /// optionally `product_sheet`.
    TransactionSchema,
    "Transaction"
);
library_schema!(
    /// `export_controls::Product`: every figure of a product sheet.
    ProductSchema,
    "Product"
);
library_schema!(
    /// `export_controls::metrics::TppTerm`: one processing unit's decisive rate × bit length.
    TppTermSchema,
    "TppTerm"
);
library_schema!(
    /// `export_controls::screen::ScreenReport`: a screen, as `export-controls screen --format
    /// json` prints it and `POST /v1/screen` answers it.
    ScreenReportSchema,
    "ScreenReport"
);
library_schema!(
    /// `export_controls::Diagnostic`: a located error, as `--error-format json` prints it.
    DiagnosticSchema,
    "Diagnostic"
);

/// The schemas of the library's types that the API sends and takes, generated from the types
/// (schemars, the serialization contract: what the library writes), named as components. The
/// transaction's come from `export_controls::model::transaction_schema` (the schema of
/// transaction files), with the names of its definitions prefixed `Transaction.`.
pub fn library_schemas() -> serde_json::Map<String, serde_json::Value> {
    let mut generator = schemars::generate::SchemaSettings::draft2020_12()
        .for_serialize()
        .with(|s| s.definitions_path = "/components/schemas".into())
        .into_generator();
    generator.subschema_for::<export_controls::Determination>();
    generator.subschema_for::<export_controls::Product>();
    generator.subschema_for::<export_controls::metrics::TppTerm>();
    generator.subschema_for::<export_controls::Diagnostic>();
    generator.subschema_for::<export_controls::screen::ScreenReport>();
    let mut out = generator.take_definitions(true);

    // The transaction: the file schema's definitions under prefixed names, and the root.
    let mut tx = export_controls::model::transaction_schema().to_value();
    let text = tx.to_string().replace("\"#/$defs/", "\"#/components/schemas/Transaction.");
    tx = serde_json::from_str(&text).unwrap_or(tx);
    if let Some(root) = tx.as_object_mut() {
        root.remove("$schema");
        if let Some(serde_json::Value::Object(defs)) = root.remove("$defs") {
            for (name, schema) in defs {
                out.insert(format!("Transaction.{name}"), schema);
            }
        }
        root.insert(
            "description".into(),
            "A transaction: the keys of a transaction file (`schemas/transaction.schema.json`), the date as \"YYYY-MM-DD\", parties under `party`; optionally `product_sheet`, a product sheet's TOML text used instead of the catalog (then `product` may be left out).".into(),
        );
        if let Some(serde_json::Value::Object(props)) = root.get_mut("properties") {
            props.insert(
                "product_sheet".into(),
                serde_json::json!({ "type": "string", "description": "A product sheet (TOML text, as in rules/products/), used instead of the catalog" }),
            );
        }
        if let Some(serde_json::Value::Array(required)) = root.get_mut("required") {
            required.retain(|k| k != "product");
        }
    }
    if let Some(date) = out.get_mut("Transaction.Date").and_then(serde_json::Value::as_object_mut) {
        date.insert("description".into(), "A date, YYYY-MM-DD".into());
    }
    out.insert("Transaction".into(), tx);
    out
}
