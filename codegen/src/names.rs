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

/// Type names a spec type may not take, because the generated crate already
/// uses them at its root or names them bare: the standard types generated code
/// writes (`String`, `Option`, …) and the client's own types (`Client`,
/// `Error`, …) that the crate root re-exports beside the models.
pub const RESERVED_TYPES: &[&str] = &[
    "ApiError",
    "Backoff",
    "Box",
    "Bytes",
    "Chunk",
    "Client",
    "ClientBuilder",
    "Error",
    "ErrorBody",
    "ErrorDetail",
    "FilePart",
    "From",
    "Into",
    "Items",
    "Keyed",
    "MissingField",
    "Option",
    "Page",
    "Pages",
    "RawBody",
    "Response",
    "Result",
    "Retries",
    "RetrySafety",
    "String",
    "TimeoutKind",
    "TransportError",
    "UnknownValue",
    "Vec",
];

/// The fixed methods and fields of a generated call builder (`new`, `send`,
/// `body`, `decode`, …), of its group's handle and of its `Params` struct, and
/// the methods their derived traits give them (`clone`, `fmt`, `eq`,
/// `default`, …): a parameter (a setter and a field of both) whose name is one
/// of them gets a trailing `_`, like a keyword, so a spec can never shadow or
/// duplicate them. `tests/integration/names.rs` checks this list against the
/// generated code.
pub const CALL_RESERVED: &[&str] = &[
    "body",
    "client",
    "clone",
    "clone_from",
    "decode",
    "default",
    "eq",
    "expected_request",
    "extra",
    "fmt",
    "header",
    "headers",
    "items",
    "ne",
    "new",
    "pages",
    "params",
    "request",
    "send",
    "send_chunked",
    "send_with_metadata",
];

/// Module names a group may not take: the crate root's other modules, and crates
/// the generated code names by path (a module `std` would make `std::…` ambiguous).
const RESERVED_MODULES: &[&str] = &[
    "alloc",
    "client",
    "document",
    "openapi_client_runtime",
    "core",
    "http",
    "lib",
    "limits",
    "main",
    "models",
    "runtime",
    "serde",
    "serde_json",
    "std",
    "test_util",
];

/// The generated `Client`'s own methods: a group accessor (`Client::{group}()`)
/// may not take one. `tests/integration/names.rs` checks this list against the
/// generated crate.
pub const CLIENT_METHODS: &[&str] = &[
    "base_url",
    "builder",
    "clone",
    "fmt",
    "from",
    "from_env",
    "new",
    "runtime",
    "with_deadline",
    "with_retries",
    "with_timeout",
];

/// `organizationInvitations` → `OrganizationInvitations`; `Result` → `ResultModel`.
pub fn type_name(raw: &str) -> String {
    unshadowed(type_part(raw))
}

/// The UpperCamelCase words of `raw`, for composing a longer type name
/// (`{Operation}{Parameter}`); `type_name` for a name used as it is.
pub fn type_part(raw: &str) -> String {
    finish(words(raw).to_upper_camel_case(), "T")
}

/// A composed type name, with `Model` appended if it is a reserved one
/// (`Client` → `ClientModel`).
pub fn unshadowed(name: String) -> String {
    if RESERVED_TYPES.contains(&name.as_str()) {
        format!("{name}Model")
    } else {
        name
    }
}

/// `+created_at` → `PlusCreatedAt`, `5XX` → `V5xx`; a name without letters or
/// digits is spelled out: `*` → `Star`, `""` → `Empty`.
pub fn variant_name(raw: &str) -> String {
    let name = words(raw).to_upper_camel_case();
    if name.is_empty() {
        finish(spelled(raw).to_upper_camel_case(), "V")
    } else {
        finish(name, "V")
    }
}

/// The variant names of a string enum's values, in the spec's order: distinct,
/// valid and decided by the values alone (and their order), so the same spec
/// always gives the same names.
///
/// - Each value's words in UpperCamelCase (`variant_name`): `+`/leading `-` are
///   `Plus`/`Minus`, a value without letters or digits is spelled out (`*` →
///   `Star`, `""` → `Empty`).
/// - With a catch-all, its name (`Unknown`) is reserved like a keyword: a value
///   `unknown` is `Unknown_`.
/// - When a value would take a name an earlier value has, the earlier keeps it
///   and the later one is spelled out exactly: every sign by name (`foo-bar` →
///   `FooHyphenBar` after `foo_bar` → `FooBar`), then, if only case tells them
///   apart, its case (`FOO` → `FooUpper`, `Foo` → `FooMixed` after `foo`), and
///   as a last resort a number (`Foo2`).
pub fn enum_variants(values: &[&str], catch_all: Option<&str>) -> Vec<String> {
    let mut taken: Vec<String> = Vec::new();
    for value in values {
        let reserve = |name: String| match catch_all {
            Some(reserved) if name == reserved => format!("{name}_"),
            _ => name,
        };
        let exact = spelled(value).to_upper_camel_case();
        let case = if !value.chars().any(char::is_alphabetic) {
            ""
        } else if !value.chars().any(char::is_lowercase) {
            "Upper"
        } else if !value.chars().any(char::is_uppercase) {
            "Lower"
        } else {
            "Mixed"
        };
        let candidates = [variant_name(value), finish(exact.clone(), "V"), finish(format!("{exact}{case}"), "V")];
        let fresh = candidates.into_iter().map(reserve).find(|name| !taken.contains(name));
        let name = fresh.unwrap_or_else(|| numbered(&reserve(variant_name(value)), &taken));
        taken.push(name);
    }
    taken
}

