//! Instruction counts with `valgrind --tool=callgrind`. The bench runs itself
//! again under valgrind as a client only (`--callgrind-child`), against the
//! server of the parent process, so the server's instructions are not
//! counted. Each child makes one call to connect, then `K` calls (or decodes
//! the page `K` times, without a server); two values
//! of `K` cancel set-up: per call = (I(K2) − I(K1)) / (K2 − K1).

use std::path::{Path, PathBuf};
use std::process::Command;

use std::hint::black_box;

use clerk_invitations::OrganizationInvitations;

use crate::clients::{Call, Clients, Side};
use crate::{fixtures, plain};

pub const VALGRIND: &str = "/usr/bin/valgrind";

/// Whether valgrind can be run here.
pub fn available() -> bool {
    Command::new(VALGRIND).arg("--version").output().is_ok_and(|output| output.status.success())
}

/// What a child measures: calls through a client, or decoding the page.
#[derive(Debug, Clone, Copy)]
pub enum Work {
    Call(Call),
    /// `serde_json::from_slice` of the 500-item page: the generated list type
    /// (ours) or the plain structs (theirs); no server involved.
    Decode,
}

impl Work {
    fn name(self) -> &'static str {
        match self {
            Work::Call(call) => call.name(),
            Work::Decode => "decode",
        }
    }
}

/// The child's side: `--callgrind-child <ours|theirs> <get|list|decode> <port> <K>`.
pub fn child(args: &[String]) {
    let usage = "usage: client-bench --callgrind-child <ours|theirs> <get|list|decode> <port> <K>";
    let [side, work, port, count] = args else { panic!("{usage}") };
    let side = Side::parse(side).expect(usage);
    let port: u16 = port.parse().expect(usage);
    let count: usize = count.parse().expect(usage);
    if work == "decode" {
        let body = fixtures::list_body();
        for _ in 0..count {
            match side {
                Side::Ours => drop(black_box(
                    serde_json::from_slice::<OrganizationInvitations>(black_box(&body)).expect("ours decodes"),
                )),
                Side::Theirs => {
                    drop(black_box(serde_json::from_slice::<plain::Page>(black_box(&body)).expect("plain decodes")))
                }
            }
        }
        return;
    }
    let call = Call::parse(work).expect(usage);
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
    runtime.block_on(async {
        let clients = Clients::new(port);
        // Connects (and warms the pool) outside the K calls.
        clients.call(side, call).await;
        clients.calls(side, call, count).await;
    });
}

/// Runs the child under callgrind for `count` repetitions of `work`; returns
/// the total instructions (`Ir`) it executed.
pub fn instructions(dir: &Path, port: u16, side: Side, work: Work, count: usize, run: usize) -> u64 {
    let out: PathBuf = dir.join(format!("callgrind.{}.{}.{count}.{run}.out", side.name(), work.name()));
    let exe = std::env::current_exe().expect("the bench's own path");
    let status = Command::new(VALGRIND)
        .arg("--tool=callgrind")
        .arg(format!("--callgrind-out-file={}", out.display()))
        .arg(exe)
        .args(["--callgrind-child", side.name(), work.name(), &port.to_string(), &count.to_string()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .expect("valgrind runs");
    assert!(status.success(), "callgrind child {side:?} {work:?} K={count} failed: {status}");
    let text = std::fs::read_to_string(&out).expect("callgrind's output file");
    total(&text).unwrap_or_else(|| panic!("no `summary:`/`totals:` line in {}", out.display()))
}

/// The total of the first event (`Ir`) from a callgrind output file.
fn total(text: &str) -> Option<u64> {
    let line = text
        .lines()
        .find(|line| line.starts_with("summary:"))
        .or_else(|| text.lines().find(|line| line.starts_with("totals:")))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_total_is_read_from_the_summary_line() {
        let text = "events: Ir\nfl=(1) a.rs\nfn=(1) main\n3 10\n\nsummary: 123456\ntotals: 123456\n";
        assert_eq!(super::total(text), Some(123_456));
        assert_eq!(super::total("events: Ir\n"), None);
    }
}
