//! `oneOf`/`anyOf` as Rust enums.
//!
//! - Tagged (a `discriminator`): the variant follows the tag property. serde's
//!   internally tagged enums cannot keep an object whose tag they do not know,
//!   and Clerk adds kinds (verification strategies) without a new API version,
//!   so decoding is written out: the object is read once, its tag picks the
//!   variant, and an unknown tag gives `Unknown` with the object as sent. The
//!   variant's struct reads the whole object, tag included, so nothing is lost
//!   when it is sent back; one without a field for the tag gets it added when
//!   serialised.
//! - Untagged: serde's `untagged`, which takes the first variant that decodes;
//!   lowering orders them most specific first.
//!
//! Each variant holding a struct no other variant holds converts from it
//! (`From`), so a value is built as `Struct::new(..).into()`.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{code, doc, own_doc};
use super::ident;
use super::types::{type_ref, At};
use crate::ir::{Api, Tagged, TaggedVariant, TypeDef, TypeKind, TypeRef, Untagged, CATCH_ALL};

pub fn tagged(api: &Api, def: &TypeDef, union: &Tagged) -> TokenStream {
    let name = ident(&def.name);
    let property = &union.property;
    let shown = code(property);
    let fallback = format!("One of several objects, told apart by `{property}`.");
    let docs = doc(&[Some(def.description.as_deref().unwrap_or(&fallback))]);
    let how = own_doc(&format!(
        "\nWhich variant a value is follows its {shown} property. An object whose {shown} this \
         client does not know (a kind added to the API later) is [`{CATCH_ALL}`](Self::{CATCH_ALL}), \
         kept as sent."
    ));
    let catch_all = ident(CATCH_ALL);
    let variants = union.variants.iter().map(|variant| {
        let variant_name = ident(&variant.name);
        let payload = payload(&variant.ty, variant.boxed);
        let tags: Vec<String> = variant.tags.iter().map(|tag| code(tag)).collect();
        let about = own_doc(&format!("{shown} is {}.", tags.join(" or ")));
        quote!(#about #variant_name(#payload),)
    });
    let serialize = union.variants.iter().map(|variant| {
        let variant_name = ident(&variant.name);
        if variant.carries_tag {
            return quote!(Self::#variant_name(value) => value.serialize(serializer),);
        }
        let tag = &variant.tags[0];
        quote! {
            // The struct has no field for the tag: it is added.
            Self::#variant_name(value) => {
                let mut object = serde_json::to_value(value).map_err(serde::ser::Error::custom)?;
                if let Some(object) = object.as_object_mut() {
                    object.insert(#property.to_owned(), serde_json::Value::from(#tag));
                }
                object.serialize(serializer)
            }
        }
    });
    let wraps: Vec<TokenStream> = union
        .variants
        .iter()
        .map(|variant| {
            let variant_name = ident(&variant.name);
            if variant.boxed {
                quote!(|value| Self::#variant_name(Box::new(value)))
            } else {
                quote!(Self::#variant_name)
            }
        })
        .collect();
    let deserialize = union.variants.iter().zip(&wraps).map(|(variant, wrap)| {
        let tags = &variant.tags;
        quote!(#( #tags )|* => serde_json::from_value(serde_json::Value::Object(object)).map(#wrap),)
    });
    // An object without the tag: the first variant, in the document's order,
    // whose own schema has the tag as an optional property (as GitHub's
    // `user_view_type` is). A variant that requires it, or has no such
    // property, is named by the tag alone.
    let optional_tag = |variant: &&TaggedVariant| {
        let TypeRef::Named(name) = &variant.ty else { return false };
        match api.types.get(name).map(|def| &def.kind) {
            Some(TypeKind::Struct(shape)) => {
                shape.fields.iter().any(|field| field.wire_name == *property && !field.required)
            }
            _ => false,
        }
    };
    let untagged = union.variants.iter().filter(optional_tag).map(|variant| {
        let variant_name = ident(&variant.name);
        let value = if variant.boxed { quote!(Box::new(value)) } else { quote!(value) };
        quote! {
            if let Ok(value) = serde_json::from_value(serde_json::Value::Object(object.clone())) {
                return Ok(Self::#variant_name(#value));
            }
        }
    });
    // serde's own shape of error (`invalid value: map, expected …`), which the
    // runtime describes from the type alone; the object is never quoted.
    let missing = format!("an object with a string `{property}` saying which `{}` it is", def.name);
    let conversions = conversions(api, &def.name, union.variants.iter().map(|v| (&v.name, &v.ty, v.boxed)));
    quote! {
        #docs
        #how
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #( #variants )*
            /// An object of a kind this client does not know yet, as it was sent.
            #catch_all(serde_json::Map<String, serde_json::Value>),
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #( #serialize )*
                    Self::#catch_all(object) => object.serialize(serializer),
                }
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let object = serde_json::Map::<String, serde_json::Value>::deserialize(deserializer)?;
                let Some(serde_json::Value::String(tag)) = object.get(#property) else {
                    #( #untagged )*
                    return Err(serde::de::Error::invalid_value(serde::de::Unexpected::Map, &#missing));
                };
                let decoded = match tag.as_str() {
                    #( #deserialize )*
                    _ => return Ok(Self::#catch_all(object)),
                };
                decoded.map_err(serde::de::Error::custom)
            }
        }

        #( #conversions )*
    }
}

pub fn untagged(api: &Api, def: &TypeDef, union: &Untagged) -> TokenStream {
    let name = ident(&def.name);
    let fallback = "One of several types.";
    let docs = doc(&[Some(def.description.as_deref().unwrap_or(fallback))]);
    let how = own_doc(
        "\nUntagged: a value is the first variant, in the order listed here, that it decodes \
         as. Variants that require more fields come first, so that a value is not taken by one \
         that merely tolerates it.",
    );
    let variants = union.variants.iter().map(|variant| {
        let variant_name = ident(&variant.name);
        let payload = payload(&variant.ty, variant.boxed);
        let fallback = format!("A `{}`.", variant.ty.rust(""));
        let about = doc(&[Some(variant.description.as_deref().unwrap_or(&fallback))]);
        quote!(#about #variant_name(#payload),)
    });
    let conversions = conversions(api, &def.name, union.variants.iter().map(|v| (&v.name, &v.ty, v.boxed)));
    quote! {
        #docs
        #how
        #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
        #[serde(untagged)]
        #[non_exhaustive]
        pub enum #name {
            #( #variants )*
        }

        #( #conversions )*
    }
}

fn payload(ty: &TypeRef, boxed: bool) -> TokenStream {
    let inner = type_ref(ty, At::Models);
    if boxed {
        quote!(Box<#inner>)
    } else {
        inner
    }
}

/// `impl From<Struct> for Union` for each variant holding a named type that no
/// other variant holds.
fn conversions<'v>(
    api: &Api,
    union: &str,
    variants: impl Iterator<Item = (&'v String, &'v TypeRef, bool)> + Clone,
) -> Vec<TokenStream> {
    let union_ident = ident(union);
    variants
        .clone()
        .filter_map(|(variant, ty, boxed)| {
            let TypeRef::Named(held) = ty else { return None };
            let unique = variants.clone().filter(|(_, other, _)| *other == ty).count() == 1;
            // A type alias is another name for a `BTreeMap` or `Vec`: no `From` of its own.
            let is_alias = matches!(api.types.get(held).map(|def| &def.kind), Some(crate::ir::TypeKind::Alias(_)));
            if !unique || is_alias || held == union {
                return None;
            }
            let (variant, held) = (ident(variant), ident(held));
            let value = if boxed { quote!(Box::new(value)) } else { quote!(value) };
            Some(quote! {
                impl From<#held> for #union_ident {
                    fn from(value: #held) -> Self {
                        Self::#variant(#value)
                    }
                }
            })
        })
        .collect()
}
