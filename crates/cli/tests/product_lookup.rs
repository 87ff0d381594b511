//! The tester's round-12 findings T16 and T11 on what `--product` and `--to` accept (branch
//! `tester12`): a huge product id, a device given as a sheet path, a catalog id in another
//! case, and Kosovo's `XK`.

mod common;

use common::*;

/// T16: a 200,000-character product id (in a transaction file: the command line takes at most
/// 128 KiB per argument on Linux) is an unknown product, with no "did you mean" (no catalog id
/// is within ten edits of it). The "did you mean" work is bounded (the library's test
/// `a_huge_word_gets_no_suggestion`); no time is asserted here.
#[test]
fn a_huge_product_id_is_an_unknown_product_without_a_suggestion() {
    let id = "n".repeat(200_000);
    let tx = transaction_file("t16-huge-id", &format!("product = \"{id}\"\ndestination = \"CN\"\ndate = 2024-06-01\n"));
    let out = run(&["check", "--transaction", tx.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(3), "{}", &stderr(&out)[..200.min(stderr(&out).len())]);
    let err = stderr(&out);
    assert!(err.contains(&format!("unknown product `{id}`")), "{}", &err[..200.min(err.len())]);
    assert!(!err.contains("did you mean"), "{}", &err[err.len().saturating_sub(300)..]);
    std::fs::remove_dir_all(tx.parent().unwrap()).ok();

    // On the command line, as long as Linux allows (MAX_ARG_STRLEN, 128 KiB): a usage error.
    let id = "n".repeat(120_000);
    let out = run(&check_args(&id, "CN", "2024-06-01"));
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains(&format!("unknown product `{id}`;")));
}

/// T11: a path that names something on disk but not a sheet gets the file's error (exit 3),
/// never "unknown product": a device is refused before a byte is read (`/dev/zero` would never
/// end), a directory is named as one.
#[test]
fn a_path_that_is_not_a_sheet_gets_the_file_error() {
    let dir = temp_dir("t11-product-dir");
    for (path, why) in [("/dev/zero", "not a regular file"), (dir.to_str().unwrap(), "is a directory")] {
        let out = run(&check_args(path, "CN", "2024-06-01"));
        assert_eq!(out.status.code(), Some(3), "{path}: {}", stderr(&out));
        assert!(stderr(&out).contains(why), "{path}: {}", stderr(&out));
        assert!(!stderr(&out).contains("unknown product"), "{path}: {}", stderr(&out));
    }
    std::fs::remove_dir_all(&dir).ok();
}

/// T11: a catalog id typed in another case is not the product (ids are exact), but the error
/// names it: `NVIDIA-H20` → did you mean `nvidia-h20`?
#[test]
fn a_catalog_id_in_another_case_gets_did_you_mean() {
    let out = run(&check_args("NVIDIA-H20", "CN", "2024-06-01"));
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("unknown product `NVIDIA-H20` (did you mean `nvidia-h20`?)"), "{}", stderr(&out));
}

/// M1: an id naming a family of the catalog (`nvidia-a100`, no sheet of its own) gets the
/// family's ids, each of the A100's four sheets (PCIe and SXM4, 40 and 80 GB), not one or none.
#[test]
fn a_family_id_gets_the_family_s_ids() {
    let out = run(&check_args("nvidia-a100", "CN", "2024-06-01"));
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    let line = err.lines().find(|l| l.contains("unknown product `nvidia-a100`")).unwrap_or_else(|| panic!("{err}"));
    let hint = line.split("(did you mean ").nth(1).and_then(|h| h.split("?)").next()).unwrap_or_default();
    let named: Vec<&str> = hint.split('`').skip(1).step_by(2).collect();
    assert_eq!(
        named.get(..4),
        Some(&["nvidia-a100-pcie-40gb", "nvidia-a100-pcie-80gb", "nvidia-a100-sxm4-40gb", "nvidia-a100-sxm4-80gb"][..]),
        "{line}"
    );
    assert!(named.len() <= 5, "{line}");
    assert!(line.contains("(did you mean `nvidia-a100-pcie-40gb`, `nvidia-a100-pcie-80gb`, "), "{line}");
}

/// T11: Kosovo, which 15 CFR 740 Supp. No. 1 lists (Country Group B), is entered as `XK`. It is
/// in none of D:1, D:4 and D:5, so the H100 SXM5 (3A090.a: TPP 15,832 ≥ 4,800) needs no licence
/// there on 2024-06-01 under 15 CFR 742.6(a)(6)(iii) (88 FR 73458), for an exporter that is not
/// a front-end fabricator or OSAT and no parties named; China (D:1, D:4, D:5) does.
#[test]
fn kosovo_is_entered_as_xk() {
    let d = ordinary_check_json("nvidia-h100-sxm5-80gb", "XK", "2024-06-01", &[]);
    assert_eq!((&d["destination"]["code"], &d["destination"]["name"]), (&"XK".into(), &"Kosovo".into()));
    assert_eq!(d["verdict"], "no_license_required", "{d}");
    let cn = ordinary_check_json("nvidia-h100-sxm5-80gb", "CN", "2024-06-01", &[]);
    assert_eq!(cn["verdict"], "license_required", "{cn}");
    // In lower case, as any code: refused with the code to give.
    let out = run(&check_args("nvidia-h100-sxm5-80gb", "xk", "2024-06-01"));
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("did you mean `XK`?"), "{}", stderr(&out));
}
