//! The code generator behind `cargo xtask codegen`: an OpenAPI 3.0 document in,
//! the source files of a typed Rust client crate out.
//!
//! ```text
//! spec ─load─▶ openapiv3::OpenAPI ─select─▶ operations ─lower─▶ ir::Api
//!      ─emit─▶ TokenStream per file ─format─▶ source text ─files─▶ DIR/
//! ```
//!
//! The facade is [`generate`] (or [`generate_from`] for a parsed document) with
//! [`Options`], giving a [`Generated`] crate or an [`Error`] naming the place in
//! the document; [`files::write`] puts the files in a folder. Every stage
//! returns `Result<_, Error>`, and nothing is written unless all succeed.
//!
//! ```
//! use codegen::{Options, Selection};
//!
//! let spec = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/organization-invitations.yaml");
//! let generated = codegen::generate(spec.as_ref(), &Options::new(Selection::default()))?;
//! assert_eq!(generated.api.operations().count(), 7);
//! assert!(generated.files.iter().any(|file| file.path == "src/models.rs"));
//! # Ok::<(), codegen::Error>(())
//! ```
//!
//! The other public modules are what the tooling around it needs: the stages
//! themselves (`load`, `select`, `lower`, `emit`, `format`, `files`), timed one
//! by one by `tools/bench`; the IR (`ir`), which the contract checks call from;
//! the API-surface listing and the semver record (`surface`, `semver`); drift
//! against an upstream document (`drift`); and the naming and retry rules the
//! tests check (`names`, `retries`). Layout, by stage:
//! - `load/`: reading YAML or JSON within limits, `$ref`ed path items,
//!   cutting the document down to the selection, and locating errors;
//! - `select`: which operations a tag or operationIds pick;
//! - `lower/`: operations, parameters, forms, schemas, composition, shapes,
//!   recursion, nesting limits and reachability, into `ir`;
//! - `emit/`: one module per kind of item (models, unions, forms, responses,
//!   operations, checks, docs, types, root, `Cargo.toml`);
//! - `format/`: prettyplease, in chunks on threads;
//! - `files/`: what codegen owns in a folder, written through directory handles.

mod conversions;
pub mod drift;
pub mod embed;
pub mod emit;
mod error;
pub mod files;
pub mod format;
pub mod ir;
pub mod load;
pub mod lower;
pub mod names;
mod package_name;
mod pagination;
mod prose;
pub mod retries;
pub mod select;
pub mod semver;
pub mod surface;
mod template;

use std::path::Path;

pub use error::{Error, Warning};
pub use files::GeneratedFile;
pub use select::Selection;

/// The generated client: its IR (for the API-surface listing), its files, the
/// semver impact against the recorded API, when there was a record, and what
/// was tolerated on the way (`cargo xtask codegen` prints each as a
/// `warning: … (at POINTER)` line and still succeeds).
#[derive(Debug, Clone)]
pub struct Generated {
    pub api: ir::Api,
    pub files: Vec<GeneratedFile>,
    pub semver: Option<semver::Report>,
    pub warnings: Vec<Warning>,
}

/// What to generate: which operations, and the crate they become.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    pub selection: Selection,
    /// The crate's package facts. An empty `name` is derived from the
    /// document's title and the selected tag (see [`crate_name`]).
    pub krate: CrateInfo,
    /// The header `info.version` is sent in with every call, for an API that
    /// asks for its version so (Clerk's `Clerk-API-Version`); none by default.
    pub version_header: Option<String>,
    /// The environment variable the client reads its secret from; by default
    /// `{FIRST WORD OF THE TITLE}_SECRET_KEY` (`CLERK_SECRET_KEY`).
    pub secret_var: Option<String>,
    /// The crate's `public-api.txt` as it is, if it has one: the version is
    /// then decided by comparing with it (see `semver`).
    pub previous: Option<semver::Record>,
    /// Which enums are open; all of them unless set otherwise.
    pub open_enums: lower::OpenEnums,
    /// Leave out, with a warning each, the operations the generator cannot
    /// express, instead of refusing the whole selection.
    pub skip_unsupported: bool,
}

