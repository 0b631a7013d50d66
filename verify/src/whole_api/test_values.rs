//! `cargo xtask contract --test-values [--spec PATH]`: the test kit's value of
//! every model of one document (by default Clerk's upstream 2026-05-12 one)
//! served through Prism's validation, so that the synthesizer behind
//! `TestValue` and the checker behind the mock do not vouch only for each
//! other.
//!
//! 1. The whole-API crate and the driver are built as for `--whole-api`
//!    (the driver with the crate's `test-util`); `driver test-values` prints
//!    each struct's and union's `TestValue`, serialized as the mock serves it.
//! 2. Each model is given to an operation that can answer with it: as the
//!    whole answer when the operation's success schema is the model's, else
//!    put where the schema places it inside another model's value (the
//!    other one's test value around it).
//! 3. An upstream server here answers each operation with its model of the
//!    round; `prism proxy` stands in front of it and checks every answer
//!    against the document; the driver sends each operation's valid
//!    request through Prism, one round per model an operation carries.
//! 4. Exit 0 only when Prism logs no violation of any answer, every answer
//!    reaches the client with its status, and every model was served.

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use schema_values::doc::{escape, json_media, match_path, Document};
use schema_values::synth::{fill_undefined_required, fits, Purpose, Synth};
use serde_json::{json, Value};

use super::{prepare, run_driver, write_json, Prepared, LABEL};
use crate::options::ContractOptions;
use crate::paths::workspace_root;
use crate::prism::{ensure_prism, PrismServer, UPSTREAM_SPEC};
use crate::FAILURE;

/// How deep the search for a model's place inside another goes.
const MAX_DEPTH: usize = 48;

/// One model's test value, as the driver printed it.
struct Model {
    name: String,
    pointer: String,
    value: Value,
}

/// What one operation answers in one round, and the body it is sent with
/// when the round carries a request model.
#[derive(Clone)]
struct Answer {
    status: u16,
    body: Value,
    /// The schema `body` is an answer of (its pointer).
    schema: String,
    request_body: Option<Value>,
    /// The models it carries: the one of the round (and the one around it).
    models: Vec<String>,
}

/// A JSON schema an operation reads or writes: an answer of `status`, or its
/// request body (`status` 0).
/// An operation's success: its status, its test value (`null` for none) and
/// the pointer of its schema.
type Success = (u16, Value, String);

struct Place<'d> {
    operation: String,
    status: u16,
    pointer: String,
    schema: &'d Value,
}

pub fn run(options: &ContractOptions, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    match check(options, out) {
        Ok(true) => 0,
        Ok(false) => FAILURE,
        Err(message) => {
            let _ = writeln!(err, "error: {message}");
            FAILURE
        }
    }
}

