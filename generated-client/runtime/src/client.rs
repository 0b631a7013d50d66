//! The client: connection pool, base URL, credentials, and the limits calls
//! work within.

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Semaphore;

use crate::api::Api;
use crate::auth::{self, Credential};
use crate::{limits, Error, Retries};

/// A client of one API. Cheap to clone: clones share one connection pool
/// and configuration, and each may carry its own time limits and retries.
///
/// By default every attempt has 30 s, connecting 10 s, a call makes at most 4
/// attempts (3 retries) within 30 s, and the whole call ends after 60 s at the
/// latest; at most
/// 64 calls send at once, the others waiting for a slot, and at most 64 idle
/// connections stay open, for 30 s (see [`limits`](crate::limits)).
#[derive(Clone)]
pub struct Client {
    pub(crate) shared: Arc<Shared>,
    /// Limit for each attempt, from connecting to reading the whole response.
    pub(crate) timeout: Duration,
    /// Limit for the whole call, retries and waits included.
    pub(crate) deadline: Duration,
    pub(crate) retries: Retries,
}

/// What every clone of a client shares.
pub(crate) struct Shared {
    pub(crate) http: reqwest::Client,
    /// The timeout `http` applies to a request that sets none: the builder's,
    /// when the client built `http` itself. A request sets its own only when it
    /// needs another (reqwest stores it in the request's extensions, which
    /// allocates).
    pub(crate) http_timeout: Option<Duration>,
    /// Parsed once; without a trailing `/`, since paths start with one.
    pub(crate) base_url: url::Url,
    /// The secrets, ready to send, one per security scheme that has one.
    pub(crate) credentials: Vec<Credential>,
    /// The API the client was built for, and its constant headers, parsed.
    pub(crate) api: &'static Api,
    pub(crate) constant_headers: Vec<(http::HeaderName, http::HeaderValue)>,
    pub(crate) max_response_body: usize,
    pub(crate) max_request_body: usize,
    /// One permit per call that may be sending: held for an attempt, from
    /// sending to the answer's last byte, by every clone of the client.
    pub(crate) in_flight: Semaphore,
    pub(crate) max_in_flight: usize,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.base_url())
            .field("timeout", &self.timeout)
            .field("deadline", &self.deadline)
            .field("max_response_body", &self.shared.max_response_body)
            .field("max_request_body", &self.shared.max_request_body)
            .field("max_in_flight", &self.shared.max_in_flight)
            .field("retries", &self.retries)
            .field("secret_key", &"<redacted>")
            .finish()
    }
}

impl Client {
    /// The base URL requests go to, e.g. `https://api.example.com/v1`.
    pub fn base_url(&self) -> &str {
        self.shared.base_url.as_str().trim_end_matches('/')
    }

    /// The same client (sharing its connection pool) with another per-attempt
    /// timeout, for one call or a group of calls.
    pub fn with_timeout(&self, timeout: Duration) -> Client {
        Client { timeout, ..self.clone() }
    }

    /// The same client with another deadline for each whole call (attempts,
    /// waits between them and all). A call past it is `Error::Timeout`.
    pub fn with_deadline(&self, deadline: Duration) -> Client {
        Client { deadline, ..self.clone() }
    }

    /// The same client with other retry settings, e.g. `Retries::off()` for a call
    /// that must be sent at most once.
    pub fn with_retries(&self, retries: Retries) -> Client {
        Client { retries, ..self.clone() }
    }
}

/// Settings for a client. `C` is the client type built: this crate's
/// [`Client`], or a generated crate's client, which wraps one.
pub struct ClientBuilder<C = Client> {
    api: &'static Api,
    secret: Option<String>,
    /// Secrets for one scheme each, by the scheme's name.
    credentials: Vec<(String, String)>,
    base_url: Option<String>,
    timeout: Duration,
    deadline: Duration,
    max_response_body: usize,
    max_request_body: usize,
    max_in_flight: usize,
    max_idle_connections: usize,
    idle_timeout: Duration,
    retries: Retries,
    #[cfg(feature = "reqwest-client")]
    http: Option<reqwest::Client>,
    built: PhantomData<fn() -> C>,
}

