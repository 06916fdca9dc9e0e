//! `pingpong/<runtime>/<rounds>`: request + reply between the caller and an actor over two bounded mailboxes
//! (capacity 1), `rounds` times per iteration. Measures round-trip latency including two wake-ups per round.
//! As in `message_throughput`, every runtime is built once per benchmark, outside the timed loop; an iteration
//! pays for two fresh mailboxes, spawning the actor onto the runtime and the `rounds` round trips.

use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use host_actors::{executor_pingpong, on_executor, std_thread_pingpong, tokio_pingpong, Runtime, StdThreadRuntime};
use host_actors_bench::ROUNDS;

fn pingpong(c: &mut Criterion) {
    let mut group = c.benchmark_group("pingpong");
    group.throughput(Throughput::Elements(ROUNDS));
    for rt in Runtime::ALL {
        let id = BenchmarkId::new(rt.label(), ROUNDS);
        match rt {
            Runtime::TokioSingle => {
                let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
                group.bench_with_input(id, &ROUNDS, |b, &n| b.iter(|| black_box(runtime.block_on(tokio_pingpong(n)))));
            }
            Runtime::TokioMulti => {
                let runtime = tokio::runtime::Builder::new_multi_thread().build().unwrap();
                group.bench_with_input(id, &ROUNDS, |b, &n| b.iter(|| black_box(runtime.block_on(tokio_pingpong(n)))));
            }
            Runtime::FuturesLite => {
                let ex = async_executor::Executor::new();
                group.bench_with_input(id, &ROUNDS, |b, &n| b.iter(|| black_box(on_executor(&ex, executor_pingpong(&ex, n)))));
            }
            Runtime::StdThread => {
                let runtime = StdThreadRuntime::new();
                group.bench_with_input(id, &ROUNDS, |b, &n| b.iter(|| black_box(std_thread_pingpong(&runtime, n))));
            }
        }
    }
    group.finish();
}

criterion_group!(benches, pingpong);
criterion_main!(benches);
