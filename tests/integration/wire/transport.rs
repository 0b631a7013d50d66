//! Decoding failures, transport failures, timeouts, bounds, and the secret.

use clerk_invitations::{CreateOrganizationInvitationBulkRequestItem, CreateOrganizationInvitationRequest, Error};
use serde_json::{json, Value};
use std::time::Duration;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::helpers::*;

#[tokio::test]
async fn a_mistyped_field_fails_decoding_naming_its_path_and_the_operation() {
    let mut body = pending_json();
    body["created_at"] = json!("yesterday");
    let server = server_answering(ok_json(body)).await;

    let result = client(&server)
        .organization_invitations()
        .get()
        .organization_id("org_123")
        .invitation_id("orginv_2pending")
        .send()
        .await;

    let error = result.expect_err("a string `created_at` must not decode");
    match &error {
        Error::Decode { operation, status, path, body, .. } => {
            assert_eq!((*operation, *status, path.as_str()), ("GetOrganizationInvitation", 200, "created_at"));
            assert!(body.as_bytes().starts_with(b"{"), "the whole body is kept, behind `as_bytes()`");
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }
    let shown = error.to_string();
    assert!(shown.contains("GetOrganizationInvitation") && shown.contains("created_at"), "{shown}");
    assert_no_secret("a decode error's Display", &shown);
}

#[tokio::test]
async fn a_mistyped_field_in_a_list_item_is_reported_with_its_index() {
    let mut broken = revoked_json();
    broken["created_at"] = json!("yesterday");
    let server = server_answering(ok_json(page_json(vec![pending_json(), broken], 2))).await;

    let result = client(&server).organization_invitations().list().organization_id("org_123").send().await;

    match result {
        Err(Error::Decode { operation, path, .. }) => {
            assert_eq!((operation, path.as_str()), ("ListOrganizationInvitations", "data[1].created_at"));
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }
}

#[tokio::test]
async fn transport_failure_names_the_operation_and_hides_the_secret() {
    let client = builder().base_url("http://127.0.0.1:1").build().expect("a client for a closed port");

    let error = client
        .organization_invitations()
        .get()
        .organization_id("org_123")
        .invitation_id("orginv_1")
        .send()
        .await
        .expect_err("nothing listens");

    assert!(matches!(error, Error::Transport { operation: "GetOrganizationInvitation", .. }), "{error:?}");
    assert!(error.api().is_none());
    let shown = error.to_string();
    assert!(shown.contains("GetOrganizationInvitation"), "{shown}");
    assert_no_secret("a transport error's Display", &shown);
    assert_no_secret("a transport error's Debug", &format!("{error:?}"));
}

#[tokio::test]
async fn a_slow_answer_times_out_without_showing_the_secret() {
    let server = server_answering(ok_json(pending_json()).set_delay(Duration::from_secs(5))).await;
    let client =
        builder().base_url(server.uri()).timeout(Duration::from_millis(200)).build().expect("a client with a timeout");

    let error = client
        .organization_invitations()
        .get()
        .organization_id("org_123")
        .invitation_id("orginv_1")
        .send()
        .await
        .expect_err("the answer is late");

    assert!(matches!(error, Error::Timeout { operation: "GetOrganizationInvitation", .. }), "{error:?}");
    assert!(error.is_timeout());
    assert_no_secret("a timeout's Display", &error.to_string());
    assert_no_secret("a timeout's Debug", &format!("{error:?}"));
}

#[tokio::test]
async fn a_per_call_timeout_overrides_the_client_default() {
    let server = server_answering(ok_json(pending_json()).set_delay(Duration::from_millis(600))).await;
    let patient = builder()
        .base_url(server.uri())
        .timeout(Duration::from_secs(30))
        .build()
        .expect("a client with a generous timeout");

    let error = patient
        .with_timeout(Duration::from_millis(100))
        .organization_invitations()
        .get()
        .organization_id("org_123")
        .invitation_id("orginv_1")
        .send()
        .await
        .expect_err("the per-call timeout is shorter than the delay");
    assert!(matches!(error, Error::Timeout { operation: "GetOrganizationInvitation", .. }), "{error:?}");

    let invitation =
        patient.organization_invitations().get().organization_id("org_123").invitation_id("orginv_1").send().await;
    assert_eq!(invitation.expect("the client default outlasts the delay"), pending());
}

#[test]
fn client_and_builder_debug_never_show_the_secret() {
    let builder = builder().base_url("http://127.0.0.1:9");
    assert_no_secret("the builder's Debug", &format!("{builder:?}"));
    let client = builder.build().expect("a client");
    let shown = format!("{client:?}");
    assert_no_secret("the client's Debug", &shown);
    assert!(shown.contains("http://127.0.0.1:9"), "the base URL is shown: {shown}");
    let call = client.organization_invitations().get().organization_id("org_1").invitation_id("orginv_1");
    assert_no_secret("a call's Debug", &format!("{call:?}"));
}

#[tokio::test]
async fn values_outside_the_spec_bounds_are_refused_before_any_request() {
    let server = MockServer::start().await;
    let clerk = client(&server);
    let api = clerk.organization_invitations();
    for bad in [0, 501] {
        assert_invalid_argument(
            api.list().organization_id("org_1").limit(bad).send().await.map(drop),
            "ListOrganizationInvitations",
            "limit",
            &bad.to_string(),
        );
    }
    #[allow(deprecated)]
    let result = api.list_pending().organization_id("org_1").offset(-1).send().await.map(drop);
    assert_invalid_argument(result, "ListPendingOrganizationInvitations", "offset", "-1");
    assert_invalid_argument(
        api.list_all().limit(1000).send().await.map(drop),
        "ListInstanceOrganizationInvitations",
        "limit",
        "1000",
    );

    for days in [0, 366] {
        let body = CreateOrganizationInvitationRequest::new("ada@example.com", "org:member").expires_in_days(days);
        let result = api.create().organization_id("org_1").body(body).send().await.map(drop);
        assert_invalid_argument(result, "CreateOrganizationInvitation", "expires_in_days", &days.to_string());
    }

    let item = || CreateOrganizationInvitationBulkRequestItem::new("ada@example.com", "org:member");
    for count in [0, 11] {
        let body: Vec<_> = (0..count).map(|_| item()).collect();
        let result = api.bulk_create().organization_id("org_1").body(body).send().await.map(drop);
        assert_invalid_argument(result, "CreateOrganizationInvitationBulk", "body", &format!("{count} items"));
    }
    let body = vec![item(), item().expires_in_days(400)];
    let result = api.bulk_create().organization_id("org_1").body(body).send().await.map(drop);
    assert_invalid_argument(result, "CreateOrganizationInvitationBulk", "expires_in_days", "400 in the second item");

    assert_nothing_sent(&server, "nothing may be sent for a refused value").await;
}

#[tokio::test]
async fn values_on_the_spec_bounds_are_sent() {
    let server = server_answering(ok_json(page_json(vec![], 0))).await;
    client(&server)
        .organization_invitations()
        .list()
        .organization_id("org_1")
        .limit(500)
        .offset(0)
        .send()
        .await
        .expect("limit 500 and offset 0 are allowed");
    assert_sent(
        &only_request(&server).await,
        Sent {
            method: "GET",
            path: "/organizations/org_1/invitations",
            query: &[("limit", "500"), ("offset", "0")],
            body: None,
        },
    );
}

#[tokio::test]
async fn bulk_create_chunked_splits_into_compliant_requests_and_reports_each() {
    let server = MockServer::start().await;
    let ok = ok_json(page_json(vec![pending_json()], 1));
    Mock::given(any()).respond_with(ok.clone()).up_to_n_times(1).with_priority(1).mount(&server).await;
    let rejected = ResponseTemplate::new(422).set_body_json(clerk_errors_json(&["duplicate_record"], "trace_chunk"));
    Mock::given(any()).respond_with(rejected).up_to_n_times(1).with_priority(2).mount(&server).await;
    Mock::given(any()).respond_with(ok).with_priority(3).mount(&server).await;
    let body: Vec<_> = (0..23)
        .map(|n| CreateOrganizationInvitationBulkRequestItem::new(format!("user{n}@example.com"), "org:member"))
        .collect();

    let chunks = client(&server)
        .organization_invitations()
        .bulk_create()
        .organization_id("org_1")
        .body(body)
        .send_chunked()
        .await
        .expect("a body is set");

    let ranges: Vec<_> = chunks.iter().map(|chunk| chunk.items.clone()).collect();
    assert_eq!(ranges, [0..10, 10..20, 20..23]);
    assert!(chunks[0].result.is_ok() && chunks[2].result.is_ok(), "{chunks:?}");
    let failed = chunks[1].result.as_ref().expect_err("the second request was rejected");
    assert_eq!(failed.api().map(|api| api.codes()), Some(vec!["duplicate_record"]));
    let requests = server.received_requests().await.expect("request recording is enabled");
    let sizes: Vec<usize> =
        requests.iter().map(|request| request.body_json::<Vec<Value>>().expect("a JSON array").len()).collect();
    assert_eq!(sizes, [10, 10, 3]);
    let first_emails: Vec<Value> = requests
        .iter()
        .map(|r| r.body_json::<Vec<Value>>().expect("a JSON array")[0]["email_address"].clone())
        .collect();
    assert_eq!(first_emails, [json!("user0@example.com"), json!("user10@example.com"), json!("user20@example.com")]);
}
