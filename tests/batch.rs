//! Batch evaluation gives the same determinations as one-by-one evaluation, in a fixed order.

use export_controls::{Catalog, Country, Options, Query, RuleSet};

#[test]
fn batch_and_stream_agree_with_single_evaluations_in_order() {
    let rules = RuleSet::shipped().unwrap();
    let catalog = Catalog::shipped().unwrap();
    let products: Vec<_> = catalog.iter().collect();
    let queries: Vec<Query> = ["CN", "SA", "FR", "RU"]
        .iter()
        .flat_map(|to| {
            ["2023-06-01", "2024-06-01"].map(|on| Query::export_to(to.parse::<Country>().unwrap(), on.parse().unwrap()))
        })
        .collect();
    let batch = rules.evaluate_batch(&products, &queries, Options::default());
    assert_eq!(batch.len(), products.len() * queries.len());
    let stream: Vec<_> = rules.evaluate_stream(&products, &queries, Options::default()).collect();
    for (i, ((p, q, d), (sp, sq, sd))) in batch.iter().zip(&stream).enumerate() {
        assert_eq!((*p, *q), (i / queries.len(), i % queries.len()));
        assert_eq!((p, q), (sp, sq));
        let single = rules.evaluate(products[*p], &queries[*q], Options::default());
        assert_eq!(d, &single);
        assert_eq!(sd, &single);
    }
}

#[test]
fn fast_batch_is_in_product_major_order_and_matches_single_decisions() {
    let pack = export_controls::CompiledPack::new(RuleSet::shipped().unwrap());
    let catalog = Catalog::shipped().unwrap();
    let products: Vec<&export_controls::PreparedProduct> = catalog.iter().collect();
    let queries: Vec<export_controls::FastQuery> = Country::all()
        .into_iter()
        .flat_map(|to| {
            ["2023-06-01", "2024-06-01"].map(|on| export_controls::FastQuery::export_to(to, on.parse().unwrap()))
        })
        .collect();
    let batch = pack.decide_batch(&products, &queries);
    assert_eq!(batch.len(), products.len() * queries.len());
    let stream: Vec<_> = pack.decide_stream(&products, &queries).collect();
    let mut scratch = export_controls::Scratch::default();
    for (k, (p, q, d)) in stream.iter().enumerate() {
        assert_eq!((*p, *q), (k / queries.len(), k % queries.len()));
        let one = pack.decide(products[*p], &queries[*q], &mut scratch);
        assert_eq!(d, &one);
        assert_eq!(batch[k], (*p, *q, one.clone()));
        // Same verdict as the full evaluator (US to US is not an export: an error in both).
        let full = pack.rules().evaluate(
            products[*p],
            &Query::export_to(queries[*q].destination, queries[*q].date),
            Default::default(),
        );
        assert_eq!(full.map(|d| d.verdict).ok(), one.map(|d| d.verdict).ok());
    }
    assert!(
        batch.iter().any(|(_, _, d)| d.as_ref().is_ok_and(|d| d.verdict == export_controls::Verdict::LicenseRequired))
    );
}
