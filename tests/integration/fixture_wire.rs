//! Wire tests of what only the fixtures have (header parameters, colliding
//! parameter names, typed path parameters, …): each fixture named in
//! `FIXTURES` is generated into a crate, one program built against all of them
//! runs a scenario per test against a local server, and the test checks what
//! the server received and what the program printed.
//!
//! The program is built once per test run, in a scratch workspace sharing the
//! target folder of the other generated crates (see `xtask::compile`).

use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

use serde_json::json;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};
use xtask::compile::{build, scratch_root, target_dir, Build, GeneratedCrate};

use crate::wire::{header, only_request};

/// The fixtures the program calls, each a crate named after it
/// (`colliding_parameters` → `fixture_colliding_parameters`).
const FIXTURES: &[&str] = &["colliding_parameters", "header_parameters", "path_parameter_types"];

/// One scenario: an `async fn {name}(base: &str) -> Outcome` of the program.
struct Scenario {
    name: &'static str,
    code: &'static str,
}

const SCENARIOS: &[&Scenario] = &[&COLLIDING, &HEADERS, &PATH_TYPES];

/// The program's own part: its `main` runs the scenario its first argument
/// names against the base URL in its second, and prints an error as a line.
const PRELUDE: &str = r#"
// Calls deprecated parameters on purpose (`frontendApi`).
#![allow(deprecated)]

type Outcome = Result<(), Box<dyn std::error::Error>>;

/// A client of the fixture crate `$krate` for the local server, without retries.
macro_rules! client {
    ($krate:ident, $base:expr) => {
        $krate::Client::builder("sk_test_fixture").base_url($base).retries($krate::Retries::off()).build()?
    };
}

/// Prints how a call that must fail failed, or fails the scenario.
fn refused<T: std::fmt::Debug>(what: &str, result: Result<T, impl std::fmt::Display>) -> Outcome {
    match result {
        Ok(value) => Err(format!("{what} was not refused: {value:?}").into()),
        Err(error) => {
            println!("{what}: {error}");
            Ok(())
        }
    }
}
"#;

const SECRET: &str = "sk_test_fixture";

/// The program's binary, built on first use.
fn program() -> PathBuf {
    static BUILT: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    let built = BUILT.get_or_init(|| {
        let mut crates = Vec::new();
        let mut dependencies = String::new();
        for fixture in FIXTURES {
            let name = format!("fixture-{}", fixture.replace('_', "-"));
            let spec = tests::tests_dir().join("fixtures").join(format!("{fixture}.yaml"));
            let krate = GeneratedCrate::generate(&name, &spec, codegen::Selection { tag: None, operation_ids: vec![] })
                .map_err(|error| format!("{fixture} does not generate: {error}"))?;
            dependencies.push_str(&format!("{name} = {{ path = \"../{name}\" }}\n"));
            crates.push(krate);
        }
        let manifest = format!(
            "[package]\nname = \"fixture-wire\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n\
             [dependencies]\n{dependencies}tokio = {{ version = \"1\", features = [\"macros\", \"rt\"] }}\n"
        );
        let arms: String =
            SCENARIOS.iter().map(|scenario| format!("        {0:?} => {0}(base).await,\n", scenario.name)).collect();
        let scenarios: String = SCENARIOS.iter().map(|scenario| scenario.code).collect();
        let main = format!(
            "{PRELUDE}\n#[tokio::main(flavor = \"current_thread\")]\nasync fn main() {{\n    \
             let args: Vec<String> = std::env::args().collect();\n    \
             let (scenario, base) = (args[1].as_str(), args[2].as_str());\n    \
             let outcome: Outcome = match scenario {{\n{arms}        other => Err(format!(\"no scenario {{other}}\").into()),\n    }};\n    \
             if let Err(error) = outcome {{\n        println!(\"error: {{error}}\");\n    }}\n}}\n{scenarios}"
        );
        crates.push(GeneratedCrate {
            name: "fixture-wire".to_owned(),
            files: vec![
                codegen::GeneratedFile { path: "Cargo.toml".to_owned(), contents: manifest },
                codegen::GeneratedFile { path: "src/main.rs".to_owned(), contents: main },
            ],
        });
        let outcome = build("fixture-wire", &crates, Build::Binaries)?;
        if !outcome.success {
            return Err(format!("the fixture crates or the program do not build:\n{}", outcome.output));
        }
        Ok(target_dir().join("debug").join(format!("fixture-wire{}", std::env::consts::EXE_SUFFIX)))
    });
    match built {
        Ok(path) => path.clone(),
        Err(error) => panic!("{error}"),
    }
}

