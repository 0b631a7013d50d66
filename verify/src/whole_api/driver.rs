//! The driver: a program written from the IR into the scratch workspace beside
//! the generated crates. It is test code, not part of any client: one function
//! per operation starts the call from its group's handle, sets every argument
//! the request fixture holds (deserialized at run time into the setter's
//! argument type, so no value is pasted into code) and sends it; one match arm
//! per JSON response decodes an example into that status's generated type.
//!
//! `driver calls BASE_URL ROUNDS REQUESTS` calls every operation of the
//! requests file ROUNDS times; `driver examples EXAMPLES` decodes each example
//! of the examples file. Both print one JSON line per outcome, read by
//! `report`.

use std::fmt::Write;

use codegen::ir::{Api, Body, Content, FormValue, Group, Operation, TypeKind};

/// The driver's package (and binary) name, after the scratch workspace's
/// label: two workspaces building at once must not write one binary.
pub const NAME: &str = "driver";

/// A generated crate the driver uses, by its Rust name.
pub struct DriverCrate<'a> {
    /// The package name, e.g. `clerk-bapi`.
    pub package: &'a str,
    pub api: &'a Api,
}

impl DriverCrate<'_> {
    fn ident(&self) -> String {
        self.package.replace('-', "_")
    }
}

/// One operation the driver can call, from the crate that has it.
pub struct Call<'a> {
    pub krate: usize,
    pub group: &'a Group,
    pub operation: &'a Operation,
}

