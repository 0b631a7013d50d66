//! Every function the generated crate defines is `#[inline]`.
//!
//! rustc compiles a non-generic function in the crate that defines it, whether
//! or not anything calls it, and an `#[inline]` one in the crate that calls it,
//! only when it does, as it does generic code. A generated crate is mostly
//! functions its users may never call (a setter per field, a builder per type,
//! a call builder per operation), and `pages()` boxes each list operation's
//! whole send path and every response type's decoder into a `dyn Future`, so
//! without the attribute all of that was compiled on every rebuild of the
//! crate. With it, touching a generated file rebuilds in about a third of the
//! time (BENCHMARKS.md, `rebuild-*`), and an application compiles only the
//! operations it uses. async functions and generic ones are compiled where
//! they are used already, so they are left as written.
//!
//! It is done here, on the syntax tree that formatting parses anyway, so that
//! no emitter can forget it.

/// Adds `#[inline]` to every non-async function at the top level of `file` and
/// in its `impl` blocks that does not have an inline attribute yet.
pub fn mark(file: &mut syn::File) {
    for item in &mut file.items {
        match item {
            syn::Item::Fn(function) => mark_function(&mut function.attrs, &function.sig),
            syn::Item::Impl(block) => {
                for member in &mut block.items {
                    if let syn::ImplItem::Fn(function) = member {
                        mark_function(&mut function.attrs, &function.sig);
                    }
                }
            }
            _ => {}
        }
    }
}

fn mark_function(attrs: &mut Vec<syn::Attribute>, signature: &syn::Signature) {
    if signature.asyncness.is_some() || attrs.iter().any(|attr| attr.path().is_ident("inline")) {
        return;
    }
    // After the docs and other attributes, right before the signature.
    attrs.push(syn::parse_quote!(#[inline]));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_functions_get_inline_and_async_or_marked_ones_do_not() {
        let mut file: syn::File = syn::parse_quote! {
            /// Free.
            fn free() {}
            impl A {
                /// Setter.
                pub fn set(self) -> Self { self }
                pub async fn send(self) {}
                #[inline(always)]
                fn hot() {}
            }
            impl Trait for A {
                fn required(&self) {}
            }
        };
        mark(&mut file);
        let printed = prettyplease::unparse(&file);
        assert_eq!(
            printed,
            "/// Free.\n#[inline]\nfn free() {}\nimpl A {\n    /// Setter.\n    #[inline]\n    pub fn set(self) -> Self {\n        self\n    }\n    pub async fn send(self) {}\n    #[inline(always)]\n    fn hot() {}\n}\nimpl Trait for A {\n    #[inline]\n    fn required(&self) {}\n}\n"
        );
    }
}
