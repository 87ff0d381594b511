//! Every implementation gives the same answer: on the whole catalog × every ISO country (except
//! the US, the country of export), and on synthetic products exactly on each threshold and just
//! under it × destinations of every kind of group membership, each on two dates (2024-06-01,
//! and 2026-08-01, after the UAE left D:4 for A:5 and Cambodia left D:5).

use std::collections::BTreeMap;

use export_controls::Country;
use peers::cases::{Impl, Setup};
use peers::inputs;
use peers::{Answer, Licence};

/// Checks every implementation that answers against `decide` on every case of `setup`, and
/// returns the tally of `decide`'s licence outcomes.
fn agree(setup: &Setup) -> BTreeMap<String, usize> {
    let reference = setup.runner(Impl::Decide).answers();
    let mut disagreements = Vec::new();
    for imp in Impl::all_built().filter(|i| i.answers() && *i != Impl::Decide) {
        let got = setup.runner(imp).answers();
        assert_eq!(got.len(), setup.cases.len(), "{}", imp.name());
        for (i, c) in setup.cases.iter().enumerate() {
            if got[i] != reference[i] {
                disagreements.push(format!(
                    "{} to {} on {:?}:\n  export-controls {}\n  {} {}",
                    setup.products[c.product].product().id,
                    c.destination.code(),
                    c.date,
                    reference[i],
                    imp.name(),
                    got[i]
                ));
            }
        }
    }
    let shown: Vec<_> = disagreements.iter().take(40).cloned().collect();
    assert!(disagreements.is_empty(), "{} disagreements:\n{}", disagreements.len(), shown.join("\n"));
    let mut tally = BTreeMap::new();
    for a in &reference {
        *tally.entry(format!("{:?}", a.licence)).or_default() += 1;
    }
    tally
}

fn non_vacuous(tally: &BTreeMap<String, usize>) {
    for l in [Licence::Required, Licence::NotRequired, Licence::Indeterminate] {
        assert!(tally.get(&format!("{l:?}")).is_some_and(|k| *k > 0), "no {l:?} in {tally:?}");
    }
}

#[test]
fn all_implementations_agree_on_catalog_x_countries_x_two_dates() {
    let setup = Setup::benchmark();
    assert!(
        setup.products.len() >= 38 && setup.destinations.len() >= 240,
        "{} products, {} destinations",
        setup.products.len(),
        setup.destinations.len()
    );
    assert_eq!(setup.cases.len(), setup.products.len() * setup.destinations.len() * inputs::DATES.len());
    non_vacuous(&agree(&setup));
}

/// Destinations of every kind of membership: in scope (CN), in scope until 2026-07-10 (AE),
/// in D:5 until 2026-02-03 but in scope throughout (KH), A:5 (FR), A:6 and D:4 (IL), none (BR).
const THRESHOLD_DESTINATIONS: [&str; 6] = ["CN", "AE", "KH", "FR", "IL", "BR"];

fn threshold_setup() -> Setup {
    let destinations = THRESHOLD_DESTINATIONS.iter().map(|c| c.parse().unwrap()).collect();
    Setup::new(inputs::threshold_products(), destinations, &inputs::dates())
}

#[test]
fn all_implementations_agree_on_threshold_products() {
    let setup = threshold_setup();
    assert!(setup.products.len() >= 90, "{} threshold products", setup.products.len());
    non_vacuous(&agree(&setup));
}

fn para(bits: &[&str]) -> u8 {
    bits.iter().fold(0, |a, p| a | Answer::bit(p).unwrap())
}

