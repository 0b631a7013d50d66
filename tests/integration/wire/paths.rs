//! Path parameters: encoding, prefixes, and ids refused before sending.

use clerk_invitations::{CreateOrganizationInvitationBulkRequestItem, CreateOrganizationInvitationRequest};
use wiremock::MockServer;

use super::helpers::*;

#[tokio::test]
async fn get_keeps_separators_and_escapes_inside_their_path_segment() {
    let server = server_answering(ok_json(pending_json())).await;

    let result = client(&server)
        .organization_invitations()
        .get()
        .organization_id("org/../x?y")
        .invitation_id("inv #1%2F")
        .send()
        .await;

    assert_sent(
        &only_request(&server).await,
        Sent {
            method: "GET",
            path: "/organizations/org%2F..%2Fx%3Fy/invitations/inv%20%231%252F",
            query: &[],
            body: None,
        },
    );
    assert_eq!(result.expect("get succeeds on 200"), pending());
}

#[tokio::test]
async fn revoke_keeps_separators_and_escapes_inside_their_path_segment() {
    let server = server_answering(ok_json(revoked_json())).await;

    let result = client(&server)
        .organization_invitations()
        .revoke()
        .organization_id("../org\\é")
        .invitation_id("inv?x=1&y#z")
        .send()
        .await;

    assert_sent(
        &only_request(&server).await,
        Sent {
            method: "POST",
            path: "/organizations/..%2Forg%5C%C3%A9/invitations/inv%3Fx%3D1%26y%23z/revoke",
            query: &[],
            body: None,
        },
    );
    assert_eq!(result.expect("revoke succeeds on 200"), revoked());
}

#[tokio::test]
async fn a_base_url_with_a_path_prefix_and_trailing_slash_keeps_the_prefix() {
    let server = server_answering(ok_json(pending_json())).await;
    let client = builder().base_url(format!("{}/v1/", server.uri())).build().expect("a client with a prefix");

    let result = client
        .organization_invitations()
        .get()
        .organization_id("org_123")
        .invitation_id("orginv_2pending")
        .send()
        .await;

    assert_sent(
        &only_request(&server).await,
        Sent { method: "GET", path: "/v1/organizations/org_123/invitations/orginv_2pending", query: &[], body: None },
    );
    assert_eq!(result.expect("get succeeds on 200"), pending());
}

#[tokio::test]
#[allow(deprecated)]
async fn empty_and_dot_ids_are_refused_before_any_request() {
    let server = MockServer::start().await; // no mock: anything sent would be recorded
    let client = client(&server);
    let api = client.organization_invitations();
    let create = || CreateOrganizationInvitationRequest::new("ada@example.com", "org:member");
    let bulk = || vec![CreateOrganizationInvitationBulkRequestItem::new("ada@example.com", "org:member")];

    for bad in ["", ".", ".."] {
        let refusals = [
            (
                "CreateOrganizationInvitation",
                "organization_id",
                api.create().organization_id(bad).body(create()).send().await.map(drop),
            ),
            (
                "CreateOrganizationInvitationBulk",
                "organization_id",
                api.bulk_create().organization_id(bad).body(bulk()).send().await.map(drop),
            ),
            (
                "GetOrganizationInvitation",
                "organization_id",
                api.get().organization_id(bad).invitation_id("orginv_1").send().await.map(drop),
            ),
            (
                "GetOrganizationInvitation",
                "invitation_id",
                api.get().organization_id("org_123").invitation_id(bad).send().await.map(drop),
            ),
            ("ListOrganizationInvitations", "organization_id", api.list().organization_id(bad).send().await.map(drop)),
            (
                "ListPendingOrganizationInvitations",
                "organization_id",
                api.list_pending().organization_id(bad).send().await.map(drop),
            ),
            (
                "RevokeOrganizationInvitation",
                "organization_id",
                api.revoke().organization_id(bad).invitation_id("orginv_1").send().await.map(drop),
            ),
            (
                "RevokeOrganizationInvitation",
                "invitation_id",
                api.revoke().organization_id("org_123").invitation_id(bad).send().await.map(drop),
            ),
        ];
        for (operation, argument, result) in refusals {
            assert_invalid_argument(result, operation, argument, bad);
        }
    }

    assert_nothing_sent(&server, "refused calls must send nothing").await;
}
