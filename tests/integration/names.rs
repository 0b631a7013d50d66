//! Names the generator must keep clear of: the generated `Client`'s own methods
//! cannot be taken by a group accessor (`Client::{group}()`), so
//! `codegen::names` lists them. This keeps that list in step with what the
//! generator emits.

use std::collections::BTreeSet;

use verify::fuzz::builder_clashes::macro_methods;

use codegen::{Options, Selection};

#[test]
fn no_group_accessor_can_take_a_method_of_client() {
    let generated = codegen::generate(&verify::paths::default_spec(), &Options::new(Selection::default()))
        .expect("spec/ generates");
    let lib = &generated.files.iter().find(|file| file.path == "src/client.rs").expect("src/client.rs").contents;
    let file = syn::parse_file(lib).expect("client.rs parses");
    let accessors: BTreeSet<&str> = generated.api.groups.iter().map(|group| group.module.as_str()).collect();
    let mut methods = BTreeSet::new();
    for item in file.items {
        // The methods the runtime's `client_methods!(Client, API)` writes.
        if let syn::Item::Macro(call) = &item {
            if call.mac.path.segments.last().is_some_and(|last| last.ident == "client_methods") {
                methods.extend(macro_methods("client_methods").unwrap_or_default().iter().map(|m| (*m).to_owned()));
            }
            continue;
        }
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
    let generated = codegen::generate(&verify::paths::default_spec(), &Options::new(Selection::default()))
        .expect("spec/ generates");
    let client = &generated.files.iter().find(|file| file.path == "src/client.rs").expect("src/client.rs").contents;
    let file = syn::parse_file(client).expect("client.rs parses");
    let mut reexported = Vec::new();
    for item in file.items {
        let syn::Item::Use(item) = item else { continue };
        let syn::UseTree::Path(path) = &item.tree else { continue };
        if path.ident != "openapi_client_runtime" {
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

/// The methods a derived trait gives a type, callable as `value.method()`.
fn derived_methods(derive: &str) -> &'static [&'static str] {
    match derive {
        "Clone" => &["clone", "clone_from"],
        "Debug" => &["fmt"],
        "PartialEq" => &["eq", "ne"],
        "Default" => &["default"],
        other => panic!("a call builder, handle or `Params` derives `{other}`: say which methods it gives"),
    }
}

#[test]
fn the_methods_listed_for_each_runtime_macro_are_the_ones_it_writes() {
    let sources = tests::tests_dir().join("../generated-client/runtime/src");
    for (file, name) in [
        ("call.rs", "call_methods"),
        ("pages.rs", "pages"),
        ("call.rs", "send_chunked"),
        ("open_enum.rs", "open_enum_impls"),
    ] {
        let source = std::fs::read_to_string(sources.join(file)).expect("the runtime's source");
        let start = source.find(&format!("macro_rules! {name} {{")).expect("the macro");
        let body = &source[start..];
        let body = &body[..body.find("\n}\n").expect("the macro's end")];
        // `pub fn name(` or `pub async fn name(`; `$items` is the `items` arm.
        let written: BTreeSet<String> = body
            .split("fn ")
            .skip(1)
            .filter_map(|rest| rest.split(['(', '<']).next())
            .map(|method| method.trim().trim_start_matches('$').to_owned())
            .filter(|method| !method.is_empty() && !method.contains(char::is_whitespace))
            .collect();
        let listed: BTreeSet<String> =
            macro_methods(name).unwrap_or_default().iter().map(|method| (*method).to_owned()).collect();
        assert_eq!(written, listed, "`{name}!` in {file}");
    }
}

/// Every field, method and derived trait method of the structs named in `types`
/// in `file`.
fn members(file: &syn::File, types: &BTreeSet<String>, found: &mut BTreeSet<String>) {
    for item in &file.items {
        match item {
            syn::Item::Struct(definition) if types.contains(&definition.ident.to_string()) => {
                found.extend(definition.fields.iter().filter_map(|field| field.ident.as_ref()).map(|i| i.to_string()));
                for attribute in definition.attrs.iter().filter(|attribute| attribute.path().is_ident("derive")) {
                    let derives = attribute
                        .parse_args_with(syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated)
                        .expect("a derive list");
                    for derive in derives {
                        let name = derive.segments.last().expect("a name").ident.to_string();
                        found.extend(derived_methods(&name).iter().map(|method| (*method).to_owned()));
                    }
                }
            }
            // The runtime's macros write methods of the call builder they name first.
            syn::Item::Macro(call) => {
                let Some(name) = call.mac.path.segments.last().map(|segment| segment.ident.to_string()) else {
                    continue;
                };
                let tokens = call.mac.tokens.to_string();
                let target = tokens.split_whitespace().next().unwrap_or_default();
                if types.contains(target) {
                    let methods = macro_methods(&name).unwrap_or_else(|| {
                        panic!("generated code calls the runtime's `{name}!`: say which methods it writes")
                    });
                    found.extend(methods.iter().map(|method| (*method).to_owned()));
                }
            }
            syn::Item::Impl(block) => {
                let syn::Type::Path(self_type) = block.self_ty.as_ref() else { continue };
                let Some(last) = self_type.path.segments.last() else { continue };
                if !types.contains(&last.ident.to_string()) {
                    continue;
                }
                for member in &block.items {
                    if let syn::ImplItem::Fn(function) = member {
                        found.insert(function.sig.ident.to_string());
                    }
                }
            }
            _ => {}
        }
    }
}

#[test]
fn no_parameter_can_take_a_name_of_a_call_builder_its_handle_or_its_params() {
    // Every parameter is a setter and a field of its call builder and of its
    // operation's `Params`: fixtures that together use every kind of call
    // (query parameters, a body, headers, pages, chunks, answers by status).
    let mut found = BTreeSet::new();
    let mut from_spec = BTreeSet::new();
    for fixture in [
        "retries_and_pagination.yaml",
        "array_body_bounds.yaml",
        "success_by_status.yaml",
        "header_parameters.yaml",
        "multipart_body.yaml",
        "optional_body.yaml",
    ] {
        let spec = tests::tests_dir().join("fixtures").join(fixture);
        let selection = Selection { tag: None, operation_ids: Vec::new() };
        let generated = codegen::generate(&spec, &Options::new(selection)).expect("the fixture generates");
        let mut types = BTreeSet::new();
        for group in &generated.api.groups {
            types.insert(group.type_name.clone());
            for operation in &group.operations {
                types.insert(operation.call_type.clone());
                types.extend(operation.query.iter().map(|query| query.type_name.clone()));
                // What the spec names: the parameters, and the handle's methods.
                from_spec.insert(operation.method_name.clone());
                let query = operation.query.iter().flat_map(|query| &query.params);
                for param in operation.path_params.iter().chain(query).chain(&operation.headers) {
                    from_spec.insert(param.rust_name.clone());
                }
            }
        }
        for file in generated.files.iter().filter(|file| file.path.starts_with("src/") && file.path.ends_with(".rs")) {
            let parsed = syn::parse_file(&file.contents).unwrap_or_else(|error| panic!("{}: {error}", file.path));
            members(&parsed, &types, &mut found);
        }
    }
    for expected in ["new", "send", "body", "params", "pages", "items", "send_chunked", "decode", "request", "client"] {
        assert!(found.contains(expected), "no fixture has `{expected}`: {found:?}");
    }
    let missing: Vec<&String> = found
        .iter()
        .filter(|name| !from_spec.contains(*name))
        .filter(|name| !codegen::names::CALL_RESERVED.contains(&name.as_str()))
        .collect();
    assert!(missing.is_empty(), "add {missing:?} to codegen::names::CALL_RESERVED");
}
