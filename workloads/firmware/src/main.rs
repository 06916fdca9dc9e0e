//! litlab reference firmware: a no_std actor bench that prints litlab's device record protocol (v1).
//!
//! Copy this crate into your own bench firmware. KEEP `record`, `mailbox`, `heap`, `stack`, `semihosting`
//! and the `bench` harness below; REPLACE the actors and benches with yours (lit-bit's actors, your
//! messages), and the board parts in `arch/` (UART, clock, linker script) with your chip's.
//!
//! Output: `@LB begin`, one record per measurement, `@LB end records=N`, on the UART and on semihosting;
//! then it exits through semihosting (QEMU's exit status = the firmware's code). Semihosting command line
//! words (QEMU: `-append "icount wait-uart"`): `icount` = running under `-icount` (ticks are emulated),
//! `wait-uart` = wait for a line on the UART before starting (a host opening a serial port late loses nothing),
//! `panic` = panic right after `begin` (tests the failure path: `end … status=fail code=101`, exit 101).

#![no_std]
#![no_main]

extern crate alloc;

mod arch;
mod heap;
mod mailbox;
mod record;
mod semihosting;
mod stack;
mod startup;

use alloc::boxed::Box;
use core::fmt;
use core::hint::black_box;
use core::sync::atomic::{AtomicBool, AtomicU32, Ordering};

use mailbox::{drain, Actor, Mailbox};
use record::record;

/// The heap exists only for the boxed-message bench: the actor path itself never allocates.
#[global_allocator]
static HEAP: heap::CountingArena<8192> = heap::CountingArena::new();

/// Called from Reset once RAM is set up.
pub fn main() -> ! {
    arch::init();
    let mut cmdline = [0u8; 512];
    let cmdline = semihosting::cmdline(&mut cmdline);
    let icount = semihosting::has_word(cmdline, "icount");
    let wait_uart = semihosting::has_word(cmdline, "wait-uart");
    if wait_uart {
        while !matches!(arch::uart_read(), b'\n' | b'\r') {}
    }

    record::begin(icount);
    if semihosting::has_word(cmdline, "panic") {
        // Self-test of the failure path: litlab must read `status=fail code=101` and exit status 101.
        panic!("the command line asked for a panic");
    }
    bench_throughput(1000, 10);
    bench_throughput(10_000, 10);
    bench_pingpong(100, 10);
    bench_boxed_messages(100, 10);
    if arch::HAS_TIMER_INTERRUPT {
        bench_interrupt_latency();
    }
    let (used, size) = stack::high_water();
    record!("stack id=main used={} size={}", used, size);
    record::end_line(0);
    if wait_uart {
        // The host answers the end record with `q`. Exiting before that can drop the tail of our output: QEMU closes
        // its PTY on exit and Linux discards what the host had not read yet.
        while arch::uart_read() != b'q' {}
    }
    semihosting::exit(0)
}

// ---- KEEP: the bench harness --------------------------------------------------------------------------------

/// Runs `iteration` once untimed (warm-up), then `iters` times, timing each one, and emits a `bench`
/// record. `elements` = messages per iteration (Criterion's Throughput::Elements). The clock restarts
/// first, so whatever ran before (UART waits, semihosting) cannot shift the ticks measured here.
fn bench(id: &str, iters: u32, elements: u32, mut iteration: impl FnMut()) {
    iteration();
    arch::clock_restart();
    let (mut total, mut min, mut max) = (0u32, u32::MAX, 0u32);
    for _ in 0..iters {
        let start = arch::now();
        iteration();
        let ticks = arch::now().wrapping_sub(start);
        total += ticks;
        min = min.min(ticks);
        max = max.max(ticks);
    }
    record!("bench id={} iters={} ticks={} min={} max={} elements={}", id, iters, total, min, max, elements);
}

// ---- REPLACE: the actors and benches ---------------------------------------------------------------------

