//! Auto-pagination against a local server that pages by `offset`.

use clerk_invitations::{ListOrganizationInvitationsStatus, Retries};
use futures_util::StreamExt;
use serde_json::{json, Value};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::wire::{ok_json, page_json, pending_json, SECRET};

const LIST_PATH: &str = "/organizations/org_1/invitations";

fn invitation(id: &str) -> Value {
    let mut value = pending_json();
    value["id"] = json!(id);
    value
}

fn page(ids: &[&str], total: i64) -> ResponseTemplate {
    ok_json(page_json(ids.iter().map(|id| invitation(id)).collect(), total))
}

/// Serves `pages[i]` for `offset = offsets[i]`.
async fn server(pages: Vec<(&str, ResponseTemplate)>) -> MockServer {
    let server = MockServer::start().await;
    for (offset, response) in pages {
        Mock::given(method("GET"))
            .and(path(LIST_PATH))
            .and(query_param("offset", offset))
            .respond_with(response)
            .mount(&server)
            .await;
    }
    server
}

fn client(server: &MockServer) -> clerk_invitations::Client {
    clerk_invitations::Client::builder()
        .secret(SECRET)
        .base_url(server.uri())
        .retries(Retries::off())
        .build()
        .expect("a client")
}

/// `(offset, limit, status)` of every request the server saw, in order.
async fn requested(server: &MockServer) -> Vec<(String, String, Option<String>)> {
    let requests = server.received_requests().await.expect("request recording is enabled");
    requests
        .iter()
        .map(|request| {
            let get = |name: &str| request.url.query_pairs().find(|(k, _)| k == name).map(|(_, v)| v.into_owned());
            (get("offset").unwrap_or_default(), get("limit").unwrap_or_default(), get("status"))
        })
        .collect()
}

#[tokio::test]
async fn items_are_fetched_page_by_page_and_each_id_is_yielded_once() {
    // A newer invitation pushes "b" from the first page onto the second.
    let server = server(vec![("0", page(&["a", "b"], 5)), ("2", page(&["b", "c"], 5)), ("4", page(&["d"], 5))]).await;
    let clerk = client(&server);
    let mut items = clerk
        .organization_invitations()
        .list()
        .organization_id("org_1")
        .status(ListOrganizationInvitationsStatus::Pending)
        .limit(2)
        .items();
    let mut ids = Vec::new();
    while let Some(invitation) = items.try_next().await.expect("every page decodes") {
        ids.push(invitation.id);
    }
    assert_eq!(ids, ["a", "b", "c", "d"]);
    let pending = Some("pending".to_owned());
    assert_eq!(
        requested(&server).await,
        [
            ("0".to_owned(), "2".to_owned(), pending.clone()),
            ("2".to_owned(), "2".to_owned(), pending.clone()),
            ("4".to_owned(), "2".to_owned(), pending)
        ]
    );
}

#[tokio::test]
async fn a_status_filter_takes_either_list_s_enum_or_the_value_as_text() {
    let server = server(vec![("0", page(&[], 0))]).await;
    let invitations = client(&server).organization_invitations();
    let instance_filter = clerk_invitations::ListInstanceOrganizationInvitationsStatus::Expired;
    invitations.list().organization_id("org_1").offset(0).status(instance_filter).send().await.expect("sent");
    invitations.list().organization_id("org_1").offset(0).status("accepted").send().await.expect("sent");
    let statuses: Vec<Option<String>> = requested(&server).await.into_iter().map(|(_, _, status)| status).collect();
    assert_eq!(statuses, [Some("expired".to_owned()), Some("accepted".to_owned())]);
}

#[tokio::test]
async fn nothing_is_requested_until_the_stream_is_polled() {
    let server = server(vec![("0", page(&["a"], 1))]).await;
    let clerk = client(&server);
    let pages = clerk.organization_invitations().list().organization_id("org_1").pages();
    assert!(requested(&server).await.is_empty());
    let pages: Vec<_> = pages.collect().await;
    assert_eq!(pages.len(), 1);
    let first = pages.into_iter().next().expect("one page").expect("it decodes");
    assert_eq!((first.offset, first.total_count, first.items.len()), (0, 1, 1));
    assert_eq!(requested(&server).await, [("0".to_owned(), "500".to_owned(), None)], "unset limit: the spec's maximum");
}

