//! The types schema composition makes, on the wire: the crate generated from
//! `fixtures/compile/composition.yaml` is built with cargo, with a program of
//! its own that calls every operation against a local server and prints what
//! it decoded. The test checks those lines and the bodies the server received.
//! The program is built once for this test and those of `deep_values`, which
//! run it with arguments.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use verify::compile::{build, target_dir, Build, GeneratedCrate};

/// The program's `main`: without arguments, it calls every operation; with
/// some, it is `deep_values::PROGRAM`'s `run`.
const PROGRAM: &str = r#"
mod deep;

use composition::{
    BoxModel, BoxModelObject, Branch, BranchKind, Client, Error, Identification, IdentificationVerification,
    KeysKeysItem, Labels, Leaf, LeafKind, Machine, ResultModel, Retries, Tree, Unknown, Viewer,
};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let base_url = std::env::var("COMPOSITION_BASE_URL").expect("the test sets it");
    let client = Client::builder().secret("sk_test_composition").base_url(base_url).retries(Retries::off()).build()?;
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    if !arguments.is_empty() {
        deep::run(&client, &arguments).await;
        return Ok(());
    }
    let api = client.composition();

    // A tagged union decodes by its tag: two tags for one variant, a kind added
    // after the client was generated, and `null`.
    for id in ["idn_otp", "idn_one_tap", "idn_admin", "idn_unclassified", "idn_later", "idn_none"] {
        let identification = api.get_identification().id(id).send().await?;
        let shown = match identification.verification {
            Some(IdentificationVerification::VerificationOtp(otp)) => format!("otp, attempts {:?}", otp.attempts),
            Some(IdentificationVerification::VerificationOauth(oauth)) => format!("oauth as {}", oauth.object),
            Some(IdentificationVerification::Box(admin)) => format!("admin as {}", admin.object),
            Some(IdentificationVerification::Unknown_(unclassified)) => format!("unclassified: {:?}", unclassified.reason),
            Some(IdentificationVerification::Unknown(object)) => {
                let keys: Vec<&String> = object.keys().collect();
                format!("a kind this client does not know: {} with {keys:?}", object["object"])
            }
            Some(other) => format!("{other:?}"),
            None => "none".to_owned(),
        };
        println!("{id}: {shown}");
    }
    // An object without its tag is an error naming the tag, not a guess; a
    // mistyped field of a variant is named by type, never quoted.
    for id in ["idn_untagged", "idn_mistyped"] {
        match api.get_identification().id(id).send().await {
            Err(error @ Error::Decode { .. }) => {
                let shown = format!("{error} {error:?}");
                assert!(!shown.contains("alice"), "the error quotes the body: {shown}");
                if let Error::Decode { path, message, .. } = error {
                    println!("{id}: at {path}: {message}");
                }
            }
            other => panic!("{id} must not decode: {other:?}"),
        }
    }

    // Sent: a variant whose struct has no field for the tag gets it written;
    // an unknown kind is sent back as it came.
    let unclassified = IdentificationVerification::Unknown_(Unknown::new().reason("no signal"));
    api.create_identification().body(Identification::new("idn_1", Some(unclassified))).send().await?;
    let admin: IdentificationVerification = BoxModel::new(BoxModelObject::Admin).into();
    api.create_identification().body(Identification::new("idn_2", Some(admin))).send().await?;
    let later = api.get_identification().id("idn_later").send().await?;
    api.create_identification().body(later).send().await?;

    // A tag the document lets a server leave out: by the tag when sent, else
    // the first variant the object fits.
    for id in ["v_private", "v_public", "v_tagged"] {
        match api.get_viewer().id(id).send().await? {
            Viewer::PrivateViewer(viewer) => println!("{id}: private {} on {}", viewer.login, viewer.plan),
            Viewer::PublicViewer(viewer) => println!("{id}: public {}", viewer.login),
            other => println!("{id}: {other:?}"),
        }
    }

    // Untagged: the variant that needs more fields is tried first.
    let keys = api.get_keys().send().await?;
    for key in &keys.keys {
        match key {
            KeysKeysItem::PrivateKey(key) => println!("private key {}", key.x),
            KeysKeysItem::PublicKey(key) => println!("public key {}", key.x),
            other => println!("{other:?}"),
        }
    }
    match keys.refresh {
        Some(ResultModel::Keyed(token)) => println!("refresh token {}", token.jwt),
        other => println!("refresh {other:?}"),
    }
    println!("scores {:?}", keys.scores);

    // The properties a struct has no field for are kept in its map, both ways.
    let mut labels = Labels::new("ada");
    labels.additional_properties.insert("seats".to_owned(), 3);
    let labels = api.create_labels().body(labels).send().await?;
    println!("labels of {}: {:?}", labels.owner, labels.additional_properties);

    // Read-only fields are decoded, never sent.
    let mut machine = Machine::new("builder");
    machine.id = Some("mch_set_by_hand".to_owned());
    let created = api.create_machine().body(machine).send().await?;
    println!("machine {} ({}) created at {:?}", created.id, created.name, created.created_at);

    // Recursion through a union.
    let leaf = |value: &str| Tree::from(Leaf::new(LeafKind::Leaf, value));
    let tree: Tree = Branch::new(BranchKind::Branch, Box::new(leaf("left"))).into();
    let echoed = api.replace_tree().id("t1").body(tree).send().await?;
    match echoed {
        Tree::Branch(branch) => match (*branch.left, branch.right.map(|right| *right)) {
            (Tree::Leaf(left), Some(Tree::Branch(right))) => println!("tree {} and a branch of {:?}", left.value, right.children.map(|c| c.len())),
            other => println!("tree {other:?}"),
        },
        other => println!("tree {other:?}"),
    }
    Ok(())
}
"#;

