//! Hostile variants of a spec for `cargo xtask fuzz`: each case is the document
//! with a few random mutations of the kinds that broke the generator before
//! (deleted keys, wrong types, swapped values, extreme numbers, odd names,
//! fences and control characters in prose, deep nesting, YAML-only values), and
//! the operation constructs the generator reads (parameters sent as headers or
//! cookies, other media types, other success statuses).
//! Everything is drawn from a seeded generator, so a case can be replayed.

use serde_json::{Map, Number, Value};

use super::case::{Case, Expect};
use super::rng::Rng;

/// A case: `document` (the spec, read once) with one to three mutations, and
/// one case in ten a value only YAML can spell. Half the cases select every
/// operation, half the default tag, so both the whole-document and the
/// selective loading paths are fuzzed.
pub fn case(document: &Value, rng: &mut Rng) -> Case {
    let mut variant = document.clone();
    let mut mutations = mutate(&mut variant, rng);
    let mut text = serde_yaml::to_string(&variant).unwrap_or_default();
    if rng.below(10) == 0 {
        let (changed, what) = yaml_only(&text, rng);
        text = changed;
        mutations.push(what);
    }
    let mut case = Case::new("mutated spec/", text, Expect::Either);
    if rng.below(2) == 0 {
        case.args.push("--all-tags".into());
    }
    case.detail = mutations.join("; ");
    case
}

/// Names that clash with keywords, std types, the emitter's own names, or have
/// no Rust spelling at all.
const ODD_NAMES: &[&str] = &[
    "",
    "_",
    "__",
    "self",
    "Self",
    "type",
    "new",
    "models",
    "mod",
    "std",
    "String",
    "Result",
    "Option",
    "Vec",
    "123",
    "9lives",
    "a b",
    "..",
    ".",
    "{id}",
    "é",
    "\u{202E}rtl",
    "body",
    "params",
    "api",
    "chunk",
    "offset",
    "limit",
    "request",
    "Unknown",
    "unknown",
    "+",
    "-",
    "crate",
    "builder",
    "client",
    "OPERATION",
];

/// Prose that tries to become code or break the build.
const HOSTILE_PROSE: &[&str] = &[
    "```\nstd::process::abort();\n```",
    "```rust\nstd::process::abort();\n```",
    "~~~\nstd::process::abort();\n~~~",
    "````\nstd::process::abort();\n````",
    "```rust\nstd::process::abort();\n````",
    "> ```rust\n> std::process::abort();\n> ```",
    "- ```rust\n  std::process::abort();\n  ```",
    "Text\n\n    std::process::abort();",
    "```rust\nnever closed",
    "bidi \u{202E} override \u{2066} isolate",
    "control \u{0} \u{7} \u{1b}[31m \r carriage",
    "two\nlines\n#![doc = include_str!(\"/etc/hostname\")]",
    "*/ /* // \" \\ '",
];

/// Numbers at the edges of every integer type the generator reads.
fn extreme_number(rng: &mut Rng) -> Value {
    match rng.below(9) {
        0 => Value::from(i64::MAX),
        1 => Value::from(i64::MIN),
        2 => Value::from(u64::MAX),
        3 => Value::from(-1),
        4 => Value::from(0),
        5 => Number::from_f64(1e308).map(Value::Number).unwrap_or(Value::Null),
        6 => Number::from_f64(0.5).map(Value::Number).unwrap_or(Value::Null),
        7 => Value::from(i64::MAX - 1),
        _ => Value::from(i32::MAX as i64 + 1),
    }
}

fn other_type(rng: &mut Rng) -> Value {
    match rng.below(8) {
        0 => Value::String("x".into()),
        1 => Value::from(5),
        2 => Value::Bool(true),
        3 => Value::Null,
        4 => Value::Array(Vec::new()),
        5 => Value::Object(Map::new()),
        6 => Value::Array(vec![Value::from(1), Value::String("a".into())]),
        _ => extreme_number(rng),
    }
}

/// A value nested `depth` levels deep.
fn deep(depth: usize, as_object: bool) -> Value {
    let mut value = Value::String("leaf".into());
    for _ in 0..depth {
        value = if as_object {
            let mut map = Map::new();
            map.insert("a".into(), value);
            Value::Object(map)
        } else {
            Value::Array(vec![value])
        };
    }
    value
}

