//! Shared pieces of the memory subject programs: argument parsing, the `litlab-memory` output line, runtime
//! construction. The actors themselves have host-actors' shape: a task (or OS thread) that owns a bounded
//! mailbox and runs [`host_actors::Counter::handle`] per message.
//!
//! Every program prints its progress as `litlab-memory {json}` lines on stdout, one object per line, so a capture
//! tool can tell the phases apart (e.g. sample RSS only while `"phase":"holding"`).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write as _;
use std::process;
use std::time::Duration;

pub use host_actors::{Counter, Runtime};

/// Parses a runtime id (the Criterion function ids of host-actors-bench).
pub fn parse_runtime(s: &str) -> Option<Runtime> {
    Runtime::ALL.iter().copied().find(|r| r.label() == s)
}

/// A message with a heap payload, so queued/handled messages can have any size. `payload` is empty (no heap
/// allocation) when the size is 0.
#[derive(Debug)]
pub struct Msg {
    pub seq: u64,
    pub payload: Vec<u8>,
}

impl Msg {
    pub fn new(seq: u64, bytes: usize) -> Self {
        // vec![x; n] with a non-zero byte touches every page, so the payload is resident, not just reserved.
        Msg { seq, payload: if bytes == 0 { Vec::new() } else { vec![(seq & 0xff) as u8 | 1; bytes] } }
    }
}

/// `--name value` arguments; every program takes only such pairs (and `--help`).
pub struct Args {
    program: &'static str,
    usage: &'static str,
    values: BTreeMap<String, String>,
}

impl Args {
    /// Reads `std::env::args`, exiting 2 with the usage on a malformed command line or an unknown option.
    pub fn parse(program: &'static str, usage: &'static str, known: &[&str]) -> Args {
        let mut values = BTreeMap::new();
        let mut it = std::env::args().skip(1);
        while let Some(a) = it.next() {
            if a == "--help" || a == "-h" {
                println!("usage: {program} {usage}");
                process::exit(0);
            }
            let Some(name) = a.strip_prefix("--") else { usage_error(program, usage, &format!("unexpected argument '{a}'")) };
            if !known.contains(&name) {
                usage_error(program, usage, &format!("unknown option '--{name}'"));
            }
            let Some(v) = it.next() else { usage_error(program, usage, &format!("--{name} needs a value")) };
            values.insert(name.to_string(), v);
        }
        Args { program, usage, values }
    }

    pub fn fail(&self, problem: &str) -> ! {
        usage_error(self.program, self.usage, problem)
    }

    pub fn runtime(&self) -> Runtime {
        let Some(s) = self.values.get("runtime") else { self.fail("--runtime is required") };
        parse_runtime(s).unwrap_or_else(|| self.fail(&format!("unknown runtime '{s}' (tokio_single|tokio_multi|futures_lite|std_thread)")))
    }

    /// A non-negative integer option; `default` None makes it required.
    pub fn number(&self, name: &str, default: Option<u64>) -> u64 {
        match self.values.get(name) {
            Some(s) => s.replace('_', "").parse::<u64>().unwrap_or_else(|_| self.fail(&format!("--{name} must be a non-negative integer, got '{s}'"))),
            None => default.unwrap_or_else(|| self.fail(&format!("--{name} is required"))),
        }
    }

    /// A true|false option that defaults to true (`--stop`).
    pub fn values_or_true(&self, name: &str) -> bool {
        match self.values.get(name).map(String::as_str) {
            None | Some("true") | Some("1") | Some("yes") => true,
            Some("false") | Some("0") | Some("no") => false,
            Some(other) => self.fail(&format!("--{name} takes true|false, got '{other}'")),
        }
    }

    pub fn flag(&self, name: &str) -> bool {
        match self.values.get(name).map(String::as_str) {
            None | Some("false") | Some("0") | Some("no") => false,
            Some("true") | Some("1") | Some("yes") => true,
            Some(other) => self.fail(&format!("--{name} takes true|false, got '{other}'")),
        }
    }
}