/// `base2`, `base3`, …: the first that is not taken.
pub fn numbered(base: &str, taken: &[String]) -> String {
    let base = base.trim_end_matches('_');
    (2..).map(|n| format!("{base}{n}")).find(|name| !taken.iter().any(|taken| taken == name)).unwrap_or_default()
}

/// `emailAddress` → `email_address`, `type` → `type_`.
pub fn snake_name(raw: &str) -> String {
    finish(words(raw).to_snake_case(), "_")
}

/// A parameter's name (its call builder setter and field): `snake_name`, kept
/// clear of the builder's own methods and fields.
pub fn argument_name(raw: &str) -> String {
    let name = snake_name(raw);
    if CALL_RESERVED.contains(&name.as_str()) {
        format!("{name}_")
    } else {
        name
    }
}

/// The Rust names of one call's parameters (its setters and fields), from each
/// parameter's wire name and location (`path`, `query`, `header`), in spec order.
/// Two wire names can become one Rust name (Clerk's `GetPublicInterstitial` has
/// both `frontendApi` and `frontend_api`); both are kept, named by this rule:
/// 1. a parameter whose wire name already is its Rust name (`frontend_api`)
///    keeps it, wherever it is in the list;
/// 2. every other one, in spec order, takes its Rust name if that is free; if a
///    parameter in another location holds it, the name with that location
///    (`id_query` beside the path's `id`); otherwise the name with the first
///    free number from 2 (`frontendApi` → `frontend_api_2`).
///
/// A name that is empty stays empty, for the caller to refuse.
pub fn argument_names(params: &[(&str, &str)]) -> Vec<String> {
    let bases: Vec<String> = params.iter().map(|(wire, _)| argument_name(wire)).collect();
    let mut names: Vec<Option<String>> = vec![None; params.len()];
    // Every name given out, with the location of the parameter holding it.
    let mut taken: BTreeMap<String, &str> = BTreeMap::new();
    for (index, (wire, location)) in params.iter().enumerate() {
        let base = &bases[index];
        if !base.is_empty() && base == wire && !taken.contains_key(base) {
            taken.insert(base.clone(), location);
            names[index] = Some(base.clone());
        }
    }
    for (index, (wire, location)) in params.iter().enumerate() {
        if names[index].is_some() {
            continue;
        }
        let base = &bases[index];
        let name = match taken.get(base) {
            _ if base.is_empty() => String::new(),
            None => base.clone(),
            Some(holder) => {
                let by_location = argument_name(&format!("{wire} {location}"));
                if holder != location && !taken.contains_key(&by_location) {
                    by_location
                } else {
                    // At most `params.len()` names are taken, so one of these is free.
                    (2..=params.len() + 1)
                        .map(|number| argument_name(&format!("{wire} {number}")))
                        .find(|candidate| !taken.contains_key(candidate))
                        .unwrap_or_default()
                }
            }
        };
        if !name.is_empty() {
            taken.insert(name.clone(), location);
        }
        names[index] = Some(name);
    }
    names.into_iter().map(Option::unwrap_or_default).collect()
}

/// Methods every `multipart/form-data` body type has (derived or its
/// constructor): a field named like one gets the setter `with_{field}`.
const FORM_METHODS: &[&str] = &["clone", "default", "eq", "fmt", "ne", "new"];

/// The setter of a form field whose Rust name is `field`.
pub fn form_setter(field: &str) -> String {
    if FORM_METHODS.contains(&field) {
        format!("with_{field}")
    } else {
        field.to_owned()
    }
}

