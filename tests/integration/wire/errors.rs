//! Error statuses: each operation's Clerk errors, and bodies that are not Clerk's.

use clerk_invitations::{CreateOrganizationInvitationBulkRequestItem, CreateOrganizationInvitationRequest};
use std::time::Duration;
use wiremock::ResponseTemplate;

use super::helpers::*;

#[tokio::test]
async fn create_maps_402_to_an_api_error_with_code_and_trace_id() {
    let server = server_failing(402, &["feature_not_enabled"], "trace_create_402").await;
    let body = CreateOrganizationInvitationRequest::new("ada@example.com", "org:member");
    let result = client(&server).organization_invitations().create().organization_id("org_123").body(body).send().await;
    assert_clerk_error(
        &server,
        result,
        "CreateOrganizationInvitation",
        402,
        &["feature_not_enabled"],
        "trace_create_402",
    )
    .await;
}

#[tokio::test]
async fn bulk_create_maps_422_to_an_api_error_listing_every_code() {
    let codes = ["form_param_format_invalid", "duplicate_record"];
    let server = server_failing(422, &codes, "trace_bulk_422").await;
    let body = vec![CreateOrganizationInvitationBulkRequestItem::new("not-an-email", "org:member")];
    let result =
        client(&server).organization_invitations().bulk_create().organization_id("org_123").body(body).send().await;
    assert_clerk_error(&server, result, "CreateOrganizationInvitationBulk", 422, &codes, "trace_bulk_422").await;
}

#[tokio::test]
async fn get_maps_404_to_an_api_error_with_code_and_trace_id() {
    let server = server_failing(404, &["resource_not_found"], "trace_get_404").await;
    let result = client(&server)
        .organization_invitations()
        .get()
        .organization_id("org_123")
        .invitation_id("orginv_missing")
        .send()
        .await;
    assert_clerk_error(&server, result, "GetOrganizationInvitation", 404, &["resource_not_found"], "trace_get_404")
        .await;
}

#[tokio::test]
async fn list_maps_400_to_an_api_error_with_code_and_trace_id() {
    let server = server_failing(400, &["invalid_query_parameter"], "trace_list_400").await;
    let result = client(&server).organization_invitations().list().organization_id("org_123").send().await;
    assert_clerk_error(
        &server,
        result,
        "ListOrganizationInvitations",
        400,
        &["invalid_query_parameter"],
        "trace_list_400",
    )
    .await;
}

#[tokio::test]
#[allow(deprecated)]
async fn list_pending_maps_404_to_an_api_error_with_code_and_trace_id() {
    let server = server_failing(404, &["resource_not_found"], "trace_pending_404").await;
    let result = client(&server).organization_invitations().list_pending().organization_id("org_gone").send().await;
    let operation = "ListPendingOrganizationInvitations";
    assert_clerk_error(&server, result, operation, 404, &["resource_not_found"], "trace_pending_404").await;
}

#[tokio::test]
async fn list_all_maps_422_to_an_api_error_with_code_and_trace_id() {
    let server = server_failing(422, &["form_param_value_invalid"], "trace_all_422").await;
    let result = client(&server).organization_invitations().list_all().order_by("-nonsense").send().await;
    let operation = "ListInstanceOrganizationInvitations";
    assert_clerk_error(&server, result, operation, 422, &["form_param_value_invalid"], "trace_all_422").await;
}

#[tokio::test]
async fn revoke_maps_403_to_an_api_error_with_code_and_trace_id() {
    let server = server_failing(403, &["not_an_admin_in_organization"], "trace_revoke_403").await;
    let result = client(&server)
        .organization_invitations()
        .revoke()
        .organization_id("org_123")
        .invitation_id("orginv_1")
        .send()
        .await;
    let operation = "RevokeOrganizationInvitation";
    assert_clerk_error(&server, result, operation, 403, &["not_an_admin_in_organization"], "trace_revoke_403").await;
}

#[tokio::test]
async fn non_json_error_body_is_kept_as_text_with_retry_after() {
    let page = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    let response = ResponseTemplate::new(502).set_body_raw(page, "text/html").insert_header("Retry-After", "7");
    let server = server_answering(response).await;

    let result = client(&server)
        .organization_invitations()
        .get()
        .organization_id("org_123")
        .invitation_id("orginv_1")
        .send()
        .await;

    only_request(&server).await;
    let error = result.expect_err("502 must fail the call");
    let api = error.api().unwrap_or_else(|| panic!("expected Error::Api, got {error:?}"));
    assert_eq!((api.operation, api.status), ("GetOrganizationInvitation", 502));
    assert!(api.json().is_none(), "an HTML body is not Clerk's error JSON: {:?}", api.json());
    assert_eq!(api.body.as_deref(), Some(page));
    assert!(api.codes().is_empty());
    assert_eq!((error.code(), error.status()), (None, Some(502)));
    assert_eq!(api.trace_id(), None);
    assert_eq!(api.retry_after, Some(Duration::from_secs(7)));
    let shown = error.to_string();
    assert!(shown.contains("GetOrganizationInvitation") && shown.contains("502"), "{shown}");
    assert_no_secret("a non-JSON API error's Display", &shown);
    assert_no_secret("a non-JSON API error's Debug", &format!("{error:?}"));
}
