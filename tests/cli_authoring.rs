//! Authors' errors that misled (issue 12, item 9), through the binary: the help says what to
//! write, and what it says is accepted.

mod common;

use std::process::Command;

use common::{copy_shipped_pack, temp_dir};

fn lint(dir: &std::path::Path) -> (i32, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_export-controls")).arg("lint").arg(dir).output().unwrap();
    (o.status.code().unwrap_or(-1), String::from_utf8_lossy(&o.stderr).into_owned())
}

#[test]
fn a_date_with_slashes_is_answered_with_the_bare_date_and_that_loads() {
    let dir = temp_dir("authoring-dates");
    copy_shipped_pack(&dir);
    let notice = |from: &str| format!("[[notice]]\nid = \"authoring\"\ntitle = \"t\"\nsource = \"s\"\nfrom = {from}\n");
    let file = dir.join("zz-authoring.toml");
    std::fs::write(&file, notice("2027/01/01")).unwrap();
    let (code, err) = lint(&dir);
    assert_eq!(code, 3);
    assert!(err.contains("help: a date is written bare, year first, with dashes (no quotes): `2027-01-01`"), "{err}");
    assert!(!err.contains("help: quote"), "{err}");
    // The quoted form is refused, with the bare form as help.
    std::fs::write(&file, notice("\"2027-01-01\"")).unwrap();
    let (code, err) = lint(&dir);
    assert_eq!(code, 3);
    assert!(err.contains("help: write the date bare, without quotes: `2027-01-01`"), "{err}");
    // What the help says loads.
    std::fs::write(&file, notice("2027-01-01")).unwrap();
    let (code, err) = lint(&dir);
    assert_ne!(code, 3, "{err}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn condition_mistakes_get_the_fix_and_the_fix_loads() {
    let dir = temp_dir("authoring-conditions");
    copy_shipped_pack(&dir);
    let file = dir.join("zz-authoring.toml");
    let rule = |when: &str| {
        format!(
            "[[classification]]\nid = \"3A090.z.1\"\neccn = \"3A090.z\"\ntitle = \"t\"\nsource = \"s\"\nfrom = 2024-01-01\nkinds = [\"integrated_circuit\"]\nwhen = '{when}'\n"
        )
    };
    for (when, expected, fixed) in [
        ("tpp => 4000", "`=>` is not an operator: write `>=`", "tpp >= 4000"),
        ("TPP >= 4000", "help: attribute names are lower case: `tpp`", "tpp >= 4000"),
        (
            "tpp >= 4000 and kind == computer",
            "help: write `kind == \"computer\"`",
            "tpp >= 4000 and kind == \"computer\"",
        ),
    ] {
        std::fs::write(&file, rule(when)).unwrap();
        let (code, err) = lint(&dir);
        assert_eq!(code, 3, "{when}");
        assert!(err.contains(expected), "{when}: {err}");
        std::fs::write(&file, rule(fixed)).unwrap();
        let (code, err) = lint(&dir);
        assert_ne!(code, 3, "{fixed}: {err}");
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_quoted_date_in_a_transaction_gets_the_bare_date() {
    let dir = temp_dir("authoring-tx");
    let tx = dir.join("tx.toml");
    std::fs::write(&tx, "product = \"nvidia-h20\"\ndestination = \"CN\"\ndate = \"2025-04-20\"\n").unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_export-controls"))
        .args(["check", "--transaction", tx.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(3));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("help: write the date bare, without quotes: `2025-04-20`"), "{err}");
    std::fs::remove_dir_all(&dir).ok();
}
