//! Requests and decoded responses, one operation at a time.

use clerk_invitations::{
    CreateOrganizationInvitationBulkRequestItem, CreateOrganizationInvitationRequest,
    ListInstanceOrganizationInvitationsStatus, ListOrganizationInvitationsStatus,
    OrganizationInvitationPublicOrganizationData, OrganizationInvitations,
    OrganizationInvitationsWithPublicOrganizationData, RevokeOrganizationInvitationRequest,
};
use serde_json::{json, Value};

use super::helpers::*;

#[tokio::test]
async fn create_posts_set_fields_sends_null_for_some_none_and_omits_unset_fields() {
    let server = server_answering(ok_json(pending_json())).await;
    let body = CreateOrganizationInvitationRequest::new("ada+test@example.com", "org:member")
        .inviter_user_id_null()
        .redirect_url("https://app.example.com/welcome?from=invite");

    let result = client(&server).organization_invitations().create().organization_id("org_123").body(body).send().await;

    let request = only_request(&server).await;
    let expected = json!({
        "email_address": "ada+test@example.com",
        "role": "org:member",
        "inviter_user_id": null,
        "redirect_url": "https://app.example.com/welcome?from=invite"
    });
    assert_sent(
        &request,
        Sent { method: "POST", path: "/organizations/org_123/invitations", query: &[], body: Some(expected) },
    );
    let sent: Value = request.body_json().expect("the body is JSON");
    for unset in ["public_metadata", "private_metadata", "expires_in_days", "notify"] {
        assert!(sent.get(unset).is_none(), "unset `{unset}` must be absent, not null: {sent}");
    }
    assert_eq!(result.expect("create succeeds on 200"), pending());
}

#[tokio::test]
async fn bulk_create_posts_a_json_array_and_decodes_the_page() {
    let server = server_answering(ok_json(page_json(vec![pending_json(), revoked_json()], 2))).await;
    let body = vec![
        CreateOrganizationInvitationBulkRequestItem::new("ada+test@example.com", "org:member"),
        CreateOrganizationInvitationBulkRequestItem::new("bob@example.com", "org:admin")
            .inviter_user_id("user_admin")
            .public_metadata(map(json!({"team": "compilers"})))
            .private_metadata_null()
            .redirect_url("https://app.example.com/welcome")
            .expires_in_days(7)
            .notify(false),
    ];

    let result =
        client(&server).organization_invitations().bulk_create().organization_id("org_123").body(body).send().await;

    let expected = json!([
        {"email_address": "ada+test@example.com", "role": "org:member"},
        {
            "email_address": "bob@example.com",
            "role": "org:admin",
            "inviter_user_id": "user_admin",
            "public_metadata": {"team": "compilers"},
            "private_metadata": null,
            "redirect_url": "https://app.example.com/welcome",
            "expires_in_days": 7,
            "notify": false
        }
    ]);
    assert_sent(
        &only_request(&server).await,
        Sent { method: "POST", path: "/organizations/org_123/invitations/bulk", query: &[], body: Some(expected) },
    );
    assert_eq!(
        result.expect("bulk_create succeeds on 200"),
        OrganizationInvitations::new(vec![pending(), revoked()], 2)
    );
}

#[tokio::test]
async fn get_sends_a_bodiless_get_and_decodes_every_field() {
    let server = server_answering(ok_json(pending_json())).await;

    let result = client(&server)
        .organization_invitations()
        .get()
        .organization_id("org_123")
        .invitation_id("orginv_2pending")
        .send()
        .await;

    assert_sent(
        &only_request(&server).await,
        Sent { method: "GET", path: "/organizations/org_123/invitations/orginv_2pending", query: &[], body: None },
    );
    assert_eq!(result.expect("get succeeds on 200"), pending());
}

#[tokio::test]
async fn list_sends_query_parameters_encoded_and_in_spec_order() {
    let server = server_answering(ok_json(page_json(vec![pending_json(), revoked_json()], 42))).await;

    // Set in the reverse of the spec's order: the wire order is the spec's.
    let result = client(&server)
        .organization_invitations()
        .list()
        .offset(40)
        .limit(20)
        .order_by("+email_address")
        .email_address("ada+test@example.com")
        .status(ListOrganizationInvitationsStatus::Pending)
        .organization_id("org_123")
        .send()
        .await;

    let query = [
        ("status", "pending"),
        ("email_address", "ada+test@example.com"),
        ("order_by", "+email_address"),
        ("limit", "20"),
        ("offset", "40"),
    ];
    assert_sent(
        &only_request(&server).await,
        Sent { method: "GET", path: "/organizations/org_123/invitations", query: &query, body: None },
    );
    assert_eq!(result.expect("list succeeds on 200"), OrganizationInvitations::new(vec![pending(), revoked()], 42));
}

