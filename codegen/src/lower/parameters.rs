//! Path and query parameters.

use openapiv3::{Parameter, ParameterSchemaOrContent};

use super::Lowerer;
use crate::error::pointer;
use crate::ir::{Param, TypeDef, TypeKind, TypeRef};
use crate::names::{self, Scope};
use crate::select::Selected;
use crate::Error;

/// An operation's parameters: path ones (in spec order; the template orders
/// them later) and query ones.
pub(super) struct Parameters {
    pub path: Vec<Param>,
    pub query: Vec<Param>,
}

impl<'a> Lowerer<'a> {
    pub(super) fn parameters(&mut self, selected: &Selected<'a>, prefix: &str) -> Result<Parameters, Error> {
        let mut lowered = Parameters { path: Vec::new(), query: Vec::new() };
        // Path arguments and query fields share one scope: both are named by the
        // caller of one method.
        let mut scope = Scope::default();
        for (parameter, param_at) in self.resolved_parameters(selected)? {
            let (data, in_path) = match parameter {
                Parameter::Path { parameter_data, .. } => (parameter_data, true),
                Parameter::Query { parameter_data, .. } => (parameter_data, false),
                Parameter::Header { .. } => return Err(Error::at(param_at, "header parameters are not supported")),
                Parameter::Cookie { .. } => return Err(Error::at(param_at, "cookie parameters are not supported")),
            };
            let ParameterSchemaOrContent::Schema(schema) = &data.format else {
                return Err(Error::at(param_at, "parameters given by `content` are not supported"));
            };
            let hint = format!("{prefix}{}", names::type_part(&data.name));
            let schema = self.schema(schema.into(), &hint, &pointer(&param_at, "schema"))?;
            if in_path && !matches!(schema.ty, TypeRef::String | TypeRef::Integer { .. }) {
                return Err(Error::at(param_at, "path parameters must be strings or integers"));
            }
            if !in_path && !self.is_query_value(&schema.ty) {
                return Err(Error::at(param_at, "query parameters must be scalars, enums or arrays of them"));
            }
            // Every parameter becomes a setter and a field of the call builder,
            // kept clear of the builder's own methods and fields.
            let rust_name = names::argument_name(&data.name);
            scope.claim(&rust_name, &data.name, &param_at, "parameter")?;
            let param = Param {
                wire_name: data.name.clone(),
                rust_name,
                ty: schema.ty,
                required: in_path || data.required,
                description: data.description.clone().or(schema.description),
                default: schema.default,
                bounds: schema.bounds,
                deprecated: data.deprecated.unwrap_or(false) || schema.deprecated,
            };
            if in_path {
                lowered.path.push(param)
            } else {
                lowered.query.push(param)
            }
        }
        Ok(lowered)
    }

    /// Path-item parameters, then the operation's own (which override by name and
    /// location), each resolved, with the pointer of where it is written.
    fn resolved_parameters(&self, selected: &Selected<'a>) -> Result<Vec<(&'a Parameter, String)>, Error> {
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

    /// Whether a value of `ty` can be written into a query string.
    fn is_query_value(&self, ty: &TypeRef) -> bool {
        match ty {
            TypeRef::String | TypeRef::Integer { .. } | TypeRef::Number { .. } | TypeRef::Boolean => true,
            TypeRef::Named(name) => matches!(self.types.get(name), Some(TypeDef { kind: TypeKind::Enum(_), .. })),
            TypeRef::Array(item) => !matches!(item.as_ref(), TypeRef::Array(_)) && self.is_query_value(item),
            TypeRef::Map | TypeRef::Any => false,
        }
    }
}
