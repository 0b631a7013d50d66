//! Path parameters: each value becomes exactly one path segment.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use crate::operation::Operation;
use crate::{limits, Error};

/// Everything but RFC 3986's unreserved characters is encoded, so `/ ? # %`,
/// spaces and `\` (a separator to URL parsers for http) cannot end the segment.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// Percent-encodes `value` as one segment. Empty, `.` and `..` are refused before
/// any I/O: URL normalisation would drop or climb them and send the request to a
/// different endpoint (`/organizations/../invitations/x` → `/invitations/x`).
/// So is a value over `limits::PATH_SEGMENT` bytes: no resource id comes near it,
/// and the message names the length, never the value.
///
/// Generated code of runtime 0.1.1 calls it; newer code calls [`push_segment`].
pub fn segment(operation: &'static str, name: &'static str, value: &str) -> Result<String, Error> {
    let mut encoded = String::with_capacity(value.len());
    push_segment(&mut encoded, operation, name, value)?;
    Ok(encoded)
}

/// Appends `value` to `path` as one percent-encoded segment, checked as
/// [`segment`] checks it: the generated code writes a whole path into one
/// pre-sized `String`, with no `String` per segment.
pub fn push_segment(path: &mut String, operation: &'static str, name: &'static str, value: &str) -> Result<(), Error> {
    let reason = match value {
        "" => "must not be empty".to_owned(),
        "." | ".." => "must not be `.` or `..`, which would change the request path".to_owned(),
        _ if value.len() > limits::PATH_SEGMENT => {
            format!("is {} bytes long, over the limit of {} bytes", value.len(), limits::PATH_SEGMENT)
        }
        _ => {
            // The encoder yields runs of unchanged text and `%XX` escapes.
            path.extend(utf8_percent_encode(value, SEGMENT));
            return Ok(());
        }
    };
    Err(Error::InvalidArgument { operation, argument: name, reason })
}

/// The request path: `operation.path` with each `{name}` placeholder replaced,
/// in order, by the next of `values`, checked and percent-encoded as
/// [`push_segment`] does. A placeholder whose value is `None` (or missing) is
/// `InvalidArgument` "is required but was not set", named as the template
/// names it, which is the parameter's wire name. Written once here, so each
/// generated call lists its path arguments instead of building the path.
pub fn fill(operation: &Operation, values: &[Option<&str>]) -> Result<String, Error> {
    let template = operation.path;
    let mut path =
        String::with_capacity(template.len() + values.iter().flatten().map(|value| value.len()).sum::<usize>());
    let mut values = values.iter();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else { break };
        path.push_str(&rest[..open]);
        let name = &rest[open + 1..open + close];
        let Some(value) = values.next().copied().flatten() else {
            return Err(Error::InvalidArgument {
                operation: operation.id,
                argument: name,
                reason: "is required but was not set".to_owned(),
            });
        };
        push_segment(&mut path, operation.id, name, value)?;
        rest = &rest[open + close + 1..];
    }
    path.push_str(rest);
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separators_and_escapes_are_encoded() {
        let encoded = segment("Op", "id", "a/b?c#d%e f\\g").unwrap();
        assert_eq!(encoded, "a%2Fb%3Fc%23d%25e%20f%5Cg");
    }

    #[test]
    fn ordinary_ids_are_unchanged() {
        assert_eq!(segment("Op", "id", "org_2abc-DEF.1~x").unwrap(), "org_2abc-DEF.1~x");
    }

    #[test]
    fn dot_segments_and_empty_ids_are_refused() {
        for value in ["", ".", ".."] {
            let error = segment("Op", "organization_id", value).unwrap_err();
            assert!(matches!(error, Error::InvalidArgument { argument: "organization_id", .. }), "{error}");
        }
        assert_eq!(segment("Op", "id", "...").unwrap(), "...");
    }

    #[test]
    fn push_segment_appends_the_encoded_value_and_leaves_the_path_alone_on_refusal() {
        let mut path = String::from("/organizations/");
        push_segment(&mut path, "Op", "id", "org a/b").unwrap();
        path.push_str("/invitations/");
        push_segment(&mut path, "Op", "id", "inv_1").unwrap();
        assert_eq!(path, "/organizations/org%20a%2Fb/invitations/inv_1");
        for value in ["", ".", "..", &"x".repeat(1 << 20)] {
            let error = push_segment(&mut path, "Op", "invitation_id", value).unwrap_err();
            assert!(matches!(error, Error::InvalidArgument { argument: "invitation_id", .. }), "{error:.200}");
        }
        assert_eq!(path, "/organizations/org%20a%2Fb/invitations/inv_1");
    }

    #[test]
    fn a_value_longer_than_the_segment_limit_is_refused_with_a_short_message() {
        assert!(segment("Op", "id", &"x".repeat(1024)).is_ok());
        let error = segment("Op", "id", &"x".repeat(1 << 20)).unwrap_err();
        assert!(matches!(error, Error::InvalidArgument { argument: "id", .. }), "{error:.200}");
        assert!(error.to_string().len() < 200, "{}", error.to_string().len());
    }

    fn operation(path: &'static str) -> Operation {
        Operation {
            id: "Op",
            method: crate::operation::HttpMethod::Get,
            path,
            safety: crate::RetrySafety::Idempotent,
            backoff: None,
            security: &[],
            api: &API,
        }
    }

    static API: crate::Api = crate::Api {
        default_base_url: None,
        user_agent: "t",
        headers: &[],
        schemes: &[],
        secret_var: None,
        errors: crate::ErrorFormat::STATUS,
    };

    #[test]
    fn fill_replaces_each_placeholder_in_order_and_encodes_it() {
        let op = operation("/organizations/{organization_id}/invitations/{invitation_id}/revoke");
        let path = fill(&op, &[Some("org a/b"), Some("inv_1")]).unwrap();
        assert_eq!(path, "/organizations/org%20a%2Fb/invitations/inv_1/revoke");
        assert_eq!(fill(&operation("/organization_invitations"), &[]).unwrap(), "/organization_invitations");
        assert_eq!(fill(&operation("/a/{x}"), &[Some("1")]).unwrap(), "/a/1");
    }

    #[test]
    fn fill_names_the_placeholder_left_unset_or_refused() {
        let op = operation("/organizations/{organization_id}/invitations/{invitation_id}");
        for values in [&[Some("org_1"), None][..], &[Some("org_1")][..]] {
            let error = fill(&op, values).unwrap_err();
            assert!(
                matches!(&error, Error::InvalidArgument { operation: "Op", argument: "invitation_id", reason } if reason == "is required but was not set"),
                "{error}"
            );
        }
        let error = fill(&op, &[Some(".."), Some("inv_1")]).unwrap_err();
        assert!(matches!(error, Error::InvalidArgument { argument: "organization_id", .. }), "{error}");
    }
}
