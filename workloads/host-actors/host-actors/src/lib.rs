//! A minimal actor: a task that owns a bounded mailbox and runs a handler per message.
//! The same actor runs on Tokio current-thread, Tokio multi-thread, futures-lite/async-executor
//! and a plain std thread, so a benchmark measures the runtime and its channel, nothing else.

use std::sync::mpsc as std_mpsc;
use std::thread;

/// The handler: what the actor does with one message. Kept trivial on purpose.
#[derive(Default)]
pub struct Counter {
    pub handled: u64,
    pub sum: u64,
}

impl Counter {
    #[inline]
    pub fn handle(&mut self, msg: u64) {
        self.handled += 1;
        self.sum = self.sum.wrapping_add(msg);
    }
}

/// Runtimes the workload compares; the names are the Criterion function ids.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Runtime {
    TokioSingle,
    TokioMulti,
    FuturesLite,
    StdThread,
}

impl Runtime {
    pub const ALL: [Runtime; 4] = [Runtime::TokioSingle, Runtime::TokioMulti, Runtime::FuturesLite, Runtime::StdThread];

    pub fn label(self) -> &'static str {
        match self {
            Runtime::TokioSingle => "tokio_single",
            Runtime::TokioMulti => "tokio_multi",
            Runtime::FuturesLite => "futures_lite",
            Runtime::StdThread => "std_thread",
        }
    }
}

/// Sends `batch` messages through a bounded tokio mailbox of `capacity` to an actor task and waits
/// until the actor has handled them all. Returns the actor's state.
pub async fn tokio_batch(batch: u64, capacity: usize) -> Counter {
    let (tx, mut rx) = tokio::sync::mpsc::channel::<u64>(capacity);
    let actor = tokio::spawn(async move {
        let mut c = Counter::default();
        while let Some(m) = rx.recv().await {
            c.handle(m);
        }
        c
    });
    for i in 0..batch {
        tx.send(i).await.expect("actor alive");
    }
    drop(tx);
    actor.await.expect("actor task")
}

/// Request/reply `rounds` times between the caller and an actor task over two bounded tokio mailboxes.
pub async fn tokio_pingpong(rounds: u64) -> u64 {
    let (req_tx, mut req_rx) = tokio::sync::mpsc::channel::<u64>(1);
    let (rep_tx, mut rep_rx) = tokio::sync::mpsc::channel::<u64>(1);
    let actor = tokio::spawn(async move {
        while let Some(m) = req_rx.recv().await {
            if rep_tx.send(m + 1).await.is_err() {
                break;
            }
        }
    });
    let mut last = 0;
    for i in 0..rounds {
        req_tx.send(i).await.expect("actor alive");
        last = rep_rx.recv().await.expect("reply");
    }
    drop(req_tx);
    actor.await.expect("actor task");
    last
}

/// `tokio_batch` on an async-executor with async-channel (futures-lite's world).
pub async fn executor_batch(ex: &async_executor::Executor<'static>, batch: u64, capacity: usize) -> Counter {
    let (tx, rx) = async_channel::bounded::<u64>(capacity);
    let actor = ex.spawn(async move {
        let mut c = Counter::default();
        while let Ok(m) = rx.recv().await {
            c.handle(m);
        }
        c
    });
    for i in 0..batch {
        tx.send(i).await.expect("actor alive");
    }
    drop(tx);
    actor.await
}

pub async fn executor_pingpong(ex: &async_executor::Executor<'static>, rounds: u64) -> u64 {
    let (req_tx, req_rx) = async_channel::bounded::<u64>(1);
    let (rep_tx, rep_rx) = async_channel::bounded::<u64>(1);
    let actor = ex.spawn(async move {
        while let Ok(m) = req_rx.recv().await {
            if rep_tx.send(m + 1).await.is_err() {
                break;
            }
        }
    });
    let mut last = 0;
    for i in 0..rounds {
        req_tx.send(i).await.expect("actor alive");
        last = rep_rx.recv().await.expect("reply");
    }
    drop(req_tx);
    actor.await;
    last
}

/// Runs a future to completion on an async-executor driven by futures-lite's `block_on` on this thread.
pub fn on_executor<T>(ex: &async_executor::Executor<'static>, fut: impl std::future::Future<Output = T>) -> T {
    futures_lite::future::block_on(ex.run(fut))
}

