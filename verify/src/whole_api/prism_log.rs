//! What Prism's log says of each request it answered, for the one question the
//! client cannot answer itself: when an answer does not decode, did Prism
//! already say that its own answer breaks the document right there?
//!
//! Prism mocks some schemas wrongly (its static mode answers `{}` for an
//! object that has `anyOf` beside its properties, as Clerk's connections do),
//! and says so in `sl-violations`; the client then rightly refuses the answer,
//! but a decode error does not carry the headers. Prism logs every request as
//! a block ("Request received", …, "Violation: response.body.PATH …"), and
//! the driver sends one request at a time, so the n-th block is the n-th
//! request. The blocks are checked against the calls' routes before anything
//! is read from them.

/// One request in Prism's log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logged {
    /// `get`, `post`, … as Prism logs it.
    pub method: String,
    /// The path as requested, e.g. `/saml_connections/example`.
    pub target: String,
    /// Where Prism's own answer breaks the document (the body path, as
    /// segments) and what it says.
    pub answer_violations: Vec<(Vec<String>, String)>,
}

/// The requests of a Prism log, in order.
pub fn read(text: &str) -> Vec<Logged> {
    let mut requests: Vec<Logged> = Vec::new();
    for line in text.lines() {
        if let Some(rest) = line.split_once("[HTTP SERVER] ").map(|(_, rest)| rest) {
            if line.trim_end().ends_with("Request received") {
                let mut words = rest.split_whitespace();
                let (Some(method), Some(target)) = (words.next(), words.next()) else { continue };
                requests.push(Logged {
                    method: method.to_owned(),
                    target: target.to_owned(),
                    answer_violations: Vec::new(),
                });
            }
            continue;
        }
        let Some((_, violation)) = line.split_once("Violation: response.body") else { continue };
        let Some(current) = requests.last_mut() else { continue };
        // `response.body.linked_to.0.type Response body property …`
        let (location, message) = violation.split_once(' ').unwrap_or((violation, ""));
        let segments = location.split('.').filter(|segment| !segment.is_empty()).map(str::to_owned).collect();
        current.answer_violations.push((segments, message.trim().to_owned()));
    }
    requests
}

/// Whether Prism's message about a place is that its value has the wrong
/// type (ajv's `must be object`, `must be string,null`).
pub fn is_type_violation(message: &str) -> bool {
    const TYPES: [&str; 7] = ["object", "array", "string", "integer", "number", "boolean", "null"];
    message.rsplit_once("must be ").is_some_and(|(_, kinds)| kinds.split(',').all(|kind| TYPES.contains(&kind.trim())))
}

/// A decode error's path (`data[0].object`, `.` for the root) as segments.
pub fn segments(path: &str) -> Vec<String> {
    path.replace('[', ".")
        .replace(']', "")
        .split('.')
        .filter(|segment| !segment.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Whether `logged` is a request of `method` to the path `template`
/// (`/users/{user_id}`): the same method, and the same segments but where the
/// template has a parameter.
pub fn is_route(logged: &Logged, method: &str, template: &str) -> bool {
    let path = logged.target.split('?').next().unwrap_or_default();
    let sent: Vec<&str> = path.split('/').collect();
    let route: Vec<&str> = template.split('/').collect();
    logged.method.eq_ignore_ascii_case(method)
        && sent.len() == route.len()
        && sent.iter().zip(&route).all(|(sent, route)| route.starts_with('{') || sent == route)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_violations_are_told_from_others() {
        assert!(is_type_violation("Response body must be object"));
        assert!(is_type_violation("Response body property a.b must be string,null"));
        assert!(!is_type_violation("Response body must have required property 'id'"));
        assert!(!is_type_violation("Response body property a must be equal to one of the allowed values"));
    }

    const LOG: &str = "\
[9:52:18 PM] › [CLI] ▶  start     Prism is listening on http://127.0.0.1:40233
[9:52:18 PM] › [HTTP SERVER] delete /saml_connections/example ℹ  info      Request received
[9:52:18 PM] ›     [NEGOTIATOR] ℹ  info      > Responding with \"200\"
[9:52:18 PM] › [HTTP SERVER] get /saml_connections/example ℹ  info      Request received
[9:52:18 PM] ›     [NEGOTIATOR] ℹ  info      > Responding with \"200\"
[9:52:18 PM] ›     [VALIDATOR] ✖  error     Violation: response.body Response body must have required property 'object'
[9:52:18 PM] ›     [VALIDATOR] ✖  error     Violation: response.body.linked_to.0.type Response body property linked_to.0.type must match pattern \"^oauth_[a-z]+$\"
[9:52:18 PM] › [HTTP SERVER] post /users?x=1 ℹ  info      Request received
[9:52:18 PM] ›     [VALIDATOR] ✖  error     Violation: request.body Request body must be object
";

    #[test]
    fn requests_and_the_violations_of_their_answers_are_read_in_order() {
        let logged = read(LOG);
        assert_eq!(logged.len(), 3);
        assert_eq!((logged[0].method.as_str(), logged[0].target.as_str()), ("delete", "/saml_connections/example"));
        assert_eq!(logged[0].answer_violations, []);
        assert_eq!(
            logged[1].answer_violations,
            [
                (vec![], "Response body must have required property 'object'".to_owned()),
                (
                    vec!["linked_to".to_owned(), "0".to_owned(), "type".to_owned()],
                    "Response body property linked_to.0.type must match pattern \"^oauth_[a-z]+$\"".to_owned()
                ),
            ]
        );
        // A violation of the request is not one of the answer.
        assert_eq!(logged[2].answer_violations, []);
        assert!(is_route(&logged[1], "GET", "/saml_connections/{saml_connection_id}"));
        assert!(!is_route(&logged[1], "DELETE", "/saml_connections/{saml_connection_id}"));
        assert!(is_route(&logged[2], "POST", "/users"));
        assert!(!is_route(&logged[2], "POST", "/users/{user_id}"));
    }

    #[test]
    fn decode_paths_become_segments() {
        assert_eq!(segments("."), Vec::<String>::new());
        assert_eq!(segments("[0].saml_accounts[0].saml_connection"), ["0", "saml_accounts", "0", "saml_connection"]);
        assert_eq!(segments("data[12].object"), ["data", "12", "object"]);
    }
}
