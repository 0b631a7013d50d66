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

use crate::ir::{Body, Content, FormValue, Group, Operation, TypeDef, TypeKind, TypeRef};

pub(super) fn prune(types: BTreeMap<String, TypeDef>, groups: &[Group]) -> BTreeMap<String, TypeDef> {
    let roots = groups.iter().flat_map(|group| &group.operations).flat_map(roots);
    let reached = reached_from(&types, roots);
    types.into_iter().filter(|(name, _)| reached.contains(name)).collect()
}

/// The types an operation names itself: its parameters', its body's and its
/// JSON responses'. Every type of the crate is reached from these.
pub(crate) fn roots(operation: &Operation) -> impl Iterator<Item = &TypeRef> {
    let params = operation
        .path_params
        .iter()
        .chain(operation.query.iter().flat_map(|query| &query.params))
        .chain(&operation.headers)
        .map(|param| &param.ty);
    let responses =
        operation.successes.iter().chain(&operation.errors).filter_map(|response| match &response.content {
            Content::Json(ty) => Some(ty),
            _ => None,
        });
    params.chain(sent_types(operation)).chain(responses)
}

/// The types an operation's body sends: a JSON body's type, or the types of a
/// form's text fields (the form itself is not one of `Api::types`).
fn sent_types(operation: &Operation) -> Box<dyn Iterator<Item = &TypeRef> + '_> {
    match &operation.body {
        Some(Body { form: Some(form), .. }) => Box::new(form.fields.iter().filter_map(|field| match &field.value {
            FormValue::Text(ty) => Some(ty),
            FormValue::File | FormValue::Files => None,
        })),
        Some(body) => Box::new(std::iter::once(&body.ty)),
        None => Box::new(std::iter::empty()),
    }
}

pub(super) fn read_only(types: &mut BTreeMap<String, TypeDef>, groups: &[Group]) {
    let bodies = groups.iter().flat_map(|group| &group.operations).flat_map(sent_types);
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
pub(crate) fn reached_from<'t>(
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