fn check(options: &ContractOptions, out: &mut dyn Write) -> Result<bool, String> {
    let root = workspace_root();
    let spec = match options.specs.last() {
        Some(spec) => std::env::current_dir().unwrap_or_else(|_| root.clone()).join(spec),
        None => root.join(UPSTREAM_SPEC),
    };
    if !spec.is_file() {
        return Err(format!("{}: no such file", spec.display()));
    }
    let started = Instant::now();
    let prepared = prepare(&spec, LABEL)?;
    let printed = run_driver(&prepared.driver, &[OsStr::new("test-values")])?;
    let mut models = Vec::new();
    let mut broken = Vec::new();
    for line in printed.lines().filter(|line| !line.trim().is_empty()) {
        let entry: Value = serde_json::from_str(line).map_err(|error| format!("the driver printed {line}: {error}"))?;
        let name = entry["type"].as_str().unwrap_or_default().to_owned();
        match entry.get("value") {
            Some(value) => {
                let pointer = entry["pointer"].as_str().unwrap_or_default().to_owned();
                let mut value = value.clone();
                // As the mock serves a typed value: with `null` for what the
                // document requires without defining it (see `Returns`).
                if let Some(schema) = prepared.doc.pointer(&pointer) {
                    fill_undefined_required(&prepared.doc, schema, &mut value, Purpose::Response, 0);
                }
                models.push(Model { name, pointer, value })
            }
            None => broken.push(format!("{name}: {}", entry["error"].as_str().unwrap_or_default())),
        }
    }
    let _ = writeln!(
        out,
        "test-values: {} models built by the crate's TestValue in {:.1} s; {} failed to build",
        models.len(),
        started.elapsed().as_secs_f64(),
        broken.len()
    );
    for line in &broken {
        let _ = writeln!(out, "  cannot build: {line}");
    }

    // Each operation's minimal request, read once: the rounds send them.
    let requests = prepared_requests(&prepared)?;
    let (rounds, unplaced) = plan_rounds(&prepared, &requests, &models);
    let served: usize = models.len() - unplaced.len();
    let _ = writeln!(
        out,
        "test-values: {served} of {} models placed in an operation's answer, in {} rounds of calls",
        models.len(),
        rounds.len()
    );
    for name in &unplaced {
        let _ = writeln!(out, "  no operation answers with (or around) {name}");
    }

    let prism = ensure_prism(&root, out)?;
    let log_dir = crate::paths::target_dir().join("prism/logs");
    std::fs::create_dir_all(&log_dir).map_err(|error| format!("{}: {error}", log_dir.display()))?;
    let upstream = Upstream::start(&prepared)?;
    let log = log_dir.join("test-values-proxy.log");
    let server = PrismServer::start_proxy(&prism, &root, &spec, &upstream.base, &log)?;
    let base = format!("http://{}", server.address);
    let workspace = crate::compile::scratch_root().join(LABEL);
    let mut violations = Vec::new();
    let mut unanswered = Vec::new();
    let mut calls = 0;
    let mut logged = 0;
    // Answers Prism refuses only because the document's `oneOf` variants
    // overlap: no value of the variant can match exactly one.
    let mut overlaps = Vec::new();
    for (index, round) in rounds.iter().enumerate() {
        *upstream.round.lock().map_err(|_| "the upstream server panicked")? = round.clone();
        let round_file = workspace.join(format!("test-values-{index}.json"));
        let entries: Vec<Value> = requests
            .iter()
            .cloned()
            .filter_map(|mut entry| {
                let answer = round.get(entry["operation"].as_str()?)?;
                if let Some(body) = &answer.request_body {
                    entry["request"]["body"] = body.clone();
                }
                Some(entry)
            })
            .collect();
        write_json(&round_file, &Value::Array(entries))?;
        let before = crate::prism::read_log(&log).len();
        let output = run_driver(
            &prepared.driver,
            &[OsStr::new("calls"), OsStr::new(&base), OsStr::new("1"), round_file.as_os_str()],
        )?;
        for line in output.lines().filter(|line| !line.trim().is_empty()) {
            calls += 1;
            let entry: Value = serde_json::from_str(line).unwrap_or(Value::Null);
            let operation = entry["operation"].as_str().unwrap_or_default();
            let Some(answer) = round.get(operation) else { continue };
            let carrying = answer.models.join(" in ");
            let expected_error = answer.status >= 400 && entry["status"].as_u64() == Some(u64::from(answer.status));
            match entry["outcome"].as_str() {
                Some("ok") => {}
                Some("error_status") if expected_error => {}
                Some("answered_with_violations" | "violation") => {
                    let detail = entry["detail"].as_str().unwrap_or_default();
                    match overlap(&prepared.doc, answer, detail) {
                        Some(at) => overlaps.push(format!(
                            "{operation} carrying {carrying}: the value fits {at}, and Prism wants exactly one"
                        )),
                        None => violations.push(format!("{operation} carrying {carrying}: {detail}")),
                    }
                }
                _ => unanswered.push(format!(
                    "{operation} carrying {carrying}: {} {} {}",
                    entry["outcome"], entry["status"], entry["detail"]
                )),
            }
        }
        // What Prism logs besides: a violation it did not put in a header.
        let text = crate::prism::read_log(&log);
        logged +=
            text.get(before..).unwrap_or_default().lines().filter(|line| line.contains("Violation: response")).count();
    }
    drop(server);
    let _ = writeln!(
        out,
        "test-values: {calls} calls through `prism proxy`: {} answers Prism found in violation ({logged} violations \
         in its log), {} not passed on or not decoded (log {})",
        violations.len(),
        unanswered.len(),
        log.display()
    );
    for line in violations.iter().chain(&unanswered) {
        let _ = writeln!(out, "  {line}");
    }
    let _ = writeln!(
        out,
        "test-values: {} answers Prism refuses only as ambiguous: the document's `oneOf` variants overlap there, \
         so no value of the variant can match exactly one (schema-values, like serde's untagged enums, takes the \
         first that fits)",
        overlaps.len()
    );
    for line in &overlaps {
        let _ = writeln!(out, "  {line}");
    }
    // Each overlap logs its violations too.
    let explained = logged == 0 || !overlaps.is_empty();
    Ok(broken.is_empty() && unplaced.is_empty() && violations.is_empty() && unanswered.is_empty() && explained)
}

