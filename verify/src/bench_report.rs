//! The pure half of `cargo xtask bench`: reading the `BENCH {json}` lines the
//! `*-bench` binaries print, and rendering them as a table and as
//! `BENCHMARKS.md`.

use std::fmt::Write as _;

use serde_json::Value;

/// The prefix of a result line.
pub const PREFIX: &str = "BENCH ";

/// Median, min, max and count of one side of a row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stats {
    pub median: f64,
    pub min: f64,
    pub max: f64,
    pub n: u64,
}

impl Stats {
    fn from_json(value: &Value) -> Result<Option<Stats>, String> {
        if value.is_null() {
            return Ok(None);
        }
        let number = |key: &str| value.get(key).and_then(Value::as_f64).ok_or_else(|| format!("`{key}` missing"));
        let n = value.get("n").and_then(Value::as_u64).ok_or("`n` missing")?;
        Ok(Some(Stats { median: number("median")?, min: number("min")?, max: number("max")?, n }))
    }
}

/// One row, as a bench binary printed it.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub section: String,
    pub row: String,
    pub title: String,
    pub unit: String,
    /// `None` for a row that was skipped (its note says why).
    pub ours: Option<Stats>,
    pub theirs: Option<Stats>,
    pub ratio: Option<f64>,
    pub target: Option<f64>,
    /// The most ours' median may be, in the row's unit (an absolute bound).
    pub budget: Option<f64>,
    pub met: Option<bool>,
    pub note: String,
    /// For a missed target: why, and what would close it (empty otherwise).
    pub plan: String,
}

/// What a row came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Met,
    Missed,
    /// Measured, with nothing to compare against.
    NoTarget,
    Skipped,
}

impl Verdict {
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Met => "met",
            Verdict::Missed => "MISSED",
            Verdict::NoTarget => "-",
            Verdict::Skipped => "skipped",
        }
    }
}

impl Row {
    pub fn verdict(&self) -> Verdict {
        match (self.ours, self.met) {
            (None, _) => Verdict::Skipped,
            (_, Some(true)) => Verdict::Met,
            (_, Some(false)) => Verdict::Missed,
            (_, None) => Verdict::NoTarget,
        }
    }
}

/// A line of a bench binary's output: `Some` if it is a result line (parsed,
/// or why not), `None` for anything else (progress, to pass through).
pub fn parse_line(line: &str) -> Option<Result<Row, String>> {
    let json = line.strip_prefix(PREFIX)?;
    Some(parse_json(json).map_err(|error| format!("bad result line `{line}`: {error}")))
}

fn parse_json(json: &str) -> Result<Row, String> {
    let value: Value = serde_json::from_str(json).map_err(|error| error.to_string())?;
    let text = |key: &str| value.get(key).and_then(Value::as_str).map(str::to_owned).ok_or(format!("`{key}` missing"));
    let stats = |key: &str| Stats::from_json(value.get(key).unwrap_or(&Value::Null)).map_err(|e| format!("{key}: {e}"));
    Ok(Row {
        section: text("section")?,
        row: text("row")?,
        title: text("title")?,
        unit: text("unit")?,
        ours: stats("ours")?,
        theirs: stats("theirs")?,
        ratio: value.get("ratio").and_then(Value::as_f64),
        target: value.get("target").and_then(Value::as_f64),
        budget: value.get("budget").and_then(Value::as_f64),
        met: value.get("met").and_then(Value::as_bool),
        note: value.get("note").and_then(Value::as_str).unwrap_or_default().to_owned(),
        plan: value.get("plan").and_then(Value::as_str).unwrap_or_default().to_owned(),
    })
}

/// `12.3 (11.0–14.2)`, or `-` for a side that is not there.
pub fn stats_text(stats: Option<Stats>) -> String {
    match stats {
        Some(stats) => format!("{} ({}–{})", number(stats.median), number(stats.min), number(stats.max)),
        None => "-".to_owned(),
    }
}

/// Three significant digits or so: enough for medians of noisy runs.
fn number(value: f64) -> String {
    let magnitude = value.abs();
    if magnitude >= 100.0 || value == value.trunc() {
        format!("{value:.0}")
    } else if magnitude >= 10.0 {
        format!("{value:.1}")
    } else {
        format!("{value:.2}")
    }
}

fn optional(value: Option<f64>, format: impl Fn(f64) -> String) -> String {
    value.map_or_else(|| "-".to_owned(), format)
}

/// What a row must stay within: `≤ 0.7` (a ratio), `≤ 1000 ms` (a budget for
/// ours alone), both, or `-`.
fn bounds(row: &Row) -> String {
    let target = row.target.map(|target| format!("≤ {target}"));
    let budget = row.budget.map(|budget| format!("≤ {} {}", number(budget), row.unit));
    match (target, budget) {
        (Some(target), Some(budget)) => format!("{target}, {budget}"),
        (Some(bound), None) | (None, Some(bound)) => bound,
        (None, None) => "-".to_owned(),
    }
}

