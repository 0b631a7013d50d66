//! `generated/{group}.rs`: the group's handle type and one async method per
//! operation. Each method checks its arguments, builds the path with every
//! parameter percent-encoded as one segment, and hands a `Request` to the runtime.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{doc, inner_doc};
use super::types::{named, type_ref, At};
use super::{backoff_tokens, ident};
use crate::ir::{Api, Group, HttpMethod, Operation, PathPart, RetrySafety, TypeRef};

pub fn emit(api: &Api, group: &Group) -> TokenStream {
    let handle = ident(&group.type_name);
    let about_text = format!("The `{}` operations, reached through `Client::{}()`.", group.module, group.module);
    let (about, inner_about) = (doc(&[Some(&about_text)]), inner_doc(&[Some(&about_text)]));
    let methods = group.operations.iter().map(|operation| {
        let method = emit_method(api, operation);
        let pagination = emit_pagination(operation);
        let chunked = emit_chunked(operation);
        quote!(#method #pagination #chunked)
    });
    quote! {
        #inner_about

        #[allow(unused_imports)]
        use super::models;

        #about
        #[derive(Debug, Clone, Copy)]
        pub struct #handle<'a> {
            // Built by `Client`'s accessor in `mod.rs`; a constructor method could
            // clash with an operation's name.
            pub(crate) client: &'a crate::Client,
        }

        impl<'a> #handle<'a> {
            #( #methods )*
        }
    }
}

