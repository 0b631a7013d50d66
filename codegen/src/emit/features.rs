//! A cargo feature per group, in a crate with more than one: a user compiles
//! only the groups they use. Each group's module sits behind its feature, and
//! so does every model only some groups reach, behind theirs
//! (`#[cfg(any(feature = "users", feature = "organizations"))]`). A model
//! every group reaches, or the error model (which the crate root's
//! `ErrorBody` names), and what it reaches, is always compiled. The default
//! features turn every group on.
//!
//! A type a gated model holds is reached by at least the same groups, so a
//! gate never hides a type that something compiled still names.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Api, ErrorStyle, Group, Output, TypeRef};
use crate::lower::reachable::{reached_from, roots};

/// The groups (their features) behind which each gated item sits.
#[derive(Debug, Default)]
pub struct Features {
    /// A model's gating groups, by Rust name; a model not listed is always on.
    by_type: BTreeMap<String, BTreeSet<String>>,
    /// The group of each operation, by operationId.
    by_operation: BTreeMap<String, String>,
}

/// Whether the crate has group features: it has more than one group.
pub fn per_group(api: &Api) -> bool {
    api.groups.len() > 1
}

/// Features the crate's `Cargo.toml` has whatever its groups: a group may not
/// take their names (a group called `default` would make the key twice).
/// Most are spelled with `-`, which no module name has; `default` and `http2`
/// are not.
const CRATE_FEATURES: &[&str] =
    &["default", "rustls-tls", "rustls-tls-native-roots", "native-tls", "http2", "test-util", "reqwest-client"];

/// The feature of the group whose module is `module`: the module's name, or,
/// when the crate already has a feature of that name, the name with `_group`
/// added until no other group's module has it.
pub fn feature_name(groups: &[Group], module: &str) -> String {
    let mut name = module.to_owned();
    while CRATE_FEATURES.contains(&name.as_str()) || (name != module && groups.iter().any(|group| group.module == name))
    {
        name.push_str("_group");
    }
    name
}

impl Features {
    /// `None` for a crate of one group: it has no group features.
    pub fn of(api: &Api) -> Option<Features> {
        if !per_group(api) {
            return None;
        }
        let mut reached_by: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        let mut by_operation = BTreeMap::new();
        for group in &api.groups {
            let feature = feature_name(&api.groups, &group.module);
            for name in reached_from(&api.types, group.operations.iter().flat_map(roots)) {
                reached_by.entry(name).or_default().insert(feature.clone());
            }
            for operation in &group.operations {
                by_operation.insert(operation.operation_id.clone(), feature.clone());
            }
        }
        let always: BTreeSet<String> = match &api.errors.style {
            ErrorStyle::Schema(name) => reached_from(&api.types, std::iter::once(&TypeRef::Named(name.clone()))),
            _ => BTreeSet::new(),
        };
        let by_type = reached_by
            .into_iter()
            .filter(|(name, groups)| groups.len() < api.groups.len() && !always.contains(name))
            .collect();
        Some(Features { by_type, by_operation })
    }

    /// The groups a model is compiled for; `None` when always.
    pub fn of_type(&self, name: &str) -> Option<&BTreeSet<String>> {
        self.by_type.get(name)
    }

    /// `#[cfg(…)]` for a model, if gated.
    pub fn type_cfg(&self, name: &str) -> Option<TokenStream> {
        self.of_type(name).map(cfg)
    }

    /// `#[cfg(feature = "group")]` for what belongs to one operation (its
    /// query parameters, form, status enum).
    pub fn operation_cfg(&self, operation_id: &str) -> Option<TokenStream> {
        self.by_operation.get(operation_id).map(|group| cfg(&BTreeSet::from([group.clone()])))
    }

