//! Deep values in a request body, under every construct that can hold
//! free-form JSON: the `Document` of `fixtures/compile/composition.yaml`,
//! sent by the composition program (`composition::run_program`) from a Tokio
//! worker thread (2 MiB of stack, a debug build).
//!
//! A body whose JSON would nest deeper than 128 levels, typed levels (structs,
//! lists, maps) and free-form ones counted together, is refused with
//! `Error::InvalidArgument` before anything is sent; one at exactly 128 is
//! sent. A value 100,000 levels deep is refused the same way, and the call
//! drops what it refused without the recursion that would overflow the stack.

use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::composition::run_program;

/// The deepest body the client sends (`openapi_client_runtime::limits::NESTING`).
const LIMIT: usize = openapi_client_runtime::limits::NESTING;

/// `src/deep.rs` of the composition program: `run(client, [CONSTRUCT, LEVELS])`
/// builds a `Document` whose JSON nests exactly LEVELS deep through CONSTRUCT,
/// sends it from a task on a worker thread, and prints `sent`, or
/// ``refused `ARGUMENT`: REASON``.
pub const PROGRAM: &str = r#"
use composition::{
    Branch, BranchKind, Client, Document, DocumentForest, Error, Leaf, LeafKind, Node, Owner, Profile, Setting, Tree,
};
use serde_json::{Map, Value};

pub async fn run(client: &Client, arguments: &[String]) {
    let [construct, levels] = arguments else { panic!("usage: composition-program CONSTRUCT LEVELS") };
    let levels: usize = levels.parse().expect("LEVELS is a number");
    let call = client.composition().replace_document().construct(construct.as_str()).body(document(construct, levels));
    // On a worker thread, whose stack is 2 MiB: the call owns the body, and
    // drops it there.
    let outcome = tokio::spawn(async move { call.send().await }).await.expect("the call's task ends");
    match outcome {
        Ok(()) => println!("sent"),
        Err(Error::InvalidArgument { argument, reason, .. }) => println!("refused `{argument}`: {reason}"),
        Err(other) => println!("failed: {other}"),
    }
}

/// A `Document` whose JSON nests `levels` deep through `construct`: the
/// typed levels above the free-form value (the document, structs, lists,
/// maps; a union adds none) are subtracted from its depth.
fn document(construct: &str, levels: usize) -> Document {
    let leaf = |metadata: Map<String, Value>| Tree::from(Leaf::new(LeafKind::Leaf, "leaf").metadata(metadata));
    let branch = |left: Tree| Branch::new(BranchKind::Branch, Box::new(left));
    match construct {
        // Document, then a union's free-form member.
        "setting" => Document::new().setting(Setting::Map(object(levels - 1))),
        // Document, then a tagged union's catch-all.
        "catch-all" => Document::new().tree(Tree::Unknown(object(levels - 1))),
        // Document, Branch, Leaf, then its metadata.
        "branch" => Document::new().tree(branch(leaf(object(levels - 3))).into()),
        // Document, the map, Branch, Leaf, then its metadata.
        "forest" => {
            let mut forest = DocumentForest::new();
            forest.insert("oak".to_owned(), branch(leaf(object(levels - 4))).into());
            Document::new().forest(forest)
        }
        // Document, the list, then an item.
        "notes" => Document::new().notes(vec![Value::Object(object(levels - 2))]),
        // Document, Branch, its list of children, Leaf, then its metadata.
        "children" => {
            let tree = branch(leaf(Map::new())).children(vec![leaf(object(levels - 4))]);
            Document::new().tree(tree.into())
        }
        // Document, Owner, Profile, then its extra.
        "owner" => Document::new().owner(Owner::new("ada").profile(Profile::new().extra(object(levels - 3)))),
        // Document, 64 nodes, then the last one's metadata.
        "chain" => Document::new().chain(chain(64, Some(object(levels - 65)))),
        // Document, then nodes only.
        "chain-typed" => Document::new().chain(chain(levels - 1, None)),
        other => panic!("no construct {other}"),
    }
}

/// A free-form object `levels` deep (`{"a": {"a": … {}}}`), built without
/// recursion.
fn object(levels: usize) -> Map<String, Value> {
    let mut object = Map::new();
    for _ in 1..levels {
        let mut outer = Map::new();
        outer.insert("a".to_owned(), Value::Object(object));
        object = outer;
    }
    object
}

/// `nodes` nodes linked through `next`, the last holding `metadata`.
fn chain(nodes: usize, metadata: Option<Map<String, Value>>) -> Node {
    let mut node = Node::new();
    node.metadata = metadata;
    for _ in 1..nodes {
        node = Node::new().next(node);
    }
    node
}
"#;

