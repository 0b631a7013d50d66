//! Faults against a local server: what is retried, what is not, how long the
//! client waits, and that broken answers become errors, never panics. Every test
//! asserts how many requests the server saw.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use clerk_invitations::organization_invitations::{Create, Get, Revoke};
use clerk_invitations::{Client, CreateOrganizationInvitationRequest, Error, OrganizationInvitationObject, Retries};
use serde_json::json;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::wire::{ok_json, pending, pending_json, SECRET, SECRET_VALUE};

/// A client with the spec's retry policy, bounded so a broken test cannot hang.
fn client(base_url: &str) -> Client {
    Client::builder()
        .secret(SECRET)
        .base_url(base_url)
        .retries(Retries::default().max_attempts(5).max_elapsed(Duration::from_secs(20)))
        .build()
        .expect("a client")
}

/// A server answering the first `times` requests with `first`, then `then`.
async fn server(first: ResponseTemplate, times: u64, then: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(first).up_to_n_times(times).with_priority(1).mount(&server).await;
    Mock::given(any()).respond_with(then).with_priority(2).mount(&server).await;
    server
}

async fn requests_seen(server: &MockServer) -> usize {
    server.received_requests().await.expect("request recording is enabled").len()
}

/// `GET` of one invitation: idempotent, so retried on a 5XX or a timeout.
fn get(clerk: &Client) -> Get {
    clerk.organization_invitations().get().organization_id("org_1").invitation_id("orginv_1")
}

/// Creating one invitation: it may send an e-mail, so retried only when unsent.
fn create(clerk: &Client) -> Create {
    let body = CreateOrganizationInvitationRequest::new("ada@example.com", "org:member");
    clerk.organization_invitations().create().organization_id("org_1").body(body)
}

/// Revoking one invitation: harmless to repeat.
fn revoke(clerk: &Client) -> Revoke {
    clerk.organization_invitations().revoke().organization_id("org_1").invitation_id("orginv_1")
}

fn clerk_error(status: u16) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(json!({
        "errors": [{"message": "m", "long_message": "lm", "code": "internal_clerk_error"}],
        "clerk_trace_id": "trace_fault"
    }))
}

#[tokio::test]
async fn get_is_retried_after_a_500_and_succeeds() {
    let server = server(clerk_error(500), 1, ok_json(pending_json())).await;
    let invitation = get(&client(&server.uri())).send().await;
    assert_eq!(invitation.expect("the retry succeeds"), pending());
    assert_eq!(requests_seen(&server).await, 2);
}

#[tokio::test]
async fn get_gives_up_after_max_attempts_with_the_last_error() {
    let server = server(clerk_error(503), 100, ok_json(pending_json())).await;
    let clerk = client(&server.uri()).with_retries(Retries::default().max_attempts(3));
    let error = get(&clerk).send().await.expect_err("always 503");
    assert_eq!(error.api().map(|api| api.status), Some(503), "{error}");
    assert_eq!(requests_seen(&server).await, 3);
}

#[tokio::test]
async fn create_is_not_retried_after_a_500() {
    let server = server(clerk_error(500), 1, ok_json(pending_json())).await;
    let result = create(&client(&server.uri())).send().await;
    let error = result.expect_err("a 500 on create is final: it may have sent the e-mail");
    assert_eq!(error.api().map(|api| api.status), Some(500));
    assert_eq!(requests_seen(&server).await, 1);
}

#[tokio::test]
async fn revoke_is_retried_after_a_500() {
    let server = server(clerk_error(502), 1, ok_json(pending_json())).await;
    let result = revoke(&client(&server.uri())).send().await;
    assert_eq!(result.expect("revoking twice is harmless, so it is retried"), pending());
    assert_eq!(requests_seen(&server).await, 2);
}

