//! `group-features`: documents of several groups (`--all-tags`), which get a
//! cargo feature per group and a gate on each model by the groups that reach
//! it. Groups are named like the crate's own features (`default`, `native
//! tls`), like each other after snake-casing, or like modules the crate has;
//! models are reached by one group, several or all, through bodies, answers,
//! lists and other models, and the error model by every group. Each case must
//! generate and compile, or be refused with one error line.

use serde_json::json;

use super::case::{Case, Expect};
use super::doc::{self, reference};
use super::rng::Rng;

/// Group names, hostile ones first: the crate's features, names that become
/// the same module, modules the crate has, keywords.
const NAMES: &[&str] = &[
    "default",
    "Default",
    "default group",
    "native tls",
    "rustls-tls",
    "reqwest client",
    "models",
    "client",
    "type",
    "Pets",
    "pets",
    "Owners",
    "stores",
    "Store Items",
];

pub fn case(rng: &mut Rng) -> Case {
    let groups: Vec<&str> = (0..rng.between(2, 5)).map(|_| *rng.pick(NAMES)).collect();
    let mut document = doc::skeleton("Group features");
    // The error model, answered by every operation.
    doc::add_schema(
        &mut document,
        "Errors",
        json!({"type": "object", "required": ["errors"], "properties": {
            "errors": {"type": "array", "items": {"type": "object", "properties": {"code": {"type": "string"}}}}}}),
    );
    // Models, each later one able to hold an earlier one.
    let models = rng.between(1, 5);
    for index in 0..models {
        let mut properties = json!({"id": {"type": "string"}});
        if index > 0 && rng.chance(50) {
            let held = reference(&format!("Model{}", rng.below(index)));
            properties["held"] = if rng.chance(50) { json!({"type": "array", "items": held}) } else { held };
        }
        doc::add_schema(&mut document, &format!("Model{index}"), json!({"type": "object", "properties": properties}));
    }
    let mut used = Vec::new();
    for (number, group) in groups.iter().enumerate() {
        for operation in 0..rng.between(1, 3) {
            let model = reference(&format!("Model{}", rng.below(models)));
            let mut responses = doc::json_response(model.clone());
            responses["404"] = json!({"description": "Not found.", "content": {"application/json": {
                "schema": reference("Errors")}}});
            let id = format!("Op{number}x{operation}");
            let mut body = json!({"operationId": id, "responses": responses});
            let method = if rng.chance(50) {
                used.push("a body");
                body["requestBody"] = doc::json_body(model);
                "post"
            } else {
                "get"
            };
            doc::add_operation(&mut document, &format!("/g{number}/o{operation}"), method, group, body);
        }
    }
    used.sort();
    used.dedup();
    let mut case = Case::new(format!("{} groups", groups.len()), doc::yaml(&document), Expect::Either);
    case.args = vec!["--all-tags".to_owned()];
    case.detail = format!("groups {groups:?}, {models} models{}", if used.is_empty() { "" } else { ", bodies" });
    case
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    #[test]
    fn cases_name_groups_like_the_crates_features_and_share_models() {
        let mut text = String::new();
        for seed in 0..200 {
            let case = case(&mut Rng::new(seed));
            assert_eq!(case.args, ["--all-tags"]);
            let document: Value = serde_yaml::from_str(&case.spec).expect("YAML");
            assert!(document["components"]["schemas"]["Errors"].is_object());
            text.push_str(&case.spec);
        }
        for name in ["- default", "- native tls", "- rustls-tls", "- models", "- type"] {
            assert!(text.contains(name), "{name}");
        }
        assert!(text.contains("held:"), "a model holds another");
    }
}
