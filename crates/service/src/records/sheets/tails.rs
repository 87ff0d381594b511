//! The request columns of records of one catalog product end alike: the catalog sheets under
//! [`KEY`], as the pack wrote them when it was loaded (`LoadedPack::catalog_sheets_json`).
//! [`kept`] takes the sheets out of such a column ([`super::by_reference`]) without parsing
//! their text again (about 3.2 KB a sheet, parsed into a `serde_json::Value` and written again
//! for every record before): the column's end is looked up among those already taken apart by
//! parsing the whole column ([`remember`]), and only the transaction before it (a few hundred
//! bytes) is parsed and written again. The result is byte for byte what parsing the whole
//! column gives (tests in [`super`]).

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};

use super::{KEY, SheetRow};

/// A request column as a store keeps it, and the sheets taken out of it.
pub(super) type Kept = (String, Vec<SheetRow>);

/// Most column ends remembered (a catalog has about fifty products; a sheet sent inline that
/// contains catalog products adds the end of its own).
const KNOWN_TAILS: usize = 256;

/// Column ends ([`KNOWN`]) and what each became.
type Tails = HashMap<String, Kept>;

/// Column ends taken apart by parsing (the text after `,"catalog_sheets":`), each with what
/// it became: its text as kept (the key's value without the sheets' text, and the closing
/// brace) and the sheets taken out.
static KNOWN: LazyLock<Mutex<Tails>> = LazyLock::new(|| Mutex::new(HashMap::new()));

/// `request` split before its first `,"catalog_sheets":`: the entries before it as
/// `serde_json` writes them (`{"k":v,...`, without a closing brace: what parsing the whole
/// column and writing it again gives for them), and the text after it. `None` when the text
/// before it is not an object's entries on their own (the key nested, or none there), or when
/// it holds the key too (a whole parse would keep that entry's place).
fn split(request: &str) -> Option<(String, &str)> {
    let mark = format!(",\"{KEY}\":");
    let pos = request.find(&mark)?;
    let (head, tail) = (request.get(..pos)?, request.get(pos + mark.len()..)?);
    let mut text = String::with_capacity(head.len() + 1);
    text.push_str(head);
    text.push('}');
    let value: serde_json::Value = serde_json::from_str(&text).ok()?;
    let object = value.as_object()?;
    if object.is_empty() || object.contains_key(KEY) {
        return None;
    }
    let mut entries = value.to_string();
    entries.pop();
    Some((entries, tail))
}

/// The column as kept and its sheets, when a column with the same end was taken apart before
/// ([`remember`]); `None` otherwise (then it is parsed whole).
pub(super) fn kept(request: &str) -> Option<Kept> {
    let (entries, tail) = split(request)?;
    let known = KNOWN.lock().ok()?;
    let (kept_tail, rows) = known.get(tail)?;
    Some((format!("{entries},\"{KEY}\":{kept_tail}"), rows.clone()))
}

/// Remembers what parsing `request` whole made of it (`kept`), under the column's end, when
/// that end is the key's value (an array) and the closing brace and nothing more: what it
/// becomes then depends on that text alone (each sheet taken out when its text hashes to its
/// `sha256`), whatever the transaction before it.
pub(super) fn remember(request: &str, kept: &Kept) {
    let Some((entries, tail)) = split(request) else { return };
    let Some(array) = tail.strip_suffix('}') else { return };
    if !matches!(serde_json::from_str::<serde_json::Value>(array), Ok(serde_json::Value::Array(_))) {
        return;
    }
    let Some(kept_tail) = kept.0.strip_prefix(&format!("{entries},\"{KEY}\":")) else { return };
    if let Ok(mut k) = KNOWN.lock()
        && k.len() < KNOWN_TAILS
    {
        k.insert(tail.to_string(), (kept_tail.to_string(), kept.1.clone()));
    }
}
