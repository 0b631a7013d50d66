//! `alias-loops`: schemas that refer back to themselves through compositions
//! and plain `$ref`s with no container between (`A: oneOf [A]`, `A: allOf [B]`
//! with `B: anyOf [A]`, a union that lists itself beside other members, …),
//! which have no Rust type and must be refused naming a pointer; and their
//! valid neighbours (recursion through an object's property, directly or
//! through a list item or a map value, one-member compositions of another type,
//! unions whose members recurse through a property), which must generate and
//! compile. Each is used from a request body, a response, or both.

use serde_json::{json, Value};

use super::case::{Case, Expect};
use super::doc::{self, reference};
use super::rng::Rng;

/// Component names the schemas take (distinct ones per case).
const NAMES: &[&str] = &["A", "B", "C", "Node", "Wrapper", "Item", "Entry", "Payload", "Shape", "Tree"];

/// How one schema leads to the next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Hop {
    OneOf,
    AnyOf,
    AllOf,
    /// A plain `$ref` alias.
    Ref,
}

const COMPOSITIONS: &[Hop] = &[Hop::OneOf, Hop::AnyOf, Hop::AllOf];
const HOPS: &[Hop] = &[Hop::OneOf, Hop::AnyOf, Hop::AllOf, Hop::Ref];

impl Hop {
    fn word(self) -> &'static str {
        match self {
            Hop::OneOf => "oneOf",
            Hop::AnyOf => "anyOf",
            Hop::AllOf => "allOf",
            Hop::Ref => "$ref",
        }
    }

    /// A schema that is `target` through this hop, with prose or `nullable`
    /// beside it sometimes (a plain `$ref` takes nothing beside it).
    fn to(self, target: &str, rng: &mut Rng) -> Value {
        let mut schema = match self {
            Hop::Ref => return reference(target),
            composition => json!({ composition.word(): [reference(target)] }),
        };
        decorate(&mut schema, rng);
        schema
    }
}

/// `nullable`, a description or a title beside a composition, as real documents write them.
fn decorate(schema: &mut Value, rng: &mut Rng) {
    let Some(object) = schema.as_object_mut() else { return };
    if rng.chance(30) {
        object.insert("nullable".into(), Value::Bool(true));
    }
    if rng.chance(30) {
        object.insert("description".into(), Value::String("Beside the composition.".into()));
    }
    if rng.chance(15) {
        object.insert("title".into(), Value::String("Titled".into()));
    }
}

pub fn case(rng: &mut Rng) -> Case {
    let names: Vec<&str> = rng.several(NAMES, 3);
    let mut document = doc::skeleton("Alias loops");
    let selection = doc::selection(rng);
    let (kind, expect) =
        if rng.chance(50) { add_loop(&mut document, &names, rng) } else { add_neighbour(&mut document, &names, rng) };
    let entry = names[0];
    let used = use_from_operations(&mut document, entry, &selection.tag, rng);
    let mut case = Case::new(kind, doc::yaml(&document), expect);
    case.args = selection.args;
    case.detail = format!("`{entry}` used {used}");
    case
}

/// A loop with no container: what codegen must refuse.
fn add_loop(document: &mut Value, names: &[&str], rng: &mut Rng) -> (String, Expect) {
    let kind = match rng.below(5) {
        0 => {
            // `A: oneOf [A]` (anyOf, allOf).
            let hop = *rng.pick(COMPOSITIONS);
            doc::add_schema(document, names[0], hop.to(names[0], rng));
            format!("loop: {0}: {1} [{0}]", "A", hop.word())
        }
        1 => {
            // A loop of two or three, compositions and plain `$ref`s mixed,
            // at least one composition.
            let length = rng.between(2, 3);
            let mut hops: Vec<Hop> = (0..length).map(|_| *rng.pick(HOPS)).collect();
            if !hops.iter().any(|hop| *hop != Hop::Ref) {
                hops[rng.below(length)] = *rng.pick(COMPOSITIONS);
            }
            for (index, hop) in hops.iter().enumerate() {
                let next = names[(index + 1) % length];
                doc::add_schema(document, names[index], hop.to(next, rng));
            }
            let words: Vec<&str> = hops.iter().map(|hop| hop.word()).collect();
            format!("loop of {length}: {}", words.join(" -> "))
        }
        2 => {
            // A union that lists itself beside other members: as an untagged
            // enum it would recurse forever when decoding.
            let hop = *rng.pick(&[Hop::OneOf, Hop::AnyOf]);
            let mut members = vec![reference(names[0]), json!({"type": "string"}), others(names[1], document)];
            let at = rng.below(members.len());
            members.swap(0, at);
            let mut schema = json!({ hop.word(): members });
            decorate(&mut schema, rng);
            doc::add_schema(document, names[0], schema);
            format!("loop: a {} listing itself beside other members", hop.word())
        }
        3 => {
            // allOf of itself and properties.
            let mut schema =
                json!({"allOf": [reference(names[0]), {"type": "object", "properties": {"note": {"type": "string"}}}]});
            decorate(&mut schema, rng);
            doc::add_schema(document, names[0], schema);
            "loop: allOf of itself and properties".to_owned()
        }
        _ => {
            // Only plain `$ref`s: an alias loop.
            let length = rng.between(1, 3);
            for index in 0..length {
                doc::add_schema(document, names[index], reference(names[(index + 1) % length]));
            }
            format!("loop of {length} plain $refs")
        }
    };
    (kind, Expect::RefuseAt)
}