/// The rows grouped by section, sections in the order they first appear.
pub fn sections(rows: &[Row]) -> Vec<(&str, Vec<&Row>)> {
    let mut sections: Vec<(&str, Vec<&Row>)> = Vec::new();
    for row in rows {
        match sections.iter_mut().find(|(name, _)| *name == row.section) {
            Some((_, members)) => members.push(row),
            None => sections.push((&row.section, vec![row])),
        }
    }
    sections
}

/// The plain-text table printed at the end of a run.
pub fn table(rows: &[Row]) -> String {
    let mut out = String::new();
    for (section, members) in sections(rows) {
        let _ = writeln!(out, "[{section}]");
        let width = members.iter().map(|row| row.row.len()).max().unwrap_or(0);
        for row in members {
            let _ = writeln!(
                out,
                "  {:width$}  {:>24} vs {:>24} {:<12} ratio {:>5} within {:>6}  {}",
                row.row,
                stats_text(row.ours),
                stats_text(row.theirs),
                row.unit,
                optional(row.ratio, |ratio| format!("{ratio:.2}")),
                bounds(row),
                row.verdict().label(),
            );
        }
    }
    out
}

/// The machine a run was made on, for the top of `BENCHMARKS.md`.
#[derive(Debug, Clone, Default)]
pub struct Machine {
    pub cores: String,
    pub cpu: String,
    pub memory: String,
    pub rustc: String,
    pub date: String,
    pub commit: String,
}

/// `BENCHMARKS.md`: the machine, the method, every row by section, and the
/// notes of the rows that missed their target or were skipped.
pub fn markdown(machine: &Machine, method: &str, rows: &[Row]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Benchmarks\n");
    let _ = writeln!(
        out,
        "Written by `cargo xtask bench` (do not edit by hand; run it again). Ratios are ours / theirs: \
         below 1 ours is faster or smaller. A row *meets* its target when the ratio of the medians is at \
         most the target; a row with a budget (`≤ 1000 ms`) meets it when ours' median is within it.\n"
    );
    let _ = writeln!(out, "## Machine\n");
    for (what, value) in [
        ("cores (nproc)", &machine.cores),
        ("CPU", &machine.cpu),
        ("memory", &machine.memory),
        ("rustc", &machine.rustc),
        ("date", &machine.date),
        ("commit", &machine.commit),
    ] {
        let _ = writeln!(out, "- {what}: {value}");
    }
    let _ = writeln!(out, "\n## Method\n\n{}\n", method.trim());
    let (met, missed) = (count(rows, Verdict::Met), count(rows, Verdict::Missed));
    let _ = writeln!(out, "## Results\n\n{met} rows met their target, {missed} missed.\n");
    for (section, members) in sections(rows) {
        let _ = writeln!(out, "### {section}\n");
        let _ = writeln!(
            out,
            "| row | unit | ours: median (min–max) | theirs: median (min–max) | n | ratio | target | result |"
        );
        let _ = writeln!(out, "| --- | --- | --- | --- | --- | --- | --- | --- |");
        for row in &members {
            let n = match (row.ours, row.theirs) {
                (Some(ours), Some(theirs)) if ours.n != theirs.n => format!("{} / {}", ours.n, theirs.n),
                (Some(ours), _) => ours.n.to_string(),
                (None, _) => "-".to_owned(),
            };
            let _ = writeln!(
                out,
                "| {} (`{}`) | {} | {} | {} | {} | {} | {} | {} |",
                row.title.replace('|', "/"),
                row.row,
                row.unit,
                stats_text(row.ours),
                stats_text(row.theirs),
                n,
                optional(row.ratio, |ratio| format!("{ratio:.2}")),
                bounds(row),
                match row.verdict() {
                    Verdict::Missed => "**missed**",
                    verdict => verdict.label(),
                }
            );
        }
        let noted: Vec<&&Row> = members.iter().filter(|row| !row.note.is_empty()).collect();
        if !noted.is_empty() {
            let _ = writeln!(out, "\nWhat was measured:\n");
            for row in noted {
                let mark = match row.verdict() {
                    Verdict::Missed => " (missed)",
                    Verdict::Skipped => " (skipped)",
                    _ => "",
                };
                let _ = writeln!(out, "- `{}`{mark}: {}", row.row, row.note.replace('\n', " "));
            }
        }
        let _ = writeln!(out);
    }
    let missed: Vec<&Row> = rows.iter().filter(|row| row.verdict() == Verdict::Missed).collect();
    if !missed.is_empty() {
        let _ = writeln!(out, "## Missed targets: why, and what would close them\n");
        for row in missed {
            let ratio = optional(row.ratio, |ratio| format!("{ratio:.2}"));
            let median = stats_text(row.ours);
            let plan = if row.plan.is_empty() { "(the bench gave no reason)" } else { row.plan.as_str() };
            let _ = writeln!(
                out,
                "- `{}` (ratio {ratio}, ours {median}, against {}): {}",
                row.row,
                bounds(row),
                plan.replace('\n', " ")
            );
        }
        let _ = writeln!(out);
    }
    out
}

