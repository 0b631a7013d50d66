//! The largest part of a document that both generators accept: every
//! operation is tried with progenitor alone (the document with only that
//! operation, all components kept) and with ours; the accepted ones are kept,
//! and their union is checked with both, dropping an operation at a time while
//! the union fails. Generating is not enough: [`drop_uncompilable`] then
//! builds progenitor's crate for the union and drops each operation whose
//! method does not compile (Clerk's `GetPublicInterstitial` has both
//! `frontend_api` and `frontendApi`, one Rust name twice: E0415).

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

/// Drops from `subset` the operations whose method in progenitor's crate for
/// it does not compile, until it does (at most a few rounds), building in the
/// scratch workspace `dir` locked by `lock`; then checks that ours (against
/// the runtime of the repository at `root`) compiles too. Returns the
/// operations dropped.
pub fn drop_uncompilable(
    subset: &mut Subset,
    source: &Value,
    root: &Path,
    dir: &Path,
    lock: &Path,
) -> Result<Vec<String>, String> {
    let mut dropped = Vec::new();
    for _ in 0..5 {
        let spec = dir.join("subset.yaml");
        std::fs::create_dir_all(dir).map_err(|error| format!("{}: {error}", dir.display()))?;
        write(&spec, &subset.document)?;
        let workspace = crate::rebuild::progenitor(&spec, &dir.join("progenitor"), lock)?;
        let Some(errors) = workspace.check()? else {
            // Ours must compile as it is: a failure there is a bug to fix, not an operation to drop.
            let every = codegen::Selection { tag: None, operation_ids: Vec::new() };
            let ours = crate::rebuild::ours_for(root, &spec, &dir.join("ours"), every)?;
            return match ours.check()? {
                None => Ok(dropped),
                Some(errors) => Err(format!("our crate for the subset does not compile: {errors}")),
            };
        };
        let lib = std::fs::read_to_string(workspace.dir.join("src/lib.rs")).map_err(|error| error.to_string())?;
        let methods = failing_methods(&lib, &errors);
        let offenders: BTreeSet<String> = subset
            .operations
            .iter()
            .filter(|id| methods.contains(&heck::ToSnakeCase::to_snake_case(id.as_str())))
            .cloned()
            .collect();
        if offenders.is_empty() {
            return Err(format!(
                "progenitor's crate for the subset does not compile, and no error is in a method: {errors}"
            ));
        }
        subset.operations.retain(|id| !offenders.contains(id));
        let keep: BTreeSet<String> = subset.operations.iter().cloned().collect();
        subset.document = with_operations(source, &keep);
        dropped.extend(offenders);
    }
    Err(format!("progenitor's crate for the subset still does not compile after dropping {dropped:?}"))
}

/// The names of the functions of `lib` that the `file:line:col: error` lines
/// of `errors` (cargo's short messages) fall in.
pub fn failing_methods(lib: &str, errors: &str) -> BTreeSet<String> {
    let lines: Vec<&str> = lib.lines().collect();
    let mut methods = BTreeSet::new();
    for error in errors.lines().filter(|line| line.contains(": error")) {
        let mut parts = error.split(':');
        let (Some(_file), Some(line)) = (parts.next(), parts.next()) else { continue };
        let Ok(line) = line.trim().parse::<usize>() else { continue };
        let enclosing = lines.iter().take(line).rev().find_map(|text| {
            let text = text.trim_start();
            let rest = text.strip_prefix("pub async fn ").or_else(|| text.strip_prefix("pub fn "))?;
            Some(rest.split(['<', '(']).next().unwrap_or(rest).trim().to_owned())
        });
        methods.extend(enclosing);
    }
    methods
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_line_names_the_method_it_is_in() {
        let lib = "impl Client {\n    pub async fn get_public_interstitial<'a>(\n        &'a self,\n        frontend_api: &str,\n        frontend_api: &str,\n    ) {}\n    pub fn other(&self) {}\n}\n";
        let errors = "src/lib.rs:5:9: error[E0415]: identifier `frontend_api` is bound more than once\nwarning: unused";
        assert_eq!(failing_methods(lib, errors), BTreeSet::from(["get_public_interstitial".to_owned()]));
    }
}
