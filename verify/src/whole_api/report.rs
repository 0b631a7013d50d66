//! Reading the driver's JSON lines into tallies, and printing them.

use std::fmt::Write;

use serde_json::Value;

use super::examples::{differences, Example, Source};

/// Failures shown one by one; the rest are counted.
const SHOWN: usize = 40;

/// The calls of one Prism mode.
#[derive(Debug, Default)]
pub struct CallTally {
    pub calls: usize,
    pub operations: Vec<String>,
    pub ok: usize,
    /// Prism refused the request (`sl-violations`).
    pub violations: Vec<Failure>,
    /// The answer did not decode into the generated type.
    pub decode_failures: Vec<Failure>,
    /// Anything else: an error status without violations, a request value
    /// that does not fit its setter, transport errors.
    pub other_failures: Vec<Failure>,
    /// Decoded, but Prism says its own answer breaks the document (what it
    /// cannot mock: a required property the document never defines, …).
    pub broken_answers: Vec<Failure>,
    /// Not decoded, where Prism's log says its own answer breaks the document
    /// at the very place the decoding failed: the client was right.
    pub refused_broken_answers: Vec<Failure>,
    /// Answered, with warnings about the request that are no violation (a
    /// deprecated parameter, which the full request sends on purpose).
    pub warnings: Vec<Failure>,
    /// Answered with a 3XX the operation documents (GitHub's archive
    /// downloads): the runtime never follows a redirect and returns it as an
    /// error with its status and headers, by design.
    pub redirects: Vec<Failure>,
    /// The first JSON body sent for each operation and request shape
    /// (`minimal`, `full`) that sends one.
    pub sent: Vec<(String, String, Value)>,
    /// What the reader of the tally should know besides.
    pub notes: Vec<String>,
}

/// One failed call or example.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub operation: String,
    pub what: String,
}

/// What the tally asks of the document and Prism's log about an answer.
pub trait Judge {
    /// Why the answer to the n-th call (the driver's line `entry`), which did
    /// not decode at `path` (as segments), breaks the document there, if it
    /// does: what Prism says, else what the document's schema says.
    fn broken_answer(&self, index: usize, entry: &Value, path: &[String]) -> Option<String>;
    /// Whether `operation` documents the 3XX `status` it was answered with.
    fn documented_redirect(&self, operation: &str, status: u16) -> bool;
}

impl CallTally {
    /// The driver's lines, judged by `judge`.
    pub fn read(output: &str, judge: &dyn Judge) -> Result<CallTally, String> {
        let mut tally = CallTally::default();
        for (index, line) in output.lines().filter(|line| !line.trim().is_empty()).enumerate() {
            let entry: Value =
                serde_json::from_str(line).map_err(|error| format!("the driver printed `{line}`: {error}"))?;
            let operation = entry["operation"].as_str().unwrap_or_default().to_owned();
            let shape = entry["shape"].as_str().unwrap_or("minimal").to_owned();
            // Failures of the full request say so.
            let label = if shape == "full" { format!("{operation} (full request)") } else { operation.clone() };
            let status = entry["status"].as_u64().map(|status| format!("HTTP {status}: ")).unwrap_or_default();
            let detail = entry["detail"].as_str().unwrap_or_default();
            tally.calls += 1;
            let sent = &entry["sent"];
            if !sent.is_null()
                && !tally.sent.iter().any(|(seen, seen_shape, _)| *seen == operation && *seen_shape == shape)
            {
                tally.sent.push((operation.clone(), shape.clone(), sent.clone()));
            }
            if !tally.operations.contains(&operation) {
                tally.operations.push(operation.clone());
            }
            let failure = |kind: &str| Failure { operation: label.clone(), what: format!("{kind}{status}{detail}") };
            match entry["outcome"].as_str().unwrap_or_default() {
                "ok" => tally.ok += 1,
                // A 2XX with sl-violations: about the request (an error Prism let
                // through, or a warning such as a deprecated parameter sent on
                // purpose), or about Prism's own answer.
                "answered_with_violations" => match Said::of(detail) {
                    Said { request_errors: true, .. } => tally.violations.push(failure("")),
                    Said { answer: true, .. } => {
                        tally.ok += 1;
                        tally.broken_answers.push(failure(""));
                    }
                    _ => {
                        tally.ok += 1;
                        tally.warnings.push(failure(""));
                    }
                },
                "violation" if about_the_answer(detail) => {
                    tally.other_failures.push(failure("Prism's answer breaks the document and was not decoded: "))
                }
                "violation" => tally.violations.push(failure("")),
                "decode" => {
                    let path = super::prism_log::segments(entry["path"].as_str().unwrap_or_default());
                    match judge.broken_answer(index, &entry, &path) {
                        Some(said) => tally.refused_broken_answers.push(failure(&format!("{said}: "))),
                        None => tally.decode_failures.push(failure("")),
                    }
                }
                "error_status"
                    if entry["status"].as_u64().and_then(|status| u16::try_from(status).ok()).is_some_and(
                        |status| (300..400).contains(&status) && judge.documented_redirect(&operation, status),
                    ) =>
                {
                    tally.redirects.push(failure("a documented redirect, returned as an error: "));
                }
                "error_status" => tally.other_failures.push(failure("error status without violations: ")),
                "fixture" => tally.other_failures.push(failure("request value: ")),
                other => tally.other_failures.push(failure(&format!("{other}: "))),
            }
        }
        Ok(tally)
    }

