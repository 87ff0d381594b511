//! `rules/ERRORS.md` documents exactly the codes of [`export_controls::diagnostic::Code`]: its
//! tables are generated from the enum, every code is emitted somewhere in `src/`, and the file
//! names no code the enum does not have. After adding or changing a code, regenerate with
//! `UPDATE_ERRORS=1 cargo test --test error_codes` and commit rules/ERRORS.md.

use std::path::{Path, PathBuf};

use export_controls::diagnostic::{Area, Code, Severity};

/// The first line of the generated part of rules/ERRORS.md.
const BEGIN: &str = "<!-- Generated from src/diagnostic/code.rs: edit the enum, then run `UPDATE_ERRORS=1 cargo test --test error_codes`. -->";
/// The line after the generated part.
const END: &str = "<!-- End of the generated tables. -->";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

/// A table cell: `|` would end the cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|")
}

/// The generated part: one section per area, one row per code.
fn tables() -> String {
    let mut out = format!("{BEGIN}\n");
    for area in Area::ALL {
        let codes: Vec<Code> = Code::ALL.iter().copied().filter(|c| c.area() == area).collect();
        // Load errors are all errors; only the lint mixes severities.
        let severities = codes.iter().any(|c| c.severity() != Severity::Error);
        out.push_str(&format!("\n## {}\n\n", area.title()));
        if severities {
            out.push_str("| code | severity | what it means | example | what to do |\n|---|---|---|---|---|\n");
        } else {
            out.push_str("| code | what it means | example | what to do |\n|---|---|---|---|\n");
        }
        for c in codes {
            let severity = if severities { format!(" {} |", c.severity()) } else { String::new() };
            out.push_str(&format!(
                "| {c} |{severity} {} | {} | {} |\n",
                cell(c.meaning()),
                cell(c.example()),
                cell(c.help())
            ));
        }
    }
    out.push('\n');
    out.push_str(END);
    out
}

#[test]
fn errors_md_is_generated_from_the_code_enum() {
    let path = root().join("rules/ERRORS.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let (Some(begin), Some(end)) = (text.find(BEGIN), text.find(END)) else {
        panic!("rules/ERRORS.md must hold the lines\n{BEGIN}\n...\n{END}");
    };
    assert!(begin < end, "the generated part of rules/ERRORS.md is out of order");
    let want = format!("{}{}{}", &text[..begin], tables(), &text[end + END.len()..]);
    if std::env::var_os("UPDATE_ERRORS").is_some() {
        std::fs::write(&path, &want).unwrap();
    } else {
        assert!(
            text == want,
            "rules/ERRORS.md differs from the Code enum: run UPDATE_ERRORS=1 cargo test --test error_codes and commit rules/ERRORS.md"
        );
    }
}

/// Every `.rs` file under `dir`, with its text.
fn sources(dir: &Path, out: &mut Vec<(PathBuf, String)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).unwrap();
            out.push((path, text));
        }
    }
}

#[test]
fn every_code_is_emitted_somewhere() {
    let declared = root().join("src/diagnostic/code.rs");
    let mut files = Vec::new();
    // The library, and the service and CLI (the service emits E0613 and E0614 itself: a
    // request body's media type and content coding are HTTP's, not a file's).
    for dir in ["src", "crates/service/src", "crates/cli/src"] {
        sources(&root().join(dir), &mut files);
    }
    let unused: Vec<Code> = Code::ALL
        .iter()
        .copied()
        .filter(|c| !files.iter().any(|(p, text)| *p != declared && text.contains(&format!("Code::{c}"))))
        .collect();
    assert!(unused.is_empty(), "codes declared but never emitted (remove them, or emit them): {unused:?}");
}

/// The code-like words of a text: `E` and four digits, `L` and three.
fn code_words(text: &str) -> Vec<&str> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    for (i, b) in bytes.iter().enumerate() {
        let digits = match b {
            b'E' => 4,
            b'L' => 3,
            _ => continue,
        };
        let word = |j: usize| bytes.get(j).is_some_and(|c| c.is_ascii_alphanumeric());
        let all_digits = (1..=digits).all(|k| bytes.get(i + k).is_some_and(u8::is_ascii_digit));
        if all_digits && (i == 0 || !word(i - 1)) && !word(i + digits + 1) {
            out.push(&text[i..=i + digits]);
        }
    }
    out
}

#[test]
fn errors_md_names_no_unknown_code() {
    let text = std::fs::read_to_string(root().join("rules/ERRORS.md")).unwrap();
    let unknown: Vec<&str> = code_words(&text).into_iter().filter(|w| w.parse::<Code>().is_err()).collect();
    assert!(unknown.is_empty(), "rules/ERRORS.md names codes the enum does not have: {unknown:?}");
    assert_eq!(code_words("E0101, L007 and XE0102 or E01011"), ["E0101", "L007"]);
}
