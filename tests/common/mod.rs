//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::Path;

use export_controls::ruleset::SourceFile;

/// The shipped pack's rule files (rules/us-ear/*.toml, tests excluded), in path order.
pub fn pack_files() -> Vec<SourceFile> {
    pack_files_edited("", "", "")
}

/// The shipped pack's files with the first `old` in `file` replaced by `new`.
pub fn pack_files_edited(file: &str, old: &str, new: &str) -> Vec<SourceFile> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/us-ear");
    let mut files: Vec<SourceFile> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            let mut text = std::fs::read_to_string(&p).unwrap();
            if name == file {
                assert!(text.contains(old), "{old} not in {name}");
                text = text.replacen(old, new, 1);
            }
            SourceFile::new(name, text)
        })
        .collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}
