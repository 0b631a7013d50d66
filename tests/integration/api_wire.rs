//! What the generated description of an API (`openapi_client_runtime::Api`)
//! makes a client do on the wire, for APIs other than Clerk's: each fixture of
//! `tests/fixtures/api/` (one per security scheme, one per error style) is
//! generated into a crate, one program built against all of them runs a
//! scenario per test against a local server, and the test checks the headers,
//! query and cookies the server received and what the program printed of the
//! errors it decoded.
//!
//! Nothing here is in the runtime: a scheme, a header name or an error pointer
//! the generator did not write from the document would fail these tests.

use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

use serde_json::json;
use verify::compile::{scratch_root, GeneratedCrate};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use crate::wire::header;

/// The fixtures, each a crate named `fixture-api-{name}`; `bearer` is also
/// generated with a version header, as Clerk's crate is.
const FIXTURES: &[&str] = &[
    "auth_basic",
    "auth_bearer",
    "auth_cookie_key",
    "auth_header_key",
    "auth_mixed",
    "auth_query_key",
    "errors_envelope",
    "errors_none",
    "errors_problem",
];

/// The header `auth_bearer` is generated with: every call sends its
/// `info.version` (`3.1`) in it.
const VERSION_HEADER: &str = "X-Api-Version";

/// The program's scenarios: `async fn {name}(base: &str) -> Outcome` each.
const SCENARIOS: &str = r#"
type Outcome = Result<(), Box<dyn std::error::Error>>;

/// `Err`'s message, or what came back instead.
fn failed<T: std::fmt::Debug, E: std::fmt::Display + std::fmt::Debug>(result: Result<T, E>) -> String {
    match result {
        Ok(value) => format!("not refused: {value:?}"),
        Err(error) => format!("{error} | {error:?}"),
    }
}

async fn bearer(base: &str) -> Outcome {
    use fixture_api_auth_bearer::Client;
    let client = Client::builder().secret("tok_1").base_url(base).build()?;
    let thing = client.things().get_thing().id("t1").send().await?;
    println!("thing {}", thing.id);
    client.things().get_health().send().await?;
    let own = client.things().get_thing().id("t1").header("x-api-version", "0").send().await;
    println!("own version header: {}", failed(own));
    println!("no secret: {}", failed(Client::builder().base_url(base).build()));
    println!("var: {}", fixture_api_auth_bearer::SECRET_KEY_VAR);
    Ok(())
}

async fn basic(base: &str) -> Outcome {
    use fixture_api_auth_basic::Client;
    let client = Client::builder().secret("ada:lovelace").base_url(base).build()?;
    client.things().get_thing().id("t1").send().await?;
    println!("no colon: {}", failed(Client::builder().secret("ada").base_url(base).build()));
    Ok(())
}

async fn header_key(base: &str) -> Outcome {
    use fixture_api_auth_header_key::Client;
    let client = Client::builder().secret("hk_1").base_url(base).build()?;
    client.things().get_thing().id("t1").send().await?;
    let own = client.things().get_thing().id("t1").header("X-API-KEY", "other").send().await;
    println!("own key header: {}", failed(own));
    Ok(())
}

async fn query_key(base: &str) -> Outcome {
    use fixture_api_auth_query_key::Client;
    let client = Client::builder().secret("qk_secret_1").base_url(base).build()?;
    let things = client.things().list_things().limit(5).send().await?;
    println!("things {}", things.len());
    // Failures name neither the URL nor the key: a closed port, then an error status.
    let closed = Client::builder().secret("qk_secret_1").base_url("http://127.0.0.1:9").build()?;
    println!("closed: {}", failed(closed.things().list_things().send().await));
    println!("client: {client:?}");
    Ok(())
}

async fn cookie_key(base: &str) -> Outcome {
    use fixture_api_auth_cookie_key::Client;
    let client = Client::builder().secret("ck_1").base_url(base).build()?;
    client.things().get_thing().id("t1").send().await?;
    println!("semicolon: {}", failed(Client::builder().secret("a;b").base_url(base).build()));
    Ok(())
}

