//! The form row: a `multipart/form-data` body of a million small text parts
//! (one list field), sent through the runtime the way generated code sends a
//! form, against a hand-written flat encoding of the same parts posted with
//! the same reqwest. A form this size is over the default request body cap
//! (32 MiB), so the runtime's client raises it.

use openapi_client_runtime::__private::{HttpMethod, Multipart, Operation, Request};
use openapi_client_runtime::{Api, Client, ClientBuilder, ErrorFormat, Retries, RetrySafety, Scheme, SchemeKind};
use reqwest::header::{HeaderValue, AUTHORIZATION, CONTENT_TYPE};

use crate::fixtures::SECRET_KEY;

/// How many parts the form has.
pub const ITEMS: usize = 1_000_000;

/// The raised cap: the form is about 95 MB.
const MAX_REQUEST_BODY: usize = 256 * 1024 * 1024;

static API: Api = Api {
    default_base_url: None,
    user_agent: "client-bench/0",
    headers: &[],
    schemes: &[Scheme { name: "bearerAuth", kind: SchemeKind::Bearer }],
    secret_var: None,
    errors: ErrorFormat::STATUS,
};

static UPLOAD: Operation = Operation {
    id: "UploadLabels",
    method: HttpMethod::Post,
    path: "/uploads",
    safety: RetrySafety::Idempotent,
    backoff: None,
    security: &[&["bearerAuth"]],
    api: &API,
};

/// The list the caller holds: `label-0`, `label-1`, …
pub fn labels() -> Vec<String> {
    (0..ITEMS).map(|item| format!("label-{item}")).collect()
}

/// Both ways of sending the form, pointed at the bench server.
pub struct Forms {
    ours: Client,
    theirs: reqwest::Client,
    url: String,
}

impl Forms {
    /// Must be called inside a tokio runtime.
    pub fn new(port: u16) -> Forms {
        let base_url = format!("http://127.0.0.1:{port}/v1");
        let ours = ClientBuilder::<Client>::new(&API)
            .secret(SECRET_KEY)
            .base_url(base_url.clone())
            .max_request_body(MAX_REQUEST_BODY)
            .retries(Retries::off())
            .build()
            .expect("the runtime's client builds");
        let theirs = reqwest::Client::builder().build().expect("a reqwest client");
        Forms { ours, theirs, url: format!("{base_url}/uploads") }
    }

    /// A generated call's work: a part per item of the caller's list, then
    /// the send.
    pub async fn ours(&self, labels: &[String]) {
        let mut form = Multipart::new();
        for label in labels {
            form.text("labels", label);
        }
        let request = Request::new(&UPLOAD, "/uploads".to_owned()).multipart(form);
        self.ours.send_without_content(request).await.expect("ours: the form is sent");
    }

    /// By hand: the same parts written into one buffer, posted as it is.
    pub async fn theirs(&self, labels: &[String]) {
        const BOUNDARY: &str = "bench-5f0c0d4e9a1b2c3d4e5f60718293a4b5";
        let mut body = Vec::with_capacity(labels.len() * 96);
        for label in labels {
            body.extend_from_slice(b"--");
            body.extend_from_slice(BOUNDARY.as_bytes());
            body.extend_from_slice(b"\r\nContent-Disposition: form-data; name=\"labels\"\r\n\r\n");
            body.extend_from_slice(label.as_bytes());
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
        let content_type =
            HeaderValue::from_static("multipart/form-data; boundary=bench-5f0c0d4e9a1b2c3d4e5f60718293a4b5");
        self.theirs
            .post(&self.url)
            .header(AUTHORIZATION, format!("Bearer {SECRET_KEY}"))
            .header(CONTENT_TYPE, content_type)
            .body(body)
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .expect("theirs: the form is sent");
    }
}
