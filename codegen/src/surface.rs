//! The client's public API as text, one line per item: the short, reviewable
//! diff a spec change produces for users (kept as an insta snapshot, and compared
//! by `cargo xtask drift`). Prose is left out on purpose.

use std::fmt::Write;

use crate::ir::{Api, Bounds, Operation, RetryPolicy, RetrySafety, TypeKind, TypeRef};

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
    for group in &api.groups {
        let _ = writeln!(out, "group Client::{}() -> {}", group.module, group.type_name);
        for operation in &group.operations {
            let _ = writeln!(out, "  {}", signature(operation));
            let safety = match operation.retry_safety {
                RetrySafety::Idempotent => "idempotent",
                RetrySafety::UnsentOnly => "unsent-only",
            };
            let own =
                operation.retries.as_ref().map(|p| format!(", own policy {}", retry_policy(p))).unwrap_or_default();
            let _ = writeln!(out, "    retries: {safety}{own}");
            if let Some(max) =
                operation.body.as_ref().filter(|b| matches!(b.ty, TypeRef::Array(_))).and_then(|b| b.bounds.max)
            {
                let _ = writeln!(
                    out,
                    "    fn {}_chunked(.., body: &[..]) -> Vec<Chunk<..>>  [chunks of {max}]",
                    operation.method_name
                );
            }
            if let Some(pagination) = &operation.pagination {
                let _ = writeln!(
                    out,
                    "    fn {0}_pages(..) -> Pages<{1}>{2}  [page size {3}]",
                    operation.method_name,
                    pagination.item,
                    match &pagination.key {
                        Some(_) => format!(", fn {}_items(..) -> Items<{}>", operation.method_name, pagination.item),
                        None => String::new(),
                    },
                    pagination.page_size
                );
            }
        }
    }
    for def in api.types.values() {
        match &def.kind {
            TypeKind::Struct(shape) => {
                let _ = writeln!(out, "struct {}", def.name);
                for field in &shape.fields {
                    let _ = writeln!(
                        out,
                        "  {}: {} = {:?}{}{}",
                        field.rust_name,
                        field.rust_type(""),
                        field.wire_name,
                        bounds(&field.bounds),
                        if field.deprecated { " deprecated" } else { "" }
                    );
                }
                if shape.constructor {
                    let required: Vec<&str> =
                        shape.fields.iter().filter(|f| f.required).map(|f| f.rust_name.as_str()).collect();
                    let _ = writeln!(out, "  fn new({})", required.join(", "));
                }
            }
            TypeKind::Enum(values) => {
                let _ = writeln!(out, "enum {}", def.name);
                for value in values {
                    let _ = writeln!(out, "  {} = {:?}", value.variant, value.wire);
                }
                let _ = writeln!(out, "  Unknown(String)");
            }
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

fn signature(operation: &Operation) -> String {
    let mut args = Vec::new();
    for param in &operation.path_params {
        let ty = match param.ty {
            TypeRef::String => "&str".to_owned(),
            _ => param.ty.rust(""),
        };
        args.push(format!("{}: {ty}", param.rust_name));
    }
    if let Some(query) = &operation.query {
        args.push(format!("params: &{}", query.type_name));
    }
    if let Some(body) = &operation.body {
        let ty = match &body.ty {
            TypeRef::Array(item) => format!("[{}]", item.rust("")),
            other => other.rust(""),
        };
        let ty = if body.optional { format!("Option<&{ty}>") } else { format!("&{ty}") };
        args.push(format!("body: {ty}{}", bounds(&body.bounds)));
    }
    let output = match operation.success.as_ref().and_then(|response| response.ty.as_ref()) {
        Some(ty) => ty.rust(""),
        None => "()".to_owned(),
    };
    let errors: Vec<&str> = operation.errors.iter().map(|response| response.status.as_str()).collect();
    format!(
        "{}fn {}({}) -> {output}  [{} {} {}; errors {}]",
        if operation.deprecated { "#[deprecated] " } else { "" },
        operation.method_name,
        args.join(", "),
        operation.http_method.as_str(),
        operation.path,
        operation.operation_id,
        errors.join(" ")
    )
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
