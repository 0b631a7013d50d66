//! `generated/mod.rs`: the module list, the spec's version facts, and one
//! accessor on `Client` per operation group.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{doc, inner_doc};
use super::{backoff_tokens, ident};
use crate::ir::Api;

pub fn emit(api: &Api) -> TokenStream {
    let about = inner_doc(&[Some(&format!("Generated from {} {}.", api.title, api.version))]);
    let version = &api.version;
    let base_url = match &api.default_base_url {
        Some(url) => quote!(Some(#url)),
        None => quote!(None),
    };
    let retry_policy = match &api.retries {
        Some(policy) => {
            let backoff = backoff_tokens(policy);
            quote!(Some(#backoff))
        }
        None => quote!(None),
    };
    let modules = api.groups.iter().map(|group| ident(&group.module));
    let accessors = api.groups.iter().map(|group| {
        let module = ident(&group.module);
        let handle = ident(&group.type_name);
        let docs = doc(&[Some(&format!("The `{}` operations.", group.module))]);
        quote! {
            #docs
            pub fn #module(&self) -> #module::#handle<'_> {
                #module::#handle { client: self }
            }
        }
    });
    quote! {
        #about

        pub mod models;
        #( pub mod #modules; )*

        /// The API version the client was generated from; sent as `Clerk-API-Version`.
        pub const API_VERSION: &str = #version;

        /// The first server of the spec: the base URL unless the client overrides it.
        pub const DEFAULT_BASE_URL: Option<&str> = #base_url;

        /// The spec's `x-speakeasy-retries`: the backoff of every operation that has
        /// none of its own. `None` means calls are never retried.
        pub const RETRY_POLICY: Option<crate::Backoff> = #retry_policy;

        impl crate::Client {
            #( #accessors )*
        }
    }
}
