//! Fail closed: for every product attribute a shipped rule reads, a product missing only that
//! attribute, in a transaction where it decides, gets `indeterminate` naming it, never
//! "no licence required". Thresholds from 88 FR 73458 (rules/us-ear/NOTES.md §3).

use std::collections::BTreeSet;

use export_controls::model::{Exporter, parse_product_sheet};
use export_controls::ruleset::SourceFile;
use export_controls::ruleset::vocabulary::Attr;
use export_controls::{Options, PreparedProduct, Query, RuleSet, Verdict};

fn sheet(body: &str) -> PreparedProduct {
    let vendor = if body.contains("vendor =") { "" } else { "vendor = \"T\"\n" };
    let text = format!("id = \"x\"\nname = \"X\"\n{vendor}{body}");
    PreparedProduct::new(parse_product_sheet(&SourceFile::new("x.toml", text)).unwrap())
}

fn determine(p: &PreparedProduct, to: &str, on: &str, exporter: Exporter) -> export_controls::Determination {
    let rules = RuleSet::shipped().unwrap();
    let mut q = Query::export_to(to.parse().unwrap(), on.parse().unwrap());
    q.exporter = exporter;
    rules.evaluate(p, &q, Options::default()).unwrap()
}

/// (attribute, product sheet body missing it, destination, date, exporter, the missing name reported).
fn cases() -> Vec<(Attr, &'static str, &'static str, &'static str, Exporter, &'static str)> {
    let fab = Exporter {
        front_end_fabricator_or_osat: Some(true),
        approved_ic_designer_attestation: false,
        packaged_outside_d5_or_macau: true,
        packaged_by: Some(export_controls::model::Packager::FrontEndFabricator),
    };
    vec![
        // The April 2025 letters name a vendor: an NVIDIA part with the H20's memory bandwidth needs a
        // licence to China, another vendor's does not; with the vendor unknown it could be either.
        (
            Attr::Vendor,
            "vendor = \"\"\nkind = \"integrated_circuit\"\ndesigned_or_marketed_for_datacenter = true\n[dense_tops]\nfp8 = 100\n[[logic_die]]\narea = 800\nnon_planar = true\n[memory]\nbandwidth = 4000\n",
            "CN",
            "2025-06-01",
            Exporter::default(),
            "vendor",
        ),
        // An NVIDIA part outside 3A090 (TPP 800) with interconnect 500: the H20 letter turns on its memory bandwidth.
        (
            Attr::MemoryBandwidth,
            "vendor = \"NVIDIA\"\nkind = \"integrated_circuit\"\ndesigned_or_marketed_for_datacenter = true\ninterconnect_bandwidth = 500\n[dense_tops]\nfp8 = 100\n[[logic_die]]\narea = 800\nnon_planar = true\n",
            "CN",
            "2025-06-01",
            Exporter::default(),
            "memory_bandwidth",
        ),
        // The same with memory 3,000 GB/s and the interconnect unknown: the letter's 1,028 GB/s and 5,028 GB/s-together tests.
        (
            Attr::MemoryAndInterconnectBandwidth,
            "vendor = \"NVIDIA\"\nkind = \"integrated_circuit\"\ndesigned_or_marketed_for_datacenter = true\n[dense_tops]\nfp8 = 100\n[[logic_die]]\narea = 800\nnon_planar = true\n[memory]\nbandwidth = 3000\n",
            "CN",
            "2025-06-01",
            Exporter::default(),
            "interconnect_bandwidth",
        ),
        // No rates: TPP unknown; to China in 2024 it could be 3A090.a (licence) or nothing.
        (
            Attr::Tpp,
            "kind = \"integrated_circuit\"\ndesigned_or_marketed_for_datacenter = true\n[[logic_die]]\narea = 800\nnon_planar = true\n",
            "CN",
            "2024-06-01",
            Exporter::default(),
            "tpp",
        ),
        // TPP 250 x 8 = 2,000, no die: PD unknown; a.2 (PD >= 5.92) or b.2 (PD >= 3.2) or nothing.
        (
            Attr::PerformanceDensity,
            "kind = \"integrated_circuit\"\ndesigned_or_marketed_for_datacenter = true\n[dense_tops]\ncomplete = true\nfp8 = 250\n",
            "CN",
            "2024-06-01",
            Exporter::default(),
            "applicable_die_area",
        ),
        // TPP 5,000 under the 2022 rule needs the 600 GB/s I/O test.
        (
            Attr::InterconnectBandwidth,
            "kind = \"integrated_circuit\"\ndesigned_or_marketed_for_datacenter = true\n[dense_tops]\ncomplete = true\nfp8 = 625\n",
            "CN",
            "2023-06-01",
            Exporter::default(),
            "interconnect_bandwidth",
        ),
        // TPP 3,000, PD 6: a.2 if datacenter, outside 3A090 (Note 2) if not.
        (
            Attr::DesignedOrMarketedForDatacenter,
            "kind = \"integrated_circuit\"\n[dense_tops]\ncomplete = true\nfp8 = 375\n[[logic_die]]\narea = 500\nnon_planar = true\n",
            "CN",
            "2024-06-01",
            Exporter::default(),
            "designed_or_marketed_for_datacenter",
        ),
        // An HBM stack without its area: bandwidth density unknown (3A090.c needs > 2 GB/s per mm²).
        (
            Attr::MemoryBandwidthDensity,
            "kind = \"memory\"\n[memory]\nbandwidth = 1000\nhbm = true\n",
            "CN",
            "2025-06-01",
            Exporter::default(),
            "memory_stack_area",
        ),
        // Note 1 to 3A090.a for transactions completed in 2027: a fabricator's IC of 32 billion transistors
        // (not below 30 billion) rebuts the presumption only without HBM (below 35 billion). A stand-alone
        // memory no longer turns on the flag: 3A090.c defines HBM by its density (89 FR 96790).
        (
            Attr::Hbm,
            "kind = \"integrated_circuit\"\ndesigned_or_marketed_for_datacenter = true\ntransistors = 32_000_000_000\nlogic_dies_complete = true\n[dense_tops]\ncomplete = true\nfp8 = 250\n[[logic_die]]\narea = 700\nnon_planar = true\nat_or_below_16_14nm = true\n",
            "CN",
            "2027-06-01",
            fab,
            "hbm",
        ),
        // Note 1 to 3A090.a: a fabricator's IC (TPP 2,000, PD 2.86, not 3A090 on its numbers) is presumed 3A090.a
        // unless its transistor count is below 30 billion.
        (
            Attr::Transistors,
            "kind = \"integrated_circuit\"\ndesigned_or_marketed_for_datacenter = true\n[dense_tops]\ncomplete = true\nfp8 = 250\n[[logic_die]]\narea = 700\nnon_planar = true\n",
            "CN",
            "2025-06-01",
            fab,
            "transistors",
        ),
        // Note 1, routes (b) and (c): packaged outside Macau/D:5 with 28 billion transistors rebuts only if the
        // front-end fabricator or an approved OSAT (Supp. No. 7 to part 740) packaged it; unstated, the presumption
        // is open and the packager is missing.
        (
            Attr::PackagedByFrontEndFabricatorOrApprovedOsat,
            "kind = \"integrated_circuit\"\ndesigned_or_marketed_for_datacenter = true\ntransistors = 28_000_000_000\n[dense_tops]\ncomplete = true\nfp8 = 250\n[[logic_die]]\narea = 700\nnon_planar = true\n",
            "CN",
            "2025-06-01",
            Exporter { packaged_by: None, ..fab },
            "exporter.packaged_by (front_end_fabricator, approved_osat or other)",
        ),
        // Note 1 applies to applicable advanced logic ICs (15 CFR 772.1: non-planar, or at or below the 16/14 nm
        // node); with the die's architecture unknown, so is the presumption, and the architecture is missing.
        (
            Attr::ApplicableAdvancedLogic,
            "kind = \"integrated_circuit\"\ndesigned_or_marketed_for_datacenter = true\ntransistors = 80_000_000_000\n[dense_tops]\ncomplete = true\nfp8 = 250\n[[logic_die]]\narea = 700\n",
            "CN",
            "2025-06-01",
            fab,
            "non_planar",
        ),
        // A planar die whose node is not stated may be at 12 nm (an applicable advanced logic IC, 15 CFR 772.1):
        // the presumption is unknown, and the node is missing (probe finding 1).
        (
            Attr::ApplicableAdvancedLogic,
            "kind = \"integrated_circuit\"\ndesigned_or_marketed_for_datacenter = false\ntransistors = 40_000_000_000\n[dense_tops]\ncomplete = true\nint8 = 100\n[[logic_die]]\narea = 400\nnon_planar = false\n",
            "CN",
            "2025-06-01",
            fab,
            "at_or_below_16_14nm",
        ),
        // An H100 cut to two rates, not stated complete: TPP at least 2,176, which may be 3A090.a.
        (
            Attr::Tpp,
            "kind = \"integrated_circuit\"\ndesigned_or_marketed_for_datacenter = true\ninterconnect_bandwidth = 1028\n[dense_tops]\nfp64 = 34\nfp32 = 67\n[[logic_die]]\narea = 814\nnon_planar = true\n",
            "CN",
            "2024-06-01",
            Exporter::default(),
            "dense_tops",
        ),
        // An HBM3E 12-high stack written as an integrated circuit with a logic base die (TPP 80 beside
        // 1,200 GB/s of HBM, tester round 8, T6): whether its main function is logic decides the Note to
        // 3A090.c (89 FR 96790), and so a licence to China.
        (
            Attr::MainFunctionLogic,
            "kind = \"integrated_circuit\"\npackage = \"HBM3E 12-high stack\"\ndesigned_or_marketed_for_datacenter = true\n[dense_tops]\ncomplete = true\nint8 = 10\n[[logic_die]]\narea = 121\nnon_planar = true\n[memory]\nkind = \"HBM3E\"\nbandwidth = 1200\ncapacity = 36\nhbm = true\nstack_area = 121\n",
            "CN",
            "2025-06-01",
            Exporter::default(),
            "main_function_logic (an IC with HBM described as a stack (`HBM3E 12-high stack`): is its main function logic? Note to 3A090.c)",
        ),
        // A complete rate list giving TPP 4,750 for a part published at 4,850: a.1 (4,800) is in the gap.
        (
            Attr::Tpp,
            "kind = \"integrated_circuit\"\ndesigned_or_marketed_for_datacenter = false\ntpp_reported = 4850\n[dense_tops]\ncomplete = true\nfp4 = 1187.5\n[[logic_die]]\narea = 750\nnon_planar = true\n",
            "CN",
            "2024-06-01",
            Exporter::default(),
            "tpp: the rates give 4750, tpp_reported is 4850",
        ),
    ]
}

