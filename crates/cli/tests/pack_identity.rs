//! A `--rules` pack measured against the pack embedded in the program (tester round 6, S3).
//!
//! A pack's name and version stand for the rules reviewed under them (README, "Tamper
//! evidence"). A copy of the shipped pack with 3A090.a.1's TPP threshold raised tenfold, its
//! `rules.lock` deleted and re-made, matched its own lock and cleared an H100 SXM5 to China on
//! 2024-06-01 as "us-ear <shipped version>" (under the shipped pack: 3A090.a, TPP 15,832 ≥ 4,800,
//! a licence for China under 15 CFR 742.6(a)(6)(iii), 88 FR 73458). And an older, locked
//! version of the pack was used without a word that a later one corrects it.

mod common;

use common::*;
use export_controls::audit::Lock;

/// The shipped pack's version, from rules/us-ear/pack.toml.
fn shipped_version() -> String {
    let toml = std::fs::read_to_string(repo("rules/us-ear/pack.toml")).unwrap();
    let line = toml.lines().find(|l| l.starts_with("version = ")).unwrap();
    line.trim_start_matches("version = ").trim_matches('"').to_string()
}

#[test]
fn a_pack_taking_the_shipped_name_and_version_with_other_rules_is_not_that_pack() {
    let dir = temp_dir("forged-pack");
    let pack = dir.join("us-ear");
    copy_shipped_pack(&pack);
    // 3A090.a.1 (TPP ≥ 4,800) raised tenfold; the version left as shipped.
    edit_file(&pack.join("ccl-3a090.toml"), "when = \"tpp >= 4800\"", "when = \"tpp >= 48000\"");
    std::fs::remove_file(pack.join("rules.lock")).unwrap();
    let p = pack.to_str().unwrap();
    let version = shipped_version();

    // `lock` refuses to write a lock that would make it pass for the shipped pack.
    let o = run(&["lock", p]);
    assert_eq!(o.status.code(), Some(1), "{}", String::from_utf8_lossy(&o.stdout));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains(&format!("not us-ear {version}: the pack of that name and version embedded")), "{out}");
    assert!(!pack.join("rules.lock").exists());

    // A lock written around the tool (as any text file can be) does not make it pass either.
    let (_, lock) = Lock::of_dir(&pack).unwrap();
    std::fs::write(pack.join("rules.lock"), lock.to_toml()).unwrap();
    let o = run(&["verify", p]);
    assert_eq!(o.status.code(), Some(1), "{}", String::from_utf8_lossy(&o.stdout));
    assert!(String::from_utf8_lossy(&o.stdout).contains(&format!("not us-ear {version}")));
    let mut args = check_args("nvidia-h100-sxm5-80gb", "CN", "2024-06-01");
    args.extend(["--rules", p]);
    let o = run(&args);
    assert_eq!(o.status.code(), Some(3), "{}", String::from_utf8_lossy(&o.stdout));
    assert!(!String::from_utf8_lossy(&o.stdout).contains("NO LICENCE REQUIRED"));
    assert!(stderr(&o).contains(&format!("not us-ear {version}")), "{}", stderr(&o));

    // `serve --rules` (and SIGHUP's reload) refuses it as well.
    let source =
        export_controls_service::pack::PackSource { rules: Some(pack.clone()), catalog: None, allow_superseded: false };
    match export_controls_service::pack::LoadedPack::load(&source) {
        Err(export_controls_service::pack::PackError::Unverified(d)) => {
            assert!(d.iter().any(|d| d.starts_with(&format!("not us-ear {version}"))), "{d:?}")
        }
        Err(e) => panic!("refused for another reason: {e}"),
        Ok(_) => panic!("a forged pack was loaded by the service"),
    }

    // Used all the same (--unlocked), every determination says it is not the reviewed pack.
    args.extend(["--unlocked", "--format", "json"]);
    let o = run(&args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let d: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(d["rules"]["unlocked"], true);
    assert!(d["scope"][0].as_str().unwrap().starts_with("UNLOCKED PACK"), "{}", d["scope"]);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn an_older_version_never_released_is_not_that_pack_but_a_release_is_used_with_a_warning() {
    // Tester round 8, T8: a pack taking an older version than the shipped one is measured
    // against the register of releases (rules/RELEASES.toml). 0.0.1 was never released: a copy
    // of the shipped rules under it is not a release, whatever lock it carries.
    let dir = temp_dir("older-pack");
    let pack = dir.join("us-ear");
    copy_shipped_pack(&pack);
    let version = shipped_version();
    edit_file(&pack.join("pack.toml"), &format!("version = \"{version}\""), "version = \"0.0.1\"");
    std::fs::remove_file(pack.join("rules.lock")).unwrap();
    let p = pack.to_str().unwrap();
    let o = run(&["lock", p]);
    assert_eq!(o.status.code(), Some(1), "{}", String::from_utf8_lossy(&o.stdout));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("not a release of us-ear: us-ear 0.0.1 is not in the register of its releases"), "{out}");
    let (_, lock) = Lock::of_dir(&pack).unwrap();
    std::fs::write(pack.join("rules.lock"), lock.to_toml()).unwrap();
    let mut args = check_args("nvidia-h100-sxm5-80gb", "CN", "2024-06-01");
    args.extend(["--rules", p]);
    let o = run(&args);
    assert_eq!(o.status.code(), Some(3), "{}", String::from_utf8_lossy(&o.stdout));
    assert!(stderr(&o).contains("not a release of us-ear"), "{}", stderr(&o));

    // A release of main (0.1.27 as locked at 170a7ab) is that release, superseded: replayed
    // without a word, used for new determinations only with --superseded (superseded_pack.rs).
    let release = Lock {
        pack: "us-ear".into(),
        version: "0.1.27".into(),
        sha256: "96589ba541f092e579c1d3ef00c4d0da39e80e259a919841d19866d433e23c72".into(),
        files: Default::default(),
    };
    assert_eq!(release.impersonates_shipped(), None);
    let warning = release.superseded_by_shipped().expect("no warning for an older release");
    assert!(warning.starts_with(&format!("us-ear 0.1.27 is superseded by us-ear {version}")), "{warning}");
    // The same version with other content (a release edited, or 0.1.28 of a helper branch's
    // lock under 0.1.27) is not.
    let edited = Lock { sha256: "484e33252a58d9026e8f416bc1155b3115625d418e60cd0efa3409a3f1acd0a0".into(), ..release };
    let why = edited.impersonates_shipped().expect("an edited release taken for the release");
    assert!(why.starts_with("not us-ear 0.1.27: us-ear 0.1.27 was released with sha256 96589ba5"), "{why}");

    // A later version than the shipped one (a pack edited and locked after this program was
    // built) is neither refused nor warned about.
    edit_file(&pack.join("pack.toml"), "version = \"0.0.1\"", "version = \"99.0.0\"");
    std::fs::remove_file(pack.join("rules.lock")).unwrap();
    assert_eq!(run(&["lock", p]).status.code(), Some(0));
    let o = run(&args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!stderr(&o).contains("superseded"), "{}", stderr(&o));
    std::fs::remove_dir_all(&dir).ok();
}

