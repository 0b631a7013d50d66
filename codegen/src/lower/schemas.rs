//! Schemas to types: `$ref`s to components, inline schemas, structs, enums and
//! maps. `allOf`, `oneOf` and `anyOf` are in `composition`.

use std::collections::BTreeSet;

use openapiv3::{AdditionalProperties, ReferenceOr, Schema};

use super::shape::{shape, Properties, Shape};
use super::{extension, Lowerer, OpenEnums, MAX_DEPTH};
use crate::error::pointer;
use crate::ir::{Alias, Bounds, Container, EnumValue, Field, Rest, Struct, TypeDef, TypeKind, TypeRef, CATCH_ALL};
use crate::names::{self, Scope};
use crate::prose;
use crate::Error;

/// What a schema lowers to, with the facts a field or parameter needs.
#[derive(Debug, Clone)]
pub(super) struct Lowered {
    pub ty: TypeRef,
    pub nullable: bool,
    pub description: Option<String>,
    pub default: Option<serde_json::Value>,
    pub bounds: Bounds,
    pub deprecated: bool,
}

/// A schema or a `$ref` to one, whatever box `openapiv3` wraps it in.
#[derive(Clone, Copy)]
pub(super) enum SchemaRef<'s> {
    Ref(&'s str),
    Item(&'s Schema),
}

impl<'s> From<&'s ReferenceOr<Schema>> for SchemaRef<'s> {
    fn from(value: &'s ReferenceOr<Schema>) -> Self {
        match value {
            ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
            ReferenceOr::Item(schema) => SchemaRef::Item(schema),
        }
    }
}

impl<'s> From<&'s ReferenceOr<Box<Schema>>> for SchemaRef<'s> {
    fn from(value: &'s ReferenceOr<Box<Schema>>) -> Self {
        match value {
            ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
            ReferenceOr::Item(schema) => SchemaRef::Item(schema),
        }
    }
}

/// The properties of one object that a struct is made of (several for `allOf`),
/// with the pointer of the object that defines them.
pub(super) struct PropertySet<'a> {
    pub properties: &'a Properties,
    pub at: String,
}

/// One definition of a property, and where it is written.
pub(super) type Definition<'a> = (&'a ReferenceOr<Box<Schema>>, String);

/// How many `$ref`s may point at each other before the schema: a chain longer
/// than this is a mistake (or an attack), not an API.
const MAX_ALIASES: usize = 32;

/// What `x-speakeasy-unknown-values` may say on an enum: it is then open.
const UNKNOWN_VALUES: &str = "x-speakeasy-unknown-values";

impl<'a> Lowerer<'a> {
    pub(super) fn schema(&mut self, schema: SchemaRef<'a>, hint: &str, at: &str) -> Result<Lowered, Error> {
        if self.depth >= MAX_DEPTH {
            return Err(Error::at(at, format!("schemas nest deeper than {MAX_DEPTH} levels")));
        }
        self.depth += 1;
        let lowered = match schema {
            SchemaRef::Item(schema) => self.inline(schema, hint, at),
            SchemaRef::Ref(reference) => self.component(reference, at),
        };
        self.depth -= 1;
        lowered
    }

    /// A schema a value holds inside itself: a property, a list item or a map
    /// value. A component met again inside one is recursion a Rust type can
    /// hold (through a field, a `Vec` or a map); met again without one, it is
    /// a loop (see `loops_back`).
    pub(super) fn contained(&mut self, schema: SchemaRef<'a>, hint: &str, at: &str) -> Result<Lowered, Error> {
        self.containers += 1;
        let lowered = self.schema(schema, hint, at);
        self.containers -= 1;
        lowered
    }

    /// Whether the component `name` is being lowered and no property, list item
    /// or map value has been entered since: a reference to it here would make
    /// it one of its own `oneOf`/`anyOf`/`allOf` members (or an alias of
    /// itself), which no Rust type can be, and an untagged union that tries
    /// itself would never stop decoding.
    pub(super) fn loops_back(&self, name: &str) -> bool {
        self.in_progress.get(name) == Some(&self.containers)
    }