/// `GET /identifications/{id}` answers with this verification for each id.
fn identification(id: &str, verification: Value) -> Value {
    json!({"id": id, "verification": verification})
}

async fn mount(server: &MockServer, verb: &str, route: &str, body: Value) {
    Mock::given(method(verb))
        .and(path(route))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(server)
        .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn unions_maps_and_read_only_fields_decode_and_encode_as_the_spec_says() {
    let server = MockServer::start().await;
    let verifications = [
        ("idn_otp", json!({"object": "verification_otp", "attempts": 2})),
        ("idn_one_tap", json!({"object": "verification_google_one_tap", "external_verification_redirect_url": null})),
        ("idn_admin", json!({"object": "admin"})),
        ("idn_unclassified", json!({"object": "unknown", "reason": "no signal"})),
        ("idn_later", json!({"object": "verification_passkey", "name": "yubikey", "attempts": 1})),
        ("idn_none", Value::Null),
        ("idn_untagged", json!({"attempts": 2})),
        ("idn_mistyped", json!({"object": "verification_otp", "attempts": "alice@example.com"})),
    ];
    for (id, verification) in verifications {
        mount(&server, "GET", &format!("/identifications/{id}"), identification(id, verification)).await;
    }
    mount(&server, "POST", "/identifications", identification("idn_1", Value::Null)).await;
    mount(&server, "GET", "/viewers/v_private", json!({"login": "ada", "plan": "pro"})).await;
    mount(&server, "GET", "/viewers/v_public", json!({"login": "bob"})).await;
    mount(&server, "GET", "/viewers/v_tagged", json!({"login": "cy", "plan": "pro", "view": "public"})).await;
    let keys = json!({
        "keys": [{"kty": "OKP", "x": "pub_and_priv", "d": "secret"}, {"kty": "OKP", "x": "pub_only"}],
        "refresh": {"jwt": "jwt_1"},
        "scores": [1, null, 3]
    });
    mount(&server, "GET", "/keys", keys).await;
    mount(&server, "POST", "/labels", json!({"owner": "ada", "seats": 3, "teams": 2})).await;
    mount(
        &server,
        "POST",
        "/machines",
        json!({"id": "mch_1", "name": "builder", "created_at": 17, "secret_key": "sk"}),
    )
    .await;
    let tree = json!({
        "kind": "branch",
        "left": {"kind": "leaf", "value": "left"},
        "right": {"kind": "branch", "left": {"kind": "leaf", "value": "x"}, "children": [{"kind": "leaf", "value": "y"}]}
    });
    mount(&server, "PUT", "/trees/t1", tree).await;

    let base_url = server.uri();
    let run = tokio::task::spawn_blocking(move || run_program(&[], &base_url)).await.expect("the program ran");
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(run.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&run.stderr));
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines,
        [
            "idn_otp: otp, attempts Some(2)",
            "idn_one_tap: oauth as verification_google_one_tap",
            "idn_admin: admin as admin",
            "idn_unclassified: unclassified: Some(\"no signal\")",
            "idn_later: a kind this client does not know: \"verification_passkey\" with [\"attempts\", \"name\", \"object\"]",
            "idn_none: none",
            "idn_untagged: at verification: invalid object: expected an object with a string `object` saying which `IdentificationVerification` it is",
            "idn_mistyped: at verification: wrong type: expected i64, found a string",
            "v_private: private ada on pro",
            "v_public: public bob",
            "v_tagged: public cy",
            "private key pub_and_priv",
            "public key pub_only",
            "refresh token jwt_1",
            "scores Some([Some(1), None, Some(3)])",
            "labels of ada: {\"seats\": 3, \"teams\": 2}",
            "machine mch_1 (builder) created at Some(17)",
            "tree left and a branch of Some(1)",
        ]
    );

    let requests = server.received_requests().await.expect("recorded");
    let sent = |verb: &str, route: &str| -> Vec<Value> {
        requests
            .iter()
            .filter(|request| request.method.as_str() == verb && request.url.path() == route)
            .map(|request| request.body_json().expect("a JSON body"))
            .collect()
    };
    assert_eq!(
        sent("POST", "/identifications"),
        [
            // `Unknown` has no `object` field: the union wrote the tag.
            json!({"id": "idn_1", "verification": {"object": "unknown", "reason": "no signal"}}),
            json!({"id": "idn_2", "verification": {"object": "admin"}}),
            // A kind the client does not know goes back exactly as it came.
            identification("idn_later", json!({"object": "verification_passkey", "name": "yubikey", "attempts": 1})),
        ]
    );
    assert_eq!(sent("POST", "/labels"), [json!({"owner": "ada", "seats": 3})]);
    assert_eq!(sent("POST", "/machines"), [json!({"name": "builder"})], "read-only `id` is never sent");
    assert_eq!(sent("PUT", "/trees/t1"), [json!({"kind": "branch", "left": {"kind": "leaf", "value": "left"}})]);
}

