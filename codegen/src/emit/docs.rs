//! Doc comments from spec prose: the one way text from the spec becomes a comment.
//!
//! Spec prose is Markdown written for web pages, and rustdoc runs every code
//! block in a doc comment as a test unless told otherwise. So prose is made
//! inert here: every fenced block, whatever its fence or info string, becomes a
//! `text` block that closes; indentation that would make an indented (Rust)
//! code block is dropped; fences inside quotes and lists are escaped; and
//! characters that rustc rejects or that could disguise the source (control
//! characters, Unicode bidi and other format characters) are written as
//! `\u{…}` escapes.

use proc_macro2::TokenStream;
use quote::quote;

/// Builds outer `#[doc]` attributes (printed as `///` lines) from paragraphs;
/// empty or missing paragraphs are skipped and the rest separated by a blank line.
pub fn doc(paragraphs: &[Option<&str>]) -> TokenStream {
    let lines = doc_lines(paragraphs);
    quote! { #( #[doc = #lines] )* }
}

/// The same as inner attributes (`//!` lines), for a module's own docs.
pub fn inner_doc(paragraphs: &[Option<&str>]) -> TokenStream {
    let lines = doc_lines(paragraphs);
    quote! { #( #![doc = #lines] )* }
}

/// The text of each doc line, with the leading space `///` comments carry.
pub fn doc_lines(paragraphs: &[Option<&str>]) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for paragraph in paragraphs.iter().flatten() {
        let paragraph = normalise_newlines(paragraph);
        let text = paragraph.trim();
        if text.is_empty() {
            continue;
        }
        if !lines.is_empty() {
            lines.push(String::new());
        }
        inert_markdown(text, &mut lines);
    }
    lines.into_iter().map(|line| if line.is_empty() { line } else { format!(" {line}") }).collect()
}

/// Spec text on one line, for the generated-file header: line breaks and other
/// control characters become spaces, format characters escapes, and it is cut
/// at `max_chars` characters.
pub fn one_line(text: &str, max_chars: usize) -> String {
    let mut out = String::new();
    for (count, c) in text.chars().enumerate() {
        if count == max_chars {
            out.push('…');
            break;
        }
        if c.is_control() || c.is_whitespace() {
            if !out.ends_with(' ') {
                out.push(' ');
            }
        } else {
            push_escaped(&mut out, c);
        }
    }
    out.trim().to_owned()
}

fn normalise_newlines(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// Appends the lines of `text` to `out`, every code block made inert.
fn inert_markdown(text: &str, out: &mut Vec<String>) {
    let lines: Vec<&str> = text.split('\n').collect();
    let mut index = 0;
    while index < lines.len() {
        let (prefix, rest) = split_container_prefix(lines[index]);
        match fence_opener(rest) {
            Some(opener) if prefix.is_empty() => {
                // A fenced block at the top level: find where Markdown would close
                // it (or the end of the text), then write it as a `text` block
                // with a fence longer than any backtick run inside.
                let body_start = index + 1;
                let mut end = body_start;
                while end < lines.len() && !closes(lines[end], opener) {
                    end += 1;
                }
                let body = &lines[body_start..end];
                let ticks = body.iter().map(|line| leading_run(line.trim_start(), '`')).max().unwrap_or(0);
                let fence = "`".repeat(ticks.max(2) + 1);
                out.push(format!("{fence}text"));
                out.extend(body.iter().map(|line| escape(line.trim_end())));
                out.push(fence);
                index = end + 1;
            }
            Some(_) => {
                // A fence inside a quote or list item: escaped, so it is text.
                let fence_char = rest.chars().next().unwrap_or('`');
                let run = leading_run(rest, fence_char);
                let escaped = format!("\\{fence_char}").repeat(run);
                out.push(escape(&format!("{prefix}{escaped}{}", &rest[run..])));
                index += 1;
            }
            None => {
                out.push(escape(format!("{prefix}{rest}").trim_end()));
                index += 1;
            }
        }
    }
}

/// Splits a line into its Markdown container markers (`>` quotes, `-`/`*`/`+`
/// and `1.`/`1)` list items), rewritten with single spaces, and the content with
/// its indentation removed: with at most one space anywhere before the content,
/// no line can start an indented code block.
fn split_container_prefix(line: &str) -> (String, &str) {
    let mut prefix = String::new();
    let mut rest = line.trim_start();
    loop {
        if let Some(after) = rest.strip_prefix('>') {
            prefix.push_str("> ");
            rest = after.trim_start();
            continue;
        }
        let bullet = rest.chars().next().filter(|c| matches!(c, '-' | '*' | '+'));
        if let Some(bullet) = bullet {
            let after = &rest[1..];
            if after.starts_with(char::is_whitespace) {
                prefix.push(bullet);
                prefix.push(' ');
                rest = after.trim_start();
                continue;
            }
        }
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if (1..=9).contains(&digits) {
            let after = &rest[digits..];
            if let Some(marker) = after.chars().next().filter(|c| matches!(c, '.' | ')')) {
                let after_marker = &after[1..];
                if after_marker.starts_with(char::is_whitespace) {
                    prefix.push_str(&rest[..digits]);
                    prefix.push(marker);
                    prefix.push(' ');
                    rest = after_marker.trim_start();
                    continue;
                }
            }
        }
        return (prefix, rest);
    }
}

/// A fence opener: three or more backticks or tildes. Counted generously (a
/// backtick info string holding a backtick is not a fence to Markdown): when in
/// doubt the text becomes a `text` block, which is harmless.
#[derive(Clone, Copy)]
struct Fence {
    char: char,
    len: usize,
}

fn fence_opener(content: &str) -> Option<Fence> {
    let char = content.chars().next().filter(|c| matches!(c, '`' | '~'))?;
    let len = leading_run(content, char);
    (len >= 3).then_some(Fence { char, len })
}

/// Whether `line` closes a block opened by `opener`: the same character, at
/// least as many, and nothing else.
fn closes(line: &str, opener: Fence) -> bool {
    let line = line.trim();
    let run = leading_run(line, opener.char);
    run >= opener.len && run == line.len()
}

fn leading_run(text: &str, c: char) -> usize {
    text.chars().take_while(|&x| x == c).count()
}

/// Escapes the characters that must not appear raw in a comment.
fn escape(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    for c in line.chars() {
        if c == '\t' {
            out.push(' ');
        } else {
            push_escaped(&mut out, c);
        }
    }
    out
}

fn push_escaped(out: &mut String, c: char) {
    if c.is_control() || is_format_or_separator(c) {
        out.push_str(&format!("\\u{{{:x}}}", c as u32));
    } else {
        out.push(c);
    }
}

/// Unicode's format characters (category Cf: bidi controls, zero-width
/// characters, …) and the line and paragraph separators: rustc rejects some in
/// comments, and all of them can make source read differently from what it is.
fn is_format_or_separator(c: char) -> bool {
    matches!(
        c as u32,
        0x00AD
            | 0x0600..=0x0605
            | 0x061C
            | 0x06DD
            | 0x070F
            | 0x0890..=0x0891
            | 0x08E2
            | 0x180E
            | 0x200B..=0x200F
            | 0x2028..=0x202E
            | 0x2060..=0x2064
            | 0x2066..=0x206F
            | 0xFEFF
            | 0xFFF9..=0xFFFB
            | 0x110BD
            | 0x110CD
            | 0x13430..=0x1343F
            | 0x1BCA0..=0x1BCA3
            | 0x1D173..=0x1D17A
            | 0xE0001
            | 0xE0020..=0xE007F
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<String> {
        doc_lines(&[Some(text)]).into_iter().map(|line| line.trim_start().to_owned()).collect()
    }

    #[test]
    fn every_fence_becomes_a_closed_text_block() {
        for text in [
            "Intro\n```\nlet x = 1;\n```\nafter",
            "Intro\n```rust\nlet x = 1;\n```\nafter",
            "Intro\n~~~\nlet x = 1;\n~~~\nafter",
            "Intro\n````rust\nlet x = 1;\n````\nafter",
        ] {
            assert_eq!(lines(text), ["Intro", "```text", "let x = 1;", "```", "after"], "{text:?}");
        }
    }

    #[test]
    fn a_fence_closed_by_a_longer_run_or_never_still_closes() {
        assert_eq!(lines("```rust\nx\n````"), ["```text", "x", "```"]);
        assert_eq!(lines("~~~~\nx\n~~~\ny"), ["```text", "x", "~~~", "y", "```"]);
        // Backticks inside the block get a longer fence around them.
        assert_eq!(lines("~~~\n```rust\nx\n~~~"), ["````text", "```rust", "x", "````"]);
    }

    #[test]
    fn fences_in_quotes_and_lists_are_escaped() {
        assert_eq!(lines("> ```rust\n> x\n> ```"), ["> \\`\\`\\`rust", "> x", "> \\`\\`\\`"]);
        assert_eq!(lines("- ~~~\n1.  ```"), ["- \\~\\~\\~", "1. \\`\\`\\`"]);
    }

    #[test]
    fn indentation_that_would_make_a_code_block_is_dropped() {
        assert_eq!(
            lines("Para\n\n    let x = 1;\n-     code\n>     quoted"),
            ["Para", "", "let x = 1;", "- code", "> quoted"]
        );
    }

    #[test]
    fn control_and_bidi_characters_are_escaped() {
        assert_eq!(lines("a\u{202E}b\u{0}c\u{200B}d\te"), ["a\\u{202e}b\\u{0}c\\u{200b}d e"]);
        assert_eq!(lines("one\r\ntwo\rthree"), ["one", "two", "three"]);
    }

    #[test]
    fn header_text_is_one_line() {
        let title = "Clerk\n#![doc = include_str!(\"/etc/passwd\")]\r\u{202E}x";
        let line = one_line(title, 200);
        assert!(!line.contains('\n') && !line.contains('\r'), "{line}");
        assert_eq!(line, "Clerk #![doc = include_str!(\"/etc/passwd\")] \\u{202e}x");
        assert_eq!(one_line("abcdef", 3), "abc…");
    }
}
