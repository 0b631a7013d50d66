//! The types of `multipart/form-data` bodies, in `models.rs` beside the spec's
//! types: a struct with one field per part (a file is a `FilePart`: its bytes,
//! file name and content type), built with `new(required…)` and a setter per
//! optional field, like the models. They are not serde types: the call builder
//! turns them into form parts.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{code, doc, own_doc};
use super::types::{type_ref, At};
use super::{ident, Piece};
use crate::ir::{Api, Form, FormField, FormValue, TypeRef};

/// Every form type of `api`, sorted by name, one piece each.
pub fn pieces<'a>(api: &'a Api, features: &std::sync::Arc<Option<super::features::Features>>) -> Vec<Piece<'a>> {
    let mut forms: Vec<(&str, &Form)> = api
        .operations()
        .filter_map(|operation| {
            let form = operation.body.as_ref()?.form.as_ref()?;
            Some((operation.operation_id.as_str(), form))
        })
        .collect();
    forms.sort_by(|a, b| a.1.type_name.cmp(&b.1.type_name));
    forms
        .into_iter()
        .map(|(operation_id, form)| -> Piece<'_> {
            let features = std::sync::Arc::clone(features);
            Box::new(move || {
                let cfg = features.as_ref().as_ref().and_then(|features| features.operation_cfg(operation_id));
                super::features::gate(emit_form(operation_id, form), cfg.as_ref())
            })
        })
        .collect()
}

/// A field's type: `FilePart`, `Vec<FilePart>` or the text's type, in an
/// `Option` when the field is optional (a list is then empty instead).
fn field_type(field: &FormField) -> TokenStream {
    let inner = value_type(&field.value);
    if field.required || matches!(field.value, FormValue::Files) {
        inner
    } else {
        quote!(Option<#inner>)
    }
}

fn value_type(value: &FormValue) -> TokenStream {
    match value {
        FormValue::File => quote!(crate::FilePart),
        FormValue::Files => quote!(Vec<crate::FilePart>),
        FormValue::Text(ty) => type_ref(ty, At::Models),
    }
}

fn emit_form(operation_id: &str, form: &Form) -> TokenStream {
    let name = ident(&form.type_name);
    let about = own_doc(&format!(
        "The `multipart/form-data` body of {}: one part per field, in this order; a file is sent with its file name and content type.",
        code(operation_id)
    ));
    let description = doc(&[form.description.as_deref()]);
    let gap = (!description.is_empty()).then(|| quote!(#[doc = ""]));
    let derive_default = form.fields.iter().all(|field| !field.required).then(|| quote!(Default,));
    let fields = form.fields.iter().map(|field| {
        let name = ident(&field.rust_name);
        let ty = field_type(field);
        let docs = match &field.description {
            Some(description) => doc(&[Some(description)]),
            None => own_doc(&match &field.value {
                FormValue::File => format!("{}: a file part.", code(&field.wire_name)),
                FormValue::Files => format!("{}: file parts, one per file.", code(&field.wire_name)),
                FormValue::Text(ty) => super::models::facts(&field.wire_name, ty),
            }),
        };
        let deprecated = super::deprecated(field.deprecated);
        quote! {
            #docs
            #deprecated
            pub #name: #ty,
        }
    });
    let required: Vec<&FormField> = form.fields.iter().filter(|field| field.required).collect();
    let params = required.iter().map(|field| {
        let name = ident(&field.rust_name);
        match &field.value {
            FormValue::Text(TypeRef::String) => quote!(#name: impl Into<String>),
            value => {
                let ty = value_type(value);
                quote!(#name: #ty)
            }
        }
    });
    let inits = form.fields.iter().map(|field| {
        let name = ident(&field.rust_name);
        match (&field.value, field.required) {
            (FormValue::Text(TypeRef::String), true) => quote!(#name: #name.into()),
            (_, true) => quote!(#name),
            (FormValue::Files, false) => quote!(#name: Vec::new()),
            (_, false) => quote!(#name: None),
        }
    });
    let constructor_doc = own_doc(if required.is_empty() {
        "A body with every field unset."
    } else {
        "A body from its required fields, in the spec's order; every optional field unset."
    });
    let setters = form.fields.iter().filter(|field| !field.required).map(emit_setter);
    let allow = form.fields.iter().any(|field| field.deprecated).then(|| quote!(#[allow(deprecated)]));
    quote! {
        #about
        #gap
        #description
        #[derive(Debug, Clone, PartialEq, #derive_default)]
        #[non_exhaustive]
        pub struct #name {
            #( #fields )*
        }

        #allow
        impl #name {
            #constructor_doc
            pub fn new(#( #params ),*) -> Self {
                Self { #( #inits ),* }
            }

            #( #setters )*
        }
    }
}

/// `uploader_user_id("user_1")` sets an optional field; a list of files takes
/// them all at once.
fn emit_setter(field: &FormField) -> TokenStream {
    let name = ident(&field.rust_name);
    let setter = ident(&field.setter);
    let about = own_doc(&format!("Sets {}.", code(&field.rust_name)));
    let deprecated = super::deprecated(field.deprecated);
    let (arg, value) = match &field.value {
        FormValue::Text(TypeRef::String) => (quote!(impl Into<String>), quote!(Some(value.into()))),
        FormValue::Files => (value_type(&field.value), quote!(value)),
        other => (value_type(other), quote!(Some(value))),
    };
    quote! {
        #about
        #deprecated
        pub fn #setter(mut self, value: #arg) -> Self {
            self.#name = #value;
            self
        }
    }
}