#[tokio::test]
async fn stops_at_total_count_without_asking_for_an_empty_page() {
    let server = server(vec![("0", page(&["a", "b"], 4)), ("2", page(&["c", "d"], 4))]).await;
    let clerk = client(&server);
    let ids: Vec<String> = clerk
        .organization_invitations()
        .list()
        .organization_id("org_1")
        .limit(2)
        .items()
        .map(|item| item.expect("decodes").id)
        .collect()
        .await;
    assert_eq!(ids, ["a", "b", "c", "d"]);
    assert_eq!(requested(&server).await.len(), 2);
}

#[tokio::test]
async fn an_error_ends_the_stream_after_it_is_yielded() {
    let missing = ResponseTemplate::new(404).set_body_json(json!({
        "errors": [{"message": "m", "long_message": "lm", "code": "resource_not_found"}]
    }));
    let server = server(vec![("0", page(&["a", "b"], 10)), ("2", missing)]).await;
    let clerk = client(&server);
    let mut pages = clerk.organization_invitations().list().organization_id("org_1").limit(2).pages();
    assert_eq!(pages.try_next().await.expect("first page").expect("some").items.len(), 2);
    let error = pages.try_next().await.expect_err("the second page is a 404");
    assert_eq!(error.api().map(|api| api.status), Some(404));
    assert!(pages.try_next().await.expect("no more errors").is_none());
    assert_eq!(requested(&server).await.len(), 2);
}

#[tokio::test]
async fn a_page_size_outside_the_spec_bounds_is_refused_before_any_request() {
    let server = server(vec![]).await;
    let clerk = client(&server);
    let mut items = clerk.organization_invitations().list().organization_id("org_1").limit(501).items();
    let error = items.try_next().await.expect_err("501 is above the spec's 500");
    assert!(matches!(error, clerk_invitations::Error::InvalidArgument { argument: "limit", .. }), "{error:?}");
    assert!(requested(&server).await.is_empty());
}

#[tokio::test]
async fn list_items_ends_with_an_error_after_three_full_pages_with_nothing_new() {
    // A server that ignores `offset` and serves the same full page forever.
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(page(&["a", "b"], 1000)).mount(&server).await;
    let clerk = client(&server);
    let mut items = clerk.organization_invitations().list().organization_id("org_1").limit(2).items();

    let collect = async {
        let mut ids = Vec::new();
        loop {
            match items.try_next().await {
                Ok(Some(invitation)) => ids.push(invitation.id),
                Ok(None) => return (ids, None),
                Err(error) => return (ids, Some(error)),
            }
        }
    };
    let (ids, error) = tokio::time::timeout(std::time::Duration::from_secs(10), collect)
        .await
        .expect("a repeating server must not keep the stream going");

    assert_eq!(ids, ["a", "b"]);
    let error = error.expect("the stream ends with an error, not as if the list were complete");
    assert!(matches!(error, clerk_invitations::Error::Pagination { offset: 6, .. }), "{error:?}");
    assert!(items.try_next().await.expect("no second error").is_none());
    assert_eq!(requested(&server).await.len(), 4, "the first page and three repeats");
}

#[tokio::test]
async fn paging_near_i64_max_ends_without_overflowing() {
    let start = i64::MAX - 1;
    let server = server(vec![(&start.to_string(), page(&["a", "b"], i64::MAX))]).await;
    let clerk = client(&server);
    let mut pages = clerk.organization_invitations().list().organization_id("org_1").limit(2).offset(start).pages();

    let first = pages.try_next().await.expect("the page decodes").expect("one page");
    assert_eq!((first.offset, first.items.len()), (start, 2));
    assert!(pages.try_next().await.expect("no error").is_none(), "nothing lies past i64::MAX");
    assert_eq!(requested(&server).await.len(), 1);
}

