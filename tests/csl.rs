//! The Consolidated Screening List importer: the JSON and CSV fixtures (tests/fixtures/csl, one
//! set of entities in both shapes), the TOML it writes, and bad input.

use std::path::Path;

use export_controls::csl::{CslError, CslFormat, Import, MIN_COMPLETE_ENTRIES, detect_format, parse, to_toml};

fn fixture(name: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/csl").join(name);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn json_import() -> Import {
    parse(&fixture("consolidated.json"), CslFormat::Json).expect("the JSON fixture parses")
}

fn csv_import() -> Import {
    parse(&fixture("consolidated.csv"), CslFormat::Csv).expect("the CSV fixture parses")
}

const HUAWEI_ID: &str = "dc0e0a2e5c2188e92ae0b8b90689cfbb27182447a96ca98ca0392009";
const SMIC_ID: &str = "c8a9d8bb9130eab4985ad58332b47e0aa4345e62df3bfb52cfb09125";
const CAMBRICON_ID: &str = "4a3b7df8bdee158ee9e6a0c7b9408b91eb4f7e0f67b44bf904aa0b9d";
const BIREN_ID: &str = "3c4c68463a1d981172491f05dd2e76f245742a5202503f1f04f1b0f4";
const MOORE_ID: &str = "60a7f8a54d91bc13d847f6d9ef236d24114301f45dafdc931a2a27d7";

/// The `[[list_entry]]` tables of `to_toml` output, by id.
fn tables(toml_text: &str) -> Vec<toml::Table> {
    let doc: toml::Table = toml::from_str(toml_text).unwrap_or_else(|e| panic!("not TOML: {e}\n{toml_text}"));
    let Some(toml::Value::Array(entries)) = doc.get("list_entry") else { panic!("no [[list_entry]]:\n{toml_text}") };
    entries.iter().map(|v| v.as_table().expect("a table").clone()).collect()
}

fn by_id<'a>(tables: &'a [toml::Table], id: &str) -> &'a toml::Table {
    tables.iter().find(|t| t.get("id").and_then(|v| v.as_str()) == Some(id)).unwrap_or_else(|| panic!("no {id}"))
}

fn strs(v: Option<&toml::Value>) -> Vec<&str> {
    v.and_then(|v| v.as_array()).map(|a| a.iter().filter_map(|x| x.as_str()).collect()).unwrap_or_default()
}

#[test]
fn formats_are_detected() {
    assert_eq!(detect_format(&fixture("consolidated.json")), CslFormat::Json);
    assert_eq!(detect_format(&fixture("consolidated.csv")), CslFormat::Csv);
    assert_eq!(detect_format("\u{feff}  \n[ ]"), CslFormat::Json);
    assert_eq!(detect_format(""), CslFormat::Csv);
}

#[test]
fn json_fixture_keeps_the_six_entity_list_entries() {
    let import = json_import();
    // 8 records: 6 Entity List, 1 CMIC (SMIC), 1 SDN (Mikron).
    assert_eq!(import.entries.len(), 6);
    assert_eq!(import.skipped_other_sources, 2);
    assert!(import.rejected.is_empty(), "{:?}", import.rejected);

    let huawei = import.entries.iter().find(|e| e.id == HUAWEI_ID).expect("Huawei");
    assert_eq!(huawei.name, "Huawei Technologies Co., Ltd.");
    assert_eq!(huawei.aliases, ["Huawei", "Huawei Technologies", "Shenzhen Huawei Technologies Co., Ltd."]);
    assert_eq!(huawei.countries, ["CN", "HK"]);
    assert_eq!(huawei.federal_register_notice.as_deref(), Some("84 FR 22961"));
    assert_eq!(huawei.start_date.as_deref(), Some("2019-05-16"));
    assert_eq!(huawei.end_date, None);
    assert_eq!(huawei.license_policy.as_deref(), Some("Presumption of denial."));
    assert!(
        huawei
            .license_requirement
            .as_deref()
            .is_some_and(|r| r.starts_with("For all items subject to the EAR, see §§ 734.9(e)(1)"))
    );
}

