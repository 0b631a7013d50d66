//! The wire tests' helpers and fixtures: clients, mock servers, what a request
//! must look like, and each JSON body next to the value it must decode to.

use clerk_invitations::{
    Client, ClientBuilder, Error, OrganizationInvitation, OrganizationInvitationObject,
    OrganizationInvitationPublicOrganizationData, OrganizationInvitationPublicUserData,
    OrganizationInvitationWithPublicOrganizationData, OrganizationInvitationWithPublicOrganizationDataObject, Retries,
    API_VERSION,
};
use serde_json::{json, Map, Value};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

pub(crate) const SECRET: &str = "sk_test_wire9SECRETvalue";
/// The part of the secret that must never show up anywhere (the prefix is public).
pub(crate) const SECRET_VALUE: &str = "wire9SECRETvalue";

/// Retries are off here: each test pins down one exchange. `faults.rs` tests retries.
pub(crate) fn builder() -> ClientBuilder {
    Client::builder().secret(SECRET).retries(Retries::off())
}

pub(crate) fn client(server: &MockServer) -> Client {
    builder().base_url(server.uri()).build().expect("a client for the mock server")
}

/// A mock server answering every request with `response`.
pub(crate) async fn server_answering(response: ResponseTemplate) -> MockServer {
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
pub(crate) struct Sent<'a> {
    pub(crate) method: &'a str,
    /// The raw (still percent-encoded) path.
    pub(crate) path: &'a str,
    /// Decoded query pairs, in order; empty means no query string at all.
    pub(crate) query: &'a [(&'a str, &'a str)],
    /// The JSON body; `None` means no body and no `Content-Type`.
    pub(crate) body: Option<Value>,
}

pub(crate) fn assert_sent(request: &Request, expected: Sent<'_>) {
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
    // `clerk-invitations/0.1.0 openapi-client-runtime/0.1.0`.
    let is_version = |version: &str| !version.is_empty() && version.chars().all(|c| c.is_ascii_digit() || c == '.');
    let products: Vec<(&str, &str)> = user_agent.split(' ').filter_map(|product| product.split_once('/')).collect();
    assert!(
        products.len() == 2
            && products[0].0 == "clerk-invitations"
            && products[1].0 == "openapi-client-runtime"
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

pub(crate) fn map(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        other => panic!("not a JSON object: {other}"),
    }
}

pub(crate) fn assert_no_secret(what: &str, text: &str) {
    assert!(!text.contains(SECRET_VALUE), "the secret key shows in {what}: {text}");
}

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
pub(crate) fn revoked_json() -> Value {
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

pub(crate) fn revoked() -> OrganizationInvitation {
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

pub(crate) fn page_json(data: Vec<Value>, total_count: i64) -> Value {
    json!({ "data": data, "total_count": total_count })
}

/// `invitation` as `ListInstanceOrganizationInvitations` returns it. The models are
/// `#[non_exhaustive]`, so a destructuring that fails to compile on a new field is
/// not possible here; instead every field the invitation serialises must come out
/// of the copy unchanged.
pub(crate) fn with_organization(
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
pub(crate) fn clerk_errors_json(codes: &[&str], trace: &str) -> Value {
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
pub(crate) async fn server_failing(status: u16, codes: &[&str], trace: &str) -> MockServer {
    server_answering(ResponseTemplate::new(status).set_body_json(clerk_errors_json(codes, trace))).await
}

/// `result` is the Clerk error the server sent, in one request, without the secret.
pub(crate) async fn assert_clerk_error<T: std::fmt::Debug>(
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
    assert_eq!(error.trace_id(), Some(trace), "Error::trace_id() of {error:?}");
    assert_eq!(error.is_not_found(), status == 404);
    assert!(!error.is_rate_limited() && !error.is_timeout() && !error.is_invalid_argument(), "{error:?}");
    assert_eq!(api.operation, operation);
    assert_eq!(api.status, status);
    assert_eq!(api.codes(), codes);
    assert_eq!(api.trace_id(), Some(trace));
    assert_eq!(api.message().map(str::to_owned), Some(format!("{} message", codes[0])));
    assert_eq!(api.body, None, "a Clerk error body is parsed, not kept as text");
    // Typed, as the document's own error model (`ErrorBody`, generated for Clerk's crate).
    let clerk = clerk_invitations::ErrorBody::error_body(&error).expect("the Clerk error body is parsed");
    assert_eq!(clerk.clerk_trace_id.as_deref(), Some(trace));
    assert_eq!(clerk.errors.len(), codes.len());
    for (listed, code) in clerk.errors.iter().zip(codes) {
        assert_eq!(listed.code, *code);
        assert_eq!(listed.message, format!("{code} message"));
        assert_eq!(listed.long_message, format!("{code}: the long explanation"));
        assert_eq!(listed.meta, Some(serde_json::Map::new()));
    }
    let shown = error.to_string();
    for part in [operation, &status.to_string(), codes[0]] {
        assert!(shown.contains(part), "`{shown}` does not mention `{part}`");
    }
    assert_no_secret("an API error's Display", &shown);
    assert_no_secret("an API error's Debug", &format!("{error:?}"));
}

pub(crate) fn assert_invalid_argument(result: Result<(), Error>, operation: &str, argument: &str, value: &str) {
    match result {
        Err(Error::InvalidArgument { operation: op, argument: arg, reason }) => {
            assert_eq!((op, arg), (operation, argument), "refusal of {value:?}: {reason}");
            assert!(!reason.is_empty());
        }
        other => panic!("{operation} with {argument} = {value:?}: expected InvalidArgument, got {other:?}"),
    }
}

/// Fails unless the server received nothing.
pub(crate) async fn assert_nothing_sent(server: &MockServer, why: &str) {
    let received = server.received_requests().await.expect("request recording is enabled");
    assert!(received.is_empty(), "{why}, received: {received:#?}");
}