/// Every operation of `crates`, each once (an operation with two tags is in
/// two per-tag crates: the first one calls it).
pub fn calls<'a>(crates: &'a [DriverCrate<'a>]) -> Vec<Call<'a>> {
    let mut calls: Vec<Call<'a>> = Vec::new();
    for (krate, driver_crate) in crates.iter().enumerate() {
        for group in &driver_crate.api.groups {
            for operation in &group.operations {
                if !calls.iter().any(|call| call.operation.operation_id == operation.operation_id) {
                    calls.push(Call { krate, group, operation });
                }
            }
        }
    }
    calls
}

/// The driver's `Cargo.toml`: the package `name`, depending on `crates`.
pub fn manifest(name: &str, crates: &[DriverCrate]) -> String {
    let mut out = format!(
        "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\n"
    );
    // With the test kit: `test-values` prints each model's test value.
    for krate in crates {
        let _ = writeln!(out, "{} = {{ path = \"../{}\", features = [\"test-util\"] }}", krate.package, krate.package);
    }
    out.push_str(
        "openapi-client-runtime = { workspace = true }\n\
         serde = { workspace = true }\n\
         serde_json = { workspace = true }\n\
         tokio = { workspace = true, features = [\"rt\"] }\n",
    );
    out
}

/// `src/main.rs` of the driver.
pub fn main_rs(crates: &[DriverCrate]) -> String {
    let calls = calls(crates);
    let mut out = String::from(PRELUDE);

    out.push_str("\n/// A client per generated crate, all for the mock server.\nstruct Clients {\n");
    for (index, krate) in crates.iter().enumerate() {
        let _ = writeln!(out, "    c{index}: {}::Client,", krate.ident());
    }
    out.push_str("}\n\nfn clients(base: &str) -> Result<Clients, String> {\n    Ok(Clients {\n");
    for (index, krate) in crates.iter().enumerate() {
        let ident = krate.ident();
        let _ = writeln!(
            out,
            "        c{index}: {}.base_url(base).timeout(TIMEOUT)\
             .retries({ident}::Retries::off()).build().map_err(|error| error.to_string())?,",
            client_builder(&ident, krate.api)
        );
    }
    out.push_str("    })\n}\n");

    out.push_str(
        "\n/// Calls `operation` with the arguments of `request`.\n\
         async fn call(clients: &Clients, operation: &str, request: &Value) -> Result<(Outcome, Value), String> {\n    \
         match operation {\n",
    );
    for (index, call) in calls.iter().enumerate() {
        let _ = writeln!(
            out,
            "        {:?} => op{index}(&clients.c{}, request).await,",
            call.operation.operation_id, call.krate
        );
    }
    out.push_str("        other => Err(format!(\"the driver has no operation `{other}`\")),\n    }\n}\n");

    for (index, call) in calls.iter().enumerate() {
        out.push_str(&operation_fn(index, &crates[call.krate], call));
    }

    out.push_str(
        "\n/// Decodes `value` as the response `status` of `operation` and serializes it back.\n\
         fn example(operation: &str, status: &str, value: &Value) -> Result<Value, Decoded> {\n    \
         match (operation, status) {\n",
    );
    for call in &calls {
        let models = format!("{}::models::", crates[call.krate].ident());
        let operation = call.operation;
        for response in operation.successes.iter().chain(&operation.errors) {
            let Content::Json(ty) = &response.content else { continue };
            let code = status_code(&response.status);
            let _ = writeln!(
                out,
                "        ({:?}, {:?}) => round_trip::<{}>({:?}, {code}, value),",
                operation.operation_id,
                response.status,
                ty.rust(&models),
                operation.operation_id
            );
        }
    }
    out.push_str("        _ => Err(Decoded::NoType),\n    }\n}\n");

    // Every model's test value (the crate's `TestValue`), with the pointer of
    // its schema, one JSON line each; a panic is reported, not fatal.
    out.push_str("\n/// Prints each model's test value.\nfn run_test_values() -> Result<(), String> {\n");
    out.push_str("    use openapi_client_runtime::test_util::TestValue;\n");
    for krate in crates {
        let models = format!("{}::models::", krate.ident());
        for def in krate.api.types.values() {
            if !matches!(def.kind, TypeKind::Struct(_) | TypeKind::Tagged(_) | TypeKind::Untagged(_)) {
                continue;
            }
            let _ = writeln!(
                out,
                "    test_value({:?}, {:?}, || serde_json::to_value({models}{}::test_value()));",
                def.name, def.origin, def.name
            );
        }
    }
    out.push_str("    Ok(())\n}\n");
    out
}

/// How the driver starts building the client of the crate `ident`: the one
/// place the driver constructs a client. A crate whose operations use a
/// security scheme takes a secret, which Prism checks is sent; one without
/// (GitHub's document) takes none.
fn client_builder(ident: &str, api: &Api) -> String {
    match api.schemes.is_empty() {
        true => format!("{ident}::Client::builder()"),
        false => format!("{ident}::Client::builder().secret(SECRET)"),
    }
}

/// The status a decode error reports: the code, or for a range (`4XX`) or
/// `default` none (0).
fn status_code(status: &str) -> u16 {
    status.parse().unwrap_or(0)
}

fn operation_fn(index: usize, krate: &DriverCrate, call: &Call) -> String {
    let ident = krate.ident();
    let models = format!("{ident}::models::");
    let operation = call.operation;
    let mut out = format!(
        "\n/// `{} {}` ({}); returns how it ended and the JSON body it sent.\n\
         async fn op{index}(client: &{ident}::Client, request: &Value) -> Result<(Outcome, Value), String> {{\n    \
         let call = client.{}().{}();\n",
        operation.http_method.as_str(),
        operation.path,
        operation.operation_id,
        call.group.module,
        operation.method_name
    );
    // Every parameter: a required one from the request, an optional one when
    // the request has it (the full request has them all).
    let query = operation.query.iter().flat_map(|query| &query.params);
    let params = operation
        .path_params
        .iter()
        .map(|param| ("path", param))
        .chain(query.map(|param| ("query", param)))
        .chain(operation.headers.iter().map(|param| ("header", param)));
    for (location, param) in params {
        let (name, ty, wire) = (&param.rust_name, param.ty.rust(&models), &param.wire_name);
        let _ = if param.required {
            writeln!(out, "    let call = call.{name}(arg::<{ty}>(request, {location:?}, {wire:?})?);")
        } else {
            writeln!(
                out,
                "    let call = match optional::<{ty}>(request, {location:?}, {wire:?})? {{\n        \
                 Some(value) => call.{name}(value),\n        None => call,\n    }};"
            )
        };
    }
    match &operation.body {
        Some(Body { form: Some(form), .. }) => {
            let arguments: Vec<String> = form
                .fields
                .iter()
                .filter(|field| field.required)
                .map(|field| match &field.value {
                    FormValue::File => format!("file(request, {:?})?", field.wire_name),
                    FormValue::Files => format!("vec![file(request, {:?})?]", field.wire_name),
                    FormValue::Text(ty) => {
                        format!("arg::<{}>(request, \"form\", {:?})?", ty.rust(&models), field.wire_name)
                    }
                })
                .collect();
            let _ = writeln!(out, "    let form = {models}{}::new({});", form.type_name, arguments.join(", "));
            // Optional fields when the request has them, through their setters
            // (files always: see `fixtures`).
            for field in form.fields.iter().filter(|field| !field.required) {
                let (setter, wire) = (&field.setter, &field.wire_name);
                let value = match &field.value {
                    FormValue::File => format!("optional_file(request, {wire:?})"),
                    FormValue::Files => {
                        format!("optional_file(request, {wire:?}).map(|file| file.map(|file| vec![file]))")
                    }
                    FormValue::Text(ty) => format!("optional::<{}>(request, \"form\", {wire:?})", ty.rust(&models)),
                };
                let _ = writeln!(
                    out,
                    "    let form = match {value}? {{\n        Some(value) => form.{setter}(value),\n        None => form,\n    }};"
                );
            }
            out.push_str("    let call = call.body(form);\n");
        }
        Some(body) => {
            let _ = writeln!(out, "    let body = body::<{}>(request)?;", body.ty.rust(&models));
            // What the client sends, serialized as it does: checked by the
            // xtask when Prism does not validate this body.
            out.push_str("    let sent = serde_json::to_value(&body).map_err(|error| error.to_string())?;\n");
            out.push_str("    let call = call.body(body);\n");
            out.push_str("    Ok((Outcome::of(call.send_with_metadata().await), sent))\n}\n");
            return out;
        }
        None => {}
    }
    out.push_str("    Ok((Outcome::of(call.send_with_metadata().await), Value::Null))\n}\n");
    out
}

/// The driver's fixed part: reading the files, the outcomes, the main loop.
const PRELUDE: &str = r#"// Written by `cargo xtask contract --whole-api`: a test driver, not a client.
// Deprecated operations and parameters are called on purpose.
#![allow(deprecated)]

use std::process::ExitCode;
use std::time::Duration;

use openapi_client_runtime::Error;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

const SECRET: &str = "sk_test_contract";
const PRISM_INVALID_REQUEST: &str = "https://stoplight.io/prism/errors#UNPROCESSABLE_ENTITY";
/// A hung mock must not hang the run.
const TIMEOUT: Duration = Duration::from_secs(30);

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["calls", base, rounds, requests] => rounds
            .parse::<usize>()
            .map_err(|_| format!("ROUNDS must be a number, not {rounds}"))
            .and_then(|rounds| run_calls(base, rounds, requests)),
        ["examples", examples] => run_examples(examples),
        ["test-values"] => run_test_values(),
        _ => Err("usage: driver calls BASE_URL ROUNDS REQUESTS | driver examples EXAMPLES | driver test-values"
            .to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Prints `{"type", "pointer", "value"}`, or `"error"` when building the
/// value panicked or it does not serialize.
fn test_value(name: &str, pointer: &str, build: fn() -> Result<Value, serde_json::Error>) {
    let line = match std::panic::catch_unwind(build) {
        Ok(Ok(value)) => serde_json::json!({"type": name, "pointer": pointer, "value": value}),
        Ok(Err(error)) => serde_json::json!({"type": name, "pointer": pointer, "error": error.to_string()}),
        Err(panic) => {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|text| (*text).to_owned()))
                .unwrap_or_default();
            serde_json::json!({"type": name, "pointer": pointer, "error": message})
        }
    };
    println!("{line}");
}