#[test]
fn toml_carries_the_fixture_values() {
    let out = to_toml(&json_import(), "consolidated.json");
    let t = tables(&out);
    assert_eq!(t.len(), 6);

    let huawei = by_id(&t, &format!("EL:{HUAWEI_ID}"));
    assert_eq!(huawei["list"].as_str(), Some("entity_list"));
    assert_eq!(huawei["name"].as_str(), Some("Huawei Technologies Co., Ltd."));
    assert_eq!(
        strs(huawei.get("aliases")),
        ["Huawei", "Huawei Technologies", "Shenzhen Huawei Technologies Co., Ltd."]
    );
    assert_eq!(huawei["country"].as_str(), Some("CN"));
    assert_eq!(strs(huawei.get("countries")), ["CN", "HK"]);
    assert_eq!(huawei["source"].as_str(), Some("15 CFR 744 Supp. No. 4; 84 FR 22961"));
    assert_eq!(huawei["from"].to_string(), "2019-05-16");
    assert!(huawei.get("until").is_none());
    assert_eq!(huawei["review_policy"].as_str(), Some("presumption_of_denial"));
    assert!(huawei.get("footnote").is_none());
    assert!(huawei.get("note").is_none());
    assert!(huawei["license_requirement"].as_str().is_some_and(|r| r.contains("“standards organization”")));

    // One address country: `country` only.
    let biren = by_id(&t, &format!("EL:{BIREN_ID}"));
    assert_eq!(biren["country"].as_str(), Some("CN"));
    assert!(biren.get("countries").is_none());
    assert_eq!(strs(biren.get("aliases")), ["Biren Technology", "Shanghai Biren Technology Co., Ltd."]);
    assert_eq!(biren["source"].as_str(), Some("15 CFR 744 Supp. No. 4; 88 FR 71991"));
    assert_eq!(biren["from"].to_string(), "2023-10-17");
    // "...of the EAR.⁴" and "(footnote 4)" are both footnote 4 marks.
    assert_eq!(biren["footnote"].as_integer(), Some(4));
    assert_eq!(by_id(&t, &format!("EL:{MOORE_ID}"))["footnote"].as_integer(), Some(4));

    let cambricon = by_id(&t, &format!("EL:{CAMBRICON_ID}"));
    assert_eq!(cambricon["review_policy"].as_str(), Some("case_by_case"));
    assert!(cambricon.get("footnote").is_none());
    assert!(cambricon.get("note").is_none());

    // SMIC's policy names two policies: no mapping, the text goes to `note`.
    let smic = by_id(&t, &format!("EL:{SMIC_ID}"));
    assert!(smic.get("review_policy").is_none());
    assert_eq!(
        smic["note"].as_str(),
        Some(
            "license policy as published: Presumption of denial for items uniquely required to produce \
             semiconductors at advanced technology nodes (10 nanometers and below); case-by-case review for all \
             other items."
        )
    );
    assert_eq!(strs(smic.get("aliases")), ["SMIC"]);

    // Sugon's alt names end with "; and ...".
    let sugon = t.iter().find(|x| x["name"].as_str() == Some("Sugon")).expect("Sugon");
    assert_eq!(
        strs(sugon.get("aliases")),
        ["Dawning Information Industry Co., Ltd.", "Zhongke Shuguang", "Dawning Information Industry Corporation"]
    );

    // No other list's entries.
    assert!(!out.contains("MIKRON") && !out.contains("SEMICONDUCTOR MANUFACTURING INTERNATIONAL CORPORATION"));
}

#[test]
fn toml_has_the_header_sorted_ids_and_only_the_known_keys() {
    let out = to_toml(&json_import(), "consolidated.json");
    let mut lines = out.lines();
    assert_eq!(
        lines.next(),
        Some(
            "# Imported from the Consolidated Screening List (Entity List entries only) by export-controls import-csl."
        )
    );
    assert_eq!(lines.next(), Some("# Source file: consolidated.json; entries: 6."));

    let t = tables(&out);
    let ids: Vec<&str> = t.iter().filter_map(|x| x["id"].as_str()).collect();
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted);

    const REQUIRED: [&str; 5] = ["list", "id", "name", "source", "from"];
    const KNOWN: [&str; 13] = [
        "list",
        "id",
        "name",
        "aliases",
        "country",
        "countries",
        "source",
        "from",
        "until",
        "license_requirement",
        "review_policy",
        "footnote",
        "note",
    ];
    for x in &t {
        for k in REQUIRED {
            assert!(x.contains_key(k), "{k} missing in {x:?}");
        }
        for k in x.keys() {
            assert!(KNOWN.contains(&k.as_str()), "unexpected key {k}");
        }
        assert!(matches!(x["from"], toml::Value::Datetime(_)));
        assert!(x["id"].as_str().is_some_and(|id| id.starts_with("EL:")));
    }
    // Deterministic.
    assert_eq!(out, to_toml(&json_import(), "consolidated.json"));
}

#[test]
fn csv_fixture_gives_the_same_entries_and_toml() {
    let (json, csv) = (json_import(), csv_import());
    assert_eq!(csv.skipped_other_sources, 2);
    assert!(csv.rejected.is_empty(), "{:?}", csv.rejected);
    assert_eq!(csv.entries, json.entries);
    // A CSV does not give the list's date (`import-csl --as-of` does); the JSON's is 2025-02-28.
    assert_eq!(json.list_date.as_deref(), Some("2025-02-28"));
    assert_eq!(csv.list_date, None);
    // Neither is the complete list: six entries are an extract (and the CSV has no date).
    assert!(!json.is_complete() && !csv.is_complete());
    let csv = Import { list_date: json.list_date.clone(), ..csv };
    let (a, b) = (to_toml(&json, "consolidated"), to_toml(&csv, "consolidated"));
    let split = |s: &str| s.split("[[list_entry]]").map(str::to_string).collect::<Vec<_>>();
    let (ea, eb) = (split(&a), split(&b));
    assert_eq!(ea.len(), 7);
    for (x, y) in ea.iter().zip(&eb) {
        assert_eq!(x, y);
    }
    assert_eq!(a, b);
}

#[test]
fn bare_json_array_is_accepted() {
    let doc: serde_json::Value = serde_json::from_str(&fixture("consolidated.json")).unwrap();
    let bare = serde_json::to_string(&doc["results"]).unwrap();
    let import = parse(&bare, detect_format(&bare)).unwrap();
    // The same entries; a bare array does not give the list's date.
    assert_eq!(import, Import { list_date: None, ..json_import() });
}

