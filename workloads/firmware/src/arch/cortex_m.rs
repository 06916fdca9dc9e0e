//! Cortex-M3 on QEMU mps2-an385: vector table, Reset, semihosting, CMSDK UART0, SysTick clock.
//!
//! KEEP the vector table, Reset and semihosting for any Cortex-M; REPLACE the UART (your board's) and,
//! on silicon with a DWT, prefer DWT->CYCCNT to SysTick (QEMU has no DWT cycle counter).

use core::arch::asm;
use core::ptr::{read_volatile, write_volatile};
use core::sync::atomic::{AtomicBool, AtomicU32, Ordering};

pub const TARGET: &str = "thumbv7m-none-eabi";
pub const CLOCK: &str = "systick";
/// SysTick runs from the core clock: 25 MHz on mps2-an385 (CALIB = 9999 per 10 ms).
pub fn clock_hz(_icount: bool) -> u32 {
    25_000_000
}

// ---- startup ------------------------------------------------------------------------------------------


/// Exception vectors 1..=15; word 0 (the initial stack pointer) comes from the linker script.
#[link_section = ".vector_table.exceptions"]
#[no_mangle]
#[used]
pub static EXCEPTIONS: [Option<unsafe extern "C" fn()>; 15] = [
    Some(Reset),
    Some(Fault), // NMI
    Some(Fault), // HardFault
    Some(Fault), // MemManage
    Some(Fault), // BusFault
    Some(Fault), // UsageFault
    None,
    None,
    None,
    None,
    Some(Fault), // SVCall
    Some(Fault), // DebugMonitor
    None,
    Some(Fault), // PendSV
    Some(SysTick),
];

/// Copies .data from flash, zeroes .bss, paints the stack, then runs `main`.
#[no_mangle]
pub unsafe extern "C" fn Reset() {
    crate::startup::start(stack_pointer())
}

#[no_mangle]
unsafe extern "C" fn Fault() {
    crate::fail(102, format_args!("fault: unexpected exception"))
}

pub fn stack_pointer() -> *mut u32 {
    let sp: usize;
    unsafe { asm!("mov {}, sp", out(reg) sp, options(nomem, nostack)) };
    sp as *mut u32
}

pub use crate::startup::stack_bounds;

// ---- semihosting (bkpt 0xab; QEMU needs -semihosting-config enable=on) -----------------------------------
// On silicon without a debugger attached, bkpt faults: drop semihosting there and keep the UART.

pub unsafe fn semihosting(op: u32, arg: usize) -> isize {
    let mut r0 = op as usize;
    asm!("bkpt #0xab", inout("r0") r0, in("r1") arg, options(nostack));
    r0 as isize
}

// ---- CMSDK UART0 -----------------------------------------------------------------------------------------

const UART0: usize = 0x4000_4000;
const UART_DATA: *mut u32 = UART0 as *mut u32;
const UART_STATE: *mut u32 = (UART0 + 0x4) as *mut u32; // bit0 TX full, bit1 RX full
const UART_CTRL: *mut u32 = (UART0 + 0x8) as *mut u32; // bit0 TX enable, bit1 RX enable
const UART_BAUDDIV: *mut u32 = (UART0 + 0x10) as *mut u32;

pub fn init() {
    unsafe {
        write_volatile(UART_BAUDDIV, 16); // the smallest divider the UART accepts
        write_volatile(UART_CTRL, 0b11);
    }
    clock_restart();
}

pub fn uart_write(bytes: &[u8]) {
    for &b in bytes {
        unsafe {
            while read_volatile(UART_STATE) & 1 != 0 {}
            write_volatile(UART_DATA, b as u32);
        }
    }
}

/// Blocks until a byte arrives.
pub fn uart_read() -> u8 {
    unsafe {
        while read_volatile(UART_STATE) & 2 == 0 {}
        read_volatile(UART_DATA) as u8
    }
}

// ---- SysTick: a 32-bit tick clock, and the interrupt source for the latency bench -------------------------

const SYST_CSR: *mut u32 = 0xE000_E010 as *mut u32;
const SYST_RVR: *mut u32 = 0xE000_E014 as *mut u32;
const SYST_CVR: *mut u32 = 0xE000_E018 as *mut u32;
const CSR_ENABLE_TICKINT_CORECLK: u32 = 0b111;
const FREE_RUNNING: u32 = 0x00FF_FFFF; // 24-bit counter: wraps every 0.67 s at 25 MHz

/// SysTick wraps counted while free-running (the clock's upper bits).
static WRAPS: AtomicU32 = AtomicU32::new(0);
/// While true, SysTick fires periodically and posts to the latency actor instead of counting wraps.
static PERIODIC: AtomicBool = AtomicBool::new(false);

/// Restarts the free-running clock from 0 (benches call it first, so nothing earlier shifts their ticks).
pub fn clock_restart() {
    PERIODIC.store(false, Ordering::Relaxed);
    unsafe {
        write_volatile(SYST_CSR, 0);
        write_volatile(SYST_RVR, FREE_RUNNING);
        write_volatile(SYST_CVR, 0); // any write clears the counter; it reloads on the next tick
        write_volatile(SYST_CSR, CSR_ENABLE_TICKINT_CORECLK);
        while read_volatile(SYST_CVR) == 0 {} // wait for that reload, so now() starts from 0
        WRAPS.store(0, Ordering::Relaxed);
    }
}

/// Ticks since `clock_restart` (wrapping u32). SysTick counts down, hence RELOAD - CVR.
pub fn now() -> u32 {
    loop {
        let wraps = WRAPS.load(Ordering::Acquire);
        let cvr = unsafe { read_volatile(SYST_CVR) };
        if WRAPS.load(Ordering::Acquire) == wraps {
            return (wraps << 24) | (FREE_RUNNING - cvr);
        }
    }
}

/// Starts SysTick firing every `period` ticks; each firing calls `crate::on_timer_interrupt`.
pub fn periodic_start(period: u32) {
    unsafe {
        write_volatile(SYST_CSR, 0);
        write_volatile(SYST_RVR, period - 1);
        write_volatile(SYST_CVR, 0);
        PERIODIC.store(true, Ordering::Release);
        write_volatile(SYST_CSR, CSR_ENABLE_TICKINT_CORECLK);
    }
}

/// Ticks since the last periodic interrupt fired. The exception is raised when the counter goes
/// 1 -> 0 and the counter reloads `period - 1` on the following tick, so CVR = c means
/// `period - c` ticks have passed (and c = 0 means none). Valid for less than one period.
pub fn since_periodic_fire(period: u32) -> u32 {
    let c = unsafe { read_volatile(SYST_CVR) };
    if c == 0 {
        0
    } else {
        period - c
    }
}

#[no_mangle]
unsafe extern "C" fn SysTick() {
    if PERIODIC.load(Ordering::Acquire) {
        crate::on_timer_interrupt();
    } else {
        WRAPS.fetch_add(1, Ordering::Release);
    }
}

pub const HAS_TIMER_INTERRUPT: bool = true;
