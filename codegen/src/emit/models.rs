//! `generated/models.rs`: one struct or enum per IR type, plus the query
//! parameter structs of the operations.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::doc;
use super::ident;
use super::types::{field_type, param_type, At};
use crate::ir::{Api, Bounds, EnumValue, Field, Param, QueryParams, Struct, TypeDef, TypeKind, TypeRef};

pub fn emit(api: &Api) -> TokenStream {
    let types = api.types.values().map(|def| match &def.kind {
        TypeKind::Struct(fields) => emit_struct(def, fields),
        TypeKind::Enum(values) => emit_enum(def, values),
    });
    let mut queries: Vec<(&str, &QueryParams)> =
        api.operations().filter_map(|op| op.query.as_ref().map(|query| (op.operation_id.as_str(), query))).collect();
    queries.sort_by(|a, b| a.1.type_name.cmp(&b.1.type_name));
    let queries = queries.into_iter().map(|(operation_id, query)| emit_query(operation_id, query));
    // Items of paginated lists, keyed by their id so each is yielded once.
    let keyed: std::collections::BTreeMap<&str, &str> = api
        .operations()
        .filter_map(|op| op.pagination.as_ref())
        .filter_map(|pagination| Some((pagination.item.as_str(), pagination.key.as_deref()?)))
        .collect();
    let keyed = keyed.into_iter().map(|(item, key)| {
        let (item, key) = (ident(item), ident(key));
        quote! {
            impl crate::Keyed for #item {
                fn key(&self) -> &str {
                    &self.#key
                }
            }
        }
    });
    quote! {
        //! Request and response types.

        #( #types )*
        #( #queries )*
        #( #keyed )*
    }
}

fn emit_struct(def: &TypeDef, shape: &Struct) -> TokenStream {
    let name = ident(&def.name);
    let docs = doc(&[def.description.as_deref()]);
    let derive_default = shape.all_optional.then(|| quote!(Default,));
    let fields = shape.fields.iter().map(emit_field);
    let constructor = shape.constructor.then(|| emit_constructor(&name, shape));
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, #derive_default serde::Serialize, serde::Deserialize)]
        pub struct #name {
            #( #fields )*
        }
        #constructor
    }
}

fn emit_field(field: &Field) -> TokenStream {
    let name = ident(&field.rust_name);
    let ty = field_type(field, At::Models);
    let null_note = match (field.required, field.nullable) {
        (false, true) => Some("`None` leaves it out; `Some(None)` sends `null`.".to_owned()),
        _ => None,
    };
    let default_note = field.default.as_ref().map(|value| format!("Server default: `{value}`."));
    let docs = doc(&[
        field.description.as_deref(),
        bounds_note(&field.bounds, "").as_deref(),
        default_note.as_deref(),
        null_note.as_deref(),
    ]);
    let rename = (field.rust_name != field.wire_name).then(|| {
        let wire = &field.wire_name;
        quote!(#[serde(rename = #wire)])
    });
    let optional = match (field.required, field.nullable) {
        (false, false) => Some(quote!(#[serde(default, skip_serializing_if = "Option::is_none")])),
        (false, true) => Some(quote!(
            #[serde(
                default,
                skip_serializing_if = "Option::is_none",
                deserialize_with = "crate::nullable::deserialize"
            )]
        )),
        _ => None,
    };
    quote! {
        #docs
        #rename
        #optional
        pub #name: #ty,
    }
}

/// `new(required…)` for request bodies, so callers name what the API demands and
/// nothing else.
fn emit_constructor(name: &proc_macro2::Ident, shape: &Struct) -> TokenStream {
    let required: Vec<&Field> = shape.fields.iter().filter(|field| field.required).collect();
    // A plain required string is taken as `impl Into<String>`, so `&str` works.
    let takes_into = |field: &Field| field.ty == TypeRef::String && !field.nullable && !field.boxed;
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
    let allow = (required.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    quote! {
        impl #name {
            /// Builds the value from its required fields; every optional field is left out.
            #allow
            pub fn new(#( #params ),*) -> Self {
                Self { #( #inits ),* }
            }
        }
    }
}

fn emit_enum(def: &TypeDef, values: &[EnumValue]) -> TokenStream {
    let name = ident(&def.name);
    let docs = doc(&[def.description.as_deref()]);
    let variants = values.iter().map(|value| {
        let variant = ident(&value.variant);
        let wire_doc = doc(&[Some(&format!("`{}`", value.wire))]);
        quote!(#wire_doc #variant,)
    });
    let to_str = values.iter().map(|value| {
        let variant = ident(&value.variant);
        let wire = &value.wire;
        quote!(Self::#variant => #wire,)
    });
    let from_str = values.iter().map(|value| {
        let variant = ident(&value.variant);
        let wire = &value.wire;
        quote!(#wire => Self::#variant,)
    });
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum #name {
            #( #variants )*
            /// A value this client does not know yet, kept as sent.
            Unknown(String),
        }

        impl #name {
            /// The value as it appears on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #( #to_str )*
                    Self::Unknown(value) => value,
                }
            }
        }

        impl From<String> for #name {
            fn from(value: String) -> Self {
                match value.as_str() {
                    #( #from_str )*
                    _ => Self::Unknown(value),
                }
            }
        }

        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                Self::from(value.to_owned())
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                String::deserialize(deserializer).map(Self::from)
            }
        }
    }
}

fn emit_query(operation_id: &str, query: &QueryParams) -> TokenStream {
    let name = ident(&query.type_name);
    let about = doc(&[Some(&format!("Query parameters of `{operation_id}`; unset ones are left out of the URL."))]);
    let all_optional = query.params.iter().all(|param| !param.required);
    let derive_default = all_optional.then(|| quote!(Default,));
    let fields = query.params.iter().map(emit_query_field);
    quote! {
        #about
        #[derive(Debug, Clone, PartialEq, #derive_default)]
        pub struct #name {
            #( #fields )*
        }
    }
}

fn emit_query_field(param: &Param) -> TokenStream {
    let name = ident(&param.rust_name);
    let ty = param_type(param, At::Models);
    let wire_note = (param.rust_name != param.wire_name).then(|| format!("Sent as `{}`.", param.wire_name));
    let default_note = param.default.as_ref().map(|value| format!("Server default: `{value}`."));
    let docs = doc(&[
        param.description.as_deref(),
        bounds_note(&param.bounds, "").as_deref(),
        default_note.as_deref(),
        wire_note.as_deref(),
    ]);
    quote! {
        #docs
        pub #name: #ty,
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