#[test]
fn malformed_json_names_line_and_column() {
    let text = "{\n  \"results\": [\n    {\"name\": \"Sugon\",, \"source\": \"x\"}\n  ]\n}\n";
    match parse(text, CslFormat::Json) {
        Err(CslError::Json { line, column, message }) => {
            assert_eq!((line, column), (3, 22), "{message}");
            let shown = parse(text, CslFormat::Json).unwrap_err().to_string();
            assert!(shown.contains("line 3, column 22"), "{shown}");
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(parse("{\"total\": 0}", CslFormat::Json), Err(CslError::NotCsl(_))));
    assert!(matches!(parse("{\"results\": {}}", CslFormat::Json), Err(CslError::NotCsl(_))));
    assert!(matches!(parse("42", CslFormat::Json), Err(CslError::NotCsl(_))));
    assert!(matches!(parse("  \n", CslFormat::Json), Err(CslError::NotCsl(_))));
}

#[test]
fn csv_without_name_column_is_refused() {
    let text =
        "_id,source,entity_name,start_date\n1,Entity List (EL) - Bureau of Industry and Security,Sugon,2019-06-24\n";
    let err = parse(text, CslFormat::Csv).unwrap_err();
    assert!(matches!(&err, CslError::MissingColumn { column, .. } if column == "name"), "{err:?}");
    let msg = err.to_string();
    assert!(msg.contains("no `name` column") && msg.contains("entity_name"), "{msg}");
}

#[test]
fn csv_row_with_wrong_field_count_names_its_line() {
    let text = "_id,source,name,start_date\n\
                1,Entity List (EL) - Bureau of Industry and Security,Sugon,2019-06-24\n\
                2,Entity List (EL) - Bureau of Industry and Security,Cambricon\n";
    match parse(text, CslFormat::Csv) {
        Err(CslError::Csv { line, .. }) => assert_eq!(line, 3),
        other => panic!("{other:?}"),
    }
}

/// Issue 12 item 5: a record of the Entity List without a usable start date is still on the list:
/// it is imported, in force from the start, with a note; only records that cannot be read are
/// rejected, and an import with any is not declared complete.
#[test]
fn entries_without_a_usable_start_date_are_imported_as_listed() {
    let text = r#"[
      {"id": "a1", "source": "Entity List (EL) - Bureau of Industry and Security", "name": "Moore Threads", "start_date": null},
      {"id": "a2", "source": "Entity List (EL) - Bureau of Industry and Security", "name": "Biren Technology", "start_date": "10/17/2023"},
      {"id": "a3", "source": "Entity List (EL) - Bureau of Industry and Security", "name": "Cambricon", "start_date": "2022-02-30"},
      {"id": "a4", "source": "Entity List (EL) - Bureau of Industry and Security", "name": "Sugon", "start_date": "2019-06-24T00:00:00Z"},
      {"id": "a5", "name": "No Source Ltd.", "start_date": "2019-06-24"},
      {"id": "a4", "source": "Entity List (EL) - Bureau of Industry and Security", "name": "Sugon again", "start_date": "2019-06-24"}
    ]"#;
    let import = parse(text, CslFormat::Json).unwrap();
    let starts: Vec<(&str, Option<&str>, Option<&str>)> = import
        .entries
        .iter()
        .map(|e| (e.name.as_str(), e.start_date.as_deref(), e.start_date_as_published.as_deref()))
        .collect();
    assert_eq!(
        starts,
        [
            ("Moore Threads", None, None),
            ("Biren Technology", None, Some("10/17/2023")),
            ("Cambricon", None, Some("2022-02-30")),
            ("Sugon", Some("2019-06-24"), None)
        ]
    );
    assert_eq!(import.undated(), 3);
    assert_eq!(import.rejected.len(), 2, "{:#?}", import.rejected);
    assert!(import.rejected[0].contains("No Source Ltd.") && import.rejected[0].contains("source"));
    assert!(import.rejected[1].contains("duplicate id"));
    assert!(!import.is_complete());
    let out = to_toml(&import, "inline");
    assert!(out.contains("entries: 4."), "{out}");
    assert!(
        out.contains("# Not declared complete: 2 record(s) could not be read; 4 Entity List entries, fewer than 500: a search result or an extract, not the whole list; the file does not give the list's date"),
        "{out}"
    );
    assert!(out.contains("complete = false"), "{out}");
    let t = tables(&out);
    let moore = t.iter().find(|x| x["name"].as_str() == Some("Moore Threads")).unwrap();
    assert!(moore.get("from").is_none());
    assert_eq!(moore["note"].as_str(), Some("no start_date published: taken as listed from the start"));
    let biren = t.iter().find(|x| x["name"].as_str() == Some("Biren Technology")).unwrap();
    assert_eq!(
        biren["note"].as_str(),
        Some("start_date as published: 10/17/2023 (not a date): taken as listed from the start")
    );

    // The same in CSV.
    let csv = "_id,source,name,start_date\n\
               b1,Entity List (EL) - Bureau of Industry and Security,Moore Threads,\n";
    let import = parse(csv, CslFormat::Csv).unwrap();
    assert_eq!(import.entries.len(), 1);
    assert!(import.rejected.is_empty());
}

