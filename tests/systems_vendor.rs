//! Systems and their vendors, their own figures and their memory stacks (tester round 6, S1,
//! S7, S9a, S16). Each case is decided on both paths (`evaluate` and `decide`, which must agree),
//! and under both readings of separately packaged ICs where the reading could matter.
//!
//! The verdicts asserted come from the rules the pack encodes:
//! - the "is informed" letters bind the vendor who exports (15 CFR 744.23; NVIDIA Form 8-K of
//!   2025-04-15: the H20 and any circuit reaching its memory bandwidth of 4,000 GB/s or its
//!   interconnect bandwidth of 1,028 GB/s, to China; AMD Form 8-K of 2025-04-15: the MI308;
//!   rules/us-ear/NOTES.md §11), and a vendor's system carries every IC in it;
//! - the subsidiaries that sell under their own names are the company (AMD Form 10-K, Exhibit
//!   21: ATI Technologies ULC, Xilinx, Inc.; NVIDIA Form 10-K, Exhibit 21.1: Mellanox
//!   Technologies, Ltd.);
//! - 3A090.c is HBM with a memory bandwidth density above 2 GB/s per mm² (89 FR 96790), licensed
//!   to D:5 and Macau (15 CFR 742.6(a)(6)(iii)); 3A090.a and .b classify ICs by TPP and density,
//!   which a memory stack does not have (E0218).

mod common;

use export_controls::model::parse_product_sheet;
use export_controls::ruleset::{Reading, SourceFile};
use export_controls::{Catalog, CompiledPack, Determination, PreparedProduct, RuleSet, Verdict};

/// The H20's figures (rules/products/nvidia-h20.toml: HBM3 4,000 GB/s, interconnect 1,028 GB/s,
/// TPP 2,368 on 814 mm²), as an inline sheet of vendor `vendor`.
fn h20_class(vendor: &str) -> String {
    format!(
        "id = \"h20-class\"\nname = \"GH100 module (H20 class)\"\nvendor = \"{vendor}\"\n\
         kind = \"integrated_circuit\"\ndesigned_or_marketed_for_datacenter = true\n\
         commercially_available_in_us = false\ntransistors = 80_000_000_000\n\
         interconnect_bandwidth = 1028\n\
         [dense_tops]\ncomplete = true\nfp64 = 1\nfp32 = 44\ntf32 = 74\nbf16 = 148\nfp16 = 148\n\
         fp8 = 296\nint8 = 296\n\
         [[logic_die]]\nname = \"GH100\"\narea = 814\ncount = 1\nnon_planar = true\n\
         [memory]\nkind = \"HBM3\"\nbandwidth = 4000\ncapacity = 96\nhbm = true\n"
    )
}

