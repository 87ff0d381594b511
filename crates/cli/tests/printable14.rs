//! Everything the CLI prints goes through one helper (`export_controls::files::printable`): a
//! control character, a line or paragraph separator or a direction control in a value it
//! repeats is written as a JSON escape (`\u001b`), never raw (helper input14, item 1). Before,
//! `check --product "nvidia-h2<ESC>[2K0"` printed the ESC sequence raw in its error, which
//! erases the terminal's line.

mod common;

use common::{run, stderr};

/// Whether `bytes` hold a character the helper escapes.
fn holds_raw_control(bytes: &[u8]) -> bool {
    String::from_utf8_lossy(bytes)
        .chars()
        .any(|c| (c.is_control() && c != '\n' && c != '\t') || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202e}'))
}

#[test]
fn a_control_in_an_argument_is_printed_escaped_in_errors() {
    for (product, shown) in [
        ("nvidia-h2\u{1b}[2K0", "nvidia-h2\\u001b[2K0"),
        ("nvidia-h2\r0", "nvidia-h2\\u000d0"),
        ("nvidia-h2\u{202e}0", "nvidia-h2\\u202e0"),
        ("nvidia-h2\u{9b}0", "nvidia-h2\\u009b0"),
    ] {
        let o = run(&["check", "--product", product, "--to", "CN", "--on", "2025-01-01"]);
        assert_ne!(o.status.code(), Some(0));
        assert!(!holds_raw_control(&o.stderr), "{:?}", stderr(&o));
        assert!(stderr(&o).contains(&format!("unknown product `{shown}`")), "{}", stderr(&o));
    }
}

#[test]
fn json_errors_stay_json_and_mean_the_same() {
    let product = "nvidia-h2\u{2028}0";
    let o = run(&["--error-format", "json", "check", "--product", product, "--to", "CN", "--on", "2025-01-01"]);
    assert!(!holds_raw_control(&o.stderr), "{:?}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stderr).unwrap();
    let message = v["message"].as_str().unwrap();
    assert!(message.contains(&format!("unknown product `{product}`")), "{message}");
}
