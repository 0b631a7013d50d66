//! The part of ECMAScript regular expressions that OpenAPI `pattern`s use, to
//! build a string a pattern accepts (and check it, with the same reading).
//!
//! Prism validates with ajv, which reads `pattern` as an ECMAScript regex that
//! may match anywhere unless anchored. Supported: literals and escapes, `.`,
//! `\w \W \d \D \s \S`, classes (`[a-z_]`, `[^_]`), groups (capturing and
//! `(?:…)`), alternation, `? * + {n} {n,} {n,m}`, `^` and `$`. Anything else
//! (look-arounds, back-references, lazy quantifiers) is refused, and the
//! synthesizer lists the pattern as one it cannot satisfy.

/// One parsed pattern.
#[derive(Debug, Clone, PartialEq)]
pub struct Pattern {
    alternatives: Vec<Sequence>,
}

type Sequence = Vec<Item>;

#[derive(Debug, Clone, PartialEq)]
struct Item {
    atom: Atom,
    min: usize,
    /// `None`: unbounded.
    max: Option<usize>,
}

#[derive(Debug, Clone, PartialEq)]
enum Atom {
    Char(char),
    Class(Class),
    Group(Vec<Sequence>),
    Start,
    End,
}

/// A set of characters: ranges, possibly negated.
#[derive(Debug, Clone, PartialEq)]
struct Class {
    negated: bool,
    ranges: Vec<(char, char)>,
}

/// Characters tried, in order, when a class needs a member: readable ones first.
const PREFERRED: &str = "aAbx0z9Z_-.:/@ ";

const WORD: [(char, char); 4] = [('a', 'z'), ('A', 'Z'), ('0', '9'), ('_', '_')];
const DIGIT: [(char, char); 1] = [('0', '9')];
const SPACE: [(char, char); 6] =
    [(' ', ' '), ('\t', '\t'), ('\n', '\n'), ('\r', '\r'), ('\u{b}', '\u{b}'), ('\u{c}', '\u{c}')];

/// Repetitions at most, for `*`, `+` and `{n,}` when matching (generation uses few).
const MAX_STRETCH: usize = 1024;

impl Class {
    fn of(ranges: &[(char, char)], negated: bool) -> Self {
        Class { negated, ranges: ranges.to_vec() }
    }

    fn contains(&self, c: char) -> bool {
        self.ranges.iter().any(|&(low, high)| low <= c && c <= high) != self.negated
    }

    fn sample(&self) -> Option<char> {
        if let Some(c) = PREFERRED.chars().find(|&c| self.contains(c)) {
            return Some(c);
        }
        if !self.negated {
            return self.ranges.first().map(|&(low, _)| low);
        }
        (' '..='~').find(|&c| self.contains(c))
    }
}

impl Pattern {
    pub fn parse(text: &str) -> Result<Pattern, String> {
        let mut parser = Parser { chars: text.chars().collect(), at: 0 };
        let alternatives = parser.alternatives()?;
        if parser.at < parser.chars.len() {
            return Err(format!("unexpected `{}` at {}", parser.chars[parser.at], parser.at));
        }
        Ok(Pattern { alternatives })
    }

    /// Whether `text` matches (anywhere, as ECMAScript's `test` does; anchors
    /// pin it).
    pub fn matches(&self, text: &str) -> bool {
        let chars: Vec<char> = text.chars().collect();
        (0..=chars.len()).any(|start| !match_alternatives(&self.alternatives, &chars, start).is_empty())
    }

    /// A string the pattern accepts, with `stretch` extra repetitions given to
    /// the first quantifier that allows more (to meet a `minLength`).
    pub fn generate(&self, stretch: usize) -> String {
        let mut out = String::new();
        let mut stretch = stretch;
        generate_alternatives(&self.alternatives, &mut out, &mut stretch);
        out
    }
}

