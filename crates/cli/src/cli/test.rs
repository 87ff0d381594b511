//! `test`: a pack's rule tests.

use clap::{Args, ValueEnum};
use export_controls::rule_tests::{parse_test_files, read_test_dir, run_cases, split_sheets};

use super::args::{CatalogArgs, PackDirArgs, load_rules};
use super::exit::{Exit, Failure};
use super::json;

#[derive(Args)]
pub struct TestArgs {
    #[command(flatten)]
    pack: PackDirArgs,
    #[command(flatten)]
    catalog: CatalogArgs,
    /// Run only cases whose name contains this text.
    #[arg(long)]
    filter: Option<String>,
    /// Report format: human (with rule coverage), json, or junit (XML for CI systems).
    #[arg(long, value_enum, default_value = "human")]
    format: TestFormat,
}

/// How the test report is printed.
#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum TestFormat {
    // One line per failure, the count and the rules no case reached.
    Human,
    // The report as JSON.
    Json,
    // JUnit XML, for CI systems.
    Junit,
}

pub fn run(args: TestArgs, out: &mut String) -> Result<Exit, Failure> {
    let dir = &args.pack.dir;
    let rules = load_rules(Some(dir))?;
    let catalog = args.catalog.load()?;
    let tests = dir.join("tests");
    let files = if tests.exists() { read_test_dir(&tests)? } else { Vec::new() };
    let (files, sheets) = split_sheets(files);
    let catalog = catalog.with_sheets(&sheets)?;
    let cases = parse_test_files(&files, &catalog, &rules)?;
    let report = run_cases(&rules, &catalog, cases, args.filter.as_deref());
    match args.format {
        TestFormat::Human => outp!(out, "{}", report.render_with_coverage(&rules)),
        TestFormat::Json => outln!(out, "{}", json(&report.to_json(&rules))?),
        TestFormat::Junit => outp!(out, "{}", report.render_junit()),
    }
    Ok(Exit::passed(report.success()))
}
