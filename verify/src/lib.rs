//! The project's verification machinery, run by `cargo xtask …` (the thin
//! command line in `xtask/`) and used by the `tests` package:
//!
//! - [`contract`], [`prism`], [`whole_api`]: the generated client against Prism,
//!   a mock server of the spec (`cargo xtask contract [--whole-api]`);
//! - [`fuzz`]: hostile variants of the spec through codegen (`cargo xtask fuzz`);
//! - [`compile`], [`krate`]: generated code built as scratch crates, and the
//!   options and cargo metadata of the crates codegen writes;
//! - [`generated`]: whether the generated crate matches the spec;
//! - [`race`], [`msrv`], [`package`], [`apis`], [`bench`](mod@bench), [`bench_report`]:
//!   the other checks of `cargo xtask`.
//!
//! The values built from and checked against the spec's schemas are in the
//! `schema-values` crate.

pub mod apis;
pub mod bench;
pub mod bench_report;
pub mod compile;
pub mod contract;
pub mod fuzz;
pub mod generated;
pub mod krate;
pub mod msrv;
pub mod options;
pub mod package;
pub mod paths;
pub mod prism;
pub mod race;
pub mod whole_api;

/// Exit status for a failed check or a bad spec.
pub const FAILURE: u8 = 1;
