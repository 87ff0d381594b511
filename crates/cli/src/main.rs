//! `export-controls`: command-line front end. Argument parsing and rendering only: every
//! decision is made by the library (`export-controls`), and the server, its records and the
//! reports (`serve`, `records`, `plot`, `check --format html`) are `export-controls-service`'s.
//! One module per subcommand in `cli/`; the exit codes are `cli::Exit` (0 done, 1 a check
//! failed, 2 usage error, 3 rule or input error).

mod cli;

use clap::Parser;

/// The binary's allocator: mimalloc (Microsoft's, MIT), for the binary only, so that the library
/// and the service crate leave the choice to those who link them. `serve` allocates and frees
/// many short-lived strings per determination (the trace, its 29 KB JSON): with glibc's
/// allocator that cost about 200,000 instructions per recorded determination (its free lists
/// consolidated on large requests); see crates/service/BENCHMARKS.md.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> cli::Exit {
    let cli = cli::Cli::parse();
    let error_format = cli.error_format;
    let mut out = String::new();
    let result = cli.run(&mut out);
    cli::finish(&out, result, error_format)
}