async fn mixed(base: &str) -> Outcome {
    use fixture_api_auth_mixed::Client;
    let both = Client::builder().credential("token", "tk_1").credential("key", "kk_1").base_url(base).build()?;
    let things = both.things();
    things.get_by_token().send().await?;
    things.get_by_key().send().await?;
    things.get_by_both().send().await?;
    things.get_either().send().await?;
    // With the key only: what needs the token is refused before any I/O.
    let key_only = Client::builder().credential("key", "kk_2").base_url(base).build()?;
    println!("key only, by token: {}", failed(key_only.things().get_by_token().send().await));
    key_only.things().get_either().send().await?;
    // One secret for every scheme, from the API's environment variable.
    std::env::set_var(fixture_api_auth_mixed::SECRET_KEY_VAR, "env_1");
    let from_env = Client::builder().secret_from_env()?.base_url(base).build()?;
    from_env.things().get_by_both().send().await?;
    println!("other var: {}", failed(Client::builder().secret_from_var("FIXTURE_API_MIXED_UNSET")));
    println!("unknown scheme: {}", failed(Client::builder().credential("nope", "x").base_url(base).build()));
    Ok(())
}

async fn errors_envelope(base: &str) -> Outcome {
    use fixture_api_errors_envelope::{Client, ErrorBody};
    let client = Client::builder().base_url(base).retries(fixture_api_errors_envelope::Retries::off()).build()?;
    for id in ["missing", "invalid", "proxied"] {
        let error = client.things().get_thing().id(id).send().await.expect_err("an error status");
        let typed = error.error_body().map(|body| (body.error.code, body.error.details));
        println!(
            "{id}: status={:?} code={:?} message={:?} trace={:?} typed={typed:?}",
            error.status(),
            error.code(),
            error.api().and_then(|api| api.message()),
            error.trace_id()
        );
        println!("{id} shown: {error}");
    }
    Ok(())
}

async fn errors_problem(base: &str) -> Outcome {
    use fixture_api_errors_problem::Client;
    let client = Client::builder().base_url(base).build()?;
    let error = client.things().get_thing().id("t1").send().await.expect_err("an error status");
    let api = error.api().expect("an API error");
    let detail = api.json().and_then(|json| json["detail"].as_str());
    println!("code={:?} message={:?} detail={detail:?}", error.code(), api.message());
    println!("shown: {error}");
    Ok(())
}

async fn errors_none(base: &str) -> Outcome {
    use fixture_api_errors_none::Client;
    let client = Client::builder().base_url(base).build()?;
    let error = client.things().get_thing().id("t1").send().await.expect_err("an error status");
    let api = error.api().expect("an API error");
    println!("status={:?} code={:?} json={:?} body={:?}", error.status(), error.code(), api.json(), api.body);
    println!("shown: {error}");
    Ok(())
}
"#;

const NAMES: &[&str] = &[
    "bearer",
    "basic",
    "header_key",
    "query_key",
    "cookie_key",
    "mixed",
    "errors_envelope",
    "errors_problem",
    "errors_none",
];

/// The program's binary, built on first use.
fn program() -> PathBuf {
    static BUILT: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    let built = BUILT.get_or_init(|| {
        let mut crates = Vec::new();
        for fixture in FIXTURES {
            let name = format!("fixture-api-{}", fixture.replace('_', "-"));
            let spec = tests::tests_dir().join("fixtures/api").join(format!("{fixture}.yaml"));
            let mut options = codegen::Options {
                krate: verify::krate::scratch_info(&name),
                ..codegen::Options::new(codegen::Selection { tag: None, operation_ids: vec![] })
            };
            if *fixture == "auth_bearer" {
                options.version_header = Some(VERSION_HEADER.to_owned());
            }
            let generated =
                codegen::generate(&spec, &options).map_err(|error| format!("{fixture} does not generate: {error}"))?;
            crates.push(GeneratedCrate { name, files: generated.files });
        }
        crate::program::build_scenarios("api-wire", crates, NAMES, SCENARIOS)
    });
    match built {
        Ok(path) => path.clone(),
        Err(error) => panic!("{error}"),
    }
}

/// Runs the scenario `name` against `server`; returns what it printed, one
/// string. An `error:` line (a call that failed unexpectedly) fails the test.
async fn run(name: &'static str, server: &MockServer) -> String {
    let base = server.uri();
    let output = tokio::task::spawn_blocking(move || {
        Command::new(program()).current_dir(scratch_root()).args([name, &base]).output().expect("the program runs")
    })
    .await
    .expect("the program ran");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(output.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    assert!(!stdout.lines().any(|line| line.starts_with("error: ")), "a call failed:\n{stdout}");
    assert!(!stdout.contains("not refused"), "a refusal did not happen:\n{stdout}");
    stdout
}

/// A server answering every request with `response`.
async fn answering(response: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(response).mount(&server).await;
    server
}

fn thing() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"id": "t1"}))
}

async fn requests(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.expect("request recording is enabled")
}

/// The line of `printed` that starts with `label`.
fn line<'a>(printed: &'a str, label: &str) -> &'a str {
    printed.lines().find(|line| line.starts_with(label)).unwrap_or_else(|| panic!("no `{label}` line in:\n{printed}"))
}

