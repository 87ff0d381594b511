//! The fast path (`decide` and `decide_classified`) allocates nothing per decision: a counting global allocator measures the
//! allocations made while deciding the catalog × every country × several dates, with and
//! without parties, after one warm-up decision has sized the scratch memory.
//!
//! Only the allocations of the thread that decides are counted (a thread-local switch): the test
//! harness's own threads allocate too (libtest prints "has been running for over 60 seconds"
//! when a loaded machine makes the loop slow), and those are not the fast path's (tester round 6,
//! S10: "3 allocations in 128960 decisions" under a load average near 18). The file still holds a
//! single test.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};

use export_controls::model::{Party, Role};
use export_controls::{Catalog, CompiledPack, Country, FastQuery, RuleSet, Scratch, Verdict};

struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    /// Whether this thread's allocations are counted (const-initialised: reading it allocates nothing).
    static COUNTING: Cell<bool> = const { Cell::new(false) };
}

fn count() {
    if COUNTING.with(Cell::get) {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
    }
}

// SAFETY: forwards to the system allocator; only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count();
        // SAFETY: same layout contract as the caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` was allocated by `System` with `layout`.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count();
        // SAFETY: as for `alloc` and `dealloc`.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

#[test]
fn deciding_allocates_nothing_once_warmed_up() {
    let pack = CompiledPack::new(RuleSet::shipped().unwrap());
    let catalog = Catalog::shipped().unwrap();
    let countries = Country::all();
    let dates: Vec<_> = ["2022-10-21", "2023-11-17", "2025-01-20", "2025-10-01", "2026-11-29"]
        .iter()
        .map(|d| d.parse().unwrap())
        .collect();
    let mut buyer = Party::new(Role::Purchaser);
    buyer.name = Some("Huawei Technologies Co., Ltd.".into());
    buyer.country = Some("AE".parse().unwrap());
    buyer.headquarters = Some("CN".parse().unwrap());
    let parties = pack.prepare_parties(&[buyer]);
    let classified: Vec<_> = catalog.iter().map(|p| pack.classify_product(p.clone())).collect();
    let mut scratch = Scratch::default();
    let first = catalog.iter().next().unwrap();
    pack.decide(
        first,
        &FastQuery::export_to("MY".parse().unwrap(), dates[0]).exported_from("SG".parse().unwrap()),
        &mut scratch,
    )
    .unwrap();

    // The switch counts this thread: one allocation made with it on is seen.
    COUNTING.with(|c| c.set(true));
    let seen = ALLOCATIONS.load(Ordering::Relaxed);
    drop(std::hint::black_box(vec![1u8]));
    assert_eq!(ALLOCATIONS.load(Ordering::Relaxed) - seen, 1, "the counting allocator counts this thread");

    let before = ALLOCATIONS.load(Ordering::Relaxed);
    let mut decisions = 0usize;
    let mut required = 0usize;
    for (p, c) in catalog.iter().zip(&classified) {
        for &to in &countries {
            if to.is_united_states() {
                continue;
            }
            for &on in &dates {
                let mut q = FastQuery::export_to(to, on);
                for with_parties in [false, true] {
                    if with_parties {
                        q.parties = &parties;
                    }
                    let d = pack.decide(p, &q, &mut scratch).unwrap();
                    assert_eq!(pack.decide_classified(c, &q, &mut scratch).unwrap(), d);
                    decisions += 1;
                    required += usize::from(d.verdict == Verdict::LicenseRequired);
                }
            }
        }
    }
    COUNTING.with(|c| c.set(false));
    let allocations = ALLOCATIONS.load(Ordering::Relaxed) - before;
    assert_eq!(allocations, 0, "{allocations} allocations in {decisions} decisions");
    assert!(decisions > 90_000 && required > 0, "{decisions} decisions, {required} licence required");
}
