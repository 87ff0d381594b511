//! Decides every case of the peer benchmark once with one implementation, inside a function
//! named `measured`, so that `valgrind --tool=callgrind --toggle-collect='*measured*'` counts the
//! instructions of the decisions alone: setup (loading the pack, parsing the policies, compiling
//! the decision, preparing the products) is left out. The decisions run through
//! `Runner::run`, the code the bench times. Run by `benches/peers/callgrind.sh`.
//!
//!   cargo run --release -p peers --example count -- <implementation>
//!   cargo run --release -p peers --example count -- --list
//!
//! Prints `<implementation>\t<decisions>` on stdout (`--list`: the implementations, one a line).

use std::hint::black_box;

use peers::cases::{Impl, Setup};

/// The instructions counted are those executed inside this function (and its callees).
#[inline(never)]
fn measured(f: &mut dyn FnMut()) {
    f()
}

fn main() {
    let which = std::env::args().nth(1).unwrap_or_else(|| panic!("usage: count <implementation> | --list"));
    if which == "--list" {
        Impl::all_built().for_each(|i| println!("{}", i.name()));
        return;
    }
    let imp = Impl::parse(&which).unwrap_or_else(|| panic!("unknown implementation {which}"));
    let setup = Setup::benchmark();
    let runner = setup.runner(imp);
    measured(&mut || {
        runner.run(|a| {
            black_box(a);
        })
    });
    println!("{which}\t{}", setup.cases.len());
}
