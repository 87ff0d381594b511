//! The HTTP API as a procurement system uses it: a server on 127.0.0.1 on a free port, raw
//! HTTP/1.1 requests, real values from the shipped pack (H20 → CN is no_license_required on
//! 2024-06-01 and license_required on 2025-04-20, as rules/us-ear/tests say).

mod common;

use std::time::Duration;

use common::*;
use export_controls::{Catalog, Options, Query, RuleSet};
use export_controls_service::api::Limits;
use export_controls_service::pack::PackSource;

/// The determination of [`tx`], whose body does not state where the items ship from.
fn expected_json(product: &str, to: &str, on: &str) -> String {
    let rules = RuleSet::shipped().unwrap();
    let catalog = Catalog::shipped().unwrap();
    let q = Query::export_to(to.parse().unwrap(), on.parse().unwrap()).origin_not_stated();
    let d = rules.evaluate(catalog.get(product).unwrap(), &q, Options { trace: true }).unwrap();
    // What `check --format json` prints: pretty JSON and a newline (main.rs, `outln!`).
    format!("{}\n", serde_json::to_string_pretty(&d).unwrap())
}

#[test]
fn h20_to_china_before_and_after_the_2025_letter() {
    let (addr, _) = sqlite_server("h20");
    for (on, verdict) in [("2024-06-01", "no_license_required"), ("2025-04-20", "license_required")] {
        let r = post_json(addr, "/v1/determinations", &tx("nvidia-h20", "CN", on));
        assert_eq!(r.status, 201, "{}", r.text());
        assert_eq!(r.header("content-type"), Some("application/json"));
        let d = r.json();
        assert_eq!(d["verdict"], verdict);
        assert_eq!(d["as_of"], on);
        assert_eq!(d["metrics"]["tpp"], "2368");
        assert_eq!(d["eccns"], serde_json::json!([]));
        // Byte for byte what the CLI prints.
        assert_eq!(r.text(), expected_json("nvidia-h20", "CN", on));
        let id: i64 = r.header("record-id").unwrap().parse().unwrap();
        assert_eq!(r.header("location"), Some(format!("/v1/determinations/{id}").as_str()));

        let rec = get(addr, &format!("/v1/determinations/{id}"));
        assert_eq!(rec.status, 200);
        let rec = rec.json();
        assert_eq!(rec["id"], id);
        assert_eq!(rec["verdict"], verdict);
        assert_eq!(rec["product"], "nvidia-h20");
        assert_eq!(rec["rules"]["sha256"], RuleSet::shipped().unwrap().pack().sha256);
        assert_eq!(rec["determination"], d);
        assert_eq!(rec["request"]["destination"], "CN");

        let rp = request(addr, "POST", &format!("/v1/determinations/{id}/replay"), None, b"").unwrap();
        assert_eq!(rp.status, 200, "{}", rp.text());
        assert_eq!(rp.json()["identical"], true);
    }
}

#[test]
fn inline_product_sheet_and_parties() {
    let (addr, _) = sqlite_server("sheet");
    let sheet = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../rules/products/nvidia-h20.toml"))
        .unwrap()
        .replace("id = \"nvidia-h20\"", "id = \"my-h20-clone\"");
    let body = serde_json::json!({ "destination": "CN", "date": "2024-06-01", "product_sheet": sheet }).to_string();
    let r = post_json(addr, "/v1/determinations", &body);
    assert_eq!(r.status, 201, "{}", r.text());
    let d = r.json();
    assert_eq!(d["product"]["id"], "my-h20-clone");
    assert_eq!(d["verdict"], "no_license_required");
    assert_eq!(d["metrics"]["tpp"], "2368");
    // The record keeps the sheet: the request can be read back whole.
    let id = r.header("record-id").unwrap();
    let rec = get(addr, &format!("/v1/determinations/{id}")).json();
    assert_eq!(rec["request"]["product_sheet"], serde_json::Value::String(sheet));

    // A Chinese-parented end user in Malaysia (headquarters rule, 2025): H100 needs a licence.
    let body = r#"{"product":"nvidia-h100-sxm5-80gb","destination":"MY","date":"2025-06-01","party":[{"role":"end_user","name":"Example Cloud","country":"MY","headquarters":"MY","parent_headquarters":"CN"}]}"#;
    let r = post_json(addr, "/v1/determinations", body);
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(r.json()["verdict"], "license_required");
    assert_eq!(r.json()["inputs"]["parties"][0]["parent_headquarters"], "CN");
}

fn assert_problem(r: &Resp, status: u16, kind: &str) -> serde_json::Value {
    assert_eq!(r.status, status, "{}", r.text());
    assert_eq!(r.header("content-type"), Some("application/problem+json"), "{}", r.text());
    let p = r.json();
    assert_eq!(p["type"], format!("urn:export-controls:problem:{kind}"));
    assert_eq!(p["status"], status);
    assert!(p["title"].is_string() && p["detail"].is_string());
    p
}

/// A sheet sent as `product_sheet` is read as `check --product FILE` reads it: the catalog ids
/// of its `contains` resolve (a DGX A100 of eight A100s is 4A090.a to CN, 87 FR 62186), and a
/// sheet that takes a catalog product's id with other figures is refused (E0220), so that no
/// record names a catalog product for figures that are not its own.
#[test]
fn a_product_sheet_is_read_against_the_catalog() {
    let (addr, _) = sqlite_server("sheet-catalog");
    let read = |id: &str| {
        std::fs::read_to_string(format!("{}/../../rules/products/{id}.toml", env!("CARGO_MANIFEST_DIR"))).unwrap()
    };
    let system = read("nvidia-dgx-a100").replace("id = \"nvidia-dgx-a100\"", "id = \"my-dgx-a100\"");
    let body = serde_json::json!({ "destination": "CN", "date": "2024-06-01", "product_sheet": system }).to_string();
    let r = post_json(addr, "/v1/determinations", &body);
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(r.json()["verdict"], "license_required");
    assert_eq!(r.json()["eccns"], serde_json::json!(["4A090.a"]));

    let forged = read("nvidia-h100-sxm5-80gb").replace("fp8 = 1978.9", "fp8 = 1").replace("int8 = 1978.9", "int8 = 1");
    let body = serde_json::json!({ "destination": "CN", "date": "2024-06-01", "product_sheet": forged }).to_string();
    let p = assert_problem(&post_json(addr, "/v1/determinations", &body), 422, "input-error");
    assert_eq!(p["code"], "E0220", "{p}");
}

