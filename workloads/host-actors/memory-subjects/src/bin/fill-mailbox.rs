//! `fill-mailbox --runtime R --messages M [--message-bytes B] [--capacity C] [--hold-ms MS] [--stop true|false]`
//!
//! One actor whose mailbox holds M queued messages: the actor is spawned but paused (it waits on a gate before
//! it receives), the main thread queues M messages with `try_send`, prints
//! `litlab-memory {"runtime":…,"messages":M,"message_bytes":B,"capacity":C,"phase":"holding"}`, holds, then opens
//! the gate, lets the actor drain (checking it got all M) and exits 0. A sweep over M gives the per-message
//! mailbox overhead as the slope.
//!
//! A message is `Msg { seq: u64, payload: Vec<u8> }` (32 B inline); `B` bytes of payload (default 0: no heap
//! allocation per message) add one heap block each. The mailbox capacity defaults to M (at least 1) so every
//! message fits; `std::sync::mpsc::sync_channel` and `async-channel` allocate all C slots up front, Tokio's mpsc
//! grows in blocks of 32 slots as messages arrive.

use memory_subjects::*;

const USAGE: &str = "--runtime tokio_single|tokio_multi|futures_lite|std_thread --messages M [--message-bytes B] [--capacity C] [--hold-ms MS] [--stop true|false]";

struct Opts {
    rt: Runtime,
    m: usize,
    bytes: usize,
    cap: usize,
    hold_ms: u64,
    stop: bool,
}

fn main() {
    let a = Args::parse("fill-mailbox", USAGE, &["runtime", "messages", "message-bytes", "capacity", "hold-ms", "stop"]);
    let m = a.number("messages", None) as usize;
    let o = Opts {
        rt: a.runtime(),
        m,
        bytes: a.number("message-bytes", Some(0)) as usize,
        cap: a.number("capacity", Some(m.max(1) as u64)) as usize,
        hold_ms: a.number("hold-ms", Some(200)),
        stop: a.values_or_true("stop"),
    };
    if o.cap < o.m.max(1) {
        a.fail(&format!("--capacity {} cannot queue {} messages", o.cap, o.m));
    }
    let handled = match o.rt {
        Runtime::TokioSingle | Runtime::TokioMulti => on_tokio(&o),
        Runtime::FuturesLite => on_executor(&o),
        Runtime::StdThread => on_thread(&o),
    };
    assert_eq!(handled, o.m as u64, "the actor handles every queued message");
    emit(&[("runtime", J::S(o.rt.label())), ("messages", J::N(o.m as u64)), ("phase", J::S("stopped"))]);
}

fn holding(o: &Opts) {
    emit(&[
        ("runtime", J::S(o.rt.label())),
        ("messages", J::N(o.m as u64)),
        ("message_bytes", J::N(o.bytes as u64)),
        ("capacity", J::N(o.cap as u64)),
        ("phase", J::S("holding")),
    ]);
    hold(o.hold_ms);
    if !o.stop {
        exit_now();
    }
}

fn on_tokio(o: &Opts) -> u64 {
    let runtime = tokio_runtime(o.rt);
    let (gate_tx, gate_rx) = async_channel::bounded::<()>(1);
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Msg>(o.cap);
    let actor = runtime.spawn(async move {
        let _ = gate_rx.recv().await;
        let mut c = Counter::default();
        while let Some(m) = rx.recv().await {
            c.handle(m.seq);
        }
        c.handled
    });
    for i in 0..o.m {
        tx.try_send(Msg::new(i as u64, o.bytes)).unwrap_or_else(|_| panic!("mailbox has room for message {i}"));
    }
    holding(o);
    drop(gate_tx);
    drop(tx);
    runtime.block_on(actor).expect("actor task")
}

fn on_executor(o: &Opts) -> u64 {
    let ex = async_executor::Executor::new();
    let (gate_tx, gate_rx) = async_channel::bounded::<()>(1);
    let (tx, rx) = async_channel::bounded::<Msg>(o.cap);
    let actor = ex.spawn(async move {
        let _ = gate_rx.recv().await;
        let mut c = Counter::default();
        while let Ok(m) = rx.recv().await {
            c.handle(m.seq);
        }
        c.handled
    });
    for i in 0..o.m {
        tx.try_send(Msg::new(i as u64, o.bytes)).unwrap_or_else(|_| panic!("mailbox has room for message {i}"));
    }
    holding(o);
    drop(gate_tx);
    drop(tx);
    futures_lite::future::block_on(ex.run(actor))
}

fn on_thread(o: &Opts) -> u64 {
    let (gate_tx, gate_rx) = std::sync::mpsc::sync_channel::<()>(1);
    let (tx, rx) = std::sync::mpsc::sync_channel::<Msg>(o.cap);
    let actor = spawn_thread(DEFAULT_STACK_KB, 0, move || {
        let _ = gate_rx.recv();
        let mut c = Counter::default();
        for m in rx {
            c.handle(m.seq);
        }
        c.handled
    });
    for i in 0..o.m {
        tx.try_send(Msg::new(i as u64, o.bytes)).unwrap_or_else(|_| panic!("mailbox has room for message {i}"));
    }
    holding(o);
    drop(gate_tx);
    drop(tx);
    actor.join().expect("actor thread")
}