/// Every node of `value` as a path of keys and indexes, iteratively.
fn paths(value: &Value) -> Vec<Vec<Step>> {
    let mut found = Vec::new();
    let mut pending = vec![(value, Vec::new())];
    while let Some((node, path)) = pending.pop() {
        match node {
            Value::Object(map) => {
                for (key, child) in map {
                    let mut next = path.clone();
                    next.push(Step::Key(key.clone()));
                    pending.push((child, next));
                }
            }
            Value::Array(items) => {
                for (index, child) in items.iter().enumerate() {
                    let mut next = path.clone();
                    next.push(Step::Index(index));
                    pending.push((child, next));
                }
            }
            _ => {}
        }
        found.push(path);
    }
    found.sort();
    found
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Step {
    Key(String),
    Index(usize),
}

/// `path` as a JSON pointer, for reports.
fn pointer(path: &[Step]) -> String {
    let mut out = String::from("#");
    for step in path {
        out.push('/');
        match step {
            Step::Key(key) => out.push_str(&key.replace('~', "~0").replace('/', "~1")),
            Step::Index(index) => out.push_str(&index.to_string()),
        }
    }
    out
}

fn node_mut<'v>(value: &'v mut Value, path: &[Step]) -> Option<&'v mut Value> {
    let mut node = value;
    for step in path {
        node = match (step, node) {
            (Step::Key(key), Value::Object(map)) => map.get_mut(key)?,
            (Step::Index(index), Value::Array(items)) => items.get_mut(*index)?,
            _ => return None,
        };
    }
    Some(node)
}

/// Applies one to three random mutations to `document`; returns what they were.
pub fn mutate(document: &mut Value, rng: &mut Rng) -> Vec<String> {
    let mut done = Vec::new();
    for _ in 0..1 + rng.below(3) {
        let all = paths(document);
        let path = rng.pick(&all).clone();
        let kind = rng.below(11);
        let at = format!(" at {}", pointer(&path));
        let description = match kind {
            0 => delete(document, &path),
            1 => replace(document, &path, other_type(rng)),
            2 => {
                let other = rng.pick(&all).clone();
                swap(document, &path, &other)
            }
            3 => replace(document, &path, extreme_number(rng)),
            4 => {
                let name = *rng.pick(ODD_NAMES);
                rename(document, &path, name)
            }
            5 => {
                let prose = *rng.pick(HOSTILE_PROSE);
                replace(document, &path, Value::String(prose.into()))
            }
            6 => {
                let depth = *rng.pick(&[50, 130, 300, 2000]);
                let as_object = rng.below(2) == 0;
                replace(document, &path, deep(depth, as_object))
            }
            7 => {
                // What an operation is made of, targeted: where a parameter is
                // sent, a body's or response's media type, a response's status.
                done.push(match rng.below(3) {
                    0 => {
                        let place = *rng.pick(&["header", "cookie", "path", "query", "Header"]);
                        set_key_somewhere(document, rng, "in", place)
                    }
                    1 => {
                        let media_type = *rng.pick(&[
                            "multipart/form-data",
                            "image/png",
                            "application/octet-stream",
                            "text/plain",
                            "*/*",
                            "",
                            "a\r\nb",
                        ]);
                        rename_key_somewhere(document, rng, "application/json", media_type)
                    }
                    _ => {
                        let status = *rng.pick(&["201", "202", "204", "2XX", "299", "default"]);
                        let from = *rng.pick(&["200", "400", "404"]);
                        rename_key_somewhere(document, rng, from, status)
                    }
                });
                continue;
            }
            8 | 9 => {
                // A construct of the whole API (composition, maps, multipart,
                // headers, odd enum values…) in place of a schema or an operation part.
                done.push(inject_construct(document, rng));
                continue;
            }
            _ => {
                // The places the generator reads names and prose from, targeted.
                let key = *rng.pick(&["description", "summary", "title", "operationId", "x-speakeasy-group", "name"]);
                let value = if rng.below(2) == 0 { *rng.pick(HOSTILE_PROSE) } else { *rng.pick(ODD_NAMES) };
                done.push(set_key_somewhere(document, rng, key, value));
                continue;
            }
        };
        done.push(description + &at);
    }
    done
}

