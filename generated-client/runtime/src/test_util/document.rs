//! The API's document as a generated crate keeps it (its `src/document.rs`):
//! parsed on first use, with its operations by operationId and path, and the
//! schema each generated type was made from.

use std::collections::HashMap;
use std::sync::OnceLock;

use schema_values::doc::{self, OperationDoc};
use serde_json::Value;

/// The methods an OpenAPI path item may hold operations under.
const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// The part of the API's document a generated crate keeps, as JSON text.
/// Generated crates hold one in a `static`; the first use parses it.
#[doc(hidden)]
pub struct Document {
    text: &'static str,
    parsed: OnceLock<Parsed>,
}

impl std::fmt::Debug for Document {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Document").field("bytes", &self.text.len()).finish_non_exhaustive()
    }
}

pub(crate) struct Parsed {
    pub(crate) doc: doc::Document,
    pub(crate) routes: Vec<Route>,
    /// The pointer of each generated type's schema, by Rust name.
    types: HashMap<String, String>,
}

/// One operation: where it is, and its operationId.
pub(crate) struct Route {
    pub(crate) id: String,
    /// Lower case, as the document writes it.
    pub(crate) method: &'static str,
    pub(crate) path: String,
}

impl Document {
    /// The document `text` (JSON), parsed on first use.
    pub const fn new(text: &'static str) -> Document {
        Document { text, parsed: OnceLock::new() }
    }

    /// The parsed document. The generator wrote it from a document it read,
    /// so a failure here is the generator's bug, said as such.
    pub(crate) fn get(&self) -> &Parsed {
        self.parsed.get_or_init(|| match serde_json::from_str::<Value>(self.text) {
            Ok(root) => Parsed::new(root),
            Err(error) => {
                panic!("the API document kept by the generated crate does not parse ({error}): regenerate it")
            }
        })
    }
}

impl Parsed {
    fn new(root: Value) -> Parsed {
        let mut routes = Vec::new();
        if let Some(paths) = root.get("paths").and_then(Value::as_object) {
            for (path, item) in paths {
                for method in METHODS {
                    let Some(id) = item.get(method).and_then(|operation| operation.get("operationId")) else {
                        continue;
                    };
                    let Some(id) = id.as_str() else { continue };
                    routes.push(Route { id: id.to_owned(), method, path: path.clone() });
                }
            }
        }
        let types = root
            .get("x-rust-types")
            .and_then(Value::as_object)
            .map(|types| types.iter().filter_map(|(name, at)| Some((name.clone(), at.as_str()?.to_owned()))).collect())
            .unwrap_or_default();
        Parsed { doc: doc::Document::new(root), routes, types }
    }

    /// The pointer of the schema the type `name` was generated from.
    pub(crate) fn type_pointer(&self, name: &str) -> Option<&str> {
        self.types.get(name).map(String::as_str)
    }

    /// The operation `id`, with its place in the document.
    pub(crate) fn operation(&self, id: &str) -> Option<(&Route, OperationDoc<'_>)> {
        let route = self.routes.iter().find(|route| route.id == id)?;
        Some((route, self.doc.operation(&route.path, route.method)?))
    }

    /// The operation a request to `method` and `segments` (the path's
    /// segments, decoded) goes to, with the path parameters it names. The
    /// route with the most literal segments wins, as servers route; among
    /// equals, the first in the document.
    pub(crate) fn route(&self, method: &str, segments: &[String]) -> Option<(&Route, Vec<(String, String)>)> {
        let method = method.to_ascii_lowercase();
        let segments: Vec<&str> = segments.iter().map(String::as_str).collect();
        self.routes
            .iter()
            .enumerate()
            .filter(|(_, route)| route.method == method)
            .filter_map(|(index, route)| Some((index, route, doc::match_path(&route.path, &segments)?)))
            .max_by_key(|(index, _, (literal, _))| (*literal, std::cmp::Reverse(*index)))
            .map(|(_, route, (_, captured))| (route, captured))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static DOC: Document = Document::new(
        r##"{"paths": {
            "/orgs/{org}/items": {"get": {"operationId": "ListItems"}, "post": {"operationId": "AddItem"}},
            "/orgs/{org}/items/{id}": {"get": {"operationId": "GetItem"}},
            "/orgs/{org}/items/pending": {"get": {"operationId": "ListPending"}},
            "/files/v{major}.json": {"get": {"operationId": "GetFile"}}
        }, "x-rust-types": {"Item": "#/components/schemas/Item"}}"##,
    );

    fn route(method: &str, path: &str) -> Option<(String, Vec<(String, String)>)> {
        let segments: Vec<String> = path.split('/').skip(1).map(str::to_owned).collect();
        DOC.get().route(method, &segments).map(|(route, captured)| (route.id.clone(), captured))
    }

    #[test]
    fn a_request_goes_to_its_operation_and_literal_segments_win() {
        let pair = |a: &str, b: &str| (a.to_owned(), b.to_owned());
        assert_eq!(route("GET", "/orgs/o1/items"), Some(("ListItems".to_owned(), vec![pair("org", "o1")])));
        assert_eq!(route("POST", "/orgs/o1/items").map(|found| found.0), Some("AddItem".to_owned()));
        assert_eq!(
            route("GET", "/orgs/o1/items/i9"),
            Some(("GetItem".to_owned(), vec![pair("org", "o1"), pair("id", "i9")]))
        );
        assert_eq!(route("GET", "/orgs/o1/items/pending").map(|found| found.0), Some("ListPending".to_owned()));
        assert_eq!(route("GET", "/files/v2.json"), Some(("GetFile".to_owned(), vec![pair("major", "2")])));
        assert_eq!(route("DELETE", "/orgs/o1/items"), None);
        assert_eq!(route("GET", "/orgs//items"), None);
        assert_eq!(route("GET", "/orgs/o1"), None);
        assert_eq!(DOC.get().type_pointer("Item"), Some("#/components/schemas/Item"));
    }
}
