//! `src/models.rs`: one struct or enum per IR type, plus the query parameter
//! structs of the operations.
//!
//! Every type is `#[non_exhaustive]`, so a spec that adds an optional field, an
//! enum value or a query parameter breaks no caller; in exchange each struct has
//! a `new` taking its required fields and a setter per optional field, which is
//! also how callers (and their tests) build values. Open enums keep values this
//! client does not know in an opaque `Unknown`.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{doc, own_doc};
use super::features::{gate, Features};
use super::types::{field_type, param_type, type_ref, At};
use super::{ident, nesting, unions, Piece};
use crate::ir::{
    Alias, Api, Bounds, Container, EnumValue, Field, Param, QueryParams, Rest, Struct, TypeDef, TypeKind, TypeRef,
    MAX_POSITIONAL,
};

/// The items of `models.rs` that hold the spec's types, query parameters,
/// `Keyed` impls and conversions, one piece each, after the file's inner doc.
pub fn pieces<'a>(
    api: &'a Api,
    checked: &std::sync::Arc<nesting::Checked>,
    features: &std::sync::Arc<Option<Features>>,
) -> Vec<Piece<'a>> {
    let mut pieces: Vec<Piece<'_>> = vec![Box::new(|| {
        quote! {
            //! The spec's request and response types, and the query parameters of its
            //! operations. All are re-exported at the crate root.
            //!
            //! A field the spec makes optional is an `Option`, left out of a request
            //! when `None`. One it also makes nullable is an `Option<Option<T>>`:
            //! `None` leaves it out and `Some(None)` sends `null`; in an answer,
            //! `Some(None)` is a `null` the server sent. Each such field's setter has
            //! a `_null` twin that sends `null`.

            #[allow(unused_imports)]
            use openapi_client_runtime::__private as rt;
        }
    })];
    for def in api.types.values() {
        let checked = std::sync::Arc::clone(checked);
        let features = std::sync::Arc::clone(features);
        pieces.push(Box::new(move || {
            let mut tokens = match &def.kind {
                TypeKind::Struct(fields) => emit_struct(def, fields),
                TypeKind::Enum(values) if api.closed_enums.contains(&def.name) => emit_closed_enum(def, values),
                TypeKind::Enum(values) => emit_enum(def, values),
                TypeKind::Tagged(union) => unions::tagged(api, def, union),
                TypeKind::Untagged(union) => unions::untagged(api, def, union),
                TypeKind::Alias(alias) => emit_alias(def, alias),
            };
            tokens.extend(nesting::impl_nested(def, &checked));
            let cfg = features.as_ref().as_ref().and_then(|features| features.type_cfg(&def.name));
            gate(tokens, cfg.as_ref())
        }));
    }
    // Test values (the crate's `test-util` feature), one line per set of
    // models behind the same feature: `TestValue` for each struct and union
    // (an enum's variants are values already; an alias names a standard type).
    {
        let features = std::sync::Arc::clone(features);
        pieces.push(Box::new(move || {
            let mut by_cfg: std::collections::BTreeMap<String, (Option<TokenStream>, Vec<proc_macro2::Ident>)> =
                std::collections::BTreeMap::new();
            let models = api.types.values().filter(|def| !matches!(def.kind, TypeKind::Alias(_) | TypeKind::Enum(_)));
            for def in models {
                let cfg = features.as_ref().as_ref().and_then(|features| features.type_cfg(&def.name));
                let entry = by_cfg
                    .entry(cfg.as_ref().map(ToString::to_string).unwrap_or_default())
                    .or_insert((cfg, Vec::new()));
                entry.1.push(ident(&def.name));
            }
            let lines = by_cfg.into_values().map(|(cfg, names)| quote! { #cfg rt::test_values!(#(#names),*); });
            quote! { #(#lines)* }
        }));
    }
    // Each with the path of its call builder, whose setters document the parameters.
    let mut queries: Vec<(&str, String, &QueryParams)> = api
        .groups
        .iter()
        .flat_map(|group| group.operations.iter().map(move |op| (group, op)))
        .filter_map(|(group, op)| {
            let call = format!("crate::{}::{}", group.module, op.call_type);
            op.query.as_ref().map(|query| (op.operation_id.as_str(), call, query))
        })
        .collect();
    queries.sort_by(|a, b| a.2.type_name.cmp(&b.2.type_name));
    for (operation_id, call, query) in queries {
        let features = std::sync::Arc::clone(features);
        pieces.push(Box::new(move || {
            let cfg = features.as_ref().as_ref().and_then(|features| features.operation_cfg(operation_id));
            gate(emit_query(operation_id, &call, query), cfg.as_ref())
        }));
    }
    // Items of paginated lists, keyed by their id so each is yielded once.
    let keyed: std::collections::BTreeMap<&str, &str> = api
        .operations()
        .filter_map(|op| op.pagination.as_ref())
        .filter_map(|pagination| Some((pagination.item.as_str(), pagination.key.as_deref()?)))
        .collect();
    for (item_name, key) in keyed {
        let features = std::sync::Arc::clone(features);
        pieces.push(Box::new(move || {
            let (item, key) = (ident(item_name), ident(key));
            let tokens = quote! {
                impl openapi_client_runtime::Keyed for #item {
                    fn key(&self) -> &str {
                        self.#key.as_str()
                    }
                }
            };
            let cfg = features.as_ref().as_ref().and_then(|features| features.type_cfg(item_name));
            gate(tokens, cfg.as_ref())
        }));
    }
    for (from, to) in crate::conversions::identical_pairs(api) {
        let features = std::sync::Arc::clone(features);
        pieces.push(Box::new(move || {
            let cfg = features.as_ref().as_ref().and_then(|features| features.pair_cfg(&from, &to));
            gate(emit_conversion(api, &from, &to), cfg.as_ref())
        }));
    }
    pieces
}

/// `impl From<A> for B` for two types of the same shape: enums through their
/// wire value (lossless, `Unknown` included), structs field by field.
fn emit_conversion(api: &Api, from: &str, to: &str) -> TokenStream {
    let (from, to) = (ident(from), ident(to));
    match api.types.get(&to.to_string()).map(|def| &def.kind) {
        Some(TypeKind::Struct(shape)) => {
            let names =
                shape.fields.iter().map(|field| &field.rust_name).chain(shape.rest.iter().map(|rest| &rest.rust_name));
            let fields = names.map(|name| ident(name));
            quote!(rt::convert!(#from => #to { #( #fields ),* });)
        }
        _ => quote!(rt::convert!(#from => #to);),
    }
}

fn emit_struct(def: &TypeDef, shape: &Struct) -> TokenStream {
    let name = ident(&def.name);
    let fallback = format!("The `{}` object.", def.name);
    let docs = doc(&[Some(def.description.as_deref().unwrap_or(&fallback))]);
    let derive_default = shape.all_optional.then(|| quote!(Default,));
    let fields = shape.fields.iter().map(emit_field);
    let required = shape.fields.iter().filter(|field| field.required).count();
    // Positional arguments are only safe while they are few: past that, two of
    // one type are easily swapped, so the type is built by name instead.
    let (constructor, builder) = if required <= MAX_POSITIONAL {
        (emit_constructor(shape), None)
    } else if let Some(builder) = builder_call(def, shape) {
        (TokenStream::new(), Some(builder))
    } else {
        let builder_name = ident(&format!("{}Builder", def.name));
        let about_doc =
            own_doc(&format!("A builder that sets every field by name; `build` checks the {required} required ones."));
        let starter = quote! {
            #about_doc
            pub fn builder() -> #builder_name {
                <#builder_name as Default>::default()
            }
        };
        (starter, Some(emit_builder(def, shape)))
    };
    let setters: Vec<TokenStream> =
        shape.fields.iter().filter(|field| !field.required && !field.read_only).map(emit_setter).collect();
    // Nothing to write when `rt::builder!` gives the type its one method.
    let methods = (!constructor.is_empty() || !setters.is_empty()).then(|| {
        quote! {
            impl #name {
                #constructor
                #( #setters )*
            }
        }
    });
    let rest = shape.rest.as_ref().map(emit_rest);
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, #derive_default serde::Serialize, serde::Deserialize)]
        #[non_exhaustive]
        pub struct #name {
            #( #fields )*
            #rest
        }

        #methods

        #builder
    }
}

/// `rt::builder!(XBuilder -> X { … })`: the runtime writes `X::builder()`, the
/// builder and its `build()` from one entry per field. `None` for a type the
/// macro does not take (a field named apart from its wire name or its setter,
/// boxed, read-only or deprecated, or other properties kept in a map), which
/// [`emit_builder`] writes out instead.
fn builder_call(def: &TypeDef, shape: &Struct) -> Option<TokenStream> {
    if shape.rest.is_some() {
        return None;
    }
    let mut entries = Vec::new();
    for field in &shape.fields {
        if field.rust_name != field.wire_name
            || setter_name(field) != field.rust_name
            || field.boxed
            || field.read_only
            || field.deprecated
        {
            return None;
        }
        let name = ident(&field.rust_name);
        let string = matches!(field.ty, TypeRef::String);
        let ty = type_ref(&field.ty, At::Models);
        entries.push(match (field.required, field.nullable) {
            (true, true) => quote!(req #name: Option<#ty>),
            (true, false) if string => quote!(req_str #name),
            (true, false) => quote!(req #name: #ty),
            (false, false) if string => quote!(opt_str #name),
            (false, false) => quote!(opt #name: #ty),
            (false, true) => {
                let null = ident(&null_setter_name(&field.rust_name));
                if string {
                    quote!(null_str #name / #null)
                } else {
                    quote!(null #name / #null: #ty)
                }
            }
        });
    }
    let builder = ident(&format!("{}Builder", def.name));
    let name = ident(&def.name);
    Some(quote!(rt::builder!(#builder -> #name { #( #entries ),* });))
}

/// `XBuilder`: a setter per field, named as the field; `build()` fails naming
/// the first required field left unset.
fn emit_builder(def: &TypeDef, shape: &Struct) -> TokenStream {
    let name = ident(&def.name);
    let builder = ident(&format!("{}Builder", def.name));
    let type_name = &def.name;
    let about_doc = own_doc(&format!("Builds a [`{0}`] by name: from [`{0}::builder`].", def.name));
    let fields = shape.fields.iter().map(|field| {
        let field_name = ident(&field.rust_name);
        let ty = field_type(field, At::Models);
        if field.required {
            quote!(#field_name: Option<#ty>,)
        } else {
            quote!(#field_name: #ty,)
        }
    });
    let setters = shape.fields.iter().filter(|field| !field.read_only).map(|field| {
        if field.required && field.nullable {
            // Required and nullable: the value is an `Option`, given as such.
            let ty = field_type(field, At::Models);
            return setter_call(field, true, quote!(#ty), false);
        }
        setter_call(field, field.required, setter_kind(field), field.nullable)
    });
    let inits = shape.fields.iter().map(|field| {
        let field_name = ident(&field.rust_name);
        let wire = &field.wire_name;
        if field.required {
            quote!(#field_name: rt::take(self.#field_name, TYPE, #wire)?)
        } else {
            quote!(#field_name: self.#field_name)
        }
    });
    let rest_init = shape.rest.as_ref().map(|rest| {
        let rest = ident(&rest.rust_name);
        quote!(, #rest: std::collections::BTreeMap::new())
    });
    quote! {
        #about_doc
        #[derive(Debug, Clone, Default)]
        #[must_use]
        pub struct #builder {
            #( #fields )*
        }

        impl #builder {
            #( #setters )*

            /// The value, or the first required field left unset.
            pub fn build(self) -> Result<#name, crate::MissingField> {
                const TYPE: &str = #type_name;
                Ok(#name { #( #inits ),* #rest_init })
            }
        }
    }
}

fn emit_field(field: &Field) -> TokenStream {
    let name = ident(&field.rust_name);
    let ty = field_type(field, At::Models);
    // What `Option<Option<T>>` means is said once, in the module's docs.
    let default_note = field.default.as_ref().map(|value| format!("Server default: `{value}`."));
    let read_only_note =
        field.read_only.then_some("Read-only: set by the server and never sent; `None` in a value you build.");
    let docs = described(
        field.description.as_deref(),
        facts(&field.wire_name, &field.ty),
        &[bounds_note(&field.bounds, "").as_deref(), default_note.as_deref(), read_only_note],
    );
    let rename = (field.rust_name != field.wire_name).then(|| {
        let wire = &field.wire_name;
        quote!(#[serde(rename = #wire)])
    });
    let optional = match (field.required, field.nullable, field.read_only) {
        // Read-only: decoded from responses, never sent.
        (_, false, true) => Some(quote!(#[serde(default, skip_serializing)])),
        (_, true, true) => Some(quote!(
            #[serde(default, skip_serializing, deserialize_with = "rt::nullable::deserialize")]
        )),
        // serde reads a missing `Option` field as `None` without `default`.
        (false, false, false) => Some(quote!(#[serde(skip_serializing_if = "Option::is_none")])),
        (false, true, false) => Some(quote!(
            #[serde(default, skip_serializing_if = "Option::is_none", with = "rt::nullable")]
        )),
        (true, _, false) => None,
    };
    // Deprecation is marked on the setter, not the field: a deprecated field would
    // warn in the crate's own constructor and serde code.
    let deprecated_note = field.deprecated.then(|| quote!(#[doc = ""] #[doc = " Deprecated in the spec."]));
    quote! {
        #docs
        #deprecated_note
        #rename
        #optional
        pub #name: #ty,
    }
}

/// `new(required…)`: callers name what the spec demands and nothing else; every
/// optional field starts unset.
fn emit_constructor(shape: &Struct) -> TokenStream {
    let required: Vec<&Field> = shape.fields.iter().filter(|field| field.required).collect();
    let params = required.iter().map(|field| {
        let name = ident(&field.rust_name);
        if takes_into(field) {
            quote!(#name: impl Into<String>)
        } else {
            let ty = field_type(field, At::Models);
            quote!(#name: #ty)
        }
    });
    let inits = shape.fields.iter().map(|field| {
        let name = ident(&field.rust_name);
        if !field.required {
            quote!(#name: None)
        } else if takes_into(field) {
            quote!(#name: #name.into())
        } else {
            quote!(#name)
        }
    });
    let rest_init = shape.rest.as_ref().map(|rest| {
        let rest = ident(&rest.rust_name);
        quote!(, #rest: std::collections::BTreeMap::new())
    });
    let allow = (required.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let about_doc = own_doc(if required.is_empty() {
        "A value with every field unset."
    } else {
        "A value from its required fields, in the spec's order."
    });
    quote! {
        #about_doc
        #allow
        pub fn new(#( #params ),*) -> Self {
            Self { #( #inits ),* #rest_init }
        }
    }
}

/// A plain string is taken as `impl Into<String>`, so `&str` works.
fn takes_into(field: &Field) -> bool {
    field.ty == TypeRef::String && !field.nullable && !field.boxed
}

/// Setter names that would shadow a trait method every model has, or the
/// constructor: such a field's setter is `with_{field}`.
const TAKEN_METHODS: &[&str] = &["clone", "deserialize", "eq", "fmt", "from", "into", "ne", "new", "serialize"];

/// A field's setter: named as the field, or `with_{field}` where that would
/// shadow a method every model has.
fn setter_name(field: &Field) -> String {
    if TAKEN_METHODS.contains(&field.rust_name.as_str()) || field.rust_name == "build" {
        format!("with_{}", field.rust_name)
    } else {
        field.rust_name.clone()
    }
}

/// `expires_in_days(7)` sets an optional field; for a nullable one,
/// `expires_in_days_null()` sends `null` on purpose.
fn emit_setter(field: &Field) -> TokenStream {
    if field.deprecated {
        return emit_deprecated_setter(field);
    }
    setter_call(field, false, setter_kind(field), field.nullable)
}

/// What `rt::setter!` is told of a field's value: `String` (taking
/// `impl Into<String>`), `object` (a `Map` or a `Value`), `boxed T` (taking a
/// `T`), or its type.
fn setter_kind(field: &Field) -> TokenStream {
    match (&field.ty, field.boxed) {
        (TypeRef::String, false) => quote!(String),
        // A `Map`, or a `json!` value checked to be an object.
        (TypeRef::Map, false) => quote!(object),
        (ty, true) => {
            let inner = type_ref(ty, At::Models);
            quote!(boxed #inner)
        }
        (ty, false) => type_ref(ty, At::Models),
    }
}

/// One `rt::setter!(…);` line: the runtime writes the setter (and, for a
/// nullable field, the one that sends `null`) with its doc.
fn setter_call(field: &Field, required: bool, kind: TokenStream, nullable: bool) -> TokenStream {
    let field_name = ident(&field.rust_name);
    let setter = setter_name(field);
    let named = if setter == field.rust_name {
        quote!(#field_name)
    } else {
        let setter = ident(&setter);
        quote!(#setter = #field_name)
    };
    let required = required.then(|| quote!(required));
    let null = nullable.then(|| {
        let null_setter = ident(&null_setter_name(&setter));
        quote!(, null #null_setter)
    });
    quote!(rt::setter!(#required #named: #kind #null);)
}

/// `type_` (a keyword's field) gives `type_null`, not `type__null`.
fn null_setter_name(setter: &str) -> String {
    format!("{}_null", setter.trim_end_matches('_'))
}

/// A deprecated field's setters, written out: they carry `#[deprecated]`,
/// which a line of `rt::setter!` has no room for.
fn emit_deprecated_setter(field: &Field) -> TokenStream {
    let field_name = ident(&field.rust_name);
    let setter = setter_name(field);
    let setter_ident = ident(&setter);
    let inner = type_ref(&field.ty, At::Models);
    let (arg, value) = match (&field.ty, field.boxed) {
        (TypeRef::String, false) => (quote!(impl Into<String>), quote!(value.into())),
        (_, true) => (inner.clone(), quote!(Box::new(value))),
        _ => (inner.clone(), quote!(value)),
    };
    let about_doc = own_doc(&format!("Sets `{}`.", field.rust_name));
    let deprecated = super::deprecated(true);
    let set = if field.nullable { quote!(Some(Some(#value))) } else { quote!(Some(#value)) };
    let null = field.nullable.then(|| {
        let null_setter = ident(&null_setter_name(&setter));
        let about_doc = own_doc(&format!("Sets `{}` to `null`: it is sent, as `null`.", field.rust_name));
        quote! {
            #about_doc
            #deprecated
            #[allow(deprecated)]
            pub fn #null_setter(mut self) -> Self {
                self.#field_name = Some(None);
                self
            }
        }
    });
    quote! {
        #about_doc
        #deprecated
        #[allow(deprecated)]
        pub fn #setter_ident(mut self, value: #arg) -> Self {
            self.#field_name = #set;
            self
        }
        #null
    }
}

/// `other_properties`: the properties the spec does not name, kept in a map
/// of the type `additionalProperties` gives them.
fn emit_rest(rest: &Rest) -> TokenStream {
    let name = ident(&rest.rust_name);
    let item = type_ref(&rest.item, At::Models);
    let item = if rest.nullable { quote!(Option<#item>) } else { item };
    quote! {
        /// The other properties, by name: the ones this type has no field for.
        #[serde(flatten)]
        pub #name: std::collections::BTreeMap<String, #item>,
    }
}

/// `pub type X = BTreeMap<String, T>;` (or `Vec<Option<T>>`).
fn emit_alias(def: &TypeDef, alias: &Alias) -> TokenStream {
    let name = ident(&def.name);
    let item = type_ref(&alias.item, At::Models);
    let item = if alias.nullable { quote!(Option<#item>) } else { item };
    let shown = alias.item.rust("");
    let (ty, fallback) = match alias.container {
        Container::Map if alias.nullable => {
            (quote!(std::collections::BTreeMap<String, #item>), format!("`{shown}` values, or `null`, by key."))
        }
        Container::Map => (quote!(std::collections::BTreeMap<String, #item>), format!("`{shown}` values by key.")),
        Container::List => (quote!(Vec<#item>), format!("A list of `{shown}`, each of which may be `null`.")),
    };
    let docs = doc(&[Some(def.description.as_deref().unwrap_or(&fallback))]);
    quote! {
        #docs
        pub type #name = #ty;
    }
}

/// A closed enum: a value the spec does not list fails to decode.
fn emit_closed_enum(def: &TypeDef, values: &[EnumValue]) -> TokenStream {
    let name = ident(&def.name);
    let fallback = format!("The values of `{}`.", def.name);
    let docs = doc(&[Some(def.description.as_deref().unwrap_or(&fallback))]);
    let variants = values.iter().map(|value| {
        let variant = ident(&value.variant);
        let wire = &value.wire;
        let wire_doc = doc(&[Some(&format!("`{}`", value.wire))]);
        quote!(#wire_doc #[serde(rename = #wire)] #variant,)
    });
    let to_str = values.iter().map(|value| {
        let variant = ident(&value.variant);
        let wire = &value.wire;
        quote!(Self::#variant => #wire,)
    });
    quote! {
        #docs
        ///
        /// Closed: a value it does not list is a decoding error.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        #[non_exhaustive]
        pub enum #name {
            #( #variants )*
        }

        impl #name {
            /// The value as it appears on the wire.
            pub fn as_str(&self) -> &'static str {
                match self {
                    #( #to_str )*
                }
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    }
}

fn emit_enum(def: &TypeDef, values: &[EnumValue]) -> TokenStream {
    let name = ident(&def.name);
    let fallback = format!("The values of `{}`.", def.name);
    let docs = doc(&[Some(def.description.as_deref().unwrap_or(&fallback))]);
    let variants = values.iter().map(|value| {
        let variant = ident(&value.variant);
        let wire_doc = doc(&[Some(&format!("`{}`", value.wire))]);
        quote!(#wire_doc #variant,)
    });
    let pairs = values.iter().map(|value| {
        let variant = ident(&value.variant);
        let wire = &value.wire;
        quote!(#variant = #wire)
    });
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #( #variants )*
            /// A value the spec does not list, as sent.
            Unknown(crate::UnknownValue),
        }

        rt::open_enum_impls!(#name { #( #pairs ),* });
    }
}

fn emit_query(operation_id: &str, call: &str, query: &QueryParams) -> TokenStream {
    let name = ident(&query.type_name);
    let about = doc(&[Some(&format!(
        "The query parameters of `{operation_id}`, to set on its call at once (`params`); unset ones are left out of the URL."
    ))]);
    let all_optional = query.params.iter().all(|param| !param.required);
    let derive_default = all_optional.then(|| quote!(Default,));
    let fields = query.params.iter().map(|param| emit_query_field(call, param));
    let required: Vec<&Param> = query.params.iter().filter(|param| param.required).collect();
    let new_params = required.iter().map(|param| {
        let name = ident(&param.rust_name);
        let ty = param_type(param, At::Models);
        quote!(#name: #ty)
    });
    let inits = query.params.iter().map(|param| {
        let name = ident(&param.rust_name);
        if param.required {
            quote!(#name)
        } else {
            quote!(#name: None)
        }
    });
    let setters = query.params.iter().filter(|param| !param.required).map(|param| {
        let name = ident(&param.rust_name);
        let kind = match &param.ty {
            TypeRef::String => quote!(String),
            other => type_ref(other, At::Models),
        };
        quote!(rt::setter!(#name: #kind);)
    });
    let allow = (required.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let new_doc_doc = own_doc(if required.is_empty() {
        "Parameters with none set."
    } else {
        "Parameters with the required ones set and every other unset."
    });
    quote! {
        #about
        #[derive(Debug, Clone, PartialEq, #derive_default)]
        #[non_exhaustive]
        pub struct #name {
            #( #fields )*
        }

        impl #name {
            #new_doc_doc
            #allow
            pub fn new(#( #new_params ),*) -> Self {
                Self { #( #inits ),* }
            }

            #( #setters )*
        }
    }
}

fn emit_query_field(call: &str, param: &Param) -> TokenStream {
    let name = ident(&param.rust_name);
    let ty = param_type(param, At::Models);
    // Said once, on the call's setter, which a caller meets first.
    let short_call = call.rsplit("::").next().unwrap_or(call);
    let docs = own_doc(&format!("As [`{short_call}::{0}`]({call}::{0}).", param.rust_name));
    quote! {
        #docs
        pub #name: #ty,
    }
}

/// The spec's description and `notes`, or, when it has none, the facts (the
/// generator's own text, links and all) and the notes.
fn described(description: Option<&str>, facts: String, notes: &[Option<&str>]) -> TokenStream {
    match description {
        Some(text) => doc(&[&[Some(text)], notes].concat()),
        None => {
            let facts = own_doc(&facts);
            let notes = doc(notes);
            if notes.is_empty() {
                facts
            } else {
                quote!(#facts #[doc = ""] #notes)
            }
        }
    }
}

/// What the spec says of a field or parameter it does not describe: its wire
/// name and what it holds (`` `created_at`: a 64-bit integer. ``); its bounds
/// and default follow as notes of their own.
pub(super) fn facts(wire_name: &str, ty: &TypeRef) -> String {
    format!("{}: {}.", super::docs::code(wire_name), holds(ty, false))
}

/// `a string`, `a list of strings`, `[`Thing`]`, `lists 3 deep of strings`.
fn holds(ty: &TypeRef, plural: bool) -> String {
    // Lists nest as deep as the spec allows: counted, not spelled out.
    let mut depth = 0;
    let mut inner = ty;
    while let TypeRef::Array(item) = inner {
        depth += 1;
        inner = item;
    }
    let (one, many) = match inner {
        TypeRef::String => ("a string".to_owned(), "strings".to_owned()),
        TypeRef::Integer { bits } => (format!("a {bits}-bit integer"), format!("{bits}-bit integers")),
        TypeRef::Number { bits } => (format!("a {bits}-bit number"), format!("{bits}-bit numbers")),
        TypeRef::Boolean => ("a boolean".to_owned(), "booleans".to_owned()),
        TypeRef::Map => ("a JSON object".to_owned(), "JSON objects".to_owned()),
        TypeRef::Any => ("any JSON value".to_owned(), "JSON values".to_owned()),
        TypeRef::Named(name) => (format!("[`{name}`]"), format!("[`{name}`]")),
        // Not reached: the loop above unwrapped every list.
        TypeRef::Array(_) => ("a list".to_owned(), "lists".to_owned()),
    };
    match (depth, plural) {
        (0, false) => one,
        (0, true) => many,
        (1, false) => format!("a list of {many}"),
        (1, true) => format!("lists of {many}"),
        (depth, _) => format!("lists {depth} deep of {many}"),
    }
}

/// "Between 1 and 365." / "At least 0." / "At most 10 items."
pub(super) fn bounds_note(bounds: &Bounds, unit: &str) -> Option<String> {
    match (bounds.min, bounds.max) {
        (Some(min), Some(max)) => Some(format!("Between {min} and {max}{unit}.")),
        (Some(min), None) => Some(format!("At least {min}{unit}.")),
        (None, Some(max)) => Some(format!("At most {max}{unit}.")),
        (None, None) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facts_name_what_a_field_holds_once_per_level_however_deep() {
        assert_eq!(facts("id", &TypeRef::String), "`id`: a string.");
        let list = TypeRef::Array(Box::new(TypeRef::Named("Thing".to_owned())));
        assert_eq!(facts("things", &list), "`things`: a list of [`Thing`].");
        let mut deep = TypeRef::Integer { bits: 64 };
        for _ in 0..96 {
            deep = TypeRef::Array(Box::new(deep));
        }
        // Spelled out level by level (twice per level, once) this took minutes.
        assert_eq!(facts("grid", &deep), "`grid`: lists 96 deep of 64-bit integers.");
    }
}
