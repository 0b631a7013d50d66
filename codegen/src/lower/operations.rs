//! One operation: its parameters, body, responses and retry facts.

use openapiv3::{ReferenceOr, RequestBody, StatusCode};

use super::{extension, Lowerer};
use crate::error::pointer;
use crate::ir::{Body, Operation, QueryParams, Response, TypeKind, TypeRef};
use crate::names;
use crate::select::Selected;
use crate::Error;

const JSON: &str = "application/json";

impl<'a> Lowerer<'a> {
    /// The operation and the raw name of the group it belongs to.
    pub(super) fn operation(&mut self, selected: &Selected<'a>) -> Result<(String, Operation), Error> {
        let operation = selected.operation;
        let at = selected.pointer();
        let prefix = names::type_part(selected.operation_id);

        let parameters = self.parameters(selected, &prefix)?;
        let (path_parts, path_params) = crate::template::parse(selected.path, parameters.path, &at)?;
        let query = if parameters.query.is_empty() {
            None
        } else {
            let type_name = format!("{prefix}Params");
            self.type_names.claim(&type_name, &type_name, &pointer(&at, "parameters"), "type")?;
            Some(QueryParams { type_name, params: parameters.query })
        };

        let body = match &operation.request_body {
            Some(request_body) => Some(self.body(request_body, &prefix, &at)?),
            None => None,
        };
        let (success, errors) = self.responses(selected, &prefix)?;

        let group = extension(&operation.extensions, "x-speakeasy-group")
            .or_else(|| operation.tags.first().map(String::as_str))
            .unwrap_or("default")
            .to_owned();
        let method_name =
            names::method_name(selected.operation_id, extension(&operation.extensions, "x-speakeasy-name-override"));
        let call_type = names::unshadowed(names::type_part(&method_name));

        let lowered = Operation {
            operation_id: selected.operation_id.to_owned(),
            method_name,
            call_type,
            http_method: selected.method,
            path: selected.path.to_owned(),
            path_parts,
            summary: operation.summary.clone(),
            description: operation.description.clone(),
            deprecated: operation.deprecated,
            path_params,
            query,
            headers: parameters.header,
            body,
            success,
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

    /// The 2XX response (one type for all of them) and the documented errors.
    fn responses(&mut self, selected: &Selected<'a>, prefix: &str) -> Result<(Option<Response>, Vec<Response>), Error> {
        let operation = selected.operation;
        let at = selected.pointer();
        let mut success: Option<Response> = None;
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
            if !is_success {
                errors.push(lowered);
            } else if let Some(first) = &success {
                if first.ty != lowered.ty {
                    return Err(Error::at(
                        response_at,
                        format!(
                            "success responses {} and {status} have different types; one success type per operation is supported",
                            first.status
                        ),
                    ));
                }
            } else {
                success = Some(lowered);
            }
        }
        errors.sort_by(|a, b| a.status.cmp(&b.status));
        Ok((success, errors))
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
}

fn is_success(status: &StatusCode) -> bool {
    match status {
        StatusCode::Code(code) => (200..300).contains(code),
        StatusCode::Range(range) => *range == 2,
    }
}
