//! A raw TCP server on its own OS threads, for answers no HTTP library sends on
//! purpose: silence, endless bodies, 150 headers, not HTTP at all, TLS with a
//! certificate from an unknown CA. Blocking `std` I/O on plain threads keeps it
//! independent of the client's runtime, so a test may pause the client's clock.
//! It counts connections, request heads and the bytes it wrote, so a test can
//! assert how often the client tried and when it stopped reading.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;

#[derive(Default)]
pub(crate) struct Stats {
    connections: AtomicUsize,
    requests: AtomicUsize,
    written: AtomicU64,
}

pub(crate) struct RawServer {
    pub(crate) port: u16,
    stats: Arc<Stats>,
}

impl RawServer {
    pub(crate) fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub(crate) fn connections(&self) -> usize {
        self.stats.connections.load(Ordering::SeqCst)
    }

    /// Request heads read in full.
    pub(crate) fn requests(&self) -> usize {
        self.stats.requests.load(Ordering::SeqCst)
    }

    /// Bytes the server managed to write, over all connections.
    pub(crate) fn written(&self) -> u64 {
        self.stats.written.load(Ordering::SeqCst)
    }
}

/// Serves every connection on its own thread with `handle`. The threads end when
/// the client closes its side; the listener lives as long as the test binary.
pub(crate) fn serve(handle: impl Fn(TcpStream, &Stats) + Send + Sync + 'static) -> RawServer {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a raw test server");
    let port = listener.local_addr().expect("its address").port();
    let stats = Arc::new(Stats::default());
    let handle = Arc::new(handle);
    let shared = Arc::clone(&stats);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            shared.connections.fetch_add(1, Ordering::SeqCst);
            let (handle, stats) = (Arc::clone(&handle), Arc::clone(&shared));
            std::thread::spawn(move || handle(stream, &stats));
        }
    });
    RawServer { port, stats }
}

impl Stats {
    /// Reads one request (head and `Content-Length` body); false if the client
    /// closed first.
    pub(crate) fn read_request(&self, stream: &mut impl Read) -> bool {
        let mut head = Vec::new();
        let mut byte = [0u8; 1];
        while !head.ends_with(b"\r\n\r\n") {
            match stream.read(&mut byte) {
                Ok(1) => head.push(byte[0]),
                _ => return false,
            }
        }
        self.requests.fetch_add(1, Ordering::SeqCst);
        let head = String::from_utf8_lossy(&head).to_ascii_lowercase();
        let length = head
            .lines()
            .find_map(|line| line.strip_prefix("content-length:"))
            .and_then(|value| value.trim().parse::<u64>().ok())
            .unwrap_or(0);
        std::io::copy(&mut stream.take(length), &mut std::io::sink()).is_ok()
    }

    /// Writes `bytes`, counting what got out; false once the client is gone.
    pub(crate) fn write(&self, stream: &mut impl Write, bytes: &[u8]) -> bool {
        let mut rest = bytes;
        while !rest.is_empty() {
            match stream.write(rest) {
                Ok(0) | Err(_) => return false,
                Ok(n) => {
                    self.written.fetch_add(n as u64, Ordering::SeqCst);
                    rest = &rest[n..];
                }
            }
        }
        stream.flush().is_ok()
    }
}

/// Blocks until the client closes the connection, answering nothing.
pub(crate) fn wait_for_close(stream: &mut TcpStream) {
    let mut sink = [0u8; 1024];
    while matches!(stream.read(&mut sink), Ok(n) if n > 0) {}
}

/// Reads each request and answers with `response`, keeping the connection open.
pub(crate) fn answering(response: &'static [u8]) -> RawServer {
    serve(move |mut stream, stats| {
        while stats.read_request(&mut stream) {
            if !stats.write(&mut stream, response) {
                return;
            }
        }
    })
}

/// Reads the request, writes `head`, then body bytes until the client hangs up:
/// raw zeros, or 64 KiB chunks of chunked encoding.
pub(crate) fn endless(head: &'static [u8], chunked: bool) -> RawServer {
    serve(move |mut stream, stats| {
        if !stats.read_request(&mut stream) || !stats.write(&mut stream, head) {
            return;
        }
        let zeros = vec![b'0'; 64 * 1024];
        let chunk = [b"10000\r\n".as_slice(), &zeros, b"\r\n"].concat();
        let piece = if chunked { &chunk } else { &zeros };
        while stats.write(&mut stream, piece) {}
    })
}
