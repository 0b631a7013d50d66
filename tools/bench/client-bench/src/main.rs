//! The client half of `cargo xtask bench`: the generated client (ours) against
//! a hand-written reqwest + serde client (theirs) on a local keep-alive
//! server. Prints one `BENCH {json}` line per row on stdout; progress goes to
//! stderr. `--quick` cuts the iterations; `--keep-callgrind` keeps
//! callgrind's output files (for `callgrind_annotate`) and prints where.

mod alloc;
mod callgrind;
mod clients;
mod fixtures;
mod form;
mod plain;
mod server;
mod theirs;

use std::hint::black_box;
use std::time::Instant;

use clerk_invitations::OrganizationInvitations;

use crate::clients::{Call, Clients, Side};
use crate::server::Server;
use bench_line::{Row, Stats};

#[global_allocator]
static ALLOCATOR: alloc::Counting = alloc::Counting;

/// This binary's rows in the table.
const SECTION: &str = "client";

/// How many samples each row takes.
struct Plan {
    /// Paired batches for the wall-time rows (each side runs once per batch).
    batches: usize,
    get_calls: usize,
    list_calls: usize,
    concurrent: usize,
    decodes: usize,
    /// Paired runs of the million-part form.
    form_batches: usize,
    alloc_batches: usize,
    alloc_gets: usize,
    alloc_lists: usize,
    /// (K1, K2) for the callgrind rows, and how many times to run each pair.
    get_counts: (usize, usize),
    list_counts: (usize, usize),
    decode_counts: (usize, usize),
    callgrind_runs: usize,
}

