//! Decoding a 2XX body, and describing a failure without quoting the body.
//!
//! A body holds invitees' e-mail addresses, and serde's own messages quote the
//! values they reject (`invalid type: string "alice@…", expected i64`). So a
//! decode error is described in the runtime's own words, from a fixed
//! vocabulary: the JSON path (a map key only when it is a plain name), what
//! the type expected, the kind of value found (never the value) and the byte
//! offset. The body itself stays in the error, behind an explicit accessor.

use std::fmt::Write as _;

use bytes::Bytes;
use serde::de::DeserializeOwned;
use serde_json::error::Category;

use crate::error::{excerpt, RawBody};
use crate::Error;

/// Plain `serde_json`, then, only when that fails, the path of the failure
/// read off the body at the offset serde_json gives (`path_at`, below).
///
/// Not `serde_path_to_error`: it wraps every deserializer and visitor of
/// every type a call decodes, and that code was compiled again in each
/// program that polls the call (the bodies of async calls are compiled
/// where they are polled): 18,000 of the 42,000 functions a program calling
/// Clerk's 243 operations compiled. The failure is described by one
/// function that is not generic.
pub fn decode<T: DeserializeOwned>(operation: &'static str, status: u16, body: &Bytes) -> Result<T, Error> {
    serde_json::from_slice(body).map_err(|error| failure(operation, status, body, &error))
}

#[cold]
fn failure(operation: &'static str, status: u16, body: &Bytes, error: &serde_json::Error) -> Error {
    let offset = byte_offset(body, error);
    let mode = match error.classify() {
        Category::Data if about_an_object(error) => Mode::Data,
        Category::Data => Mode::DataInside,
        Category::Syntax | Category::Eof | Category::Io => Mode::Syntax,
    };
    let path = offset.map_or_else(|| ".".to_owned(), |offset| path_at(body, offset, mode));
    Error::Decode { operation, status, path, offset, message: describe(error), body: RawBody::new(body.clone()) }
}

/// The longest map key shown in a path; a longer one is `[key]`.
const KEY: usize = 64;

/// The longest path shown (indices and names from the type; cut beyond).
const PATH: usize = 200;

/// How much of what the type expects a message quotes (a list of many enum
/// values can be long).
const EXPECTED: usize = 200;

/// Whether a data error is about an object or array as a whole (a field
/// missing, unknown or twice, a wrong number of items): then a `}` or `]` the
/// offset points past is that container's own.
fn about_an_object(error: &serde_json::Error) -> bool {
    let text = error.to_string();
    ["missing field `", "unknown field `", "duplicate field `", "invalid length "]
        .iter()
        .any(|prefix| text.starts_with(prefix))
}

/// What kind of error the offset belongs to, which says which byte it
/// points past.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// The body is JSON, but a value is not what the type expects: the offset
    /// is just past that value (its last byte, or the `}` of an object that
    /// lacks a field), or just past the first byte of a container found where
    /// something else was expected.
    Data,
    /// [`Mode::Data`] for an error raised by a value itself (a union that
    /// matches no variant): serde_json places it where the objects that end
    /// with that value end, so past a run of `}` and `]` the value is the
    /// innermost of them.
    DataInside,
    /// The JSON itself broke, or ended: the offset is just past the byte that
    /// broke it, so the path is of what was being read before that byte.
    Syntax,
}

/// One level of the JSON being walked.
#[derive(Debug)]
struct Level {
    /// An object's current key as shown (`None` before its first key), or an
    /// array's current index.
    slot: Option<Slot>,
    object: bool,
    /// Inside an object: a key was read and its `:` not yet (or its value is
    /// done and a `,` or `}` is due): the next key is unknown.
    between: bool,
}

#[derive(Debug, Clone)]
enum Slot {
    Key(String),
    Index(usize),
}

/// The deepest nesting walked; serde_json stops at 128.
const LEVELS: usize = 256;

