//! Spec prose (descriptions, summaries, titles, `info.title`) as the generator
//! reads it: text that is empty or only whitespace says nothing, so it counts
//! as absent everywhere. A `description: ""` then gets the generator's own doc
//! instead of none (the generated crate denies missing docs), and a `title: " "`
//! names no variant. Lowering reads every piece of prose through [`text`], so
//! the IR never holds a blank one; the doc renderer skips blank paragraphs by
//! the same rule ([`is_blank`]).

/// The prose, if it says anything: `None` when it is missing, empty, or only
/// whitespace (Unicode's, as `str::trim` reads it: spaces, tabs, line breaks,
/// U+3000, …).
pub fn text(prose: Option<&String>) -> Option<String> {
    prose.filter(|prose| !is_blank(prose)).cloned()
}

/// Whether `prose` is empty or only whitespace.
pub fn is_blank(prose: &str) -> bool {
    prose.trim().is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_and_whitespace_only_prose_is_absent() {
        for blank in ["", " ", "\t\r\n", "\u{3000}", " \u{a0}\u{2028} "] {
            assert_eq!(text(Some(&blank.to_owned())), None, "{blank:?}");
        }
        assert_eq!(text(None), None);
        // Anything else is kept exactly, surrounding whitespace and all.
        assert_eq!(text(Some(&" x ".to_owned())).as_deref(), Some(" x "));
        assert_eq!(text(Some(&"\u{200b}".to_owned())).as_deref(), Some("\u{200b}"), "a format character is text");
    }
}