impl Options {
    /// The operations of `selection`, as a crate named after them.
    pub fn new(selection: Selection) -> Self {
        Options {
            selection,
            krate: CrateInfo::named(String::new()),
            version_header: None,
            secret_var: None,
            previous: None,
            open_enums: lower::OpenEnums::All,
            skip_unsupported: false,
        }
    }
}

/// The package name of the crate generated from the document titled `title`
/// for the operations tagged `tag`: the title's first word, then the tag
/// (`Clerk Backend API`, `Email Addresses` → `clerk-email-addresses`;
/// `Organization Invitations` → `clerk-invitations`), or the whole title for
/// every operation (`GitHub v3 REST API` → `github-v3-rest-api`). A name
/// cargo would refuse (a title that starts with a digit) gets `api-` in
/// front. The one home of this rule; `--name` overrides it.
pub fn crate_name(tag: Option<&str>, title: Option<&str>) -> String {
    let words = title_words(title);
    let first = words.first().map(String::as_str).unwrap_or("api");
    let name = match tag {
        Some(tag) if tag == select::DEFAULT_TAG => format!("{first}-invitations"),
        Some(tag) => format!("{first}-{}", heck::ToKebabCase::to_kebab_case(names::snake_name(tag).as_str())),
        None if words.is_empty() => "api-client".to_owned(),
        None => words.join("-"),
    };
    let name: String = name.chars().take(package_name::MAX_LENGTH).collect();
    let name = name.trim_end_matches('-').to_owned();
    match package_name::check(&name) {
        Ok(()) => name,
        Err(_) => format!("api-{name}").chars().take(package_name::MAX_LENGTH).collect(),
    }
}

/// Refuses a package name (`--name`) cargo or crates.io would refuse, the
/// empty one included.
pub fn check_package_name(name: &str) -> Result<(), Error> {
    package_name::check(name)
}

/// The environment variable of a client's secret by default:
/// `CLERK_SECRET_KEY` for `Clerk Backend API`.
pub fn secret_var(title: Option<&str>) -> String {
    match title_words(title).first() {
        Some(first) if first.starts_with(|c: char| c.is_ascii_alphabetic()) => {
            format!("{}_SECRET_KEY", first.to_ascii_uppercase())
        }
        _ => "API_SECRET_KEY".to_owned(),
    }
}

/// The title's words, each its ASCII letters and digits in lowercase, the
/// empty ones left out: what names are made of.
fn title_words(title: Option<&str>) -> Vec<String> {
    title
        .unwrap_or_default()
        .split_whitespace()
        .map(|word| word.chars().filter(char::is_ascii_alphanumeric).collect::<String>().to_ascii_lowercase())
        .filter(|word| !word.is_empty())
        .collect()
}

/// The generated crate's package facts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrateInfo {
    /// The package name, e.g. `clerk-invitations`.
    pub name: String,
    pub version: String,
    /// `rust-version`, when the crate declares one.
    pub rust_version: Option<String>,
    /// The runtime version the generated code is written for (a compatible range).
    pub runtime_version: String,
    /// Where the runtime is, relative to the crate's folder (or absolute), for a
    /// path dependency; `None` depends on the published runtime only.
    pub runtime_path: Option<String>,
    /// Whether the crate has a `README.md` beside its `Cargo.toml`.
    pub readme: bool,
}

/// The runtime release the generated code is written for: 0.1.1 added what
/// header parameters, multipart bodies, non-JSON and per-status responses and
/// lists without a total call (`__private`, `FilePart`, `Bytes`); 0.1.2 added
/// `__private::push_segment` (a path written into one `String`) and
/// `__private::deserialize_open_enum` (enums decoded without a `String` per value);
/// 0.2.0 is the deliberate breaking release that issues 13 to 17 build up (their
/// closing notes list what each broke).
pub const RUNTIME_VERSION: &str = "0.2.0";

