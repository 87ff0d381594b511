//! Rebuilds the crate when anything under rules/ changes: the shipped pack, catalog and rule
//! tests are embedded in the library with `include_dir!`, which does not track new files.
//!
//! Names the engine (`src/engine.rs`): the SHA-256 of the engine's source files
//! (`EXPORT_CONTROLS_SOURCE_SHA256`) and the git commit that holds them
//! (`EXPORT_CONTROLS_COMMIT`), so that every determination record says which engine made it
//! (15 CFR 762.6: records reproduced on request). Rerun only when those files change, so a
//! commit that does not touch them rebuilds nothing.

use std::path::{Path, PathBuf};
use std::process::Command;

use sha2::{Digest, Sha256};

/// The engine's source: what decides a determination besides the rule pack (whose sha256 each
/// determination records) and the catalog. Paths relative to the package root; `src` whole.
const SOURCE: [&str; 4] = ["src", "build.rs", "Cargo.toml", "Cargo.lock"];

fn main() {
    println!("cargo:rerun-if-changed=rules");
    for p in SOURCE {
        println!("cargo:rerun-if-changed={p}");
    }
    println!("cargo:rerun-if-env-changed=EXPORT_CONTROLS_COMMIT");
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into()));
    println!("cargo:rustc-env=EXPORT_CONTROLS_SOURCE_SHA256={}", source_sha256(&root));
    let commit = match std::env::var("EXPORT_CONTROLS_COMMIT") {
        Ok(c) if !c.trim().is_empty() => c.trim().to_string(),
        _ => git_commit(&root).unwrap_or_else(|| "unknown".into()),
    };
    println!("cargo:rustc-env=EXPORT_CONTROLS_COMMIT={commit}");
}

/// SHA-256 over the [`SOURCE`] files in the order of their paths (`/`-separated, relative to
/// `root`), each framed as its path's length (8 bytes big-endian), its path, its length and
/// its bytes.
fn source_sha256(root: &Path) -> String {
    let mut files = Vec::new();
    for p in SOURCE {
        collect(root, &root.join(p), &mut files);
    }
    files.sort();
    let mut h = Sha256::new();
    for (rel, path) in files {
        let bytes = std::fs::read(&path).unwrap_or_default();
        h.update((rel.len() as u64).to_be_bytes());
        h.update(rel.as_bytes());
        h.update((bytes.len() as u64).to_be_bytes());
        h.update(&bytes);
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

fn collect(root: &Path, path: &Path, out: &mut Vec<(String, PathBuf)>) {
    if path.is_dir() {
        if let Ok(entries) = std::fs::read_dir(path) {
            for e in entries.flatten() {
                collect(root, &e.path(), out);
            }
        }
    } else if path.is_file() {
        let rel = path.strip_prefix(root).unwrap_or(path);
        let rel: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
        out.push((rel.join("/"), path.to_path_buf()));
    }
}

/// The commit checked out (`git rev-parse HEAD`), with `+modified` when the [`SOURCE`] files
/// differ from it (changed or untracked); `None` outside a git checkout.
fn git_commit(root: &Path) -> Option<String> {
    let git = |args: &[&str]| {
        Command::new("git")
            .arg("-C")
            .arg(root)
            .args(args)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
    };
    let head = git(&["rev-parse", "HEAD"]).filter(|h| h.len() == 40)?;
    let mut status = vec!["status", "--porcelain", "--untracked-files=all", "--"];
    status.extend(SOURCE);
    let changed = git(&status)?;
    Some(if changed.is_empty() { head } else { format!("{head}+modified") })
}
