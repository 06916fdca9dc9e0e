import { LitlabError } from "../errors.js";
import type { VegaLiteSpec } from "./runtimeChart.js";

type VegaModule = typeof import("vega");
type VegaLiteModule = typeof import("vega-lite");

/**
 * vega and vega-lite are ESM with top-level await (vega-canvas awaits `import('canvas')`), so `require()` of them
 * fails with ERR_REQUIRE_ASYNC_MODULE — and tslab compiles cells to CommonJS. Loading them with a real dynamic
 * `import()` from this compiled ES module goes through Node's ESM loader even when this file itself was reached
 * through `require()` from a notebook cell. Cached: the first load takes ~100 ms.
 */
let modules: Promise<{ vega: VegaModule; vl: VegaLiteModule }> | undefined;

function loadVega(): Promise<{ vega: VegaModule; vl: VegaLiteModule }> {
  modules ??= Promise.all([import("vega"), import("vega-lite")]).then(([vega, vl]) => ({ vega, vl }));
  return modules;
}

/**
 * Renders a Vega-Lite spec to an SVG string headlessly (renderer "none": no DOM, no canvas package needed).
 * The SVG is what static exports (HTML, Markdown) keep, since nbconvert drops the Vega-Lite MIME type.
 */
export async function renderSvg(spec: VegaLiteSpec): Promise<string> {
  const { vega, vl } = await loadVega();
  let view: InstanceType<VegaModule["View"]> | undefined;
  try {
    const compiled = vl.compile(spec as unknown as Parameters<VegaLiteModule["compile"]>[0]).spec;
    view = new vega.View(vega.parse(compiled), { renderer: "none" });
    return await view.toSVG();
  } catch (e) {
    throw new LitlabError("render", `could not render the chart to SVG: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  } finally {
    view?.finalize();
  }
}
