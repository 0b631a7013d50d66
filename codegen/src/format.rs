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
    Ok(prettyplease::unparse(&file))
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
    after_inner_doc || (same_depth && starts_item && after_item && !prev_is_attribute_or_doc)
}

#[cfg(test)]
mod tests {
    use super::*;

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
