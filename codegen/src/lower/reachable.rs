//! What the operations reach, read off the IR once everything is lowered.
//!
//! - `prune`: a type no operation reaches is dropped. Lowering defines one only
//!   when something refers to it, but merging can leave one behind: the wider
//!   of two definitions of an `allOf` property, or a union member that turned
//!   out to be the same type as another.
//! - `read_only`: `readOnly` properties matter only in what is sent. In a type
//!   a request body reaches they are decoded but never serialised, and optional
//!   in Rust, since a value the caller builds has none; elsewhere they are
//!   ordinary fields. One type serves both directions, so a response is never
//!   missing what the server sent.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::{Group, TypeDef, TypeKind, TypeRef};

pub(super) fn prune(types: BTreeMap<String, TypeDef>, groups: &[Group]) -> BTreeMap<String, TypeDef> {
    let roots = groups.iter().flat_map(|group| &group.operations).flat_map(|operation| {
        let params = operation.path_params.iter().chain(operation.query.iter().flat_map(|query| &query.params));
        let responses = operation.success.iter().chain(&operation.errors).filter_map(|response| response.ty.as_ref());
        params.map(|param| &param.ty).chain(operation.body.as_ref().map(|body| &body.ty)).chain(responses)
    });
    let reached = reached_from(&types, roots);
    types.into_iter().filter(|(name, _)| reached.contains(name)).collect()
}

pub(super) fn read_only(types: &mut BTreeMap<String, TypeDef>, groups: &[Group]) {
    let bodies = groups.iter().flat_map(|group| &group.operations).filter_map(|op| op.body.as_ref()).map(|b| &b.ty);
    let sent = reached_from(types, bodies);
    for (name, def) in types.iter_mut() {
        let TypeKind::Struct(shape) = &mut def.kind else { continue };
        for field in &mut shape.fields {
            if !sent.contains(name) {
                field.read_only = false;
            } else if field.read_only {
                field.required = false;
            }
        }
        shape.all_optional = shape.fields.iter().all(|field| !field.required);
    }
}

/// The names of every type reachable from `roots`.
fn reached_from<'t>(
    types: &'t BTreeMap<String, TypeDef>,
    roots: impl Iterator<Item = &'t TypeRef>,
) -> BTreeSet<String> {
    let mut reached = BTreeSet::new();
    let mut pending: Vec<&TypeRef> = roots.collect();
    while let Some(ty) = pending.pop() {
        let Some(name) = ty.named() else { continue };
        if reached.insert(name.to_owned()) {
            if let Some(def) = types.get(name) {
                pending.extend(def.kind.holds());
            }
        }
    }
    reached
}
