//! `allOf`, `oneOf` and `anyOf`.
//!
//! - `allOf` of objects merges their properties into one struct, following
//!   `$ref`s and nested `allOf`s; an `allOf` of one schema and nothing else (the
//!   usual way to add `nullable` or a description to a `$ref`) is that schema.
//!   A property several members define is one field when the definitions agree
//!   (prose aside) or one narrows the other (an enum with fewer values, a string
//!   given an enum): the narrower wins. Anything else is an error naming both.
//! - `oneOf`/`anyOf` members that are `null` make the type nullable; one member
//!   left is that member's type. With a `discriminator`, the members become a
//!   tagged union (`ir::Tagged`), even if there is one, because the tag is what
//!   tells a future variant apart; without, an untagged one (`ir::Untagged`),
//!   its variants ordered most specific first.

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{ReferenceOr, Schema, SchemaKind};

use super::schemas::{component_name, composition_loop, required_at, Definition, PropertySet};
use super::shape::{shape, Properties, Shape};
use super::Lowerer;
use crate::error::pointer;
use crate::ir::{Tagged, TaggedVariant, TypeDef, TypeKind, TypeRef, Untagged, UntaggedVariant, CATCH_ALL};
use crate::names;
use crate::prose;
use crate::Error;

/// One member of a union, resolved.
struct Member<'a> {
    /// As written: lowering a `$ref` reuses the component's type.
    written: &'a ReferenceOr<Schema>,
    schema: &'a Schema,
    /// The component it refers to, if it is a `$ref`.
    component: Option<&'a str>,
    at: String,
}

impl<'a> Lowerer<'a> {
    /// `allOf`: the merged struct, or the one member's type; and whether the
    /// result is nullable.
    pub(super) fn all_of(
        &mut self,
        schema: &'a Schema,
        parts: &'a [ReferenceOr<Schema>],
        properties: Option<&'a Properties>,
        required: &'a [String],
        hint: &str,
        at: &str,
    ) -> Result<(TypeRef, bool), Error> {
        let own_properties = properties.filter(|properties| !properties.is_empty());
        if let ([only], None, []) = (parts, own_properties, required) {
            // `allOf: [$ref]` beside `nullable` or a description: the schema itself.
            let lowered = self.schema(only.into(), hint, &pointer(&pointer(at, "allOf"), "0"))?;
            return Ok((lowered.ty, lowered.nullable));
        }
        let mut sets = Vec::new();
        let mut all_required = required_at(required, at);
        self.all_of_parts(parts, at, &mut sets, &mut all_required, &mut Vec::new(), 0)?;
        if let Some(properties) = own_properties {
            sets.push(PropertySet { properties, at: at.to_owned() });
        }
        let ty = self.define_struct(
            hint,
            prose::text(schema.schema_data.description.as_ref()),
            sets,
            all_required,
            None,
            at,
        )?;
        Ok((ty, false))
    }

