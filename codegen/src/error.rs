//! The generator's one error type: a message and, where it has one, the spec
//! location as a JSON pointer (`#/paths/~1organization_invitations/get/parameters/1`);
//! and its warnings, which have the same form but do not stop a run.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub message: String,
    pub pointer: Option<String>,
}

impl Error {
    pub fn new(message: impl Into<String>) -> Self {
        Error { message: message.into(), pointer: None }
    }

    pub fn at(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Error { message: message.into(), pointer: Some(pointer.into()) }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // One line, always: the CLI prints it after "error: ". A pointer holds
        // the spec's keys as written, and a key may hold a line break too.
        let message = escape_controls(&self.message.replace('\n', " "));
        match &self.pointer {
            Some(pointer) => write!(f, "{message} (at {})", escape_controls(pointer)),
            None => f.write_str(&message),
        }
    }
}

/// `text` with every control character written as an escape (`\r`, `\u{1b}`).
fn escape_controls(text: &str) -> String {
    text.chars().map(|c| if c.is_control() { c.escape_default().to_string() } else { c.to_string() }).collect()
}

impl std::error::Error for Error {}

/// Something the generator tolerated rather than refused (an upstream mistake
/// that changes nothing it generates), with the place it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub message: String,
    pub pointer: Option<String>,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Printed after "warning: ", one line, like an error.
        fmt::Display::fmt(&Error { message: self.message.clone(), pointer: self.pointer.clone() }, f)
    }
}

/// Appends one reference token to a JSON pointer, escaping `~` and `/` (RFC 6901).
pub fn pointer(base: &str, token: &str) -> String {
    format!("{base}/{}", token.replace('~', "~0").replace('/', "~1"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_is_one_line_whatever_its_pointer_holds() {
        let error = Error::at(pointer("#/paths", "a\r\nb\u{1b}"), "bad\nvalue\r");
        assert_eq!(error.to_string(), "bad value\\r (at #/paths/a\\r\\nb\\u{1b})");
    }
}