/// What the program printed for `construct` at `levels`, and the bodies the
/// server received.
async fn send(construct: &str, levels: usize) -> (String, Vec<Vec<u8>>) {
    let server = MockServer::start().await;
    Mock::given(method("PUT")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    let (arguments, base_url) = ([construct.to_owned(), levels.to_string()], server.uri());
    let run = tokio::task::spawn_blocking(move || {
        let arguments: Vec<&str> = arguments.iter().map(String::as_str).collect();
        run_program(&arguments, &base_url)
    })
    .await
    .expect("the program ran");
    let stdout = String::from_utf8_lossy(&run.stdout).trim().to_owned();
    // An abort (a stack overflow) ends the program with a signal, not exit 0.
    assert!(
        run.status.success(),
        "{construct} at {levels} levels: {:?}\n{stdout}\n{}",
        run.status,
        String::from_utf8_lossy(&run.stderr)
    );
    let requests = server.received_requests().await.expect("recorded");
    for request in &requests {
        assert_eq!(request.url.path(), format!("/documents/{construct}"));
    }
    (stdout, requests.into_iter().map(|request| request.body).collect())
}

/// How deeply a JSON text nests, counted without parsing it (serde_json would
/// refuse to read as deep as the limit allows to send).
fn nesting(json: &[u8]) -> usize {
    let (mut depth, mut deepest, mut in_string, mut escaped) = (0usize, 0, false, false);
    for &byte in json {
        match (in_string, byte) {
            (true, _) if escaped => escaped = false,
            (true, b'\\') => escaped = true,
            (true, b'"') | (false, b'"') => in_string = !in_string,
            (false, b'{' | b'[') => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            (false, b'}' | b']') => depth -= 1,
            _ => {}
        }
    }
    deepest
}

/// `construct` at exactly the limit is sent as it is; one level more, or 200
/// levels, is refused (naming `argument`) and nothing reaches the server.
async fn refused_past_the_limit(construct: &str, argument: &str) {
    let refusal = format!("refused `{argument}`: nests deeper than {LIMIT} levels");
    for levels in [LIMIT + 1, 200] {
        let (printed, bodies) = send(construct, levels).await;
        assert_eq!(printed, refusal, "{construct} at {levels} levels");
        assert!(bodies.is_empty(), "{construct} at {levels} levels reached the server");
    }
    let (printed, bodies) = send(construct, LIMIT).await;
    assert_eq!(printed, "sent", "{construct} at {LIMIT} levels");
    assert_eq!(bodies.len(), 1, "{construct}: one request");
    assert_eq!(nesting(&bodies[0]), LIMIT, "{construct}: the body as sent nests exactly to the limit");
}

#[tokio::test(flavor = "multi_thread")]
async fn free_form_values_under_union_members_are_checked() {
    // An untagged union's free-form member, a tagged union's catch-all, and a
    // member reached through a recursive union (`Branch` holds `Tree`).
    refused_past_the_limit("setting", "setting").await;
    refused_past_the_limit("catch-all", "tree").await;
    refused_past_the_limit("branch", "metadata").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn free_form_values_under_a_map_of_unions_are_checked() {
    refused_past_the_limit("forest", "metadata").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn free_form_values_in_lists_are_checked() {
    // A list of free-form values, and one of unions.
    refused_past_the_limit("notes", "notes").await;
    refused_past_the_limit("children", "metadata").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn free_form_values_in_nested_structs_count_the_levels_above_them() {
    refused_past_the_limit("owner", "extra").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_recursive_struct_is_checked_at_every_level() {
    // Free-form JSON under the 64th node, and a chain of nodes alone.
    refused_past_the_limit("chain", "metadata").await;
    refused_past_the_limit("chain-typed", "next").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn values_100_000_levels_deep_are_refused_and_dropped_on_a_worker_without_aborting() {
    let constructs = [
        ("setting", "setting"),
        ("catch-all", "tree"),
        ("branch", "metadata"),
        ("forest", "metadata"),
        ("notes", "notes"),
        ("children", "metadata"),
        ("owner", "extra"),
        ("chain", "metadata"),
    ];
    for (construct, argument) in constructs {
        let (printed, bodies) = send(construct, 100_000).await;
        assert_eq!(printed, format!("refused `{argument}`: nests deeper than {LIMIT} levels"), "{construct}");
        assert!(bodies.is_empty(), "{construct} reached the server");
    }
}
