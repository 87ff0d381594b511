//! Exit codes, failures and how they are reported on standard error.

use std::process::{ExitCode, Termination};

use export_controls::diagnostic::Code;
use export_controls::files::printable;
use export_controls::{Diagnostic, Diagnostics, EvaluateError, LoadError};

use super::ErrorFormat;

/// The process's exit code. README.md ("Exit codes") lists the same codes and meanings; a test
/// checks that it does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Exit {
    /// 0: the command did its work: a determination (whatever the verdict), classification,
    /// listing, screen, import or report was made, or the check it runs passed.
    Success = 0,
    /// 1: the command ran and its check failed: a rule test failed (`test`), the pack has
    /// errors (`lint`), a rule file changed since the lock (`verify`), a replayed determination
    /// differs (`replay`).
    Failed = 1,
    /// 2: usage error: the command line is wrong (clap's own errors exit with 2 as well).
    Usage = 2,
    /// 3: rule or input error: a file is missing, unreadable or invalid, or a value read from
    /// a file cannot be evaluated.
    Input = 3,
    /// 4: `replay` of a stored record (a line of `records export`) made by another engine than
    /// the one replaying it (another build, or one the record does not name) gives another
    /// determination (E0608): the difference may be the engine's; replay it with the binary
    /// that made it. A difference under the same engine is 1.
    OtherEngine = 4,
    /// 5: `replay` of a line of `records export` whose hash cannot be checked (exported before
    /// lines carried `hashed`, `prev_hash` and `hash`): the determination replays the same, but
    /// the line may have been altered consistently; `records verify --head` on the store tells.
    Unverified = 5,
}

impl Exit {
    /// Every exit code.
    #[cfg(test)]
    pub const ALL: [Exit; 6] =
        [Exit::Success, Exit::Failed, Exit::Usage, Exit::Input, Exit::OtherEngine, Exit::Unverified];

    /// The numeric code.
    pub fn code(self) -> u8 {
        self as u8
    }

    /// Success when `passed`, otherwise [`Exit::Failed`].
    pub fn passed(passed: bool) -> Exit {
        if passed { Exit::Success } else { Exit::Failed }
    }

    /// How the README's table of exit codes starts the meaning of this code.
    #[cfg(test)]
    pub fn summary(self) -> &'static str {
        match self {
            Exit::Success => "the command did its work",
            Exit::Failed => "the command ran and its check failed",
            Exit::Usage => "usage error",
            Exit::Input => "rule or input error",
            Exit::OtherEngine => "the replayed record was made by another engine and differs",
            Exit::Unverified => "the replayed record line's hash cannot be checked",
        }
    }
}

impl Termination for Exit {
    fn report(self) -> ExitCode {
        ExitCode::from(self.code())
    }
}

/// A failure with its exit code, and the diagnostics behind it when there are some.
pub struct Failure {
    /// [`Exit::Usage`] or [`Exit::Input`].
    pub exit: Exit,
    /// One line, printed after `error: ` (`error[CODE]: ` with a [`Failure::code`]).
    pub message: String,
    /// Located diagnostics, rendered instead of the message when there are some.
    pub diagnostics: Vec<Diagnostic>,
    /// The stable code (rules/ERRORS.md) of an error about a value of the command line that
    /// has one, the code a file or request body with the same value gets (an empty item of
    /// `--products`, E0533; a `--party` the pack refuses, E05xx; a `--region` outside Ukraine,
    /// E0512): printed as diagnostics print theirs, `error[E0533]: --products: ...`, and as
    /// `code` in `--error-format json`. `None`: no code (clap's kind of usage error).
    pub code: Option<Code>,
}

impl Failure {
    /// This failure with the stable `code` of its error.
    pub fn with_code(self, code: Code) -> Failure {
        Failure { code: Some(code), ..self }
    }
}

/// A usage error: the command line is wrong.
pub fn usage(message: impl Into<String>) -> Failure {
    Failure { exit: Exit::Usage, message: message.into(), diagnostics: Vec::new(), code: None }
}

/// A rule or input error: a file is missing, unreadable or invalid.
pub fn input(message: impl std::fmt::Display) -> Failure {
    Failure { exit: Exit::Input, message: message.to_string(), diagnostics: Vec::new(), code: None }
}

impl From<LoadError> for Failure {
    fn from(e: LoadError) -> Self {
        match e {
            LoadError::Invalid(d) => d.into(),
            other => input(other),
        }
    }
}

