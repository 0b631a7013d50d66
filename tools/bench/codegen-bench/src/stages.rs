//! Our pipeline in-process, one stage at a time, as `codegen::generate` runs it.

use std::path::Path;
use std::time::Instant;

use codegen::{emit, files, format, load, lower, select, semver, surface, GeneratedFile, Options, Selection};

/// The stages in the order they run, as `StageTimes::ms` lists them. Emitting
/// and formatting are one stage: each formatting thread emits the tokens of the
/// items it formats (token streams cannot cross threads), so the two overlap.
pub const STAGES: [&str; 6] = ["load", "select", "lower", "emit+format", "manifest", "write"];

/// Milliseconds per stage (in `STAGES` order) for one run, and its operation count.
pub struct StageTimes {
    pub ms: [f64; 6],
    pub operations: usize,
}

/// Generates every operation of `spec` into `out` (which should be empty),
/// timing each stage. This mirrors `codegen::generate_from` step by step: when
/// the pipeline changes (a stage parallelised, say), this one function follows.
/// "manifest" is what `generate_from` does after formatting: the public-API
/// surface, the semver digest, `Cargo.toml` and `public-api.txt`.
pub fn stage_times(spec: &Path, out: &Path) -> Result<StageTimes, String> {
    let options = Options::new(Selection { tag: None, operation_ids: Vec::new() });
    let error = |error: codegen::Error| error.to_string();
    let mut ms = [0.0; 6];
    let mut clock = Instant::now();
    let mut lap = |stage: usize| {
        ms[stage] = clock.elapsed().as_secs_f64() * 1000.0;
        clock = Instant::now();
    };

    let document = load::read_selection(spec, &options.selection).map_err(error)?;
    lap(0);
    let selected = select::select(&document, &options.selection).map_err(error)?;
    lap(1);
    let (mut api, _warnings) = lower::lower(
        &document,
        &selected,
        options.open_enums,
        options.skip_unsupported,
        options.version_header.as_deref(),
    )
    .map_err(error)?;
    if !api.schemes.is_empty() {
        api.secret_var = Some(codegen::secret_var(api.title.as_deref()));
    }
    // As `codegen::generate` does: the IR holds all that is needed from here on.
    drop(document);
    lap(2);
    let header = format::header(api.name(), &api.version);
    let mut generated =
        vec![GeneratedFile { path: "src/lib.rs".to_owned(), contents: emit::lib_rs(&api, &options.krate, &header) }];
    let modules = emit::files(&api);
    let formatted = format::format_files(&modules, &header).map_err(error)?;
    for (module, contents) in modules.iter().zip(formatted) {
        generated.push(GeneratedFile { path: module.path.clone(), contents });
    }
    lap(3);
    let surface = surface::surface(&api);
    let digest = semver::digest(generated.iter().map(|file| (file.path.as_str(), file.contents.as_str())));
    let hash_header = format::toml_header(&header);
    let cargo_toml = emit::cargo_toml(&api, &options.krate, &hash_header);
    generated.insert(0, GeneratedFile { path: "Cargo.toml".to_owned(), contents: cargo_toml });
    let version = semver::Version::parse(&options.krate.version).ok_or("bad crate version")?;
    let record = semver::Record { version, digest, surface };
    generated.push(GeneratedFile {
        path: semver::RECORD_FILE.to_owned(),
        contents: record.to_text(&hash_header, &options.krate.name),
    });
    lap(4);
    files::write(out, &generated).map_err(error)?;
    lap(5);
    Ok(StageTimes { ms, operations: api.operations().count() })
}
