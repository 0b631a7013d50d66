//! `builder-clashes`: parameters (path, query, header), JSON body properties and
//! multipart field names drawn from the names the generated code already
//! uses: every method and field of a call builder, group handle, params
//! struct, model builder and `Client` in `generated-client/src` (read at the
//! start of a run, so the list follows the generated code), the trait methods
//! their derives bring (`clone`, `fmt`, …), Rust keywords and std names; in
//! odd spellings (`New`, `NEW`, `new_`, `new-`, camelCase), and in pairs that
//! become one Rust name. Some operations are paginated lists, so their
//! builders have `pages` and `items` too, and some take a list body with
//! `maxItems`, so theirs have `send_chunked`. Every case must generate and
//! compile.

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::{json, Map, Value};

use super::case::{Case, Expect};
use super::doc;
use super::rng::Rng;

/// Methods generated types get from their derives and conversions, which do
/// not appear as `fn` in the generated source.
const TRAIT_METHODS: &[&str] = &[
    "clone",
    "fmt",
    "default",
    "from",
    "into",
    "eq",
    "serialize",
    "deserialize",
    "build",
    "builder",
    "client",
    "to_owned",
];

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern", "false", "fn",
    "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "self", "Self",
    "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where", "while", "abstract", "become",
    "box", "do", "final", "gen", "macro", "override", "priv", "try", "typeof", "unsized", "virtual", "yield", "union",
];

const STD_NAMES: &[&str] = &[
    "String",
    "Vec",
    "Option",
    "Result",
    "Box",
    "Some",
    "None",
    "Ok",
    "Err",
    "std",
    "core",
    "alloc",
    "Default",
    "Clone",
    "Debug",
    "Send",
    "Sync",
    "From",
    "Into",
    "serde",
    "serde_json",
    "runtime",
    "models",
    "Client",
    "Error",
    "Value",
    "Map",
    "str",
    "i64",
    "bool",
];

/// Every method and field name in the generated crate's sources, each as
/// often as it is defined there (so the machinery every builder has, `new`,
/// `send`, `header`, `request`, …, is drawn most), and the derives' trait
/// methods.
pub fn builder_names(src: &Path) -> Result<Vec<String>, String> {
    let mut files: Vec<_> = std::fs::read_dir(src)
        .map_err(|error| format!("{}: {error}", src.display()))?
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|extension| extension == "rs"))
        .collect();
    files.sort();
    let mut names = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).map_err(|error| format!("{}: {error}", file.display()))?;
        names.extend(names_in(&text));
    }
    let distinct = names.iter().collect::<BTreeSet<_>>().len();
    if distinct < 20 {
        return Err(format!(
            "found only {distinct} method and field names in {}: has the generated code moved?",
            src.display()
        ));
    }
    names.extend(TRAIT_METHODS.iter().map(|name| name.to_string()));
    names.sort();
    Ok(names)
}

/// The methods each of the runtime's macros that generated code calls writes
/// for the type it names first; `rt::setter!` writes the setters its line
/// names. One list for the fuzzer and the tests of generated names.
pub fn macro_methods(name: &str) -> Option<&'static [&'static str]> {
    match name {
        "call_methods" => Some(&["new", "header", "send", "send_with_metadata", "expected_request"]),
        "client_methods" => {
            Some(&["builder", "base_url", "with_timeout", "with_deadline", "with_retries", "runtime", "from"])
        }
        "pages" => Some(&["pages", "items"]),
        "send_chunked" => Some(&["send_chunked"]),
        "open_enum_impls" => Some(&["as_str", "known", "from", "from_str", "fmt", "serialize", "deserialize"]),
        "setter" => Some(&[]),
        _ => None,
    }
}

/// The setters of one `rt::setter!(…)` line's arguments: `name: T`,
/// `with_name = name: T`, `required name: T`, and `…, null name_null`.
fn setter_names(arguments: &str) -> Vec<String> {
    let arguments = arguments.strip_prefix("required ").unwrap_or(arguments);
    let mut names = vec![identifier(arguments).to_owned()];
    if let Some((_, null)) = arguments.rsplit_once(", null ") {
        names.push(identifier(null).to_owned());
    }
    names
}

