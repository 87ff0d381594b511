//! Helpers shared by the integration tests: the library's (this folder) and the binary's
//! (crates/cli/tests/common includes this file), so each helper is written once. Paths are
//! taken from [`root`], the checkout, whichever package's tests run.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use export_controls::ruleset::SourceFile;

/// The workspace root (the checkout): the package directory of the tests that run, or the
/// first directory above it that holds the shipped pack (the binary's package is crates/cli).
pub fn root() -> PathBuf {
    let package = Path::new(env!("CARGO_MANIFEST_DIR"));
    let root = package.ancestors().find(|d| d.join("rules/us-ear/pack.toml").is_file()).expect("a checkout");
    root.canonicalize().unwrap()
}

/// A path in the checkout, e.g. `repo("rules/us-ear")`.
pub fn repo(path: &str) -> PathBuf {
    root().join(path)
}

/// The shipped pack's rule files (rules/us-ear/*.toml, tests excluded), in path order.
pub fn pack_files() -> Vec<SourceFile> {
    pack_files_edited("", "", "")
}

/// The shipped pack's files with the first `old` in `file` replaced by `new`.
pub fn pack_files_edited(file: &str, old: &str, new: &str) -> Vec<SourceFile> {
    let dir = repo("rules/us-ear");
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

/// A fresh, empty temporary directory for one test (removed first if it exists).
pub fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ec-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Copies the shipped pack (rules/us-ear with its tests and rules.lock) to `dest`.
pub fn copy_shipped_pack(dest: &Path) {
    copy_dir(&repo("rules/us-ear"), dest);
}

/// Copies a directory tree (regular files and directories only).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Replaces the first `old` in a file.
pub fn edit_file(path: &Path, old: &str, new: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(old), "{old} not in {}", path.display());
    std::fs::write(path, text.replacen(old, new, 1)).unwrap();
}
