//! What a fuzz run prints: one row per class (cases, generated, refused,
//! broken, compiled samples, time), then each broken case with where it is kept.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use super::case::{Class, FuzzOptions};
use super::run::Ending;
use super::run::Finished;
use super::samples::Compiled;

/// One class's numbers.
pub struct Row {
    pub class: Class,
    pub cases: usize,
    pub generated: usize,
    pub refused: usize,
    /// Refused without naming a place (a pointer or a line).
    pub unlocated: usize,
    pub broken: usize,
    /// Samples compiled, and chosen.
    pub compiled: (usize, usize),
    /// The samples: case number and kind, and whether each compiled.
    pub samples: Vec<(usize, String, bool)>,
    pub seconds: f64,
    /// The slowest case: its number and seconds.
    pub slowest: Option<(usize, f64)>,
    /// The most common reasons for refusals, with their counts.
    pub reasons: Vec<(String, usize)>,
}

pub struct Tally {
    pub rows: Vec<Row>,
    compile_seconds: f64,
}

impl Tally {
    pub fn new(classes: &[Class], finished: &[Finished], compiled: &Compiled) -> Tally {
        let rows = classes
            .iter()
            .map(|&class| {
                let cases: Vec<&Finished> = finished.iter().filter(|done| done.class == class).collect();
                let count = |test: fn(&Ending) -> bool| cases.iter().filter(|done| test(&done.ending)).count();
                let slowest =
                    cases.iter().max_by(|a, b| a.seconds.total_cmp(&b.seconds)).map(|done| (done.number, done.seconds));
                Row {
                    class,
                    cases: cases.len(),
                    generated: count(|ending| matches!(ending, Ending::Generated { .. })),
                    refused: count(|ending| matches!(ending, Ending::Refused { .. })),
                    unlocated: count(|ending| matches!(ending, Ending::Refused { located: false, .. })),
                    broken: count(|ending| matches!(ending, Ending::Broken { .. })),
                    compiled: compiled.of(class),
                    samples: compiled
                        .samples
                        .iter()
                        .filter(|sample| sample.class == class)
                        .map(|sample| (sample.number, sample.kind.clone(), sample.compiled))
                        .collect(),
                    seconds: cases.iter().map(|done| done.seconds).sum(),
                    slowest,
                    reasons: common_reasons(&cases),
                }
            })
            .collect();
        Tally { rows, compile_seconds: compiled.seconds }
    }

    pub fn broken(&self) -> usize {
        self.rows.iter().map(|row| row.broken).sum()
    }

    pub fn print(&self, out: &mut dyn Write, options: &FuzzOptions, seconds: f64) {
        let sum = |field: fn(&Row) -> usize| self.rows.iter().map(field).sum::<usize>();
        let _ = writeln!(
            out,
            "fuzz: {} cases (seed {}) in {seconds:.1} s: {} generated, {} refused with one error line \
             ({} of them without a location), {} broken; {} of {} samples compiled ({:.1} s)",
            sum(|row| row.cases),
            options.seed,
            sum(|row| row.generated),
            sum(|row| row.refused),
            sum(|row| row.unlocated),
            sum(|row| row.broken),
            sum(|row| row.compiled.0),
            sum(|row| row.compiled.1),
            self.compile_seconds,
        );
        let _ = writeln!(
            out,
            "{:<18} {:>6} {:>10} {:>8} {:>7} {:>9} {:>9}  slowest case",
            "class", "cases", "generated", "refused", "broken", "compiled", "time (s)"
        );
        for row in &self.rows {
            let slowest = row
                .slowest
                .map(|(number, seconds)| format!("{seconds:.2} s (#{number})"))
                .unwrap_or_else(|| "-".to_owned());
            let _ = writeln!(
                out,
                "{:<18} {:>6} {:>10} {:>8} {:>7} {:>9} {:>9.1}  {slowest}",
                row.class.name(),
                row.cases,
                row.generated,
                row.refused,
                row.broken,
                format!("{}/{}", row.compiled.0, row.compiled.1),
                row.seconds,
            );
        }
        // Which cases were compiled, so a run says what it proved.
        for row in self.rows.iter().filter(|row| !row.samples.is_empty()) {
            let samples: Vec<String> = row
                .samples
                .iter()
                .map(|(number, kind, compiled)| format!("#{number} {kind}{}", if *compiled { "" } else { " (FAILED)" }))
                .collect();
            let _ = writeln!(out, "  {} compiled: {}", row.class.name(), samples.join("; "));
        }
        // Why cases were refused: a class whose cases are all refused for one
        // dull reason tests nothing.
        for row in self.rows.iter().filter(|row| !row.reasons.is_empty()) {
            let reasons: Vec<String> = row.reasons.iter().map(|(reason, count)| format!("{count}× {reason}")).collect();
            let _ = writeln!(out, "  {} refused: {}", row.class.name(), reasons.join("; "));
        }
        let wanted = options.compile;
        let chosen = sum(|row| row.compiled.1);
        if chosen < wanted {
            let _ = writeln!(out, "fuzz: only {chosen} distinct outputs to compile (asked for {wanted})");
        }
    }
}

/// The three most common reasons `cases` were refused.
fn common_reasons(cases: &[&Finished]) -> Vec<(String, usize)> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for done in cases {
        if let Ending::Refused { reason, .. } = &done.ending {
            *counts.entry(reason).or_default() += 1;
        }
    }
    let mut common: Vec<(String, usize)> =
        counts.into_iter().map(|(reason, count)| (reason.to_owned(), count)).collect();
    common.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    common.truncate(3);
    common
}

/// Each broken case, one line, with where its spec and description are kept.
pub fn print_broken(finished: &[Finished], seed: u64, kept: &Path, err: &mut dyn Write) {
    for done in finished {
        if let Ending::Broken { why } = &done.ending {
            let _ = writeln!(
                err,
                "broken: {} #{} (seed {seed}; {}; kept as {}/{}.*): {why}",
                done.class.name(),
                done.number,
                done.kind,
                kept.display(),
                done.name()
            );
        }
    }
}