    pub fn passed(&self) -> bool {
        self.calls > 0
            && self.violations.is_empty()
            && self.decode_failures.is_empty()
            && self.other_failures.is_empty()
    }

    /// `static: 189 calls of 189 operations, 189 ok, 0 violations, 0 decode failures, 0 other failures`
    pub fn summary(&self, mode: &str) -> String {
        let broken = match (self.broken_answers.len(), self.refused_broken_answers.len()) {
            (0, 0) => String::new(),
            (decoded, 0) => format!(" ({decoded} of the answers break the document)"),
            (decoded, refused) => format!(
                " ({decoded} of the answers break the document); {refused} answers that break the document refused"
            ),
        };
        let redirects = match self.redirects.len() {
            0 => String::new(),
            count => format!(", {count} documented redirects"),
        };
        format!(
            "{mode}: {} calls of {} operations, {} ok{broken}, {} violations, {} decode failures, {} other failures{redirects}",
            self.calls,
            self.operations.len(),
            self.ok,
            self.violations.len(),
            self.decode_failures.len(),
            self.other_failures.len()
        )
    }

    /// Each distinct failure once, with how many calls had it.
    pub fn details(&self) -> String {
        let mut out = String::new();
        for note in &self.notes {
            let _ = writeln!(out, "  note: {note}");
        }
        for (title, failures) in [
            ("violations", &self.violations),
            ("decode failures", &self.decode_failures),
            ("other failures", &self.other_failures),
            (
                "answers decoded although Prism says they break the document (not the client's doing)",
                &self.broken_answers,
            ),
            (
                "answers refused where Prism or the document says they break the document (rightly)",
                &self.refused_broken_answers,
            ),
            ("documented redirects, not followed (the runtime never follows one)", &self.redirects),
            ("warnings about the request, no violation", &self.warnings),
        ] {
            write_failures(&mut out, title, failures);
        }
        out
    }
}

/// Whether Prism's violations (`sl-violations`, a list of `{"location": […]}`)
/// are all about its own answer, none about the request.
/// What a list of Prism's violations (`sl-violations`) is about.
#[derive(Debug, Default)]
struct Said {
    /// An error in the request.
    request_errors: bool,
    /// Anything about Prism's own answer.
    answer: bool,
}

impl Said {
    fn of(violations: &str) -> Said {
        let Ok(Value::Array(list)) = serde_json::from_str::<Value>(violations) else {
            // Not Prism's list: take it as the most serious.
            return Said { request_errors: true, answer: false };
        };
        let mut said = Said::default();
        for violation in &list {
            match violation["location"][0].as_str() {
                Some("response") => said.answer = true,
                _ if violation["severity"] == "Warning" => {}
                _ => said.request_errors = true,
            }
        }
        said
    }
}

fn about_the_answer(violations: &str) -> bool {
    let Ok(Value::Array(list)) = serde_json::from_str::<Value>(violations) else { return false };
    !list.is_empty() && list.iter().all(|violation| violation["location"][0] == "response")
}

fn write_failures(out: &mut String, title: &str, failures: &[Failure]) {
    if failures.is_empty() {
        return;
    }
    let mut distinct: Vec<(&Failure, usize)> = Vec::new();
    for failure in failures {
        match distinct.iter_mut().find(|(seen, _)| *seen == failure) {
            Some((_, count)) => *count += 1,
            None => distinct.push((failure, 1)),
        }
    }
    let _ = writeln!(out, "  {title} ({} distinct):", distinct.len());
    for (failure, count) in distinct.iter().take(SHOWN) {
        let times = if *count > 1 { format!(" (×{count})") } else { String::new() };
        let _ = writeln!(out, "    {}{times}: {}", failure.operation, failure.what);
    }
    if distinct.len() > SHOWN {
        let _ = writeln!(out, "    … and {} more", distinct.len() - SHOWN);
    }
}