/// Where Prism's violations of `answer` (its `sl-violations`, `detail`) all
/// come from one `oneOf` the served value fits more than one variant of,
/// while the value fits the schema as OpenAPI readers take a union (one of
/// them fits): that `oneOf`, described. `None` for any other violation.
fn overlap(doc: &Document, answer: &Answer, detail: &str) -> Option<String> {
    let violations: Vec<Value> = serde_json::from_str(detail).ok()?;
    let schema = doc.pointer(&answer.schema)?;
    fits(doc, schema, &answer.body, Purpose::Response, 0).ok()?;
    let path_of = |violation: &Value| -> Option<Vec<String>> {
        let location = violation["location"].as_array()?;
        let mut segments = location.iter().filter_map(Value::as_str).map(str::to_owned);
        (segments.next()? == "response" && segments.next()? == "body").then(|| segments.collect())
    };
    let union = violations.iter().find(|violation| violation["code"] == "oneOf")?;
    let at = path_of(union)?;
    if !violations.iter().all(|violation| path_of(violation).is_some_and(|path| path.starts_with(&at))) {
        return None;
    }
    // The schema and the value at `at`.
    let mut here = schema;
    let mut value = &answer.body;
    for segment in &at {
        let (resolved, _) = doc.resolve(here);
        match value {
            Value::Array(items) => {
                value = items.get(segment.parse::<usize>().ok()?)?;
                here = resolved.get("items")?;
            }
            Value::Object(object) => {
                value = object.get(segment)?;
                here = resolved.get("properties").and_then(|properties| properties.get(segment))?;
            }
            _ => return None,
        }
    }
    let (resolved, _) = doc.resolve(here);
    let variants = resolved.get("oneOf")?.as_array()?;
    let fitting: Vec<String> = variants
        .iter()
        .filter(|variant| fits(doc, variant, value, Purpose::Response, 0).is_ok())
        .map(|variant| variant.get("$ref").and_then(Value::as_str).unwrap_or("an inline variant").to_owned())
        .collect();
    (fitting.len() > 1).then(|| format!("{} variants at `{}`: {}", fitting.len(), at.join("."), fitting.join(", ")))
}

/// The minimal request of each operation, from the requests file `prepare`
/// wrote.
fn prepared_requests(prepared: &Prepared) -> Result<Vec<Value>, String> {
    let text = std::fs::read_to_string(&prepared.requests).map_err(|error| error.to_string())?;
    let all: Value = serde_json::from_str(&text).map_err(|error| error.to_string())?;
    Ok(all.as_array().into_iter().flatten().filter(|entry| entry["shape"] == "minimal").cloned().collect())
}

