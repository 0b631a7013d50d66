//! `empty-prose`: `""` and whitespace-only prose (spaces, tabs, newlines,
//! no-break and other Unicode spaces, zero-width characters) in every place
//! prose is read: the document's info, tags, operations' summaries and
//! descriptions, parameters, request bodies, responses, schemas and their
//! titles, properties, enum values and union members' titles. Empty prose
//! counts as absent: the crate has `#![deny(missing_docs)]`, so every case must
//! generate and compile.

use serde_json::{json, Map, Value};

use super::case::{Case, Expect};
use super::doc;
use super::rng::Rng;

/// Prose with nothing to say.
const BLANKS: &[&str] = &[
    "",
    " ",
    "   ",
    "\t",
    "\n",
    "\n\n",
    " \t\n ",
    "\r\n",
    "\u{a0}",
    "\u{a0}\u{a0}",
    "\u{2003}",
    "\u{3000}",
    "\u{200b}",
    "\u{feff}",
    " \u{a0}\t\u{200b}\n",
];

/// Where blank prose was put, for the report.
struct Prose<'r> {
    rng: &'r mut Rng,
    places: Vec<String>,
}

impl Prose<'_> {
    /// Sets `key` of `object` to blank prose most of the time, to a sentence
    /// or (where OpenAPI allows) to nothing otherwise.
    fn put(&mut self, object: &mut Value, key: &str, place: &str) {
        // OpenAPI requires these.
        let required = (place == "info" && key == "title") || (place == "response" && key == "description");
        match self.rng.below(10) {
            0 if !required => {}
            0 | 1 => object[key] = Value::String(format!("The {place}.")),
            _ => {
                object[key] = Value::String(self.rng.pick(BLANKS).to_string());
                self.places.push(format!("{place} {key}"));
            }
        }
    }
}

pub fn case(rng: &mut Rng) -> Case {
    let selection = doc::selection(rng);
    let mut prose = Prose { rng, places: Vec::new() };
    let mut document = doc::skeleton("Empty prose");
    prose.put(&mut document["info"], "title", "info");
    prose.put(&mut document["info"], "description", "info");
    let mut tag = json!({"name": selection.tag});
    prose.put(&mut tag, "description", "tag");
    document["tags"] = json!([tag]);

    let (thing, status, kind) = add_schemas(&mut document, &mut prose);
    // An operation with parameters of every place and a JSON body, and one
    // that answers with the schemas.
    let mut create = json!({"operationId": "CreateThing", "parameters": parameters(&mut prose)});
    prose.put(&mut create, "summary", "operation");
    prose.put(&mut create, "description", "operation");
    let mut body = doc::json_body(doc::reference(&thing));
    prose.put(&mut body, "description", "request body");
    create["requestBody"] = body;
    create["responses"] = responses(&mut prose, &thing);
    doc::add_operation(&mut document, "/things/{thing_id}", "post", &selection.tag, create);

    let mut list = json!({"operationId": "ListThings"});
    prose.put(&mut list, "summary", "operation");
    prose.put(&mut list, "description", "operation");
    let mut parameter = json!({"name": "status", "in": "query", "schema": doc::reference(&status)});
    prose.put(&mut parameter, "description", "parameter");
    list["parameters"] = json!([parameter]);
    list["responses"] = responses(&mut prose, &kind);
    doc::add_operation(&mut document, "/things", "get", &selection.tag, list);

    if prose.rng.chance(40) {
        let mut upload = json!({"operationId": "UploadThing"});
        prose.put(&mut upload, "summary", "operation");
        let mut file = json!({"type": "string", "format": "binary"});
        prose.put(&mut file, "description", "form field");
        let mut note = json!({"type": "string"});
        prose.put(&mut note, "description", "form field");
        let mut form = json!({"type": "object", "properties": {"file": file, "note": note}, "required": ["file"]});
        prose.put(&mut form, "description", "form");
        let mut body = json!({"required": true, "content": {"multipart/form-data": {"schema": form}}});
        prose.put(&mut body, "description", "request body");
        upload["requestBody"] = body;
        doc::add_operation(&mut document, "/things/upload", "post", &selection.tag, upload);
    }

    let places = std::mem::take(&mut prose.places);
    let mut case = Case::new(
        format!("blank prose in {} places", places.len().min(20) / 5 * 5),
        doc::yaml(&document),
        Expect::Generate,
    );
    case.args = selection.args;
    case.detail = format!("blank: {}", places.join(", "));
    case
}

