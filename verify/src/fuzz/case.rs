//! What the fuzz works with: its options, the classes of hostile input, a
//! case and what its class expects of it.

use std::path::PathBuf;

use super::sandbox::Entry;

/// The options of `cargo xtask fuzz` (parsed by xtask's command line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FuzzOptions {
    pub cases: usize,
    pub seed: u64,
    /// How many distinct generated outputs to build with cargo.
    pub compile: usize,
    pub spec: PathBuf,
    /// The classes to run (`--class`); empty means every class.
    pub classes: Vec<Class>,
}

/// The kinds of hostile input, one generator each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Class {
    /// Random mutations of `spec/`.
    Mutations,
    /// Composition loops with no container between, and their valid neighbours.
    AliasLoops,
    /// Parameter, property and form field names a generated builder already uses.
    BuilderClashes,
    /// Every nesting limit at limit-1, limit and limit+1.
    DepthLimits,
    /// Empty and whitespace-only prose wherever prose is read.
    EmptyProse,
    /// `multipart/form-data` bodies with list fields and odd field names.
    MultipartLists,
    /// Free-form values under unions, maps, lists and structs.
    FreeFormUnions,
    /// Tampered output folders, records and package names.
    HostileFiles,
    /// Several groups, named like the crate's features or each other, sharing models.
    GroupFeatures,
    /// Text that would end a Rust string literal, where the kept document carries it.
    KeptLiterals,
}

impl Class {
    pub const ALL: [Class; 10] = [
        Class::Mutations,
        Class::AliasLoops,
        Class::BuilderClashes,
        Class::DepthLimits,
        Class::EmptyProse,
        Class::MultipartLists,
        Class::FreeFormUnions,
        Class::HostileFiles,
        Class::GroupFeatures,
        Class::KeptLiterals,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Class::Mutations => "mutations",
            Class::AliasLoops => "alias-loops",
            Class::BuilderClashes => "builder-clashes",
            Class::DepthLimits => "depth-limits",
            Class::EmptyProse => "empty-prose",
            Class::MultipartLists => "multipart-lists",
            Class::FreeFormUnions => "free-form-unions",
            Class::HostileFiles => "hostile-files",
            Class::GroupFeatures => "group-features",
            Class::KeptLiterals => "kept-literals",
        }
    }

    pub fn parse(name: &str) -> Option<Class> {
        Class::ALL.into_iter().find(|class| class.name() == name)
    }

    pub(super) fn index(self) -> usize {
        Class::ALL.iter().position(|class| *class == self).unwrap_or(0)
    }
}

/// What a class expects of codegen on a case, beyond what every case must do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// Exit 0; the output must compile when it is sampled.
    Generate,
    /// Exit 1 with one `error:` line naming a JSON pointer (`(at #/…)`).
    RefuseAt,
    /// Exit 1 with one `error:` line.
    Refuse,
    /// Either, as long as the run ends well.
    Either,
}

/// One case.
#[derive(Debug, Clone)]
pub struct Case {
    /// What the case is, in a few words; samples are drawn round-robin over
    /// the kinds of a class, so the compiled ones differ.
    pub kind: String,
    /// More about it, for the report of a broken case.
    pub detail: String,
    pub spec: String,
    /// Whether the spec is JSON (`spec.json`) rather than YAML.
    pub json: bool,
    /// Arguments besides `--spec` and `--out`; `--name` is added unless given.
    pub args: Vec<String>,
    pub expect: Expect,
    /// How to prepare the output folder (`hostile-files`); without, it does not exist.
    pub folder: Option<Folder>,
}

impl Case {
    pub fn new(kind: impl Into<String>, spec: String, expect: Expect) -> Case {
        Case { kind: kind.into(), detail: String::new(), spec, json: false, args: Vec::new(), expect, folder: None }
    }

    /// Whether codegen runs with `--check` (compares, writes nothing).
    pub fn checks(&self) -> bool {
        self.args.iter().any(|arg| arg == "--check")
    }
}

/// An output folder prepared before the run, and what must survive it.
#[derive(Debug, Clone, Default)]
pub struct Folder {
    /// First write what codegen writes for the case's spec with `--all-tags`,
    /// as an earlier run would have left it.
    pub previous_output: bool,
    /// Put into the output folder after that (replacing what is there).
    pub inside: Vec<Entry>,
    /// Put beside the output folder: a sentinel the run must not change.
    pub beside: Vec<Entry>,
    /// Paths in the output folder that codegen did not write: each must be
    /// there, byte for byte, after the run.
    pub foreign: Vec<String>,
}

pub(super) fn case_name(class: Class, number: usize) -> String {
    format!("{}-{number:04}", class.name())
}
