//! From the selected operations of an `openapiv3` document to the IR.
//!
//! This is the only place that reads schemas. It names every inline type from
//! where it appears (`{Operation}Request`, `{Parent}{Property}`, `{Operation}Params`),
//! merges `allOf` of property-only objects into one struct, boxes recursive
//! fields, and refuses what it does not support with an error naming the JSON
//! pointer, rather than guessing.
//!
//! - `operations`: an operation, its body and responses;
//! - `forms`: `multipart/form-data` bodies;
//! - `parameters`: path, query and header parameters;
//! - `security`: the schemes each operation authenticates with;
//! - `errors`: where error bodies keep their code, message and trace id;
//! - `schemas`: `$ref` resolution, schema → type, structs, enums and maps;
//! - `composition`: `allOf`, `oneOf` and `anyOf`;
//! - `shape`: what a schema is, and its bounds;
//! - `recursion`: which fields and variants need a `Box`;
//! - `nesting`: how deeply types nest in Rust, which rustc limits.
//!
//! What is doubtful but harmless (an upstream mistake such as `required` naming
//! a property that is not defined) is a warning, not an error: `lower` returns
//! the warnings beside the IR.

mod composition;
mod errors;
mod forms;
mod nesting;
mod operations;
mod parameters;
pub(crate) mod reachable;
mod recursion;
mod schemas;
mod security;
mod shape;

use std::collections::{BTreeMap, BTreeSet};

use indexmap::IndexMap;
use openapiv3::{OpenAPI, Parameter, ReferenceOr, RequestBody, Schema};

use crate::error::pointer;
use crate::ir::{Api, Group, Scheme, TypeDef, TypeKind, TypeRef};
use crate::names::{self, Scope};
use crate::select::Selected;
use crate::{Error, Warning};

/// Which enums keep a value they do not list (as `Unknown`) instead of failing
/// to decode it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum OpenEnums {
    /// Every enum: Clerk adds values (verification strategies, statuses) without
    /// marking the enums that may grow, so for its API this is the default.
    #[default]
    All,
    /// Only enums marked `x-speakeasy-unknown-values: allow` (Speakeasy's own
    /// reading); the others are closed.
    Marked,
}

/// Lowers the selected operations and every schema they reach; the warnings
/// say what was tolerated, each naming its place. `version_header` is the
/// header `info.version` goes in with every call, if the API wants one: no
/// header parameter may take its name.
pub fn lower(
    document: &OpenAPI,
    selected: &[Selected<'_>],
    open_enums: OpenEnums,
    skip_unsupported: bool,
    version_header: Option<&str>,
) -> Result<(Api, Vec<Warning>), Error> {
    let mut reserved_headers = security::key_headers(document);
    reserved_headers.extend(version_header.map(str::to_ascii_lowercase));
    let mut lowerer = Lowerer {
        document,
        schemes: Vec::new(),
        reserved_headers,
        types: BTreeMap::new(),
        type_names: Scope::default(),
        components: BTreeMap::new(),
        in_progress: BTreeMap::new(),
        containers: 0,
        recursive: BTreeSet::new(),
        depth: 0,
        open_enums,
        closed_enums: BTreeSet::new(),
        warnings: Vec::new(),
    };
    // Per group: its methods (one per operation) and the types of its module
    // (the handle and one call builder per operation).
    let mut groups: BTreeMap<String, (Group, Scope, Scope)> = BTreeMap::new();
    for operation in selected {
        // With `skip_unsupported`, an operation that cannot be generated is left
        // out with a warning: everything it added to the lowerer is undone.
        let checkpoint = skip_unsupported.then(|| lowerer.checkpoint());
        match lowerer.add_operation(operation, &mut groups) {
            Ok(()) => {}
            Err(error) => match checkpoint {
                Some(checkpoint) => {
                    lowerer.rollback(checkpoint);
                    lowerer.warnings.push(Warning {
                        message: format!("operation `{}` skipped: {}", operation.operation_id, error.message),
                        pointer: error.pointer,
                    });
                }
                None => return Err(error),
            },
        }
    }
    let mut groups: Vec<Group> = groups.into_values().map(|(group, _, _)| group).collect();
    for group in &mut groups {
        group.operations.sort_by(|a, b| a.method_name.cmp(&b.method_name));
    }
    lowerer.mark_constructors(&groups);
    let mut types = reachable::prune(lowerer.types, &groups);
    reachable::read_only(&mut types, &groups);
    recursion::box_recursive_fields(&mut types);
    let retries = match document.extensions.get("x-speakeasy-retries") {
        Some(value) => Some(crate::retries::policy(value, "#/x-speakeasy-retries")?),
        None => None,
    };
    let closed_enums = lowerer.closed_enums.into_iter().filter(|name| types.contains_key(name)).collect();
    let errors = errors::format(&groups, &types);
    let constant_headers =
        version_header.map(|name| vec![(name.to_owned(), document.info.version.clone())]).unwrap_or_default();
    let api = Api {
        title: crate::prose::text(Some(&document.info.title)),
        version: document.info.version.clone(),
        default_base_url: document.servers.first().map(|server| server.url.clone()),
        groups,
        types,
        retries,
        schemes: lowerer.schemes,
        constant_headers,
        // Named by the caller, who knows the crate's name.
        secret_var: None,
        errors,
        closed_enums,
    };
    Ok((api, lowerer.warnings))
}

/// How deeply schemas may nest (properties, items, `allOf` members, `$ref`s):
/// far beyond any real API, and far below what would exhaust the stack.
const MAX_DEPTH: usize = 64;

struct Lowerer<'a> {
    document: &'a OpenAPI,
    /// The security schemes the operations lowered so far use.
    schemes: Vec<Scheme>,
    /// Headers no parameter may take: the API's constant headers and the
    /// headers its API keys go in (lowercase).
    reserved_headers: Vec<String>,
    types: BTreeMap<String, TypeDef>,
    type_names: Scope,
    /// Component schemas already lowered, by component name.
    components: BTreeMap<String, schemas::Lowered>,
    /// Component schemas being lowered, each with the value `containers` had
    /// when it started: a reference back to one is a cycle and resolves to its
    /// name without recursing, if a container lies between (see
    /// `schemas::loops_back`).
    in_progress: BTreeMap<String, usize>,
    /// How many properties, list items and map values are being lowered inside
    /// each other right now.
    containers: usize,
    /// Components referred to while being lowered: they must become named types.
    recursive: BTreeSet<String>,
    /// How many schemas are being lowered inside each other right now.
    depth: usize,
    open_enums: OpenEnums,
    /// Enums defined closed (see `ir::Api::closed_enums`).
    closed_enums: BTreeSet<String>,
    warnings: Vec<Warning>,
}