    /// `#[cfg(…)]` for what needs two models (a conversion between them).
    pub fn pair_cfg(&self, a: &str, b: &str) -> Option<TokenStream> {
        match (self.of_type(a), self.of_type(b)) {
            (None, None) => None,
            (Some(groups), None) | (None, Some(groups)) => Some(cfg(groups)),
            (Some(first), Some(second)) => {
                let (first, second) = (any(first), any(second));
                Some(quote!(#[cfg(all(#first, #second))]))
            }
        }
    }

    /// The gate of each item `model_names`-style names of the crate root
    /// re-exports: a model, its builder, an operation's own type.
    pub fn names_cfg(&self, api: &Api, name: &str) -> Option<TokenStream> {
        if let Some(model) = name.strip_suffix("Builder").filter(|model| api.types.contains_key(*model)) {
            return self.type_cfg(model);
        }
        if api.types.contains_key(name) {
            return self.type_cfg(name);
        }
        let owner = api.operations().find(|operation| {
            operation.query.as_ref().is_some_and(|query| query.type_name == name)
                || operation
                    .body
                    .as_ref()
                    .and_then(|body| body.form.as_ref())
                    .is_some_and(|form| form.type_name == name)
                || matches!(&operation.output, Output::ByStatus(choice) if choice.type_name == name)
        });
        owner.and_then(|operation| self.operation_cfg(&operation.operation_id))
    }
}

/// `feature = "a"`, or `any(feature = "a", feature = "b")`.
fn any(groups: &BTreeSet<String>) -> TokenStream {
    match groups.iter().collect::<Vec<_>>().as_slice() {
        [only] => quote!(feature = #only),
        many => quote!(any( #( feature = #many ),* )),
    }
}

fn cfg(groups: &BTreeSet<String>) -> TokenStream {
    let any = any(groups);
    quote!(#[cfg(#any)])
}

/// `tokens`' items, each behind `cfg` (when there is one). Parsed as a file
/// so that every kind of item gets the attribute in front of its own.
pub fn gate(tokens: TokenStream, cfg: Option<&TokenStream>) -> TokenStream {
    let Some(cfg) = cfg else { return tokens };
    let Ok(mut file) = syn::parse2::<syn::File>(tokens.clone()) else {
        // Formatting parses the same tokens and names the error.
        return tokens;
    };
    for item in &mut file.items {
        if let Some(attrs) = attributes(item) {
            // After the item's docs, so that they still open it.
            let after_docs = attrs.iter().take_while(|attr| attr.path().is_ident("doc")).count();
            attrs.insert(after_docs, syn::parse_quote!(#cfg));
        }
    }
    quote!(#file)
}

fn attributes(item: &mut syn::Item) -> Option<&mut Vec<syn::Attribute>> {
    Some(match item {
        syn::Item::Const(item) => &mut item.attrs,
        syn::Item::Enum(item) => &mut item.attrs,
        syn::Item::Fn(item) => &mut item.attrs,
        syn::Item::Impl(item) => &mut item.attrs,
        syn::Item::Macro(item) => &mut item.attrs,
        syn::Item::Mod(item) => &mut item.attrs,
        syn::Item::Static(item) => &mut item.attrs,
        syn::Item::Struct(item) => &mut item.attrs,
        syn::Item::Trait(item) => &mut item.attrs,
        syn::Item::Type(item) => &mut item.attrs,
        syn::Item::Union(item) => &mut item.attrs,
        syn::Item::Use(item) => &mut item.attrs,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_group_never_takes_a_feature_the_crate_has() {
        let group = |module: &str| Group {
            module: module.to_owned(),
            title: module.to_owned(),
            type_name: "Api".to_owned(),
            operations: Vec::new(),
        };
        let groups = [group("default"), group("default_group"), group("pets")];
        assert_eq!(feature_name(&groups, "default"), "default_group_group");
        assert_eq!(feature_name(&groups, "default_group"), "default_group");
        assert_eq!(feature_name(&groups, "pets"), "pets");
    }

    #[test]
    fn every_item_gets_the_gate_in_front() {
        let tokens = quote! {
            /// A model.
            pub struct A { pub b: u8 }
            impl A { pub fn b(self) -> u8 { self.b } }
            rt::setter!(x: u8);
        };
        let gated = gate(tokens, Some(&cfg(&BTreeSet::from(["users".to_owned(), "orgs".to_owned()])))).to_string();
        assert_eq!(gated.matches("# [cfg (any (feature = \"orgs\" , feature = \"users\"))]").count(), 3, "{gated}");
        let one = gate(
            quote!(
                struct A;
            ),
            Some(&cfg(&BTreeSet::from(["users".to_owned()]))),
        )
        .to_string();
        assert!(one.starts_with("# [cfg (feature = \"users\")] struct A"), "{one}");
        let documented = gate(
            quote!(
                /// A.
                struct A;
            ),
            Some(&cfg(&BTreeSet::from(["users".to_owned()]))),
        )
        .to_string();
        // The docs first, then the gate.
        let (docs, rest) = documented.split_once("] ").expect("two attributes");
        assert!(
            docs.starts_with("# [doc") && rest.starts_with("# [cfg (feature = \"users\")] struct A"),
            "{documented}"
        );
    }
}
