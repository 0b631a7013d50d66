//! The client's public API as text, one line per item: the short, reviewable
//! diff a spec change produces for users (kept as an insta snapshot, and compared
//! by `cargo xtask drift`). Prose is left out on purpose.

use std::fmt::Write;

use crate::ir::{
    Api, Bounds, Content, FormValue, Operation, Output, PageShape, RetryPolicy, RetrySafety, TypeKind, TypeRef,
    CATCH_ALL,
};

pub fn surface(api: &Api) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "const API_VERSION = {:?}", api.version);
    let _ = writeln!(out, "const DEFAULT_BASE_URL = {:?}", api.default_base_url);
    match &api.retries {
        Some(policy) => {
            let _ = writeln!(out, "const RETRY_POLICY = {}", retry_policy(policy));
        }
        None => {
            let _ = writeln!(out, "const RETRY_POLICY = None");
        }
    }
    if let Some(var) = &api.secret_var {
        let _ = writeln!(out, "const SECRET_KEY_VAR = {var:?}");
    }
    if let crate::ir::ErrorStyle::Schema(model) = &api.errors.style {
        let _ = writeln!(out, "trait ErrorBody: fn error_body(&self) -> Option<{model}>");
    }
    for group in &api.groups {
        let _ = writeln!(out, "group Client::{}() -> {}", group.module, group.type_name);
        for operation in &group.operations {
            let _ = writeln!(out, "  {}", signature(operation));
            for line in call_lines(operation) {
                let _ = writeln!(out, "    {line}");
            }
            let safety = match operation.retry_safety {
                RetrySafety::Idempotent => "idempotent",
                RetrySafety::UnsentOnly => "unsent-only",
            };
            let own =
                operation.retries.as_ref().map(|p| format!(", own policy {}", retry_policy(p))).unwrap_or_default();
            let _ = writeln!(out, "    retries: {safety}{own}");
        }
    }
    for def in api.types.values() {
        match &def.kind {
            TypeKind::Struct(shape) => {
                let _ = writeln!(out, "struct {}", def.name);
                for field in &shape.fields {
                    let _ = writeln!(
                        out,
                        "  {}: {} = {:?}{}{}{}",
                        field.rust_name,
                        field.rust_type(""),
                        field.wire_name,
                        bounds(&field.bounds),
                        if field.deprecated { " deprecated" } else { "" },
                        if field.read_only { " read-only" } else { "" }
                    );
                }
                if let Some(rest) = &shape.rest {
                    let item = rest.item.rust("");
                    let item = if rest.nullable { format!("Option<{item}>") } else { item };
                    let _ = writeln!(out, "  {}: BTreeMap<String, {item}> = (other properties)", rest.rust_name);
                }
                let required: Vec<String> = shape
                    .fields
                    .iter()
                    .filter(|f| f.required)
                    .map(|f| format!("{}: {}", f.rust_name, f.rust_type("")))
                    .collect();
                if required.len() <= crate::ir::MAX_POSITIONAL {
                    let _ = writeln!(out, "  fn new({})", required.join(", "));
                } else {
                    let _ = writeln!(out, "  fn builder() -> {}Builder  [requires {}]", def.name, required.join(", "));
                }
            }
            TypeKind::Enum(values) => {
                let closed = api.closed_enums.contains(&def.name);
                let _ = writeln!(out, "enum {}{}", def.name, if closed { " (closed)" } else { "" });
                for value in values {
                    let _ = writeln!(out, "  {} = {:?}", value.variant, value.wire);
                }
                if !closed {
                    let _ = writeln!(out, "  {CATCH_ALL}(UnknownValue)");
                }
            }
            // A new variant is an addition (the enum is `#[non_exhaustive]` and a
            // tag it did not know was `Unknown` before); a variant's tags changing
            // is a change of that line.
            TypeKind::Tagged(union) => {
                let _ = writeln!(out, "tagged {} by {:?}", def.name, union.property);
                for variant in &union.variants {
                    let tags: Vec<String> = variant.tags.iter().map(|tag| format!("{tag:?}")).collect();
                    let _ = writeln!(
                        out,
                        "  {}({}) = {}",
                        variant.name,
                        boxed(&variant.ty, variant.boxed),
                        tags.join(" | ")
                    );
                }
                let _ = writeln!(out, "  {CATCH_ALL}(serde_json::Map<String, serde_json::Value>)");
            }
            // Variants are tried in order, so each line says its place: a variant
            // put before others changes their lines (a value may now decode as
            // another variant), one put last only adds a line.
            TypeKind::Untagged(union) => {
                let _ = writeln!(out, "untagged {}", def.name);
                for (index, variant) in union.variants.iter().enumerate() {
                    let _ =
                        writeln!(out, "  {}({}) tried {}", variant.name, boxed(&variant.ty, variant.boxed), index + 1);
                }
            }
            TypeKind::Alias(alias) => {
                let _ = writeln!(out, "type {} = {}", def.name, alias.rust(""));
            }
        }
    }
    for (from, to) in crate::conversions::identical_pairs(api) {
        let _ = writeln!(out, "impl From<{from}> for {to}");
    }
    for form in api.operations().filter_map(|operation| operation.body.as_ref()?.form.as_ref()) {
        let _ = writeln!(out, "struct {} (multipart)", form.type_name);
        for field in &form.fields {
            let value = match &field.value {
                FormValue::File => "FilePart".to_owned(),
                FormValue::Files => "Vec<FilePart>".to_owned(),
                FormValue::Text(ty) => ty.rust(""),
            };
            let ty = if field.required || field.value == FormValue::Files { value } else { format!("Option<{value}>") };
            let _ = writeln!(out, "  {}: {ty} = {:?}{}", field.rust_name, field.wire_name, bounds(&field.bounds));
        }
        let required: Vec<String> = form
            .fields
            .iter()
            .filter(|field| field.required)
            .map(|field| {
                let value = match &field.value {
                    FormValue::File => "FilePart".to_owned(),
                    FormValue::Files => "Vec<FilePart>".to_owned(),
                    FormValue::Text(ty) => ty.rust(""),
                };
                format!("{}: {value}", field.rust_name)
            })
            .collect();
        let _ = writeln!(out, "  fn new({})", required.join(", "));
    }
    for operation in api.operations() {
        let Output::ByStatus(choice) = &operation.output else { continue };
        let _ = writeln!(out, "enum {} (by status)", choice.type_name);
        for variant in &choice.variants {
            let content = match &variant.content {
                Content::Empty => String::new(),
                Content::Json(ty) => format!("({})", ty.rust("")),
                Content::Bytes { .. } => "(Bytes)".to_owned(),
            };
            let _ = writeln!(out, "  {}{content} = {}", variant.name, variant.status);
        }
        if choice.other {
            let _ = writeln!(out, "  Other {{ status: u16, body: Bytes }}");
        }
    }
    let mut queries: Vec<_> = api.operations().filter_map(|op| op.query.as_ref()).collect();
    queries.sort_by(|a, b| a.type_name.cmp(&b.type_name));
    for query in queries {
        let _ = writeln!(out, "struct {} (query)", query.type_name);
        for param in &query.params {
            let _ = writeln!(
                out,
                "  {}: {} = {:?}{}",
                param.rust_name,
                param.rust_type(""),
                param.wire_name,
                bounds(&param.bounds)
            );
        }
    }
    out
}

