//! Rust types as tokens. The standard types the generated code names bare
//! (`String`, `Option`, `Vec`, `Box`, `Result`, `From`, `Into`) are names no spec
//! type can take (`names::type_name` gives a spec type of such a name a
//! `Model` suffix: `StringModel`), so nothing a spec defines shadows them;
//! spec types are bare inside `models.rs` and `models::X` elsewhere.

use proc_macro2::TokenStream;
use quote::quote;

use super::ident;
use crate::ir::{Field, Param, TypeRef};

/// Where the type is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum At {
    /// Inside `models.rs`, next to the spec's types.
    Models,
    /// In a group module, which sees the spec's types as `models::X`.
    Group,
}

pub fn type_ref(ty: &TypeRef, at: At) -> TokenStream {
    match ty {
        TypeRef::String => quote!(String),
        TypeRef::Integer { bits: 32 } => quote!(i32),
        TypeRef::Integer { .. } => quote!(i64),
        TypeRef::Number { bits: 32 } => quote!(f32),
        TypeRef::Number { .. } => quote!(f64),
        TypeRef::Boolean => quote!(bool),
        TypeRef::Map => quote!(serde_json::Map<String, serde_json::Value>),
        TypeRef::Any => quote!(serde_json::Value),
        TypeRef::Array(item) => {
            let item = type_ref(item, at);
            quote!(Vec<#item>)
        }
        TypeRef::Named(name) => named(name, at),
    }
}

pub fn named(name: &str, at: At) -> TokenStream {
    let name = ident(name);
    match at {
        At::Models => quote!(#name),
        At::Group => quote!(models::#name),
    }
}

/// A field's type, in as many `Option`s as `Field::options` says.
pub fn field_type(field: &Field, at: At) -> TokenStream {
    let inner = type_ref(&field.ty, at);
    let inner = if field.boxed { quote!(Box<#inner>) } else { inner };
    (0..field.options()).fold(inner, |inner, _| quote!(Option<#inner>))
}

/// A query parameter's field type: `T` when required, else `Option<T>`.
pub fn param_type(param: &Param, at: At) -> TokenStream {
    let inner = type_ref(&param.ty, at);
    if param.required {
        inner
    } else {
        quote!(Option<#inner>)
    }
}
