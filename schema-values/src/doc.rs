//! The OpenAPI document as plain JSON, for what the generator's IR leaves out on
//! purpose: the schemas of parameters and bodies with their `example`s,
//! formats and patterns, and the examples of responses.

use serde_json::Value;

/// How many `$ref`s in a row are followed before giving up (the generator
/// refuses longer chains too).
const MAX_REF_CHAIN: usize = 32;

pub struct Document {
    root: Value,
}

/// One operation of the document, with its path item.
#[derive(Clone, Copy)]
pub struct OperationDoc<'d> {
    doc: &'d Document,
    pub path: &'d str,
    /// `get`, `post`, …
    pub method: &'d str,
    item: &'d Value,
    pub operation: &'d Value,
}

impl Document {
    pub fn new(root: Value) -> Document {
        Document { root }
    }

    /// `value` with its `$ref` chain followed, and the pointer of what it
    /// names (the last reference), if it was one. A reference that leads
    /// nowhere is returned as written.
    pub fn resolve<'d>(&'d self, value: &'d Value) -> (&'d Value, Option<&'d str>) {
        let mut current = value;
        let mut named = None;
        for _ in 0..MAX_REF_CHAIN {
            let Some(reference) = current.get("$ref").and_then(Value::as_str) else { break };
            match self.pointer(reference) {
                Some(target) => {
                    current = target;
                    named = Some(reference);
                }
                None => break,
            }
        }
        (current, named)
    }

    /// What a local reference (`#/components/…`) names.
    pub fn pointer(&self, reference: &str) -> Option<&Value> {
        self.root.pointer(reference.strip_prefix('#')?)
    }

    /// The operation `method` (`get`, …) of `path`, its path item given by
    /// `$ref` followed.
    pub fn operation<'d>(&'d self, path: &'d str, method: &'d str) -> Option<OperationDoc<'d>> {
        let item = self.root.get("paths")?.get(path)?;
        let (item, _) = self.resolve(item);
        let operation = item.get(method)?;
        Some(OperationDoc { doc: self, path, method, item, operation })
    }
}

impl<'d> OperationDoc<'d> {
    /// `#/paths/~1users~1{user_id}/get`
    pub fn pointer(&self) -> String {
        format!("#/paths/{}/{}", escape(self.path), self.method)
    }

    /// The parameter `name` in `location` (`path`, `query`, `header`),
    /// resolved; the operation's own one wins over the path item's. Returns it
    /// with the pointer of where it is written.
    pub fn parameter(&self, location: &str, name: &str) -> Option<(&'d Value, String)> {
        let find = |owner: &'d Value, at: String| {
            let list = owner.get("parameters")?.as_array()?;
            list.iter().enumerate().find_map(|(index, parameter)| {
                let (parameter, named) = self.doc.resolve(parameter);
                let fits = parameter.get("in").and_then(Value::as_str) == Some(location)
                    && parameter.get("name").and_then(Value::as_str) == Some(name);
                let at = named.map_or_else(|| format!("{at}/parameters/{index}"), str::to_owned);
                fits.then_some((parameter, at))
            })
        };
        find(self.operation, self.pointer()).or_else(|| find(self.item, format!("#/paths/{}", escape(self.path))))
    }

    /// The request body, resolved, with its pointer.
    pub fn request_body(&self) -> Option<(&'d Value, String)> {
        let body = self.operation.get("requestBody")?;
        let (body, named) = self.doc.resolve(body);
        Some((body, named.map_or_else(|| format!("{}/requestBody", self.pointer()), str::to_owned)))
    }

    /// The response documented for `status` (`200`, `4XX`, `default`),
    /// resolved, with its pointer.
    pub fn response(&self, status: &str) -> Option<(&'d Value, String)> {
        let response = self.operation.get("responses")?.get(status)?;
        let (response, named) = self.doc.resolve(response);
        let at = named.map_or_else(|| format!("{}/responses/{}", self.pointer(), escape(status)), str::to_owned);
        Some((response, at))
    }
}