/// A stored determination that is not JSON is not replayable: the problem's code is the one
/// its detail gives, E0601 (rules/ERRORS.md: a determination file that is not JSON).
#[test]
fn a_record_that_is_not_json_is_refused_with_its_own_code() {
    let (addr, db) = sqlite_server("replay-not-json");
    let r = post_json(addr, "/v1/determinations", &tx("nvidia-h20", "CN", "2024-06-01"));
    assert_eq!(r.status, 201, "{}", r.text());
    let id: i64 = r.header("record-id").unwrap().parse().unwrap();
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.busy_timeout(Duration::from_secs(10)).unwrap();
    // The store refuses updates by trigger: someone with write access to the file drops it.
    let triggers: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    for t in triggers {
        conn.execute_batch(&format!("DROP TRIGGER \"{t}\"")).unwrap();
    }
    let changed = conn
        .execute(
            "UPDATE determinations SET determination = 'not json', determination_encoding = 'identity' WHERE id = ?1",
            [id],
        )
        .unwrap();
    assert_eq!(changed, 1);
    let rp = request(addr, "POST", &format!("/v1/determinations/{id}/replay"), None, b"").unwrap();
    let p = assert_problem(&rp, 422, "not-a-determination");
    assert_eq!(p["code"], "E0601", "{p}");
    assert!(p["detail"].as_str().unwrap().contains("E0601"), "{p}");
}

#[test]
fn bad_input_is_a_4xx_problem_never_a_500() {
    let (addr, _) = sqlite_server("bad");
    let p = assert_problem(&post_json(addr, "/v1/determinations", "{\"product\": "), 400, "malformed-request");
    assert_eq!(p["code"], "E0501");
    assert_eq!(p["exit_code"], 3);
    assert_problem(&post_json(addr, "/v1/determinations", "[1, 2]"), 400, "malformed-request");
    assert_problem(&post_json(addr, "/v1/determinations", ""), 400, "malformed-request");
    let r = request(addr, "POST", "/v1/determinations", Some("application/json"), b"{\"product\":\"\xff\"}").unwrap();
    assert_problem(&r, 400, "malformed-request");

    // A value of the body refused is an input error, exit 3, as `check --transaction` exits
    // with the same JSON (README.md, "Exit codes": 3 for a value read from a file).
    let p = assert_problem(
        &post_json(addr, "/v1/determinations", &tx("nvidia-h2O", "CN", "2024-06-01")),
        422,
        "input-error",
    );
    assert_eq!(p["exit_code"], 3);
    assert!(p["detail"].as_str().unwrap().contains("did you mean `nvidia-h20`"), "{p}");

    let p = assert_problem(
        &post_json(addr, "/v1/determinations", &tx("nvidia-h20", "XX", "2024-06-01")),
        422,
        "input-error",
    );
    assert_eq!(p["code"], "E0503");
    assert_eq!(p["exit_code"], 3);
    assert_eq!(p["diagnostics"][0]["file"], "request body");
    assert_eq!(p["diagnostics"][0]["line"], 1);

    let p = assert_problem(
        &post_json(addr, "/v1/determinations", &tx("nvidia-h20", "CN", "2024-02-30")),
        422,
        "input-error",
    );
    assert_eq!(p["exit_code"], 3);
    let body = r#"{"product":"nvidia-h20","destination":"CN","date":"2024-06-01","colour":"red"}"#;
    let p = assert_problem(&post_json(addr, "/v1/determinations", body), 422, "input-error");
    assert_eq!(p["code"], "E0102");
    let body = r#"{"product":"nvidia-h20","destination":"CN","date":"2024-06-01","party":[{"role":"end_user","end_uses":["bakery"]}]}"#;
    let p = assert_problem(&post_json(addr, "/v1/determinations", body), 422, "input-error");
    assert_eq!(p["code"], "E0505");
    let p = assert_problem(
        &post_json(addr, "/v1/determinations", &tx("nvidia-h20", "US", "2024-06-01")),
        422,
        "input-error",
    );
    assert_eq!(p["exit_code"], 3);
    let p = assert_problem(
        &post_json(addr, "/v1/determinations", &tx("nvidia-h20", "CN", "2021-06-01")),
        422,
        "input-error",
    );
    assert_eq!(p["exit_code"], 3);
    assert!(p["detail"].as_str().unwrap().contains("before 2022-01-01"), "{p}");
    let body = serde_json::json!({ "destination": "CN", "date": "2024-06-01", "product_sheet": "id = 3" }).to_string();
    assert_problem(&post_json(addr, "/v1/determinations", &body), 422, "input-error");

    let big = format!("{{\"product\":\"{}\"}}", "x".repeat(300 * 1024));
    assert_problem(&post_json(addr, "/v1/determinations", &big), 413, "too-large");
    let big_screen = format!("{{\"on\":\"{}\"}}", "x".repeat(300 * 1024));
    assert_problem(&post_json(addr, "/v1/screen", &big_screen), 413, "too-large");

    assert_problem(&get(addr, "/v1/determinations/999999"), 404, "not-found");
    assert_problem(&get(addr, "/v1/determinations/abc"), 400, "bad-path");
    assert_problem(&get(addr, "/v1/determinations?since=yesterday"), 400, "bad-query");
    assert_problem(&request(addr, "POST", "/v1/determinations/999999/replay", None, b"").unwrap(), 404, "not-found");
    assert_problem(&get(addr, "/v2/anything"), 404, "not-found");
    assert_problem(&request(addr, "DELETE", "/v1/determinations/1", None, b"").unwrap(), 405, "method-not-allowed");
    assert_problem(&get(addr, "/v1/products/nvidia-h2O"), 404, "not-found");

    assert_problem(
        &post_json(addr, "/v1/screen", "{\"on\":\"2024-06-01\",\"products\":[\"nope\"]}"),
        422,
        "usage-error",
    );
    assert_problem(&post_json(addr, "/v1/screen", "{\"on\":\"June\"}"), 422, "usage-error");
    // Month 13 is a JSON value of the wrong type (E0501, as in a transaction), not a date with
    // a time of day (E0310); `on` is `screen --on`, a flag: a usage error, exit 2.
    let p = assert_problem(&post_json(addr, "/v1/screen", "{\"on\":\"2025-13-01\"}"), 422, "usage-error");
    assert_eq!(p["code"], "E0501", "{p}");
    assert_eq!(p["exit_code"], 2, "{p}");
    let p = assert_problem(&post_json(addr, "/v1/screen", "{\"on\":\"2021-06-01\"}"), 422, "usage-error");
    assert_eq!(p["exit_code"], 2, "{p}");
    assert_problem(
        &post_json(addr, "/v1/screen", "{\"on\":\"2024-06-01\",\"destinations\":[\"US\"]}"),
        422,
        "usage-error",
    );
    assert_problem(&post_json(addr, "/v1/screen", "{\"on\":\"2024-06-01\",\"extra\":1}"), 422, "usage-error");
    assert_problem(&post_json(addr, "/v1/screen", "{\"on\":"), 400, "malformed-request");
}