/// A page of an API search is not the whole list, and an import that holds no entry or no date
/// is not declared complete.
#[test]
fn only_a_whole_dated_file_is_declared_complete() {
    let rec = r#"{"id": "x1", "source": "Entity List (EL) - Bureau of Industry and Security", "name": "Sugon", "start_date": "2019-06-24"}"#;
    let sources = r#""sources_used": [{"source": "Entity List (EL) - Bureau of Industry and Security", "source_last_updated": "2025-02-28T15:31:07+00:00"}]"#;
    // A whole, dated file of the size of the list, with entries in many countries from many
    // notices, added over several years, holding Huawei and SMIC, is complete.
    let mut many: Vec<String> = (0..MIN_COMPLETE_ENTRIES).map(|i| spread(rec, i)).collect();
    many.extend(sentinel_records());
    let n = many.len();
    let whole = parse(
        &format!("{{{sources}, \"total\": {n}, \"offset\": 0, \"results\": [{}]}}", many.join(",")),
        CslFormat::Json,
    )
    .unwrap();
    assert!(whole.is_complete());
    assert!(to_toml(&whole, "f").contains("complete = true\nas_of = 2025-02-28\n"));
    // A search for one name answers with every match, offset 0 and a total equal to what it holds:
    // it looks whole, but one entry is not the Entity List (found by a hostile user: such a file
    // was declared complete and cleared everyone else on it).
    let search =
        parse(&format!("{{{sources}, \"total\": 1, \"offset\": 0, \"results\": [{rec}]}}"), CslFormat::Json).unwrap();
    assert!(!search.is_complete());
    assert!(to_toml(&search, "f").contains(
        "# Not declared complete: 1 Entity List entries, fewer than 500: a search result or an extract, not the whole list.\n"
    ));
    let page = parse(&format!("{{{sources}, \"total\": 1400, \"offset\": 0, \"results\": [{rec}]}}"), CslFormat::Json)
        .unwrap();
    assert!(!page.is_complete());
    assert!(
        to_toml(&page, "f").contains("# Not declared complete: the file is one page of a search, not the whole list; ")
    );
    let later = parse(&format!("{{{sources}, \"offset\": 100, \"results\": [{rec}]}}"), CslFormat::Json).unwrap();
    assert!(!later.is_complete());
    // Without the Entity List among the sources, the search date dates it.
    let searched =
        parse(&format!("{{\"search_performed_at\": \"2025-03-03T14:00:02Z\", \"results\": [{rec}]}}"), CslFormat::Json)
            .unwrap();
    assert_eq!(searched.list_date.as_deref(), Some("2025-03-03"));
    let empty = parse(&format!("{{{sources}, \"results\": []}}"), CslFormat::Json).unwrap();
    assert!(!empty.is_complete());
}

/// Entry `i` of a synthetic whole list: id `x{i}`, in one of 12 countries, added by one of 12
/// Federal Register notices, in one of 8 years (2015 to 2022: a `start_date` of 2019-06-24
/// moved to another year).
fn spread(rec: &str, i: usize) -> String {
    let rec = rec.replace("\"2019-06-24\"", &format!("\"{}-06-24\"", 2015 + i % 8));
    let rec = rec.as_str();
    const COUNTRIES: [&str; 12] = ["CN", "RU", "IR", "PK", "AE", "HK", "SG", "BY", "TR", "KP", "SY", "AM"];
    let extra = format!(
        r#", "addresses": [{{"country": "{}"}}], "federal_register_notice": "{} FR {}""#,
        COUNTRIES[i % 12],
        80 + i % 12,
        1000 + i % 12
    );
    rec.replace("x1", &format!("x{i}")).replacen('}', &format!("{extra}}}"), 1)
}

/// The two entries every Entity List dated from 2020-12-22 on holds (csl::sentinels): Huawei
/// Technologies Co., Ltd. (84 FR 22961, effective 2019-05-16) and SMIC (85 FR 83416, published
/// 2020-12-22), in China, as the CSL publishes them.
fn sentinel_records() -> [String; 2] {
    let el = "Entity List (EL) - Bureau of Industry and Security";
    [
        format!(
            r#"{{"id": "s-huawei", "source": "{el}", "name": "Huawei Technologies Co., Ltd.", "addresses": [{{"country": "CN"}}], "federal_register_notice": "84 FR 22961", "start_date": "2019-05-16"}}"#
        ),
        format!(
            r#"{{"id": "s-smic", "source": "{el}", "name": "Semiconductor Manufacturing International Corporation", "alt_names": ["SMIC"], "addresses": [{{"country": "CN"}}], "federal_register_notice": "85 FR 83420", "start_date": "2020-12-22"}}"#
        ),
    ]
}