/// The examples decoded, by where they come from.
#[derive(Debug, Default)]
pub struct ExampleTally {
    pub document: usize,
    pub composed: usize,
    pub decoded: usize,
    /// The example did not decode.
    pub decode_failures: Vec<Failure>,
    /// It decoded into something else (a field lost, added or changed).
    pub round_trip_failures: Vec<Failure>,
    /// The driver has no type for the response (a bug of the driver).
    pub untyped: Vec<Failure>,
}

impl ExampleTally {
    pub fn read(examples: &[Example], output: &str) -> Result<ExampleTally, String> {
        let mut tally = ExampleTally {
            document: examples.iter().filter(|example| example.source == Source::Document).count(),
            composed: examples.iter().filter(|example| example.source == Source::Composed).count(),
            ..ExampleTally::default()
        };
        let mut seen = 0;
        for line in output.lines().filter(|line| !line.trim().is_empty()) {
            let entry: Value =
                serde_json::from_str(line).map_err(|error| format!("the driver printed `{line}`: {error}"))?;
            let index = entry["index"].as_u64().and_then(|index| usize::try_from(index).ok());
            let Some(example) = index.and_then(|index| examples.get(index)) else {
                return Err(format!("the driver printed an unknown example: {line}"));
            };
            seen += 1;
            let place = match &example.variant {
                Some(variant) => format!("{} ({variant})", example.pointer),
                None => example.pointer.clone(),
            };
            let failure = |what: String| Failure {
                operation: example.operation.clone(),
                what: format!("{} {place}: {what}", example.status),
            };
            match entry["outcome"].as_str().unwrap_or_default() {
                "ok" => {
                    let found = differences(&example.value, &entry["value"]);
                    if found.is_empty() {
                        tally.decoded += 1;
                    } else {
                        tally
                            .round_trip_failures
                            .push(failure(format!("decodes into something else: {}", found.join("; "))));
                    }
                }
                "decode" => {
                    let path = entry["path"].as_str().unwrap_or_default();
                    let message = entry["message"].as_str().unwrap_or_default();
                    tally.decode_failures.push(failure(format!("does not decode at `{path}`: {message}")));
                }
                _ => tally.untyped.push(failure("the driver has no type for this response".to_owned())),
            }
        }
        if seen != examples.len() {
            return Err(format!("the driver decoded {seen} of {} examples", examples.len()));
        }
        Ok(tally)
    }

    pub fn failures(&self) -> usize {
        self.decode_failures.len() + self.round_trip_failures.len() + self.untyped.len()
    }

    pub fn summary(&self, schema_examples: usize) -> String {
        format!(
            "examples: {} from the document and {} bodies composed from the schemas (carrying {schema_examples} schema examples): \
             {} decoded and kept, {} do not decode, {} decode into something else",
            self.document,
            self.composed,
            self.decoded,
            self.decode_failures.len(),
            self.round_trip_failures.len() + self.untyped.len()
        )
    }

