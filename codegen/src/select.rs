//! Picking the operations to generate: by tag (default "Organization Invitations")
//! and, optionally, narrowed to named operationIds.

use std::collections::BTreeMap;

use openapiv3::{OpenAPI, Operation, PathItem, ReferenceOr};

use crate::error::pointer;
use crate::ir::HttpMethod;
use crate::Error;

/// The tag the project generates by default.
pub const DEFAULT_TAG: &str = "Organization Invitations";

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

/// Every operation of the document, in document order; operationIds must be unique.
pub fn all_operations(document: &OpenAPI) -> Result<Vec<Selected<'_>>, Error> {
    let mut operations = Vec::new();
    let mut seen: BTreeMap<&str, String> = BTreeMap::new();
    for (path, item) in document.paths.paths.iter() {
        let item = match item {
            ReferenceOr::Item(item) => item,
            ReferenceOr::Reference { .. } => {
                return Err(Error::at(pointer("#/paths", path), "path items given by `$ref` are not supported"));
            }
        };
        let methods = [
            (HttpMethod::Get, &item.get),
            (HttpMethod::Put, &item.put),
            (HttpMethod::Post, &item.post),
            (HttpMethod::Delete, &item.delete),
            (HttpMethod::Patch, &item.patch),
        ];
        for (method, operation) in methods {
            let Some(operation) = operation else { continue };
            let here = pointer(&pointer("#/paths", path), &method.as_str().to_ascii_lowercase());
            let Some(operation_id) = operation.operation_id.as_deref() else {
                return Err(Error::at(here, "operation has no operationId"));
            };
            if let Some(first) = seen.insert(operation_id, here.clone()) {
                return Err(Error::at(here, format!("duplicate operationId `{operation_id}` (first used at {first})")));
            }
            operations.push(Selected { path, method, path_item: item, operation, operation_id });
        }
    }
    Ok(operations)
}

/// The operations `selection` asks for, in document order.
pub fn select<'a>(document: &'a OpenAPI, selection: &Selection) -> Result<Vec<Selected<'a>>, Error> {
    let operations = all_operations(document)?;
    let mut chosen: Vec<Selected<'a>> = match &selection.tag {
        Some(tag) => operations.iter().copied().filter(|op| op.operation.tags.contains(tag)).collect(),
        None => operations.clone(),
    };
    if let Some(tag) = &selection.tag {
        if chosen.is_empty() {
            let mut known: Vec<&str> = document.tags.iter().map(|t| t.name.as_str()).collect();
            known.sort_unstable();
            return Err(Error::at(
                "#/tags",
                format!("no operation is tagged `{tag}`; tags in this document: {}", known.join(", ")),
            ));
        }
    }
    if !selection.operation_ids.is_empty() {
        for wanted in &selection.operation_ids {
            if !chosen.iter().any(|op| op.operation_id == wanted) {
                return Err(Error::at("#/paths", format!("no selected operation has operationId `{wanted}`")));
            }
        }
        chosen.retain(|op| selection.operation_ids.iter().any(|id| id == op.operation_id));
    }
    Ok(chosen)
}