/// Counts and checksums the numbers it receives.
struct Counter {
    handled: u32,
    checksum: u32,
}
impl Actor for Counter {
    type Msg = u32;
    fn handle(&mut self, msg: u32) {
        self.handled += 1;
        self.checksum = self.checksum.wrapping_add(msg);
    }
}
static COUNTER_INBOX: Mailbox<u32, 64> = Mailbox::new();

/// `message_throughput/no_std/N`: send N messages to one actor through its 64-slot mailbox, sending
/// until it is full and then letting the actor drain it, until all N are handled.
fn bench_throughput(n: u32, iters: u32) {
    let mut counter = Counter { handled: 0, checksum: 0 };
    let mut id = record::Line::new();
    let _ = fmt::Write::write_fmt(&mut id, format_args!("message_throughput/no_std/{}", n));
    bench(id.as_str(), iters, n, || {
        let goal = counter.handled + n;
        let mut sent = 0;
        while counter.handled != goal {
            while sent < n && COUNTER_INBOX.try_send(sent).is_ok() {
                sent += 1;
            }
            drain(&mut counter, &COUNTER_INBOX);
        }
    });
    black_box(counter.checksum);
}

/// Ping-pong: the pinger sends k to the ponger, which answers k; the pinger sends k+1 until `rounds`.
static PINGER_INBOX: Mailbox<u32, 4> = Mailbox::new();
static PONGER_INBOX: Mailbox<u32, 4> = Mailbox::new();
struct Pinger {
    rounds: u32,
    done: u32,
}
impl Actor for Pinger {
    type Msg = u32;
    fn handle(&mut self, k: u32) {
        self.done = k + 1;
        if self.done < self.rounds {
            let _ = PONGER_INBOX.try_send(self.done);
        }
    }
}
struct Ponger;
impl Actor for Ponger {
    type Msg = u32;
    fn handle(&mut self, k: u32) {
        let _ = PINGER_INBOX.try_send(k);
    }
}

/// `pingpong/no_std/R`: R round trips per iteration.
fn bench_pingpong(rounds: u32, iters: u32) {
    let (mut pinger, mut ponger) = (Pinger { rounds, done: 0 }, Ponger);
    bench("pingpong/no_std/100", iters, rounds, || {
        pinger.done = 0;
        let _ = PONGER_INBOX.try_send(0);
        while pinger.done < rounds {
            drain(&mut ponger, &PONGER_INBOX);
            drain(&mut pinger, &PINGER_INBOX);
        }
    });
    debug_assert_eq!(rounds, 100, "the bench id says 100");
}

/// A 32-byte message that travels boxed (heap-allocated), as with a boxed `dyn` payload.
struct Boxed {
    payload: [u32; 8],
}
struct Summer {
    sum: u32,
}
impl Actor for Summer {
    type Msg = Box<Boxed>;
    fn handle(&mut self, msg: Box<Boxed>) {
        self.sum = self.sum.wrapping_add(msg.payload[7]);
    } // the box is freed here
}
static BOXED_INBOX: Mailbox<Box<Boxed>, 128> = Mailbox::new();

/// `heap/boxed_messages/N`: box N messages into the mailbox, then the actor drains (and frees) them.
/// The `heap` record's peak is N × 32 bytes: all N are alive at once.
fn bench_boxed_messages(n: u32, iters: u32) {
    let mut summer = Summer { sum: 0 };
    HEAP.reset_peak();
    bench("heap/boxed_messages/100", iters, n, || {
        for i in 0..n {
            if BOXED_INBOX.try_send(Box::new(Boxed { payload: [i; 8] })).is_err() {
                panic!("boxed mailbox full");
            }
        }
        drain(&mut summer, &BOXED_INBOX);
    });
    black_box(summer.sum);
    let s = HEAP.stats();
    record!(
        "heap id=heap/boxed_messages/100 peak={} current={} allocs={} frees={} size={}",
        s.peak, s.current, s.allocs, s.frees, s.size
    );
}