/// The range of runtime releases `version` is compatible with, as Cargo reads
/// a caret requirement: `0.2.0` → `0.2`, `1.4.2` → `1`.
fn compatible_range(version: &str) -> String {
    let mut parts = version.split('.');
    match (parts.next(), parts.next()) {
        (Some("0"), Some(minor)) => format!("0.{minor}"),
        (Some(major), _) => major.to_owned(),
        (None, _) => version.to_owned(),
    }
}

impl CrateInfo {
    pub fn named(name: impl Into<String>) -> Self {
        CrateInfo {
            name: name.into(),
            version: "0.1.0".to_owned(),
            rust_version: None,
            runtime_version: RUNTIME_VERSION.to_owned(),
            runtime_path: None,
            readme: false,
        }
    }
}

/// Loads the document at `spec` and generates the crate `options` describe. Only
/// the selected operations and what they reach are read (`load::read_selection`).
pub fn generate(spec: &Path, options: &Options) -> Result<Generated, Error> {
    check_options(options)?;
    let document = load::read_selection(spec, &options.selection)?;
    let (api, warnings) = lower_selected(&document, options)?;
    let kept = embed::document_rs(&document, &api, &format::header(api.name(), &api.version))?;
    // The IR and the kept document hold all that is needed from here on.
    drop(document);
    let options = named(options, &api);
    generate_lowered(api, warnings, kept, &options)
}

/// Generates the crate `options` describe from a parsed document.
pub fn generate_from(document: &openapiv3::OpenAPI, options: &Options) -> Result<Generated, Error> {
    check_options(options)?;
    let (api, warnings) = lower_selected(document, options)?;
    let kept = embed::document_rs(document, &api, &format::header(api.name(), &api.version))?;
    let options = named(options, &api);
    generate_lowered(api, warnings, kept, &options)
}

/// Refuses, before reading the document, a name or setting that could not
/// make a crate that builds.
fn check_options(options: &Options) -> Result<(), Error> {
    if !options.krate.name.is_empty() {
        package_name::check(&options.krate.name)?;
    }
    if let Some(header) = &options.version_header {
        if !lower::is_header_name(header) || lower::is_client_header(header) {
            return Err(Error::new(format!("the version header {header:?} is not a header the client may send")));
        }
    }
    if let Some(var) = &options.secret_var {
        let valid = !var.is_empty() && var.bytes().all(|byte| byte.is_ascii_alphanumeric() || byte == b'_');
        if !valid || var.as_bytes()[0].is_ascii_digit() {
            return Err(Error::new(format!(
                "the environment variable {var:?} must be ASCII letters, digits and `_`, not starting with a digit"
            )));
        }
    }
    Ok(())
}

/// `options` with the crate's name, when it was left empty, derived from the
/// document.
fn named(options: &Options, api: &ir::Api) -> Options {
    let mut options = options.clone();
    if options.krate.name.is_empty() {
        options.krate.name = crate_name(options.selection.tag.as_deref(), api.title.as_deref());
    }
    options
}

/// The IR of the operations `options` select, and the warnings on the way.
fn lower_selected(document: &openapiv3::OpenAPI, options: &Options) -> Result<(ir::Api, Vec<Warning>), Error> {
    let selected = select::select(document, &options.selection)?;
    let (mut api, warnings) = lower::lower(
        document,
        &selected,
        options.open_enums,
        options.skip_unsupported,
        options.version_header.as_deref(),
    )?;
    if !api.schemes.is_empty() {
        api.secret_var = Some(options.secret_var.clone().unwrap_or_else(|| secret_var(api.title.as_deref())));
    }
    Ok((api, warnings))
}

