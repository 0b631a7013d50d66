//! Wire tests: the generated client against a real HTTP server on 127.0.0.1.
//!
//! Every mock answers any request (`any()`), so a misbehaving client still gets a
//! response and the test fails on the recorded request, showing what was sent,
//! instead of on a bare 404 from an unmatched mock.

use std::time::Duration;

use clerk_invitations::limits;
use clerk_invitations::{
    ClerkErrors, Client, ClientBuilder, CreateOrganizationInvitationBulkRequestItem,
    CreateOrganizationInvitationRequest, Error, ListInstanceOrganizationInvitationsParams,
    ListInstanceOrganizationInvitationsStatus, ListOrganizationInvitationsParams, ListOrganizationInvitationsStatus,
    ListPendingOrganizationInvitationsParams, OrganizationInvitation, OrganizationInvitationObject,
    OrganizationInvitationPublicOrganizationData, OrganizationInvitationPublicUserData,
    OrganizationInvitationWithPublicOrganizationData, OrganizationInvitationWithPublicOrganizationDataObject,
    OrganizationInvitations, OrganizationInvitationsWithPublicOrganizationData, Retries,
    RevokeOrganizationInvitationRequest, API_VERSION,
};
use futures_util::StreamExt;
use serde_json::{json, Map, Value};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

pub(crate) const SECRET: &str = "sk_test_wire9SECRETvalue";
/// The part of the secret that must never show up anywhere (the prefix is public).
pub(crate) const SECRET_VALUE: &str = "wire9SECRETvalue";

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/// Retries are off here: each test pins down one exchange. `faults.rs` tests retries.
fn builder() -> ClientBuilder {
    Client::builder(SECRET).retries(Retries::off())
}

fn client(server: &MockServer) -> Client {
    builder().base_url(server.uri()).build().expect("a client for the mock server")
}

/// A mock server answering every request with `response`.
async fn server_answering(response: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(response).mount(&server).await;
    server
}

pub(crate) fn ok_json(body: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(body)
}

/// The one request the server received; fails showing all of them otherwise.
pub(crate) async fn only_request(server: &MockServer) -> Request {
    let mut requests = server.received_requests().await.expect("request recording is enabled");
    assert_eq!(requests.len(), 1, "expected exactly one request, received: {requests:#?}");
    requests.pop().expect("one request")
}

/// The single value of header `name`, if sent; fails if it was sent twice.
pub(crate) fn header<'r>(request: &'r Request, name: &str) -> Option<&'r str> {
    let mut values = request.headers.get_all(name).iter();
    let first = values.next()?;
    assert!(values.next().is_none(), "`{name}` was sent more than once: {:?}", request.headers);
    Some(first.to_str().unwrap_or_else(|_| panic!("`{name}` is not visible ASCII: {first:?}")))
}

/// What one request must look like on the wire.
struct Sent<'a> {
    method: &'a str,
    /// The raw (still percent-encoded) path.
    path: &'a str,
    /// Decoded query pairs, in order; empty means no query string at all.
    query: &'a [(&'a str, &'a str)],
    /// The JSON body; `None` means no body and no `Content-Type`.
    body: Option<Value>,
}

fn assert_sent(request: &Request, expected: Sent<'_>) {
    let shown = format!("{} {}", request.method, request.url);
    assert_eq!(request.method.as_str(), expected.method, "method of {shown}");
    assert_eq!(request.url.path(), expected.path, "path of {shown}");
    if expected.query.is_empty() {
        assert_eq!(request.url.query(), None, "query string of {shown}");
    } else {
        let sent: Vec<(String, String)> =
            request.url.query_pairs().map(|(name, value)| (name.into_owned(), value.into_owned())).collect();
        let wanted: Vec<(String, String)> =
            expected.query.iter().map(|(name, value)| (name.to_string(), value.to_string())).collect();
        assert_eq!(sent, wanted, "query pairs of {shown}");
    }

    let bearer = format!("Bearer {SECRET}");
    assert_eq!(header(request, "authorization"), Some(bearer.as_str()), "Authorization of {shown}");
    assert_eq!(API_VERSION, "2026-05-12");
    assert_eq!(header(request, "clerk-api-version"), Some(API_VERSION), "Clerk-API-Version of {shown}");
    assert_eq!(header(request, "accept"), Some("application/json"), "Accept of {shown}");
    let user_agent = header(request, "user-agent").unwrap_or_else(|| panic!("no User-Agent on {shown}"));
    // The generated crate's and the runtime's names and versions, e.g.
    // `clerk-invitations/0.1.0 clerk-bapi-runtime/0.1.0`.
    let is_version = |version: &str| !version.is_empty() && version.chars().all(|c| c.is_ascii_digit() || c == '.');
    let products: Vec<(&str, &str)> = user_agent.split(' ').filter_map(|product| product.split_once('/')).collect();
    assert!(
        products.len() == 2
            && products[0].0 == "clerk-invitations"
            && products[1].0 == "clerk-bapi-runtime"
            && products.iter().all(|(_, version)| is_version(version)),
        "User-Agent of {shown}: {user_agent}"
    );

    match expected.body {
        Some(body) => {
            assert_eq!(header(request, "content-type"), Some("application/json"), "Content-Type of {shown}");
            let sent: Value = request.body_json().unwrap_or_else(|error| {
                panic!("body of {shown} is not JSON ({error}): {}", String::from_utf8_lossy(&request.body))
            });
            assert_eq!(sent, body, "JSON body of {shown}");
        }
        None => {
            assert_eq!(header(request, "content-type"), None, "Content-Type of bodiless {shown}");
            assert!(request.body.is_empty(), "{shown} has a body: {}", String::from_utf8_lossy(&request.body));
        }
    }
}