/// The fixture's crate and the program, built once (with `cargo build`) for
/// every test that runs it: the program's path. A failed build fails each of
/// them with cargo's output, without building again.
fn program() -> &'static Path {
    static BUILT: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    let built = BUILT.get_or_init(|| {
        let spec = tests::tests_dir().join("fixtures/compile/composition.yaml");
        let selection = codegen::Selection { tag: None, operation_ids: Vec::new() };
        let krate = GeneratedCrate::generate("composition", &spec, selection)
            .map_err(|error| format!("the fixture does not generate: {error}"))?;
        let manifest =
            "[package]\nname = \"composition-program\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n\
             [dependencies]\ncomposition = { path = \"../composition\" }\nserde_json = \"1\"\n\
             tokio = { version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }\n";
        let file = |path: &str, contents: &str| codegen::GeneratedFile {
            path: path.to_owned(),
            contents: contents.to_owned(),
        };
        let program = GeneratedCrate {
            name: "composition-program".to_owned(),
            files: vec![
                file("Cargo.toml", manifest),
                file("src/main.rs", PROGRAM),
                file("src/deep.rs", crate::deep_values::PROGRAM),
            ],
        };
        let built = build("composition-wire", &[krate, program], Build::Binaries)?;
        if !built.success {
            return Err(built.output);
        }
        Ok(target_dir().join("debug").join(format!("composition-program{}", std::env::consts::EXE_SUFFIX)))
    });
    match built {
        Ok(path) => path,
        Err(error) => panic!("{error}"),
    }
}

/// Runs the program (built first if no test has yet) with `arguments`,
/// against the server at `base_url`. Blocks: call it off the async runtime.
pub fn run_program(arguments: &[&str], base_url: &str) -> Output {
    Command::new(program()).args(arguments).env("COMPOSITION_BASE_URL", base_url).output().expect("the program starts")
}
