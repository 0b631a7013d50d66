//! One operation: its parameters, body, responses and retry facts.

use openapiv3::{ReferenceOr, RequestBody, StatusCode};

use super::{extension, Lowerer};
use crate::error::pointer;
use crate::ir::{
    Body, Bounds, Content, Operation, Output, QueryParams, Response, StatusEnum, StatusVariant, TypeKind, TypeRef,
};
use crate::names::{self, Scope};
use crate::prose;
use crate::select::Selected;
use crate::Error;

const JSON: &str = "application/json";
const MULTIPART: &str = "multipart/form-data";

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
        let (successes, output, errors) = self.responses(selected, &prefix)?;
        let security =
            super::security::requirements(self.document, operation.security.as_ref(), &at, &mut self.schemes)?;

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
            summary: prose::text(operation.summary.as_ref()),
            description: prose::text(operation.description.as_ref()),
            deprecated: operation.deprecated,
            path_params,
            query,
            headers: parameters.header,
            body,
            successes,
            output,
            errors,
            security,
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

    /// The documented 2XX responses, what `send` returns, and the documented errors.
    fn responses(
        &mut self,
        selected: &Selected<'a>,
        prefix: &str,
    ) -> Result<(Vec<Response>, Output, Vec<Response>), Error> {
        let operation = selected.operation;
        let at = selected.pointer();
        let mut successes = Vec::new();
        let mut errors = Vec::new();
        // With one success response its inline type is `{Operation}Response`; with
        // several, that name is the enum of them, and each is named by its status.
        let several = operation.responses.responses.keys().filter(|status| is_success(status)).count() > 1;
        let documented =
            operation.responses.responses.iter().map(|(status, r)| (status.to_string(), is_success(status), r));
        let default = operation.responses.default.iter().map(|r| ("default".to_owned(), false, r));
        for (status, is_success, response) in documented.chain(default) {
            let response_at = pointer(&pointer(&at, "responses"), &status);
            let (response, resolved_at) = self.resolve(response, "responses", &response_at)?;
            let hint =
                if is_success && !several { format!("{prefix}Response") } else { format!("{prefix}{status}Response") };
            let (content, nullable) = self.content(response, &hint, &resolved_at)?;
            let description = prose::text(Some(&response.description));
            let lowered = Response { status, description, content, nullable };
            if is_success {
                successes.push(lowered);
            } else {
                errors.push(lowered);
            }
        }
        successes.sort_by(|a, b| status_order(&a.status).cmp(&status_order(&b.status)));
        errors.sort_by(|a, b| a.status.cmp(&b.status));
        let output = self.output(&successes, prefix, &at)?;
        Ok((successes, output, errors))
    }

    /// A response's content: JSON when `application/json` is documented (the
    /// client asks for it), else the raw bytes of whatever media type it has.
    /// Beside it, whether its JSON schema is `nullable`.
    fn content(&mut self, response: &'a openapiv3::Response, hint: &str, at: &str) -> Result<(Content, bool), Error> {
        if let Some(media) = response.content.get(JSON) {
            return Ok(match &media.schema {
                Some(schema) => {
                    let schema_at = pointer(&pointer(&pointer(at, "content"), JSON), "schema");
                    let lowered = self.schema(schema.into(), hint, &schema_at)?;
                    // `Any` holds `null` already.
                    let nullable = lowered.nullable && lowered.ty != TypeRef::Any;
                    (Content::Json(lowered.ty), nullable)
                }
                None => (Content::Json(TypeRef::Any), false),
            });
        }
        if response.content.is_empty() {
            return Ok((Content::Empty, false));
        }
        let mut media_types = Vec::new();
        for media_type in response.content.keys() {
            // It goes into the `Accept` header as it is written.
            if media_type.is_empty() || !media_type.bytes().all(|byte| byte.is_ascii_graphic() || byte == b' ') {
                let content_at = pointer(&pointer(at, "content"), media_type);
                return Err(Error::at(content_at, "a media type must be printable ASCII"));
            }
            media_types.push(media_type.clone());
        }
        Ok((Content::Bytes { media_types }, false))
    }

    /// What `send` returns: the one content every success response has, or an
    /// enum of them by status.
    fn output(&mut self, successes: &[Response], prefix: &str, at: &str) -> Result<Output, Error> {
        let Some(first) = successes.first() else { return Ok(Output::Empty) };
        let same = |content: &Content| match (content, &first.content) {
            (Content::Bytes { .. }, Content::Bytes { .. }) => true,
            (content, first) => content == first,
        };
        if successes.iter().all(|response| same(&response.content)) {
            return Ok(match &first.content {
                Content::Empty => Output::Empty,
                Content::Json(ty) if successes.iter().any(|response| response.nullable) => {
                    Output::NullableJson(ty.clone())
                }
                Content::Json(ty) => Output::Json(ty.clone()),
                Content::Bytes { .. } => Output::Bytes,
            });
        }
        let type_name = names::unshadowed(format!("{prefix}Response"));
        self.type_names.claim(&type_name, &type_name, &pointer(at, "responses"), "type")?;
        let mut variant_names = Scope::default();
        variant_names.claim("Other", "(other statuses)", at, "success response")?;
        let mut variants = Vec::new();
        for response in successes {
            let name = names::status_variant(&response.status);
            let response_at = pointer(&pointer(at, "responses"), &response.status);
            variant_names.claim(&name, &response.status, &response_at, "success response")?;
            variants.push(StatusVariant {
                name,
                status: response.status.clone(),
                description: response.description.clone(),
                content: response.content.clone(),
            });
        }
        let other = !successes.iter().any(|response| response.status.eq_ignore_ascii_case("2XX"));
        Ok(Output::ByStatus(StatusEnum { type_name, variants, other }))
    }

    fn body(&mut self, request_body: &'a ReferenceOr<RequestBody>, prefix: &str, at: &str) -> Result<Body, Error> {
        let (request_body, body_at) = self.resolve(request_body, "requestBodies", &pointer(at, "requestBody"))?;
        // JSON when it is offered, like responses; else a form.
        let Some(media) = request_body.content.get(JSON) else {
            if let Some(media) = request_body.content.get(MULTIPART) {
                let media_at = pointer(&pointer(&body_at, "content"), MULTIPART);
                let form = self.form(media, &format!("{prefix}Request"), &media_at)?;
                let accepts_nothing = form.fields.iter().all(|field| !field.required);
                return Ok(Body {
                    ty: TypeRef::Named(form.type_name.clone()),
                    optional: !request_body.required && accepts_nothing,
                    description: prose::text(request_body.description.as_ref()),
                    bounds: Bounds::default(),
                    form: Some(form),
                });
            }
            let types: Vec<&str> = request_body.content.keys().map(String::as_str).collect();
            return Err(Error::at(
                pointer(&body_at, "content"),
                format!(
                    "request body content `{}` is not supported; only {JSON} and {MULTIPART} are",
                    types.join("`, `")
                ),
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
            description: prose::text(request_body.description.as_ref()),
            bounds: lowered.bounds,
            form: None,
        })
    }
}

/// Exact statuses in numeric order, then ranges (`2XX`): the order an answer's
/// status is matched in.
fn status_order(status: &str) -> (bool, &str) {
    (!status.bytes().all(|byte| byte.is_ascii_digit()), status)
}

fn is_success(status: &StatusCode) -> bool {
    match status {
        StatusCode::Code(code) => (200..300).contains(code),
        StatusCode::Range(range) => *range == 2,
    }
}