/// The threshold products classify as the text says: thresholds are inclusive (≥) and a figure
/// 10⁻⁵ under one is under it, for the peers' 4-place integers too (they agree, above).
#[test]
fn threshold_products_classify_as_the_text_says() {
    let setup = threshold_setup();
    let cn: Country = "CN".parse().unwrap();
    let [d2024, d2026] = inputs::dates()[..] else { panic!("two dates") };
    let decide = |id: &str, to: Country, date| {
        let i = setup.products.iter().position(|p| p.product().id == id).unwrap_or_else(|| panic!("{id}"));
        setup.engine.decide(&setup.products[i], to, date)
    };
    let ic = |n: usize, dc: &str| format!("threshold-{n}-integrated-circuit-{dc}");
    let cases = [
        // TPP 4800, PD 4.8: .a.1 whatever the datacenter flag (Note 2 needs TPP < 4800).
        (ic(0, "dc"), para(&["3A090.a.1"]), 0, Licence::Required),
        (ic(0, "not-dc"), para(&["3A090.a.1"]), 0, Licence::Required),
        (ic(0, "dc-unknown"), para(&["3A090.a.1"]), 0, Licence::Required),
        // TPP 4799.99992: .b.1 and .b.2 for a datacenter part, Note 2 otherwise.
        (ic(1, "dc"), para(&["3A090.b.1", "3A090.b.2"]), 0, Licence::Required),
        (ic(1, "not-dc"), 0, 0, Licence::NotRequired),
        (ic(1, "dc-unknown"), 0, para(&["3A090.b.1", "3A090.b.2"]), Licence::Indeterminate),
        // TPP 1600, PD 3.2: .b.2; PD 3.19999936: nothing.
        (ic(2, "dc"), para(&["3A090.b.2"]), 0, Licence::Required),
        (ic(4, "dc"), 0, 0, Licence::NotRequired),
        // TPP 2400, PD 1.6: .b.1; 10⁻⁵ under either: nothing.
        (ic(5, "dc"), para(&["3A090.b.1"]), 0, Licence::Required),
        (ic(6, "dc"), 0, 0, Licence::NotRequired),
        (ic(7, "dc"), 0, 0, Licence::NotRequired),
        // PD 5.92: .a.2; PD 5.91998 and 5.9199988: .b.1 and .b.2.
        (ic(8, "dc"), para(&["3A090.a.2"]), 0, Licence::Required),
        (ic(9, "dc"), para(&["3A090.b.1", "3A090.b.2"]), 0, Licence::Required),
        (ic(10, "dc"), para(&["3A090.b.1", "3A090.b.2"]), 0, Licence::Required),
        // TPP 4800 and PD 5.92000001: both .a paragraphs; 10⁻⁵ under both: .b.1 and .b.2.
        (ic(11, "dc"), para(&["3A090.a.1", "3A090.a.2"]), 0, Licence::Required),
        (ic(12, "dc"), para(&["3A090.b.1", "3A090.b.2"]), 0, Licence::Required),
        // PD unknown: TPP 1600 may meet .a.2 or .b.2; TPP 4800 is .a.1 whatever the density.
        (ic(13, "dc"), 0, para(&["3A090.a.2", "3A090.b.2"]), Licence::Indeterminate),
        (ic(14, "dc"), para(&["3A090.a.1"]), 0, Licence::Required),
        // A board of 8 ICs of TPP 4800: 4A090.a (ICs meeting 3A090.a).
        ("threshold-0-computer-dc".into(), para(&["4A090.a"]), 0, Licence::Required),
        // 8 ICs of TPP 1600 and PD 3.2, each on its own (per IC): 4A090.b, not the 4A090.a
        // that the board's summed TPP of 12800 would give.
        ("threshold-2-computer-dc".into(), para(&["4A090.b"]), 0, Licence::Required),
        // 8 ICs of TPP 4799.99992, not for datacenters, in a board not for datacenters: Note 2
        // takes each out; in a board for datacenters they are 3A090.b, so the board is 4A090.b.
        ("threshold-1-computer-not-dc".into(), 0, 0, Licence::NotRequired),
        ("threshold-1-computer-dc".into(), para(&["4A090.b"]), 0, Licence::Required),
        // ICs of 3A090.a and of 3A090.b on one board: both paragraphs of 4A090.
        ("threshold-mixed-computer".into(), para(&["4A090.a", "4A090.b"]), 0, Licence::Required),
        // A computer whose contents are not listed may be either.
        ("threshold-unknown-contents".into(), 0, para(&["4A090.a", "4A090.b"]), Licence::Indeterminate),
    ];
    for (id, paragraphs, undetermined, licence) in cases {
        let got = decide(&id, cn, d2024);
        assert_eq!(got, Answer { paragraphs, undetermined, licence }, "{id} to CN: {got}");
    }
    // The UAE: in scope in 2024, not after 2026-07-10.
    let ae: Country = "AE".parse().unwrap();
    assert_eq!(decide(&ic(0, "dc"), ae, d2024).licence, Licence::Required);
    assert_eq!(decide(&ic(0, "dc"), ae, d2026).licence, Licence::NotRequired);
}

