//! `cargo xtask contract --whole-api [--spec PATH] [--rounds N]`: every
//! operation of one document (by default Clerk's upstream 2026-05-12 one)
//! against Prism, and every response example decoded.
//!
//! 1. `plan`: the client crate from the document: the whole-API crate when
//!    every tag generates, else every operation that does (the others listed).
//! 2. `fixtures` and `examples`: a minimal valid request per operation and
//!    the response examples, as JSON built from the document by `synth`.
//! 3. `driver`: a program over the crate, written from the IR, built in the
//!    scratch workspace of `compile` (its shared target folder).
//! 4. The driver decodes every example, then calls every operation against
//!    Prism (`crate::prism`), statically once and dynamically `--rounds`
//!    times; `report` tallies what it printed.
//!
//! Exit 0 only when no request violates the document, every answer and every
//! example decodes (into what it says), and no other failure happened.
//!
//! With `--github [--sample N] [--seed S]` the document is GitHub's, and the
//! crate holds N of its operations drawn with seed S (`github`); the calls are
//! the same, the examples are not decoded, and the counts of the sample are
//! printed last.

mod driver;
mod examples;
mod fixtures;
pub mod github;
mod plan;
mod prism_log;
mod probe;
mod report;
pub mod test_values;

use std::ffi::OsStr;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use schema_values::doc::{self, json_media};
use schema_values::synth;
use serde_json::{json, Value};

use crate::compile::{build, scratch_root, target_dir, Build, GeneratedCrate};
use crate::options::{ContractOptions, GithubSample, MIN_DYNAMIC_ROUNDS};
use crate::paths::workspace_root;
use crate::prism::{ensure_prism, report_prism_errors, Errors, Mode, PrismServer, UPSTREAM_SPEC};
use crate::FAILURE;

pub use examples::{Collected, Example, Source};
pub use report::{CallTally, ExampleTally, Failure};

/// The scratch workspace of the check (under `target/generated-crates/`).
const LABEL: &str = "whole-api";
/// The scratch workspace of `--github`.
const GITHUB_LABEL: &str = "whole-api-github";
/// Calls per operation in static mode: Prism's answer is the same each time.
const STATIC_ROUNDS: usize = 1;

/// An operation left out of the calls (in both modes) for a limit of Prism,
/// never of the client, named with Prism's issue.
pub struct Exclusion {
    pub operation_id: &'static str,
    /// `stoplightio/prism#…`
    pub issue: &'static str,
    pub why: &'static str,
}

/// None today: every operation the client has is called in both modes.
pub const EXCLUSIONS: &[Exclusion] = &[];

/// What the check builds and feeds the driver, before any Prism runs.
pub struct Prepared {
    pub plan_summary: Vec<String>,
    pub driver: PathBuf,
    pub requests: PathBuf,
    pub examples_file: PathBuf,
    pub examples: examples::Collected,
    /// The operationIds the client has, in call order.
    pub operations: Vec<String>,
    /// Each operation's id, method (lower case) and path template.
    pub places: Vec<(String, String, String)>,
    /// The method and path template of each request in the requests file.
    pub routes: Vec<(String, String)>,
    pub request_findings: Vec<synth::Finding>,
    pub request_examples_used: usize,
    /// A request per operation with a JSON body that Prism must refuse.
    pub probes: Vec<probe::Probe>,
    /// Each JSON body's schema, to check what was sent where Prism does not.
    pub body_schemas: Vec<(String, Value, String)>,
    pub doc: doc::Document,
    /// How many types the crate(s) define.
    pub types: usize,
}

/// Plans the crate(s) for `spec`, builds the requests and examples, and builds
/// the driver in the scratch workspace `label`.
pub fn prepare(spec: &Path, label: &str) -> Result<Prepared, String> {
    prepare_plan(spec, plan::plan(spec)?, label)
}