/// A job for [`StdThreadRuntime`]: boxed so one worker thread can run any closure.
type Job = Box<dyn FnOnce() + Send + 'static>;

/// The std analogue of a runtime: one long-lived OS thread that runs spawned jobs one after another.
/// Built once per benchmark, outside the timed loop, so an iteration pays for a hand-off to an idle thread
/// (what `tokio::spawn` costs on Tokio), not for `thread::spawn` + `join` (tens of microseconds here).
pub struct StdThreadRuntime {
    jobs: Option<std_mpsc::Sender<Job>>,
    worker: Option<thread::JoinHandle<()>>,
}

impl StdThreadRuntime {
    pub fn new() -> Self {
        let (jobs, rx) = std_mpsc::channel::<Job>();
        let worker = thread::Builder::new()
            .name("host-actors-std".into())
            .spawn(move || {
                for job in rx {
                    job();
                }
            })
            .expect("spawn worker thread");
        StdThreadRuntime { jobs: Some(jobs), worker: Some(worker) }
    }

    /// Runs `f` on the worker thread; the returned receiver yields its result (the join handle).
    /// One worker: a job that blocks (an actor waiting on its mailbox) holds it until it returns.
    pub fn spawn<T: Send + 'static>(&self, f: impl FnOnce() -> T + Send + 'static) -> std_mpsc::Receiver<T> {
        let (done_tx, done_rx) = std_mpsc::sync_channel(1);
        let job: Job = Box::new(move || {
            let _ = done_tx.send(f());
        });
        self.jobs.as_ref().expect("runtime alive").send(job).expect("worker thread alive");
        done_rx
    }
}

impl Default for StdThreadRuntime {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for StdThreadRuntime {
    fn drop(&mut self) {
        // Closing the job channel ends the worker's loop; join so no thread outlives the benchmark.
        drop(self.jobs.take());
        if let Some(w) = self.worker.take() {
            let _ = w.join();
        }
    }
}

/// The same batch with std's bounded `sync_channel`; the actor runs on the runtime's OS thread.
pub fn std_thread_batch(rt: &StdThreadRuntime, batch: u64, capacity: usize) -> Counter {
    let (tx, rx) = std_mpsc::sync_channel::<u64>(capacity);
    let actor = rt.spawn(move || {
        let mut c = Counter::default();
        for m in rx {
            c.handle(m);
        }
        c
    });
    for i in 0..batch {
        tx.send(i).expect("actor alive");
    }
    drop(tx);
    actor.recv().expect("actor job")
}

pub fn std_thread_pingpong(rt: &StdThreadRuntime, rounds: u64) -> u64 {
    let (req_tx, req_rx) = std_mpsc::sync_channel::<u64>(1);
    let (rep_tx, rep_rx) = std_mpsc::sync_channel::<u64>(1);
    let actor = rt.spawn(move || {
        for m in req_rx {
            if rep_tx.send(m + 1).is_err() {
                break;
            }
        }
    });
    let mut last = 0;
    for i in 0..rounds {
        req_tx.send(i).expect("actor alive");
        last = rep_rx.recv().expect("reply");
    }
    drop(req_tx);
    actor.recv().expect("actor job");
    last
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_runtime_handles_every_message() {
        let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
        let c = rt.block_on(tokio_batch(1000, 64));
        assert_eq!((c.handled, c.sum), (1000, 499_500));
        let ex = async_executor::Executor::new();
        let c = on_executor(&ex, executor_batch(&ex, 1000, 64));
        assert_eq!((c.handled, c.sum), (1000, 499_500));
        let std_rt = StdThreadRuntime::new();
        let c = std_thread_batch(&std_rt, 1000, 64);
        assert_eq!((c.handled, c.sum), (1000, 499_500));
        // The worker thread is reused: a second actor on the same runtime starts from a fresh state.
        let c = std_thread_batch(&std_rt, 10, 4);
        assert_eq!((c.handled, c.sum), (10, 45));
    }

    #[test]
    fn pingpong_replies_to_the_last_request() {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).build().unwrap();
        assert_eq!(rt.block_on(tokio_pingpong(100)), 100);
        let ex = async_executor::Executor::new();
        assert_eq!(on_executor(&ex, executor_pingpong(&ex, 100)), 100);
        assert_eq!(std_thread_pingpong(&StdThreadRuntime::new(), 100), 100);
    }
}
