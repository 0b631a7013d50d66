//! Whether Prism validates an operation's request body at all.
//!
//! Prism compiles each schema with ajv and, when ajv refuses it, lets every
//! request through without a word (stoplightio/prism#2442, #2643: the
//! compile error is caught and read as "no errors"). A valid OpenAPI 3.0
//! schema can do that: `{nullable: true}` without `type` (Clerk's `claims`) is
//! one ajv refuses. For such an operation "no violation" would prove nothing,
//! so before the calls each operation with a JSON body gets one request whose
//! body has the wrong JSON type: Prism must refuse it. The probe is plain
//! HTTP/1.1 over a socket, independent of the client under test.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use codegen::ir::Operation;
use serde_json::Value;

/// How long one probe may take.
const PROBE_TIMEOUT: Duration = Duration::from_secs(30);

/// What Prism did with a body of the wrong type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Refused with a violation: Prism validates the body.
    Validated,
    /// Let through: Prism does not check this body.
    NotValidated { status: u16 },
    /// Something else (no answer, an error without violations).
    Unclear(String),
}

/// One request with a body of the wrong JSON type, ready to send.
#[derive(Debug, Clone)]
pub struct Probe {
    pub operation_id: String,
    method: &'static str,
    target: String,
    body: &'static str,
}

/// A probe for every operation of `operations` with a JSON body, from its
/// request in `requests` (`operationId` → request).
pub fn probes<'a>(operations: impl IntoIterator<Item = &'a Operation>, requests: &[(String, Value)]) -> Vec<Probe> {
    let mut probes = Vec::new();
    for operation in operations {
        let json_body = operation.body.as_ref().is_some_and(|body| body.form.is_none());
        let Some((_, request)) = requests.iter().find(|(id, _)| *id == operation.operation_id) else { continue };
        let Some(body) = request.get("body").filter(|_| json_body) else { continue };
        // The wrong JSON type for the body: any schema with a type refuses it.
        let body = if body.is_array() { "{}" } else { "[]" };
        probes.push(Probe {
            operation_id: operation.operation_id.clone(),
            method: operation.http_method.as_str(),
            target: target(operation, request),
            body,
        });
    }
    probes
}

/// Sends each probe to Prism at `address`.
pub fn run(address: SocketAddr, probes: &[Probe]) -> Vec<(String, Verdict)> {
    probes
        .iter()
        .map(|probe| {
            let verdict = match send(address, probe.method, &probe.target, probe.body) {
                Ok((status, true)) if (400..500).contains(&status) => Verdict::Validated,
                Ok((status, _)) if (200..300).contains(&status) => Verdict::NotValidated { status },
                Ok((status, _)) => Verdict::Unclear(format!("HTTP {status} without violations named")),
                Err(error) => Verdict::Unclear(error),
            };
            (probe.operation_id.clone(), verdict)
        })
        .collect()
}

/// The request target: the path with the request's path values, and its
/// required query values.
fn target(operation: &Operation, request: &Value) -> String {
    let mut path = operation.path.clone();
    for (name, value) in request["path"].as_object().into_iter().flatten() {
        path = path.replace(&format!("{{{name}}}"), &encode(&text(value)));
    }
    let mut pairs = Vec::new();
    for (name, value) in request["query"].as_object().into_iter().flatten() {
        let values = match value {
            Value::Array(items) => items.iter().map(text).collect(),
            other => vec![text(other)],
        };
        pairs.extend(values.into_iter().map(|value| format!("{}={}", encode(name), encode(&value))));
    }
    if pairs.is_empty() {
        path
    } else {
        format!("{path}?{}", pairs.join("&"))
    }
}