fn emit_method(api: &Api, operation: &Operation) -> TokenStream {
    let name = ident(&operation.method_name);
    let docs = method_docs(operation);
    let deprecated = operation.deprecated.then(|| quote!(#[deprecated(note = "deprecated in the Clerk API spec")]));

    let mut args = path_args(operation);
    if let Some(query) = &operation.query {
        let ty = named(&query.type_name, At::Group);
        args.push(quote!(params: &#ty));
    }
    if let Some(body) = &operation.body {
        let ty = match &body.ty {
            TypeRef::Array(item) => {
                let item = type_ref(item, At::Group);
                quote!([#item])
            }
            other => type_ref(other, At::Group),
        };
        args.push(if body.optional { quote!(body: Option<&#ty>) } else { quote!(body: &#ty) });
    }

    let descriptor = emit_descriptor(operation);
    let checks = super::checks::emit(api, operation);
    let path = emit_path(operation);
    let query = operation.query.as_ref().map(|query| {
        let pushes = query.params.iter().map(|param| {
            let wire = &param.wire_name;
            let field = ident(&param.rust_name);
            let (binding, push) = match &param.ty {
                TypeRef::Array(_) => (
                    quote!(values),
                    quote! {
                        for value in values {
                            query.push((#wire, value.to_string()));
                        }
                    },
                ),
                _ => (quote!(value), quote!(query.push((#wire, value.to_string()));)),
            };
            if param.required {
                quote! {
                    let #binding = &params.#field;
                    #push
                }
            } else {
                quote! {
                    if let Some(#binding) = &params.#field {
                        #push
                    }
                }
            }
        });
        quote! {
            let mut query: Vec<(&'static str, String)> = Vec::new();
            #( #pushes )*
        }
    });
    let with_query = operation.query.as_ref().map(|_| quote!(.query(query)));
    let build = match &operation.body {
        Some(body) if body.optional => quote! {
            let mut request = crate::request::Request::new(&OPERATION, path) #with_query;
            if let Some(body) = body {
                request = request.json(body)?;
            }
        },
        Some(_) => quote! {
            let request = crate::request::Request::new(&OPERATION, path) #with_query .json(body)?;
        },
        None => quote! {
            let request = crate::request::Request::new(&OPERATION, path) #with_query;
        },
    };
    let (output, send) = match operation.success.as_ref().and_then(|response| response.ty.as_ref()) {
        Some(ty) => (type_ref(ty, At::Group), quote!(self.client.send(request).await)),
        None => (quote!(()), quote!(self.client.send_without_content(request).await)),
    };
    quote! {
        #docs
        #deprecated
        pub async fn #name(&self, #( #args ),*) -> Result<#output, crate::Error> {
            #descriptor
            #checks
            #path
            #query
            #build
            #send
        }
    }
}

/// `let path = ["/organizations/", segment(..)?.as_str(), "/invitations"].concat();`
fn emit_path(operation: &Operation) -> TokenStream {
    let parts: Vec<TokenStream> = operation
        .path_parts
        .iter()
        .map(|part| match part {
            PathPart::Literal(text) => quote!(#text),
            PathPart::Param(index) => {
                let param = &operation.path_params[*index];
                let wire = &param.wire_name;
                let arg = ident(&param.rust_name);
                match param.ty {
                    TypeRef::String => quote!(crate::path::segment(OPERATION.id, #wire, #arg)?.as_str()),
                    _ => quote!(crate::path::segment(OPERATION.id, #wire, &#arg.to_string())?.as_str()),
                }
            }
        })
        .collect();
    if let [PathPart::Literal(text)] = operation.path_parts.as_slice() {
        quote!(let path = String::from(#text);)
    } else {
        quote!(let path = [ #( #parts ),* ].concat();)
    }
}

fn method_docs(operation: &Operation) -> TokenStream {
    let route = format!("`{} {}` (`{}`)", operation.http_method.as_str(), operation.path, operation.operation_id);
    let mut errors = String::from("# Errors\n");
    for response in &operation.errors {
        errors.push_str(&format!("- `{}`: {}\n", response.status, response.description.trim()));
    }
    errors.push_str(
        "\nAlso fails, before sending anything, on an invalid path parameter or a value outside the spec's bounds, and on transport, timeout or decode failures.",
    );
    let body_note = operation
        .body
        .as_ref()
        .and_then(|body| super::models::bounds_note(&body.bounds, " items"))
        .map(|note| format!("The body holds {}", lowercase_first(&note)));
    doc(&[
        operation.summary.as_deref(),
        operation.description.as_deref(),
        Some(&route),
        body_note.as_deref(),
        Some(&errors),
    ])
}

fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The operation's facts for the runtime: a `static`, so requests refer to it
/// for free and every log line and error can name it.
fn emit_descriptor(operation: &Operation) -> TokenStream {
    let id = &operation.operation_id;
    let path = &operation.path;
    let method = match operation.http_method {
        HttpMethod::Get => quote!(Get),
        HttpMethod::Post => quote!(Post),
        HttpMethod::Put => quote!(Put),
        HttpMethod::Patch => quote!(Patch),
        HttpMethod::Delete => quote!(Delete),
    };
    let safety = match operation.retry_safety {
        RetrySafety::Idempotent => quote!(Idempotent),
        RetrySafety::UnsentOnly => quote!(UnsentOnly),
    };
    let backoff = match &operation.retries {
        Some(policy) => {
            let backoff = backoff_tokens(policy);
            quote!(Some(#backoff))
        }
        None => quote!(super::RETRY_POLICY),
    };
    quote! {
        static OPERATION: crate::operation::Operation = crate::operation::Operation {
            id: #id,
            method: crate::operation::HttpMethod::#method,
            path: #path,
            safety: crate::RetrySafety::#safety,
            backoff: #backoff,
        };
    }
}

/// `{method}_pages` and (when items have an id) `{method}_items` for an
/// offset-paginated list operation.
fn emit_pagination(operation: &Operation) -> Option<TokenStream> {
    let pagination = operation.pagination.as_ref()?;
    let query = operation.query.as_ref()?;
    let method = ident(&operation.method_name);
    let pages = ident(&format!("{}_pages", operation.method_name));
    let items = ident(&format!("{}_items", operation.method_name));
    let params_type = named(&query.type_name, At::Group);
    let item = named(&pagination.item, At::Group);
    let page_size = proc_macro2::Literal::i64_unsuffixed(pagination.page_size);

    let args = path_args(operation);
    let mut owned = Vec::new();
    let mut per_page = Vec::new();
    let mut call_args = Vec::new();
    let mut forward_args = Vec::new();
    for param in &operation.path_params {
        let name = ident(&param.rust_name);
        forward_args.push(quote!(#name));
        // `&str` ids are owned by the stream and lent to each page's call.
        if param.ty == TypeRef::String {
            owned.push(quote!(let #name = #name.to_owned();));
            per_page.push(quote!(let #name = #name.clone();));
            call_args.push(quote!(&#name));
        } else {
            call_args.push(quote!(#name));
        }
    }
    let (deprecated, allow) = if operation.deprecated {
        (quote!(#[deprecated(note = "deprecated in the Clerk API spec")]), quote!(#[allow(deprecated)]))
    } else {
        (quote!(), quote!())
    };
    let pages_doc = doc(&[Some(&format!(
        "Every page of [`{0}`](Self::{0}), fetched lazily as the stream is polled:\n\
         from `params.offset` on, `params.limit` items a page ({1} when unset).\n\
         Stops at `total_count`, at a short page or an empty one; an error ends the stream.",
        operation.method_name, pagination.page_size
    ))]);
    let items_fn = pagination.key.as_ref().map(|_| {
        let items_doc = doc(&[Some(&format!(
            "Every item of [`{0}`](Self::{0}), page after page (see [`{0}_pages`](Self::{0}_pages)).\n\
             An item whose id was already yielded is skipped, so an invitation pushed\n\
             onto the next page by a newer one is not seen twice.",
            operation.method_name
        ))]);
        quote! {
            #items_doc
            #deprecated
            #allow
            pub fn #items(&self, #( #args, )* params: &#params_type) -> crate::Items<'a, #item> {
                crate::Items::new(self.#pages(#( #forward_args, )* params))
            }
        }
    });
    let call_args = call_args.iter();
    Some(quote! {
        #pages_doc
        #deprecated
        pub fn #pages(&self, #( #args, )* params: &#params_type) -> crate::Pages<'a, #item> {
            let api = *self;
            let params = params.clone();
            #( #owned )*
            crate::Pages::new(params.offset.unwrap_or(0), params.limit.unwrap_or(#page_size), move |offset, limit| {
                #( #per_page )*
                let mut params = params.clone();
                params.offset = Some(offset);
                params.limit = Some(limit);
                Box::pin(async move {
                    #allow
                    let page = api.#method(#( #call_args, )* &params).await?;
                    Ok(crate::Page { items: page.data, total_count: page.total_count, offset })
                })
            })
        }
        #items_fn
    })
}

/// `{method}_chunked` for an operation whose array body has `maxItems`: sends any
/// number of items as consecutive compliant requests.
fn emit_chunked(operation: &Operation) -> Option<TokenStream> {
    let body = operation.body.as_ref()?;
    let TypeRef::Array(item) = &body.ty else { return None };
    let max = usize::try_from(body.bounds.max?).ok().filter(|max| *max > 0)?;
    let method = ident(&operation.method_name);
    let chunked = ident(&format!("{}_chunked", operation.method_name));
    let item = type_ref(item, At::Group);
    let output = match operation.success.as_ref().and_then(|response| response.ty.as_ref()) {
        Some(ty) => type_ref(ty, At::Group),
        None => quote!(()),
    };
    let max_literal = proc_macro2::Literal::usize_unsuffixed(max);
    let mut args = path_args(operation);
    let mut forward: Vec<TokenStream> =
        operation.path_params.iter().map(|param| ident(&param.rust_name)).map(|name| quote!(#name)).collect();
    if let Some(query) = &operation.query {
        let ty = named(&query.type_name, At::Group);
        args.push(quote!(params: &#ty));
        forward.push(quote!(params));
    }
    forward.push(if body.optional { quote!(Some(chunk)) } else { quote!(chunk) });
    let docs = doc(&[Some(&format!(
        "Sends `body` of any length as consecutive [`{0}`](Self::{0}) calls of at most {1} items\n\
         (the spec's `maxItems`), one after another, and reports each chunk's result with the\n\
         range of `body` it covered. A failed chunk does not stop the later ones; an empty\n\
         `body` sends nothing.",
        operation.method_name, max
    ))]);
    let deprecated = operation.deprecated.then(|| quote!(#[deprecated(note = "deprecated in the Clerk API spec")]));
    let allow = operation.deprecated.then(|| quote!(#[allow(deprecated)]));
    Some(quote! {
        #docs
        #deprecated
        pub async fn #chunked(&self, #( #args, )* body: &[#item]) -> Vec<crate::Chunk<#output>> {
            let mut chunks = Vec::new();
            for (index, chunk) in body.chunks(#max_literal).enumerate() {
                let start = index * #max_literal;
                #allow
                let result = self.#method(#( #forward ),*).await;
                chunks.push(crate::Chunk { items: start..start + chunk.len(), result });
            }
            chunks
        }
    })
}

/// The positional path parameters of a method: `organization_id: &str`, …
fn path_args(operation: &Operation) -> Vec<TokenStream> {
    operation
        .path_params
        .iter()
        .map(|param| {
            let name = ident(&param.rust_name);
            let ty = match param.ty {
                TypeRef::String => quote!(&str),
                _ => type_ref(&param.ty, At::Group),
            };
            quote!(#name: #ty)
        })
        .collect()
}
