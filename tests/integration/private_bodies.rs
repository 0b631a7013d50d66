//! What errors and logs say about a response body: never a value from it. A
//! body holds invitees' e-mail addresses; a decode error names the JSON path,
//! what the type expected and the byte offset, and an API error quotes only
//! Clerk's own envelope (`code`, `message`). The body itself is one explicit
//! call away (`Error::raw_body()`).

use std::time::Duration;

use clerk_invitations::{Client, Error, Retries};
use serde_json::{json, Value};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::faults::Recorder;
use crate::wire::{pending_json, SECRET};

/// The address each broken body carries where decoding fails.
const EMAIL: &str = "alice.private@example.com";

/// The parts of `EMAIL` that must not show either.
fn assert_private(what: &str, text: &str) {
    for private in [EMAIL, "alice.private", "private@example"] {
        assert!(!text.contains(private), "{what} shows `{private}`: {text}");
    }
}

/// A client that retries, so retry events are logged too.
fn client(server: &MockServer) -> Client {
    let retries = Retries::default().max_attempts(3).max_elapsed(Duration::from_secs(20));
    Client::builder().secret(SECRET).base_url(server.uri()).retries(retries).build().expect("a client")
}

/// What one `get` answered with `status` and `body` gave: the error, and every
/// span, record and event the client logged meanwhile.
async fn failing_get(status: u16, body: &str) -> (Error, String) {
    let server = MockServer::start().await;
    let response = ResponseTemplate::new(status).set_body_raw(body.to_owned(), "application/json");
    Mock::given(any()).respond_with(response).mount(&server).await;
    let recorder = Recorder::default();
    let error = {
        let _guard = tracing::subscriber::set_default(recorder.clone());
        let get = client(&server).organization_invitations().get().organization_id("org_1").invitation_id("orginv_1");
        get.send().await.expect_err(body)
    };
    let logged = recorder.0.lock().expect("lock").join("\n");
    (error, logged)
}

/// `pending_json()` with `field` set to `value`, as sent.
fn invitation_with(field: &str, value: Value) -> String {
    let mut body = pending_json();
    body[field] = value;
    body.to_string()
}

/// The byte just past the first `needle` in `body`: where serde stops after
/// reading a value.
fn past(body: &str, needle: &str) -> usize {
    body.find(needle).unwrap_or_else(|| panic!("`{needle}` in {body}")) + needle.len()
}