/// The variant of a success response in the enum of an operation's success
/// responses: its status's reason phrase (`201` → `Created`, `204` →
/// `NoContent`), `Success` for the range `2XX`, else `Status` and the code.
pub fn status_variant(status: &str) -> String {
    let phrase = match status.to_ascii_uppercase().as_str() {
        "200" => "Ok",
        "201" => "Created",
        "202" => "Accepted",
        "203" => "NonAuthoritativeInformation",
        "204" => "NoContent",
        "205" => "ResetContent",
        "206" => "PartialContent",
        "207" => "MultiStatus",
        "208" => "AlreadyReported",
        "226" => "ImUsed",
        "2XX" => "Success",
        _ => return variant_name(&format!("status {status}")),
    };
    phrase.to_owned()
}

/// The snake_case method that starts an operation's call: from the spec's
/// `x-speakeasy-name-override` when there is one, else the operationId. An
/// override that calls a `List…` operation `get…` (Clerk's `getAll` for
/// `ListInstanceOrganizationInvitations`) takes `list` instead: a reader expects
/// `get_all` to return everything, not one page.
pub fn method_name(operation_id: &str, name_override: Option<&str>) -> String {
    let Some(name) = name_override else { return snake_name(operation_id) };
    let name = snake_name(name);
    let lists = snake_name(operation_id).starts_with("list_");
    match name.strip_prefix("get_") {
        Some(rest) if lists => format!("list_{rest}"),
        _ if lists && name == "get" => "list".to_owned(),
        _ => name,
    }
}