impl Plan {
    fn new(quick: bool) -> Plan {
        if quick {
            Plan {
                batches: 5,
                get_calls: 50,
                list_calls: 3,
                concurrent: 200,
                decodes: 5,
                form_batches: 2,
                alloc_batches: 3,
                alloc_gets: 20,
                alloc_lists: 2,
                get_counts: (10, 50),
                list_counts: (1, 3),
                decode_counts: (1, 3),
                callgrind_runs: 1,
            }
        } else {
            Plan {
                batches: 20,
                get_calls: 200,
                list_calls: 10,
                concurrent: 200,
                decodes: 20,
                form_batches: 5,
                alloc_batches: 10,
                alloc_gets: 50,
                alloc_lists: 5,
                get_counts: (50, 250),
                list_counts: (5, 25),
                decode_counts: (5, 25),
                callgrind_runs: 2,
            }
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("--callgrind-child") {
        callgrind::child(&args[2..]);
        return;
    }
    for arg in &args[1..] {
        if !matches!(arg.as_str(), "--quick" | "--keep-callgrind") {
            eprintln!("usage: client-bench [--quick] [--keep-callgrind]");
            std::process::exit(2);
        }
    }
    let quick = args.iter().any(|arg| arg == "--quick");
    let keep_callgrind = args.iter().any(|arg| arg == "--keep-callgrind");
    let plan = Plan::new(quick);

    let get_body = fixtures::get_body();
    let list_body = fixtures::list_body();
    let server = Server::start(&get_body, &list_body);
    eprintln!(
        "client-bench: server on 127.0.0.1:{} (get body {} B, list body {} B){}",
        server.port,
        get_body.len(),
        list_body.len(),
        if quick { ", quick" } else { "" }
    );

    // The client runs on this thread alone (a current-thread runtime), so the
    // allocation counts are the client's, connection tasks included.
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
    let setup = runtime.block_on(async {
        let clients = Clients::new(server.port);
        let same_headers = check(&clients, &server, &get_body, &list_body).await;
        (clients, same_headers)
    });
    let (clients, same_headers) = setup;
    // A comparison of different requests measures nothing.
    if !same_headers {
        eprintln!("client-bench: the two clients send different request heads (above); no row is written");
        std::process::exit(1);
    }
    let common = format!(
        "loopback HTTP/1.1 keep-alive; client on a current-thread tokio runtime, server on its own thread; \
         theirs: one reqwest::Client, format!-built URL, same headers, body read whole and decoded into the same \
         generated models, no timeouts, retries, span, body cap or id encoding; same request headers on the wire: {}",
        if same_headers { "yes" } else { "NO (see stderr)" }
    );

    runtime.block_on(wall_time_rows(&clients, &plan, &common));
    runtime.block_on(form_row(server.port, &plan));
    decode_row(&plan, &list_body);
    runtime.block_on(allocation_rows(&clients, &plan, &common));
    drop(clients);
    drop(runtime);
    instruction_rows(&server, &plan, keep_callgrind);
}

/// Both clients must decode the same values, equal to the fixtures, and send
/// the same request heads; returns whether the heads matched.
async fn check(clients: &Clients, server: &Server, get_body: &[u8], list_body: &[u8]) -> bool {
    let expected: clerk_invitations::OrganizationInvitation =
        serde_json::from_slice(get_body).expect("the get fixture decodes into the model");
    let page: OrganizationInvitations = serde_json::from_slice(list_body).expect("the list fixture decodes");
    assert_eq!(page.data.len(), fixtures::PAGE_SIZE);
    let ours = clients
        .ours
        .organization_invitations()
        .get()
        .organization_id(fixtures::ORGANIZATION_ID)
        .invitation_id(fixtures::INVITATION_ID)
        .send()
        .await
        .expect("ours: get");
    let theirs = clients.theirs.get(fixtures::ORGANIZATION_ID, fixtures::INVITATION_ID).await.expect("theirs: get");
    assert!(ours == expected && theirs == expected, "the clients decoded different invitations");
    let ours_page = clients
        .ours
        .organization_invitations()
        .list()
        .organization_id(fixtures::ORGANIZATION_ID)
        .limit(fixtures::PAGE_SIZE as i64)
        .send()
        .await
        .expect("ours: list");
    let theirs_page =
        clients.theirs.list(fixtures::ORGANIZATION_ID, fixtures::PAGE_SIZE as i64).await.expect("theirs: list");
    assert!(ours_page == page && theirs_page == page, "the clients decoded different pages");

    let mut same = true;
    for call in [Call::Get, Call::List] {
        server.record();
        clients.call(Side::Ours, call).await;
        let ours = server.take_head();
        server.record();
        clients.call(Side::Theirs, call).await;
        let theirs = server.take_head();
        if ours != theirs {
            eprintln!("client-bench: the {} requests differ\n--- ours\n{ours}\n--- theirs\n{theirs}", call.name());
            same = false;
        }
    }
    same
}

/// Runs `ours` then `theirs` on even batches and the other way round on odd
/// ones, so drift (CPU frequency, other load) hits both alike; returns each
/// side's samples.
async fn paired<T, F, Fut>(batches: usize, mut batch: F) -> (Vec<T>, Vec<T>)
where
    F: FnMut(Side) -> Fut,
    Fut: std::future::Future<Output = T>,
{
    let (mut ours, mut theirs) = (Vec::with_capacity(batches), Vec::with_capacity(batches));
    for index in 0..batches {
        let order = if index % 2 == 0 { [Side::Ours, Side::Theirs] } else { [Side::Theirs, Side::Ours] };
        for side in order {
            let sample = batch(side).await;
            match side {
                Side::Ours => ours.push(sample),
                Side::Theirs => theirs.push(sample),
            }
        }
    }
    (ours, theirs)
}

async fn wall_time_rows(clients: &Clients, plan: &Plan, common: &str) {
    // Warm both pools and code paths before anything is timed.
    for side in [Side::Ours, Side::Theirs] {
        clients.calls(side, Call::Get, 50).await;
        clients.calls(side, Call::List, 2).await;
        clients.concurrent_gets(side, plan.concurrent).await;
    }

    eprintln!("client-bench: get, wall time");
    let calls = plan.get_calls;
    let (ours, theirs) = paired(plan.batches, |side| async move {
        let started = Instant::now();
        clients.calls(side, Call::Get, calls).await;
        started.elapsed().as_secs_f64() * 1e6 / calls as f64
    })
    .await;
    Row {
        section: SECTION,
        plan: "",
        row: "get-wall".to_owned(),
        title: "get one invitation, wall time per call".to_owned(),
        unit: "us",
        ours: Stats::of(&ours),
        theirs: Stats::of(&theirs),
        target: None,
        budget: None,
        note: format!(
            "{} paired interleaved batches x {calls} sequential calls; sample = batch time / {calls}; {common}",
            plan.batches
        ),
    }
    .print();

    eprintln!("client-bench: list, wall time");
    let calls = plan.list_calls;
    let (ours, theirs) = paired(plan.batches, |side| async move {
        let started = Instant::now();
        clients.calls(side, Call::List, calls).await;
        started.elapsed().as_secs_f64() * 1e6 / calls as f64
    })
    .await;
    Row {
        section: SECTION,
        plan: "",
        row: "list-wall".to_owned(),
        title: "list a 500-item page, wall time per call".to_owned(),
        unit: "us",
        ours: Stats::of(&ours),
        theirs: Stats::of(&theirs),
        target: None,
        budget: None,
        note: format!(
            "{} paired interleaved batches x {calls} sequential calls (limit=500, {} B body); sample = batch time / {calls}; {common}",
            plan.batches,
            fixtures::list_body().len()
        ),
    }
    .print();

    eprintln!("client-bench: concurrent gets, wall time");
    let concurrent = plan.concurrent;
    let (ours, theirs) = paired(plan.batches, |side| async move {
        let started = Instant::now();
        clients.concurrent_gets(side, concurrent).await;
        started.elapsed().as_secs_f64() * 1e6
    })
    .await;
    Row {
        section: SECTION,
        plan: "",
        row: "get-concurrent".to_owned(),
        title: "200 concurrent gets through one client, wall time per batch".to_owned(),
        unit: "us",
        ours: Stats::of(&ours),
        theirs: Stats::of(&theirs),
        target: None,
        budget: None,
        note: format!(
            "{} paired interleaved batches; each spawns {concurrent} tasks sharing one client (one pool) and waits for all; {common}",
            plan.batches
        ),
    }
    .print();
}

async fn form_row(port: u16, plan: &Plan) {
    eprintln!("client-bench: a form of {} parts, wall time", form::ITEMS);
    let labels = form::labels();
    let forms = form::Forms::new(port);
    // One of each first: the server's buffer grows to the body's size once.
    forms.ours(&labels).await;
    forms.theirs(&labels).await;
    let (ours, theirs) = paired(plan.form_batches, |side| {
        let (forms, labels) = (&forms, &labels);
        async move {
            let started = Instant::now();
            match side {
                Side::Ours => forms.ours(labels).await,
                Side::Theirs => forms.theirs(labels).await,
            }
            started.elapsed().as_secs_f64() * 1e3
        }
    })
    .await;
    Row {
        section: SECTION,
        plan: "",
        row: "form-million-parts".to_owned(),
        title: "send a multipart/form-data body of 1,000,000 small text parts (cap raised), wall time per call"
            .to_owned(),
        unit: "ms",
        ours: Stats::of(&ours),
        theirs: Stats::of(&theirs),
        target: None,
        budget: Some(1000.0),
        note: format!(
            "{} paired interleaved runs; ours: the runtime's Multipart filled as a generated call fills a list field, \
             then sent (about 95 MB, max_request_body raised to 256 MiB); theirs: \
             the same parts written into one Vec by hand and posted with the same reqwest; the server reads the \
             whole body before answering 204. Budget: under 1 s (reqwest 0.12's own form, the runtime's before, \
             overflowed a worker's stack at 50,000 parts in release and took 22.5 s for 40,000)",
            plan.form_batches
        ),
    }
    .print();
}

fn decode_row(plan: &Plan, list_body: &[u8]) {
    eprintln!("client-bench: decode a page");
    let decodes = plan.decodes;
    let runtime = tokio::runtime::Builder::new_current_thread().build().expect("a runtime");
    // Synchronous work; `paired` only needs a future to await.
    let (ours, theirs) = runtime.block_on(paired(plan.batches, |side| async move {
        // The values are dropped after the clock stops: decoding only.
        let mut ours_kept: Vec<OrganizationInvitations> = Vec::with_capacity(decodes);
        let mut theirs_kept: Vec<plain::Page> = Vec::with_capacity(decodes);
        let started = Instant::now();
        for _ in 0..decodes {
            match side {
                Side::Ours => ours_kept.push(serde_json::from_slice(black_box(list_body)).expect("ours decodes")),
                Side::Theirs => theirs_kept.push(serde_json::from_slice(black_box(list_body)).expect("plain decodes")),
            }
        }
        let sample = started.elapsed().as_secs_f64() * 1e6 / decodes as f64;
        black_box((ours_kept, theirs_kept));
        sample
    }));
    Row {
        section: SECTION,
        plan: "",
        row: "decode-page".to_owned(),
        title: "decode a 500-item page (serde_json::from_slice), generated types vs plain serde structs".to_owned(),
        unit: "us",
        ours: Stats::of(&ours),
        theirs: Stats::of(&theirs),
        target: Some(1.0),
        budget: None,
        note: format!(
            "{} paired interleaved batches x {decodes} decodes of the same {} B body; theirs: plain #[derive(Deserialize)] structs with the same fields (String for the object tag)",
            plan.batches,
            list_body.len()
        ),
    }
    .print();
}

async fn allocation_rows(clients: &Clients, plan: &Plan, common: &str) {
    eprintln!("client-bench: allocations");
    for (call, calls, row, bytes_row, title, bytes_title) in [
        (
            Call::Get,
            plan.alloc_gets,
            "get-allocations",
            "get-allocated-bytes",
            "get one invitation, allocations per call",
            "get one invitation, bytes allocated per call",
        ),
        (
            Call::List,
            plan.alloc_lists,
            "list-allocations",
            "list-allocated-bytes",
            "list a 500-item page, allocations per call",
            "list a 500-item page, bytes allocated per call",
        ),
    ] {
        let (ours, theirs) = paired(plan.alloc_batches, |side| async move {
            let before = alloc::counts();
            clients.calls(side, call, calls).await;
            let after = alloc::counts();
            let allocations = (after.allocations - before.allocations) as f64 / calls as f64;
            let bytes = (after.bytes - before.bytes) as f64 / calls as f64;
            (allocations, bytes)
        })
        .await;
        let allocations = |samples: &[(f64, f64)]| Stats::of(&samples.iter().map(|s| s.0).collect::<Vec<_>>());
        let bytes = |samples: &[(f64, f64)]| Stats::of(&samples.iter().map(|s| s.1).collect::<Vec<_>>());
        let note = format!(
            "{} paired interleaved batches x {calls} calls on a warm connection; counted on the client's thread by a \
             counting #[global_allocator] (alloc, alloc_zeroed and realloc each count once; bytes = sizes asked for); {common}",
            plan.alloc_batches
        );
        Row {
            section: SECTION,
            plan: "",
            row: row.to_owned(),
            title: title.to_owned(),
            unit: "allocations",
            ours: allocations(&ours),
            theirs: allocations(&theirs),
            target: None,
            budget: None,
            note: note.clone(),
        }
        .print();
        Row {
            section: SECTION,
            plan: "",
            row: bytes_row.to_owned(),
            title: bytes_title.to_owned(),
            unit: "bytes",
            ours: bytes(&ours),
            theirs: bytes(&theirs),
            target: None,
            budget: None,
            note,
        }
        .print();
    }
}

fn instruction_rows(server: &Server, plan: &Plan, keep: bool) {
    use callgrind::Work;
    let rows = [
        (
            Work::Call(Call::Get),
            plan.get_counts,
            "get-instructions",
            "get one invitation, instructions per call",
            Some(1.0),
        ),
        (
            Work::Call(Call::List),
            plan.list_counts,
            "list-instructions",
            "list a 500-item page, instructions per call",
            None,
        ),
        (
            Work::Decode,
            plan.decode_counts,
            "decode-page-instructions",
            "decode a 500-item page, generated types vs plain serde structs, instructions per decode",
            Some(1.0),
        ),
    ];
    if !callgrind::available() {
        for (_, _, row, title, target) in rows {
            eprintln!("client-bench: {row} skipped: {} is missing", callgrind::VALGRIND);
            Row {
                target,
                budget: None,
                ..Row::skipped(
                    SECTION,
                    row,
                    title,
                    "instructions",
                    &format!("{} is not installed", callgrind::VALGRIND),
                )
            }
            .print();
        }
        return;
    }
    let dir = std::env::temp_dir().join(format!("client-bench-callgrind-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a directory for callgrind's files");
    for (work, (low, high), row, title, target) in rows {
        eprintln!("client-bench: {row} (callgrind, K = {low} and {high})");
        let per_call = |side: Side, run: usize| {
            let fewer = callgrind::instructions(&dir, server.port, side, work, low, run);
            let more = callgrind::instructions(&dir, server.port, side, work, high, run);
            (more as f64 - fewer as f64) / (high - low) as f64
        };
        let (mut ours, mut theirs) = (Vec::new(), Vec::new());
        for run in 0..plan.callgrind_runs {
            ours.push(per_call(Side::Ours, run));
            theirs.push(per_call(Side::Theirs, run));
        }
        Row {
            section: SECTION,
            plan: "",
            row: row.to_owned(),
            title: title.to_owned(),
            unit: "instructions",
            ours: Stats::of(&ours),
            theirs: Stats::of(&theirs),
            target,
            budget: None,
            note: match work {
                Work::Call(_) => format!(
                    "valgrind --tool=callgrind on the client process only (the server runs in the parent); \
                     per call = (I(K={high}) - I(K={low})) / {}, after one connecting call; {} run(s) per side",
                    high - low,
                    plan.callgrind_runs
                ),
                Work::Decode => format!(
                    "valgrind --tool=callgrind, serde_json::from_slice of the same {} B page; \
                     per decode = (I(K={high}) - I(K={low})) / {}; theirs: plain #[derive(Deserialize)] structs \
                     with the same fields (String for the object tag); {} run(s) per side",
                    fixtures::list_body().len(),
                    high - low,
                    plan.callgrind_runs
                ),
            },
        }
        .print();
    }
    if keep {
        eprintln!("client-bench: callgrind files kept in {}", dir.display());
    } else {
        let _ = std::fs::remove_dir_all(&dir);
    }
}
