//! IR → one token stream per output file. Emitters read only the IR.

mod cargo_toml;
mod checks;
mod docs;
mod features;
mod forms;
mod models;
mod nesting;
mod operations;
mod responses;
mod root;
mod types;
mod unions;

use proc_macro2::TokenStream;

use crate::ir::{Api, RetryPolicy};
use crate::CrateInfo;

pub use docs::one_line;

/// Emits some whole items of a file; only the first piece of a file may hold
/// its inner attributes (`//!` docs). A piece makes its tokens when called, on
/// whichever thread formats it (token streams cannot cross threads).
pub type Piece<'a> = Box<dyn Fn() -> TokenStream + Send + Sync + 'a>;

/// One Rust module of the crate: its path and the pieces that, in order, make it.
pub struct FilePieces<'a> {
    pub path: String,
    pub pieces: Vec<Piece<'a>>,
}

impl FilePieces<'_> {
    /// The tokens of pieces `range`, one after another.
    pub fn tokens(&self, range: std::ops::Range<usize>) -> TokenStream {
        let mut tokens = TokenStream::new();
        for piece in &self.pieces[range] {
            tokens.extend(piece());
        }
        tokens
    }
}

/// The crate's Rust modules (`lib.rs` aside), relative to its folder, in a fixed
/// order, as pieces to emit and format (`format::format_files`).
pub fn files(api: &Api) -> Vec<FilePieces<'_>> {
    // Types that belong to one operation (its form body, the enum of its
    // success responses) live beside the spec's types.
    // Which types the nesting check goes through, worked out once; the pieces
    // of `models` share it, and may be made on other threads.
    let checked = std::sync::Arc::new(nesting::Checked::of(api));
    // Which groups reach each model, and the security most operations have:
    // worked out once, for every file that needs them.
    let features = std::sync::Arc::new(features::Features::of(api));
    let default_security = std::sync::Arc::new(default_security(api));
    let mut models = models::pieces(api, &checked, &features);
    models.extend(forms::pieces(api, &features));
    models.extend(responses::pieces(api, &features));
    let client = {
        let (features, default_security) = (std::sync::Arc::clone(&features), std::sync::Arc::clone(&default_security));
        FilePieces {
            path: "src/client.rs".to_owned(),
            pieces: vec![Box::new(move || root::client_rs(api, features.as_ref().as_ref(), &default_security))],
        }
    };
    let mut files = vec![client, FilePieces { path: "src/models.rs".to_owned(), pieces: models }];
    for group in &api.groups {
        let pieces = operations::pieces(api, group, &checked, &default_security);
        files.push(FilePieces { path: format!("src/{}.rs", group.module), pieces });
    }
    files
}

/// The crate's Rust modules (`lib.rs` aside) as one token stream each, in the
/// order of [`files`].
pub fn emit(api: &Api) -> Vec<(String, TokenStream)> {
    files(api)
        .into_iter()
        .map(|file| {
            let tokens = file.tokens(0..file.pieces.len());
            (file.path, tokens)
        })
        .collect()
}

/// The crate's `src/lib.rs`, starting with `header`: text, in rustfmt's layout.
pub fn lib_rs(api: &Api, krate: &CrateInfo, header: &str) -> String {
    root::lib_rs(api, krate, header)
}

/// The crate's `Cargo.toml`, starting with `header` (a TOML comment).
pub fn cargo_toml(api: &Api, krate: &CrateInfo, header: &str) -> String {
    cargo_toml::emit(api, krate, header)
}

/// An identifier made by `names`, which only makes valid ones.
/// `#[deprecated]` for what the spec marks `deprecated: true`; the one place
/// its note is written.
fn deprecated(deprecated: bool) -> Option<TokenStream> {
    deprecated.then(|| quote::quote!(#[deprecated(note = "deprecated in the API's document")]))
}

fn ident(name: &str) -> proc_macro2::Ident {
    proc_macro2::Ident::new(name, proc_macro2::Span::call_site())
}

/// `Backoff { … }` for a spec retry policy (the crate root re-exports `Backoff`).
/// A `Duration` as a reader counts it: whole seconds as seconds
/// (`from_secs(3600)`, not `from_millis(3600000)`).
fn duration(millis: u64) -> TokenStream {
    if millis.is_multiple_of(1000) {
        let seconds = proc_macro2::Literal::u64_unsuffixed(millis / 1000);
        quote::quote!(std::time::Duration::from_secs(#seconds))
    } else {
        let millis = proc_macro2::Literal::u64_unsuffixed(millis);
        quote::quote!(std::time::Duration::from_millis(#millis))
    }
}

/// The security requirement most operations have (the first of the most
/// common ones, in operation order): `client.rs` makes it the default of
/// every operation's descriptor, so a descriptor names only what differs.
fn default_security(api: &Api) -> Vec<Vec<String>> {
    let mut counts: Vec<(&Vec<Vec<String>>, usize)> = Vec::new();
    for operation in api.operations() {
        match counts.iter_mut().find(|(security, _)| **security == operation.security) {
            Some((_, count)) => *count += 1,
            None => counts.push((&operation.security, 1)),
        }
    }
    // `max_by_key` keeps the last of equal counts; reversed, the first.
    counts.iter().rev().max_by_key(|(_, count)| *count).map(|(security, _)| (*security).clone()).unwrap_or_default()
}

/// `&[&["bearerAuth"]]`: security requirement alternatives as the runtime reads them.
fn security_tokens(security: &[Vec<String>]) -> TokenStream {
    let alternatives = security.iter().map(|schemes| quote::quote!(&[ #( #schemes ),* ]));
    quote::quote!(&[ #( #alternatives ),* ])
}

fn backoff_tokens(policy: &RetryPolicy) -> TokenStream {
    let (initial, max, elapsed) =
        (duration(policy.initial_interval_ms), duration(policy.max_interval_ms), duration(policy.max_elapsed_ms));
    let exponent = proc_macro2::Literal::f64_unsuffixed(policy.exponent);
    let codes = &policy.status_codes;
    let connection = policy.retry_connection_errors;
    quote::quote! {
        crate::Backoff {
            initial_interval: #initial,
            max_interval: #max,
            max_elapsed: #elapsed,
            exponent: #exponent,
            status_codes: &[#( #codes ),*],
            retry_connection_errors: #connection,
        }
    }
}
