//! A minimal HTTP/1.1 keep-alive server on 127.0.0.1: it reads a request head
//! (up to CRLFCRLF) and any `Content-Length` body, and answers a canned
//! response, keeping the connection open. It runs on a thread of its own
//! with its own runtime, so its work never counts as the client's.

use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// The responses, whole (head and body), ready to write.
struct Canned {
    get: Vec<u8>,
    list: Vec<u8>,
    not_found: Vec<u8>,
    no_content: Vec<u8>,
    /// The head of the last request, kept only while `recording` is set (to
    /// compare what the two clients send).
    last_head: Mutex<Option<String>>,
    recording: std::sync::atomic::AtomicBool,
}

/// A running server: its port, and a way to look at the requests it gets.
#[derive(Clone)]
pub struct Server {
    pub port: u16,
    canned: Arc<Canned>,
}

fn response(status: &str, body: &[u8]) -> Vec<u8> {
    // Headers a Clerk answer carries besides the body's own.
    let head = format!(
        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
         clerk-trace-id: 5c1f4e0a9b7d4c2e8f3a6b1d0e9c8f7a\r\ncache-control: no-store\r\n\r\n",
        body.len()
    );
    let mut whole = head.into_bytes();
    whole.extend_from_slice(body);
    whole
}

impl Server {
    /// Starts the server on its own thread and returns once it listens.
    pub fn start(get_body: &[u8], list_body: &[u8]) -> Server {
        let canned = Arc::new(Canned {
            get: response("200 OK", get_body),
            list: response("200 OK", list_body),
            not_found: response(
                "404 Not Found",
                br#"{"errors":[{"message":"not found","long_message":"not found","code":"resource_not_found"}]}"#,
            ),
            no_content: b"HTTP/1.1 204 No Content\r\ncontent-length: 0\r\n\r\n".to_vec(),
            last_head: Mutex::new(None),
            recording: false.into(),
        });
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        listener.set_nonblocking(true).expect("a non-blocking listener");
        let port = listener.local_addr().expect("the listener's address").port();
        let serving = Arc::clone(&canned);
        std::thread::Builder::new()
            .name("bench-server".to_owned())
            .spawn(move || {
                let runtime =
                    tokio::runtime::Builder::new_current_thread().enable_io().build().expect("the server's runtime");
                runtime.block_on(async move {
                    let listener = TcpListener::from_std(listener).expect("a tokio listener");
                    loop {
                        let Ok((stream, _)) = listener.accept().await else { continue };
                        let _ = stream.set_nodelay(true);
                        tokio::spawn(serve(stream, Arc::clone(&serving)));
                    }
                });
            })
            .expect("the server thread");
        Server { port, canned }
    }

    /// Starts keeping the head of the last request served.
    pub fn record(&self) {
        self.canned.recording.store(true, std::sync::atomic::Ordering::SeqCst);
    }

    /// Stops recording and returns the head of the last request served: its
    /// request line, then its header lines sorted with names lowercased, so
    /// two clients' heads compare equal whatever their header order.
    pub fn take_head(&self) -> String {
        self.canned.recording.store(false, std::sync::atomic::Ordering::SeqCst);
        let head = self.canned.last_head.lock().unwrap().take().unwrap_or_default();
        let mut lines = head.split("\r\n");
        let request_line = lines.next().unwrap_or_default().to_owned();
        let mut headers: Vec<String> = lines
            .filter(|line| !line.is_empty())
            .map(|line| match line.split_once(':') {
                Some((name, value)) => format!("{}: {}", name.to_ascii_lowercase(), value.trim()),
                None => line.to_owned(),
            })
            .collect();
        headers.sort();
        format!("{request_line}\n{}", headers.join("\n"))
    }
}

/// Serves one connection until the client closes it.
async fn serve(mut stream: TcpStream, canned: Arc<Canned>) {
    let mut buffer: Vec<u8> = Vec::with_capacity(4096);
    let mut chunk = [0u8; 4096];
    loop {
        // Read until the buffer holds a whole head.
        let head_end = loop {
            if let Some(at) = buffer.windows(4).position(|window| window == b"\r\n\r\n") {
                break at + 4;
            }
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(read) => buffer.extend_from_slice(&chunk[..read]),
            }
        };
        let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
        let body_length = content_length(&head);
        while buffer.len() < head_end + body_length {
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(read) => buffer.extend_from_slice(&chunk[..read]),
            }
        }
        let answer = route(&canned, &head);
        if canned.recording.load(std::sync::atomic::Ordering::SeqCst) {
            *canned.last_head.lock().unwrap() = Some(head.trim_end().to_owned());
        }
        if stream.write_all(answer).await.is_err() {
            return;
        }
        // Keep whatever the client sent after this request (pipelining).
        buffer.drain(..head_end + body_length);
    }
}

fn content_length(head: &str) -> usize {
    head.split("\r\n")
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, value)| value.trim().parse().ok())
        .unwrap_or(0)
}

/// `GET /v1/organizations/{org}/invitations` → the page;
/// `GET /v1/organizations/{org}/invitations/{id}` → one invitation;
/// `POST /v1/uploads` (the form row, its body read and dropped) → 204.
fn route<'a>(canned: &'a Canned, head: &str) -> &'a [u8] {
    let target = head.split(' ').nth(1).unwrap_or_default();
    let path = target.split('?').next().unwrap_or_default();
    let segments: Vec<&str> = path.split('/').collect();
    match (head.starts_with("GET "), segments.as_slice()) {
        (true, ["", "v1", "organizations", _, "invitations"]) => &canned.list,
        (true, ["", "v1", "organizations", _, "invitations", _]) => &canned.get,
        (false, ["", "v1", "uploads"]) if head.starts_with("POST ") => &canned.no_content,
        _ => &canned.not_found,
    }
}
