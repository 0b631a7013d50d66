//! Conversions between types the spec defines twice. Some schemas appear twice
//! inline (the `status` enum of two list operations, the single and bulk create
//! bodies); they stay separate types, named from where they appear, so that an
//! edit of one does not change the other's API. To move a value from one to the
//! other they get `From` both ways:
//! - enums whose values one includes the other's: the conversion goes through
//!   the wire value, so it is lossless (a value the target does not list is its
//!   `Unknown`), and a value added to one of them keeps it;
//! - structs with the same fields (wire names, types, required, nullable).
//!   Adding a field to one of them ends their conversion: a breaking change,
//!   which the semver report names. Merging the two into one type would make
//!   any edit of either a change of both; keeping them apart keeps such edits
//!   local, at the price of this conversion.
//!
//! A type converts to at most `MAX_TWINS` others. Conversions go both ways
//! between every pair, so a family of k alike types would cost k × (k − 1)
//! impls: Clerk's documents define one error item inline in 35 places (1,190
//! impls), GitHub's has families larger still, and a document made of copies
//! grew quadratically. A type with more twins than that gets none (nor do its
//! twins get one to it); a family of pairs and triples, as in the invitations
//! slice, keeps them all. That a new twin elsewhere can end a conversion is the
//! same kind of change as a new field, and the semver report names it.
//!
//! Closed enums (see `lower::OpenEnums`) have no `Unknown` for a value the other
//! lists and the target does not, so they convert to nothing; unions and type
//! aliases neither: two unions of one shape are named from their place like
//! structs, but variants are matched by tag or by decoding, and a conversion
//! would have to say which.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::{Api, Struct, TypeKind};

/// How many other types one type may convert to and from (see the module docs).
pub const MAX_TWINS: usize = 3;

/// Every `(from, to)` pair of distinct types that convert, sorted.
pub fn identical_pairs(api: &Api) -> Vec<(String, String)> {
    let mut by_shape: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    let mut enums: Vec<(&str, BTreeSet<&str>)> = Vec::new();
    for (name, def) in &api.types {
        match &def.kind {
            TypeKind::Enum(_) if api.closed_enums.contains(name) => {}
            TypeKind::Enum(values) => enums.push((name, values.iter().map(|value| value.wire.as_str()).collect())),
            TypeKind::Struct(shape) => by_shape.entry(shape_key(shape)).or_default().push(name),
            TypeKind::Tagged(_) | TypeKind::Untagged(_) | TypeKind::Alias(_) => {}
        }
    }
    let mut pairs = Vec::new();
    for names in by_shape.values().filter(|names| (2..=MAX_TWINS + 1).contains(&names.len())) {
        for from in names {
            for to in names.iter().filter(|to| *to != from) {
                pairs.push(((*from).to_owned(), (*to).to_owned()));
            }
        }
    }
    // An enum's twins are the enums whose values include its values or are
    // included in them; the relation is symmetric, so one pass finds both ends.
    let mut twins: Vec<Vec<usize>> = vec![Vec::new(); enums.len()];
    for (a, (_, a_values)) in enums.iter().enumerate() {
        for (b, (_, b_values)) in enums.iter().enumerate().skip(a + 1) {
            if a_values.is_subset(b_values) || b_values.is_subset(a_values) {
                twins[a].push(b);
                twins[b].push(a);
            }
        }
    }
    for (a, partners) in twins.iter().enumerate().filter(|(_, partners)| partners.len() <= MAX_TWINS) {
        for &b in partners.iter().filter(|&&b| twins[b].len() <= MAX_TWINS) {
            pairs.push((enums[a].0.to_owned(), enums[b].0.to_owned()));
        }
    }
    pairs.sort();
    pairs
}

