//! From the selected operations of an `openapiv3` document to the IR.
//!
//! This is the only module that reads schemas. It names every inline type from
//! where it appears (`{Operation}Request`, `{Parent}{Property}`, `{Operation}Params`),
//! merges `allOf` of property-only objects into one struct, and refuses what it
//! does not support with an error naming the JSON pointer, rather than guessing.

use std::collections::{BTreeMap, BTreeSet};

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, IntegerFormat, NumberFormat, OpenAPI, Parameter, ParameterSchemaOrContent, ReferenceOr,
    RequestBody, Schema, SchemaKind, StatusCode, Type, VariantOrUnknownOrEmpty,
};

use crate::error::pointer;
use crate::ir::{
    Api, Body, Bounds, EnumValue, Field, Group, Operation, Param, PathPart, QueryParams, Response, Struct, TypeDef,
    TypeKind, TypeRef,
};
use crate::names::{self, Scope};
use crate::select::Selected;
use crate::Error;

const JSON: &str = "application/json";

/// Lowers the selected operations and every schema they reach.
pub fn lower(document: &OpenAPI, selected: &[Selected<'_>]) -> Result<Api, Error> {
    let mut lowerer = Lowerer {
        document,
        types: BTreeMap::new(),
        type_names: Scope::default(),
        components: BTreeMap::new(),
        in_progress: BTreeSet::new(),
    };
    let mut groups: BTreeMap<String, (Group, Scope)> = BTreeMap::new();
    for operation in selected {
        let (group_raw, lowered) = lowerer.operation(operation)?;
        let module = names::snake_name(&group_raw);
        let (group, methods) = groups.entry(module.clone()).or_insert_with(|| {
            // `Api` keeps the handle apart from a model named after the group
            // (`OrganizationInvitations` is also the list response).
            let type_name = format!("{}Api", names::type_name(&group_raw));
            let group = Group { module, type_name, operations: Vec::new() };
            (group, Scope::default())
        });
        let mut lowered = lowered;
        methods.claim(&lowered.method_name, &lowered.operation_id, &operation.pointer(), "operation")?;
        lowered.pagination = crate::pagination::detect(&lowered, &lowerer.types);
        let chunked =
            lowered.body.as_ref().is_some_and(|body| matches!(body.ty, TypeRef::Array(_)) && body.bounds.max.is_some());
        if chunked {
            let helper = format!("{}_chunked", lowered.method_name);
            methods.claim(&helper, &lowered.operation_id, &operation.pointer(), "operation")?;
        }
        if lowered.pagination.is_some() {
            // The paginating helpers are methods of the group too.
            for suffix in ["pages", "items"] {
                let helper = format!("{}_{suffix}", lowered.method_name);
                methods.claim(&helper, &lowered.operation_id, &operation.pointer(), "operation")?;
            }
        }
        group.operations.push(lowered);
    }
    let mut groups: Vec<Group> = groups.into_values().map(|(group, _)| group).collect();
    for group in &mut groups {
        group.operations.sort_by(|a, b| a.method_name.cmp(&b.method_name));
    }
    lowerer.mark_constructors(&groups);
    let retries = match document.extensions.get("x-speakeasy-retries") {
        Some(value) => Some(crate::retries::policy(value, "#/x-speakeasy-retries")?),
        None => None,
    };
    Ok(Api {
        title: document.info.title.clone(),
        version: document.info.version.clone(),
        default_base_url: document.servers.first().map(|server| server.url.clone()),
        groups,
        types: lowerer.types,
        retries,
    })
}

struct Lowerer<'a> {
    document: &'a OpenAPI,
    types: BTreeMap<String, TypeDef>,
    type_names: Scope,
    /// Component schemas already lowered, by component name.
    components: BTreeMap<String, Lowered>,
    /// Component schemas being lowered: a reference back to one is a cycle and
    /// resolves to its name without recursing.
    in_progress: BTreeSet<String>,
}

/// What a schema lowers to, with the facts a field or parameter needs.
#[derive(Debug, Clone)]
struct Lowered {
    ty: TypeRef,
    nullable: bool,
    description: Option<String>,
    default: Option<serde_json::Value>,
    bounds: Bounds,
    deprecated: bool,
}

/// A schema or a `$ref` to one, whatever box `openapiv3` wraps it in.
#[derive(Clone, Copy)]
enum SchemaRef<'s> {
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

