//! Recursive types: a struct that holds itself, directly or through other
//! structs, has no size in Rust (E0072) unless the cycle goes through a pointer.
//! Lists and maps (and aliases of them) already are one; a field that holds a
//! struct in its own cycle gets a `Box`.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::{TypeDef, TypeKind, TypeRef};

pub(super) fn box_recursive_fields(types: &mut BTreeMap<String, TypeDef>) {
    // The structs each struct holds inline (not behind a list or map).
    let inline: BTreeMap<String, Vec<String>> = types
        .iter()
        .filter_map(|(name, def)| match &def.kind {
            TypeKind::Struct(shape) => Some((
                name.clone(),
                shape
                    .fields
                    .iter()
                    .filter_map(|field| match &field.ty {
                        TypeRef::Named(target) => Some(target.clone()),
                        _ => None,
                    })
                    .collect(),
            )),
            TypeKind::Enum(_) | TypeKind::Alias(_) => None,
        })
        .collect();
    for (name, def) in types.iter_mut() {
        let TypeKind::Struct(shape) = &mut def.kind else { continue };
        for field in &mut shape.fields {
            if let TypeRef::Named(target) = &field.ty {
                field.boxed = reaches(&inline, target, name);
            }
        }
    }
}

/// Whether `to` can be reached from `from` through inline fields.
fn reaches(inline: &BTreeMap<String, Vec<String>>, from: &str, to: &str) -> bool {
    let mut seen = BTreeSet::new();
    let mut pending = vec![from];
    while let Some(current) = pending.pop() {
        if current == to {
            return true;
        }
        if seen.insert(current) {
            pending.extend(inline.get(current).into_iter().flatten().map(String::as_str));
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Bounds, Field, Struct};

    fn field(name: &str, ty: TypeRef) -> Field {
        Field {
            wire_name: name.into(),
            rust_name: name.into(),
            ty,
            required: false,
            nullable: false,
            boxed: false,
            description: None,
            default: None,
            bounds: Bounds::default(),
            deprecated: false,
        }
    }

    fn structure(name: &str, fields: Vec<Field>) -> (String, TypeDef) {
        let kind = TypeKind::Struct(Struct { fields, all_optional: true, constructor: false, rest: None });
        (name.into(), TypeDef { name: name.into(), description: None, origin: "#".into(), kind })
    }

    fn boxed(types: &BTreeMap<String, TypeDef>, name: &str) -> Vec<bool> {
        match &types[name].kind {
            TypeKind::Struct(shape) => shape.fields.iter().map(|field| field.boxed).collect(),
            _ => Vec::new(),
        }
    }

    #[test]
    fn fields_in_a_cycle_are_boxed_and_others_not() {
        let named = |name: &str| TypeRef::Named(name.into());
        let mut types: BTreeMap<String, TypeDef> = [
            structure(
                "Node",
                vec![field("next", named("Node")), field("children", TypeRef::Array(Box::new(named("Node"))))],
            ),
            structure("A", vec![field("b", named("B")), field("leaf", named("Leaf"))]),
            structure("B", vec![field("a", named("A"))]),
            structure("Leaf", vec![field("value", TypeRef::String)]),
        ]
        .into_iter()
        .collect();
        box_recursive_fields(&mut types);
        assert_eq!(boxed(&types, "Node"), [true, false], "a list is already a pointer");
        assert_eq!(boxed(&types, "A"), [true, false]);
        assert_eq!(boxed(&types, "B"), [true]);
        assert_eq!(boxed(&types, "Leaf"), [false]);
    }
}
