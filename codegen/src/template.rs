//! Path templates (`/organizations/{organization_id}/invitations`): split into
//! literals and parameters, and refused when the literal text could send a
//! request somewhere else than the template says.

use crate::ir::{Param, PathPart};
use crate::Error;

/// Splits `path` into literals and parameters, and orders `params` as the
/// template uses them. Every `{name}` must be a path parameter and every path
/// parameter must be used.
///
/// Refused, because the generated client would not send what the spec means:
/// `?` and `#` (they end the path), `.` and `..` segments (URL normalisation
/// drops or climbs them: `/{id}/../../admin` reaches another endpoint), a
/// segment of dots around a parameter (a value `.` would make it `..`),
/// backslashes, whitespace and control characters, and `%` not starting an escape.
pub fn parse(path: &str, params: Vec<Param>, at: &str) -> Result<(Vec<PathPart>, Vec<Param>), Error> {
    check_literal_text(path, at)?;
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
    check_segments(path, at)?;
    Ok((parts, ordered))
}

fn check_literal_text(path: &str, at: &str) -> Result<(), Error> {
    if !path.starts_with('/') {
        return Err(Error::at(at, format!("path `{path}` must start with `/`")));
    }
    let mut outside = true;
    let bytes = path.as_bytes();
    for (index, c) in path.char_indices() {
        match c {
            '{' => outside = false,
            '}' => outside = true,
            _ if !outside => {}
            '?' | '#' => return Err(Error::at(at, format!("path `{path}` contains `{c}`, which would end the path"))),
            '\\' => return Err(Error::at(at, format!("path `{path}` contains a backslash"))),
            '%' if !(bytes.get(index + 1).is_some_and(u8::is_ascii_hexdigit)
                && bytes.get(index + 2).is_some_and(u8::is_ascii_hexdigit)) =>
            {
                return Err(Error::at(at, format!("path `{path}` has a `%` that does not start an escape")))
            }
            c if c.is_whitespace() || c.is_control() => {
                return Err(Error::at(at, format!("path `{path:?}` contains whitespace or a control character")))
            }
            _ => {}
        }
    }
    Ok(())
}

fn check_segments(path: &str, at: &str) -> Result<(), Error> {
    for segment in path.split('/').skip(1) {
        let literal: String = {
            let mut out = String::new();
            let mut inside = false;
            for c in segment.chars() {
                match c {
                    '{' => inside = true,
                    '}' => inside = false,
                    c if !inside => out.push(c),
                    _ => {}
                }
            }
            out
        };
        let has_param = segment.contains('{');
        let only_dots = literal.chars().all(|c| c == '.');
        if (!has_param && (segment == "." || segment == "..")) || (has_param && only_dots && !literal.is_empty()) {
            return Err(Error::at(
                at,
                format!("path `{path}` has the segment `{segment}`, which URL normalisation would remove or climb"),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Bounds, TypeRef};

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
        let (parts, params) = parse("/o/{b}/i/{a}/revoke", vec![param("a"), param("b")], "#").unwrap();
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
        assert!(parse("/o/{x}", vec![param("a")], "#").unwrap_err().message.contains("`{x}`"));
        assert!(parse("/o", vec![param("a")], "#").unwrap_err().message.contains("`a`"));
        assert!(parse("/o/{a", vec![param("a")], "#").unwrap_err().message.contains("unclosed"));
    }

    #[test]
    fn templates_that_could_reach_another_endpoint_are_refused() {
        for path in [
            "/{id}/../../admin",
            "/a/./b",
            "/a/..",
            "/a?admin=1",
            "/a#x",
            "/a\\b",
            "/a b",
            "/a/%zz",
            "a/b",
            "/a/.{id}",
            "/a/{id}..",
        ] {
            let params = if path.contains("{id}") { vec![param("id")] } else { Vec::new() };
            let error = parse(path, params, "#/paths/x").expect_err(path);
            assert_eq!(error.pointer.as_deref(), Some("#/paths/x"), "{path}");
        }
        for path in ["/a/...", "/a/v1.{id}", "/a/%2F", "/a:b@c!$&'()*+,;=", "/{id}.json"] {
            let params = if path.contains("{id}") { vec![param("id")] } else { Vec::new() };
            assert!(parse(path, params, "#").is_ok(), "{path}");
        }
    }
}