/// [`prepare`] for the crate(s) of `plan`.
fn prepare_plan(spec: &Path, plan: plan::Plan, label: &str) -> Result<Prepared, String> {
    let value = codegen::load::read_value(spec).map_err(|error| error.to_string())?;
    let doc = doc::Document::new(value);
    let plan_summary = describe_plan(&plan);
    let driver_crates: Vec<driver::DriverCrate> = plan
        .crates
        .iter()
        .map(|planned| driver::DriverCrate { package: &planned.krate.name, api: &planned.api })
        .collect();
    let calls = driver::calls(&driver_crates);
    let operations: Vec<String> = calls.iter().map(|call| call.operation.operation_id.clone()).collect();
    let places = calls
        .iter()
        .map(|call| {
            let operation = call.operation;
            (
                operation.operation_id.clone(),
                operation.http_method.as_str().to_ascii_lowercase(),
                operation.path.clone(),
            )
        })
        .collect();
    let fixtures = fixtures::build(&doc, calls.iter().map(|call| call.operation));
    let examples = examples::collect(&doc, calls.iter().map(|call| call.operation));
    let probes = probe::probes(calls.iter().map(|call| call.operation), &fixtures.requests);

    let workspace = scratch_root().join(label);
    std::fs::create_dir_all(&workspace).map_err(|error| format!("{}: {error}", workspace.display()))?;
    let requests = workspace.join("requests.json");
    // Each operation's minimal request, then its full one.
    let called: Vec<(&str, &String, &Value)> = fixtures
        .requests
        .iter()
        .zip(&fixtures.full_requests)
        .filter(|((operation, _), _)| !EXCLUSIONS.iter().any(|exclusion| exclusion.operation_id == operation))
        .flat_map(|((operation, minimal), (_, full))| [("minimal", operation, minimal), ("full", operation, full)])
        .collect();
    let routes = called
        .iter()
        .filter_map(|(_, operation, _)| calls.iter().find(|call| call.operation.operation_id == **operation))
        .map(|call| (call.operation.http_method.as_str().to_owned(), call.operation.path.clone()))
        .collect();
    let entries: Vec<Value> = called
        .iter()
        .map(|(shape, operation, request)| json!({"operation": operation, "shape": shape, "request": request}))
        .collect();
    write_json(&requests, &Value::Array(entries))?;
    let examples_file = workspace.join("examples.json");
    let entries: Vec<Value> = examples
        .examples
        .iter()
        .map(|example| json!({"operation": example.operation, "status": example.status, "value": example.value}))
        .collect();
    write_json(&examples_file, &Value::Array(entries))?;

    let name = format!("{label}-{}", driver::NAME);
    let driver_files = vec![
        codegen::GeneratedFile { path: "Cargo.toml".to_owned(), contents: driver::manifest(&name, &driver_crates) },
        codegen::GeneratedFile { path: "src/main.rs".to_owned(), contents: driver::main_rs(&driver_crates) },
    ];
    let types = plan.crates.iter().map(|planned| planned.api.types.len()).sum();
    let mut crates: Vec<GeneratedCrate> = plan.crates.into_iter().map(|planned| planned.krate).collect();
    crates.push(GeneratedCrate { name: name.clone(), files: driver_files });
    let outcome = build(label, &crates, Build::Binaries)?;
    if !outcome.success {
        return Err(format!("the client crate or the driver does not build:\n{}", outcome.output));
    }
    Ok(Prepared {
        plan_summary,
        driver: target_dir().join("debug").join(format!("{name}{}", std::env::consts::EXE_SUFFIX)),
        requests,
        examples_file,
        examples,
        operations,
        places,
        routes,
        request_findings: fixtures.findings,
        request_examples_used: fixtures.examples_used,
        probes,
        body_schemas: fixtures.body_schemas,
        doc,
        types,
    })
}

/// The driver decodes every example; the tally of what it decoded into.
pub fn decode_examples(prepared: &Prepared) -> Result<ExampleTally, String> {
    let output = run_driver(&prepared.driver, &[OsStr::new("examples"), prepared.examples_file.as_os_str()])?;
    ExampleTally::read(&prepared.examples.examples, &output)
}

fn run_driver(driver: &Path, args: &[&OsStr]) -> Result<String, String> {
    let output = Command::new(driver)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|error| format!("cannot run {}: {error}", driver.display()))?;
    if !output.status.success() {
        return Err(format!(
            "the driver failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim_end()
        ));
    }
    String::from_utf8(output.stdout).map_err(|error| format!("the driver printed something that is not UTF-8: {error}"))
}