#[tokio::test]
#[allow(deprecated)]
async fn list_pending_sends_limit_and_offset() {
    let server = server_answering(ok_json(page_json(vec![pending_json()], 11))).await;

    let result = client(&server)
        .organization_invitations()
        .list_pending()
        .organization_id("org_123")
        .limit(5)
        .offset(10)
        .send()
        .await;

    assert_sent(
        &only_request(&server).await,
        Sent {
            method: "GET",
            path: "/organizations/org_123/invitations/pending",
            query: &[("limit", "5"), ("offset", "10")],
            body: None,
        },
    );
    assert_eq!(result.expect("list_pending succeeds on 200"), OrganizationInvitations::new(vec![pending()], 11));
}

#[tokio::test]
async fn list_all_sends_query_parameters_and_decodes_public_organization_data() {
    let acme_json = json!({
        "id": "org_123",
        "name": "Acme, Inc.",
        "slug": "acme",
        "image_url": "https://img.clerk.com/org_123.png",
        "has_image": true
    });
    let globex_json = json!({"id": "org_456", "name": "Globex", "slug": "globex", "has_image": false});
    let mut first = pending_json();
    first["public_organization_data"] = acme_json;
    let mut second = revoked_json();
    second["public_organization_data"] = globex_json;
    let server = server_answering(ok_json(page_json(vec![first, second], 2))).await;

    let result = client(&server)
        .organization_invitations()
        .list_all()
        .order_by("-created_at")
        .status(ListInstanceOrganizationInvitationsStatus::Revoked)
        .query("ada lovelace@example.com")
        .limit(2)
        .offset(0)
        .send()
        .await;

    let query = [
        ("order_by", "-created_at"),
        ("status", "revoked"),
        ("query", "ada lovelace@example.com"),
        ("limit", "2"),
        ("offset", "0"),
    ];
    assert_sent(
        &only_request(&server).await,
        Sent { method: "GET", path: "/organization_invitations", query: &query, body: None },
    );
    let organization = |id: &str, name: &str, slug: &str, has_image: bool| {
        OrganizationInvitationPublicOrganizationData::builder().id(id).name(name).slug(slug).has_image(has_image)
    };
    let acme = organization("org_123", "Acme, Inc.", "acme", true)
        .image_url("https://img.clerk.com/org_123.png")
        .build()
        .expect("every required field is set");
    let globex = organization("org_456", "Globex", "globex", false).build().expect("every required field is set");
    assert_eq!(globex.image_url, None);
    assert_eq!(
        result.expect("list_all succeeds on 200"),
        OrganizationInvitationsWithPublicOrganizationData::new(
            vec![with_organization(pending(), Some(acme)), with_organization(revoked(), Some(globex))],
            2,
        )
    );
}

#[tokio::test]
#[allow(deprecated)]
async fn list_operations_with_default_params_send_no_query_string() {
    let server = server_answering(ok_json(page_json(vec![], 0))).await;
    let client = client(&server);
    let api = client.organization_invitations();

    let list = api.list().organization_id("org_123").send().await.expect("list succeeds on 200");
    let pending = api.list_pending().organization_id("org_123").send().await.expect("list_pending succeeds on 200");
    let all = api.list_all().send().await.expect("list_all succeeds on 200");

    let empty = OrganizationInvitations::new(vec![], 0);
    assert_eq!((list, pending), (empty.clone(), empty));
    assert_eq!(all, OrganizationInvitationsWithPublicOrganizationData::new(vec![], 0));
    let requests = server.received_requests().await.expect("request recording is enabled");
    let paths = [
        "/organizations/org_123/invitations",
        "/organizations/org_123/invitations/pending",
        "/organization_invitations",
    ];
    assert_eq!(requests.len(), paths.len(), "one request per call: {requests:#?}");
    for (request, path) in requests.iter().zip(paths) {
        assert_sent(request, Sent { method: "GET", path, query: &[], body: None });
    }
}

#[tokio::test]
async fn revoke_without_a_body_sends_no_body_and_no_content_type() {
    let server = server_answering(ok_json(revoked_json())).await;

    let result = client(&server)
        .organization_invitations()
        .revoke()
        .organization_id("org_123")
        .invitation_id("orginv_9revoked")
        .send()
        .await;

    assert_sent(
        &only_request(&server).await,
        Sent {
            method: "POST",
            path: "/organizations/org_123/invitations/orginv_9revoked/revoke",
            query: &[],
            body: None,
        },
    );
    assert_eq!(result.expect("revoke succeeds on 200"), revoked());
}

#[tokio::test]
async fn revoke_with_a_requesting_user_sends_it_as_json() {
    let server = server_answering(ok_json(revoked_json())).await;
    let body = RevokeOrganizationInvitationRequest::new().requesting_user_id("user_1");

    let result = client(&server)
        .organization_invitations()
        .revoke()
        .organization_id("org_123")
        .invitation_id("orginv_9revoked")
        .body(body)
        .send()
        .await;

    assert_sent(
        &only_request(&server).await,
        Sent {
            method: "POST",
            path: "/organizations/org_123/invitations/orginv_9revoked/revoke",
            query: &[],
            body: Some(json!({"requesting_user_id": "user_1"})),
        },
    );
    assert_eq!(result.expect("revoke succeeds on 200"), revoked());
}
