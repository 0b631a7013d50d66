//! What decoding promises: optional parts, the spec's error model, nullable fields.

use clerk_invitations::{ClerkErrors, Error};
use serde_json::json;
use wiremock::ResponseTemplate;

use super::helpers::*;

#[tokio::test]
async fn an_error_body_missing_optional_parts_still_lists_its_codes() {
    // No `long_message`, no `meta`, no `clerk_trace_id`: Clerk's older documents
    // and some endpoints send less than the newest `ClerkErrors` schema.
    let body = json!({"errors": [{"code": "form_param_missing", "message": "email_address is missing"}]});
    let server = server_answering(ResponseTemplate::new(422).set_body_json(body)).await;

    let result = client(&server)
        .organization_invitations()
        .get()
        .organization_id("org_123")
        .invitation_id("orginv_1")
        .send()
        .await;

    only_request(&server).await;
    let error = result.expect_err("422");
    let api = error.api().unwrap_or_else(|| panic!("expected Error::Api, got {error:?}"));
    assert_eq!(api.codes(), ["form_param_missing"]);
    assert_eq!(api.trace_id(), None);
    assert_eq!((error.code(), error.trace_id()), (Some("form_param_missing"), None));
    assert!(error.to_string().contains("form_param_missing"), "{error}");
}

#[tokio::test]
async fn an_api_error_decodes_as_the_specs_error_model_on_request() {
    let server = server_failing(404, &["resource_not_found"], "trace_typed").await;

    let result = client(&server)
        .organization_invitations()
        .get()
        .organization_id("org_123")
        .invitation_id("orginv_1")
        .send()
        .await;

    let error = result.expect_err("404");
    assert!(error.is_not_found(), "{error:?}");
    let api = error.api().unwrap_or_else(|| panic!("expected Error::Api, got {error:?}"));
    let typed: ClerkErrors = api.body_as().expect("the body is the spec's ClerkErrors");
    assert_eq!(typed.clerk_trace_id.as_deref(), Some("trace_typed"));
    assert_eq!(typed.errors[0].code, "resource_not_found");
    assert_eq!(typed.errors[0].long_message, "resource_not_found: the long explanation");
    assert!(!api.body_truncated());
    assert!(api.body_as::<Vec<String>>().is_err(), "another shape is an error, not a panic");
}

#[tokio::test]
async fn a_missing_nullable_field_decodes_as_none_but_a_missing_id_is_an_error() {
    let mut body = pending_json();
    let fields = body.as_object_mut().expect("an object");
    for nullable in ["inviter_id", "public_inviter_data", "url", "expires_at"] {
        fields.remove(nullable);
    }
    let server = server_answering(ok_json(body)).await;
    let invitation = client(&server)
        .organization_invitations()
        .get()
        .organization_id("org_123")
        .invitation_id("orginv_2pending")
        .send()
        .await;
    let mut expected = pending();
    expected.inviter_id = None;
    expected.public_inviter_data = None;
    expected.url = None;
    expected.expires_at = None;
    assert_eq!(invitation.expect("a dropped nullable field reads as null"), expected);

    let mut body = pending_json();
    body.as_object_mut().expect("an object").remove("id");
    let server = server_answering(ok_json(body)).await;
    let error = client(&server)
        .organization_invitations()
        .get()
        .organization_id("org_123")
        .invitation_id("orginv_2pending")
        .send()
        .await
        .expect_err("no id");
    match &error {
        Error::Decode { operation, message, .. } => {
            assert_eq!(*operation, "GetOrganizationInvitation");
            assert!(message.contains("missing field `id`"), "{message}");
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }
}
