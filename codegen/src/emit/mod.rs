//! IR → one token stream per output file. Emitters read only the IR.

mod docs;
mod models;
mod operations;
mod root;

use proc_macro2::TokenStream;

use crate::ir::Api;

/// Output files, relative to the `generated/` folder, in a fixed order.
pub fn emit(api: &Api) -> Vec<(String, TokenStream)> {
    let mut files = vec![("mod.rs".to_owned(), root::emit(api)), ("models.rs".to_owned(), models::emit(api))];
    for group in &api.groups {
        files.push((format!("{}.rs", group.module), operations::emit(api, group)));
    }
    files
}

/// Parses a type the IR spelled out (`Option<Vec<models::X>>`) into tokens.
/// The spelling is built in one place (`ir::TypeRef::rust`), so the emitted code
/// and the API-surface listing cannot disagree.
fn type_tokens(text: &str) -> TokenStream {
    match syn::parse_str::<syn::Type>(text) {
        Ok(ty) => quote::ToTokens::into_token_stream(ty),
        // Names come from `names`, so they always parse; keep the text visible if not.
        Err(_) => quote::quote!(compile_error!(#text)),
    }
}

fn ident(name: &str) -> proc_macro2::Ident {
    proc_macro2::Ident::new(name, proc_macro2::Span::call_site())
}
