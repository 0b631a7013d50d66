//! Deeply nested schemas, read from the bottom up before the whole document.
//!
//! `openapiv3` reads every `ReferenceOr<T>` as an untagged enum and, when `T` does
//! not fit, reads `T` once more for a better message. A schema that fails *n*
//! levels of nesting down is therefore read 2^*n* times: 18 levels took a second,
//! 30 would take hours. So before the whole document is read, every schema with at
//! least [`LAYER`] levels of schemas below it is read on its own, the shallowest
//! first. When one is read, every schema below it that has `LAYER` levels below
//! itself has been read already, so a failure in it is less than `LAYER` levels
//! down; and when the whole document is read at last, so is any failure left.
//! Each read costs at most 2^`LAYER` times the size of what it reads.
//!
//! Schemas are found only where OpenAPI 3.0 and `openapiv3` put them (component
//! schemas, parameters, headers, media types, and inside schemas), never in
//! examples, defaults or extensions, and a `$ref` object is not looked into
//! (`openapiv3` ignores its other keys): what is read here, the whole document
//! reads too, so no document that would load is refused.

use serde_yaml::Value;

use super::locate::{self, Place, Target};

/// Schemas with at least this many levels of schemas below them are read on
/// their own first.
const LAYER: usize = 8;

/// What a node is in OpenAPI terms, as far as finding schemas goes.
#[derive(Clone, Copy)]
enum Kind {
    PathItem,
    Operation,
    Callback,
    Parameter,
    RequestBody,
    Response,
    MediaType,
    Schema,
}

struct Schema {
    /// The schema's place in the arena of [`Nodes`].
    node: usize,
    parent: Option<usize>,
    /// Levels of schemas below this one.
    height: usize,
}

/// Every schema of `document` that has at least [`LAYER`] levels below it, read on
/// its own, shallowest first; the place of the first that fails, with its pointer
/// from the document root.
pub(super) fn check(document: &Value) -> Result<(), Place> {
    let (nodes, schemas) = find_schemas(document);
    let mut deep: Vec<&Schema> = schemas.iter().filter(|schema| schema.height >= LAYER).collect();
    deep.sort_by_key(|schema| schema.height);
    for schema in deep {
        let tokens = nodes.tokens(schema.node);
        let Some(value) = get(document, &tokens) else { continue };
        if let Err(message) = Target::Schema.check(value) {
            let place = locate::locate(value.clone(), Target::Schema, &[], message);
            let base = tokens.iter().fold(String::from("#"), |pointer, token| crate::error::pointer(&pointer, token));
            return Err(Place { pointer: format!("{base}{}", &place.pointer[1..]), message: place.message });
        }
    }
    Ok(())
}

fn get<'v>(document: &'v Value, tokens: &[String]) -> Option<&'v Value> {
    tokens.iter().try_fold(document, |node, token| match node {
        Value::Mapping(mapping) => mapping.get(token.as_str()),
        Value::Sequence(items) => items.get(token.parse::<usize>().ok()?),
        _ => None,
    })
}

#[derive(Clone, Copy)]
enum Token<'v> {
    Key(&'v str),
    Index(usize),
}

/// The nodes visited, each as a link to its parent, so that pointers are only
/// spelled out for the few schemas read on their own.
#[derive(Default)]
struct Nodes<'v> {
    links: Vec<(Option<usize>, Token<'v>)>,
}

impl<'v> Nodes<'v> {
    fn add(&mut self, parent: Option<usize>, token: Token<'v>) -> usize {
        self.links.push((parent, token));
        self.links.len() - 1
    }

    fn tokens(&self, node: usize) -> Vec<String> {
        let mut tokens = Vec::new();
        let mut current = Some(node);
        while let Some((Some(parent), token)) = current.and_then(|index| self.links.get(index)) {
            tokens.push(match token {
                Token::Key(key) => (*key).to_owned(),
                Token::Index(index) => index.to_string(),
            });
            current = Some(*parent);
        }
        tokens.reverse();
        tokens
    }
}

/// A node still to look at: its value, its place in [`Nodes`], its kind and its
/// parent schema.
type Pending<'v> = (&'v Value, usize, Kind, Option<usize>);

struct Walk<'v> {
    nodes: Nodes<'v>,
    stack: Vec<Pending<'v>>,
}

impl<'v> Walk<'v> {
    /// Queues `value` (the child `key` of node `parent`) as a node of `kind`.
    fn push(&mut self, value: Option<&'v Value>, parent: usize, key: &'v str, kind: Kind, schema: Option<usize>) {
        if let Some(value) = value {
            let node = self.nodes.add(Some(parent), Token::Key(key));
            self.stack.push((value, node, kind, schema));
        }
    }