/// The JSON media type of a `content` map (`application/json`, or another
/// `…/json` or `…+json` one), with its key.
pub fn json_media(content: &Value) -> Option<(&str, &Value)> {
    let map = content.as_object()?;
    map.get_key_value("application/json")
        .or_else(|| {
            map.iter().find(|(media, _)| {
                let essence = media.split(';').next().unwrap_or_default().trim();
                essence.ends_with("/json") || essence.ends_with("+json")
            })
        })
        .map(|(media, value)| (media.as_str(), value))
}

/// Whether a request path's segments (decoded, after the leading `/`) go to
/// the path template `template` (`/orgs/{org}/items`): the path parameters
/// they give, by name, and how many of the template's segments are literal
/// (where several templates match, servers take the most literal). A
/// segment may hold a parameter among other text (`v{major}.json`); a
/// parameter never matches an empty segment.
pub fn match_path(template: &str, segments: &[&str]) -> Option<(usize, Vec<(String, String)>)> {
    let parts: Vec<&str> = template.split('/').skip(1).collect();
    if parts.len() != segments.len() {
        return None;
    }
    let mut literal = 0;
    let mut captured = Vec::new();
    for (part, segment) in parts.iter().zip(segments) {
        match (part.find('{'), part.rfind('}')) {
            (Some(open), Some(close)) if open < close => {
                let value = segment.strip_prefix(&part[..open])?.strip_suffix(&part[close + 1..])?;
                if value.is_empty() {
                    return None;
                }
                captured.push((part[open + 1..close].to_owned(), value.to_owned()));
            }
            _ if part == segment => literal += 1,
            _ => return None,
        }
    }
    Some((literal, captured))
}

/// A JSON pointer segment: `~` and `/` escaped.
pub fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn parameters_of_the_operation_win_and_refs_are_followed() {
        let doc = Document::new(json!({
            "paths": {
                "/a/{id}": {
                    "parameters": [
                        {"in": "path", "name": "id", "required": true, "schema": {"type": "string"}},
                        {"in": "query", "name": "q", "schema": {"type": "string"}}
                    ],
                    "get": {
                        "parameters": [{"$ref": "#/components/parameters/Q"}],
                        "responses": {"200": {"$ref": "#/components/responses/Ok"}}
                    }
                }
            },
            "components": {
                "parameters": {"Q": {"in": "query", "name": "q", "schema": {"type": "integer"}}},
                "responses": {"Ok": {"description": "ok"}}
            }
        }));
        let operation = doc.operation("/a/{id}", "get").unwrap();
        let (q, at) = operation.parameter("query", "q").unwrap();
        assert_eq!(q["schema"]["type"], "integer");
        assert_eq!(at, "#/components/parameters/Q");
        let (_, at) = operation.parameter("path", "id").unwrap();
        assert_eq!(at, "#/paths/~1a~1{id}/parameters/0");
        let (response, at) = operation.response("200").unwrap();
        assert_eq!(response["description"], "ok");
        assert_eq!(at, "#/components/responses/Ok");
        assert!(operation.parameter("header", "q").is_none());
    }

    #[test]
    fn a_path_matches_its_template_and_names_its_parameters() {
        let pair = |a: &str, b: &str| (a.to_owned(), b.to_owned());
        assert_eq!(match_path("/orgs/{org}/items", &["orgs", "o1", "items"]), Some((2, vec![pair("org", "o1")])));
        assert_eq!(match_path("/files/v{major}.json", &["files", "v2.json"]), Some((1, vec![pair("major", "2")])));
        assert_eq!(match_path("/orgs/{org}", &["orgs", ""]), None);
        assert_eq!(match_path("/orgs/{org}", &["orgs", "o1", "x"]), None);
        assert_eq!(match_path("/orgs/pending", &["orgs", "o1"]), None);
    }

    #[test]
    fn json_media_types_are_found_by_their_essence() {
        assert_eq!(
            json_media(&json!({"text/plain": {}, "application/problem+json": {}})).unwrap().0,
            "application/problem+json"
        );
        assert_eq!(
            json_media(&json!({"application/json; charset=utf-8": {}})).unwrap().0,
            "application/json; charset=utf-8"
        );
        assert!(json_media(&json!({"image/png": {}})).is_none());
    }
}
