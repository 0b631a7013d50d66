//! How many connections and calls in flight one client holds: a burst of
//! concurrent calls against a slow local server that counts the sockets it
//! accepts, the ones open at once, and the requests it serves at once.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use clerk_invitations::{limits, Client, Error, TimeoutKind};

use crate::raw::{self, RawServer};
use crate::wire::{pending, pending_json, SECRET};

/// A count that remembers its highest value.
#[derive(Default)]
struct Gauge {
    now: AtomicUsize,
    most: AtomicUsize,
}

impl Gauge {
    /// Counts one more until the guard is dropped.
    fn enter(&self) -> Entered<'_> {
        let now = self.now.fetch_add(1, Ordering::SeqCst) + 1;
        self.most.fetch_max(now, Ordering::SeqCst);
        Entered(self)
    }

    fn now(&self) -> usize {
        self.now.load(Ordering::SeqCst)
    }

    fn most(&self) -> usize {
        self.most.load(Ordering::SeqCst)
    }
}

struct Entered<'a>(&'a Gauge);

impl Drop for Entered<'_> {
    fn drop(&mut self) {
        self.0.now.fetch_sub(1, Ordering::SeqCst);
    }
}

/// What the server saw: connections open, and requests being answered.
#[derive(Default)]
struct Load {
    open: Gauge,
    busy: Gauge,
}

/// Answers each request with an invitation after `delay`, keeping the
/// connection open until the client closes it.
fn slow_server(delay: Duration) -> (RawServer, Arc<Load>) {
    let body = pending_json().to_string();
    let response: &'static [u8] =
        format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}", body.len())
            .into_bytes()
            .leak();
    let load = Arc::new(Load::default());
    let seen = Arc::clone(&load);
    let server = raw::serve(move |mut stream, stats| {
        let _open = seen.open.enter();
        while stats.read_request(&mut stream) {
            let busy = seen.busy.enter();
            std::thread::sleep(delay);
            drop(busy);
            if !stats.write(&mut stream, response) {
                return;
            }
        }
    });
    (server, load)
}

/// Makes `calls` gets at once through clones of `clerk`, each in its own task,
/// and returns how many succeeded.
async fn burst(clerk: &Client, calls: usize) -> usize {
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..calls {
        let clerk = clerk.clone();
        tasks.spawn(async move {
            clerk.organization_invitations().get().organization_id("org_1").invitation_id("orginv_1").send().await
        });
    }
    let mut succeeded = 0;
    while let Some(done) = tasks.join_next().await {
        let invitation = done.expect("a call task");
        assert_eq!(invitation.expect("the call succeeds"), pending());
        succeeded += 1;
    }
    succeeded
}