pub fn run(options: &ContractOptions, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let root = workspace_root();
    let spec = match (&options.github, options.specs.last()) {
        (Some(_), _) => match crate::apis::github_spec(&root) {
            Ok(spec) => spec,
            Err(message) => {
                let _ = writeln!(err, "error: GitHub's document: {message}");
                return FAILURE;
            }
        },
        (None, Some(spec)) => std::env::current_dir().unwrap_or_else(|_| root.clone()).join(spec),
        (None, None) => root.join(UPSTREAM_SPEC),
    };
    if !spec.is_file() {
        let _ = writeln!(err, "error: {}: no such file", spec.display());
        return FAILURE;
    }
    let rounds = options.rounds.unwrap_or(MIN_DYNAMIC_ROUNDS);
    let shown = spec.strip_prefix(&root).unwrap_or(&spec).display().to_string();
    let _ = writeln!(out, "==> whole API: {shown}");

    let started = Instant::now();
    let label = if options.github.is_some() { GITHUB_LABEL } else { LABEL };
    let prepared = match options.github {
        Some(sample) => {
            github::plan(&spec, sample.operations, sample.seed).and_then(|plan| prepare_plan(&spec, plan, label))
        }
        None => prepare(&spec, label),
    };
    let prepared = match prepared {
        Ok(prepared) => prepared,
        Err(message) => {
            let _ = writeln!(err, "error: {message}");
            return FAILURE;
        }
    };
    for line in &prepared.plan_summary {
        let _ = writeln!(out, "{line}");
    }
    let _ = writeln!(
        out,
        "whole-api: {} operations and {} types generated and built with the driver in {:.1} s",
        prepared.operations.len(),
        prepared.types,
        started.elapsed().as_secs_f64()
    );
    let _ = writeln!(
        out,
        "whole-api: requests: {} values from the document's own example, default or first enum value, the rest built to fit",
        prepared.request_examples_used
    );
    write_findings(out, "requests", &prepared.request_findings);

    let mut summaries = Vec::new();
    let mut tallies: Vec<CallTally> = Vec::new();
    let mut failed = false;
    // Operations whose body Prism lets through whatever it is (see `probe`).
    let mut unvalidated: Vec<String> = Vec::new();

    let started = Instant::now();
    let examples = if options.github.is_some() {
        // The sample checks calls only.
        let _ = writeln!(out, "examples: not decoded with --github (the sample check is about calls)");
        None
    } else {
        Some(decode_examples(&prepared))
    };
    match examples {
        None => {}
        Some(examples) => match examples {
            Ok(tally) => {
                let summary = tally.summary(prepared.examples.schema_examples.len());
                let _ = writeln!(out, "{summary} ({:.1} s)", started.elapsed().as_secs_f64());
                let _ = write!(out, "{}", tally.details());
                write_findings(out, "examples", &prepared.examples.findings);
                failed |= tally.failures() > 0;
                summaries.push(summary);
            }
            Err(message) => {
                let _ = writeln!(err, "error: decoding the examples: {message}");
                failed = true;
                summaries.push("examples: FAILED to run".to_owned());
            }
        },
    }

    let prism = match ensure_prism(&root, out) {
        Ok(prism) => prism,
        Err(message) => {
            let _ = writeln!(err, "error: {message}");
            return FAILURE;
        }
    };
    let log_dir = crate::paths::target_dir().join("prism/logs");
    if let Err(error) = std::fs::create_dir_all(&log_dir) {
        let _ = writeln!(err, "error: {}: {error}", log_dir.display());
        return FAILURE;
    }
    for (mode, rounds) in [(Mode::Static, STATIC_ROUNDS), (Mode::Dynamic, rounds)] {
        let log = log_dir.join(format!("{label}-{}.log", mode.name()));
        let _ = writeln!(
            out,
            "\n==> whole API against Prism ({}, {rounds} per operation), log {}",
            mode.name(),
            log.display()
        );
        let started = Instant::now();
        // Prism validates requests the same way in both modes: probed once.
        let probes: &[probe::Probe] = if mode == Mode::Static { &prepared.probes } else { &[] };
        match call_all(&prism, &root, &spec, mode, rounds, &prepared, probes, &log) {
            Ok((mut tally, verdicts)) => {
                if mode == Mode::Static {
                    let (lines, unchecked) = check_probes(&prepared, &verdicts, &mut tally);
                    for line in lines {
                        let _ = writeln!(out, "{line}");
                    }
                    unvalidated = unchecked;
                }
                let summary = format!("{} ({:.1} s)", tally.summary(mode.name()), started.elapsed().as_secs_f64());
                let _ = writeln!(out, "{summary}");
                let _ = write!(out, "{}", tally.details());
                if !tally.passed() {
                    failed = true;
                    report_prism_errors(&log, err);
                }
                summaries.push(summary);
                tallies.push(tally);
            }
            Err(message) => {
                let _ = writeln!(err, "error: {message}");
                report_prism_errors(&log, err);
                failed = true;
                summaries.push(format!("{}: FAILED: {message}", mode.name()));
            }
        }
    }

    let _ = writeln!(out, "\nwhole-api: {shown}");
    for summary in &summaries {
        let _ = writeln!(out, "  {summary}");
    }
    if !unvalidated.is_empty() {
        let _ = writeln!(
            out,
            "  bodies Prism does not validate (stoplightio/prism#2442: a schema ajv refuses is skipped), checked by this command instead: {}",
            unvalidated.join(", ")
        );
    }
    if EXCLUSIONS.is_empty() {
        let _ = writeln!(out, "  excluded for Prism's limits: none");
    }
    for exclusion in EXCLUSIONS {
        let stale = if prepared.operations.iter().any(|operation| operation == exclusion.operation_id) {
            ""
        } else {
            " (stale: the client has no such operation)"
        };
        let _ = writeln!(
            out,
            "  excluded for Prism's limits: {} ({}): {}{stale}",
            exclusion.operation_id, exclusion.issue, exclusion.why
        );
    }
    if let Some(sample) = options.github {
        for line in github_counts(sample, &prepared, &tallies) {
            let _ = writeln!(out, "{line}");
        }
    }
    if failed {
        let _ = writeln!(err, "whole-api: FAILED (see above)");
        FAILURE
    } else {
        let _ = writeln!(out, "whole-api: passed");
        0
    }
}