    /// The property sets of `allOf` members, in order, descending into members
    /// that are themselves `allOf`s. `within` names the components descended
    /// into on the way here: one met again, or one being lowered with no
    /// container since, is a loop.
    fn all_of_parts(
        &mut self,
        parts: &'a [ReferenceOr<Schema>],
        at: &str,
        sets: &mut Vec<PropertySet<'a>>,
        required: &mut Vec<(&'a String, String)>,
        within: &mut Vec<&'a str>,
        depth: usize,
    ) -> Result<(), Error> {
        if self.depth + depth >= super::MAX_DEPTH {
            return Err(Error::at(at, format!("schemas nest deeper than {} levels", super::MAX_DEPTH)));
        }
        for (index, part) in parts.iter().enumerate() {
            let part_at = pointer(&pointer(at, "allOf"), &index.to_string());
            let (part, defined_at, component) = match part {
                ReferenceOr::Reference { reference } => {
                    let (name, schema) = self.component_schema(reference, &part_at)?;
                    if within.contains(&name) || self.loops_back(name) {
                        return Err(composition_loop(name, &part_at));
                    }
                    (schema, pointer("#/components/schemas", name), Some(name))
                }
                ReferenceOr::Item(schema) => (schema, part_at, None),
            };
            match shape(part, &defined_at)? {
                Shape::Object { properties, required: part_required, additional } => {
                    if let Some(openapiv3::AdditionalProperties::Schema(_)) = additional {
                        return Err(Error::at(
                            pointer(&defined_at, "additionalProperties"),
                            "`additionalProperties` with a schema is not supported in `allOf`",
                        ));
                    }
                    required.extend(required_at(part_required, &defined_at));
                    sets.push(PropertySet { properties, at: defined_at });
                }
                Shape::AllOf { parts, properties, required: part_required } => {
                    required.extend(required_at(part_required, &defined_at));
                    let outer = within.len();
                    within.extend(component);
                    self.all_of_parts(parts, &defined_at, sets, required, within, depth + 1)?;
                    within.truncate(outer);
                    if let Some(properties) = properties.filter(|properties| !properties.is_empty()) {
                        sets.push(PropertySet { properties, at: defined_at });
                    }
                }
                _ => {
                    return Err(Error::at(
                        defined_at,
                        "only objects with `properties` (or `allOf`s of them) can be merged by `allOf`",
                    ))
                }
            }
        }
        Ok(())
    }

    /// The one definition of a property that several `allOf` members define, and
    /// its pointer; when there were several, whether the field is nullable (only
    /// if every definition says so) and the description of the last definition
    /// that has one (a member refining a property usually says what it means there).
    pub(super) fn merge_property(
        &self,
        wire_name: &str,
        definitions: &[Definition<'a>],
    ) -> Result<MergedProperty<'a>, Error> {
        let (first, first_at) = &definitions[0];
        if definitions.len() == 1 {
            return Ok(MergedProperty { property: first, at: first_at.clone(), nullable: None, description: None });
        }
        let (mut chosen, mut chosen_at) = (*first, first_at.clone());
        let mut nullable = self.property_schema(first, first_at)?.schema_data.nullable;
        let mut description = prose::text(self.property_schema(first, first_at)?.schema_data.description.as_ref());
        for (other, other_at) in &definitions[1..] {
            let data = &self.property_schema(other, other_at)?.schema_data;
            nullable &= data.nullable;
            description = prose::text(data.description.as_ref()).or(description);
            match self.narrower(chosen, &chosen_at, other, other_at)? {
                Some(Narrower::Kept) => {}
                Some(Narrower::Other) => (chosen, chosen_at) = (*other, other_at.clone()),
                None => {
                    return Err(Error::at(
                        other_at.clone(),
                        format!(
                            "`allOf` defines property `{wire_name}` here and at {chosen_at} with different types; only identical definitions, or an enum narrowing a string or another enum, can be merged"
                        ),
                    ))
                }
            }
        }
        Ok(MergedProperty { property: chosen, at: chosen_at, nullable: Some(nullable), description })
    }

    fn property_schema(&self, property: &'a ReferenceOr<Box<Schema>>, at: &str) -> Result<&'a Schema, Error> {
        match property {
            ReferenceOr::Reference { reference } => Ok(self.component_schema(reference, at)?.1),
            ReferenceOr::Item(schema) => Ok(schema),
        }
    }

    /// Which of two definitions of one property says more, if they are
    /// compatible: the same schema (prose aside), the same `$ref`, the same
    /// scalar type, or a string enum whose values the other allows.
    fn narrower(
        &self,
        kept: &'a ReferenceOr<Box<Schema>>,
        kept_at: &str,
        other: &'a ReferenceOr<Box<Schema>>,
        other_at: &str,
    ) -> Result<Option<Narrower>, Error> {
        if let (ReferenceOr::Reference { reference: a }, ReferenceOr::Reference { reference: b }) = (kept, other) {
            if self.component_schema(a, kept_at)?.0 == self.component_schema(b, other_at)?.0 {
                return Ok(Some(Narrower::Kept));
            }
        }
        let (a, b) = (self.property_schema(kept, kept_at)?, self.property_schema(other, other_at)?);
        if without_prose(a) == without_prose(b) {
            return Ok(Some(Narrower::Kept));
        }
        // Only scalars compare by shape: two objects or lists would each become
        // a type of their own.
        Ok(match (shape(a, kept_at)?, shape(b, other_at)?) {
            (Shape::String { enumeration: mine }, Shape::String { enumeration: theirs }) => {
                let within = |inner: &[&str], outer: &[&str]| inner.iter().all(|value| outer.contains(value));
                match (mine.is_empty(), theirs.is_empty()) {
                    (true, true) => Some(Narrower::Kept),
                    (true, false) => Some(Narrower::Other),
                    (false, true) => Some(Narrower::Kept),
                    (false, false) if within(&theirs, &mine) => Some(Narrower::Other),
                    (false, false) if within(&mine, &theirs) => Some(Narrower::Kept),
                    (false, false) => None,
                }
            }
            (Shape::Boolean, Shape::Boolean) => Some(Narrower::Kept),
            (Shape::Integer { bits: x, .. }, Shape::Integer { bits: y, .. }) if x == y => Some(Narrower::Kept),
            (Shape::Number { bits: x }, Shape::Number { bits: y }) if x == y => Some(Narrower::Kept),
            _ => None,
        })
    }

    /// `oneOf`/`anyOf`: a union, or the one non-null member's type; and whether
    /// `null` is one of the members.
    pub(super) fn union(
        &mut self,
        schema: &'a Schema,
        members: &'a [ReferenceOr<Schema>],
        keyword: &str,
        hint: &str,
        at: &str,
    ) -> Result<(TypeRef, bool), Error> {
        let members_at = pointer(at, keyword);
        let mut nullable = false;
        let mut kept = Vec::new();
        for (index, written) in members.iter().enumerate() {
            let member_at = pointer(&members_at, &index.to_string());
            let (component, schema) = match written {
                ReferenceOr::Reference { reference } => {
                    let (name, schema) = self.component_schema(reference, &member_at)?;
                    (Some(name), schema)
                }
                ReferenceOr::Item(schema) => (None, schema),
            };
            if is_null(schema) {
                nullable = true;
            } else {
                kept.push(Member { written, schema, component, at: member_at });
            }
        }
        if kept.is_empty() {
            return Err(Error::at(at, format!("a `{keyword}` of only `null` has no type")));
        }
        if let Some(discriminator) = &schema.schema_data.discriminator {
            let ty = self.tagged(schema, discriminator, kept, keyword, hint, at)?;
            return Ok((ty, nullable));
        }
        if let [only] = kept.as_slice() {
            let lowered = self.schema(only.written.into(), hint, &only.at)?;
            return Ok((lowered.ty, nullable || lowered.nullable));
        }
        let (ty, nullable_member) = self.untagged(schema, kept, hint, at)?;
        Ok((ty, nullable || nullable_member))
    }

    fn tagged(
        &mut self,
        schema: &'a Schema,
        discriminator: &'a openapiv3::Discriminator,
        members: Vec<Member<'a>>,
        keyword: &str,
        hint: &str,
        at: &str,
    ) -> Result<TypeRef, Error> {
        let property = &discriminator.property_name;
        let mapping_at = pointer(&pointer(at, "discriminator"), "mapping");
        // Tag → component, as `mapping` gives it.
        let mut mapping: Vec<(&str, &str, String)> = Vec::new();
        for (tag, target) in &discriminator.mapping {
            let here = pointer(&mapping_at, tag);
            // A mapping value is a `$ref` or, as OpenAPI allows, a bare component name.
            let name =
                if target.contains('/') || target.contains('#') { component_name(target, &here)? } else { target };
            if !members.iter().any(|member| member.component == Some(name)) {
                return Err(Error::at(
                    here,
                    format!("`mapping` sends `{tag}` to `{target}`, which is not a member of the `{keyword}`"),
                ));
            }
            mapping.push((tag, name, here));
        }
        let name = names::unshadowed(hint.to_owned());
        let mut variants: Vec<TaggedVariant> = Vec::new();
        let mut tag_owner: BTreeMap<String, String> = BTreeMap::new();
        for member in members {
            // The name, before lowering: an inline member's type is named from it.
            let written_name = match (member.component, prose::text(member.schema.schema_data.title.as_ref())) {
                (Some(component), _) => Some(component.to_owned()),
                (None, title) => title,
            };
            let inline_tags = constant_values(member.schema, property);
            let raw_name = match (&written_name, inline_tags.first()) {
                (Some(written), _) => written.clone(),
                (None, Some(tag)) => tag.clone(),
                (None, None) => {
                    return Err(Error::at(
                        member.at,
                        format!("an inline member of a `{keyword}` with a `discriminator` needs a `title` or a `{property}` enum to be named"),
                    ))
                }
            };
            let variant = names::variant_name(&raw_name);
            let lowered = self.schema(member.written.into(), &format!("{name}{variant}"), &member.at)?;
            let fields = match &lowered.ty {
                TypeRef::Named(ty) => match self.types.get(ty).map(|def| &def.kind) {
                    Some(TypeKind::Struct(shape)) => Some(&shape.fields),
                    _ => None,
                },
                _ => None,
            };
            let Some(fields) = fields else {
                return Err(Error::at(
                    member.at,
                    format!("a member of a `{keyword}` with a `discriminator` must be an object"),
                ));
            };
            let tag_field = fields.iter().find(|field| &field.wire_name == property);
            let carries_tag = tag_field.is_some();
            // The tag values: `mapping`'s, else the ones the property's enum allows,
            // else (OpenAPI's implicit mapping) the component's name.
            let mut tags: Vec<String> = mapping
                .iter()
                .filter(|(_, target, _)| Some(*target) == member.component)
                .map(|(tag, _, _)| (*tag).to_owned())
                .collect();
            if tags.is_empty() {
                tags = constant_values(member.schema, property);
            }
            if tags.is_empty() {
                match member.component {
                    Some(component) => tags.push(component.to_owned()),
                    None => {
                        return Err(Error::at(
                            member.at,
                            format!(
                                "no tag value selects this member: give `{property}` an enum or list it in `mapping`"
                            ),
                        ))
                    }
                }
            }
            if !carries_tag && tags.len() > 1 {
                return Err(Error::at(
                    member.at,
                    format!(
                        "several tag values select this member, but it has no `{property}` property to say which it was sent with"
                    ),
                ));
            }
            for tag in &tags {
                if let Some(other) = tag_owner.insert(tag.clone(), member.at.clone()) {
                    return Err(Error::at(
                        member.at,
                        format!("tag `{tag}` selects this member and the one at {other}; it must select one"),
                    ));
                }
            }
            variants.push(TaggedVariant { name: variant, tags, ty: lowered.ty, boxed: false, carries_tag });
        }
        // Variant names: distinct, and clear of the catch-all like a keyword.
        let mut taken: Vec<String> = Vec::new();
        for variant in &mut variants {
            if variant.name == CATCH_ALL {
                variant.name.push('_');
            }
            if taken.contains(&variant.name) {
                variant.name = names::numbered(&variant.name, &taken);
            }
            taken.push(variant.name.clone());
        }
        self.type_names.claim(&name, &name, at, "type")?;
        let kind = TypeKind::Tagged(Tagged { property: property.clone(), variants });
        let description = prose::text(schema.schema_data.description.as_ref());
        self.types.insert(name.clone(), TypeDef { name: name.clone(), description, origin: at.to_owned(), kind });
        Ok(TypeRef::Named(name))
    }

    /// An untagged union, or the one type left when members turn out the same;
    /// and whether a member was nullable.
    fn untagged(
        &mut self,
        schema: &'a Schema,
        members: Vec<Member<'a>>,
        hint: &str,
        at: &str,
    ) -> Result<(TypeRef, bool), Error> {
        let name = names::unshadowed(hint.to_owned());
        let raw_names = untagged_names(&members);
        let mut variants: Vec<UntaggedVariant> = Vec::new();
        let mut nullable = false;
        for (member, raw_name) in members.iter().zip(raw_names) {
            let lowered = self.schema(member.written.into(), &format!("{name}{raw_name}"), &member.at)?;
            nullable |= lowered.nullable;
            // Two members of one Rust type: the second could never be chosen.
            if variants.iter().any(|variant| variant.ty == lowered.ty) {
                continue;
            }
            let description = match member.component {
                Some(_) => None,
                None => prose::text(member.schema.schema_data.description.as_ref()),
            };
            variants.push(UntaggedVariant { name: raw_name, ty: lowered.ty, boxed: false, description });
        }
        if let [only] = variants.as_slice() {
            return Ok((only.ty.clone(), nullable));
        }
        // Serde tries variants in order and takes the first that decodes, and a
        // struct ignores fields it does not know: a struct that requires more
        // fields goes before one that would also accept the value.
        let rank = |ty: &TypeRef| -> (u8, i64) {
            match ty {
                TypeRef::Named(name) => match self.types.get(name).map(|def| &def.kind) {
                    Some(TypeKind::Struct(shape)) => {
                        let required = shape.fields.iter().filter(|field| field.required).count();
                        (0, -i64::try_from(required).unwrap_or(i64::MAX))
                    }
                    Some(TypeKind::Tagged(_)) => (0, -1),
                    Some(TypeKind::Untagged(_)) => (1, 0),
                    Some(TypeKind::Enum(_)) if self.closed_enums.contains(name) => (2, 0),
                    Some(TypeKind::Enum(_)) => (3, 0),
                    Some(TypeKind::Alias(alias)) if alias.container == crate::ir::Container::List => (2, 0),
                    Some(TypeKind::Alias(_)) | None => (4, 0),
                },
                TypeRef::Boolean | TypeRef::Integer { .. } | TypeRef::Array(_) => (2, 0),
                // After integers: a float accepts every integer.
                TypeRef::Number { .. } | TypeRef::String => (3, 0),
                TypeRef::Map => (4, 0),
                TypeRef::Any => (5, 0),
            }
        };
        variants.sort_by_key(|variant| rank(&variant.ty));
        self.type_names.claim(&name, &name, at, "type")?;
        let kind = TypeKind::Untagged(Untagged { variants });
        let description = prose::text(schema.schema_data.description.as_ref());
        self.types.insert(name.clone(), TypeDef { name: name.clone(), description, origin: at.to_owned(), kind });
        Ok((TypeRef::Named(name), nullable))
    }
}

/// What `merge_property` decides.
pub(super) struct MergedProperty<'a> {
    pub property: &'a ReferenceOr<Box<Schema>>,
    pub at: String,
    pub nullable: Option<bool>,
    pub description: Option<String>,
}

enum Narrower {
    Kept,
    Other,
}

/// A schema without the keys that only document it, to compare definitions.
fn without_prose(schema: &Schema) -> serde_json::Value {
    let mut value = serde_json::to_value(schema).unwrap_or(serde_json::Value::Null);
    strip_prose(&mut value);
    value
}

fn strip_prose(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            for key in ["description", "example", "examples", "title", "externalDocs"] {
                map.remove(key);
            }
            map.values_mut().for_each(strip_prose);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(strip_prose),
        _ => {}
    }
}