/// Rounds of answers: in each, an operation answers with (or is sent) one
/// model, whole or inside another. Models no operation can carry are
/// returned apart.
fn plan_rounds(
    prepared: &Prepared,
    requests: &[Value],
    models: &[Model],
) -> (Vec<BTreeMap<String, Answer>>, Vec<String>) {
    let doc = &prepared.doc;
    let by_pointer: BTreeMap<&str, &Model> = models.iter().map(|model| (model.pointer.as_str(), model)).collect();
    let places = places(prepared);
    // The answer each operation gives when the round is about its request:
    // its success model's test value.
    // An operation whose success has no content answers it empty.
    let mut success: BTreeMap<&str, Success> = BTreeMap::new();
    for place in places.iter().filter(|place| (200..300).contains(&place.status)) {
        let (_, named) = doc.resolve(place.schema);
        let pointer = named.unwrap_or(&place.pointer);
        // Not a model (a list of them, a free-form object): a value built
        // from the schema, to answer a round that is about the request.
        let value = match by_pointer.get(pointer) {
            Some(model) => model.value.clone(),
            None => Synth::new(doc, Purpose::Response).value(place.schema, &place.pointer),
        };
        success.entry(place.operation.as_str()).or_insert((place.status, value, pointer.to_owned()));
    }
    for (id, method, path) in &prepared.places {
        let Some(operation) = doc.operation(path, method) else { continue };
        let empty = operation.operation.get("responses").and_then(Value::as_object).and_then(|responses| {
            responses.iter().find_map(|(key, response)| {
                let status = key.parse::<u16>().ok().filter(|status| (200..300).contains(status))?;
                let (response, _) = doc.resolve(response);
                response.get("content").is_none().then_some(status)
            })
        });
        if let Some(status) = empty {
            success.entry(id.as_str()).or_insert((status, Value::Null, String::new()));
        }
    }
    let sent: BTreeMap<&str, &Value> = requests
        .iter()
        .filter_map(|entry| Some((entry["operation"].as_str()?, entry["request"].get("body")?)))
        .collect();
    let mut queues: BTreeMap<String, Vec<Answer>> = BTreeMap::new();
    let mut unplaced = Vec::new();
    for model in models {
        let placed = place_whole(doc, &places, &success, model)
            .or_else(|| place_inside(doc, &places, &success, &by_pointer, &sent, model));
        match placed {
            Some((operation, answer)) => queues.entry(operation).or_default().push(answer),
            None => unplaced.push(model.name.clone()),
        }
    }
    let count = queues.values().map(Vec::len).max().unwrap_or(0);
    let rounds = (0..count)
        .map(|index| {
            queues.iter().filter_map(|(id, answers)| Some((id.clone(), answers.get(index)?.clone()))).collect()
        })
        .collect();
    (rounds, unplaced)
}

/// Every JSON schema of every operation called: its documented answers
/// (successes first) and its request body.
fn places(prepared: &Prepared) -> Vec<Place<'_>> {
    let doc = &prepared.doc;
    let mut places = Vec::new();
    for (id, method, path) in &prepared.places {
        let Some(operation) = doc.operation(path, method) else { continue };
        let mut statuses: Vec<(u16, String)> = operation
            .operation
            .get("responses")
            .and_then(Value::as_object)
            .into_iter()
            .flat_map(|responses| responses.keys())
            .filter_map(|key| Some((key.parse::<u16>().ok()?, key.clone())))
            .collect();
        statuses.sort_by_key(|(status, _)| (!(200..300).contains(status), *status));
        for (status, key) in statuses {
            let Some((response, at)) = operation.response(&key) else { continue };
            let Some((media, content)) = response.get("content").and_then(json_media) else { continue };
            let Some(schema) = content.get("schema") else { continue };
            let pointer = format!("{at}/content/{}/schema", escape(media));
            places.push(Place { operation: id.clone(), status, pointer, schema });
        }
        if let Some((body, at)) = operation.request_body() {
            if let Some((media, content)) = body.get("content").and_then(json_media) {
                if let Some(schema) = content.get("schema") {
                    let pointer = format!("{at}/content/{}/schema", escape(media));
                    places.push(Place { operation: id.clone(), status: 0, pointer, schema });
                }
            }
        }
    }
    places
}

