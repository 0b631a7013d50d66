//! `multipart/form-data` bodies: text fields and files (uploads such as a logo or
//! a profile image), encoded here, flat, into one buffer.
//!
//! reqwest's own form nests one stream inside another per part: sending a form
//! of 7,000 parts overflowed a Tokio worker's stack in a debug build, and the
//! time grew with the square of the parts before that. Here a form is one loop
//! writing into one `Bytes`, once per call; each attempt sends a cheap clone.
//!
//! Names and file names are written as RFC 7578 §4.2 and the WHATWG's form
//! encoding say: `"`, CR and LF percent-encoded, nothing else changed. A file
//! name is reduced to its last path component, and refused when it holds a
//! control or a Unicode format character (bidi overrides among them), or when
//! nothing but `.` or `..` is left.

use std::borrow::Cow;
use std::collections::hash_map::RandomState;
use std::fmt;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};

use bytes::Bytes;
use http::HeaderValue;

use crate::Error;

/// A file sent as one part of a `multipart/form-data` body (a logo, a profile
/// image): its bytes, and the file name and content type the server is told.
///
/// Both are checked when the call is sent, and a refusal is
/// `Error::InvalidArgument` (which never quotes them), with nothing sent:
/// - the file name is sent as its last path component (`C:\logos\a.png` and
///   `../a.png` go out as `a.png`); one with a control character (a CR or LF
///   would end the part's header) or a Unicode format character (such as the
///   bidi override U+202E, which makes `gnp.exe` read as `exe.png`) is refused,
///   and so is one that is empty, `.` or `..` once reduced;
/// - the content type must be a media type as HTTP defines it (RFC 9110
///   §8.3.1), such as `image/png` or `text/plain; charset=utf-8`, in ASCII.
#[derive(Clone, PartialEq, Eq)]
pub struct FilePart {
    bytes: Bytes,
    file_name: String,
    content_type: String,
}

impl FilePart {
    /// The file `bytes` (a `Vec<u8>`, `&'static [u8]` or [`Bytes`]), named
    /// `file_name`, of `content_type`.
    pub fn new(bytes: impl Into<Bytes>, file_name: impl Into<String>, content_type: impl Into<String>) -> Self {
        FilePart { bytes: bytes.into(), file_name: file_name.into(), content_type: content_type.into() }
    }

    /// The file's contents.
    pub fn bytes(&self) -> &Bytes {
        &self.bytes
    }

    /// The name as given, e.g. `logo.png`; the server is told its last path
    /// component.
    pub fn file_name(&self) -> &str {
        &self.file_name
    }

    /// The content type the server is told, e.g. `image/png`.
    pub fn content_type(&self) -> &str {
        &self.content_type
    }
}

/// The name and type, and the size rather than the bytes.
impl fmt::Debug for FilePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FilePart")
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .field("len", &self.bytes.len())
            .finish()
    }
}

/// A form a generated call fills, field by field, in the spec's order. Text is
/// written out as it is added, under a boundary chosen when the form is made;
/// a file's bytes are kept aside, not copied, until the whole form is known to
/// fit the client's request body cap.
#[derive(Clone)]
pub struct Multipart {
    boundary: String,
    /// What comes before `text`, when the form has files: written text and
    /// each file's bytes, in order.
    pieces: Vec<Piece>,
    /// The text written since the last file (all of it, without files).
    text: Vec<u8>,
    parts: usize,
}

#[derive(Clone)]
enum Piece {
    Text(Vec<u8>),
    File(Bytes),
}

impl Piece {
    fn len(&self) -> usize {
        match self {
            Piece::Text(text) => text.len(),
            Piece::File(bytes) => bytes.len(),
        }
    }
}

/// A body ready for every attempt of a call (cloning it is cheap), with its
/// `Content-Type`: a form's names its boundary.
#[derive(Debug, Clone)]
pub(crate) struct Encoded {
    pub(crate) content_type: HeaderValue,
    pub(crate) body: Bytes,
}

