//! Doc comments from spec prose.

use proc_macro2::TokenStream;
use quote::quote;

/// Builds `#[doc]` attributes (printed as `///` lines) from paragraphs; empty or
/// missing paragraphs are skipped and the rest separated by a blank line.
pub fn doc(paragraphs: &[Option<&str>]) -> TokenStream {
    let mut lines: Vec<String> = Vec::new();
    for paragraph in paragraphs.iter().flatten() {
        let text = paragraph.trim();
        if text.is_empty() {
            continue;
        }
        if !lines.is_empty() {
            lines.push(String::new());
        }
        for line in text.lines() {
            lines.push(clean(line));
        }
    }
    let lines = lines.iter().map(|line| if line.is_empty() { String::new() } else { format!(" {line}") });
    quote! { #( #[doc = #lines] )* }
}

/// Spec prose is Markdown written for web pages. Leading indentation would turn a
/// line into a code block, and a bare code fence into a doctest, so neither survives.
fn clean(line: &str) -> String {
    let line = line.trim();
    match line {
        "```" => "```text".to_owned(),
        _ => line.to_owned(),
    }
}