    pub fn details(&self) -> String {
        let mut out = String::new();
        write_failures(&mut out, "do not decode", &self.decode_failures);
        write_failures(&mut out, "decode into something else", &self.round_trip_failures);
        write_failures(&mut out, "no type in the driver", &self.untyped);
        out
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// No answer breaks the document and no redirect is documented.
    struct NoJudge;

    impl Judge for NoJudge {
        fn broken_answer(&self, _: usize, _: &Value, _: &[String]) -> Option<String> {
            None
        }

        fn documented_redirect(&self, _: &str, _: u16) -> bool {
            false
        }
    }

    /// Explains the decode failure of the third call; `F` documents a 302.
    struct Explains;

    impl Judge for Explains {
        fn broken_answer(&self, index: usize, _: &Value, path: &[String]) -> Option<String> {
            (index == 2 && path == ["data", "0", "id"]).then(|| "required property 'id'".to_owned())
        }

        fn documented_redirect(&self, operation: &str, status: u16) -> bool {
            operation == "F" && status == 302
        }
    }

    #[test]
    fn a_documented_redirect_is_no_failure_and_another_is() {
        let output = [
            json!({"operation": "F", "round": 0, "outcome": "error_status", "status": 302, "detail": ""}),
            json!({"operation": "F", "round": 0, "outcome": "error_status", "status": 307, "detail": ""}),
            json!({"operation": "G", "round": 0, "outcome": "error_status", "status": 302, "detail": ""}),
        ]
        .map(|line| line.to_string())
        .join("\n");
        let tally = CallTally::read(&output, &Explains).unwrap();
        assert_eq!((tally.redirects.len(), tally.other_failures.len()), (1, 2));
        assert!(
            tally.summary("static").ends_with(", 2 other failures, 1 documented redirects"),
            "{}",
            tally.summary("static")
        );
    }

    #[test]
    fn calls_are_counted_by_outcome() {
        let output = [
            json!({"operation": "A", "round": 0, "outcome": "ok", "status": null, "detail": ""}),
            json!({"operation": "B", "round": 0, "outcome": "violation", "status": 422, "detail": "request.body must have required property 'x'"}),
            json!({"operation": "A", "round": 1, "outcome": "decode", "status": 200, "detail": "at `data[0].id`: invalid type", "path": "data[0].id"}),
            json!({"operation": "B", "round": 1, "outcome": "violation", "status": 422, "detail": "request.body must have required property 'x'"}),
            json!({"operation": "C", "round": 0, "outcome": "fixture", "status": null, "detail": "not a String"}),
            json!({"operation": "D", "round": 0, "outcome": "answered_with_violations", "status": 200, "detail": "[{\"location\":[\"response\",\"body\"]}]"}),
            json!({"operation": "D", "round": 1, "outcome": "violation", "status": 500, "detail": "[{\"location\":[\"response\",\"body\"]}]"}),
            json!({"operation": "E", "round": 0, "outcome": "answered_with_violations", "status": 200, "detail": "[{\"location\":[\"request\",\"query\",\"old\"],\"severity\":\"Warning\"}]"}),
            json!({"operation": "E", "round": 1, "outcome": "answered_with_violations", "status": 200, "detail": "[{\"location\":[\"request\",\"query\",\"old\"],\"severity\":\"Error\"}]"}),
        ]
        .map(|line| line.to_string())
        .join("\n");
        let tally = CallTally::read(&output, &NoJudge).unwrap();
        assert_eq!((tally.calls, tally.operations.len(), tally.ok), (9, 5, 3));
        assert_eq!((tally.violations.len(), tally.decode_failures.len(), tally.other_failures.len()), (3, 1, 2));
        assert_eq!((tally.broken_answers.len(), tally.warnings.len()), (1, 1));
        assert!(!tally.passed());
        let details = tally.details();
        assert!(details.contains("B (×2): HTTP 422: request.body must have required property 'x'"), "{details}");
        assert!(details.contains("C: request value: not a String"), "{details}");
        assert!(details.contains("D: Prism's answer breaks the document and was not decoded: HTTP 500: "), "{details}");
        assert_eq!(
            tally.summary("static"),
            "static: 9 calls of 5 operations, 3 ok (1 of the answers break the document), 3 violations, 1 decode failures, 2 other failures"
        );
        assert!(!CallTally::read("", &NoJudge).unwrap().passed(), "no call is no pass");
        // The same decode failure, where Prism says its answer breaks the
        // document at that place, is no failure of the client.
        let explained = CallTally::read(&output, &Explains).unwrap();
        assert_eq!((explained.decode_failures.len(), explained.refused_broken_answers.len()), (0, 1));
    }

    #[test]
    fn examples_are_checked_for_what_they_decode_into() {
        let example = |value: Value| Example {
            operation: "GetThing".to_owned(),
            status: "200".to_owned(),
            source: Source::Composed,
            pointer: "#/x".to_owned(),
            variant: None,
            value,
        };
        let examples = [example(json!({"a": 1})), example(json!({"a": 1, "b": 2})), example(json!({"a": "x"}))];
        let output = [
            json!({"index": 0, "outcome": "ok", "value": {"a": 1}}),
            json!({"index": 1, "outcome": "ok", "value": {"a": 1}}),
            json!({"index": 2, "outcome": "decode", "path": "a", "message": "invalid type: string"}),
        ]
        .map(|line| line.to_string())
        .join("\n");
        let tally = ExampleTally::read(&examples, &output).unwrap();
        assert_eq!((tally.decoded, tally.failures()), (1, 2));
        let details = tally.details();
        assert!(details.contains("GetThing: 200 #/x: decodes into something else: `.b` is lost"), "{details}");
        assert!(details.contains("GetThing: 200 #/x: does not decode at `a`: invalid type: string"), "{details}");
        assert!(ExampleTally::read(&examples, "").is_err(), "every example must be decoded");
    }
}
