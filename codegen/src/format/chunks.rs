//! Formatting a crate's files in chunks of whole items, on several threads.
//!
//! Files are independent, and so are runs of whole items within a file:
//! prettyplease prints a file's inner attributes and then its items one after
//! another, each ending in a hard line break at depth 0, so the layout of an
//! item depends on that item alone, and the items `a..b` and `b..c` printed apart
//! and put together are the items `a..c` printed at once. Blank lines go
//! between two lines by looking at those two lines only (`blank_between`), so
//! each chunk is spaced on its own and the line where two chunks meet is decided
//! when they are joined. Inner attributes (`//!` docs) are only ever in a file's
//! first piece, so they stay at the start of its first chunk. The tests check
//! the joined chunks against the file formatted whole.
//!
//! Token streams cannot cross threads, so a thread emits the tokens of the
//! pieces it formats itself ([`Piece`](crate::emit::Piece)), which spreads
//! emitting over the threads too, and no file's token stream or syntax tree
//! is ever held whole.

use std::num::NonZeroUsize;
use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::{blank_between, space_lines, unparse};
use crate::emit::FilePieces;
use crate::Error;

/// Pieces in a chunk: a type, or an operation's call builder, is a piece.
/// Small chunks share the work evenly between threads (one call builder is
/// several kilobytes of code: in chunks of eight, the slice's seven operations
/// were one chunk, formatted while the other thread had nothing left to do)
/// and keep little in memory at a time (a chunk's token stream and syntax tree
/// are several times the size of its text). A chunk's own cost (a parser, a
/// printer, a hand-over) stays small beside two pieces: it measured no slower.
const CHUNK_PIECES: usize = 2;

/// Fewest units per thread: a thread is only started for work that takes
/// longer than starting it, so a tiny crate is formatted by one thread.
const UNITS_PER_THREAD: usize = 4;

/// Stack of a formatting thread: a main thread's. syn and prettyplease recurse
/// once or more per level of a nested type (`Vec<Vec<…>>`), about 30 KiB a
/// level in a debug build, and the generator allows 64 levels of schemas: a
/// test thread's 2 MiB, or any caller's, may not hold them, so formatting never
/// runs on the caller's thread.
const STACK: usize = 8 << 20;

