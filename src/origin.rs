//! Where a refused value of a query came from, and so the exit code of the error: one mapping,
//! used by the command line (its exit code, README.md "Exit codes") and by the HTTP service
//! (the `exit_code` of its problem details), so that the same value refused for the same reason
//! gets the same code from both.
//!
//! A value the library refuses (an unknown product, a date before the pack's coverage, the
//! United States as destination, a party it cannot evaluate) is a *usage error* (exit 2) when it
//! was typed on the command line, and a *rule or input error* (exit 3) when it was read from a
//! file: a `--transaction` file, or the body of an HTTP request, which is the same transaction.

use crate::EvaluateError;

/// Where a value of a query came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// A command-line flag, or the default of one.
    CommandLine,
    /// A file: a transaction file, a product sheet, or an HTTP request's body.
    File,
}

impl Origin {
    /// The origin of a value that a flag overrides: the file's when the flag is absent and
    /// there is a file.
    pub fn of(flag_given: bool, file_given: bool) -> Origin {
        if !flag_given && file_given { Origin::File } else { Origin::CommandLine }
    }

    /// The exit code of an error about a value of this origin (README.md, "Exit codes"): 2
    /// (usage error) for the command line, 3 (rule or input error) for a file.
    pub fn exit_code(self) -> u8 {
        match self {
            Origin::CommandLine => 2,
            Origin::File => 3,
        }
    }
}

/// Where the values an [`EvaluateError`] can name came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueryOrigins {
    /// The as-of date.
    pub date: Origin,
    /// The destination and the country of export.
    pub countries: Origin,
    /// The parties.
    pub parties: Origin,
}

impl QueryOrigins {
    /// Every value from the command line.
    pub const COMMAND_LINE: QueryOrigins =
        QueryOrigins { date: Origin::CommandLine, countries: Origin::CommandLine, parties: Origin::CommandLine };

    /// Every value from a file (a transaction file, an HTTP request's body).
    pub const FILE: QueryOrigins = QueryOrigins { date: Origin::File, countries: Origin::File, parties: Origin::File };

    /// The origin of the value an evaluation error is about.
    pub fn of(self, e: &EvaluateError) -> Origin {
        match e {
            EvaluateError::BeforeCoverage { .. } => self.date,
            EvaluateError::NotAnExport(_) | EvaluateError::Region(_) => self.countries,
            EvaluateError::Party(_) => self.parties,
        }
    }

    /// The exit code of an evaluation error: that of the origin of the value it is about.
    pub fn exit_code(self, e: &EvaluateError) -> u8 {
        self.of(e).exit_code()
    }
}

#[cfg(test)]
mod tests {
    use super::{Origin, QueryOrigins};
    use crate::{Country, Date, EvaluateError};

    fn before_coverage() -> EvaluateError {
        EvaluateError::BeforeCoverage {
            date: Date::from_ymd(2021, 6, 1).unwrap(),
            coverage_from: Date::from_ymd(2022, 1, 1).unwrap(),
            pack: "us-ear".into(),
        }
    }

    /// README.md's exit codes: 2 usage error (the command line), 3 rule or input error (a file).
    #[test]
    fn a_value_from_a_file_is_an_input_error_and_one_typed_a_usage_error() {
        assert_eq!(Origin::CommandLine.exit_code(), 2);
        assert_eq!(Origin::File.exit_code(), 3);
        assert_eq!(Origin::of(true, true), Origin::CommandLine);
        assert_eq!(Origin::of(false, true), Origin::File);
        assert_eq!(Origin::of(false, false), Origin::CommandLine);
    }

    #[test]
    fn an_evaluation_error_takes_the_origin_of_the_value_it_names() {
        let date_from_file = QueryOrigins { date: Origin::File, ..QueryOrigins::COMMAND_LINE };
        assert_eq!(date_from_file.exit_code(&before_coverage()), 3);
        assert_eq!(date_from_file.exit_code(&EvaluateError::NotAnExport(Country::US)), 2);
        assert_eq!(QueryOrigins::FILE.exit_code(&EvaluateError::NotAnExport(Country::US)), 3);
        assert_eq!(QueryOrigins::COMMAND_LINE.exit_code(&before_coverage()), 2);
    }
}