/// Runs `scenario` against `server`; returns what it printed, line by line.
async fn run(scenario: &Scenario, server: &MockServer) -> Vec<String> {
    let (name, base) = (scenario.name, server.uri());
    let output = tokio::task::spawn_blocking(move || {
        Command::new(program()).current_dir(scratch_root()).args([name, &base]).output().expect("the program runs")
    })
    .await
    .expect("the program ran");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(output.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    stdout.lines().map(str::to_owned).collect()
}

/// A server answering every request with `response`.
async fn answering(response: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(response).mount(&server).await;
    server
}

async fn requests(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.expect("request recording is enabled")
}

/// The method, raw path and decoded query pairs of `request`, and the headers
/// every call carries.
fn assert_request(request: &Request, method: &str, path: &str, query: &[(&str, &str)]) {
    let shown = format!("{} {}", request.method, request.url);
    assert_eq!(request.method.as_str(), method, "method of {shown}");
    assert_eq!(request.url.path(), path, "path of {shown}");
    let sent: Vec<(String, String)> =
        request.url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    let wanted: Vec<(String, String)> = query.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    assert_eq!(sent, wanted, "query pairs of {shown}");
    assert_eq!(header(request, "authorization"), Some(format!("Bearer {SECRET}").as_str()), "{shown}");
    assert_eq!(header(request, "clerk-api-version"), Some("1"), "{shown}");
}

// ---------------------------------------------------------------------------
// Parameters whose Rust names collide
// ---------------------------------------------------------------------------

const COLLIDING: Scenario = Scenario {
    name: "colliding",
    code: r#"
async fn colliding(base: &str) -> Outcome {
    use fixture_colliding_parameters::GetPublicInterstitialParams;
    let client = client!(fixture_colliding_parameters, base);
    let calls = client.default();
    calls.get_public_interstitial().frontend_api("pk_snake").frontend_api_2("pk_camel").send().await?;
    calls.get_public_interstitial().params(GetPublicInterstitialParams::default().frontend_api_2("only camel")).send().await?;
    calls.get_thing().id("a/b").id_query("other thing").send().await?;
    println!("sent");
    Ok(())
}
"#,
};

#[tokio::test(flavor = "multi_thread")]
async fn colliding_parameters_each_reach_their_own_key() {
    let server = answering(ResponseTemplate::new(200)).await;
    assert_eq!(run(&COLLIDING, &server).await, ["sent"]);
    let requests = requests(&server).await;
    assert_eq!(requests.len(), 3, "{requests:#?}");
    // Spec order: `frontendApi` (set as `frontend_api_2`) first, then `frontend_api`.
    assert_request(
        &requests[0],
        "GET",
        "/public/interstitial",
        &[("frontendApi", "pk_camel"), ("frontend_api", "pk_snake")],
    );
    assert_request(&requests[1], "GET", "/public/interstitial", &[("frontendApi", "only camel")]);
    // The path's `id` and the query's, named `id_query`.
    assert_request(&requests[2], "GET", "/things/a%2Fb", &[("id", "other thing")]);
}

// ---------------------------------------------------------------------------
// Header parameters
// ---------------------------------------------------------------------------

const HEADERS: Scenario = Scenario {
    name: "headers",
    code: r#"
async fn headers(base: &str) -> Outcome {
    use fixture_header_parameters::GetReportXFormat;
    let client = client!(fixture_header_parameters, base);
    let report = client
        .default()
        .get_report()
        .x_request_id("req-1")
        .x_page_size(20)
        .x_format(GetReportXFormat::Full)
        .x_tags(vec!["a".to_owned(), "b c".to_owned()])
        .include(true)
        .send()
        .await?;
    println!("title {}", report.title);
    refused("unset", client.default().get_report().send().await)?;
    refused("newline", client.default().get_report().x_request_id("a\r\nX-Evil: 1").send().await)?;
    refused("bounds", client.default().get_report().x_request_id("req-2").x_page_size(0).send().await)?;
    Ok(())
}
"#,
};

#[tokio::test(flavor = "multi_thread")]
async fn header_parameters_are_sent_as_headers_and_bad_values_refused_before_sending() {
    let server = answering(ResponseTemplate::new(200).set_body_json(json!({"title": "Q3"}))).await;
    assert_eq!(
        run(&HEADERS, &server).await,
        [
            "title Q3",
            "unset: GetReport: invalid `X-Request-Id`: is required but was not set",
            "newline: GetReport: invalid `X-Request-Id`: is not a valid header value (control characters such as CR and LF are not allowed)",
            "bounds: GetReport: invalid `X-Page-Size`: 0 is below the minimum 1",
        ]
    );
    let request = only_request(&server).await;
    assert_request(&request, "GET", "/reports", &[("include", "true")]);
    assert_eq!(header(&request, "x-request-id"), Some("req-1"));
    assert_eq!(header(&request, "x-page-size"), Some("20"));
    assert_eq!(header(&request, "x-format"), Some("full"));
    assert_eq!(header(&request, "x-tags"), Some("a,b c"));
    assert_eq!(header(&request, "accept"), Some("application/json"), "the spec's `Accept` parameter is ignored");
    assert!(request.body.is_empty());
}

// ---------------------------------------------------------------------------
// Enum and integer path parameters
// ---------------------------------------------------------------------------

const PATH_TYPES: Scenario = Scenario {
    name: "path_types",
    code: r#"
async fn path_types(base: &str) -> Outcome {
    use fixture_path_parameter_types::GetTemplateTemplateType;
    let client = client!(fixture_path_parameter_types, base);
    let template = client.default().get_template().template_type(GetTemplateTemplateType::Sms).version(3).send().await?;
    println!("name {}", template.name);
    // A value this client does not know is sent as it is, still one segment.
    client.default().get_template().template_type(GetTemplateTemplateType::from("push/../x")).version(12).send().await?;
    refused("bounds", client.default().get_template().template_type(GetTemplateTemplateType::Email).version(0).send().await)?;
    refused("unset", client.default().get_template().version(1).send().await)?;
    Ok(())
}
"#,
};

#[tokio::test(flavor = "multi_thread")]
async fn enum_and_integer_path_parameters_are_one_encoded_segment_each() {
    let server = answering(ResponseTemplate::new(200).set_body_json(json!({"name": "welcome"}))).await;
    assert_eq!(
        run(&PATH_TYPES, &server).await,
        [
            "name welcome",
            "bounds: GetTemplate: invalid `version`: 0 is below the minimum 1",
            "unset: GetTemplate: invalid `template_type`: is required but was not set",
        ]
    );
    let requests = requests(&server).await;
    assert_eq!(requests.len(), 2, "{requests:#?}");
    assert_request(&requests[0], "GET", "/templates/sms/3", &[]);
    assert_request(&requests[1], "GET", "/templates/push%2F..%2Fx/12", &[]);
}
