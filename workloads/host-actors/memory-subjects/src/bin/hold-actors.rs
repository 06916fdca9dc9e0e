//! `hold-actors --runtime R --actors N [--capacity C] [--hold-ms MS] [--stop true|false] [--stack-kb K]`
//!
//! Spawns N idle actors (each a task or OS thread owning its bounded mailbox of capacity C, default 16 as in
//! lit-bit's `memory_per_actor` bench), waits until every one has started, prints
//! `litlab-memory {"runtime":…,"actors":N,"capacity":C,"phase":"holding"}`, holds MS ms (default 200), then
//! stops them all (closes the mailboxes, joins) and exits 0. A sweep over N gives bytes per actor as the slope.
//!
//! The main thread keeps each actor's sender and join handle (16 B per actor in two Vecs): a real system holds
//! an address per actor too, so that is counted as part of the actor.
//! `--stop false` exits right after the hold without stopping, so at-exit statistics (jemalloc's `stats_print`)
//! still see the actors allocated. `std_thread` actors get `--stack-kb` stacks (default 64 KiB, see
//! `DEFAULT_STACK_KB`); 10 000 of them need `ulimit -u` > 10 000 and about 20 000 memory maps.

use memory_subjects::*;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

const USAGE: &str = "--runtime tokio_single|tokio_multi|futures_lite|std_thread --actors N [--capacity C] [--hold-ms MS] [--stop true|false] [--stack-kb K]";

struct Opts {
    rt: Runtime,
    n: usize,
    cap: usize,
    hold_ms: u64,
    stop: bool,
    stack_kb: u64,
}

fn main() {
    let a = Args::parse("hold-actors", USAGE, &["runtime", "actors", "capacity", "hold-ms", "stop", "stack-kb"]);
    let o = Opts {
        rt: a.runtime(),
        n: a.number("actors", None) as usize,
        cap: a.number("capacity", Some(16)) as usize,
        hold_ms: a.number("hold-ms", Some(200)),
        stop: a.values_or_true("stop"),
        stack_kb: a.number("stack-kb", Some(DEFAULT_STACK_KB)),
    };
    if o.cap == 0 {
        a.fail("--capacity must be at least 1 (a bounded mailbox)");
    }
    let handled = match o.rt {
        Runtime::TokioSingle | Runtime::TokioMulti => on_tokio(&o),
        Runtime::FuturesLite => on_executor(&o),
        Runtime::StdThread => on_threads(&o),
    };
    // Idle actors handle nothing; a non-zero count would mean a message leaked in.
    assert_eq!(handled, 0);
    emit(&[("runtime", J::S(o.rt.label())), ("actors", J::N(o.n as u64)), ("phase", J::S("stopped"))]);
}

fn holding(o: &Opts) {
    emit(&[
        ("runtime", J::S(o.rt.label())),
        ("actors", J::N(o.n as u64)),
        ("capacity", J::N(o.cap as u64)),
        ("phase", J::S("holding")),
    ]);
    hold(o.hold_ms);
    if !o.stop {
        exit_now();
    }
}

/// Counts started actors; the last one to start wakes the main thread.
struct Ready {
    count: AtomicUsize,
    n: usize,
    all: async_channel::Sender<()>,
}

impl Ready {
    fn started(&self) {
        if self.count.fetch_add(1, Ordering::SeqCst) + 1 == self.n {
            let _ = self.all.try_send(());
        }
    }
}

fn ready(n: usize) -> (Arc<Ready>, async_channel::Receiver<()>) {
    let (all, all_rx) = async_channel::bounded(1);
    (Arc::new(Ready { count: AtomicUsize::new(0), n, all }), all_rx)
}

fn on_tokio(o: &Opts) -> u64 {
    let runtime = tokio_runtime(o.rt);
    let (ready, all_rx) = ready(o.n);
    let (senders, handles) = runtime.block_on(async {
        let mut senders = Vec::with_capacity(o.n);
        let mut handles = Vec::with_capacity(o.n);
        for _ in 0..o.n {
            let (tx, mut rx) = tokio::sync::mpsc::channel::<u64>(o.cap);
            let ready = ready.clone();
            handles.push(tokio::spawn(async move {
                ready.started();
                drop(ready);
                let mut c = Counter::default();
                while let Some(m) = rx.recv().await {
                    c.handle(m);
                }
                c.handled
            }));
            senders.push(tx);
        }
        if o.n > 0 {
            all_rx.recv().await.expect("every actor starts");
        }
        (senders, handles)
    });
    holding(o);
    runtime.block_on(async {
        drop(senders);
        let mut handled = 0;
        for h in handles {
            handled += h.await.expect("actor task");
        }
        handled
    })
}

fn on_executor(o: &Opts) -> u64 {
    let ex = async_executor::Executor::new();
    let (ready, all_rx) = ready(o.n);
    let (senders, tasks) = futures_lite::future::block_on(ex.run(async {
        let mut senders = Vec::with_capacity(o.n);
        let mut tasks = Vec::with_capacity(o.n);
        for _ in 0..o.n {
            let (tx, rx) = async_channel::bounded::<u64>(o.cap);
            let ready = ready.clone();
            tasks.push(ex.spawn(async move {
                ready.started();
                drop(ready);
                let mut c = Counter::default();
                while let Ok(m) = rx.recv().await {
                    c.handle(m);
                }
                c.handled
            }));
            senders.push(tx);
        }
        if o.n > 0 {
            all_rx.recv().await.expect("every actor starts");
        }
        (senders, tasks)
    }));
    holding(o);
    futures_lite::future::block_on(ex.run(async {
        drop(senders);
        let mut handled = 0;
        for t in tasks {
            handled += t.await;
        }
        handled
    }))
}

fn on_threads(o: &Opts) -> u64 {
    let (ready, all_rx) = ready(o.n);
    let mut senders = Vec::with_capacity(o.n);
    let mut threads = Vec::with_capacity(o.n);
    for i in 0..o.n {
        let (tx, rx) = std::sync::mpsc::sync_channel::<u64>(o.cap);
        let ready = ready.clone();
        threads.push(spawn_thread(o.stack_kb, i, move || {
            ready.started();
            drop(ready);
            let mut c = Counter::default();
            for m in rx {
                c.handle(m);
            }
            c.handled
        }));
        senders.push(tx);
    }
    if o.n > 0 {
        all_rx.recv_blocking().expect("every actor starts");
    }
    holding(o);
    drop(senders);
    threads.into_iter().map(|t| t.join().expect("actor thread")).sum()
}
