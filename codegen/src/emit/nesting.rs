//! The nesting check of request bodies: `impl Nested` for the types that need
//! it, and the call of `runtime::nesting` a method makes before anything else.
//!
//! Serialising a value is recursive, so a body nested deeply enough overflows
//! the stack of the thread sending it. Two things make a body deep: free-form
//! JSON (`serde_json::Value`, `serde_json::Map`), which can nest without end,
//! and types that hold themselves (a `Node` with a `next: Node`), which can too.
//! A type needs the check if a value of it can reach either, along any path:
//! fields, the flattened map of other properties, union variants (a tagged
//! union's `Unknown` catch-all is free-form itself), maps, lists, `Option` and
//! `Box`. Only JSON bodies can: query, header and form values are scalars,
//! enums or lists of them (`lower` refuses the rest).
//!
//! Each such type, when a request body can hold it, gets one `impl Nested`
//! naming the fields or variants that need the check; types that need none get
//! nothing, and aliases (`BTreeMap<String, T>`, `Vec<T>`) need no code of their
//! own because the runtime implements `Nested` for the containers. The runtime
//! walks free-form JSON without recursion and counts typed and free-form levels
//! toward one limit (`openapi_client_runtime::limits::NESTING`), which also bounds
//! the recursion of the generated impls.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::quote;

use super::ident;
use crate::ir::{Api, TypeDef, TypeKind, TypeRef, CATCH_ALL};

/// The named types (aliases included) a request body can hold that need the check.
#[derive(Debug, Default)]
pub struct Checked {
    names: BTreeSet<String>,
}

impl Checked {
    /// Linear in the number of types and what they hold: Clerk's whole
    /// document has hundreds of types.
    pub fn of(api: &Api) -> Checked {
        // What each type holds, and what holds each.
        let holds: BTreeMap<&str, BTreeSet<&str>> = api
            .types
            .iter()
            .map(|(name, def)| (name.as_str(), def.kind.holds().into_iter().filter_map(TypeRef::named).collect()))
            .collect();
        let mut held_by: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for (holder, held) in &holds {
            for name in held {
                held_by.entry(name).or_default().insert(holder);
            }
        }
        // Types that reach free-form JSON: those holding it (a tagged union's
        // catch-all is), and whatever holds them.
        let free_form: Vec<&str> = api
            .types
            .values()
            .filter(|def| {
                matches!(def.kind, TypeKind::Tagged(_))
                    || def.kind.holds().into_iter().any(|ty| matches!(innermost(ty), TypeRef::Map | TypeRef::Any))
            })
            .map(|def| def.name.as_str())
            .collect();
        let mut deep = reachable(&held_by, &free_form);
        // Types that reach one holding itself: what is left once types holding
        // nothing left are taken away, again and again.
        let mut left: BTreeMap<&str, usize> = holds.iter().map(|(name, held)| (*name, held.len())).collect();
        let mut done: Vec<&str> = left.iter().filter(|(_, count)| **count == 0).map(|(name, _)| *name).collect();
        while let Some(name) = done.pop() {
            left.remove(name);
            for holder in held_by.get(name).into_iter().flatten() {
                if let Some(count) = left.get_mut(holder) {
                    *count -= 1;
                    if *count == 0 {
                        done.push(holder);
                    }
                }
            }
        }
        deep.extend(left.into_keys());
        let requests: Vec<&str> = api
            .operations()
            .filter_map(|operation| operation.body.as_ref())
            .filter(|body| body.form.is_none())
            .filter_map(|body| body.ty.named())
            .collect();
        let names = reachable(&holds, &requests).into_iter().filter(|name| deep.contains(name)).map(str::to_owned);
        Checked { names: names.collect() }
    }

    /// Whether a value of `ty` needs the check.
    pub fn needs(&self, ty: &TypeRef) -> bool {
        match ty {
            TypeRef::Map | TypeRef::Any => true,
            TypeRef::Array(item) => self.needs(item),
            TypeRef::Named(name) => self.names.contains(name),
            TypeRef::String | TypeRef::Integer { .. } | TypeRef::Number { .. } | TypeRef::Boolean => false,
        }
    }
}

/// The item type of (nested) lists, or the type itself.
fn innermost(ty: &TypeRef) -> &TypeRef {
    match ty {
        TypeRef::Array(item) => innermost(item),
        other => other,
    }
}

/// The types reachable from `from` (themselves included), following `edges`.
fn reachable<'a>(edges: &BTreeMap<&'a str, BTreeSet<&'a str>>, from: &[&'a str]) -> BTreeSet<&'a str> {
    let mut seen = BTreeSet::new();
    let mut pending = from.to_vec();
    while let Some(name) = pending.pop() {
        if seen.insert(name) {
            pending.extend(edges.get(name).into_iter().flatten());
        }
    }
    seen
}

