//! The code generator behind `cargo xtask codegen`.
//!
//! ```text
//! spec ─load─▶ openapiv3::OpenAPI ─select─▶ operations ─lower─▶ ir::Api
//!      ─emit─▶ TokenStream per file ─format─▶ source text ─files─▶ generated/
//! ```
//!
//! Every stage returns `Result<_, Error>`; nothing is written unless all succeed.

pub mod drift;
pub mod emit;
mod error;
pub mod files;
pub mod format;
pub mod ir;
pub mod load;
pub mod lower;
pub mod names;
pub mod pagination;
pub mod retries;
pub mod select;
pub mod surface;
pub mod template;

use std::path::Path;

pub use error::Error;
pub use files::GeneratedFile;
pub use select::Selection;

/// The generated client: its IR (for the API-surface listing) and its files.
#[derive(Debug, Clone)]
pub struct Generated {
    pub api: ir::Api,
    pub files: Vec<GeneratedFile>,
}

/// Loads the document at `spec` and generates the client for `selection`.
pub fn generate(spec: &Path, selection: &Selection) -> Result<Generated, Error> {
    let document = load::read_document(spec)?;
    generate_from(&document, selection)
}

/// Generates the client for `selection` from a parsed document.
pub fn generate_from(document: &openapiv3::OpenAPI, selection: &Selection) -> Result<Generated, Error> {
    let selected = select::select(document, selection)?;
    let api = lower::lower(document, &selected)?;
    let header = format::header(&api.title, &api.version);
    let files = emit::emit(&api)
        .into_iter()
        .map(|(path, tokens)| {
            let contents = format::format_file(&path, tokens, &header)?;
            Ok(GeneratedFile { path, contents })
        })
        .collect::<Result<Vec<_>, Error>>()?;
    Ok(Generated { api, files })
}
