//! Shared settings of the benches. The lib's own unit-test harness is what rejects Criterion flags when
//! `cargo bench -- --warm-up-time 1` is run without `--bench`, exactly as in lit-bit-bench.

/// Mailbox capacity for the throughput benches: bounded, smaller than a batch, so back-pressure is part of the cost.
pub const MAILBOX_CAPACITY: usize = 256;

/// Batch sizes of `message_throughput` (lit-bit uses 1 000, 10 000 and 100 000; the last is left out to stay quick).
pub const BATCHES: [u64; 2] = [1_000, 10_000];

/// Round trips per iteration of `pingpong`.
pub const ROUNDS: u64 = 100;

#[cfg(test)]
mod tests {
    #[test]
    fn batches_exceed_the_mailbox() {
        assert!(super::BATCHES.iter().all(|&b| b as usize > super::MAILBOX_CAPACITY));
    }
}