/// The `fn` names and struct field names of formatted Rust source, each time
/// one is defined, the methods of the runtime's macros included.
fn names_in(source: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut in_struct = false;
    for line in source.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("//") || trimmed.starts_with('#') {
            continue;
        }
        let runtime_macro =
            trimmed.strip_prefix("rt::").or_else(|| trimmed.strip_prefix("openapi_client_runtime::__private::"));
        if let Some((name, arguments)) = runtime_macro.and_then(|call| call.split_once("!(")) {
            match name {
                "setter" => names.extend(setter_names(arguments)),
                _ => names.extend(macro_methods(name).unwrap_or_default().iter().map(|method| method.to_string())),
            }
            continue;
        }
        let mut code = trimmed;
        for prefix in ["pub(crate) ", "pub ", "async ", "const ", "unsafe "] {
            code = code.strip_prefix(prefix).unwrap_or(code);
        }
        if let Some(rest) = code.strip_prefix("fn ") {
            names.push(identifier(rest).to_owned());
        } else if trimmed.contains("struct ") && trimmed.ends_with('{') {
            in_struct = true;
        } else if in_struct && trimmed.starts_with('}') {
            in_struct = false;
        } else if in_struct {
            if let Some((field, _)) = code.split_once(": ") {
                if !field.is_empty() && field == identifier(field) {
                    names.push(field.to_owned());
                }
            }
        }
    }
    names.retain(|name| !name.is_empty());
    names
}

fn identifier(text: &str) -> &str {
    let end = text.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(text.len());
    &text[..end]
}

/// A base name: a builder's name most of the time, else a keyword or std name.
fn base_name<'n>(names: &'n [String], rng: &mut Rng) -> &'n str {
    let fixed: &[&'static str] = match rng.below(10) {
        0 | 1 => KEYWORDS,
        2 | 3 => STD_NAMES,
        _ => return rng.pick(names).as_str(),
    };
    let name: &&'static str = rng.pick(fixed);
    name
}

/// `name` spelled another way.
fn spelling(name: &str, rng: &mut Rng) -> String {
    let words: Vec<&str> = name.split('_').filter(|word| !word.is_empty()).collect();
    let capitalised = |word: &str| {
        let mut chars = word.chars();
        chars.next().map(|first| first.to_uppercase().chain(chars).collect::<String>()).unwrap_or_default()
    };
    match rng.below(9) {
        0 | 1 => name.to_owned(),
        2 => capitalised(name),
        3 => name.to_uppercase(),
        4 => format!("{name}_"),
        5 => format!("{name}-"),
        6 => words.join("-"),
        7 => {
            let mut camel = words.first().map(|word| word.to_string()).unwrap_or_default();
            camel.extend(words.iter().skip(1).map(|word| capitalised(word)));
            camel
        }
        _ => words.iter().map(|word| capitalised(word)).collect(),
    }
}

/// Names for one place: some drawn and spelled, and sometimes two spellings
/// of one name (they become one Rust name). `fold` says which are the same
/// (headers are case-insensitive).
fn names_for(names: &[String], count: usize, fold: fn(&str) -> String, rng: &mut Rng) -> Vec<String> {
    let mut chosen: Vec<String> = Vec::new();
    let mut taken = BTreeSet::new();
    let mut add = |name: String, chosen: &mut Vec<String>| {
        if taken.insert(fold(&name)) {
            chosen.push(name);
        }
    };
    for _ in 0..count {
        let base = base_name(names, rng);
        add(spelling(base, rng), &mut chosen);
        if rng.chance(30) {
            add(spelling(base, rng), &mut chosen);
        }
    }
    chosen
}

fn same(name: &str) -> String {
    name.to_owned()
}

/// What a property or form field's Rust name is made of: two that fold alike
/// are refused as a collision (unlike parameters, which are numbered), so a
/// body takes only one of them.
fn rust_words(name: &str) -> String {
    name.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).collect::<String>()
        + &name.chars().filter(|c| !c.is_ascii()).collect::<String>()
}

fn lowercase(name: &str) -> String {
    name.to_ascii_lowercase()
}

pub fn case(names: &[String], rng: &mut Rng) -> Case {
    let mut document = doc::skeleton("Builder clashes");
    let selection = doc::selection(rng);
    let mut used = Vec::new();
    let mut shapes = Vec::new();
    for index in 0..rng.between(1, 3) {
        let (shape, operation_names) = add_operation(&mut document, names, index, &selection.tag, rng);
        shapes.push(shape);
        used.extend(operation_names);
    }
    let mut case = Case::new(format!("names in {}", shapes.join(", ")), doc::yaml(&document), Expect::Generate);
    case.args = selection.args;
    case.detail = format!("names: {}", used.join(", "));
    case
}

