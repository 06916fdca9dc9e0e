//! `message_throughput/<runtime>/<batch>`: send `batch` messages through a bounded mailbox to an actor and wait
//! until it handled them all. Ids and `Throughput::Elements(batch)` follow lit-bit's `message_throughput` bench.
//! Unlike lit-bit (which builds a Tokio runtime per sample), each runtime -- the Tokio runtimes, the async-executor,
//! the std worker thread -- is built once per benchmark, outside the timed loop, so the figure is the channel and
//! scheduling cost, not runtime construction. Inside the timed iteration: a fresh bounded mailbox (capacity
//! `MAILBOX_CAPACITY`, smaller than the batch, so back-pressure counts), spawning the actor task onto the runtime,
//! `batch` sends, and waiting for the actor to finish. tokio_multi uses Tokio's default worker count (one per core),
//! as lit-bit does with num_cpus.

use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use host_actors::{executor_batch, on_executor, std_thread_batch, tokio_batch, Runtime, StdThreadRuntime};
use host_actors_bench::{BATCHES, MAILBOX_CAPACITY};

fn message_throughput(c: &mut Criterion) {
    let mut group = c.benchmark_group("message_throughput");
    for &batch in &BATCHES {
        group.throughput(Throughput::Elements(batch));
        for rt in Runtime::ALL {
            let id = BenchmarkId::new(rt.label(), batch);
            match rt {
                Runtime::TokioSingle => {
                    let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
                    group.bench_with_input(id, &batch, |b, &n| b.iter(|| black_box(runtime.block_on(tokio_batch(n, MAILBOX_CAPACITY)))));
                }
                Runtime::TokioMulti => {
                    let runtime = tokio::runtime::Builder::new_multi_thread().build().unwrap();
                    group.bench_with_input(id, &batch, |b, &n| b.iter(|| black_box(runtime.block_on(tokio_batch(n, MAILBOX_CAPACITY)))));
                }
                Runtime::FuturesLite => {
                    let ex = async_executor::Executor::new();
                    group.bench_with_input(id, &batch, |b, &n| b.iter(|| black_box(on_executor(&ex, executor_batch(&ex, n, MAILBOX_CAPACITY)))));
                }
                Runtime::StdThread => {
                    let runtime = StdThreadRuntime::new();
                    group.bench_with_input(id, &batch, |b, &n| b.iter(|| black_box(std_thread_batch(&runtime, n, MAILBOX_CAPACITY))));
                }
            }
        }
    }
    group.finish();
}

criterion_group!(benches, message_throughput);
criterion_main!(benches);
