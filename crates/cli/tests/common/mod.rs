//! Helpers shared by the binary's tests. The binary runs in the workspace root, as the tests
//! at the root did before it moved to this package: relative paths such as `rules/us-ear` (the
//! default pack directory) mean what they mean in a checkout. The helpers that do not run the
//! binary (the checkout's paths, temporary directories, copies and edits of the shipped pack)
//! are the library tests' own, tests/common at the root, included here.
#![allow(dead_code, unused_imports)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

#[path = "../../../../tests/common/mod.rs"]
mod shared;

// Each test file uses some of these (hence `unused_imports` allowed above, as `dead_code`).
pub use shared::{copy_dir, copy_shipped_pack, edit_file, pack_files, pack_files_edited, repo, root, temp_dir};

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

/// The arguments of `check --product PRODUCT --to TO --on ON`, for a test to extend.
pub fn check_args<'a>(product: &'a str, to: &'a str, on: &'a str) -> Vec<&'a str> {
    vec!["check", "--product", product, "--to", to, "--on", on]
}

/// `check --product PRODUCT --to TO --on ON` by an exporter that is not a front-end fabricator
/// or OSAT (`--exporter-front-end-fabricator-or-osat no`), with `extra` arguments (e.g.
/// `--party ...`), as JSON: the determination, the run asserted to exit 0.
pub fn ordinary_check_json(product: &str, to: &str, on: &str, extra: &[&str]) -> serde_json::Value {
    let mut args = check_args(product, to, on);
    args.extend(["--exporter-front-end-fabricator-or-osat", "no"]);
    args.extend_from_slice(extra);
    args.extend(["--format", "json"]);
    json(&run(&args))
}

/// Standard error, lossily.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Standard output of a run that must succeed (exit 0), read as JSON (`--format json`).
pub fn json(o: &Output) -> serde_json::Value {
    assert_eq!(o.status.code(), Some(0), "{}", stderr(o));
    serde_json::from_slice(&o.stdout).unwrap()
}

/// A transaction file `tx.toml` holding `text`, in a fresh directory of its own ([`temp_dir`]).
pub fn transaction_file(name: &str, text: &str) -> PathBuf {
    let path = temp_dir(name).join("tx.toml");
    std::fs::write(&path, text).unwrap();
    path
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

/// The record the service writes for a determination: `text` as `check --format json` prints it
/// (its columns read from it), `request` as the request column keeps it, made by `engine` (the
/// engine column) at `recorded_at`, with `verdict` written in its determination and column (the
/// determination's own verdict replaced once, for records another build made or a forger wrote).
/// The one builder of the record tests (record_line, record_engine).
pub fn record_of(
    text: &str,
    request: String,
    engine: &str,
    verdict: &str,
    recorded_at: &str,
) -> export_controls_service::records::NewRecord {
    let d: serde_json::Value = serde_json::from_str(text).unwrap();
    let s = |v: &serde_json::Value| v.as_str().unwrap().to_string();
    let made = s(&d["verdict"]);
    export_controls_service::records::NewRecord {
        recorded_at: recorded_at.into(),
        as_of: s(&d["as_of"]),
        product: s(&d["product"]["id"]),
        destination: s(&d["destination"]["code"]),
        verdict: verdict.into(),
        pack_name: s(&d["rules"]["name"]),
        pack_version: s(&d["rules"]["version"]),
        pack_sha256: s(&d["rules"]["sha256"]),
        request,
        determination: text
            .replacen(&format!("\"verdict\": \"{made}\""), &format!("\"verdict\": \"{verdict}\""), 1)
            .into(),
        engine: engine.into(),
    }
}

/// The shipped pack's version, from rules/us-ear/pack.toml.
pub fn shipped_version() -> String {
    let toml = std::fs::read_to_string(repo("rules/us-ear/pack.toml")).unwrap();
    let line = toml.lines().find(|l| l.starts_with("version = ")).unwrap();
    line.trim_start_matches("version = ").trim_matches('"').to_string()
}

/// The newest release older than the shipped pack, extracted from git into `dir/rules/us-ear`:
/// (its directory, its version). Asserted to be that release (its sha256 as registered).
pub fn old_release(dir: &Path) -> (PathBuf, String) {
    // The register lists the releases newest first: the first of another version than the
    // shipped one is older.
    let shipped = shipped_version();
    let register = export_controls::releases::register().unwrap();
    let release =
        register.releases.iter().find(|r| r.version != shipped).expect("a release older than the shipped pack");
    let (version, sha256, commit) = (release.version.clone(), release.sha256.clone(), release.commit.clone());
    let archive = std::process::Command::new("git")
        .args(["archive", "--format=tar", &commit, "rules/us-ear"])
        .current_dir(root())
        .output()
        .unwrap();
    assert!(archive.status.success(), "git archive {commit}: {}", String::from_utf8_lossy(&archive.stderr));
    let tar = dir.join("old.tar");
    std::fs::write(&tar, &archive.stdout).unwrap();
    let untar = std::process::Command::new("tar").arg("-xf").arg(&tar).arg("-C").arg(dir).status().unwrap();
    assert!(untar.success());
    let pack = dir.join("rules/us-ear");
    let (_, lock) = export_controls::audit::Lock::of_dir(&pack).unwrap();
    assert_eq!((lock.version.as_str(), lock.sha256.as_str()), (version.as_str(), sha256.as_str()));
    (pack, version)
}