fn generate_alternatives(alternatives: &[Sequence], out: &mut String, stretch: &mut usize) {
    // The first alternative: the one a reader of the pattern sees first.
    if let Some(sequence) = alternatives.first() {
        for item in sequence {
            let mut count = item.min;
            if *stretch > 0 && item.max.is_none_or(|max| max > item.min) {
                let room = item.max.map_or(*stretch, |max| (max - item.min).min(*stretch));
                count += room;
                *stretch -= room;
            }
            for _ in 0..count {
                match &item.atom {
                    Atom::Char(c) => out.push(*c),
                    Atom::Class(class) => out.extend(class.sample()),
                    Atom::Group(inner) => generate_alternatives(inner, out, stretch),
                    Atom::Start | Atom::End => {}
                }
            }
        }
    }
}

/// The positions where `alternatives` can end when started at `at`.
fn match_alternatives(alternatives: &[Sequence], text: &[char], at: usize) -> Vec<usize> {
    let mut ends = Vec::new();
    for sequence in alternatives {
        for end in match_sequence(sequence, text, at) {
            if !ends.contains(&end) {
                ends.push(end);
            }
        }
    }
    ends
}

fn match_sequence(sequence: &[Item], text: &[char], at: usize) -> Vec<usize> {
    let mut positions = vec![at];
    for item in sequence {
        let mut next = Vec::new();
        for &position in &positions {
            for end in match_item(item, text, position) {
                if !next.contains(&end) {
                    next.push(end);
                }
            }
        }
        if next.is_empty() {
            return next;
        }
        positions = next;
    }
    positions
}

fn match_item(item: &Item, text: &[char], at: usize) -> Vec<usize> {
    let max = item.max.unwrap_or(MAX_STRETCH);
    let mut ends = if item.min == 0 { vec![at] } else { Vec::new() };
    let mut frontier = vec![at];
    for count in 1..=max {
        let mut next = Vec::new();
        for &position in &frontier {
            for end in match_atom(&item.atom, text, position) {
                if !next.contains(&end) {
                    next.push(end);
                }
            }
        }
        if count >= item.min {
            // A position already reached with fewer repetitions has been (or
            // will be) explored with more repetitions left: only new ones go on.
            next.retain(|end| !ends.contains(end));
            ends.extend(next.iter().copied());
        }
        if next.is_empty() {
            break;
        }
        frontier = next;
    }
    ends
}

fn match_atom(atom: &Atom, text: &[char], at: usize) -> Vec<usize> {
    match atom {
        Atom::Char(c) => (text.get(at) == Some(c)).then_some(at + 1).into_iter().collect(),
        Atom::Class(class) => text.get(at).is_some_and(|&c| class.contains(c)).then_some(at + 1).into_iter().collect(),
        Atom::Group(alternatives) => match_alternatives(alternatives, text, at),
        Atom::Start => (at == 0).then_some(at).into_iter().collect(),
        Atom::End => (at == text.len()).then_some(at).into_iter().collect(),
    }
}

struct Parser {
    chars: Vec<char>,
    at: usize,
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn next(&mut self) -> Option<char> {
        let c = self.peek();
        self.at += 1;
        c
    }

    fn alternatives(&mut self) -> Result<Vec<Sequence>, String> {
        let mut alternatives = vec![self.sequence()?];
        while self.peek() == Some('|') {
            self.at += 1;
            alternatives.push(self.sequence()?);
        }
        Ok(alternatives)
    }

    fn sequence(&mut self) -> Result<Sequence, String> {
        let mut items = Vec::new();
        while let Some(c) = self.peek() {
            if c == '|' || c == ')' {
                break;
            }
            let atom = self.atom()?;
            let (min, max) = self.quantifier()?;
            items.push(Item { atom, min, max });
        }
        Ok(items)
    }