// ---- interrupt → actor latency (Cortex-M: SysTick) -------------------------------------------------------

/// Interrupt period in ticks (100 µs at 25 MHz) and how many events to measure.
const PERIOD: u32 = 2500;
const EVENTS: usize = 128;

/// The ISR's mailbox: it posts the firing's sequence number.
static TIMER_INBOX: Mailbox<u32, 8> = Mailbox::new();
static FIRED: AtomicU32 = AtomicU32::new(0);
static DROPPED: AtomicU32 = AtomicU32::new(0);

/// KEEP the pattern: an interrupt handler does nothing but post a message to an actor.
#[cfg_attr(not(target_arch = "arm"), allow(dead_code))]
pub fn on_timer_interrupt() {
    let seq = FIRED.fetch_add(1, Ordering::Relaxed);
    if TIMER_INBOX.try_send(seq).is_err() {
        DROPPED.fetch_add(1, Ordering::Relaxed);
    }
}

/// Timestamps each tick message: ticks from the interrupt firing to this handler running.
struct TimerActor {
    samples: [u32; EVENTS],
    n: usize,
    /// Messages handled after the next firing already happened (their latency would read wrong).
    late: u32,
}
impl Actor for TimerActor {
    type Msg = u32;
    fn handle(&mut self, seq: u32) {
        let latency = arch::since_periodic_fire(PERIOD);
        if FIRED.load(Ordering::Relaxed) != seq + 1 {
            self.late += 1;
        }
        if self.n < EVENTS {
            self.samples[self.n] = latency;
            self.n += 1;
        }
    }
}

/// Background load: a handler that busy-works for a pseudo-random while (run to completion, so the
/// timer actor waits for it: that wait is what the latency distribution shows).
struct Worker;
impl Actor for Worker {
    type Msg = u32;
    fn handle(&mut self, units: u32) {
        for i in 0..units {
            black_box(i);
        }
    }
}
static WORK_INBOX: Mailbox<u32, 4> = Mailbox::new();

/// `interrupt_latency/systick_to_actor`: SysTick fires every PERIOD ticks, its ISR posts to the timer
/// actor, and the cooperative loop (timer actor first, then one worker message) runs it.
#[cfg_attr(not(target_arch = "arm"), allow(dead_code))]
fn bench_interrupt_latency() {
    let mut timer = TimerActor { samples: [0; EVENTS], n: 0, late: 0 };
    let mut worker = Worker;
    let mut lcg: u32 = 12345;
    arch::periodic_start(PERIOD);
    while timer.n < EVENTS {
        drain(&mut timer, &TIMER_INBOX);
        if WORK_INBOX.is_empty() {
            lcg = lcg.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            let _ = WORK_INBOX.try_send(lcg >> 22); // 0..1023 units
        }
        if let Some(units) = WORK_INBOX.recv() {
            worker.handle(units);
        }
    }
    arch::clock_restart(); // back to the free-running clock; no more ticks are posted
    record::latency(
        "interrupt_latency/systick_to_actor",
        &timer.samples,
        format_args!(" late={} dropped={}", timer.late, DROPPED.load(Ordering::Relaxed)),
    );
}

// ---- failure paths ---------------------------------------------------------------------------------------

static FAILING: AtomicBool = AtomicBool::new(false);

/// Prints why, closes the capture with `status=fail code=N` and exits with N (101 panic, 102 fault).
pub fn fail(code: u32, why: fmt::Arguments) -> ! {
    if FAILING.swap(true, Ordering::Relaxed) {
        semihosting::exit(code); // failed again while reporting: just leave
    }
    record::write_line(why);
    record::end(code)
}

#[panic_handler]
fn panic(info: &core::panic::PanicInfo) -> ! {
    fail(101, format_args!("panic: {}", info))
}
