//! The mock's loopback HTTP/1.1 server (hyper's, already in the tree through
//! reqwest): each request is routed to its operation by the document,
//! checked against it, matched against the expectations, recorded and
//! answered.

use std::convert::Infallible;
use std::sync::Arc;

use bytes::Bytes;
use http::{HeaderValue, Request, Response, StatusCode};
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use percent_encoding::percent_decode_str;
use serde_json::Value;

use super::check::{self, SentBody};
use super::mock::{Answer, Matcher, RecordedCall, State};

/// The largest request body the mock reads: the client's own cap.
const MAX_BODY: usize = crate::limits::REQUEST_BODY;

/// The status of the mock's own refusals (a request that breaks the
/// document or matches nothing): one no API documents for a call and no
/// client retries, so the code under test cannot take it for an answer.
const REFUSED: u16 = 421;

pub(crate) async fn serve(listener: tokio::net::TcpListener, state: Arc<State>) {
    loop {
        let Ok((stream, _)) = listener.accept().await else { continue };
        let state = Arc::clone(&state);
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |request| {
                let state = Arc::clone(&state);
                async move { Ok::<_, Infallible>(handle(&state, request).await) }
            });
            let io = hyper_util::rt::TokioIo::new(stream);
            // A connection the client drops mid-request ends here; nothing to report.
            let _ = hyper::server::conn::http1::Builder::new().serve_connection(io, service).await;
        });
    }
}

async fn handle(state: &State, request: Request<Incoming>) -> Response<Full<Bytes>> {
    let (parts, body) = request.into_parts();
    // A body announced past the cap is refused before any of it is read.
    let announced = parts.headers.get(http::header::CONTENT_LENGTH).and_then(|value| value.to_str().ok()?.parse().ok());
    if let Some(length) = announced.filter(|length: &u64| *length > MAX_BODY as u64) {
        return refuse(state, &format!("a request body of {length} bytes, over the cap of {MAX_BODY}"));
    }
    let body = match Limited::new(body, MAX_BODY).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(error) => return refuse(state, &format!("the request body could not be read: {error}")),
    };
    let method = parts.method.as_str().to_owned();
    let path = parts.uri.path().to_owned();
    let segments: Vec<String> = path.split('/').skip(1).map(decode).collect();
    let query: Vec<(String, String)> =
        url::form_urlencoded::parse(parts.uri.query().unwrap_or_default().as_bytes()).into_owned().collect();
    let json = is_json(&parts.headers);
    let parsed = state.document.get();
    let mut call = RecordedCall {
        operation: String::new(),
        method: method.clone(),
        path: path.clone(),
        path_params: Vec::new(),
        query: query.clone(),
        headers: parts.headers.clone(),
        body: body.clone(),
        matched: false,
        served_by: None,
    };

    let Some((route, path_params)) = parsed.route(&method, &segments) else {
        let message = format!("no operation of the API is at {method} {path}");
        state.lock().calls.push(call);
        return refuse(state, &message);
    };
    call.operation = route.id.clone();
    call.path_params = path_params.clone();
    let Some((_, operation)) = parsed.operation(&route.id) else {
        state.lock().calls.push(call);
        return refuse(state, &format!("{}: not in the document", route.id));
    };
    let sent = match (body.is_empty(), json) {
        (true, _) => SentBody::None,
        (false, true) => {
            SentBody::Json(serde_json::from_slice::<Value>(&body).map_err(|error| format!("not JSON: {error}")))
        }
        (false, false) => SentBody::Other,
    };
    let body_json = match &sent {
        SentBody::Json(Ok(value)) => Some(value.clone()),
        _ => None,
    };
    let problems = check::request_problems(parsed, operation, &path_params, &query, &sent);
    if !problems.is_empty() {
        let message = format!("{} got a request that breaks the document: {}", route.id, problems.join("; "));
        state.lock().calls.push(call);
        return refuse(state, &message);
    }

    let answer = {
        let mut inner = state.lock();
        let found = inner.expectations.iter().position(|expected| {
            expected.operation == route.id
                && expected.times.is_none_or(|times| expected.served < times)
                && matches(&expected.matcher, &segments, &query, &parts.headers, body_json.as_ref())
        });
        call.matched = found.is_some();
        call.served_by = found;
        inner.calls.push(call);
        found.map(|index| {
            inner.expectations[index].served += 1;
            inner.expectations[index].answer.clone()
        })
    };
    match answer {
        Some(answer) => respond(answer).await,
        None => {
            let arguments = describe(&path_params, &query, body_json.as_ref());
            refuse(state, &format!("no expectation matches {} with {arguments}", route.id))
        }
    }
}