/// Prism up in `mode`, the probes and then the driver's calls against it,
/// Prism down.
#[allow(clippy::too_many_arguments)]
fn call_all(
    prism: &Path,
    root: &Path,
    spec: &Path,
    mode: Mode,
    rounds: usize,
    prepared: &Prepared,
    probes: &[probe::Probe],
    log: &Path,
) -> Result<(CallTally, Vec<(String, probe::Verdict)>), String> {
    // Without `--errors`: an answer Prism mocks that breaks the document (a
    // required property the document never defines, a `pattern` its static
    // mode ignores) then still reaches the client, to be decoded, with
    // `sl-violations` saying what it breaks; a request that violates the
    // document is refused all the same.
    let server = PrismServer::start(prism, root, spec, mode, Errors::Off, log)?;
    let verdicts = probe::run(server.address, probes);
    let base = format!("http://{}", server.address);
    let rounds = rounds.to_string();
    let output = run_driver(
        &prepared.driver,
        &[OsStr::new("calls"), OsStr::new(&base), OsStr::new(&rounds), prepared.requests.as_os_str()],
    );
    // Stopped first, so that its log is complete.
    drop(server);
    let output = output?;
    let logged = prism_log::read(&crate::prism::read_log(log));
    let calls = output.lines().filter(|line| !line.trim().is_empty()).count();
    let aligned = aligned(&logged, probes.len(), calls, &prepared.routes);
    let judge = CallJudge { prepared, logged: &logged, probes: probes.len(), aligned };
    let mut tally = CallTally::read(&output, &judge)?;
    if !aligned && !tally.decode_failures.is_empty() {
        tally.notes.push(format!(
            "Prism's log ({} requests) does not line up with the {} probes and {calls} calls, so no decode failure is \
             checked against what Prism says of its own answers",
            logged.len(),
            probes.len()
        ));
    }
    Ok((tally, verdicts))
}

/// Judges the answers of one Prism run: what Prism's log says of them, and
/// where it says nothing, what the document says.
struct CallJudge<'a> {
    prepared: &'a Prepared,
    logged: &'a [prism_log::Logged],
    probes: usize,
    /// Whether `logged` lines up with the probes and calls (see `aligned`).
    aligned: bool,
}

impl CallJudge<'_> {
    fn place(&self, operation: &str) -> Option<doc::OperationDoc<'_>> {
        let (_, method, path) = self.prepared.places.iter().find(|(id, _, _)| id == operation)?;
        self.prepared.doc.operation(path, method)
    }
}

