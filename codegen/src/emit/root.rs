//! The crate root. `src/lib.rs` holds the crate's docs and declares the
//! modules; `src/client.rs` the root re-exports (models, group handles and the
//! runtime's types), the spec's version facts, and the crate's `Client`: a thin
//! wrapper of the runtime's client with one accessor per operation group.
//!
//! `lib.rs` is written as text in rustfmt's own layout, and marks every module
//! `#[rustfmt::skip]`: prettyplease formats the generated modules, and a
//! `cargo fmt` of the workspace must leave all of them as generated.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{code, doc_lines, own_doc, own_lines};
use super::{backoff_tokens, ident};
use crate::ir::{Api, Content, FormValue, Output};
use crate::CrateInfo;

/// The runtime's types the crate root re-exports (their names are reserved
/// for spec types, see `names::RESERVED_TYPES`).
const RUNTIME_TYPES: &[&str] = &[
    "ApiError",
    "Backoff",
    "Chunk",
    "Error",
    "ErrorBody",
    "ErrorDetail",
    "Items",
    "Keyed",
    "MissingField",
    "Page",
    "Pages",
    "RawBody",
    "Response",
    "Retries",
    "RetrySafety",
    "TimeoutKind",
    "TransportError",
    "UnknownValue",
];

/// The runtime's types the crate root re-exports when some operation uses them:
/// `Bytes`, the body of a success that is not JSON, and `FilePart`, a file of a
/// `multipart/form-data` body.
fn used_runtime_types(api: &Api) -> Vec<&'static str> {
    let bytes = |content: &Content| matches!(content, Content::Bytes { .. });
    let uses_bytes = api.operations().any(|operation| match &operation.output {
        Output::Bytes => true,
        Output::ByStatus(choice) => choice.other || choice.variants.iter().any(|variant| bytes(&variant.content)),
        _ => false,
    });
    let uses_files = api
        .operations()
        .filter_map(|operation| operation.body.as_ref()?.form.as_ref())
        .any(|form| form.fields.iter().any(|field| matches!(field.value, FormValue::File | FormValue::Files)));
    let mut types = Vec::new();
    if uses_bytes {
        types.push("Bytes");
    }
    if uses_files {
        types.push("FilePart");
    }
    types
}

/// Every type `models.rs` defines: the spec's types, their builders and the
/// query parameter structs, sorted.
fn model_names(api: &Api) -> Vec<String> {
    let mut names: Vec<String> = api.types.keys().cloned().collect();
    for def in api.types.values() {
        if let crate::ir::TypeKind::Struct(shape) = &def.kind {
            if shape.fields.iter().filter(|field| field.required).count() > crate::ir::MAX_POSITIONAL {
                names.push(format!("{}Builder", def.name));
            }
        }
    }
    names
        .extend(api.operations().filter_map(|operation| operation.query.as_ref()).map(|query| query.type_name.clone()));
    names.extend(
        api.operations().filter_map(|operation| Some(operation.body.as_ref()?.form.as_ref()?.type_name.clone())),
    );
    names.extend(api.operations().filter_map(|operation| match &operation.output {
        Output::ByStatus(choice) => Some(choice.type_name.clone()),
        _ => None,
    }));
    names.sort();
    names.dedup();
    names
}

/// `src/lib.rs`, after `header`.
pub fn lib_rs(api: &Api, krate: &CrateInfo, header: &str) -> String {
    let crate_ident = krate.name.replace('-', "_");
    let groups: Vec<String> = api
        .groups
        .iter()
        .map(|group| format!("- [`{}`] ({}): [`Client::{}`]", group.type_name, code(&group.title), group.module))
        .collect();
    let example = format!(
        "```no_run\n# async fn example() -> Result<(), {crate_ident}::Error> {{\n\
         let clerk = {crate_ident}::Client::from_env()?; // reads CLERK_SECRET_KEY\n\
         # let _ = clerk;\n# Ok(())\n# }}\n```"
    );
    // The title is spec prose; the rest is the generator's own text.
    let mut about = doc_lines(&[Some(&format!(
        "A typed async client for {} {}, generated from its OpenAPI document.",
        api.name(),
        api.version
    ))]);
    about.push(String::new());
    about.extend(own_lines(&format!(
        "Operation groups, each reached through a method of [`Client`]:\n{}\n\n\
         Every model is in [`models`] and re-exported here. Calls are built by name and sent \
         with `send`; see [`Client`] for the limits a default client works within. Requires a \
         Tokio runtime.",
        groups.join("\n")
    )));
    let mut text = format!("{header}\n");
    for line in about {
        text.push_str(&format!("//!{line}\n"));
    }
    // The example is the generator's own text, not spec prose: it stays Rust
    // and runs as the crate's one doctest.
    text.push_str("//!\n");
    for line in example.lines() {
        text.push_str(&format!("//! {line}\n"));
    }
    text.push_str("\n#![deny(missing_docs)]\n\n");
    let modules = ["client", "models"].into_iter().chain(api.groups.iter().map(|group| group.module.as_str()));
    for module in modules {
        let visibility = if module == "client" { "" } else { "pub " };
        text.push_str(&format!("#[rustfmt::skip]\n{visibility}mod {module};\n"));
    }
    text.push_str("\npub use client::*;\n");
    text
}