fn read(path: &str) -> Result<Value, String> {
    let text = std::fs::read_to_string(path).map_err(|error| format!("{path}: {error}"))?;
    serde_json::from_str(&text).map_err(|error| format!("{path}: {error}"))
}

/// `[{"operation": "…", "shape": "minimal", "request": {…}}, …]`, each called
/// `rounds` times in turn.
fn run_calls(base: &str, rounds: usize, requests: &str) -> Result<(), String> {
    let requests = read(requests)?;
    let requests = requests.as_array().ok_or("the requests file is not a list")?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|error| error.to_string())?;
    let clients = clients(base)?;
    runtime.block_on(async {
        for round in 0..rounds {
            for entry in requests {
                let operation = entry["operation"].as_str().unwrap_or_default();
                let (outcome, sent) = match call(&clients, operation, &entry["request"]).await {
                    Ok(done) => done,
                    Err(reason) => (Outcome::Fixture(reason), Value::Null),
                };
                let mut line = outcome.line(operation, round);
                line["sent"] = sent;
                line["shape"] = entry["shape"].clone();
                println!("{line}");
            }
        }
    });
    Ok(())
}

/// `[{"operation": "…", "status": "200", "value": …}, …]`, each decoded once.
fn run_examples(examples: &str) -> Result<(), String> {
    let examples = read(examples)?;
    let examples = examples.as_array().ok_or("the examples file is not a list")?;
    for (index, entry) in examples.iter().enumerate() {
        let operation = entry["operation"].as_str().unwrap_or_default();
        let status = entry["status"].as_str().unwrap_or_default();
        let line = match example(operation, status, &entry["value"]) {
            Ok(value) => json!({"index": index, "outcome": "ok", "value": value}),
            Err(Decoded::Failed(path, message)) => {
                json!({"index": index, "outcome": "decode", "path": path, "message": message})
            }
            Err(Decoded::NoType) => json!({"index": index, "outcome": "no_type"}),
        };
        println!("{line}");
    }
    Ok(())
}

