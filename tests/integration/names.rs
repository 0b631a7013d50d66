//! Names the generator must keep clear of: `Client`'s own methods cannot be
//! taken by a group accessor (`Client::{group}()`), so `codegen::names` lists
//! them. This keeps that list in step with the runtime.

use std::collections::BTreeSet;

/// Every method defined in an `impl Client` block of the hand-written runtime.
fn client_methods() -> BTreeSet<String> {
    let src = tests::tests_dir().parent().expect("workspace").join("generated-client/src");
    let mut methods = BTreeSet::new();
    for entry in std::fs::read_dir(&src).expect("runtime source") {
        let path = entry.expect("entry").path();
        if path.extension().is_none_or(|extension| extension != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("read");
        let file = syn::parse_file(&text).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
        for item in file.items {
            let syn::Item::Impl(block) = item else { continue };
            let syn::Type::Path(self_type) = block.self_ty.as_ref() else { continue };
            if block.trait_.is_some() || self_type.path.segments.last().is_none_or(|last| last.ident != "Client") {
                continue;
            }
            for member in block.items {
                if let syn::ImplItem::Fn(function) = member {
                    methods.insert(function.sig.ident.to_string());
                }
            }
        }
    }
    methods
}

#[test]
fn no_group_accessor_can_take_a_method_of_client() {
    let methods = client_methods();
    assert!(methods.contains("builder") && methods.contains("with_timeout"), "{methods:?}");
    let missing: Vec<&String> =
        methods.iter().filter(|method| !codegen::names::CLIENT_METHODS.contains(&method.as_str())).collect();
    assert!(missing.is_empty(), "add {missing:?} to codegen::names::CLIENT_METHODS");
}