#[tokio::test]
async fn a_header_set_on_a_list_call_is_sent_with_every_page() {
    let server = server(vec![("0", page(&["a", "b"], 3)), ("2", page(&["c"], 3))]).await;
    let clerk = client(&server);
    let mut items =
        clerk.organization_invitations().list().organization_id("org_1").limit(2).header("Prefer", "code=200").items();
    let mut ids = Vec::new();
    while let Some(invitation) = items.try_next().await.expect("every page decodes") {
        ids.push(invitation.id);
    }
    assert_eq!(ids, ["a", "b", "c"]);
    let requests = server.received_requests().await.expect("request recording is enabled");
    assert_eq!(requests.len(), 2);
    for request in &requests {
        let prefer: Vec<_> = request.headers.get_all("prefer").iter().collect();
        assert_eq!(prefer, ["code=200"], "{request:?}");
    }
}

#[tokio::test]
async fn list_all_items_page_through_the_whole_instance() {
    let server = MockServer::start().await;
    for (offset, ids) in [("0", &["a", "b"][..]), ("2", &["c"][..])] {
        Mock::given(method("GET"))
            .and(path("/organization_invitations"))
            .and(query_param("offset", offset))
            .respond_with(page(ids, 3))
            .mount(&server)
            .await;
    }
    let clerk = client(&server);
    let mut items = clerk
        .organization_invitations()
        .list_all()
        // The organization list's filter, through `Into`: the two filters are alike.
        .status(ListOrganizationInvitationsStatus::Pending)
        .limit(2)
        .items();
    let mut ids = Vec::new();
    while let Some(invitation) = items.try_next().await.expect("every page decodes") {
        ids.push(invitation.id);
    }
    assert_eq!(ids, ["a", "b", "c"]);
    let pending = Some("pending".to_owned());
    assert_eq!(
        requested(&server).await,
        [("0".to_owned(), "2".to_owned(), pending.clone()), ("2".to_owned(), "2".to_owned(), pending)]
    );
}

// ---------------------------------------------------------------------------
// The stale-page guard: `pages()` and `items()` stop alike
// ---------------------------------------------------------------------------

/// More than any guard allows: a stream still going after this many pages or
/// items has no guard at all (the test fails instead of paging forever).
const RUNAWAY: usize = 50;

/// The pages `pages` gives (at most `RUNAWAY`), and the error that ended it.
async fn drain_pages(
    mut pages: clerk_invitations::Pages<clerk_invitations::OrganizationInvitation>,
) -> (Vec<(i64, usize)>, Option<clerk_invitations::Error>) {
    let mut seen = Vec::new();
    while seen.len() < RUNAWAY {
        match pages.try_next().await {
            Ok(Some(page)) => seen.push((page.offset, page.items.len())),
            Ok(None) => return (seen, None),
            Err(error) => {
                assert!(pages.try_next().await.expect("no second error").is_none(), "the error ends the stream");
                return (seen, Some(error));
            }
        }
    }
    (seen, None)
}

/// The ids `items` gives (at most `RUNAWAY`), and the error that ended it.
async fn drain_items(
    mut items: clerk_invitations::Items<clerk_invitations::OrganizationInvitation>,
) -> (Vec<String>, Option<clerk_invitations::Error>) {
    let mut seen = Vec::new();
    while seen.len() < RUNAWAY {
        match items.try_next().await {
            Ok(Some(invitation)) => seen.push(invitation.id),
            Ok(None) => return (seen, None),
            Err(error) => {
                assert!(items.try_next().await.expect("no second error").is_none(), "the error ends the stream");
                return (seen, Some(error));
            }
        }
    }
    (seen, None)
}

fn list(clerk: &clerk_invitations::Client) -> clerk_invitations::organization_invitations::List {
    clerk.organization_invitations().list().organization_id("org_1").limit(2)
}

#[tokio::test]
async fn pages_and_items_end_with_an_error_when_the_server_ignores_offset() {
    // The same full page, byte for byte, whatever the offset; the total says
    // there is much more to come, so only the guard can end the stream.
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(page(&["a", "b"], 1000)).mount(&server).await;
    let clerk = client(&server);

    let (pages, error) = drain_pages(list(&clerk).pages()).await;
    assert_eq!(pages, [(0, 2), (2, 2), (4, 2)], "two repeats are yielded, the third is the error");
    assert!(matches!(error, Some(clerk_invitations::Error::Pagination { offset: 6, .. })), "{error:?}");
    assert_eq!(requested(&server).await.len(), 4, "pages(): the first page and three repeats");

    server.reset().await;
    Mock::given(method("GET")).respond_with(page(&["a", "b"], 1000)).mount(&server).await;
    let (ids, error) = drain_items(list(&clerk).items()).await;
    assert_eq!(ids, ["a", "b"]);
    assert!(matches!(error, Some(clerk_invitations::Error::Pagination { offset: 6, .. })), "{error:?}");
    assert_eq!(requested(&server).await.len(), 4, "items(): the first page and three repeats");
}

