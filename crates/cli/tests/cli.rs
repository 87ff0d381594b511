//! The `export-controls` binary: output, JSON keys and exit codes (0 determination, 1 tests
//! failed, 2 usage, 3 rule or input error).

mod common;

use std::process::Output;

fn run(args: &[&str]) -> Output {
    common::bin().args(args).output().unwrap()
}

fn json(args: &[&str]) -> serde_json::Value {
    let out = run(args);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn h20_to_china_in_mid_2024_needs_no_licence() {
    // H20: TPP 296 × 8 = 2368 < 2400 and PD 2368 / 814 = 2.91 < 3.2: outside every 3A090 band.
    let v = json(&[&common::check_args("nvidia-h20", "CN", "2024-06-01")[..], &["--format", "json"]].concat());
    assert_eq!(v["verdict"], "no_license_required");
    assert_eq!(v["eccns"], serde_json::json!([]));
    assert_eq!(v["metrics"]["tpp"], "2368");
    assert_eq!(v["as_of"], "2024-06-01");
    for key in ["paragraphs", "requirements", "exceptions", "missing", "trace", "rules", "scope", "warnings"] {
        assert!(v.get(key).is_some(), "JSON lacks `{key}`");
    }
}

#[test]
fn h100_to_china_needs_a_licence_with_presumption_of_denial() {
    let v =
        json(&[&common::check_args("nvidia-h100-sxm5-80gb", "CN", "2024-06-01")[..], &["--format", "json"]].concat());
    assert_eq!(v["verdict"], "license_required");
    assert_eq!(v["eccns"], serde_json::json!(["3A090.a"]));
    assert_eq!(v["paragraphs"], serde_json::json!(["3A090.a.1", "3A090.a.2"]));
    assert_eq!(v["metrics"]["tpp"], "15831.2");
    assert_eq!(v["requirements"][0]["id"], "742.6(a)(6)(iii)");
    assert_eq!(v["requirements"][0]["review_policy"], "presumption_of_denial");
    assert_eq!(v["rules"]["name"], "us-ear");
    assert_eq!(v["rules"]["sha256"].as_str().unwrap().len(), 64);
}

#[test]
fn text_output_cites_the_rules() {
    let out = run(&["check", "--product", "nvidia-h100-sxm5-80gb", "--to", "CN", "--on", "2024-06-01"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("Determination: LICENCE REQUIRED\n"), "{text}");
    // The rates give 15,831.2 and the published TPP is 15,832: the TPP lies between them
    // (issue 12), which decides nothing here.
    assert!(text.contains("tpp >= 4800: 15831.2 to 15832 vs 4800 -> true"), "{text}");
    assert!(text.contains("88 FR 73458"), "{text}");
    assert!(text.contains("CN is in Country Group D:5"), "{text}");
}

/// The README's first command (no `--from`): the H20 to China on 2024-06-01 is below every
/// 3A090 band (TPP 2368 < 2400), whatever the origin: no licence required, nothing missing; the
/// determination says the origin was not stated. Without `--from`, an RTX 4090 (3A090.a) to
/// China on 2024-06-01 is indeterminate: NAC (export, reexport) or ACA (in-country transfer),
/// 15 CFR 740.8 as amended by 89 FR 23876 and 734.14, rest on where it ships from.
#[test]
fn without_from_the_origin_is_not_stated() {
    let out = run(&["check", "--product", "nvidia-h20", "--to", "CN", "--on", "2024-06-01"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("Determination: NO LICENCE REQUIRED\n"), "{text}");
    assert!(text.contains("from a country not stated to CN"), "{text}");
    let v = json(&["check", "--product", "nvidia-h20", "--to", "CN", "--on", "2024-06-01", "--format", "json"]);
    assert_eq!((&v["exported_from"], &v["missing"]), (&serde_json::Value::Null, &serde_json::json!([])));
    let rtx = |from: &[&str]| {
        let base = ["check", "--product", "nvidia-rtx-4090", "--to", "CN", "--on", "2024-06-01", "--format", "json"];
        json(&[&base[..], from].concat())
    };
    let v = rtx(&[]);
    assert_eq!(v["verdict"], "indeterminate");
    assert!(v["missing"][0].as_str().unwrap().starts_with("exported_from"), "{}", v["missing"]);
    let v = rtx(&["--from", "US"]);
    assert_eq!((&v["verdict"], &v["exported_from"]["code"]), (&"license_exception".into(), &"US".into()));
}

#[test]
fn an_export_to_the_country_of_export_is_refused() {
    let out = run(&["check", "--product", "nvidia-h20", "--to", "US", "--on", "2024-06-01"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not an export"));
}

#[test]
fn unknown_country_and_date_are_usage_errors() {
    let out = run(&["check", "--product", "nvidia-h20", "--to", "UK", "--on", "2024-06-01"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("did you mean `GB`?"));
    let out = run(&["check", "--product", "nvidia-h20", "--to", "CN", "--on", "2024-13-01"]);
    assert_eq!(out.status.code(), Some(2));
    let out = run(&["check", "--product", "nvidia-h20", "--to", "CN", "--on", "2019-01-01"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("before 2022-01-01"));
    let out = run(&["check", "--product", "nvidia-h2O", "--to", "CN"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("did you mean `nvidia-h20`?"));
}

#[test]
fn a_bad_product_sheet_is_an_input_error_with_its_location() {
    let dir = std::env::temp_dir().join(format!("ec-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let sheet = dir.join("bad.toml");
    std::fs::write(
        &sheet,
        "id = \"bad\"\nname = \"B\"\nvendor = \"V\"\nkind = \"integrated_circuit\"\n[[logic_die]]\narea = -1\n",
    )
    .unwrap();
    let out = run(&["check", "--product", sheet.to_str().unwrap(), "--to", "CN", "--on", "2024-06-01"]);
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.toml:6:8: error[E0201]: -1 is negative"), "{err}");
    std::fs::remove_dir_all(&dir).ok();
}

/// A sheet that takes a catalog id with other figures would stand for that product: the H100's
/// sheet with every rate above fp64 cut to 10 gave License Exception NAC for "H100 SXM5 80GB" to
/// China on 2024-06-01, where the H100 needs a licence (3A090.a, 742.6(a)(6)(iii); 88 FR 73458).
/// It is refused, at any depth; the catalog's own file is the catalog's product and is accepted.
#[test]
fn a_sheet_that_takes_a_catalog_id_with_other_figures_is_refused() {
    let dir = std::env::temp_dir().join(format!("ec-cli-clash-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let real = std::fs::read_to_string(root.join("rules/products/nvidia-h100-sxm5-80gb.toml")).unwrap();
    let fake: String = real
        .lines()
        .map(|l| match l.split(" = ").next() {
            Some("tf32" | "bf16" | "fp16" | "fp8" | "int8") => {
                format!("{} = 10", l.split(" = ").next().unwrap_or_default())
            }
            Some("tpp_reported") => String::new(),
            _ => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n");
    let sheet = dir.join("h100.toml");
    std::fs::write(&sheet, &fake).unwrap();
    let out = run(&["check", "--product", sheet.to_str().unwrap(), "--to", "CN", "--on", "2024-06-01"]);
    assert_eq!(out.status.code(), Some(3), "{}", String::from_utf8_lossy(&out.stdout));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("h100.toml:3:6: error[E0220]: the sheet takes the id `nvidia-h100-sxm5-80gb`"), "{err}");
    let board = dir.join("board.toml");
    let inline = format!(
        "id = \"example-board\"\nname = \"B\"\nvendor = \"V\"\nkind = \"computer\"\ndesigned_or_marketed_for_datacenter = true\n[[contains]]\ncount = 8\n[contains.sheet]\n{}",
        fake.lines()
            .filter(|l| !l.starts_with('#'))
            .map(|l| l
                .replace("[dense_tops]", "[contains.sheet.dense_tops]")
                .replace("[[logic_die]]", "[[contains.sheet.logic_die]]")
                .replace("[memory]", "[contains.sheet.memory]"))
            .collect::<Vec<_>>()
            .join("\n")
    );
    std::fs::write(&board, inline).unwrap();
    let out = run(&["check", "--product", board.to_str().unwrap(), "--to", "CN", "--on", "2024-06-01"]);
    assert_eq!(out.status.code(), Some(3), "{}", String::from_utf8_lossy(&out.stdout));
    assert!(String::from_utf8_lossy(&out.stderr).contains("error[E0220]"));
    let own = root.join("rules/products/nvidia-h100-sxm5-80gb.toml");
    let d =
        json(&["check", "--product", own.to_str().unwrap(), "--to", "CN", "--on", "2024-06-01", "--format", "json"]);
    assert_eq!(d["verdict"], "license_required");
    std::fs::remove_dir_all(&dir).ok();
}

/// Tester round 5, R11: a `--catalog` folder whose H100 sheet has cut rates would decide
/// "H100 SXM5 80GB → China: no licence required" under the real H100's id and name. The
/// H100 SXM5's TPP is 15,832 (3A090.a, licence to China from 2023-11-17: 15 CFR 774 Supp. No. 1,
/// ECCN 3A090.a; 742.6(a)(6)(iii); 88 FR 73458), so a catalog may add products but not change
/// a shipped one (E0220, as for a `--product` sheet); a private product in a catalog that
/// copies the shipped sheets is decided, recorded and replayed with that catalog.
#[test]
fn a_catalog_folder_may_add_products_but_not_change_a_shipped_one() {
    let dir = common::temp_dir("catalog-r11");
    common::copy_dir(&common::repo("rules/products"), &dir);
    let sheet = dir.join("nvidia-h100-sxm5-80gb.toml");
    let real = std::fs::read_to_string(&sheet).unwrap();
    let cut: String = real
        .lines()
        .filter(|l| !l.starts_with("tpp_reported"))
        .map(|l| match l.split(" = ").next() {
            Some(k @ ("tf32" | "bf16" | "fp16" | "fp8" | "int8" | "fp32" | "fp64_tensor")) => format!("{k} = 10"),
            _ => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(&sheet, &cut).unwrap();
    let d = dir.to_str().unwrap();
    let mut args = common::check_args("nvidia-h100-sxm5-80gb", "CN", "2024-06-01");
    args.extend(["--exporter-front-end-fabricator-or-osat", "no", "--catalog", d]);
    let out = run(&args);
    assert_eq!(out.status.code(), Some(3), "{}", String::from_utf8_lossy(&out.stdout));
    let err = common::stderr(&out);
    assert!(
        err.contains("nvidia-h100-sxm5-80gb.toml:3:1: error[E0220]: the catalog's sheet takes the id `nvidia-h100-sxm5-80gb` of a shipped catalog product"),
        "{err}"
    );
    // Only the changed sheet is named, not the systems that name it by its id.
    assert_eq!(err.matches("error[E0220]").count(), 1, "{err}");
    // Any product of that catalog is refused with it: the catalog is not loaded.
    let mut args = common::check_args("nvidia-h20", "CN", "2024-06-01");
    args.extend(["--catalog", d]);
    assert_eq!(run(&args).status.code(), Some(3));

    // The shipped sheet back, and a product of the catalog's own.
    std::fs::write(&sheet, &real).unwrap();
    let own = common::repo("rules/products/nvidia-h20.toml");
    let own = std::fs::read_to_string(own).unwrap().replace("id = \"nvidia-h20\"", "id = \"example-private-h20\"");
    std::fs::write(dir.join("example-private-h20.toml"), own).unwrap();
    let mut args = common::check_args("nvidia-h100-sxm5-80gb", "CN", "2024-06-01");
    args.extend(["--exporter-front-end-fabricator-or-osat", "no", "--catalog", d, "--format", "json"]);
    assert_eq!(json(&args)["verdict"], "license_required");
    let mut args = common::check_args("example-private-h20", "CN", "2025-06-01");
    args.extend(["--exporter-front-end-fabricator-or-osat", "no", "--catalog", d, "--format", "json"]);
    let out = run(&args);
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    let record = dir.join("record.json");
    std::fs::write(&record, &out.stdout).unwrap();
    let replay = run(&["replay", record.to_str().unwrap(), "--catalog", d]);
    assert_eq!(replay.status.code(), Some(0), "{}{}", String::from_utf8_lossy(&replay.stdout), common::stderr(&replay));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn the_rule_tests_pass_from_the_binary() {
    let out = run(&["test"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.trim_end().ends_with(" passed, 0 failed"), "{text}");
}

#[test]
fn products_lists_the_catalog() {
    let out = run(&["products"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), 53, "header and 52 products (38 reference chips, 2 more ICs, 12 systems)");
    assert!(text.contains("nvidia-h100-sxm5-80gb"));
}

#[test]
fn impact_lists_the_h20_change_of_april_2025() {
    let out = run(&[
        "impact",
        "--before",
        "2025-04-08",
        "--after",
        "2025-04-10",
        "--destinations",
        "CN",
        "--products",
        "nvidia-h20,nvidia-h100-sxm5-80gb",
    ]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{text}");
    // The H20's verdict changes; the H100 (3A090.a already) keeps its verdict but gains the
    // letter, which reaches any NVIDIA IC with the H20's bandwidths.
    assert!(text.contains("nvidia-h20 to CN [destination_only]: no_license_required -> license_required\n"), "{text}");
    assert!(
        text.contains("nvidia-h100-sxm5-80gb to CN [destination_only]: license_required -> license_required\n"),
        "{text}"
    );
    assert!(text.ends_with("2 determination(s) changed\n"), "{text}");
    // The exporter it assumes, and why it matters (tester12 T8): Note 1 to 3A090.a, 90 FR 5298.
    assert!(
        text.starts_with("exporter assumed: not a front-end fabricator or OSAT (for one, Note 1 to 3A090.a"),
        "{text}"
    );
    assert!(text.lines().next().unwrap().contains("90 FR 5298"), "{text}");
    let out = run(&[
        "impact",
        "--before",
        "2025-04-08",
        "--after",
        "2025-04-10",
        "--destinations",
        "CN",
        "--products",
        "nvidia-h20",
        "--format",
        "json",
    ]);
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows[0]["exporter"]["front_end_fabricator_or_osat"], false, "{rows}");
}

#[test]
fn import_csl_writes_list_entries() {
    let fixture = common::repo("tests/fixtures/csl/consolidated.csv").display().to_string();
    let out = run(&["import-csl", &fixture]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(text.matches("[[list_entry]]").count(), 6, "{text}");
}

#[test]
fn a_transaction_file_with_parties() {
    let dir = std::env::temp_dir().join(format!("ec-tx-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let tx = dir.join("tx.toml");
    // H100 to a Malaysian subsidiary of a China-headquartered company on 2024-06-01: 744.23(a)(3).
    std::fs::write(
        &tx,
        "product = \"nvidia-h100-sxm5-80gb\"\ndestination = \"MY\"\ndate = 2024-06-01\n\
         [[party]]\nrole = \"end_user\"\nname = \"Example Sdn Bhd\"\ncountry = \"MY\"\nheadquarters = \"MY\"\nparent_headquarters = \"CN\"\n\
         screened = [{ list = \"entity_list\", list_date = 2024-06-01 }]\n",
    )
    .unwrap();
    let v = json(&["check", "--transaction", tx.to_str().unwrap(), "--format", "json"]);
    assert_eq!(v["verdict"], "license_required");
    assert_eq!(v["requirements"][0]["id"], "744.23(a)(3)");
    // The same via --party flags.
    let v = json(
        &[
            &common::check_args("nvidia-h100-sxm5-80gb", "MY", "2024-06-01")[..],
            &[
                "--format",
                "json",
                "--party",
                "role=end_user,name=Example,country=MY,hq=MY,parent_hq=CN,screened=entity_list@2024-06-01",
            ],
        ]
        .concat(),
    );
    assert_eq!(v["requirements"][0]["id"], "744.23(a)(3)");
    std::fs::write(
        &tx,
        "product = \"nvidia-h100-sxm5-80gb\"\ndestination = \"MY\"\ndate = 2024-06-01\n[[party]]\nrole = \"buyer\"\n",
    )
    .unwrap();
    let out = run(&["check", "--transaction", tx.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("tx.toml:5:8: error[E0504]: unknown role `buyer`"), "{err}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn explain_gives_the_decisive_path_in_words() {
    let out = run(&[&common::check_args("nvidia-h100-sxm5-80gb", "CN", "2024-06-01")[..], &["--explain"]].concat());
    let text = String::from_utf8(out.stdout).unwrap();
    // 1978.9 TFLOPS FP8 × 8 bits = 15,831.2 (published 15,832) ≥ 4,800 (3A090.a.1); China is in D:5 (742.6(a)(6)(iii)).
    assert!(text.starts_with("Licence required because the H100 SXM5 80GB is 3A090.a.1 with TPP 15,831.2 to 15,832 ≥ 4,800 (15 CFR 774 Supp. No. 1, ECCN 3A090.a.1; 88 FR 73458 (2023-10-25))"), "{text}");
    assert!(text.contains("CN is in Country Group D:5"), "{text}");
    assert!(text.contains("(742.6(a)(6)(iii): "), "{text}");
    assert!(text.contains("reviewed under presumption of denial."), "{text}");
}

#[test]
fn the_example_transactions_give_their_documented_verdicts() {
    let root = common::root().display().to_string();
    // H20 to Alibaba Cloud on 2025-04-20: NVIDIA's is-informed letter of 2025-04-09.
    let v = json(&[
        "check",
        "--transaction",
        &format!("{root}/examples/transactions/h20-alibaba-2025.toml"),
        "--format",
        "json",
    ]);
    assert_eq!(v["verdict"], "license_required");
    let ids: Vec<&str> = v["requirements"].as_array().unwrap().iter().filter_map(|r| r["id"].as_str()).collect();
    assert!(ids.contains(&"is-informed/H20"), "{ids:?}");
    // H100 to a Malaysian subsidiary of a China-headquartered parent on 2024-06-01: 744.23(a)(3).
    let v = json(&[
        "check",
        "--transaction",
        &format!("{root}/examples/transactions/h100-malaysia-subsidiary.toml"),
        "--format",
        "json",
    ]);
    assert_eq!(v["verdict"], "license_required");
    assert_eq!(v["requirements"][0]["id"], "744.23(a)(3)");
    // A beneficiary that receives nothing: the 2025-05-13 AI-training policy statement, not the
    // headquarters rule.
    let v = json(&[
        "check",
        "--transaction",
        &format!("{root}/examples/transactions/h100-iaas-beneficiary.toml"),
        "--format",
        "json",
    ]);
    assert_eq!(v["verdict"], "license_required");
    let ids: Vec<&str> = v["requirements"].as_array().unwrap().iter().filter_map(|r| r["id"].as_str()).collect();
    // The declared use does not say whether the training is for WMD or for military intelligence,
    // so 744.2-744.4 (WMD, anywhere) and 744.22(a) (military-intelligence end uses in China,
    // among others: 86 FR 4865) read it too (tester round 14, F1). Until pack 0.1.46 744.21 stood
    // for 744.22, which was not encoded; 744.21(g) leaves military-intelligence end users out.
    assert_eq!(
        ids,
        [
            "744.2-744.4",
            "744.22(a)",
            "BIS policy statement 2025-05-13/D:5",
            "BIS policy statement 2025-05-13/headquarters"
        ]
    );
    // A board made of H20s in 2024: not 4A090 per IC, with the aggregate reading in a warning.
    let v = json(&[
        "check",
        "--transaction",
        &format!("{root}/examples/transactions/hgx-h20-board-2024.toml"),
        "--format",
        "json",
    ]);
    assert_eq!(v["verdict"], "no_license_required");
    assert_eq!(v["contents"][0]["product"], "nvidia-h20");
    assert_eq!(v["contents"][0]["count"], 8);
    let warnings = v["warnings"].as_array().unwrap();
    assert!(warnings.iter().any(|w| w.as_str().unwrap_or("").starts_with("Separately packaged ICs")), "{warnings:?}");
}

#[test]
fn screen_lists_every_product_and_destination_with_the_verdict_of_check() {
    let out = run(&[
        "screen",
        "--on",
        "2024-06-01",
        "--products",
        "nvidia-h100-sxm5-80gb,nvidia-h20",
        "--destinations",
        "CN,FR,RU",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "product,exported_from,destination,as_of,verdict,at_least,at_most,paragraphs,requirements");
    assert_eq!(lines.len(), 1 + 2 * 3);
    // 2023 rule: H100 (TPP 15831.2) is 3A090.a by a.1 and a.2 and needs a licence to China
    // under 742.6(a)(6)(iii); France is in A:5, outside that scope; Russia is also under 746.8.
    assert_eq!(
        lines[1],
        "nvidia-h100-sxm5-80gb,US,CN,2024-06-01,license_required,license_required,license_required,3A090.a.1;3A090.a.2,742.6(a)(6)(iii)"
    );
    assert_eq!(
        lines[2],
        "nvidia-h100-sxm5-80gb,US,FR,2024-06-01,no_license_required,no_license_required,no_license_required,3A090.a.1;3A090.a.2,"
    );
    assert!(
        lines[3].starts_with("nvidia-h100-sxm5-80gb,US,RU,2024-06-01,license_required,") && lines[3].contains("746.8"),
        "{}",
        lines[3]
    );
    // H20: TPP 2368, outside every 2023 band: free to China in mid-2024.
    assert_eq!(lines[4], "nvidia-h20,US,CN,2024-06-01,no_license_required,no_license_required,no_license_required,,");
    // Every row has the verdict `check` gives.
    for line in &lines[1..] {
        let f: Vec<&str> = line.split(',').collect();
        // The second column is where the items ship from (always US: direct exports).
        let v = json(&["check", "--product", f[0], "--from", f[1], "--to", f[2], "--on", f[3], "--format", "json"]);
        assert_eq!(v["verdict"], f[4], "{line}");
    }
}

#[test]
fn screen_refuses_unknown_products_and_dates_before_the_pack() {
    let out = run(&["screen", "--on", "2024-06-01", "--products", "nvidia-h1000"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown product `nvidia-h1000`"));
    let out = run(&["screen", "--on", "2021-06-01", "--destinations", "CN"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("before 2022-01-01"));
    let v = json(&["screen", "--on", "2024-06-01", "--products", "nvidia-h20", "--format", "json"]);
    // Every ISO country but the United States (the States, Puerto Rico, VI, GU, AS, MP, UM:
    // 15 CFR 772.1).
    // The screen's JSON is POST /v1/screen's (tester15 D2): the rows under `rows`.
    assert_eq!(v["rows"].as_array().unwrap().len(), export_controls::Country::all().len() - 7);
    let v = json(&[
        "screen",
        "--on",
        "2024-06-01",
        "--products",
        "nvidia-h100-sxm5-80gb,nvidia-h100-sxm5-80gb",
        "--destinations",
        "CN,CN",
        "--format",
        "json",
    ]);
    assert_eq!(v["rows"].as_array().unwrap().len(), 1, "duplicates are screened once");
    assert_eq!(v["rows"][0]["paragraphs"], serde_json::json!(["3A090.a.1", "3A090.a.2"]));
    assert_eq!(v["rows"][0]["requirements"], serde_json::json!(["742.6(a)(6)(iii)"]));
    for (args, message) in [
        (&["screen", "--products", "nvidia-h20,"][..], "empty product id"),
        (&["screen", "--destinations", "US"][..], "--destinations US"),
        (&["screen", "--rules", "rules/us-ear/pack.toml"][..], "is a file"),
        (&["screen", "--rules", "no/such/pack"][..], "no such directory"),
    ] {
        let out = run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains(message),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // The CSV says on standard error that parties were not screened.
    let out = run(&["screen", "--on", "2024-06-01", "--products", "nvidia-h20", "--destinations", "CN"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("no parties"));
}

/// `import-csl` prints its counts, imports records without a start date, and exits 3 (after
/// writing an incomplete list) when a record cannot be read or no Entity List record is found.
#[test]
fn import_csl_counts_and_fails_on_unreadable_records() {
    let dir = std::env::temp_dir().join(format!("ec-csl-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let write = |name: &str, text: &str| {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p.to_string_lossy().into_owned()
    };
    let el = "Entity List (EL) - Bureau of Industry and Security";
    // Undated records are imported; the CSV gives no list date, --as-of does.
    let csv = write(
        "undated.csv",
        &format!("_id,source,name,start_date\nb1,{el},Moore Threads,\nb2,{el},Biren Technology,10/17/2023\n"),
    );
    let o = run(&["import-csl", &csv]);
    assert_eq!(o.status.code(), Some(0));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("import-csl: 2 Entity List entries (2 without a usable start date, taken as listed from the start); 0 records of other lists skipped; 0 records could not be read; list dated unknown (give --as-of); not declared complete"),
        "{err}"
    );
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("entries: 2.") && out.contains("complete = false"), "{out}");
    // --as-of dates the list, but two entries are an extract, not the list.
    let o = run(&["import-csl", &csv, "--as-of", "2025-03-01"]);
    assert_eq!(o.status.code(), Some(0));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("complete = false\nas_of = 2025-03-01\n"), "{out}");
    // A whole file of the list's size, in many countries from many notices, added over eight
    // years, holding Huawei and SMIC (csl::sentinels), dated by --as-of, is declared complete.
    let countries = ["CN", "RU", "IR", "PK", "AE", "HK", "SG", "BY", "TR", "KP", "SY"];
    let mut rows: String = (0..export_controls::csl::MIN_COMPLETE_ENTRIES)
        .map(|i| {
            format!(
                "e{i},{el},Example Entity {i},{}-06-24,\"Street {i}, City, {}\",{} FR {i}\n",
                2012 + i % 8,
                countries[i % 11],
                84 + i % 11
            )
        })
        .collect();
    rows.push_str(&format!("h1,{el},\"Huawei Technologies Co., Ltd.\",2019-05-16,\"Shenzhen, CN\",84 FR 22961\n"));
    rows.push_str(&format!(
        "s1,{el},Semiconductor Manufacturing International Corporation,2020-12-22,\"Shanghai, CN\",85 FR 83420\n"
    ));
    let full = write("full.csv", &format!("_id,source,name,start_date,addresses,federal_register_notice\n{rows}"));
    let o = run(&["import-csl", &full, "--as-of", "2025-03-01"]);
    assert_eq!(o.status.code(), Some(0));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("complete = true\nas_of = 2025-03-01\n"), "{out}");
    let o = run(&["import-csl", &csv, "--as-of", "2025-02-30"]);
    assert_eq!(o.status.code(), Some(2));
    // A list dated after today is not yet published: refused (input error), nothing written.
    let o = run(&["import-csl", &full, "--as-of", "2099-01-01"]);
    assert_eq!(o.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&o.stderr).contains("the list is dated 2099-01-01, after today"));
    assert!(o.stdout.is_empty());
    // A record that cannot be read: exit 3, the list written is not complete.
    let bad = write("bad.csv", &format!("_id,source,name,start_date\nb1,{el},Sugon,2019-06-24\nb2,{el},,2019-06-24\n"));
    let o = run(&["import-csl", &bad, "--as-of", "2025-03-01"]);
    assert_eq!(o.status.code(), Some(3));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("could not read: CSV line 3: Entity List record without a name"), "{err}");
    assert!(err.contains("1 record(s) could not be read"), "{err}");
    assert!(String::from_utf8_lossy(&o.stdout).contains("complete = false"));
    // No Entity List record at all (the old behaviour: exit 0 and "entries: 0").
    let none = write(
        "none.csv",
        "_id,source,name,start_date\nx,Specially Designated Nationals (SDN) - Treasury Department,Someone,2019-06-24\n",
    );
    let o = run(&["import-csl", &none]);
    assert_eq!(o.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no Entity List record in the file"));
    std::fs::remove_dir_all(&dir).ok();
}
