//! The requests of each operation as JSON, built by the synthesizer from the
//! document: the minimal one (every required path, query and header
//! parameter, and the body with its required properties) and the full one
//! (every parameter, and every property of the body but `readOnly` ones). The
//! driver deserializes each value into the type of the setter it passes it
//! to, so the client serializes what Prism then validates.
//!
//! A documented body is always sent, also when it is optional: its
//! serialization is what most often breaks a contract. A form always has its
//! files.

use codegen::ir::{FormValue, Operation};
use serde_json::{json, Map, Value};

use schema_values::doc::{json_media, Document, OperationDoc};
use schema_values::synth::{merge_all_of, Finding, Purpose, Synth};

/// The content type of a file part when the document names none.
const DEFAULT_FILE_TYPE: &str = "application/octet-stream";

/// Each operation's requests, in order, and what the synthesizer could not honour.
pub struct Fixtures {
    /// The minimal request of each operation.
    pub requests: Vec<(String, Value)>,
    /// The full request of each operation.
    pub full_requests: Vec<(String, Value)>,
    pub findings: Vec<Finding>,
    /// Parameters and body fields whose value came from the document's own
    /// `example`, `default` or first `enum` value.
    pub examples_used: usize,
    /// Each JSON body's schema (operationId, schema, where it is written).
    pub body_schemas: Vec<(String, Value, String)>,
}

pub fn build<'a>(doc: &Document, operations: impl IntoIterator<Item = &'a Operation>) -> Fixtures {
    let mut fixtures = Fixtures {
        requests: Vec::new(),
        full_requests: Vec::new(),
        findings: Vec::new(),
        examples_used: 0,
        body_schemas: Vec::new(),
    };
    for operation in operations {
        let method = operation.http_method.as_str().to_ascii_lowercase();
        let Some(place) = doc.operation(&operation.path, &method) else {
            fixtures.findings.push(Finding {
                pointer: format!("#/paths/{}", schema_values::doc::escape(&operation.path)),
                message: format!("{} is not in the document read as JSON", operation.operation_id),
            });
            continue;
        };
        let mut synth = Synth::new(doc, Purpose::Request);
        let (minimal, body_schema) = request(doc, &mut synth, &place, operation, false);
        if let Some((schema, at)) = body_schema {
            fixtures.body_schemas.push((operation.operation_id.clone(), schema, at));
        }
        fixtures.examples_used += synth.examples_used.len();
        fixtures.findings.extend(synth.findings);
        fixtures.requests.push((operation.operation_id.clone(), minimal));
        let mut synth = Synth::new(doc, Purpose::Request).full();
        let (full, _) = request(doc, &mut synth, &place, operation, true);
        fixtures.findings.extend(synth.findings);
        fixtures.full_requests.push((operation.operation_id.clone(), full));
    }
    fixtures.findings.sort();
    fixtures.findings.dedup();
    fixtures
}

/// The request (`full`: with every parameter), and the schema of its JSON
/// body with where it is written.
fn request(
    doc: &Document,
    synth: &mut Synth,
    place: &OperationDoc,
    operation: &Operation,
    full: bool,
) -> (Value, Option<(Value, String)>) {
    let mut request = Map::new();
    let mut body_schema = None;
    let query = operation.query.iter().flat_map(|query| &query.params);
    let groups = [
        ("path", operation.path_params.iter().collect::<Vec<_>>()),
        ("query", query.filter(|param| full || param.required).collect()),
        ("header", operation.headers.iter().filter(|param| full || param.required).collect()),
    ];
    for (location, params) in groups {
        let values: Map<String, Value> = params
            .into_iter()
            .map(|param| (param.wire_name.clone(), parameter(synth, place, location, &param.wire_name)))
            .collect();
        request.insert(location.to_owned(), Value::Object(values));
    }
    if let Some(body) = &operation.body {
        match place.request_body() {
            None => synth_missing(synth, &place.pointer(), "requestBody"),
            Some((spec_body, at)) => {
                let content = spec_body.get("content").unwrap_or(&Value::Null);
                match &body.form {
                    Some(form) => {
                        let (form_values, files) = form_fields(doc, synth, content, &at, form, full);
                        request.insert("form".to_owned(), form_values);
                        request.insert("files".to_owned(), files);
                    }
                    None => {
                        let value = match json_media(content) {
                            Some((media, media_object)) => {
                                let at = format!("{at}/content/{}/schema", schema_values::doc::escape(media));
                                let schema = media_object.get("schema").cloned().unwrap_or_else(|| json!({}));
                                let value = synth.value(&schema, &at);
                                body_schema = Some((schema, at));
                                value
                            }
                            None => {
                                synth_missing(synth, &at, "a JSON media type");
                                Value::Null
                            }
                        };
                        request.insert("body".to_owned(), value);
                    }
                }
            }
        }
    }
    (Value::Object(request), body_schema)
}