/// A search filtered by country or by notice holds as many entries as the floor, whole and
/// dated, yet is not the Entity List: 600 entries all in China from one notice (a hostile
/// user's `countries=CN&sources=EL` search, declared complete, cleared every party it did not
/// hold: Russian, Iranian, Emirati entries among them).
#[test]
fn a_search_filtered_by_country_or_notice_is_not_complete() {
    let rec = r#"{"id": "x1", "source": "Entity List (EL) - Bureau of Industry and Security", "name": "Sugon", "start_date": "2019-06-24"}"#;
    let sources = r#""sources_used": [{"source": "Entity List (EL) - Bureau of Industry and Security", "source_last_updated": "2025-06-01T00:00:00+00:00"}]"#;
    let file = |records: Vec<String>| {
        let n = records.len();
        parse(
            &format!("{{{sources}, \"total\": {n}, \"offset\": 0, \"results\": [{}]}}", records.join(",")),
            CslFormat::Json,
        )
        .unwrap()
    };
    let china_only = file(
        (0..600)
            .map(|i| spread(rec, i * 12)) // every entry in CN, from "80 FR 1000"
            .collect(),
    );
    assert!(china_only.entries.iter().all(|e| e.countries == ["CN"]));
    assert!(!china_only.is_complete());
    assert!(to_toml(&china_only, "f").contains(
        "# Not declared complete: its entries are in 1 country, fewer than 10: a search filtered by country, not the whole list.\n"
    ));
    // Twelve countries, but every entry from one notice: a search by notice or program.
    let one_notice: Vec<String> = (0..600)
        .map(|i| spread(rec, i).replace(&format!("\"{} FR {}\"", 80 + i % 12, 1000 + i % 12), "\"90 FR 5298\""))
        .collect();
    let one_notice = file(one_notice);
    assert!(!one_notice.is_complete());
    assert!(to_toml(&one_notice, "f").contains("from 1 Federal Register notice(s), fewer than 10"));
    // The same 600 spread over twelve countries, twelve notices and eight years, with Huawei and
    // SMIC: complete.
    let whole = file((0..600).map(|i| spread(rec, i)).chain(sentinel_records()).collect());
    assert!(whole.is_complete(), "{:?}", whole.why_incomplete());
}

#[test]
fn end_dates_ids_and_odd_values() {
    let text = r#"{"results": [
      {"source": "Entity List (EL) - Bureau of Industry and Security", "name": "Example \"Quoted\" \\ Co.\nLtd.",
       "start_date": "2020-01-02", "end_date": "2024-01-01T00:00:00+00:00",
       "addresses": [{"country": "cn"}, {"country": "crimea (occupied)"}, {"country": null}, {"country": "RU"}],
       "alt_names": ["A; and B", "A", "Example \"Quoted\" \\ Co.\nLtd."],
       "license_policy": "Presumption of denial, except for items for safety of flight.",
       "license_requirement": "For all items subject to the EAR. \\5\\"},
      {"id": 17, "source": "entity list (el) - bureau of industry and security", "name": "Later Ltd.",
       "start_date": "2021-05-05", "end_date": "none", "license_policy": "See § 744.2(d) of the EAR",
       "license_requirement": "For all items subject to the EAR listed in Supp. No. 4"},
      {"id": "x", "source": "Entity List (EL) - Bureau of Industry and Security", "name": "Backwards",
       "start_date": "2021-05-05", "end_date": "2020-01-01"}
    ]}"#;
    let import = parse(text, CslFormat::Json).unwrap();
    assert_eq!(import.rejected.len(), 1, "{:?}", import.rejected);
    assert!(import.rejected[0].contains("before start_date"));
    let out = to_toml(&import, "odd \"name\"\nsecond line");
    assert!(out.lines().nth(1).is_some_and(|l| l.starts_with("# Source file: odd \"name\" second line;")));
    let t = tables(&out);
    assert_eq!(t.len(), 2);

    let first = by_id(&t, "EL:example-quoted-co-ltd");
    assert_eq!(first["name"].as_str(), Some("Example \"Quoted\" \\ Co.\nLtd."));
    assert_eq!(strs(first.get("aliases")), ["A", "B"]);
    assert_eq!(first["country"].as_str(), Some("CN"));
    assert_eq!(strs(first.get("countries")), ["CN", "RU"]);
    assert_eq!(first["source"].as_str(), Some("15 CFR 744 Supp. No. 4"));
    assert_eq!(first["until"].to_string(), "2024-01-01");
    assert_eq!(first["review_policy"].as_str(), Some("presumption_of_denial"));
    assert_eq!(first["footnote"].as_integer(), Some(5));
    assert_eq!(
        first["note"].as_str(),
        Some(
            "address country as published: crimea (occupied); license policy as published: Presumption of denial, \
             except for items for safety of flight."
        )
    );

    let later = by_id(&t, "EL:17");
    assert!(later.get("until").is_none() && later.get("review_policy").is_none() && later.get("footnote").is_none());
    assert!(later.get("country").is_none());
    assert_eq!(
        later["note"].as_str(),
        Some(
            "end_date as published: none (not a date, so no `until`); license policy as published: See § 744.2(d) \
             of the EAR"
        )
    );
}

