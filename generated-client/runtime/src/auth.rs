//! Credentials: the client's secrets, made ready once per security scheme when
//! the client is built, and chosen per call from what its operation declares.

use http::{HeaderName, HeaderValue};

use crate::api::{Api, SchemeKind};
use crate::operation::Operation;
use crate::Error;

/// A secret made ready to send, for one scheme.
pub(crate) struct Credential {
    /// The scheme's name in the document.
    pub(crate) scheme: &'static str,
    pub(crate) sent: Sent,
}

/// Where a credential goes on a request.
pub(crate) enum Sent {
    /// A header, its value marked sensitive so `Debug` of headers hides it.
    Header(HeaderName, HeaderValue),
    /// A query parameter, added to the URL after the call's own.
    Query(&'static str, String),
    /// One `name=value` pair of the `Cookie` header.
    Cookie(String),
}

/// Makes each of `api`'s schemes ready with its secret: the one set for it by
/// name, else `default`. A scheme with neither is left out; calls that need it
/// are refused before any I/O.
pub(crate) fn prepare(
    api: &Api,
    default: Option<&str>,
    by_scheme: &[(String, String)],
) -> Result<Vec<Credential>, Error> {
    if let Some((name, _)) = by_scheme.iter().find(|(name, _)| api.scheme(name).is_none()) {
        let known: Vec<&str> = api.schemes.iter().map(|scheme| scheme.name).collect();
        return Err(Error::Config(format!("no security scheme is named `{name}`; the API has {known:?}")));
    }
    let mut credentials = Vec::new();
    for scheme in api.schemes {
        let secret = by_scheme.iter().find(|(name, _)| name == scheme.name).map(|(_, secret)| secret.as_str());
        let Some(secret) = secret.or(default).map(str::trim) else { continue };
        let refuse = |why: &str| Error::Config(format!("the secret for `{}` {why}", scheme.name));
        if secret.is_empty() {
            return Err(refuse("is empty"));
        }
        let header = |text: String| {
            let mut value = HeaderValue::from_str(&text)
                .map_err(|_| refuse("contains characters not allowed in a header (such as CR or LF)"))?;
            value.set_sensitive(true);
            Ok::<_, Error>(value)
        };
        let sent = match scheme.kind {
            SchemeKind::Bearer => Sent::Header(http::header::AUTHORIZATION, header(format!("Bearer {secret}"))?),
            SchemeKind::Basic => {
                if !secret.contains(':') {
                    return Err(refuse("must be `user:password` for HTTP basic authentication"));
                }
                Sent::Header(http::header::AUTHORIZATION, header(format!("Basic {}", base64(secret.as_bytes())))?)
            }
            SchemeKind::Header(name) => {
                let name = HeaderName::from_bytes(name.as_bytes())
                    .map_err(|_| Error::Config(format!("`{}` names an invalid header", scheme.name)))?;
                Sent::Header(name, header(secret.to_owned())?)
            }
            SchemeKind::Query(name) => Sent::Query(name, secret.to_owned()),
            SchemeKind::Cookie(name) => {
                // A `;` or `,` would end the cookie and start another.
                if secret.contains([';', ',']) || name.contains([';', ',', '=']) {
                    return Err(refuse("contains `;` or `,`, which would end the cookie"));
                }
                header(format!("{name}={secret}"))?;
                Sent::Cookie(format!("{name}={secret}"))
            }
        };
        credentials.push(Credential { scheme: scheme.name, sent });
    }
    Ok(credentials)
}

/// The credentials a call of `operation` sends: those of its first security
/// alternative the client has every secret for; none when it declares none, or
/// allows a call without (`{}`) and the client has no secret that fits. `Err`
/// names what is missing.
pub(crate) fn choose<'c>(credentials: &'c [Credential], operation: &Operation) -> Result<Vec<&'c Credential>, Error> {
    let anonymous = operation.security.is_empty() || operation.security.iter().any(|schemes| schemes.is_empty());
    for alternative in operation.security.iter().filter(|schemes| !schemes.is_empty()) {
        let chosen: Vec<&Credential> = alternative
            .iter()
            .filter_map(|name| credentials.iter().find(|credential| credential.scheme == *name))
            .collect();
        if chosen.len() == alternative.len() {
            return Ok(chosen);
        }
    }
    if anonymous {
        return Ok(Vec::new());
    }
    let wanted: Vec<String> = operation.security.iter().map(|alternative| alternative.join(" and ")).collect();
    Err(Error::Config(format!(
        "{}: the call needs credentials for {}, and the client has none for it",
        operation.id,
        wanted.join(" or ")
    )))
}

