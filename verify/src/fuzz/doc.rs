//! Small OpenAPI documents for the generators: a skeleton with a server and no
//! operations, and helpers to add operations and components to it.

use serde_json::{json, Map, Value};

use super::rng::Rng;

/// The tag codegen selects by default.
pub const DEFAULT_TAG: &str = "Organization Invitations";

/// A document with an `info`, a server, and nothing to generate yet.
pub fn skeleton(title: &str) -> Value {
    json!({
        "openapi": "3.0.3",
        "info": {"title": title, "version": "1"},
        "servers": [{"url": "https://example.test/v1"}],
        "paths": {},
        "components": {"schemas": {}},
    })
}

/// The document as YAML text.
pub fn yaml(document: &Value) -> String {
    serde_yaml::to_string(document).unwrap_or_default()
}

/// `#/components/schemas/NAME` as a `$ref` object.
pub fn reference(name: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{name}")})
}

pub fn add_schema(document: &mut Value, name: &str, schema: Value) {
    if let Some(schemas) = document.pointer_mut("/components/schemas").and_then(Value::as_object_mut) {
        schemas.insert(name.to_owned(), schema);
    }
}

/// Adds `operation` at `path` and `method`, tagged `tag`.
pub fn add_operation(document: &mut Value, path: &str, method: &str, tag: &str, mut operation: Value) {
    if let Some(operation) = operation.as_object_mut() {
        operation.insert("tags".into(), json!([tag]));
        operation.entry("responses").or_insert_with(|| json!({"204": {"description": "Done."}}));
    }
    let Some(paths) = document.get_mut("paths").and_then(Value::as_object_mut) else { return };
    let item = paths.entry(path.to_owned()).or_insert_with(|| Value::Object(Map::new()));
    if let Some(item) = item.as_object_mut() {
        item.insert(method.to_owned(), operation);
    }
}

/// A required JSON request body of `schema`.
pub fn json_body(schema: Value) -> Value {
    json!({"required": true, "content": {"application/json": {"schema": schema}}})
}

/// Responses with a `200` of `schema`.
pub fn json_response(schema: Value) -> Value {
    json!({"200": {"description": "The result.", "content": {"application/json": {"schema": schema}}}})
}

/// Which operations a case selects: the tag its operations carry, and the
/// arguments that select it (the default tag, `--tag`, or `--all-tags`).
pub struct Selection {
    pub tag: String,
    pub args: Vec<String>,
}

pub fn selection(rng: &mut Rng) -> Selection {
    match rng.below(3) {
        0 => Selection { tag: DEFAULT_TAG.to_owned(), args: Vec::new() },
        1 => {
            let tag = rng.pick(&["Things", "Fuzz Cases", "widgets"]).to_string();
            Selection { args: vec!["--tag".to_owned(), tag.clone()], tag }
        }
        _ => Selection { tag: "Everything".to_owned(), args: vec!["--all-tags".to_owned()] },
    }
}
