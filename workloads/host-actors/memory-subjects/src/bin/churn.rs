//! `churn --runtime R --seconds S [--max-message-bytes B] [--max-actors K] [--seed X]`
//!
//! For S seconds, repeatedly spawns actors (mailbox capacity 1–64, picked at random), sends them 1–8 messages
//! with payloads of 1..=B bytes (default 4096) and stops random live actors (close the mailbox, join). Each actor
//! keeps the payload of the last message it handled, so the live heap holds blocks of many sizes interleaved with
//! freed ones: the pattern that fragments an allocator. At most K actors (default 256) live at once.
//! Every 100 ms it prints `litlab-memory {"t_ms":…,"live_actors":…,"spawned":…,"stopped":…,"messages":…}`, for
//! heap-growth-over-time analysis; at the end every actor is stopped and it prints `"phase":"done"`.
//! The sequence of decisions is deterministic for a seed (default 1); how many steps fit in S seconds is not.

use memory_subjects::*;
use std::time::{Duration, Instant};

const USAGE: &str = "--runtime tokio_single|tokio_multi|futures_lite|std_thread --seconds S [--max-message-bytes B] [--max-actors K] [--seed X]";
const TICK: Duration = Duration::from_millis(100);

struct Opts {
    rt: Runtime,
    seconds: u64,
    max_bytes: u64,
    max_actors: usize,
    seed: u64,
}

/// The actor's state: the handler's counter plus the last payload it received (kept alive on purpose).
struct Keeper {
    c: Counter,
    last: Vec<u8>,
}

impl Keeper {
    fn new() -> Self {
        Keeper { c: Counter::default(), last: Vec::new() }
    }
    fn handle(&mut self, m: Msg) {
        self.c.handle(m.seq);
        self.last = m.payload;
    }
    fn handled(&self) -> u64 {
        // `last` is read so the optimiser cannot drop the payloads.
        self.c.handled + (self.last.len() as u64 & 0)
    }
}

/// The driver's bookkeeping, common to every runtime.
struct Churn {
    o: Opts,
    rng: Rng,
    start: Instant,
    next_tick: Duration,
    spawned: u64,
    stopped: u64,
    messages: u64,
    handled: u64,
}

/// What the driver does next.
enum Step {
    Spawn { capacity: usize, sizes: Vec<usize> },
    Stop(usize),
    Send { to: usize, bytes: usize },
}

impl Churn {
    fn new(o: Opts) -> Self {
        let rng = Rng::new(o.seed);
        Churn { o, rng, start: Instant::now(), next_tick: Duration::ZERO, spawned: 0, stopped: 0, messages: 0, handled: 0 }
    }

    fn size(&mut self) -> usize {
        (self.rng.below(self.o.max_bytes.max(1)) + 1) as usize
    }

    fn next(&mut self, live: usize) -> Step {
        let roll = self.rng.below(10);
        if live == 0 || (live < self.o.max_actors && roll < 4) {
            let capacity = (self.rng.below(64) + 1) as usize;
            let count = self.rng.below(8) + 1;
            let sizes = (0..count).map(|_| self.size()).collect::<Vec<_>>();
            self.spawned += 1;
            self.messages += count;
            Step::Spawn { capacity, sizes }
        } else if roll < 8 {
            self.stopped += 1;
            Step::Stop(self.rng.below(live as u64) as usize)
        } else {
            self.messages += 1;
            let to = self.rng.below(live as u64) as usize;
            Step::Send { to, bytes: self.size() }
        }
    }

    /// Prints the 100 ms sample when one is due; false once the time is up.
    fn tick(&mut self, live: usize) -> bool {
        let t = self.start.elapsed();
        if t >= self.next_tick {
            emit(&[
                ("runtime", J::S(self.o.rt.label())),
                ("t_ms", J::N(t.as_millis() as u64)),
                ("live_actors", J::N(live as u64)),
                ("spawned", J::N(self.spawned)),
                ("stopped", J::N(self.stopped)),
                ("messages", J::N(self.messages)),
            ]);
            self.next_tick += TICK;
        }
        t < Duration::from_secs(self.o.seconds)
    }

    fn done(&self) {
        emit(&[
            ("runtime", J::S(self.o.rt.label())),
            ("t_ms", J::N(self.start.elapsed().as_millis() as u64)),
            ("live_actors", J::N(0)),
            ("spawned", J::N(self.spawned)),
            ("stopped", J::N(self.spawned)),
            ("messages", J::N(self.messages)),
            ("handled", J::N(self.handled)),
            ("phase", J::S("done")),
        ]);
    }
}