/// Schemas of the constructs real APIs use, to put where a schema is.
fn construct_schema(rng: &mut Rng, component: &str) -> Value {
    let reference = serde_json::json!({"$ref": format!("#/components/schemas/{component}")});
    match rng.below(10) {
        0 => serde_json::json!({"oneOf": [reference, {"type": "string"}]}),
        1 => serde_json::json!({"anyOf": [reference, {"type": "integer"}, {"type": "null"}]}),
        2 => serde_json::json!({
            "oneOf": [reference.clone(), reference],
            "discriminator": {"propertyName": "object", "mapping": {"a": format!("#/components/schemas/{component}")}}
        }),
        3 => serde_json::json!({"type": "object", "additionalProperties": reference}),
        4 => {
            serde_json::json!({"type": "object", "properties": {"x": {"type": "string"}}, "additionalProperties": {"type": "integer"}})
        }
        5 => {
            serde_json::json!({"allOf": [reference, {"allOf": [{"type": "object", "properties": {"y": {"type": "boolean"}}}]}]})
        }
        6 => serde_json::json!({"type": "array", "items": {"type": "string", "nullable": true}}),
        7 => serde_json::json!({"type": "string", "enum": ["", "*", "unknown", "Unknown", "a-b", "A_B", "new"]}),
        8 => {
            serde_json::json!({"type": "object", "properties": {"id": {"type": "string", "readOnly": true}, "name": {"type": "string"}}, "required": ["id", "ghost"]})
        }
        _ => serde_json::json!({"type": "string", "format": "binary"}),
    }
}