impl Multipart {
    /// An empty form with a boundary of its own.
    pub fn new() -> Self {
        Multipart { boundary: boundary(), pieces: Vec::new(), text: Vec::new(), parts: 0 }
    }

    /// Adds the text field `name`.
    pub fn text(&mut self, name: &'static str, value: &str) {
        part_head(&mut self.text, self.boundary.as_bytes(), &escape(name), None);
        self.text.extend_from_slice(value.as_bytes());
        self.text.extend_from_slice(b"\r\n");
        self.parts += 1;
    }

    /// Adds `file` as the field `name`, refusing a file name or content type
    /// that cannot be sent (see [`FilePart`]); the message never quotes them.
    pub fn file(&mut self, operation: &'static str, name: &'static str, file: &FilePart) -> Result<(), Error> {
        let invalid = |reason: &str| Error::InvalidArgument { operation, argument: name, reason: reason.to_owned() };
        let file_name = sendable_file_name(&file.file_name).map_err(invalid)?;
        if !is_media_type(&file.content_type) {
            return Err(invalid("has a content type that is not a media type such as `image/png`"));
        }
        let header = Some((escape(file_name), file.content_type.as_str()));
        part_head(&mut self.text, self.boundary.as_bytes(), &escape(name), header);
        self.pieces.push(Piece::Text(std::mem::take(&mut self.text)));
        self.pieces.push(Piece::File(file.bytes.clone()));
        self.text.extend_from_slice(b"\r\n");
        self.parts += 1;
        Ok(())
    }

    /// The form's length in bytes once closed, saturating.
    fn len(&self, closing: &[u8]) -> usize {
        self.pieces.iter().map(Piece::len).fold(self.text.len().saturating_add(closing.len()), usize::saturating_add)
    }

    /// The form as one body, refused before its files are copied when it
    /// would be longer than `limit` bytes.
    pub(crate) fn encode(self, operation: &'static str, limit: usize) -> Result<Encoded, Error> {
        let refuse = |reason: String| Error::InvalidArgument { operation, argument: "body", reason };
        let closing = ["--", &self.boundary, "--\r\n"].concat();
        let length = self.len(closing.as_bytes());
        if length > limit {
            return Err(refuse(format!("is {length} bytes, over the limit of {limit} bytes")));
        }
        let content_type = HeaderValue::from_str(&format!("multipart/form-data; boundary={}", self.boundary))
            .map_err(|_| refuse("could not be given a multipart boundary".to_owned()))?;
        let body = if self.pieces.is_empty() {
            // Text only (the usual form, a list field's too): the buffer is the body.
            let mut body = self.text;
            body.extend_from_slice(closing.as_bytes());
            body
        } else {
            let mut body = Vec::with_capacity(length);
            for piece in &self.pieces {
                match piece {
                    Piece::Text(text) => body.extend_from_slice(text),
                    Piece::File(bytes) => body.extend_from_slice(bytes),
                }
            }
            body.extend_from_slice(&self.text);
            body.extend_from_slice(closing.as_bytes());
            body
        };
        Ok(Encoded { content_type, body: Bytes::from(body) })
    }
}

impl Default for Multipart {
    fn default() -> Self {
        Multipart::new()
    }
}

/// How many parts and bytes, not the bytes (a form may hold a million parts).
impl fmt::Debug for Multipart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Multipart").field("parts", &self.parts).field("bytes", &self.len(b"")).finish()
    }
}

