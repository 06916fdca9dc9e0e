//! KEEP: the litlab device record protocol v1 (one ASCII line per record, integers only).
//!
//! Every line goes to the UART and to semihosting, so a host can capture either. `record!` counts the
//! records between `begin` and `end`, which lets litlab tell a complete capture from a cut one.

use core::fmt::{self, Write};
use core::sync::atomic::{AtomicU32, Ordering::Relaxed};

use crate::arch;

/// Records emitted since `begin` (begin and end themselves excluded).
static RECORDS: AtomicU32 = AtomicU32::new(0);

/// One output line; longer text is cut (never an error: a cut record is skipped by litlab with a warning).
pub struct Line {
    buf: [u8; 320],
    len: usize,
}

impl Line {
    pub const fn new() -> Self {
        Line { buf: [0; 320], len: 0 }
    }
}

impl Write for Line {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        // Keep room for "\n" and the NUL that SYS_WRITE0 needs.
        let room = self.buf.len() - 2 - self.len;
        let n = s.len().min(room);
        self.buf[self.len..self.len + n].copy_from_slice(&s.as_bytes()[..n]);
        self.len += n;
        Ok(())
    }
}

/// Writes one line (a newline is added) to the UART and to semihosting.
pub fn write_line(args: fmt::Arguments) {
    let mut line = Line::new();
    let _ = line.write_fmt(args);
    let len = line.len;
    line.buf[len] = b'\n';
    line.buf[len + 1] = 0;
    arch::uart_write(&line.buf[..len + 1]);
    crate::semihosting::write0(&line.buf[..len + 2]);
}

/// Emits `@LB <args>` and counts it.
pub fn emit(args: fmt::Arguments) {
    write_line(format_args!("@LB {}", args));
    RECORDS.fetch_add(1, Relaxed);
}

macro_rules! record {
    ($($arg:tt)*) => { $crate::record::emit(format_args!($($arg)*)) };
}
pub(crate) use record;

pub fn begin(icount: bool) {
    RECORDS.store(0, Relaxed);
    write_line(format_args!(
        "@LB begin proto=1 fw=litlab-firmware commit={} target={} clock={} hz={} icount={}",
        option_env!("FW_COMMIT").unwrap_or("unknown"),
        arch::TARGET,
        arch::CLOCK,
        arch::clock_hz(icount),
        icount as u8,
    ));
}

/// Closes the capture and leaves QEMU with `code` as its exit status.
pub fn end(code: u32) -> ! {
    end_line(code);
    crate::semihosting::exit(code)
}

/// The `end` record alone (the caller exits): `records` counts every record since `begin`.
pub fn end_line(code: u32) {
    let status = if code == 0 { "ok" } else { "fail" };
    write_line(format_args!("@LB end records={} status={} code={}", RECORDS.load(Relaxed), status, code));
}

/// Summary of latency samples (ticks): `lat`, one `sample` per event, and a 16-bin `hist`.
pub fn latency(id: &str, samples: &[u32], extra: fmt::Arguments) {
    let (mut min, mut max, mut sum, mut sumsq) = (u32::MAX, 0u32, 0u64, 0u64);
    for &s in samples {
        min = min.min(s);
        max = max.max(s);
        sum += s as u64;
        sumsq += s as u64 * s as u64;
    }
    record!("lat id={} n={} min={} max={} sum={} sumsq={}{}", id, samples.len(), min, max, sum, sumsq, extra);
    for (seq, &s) in samples.iter().enumerate() {
        record!("sample id={} seq={} ticks={}", id, seq, s);
    }
    const BINS: usize = 16;
    let width = ((max - min) / BINS as u32 + 1).max(1);
    let mut counts = [0u32; BINS];
    for &s in samples {
        counts[((s - min) / width) as usize] += 1;
    }
    let mut list = Line::new();
    for (i, c) in counts.iter().enumerate() {
        let _ = write!(list, "{}{}", if i == 0 { "" } else { "," }, c);
    }
    record!("hist id={} lo={} width={} counts={}", id, min, width, list.as_str());
}

impl Line {
    /// The text written so far (ASCII from our own format strings; a cut multi-byte char reads as empty).
    pub fn as_str(&self) -> &str {
        core::str::from_utf8(&self.buf[..self.len]).unwrap_or("")
    }
}
