//! The call builders: nesting limits, headers, metadata, and futures that spawn.

use clerk_invitations::limits;
use clerk_invitations::{
    CreateOrganizationInvitationBulkRequestItem, CreateOrganizationInvitationRequest, Error,
    ListInstanceOrganizationInvitationsParams, ListInstanceOrganizationInvitationsStatus,
    ListOrganizationInvitationsParams, ListOrganizationInvitationsStatus, ListPendingOrganizationInvitationsParams,
    OrganizationInvitation, OrganizationInvitations, RevokeOrganizationInvitationRequest,
};
use futures_util::StreamExt;
use serde_json::{json, Map, Value};
use wiremock::{MockServer, ResponseTemplate};

use super::helpers::*;

/// A builder with a required field left unset names it, instead of building.
#[test]
fn a_builder_names_the_first_required_field_left_unset() {
    let error = OrganizationInvitation::builder().id("orginv_1").build().expect_err("most fields are unset");
    assert_eq!((error.type_name, error.field), ("OrganizationInvitation", "object"));
    assert_eq!(error.to_string(), "`OrganizationInvitation` needs `object`, which was not set");
}

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

    // `.header()` points to the list, whose docs name every header in it.
    let call = tests::tests_dir().join("../generated-client/runtime/src/call.rs");
    let source = std::fs::read_to_string(&call).expect("the runtime macro that writes `.header()`");
    let docs = source.split("pub fn header(").next().and_then(|before| before.rsplit("\n\n").next()).unwrap_or("");
    assert!(docs.contains("[`limits::REFUSED_HEADERS`]"), "`.header()` does not point to the list: {docs}");
    let limits = tests::tests_dir().join("../generated-client/runtime/src/limits.rs");
    let source = std::fs::read_to_string(&limits).expect("the runtime's limits");
    let docs = source.split("pub const REFUSED_HEADERS").next().and_then(|before| before.rsplit("\n\n").next());
    let docs = docs.unwrap_or("").to_ascii_lowercase();
    for name in limits::REFUSED_HEADERS {
        assert!(docs.contains(&format!("`{name}`")), "`REFUSED_HEADERS` does not list {name}: {docs}");
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
    assert_eq!(response.trace_id(), Some("trace_meta"));
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
    assert_eq!((response.status, response.trace_id()), (200, None));
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