#[tokio::test]
async fn bearer_sends_the_token_and_the_version_header_and_nothing_to_a_public_operation() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::path("/health")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    Mock::given(any()).respond_with(thing()).mount(&server).await;
    let printed = run("bearer", &server).await;
    let sent = requests(&server).await;
    assert_eq!(sent.len(), 2, "the refused call sends nothing");
    assert_eq!(sent[0].url.path(), "/things/t1");
    assert_eq!(header(&sent[0], "authorization"), Some("Bearer tok_1"));
    assert_eq!(header(&sent[0], "x-api-version"), Some("3.1"), "info.version, in the header codegen was given");
    assert_eq!(sent[1].url.path(), "/health");
    assert_eq!(header(&sent[1], "authorization"), None, "`security: []` sends no credentials");
    assert_eq!(header(&sent[1], "x-api-version"), Some("3.1"));
    assert!(
        line(&printed, "own version header").contains("`x-api-version` is a header a call may not set"),
        "{printed}"
    );
    assert!(line(&printed, "no secret").contains("no secret is set: give the client one (or set BEARER_SECRET_KEY)"));
    assert_eq!(line(&printed, "var"), "var: BEARER_SECRET_KEY", "named after the title's first word");
    assert!(!printed.contains("tok_1"), "{printed}");
}

#[tokio::test]
async fn basic_sends_user_and_password_in_base64() {
    let server = answering(thing()).await;
    let printed = run("basic", &server).await;
    let sent = requests(&server).await;
    assert_eq!(sent.len(), 1);
    assert_eq!(header(&sent[0], "authorization"), Some("Basic YWRhOmxvdmVsYWNl"));
    assert_eq!(header(&sent[0], "x-api-version"), None, "no version header unless codegen is given one");
    assert!(line(&printed, "no colon").contains("must be `user:password`"), "{printed}");
}

#[tokio::test]
async fn an_api_key_header_carries_the_key_and_no_call_may_set_it() {
    let server = answering(thing()).await;
    let printed = run("header_key", &server).await;
    let sent = requests(&server).await;
    assert_eq!(sent.len(), 1);
    assert_eq!(header(&sent[0], "x-api-key"), Some("hk_1"));
    assert_eq!(header(&sent[0], "authorization"), None);
    assert!(line(&printed, "own key header").contains("an API key goes in it"), "{printed}");
}

#[tokio::test]
async fn a_query_key_goes_last_in_the_query_and_never_into_messages() {
    let server = answering(ResponseTemplate::new(200).set_body_json(json!([{"id": "t1"}]))).await;
    let printed = run("query_key", &server).await;
    let sent = requests(&server).await;
    assert_eq!(sent.len(), 1);
    let pairs: Vec<(String, String)> = sent[0].url.query_pairs().map(|(k, v)| (k.into(), v.into())).collect();
    assert_eq!(pairs, [("limit".into(), "5".into()), ("api_key".into(), "qk_secret_1".into())]);
    assert_eq!(header(&sent[0], "authorization"), None);
    assert_eq!(line(&printed, "things"), "things 1");
    assert!(line(&printed, "closed").contains("request failed"), "{printed}");
    assert!(!printed.contains("qk_secret_1"), "the key is in an error or Debug output:\n{printed}");
}

#[tokio::test]
async fn a_cookie_key_is_sent_as_a_cookie() {
    let server = answering(thing()).await;
    let printed = run("cookie_key", &server).await;
    let sent = requests(&server).await;
    assert_eq!(sent.len(), 1);
    assert_eq!(header(&sent[0], "cookie"), Some("session=ck_1"));
    assert_eq!(header(&sent[0], "authorization"), None);
    assert!(line(&printed, "semicolon").contains("would end the cookie"), "{printed}");
    assert!(!printed.contains("a;b"), "{printed}");
}