/// The module (and `Client` accessor) name of an operation group, or why there is none.
pub fn group_module(raw: &str) -> Result<String, String> {
    let name = snake_name(raw);
    if name.is_empty() {
        Err(format!("group `{raw}` has no usable Rust name; set `x-speakeasy-group`"))
    } else if RESERVED_MODULES.contains(&name.as_str()) || CLIENT_METHODS.contains(&name.as_str()) {
        Err(format!("group `{raw}` would become `{name}`, a name the client already uses; set `x-speakeasy-group`"))
    } else {
        Ok(name)
    }
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

/// Every character of `raw` kept: letters and digits as they are, each sign as
/// its name (`foo-bar` → `foo Hyphen bar`), so two values that differ only in
/// punctuation stay apart. The empty string is `Empty`.
fn spelled(raw: &str) -> String {
    if raw.is_empty() {
        return "Empty".to_owned();
    }
    let mut out = String::with_capacity(raw.len() * 2);
    for (index, c) in raw.chars().enumerate() {
        let name = match c {
            c if c.is_ascii_alphanumeric() => {
                out.push(c);
                continue;
            }
            '-' if index == 0 => "Minus",
            '-' => "Hyphen",
            '+' => "Plus",
            '*' => "Star",
            '_' => "Underscore",
            '.' => "Dot",
            ' ' => "Space",
            '/' => "Slash",
            '\\' => "Backslash",
            ':' => "Colon",
            ';' => "Semicolon",
            ',' => "Comma",
            '!' => "Bang",
            '?' => "Question",
            '@' => "At",
            '#' => "Hash",
            '$' => "Dollar",
            '%' => "Percent",
            '&' => "And",
            '|' => "Pipe",
            '=' => "Equals",
            '<' => "Less",
            '>' => "Greater",
            '~' => "Tilde",
            '^' => "Caret",
            '\'' => "Apostrophe",
            '"' => "Quote",
            '`' => "Backtick",
            '(' | '[' | '{' => "Open",
            ')' | ']' | '}' => "Close",
            other => {
                out.push_str(&format!(" U{:04X} ", u32::from(other)));
                continue;
            }
        };
        out.push(' ');
        out.push_str(name);
        out.push(' ');
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

impl Clone for Scope {
    fn clone(&self) -> Self {
        Scope { taken: self.taken.clone() }
    }
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
    fn enum_values_that_are_not_identifiers_get_distinct_spelled_out_names() {
        let values = ["*", "", "-", "read:all", "read-all", "read_all", "é"];
        assert_eq!(
            enum_variants(&values, Some("Unknown")),
            ["Star", "Empty", "Minus", "ReadAll", "ReadHyphenAll", "ReadUnderscoreAll", "U00e9"]
        );
    }

    #[test]
    fn the_catch_all_name_is_reserved_like_a_keyword_and_case_tells_values_apart() {
        let values = ["unknown", "Unknown", "pending", "PENDING", "Pending"];
        let open = enum_variants(&values, Some("Unknown"));
        assert_eq!(open, ["Unknown_", "UnknownMixed", "Pending", "PendingUpper", "PendingMixed"]);
        // Without a catch-all, `unknown` is an ordinary value.
        assert_eq!(enum_variants(&["unknown", "Unknown"], None), ["Unknown", "UnknownMixed"]);
        // The earlier value keeps its name when a later one is added.
        assert_eq!(enum_variants(&["foo", "foo_bar", "foo-bar"], None), ["Foo", "FooBar", "FooHyphenBar"]);
    }

    #[test]
    fn values_nothing_else_tells_apart_are_numbered() {
        assert_eq!(enum_variants(&["empty", "", "Empty"], None), ["Empty", "Empty2", "EmptyMixed"]);
        assert_eq!(numbered("Unknown_", &["Unknown2".to_owned()]), "Unknown3");
    }

    #[test]
    fn types_never_take_a_reserved_name() {
        assert_eq!(type_name("result"), "ResultModel");
        assert_eq!(type_name("Client"), "ClientModel");
        assert_eq!(type_name("Results"), "Results");
    }

    #[test]
    fn parameters_never_take_a_call_builder_method() {
        assert_eq!(argument_name("body"), "body_");
        assert_eq!(argument_name("send"), "send_");
        assert_eq!(argument_name("organization_id"), "organization_id");
        assert_eq!(argument_name("limit"), "limit");
        assert_eq!(argument_name("type"), "type_");
        // Any spelling that becomes the builder's `new`.
        for new in ["new", "New", "NEW", "new_", "_new"] {
            assert_eq!(argument_name(new), "new_", "{new}");
        }
    }

    #[test]
    fn colliding_parameter_names_are_told_apart_by_a_fixed_rule() {
        // Clerk's `GetPublicInterstitial`: the snake one keeps the name, whatever the order.
        let names = argument_names(&[("frontendApi", "query"), ("frontend_api", "query")]);
        assert_eq!(names, ["frontend_api_2", "frontend_api"]);
        let names = argument_names(&[("frontend_api", "query"), ("frontendApi", "query")]);
        assert_eq!(names, ["frontend_api", "frontend_api_2"]);
        // Another location is named; a third one with the name is numbered.
        let names = argument_names(&[("id", "path"), ("id", "query"), ("Id", "header"), ("ID", "header")]);
        assert_eq!(names, ["id", "id_query", "id_header", "id_2"]);
        // A suffixed name never takes one a later parameter has by its wire name.
        let names = argument_names(&[("frontendApi", "query"), ("frontend_api", "query"), ("frontend_api_2", "query")]);
        assert_eq!(names, ["frontend_api_3", "frontend_api", "frontend_api_2"]);
        // Reserved and keyword names keep their trailing `_`; empty ones stay empty.
        let names = argument_names(&[("body", "query"), ("type", "query"), ("Type", "header"), ("%", "query")]);
        assert_eq!(names, ["body_", "type_", "type_header", ""]);
    }

    #[test]
    fn success_statuses_are_named_by_their_reason_phrase() {
        assert_eq!(status_variant("200"), "Ok");
        assert_eq!(status_variant("204"), "NoContent");
        assert_eq!(status_variant("2XX"), "Success");
        assert_eq!(status_variant("2xx"), "Success");
        assert_eq!(status_variant("299"), "Status299");
    }

    #[test]
    fn a_list_operation_is_never_named_get() {
        assert_eq!(method_name("ListInstanceOrganizationInvitations", Some("getAll")), "list_all");
        assert_eq!(method_name("GetUserList", Some("list")), "list");
        assert_eq!(method_name("GetOrganizationInvitation", Some("get")), "get");
        assert_eq!(method_name("CreateOrganizationInvitationBulk", Some("bulkCreate")), "bulk_create");
        assert_eq!(method_name("ListOrganizationInvitations", None), "list_organization_invitations");
    }

    #[test]
    fn groups_never_take_the_models_module_or_a_client_method() {
        assert!(group_module("models").is_err());
        assert!(group_module("Client").is_err(), "the crate root's `mod client`");
        assert!(group_module("Test Util").is_err(), "the crate root's `mod test_util`");
        assert!(group_module("New").is_err());
        assert!(group_module("std").is_err());
        assert!(group_module("  ").is_err());
        assert_eq!(group_module("Organization Invitations").unwrap(), "organization_invitations");
    }

    #[test]
    fn every_name_is_empty_or_a_valid_identifier() {
        // A cheap, deterministic sweep over awkward inputs: `Ident::new` panics on
        // anything else, so this is what keeps the emitters panic-free.
        let pieces =
            ["", "_", "__", "9", "a", "Z", "-", "+", " ", "é", "\u{202e}", "self", "r#", "type", "Self", "0x", "ß"];
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    let raw = format!("{a}{b}{c}");
                    let variants = enum_variants(&[raw.as_str(), a, b, c, ""], Some("Unknown"));
                    let names = [type_name(&raw), variant_name(&raw), snake_name(&raw), argument_name(&raw)];
                    for name in names.into_iter().chain(variants) {
                        if !name.is_empty() {
                            assert!(syn::parse_str::<syn::Ident>(&name).is_ok(), "{raw:?} -> {name:?}");
                        }
                    }
                }
            }
        }
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
