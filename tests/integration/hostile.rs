//! A DEFAULT client against servers that misbehave: silent, always failing, not
//! speaking HTTP, with a certificate from an unknown CA, redirecting, sending
//! endless bodies. Each test counts what reached the server. No timeout is
//! lowered here (only `with_deadline` is, in the one test of it), so these tests
//! pin what a caller gets without any tuning.

use std::sync::Arc;
use std::time::{Duration, Instant};

use clerk_invitations::organization_invitations::{Create, Get};
use clerk_invitations::{limits, Client, CreateOrganizationInvitationRequest, Error, Retries, TimeoutKind};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::raw::{self, RawServer};
use crate::wire::{ok_json, pending_json, SECRET};

/// A client with every default but the base URL.
fn default_client(base_url: &str) -> Client {
    Client::builder().secret(SECRET).base_url(base_url).build().expect("a default client")
}

/// The idempotent call most tests make: `GET` of one invitation.
fn get(clerk: &Client) -> Get {
    clerk.organization_invitations().get().organization_id("org_1").invitation_id("orginv_1")
}

/// The call that must not be repeated once it may have reached the server.
fn create(clerk: &Client) -> Create {
    let body = CreateOrganizationInvitationRequest::new("ada@example.com", "org:member");
    clerk.organization_invitations().create().organization_id("org_1").body(body)
}

async fn requests_seen(server: &MockServer) -> usize {
    server.received_requests().await.expect("request recording is enabled").len()
}

/// Lets the raw server's threads catch up before its counters are read.
fn settled(server: &RawServer) -> &RawServer {
    std::thread::sleep(Duration::from_millis(100));
    server
}

/// Reads the request and never answers.
fn silent_server() -> RawServer {
    raw::serve(|mut stream, stats| {
        if stats.read_request(&mut stream) {
            raw::wait_for_close(&mut stream);
        }
    })
}

/// Wall time a test may take at most: generous, only so a regression fails
/// instead of hanging.
const WALL_LIMIT: Duration = Duration::from_secs(20);

async fn within<T>(limit: Duration, call: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(limit, call).await.unwrap_or_else(|_| panic!("the call did not end within {limit:?}"))
}

// ---------------------------------------------------------------------------
// Safe defaults: a bounded number of attempts, a timeout, a deadline
// ---------------------------------------------------------------------------

#[tokio::test]
async fn a_default_get_against_a_503_server_ends_after_at_most_four_requests() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(503)).mount(&server).await;
    let clerk = default_client(&server.uri());

    let error = within(WALL_LIMIT, get(&clerk).send()).await.expect_err("503");

    assert_eq!(error.api().map(|api| api.status), Some(503), "{error}");
    assert_eq!(requests_seen(&server).await, 4);
}

#[tokio::test(start_paused = true)]
async fn a_default_call_to_a_silent_server_times_out_after_thirty_seconds() {
    let server = silent_server();
    let clerk = default_client(&server.url());
    let (wall, started) = (Instant::now(), tokio::time::Instant::now());

    // Paused clock: the hour passes at once if nothing ends the call sooner.
    let result = within(Duration::from_secs(3600), get(&clerk).send()).await;

    let error = result.expect_err("a silent server never answers");
    let attempt = TimeoutKind::Attempt(Duration::from_secs(30));
    assert!(
        matches!(error, Error::Timeout { operation: "GetOrganizationInvitation", kind } if kind == attempt),
        "{error:?}"
    );
    let waited = started.elapsed();
    assert!(waited >= Duration::from_secs(30) && waited < Duration::from_secs(31), "timed out after {waited:?}");
    assert_eq!(settled(&server).requests(), 1, "a retry would start after the 30 s retry window");
    assert!(wall.elapsed() < WALL_LIMIT);
}