fn count(rows: &[Row], verdict: Verdict) -> usize {
    rows.iter().filter(|row| row.verdict() == verdict).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    const LINE: &str = r#"BENCH {"section":"codegen","row":"whole-slice","title":"slice","unit":"ms","ours":{"median":9.0,"min":8.5,"max":12.5,"n":15},"theirs":{"median":12.0,"min":11.0,"max":13.0,"n":15},"ratio":0.75,"target":0.7,"met":false,"note":"load 2 ms","plan":"format less"}"#;

    #[test]
    fn a_result_line_parses_and_anything_else_passes_through() {
        let row = parse_line(LINE).unwrap().unwrap();
        assert_eq!(row.row, "whole-slice");
        assert_eq!(row.ours, Some(Stats { median: 9.0, min: 8.5, max: 12.5, n: 15 }));
        assert_eq!((row.ratio, row.target, row.met), (Some(0.75), Some(0.7), Some(false)));
        assert_eq!(row.verdict(), Verdict::Missed);
        assert!(parse_line("codegen-bench: building").is_none());
        assert!(parse_line("BENCH {not json").unwrap().is_err());
        assert!(parse_line(r#"BENCH {"section":"codegen"}"#).unwrap().is_err());
    }

    #[test]
    fn skipped_and_untargeted_rows() {
        let skipped = r#"BENCH {"section":"codegen","row":"r","title":"t","unit":"ms","ours":null,"theirs":null,"ratio":null,"target":0.5,"met":null,"note":"skipped: no ../shared"}"#;
        assert_eq!(parse_line(skipped).unwrap().unwrap().verdict(), Verdict::Skipped);
        let alone = r#"BENCH {"section":"codegen","row":"r","title":"t","unit":"ms","ours":{"median":1,"min":1,"max":1,"n":1},"theirs":null,"ratio":null,"target":null,"met":null,"note":""}"#;
        assert_eq!(parse_line(alone).unwrap().unwrap().verdict(), Verdict::NoTarget);
    }

    #[test]
    fn a_budget_is_shown_beside_or_instead_of_a_target() {
        let line = r#"BENCH {"section":"client","row":"form","title":"form","unit":"ms","ours":{"median":1200,"min":1100,"max":1300,"n":5},"theirs":{"median":600,"min":590,"max":610,"n":5},"ratio":2.0,"target":null,"budget":1000.0,"met":false,"note":"","plan":"flatter"}"#;
        let row = parse_line(line).unwrap().unwrap();
        assert_eq!((row.budget, row.verdict()), (Some(1000.0), Verdict::Missed));
        let text = markdown(&Machine::default(), "runs", std::slice::from_ref(&row));
        assert!(text.contains("| 2.00 | ≤ 1000 ms | **missed** |"), "{text}");
        assert!(text.contains("- `form` (ratio 2.00, ours 1200 (1100–1300), against ≤ 1000 ms): flatter"), "{text}");
        let both = Row { target: Some(2.5), ..row };
        assert_eq!(bounds(&both), "≤ 2.5, ≤ 1000 ms");
        assert!(table(&[both]).contains("within ≤ 2.5, ≤ 1000 ms"));
    }

    #[test]
    fn markdown_shows_missed_rows_with_their_note() {
        let mut met = parse_line(LINE).unwrap().unwrap();
        met.row = "other".to_owned();
        met.met = Some(true);
        met.note = String::new();
        let rows = vec![parse_line(LINE).unwrap().unwrap(), met];
        let text = markdown(&Machine::default(), "paired runs", &rows);
        assert!(
            text.contains(
                "| slice (`whole-slice`) | ms | 9 (8.50–12.5) | 12 (11–13) | 15 | 0.75 | ≤ 0.7 | **missed** |"
            ),
            "{text}"
        );
        assert!(text.contains("| met |"), "{text}");
        assert!(text.contains("- `whole-slice` (missed): load 2 ms"), "{text}");
        assert!(text.contains("1 rows met their target, 1 missed."), "{text}");
        assert!(table(&rows).contains("MISSED"));
        // Only the missed row's plan is listed, under its ratio and target.
        assert!(
            text.contains("- `whole-slice` (ratio 0.75, ours 9 (8.50–12.5), against ≤ 0.7): format less"),
            "{text}"
        );
        assert!(!text.contains("- `other` ("), "{text}");
    }
}
