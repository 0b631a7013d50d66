//! One result line per row: `BENCH {json}` on stdout, the format
//! `cargo xtask bench` collects from every `*-bench` binary (its
//! `bench_report` reads it), and the statistics the lines carry.

use serde_json::{json, Value};

/// Median, min, max and count of a set of samples.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stats {
    pub median: f64,
    pub min: f64,
    pub max: f64,
    pub n: usize,
}

impl Stats {
    /// `None` for no samples. An even count takes the mean of the middle two.
    pub fn of(samples: &[f64]) -> Option<Stats> {
        let mut sorted = samples.to_vec();
        sorted.sort_by(f64::total_cmp);
        let n = sorted.len();
        let median = match n {
            0 => return None,
            n if n % 2 == 1 => sorted[n / 2],
            n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
        };
        Some(Stats { median, min: sorted[0], max: sorted[n - 1], n })
    }

    fn json(&self) -> Value {
        json!({"median": round(self.median), "min": round(self.min), "max": round(self.max), "n": self.n})
    }
}

/// Three decimals are more than any of these measurements can tell apart.
fn round(value: f64) -> f64 {
    (value * 1000.0).round() / 1000.0
}

/// One row of the table.
#[derive(Debug, Clone)]
pub struct Row {
    /// The binary's part of the table: `codegen`, `client`.
    pub section: &'static str,
    pub row: String,
    pub title: String,
    pub unit: &'static str,
    /// `None` only for a skipped row (its note says why).
    pub ours: Option<Stats>,
    pub theirs: Option<Stats>,
    /// The most `ours / theirs` may be, when the row has a target.
    pub target: Option<f64>,
    /// The most `ours` (its median) may be, in the row's unit, when the row
    /// has an absolute bound (e.g. under 1 s), with or without a peer.
    pub budget: Option<f64>,
    pub note: String,
    /// Why the target is missed and what would close it; printed only when it is.
    pub plan: &'static str,
}

impl Row {
    pub fn new(section: &'static str, row: &str, title: &str, unit: &'static str) -> Row {
        Row {
            section,
            row: row.to_owned(),
            title: title.to_owned(),
            unit,
            ours: None,
            theirs: None,
            target: None,
            budget: None,
            note: String::new(),
            plan: "",
        }
    }

    /// A row that could not be measured here, and why.
    pub fn skipped(section: &'static str, row: &str, title: &str, unit: &'static str, why: &str) -> Row {
        Row { note: format!("skipped: {why}"), ..Row::new(section, row, title, unit) }
    }

    pub fn ratio(&self) -> Option<f64> {
        match (self.ours, self.theirs) {
            (Some(ours), Some(theirs)) if theirs.median > 0.0 => Some(ours.median / theirs.median),
            _ => None,
        }
    }

    /// Whether the row is within its target and its budget, each where it
    /// has one; `None` when it has neither or was not measured.
    pub fn met(&self) -> Option<bool> {
        let within_target = match self.target {
            Some(target) => Some(self.ratio()? <= target),
            None => None,
        };
        let within_budget = match self.budget {
            Some(budget) => Some(self.ours?.median <= budget),
            None => None,
        };
        match (within_target, within_budget) {
            (None, None) => None,
            (target, budget) => Some(target.unwrap_or(true) && budget.unwrap_or(true)),
        }
    }

    pub fn line(&self) -> String {
        let value = json!({
            "section": self.section,
            "row": self.row,
            "title": self.title,
            "unit": self.unit,
            "ours": self.ours.map(|stats| stats.json()),
            "theirs": self.theirs.map(|stats| stats.json()),
            "ratio": self.ratio().map(round),
            "target": self.target,
            "budget": self.budget,
            "met": self.met(),
            "note": self.note,
            "plan": if self.met() == Some(false) { self.plan } else { "" },
        });
        format!("BENCH {value}")
    }

    /// Prints the line (and flushes, so a reader sees rows as they come).
    pub fn print(&self) {
        use std::io::Write;
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{}", self.line());
        let _ = out.flush();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_and_even_counts() {
        let odd = Stats::of(&[3.0, 1.0, 2.0]).unwrap();
        assert_eq!((odd.median, odd.min, odd.max, odd.n), (2.0, 1.0, 3.0, 3));
        let even = Stats::of(&[4.0, 1.0, 3.0, 2.0]).unwrap();
        assert_eq!(even.median, 2.5);
        assert!(Stats::of(&[]).is_none());
    }

    #[test]
    fn a_row_is_met_when_the_ratio_is_within_the_target() {
        let mut row = Row::new("codegen", "r", "R", "ms");
        row.ours = Stats::of(&[7.0]);
        row.theirs = Stats::of(&[10.0]);
        row.target = Some(0.7);
        assert_eq!(row.met(), Some(true));
        row.ours = Stats::of(&[7.1]);
        assert_eq!(row.met(), Some(false));
        row.target = None;
        assert_eq!(row.met(), None);
        let line = row.line();
        assert!(line.contains(r#""budget":null"#), "{line}");
        assert!(line.starts_with("BENCH {"), "{line}");
        let value: Value = serde_json::from_str(&line["BENCH ".len()..]).unwrap();
        assert_eq!(value["ratio"], json!(0.71));
        assert_eq!(value["met"], Value::Null);
    }

    #[test]
    fn a_budget_bounds_ours_alone_or_beside_a_target() {
        let mut row = Row::new("client", "r", "R", "ms");
        row.ours = Stats::of(&[900.0, 950.0, 1100.0]);
        row.budget = Some(1000.0);
        assert_eq!(row.met(), Some(true), "the median is within the budget, without a peer");
        row.ours = Stats::of(&[1001.0]);
        assert_eq!(row.met(), Some(false));
        row.theirs = Stats::of(&[2000.0]);
        row.target = Some(1.0);
        assert_eq!(row.met(), Some(false), "within the target, over the budget");
        row.budget = Some(1500.0);
        assert_eq!(row.met(), Some(true));
        let value: Value = serde_json::from_str(&row.line()["BENCH ".len()..]).unwrap();
        assert_eq!((value["budget"].as_f64(), value["met"].as_bool()), (Some(1500.0), Some(true)));
    }
}
