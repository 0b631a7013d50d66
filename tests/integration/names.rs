//! Names the generator must keep clear of: the generated `Client`'s own methods
//! cannot be taken by a group accessor (`Client::{group}()`), so
//! `codegen::names` lists them. This keeps that list in step with what the
//! generator emits.

use std::collections::BTreeSet;

use codegen::{Options, Selection};

#[test]
fn no_group_accessor_can_take_a_method_of_client() {
    let generated =
        codegen::generate(&xtask::default_spec(), &Options::new(Selection::default())).expect("spec/ generates");
    let lib = &generated.files.iter().find(|file| file.path == "src/client.rs").expect("src/client.rs").contents;
    let file = syn::parse_file(lib).expect("client.rs parses");
    let accessors: BTreeSet<&str> = generated.api.groups.iter().map(|group| group.module.as_str()).collect();
    let mut methods = BTreeSet::new();
    for item in file.items {
        let syn::Item::Impl(block) = item else { continue };
        let syn::Type::Path(self_type) = block.self_ty.as_ref() else { continue };
        if self_type.path.segments.last().is_none_or(|last| last.ident != "Client") {
            continue;
        }
        for member in block.items {
            if let syn::ImplItem::Fn(function) = member {
                methods.insert(function.sig.ident.to_string());
            }
        }
    }
    assert!(methods.contains("builder") && methods.contains("with_timeout") && methods.contains("from"), "{methods:?}");
    let missing: Vec<&String> = methods
        .iter()
        .filter(|method| !accessors.contains(method.as_str()))
        .filter(|method| !codegen::names::CLIENT_METHODS.contains(&method.as_str()))
        .collect();
    assert!(missing.is_empty(), "add {missing:?} to codegen::names::CLIENT_METHODS");
}

#[test]
fn no_spec_type_can_take_a_name_the_crate_root_reexports_from_the_runtime() {
    // A schema named `Keyed` would be re-exported beside the runtime's `Keyed`
    // (E0252): every runtime type at the root must be a reserved type name.
    let generated =
        codegen::generate(&xtask::default_spec(), &Options::new(Selection::default())).expect("spec/ generates");
    let client = &generated.files.iter().find(|file| file.path == "src/client.rs").expect("src/client.rs").contents;
    let file = syn::parse_file(client).expect("client.rs parses");
    let mut reexported = Vec::new();
    for item in file.items {
        let syn::Item::Use(item) = item else { continue };
        let syn::UseTree::Path(path) = &item.tree else { continue };
        if path.ident != "clerk_bapi_runtime" {
            continue;
        }
        if let syn::UseTree::Group(group) = path.tree.as_ref() {
            for tree in &group.items {
                // Types, not the modules (`http`, `limits`) re-exported beside them.
                match tree {
                    syn::UseTree::Name(name) if name.ident.to_string().starts_with(char::is_uppercase) => {
                        reexported.push(name.ident.to_string())
                    }
                    _ => {}
                }
            }
        }
    }
    assert!(reexported.iter().any(|name| name == "Keyed") && reexported.len() > 10, "{reexported:?}");
    let free: Vec<&String> =
        reexported.iter().filter(|name| !codegen::names::RESERVED_TYPES.contains(&name.as_str())).collect();
    assert!(free.is_empty(), "add {free:?} to codegen::names::RESERVED_TYPES");
}