    /// Queues every entry of a map, or item of an array, found at `key` of
    /// `value` (node `parent`), as nodes of `kind`.
    fn push_entries(&mut self, value: &'v Value, parent: usize, key: &'v str, kind: Kind, schema: Option<usize>) {
        let Some(container) = value.get(key) else { return };
        let at = self.nodes.add(Some(parent), Token::Key(key));
        match container {
            Value::Mapping(mapping) => {
                for (key, child) in mapping {
                    if let Some(key) = key.as_str() {
                        let node = self.nodes.add(Some(at), Token::Key(key));
                        self.stack.push((child, node, kind, schema));
                    }
                }
            }
            Value::Sequence(items) => {
                for (index, child) in items.iter().enumerate() {
                    let node = self.nodes.add(Some(at), Token::Index(index));
                    self.stack.push((child, node, kind, schema));
                }
            }
            _ => {}
        }
    }
}

/// Every schema of the document, each after its parent, with its height.
fn find_schemas(document: &Value) -> (Nodes<'_>, Vec<Schema>) {
    let mut walk = Walk { nodes: Nodes::default(), stack: Vec::new() };
    // The root has no parent and no token of its own (`tokens` stops below it).
    let root = walk.nodes.add(None, Token::Index(0));
    let component_kinds = [
        ("schemas", Kind::Schema),
        ("parameters", Kind::Parameter),
        ("headers", Kind::Parameter),
        ("requestBodies", Kind::RequestBody),
        ("responses", Kind::Response),
        ("callbacks", Kind::Callback),
    ];
    if let Some(components) = document.get("components") {
        let at = walk.nodes.add(Some(root), Token::Key("components"));
        for (section, kind) in component_kinds {
            walk.push_entries(components, at, section, kind, None);
        }
    }
    walk.push_entries(document, root, "paths", Kind::PathItem, None);

    let mut schemas: Vec<Schema> = Vec::new();
    while let Some((value, node, kind, parent)) = walk.stack.pop() {
        if value.get("$ref").is_some_and(Value::is_string) {
            continue;
        }
        match kind {
            Kind::PathItem => {
                walk.push_entries(value, node, "parameters", Kind::Parameter, None);
                for method in ["get", "put", "post", "delete", "options", "head", "patch", "trace"] {
                    walk.push(value.get(method), node, method, Kind::Operation, None);
                }
            }
            Kind::Operation => {
                walk.push_entries(value, node, "parameters", Kind::Parameter, None);
                walk.push(value.get("requestBody"), node, "requestBody", Kind::RequestBody, None);
                walk.push_entries(value, node, "responses", Kind::Response, None);
                walk.push_entries(value, node, "callbacks", Kind::Callback, None);
            }
            Kind::Callback => {
                if let Value::Mapping(mapping) = value {
                    for (key, path_item) in mapping {
                        if let Some(key) = key.as_str() {
                            walk.push(Some(path_item), node, key, Kind::PathItem, None);
                        }
                    }
                }
            }
            // Parameters and headers hold `schema` or `content`, request bodies
            // `content`, responses `content` and `headers`.
            Kind::Parameter => {
                walk.push(value.get("schema"), node, "schema", Kind::Schema, None);
                walk.push_entries(value, node, "content", Kind::MediaType, None);
            }
            Kind::RequestBody => walk.push_entries(value, node, "content", Kind::MediaType, None),
            Kind::Response => {
                walk.push_entries(value, node, "content", Kind::MediaType, None);
                walk.push_entries(value, node, "headers", Kind::Parameter, None);
            }
            Kind::MediaType => walk.push(value.get("schema"), node, "schema", Kind::Schema, None),
            Kind::Schema => {
                if !matches!(value, Value::Mapping(_)) {
                    continue;
                }
                let here = Some(schemas.len());
                schemas.push(Schema { node, parent, height: 0 });
                walk.push_entries(value, node, "properties", Kind::Schema, here);
                for list in ["allOf", "anyOf", "oneOf"] {
                    walk.push_entries(value, node, list, Kind::Schema, here);
                }
                for single in ["items", "not", "additionalProperties"] {
                    walk.push(value.get(single), node, single, Kind::Schema, here);
                }
            }
        }
    }
    // A schema comes after its parent, so going backwards each height is final
    // before it is passed up.
    for index in (0..schemas.len()).rev() {
        if let Some(parent) = schemas[index].parent {
            let height = schemas[index].height + 1;
            schemas[parent].height = schemas[parent].height.max(height);
        }
    }
    (walk.nodes, schemas)
}
