//! `src/{group}.rs`: the group's handle, with one method per operation that
//! starts a call, and one call builder per operation.
//!
//! A call builder owns a clone of the client and its arguments, set by name
//! (`.organization_id("org_1").invitation_id("orginv_1")`), so two ids cannot be
//! swapped silently and adding an optional parameter to the spec breaks no
//! caller. `send` checks every argument (required ones set, values within the
//! spec's bounds) before anything is sent, builds the path with each parameter
//! percent-encoded as one segment, and hands a `Request` to the runtime. The
//! futures and streams it returns own what they need (`'static + Send`).

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{code, doc, own_doc, own_inner_doc};
use super::types::{named, type_ref, At};
use super::{backoff_tokens, ident, nesting, Piece};
use crate::ir::{
    Api, Body, Content, Form, FormValue, Group, HttpMethod, Operation, Output, PageShape, Param, RetrySafety,
    StatusEnum, TypeRef,
};

/// The group's file: its inner doc, imports and handle, then one piece per
/// operation's call builder.
/// `default_security`: what `crate::operation` gives every descriptor.
pub fn pieces<'a>(
    api: &'a Api,
    group: &'a Group,
    checked: &nesting::Checked,
    default_security: &std::sync::Arc<Vec<Vec<String>>>,
) -> Vec<Piece<'a>> {
    let mut pieces: Vec<Piece<'a>> = vec![Box::new(move || handle(group))];
    for operation in &group.operations {
        let default_security = std::sync::Arc::clone(default_security);
        // Whether the body needs the nesting check, decided here: the pieces
        // may be made on other threads.
        let nested = operation.body.as_ref().is_some_and(|body| body.form.is_none() && checked.needs(&body.ty));
        pieces.push(Box::new(move || call(api, operation, nested, &default_security)));
    }
    pieces
}

/// The file's inner doc and imports, and the group's handle.
fn handle(group: &Group) -> TokenStream {
    let handle = ident(&group.type_name);
    let about = own_inner_doc(&format!(
        "The {} operations: [`{}`], reached through [`Client::{}`](crate::Client::{}), and one call builder per operation, whose `request` checks the arguments and builds the request before any I/O.",
        code(&group.title),
        group.type_name,
        group.module,
        group.module
    ));
    // What holds for every call is said here once, not on each method.
    let handle_doc = own_doc(&format!(
        "The {} operations. Each method starts a call: set its arguments by name, then `send` it.\n\n\
         A call fails with `Error::Api` on the error statuses its method lists, and also, before \
         sending anything, on a missing or invalid argument or a value outside the spec's bounds, \
         and on transport, timeout or decode failures.",
        code(&group.title)
    ));
    let starters = group.operations.iter().map(starter);
    quote! {
        #about

        #[allow(unused_imports)]
        use crate::models;
        use openapi_client_runtime::__private as rt;

        #handle_doc
        #[derive(Debug, Clone)]
        pub struct #handle {
            pub(crate) client: openapi_client_runtime::Client,
        }

        impl #handle {
            #( #starters )*
        }
    }
}

/// The handle's method that starts a call, documented with the operation.
fn starter(operation: &Operation) -> TokenStream {
    let name = ident(&operation.method_name);
    let call = ident(&operation.call_type);
    let docs = operation_docs(operation);
    let deprecated = super::deprecated(operation.deprecated);
    // An operation named `new` starts its call like any other.
    let allow = (operation.method_name == "new").then(|| quote!(#[allow(clippy::new_ret_no_self)]));
    quote! {
        #docs
        #deprecated
        #allow
        pub fn #name(&self) -> #call {
            #call::new(self.client.clone())
        }
    }
}

fn operation_docs(operation: &Operation) -> TokenStream {
    let route = format!("`{} {}` (`{}`)", operation.http_method.as_str(), operation.path, operation.operation_id);
    // The failures every call shares are in the handle's docs.
    let errors = (!operation.errors.is_empty()).then(|| {
        let mut errors = String::from("# Errors\n");
        for response in &operation.errors {
            match &response.description {
                Some(description) => errors.push_str(&format!("- `{}`: {}\n", response.status, description.trim())),
                None => errors.push_str(&format!("- `{}`\n", response.status)),
            }
        }
        errors
    });
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
        errors.as_deref(),
    ])
}

fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The Rust type of a parameter's value (path and query parameters alike).
fn param_value_type(param: &Param) -> TokenStream {
    type_ref(&param.ty, At::Group)
}

