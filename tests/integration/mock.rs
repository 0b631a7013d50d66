//! The test kit's mock and test values (feature `test-util`), as a user's
//! tests meet them: scripted through the call builders, checked against the
//! document at set-up and on every request.

use std::time::Duration;

use clerk_invitations::models::{
    CreateOrganizationInvitationBulkRequestItem, CreateOrganizationInvitationRequest, OrganizationInvitation,
    OrganizationInvitationObject, OrganizationInvitations,
};
use clerk_invitations::test_util::{Expect, Mock, Returns, TestValue};
use clerk_invitations::{Error, ErrorBody, Retries};

fn invitation(id: &str) -> OrganizationInvitation {
    let mut invitation = OrganizationInvitation::test_value();
    invitation.id = id.to_owned();
    invitation
}

fn page(ids: &[&str], total: i64) -> OrganizationInvitations {
    let mut page = OrganizationInvitations::test_value();
    page.data = ids.iter().map(|id| invitation(id)).collect();
    page.total_count = total;
    page
}

#[test]
fn every_model_has_a_test_value_valid_against_its_schema() {
    let invitation = OrganizationInvitation::test_value();
    assert_eq!(invitation.object, OrganizationInvitationObject::OrganizationInvitation);
    assert!(!invitation.id.is_empty() && !invitation.email_address.is_empty());
    let page = OrganizationInvitations::test_value();
    assert_eq!(page.data.len(), 1, "one item per list");
    let errors = clerk_invitations::models::ClerkErrors::test_value();
    assert_eq!(errors.errors.len(), 1);
}

#[tokio::test]
async fn a_scripted_answer_reaches_the_code_under_test_and_the_call_is_recorded() {
    let mock = Mock::start().await;
    let expected = mock
        .organization_invitations()
        .get()
        .organization_id("org_1")
        .invitation_id("inv_1")
        .returns(invitation("inv_1"));
    let client = mock.client();
    let got = client.organization_invitations().get().organization_id("org_1").invitation_id("inv_1").send().await;
    assert_eq!(got.expect("the scripted answer").id, "inv_1");
    let calls = mock.calls_to("GetOrganizationInvitation");
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].path_param("organization_id"), Some("org_1"));
    assert_eq!(expected.calls().len(), 1);
}

#[tokio::test]
async fn an_error_is_answered_in_the_apis_format_and_decodes_as_its_error_model() {
    let mock = Mock::start().await;
    mock.organization_invitations()
        .get()
        .organization_id("org_1")
        .invitation_id("gone")
        .fails(404, "resource_not_found");
    let error = mock
        .organization_invitations()
        .get()
        .organization_id("org_1")
        .invitation_id("gone")
        .send()
        .await
        .expect_err("a 404");
    assert!(error.is_not_found(), "{error}");
    assert_eq!(error.code(), Some("resource_not_found"));
    let body = error.error_body().expect("the body is Clerk's error model");
    assert_eq!(body.errors[0].code, "resource_not_found");
}

#[tokio::test]
async fn a_request_no_expectation_matches_names_the_operation_and_its_arguments() {
    let mock = Mock::start().await;
    mock.organization_invitations().get().organization_id("org_1").invitation_id("inv_1").returns(invitation("inv_1"));
    let error = mock
        .organization_invitations()
        .get()
        .organization_id("org_2")
        .invitation_id("inv_1")
        .send()
        .await
        .expect_err("nothing matches org_2");
    let text = error.to_string();
    assert!(
        text.contains("no expectation matches GetOrganizationInvitation")
            && text.contains(r#"organization_id="org_2""#),
        "{text}"
    );
    let verdict = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| mock.verify()));
    let message = *verdict.expect_err("verify fails").downcast::<String>().expect("a message");
    assert!(message.contains("no expectation matches GetOrganizationInvitation"), "{message}");
    // Taken, the problem is not reported again when the mock is dropped.
    assert_eq!(mock.take_problems().len(), 1);
}

#[tokio::test]
async fn pages_are_served_in_order() {
    let mock = Mock::start().await;
    mock.organization_invitations().list().organization_id("org_1").returns_in_order([
        page(&["a1", "a2"], 5),
        page(&["b1", "b2"], 5),
        page(&["c1"], 5),
    ]);
    let mut items = mock.organization_invitations().list().organization_id("org_1").limit(2).items();
    let mut ids = Vec::new();
    while let Some(invitation) = items.try_next().await.expect("every page is served") {
        ids.push(invitation.id);
    }
    assert_eq!(ids, ["a1", "a2", "b1", "b2", "c1"]);
    let offsets: Vec<Option<String>> = mock
        .calls_to("ListOrganizationInvitations")
        .iter()
        .map(|call| call.query_param("offset").map(str::to_owned))
        .collect();
    assert_eq!(offsets.len(), 3, "{offsets:?}");
}

