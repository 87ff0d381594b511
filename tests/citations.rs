//! Citations a reader can open (issue 12, item 8). The rules, product sheets, rule tests and
//! their notes cite primary documents and files of this repository only: no file under `rules/`
//! names the research notes kept outside it (`regulation.md`, `chips.md`, `chips.csv`), every
//! relative path in them resolves to a file of the repository, every `rules/.../NOTES.md §N`
//! names a section that exists, and no string in the code, which can reach a determination or
//! a diagnostic, names such a file. `lint` (L011) checks the rule texts of a pack the same way.

use std::path::{Component, Path, PathBuf};

/// Files that are not in the repository, and parts of their paths.
const OUTSIDE: [&str; 6] = ["regulation.md", "chips.md", "chips.csv", "shared/reference", "shared/DESIGN", "/work/"];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every file under `dir`, at any depth, in name order.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(&d)
            .unwrap_or_else(|e| panic!("{}: {e}", d.display()))
            .flatten()
            .map(|e| e.path())
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out
}

/// The text files under `dir` with their paths relative to the repository root.
fn texts(dir: &str) -> Vec<(String, String)> {
    files(&root().join(dir))
        .into_iter()
        .filter_map(|p| {
            let text = std::fs::read_to_string(&p).ok()?;
            let rel = p.strip_prefix(root()).unwrap_or(&p).to_string_lossy().replace('\\', "/");
            Some((rel, text))
        })
        .collect()
}

fn is_path_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '/')
}

/// The path-like words of `line` that `starts` accepts (`../...`, `rules/...`), outside
/// addresses, each with the text after it; trailing full stops dropped.
fn paths(line: &str, starts: impl Fn(&str) -> bool) -> Vec<(&str, &str)> {
    let mut out = Vec::new();
    let mut i = 0;
    let bytes: Vec<(usize, char)> = line.char_indices().collect();
    while i < bytes.len() {
        let (start, c) = bytes[i];
        if !is_path_char(c) {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < bytes.len() && is_path_char(bytes[j].1) {
            j += 1;
        }
        let end = bytes.get(j).map_or(line.len(), |&(e, _)| e);
        let word = line[start..end].trim_end_matches('.');
        let after_url = line[..start].ends_with(':');
        if !after_url && starts(word) {
            out.push((word, &line[start + word.len()..]));
        }
        i = j;
    }
    out
}

/// `path` resolved against `base` without touching the file system (`..` pops a component).
fn resolve(base: &Path, path: &str) -> PathBuf {
    let mut out = PathBuf::new();
    for c in base.join(path).components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

#[test]
fn no_file_under_rules_names_a_file_outside_the_repository() {
    let mut found = Vec::new();
    for (file, text) in texts("rules") {
        for (n, line) in text.lines().enumerate() {
            for name in OUTSIDE.iter().filter(|name| line.contains(*name)) {
                found.push(format!("{file}:{}: {name}", n + 1));
            }
        }
    }
    assert!(found.is_empty(), "files outside the repository cited under rules/:\n{}", found.join("\n"));
}

#[test]
fn every_relative_path_under_rules_is_a_file_of_the_repository() {
    let root = root();
    let mut found = Vec::new();
    let mut seen = 0;
    for (file, text) in texts("rules") {
        let dir = root.join(&file).parent().map(Path::to_path_buf).unwrap_or_else(|| root.clone());
        for (n, line) in text.lines().enumerate() {
            for (path, _) in paths(line, |w| w.starts_with("../") || w.starts_with("./")) {
                seen += 1;
                let to = resolve(&dir, path);
                if !to.starts_with(&root) || !to.is_file() {
                    found.push(format!("{file}:{}: {path} -> {}", n + 1, to.display()));
                }
            }
        }
    }
    assert!(found.is_empty(), "relative paths that leave the repository or name no file:\n{}", found.join("\n"));
    assert!(seen > 0, "the check reads the relative links of rules/products/NOTES.md at least");
}

#[test]
fn every_cited_repository_file_exists_and_every_notes_section_cited_is_written() {
    let root = root();
    let mut found = Vec::new();
    let mut sections_checked = 0;
    for dir in ["rules", "src", "tests", "README.md"] {
        let listed = if dir.ends_with(".md") {
            vec![(dir.to_string(), std::fs::read_to_string(root.join(dir)).unwrap_or_default())]
        } else {
            texts(dir)
        };
        for (file, text) in listed {
            // The lint's tests cite files that do not exist on purpose.
            if file == "tests/citations.rs" || file == "src/lint/sources.rs" || file.starts_with("tests/fixtures") {
                continue;
            }
            for (n, line) in text.lines().enumerate() {
                for (path, rest) in paths(line, |w| w.starts_with("rules/") && w.contains('.')) {
                    let target = root.join(path);
                    // Under rules/ a path names a file to read; elsewhere it may name one to
                    // write (`import-csl ... > rules/us-ear/entity-list-csl.toml`).
                    if !target.is_file() && (file.starts_with("rules/") || path.ends_with("NOTES.md")) {
                        found.push(format!("{file}:{}: {path} is not a file", n + 1));
                        continue;
                    }
                    if !path.ends_with("NOTES.md") {
                        continue;
                    }
                    let notes = std::fs::read_to_string(&target).unwrap_or_default();
                    // The sections named after the path, up to the end of its clause.
                    let clause = rest.split([';', ')', '"', '(']).next().unwrap_or("");
                    for (i, _) in clause.match_indices('§') {
                        let digits: String =
                            clause[i + '§'.len_utf8()..].chars().take_while(char::is_ascii_digit).collect();
                        if digits.is_empty() {
                            continue;
                        }
                        sections_checked += 1;
                        if !notes.lines().any(|l| l.starts_with(&format!("## §{digits} "))) {
                            found.push(format!("{file}:{}: {path} has no §{digits}", n + 1));
                        }
                    }
                }
            }
        }
    }
    assert!(found.is_empty(), "citations of the repository's files that name nothing:\n{}", found.join("\n"));
    assert!(sections_checked > 100, "only {sections_checked} sections checked");
}

#[test]
fn no_string_in_the_code_names_a_file_outside_the_repository() {
    let mut found = Vec::new();
    let mut sources = texts("src");
    for krate in std::fs::read_dir(root().join("crates")).into_iter().flatten().flatten() {
        let src = krate.path().join("src");
        if src.is_dir() {
            sources.extend(texts(&src.strip_prefix(root()).unwrap_or(&src).to_string_lossy()));
        }
    }
    for (file, text) in sources.iter().filter(|(f, _)| f.ends_with(".rs")) {
        // The lint's tests quote the references it flags.
        if file == "src/lint/sources.rs" {
            continue;
        }
        for (n, line) in text.lines().enumerate() {
            if line.trim_start().starts_with("//") {
                continue;
            }
            // The parts of the line inside double quotes: string literals.
            for literal in line.split('"').skip(1).step_by(2) {
                for name in OUTSIDE.iter().filter(|name| literal.contains(*name)) {
                    found.push(format!("{file}:{}: {name}", n + 1));
                }
            }
        }
    }
    assert!(found.is_empty(), "strings in the code that cite files outside the repository:\n{}", found.join("\n"));
}
