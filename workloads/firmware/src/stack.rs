//! KEEP: stack painting. Reset fills the unused stack with a pattern; at the end, the lowest word that no
//! longer holds it marks the deepest the stack ever reached (the stack grows down from `_stack_top`).

use core::ptr::{read_volatile, write_volatile};

const PAINT: u32 = 0x5AA5_C33C;
/// Words just below the current stack pointer left unpainted: Reset's own frame lives there.
const MARGIN_WORDS: usize = 32;

/// Paints `[bottom, sp - MARGIN)`. Called once from Reset, before `main`.
pub unsafe fn paint(bottom: *mut u32, sp: *mut u32) {
    let end = sp.wrapping_sub(MARGIN_WORDS);
    let mut p = bottom;
    while p < end {
        write_volatile(p, PAINT);
        p = p.add(1);
    }
}

/// (bytes used, stack size in bytes).
pub fn high_water() -> (usize, usize) {
    let (bottom, top) = crate::arch::stack_bounds();
    let mut p = bottom;
    while p < top && unsafe { read_volatile(p) } == PAINT {
        p = unsafe { p.add(1) };
    }
    (top as usize - p as usize, top as usize - bottom as usize)
}
