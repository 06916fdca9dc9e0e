import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { test } from "node:test";
import { demangle, demangleRust } from "../lib/ingest/footprint/demangle.js";
import { readElf } from "../lib/ingest/footprint/elf.js";
import { topSymbols } from "../lib/ingest/footprint/footprint.js";
import { hasCommand, requireTool } from "./helpers/tools.js";

const FIRMWARE = "workloads/firmware/target/thumbv7m-none-eabi/release/litlab-firmware";
const HAS_LLVM_CXXFILT = hasCommand("llvm-cxxfilt");

test("legacy: path elements, 17h<hash> dropped, $..$ escapes and `..`", () => {
  // from the Rust documentation / rustc-demangle's tests, checked by hand against GNU `c++filt -s rust` (which keeps the hash)
  const cases: [string, string][] = [
    ["_ZN4core3fmt9Formatter3pad17h0123456789abcdefE", "core::fmt::Formatter::pad"],
    ["_ZN71_$LT$Test$u20$$u2b$$u20$$u27$static$u20$as$u20$foo..Bar$LT$Test$GT$$GT$3bar17h930b740aa94f1d3aE", "<Test + 'static as foo::Bar<Test>>::bar"],
    ["_ZN4core3ptr85drop_in_place$LT$std..rt..lang_start$LT$$LP$$RP$$GT$..$u7b$$u7b$closure$u7d$$u7d$$GT$17h0123456789abcdefE", "core::ptr::drop_in_place<std::rt::lang_start<()>::{{closure}}>"],
    ["_ZN35Bar$LT$$u5b$u32$u3b$$u20$4$u5d$$GT$E", "Bar<[u32; 4]>"],
    ["_ZN13test$u20$test4foobE", "test test::foob"],
    ["_ZN12test$BP$test4foobE", "test*test::foob"],
    ["_ZN8$RF$testE", "&test"],
    ["_ZN13_$LT$test$GT$E", "<test>"],
    ["_ZN4test1a2bcE", "test::a::bc"],
    // LLVM's `.llvm.<hex>` is dropped; other suffixes are kept as rustc-demangle does
    ["_ZN3std2io5stdio6_print17he48522be5b0a80d9E.llvm.1234ABCD", "std::io::stdio::_print"],
    ["_ZN3std2io5stdio6_print17he48522be5b0a80d9E.cold", "std::io::stdio::_print.cold"],
  ];
  for (const [mangled, want] of cases) assert.equal(demangle(mangled), want, mangled);
  // an element that only looks like a hash is not one unless it is h + 16 hex digits
  assert.equal(demangle("_ZN3foo4h123E"), "foo::h123");
});

