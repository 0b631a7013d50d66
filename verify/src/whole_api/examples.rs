//! The response examples to decode, for each JSON response (success and
//! error) of each operation the client has:
//!
//! - the document's own examples of the response: its media type's `example`,
//!   and each of its `examples` (inline or `$ref`s into `components/examples`);
//! - bodies composed from the response's schema ([`Purpose::Response`]):
//!   every property, each from its `example` where the schema writes one, so
//!   every property example of a response is decoded in place. One body per
//!   variant of each `oneOf`/`anyOf` met: an untagged enum that picks the
//!   wrong variant decodes, but loses the fields only the right one has, which
//!   the round trip ([`differences`]) shows. And one body with the required
//!   properties only, each nullable one `null`: what a terse server sends.
//!
//! The driver decodes each into the operation's generated type for that
//! status, exactly as the client decodes a body, and serializes it back.

use codegen::ir::{Content, Operation};
use serde_json::Value;

use schema_values::doc::{escape, json_media, Document};
use schema_values::synth::{Finding, Purpose, Synth};

/// Bodies composed per response at most: the first, and one per variant.
const MAX_BODIES_PER_RESPONSE: usize = 16;
/// How the sparse body of a response is named in a report.
const SPARSE: &str = "required properties only, nullable ones null";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Written in the document as an example of the whole response.
    Document,
    /// Composed from the schema and the examples written in it.
    Composed,
}

#[derive(Debug, Clone)]
pub struct Example {
    pub operation: String,
    pub status: String,
    pub source: Source,
    /// Where it is written (a document example), or the response (composed).
    pub pointer: String,
    /// For a composed body with another variant than the first: which.
    pub variant: Option<String>,
    pub value: Value,
}

#[derive(Debug, Default)]
pub struct Collected {
    pub examples: Vec<Example>,
    pub findings: Vec<Finding>,
    /// The distinct schema `example`s the composed bodies carry.
    pub schema_examples: Vec<String>,
}

pub fn collect<'a>(doc: &Document, operations: impl IntoIterator<Item = &'a Operation>) -> Collected {
    let mut collected = Collected::default();
    for operation in operations {
        let method = operation.http_method.as_str().to_ascii_lowercase();
        let Some(place) = doc.operation(&operation.path, &method) else { continue };
        for response in operation.successes.iter().chain(&operation.errors) {
            if !matches!(response.content, Content::Json(_)) {
                continue;
            }
            let Some((spec_response, at)) = place.response(&response.status) else { continue };
            let Some((media, media_object)) = spec_response.get("content").and_then(json_media) else { continue };
            let at = format!("{at}/content/{}", escape(media));
            let mut add = |source, pointer: String, variant: Option<String>, value: Value| {
                collected.examples.push(Example {
                    operation: operation.operation_id.clone(),
                    status: response.status.clone(),
                    source,
                    pointer,
                    variant,
                    value,
                });
            };
            if let Some(example) = media_object.get("example") {
                add(Source::Document, format!("{at}/example"), None, example.clone());
            }
            for (name, example) in media_object.get("examples").and_then(Value::as_object).into_iter().flatten() {
                let (example, named) = doc.resolve(example);
                let pointer = named.map_or_else(|| format!("{at}/examples/{}", escape(name)), str::to_owned);
                match example.get("value") {
                    Some(value) => add(Source::Document, pointer, None, value.clone()),
                    None => collected.findings.push(Finding {
                        pointer,
                        message: "an example without `value` (`externalValue` is not fetched)".to_owned(),
                    }),
                }
            }
            let Some(schema) = media_object.get("schema") else { continue };
            let at = format!("{at}/schema");
            let mut first = Synth::new(doc, Purpose::Response);
            let value = first.value(schema, &at);
            add(Source::Composed, at.clone(), None, value);
            let mut used = first.examples_used;
            let mut findings = first.findings;
            let variants: Vec<(&String, usize)> =
                first.unions.iter().flat_map(|(union, count)| (1..*count).map(move |index| (union, index))).collect();
            if variants.len() >= MAX_BODIES_PER_RESPONSE {
                findings.push(Finding {
                    pointer: at.clone(),
                    message: format!(
                        "{} union variants; bodies are composed for the first {} only",
                        variants.len(),
                        MAX_BODIES_PER_RESPONSE - 1
                    ),
                });
            }
            for (union, index) in variants.into_iter().take(MAX_BODIES_PER_RESPONSE - 1) {
                let mut other = Synth::new(doc, Purpose::Response).choosing(union, index);
                let value = other.value(schema, &at);
                add(Source::Composed, at.clone(), Some(format!("variant {union}/{index}")), value);
                used.extend(other.examples_used);
                findings.extend(other.findings);
            }
            let mut sparse = Synth::new(doc, Purpose::Response).sparse();
            let value = sparse.value(schema, &at);
            add(Source::Composed, at.clone(), Some(SPARSE.to_owned()), value);
            findings.extend(sparse.findings);
            collected.schema_examples.extend(used);
            collected.findings.extend(findings);
        }
    }
    collected.schema_examples.sort();
    collected.schema_examples.dedup();
    collected.findings.sort();
    collected.findings.dedup();
    collected
}

/// Where `decoded` (the example decoded and serialized again) differs from
/// `example`, as JSON paths: a field lost, added or changed. A field the
/// client adds as `null` (an optional one left out) is no difference; numbers
/// are compared by value (`1` and `1.0` are the same).
pub fn differences(example: &Value, decoded: &Value) -> Vec<String> {
    let mut out = Vec::new();
    compare(example, decoded, "", &mut out);
    out
}

