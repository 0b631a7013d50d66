//! Path, query and header parameters.

use openapiv3::{Parameter, ParameterSchemaOrContent};

use super::Lowerer;
use crate::error::pointer;
use crate::ir::{Param, TypeDef, TypeKind, TypeRef};
use crate::names::{self, Scope};
use crate::prose;
use crate::select::Selected;
use crate::Error;

/// An operation's parameters: path ones (in spec order; the template orders
/// them later), query ones and header ones.
pub(super) struct Parameters {
    pub path: Vec<Param>,
    pub query: Vec<Param>,
    pub header: Vec<Param>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Location {
    Path,
    Query,
    Header,
}

impl Location {
    fn as_str(self) -> &'static str {
        match self {
            Location::Path => "path",
            Location::Query => "query",
            Location::Header => "header",
        }
    }
}

/// Header parameters OpenAPI 3.0 says to ignore: the request's own media types
/// and credentials are not parameters.
const IGNORED_HEADERS: &[&str] = &["accept", "authorization", "content-type"];

/// Headers the client sets itself, HTTP manages hop by hop, or that carry
/// credentials: the runtime refuses them from callers
/// (`limits::REFUSED_HEADERS`, less the ones above), so a parameter could never
/// be sent.
/// The API's own headers (its constant header, those its API keys go in) are
/// checked beside these (`Lowerer::reserved_headers`).
const CLIENT_HEADERS: &[&str] = &[
    "connection",
    "content-length",
    "cookie",
    "expect",
    "host",
    "keep-alive",
    "proxy-authorization",
    "proxy-connection",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "user-agent",
];