/// The service refuses what `check --transaction` refuses about parties: a list entry id the
/// pack does not hold (E0508: `huawei-technologiez` is not the Entity List entry
/// `huawei-technologies`, and ignoring it would screen the party as unlisted), and a screen
/// attested against a list dated after today (E0511: a list not yet published cannot have been
/// screened against), each at its place in the body.
/// A body is read as JSON only when it says it is JSON, and uncompressed (tester12 T4): `curl
/// -d` without `-H 'Content-Type: application/json'` sends `application/x-www-form-urlencoded`,
/// and a body said to be gzip but read as it came is read as what it says it is not. Each is
/// 415 (RFC 9110 §15.5.16) with the CLI's exit code 3 and its own code (E0613, E0614), the
/// `Accept` and `Accept-Encoding` that would be read, and nothing recorded.
#[test]
fn a_body_not_sent_as_json_or_said_compressed_is_415() {
    let (addr, _) = sqlite_server("media");
    let body = tx("nvidia-h20", "CN", "2024-06-01");
    let refused = |content_type: Option<&str>, code: &str| {
        let r = request(addr, "POST", "/v1/determinations", content_type, body.as_bytes()).unwrap();
        let p = assert_problem(&r, 415, "unsupported-media-type");
        assert_eq!((p["code"].as_str(), p["exit_code"].as_u64()), (Some(code), Some(3)), "{p}");
        assert_eq!(r.header("accept"), Some("application/json"));
        assert_eq!(r.header("accept-encoding"), Some("identity"));
        p
    };
    let p = refused(None, "E0613");
    assert!(p["detail"].as_str().unwrap().contains("no Content-Type"), "{p}");
    refused(Some("application/x-www-form-urlencoded"), "E0613");
    refused(Some("text/plain"), "E0613");
    refused(Some("application/jsonx"), "E0613");
    // A second header line after the Content-Type (the helper writes the value as given).
    let p = refused(Some("application/json\r\nContent-Encoding: gzip"), "E0614");
    assert!(p["detail"].as_str().unwrap().contains("Content-Encoding: gzip"), "{p}");
    refused(Some("application/json\r\nContent-Encoding: identity, br"), "E0614");
    refused(Some("application/json\r\nContent-Type: application/json"), "E0613");
    let screen = r#"{"on":"2024-06-01","products":["nvidia-h20"],"destinations":["CN"]}"#;
    let r = request(addr, "POST", "/v1/screen", Some("text/plain"), screen.as_bytes()).unwrap();
    assert_eq!(assert_problem(&r, 415, "unsupported-media-type")["code"], "E0613");
    assert_eq!(get(addr, "/healthz").json()["records_written"], 0);

    // JSON with parameters, in any case, and the identity coding are read.
    for ct in ["application/json; charset=utf-8", "Application/JSON", "application/json\r\nContent-Encoding: identity"]
    {
        let r = request(addr, "POST", "/v1/determinations", Some(ct), body.as_bytes()).unwrap();
        assert_eq!(r.status, 201, "{ct}: {}", r.text());
    }
    assert_eq!(request(addr, "POST", "/v1/screen", Some("application/json"), screen.as_bytes()).unwrap().status, 200);
    assert_eq!(get(addr, "/healthz").json()["records_written"], 3);
}

#[test]
fn unknown_list_entries_and_future_attestations_are_refused() {
    let (addr, _) = sqlite_server("parties");
    let body = r#"{"product":"nvidia-h20","destination":"CN","date":"2024-06-01",
"party":[{"role":"end_user","name":"Acme","country":"CN","headquarters":"CN","list_entries":["EL:huawei-technologiez"]}]}"#;
    let p = assert_problem(&post_json(addr, "/v1/determinations", body), 422, "input-error");
    assert_eq!(p["code"], "E0508", "{p}");
    assert_eq!(p["diagnostics"][0]["line"], 2, "{p}");
    assert_eq!(p["diagnostics"][0]["help"], "did you mean `EL:huawei-technologies`?", "{p}");

    let body = r#"{"product":"nvidia-h20","destination":"CN","date":"2024-06-01",
"party":[{"role":"end_user","name":"Acme","country":"CN","headquarters":"CN",
"screened":[{"list":"entity_list","list_date":"2999-01-01"}]}]}"#;
    let p = assert_problem(&post_json(addr, "/v1/determinations", body), 422, "input-error");
    assert_eq!(p["code"], "E0511", "{p}");
    assert_eq!(p["diagnostics"][0]["line"], 3, "{p}");
}

/// A client that sends its headers and then only part of its body within the request time
/// limit gets 408 Request Timeout (RFC 9110 §15.5.9: the server did not receive a complete
/// request in the time it was prepared to wait), the client's fault, not a 5xx.
#[test]
fn a_body_sent_too_slowly_gets_a_408_problem() {
    use std::io::{Read, Write};
    let db = temp_dir("slowbody").join("records.db");
    let limits = Limits { request_time: Duration::from_millis(300), ..Limits::default() };
    let addr = start_server(
        format!("sqlite:{}", db.display()),
        PackSource { rules: None, catalog: None, allow_superseded: false },
        limits,
    );
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let head = format!(
        "POST /v1/determinations HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{{"
    );
    s.write_all(head.as_bytes()).unwrap();
    let mut answer = Vec::new();
    let _ = s.read_to_end(&mut answer);
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 408 "), "{answer}");
    assert!(answer.contains("urn:export-controls:problem:request-timeout"), "{answer}");
}

#[test]
fn slow_requests_get_a_503_problem() {
    let db = temp_dir("slow").join("records.db");
    let limits = Limits { request_time: Duration::ZERO, ..Limits::default() };
    let addr = start_server(
        format!("sqlite:{}", db.display()),
        PackSource { rules: None, catalog: None, allow_superseded: false },
        limits,
    );
    let r = post_json(addr, "/v1/determinations", &tx("nvidia-h20", "CN", "2024-06-01"));
    assert_problem(&r, 503, "timeout");
}

