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
//!
//! It is also made warning-free for rustdoc (`RUSTDOCFLAGS="-D warnings" cargo
//! doc`): outside code spans and `text` blocks, every `[`, `]` and `<` is
//! backslash-escaped, so no `[foo]`, `[text](not-a-url)` or footnote reads as
//! a broken intra-doc link and no `<T>`, `<b>` or `<!--` as HTML, except where
//! they make a link that works: inline links and images to `http(s)://` or
//! `mailto:`, reference links to such a definition (which is kept), and
//! `<http(s)://…>` / `<mailto:…>` autolinks. Bare `http(s)://` URLs are wrapped
//! in `<…>`, and backticks that open no code span on their line are escaped, so
//! the code spans rustdoc sees are the ones left alone here. In a table row each
//! cell is read on its own, as Markdown does.

use std::collections::HashMap;

use proc_macro2::TokenStream;
use quote::quote;

/// Builds outer `#[doc]` attributes (printed as `///` lines) from paragraphs;
/// empty or missing paragraphs are skipped and the rest separated by a blank line.
pub fn doc(paragraphs: &[Option<&str>]) -> TokenStream {
    let lines = doc_lines(paragraphs);
    quote! { #( #[doc = #lines] )* }
}

/// Doc attributes for the generator's own text (its intra-doc links kept as
/// written); any spec text inside must come through [`code`].
pub fn own_doc(text: &str) -> TokenStream {
    let lines = own_lines(text);
    quote! { #( #[doc = #lines] )* }
}

/// The same as inner attributes.
pub fn own_inner_doc(text: &str) -> TokenStream {
    let lines = own_lines(text);
    quote! { #( #![doc = #lines] )* }
}

/// The generator's own text as doc lines, with the leading space.
pub fn own_lines(text: &str) -> Vec<String> {
    text.lines().map(|line| if line.is_empty() { String::new() } else { format!(" {line}") }).collect()
}

/// Spec text as an inline code span for the generator's own docs: one line,
/// escaped, between more backticks than it holds.
pub fn code(text: &str) -> String {
    let text = one_line(text, 200);
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    if text.starts_with('`') || text.ends_with('`') {
        format!("{fence} {text} {fence}")
    } else {
        format!("{fence}{text}{fence}")
    }
}

/// The text of each doc line, with the leading space `///` comments carry.
pub fn doc_lines(paragraphs: &[Option<&str>]) -> Vec<String> {
    let mut lines: Vec<Line> = Vec::new();
    for paragraph in paragraphs.iter().flatten() {
        let paragraph = normalise_newlines(paragraph);
        if crate::prose::is_blank(&paragraph) {
            continue;
        }
        let text = paragraph.trim();
        if !lines.is_empty() {
            lines.push(Line::blank());
        }
        inert_markdown(text, &mut lines);
    }
    indent_lazy_continuations(&mut lines);
    let definitions = link_definitions(&lines);
    let tables = table_rows(&lines);
    let labels: Vec<String> = definitions.iter().flatten().cloned().collect();
    let rendered = lines.iter().enumerate().map(|(index, line)| match line {
        Line::Verbatim(text) => text.clone(),
        Line::Prose { prefix, lead, content } => {
            let content = if definitions[index].is_some() {
                // Kept as written: a definition is not inline text.
                content.clone()
            } else if tables[index] {
                split_cells(content).iter().map(|cell| inline(cell, &labels, false)).collect::<Vec<_>>().join("|")
            } else {
                inline(content, &labels, false)
            };
            escape(format!("{prefix}{lead}{content}").trim_end())
        }
    });
    rendered.map(|line| if line.is_empty() { line } else { format!(" {line}") }).collect()
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

/// One line of a doc comment being built.
enum Line {
    /// Written as it is: the fences and body of a `text` block.
    Verbatim(String),
    /// Prose: its container markers (`> `, `- `, `1. `), what follows them
    /// already escaped (a fence in a quote or list) and the Markdown content.
    Prose { prefix: String, lead: String, content: String },
}

impl Line {
    fn blank() -> Line {
        Line::Prose { prefix: String::new(), lead: String::new(), content: String::new() }
    }

    fn is_blank(&self) -> bool {
        matches!(self, Line::Prose { prefix, lead, content } if prefix.is_empty() && lead.is_empty() && content.is_empty())
    }

    /// The content of a prose line outside any quote or list.
    fn top_level(&self) -> Option<&str> {
        match self {
            Line::Prose { prefix, lead, content } if prefix.is_empty() && lead.is_empty() => Some(content),
            _ => None,
        }
    }
}

/// Indents a line that goes on a list item's paragraph without indentation
/// (Markdown's lazy continuation) to the item's content, as clippy's
/// `doc_lazy_continuation` asks: it renders the same. Indented to the content
/// column and no further, it cannot start an indented code block.
fn indent_lazy_continuations(lines: &mut [Line]) {
    let mut item_width = None;
    for line in lines.iter_mut() {
        match line {
            Line::Prose { prefix, lead, content } if prefix.is_empty() && lead.is_empty() => {
                if content.is_empty() {
                    item_width = None;
                } else if let Some(width) = item_width {
                    *prefix = " ".repeat(width);
                }
            }
            Line::Prose { prefix, .. } if !prefix.contains('>') && !prefix.trim().is_empty() => {
                item_width = Some(prefix.chars().count());
            }
            _ => item_width = None,
        }
    }
}

/// Appends the lines of `text` to `out`, every code block made inert.
fn inert_markdown(text: &str, out: &mut Vec<Line>) {
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
                out.push(Line::Verbatim(format!("{fence}text")));
                out.extend(body.iter().map(|line| Line::Verbatim(escape(line.trim_end()))));
                out.push(Line::Verbatim(fence));
                index = end + 1;
            }
            Some(_) => {
                // A fence inside a quote or list item: escaped, so it is text.
                let fence_char = rest.chars().next().unwrap_or('`');
                let run = leading_run(rest, fence_char);
                let lead = format!("\\{fence_char}").repeat(run);
                out.push(Line::Prose { prefix, lead, content: rest[run..].trim_end().to_owned() });
                index += 1;
            }
            None => {
                out.push(Line::Prose { prefix, lead: String::new(), content: rest.trim_end().to_owned() });
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

/// For each line, the label of the link reference definition it is, if it is
/// one that is kept: `[label]: <url> "title"` on one line at the top level, to
/// an `http(s)://` or `mailto:` URL, where Markdown reads a definition (at the
/// start of a paragraph). Other definitions are escaped like any text.
fn link_definitions(lines: &[Line]) -> Vec<Option<String>> {
    let mut labels: Vec<Option<String>> = Vec::with_capacity(lines.len());
    for (index, line) in lines.iter().enumerate() {
        let starts_paragraph = index == 0 || lines[index - 1].is_blank() || labels[index - 1].is_some();
        let label = if starts_paragraph { line.top_level().and_then(definition_label) } else { None };
        labels.push(label);
    }
    labels
}

fn definition_label(content: &str) -> Option<String> {
    // Not in a table, whose rows are split at `|` first.
    if content.contains('|') {
        return None;
    }
    let rest = content.strip_prefix('[')?;
    let close = rest.find(']')?;
    let label = simple_label(&rest[..close])?;
    let rest = rest[close + 1..].strip_prefix(':')?.trim_start();
    let (destination, rest) = match rest.strip_prefix('<') {
        Some(inside) => {
            let end = inside.find('>')?;
            (&inside[..end], &inside[end + 1..])
        }
        None => rest.split_at(rest.find(char::is_whitespace).unwrap_or(rest.len())),
    };
    if !is_plain_url(destination) {
        return None;
    }
    let title = rest.trim();
    let plain_title = title.len() >= 2
        && title.starts_with('"')
        && title.ends_with('"')
        && !title[1..title.len() - 1].contains(['"', '\\']);
    let separated = rest.starts_with(char::is_whitespace) || rest.is_empty();
    (title.is_empty() || (plain_title && separated)).then_some(label)
}

/// A reference label kept as it is written: ASCII, with nothing this module
/// would escape, and not a footnote (`^…`). Normalised as Markdown compares
/// labels (case and runs of spaces do not matter).
fn simple_label(label: &str) -> Option<String> {
    // Markdown's own limit, checked first so nested brackets stay linear.
    if label.len() > 999 {
        return None;
    }
    let plain = label
        .chars()
        .all(|c| c.is_ascii() && !c.is_ascii_control() && !matches!(c, '[' | ']' | '\\' | '<' | '>' | '`'));
    let normalised = label.split_whitespace().collect::<Vec<_>>().join(" ").to_ascii_lowercase();
    let url_like = normalised.contains("://");
    (plain && !url_like && !normalised.is_empty() && !normalised.starts_with('^')).then_some(normalised)
}

/// An absolute `http://`, `https://` or `mailto:` URL.
fn is_url(destination: &str) -> bool {
    let lower = destination.to_ascii_lowercase();
    ["http://", "https://", "mailto:"].iter().any(|scheme| lower.len() > scheme.len() && lower.starts_with(scheme))
}

/// A URL (see [`is_url`]) that any Markdown reader takes as the destination of
/// a link, written as it is: no space, escape or quote, parentheses balanced.
fn is_plain_url(destination: &str) -> bool {
    let mut depth = 0usize;
    for c in destination.chars() {
        match c {
            '(' => depth += 1,
            ')' if depth == 0 => return false,
            ')' => depth -= 1,
            '\\' | '<' | '>' | '"' | '\'' | '`' => return false,
            _ if c.is_whitespace() || c.is_control() || is_format_or_separator(c) => return false,
            _ => {}
        }
    }
    depth == 0 && is_url(destination)
}

/// Which lines are (or may be) rows of a table: lines with a `|` in a block of
/// lines that holds a delimiter row (`| --- | :-: |`). Markdown splits such a
/// row into cells before reading what is inside them.
fn table_rows(lines: &[Line]) -> Vec<bool> {
    let mut rows = vec![false; lines.len()];
    let mut start = 0;
    while start < lines.len() {
        let mut end = start;
        while end < lines.len() && matches!(&lines[end], Line::Prose { .. }) && !lines[end].is_blank() {
            end += 1;
        }
        let contents = || {
            lines[start..end].iter().map(|line| match line {
                Line::Prose { content, .. } => content.as_str(),
                Line::Verbatim(_) => "",
            })
        };
        if contents().any(is_delimiter_row) {
            for (offset, content) in contents().enumerate() {
                rows[start + offset] = content.contains('|');
            }
        }
        start = end + 1;
    }
    rows
}

fn is_delimiter_row(content: &str) -> bool {
    let row = content.trim();
    if !row.contains('|') {
        return false;
    }
    let row = row.strip_prefix('|').unwrap_or(row);
    let row = row.strip_suffix('|').unwrap_or(row);
    row.split('|').all(|cell| {
        let cell = cell.trim();
        let dashes = cell.strip_prefix(':').unwrap_or(cell);
        let dashes = dashes.strip_suffix(':').unwrap_or(dashes);
        !dashes.is_empty() && dashes.bytes().all(|b| b == b'-')
    })
}

/// The cells of a table row: split at every `|` that is not backslash-escaped,
/// inside code spans too, as tables are read.
fn split_cells(row: &str) -> Vec<&str> {
    let bytes = row.as_bytes();
    let mut cells = Vec::new();
    let (mut start, mut at) = (0, 0);
    while at < bytes.len() {
        match bytes[at] {
            b'\\' => at += 2,
            b'|' => {
                cells.push(&row[start..at]);
                at += 1;
                start = at;
            }
            _ => at += 1,
        }
    }
    cells.push(&row[start.min(row.len())..]);
    cells
}

/// Makes one line (or table cell) of prose safe for rustdoc, see the module
/// docs. `labels` are the kept reference definitions; `in_link` is for the text
/// of a kept link, where no other link may start.
///
/// Every backtick run that is left unescaped opens a code span that closes on
/// this line, and every `[`, `]` and `<` left unescaped is part of a kept link,
/// so what rustdoc reads as code, link or HTML is decided here.
fn inline(text: &str, labels: &[String], in_link: bool) -> String {
    let scan = Scan::new(text);
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len() + 8);
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            b'\\' if bytes.get(at + 1).is_some_and(u8::is_ascii_punctuation) => {
                out.push_str(&text[at..at + 2]);
                at += 2;
                // After an escaped backtick, the rest of its run is escaped too,
                // so no code span opens in the middle of a run.
                if bytes[at - 1] == b'`' {
                    while bytes.get(at) == Some(&b'`') {
                        out.push_str("\\`");
                        at += 1;
                    }
                }
            }
            b'`' => match scan.code_span_end(at) {
                Some(end) => {
                    out.push_str(&text[at..end]);
                    at = end;
                }
                None => {
                    let run = leading_run(&text[at..], '`');
                    out.push_str(&"\\`".repeat(run));
                    at += run;
                }
            },
            b'<' => match autolink_end(text, at).filter(|_| !in_link) {
                Some(end) => {
                    out.push_str(&text[at..end]);
                    at = end;
                }
                None => {
                    out.push_str("\\<");
                    at += 1;
                }
            },
            b'[' => match if in_link { None } else { link(&scan, at, labels) } {
                Some((rendered, end)) => {
                    out.push_str(&rendered);
                    at = end;
                }
                None => {
                    out.push_str("\\[");
                    at += 1;
                }
            },
            b']' => {
                out.push_str("\\]");
                at += 1;
            }
            b'h' | b'H' if !in_link && bare_url_len(&text[at..]) > 0 => {
                let len = bare_url_len(&text[at..]);
                // A lone backslash before it would escape the `<`.
                if (out.len() - out.trim_end_matches('\\').len()) % 2 == 1 {
                    out.push('\\');
                }
                out.push('<');
                out.push_str(&text[at..at + len]);
                out.push('>');
                at += len;
            }
            _ => {
                let c = text[at..].chars().next().unwrap_or(' ');
                out.push(c);
                at += c.len_utf8();
            }
        }
    }
    out
}

/// The code spans and link brackets of one line, found in one pass each so
/// that no input makes this quadratic.
struct Scan<'a> {
    text: &'a str,
    /// For the backtick run starting at a byte index: the end of the next run
    /// of exactly as many backticks (which closes a code span it opens), if any.
    span_ends: HashMap<usize, Option<usize>>,
    /// For a `[` at a byte index: the `]` that closes it, brackets nesting and
    /// escapes, code spans and autolinks skipped, as Markdown reads them.
    bracket_ends: HashMap<usize, usize>,
}

impl<'a> Scan<'a> {
    fn new(text: &'a str) -> Scan<'a> {
        let bytes = text.as_bytes();
        let mut runs: Vec<(usize, usize)> = Vec::new();
        let mut at = 0;
        while at < bytes.len() {
            if bytes[at] == b'`' {
                let run = leading_run(&text[at..], '`');
                runs.push((at, run));
                at += run;
            } else {
                at += 1;
            }
        }
        let mut next_of_length: HashMap<usize, usize> = HashMap::new();
        let mut span_ends = HashMap::new();
        for &(start, run) in runs.iter().rev() {
            span_ends.insert(start, next_of_length.get(&run).map(|next| next + run));
            next_of_length.insert(run, start);
        }
        let mut scan = Scan { text, span_ends, bracket_ends: HashMap::new() };

        let mut open: Vec<usize> = Vec::new();
        let mut at = 0;
        while at < bytes.len() {
            match bytes[at] {
                b'\\' if bytes.get(at + 1).is_some_and(u8::is_ascii_punctuation) => {
                    at += 2;
                    if bytes[at - 1] == b'`' {
                        at += leading_run(&text[at..], '`');
                    }
                }
                b'`' => at = scan.code_span_end(at).unwrap_or(at + leading_run(&text[at..], '`')),
                b'<' => at = autolink_end(text, at).unwrap_or(at + 1),
                b'[' => {
                    open.push(at);
                    at += 1;
                }
                b']' => {
                    if let Some(start) = open.pop() {
                        scan.bracket_ends.insert(start, at);
                    }
                    at += 1;
                }
                _ => at += 1,
            }
        }
        scan
    }

    fn code_span_end(&self, at: usize) -> Option<usize> {
        self.span_ends.get(&at).copied().flatten()
    }
}

/// Where the autolink `<http(s)://…>` or `<mailto:…>` at `at` ends, if it is one.
fn autolink_end(text: &str, at: usize) -> Option<usize> {
    let inside = &text[at + 1..];
    let end = inside
        .find(|c: char| matches!(c, '<' | '>') || c.is_whitespace() || c.is_control() || is_format_or_separator(c))?;
    (inside[end..].starts_with('>') && is_url(&inside[..end])).then_some(at + 1 + end + 1)
}

/// The length of the bare `http(s)://` URL `text` starts with, as far as an
/// autolink can hold it, without trailing punctuation or an unbalanced `)` or
/// `]`; 0 when it does not start with one.
fn bare_url_len(text: &str) -> usize {
    let starts = |scheme: &str| text.get(..scheme.len()).is_some_and(|start| start.eq_ignore_ascii_case(scheme));
    let scheme = if starts("https://") {
        8
    } else if starts("http://") {
        7
    } else {
        return 0;
    };
    let stop = |c: char| {
        c.is_whitespace()
            || c.is_control()
            || is_format_or_separator(c)
            || matches!(c, '<' | '>' | '`' | '"' | '\\' | '|')
    };
    let mut url = &text[..text.find(stop).unwrap_or(text.len())];
    // Closing brackets without an opening one, counted once for the whole URL.
    let excess = |close: char, open: char| url.matches(close).count().saturating_sub(url.matches(open).count());
    let (mut parens, mut squares) = (excess(')', '('), excess(']', '['));
    while let Some(last) = url.chars().next_back() {
        match last {
            '.' | ',' | ':' | ';' | '!' | '?' | '\'' | '*' | '_' | '~' => {}
            ')' if parens > 0 => parens -= 1,
            ']' if squares > 0 => squares -= 1,
            _ => break,
        }
        url = &url[..url.len() - 1];
    }
    if url.len() > scheme {
        url.len()
    } else {
        0
    }
}

/// The link that starts with the `[` at `at`, rendered, and where it ends, if it
/// is one that is kept: an inline link (or image) to an `http(s)://` or
/// `mailto:` URL, a reference to a kept definition, or the generator's own
/// `` [`name`](Self::name) ``. Its text is escaped, so it holds no other link.
fn link(scan: &Scan, at: usize, labels: &[String]) -> Option<(String, usize)> {
    let text = scan.text;
    let close = *scan.bracket_ends.get(&at)?;
    let inner = &text[at + 1..close];
    if inner.starts_with('^') {
        return None;
    }
    let after = &text[close + 1..];
    let rendered =
        |length: usize| (format!("[{}]{}", inline(inner, labels, true), &after[..length]), close + 1 + length);
    let defined = |label: &str| simple_label(label).is_some_and(|label| labels.contains(&label));
    if after.starts_with('(') {
        let (destination, length) = inline_destination(after)?;
        let own =
            destination.strip_prefix("Self::").is_some_and(|name| is_identifier(name) && inner == format!("`{name}`"));
        (is_plain_url(destination) || own).then(|| rendered(length))
    } else if let Some(reference) = after.strip_prefix('[') {
        // `[text][label]`, or `[label][]`.
        let label = &reference[..reference.find(']')?];
        defined(if label.is_empty() { inner } else { label }).then(|| rendered(label.len() + 2))
    } else {
        // `[label]`, unless it starts a line as `[label]:` would start a
        // definition (Markdown reads one after a heading, in a list, …).
        (defined(inner) && !(at == 0 && after.starts_with(':'))).then(|| rendered(0))
    }
}

/// The destination of the inline link `(…)` that `after` starts with, and the
/// length of `(…)`: `(url)`, `(<url>)` or either with a `"title"`. A bare
/// destination holding a bracket is not taken (so the search ends at the next
/// link, and no line makes it quadratic).
fn inline_destination(after: &str) -> Option<(&str, usize)> {
    let body = &after[1..];
    let start = body.len() - body.trim_start_matches([' ', '\t']).len();
    let rest = &body[start..];
    let (destination, used) = if let Some(inside) = rest.strip_prefix('<') {
        let end = inside.find(['<', '>'])?;
        inside[end..].starts_with('>').then_some((&inside[..end], end + 2))?
    } else {
        let mut depth = 0usize;
        let mut end = rest.len();
        for (index, c) in rest.char_indices() {
            if c.is_whitespace() || c.is_control() || (c == ')' && depth == 0) {
                end = index;
                break;
            }
            match c {
                '[' | ']' => return None,
                '(' => depth += 1,
                ')' => depth -= 1,
                _ => {}
            }
        }
        (&rest[..end], end)
    };
    let tail = &rest[used..];
    let spaces = tail.len() - tail.trim_start_matches([' ', '\t']).len();
    let mut tail_used = spaces;
    if spaces > 0 && tail[spaces..].starts_with('"') {
        let title = &tail[spaces + 1..];
        let title_end = title.find(['"', '\\'])?;
        if !title[title_end..].starts_with('"') {
            return None;
        }
        tail_used = spaces + 1 + title_end + 1;
        tail_used += tail[tail_used..].len() - tail[tail_used..].trim_start_matches([' ', '\t']).len();
    }
    tail[tail_used..].starts_with(')').then_some((destination, 1 + start + used + tail_used + 1))
}

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
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
    fn a_list_items_lazy_continuation_is_indented_to_its_content() {
        let lines = doc_lines(&[Some("Steps:\n- first\ngoes on\n12. second\n  also\n\nAfter.\n> - quoted\nlazy")]);
        assert_eq!(
            lines,
            [" Steps:", " - first", "   goes on", " 12. second", "     also", "", " After.", " > - quoted", " lazy"]
        );
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
    fn brackets_that_would_be_broken_intra_doc_links_are_escaped() {
        assert_eq!(
            lines("See [foo], [`foo`], [0], [a:b] and [Option<T>]."),
            [r"See \[foo\], \[`foo`\], \[0\], \[a:b\] and \[Option\<T>\]."]
        );
        // Links whose destination is no URL, and references to no definition.
        assert_eq!(
            lines("[text](foo) [text](not-a-url) [x](Self::nope) [Kind](#kinds) [a](/docs)"),
            [r"\[text\](foo) \[text\](not-a-url) \[x\](Self::nope) \[Kind\](#kinds) \[a\](/docs)"]
        );
        assert_eq!(
            lines("[ref][missing], [missing][] and [a [b] c](foo)"),
            [r"\[ref\]\[missing\], \[missing\]\[\] and \[a \[b\] c\](foo)"]
        );
        // Brackets already escaped stay as they are.
        assert_eq!(lines(r"\[kept\] and \\[x]"), [r"\[kept\] and \\\[x\]"]);
    }

    #[test]
    fn what_would_read_as_html_is_escaped() {
        assert_eq!(lines("Vec<String>, Result<T, E> and <T>"), [r"Vec\<String>, Result\<T, E> and \<T>"]);
        assert_eq!(
            lines("<b>open, <b>closed</b>, </i>, <br> and <br/>, <!-- x, a < b"),
            [r"\<b>open, \<b>closed\</b>, \</i>, \<br> and \<br/>, \<!-- x, a \< b"]
        );
        // An HTML block is text too, so a `<script>` never reaches the page.
        assert_eq!(
            lines("<details>\n<script>alert(1)</script>\n</details>"),
            [r"\<details>", r"\<script>alert(1)\</script>", r"\</details>"]
        );
    }

    #[test]
    fn bare_urls_are_wrapped_without_trailing_punctuation() {
        assert_eq!(lines("See https://example.com/docs."), ["See <https://example.com/docs>."]);
        assert_eq!(
            lines("(http://example.com/a), HTTPS://EXAMPLE.COM!"),
            ["(<http://example.com/a>), <HTTPS://EXAMPLE.COM>!"]
        );
        assert_eq!(
            lines("https://en.wikipedia.org/wiki/Rust_(language); https://x.io/a[1], \"https://x.io/q\""),
            ["<https://en.wikipedia.org/wiki/Rust_(language)>; <https://x.io/a[1]>, \"<https://x.io/q>\""]
        );
        // Only up to what an autolink can hold; a scheme alone is no URL.
        assert_eq!(lines("https://x.io/<id> and https:// alone"), [r"<https://x.io/>\<id> and https:// alone"]);
        // A backslash before it would escape the `<`: it is escaped itself.
        assert_eq!(lines(r"C:\https://x.io"), [r"C:\\<https://x.io>"]);
    }

    #[test]
    fn links_to_urls_and_autolinks_are_kept() {
        for kept in [
            "[the docs](https://example.com/docs)",
            "![a logo](https://example.com/logo.png \"Logo\")",
            "[mail us](mailto:support@example.com)",
            "[x](<https://example.com/a(b)>)",
            "[wiki](https://en.wikipedia.org/wiki/Rust_(language))",
            "<https://example.com/autolink> <mailto:support@example.com>",
            "[see https://example.com/inside](https://example.com/outside)",
            "[`code` in a link](https://example.com/code)",
        ] {
            assert_eq!(lines(kept), [kept], "{kept}");
        }
        // The text of a link holds no other link or HTML.
        assert_eq!(
            lines("[a [b] <i>c</i> [d](https://y.io)](https://x.io)"),
            [r"[a \[b\] \<i>c\</i> \[d\](https://y.io)](https://x.io)"]
        );
        // Other schemes, and destinations a reader might cut short, are text.
        assert_eq!(
            lines("<javascript:alert(1)> [x](javascript:alert(1)) [y](https://x.io/a\\)b)"),
            [r"\<javascript:alert(1)> \[x\](javascript:alert(1)) \[y\](<https://x.io/a>\)b)"]
        );
    }

    #[test]
    fn reference_links_are_kept_with_their_url_definitions() {
        let text =
            "A [link][docs], a [Collapsed][] one, a [shortcut] one, [upper][DOCS], [no][where] and [nowhere].\n\n\
                    [docs]: https://example.com/reference\n\
                    [collapsed]: <https://example.com/c> \"A title\"\n\
                    [shortcut]: https://example.com/s\n\
                    [nowhere]: not-a-url";
        assert_eq!(
            lines(text),
            [
                r"A [link][docs], a [Collapsed][] one, a [shortcut] one, [upper][DOCS], \[no\]\[where\] and \[nowhere\].",
                "",
                "[docs]: https://example.com/reference",
                "[collapsed]: <https://example.com/c> \"A title\"",
                "[shortcut]: https://example.com/s",
                r"\[nowhere\]: not-a-url",
            ]
        );
        // A definition is one only where Markdown reads one: at the start of a
        // paragraph, whole, with a URL a reader takes as it is.
        assert_eq!(
            lines("[a] and [b].\n[a]: https://x.io\n\n[b]: https://x.io/(b 'title\n[b]"),
            [r"\[a\] and \[b\].", r"\[a\]: <https://x.io>", "", r"\[b\]: <https://x.io/(b> 'title", r"\[b\]",]
        );
        // `[label]:` starting a line could be a definition (after a heading,
        // say) even where it is not kept, so it is escaped.
        assert_eq!(lines("# Title\n[d]:x\n\n[d]: https://x.io"), ["# Title", r"\[d\]:x", "", "[d]: https://x.io"]);
    }

    #[test]
    fn footnotes_are_text() {
        assert_eq!(
            lines("A note[^1].\n\n[^1]: The note, with [brackets]."),
            [r"A note\[^1\].", "", r"\[^1\]: The note, with \[brackets\].",]
        );
    }

    #[test]
    fn code_spans_are_left_alone_and_stray_backticks_escaped() {
        assert_eq!(
            lines("`Vec<String>`, ``[foo] ` <T>`` and Vec<String>"),
            [r"`Vec<String>`, ``[foo] ` <T>`` and Vec\<String>"]
        );
        // A backtick that opens no span on its line is escaped, so a span
        // broken across lines is text on both and nothing between is code.
        assert_eq!(
            lines("an ``unclosed `span` and\na `broken\n<T>` span"),
            [r"an \`\`unclosed `span` and", r"a \`broken", r"\<T>\` span",]
        );
        // After an escaped backtick, the rest of its run cannot open a span.
        assert_eq!(lines(r"\``x` <T>"), [r"\`\`x\` \<T>"]);
    }

    #[test]
    fn table_cells_are_read_one_by_one() {
        assert_eq!(
            lines("| name | type |\n| --- | :-: |\n| `snake_case` | `Vec<T>` <T> |\n| `a|b` | https://x.io |"),
            ["| name | type |", "| --- | :-: |", r"| `snake_case` | `Vec<T>` \<T> |", r"| \`a|b\` | <https://x.io> |",]
        );
        // Without a delimiter row it is no table, and a span may hold a `|`.
        assert_eq!(lines("`a|b` <T>"), [r"`a|b` \<T>"]);
    }

    #[test]
    fn text_blocks_emphasis_and_fences_in_quotes_are_not_escaped() {
        assert_eq!(
            lines("Intro [foo]\n```\n[foo] <T> https://x.io\n```\nsnake_case_name, __init__ and _x_ <T>"),
            [r"Intro \[foo\]", "```text", "[foo] <T> https://x.io", "```", r"snake_case_name, __init__ and _x_ \<T>",]
        );
        assert_eq!(lines("> ```rust <T>\n- [x] done"), [r"> \`\`\`rust \<T>", r"- \[x\] done"]);
    }

    #[test]
    fn the_generators_own_links_to_methods_are_kept() {
        let text = "Every item of [`list`](Self::list) (see [`list_pages`](Self::list_pages)).";
        assert_eq!(lines(text), [text]);
        assert_eq!(lines("[list](Self::list) [`a`](Self::b)"), [r"\[list\](Self::list) \[`a`\](Self::b)"]);
    }

    #[test]
    fn spec_text_in_the_generators_docs_is_one_safe_code_span() {
        assert_eq!(code("organizationInvitations"), "`organizationInvitations`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`x\n[y](z)"), "`` `x [y](z) ``");
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