/// How one call ended.
enum Outcome {
    Ok,
    /// Decoded, with Prism's `sl-violations` (about its own answer, or
    /// warnings about the request).
    AnsweredWithViolations { status: u16, violations: String },
    /// Prism refused the request: its `sl-violations` header says why.
    Violation { status: u16, violations: String },
    /// Another error status.
    ErrorStatus { status: u16, body: String },
    /// The answer does not decode into the generated type: `body` is the
    /// answer, for the xtask to check against the document where Prism does
    /// not say whether it breaks it.
    Decode { status: u16, path: String, message: String, body: String },
    /// The request file's value does not fit the setter's type.
    Fixture(String),
    /// Anything else: transport, timeout, a refused argument.
    Other(String),
}

impl Outcome {
    fn of<T>(result: Result<openapi_client_runtime::Response<T>, Error>) -> Outcome {
        let error = match result {
            Ok(answer) => {
                return match answer.headers.get("sl-violations") {
                    Some(violations) => Outcome::AnsweredWithViolations {
                        status: answer.status,
                        violations: String::from_utf8_lossy(violations.as_bytes()).into_owned(),
                    },
                    None => Outcome::Ok,
                };
            }
            Err(Error::Decode { status, path, message, body, .. }) => {
                let body = String::from_utf8_lossy(body.as_bytes()).into_owned();
                return Outcome::Decode { status, path, message, body };
            }
            Err(error) => error,
        };
        let Some(api) = error.api() else { return Outcome::Other(error.to_string()) };
        let body: String = String::from_utf8_lossy(api.raw_body()).chars().take(600).collect();
        match api.headers.get("sl-violations") {
            Some(violations) => Outcome::Violation {
                status: api.status,
                violations: String::from_utf8_lossy(violations.as_bytes()).into_owned(),
            },
            // Prism's own answer when the operation documents no error
            // response: the violations are in the body.
            None if body.contains(PRISM_INVALID_REQUEST) => Outcome::Violation { status: api.status, violations: body },
            None => Outcome::ErrorStatus { status: api.status, body },
        }
    }

