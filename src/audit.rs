//! Tamper evidence and audit: a lock file recording the pack's content hashes
//! (`export-controls lock` / `verify`), and the replay of a past determination (`replay`).

use serde::{Deserialize, Serialize};

use crate::evaluate::{Options, PreparedProduct, Query};
use crate::model::{Exporter, Party, Product};
use crate::ruleset::RuleSet;

/// The content of `rules.lock`: the pack's identity and the sha256 of each file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lock {
    /// Pack name.
    pub pack: String,
    /// Pack version.
    pub version: String,
    /// The pack's content hash (see [`crate::ruleset::compile`]).
    pub sha256: String,
    /// Each rule file's sha256, by path.
    pub files: std::collections::BTreeMap<String, String>,
}

impl Lock {
    /// The lock of a loaded pack.
    pub fn of(rules: &RuleSet) -> Lock {
        Lock {
            pack: rules.pack.name.clone(),
            version: rules.pack.version.clone(),
            sha256: rules.pack.sha256.clone(),
            files: rules.pack.files.iter().cloned().collect(),
        }
    }

    /// The lock file's text.
    pub fn to_toml(&self) -> String {
        let body = toml::to_string(self).unwrap_or_default();
        format!(
            "# Written by `export-controls lock`; `export-controls verify` fails when the rules differ.\n# Review the change, then run `export-controls lock` again and commit this file.\n{body}"
        )
    }

    /// What differs between this lock (the reviewed state) and a pack: changed, added and
    /// removed files, and a version change. Empty when the pack matches.
    pub fn differences(&self, rules: &RuleSet) -> Vec<String> {
        let now = Lock::of(rules);
        let mut out = Vec::new();
        if self.pack != now.pack {
            out.push(format!("pack name: locked `{}`, found `{}`", self.pack, now.pack));
        }
        if self.version != now.version {
            out.push(format!("version: locked {}, found {}", self.version, now.version));
        }
        for (path, hash) in &now.files {
            match self.files.get(path) {
                None => out.push(format!("added: {path}")),
                Some(h) if h != hash => out.push(format!("changed: {path}")),
                Some(_) => {}
            }
        }
        for path in self.files.keys() {
            if !now.files.contains_key(path) {
                out.push(format!("removed: {path}"));
            }
        }
        if out.is_empty() && self.sha256 != now.sha256 {
            out.push(format!("content hash: locked {}, found {}", self.sha256, now.sha256));
        }
        out
    }
}

/// The inputs a determination records so that it can be replayed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inputs {
    /// The product with every figure used.
    pub product: Product,
    /// The parties.
    pub parties: Vec<Party>,
    /// The exporter's declarations.
    pub exporter: Exporter,
}

/// Why a replay could not be made or did not match.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReplayError {
    /// The file is not a determination written by this engine.
    #[error("not a determination: {0}")]
    NotADetermination(String),
    /// The pack given is not the one that made the determination.
    #[error(
        "the determination was made with pack {expected_name} sha256 {expected}, but the pack given is {found_name} sha256 {found}"
    )]
    WrongPack {
        /// Pack name recorded.
        expected_name: String,
        /// Hash recorded.
        expected: String,
        /// Pack name given.
        found_name: String,
        /// Hash of the pack given.
        found: String,
    },
    /// The replay produced a different determination.
    #[error(
        "the replayed determination differs from the recorded one at `{path}`:\n  recorded: {recorded}\n  replayed: {replayed}"
    )]
    Differs {
        /// JSON path of the first difference, e.g. `verdict` or `requirements[0].review_policy`.
        path: String,
        /// Recorded value there.
        recorded: String,
        /// Replayed value there.
        replayed: String,
    },
}

/// Re-evaluates a determination (JSON as written by `check --format json`) with `rules` and
/// checks that every value is the same (so the engine writes the same bytes again); formatting
/// of the stored JSON does not matter.
///
/// # Errors
/// [`ReplayError`] naming what is wrong.
pub fn replay(recorded: &str, rules: &RuleSet) -> Result<(), ReplayError> {
    let bad = |m: &str| ReplayError::NotADetermination(m.to_string());
    let v: serde_json::Value = serde_json::from_str(recorded).map_err(|e| bad(&e.to_string()))?;
    let text = |path: &[&str]| -> Result<String, ReplayError> {
        let mut cur = &v;
        for p in path {
            cur = cur.get(p).ok_or_else(|| bad(&format!("no `{}`", path.join("."))))?;
        }
        cur.as_str().map(str::to_string).ok_or_else(|| bad(&format!("`{}` is not text", path.join("."))))
    };
    let (name, sha) = (text(&["rules", "name"])?, text(&["rules", "sha256"])?);
    if sha != rules.pack.sha256 {
        return Err(ReplayError::WrongPack {
            expected_name: name,
            expected: sha,
            found_name: rules.pack.name.clone(),
            found: rules.pack.sha256.clone(),
        });
    }
    let inputs: Inputs = serde_json::from_value(v.get("inputs").cloned().ok_or_else(|| bad("no `inputs`"))?)
        .map_err(|e| bad(&e.to_string()))?;
    let parse_country = |s: String| s.parse().map_err(|e: crate::model::UnknownCountry| bad(&e.to_string()));
    let mut q = Query::export_to(
        parse_country(text(&["destination", "code"])?)?,
        text(&["as_of"])?.parse().map_err(|e: crate::date::DateError| bad(&e.to_string()))?,
    )
    .exported_from(parse_country(text(&["exported_from", "code"])?)?);
    q.parties = inputs.parties;
    q.exporter = inputs.exporter;
    let trace = v.get("trace").and_then(|t| t.as_array()).is_some_and(|t| !t.is_empty());
    let d = rules
        .evaluate(&PreparedProduct::new(inputs.product), &q, Options { trace })
        .map_err(|e| bad(&e.to_string()))?;
    // Compare the JSON values, not the text: formatting of a stored determination does not
    // matter; every value does.
    let replayed = serde_json::to_value(&d).map_err(|e| bad(&e.to_string()))?;
    match first_difference(&v, &replayed, String::new()) {
        None => Ok(()),
        Some((path, recorded, replayed)) => Err(ReplayError::Differs { path, recorded, replayed }),
    }
}

/// The first place two JSON values differ: (path, recorded, replayed).
fn first_difference(a: &serde_json::Value, b: &serde_json::Value, path: String) -> Option<(String, String, String)> {
    use serde_json::Value;
    let here = |p: &str| if p.is_empty() { "(root)".to_string() } else { p.to_string() };
    let join = |k: &str| if path.is_empty() { k.to_string() } else { format!("{path}.{k}") };
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (k, va) in x {
                match y.get(k) {
                    Some(vb) => {
                        if let Some(d) = first_difference(va, vb, join(k)) {
                            return Some(d);
                        }
                    }
                    None => return Some((join(k), va.to_string(), "(absent)".into())),
                }
            }
            y.iter().find(|(k, _)| !x.contains_key(*k)).map(|(k, v)| (join(k), "(absent)".into(), v.to_string()))
        }
        (Value::Array(x), Value::Array(y)) => {
            for (i, (va, vb)) in x.iter().zip(y).enumerate() {
                if let Some(d) = first_difference(va, vb, format!("{path}[{i}]")) {
                    return Some(d);
                }
            }
            (x.len() != y.len()).then(|| (here(&path), format!("{} items", x.len()), format!("{} items", y.len())))
        }
        _ => (a != b).then(|| (here(&path), a.to_string(), b.to_string())),
    }
}
