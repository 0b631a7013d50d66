//! `multipart/form-data` bodies as the runtime sends them, against local
//! servers: the wire format read back by a parser written here from RFC 7578
//! and RFC 2046 (not the code that wrote it), names and file names in the forms
//! the RFC allows, forms of hundreds of thousands of parts sent in linear time
//! from a Tokio worker, and the request body cap.
//!
//! The invitations API has no form, so these calls are built the way generated
//! code builds them (`__private`), for an operation declared here.

use std::time::{Duration, Instant};

use clerk_invitations::CreateOrganizationInvitationRequest;
use openapi_client_runtime::__private::{HttpMethod, Multipart, Operation, Request};
use openapi_client_runtime::{
    limits, Api, Client, ClientBuilder, Error, ErrorFormat, FilePart, Retries, RetrySafety, Scheme, SchemeKind,
};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::raw::{self, RawServer};
use crate::wire::{header, only_request, SECRET};

static API: Api = Api {
    default_base_url: None,
    user_agent: "form-test/0",
    headers: &[],
    schemes: &[Scheme { name: "bearer", kind: SchemeKind::Bearer }],
    secret_var: None,
    errors: ErrorFormat::STATUS,
};

static UPLOAD: Operation = Operation {
    id: "Upload",
    method: HttpMethod::Post,
    path: "/uploads",
    safety: RetrySafety::Idempotent,
    backoff: None,
    security: &[&["bearer"]],
    api: &API,
};

fn client(base_url: &str) -> Client {
    ClientBuilder::<Client>::new(&API)
        .secret(SECRET)
        .base_url(base_url)
        .retries(Retries::off())
        .build()
        .expect("a client")
}

async fn upload(client: &Client, form: Multipart) -> Result<(), Error> {
    let request = Request::new(&UPLOAD, "/uploads".to_owned()).multipart(form);
    client.send_without_content(request).await.map(drop)
}

// ---------------------------------------------------------------------------
// An independent reader of multipart/form-data (RFC 7578, RFC 2046 §5.1.1)
// ---------------------------------------------------------------------------

/// One part as a server reads it: its header fields and its content.
#[derive(Debug, PartialEq, Eq)]
struct ReadPart {
    /// `name` of `Content-Disposition: form-data`, as written between its quotes.
    name: String,
    /// `filename`, likewise, if the part has one.
    file_name: Option<String>,
    content_type: Option<String>,
    content: Vec<u8>,
}

/// The parts of a body sent with `content_type`, or why the body is not a
/// well-formed form.
fn read_form(content_type: &str, body: &[u8]) -> Result<Vec<ReadPart>, String> {
    let (media_type, parameters) = content_type.split_once(';').ok_or("no boundary parameter")?;
    if !media_type.trim().eq_ignore_ascii_case("multipart/form-data") {
        return Err(format!("not multipart/form-data: {media_type}"));
    }
    let boundary = parameters
        .split(';')
        .filter_map(|parameter| parameter.trim().split_once('='))
        .find(|(name, _)| name.eq_ignore_ascii_case("boundary"))
        .map(|(_, value)| value.trim_matches('"'))
        .ok_or("no boundary parameter")?;
    // RFC 2046: 1 to 70 characters of a restricted set, not ending in a space.
    let allowed = |c: char| c.is_ascii_alphanumeric() || "'()+_,-./:=? ".contains(c);
    if boundary.is_empty() || boundary.len() > 70 || !boundary.chars().all(allowed) || boundary.ends_with(' ') {
        return Err(format!("not a valid boundary: {boundary:?}"));
    }
    let delimiter = format!("--{boundary}").into_bytes();
    // Every delimiter but the first follows a CRLF, which belongs to it.
    let mut rest = body.strip_prefix(delimiter.as_slice()).ok_or("the body does not open with the delimiter")?;
    let mut parts = Vec::new();
    loop {
        if let Some(after) = rest.strip_prefix(b"--") {
            return match after {
                b"\r\n" | b"" => Ok(parts),
                _ => Err("bytes after the closing delimiter".to_owned()),
            };
        }
        rest = rest.strip_prefix(b"\r\n").ok_or("no CRLF after a delimiter")?;
        let next = [b"\r\n".as_slice(), &delimiter].concat();
        let end = find(rest, &next).ok_or("a part without a following delimiter")?;
        parts.push(read_part(&rest[..end])?);
        rest = &rest[end + next.len()..];
    }
}