/// An object named `name` with a string property, added to `document`; its `$ref`.
fn others(name: &str, document: &mut Value) -> Value {
    doc::add_schema(
        document,
        name,
        json!({"type": "object", "properties": {"label": {"type": "string"}}, "required": ["label"]}),
    );
    reference(name)
}

/// A valid neighbour of a loop: it must generate and compile.
fn add_neighbour(document: &mut Value, names: &[&str], rng: &mut Rng) -> (String, Expect) {
    let kind = match rng.below(5) {
        0 => {
            // Recursion through a property, the `$ref` maybe wrapped in a
            // one-member composition (how documents make a `$ref` nullable).
            let hop = *rng.pick(HOPS);
            let target = hop.to(names[0], rng);
            let field = recursive_field(target, rng);
            doc::add_schema(document, names[0], object_with("next", field, rng));
            format!("recursion through a property ({})", hop.word())
        }
        1 => {
            // Through a list item or a map value inside a property.
            let hop = *rng.pick(HOPS);
            let inner = hop.to(names[0], rng);
            let (container, field) = if rng.chance(50) {
                ("list", json!({"type": "array", "items": inner}))
            } else {
                ("map", json!({"type": "object", "additionalProperties": inner}))
            };
            doc::add_schema(document, names[0], object_with("children", field, rng));
            format!("recursion through a {container} ({})", hop.word())
        }
        2 => {
            // A loop of compositions that passes through one object's property.
            let length = rng.between(2, 3);
            let hops: Vec<Hop> = (0..length - 1).map(|_| *rng.pick(HOPS)).collect();
            for (index, hop) in hops.iter().enumerate() {
                doc::add_schema(document, names[index], hop.to(names[index + 1], rng));
            }
            let back = recursive_field(reference(names[0]), rng);
            doc::add_schema(document, names[length - 1], object_with("parent", back, rng));
            let words: Vec<&str> = hops.iter().map(|hop| hop.word()).collect();
            format!("recursion through a loop of {length}: {} -> object", words.join(" -> "))
        }
        3 => {
            // One-member compositions (and aliases) down to another type.
            let length = rng.between(1, 2);
            for index in 0..length {
                let hop = *rng.pick(HOPS);
                doc::add_schema(document, names[index], hop.to(names[index + 1], rng));
            }
            let (what, leaf) = leaf_type(rng);
            doc::add_schema(document, names[length], leaf);
            format!("one-member compositions of {what}")
        }
        _ => {
            // An untagged union whose object member refers back to the union
            // through a property.
            let hop = *rng.pick(&[Hop::OneOf, Hop::AnyOf]);
            let mut schema = json!({ hop.word(): [reference(names[1]), {"type": "string"}] });
            decorate(&mut schema, rng);
            doc::add_schema(document, names[0], schema);
            let back = recursive_field(reference(names[0]), rng);
            doc::add_schema(document, names[1], object_with("inner", back, rng));
            format!("a {} whose member recurses through a property", hop.word())
        }
    };
    (kind, Expect::Generate)
}

/// `target` as a property, itself or in a one-member `allOf` with `nullable`.
fn recursive_field(target: Value, rng: &mut Rng) -> Value {
    if rng.chance(30) {
        json!({"allOf": [target], "nullable": true, "description": "May be absent."})
    } else {
        target
    }
}