#[test]
fn a_client_that_sends_headers_too_slowly_is_disconnected() {
    use std::io::{Read, Write};
    let db = temp_dir("slowloris").join("records.db");
    let limits = Limits { header_time: Duration::from_secs(1), ..Limits::default() };
    let addr = start_server(
        format!("sqlite:{}", db.display()),
        PackSource { rules: None, catalog: None, allow_superseded: false },
        limits,
    );
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    // The client waits far longer than the server's 1 s (a hang guard, not a timing
    // assertion): the read ends because the server closed the connection, not the client.
    s.set_read_timeout(Some(Duration::from_secs(300))).unwrap();
    s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n").unwrap();
    let mut buf = Vec::new();
    let read = s.read_to_end(&mut buf);
    assert!(read.is_ok(), "the server kept the connection: {read:?}");
    assert!(!String::from_utf8_lossy(&buf).contains("200 OK"));
    // A normal client on the same server is answered.
    assert_eq!(get(addr, "/healthz").status, 200);
}

#[test]
fn screening_on_the_fast_path() {
    let (addr, _) = sqlite_server("screen");
    for (on, verdict) in [("2024-06-01", "no_license_required"), ("2025-04-20", "license_required")] {
        let body = format!(
            r#"{{"date":"{on}","products":["nvidia-h20","nvidia-h100-sxm5-80gb"],"destinations":["CN","MY"]}}"#
        );
        let r = post_json(addr, "/v1/screen", &body);
        assert_eq!(r.status, 200, "{}", r.text());
        let v = r.json();
        let rows = v["rows"].as_array().unwrap();
        assert_eq!(rows.len(), 4);
        assert_eq!(rows[0]["product"], "nvidia-h20");
        assert_eq!(rows[0]["destination"], "CN");
        assert_eq!(rows[0]["verdict"], verdict);
        assert_eq!(rows[2]["product"], "nvidia-h100-sxm5-80gb");
        assert_eq!(rows[2]["verdict"], "license_required");
        assert_eq!(rows[2]["paragraphs"], serde_json::json!(["3A090.a.1", "3A090.a.2"]));
        assert!(v["note"].as_str().unwrap().contains("no parties"));
    }
    // The whole catalog against every destination in one request.
    let r = post_json(addr, "/v1/screen", r#"{"date":"2025-04-20"}"#);
    assert_eq!(r.status, 200);
    let n = r.json()["rows"].as_array().unwrap().len();
    // Every destination: all ISO countries but the United States with Puerto Rico and the
    // territories (15 CFR 772.1).
    assert_eq!(n, Catalog::shipped().unwrap().len() * (export_controls::Country::all().len() - 7));
}

#[test]
fn catalog_rules_health_and_records_export() {
    let (addr, _) = sqlite_server("catalog");
    let products = get(addr, "/v1/products").json();
    let h20 = products.as_array().unwrap().iter().find(|p| p["id"] == "nvidia-h20").unwrap().clone();
    assert_eq!(h20["tpp"], "2368");
    assert_eq!(h20["applicable_die_area"], "814");
    assert_eq!(h20["performance_density"], "2.9091");
    let one = get(addr, "/v1/products/nvidia-h20").json();
    assert_eq!(one["summary"], h20);
    assert_eq!(one["tpp_terms"][0]["bits"], 8);
    assert_eq!(one["tpp_terms"][0]["tops"], "296");

    let rules = get(addr, "/v1/rules").json();
    let shipped = RuleSet::shipped().unwrap();
    assert_eq!(rules["name"], "us-ear");
    assert_eq!(rules["sha256"], shipped.pack().sha256);
    assert_eq!(rules["version"], shipped.pack().version);
    assert_eq!(rules["verified"], true);
    // The shipped pack is the current one: not superseded (tester12 T11).
    assert_eq!(rules["superseded"], serde_json::Value::Null);
    assert_eq!(rules["coverage"]["from"], "2022-01-01");
    assert_eq!(rules["coverage"]["cut_off"], "2026-09-24");

    assert_eq!(get(addr, "/healthz").json()["status"], "ok");
    let ready = get(addr, "/readyz");
    assert_eq!(ready.status, 200);
    assert_eq!(ready.json()["sha256"], shipped.pack().sha256);

    for on in ["2024-06-01", "2025-04-20", "2025-06-01"] {
        assert_eq!(post_json(addr, "/v1/determinations", &tx("nvidia-h20", "CN", on)).status, 201);
    }
    let r = get(addr, "/v1/determinations?since=2020-01-01");
    assert_eq!(r.header("content-type"), Some("application/x-ndjson"));
    let lines: Vec<serde_json::Value> = r.text().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[1]["as_of"], "2025-04-20");
    assert_eq!(lines[1]["determination"]["verdict"], "license_required");
    assert!(lines[0]["id"].as_i64() < lines[1]["id"].as_i64());
    // Paging: one per page, with a link to the next.
    let r = get(addr, "/v1/determinations?limit=1");
    assert_eq!(r.text().lines().count(), 1);
    let next = r.header("link").unwrap();
    assert!(next.starts_with("</v1/determinations?after="), "{next}");
    // Nothing recorded after tomorrow.
    let r = get(addr, "/v1/determinations?since=2999-01-01");
    assert_eq!(r.text(), "");
    let h = get(addr, "/healthz").json();
    assert_eq!(h["records_written"], 3);
}