#[tokio::test(start_paused = true)]
async fn the_default_deadline_cuts_a_call_whose_attempt_timeout_is_longer() {
    let server = silent_server();
    let clerk = Client::builder()
        .secret(SECRET)
        .base_url(server.url())
        .timeout(Duration::from_secs(600))
        .build()
        .expect("a client with a long attempt timeout");
    let started = tokio::time::Instant::now();

    let result = within(Duration::from_secs(3600), get(&clerk).send()).await;

    let error = result.expect_err("a silent server never answers");
    let deadline = TimeoutKind::Deadline(Duration::from_secs(60));
    assert!(
        matches!(error, Error::Timeout { operation: "GetOrganizationInvitation", kind } if kind == deadline),
        "{error:?}"
    );
    let waited = started.elapsed();
    assert!(waited >= Duration::from_secs(60) && waited < Duration::from_secs(61), "timed out after {waited:?}");
    assert_eq!(settled(&server).requests(), 1);
}

#[tokio::test]
async fn the_deadline_also_cuts_a_body_that_stops_arriving() {
    // The head and the first bytes of the body arrive, the rest never does. Real
    // time: the head is on the wire long before the deadline.
    let server = raw::serve(|mut stream, stats| {
        let head = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{\"object\":";
        if stats.read_request(&mut stream) && stats.write(&mut stream, head) {
            raw::wait_for_close(&mut stream);
        }
    });
    let clerk = default_client(&server.url()).with_deadline(Duration::from_millis(500));
    let started = Instant::now();

    let error = within(WALL_LIMIT, get(&clerk).send()).await.expect_err("the body never ends");

    let deadline = TimeoutKind::Deadline(Duration::from_millis(500));
    assert!(matches!(error, Error::Timeout { kind, .. } if kind == deadline), "{error:?}");
    // Cut at the deadline, not at the 30 s attempt timeout.
    let waited = started.elapsed();
    assert!(waited >= Duration::from_millis(500) && waited < WALL_LIMIT, "timed out after {waited:?}");
    assert_eq!(settled(&server).requests(), 1);
}

#[tokio::test]
async fn the_deadline_also_bounds_the_specs_unlimited_retries() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(503)).mount(&server).await;
    let clerk = default_client(&server.uri()).with_retries(Retries::spec()).with_deadline(Duration::from_millis(1500));
    let started = Instant::now();

    let error = within(WALL_LIMIT, get(&clerk).send()).await.expect_err("503");

    // Either the last 503 (no wait fits before the deadline) or the deadline itself.
    let deadline = TimeoutKind::Deadline(Duration::from_millis(1500));
    let ended_in_time = error.api().is_some_and(|api| api.status == 503)
        || matches!(error, Error::Timeout { kind, .. } if kind == deadline);
    assert!(ended_in_time, "{error:?}");
    assert!(started.elapsed() < WALL_LIMIT, "took {:?}", started.elapsed());
    let sent = requests_seen(&server).await;
    assert!((2..=15).contains(&sent), "{sent} requests in 1.5 s");
}

// ---------------------------------------------------------------------------
// What cannot succeed is not retried
// ---------------------------------------------------------------------------

/// A TLS server presenting a self-signed certificate no root store trusts.
fn tls_server_with_an_unknown_ca() -> RawServer {
    let certificate = rustls::pki_types::CertificateDer::from(include_bytes!("../tls/self-signed-cert.der").to_vec());
    let key = rustls::pki_types::PrivateKeyDer::Pkcs8(include_bytes!("../tls/self-signed-key.der").to_vec().into());
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .expect("TLS versions")
        .with_no_client_auth()
        .with_single_cert(vec![certificate], key)
        .expect("the test certificate and key");
    let config = Arc::new(config);
    raw::serve(move |mut stream, _| {
        let Ok(mut connection) = rustls::ServerConnection::new(Arc::clone(&config)) else { return };
        while connection.is_handshaking() {
            if connection.complete_io(&mut stream).is_err() {
                return;
            }
        }
        raw::wait_for_close(&mut stream);
    })
}

