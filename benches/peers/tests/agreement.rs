//! The four implementations give the same answer on the whole catalog × every ISO country
//! (except the US, the country of export) on the as-of date.

use std::collections::BTreeMap;

use peers::cedar::Cedar;
use peers::engine::{Engine, engine_decide};
use peers::hand::hand_decide;
use peers::inputs::{self, PeerMetrics};
use peers::zen::Zen;
use peers::{Answer, Licence};

#[test]
fn engine_cedar_zen_and_hand_written_agree_on_catalog_x_countries() {
    let engine = Engine::new(inputs::pack());
    let catalog = inputs::catalog();
    let destinations = inputs::destinations();
    let metrics: Vec<PeerMetrics> = catalog.iter().map(PeerMetrics::of).collect();
    let cedar = Cedar::new(&metrics, &destinations);
    let zen = Zen::new();

    let mut disagreements = Vec::new();
    let mut tally: BTreeMap<String, usize> = BTreeMap::new();
    let mut n = 0;
    for (p, m) in catalog.iter().zip(&metrics) {
        let classified = engine.classify(p);
        for &c in &destinations {
            let q = inputs::query(c);
            let e = engine_decide(&engine, p, &q);
            // The engine's three entry points agree with each other.
            let fq = export_controls::FastQuery::export_to(q.destination, q.date).exported_from(q.exported_from);
            assert_eq!(engine.decide_classified(&classified, &fq), e, "{} to {}", p.product.id, c.code());
            assert_eq!(engine.evaluate(p, &q), e, "{} to {}", p.product.id, c.code());
            let h = hand_decide(p, c);
            let ce = cedar.decide(&cedar.request(m, c));
            let z = zen.decide(&zen.input(m, c));
            n += 1;
            *tally.entry(format!("{:?}", e.licence)).or_default() += 1;
            if [h, ce, z] != [e, e, e] {
                disagreements.push(format!(
                    "{} to {}:\n  engine {e}\n  hand   {h}\n  cedar  {ce}\n  zen    {z}",
                    p.product.id,
                    c.code()
                ));
            }
        }
    }
    assert!(disagreements.is_empty(), "{} disagreements:\n{}", disagreements.len(), disagreements.join("\n"));
    assert_eq!(n, catalog.len() * destinations.len());
    assert!(
        catalog.len() >= 38 && destinations.len() >= 240,
        "{} products, {} destinations",
        catalog.len(),
        destinations.len()
    );
    // The comparison is not vacuous: every outcome occurs.
    for l in [Licence::Required, Licence::NotRequired, Licence::Indeterminate] {
        assert!(tally.get(&format!("{l:?}")).is_some_and(|k| *k > 0), "no {l:?} in {tally:?}");
    }
}

/// Spot checks against ../shared/reference/chips.md §3 (2023 rule) and the country groups.
#[test]
fn known_classifications() {
    let engine = peers::engine::Engine::new(inputs::pack());
    let catalog = inputs::catalog();
    let get = |id: &str| catalog.iter().find(|p| p.product.id == id).unwrap_or_else(|| panic!("{id}"));
    let q = |c: &str| inputs::query(c.parse().unwrap());
    let para = |bits: &[&str]| bits.iter().fold(0, |a, p| a | Answer::bit(p).unwrap());
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
        ("google-tpu-v5p", "CN", para(&["3A090.a.1"]), 0, Licence::Required),
        ("cambricon-mlu370-x8", "CN", 0, para(&["3A090.a.2", "3A090.b.2"]), Licence::Indeterminate),
        ("cambricon-mlu370-x8", "DE", 0, para(&["3A090.a.2", "3A090.b.2"]), Licence::NotRequired),
        ("amd-mi308x", "CN", 0, para(&["3A090.a.1", "3A090.a.2", "3A090.b.1", "3A090.b.2"]), Licence::Indeterminate),
        ("apple-m3-max", "CN", 0, 0, Licence::NotRequired),
    ];
    for (id, to, paragraphs, undetermined, licence) in cases {
        let got = peers::engine::engine_decide(&engine, get(id), &q(to));
        assert_eq!(got, Answer { paragraphs, undetermined, licence }, "{id} to {to}: {got}");
    }
}