/// Path, query and header parameters, each with blank prose on itself and its schema.
fn parameters(prose: &mut Prose) -> Value {
    let mut list = Vec::new();
    for (name, place) in [("thing_id", "path"), ("verbose", "query"), ("X-Trace", "header")] {
        let mut schema = json!({"type": if place == "query" { "boolean" } else { "string" }});
        prose.put(&mut schema, "description", "parameter schema");
        let mut parameter = json!({"name": name, "in": place, "required": place == "path", "schema": schema});
        prose.put(&mut parameter, "description", "parameter");
        list.push(parameter);
    }
    Value::Array(list)
}

/// A `200` of `schema` and an error response, both with blank descriptions.
fn responses(prose: &mut Prose, schema: &str) -> Value {
    let mut ok = json!({"content": {"application/json": {"schema": doc::reference(schema)}}});
    prose.put(&mut ok, "description", "response");
    let mut missing = json!({});
    prose.put(&mut missing, "description", "response");
    json!({"200": ok, "404": missing})
}

/// An object with blank prose on itself and its properties (among them an
/// inline object, an enum with blank values, and a union whose inline members
/// have blank titles), the enum, and a union of kinds; their names.
fn add_schemas(document: &mut Value, prose: &mut Prose) -> (String, String, String) {
    let mut status = json!({"type": "string", "enum": enum_values(prose.rng)});
    prose.put(&mut status, "description", "enum");
    prose.put(&mut status, "title", "enum");
    doc::add_schema(document, "Status", status);

    let mut properties = Map::new();
    for (name, schema) in [
        ("name", json!({"type": "string"})),
        ("count", json!({"type": "integer", "format": "int64"})),
        ("tags", json!({"type": "array", "items": {"type": "string"}})),
        ("status", doc::reference("Status")),
        ("details", json!({"type": "object", "properties": {"note": {"type": "string"}}})),
        ("mode", json!({"type": "string", "enum": enum_values(prose.rng)})),
    ] {
        let mut property = schema;
        if property.get("$ref").is_none() {
            prose.put(&mut property, "description", "property");
            prose.put(&mut property, "title", "property");
        }
        if let Some(note) = property.pointer_mut("/properties/note") {
            prose.put(note, "description", "nested property");
        }
        properties.insert(name.into(), property);
    }
    let mut thing = json!({"type": "object", "properties": properties, "required": ["name"]});
    prose.put(&mut thing, "description", "schema");
    prose.put(&mut thing, "title", "schema");
    doc::add_schema(document, "Thing", thing);

    // Untagged union members named from their (blank) titles.
    let mut first = json!({"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]});
    prose.put(&mut first, "title", "union member");
    prose.put(&mut first, "description", "union member");
    let mut second = json!({"type": "object", "properties": {"b": {"type": "integer"}}, "required": ["b"]});
    prose.put(&mut second, "title", "union member");
    let mut kind = json!({"oneOf": [first, second, {"type": "string"}]});
    prose.put(&mut kind, "description", "union");
    doc::add_schema(document, "Kind", kind);
    ("Thing".into(), "Status".into(), "Kind".into())
}

/// An enum's values: a real one and some blank ones (distinct).
fn enum_values(rng: &mut Rng) -> Value {
    let mut values = vec![Value::String("active".into())];
    let count = rng.between(0, 3);
    for blank in rng.several(&BLANKS[..8], count) {
        values.push(Value::String(blank.to_owned()));
    }
    Value::Array(values)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases_put_blank_prose_everywhere_prose_is_read() {
        let mut places = String::new();
        for seed in 0..200 {
            let case = case(&mut Rng::new(seed));
            let document: Value = serde_yaml::from_str(&case.spec).expect("YAML");
            assert_eq!(document["openapi"], "3.0.3");
            assert_eq!(case.expect, Expect::Generate);
            places.push_str(&case.detail);
        }
        for place in [
            "info title",
            "info description",
            "tag description",
            "operation summary",
            "operation description",
            "parameter description",
            "parameter schema description",
            "request body description",
            "response description",
            "schema description",
            "schema title",
            "property description",
            "property title",
            "nested property description",
            "enum description",
            "union member title",
            "form field description",
        ] {
            assert!(places.contains(place), "never blank: {place}");
        }
    }

    #[test]
    fn blank_values_survive_the_yaml() {
        let found = (0..200).any(|seed| {
            let case = case(&mut Rng::new(seed));
            let document: Value = serde_yaml::from_str(&case.spec).expect("YAML");
            document["components"]["schemas"]["Thing"]["description"] == "\u{a0}"
        });
        assert!(found, "a no-break space description reads back as one");
        let blank_enum = (0..50).any(|seed| {
            let document: Value = serde_yaml::from_str(&case(&mut Rng::new(seed)).spec).expect("YAML");
            document["components"]["schemas"]["Status"]["enum"]
                .as_array()
                .is_some_and(|values| values.contains(&json!("")))
        });
        assert!(blank_enum, "an empty enum value");
    }
}