/// The JSON path of the value at `offset` (as serde_json gives it) in `body`,
/// as `data[3].created_at`, walking the body from its start. A map key comes
/// from the body (a map keyed by e-mail address): it is shown only when it is
/// a plain name, else as `[key]`; `?` is a key not read yet.
fn path_at(body: &[u8], offset: usize, mode: Mode) -> String {
    let mut target = offset.saturating_sub(1).min(body.len());
    if mode == Mode::DataInside && matches!(body.get(target), Some(b'}' | b']')) {
        // Back over the run of closing brackets (and the space between).
        while let Some(before) = target.checked_sub(1) {
            match body[before] {
                b'}' | b']' => target = before,
                byte if byte.is_ascii_whitespace() => {
                    let closer = (0..before).rev().find(|at| !body[*at].is_ascii_whitespace());
                    match closer {
                        Some(at) if matches!(body[at], b'}' | b']') => target = at,
                        _ => break,
                    }
                }
                _ => break,
            }
        }
    }
    let mode = if mode == Mode::DataInside { Mode::Data } else { mode };
    if mode == Mode::Data {
        // A container found where a value of another type was expected is
        // reported at its first byte: the offset is just past the byte before.
        let before_value =
            body.get(target).is_some_and(|byte| matches!(byte, b':' | b',' | b'[') || byte.is_ascii_whitespace());
        let next = (target + 1..body.len()).find(|at| !body[*at].is_ascii_whitespace());
        if let Some(next) = next.filter(|next| before_value && matches!(body[*next], b'{' | b'[')) {
            target = next;
        }
    }
    let end = if mode == Mode::Data { target + 1 } else { target };
    let mut levels: Vec<Level> = Vec::new();
    let mut index = 0;
    // What the byte at `target` turned out to be part of, for `Mode::Data`.
    let mut at_target: Option<Found> = None;
    while index < end.min(body.len()) {
        let byte = body[index];
        match byte {
            b'{' | b'[' => {
                // A container found where something else was expected.
                if index == target {
                    at_target = Some(Found::Slot);
                    break;
                }
                if levels.len() == LEVELS {
                    break;
                }
                let object = byte == b'{';
                levels.push(Level { slot: (!object).then_some(Slot::Index(0)), object, between: false });
                index += 1;
            }
            b'}' | b']' => {
                if index == target {
                    at_target = Some(Found::Container);
                    break;
                }
                levels.pop();
                if let Some(level) = levels.last_mut() {
                    level.between = level.object;
                }
                index += 1;
            }
            b',' => {
                if let Some(level) = levels.last_mut() {
                    if level.object {
                        // A key is due.
                        level.slot = None;
                        level.between = false;
                    } else if let Some(Slot::Index(at)) = &mut level.slot {
                        *at += 1;
                    }
                }
                index += 1;
            }
            b':' => {
                if index == target {
                    at_target = Some(Found::Slot);
                }
                if let Some(level) = levels.last_mut() {
                    level.between = false;
                }
                index += 1;
            }
            b'"' => {
                let is_key = levels.last().is_some_and(|level| level.object && (level.between || level.slot.is_none()));
                let start = index + 1;
                let mut close = start;
                while close < body.len() && body[close] != b'"' {
                    close += if body[close] == b'\\' { 2 } else { 1 };
                }
                if is_key {
                    if let Some(level) = levels.last_mut() {
                        let key = &body[start..close.min(body.len())];
                        level.slot = Some(Slot::Key(shown_key(key)));
                        level.between = true;
                    }
                    if target >= index && target <= close {
                        at_target = Some(Found::Key);
                        break;
                    }
                } else {
                    if target >= index && target <= close {
                        at_target = Some(Found::Slot);
                        break;
                    }
                    if let Some(level) = levels.last_mut() {
                        level.between = level.object;
                    }
                }
                index = close + 1;
            }
            byte if byte.is_ascii_whitespace() => index += 1,
            _ => {
                // A number, `true`, `false` or `null`, or a broken token.
                let start = index;
                while index < body.len()
                    && !matches!(body[index], b',' | b'}' | b']' | b':' | b'"' | b'{' | b'[')
                    && !body[index].is_ascii_whitespace()
                {
                    index += 1;
                }
                // In `Syntax` mode, the byte that ended the token may be what
                // broke it (`tru}`): the token was still being read.
                let broken = mode == Mode::Syntax && index == target;
                if (target >= start && target < index.max(start + 1)) || broken {
                    at_target = Some(Found::Slot);
                    break;
                }
                if let Some(level) = levels.last_mut() {
                    level.between = level.object;
                }
            }
        }
    }
    let found = match mode {
        Mode::Data | Mode::DataInside => at_target.unwrap_or(Found::Container),
        // What was being read when the byte at `target` broke it.
        Mode::Syntax => match levels.last() {
            _ if at_target == Some(Found::Slot) => Found::Slot,
            Some(level) if level.object && (level.between || level.slot.is_none()) => Found::NextKey,
            Some(_) => Found::Slot,
            None => Found::Container,
        },
    };
    shown_path(&levels, found)
}

