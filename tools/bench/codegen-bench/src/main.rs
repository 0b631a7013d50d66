//! `codegen-bench [--quick]`: every codegen row of `cargo xtask bench`, one
//! `BENCH {json}` line each on stdout; progress on stderr.
//!
//! Ours is the release `xtask` binary (`target/release/xtask codegen`), the
//! peer is `progenitor-peer` (beside this binary), each a fresh process writing
//! into a fresh folder; pairs run interleaved (ours, theirs, ours, …) after
//! discarded warm-up pairs, and rows give medians with min and max.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use bench_line::{Row, Stats};
use codegen_bench::measure::{self, Run};
use codegen_bench::{rebuild, scale, stages, subset, users};

/// This binary's rows in the table.
const SECTION: &str = "codegen";

/// Where things are, and how many samples to take.
struct Bench {
    root: PathBuf,
    xtask: PathBuf,
    peer: PathBuf,
    /// Scratch space: `target/bench/codegen/`.
    work: PathBuf,
    /// Clerk's 2026-05-12 document, when `../shared` is there.
    upstream: Option<PathBuf>,
    quick: bool,
}

impl Bench {
    /// `full` samples, or `quick` with `--quick`.
    fn n(&self, full: usize, quick: usize) -> usize {
        if self.quick {
            quick
        } else {
            full
        }
    }

    fn slice(&self) -> PathBuf {
        self.root.join("spec/organization-invitations.yaml")
    }

    /// One run of `xtask codegen` on `spec` into a fresh folder.
    fn ours(&self, spec: &Path, all_tags: bool, label: &str) -> Result<Run, String> {
        let mut command = self.ours_command(spec, all_tags, label)?;
        measure::run(&mut command, &self.work.join(format!("{label}.log")))
    }

    /// The same, for its peak memory (started through `/usr/bin/time`).
    fn ours_peak(&self, spec: &Path, all_tags: bool, label: &str) -> Result<Run, String> {
        let command = self.ours_command(spec, all_tags, label)?;
        measure::run_peak(&command, &self.work.join(format!("{label}.log")))
    }

    fn ours_command(&self, spec: &Path, all_tags: bool, label: &str) -> Result<Command, String> {
        let out = self.work.join("out").join(label);
        measure::fresh_dir(&out)?;
        let mut command = Command::new(&self.xtask);
        command.arg("codegen").arg("--spec").arg(spec).arg("--out").arg(&out);
        if all_tags {
            command.arg("--all-tags");
        }
        Ok(command)
    }

    /// One run of the progenitor peer on `spec` into a fresh folder.
    fn theirs(&self, spec: &Path, label: &str) -> Result<Run, String> {
        let mut command = self.theirs_command(spec, label)?;
        measure::run(&mut command, &self.work.join(format!("{label}.log")))
    }

    fn theirs_peak(&self, spec: &Path, label: &str) -> Result<Run, String> {
        let command = self.theirs_command(spec, label)?;
        measure::run_peak(&command, &self.work.join(format!("{label}.log")))
    }

