//! Security: how each operation authenticates, from its own `security` or the
//! document's, and the schemes those requirements name, checked and lowered to
//! what the runtime sends (`ir::Scheme`).

use openapiv3::{APIKeyLocation, OpenAPI, ReferenceOr, SecurityRequirement, SecurityScheme};

use crate::error::pointer;
use crate::ir::{Scheme, SchemeKind};
use crate::Error;

/// The requirements of an operation (its own `security`, else the
/// document's): alternatives, each the scheme names it sends together, with
/// every named scheme checked and lowered into `schemes` (once each).
pub(super) fn requirements(
    document: &OpenAPI,
    own: Option<&Vec<SecurityRequirement>>,
    operation_at: &str,
    schemes: &mut Vec<Scheme>,
) -> Result<Vec<Vec<String>>, Error> {
    let (requirements, at) = match own {
        Some(own) => (own, pointer(operation_at, "security")),
        None => match &document.security {
            Some(root) => (root, "#/security".to_owned()),
            None => return Ok(Vec::new()),
        },
    };
    let mut alternatives = Vec::new();
    for (index, requirement) in requirements.iter().enumerate() {
        let mut names = Vec::new();
        for name in requirement.keys() {
            let requirement_at = pointer(&at, &index.to_string());
            if !schemes.iter().any(|scheme| scheme.name == *name) {
                let kind = scheme_kind(document, name, &requirement_at)?;
                schemes.push(Scheme { name: name.clone(), kind });
            }
            names.push(name.clone());
        }
        alternatives.push(names);
    }
    Ok(alternatives)
}

/// Every header name an API key of the document goes in (lowercase): no
/// header parameter may take one, since the runtime refuses it from a call.
pub(super) fn key_headers(document: &OpenAPI) -> Vec<String> {
    let Some(components) = &document.components else { return Vec::new() };
    components
        .security_schemes
        .values()
        .filter_map(|scheme| match scheme {
            ReferenceOr::Item(SecurityScheme::APIKey { location: APIKeyLocation::Header, name, .. }) => {
                Some(name.to_ascii_lowercase())
            }
            _ => None,
        })
        .collect()
}

/// How the scheme `name` sends its secret; refused with its pointer when the
/// runtime cannot send it.
fn scheme_kind(document: &OpenAPI, name: &str, requirement_at: &str) -> Result<SchemeKind, Error> {
    let at = pointer("#/components/securitySchemes", name);
    let scheme = document.components.as_ref().and_then(|components| components.security_schemes.get(name));
    let scheme = match scheme {
        Some(ReferenceOr::Item(scheme)) => scheme,
        Some(ReferenceOr::Reference { .. }) => {
            return Err(Error::at(at, "a security scheme given by `$ref` is not supported; define it in place"))
        }
        None => {
            return Err(Error::at(
                requirement_at,
                format!("names the security scheme `{name}`, which `components.securitySchemes` does not define"),
            ))
        }
    };
    Ok(match scheme {
        SecurityScheme::HTTP { scheme, .. } => match scheme.to_ascii_lowercase().as_str() {
            "bearer" => SchemeKind::Bearer,
            "basic" => SchemeKind::Basic,
            other => {
                return Err(Error::at(
                    at,
                    format!("HTTP `{other}` authentication is not supported: the client sends bearer and basic"),
                ))
            }
        },
        // The client holds an access token it was given; it runs no OAuth flow.
        SecurityScheme::OAuth2 { .. } | SecurityScheme::OpenIDConnect { .. } => SchemeKind::Bearer,
        SecurityScheme::APIKey { location, name: key, .. } => {
            let name_at = pointer(&at, "name");
            match location {
                APIKeyLocation::Header => {
                    let lower = key.to_ascii_lowercase();
                    if !crate::lower::parameters::is_token(key) {
                        return Err(Error::at(name_at, format!("`{key}` is not a valid HTTP header name")));
                    }
                    // The client or HTTP sets these; `Authorization` is free
                    // for a key, as some APIs take it whole there.
                    if lower != "authorization" && crate::lower::parameters::is_client_header(&lower) {
                        return Err(Error::at(name_at, format!("an API key cannot go in the header `{key}`")));
                    }
                    SchemeKind::Header(key.clone())
                }
                APIKeyLocation::Query => {
                    if key.is_empty() {
                        return Err(Error::at(name_at, "the query parameter of an API key needs a name"));
                    }
                    SchemeKind::Query(key.clone())
                }
                APIKeyLocation::Cookie => {
                    if !crate::lower::parameters::is_token(key) {
                        return Err(Error::at(name_at, format!("`{key}` is not a valid cookie name")));
                    }
                    SchemeKind::Cookie(key.clone())
                }
            }
        }
    })
}