/// An object with `field` under `name` (required sometimes: then the
/// recursion must still be finite, so only when the field is a container) and
/// a plain property.
fn object_with(name: &str, field: Value, rng: &mut Rng) -> Value {
    let container = field.get("type").is_some_and(|kind| kind == "array" || kind == "object");
    let mut object = json!({
        "type": "object",
        "properties": {"id": {"type": "string"}, name: field},
        "required": ["id"],
    });
    if container && rng.chance(50) {
        object["required"] = json!(["id", name]);
    }
    decorate_object(&mut object, rng);
    object
}

fn decorate_object(object: &mut Value, rng: &mut Rng) {
    if rng.chance(30) {
        object["description"] = Value::String("An object.".into());
    }
    if rng.chance(20) {
        object["nullable"] = Value::Bool(true);
    }
}

/// A schema of another type than the loop's: what a one-member composition may wrap.
fn leaf_type(rng: &mut Rng) -> (&'static str, Value) {
    match rng.below(5) {
        0 => ("a string", json!({"type": "string"})),
        1 => ("an integer", json!({"type": "integer", "format": "int64"})),
        2 => ("an enum", json!({"type": "string", "enum": ["red", "green"]})),
        3 => ("a list of strings", json!({"type": "array", "items": {"type": "string"}})),
        _ => ("an object", json!({"type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"]})),
    }
}

/// Uses `entry` from a request body, a response or both; returns where.
fn use_from_operations(document: &mut Value, entry: &str, tag: &str, rng: &mut Rng) -> &'static str {
    // Directly, as a property of an inline object, or as a list's items.
    let wrapped = |rng: &mut Rng| match rng.below(3) {
        0 => reference(entry),
        1 => json!({"type": "object", "properties": {"value": reference(entry)}}),
        _ => json!({"type": "array", "items": reference(entry)}),
    };
    let place = rng.below(3);
    if place != 1 {
        let body = doc::json_body(wrapped(rng));
        doc::add_operation(
            document,
            "/things",
            "post",
            tag,
            json!({"operationId": "CreateThing", "requestBody": body}),
        );
    }
    if place != 0 {
        let responses = doc::json_response(wrapped(rng));
        doc::add_operation(
            document,
            "/things/{id}",
            "get",
            tag,
            json!({
                "operationId": "GetThing",
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
                "responses": responses,
            }),
        );
    }
    ["from a request body", "from a response", "from a request body and a response"][place]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_case_is_a_valid_document_using_its_schemas() {
        for seed in 0..300 {
            let case = case(&mut Rng::new(seed));
            let document: Value = serde_yaml::from_str(&case.spec).expect("YAML");
            assert_eq!(document["openapi"], "3.0.3");
            assert!(document["paths"].as_object().is_some_and(|paths| !paths.is_empty()), "{seed}");
            let expected = if case.kind.starts_with("loop") { Expect::RefuseAt } else { Expect::Generate };
            assert_eq!(case.expect, expected, "{}", case.kind);
        }
    }

    #[test]
    fn the_named_loops_and_neighbours_all_occur() {
        let specs: Vec<(String, Value)> = (0..400)
            .map(|seed| {
                let case = case(&mut Rng::new(seed));
                (case.kind, serde_yaml::from_str(&case.spec).expect("YAML"))
            })
            .collect();
        for word in ["oneOf", "anyOf", "allOf"] {
            // `X: word [X]` for some component X.
            let found = specs.iter().any(|(_, document)| {
                document["components"]["schemas"].as_object().is_some_and(|schemas| {
                    schemas.iter().any(|(name, schema)| {
                        schema[word].as_array().is_some_and(|members| {
                            members.len() == 1 && members[0]["$ref"] == format!("#/components/schemas/{name}")
                        })
                    })
                })
            });
            assert!(found, "no `A: {word} [A]`");
        }
        for kind in [
            "loop of 2",
            "loop of 3",
            "listing itself",
            "allOf of itself",
            "plain $refs",
            "recursion through a property",
            "recursion through a loop",
            "through a list",
            "through a map",
            "one-member compositions of",
            "recurses through a property",
        ] {
            assert!(specs.iter().any(|(found, _)| found.contains(kind)), "no case of {kind}");
        }
    }
}