fn synth_missing(synth: &mut Synth, at: &str, what: &str) {
    synth.findings.push(Finding {
        pointer: at.to_owned(),
        message: format!("the generated call has a body but the document has no {what}"),
    });
}

/// A parameter's value: its own `example` or `examples` when they fit its
/// schema, else one built from the schema.
fn parameter(synth: &mut Synth, place: &OperationDoc, location: &str, name: &str) -> Value {
    let Some((parameter, at)) = place.parameter(location, name) else {
        synth.findings.push(Finding {
            pointer: place.pointer(),
            message: format!("the {location} parameter `{name}` of the generated call is not in the document"),
        });
        return Value::Null;
    };
    let mut candidates: Vec<(&Value, String)> = Vec::new();
    if let Some(example) = parameter.get("example") {
        candidates.push((example, format!("{at}/example")));
    }
    for (key, example) in parameter.get("examples").and_then(Value::as_object).into_iter().flatten() {
        if let Some(value) = example.get("value") {
            candidates.push((value, format!("{at}/examples/{}/value", schema_values::doc::escape(key))));
        }
    }
    let empty = json!({});
    let (schema, schema_at) = match parameter.get("schema") {
        Some(schema) => (schema, format!("{at}/schema")),
        // `content` instead of `schema`: the one media type's schema.
        None => match parameter.get("content").and_then(Value::as_object).and_then(|content| content.iter().next()) {
            Some((media, object)) => (
                object.get("schema").unwrap_or(&empty),
                format!("{at}/content/{}/schema", schema_values::doc::escape(media)),
            ),
            None => (&empty, at.clone()),
        },
    };
    synth.value_preferring(&candidates, schema, &schema_at)
}

/// The required text fields of a form as JSON values, and, for each file
/// field the call needs, the content type the document gives its part.
fn form_fields(
    doc: &Document,
    synth: &mut Synth,
    content: &Value,
    at: &str,
    form: &codegen::ir::Form,
    full: bool,
) -> (Value, Value) {
    let media = content.get("multipart/form-data");
    let at = format!("{at}/content/multipart~1form-data");
    let schema = media.and_then(|media| media.get("schema")).cloned().unwrap_or_else(|| json!({}));
    let schema = merge_all_of(doc, &doc.resolve(&schema).0.clone(), 0);
    let mut values = Map::new();
    let mut files = Map::new();
    // Files always: Prism reads a form without parts as no body at all (and
    // refuses it when the body is required), and the file is the point of an
    // upload.
    let is_file = |field: &&codegen::ir::FormField| matches!(field.value, FormValue::File | FormValue::Files);
    for field in form.fields.iter().filter(|field| full || field.required || is_file(field)) {
        match &field.value {
            FormValue::File | FormValue::Files => {
                let content_type = media
                    .and_then(|media| media.get("encoding"))
                    .and_then(|encoding| encoding.get(&field.wire_name))
                    .and_then(|encoding| encoding.get("contentType"))
                    .and_then(Value::as_str)
                    .and_then(|types| types.split(',').next())
                    .map(str::trim)
                    .filter(|first| !first.is_empty() && !first.contains('*'))
                    .unwrap_or(DEFAULT_FILE_TYPE);
                files.insert(field.wire_name.clone(), json!({ "content_type": content_type }));
            }
            FormValue::Text(_) => {
                let property = schema.get("properties").and_then(|properties| properties.get(&field.wire_name));
                let at = format!("{at}/schema/properties/{}", schema_values::doc::escape(&field.wire_name));
                let value = synth.value(property.unwrap_or(&json!({})), &at);
                values.insert(field.wire_name.clone(), value);
            }
        }
    }
    (Value::Object(values), Value::Object(files))
}