test("v0: crate roots, namespaces, impls, backrefs, generics, basic types", () => {
  // each checked by hand against llvm-cxxfilt 14 (LLVM's Rust v0 demangler) and rustc-demangle's test suite
  const cases: [string, string][] = [
    ["_RNvCsi1FcWGKKPnG_15litlab_firmware4HEAP", "litlab_firmware::HEAP"],
    ["_RNvMsa_NtCsdgPDZm3BxTQ_4core3fmtNtB5_9Formatter3pad", "<core::fmt::Formatter>::pad"],
    ["_RNvNvMsa_NtCsdgPDZm3BxTQ_4core3fmtNtB7_9Formatter12pad_integral12write_prefix", "<core::fmt::Formatter>::pad_integral::write_prefix"],
    ["_RNvXs_NtCsi1FcWGKKPnG_15litlab_firmware6recordNtB4_4LineNtNtCsdgPDZm3BxTQ_4core3fmt5Write9write_str", "<litlab_firmware::record::Line as core::fmt::Write>::write_str"],
    ["_RNvYNtNtCsi1FcWGKKPnG_15litlab_firmware6record4LineNtNtCsdgPDZm3BxTQ_4core3fmt5Write10write_charB6_", "<litlab_firmware::record::Line as core::fmt::Write>::write_char"],
    ["_RNvXsi_NtNtNtCsdgPDZm3BxTQ_4core3fmt3num3impyNtB9_7Display3fmt", "<u64 as core::fmt::Display>::fmt"],
    ["_RNvXs1i_NtCsdgPDZm3BxTQ_4core3fmtReNtB6_7Display3fmtB8_", "<&str as core::fmt::Display>::fmt"],
    ["_RINvNtCsdgPDZm3BxTQ_4core3ptr13drop_in_placeINtNtB4_6result6ResultuINtNtCs5eYY7fksWUe_5alloc5boxed3BoxNtCsi1FcWGKKPnG_15litlab_firmware5BoxedEEEB1E_",
      "core::ptr::drop_in_place::<core::result::Result<(), alloc::boxed::Box<litlab_firmware::Boxed>>>"],
    ["_RNCNvCsi1FcWGKKPnG_15litlab_firmware20bench_boxed_messages0B3_", "litlab_firmware::bench_boxed_messages::{closure#0}"],
    ["_RNvNtNtCsi1FcWGKKPnG_15litlab_firmware4arch8cortex_m8PERIODIC.0", "litlab_firmware::arch::cortex_m::PERIODIC.0"],
    // rustc-demangle's tests
    ["_RNvC6_123foo3bar", "123foo::bar"],
    ["_RNqCs4fqI2P2rA04_11utf8_identsu30____7hkackfecea1cbdathfdh9hlq6y", "utf8_idents::საჭმელად_გემრიელი_სადილი"],
    ["_RNCNCNgCs6DXkGYLi8lr_2cc5spawn00B5_", "cc::spawn::{closure#0}::{closure#0}"],
    ["_RNCINkXs25_NgCsbmNqQUJIY6D_4core5sliceINyB9_4IterhENuNgNoBb_4iter8iterator8Iterator9rpositionNCNgNpB9_6memchr7memrchrs_0E0Bb_",
      "<core::slice::Iter<u8> as core::iter::iterator::Iterator>::rposition::<core::slice::memchr::memrchr::{closure#1}>::{closure#0}"],
    ["_RINbNbCskIICzLVDPPb_5alloc5alloc8box_freeDINbNiB4_5boxed5FnBoxuEp6OutputuEL_ECs1iopQbuBiw2_3std", "alloc::alloc::box_free::<dyn alloc::boxed::FnBox<(), Output = ()>>"],
    ["_RMC0INtC8arrayvec8ArrayVechKj7b_E", "<arrayvec::ArrayVec<u8, 123>>"],
    ["_RMCs4fqI2P2rA04_13const_genericINtB0_6SignedKanb_E", "<const_generic::Signed<-11>>"],
    ["_RMCs4fqI2P2rA04_13const_genericINtB0_4BoolKb0_E", "<const_generic::Bool<false>>"],
    ["_RMCs4fqI2P2rA04_13const_genericINtB0_4CharKca_E", "<const_generic::Char<'\\n'>>"],
    ["_RINvNtC3std3mem8align_ofjE", "std::mem::align_of::<usize>"],
    // hand-made: fn pointers with a binder, tuples, arrays, slices, pointers, references
    ["_RINvC1a1fFG0_RL0_hEuE", "a::f::<for<'a, 'b> fn(&'b u8)>"],
    ["_RINvC1a1fFUKCEuE", "a::f::<unsafe extern \"C\" fn()>"],
    ["_RINvC1a1fTaEE", "a::f::<(i8,)>"],
    ["_RINvC1a1fAhj4_E", "a::f::<[u8; 4]>"],
    ["_RINvC1a1fPhOhQhRL_hE", "a::f::<*const u8, *mut u8, &mut u8, &u8>"],
    ["_RINvC1a1fDNtC1a1TNtC1a1UEL_E", "a::f::<dyn a::T + a::U>"],
  ];
  for (const [mangled, want] of cases) assert.equal(demangle(mangled), want, mangled);
});