fn main() {
    let a = Args::parse("churn", USAGE, &["runtime", "seconds", "max-message-bytes", "max-actors", "seed"]);
    let o = Opts {
        rt: a.runtime(),
        seconds: a.number("seconds", None),
        max_bytes: a.number("max-message-bytes", Some(4096)),
        max_actors: a.number("max-actors", Some(256)).max(1) as usize,
        seed: a.number("seed", Some(1)),
    };
    let mut ch = Churn::new(o);
    match ch.o.rt {
        Runtime::TokioSingle | Runtime::TokioMulti => on_tokio(&mut ch),
        Runtime::FuturesLite => on_executor(&mut ch),
        Runtime::StdThread => on_threads(&mut ch),
    }
    assert_eq!(ch.handled, ch.messages, "every message sent is handled");
    ch.done();
}

fn on_tokio(ch: &mut Churn) {
    let runtime = tokio_runtime(ch.o.rt);
    runtime.block_on(async {
        let mut live: Vec<(tokio::sync::mpsc::Sender<Msg>, tokio::task::JoinHandle<u64>)> = Vec::new();
        let mut seq = 0u64;
        while ch.tick(live.len()) {
            match ch.next(live.len()) {
                Step::Spawn { capacity, sizes } => {
                    let (tx, mut rx) = tokio::sync::mpsc::channel::<Msg>(capacity);
                    let h = tokio::spawn(async move {
                        let mut k = Keeper::new();
                        while let Some(m) = rx.recv().await {
                            k.handle(m);
                        }
                        k.handled()
                    });
                    for b in sizes {
                        seq += 1;
                        tx.send(Msg::new(seq, b)).await.expect("actor alive");
                    }
                    live.push((tx, h));
                }
                Step::Stop(i) => {
                    let (tx, h) = live.swap_remove(i);
                    drop(tx);
                    ch.handled += h.await.expect("actor task");
                }
                Step::Send { to, bytes } => {
                    seq += 1;
                    live[to].0.send(Msg::new(seq, bytes)).await.expect("actor alive");
                }
            }
            // Let the actors run between steps (on the current-thread runtime nothing else would).
            tokio::task::yield_now().await;
        }
        for (tx, h) in live {
            drop(tx);
            ch.handled += h.await.expect("actor task");
        }
    });
}

fn on_executor(ch: &mut Churn) {
    let ex = async_executor::Executor::new();
    futures_lite::future::block_on(ex.run(async {
        let mut live: Vec<(async_channel::Sender<Msg>, async_executor::Task<u64>)> = Vec::new();
        let mut seq = 0u64;
        while ch.tick(live.len()) {
            match ch.next(live.len()) {
                Step::Spawn { capacity, sizes } => {
                    let (tx, rx) = async_channel::bounded::<Msg>(capacity);
                    let t = ex.spawn(async move {
                        let mut k = Keeper::new();
                        while let Ok(m) = rx.recv().await {
                            k.handle(m);
                        }
                        k.handled()
                    });
                    for b in sizes {
                        seq += 1;
                        tx.send(Msg::new(seq, b)).await.expect("actor alive");
                    }
                    live.push((tx, t));
                }
                Step::Stop(i) => {
                    let (tx, t) = live.swap_remove(i);
                    drop(tx);
                    ch.handled += t.await;
                }
                Step::Send { to, bytes } => {
                    seq += 1;
                    live[to].0.send(Msg::new(seq, bytes)).await.expect("actor alive");
                }
            }
            futures_lite::future::yield_now().await;
        }
        for (tx, t) in live {
            drop(tx);
            ch.handled += t.await;
        }
    }));
}

fn on_threads(ch: &mut Churn) {
    let mut live: Vec<(std::sync::mpsc::SyncSender<Msg>, std::thread::JoinHandle<u64>)> = Vec::new();
    let mut seq = 0u64;
    while ch.tick(live.len()) {
        match ch.next(live.len()) {
            Step::Spawn { capacity, sizes } => {
                let (tx, rx) = std::sync::mpsc::sync_channel::<Msg>(capacity);
                let h = spawn_thread(DEFAULT_STACK_KB, live.len(), move || {
                    let mut k = Keeper::new();
                    for m in rx {
                        k.handle(m);
                    }
                    k.handled()
                });
                for b in sizes {
                    seq += 1;
                    tx.send(Msg::new(seq, b)).expect("actor alive");
                }
                live.push((tx, h));
            }
            Step::Stop(i) => {
                let (tx, h) = live.swap_remove(i);
                drop(tx);
                ch.handled += h.join().expect("actor thread");
            }
            Step::Send { to, bytes } => {
                seq += 1;
                live[to].0.send(Msg::new(seq, bytes)).expect("actor alive");
            }
        }
    }
    for (tx, h) in live {
        drop(tx);
        ch.handled += h.join().expect("actor thread");
    }
}
