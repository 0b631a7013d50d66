//! What the operations reach, read off the IR once everything is lowered.
//!
//! - `prune`: a type no operation reaches is dropped. Lowering defines one only
//!   when something refers to it, but merging can leave one behind: the wider
//!   of two definitions of an `allOf` property, or a union member that turned
//!   out to be the same type as another.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::{Group, TypeDef, TypeRef};

pub(super) fn prune(types: BTreeMap<String, TypeDef>, groups: &[Group]) -> BTreeMap<String, TypeDef> {
    let roots = groups.iter().flat_map(|group| &group.operations).flat_map(|operation| {
        let params = operation.path_params.iter().chain(operation.query.iter().flat_map(|query| &query.params));
        let responses = operation.success.iter().chain(&operation.errors).filter_map(|response| response.ty.as_ref());
        params.map(|param| &param.ty).chain(operation.body.as_ref().map(|body| &body.ty)).chain(responses)
    });
    let reached = reached_from(&types, roots);
    types.into_iter().filter(|(name, _)| reached.contains(name)).collect()
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
