//! The words read in a product sheet's free text (`name`, `package`, `memory.kind`), each list
//! declared once with its source, and [`names_word`], the reader of the lists read word by
//! word. A sheet's typed fields decide; these words only raise a doubt, never clear.

/// Words that describe a part as a stack of memory dies (`HBM3E 12-high stack`, `HBM stacks`,
/// `stacked DRAM`), read by [`names_word`] as the start of a word of `name` or `package`. An HBM
/// device is a stack of DRAM dies on a base die (JEDEC JESD235, High Bandwidth Memory DRAM): an
/// integrated circuit so described may be the memory itself, whose main function is not logic
/// (the Note to 3A090.c, 89 FR 96790; tester round 8, T6: such a stack escaped 3A090.c).
pub(crate) const STACK_WORDS: &[&str] = &["STACK"];

/// How a memory kind names HBM: the abbreviation, and the name JEDEC gives it spelled out
/// (JESD235, High Bandwidth Memory), read with its letters run together (`High Bandwidth Memory
/// 3E`): the spelled-out name is read as the abbreviation, whose generation suffix (`3E`)
/// follows it.
pub(crate) const HBM_NAMES: (&str, &str) = ("HBM", "HIGHBANDWIDTHMEMORY");

/// `text`, trimmed, when some word of it (read as names are:
/// [`normalize_name`](crate::names::normalize_name)) starts with a word of `words` (`STACK` for
/// `stacks`, `stacked`); `None` otherwise.
pub(crate) fn names_word<'a>(text: &'a str, words: &[&str]) -> Option<&'a str> {
    let key = crate::names::normalize_name(text);
    key.split(' ').any(|w| words.iter().any(|s| w.starts_with(s))).then(|| text.trim())
}
