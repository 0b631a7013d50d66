//! The mock of an API: its state (expectations, recorded calls, problems),
//! and the handle a test holds, which starts the loopback server and checks
//! at the end that nothing went wrong.

use std::collections::BTreeMap;
use std::ops::Deref;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, Weak};
use std::time::Duration;

use bytes::Bytes;
use http::HeaderMap;
use serde::de::DeserializeOwned;

use super::Document;
use crate::{Api, Client, ClientBuilder};

/// A generated crate's client, which a [`Mock`] can stand behind. Generated
/// crates implement it for their `Client` (feature `test-util`).
pub trait Mocked: From<Client> + Clone {
    /// The API's description.
    #[doc(hidden)]
    fn api() -> &'static Api;
    /// The API's document, as the crate keeps it.
    #[doc(hidden)]
    fn document() -> &'static Document;
}

/// The API on a loopback port, for tests: script its answers through the
/// generated call builders, hand [`client`](Mock::client) to the code under
/// test, then look at what it was asked.
///
/// - `mock.<group>().<call>()…` starts an expectation, like a call: set the
///   arguments to match, then [`Returns::returns`](super::Returns::returns),
///   [`Expect::fails`](super::Expect::fails) or
///   [`Expect::responds`](super::Expect::responds). A scripted answer the
///   operation's document rules out (a status it does not list, a body that
///   breaks its schema) is refused right there, naming where it breaks.
/// - A request is answered by the first expectation, in the order they were
///   set up, that matches it and has not answered its
///   [`times`](super::Expectation::times) yet; `returns_in_order` scripts a
///   sequence (pages, say).
/// - A request that breaks the document, or that no expectation matches, is
///   answered `421 Misdirected Request` in the API's error format, naming
///   the operation and what it got, and fails [`verify`](Mock::verify).
/// - [`verify`](Mock::verify) runs when the mock is dropped too, unless the
///   test is panicking already.
///
/// It derefs to the client, so `mock.organization_invitations()` reaches the
/// call builders. Requires a Tokio runtime (the server is a task on it).
pub struct Mock<C> {
    state: Arc<State>,
    client: C,
    server: tokio::task::JoinHandle<()>,
}

impl<C> std::fmt::Debug for Mock<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mock").field("base_url", &self.state.base_url).finish_non_exhaustive()
    }
}

/// What a mock holds, shared by its server and the expectations set up.
pub(crate) struct State {
    pub(crate) api: &'static Api,
    pub(crate) document: &'static Document,
    pub(crate) base_url: String,
    inner: Mutex<Inner>,
}

#[derive(Default)]
pub(crate) struct Inner {
    pub(crate) expectations: Vec<Expected>,
    pub(crate) calls: Vec<RecordedCall>,
    /// What went wrong, one line each: `verify` fails on any.
    pub(crate) problems: Vec<String>,
}

/// One expectation: which requests it matches and how it answers.
pub(crate) struct Expected {
    pub(crate) operation: &'static str,
    pub(crate) matcher: Matcher,
    pub(crate) answer: Answer,
    /// How many calls it answers; any number when `None`.
    pub(crate) times: Option<usize>,
    pub(crate) served: usize,
}

/// The arguments an expectation was set up with, as they go on the wire: a
/// request matches when its path is the same, and its query, headers and
/// JSON body hold at least what these hold.
pub(crate) struct Matcher {
    /// `None` for a segment left unset (any value).
    pub(crate) segments: Vec<Option<String>>,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Option<serde_json::Value>,
}

#[derive(Clone)]
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
    pub(crate) json: bool,
    pub(crate) delay: Option<Duration>,
}

/// A request the mock got, as it got it.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct RecordedCall {
    /// The operationId it went to; empty when no operation is at its path.
    pub operation: String,
    /// `GET`, `POST`, …
    pub method: String,
    /// The path, as sent (percent-encoded).
    pub path: String,
    /// The path parameters, decoded, by name.
    pub path_params: Vec<(String, String)>,
    /// The query parameters, decoded, in order.
    pub query: Vec<(String, String)>,
    /// The headers.
    pub headers: HeaderMap,
    /// The body as sent.
    pub body: Bytes,
    /// Whether an expectation answered it.
    pub matched: bool,
    /// Which expectation did, by its index.
    pub(crate) served_by: Option<usize>,
}

impl RecordedCall {
    /// The first value of the query parameter `name`.
    pub fn query_param(&self, name: &str) -> Option<&str> {
        self.query.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str())
    }

    /// The path parameter `name`.
    pub fn path_param(&self, name: &str) -> Option<&str> {
        self.path_params.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str())
    }

    /// The body as JSON, read as `T` (a generated model, or
    /// `serde_json::Value`).
    pub fn body_as<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_slice(&self.body)
    }
}