/// The call builder of one operation; `nested`: whether its body needs the
/// nesting check.
fn call(api: &Api, operation: &Operation, nested: bool, default_security: &[Vec<String>]) -> TokenStream {
    let call = ident(&operation.call_type);
    let handle_method = &operation.method_name;
    // The route and the operation's docs are on the method that starts it.
    let docs = own_doc(&format!("A `{handle_method}()` call: set its arguments, then [`send`](Self::send) it."));
    let query_params: &[Param] = operation.query.as_ref().map(|query| query.params.as_slice()).unwrap_or_default();
    let params: Vec<&Param> = operation.path_params.iter().chain(query_params).chain(&operation.headers).collect();

    let mut fields = vec![quote!(client: rt::Client,)];
    // The fields `call_methods!` starts unset in `new`.
    let mut args = Vec::new();
    for param in &params {
        let name = ident(&param.rust_name);
        let ty = param_value_type(param);
        fields.push(quote!(#name: Option<#ty>,));
        args.push(name.clone());
    }
    let body_type = operation.body.as_ref().map(|body| type_ref(&body.ty, At::Group));
    if let Some(ty) = &body_type {
        fields.push(quote!(body: Option<#ty>,));
        args.push(ident("body"));
    }
    fields.push(quote!(extra: rt::Extra,));

    let setters = operation
        .path_params
        .iter()
        .chain(query_params)
        .map(|param| setter(param, false))
        .chain(operation.headers.iter().map(|param| setter(param, true)));
    let params_setter = operation.query.as_ref().map(|query| {
        let ty = named(&query.type_name, At::Group);
        let assigns = query.params.iter().map(|param| {
            let name = ident(&param.rust_name);
            if param.required {
                quote!(self.#name = Some(params.#name);)
            } else {
                quote! {
                    if params.#name.is_some() {
                        self.#name = params.#name;
                    }
                }
            }
        });
        quote! {
            /// Sets the query parameters `params` sets; the others keep what this
            /// call already has, whatever the order of calls.
            pub fn params(mut self, params: #ty) -> Self {
                #( #assigns )*
                self
            }
        }
    });
    let body_setter = operation.body.as_ref().zip(body_type.as_ref()).map(|(body, ty)| {
        let about = if body.optional {
            "The request body (optional: none is sent without it)."
        } else {
            "The request body (required)."
        };
        let docs = doc(&[Some(about), body.description.as_deref()]);
        quote! {
            #docs
            pub fn body(mut self, body: #ty) -> Self {
                self.body = Some(body);
                self
            }
        }
    });
    let request = request_fn(api, operation, nested, default_security);
    // How the answer is read: JSON by default (`null` decoding as `None` for a
    // nullable one), nothing, the raw bytes, or the variant the status picks.
    let (output, answer, decode) = match &operation.output {
        Output::Json(ty) => (type_ref(ty, At::Group), None, None),
        Output::NullableJson(ty) => {
            let ty = type_ref(ty, At::Group);
            (quote!(Option<#ty>), None, None)
        }
        Output::Empty => (quote!(()), Some(quote!(, empty)), None),
        Output::Bytes => (quote!(crate::Bytes), Some(quote!(, decode rt::raw_body)), None),
        Output::ByStatus(choice) => {
            (named(&choice.type_name, At::Group), Some(quote!(, decode Self::decode)), Some(decode_fn(choice)))
        }
    };
    let pagination = pagination(operation);
    let chunked = chunked(operation, &output, nested);
    quote! {
        #docs
        #[derive(Debug, Clone)]
        #[must_use = "a call does nothing until it is sent"]
        pub struct #call {
            #( #fields )*
        }

        impl #call {
            #( #setters )*
            #params_setter
            #body_setter
            #request
            #decode
        }

        rt::call_methods!(#call { #( #args ),* } -> #output #answer);
        #pagination
        #chunked
    }
}

/// `pub fn organization_id(mut self, organization_id: impl Into<String>) -> Self`
fn setter(param: &Param, is_header: bool) -> TokenStream {
    let name = ident(&param.rust_name);
    // Optional unless it says so; said when nothing else would be.
    let required = match param.required {
        true => Some("Required."),
        false if param.description.is_none() && param.bounds == Default::default() && param.default.is_none() => {
            Some("Optional.")
        }
        false => None,
    };
    let wire = if is_header {
        Some(format!("Sent as the header `{}`.", param.wire_name))
    } else {
        (param.rust_name != param.wire_name).then(|| format!("Sent as `{}`.", param.wire_name))
    };
    let default_note = param.default.as_ref().map(|value| format!("Server default: `{value}`."));
    let docs = doc(&[
        param.description.as_deref(),
        super::models::bounds_note(&param.bounds, "").as_deref(),
        default_note.as_deref(),
        required,
        wire.as_deref(),
    ]);
    let deprecated = super::deprecated(param.deprecated);
    // A named type through `Into`: a filter takes the like-valued enum of
    // another operation (`convert!` writes the `From`), an open enum its
    // value as `&str`.
    let (arg, value) = match &param.ty {
        TypeRef::String => (quote!(impl Into<String>), quote!(#name.into())),
        named @ TypeRef::Named(_) => {
            let ty = type_ref(named, At::Group);
            (quote!(impl Into<#ty>), quote!(#name.into()))
        }
        // Any integer type: one the parameter's cannot hold is refused when
        // the call is sent.
        TypeRef::Integer { .. } => {
            let wire = &param.wire_name;
            let set = quote!(self.#name = self.extra.integer(#wire, #name););
            return quote! {
                #docs
                #deprecated
                pub fn #name(mut self, #name: impl rt::Integer) -> Self {
                    #set
                    self
                }
            };
        }
        other => (type_ref(other, At::Group), quote!(#name)),
    };
    quote! {
        #docs
        #deprecated
        pub fn #name(mut self, #name: #arg) -> Self {
            self.#name = Some(#value);
            self
        }
    }
}

/// `fn request(self)`: every check, then the `Request` and the client to send
/// it. The nesting check of the body comes first: another check's error would
/// drop the body, and a body too deep must be torn down before it is dropped.
fn request_fn(api: &Api, operation: &Operation, nested: bool, default_security: &[Vec<String>]) -> TokenStream {
    let descriptor = descriptor(operation, default_security);
    let (receiver, nesting) =
        if nested { (quote!(mut self), Some(nesting::body_check())) } else { (quote!(self), None) };
    let path = path(operation);
    let query = operation.query.as_ref().map(|query| {
        let pushes = query.params.iter().map(|param| {
            let wire = &param.wire_name;
            let field = ident(&param.rust_name);
            let check = super::checks::param(param, quote!(*value));
            let push = match &param.ty {
                TypeRef::Array(_) => quote! {
                    for value in values {
                        query.push((#wire, value.to_string()));
                    }
                },
                _ => quote! {
                    #check
                    query.push((#wire, value.to_string()));
                },
            };
            let binding = if matches!(param.ty, TypeRef::Array(_)) { quote!(values) } else { quote!(value) };
            if !param.required && !matches!(param.ty, TypeRef::Array(_)) {
                // Checked first when the spec bounds it, then added when set.
                let checked = check.as_ref().map(|check| {
                    quote! {
                        if let Some(value) = &self.#field {
                            #check
                        }
                    }
                });
                return quote! {
                    #checked
                    rt::push_query(&mut query, #wire, &self.#field);
                };
            }
            if param.required {
                quote! {
                    let #binding = rt::required(OPERATION.id, #wire, &self.#field)?;
                    #push
                }
            } else {
                quote! {
                    if let Some(#binding) = &self.#field {
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
        Some(body @ Body { form: Some(form), .. }) => {
            let parts = form_parts(form);
            if body.optional {
                quote! {
                    let mut request = rt::Request::new(&OPERATION, path) #with_query;
                    if let Some(body) = &self.body {
                        #parts
                        request = request.multipart(form);
                    }
                }
            } else {
                quote! {
                    let body = rt::required(OPERATION.id, "body", &self.body)?;
                    #parts
                    let request = rt::Request::new(&OPERATION, path) #with_query .multipart(form);
                }
            }
        }
        Some(body) => {
            let checks = super::checks::body(api, body, quote!(body));
            if body.optional {
                quote! {
                    let mut request = rt::Request::new(&OPERATION, path) #with_query;
                    if let Some(body) = &self.body {
                        #checks
                        request = request.json(body)?;
                    }
                }
            } else {
                quote! {
                    let body = rt::required(OPERATION.id, "body", &self.body)?;
                    #checks
                    let request = rt::Request::new(&OPERATION, path) #with_query .json(body)?;
                }
            }
        }
        None => quote! {
            let request = rt::Request::new(&OPERATION, path) #with_query;
        },
    };
    let accept = accept(operation).map(|media_types| quote!(let request = request.accept(#media_types);));
    let headers = operation.headers.iter().map(header_param);
    quote! {
        fn request(#receiver) -> rt::Prepared {
            #descriptor
            #nesting
            #path
            #query
            #build
            #accept
            #( #headers )*
            let request = self.extra.apply(request)?;
            Ok((self.client, request))
        }
    }
}

/// `let mut form = …;` from `body`, a reference to the form's type: a part per
/// field in the spec's order, a list as one part per item, text checked against
/// the spec's bounds first.
fn form_parts(form: &Form) -> TokenStream {
    let parts = form.fields.iter().map(|field| {
        let wire = &field.wire_name;
        let name = ident(&field.rust_name);
        let (binding, add) = match &field.value {
            FormValue::File if field.required => return quote!(form.file(OPERATION.id, #wire, &body.#name)?;),
            FormValue::File => (quote!(file), quote!(form.file(OPERATION.id, #wire, file)?;)),
            FormValue::Files => {
                return quote! {
                    for file in &body.#name {
                        form.file(OPERATION.id, #wire, file)?;
                    }
                };
            }
            FormValue::Text(TypeRef::Array(item)) => {
                let text = text(item, quote!(value));
                (
                    quote!(values),
                    quote! {
                        for value in values {
                            form.text(#wire, #text);
                        }
                    },
                )
            }
            FormValue::Text(ty) => {
                let check = super::checks::value(wire, ty, &field.bounds, quote!(*value));
                let text = text(ty, quote!(value));
                (
                    quote!(value),
                    quote! {
                        #check
                        form.text(#wire, #text);
                    },
                )
            }
        };
        if field.required {
            quote! {
                let #binding = &body.#name;
                #add
            }
        } else {
            quote! {
                if let Some(#binding) = &body.#name {
                    #add
                }
            }
        }
    });
    quote! {
        let mut form = rt::Multipart::new();
        #( #parts )*
    }
}

/// The text of `value`, a reference to a form field's value of type `ty`, as
/// a `&str`: a string is written into the form as it is, never cloned.
fn text(ty: &TypeRef, value: TokenStream) -> TokenStream {
    match ty {
        TypeRef::String => quote!(#value),
        _ => quote!(&#value.to_string()),
    }
}

/// `fn decode(..)`: the variant of the status enum the answer's status picks,
/// exact statuses first; a status no variant names is `Other`, or the range's
/// variant when the spec documents `2XX`.
fn decode_fn(choice: &StatusEnum) -> TokenStream {
    let name = named(&choice.type_name, At::Group);
    let mut arms = Vec::new();
    let mut range = None;
    for variant in &choice.variants {
        let variant_name = ident(&variant.name);
        let value = match &variant.content {
            Content::Empty => quote!(#name::#variant_name),
            Content::Json(_) => quote!(#name::#variant_name(rt::decode_json(operation, status, &body)?)),
            Content::Bytes { .. } => quote!(#name::#variant_name(body)),
        };
        match variant.status.parse::<u16>() {
            Ok(code) => {
                let code = proc_macro2::Literal::u16_unsuffixed(code);
                arms.push(quote!(#code => #value,))
            }
            Err(_) => range = Some(value),
        }
    }
    let fallback = match range {
        Some(value) => quote!(_ => #value,),
        None => quote!(_ => #name::Other { status, body },),
    };
    quote! {
        /// The value of a 2XX answer, by its status.
        fn decode(operation: &'static str, status: u16, body: crate::Bytes) -> Result<#name, crate::Error> {
            let value = match status {
                #( #arms )*
                #fallback
            };
            Ok(value)
        }
    }
}

/// The `Accept` header of an operation with a success that is not JSON: its
/// media types, then JSON (for the JSON ones and for Clerk's error bodies).
fn accept(operation: &Operation) -> Option<String> {
    let mut media_types: Vec<&str> = Vec::new();
    for response in &operation.successes {
        if let Content::Bytes { media_types: types } = &response.content {
            for media_type in types {
                if !media_types.contains(&media_type.as_str()) {
                    media_types.push(media_type);
                }
            }
        }
    }
    if media_types.is_empty() {
        return None;
    }
    if !media_types.contains(&"application/json") {
        media_types.push("application/json");
    }
    Some(media_types.join(", "))
}

/// A header parameter added to `request`: checked like a query value, its text
/// (a list's items joined by commas, OpenAPI's `simple` style) refused by the
/// runtime if HTTP does not allow it in a header.
fn header_param(param: &Param) -> TokenStream {
    let wire = &param.wire_name;
    let field = ident(&param.rust_name);
    let check = super::checks::param(param, quote!(*value));
    let text = match &param.ty {
        TypeRef::String => quote!(value),
        TypeRef::Array(item) if **item == TypeRef::String => quote!(&value.join(",")),
        TypeRef::Array(_) => quote!(&value.iter().map(ToString::to_string).collect::<Vec<_>>().join(",")),
        _ => quote!(&value.to_string()),
    };
    if param.required {
        quote! {
            let value = rt::required(OPERATION.id, #wire, &self.#field)?;
            #check
            let request = request.header_param(#wire, #text)?;
        }
    } else {
        quote! {
            let request = match &self.#field {
                Some(value) => {
                    #check
                    request.header_param(#wire, #text)?
                }
                None => request,
            };
        }
    }
}

/// The path from the template and the path arguments, in its order:
/// `rt::path` checks each one is set, percent-encodes it as one segment and
/// fills it in.
fn path(operation: &Operation) -> TokenStream {
    let values = operation.path_params.iter().map(|param| {
        let field = ident(&param.rust_name);
        match param.ty {
            TypeRef::String => quote!(self.#field.as_deref()),
            _ => quote!(self.#field.as_ref().map(ToString::to_string).as_deref()),
        }
    });
    // The spec's bounds of integer path parameters, checked like query ones.
    let checks = operation.path_params.iter().filter_map(|param| {
        let field = ident(&param.rust_name);
        let check = super::checks::param(param, quote!(*value))?;
        Some(quote! {
            if let Some(value) = &self.#field {
                #check
            }
        })
    });
    quote! {
        #( #checks )*
        let path = rt::path(&OPERATION, &[ #( #values ),* ])?;
    }
}

/// The operation's facts for the runtime: a `static`, so requests refer to it
/// for free and every log line and error can name it.
fn descriptor(operation: &Operation, default_security: &[Vec<String>]) -> TokenStream {
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
    let shared = quote!(crate::operation(#id, rt::HttpMethod::#method, #path, rt::RetrySafety::#safety));
    // What differs from `crate::operation`'s defaults is named.
    let backoff = operation.retries.as_ref().map(|policy| {
        let backoff = backoff_tokens(policy);
        quote!(backoff: Some(#backoff),)
    });
    let security = (operation.security != default_security).then(|| {
        let security = super::security_tokens(&operation.security);
        quote!(security: #security,)
    });
    if backoff.is_none() && security.is_none() {
        return quote!(static OPERATION: rt::Operation = #shared;);
    }
    quote! {
        static OPERATION: rt::Operation = rt::Operation { #backoff #security ..#shared };
    }
}

/// `pages()` and (when items have an id) `items()` for an offset-paginated list.
fn pagination(operation: &Operation) -> Option<TokenStream> {
    let pagination = operation.pagination.as_ref()?;
    // Pagination is only detected for a JSON answer.
    let Output::Json(answer) = &operation.output else { return None };
    let call = ident(&operation.call_type);
    let answer = type_ref(answer, At::Group);
    let item = named(&pagination.item, At::Group);
    let page_size = proc_macro2::Literal::i64_unsuffixed(pagination.page_size);
    let (limit, offset) = (ident(&pagination.limit), ident(&pagination.offset));
    let shape = match &pagination.page {
        PageShape::Envelope { data, total_count } => {
            let (data, total_count) = (ident(data), ident(total_count));
            quote!(envelope #data #total_count)
        }
        PageShape::Array => quote!(array),
    };
    let items = pagination.key.as_ref().map(|_| quote!(, items));
    Some(quote!(rt::pages!(#call -> #item; #answer, #offset #limit #page_size, #shape #items);))
}

fn chunked(operation: &Operation, output: &TokenStream, nested: bool) -> Option<TokenStream> {
    let body = operation.body.as_ref()?;
    let TypeRef::Array(_) = &body.ty else { return None };
    let max = usize::try_from(body.bounds.max?).ok().filter(|max| *max > 0)?;
    let max = proc_macro2::Literal::usize_unsuffixed(max);
    let call = ident(&operation.call_type);
    let operation_id = &operation.operation_id;
    let nested = nested.then(|| quote!(, nested));
    Some(quote!(rt::send_chunked!(#call -> #output, #operation_id, #max #nested);))
}