#[tokio::test]
async fn a_body_matches_on_what_the_expectation_sets() {
    let mock = Mock::start().await;
    let body = CreateOrganizationInvitationRequest::new("ada@example.com", "org:admin");
    mock.organization_invitations().create().organization_id("org_1").body(body.clone()).returns(invitation("inv_a"));
    let created = mock
        .organization_invitations()
        .create()
        .organization_id("org_1")
        .body(body.inviter_user_id("user_1"))
        .send()
        .await
        .expect("the body holds what was expected");
    assert_eq!(created.id, "inv_a");
    let call = &mock.calls_to("CreateOrganizationInvitation")[0];
    let sent: serde_json::Value = call.body_as().expect("JSON");
    assert_eq!(sent["inviter_user_id"], "user_1");
}

#[tokio::test]
async fn a_delayed_answer_runs_out_the_clients_timeout() {
    let mock = Mock::start().await;
    mock.organization_invitations()
        .get()
        .organization_id("org_1")
        .invitation_id("slow")
        .returns(invitation("slow"))
        .delay(Duration::from_secs(5));
    let client = mock.client().with_timeout(Duration::from_millis(200)).with_retries(Retries::off());
    let error = client
        .organization_invitations()
        .get()
        .organization_id("org_1")
        .invitation_id("slow")
        .send()
        .await
        .expect_err("a timeout");
    assert!(matches!(error, Error::Timeout { .. }), "{error}");
}

fn refusal(result: Result<clerk_invitations::test_util::Expectation, String>) -> String {
    result.expect_err("the mock refuses the answer")
}

#[tokio::test]
async fn a_status_the_operation_does_not_document_is_refused() {
    let mock = Mock::start().await;
    let get = || mock.organization_invitations().get().organization_id("org_1").invitation_id("inv_1");
    let reason = refusal(get().try_fails(409, "conflict"));
    assert!(reason.contains("GetOrganizationInvitation does not document a 409 answer"), "{reason}");
    assert!(get().try_fails(429, "too_many_requests").is_ok(), "any server may send 429");
}

#[tokio::test]
async fn an_enum_value_outside_the_spec_is_refused_with_its_path() {
    let mock = Mock::start().await;
    let mut value = serde_json::to_value(invitation("inv_1")).unwrap();
    value["object"] = "user".into();
    let reason =
        refusal(mock.organization_invitations().get().organization_id("o").invitation_id("i").try_responds(200, value));
    assert!(reason.contains("at $.object") && reason.contains("`enum`"), "{reason}");
}

#[tokio::test]
async fn a_missing_required_field_is_refused_with_its_path() {
    let mock = Mock::start().await;
    let mut value = serde_json::to_value(page(&["a"], 1)).unwrap();
    value["data"][0].as_object_mut().unwrap().remove("role");
    let reason = refusal(mock.organization_invitations().list().organization_id("o").try_responds(200, value));
    assert!(reason.contains("at $.data[0]") && reason.contains("`role` is missing"), "{reason}");
}

#[tokio::test]
async fn a_request_that_breaks_the_document_is_refused_and_fails_verify() {
    let mock = Mock::start().await;
    let http = reqwest::Client::new();
    let url = format!("{}/organizations/org_1/invitations?limit=ten&colour=red", mock.base_url());
    let answer = http.get(url).send().await.expect("the mock answers");
    assert_eq!(answer.status().as_u16(), 421);
    let url = format!("{}/organizations/org_1/invitations", mock.base_url());
    let body = serde_json::json!({"email_address": "ada@example.com"});
    let answer = http
        .post(url)
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .expect("the mock answers");
    assert_eq!(answer.status().as_u16(), 421);
    let message = mock.take_problems().join("\n");
    for part in [
        "ListOrganizationInvitations got a request that breaks the document",
        "query parameter `limit`: \"ten\" is not a number",
        "query parameter `colour` is not in the document",
        "CreateOrganizationInvitation got a request that breaks the document: body: at $: required property `role` is missing",
    ] {
        assert!(message.contains(part), "{part:?} in {message}");
    }
}

/// Sends raw bytes to the mock and reads what it answers, until it closes or
/// two seconds pass.
async fn raw(base_url: &str, request: Vec<u8>) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let address = base_url.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(address).await.expect("the mock listens");
    // The mock may answer before the whole request is written.
    let _ = stream.write_all(&request).await;
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(2), stream.read_to_end(&mut answer)).await;
    String::from_utf8_lossy(&answer).into_owned()
}

