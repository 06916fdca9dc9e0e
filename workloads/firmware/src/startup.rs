//! KEEP: what every bare-metal start does before Rust code runs, the same on each architecture (the linker scripts
//! define these symbols): copy `.data` from flash, zero `.bss`, paint the unused stack, then run `main`.
use core::ptr::{read_volatile, write_volatile};

extern "C" {
    static mut _sdata: u32;
    static mut _edata: u32;
    static _sidata: u32;
    static mut _sbss: u32;
    static mut _ebss: u32;
    static mut _stack_bottom: u32;
    static mut _stack_top: u32;
}

/// Called by the architecture's reset entry with its current stack pointer (the stack above it is in use).
pub unsafe fn start(sp: *mut u32) -> ! {
    let mut src = &raw const _sidata;
    let mut dst = &raw mut _sdata;
    while dst < &raw mut _edata {
        write_volatile(dst, read_volatile(src));
        dst = dst.add(1);
        src = src.add(1);
    }
    let mut p = &raw mut _sbss;
    while p < &raw mut _ebss {
        write_volatile(p, 0);
        p = p.add(1);
    }
    crate::stack::paint(&raw mut _stack_bottom, sp);
    crate::main()
}

/// The stack region: bottom (lowest address, painted) and top (the initial stack pointer).
pub fn stack_bounds() -> (*mut u32, *mut u32) {
    (&raw mut _stack_bottom, &raw mut _stack_top)
}