    /// The component a `$ref` names, following components that only refer to
    /// another (iteratively, so a long chain cannot exhaust the stack): its name
    /// and schema.
    pub(super) fn component_schema(&self, reference: &'a str, at: &str) -> Result<(&'a str, &'a Schema), Error> {
        let mut name = component_name(reference, at)?;
        let mut aliases: Vec<&str> = Vec::new();
        loop {
            let Some(component) = self.document.components.as_ref().and_then(|c| c.schemas.get(name)) else {
                let here = aliases.last().map(|alias| pointer("#/components/schemas", alias));
                return Err(Error::at(
                    here.as_deref().unwrap_or(at),
                    format!("`$ref: #/components/schemas/{name}` points to a component that does not exist"),
                ));
            };
            match component {
                ReferenceOr::Item(schema) => return Ok((name, schema)),
                ReferenceOr::Reference { reference } => {
                    let here = pointer("#/components/schemas", name);
                    if aliases.contains(&name) || aliases.len() >= MAX_ALIASES {
                        return Err(Error::at(here, "`$ref` chain loops or is too long; it never reaches a schema"));
                    }
                    aliases.push(name);
                    name = component_name(reference, &here)?;
                }
            }
        }
    }

    /// A `$ref` to `#/components/schemas/…`, each component lowered once.
    fn component(&mut self, reference: &'a str, at: &str) -> Result<Lowered, Error> {
        let (name, schema) = self.component_schema(reference, at)?;
        if let Some(done) = self.components.get(name) {
            // A field that refers to a type documents the type, not itself.
            return Ok(Lowered { description: None, default: None, ..done.clone() });
        }
        let type_name = names::type_name(name);
        if self.loops_back(name) {
            return Err(composition_loop(name, at));
        }
        if self.in_progress.contains_key(name) {
            self.recursive.insert(name.to_owned());
            return Ok(Lowered {
                ty: TypeRef::Named(type_name),
                nullable: schema.schema_data.nullable,
                description: None,
                default: None,
                bounds: Bounds::default(),
                deprecated: false,
            });
        }
        let defined_at = pointer("#/components/schemas", name);
        self.in_progress.insert(name.to_owned(), self.containers);
        let lowered = self.inline(schema, &type_name, &defined_at);
        self.in_progress.remove(name);
        let lowered = lowered?;
        if self.recursive.contains(name) {
            let holds_itself = match &lowered.ty {
                // `name` only names another type (a one-member composition
                // or a `$ref`), which holds `name` back through a property:
                // what was lowered meanwhile refers to that type instead, so
                // no reference is left to a type that is never defined.
                TypeRef::Named(target) if *target != type_name => {
                    let target = target.clone();
                    self.retarget(&type_name, &target);
                    self.alias_holds_itself(&target)
                }
                TypeRef::Named(_) => self.alias_holds_itself(&type_name),
                _ => true,
            };
            if holds_itself {
                return Err(Error::at(
                    defined_at,
                    "a schema that contains itself must be an object with properties (a list or map of itself has no Rust type)",
                ));
            }
        }
        self.components.insert(name.to_owned(), lowered.clone());
        Ok(Lowered { description: None, default: None, ..lowered })
    }