#[tokio::test]
async fn create_is_retried_when_the_connection_was_refused() {
    // Reserve a port, free it, and start the server there only after the first
    // attempt has been refused.
    let port = std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port();
    let base_url = format!("http://127.0.0.1:{port}");
    let clerk = client(&base_url).with_retries(Retries::default().max_attempts(20));
    let call = tokio::spawn(create(&clerk).send());
    tokio::time::sleep(Duration::from_millis(300)).await;
    let listener = std::net::TcpListener::bind(("127.0.0.1", port)).expect("rebind the reserved port");
    let server = MockServer::builder().listener(listener).start().await;
    Mock::given(any()).respond_with(ok_json(pending_json())).mount(&server).await;

    let result = call.await.expect("the call task finishes");
    assert_eq!(result.expect("a refused connection never reached Clerk, so create is retried"), pending());
    assert_eq!(requests_seen(&server).await, 1);
}

#[tokio::test]
async fn a_429_is_retried_after_retry_after_even_for_create() {
    let limited = clerk_error(429).insert_header("Retry-After", "1");
    let server = server(limited, 1, ok_json(pending_json())).await;
    let started = Instant::now();
    let result = create(&client(&server.uri())).send().await;
    assert_eq!(result.expect("429 means not processed: retried"), pending());
    assert!(started.elapsed() >= Duration::from_secs(1), "waited {:?}, Retry-After said 1 s", started.elapsed());
    assert_eq!(requests_seen(&server).await, 2);
}

#[tokio::test]
async fn a_429_whose_retry_after_exceeds_the_budget_is_returned() {
    let limited = clerk_error(429).insert_header("Retry-After", "30");
    let server = server(limited, 1, ok_json(pending_json())).await;
    let clerk = client(&server.uri()).with_retries(Retries::default().max_elapsed(Duration::from_secs(5)));
    let error = get(&clerk).send().await.expect_err("no time to wait");
    let api = error.api().expect("the 429");
    assert_eq!((api.status, api.retry_after), (429, Some(Duration::from_secs(30))));
    assert_eq!(requests_seen(&server).await, 1);
}

#[tokio::test]
async fn a_hanging_server_gives_a_timeout_and_create_is_not_resent() {
    let server = server(ok_json(pending_json()).set_delay(Duration::from_secs(30)), 100, ok_json(pending_json())).await;
    let clerk = client(&server.uri()).with_timeout(Duration::from_millis(300));
    let started = Instant::now();
    let error = create(&clerk).send().await.expect_err("no answer");
    assert!(matches!(error, Error::Timeout { operation: "CreateOrganizationInvitation", .. }), "{error:?}");
    // The server answers after 30 s: only a missing timeout gets near that, a
    // busy machine does not.
    assert!(started.elapsed() < Duration::from_secs(20), "took {:?}", started.elapsed());
    assert!(!format!("{error} {error:?}").contains(SECRET_VALUE));
    assert_eq!(requests_seen(&server).await, 1, "a timed-out create may have been processed");
}

#[tokio::test]
async fn a_timed_out_get_is_retried() {
    let slow = ok_json(pending_json()).set_delay(Duration::from_secs(30));
    let server = server(slow, 1, ok_json(pending_json())).await;
    let clerk = client(&server.uri()).with_timeout(Duration::from_millis(300));
    let invitation = get(&clerk).send().await;
    assert_eq!(invitation.expect("the second attempt is answered at once"), pending());
    assert_eq!(requests_seen(&server).await, 2);
}

#[tokio::test]
async fn truncated_and_non_json_bodies_are_decode_errors() {
    let truncated = &pending_json().to_string()[..40];
    for body in [truncated, "<html>Bad gateway</html>"] {
        let server = server(ResponseTemplate::new(200).set_body_string(body), 1, ok_json(pending_json())).await;
        let error = get(&client(&server.uri())).send().await.expect_err(body);
        match error {
            Error::Decode { operation, status, body: raw, .. } => {
                assert_eq!((operation, status), ("GetOrganizationInvitation", 200));
                assert_eq!(raw.as_bytes(), body.as_bytes());
            }
            other => panic!("expected a decode error for {body:?}, got {other:?}"),
        }
        assert_eq!(requests_seen(&server).await, 1, "a 200 is an answer: decode errors are not retried");
    }
}

