//! Path parameters: each value becomes exactly one path segment.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

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
}