/// `type: 'null'`, `nullable: true` alone, or `enum: [null]`: a member that
/// only allows `null`.
fn is_null(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Any(any) => {
            let bare = openapiv3::AnySchema {
                typ: any.typ.clone(),
                enumeration: any.enumeration.clone(),
                ..Default::default()
            };
            *any == bare
                && match (any.typ.as_deref(), any.enumeration.as_slice()) {
                    (Some("null"), []) => true,
                    (None, []) => schema.schema_data.nullable,
                    (None | Some("null"), values) => values.iter().all(serde_json::Value::is_null),
                    _ => false,
                }
        }
        _ => false,
    }
}

/// The values a member's `property` is limited to by a string `enum` (the tag
/// values it is sent with), in order; none when it is not an inline string enum.
fn constant_values(schema: &Schema, property: &str) -> Vec<String> {
    let properties = match &schema.schema_kind {
        SchemaKind::Type(openapiv3::Type::Object(object)) => &object.properties,
        SchemaKind::Any(any) => &any.properties,
        _ => return Vec::new(),
    };
    match properties.get(property) {
        Some(ReferenceOr::Item(schema)) => match &schema.schema_kind {
            SchemaKind::Type(openapiv3::Type::String(string)) => string.enumeration.iter().flatten().cloned().collect(),
            _ => Vec::new(),
        },
        _ => Vec::new(),
    }
}