/// The lowerer's state before an operation, to undo a failed one.
struct Checkpoint {
    schemes: Vec<Scheme>,
    types: BTreeMap<String, TypeDef>,
    type_names: Scope,
    components: BTreeMap<String, schemas::Lowered>,
    recursive: BTreeSet<String>,
    closed_enums: BTreeSet<String>,
    warnings: usize,
}

impl<'a> Lowerer<'a> {
    fn checkpoint(&self) -> Checkpoint {
        Checkpoint {
            schemes: self.schemes.clone(),
            types: self.types.clone(),
            type_names: self.type_names.clone(),
            components: self.components.clone(),
            recursive: self.recursive.clone(),
            closed_enums: self.closed_enums.clone(),
            warnings: self.warnings.len(),
        }
    }

    fn rollback(&mut self, checkpoint: Checkpoint) {
        self.schemes = checkpoint.schemes;
        self.types = checkpoint.types;
        self.type_names = checkpoint.type_names;
        self.components = checkpoint.components;
        self.recursive = checkpoint.recursive;
        self.closed_enums = checkpoint.closed_enums;
        self.warnings.truncate(checkpoint.warnings);
        // A failed lowering may leave its components marked as in progress.
        self.in_progress.clear();
        self.containers = 0;
        self.depth = 0;
    }

    /// Lowers one operation into its group; on an error nothing of the group
    /// (its methods, its module's types) has changed.
    fn add_operation(
        &mut self,
        operation: &Selected<'a>,
        groups: &mut BTreeMap<String, (Group, Scope, Scope)>,
    ) -> Result<(), Error> {
        let (group_raw, mut lowered) = self.operation(operation)?;
        let at = operation.pointer();
        nesting::check(&self.types, reachable::roots(&lowered), &at)?;
        let module = names::group_module(&group_raw).map_err(|message| Error::at(&at, message))?;
        // `Api` keeps the handle apart from a model named after the group
        // (`OrganizationInvitations` is also the list response); the crate root
        // re-exports it beside the models.
        let type_name = names::unshadowed(format!("{}Api", names::type_part(&group_raw)));
        let (mut methods, mut types) = match groups.get(&module) {
            Some((_, methods, types)) => (methods.clone(), types.clone()),
            None => {
                self.type_names.claim(&type_name, &group_raw, &at, "group handle")?;
                let mut types = Scope::default();
                types.claim(&type_name, &group_raw, &at, "group handle")?;
                (Scope::default(), types)
            }
        };
        methods.claim(&lowered.method_name, &lowered.operation_id, &at, "operation")?;
        types.claim(&lowered.call_type, &lowered.operation_id, &at, "call type")?;
        lowered.pagination = crate::pagination::detect(&lowered, &self.types);
        let entry = groups.entry(module.clone()).or_insert_with(|| {
            let group = Group { module, title: group_raw, type_name, operations: Vec::new() };
            (group, Scope::default(), Scope::default())
        });
        entry.0.operations.push(lowered);
        entry.1 = methods;
        entry.2 = types;
        Ok(())
    }