    pub(super) fn inline(&mut self, schema: &'a Schema, hint: &str, at: &str) -> Result<Lowered, Error> {
        let data = &schema.schema_data;
        let mut lowered = Lowered {
            ty: TypeRef::Any,
            nullable: data.nullable,
            description: prose::text(data.description.as_ref()),
            default: data.default.clone(),
            bounds: Bounds::default(),
            deprecated: data.deprecated,
        };
        lowered.ty = match shape(schema, at)? {
            Shape::String { enumeration } if !enumeration.is_empty() => {
                let open = self.is_open(schema, at);
                self.define_enum(hint, prose::text(data.description.as_ref()), &enumeration, open, at)?
            }
            Shape::String { .. } => TypeRef::String,
            Shape::Integer { bits, bounds } => {
                lowered.bounds = bounds;
                TypeRef::Integer { bits }
            }
            Shape::Number { bits } => TypeRef::Number { bits },
            Shape::Boolean => TypeRef::Boolean,
            Shape::Object { properties, required, additional } => {
                let rest = match additional {
                    Some(AdditionalProperties::Schema(values)) => {
                        let values_at = pointer(at, "additionalProperties");
                        let values = self.contained(values.as_ref().into(), &format!("{hint}Value"), &values_at)?;
                        // `additionalProperties: {}` says what `true` says.
                        (values.ty != TypeRef::Any || values.nullable).then_some(values)
                    }
                    _ => None,
                };
                match (properties.is_empty(), rest) {
                    (true, None) => TypeRef::Map,
                    (true, Some(values)) => {
                        let alias = Alias { container: Container::Map, item: values.ty, nullable: values.nullable };
                        self.define_alias(hint, prose::text(data.description.as_ref()), alias, at)?
                    }
                    (false, rest) => {
                        let sets = vec![PropertySet { properties, at: at.to_owned() }];
                        let required = required_at(required, at);
                        self.define_struct(hint, prose::text(data.description.as_ref()), sets, required, rest, at)?
                    }
                }
            }
            Shape::Array { items, bounds } => {
                let Some(items) = items else {
                    return Err(Error::at(at, "an array without `items` is not supported"));
                };
                let item_at = pointer(at, "items");
                let item = self.contained(items.into(), &format!("{hint}Item"), &item_at)?;
                lowered.bounds = bounds;
                if item.nullable {
                    let alias = Alias { container: Container::List, item: item.ty, nullable: true };
                    self.define_alias(hint, prose::text(data.description.as_ref()), alias, at)?
                } else {
                    TypeRef::Array(Box::new(item.ty))
                }
            }
            Shape::AllOf { parts, properties, required } => {
                let (ty, nullable) = self.all_of(schema, parts, properties, required, hint, at)?;
                lowered.nullable |= nullable;
                ty
            }
            Shape::Union { members, keyword } => {
                let (ty, nullable) = self.union(schema, members, keyword, hint, at)?;
                lowered.nullable |= nullable;
                ty
            }
            Shape::Null => {
                return Err(Error::at(at, "`type: 'null'` is only supported as a member of `oneOf`/`anyOf`"))
            }
            Shape::Any => TypeRef::Any,
        };
        Ok(lowered)
    }

    /// Whether an enum keeps values it does not list: `x-speakeasy-unknown-values:
    /// allow` on its schema says so; without it, the generator's default decides.
    fn is_open(&mut self, schema: &Schema, at: &str) -> bool {
        match extension(&schema.schema_data.extensions, UNKNOWN_VALUES) {
            Some("allow") => true,
            Some(other) => {
                self.warn(
                    pointer(at, UNKNOWN_VALUES),
                    format!("`{UNKNOWN_VALUES}: {other}` is not `allow`, the one value it has; ignored"),
                );
                self.open_enums == OpenEnums::All
            }
            None if schema.schema_data.extensions.contains_key(UNKNOWN_VALUES) => {
                self.warn(pointer(at, UNKNOWN_VALUES), format!("`{UNKNOWN_VALUES}` is not a string; ignored"));
                self.open_enums == OpenEnums::All
            }
            None => self.open_enums == OpenEnums::All,
        }
    }