#[test]
fn each_missing_attribute_that_decides_gives_indeterminate() {
    for (attr, body, to, on, exporter, name) in cases() {
        let d = determine(&sheet(body), to, on, exporter);
        assert_eq!(d.verdict, Verdict::Indeterminate, "{}: {:?}", attr.name(), d.verdict);
        assert!(d.missing.iter().any(|m| m == name), "{}: missing {:?}", attr.name(), d.missing);
    }
}

#[test]
fn a_missing_datacenter_flag_that_only_decides_the_exception_is_still_indeterminate() {
    // TPP 6,000 is 3A090.a.1 whatever the flag; NAC depends on it (not for datacenter .a items).
    let d = determine(
        &sheet(
            "kind = \"integrated_circuit\"\n[dense_tops]\ncomplete = true\nfp8 = 750\n[[logic_die]]\narea = 800\nnon_planar = true\n",
        ),
        "CN",
        "2024-06-01",
        Exporter::default(),
    );
    assert_eq!(d.eccns, ["3A090.a"]);
    assert_eq!(d.verdict, Verdict::Indeterminate);
    assert!(d.missing.contains(&"designed_or_marketed_for_datacenter".to_string()), "{:?}", d.missing);
}

#[test]
fn every_attribute_read_by_a_shipped_rule_has_a_fail_closed_case() {
    let rules = RuleSet::shipped().unwrap();
    let mut read = Vec::new();
    rules.classifications().iter().for_each(|r| r.when.attributes(&mut read));
    rules.exclusions().iter().for_each(|r| r.when.attributes(&mut read));
    let whens = rules
        .requirements()
        .iter()
        .map(|r| &r.when)
        .chain(rules.exceptions().iter().map(|r| &r.when))
        .chain(rules.review_policies().iter().map(|r| &r.when))
        .chain(rules.notices().iter().map(|r| &r.when));
    for w in whens.flatten() {
        w.attributes(&mut read);
    }
    let covered: BTreeSet<Attr> = cases().iter().map(|c| c.0).collect();
    // Always known: the kind (a required sheet key) and the exporter's declarations (default false).
    // commercially_available_in_us is read only by the 2026 H200 review policy, which changes
    // no verdict (unknown leaves the stricter presumption of denial).
    // The name is a required sheet key (an invalid product's, like its figures, reads as unknown).
    let always_known = [
        Attr::Kind,
        Attr::Name,
        Attr::FrontEndFabricatorOrOsat,
        Attr::ApprovedIcDesignerAttestation,
        Attr::PackagedOutsideD5OrMacau,
        Attr::CommerciallyAvailableInUs,
    ];
    for a in read {
        assert!(covered.contains(&a) || always_known.contains(&a), "no fail-closed case for `{}`", a.name());
    }
}

