//! `allOf`: the members' properties merged into one struct, following `$ref`s
//! and nested `allOf`s; an `allOf` of one schema and nothing else (the usual
//! way to add `nullable` or a description to a `$ref`) is that schema. A
//! property several members define is one field when the definitions agree
//! (prose aside) or one narrows the other (an enum with fewer values, a string
//! given an enum): the narrower wins. Anything else is an error naming both.

use openapiv3::{ReferenceOr, Schema};

use super::schemas::{required_at, Definition, PropertySet};
use super::shape::{shape, Properties, Shape};
use super::Lowerer;
use crate::error::pointer;
use crate::ir::TypeRef;
use crate::Error;

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
        self.all_of_parts(parts, at, &mut sets, &mut all_required, 0)?;
        if let Some(properties) = own_properties {
            sets.push(PropertySet { properties, at: at.to_owned() });
        }
        let ty = self.define_struct(hint, schema.schema_data.description.clone(), sets, all_required, None, at)?;
        Ok((ty, false))
    }

    /// The property sets of `allOf` members, in order, descending into members
    /// that are themselves `allOf`s.
    fn all_of_parts(
        &mut self,
        parts: &'a [ReferenceOr<Schema>],
        at: &str,
        sets: &mut Vec<PropertySet<'a>>,
        required: &mut Vec<(&'a String, String)>,
        depth: usize,
    ) -> Result<(), Error> {
        if self.depth + depth >= super::MAX_DEPTH {
            return Err(Error::at(at, format!("schemas nest deeper than {} levels", super::MAX_DEPTH)));
        }
        for (index, part) in parts.iter().enumerate() {
            let part_at = pointer(&pointer(at, "allOf"), &index.to_string());
            let (part, defined_at) = match part {
                ReferenceOr::Reference { reference } => {
                    let (name, schema) = self.component_schema(reference, &part_at)?;
                    (schema, pointer("#/components/schemas", name))
                }
                ReferenceOr::Item(schema) => (schema, part_at),
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
                    self.all_of_parts(parts, &defined_at, sets, required, depth + 1)?;
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
        let mut description = self.property_schema(first, first_at)?.schema_data.description.clone();
        for (other, other_at) in &definitions[1..] {
            let data = &self.property_schema(other, other_at)?.schema_data;
            nullable &= data.nullable;
            description = data.description.clone().or(description);
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