type Properties = IndexMap<String, ReferenceOr<Box<Schema>>>;

/// The kinds of schema the generator understands, pulled out of `openapiv3`'s
/// several spellings of each.
enum Shape<'s> {
    String {
        enumeration: Vec<&'s str>,
    },
    Integer {
        bits: u8,
        bounds: Bounds,
    },
    Number {
        bits: u8,
    },
    Boolean,
    Object {
        properties: &'s Properties,
        required: &'s [String],
        additional: Option<&'s AdditionalProperties>,
    },
    Array {
        items: Option<&'s ReferenceOr<Box<Schema>>>,
        bounds: Bounds,
    },
    /// `properties` and `required` written beside `allOf`, if any.
    AllOf {
        parts: &'s [ReferenceOr<Schema>],
        properties: Option<&'s Properties>,
        required: &'s [String],
    },
    Any,
}

fn shape<'s>(schema: &'s Schema, at: &str) -> Result<Shape<'s>, Error> {
    let unsupported = |what: &str| Err(Error::at(at, format!("{what} is not supported")));
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(string)) => {
            Ok(Shape::String { enumeration: string.enumeration.iter().flatten().map(String::as_str).collect() })
        }
        SchemaKind::Type(Type::Integer(integer)) => {
            if !integer.enumeration.is_empty() {
                return unsupported("an integer `enum`");
            }
            let bits = match integer.format {
                VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => 32,
                _ => 64,
            };
            let bounds = Bounds {
                min: integer.minimum.map(|min| if integer.exclusive_minimum { min + 1 } else { min }),
                max: integer.maximum.map(|max| if integer.exclusive_maximum { max - 1 } else { max }),
            };
            Ok(Shape::Integer { bits, bounds })
        }
        SchemaKind::Type(Type::Number(number)) => {
            let bits = match number.format {
                VariantOrUnknownOrEmpty::Item(NumberFormat::Float) => 32,
                _ => 64,
            };
            Ok(Shape::Number { bits })
        }
        SchemaKind::Type(Type::Boolean(_)) => Ok(Shape::Boolean),
        SchemaKind::Type(Type::Object(object)) => Ok(Shape::Object {
            properties: &object.properties,
            required: &object.required,
            additional: object.additional_properties.as_ref(),
        }),
        SchemaKind::Type(Type::Array(array)) => Ok(Shape::Array {
            items: array.items.as_ref(),
            bounds: Bounds { min: array.min_items.map(|n| n as i64), max: array.max_items.map(|n| n as i64) },
        }),
        SchemaKind::AllOf { all_of } => Ok(Shape::AllOf { parts: all_of, properties: None, required: &[] }),
        SchemaKind::OneOf { .. } => unsupported("`oneOf`"),
        SchemaKind::AnyOf { .. } => unsupported("`anyOf`"),
        SchemaKind::Not { .. } => unsupported("`not`"),
        SchemaKind::Any(any) => {
            if !any.one_of.is_empty() {
                return unsupported("`oneOf`");
            }
            if !any.any_of.is_empty() {
                return unsupported("`anyOf`");
            }
            if any.not.is_some() {
                return unsupported("`not`");
            }
            let typ = any.typ.as_deref();
            if !any.all_of.is_empty() && matches!(typ, None | Some("object")) {
                return Ok(Shape::AllOf {
                    parts: &any.all_of,
                    properties: Some(&any.properties),
                    required: &any.required,
                });
            }
            let object_like = any.items.is_none() && any.enumeration.is_empty() && any.format.is_none();
            if object_like && (typ == Some("object") || (typ.is_none() && !any.properties.is_empty())) {
                return Ok(Shape::Object {
                    properties: &any.properties,
                    required: &any.required,
                    additional: any.additional_properties.as_ref(),
                });
            }
            if typ.is_none() && *any == openapiv3::AnySchema::default() {
                return Ok(Shape::Any);
            }
            unsupported(&format!("a schema of type `{}` combining these keywords", typ.unwrap_or("(none)")))
        }
    }
}