impl report::Judge for CallJudge<'_> {
    fn broken_answer(&self, index: usize, entry: &Value, path: &[String]) -> Option<String> {
        if self.aligned {
            // Where the decoding failed, or a type Prism says is wrong above
            // it (an array for an object: serde then reads the array's items
            // as the object's fields and fails deeper).
            let said: Vec<&String> = self.logged[self.probes + index]
                .answer_violations
                .iter()
                .filter(|(at, message)| at == path || (path.starts_with(at) && prism_log::is_type_violation(message)))
                .map(|(_, message)| message)
                .collect();
            match said.as_slice() {
                [] => {}
                [one] => return Some(format!("Prism says its answer breaks the document there ({one})")),
                [first, rest @ ..] => {
                    return Some(format!(
                        "Prism says its answer breaks the document there ({first}, and {} more there)",
                        rest.len()
                    ))
                }
            }
        }
        // Prism says nothing there: it skips answers whose schema ajv cannot
        // compile (stoplightio/prism#2442), so the answer is checked here,
        // against the document.
        let operation = entry["operation"].as_str()?;
        let status = entry["status"].as_u64()?;
        let body: Value = serde_json::from_str(entry["body"].as_str()?).ok()?;
        let place = self.place(operation)?;
        let (response, at) = place
            .response(&status.to_string())
            .or_else(|| place.response(&format!("{}XX", status / 100)))
            .or_else(|| place.response("default"))?;
        let (_, media) = response.get("content").and_then(json_media)?;
        let schema = media.get("schema")?;
        let reason = synth::fits(&self.prepared.doc, schema, &body, synth::Purpose::Response, 0).err()?;
        fit_explains(&reason, path).then(|| {
            format!("the document says the answer breaks it there, where Prism's log says nothing ({at}: {reason})")
        })
    }

    fn documented_redirect(&self, operation: &str, status: u16) -> bool {
        self.place(operation).is_some_and(|place| {
            place.response(&status.to_string()).is_some() || place.response(&format!("{}XX", status / 100)).is_some()
        })
    }
}

/// Whether a reason of `synth::fits` (`.a: [0]: .b: required property `c`
/// is missing`) is about the place a decoding failed at, `path` (as
/// segments): the same place, or a wrong type above it.
fn fit_explains(reason: &str, path: &[String]) -> bool {
    let mut at: Vec<String> = Vec::new();
    let mut rest = reason;
    while rest.starts_with('.') || rest.starts_with('[') {
        let Some((segment, after)) = rest.split_once(": ") else { break };
        at.extend(prism_log::segments(segment));
        rest = after;
    }
    let wrong_type = rest.contains(" where the schema wants ") || rest.starts_with("null where");
    at == path || (path.starts_with(&at) && wrong_type)
}

/// Whether Prism's log holds exactly the probes and then the `calls`, each
/// call to the route of its request (the requests file is sent in order,
/// round after round).
fn aligned(logged: &[prism_log::Logged], probes: usize, calls: usize, routes: &[(String, String)]) -> bool {
    !routes.is_empty()
        && logged.len() == probes + calls
        && (0..calls).all(|index| {
            let (method, template) = &routes[index % routes.len()];
            prism_log::is_route(&logged[probes + index], method, template)
        })
}

