//! Path parameters: each value becomes exactly one path segment.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use crate::{limits, Error};

/// Everything but RFC 3986's unreserved characters is encoded, so `/ ? # %`,
/// spaces and `\` (a separator to URL parsers for http) cannot end the segment.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// Percent-encodes `value` as one segment. Empty, `.` and `..` are refused before
/// any I/O: URL normalisation would drop or climb them and send the request to a
/// different endpoint (`/organizations/../invitations/x` → `/invitations/x`).
/// So is a value over `limits::PATH_SEGMENT` bytes: no Clerk id comes near it,
/// and the message names the length, never the value.
pub fn segment(operation: &'static str, name: &'static str, value: &str) -> Result<String, Error> {
    let reason = match value {
        "" => "must not be empty".to_owned(),
        "." | ".." => "must not be `.` or `..`, which would change the request path".to_owned(),
        _ if value.len() > limits::PATH_SEGMENT => {
            format!("is {} bytes long, over the limit of {} bytes", value.len(), limits::PATH_SEGMENT)
        }
        _ => return Ok(utf8_percent_encode(value, SEGMENT).to_string()),
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
    fn a_value_longer_than_the_segment_limit_is_refused_with_a_short_message() {
        assert!(segment("Op", "id", &"x".repeat(1024)).is_ok());
        let error = segment("Op", "id", &"x".repeat(1 << 20)).unwrap_err();
        assert!(matches!(error, Error::InvalidArgument { argument: "id", .. }), "{error:.200}");
        assert!(error.to_string().len() < 200, "{}", error.to_string().len());
    }
}
