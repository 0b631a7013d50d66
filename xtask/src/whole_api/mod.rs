//! The whole-API contract check's building blocks: the OpenAPI document read
//! as JSON ([`doc`]), and values synthesized from its schemas ([`synth`],
//! with [`pattern`] for the `pattern`s it must satisfy).

pub mod doc;
pub mod pattern;
pub mod synth;
