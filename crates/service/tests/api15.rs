//! Tester round 15's items on the API's vocabulary: the date of a query is `date` everywhere
//! (D1), as a transaction names it. Values from the shipped pack: an H20 (TPP 2,368, PD 2.91)
//! to China needs no licence on 2024-06-01 and one on 2025-04-20 (the 2025-04 letter; the rule
//! tests in rules/us-ear/tests say so).

mod common;

use common::*;

fn assert_problem(r: &Resp, status: u16, kind: &str) -> serde_json::Value {
    assert_eq!(r.status, status, "{}", r.text());
    assert_eq!(r.header("content-type"), Some("application/problem+json"), "{}", r.text());
    let p = r.json();
    assert_eq!(p["type"], format!("urn:export-controls:problem:{kind}"));
    p
}

#[test]
fn the_screen_takes_the_date_as_a_transaction_does_and_on_as_an_alias() {
    let (addr, _) = sqlite_server("screen-date");
    for (date, verdict) in [("2024-06-01", "no_license_required"), ("2025-04-20", "license_required")] {
        let by_date = post_json(
            addr,
            "/v1/screen",
            &format!(r#"{{"date":"{date}","products":["nvidia-h20"],"destinations":["CN"]}}"#),
        );
        assert_eq!(by_date.status, 200, "{}", by_date.text());
        let v = by_date.json();
        assert_eq!(v["as_of"], date);
        assert_eq!(v["rows"][0]["verdict"], verdict, "{v}");
        // The old name: the same answer, byte for byte.
        let by_on = post_json(
            addr,
            "/v1/screen",
            &format!(r#"{{"on":"{date}","products":["nvidia-h20"],"destinations":["CN"]}}"#),
        );
        assert_eq!(by_on.status, 200, "{}", by_on.text());
        assert_eq!(by_on.text(), by_date.text());
    }
    // Both names in one body cannot disagree: the body is refused, naming the field.
    let r = post_json(addr, "/v1/screen", r#"{"date":"2024-06-01","on":"2025-04-20","products":["nvidia-h20"]}"#);
    let p = assert_problem(&r, 422, "usage-error");
    assert!(p["detail"].as_str().unwrap().contains("duplicate field `date`"), "{p}");
    // A bad date is named by the field's name.
    let r = post_json(addr, "/v1/screen", r#"{"date":"2025-13-01","products":["nvidia-h20"]}"#);
    let p = assert_problem(&r, 422, "usage-error");
    assert!(p["detail"].as_str().unwrap().starts_with("date: "), "{p}");
    assert_eq!(p["code"], "E0501");
    // No date at all: `date` is the missing field.
    let r = post_json(addr, "/v1/screen", r#"{"products":["nvidia-h20"]}"#);
    let p = assert_problem(&r, 422, "usage-error");
    assert!(p["detail"].as_str().unwrap().contains("missing field `date`"), "{p}");
}

#[test]
fn the_openapi_document_names_the_screen_date_date() {
    let doc: serde_json::Value = serde_json::from_str(&export_controls_service::api::openapi_document()).unwrap();
    let req = &doc["components"]["schemas"]["ScreenRequest"];
    assert!(req["properties"]["date"].is_object(), "{req}");
    assert!(req["properties"].get("on").is_none(), "{req}");
    assert!(req["required"].as_array().unwrap().iter().any(|k| k == "date"), "{req}");
    // The transaction (POST /v1/determinations) names it the same.
    let tx = &doc["components"]["schemas"]["Transaction"];
    assert!(tx["properties"]["date"].is_object(), "{tx}");
}

#[test]
fn the_bands_chart_takes_the_date_as_date_and_on() {
    let (addr, _) = sqlite_server("bands-date");
    // 2021-06-01 is before the pack's coverage (2022-01-01): refused under either name. Before,
    // `?date=` was not read at all and the chart of today was drawn.
    for q in ["date=2021-06-01", "on=2021-06-01"] {
        let r = get(addr, &format!("/bands.svg?{q}"));
        let p = assert_problem(&r, 422, "usage-error");
        assert_eq!(p["exit_code"], 2, "{q}");
    }
    let by_date = get(addr, "/bands.svg?date=2024-06-01&highlight=nvidia-h20");
    assert_eq!(by_date.status, 200);
    assert_eq!(by_date.text(), get(addr, "/bands.svg?on=2024-06-01&highlight=nvidia-h20").text());
    assert_eq!(get(addr, "/bands.svg?date=2024-06-01&on=2024-06-01").status, 400);
}