/// `src/client.rs`: everything the crate root re-exports.
pub fn client_rs(api: &Api) -> TokenStream {
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
    let handles = api.groups.iter().map(|group| {
        let module = ident(&group.module);
        let handle = ident(&group.type_name);
        quote!(#[doc(inline)] pub use crate::#module::#handle;)
    });
    // Named one by one, so that the root's docs list every model (a glob
    // re-export is only a line there).
    let models: Vec<proc_macro2::Ident> = model_names(api).into_iter().map(|name| ident(&name)).collect();
    // An API without a single type (only bodiless calls) has nothing to re-export.
    let models = (!models.is_empty()).then(|| {
        quote! {
            #[doc(inline)]
            pub use crate::models::{ #( #models ),* };
        }
    });
    let mut runtime_types: Vec<&str> = RUNTIME_TYPES.iter().copied().chain(used_runtime_types(api)).collect();
    runtime_types.sort_unstable();
    let runtime_types = runtime_types.into_iter().map(ident);
    let accessors = api.groups.iter().map(|group| {
        let module = ident(&group.module);
        let handle = ident(&group.type_name);
        let docs = own_doc(&format!("The {} operations.", code(&group.title)));
        quote! {
            #docs
            pub fn #module(&self) -> #handle {
                #handle { client: self.runtime.clone() }
            }
        }
    });
    quote! {
        //! The crate root's items: the client, the spec's version facts, and the
        //! re-exports of the models, the group handles and the runtime's types.

        #models
        #( #handles )*
        #[doc(inline)]
        pub use openapi_client_runtime::{ #( #runtime_types ),* };
        pub use openapi_client_runtime::{http, limits};

        /// The API version the client was generated from; sent as `Clerk-API-Version`.
        pub const API_VERSION: &str = #version;

        /// The first server of the spec: the base URL unless the client sets one.
        pub const DEFAULT_BASE_URL: Option<&str> = #base_url;

        /// The spec's `x-speakeasy-retries`: the backoff of every operation that has
        /// none of its own. `None` means calls are never retried.
        pub const RETRY_POLICY: Option<Backoff> = #retry_policy;

        /// What the runtime needs to know of this API.
        pub(crate) static API: openapi_client_runtime::Api = openapi_client_runtime::Api {
            version: API_VERSION,
            default_base_url: DEFAULT_BASE_URL,
            user_agent: concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")),
        };

        /// A client of this API. Cheap to clone: clones share one connection pool.
        ///
        /// By default every attempt has 30 s, connecting 10 s, a call makes at most 4
        /// attempts (3 retries) within 30 s, and the whole call ends after 60 s at the
        /// latest (see [`limits`]). Redirects are never followed and response bodies
        /// are capped.
        #[derive(Debug, Clone)]
        pub struct Client {
            runtime: openapi_client_runtime::Client,
        }

        /// Settings for a [`Client`], from [`Client::builder`].
        pub type ClientBuilder = openapi_client_runtime::ClientBuilder<Client>;

        impl Client {
            /// A client for the spec's server, authenticating with `secret_key`.
            pub fn new(secret_key: impl Into<String>) -> Result<Client, Error> {
                Self::builder(secret_key).build()
            }

            /// A client using the secret key in the `CLERK_SECRET_KEY` environment variable.
            pub fn from_env() -> Result<Client, Error> {
                ClientBuilder::from_env(&API)?.build()
            }

            /// Starts a client with other settings (base URL, time limits, retries).
            pub fn builder(secret_key: impl Into<String>) -> ClientBuilder {
                ClientBuilder::new(&API, secret_key)
            }

            /// The base URL requests go to.
            pub fn base_url(&self) -> &str {
                self.runtime.base_url()
            }

            /// The same client (same connection pool) with another per-attempt
            /// timeout, for the calls made through it.
            pub fn with_timeout(&self, timeout: std::time::Duration) -> Client {
                Client { runtime: self.runtime.with_timeout(timeout) }
            }

            /// The same client with another deadline for each whole call.
            pub fn with_deadline(&self, deadline: std::time::Duration) -> Client {
                Client { runtime: self.runtime.with_deadline(deadline) }
            }

            /// The same client with other retry settings, e.g. `Retries::off()`.
            pub fn with_retries(&self, retries: Retries) -> Client {
                Client { runtime: self.runtime.with_retries(retries) }
            }

            /// The runtime's client, e.g. to share one connection pool with the
            /// client of another generated crate (`other::Client::from(..)`).
            pub fn runtime(&self) -> &openapi_client_runtime::Client {
                &self.runtime
            }

            #( #accessors )*
        }

        impl From<openapi_client_runtime::Client> for Client {
            fn from(runtime: openapi_client_runtime::Client) -> Self {
                Client { runtime }
            }
        }
    }
}
