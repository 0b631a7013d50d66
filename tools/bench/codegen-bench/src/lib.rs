//! The codegen half of `cargo xtask bench`: ours (`xtask codegen`) beside
//! progenitor 0.15.1, whole process, in stages, in memory and when rebuilding.

pub mod measure;
pub mod peer;
pub mod rebuild;
pub mod scale;
pub mod stages;
pub mod subset;
pub mod users;