#[tokio::test]
async fn unknown_enum_values_and_unknown_fields_decode() {
    let mut body = pending_json();
    body["object"] = json!("organization_invitation_v2");
    body["a_field_added_later"] = json!({"nested": [1, 2, 3]});
    let server = server(ok_json(body), 1, ok_json(pending_json())).await;
    let invitation = get(&client(&server.uri())).send().await;
    let invitation = invitation.expect("servers may add values and fields");
    // `UnknownValue` is opaque: the value is read, never matched on as text.
    match &invitation.object {
        OrganizationInvitationObject::Unknown(value) => assert_eq!(value.as_str(), "organization_invitation_v2"),
        other => panic!("expected an unknown value, got {other:?}"),
    }
    assert_eq!(invitation.object, OrganizationInvitationObject::from("organization_invitation_v2"));
    assert_eq!(invitation.object, "organization_invitation_v2".parse().expect("FromStr never fails"));
    assert_eq!(invitation.object.as_str(), "organization_invitation_v2");
    assert_eq!(invitation.object.to_string(), "organization_invitation_v2");
    assert_eq!(requests_seen(&server).await, 1);
}

/// Span fields and events as `name=value` text.
struct Fields(String);

impl tracing::field::Visit for Fields {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.0.push_str(&format!("{}={:?} ", field.name(), value));
    }
}

/// Collects the spans, span updates and events the client emits.
#[derive(Default, Clone)]
pub(crate) struct Recorder(pub(crate) Arc<Mutex<Vec<String>>>);

impl tracing::Subscriber for Recorder {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        let mut fields = Fields(format!("span {} ", span.metadata().name()));
        span.record(&mut fields);
        self.0.lock().expect("lock").push(fields.0);
        tracing::span::Id::from_u64(1)
    }
    fn record(&self, _: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        let mut fields = Fields("record ".to_owned());
        values.record(&mut fields);
        self.0.lock().expect("lock").push(fields.0);
    }
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        let mut fields = Fields(String::new());
        event.record(&mut fields);
        self.0.lock().expect("lock").push(fields.0);
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

#[tokio::test]
async fn each_retry_is_logged_without_the_secret() {
    let recorder = Recorder::default();
    let _guard = tracing::subscriber::set_default(recorder.clone());
    let server = server(clerk_error(503), 2, ok_json(pending_json())).await;
    get(&client(&server.uri())).send().await.expect("third attempt succeeds");
    let events = recorder.0.lock().expect("lock").clone();
    let retries: Vec<&String> = events.iter().filter(|event| event.contains("retrying")).collect();
    assert_eq!(retries.len(), 2, "{events:#?}");
    for (index, event) in retries.iter().enumerate() {
        assert!(event.contains("operation=\"GetOrganizationInvitation\""), "{event}");
        assert!(event.contains(&format!("attempt={}", index + 1)), "{event}");
        assert!(event.contains("status=503") && event.contains("delay_ms="), "{event}");
        assert!(!event.contains(SECRET_VALUE), "{event}");
    }
    assert_eq!(requests_seen(&server).await, 3);
}

#[tokio::test]
async fn each_call_has_a_span_with_the_operation_facts_and_the_trace_id() {
    let recorder = Recorder::default();
    let _guard = tracing::subscriber::set_default(recorder.clone());
    let traced = clerk_error(404).insert_header("Clerk-Trace-Id", "trace_header");
    let server = server(traced, 1, ok_json(pending_json())).await;
    let error = revoke(&client(&server.uri())).send().await;
    assert_eq!(error.expect_err("404").api().map(|api| api.status), Some(404));

    let lines = recorder.0.lock().expect("lock").clone();
    let span = lines.iter().find(|line| line.starts_with("span api_call")).expect("a span per call");
    assert!(span.contains("operation=\"RevokeOrganizationInvitation\""), "{span}");
    assert!(span.contains("method=\"POST\""), "{span}");
    assert!(span.contains("path=\"/organizations/{organization_id}/invitations/{invitation_id}/revoke\""), "{span}");
    let records = lines.iter().filter(|line| line.starts_with("record")).cloned().collect::<String>();
    assert!(records.contains("attempt=1") && records.contains("status=404"), "{records}");
    // The header's trace id is recorded on arrival, then the body's.
    assert!(records.contains("trace_id=\"trace_header\""), "{records}");
    assert!(records.contains("trace_id=\"trace_fault\""), "{records}");
    assert!(!lines.concat().contains(SECRET_VALUE));
    assert_eq!(requests_seen(&server).await, 1, "a 404 is not retried");
}

