//! Batch evaluation: products × queries (destinations, parties, dates), in a deterministic
//! order, on all cores when the `parallel` feature (default) is on; and a streaming form that
//! evaluates lazily for very large batches.

use super::{Determination, EvaluateError, Options, PreparedProduct, Query};
use crate::ruleset::RuleSet;

/// One result of a batch: the indexes of the product and query, and the determination.
pub type BatchItem = (usize, usize, Result<Determination, EvaluateError>);

/// One result of a fast-path batch: the indexes of the product and query, and the decision.
pub type DecisionItem = (usize, usize, Result<super::Decision, EvaluateError>);

impl RuleSet {
    /// Evaluates every product with every query. Results are in product-major order (product 0
    /// with queries 0..n, then product 1, ...), whatever the number of threads.
    pub fn evaluate_batch(&self, products: &[&PreparedProduct], queries: &[Query], opts: Options) -> Vec<BatchItem> {
        let pairs: Vec<(usize, usize)> =
            (0..products.len()).flat_map(|p| (0..queries.len()).map(move |q| (p, q))).collect();
        let run = |&(p, q): &(usize, usize)| -> Option<BatchItem> {
            Some((p, q, self.evaluate(products.get(p)?, queries.get(q)?, opts)))
        };
        #[cfg(feature = "parallel")]
        {
            use rayon::prelude::*;
            pairs.par_iter().filter_map(run).collect()
        }
        #[cfg(not(feature = "parallel"))]
        {
            pairs.iter().filter_map(run).collect()
        }
    }

    /// The same results as [`RuleSet::evaluate_batch`], produced one at a time on the calling
    /// thread, so that a caller can stream millions of determinations without holding them.
    pub fn evaluate_stream<'a>(
        &'a self,
        products: &'a [&'a PreparedProduct],
        queries: &'a [Query],
        opts: Options,
    ) -> impl Iterator<Item = BatchItem> + 'a {
        products.iter().enumerate().flat_map(move |(p, product)| {
            queries.iter().enumerate().map(move |(q, query)| (p, q, self.evaluate(product, query, opts)))
        })
    }
}

impl super::CompiledPack {
    /// Decides every product with every query on the fast path: each item is the indexes of
    /// the product and the query, and the decision (as [`RuleSet::evaluate_batch`] gives them).
    /// Results are in product-major order (product 0 with queries 0..n, then product 1, ...),
    /// whatever the number of threads; each thread reuses one [`Scratch`](super::Scratch).
    pub fn decide_batch(&self, products: &[&PreparedProduct], queries: &[super::FastQuery<'_>]) -> Vec<DecisionItem> {
        let run = |s: &mut super::Scratch, (p, product): (usize, &&PreparedProduct)| -> Vec<DecisionItem> {
            queries.iter().enumerate().map(|(q, query)| (p, q, self.decide(product, query, s))).collect()
        };
        #[cfg(feature = "parallel")]
        {
            use rayon::prelude::*;
            products.par_iter().enumerate().map_init(super::Scratch::default, run).flatten_iter().collect()
        }
        #[cfg(not(feature = "parallel"))]
        {
            let mut s = super::Scratch::default();
            products.iter().enumerate().flat_map(|p| run(&mut s, p)).collect()
        }
    }

    /// The same decisions as [`CompiledPack::decide_batch`], one at a time on the calling thread
    /// with one scratch, for batches too large to hold.
    pub fn decide_stream<'a>(
        &'a self,
        products: &'a [&'a PreparedProduct],
        queries: &'a [super::FastQuery<'a>],
    ) -> impl Iterator<Item = DecisionItem> + 'a {
        let mut s = super::Scratch::default();
        products
            .iter()
            .enumerate()
            .flat_map(move |(p, product)| queries.iter().enumerate().map(move |(q, query)| (p, q, product, query)))
            .map(move |(p, q, product, query)| (p, q, self.decide(product, query, &mut s)))
    }
}
