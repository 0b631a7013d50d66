//! Wire tests of what only the fixtures have (header parameters, colliding
//! parameter names, typed path parameters, …): each fixture named in
//! `FIXTURES` is generated into a crate, one program built against all of them
//! runs a scenario per test against a local server, and the test checks what
//! the server received and what the program printed.
//!
//! The program is built once per test run, in a scratch workspace sharing the
//! target folder of the other generated crates (see `verify::compile`).

use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

use serde_json::json;
use verify::compile::{scratch_root, GeneratedCrate};
use wiremock::matchers::{any, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use crate::wire::{header, only_request};

/// The fixtures the program calls, each a crate named after it
/// (`colliding_parameters` → `fixture_colliding_parameters`).
const FIXTURES: &[&str] = &[
    "bare_array_pagination",
    "binary_response",
    "colliding_parameters",
    "empty_response",
    "header_parameters",
    "multipart_body",
    "nullable_response",
    "path_parameter_types",
    "success_by_status",
];

/// One scenario: an `async fn {name}(base: &str) -> Outcome` of the program.
struct Scenario {
    name: &'static str,
    code: &'static str,
}

const SCENARIOS: &[&Scenario] = &[
    &BARE_PAGES,
    &BARE_STREAMS,
    &BINARY,
    &BY_STATUS,
    &COLLIDING,
    &EMPTY,
    &HEADERS,
    &MULTIPART,
    &NULLABLE,
    &PATH_TYPES,
];

/// The program's own part: its `main` runs the scenario its first argument
/// names against the base URL in its second, and prints an error as a line.
const PRELUDE: &str = r#"
// Calls deprecated parameters on purpose (`frontendApi`).
#![allow(deprecated)]

type Outcome = Result<(), Box<dyn std::error::Error>>;

/// A client of the fixture crate `$krate` for the local server, without retries.
macro_rules! client {
    ($krate:ident, $base:expr) => {
        $krate::Client::builder().base_url($base).retries($krate::Retries::off()).build()?
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

/// The program's binary, built on first use.
fn program() -> PathBuf {
    static BUILT: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    let built = BUILT.get_or_init(|| {
        let mut crates = Vec::new();
        for fixture in FIXTURES {
            let name = format!("fixture-{}", fixture.replace('_', "-"));
            let spec = tests::tests_dir().join("fixtures").join(format!("{fixture}.yaml"));
            let krate = GeneratedCrate::generate(&name, &spec, codegen::Selection { tag: None, operation_ids: vec![] })
                .map_err(|error| format!("{fixture} does not generate: {error}"))?;
            crates.push(krate);
        }
        let names: Vec<&str> = SCENARIOS.iter().map(|scenario| scenario.name).collect();
        let code: String = std::iter::once(PRELUDE).chain(SCENARIOS.iter().map(|scenario| scenario.code)).collect();
        crate::program::build_scenarios("fixture-wire", crates, &names, &code)
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
    // The fixtures declare no security scheme and were generated with no
    // version header: the client sends neither credentials nor a version.
    assert_eq!(header(request, "authorization"), None, "{shown}");
    assert_eq!(header(request, "clerk-api-version"), None, "{shown}");
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

// ---------------------------------------------------------------------------
// Responses: raw bytes, no content, a type per status
// ---------------------------------------------------------------------------

const BINARY: Scenario = Scenario {
    name: "binary",
    code: r#"
async fn binary(base: &str) -> Outcome {
    let client = client!(fixture_binary_response, base);
    let avatar: fixture_binary_response::Bytes = client.default().get_user_avatar().user_id("user_1").send().await?;
    println!("avatar {:?}", avatar);
    let answer = client.default().get_user_avatar().user_id("user_1").send_with_metadata().await?;
    println!("status {} type {:?} bytes {}", answer.status, answer.headers.get("content-type"), answer.value.len());
    let capped = fixture_binary_response::Client::builder()
        .base_url(base)
        .retries(fixture_binary_response::Retries::off())
        .max_response_body(4)
        .build()?;
    refused("capped", capped.default().get_user_avatar().user_id("user_1").send().await)?;
    match client.default().get_user_avatar().user_id("nobody").send().await {
        Err(error) => println!("missing {:?} {:?}", error.status(), error.api().and_then(|api| api.body.clone())),
        Ok(avatar) => return Err(format!("a 404 decoded as {avatar:?}").into()),
    }
    Ok(())
}
"#,
};

#[tokio::test(flavor = "multi_thread")]
async fn a_binary_success_is_its_raw_bytes_under_the_body_cap() {
    let server = MockServer::start().await;
    let png = b"\x89PNG\r\n\x1a\n\x00\x01".to_vec();
    Mock::given(path("/users/nobody/avatar"))
        .respond_with(ResponseTemplate::new(404).set_body_raw("no such user", "text/plain"))
        .mount(&server)
        .await;
    Mock::given(any()).respond_with(ResponseTemplate::new(200).set_body_raw(png, "image/png")).mount(&server).await;
    assert_eq!(
        run(&BINARY, &server).await,
        [
            r#"avatar b"\x89PNG\r\n\x1a\n\0\x01""#,
            r#"status 200 type Some("image/png") bytes 10"#,
            "capped: GetUserAvatar: the response body is larger than the limit of 4 bytes",
            r#"missing Some(404) Some("no such user")"#,
        ]
    );
    let requests = requests(&server).await;
    assert_eq!(requests.len(), 4, "{requests:#?}");
    for request in &requests[..3] {
        assert_request(request, "GET", "/users/user_1/avatar", &[]);
        // The documented image types first; JSON for Clerk's error bodies.
        assert_eq!(header(request, "accept"), Some("image/png, image/jpeg, application/json"));
        assert!(request.body.is_empty());
    }
    assert_request(&requests[3], "GET", "/users/nobody/avatar", &[]);
}

const EMPTY: Scenario = Scenario {
    name: "empty",
    code: r#"
async fn empty(base: &str) -> Outcome {
    use fixture_empty_response::UpdateInstanceRequest;
    let client = client!(fixture_empty_response, base);
    let unit: () = client.default().update_instance().body(UpdateInstanceRequest::default().test_mode(true)).send().await?;
    println!("updated {unit:?}");
    let answer = client.default().update_instance().send_with_metadata().await?;
    println!("status {}", answer.status);
    Ok(())
}
"#,
};

#[tokio::test(flavor = "multi_thread")]
async fn a_success_without_content_is_unit_whatever_the_body() {
    // A body the spec does not document is not decoded.
    let server = answering(ResponseTemplate::new(202).set_body_raw("queued", "text/plain")).await;
    assert_eq!(run(&EMPTY, &server).await, ["updated ()", "status 202"]);
    let requests = requests(&server).await;
    assert_eq!(requests.len(), 2, "{requests:#?}");
    assert_request(&requests[0], "PATCH", "/instance", &[]);
    assert_eq!(header(&requests[0], "content-type"), Some("application/json"));
    assert_eq!(requests[0].body_json::<serde_json::Value>().expect("JSON"), json!({"test_mode": true}));
    assert_eq!(header(&requests[0], "accept"), Some("application/json"));
    assert!(requests[1].body.is_empty(), "an optional body left unset is not sent");
}

const NULLABLE: Scenario = Scenario {
    name: "nullable",
    code: r#"
async fn nullable(base: &str) -> Outcome {
    let client = client!(fixture_nullable_response, base);
    for _ in 0..2 {
        let app: Option<fixture_nullable_response::App> = client.apps().get_authenticated_app().send().await?;
        println!("{:?}", app.map(|app| app.id));
    }
    Ok(())
}
"#,
};

#[tokio::test(flavor = "multi_thread")]
async fn a_nullable_success_body_is_an_option_and_null_is_none() {
    // GitHub's `apps/get-authenticated`: the schema is `nullable: true`.
    let server = MockServer::start().await;
    let null = ResponseTemplate::new(200).set_body_raw("null", "application/json");
    Mock::given(any()).respond_with(null).up_to_n_times(1).mount(&server).await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "app_1"})))
        .mount(&server)
        .await;
    assert_eq!(run(&NULLABLE, &server).await, ["None", "Some(\"app_1\")"]);
    let requests = requests(&server).await;
    assert_eq!(requests.len(), 2, "{requests:#?}");
    assert_request(&requests[0], "GET", "/apps/me", &[]);
}

const BY_STATUS: Scenario = Scenario {
    name: "by_status",
    code: r#"
async fn by_status(base: &str) -> Outcome {
    let client = client!(fixture_success_by_status, base);
    for id in ["done", "running", "empty", "partial", "undocumented"] {
        let export = client.default().get_export().export_id(id).send().await?;
        println!("{id} {export:?}");
    }
    let answer = client.default().get_export().export_id("running").send_with_metadata().await?;
    println!("metadata {} {:?}", answer.status, answer.value);
    refused("mistyped", client.default().get_export().export_id("mistyped").send().await)?;
    Ok(())
}
"#,
};

#[tokio::test(flavor = "multi_thread")]
async fn success_responses_of_different_types_are_told_apart_by_status() {
    let server = MockServer::start().await;
    let answers = [
        ("done", ResponseTemplate::new(200).set_body_json(json!({"id": "exp_1", "rows": 3}))),
        ("running", ResponseTemplate::new(202).set_body_json(json!({"progress": 40}))),
        ("empty", ResponseTemplate::new(204)),
        ("partial", ResponseTemplate::new(206).set_body_raw("id,rows\n", "application/octet-stream")),
        ("undocumented", ResponseTemplate::new(203).set_body_raw("proxy says hi", "text/plain")),
        ("mistyped", ResponseTemplate::new(200).set_body_json(json!({"id": "exp_1", "rows": "three"}))),
    ];
    for (id, answer) in answers {
        Mock::given(path(format!("/exports/{id}"))).respond_with(answer).mount(&server).await;
    }
    assert_eq!(
        run(&BY_STATUS, &server).await,
        [
            r#"done Ok(Export { id: "exp_1", rows: 3 })"#,
            "running Accepted(GetExport202Response { progress: 40 })",
            "empty NoContent",
            r#"partial PartialContent(b"id,rows\n")"#,
            r#"undocumented Other { status: 203, body: b"proxy says hi" }"#,
            "metadata 202 Accepted(GetExport202Response { progress: 40 })",
            // Where and what, never the value: `"three"` is not quoted.
            "mistyped: GetExport: HTTP 200 response does not decode at `rows` (byte 28): wrong type: expected i64, found a string",
        ]
    );
    let requests = requests(&server).await;
    assert_eq!(requests.len(), 7, "{requests:#?}");
    assert_request(&requests[0], "GET", "/exports/done", &[]);
    assert_eq!(header(&requests[0], "accept"), Some("application/octet-stream, application/json"));
}

// ---------------------------------------------------------------------------
// multipart/form-data bodies
// ---------------------------------------------------------------------------

const MULTIPART: Scenario = Scenario {
    name: "multipart",
    code: r#"
async fn multipart(base: &str) -> Outcome {
    use fixture_multipart_body::{
        AttachToTicketRequest, AttachToTicketRequestVisibility, FilePart, Retries, UploadOrganizationLogoRequest,
    };
    let client = client!(fixture_multipart_body, base);
    let logo = FilePart::new(b"\x89PNG\r\n\x1a\nlogo".to_vec(), "logo \"v2\".png", "image/png");
    let body = UploadOrganizationLogoRequest::new(logo.clone()).uploader_user_id("user_1");
    let organization = client.default().upload_organization_logo().organization_id("org_1").body(body).send().await?;
    println!("{} has_image {}", organization.id, organization.has_image);

    let attachments = AttachToTicketRequest::new()
        .files(vec![
            FilePart::new("a,b\n", "a.csv", "text/csv"),
            FilePart::new(vec![0u8, 255], "raw.bin", "application/octet-stream"),
        ])
        .priority(2)
        .visibility(AttachToTicketRequestVisibility::Internal)
        .labels(vec!["x".to_owned(), "y z".to_owned()]);
    client.default().attach_to_ticket().ticket_id("t_1").body(attachments).send().await?;
    client.default().attach_to_ticket().ticket_id("t_2").send().await?;

    // A PUT may be repeated: the 503 is retried with the same parts.
    let retrying = fixture_multipart_body::Client::builder()
        .base_url(base)
        .retries(Retries::default().max_attempts(2))
        .build()?;
    let body = UploadOrganizationLogoRequest::new(logo.clone());
    let organization = retrying.default().upload_organization_logo().organization_id("org_retry").body(body).send().await?;
    println!("{} after a retry", organization.id);

    let evil = FilePart::new("x", "a\r\nX-Evil: 1", "image/png");
    let upload = client.default().upload_organization_logo().organization_id("org_1");
    refused("file name", upload.body(UploadOrganizationLogoRequest::new(evil)).send().await)?;
    let upload = client.default().upload_organization_logo().organization_id("org_1");
    refused("content type", upload.body(UploadOrganizationLogoRequest::new(FilePart::new("x", "a.png", "png"))).send().await)?;
    let attach = client.default().attach_to_ticket().ticket_id("t_1");
    refused("priority", attach.body(AttachToTicketRequest::new().priority(9)).send().await)?;
    println!("{logo:?}");
    Ok(())
}
"#,
};

/// The parts of a `multipart/form-data` body: each one's header lines and content.
fn parts(request: &Request) -> Vec<(Vec<String>, Vec<u8>)> {
    let content_type = header(request, "content-type").expect("a Content-Type");
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap_or_else(|| panic!("not a form: {content_type}"));
    let delimiter = format!("\r\n--{boundary}");
    // The body starts with the delimiter without its CRLF.
    let body = [b"\r\n".as_slice(), &request.body].concat();
    let mut pieces = split(&body, delimiter.as_bytes());
    assert!(pieces.remove(0).is_empty(), "nothing before the first part");
    assert_eq!(pieces.pop().as_deref(), Some(&b"--\r\n"[..]), "the closing delimiter ends the body");
    pieces
        .into_iter()
        .map(|piece| {
            let piece = piece.strip_prefix(b"\r\n").expect("a part starts on a new line");
            let end =
                piece.windows(4).position(|window| window == b"\r\n\r\n").expect("a blank line after the headers");
            let headers = String::from_utf8(piece[..end].to_vec()).expect("ASCII headers");
            (headers.split("\r\n").map(str::to_owned).collect(), piece[end + 4..].to_vec())
        })
        .collect()
}

fn split(bytes: &[u8], delimiter: &[u8]) -> Vec<Vec<u8>> {
    let mut pieces = Vec::new();
    let mut rest = bytes;
    while let Some(at) = rest.windows(delimiter.len()).position(|window| window == delimiter) {
        pieces.push(rest[..at].to_vec());
        rest = &rest[at + delimiter.len()..];
    }
    pieces.push(rest.to_vec());
    pieces
}

fn text_part(name: &str, value: &str) -> (Vec<String>, Vec<u8>) {
    (vec![format!("Content-Disposition: form-data; name=\"{name}\"")], value.as_bytes().to_vec())
}

fn file_part(name: &str, file_name: &str, content_type: &str, bytes: &[u8]) -> (Vec<String>, Vec<u8>) {
    let disposition = format!("Content-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"");
    (vec![disposition, format!("Content-Type: {content_type}")], bytes.to_vec())
}

#[tokio::test(flavor = "multi_thread")]
async fn multipart_bodies_send_each_file_and_field_as_a_part() {
    let server = MockServer::start().await;
    Mock::given(path("/organizations/org_retry/logo"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(path("/organizations/org_retry/logo"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "org_retry", "has_image": true})))
        .mount(&server)
        .await;
    Mock::given(path("/organizations/org_1/logo"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "org_1", "has_image": true})))
        .mount(&server)
        .await;
    Mock::given(any()).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    assert_eq!(
        run(&MULTIPART, &server).await,
        [
            "org_1 has_image true",
            "org_retry after a retry",
            "file name: UploadOrganizationLogo: invalid `file`: has a file name with a control character (such as CR or LF)",
            "content type: UploadOrganizationLogo: invalid `file`: has a content type that is not a media type such as `image/png`",
            "priority: AttachToTicket: invalid `priority`: 9 is above the maximum 5",
            r#"FilePart { file_name: "logo \"v2\".png", content_type: "image/png", len: 12 }"#,
        ]
    );
    let requests = requests(&server).await;
    assert_eq!(requests.len(), 5, "upload, attach, attach without a body, and the upload sent twice: {requests:#?}");
    let logo = b"\x89PNG\r\n\x1a\nlogo";

    assert_request(&requests[0], "PUT", "/organizations/org_1/logo", &[]);
    assert_eq!(
        parts(&requests[0]),
        [file_part("file", "logo %22v2%22.png", "image/png", logo), text_part("uploader_user_id", "user_1")]
    );
    let length = header(&requests[0], "content-length").expect("a Content-Length: every part's length is known");
    assert_eq!(length, requests[0].body.len().to_string());

    assert_request(&requests[1], "POST", "/tickets/t_1/attachments", &[]);
    assert_eq!(
        parts(&requests[1]),
        [
            file_part("files", "a.csv", "text/csv", b"a,b\n"),
            file_part("files", "raw.bin", "application/octet-stream", &[0, 255]),
            text_part("priority", "2"),
            text_part("visibility", "internal"),
            text_part("labels", "x"),
            text_part("labels", "y z"),
        ]
    );

    assert_request(&requests[2], "POST", "/tickets/t_2/attachments", &[]);
    assert!(requests[2].body.is_empty(), "an optional body left unset is not sent");
    assert_eq!(header(&requests[2], "content-type"), None);

    for retried in &requests[3..] {
        assert_request(retried, "PUT", "/organizations/org_retry/logo", &[]);
        assert_eq!(parts(retried), [file_part("file", "logo %22v2%22.png", "image/png", logo)]);
    }
}

// ---------------------------------------------------------------------------
// Pagination of a list answered with the bare array
// ---------------------------------------------------------------------------

const BARE_PAGES: Scenario = Scenario {
    name: "bare_pages",
    code: r#"
async fn bare_pages(base: &str) -> Outcome {
    let client = client!(fixture_bare_array_pagination, base);
    let mut users = client.users().list().email_address(vec!["a@example.com".to_owned()]).limit(2).items();
    let mut ids = Vec::new();
    while let Some(user) = users.try_next().await? {
        ids.push(user.id);
    }
    println!("items {}", ids.join(","));
    let mut pages = client.users().list().limit(2).offset(10).pages();
    while let Some(page) = pages.try_next().await? {
        println!("page at {}: {} items, {} so far, total known {}", page.offset, page.items.len(), page.total_count, page.has_total());
    }
    Ok(())
}
"#,
};

#[tokio::test(flavor = "multi_thread")]
async fn a_list_answered_with_a_bare_array_pages_until_a_short_or_empty_page() {
    let server = MockServer::start().await;
    let user = |id: &str| json!({"id": id, "first_name": null});
    // A user created while paging pushes `b` onto the second page.
    let answers = [
        ("0", json!([user("a"), user("b")])),
        ("2", json!([user("b"), user("c")])),
        ("4", json!([user("d")])),
        ("10", json!([user("x"), user("y")])),
        ("12", json!([])),
    ];
    for (offset, page) in answers {
        Mock::given(query_param("offset", offset))
            .respond_with(ResponseTemplate::new(200).set_body_json(page))
            .mount(&server)
            .await;
    }
    assert_eq!(
        run(&BARE_PAGES, &server).await,
        [
            "items a,b,c,d",
            "page at 10: 2 items, 12 so far, total known false",
            "page at 12: 0 items, 12 so far, total known false",
        ]
    );
    let requests = requests(&server).await;
    assert_eq!(requests.len(), 5, "three pages, the last short; two more, the last empty: {requests:#?}");
    let email = ("email_address", "a@example.com");
    assert_request(&requests[0], "GET", "/users", &[email, ("limit", "2"), ("offset", "0")]);
    assert_request(&requests[1], "GET", "/users", &[email, ("limit", "2"), ("offset", "2")]);
    assert_request(&requests[2], "GET", "/users", &[email, ("limit", "2"), ("offset", "4")]);
    assert_request(&requests[3], "GET", "/users", &[("limit", "2"), ("offset", "10")]);
    assert_request(&requests[4], "GET", "/users", &[("limit", "2"), ("offset", "12")]);
}

// ---------------------------------------------------------------------------
// The stale-page guard on a bare-array list: `pages()` and `items()` alike
// ---------------------------------------------------------------------------

const BARE_STREAMS: Scenario = Scenario {
    name: "bare_streams",
    code: r#"
async fn bare_streams(base: &str) -> Outcome {
    use fixture_bare_array_pagination::Error;
    // More than any list served here: a stream still going has no guard.
    const RUNAWAY: usize = 2_100;
    let client = client!(fixture_bare_array_pagination, base);
    let mut pages = client.users().list().limit(2).pages();
    let mut count = 0;
    let ended = loop {
        match pages.try_next().await {
            _ if count == RUNAWAY => break "still going".to_owned(),
            Ok(Some(_)) => count += 1,
            Ok(None) => break "ended".to_owned(),
            Err(Error::Pagination { offset, .. }) => break format!("stopped at offset {offset}"),
            Err(other) => return Err(other.into()),
        }
    };
    println!("pages {count}, {ended}");
    let mut items = client.users().list().limit(2).items();
    let mut ids = Vec::new();
    let ended = loop {
        match items.try_next().await {
            _ if ids.len() == RUNAWAY => break "still going".to_owned(),
            Ok(Some(user)) => ids.push(user.id),
            Ok(None) => break "ended".to_owned(),
            Err(Error::Pagination { offset, .. }) => break format!("stopped at offset {offset}"),
            Err(other) => return Err(other.into()),
        }
    };
    let shown = if ids.len() <= 3 { ids.join(",") } else { format!("{}..{}", ids[0], ids[ids.len() - 1]) };
    println!("items {}, {ended}: {shown}", ids.len());
    Ok(())
}
"#,
};

fn users(ids: &[&str]) -> ResponseTemplate {
    let users: Vec<_> = ids.iter().map(|id| json!({"id": id, "first_name": null})).collect();
    ResponseTemplate::new(200).set_body_json(users)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bare_array_list_whose_server_ignores_offset_is_stopped_in_both_streams() {
    let server = answering(users(&["a", "b"])).await;
    assert_eq!(
        run(&BARE_STREAMS, &server).await,
        ["pages 3, stopped at offset 6", "items 2, stopped at offset 6: a,b"]
    );
    assert_eq!(requests(&server).await.len(), 8, "four requests per stream: the first page and three repeats");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bare_array_list_tolerates_one_or_two_repeated_pages_in_both_streams() {
    let server = MockServer::start().await;
    for (offset, ids) in [("0", &["a", "b"][..]), ("2", &["a", "b"]), ("4", &["a", "b"]), ("6", &["c"])] {
        Mock::given(query_param("offset", offset)).respond_with(users(ids)).mount(&server).await;
    }
    assert_eq!(run(&BARE_STREAMS, &server).await, ["pages 4, ended", "items 3, ended: a,b,c"]);
    assert_eq!(requests(&server).await.len(), 8);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bare_array_list_of_a_thousand_pages_ends_normally_in_both_streams() {
    let server = MockServer::start().await;
    Mock::given(path("/users"))
        .respond_with(|request: &Request| {
            let offset: usize = request
                .url
                .query_pairs()
                .find(|(name, _)| name == "offset")
                .and_then(|(_, value)| value.parse().ok())
                .expect("every page request has an offset");
            let ids: Vec<String> = (offset..(offset + 2).min(2000)).map(|index| format!("user_{index}")).collect();
            users(&ids.iter().map(String::as_str).collect::<Vec<_>>())
        })
        .mount(&server)
        .await;
    assert_eq!(
        run(&BARE_STREAMS, &server).await,
        ["pages 1001, ended", "items 2000, ended: user_0..user_1999"],
        "1,000 full pages, then the empty one that ends a list without a total"
    );
    assert_eq!(requests(&server).await.len(), 2002);
}