fn map(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        other => panic!("not a JSON object: {other}"),
    }
}

fn assert_no_secret(what: &str, text: &str) {
    assert!(!text.contains(SECRET_VALUE), "the secret key shows in {what}: {text}");
}

// ---------------------------------------------------------------------------
// Fixtures: each JSON body next to the value it must decode to.
// ---------------------------------------------------------------------------

/// A pending invitation: every field of the schema present and non-null.
pub(crate) fn pending_json() -> Value {
    json!({
        "object": "organization_invitation",
        "id": "orginv_2pending",
        "email_address": "ada+test@example.com",
        "role": "org:member",
        "role_name": "Member",
        "organization_id": "org_123",
        "inviter_id": "user_admin",
        "public_inviter_data": {
            "user_id": "user_admin",
            "first_name": "Grace",
            "last_name": null,
            "image_url": "https://img.clerk.com/user_admin.png",
            "has_image": true,
            "identifier": "grace@example.com"
        },
        "status": "pending",
        "public_metadata": {"team": "compilers", "seats": 3},
        "private_metadata": {"source": "wire-test", "nested": {"tier": "gold"}},
        "url": "https://accounts.example.com/v1/tickets/accept?ticket=tkt_abc",
        "expires_at": 1_769_817_600_000_i64,
        "created_at": 1_767_225_600_000_i64,
        "updated_at": 1_767_225_601_000_i64
    })
}

/// `pending_json()` built by hand: models are `#[non_exhaustive]`, so through
/// their builders, every field set by name (`build` checks the required ones).
pub(crate) fn pending() -> OrganizationInvitation {
    let inviter = OrganizationInvitationPublicUserData::builder()
        .user_id("user_admin")
        .first_name(Some("Grace".into()))
        .last_name(None)
        .image_url("https://img.clerk.com/user_admin.png")
        .has_image(true)
        .identifier("grace@example.com")
        .build()
        .expect("every required field is set");
    OrganizationInvitation::builder()
        .object(OrganizationInvitationObject::OrganizationInvitation)
        .id("orginv_2pending")
        .email_address("ada+test@example.com")
        .role("org:member")
        .role_name("Member")
        .inviter_id(Some("user_admin".into()))
        .public_inviter_data(Some(inviter))
        .public_metadata(map(json!({"team": "compilers", "seats": 3})))
        .url(Some("https://accounts.example.com/v1/tickets/accept?ticket=tkt_abc".into()))
        .expires_at(Some(1_769_817_600_000))
        .created_at(1_767_225_600_000)
        .updated_at(1_767_225_601_000)
        .organization_id("org_123")
        .status("pending")
        .private_metadata(map(json!({"source": "wire-test", "nested": {"tier": "gold"}})))
        .build()
        .expect("every required field is set")
}

/// A revoked invitation: `url`, `expires_at` and the inviter are null, the optional
/// `organization_id` and `private_metadata` are absent.
fn revoked_json() -> Value {
    json!({
        "object": "organization_invitation",
        "id": "orginv_9revoked",
        "email_address": "bob@example.com",
        "role": "org:admin",
        "role_name": "Admin",
        "inviter_id": null,
        "public_inviter_data": null,
        "status": "revoked",
        "public_metadata": {},
        "url": null,
        "expires_at": null,
        "created_at": 1_760_000_000_000_i64,
        "updated_at": 1_760_000_500_000_i64
    })
}

fn revoked() -> OrganizationInvitation {
    let revoked = OrganizationInvitation::builder()
        .object(OrganizationInvitationObject::OrganizationInvitation)
        .id("orginv_9revoked")
        .email_address("bob@example.com")
        .role("org:admin")
        .role_name("Admin")
        .inviter_id(None)
        .public_inviter_data(None)
        .public_metadata(Map::new())
        .url(None)
        .expires_at(None)
        .created_at(1_760_000_000_000)
        .updated_at(1_760_000_500_000)
        .status("revoked")
        .build()
        .expect("every required field is set");
    assert_eq!((&revoked.organization_id, &revoked.private_metadata), (&None, &None), "optionals start unset");
    revoked
}