/// Spot checks against the compiled classifications (rules/products/NOTES.md; 2023 rule) and the country groups.
#[test]
fn known_classifications() {
    let engine = peers::engine::Engine::new(inputs::pack());
    let catalog = inputs::catalog();
    let get = |id: &str| catalog.iter().find(|p| p.product().id == id).unwrap_or_else(|| panic!("{id}"));
    let [d2024, d2026] = inputs::dates()[..] else { panic!("two dates") };
    let cases = [
        ("nvidia-h100-sxm5-80gb", "CN", para(&["3A090.a.1", "3A090.a.2"]), 0, Licence::Required),
        ("nvidia-h100-sxm5-80gb", "FR", para(&["3A090.a.1", "3A090.a.2"]), 0, Licence::NotRequired),
        ("nvidia-h100-sxm5-80gb", "AE", para(&["3A090.a.1", "3A090.a.2"]), 0, Licence::Required),
        ("nvidia-h100-sxm5-80gb", "IL", para(&["3A090.a.1", "3A090.a.2"]), 0, Licence::NotRequired),
        ("nvidia-l4", "CN", para(&["3A090.a.2"]), 0, Licence::Required),
        ("nvidia-h20", "CN", 0, 0, Licence::NotRequired),
        ("nvidia-rtx-4090d", "CN", 0, 0, Licence::NotRequired),
        ("nvidia-a100-sxm4-40gb", "CN", para(&["3A090.a.1", "3A090.a.2"]), 0, Licence::Required),
        ("nvidia-gb200-superchip", "RU", para(&["4A090.a"]), 0, Licence::Required),
        // Per IC, each H20 is outside 3A090 (TPP 2,368, PD 2.91): the HGX H20 board is not
        // 4A090 (rules/products/nvidia-hgx-h20.toml), while the HGX H100 board is 4A090.a.
        ("nvidia-hgx-h20", "CN", 0, 0, Licence::NotRequired),
        ("nvidia-hgx-h100", "CN", para(&["4A090.a"]), 0, Licence::Required),
        ("google-tpu-v5p", "CN", para(&["3A090.a.1"]), 0, Licence::Required),
        ("cambricon-mlu370-x8", "CN", 0, para(&["3A090.a.2", "3A090.b.2"]), Licence::Indeterminate),
        ("cambricon-mlu370-x8", "DE", 0, para(&["3A090.a.2", "3A090.b.2"]), Licence::NotRequired),
        ("amd-mi308x", "CN", 0, para(&["3A090.a.1", "3A090.a.2", "3A090.b.1", "3A090.b.2"]), Licence::Indeterminate),
        ("apple-m3-max", "CN", 0, 0, Licence::NotRequired),
    ];
    for (id, to, paragraphs, undetermined, licence) in cases {
        let got = engine.decide(get(id), to.parse().unwrap(), d2024);
        assert_eq!(got, Answer { paragraphs, undetermined, licence }, "{id} to {to}: {got}");
    }
    // After 2026-07-10 the UAE is in A:5, out of scope; Cambodia, out of D:5 since 2026-02-03,
    // is still in D:1.
    let h100 = get("nvidia-h100-sxm5-80gb");
    assert_eq!(engine.decide(h100, "AE".parse().unwrap(), d2026).licence, Licence::NotRequired);
    assert_eq!(engine.decide(h100, "KH".parse().unwrap(), d2026).licence, Licence::Required);
}
