//! `multipart/form-data` bodies: text fields and files (Clerk's logo and
//! profile image uploads). A reqwest form is a stream that can be sent once,
//! so the request keeps the parts, cheap to clone, and builds a new form for
//! each attempt.

use std::fmt;

use bytes::Bytes;
use http::HeaderValue;

use crate::Error;

/// A file sent as one part of a `multipart/form-data` body (a logo, a profile
/// image): its bytes, and the file name and content type the server is told.
///
/// Both are checked when the call is sent: a file name that is empty or holds a
/// control character (a CR or LF would end the part's header), or a content
/// type that is not a media type such as `image/png`, is
/// `Error::InvalidArgument`, and nothing is sent.
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

    /// The name the server is told, e.g. `logo.png`.
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

/// A form a generated call fills, field by field, in the spec's order.
#[derive(Debug, Clone, Default)]
pub struct Multipart {
    parts: Vec<(&'static str, Part)>,
}

#[derive(Debug, Clone)]
enum Part {
    Text(String),
    File(FilePart),
}

impl Multipart {
    /// An empty form.
    pub fn new() -> Self {
        Multipart::default()
    }

    /// Adds the text field `name`.
    pub fn text(&mut self, name: &'static str, value: String) {
        self.parts.push((name, Part::Text(value)));
    }

    /// Adds `file` as the field `name`, refusing a file name or content type
    /// that cannot be sent (see [`FilePart`]); the message never quotes them.
    pub fn file(&mut self, operation: &'static str, name: &'static str, file: &FilePart) -> Result<(), Error> {
        let invalid = |reason: &str| Error::InvalidArgument { operation, argument: name, reason: reason.to_owned() };
        if file.file_name.is_empty() {
            return Err(invalid("has an empty file name"));
        }
        if file.file_name.chars().any(char::is_control) {
            return Err(invalid("has a file name with a control character (such as CR or LF)"));
        }
        // reqwest's own parse, the one `form` uses: what passes here is sent.
        let media_type = HeaderValue::from_str(&file.content_type).is_ok()
            && reqwest::multipart::Part::bytes(&b""[..]).mime_str(&file.content_type).is_ok();
        if !media_type {
            return Err(invalid("has a content type that is not a media type such as `image/png`"));
        }
        self.parts.push((name, Part::File(file.clone())));
        Ok(())
    }

    /// A reqwest form of these parts, for one attempt. File names and content
    /// types were checked when they were added.
    pub(crate) fn form(&self) -> Result<reqwest::multipart::Form, reqwest::Error> {
        let mut form = reqwest::multipart::Form::new();
        for (name, part) in &self.parts {
            let part = match part {
                Part::Text(value) => reqwest::multipart::Part::text(value.clone()),
                Part::File(file) => {
                    let length = u64::try_from(file.bytes.len()).unwrap_or(u64::MAX);
                    // The length is known, so the whole body gets a `Content-Length`.
                    reqwest::multipart::Part::stream_with_length(file.bytes.clone(), length)
                        .file_name(file.file_name.clone())
                        .mime_str(&file.content_type)?
                }
            };
            form = form.part(*name, part);
        }
        Ok(form)
    }
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

    #[test]
    fn file_names_and_content_types_that_would_break_the_part_header_are_refused() {
        assert!(refused(FilePart::new(&b"x"[..], "a\r\nX-Evil: 1", "image/png")).contains("control character"));
        assert!(refused(FilePart::new(&b"x"[..], "", "image/png")).contains("empty file name"));
        assert!(refused(FilePart::new(&b"x"[..], "logo.png", "image/png\r\nX-Evil: 1")).contains("content type"));
        assert!(refused(FilePart::new(&b"x"[..], "logo.png", "png")).contains("content type"));
        let mut form = Multipart::new();
        form.file("Upload", "file", &FilePart::new(&b"x"[..], "logo \"1\".png", "image/png; q=1")).unwrap();
        assert!(form.form().is_ok());
    }

    #[test]
    fn debug_shows_the_size_not_the_bytes() {
        let file = FilePart::new(vec![7u8; 3000], "logo.png", "image/png");
        let shown = format!("{file:?}");
        assert!(shown.contains("len: 3000") && shown.len() < 100, "{shown}");
    }
}