/// What makes two structs interchangeable: every field's wire name, type, and
/// whether it is required, nullable, boxed, read-only; and the map of other
/// properties, if any.
fn shape_key(shape: &Struct) -> String {
    let mut fields: Vec<String> = shape
        .fields
        .iter()
        .map(|field| {
            format!(
                "{}:{:?}:{}:{}:{}:{}",
                field.wire_name, field.ty, field.required, field.nullable, field.boxed, field.read_only
            )
        })
        .collect();
    fields.sort_unstable();
    format!("struct {fields:?} rest {:?}", shape.rest)
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use super::*;
    use crate::ir::{Bounds, EnumValue, Field, Rest, TypeDef, TypeRef};

    fn enumeration(values: &[&str]) -> TypeKind {
        TypeKind::Enum(values.iter().map(|v| EnumValue { wire: (*v).into(), variant: (*v).into() }).collect())
    }

    fn structure(rest: Option<Rest>) -> TypeKind {
        let field = Field {
            wire_name: "name".into(),
            rust_name: "name".into(),
            ty: TypeRef::String,
            required: true,
            nullable: false,
            boxed: false,
            description: None,
            default: None,
            bounds: Bounds::default(),
            deprecated: false,
            read_only: false,
        };
        TypeKind::Struct(Struct { fields: vec![field], all_optional: false, constructor: false, rest })
    }

    fn api(types: Vec<(&str, TypeKind)>, closed: &[&str]) -> Api {
        let types: BTreeMap<String, TypeDef> = types
            .into_iter()
            .map(|(name, kind)| {
                (name.to_owned(), TypeDef { name: name.into(), description: None, origin: "#".into(), kind })
            })
            .collect();
        Api {
            title: Some("t".into()),
            version: "1".into(),
            default_base_url: None,
            groups: Vec::new(),
            types,
            retries: None,
            schemes: Vec::new(),
            constant_headers: Vec::new(),
            secret_var: None,
            errors: Default::default(),
            closed_enums: closed.iter().map(|name| (*name).to_owned()).collect::<BTreeSet<_>>(),
        }
    }

    #[test]
    fn closed_enums_and_structs_with_other_maps_do_not_convert() {
        let rest = Rest { rust_name: "additional_properties".into(), item: TypeRef::String, nullable: false };
        let types = vec![
            ("OpenA", enumeration(&["a"])),
            ("OpenAb", enumeration(&["a", "b"])),
            ("ClosedAb", enumeration(&["a", "b"])),
            ("Plain", structure(None)),
            ("SamePlain", structure(None)),
            ("WithRest", structure(Some(rest))),
        ];
        let pairs = identical_pairs(&api(types, &["ClosedAb"]));
        let pairs: Vec<(&str, &str)> = pairs.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        assert_eq!(pairs, [("OpenA", "OpenAb"), ("OpenAb", "OpenA"), ("Plain", "SamePlain"), ("SamePlain", "Plain")]);
    }

    #[test]
    fn a_type_with_more_than_max_twins_converts_to_none_of_them() {
        // Five alike structs: each has four twins, one too many.
        let many: Vec<String> = (0..=MAX_TWINS + 1).map(|i| format!("Many{i}")).collect();
        let mut types: Vec<(&str, TypeKind)> = many.iter().map(|name| (name.as_str(), structure(None))).collect();
        // An enum included in four others converts to none of them; the four,
        // each with the one twin, convert with nothing else either.
        types.push(("Small", enumeration(&["x"])));
        types.extend([
            ("Wide1", enumeration(&["x", "a"])),
            ("Wide2", enumeration(&["x", "b"])),
            ("Wide3", enumeration(&["x", "c"])),
            ("Wide4", enumeration(&["x", "d"])),
        ]);
        // A family of three keeps all six conversions.
        types.extend([
            ("Trio1", enumeration(&["t"])),
            ("Trio2", enumeration(&["t"])),
            ("Trio3", enumeration(&["t", "u"])),
        ]);
        let pairs = identical_pairs(&api(types, &[]));
        let pairs: Vec<(&str, &str)> = pairs.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        assert_eq!(
            pairs,
            [
                ("Trio1", "Trio2"),
                ("Trio1", "Trio3"),
                ("Trio2", "Trio1"),
                ("Trio2", "Trio3"),
                ("Trio3", "Trio1"),
                ("Trio3", "Trio2"),
            ]
        );
    }
}