    fn atom(&mut self) -> Result<Atom, String> {
        let Some(c) = self.next() else { return Err("unexpected end".to_owned()) };
        Ok(match c {
            '^' => Atom::Start,
            '$' => Atom::End,
            '.' => Atom::Class(Class::of(&[('\n', '\n'), ('\r', '\r')], true)),
            '(' => {
                if self.peek() == Some('?') {
                    self.at += 1;
                    if self.next() != Some(':') {
                        return Err("look-arounds and named groups are not supported".to_owned());
                    }
                }
                let inner = self.alternatives()?;
                if self.next() != Some(')') {
                    return Err("unclosed group".to_owned());
                }
                Atom::Group(inner)
            }
            '[' => Atom::Class(self.class()?),
            '\\' => self.escape()?,
            '*' | '+' | '?' | '{' => return Err(format!("nothing to repeat before `{c}`")),
            other => Atom::Char(other),
        })
    }

    fn escape(&mut self) -> Result<Atom, String> {
        let Some(c) = self.next() else { return Err("`\\` at the end".to_owned()) };
        Ok(match c {
            'w' => Atom::Class(Class::of(&WORD, false)),
            'W' => Atom::Class(Class::of(&WORD, true)),
            'd' => Atom::Class(Class::of(&DIGIT, false)),
            'D' => Atom::Class(Class::of(&DIGIT, true)),
            's' => Atom::Class(Class::of(&SPACE, false)),
            'S' => Atom::Class(Class::of(&SPACE, true)),
            'n' => Atom::Char('\n'),
            't' => Atom::Char('\t'),
            'r' => Atom::Char('\r'),
            c if c.is_ascii_alphanumeric() => return Err(format!("the escape `\\{c}` is not supported")),
            other => Atom::Char(other),
        })
    }

    fn class(&mut self) -> Result<Class, String> {
        let negated = self.peek() == Some('^');
        if negated {
            self.at += 1;
        }
        let mut ranges = Vec::new();
        let mut first = true;
        loop {
            let Some(c) = self.next() else { return Err("unclosed `[`".to_owned()) };
            if c == ']' && !first {
                break;
            }
            first = false;
            let low = if c == '\\' {
                let Some(escaped) = self.next() else { return Err("`\\` at the end".to_owned()) };
                match escaped {
                    'w' => {
                        ranges.extend(WORD);
                        continue;
                    }
                    'd' => {
                        ranges.extend(DIGIT);
                        continue;
                    }
                    's' => {
                        ranges.extend(SPACE);
                        continue;
                    }
                    'n' => '\n',
                    't' => '\t',
                    'r' => '\r',
                    c if c.is_ascii_alphanumeric() => {
                        return Err(format!("the escape `\\{c}` in a class is not supported"))
                    }
                    other => other,
                }
            } else {
                c
            };
            // `a-z`, but a `-` before `]` is a literal.
            if self.peek() == Some('-') && self.chars.get(self.at + 1).is_some_and(|&next| next != ']') {
                self.at += 1;
                let Some(mut high) = self.next() else { return Err("unclosed `[`".to_owned()) };
                if high == '\\' {
                    high = self.next().ok_or("`\\` at the end")?;
                }
                if high < low {
                    return Err(format!("range `{low}-{high}` is backwards"));
                }
                ranges.push((low, high));
            } else {
                ranges.push((low, low));
            }
        }
        Ok(Class { negated, ranges })
    }