/// Puts a construct into the document: a schema somewhere, or an operation part
/// (a header parameter, a multipart body, a binary or empty response).
fn inject_construct(document: &mut Value, rng: &mut Rng) -> String {
    let components: Vec<String> = document
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|schemas| schemas.keys().cloned().collect())
        .unwrap_or_default();
    let component = if components.is_empty() { "Missing".to_owned() } else { rng.pick(&components).clone() };
    let all = paths(document);
    if rng.below(2) == 0 {
        // Replace a schema: any node under a `schema` key or a property.
        let schemas: Vec<Vec<Step>> = all
            .iter()
            .filter(|path| {
                matches!(path.last(), Some(Step::Key(key)) if key == "schema")
                    || matches!(path.iter().rev().nth(1), Some(Step::Key(key)) if key == "properties")
            })
            .cloned()
            .collect();
        if schemas.is_empty() {
            return "no schema to replace".into();
        }
        let path = rng.pick(&schemas).clone();
        let construct = construct_schema(rng, &component);
        let shown = short(&construct);
        replace(document, &path, construct);
        return format!("schema replaced by {shown} at {}", pointer(&path));
    }
    let operations: Vec<Vec<Step>> = all
        .iter()
        .filter(|path| {
            path.len() == 3
                && matches!(&path[0], Step::Key(key) if key == "paths")
                && matches!(&path[2], Step::Key(method) if ["get", "post", "put", "patch", "delete"].contains(&method.as_str()))
        })
        .cloned()
        .collect();
    if operations.is_empty() {
        return "no operation to change".into();
    }
    let path = rng.pick(&operations).clone();
    let at = pointer(&path);
    let Some(Value::Object(operation)) = node_mut(document, &path) else { return "no operation".into() };
    match rng.below(4) {
        0 => {
            let header = serde_json::json!({"name": "X-Request-Id", "in": "header", "required": rng.below(2) == 0, "schema": {"type": "string"}});
            let parameters = operation.entry("parameters").or_insert_with(|| Value::Array(Vec::new()));
            if let Value::Array(list) = parameters {
                list.push(header);
            }
            format!("header parameter added at {at}")
        }
        1 => {
            let body = serde_json::json!({"required": true, "content": {"multipart/form-data": {"schema": {
                "type": "object", "properties": {"file": {"type": "string", "format": "binary"}, "note": {"type": "string"}}, "required": ["file"]
            }}}});
            operation.insert("requestBody".into(), body);
            format!("multipart body at {at}")
        }
        2 => {
            let responses = operation.entry("responses").or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(responses) = responses {
                responses.insert("204".into(), serde_json::json!({"description": "No content"}));
            }
            format!("204 response added at {at}")
        }
        _ => {
            let responses = operation.entry("responses").or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(responses) = responses {
                responses.insert("200".into(), serde_json::json!({"description": "A file", "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}));
            }
            format!("binary 200 response at {at}")
        }
    }
}

fn delete(document: &mut Value, path: &[Step]) -> String {
    let Some((last, parent)) = path.split_last() else { return "nothing deleted".into() };
    match (node_mut(document, parent), last) {
        (Some(Value::Object(map)), Step::Key(key)) => {
            map.remove(key);
        }
        (Some(Value::Array(items)), Step::Index(index)) if *index < items.len() => {
            items.remove(*index);
        }
        _ => {}
    }
    "deleted".into()
}

fn replace(document: &mut Value, path: &[Step], value: Value) -> String {
    let shown = short(&value);
    if let Some(node) = node_mut(document, path) {
        *node = value;
    }
    format!("replaced by {shown}")
}

fn swap(document: &mut Value, a: &[Step], b: &[Step]) -> String {
    // One may contain the other; swapping then would lose a subtree, so copy.
    let (Some(first), Some(second)) =
        (node_mut(document, a).map(|v| v.clone()), node_mut(document, b).map(|v| v.clone()))
    else {
        return "nothing swapped".into();
    };
    if let Some(node) = node_mut(document, a) {
        *node = second;
    }
    if let Some(node) = node_mut(document, b) {
        *node = first;
    }
    "swapped".into()
}

fn rename(document: &mut Value, path: &[Step], name: &str) -> String {
    let Some((Step::Key(key), parent)) = path.split_last() else { return "nothing renamed".into() };
    if let Some(Value::Object(map)) = node_mut(document, parent) {
        if !map.contains_key(name) {
            if let Some(value) = map.remove(key) {
                map.insert(name.to_owned(), value);
            }
        }
    }
    format!("renamed to {name:?}")
}

/// Sets `key` to `value` in a random object that already has `key`.
fn set_key_somewhere(document: &mut Value, rng: &mut Rng, key: &str, value: &str) -> String {
    let holders: Vec<Vec<Step>> = paths(document)
        .into_iter()
        .filter(|path| matches!(path.last(), Some(Step::Key(last)) if last == key))
        .collect();
    if holders.is_empty() {
        return format!("no `{key}` to set");
    }
    let path = rng.pick(&holders).clone();
    replace(document, &path, Value::String(value.into()));
    format!("set to {} at {}", short(&Value::String(value.into())), pointer(&path))
}

/// Renames a random key `key` (of any object that has one) to `name`.
fn rename_key_somewhere(document: &mut Value, rng: &mut Rng, key: &str, name: &str) -> String {
    let holders: Vec<Vec<Step>> = paths(document)
        .into_iter()
        .filter(|path| matches!(path.last(), Some(Step::Key(last)) if last == key))
        .collect();
    if holders.is_empty() {
        return format!("no `{key}` to rename");
    }
    let path = rng.pick(&holders).clone();
    format!("{} at {}", rename(document, &path, name), pointer(&path))
}

fn short(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 40 {
        format!("{}…", text.chars().take(40).collect::<String>())
    } else {
        text
    }
}

/// YAML-only values JSON cannot hold (`.inf`, `.nan`, tags), put in place of a
/// random scalar of the written text.
pub fn yaml_only(text: &str, rng: &mut Rng) -> (String, String) {
    let lines: Vec<&str> = text.lines().collect();
    let candidates: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(_, line)| line.contains(": ") && !line.ends_with(':'))
        .map(|(i, _)| i)
        .collect();
    if candidates.is_empty() {
        return (text.to_owned(), "no scalar for a YAML-only value".into());
    }
    let index = *rng.pick(&candidates);
    let replacement = *rng.pick(&[".inf", "-.inf", ".nan", "!!binary aGk=", "!custom x", "0x1F", "0o17", "~"]);
    let line = lines[index];
    let Some(colon) = line.find(": ") else { return (text.to_owned(), String::new()) };
    let mut out: Vec<String> = lines.iter().map(|line| line.to_string()).collect();
    out[index] = format!("{}: {replacement}", &line[..colon]);
    (out.join("\n") + "\n", format!("line {} set to {replacement}", index + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_mutations() {
        let document: Value = serde_json::json!({"a": {"b": [1, 2, {"c": "d"}]}, "description": "x"});
        let run = |seed| {
            let mut copy = document.clone();
            let mut rng = Rng::new(seed);
            let done = mutate(&mut copy, &mut rng);
            (copy, done)
        };
        assert_eq!(run(7), run(7));
        assert!((0..20).any(|seed| run(seed).0 != document), "mutations change the document");
    }

    #[test]
    fn deep_values_are_built_without_recursion() {
        let value = deep(2000, true);
        let mut depth = 0;
        let mut node = &value;
        while let Value::Object(map) = node {
            node = &map["a"];
            depth += 1;
        }
        assert_eq!(depth, 2000);
        std::mem::forget(value);
    }
}
