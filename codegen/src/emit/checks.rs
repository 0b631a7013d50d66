//! The checks a generated method makes before sending anything: the spec's
//! bounds (`minimum`/`maximum` of integer parameters and body fields,
//! `minItems`/`maxItems` of a list body). The nesting depth of the body is
//! checked first, by `nesting`.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use super::ident;
use super::types::{named, At};
use crate::ir::{Api, Body, Bounds, Container, Param, TypeDef, TypeKind, TypeRef};

/// The bounds check of a query parameter's value (`value`, an integer), if it has bounds.
pub fn param(param: &Param, value: TokenStream) -> Option<TokenStream> {
    self::value(&param.wire_name, &param.ty, &param.bounds, value)
}

/// The bounds check of a value (`value`, an integer) named `argument`, if it has bounds.
pub fn value(argument: &str, ty: &TypeRef, bounds: &Bounds, value: TokenStream) -> Option<TokenStream> {
    if bounds.is_empty() || !matches!(ty, TypeRef::Integer { .. }) {
        return None;
    }
    Some(range_check(argument, ty, bounds, value))
}

/// The checks of a body, `binding` being a reference to it: the item count of a
/// list, and the bounds of every field, descending into structs.
pub fn body(api: &Api, body: &Body, binding: TokenStream) -> TokenStream {
    let mut checks = Vec::new();
    if let TypeRef::Array(item) = &body.ty {
        if !body.bounds.is_empty() {
            let (min, max) = (option_tokens(body.bounds.min), option_tokens(body.bounds.max));
            checks.push(quote!(rt::count(OPERATION.id, "body", #binding.len(), #min, #max)?;));
        }
        let items = value_checks(api, item, &Bounds::default(), quote!(item), "body", &mut BTreeSet::new());
        if !items.is_empty() {
            checks.push(quote! {
                for item in #binding {
                    #( #items )*
                }
            });
        }
    } else {
        checks = value_checks(api, &body.ty, &Bounds::default(), binding, "body", &mut BTreeSet::new());
    }
    quote!(#( #checks )*)
}

/// The checks of `binding`, a reference to a value of type `ty` named
/// `argument` in errors, descending into structs (each at most once on a path,
/// so recursive types end) and lists.
fn value_checks(
    api: &Api,
    ty: &TypeRef,
    bounds: &Bounds,
    binding: TokenStream,
    argument: &str,
    visiting: &mut BTreeSet<String>,
) -> Vec<TokenStream> {
    match ty {
        TypeRef::Integer { .. } if !bounds.is_empty() => vec![range_check(argument, ty, bounds, quote!(*#binding))],
        TypeRef::Array(item) => {
            let inner = value_checks(api, item, &Bounds::default(), quote!(item), argument, visiting);
            if inner.is_empty() {
                return Vec::new();
            }
            vec![quote! {
                for item in #binding {
                    #( #inner )*
                }
            }]
        }
        TypeRef::Named(name) => {
            let Some(def) = api.types.get(name) else { return Vec::new() };
            if !visiting.insert(name.clone()) {
                return Vec::new();
            }
            let checks = named_checks(api, def, binding, argument, visiting);
            visiting.remove(name);
            checks
        }
        _ => Vec::new(),
    }
}

/// The checks of a value of the named type `def`: its fields (and the map of
/// other properties), the variant it holds, or an alias's items.
fn named_checks(
    api: &Api,
    def: &TypeDef,
    binding: TokenStream,
    argument: &str,
    visiting: &mut BTreeSet<String>,
) -> Vec<TokenStream> {
    let mut checks = Vec::new();
    match &def.kind {
        TypeKind::Struct(shape) => {
            for field in &shape.fields {
                let inner = value_checks(api, &field.ty, &field.bounds, quote!(value), &field.wire_name, visiting);
                if inner.is_empty() {
                    continue;
                }
                let name = ident(&field.rust_name);
                checks.push(match (field.required, field.nullable) {
                    (true, false) => quote! { let value = &#binding.#name; #( #inner )* },
                    (true, true) | (false, false) => quote! { if let Some(value) = &#binding.#name { #( #inner )* } },
                    (false, true) => quote! { if let Some(Some(value)) = &#binding.#name { #( #inner )* } },
                });
            }
            if let Some(rest) = &shape.rest {
                let name = ident(&rest.rust_name);
                let map = quote!(#binding.#name);
                checks.extend(items_checks(api, &rest.item, rest.nullable, quote!(#map.values()), argument, visiting));
            }
        }
        TypeKind::Alias(alias) => {
            let items = match alias.container {
                Container::Map => quote!(#binding.values()),
                Container::List => quote!(#binding.iter()),
            };
            checks.extend(items_checks(api, &alias.item, alias.nullable, items, argument, visiting));
        }
        TypeKind::Tagged(union) => {
            let path = named(&def.name, At::Group);
            let arms = variant_arms(api, &path, union.variants.iter().map(|v| (&v.name, &v.ty)), argument, visiting);
            // The catch-all has no bounds to check.
            checks.extend(match_variants(binding, arms, union.variants.len() + 1));
        }
        TypeKind::Untagged(union) => {
            let path = named(&def.name, At::Group);
            let arms = variant_arms(api, &path, union.variants.iter().map(|v| (&v.name, &v.ty)), argument, visiting);
            checks.extend(match_variants(binding, arms, union.variants.len()));
        }
        TypeKind::Enum(_) => {}
    }
    checks
}

/// `(pattern, checks)` for each variant whose value has checks.
fn variant_arms<'v>(
    api: &Api,
    path: &TokenStream,
    variants: impl Iterator<Item = (&'v String, &'v TypeRef)>,
    argument: &str,
    visiting: &mut BTreeSet<String>,
) -> Vec<(TokenStream, TokenStream)> {
    let mut arms = Vec::new();
    for (variant, ty) in variants {
        let inner = value_checks(api, ty, &Bounds::default(), quote!(value), argument, visiting);
        if !inner.is_empty() {
            let variant = ident(variant);
            arms.push((quote!(#path::#variant(value)), quote!(#( #inner )*)));
        }
    }
    arms
}

/// A `match` over the arms (with `_` for variants without checks), or an
/// `if let` when one variant has checks.
fn match_variants(binding: TokenStream, arms: Vec<(TokenStream, TokenStream)>, variants: usize) -> Option<TokenStream> {
    match arms.as_slice() {
        [] => None,
        [(pattern, body)] if variants > 1 => Some(quote!(if let #pattern = #binding { #body })),
        _ => {
            let others = (arms.len() < variants).then(|| quote!(_ => {}));
            let arms = arms.iter().map(|(pattern, body)| quote!(#pattern => { #body }));
            Some(quote! {
                match #binding {
                    #( #arms )*
                    #others
                }
            })
        }
    }
}

/// The checks of every item of a list or map (`items` iterates over references).
fn items_checks(
    api: &Api,
    item: &TypeRef,
    nullable: bool,
    items: TokenStream,
    argument: &str,
    visiting: &mut BTreeSet<String>,
) -> Vec<TokenStream> {
    let inner = value_checks(api, item, &Bounds::default(), quote!(item), argument, visiting);
    if inner.is_empty() {
        return Vec::new();
    }
    let body = if nullable { quote!(if let Some(item) = item { #( #inner )* }) } else { quote!(#( #inner )*) };
    vec![quote! {
        for item in #items {
            #body
        }
    }]
}

fn range_check(argument: &str, ty: &TypeRef, bounds: &Bounds, value: TokenStream) -> TokenStream {
    let (min, max) = (option_tokens(bounds.min), option_tokens(bounds.max));
    let value = match ty {
        TypeRef::Integer { bits: 64 } => value,
        _ => quote!(i64::from(#value)),
    };
    quote!(rt::range(OPERATION.id, #argument, #value, #min, #max)?;)
}

fn option_tokens(value: Option<i64>) -> TokenStream {
    match value {
        Some(value) => {
            let value = proc_macro2::Literal::i64_unsuffixed(value);
            quote!(Some(#value))
        }
        None => quote!(None),
    }
}