#[tokio::test]
async fn a_certificate_from_an_unknown_ca_is_not_retried() {
    let server = tls_server_with_an_unknown_ca();
    let clerk = default_client(&format!("https://127.0.0.1:{}", server.port));

    let result = within(WALL_LIMIT, get(&clerk).send()).await;

    let error = result.expect_err("the certificate is refused");
    assert!(matches!(error, Error::Transport { operation: "GetOrganizationInvitation", .. }), "{error:?}");
    assert_eq!(error.to_string(), "GetOrganizationInvitation: request failed", "only its own part");
    assert!(error.report().to_string().contains("certificate"), "the cause is in the report: {}", error.report());
    assert_eq!(settled(&server).connections(), 1, "one handshake: an unknown CA stays unknown");
}

/// What anyhow's `{:#}` prints: each error of the chain, joined with `: `.
fn alternate_chain(error: &(dyn std::error::Error + 'static)) -> Vec<String> {
    let mut levels = vec![error.to_string()];
    let mut source = error.source();
    while let Some(cause) = source {
        levels.push(cause.to_string());
        source = cause.source();
    }
    levels
}

#[tokio::test]
async fn each_level_of_a_transport_error_says_only_its_own_part() {
    let server = tls_server_with_an_unknown_ca();
    let clerk = default_client(&format!("https://127.0.0.1:{}", server.port));

    let error = within(WALL_LIMIT, get(&clerk).send()).await.expect_err("the certificate is refused");

    let levels = alternate_chain(&error);
    assert!(levels.len() >= 3, "the error, reqwest's, and its causes: {levels:?}");
    for (index, level) in levels.iter().enumerate() {
        for later in &levels[index + 1..] {
            assert!(!level.contains(later.as_str()), "`{level}` repeats its cause `{later}`: {levels:?}");
        }
    }
    let certificate = levels.iter().filter(|level| level.contains("certificate")).count();
    assert_eq!(certificate, 1, "the cause is said once: {levels:?}");
    assert_eq!(error.report().to_string(), levels.join(": "), "the report is the chain on one line");
}

#[tokio::test]
async fn a_server_that_does_not_speak_http_is_not_retried() {
    let server = raw::serve(|mut stream, stats| {
        if stats.read_request(&mut stream) && stats.write(&mut stream, b"SSH-2.0-OpenSSH_9.6\r\n") {
            raw::wait_for_close(&mut stream);
        }
    });
    let clerk = default_client(&server.url());

    let result = within(WALL_LIMIT, get(&clerk).send()).await;

    let error = result.expect_err("not HTTP");
    assert!(matches!(error, Error::Transport { operation: "GetOrganizationInvitation", .. }), "{error:?}");
    assert_eq!(settled(&server).requests(), 1);
}

#[tokio::test]
async fn a_response_with_150_headers_is_not_retried() {
    let mut response = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n".to_vec();
    for n in 0..150 {
        response.extend_from_slice(format!("X-Header-{n}: {n}\r\n").as_bytes());
    }
    response.extend_from_slice(b"\r\n{}");
    let server = raw::answering(response.leak());
    let clerk = default_client(&server.url());

    let result = within(WALL_LIMIT, get(&clerk).send()).await;

    let error = result.expect_err("more headers than the client accepts");
    assert!(matches!(error, Error::Transport { operation: "GetOrganizationInvitation", .. }), "{error:?}");
    assert_eq!(settled(&server).requests(), 1);
}

#[tokio::test]
async fn a_connection_closed_after_the_request_is_retried_for_get_but_not_for_create() {
    let server = raw::serve(|mut stream, stats| {
        stats.read_request(&mut stream);
    });
    let clerk = default_client(&server.url());

    let fetched = within(WALL_LIMIT, get(&clerk).send()).await;
    assert!(matches!(fetched, Err(Error::Transport { .. })), "{fetched:?}");
    assert_eq!(settled(&server).requests(), 4, "the request may have been processed; a GET may be repeated");

    let created = within(WALL_LIMIT, create(&clerk).send()).await;
    assert!(matches!(created, Err(Error::Transport { .. })), "{created:?}");
    assert_eq!(settled(&server).requests(), 5, "the invitation may have been created: not sent again");
}

/// Fails the first lookup, then resolves every name to the test server.
struct FailingOnce {
    address: std::net::SocketAddr,
    lookups: Arc<std::sync::atomic::AtomicUsize>,
}

impl reqwest::dns::Resolve for FailingOnce {
    fn resolve(&self, _: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let first = self.lookups.fetch_add(1, std::sync::atomic::Ordering::SeqCst) == 0;
        let address = self.address;
        Box::pin(async move {
            if first {
                return Err("no such host (test resolver)".into());
            }
            let addresses: reqwest::dns::Addrs = Box::new(std::iter::once(address));
            Ok(addresses)
        })
    }
}

#[tokio::test]
async fn a_failed_dns_lookup_is_retried_even_for_create() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ok_json(pending_json())).mount(&server).await;
    let lookups = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let resolver = FailingOnce { address: *server.address(), lookups: Arc::clone(&lookups) };
    let http = reqwest::Client::builder().dns_resolver(Arc::new(resolver)).build().expect("an HTTP client");
    let clerk = Client::builder()
        .secret(SECRET)
        .base_url(format!("http://clerk.test:{}", server.address().port()))
        .http_client(http)
        .build()
        .expect("a client");

    let result = within(WALL_LIMIT, create(&clerk).send()).await;

    result.expect("a failed lookup sent nothing, so create is retried");
    assert_eq!(lookups.load(std::sync::atomic::Ordering::SeqCst), 2);
    assert_eq!(requests_seen(&server).await, 1);
}