impl<'a> Lowerer<'a> {
    fn operation(&mut self, selected: &Selected<'a>) -> Result<(String, Operation), Error> {
        let operation = selected.operation;
        let at = selected.pointer();
        let prefix = names::type_name(selected.operation_id);

        let mut path_params = Vec::new();
        let mut query_params = Vec::new();
        let mut query_names = Scope::default();
        for (parameter, param_at) in self.parameters(selected)? {
            let (data, in_path) = match parameter {
                Parameter::Path { parameter_data, .. } => (parameter_data, true),
                Parameter::Query { parameter_data, .. } => (parameter_data, false),
                Parameter::Header { .. } => return Err(Error::at(param_at, "header parameters are not supported")),
                Parameter::Cookie { .. } => return Err(Error::at(param_at, "cookie parameters are not supported")),
            };
            let ParameterSchemaOrContent::Schema(schema) = &data.format else {
                return Err(Error::at(param_at, "parameters given by `content` are not supported"));
            };
            let hint = format!("{prefix}{}", names::type_name(&data.name));
            let lowered = self.schema(schema.into(), &hint, &pointer(&param_at, "schema"))?;
            if in_path && !matches!(lowered.ty, TypeRef::String | TypeRef::Integer { .. }) {
                return Err(Error::at(param_at, "path parameters must be strings or integers"));
            }
            if !in_path && !self.is_query_value(&lowered.ty) {
                return Err(Error::at(param_at, "query parameters must be scalars, enums or arrays of them"));
            }
            let rust_name = names::snake_name(&data.name);
            query_names.claim(&rust_name, &data.name, &param_at, "parameter")?;
            let param = Param {
                wire_name: data.name.clone(),
                rust_name,
                ty: lowered.ty,
                required: in_path || data.required,
                description: data.description.clone().or(lowered.description),
                default: lowered.default,
                bounds: lowered.bounds,
                deprecated: data.deprecated.unwrap_or(false) || lowered.deprecated,
            };
            if in_path {
                path_params.push(param)
            } else {
                query_params.push(param)
            }
        }
        let (path_parts, path_params) = parse_template(selected.path, path_params, &at)?;

        let query = if query_params.is_empty() {
            None
        } else {
            let type_name = format!("{prefix}Params");
            self.type_names.claim(&type_name, &type_name, &pointer(&at, "parameters"), "type")?;
            Some(QueryParams { type_name, params: query_params })
        };

        let body = match &operation.request_body {
            Some(request_body) => Some(self.body(request_body, &prefix, &at)?),
            None => None,
        };

        let mut success: Option<(String, Option<TypeRef>)> = None;
        let mut successes = Vec::new();
        let mut errors = Vec::new();
        let documented =
            operation.responses.responses.iter().map(|(status, r)| (status.to_string(), is_success(status), r));
        let default = operation.responses.default.iter().map(|r| ("default".to_owned(), false, r));
        for (status, is_success, response) in documented.chain(default) {
            let response_at = pointer(&pointer(&at, "responses"), &status);
            let (response, resolved_at) = self.resolve(response, "responses", &response_at)?;
            let hint = if is_success { format!("{prefix}Response") } else { format!("{prefix}{status}Response") };
            let ty = match response.content.get(JSON) {
                Some(media) => match &media.schema {
                    Some(schema) => {
                        let schema_at = pointer(&pointer(&pointer(&resolved_at, "content"), JSON), "schema");
                        Some(self.schema(schema.into(), &hint, &schema_at)?.ty)
                    }
                    None => Some(TypeRef::Any),
                },
                None if response.content.is_empty() => None,
                None => {
                    let types: Vec<&str> = response.content.keys().map(String::as_str).collect();
                    return Err(Error::at(
                        pointer(&resolved_at, "content"),
                        format!("response content `{}` is not supported; only {JSON} is", types.join("`, `")),
                    ));
                }
            };
            let lowered = Response { status: status.clone(), description: response.description.clone(), ty };
            if is_success {
                if let Some((first, first_ty)) = &success {
                    if *first_ty != lowered.ty {
                        return Err(Error::at(
                            response_at,
                            format!("success responses {first} and {status} have different types; one success type per operation is supported"),
                        ));
                    }
                } else {
                    success = Some((status, lowered.ty.clone()));
                }
                successes.push(lowered);
            } else {
                errors.push(lowered);
            }
        }
        errors.sort_by(|a, b| a.status.cmp(&b.status));

        let group = extension(&operation.extensions, "x-speakeasy-group")
            .or_else(|| operation.tags.first().map(String::as_str))
            .unwrap_or("default")
            .to_owned();
        let method = extension(&operation.extensions, "x-speakeasy-name-override").unwrap_or(selected.operation_id);

        let lowered = Operation {
            operation_id: selected.operation_id.to_owned(),
            method_name: names::snake_name(method),
            http_method: selected.method,
            path: selected.path.to_owned(),
            path_parts,
            summary: operation.summary.clone(),
            description: operation.description.clone(),
            deprecated: operation.deprecated,
            path_params,
            query,
            body,
            success: successes.into_iter().next(),
            errors,
            retry_safety: crate::retries::safety(selected.method, selected.operation_id),
            retries: match operation.extensions.get("x-speakeasy-retries") {
                Some(value) => Some(crate::retries::policy(value, &pointer(&at, "x-speakeasy-retries"))?),
                None => None,
            },
            // Read off the lowered response type by `lower`'s caller.
            pagination: None,
        };
        Ok((group, lowered))
    }

