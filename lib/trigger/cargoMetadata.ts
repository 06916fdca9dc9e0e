import { readFile } from "node:fs/promises";
import { parse as parseToml } from "smol-toml";
import { LitlabError } from "../errors.js";

/** A bench target of a package, with whether it runs Criterion (harness = false) or libtest. */
export interface BenchTarget {
  name: string;
  srcPath: string;
  /** false for `[[bench]] harness = false` (Criterion's own main); true for libtest (the default). */
  harness: boolean;
}

export interface BenchPackage {
  name: string;
  version: string;
  manifestPath: string;
  benches: BenchTarget[];
  /** Resolved criterion version this package depends on, or null when it has none. */
  criterionVersion: string | null;
}

interface MetadataTarget { name: string; kind: string[]; src_path: string }
interface MetadataDep { name: string; kind: string | null; req: string }
interface MetadataPackage { id: string; name: string; version: string; manifest_path: string; targets: MetadataTarget[]; dependencies: MetadataDep[] }
interface MetadataNode { id: string; deps: { name: string; pkg: string }[] }
export interface CargoMetadata {
  packages: MetadataPackage[];
  workspace_members: string[];
  workspace_root: string;
  target_directory: string;
  resolve: { nodes: MetadataNode[] } | null;
}

/** Parses `cargo metadata --format-version 1` output. */
export function parseCargoMetadata(text: string): CargoMetadata {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (cause) {
    throw new LitlabError("cargo", `cargo metadata printed something that is not JSON: ${(cause as Error).message}`, { cause });
  }
  const m = data as Partial<CargoMetadata>;
  if (!Array.isArray(m.packages) || !Array.isArray(m.workspace_members)) {
    throw new LitlabError("cargo", "cargo metadata output has no packages/workspace_members");
  }
  return m as CargoMetadata;
}

/**
 * `harness` is not in cargo metadata, so it is read from each `[[bench]]` table of the manifest;
 * targets Cargo auto-discovered from `benches/*.rs` are not in the manifest and use libtest.
 */
export function harnessByTarget(manifestToml: string, manifestPath: string): Map<string, boolean> {
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(manifestToml) as Record<string, unknown>;
  } catch (cause) {
    throw new LitlabError("cargo", `${manifestPath}: not valid TOML: ${(cause as Error).message}`, { file: manifestPath, cause });
  }
  const benches = Array.isArray(doc["bench"]) ? (doc["bench"] as Record<string, unknown>[]) : [];
  const out = new Map<string, boolean>();
  for (const b of benches) {
    if (typeof b["name"] === "string") out.set(b["name"], b["harness"] !== false);
  }
  return out;
}

/** Which resolved criterion version `pkg` uses (from the resolve graph), or null. */
export function criterionVersionOf(meta: CargoMetadata, pkg: MetadataPackage): string | null {
  const node = meta.resolve?.nodes.find((n) => n.id === pkg.id);
  const dep = node?.deps.find((d) => d.name === "criterion");
  if (dep) {
    const resolved = meta.packages.find((p) => p.id === dep.pkg);
    if (resolved) return resolved.version;
  }
  const declared = pkg.dependencies.find((d) => d.name === "criterion");
  return declared ? declared.req.replace(/^[\^~=\s]+/, "") : null;
}

/** Workspace members that have bench targets, with their Criterion/libtest split. */
export async function benchPackages(meta: CargoMetadata): Promise<BenchPackage[]> {
  const members = meta.packages.filter((p) => meta.workspace_members.includes(p.id));
  const out: BenchPackage[] = [];
  for (const pkg of members) {
    const benchTargets = pkg.targets.filter((t) => t.kind.includes("bench"));
    if (benchTargets.length === 0) continue;
    const harness = harnessByTarget(await readFile(pkg.manifest_path, "utf8"), pkg.manifest_path);
    out.push({
      name: pkg.name,
      version: pkg.version,
      manifestPath: pkg.manifest_path,
      benches: benchTargets.map((t) => ({ name: t.name, srcPath: t.src_path, harness: harness.get(t.name) ?? true })),
      criterionVersion: criterionVersionOf(meta, pkg),
    });
  }
  return out;
}