/// A board of vendor `vendor` holding eight of `content` (a sheet's text, inlined).
fn board(vendor: &str, content: &str) -> String {
    let inner: String = content
        .lines()
        .map(|l| {
            if let Some(t) = l.strip_prefix('[') {
                let t = t.trim_start_matches('[');
                let double = l.starts_with("[[");
                if double { format!("[[contains.sheet.{t}") } else { format!("[contains.sheet.{t}") }
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    format!(
        "id = \"board\"\nname = \"8-module board\"\nvendor = \"{vendor}\"\nkind = \"computer\"\n\
         designed_or_marketed_for_datacenter = true\ncommercially_available_in_us = false\n\n\
         [[contains]]\ncount = 8\n[contains.sheet]\n{inner}\n"
    )
}

fn prepare(text: &str) -> PreparedProduct {
    let catalog = Catalog::shipped().unwrap();
    catalog.prepare_sheet(&SourceFile::new("sheet.toml", text)).unwrap()
}

/// The determination to `to` on `on` under `reading`, both paths agreeing.
fn decide(p: &PreparedProduct, to: &str, on: &str, reading: Reading) -> Determination {
    let rules = RuleSet::shipped().unwrap().with_reading(reading);
    let pack = CompiledPack::new(rules.clone());
    common::determine_both(&rules, &pack, p, &common::ordinary_query(to, on, Vec::new()))
}

fn requirements(d: &Determination) -> Vec<&str> {
    d.requirements.iter().map(|r| r.id.as_str()).collect()
}

/// S1: an NVIDIA board of ICs whose own sheet names another maker is exported by NVIDIA, and the
/// H20 letter reaches it (to China, 2025-06-01); the same ICs in a Foxconn board are not
/// NVIDIA's export (no other rule reaches an H20-class IC then: TPP 2,368 is below 3A090).
#[test]
fn a_vendors_board_answers_to_the_vendor_whatever_its_ics_sheets_say() {
    for reading in Reading::ALL {
        let nvidia = decide(&prepare(&board("NVIDIA", &h20_class("Foxconn"))), "CN", "2025-06-01", reading);
        assert_eq!(nvidia.verdict, Verdict::LicenseRequired, "{reading:?}");
        assert!(requirements(&nvidia).contains(&"is-informed/H20"), "{reading:?}: {:?}", requirements(&nvidia));
        // AMD's board of the same ICs: the MI308 letter (AMD Form 8-K, 2025-04-15).
        let amd = decide(
            &prepare(&board("Advanced Micro Devices, Inc.", &h20_class("Foxconn"))),
            "CN",
            "2025-06-01",
            reading,
        );
        assert!(requirements(&amd).contains(&"is-informed/MI308"), "{reading:?}: {:?}", requirements(&amd));
        assert!(!requirements(&amd).contains(&"is-informed/H20"), "{reading:?}");
    }
    let foxconn = decide(&prepare(&board("Foxconn", &h20_class("Foxconn"))), "CN", "2025-06-01", Reading::PerIc);
    assert_eq!(foxconn.verdict, Verdict::NoLicenseRequired);
    // The H20 letter binds only to China, Macau and D:5: the NVIDIA board to Germany is free.
    let de = decide(&prepare(&board("NVIDIA", &h20_class("Foxconn"))), "DE", "2025-06-01", Reading::PerIc);
    assert_eq!(de.verdict, Verdict::NoLicenseRequired);
}

/// S1, nested: a server of an unbranded vendor holding an NVIDIA board of Foxconn ICs answers to
/// NVIDIA through the board.
#[test]
fn an_ic_answers_to_every_system_around_it() {
    let inner = board("NVIDIA", &h20_class("Foxconn"));
    let text = format!(
        "id = \"server\"\nname = \"server\"\nvendor = \"Example Servers\"\nkind = \"computer\"\n\
         designed_or_marketed_for_datacenter = true\n\n[[contains]]\ncount = 1\n[contains.sheet]\n{}",
        inner
            .lines()
            .map(|l| match l.strip_prefix('[') {
                Some(t) if l.starts_with("[[") => format!("[[contains.sheet.{}", t.trim_start_matches('[')),
                Some(t) => format!("[contains.sheet.{t}"),
                None => l.to_string(),
            })
            .collect::<Vec<_>>()
            .join("\n")
    );
    let d = decide(&prepare(&text), "CN", "2025-06-01", Reading::PerIc);
    assert_eq!(d.verdict, Verdict::LicenseRequired);
    assert!(requirements(&d).contains(&"is-informed/H20"), "{:?}", requirements(&d));
}

/// S1: a system whose vendor names nobody may be NVIDIA's, AMD's or Intel's: the letters are
/// open, and `missing` names the system's vendor (not the IC's, which is readable).
#[test]
fn a_system_of_unknown_vendor_leaves_the_letters_open() {
    let d = decide(&prepare(&board("Unknown", &h20_class("Foxconn"))), "CN", "2025-06-01", Reading::PerIc);
    assert_eq!(d.verdict, Verdict::Indeterminate);
    assert_eq!(d.missing, ["board: vendor"]);
}

/// S9a: subsidiaries selling under their own names (AMD Form 10-K Exhibit 21; NVIDIA Form 10-K
/// Exhibit 21.1) on the H20's figures to China on 2025-06-01 are the company the letter binds.
#[test]
fn subsidiaries_selling_under_their_own_names_are_bound_by_the_letters() {
    for (vendor, letter) in [
        ("ATI Technologies ULC", "is-informed/MI308"),
        ("Xilinx, Inc.", "is-informed/MI308"),
        ("Mellanox Technologies, Ltd.", "is-informed/H20"),
    ] {
        let sheet = h20_class(vendor);
        let p = PreparedProduct::try_new(parse_product_sheet(&SourceFile::new("ic.toml", &sheet)).unwrap()).unwrap();
        let d = decide(&p, "CN", "2025-06-01", Reading::PerIc);
        assert_eq!(d.verdict, Verdict::LicenseRequired, "{vendor}");
        assert_eq!(requirements(&d), [letter], "{vendor}");
    }
}

/// S7: a board listing eight L20 (864 GB/s GDDR6 and 64 GB/s of interconnect each:
/// rules/products/nvidia-l20.toml) whose own figures are 32,000 GB/s of HBM3 and 8,224 GB/s:
/// the contents are not what it holds, and it is not cleared on them.
#[test]
fn own_bandwidths_above_the_contents_make_the_contents_unknown() {
    let text = "id = \"board\"\nname = \"B\"\nvendor = \"NVIDIA\"\nkind = \"computer\"\n\
        designed_or_marketed_for_datacenter = true\ncommercially_available_in_us = false\n\
        interconnect_bandwidth = 8224\ncontains = [{ product = \"nvidia-l20\", count = 8 }]\n\
        [memory]\nkind = \"HBM3\"\nbandwidth = 32000\ncapacity = 768\nhbm = true\n";
    let d = decide(&prepare(text), "CN", "2025-06-01", Reading::PerIc);
    assert_eq!(d.verdict, Verdict::Indeterminate);
    let m = d.missing.iter().find(|m| m.starts_with("contains of board (")).expect("contains of board");
    for figure in
        ["memory bandwidth 32000 GB/s", "the 6912 GB/s", "interconnect bandwidth 8224 GB/s", "the 512 GB/s", "HBM"]
    {
        assert!(m.contains(figure), "{figure}: {m}");
    }
    // Own figures within what the contents give (8 x 864 = 6,912; 8 x 64 = 512) change nothing:
    // eight L20 are outside 3A090 and below the H20 letter's lines (no licence to China).
    let within = text.replace("8224", "512").replace("bandwidth = 32000", "bandwidth = 6912").replace("HBM3", "GDDR6");
    let within = within.replace("hbm = true", "hbm = false");
    assert_eq!(decide(&prepare(&within), "CN", "2025-06-01", Reading::PerIc).verdict, Verdict::NoLicenseRequired);
    // Only the memory kind contradicts the contents: HBM where none of them has it.
    let hbm_only = within.replace("GDDR6", "HBM3").replace("hbm = false", "hbm = true");
    let d = decide(&prepare(&hbm_only), "CN", "2025-06-01", Reading::PerIc);
    assert_eq!(d.verdict, Verdict::Indeterminate, "{:?}", d.missing);
}

/// The stack of rules/us-ear/tests/sheets/example-hbm3e-stack.toml: 1,200 GB/s on 121 mm², so
/// 9.9 GB/s per mm² (3A090.c).
const STACK: &str = "id = \"hbm3e\"\nname = \"HBM3E stack\"\nvendor = \"Example\"\nkind = \"memory\"\n\
    designed_or_marketed_for_datacenter = true\n[memory]\nkind = \"HBM3E\"\nbandwidth = 1200\n\
    capacity = 36\nhbm = true\nstack_area = 121\n";

/// S16: a board of eight HBM3E stacks is not asked for a TPP or die area (a memory has none), and
/// carries the stacks' 3A090.c licence to China (D:5) as the stack alone does; to Germany none.
#[test]
fn a_board_of_hbm_stacks_carries_their_3a090c_licence() {
    let stack = PreparedProduct::try_new(parse_product_sheet(&SourceFile::new("s.toml", STACK)).unwrap()).unwrap();
    let alone = decide(&stack, "CN", "2025-06-01", Reading::PerIc);
    assert_eq!(alone.verdict, Verdict::LicenseRequired);
    for reading in Reading::ALL {
        let b = prepare(&board("Example", STACK));
        let d = decide(&b, "CN", "2025-06-01", reading);
        assert_eq!(d.verdict, Verdict::LicenseRequired, "{reading:?}: {:?}", d.missing);
        assert_eq!(d.eccns, ["3A090.c"], "{reading:?}");
        assert_eq!(requirements(&d), ["742.6(a)(6)(iii)/3A090.c"], "{reading:?}");
        assert!(d.missing.is_empty(), "{reading:?}: {:?}", d.missing);
        let de = decide(&b, "DE", "2025-06-01", reading);
        assert_eq!(de.verdict, Verdict::NoLicenseRequired, "{reading:?}: {:?}", de.missing);
    }
    // Before the 3A090.c compliance date (2024-12-31) nothing reaches it, and nothing is missing.
    let early = decide(&prepare(&board("Example", STACK)), "CN", "2024-06-01", Reading::PerIc);
    assert_eq!(early.verdict, Verdict::NoLicenseRequired, "{:?}", early.missing);
}

/// S16: a board holding H100-class ICs and separate HBM stacks is 4A090.a through the ICs and
/// carries 3A090.c through the stacks; the ICs (which carry their own HBM in their sheet) are
/// never 3A090.c and the stacks never asked for a TPP.
#[test]
fn stacks_beside_ics_are_read_as_stacks() {
    let stack: String = STACK
        .lines()
        .map(|l| if l == "[memory]" { "[contains.sheet.memory]".to_string() } else { l.to_string() })
        .collect::<Vec<_>>()
        .join("\n");
    let text = format!(
        "id = \"mixed\"\nname = \"M\"\nvendor = \"Example\"\nkind = \"computer\"\n\
         designed_or_marketed_for_datacenter = true\n\n[[contains]]\nproduct = \"nvidia-h100-sxm5-80gb\"\n\
         count = 8\n\n[[contains]]\ncount = 4\n[contains.sheet]\n{stack}\n"
    );
    let p = prepare(&text);
    for reading in Reading::ALL {
        let d = decide(&p, "CN", "2025-06-01", reading);
        assert_eq!(d.verdict, Verdict::LicenseRequired, "{reading:?}");
        assert_eq!(d.eccns, ["3A090.c", "4A090.a"], "{reading:?}");
        assert!(d.missing.is_empty(), "{reading:?}: {:?}", d.missing);
    }
}
