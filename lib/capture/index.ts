export * from "./manifest.js";
export * from "./environment.js";