/// The one value a member's boolean `property` may have (`enum: [false]`).
fn constant_flag(schema: &Schema, property: &str) -> Option<bool> {
    let properties = match &schema.schema_kind {
        SchemaKind::Type(openapiv3::Type::Object(object)) => &object.properties,
        SchemaKind::Any(any) => &any.properties,
        _ => return None,
    };
    match properties.get(property) {
        Some(ReferenceOr::Item(schema)) => match &schema.schema_kind {
            SchemaKind::Type(openapiv3::Type::Boolean(boolean)) => match boolean.enumeration.as_slice() {
                [Some(value)] => Some(*value),
                _ => None,
            },
            _ => None,
        },
        _ => None,
    }
}

/// Variant names for the members of an untagged union: the `$ref`'d schema's
/// name or the `title`; for an inline member without one, the value of a
/// property it fixes to one value (`object: {enum: [token]}` → `Token`,
/// `active: {enum: [false]}` → `NotActive`), else
/// its type (`String`, `List`, `Object`, …), else a property no other member has
/// (`Active`); a number only when nothing else tells them apart.
fn untagged_names(members: &[Member<'_>]) -> Vec<String> {
    let property_names = |member: &Member<'_>| -> Vec<String> {
        match &member.schema.schema_kind {
            SchemaKind::Type(openapiv3::Type::Object(object)) => object.properties.keys().cloned().collect(),
            SchemaKind::Any(any) => any.properties.keys().cloned().collect(),
            _ => Vec::new(),
        }
    };
    let first: Vec<String> = members
        .iter()
        .map(|member| {
            if let Some(component) = member.component {
                return names::variant_name(component);
            }
            if let Some(title) = prose::text(member.schema.schema_data.title.as_ref()) {
                return names::variant_name(&title);
            }
            for property in property_names(member) {
                if let [value] = constant_values(member.schema, &property).as_slice() {
                    return names::variant_name(value);
                }
                // `active: {enum: [false]}` → `NotActive`.
                match constant_flag(member.schema, &property) {
                    Some(true) => return names::variant_name(&property),
                    Some(false) => return names::variant_name(&format!("not_{property}")),
                    None => {}
                }
            }
            type_word(member.schema).to_owned()
        })
        .collect();
    let mut taken: Vec<String> = Vec::new();
    for (index, (member, name)) in members.iter().zip(&first).enumerate() {
        let clashes = first.iter().filter(|other| *other == name).count() > 1;
        let mut chosen = name.clone();
        if clashes && member.component.is_none() && prose::text(member.schema.schema_data.title.as_ref()).is_none() {
            let others: BTreeSet<String> = members
                .iter()
                .enumerate()
                .filter(|(other, _)| *other != index)
                .flat_map(|(_, other)| property_names(other))
                .collect();
            if let Some(own) = property_names(member).into_iter().find(|property| !others.contains(property)) {
                chosen = names::variant_name(&own);
            }
        }
        if taken.contains(&chosen) || chosen.is_empty() {
            chosen = names::numbered(name, &taken);
        }
        taken.push(chosen);
    }
    taken
}

/// A word for what an inline member is.
fn type_word(schema: &Schema) -> &'static str {
    match shape(schema, "#") {
        Ok(Shape::String { enumeration }) if !enumeration.is_empty() => "Enum",
        Ok(Shape::String { .. }) => "String",
        Ok(Shape::Integer { .. }) => "Integer",
        Ok(Shape::Number { .. }) => "Number",
        Ok(Shape::Boolean) => "Boolean",
        Ok(Shape::Array { .. }) => "List",
        Ok(Shape::Object { properties, .. }) if properties.is_empty() => "Map",
        Ok(Shape::Object { .. } | Shape::AllOf { .. }) => "Object",
        Ok(Shape::Union { .. }) => "Union",
        Ok(Shape::Null | Shape::Any) | Err(_) => "Value",
    }
}