#[tokio::test]
async fn a_megabyte_id_is_refused_before_any_io_with_a_short_message() {
    let server = MockServer::start().await;
    let clerk = default_client(&server.uri());
    let huge = "x".repeat(1 << 20);

    let error = clerk
        .organization_invitations()
        .get()
        .organization_id(huge)
        .invitation_id("orginv_1")
        .send()
        .await
        .expect_err("a 1 MB id");

    assert!(matches!(error, Error::InvalidArgument { argument: "organization_id", .. }), "{:.200}", error.to_string());
    assert!(error.to_string().len() < 300, "{} bytes of message", error.to_string().len());
    assert_eq!(requests_seen(&server).await, 0);
}

#[tokio::test]
async fn an_oversized_url_is_refused_before_any_io() {
    let server = MockServer::start().await;
    let clerk = default_client(&server.uri());
    let email = format!("{}@example.com", "a".repeat(9000));

    let error = clerk
        .organization_invitations()
        .list()
        .organization_id("org_1")
        .email_address(email)
        .send()
        .await
        .expect_err("a 9 KB query");

    assert!(
        matches!(error, Error::InvalidArgument { operation: "ListOrganizationInvitations", argument: "url", .. }),
        "{error:.200}"
    );
    assert!(error.to_string().len() < 300);
    assert_eq!(requests_seen(&server).await, 0);
}

// ---------------------------------------------------------------------------
// Redirects are never followed
// ---------------------------------------------------------------------------

#[tokio::test]
async fn a_redirect_is_an_api_error_and_is_not_followed() {
    let elsewhere = MockServer::start().await;
    Mock::given(any()).respond_with(ok_json(pending_json())).mount(&elsewhere).await;
    let target = format!("{}/organizations/org_1/invitations/orginv_1", elsewhere.uri());
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(302).insert_header("Location", target.as_str()))
        .mount(&server)
        .await;

    let result = within(WALL_LIMIT, get(&default_client(&server.uri())).send()).await;

    let error = result.expect_err("Clerk does not redirect: a 3XX is an error");
    let api = error.api().unwrap_or_else(|| panic!("a 3XX is an API error: {error:?}"));
    assert_eq!((api.status, api.location()), (302, Some(target.as_str())));
    assert_eq!(requests_seen(&server).await, 1);
    assert_eq!(requests_seen(&elsewhere).await, 0, "the bearer token must not travel to another place");
}

#[tokio::test]
async fn a_redirect_loop_is_one_request() {
    let server = MockServer::start().await;
    let itself = format!("{}/organizations/org_1/invitations/orginv_1", server.uri());
    Mock::given(any())
        .respond_with(ResponseTemplate::new(302).insert_header("Location", itself.as_str()))
        .mount(&server)
        .await;

    let result = within(WALL_LIMIT, get(&default_client(&server.uri())).send()).await;

    assert_eq!(result.expect_err("a loop").api().map(|api| api.status), Some(302));
    assert_eq!(requests_seen(&server).await, 1);
}