impl<C> fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The base URL is not checked yet and may hold a password.
        let base_url = self.base_url.as_deref().map(|url| if url.contains('@') { "<has user info>" } else { url });
        f.debug_struct("ClientBuilder")
            .field("secret_key", &"<redacted>")
            .field("base_url", &base_url)
            .field("timeout", &self.timeout)
            .field("deadline", &self.deadline)
            .field("max_response_body", &self.max_response_body)
            .field("max_request_body", &self.max_request_body)
            .field("max_in_flight", &self.max_in_flight)
            .field("max_idle_connections", &self.max_idle_connections)
            .field("idle_timeout", &self.idle_timeout)
            .field("retries", &self.retries)
            .finish()
    }
}

impl<C: From<Client>> ClientBuilder<C> {
    /// A builder for a client of `api`, with no secret yet. Generated crates
    /// call this from their `Client::builder`.
    pub fn new(api: &'static Api) -> Self {
        ClientBuilder {
            api,
            secret: None,
            credentials: Vec::new(),
            base_url: None,
            timeout: limits::TIMEOUT,
            deadline: limits::DEADLINE,
            max_response_body: limits::RESPONSE_BODY,
            max_request_body: limits::REQUEST_BODY,
            max_in_flight: limits::CALLS_IN_FLIGHT,
            max_idle_connections: limits::IDLE_CONNECTIONS,
            idle_timeout: limits::IDLE_TIMEOUT,
            retries: Retries::default(),
            #[cfg(feature = "reqwest-client")]
            http: None,
            built: PhantomData,
        }
    }

    /// The secret (an API key, a token; `user:password` for HTTP basic) sent
    /// as each of the API's security schemes says, unless one is given a
    /// secret of its own with [`credential`](Self::credential).
    pub fn secret(mut self, secret: impl Into<String>) -> Self {
        self.secret = Some(secret.into());
        self
    }

    /// The secret for the security scheme named `scheme` in the document
    /// (`components.securitySchemes`), for an API whose schemes take
    /// different secrets. An unknown name is an error at `build`.
    pub fn credential(mut self, scheme: impl Into<String>, secret: impl Into<String>) -> Self {
        let scheme = scheme.into();
        self.credentials.retain(|(name, _)| *name != scheme);
        self.credentials.push((scheme, secret.into()));
        self
    }

    /// The secret from the API's environment variable ([`Api::secret_var`],
    /// e.g. `PETSTORE_SECRET_KEY`); an error if it is not set.
    pub fn secret_from_env(self) -> Result<Self, Error> {
        match self.api.secret_var {
            Some(var) => self.secret_from_var(var),
            None => Err(Error::Config("the API names no environment variable for its secret".to_owned())),
        }
    }

    /// The secret from the environment variable `var`, in place of the API's
    /// own; an error if it is not set.
    pub fn secret_from_var(self, var: &str) -> Result<Self, Error> {
        let secret = std::env::var(var).map_err(|_| Error::Config(format!("{var} is not set or not valid UTF-8")))?;
        Ok(self.secret(secret))
    }

