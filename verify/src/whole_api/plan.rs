//! Which client crate(s) the check builds from the document.
//!
//! The whole-API crate (`Selection { tag: None, .. }`) when the generator takes
//! the whole document. Until it does, one crate of every operation that
//! generates on its own (each is lowered alone, which takes milliseconds once
//! the document is read): more of the API than whole tags, since a tag with
//! one unsupported schema would leave out all its operations. The operations
//! that do not generate are listed with the generator's error, and the tags
//! they leave incomplete. Should those operations not generate together (a
//! name collision only the union has), one crate per tag that generates.

use std::path::Path;

use codegen::ir::Api;
use codegen::select::Selection;

use crate::compile::GeneratedCrate;

/// The package name of the crate the check builds (or the prefix of the
/// per-tag ones).
pub const CRATE: &str = "clerk-bapi";

pub struct Planned {
    pub krate: GeneratedCrate,
    pub api: Api,
}

/// An operation the generator refuses today, and why.
#[derive(Debug, Clone)]
pub struct Blocked {
    pub operation_id: String,
    pub tags: Vec<String>,
    pub reason: String,
}

pub enum Shape {
    /// `--all-tags`: every operation of the document.
    WholeApi,
    /// Every operation that generates, in one crate.
    Generable,
    /// One crate per tag that generates (the union of the operations does not).
    PerTag { union_error: String },
    /// `--github --sample N --seed S`: N operations drawn with seed S from the
    /// `generable` ones, in one crate (see `github`).
    Sample { seed: u64, generable: usize },
}

pub struct Plan {
    pub shape: Shape,
    pub crates: Vec<Planned>,
    pub blocked: Vec<Blocked>,
    /// Every tag with its operation count and how many of those generate.
    pub tags: Vec<(String, usize, usize)>,
    /// The document's operations with an operationId.
    pub total: usize,
    /// Why the whole document does not generate (`None` when it does).
    pub whole_api_error: Option<String>,
}

pub fn plan(spec: &Path) -> Result<Plan, String> {
    let everything = Selection { tag: None, operation_ids: Vec::new() };
    let whole_api_error = match generate(spec, CRATE, everything.clone()) {
        Ok(planned) => {
            let total = planned.api.operations().count();
            let tags = Vec::new();
            return Ok(Plan {
                shape: Shape::WholeApi,
                crates: vec![planned],
                blocked: Vec::new(),
                tags,
                total,
                whole_api_error: None,
            });
        }
        Err(error) => error,
    };

    let document = codegen::load::read_document(spec).map_err(|error| {
        format!("the document does not generate as a whole ({whole_api_error}) and cannot be read operation by operation: {error}")
    })?;
    let all = codegen::select::all_operations(&document).map_err(|error| error.to_string())?;
    let mut generable: Vec<String> = Vec::new();
    let mut blocked = Vec::new();
    let mut tags: Vec<(String, usize, usize)> = Vec::new();
    for operation in &all {
        let id = operation.operation_id.to_owned();
        let alone = Selection { tag: None, operation_ids: vec![id.clone()] };
        let outcome = codegen::generate_from(&document, &options("probe", alone)).map(drop);
        for tag in &operation.operation.tags {
            match tags.iter_mut().find(|(name, _, _)| name == tag) {
                Some(entry) => {
                    entry.1 += 1;
                    entry.2 += usize::from(outcome.is_ok());
                }
                None => tags.push((tag.clone(), 1, usize::from(outcome.is_ok()))),
            }
        }
        match outcome {
            Ok(()) => generable.push(id),
            Err(error) => blocked.push(Blocked {
                operation_id: id,
                tags: operation.operation.tags.clone(),
                reason: error.to_string(),
            }),
        }
    }
    let total = all.len();

    let generate_from = |name: &str, selection: Selection| -> Result<Planned, String> {
        let generated =
            codegen::generate_from(&document, &options(name, selection)).map_err(|error| error.to_string())?;
        Ok(Planned { krate: GeneratedCrate { name: name.to_owned(), files: generated.files }, api: generated.api })
    };
    let union = Selection { tag: None, operation_ids: generable };
    match generate_from(CRATE, union) {
        Ok(planned) => Ok(Plan {
            shape: Shape::Generable,
            crates: vec![planned],
            blocked,
            tags,
            total,
            whole_api_error: Some(whole_api_error),
        }),
        Err(union_error) => {
            let mut crates = Vec::new();
            for (tag, count, generated) in &tags {
                if count != generated {
                    continue;
                }
                let selection = Selection { tag: Some(tag.clone()), operation_ids: Vec::new() };
                let name = format!("{CRATE}-{}", crate::krate::tag_suffix(tag));
                // A tag whose operations generate one by one but not together
                // is reported with the others that do not.
                match generate_from(&name, selection) {
                    Ok(planned) => crates.push(planned),
                    Err(error) => blocked.push(Blocked {
                        operation_id: format!("(tag {tag})"),
                        tags: vec![tag.clone()],
                        reason: error,
                    }),
                }
            }
            Ok(Plan {
                shape: Shape::PerTag { union_error },
                crates,
                blocked,
                tags,
                total,
                whole_api_error: Some(whole_api_error),
            })
        }
    }
}