/// Whether a request holds what an expectation was set up with.
fn matches(
    matcher: &Matcher,
    segments: &[String],
    query: &[(String, String)],
    headers: &http::HeaderMap,
    body: Option<&Value>,
) -> bool {
    matcher.segments.len() == segments.len()
        && matcher
            .segments
            .iter()
            .zip(segments)
            .all(|(expected, sent)| expected.as_ref().is_none_or(|expected| expected == sent))
        && matcher.query.iter().all(|pair| query.contains(pair))
        && matcher.headers.iter().all(|(name, value)| headers.get_all(name).iter().any(|sent| sent == value))
        && match (&matcher.body, body) {
            (None, _) => true,
            (Some(expected), Some(sent)) => contains(sent, expected),
            (Some(_), None) => false,
        }
}

/// Whether `sent` holds `expected`: every property of an expected object
/// (recursively), the items of a list one by one, other values equal.
pub(crate) fn contains(sent: &Value, expected: &Value) -> bool {
    match (sent, expected) {
        (Value::Object(sent), Value::Object(expected)) => {
            expected.iter().all(|(key, value)| sent.get(key).is_some_and(|sent| contains(sent, value)))
        }
        (Value::Array(sent), Value::Array(expected)) => {
            sent.len() == expected.len() && sent.iter().zip(expected).all(|(sent, value)| contains(sent, value))
        }
        _ => sent == expected,
    }
}

/// The arguments of a request, for a message: `path organization_id="org_1",
/// query limit="10", body {…}`.
fn describe(path: &[(String, String)], query: &[(String, String)], body: Option<&Value>) -> String {
    let pairs = |pairs: &[(String, String)]| {
        pairs.iter().map(|(name, value)| format!("{name}={value:?}")).collect::<Vec<_>>().join(", ")
    };
    let mut parts = Vec::new();
    if !path.is_empty() {
        parts.push(format!("path {}", pairs(path)));
    }
    if !query.is_empty() {
        parts.push(format!("query {}", pairs(query)));
    }
    if let Some(body) = body {
        let mut text = body.to_string();
        if text.len() > 300 {
            let end = (0..=300).rev().find(|end| text.is_char_boundary(*end)).unwrap_or(0);
            text.truncate(end);
            text.push('…');
        }
        parts.push(format!("body {text}"));
    }
    if parts.is_empty() {
        "no arguments".to_owned()
    } else {
        parts.join(", ")
    }
}

fn decode(segment: &str) -> String {
    percent_decode_str(segment).decode_utf8_lossy().into_owned()
}

fn is_json(headers: &http::HeaderMap) -> bool {
    headers.get(http::header::CONTENT_TYPE).and_then(|value| value.to_str().ok()).is_some_and(|value| {
        let essence = value.split(';').next().unwrap_or_default().trim();
        essence.ends_with("/json") || essence.ends_with("+json")
    })
}

async fn respond(answer: Answer) -> Response<Full<Bytes>> {
    if let Some(delay) = answer.delay {
        tokio::time::sleep(delay).await;
    }
    let mut response = Response::new(Full::new(answer.body));
    *response.status_mut() = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    *response.headers_mut() = answer.headers;
    if answer.json {
        response.headers_mut().insert(http::header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    }
    response
}

/// Records `message` as a problem and answers it in the API's error format.
fn refuse(state: &State, message: &str) -> Response<Full<Bytes>> {
    state.lock().problems.push(message.to_owned());
    let format = &state.api.errors;
    let (body, json) = match super::errors::error_json(format, Value::Null, Some("mock_refused"), Some(message)) {
        Some(json) => (Bytes::from(json.to_string()), true),
        None => (Bytes::from(message.to_owned()), false),
    };
    let mut response = Response::new(Full::new(body));
    *response.status_mut() = StatusCode::from_u16(REFUSED).unwrap_or(StatusCode::BAD_REQUEST);
    let content_type = if json { "application/json" } else { "text/plain; charset=utf-8" };
    response.headers_mut().insert(http::header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_body_matches_when_it_holds_what_was_expected() {
        let sent = json!({"email_address": "a@b.co", "role": "org:member", "public_metadata": {"a": 1, "b": 2}});
        assert!(contains(&sent, &json!({"role": "org:member"})));
        assert!(contains(&sent, &json!({"public_metadata": {"a": 1}})));
        assert!(!contains(&sent, &json!({"role": "org:admin"})));
        assert!(!contains(&sent, &json!({"inviter_user_id": "u"})));
        assert!(contains(&json!([{"a": 1, "b": 2}]), &json!([{"a": 1}])));
        assert!(!contains(&json!([{"a": 1}, {"a": 2}]), &json!([{"a": 1}])));
    }

    #[test]
    fn a_refusal_names_the_arguments_it_got() {
        let pair = |a: &str, b: &str| (a.to_owned(), b.to_owned());
        let text = describe(&[pair("organization_id", "org_2")], &[pair("limit", "10")], Some(&json!({"x": 1})));
        assert_eq!(text, r#"path organization_id="org_2", query limit="10", body {"x":1}"#);
        assert_eq!(describe(&[], &[], None), "no arguments");
    }
}
