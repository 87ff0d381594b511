//! A rule pack's diagnostics name its files as the reader can open them from where the command
//! runs (tester15 D00): `export-controls lint rules/us-ear` from the repository's root prints
//! `rules/us-ear/license-requirements.toml:LINE:COL`, as the loader's errors and the rule tests'
//! errors name theirs, not `license-requirements.toml:LINE:COL`, which is no file there.

mod common;

use std::path::Path;

use common::{copy_shipped_pack, edit_file, stderr, temp_dir};

/// The 1-based line of the `nth` (0-based) `needle` in a file.
fn line_of(path: &Path, needle: &str, nth: usize) -> usize {
    let text = std::fs::read_to_string(path).unwrap();
    let (at, _) = text.match_indices(needle).nth(nth).unwrap_or_else(|| panic!("{needle} #{nth} not in {path:?}"));
    text[..at].matches('\n').count() + 1
}

/// Runs the binary in `cwd`.
fn run_in(cwd: &Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_export-controls")).current_dir(cwd).args(args).output().unwrap()
}

#[test]
fn lint_names_the_files_from_the_working_directory_in_the_finding_and_its_message() {
    let cwd = temp_dir("lint-paths");
    let pack = cwd.join("rules/edited");
    copy_shipped_pack(&pack);
    // The PRC's RS licence (742.6(a)(6)(i)) ended a week early: a lapse between two versions,
    // L012 at the later version, naming the earlier one's place in its message.
    let file = pack.join("license-requirements.toml");
    edit_file(&file, "until = 2023-01-17\nitems", "until = 2023-01-10\nitems");
    let later = line_of(&file, "id = \"742.6(a)(6)(i)\"", 1);
    let earlier = line_of(&file, "id = \"742.6(a)(6)(i)\"", 0);

    let o = run_in(&cwd, &["lint", "rules/edited"]);
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert_eq!(o.status.code(), Some(1), "{out}{}", stderr(&o));
    let want = format!(
        "rules/edited/license-requirements.toml:{later}:6: error[L012]: `742.6(a)(6)(i)` is in force in no version from \
         2023-01-10 to 2023-01-16: the license_requirement written at rules/edited/license-requirements.toml:{earlier}:6 ends"
    );
    assert!(out.lines().any(|l| l.starts_with(&want)), "{out}");
    // Every finding's header names a file that exists from the working directory.
    for l in out.lines().filter(|l| l.contains(": error[L") || l.contains(": warning[L")) {
        let file = l.split(':').next().unwrap();
        assert!(cwd.join(file).is_file(), "{file} from {l}");
    }

    // JSON carries the same path.
    let o = run_in(&cwd, &["lint", "rules/edited", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let l012 = v.as_array().unwrap().iter().find(|f| f["code"] == "L012").unwrap();
    assert_eq!(l012["file"], "rules/edited/license-requirements.toml");
    assert_eq!(l012["line"], later);

    // `lock`, which refuses a pack with lint errors, prints them the same way.
    let o = run_in(&cwd, &["lock", "rules/edited"]);
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(out.contains(&want), "{out}");
}

#[test]
fn a_load_error_of_a_pack_file_names_it_as_lint_does() {
    let cwd = temp_dir("load-paths");
    let pack = cwd.join("p");
    copy_shipped_pack(&pack);
    let file = pack.join("ccl-3a090.toml");
    edit_file(&file, "when = \"tpp >= 4800\"", "when = \"tpp >= 4800 and tp > 1\"");
    let line = line_of(&file, "tp > 1", 0);
    for args in [
        &["lint", "p"][..],
        &["test", "p"],
        &["check", "--product", "nvidia-h20", "--to", "CN", "--on", "2025-01-01", "--rules", "p", "--unlocked"],
    ] {
        let o = run_in(&cwd, args);
        assert_eq!(o.status.code(), Some(3), "{args:?}: {}", stderr(&o));
        let err = stderr(&o);
        assert!(
            err.starts_with(&format!("p/ccl-3a090.toml:{line}:25: error[E0320]: unknown attribute `tp`")),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn the_pack_given_as_the_working_directory_keeps_bare_names() {
    let cwd = temp_dir("lint-dot");
    copy_shipped_pack(&cwd);
    edit_file(&cwd.join("license-requirements.toml"), "until = 2023-01-17\nitems", "until = 2023-01-10\nitems");
    let o = run_in(&cwd, &["lint", "."]);
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(out.starts_with("license-requirements.toml:"), "{out}");
}