    /// Sends requests here instead of the spec's server (a proxy, a mock server).
    /// It must be `http` or `https`, without user info, query or fragment.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = Some(base_url.into());
        self
    }

    /// Limits each attempt, from connecting to reading the whole response
    /// (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Limits each whole call, every attempt and every wait between them
    /// included (default 60 s). A call past it is `Error::Timeout`.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = deadline;
        self
    }

    /// The largest 2XX body the client reads, in bytes (default 32 MiB); a larger
    /// one is `Error::ResponseTooLarge`, found without reading it whole.
    pub fn max_response_body(mut self, bytes: usize) -> Self {
        self.max_response_body = bytes;
        self
    }

    /// The largest request body the client sends, in bytes (default 32 MiB),
    /// JSON or `multipart/form-data`; a larger one is `Error::InvalidArgument`,
    /// naming its size, before anything is sent.
    pub fn max_request_body(mut self, bytes: usize) -> Self {
        self.max_request_body = bytes;
        self
    }

    /// How many calls of this client (all its clones included) may be sending
    /// at once (default 64, at least 1); the others wait for a slot, within
    /// their deadline. A slot is held for one attempt, so a call waiting to
    /// retry frees its own. This holds for a `reqwest::Client` of your own too.
    pub fn max_in_flight(mut self, calls: usize) -> Self {
        self.max_in_flight = calls;
        self
    }

    /// How many idle connections the client keeps open for reuse (default 64,
    /// as many as calls in flight); more are closed as calls end. A `reqwest::Client` of your own keeps its
    /// own setting.
    pub fn max_idle_connections(mut self, connections: usize) -> Self {
        self.max_idle_connections = connections;
        self
    }

    /// How long an idle connection stays open (default 30 s). A
    /// `reqwest::Client` of your own keeps its own setting.
    pub fn idle_timeout(mut self, timeout: Duration) -> Self {
        self.idle_timeout = timeout;
        self
    }

    /// How failed calls are retried; by default at most 4 attempts within 30 s,
    /// with the spec's backoff (`Retries::spec()` for the spec's whole policy).
    pub fn retries(mut self, retries: Retries) -> Self {
        self.retries = retries;
        self
    }

    /// Uses a `reqwest::Client` you configured (proxies, DNS, pool sizes).
    /// The timeout, deadline, body limits, calls in flight and retries set on
    /// this builder still apply to every call, but its connect timeout, idle
    /// pool and redirect policy are its own: build it with `redirect(reqwest::redirect::Policy::none())`, or a
    /// redirect will carry the secret wherever it points.
    #[cfg(feature = "reqwest-client")]
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Checks the settings and builds the client.
    pub fn build(self) -> Result<C, Error> {
        let credentials = auth::prepare(self.api, self.secret.as_deref(), &self.credentials)?;
        let constant_headers = crate::request::constant_headers(self.api).map_err(Error::Config)?;
        if credentials.is_empty() && !self.api.schemes.is_empty() {
            let from = self.api.secret_var.map(|var| format!(" (or set {var})")).unwrap_or_default();
            return Err(Error::Config(format!("no secret is set: give the client one{from}")));
        }

        let base_url = match self.base_url.as_deref().or(self.api.default_base_url) {
            Some(url) => url.trim_end_matches('/').to_owned(),
            None => return Err(Error::Config("the spec names no server; set a base URL".to_owned())),
        };
        let base_url = check_base_url(&base_url)?;
        if self.max_in_flight == 0 {
            return Err(Error::Config("max_in_flight must be at least 1: no call could be sent".to_owned()));
        }
        let max_in_flight = self.max_in_flight.min(Semaphore::MAX_PERMITS);

        #[cfg(feature = "reqwest-client")]
        let custom = self.http;
        #[cfg(not(feature = "reqwest-client"))]
        let custom: Option<reqwest::Client> = None;
        let (http, http_timeout) = match custom {
            Some(http) => (http, None),
            None => {
                check_tls(&base_url)?;
                let pool = Pool { max_idle: self.max_idle_connections, idle_timeout: self.idle_timeout };
                (build_http(self.api, self.timeout, pool)?, Some(self.timeout))
            }
        };
        let shared = Shared {
            http,
            http_timeout,
            base_url,
            credentials,
            api: self.api,
            constant_headers,
            max_response_body: self.max_response_body,
            max_request_body: self.max_request_body,
            in_flight: Semaphore::new(max_in_flight),
            max_in_flight,
        };
        let client =
            Client { shared: Arc::new(shared), timeout: self.timeout, deadline: self.deadline, retries: self.retries };
        Ok(C::from(client))
    }
}

/// The idle pool of the client's own `reqwest::Client`.
struct Pool {
    max_idle: usize,
    idle_timeout: Duration,
}