    /// A struct from one or more property sets (several for `allOf`). A property
    /// defined in several sets is one field: see `merge_property`. `required`
    /// names each required property with the pointer of the list that says so.
    pub(super) fn define_struct(
        &mut self,
        name: &str,
        description: Option<String>,
        sets: Vec<PropertySet<'a>>,
        required: Vec<(&'a String, String)>,
        rest: Option<Lowered>,
        at: &str,
    ) -> Result<TypeRef, Error> {
        let name = &names::unshadowed(name.to_owned());
        self.type_names.claim(name, name, at, "type")?;
        // Every definition of each property, in the order they first appear.
        let mut definitions: indexmap::IndexMap<&'a String, Vec<Definition<'a>>> = indexmap::IndexMap::new();
        for set in &sets {
            for (wire_name, property) in set.properties {
                let field_at = pointer(&pointer(&set.at, "properties"), wire_name);
                definitions.entry(wire_name).or_default().push((property, field_at));
            }
        }
        let required_names: BTreeSet<&String> = required.iter().map(|(name, _)| *name).collect();
        let mut fields = Vec::new();
        let mut field_names = Scope::default();
        for (wire_name, definitions) in definitions {
            let merged = self.merge_property(wire_name, &definitions)?;
            let (property, field_at) = (merged.property, merged.at);
            let rust_name = names::snake_name(wire_name);
            field_names.claim(&rust_name, wire_name, &field_at, "property")?;
            let hint = format!("{name}{}", names::type_part(wire_name));
            let lowered = self.contained(property.into(), &hint, &field_at)?;
            let (read_only, title) = match property {
                ReferenceOr::Item(schema) => {
                    (schema.schema_data.read_only, prose::text(schema.schema_data.title.as_ref()))
                }
                ReferenceOr::Reference { .. } => (false, None),
            };
            fields.push(Field {
                wire_name: wire_name.clone(),
                rust_name,
                ty: lowered.ty,
                required: required_names.contains(wire_name),
                nullable: merged.nullable.unwrap_or(lowered.nullable),
                boxed: false,
                // The spec's words, else its title; the emitter states facts when neither.
                description: lowered.description.or(merged.description).or(title),
                default: lowered.default,
                bounds: lowered.bounds,
                deprecated: lowered.deprecated,
                // Kept only where the type is sent (see `lower::read_only`).
                read_only,
            });
        }
        // An upstream mistake (Clerk lists properties in `required` that it no
        // longer defines): nothing to require, so the schema still describes what
        // is sent; said once, not refused.
        let mut undefined = BTreeSet::new();
        for (wanted, list_at) in &required {
            if !fields.iter().any(|field| &&field.wire_name == wanted) && undefined.insert(*wanted) {
                self.warn(list_at.clone(), format!("required property `{wanted}` is not defined; it is ignored"));
            }
        }
        let rest = match rest {
            Some(values) => {
                // The map's field is named for what it holds, clear of the properties.
                let mut rust_name = "additional_properties".to_owned();
                while fields.iter().any(|field| field.rust_name == rust_name) {
                    rust_name.push('_');
                }
                Some(Rest { rust_name, item: values.ty, nullable: values.nullable })
            }
            None => None,
        };
        let all_optional = fields.iter().all(|field| !field.required);
        if fields.iter().filter(|field| field.required).count() > crate::ir::MAX_POSITIONAL {
            let builder = format!("{name}Builder");
            self.type_names.claim(&builder, &builder, at, "type")?;
        }
        let kind = TypeKind::Struct(Struct { fields, all_optional, constructor: false, rest });
        self.types.insert(name.to_owned(), TypeDef { name: name.to_owned(), description, origin: at.to_owned(), kind });
        Ok(TypeRef::Named(name.to_owned()))
    }

    pub(super) fn define_enum(
        &mut self,
        name: &str,
        description: Option<String>,
        values: &[&str],
        open: bool,
        at: &str,
    ) -> Result<TypeRef, Error> {
        let name = &names::unshadowed(name.to_owned());
        self.type_names.claim(name, name, at, "type")?;
        // A value listed twice is one value.
        let mut distinct: Vec<&str> = Vec::new();
        for value in values {
            if !distinct.contains(value) {
                distinct.push(value);
            }
        }
        let catch_all = open.then_some(CATCH_ALL);
        let variants = names::enum_variants(&distinct, catch_all);
        let lowered: Vec<EnumValue> = distinct
            .iter()
            .zip(variants)
            .map(|(value, variant)| EnumValue { wire: (*value).to_owned(), variant })
            .collect();
        if !open {
            self.closed_enums.insert(name.clone());
        }
        self.types.insert(
            name.to_owned(),
            TypeDef { name: name.to_owned(), description, origin: at.to_owned(), kind: TypeKind::Enum(lowered) },
        );
        Ok(TypeRef::Named(name.to_owned()))
    }

    /// A named `BTreeMap` or `Vec` (see `ir::Alias`).
    fn define_alias(
        &mut self,
        name: &str,
        description: Option<String>,
        alias: Alias,
        at: &str,
    ) -> Result<TypeRef, Error> {
        let name = &names::unshadowed(name.to_owned());
        self.type_names.claim(name, name, at, "type")?;
        self.types.insert(
            name.to_owned(),
            TypeDef { name: name.to_owned(), description, origin: at.to_owned(), kind: TypeKind::Alias(alias) },
        );
        Ok(TypeRef::Named(name.to_owned()))
    }

    /// Whether the alias `name` names itself without a struct or enum between: a
    /// type alias of itself has no Rust type (E0391).
    /// Makes every reference to the type `from` (in the types and components
    /// lowered so far) one to `to`.
    fn retarget(&mut self, from: &str, to: &str) {
        fn retarget_ref(ty: &mut TypeRef, from: &str, to: &str) {
            match ty {
                TypeRef::Named(name) if name == from => *name = to.to_owned(),
                TypeRef::Array(item) => retarget_ref(item, from, to),
                _ => {}
            }
        }
        for def in self.types.values_mut() {
            for ty in def.kind.holds_mut() {
                retarget_ref(ty, from, to);
            }
        }
        for lowered in self.components.values_mut() {
            retarget_ref(&mut lowered.ty, from, to);
        }
    }

    fn alias_holds_itself(&self, name: &str) -> bool {
        let mut pending: Vec<&TypeRef> = Vec::new();
        let mut seen = BTreeSet::new();
        let Some(TypeDef { kind: TypeKind::Alias(alias), .. }) = self.types.get(name) else { return false };
        pending.push(&alias.item);
        while let Some(ty) = pending.pop() {
            match ty {
                TypeRef::Array(item) => pending.push(item),
                TypeRef::Named(target) if target == name => return true,
                TypeRef::Named(target) => {
                    if let Some(TypeDef { kind: TypeKind::Alias(alias), .. }) = self.types.get(target) {
                        if seen.insert(target.as_str()) {
                            pending.push(&alias.item);
                        }
                    }
                }
                _ => {}
            }
        }
        false
    }
}

/// The error for a `$ref` at `at` that leads back to the component `name`
/// with no container between (see `Lowerer::loops_back`).
pub(super) fn composition_loop(name: &str, at: &str) -> Error {
    Error::at(
        at,
        format!(
            "`{name}` holds itself through `oneOf`, `anyOf` or `allOf` with no property, list item or map value between: no Rust type can be that"
        ),
    )
}

/// Each name of a `required` list with the pointer of its entry.
pub(super) fn required_at<'r>(required: &'r [String], at: &str) -> Vec<(&'r String, String)> {
    let list = pointer(at, "required");
    required.iter().enumerate().map(|(index, name)| (name, pointer(&list, &index.to_string()))).collect()
}

pub(super) fn component_name<'r>(reference: &'r str, at: &str) -> Result<&'r str, Error> {
    reference
        .strip_prefix("#/components/schemas/")
        .ok_or_else(|| Error::at(at, format!("`$ref: {reference}` must point into `#/components/schemas/`")))
}