impl From<Diagnostics> for Failure {
    fn from(d: Diagnostics) -> Self {
        Failure { exit: Exit::Input, message: d.to_string(), diagnostics: d.0, code: None }
    }
}

pub use export_controls::origin::{Origin, QueryOrigins};

impl From<Origin> for Exit {
    /// The library's mapping ([`Origin::exit_code`]): a value typed on the command line is a
    /// usage error, one read from a file an input error.
    fn from(o: Origin) -> Exit {
        match o {
            Origin::CommandLine => Exit::Usage,
            Origin::File => Exit::Input,
        }
    }
}

/// A failure about a value of an [`Origin`]: a usage error about a value that came from a file
/// is an input error.
pub trait OriginFailure {
    /// `f` with the exit code of this origin when it is a usage error.
    fn attribute(self, f: Failure) -> Failure;
    /// A failure about a value of this origin, with its exit code.
    fn failure(self, message: impl Into<String>) -> Failure;
}

impl OriginFailure for Origin {
    fn attribute(self, f: Failure) -> Failure {
        match f.exit {
            Exit::Usage => Failure { exit: Exit::from(self), ..f },
            _ => f,
        }
    }

    fn failure(self, message: impl Into<String>) -> Failure {
        Failure { exit: Exit::from(self), message: message.into(), diagnostics: Vec::new(), code: None }
    }
}

/// The failure for an error of the library's evaluation, with the exit code of the value that
/// caused it ([`QueryOrigins::of`]).
pub trait QueryFailure {
    /// The failure for `e`.
    fn failure(self, e: EvaluateError) -> Failure;
}

impl QueryFailure for QueryOrigins {
    fn failure(self, e: EvaluateError) -> Failure {
        self.of(&e).failure(e.to_string())
    }
}

/// Writes the output in one write (a reader that closed the pipe early, `| head`, is not an
/// error), then the failure if there is one, and returns the exit code. Everything printed
/// goes through [`printable`]: a control character, line separator or direction control in
/// a name or value is written as its escape (`\u001b`), never raw.
pub fn finish(out: &str, result: Result<Exit, Failure>, error_format: ErrorFormat) -> Exit {
    let mut stdout = std::io::stdout().lock();
    let out = printable(out);
    let _ = std::io::Write::write_all(&mut stdout, out.as_bytes()).and_then(|()| std::io::Write::flush(&mut stdout));
    match result {
        Ok(exit) => exit,
        Err(f) => {
            match error_format {
                // The header of a diagnostic without a place: `error[E0533]: ...`.
                ErrorFormat::Human if f.diagnostics.is_empty() => match f.code {
                    Some(code) => eprintln!("{}[{code}]: {}", code.severity(), printable(&f.message)),
                    None => eprintln!("error: {}", printable(&f.message)),
                },
                // The library's one renderer, as `lint` and the service show diagnostics.
                ErrorFormat::Human => eprintln!("{}", printable(&Diagnostics(f.diagnostics).to_string())),
                ErrorFormat::Json => {
                    let mut v = serde_json::json!({
                        "exit_code": f.exit.code(),
                        "message": f.message,
                        "diagnostics": f.diagnostics,
                    });
                    if let (Some(code), Some(o)) = (f.code, v.as_object_mut()) {
                        o.insert("code".into(), code.to_string().into());
                    }
                    eprintln!("{}", printable(&serde_json::to_string_pretty(&v).unwrap_or_default()));
                }
            }
            f.exit
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Exit;

    /// README.md's table of exit codes has one row per [`Exit`], in order, each starting with
    /// its summary.
    #[test]
    fn the_readme_lists_every_exit_code() {
        let readme = include_str!("../../../../README.md");
        let section = readme.lines().skip_while(|l| !l.starts_with("Exit codes"));
        let rows: Vec<&str> = section.filter(|l| l.starts_with("| `")).collect();
        assert_eq!(rows.len(), Exit::ALL.len(), "{rows:#?}");
        for (row, exit) in rows.iter().zip(Exit::ALL) {
            let expected = format!("| `{}` | {}", exit.code(), exit.summary());
            assert!(row.starts_with(&expected), "README row `{row}` should start with `{expected}`");
        }
    }

    #[test]
    fn the_codes_are_0_to_5() {
        assert_eq!(Exit::ALL.map(Exit::code), [0, 1, 2, 3, 4, 5]);
    }
}