    fn warn(&mut self, at: String, message: String) {
        let warning = Warning { message, pointer: Some(at) };
        if !self.warnings.contains(&warning) {
            self.warnings.push(warning);
        }
    }

    /// Request bodies get a `new(required fields…)`; responses do not need one.
    fn mark_constructors(&mut self, groups: &[Group]) {
        for operation in groups.iter().flat_map(|group| &group.operations) {
            let Some(body) = &operation.body else { continue };
            let name = match &body.ty {
                TypeRef::Named(name) => name,
                TypeRef::Array(item) => match item.as_ref() {
                    TypeRef::Named(name) => name,
                    _ => continue,
                },
                _ => continue,
            };
            // Without required fields, `Default` already is the constructor.
            if let Some(TypeDef { kind: TypeKind::Struct(fields), .. }) = self.types.get_mut(name) {
                fields.constructor = !fields.all_optional;
            }
        }
    }

    /// Follows a `$ref` into `#/components/{kind}/…`; returns the item and the
    /// pointer of where it is defined. A dangling reference is reported at `at`.
    fn resolve<T: Component>(&self, value: &'a ReferenceOr<T>, kind: &str, at: &str) -> Result<(&'a T, String), Error> {
        let mut value = value;
        let mut here = at.to_owned();
        // A chain of references longer than this is a loop.
        for _ in 0..16 {
            match value {
                ReferenceOr::Item(item) => return Ok((item, here)),
                ReferenceOr::Reference { reference } => {
                    let prefix = format!("#/components/{kind}/");
                    let Some(name) = reference.strip_prefix(&prefix) else {
                        return Err(Error::at(&here, format!("`$ref: {reference}` must point into `{prefix}`")));
                    };
                    let Some(next) = self.document.components.as_ref().and_then(|c| T::lookup(c, name)) else {
                        return Err(Error::at(
                            &here,
                            format!("`$ref: {reference}` points to a component that does not exist"),
                        ));
                    };
                    here = pointer(&format!("#/components/{kind}"), name);
                    value = next;
                }
            }
        }
        Err(Error::at(at, "`$ref` chain loops"))
    }
}

/// The component kinds a `$ref` can point into.
trait Component: Sized {
    fn lookup<'c>(components: &'c openapiv3::Components, name: &str) -> Option<&'c ReferenceOr<Self>>;
}

impl Component for Parameter {
    fn lookup<'c>(components: &'c openapiv3::Components, name: &str) -> Option<&'c ReferenceOr<Self>> {
        components.parameters.get(name)
    }
}

impl Component for RequestBody {
    fn lookup<'c>(components: &'c openapiv3::Components, name: &str) -> Option<&'c ReferenceOr<Self>> {
        components.request_bodies.get(name)
    }
}

impl Component for openapiv3::Response {
    fn lookup<'c>(components: &'c openapiv3::Components, name: &str) -> Option<&'c ReferenceOr<Self>> {
        components.responses.get(name)
    }
}

impl Component for Schema {
    fn lookup<'c>(components: &'c openapiv3::Components, name: &str) -> Option<&'c ReferenceOr<Self>> {
        components.schemas.get(name)
    }
}

fn extension<'e>(extensions: &'e IndexMap<String, serde_json::Value>, key: &str) -> Option<&'e str> {
    extensions.get(key).and_then(serde_json::Value::as_str)
}

/// Whether `name` is a valid HTTP header name.
pub fn is_header_name(name: &str) -> bool {
    parameters::is_token(name)
}

/// Whether the client or HTTP sets the header `name` itself, so that neither a
/// parameter nor an API's constant header may take it.
pub fn is_client_header(name: &str) -> bool {
    parameters::is_client_header(name)
}