#[test]
fn footnote_marks() {
    let footnote = |req: &str| {
        let rec = serde_json::json!([{
            "id": "f", "source": "Entity List (EL) - Bureau of Industry and Security", "name": "F",
            "start_date": "2022-12-19", "license_requirement": req
        }]);
        let out = to_toml(&parse(&rec.to_string(), CslFormat::Json).unwrap(), "f");
        tables(&out)[0].get("footnote").and_then(|v| v.as_integer())
    };
    assert_eq!(footnote("For all items subject to the EAR. See § 734.9(e)(2) of the EAR.⁴"), Some(4));
    assert_eq!(footnote("For all items subject to the EAR (see footnote 5)."), Some(5));
    assert_eq!(footnote("For all items subject to the EAR. See § 744.11 of the EAR. 4"), Some(4));
    assert_eq!(footnote("For all items subject to the EAR. (See § 744.11 of the EAR).5"), Some(5));
    assert_eq!(footnote("For all items subject to the EAR. See § 744.4"), None);
    assert_eq!(footnote("For all items subject to the EAR. See footnote 45."), None);
    assert_eq!(footnote("For all items subject to the EAR. See § 744.11(a)(4)"), None);
    assert_eq!(footnote("For all items listed in Supp. No. 4"), None);
    assert_eq!(footnote("For all items subject to the EAR. See footnote 1."), None);
}

#[test]
fn no_input_makes_it_panic() {
    for name in ["consolidated.json", "consolidated.csv"] {
        let text = fixture(name);
        let cuts: Vec<usize> = text.char_indices().map(|(i, _)| i).step_by(7).collect();
        for i in cuts {
            let part = &text[..i];
            for format in [CslFormat::Json, CslFormat::Csv] {
                if let Ok(import) = parse(part, format) {
                    let out = to_toml(&import, part);
                    assert!(toml::from_str::<toml::Table>(&out).is_ok(), "{out}");
                }
            }
        }
    }
    for junk in ["\"", "[[[[", "{\"results\": [1, \"x\", null, [], {}]}", "\u{feff}", ",,,\n,,", "name\n\"unterminated"]
    {
        for format in [CslFormat::Json, CslFormat::Csv] {
            let _ = parse(junk, format);
        }
    }
    let deep = "[".repeat(10_000);
    assert!(matches!(parse(&deep, CslFormat::Json), Err(CslError::Json { .. })));
}

/// The importer's output loads into a rule pack, and a party named as in the CSL is screened.
#[test]
fn imported_entries_load_into_a_pack_and_screen_a_party() {
    use export_controls::model::{Party, Role};
    use export_controls::ruleset::{SourceFile, compile};
    use export_controls::{Catalog, Options, Query};

    let toml_text = to_toml(&json_import(), "consolidated.json");
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/us-ear");
    let mut files: Vec<SourceFile> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .map(|p| SourceFile::new(p.file_name().unwrap().to_string_lossy(), std::fs::read_to_string(&p).unwrap()))
        .collect();
    files.push(SourceFile::new("entity-list-csl.toml", toml_text));
    let rules = compile(&files).unwrap_or_else(|e| panic!("{e}"));
    let catalog = Catalog::shipped().unwrap();
    // Moore Threads is in the fixture as an Entity List entry; an Apple M3 Max (not 3A090) to it
    // still needs a licence under 15 CFR 744.11.
    let mut q = Query::export_to("CN".parse().unwrap(), "2024-06-01".parse().unwrap());
    let mut buyer = Party::new(Role::Purchaser);
    buyer.name = Some("Moore Threads Intelligent Technology (Beijing) Co., Ltd.".into());
    buyer.country = "CN".parse().ok();
    q.parties.push(buyer);
    let d = rules.evaluate(catalog.get("apple-m3-max").unwrap(), &q, Options::default()).unwrap();
    assert_eq!(d.verdict.as_str(), "license_required");
    assert!(d.requirements.iter().any(|r| r.id == "744.11"), "{:?}", d.requirements);
}

