//! Structural comparison of two OpenAPI documents over the selected operations and
//! every component they reach, ignoring prose. It proves that `spec/` is a faithful
//! slice of Clerk's published document: any difference in an operation, parameter,
//! field, type, `required`, `nullable`, enum value, default or bound is listed.
//!
//! It works on plain JSON values rather than `openapiv3` types so that no key the
//! typed model drops can hide a difference.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::error::pointer;

/// Keys that hold prose (or presentation) rather than structure.
const PROSE: &[&str] =
    &["description", "summary", "externalDocs", "example", "examples", "x-logo", "contact", "termsOfService"];

/// Keys of arrays whose order carries no meaning: compared as sets of values.
const SETS: &[&str] = &["required", "enum", "tags", "statusCodes"];

const METHODS: &[&str] = &["get", "put", "post", "delete", "patch", "head", "options", "trace"];

/// Every structural difference between `ours` (the vendored slice) and `theirs`
/// (upstream), one readable line each; empty when they agree.
pub fn compare(ours: &Value, theirs: &Value, tag: &str) -> Vec<String> {
    let mut out = Vec::new();
    let our_ops = tagged_operations(ours, tag);
    let their_ops = tagged_operations(theirs, tag);
    for (id, (at, _)) in &our_ops {
        if !their_ops.contains_key(id) {
            out.push(format!("operation {id} ({at}) is only in spec/"));
        }
    }
    for (id, (at, op)) in &their_ops {
        match our_ops.get(id) {
            None => out.push(format!("operation {id} ({at}) is only upstream")),
            Some((our_at, _)) if our_at != at => {
                out.push(format!("operation {id} is at {our_at} in spec/ but at {at} upstream"))
            }
            Some((_, our_op)) => diff(at, our_op, op, "", &mut out),
        }
    }

    let mut components = BTreeSet::new();
    for (_, op) in our_ops.values() {
        collect_refs(ours, op, &mut components);
    }
    for (_, op) in their_ops.values() {
        collect_refs(theirs, op, &mut components);
    }
    for reference in &components {
        match (resolve(ours, reference), resolve(theirs, reference)) {
            (Some(a), Some(b)) => diff(reference, a, b, "", &mut out),
            (Some(_), None) => out.push(format!("{reference}: only in spec/")),
            (None, Some(_)) => out.push(format!("{reference}: only upstream")),
            (None, None) => out.push(format!("{reference}: referenced but defined in neither document")),
        }
    }

    for root in ["/info/version", "/servers", "/security", "/x-speakeasy-retries", "/openapi"] {
        let at = format!("#{root}");
        match (ours.pointer(root), theirs.pointer(root)) {
            (Some(a), Some(b)) => diff(&at, a, b, "", &mut out),
            (Some(_), None) => out.push(format!("{at}: only in spec/")),
            (None, Some(_)) => out.push(format!("{at}: only upstream")),
            (None, None) => {}
        }
    }
    let schemes = |doc: &Value| -> BTreeSet<String> {
        doc.get("security")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_object)
            .flat_map(|o| o.keys().cloned())
            .collect()
    };
    for scheme in schemes(ours).union(&schemes(theirs)) {
        let at = pointer("#/components/securitySchemes", scheme);
        match (resolve(ours, &at), resolve(theirs, &at)) {
            (Some(a), Some(b)) => diff(&at, a, b, "", &mut out),
            (Some(_), None) => out.push(format!("{at}: only in spec/")),
            (None, Some(_)) => out.push(format!("{at}: only upstream")),
            (None, None) => out.push(format!("{at}: used by `security` but defined in neither document")),
        }
    }
    out
}

/// operationId → (pointer, operation) for operations carrying `tag`.
fn tagged_operations<'v>(doc: &'v Value, tag: &str) -> BTreeMap<String, (String, &'v Value)> {
    let mut found = BTreeMap::new();
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else { return found };
    for (path, item) in paths {
        let Some(item) = item.as_object() else { continue };
        for (method, op) in item {
            if !METHODS.contains(&method.as_str()) {
                continue;
            }
            let tagged = op.get("tags").and_then(Value::as_array).is_some_and(|tags| tags.iter().any(|t| t == tag));
            if let (true, Some(id)) = (tagged, op.get("operationId").and_then(Value::as_str)) {
                found.insert(id.to_owned(), (pointer(&pointer("#/paths", path), method), op));
            }
        }
    }
    found
}

fn resolve<'v>(doc: &'v Value, reference: &str) -> Option<&'v Value> {
    doc.pointer(reference.strip_prefix('#')?)
}

