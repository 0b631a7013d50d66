//! Recursive types: a struct or union that holds itself, directly or through
//! other structs and unions, has no size in Rust (E0072) unless the cycle goes
//! through a pointer. Lists and maps (and aliases of them) already are one; a
//! field or variant that holds a type in its own cycle gets a `Box`.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::{TypeDef, TypeKind, TypeRef};

pub(super) fn box_recursive_fields(types: &mut BTreeMap<String, TypeDef>) {
    // The named types each type holds inline (not behind a list or map).
    let inline: BTreeMap<String, Vec<String>> = types
        .iter()
        .map(|(name, def)| {
            let held = match &def.kind {
                TypeKind::Struct(_) | TypeKind::Tagged(_) | TypeKind::Untagged(_) => def.kind.holds(),
                TypeKind::Enum(_) | TypeKind::Alias(_) => Vec::new(),
            };
            let targets = held
                .into_iter()
                .filter_map(|ty| match ty {
                    TypeRef::Named(target) => Some(target.clone()),
                    _ => None,
                })
                .collect();
            (name.clone(), targets)
        })
        .collect();
    let boxed = |ty: &TypeRef, name: &str| match ty {
        TypeRef::Named(target) => reaches(&inline, target, name),
        _ => false,
    };
    for (name, def) in types.iter_mut() {
        match &mut def.kind {
            TypeKind::Struct(shape) => {
                for field in &mut shape.fields {
                    field.boxed = boxed(&field.ty, name);
                }
            }
            TypeKind::Tagged(union) => {
                for variant in &mut union.variants {
                    variant.boxed = boxed(&variant.ty, name);
                }
            }
            TypeKind::Untagged(union) => {
                for variant in &mut union.variants {
                    variant.boxed = boxed(&variant.ty, name);
                }
            }
            TypeKind::Enum(_) | TypeKind::Alias(_) => {}
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
            read_only: false,
        }
    }

    fn structure(name: &str, fields: Vec<Field>) -> (String, TypeDef) {
        let kind = TypeKind::Struct(Struct { fields, all_optional: true, constructor: false, rest: None });
        (name.into(), TypeDef { name: name.into(), description: None, origin: "#".into(), kind })
    }

    fn boxed(types: &BTreeMap<String, TypeDef>, name: &str) -> Vec<bool> {
        match &types[name].kind {
            TypeKind::Struct(shape) => shape.fields.iter().map(|field| field.boxed).collect(),
            TypeKind::Tagged(union) => union.variants.iter().map(|variant| variant.boxed).collect(),
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

    #[test]
    fn variants_of_a_union_in_a_cycle_are_boxed() {
        use crate::ir::{Tagged, TaggedVariant};
        let named = |name: &str| TypeRef::Named(name.into());
        let variant = |name: &str| TaggedVariant {
            name: name.into(),
            tags: vec![name.to_lowercase()],
            ty: named(name),
            boxed: false,
            carries_tag: true,
        };
        let union = Tagged { property: "kind".into(), variants: vec![variant("Leaf"), variant("Branch")] };
        let tree =
            TypeDef { name: "Tree".into(), description: None, origin: "#".into(), kind: TypeKind::Tagged(union) };
        let mut types: BTreeMap<String, TypeDef> = [
            ("Tree".to_owned(), tree),
            structure(
                "Branch",
                vec![field("left", named("Tree")), field("all", TypeRef::Array(Box::new(named("Tree"))))],
            ),
            structure("Leaf", vec![field("value", TypeRef::String)]),
        ]
        .into_iter()
        .collect();
        box_recursive_fields(&mut types);
        assert_eq!(boxed(&types, "Tree"), [false, true], "only the variant in the cycle");
        assert_eq!(boxed(&types, "Branch"), [true, false]);
    }
}