/// A builder with a required field left unset names it, instead of building.
#[test]
fn a_builder_names_the_first_required_field_left_unset() {
    let error = OrganizationInvitation::builder().id("orginv_1").build().expect_err("most fields are unset");
    assert_eq!((error.type_name, error.field), ("OrganizationInvitation", "object"));
    assert_eq!(error.to_string(), "`OrganizationInvitation` needs `object`, which was not set");
}

pub(crate) fn page_json(data: Vec<Value>, total_count: i64) -> Value {
    json!({ "data": data, "total_count": total_count })
}

/// `invitation` as `ListInstanceOrganizationInvitations` returns it. The models are
/// `#[non_exhaustive]`, so a destructuring that fails to compile on a new field is
/// not possible here; instead every field the invitation serialises must come out
/// of the copy unchanged.
fn with_organization(
    invitation: OrganizationInvitation,
    public_organization_data: Option<OrganizationInvitationPublicOrganizationData>,
) -> OrganizationInvitationWithPublicOrganizationData {
    let original = serde_json::to_value(&invitation).expect("an invitation serialises");
    let mut copy = OrganizationInvitationWithPublicOrganizationData::builder()
        .object(OrganizationInvitationWithPublicOrganizationDataObject::from(invitation.object))
        .id(invitation.id)
        .email_address(invitation.email_address)
        .role(invitation.role)
        .role_name(invitation.role_name)
        .inviter_id(invitation.inviter_id)
        .public_inviter_data(invitation.public_inviter_data)
        .public_metadata(invitation.public_metadata)
        .url(invitation.url)
        .expires_at(invitation.expires_at)
        .created_at(invitation.created_at)
        .updated_at(invitation.updated_at)
        .build()
        .expect("every required field is set");
    copy.organization_id = invitation.organization_id;
    copy.status = invitation.status;
    copy.private_metadata = invitation.private_metadata;
    copy.public_organization_data = public_organization_data;

    let mut copied = serde_json::to_value(&copy).expect("an invitation with organization data serialises");
    copied.as_object_mut().expect("an object").remove("public_organization_data");
    assert_eq!(copied, original, "with_organization must copy every field of the invitation");
    copy
}

/// A Clerk error body listing `codes`.
fn clerk_errors_json(codes: &[&str], trace: &str) -> Value {
    let errors: Vec<Value> = codes
        .iter()
        .map(|code| {
            json!({
                "message": format!("{code} message"),
                "long_message": format!("{code}: the long explanation"),
                "code": code,
                "meta": {}
            })
        })
        .collect();
    json!({ "errors": errors, "clerk_trace_id": trace })
}

/// A server answering every request with `status` and a Clerk error body.
async fn server_failing(status: u16, codes: &[&str], trace: &str) -> MockServer {
    server_answering(ResponseTemplate::new(status).set_body_json(clerk_errors_json(codes, trace))).await
}

/// `result` is the Clerk error the server sent, in one request, without the secret.
async fn assert_clerk_error<T: std::fmt::Debug>(
    server: &MockServer,
    result: Result<T, Error>,
    operation: &str,
    status: u16,
    codes: &[&str],
    trace: &str,
) {
    only_request(server).await;
    let error = result.expect_err("an error status must fail the call");
    let api = match &error {
        Error::Api(api) => api,
        other => panic!("expected Error::Api, got {other:?}"),
    };
    assert_eq!(error.api().map(|api| api.status), Some(status), "Error::api() of {error:?}");
    assert_eq!(error.status(), Some(status), "Error::status() of {error:?}");
    assert_eq!(error.code(), Some(codes[0]), "Error::code() is the first code: {error:?}");
    assert_eq!(error.clerk_trace_id(), Some(trace), "Error::clerk_trace_id() of {error:?}");
    assert_eq!(error.is_not_found(), status == 404);
    assert!(!error.is_rate_limited() && !error.is_timeout() && !error.is_invalid_argument(), "{error:?}");
    assert_eq!(api.operation, operation);
    assert_eq!(api.status, status);
    assert_eq!(api.codes(), codes);
    assert_eq!(api.clerk_trace_id(), Some(trace));
    assert_eq!(api.body, None, "a Clerk error body is parsed, not kept as text");
    let clerk = api.clerk.as_ref().expect("the Clerk error body is parsed");
    assert_eq!(clerk.errors.len(), codes.len());
    for (listed, code) in clerk.errors.iter().zip(codes) {
        assert_eq!(listed.code, *code);
        assert_eq!(listed.message, format!("{code} message"));
        assert_eq!(listed.long_message, format!("{code}: the long explanation"));
        assert_eq!(listed.meta, Some(json!({})));
    }
    let shown = error.to_string();
    for part in [operation, &status.to_string(), codes[0]] {
        assert!(shown.contains(part), "`{shown}` does not mention `{part}`");
    }
    assert_no_secret("an API error's Display", &shown);
    assert_no_secret("an API error's Debug", &format!("{error:?}"));
}