#[test]
fn openapi_document_describes_the_api_and_the_determination() {
    let (addr, _) = sqlite_server("openapi");
    let doc = get(addr, "/openapi.json").json();
    assert_eq!(doc["openapi"], "3.1.0");
    for path in [
        "/v1/determinations",
        "/v1/determinations/{id}",
        "/v1/determinations/{id}/replay",
        "/v1/screen",
        "/v1/products",
        "/v1/products/{id}",
        "/v1/rules",
        "/healthz",
        "/readyz",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} missing");
    }
    assert!(
        doc["paths"]["/v1/determinations"]["post"]["responses"]["422"]["content"]["application/problem+json"]
            .is_object()
    );
    // A body not sent as JSON (E0613, E0614): 415 on both JSON-taking endpoints; the pack says
    // whether it is superseded.
    for path in ["/v1/determinations", "/v1/screen"] {
        assert!(doc["paths"][path]["post"]["responses"]["415"]["content"]["application/problem+json"].is_object());
    }
    assert!(doc["components"]["schemas"]["RulesInfo"]["properties"]["superseded"].is_object());
    // The determination's schema is generated from the library's type: every key of a real
    // one is documented, every required key is in it, and nested objects have their own
    // schemas (findings, inputs, parties), not `{}`.
    let schemas = &doc["components"]["schemas"];
    let resolve = |s: &serde_json::Value| -> serde_json::Value {
        let mut s = s.clone();
        while let Some(r) = s["$ref"].as_str() {
            s = schemas[r.rsplit('/').next().unwrap()].clone();
        }
        s
    };
    let det = &schemas["Determination"];
    let props = det["properties"].as_object().unwrap();
    for on in ["2024-06-01", "2025-04-20"] {
        let d = post_json(addr, "/v1/determinations", &tx("nvidia-h20", "CN", on)).json();
        for k in d.as_object().unwrap().keys() {
            assert!(props.contains_key(k), "`{k}` is not documented");
        }
        for k in det["required"].as_array().unwrap() {
            assert!(d.get(k.as_str().unwrap()).is_some(), "required `{k}` missing on {on}");
        }
    }
    for key in ["requirements", "exceptions", "trace"] {
        let items = resolve(&props[key]["items"]);
        assert!(items["properties"].as_object().is_some_and(|p| !p.is_empty()), "{key}: {items}");
    }
    let requirement = resolve(&props["requirements"]["items"]);
    assert!(requirement["properties"]["review_policy"].to_string().contains("ReviewPolicy"), "{requirement}");
    let inputs = resolve(&props["inputs"]);
    let party = resolve(&inputs["properties"]["parties"]["items"]);
    for k in ["role", "name", "country", "headquarters", "parent_headquarters", "owner", "end_uses", "screened"] {
        assert!(party["properties"].get(k).is_some(), "Party lacks {k}");
    }
    let role = resolve(&party["properties"]["role"]);
    assert!(role.to_string().contains("beneficiary"), "{role}");
    // The request body: the transaction file's schema, parties included.
    let body = &doc["paths"]["/v1/determinations"]["post"]["requestBody"]["content"]["application/json"]["schema"];
    let transaction = resolve(body);
    assert!(transaction["properties"].get("product_sheet").is_some());
    let tx_party = resolve(&transaction["properties"]["party"]["items"]);
    assert!(tx_party["properties"].get("headquarters").is_some(), "{tx_party}");
    // The record's determination is the same schema.
    assert_eq!(schemas["RecordJson"]["properties"]["determination"]["$ref"], "#/components/schemas/Determination");
    let problem = doc["components"]["schemas"]["Problem"]["properties"].as_object().unwrap();
    for k in ["type", "title", "status", "detail", "exit_code", "code", "diagnostics"] {
        assert!(problem.contains_key(k), "Problem lacks {k}");
    }
}

#[test]
fn the_page_determines_and_plots() {
    let (addr, _) = sqlite_server("page");
    let r = get(addr, "/");
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("text/html; charset=utf-8"));
    let html = r.text();
    assert!(html.contains("<form method=\"post\" action=\"/\""));
    assert!(html.contains("<label for=\"product\">"));
    // Nothing is loaded from elsewhere (the only URL is the SVG namespace name).
    assert!(!html.contains("<script") && !html.contains("<link") && !html.contains("src="));
    assert_eq!(html.matches("http").count(), html.matches("xmlns=\"http://www.w3.org/2000/svg\"").count());

    for (on, verdict) in [("2024-06-01", "no_license_required"), ("2025-04-20", "license_required")] {
        let form = format!("product=nvidia-h20&sheet=&to=CN&date={on}&parties=");
        let r = request(addr, "POST", "/", Some("application/x-www-form-urlencoded"), form.as_bytes()).unwrap();
        assert_eq!(r.status, 200);
        let html = r.text();
        assert!(html.contains(&format!("data-verdict=\"{verdict}\"")), "{verdict} not in page");
        assert!(html.contains("<g data-id=\"nvidia-h20\" data-tpp=\"2368\" id=\"highlight\">"), "no highlighted point");
        assert!(
            html.contains("<dd id=\"tpp\">2368 = processor: 296 TOPS (fp8) × 8 bits = 2368</dd>"),
            "no TPP derivation"
        );
        assert!(html.contains("<dd id=\"density\">2.9091 = 2368 / 814</dd>"), "no density derivation");
        assert!(html.contains("id=\"strip\""));
        assert!(html.contains("id=\"record\""));
    }
    // A party line in the CLI's syntax.
    let form = "product=nvidia-h100-sxm5-80gb&to=MY&date=2025-06-01&parties=role%3Dend_user%2Cname%3DExample+Cloud%2Ccountry%3DMY%2Chq%3DMY%2Cparent_hq%3DCN";
    let r = request(addr, "POST", "/", Some("application/x-www-form-urlencoded"), form.as_bytes()).unwrap();
    assert!(r.text().contains("data-verdict=\"license_required\""));
    // The page reads parties with the CLI's parser (Party::from_kv): every key of `--party`,
    // such as an attestation of screening against the full list, which clears a party that the
    // shipped sample list (five entries) alone leaves open.
    let party = "role=end_user,name=Sophgo Technologies Ltd.,country=CN";
    for (extra, verdict) in [("", "indeterminate"), (",screened=entity_list@2025-02-01", "no_license_required")] {
        let form = format!(
            "product=nvidia-rtx-4080&to=CN&date=2025-02-01&fab=no&parties={}",
            urlencode(&format!("{party}{extra}"))
        );
        let r = request(addr, "POST", "/", Some("application/x-www-form-urlencoded"), form.as_bytes()).unwrap();
        assert_eq!(r.status, 200, "{}", r.text());
        assert!(r.text().contains(&format!("data-verdict=\"{verdict}\"")), "{extra}: not {verdict}");
    }
    // And with its messages: a bad country code names the key, as `--party` does.
    let form = format!("product=nvidia-h20&to=CN&date=2024-06-01&parties={}", urlencode("role=end_user,hq=XX"));
    let r = request(addr, "POST", "/", Some("application/x-www-form-urlencoded"), form.as_bytes()).unwrap();
    assert_eq!(r.status, 422);
    let cli = export_controls::model::Party::from_kv("role=end_user,hq=XX").unwrap_err().to_string();
    assert!(r.text().contains(&export_controls_service::report::esc(&cli)), "{cli} not in {}", r.text());
    // A pasted product sheet instead of a catalog product.
    let sheet = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../rules/products/nvidia-h20.toml"))
        .unwrap()
        .replace("id = \"nvidia-h20\"", "id = \"pasted-h20\"");
    let form = format!("product=&to=CN&date=2024-06-01&sheet={}", urlencode(&sheet));
    let r = request(addr, "POST", "/", Some("application/x-www-form-urlencoded"), form.as_bytes()).unwrap();
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(r.text().contains("data-verdict=\"no_license_required\""));
    assert!(r.text().contains("<g data-id=\"pasted-h20\" data-tpp=\"2368\" id=\"highlight\">"));
    // Errors are shown on the page, with the form kept.
    let r = request(
        addr,
        "POST",
        "/",
        Some("application/x-www-form-urlencoded"),
        b"product=nvidia-h2O&to=CN&date=2024-06-01",
    )
    .unwrap();
    assert_eq!(r.status, 422);
    assert!(r.text().contains("did you mean `nvidia-h20`"));
    let r = request(
        addr,
        "POST",
        "/",
        Some("application/x-www-form-urlencoded"),
        b"product=nvidia-h20&to=CN&date=2024-06-01&parties=role%3Dboss",
    )
    .unwrap();
    assert_eq!(r.status, 422);
    assert!(r.text().contains("unknown role `boss`"));

    let svg = get(addr, "/bands.svg?on=2024-06-01&highlight=nvidia-h20");
    assert_eq!(svg.header("content-type"), Some("image/svg+xml"));
    assert!(svg.text().starts_with("<svg"));
    assert_eq!(get(addr, "/bands.svg?highlight=nope").status, 422);
}