    fn quantifier(&mut self) -> Result<(usize, Option<usize>), String> {
        let bounds = match self.peek() {
            Some('?') => (0, Some(1)),
            Some('*') => (0, None),
            Some('+') => (1, None),
            Some('{') => {
                let close = self.chars[self.at..].iter().position(|&c| c == '}').ok_or("unclosed `{`")?;
                let inside: String = self.chars[self.at + 1..self.at + close].iter().collect();
                let number =
                    |text: &str| text.trim().parse::<usize>().map_err(|_| format!("bad repetition `{{{inside}}}`"));
                let bounds = match inside.split_once(',') {
                    None => {
                        let n = number(&inside)?;
                        (n, Some(n))
                    }
                    Some((low, "")) => (number(low)?, None),
                    Some((low, high)) => (number(low)?, Some(number(high)?)),
                };
                self.at += close;
                bounds
            }
            _ => return Ok((1, Some(1))),
        };
        self.at += 1;
        if self.peek() == Some('?') {
            return Err("lazy quantifiers are not supported".to_owned());
        }
        if bounds.1.is_some_and(|max| max < bounds.0) {
            return Err("a repetition's maximum is below its minimum".to_owned());
        }
        Ok(bounds)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every pattern of Clerk's 2026-05-12 document.
    const CLERK_PATTERNS: &[&str] = &[
        r"^mch_\w{27}$",
        r"^user_\w{27}$",
        r"^ak_[0-9A-Fa-f]{32}$",
        r"^(user|org|mch)_\w{27}$",
        r"^(ak|api_key)_[0-9A-Fa-f]{32}$",
        r"^mt_[0-9A-Fa-f]{32}$",
        r"^org_\w{27}$",
        r"^aplt_[0-9A-Fa-f]{32}$",
        r"^(user|org|mch|scim)_\w{27}$",
        r"^[^_][A-Za-z0-9_-]*$",
        r"^apl_\w{27}$",
        r"^ins_\w{27}$",
        r"^[A-Z]{2}$",
        r"^(\S(.*\S)?)?$",
        r"^oat_[0-9A-Fa-f]{32}$",
        r"^from_oauth_(?:(?:token_)|(?:custom_))?[a-z]+$",
        r"^oauth_[a-z]+$",
        r"^oauth_(?:(?:token_)|(?:custom_))?[a-z]+$",
    ];

    #[test]
    fn every_clerk_pattern_generates_a_string_it_matches() {
        for text in CLERK_PATTERNS {
            let pattern = Pattern::parse(text).unwrap_or_else(|error| panic!("{text}: {error}"));
            for stretch in [0, 1, 5] {
                let value = pattern.generate(stretch);
                assert!(pattern.matches(&value), "{text} does not match its own {value:?}");
            }
        }
    }

    #[test]
    fn generated_strings_are_the_shortest_readable_ones() {
        let generate = |text: &str| Pattern::parse(text).unwrap().generate(0);
        assert_eq!(generate(r"^user_\w{27}$"), format!("user_{}", "a".repeat(27)));
        assert_eq!(generate(r"^[A-Z]{2}$"), "AA");
        assert_eq!(generate(r"^[^_][A-Za-z0-9_-]*$"), "a");
        assert_eq!(generate(r"^oauth_[a-z]+$"), "oauth_a");
        assert_eq!(Pattern::parse(r"^oauth_[a-z]+$").unwrap().generate(3), "oauth_aaaa");
    }

    #[test]
    fn matching_follows_ecmascript() {
        let pattern = Pattern::parse(r"^(user|org)_\w{3}$").unwrap();
        assert!(pattern.matches("org_abc"));
        assert!(!pattern.matches("org_abcd"));
        assert!(!pattern.matches("xorg_abc"));
        // Unanchored: anywhere.
        assert!(Pattern::parse("b+").unwrap().matches("abbc"));
        assert!(!Pattern::parse("^b+").unwrap().matches("abbc"));
        let trimmed = Pattern::parse(r"^(\S(.*\S)?)?$").unwrap();
        assert!(trimmed.matches(""));
        assert!(trimmed.matches("a b"));
        assert!(!trimmed.matches(" a"));
        assert!(!Pattern::parse(r"^[^_]").unwrap().matches("_a"));
        assert!(Pattern::parse(r"^a{2,}$").unwrap().matches("aaaa"));
        assert!(!Pattern::parse(r"^a{2,3}$").unwrap().matches("aaaa"));
        assert!(Pattern::parse(r"^(a*)*b$").unwrap().matches("aaab"));
    }

    #[test]
    fn what_is_not_supported_is_refused() {
        for text in [r"(?=a)", r"\1", r"a*?", r"[a", r"(a", r"\p{L}", "a{3,1}"] {
            assert!(Pattern::parse(text).is_err(), "{text} parsed");
        }
    }
}
