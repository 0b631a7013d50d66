//! The largest part of a document that both generators accept: every
//! operation is tried with progenitor alone (the document with only that
//! operation, all components kept) and with ours; the accepted ones are kept,
//! and their union is checked with both, dropping an operation at a time while
//! the union fails.

use std::collections::BTreeSet;
use std::path::Path;

use serde_yaml::{Mapping, Value};

use crate::peer;

const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// The operationIds of `document`, in document order.
pub fn operation_ids(document: &Value) -> Vec<String> {
    let mut ids = Vec::new();
    for (_, item) in paths(document) {
        for method in METHODS {
            if let Some(id) =
                item.get(method).and_then(|operation| operation.get("operationId")).and_then(Value::as_str)
            {
                ids.push(id.to_owned());
            }
        }
    }
    ids
}

fn paths(document: &Value) -> impl Iterator<Item = (&Value, &Value)> {
    document.get("paths").and_then(Value::as_mapping).into_iter().flat_map(Mapping::iter)
}

/// `document` with only the operations in `keep`; path items left without an
/// operation go. Components stay whole.
pub fn with_operations(document: &Value, keep: &BTreeSet<String>) -> Value {
    let mut document = document.clone();
    if let Some(paths) = document.get_mut("paths").and_then(Value::as_mapping_mut) {
        paths.retain(|_, item| {
            let Some(item) = item.as_mapping_mut() else { return true };
            for method in METHODS {
                let id = item.get(method).and_then(|op| op.get("operationId")).and_then(Value::as_str);
                if id.is_some_and(|id| !keep.contains(id)) {
                    item.remove(method);
                }
            }
            METHODS.iter().any(|method| item.contains_key(*method))
        });
    }
    document
}

fn openapi(document: &Value) -> Option<openapiv3::OpenAPI> {
    serde_yaml::from_value(document.clone()).ok()
}

fn progenitor_accepts(document: &Value) -> bool {
    openapi(document).is_some_and(|document| peer::accepts(&document))
}

fn ours_accepts(document: &Value, keep: &BTreeSet<String>) -> bool {
    // Ours reads the document through its own loader, as `xtask codegen` does.
    let Some(openapi) = openapi(document) else { return false };
    let selection = codegen::Selection { tag: None, operation_ids: keep.iter().cloned().collect() };
    codegen::generate_from(&openapi, &codegen::Options::new(selection)).is_ok()
}

/// What the search found.
pub struct Subset {
    pub document: Value,
    pub operations: Vec<String>,
    pub total: usize,
    pub progenitor_alone: usize,
    pub ours_alone: usize,
}

/// Finds the subset of `document` both generators accept.
pub fn find(document: &Value) -> Subset {
    let all = operation_ids(document);
    // progenitor panics on some shapes; the search says nothing about each.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let (mut progenitor_alone, mut ours_alone) = (0, 0);
    let mut keep = BTreeSet::new();
    for id in &all {
        let one = BTreeSet::from([id.clone()]);
        let single = with_operations(document, &one);
        let by_progenitor = progenitor_accepts(&single);
        let by_ours = ours_accepts(document, &one);
        progenitor_alone += usize::from(by_progenitor);
        ours_alone += usize::from(by_ours);
        if by_progenitor && by_ours {
            keep.insert(id.clone());
        }
    }
    // The union: drop the first operation whose removal makes it pass, until it does.
    loop {
        let union = with_operations(document, &keep);
        if progenitor_accepts(&union) && ours_accepts(&union, &keep) {
            break;
        }
        let offender = keep.iter().find(|id| {
            let mut fewer = keep.clone();
            fewer.remove(*id);
            let smaller = with_operations(document, &fewer);
            progenitor_accepts(&smaller) && ours_accepts(&smaller, &fewer)
        });
        match offender.cloned() {
            Some(id) => {
                keep.remove(&id);
            }
            // No single operation is to blame: keep none rather than guess.
            None => keep.clear(),
        }
        if keep.is_empty() {
            break;
        }
    }
    std::panic::set_hook(hook);
    let operations: Vec<String> = all.iter().filter(|id| keep.contains(*id)).cloned().collect();
    Subset { document: with_operations(document, &keep), operations, total: all.len(), progenitor_alone, ours_alone }
}

/// Reads a YAML document.
pub fn read(path: &Path) -> Result<Value, String> {
    let text = std::fs::read_to_string(path).map_err(|error| format!("{}: {error}", path.display()))?;
    serde_yaml::from_str(&text).map_err(|error| format!("{}: {error}", path.display()))
}

/// Writes a YAML document.
pub fn write(path: &Path, document: &Value) -> Result<(), String> {
    let text = serde_yaml::to_string(document).map_err(|error| format!("{}: {error}", path.display()))?;
    std::fs::write(path, text).map_err(|error| format!("{}: {error}", path.display()))
}