fn compare(example: &Value, decoded: &Value, path: &str, out: &mut Vec<String>) {
    match (example, decoded) {
        (Value::Object(written), Value::Object(back)) => {
            for (key, value) in written {
                let path = format!("{path}.{key}");
                match back.get(key) {
                    Some(again) => compare(value, again, &path, out),
                    None if value.is_null() => {}
                    None => out.push(format!("`{path}` is lost")),
                }
            }
            for (key, value) in back {
                if !written.contains_key(key) && !value.is_null() {
                    out.push(format!("`{path}.{key}` appears as {}", short(value)));
                }
            }
        }
        (Value::Array(written), Value::Array(back)) => {
            if written.len() != back.len() {
                out.push(format!("`{path}` has {} items, not {}", back.len(), written.len()));
                return;
            }
            for (index, (value, again)) in written.iter().zip(back).enumerate() {
                compare(value, again, &format!("{path}[{index}]"), out);
            }
        }
        (Value::Number(written), Value::Number(back)) if written.as_f64() == back.as_f64() => {}
        (written, back) if written == back => {}
        (written, back) => {
            let path = if path.is_empty() { "." } else { path };
            out.push(format!("`{path}` is {} instead of {}", short(back), short(written)));
        }
    }
}

/// A value as a short text, for a report line.
fn short(value: &Value) -> String {
    let text = value.to_string();
    match text.char_indices().nth(60) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_round_trip_that_keeps_everything_has_no_difference() {
        let example = json!({"id": "a", "n": 1, "items": [{"x": 1.0}], "gone": null});
        let decoded = json!({"id": "a", "n": 1.0, "items": [{"x": 1, "optional": null}]});
        assert_eq!(differences(&example, &decoded), Vec::<String>::new());
    }

    #[test]
    fn a_wrong_variant_shows_as_lost_and_added_fields() {
        let example = json!({"verification": {"status": "verified", "strategy": "oauth", "external": "x"}});
        let decoded = json!({"verification": {"status": "verified", "strategy": "oauth", "attempts": 0}});
        assert_eq!(
            differences(&example, &decoded),
            ["`.verification.external` is lost", "`.verification.attempts` appears as 0"]
        );
        assert_eq!(differences(&json!([1, 2]), &json!([1])), ["`` has 1 items, not 2"]);
        assert_eq!(differences(&json!("a"), &json!("b")), ["`.` is \"b\" instead of \"a\""]);
    }

    #[test]
    fn document_and_composed_examples_are_collected_per_status() {
        let doc = Document::new(json!({
            "paths": {"/things": {"get": {
                "operationId": "GetThing",
                "responses": {
                    "200": {"description": "ok", "content": {"application/json": {
                        "schema": {"type": "object", "properties": {
                            "id": {"type": "string", "example": "t_1"},
                            "kind": {"oneOf": [{"type": "string"}, {"type": "integer"}]}
                        }},
                        "examples": {
                            "inline": {"value": {"id": "t_2"}},
                            "shared": {"$ref": "#/components/examples/Thing"},
                            "far": {"externalValue": "https://example.com/thing.json"}
                        }
                    }}},
                    "404": {"description": "none", "content": {"application/json": {"example": {"errors": []}}}}
                }
            }}},
            "components": {"examples": {"Thing": {"value": {"id": "t_3"}}}}
        }));
        let generated = codegen::generate_from(
            &serde_json::from_value(json!({
                "openapi": "3.0.3", "info": {"title": "t", "version": "1"},
                "paths": {"/things": {"get": {
                    "operationId": "GetThing", "tags": ["T"],
                    "responses": {
                        "200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object", "properties": {"id": {"type": "string"}}}}}},
                        "404": {"description": "none", "content": {"application/json": {"schema": {"type": "object"}}}}
                    }
                }}}
            }))
            .unwrap(),
            &codegen::Options::new(codegen::Selection { tag: None, operation_ids: vec![] }),
        )
        .unwrap();
        let collected = collect(&doc, generated.api.operations());
        let shown: Vec<(String, Source, String, Option<String>)> = collected
            .examples
            .iter()
            .map(|example| (example.status.clone(), example.source, example.pointer.clone(), example.variant.clone()))
            .collect();
        let ok = "#/paths/~1things/get/responses/200/content/application~1json";
        assert_eq!(
            shown,
            [
                ("200".to_owned(), Source::Document, format!("{ok}/examples/inline"), None),
                ("200".to_owned(), Source::Document, "#/components/examples/Thing".to_owned(), None),
                ("200".to_owned(), Source::Composed, format!("{ok}/schema"), None),
                (
                    "200".to_owned(),
                    Source::Composed,
                    format!("{ok}/schema"),
                    Some(format!("variant {ok}/schema/properties/kind/oneOf/1"))
                ),
                ("200".to_owned(), Source::Composed, format!("{ok}/schema"), Some(SPARSE.to_owned())),
                (
                    "404".to_owned(),
                    Source::Document,
                    "#/paths/~1things/get/responses/404/content/application~1json/example".to_owned(),
                    None
                ),
            ]
        );
        assert_eq!(collected.examples[2].value, json!({"id": "t_1", "kind": "example"}));
        assert_eq!(collected.examples[3].value, json!({"id": "t_1", "kind": 1}));
        assert_eq!(collected.schema_examples, [format!("{ok}/schema/properties/id/example")]);
        assert_eq!(collected.findings.len(), 1, "{:?}", collected.findings);
        assert_eq!(collected.findings[0].pointer, format!("{ok}/examples/far"));
    }
}