#[test]
fn a_missing_figure_that_cannot_change_the_outcome_leaves_the_verdict_and_warns() {
    // TPP 2,000 without a die area to France: whatever the density, France (A:5) is outside every
    // destination requirement, so no licence, but the classification is flagged as undetermined.
    let d = determine(
        &sheet(
            "kind = \"integrated_circuit\"\ndesigned_or_marketed_for_datacenter = true\n[dense_tops]\ncomplete = true\nfp8 = 250\n",
        ),
        "FR",
        "2024-06-01",
        Exporter::default(),
    );
    assert_eq!(d.verdict, Verdict::NoLicenseRequired);
    assert!(d.warnings.iter().any(|w| w.starts_with("The classification is undetermined")), "{:?}", d.warnings);
    assert_eq!(d.missing, ["applicable_die_area"]);
}

/// A vendor name that reads as NVIDIA only through look-alike characters (a lower-case L, a
/// Cyrillic І) is not known not to be NVIDIA: the NVIDIA letter of 2022-08-26 (A100-level TPP
/// and chip-to-chip I/O, to China) may apply, so the answer is open, never a clearance (found
/// by a hostile user: `NVIDlA` cleared an A100-class part). NVIDIA's own spellings still match.
#[test]
fn a_vendor_written_with_look_alike_characters_is_not_cleared_of_a_letter() {
    let base =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/products/nvidia-a100-sxm4-80gb.toml"))
            .unwrap()
            .lines()
            .filter(|l| !l.starts_with("id = ") && !l.starts_with("name = "))
            .collect::<Vec<_>>()
            .join("\n");
    let with_vendor = |v: &str| {
        let text: String = base
            .lines()
            .map(|l| if l.starts_with("vendor = ") { format!("vendor = \"{v}\"") } else { l.to_string() })
            .collect::<Vec<_>>()
            .join("\n");
        sheet(&text)
    };
    for v in ["NVIDlA", "NVID\u{406}A", "NV1DIA Corporation"] {
        let d = determine(&with_vendor(v), "CN", "2022-10-06", Exporter::default());
        assert_eq!(d.verdict, Verdict::Indeterminate, "{v}");
        assert!(d.missing.iter().any(|m| m.starts_with("vendor (")), "{v}: {:?}", d.missing);
    }
    for v in ["NVIDIA", "Nvidia Corp.", "\u{ff2e}\u{ff36}\u{ff29}\u{ff24}\u{ff29}\u{ff21}"] {
        let d = determine(&with_vendor(v), "CN", "2022-10-06", Exporter::default());
        assert_eq!(d.verdict, Verdict::LicenseRequired, "{v}");
        assert!(d.requirements.iter().any(|r| r.id == "is-informed/NVIDIA 2022-08-26"), "{v}");
    }
}