fn read_part(part: &[u8]) -> Result<ReadPart, String> {
    let end = find(part, b"\r\n\r\n").ok_or("no blank line after a part's header")?;
    let head = std::str::from_utf8(&part[..end]).map_err(|_| "a part's header is not UTF-8")?;
    let mut read =
        ReadPart { name: String::new(), file_name: None, content_type: None, content: part[end + 4..].to_vec() };
    let mut disposition = None;
    for line in head.split("\r\n") {
        let (field, value) = line.split_once(':').ok_or(format!("not a header field: {line:?}"))?;
        match field.to_ascii_lowercase().as_str() {
            "content-disposition" => disposition = Some(value.trim().to_owned()),
            "content-type" => read.content_type = Some(value.trim().to_owned()),
            other => return Err(format!("a header field RFC 7578 does not use: {other}")),
        }
    }
    let disposition = disposition.ok_or("a part without Content-Disposition")?;
    let mut parameters = disposition.as_str();
    parameters = parameters.strip_prefix("form-data").ok_or("not form-data")?;
    while !parameters.is_empty() {
        parameters = parameters.strip_prefix("; ").ok_or(format!("not a parameter: {parameters:?}"))?;
        let (name, value) = parameters.split_once("=\"").ok_or("a parameter that is not a quoted string")?;
        // A quoted value ends at the next quote: RFC 7578 escapes quotes in it.
        let close = value.find('"').ok_or("an unterminated quoted string")?;
        let text = value[..close].to_owned();
        match name {
            "name" => read.name = text,
            "filename" => read.file_name = Some(text),
            other => return Err(format!("an unexpected parameter {other}")),
        }
        parameters = &value[close + 1..];
    }
    Ok(read)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|window| window == needle)
}

fn text(name: &str, content: &str) -> ReadPart {
    ReadPart { name: name.to_owned(), file_name: None, content_type: None, content: content.as_bytes().to_vec() }
}

fn file(name: &str, file_name: &str, content_type: &str, content: &[u8]) -> ReadPart {
    ReadPart {
        name: name.to_owned(),
        file_name: Some(file_name.to_owned()),
        content_type: Some(content_type.to_owned()),
        content: content.to_vec(),
    }
}

#[test]
fn the_reader_refuses_what_is_not_a_form() {
    let good = b"--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--b--\r\n";
    assert_eq!(read_form("multipart/form-data; boundary=b", good), Ok(vec![text("a", "1")]));
    assert!(read_form(
        "multipart/form-data; boundary=b",
        b"--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1"
    )
    .is_err());
    assert!(read_form("multipart/form-data; boundary=b", b"--b\r\nX: y\r\n\r\n1\r\n--b--\r\n").is_err());
    assert!(read_form("multipart/form-data", good).is_err());
    assert!(read_form("multipart/form-data; boundary=c", good).is_err());
}

// ---------------------------------------------------------------------------
// The wire format
// ---------------------------------------------------------------------------