/// What the offset is in, within the innermost level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Found {
    /// The value at the level's current key or index.
    Slot,
    /// The level itself (an object that lacks a field, or nothing deeper).
    Container,
    /// A key of the level.
    Key,
    /// A key of the level not read yet.
    NextKey,
}

/// `data[3].created_at`, from the levels walked.
fn shown_path(levels: &[Level], found: Found) -> String {
    let mut shown = String::new();
    let name = |shown: &mut String, name: &str| {
        if !shown.is_empty() {
            shown.push('.');
        }
        shown.push_str(name);
    };
    let deepest = levels.len().saturating_sub(1);
    for (depth, level) in levels.iter().enumerate() {
        if depth == deepest && found != Found::Slot {
            if found == Found::NextKey {
                name(&mut shown, "?");
            }
            break;
        }
        match &level.slot {
            Some(Slot::Index(index)) => {
                let _ = write!(shown, "[{index}]");
            }
            Some(Slot::Key(key)) if key == "[key]" => shown.push_str(key),
            Some(Slot::Key(key)) => name(&mut shown, key),
            None => name(&mut shown, "?"),
        }
    }
    if shown.is_empty() {
        return ".".to_owned();
    }
    excerpt(shown.as_bytes(), PATH)
}

/// A key as a path shows it: itself when it is a plain name, else `[key]`
/// (an escaped key is never taken for a plain one).
fn shown_key(raw: &[u8]) -> String {
    match std::str::from_utf8(raw) {
        Ok(key) if is_plain_name(key) => key.to_owned(),
        _ => "[key]".to_owned(),
    }
}

/// Letters, digits, `_` and `-` (ASCII), at most `KEY` bytes: a field name or
/// an id, not an address or a sentence.
fn is_plain_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= KEY
        && name.bytes().all(|byte| byte.is_ascii_alphanumeric() || byte == b'_' || byte == b'-')
}

/// Where in the body decoding stopped, in bytes: serde_json reports a line
/// (from 1) and a byte column within it. `None` when it reports no position
/// (an untagged union at the root that matches no variant).
fn byte_offset(body: &[u8], error: &serde_json::Error) -> Option<usize> {
    let line_start = match error.line() {
        0 => return None,
        1 => 0,
        line => body.iter().enumerate().filter(|(_, byte)| **byte == b'\n').nth(line - 2)?.0 + 1,
    };
    Some((line_start + error.column()).min(body.len()))
}

/// serde_json's syntax messages: fixed text of its own, never a value.
const SYNTAX: &[&str] = &[
    "expected `:`",
    "expected `,` or `]`",
    "expected `,` or `}`",
    "expected ident",
    "expected value",
    "expected `\"`",
    "invalid escape",
    "invalid number",
    "number out of range",
    "invalid unicode code point",
    "control character (\\u0000-\\u001F) found while parsing a string",
    "key must be a string",
    "invalid value: expected key to be a number in quotes",
    "float key must be finite (got NaN or +/-inf)",
    "lone leading surrogate in hex escape",
    "trailing comma",
    "trailing characters",
    "unexpected end of hex escape",
    "recursion limit exceeded",
];

/// serde_json's messages for a body that ends too early.
const EOF: &[&str] = &[
    "EOF while parsing a list",
    "EOF while parsing an object",
    "EOF while parsing a string",
    "EOF while parsing a value",
];

