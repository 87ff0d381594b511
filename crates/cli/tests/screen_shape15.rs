//! `export-controls screen --format json` and `POST /v1/screen` write one shape, the library's
//! `ScreenReport` (tester15 D2): before, the CLI printed a bare array of rows and the API an
//! object with `as_of`, `rules`, `note`, `warnings` and `rows`. Values from the shipped pack: an
//! H20 (TPP 2,368) to China needs a licence on 2025-04-20 (the "is informed" letter of
//! 2025-04-09), an H100 SXM5 (3A090.a.1 and .a.2) to China needs one under 742.6(a)(6)(iii).

mod common;
#[path = "../../service/tests/common/mod.rs"]
mod http;

use common::{run, spawn_serve, stderr, temp_dir};
use http::post_json;

#[test]
fn the_cli_and_the_api_write_one_screen() {
    let o = run(&[
        "screen",
        "--date",
        "2025-04-20",
        "--products",
        "nvidia-h20,nvidia-h100-sxm5-80gb",
        "--destinations",
        "CN,MY",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let cli: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();

    let dir = temp_dir("screen-shape");
    let server = spawn_serve(&["--db", dir.join("records.sqlite").to_str().unwrap()], &dir.join("serve.err"));
    let body = r#"{"date":"2025-04-20","products":["nvidia-h20","nvidia-h100-sxm5-80gb"],"destinations":["CN","MY"]}"#;
    let r = post_json(server.addr, "/v1/screen", body);
    assert_eq!(r.status, 200, "{}", r.text());
    let api = r.json();
    assert_eq!(cli, api, "the CLI's screen and the API's differ");

    let keys: Vec<&str> = cli.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["as_of", "rules", "note", "warnings", "rows"]);
    assert_eq!(cli["as_of"], "2025-04-20");
    assert_eq!(cli["rules"]["name"], "us-ear");
    let rows = cli["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 4);
    assert_eq!((rows[0]["product"].as_str(), rows[0]["destination"].as_str()), (Some("nvidia-h20"), Some("CN")));
    assert_eq!(rows[0]["verdict"], "license_required");
    assert_eq!(rows[2]["product"], "nvidia-h100-sxm5-80gb");
    assert_eq!(rows[2]["paragraphs"], serde_json::json!(["3A090.a.1", "3A090.a.2"]));
    assert!(cli["note"].as_str().unwrap().contains("no parties"));
}
