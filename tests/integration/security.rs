//! Security schemes and the settings of the API's description (version
//! header, secret variable): what the runtime cannot send is refused with its
//! place, and no text of the document ever becomes code.

use codegen::{Options, Selection};

/// A one-operation spec with `schemes` under `components/securitySchemes`,
/// `security` as the operation's, and `parameters` as its parameters.
fn secured(schemes: &str, security: &str, parameters: &str) -> String {
    format!(
        r##"openapi: 3.0.3
info: {{title: Secured, version: "1"}}
paths:
  /things:
    get:
      operationId: GetThing
      tags: [Things]
      security: {security}
      parameters: {parameters}
      responses:
        "204": {{description: ok}}
components:
  securitySchemes:
{schemes}
"##
    )
}

fn generate(name: &str, text: &str, options: &Options) -> Result<codegen::Generated, codegen::Error> {
    let path = tests::scratch_dir(name).join("spec.yaml");
    std::fs::write(&path, text).expect("write spec");
    codegen::generate(&path, options)
}

fn everything() -> Options {
    Options::new(Selection { tag: None, operation_ids: Vec::new() })
}

#[test]
fn schemes_the_client_cannot_send_are_refused_at_their_place() {
    let op = "#/paths/~1things/get";
    let cases = [
        (
            "digest",
            "    s: {type: http, scheme: digest}",
            "[{s: []}]",
            "#/components/securitySchemes/s",
            "HTTP `digest`",
        ),
        (
            "host-key",
            "    s: {type: apiKey, in: header, name: Host}",
            "[{s: []}]",
            "#/components/securitySchemes/s/name",
            "cannot go in the header `Host`",
        ),
        (
            "crlf-key",
            "    s: {type: apiKey, in: header, name: \"X-Key\\r\\nEvil: 1\"}",
            "[{s: []}]",
            "#/components/securitySchemes/s/name",
            "not a valid HTTP header name",
        ),
        (
            "cookie-semicolon",
            "    s: {type: apiKey, in: cookie, name: \"a;b\"}",
            "[{s: []}]",
            "#/components/securitySchemes/s/name",
            "not a valid cookie name",
        ),
        (
            "undefined",
            "    s: {type: http, scheme: bearer}",
            "[{nope: []}]",
            &format!("{op}/security/0"),
            "`nope`, which `components.securitySchemes` does not define",
        ),
        (
            "reference",
            "    s: {$ref: \"#/components/securitySchemes/t\"}\n    t: {type: http, scheme: bearer}",
            "[{s: []}]",
            "#/components/securitySchemes/s",
            "given by `$ref` is not supported",
        ),
    ];
    for (name, schemes, security, pointer, words) in cases {
        let error = generate(name, &secured(schemes, security, "[]"), &everything())
            .err()
            .unwrap_or_else(|| panic!("{name}: generated, but must be refused"));
        assert_eq!(error.pointer.as_deref(), Some(pointer), "{name}: {error}");
        assert!(error.message.contains(words), "{name}: {error}");
        assert!(!error.to_string().contains('\n'), "{name}: one line: {error}");
    }
}

#[test]
fn no_header_parameter_may_take_an_api_keys_header_or_the_version_header() {
    let key = "    s: {type: apiKey, in: header, name: X-Key}";
    let parameter = |name: &str| format!("[{{name: {name}, in: header, schema: {{type: string}}}}]");
    let error = generate("param-key", &secured(key, "[{s: []}]", &parameter("x-key")), &everything())
        .expect_err("the key's header is the client's");
    assert!(error.message.contains("set by the client"), "{error}");
    let mut options = everything();
    options.version_header = Some("X-Version".to_owned());
    let error = generate("param-version", &secured(key, "[{s: []}]", &parameter("X-VERSION")), &options)
        .expect_err("the version header is the client's");
    assert!(error.message.contains("set by the client"), "{error}");
}

