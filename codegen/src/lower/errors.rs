//! The API's error format, read off the documented error responses: which
//! model they carry and where in it a code, a short message and a trace id
//! are, so that the runtime's generic accessors (`ApiError::code`, `message`,
//! `trace_id`) work for any API.
//!
//! - The model most error responses carry as `application/json` is the error
//!   schema. Its code and message are string properties named like them
//!   (`code`; `message`), at its top or in the items of its first list (or
//!   object) property that has them: Clerk's `errors[*].code`. Its trace id is
//!   a top-level string property named like one (`trace_id`, `request_id`,
//!   with any prefix), also read from the response header of the same name
//!   (`clerk_trace_id` → `Clerk-Trace-Id`) when the body has none.
//! - Without one, `application/problem+json` (RFC 9457) when an error
//!   response documents it.
//! - Otherwise nothing: an error is its status.

use std::collections::BTreeMap;

use crate::ir::{Content, ErrorFormat, ErrorStyle, Field, Group, TypeDef, TypeKind, TypeRef};

/// Property names taken for the code, the message and the trace id.
const CODE: &[&str] = &["code", "error_code", "errorcode"];
const MESSAGE: &[&str] = &["message", "error_message", "errormessage", "msg"];
const TRACE_SUFFIXES: &[&str] = &["trace_id", "traceid", "request_id", "requestid"];

const PROBLEM_JSON: &str = "application/problem+json";

pub(super) fn format(groups: &[Group], types: &BTreeMap<String, TypeDef>) -> ErrorFormat {
    // How many error responses carry each model, and whether any is problem details.
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    let mut problem = false;
    for response in groups.iter().flat_map(|group| &group.operations).flat_map(|operation| &operation.errors) {
        match &response.content {
            Content::Json(TypeRef::Named(name)) => *counts.entry(name).or_default() += 1,
            Content::Bytes { media_types } => {
                problem |= media_types.iter().any(|media| media.eq_ignore_ascii_case(PROBLEM_JSON))
            }
            _ => {}
        }
    }
    // The most used; of equals, the first by name, so the choice is stable.
    let chosen = counts.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0))).map(|(name, _)| *name);
    if let Some(name) = chosen {
        if let Some(TypeDef { kind: TypeKind::Struct(shape), .. }) = types.get(name) {
            return schema_format(name, &shape.fields, types);
        }
    }
    if problem {
        return ErrorFormat {
            style: ErrorStyle::Problem,
            code: Some("/type".to_owned()),
            message: Some("/title".to_owned()),
            trace_id: None,
            trace_header: None,
        };
    }
    ErrorFormat::default()
}

/// Where the error model `name` (a struct of `fields`) keeps what the
/// accessors return.
fn schema_format(name: &str, fields: &[Field], types: &BTreeMap<String, TypeDef>) -> ErrorFormat {
    let mut format = ErrorFormat { style: ErrorStyle::Schema(name.to_owned()), ..ErrorFormat::default() };
    format.code = string_field(fields, CODE).map(|field| pointer(&[field]));
    format.message = string_field(fields, MESSAGE).map(|field| pointer(&[field]));
    if format.code.is_none() && format.message.is_none() {
        // The first list (or object) property whose items have them.
        for field in fields {
            let (item, list) = match &field.ty {
                TypeRef::Array(item) => (&**item, true),
                other => (other, false),
            };
            let TypeRef::Named(item) = item else { continue };
            let Some(TypeDef { kind: TypeKind::Struct(inner), .. }) = types.get(item) else { continue };
            let code = string_field(&inner.fields, CODE);
            let message = string_field(&inner.fields, MESSAGE);
            if code.is_none() && message.is_none() {
                continue;
            }
            let (every, first) = if list { ("*", "0") } else { ("", "") };
            let at = |name: &str, index: &str| match index {
                "" => pointer(&[&field.wire_name, name]),
                index => pointer(&[&field.wire_name, index, name]),
            };
            format.code = code.map(|code| at(code, every));
            format.message = message.map(|message| at(message, first));
            break;
        }
    }
    let trace = fields.iter().find(|field| {
        let lower = field.wire_name.to_ascii_lowercase();
        is_string(&field.ty) && TRACE_SUFFIXES.iter().any(|suffix| lower.ends_with(suffix)) && usable(&field.wire_name)
    });
    if let Some(trace) = trace {
        format.trace_id = Some(pointer(&[&trace.wire_name]));
        let header = trace.wire_name.to_ascii_lowercase().replace('_', "-");
        format.trace_header = crate::lower::parameters::is_token(&header).then_some(header);
    }
    format
}

/// The wire name of the first string field named one of `names` (compared
/// without regard to case).
fn string_field<'f>(fields: &'f [Field], names: &[&str]) -> Option<&'f str> {
    names.iter().find_map(|wanted| {
        fields
            .iter()
            .find(|field| field.wire_name.eq_ignore_ascii_case(wanted) && is_string(&field.ty))
            .map(|field| field.wire_name.as_str())
    })
}

fn is_string(ty: &TypeRef) -> bool {
    matches!(ty, TypeRef::String)
}

/// A property name a pointer can hold as one segment: the runtime reads `*`
/// as every element.
fn usable(name: &str) -> bool {
    name != "*" && !name.is_empty()
}

/// A JSON pointer (RFC 6901) of `segments`.
fn pointer(segments: &[&str]) -> String {
    segments.iter().map(|segment| format!("/{}", segment.replace('~', "~0").replace('/', "~1"))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_escape_their_segments() {
        assert_eq!(pointer(&["errors", "*", "code"]), "/errors/*/code");
        assert_eq!(pointer(&["a/b", "c~d"]), "/a~1b/c~0d");
    }
}