/// The client's own `reqwest::Client`, with the builder's timeout as the
/// default of each request (`with_timeout` and the deadline override it per
/// request) and its bounded idle pool.
fn build_http(api: &Api, timeout: Duration, pool: Pool) -> Result<reqwest::Client, Error> {
    reqwest::Client::builder()
        .user_agent(format!("{} {}/{}", api.user_agent, env!("CARGO_PKG_NAME"), env!("CARGO_PKG_VERSION")))
        .timeout(timeout)
        .connect_timeout(limits::CONNECT_TIMEOUT)
        // reqwest keeps every idle connection for 90 s by default: a burst of
        // 2,000 calls left 2,000 sockets open.
        .pool_max_idle_per_host(pool.max_idle)
        .pool_idle_timeout(pool.idle_timeout)
        // Following a redirect would resend the secret (in cleartext after
        // https → http) and turn a POST into a GET that "succeeds"; a 3XX is
        // returned as an error instead.
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|error| Error::Config(format!("HTTP client: {error}")))
}

/// The TLS features, one of which an `https` base URL needs.
const TLS_FEATURES: &str = "`rustls-tls`, `rustls-tls-native-roots` or `native-tls`";

/// Whether this build can reach `base_url`: without a TLS feature, the
/// client's own `reqwest::Client` speaks plain HTTP only, and every `https`
/// call would fail after all its attempts with a message that names no
/// feature. So such a build refuses an `https` base URL when it is built;
/// plain `http` (a local mock) works.
fn check_tls(base_url: &url::Url) -> Result<(), Error> {
    const HAS_TLS: bool =
        cfg!(any(feature = "rustls-tls", feature = "rustls-tls-native-roots", feature = "native-tls"));
    if HAS_TLS || base_url.scheme() != "https" {
        return Ok(());
    }
    Err(Error::Config(format!(
        "the base URL is https, but this build has no TLS: turn on one of the features {TLS_FEATURES} (of the \
generated crate, which passes it to this runtime), or set an http base URL"
    )))
}