test("not Rust, malformed or unsupported: the name comes back unchanged, nothing throws", () => {
  const names = [
    "memcmp", "__aeabi_memcpy", "_ZN3foo3barEv" /* C++ with parameters */, "_ZN3fooE3bar", "_ZN", "_ZNE", "_ZN99fooE",
    "_R", "_Rx", "_RNvC", "_RNvCs_3foo", "_RB_", "_RNvB0_3foo" /* backref to itself */, "_RINvC1a1fLuE", "_RINvC1a1fDG_NtC1a1TEL0_E",
    "_RNvC3foo3bar baz", "_RNvC3foo3barX", "_RINvC1a1fKAjE" /* structured const: unsupported */, "_RNvCu3ab_3bar" /* punycode with no deltas */, "_RNvCu2A93bar" /* not a punycode digit */,
    "_R" + "B_".repeat(1000), "_R" + "INvC1a1f".repeat(600) + "E".repeat(600),
  ];
  for (const n of names) {
    assert.equal(demangleRust(n), null, n);
    assert.equal(demangle(n), n);
  }
  // backrefs that double at each level would print 2^40 times: cut off, not hung
  const DIGITS = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  const base62 = (n: number): string => {
    if (n === 0) return "_";
    let s = "";
    for (let x = n - 1; ; x = Math.floor(x / 62)) { s = DIGITS[x % 62]! + s; if (x < 62) break; }
    return `${s}_`;
  };
  let body = "INvC1a1fu";
  let prev = body.length - 1;
  for (let i = 0; i < 30; i++) {
    const at = body.length;
    body += `TB${base62(prev)}B${base62(prev)}E`;
    prev = at;
  }
  const started = Date.now();
  assert.equal(demangle(`_R${body}E`), `_R${body}E`);
  assert.ok(Date.now() - started < 1000);
  // the same construction with 8 levels fits in the output limit: 2^8 units in the last tuple
  const eight = body.slice(0, body.indexOf("T") + 8 * "TB7_B7_E".length);
  assert.equal((demangle(`_R${eight}E`).match(/\(\)/g) ?? []).length, 1 + 2 + 4 + 8 + 16 + 32 + 64 + 128 + 256);
  // the first levels of the same construction do demangle: (((), ()), ((), ()))
  assert.equal(demangle("_RINvC1a1fuTB7_B7_ETB8_B8_EE"), "a::f::<(), ((), ()), (((), ()), ((), ()))>");
});

test("topSymbols on the real firmware: demangled next to the mangled name", async (t) => {
  if (!requireTool(t, FIRMWARE, existsSync(FIRMWARE), "run `npm run firmware` first")) return;
  const elf = readElf(await readFile(FIRMWARE), FIRMWARE);
  const top = topSymbols(elf.symbols, 1000);
  const byName = new Map(top.map((s) => [s.name, s]));
  // sizes as printed by `arm-none-eabi-nm -S` on this build: HEAP 0x2014 in .bss, Formatter::pad 0x5ec in .text
  const heap = byName.get("_RNvCsi1FcWGKKPnG_15litlab_firmware4HEAP");
  const pad = byName.get("_RNvMsa_NtCsdgPDZm3BxTQ_4core3fmtNtB5_9Formatter3pad");
  if (heap === undefined || pad === undefined) {
    // a rebuild with another toolchain changes the crate hashes: the cross-check below still applies
    t.diagnostic("firmware built with other crate hashes; checking the cross-check only");
  } else {
    assert.equal(heap.demangled, "litlab_firmware::HEAP");
    assert.equal(heap.section, ".bss");
    assert.equal(pad.demangled, "<core::fmt::Formatter>::pad");
    assert.equal(pad.section, ".text");
  }
  // every Rust name demangles; non-Rust names (memcmp, __aeabi_*) stay as they are
  for (const s of top) {
    if (s.name.startsWith("_R") || s.name.startsWith("_ZN")) assert.notEqual(s.demangled, s.name, s.name);
    else assert.equal(s.demangled, s.name);
  }
  assert.ok(top.some((s) => s.demangled === "litlab_firmware::main"));

  // cross-check every v0 symbol of the image with LLVM's demangler (it prints a `.0` suffix as ` (.0)`)
  if (!HAS_LLVM_CXXFILT) { t.diagnostic("llvm-cxxfilt not available: cross-check skipped"); return; }
  const v0 = elf.symbols.map((s) => s.name).filter((n) => n.startsWith("_R"));
  assert.ok(v0.length >= 20, `only ${v0.length} v0 symbols`);
  const r = spawnSync("llvm-cxxfilt", v0, { encoding: "utf8" });
  const theirs = r.stdout.trim().split("\n").map((l) => l.replace(/ \((\.[^)]*)\)$/, "$1"));
  assert.deepEqual(v0.map(demangle), theirs);
});
