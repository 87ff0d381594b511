//! `export-controls`: command-line front end. Argument parsing and rendering only: every
//! decision is made by the library (`export-controls`), and the server, its records and the
//! reports (`serve`, `records`, `plot`, `check --format html`) are `export-controls-service`'s.
//! One module per subcommand in `cli/`; the exit codes are `cli::Exit` (0 done, 1 a check
//! failed, 2 usage error, 3 rule or input error).

mod cli;

use clap::Parser;

fn main() -> cli::Exit {
    let cli = cli::Cli::parse();
    let error_format = cli.error_format;
    let mut out = String::new();
    let result = cli.run(&mut out);
    cli::finish(&out, result, error_format)
}