    fn line(&self, operation: &str, round: usize) -> Value {
        let (path, body) = match self {
            Outcome::Decode { path, body, .. } => (Value::String(path.clone()), Value::String(body.clone())),
            _ => (Value::Null, Value::Null),
        };
        let (outcome, status, detail) = match self {
            Outcome::Ok => ("ok", None, String::new()),
            Outcome::AnsweredWithViolations { status, violations } => ("answered_with_violations", Some(*status), violations.clone()),
            Outcome::Violation { status, violations } => ("violation", Some(*status), violations.clone()),
            Outcome::ErrorStatus { status, body } => ("error_status", Some(*status), body.clone()),
            Outcome::Decode { status, path, message, .. } => ("decode", Some(*status), format!("at `{path}`: {message}")),
            Outcome::Fixture(reason) => ("fixture", None, reason.clone()),
            Outcome::Other(reason) => ("other", None, reason.clone()),
        };
        json!({"operation": operation, "round": round, "outcome": outcome, "status": status, "detail": detail, "path": path, "body": body})
    }
}

/// The argument `name` of `location` (`path`, `query`, `header`, `form`) as `T`.
fn arg<T: DeserializeOwned>(request: &Value, location: &str, name: &str) -> Result<T, String> {
    let value = request.get(location).and_then(|values| values.get(name));
    let value = value.ok_or_else(|| format!("the request has no {location} value `{name}`"))?;
    serde_json::from_value(value.clone())
        .map_err(|error| format!("the {location} value `{name}` ({value}) is not a {}: {error}", std::any::type_name::<T>()))
}

/// The optional argument `name` of `location` as `T`, if the request has it.
fn optional<T: DeserializeOwned>(request: &Value, location: &str, name: &str) -> Result<Option<T>, String> {
    match request.get(location).and_then(|values| values.get(name)) {
        Some(_) => arg(request, location, name).map(Some),
        None => Ok(None),
    }
}

fn body<T: DeserializeOwned>(request: &Value) -> Result<T, String> {
    let value = request.get("body").ok_or("the request has no body")?;
    serde_json::from_value(value.clone())
        .map_err(|error| format!("the body is not a {}: {error}", std::any::type_name::<T>()))
}

/// A file part of the content type the request names.
fn file(request: &Value, name: &str) -> Result<openapi_client_runtime::FilePart, String> {
    let content_type = request["files"][name]["content_type"].as_str().ok_or_else(|| format!("no file `{name}`"))?;
    Ok(openapi_client_runtime::FilePart::new(&b"contract test file"[..], "upload.bin", content_type))
}

/// The file `name`, if the request has one.
fn optional_file(request: &Value, name: &str) -> Result<Option<openapi_client_runtime::FilePart>, String> {
    match request["files"].get(name) {
        Some(_) => file(request, name).map(Some),
        None => Ok(None),
    }
}

enum Decoded {
    Failed(String, String),
    NoType,
}

/// Decodes as the client does (the runtime's own decoder, which names the
/// JSON path of a failure), then serializes the value back.
fn round_trip<T: DeserializeOwned + Serialize>(operation: &'static str, status: u16, value: &Value) -> Result<Value, Decoded> {
    let bytes = serde_json::to_vec(value).map_err(|error| Decoded::Failed(".".to_owned(), error.to_string()))?;
    match openapi_client_runtime::__private::decode_json::<T>(operation, status, &bytes.into()) {
        Ok(decoded) => serde_json::to_value(&decoded).map_err(|error| Decoded::Failed(".".to_owned(), error.to_string())),
        Err(Error::Decode { path, message, .. }) => Err(Decoded::Failed(path, message)),
        Err(other) => Err(Decoded::Failed(".".to_owned(), other.to_string())),
    }
}
"#;