impl<'a> Lowerer<'a> {
    pub(super) fn parameters(&mut self, selected: &Selected<'a>, prefix: &str) -> Result<Parameters, Error> {
        let mut lowered: Vec<(Location, Param, String)> = Vec::new();
        for (parameter, param_at) in self.resolved_parameters(selected)? {
            let (data, location) = match parameter {
                Parameter::Path { parameter_data, .. } => (parameter_data, Location::Path),
                Parameter::Query { parameter_data, .. } => (parameter_data, Location::Query),
                Parameter::Header { parameter_data, .. } => (parameter_data, Location::Header),
                Parameter::Cookie { .. } => {
                    return Err(Error::at(param_at, "cookie parameters are not supported: the client sends no cookies"))
                }
            };
            if location == Location::Header {
                let name = data.name.to_ascii_lowercase();
                if IGNORED_HEADERS.contains(&name.as_str()) {
                    continue;
                }
                if !is_token(&data.name) {
                    return Err(Error::at(param_at, format!("`{}` is not a valid HTTP header name", data.name)));
                }
                if CLIENT_HEADERS.contains(&name.as_str()) || self.reserved_headers.contains(&name) {
                    return Err(Error::at(
                        param_at,
                        format!("the header `{}` is set by the client or by HTTP, never by a caller", data.name),
                    ));
                }
            }
            let ParameterSchemaOrContent::Schema(schema) = &data.format else {
                return Err(Error::at(param_at, "parameters given by `content` are not supported"));
            };
            let hint = format!("{prefix}{}", names::type_part(&data.name));
            let schema = self.schema(schema.into(), &hint, &pointer(&param_at, "schema"))?;
            match location {
                Location::Path if !self.is_path_value(&schema.ty) => {
                    return Err(Error::at(param_at, "path parameters must be strings, integers or string enums"));
                }
                Location::Query if !self.is_query_value(&schema.ty) => {
                    return Err(Error::at(param_at, "query parameters must be scalars, enums or arrays of them"));
                }
                Location::Header if !self.is_query_value(&schema.ty) => {
                    return Err(Error::at(param_at, "header parameters must be scalars, enums or arrays of them"));
                }
                Location::Header => self.check_header_enum(&schema.ty, &param_at)?,
                _ => {}
            }
            let param = Param {
                wire_name: data.name.clone(),
                // Named below, together with the operation's other parameters.
                rust_name: String::new(),
                ty: schema.ty,
                required: location == Location::Path || data.required,
                description: prose::text(data.description.as_ref()).or(schema.description),
                default: schema.default,
                bounds: schema.bounds,
                deprecated: data.deprecated.unwrap_or(false) || schema.deprecated,
            };
            lowered.push((location, param, param_at));
        }

        // Every parameter becomes a setter and a field of the call builder, so
        // all share one scope, kept clear of the builder's own methods and fields.
        let wire: Vec<(&str, &str)> =
            lowered.iter().map(|(location, param, _)| (param.wire_name.as_str(), location.as_str())).collect();
        let rust_names = names::argument_names(&wire);
        let mut scope = Scope::default();
        let mut parameters = Parameters { path: Vec::new(), query: Vec::new(), header: Vec::new() };
        for ((location, mut param, param_at), rust_name) in lowered.into_iter().zip(rust_names) {
            scope.claim(&rust_name, &param.wire_name, &param_at, "parameter")?;
            param.rust_name = rust_name;
            match location {
                Location::Path => parameters.path.push(param),
                Location::Query => parameters.query.push(param),
                Location::Header => parameters.header.push(param),
            }
        }
        Ok(parameters)
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

    /// Whether a value of `ty` can be one path segment: its text is encoded as one.
    fn is_path_value(&self, ty: &TypeRef) -> bool {
        match ty {
            TypeRef::String | TypeRef::Integer { .. } => true,
            TypeRef::Named(name) => matches!(self.types.get(name), Some(TypeDef { kind: TypeKind::Enum(_), .. })),
            _ => false,
        }
    }

    /// An enum a header parameter takes must have only values a header can
    /// carry: one with a control character (a CR or LF would end the header)
    /// would be a variant the runtime refuses every time it is sent.
    fn check_header_enum(&self, ty: &TypeRef, at: &str) -> Result<(), Error> {
        let name = match ty {
            TypeRef::Named(name) => name,
            TypeRef::Array(item) => return self.check_header_enum(item, at),
            _ => return Ok(()),
        };
        let Some(TypeDef { kind: TypeKind::Enum(values), .. }) = self.types.get(name) else { return Ok(()) };
        for (index, value) in values.iter().enumerate() {
            if !is_header_value(&value.wire) {
                return Err(Error::at(
                    pointer(&pointer(at, "schema"), "enum"),
                    format!(
                        "value {index} of `{name}` has a control character, which a header value cannot hold: \
                         the header parameter could never send it"
                    ),
                ));
            }
        }
        Ok(())
    }

    /// Whether a value of `ty` can be written into a query string (or a header).
    pub(super) fn is_query_value(&self, ty: &TypeRef) -> bool {
        match ty {
            TypeRef::String | TypeRef::Integer { .. } | TypeRef::Number { .. } | TypeRef::Boolean => true,
            TypeRef::Named(name) => matches!(self.types.get(name), Some(TypeDef { kind: TypeKind::Enum(_), .. })),
            TypeRef::Array(item) => !matches!(item.as_ref(), TypeRef::Array(_)) && self.is_query_value(item),
            TypeRef::Map | TypeRef::Any => false,
        }
    }
}

/// Text a header value can hold as it is (RFC 9110 field content, as the
/// `http` crate checks it): no control character but a tab, no DEL.
fn is_header_value(text: &str) -> bool {
    text.bytes().all(|byte| byte == b'\t' || (byte >= 0x20 && byte != 0x7f))
}

/// An HTTP field name: one or more of RFC 9110's token characters.
pub(super) fn is_token(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|byte| byte.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&byte))
}

/// Whether the client or HTTP sets the header `name` (any case) itself.
pub(super) fn is_client_header(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    IGNORED_HEADERS.contains(&name.as_str()) || CLIENT_HEADERS.contains(&name.as_str())
}
