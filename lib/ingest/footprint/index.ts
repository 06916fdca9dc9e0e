export { elfHeader, readElf, SHT_SYMTAB, SHT_STRTAB, SHT_NOBITS, SHT_DYNSYM, type ElfHeader, type ElfSection, type ElfSymbol } from "./elf.js";
export { elfFootprint, topSymbols, footprintOf, sectionRole, sectionRoleByName, FOOTPRINT_PARTS, type Footprint, type FootprintPart } from "./footprint.js";
export { footprintRows, sizeRow as footprintSizeRow, type FootprintFormat, type FootprintRowOptions } from "./rows.js";
export { parseSizeSysv, sizeSysvFootprint, sizeSysvRows, looksLikeSizeSysv, type SizeSysvFile, type SizeSysvSection } from "./sizeSysv.js";
export { parseSizeBerkeley, sizeBerkeleyFootprint, sizeBerkeleyRows, looksLikeSizeBerkeley, type SizeBerkeleyRow } from "./sizeBerkeley.js";
export { parseCargoBloat, cargoBloatRows, bloatSize, looksLikeCargoBloat, type CargoBloat, type BloatEntry } from "./cargoBloat.js";
export { elfReader, sizeSysvReader, sizeBerkeleyReader, cargoBloatReader, footprintReaders } from "./readers.js";
export { demangle, demangleRust } from "./demangle.js";
export type { TopSymbol } from "./footprint.js";