#[tokio::test]
async fn a_redirected_create_is_an_error_never_a_get() {
    for status in [301, 302, 303, 307, 308] {
        let elsewhere = MockServer::start().await;
        Mock::given(any()).respond_with(ok_json(pending_json())).mount(&elsewhere).await;
        let server = MockServer::start().await;
        let moved = ResponseTemplate::new(status).insert_header("Location", elsewhere.uri().as_str());
        Mock::given(any()).respond_with(moved).mount(&server).await;

        let result = within(WALL_LIMIT, create(&default_client(&server.uri())).send()).await;

        let error = result.expect_err("a redirected create did not create anything");
        let api = error.api().unwrap_or_else(|| panic!("a 3XX is an API error: {error:?}"));
        assert_eq!((api.status, api.location()), (status, Some(elsewhere.uri().as_str())));
        assert_eq!(requests_seen(&elsewhere).await, 0, "{status}: followed");
        assert_eq!(requests_seen(&server).await, 1, "{status}");
    }
}

// ---------------------------------------------------------------------------
// Bounded memory
// ---------------------------------------------------------------------------

const MIB: u64 = 1024 * 1024;
const SUCCESS_CAP: u64 = 32 * MIB;
const ERROR_CAP: u64 = 64 * 1024;
/// What socket buffers on both sides may hold beyond what the client read.
const BUFFERS: u64 = 16 * MIB;

#[tokio::test]
async fn a_gigabyte_body_is_refused_from_its_content_length() {
    let head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1073741824\r\n\r\n";
    let server = raw::endless(head, false);
    let started = Instant::now();

    let result = within(WALL_LIMIT, get(&default_client(&server.url())).send()).await;

    let error = result.expect_err("a 1 GiB body is over the cap");
    let limit = limits::RESPONSE_BODY;
    assert!(
        matches!(error, Error::ResponseTooLarge { operation: "GetOrganizationInvitation", limit: l } if l == limit)
    );
    assert!(started.elapsed() < WALL_LIMIT, "took {:?}", started.elapsed());
    let server = settled(&server);
    assert_eq!(server.requests(), 1, "too large stays too large: not retried");
    assert!(server.written() < BUFFERS, "the client read on: {} bytes written", server.written());
}

#[tokio::test]
async fn an_endless_body_is_cut_at_the_cap() {
    let server =
        raw::endless(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n", true);
    let started = Instant::now();

    let result = within(WALL_LIMIT, get(&default_client(&server.url())).send()).await;

    let error = result.expect_err("an endless body is over the cap");
    assert!(matches!(error, Error::ResponseTooLarge { limit: 33_554_432, .. }), "{error:?}");
    assert!(started.elapsed() < WALL_LIMIT, "took {:?}", started.elapsed());
    let server = settled(&server);
    assert_eq!(server.requests(), 1, "too large stays too large: not retried");
    let written = server.written();
    assert!(written < SUCCESS_CAP + BUFFERS, "the client read on: {written} bytes written");
}

#[tokio::test]
async fn an_endless_error_body_is_read_only_up_to_its_cap() {
    let server =
        raw::endless(b"HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n", true);

    let result = within(WALL_LIMIT, get(&default_client(&server.url())).send()).await;

    let error = result.expect_err("404");
    let api = error.api().unwrap_or_else(|| panic!("the 404 is still an API error: {error:.300}"));
    assert_eq!(api.status, 404);
    assert_eq!(api.raw_body().len() as u64, ERROR_CAP, "the first 64 KiB are kept");
    assert!(api.body_truncated());
    assert!(error.to_string().len() < 500, "{} bytes of message", error.to_string().len());
    let server = settled(&server);
    assert_eq!(server.requests(), 1);
    assert!(server.written() < ERROR_CAP + BUFFERS, "the client read on: {} bytes written", server.written());
}
