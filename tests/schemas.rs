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
