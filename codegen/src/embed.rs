//! `src/document.rs`: the part of the document a generated crate keeps for its
//! test kit (the crate's `test-util` feature), which builds test values of its
//! models and checks a mock's requests and scripted answers against it.
//!
//! It is data, never code: the document as minified JSON in one Rust string
//! literal, escaped by `proc_macro2` like any other literal the generator
//! writes, so no text of a spec can end the literal. The crate's `lib.rs`
//! declares the module behind `test-util`, so a build without the feature
//! does not even read the file.
//!
//! What is kept:
//! - the generated operations (with the rest of their path items), and the
//!   components of the document;
//! - every schema keyword, example, default and extension. `description` and
//!   `summary` prose is left out, except inside examples, defaults and enums,
//!   which are values;
//! - `x-rust-types`: the pointer of the schema each generated type was made
//!   from, by Rust name, for the types whose schema is in the document.

use serde_json::{Map, Value};

use crate::{ir, Error};

/// Where the file goes in the crate.
pub const DOCUMENT_FILE: &str = "src/document.rs";

/// The key of the index of generated types in the kept document.
pub const TYPES_KEY: &str = "x-rust-types";

/// `src/document.rs`, after `header`, for `document` as `api` was lowered
/// from it.
pub fn document_rs(document: &openapiv3::OpenAPI, api: &ir::Api, header: &str) -> Result<String, Error> {
    let json = kept_json(document, api)?;
    let literal = proc_macro2::Literal::string(&json);
    Ok(format!(
        "{header}\n//! The part of the API's document the test kit reads (feature `test-util`): \
         the generated operations and the components, as JSON, without descriptions.\n\n\
         pub(crate) static DOCUMENT: &str = {literal};\n"
    ))
}

/// The kept part of `document`, as minified JSON.
pub fn kept_json(document: &openapiv3::OpenAPI, api: &ir::Api) -> Result<String, Error> {
    let mut root = serde_json::to_value(document)
        .map_err(|error| Error::new(format!("cannot write the document as JSON: {error}")))?;
    keep_operations(&mut root, api);
    strip_prose(&mut root);
    let mut types = Map::new();
    for (name, def) in &api.types {
        let resolves = def.origin.strip_prefix('#').is_some_and(|pointer| root.pointer(pointer).is_some());
        if resolves {
            types.insert(name.clone(), Value::String(def.origin.clone()));
        }
    }
    if let Some(root) = root.as_object_mut() {
        root.insert(TYPES_KEY.to_owned(), Value::Object(types));
    }
    serde_json::to_string(&root).map_err(|error| Error::new(format!("cannot write the document as JSON: {error}")))
}

/// Only the operations `api` has stay in `paths`, each with the rest of its
/// path item.
fn keep_operations(root: &mut Value, api: &ir::Api) {
    const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
    let Some(paths) = root.get_mut("paths").and_then(Value::as_object_mut) else { return };
    let mut kept = Map::new();
    for (path, item) in std::mem::take(paths) {
        let Value::Object(mut item) = item else { continue };
        let generated: Vec<String> = api
            .operations()
            .filter(|operation| operation.path == path)
            .map(|operation| operation.http_method.as_str().to_ascii_lowercase())
            .collect();
        if generated.is_empty() {
            continue;
        }
        item.retain(|key, _| !METHODS.contains(&key.as_str()) || generated.iter().any(|method| method == key));
        kept.insert(path, Value::Object(item));
    }
    *paths = kept;
}

/// Drops `description` and `summary` text, everywhere but in values.
fn strip_prose(value: &mut Value) {
    match value {
        Value::Object(map) => {
            // A property, schema or path named `description` holds an object;
            // only the keyword holds text.
            map.retain(|key, value| !(matches!(key.as_str(), "description" | "summary") && value.is_string()));
            for (key, value) in map.iter_mut() {
                let is_value =
                    matches!(key.as_str(), "example" | "examples" | "default" | "enum") || key.starts_with("x-");
                if !is_value {
                    strip_prose(value);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(strip_prose),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn prose_goes_but_values_and_names_stay() {
        let mut value = json!({
            "description": "prose",
            "properties": {
                "description": {"type": "string", "description": "prose", "example": {"description": "kept"}},
                "summary": {"type": "string", "default": "x", "enum": [{"summary": "kept"}]}
            },
            "x-note": {"description": "kept"}
        });
        strip_prose(&mut value);
        assert_eq!(
            value,
            json!({
                "properties": {
                    "description": {"type": "string", "example": {"description": "kept"}},
                    "summary": {"type": "string", "default": "x", "enum": [{"summary": "kept"}]}
                },
                "x-note": {"description": "kept"}
            })
        );
    }

    #[test]
    fn the_literal_holds_hostile_text_as_data() {
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /t:\n    get:\n      \
                    operationId: GetT\n      responses:\n        '200':\n          description: ok\n          \
                    content:\n            application/json:\n              schema:\n                \
                    type: string\n                example: \"\\\"; } fn main() { panic!(); } //\\r\\n\\u0000 r#\\\"#\"\n";
        let document: openapiv3::OpenAPI = serde_yaml::from_str(text).expect("a document");
        let options = crate::Options::new(crate::Selection { tag: None, operation_ids: Vec::new() });
        let generated = crate::generate_from(&document, &options).expect("it generates");
        let file = generated.files.iter().find(|file| file.path == DOCUMENT_FILE).expect("document.rs");
        let parsed = syn::parse_file(&file.contents).expect("document.rs is Rust");
        assert_eq!(parsed.items.len(), 1, "one item, the string: {}", file.contents);
        let syn::Item::Static(item) = &parsed.items[0] else { panic!("a static: {}", file.contents) };
        let syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(literal), .. }) = &*item.expr else {
            panic!("a string literal: {}", file.contents)
        };
        let kept: Value = serde_json::from_str(&literal.value()).expect("JSON");
        assert_eq!(
            kept.pointer("/paths/~1t/get/responses/200/content/application~1json/schema/example"),
            Some(&json!("\"; } fn main() { panic!(); } //\r\n\u{0} r#\"#"))
        );
    }
}
