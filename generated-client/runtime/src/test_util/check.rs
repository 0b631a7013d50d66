//! The mock's checks against the API's document: of each request it gets
//! (parameters and body), and of each answer a test scripts (status and
//! body), with `schema_values`, which reads OpenAPI 3.0 schemas as OpenAPI
//! says (not as JSON Schema) and is the checker the contract tests use.

use schema_values::doc::{json_media, OperationDoc};
use schema_values::synth::{fits, schema_type, Purpose};
use serde_json::Value;

use super::document::Parsed;

/// Statuses any server may answer with, documented or not: rate limits and
/// a gateway's failures. A test may script them for any operation; their body
/// is checked only when the operation documents them.
pub(crate) const ANY_SERVER_MAY_SEND: [u16; 4] = [429, 502, 503, 504];

/// A request's body, as the mock reads it.
pub(crate) enum SentBody {
    None,
    /// JSON, or why it did not parse.
    Json(Result<Value, String>),
    /// A form or a file: its parts are not checked.
    Other,
}

/// What is wrong with a request to `operation`, as one line each; empty when
/// it fits the document. `path` holds the path parameters by name, `query`
/// the query as sent (decoded).
pub(crate) fn request_problems(
    parsed: &Parsed,
    operation: OperationDoc<'_>,
    path: &[(String, String)],
    query: &[(String, String)],
    body: &SentBody,
) -> Vec<String> {
    let mut problems = Vec::new();
    for (name, text) in path {
        if let Some((parameter, _)) = operation.parameter("path", name) {
            if let Err(reason) = parameter_fits(parsed, parameter, &[text.as_str()]) {
                problems.push(format!("path parameter `{name}`: {reason}"));
            }
        }
    }
    let mut names: Vec<&str> = query.iter().map(|(name, _)| name.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    for name in names {
        let values: Vec<&str> = query.iter().filter(|(key, _)| key == name).map(|(_, value)| value.as_str()).collect();
        match operation.parameter("query", name) {
            Some((parameter, _)) => {
                if let Err(reason) = parameter_fits(parsed, parameter, &values) {
                    problems.push(format!("query parameter `{name}`: {reason}"));
                }
            }
            None => problems.push(format!("query parameter `{name}` is not in the document")),
        }
    }
    for required in required_query(parsed, operation) {
        if !query.iter().any(|(name, _)| *name == required) {
            problems.push(format!("required query parameter `{required}` is missing"));
        }
    }
    let body_doc = operation.request_body();
    let schema = body_doc
        .as_ref()
        .and_then(|(body, _)| body.get("content"))
        .and_then(json_media)
        .and_then(|(_, media)| media.get("schema"));
    match (body, body_doc) {
        (SentBody::Json(Ok(value)), Some(_)) => {
            if let Some(schema) = schema {
                if let Err(reason) = fits(&parsed.doc, schema, value, Purpose::Request, 0) {
                    problems.push(format!("body: {}", at_path(&reason)));
                }
            }
        }
        (SentBody::Json(Err(reason)), _) => problems.push(format!("body: {reason}")),
        (SentBody::Json(Ok(_)) | SentBody::Other, None) => {
            problems.push("a body was sent to an operation that takes none".to_owned())
        }
        (SentBody::None, Some((body, _))) => {
            if body.get("required").and_then(Value::as_bool) == Some(true) {
                problems.push("the required body is missing".to_owned());
            }
        }
        (SentBody::Other, Some(_)) | (SentBody::None, None) => {}
    }
    problems
}

/// The names of the operation's required query parameters, its path item's
/// included.
fn required_query(parsed: &Parsed, operation: OperationDoc<'_>) -> Vec<String> {
    let lists = [operation.operation.get("parameters"), parsed.doc.pointer(&path_item_pointer(&operation))];
    let mut names = Vec::new();
    for list in lists.into_iter().flatten() {
        let list = if list.is_array() { Some(list) } else { list.get("parameters") };
        for parameter in list.and_then(Value::as_array).into_iter().flatten() {
            let (parameter, _) = parsed.doc.resolve(parameter);
            let required = parameter.get("required").and_then(Value::as_bool) == Some(true);
            if required && parameter.get("in").and_then(Value::as_str) == Some("query") {
                if let Some(name) = parameter.get("name").and_then(Value::as_str) {
                    names.push(name.to_owned());
                }
            }
        }
    }
    names
}

fn path_item_pointer(operation: &OperationDoc<'_>) -> String {
    format!("#/paths/{}", schema_values::doc::escape(operation.path))
}

/// Whether the texts a parameter was sent as fit its schema: each read as
/// the schema's type says (a number, a boolean, or the items of a list).
fn parameter_fits(parsed: &Parsed, parameter: &Value, texts: &[&str]) -> Result<(), String> {
    let Some(schema) = parameter.get("schema") else { return Ok(()) };
    let (resolved, _) = parsed.doc.resolve(schema);
    let value = if schema_type(resolved) == Some("array") {
        let items = resolved.get("items").map(|items| parsed.doc.resolve(items).0);
        // A list is sent as the parameter repeated, or as one comma-separated text.
        let texts: Vec<&str> = if texts.len() == 1 { texts[0].split(',').collect() } else { texts.to_vec() };
        Value::Array(texts.iter().map(|text| typed(items, text)).collect::<Result<_, _>>()?)
    } else {
        match texts {
            [text] => typed(Some(resolved), text)?,
            _ => return Err(format!("sent {} times, but it is not a list", texts.len())),
        }
    };
    fits(&parsed.doc, schema, &value, Purpose::Request, 0).map_err(|reason| at_path(&reason))
}

/// `text` as the JSON value a schema of its type reads.
fn typed(schema: Option<&Value>, text: &str) -> Result<Value, String> {
    match schema.and_then(schema_type) {
        Some("integer" | "number") => match serde_json::from_str::<serde_json::Number>(text) {
            Ok(number) => Ok(Value::Number(number)),
            Err(_) => Err(format!("{text:?} is not a number")),
        },
        Some("boolean") => match text {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            _ => Err(format!("{text:?} is not `true` or `false`")),
        },
        _ => Ok(Value::String(text.to_owned())),
    }
}

/// The response the operation documents for `status`: exact, its range
/// (`4XX`) or `default`.
pub(crate) fn documented<'d>(operation: OperationDoc<'d>, status: u16) -> Option<&'d Value> {
    let exact = status.to_string();
    let range = format!("{}XX", status / 100);
    let found = [exact.as_str(), range.as_str(), "default"]
        .into_iter()
        .find_map(|key| operation.response(key).map(|(response, _)| response));
    found
}