/// Tester finding N10: a row inserted beside a true record (the store's triggers refuse UPDATE
/// and DELETE, not INSERT), whose columns and request say DE and `no_license_required` while
/// its determination says CN and `license_required`, is not a record: replay names every
/// disagreement and is not identical, and GET and the listing carry them (E0605).
#[test]
fn a_row_whose_columns_contradict_its_determination_does_not_replay_identical() {
    let (addr, db) = sqlite_server("forged-row");
    let r = post_json(addr, "/v1/determinations", &tx("nvidia-h20", "CN", "2025-04-20"));
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(r.json()["verdict"], "license_required");
    let id: i64 = r.header("record-id").unwrap().parse().unwrap();
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.busy_timeout(Duration::from_secs(10)).unwrap();
    let copy = |columns: &str| {
        conn.execute(
            &format!(
                "INSERT INTO determinations (recorded_at, as_of, product, destination, verdict, pack_name, pack_version, \
                 pack_sha256, request, determination, determination_encoding, engine) SELECT {columns}, pack_name, \
                 pack_version, pack_sha256, replace(request, '\"CN\"', '\"DE\"'), determination, determination_encoding, engine \
                 FROM determinations WHERE id = ?1"
            ),
            [id],
        )
        .unwrap();
        conn.last_insert_rowid()
    };
    let forged = copy("recorded_at, as_of, product, 'DE', 'no_license_required'");
    let malformed = copy("'yesterday', '2025-02-30', product, destination, verdict");

    let ok = request(addr, "POST", &format!("/v1/determinations/{id}/replay"), None, b"").unwrap().json();
    assert_eq!(ok["identical"], true, "{ok}");
    assert!(ok.get("disagreements").is_none(), "{ok}");

    let rp = request(addr, "POST", &format!("/v1/determinations/{forged}/replay"), None, b"").unwrap();
    assert_eq!(rp.status, 200, "{}", rp.text());
    let v = rp.json();
    assert_eq!(v["identical"], false, "{v}");
    assert!(v.get("difference").is_none(), "the determination itself replays: {v}");
    let columns: Vec<&str> =
        v["disagreements"].as_array().unwrap().iter().map(|d| d["column"].as_str().unwrap()).collect();
    assert_eq!(columns, ["destination", "verdict", "request.destination"], "{v}");
    assert_eq!(
        v["disagreements"][1]["message"],
        "the column says `no_license_required`, the determination's verdict is `license_required`"
    );
    let g = get(addr, &format!("/v1/determinations/{forged}")).json();
    assert_eq!(g["disagreements"], v["disagreements"], "{g}");
    assert!(get(addr, &format!("/v1/determinations/{id}")).json().get("disagreements").is_none());

    let v = request(addr, "POST", &format!("/v1/determinations/{malformed}/replay"), None, b"").unwrap().json();
    assert_eq!(v["identical"], false, "{v}");
    let columns: Vec<&str> =
        v["disagreements"].as_array().unwrap().iter().map(|d| d["column"].as_str().unwrap()).collect();
    assert_eq!(columns, ["recorded_at", "as_of", "as_of", "request.destination"], "{v}");

    // The listing flags the two rows and only them.
    let listing = get(addr, "/v1/determinations").text();
    let flagged: Vec<i64> = listing
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|r| r.get("disagreements").is_some())
        .map(|r| r["id"].as_i64().unwrap())
        .collect();
    assert_eq!(flagged, [forged, malformed]);
}

/// Tester finding N9 through the service: the same end user listed twice is a 422 problem with
/// E0514, and 2,500 copies (the tester's 252,579-byte body) E0515, neither recorded.
#[test]
fn repeated_parties_are_refused_and_not_recorded() {
    let (addr, _) = sqlite_server("repeated-parties");
    let party = serde_json::json!({ "role": "end_user", "name": "A".repeat(50), "country": "CN" });
    let body = |n: usize| {
        serde_json::json!({ "product": "nvidia-h20", "destination": "CN", "date": "2024-06-01", "party": vec![party.clone(); n] })
            .to_string()
    };
    for (n, code) in [(2, "E0514"), (2500, "E0515")] {
        let r = post_json(addr, "/v1/determinations", &body(n));
        assert_eq!(r.status, 422, "{n}: {}", r.text());
        assert_eq!(r.json()["code"], code, "{}", r.text());
    }
    assert_eq!(post_json(addr, "/v1/determinations", &body(1)).status, 201);
    assert_eq!(get(addr, "/v1/determinations").text().lines().count(), 1, "only the valid request is recorded");
}

