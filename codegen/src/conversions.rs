//! Conversions between structurally identical types. The spec defines some
//! schemas twice, inline (the `status` enum of two list operations, the single
//! and bulk create bodies); they stay separate types, named from where they
//! appear, so that a later edit of one does not change the other's API. To
//! move a value from one to the other, each pair of identical types gets `From`
//! both ways. If a spec edit makes them differ, the conversions go, and the API
//! surface (and so the semver report) shows it.

use std::collections::BTreeMap;

use crate::ir::{Api, TypeKind};

/// Every `(from, to)` pair of distinct types with the same shape, sorted.
pub fn identical_pairs(api: &Api) -> Vec<(String, String)> {
    let mut by_shape: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for (name, def) in &api.types {
        by_shape.entry(shape_key(&def.kind)).or_default().push(name);
    }
    let mut pairs = Vec::new();
    for names in by_shape.values().filter(|names| names.len() > 1) {
        for from in names {
            for to in names.iter().filter(|to| *to != from) {
                pairs.push(((*from).to_owned(), (*to).to_owned()));
            }
        }
    }
    pairs.sort();
    pairs
}

/// What makes two types interchangeable: for enums their values, for structs
/// every field's wire name, type, and whether it is required, nullable, boxed.
fn shape_key(kind: &TypeKind) -> String {
    match kind {
        TypeKind::Enum(values) => {
            let mut wire: Vec<&str> = values.iter().map(|value| value.wire.as_str()).collect();
            wire.sort_unstable();
            format!("enum {wire:?}")
        }
        TypeKind::Struct(shape) => {
            let mut fields: Vec<String> = shape
                .fields
                .iter()
                .map(|field| {
                    format!("{}:{:?}:{}:{}:{}", field.wire_name, field.ty, field.required, field.nullable, field.boxed)
                })
                .collect();
            fields.sort_unstable();
            format!("struct {fields:?}")
        }
    }
}
