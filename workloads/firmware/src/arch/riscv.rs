//! RISC-V (rv32imac) on QEMU virt with -bios none: entry, trap, semihosting, ns16550 UART, mcycle clock.
//!
//! KEEP the entry and semihosting sequence; REPLACE the UART base for your board.

use core::arch::{asm, global_asm};
use core::ptr::{read_volatile, write_volatile};

pub const TARGET: &str = "riscv32imac-unknown-none-elf";
pub const CLOCK: &str = "mcycle";
/// QEMU's mcycle counts nanoseconds of virtual time under -icount (1 GHz), and host TSC ticks of unknown
/// rate without it (0 = unknown). On silicon, put the core clock here.
pub fn clock_hz(icount: bool) -> u32 {
    if icount {
        1_000_000_000
    } else {
        0
    }
}


// Hart 0 starts here (QEMU virt jumps to 0x80000000): stack pointer, trap vector, then Rust.
global_asm!(
    ".section .text.start, \"ax\"",
    ".global _start",
    "_start:",
    "  la sp, _stack_top",
    "  la t0, trap_entry",
    "  csrw mtvec, t0",
    "  call reset",
    "1: j 1b",
    ".balign 4",
    "trap_entry:",
    "  j trap",
);

#[no_mangle]
unsafe extern "C" fn reset() {
    crate::startup::start(stack_pointer())
}

#[no_mangle]
unsafe extern "C" fn trap() {
    let cause: usize;
    asm!("csrr {}, mcause", out(reg) cause);
    crate::fail(102, format_args!("fault: trap mcause={}", cause))
}

pub fn stack_pointer() -> *mut u32 {
    let sp: usize;
    unsafe { asm!("mv {}, sp", out(reg) sp, options(nomem, nostack)) };
    sp as *mut u32
}

pub use crate::startup::stack_bounds;

/// The RISC-V semihosting sequence: uncompressed, and all three instructions in one page.
pub unsafe fn semihosting(op: u32, arg: usize) -> isize {
    let mut a0 = op as usize;
    asm!(
        ".option push",
        ".option norvc",
        ".balign 16",
        "slli x0, x0, 0x1f",
        "ebreak",
        "srai x0, x0, 7",
        ".option pop",
        inout("a0") a0,
        in("a1") arg,
        options(nostack),
    );
    a0 as isize
}

// ---- ns16550 UART at 0x10000000 --------------------------------------------------------------------------

const UART: usize = 0x1000_0000;
const UART_THR: *mut u8 = UART as *mut u8;
const UART_LSR: *mut u8 = (UART + 5) as *mut u8; // bit0 data ready, bit5 transmitter empty

pub fn init() {}

pub fn uart_write(bytes: &[u8]) {
    for &b in bytes {
        unsafe {
            while read_volatile(UART_LSR) & 0x20 == 0 {}
            write_volatile(UART_THR, b);
        }
    }
}

pub fn uart_read() -> u8 {
    unsafe {
        while read_volatile(UART_LSR) & 1 == 0 {}
        read_volatile(UART_THR)
    }
}

// ---- mcycle clock ----------------------------------------------------------------------------------------

pub fn clock_restart() {}

pub fn now() -> u32 {
    let c: u32;
    unsafe { asm!("csrr {}, mcycle", out(reg) c, options(nomem, nostack)) };
    c
}

/// No timer interrupt in this port (yet): the latency bench is Cortex-M only.
pub const HAS_TIMER_INTERRUPT: bool = false;
pub fn periodic_start(_period: u32) {}
pub fn since_periodic_fire(_period: u32) -> u32 {
    0
}