    /// Path-item parameters, then the operation's own (which override by name and
    /// location), each resolved, with the pointer of where it is written.
    fn parameters(&self, selected: &Selected<'a>) -> Result<Vec<(&'a Parameter, String)>, Error> {
        let item_at = pointer("#/paths", selected.path);
        let mut resolved: Vec<(&'a Parameter, String)> = Vec::new();
        let lists = [
            (&selected.path_item.parameters, pointer(&item_at, "parameters")),
            (&selected.operation.parameters, pointer(&selected.pointer(), "parameters")),
        ];
        for (list, list_at) in lists {
            for (index, parameter) in list.iter().enumerate() {
                let at = pointer(&list_at, &index.to_string());
                let (parameter, _) = self.resolve(parameter, "parameters", &at)?;
                let key = |p: &Parameter| (p.parameter_data_ref().name.clone(), std::mem::discriminant(p));
                resolved.retain(|(existing, _)| key(existing) != key(parameter));
                resolved.push((parameter, at));
            }
        }
        Ok(resolved)
    }

    fn body(&mut self, request_body: &'a ReferenceOr<RequestBody>, prefix: &str, at: &str) -> Result<Body, Error> {
        let (request_body, body_at) = self.resolve(request_body, "requestBodies", &pointer(at, "requestBody"))?;
        let Some(media) = request_body.content.get(JSON) else {
            let types: Vec<&str> = request_body.content.keys().map(String::as_str).collect();
            return Err(Error::at(
                pointer(&body_at, "content"),
                format!("request body content `{}` is not supported; only {JSON} is", types.join("`, `")),
            ));
        };
        let schema_at = pointer(&pointer(&pointer(&body_at, "content"), JSON), "schema");
        let Some(schema) = &media.schema else {
            return Err(Error::at(schema_at, "a request body without a schema is not supported"));
        };
        let lowered = self.schema(schema.into(), &format!("{prefix}Request"), &schema_at)?;
        // OpenAPI makes a body optional unless it says `required: true`, but a body
        // whose schema has required fields cannot be left out in any useful way.
        let accepts_nothing = match &lowered.ty {
            TypeRef::Named(name) => match self.types.get(name).map(|def| &def.kind) {
                Some(TypeKind::Struct(fields)) => fields.all_optional,
                _ => false,
            },
            TypeRef::Array(_) => lowered.bounds.min.unwrap_or(0) == 0,
            _ => true,
        };
        Ok(Body {
            ty: lowered.ty,
            optional: !request_body.required && accepts_nothing,
            description: request_body.description.clone(),
            bounds: lowered.bounds,
        })
    }

    /// Follows a `$ref` into `#/components/{kind}/…`; returns the item and the
    /// pointer of where it is defined. A dangling reference is reported at `at`.
    fn resolve<T: Component>(&self, value: &'a ReferenceOr<T>, kind: &str, at: &str) -> Result<(&'a T, String), Error> {
        let mut value = value;
        let mut here = at.to_owned();
        // A chain of references longer than this is a loop.
        for _ in 0..16 {
            match value {
                ReferenceOr::Item(item) => return Ok((item, here)),
                ReferenceOr::Reference { reference } => {
                    let prefix = format!("#/components/{kind}/");
                    let Some(name) = reference.strip_prefix(&prefix) else {
                        return Err(Error::at(&here, format!("`$ref: {reference}` must point into `{prefix}`")));
                    };
                    let Some(next) = self.document.components.as_ref().and_then(|c| T::lookup(c, name)) else {
                        return Err(Error::at(
                            &here,
                            format!("`$ref: {reference}` points to a component that does not exist"),
                        ));
                    };
                    here = pointer(&format!("#/components/{kind}"), name);
                    value = next;
                }
            }
        }
        Err(Error::at(at, "`$ref` chain loops"))
    }

    fn schema(&mut self, schema: SchemaRef<'a>, hint: &str, at: &str) -> Result<Lowered, Error> {
        match schema {
            SchemaRef::Item(schema) => self.inline(schema, hint, at),
            SchemaRef::Ref(reference) => {
                let Some(name) = reference.strip_prefix("#/components/schemas/") else {
                    return Err(Error::at(at, format!("`$ref: {reference}` must point into `#/components/schemas/`")));
                };
                let Some(component) = self.document.components.as_ref().and_then(|c| c.schemas.get(name)) else {
                    return Err(Error::at(
                        at,
                        format!("`$ref: {reference}` points to a component that does not exist"),
                    ));
                };
                if let Some(done) = self.components.get(name) {
                    return Ok(Lowered { description: None, default: None, ..done.clone() });
                }
                let type_name = names::type_name(name);
                if self.in_progress.contains(name) {
                    let nullable = matches!(component, ReferenceOr::Item(s) if s.schema_data.nullable);
                    return Ok(Lowered {
                        ty: TypeRef::Named(type_name),
                        nullable,
                        description: None,
                        default: None,
                        bounds: Bounds::default(),
                        deprecated: false,
                    });
                }
                self.in_progress.insert(name.to_owned());
                let lowered = self.schema(component.into(), &type_name, &pointer("#/components/schemas", name));
                self.in_progress.remove(name);
                let lowered = lowered?;
                self.components.insert(name.to_owned(), lowered.clone());
                // A field that refers to a type documents the type, not itself.
                Ok(Lowered { description: None, default: None, ..lowered })
            }
        }
    }

    fn inline(&mut self, schema: &'a Schema, hint: &str, at: &str) -> Result<Lowered, Error> {
        let data = &schema.schema_data;
        let mut lowered = Lowered {
            ty: TypeRef::Any,
            nullable: data.nullable,
            description: data.description.clone(),
            default: data.default.clone(),
            bounds: Bounds::default(),
            deprecated: data.deprecated,
        };
        lowered.ty = match shape(schema, at)? {
            Shape::String { enumeration } if !enumeration.is_empty() => {
                self.define_enum(hint, data.description.clone(), &enumeration, at)?
            }
            Shape::String { .. } => TypeRef::String,
            Shape::Integer { bits, bounds } => {
                lowered.bounds = bounds;
                TypeRef::Integer { bits }
            }
            Shape::Number { bits } => TypeRef::Number { bits },
            Shape::Boolean => TypeRef::Boolean,
            Shape::Object { properties, required, additional } => {
                if let Some(AdditionalProperties::Schema(_)) = additional {
                    return Err(Error::at(
                        pointer(at, "additionalProperties"),
                        "`additionalProperties` with a schema is not supported",
                    ));
                }
                if properties.is_empty() {
                    TypeRef::Map
                } else {
                    let sets = vec![(properties, at.to_owned())];
                    self.define_struct(hint, data.description.clone(), sets, required.iter().collect(), at)?
                }
            }
            Shape::Array { items, bounds } => {
                let Some(items) = items else {
                    return Err(Error::at(at, "an array without `items` is not supported"));
                };
                let item_at = pointer(at, "items");
                let item = self.schema(items.into(), &format!("{hint}Item"), &item_at)?;
                if item.nullable {
                    return Err(Error::at(item_at, "nullable array items are not supported"));
                }
                lowered.bounds = bounds;
                TypeRef::Array(Box::new(item.ty))
            }
            Shape::AllOf { parts, properties, required } => {
                let mut sets = Vec::new();
                let mut all_required: BTreeSet<&String> = required.iter().collect();
                for (index, part) in parts.iter().enumerate() {
                    let part_at = pointer(&pointer(at, "allOf"), &index.to_string());
                    let (part, defined_at) = self.resolve(part, "schemas", &part_at)?;
                    match shape(part, &defined_at)? {
                        Shape::Object { properties, required, additional } => {
                            if let Some(AdditionalProperties::Schema(_)) = additional {
                                return Err(Error::at(
                                    defined_at,
                                    "`additionalProperties` with a schema is not supported in `allOf`",
                                ));
                            }
                            all_required.extend(required);
                            sets.push((properties, defined_at));
                        }
                        _ => {
                            return Err(Error::at(
                                defined_at,
                                "only objects with `properties` can be merged by `allOf`",
                            ))
                        }
                    }
                }
                if let Some(properties) = properties.filter(|properties| !properties.is_empty()) {
                    sets.push((properties, at.to_owned()));
                }
                self.define_struct(hint, data.description.clone(), sets, all_required, at)?
            }
            Shape::Any => TypeRef::Any,
        };
        Ok(lowered)
    }

    fn define_struct(
        &mut self,
        name: &str,
        description: Option<String>,
        property_sets: Vec<(&'a Properties, String)>,
        required: BTreeSet<&String>,
        at: &str,
    ) -> Result<TypeRef, Error> {
        self.type_names.claim(name, name, at, "type")?;
        let mut fields = Vec::new();
        let mut field_names = Scope::default();
        for (properties, set_at) in property_sets {
            for (wire_name, property) in properties {
                let field_at = pointer(&pointer(&set_at, "properties"), wire_name);
                let rust_name = names::snake_name(wire_name);
                field_names.claim(&rust_name, wire_name, &field_at, "property")?;
                let hint = format!("{name}{}", names::type_name(wire_name));
                let lowered = self.schema(property.into(), &hint, &field_at)?;
                fields.push(Field {
                    wire_name: wire_name.clone(),
                    rust_name,
                    ty: lowered.ty,
                    required: required.contains(wire_name),
                    nullable: lowered.nullable,
                    description: lowered.description,
                    default: lowered.default,
                    bounds: lowered.bounds,
                    deprecated: lowered.deprecated,
                });
            }
        }
        for wanted in required {
            if !fields.iter().any(|field| &field.wire_name == wanted) {
                return Err(Error::at(pointer(at, "required"), format!("required property `{wanted}` is not defined")));
            }
        }
        let all_optional = fields.iter().all(|field| !field.required);
        let kind = TypeKind::Struct(Struct { fields, all_optional, constructor: false });
        self.types.insert(name.to_owned(), TypeDef { name: name.to_owned(), description, origin: at.to_owned(), kind });
        Ok(TypeRef::Named(name.to_owned()))
    }

    fn define_enum(
        &mut self,
        name: &str,
        description: Option<String>,
        values: &[&str],
        at: &str,
    ) -> Result<TypeRef, Error> {
        self.type_names.claim(name, name, at, "type")?;
        let mut variants = Scope::default();
        let mut lowered = Vec::new();
        // `Unknown` holds values this client does not know; a spec value may not take it.
        variants.claim("Unknown", "(unknown values)", at, "enum value")?;
        for (index, value) in values.iter().enumerate() {
            let variant = names::variant_name(value);
            variants.claim(&variant, value, &pointer(&pointer(at, "enum"), &index.to_string()), "enum value")?;
            lowered.push(EnumValue { wire: (*value).to_owned(), variant });
        }
        self.types.insert(
            name.to_owned(),
            TypeDef { name: name.to_owned(), description, origin: at.to_owned(), kind: TypeKind::Enum(lowered) },
        );
        Ok(TypeRef::Named(name.to_owned()))
    }

    /// Whether a value of `ty` can be written into a query string.
    fn is_query_value(&self, ty: &TypeRef) -> bool {
        match ty {
            TypeRef::String | TypeRef::Integer { .. } | TypeRef::Number { .. } | TypeRef::Boolean => true,
            TypeRef::Named(name) => matches!(self.types.get(name), Some(TypeDef { kind: TypeKind::Enum(_), .. })),
            TypeRef::Array(item) => !matches!(item.as_ref(), TypeRef::Array(_)) && self.is_query_value(item),
            TypeRef::Map | TypeRef::Any => false,
        }
    }

    /// Request bodies get a `new(required fields…)`; responses do not need one.
    fn mark_constructors(&mut self, groups: &[Group]) {
        for operation in groups.iter().flat_map(|group| &group.operations) {
            let Some(body) = &operation.body else { continue };
            let name = match &body.ty {
                TypeRef::Named(name) => name,
                TypeRef::Array(item) => match item.as_ref() {
                    TypeRef::Named(name) => name,
                    _ => continue,
                },
                _ => continue,
            };
            // Without required fields, `Default` already is the constructor.
            if let Some(TypeDef { kind: TypeKind::Struct(fields), .. }) = self.types.get_mut(name) {
                fields.constructor = !fields.all_optional;
            }
        }
    }
}

/// The component kinds a `$ref` can point into.
trait Component: Sized {
    fn lookup<'c>(components: &'c openapiv3::Components, name: &str) -> Option<&'c ReferenceOr<Self>>;
}

impl Component for Parameter {
    fn lookup<'c>(components: &'c openapiv3::Components, name: &str) -> Option<&'c ReferenceOr<Self>> {
        components.parameters.get(name)
    }
}

