//! The Cedar policy sets and the ZEN decision models the benchmark evaluates, rendered from
//! `src/formula.rs` into `rendered/` so that they can be read and reviewed. This test fails when
//! they are stale; regenerate with `UPDATE_RENDERED=1 cargo test -p peers --test rendered`.
//! Only with both peers built (the default features).
#![cfg(all(feature = "cedar", feature = "zen"))]

use std::path::Path;

use peers::cedar::{Policies, policy_text};
use peers::zen::{Rules, decision_json};

fn check(name: &str, text: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("rendered").join(name);
    if std::env::var_os("UPDATE_RENDERED").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
    }
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(on_disk == text, "{} is stale: UPDATE_RENDERED=1 cargo test -p peers --test rendered", path.display());
}

#[test]
fn rendered_encodings_are_current() {
    check("policies.cedar", &policy_text(Policies::Rules));
    check("policies-classified.cedar", &policy_text(Policies::Classified));
    for (name, which) in [("decision.json", Rules::Full), ("decision-classified.json", Rules::Classified)] {
        check(name, &(serde_json::to_string_pretty(&decision_json(which)).unwrap() + "\n"));
    }
}