/// The decode error's path, offset and message; its `Display`, `Debug` and the
/// logs checked for the address; its raw body checked against what was sent.
async fn decode_error(body: &str) -> (String, Option<usize>, String) {
    let (error, logged) = failing_get(200, body).await;
    let shown = error.to_string();
    assert_private("a decode error's Display", &shown);
    assert_private("a decode error's Debug", &format!("{error:?}"));
    assert_private("the logs of a call that failed to decode", &logged);
    assert_eq!(error.raw_body(), Some(body.as_bytes()), "the body is kept whole, for the caller to look at");
    match error {
        Error::Decode { operation, status, path, offset, message, .. } => {
            assert_eq!((operation, status), ("GetOrganizationInvitation", 200));
            assert!(shown.contains(&format!("`{path}`")) && shown.contains(&message), "{shown}");
            if let Some(offset) = offset {
                assert!(shown.contains(&format!("byte {offset}")), "{shown}");
            }
            (path, offset, message)
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_string_where_an_integer_belongs_is_named_by_type_not_by_value() {
    let body = invitation_with("created_at", json!(EMAIL));
    let (path, offset, message) = decode_error(&body).await;
    assert_eq!(path, "created_at");
    assert_eq!(offset, Some(past(&body, &format!("\"created_at\":\"{EMAIL}\""))));
    assert_eq!(message, "wrong type: expected i64, found a string");
}

#[tokio::test]
async fn an_integer_out_of_range_is_named_by_type_not_by_value() {
    let body = invitation_with("created_at", json!(u64::MAX));
    let (path, offset, message) = decode_error(&body).await;
    assert_eq!(path, "created_at");
    assert_eq!(offset, Some(past(&body, &format!("\"created_at\":{}", u64::MAX))));
    assert_eq!(message, "invalid integer: expected i64");
    assert!(!message.contains(&u64::MAX.to_string()));
}

#[tokio::test]
async fn a_map_keyed_by_an_address_shows_a_placeholder_for_the_key() {
    // Free-form metadata takes any value, so what fails is the JSON itself.
    let body = invitation_with("public_metadata", json!({EMAIL: "x"})).replace("\"x\"", "tru");
    let (path, offset, message) = decode_error(&body).await;
    assert_eq!(path, "public_metadata[key]");
    assert_eq!(offset, Some(past(&body, &format!("\"{EMAIL}\":tru")) + 1));
    assert_eq!(message, "invalid JSON: expected ident");
}

#[tokio::test]
async fn a_syntax_error_after_an_address_does_not_quote_it() {
    // The comma after the address is missing.
    let whole = invitation_with("email_address", json!(EMAIL));
    let body = whole.replace(&format!("\"{EMAIL}\","), &format!("\"{EMAIL}\" "));
    let (path, offset, message) = decode_error(&body).await;
    assert_eq!(path, "?", "serde_path_to_error cannot tell which key comes next");
    assert_eq!(offset, Some(past(&body, &format!("\"{EMAIL}\" \""))), "just past the unexpected quote");
    assert_eq!(message, "invalid JSON: expected `,` or `}`");
}

#[tokio::test]
async fn a_body_cut_inside_an_address_does_not_quote_it() {
    let whole = invitation_with("email_address", json!(EMAIL));
    let body = &whole[..past(&whole, "alice.private@exam")];
    let (path, offset, message) = decode_error(body).await;
    assert_eq!(path, "email_address");
    assert_eq!(offset, Some(body.len()));
    assert_eq!(message, "the body ends early: EOF while parsing a string");
}

#[tokio::test]
async fn a_megabyte_of_addresses_gives_a_short_message_without_one() {
    let long = EMAIL.repeat(40_000);
    let body = invitation_with("created_at", json!(long));
    let (path, offset, message) = decode_error(&body).await;
    assert_eq!(path, "created_at");
    assert_eq!(offset, Some(past(&body, &format!("\"created_at\":\"{long}\""))));
    assert_eq!(message, "wrong type: expected i64, found a string");
    let (error, _) = failing_get(200, &body).await;
    assert!(error.to_string().len() < 200, "{}", error.to_string());
    assert!(format!("{error:?}").len() < 400, "{error:?}");
}

#[tokio::test]
async fn a_missing_field_is_named() {
    let mut body = pending_json();
    body.as_object_mut().expect("an object").remove("id");
    let body = body.to_string();
    let (path, offset, message) = decode_error(&body).await;
    assert_eq!(path, ".");
    assert_eq!(offset, Some(body.len()), "the end of the object");
    assert_eq!(message, "missing field `id`");
}

#[tokio::test]
async fn an_error_body_that_is_not_clerks_envelope_is_never_quoted_in_messages_or_logs() {
    let body = json!({"error": format!("no such invitee {EMAIL}")}).to_string();
    let (error, logged) = failing_get(503, &body).await;
    let api = error.api().unwrap_or_else(|| panic!("an API error: {error:?}"));
    assert_eq!(api.status, 503);
    assert_eq!(
        error.to_string(),
        format!(
            "GetOrganizationInvitation: HTTP 503 (a {}-byte body that is not in the API's error format)",
            body.len()
        )
    );
    assert_private("an API error's Debug", &format!("{error:?}"));
    assert!(logged.contains("retrying"), "a 503 is retried: {logged}");
    assert_private("the logs of a retried call", &logged);
    // Still there for whoever asks.
    assert_eq!(error.raw_body(), Some(body.as_bytes()));
    assert_eq!(api.body.as_deref(), Some(body.as_str()));
}

#[tokio::test]
async fn an_api_error_quotes_only_the_code_and_message_of_clerks_envelope() {
    let body = json!({
        "errors": [{
            "code": "duplicate_record",
            "message": "duplicate invitation",
            "long_message": format!("{EMAIL} is already invited"),
            "meta": {"email_address": EMAIL}
        }],
        "clerk_trace_id": "trace_1"
    })
    .to_string();
    let (error, logged) = failing_get(503, &body).await;
    assert_eq!(
        error.to_string(),
        "GetOrganizationInvitation: HTTP 503: duplicate_record: duplicate invitation (clerk_trace_id trace_1)"
    );
    assert_private("the logs of a retried call", &logged);
    let api = error.api().expect("an API error");
    let detail = &clerk_invitations::ErrorBody::error_body(api).expect("Clerk's envelope").errors[0];
    assert_eq!(detail.long_message, format!("{EMAIL} is already invited"), "the envelope is kept whole");
}