impl Component for RequestBody {
    fn lookup<'c>(components: &'c openapiv3::Components, name: &str) -> Option<&'c ReferenceOr<Self>> {
        components.request_bodies.get(name)
    }
}

impl Component for openapiv3::Response {
    fn lookup<'c>(components: &'c openapiv3::Components, name: &str) -> Option<&'c ReferenceOr<Self>> {
        components.responses.get(name)
    }
}

impl Component for Schema {
    fn lookup<'c>(components: &'c openapiv3::Components, name: &str) -> Option<&'c ReferenceOr<Self>> {
        components.schemas.get(name)
    }
}

fn is_success(status: &StatusCode) -> bool {
    match status {
        StatusCode::Code(code) => (200..300).contains(code),
        StatusCode::Range(range) => *range == 2,
    }
}

fn extension<'e>(extensions: &'e IndexMap<String, serde_json::Value>, key: &str) -> Option<&'e str> {
    extensions.get(key).and_then(serde_json::Value::as_str)
}

/// Splits `/organizations/{organization_id}/invitations` into literals and
/// parameters, and orders `params` as the template uses them. Every `{name}` must
/// be a path parameter and every path parameter must be used.
fn parse_template(path: &str, params: Vec<Param>, at: &str) -> Result<(Vec<PathPart>, Vec<Param>), Error> {
    let mut parts = Vec::new();
    let mut ordered: Vec<Param> = Vec::new();
    let mut remaining = params;
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        if open > 0 {
            parts.push(PathPart::Literal(rest[..open].to_owned()));
        }
        let Some(close) = rest[open..].find('}') else {
            return Err(Error::at(at, format!("path `{path}` has an unclosed `{{`")));
        };
        let name = &rest[open + 1..open + close];
        let Some(index) = remaining.iter().position(|param| param.wire_name == name) else {
            return Err(Error::at(at, format!("path `{path}` names `{{{name}}}`, which no path parameter defines")));
        };
        parts.push(PathPart::Param(ordered.len()));
        ordered.push(remaining.remove(index));
        rest = &rest[open + close + 1..];
    }
    if rest.contains('}') {
        return Err(Error::at(at, format!("path `{path}` has an unopened `}}`")));
    }
    if !rest.is_empty() {
        parts.push(PathPart::Literal(rest.to_owned()));
    }
    if let Some(unused) = remaining.first() {
        return Err(Error::at(at, format!("path parameter `{}` does not appear in `{path}`", unused.wire_name)));
    }
    Ok((parts, ordered))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn param(name: &str) -> Param {
        Param {
            wire_name: name.to_owned(),
            rust_name: name.to_owned(),
            ty: TypeRef::String,
            required: true,
            description: None,
            default: None,
            bounds: Bounds::default(),
            deprecated: false,
        }
    }

    #[test]
    fn template_is_split_and_params_ordered_as_used() {
        let (parts, params) = parse_template("/o/{b}/i/{a}/revoke", vec![param("a"), param("b")], "#").unwrap();
        assert_eq!(
            parts,
            vec![
                PathPart::Literal("/o/".into()),
                PathPart::Param(0),
                PathPart::Literal("/i/".into()),
                PathPart::Param(1),
                PathPart::Literal("/revoke".into()),
            ]
        );
        assert_eq!(params[0].wire_name, "b");
        assert_eq!(params[1].wire_name, "a");
    }

    #[test]
    fn template_and_parameters_must_agree() {
        assert!(parse_template("/o/{x}", vec![param("a")], "#").unwrap_err().message.contains("`{x}`"));
        assert!(parse_template("/o", vec![param("a")], "#").unwrap_err().message.contains("`a`"));
        assert!(parse_template("/o/{a", vec![param("a")], "#").unwrap_err().message.contains("unclosed"));
    }
}
