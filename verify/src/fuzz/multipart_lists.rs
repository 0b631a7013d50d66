//! `multipart-lists`: `multipart/form-data` bodies with list fields (of
//! strings, integers, enums, files, objects), optional and required, with
//! `minItems`/`maxItems`, beside single fields and several files, under odd
//! field names (quotes, CR/LF, `../`, Unicode, bidi overrides, spaces). Each
//! must generate and compile, or be refused with one error line.

use serde_json::{json, Map, Value};

use super::case::{Case, Expect};
use super::doc;
use super::rng::Rng;

/// Field names a form must carry safely (RFC 7578 escapes quotes and line
/// breaks in a part's name) or refuse.
const ODD_NAMES: &[&str] = &[
    "quote\"d",
    "line\r\nbreak",
    "new\nline",
    "../../etc/passwd",
    "..",
    "dir/file",
    "back\\slash",
    "semi;colon",
    "with space",
    "é",
    "名前",
    "emoji😀",
    "\u{202E}evil",
    "tab\there",
    "",
    "files[]",
    "a=b",
];

const PLAIN_NAMES: &[&str] =
    &["file", "files", "tags", "ids", "kinds", "note", "items", "count", "attachments", "meta"];

/// What a field holds.
#[derive(Debug, Clone, Copy)]
enum Field {
    Text,
    Integer,
    Enum,
    File,
    Object,
    ListOfText,
    ListOfIntegers,
    ListOfEnums,
    ListOfFiles,
    ListOfObjects,
}

const LISTS: &[Field] = &[Field::ListOfText, Field::ListOfIntegers, Field::ListOfEnums, Field::ListOfFiles];
const SINGLES: &[Field] = &[Field::Text, Field::Integer, Field::Enum, Field::File];

impl Field {
    fn schema(self, rng: &mut Rng) -> Value {
        let item = match self {
            Field::Text | Field::ListOfText => json!({"type": "string"}),
            Field::Integer | Field::ListOfIntegers => json!({"type": "integer", "format": "int64", "minimum": 0}),
            Field::Enum | Field::ListOfEnums => json!({"type": "string", "enum": ["low", "high", "a\"b"]}),
            Field::File | Field::ListOfFiles => json!({"type": "string", "format": "binary"}),
            Field::Object | Field::ListOfObjects => {
                json!({"type": "object", "properties": {"key": {"type": "string"}, "value": {"type": "integer"}}, "required": ["key"]})
            }
        };
        if list_word(self).is_some() {
            let mut list = json!({"type": "array", "items": item});
            if rng.chance(40) {
                list["minItems"] = json!(rng.below(3));
            }
            if rng.chance(40) {
                list["maxItems"] = json!(rng.between(1, 1000));
            }
            list
        } else {
            item
        }
    }
}

pub fn case(rng: &mut Rng) -> Case {
    let selection = doc::selection(rng);
    let mut document = doc::skeleton("Multipart lists");
    let mut properties = Map::new();
    let mut required = Vec::new();
    let mut shown = Vec::new();
    // One to three lists, up to three single fields, sometimes several files,
    // and sometimes an object or a list of them (codegen may refuse those; the
    // other cases exercise what it takes).
    let mut fields: Vec<Field> = (0..rng.between(1, 3)).map(|_| *rng.pick(LISTS)).collect();
    fields.extend((0..rng.below(4)).map(|_| *rng.pick(SINGLES)));
    if rng.chance(30) {
        fields.extend([Field::File, Field::File, Field::ListOfFiles]);
    }
    if rng.chance(20) {
        fields.push(*rng.pick(&[Field::Object, Field::ListOfObjects]));
    }
    for field in &fields {
        let name = field_name(rng, &properties);
        properties.insert(name.clone(), field.schema(rng));
        // Mostly at most three required: more makes a form refused.
        if rng.chance(40) && (required.len() < 3 || rng.chance(20)) {
            required.push(name.clone());
        }
        shown.push(format!("{name:?}: {field:?}"));
    }
    let mut form = json!({"type": "object", "properties": properties, "required": required});
    if rng.chance(30) {
        // Per-field encodings, as documents give them for files.
        let mut encoding = Map::new();
        for name in properties_of(&form).into_iter().take(2) {
            encoding.insert(name, json!({"contentType": "image/png"}));
        }
        form = json!({"schema": form, "encoding": encoding});
    } else {
        form = json!({"schema": form});
    }
    let body = json!({"required": rng.chance(70), "content": {"multipart/form-data": form}});
    doc::add_operation(
        &mut document,
        "/uploads/{id}",
        "post",
        &selection.tag,
        json!({
            "operationId": "Upload",
            "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
            "requestBody": body,
        }),
    );
    let odd = shown.iter().any(|field| !PLAIN_NAMES.iter().any(|plain| field.starts_with(&format!("{plain:?}"))));
    let lists: Vec<&str> = fields.iter().filter_map(|field| list_word(*field)).collect();
    let kind = format!("lists of {}{}", lists.join(" and "), if odd { ", odd names" } else { "" });
    let mut case = Case::new(kind, doc::yaml(&document), Expect::Either);
    case.args = selection.args;
    case.detail = shown.join(", ");
    case
}

fn list_word(field: Field) -> Option<&'static str> {
    match field {
        Field::ListOfText => Some("strings"),
        Field::ListOfIntegers => Some("integers"),
        Field::ListOfEnums => Some("enums"),
        Field::ListOfFiles => Some("files"),
        Field::ListOfObjects => Some("objects"),
        _ => None,
    }
}

/// A field name not yet used: plain most of the time, odd otherwise.
fn field_name(rng: &mut Rng, taken: &Map<String, Value>) -> String {
    loop {
        let name = if rng.chance(60) { rng.pick(PLAIN_NAMES) } else { rng.pick(ODD_NAMES) };
        let name = if taken.contains_key(*name) { format!("{name}{}", taken.len()) } else { name.to_string() };
        if !taken.contains_key(&name) {
            return name;
        }
    }
}

fn properties_of(form: &Value) -> Vec<String> {
    form["properties"].as_object().map(|properties| properties.keys().cloned().collect()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases_are_forms_with_every_kind_of_list_and_odd_names() {
        let mut kinds = String::new();
        let mut names = String::new();
        for seed in 0..300 {
            let case = case(&mut Rng::new(seed));
            let document: Value = serde_yaml::from_str(&case.spec).expect("YAML");
            let form =
                &document["paths"]["/uploads/{id}"]["post"]["requestBody"]["content"]["multipart/form-data"]["schema"];
            let lists = form["properties"]
                .as_object()
                .expect("properties")
                .values()
                .filter(|field| field["type"] == "array")
                .count();
            assert!(lists >= 1, "{seed}: a list field");
            kinds.push_str(&case.kind);
            names.push_str(&case.detail);
        }
        for word in ["strings", "integers", "enums", "files", "objects", "odd names"] {
            assert!(kinds.contains(word), "{word}");
        }
        for name in ["quote\\\"d", "line\\r\\nbreak", "../../etc/passwd", "名前", "\\u{202e}evil"] {
            assert!(names.contains(name), "{name} in {names}");
        }
    }

    #[test]
    fn some_forms_carry_several_files_and_bounds() {
        let specs: Vec<String> = (0..200).map(|seed| case(&mut Rng::new(seed)).spec).collect();
        assert!(specs.iter().any(|spec| spec.matches("format: binary").count() >= 3));
        assert!(specs.iter().any(|spec| spec.contains("minItems")));
        assert!(specs.iter().any(|spec| spec.contains("maxItems")));
        assert!(specs.iter().any(|spec| spec.contains("encoding")));
    }
}