fn usage_error(program: &str, usage: &str, problem: &str) -> ! {
    eprintln!("{program}: {problem}\nusage: {program} {usage}");
    process::exit(2);
}

/// One JSON value for [`emit`]; numbers and strings are all the programs print.
pub enum J<'a> {
    S(&'a str),
    N(u64),
}

/// Prints `litlab-memory {"k":v,...}` and flushes, so a reader sees the line before the phase it announces ends.
pub fn emit(fields: &[(&str, J)]) {
    let mut line = String::from("litlab-memory {");
    for (i, (k, v)) in fields.iter().enumerate() {
        if i > 0 {
            line.push(',');
        }
        match v {
            // Keys and string values are program-chosen identifiers (runtime ids, phase names): no escaping needed.
            J::S(s) => write!(line, "\"{k}\":\"{s}\"").unwrap(),
            J::N(n) => write!(line, "\"{k}\":{n}").unwrap(),
        }
    }
    line.push('}');
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}

/// The Tokio runtime for `tokio_single` / `tokio_multi` (multi: Tokio's default worker count, one per core, as in
/// host-actors-bench). Panics on the other runtimes: callers dispatch first.
pub fn tokio_runtime(rt: Runtime) -> tokio::runtime::Runtime {
    let mut b = match rt {
        Runtime::TokioSingle => tokio::runtime::Builder::new_current_thread(),
        Runtime::TokioMulti => tokio::runtime::Builder::new_multi_thread(),
        _ => unreachable!("not a tokio runtime"),
    };
    b.build().expect("build tokio runtime")
}

/// Stack size for `std_thread` actors. Rust's default is 2 MiB of address space per thread; 64 KiB keeps
/// 10 000 idle threads within a small address space (only touched pages become resident either way) and is
/// plenty for an actor loop that only receives and adds. Override with `--stack-kb`.
pub const DEFAULT_STACK_KB: u64 = 64;

/// Spawns an actor thread with the given stack size; on failure (thread limits: `ulimit -u`,
/// `/proc/sys/kernel/threads-max`, `vm.max_map_count`) exits 1 naming how many threads were running.
pub fn spawn_thread<T: Send + 'static>(stack_kb: u64, started: usize, f: impl FnOnce() -> T + Send + 'static) -> std::thread::JoinHandle<T> {
    std::thread::Builder::new()
        .stack_size((stack_kb as usize) * 1024)
        .spawn(f)
        .unwrap_or_else(|e| {
            eprintln!("could not start OS thread number {} ({e}); lower --actors, raise `ulimit -u` or try a smaller --stack-kb", started + 1);
            process::exit(1);
        })
}

pub fn hold(ms: u64) {
    std::thread::sleep(Duration::from_millis(ms));
}

/// xorshift64*: deterministic message sizes and spawn/stop decisions without a crate.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.max(1))
    }
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    /// Uniform-ish in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Exits the process right away (without dropping actors) after flushing stdout: used by `--stop false`, so
/// at-exit profilers such as jemalloc's `stats_print` see the actors still allocated. libc `exit` still runs
/// atexit handlers.
pub fn exit_now() -> ! {
    let _ = std::io::stdout().flush();
    process::exit(0);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runtimes_parse_by_their_ids() {
        assert_eq!(parse_runtime("tokio_single"), Some(Runtime::TokioSingle));
        assert_eq!(parse_runtime("std_thread"), Some(Runtime::StdThread));
        assert_eq!(parse_runtime("embassy"), None);
    }

    #[test]
    fn rng_is_deterministic_and_bounded() {
        let (mut a, mut b) = (Rng::new(7), Rng::new(7));
        for _ in 0..100 {
            let x = a.below(10);
            assert_eq!(x, b.below(10));
            assert!(x < 10);
        }
    }
}