/// The answer (or request) that carries `model` whole, if a place's schema is
/// the model's.
fn place_whole(
    doc: &Document,
    places: &[Place<'_>],
    success: &BTreeMap<&str, Success>,
    model: &Model,
) -> Option<(String, Answer)> {
    places.iter().find_map(|place| {
        let (_, named) = doc.resolve(place.schema);
        let pointer = named.unwrap_or(&place.pointer);
        (pointer == model.pointer)
            .then(|| carrying(place, pointer, success, model.value.clone(), vec![model.name.clone()]))
            .flatten()
    })
}

/// The answer (or request) that carries `model` inside another value where
/// that one's schema places it: another model's test value, the request the
/// contract check sends, or a list of the model.
fn place_inside(
    doc: &Document,
    places: &[Place<'_>],
    success: &BTreeMap<&str, Success>,
    by_pointer: &BTreeMap<&str, &Model>,
    sent: &BTreeMap<&str, &Value>,
    model: &Model,
) -> Option<(String, Answer)> {
    places.iter().find_map(|place| {
        let (resolved, named) = doc.resolve(place.schema);
        let outer_pointer = named.unwrap_or(&place.pointer).to_owned();
        let mut bases = Vec::new();
        if let Some(outer) = by_pointer.get(outer_pointer.as_str()) {
            bases.push((outer.value.clone(), outer.name.clone()));
        }
        if let (0, Some(request)) = (place.status, sent.get(place.operation.as_str())) {
            bases.push(((*request).clone(), format!("the request of {}", place.operation)));
        }
        if resolved.get("items").is_some() {
            bases.push((Value::Array(vec![Value::Null]), "a list".to_owned()));
        }
        bases.into_iter().find_map(|(mut body, outer)| {
            substitute(doc, resolved, &outer_pointer, &mut body, &model.pointer, &model.value, 0)
                .then(|| carrying(place, &outer_pointer, success, body, vec![model.name.clone(), outer]))
                .flatten()
        })
    })
}

/// `body` as what `place` reads or writes: an answer of its status, or the
/// request body, answered with the operation's success.
fn carrying(
    place: &Place<'_>,
    schema: &str,
    success: &BTreeMap<&str, Success>,
    body: Value,
    models: Vec<String>,
) -> Option<(String, Answer)> {
    let answer = if place.status == 0 {
        let (status, answer, answer_schema) = success.get(place.operation.as_str())?;
        Answer {
            status: *status,
            body: answer.clone(),
            schema: answer_schema.clone(),
            request_body: Some(body),
            models,
        }
    } else {
        Answer { status: place.status, body, schema: schema.to_owned(), request_body: None, models }
    };
    Some((place.operation.clone(), answer))
}

/// Puts `replacement` where `value` (a value of `schema`, found at `pointer`)
/// holds a value of the schema at `target`; whether it found such a place.
fn substitute(
    doc: &Document,
    schema: &Value,
    pointer: &str,
    value: &mut Value,
    target: &str,
    replacement: &Value,
    depth: usize,
) -> bool {
    if depth > MAX_DEPTH {
        return false;
    }
    let (schema, named) = doc.resolve(schema);
    let pointer = named.unwrap_or(pointer).to_owned();
    if pointer == target {
        *value = replacement.clone();
        return true;
    }
    for (index, member) in schema.get("allOf").and_then(Value::as_array).into_iter().flatten().enumerate() {
        let at = format!("{pointer}/allOf/{index}");
        let (_, member_named) = doc.resolve(member);
        if member_named.unwrap_or(&at) == target {
            // A member is part of the value: its properties go over the
            // value's, the others' stay.
            if let (Value::Object(object), Value::Object(part)) = (&mut *value, replacement) {
                object.extend(part.iter().map(|(key, field)| (key.clone(), field.clone())));
                return true;
            }
        }
        if substitute(doc, member, &at, value, target, replacement, depth + 1) {
            return true;
        }
    }
    for keyword in ["oneOf", "anyOf"] {
        for (index, member) in schema.get(keyword).and_then(Value::as_array).into_iter().flatten().enumerate() {
            let at = format!("{pointer}/{keyword}/{index}");
            if substitute(doc, member, &at, value, target, replacement, depth + 1) {
                return true;
            }
        }
    }
    match value {
        Value::Object(object) => {
            if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
                for (name, property) in properties {
                    let Some(field) = object.get_mut(name) else { continue };
                    let at = format!("{pointer}/properties/{}", escape(name));
                    if substitute(doc, property, &at, field, target, replacement, depth + 1) {
                        return true;
                    }
                }
            }
            if let Some(extra @ Value::Object(_)) = schema.get("additionalProperties") {
                let at = format!("{pointer}/additionalProperties");
                let known = schema.get("properties").and_then(Value::as_object);
                for (name, field) in object.iter_mut() {
                    if known.is_some_and(|known| known.contains_key(name)) {
                        continue;
                    }
                    if substitute(doc, extra, &at, field, target, replacement, depth + 1) {
                        return true;
                    }
                }
            }
            false
        }
        Value::Array(items) => match (schema.get("items"), items.first_mut()) {
            (Some(item_schema), Some(first)) => {
                substitute(doc, item_schema, &format!("{pointer}/items"), first, target, replacement, depth + 1)
            }
            _ => false,
        },
        _ => false,
    }
}

/// The server behind Prism: it answers each request with the answer of its
/// operation in the current round.
struct Upstream {
    base: String,
    round: Arc<Mutex<BTreeMap<String, Answer>>>,
}

impl Upstream {
    fn start(prepared: &Prepared) -> Result<Upstream, String> {
        let listener = TcpListener::bind(("127.0.0.1", 0)).map_err(|error| format!("no free port: {error}"))?;
        let address = listener.local_addr().map_err(|error| error.to_string())?;
        let round: Arc<Mutex<BTreeMap<String, Answer>>> = Arc::default();
        let routes: Vec<(String, String, String)> = prepared.places.clone();
        let shared = Arc::clone(&round);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let shared = Arc::clone(&shared);
                let routes = routes.clone();
                std::thread::spawn(move || serve(stream, &routes, &shared));
            }
        });
        Ok(Upstream { base: format!("http://{address}"), round })
    }
}

