//! Token streams → source text: `syn` parses, `prettyplease` prints, blank lines
//! go between items, and every file gets the do-not-edit header.

use proc_macro2::TokenStream;

use crate::emit::one_line;
use crate::files::HEADER_PREFIX;
use crate::Error;

/// Parses and pretty-prints one generated file.
pub fn format_file(name: &str, tokens: TokenStream, header: &str) -> Result<String, Error> {
    let file: syn::File = syn::parse2(tokens)
        .map_err(|error| Error::new(format!("internal error: generated `{name}` does not parse: {error}")))?;
    Ok(format!("{header}\n{}", space_items(&prettyplease::unparse(&file))))
}

/// The first line of every generated file. It starts with
/// `files::HEADER_PREFIX`, by which codegen knows its own files, and the spec's
/// title and version are made one short line: a line break there would end the
/// comment and turn the rest of the title into code.
pub fn header(title: &str, version: &str) -> String {
    let (title, version) = (one_line(title, 80), one_line(version, 40));
    format!("{HEADER_PREFIX} from {title} {version}. Do not edit: change the spec and run it again.\n")
}

/// The same header as a TOML comment, for `Cargo.toml`.
pub fn toml_header(header: &str) -> String {
    format!("#{}", header.trim_start_matches('/'))
}

/// prettyplease prints items back to back; a reader wants a blank line before each
/// item (and each documented field) that follows another at the same depth.
/// Only whole lines are inserted, and generated string literals never span lines,
/// so the code itself is unchanged.
fn space_items(text: &str) -> String {
    const ITEM_STARTS: &[&str] =
        &["///", "#[", "pub ", "pub(", "impl", "fn ", "const ", "async ", "struct ", "enum ", "mod ", "use "];
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    let mut previous: Option<&str> = None;
    for line in text.lines() {
        if let Some(prev) = previous {
            let indent = |l: &str| l.len() - l.trim_start().len();
            let (p, c) = (prev.trim(), line.trim());
            let same_depth = indent(prev) == indent(line);
            let starts_item = ITEM_STARTS.iter().any(|start| c.starts_with(start));
            let after_item = p == "}" || p.ends_with(';') || (p.ends_with(',') && c.starts_with("///"));
            let after_inner_doc = p.starts_with("//!") && !c.starts_with("//!");
            let prev_is_attribute_or_doc = p.starts_with("///") || p.starts_with("#[");
            if after_inner_doc || (same_depth && starts_item && after_item && !prev_is_attribute_or_doc) {
                out.push('\n');
            }
        }
        out.push_str(line);
        out.push('\n');
        previous = Some(line);
    }
    out
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