pub(super) fn options(name: &str, selection: Selection) -> codegen::Options {
    let mut options = codegen::Options::new(selection);
    options.krate = crate::krate::scratch_info(name);
    options
}

fn generate(spec: &Path, name: &str, selection: Selection) -> Result<Planned, String> {
    let generated = codegen::generate(spec, &options(name, selection)).map_err(|error| error.to_string())?;
    Ok(Planned { krate: GeneratedCrate { name: name.to_owned(), files: generated.files }, api: generated.api })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Three operations: `GetA` (tag A), `GetB` (tag B, reached as
    /// `things().{b_method}()`, which `GetA` also is when it is `get`), and
    /// `GetC` (tags C and A), which does not generate (the client sends no
    /// cookies, so a cookie parameter is refused).
    fn spec(b_method: &str) -> String {
        format!(
            "\
openapi: 3.0.3
info: {{title: t, version: '1'}}
paths:
  /a:
    get:
      operationId: GetA
      tags: [A]
      x-speakeasy-group: things
      x-speakeasy-name-override: get
      responses: {{'204': {{description: ok}}}}
  /b:
    get:
      operationId: GetB
      tags: [B]
      x-speakeasy-group: things
      x-speakeasy-name-override: {b_method}
      responses: {{'204': {{description: ok}}}}
  /c:
    get:
      operationId: GetC
      tags: [C, A]
      parameters:
        - {{name: session, in: cookie, schema: {{type: string}}}}
      responses: {{'204': {{description: ok}}}}
"
        )
    }

    fn plan_of(name: &str, text: &str) -> Plan {
        let dir = std::env::temp_dir().join(format!("xtask-plan-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let spec = dir.join("spec.yaml");
        std::fs::write(&spec, text).unwrap();
        let plan = plan(&spec);
        let _ = std::fs::remove_dir_all(&dir);
        plan.unwrap_or_else(|error| panic!("{error}"))
    }

    fn crates(plan: &Plan) -> Vec<(&str, Vec<&str>)> {
        plan.crates
            .iter()
            .map(|planned| {
                let operations = planned.api.operations().map(|operation| operation.operation_id.as_str()).collect();
                (planned.krate.name.as_str(), operations)
            })
            .collect()
    }

    #[test]
    fn a_document_that_generates_whole_is_one_crate() {
        let plan = plan(&crate::paths::default_spec()).unwrap_or_else(|error| panic!("{error}"));
        assert!(matches!(plan.shape, Shape::WholeApi));
        assert_eq!((plan.crates.len(), plan.total, plan.blocked.len()), (1, 7, 0));
    }

    #[test]
    fn otherwise_every_operation_that_generates_is_one_crate() {
        let plan = plan_of("generable", &spec("get_b"));
        assert!(matches!(plan.shape, Shape::Generable));
        assert_eq!(crates(&plan), [("clerk-bapi", vec!["GetA", "GetB"])]);
        let blocked: Vec<&str> = plan.blocked.iter().map(|blocked| blocked.operation_id.as_str()).collect();
        assert_eq!(blocked, ["GetC"]);
        assert!(plan.blocked[0].reason.contains("cookie parameters are not supported"), "{}", plan.blocked[0].reason);
        assert_eq!(plan.tags, [("A".to_owned(), 2, 1), ("B".to_owned(), 1, 1), ("C".to_owned(), 1, 0)]);
        assert!(plan.whole_api_error.is_some());
    }

    #[test]
    fn and_when_those_collide_one_crate_per_tag_that_generates() {
        let plan = plan_of("per-tag", &spec("get"));
        let Shape::PerTag { union_error } = &plan.shape else { panic!("not per tag") };
        assert!(union_error.contains("both become `get`"), "{union_error}");
        // Tag A is incomplete (GetC), so only B has a crate.
        assert_eq!(crates(&plan), [("clerk-bapi-b", vec!["GetB"])]);
        assert_eq!(plan.total, 3);
    }

    #[test]
    fn tags_become_crate_names() {
        use crate::krate::tag_suffix;
        assert_eq!(tag_suffix("Allow-list / Block-list"), "allow-list-block-list");
        assert_eq!(tag_suffix("Email & SMS Templates"), "email-sms-templates");
        assert_eq!(tag_suffix("M2M Tokens"), "m2m-tokens");
    }
}
