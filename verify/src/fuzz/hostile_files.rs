//! `hostile-files`: what codegen reads and writes besides the spec. The output
//! folder holds an earlier output of the same spec, then is tampered with: a
//! `.codegen-manifest` naming files codegen never wrote (`README.md`,
//! `LICENSE`, `runtime/src/client.rs`, `../x`, an absolute path, `src/../../x`),
//! very long lines, NUL bytes, CRLF line ends or duplicates, or no manifest at
//! all; a `public-api.txt` with huge or malformed versions, garbage, missing
//! lines, or huge; a `Cargo.toml` or `public-api.txt` that is a link (to
//! `/dev/zero`, to a file outside), a folder or a named pipe; `src/` a link to a
//! folder outside; hostile `--name` values. Beside them lie foreign files
//! (`README.md`, `LICENSE`, `runtime/src/client.rs`, `notes.txt`, hand-written
//! sources, some starting with codegen's own header line); or the folder is a
//! flat folder of sources that carry the header but are no crate codegen
//! wrote. `--check` too, sometimes.
//!
//! Every case must end well, leave every foreign file as it was, change
//! nothing outside the output folder (a sentinel folder and the file `../x`
//! lie beside it), write nothing with `--check` nor advise a run that would
//! delete a foreign file, and, on exit 0, compile like any other sample.
//!
//! The absolute path a manifest names is a file in the case's own sentinel
//! folder rather than `/etc/passwd`: the fuzz may run as root, and a failure
//! should be seen, not suffered.

use serde_json::{json, Value};

use super::case::{Case, Expect, Folder};
use super::doc::{self, reference};
use super::rng::Rng;
use super::sandbox::{Edit, Entry, ROOT};

/// The first line of every file codegen generates.
fn header() -> String {
    format!("{} from a hand-written file.\n", codegen::files::HEADER_PREFIX)
}

/// Files a user keeps beside the generated ones.
const FOREIGN: &[&str] = &["README.md", "LICENSE", "runtime/src/client.rs", "notes.txt", "src/handwritten.rs"];

/// Lines a tampered manifest adds: the foreign files that are there (plain
/// lines codegen would trust), sometimes with paths that lead out of the
/// folder or cannot be paths at all.
fn manifest_lines(foreign: &[String], rng: &mut Rng) -> Vec<String> {
    let count = rng.between(1, foreign.len().max(1));
    let mut lines: Vec<String> = rng.several(foreign, count);
    if rng.chance(50) {
        let long = format!("src/{}.rs", "a/".repeat(rng.between(100, 3000)));
        let hostile = [
            "../x".to_owned(),
            format!("{ROOT}/sentinel/passwd"),
            "src/../../x".to_owned(),
            "src/../../../x".to_owned(),
            "runtime".to_owned(),
            long,
            "src/lib.rs\0".to_owned(),
            "\0".to_owned(),
            "src/lib.rs".to_owned(),
            "Cargo.toml".to_owned(),
            "./README.md".to_owned(),
            "src//lib.rs".to_owned(),
            "src\\..\\..\\x".to_owned(),
        ];
        let count = rng.between(1, 3);
        lines.extend(rng.several(&hostile, count));
    }
    if !lines.is_empty() && rng.chance(20) {
        // A line twice.
        let again = lines[rng.below(lines.len())].clone();
        lines.push(again);
    }
    lines
}

/// Versions a tampered record may claim.
const VERSIONS: &[&str] = &[
    "18446744073709551615.0.0",
    "0.18446744073709551615.0",
    "0.0.18446744073709551615",
    "1.18446744073709551615.18446744073709551615",
    "99999999999999999999999.0.0",
    "-1.0.0",
    "1.2",
    "1.2.3.4",
    "v1.0.0",
    "",
];

/// Package names: some cargo takes, most it refuses.
const NAMES: &[&str] = &[
    "",
    "fn",
    "self",
    "test",
    "con",
    "ünïcödé",
    "a/b",
    "1abc",
    "-x",
    "a b",
    "a.b",
    "std",
    "core",
    "my_crate",
    "Upper",
];