/// An http(s) URL without user info (reqwest would send it as Basic auth in
/// place of the client's own credentials, and `Debug` would print the password), query or
/// fragment (the paths appended after it would land in them).
fn check_base_url(base_url: &str) -> Result<url::Url, Error> {
    // Never quote a URL that may hold a password.
    let shown = if base_url.contains('@') { "(hidden: it has user info)" } else { base_url };
    let url = url::Url::parse(base_url)
        .map_err(|error| Error::Config(format!("base URL `{shown}` is not a valid URL: {error}")))?;
    let problem = if !matches!(url.scheme(), "http" | "https") {
        "is not an http(s) URL"
    } else if !url.username().is_empty() || url.password().is_some() {
        "must not carry user info (`user:password@`): the client authenticates with its secret"
    } else if url.query().is_some() {
        "must not have a query"
    } else if url.fragment().is_some() {
        "must not have a fragment"
    } else {
        return Ok(url);
    };
    Err(Error::Config(format!("base URL `{shown}` {problem}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    static API: Api = API_FIELDS;
    const API_FIELDS: Api = Api {
        default_base_url: Some("https://api.example.com/v1"),
        user_agent: "t",
        headers: &[],
        schemes: &[crate::Scheme { name: "bearer", kind: crate::SchemeKind::Bearer }],
        secret_var: Some("TEST_API_SECRET_KEY_NEVER_SET"),
        errors: crate::ErrorFormat::STATUS,
    };

    fn builder(secret: &str) -> ClientBuilder {
        ClientBuilder::new(&API).secret(secret)
    }

    #[test]
    fn debug_output_never_shows_the_secret() {
        let builder = builder("sk_test_supersecret").base_url("http://127.0.0.1:9");
        assert!(!format!("{builder:?}").contains("supersecret"));
        let client = builder.build().unwrap();
        let auth::Sent::Header(_, value) = &client.shared.credentials[0].sent else { panic!("a header") };
        let shown = format!("{client:?} {value:?}");
        assert!(!shown.contains("supersecret"), "{shown}");
    }

    #[test]
    fn base_url_must_be_http() {
        let error = builder("sk_test_x").base_url("ftp://example.com").build().unwrap_err();
        assert!(error.to_string().contains("ftp://example.com"), "{error}");
        assert!(!error.to_string().contains("sk_test_x"));
    }

    #[test]
    fn a_limit_of_no_calls_in_flight_is_refused() {
        let error = builder("sk_test_x").max_in_flight(0).build().unwrap_err();
        assert!(matches!(&error, Error::Config(message) if message.contains("max_in_flight")), "{error:?}");
        let client = builder("sk_test_x").max_in_flight(usize::MAX).build().expect("capped, not refused");
        assert_eq!(client.shared.max_in_flight, Semaphore::MAX_PERMITS);
    }

    #[test]
    fn empty_secret_is_refused() {
        assert!(matches!(builder("  ").build(), Err(Error::Config(_))));
    }

    #[test]
    fn constant_headers_that_are_not_http_are_refused_when_the_client_is_built() {
        static BAD: Api = Api { headers: &[("bad name", "1")], ..API_FIELDS };
        let error = ClientBuilder::<Client>::new(&BAD).secret("s").build().unwrap_err();
        assert_eq!(error.to_string(), "invalid client configuration: the API's constant headers are not valid HTTP");
        static GOOD: Api = Api { headers: &[("x-api-version", "2")], ..API_FIELDS };
        let client = ClientBuilder::<Client>::new(&GOOD).secret("s").build().expect("valid");
        assert_eq!(client.shared.constant_headers[0].0.as_str(), "x-api-version");
    }

    #[test]
    fn no_secret_for_an_api_with_schemes_is_refused_naming_the_variable() {
        let error = ClientBuilder::<Client>::new(&API).build().unwrap_err();
        assert_eq!(
            error.to_string(),
            "invalid client configuration: no secret is set: give the client one (or set TEST_API_SECRET_KEY_NEVER_SET)"
        );
        let error = ClientBuilder::<Client>::new(&API).secret_from_env().unwrap_err();
        assert_eq!(
            error.to_string(),
            "invalid client configuration: TEST_API_SECRET_KEY_NEVER_SET is not set or not valid UTF-8"
        );
    }

    #[test]
    fn a_base_url_with_credentials_or_a_fragment_is_refused_without_showing_the_password() {
        for url in ["https://user:hunter2pass@api.example.com/v1", "https://user@api.example.com/v1"] {
            let builder = builder("sk_test_x").base_url(url);
            assert!(!format!("{builder:?}").contains("hunter2pass"), "{builder:?}");
            let error = builder.build().unwrap_err();
            assert!(matches!(error, Error::Config(_)), "{url}: {error:?}");
            assert!(!format!("{error} {error:?}").contains("hunter2pass"), "{error}");
        }
        let error = builder("sk_test_x").base_url("https://api.example.com/v1#top").build().unwrap_err();
        assert!(matches!(error, Error::Config(_)), "{error:?}");
    }

    /// Run by `.ci/run` as `cargo test -p openapi-client-runtime --no-default-features --lib tls`.
    #[cfg(not(any(feature = "rustls-tls", feature = "rustls-tls-native-roots", feature = "native-tls")))]
    #[test]
    fn without_tls_an_https_base_url_is_refused_at_build_naming_the_features() {
        let error = builder("sk_test_x").base_url("https://api.example.com/v1").build().unwrap_err();
        assert!(matches!(error, Error::Config(_)), "{error:?}");
        let message = error.to_string();
        for feature in ["`rustls-tls`", "`rustls-tls-native-roots`", "`native-tls`"] {
            assert!(message.contains(feature), "{message}");
        }
        builder("sk_test_x").base_url("http://127.0.0.1:9").build().expect("plain http needs no TLS");
    }

    #[cfg(any(feature = "rustls-tls", feature = "rustls-tls-native-roots", feature = "native-tls"))]
    #[test]
    fn with_tls_an_https_base_url_builds() {
        builder("sk_test_x").base_url("https://api.example.com/v1").build().expect("a TLS feature is on");
    }
}
