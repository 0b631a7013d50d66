//! IR → one token stream per output file. Emitters read only the IR.

mod cargo_toml;
mod checks;
mod docs;
mod forms;
mod models;
mod operations;
mod responses;
mod root;
mod types;
mod unions;

use proc_macro2::TokenStream;

use crate::ir::{Api, RetryPolicy};
use crate::CrateInfo;

pub use docs::one_line;

/// The crate's Rust modules (`lib.rs` aside), relative to its folder, in a fixed order.
pub fn emit(api: &Api) -> Vec<(String, TokenStream)> {
    // Types that belong to one operation (its form body, the enum of its
    // success responses) live beside the spec's types.
    let models = models::emit(api);
    let forms = forms::emit(api);
    let responses = responses::emit(api);
    let mut files = vec![
        ("src/client.rs".to_owned(), root::client_rs(api)),
        ("src/models.rs".to_owned(), quote::quote!(#models #forms #responses)),
    ];
    for group in &api.groups {
        files.push((format!("src/{}.rs", group.module), operations::emit(api, group)));
    }
    files
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
fn ident(name: &str) -> proc_macro2::Ident {
    proc_macro2::Ident::new(name, proc_macro2::Span::call_site())
}

/// `Backoff { … }` for a spec retry policy (the crate root re-exports `Backoff`).
fn backoff_tokens(policy: &RetryPolicy) -> TokenStream {
    let millis = proc_macro2::Literal::u64_unsuffixed;
    let (initial, max, elapsed) =
        (millis(policy.initial_interval_ms), millis(policy.max_interval_ms), millis(policy.max_elapsed_ms));
    let exponent = proc_macro2::Literal::f64_unsuffixed(policy.exponent);
    let codes = &policy.status_codes;
    let connection = policy.retry_connection_errors;
    quote::quote! {
        crate::Backoff {
            initial_interval: std::time::Duration::from_millis(#initial),
            max_interval: std::time::Duration::from_millis(#max),
            max_elapsed: std::time::Duration::from_millis(#elapsed),
            exponent: #exponent,
            status_codes: &[#( #codes ),*],
            retry_connection_errors: #connection,
        }
    }
}