/// A complete, dated import clears a party that matches none of its entries (the shipped sample
/// alone does not), and an entry without a start date screens as listed.
#[test]
fn a_complete_import_is_a_screen() {
    use export_controls::model::{Party, Role};
    use export_controls::ruleset::{SourceFile, compile};
    use export_controls::{Catalog, Options, Query, Verdict};

    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/us-ear");
    let pack: Vec<SourceFile> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .map(|p| SourceFile::new(p.file_name().unwrap().to_string_lossy(), std::fs::read_to_string(&p).unwrap()))
        .collect();
    let mut import = json_import();
    // The fixture's six entries, and more of the list's size (a complete import holds at least
    // MIN_COMPLETE_ENTRIES).
    let template = import.entries[0].clone();
    for i in import.entries.len()..MIN_COMPLETE_ENTRIES {
        let mut e = template.clone();
        e.id = format!("padding-{i}");
        e.name = format!("Example Listed Entity {i}");
        e.aliases = Vec::new();
        // A whole list spans many countries and notices (Import::narrowness).
        e.countries = vec![["RU", "IR", "PK", "AE", "SG", "BY", "TR", "KP", "SY", "AM", "CN"][i % 11].to_string()];
        e.federal_register_notice = Some(format!("{} FR {}", 84 + i % 11, 100 + i));
        // Added over several years (csl::sentinels::MIN_START_YEARS).
        e.start_date = Some(format!("{}-03-01", 2012 + i % 8));
        import.entries.push(e);
    }
    // Moore Threads published without a start date: still screened, in force from the start.
    for e in &mut import.entries {
        if e.name.starts_with("Moore Threads") {
            e.start_date = None;
        }
    }
    let mut files = pack.clone();
    files.push(SourceFile::new("entity-list-csl.toml", to_toml(&import, "consolidated.json")));
    let with_import = compile(&files).unwrap_or_else(|e| panic!("{e}"));
    let sample_only = compile(&pack).unwrap();
    let catalog = Catalog::shipped().unwrap();
    let rtx = catalog.get("nvidia-rtx-4080").unwrap();
    let q = |name: &str, on: &str| {
        // An exporter that states it is not a front-end fabricator or OSAT (Note 1 to 3A090.a).
        let ordinary =
            export_controls::model::Exporter { front_end_fabricator_or_osat: Some(false), ..Default::default() };
        let mut q = Query::export_to("CN".parse().unwrap(), on.parse().unwrap()).with_exporter(ordinary);
        let mut p = Party::new(Role::EndUser);
        p.name = Some(name.into());
        p.country = "CN".parse().ok();
        p.headquarters = p.country;
        p.parent_headquarters = p.country;
        q.parties.push(p);
        q
    };
    // Screened on the list's own date, the export is cleared of the Entity List.
    let unlisted = q("Example Shenzhen Robotics Co., Ltd.", "2025-02-28");
    assert_eq!(sample_only.evaluate(rtx, &unlisted, Options::default()).unwrap().verdict, Verdict::Indeterminate);
    // An export before the list's date: the list no longer holds the entries removed since, so
    // a party listed on the date of export could match nothing (15 CFR 744.11).
    let earlier =
        with_import.evaluate(rtx, &q("Example Shenzhen Robotics Co., Ltd.", "2025-02-01"), Options::default()).unwrap();
    assert_eq!(earlier.verdict, Verdict::Indeterminate);
    assert_eq!(
        earlier.missing,
        [
            "end user \"Example Shenzhen Robotics Co., Ltd.\": screening against the Entity List as of 2025-02-01 (the complete list held is dated 2025-02-28: entries removed since are not in it)"
        ]
    );
    let d = with_import.evaluate(rtx, &unlisted, Options::default()).unwrap();
    assert_eq!(d.verdict, Verdict::NoLicenseRequired, "{:?}", d.missing);
    let basis = &d.screening[0];
    assert!(basis.complete);
    assert_eq!(basis.entries, 5 + MIN_COMPLETE_ENTRIES, "the pack's five sample entries and the import");
    assert_eq!(basis.as_of, Some("2025-02-28".parse().unwrap()));
    assert!(
        basis
            .sources
            .iter()
            .any(|s| s.starts_with("complete list as of 2025-02-28: export-controls import-csl of consolidated.json")),
        "{:?}",
        basis.sources
    );
    // The list is dated before the export: a warning says to import it again.
    assert!(!d.warnings.iter().any(|w| w.contains("The Entity List held is dated")), "{:?}", d.warnings);
    let later =
        with_import.evaluate(rtx, &q("Example Shenzhen Robotics Co., Ltd.", "2025-06-01"), Options::default()).unwrap();
    assert!(
        later
            .warnings
            .iter()
            .any(|w| w.starts_with("The Entity List held is dated 2025-02-28, before the date of export 2025-06-01")),
        "{:?}",
        later.warnings
    );
    // Moore Threads, without a start date, screens as listed even before its real listing.
    let d = with_import.evaluate(rtx, &q("Moore Threads", "2022-06-01"), Options::default()).unwrap();
    assert_eq!(d.verdict, Verdict::LicenseRequired);
}

