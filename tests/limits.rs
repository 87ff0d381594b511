//! Limits against hostile input: each gives a clear error, without a stack overflow.

use export_controls::model::parse_product_sheet;
use export_controls::ruleset::condition::{MAX_CONDITION_LEN, MAX_DEPTH, parse};
use export_controls::ruleset::{SourceFile, compile};

#[test]
fn a_100000_term_condition_is_refused_at_once() {
    let long = vec!["tpp >= 1"; 100_000].join(" and ");
    let err = parse(&long).unwrap_err();
    assert_eq!(err.message, format!("condition is longer than {MAX_CONDITION_LEN} bytes"));
    // Refused by its length before a term is read: the error points at no term (0..0).
    assert_eq!(err.span, 0..0);
}

#[test]
fn the_longest_accepted_condition_parses_in_linear_time() {
    // About 400 terms within the length limit.
    let mut terms = Vec::new();
    while terms.join(" or ").len() + 12 < MAX_CONDITION_LEN {
        terms.push("tpp >= 4800");
    }
    let text = terms.join(" or ");
    assert!(parse(&text).is_ok());
}

#[test]
fn deep_nesting_is_refused_without_overflowing_the_stack() {
    for depth in [MAX_DEPTH + 1, 1_000, 100_000] {
        let text = format!("{}tpp >= 1{}", "(".repeat(depth), ")".repeat(depth));
        let text = if text.len() > MAX_CONDITION_LEN { text[..MAX_CONDITION_LEN - 1].to_string() } else { text };
        assert!(parse(&text).is_err(), "depth {depth}");
        let nots = format!("{}tpp >= 1", "not ".repeat(depth.min(1000)));
        let err = parse(&nots).unwrap_err();
        assert!(err.message.contains("nested") || err.message.contains("longer"), "{}", err.message);
    }
    let ok = format!("{}tpp >= 1{}", "(".repeat(MAX_DEPTH), ")".repeat(MAX_DEPTH));
    assert!(parse(&ok).is_ok());
}

#[test]
fn huge_numbers_are_refused() {
    assert!(parse("tpp >= 10000000000000000").unwrap_err().message.contains("larger than the largest accepted figure"));
    assert!(parse(&format!("tpp >= {}", "9".repeat(40))).unwrap_err().message.contains("significant digits"));
}

#[test]
fn oversized_files_are_refused() {
    let big = format!(
        "id = \"x\"\nname = \"X\"\nvendor = \"V\"\nkind = \"memory\"\nnotes = [\"{}\"]\n",
        "a".repeat(2 * 1024 * 1024)
    );
    let err = parse_product_sheet(&SourceFile::new("big.toml", big)).unwrap_err();
    assert_eq!(err.0[0].code, "E0210");
    let pack = SourceFile::new(
        "pack.toml",
        "name = \"p\"\ntitle = \"t\"\nversion = \"0.1.0\"\nengine = \"^0.1\"\ncoverage_from = 2022-01-01\nresearched_until = 9999-12-31\n",
    );
    let huge_rules = SourceFile::new("huge.toml", format!("# {}\n", "x".repeat(5 * 1024 * 1024)));
    let err = compile(&[pack, huge_rules]).unwrap_err();
    assert!(err.0.iter().any(|d| d.code == "E0302"), "{err}");
}

#[test]
fn twenty_thousand_rules_in_one_file_load_in_linear_memory() {
    // Was quadratic: every rule copied the whole file and every id was compared with every other.
    let mut files: Vec<SourceFile> =
        std::fs::read_dir(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/us-ear"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .map(|p| SourceFile::new(p.file_name().unwrap().to_string_lossy(), std::fs::read_to_string(&p).unwrap()))
            .collect();
    let many: String = (0..20_000)
        .map(|i| format!("[[notice]]\nid = \"n{i}\"\ntitle = \"t\"\nsource = \"s\"\nfrom = 2024-01-01\n\n"))
        .collect();
    files.push(SourceFile::new("zz-many.toml", many));
    let rules = compile(&files).unwrap();
    assert_eq!(rules.notices().iter().filter(|n| n.meta.id.starts_with('n')).count(), 20_000);
}