/// The spec: two groups, so an earlier output of both has a file that a run
/// for one leaves stale.
fn document() -> Value {
    let mut document = doc::skeleton("Hostile files");
    doc::add_schema(
        &mut document,
        "Thing",
        json!({"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]}),
    );
    doc::add_operation(
        &mut document,
        "/things/{id}",
        "get",
        "Things",
        json!({
            "operationId": "GetThing",
            "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
            "responses": doc::json_response(reference("Thing")),
        }),
    );
    doc::add_operation(
        &mut document,
        "/others",
        "get",
        "Others",
        json!({
            "operationId": "ListOthers",
            "responses": doc::json_response(json!({"type": "array", "items": {"type": "string"}})),
        }),
    );
    document
}

/// The sentinel beside the output folder.
fn sentinel() -> Vec<Entry> {
    vec![
        Entry::file("sentinel/passwd", "root:x:0:0:root:/root:/bin/sh\n"),
        Entry::file("sentinel/outside.toml", "[package]\nname = \"outside\"\nversion = \"9.9.9\"\n"),
        Entry::file("sentinel/src/lib.rs", "// a folder `src` may be made to point at\n"),
        Entry::file("x", "the file `../x` names\n"),
    ]
}

pub fn case(rng: &mut Rng) -> Case {
    let mut folder = Folder { previous_output: true, beside: sentinel(), ..Folder::default() };
    let mut args =
        if rng.chance(50) { vec!["--tag".to_owned(), "Things".to_owned()] } else { vec!["--all-tags".to_owned()] };
    let listable = add_foreign_files(&mut folder, rng);
    let kind = match rng.below(7) {
        0 | 1 => tamper_manifest(&mut folder, &listable, rng),
        2 => tamper_record(&mut folder, rng),
        3 => tamper_cargo_toml(&mut folder, rng),
        4 => {
            let name = name(rng);
            args.extend(["--name".to_owned(), name.clone()]);
            format!("--name {name:?}")
        }
        5 => flat_folder(&mut folder, rng),
        _ => {
            tamper_manifest(&mut folder, &listable, rng);
            tamper_record(&mut folder, rng);
            tamper_cargo_toml(&mut folder, rng);
            "manifest, record and Cargo.toml".to_owned()
        }
    };
    if rng.chance(20) {
        args.push("--check".to_owned());
    }
    let mut case = Case::new(kind.clone(), doc::yaml(&document()), Expect::Either);
    case.detail = format!("{kind}; foreign files: {}", folder.foreign.join(", "));
    case.args = args;
    case.folder = Some(folder);
    case
}

/// Some of the foreign files, a few starting with codegen's header line; the
/// ones a manifest may list and codegen must still keep. (A listed source under
/// `src/` that carries the header is what a stale generated file looks like:
/// codegen may remove it, so it is never listed.)
fn add_foreign_files(folder: &mut Folder, rng: &mut Rng) -> Vec<String> {
    let mut listable = Vec::new();
    let count = rng.between(1, FOREIGN.len());
    for path in rng.several(FOREIGN, count) {
        let body = format!("{path}, written by hand.\n");
        let with_header = rng.chance(25);
        let bytes = if with_header { header() + &body } else { body };
        folder.inside.push(Entry::file(path, bytes));
        folder.foreign.push(path.to_owned());
        if !(with_header && path.starts_with("src/")) {
            listable.push(path.to_owned());
        }
    }
    // A hand-written source codegen never lists, with the header line.
    if rng.chance(50) {
        folder.inside.push(Entry::file("src/mine.rs", header() + "pub fn mine() {}\n"));
        folder.foreign.push("src/mine.rs".to_owned());
    }
    listable
}

/// Lists `listable` foreign files (and worse) in the manifest, or makes it
/// something else than a file.
fn tamper_manifest(folder: &mut Folder, listable: &[String], rng: &mut Rng) -> String {
    const MANIFEST: &str = codegen::files::MANIFEST;
    let edit = |edit| Entry::Edit { path: MANIFEST.to_owned(), edit };
    match rng.below(5) {
        0 => {
            folder.inside.push(Entry::file(MANIFEST, ""));
            let added = manifest_lines(listable, rng);
            folder.inside.push(Entry::Edit { path: MANIFEST.into(), edit: Edit::Append(lines(&added)) });
            "a manifest of foreign paths only".to_owned()
        }
        1 => {
            folder.inside.push(Entry::Dir { path: MANIFEST.into() });
            "a manifest that is a folder".to_owned()
        }
        2 => {
            folder.inside.push(Entry::Link { path: MANIFEST.into(), target: format!("{ROOT}/sentinel/passwd") });
            "a manifest that links outside".to_owned()
        }
        3 => {
            folder.inside.push(Entry::Absent { path: MANIFEST.into() });
            "no manifest beside an earlier output".to_owned()
        }
        _ => {
            let added = manifest_lines(listable, rng);
            folder.inside.push(edit(Edit::Append(lines(&added))));
            if rng.chance(30) {
                folder.inside.push(edit(Edit::Crlf));
            }
            "a manifest with foreign lines".to_owned()
        }
    }
}

/// `lines`, each ended by a line break.
fn lines(lines: &[String]) -> Vec<u8> {
    lines.iter().flat_map(|line| format!("{line}\n").into_bytes()).collect()
}

fn tamper_record(folder: &mut Folder, rng: &mut Rng) -> String {
    let record = codegen::semver::RECORD_FILE;
    let (entry, what) = match rng.below(8) {
        0 | 1 => {
            let version = *rng.pick(VERSIONS);
            let line = format!("# version {version}");
            (
                Entry::Edit { path: record.into(), edit: Edit::ReplaceLine { prefix: "# version ".into(), line } },
                format!("a record of version {version:?}"),
            )
        }
        2 => {
            let garbage: Vec<u8> = (0..rng.between(1, 4096)).map(|_| rng.below(256) as u8).collect();
            (Entry::file(record, garbage), "a record of garbage".to_owned())
        }
        3 => (
            Entry::Edit { path: record.into(), edit: Edit::DropLines { nth: rng.between(1, 4) } },
            "a record missing lines".to_owned(),
        ),
        4 => (Entry::Sparse { path: record.into(), len: 128 << 20 }, "a record of 128 MiB".to_owned()),
        5 => (link_or_odd(record, rng), format!("{record} not a file")),
        6 => {
            let line = format!("# version 1.0.0{}", "0".repeat(rng.between(100, 100_000)));
            (
                Entry::Edit { path: record.into(), edit: Edit::ReplaceLine { prefix: "# version ".into(), line } },
                "a record with a huge version line".to_owned(),
            )
        }
        _ => (Entry::Edit { path: record.into(), edit: Edit::Crlf }, "a record with CRLF".to_owned()),
    };
    folder.inside.push(entry);
    what
}

fn tamper_cargo_toml(folder: &mut Folder, rng: &mut Rng) -> String {
    let (entry, what) = match rng.below(4) {
        0 | 1 => (link_or_odd("Cargo.toml", rng), "Cargo.toml not a file".to_owned()),
        2 => {
            let version = *rng.pick(VERSIONS);
            let line = format!("version = \"{version}\"");
            (
                Entry::Edit {
                    path: "Cargo.toml".into(),
                    edit: Edit::ReplaceLine { prefix: "version = ".into(), line },
                },
                format!("Cargo.toml of version {version:?}"),
            )
        }
        _ => (
            Entry::Link { path: "src".into(), target: format!("{ROOT}/sentinel/src") },
            "src a link to a folder outside".to_owned(),
        ),
    };
    folder.inside.push(entry);
    what
}

/// `path` as a link to `/dev/zero` or to a file outside, a folder or a pipe.
fn link_or_odd(path: &str, rng: &mut Rng) -> Entry {
    let path = path.to_owned();
    match rng.below(4) {
        0 => Entry::Link { path, target: "/dev/zero".into() },
        1 => Entry::Link { path, target: format!("{ROOT}/sentinel/outside.toml") },
        2 => Entry::Dir { path },
        _ => Entry::Fifo { path },
    }
}

fn name(rng: &mut Rng) -> String {
    match rng.below(NAMES.len() + 2) {
        0 => "a".repeat(100),
        1 => format!("n{}", "é".repeat(rng.between(1, 40))),
        index => NAMES[index - 2].to_owned(),
    }
}

/// No earlier output: a folder of sources that carry codegen's header (as
/// `generated-client/src` does) but no crate codegen wrote. Each is the user's.
fn flat_folder(folder: &mut Folder, rng: &mut Rng) -> String {
    folder.previous_output = false;
    folder.inside.clear();
    folder.foreign.clear();
    let count = rng.between(1, 5);
    for name in rng.several(&["lib.rs", "models.rs", "client.rs", "things.rs", "mine.rs"], count) {
        folder.inside.push(Entry::file(name, header() + "pub fn f() {}\n"));
        folder.foreign.push(name.to_owned());
    }
    "a flat folder of sources with the header".to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases_prepare_every_kind_of_hostile_folder() {
        let cases: Vec<Case> = (0..400).map(|seed| case(&mut Rng::new(seed))).collect();
        let details: String = cases.iter().map(|case| format!("{} {:?}\n", case.detail, case.folder)).collect();
        for expected in [
            "README.md",
            "LICENSE",
            "runtime/src/client.rs",
            "../x",
            "{root}/sentinel/passwd",
            "src/../../x",
            "\\0",
            "Crlf",
            "Absent",
            "a manifest that is a folder",
            "a manifest that links outside",
            "18446744073709551615.0.0",
            "a record of garbage",
            "a record missing lines",
            "a record of 128 MiB",
            "/dev/zero",
            "sentinel/outside.toml",
            "Dir { path: \"Cargo.toml\" }",
            "Fifo",
            "src a link to a folder outside",
            "a flat folder of sources with the header",
            "src/mine.rs",
        ] {
            assert!(details.contains(expected), "never: {expected}");
        }
        assert!(cases.iter().any(|case| case.kind.starts_with("--name ")));
        let names: Vec<String> = (0..300).map(|seed| name(&mut Rng::new(seed))).collect();
        for expected in ["", "fn", "test", "con", "a/b", "1abc", "ünïcödé", &"a".repeat(100)] {
            assert!(names.iter().any(|name| name == expected), "no --name {expected:?}");
        }
        assert!(cases.iter().any(|case| case.checks()));
        for case in &cases {
            let folder = case.folder.as_ref().expect("a folder");
            assert!(!folder.foreign.is_empty(), "{}: something foreign to keep", case.kind);
            assert!(folder.beside.iter().any(|entry| entry.path() == "x"));
        }
    }

    #[test]
    fn the_spec_is_valid() {
        let document: Value = serde_yaml::from_str(&doc::yaml(&document())).expect("YAML");
        assert_eq!(document["paths"].as_object().map(|paths| paths.len()), Some(2));
    }
}
