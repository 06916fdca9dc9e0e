//! KEEP: the three semihosting calls the firmware needs (ARM semihosting spec; QEMU implements them for
//! Arm and RISC-V when started with `-semihosting-config enable=on`).

use crate::arch::semihosting;

const SYS_WRITE0: u32 = 0x04;
const SYS_GET_CMDLINE: u32 = 0x15;
const SYS_EXIT_EXTENDED: u32 = 0x20;
const ADP_STOPPED_APPLICATION_EXIT: usize = 0x20026;

/// Prints a NUL-terminated byte string on the host (QEMU: the semihosting chardev).
pub fn write0(nul_terminated: &[u8]) {
    debug_assert_eq!(nul_terminated.last(), Some(&0));
    unsafe { semihosting(SYS_WRITE0, nul_terminated.as_ptr() as usize) };
}

/// The host's command line for this program (QEMU: the ELF path, then the `-append` text).
/// Returns the bytes written into `buf`, or an empty slice when it does not fit or is unsupported.
pub fn cmdline(buf: &mut [u8]) -> &[u8] {
    let mut block = [buf.as_mut_ptr() as usize, buf.len()];
    let status = unsafe { semihosting(SYS_GET_CMDLINE, block.as_mut_ptr() as usize) };
    if status != 0 {
        return &[];
    }
    &buf[..block[1].min(buf.len())]
}

/// True when `word` is one of the space-separated words of `line`.
pub fn has_word(line: &[u8], word: &str) -> bool {
    line.split(|b| b.is_ascii_whitespace()).any(|w| w == word.as_bytes())
}

/// Ends the program; QEMU exits with `code` as its status.
pub fn exit(code: u32) -> ! {
    let block = [ADP_STOPPED_APPLICATION_EXIT, code as usize];
    unsafe { semihosting(SYS_EXIT_EXTENDED, block.as_ptr() as usize) };
    loop {} // no debugger/host took the call: park here
}
