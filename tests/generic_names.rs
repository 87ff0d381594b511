//! The generic words of `names_no_part` (src/names/part.rs; law15 item 3) never make a real
//! product's name unknown: no product of the shipped catalog (boards and systems included) is
//! named only by them, and no part name a rule of the shipped pack keys on (`name == "..."`)
//! is one of them. A word added to the list that names a product would leave the letters keyed
//! on that product's name unknown for it.

use export_controls::Catalog;
use export_controls::names::names_no_part;

#[test]
fn no_catalog_product_is_named_only_by_generic_words() {
    let catalog = Catalog::shipped().unwrap();
    let mut seen = 0;
    for p in catalog.iter() {
        let product = p.product();
        assert!(!names_no_part(&product.name), "{}: `{}` would name no part", product.id, product.name);
        seen += 1;
    }
    assert!(seen >= 40, "only {seen} catalog products read");
}

#[test]
fn no_part_name_a_rule_keys_on_is_generic() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/us-ear");
    let mut names = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let mut rest = text.as_str();
        while let Some(i) = rest.find("name == \\\"") {
            rest = &rest[i + "name == \\\"".len()..];
            let end = rest.find('\\').unwrap();
            names.push(rest[..end].to_string());
        }
    }
    for expected in ["A100", "H100", "H20", "MI308", "MI308X", "Ascend"] {
        assert!(names.iter().any(|n| n == expected), "the pack no longer keys on `{expected}`: {names:?}");
    }
    for n in &names {
        assert!(!names_no_part(n), "the pack keys a part on `{n}`, which names_no_part reads as naming no part");
    }
}
