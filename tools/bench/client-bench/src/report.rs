//! Summaries of samples and the `BENCH {json}` lines `cargo xtask bench` reads.

use serde::Serialize;
use serde_json::{json, Value};

/// Median, min and max of `n` samples.
#[derive(Debug, Clone, Copy)]
pub struct Summary {
    pub median: f64,
    pub min: f64,
    pub max: f64,
    pub n: usize,
}

impl Summary {
    pub fn of(samples: &[f64]) -> Summary {
        assert!(!samples.is_empty(), "a summary of no samples");
        let mut sorted = samples.to_vec();
        sorted.sort_by(f64::total_cmp);
        let n = sorted.len();
        let median = if n % 2 == 1 { sorted[n / 2] } else { (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0 };
        Summary { median, min: sorted[0], max: sorted[n - 1], n }
    }

    fn json(&self) -> Value {
        json!({ "median": round(self.median), "min": round(self.min), "max": round(self.max), "n": self.n })
    }
}

/// Three decimals are more than any of these measurements resolves.
fn round(value: f64) -> f64 {
    (value * 1000.0).round() / 1000.0
}

/// One row of the table.
pub struct Row<'a> {
    pub row: &'a str,
    pub title: &'a str,
    pub unit: &'a str,
    pub ours: Summary,
    pub theirs: Option<Summary>,
    /// The largest acceptable ours/theirs ratio, if the row has a target.
    pub target: Option<f64>,
    pub note: String,
}

impl Row<'_> {
    /// Prints the row as one `BENCH {json}` line on stdout.
    pub fn print(&self) {
        let ratio = self.theirs.filter(|theirs| theirs.median > 0.0).map(|theirs| self.ours.median / theirs.median);
        let met = match (ratio, self.target) {
            (Some(ratio), Some(target)) => Some(ratio <= target),
            _ => None,
        };
        let line = Line {
            section: "client",
            row: self.row,
            title: self.title,
            unit: self.unit,
            ours: Some(self.ours.json()),
            theirs: self.theirs.map(|theirs| theirs.json()),
            ratio: ratio.map(|ratio| (ratio * 10_000.0).round() / 10_000.0),
            target: self.target,
            met,
            note: &self.note,
        };
        let line = serde_json::to_string(&line).expect("a row serialises");
        println!("BENCH {line}");
    }
}

/// A `BENCH` line's fields, in the order the harness documents (a struct, not
/// a `json!` map, whose keys would come out sorted).
#[derive(Serialize)]
pub struct Line<'a> {
    pub section: &'a str,
    pub row: &'a str,
    pub title: &'a str,
    pub unit: &'a str,
    pub ours: Option<Value>,
    pub theirs: Option<Value>,
    pub ratio: Option<f64>,
    pub target: Option<f64>,
    pub met: Option<bool>,
    pub note: &'a str,
}