/// Standard base64 with padding (RFC 4648), for HTTP basic authentication.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let word = chunk.iter().enumerate().fold(0u32, |word, (i, byte)| word | (u32::from(*byte) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(word >> (18 - 6 * i)) as usize & 63]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{ErrorFormat, Scheme};
    use crate::operation::{HttpMethod, RetrySafety};

    static API: Api = Api {
        default_base_url: None,
        user_agent: "t",
        headers: &[],
        schemes: &[
            Scheme { name: "token", kind: SchemeKind::Bearer },
            Scheme { name: "key", kind: SchemeKind::Header("x-api-key") },
            Scheme { name: "basic", kind: SchemeKind::Basic },
        ],
        secret_var: None,
        errors: ErrorFormat::STATUS,
    };

    fn operation(security: &'static [&'static [&'static str]]) -> Operation {
        Operation {
            id: "Op",
            method: HttpMethod::Get,
            path: "/",
            safety: RetrySafety::Idempotent,
            backoff: None,
            security,
            api: &API,
        }
    }

    #[test]
    fn base64_matches_rfc_4648() {
        let cases = [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foobar", "Zm9vYmFy")];
        for (plain, encoded) in cases {
            assert_eq!(base64(plain.as_bytes()), encoded);
        }
        assert_eq!(base64(b"Aladdin:open sesame"), "QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
    }

    #[test]
    fn a_named_secret_wins_over_the_default_and_the_first_complete_alternative_is_sent() {
        let named = [("key".to_owned(), "k1".to_owned())];
        let credentials = prepare(&API, None, &named).unwrap();
        assert_eq!(credentials.len(), 1);
        let chosen = choose(&credentials, &operation(&[&["token"], &["key"]])).unwrap();
        assert_eq!(chosen.iter().map(|c| c.scheme).collect::<Vec<_>>(), ["key"]);
        let error = choose(&credentials, &operation(&[&["token", "key"]])).map(|_| ()).unwrap_err();
        assert_eq!(
            error.to_string(),
            "invalid client configuration: Op: the call needs credentials for token and key, and the client has \
             none for it"
        );
        assert!(choose(&credentials, &operation(&[])).unwrap().is_empty());
        // `{}` allows a call without credentials, but a secret that fits is sent.
        assert!(choose(&credentials, &operation(&[&[], &["token"]])).unwrap().is_empty());
        let chosen = choose(&credentials, &operation(&[&[], &["key"]])).unwrap();
        assert_eq!(chosen.iter().map(|c| c.scheme).collect::<Vec<_>>(), ["key"]);
    }

    #[test]
    fn secrets_that_cannot_be_sent_are_refused_without_being_quoted() {
        for (default, named) in [
            (Some("a\nb9LEAKED"), vec![]),
            (Some("   "), vec![]),
            (None, vec![("basic".to_owned(), "no-colon-9LEAKED".to_owned())]),
            (None, vec![("nope".to_owned(), "9LEAKED".to_owned())]),
        ] {
            let error = prepare(&API, default, &named).map(|_| ()).unwrap_err();
            assert!(matches!(&error, Error::Config(_)) && !error.to_string().contains("9LEAKED"), "{error}");
        }
    }
}