/// The JSON schema of a documented response, if it has JSON content.
pub(crate) fn json_schema(response: &Value) -> Option<&Value> {
    response.get("content").and_then(json_media).and_then(|(_, media)| media.get("schema"))
}

/// Whether a documented response has content of any kind.
pub(crate) fn has_content(response: &Value) -> bool {
    response.get("content").and_then(Value::as_object).is_some_and(|content| !content.is_empty())
}

/// The status a successful call is answered with: the first 2XX the
/// operation documents.
pub(crate) fn success_status(operation: OperationDoc<'_>) -> Option<u16> {
    let responses = operation.operation.get("responses")?.as_object()?;
    responses
        .keys()
        .filter_map(|key| key.parse::<u16>().ok())
        .filter(|status| (200..300).contains(status))
        .min()
        .or_else(|| responses.keys().any(|key| key.eq_ignore_ascii_case("2XX")).then_some(200))
}

/// A reason from `fits` with the JSON path it starts with written as one:
/// `.data[0].status: …` → `$.data[0].status: …`.
pub(crate) fn at_path(reason: &str) -> String {
    // `fits` prefixes a reason with each level it went through, in turn:
    // `.data: [0]: required property …`.
    let mut path = String::from("$");
    let mut rest = reason;
    while rest.starts_with('.') || rest.starts_with('[') {
        let Some((segment, after)) = rest.split_once(": ") else { break };
        path.push_str(segment);
        rest = after;
    }
    format!("at {path}: {rest}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reason_names_its_json_path() {
        assert_eq!(
            at_path(".data[0].status: \"x\" is not one of the `enum` values"),
            "at $.data[0].status: \"x\" is not one of the `enum` values"
        );
        assert_eq!(at_path("[2]: 3 items"), "at $[2]: 3 items");
        assert_eq!(at_path(".data: [0]: .role: missing"), "at $.data[0].role: missing");
        assert_eq!(at_path("required property `id` is missing"), "at $: required property `id` is missing");
    }

    #[test]
    fn parameters_are_read_as_their_schema_types() {
        let number = serde_json::json!({"type": "integer"});
        assert_eq!(typed(Some(&number), "10"), Ok(serde_json::json!(10)));
        assert!(typed(Some(&number), "ten").unwrap_err().contains("not a number"));
        let flag = serde_json::json!({"type": "boolean"});
        assert_eq!(typed(Some(&flag), "true"), Ok(Value::Bool(true)));
        assert!(typed(Some(&flag), "yes").is_err());
        assert_eq!(typed(None, "x"), Ok(Value::String("x".to_owned())));
    }
}