/// Answers the requests of one connection.
fn serve(stream: TcpStream, routes: &[(String, String, String)], round: &Mutex<BTreeMap<String, Answer>>) {
    let Ok(mut writer) = stream.try_clone() else { return };
    let mut reader = BufReader::new(stream);
    loop {
        let mut request_line = String::new();
        if reader.read_line(&mut request_line).unwrap_or(0) == 0 {
            return;
        }
        let mut length = 0usize;
        let mut chunked = false;
        loop {
            let mut header = String::new();
            if reader.read_line(&mut header).unwrap_or(0) == 0 {
                return;
            }
            let header = header.trim_end();
            if header.is_empty() {
                break;
            }
            let lower = header.to_ascii_lowercase();
            if let Some(value) = lower.strip_prefix("content-length:") {
                length = value.trim().parse().unwrap_or(0);
            }
            if lower.starts_with("transfer-encoding:") && lower.contains("chunked") {
                chunked = true;
            }
        }
        if chunked {
            // Chunks until the empty one; the body itself is not needed.
            loop {
                let mut size = String::new();
                if reader.read_line(&mut size).unwrap_or(0) == 0 {
                    return;
                }
                let size = usize::from_str_radix(size.trim().split(';').next().unwrap_or("0"), 16).unwrap_or(0);
                let mut chunk = vec![0; size + 2];
                if reader.read_exact(&mut chunk).is_err() {
                    return;
                }
                if size == 0 {
                    break;
                }
            }
        } else {
            let mut body = vec![0; length];
            if reader.read_exact(&mut body).is_err() {
                return;
            }
        }
        let mut words = request_line.split_whitespace();
        let (method, target) = (words.next().unwrap_or_default(), words.next().unwrap_or_default());
        let path = target.split('?').next().unwrap_or_default();
        let answer = route(routes, method, path).and_then(|id| round.lock().ok()?.get(id).cloned());
        let (status, body) = match answer {
            Some(answer) if answer.body.is_null() => (answer.status, String::new()),
            Some(answer) => (answer.status, answer.body.to_string()),
            None => (500, json!({"error": format!("no answer for {method} {path} in this round")}).to_string()),
        };
        // No content type on an empty answer: there is no JSON to read.
        let content_type = if body.is_empty() { "" } else { "content-type: application/json\r\n" };
        let head = format!("HTTP/1.1 {status} Answer\r\n{content_type}content-length: {}\r\n\r\n", body.len());
        if writer.write_all(head.as_bytes()).and_then(|()| writer.write_all(body.as_bytes())).is_err() {
            return;
        }
    }
}

