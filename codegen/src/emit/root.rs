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
use crate::ir::{Api, Content, ErrorStyle, FormValue, Output, SchemeKind};
use crate::CrateInfo;

/// The runtime's types the crate root re-exports (their names are reserved
/// for spec types, see `names::RESERVED_TYPES`).
const RUNTIME_TYPES: &[&str] = &[
    "ApiError",
    "Backoff",
    "Chunk",
    "Error",
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
    let make = match &api.secret_var {
        Some(var) => format!("{crate_ident}::Client::from_env()?; // reads {var}"),
        None => format!("{crate_ident}::Client::new()?;"),
    };
    let example = format!(
        "```no_run\n# async fn example() -> Result<(), {crate_ident}::Error> {{\n\
         let client = {make}\n\
         # let _ = client;\n# Ok(())\n# }}\n```"
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
    let grouped = super::features::per_group(api);
    for module in modules {
        let visibility = if module == "client" { "" } else { "pub " };
        // A group's module sits behind its feature (see `emit::features`).
        let cfg = if grouped && !matches!(module, "client" | "models") {
            format!("#[cfg(feature = \"{}\")]\n", super::features::feature_name(&api.groups, module))
        } else {
            String::new()
        };
        text.push_str(&format!("{cfg}#[rustfmt::skip]\n{visibility}mod {module};\n"));
    }
    // The document the test kit reads: not even opened without the feature.
    text.push_str("#[cfg(feature = \"test-util\")]\nmod document;\n");
    text.push_str("\npub use client::*;\n");
    text
}

/// `src/client.rs`: everything the crate root re-exports.
/// `features`: the crate's group features, if it has them; `default_security`:
/// what `crate::operation` gives every descriptor.
pub fn client_rs(
    api: &Api,
    features: Option<&super::features::Features>,
    default_security: &[Vec<String>],
) -> TokenStream {
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
    // A group's feature, in a crate with group features.
    let group_cfg = |module: &str| {
        let feature = super::features::feature_name(&api.groups, module);
        features.is_some().then(|| quote!(#[cfg(feature = #feature)]))
    };
    let handles: Vec<TokenStream> = api
        .groups
        .iter()
        .map(|group| {
            let module = ident(&group.module);
            let handle = ident(&group.type_name);
            let cfg = group_cfg(&group.module);
            quote!(#cfg #[doc(inline)] pub use crate::#module::#handle;)
        })
        .collect();
    // Named one by one, so that the root's docs list every model (a glob
    // re-export is only a line there); one list per gate, the ungated first.
    let mut gated: Vec<(String, Option<TokenStream>, Vec<proc_macro2::Ident>)> = Vec::new();
    for name in model_names(api) {
        let cfg = features.and_then(|features| features.names_cfg(api, &name));
        let key = cfg.as_ref().map(ToString::to_string).unwrap_or_default();
        match gated.iter_mut().find(|(existing, _, _)| *existing == key) {
            Some((_, _, names)) => names.push(ident(&name)),
            None => gated.push((key, cfg, vec![ident(&name)])),
        }
    }
    gated.sort_by(|a, b| a.0.cmp(&b.0));
    // An API without a single type (only bodiless calls) has nothing to re-export.
    let models = gated.into_iter().map(|(_, cfg, models)| {
        quote! {
            #cfg
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
        let cfg = group_cfg(&group.module);
        quote! {
            #docs
            #cfg
            pub fn #module(&self) -> #handle {
                #handle { client: self.runtime.clone() }
            }
        }
    });
    let description = description(api);
    let default_security = super::security_tokens(default_security);
    // With every group's feature off, no operation is left to use it.
    let unused_without_groups = features.is_some().then(|| quote!(#[allow(dead_code)]));
    let DescriptionTokens {
        version_doc,
        secret_var_const,
        constant_headers,
        schemes,
        secret_var,
        errors,
        error_body,
        client_doc,
        constructors,
    } = description;
    quote! {
        //! The crate root's items: the client, the spec's version facts, the
        //! description of the API the runtime works from, and the re-exports of
        //! the models, the group handles and the runtime's types.

        #( #models )*
        #( #handles )*
        #[doc(inline)]
        pub use openapi_client_runtime::{ #( #runtime_types ),* };
        pub use openapi_client_runtime::{http, limits};

        #version_doc
        pub const API_VERSION: &str = #version;

        /// The first server of the spec: the base URL unless the client sets one.
        pub const DEFAULT_BASE_URL: Option<&str> = #base_url;

        /// The spec's `x-speakeasy-retries`: the backoff of every operation that has
        /// none of its own. `None` means calls are never retried.
        pub const RETRY_POLICY: Option<Backoff> = #retry_policy;

        #secret_var_const

        /// What the runtime needs to know of this API, written from its document.
        pub(crate) static API: openapi_client_runtime::Api = openapi_client_runtime::Api {
            default_base_url: DEFAULT_BASE_URL,
            user_agent: concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")),
            headers: &[ #( #constant_headers ),* ],
            schemes: &[ #( #schemes ),* ],
            secret_var: #secret_var,
            errors: #errors,
        };

        /// An operation's descriptor with what most operations share: the retry
        /// policy above and their security requirement.
        #unused_without_groups
        pub(crate) const fn operation(
            id: &'static str,
            method: openapi_client_runtime::__private::HttpMethod,
            path: &'static str,
            safety: RetrySafety,
        ) -> openapi_client_runtime::__private::Operation {
            openapi_client_runtime::__private::Operation {
                id,
                method,
                path,
                safety,
                backoff: RETRY_POLICY,
                security: #default_security,
                api: &API,
            }
        }

        #error_body

        /// A client of this API. Cheap to clone: clones share one connection pool.
        ///
        /// By default every attempt has 30 s, connecting 10 s, a call makes at most 4
        /// attempts (3 retries) within 30 s, and the whole call ends after 60 s at the
        /// latest (see [`limits`]). Redirects are never followed and response bodies
        /// are capped.
        ///
        #client_doc
        #[derive(Debug, Clone)]
        pub struct Client {
            runtime: openapi_client_runtime::Client,
        }

        /// Settings for a [`Client`], from [`Client::builder`].
        pub type ClientBuilder = openapi_client_runtime::ClientBuilder<Client>;

        impl Client {
            #constructors
            #( #accessors )*
        }

        // `builder`, `base_url`, `with_timeout`, `with_deadline`, `with_retries`,
        // `runtime`, `From<openapi_client_runtime::Client>` and `mod test_util`.
        openapi_client_runtime::__private::client_methods!(Client, API);
    }
}

/// The parts of `client.rs` that describe the API to the runtime and to
/// readers: what differs from one document to another.
struct DescriptionTokens {
    version_doc: TokenStream,
    secret_var_const: TokenStream,
    constant_headers: Vec<TokenStream>,
    schemes: Vec<TokenStream>,
    secret_var: TokenStream,
    errors: TokenStream,
    error_body: TokenStream,
    client_doc: TokenStream,
    constructors: TokenStream,
}

fn description(api: &Api) -> DescriptionTokens {
    let version_header = api.constant_headers.iter().find(|(_, value)| *value == api.version).map(|(name, _)| name);
    let version_doc = own_doc(&match version_header {
        Some(name) => format!("The API version the client was generated from; sent as {}.", code(name)),
        None => "The API version the client was generated from (`info.version`).".to_owned(),
    });
    let constant_headers = api
        .constant_headers
        .iter()
        .map(|(name, value)| {
            // The runtime compares header names in lowercase.
            let lower = name.to_ascii_lowercase();
            match Some(name) == version_header {
                true => quote!((#lower, API_VERSION)),
                false => quote!((#lower, #value)),
            }
        })
        .collect();
    let schemes = api
        .schemes
        .iter()
        .map(|scheme| {
            let name = &scheme.name;
            let kind = match &scheme.kind {
                SchemeKind::Bearer => quote!(Bearer),
                SchemeKind::Basic => quote!(Basic),
                SchemeKind::Header(key) => {
                    let key = key.to_ascii_lowercase();
                    quote!(Header(#key))
                }
                SchemeKind::Query(key) => quote!(Query(#key)),
                SchemeKind::Cookie(key) => quote!(Cookie(#key)),
            };
            quote!(openapi_client_runtime::Scheme { name: #name, kind: openapi_client_runtime::SchemeKind::#kind })
        })
        .collect();
    let (secret_var_const, secret_var) = match &api.secret_var {
        Some(var) => {
            let doc = own_doc("The environment variable [`Client::from_env`] reads the secret from.");
            (quote!(#doc pub const SECRET_KEY_VAR: &str = #var;), quote!(Some(SECRET_KEY_VAR)))
        }
        None => (TokenStream::new(), quote!(None)),
    };
    let optional = |value: &Option<String>| match value {
        Some(value) => quote!(Some(#value)),
        None => quote!(None),
    };
    let errors = match &api.errors.style {
        ErrorStyle::Problem => quote!(openapi_client_runtime::ErrorFormat::PROBLEM),
        ErrorStyle::Status => quote!(openapi_client_runtime::ErrorFormat::STATUS),
        ErrorStyle::Schema(name) => {
            let format = &api.errors;
            let (code, message) = (optional(&format.code), optional(&format.message));
            let (trace_id, trace_header) = (optional(&format.trace_id), optional(&format.trace_header));
            quote! {
                openapi_client_runtime::ErrorFormat {
                    style: openapi_client_runtime::ErrorStyle::Schema(#name),
                    code: #code,
                    message: #message,
                    trace_id: #trace_id,
                    trace_header: #trace_header,
                }
            }
        }
    };
    let error_body = match &api.errors.style {
        ErrorStyle::Schema(name) => {
            let model = ident(name);
            let doc = own_doc(&format!(
                "Typed access to the body of an error answer, the document's error model [`{name}`]: \
                 `error.error_body()` with this trait in scope."
            ));
            let method_doc = own_doc(&format!("The body as [`{name}`], when the server answered with one."));
            quote! {
                #doc
                pub trait ErrorBody {
                    #method_doc
                    fn error_body(&self) -> Option<crate::models::#model>;
                }

                impl ErrorBody for ApiError {
                    fn error_body(&self) -> Option<crate::models::#model> {
                        self.body_as().ok()
                    }
                }

                impl ErrorBody for Error {
                    fn error_body(&self) -> Option<crate::models::#model> {
                        self.api()?.body_as().ok()
                    }
                }
            }
        }
        _ => TokenStream::new(),
    };
    let constructors = match &api.secret_var {
        Some(var) => {
            let from_env_doc = own_doc(&format!("A client using the secret in the `{var}` environment variable."));
            quote! {
                /// A client for the spec's server, authenticating with `secret`.
                pub fn new(secret: impl Into<String>) -> Result<Client, Error> {
                    Self::builder().secret(secret).build()
                }

                #from_env_doc
                pub fn from_env() -> Result<Client, Error> {
                    Self::builder().secret_from_env()?.build()
                }
            }
        }
        None => quote! {
            /// A client for the spec's server.
            pub fn new() -> Result<Client, Error> {
                Self::builder().build()
            }
        },
    };
    DescriptionTokens {
        version_doc,
        secret_var_const,
        constant_headers,
        schemes,
        secret_var,
        errors,
        error_body,
        client_doc: own_doc(&sends_doc(api)),
        constructors,
    }
}

/// What every call sends besides its own arguments, for the client's docs.
fn sends_doc(api: &Api) -> String {
    let mut parts = Vec::new();
    for (name, _) in &api.constant_headers {
        parts.push(format!("the header {}", code(name)));
    }
    let schemes: Vec<String> = api
        .schemes
        .iter()
        .map(|scheme| {
            let how = match &scheme.kind {
                SchemeKind::Bearer => "`Authorization: Bearer`".to_owned(),
                SchemeKind::Basic => "`Authorization: Basic`".to_owned(),
                // Spec text: as escaped inline code, never Markdown or a doctest.
                SchemeKind::Header(key) => format!("the header {}", code(key)),
                SchemeKind::Query(key) => format!("the query parameter {}", code(key)),
                SchemeKind::Cookie(key) => format!("the cookie {}", code(key)),
            };
            format!("{} ({how})", code(&scheme.name))
        })
        .collect();
    if !schemes.is_empty() {
        parts.push(format!("the secret as its operation's security scheme says: {}", schemes.join(", ")));
    }
    match parts.is_empty() {
        true => "Calls send no credentials: the document declares no security scheme.".to_owned(),
        false => format!("Every call sends {}.", parts.join(", and ")),
    }
}