#[tokio::test]
async fn a_retry_after_of_zero_or_in_the_past_does_not_make_a_hot_loop() {
    for retry_after in ["0", "Wed, 21 Oct 2015 07:28:00 GMT", "-3"] {
        let server =
            server(clerk_error(429).insert_header("Retry-After", retry_after), 100_000, ok_json(pending_json())).await;
        let window = Retries::default().max_attempts(100_000).max_elapsed(Duration::from_secs(1));
        let clerk = client(&server.uri()).with_retries(window);

        let error = create(&clerk).send().await.expect_err("always 429");

        assert_eq!(error.api().map(|api| api.status), Some(429));
        let sent = requests_seen(&server).await;
        // The spec's backoff (500 ms × 1.5ⁿ, jittered) with a floor on every wait:
        // a handful of requests in one second, never hundreds.
        assert!(sent <= 11, "Retry-After: {retry_after}: {sent} requests in 1 s");
    }
}

/// Ids and an address that must never show up in logs, spans or error messages.
const ORGANIZATION: &str = "org_secretid123";
const INVITATION: &str = "orginv_secretid456";
const EMAIL: &str = "ada.secret@example.com";

fn assert_private(what: &str, text: &str) {
    for private in [ORGANIZATION, INVITATION, EMAIL, "ada.secret", SECRET_VALUE] {
        assert!(!text.contains(private), "{what} shows `{private}`: {text}");
    }
}

#[tokio::test]
async fn no_id_or_email_shows_in_logs_spans_or_error_messages() {
    let recorder = Recorder::default();
    let _guard = tracing::subscriber::set_default(recorder.clone());
    let twice = Retries::default().max_attempts(2);
    let params = clerk_invitations::ListOrganizationInvitationsParams::default().email_address(EMAIL);

    // Transport: nothing listens on port 1.
    let refused = client("http://127.0.0.1:1").with_retries(twice);
    let list = refused.organization_invitations().list().organization_id(ORGANIZATION).params(params.clone());
    let transport = list.send().await.expect_err("refused");
    assert!(matches!(transport, Error::Transport { .. }), "{transport:?}");

    // Timeout: the server never answers.
    let silent = MockServer::start().await;
    Mock::given(any()).respond_with(ok_json(pending_json()).set_delay(Duration::from_secs(30))).mount(&silent).await;
    let slow = client(&silent.uri()).with_retries(twice).with_timeout(Duration::from_millis(200));
    let get = slow.organization_invitations().get().organization_id(ORGANIZATION).invitation_id(INVITATION);
    let timeout = get.send().await.expect_err("no answer");
    assert!(matches!(timeout, Error::Timeout { .. }), "{timeout:?}");

    // Retries exhausted: always 503.
    let failing = server(clerk_error(503), 100, ok_json(pending_json())).await;
    let exhausted = client(&failing.uri()).with_retries(twice);
    let list = exhausted.organization_invitations().list().organization_id(ORGANIZATION).params(params);
    let last = list.send().await.expect_err("503");
    assert_eq!(last.api().map(|api| api.status), Some(503));

    for (what, error) in [("transport", &transport), ("timeout", &timeout), ("retry-exhausted", &last)] {
        assert_private(&format!("the {what} error's Display"), &error.to_string());
        assert_private(&format!("the {what} error's Debug"), &format!("{error:?}"));
    }
    let lines = recorder.0.lock().expect("lock").clone();
    assert_eq!(lines.iter().filter(|line| line.contains("retrying")).count(), 3, "{lines:#?}");
    assert_private("the logs", &lines.join("\n"));
    assert_eq!(requests_seen(&silent).await + requests_seen(&failing).await, 4);
}
