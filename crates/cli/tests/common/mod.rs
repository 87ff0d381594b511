//! Helpers shared by the binary's tests. The binary runs in the workspace root, as the tests
//! at the root did before it moved to this package: relative paths such as `rules/us-ear` (the
//! default pack directory) mean what they mean in a checkout.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use export_controls::ruleset::SourceFile;

/// The workspace root (the checkout), two levels above this package.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().unwrap()
}

/// A path in the checkout, e.g. `repo("rules/us-ear")`.
pub fn repo(path: &str) -> PathBuf {
    root().join(path)
}

/// The `export-controls` binary of this package, to run in the workspace root.
pub fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_export-controls"));
    c.current_dir(root());
    c
}

/// Runs the binary in the workspace root.
pub fn run(args: &[&str]) -> Output {
    bin().args(args).output().unwrap()
}

/// Standard error, lossily.
/// The arguments of `check --product PRODUCT --to TO --on ON`, for a test to extend.
pub fn check_args<'a>(product: &'a str, to: &'a str, on: &'a str) -> Vec<&'a str> {
    vec!["check", "--product", product, "--to", to, "--on", on]
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The shipped pack's rule files with the first `old` in `file` replaced by `new`.
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
    let dir = std::env::temp_dir().join(format!("ec-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A transaction file `tx.toml` holding `text`, in a fresh directory of its own ([`temp_dir`]).
pub fn transaction_file(name: &str, text: &str) -> PathBuf {
    let path = temp_dir(name).join("tx.toml");
    std::fs::write(&path, text).unwrap();
    path
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

/// `export-controls serve` as a child process on a free port of 127.0.0.1, standard error to
/// a file; killed when dropped.
pub struct Server {
    pub child: std::process::Child,
    pub addr: std::net::SocketAddr,
    pub stderr: PathBuf,
}

/// Starts `export-controls serve --addr 127.0.0.1:0 ARGS...` and waits for its
/// `listening on http://ADDR` line.
pub fn spawn_serve(args: &[&str], stderr: &Path) -> Server {
    use std::io::BufRead;
    let err = std::fs::File::create(stderr).unwrap();
    let mut child = bin()
        .args(["serve", "--addr", "127.0.0.1:0"])
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(err)
        .spawn()
        .expect("spawn export-controls serve");
    let out = child.stdout.take().unwrap();
    let mut line = String::new();
    std::io::BufReader::new(out).read_line(&mut line).expect("read the ready line");
    let addr = line.trim().strip_prefix("listening on http://").and_then(|a| a.parse().ok()).unwrap_or_else(|| {
        let _ = child.kill();
        panic!("no ready line: {line:?}; stderr: {}", std::fs::read_to_string(stderr).unwrap_or_default())
    });
    Server { child, addr, stderr: stderr.to_path_buf() }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
