//! IR → one token stream per output file. Emitters read only the IR.

mod checks;
mod docs;
mod models;
mod operations;
mod root;
mod types;

use proc_macro2::TokenStream;

use crate::ir::{Api, RetryPolicy};

pub use docs::one_line;

/// Output files, relative to the `generated/` folder, in a fixed order.
pub fn emit(api: &Api) -> Vec<(String, TokenStream)> {
    let mut files = vec![("mod.rs".to_owned(), root::emit(api)), ("models.rs".to_owned(), models::emit(api))];
    for group in &api.groups {
        files.push((format!("{}.rs", group.module), operations::emit(api, group)));
    }
    files
}

/// An identifier made by `names`, which only makes valid ones.
fn ident(name: &str) -> proc_macro2::Ident {
    proc_macro2::Ident::new(name, proc_macro2::Span::call_site())
}

/// `crate::Backoff { … }` for a spec retry policy.
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