/// The crate's files from its IR, and `document_rs` (see `embed`).
fn generate_lowered(
    api: ir::Api,
    warnings: Vec<Warning>,
    document_rs: String,
    options: &Options,
) -> Result<Generated, Error> {
    let header = format::header(api.name(), &api.version);
    let mut files =
        vec![GeneratedFile { path: "src/lib.rs".to_owned(), contents: emit::lib_rs(&api, &options.krate, &header) }];
    {
        let modules = emit::files(&api);
        let formatted = format::format_files(&modules, &header)?;
        for (module, contents) in modules.iter().zip(formatted) {
            files.push(GeneratedFile { path: module.path.clone(), contents });
        }
    }
    files.push(GeneratedFile { path: embed::DOCUMENT_FILE.to_owned(), contents: document_rs });

    // The version: the recorded one, bumped as far as the change calls for (or
    // further, if someone set a higher one by hand).
    // The runtime's compatible range is part of the API: the generated crate
    // re-exports its types, so a new incompatible runtime is a breaking change.
    let surface = format!(
        "runtime openapi-client-runtime = {:?}\n{}",
        compatible_range(&options.krate.runtime_version),
        surface::surface(&api)
    );
    let digest = semver::digest(files.iter().map(|file| (file.path.as_str(), file.contents.as_str())));
    let current = semver::Version::parse(&options.krate.version)
        .ok_or_else(|| Error::new(format!("crate version `{}` is not major.minor.patch", options.krate.version)))?;
    let report = options.previous.as_ref().map(|record| semver::compare(record, &surface, &digest)).transpose()?;
    let version = match &report {
        Some(report) => report.to.max(current),
        None => current,
    };
    let krate = CrateInfo { version: version.to_string(), ..options.krate.clone() };
    let hash_header = format::toml_header(&header);
    files.insert(
        0,
        GeneratedFile { path: "Cargo.toml".to_owned(), contents: emit::cargo_toml(&api, &krate, &hash_header) },
    );
    let record = semver::Record { version, digest, surface };
    files.push(GeneratedFile {
        path: semver::RECORD_FILE.to_owned(),
        contents: record.to_text(&hash_header, &krate.name),
    });
    Ok(Generated { api, files, semver: report, warnings })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_runtime_range_is_what_cargo_reads_from_a_caret_requirement() {
        assert_eq!(compatible_range("0.2.0"), "0.2");
        assert_eq!(compatible_range("0.2.7"), "0.2");
        assert_eq!(compatible_range("1.4.2"), "1");
    }

    #[test]
    fn a_blank_title_is_no_title() {
        let text = "openapi: 3.0.3\ninfo: {title: \" \\t\", version: '1'}\npaths:\n  /t:\n    get:\n      \
                    operationId: GetT\n      responses: {'204': {description: ''}}\n";
        let document: openapiv3::OpenAPI = serde_yaml::from_str(text).expect("a document");
        let options = Options::new(Selection { tag: None, operation_ids: Vec::new() });
        let generated = generate_from(&document, &options).expect("it generates");
        assert_eq!(generated.api.title, None);
        let lib = &generated.files.iter().find(|file| file.path == "src/lib.rs").expect("lib.rs").contents;
        assert!(lib.starts_with("// @generated by `cargo xtask codegen` from an untitled API 1."), "{lib}");
        assert!(lib.contains("//! A typed async client for an untitled API 1,"), "{lib}");
    }

    #[test]
    fn a_new_incompatible_runtime_is_a_breaking_change() {
        let old = semver::Record {
            version: semver::Version::parse("0.3.1").unwrap(),
            digest: "x".to_owned(),
            surface: "runtime openapi-client-runtime = \"0.2\"\nconst API_VERSION = \"v1\"\n".to_owned(),
        };
        let report =
            semver::compare(&old, "runtime openapi-client-runtime = \"0.3\"\nconst API_VERSION = \"v1\"\n", "x")
                .unwrap();
        assert_eq!(report.level, semver::Level::Breaking, "{report}");
        assert_eq!(report.to.to_string(), "0.4.0");
    }
}
