//! Picking the operations to generate: by tag (default "Organization Invitations")
//! and, optionally, narrowed to named operationIds.
//!
//! Only what is selected has to be generable: an operation outside the selection
//! may lack an operationId or share one with another, and it does not stop a run.
//! The rule that decides what is selected (`choose`) is the same for the typed
//! document (here) and for the document tree `load::read_selection` cuts down
//! before it reads anything as `openapiv3` types, so both pick the same operations.

use std::collections::BTreeMap;

use openapiv3::{OpenAPI, Operation, PathItem, ReferenceOr};

use crate::error::pointer;
use crate::ir::HttpMethod;
use crate::Error;

/// The tag the project generates by default.
pub const DEFAULT_TAG: &str = "Organization Invitations";

/// The methods a client calls, in the order their operations are listed, with
/// their keys in a path item. `options`, `head` and `trace` are never selected.
pub(crate) const METHODS: [(HttpMethod, &str); 5] = [
    (HttpMethod::Get, "get"),
    (HttpMethod::Put, "put"),
    (HttpMethod::Post, "post"),
    (HttpMethod::Delete, "delete"),
    (HttpMethod::Patch, "patch"),
];

/// Which operations to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    /// Operations carrying this tag; `None` means every operation.
    pub tag: Option<String>,
    /// If not empty, only these operationIds (each must exist).
    pub operation_ids: Vec<String>,
}

impl Default for Selection {
    fn default() -> Self {
        Selection { tag: Some(DEFAULT_TAG.to_owned()), operation_ids: Vec::new() }
    }
}

impl Selection {
    /// Every operation of the document (`--all-tags` without `--operation`): the
    /// whole document is then read and checked.
    pub fn is_everything(&self) -> bool {
        self.tag.is_none() && self.operation_ids.is_empty()
    }

    fn has_tag<'t>(&self, mut tags: impl Iterator<Item = &'t str>) -> bool {
        self.tag.as_deref().is_none_or(|wanted| tags.any(|tag| tag == wanted))
    }

    fn names(&self, operation_id: Option<&str>) -> bool {
        self.operation_ids.is_empty()
            || operation_id.is_some_and(|id| self.operation_ids.iter().any(|wanted| wanted == id))
    }
}

/// What the selection rule knows of one operation.
#[derive(Debug, Clone)]
pub(crate) struct Candidate<'a> {
    pub tags: Vec<&'a str>,
    pub operation_id: Option<&'a str>,
}

/// The indexes of the `candidates` (operations in document order) that
/// `selection` picks. It is an error when the tag is on no operation (naming the
/// document's tags, `known_tags`) or a wanted operationId is on no operation
/// with the tag.
pub(crate) fn choose(
    selection: &Selection,
    candidates: &[Candidate<'_>],
    known_tags: &[&str],
) -> Result<Vec<usize>, Error> {
    let tagged: Vec<usize> =
        (0..candidates.len()).filter(|&index| selection.has_tag(candidates[index].tags.iter().copied())).collect();
    if let Some(tag) = &selection.tag {
        if tagged.is_empty() {
            let mut known = known_tags.to_vec();
            known.sort_unstable();
            return Err(Error::at(
                "#/tags",
                format!("no operation is tagged `{tag}`; tags in this document: {}", known.join(", ")),
            ));
        }
    }
    for wanted in &selection.operation_ids {
        if !tagged.iter().any(|&index| candidates[index].operation_id == Some(wanted.as_str())) {
            return Err(Error::at("#/paths", format!("no selected operation has operationId `{wanted}`")));
        }
    }
    Ok(tagged.into_iter().filter(|&index| selection.names(candidates[index].operation_id)).collect())
}

/// One chosen operation, with where it sits in the document.
#[derive(Debug, Clone, Copy)]
pub struct Selected<'a> {
    pub path: &'a str,
    pub method: HttpMethod,
    pub path_item: &'a PathItem,
    pub operation: &'a Operation,
    pub operation_id: &'a str,
}

impl Selected<'_> {
    /// `#/paths/~1organizations~1{organization_id}~1invitations/post`
    pub fn pointer(&self) -> String {
        pointer(&pointer("#/paths", self.path), &self.method.as_str().to_ascii_lowercase())
    }
}

fn operation_of(item: &PathItem, method: HttpMethod) -> Option<&Operation> {
    match method {
        HttpMethod::Get => item.get.as_ref(),
        HttpMethod::Put => item.put.as_ref(),
        HttpMethod::Post => item.post.as_ref(),
        HttpMethod::Delete => item.delete.as_ref(),
        HttpMethod::Patch => item.patch.as_ref(),
    }
}

/// Every operation of the document, in document order; operationIds must be unique.
pub fn all_operations(document: &OpenAPI) -> Result<Vec<Selected<'_>>, Error> {
    select(document, &Selection { tag: None, operation_ids: Vec::new() })
}

/// The operations `selection` asks for, in document order. Each must have an
/// operationId, unique among them; the operations not selected are not looked at.
pub fn select<'a>(document: &'a OpenAPI, selection: &Selection) -> Result<Vec<Selected<'a>>, Error> {
    let mut operations: Vec<(&'a str, HttpMethod, &'a PathItem, &'a Operation)> = Vec::new();
    for (path, item) in document.paths.paths.iter() {
        let item = match item {
            ReferenceOr::Item(item) => item,
            // `load` resolves them; a document built some other way may still
            // hold one, and what it refers to might be selected.
            ReferenceOr::Reference { .. } => {
                return Err(Error::at(
                    pointer("#/paths", path),
                    "path items given by `$ref` must be resolved first (`codegen::load` does)",
                ));
            }
        };
        for (method, _) in METHODS {
            if let Some(operation) = operation_of(item, method) {
                operations.push((path, method, item, operation));
            }
        }
    }
    let candidates: Vec<Candidate<'a>> = operations
        .iter()
        .map(|(_, _, _, operation)| Candidate {
            tags: operation.tags.iter().map(String::as_str).collect(),
            operation_id: operation.operation_id.as_deref(),
        })
        .collect();
    let known_tags: Vec<&str> = document.tags.iter().map(|tag| tag.name.as_str()).collect();
    let mut chosen = Vec::new();
    let mut seen: BTreeMap<&str, String> = BTreeMap::new();
    for index in choose(selection, &candidates, &known_tags)? {
        let (path, method, path_item, operation) = operations[index];
        let here = pointer(&pointer("#/paths", path), &method.as_str().to_ascii_lowercase());
        let Some(operation_id) = operation.operation_id.as_deref() else {
            return Err(Error::at(here, "operation has no operationId (the client's method is named after it)"));
        };
        if let Some(first) = seen.insert(operation_id, here.clone()) {
            return Err(Error::at(here, format!("duplicate operationId `{operation_id}` (first used at {first})")));
        }
        chosen.push(Selected { path, method, path_item, operation, operation_id });
    }
    Ok(chosen)
}