#[test]
fn settings_that_cannot_be_sent_or_read_are_refused_before_the_document_is_read() {
    let text = secured("    s: {type: http, scheme: bearer}", "[{s: []}]", "[]");
    for header in ["Bad Name", "Host", "authorization", "X-A\r\nB", ""] {
        let options = Options { version_header: Some(header.to_owned()), ..everything() };
        let error = generate("bad-header", &text, &options).expect_err(header);
        assert!(error.to_string().contains("is not a header the client may send"), "{header:?}: {error}");
    }
    for var in ["1KEY", "MY-KEY", "", "KEY=1", "KEY\n"] {
        let options = Options { secret_var: Some(var.to_owned()), ..everything() };
        let error = generate("bad-var", &text, &options).expect_err(var);
        assert!(error.to_string().contains("must be ASCII letters, digits and `_`"), "{var:?}: {error}");
    }
}

#[test]
fn names_from_the_document_stay_string_literals() {
    // A scheme name and key name written to break out of a string literal,
    // and out of the docs into a doctest.
    let hostile = r#"x\"); std::process::abort(); (\""#;
    let doctest = r#"k\n```\nstd::process::abort();\n```"#;
    let schemes = format!(
        "    \"{hostile}\": {{type: apiKey, in: query, name: \"{hostile}\"}}\n    \
         other: {{type: apiKey, in: cookie, name: k}}\n    \
         third: {{type: apiKey, in: query, name: \"{doctest}\"}}"
    );
    let text = secured(&schemes, &format!("[{{\"{hostile}\": []}}, {{other: []}}, {{third: []}}]"), "[]");
    let generated = generate("hostile-names", &text, &everything()).expect("any name is data");
    let client = generated.files.iter().find(|file| file.path == "src/client.rs").expect("client.rs");
    let name = r#"x\"); std::process::abort(); (\""#;
    // The scheme's name, its key's name, and the security every operation has
    // by default (`crate::operation`).
    assert_eq!(client.contents.matches(&format!("\"{name}\"")).count(), 3, "{}", client.contents);
    assert!(!client.contents.contains("abort(); (\")"), "the name left its literal");
    // Only a doc line that starts with a fence opens a code block (a doctest).
    let fences = client.contents.lines().filter(|line| {
        let doc = line.trim_start().strip_prefix("///").or_else(|| line.trim_start().strip_prefix("//!"));
        doc.is_some_and(|text| text.trim_start().starts_with("```") || text.trim_start().starts_with("~~~"))
    });
    assert_eq!(fences.count(), 0, "spec text opened a code block in the docs: {}", client.contents);
}

#[test]
fn the_crate_and_its_secret_variable_are_named_from_the_title() {
    let cases = [
        (Some("GitHub v3 REST API"), None, "github-v3-rest-api", "GITHUB_SECRET_KEY"),
        (Some("Clerk Backend API"), Some("Email Addresses"), "clerk-email-addresses", "CLERK_SECRET_KEY"),
        (Some("Clerk Backend API"), Some("Organization Invitations"), "clerk-invitations", "CLERK_SECRET_KEY"),
        (Some("3D Printing"), None, "api-3d-printing", "API_SECRET_KEY"),
        (Some("  ¡Hola! "), None, "hola", "HOLA_SECRET_KEY"),
        (None, None, "api-client", "API_SECRET_KEY"),
    ];
    for (title, tag, name, var) in cases {
        assert_eq!(codegen::crate_name(tag, title), name, "{title:?} {tag:?}");
        codegen::check_package_name(name).expect("cargo takes it");
        assert_eq!(codegen::secret_var(title), var, "{title:?}");
    }
    let long = "word ".repeat(40);
    let name = codegen::crate_name(None, Some(&long));
    assert!(name.len() <= 64 && !name.ends_with('-'), "{name}");
    codegen::check_package_name(&name).expect("cargo takes it");
}