fn assert_invalid_argument(result: Result<(), Error>, operation: &str, argument: &str, value: &str) {
    match result {
        Err(Error::InvalidArgument { operation: op, argument: arg, reason }) => {
            assert_eq!((op, arg), (operation, argument), "refusal of {value:?}: {reason}");
            assert!(!reason.is_empty());
        }
        other => panic!("{operation} with {argument} = {value:?}: expected InvalidArgument, got {other:?}"),
    }
}

/// Fails unless the server received nothing.
async fn assert_nothing_sent(server: &MockServer, why: &str) {
    let received = server.received_requests().await.expect("request recording is enabled");
    assert!(received.is_empty(), "{why}, received: {received:#?}");
}

// ---------------------------------------------------------------------------
// Requests and decoded responses, one operation at a time
// ---------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------
// Error statuses
// ---------------------------------------------------------------------------

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
    assert!(api.clerk.is_none(), "an HTML body is not Clerk's error JSON: {:?}", api.clerk);
    assert_eq!(api.body.as_deref(), Some(page));
    assert!(api.codes().is_empty());
    assert_eq!((error.code(), error.status()), (None, Some(502)));
    assert_eq!(api.clerk_trace_id(), None);
    assert_eq!(api.retry_after, Some(Duration::from_secs(7)));
    let shown = error.to_string();
    assert!(shown.contains("GetOrganizationInvitation") && shown.contains("502"), "{shown}");
    assert_no_secret("a non-JSON API error's Display", &shown);
    assert_no_secret("a non-JSON API error's Debug", &format!("{error:?}"));
}

// ---------------------------------------------------------------------------
// Path parameters
// ---------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------
// Decoding, transport and the secret
// ---------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------
// What decoding promises
// ---------------------------------------------------------------------------

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
    assert_eq!(api.clerk_trace_id(), None);
    assert_eq!((error.code(), error.clerk_trace_id()), (Some("form_param_missing"), None));
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

// ---------------------------------------------------------------------------
// The call builders
// ---------------------------------------------------------------------------