fn text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// Percent-encodes all but RFC 3986's unreserved characters.
fn encode(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The problem type of the answer Prism makes up for an invalid request when
/// the operation documents no error response to answer with (then there is
/// no `sl-violations` header; the body lists the violations).
pub const PRISM_INVALID_REQUEST: &str = "https://stoplight.io/prism/errors#UNPROCESSABLE_ENTITY";

/// Sends one request; returns the status and whether Prism named violations
/// (`sl-violations`, or its own invalid-request problem).
fn send(address: SocketAddr, method: &str, target: &str, body: &str) -> Result<(u16, bool), String> {
    let mut stream = TcpStream::connect_timeout(&address, PROBE_TIMEOUT).map_err(|error| error.to_string())?;
    stream.set_read_timeout(Some(PROBE_TIMEOUT)).map_err(|error| error.to_string())?;
    let request = format!(
        "{method} {target} HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer sk_test_probe\r\n\
         Accept: application/json\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).map_err(|error| error.to_string())?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).map_err(|error| error.to_string())?;
    let answer = String::from_utf8_lossy(&answer);
    let head = answer.split("\r\n\r\n").next().unwrap_or_default();
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|line| line.split_whitespace().nth(1))
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| format!("not an HTTP answer: {:?}", head.chars().take(80).collect::<String>()))?;
    let violations = lines.any(|line| line.to_ascii_lowercase().starts_with("sl-violations:"))
        || answer.contains(PRISM_INVALID_REQUEST);
    Ok((status, violations))
}

#[cfg(test)]
mod tests {
    use std::net::TcpListener;

    use serde_json::json;

    use super::*;

    /// A server answering each connection with the next of `answers`.
    fn answering(answers: &'static [&'static str]) -> SocketAddr {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap();
        std::thread::spawn(move || {
            for answer in answers {
                let Ok((mut stream, _)) = listener.accept() else { return };
                let mut request = [0u8; 4096];
                let _ = stream.read(&mut request);
                let _ = stream.write_all(answer.as_bytes());
            }
        });
        address
    }

    #[test]
    fn verdicts_follow_what_prism_answers() {
        let address = answering(&[
            "HTTP/1.1 422 Unprocessable Entity\r\nsl-violations: [{}]\r\n\r\n",
            "HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}",
            "HTTP/1.1 422 Unprocessable Entity\r\n\r\n{\"type\":\"https://stoplight.io/prism/errors#UNPROCESSABLE_ENTITY\"}",
            "HTTP/1.1 500 Internal Server Error\r\n\r\n",
        ]);
        let probe =
            |id: &str| Probe { operation_id: id.to_owned(), method: "POST", target: "/x".to_owned(), body: "[]" };
        let verdicts = run(address, &[probe("a"), probe("b"), probe("c"), probe("d")]);
        let verdicts: Vec<Verdict> = verdicts.into_iter().map(|(_, verdict)| verdict).collect();
        assert_eq!(
            verdicts,
            [
                Verdict::Validated,
                Verdict::NotValidated { status: 200 },
                Verdict::Validated,
                Verdict::Unclear("HTTP 500 without violations named".to_owned()),
            ]
        );
    }

    #[test]
    fn targets_carry_encoded_path_and_query_values() {
        let generated = codegen::generate_from(
            &serde_json::from_value(json!({
                "openapi": "3.0.3", "info": {"title": "t", "version": "1"},
                "paths": {"/orgs/{org_id}/things": {"post": {
                    "operationId": "AddThing", "tags": ["T"],
                    "parameters": [
                        {"in": "path", "name": "org_id", "required": true, "schema": {"type": "string"}},
                        {"in": "query", "name": "ids", "required": true, "schema": {"type": "array", "items": {"type": "integer"}}}
                    ],
                    "responses": {"204": {"description": "ok"}}
                }}}
            }))
            .unwrap(),
            &codegen::Options::new(codegen::Selection { tag: None, operation_ids: vec![] }),
        )
        .unwrap();
        let operation = generated.api.operations().next().unwrap();
        let request = json!({"path": {"org_id": "a b/c"}, "query": {"ids": [1, 2]}});
        assert_eq!(target(operation, &request), "/orgs/a%20b%2Fc/things?ids=1&ids=2");
    }
}