/// Waits, up to `limit`, until `done` holds.
async fn within(limit: Duration, what: &str, done: impl Fn() -> bool) {
    let started = Instant::now();
    while !done() {
        assert!(started.elapsed() < limit, "{what}: still not so after {limit:?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_thousand_concurrent_calls_open_at_most_the_in_flight_limit_plus_the_idle_pool() {
    let (server, load) = slow_server(Duration::from_millis(10));
    let clerk = Client::builder().secret(SECRET).base_url(server.url()).build().expect("a default client");

    assert_eq!(burst(&clerk, 2000).await, 2000);

    assert_eq!((limits::CALLS_IN_FLIGHT, limits::IDLE_CONNECTIONS), (64, 64));
    let bound = limits::CALLS_IN_FLIGHT + limits::IDLE_CONNECTIONS;
    assert!(server.connections() <= bound, "{} connections accepted for 2,000 calls", server.connections());
    assert!(load.open.most() <= bound, "{} connections open at once", load.open.most());
    assert!(load.busy.most() <= limits::CALLS_IN_FLIGHT, "{} requests served at once", load.busy.most());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_connections_beyond_the_pool_or_past_the_idle_timeout_are_closed() {
    let (server, load) = slow_server(Duration::from_millis(50));
    let clerk = Client::builder()
        .secret(SECRET)
        .base_url(server.url())
        .max_idle_connections(2)
        .idle_timeout(Duration::from_millis(500))
        .build()
        .expect("a client");

    assert_eq!(burst(&clerk, 20).await, 20);

    assert_eq!(server.connections(), 20, "one connection per call at once");
    // Well before the idle timeout, the pool has closed all but two.
    within(Duration::from_millis(250), "the idle pool keeps two", || load.open.now() <= 2).await;
    assert_eq!(load.open.now(), 2, "the pool keeps two for reuse");
    within(Duration::from_secs(5), "the idle timeout closes the rest", || load.open.now() == 0).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_hundred_concurrent_calls_all_complete_with_at_most_the_limit_in_flight() {
    let (server, load) = slow_server(Duration::from_millis(50));
    let clerk = Client::builder().secret(SECRET).base_url(server.url()).build().expect("a default client");

    assert_eq!(burst(&clerk, 300).await, 300);

    assert!(load.busy.most() <= limits::CALLS_IN_FLIGHT, "{} requests served at once", load.busy.most());
    assert_eq!(server.requests(), 300, "each call sent once: none timed out waiting");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_limit_applies_to_a_users_own_reqwest_client() {
    let (server, load) = slow_server(Duration::from_millis(50));
    let http = reqwest::Client::builder().build().expect("an HTTP client");
    let clerk = Client::builder().secret(SECRET).base_url(server.url()).http_client(http).build().expect("a client");

    assert_eq!(burst(&clerk, 150).await, 150);

    assert!(load.busy.most() <= limits::CALLS_IN_FLIGHT, "{} requests served at once", load.busy.most());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_call_whose_deadline_passes_while_it_waits_for_a_slot_is_a_deadline_timeout() {
    // Every request is read and never answered: the first 64 calls hold every slot.
    let server = raw::serve(|mut stream, stats| {
        if stats.read_request(&mut stream) {
            raw::wait_for_close(&mut stream);
        }
    });
    let clerk = Client::builder().secret(SECRET).base_url(server.url()).build().expect("a default client");
    let mut hanging = tokio::task::JoinSet::new();
    for _ in 0..limits::CALLS_IN_FLIGHT {
        let clerk = clerk.clone();
        hanging.spawn(async move {
            clerk.organization_invitations().get().organization_id("org_1").invitation_id("orginv_1").send().await
        });
    }
    within(Duration::from_secs(5), "every slot is taken", || server.requests() == limits::CALLS_IN_FLIGHT).await;

    let waiting = clerk.with_deadline(Duration::from_millis(300));
    let started = Instant::now();
    let result =
        waiting.organization_invitations().get().organization_id("org_1").invitation_id("orginv_2").send().await;

    let deadline = TimeoutKind::Deadline(Duration::from_millis(300));
    let error = result.expect_err("no slot frees up");
    assert!(matches!(error, Error::Timeout { kind, .. } if kind == deadline), "{error:?}");
    let waited = started.elapsed();
    assert!(waited >= Duration::from_millis(300) && waited < Duration::from_secs(3), "waited {waited:?}");
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(server.requests(), limits::CALLS_IN_FLIGHT, "the waiting call sent nothing");
    hanging.abort_all();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_call_waiting_to_retry_leaves_its_slot_to_other_calls() {
    use wiremock::matchers::path;
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let server = MockServer::start().await;
    let retrying = "/organizations/org_retry/invitations/orginv_1";
    let unavailable = ResponseTemplate::new(503).insert_header("Retry-After", "2");
    Mock::given(path(retrying)).respond_with(unavailable).up_to_n_times(1).with_priority(1).mount(&server).await;
    let ok = ResponseTemplate::new(200).set_body_json(pending_json());
    Mock::given(wiremock::matchers::any()).respond_with(ok).with_priority(2).mount(&server).await;
    let clerk = Client::builder().secret(SECRET).base_url(server.uri()).max_in_flight(1).build().expect("a client");

    let first = clerk.clone();
    let retried = tokio::spawn(async move {
        first.organization_invitations().get().organization_id("org_retry").invitation_id("orginv_1").send().await
    });
    let seen = || async { server.received_requests().await.expect("recording").len() };
    let started = Instant::now();
    while seen().await == 0 {
        assert!(started.elapsed() < Duration::from_secs(5), "the first call never arrived");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }

    // The only slot is free while the first call waits out its `Retry-After`.
    let other = Instant::now();
    let result = clerk.organization_invitations().get().organization_id("org_1").invitation_id("orginv_1").send().await;
    assert_eq!(result.expect("the other call succeeds"), pending());
    assert!(other.elapsed() < Duration::from_secs(1), "the other call waited {:?} for the slot", other.elapsed());

    assert_eq!(retried.await.expect("the task").expect("the retry succeeds"), pending());
    assert_eq!(seen().await, 3);
}