#[tokio::test]
async fn a_form_goes_out_as_rfc_7578_parts_with_names_escaped_and_file_names_reduced() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    // Content that looks like a delimiter, CRLFs, every byte value.
    let binary: Vec<u8> = (0..=255u8).chain(*b"\r\n--\r\n--clerk-form-\r\n\r\n").collect();
    let mut form = Multipart::new();
    form.text("plain", "a value\r\nover two lines");
    form.text("we\"ird\r\nname", "x");
    form.file("Upload", "logo", &FilePart::new(b"\x89PNG".to_vec(), r#"logo "v2".png"#, "image/png")).expect("a logo");
    form.file("Upload", "doc", &FilePart::new(binary.clone(), "../../etc/passwd", "application/octet-stream"))
        .expect("a path");
    form.file("Upload", "doc", &FilePart::new(&b""[..], r"C:\Users\ada\résumé.pdf", "application/pdf; q=1"))
        .expect("a Windows path");
    form.text("empty", "");

    upload(&client(&server.uri()), form).await.expect("the server answers 204");

    let request = only_request(&server).await;
    let content_type = header(&request, "content-type").expect("a Content-Type");
    let parts = read_form(content_type, &request.body).unwrap_or_else(|error| panic!("{error}: {content_type}"));
    assert_eq!(
        parts,
        [
            text("plain", "a value\r\nover two lines"),
            text("we%22ird%0D%0Aname", "x"),
            file("logo", "logo %22v2%22.png", "image/png", b"\x89PNG"),
            file("doc", "passwd", "application/octet-stream", &binary),
            file("doc", "résumé.pdf", "application/pdf; q=1", b""),
            text("empty", ""),
        ]
    );
    assert_eq!(header(&request, "content-length"), Some(request.body.len().to_string().as_str()));
}

#[tokio::test]
async fn file_names_with_control_or_bidi_characters_or_nothing_left_are_refused_before_any_io() {
    let server = MockServer::start().await; // no mock: anything sent would be recorded
    let clerk = client(&server.uri());
    for name in
        ["report\u{202E}fdp.exe", "a\u{2067}b.png", "zero\u{200B}width.png", "tab\t.png", "x/..", "..", ".", "dir/", ""]
    {
        let mut form = Multipart::new();
        let refusal = form.file("Upload", "file", &FilePart::new(&b"x"[..], name, "image/png"));
        let error = match refusal {
            Err(error) => error,
            Ok(()) => upload(&clerk, form).await.expect_err("refused when sent"),
        };
        assert!(matches!(error, Error::InvalidArgument { argument: "file", .. }), "{name:?}: {error:?}");
        let shown = format!("{error} {error:?}");
        assert!(name.len() < 3 || !shown.contains(name), "the file name is quoted: {shown}");
    }
    let received = server.received_requests().await.expect("recording").len();
    assert_eq!(received, 0, "a refused file name must send nothing");
}

// ---------------------------------------------------------------------------
// Forms with many parts: flat, linear, no stack overflow
// ---------------------------------------------------------------------------

/// Reads each request whole (head and `Content-Length` body) and answers 204.
fn reading_server() -> RawServer {
    raw::serve(|mut stream, stats| {
        while stats.read_request(&mut stream) {
            if !stats.write(&mut stream, b"HTTP/1.1 204 No Content\r\ncontent-length: 0\r\n\r\n") {
                return;
            }
        }
    })
}

/// A form of `items` small text parts, as a generated call builds one for a
/// list field.
fn list_form(items: usize) -> Multipart {
    let mut form = Multipart::new();
    for item in 0..items {
        form.text("labels", &format!("label-{item}"));
    }
    form
}

/// How long sending a form of `items` parts takes; building it is the test's
/// own work, done beforehand.
async fn time_to_send(clerk: &Client, items: usize) -> Duration {
    let form = list_form(items);
    let started = Instant::now();
    upload(clerk, form).await.unwrap_or_else(|error| panic!("{items} items: {error}"));
    started.elapsed()
}

/// Runs per size, small and large taking turns so that load from elsewhere on
/// the machine falls on both alike; the shortest of each counts.
const RUNS: usize = 5;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sending_a_form_takes_time_linear_in_its_parts() {
    let server = reading_server();
    let clerk = client(&server.url());
    upload(&clerk, list_form(100)).await.expect("a warm-up call");

    let (mut small, mut large) = (Duration::MAX, Duration::MAX);
    for _ in 0..RUNS {
        small = small.min(time_to_send(&clerk, 10_000).await);
        large = large.min(time_to_send(&clerk, 100_000).await);
    }

    let ratio = large.as_secs_f64() / small.as_secs_f64();
    assert!(ratio <= 15.0, "10x the parts took {ratio:.1}x the time ({small:?} vs {large:?}): not linear");
    assert_eq!(server.requests(), 1 + 2 * RUNS);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_form_of_200000_parts_is_sent_from_a_tokio_worker_without_overflowing_its_stack() {
    let server = reading_server();
    let clerk = client(&server.url());

    // On a worker thread (2 MiB of stack), as a user's task runs it.
    let sent = tokio::spawn(async move { upload(&clerk, list_form(200_000)).await }).await;

    sent.expect("the task did not panic").expect("the server answers 204");
    assert_eq!(server.requests(), 1);
}

// ---------------------------------------------------------------------------
// The request body cap
// ---------------------------------------------------------------------------

#[tokio::test]
async fn a_body_over_the_request_cap_is_refused_before_any_io_naming_its_size() {
    let server = MockServer::start().await; // no mock: anything sent would be recorded
    assert_eq!(limits::REQUEST_BODY, 32 * 1024 * 1024);
    let over = limits::REQUEST_BODY + 1;

    let mut form = Multipart::new();
    form.file("Upload", "file", &FilePart::new(vec![0u8; over], "big.bin", "application/octet-stream"))
        .expect("a file");
    let error = upload(&client(&server.uri()), form.clone()).await.expect_err("over the cap");
    let Error::InvalidArgument { operation: "Upload", argument: "body", reason } = &error else {
        panic!("expected InvalidArgument, got {error:?}")
    };
    assert!(reason.contains(&format!("over the limit of {} bytes", limits::REQUEST_BODY)), "{reason}");
    let size: usize = reason.split_whitespace().nth(1).and_then(|n| n.parse().ok()).expect("the size, in bytes");
    assert!(size > over, "{reason}");

    // JSON bodies too: a create with 33 MiB of metadata.
    let metadata = serde_json::Map::from_iter([("blob".to_owned(), serde_json::Value::from("x".repeat(over)))]);
    let body = CreateOrganizationInvitationRequest::new("ada@example.com", "org:member").public_metadata(metadata);
    let clerk = clerk_invitations::Client::builder().secret(SECRET).base_url(server.uri()).build().expect("a client");
    let error = clerk.organization_invitations().create().organization_id("org_1").body(body).send().await;
    let error = error.expect_err("over the cap");
    assert!(
        matches!(&error, Error::InvalidArgument { operation: "CreateOrganizationInvitation", argument: "body", reason }
            if reason.contains("over the limit of 33554432 bytes")),
        "{error:.300}"
    );
    assert!(error.to_string().len() < 300, "the body is quoted");
    let received = server.received_requests().await.expect("recording").len();
    assert_eq!(received, 0, "a body over the cap must send nothing");

    // A raised cap lets the same form through.
    Mock::given(any()).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    let roomy = ClientBuilder::<Client>::new(&API)
        .secret(SECRET)
        .base_url(server.uri())
        .max_request_body(64 * 1024 * 1024)
        .build()
        .expect("a client");
    upload(&roomy, form).await.expect("under the raised cap");
}