#[tokio::test]
async fn hostile_requests_are_refused_and_the_mock_serves_on() {
    let mock = Mock::start().await;
    mock.organization_invitations().get().organization_id("org_1").invitation_id("inv_1").returns(invitation("inv_1"));
    let base = mock.base_url().to_owned();
    // Not HTTP at all.
    let answer = raw(&base, b"\x00\xffGARBAGE\r\n\r\n".to_vec()).await;
    assert!(answer.is_empty() || answer.starts_with("HTTP/1.1 400"), "{answer}");
    // A body announced past the client's own cap of 32 MiB is not read.
    let head = "POST /organizations/org_1/invitations HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n\
                content-length: 40000000\r\nconnection: close\r\n\r\n{";
    let answer = raw(&base, head.as_bytes().to_vec()).await;
    assert!(answer.starts_with("HTTP/1.1 421"), "{answer}");
    // JSON nested past serde_json's limit is "not JSON", not a stack overflow.
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let request = format!(
        "POST /organizations/org_1/invitations HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n\
         content-length: {}\r\nconnection: close\r\n\r\n{deep}",
        deep.len()
    );
    let answer = raw(&base, request.into_bytes()).await;
    assert!(answer.starts_with("HTTP/1.1 421") && answer.contains("not JSON"), "{}", &answer[..answer.len().min(400)]);
    // A path that climbs out is no operation.
    let answer = raw(
        &base,
        b"GET /organizations/..%2F..%2Fetc/invitations/x HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n".to_vec(),
    )
    .await;
    assert!(answer.starts_with("HTTP/1.1 421"), "{answer}");
    // And a real call is still answered.
    let got = mock.organization_invitations().get().organization_id("org_1").invitation_id("inv_1").send().await;
    assert_eq!(got.expect("the mock serves on").id, "inv_1");
    let problems = mock.take_problems();
    assert_eq!(problems.len(), 3, "{problems:#?}");
}

#[tokio::test]
async fn limit_takes_any_integer_type_and_one_out_of_range_is_refused_before_io() {
    let mock = Mock::start().await;
    let page_size: usize = 2;
    mock.organization_invitations().list().organization_id("org_1").limit(page_size).returns(page(&["a"], 1));
    let got = mock.organization_invitations().list().organization_id("org_1").limit(page_size).send().await;
    assert_eq!(got.expect("a usize limit is sent").data.len(), 1);
    assert_eq!(mock.calls_to("ListOrganizationInvitations")[0].query_param("limit"), Some("2"));
    let list = || mock.organization_invitations().list().organization_id("org_1");
    let error = list().limit(u64::MAX).send().await.expect_err("past i64");
    assert!(
        matches!(&error, Error::InvalidArgument { operation: "ListOrganizationInvitations", argument: "limit", reason }
            if reason == "is out of the range of `i64`"),
        "{error:?}"
    );
    // Refused first even where the spec's bounds or a pager would say otherwise.
    let error = list().limit(u128::MAX).items().try_next().await.expect_err("refused in a pager too");
    assert!(matches!(error, Error::InvalidArgument { argument: "limit", .. }), "{error:?}");
    // Set again with a value that fits, the call goes.
    let again = list().limit(u64::MAX).limit(2u8).send().await;
    assert!(again.is_ok(), "{:?}", again.map(drop));
    assert_eq!(mock.calls_to("ListOrganizationInvitations").len(), 2, "the refused calls sent nothing");
}

#[tokio::test]
async fn public_metadata_takes_a_json_object_and_refuses_anything_else() -> Result<(), Error> {
    let mock = Mock::start().await;
    let body = CreateOrganizationInvitationRequest::new("ada@example.com", "org:member")
        .public_metadata(serde_json::json!({"team": "core"}))?;
    mock.organization_invitations().create().organization_id("org_1").body(body.clone()).returns(invitation("inv_m"));
    mock.organization_invitations().create().organization_id("org_1").body(body).send().await?;
    let sent: serde_json::Value = mock.calls_to("CreateOrganizationInvitation")[0].body_as().expect("JSON");
    assert_eq!(sent["public_metadata"], serde_json::json!({"team": "core"}));
    // A `Map` still sets it as before, with no `Result`.
    let map = serde_json::Map::new();
    let _: CreateOrganizationInvitationRequest =
        CreateOrganizationInvitationRequest::new("ada@example.com", "org:member").public_metadata(map);
    let refused = CreateOrganizationInvitationRequest::new("ada@example.com", "org:member")
        .public_metadata(serde_json::json!(["core"]))
        .expect_err("an array is not an object");
    assert_eq!(
        refused.to_string(),
        "CreateOrganizationInvitationRequest: invalid `public_metadata`: must be a JSON object, not an array"
    );
    Ok(())
}

#[tokio::test]
async fn arguments_left_unset_match_anything_required_ones_and_bodies_included() {
    let mock = Mock::start().await;
    // No invitation_id: any invitation of org_1. No body: any bulk body.
    mock.organization_invitations().get().organization_id("org_1").returns(invitation("any"));
    mock.organization_invitations().bulk_create().organization_id("org_1").returns(page(&["x"], 1));
    for id in ["inv_1", "inv_2"] {
        let got = mock.organization_invitations().get().organization_id("org_1").invitation_id(id).send().await;
        assert_eq!(got.expect("matched").id, "any");
    }
    let other_org = mock.organization_invitations().get().organization_id("org_2").invitation_id("inv_1").send().await;
    assert!(other_org.is_err(), "a set argument still has to match");
    let items = vec![CreateOrganizationInvitationBulkRequestItem::new("ada@example.com", "org:member"); 3];
    let created = mock.organization_invitations().bulk_create().organization_id("org_1").body(items).send().await;
    assert_eq!(created.expect("any body matches").data.len(), 1);
    assert_eq!(mock.take_problems().len(), 1, "only org_2 went unmatched");
}
