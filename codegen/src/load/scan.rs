//! A cheap pass over YAML text before the parser sees it.
//!
//! The YAML parser (libyaml, inside `serde_yaml`) spends time on every token in
//! proportion to the nesting depth of the flow collections (`[[[[…` or `{a: {a: …`)
//! around it, so deep flow nesting is quadratic: 20,000 levels took 2 to 3.5 s in a
//! debug build (50,000: about 20 s) before `serde_yaml` refused them at its own
//! limit of 128 levels. This pass counts the flow depth in linear time and refuses
//! the text beyond [`MAX_FLOW_DEPTH`], with the line and column of the bracket that
//! goes too deep.
//!
//! It follows YAML's lexical rules closely enough to find flow brackets: it skips
//! comments, quoted scalars, block scalars (`|`, `>`) and plain scalars (where a
//! bracket is just text, `pattern: ^[a-z]+$`), including their continuation lines.
//! Where it cannot tell, it counts: a bracket it mistakes for flow only makes the
//! count higher, and no real document comes near the limit.

use crate::Error;

/// Deepest flow-collection nesting accepted: `serde_yaml` refuses any nesting, flow
/// or block, deeper than 128 levels anyway, so nothing that would load is refused,
/// and the parser's time per token stays bounded.
pub(super) const MAX_FLOW_DEPTH: usize = 128;

/// Refuses `text` if flow collections nest deeper than [`MAX_FLOW_DEPTH`].
pub(super) fn check_flow_depth(text: &str) -> Result<(), Error> {
    Scanner { bytes: text.as_bytes(), pos: 0, line: 1, column: 0 }.run()
}

/// What the previous line left open in block context.
#[derive(Clone, Copy)]
enum Pending {
    Nothing,
    /// A plain scalar that may continue on lines indented more than `owner`.
    Plain {
        owner: isize,
    },
    /// A block scalar (`|` or `>`) owned by the node at column `owner`; its lines
    /// are those indented at least as much as its first non-blank line.
    Block {
        owner: isize,
        content: Option<usize>,
    },
}