    fn theirs_command(&self, spec: &Path, label: &str) -> Result<Command, String> {
        let out = self.work.join("out").join(label);
        measure::fresh_dir(&out)?;
        let mut command = Command::new(&self.peer);
        command.arg(spec).arg(&out);
        Ok(command)
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // `--quick` cuts the runs; naming sections (`slice`, `subset`, `floor`,
    // `stages`, `memory`, `rebuild`, `users`) runs only those, for working on one row.
    let quick = args.iter().any(|arg| arg == "--quick");
    let only: Vec<&str> = args.iter().filter(|arg| *arg != "--quick").map(String::as_str).collect();
    const SECTIONS: [&str; 7] = ["slice", "subset", "floor", "stages", "memory", "rebuild", "users"];
    if let Some(unknown) = only.iter().find(|name| !SECTIONS.contains(name)) {
        eprintln!("codegen-bench: unknown section `{unknown}`");
        eprintln!("usage: codegen-bench [--quick] [{}]...", SECTIONS.join("|"));
        return ExitCode::from(2);
    }
    // This crate lives at tools/bench/codegen-bench in the repository.
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../..");
    let root = root.canonicalize().unwrap_or(root);
    let exe = std::env::current_exe().unwrap_or_default();
    // The project's target folder, as cargo and `cargo xtask bench` use it.
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .filter(|dir| !dir.is_empty())
        .map(PathBuf::from)
        .map_or_else(|| root.join("target"), |dir| if dir.is_absolute() { dir } else { root.join(dir) });
    let bench = Bench {
        xtask: target.join("release/xtask"),
        peer: exe.with_file_name("progenitor-peer"),
        work: target.join("bench/codegen"),
        upstream: upstream(&root),
        root,
        quick,
    };
    for (program, how) in [(&bench.xtask, "cargo build --release -p xtask"), (&bench.peer, "build tools/bench")] {
        if !program.is_file() {
            eprintln!("error: {} not found ({how} first)", program.display());
            return ExitCode::FAILURE;
        }
    }
    if let Err(error) = std::fs::create_dir_all(&bench.work) {
        eprintln!("error: {}: {error}", bench.work.display());
        return ExitCode::FAILURE;
    }

    let mut failed = false;
    let sections: [(&str, Section); 7] = [
        ("whole process, slice", slice_rows),
        ("whole process, Clerk subset and document", subset_rows),
        ("floor", floor_row),
        ("stages", stage_rows),
        ("memory and scaling", memory_rows),
        ("rebuild", rebuild_rows),
        ("what users pay", user_rows),
    ];
    let chosen = sections.into_iter().zip(SECTIONS).filter(|(_, key)| only.is_empty() || only.contains(key));
    for ((name, section), _) in chosen {
        eprintln!("codegen-bench: {name}");
        let started = Instant::now();
        if let Err(error) = section(&bench) {
            eprintln!("codegen-bench: {name} failed: {error}");
            Row::skipped(
                SECTION,
                &format!("failed-{}", name.replace([' ', ','], "-")),
                name,
                "ms",
                &format!("failed: {error}"),
            )
            .print();
            failed = true;
        }
        eprintln!("codegen-bench: {name} took {:.1} s", started.elapsed().as_secs_f64());
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// One group of rows: prints its rows, or fails as a whole.
type Section = fn(&Bench) -> Result<(), String>;

/// Clerk's 2026-05-12 document: `../shared` beside the repository, else /work/shared.
fn upstream(root: &Path) -> Option<PathBuf> {
    let relative = "upstream/clerk-bapi/2026-05-12.yml";
    [root.join("../shared").join(relative), PathBuf::from("/work/shared").join(relative)]
        .into_iter()
        .find(|path| path.is_file())
}

const NO_UPSTREAM: &str = "Clerk's document (../shared/upstream/clerk-bapi/2026-05-12.yml) is not here";

fn wall(runs: &[Run]) -> Option<Stats> {
    Stats::of(&runs.iter().map(|run| run.wall_ms).collect::<Vec<_>>())
}

fn cpu(runs: &[Run]) -> Option<Stats> {
    Stats::of(&runs.iter().map(|run| run.cpu_ms).collect::<Vec<_>>())
}

fn rss_mib(runs: &[Run]) -> Option<Stats> {
    Stats::of(&runs.iter().map(|run| run.max_rss_kib as f64 / 1024.0).collect::<Vec<_>>())
}

fn median(stats: Option<Stats>) -> f64 {
    stats.map_or(f64::NAN, |stats| stats.median)
}

/// Why ours is slower than progenitor at all: it writes more, and the cost is
/// in parsing and printing what it writes.
const LESS_TEXT: &str =
    "the shared impls now live in the runtime's macros (the slice is 1.3x progenitor's bytes, from 2.6x), but ours \
still does more per run: it reads and checks the document, lowers it, writes the public-API record and the semver \
digest, and prints every file through a syn round trip and prettyplease, on threads. On the 7-operation slice the \
fixed part dominates; on the subset the threads that make the wall time cost CPU (thread start-up, chunked \
formatting). What would close it: print the one-line macro calls and other fixed templates as text, without syn; \
format small outputs on one thread; and skip the semver digest when the record is unchanged.";

/// A whole-process row, ours against the peer, with CPU times in the note.
fn versus(row: &str, title: &str, target: f64, ours: &[Run], theirs: &[Run], note: &str) -> Row {
    let mut result = Row::new(SECTION, row, title, "ms");
    result.plan = LESS_TEXT;
    result.ours = wall(ours);
    result.theirs = wall(theirs);
    result.target = Some(target);
    result.note = format!(
        "{note}wall time; CPU (user+sys) medians: ours {:.1} ms, progenitor {:.1} ms (ratio {:.2})",
        median(cpu(ours)),
        median(cpu(theirs)),
        median(cpu(ours)) / median(cpu(theirs))
    );
    result
}

/// The CPU (user + system) twin of a `versus` row: a target met only because
/// the second core absorbed our threads is not met.
fn versus_cpu(row: &str, title: &str, target: f64, ours: &[Run], theirs: &[Run], note: &str) -> Row {
    let mut result = Row::new(SECTION, row, title, "ms");
    result.plan = LESS_TEXT;
    result.ours = cpu(ours);
    result.theirs = cpu(theirs);
    result.target = Some(target);
    result.note = format!("{note}CPU time (user+sys) of the same runs as the wall-time row");
    result
}

/// The bytes of generated Rust under `dir`, in KiB.
fn source_kib(dir: &Path) -> Result<f64, String> {
    Ok(rust_sources(dir)?.iter().map(String::len).sum::<usize>() as f64 / 1024.0)
}

/// Row a: the vendored slice.
fn slice_rows(bench: &Bench) -> Result<(), String> {
    let slice = bench.slice();
    let (ours, theirs) = measure::paired(
        3,
        bench.n(21, 15),
        || bench.ours(&slice, false, "slice-ours"),
        || bench.theirs(&slice, "slice-progenitor"),
    )?;
    let note = format!("spec/organization-invitations.yaml; output: {}; ", output_sizes(bench, "slice")?);
    versus(
        "whole-slice",
        "codegen whole process, invitations slice (7 operations), vs progenitor",
        0.7,
        &ours,
        &theirs,
        &note,
    )
    .print();
    versus_cpu(
        "whole-slice-cpu",
        "codegen whole process, invitations slice, CPU time, vs progenitor",
        0.7,
        &ours,
        &theirs,
        &note,
    )
    .print();
    // Bytes, not lines: lines can be gamed by layout.
    let out = bench.work.join("out");
    let mut size = Row::new(SECTION, "size-slice", "generated Rust, invitations slice, in bytes", "KiB");
    size.ours = Stats::of(&[source_kib(&out.join("slice-ours"))?]);
    size.theirs = Stats::of(&[source_kib(&out.join("slice-progenitor"))?]);
    size.budget = Some(58.0);
    size.note = "every .rs file each tool writes (ours: lib.rs, client.rs, models.rs and the group's module, not \
        the test kit's document.rs, a string compiled only with `test-util`); \
        the budget is ours, half of the 114 KiB of commit f1b81c8"
        .to_owned();
    size.plan = "less text per operation and per model: see the plan of `whole-slice`";
    size.print();
    Ok(())
}

/// The subset of Clerk's document both generators accept, written once under
/// target/bench/codegen and reused while the document and this binary are
/// unchanged (the search generates each of ~250 operations with both tools).
struct ClerkSubset {
    path: PathBuf,
    operations: usize,
    note: String,
}

fn clerk_subset(bench: &Bench, upstream: &Path) -> Result<ClerkSubset, String> {
    let path = bench.work.join("clerk-subset.yaml");
    let stamp_path = bench.work.join("clerk-subset.stamp");
    let stamp = format!("{}\n{}\n", file_stamp(upstream), file_stamp(&std::env::current_exe().unwrap_or_default()));
    let document = subset::read(upstream)?;
    let total = subset::operation_ids(&document).len();
    let cached = std::fs::read_to_string(&stamp_path).ok().filter(|old| *old == stamp);
    let summary_path = bench.work.join("clerk-subset.summary");
    if let (Some(_), true) = (cached, path.is_file()) {
        let kept = subset::operation_ids(&subset::read(&path)?).len();
        let summary = std::fs::read_to_string(&summary_path).unwrap_or_default();
        return Ok(ClerkSubset { path, operations: kept, note: summary.trim().to_owned() });
    }
    eprintln!("codegen-bench: finding the operations of {} both tools accept", upstream.display());
    let mut found = subset::find(&document);
    // Both outputs must compile, not only generate.
    let lock = bench.root.join("tools/bench/codegen-bench/peer-client.lock");
    let dropped =
        subset::drop_uncompilable(&mut found, &document, &bench.root, &bench.work.join("subset-check"), &lock)?;
    subset::write(&path, &found.document)?;
    let dropped = match dropped.as_slice() {
        [] => String::new(),
        ids => format!(", less {} whose progenitor code does not compile ({})", ids.len(), ids.join(", ")),
    };
    let summary = format!(
        "{} of the document's {total} operations: progenitor alone accepts {}, ours {}; the union generates with both{dropped}",
        found.operations.len(),
        found.progenitor_alone,
        found.ours_alone
    );
    std::fs::write(&summary_path, &summary).map_err(|error| error.to_string())?;
    std::fs::write(&stamp_path, stamp).map_err(|error| error.to_string())?;
    Ok(ClerkSubset { path, operations: found.operations.len(), note: summary })
}

fn file_stamp(path: &Path) -> String {
    let meta = std::fs::metadata(path).ok();
    let modified = meta.as_ref().and_then(|meta| meta.modified().ok());
    format!("{} {} {:?}", path.display(), meta.map_or(0, |meta| meta.len()), modified)
}

/// Row b: the Clerk subset against progenitor, and ours on the whole document.
fn subset_rows(bench: &Bench) -> Result<(), String> {
    let Some(upstream) = &bench.upstream else {
        Row::skipped(SECTION, "whole-subset", "codegen whole process, Clerk subset, vs progenitor", "ms", NO_UPSTREAM)
            .print();
        Row::skipped(
            SECTION,
            "whole-document",
            "codegen whole process, whole Clerk document (ours only)",
            "ms",
            NO_UPSTREAM,
        )
        .print();
        return Ok(());
    };
    let subset = clerk_subset(bench, upstream)?;
    let (ours, theirs) = measure::paired(
        2,
        bench.n(15, 7),
        || bench.ours(&subset.path, true, "subset-ours"),
        || bench.theirs(&subset.path, "subset-progenitor"),
    )?;
    let title = format!("codegen whole process, {} Clerk operations both accept, vs progenitor", subset.operations);
    let note = format!(
        "{} (target/bench/codegen/clerk-subset.yaml, ours with --all-tags); output: {}; ",
        subset.note,
        output_sizes(bench, "subset")?
    );
    versus("whole-subset", &title, 0.5, &ours, &theirs, &note).print();
    let cpu_title =
        format!("codegen whole process, {} Clerk operations both accept, CPU time, vs progenitor", subset.operations);
    versus_cpu("whole-subset-cpu", &cpu_title, 0.5, &ours, &theirs, &note).print();

    let runs = measure::repeated(1, bench.n(7, 3), || bench.ours(upstream, true, "document-ours"))?;
    let mut row = Row::new(SECTION, "whole-document", "codegen whole process, whole Clerk document (ours only)", "ms");
    row.ours = wall(&runs);
    row.note = format!(
        "2026-05-12.yml, {} operations, --all-tags; CPU (user+sys) median {:.1} ms; progenitor rejects the whole document",
        subset::operation_ids(&subset::read(upstream)?).len(),
        median(cpu(&runs))
    );
    row.print();
    let mut size =
        Row::new(SECTION, "size-document", "generated Rust, whole Clerk document with --all-tags, in bytes", "KiB");
    size.ours = Stats::of(&[source_kib(&bench.work.join("out").join("document-ours"))?]);
    size.budget = Some(1650.0);
    size.note = "2026-05-12.yml, every .rs file; the budget is half of the 3,253 KiB of commit f1b81c8".to_owned();
    size.plan = "less text per model: see the plan of `whole-slice`";
    size.print();
    Ok(())
}

/// Row c: ours against the floor of its own work, on the Clerk subset: parsing
/// the YAML once (serde_yaml → openapiv3) plus formatting the `.rs` files ours
/// wrote once (syn::parse_file + prettyplease::unparse), in-process, one thread.
fn floor_row(bench: &Bench) -> Result<(), String> {
    let title = "codegen whole process, Clerk subset, vs the floor (parse YAML + prettyplease the output, in-process)";
    let Some(upstream) = &bench.upstream else {
        Row::skipped(SECTION, "floor-subset", title, "ms", NO_UPSTREAM).print();
        return Ok(());
    };
    let subset = clerk_subset(bench, upstream)?;
    // The output to format: what ours writes for the subset.
    bench.ours(&subset.path, true, "floor-ours")?;
    let sources = rust_sources(&bench.work.join("out/floor-ours"))?;
    let yaml = std::fs::read_to_string(&subset.path).map_err(|error| error.to_string())?;
    let floor = || -> Result<f64, String> {
        let started = Instant::now();
        let document: openapiv3::OpenAPI = serde_yaml::from_str(&yaml).map_err(|error| error.to_string())?;
        let mut printed = 0;
        for source in &sources {
            let file = syn::parse_file(source).map_err(|error| error.to_string())?;
            printed += prettyplease::unparse(&file).len();
        }
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        std::hint::black_box((document, printed));
        Ok(ms)
    };
    let (ours, floor) = measure::paired(
        1,
        bench.n(11, 5),
        || bench.ours(&subset.path, true, "floor-ours").map(|run| run.wall_ms),
        floor,
    )?;
    let mut row = Row::new(SECTION, "floor-subset", title, "ms");
    row.ours = Stats::of(&ours);
    row.theirs = Stats::of(&floor);
    row.target = Some(1.0);
    row.plan = "beyond the floor's work, ours loads with source locations and hostile-input checks, lowers, emits \
tokens with quote, records the public API and writes; on two cores its threads hide most of that, but not when the \
other core is busy (min–max shows how much the runs moved). What would close it: emitting less text (see \
`whole-subset`), and handing prettyplease syntax trees built directly instead of token streams that syn parses again.";
    let bytes: usize = sources.iter().map(String::len).sum();
    row.note = format!(
        "{} operations; floor = reading {} KiB of YAML into openapiv3 once plus syn + prettyplease over the {} .rs files ours wrote ({} KiB), one thread, in-process (theirs column)",
        subset.operations,
        yaml.len() / 1024,
        sources.len(),
        bytes / 1024
    );
    row.print();
    Ok(())
}

/// The Rust each tool wrote in its last run labelled `{label}-ours` and
/// `{label}-progenitor`.
fn output_sizes(bench: &Bench, label: &str) -> Result<String, String> {
    let size = |side: &str| source_size(&bench.work.join("out").join(format!("{label}-{side}")));
    Ok(format!("ours {}, progenitor {}", size("ours")?, size("progenitor")?))
}

/// `N .rs files, L lines (K KiB)` of Rust under `dir`.
fn source_size(dir: &Path) -> Result<String, String> {
    let sources = rust_sources(dir)?;
    let lines: usize = sources.iter().map(|source| source.lines().count()).sum();
    let kib = sources.iter().map(String::len).sum::<usize>() / 1024;
    Ok(format!("{} .rs files, {lines} lines ({kib} KiB)", sources.len()))
}

/// The `.rs` files under `dir`, read.
fn rust_sources(dir: &Path) -> Result<Vec<String>, String> {
    let mut sources = Vec::new();
    let mut pending = vec![dir.to_owned()];
    while let Some(next) = pending.pop() {
        for entry in std::fs::read_dir(&next).map_err(|error| format!("{}: {error}", next.display()))?.flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|ext| ext == "rs") && !path.ends_with("src/document.rs") {
                // `src/document.rs` is the document the test kit reads: data,
                // and not even opened without the `test-util` feature.
                sources.push(std::fs::read_to_string(&path).map_err(|error| format!("{}: {error}", path.display()))?);
            }
        }
    }
    Ok(sources)
}

/// Row d: in-process stage times on the subset and the whole document.
fn stage_rows(bench: &Bench) -> Result<(), String> {
    let Some(upstream) = &bench.upstream else {
        Row::skipped(SECTION, "stages", "codegen stages in-process", "ms", NO_UPSTREAM).print();
        return Ok(());
    };
    let subset = clerk_subset(bench, upstream)?;
    for (label, spec) in [("subset", subset.path.as_path()), ("document", upstream.as_path())] {
        let out = bench.work.join("out").join(format!("stages-{label}"));
        let runs = measure::repeated(1, bench.n(7, 3), || {
            measure::fresh_dir(&out)?;
            stages::stage_times(spec, &out)
        })?;
        let operations = runs.first().map_or(0, |run| run.operations);
        let totals: Vec<f64> = runs.iter().map(|run| run.ms.iter().sum()).collect();
        let medians: Vec<f64> = (0..stages::STAGES.len())
            .map(|stage| median(Stats::of(&runs.iter().map(|run| run.ms[stage]).collect::<Vec<_>>())))
            .collect();
        let whole: f64 = medians.iter().sum();
        let breakdown: Vec<String> = stages::STAGES
            .iter()
            .zip(&medians)
            .map(|(stage, ms)| format!("{stage} {ms:.1} ms ({:.0}%)", 100.0 * ms / whole))
            .collect();
        for (stage, name) in stages::STAGES.iter().enumerate() {
            let mut row = Row::new(
                SECTION,
                &format!("stage-{label}-{name}"),
                &format!("stage `{name}`, in-process, {label} ({operations} operations)"),
                "ms",
            );
            row.ours = Stats::of(&runs.iter().map(|run| run.ms[stage]).collect::<Vec<_>>());
            row.note = format!("{:.0}% of the in-process total", 100.0 * medians[stage] / whole);
            row.print();
        }
        let mut row = Row::new(
            SECTION,
            &format!("stage-{label}-total"),
            &format!("all stages, in-process, {label} ({operations} operations)"),
            "ms",
        );
        row.ours = Stats::of(&totals);
        row.note = format!("medians: {}", breakdown.join(", "));
        row.print();
    }
    Ok(())
}

/// Row e: peak memory against progenitor on the subset, and ours on the
/// document at 1×, 2×, 4× and 8× its operations.
fn memory_rows(bench: &Bench) -> Result<(), String> {
    let Some(upstream) = &bench.upstream else {
        Row::skipped(SECTION, "rss-subset", "peak memory, Clerk subset, vs progenitor", "MiB", NO_UPSTREAM).print();
        Row::skipped(SECTION, "scale", "scaling with operations", "ms", NO_UPSTREAM).print();
        return Ok(());
    };
    if !Path::new(measure::TIME).is_file() {
        let why = format!("{} (GNU time) is not here", measure::TIME);
        Row::skipped(SECTION, "rss-subset", "peak memory, Clerk subset, vs progenitor", "MiB", &why).print();
        Row::skipped(SECTION, "scale", "scaling with operations", "ms", &why).print();
        return Ok(());
    }
    let subset = clerk_subset(bench, upstream)?;
    let (ours, theirs) = measure::paired(
        1,
        bench.n(5, 3),
        || bench.ours_peak(&subset.path, true, "rss-ours"),
        || bench.theirs_peak(&subset.path, "rss-progenitor"),
    )?;
    let mut row = Row::new(
        SECTION,
        "rss-subset",
        &format!("peak memory (max RSS), {} Clerk operations, vs progenitor", subset.operations),
        "MiB",
    );
    row.ours = rss_mib(&ours);
    row.theirs = rss_mib(&theirs);
    row.target = Some(0.5);
    row.note = "max RSS of the whole process (GNU time's %M), from runs apart from the timing runs".to_owned();
    row.print();

    let document = subset::read(upstream)?;
    let base = subset::operation_ids(&document).len();
    let mut per_size = Vec::new();
    // What each size wrote: a cost per operation that grows with size shows up here first.
    let mut sizes = Vec::new();
    for factor in [1, 2, 4, 8] {
        let path = bench.work.join(format!("clerk-x{factor}.yaml"));
        subset::write(&path, &scale::multiply(&document, factor))?;
        let runs = measure::repeated(usize::from(factor == 1), bench.n(3, 1), || {
            bench.ours_peak(&path, true, &format!("scale-x{factor}"))
        })?;
        let written = rust_sources(&bench.work.join("out").join(format!("scale-x{factor}")))?;
        let conversions =
            written.iter().flat_map(|source| source.lines()).filter(|line| line.starts_with("impl From<")).count();
        let bytes: usize = written.iter().map(String::len).sum();
        sizes.push(format!("×{factor}: {} KiB of Rust, {conversions} `impl From`", bytes / 1024));
        per_size.push((factor, base * factor, median(wall(&runs)), median(cpu(&runs)), median(rss_mib(&runs)), runs));
    }
    let (_, ops1, _, cpu1, rss1, _) = per_size[0];
    for (factor, ops, wall_ms, cpu_ms, rss, runs) in &per_size {
        let ratio = |value: f64, first: f64| value / *ops as f64 / (first / ops1 as f64);
        let mut time = Row::new(
            SECTION,
            &format!("scale-time-x{factor}"),
            &format!("ours, whole document ×{factor} ({ops} operations), time"),
            "ms",
        );
        time.ours = wall(runs);
        time.note = format!(
            "{:.2} ms/op wall, {:.2} ms/op CPU; CPU per op is {:.2}× that at ×1",
            wall_ms / *ops as f64,
            cpu_ms / *ops as f64,
            ratio(*cpu_ms, cpu1)
        );
        time.print();
        let mut memory = Row::new(
            SECTION,
            &format!("scale-rss-x{factor}"),
            &format!("ours, whole document ×{factor} ({ops} operations), peak memory"),
            "MiB",
        );
        memory.ours = rss_mib(runs);
        memory.note = format!("{:.0} KiB/op; per op {:.2}× that at ×1", rss * 1024.0 / *ops as f64, ratio(*rss, rss1));
        memory.print();
    }
    // Linear means a constant cost per added operation: compare the
    // increments between successive sizes (the fixed cost of a process drops out).
    let marginal: Vec<(f64, f64)> = per_size
        .windows(2)
        .map(|pair| {
            let (a, b) = (&pair[0], &pair[1]);
            let added = (b.1 - a.1) as f64;
            ((b.3 - a.3) / added, (b.4 - a.4) * 1024.0 / added)
        })
        .collect();
    let increments: Vec<String> = per_size
        .windows(2)
        .zip(&marginal)
        .map(|(pair, (cpu_ms, kib))| format!("×{}→×{}: +{cpu_ms:.2} ms CPU/op, +{kib:.0} KiB/op", pair[0].0, pair[1].0))
        .collect();
    // Within a quarter of the first increment at the last counts as linear.
    let growth = |pick: fn(&(f64, f64)) -> f64| match (marginal.first(), marginal.last()) {
        (Some(first), Some(last)) => pick(last) / pick(first),
        _ => f64::NAN,
    };
    let (cpu_growth, rss_growth) = (growth(|m| m.0), growth(|m| m.1));
    let verdict = |growth: f64| if growth <= 1.25 { "linear" } else { "NOT linear" };
    let mut row = Row::new(
        SECTION,
        "scale-linearity",
        "ours, cost per added operation between sizes (whole document ×1…×8; ours = sizes measured)",
        "count",
    );
    row.ours = Stats::of(&[per_size.len() as f64]);
    row.note = format!(
        "time {} (the last increment per op is {cpu_growth:.2}× the first), memory {} ({rss_growth:.2}×); increments: {}. Output: {}. (The copies are structurally identical to the original, so at ×2 and ×4 every type has one or three twins and converts `From` each of them both ways; at ×8 it has seven, over codegen/src/conversions.rs's cap of three, and converts to none: hence the count of `impl From` does not grow with the operations.)",
        verdict(cpu_growth),
        verdict(rss_growth),
        increments.join("; "),
        sizes.join("; ")
    );
    row.print();
    Ok(())
}

/// Why the rebuild rows miss, and what was tried: measured on the slice crate
/// (`RUSTC_BOOTSTRAP=1 cargo rustc -- -Ztime-passes`, `CARGO_INCREMENTAL=0`).
const REBUILD_PLAN: &str = "the runtime's macros cut the text, not what rustc compiles. With -Ztime-passes on the \
slice crate, rustc itself takes 0.58 s against progenitor's 0.55 s (type check 0.17 vs 0.19, borrow check 0.21 vs \
0.16, coherence 0.07 vs 0.12); the rest of the gap is cargo's own work on a larger lock file and a path dependency \
(a build with nothing to do: 94 against 74 ms). The serde derives are alike (11 types both ways against 12). Two \
levers were measured and not taken: deriving `Serialize` only on request types and `Deserialize` only on responses \
(-17% here) would take `Serialize` from every response model, which users need to hand a model on (to their own \
JSON API, a cache, a log), so the default would get worse to make a row better; and returning the runtime's generic \
future from `send` instead of an `async fn` per call builder left the rebuild unchanged (693 against 695 ms). What \
is left is the borrow check of each call's own code (its checks and request); the next step is a profile per item \
(-Zself-profile) rather than another guess";

/// Why the crate-plus-binary rows miss.
const USERS_PLAN: &str = "the generated crate is as in `rebuild-*` (see there); the binary's share is now at par: \
the bodies of async calls are compiled in the program that polls them, and since the path of a decode failure is \
read off the body rather than through serde_path_to_error, a program calling the 243 operations compiles 23,275 \
functions against progenitor's 24,126 (41,918 before). What is left is the generated crate's own front end (its \
borrow check) and, incremental, its 47 modules against progenitor's one file";

/// Row f: rebuilding the generated crate after touching its sources, ours
/// against progenitor's, incremental (cargo's default) and not.
fn rebuild_rows(bench: &Bench) -> Result<(), String> {
    let dir = bench.work.with_file_name("rebuild");
    let slice = bench.slice();
    let ours = rebuild::ours(&bench.root, &slice, &dir.join("ours"))?;
    let lock = bench.root.join("tools/bench/codegen-bench/peer-client.lock");
    let theirs = rebuild::progenitor(&slice, &dir.join("progenitor"), &lock)?;
    for (incremental, row, title) in [
        (
            true,
            "rebuild-incremental",
            "rebuild of the generated slice crate after touching its sources, vs progenitor's (incremental)",
        ),
        (
            false,
            "rebuild-non-incremental",
            "rebuild of the generated slice crate after touching its sources, vs progenitor's (CARGO_INCREMENTAL=0)",
        ),
    ] {
        eprintln!("codegen-bench: building both crates once ({row})");
        ours.build(incremental)?;
        theirs.build(incremental)?;
        let (a, b) = measure::paired(1, bench.n(8, 3), || ours.rebuild(incremental), || theirs.rebuild(incremental))?;
        let mut result = Row::new(SECTION, row, title, "ms");
        result.ours = Stats::of(&a);
        result.theirs = Stats::of(&b);
        result.target = Some(1.0);
        result.plan = REBUILD_PLAN;
        result.note = format!(
            "`cargo build` (dev profile) after setting the mtime of every generated .rs file; each crate a workspace of its own with its own target dir under target/bench/rebuild; sources rebuilt: ours {}, progenitor's {}",
            source_size(&ours.dir)?,
            source_size(&theirs.dir)?
        );
        result.print();
    }
    features_row(bench, &ours)
}

/// Clerk's whole crate (`--all-tags`) with only the `organization_invitations`
/// group's feature, rebuilt after a touch like the slice crate `slice` is:
/// the cost of a user who needs one group of the whole API.
fn features_row(bench: &Bench, slice: &rebuild::Workspace) -> Result<(), String> {
    let title = "rebuild of Clerk's whole crate with only the organization_invitations feature, vs the slice crate \
(CARGO_INCREMENTAL=0)";
    let Some(upstream) = &bench.upstream else {
        Row::skipped(SECTION, "features-one-group", title, "ms", NO_UPSTREAM).print();
        return Ok(());
    };
    let dir = bench.work.with_file_name("rebuild").join("whole");
    let every = codegen::Selection { tag: None, operation_ids: Vec::new() };
    let mut whole = rebuild::ours_for(&bench.root, upstream, &dir, every)?;
    whole.features = Some("rustls-tls,organization_invitations".to_owned());
    eprintln!("codegen-bench: building the whole crate with one group's feature once");
    whole.build(false)?;
    slice.build(false)?;
    let (a, b) = measure::paired(1, bench.n(8, 3), || whole.rebuild(false), || slice.rebuild(false))?;
    let mut row = Row::new(SECTION, "features-one-group", title, "ms");
    row.ours = Stats::of(&a);
    row.theirs = Stats::of(&b);
    row.target = Some(1.3);
    row.plan = "a model sits behind the features of the groups that reach it; what is left on is what every group, or \
the error model, reaches";
    row.note = format!(
        "2026-05-12.yml --all-tags built with `--no-default-features --features rustls-tls,organization_invitations`; \
its sources {}; the slice's {}",
        source_size(&whole.dir)?,
        source_size(&slice.dir)?
    );
    row.print();
    Ok(())
}

/// What users pay: the generated crate built with a user binary that calls
/// every operation (slice and subset), a one-call program built cold, and
/// that program rebuilt after its user touches only their own `main.rs`.
fn user_rows(bench: &Bench) -> Result<(), String> {
    let dir = bench.work.with_file_name("users");
    let lock = bench.root.join("tools/bench/codegen-bench/peer-client.lock");
    let slice = bench.slice();
    let invitations = codegen::Selection::default();
    let ours = users::ours(&bench.root, &slice, &dir.join("slice-ours"), invitations.clone(), users::Calls::Every)?;
    let theirs = users::progenitor(&slice, &dir.join("slice-progenitor"), &lock, users::Calls::Every)?;
    every_call_rows(bench, "slice", "the invitations slice (7 operations)", &ours, &theirs, 8)?;

    match bench
        .upstream
        .as_deref()
        .ok_or_else(|| NO_UPSTREAM.to_owned())
        .and_then(|upstream| clerk_subset(bench, upstream))
    {
        Ok(subset) => {
            let every = codegen::Selection { tag: None, operation_ids: Vec::new() };
            let ours = users::ours(&bench.root, &subset.path, &dir.join("subset-ours"), every, users::Calls::Every)?;
            let theirs = users::progenitor(&subset.path, &dir.join("subset-progenitor"), &lock, users::Calls::Every)?;
            let what = format!("{} Clerk operations both accept", subset.operations);
            every_call_rows(bench, "subset", &what, &ours, &theirs, 3)?;
        }
        Err(error) => eprintln!("codegen-bench: no subset rows: {error}"),
    }

    let ours = users::ours(&bench.root, &slice, &dir.join("one-ours"), invitations, users::Calls::OneGet)?;
    let theirs = users::progenitor(&slice, &dir.join("one-progenitor"), &lock, users::Calls::OneGet)?;
    eprintln!("codegen-bench: building both one-call programs once");
    ours.build(true)?;
    theirs.build(true)?;
    let (a, b) = measure::paired(1, bench.n(8, 3), || ours.rebuild_user(true), || theirs.rebuild_user(true))?;
    let mut row = Row::new(
        SECTION,
        "users-edit-loop",
        "a one-call user program rebuilt after touching only its own main.rs, vs the same with progenitor's (incremental)",
        "ms",
    );
    row.ours = Stats::of(&a);
    row.theirs = Stats::of(&b);
    row.target = Some(1.0);
    row.plan = "the user's own crate is one function, so the time is mostly linking, and ours links a larger \
binary (see the note): the runtime's own code (retries, deadlines, the body cap, the span, error decoding). What the \
user's crate compiles is already at par: the bodies of async calls are compiled where they are polled, and with \
the decode failure's path read off the body instead of through serde_path_to_error, a program calling the 243 \
operations compiles 23,275 functions against progenitor's 24,126 (41,918 before). Next: a smaller runtime binary \
(fewer monomorphised futures in the retry loop)";
    row.note = format!("debug binaries: ours {}, progenitor's {}", binary_size(&ours)?, binary_size(&theirs)?);
    row.print();

    eprintln!("codegen-bench: cold builds of the one-call programs");
    let (a, b) = measure::paired(0, bench.n(3, 1), || ours.cold_build(), || theirs.cold_build())?;
    let mut row = Row::new(
        SECTION,
        "users-cold-one-call",
        "a one-call user program built from an empty target folder, dependencies included, vs the same with \
progenitor's (both with native-tls)",
        "ms",
    );
    row.ours = Stats::of(&a);
    row.theirs = Stats::of(&b);
    row.target = Some(1.0);
    let (ours_crates, theirs_crates) = (crate_names(&ours)?, crate_names(&theirs)?);
    let only = |these: &[String], those: &[String]| {
        let names: Vec<&str> = these.iter().filter(|name| !those.contains(name)).map(String::as_str).collect();
        if names.is_empty() {
            "none".to_owned()
        } else {
            names.join(", ")
        }
    };
    row.plan = "the crates only ours compiles are the runtime's (see the note, and the runtime's README for what \
each buys); the rest is the runtime's own code and the serde derives of the generated types";
    row.note = format!(
        "`cargo build` (dev profile, incremental) after removing the target folder; crates compiled: ours {}, \
progenitor's {}; only ours: {}; only progenitor's: {}",
        ours_crates.len(),
        theirs_crates.len(),
        only(&ours_crates, &theirs_crates),
        only(&theirs_crates, &ours_crates)
    );
    row.print();
    Ok(())
}

/// The rows of one crate built with a user binary calling every operation:
/// after touching every source of both (crate and binary), incremental and not.
fn every_call_rows(
    bench: &Bench,
    key: &str,
    what: &str,
    ours: &rebuild::Workspace,
    theirs: &rebuild::Workspace,
    samples: usize,
) -> Result<(), String> {
    for incremental in [true, false] {
        let mode = if incremental { "incremental" } else { "CARGO_INCREMENTAL=0" };
        let row = format!("users-{key}-{}", if incremental { "incremental" } else { "non-incremental" });
        eprintln!("codegen-bench: building both once ({row})");
        ours.build(incremental)?;
        theirs.build(incremental)?;
        let (a, b) =
            measure::paired(0, bench.n(samples, 1), || ours.rebuild(incremental), || theirs.rebuild(incremental))?;
        let title = format!(
            "{what}: the generated crate plus a user binary calling every operation, rebuilt after touching both, vs \
progenitor's ({mode})"
        );
        let mut result = Row::new(SECTION, &row, &title, "ms");
        result.ours = Stats::of(&a);
        result.theirs = Stats::of(&b);
        result.target = Some(1.0);
        result.plan = USERS_PLAN;
        result.note = format!(
            "dependencies built first; `cargo build` (dev profile) after setting the mtime of every .rs file of the \
workspace; the binary calls each operation with its required arguments (ours: the builder's setters, then `send`; \
progenitor's: every positional argument) and polls each future once; sources: ours {}, progenitor's {}",
            source_size(&ours.dir)?,
            source_size(&theirs.dir)?
        );
        result.print();
    }
    Ok(())
}

/// The size of the user's debug binary.
fn binary_size(workspace: &rebuild::Workspace) -> Result<String, String> {
    let path = workspace.target.join("debug/user");
    let bytes = std::fs::metadata(&path).map_err(|error| format!("{}: {error}", path.display()))?.len();
    Ok(format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0)))
}

/// The crates the last build compiled: the `.rlib`/`.rmeta` files' crate
/// names under `target/debug/deps`, build scripts apart.
fn crate_names(workspace: &rebuild::Workspace) -> Result<Vec<String>, String> {
    let deps = workspace.target.join("debug/deps");
    let entries = std::fs::read_dir(&deps).map_err(|error| format!("{}: {error}", deps.display()))?;
    let mut names: Vec<String> = entries
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            let stem = name.strip_suffix(".rlib").or_else(|| name.strip_suffix(".rmeta"))?;
            Some(stem.trim_start_matches("lib").rsplit_once('-').map_or(stem, |(name, _)| name).to_owned())
        })
        .collect();
    names.sort();
    names.dedup();
    Ok(names)
}
