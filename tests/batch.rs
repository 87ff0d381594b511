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
            ["2023-06-01", "2024-06-01"]
                .map(|on| Query::new(to.parse::<Country>().unwrap(), Country::US, on.parse().unwrap()))
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