/// Reads the probes' verdicts: each body Prism does not validate is checked
/// here, against its schema, as the client sent it (a mismatch counts as a
/// violation); an unclear verdict is a failure. Returns the lines to print
/// and the operations whose bodies Prism does not validate.
fn check_probes(
    prepared: &Prepared,
    verdicts: &[(String, probe::Verdict)],
    tally: &mut CallTally,
) -> (Vec<String>, Vec<String>) {
    let mut lines = Vec::new();
    let validated = verdicts.iter().filter(|(_, verdict)| *verdict == probe::Verdict::Validated).count();
    lines.push(format!(
        "probes: Prism refuses a body of the wrong type for {validated} of the {} operations with a JSON body",
        verdicts.len()
    ));
    let mut unvalidated = Vec::new();
    for (operation, verdict) in verdicts {
        match verdict {
            probe::Verdict::Validated => {}
            probe::Verdict::NotValidated { status } => {
                unvalidated.push(operation.clone());
                let schema = prepared.body_schemas.iter().find(|(id, _, _)| id == operation);
                let sent: Vec<&(String, String, Value)> =
                    tally.sent.iter().filter(|(id, _, _)| id == operation).collect();
                let mut found = Vec::new();
                let checked = match schema {
                    Some((_, schema, at)) if !sent.is_empty() => {
                        let mut verdicts = Vec::new();
                        for (_, shape, body) in &sent {
                            match synth::fits(&prepared.doc, schema, body, synth::Purpose::Request, 0) {
                                Ok(()) => verdicts.push(format!("the {shape} body sent fits {at}")),
                                Err(reason) => {
                                    verdicts.push(format!("the {shape} body sent does NOT fit {at}: {reason}"));
                                    found.push(report::Failure {
                                        operation: format!("{operation} ({shape} request)"),
                                        what: format!(
                                            "(found by this command; Prism does not validate this body) {reason}"
                                        ),
                                    });
                                }
                            }
                        }
                        verdicts.join("; ")
                    }
                    _ => {
                        tally.other_failures.push(report::Failure {
                            operation: operation.clone(),
                            what: "Prism does not validate its body, and no body sent was recorded".to_owned(),
                        });
                        "no body sent was recorded".to_owned()
                    }
                };
                tally.violations.extend(found);
                lines.push(format!(
                    "  {operation}: Prism answered {status} to a body of the wrong type (stoplightio/prism#2442); {checked}"
                ));
            }
            probe::Verdict::Unclear(what) => {
                tally.other_failures.push(report::Failure {
                    operation: operation.clone(),
                    what: format!("the probe of its body: {what}"),
                });
                lines.push(format!("  {operation}: the probe was answered with {what}"));
            }
        }
    }
    (lines, unvalidated)
}

/// The counts of `--github`, over both modes: what was sampled and called,
/// Prism's verdicts on the requests, and what became of its answers.
fn github_counts(sample: GithubSample, prepared: &Prepared, tallies: &[CallTally]) -> Vec<String> {
    let sum = |count: &dyn Fn(&CallTally) -> usize| -> usize { tallies.iter().map(count).sum() };
    let calls = sum(&|tally| tally.calls);
    let violations = sum(&|tally| tally.violations.len());
    // Answers Prism's own checks say nothing against: decoded, or not.
    let decoded = sum(&|tally| tally.ok - tally.broken_answers.len());
    let decode_failures: Vec<&Failure> = tallies.iter().flat_map(|tally| &tally.decode_failures).collect();
    let mut failed_operations: Vec<&str> =
        decode_failures.iter().map(|failure| failure.operation.trim_end_matches(" (full request)")).collect();
    failed_operations.sort_unstable();
    failed_operations.dedup();
    let broken = sum(&|tally| tally.broken_answers.len() + tally.refused_broken_answers.len());
    let other = sum(&|tally| tally.other_failures.len());
    let redirects = sum(&|tally| tally.redirects.len());
    vec![
        format!(
            "github: seed {}: {} operations sampled (asked for {}), {calls} calls made",
            sample.seed,
            prepared.operations.len(),
            sample.operations
        ),
        format!("github: request violations reported by Prism: {violations}"),
        format!(
            "github: answers accepted by Prism: {}, decoded: {decoded}, decode failures: {}{}",
            decoded + decode_failures.len(),
            decode_failures.len(),
            if failed_operations.is_empty() { String::new() } else { format!(" ({})", failed_operations.join(", ")) }
        ),
        format!(
            "github: answers Prism or the document says break the document (not counted as accepted): {broken}; \
             documented redirects (not followed, returned as errors): {redirects}; other failures: {other}"
        ),
    ]
}