/// `impl Nested for {def}`, if its values need the check: each field or
/// variant that needs it, checked in turn. Aliases and enums have none.
pub fn impl_nested(def: &TypeDef, checked: &Checked) -> Option<TokenStream> {
    if !checked.names.contains(&def.name) {
        return None;
    }
    let (kind, body) = match &def.kind {
        TypeKind::Struct(shape) => {
            let fields = shape.fields.iter().filter(|field| checked.needs(&field.ty)).map(|field| {
                let (wire, name) = (&field.wire_name, ident(&field.rust_name));
                quote!(depth.field(#wire, &mut self.#name);)
            });
            let rest = shape.rest.as_ref().filter(|rest| checked.needs(&rest.item)).map(|rest| {
                let name = ident(&rest.rust_name);
                quote!(depth.each(self.#name.values_mut());)
            });
            (None, quote!(#( #fields )* #rest))
        }
        TypeKind::Tagged(union) => {
            let variants = union.variants.iter().map(|variant| (&variant.name, &variant.ty));
            let mut arms = variant_arms(variants, checked);
            // The catch-all holds the object as sent: free-form JSON.
            arms.push(ident(CATCH_ALL));
            (Some(quote!(Union)), match_variants(arms, union.variants.len() + 1))
        }
        TypeKind::Untagged(union) => {
            let variants = union.variants.iter().map(|variant| (&variant.name, &variant.ty));
            let arms = variant_arms(variants, checked);
            (Some(quote!(Union)), match_variants(arms, union.variants.len()))
        }
        TypeKind::Enum(_) | TypeKind::Alias(_) => return None,
    };
    let name = ident(&def.name);
    let kind = kind.map(|kind| quote!(const KIND: rt::Kind = rt::Kind::#kind;));
    Some(quote! {
        impl rt::Nested for #name {
            #kind

            fn check_inside(&mut self, depth: &mut rt::Depth) {
                #body
            }
        }
    })
}

/// The variants whose value needs the check.
fn variant_arms<'v>(
    variants: impl Iterator<Item = (&'v String, &'v TypeRef)>,
    checked: &Checked,
) -> Vec<proc_macro2::Ident> {
    variants.filter(|(_, ty)| checked.needs(ty)).map(|(name, _)| ident(name)).collect()
}

/// `depth.visit(value)` for the variants `arms` of a union of `variants`: a
/// `match` (with `_` for the others), or an `if let` for one of several.
fn match_variants(arms: Vec<proc_macro2::Ident>, variants: usize) -> TokenStream {
    match arms.as_slice() {
        [only] if variants > 1 => quote! {
            if let Self::#only(value) = self {
                depth.visit(value);
            }
        },
        _ => {
            let others = (arms.len() < variants).then(|| quote!(_ => {}));
            quote! {
                match self {
                    #( Self::#arms(value) => depth.visit(value), )*
                    #others
                }
            }
        }
    }
}

/// The nesting check of a call's body (`self.body`, an `Option`).
pub fn body_check() -> TokenStream {
    quote! {
        if let Some(body) = &mut self.body {
            rt::nesting(OPERATION.id, "body", body)?;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The types that need the check, for the operation `PUT /x` whose JSON
    /// body is `Body`, among `schemas` (YAML, indented as under `schemas:`).
    fn checked(schemas: &str) -> Vec<String> {
        let spec = format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /x:\n    put:\n      operationId: PutX\n\
             \x20     requestBody:\n        content:\n          application/json:\n\
             \x20           schema: {{$ref: '#/components/schemas/Body'}}\n\
             \x20     responses:\n        '200':\n          description: ok\n          content:\n\
             \x20           application/json:\n              schema: {{$ref: '#/components/schemas/Answer'}}\n\
             components:\n  schemas:\n{schemas}"
        );
        let document: openapiv3::OpenAPI = serde_yaml::from_str(&spec).expect("a document");
        let selection = crate::Selection { tag: None, operation_ids: Vec::new() };
        let selected = crate::select::select(&document, &selection).expect("selected");
        let (api, _) =
            crate::lower::lower(&document, &selected, crate::lower::OpenEnums::All, false, None).expect("lowered");
        let checked = Checked::of(&api);
        api.types.keys().filter(|name| checked.names.contains(*name)).cloned().collect()
    }

    #[test]
    fn types_that_reach_free_form_json_or_themselves_from_a_request_need_the_check() {
        let schemas = "
    Body:
      type: object
      properties:
        name: {type: string}
        plain: {$ref: '#/components/schemas/Plain'}
        holder: {$ref: '#/components/schemas/Holder'}
        choice: {$ref: '#/components/schemas/Choice'}
        kinds: {$ref: '#/components/schemas/Kinds'}
        chain: {$ref: '#/components/schemas/Node'}
        forest: {$ref: '#/components/schemas/Forest'}
    Plain:
      type: object
      properties:
        count: {type: integer}
        labels: {type: object, additionalProperties: {type: string}}
    Holder:
      type: object
      properties:
        inner: {$ref: '#/components/schemas/Inner'}
    Inner:
      type: object
      properties:
        notes: {type: array, items: {}}
    Choice:
      oneOf:
        - {type: string}
        - {type: integer}
    Kinds:
      type: object
      additionalProperties: {$ref: '#/components/schemas/Kind'}
    Kind:
      oneOf:
        - $ref: '#/components/schemas/Plain'
      discriminator: {propertyName: kind}
    Node:
      type: object
      properties:
        next: {$ref: '#/components/schemas/Node'}
    Forest:
      type: object
      properties:
        trees: {type: array, items: {$ref: '#/components/schemas/Forest'}}
    Answer:
      type: object
      properties:
        metadata: {type: object}
";
        // `Kinds` (an alias of a map of tagged unions, whose catch-all is
        // free-form) needs no impl but is checked through the runtime's; a
        // recursive struct needs the check without any free-form JSON, whether
        // it holds itself directly (`Node`) or through a list (`Forest`); types
        // only answers hold (`Answer`) and those without either (`Plain`,
        // `Choice`) need none.
        assert_eq!(checked(schemas), ["Body", "Forest", "Holder", "Inner", "Kind", "Kinds", "Node"]);
    }
}