#[tokio::test]
async fn each_operation_sends_the_schemes_it_declares() {
    let server = answering(ResponseTemplate::new(204)).await;
    let printed = run("mixed", &server).await;
    let sent: Vec<(String, Option<String>, Option<String>)> = requests(&server)
        .await
        .iter()
        .map(|request| {
            let auth = header(request, "authorization").map(str::to_owned);
            (request.url.path().to_owned(), auth, header(request, "x-key").map(str::to_owned))
        })
        .collect();
    let expected = [
        // Both secrets set: each operation sends what it declares.
        ("/by-token", Some("Bearer tk_1"), None),
        ("/by-key", None, Some("kk_1")),
        ("/by-both", Some("Bearer tk_1"), Some("kk_1")),
        // `[{}, {key: []}]`: optional, and the key fits, so it is sent.
        ("/either", None, Some("kk_1")),
        // The key only: `/by-token` was refused before any I/O.
        ("/either", None, Some("kk_2")),
        // One secret from the environment serves every scheme.
        ("/by-both", Some("Bearer env_1"), Some("env_1")),
    ];
    let expected: Vec<(String, Option<String>, Option<String>)> = expected
        .iter()
        .map(|(path, auth, key)| (path.to_string(), auth.map(str::to_owned), key.map(str::to_owned)))
        .collect();
    assert_eq!(sent, expected);
    assert!(
        line(&printed, "key only, by token")
            .contains("GetByToken: the call needs credentials for token, and the client has none for it"),
        "{printed}"
    );
    assert!(line(&printed, "other var").contains("FIXTURE_API_MIXED_UNSET is not set"), "{printed}");
    assert!(line(&printed, "unknown scheme").contains("no security scheme is named `nope`"), "{printed}");
}

#[tokio::test]
async fn an_error_schema_of_the_documents_own_gives_code_message_and_trace_id() {
    let server = MockServer::start().await;
    let failure = |code: &str| json!({"error": {"code": code, "message": format!("{code} here"), "details": "alice@example.com"}});
    let mut missing = failure("thing_missing");
    missing["request_id"] = json!("req_body");
    let responses = [
        ("/things/missing", ResponseTemplate::new(404).set_body_json(missing)),
        (
            "/things/invalid",
            ResponseTemplate::new(422).set_body_json(failure("invalid_id")).insert_header("Request-Id", "req_header"),
        ),
        ("/things/proxied", ResponseTemplate::new(502).set_body_string("<html>alice@example.com</html>")),
    ];
    for (at, response) in responses {
        Mock::given(wiremock::matchers::path(at)).respond_with(response).mount(&server).await;
    }
    let printed = run("errors_envelope", &server).await;
    assert_eq!(
        line(&printed, "missing:"),
        "missing: status=Some(404) code=Some(\"thing_missing\") message=Some(\"thing_missing here\") \
         trace=Some(\"req_body\") typed=Some((\"thing_missing\", Some(\"alice@example.com\")))"
    );
    assert_eq!(
        line(&printed, "missing shown"),
        "missing shown: GetThing: HTTP 404: thing_missing: thing_missing here (request_id req_body)"
    );
    assert!(
        line(&printed, "invalid:")
            .ends_with("trace=Some(\"req_header\") typed=Some((\"invalid_id\", Some(\"alice@example.com\")))"),
        "the trace id falls back to the header named after the field: {printed}"
    );
    assert_eq!(line(&printed, "proxied:"), "proxied: status=Some(502) code=None message=None trace=None typed=None");
    assert_eq!(
        line(&printed, "proxied shown"),
        "proxied shown: GetThing: HTTP 502 (a 30-byte body that is not in the API's error format)"
    );
    let shown: String = printed.lines().filter(|line| line.contains("shown")).collect();
    assert!(!shown.contains("alice"), "a message quotes the body: {shown}");
}

#[tokio::test]
async fn problem_details_give_the_type_and_title() {
    let problem = json!({
        "type": "https://example.test/probs/out-of-credit",
        "title": "You do not have enough credit.",
        "status": 403,
        "detail": "alice@example.com has 30, but that costs 50."
    });
    let body = serde_json::to_vec(&problem).expect("JSON");
    let server = answering(ResponseTemplate::new(403).set_body_raw(body, "application/problem+json")).await;
    let printed = run("errors_problem", &server).await;
    assert_eq!(
        line(&printed, "code="),
        "code=Some(\"https://example.test/probs/out-of-credit\") message=Some(\"You do not have enough credit.\") \
         detail=Some(\"alice@example.com has 30, but that costs 50.\")"
    );
    assert_eq!(
        line(&printed, "shown"),
        "shown: GetThing: HTTP 403: https://example.test/probs/out-of-credit: You do not have enough credit."
    );
}

#[tokio::test]
async fn without_a_documented_error_body_an_error_is_its_status() {
    let body = json!({"code": "looks_like_one", "message": "but is not documented"});
    let server = answering(ResponseTemplate::new(404).set_body_json(body.clone())).await;
    let printed = run("errors_none", &server).await;
    let text = body.to_string();
    assert_eq!(line(&printed, "status="), format!("status=Some(404) code=None json=None body=Some({text:?})"));
    assert_eq!(line(&printed, "shown"), format!("shown: GetThing: HTTP 404 (a {}-byte body)", text.len()));
}