/// The row check names nothing in true records: a sheet that contains catalog products, parties
/// with owners and a screening attestation, the exporter's facts and a Ukrainian region all
/// replay identical with no disagreement (a false flag would make every export fail).
#[test]
fn true_records_of_every_shape_replay_with_no_disagreement() {
    let (addr, _) = sqlite_server("true-rows");
    let sheet =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../rules/products/nvidia-dgx-a100.toml"))
            .unwrap()
            .replace("id = \"nvidia-dgx-a100\"", "id = \"my-dgx\"");
    let bodies = [
        serde_json::json!({ "destination": "AE", "date": "2024-06-01", "product_sheet": sheet,
            "exporter": { "front_end_fabricator_or_osat": false },
            "party": [{ "role": "end_user", "name": "Example Cloud", "country": "AE", "owners_known": true,
                "owner": [{ "name": "Example Holding", "percent": 30 }, { "name": "Other Holding", "percent": "12.5" }],
                "screened": [{ "list": "entity_list", "list_date": "2024-05-01", "by": "screening service" }] },
                { "role": "purchaser", "name": "Example Cloud", "country": "AE" }] })
        .to_string(),
        serde_json::json!({ "product": "apple-m3-max", "destination": "UA", "date": "2024-06-01",
            "destination_region": "crimea" })
        .to_string(),
    ];
    for body in bodies {
        let r = post_json(addr, "/v1/determinations", &body);
        assert_eq!(r.status, 201, "{}", r.text());
        let id = r.header("record-id").unwrap();
        let v = request(addr, "POST", &format!("/v1/determinations/{id}/replay"), None, b"").unwrap().json();
        assert_eq!(v["identical"], true, "{v}");
        assert!(v.get("disagreements").is_none(), "{v}");
    }
}

/// The picture leaves no integrated circuit of the catalog out silently: each is a chip on the
/// plane or is named in the note below it, with the reason (a sheet with no die area has no
/// performance density, 3A090 Technical Note: TPP / applicable die area).
#[test]
fn every_ic_of_the_catalog_is_drawn_or_named_as_not_drawn() {
    let (addr, _) = sqlite_server("notdrawn");
    let r = get(addr, "/bands.svg?on=2024-06-01");
    assert_eq!(r.status, 200);
    let svg = r.text();
    let at = svg.find("id=\"not-drawn\"").expect("a not-drawn note");
    let start = svg[..at].rfind("<g ").unwrap();
    let note = &svg[start..];
    let tag = &note[..note.find('>').unwrap()];
    let ids = tag.split("data-ids=\"").nth(1).and_then(|s| s.split('"').next()).unwrap();
    let not_drawn: Vec<&str> = ids.split(' ').collect();
    let catalog = Catalog::shipped().unwrap();
    let ics: Vec<_> =
        catalog.iter().filter(|p| p.product().kind == export_controls::ProductKind::IntegratedCircuit).collect();
    for p in &ics {
        let id = &p.product().id;
        let drawn = svg.contains(&format!("data-id=\"{id}\""));
        let named = not_drawn.contains(&id.as_str());
        assert!(drawn != named, "{id}: drawn {drawn}, named as not drawn {named}");
        let unknown = p.metrics().tpp.is_none() || p.metrics().performance_density.is_none();
        assert_eq!(named, unknown, "{id}");
    }
    assert!(not_drawn.contains(&"google-tpu-v5p"), "{ids}");
    assert!(note.contains("Not drawn, "), "{note}");
}

