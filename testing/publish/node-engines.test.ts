import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { SUPPORTED_NODE_MAJORS } from "../consumers/node-versions.mjs";
import { publicPackages, repoRoot } from "../../scripts/public-packages.mjs";

// The Node policy (docs/releasing.md): every 20.x and 22.x release runs the published packages,
// and installing them there prints no engine warning. So each public package's `engines` admits
// them, and so does every package it pulls in at run time, transitively, as package-lock.json
// resolves them. Development dependencies may want more; the ones that do are listed and
// explained in docs/releasing.md, and this check keeps that list true.

/** semver's functions used here (the package has no bundled types). */
interface Semver {
  subset(sub: string, dom: string): boolean;
  validRange(range: string): string | null;
}
const semver = createRequire(import.meta.url)("semver") as Semver;

/** Every release of each supported major. */
const SUPPORTED = SUPPORTED_NODE_MAJORS.map((major) => `^${major}.0.0`).join(" || ");
/** The Node versions a Cairn developer needs (vite and the ESLint parser set the minimums). */
const DEVELOPMENT = "^20.19.0 || ^22.13.0";

interface LockEntry {
  name?: string;
  version?: string;
  link?: boolean;
  resolved?: string;
  engines?: { node?: string } | string[];
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

const lock = JSON.parse(readFileSync(join(repoRoot, "package-lock.json"), "utf8")) as { packages: Record<string, LockEntry> };
const entries = lock.packages;

/** The lockfile path Node would load `name` from, required by the package at `from` ("" is the root). */
function resolveFrom(from: string, name: string): string | undefined {
  let dir = from;
  for (;;) {
    const candidate = `${dir ? `${dir}/` : ""}node_modules/${name}`;
    if (entries[candidate]) return candidate;
    if (!dir) return undefined;
    const parent = dir.lastIndexOf("/node_modules/");
    dir = parent < 0 ? "" : dir.slice(0, parent);
  }
}

function nodeEngines(entry: LockEntry): string | undefined {
  return entry.engines && !Array.isArray(entry.engines) ? entry.engines.node : undefined;
}

function packageName(path: string, entry: LockEntry): string {
  return entry.name ?? path.slice(path.lastIndexOf("node_modules/") + "node_modules/".length);
}

interface Reached {
  path: string;
  /** The chain of package names that pulls it in, for the failure message. */
  via: string[];
}

/**
 * Every package that `workspace` (a lockfile path such as "packages/sdk") needs at run time:
 * dependencies, optional dependencies and required peers, transitively. Also returns the
 * required dependencies the lockfile does not hold, which would make the walk incomplete.
 */
function runtimeClosure(workspace: string): { reached: Reached[]; missing: string[] } {
  const reached: Reached[] = [];
  const missing: string[] = [];
  const seen = new Set<string>();
  const queue: Reached[] = [{ path: workspace, via: [] }];
  while (queue.length > 0) {
    const { path, via } = queue.shift()!;
    if (seen.has(path)) continue;
    seen.add(path);
    let entry = entries[path];
    if (!entry) continue;
    let here = path;
    if (entry.link && entry.resolved) {
      here = entry.resolved; // a workspace package, linked into node_modules
      entry = entries[here] ?? entry;
    }
    if (path !== workspace) reached.push({ path: here, via });
    const name = packageName(here, entry);
    const optionalPeer = (peer: string) => entry.peerDependenciesMeta?.[peer]?.optional === true;
    const required = [...Object.keys(entry.dependencies ?? {}), ...Object.keys(entry.peerDependencies ?? {}).filter((peer) => !optionalPeer(peer))];
    for (const dependency of [...required, ...Object.keys(entry.optionalDependencies ?? {})]) {
      const target = resolveFrom(here, dependency);
      if (target) queue.push({ path: target, via: [...via, name] });
      else if (required.includes(dependency)) missing.push(`${dependency} (required by ${name})`);
    }
  }
  return { reached, missing };
}

/**
 * The Node releases a public package must run on. A package that runs inside ESLint (it has
 * `eslint` as a peer: the lint plugin) runs only where the developer's ESLint runs, so it is held
 * to the development range, which ESLint 9 and typescript-eslint set; the others to every release.
 */
function requiredRange(manifest: { peerDependencies?: Record<string, string> }): string {
  return manifest.peerDependencies?.eslint ? DEVELOPMENT : SUPPORTED;
}

describe.each(publicPackages())("$name", ({ name, dir, manifest }) => {
  const required = requiredRange(manifest);
  it(`declares engines that admit the Node releases it must run on`, () => {
    const engines = manifest.engines?.node;
    expect(engines, `${name} has no engines.node`).toBeDefined();
    expect(semver.subset(required, engines!), `${name}: engines.node "${engines}" excludes part of ${required}`).toBe(true);
  });

  it("pulls in no run-time dependency whose engines exclude a supported Node release", () => {
    const { reached, missing } = runtimeClosure(relative(repoRoot, dir));
    expect(missing, "dependencies package-lock.json does not resolve").toEqual([]);
    const excluding = reached.flatMap(({ path, via }) => {
      const engines = nodeEngines(entries[path]!);
      return engines && !semver.subset(required, engines)
        ? [`${packageName(path, entries[path]!)}@${entries[path]!.version} wants node "${engines}" (via ${via.join(" > ")})`]
        : [];
    });
    expect(excluding).toEqual([]);
  });
});

it("the @cairn packages' run-time dependencies are found in package-lock.json", () => {
  // Guards the walk itself: @cairn/dynamodb reaches @cairn/sdk and the AWS SDK's client.
  const dynamodb = publicPackages().find((pkg) => pkg.name === "@cairn/dynamodb")!;
  const names = runtimeClosure(relative(repoRoot, dynamodb.dir)).reached.map(({ path }) => packageName(path, entries[path]!));
  expect(names).toEqual(expect.arrayContaining(["@cairn/sdk", "@aws-sdk/client-dynamodb", "superjson"]));
});

it("the development dependencies whose engines exclude a supported Node release are the ones docs/releasing.md explains", () => {
  const warning = new Set<string>();
  for (const [path, entry] of Object.entries(entries)) {
    const engines = nodeEngines(entry);
    if (path && engines && semver.validRange(engines) && !semver.subset(DEVELOPMENT, engines)) warning.add(packageName(path, entry));
  }
  const doc = readFileSync(join(repoRoot, "docs", "releasing.md"), "utf8");
  const section = doc.slice(doc.indexOf("### Engine warnings from development dependencies"));
  const explained = new Set([...section.matchAll(/^- `([^`]+)`/gm)].map((match) => match[1]!));
  expect([...warning].sort(), "update the list in docs/releasing.md (### Engine warnings from development dependencies)").toEqual(
    [...explained].sort(),
  );
});