/// One operation whose parameters and body use drawn names; its shape and names.
fn add_operation(
    document: &mut Value,
    names: &[String],
    index: usize,
    tag: &str,
    rng: &mut Rng,
) -> (&'static str, Vec<String>) {
    let path_names = names_for(names, rng.below(3), same, rng);
    let mut query_names = names_for(names, rng.below(6), same, rng);
    let header_names = names_for(names, rng.below(5), lowercase, rng);
    let mut path = format!("/things{index}");
    let mut parameters = Vec::new();
    for name in &path_names {
        path.push_str(&format!("/{{{name}}}"));
        parameters.push(json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}}));
    }
    for name in &query_names {
        parameters
            .push(json!({"name": name, "in": "query", "required": rng.chance(30), "schema": parameter_schema(rng)}));
    }
    for name in &header_names {
        parameters
            .push(json!({"name": name, "in": "header", "required": rng.chance(30), "schema": {"type": "string"}}));
    }
    let mut used: Vec<String> = path_names.iter().chain(&query_names).chain(&header_names).cloned().collect();
    let operation_id = format!("Operation{index}");
    let (shape, operation) = match rng.below(5) {
        0 => {
            // A paginated list: its builder has `pages` and `items`, and a params struct.
            // (`limit` and `offset` are its own; a second of either would be a duplicate.)
            query_names.retain(|name| name != "limit" && name != "offset");
            parameters.retain(|parameter| {
                parameter["in"] != "query" || query_names.iter().any(|name| parameter["name"] == *name)
            });
            parameters.push(json!({"name": "limit", "in": "query", "schema": {"type": "integer", "format": "int64", "maximum": 100}}));
            parameters.push(json!({"name": "offset", "in": "query", "schema": {"type": "integer", "format": "int64"}}));
            let item = format!("Item{index}");
            let properties = properties(names, rng, &mut used);
            doc::add_schema(
                document,
                &item,
                json!({
                    "type": "object",
                    "properties": merge(json!({"id": {"type": "string"}}), properties),
                    "required": ["id"],
                }),
            );
            let page = json!({
                "type": "object",
                "properties": {"data": {"type": "array", "items": doc::reference(&item)}, "total_count": {"type": "integer", "format": "int64"}},
                "required": ["data", "total_count"],
            });
            (
                "a paginated list",
                json!({"operationId": operation_id, "parameters": parameters, "responses": doc::json_response(page)}),
            )
        }
        1 => {
            // A JSON body whose properties use drawn names (a model with a builder or `new`).
            let body = body_object(names, rng, &mut used);
            let name = format!("Body{index}");
            doc::add_schema(document, &name, body);
            (
                "a JSON body",
                json!({"operationId": operation_id, "parameters": parameters, "requestBody": doc::json_body(doc::reference(&name))}),
            )
        }
        2 => {
            // A list body with `maxItems`: its builder has `send_chunked`.
            let body = json!({"type": "array", "maxItems": 10, "items": body_object(names, rng, &mut used)});
            (
                "a list body",
                json!({"operationId": operation_id, "parameters": parameters, "requestBody": doc::json_body(body)}),
            )
        }
        3 => {
            // A multipart form whose fields use drawn names (at most three
            // required: a form takes its required fields positionally).
            let fields = names_for(names, rng.between(1, 4), rust_words, rng);
            let mut properties = Map::new();
            let mut required = Vec::new();
            for field in &fields {
                let schema = if rng.chance(30) {
                    json!({"type": "string", "format": "binary"})
                } else {
                    json!({"type": "string"})
                };
                properties.insert(field.clone(), schema);
                if required.len() < 3 && rng.chance(40) {
                    required.push(field.clone());
                }
            }
            used.extend(fields);
            let body = json!({"required": true, "content": {"multipart/form-data": {"schema": {"type": "object", "properties": properties, "required": required}}}});
            ("a multipart body", json!({"operationId": operation_id, "parameters": parameters, "requestBody": body}))
        }
        _ => ("parameters only", json!({"operationId": operation_id, "parameters": parameters})),
    };
    let method = if shape == "a paginated list" || shape == "parameters only" {
        "get"
    } else {
        *rng.pick(&["post", "put", "patch"])
    };
    doc::add_operation(document, &path, method, tag, operation);
    (shape, used)
}

fn parameter_schema(rng: &mut Rng) -> Value {
    match rng.below(4) {
        0 => json!({"type": "integer", "format": "int64"}),
        1 => json!({"type": "boolean"}),
        2 => json!({"type": "array", "items": {"type": "string"}}),
        _ => json!({"type": "string"}),
    }
}

/// Properties with drawn names, no two of them one Rust name.
fn properties(names: &[String], rng: &mut Rng, used: &mut Vec<String>) -> Value {
    let mut properties = Map::new();
    for name in names_for(names, rng.between(1, 5), rust_words, rng) {
        properties.insert(name.clone(), parameter_schema(rng));
        used.push(name);
    }
    Value::Object(properties)
}