/// The operation at `method` and `path`: the route with the most literal
/// segments that matches.
fn route<'r>(routes: &'r [(String, String, String)], method: &str, path: &str) -> Option<&'r str> {
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    routes
        .iter()
        .filter(|(_, route_method, _)| route_method.eq_ignore_ascii_case(method))
        .filter_map(|(id, _, template)| Some((match_path(template, &segments)?.0, id.as_str())))
        .max_by_key(|(literal, _)| *literal)
        .map(|(_, id)| id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_model_is_put_where_the_schema_places_it() {
        let doc = Document::new(json!({"components": {"schemas": {
            "Page": {"type": "object", "properties": {"data": {"type": "array", "items": {"$ref": "#/components/schemas/Item"}}}},
            "Item": {"type": "object", "properties": {"owner": {"type": "object", "properties": {"id": {"type": "string"}}}}}
        }}}));
        let page_schema = json!({"$ref": "#/components/schemas/Page"});
        let mut value = json!({"data": [{"owner": {"id": "a"}}]});
        let owner = "#/components/schemas/Item/properties/owner";
        assert!(substitute(&doc, &page_schema, "#/x", &mut value, owner, &json!({"id": "b"}), 0));
        assert_eq!(value, json!({"data": [{"owner": {"id": "b"}}]}));
        assert!(!substitute(&doc, &page_schema, "#/x", &mut value, "#/components/schemas/Other", &json!(1), 0));
    }

    #[test]
    fn an_all_of_member_is_merged_into_the_value_not_put_in_its_place() {
        let doc = Document::new(json!({"components": {"schemas": {
            "Base": {"type": "object", "properties": {"id": {"type": "string"}}},
            "Full": {"allOf": [{"$ref": "#/components/schemas/Base"}, {"type": "object", "properties": {"extra": {"type": "integer"}}}]}
        }}}));
        let mut value = json!({"id": "a", "extra": 1});
        let full = json!({"$ref": "#/components/schemas/Full"});
        assert!(substitute(&doc, &full, "#/x", &mut value, "#/components/schemas/Base", &json!({"id": "b"}), 0));
        assert_eq!(value, json!({"id": "b", "extra": 1}));
    }

    #[test]
    fn a_request_goes_to_the_route_with_the_most_literal_segments() {
        let routes = vec![
            ("GetItem".to_owned(), "get".to_owned(), "/items/{id}".to_owned()),
            ("ListPending".to_owned(), "get".to_owned(), "/items/pending".to_owned()),
        ];
        assert_eq!(route(&routes, "GET", "/items/pending"), Some("ListPending"));
        assert_eq!(route(&routes, "GET", "/items/i1"), Some("GetItem"));
        assert_eq!(route(&routes, "POST", "/items/i1"), None);
    }
}