#[tokio::test]
async fn one_or_two_repeated_pages_are_tolerated_by_both_streams() {
    // A burst of new invitations can shift a whole page onto the next offset.
    let served = || {
        vec![
            ("0", page(&["a", "b"], 99)),
            ("2", page(&["a", "b"], 99)),
            ("4", page(&["a", "b"], 99)),
            ("6", page(&["c"], 99)),
        ]
    };
    let server = server(served()).await;
    let clerk = client(&server);
    let (pages, error) = drain_pages(list(&clerk).pages()).await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(pages, [(0, 2), (2, 2), (4, 2), (6, 1)]);

    let (ids, error) = drain_items(list(&clerk).items()).await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(ids, ["a", "b", "c"]);
    assert_eq!(requested(&server).await.len(), 8);
}

/// A server paging a list of `2 * pages` items correctly, two per page.
async fn long_list(pages: i64) -> MockServer {
    let server = MockServer::start().await;
    let total = 2 * pages;
    Mock::given(method("GET"))
        .and(path(LIST_PATH))
        .respond_with(move |request: &wiremock::Request| {
            let offset: i64 = request
                .url
                .query_pairs()
                .find(|(name, _)| name == "offset")
                .and_then(|(_, value)| value.parse().ok())
                .expect("every page request has an offset");
            let ids: Vec<String> = (offset..(offset + 2).min(total)).map(|index| format!("orginv_{index}")).collect();
            ok_json(page_json(ids.iter().map(|id| invitation(id)).collect(), total))
        })
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn a_list_of_a_thousand_pages_ends_normally_in_both_streams() {
    let server = long_list(1000).await;
    let clerk = client(&server);

    let mut pages = list(&clerk).pages();
    let mut count = 0;
    while let Some(page) = pages.try_next().await.expect("every page is new") {
        assert_eq!((page.offset, page.items.len()), (2 * count, 2));
        count += 1;
    }
    assert_eq!(count, 1000);

    let mut items = list(&clerk).items();
    let mut ids = Vec::new();
    while let Some(invitation) = items.try_next().await.expect("every item is new") {
        ids.push(invitation.id);
    }
    assert_eq!(ids.len(), 2000);
    assert_eq!((ids[0].as_str(), ids[1999].as_str()), ("orginv_0", "orginv_1999"));
    assert_eq!(requested(&server).await.len(), 2000, "1,000 requests per stream, none past total_count");
}

#[tokio::test]
async fn items_also_stops_when_repeated_items_come_in_bodies_that_differ() {
    // The server ignores `offset` but stamps each answer: no two bodies are
    // alike, so `pages()` cannot tell; `items()` sees the same ids again.
    let server = MockServer::start().await;
    let stamp = std::sync::atomic::AtomicU64::new(0);
    Mock::given(method("GET"))
        .respond_with(move |_: &wiremock::Request| {
            let mut body = page_json(vec![invitation("a"), invitation("b")], 20);
            body["served"] = json!(stamp.fetch_add(1, std::sync::atomic::Ordering::Relaxed));
            ok_json(body)
        })
        .mount(&server)
        .await;
    let clerk = client(&server);

    let (pages, error) = drain_pages(list(&clerk).pages()).await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(pages.len(), 10, "pages() ends at total_count");

    let before = requested(&server).await.len();
    let (ids, error) = drain_items(list(&clerk).items()).await;
    assert_eq!(ids, ["a", "b"]);
    assert!(matches!(error, Some(clerk_invitations::Error::Pagination { offset: 6, .. })), "{error:?}");
    assert_eq!(requested(&server).await.len() - before, 4);
}