/// Adds every `$ref` reachable from `value` (following into components) to `seen`.
fn collect_refs(doc: &Value, value: &Value, seen: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                if let (true, Some(reference)) = (key == "$ref", child.as_str()) {
                    if seen.insert(reference.to_owned()) {
                        if let Some(target) = resolve(doc, reference) {
                            collect_refs(doc, target, seen);
                        }
                    }
                } else {
                    collect_refs(doc, child, seen);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| collect_refs(doc, item, seen)),
        _ => {}
    }
}

fn diff(at: &str, ours: &Value, theirs: &Value, key: &str, out: &mut Vec<String>) {
    match (ours, theirs) {
        (Value::Object(a), Value::Object(b)) => {
            // Inside `properties` the keys are field names, never prose.
            let prose = |k: &str| key != "properties" && PROSE.contains(&k);
            for (k, value) in a {
                if prose(k) {
                    continue;
                }
                match b.get(k) {
                    Some(other) => diff(&pointer(at, k), value, other, k, out),
                    None => out.push(format!("{}: only in spec/ ({})", pointer(at, k), short(value))),
                }
            }
            for (k, value) in b {
                if !prose(k) && !a.contains_key(k) {
                    out.push(format!("{}: only upstream ({})", pointer(at, k), short(value)));
                }
            }
        }
        (Value::Array(a), Value::Array(b)) if SETS.contains(&key) => {
            for value in a.iter().filter(|v| !b.contains(v)) {
                out.push(format!("{at}: {} only in spec/", short(value)));
            }
            for value in b.iter().filter(|v| !a.contains(v)) {
                out.push(format!("{at}: {} only upstream", short(value)));
            }
        }
        (Value::Array(a), Value::Array(b)) if key == "parameters" => {
            let keyed = |list: &Vec<Value>| -> Vec<(String, Value)> {
                list.iter().map(|p| (parameter_key(p), p.clone())).collect()
            };
            let (a, b) = (keyed(a), keyed(b));
            for (index, (name, value)) in a.iter().enumerate() {
                match b.iter().position(|(other, _)| other == name) {
                    Some(position) if position != index => {
                        out.push(format!("{at}: parameter {name} is number {index} in spec/ but {position} upstream"))
                    }
                    Some(position) => diff(&pointer(at, &index.to_string()), value, &b[position].1, "", out),
                    None => out.push(format!("{at}: parameter {name} only in spec/")),
                }
            }
            for (name, _) in b.iter().filter(|(name, _)| !a.iter().any(|(other, _)| other == name)) {
                out.push(format!("{at}: parameter {name} only upstream"));
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            for (index, (x, y)) in a.iter().zip(b).enumerate() {
                diff(&pointer(at, &index.to_string()), x, y, "", out);
            }
            if a.len() != b.len() {
                out.push(format!("{at}: {} items in spec/, {} upstream", a.len(), b.len()));
            }
        }
        (a, b) if a == b => {}
        (a, b) => out.push(format!("{at}: {} in spec/, {} upstream", short(a), short(b))),
    }
}

/// `query:limit`, or the `$ref` a parameter is given by.
fn parameter_key(parameter: &Value) -> String {
    if let Some(reference) = parameter.get("$ref").and_then(Value::as_str) {
        return reference.to_owned();
    }
    let field = |name: &str| parameter.get(name).and_then(Value::as_str).unwrap_or("?").to_owned();
    format!("{}:{}", field("in"), field("name"))
}

/// A value shown in a message: scalars whole, containers summarised.
fn short(value: &Value) -> String {
    let text = value.to_string();
    if text.len() <= 60 {
        text
    } else {
        format!("{}…", text.chars().take(57).collect::<String>())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc(maximum: i64, description: &str) -> Value {
        json!({
            "paths": {"/x": {"get": {
                "operationId": "GetX", "tags": ["T"], "summary": description,
                "parameters": [{"$ref": "#/components/parameters/Limit"}],
                "responses": {"200": {"description": description}}
            }}},
            "components": {"parameters": {"Limit": {
                "name": "limit", "in": "query", "description": description,
                "schema": {"type": "integer", "maximum": maximum}
            }}}
        })
    }

    #[test]
    fn prose_differences_are_ignored() {
        assert_eq!(compare(&doc(500, "one"), &doc(500, "two"), "T"), Vec::<String>::new());
    }

    #[test]
    fn a_changed_bound_is_reported_with_its_pointer() {
        let differences = compare(&doc(500, "one"), &doc(400, "one"), "T");
        assert_eq!(differences, vec!["#/components/parameters/Limit/schema/maximum: 500 in spec/, 400 upstream"]);
    }

    #[test]
    fn a_property_named_description_is_structure() {
        let with = json!({"properties": {"description": {"type": "string"}}});
        let without = json!({"properties": {}});
        let mut out = Vec::new();
        diff("#", &with, &without, "", &mut out);
        assert_eq!(out, vec![r#"#/properties/description: only in spec/ ({"type":"string"})"#]);
    }
}