fn describe_plan(plan: &plan::Plan) -> Vec<String> {
    let mut lines = Vec::new();
    let crates: Vec<&str> = plan.crates.iter().map(|planned| planned.krate.name.as_str()).collect();
    let operations: usize = plan.crates.iter().map(|planned| planned.api.operations().count()).sum();
    match &plan.shape {
        plan::Shape::WholeApi => {
            lines.push(format!("whole-api: every tag generates: one crate, {}, of {operations} operations", crates.join("")));
            return lines;
        }
        plan::Shape::Generable => lines.push(format!(
            "whole-api: not every tag generates yet; one crate ({}) of the {} of {} operations that do",
            crates.join(""),
            plan.total - plan.blocked.len(),
            plan.total
        )),
        plan::Shape::Sample { seed, generable } => {
            lines.push(format!(
                "whole-api: a sample of {operations} operations ({}), drawn with seed {seed} from the {generable} of {} operations that generate",
                crates.join(""),
                plan.total
            ));
            let ids: Vec<&str> = plan
                .crates
                .iter()
                .flat_map(|planned| planned.api.operations())
                .map(|operation| operation.operation_id.as_str())
                .collect();
            lines.push(format!("  sampled: {}", ids.join(", ")));
            lines.push(format!("  operations that do not generate, never sampled ({}):", plan.blocked.len()));
            for blocked in &plan.blocked {
                lines.push(format!("    {} [{}]: {}", blocked.operation_id, blocked.tags.join(", "), blocked.reason));
            }
            return lines;
        }
        plan::Shape::PerTag { union_error } => lines.push(format!(
            "whole-api: not every tag generates yet, and the operations that do not together ({union_error}); one crate per tag that does: {}",
            crates.join(", ")
        )),
    }
    if let Some(error) = &plan.whole_api_error {
        lines.push(format!("  all tags: {error}"));
    }
    let complete = plan.tags.iter().filter(|(_, count, generated)| count == generated).count();
    let incomplete: Vec<String> = plan
        .tags
        .iter()
        .filter(|(_, count, generated)| count != generated)
        .map(|(tag, count, generated)| format!("{tag} {generated}/{count}"))
        .collect();
    lines.push(format!(
        "  tags that generate whole: {complete} of {}; the others (operations that generate/all): {}",
        plan.tags.len(),
        incomplete.join(", ")
    ));
    lines.push(format!("  operations that do not generate ({}):", plan.blocked.len()));
    for blocked in &plan.blocked {
        lines.push(format!("    {} [{}]: {}", blocked.operation_id, blocked.tags.join(", "), blocked.reason));
    }
    lines
}

fn write_findings(out: &mut dyn Write, what: &str, findings: &[synth::Finding]) {
    if findings.is_empty() {
        let _ = writeln!(out, "whole-api: {what}: nothing in the document the synthesizer could not honour");
        return;
    }
    let _ =
        writeln!(out, "whole-api: {what}: {} things in the document the synthesizer could not honour:", findings.len());
    for finding in findings {
        let _ = writeln!(out, "  {}: {}", finding.pointer, finding.message);
    }
}

fn write_json(path: &Path, value: &Value) -> Result<(), String> {
    let text = serde_json::to_string(value).map_err(|error| format!("{}: {error}", path.display()))?;
    std::fs::write(path, text).map_err(|error| format!("{}: {error}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn logged(method: &str, target: &str) -> prism_log::Logged {
        prism_log::Logged { method: method.to_owned(), target: target.to_owned(), answer_violations: Vec::new() }
    }

    #[test]
    fn a_reason_of_the_schema_explains_a_decode_failure_at_its_place_or_below_a_wrong_type() {
        let path = |text: &str| prism_log::segments(text);
        let missing = ".protection: .required_status_checks: required property `checks` is missing";
        assert!(fit_explains(missing, &path("protection.required_status_checks")));
        assert!(!fit_explains(missing, &path("protection")));
        assert!(!fit_explains(missing, &path("protection.required_status_checks.contexts[0]")), "not a type");
        assert!(fit_explains("required property `id` is missing", &path(".")));
        assert!(!fit_explains("required property `id` is missing", &path("owner.id")));
        assert!(fit_explains("an array where the schema wants object", &path("[0]")));
        assert!(fit_explains(".collaborators: [1]: no variant of `anyOf` fits (x)", &path("collaborators[1]")));
    }

    #[test]
    fn the_log_lines_up_with_probes_then_calls_round_after_round() {
        let routes = [("GET".to_owned(), "/users/{user_id}".to_owned()), ("POST".to_owned(), "/users".to_owned())];
        let log = [
            logged("post", "/users"),
            logged("get", "/users/example"),
            logged("post", "/users"),
            logged("get", "/users/example"),
            logged("post", "/users"),
        ];
        // One probe, then two rounds of two calls.
        assert!(aligned(&log, 1, 4, &routes));
        assert!(!aligned(&log, 0, 5, &routes), "the probe is not a call");
        assert!(!aligned(&log[..4], 1, 4, &routes), "a request missing from the log");
        assert!(!aligned(&log, 1, 4, &[]));
    }
}