/// Formats every file of `files` (see `format_file`), with the same result, each
/// starting with `header`; in the order of `files`.
pub fn format_files(files: &[FilePieces<'_>], header: &str) -> Result<Vec<String>, Error> {
    let threads = std::thread::available_parallelism().map_or(1, NonZeroUsize::get);
    format_in_chunks(files, header, threads, CHUNK_PIECES)
}

/// [`format_files`] on up to `threads` threads, in chunks of up to `size` pieces.
fn format_in_chunks(files: &[FilePieces<'_>], header: &str, threads: usize, size: usize) -> Result<Vec<String>, Error> {
    let units = plan(files, size);
    let chunks = run(files, &units, threads)?;
    let mut formatted = Vec::with_capacity(files.len());
    let mut chunks = units.iter().zip(chunks).peekable();
    for (index, file) in files.iter().enumerate() {
        let mut mine = Vec::new();
        while let Some((_, chunk)) = chunks.next_if(|(unit, _)| unit.file == index) {
            mine.push(chunk);
        }
        formatted.push(match join(header, &mine) {
            Some(text) => text,
            // Never seen: prettyplease ended a chunk inside a line.
            None => super::format_file(&file.path, file.tokens(0..file.pieces.len()), header)?,
        });
    }
    Ok(formatted)
}

/// Some pieces of one file, formatted together.
struct Unit {
    file: usize,
    pieces: Range<usize>,
}

/// A formatted unit: its items printed and spaced, and whether the printed text
/// ended a line (if it did not, chunks cannot simply be joined).
struct Chunk {
    spaced: String,
    ends_line: bool,
}

/// The units of work: every file cut into chunks of up to `size` pieces.
fn plan(files: &[FilePieces<'_>], size: usize) -> Vec<Unit> {
    let size = size.max(1);
    let mut units = Vec::new();
    for (file, pieces) in files.iter().enumerate() {
        let mut start = 0;
        while start < pieces.pieces.len() {
            let end = start.saturating_add(size).min(pieces.pieces.len());
            units.push(Unit { file, pieces: start..end });
            start = end;
        }
    }
    units
}

/// Formats every unit, on up to `threads` threads of [`STACK`] each (at
/// least one), and returns the chunks in the order of `units`; the first
/// unit's error, if any.
fn run(files: &[FilePieces<'_>], units: &[Unit], threads: usize) -> Result<Vec<Chunk>, Error> {
    let workers = threads.min(units.len().div_ceil(UNITS_PER_THREAD)).max(1);
    // Each thread takes the next unit left until none is, and keeps the index
    // of each it did to put the results back in order.
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let index = next.fetch_add(1, Ordering::Relaxed);
            let Some(unit) = units.get(index) else { break };
            done.push((index, format_unit(files, unit)));
        }
        done
    };
    let mut slots: Vec<Option<Result<Chunk, Error>>> = (0..units.len()).map(|_| None).collect();
    std::thread::scope(|scope| {
        // A thread that cannot be started leaves its share to the others; if
        // none can, this thread does the work.
        let helpers: Vec<_> = (0..workers)
            .filter_map(|_| {
                std::thread::Builder::new()
                    .name("codegen-format".to_owned())
                    .stack_size(STACK)
                    .spawn_scoped(scope, work)
                    .ok()
            })
            .collect();
        if helpers.is_empty() {
            for (index, result) in work() {
                slots[index] = Some(result);
            }
        }
        for helper in helpers {
            match helper.join() {
                Ok(done) => {
                    for (index, result) in done {
                        slots[index] = Some(result);
                    }
                }
                // A panic while formatting is a bug; it goes on as if it had
                // happened on this thread.
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
    });
    slots
        .into_iter()
        .map(|slot| slot.unwrap_or_else(|| Err(Error::new("internal error: a file was not formatted"))))
        .collect()
}

fn format_unit(files: &[FilePieces<'_>], unit: &Unit) -> Result<Chunk, Error> {
    let file = &files[unit.file];
    let text = unparse(&file.path, file.tokens(unit.pieces.clone()))?;
    let mut spaced = String::with_capacity(text.len() + text.len() / 16);
    space_lines(&text, None, &mut spaced);
    Ok(Chunk { spaced, ends_line: text.is_empty() || text.ends_with('\n') })
}

/// The file made of `chunks`, in order, after `header`: what `format_file` makes
/// of all their pieces at once. `None` if a chunk other than the last did not
/// end a line, which joining would split.
fn join(header: &str, chunks: &[Chunk]) -> Option<String> {
    let length = chunks.iter().map(|chunk| chunk.spaced.len() + 1).sum::<usize>();
    let mut text = String::with_capacity(header.len() + 1 + length);
    text.push_str(header);
    text.push('\n');
    let mut previous: Option<&Chunk> = None;
    for chunk in chunks {
        // A chunk of no lines changes nothing, not even which line is the last.
        let Some(first) = chunk.spaced.lines().next() else { continue };
        if let Some(previous) = previous {
            if !previous.ends_line {
                return None;
            }
            if previous.spaced.lines().next_back().is_some_and(|last| blank_between(last, first)) {
                text.push('\n');
            }
        }
        text.push_str(&chunk.spaced);
        previous = Some(chunk);
    }
    Some(text)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::{emit, format, load, lower, select, Selection};

    fn slice() -> crate::ir::Api {
        let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/organization-invitations.yaml");
        let selection = Selection::default();
        let document = load::read_selection(&spec, &selection).unwrap();
        let selected = select::select(&document, &selection).unwrap();
        lower::lower(&document, &selected, lower::OpenEnums::All, false, None).unwrap().0
    }

    /// Every way of cutting the files, down to one piece per chunk (every
    /// boundary between two pieces), on one thread or several, joins to the
    /// files formatted whole.
    #[test]
    fn chunks_join_to_the_whole_files() {
        let api = slice();
        let header = format::header(api.name(), &api.version);
        let whole: Vec<String> = emit::emit(&api)
            .into_iter()
            .map(|(path, tokens)| format::format_file(&path, tokens, &header).unwrap())
            .collect();
        let files = emit::files(&api);
        assert!(files.iter().any(|file| file.pieces.len() > 10), "the slice has a file of many pieces");
        for threads in [1, 2, 3] {
            for size in [1, 2, 3, 7, usize::MAX] {
                let chunked = format_in_chunks(&files, &header, threads, size).unwrap();
                assert_eq!(chunked, whole, "{threads} threads, chunks of {size}");
            }
        }
        assert_eq!(format_files(&files, &header).unwrap(), whole);
    }

    #[test]
    fn chunks_are_joined_with_the_blank_lines_of_the_whole_text() {
        let chunk = |text: &str| {
            let mut spaced = String::new();
            space_lines(text, None, &mut spaced);
            Chunk { spaced, ends_line: text.ends_with('\n') }
        };
        let parts = ["//! About.\n", "", "use a;\n", "pub struct A;\n", "impl A {\n    fn f() {}\n}\n"];
        let joined = join("// header", &parts.map(chunk)).unwrap();
        assert_eq!(joined, format!("// header\n{}", format::space_items(&parts.concat())));
        assert_eq!(joined, "// header\n//! About.\n\nuse a;\n\npub struct A;\n\nimpl A {\n    fn f() {}\n}\n");
        // A chunk that stops inside a line cannot be joined to the next.
        assert!(join("// header", &["pub struct A;", "pub struct B;\n"].map(chunk)).is_none());
        assert!(join("// header", &["pub struct B;\n", "pub struct A;"].map(chunk)).is_some());
    }
}