/// What went wrong, in words that come from the runtime and the types, never
/// from the body.
fn describe(error: &serde_json::Error) -> String {
    let text = error.to_string();
    let suffix = format!(" at line {} column {}", error.line(), error.column());
    let message = text.strip_suffix(&suffix).unwrap_or(&text);
    let known = |list: &[&'static str]| list.iter().find(|known| **known == message).copied();
    match error.classify() {
        Category::Syntax => match known(SYNTAX) {
            Some(known) => format!("invalid JSON: {known}"),
            None => "invalid JSON".to_owned(),
        },
        Category::Eof => match known(EOF) {
            Some(known) => format!("the body ends early: {known}"),
            None => "the body ends early".to_owned(),
        },
        Category::Io => "the body could not be read".to_owned(),
        Category::Data => describe_data(message),
    }
}

/// A data error: the body is JSON, but not what the type expects. serde's
/// messages put the value first and what the type expects last (`…, expected
/// E`): the text after the *last* `, expected ` is always a part of `E`, even
/// when the value itself contains those words.
fn describe_data(message: &str) -> String {
    let expected = |rest: &str| {
        rest.rsplit_once(", expected ")
            .map(|(found, expected)| (found.to_owned(), excerpt(expected.as_bytes(), EXPECTED)))
    };
    if let Some((found, wanted)) = message.strip_prefix("invalid type: ").and_then(expected) {
        return format!("wrong type: expected {wanted}, found {}", kind(&found).0);
    }
    if let Some((found, wanted)) = message.strip_prefix("invalid value: ").and_then(expected) {
        return format!("invalid {}: expected {wanted}", kind(&found).1);
    }
    if let Some((_, wanted)) = message.strip_prefix("invalid length ").and_then(expected) {
        return format!("wrong number of items: expected {wanted}");
    }
    for (prefix, what, none) in [
        ("unknown variant `", "variant", "`, there are no variants"),
        ("unknown field `", "field", "`, there are no fields"),
    ] {
        let Some(rest) = message.strip_prefix(prefix) else { continue };
        // Checked first: the name before it may contain `, expected `.
        if rest.ends_with(none) {
            return format!("unknown {what}: the type has none");
        }
        return match expected(rest) {
            Some((_, wanted)) => format!("unknown {what}: expected {wanted}"),
            None => format!("unknown {what}"),
        };
    }
    for (prefix, named, unnamed) in [
        ("missing field `", "missing field", "a required field is missing"),
        ("duplicate field `", "duplicate field", "a field appears twice"),
    ] {
        if let Some(field) = message.strip_prefix(prefix).and_then(|rest| rest.strip_suffix('`')) {
            return match is_plain_name(field) {
                true => format!("{named} `{field}`"),
                false => unnamed.to_owned(),
            };
        }
    }
    if let Some(union) = message.strip_prefix("data did not match any variant of untagged enum ") {
        return match is_plain_name(union) {
            true => format!("matches no variant of `{union}`"),
            false => "matches no variant of the union".to_owned(),
        };
    }
    "does not match the expected type".to_owned()
}

/// The kind of value serde found, from its description (`string "…"`,
/// `integer `5``, `map`): with an article, and as a bare noun.
fn kind(found: &str) -> (&'static str, &'static str) {
    const KINDS: &[(&str, &str, &str)] = &[
        ("null", "null", "null"),
        ("boolean ", "a boolean", "boolean"),
        ("integer ", "an integer", "integer"),
        ("floating point ", "a floating point number", "number"),
        ("character ", "a character", "character"),
        ("string ", "a string", "string"),
        ("byte array", "a byte array", "byte array"),
        ("unit value", "a unit value", "unit value"),
        ("Option value", "an optional value", "optional value"),
        ("newtype struct", "a newtype struct", "newtype struct"),
        ("sequence", "an array", "array"),
        ("map", "an object", "object"),
        ("enum", "an enum", "enum"),
        ("unit variant", "an enum variant", "enum variant"),
        ("newtype variant", "an enum variant", "enum variant"),
        ("tuple variant", "an enum variant", "enum variant"),
        ("struct variant", "an enum variant", "enum variant"),
    ];
    KINDS
        .iter()
        .find(|(described, ..)| match described.strip_suffix(' ') {
            // Followed by the value, which is not looked at.
            Some(_) => found.starts_with(described),
            None => found == *described,
        })
        .map_or(("a value", "value"), |(_, with_article, noun)| (*with_article, *noun))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    const EMAIL: &str = "alice.private@example.com";

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Page {
        data: Vec<Item>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Item {
        created_at: i64,
    }

    /// A closed enum, as codegen emits one.
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    enum Kind {
        #[serde(rename = "batch")]
        Batch,
        #[serde(rename = "stream")]
        Stream,
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Limit {
        max: i64,
    }

    /// An untagged union, as codegen emits one.
    #[derive(Debug, serde::Deserialize)]
    #[serde(untagged)]
    #[allow(dead_code)]
    enum Either {
        Number(i64),
        Flag(bool),
    }

    /// A tagged union, as codegen emits one: the variant's struct is decoded
    /// from the object, and its error passed on as a custom one.
    #[derive(Debug)]
    #[allow(dead_code)]
    enum Tagged {
        Limit(Limit),
    }

    impl<'de> serde::Deserialize<'de> for Tagged {
        fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            let object = serde_json::Map::<String, serde_json::Value>::deserialize(deserializer)?;
            let Some(serde_json::Value::String(tag)) = object.get("kind") else {
                return Err(serde::de::Error::invalid_value(
                    serde::de::Unexpected::Map,
                    &"an object with a string `kind` saying which `Tagged` it is",
                ));
            };
            let decoded = match tag.as_str() {
                "limit" => serde_json::from_value(serde_json::Value::Object(object)).map(Self::Limit),
                _ => return Err(serde::de::Error::custom("unknown kind")),
            };
            decoded.map_err(serde::de::Error::custom)
        }
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Document {
        kind: Option<Kind>,
        note: Option<String>,
        limits: Option<BTreeMap<String, Limit>>,
        letter: Option<char>,
        pair: Option<[i64; 2]>,
        either: Option<Either>,
        tagged: Option<Tagged>,
    }

    /// A field of an open enum, read as codegen's open enums read it.
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Open {
        #[serde(deserialize_with = "crate::unknown::deserialize_open_enum")]
        open: String,
    }

    /// Decodes `body` as `T`, which must fail; checks that nothing of the
    /// address shows, and returns the path, offset and message.
    fn failed<T: DeserializeOwned + std::fmt::Debug>(body: &str) -> (String, Option<usize>, String) {
        let error = decode::<T>("Op", 200, &Bytes::from(body.to_owned())).expect_err(body);
        let (shown, debug) = (error.to_string(), format!("{error:?}"));
        for text in [&shown, &debug] {
            assert!(!text.contains("alice") && !text.contains("example.com"), "{text}");
        }
        assert_eq!(error.raw_body(), Some(body.as_bytes()));
        match error {
            Error::Decode { path, offset, message, body: raw, .. } => {
                assert_eq!(debug.matches(&format!("RawBody {{ len: {} }}", raw.len())).count(), 1, "{debug}");
                (path, offset, message)
            }
            other => panic!("{other:?}"),
        }
    }

    /// The offset just past the first `needle` in `body`.
    fn past(body: &str, needle: &str) -> Option<usize> {
        Some(body.find(needle).expect(needle) + needle.len())
    }

    #[test]
    fn invalid_type_names_the_type_and_the_kind_found() {
        let body = format!(r#"{{"data":[{{"created_at":1}},{{"created_at":"{EMAIL}"}}]}}"#);
        let (path, offset, message) = failed::<Page>(&body);
        assert_eq!(path, "data[1].created_at");
        assert_eq!(offset, past(&body, &format!("\"{EMAIL}\"")));
        assert_eq!(message, "wrong type: expected i64, found a string");
    }

    #[test]
    fn invalid_value_names_the_type() {
        let body = format!(r#"{{"letter":"{EMAIL}"}}"#);
        assert_eq!(
            failed::<Document>(&body),
            (
                "letter".to_owned(),
                past(&body, &format!("\"{EMAIL}\"")),
                "invalid string: expected a character".to_owned()
            )
        );
    }

    #[test]
    fn an_unknown_variant_of_a_closed_enum_is_not_quoted() {
        let body = format!(r#"{{"kind":"{EMAIL}, expected `batch`"}}"#);
        let (path, _, message) = failed::<Document>(&body);
        assert_eq!(path, "kind");
        assert_eq!(message, "unknown variant: expected `batch` or `stream`");
    }

    #[test]
    fn a_map_key_is_shown_only_when_it_is_a_plain_name() {
        let body = format!(r#"{{"limits":{{"team-1_A":{{"max":1}},"{EMAIL}":{{"max":"{EMAIL}"}}}}}}"#);
        let (path, offset, message) = failed::<Document>(&body);
        assert_eq!(path, "limits[key].max");
        assert_eq!(offset, past(&body, &format!("\"max\":\"{EMAIL}\"")));
        assert_eq!(message, "wrong type: expected i64, found a string");

        let long = "k".repeat(KEY + 1);
        let body = format!(r#"{{"limits":{{"team-1_A":{{"max":"x"}},"{long}":{{"max":1}}}}}}"#);
        assert_eq!(failed::<Document>(&body).0, "limits.team-1_A.max");
        let body = format!(r#"{{"limits":{{"{long}":{{"max":"x"}}}}}}"#);
        assert_eq!(failed::<Document>(&body).0, "limits[key].max");
    }

    #[test]
    fn syntax_errors_and_early_ends_name_serdes_fixed_text_only() {
        let body = format!(r#"{{"note":"{EMAIL}" "pair":[1,2]}}"#);
        let (_, offset, message) = failed::<Document>(&body);
        assert_eq!(message, "invalid JSON: expected `,` or `}`");
        assert_eq!(offset, past(&body, &format!("\"{EMAIL}\" \"")));

        let body = format!(r#"{{"note":"{EMAIL}"#);
        let (path, offset, message) = failed::<Document>(&body);
        assert_eq!((path.as_str(), message.as_str()), ("note", "the body ends early: EOF while parsing a string"));
        assert_eq!(offset, Some(body.len()));

        let body = format!("{{}} \"{EMAIL}\"");
        let (path, offset, message) = failed::<Document>(&body);
        assert_eq!((path.as_str(), message.as_str()), (".", "invalid JSON: trailing characters"));
        assert_eq!(offset, Some(4));
    }

    #[test]
    fn the_offset_counts_the_lines_before() {
        let body = format!("{{\n  \"data\": [\n    {{\"created_at\": \"{EMAIL}\"}}\n  ]\n}}");
        let (path, offset, _) = failed::<Page>(&body);
        assert_eq!(path, "data[0].created_at");
        assert_eq!(offset, past(&body, &format!("\"{EMAIL}\"")));
    }

    #[test]
    fn unions_and_wrong_lengths_are_described_from_the_types() {
        let body = format!(r#"{{"either":"{EMAIL}"}}"#);
        assert_eq!(failed::<Document>(&body).2, "matches no variant of `Either`");
        // At the root serde_json reports no position.
        let (path, offset, message) = failed::<Either>(&format!("\"{EMAIL}\""));
        assert_eq!((path.as_str(), offset, message.as_str()), (".", None, "matches no variant of `Either`"));

        let body = format!(r#"{{"tagged":{{"kind":"limit","max":"{EMAIL}"}}}}"#);
        assert_eq!(failed::<Document>(&body).2, "wrong type: expected i64, found a string");
        let body = format!(r#"{{"tagged":{{"max":"{EMAIL}"}}}}"#);
        assert_eq!(
            failed::<Document>(&body).2,
            "invalid object: expected an object with a string `kind` saying which `Tagged` it is"
        );
        let body = format!(r#"{{"pair":[1,2,"{EMAIL}"]}}"#);
        assert_eq!(failed::<Document>(&body).2, "invalid JSON: trailing characters");
        let body = r#"{"pair":[1]}"#;
        assert_eq!(failed::<Document>(body).2, "wrong number of items: expected an array of length 2");
        let body = r#"{"open":7}"#;
        assert_eq!(failed::<Open>(body).2, "wrong type: expected a string, found an integer");
    }

    #[test]
    fn a_custom_message_is_never_passed_on() {
        // A deserializer's own message may say anything: only the generic text.
        assert_eq!(describe_data(&format!("could not parse {EMAIL}")), "does not match the expected type");
        assert_eq!(describe_data(&format!("missing field `{EMAIL}`")), "a required field is missing");
        assert_eq!(
            describe_data(&format!("data did not match any variant of untagged enum {EMAIL}")),
            "matches no variant of the union"
        );
        assert_eq!(
            describe_data(&format!("invalid type: string \"{EMAIL}, expected x\", expected i64")),
            "wrong type: expected i64, found a string"
        );
        assert_eq!(
            describe_data(&format!("unknown field `{EMAIL}`, there are no fields")),
            "unknown field: the type has none"
        );
        assert_eq!(
            describe_data(&format!("unknown variant `x, expected {EMAIL}`, there are no variants")),
            "unknown variant: the type has none"
        );
    }

    #[test]
    fn a_missing_field_names_the_object_that_lacks_it() {
        let body = r#"{"data":[{"created_at":1},{"other":[1,{"x":"}"}]}]}"#;
        let (path, offset, message) = failed::<Page>(body);
        assert_eq!((path.as_str(), message.as_str()), ("data[1]", "missing field `created_at`"));
        assert_eq!(offset, past(body, r#"{"x":"}"}]}"#));
    }

    #[test]
    fn a_container_where_a_value_was_expected_names_the_value() {
        let body = r#"{"data":[{"created_at":{"nested":[1,2]}}]}"#;
        let (path, _, message) = failed::<Page>(body);
        assert_eq!(
            (path.as_str(), message.as_str()),
            ("data[0].created_at", "wrong type: expected i64, found an object")
        );
        let body = r#"{"data":[{"created_at":1},{"created_at":2} , {"created_at" : [ ]}]}"#;
        assert_eq!(failed::<Page>(body).0, "data[2].created_at");
    }

    #[test]
    fn a_union_that_fails_as_the_last_field_is_named_and_not_its_parents() {
        // serde_json places a union's own error past the `}` of every object
        // that ends with it.
        let body = r#"{"note":"x","tagged":{"max":1}}"#;
        assert_eq!(failed::<Document>(body).0, "tagged");
        let body = r#"{"note":"x","tagged":{"max":1} }"#;
        assert_eq!(failed::<Document>(body).0, "tagged");
        // A missing field is the object's own.
        let body = r#"{"data":[{"created_at":1},{"other":{"deep":[]}}]}"#;
        assert_eq!(failed::<Page>(body).0, "data[1]");
    }

    #[test]
    fn escaped_quotes_and_escaped_keys_do_not_lose_the_place() {
        let body = r#"{"limits":{"a\"b":{"max":1},"c\u0064":{"max":"\"}"}}}"#;
        assert_eq!(failed::<Document>(body).0, "limits[key].max");
    }

    #[test]
    fn any_offset_in_any_body_gives_a_path_without_panicking() {
        let deep = "[".repeat(LEVELS + 10);
        for body in [deep.as_str(), "", "\"", "{\"a", "{\"a\":", "]]]}}}", "\"\\", "{\"a\":[1,{\"b\":tru"] {
            for offset in 0..=body.len() + 2 {
                for mode in [Mode::Data, Mode::DataInside, Mode::Syntax] {
                    let path = path_at(body.as_bytes(), offset, mode);
                    assert!(!path.is_empty() && path.len() <= PATH + 3, "{body:?} at {offset}: {path}");
                }
            }
        }
    }

    #[test]
    fn hostile_bodies_of_json_punctuation_give_a_path_without_panicking() {
        // A fixed-seed generator (no dependency): 2,000 bodies of up to 40
        // bytes drawn from JSON's punctuation, escapes and a few letters.
        const ALPHABET: &[u8] = b"{}[]\",:\\ a1-e\n";
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) as usize
        };
        for _ in 0..2_000 {
            let length = next() % 41;
            let body: Vec<u8> = (0..length).map(|_| ALPHABET[next() % ALPHABET.len()]).collect();
            for offset in 0..=body.len() + 1 {
                for mode in [Mode::Data, Mode::DataInside, Mode::Syntax] {
                    let path = path_at(&body, offset, mode);
                    assert!(!path.is_empty(), "{:?} at {offset}", String::from_utf8_lossy(&body));
                }
            }
        }
    }

    #[test]
    fn a_huge_mistyped_value_gives_a_short_message() {
        let body = format!(r#"{{"data":[{{"created_at":"{}"}}]}}"#, EMAIL.repeat(40_000));
        let error = decode::<Page>("ListX", 200, &Bytes::from(body)).unwrap_err();
        assert!(error.to_string().len() < 200, "{error}");
        assert!(format!("{error:?}").len() < 300, "{error:?}");
    }
}