/// A part's delimiter and header (RFC 7578): its name, and for a file its file
/// name and content type, already escaped; then the blank line.
fn part_head(out: &mut Vec<u8>, boundary: &[u8], name: &str, file: Option<(Cow<'_, str>, &str)>) {
    out.extend_from_slice(b"--");
    out.extend_from_slice(boundary);
    out.extend_from_slice(b"\r\nContent-Disposition: form-data; name=\"");
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(b"\"");
    if let Some((file_name, content_type)) = file {
        out.extend_from_slice(b"; filename=\"");
        out.extend_from_slice(file_name.as_bytes());
        out.extend_from_slice(b"\"\r\nContent-Type: ");
        out.extend_from_slice(content_type.as_bytes());
    }
    out.extend_from_slice(b"\r\n\r\n");
}

/// A boundary no one outside this process can predict, so no part's content
/// can hold it on purpose: 128 bits of SipHash, keyed at random by
/// `RandomState` (fresh keys per instance), over a per-process counter.
fn boundary() -> String {
    static FORMS: AtomicU64 = AtomicU64::new(0);
    let form = FORMS.fetch_add(1, Ordering::Relaxed);
    let keys = RandomState::new();
    let half = |which: u8| {
        let mut hasher = keys.build_hasher();
        hasher.write_u64(form);
        hasher.write_u8(which);
        hasher.finish()
    };
    format!("form-boundary-{:016x}{:016x}", half(0), half(1))
}

/// `"`, CR and LF percent-encoded, as browsers write names and file names in a
/// form (the WHATWG's `multipart/form-data` encoding; RFC 7578 §4.2); borrowed
/// when there is nothing to change.
fn escape<'a>(text: impl Into<Cow<'a, str>>) -> Cow<'a, str> {
    let text = text.into();
    if !text.contains(['"', '\r', '\n']) {
        return text;
    }
    let mut escaped = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '"' => escaped.push_str("%22"),
            '\r' => escaped.push_str("%0D"),
            '\n' => escaped.push_str("%0A"),
            c => escaped.push(c),
        }
    }
    Cow::Owned(escaped)
}

/// The last path component of `file_name` (after the last `/` or `\`), or why
/// it cannot be sent. The reasons never quote the name.
fn sendable_file_name(file_name: &str) -> Result<&str, &'static str> {
    if file_name.chars().any(char::is_control) {
        return Err("has a file name with a control character (such as CR or LF)");
    }
    if file_name.chars().any(is_format_character) {
        return Err("has a file name with an invisible Unicode format character (such as a bidi override)");
    }
    let last = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name);
    match last {
        "" => Err("has an empty file name (or one ending in a path separator)"),
        "." | ".." => Err("has a file name that is `.` or `..`"),
        last => Ok(last),
    }
}

/// Unicode's format characters (general category Cf, Unicode 15.1: bidi
/// marks, embeddings, overrides and isolates, zero-width characters, tags, …)
/// and the line and paragraph separators: they change how a name reads
/// without being seen.
fn is_format_character(c: char) -> bool {
    matches!(
        c,
        '\u{AD}'
            | '\u{600}'..='\u{605}'
            | '\u{61C}'
            | '\u{6DD}'
            | '\u{70F}'
            | '\u{890}'..='\u{891}'
            | '\u{8E2}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{2028}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206F}'
            | '\u{FEFF}'
            | '\u{FFF9}'..='\u{FFFB}'
            | '\u{110BD}'
            | '\u{110CD}'
            | '\u{13430}'..='\u{1343F}'
            | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0001}'
            | '\u{E0020}'..='\u{E007F}'
    )
}

/// Whether `text` is a media type (RFC 9110 §8.3.1):
/// `type "/" subtype *( OWS ";" OWS [ name "=" ( token / quoted-string ) ] )`.
/// Obsolete non-ASCII text in a quoted string is refused.
fn is_media_type(text: &str) -> bool {
    let mut rest = text.as_bytes();
    if !(token(&mut rest) && byte(&mut rest, b'/') && token(&mut rest)) {
        return false;
    }
    loop {
        whitespace(&mut rest);
        if rest.is_empty() {
            return true;
        }
        if !byte(&mut rest, b';') {
            return false;
        }
        whitespace(&mut rest);
        if rest.is_empty() || rest[0] == b';' {
            continue; // an empty parameter, which the grammar allows
        }
        if !(token(&mut rest) && byte(&mut rest, b'=')) {
            return false;
        }
        let value = if rest.first() == Some(&b'"') { quoted_string(&mut rest) } else { token(&mut rest) };
        if !value {
            return false;
        }
    }
}