/// An object body; with more than three required properties its model gets a
/// builder rather than `new`.
fn body_object(names: &[String], rng: &mut Rng, used: &mut Vec<String>) -> Value {
    let properties = properties(names, rng, used);
    let keys: Vec<String> = properties.as_object().map(|map| map.keys().cloned().collect()).unwrap_or_default();
    let required: Vec<String> = keys.into_iter().filter(|_| rng.chance(50)).collect();
    json!({"type": "object", "properties": properties, "required": required})
}

/// The properties of both, but those of `second` whose Rust name `first` has.
fn merge(mut first: Value, second: Value) -> Value {
    if let (Some(first), Value::Object(second)) = (first.as_object_mut(), second) {
        for (key, value) in second {
            if !first.keys().any(|taken| rust_words(taken) == rust_words(&key)) {
                first.insert(key, value);
            }
        }
    }
    first
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project_names() -> Vec<String> {
        builder_names(&crate::paths::generated_dir().join("src")).expect("the generated crate's names")
    }

    #[test]
    fn the_names_come_from_the_generated_code_the_machinery_most() {
        let names = project_names();
        let count = |name: &str| names.iter().filter(|found| *found == name).count();
        assert!(count("new") > count("invitation_id"), "`new` is defined in every builder");
        for name in [
            "new",
            "send",
            "send_with_metadata",
            "body",
            "header",
            "extra",
            "params",
            "pages",
            "items",
            "request",
            "client",
            "builder",
            "from_env",
            "with_timeout",
            "organization_invitations",
            "build",
            "clone",
            "fmt",
            "send_chunked",
            "as_str",
        ] {
            assert!(names.iter().any(|found| found == name), "{name} missing from {names:?}");
        }
    }

    #[test]
    fn each_setter_line_gives_its_setters() {
        assert_eq!(setter_names("notify: bool, null notify_null);"), ["notify", "notify_null"]);
        assert_eq!(setter_names("required with_build = build: Vec<u8>);"), ["with_build"]);
        assert_eq!(setter_names("meta: serde_json::Map<String, serde_json::Value>);"), ["meta"]);
    }

    #[test]
    fn cases_are_valid_documents_using_odd_spellings_and_collisions() {
        let names = project_names();
        let mut all_names = String::new();
        for seed in 0..300 {
            let case = case(&names, &mut Rng::new(seed));
            let document: Value = serde_yaml::from_str(&case.spec).expect("YAML");
            assert!(document["paths"].as_object().is_some_and(|paths| !paths.is_empty()));
            assert_eq!(case.expect, Expect::Generate);
            all_names.push_str(&case.detail);
            all_names.push_str(", ");
        }
        let drawn: Vec<&str> = all_names.split(", ").map(|name| name.trim_start_matches("names: ")).collect();
        for name in ["new", "send", "extra", "type", "Self", "String"] {
            let folded = |found: &str| found.to_lowercase().trim_matches(['_', '-']).to_owned();
            assert!(drawn.iter().any(|found| folded(found) == name.to_lowercase()), "{name} never drawn");
        }
        for shape in ["paginated list", "JSON body", "list body", "multipart body", "parameters only"] {
            assert!((0..300).any(|seed| case(&names, &mut Rng::new(seed)).kind.contains(shape)), "{shape}");
        }
    }

    #[test]
    fn names_are_spelled_oddly() {
        let spelled =
            |name: &str| -> BTreeSet<String> { (0..200).map(|seed| spelling(name, &mut Rng::new(seed))).collect() };
        let new = spelled("new");
        for expected in ["new", "New", "NEW", "new_", "new-"] {
            assert!(new.contains(expected), "{expected} not in {new:?}");
        }
        let long = spelled("send_with_metadata");
        for expected in ["sendWithMetadata", "SendWithMetadata", "send-with-metadata", "SEND_WITH_METADATA"] {
            assert!(long.contains(expected), "{expected} not in {long:?}");
        }
    }

    #[test]
    fn two_spellings_of_one_name_are_drawn_together() {
        let names = vec!["send_with_metadata".to_owned()];
        let found = (0..200).any(|seed| {
            let drawn = names_for(&names, 1, same, &mut Rng::new(seed));
            drawn.len() == 2
        });
        assert!(found);
    }

    #[test]
    fn names_are_read_from_functions_and_struct_fields() {
        let source = "pub struct A {\n    client: X,\n    pub body: Option<Y>,\n}\nimpl A {\n    pub async fn send(self) {}\n    fn new() {}\n    // fn commented() {}\n}\n";
        assert_eq!(names_in(source), ["client", "body", "send", "new"]);
    }
}
