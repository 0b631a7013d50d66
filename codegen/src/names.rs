//! Every Rust identifier the generator emits is made here, so the rules live in one
//! place: heck for casing, Rust keywords get a trailing `_`, a leading digit gets a
//! prefix, and two spec names that become one Rust name are an error, never a
//! silent overwrite.

use std::collections::BTreeMap;

use heck::{ToSnakeCase, ToUpperCamelCase};

use crate::Error;

/// Keywords that cannot be identifiers (strict and reserved, all editions we build with).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate", "do", "dyn", "else",
    "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro", "match", "mod",
    "move", "mut", "override", "priv", "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait",
    "true", "try", "type", "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// `organizationInvitations` → `OrganizationInvitations`.
pub fn type_name(raw: &str) -> String {
    finish(words(raw).to_upper_camel_case(), "T")
}

/// `+created_at` → `PlusCreatedAt`, `5XX` → `V5xx`.
pub fn variant_name(raw: &str) -> String {
    finish(words(raw).to_upper_camel_case(), "V")
}

/// `emailAddress` → `email_address`, `type` → `type_`.
pub fn snake_name(raw: &str) -> String {
    finish(words(raw).to_snake_case(), "_")
}

/// Spells out the signs that carry meaning in enum values and turns every other
/// character that cannot be in an identifier into a word break.
fn words(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for (index, c) in raw.chars().enumerate() {
        match c {
            '+' => out.push_str(" plus "),
            '-' if index == 0 => out.push_str(" minus "),
            c if c.is_ascii_alphanumeric() => out.push(c),
            _ => out.push(' '),
        }
    }
    out
}

fn finish(name: String, digit_prefix: &str) -> String {
    let name = if name.starts_with(|c: char| c.is_ascii_digit()) { format!("{digit_prefix}{name}") } else { name };
    if KEYWORDS.contains(&name.as_str()) {
        format!("{name}_")
    } else {
        name
    }
}

/// The names given out in one scope (a struct's fields, an enum's variants, the
/// types of the crate), so that two spec names never share one Rust name.
#[derive(Debug, Default)]
pub struct Scope {
    taken: BTreeMap<String, (String, String)>,
}

impl Scope {
    /// Claims `rust` for the spec name `raw` defined at `pointer`.
    pub fn claim(&mut self, rust: &str, raw: &str, pointer: &str, what: &str) -> Result<(), Error> {
        if rust.is_empty() {
            return Err(Error::at(pointer, format!("{what} `{raw}` has no usable Rust name")));
        }
        match self.taken.get(rust) {
            Some((other_raw, other_pointer)) if other_raw != raw || other_pointer != pointer => Err(Error::at(
                pointer,
                format!(
                    "{what} `{raw}` and `{other_raw}` (at {other_pointer}) both become `{rust}` in Rust; rename one"
                ),
            )),
            _ => {
                self.taken.insert(rust.to_owned(), (raw.to_owned(), pointer.to_owned()));
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_get_a_trailing_underscore() {
        assert_eq!(snake_name("type"), "type_");
        assert_eq!(snake_name("self"), "self_");
        assert_eq!(type_name("self"), "Self_");
    }

    #[test]
    fn camel_case_wire_names_become_snake_case() {
        assert_eq!(snake_name("emailAddress"), "email_address");
        assert_eq!(snake_name("bulkCreate"), "bulk_create");
        assert_eq!(type_name("organizationInvitations"), "OrganizationInvitations");
    }

    #[test]
    fn leading_digits_and_signs_are_made_valid() {
        assert_eq!(variant_name("5XX"), "V5xx");
        assert_eq!(variant_name("-created_at"), "MinusCreatedAt");
        assert_eq!(variant_name("+created_at"), "PlusCreatedAt");
        assert_eq!(snake_name("2fa_enabled"), "_2fa_enabled");
    }

    #[test]
    fn a_second_spec_name_for_one_rust_name_is_an_error() {
        let mut scope = Scope::default();
        scope.claim("email_address", "emailAddress", "#/a", "property").unwrap();
        let error = scope.claim("email_address", "email_address", "#/b", "property").unwrap_err();
        assert_eq!(error.pointer.as_deref(), Some("#/b"));
        assert!(error.message.contains("`email_address` and `emailAddress`"), "{error}");
    }
}