/// `fn get() -> Get  [GET /path OperationId; errors 400 404]`
fn signature(operation: &Operation) -> String {
    let errors: Vec<&str> = operation.errors.iter().map(|response| response.status.as_str()).collect();
    format!(
        "{}fn {}() -> {}  [{} {} {}; errors {}]",
        if operation.deprecated { "#[deprecated] " } else { "" },
        operation.method_name,
        operation.call_type,
        operation.http_method.as_str(),
        operation.path,
        operation.operation_id,
        errors.join(" ")
    )
}

/// The call builder: one line per argument, then what it sends.
fn call_lines(operation: &Operation) -> Vec<String> {
    let mut lines = Vec::new();
    let query = operation.query.iter().flat_map(|query| query.params.iter());
    for param in operation.path_params.iter().chain(query) {
        let kind = if param.required { "required" } else { "optional" };
        lines.push(format!(
            ".{}({}) = {:?} {kind}{}",
            param.rust_name,
            param.ty.rust(""),
            param.wire_name,
            bounds(&param.bounds)
        ));
    }
    for param in &operation.headers {
        let kind = if param.required { "required" } else { "optional" };
        lines.push(format!(
            ".{}({}) = header {:?} {kind}{}",
            param.rust_name,
            param.ty.rust(""),
            param.wire_name,
            bounds(&param.bounds)
        ));
    }
    if let Some(query) = &operation.query {
        lines.push(format!(".params({})", query.type_name));
    }
    if let Some(body) = &operation.body {
        let kind = if body.optional { "optional" } else { "required" };
        lines.push(format!(".body({}) {kind}{}", body.ty.rust(""), bounds(&body.bounds)));
    }
    let output = match &operation.output {
        Output::Empty => "()".to_owned(),
        Output::Json(ty) => ty.rust(""),
        Output::NullableJson(ty) => format!("Option<{}>", ty.rust("")),
        Output::Bytes => "Bytes".to_owned(),
        Output::ByStatus(choice) => choice.type_name.clone(),
    };
    lines.push(format!(".send() -> {output}, .send_with_metadata() -> Response<{output}>"));
    if let Some(pagination) = &operation.pagination {
        let items = match &pagination.key {
            Some(_) => format!(", .items() -> Items<{}>", pagination.item),
            None => String::new(),
        };
        let total = match pagination.page {
            PageShape::Envelope { .. } => "",
            PageShape::Array => ", no total",
        };
        lines.push(format!(
            ".pages() -> Pages<{}>{items}  [page size {}{total}]",
            pagination.item, pagination.page_size
        ));
    }
    if let Some(max) = operation.body.as_ref().filter(|b| matches!(b.ty, TypeRef::Array(_))).and_then(|b| b.bounds.max)
    {
        lines.push(format!(".send_chunked() -> Vec<Chunk<{output}>> or Error  [chunks of {max}]"));
    }
    lines
}

fn boxed(ty: &TypeRef, boxed: bool) -> String {
    if boxed {
        format!("Box<{}>", ty.rust(""))
    } else {
        ty.rust("")
    }
}

fn bounds(bounds: &Bounds) -> String {
    match (bounds.min, bounds.max) {
        (None, None) => String::new(),
        (Some(min), Some(max)) => format!(" in {min}..={max}"),
        (Some(min), None) => format!(" in {min}.."),
        (None, Some(max)) => format!(" in ..={max}"),
    }
}

fn retry_policy(policy: &RetryPolicy) -> String {
    format!(
        "backoff {}ms x{} up to {}ms, {}ms in all, on {}{}",
        policy.initial_interval_ms,
        policy.exponent,
        policy.max_interval_ms,
        policy.max_elapsed_ms,
        policy.status_codes.join(" "),
        if policy.retry_connection_errors { " and connection errors" } else { "" }
    )
}