/// The mocks alive, by base URL: how an expectation, which holds only a
/// client, finds its mock.
static MOCKS: Mutex<BTreeMap<String, Weak<State>>> = Mutex::new(BTreeMap::new());

fn mocks() -> MutexGuard<'static, BTreeMap<String, Weak<State>>> {
    MOCKS.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The mock a client was made by, if it was.
pub(crate) fn state_of(client: &Client) -> Option<Arc<State>> {
    mocks().get(client.base_url()).and_then(Weak::upgrade)
}

impl State {
    pub(crate) fn new(api: &'static Api, document: &'static Document, base_url: String) -> State {
        State { api, document, base_url, inner: Mutex::new(Inner::default()) }
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl<C: Mocked> Mock<C> {
    /// Starts the mock on a loopback port, on the current Tokio runtime.
    ///
    /// # Panics
    ///
    /// When no loopback port can be bound.
    pub async fn start() -> Mock<C> {
        let listener = match tokio::net::TcpListener::bind(("127.0.0.1", 0)).await {
            Ok(listener) => listener,
            Err(error) => panic!("the mock cannot listen on a loopback port: {error}"),
        };
        let address = match listener.local_addr() {
            Ok(address) => address,
            Err(error) => panic!("the mock's loopback port has no address: {error}"),
        };
        let base_url = format!("http://{address}");
        let state = Arc::new(State::new(C::api(), C::document(), base_url.clone()));
        mocks().retain(|_, state| state.strong_count() > 0);
        mocks().insert(base_url.clone(), Arc::downgrade(&state));
        let server = tokio::spawn(super::server::serve(listener, Arc::clone(&state)));
        let mut builder = ClientBuilder::<C>::new(state.api).base_url(base_url);
        if !state.api.schemes.is_empty() {
            builder = builder.secret("mock-secret");
        }
        let client = match builder.build() {
            Ok(client) => client,
            Err(error) => panic!("the mock's client cannot be built: {error}"),
        };
        Mock { state, client, server }
    }
}

impl<C: Clone> Mock<C> {
    /// A client pointed at the mock, with the default settings (time limits,
    /// retries) a client has: hand it to the code under test.
    pub fn client(&self) -> C {
        self.client.clone()
    }
}

impl<C> Mock<C> {
    /// The mock's base URL (`http://127.0.0.1:PORT`), for a client built
    /// another way.
    pub fn base_url(&self) -> &str {
        &self.state.base_url
    }

    /// Every request the mock got, in order.
    pub fn calls(&self) -> Vec<RecordedCall> {
        self.state.lock().calls.clone()
    }

    /// The requests to the operation `operation` (its operationId), in order.
    pub fn calls_to(&self, operation: &str) -> Vec<RecordedCall> {
        self.state.lock().calls.iter().filter(|call| call.operation == operation).cloned().collect()
    }

    /// The problems found so far (requests that broke the document or
    /// matched no expectation, and expectations short of their `times`),
    /// taken: a test that expects them takes them, and `verify` passes after.
    pub fn take_problems(&self) -> Vec<String> {
        let mut inner = self.state.lock();
        let found = problems(&inner);
        inner.problems.clear();
        for expected in &mut inner.expectations {
            expected.times = None;
        }
        found
    }

    /// Panics, listing each, if a request broke the document or matched no
    /// expectation, or an expectation with [`times`](super::Expectation::times)
    /// did not answer that many calls.
    pub fn verify(&self) {
        let problems = problems(&self.state.lock());
        if !problems.is_empty() {
            panic!("the mock of the API found {} problem(s):\n- {}", problems.len(), problems.join("\n- "));
        }
    }
}

fn problems(inner: &Inner) -> Vec<String> {
    let mut problems = inner.problems.clone();
    for (index, expected) in inner.expectations.iter().enumerate() {
        if let Some(times) = expected.times.filter(|times| *times != expected.served) {
            problems.push(format!(
                "expectation #{} ({}) was to answer {times} call(s) and answered {}",
                index + 1,
                expected.operation,
                expected.served
            ));
        }
    }
    problems
}

impl<C> Deref for Mock<C> {
    type Target = C;

    fn deref(&self) -> &C {
        &self.client
    }
}

impl<C> Drop for Mock<C> {
    fn drop(&mut self) {
        self.server.abort();
        mocks().remove(&self.state.base_url);
        if !std::thread::panicking() {
            self.verify();
        }
    }
}
