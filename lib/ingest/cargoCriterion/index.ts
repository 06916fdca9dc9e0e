export * from "./messages.js";
export * from "./cborData.js";
export * from "./dataFolder.js";
export * from "./jsonStream.js";
export { joinId, type IdParts, type Interval } from "./rows.js";
export { cargoCriterionJsonReader, cargoCriterionDataReader } from "./readers.js";
