//! Token streams → source text: `syn` parses, `prettyplease` prints, blank lines
//! go between items, and every file gets the do-not-edit header.
//!
//! Formatting is most of codegen's time, so [`format_files`] spreads it over
//! threads, cutting big files into runs of whole items (see `chunks`).

mod chunks;
mod inline;

use proc_macro2::TokenStream;

use crate::emit::one_line;
use crate::files::{HEADER_PREFIX, HEADER_SUFFIX};
use crate::Error;

pub use chunks::format_files;

/// Parses and pretty-prints one generated file.
pub fn format_file(name: &str, tokens: TokenStream, header: &str) -> Result<String, Error> {
    Ok(format!("{header}\n{}", space_items(&unparse(name, tokens)?)))
}

/// The items of `tokens` as prettyplease prints them, every function made
/// `#[inline]` (see `inline`).
fn unparse(name: &str, tokens: TokenStream) -> Result<String, Error> {
    let mut file: syn::File = syn::parse2(tokens)
        .map_err(|error| Error::new(format!("internal error: generated `{name}` does not parse: {error}")))?;
    inline::mark(&mut file);
    Ok(tidy_macro_calls(&prettyplease::unparse(&file)))
}

/// The runtime's macros that generated code calls one line at a time.
const ONE_LINE_MACROS: &[&str] = &[
    "rt::setter!(",
    "rt::call_methods!(",
    "rt::open_enum_impls!(",
    "rt::pages!(",
    "rt::send_chunked!(",
    "rt::builder!(",
    "rt::convert!(",
];

/// prettyplease prints a macro's arguments as loose tokens (`name : Vec < T >`)
/// and breaks them where it would break code. The runtime's macros take names
/// and types, so each call is put back on one line and spaced as the type
/// would be written (`name: Vec<T>`); a call with a list in braces that does
/// not fit in 100 columns gets a line per entry. Only the whitespace between
/// tokens changes.
fn tidy_macro_calls(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let trimmed = line.trim_start();
        if !ONE_LINE_MACROS.iter().any(|start| trimmed.starts_with(start)) {
            out.push_str(line);
            out.push('\n');
            continue;
        }
        let mut call = trimmed.to_owned();
        while !call.ends_with(");") {
            let Some(next) = lines.next() else { break };
            if !call.ends_with('(') {
                call.push(' ');
            }
            call.push_str(next.trim());
        }
        let call =
            call.replace(" )", ")").replace(" : ", ": ").replace(" < ", "<").replace(" >", ">").replace(" ::", "::");
        let indent = &line[..line.len() - trimmed.len()];
        out.push_str(indent);
        match (call.find(" { "), call.rfind(" });")) {
            (Some(open), Some(close)) if indent.len() + call.len() > 100 && open < close => {
                out.push_str(&call[..open + 2]);
                out.push('\n');
                for entry in top_level_entries(&call[open + 3..close]) {
                    out.push_str(&format!("{indent}    {entry},\n"));
                }
                out.push_str(indent);
                out.push_str("});");
            }
            _ => out.push_str(&call),
        }
        out.push('\n');
    }
    out
}

/// `entries` split at its commas outside `<…>`, `(…)` and `[…]`, trimmed; a
/// trailing comma gives no empty entry.
fn top_level_entries(entries: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0i32, 0);
    for (index, c) in entries.char_indices() {
        match c {
            '<' | '(' | '[' => depth += 1,
            '>' | ')' | ']' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(entries[start..index].trim());
                start = index + 1;
            }
            _ => {}
        }
    }
    parts.push(entries[start..].trim());
    parts.retain(|part| !part.is_empty());
    parts
}

/// The first line of every generated file. It starts with
/// `files::HEADER_PREFIX`, by which codegen knows its own files, and the spec's
/// title and version are made one short line: a line break there would end the
/// comment and turn the rest of the title into code.
pub fn header(title: &str, version: &str) -> String {
    let (title, version) = (one_line(title, 80), one_line(version, 40));
    format!("{HEADER_PREFIX} from {title} {version}{HEADER_SUFFIX}\n")
}

/// The same header as a `#` comment, for `Cargo.toml` and `public-api.txt`.
pub fn toml_header(header: &str) -> String {
    format!("#{}", header.trim_start_matches('/'))
}

/// prettyplease prints items back to back; a reader wants a blank line before each
/// item (and each documented field) that follows another at the same depth.
/// Only whole lines are inserted, and generated string literals never span lines,
/// so the code itself is unchanged.
fn space_items(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    space_lines(text, None, &mut out);
    out
}

