//! `kept-literals`: text that would end or escape a Rust string literal, in
//! every place the generated crate's kept document (`src/document.rs`, one
//! escaped string for the test kit) carries as written: examples, defaults,
//! enum values, extension values, patterns, property and path parameter
//! names. Every case must generate; the compiled samples build with
//! `--features test-util`, so the kept document of each compiles, as data.

use serde_json::{json, Value};

use super::case::{Case, Expect};
use super::doc;
use super::rng::Rng;

/// Text that closes, escapes or disguises a string literal or a comment.
const HOSTILE: &[&str] = &[
    "\"",
    "\\",
    "\\\"",
    "\"; panic!(); \"",
    "\"#",
    "\"##",
    "\"#########",
    "r#\"",
    "*/ fn main() {} /*",
    "// }",
    "\u{0}",
    "\r\n",
    "\u{202e}gnirts",
    "\u{feff}",
    "{\"a\": 1}",
    "\\u{0}\\x7f",
    "include_str!(\"/etc/passwd\")",
    "`",
];

/// Where hostile text was put, for the report.
struct Texts<'r> {
    rng: &'r mut Rng,
    places: Vec<&'static str>,
}

impl Texts<'_> {
    /// One to three hostile pieces, joined: a string for `place`.
    fn text(&mut self, place: &'static str) -> String {
        let count = self.rng.between(1, 3);
        self.places.push(place);
        (0..count).map(|_| *self.rng.pick(HOSTILE)).collect::<Vec<_>>().join(" ")
    }
}

pub fn case(rng: &mut Rng) -> Case {
    let selection = doc::selection(rng);
    let mut texts = Texts { rng, places: Vec::new() };
    let mut document = doc::skeleton("Kept literals");
    document["x-note"] = Value::String(texts.text("extension"));

    let (first, second) = (texts.text("enum value"), texts.text("enum value"));
    // Two distinct values, whatever was drawn.
    let values = if first == second { json!([first, format!("{second}-2")]) } else { json!([first, second]) };
    // With a word in it: a name with no letter has no Rust name, and is
    // refused with one error line (the mutations class tries that).
    let property = format!("note {}", texts.text("property name"));
    let mut thing = json!({
        "type": "object",
        "required": ["id"],
        "properties": {
            "id": {"type": "string", "example": texts.text("example")},
            "label": {"type": "string", "default": texts.text("default"), "x-meta": {"note": texts.text("extension")}},
            "kind": {"type": "string", "enum": values},
            "extra": {"type": "object", "example": {texts.text("example key"): texts.text("example")}},
        },
        "example": {"id": texts.text("example")},
    });
    thing["properties"][property] = json!({"type": "string", "example": texts.text("example")});
    if texts.rng.chance(50) {
        // A pattern the kit cannot read stays unchecked, never code.
        thing["properties"]["code"] = json!({"type": "string", "pattern": texts.text("pattern")});
    }
    doc::add_schema(&mut document, "Thing", thing);

    let parameter = json!({
        "name": "thing_id", "in": "path", "required": true,
        "schema": {"type": "string", "example": texts.text("example")},
        "example": texts.text("example"),
    });
    let operation = json!({
        "operationId": "GetThing",
        "parameters": [parameter],
        "responses": doc::json_response(doc::reference("Thing")),
    });
    doc::add_operation(&mut document, "/things/{thing_id}", "get", &selection.tag, operation);
    let create = json!({
        "operationId": "CreateThing",
        "requestBody": doc::json_body(doc::reference("Thing")),
        "responses": doc::json_response(doc::reference("Thing")),
    });
    doc::add_operation(&mut document, "/things", "post", &selection.tag, create);

    let places = std::mem::take(&mut texts.places);
    let mut case =
        Case::new(format!("hostile text in {} places", places.len() / 5 * 5), doc::yaml(&document), Expect::Generate);
    case.args = selection.args;
    case.detail = format!("text: {}", places.join(", "));
    case
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases_put_hostile_text_in_every_kept_place() {
        let mut places = std::collections::BTreeSet::new();
        for seed in 0..50 {
            let case = case(&mut Rng::new(seed));
            let document: Value = serde_yaml::from_str(&case.spec).expect("YAML");
            assert!(document["components"]["schemas"]["Thing"]["properties"].as_object().is_some());
            assert_eq!(case.expect, Expect::Generate);
            places.extend(case.detail.trim_start_matches("text: ").split(", ").map(str::to_owned));
        }
        for place in ["extension", "enum value", "property name", "example", "example key", "default", "pattern"] {
            assert!(places.contains(place), "{place} never drawn: {places:?}");
        }
    }
}
