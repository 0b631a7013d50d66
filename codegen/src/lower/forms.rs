//! `multipart/form-data` request bodies: an object whose properties are the
//! form's parts. A `type: string, format: binary` property (or a list of them)
//! is a file, sent with its file name and content type; any other is text,
//! written as a query value is.

use openapiv3::{MediaType, ReferenceOr, Schema, SchemaKind, StringFormat, Type, VariantOrUnknownOrEmpty};

use super::Lowerer;
use crate::error::pointer;
use crate::ir::{Bounds, Form, FormField, FormValue, MAX_POSITIONAL};
use crate::names::{self, Scope};
use crate::prose;
use crate::Error;

impl<'a> Lowerer<'a> {
    /// The form described by `media` (at `at`), named `type_name`.
    pub(super) fn form(&mut self, media: &'a MediaType, type_name: &str, at: &str) -> Result<Form, Error> {
        let schema_at = pointer(at, "schema");
        let Some(schema) = &media.schema else {
            return Err(Error::at(schema_at, "a request body without a schema is not supported"));
        };
        let (schema, defined_at) = self.resolve(schema, "schemas", &schema_at)?;
        let SchemaKind::Type(Type::Object(object)) = &schema.schema_kind else {
            return Err(Error::at(defined_at, "a multipart/form-data body must be an object with properties"));
        };
        if object.properties.is_empty() {
            return Err(Error::at(defined_at, "a multipart/form-data body must be an object with properties"));
        }
        let type_name = names::unshadowed(type_name.to_owned());
        self.type_names.claim(&type_name, &type_name, &defined_at, "type")?;
        let mut field_names = Scope::default();
        let mut fields = Vec::new();
        for (wire_name, property) in &object.properties {
            let field_at = pointer(&pointer(&defined_at, "properties"), wire_name);
            let rust_name = names::snake_name(wire_name);
            field_names.claim(&rust_name, wire_name, &field_at, "property")?;
            let (schema, schema_at) = self.property(property, &field_at)?;
            let data = &schema.schema_data;
            let (value, bounds, description) = match file_kind(self, schema, &schema_at)? {
                Some(value) => (value, Bounds::default(), prose::text(data.description.as_ref())),
                None => {
                    let hint = format!("{type_name}{}", names::type_part(wire_name));
                    let lowered = self.schema(property.into(), &hint, &field_at)?;
                    if !self.is_query_value(&lowered.ty) {
                        return Err(Error::at(
                            field_at,
                            "multipart/form-data fields must be files, scalars, enums or lists of them",
                        ));
                    }
                    (
                        FormValue::Text(lowered.ty),
                        lowered.bounds,
                        lowered.description.or(prose::text(data.description.as_ref())),
                    )
                }
            };
            fields.push(FormField {
                wire_name: wire_name.clone(),
                setter: names::form_setter(&rust_name),
                rust_name,
                value,
                required: object.required.contains(wire_name),
                description,
                bounds,
                deprecated: data.deprecated,
            });
        }
        for wanted in &object.required {
            if !object.properties.contains_key(wanted) {
                let required_at = pointer(&defined_at, "required");
                return Err(Error::at(required_at, format!("required property `{wanted}` is not defined")));
            }
        }
        // Few required fields are safe as positional arguments of `new`.
        if fields.iter().filter(|field| field.required).count() > MAX_POSITIONAL {
            return Err(Error::at(
                defined_at,
                format!("a multipart/form-data body with more than {MAX_POSITIONAL} required fields is not supported"),
            ));
        }
        Ok(Form { type_name, description: prose::text(schema.schema_data.description.as_ref()), fields })
    }

    /// A property's schema, following a `$ref`, and where it is defined.
    fn property(&self, property: &'a ReferenceOr<Box<Schema>>, at: &str) -> Result<(&'a Schema, String), Error> {
        match property {
            ReferenceOr::Item(schema) => Ok((schema, at.to_owned())),
            ReferenceOr::Reference { reference } => {
                let name = reference.strip_prefix("#/components/schemas/").ok_or_else(|| {
                    Error::at(at, format!("`$ref: {reference}` must point into `#/components/schemas/`"))
                })?;
                let Some(component) = self.document.components.as_ref().and_then(|c| c.schemas.get(name)) else {
                    return Err(Error::at(
                        at,
                        format!("`$ref: {reference}` points to a component that does not exist"),
                    ));
                };
                self.resolve(component, "schemas", &pointer("#/components/schemas", name))
            }
        }
    }
}

/// Whether `schema` is a file (`type: string, format: binary`) or a list of
/// files; `None` for anything else.
fn file_kind<'a>(lowerer: &Lowerer<'a>, schema: &'a Schema, at: &str) -> Result<Option<FormValue>, Error> {
    if is_binary(schema) {
        return Ok(Some(FormValue::File));
    }
    let SchemaKind::Type(Type::Array(array)) = &schema.schema_kind else { return Ok(None) };
    let Some(items) = &array.items else { return Ok(None) };
    let (item, _) = lowerer.property(items, &pointer(at, "items"))?;
    Ok(is_binary(item).then_some(FormValue::Files))
}

fn is_binary(schema: &Schema) -> bool {
    matches!(
        &schema.schema_kind,
        SchemaKind::Type(Type::String(string)) if string.format == VariantOrUnknownOrEmpty::Item(StringFormat::Binary)
    )
}