/// Appends `text` to `out` line by line, with a blank line wherever
/// [`blank_between`] wants one; `previous` is the line before `text`, if any.
fn space_lines<'t>(text: &'t str, mut previous: Option<&'t str>, out: &mut String) {
    for line in text.lines() {
        if previous.is_some_and(|prev| blank_between(prev, line)) {
            out.push('\n');
        }
        out.push_str(line);
        out.push('\n');
        previous = Some(line);
    }
}

/// Whether a blank line goes between two consecutive lines: a decision on
/// the two lines alone, so text can be spaced in parts.
fn blank_between(prev: &str, line: &str) -> bool {
    const ITEM_STARTS: &[&str] =
        &["///", "#[", "pub ", "pub(", "impl", "fn ", "const ", "async ", "struct ", "enum ", "mod ", "use "];
    let indent = |l: &str| l.len() - l.trim_start().len();
    let (p, c) = (prev.trim(), line.trim());
    let same_depth = indent(prev) == indent(line);
    let starts_item = ITEM_STARTS.iter().any(|start| c.starts_with(start));
    let after_item = p == "}" || p.ends_with(';') || (p.ends_with(',') && c.starts_with("///"));
    let after_inner_doc = p.starts_with("//!") && !c.starts_with("//!");
    let prev_is_attribute_or_doc = p.starts_with("///") || p.starts_with("#[");
    // A line of a runtime macro after a block: `rt::call_methods!` after its
    // call's `impl`, the first `rt::setter!` after `new`.
    let macro_after_block = p == "}" && c.starts_with("rt::") && c.contains("!(");
    after_inner_doc || (same_depth && (starts_item || macro_after_block) && after_item && !prev_is_attribute_or_doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn macro_calls_are_put_back_on_one_line_as_written() {
        let tokens: TokenStream = quote::quote! {
            impl A {
                rt::setter!(with_build = build: Vec<Option<models::OrganizationInvitationWithPublicOrganizationDataObject>>, null build_null);
                rt::setter!(required name: String);
            }
            rt::call_methods!(Get -> crate::Bytes, decode rt::raw_body);
            rt::call_methods!(ListAll -> Option<models::OrganizationInvitationsWithPublicOrganizationData>);
            fn f(a: Vec<u8>) -> bool { a < b }
        };
        let text = unparse("x.rs", tokens).unwrap();
        assert!(text.contains("    rt::setter!(with_build = build: Vec<Option<models::OrganizationInvitationWithPublicOrganizationDataObject>>, null build_null);\n"), "{text}");
        assert!(text.contains("    rt::setter!(required name: String);\n"), "{text}");
        assert!(text.contains("\nrt::call_methods!(Get -> crate::Bytes, decode rt::raw_body);\n"), "{text}");
        assert!(
            text.contains(
                "\nrt::call_methods!(ListAll -> Option<models::OrganizationInvitationsWithPublicOrganizationData>);\n"
            ),
            "{text}"
        );
        let long: TokenStream = quote::quote! {
            rt::builder!(OrganizationInvitationBuilder -> OrganizationInvitation { req object: OrganizationInvitationObject, req_str id, opt meta: serde_json::Map<String, serde_json::Value>, null_str url / url_null });
        };
        let long = unparse("x.rs", long).unwrap();
        assert_eq!(
            long,
            "rt::builder!(OrganizationInvitationBuilder -> OrganizationInvitation {\n    req object: OrganizationInvitationObject,\n    req_str id,\n    opt meta: serde_json::Map<String, serde_json::Value>,\n    null_str url / url_null,\n});\n"
        );
        // Code outside the macros is left as prettyplease printed it.
        assert!(text.contains("fn f(a: Vec<u8>) -> bool {\n    a < b\n}"), "{text}");
    }

    #[test]
    fn items_are_separated_but_statements_are_not() {
        let text = "//! About.\nuse a;\npub struct A {\n    /// One.\n    pub one: u8,\n    /// Two.\n    pub two: u8,\n}\nimpl A {\n    fn f() {\n        let x = 1;\n        if x {\n        }\n        let y = 2;\n    }\n}\n";
        let spaced = space_items(text);
        assert_eq!(
            spaced,
            "//! About.\n\nuse a;\n\npub struct A {\n    /// One.\n    pub one: u8,\n\n    /// Two.\n    pub two: u8,\n}\n\nimpl A {\n    fn f() {\n        let x = 1;\n        if x {\n        }\n        let y = 2;\n    }\n}\n"
        );
    }
}
