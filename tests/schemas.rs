//! The committed JSON Schemas in schemas/ are the ones the code generates. Regenerate with
//! `UPDATE_SCHEMAS=1 cargo test --test schemas`.

use std::path::Path;

#[test]
fn committed_schemas_are_current() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas");
    let update = std::env::var_os("UPDATE_SCHEMAS").is_some();
    let mut stale = Vec::new();
    for (name, text) in export_controls::schema::schemas() {
        let path = dir.join(name);
        if update {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &text).unwrap();
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            stale.push(name);
        }
    }
    assert!(
        stale.is_empty(),
        "stale schemas {stale:?}: run UPDATE_SCHEMAS=1 cargo test --test schemas and commit schemas/"
    );
}

#[test]
fn the_rule_file_schema_refuses_unknown_keys() {
    let (_, text) =
        export_controls::schema::schemas().into_iter().find(|(n, _)| *n == "rule-file.schema.json").unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["additionalProperties"], false);
    let classification = &v["$defs"]["ClassificationRule"];
    assert_eq!(classification["additionalProperties"], false);
    let required: Vec<&str> =
        classification["required"].as_array().unwrap().iter().filter_map(|x| x.as_str()).collect();
    for key in ["id", "eccn", "title", "source", "from", "kinds", "when"] {
        assert!(required.contains(&key), "{key} should be required: {required:?}");
    }
}

/// Words of the vocabulary list their allowed values, so that an editor flags `kind = "chip"`
/// or `verdict = "licence_required"` as the loader does.
#[test]
fn the_schemas_list_the_allowed_values_of_the_vocabulary() {
    use export_controls::model::{END_USES, ProductKind, Role};
    use export_controls::ruleset::ReviewPolicy;
    let schema = |name: &str| -> serde_json::Value {
        let (_, text) = export_controls::schema::schemas().into_iter().find(|(n, _)| *n == name).unwrap();
        serde_json::from_str(&text).unwrap()
    };
    let values = |v: &serde_json::Value, def: &str| -> Vec<String> {
        let e = v["$defs"][def]["enum"].as_array().unwrap_or_else(|| panic!("no enum for {def}"));
        e.iter().map(|x| x.as_str().unwrap().to_string()).collect()
    };
    let kinds: Vec<String> = ProductKind::ALL.iter().map(|k| k.as_str().to_string()).collect();
    let policies: Vec<String> = ReviewPolicy::ALL.iter().map(|p| p.as_str().to_string()).collect();
    let end_uses: Vec<String> = END_USES.iter().map(|e| e.to_string()).collect();
    let roles: Vec<String> = Role::ALL.iter().map(|r| r.as_str().to_string()).collect();
    let rules = schema("rule-file.schema.json");
    assert_eq!(values(&rules, "ProductKind"), kinds);
    assert_eq!(values(&rules, "ReviewPolicy"), policies);
    assert_eq!(values(&rules, "EndUse"), end_uses);
    assert_eq!(values(&rules, "Role"), roles);
    assert_eq!(rules["$defs"]["ClassificationRule"]["properties"]["kinds"]["items"]["$ref"], "#/$defs/ProductKind");
    let sheet = schema("product-sheet.schema.json");
    assert_eq!(values(&sheet, "ProductKind"), kinds);
    let tests = schema("rule-test.schema.json");
    assert_eq!(
        values(&tests, "Verdict"),
        ["no_license_required", "license_exception", "license_required", "indeterminate"]
    );
    assert_eq!(values(&tests, "EndUse"), end_uses);
    let tx = schema("transaction.schema.json");
    assert_eq!(values(&tx, "Role"), roles);
    assert_eq!(values(&tx, "EndUse"), end_uses);
}