/// A metadata value nested `depth` levels deep, built without recursion.
fn nested_metadata(depth: usize) -> Map<String, Value> {
    let mut value = Value::from(1);
    for _ in 0..depth {
        let mut inner = Map::new();
        inner.insert("a".to_owned(), value);
        value = Value::Object(inner);
    }
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn metadata_nested_too_deep_is_refused_before_serialising_and_nothing_is_sent() {
    let server = MockServer::start().await; // no mock: anything sent would be recorded
    let invitations = client(&server).organization_invitations();
    let refused = |result: Result<(), Error>| match result {
        Err(Error::InvalidArgument { operation, argument, reason }) => format!("{operation} `{argument}`: {reason}"),
        other => format!("{other:?}"),
    };
    // 100,000 levels: serialising, copying or dropping them recursively
    // overflows the 2 MiB stack of the Tokio worker each call runs on. The
    // call owns the body and drops it there, torn down without recursion.
    let body = CreateOrganizationInvitationRequest::new("ada@example.com", "org:member")
        .public_metadata(nested_metadata(100_000));
    let call = invitations.create().organization_id("org_1").body(body);
    let result = tokio::spawn(async move { call.send().await.map(drop) }).await.expect("no panic");
    assert_eq!(refused(result), "CreateOrganizationInvitation `public_metadata`: nests deeper than 128 levels");
    // `send_chunked` checks the whole body before copying any chunk.
    let items = vec![
        CreateOrganizationInvitationBulkRequestItem::new("ada@example.com", "org:member"),
        CreateOrganizationInvitationBulkRequestItem::new("bob@example.com", "org:member")
            .private_metadata(nested_metadata(100_000)),
    ];
    let call = invitations.bulk_create().organization_id("org_1").body(items);
    let result = tokio::spawn(async move { call.send_chunked().await.map(drop) }).await.expect("no panic");
    assert_eq!(refused(result), "CreateOrganizationInvitationBulk `private_metadata`: nests deeper than 128 levels");

    // Within the documented depth it is sent as it is: the list, an item, and
    // its metadata with 126 levels inside make 128.
    let item = CreateOrganizationInvitationBulkRequestItem::new("ada@example.com", "org:member")
        .private_metadata(nested_metadata(126));
    let result = invitations.bulk_create().organization_id("org_1").body(vec![item.clone()]).send().await;
    assert!(result.is_err(), "the server has no mock, so the call fails, but after sending");
    let item = item.private_metadata(nested_metadata(127));
    let result = invitations.bulk_create().organization_id("org_1").body(vec![item]).send().await.map(drop);
    assert_eq!(refused(result), "CreateOrganizationInvitationBulk `private_metadata`: nests deeper than 128 levels");
    let requests = server.received_requests().await.expect("recorded");
    assert_eq!(requests.len(), 1, "only the bulk call within the depth was sent");
}

#[tokio::test]
#[allow(deprecated)]
async fn a_required_argument_left_unset_is_refused_and_nothing_is_sent() {
    let server = MockServer::start().await; // no mock: anything sent would be recorded
    let clerk = client(&server);
    let api = clerk.organization_invitations();
    let create = || CreateOrganizationInvitationRequest::new("ada@example.com", "org:member");
    let item = || CreateOrganizationInvitationBulkRequestItem::new("ada@example.com", "org:member");

    let refusals = [
        ("CreateOrganizationInvitation", "organization_id", api.create().body(create()).send().await.map(drop)),
        ("CreateOrganizationInvitation", "body", api.create().organization_id("org_1").send().await.map(drop)),
        (
            "CreateOrganizationInvitationBulk",
            "organization_id",
            api.bulk_create().body(vec![item()]).send().await.map(drop),
        ),
        ("CreateOrganizationInvitationBulk", "body", api.bulk_create().organization_id("org_1").send().await.map(drop)),
        ("GetOrganizationInvitation", "organization_id", api.get().send().await.map(drop)),
        ("GetOrganizationInvitation", "organization_id", api.get().invitation_id("orginv_1").send().await.map(drop)),
        ("GetOrganizationInvitation", "invitation_id", api.get().organization_id("org_1").send().await.map(drop)),
        (
            "GetOrganizationInvitation",
            "invitation_id",
            api.get().organization_id("org_1").send_with_metadata().await.map(drop),
        ),
        ("ListOrganizationInvitations", "organization_id", api.list().limit(10).send().await.map(drop)),
        ("ListPendingOrganizationInvitations", "organization_id", api.list_pending().send().await.map(drop)),
        (
            "RevokeOrganizationInvitation",
            "organization_id",
            api.revoke().invitation_id("orginv_1").send().await.map(drop),
        ),
        (
            "RevokeOrganizationInvitation",
            "invitation_id",
            api.revoke()
                .organization_id("org_1")
                .body(RevokeOrganizationInvitationRequest::new().requesting_user_id("user_1"))
                .send()
                .await
                .map(drop),
        ),
    ];
    for (operation, argument, result) in refusals {
        let error = result.as_ref().expect_err("a required argument is missing");
        assert!(error.is_invalid_argument(), "{operation} without {argument}: {error:?}");
        assert!(error.to_string().contains(argument), "{error}");
        assert_invalid_argument(result, operation, argument, "(unset)");
    }

    // A list stream reports the refusal as its first item, then ends.
    let mut items = api.list().limit(2).items();
    let error = items.try_next().await.expect_err("no organization_id");
    assert!(
        matches!(
            error,
            Error::InvalidArgument { operation: "ListOrganizationInvitations", argument: "organization_id", .. }
        ),
        "{error:?}"
    );
    assert!(items.try_next().await.expect("one error only").is_none());
    let mut pages = api.list_pending().pages();
    let error = pages.try_next().await.expect_err("no organization_id");
    assert!(
        matches!(
            error,
            Error::InvalidArgument { operation: "ListPendingOrganizationInvitations", argument: "organization_id", .. }
        ),
        "{error:?}"
    );
    assert!(pages.try_next().await.expect("one error only").is_none());

    // A chunked bulk call reports the refusal for every chunk.
    let chunks = api.bulk_create().body((0..12).map(|_| item()).collect()).send_chunked().await.expect("a body");
    let ranges: Vec<_> = chunks.iter().map(|chunk| chunk.items.clone()).collect();
    assert_eq!(ranges, [0..10, 10..12]);
    for chunk in chunks {
        let result = chunk.result.map(drop);
        assert_invalid_argument(result, "CreateOrganizationInvitationBulk", "organization_id", "(unset)");
    }

    // So is a chunked call without a body, which would otherwise look like success.
    let result = api.bulk_create().organization_id("org_1").send_chunked().await.map(drop);
    assert_invalid_argument(result, "CreateOrganizationInvitationBulk", "body", "(unset)");

    assert_nothing_sent(&server, "a call missing a required argument must send nothing").await;
}

#[tokio::test]
async fn a_header_set_on_a_call_is_sent_alongside_the_clients_own() {
    let server = server_answering(ok_json(pending_json())).await;
    let body = CreateOrganizationInvitationRequest::new("ada@example.com", "org:member");

    let result = client(&server)
        .organization_invitations()
        .create()
        .organization_id("org_123")
        .body(body)
        .header("Prefer", "code=404")
        .header("X-Request-Tag", "wire-test")
        .send()
        .await;

    let request = only_request(&server).await;
    let expected = json!({"email_address": "ada@example.com", "role": "org:member"});
    assert_sent(
        &request,
        Sent { method: "POST", path: "/organizations/org_123/invitations", query: &[], body: Some(expected) },
    );
    assert_eq!(header(&request, "prefer"), Some("code=404"));
    assert_eq!(header(&request, "x-request-tag"), Some("wire-test"));
    assert_eq!(result.expect("create succeeds on 200"), pending());
}

#[tokio::test]
async fn ordinary_headers_up_to_the_caps_are_sent() {
    let server = server_answering(ok_json(pending_json())).await;
    let body = CreateOrganizationInvitationRequest::new("ada@example.com", "org:member");
    // One value at its cap, and fillers that bring the whole set to its own.
    let at_cap = "v".repeat(limits::HEADER_VALUE);
    let ordinary = [("Prefer", "code=201"), ("Idempotency-Key", "inv-7f3a"), ("X-Request-Tag", "w")];
    let used: usize = ordinary.iter().map(|(name, value)| name.len() + value.len()).sum::<usize>() + 8 + at_cap.len();
    let left = limits::HEADERS - used;
    let fillers = left.div_ceil("X-Fill-00".len() + limits::HEADER_VALUE);
    let values = left - fillers * "X-Fill-00".len();
    let filler =
        |n: usize| (format!("X-Fill-{n:02}"), "f".repeat(values / fillers + usize::from(n < values % fillers)));

    let mut call = client(&server).organization_invitations().create().organization_id("org_123").body(body);
    for (name, value) in ordinary {
        call = call.header(name, value);
    }
    call = call.header("X-At-Cap", at_cap.as_str());
    for n in 0..fillers {
        let (name, value) = filler(n);
        call = call.header(name, value);
    }
    let result = call.send().await;

    result.expect("ordinary headers within the caps are sent");
    let request = only_request(&server).await;
    assert_eq!(header(&request, "prefer"), Some("code=201"));
    assert_eq!(header(&request, "idempotency-key"), Some("inv-7f3a"));
    assert_eq!(header(&request, "x-request-tag"), Some("w"));
    assert_eq!(header(&request, "x-at-cap").map(str::len), Some(limits::HEADER_VALUE));
    for n in 0..fillers {
        let (name, value) = filler(n);
        assert_eq!(header(&request, &name), Some(value.as_str()));
    }
}

#[tokio::test]
async fn hop_by_hop_and_security_headers_are_refused_before_any_request() {
    let server = MockServer::start().await; // no mock: anything sent would be recorded
    let clerk = client(&server);
    let api = clerk.organization_invitations();
    let refused = [
        ("Cookie", "__session=9LEAKED"),
        ("Proxy-Authorization", "Basic 9LEAKED"),
        ("Upgrade", "websocket"),
        ("TE", "trailers"),
        ("Expect", "100-continue"),
        ("Connection", "close"),
        ("Transfer-Encoding", "chunked"),
        ("Host", "evil.example.com"),
        ("Keep-Alive", "timeout=5"),
        ("Proxy-Connection", "keep-alive"),
        ("Trailer", "X-Checksum"),
        ("Content-Length", "0"),
        ("cOOKIE", "__client=9LEAKED"),
    ];
    for (name, value) in refused {
        let result = api.get().organization_id("org_1").invitation_id("orginv_1").header(name, value).send().await;
        let error = result.as_ref().expect_err("refused");
        assert!(!format!("{error} {error:?}").contains("9LEAKED"), "the value is quoted: {error}");
        assert_invalid_argument(result.map(drop), "GetOrganizationInvitation", "header", name);
    }
    // The documented list, every name in the lowercase form HTTP compares.
    let mut list = limits::REFUSED_HEADERS.to_vec();
    list.sort_unstable();
    assert_eq!(
        list,
        [
            "accept",
            "authorization",
            "clerk-api-version",
            "connection",
            "content-length",
            "content-type",
            "cookie",
            "expect",
            "host",
            "keep-alive",
            "proxy-authorization",
            "proxy-connection",
            "te",
            "trailer",
            "transfer-encoding",
            "upgrade",
            "user-agent",
        ]
    );
    assert_nothing_sent(&server, "a refused header must send nothing").await;

    // `.header()` lists them in its docs.
    let group = tests::tests_dir().join("../generated-client/src/organization_invitations.rs");
    let source = std::fs::read_to_string(&group).expect("the generated group");
    let docs = source.split("pub fn header(").next().and_then(|before| before.rsplit("\n\n").next()).unwrap_or("");
    for name in limits::REFUSED_HEADERS {
        assert!(docs.to_ascii_lowercase().contains(&format!("`{name}`")), "`.header()` does not list {name}: {docs}");
    }
}

#[tokio::test]
async fn a_header_value_over_8_kib_or_headers_over_64_kib_in_all_are_refused_before_any_request() {
    let server = MockServer::start().await; // no mock: anything sent would be recorded
    let clerk = client(&server);
    let get = || clerk.organization_invitations().get().organization_id("org_1").invitation_id("orginv_1");

    let long = "9LEAKED".repeat(2000);
    let error = get().header("X-Long", long.as_str()).send().await.expect_err("a 14 KB value");
    let shown = format!("{error} {error:?}");
    assert!(shown.contains("14000 bytes") && shown.contains("8192 bytes"), "{shown}");
    assert!(!shown.contains("9LEAKED") && shown.len() < 500, "the value is quoted: {shown:.300}");

    // Nine values of 8,000 bytes: each under its cap, 72 KB in all.
    let mut call = get();
    for n in 0..9 {
        call = call.header(format!("X-Part-{n}"), &"9LEAKED".repeat(1200)[..8000]);
    }
    let error = call.send().await.expect_err("72 KB of headers");
    let shown = format!("{error} {error:?}");
    assert!(matches!(error, Error::InvalidArgument { argument: "header", .. }), "{shown:.300}");
    assert!(shown.contains("65536 bytes"), "{shown:.300}");
    assert!(!shown.contains("9LEAKED") && shown.len() < 500, "the value is quoted: {shown:.300}");

    assert_nothing_sent(&server, "headers over the caps must send nothing").await;
}

#[tokio::test]
async fn an_authorization_header_or_an_invalid_header_is_refused_before_any_request() {
    let server = MockServer::start().await; // no mock: anything sent would be recorded
    let clerk = client(&server);
    let api = clerk.organization_invitations();
    let refused = [
        ("Authorization", "Bearer sk_live_other9LEAKED"),
        ("authorization", "Basic b3RoZXI6OUxFQUtFRA=="),
        ("AUTHORIZATION", "Bearer sk_live_other9LEAKED"),
        // The client's own headers: a caller's value would silently replace them.
        ("Clerk-API-Version", "2021-02-05"),
        ("Content-Type", "text/plain"),
        ("Accept", "text/html"),
        ("User-Agent", "other"),
        ("Bad Name", "x"),
        ("X-Ok", "line\nbreak"),
    ];
    for (name, value) in refused {
        let result = api.get().organization_id("org_1").invitation_id("orginv_1").header(name, value).send().await;
        let error = result.as_ref().expect_err("refused");
        let shown = format!("{error} {error:?}");
        assert!(!shown.contains("9LEAKED") && !shown.contains("b3RoZXI6"), "the value is quoted: {shown}");
        assert_invalid_argument(result.map(drop), "GetOrganizationInvitation", "header", name);
    }
    let body = CreateOrganizationInvitationRequest::new("ada@example.com", "org:member");
    let result = api.create().organization_id("org_1").body(body).header("Authorization", "Bearer x").send().await;
    assert_invalid_argument(result.map(drop), "CreateOrganizationInvitation", "header", "Authorization on create");

    assert_nothing_sent(&server, "a refused header must send nothing").await;
}

#[tokio::test]
async fn send_with_metadata_exposes_the_status_a_header_and_the_trace_id() {
    let created = ResponseTemplate::new(201)
        .set_body_json(pending_json())
        .insert_header("Clerk-Trace-Id", "trace_meta")
        .insert_header("X-RateLimit-Remaining", "99");
    let server = server_answering(created).await;
    let body = CreateOrganizationInvitationRequest::new("ada@example.com", "org:member");

    let response = client(&server)
        .organization_invitations()
        .create()
        .organization_id("org_123")
        .body(body)
        .send_with_metadata()
        .await
        .expect("a 201 is a success");

    let expected = json!({"email_address": "ada@example.com", "role": "org:member"});
    assert_sent(
        &only_request(&server).await,
        Sent { method: "POST", path: "/organizations/org_123/invitations", query: &[], body: Some(expected) },
    );
    assert_eq!(response.status, 201);
    let remaining = response.headers.get("x-ratelimit-remaining").map(|value| value.to_str().expect("ASCII"));
    assert_eq!(remaining, Some("99"));
    assert_eq!(response.clerk_trace_id(), Some("trace_meta"));
    assert_eq!(response.value, pending());
    assert_eq!(response.into_value(), pending());

    // Without the header there is no trace id; a list is decoded the same way.
    let server = server_answering(ok_json(page_json(vec![revoked_json()], 1))).await;
    let response = client(&server)
        .organization_invitations()
        .list()
        .organization_id("org_123")
        .send_with_metadata()
        .await
        .expect("a 200");
    assert_sent(
        &only_request(&server).await,
        Sent { method: "GET", path: "/organizations/org_123/invitations", query: &[], body: None },
    );
    assert_eq!((response.status, response.clerk_trace_id()), (200, None));
    assert_eq!(response.value, OrganizationInvitations::new(vec![revoked()], 1));
}

#[tokio::test]
async fn a_call_future_and_a_list_stream_can_be_moved_into_spawned_tasks() {
    let one = server_answering(ok_json(pending_json())).await;
    let list = server_answering(ok_json(page_json(vec![pending_json(), revoked_json()], 2))).await;
    let (clerk, lists) = (client(&one), client(&list));
    let call =
        clerk.organization_invitations().get().organization_id("org_123").invitation_id("orginv_2pending").send();
    let mut items = lists.organization_invitations().list().organization_id("org_123").items();
    let pages = lists.organization_invitations().list().organization_id("org_123").pages();
    // Neither borrows the client nor the arguments: `tokio::spawn` needs `'static + Send`.
    drop((clerk, lists));

    let call = tokio::spawn(call);
    let items = tokio::spawn(async move {
        let mut ids = Vec::new();
        while let Some(invitation) = items.try_next().await? {
            ids.push(invitation.id);
        }
        Ok::<_, Error>(ids)
    });
    let pages = tokio::spawn(pages.collect::<Vec<_>>());

    assert_eq!(call.await.expect("the call task finishes").expect("get succeeds"), pending());
    let ids = items.await.expect("the stream task finishes").expect("every page decodes");
    assert_eq!(ids, ["orginv_2pending", "orginv_9revoked"]);
    let pages = pages.await.expect("the stream task finishes");
    assert_eq!(pages.len(), 1, "{pages:?}");
    assert_eq!(pages[0].as_ref().expect("the page decodes").items, [pending(), revoked()]);
    assert_sent(
        &only_request(&one).await,
        Sent { method: "GET", path: "/organizations/org_123/invitations/orginv_2pending", query: &[], body: None },
    );
    let requests = list.received_requests().await.expect("request recording is enabled");
    assert_eq!(requests.len(), 2, "one page per stream: {requests:#?}");
    for request in &requests {
        let query = [("limit", "500"), ("offset", "0")];
        assert_sent(
            request,
            Sent { method: "GET", path: "/organizations/org_123/invitations", query: &query, body: None },
        );
    }
}

#[tokio::test]
#[allow(deprecated)]
async fn params_sets_the_same_query_as_the_individual_setters() {
    let server = server_answering(ok_json(page_json(vec![], 0))).await;
    let clerk = client(&server);
    let api = clerk.organization_invitations();

    let list = || api.list().organization_id("org_123");
    list()
        .status(ListOrganizationInvitationsStatus::Revoked)
        .email_address("ada+test@example.com")
        .order_by("-created_at")
        .limit(20)
        .offset(40)
        .send()
        .await
        .expect("setters");
    let params = ListOrganizationInvitationsParams::default()
        .status(ListOrganizationInvitationsStatus::Revoked)
        .email_address("ada+test@example.com")
        .order_by("-created_at")
        .limit(20)
        .offset(40);
    list().params(params).send().await.expect("params");

    let pending = || api.list_pending().organization_id("org_123");
    pending().limit(5).offset(10).send().await.expect("setters");
    pending().params(ListPendingOrganizationInvitationsParams::new().limit(5).offset(10)).send().await.expect("params");

    api.list_all()
        .order_by("+email_address")
        .status(ListInstanceOrganizationInvitationsStatus::Expired)
        .query("ada")
        .limit(3)
        .offset(6)
        .send()
        .await
        .expect("setters");
    let params = ListInstanceOrganizationInvitationsParams::new()
        .order_by("+email_address")
        .status(ListInstanceOrganizationInvitationsStatus::Expired)
        .query("ada")
        .limit(3)
        .offset(6);
    api.list_all().params(params).send().await.expect("params");

    // A setter after `params` changes its own parameter only, and `params`
    // after a setter keeps what it does not set.
    list()
        .params(ListOrganizationInvitationsParams::default().limit(10).offset(0))
        .offset(30)
        .send()
        .await
        .expect("both");
    list().limit(10).params(ListOrganizationInvitationsParams::default().offset(30)).send().await.expect("both");

    let requests = server.received_requests().await.expect("request recording is enabled");
    let expected: [(&str, &[(&str, &str)]); 4] = [
        (
            "/organizations/org_123/invitations",
            &[
                ("status", "revoked"),
                ("email_address", "ada+test@example.com"),
                ("order_by", "-created_at"),
                ("limit", "20"),
                ("offset", "40"),
            ],
        ),
        ("/organizations/org_123/invitations/pending", &[("limit", "5"), ("offset", "10")]),
        (
            "/organization_invitations",
            &[("order_by", "+email_address"), ("status", "expired"), ("query", "ada"), ("limit", "3"), ("offset", "6")],
        ),
        ("/organizations/org_123/invitations", &[("limit", "10"), ("offset", "30")]),
    ];
    assert_eq!(requests.len(), 8, "{requests:#?}");
    for (index, request) in requests.iter().enumerate() {
        let (path, query) = expected[index / 2];
        assert_sent(request, Sent { method: "GET", path, query, body: None });
    }
    for pair in requests[..6].chunks(2) {
        assert_eq!(pair[0].url, pair[1].url, "setters and params send the same URL");
    }
}