/// A made-up file passes every floor: 600 records "Probe Listed Company N" in twelve countries
/// from twelve notices, all starting 2020-01-01, dated 2026-06-01 (tester finding N12, made by
/// the tester's gen-csl.py). A real Entity List of that date holds Huawei Technologies Co., Ltd.
/// (84 FR 22961, 2019) and SMIC (85 FR 83416, 2020), and entries added over many years: such a
/// file is not declared complete, and says why.
#[test]
fn a_made_up_list_that_passes_the_floors_is_not_complete() {
    let el = "Entity List (EL) - Bureau of Industry and Security";
    let countries = ["CN", "RU", "IR", "AE", "PK", "SG", "TR", "HK", "BY", "KP", "SY", "MM"];
    let probe = |i: usize, start: &str| {
        format!(
            r#"{{"id": "probe{i}", "source": "{el}", "name": "Probe Listed Company {i}", "alt_names": [], "addresses": [{{"country": "{}"}}], "federal_register_notice": "8{} FR {}", "start_date": "{start}"}}"#,
            countries[i % 12],
            i % 12,
            1000 + i % 12
        )
    };
    let file = |records: Vec<String>, date: &str| {
        let n = records.len();
        let sources = format!(r#""sources_used": [{{"source": "{el}", "source_last_updated": "{date}"}}]"#);
        parse(
            &format!("{{{sources}, \"total\": {n}, \"offset\": 0, \"results\": [{}]}}", records.join(",")),
            CslFormat::Json,
        )
        .unwrap()
    };
    let made_up = file((0..600).map(|i| probe(i, "2020-01-01")).collect(), "2026-06-01");
    assert!(made_up.narrowness().is_none(), "the floors of finding N12 are met");
    assert!(!made_up.is_complete());
    let why = "it lacks Huawei Technologies Co., Ltd. (CN, listed by 84 FR 22961 on 2019-05-21) and Semiconductor \
               Manufacturing International Corporation (CN, listed by 85 FR 83416 on 2020-12-22), which every Entity \
               List dated 2026-06-01 holds: a search or an extract, not the whole list";
    assert_eq!(made_up.why_incomplete(), [why]);
    let toml = to_toml(&made_up, "csl-whole.json");
    assert!(toml.contains(&format!("# Not declared complete: {why}.\n[[screening_list]]\n")), "{toml}");
    assert!(toml.contains("complete = false\nas_of = 2026-06-01\n"), "{toml}");

    // With the two sentinels, but every other entry from one day: not a list grown since 1997.
    let one_year: Vec<String> = (0..600).map(|i| probe(i, "2020-01-01")).chain(sentinel_records()).collect();
    let one_year = file(one_year, "2026-06-01");
    assert_eq!(
        one_year.why_incomplete(),
        // 2020 (the 600 and SMIC) and 2019 (Huawei).
        ["its entries start in 2 year(s), fewer than 5: the Entity List has grown by notices every year since 1997"]
    );
    // Over eight years, with the sentinels: complete.
    let years = |i: usize| format!("{}-01-01", 2013 + i % 8);
    let spread_years: Vec<String> = (0..600).map(|i| probe(i, &years(i))).chain(sentinel_records()).collect();
    assert!(file(spread_years.clone(), "2026-06-01").is_complete());
    // An entry that starts after the list's date: the date is not the list's.
    let mut late = spread_years.clone();
    late.push(probe(600, "2026-07-01").replace("probe600", "late"));
    assert_eq!(
        file(late, "2026-06-01").why_incomplete(),
        [
            "an entry starts on 2026-07-01, after the list's date (2026-06-01): the date is not the list's (import-csl --as-of gives it)"
        ]
    );
    // A sentinel whose entry ended on or before the list's date is not held.
    let ended: Vec<String> = spread_years
        .iter()
        .map(|r| {
            if r.contains("s-huawei") {
                r.replace("\"start_date\"", "\"end_date\": \"2026-01-01\", \"start_date\"")
            } else {
                r.clone()
            }
        })
        .collect();
    let ended = file(ended, "2026-06-01");
    assert!(!ended.is_complete());
    assert!(ended.why_incomplete()[0].starts_with("it lacks Huawei Technologies Co., Ltd. (CN, listed by 84 FR 22961"));
    // The names as the list may write them: upper case, the acronym in brackets.
    let written: Vec<String> = spread_years
        .iter()
        .map(|r| {
            r.replace(
                "\"Semiconductor Manufacturing International Corporation\"",
                "\"SEMICONDUCTOR MANUFACTURING INTERNATIONAL CORPORATION (SMIC)\"",
            )
            .replace("\"Huawei Technologies Co., Ltd.\"", "\"HUAWEI TECHNOLOGIES CO. LTD.\"")
        })
        .collect();
    assert!(file(written, "2026-06-01").is_complete());
    // A name elsewhere, or in another country, is not the sentinel.
    let elsewhere: Vec<String> = spread_years
        .iter()
        .map(|r| if r.contains("s-smic") { r.replace("\"CN\"", "\"SG\"") } else { r.clone() })
        .collect();
    assert!(
        file(elsewhere, "2026-06-01").why_incomplete()[0]
            .starts_with("it lacks Semiconductor Manufacturing International Corporation")
    );
    // A list dated before SMIC was listed (2020-06-01) need not hold it; it must hold Huawei.
    let early: Vec<String> = (0..600)
        .map(|i| probe(i, &format!("{}-01-01", 2012 + i % 8)))
        .chain(sentinel_records().into_iter().filter(|r| r.contains("s-huawei")))
        .collect();
    assert!(file(early, "2020-06-01").is_complete());
}

/// tester17 F3: an Entity List record whose `source` is written otherwise than ITA writes it
/// (an en dash, a double space) used to be counted with the other lists' records and dropped
/// without a word, and the import could still be declared complete (every other floor met), so
/// that a party matching the dropped entry was cleared of the Entity List. It is now a record
/// that could not be read: the import is not complete. Other lists' sources are still skipped.
#[test]
fn a_record_naming_the_entity_list_otherwise_is_not_read_as_another_list() {
    for source in [
        "Entity List (EL) \u{2013} Bureau of Industry and Security",
        "Entity List (EL)  - Bureau of Industry and Security",
        "Entity  List",
    ] {
        let json = format!(
            r#"{{"results":[{{"id":"x1","source":"{source}","name":"Acme Evil Corp","addresses":[{{"country":"CN"}}]}},{{"id":"x2","source":"Military End User (MEU) List - Bureau of Industry and Security","name":"Other Co"}}],"total":2}}"#
        );
        let import = export_controls::csl::parse(&json, CslFormat::Json).unwrap();
        assert!(import.entries.is_empty(), "{source}");
        assert_eq!(import.skipped_other_sources, 1, "{source}: only the MEU record is another list's");
        assert_eq!(import.rejected.len(), 1, "{source}");
        assert!(import.rejected[0].contains("names the Entity List"), "{}", import.rejected[0]);
        assert!(!import.is_complete());
    }
}