struct Scanner<'t> {
    bytes: &'t [u8],
    pos: usize,
    /// 1-based line of `pos`.
    line: usize,
    /// 0-based column of `pos`, in characters.
    column: usize,
}

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn peek_at(&self, offset: usize) -> Option<u8> {
        self.bytes.get(self.pos + offset).copied()
    }

    /// Moves past one byte, keeping track of lines and columns.
    fn bump(&mut self) {
        match self.peek() {
            Some(b'\n') => {
                self.line += 1;
                self.column = 0;
            }
            // Not a UTF-8 continuation byte: one more character.
            Some(byte) if byte & 0xC0 != 0x80 => self.column += 1,
            _ => {}
        }
        self.pos += 1;
    }

    fn at_line_end(&self) -> bool {
        matches!(self.peek(), None | Some(b'\n' | b'\r'))
    }

    /// True at a space, tab or line end: what must follow `-`, `?` and `:` indicators.
    fn blank_at(&self, offset: usize) -> bool {
        matches!(self.peek_at(offset), None | Some(b' ' | b'\t' | b'\n' | b'\r'))
    }

    /// Moves to the start of the next line (or the end of the text).
    fn skip_line(&mut self) {
        while let Some(byte) = self.peek() {
            self.bump();
            if byte == b'\n' {
                break;
            }
        }
    }

    fn skip_blanks(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.bump();
        }
    }

    /// Skips a token such as an anchor `&a`, a tag `!t` or an alias `*a`.
    fn skip_token(&mut self) {
        while let Some(byte) = self.peek() {
            if matches!(byte, b' ' | b'\t' | b'\n' | b'\r' | b',' | b'[' | b']' | b'{' | b'}') {
                break;
            }
            self.bump();
        }
    }

    /// Skips a quoted scalar starting at `pos`, across lines if need be.
    fn skip_quoted(&mut self) {
        let Some(quote) = self.peek() else { return };
        self.bump();
        while let Some(byte) = self.peek() {
            self.bump();
            if quote == b'"' && byte == b'\\' {
                if self.peek().is_some() {
                    self.bump();
                }
            } else if byte == quote {
                if quote == b'\'' && self.peek() == Some(b'\'') {
                    self.bump();
                } else {
                    return;
                }
            }
        }
    }

    fn too_deep(&self) -> Error {
        Error::new(format!(
            "malformed YAML: flow collections (`[` or `{{`) nested more than {MAX_FLOW_DEPTH} levels deep at line {} column {}",
            self.line,
            self.column + 1
        ))
    }

    /// Skips a flow collection whose opening bracket is at `pos`, counting depth.
    fn skip_flow(&mut self) -> Result<(), Error> {
        let mut depth = 0usize;
        let mut node_start = true;
        // The previous token was a quoted scalar or a closing bracket, after which
        // `:` is an indicator even without a space (`{"a":1}`).
        let mut after_json_node = false;
        let mut after_blank = true;
        while let Some(byte) = self.peek() {
            let blank_before = after_blank;
            after_blank = matches!(byte, b' ' | b'\t' | b'\n' | b'\r');
            match byte {
                b' ' | b'\t' | b'\n' | b'\r' => self.bump(),
                b'#' if blank_before => {
                    while !self.at_line_end() {
                        self.bump();
                    }
                }
                b'[' | b'{' => {
                    depth += 1;
                    if depth > MAX_FLOW_DEPTH {
                        return Err(self.too_deep());
                    }
                    self.bump();
                    node_start = true;
                    after_json_node = false;
                }
                b']' | b'}' => {
                    self.bump();
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return Ok(());
                    }
                    node_start = false;
                    after_json_node = true;
                }
                b',' => {
                    self.bump();
                    node_start = true;
                    after_json_node = false;
                }
                b'\'' | b'"' if node_start => {
                    self.skip_quoted();
                    node_start = false;
                    after_json_node = true;
                }
                b':' if after_json_node
                    || self.blank_at(1)
                    || matches!(self.peek_at(1), Some(b',' | b'[' | b']' | b'{' | b'}')) =>
                {
                    self.bump();
                    node_start = true;
                    after_json_node = false;
                }
                b'?' if node_start && self.blank_at(1) => self.bump(),
                b'&' | b'!' if node_start => self.skip_token(),
                _ => {
                    self.bump();
                    node_start = false;
                    after_json_node = false;
                }
            }
        }
        Ok(())
    }

    fn run(mut self) -> Result<(), Error> {
        let mut pending = Pending::Nothing;
        while self.pos < self.bytes.len() {
            let indent = self.bytes[self.pos..].iter().take_while(|&&byte| byte == b' ').count();
            let rest = &self.bytes[self.pos + indent..];
            let blank = matches!(rest.first(), None | Some(b'\n' | b'\r'))
                || rest.iter().take_while(|&&byte| byte != b'\n').all(|byte| byte.is_ascii_whitespace());
            match pending {
                Pending::Block { owner, content } => {
                    if blank {
                        self.skip_line();
                        continue;
                    }
                    match content {
                        None if indent as isize > owner => {
                            pending = Pending::Block { owner, content: Some(indent) };
                            self.skip_line();
                            continue;
                        }
                        Some(content) if indent >= content => {
                            self.skip_line();
                            continue;
                        }
                        _ => pending = Pending::Nothing,
                    }
                }
                Pending::Plain { owner } => {
                    if blank {
                        self.skip_line();
                        continue;
                    }
                    if rest.first() != Some(&b'#') && indent as isize > owner {
                        // More of the same plain scalar: text up to a comment.
                        self.skip_line();
                        continue;
                    }
                    pending = Pending::Nothing;
                }
                Pending::Nothing => {}
            }
            if blank || rest.first() == Some(&b'#') || (indent == 0 && rest.first() == Some(&b'%')) {
                self.skip_line();
                continue;
            }
            for _ in 0..indent {
                self.bump();
            }
            if indent == 0 && (rest.starts_with(b"---") || rest.starts_with(b"...")) && self.blank_at(3) {
                for _ in 0..3 {
                    self.bump();
                }
            }
            pending = self.block_line(indent as isize - 1)?;
        }
        Ok(())
    }

    /// Scans the rest of a line in block context, from a place where a node may
    /// start; `owner` is the column of the node a value here belongs to.
    fn block_line(&mut self, mut owner: isize) -> Result<Pending, Error> {
        let mut node_start = true;
        let mut node_column = 0;
        loop {
            self.skip_blanks();
            if self.at_line_end() {
                self.skip_line();
                return Ok(Pending::Nothing);
            }
            let Some(byte) = self.peek() else { return Ok(Pending::Nothing) };
            let column = self.column;
            if node_start {
                match byte {
                    b'-' | b'?' | b':' if self.blank_at(1) => {
                        owner = column as isize;
                        self.bump();
                    }
                    b'&' | b'!' => self.skip_token(),
                    b'#' => {
                        self.skip_line();
                        return Ok(Pending::Nothing);
                    }
                    b'|' | b'>' => {
                        self.skip_line();
                        return Ok(Pending::Block { owner, content: None });
                    }
                    b'[' | b'{' | b'\'' | b'"' | b'*' => {
                        match byte {
                            b'[' | b'{' => self.skip_flow()?,
                            b'*' => self.skip_token(),
                            _ => self.skip_quoted(),
                        }
                        node_start = false;
                        node_column = column;
                    }
                    _ => {
                        // A plain scalar: up to `: ` (it was a key), ` #` or the line end.
                        let mut after_blank = false;
                        loop {
                            match self.peek() {
                                None | Some(b'\n' | b'\r') => {
                                    self.skip_line();
                                    return Ok(Pending::Plain { owner });
                                }
                                Some(b'#') if after_blank => {
                                    self.skip_line();
                                    return Ok(Pending::Plain { owner });
                                }
                                Some(b':') if self.blank_at(1) => {
                                    self.bump();
                                    owner = column as isize;
                                    break;
                                }
                                Some(byte) => {
                                    after_blank = matches!(byte, b' ' | b'\t');
                                    self.bump();
                                }
                            }
                        }
                    }
                }
            } else {
                match byte {
                    b':' => {
                        self.bump();
                        owner = node_column as isize;
                        node_start = true;
                    }
                    b'#' => {
                        self.skip_line();
                        return Ok(Pending::Nothing);
                    }
                    _ => self.bump(),
                }
            }
        }
    }
}
