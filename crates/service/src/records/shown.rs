//! Values quoted in the messages of the record checks.

/// Longest value quoted whole in a message, in characters.
const SHOWN: usize = 120;

/// A value for a message: whole up to [`SHOWN`] characters, otherwise its first 100 and last
/// 19 characters around `…`, so that a megabyte column is never copied into a report.
pub(crate) fn shorten(value: &str) -> String {
    let n = value.chars().count();
    if n <= SHOWN {
        return value.to_string();
    }
    let head: String = value.chars().take(100).collect();
    let tail: String = value.chars().skip(n - 19).collect();
    format!("{head}…{tail}")
}
