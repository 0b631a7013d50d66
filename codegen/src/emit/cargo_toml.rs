//! `Cargo.toml` of the generated crate. The spec's title reaches it only through
//! `toml_string`, on one line.

use super::docs::one_line;
use crate::ir::Api;
use crate::CrateInfo;

pub fn emit(api: &Api, krate: &CrateInfo, header: &str) -> String {
    let description = format!(
        "A typed async client for {}, generated from its OpenAPI document {}.",
        one_line(api.name(), 80),
        one_line(&api.version, 40)
    );
    let runtime = match &krate.runtime_path {
        Some(path) => format!(
            "{{ version = {}, path = {}, default-features = false }}",
            toml_string(&krate.runtime_version),
            toml_string(path)
        ),
        None => format!("{{ version = {}, default-features = false }}", toml_string(&krate.runtime_version)),
    };
    let rust_version = krate
        .rust_version
        .as_ref()
        .map(|version| format!("rust-version = {}\n", toml_string(version)))
        .unwrap_or_default();
    let readme = if krate.readme { "readme = \"README.md\"\n" } else { "" };
    // A feature per group when there are several (see `emit::features`), all on
    // by default.
    let mut defaults = vec![toml_string("rustls-tls")];
    let mut groups = String::new();
    if super::features::per_group(api) {
        groups.push_str("# One per operation group: its module and the models only it uses.\n");
        for group in &api.groups {
            let feature = super::features::feature_name(&api.groups, &group.module);
            defaults.push(toml_string(&feature));
            groups.push_str(&format!("{feature} = []\n"));
        }
    }
    format!(
        "{header}\
[package]
name = {name}
version = {version}
description = {description}
edition = \"2021\"
{rust_version}license = \"MIT\"
{readme}keywords = [\"clerk\", \"api\", \"client\", \"openapi\"]
categories = [\"api-bindings\", \"web-programming::http-client\"]

[features]
default = [{defaults}]
{groups}# TLS, as the runtime offers it: rustls with Mozilla's roots bundled (default),
# rustls with the operating system's trust store, or the platform's native TLS.
rustls-tls = [\"openapi-client-runtime/rustls-tls\"]
rustls-tls-native-roots = [\"openapi-client-runtime/rustls-tls-native-roots\"]
native-tls = [\"openapi-client-runtime/native-tls\"]
# HTTP/2 beside HTTP/1.1 (off by default; see the runtime's README).
http2 = [\"openapi-client-runtime/http2\"]
# For your tests: `test_util::api_error` and the runtime's test constructors.
test-util = [\"openapi-client-runtime/test-util\"]
# `ClientBuilder::http_client`: your own reqwest 0.12 client (see the runtime's README).
reqwest-client = [\"openapi-client-runtime/reqwest-client\"]

[dependencies]
# A compatible range: one runtime serves every generated crate of a program,
# so their clients share a connection pool (see the runtime's README).
openapi-client-runtime = {runtime}
serde = {{ version = \"1\", features = [\"derive\"] }}
serde_json = \"1\"

[lints.clippy]
incompatible_msrv = \"deny\"
",
        defaults = defaults.join(", "),
        groups = groups,
        name = toml_string(&krate.name),
        version = toml_string(&krate.version),
        description = toml_string(&description),
    )
}

/// A TOML basic string: quotes, backslashes and control characters escaped.
fn toml_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped() {
        assert_eq!(toml_string("a\"b\\c\nd"), "\"a\\\"b\\\\c\\u000Ad\"");
    }
}
