//! The enums of operations whose success responses differ by status (a `200`
//! with a body and a `204` without, an image or its JSON description): one
//! variant per documented status, in `models.rs` beside the spec's types. The
//! call builder's `decode` picks the variant from the answer's status.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{code, doc, own_doc};
use super::types::{type_ref, At};
use super::{ident, Piece};
use crate::ir::{Api, Content, Output, StatusEnum};

/// Every status enum of `api`, sorted by name, one piece each.
pub fn pieces<'a>(api: &'a Api, features: &std::sync::Arc<Option<super::features::Features>>) -> Vec<Piece<'a>> {
    let mut enums: Vec<(&str, &StatusEnum)> = api
        .operations()
        .filter_map(|operation| match &operation.output {
            Output::ByStatus(choice) => Some((operation.operation_id.as_str(), choice)),
            _ => None,
        })
        .collect();
    enums.sort_by(|a, b| a.1.type_name.cmp(&b.1.type_name));
    enums
        .into_iter()
        .map(|(operation_id, choice)| -> Piece<'_> {
            let features = std::sync::Arc::clone(features);
            Box::new(move || {
                let cfg = features.as_ref().as_ref().and_then(|features| features.operation_cfg(operation_id));
                super::features::gate(emit_enum(operation_id, choice), cfg.as_ref())
            })
        })
        .collect()
}

fn emit_enum(operation_id: &str, choice: &StatusEnum) -> TokenStream {
    let name = ident(&choice.type_name);
    let docs = own_doc(&format!(
        "The successful answers of {}, one variant per documented status; the answer's status picks it.",
        code(operation_id)
    ));
    let variants = choice.variants.iter().map(|variant| {
        let variant_name = ident(&variant.name);
        let status = own_doc(&format!("Status {}.", code(&variant.status)));
        let description = doc(&[variant.description.as_deref()]);
        let gap = (!description.is_empty()).then(|| quote!(#[doc = ""]));
        let payload = match &variant.content {
            Content::Empty => None,
            Content::Json(ty) => {
                let ty = type_ref(ty, At::Models);
                Some(quote!((#ty)))
            }
            Content::Bytes { .. } => Some(quote!((crate::Bytes))),
        };
        quote! {
            #status
            #gap
            #description
            #variant_name #payload,
        }
    });
    let other = choice.other.then(|| {
        quote! {
            /// A 2XX status the spec does not document, with the body as it came.
            Other {
                /// The HTTP status.
                status: u16,
                /// The body, undecoded.
                body: crate::Bytes,
            },
        }
    });
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #( #variants )*
            #other
        }
    }
}