/// A pack `lint` finds errors in is not releasable: `lock` refuses it (exit 1), printing the
/// findings with file, line and column, and writes no lock. Warnings do not stop it: the same
/// pack with only an empty, unused country group (L005, L021) is locked.
#[test]
fn lock_refuses_a_pack_with_lint_errors_but_not_one_with_warnings() {
    let dir = temp_dir("lock-lint");
    let pack = dir.join("lock-lint");
    copy_shipped_pack(&pack);
    std::fs::remove_file(pack.join("rules.lock")).unwrap();
    // Another pack (not the shipped one's name), so that only the lint decides.
    edit_file(&pack.join("pack.toml"), "name = \"us-ear\"", "name = \"lock-lint\"");
    let p = pack.to_str().unwrap();
    // 3A090.a.1 made impossible: TPP at least 4,800 and below 100 (L001, an error).
    let impossible = "when = \"tpp >= 4800 and tpp < 100\"";
    edit_file(&pack.join("ccl-3a090.toml"), "when = \"tpp >= 4800\"", impossible);
    let o = run(&["lock", p]);
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert_eq!(o.status.code(), Some(1), "{out}{}", stderr(&o));
    assert!(out.starts_with("not locked: `export-controls lint` finds errors in "), "{out}");
    assert!(out.contains("error[L001]"), "{out}");
    let text = std::fs::read_to_string(pack.join("ccl-3a090.toml")).unwrap();
    // The finding points at the paragraph's id, as `lint` prints it.
    let line = text[..text.find("id = \"3A090.a.1\"").unwrap()].matches('\n').count() + 1;
    assert!(out.contains(&format!("ccl-3a090.toml:{line}:6: error[L001]: `3A090.a.1` can never be true")), "{out}");
    assert!(out.contains("1 error(s)"), "{out}");
    assert!(!pack.join("rules.lock").exists());

    // Corrected, with an empty country group no rule uses: warnings only, locked.
    edit_file(&pack.join("ccl-3a090.toml"), impossible, "when = \"tpp >= 4800\"");
    edit_file(
        &pack.join("country-groups.toml"),
        "[[treated_as]]",
        "[[country_group]]\nid = \"E:1\"\ntitle = \"Country Group E:1\"\nsource = \"15 CFR 740 Supp. No. 1\"\nmembers = []\n\n[[treated_as]]",
    );
    let o = run(&["lint", p]);
    let lint = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(lint.contains("warning[L021]") && lint.contains("0 error(s), 2 warning(s)"), "{lint}");
    let o = run(&["lock", p]);
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert_eq!(o.status.code(), Some(0), "{out}{}", stderr(&o));
    assert!(out.starts_with("wrote "), "{out}");
    assert!(pack.join("rules.lock").exists());
    std::fs::remove_dir_all(&dir).ok();
}