/// Tester round 5, R7: two listed owners holding exactly 50 % together (the Affiliates rule,
/// 90 FR 47201: "50 percent or more ... in the aggregate"). Their shares as JSON numbers of 22
/// significant digits would be read through a binary float as 49.99...: refused (422, E0521),
/// with or without a product sheet (whose body is re-serialised); as strings, read exactly and
/// licence required.
#[test]
fn owner_shares_a_binary_float_does_not_hold_are_refused() {
    let (addr, _) = sqlite_server("json-digits");
    let read = |f: &str| {
        std::fs::read_to_string(format!("{}/../../tests/bad-inputs/{f}", env!("CARGO_MANIFEST_DIR"))).unwrap()
    };
    let digits = read("tx-owner-shares-json-digits.json");
    let p = assert_problem(&post_json(addr, "/v1/determinations", &digits), 422, "input-error");
    assert_eq!(p["code"], "E0521", "{p}");
    let sheet = std::fs::read_to_string(format!(
        "{}/../../rules/products/nvidia-h100-sxm5-80gb.toml",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
    .replace("id = \"nvidia-h100-sxm5-80gb\"", "id = \"my-h100\"");
    let mut with_sheet: serde_json::Value = serde_json::from_str(&read("tx-owner-shares-json-strings.json")).unwrap();
    with_sheet.as_object_mut().unwrap().remove("product");
    with_sheet["product_sheet"] = serde_json::Value::String(sheet);
    let body = with_sheet.to_string().replace("\"38.00564285706793587091\"", "38.00564285706793587091");
    assert!(body.contains(":38.00564285706793587091,"));
    let p = assert_problem(&post_json(addr, "/v1/determinations", &body), 422, "input-error");
    assert_eq!(p["code"], "E0521", "{p}");
    let r = post_json(addr, "/v1/determinations", &read("tx-owner-shares-json-strings.json"));
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(r.json()["verdict"], "license_required");
}

/// The body of a slow determination: 100 parties (the most a transaction may name), each with
/// a name of 1,000 characters (the longest allowed, E0517), every one screened against every
/// list key (tester round 5, R8, at the limits now in force).
fn slowest_allowed_body() -> String {
    let parties: Vec<serde_json::Value> = (0..100)
        .map(|i| {
            let name = format!("{i:03} {}", "HuaweiX ".repeat(125))[..1000].to_string();
            serde_json::json!({"role": if i == 0 { "end_user" } else { "purchaser" }, "name": name, "country": "MY",
                "headquarters": "MY", "parent_headquarters": "MY", "owners_known": true})
        })
        .collect();
    serde_json::json!({"product": "nvidia-h100-sxm5-80gb", "destination": "MY", "date": "2025-06-01",
        "exporter": {"front_end_fabricator_or_osat": false}, "party": parties})
    .to_string()
}

/// Tester round 5, R8: the evaluation runs off the async workers. With one worker and no
/// queue, while a slow determination is being evaluated: `/healthz` and `/readyz` are answered
/// (and `/healthz` says one request is at work), the request time limit answers the slow
/// request 503 `timeout` while its evaluation is still running, and a further determination
/// is refused at once with 503 `busy` and `Retry-After: 1`. Asserted on the order of events
/// (what the server says is running when each answer comes), not on wall times.
#[test]
fn a_slow_evaluation_leaves_health_the_deadline_and_a_full_queue_answered() {
    let db = temp_dir("r8").join("records.db");
    let limits = Limits { request_time: Duration::from_millis(300), workers: 1, queue: 0, ..Limits::default() };
    let addr = start_server(
        format!("sqlite:{}", db.display()),
        PackSource { rules: None, catalog: None, allow_superseded: false },
        limits,
    );
    let working = |addr| get(addr, "/healthz").json()["working"].as_u64().unwrap();
    assert_eq!(working(addr), 0);
    let body = slowest_allowed_body();
    let slow = std::thread::spawn(move || {
        let r = post_json(addr, "/v1/determinations", &body);
        // What the server says is at work when the slow request has its answer.
        (r, working(addr))
    });
    // The slow request is in the pool: /healthz answers while it runs.
    let mut seen = false;
    while !slow.is_finished() {
        if working(addr) == 1 {
            seen = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    assert!(seen, "the slow request was never seen at work: {:?}", slow.join().map(|(r, w)| (r.text(), w)));
    assert_eq!(get(addr, "/readyz").status, 200);
    // The one worker is taken and no request may wait: refused at once, nothing recorded.
    let busy = post_json(addr, "/v1/determinations", &tx("nvidia-h20", "CN", "2024-06-01"));
    let p = assert_problem(&busy, 503, "busy");
    assert_eq!(busy.header("retry-after"), Some("1"), "{p}");
    // The deadline answered the slow request while its evaluation still ran.
    let (r, at_work) = slow.join().unwrap();
    assert_problem(&r, 503, "timeout");
    assert_eq!(at_work, 1, "the 503 came only after the evaluation ended");
    // Once the evaluation ends, the worker is free again; the abandoned result is not recorded.
    while working(addr) == 1 {
        std::thread::sleep(Duration::from_millis(10));
    }
    let ok = post_json(addr, "/v1/determinations", &tx("nvidia-h20", "CN", "2024-06-01"));
    assert_eq!(ok.status, 201, "{}", ok.text());
    assert_eq!(ok.header("record-id"), Some("1"));
}

/// A party name over 1,000 characters is refused in a request body as in a file (E0517, 422,
/// at the name's line), before any screening, and not recorded.
#[test]
fn a_name_over_a_thousand_characters_is_refused_with_its_place() {
    let (addr, _db) = sqlite_server("longname");
    let name = "x".repeat(1001);
    let body = format!(
        "{{\"product\": \"nvidia-h20\", \"destination\": \"MY\", \"date\": \"2025-06-01\",\n\"party\": [{{\"role\": \"end_user\", \"name\": \"{name}\", \"country\": \"MY\"}}]}}"
    );
    let p = assert_problem(&post_json(addr, "/v1/determinations", &body), 422, "input-error");
    assert_eq!(p["code"], "E0517", "{p}");
    assert_eq!(
        (p["diagnostics"][0]["line"].as_u64(), p["diagnostics"][0]["column"].as_u64()),
        (Some(2), Some(40)),
        "{p}"
    );
    assert_eq!(get(addr, "/healthz").json()["records_written"], 0);
}

/// Tester round 10, O1 and V5: the OpenAPI document gives the transaction's `exported_from` as
/// a string or `null`, and the service reads `null` as leaving it out: not stated, never the
/// United States. An RTX 4090 (3A090.a) to China on 2024-06-01 needs a licence that License
/// Exception NAC overcomes for an export or reexport, and ACA for an in-country transfer
/// (15 CFR 740.8 as amended by 89 FR 23876; 15 CFR 734.14): not stated where it ships from, the
/// determination is indeterminate, missing `exported_from`; from the US, NAC. The page states it
/// with its `from` field.
#[test]
fn exported_from_null_is_not_stated_in_the_api_and_on_the_page() {
    let (addr, _) = sqlite_server("origin");
    let doc = get(addr, "/openapi.json").json();
    let body = &doc["paths"]["/v1/determinations"]["post"]["requestBody"]["content"]["application/json"]["schema"];
    let name = body["$ref"].as_str().map_or("Transaction", |r| r.rsplit('/').next().unwrap());
    let origin = &doc["components"]["schemas"][name]["properties"]["exported_from"];
    assert!(origin["type"].as_array().is_some_and(|t| t.contains(&"null".into())), "{origin}");

    let body = |from: &str| {
        format!(r#"{{"product":"nvidia-h20","destination":"CN","date":"2024-06-01","exported_from":{from}}}"#)
    };
    let r = post_json(addr, "/v1/determinations", &body("null"));
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(r.json()["exported_from"], serde_json::Value::Null);
    assert_eq!(r.json()["verdict"], "no_license_required");
    // Byte for byte the determination of the body without the key.
    assert_eq!(r.text(), expected_json("nvidia-h20", "CN", "2024-06-01"));
    let id: i64 = r.header("record-id").unwrap().parse().unwrap();
    let rp = request(addr, "POST", &format!("/v1/determinations/{id}/replay"), None, b"").unwrap();
    assert_eq!(rp.status, 200, "{}", rp.text());
    assert_eq!(rp.json()["identical"], true, "{}", rp.text());
    let r = post_json(addr, "/v1/determinations", &body("\"US\""));
    assert_eq!(r.json()["exported_from"]["code"], "US");

    let rtx = |from: &str| {
        format!(r#"{{"product":"nvidia-rtx-4090","destination":"CN","date":"2024-06-01","exported_from":{from}}}"#)
    };
    let unstated = post_json(addr, "/v1/determinations", &rtx("null")).json();
    assert_eq!(unstated["verdict"], "indeterminate");
    assert!(unstated["missing"][0].as_str().unwrap().starts_with("exported_from"), "{}", unstated["missing"]);
    let from_us = post_json(addr, "/v1/determinations", &rtx("\"US\"")).json();
    assert_eq!(from_us["verdict"], "license_exception");
    assert_eq!(from_us["exceptions"][0]["name"], "NAC");

    let page = get(addr, "/").text();
    assert!(page.contains("<select id=\"from\" name=\"from\">"), "no origin field");
    assert!(page.contains("<option value=\"\" selected>not stated (unknown)</option>"));
    for (from, verdict) in [("", "indeterminate"), ("US", "license_exception"), ("CN", "license_exception")] {
        let form = format!("product=nvidia-rtx-4090&to=CN&from={from}&date=2024-06-01&parties=");
        let r = request(addr, "POST", "/", Some("application/x-www-form-urlencoded"), form.as_bytes()).unwrap();
        assert_eq!(r.status, 200, "{}", r.text());
        assert!(r.text().contains(&format!("data-verdict=\"{verdict}\"")), "from `{from}`: not {verdict}");
    }
}