/// Consumes one or more token characters (RFC 9110 §5.6.2).
fn token(rest: &mut &[u8]) -> bool {
    let is_tchar = |b: &u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(b);
    let length = rest.iter().take_while(|b| is_tchar(b)).count();
    *rest = &rest[length..];
    length > 0
}

/// Consumes a quoted string (RFC 9110 §5.6.4), in ASCII.
fn quoted_string(rest: &mut &[u8]) -> bool {
    let visible = |b: u8| b == b'\t' || (b' '..=b'~').contains(&b);
    let bytes = *rest;
    let mut at = 1; // past the opening quote
    while let Some(&b) = bytes.get(at) {
        match b {
            b'"' => {
                *rest = &bytes[at + 1..];
                return true;
            }
            b'\\' if bytes.get(at + 1).is_some_and(|&next| visible(next)) => at += 2,
            b if visible(b) && b != b'\\' => at += 1,
            _ => return false,
        }
    }
    false
}

/// Consumes `expected` if it comes next.
fn byte(rest: &mut &[u8], expected: u8) -> bool {
    match rest.split_first() {
        Some((&first, tail)) if first == expected => {
            *rest = tail;
            true
        }
        _ => false,
    }
}

/// Consumes optional spaces and tabs.
fn whitespace(rest: &mut &[u8]) {
    let length = rest.iter().take_while(|&&b| b == b' ' || b == b'\t').count();
    *rest = &rest[length..];
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(file: FilePart) -> String {
        match Multipart::new().file("Upload", "file", &file) {
            Err(Error::InvalidArgument { operation: "Upload", argument: "file", reason }) => reason,
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    fn named(file_name: &str) -> FilePart {
        FilePart::new(&b"x"[..], file_name, "image/png")
    }

    /// The `filename` parameter a form with this one file sends.
    fn sent_file_name(file_name: &str) -> String {
        let mut form = Multipart::new();
        form.file("Upload", "file", &named(file_name)).unwrap();
        let body = form.encode("Upload", usize::MAX).unwrap().body;
        let text = String::from_utf8(body.to_vec()).unwrap();
        let start = text.find("filename=\"").unwrap() + "filename=\"".len();
        let end = start + text[start..].find("\"\r\n").unwrap();
        text[start..end].to_owned()
    }

    #[test]
    fn file_names_and_content_types_that_would_break_the_part_header_are_refused() {
        assert!(refused(named("a\r\nX-Evil: 1")).contains("control character"));
        assert!(refused(named("")).contains("empty file name"));
        assert!(refused(FilePart::new(&b"x"[..], "logo.png", "image/png\r\nX-Evil: 1")).contains("content type"));
        assert!(refused(FilePart::new(&b"x"[..], "logo.png", "png")).contains("content type"));
    }

    #[test]
    fn file_names_are_reduced_to_their_last_path_component() {
        assert_eq!(sent_file_name("../../etc/passwd"), "passwd");
        assert_eq!(sent_file_name("C:\\Users\\ada\\logo.png"), "logo.png");
        assert_eq!(sent_file_name("a/b\\c.png"), "c.png");
        assert_eq!(sent_file_name("..logo.png"), "..logo.png");
        for reduced_to_nothing in ["dir/", "..", ".", "a/..", "a\\.", "/", "\\"] {
            let reason = refused(named(reduced_to_nothing));
            assert!(reason.contains("empty") || reason.contains("`..`"), "{reduced_to_nothing:?}: {reason}");
        }
    }

    #[test]
    fn quotes_in_names_and_file_names_are_percent_encoded() {
        assert_eq!(sent_file_name(r#"logo "v2".png"#), "logo %22v2%22.png");
        assert_eq!(sent_file_name("résumé 100%.pdf"), "résumé 100%.pdf", "only `\"`, CR and LF change");
        assert_eq!(escape("a\"b\rc\nd"), "a%22b%0Dc%0Ad");
        assert!(matches!(escape("plain"), Cow::Borrowed("plain")));
        let mut form = Multipart::new();
        form.text("we\"ird\r\nname", "v");
        let body = form.encode("Upload", usize::MAX).unwrap().body;
        assert!(String::from_utf8_lossy(&body).contains("name=\"we%22ird%0D%0Aname\"\r\n"));
    }

    #[test]
    fn control_and_bidi_characters_in_file_names_are_refused_without_quoting_them() {
        for name in [
            "a\0.png",
            "a\t.png",
            "a\u{7F}.png",
            "a\u{85}.png",
            "invoice\u{202E}gnp.exe",
            "a\u{2066}b.png",
            "a\u{200B}.png",
            "a\u{FEFF}.png",
            "a\u{2028}.png",
            "a\u{E0041}.png",
            "dir\r\n/a.png",
        ] {
            let reason = refused(named(name));
            assert!(reason.contains("character"), "{name:?}: {reason}");
            assert!(!reason.contains(name) && !reason.contains(".png"), "the name is quoted: {reason}");
        }
        assert_eq!(sent_file_name("日本語 ✓.png"), "日本語 ✓.png", "other Unicode is sent as it is");
    }

    #[test]
    fn media_types_follow_rfc_9110() {
        for good in [
            "image/png",
            "text/plain; charset=utf-8",
            "text/plain;charset=\"utf-8\"",
            "application/vnd.api+json",
            "multipart/mixed; boundary=\"a b\\\"c\"",
            "text/plain;",
            "text/plain; ;a=b",
            "image/png; q=1",
        ] {
            assert!(is_media_type(good), "{good:?}");
        }
        for bad in [
            "",
            "png",
            "image/",
            "/png",
            "image/png/x",
            "image /png",
            "image/png; charset",
            "image/png; charset=",
            "image/png; a=\"unterminated",
            "image/png; a=b c",
            "image/png\r\nX-Evil: 1",
            "image/png; a=\"\u{E9}\"",
            "imäge/png",
            "image/png, text/plain",
        ] {
            assert!(!is_media_type(bad), "{bad:?}");
        }
    }

    #[test]
    fn the_length_checked_is_the_length_sent() {
        let mut form = Multipart::new();
        form.text("a", "1");
        form.file("Upload", "f", &FilePart::new(vec![0u8; 1000], "x.bin", "application/octet-stream")).unwrap();
        form.text("b", "2");
        let encoded = form.clone().encode("Upload", usize::MAX).unwrap();
        let length = encoded.body.len();
        assert!(length > 1000);
        let closing = "--".len() + "form-boundary-".len() + 32 + "--\r\n".len();
        assert_eq!(format!("{form:?}"), format!("Multipart {{ parts: 3, bytes: {} }}", length - closing));
        assert!(form.clone().encode("Upload", length).is_ok(), "a body exactly at the limit is sent");
        match form.encode("Upload", length - 1) {
            Err(Error::InvalidArgument { argument: "body", reason, .. }) => {
                assert_eq!(reason, format!("is {length} bytes, over the limit of {} bytes", length - 1));
            }
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn each_form_gets_its_own_unpredictable_boundary() {
        let (a, b) = (boundary(), boundary());
        assert_ne!(a, b);
        assert_eq!(a.len(), "form-boundary-".len() + 32);
        let content_type = Multipart::new().encode("Upload", usize::MAX).unwrap().content_type;
        assert!(content_type.to_str().unwrap().starts_with("multipart/form-data; boundary=form-boundary-"));
    }

    #[test]
    fn debug_shows_the_size_not_the_bytes() {
        let file = FilePart::new(vec![7u8; 3000], "logo.png", "image/png");
        let shown = format!("{file:?}");
        assert!(shown.contains("len: 3000") && shown.len() < 100, "{shown}");
    }
}
