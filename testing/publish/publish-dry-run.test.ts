import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { publicPackages, repoRoot, type PackageManifest } from "../../scripts/public-packages.mjs";
import { runCommand, type NodeRun } from "./run-node.js";

// Every public package would publish, with what a user needs in the tarball: `npm publish
// --dry-run` (what `npm run release -- --dry-run` runs) for each one. npm asks the registry
// whether the version exists even in a dry run, so it asks a stand-in registry on 127.0.0.1
// that knows no package: the check works offline, and the test fails if npm sends anything
// but anonymous reads (no credentials are needed or sent). `npm test` builds every package first.

/** A request the stand-in registry saw. */
interface SeenRequest {
  method: string;
  url: string;
  authorized: boolean;
}

let registry: Server;
let registryUrl = "";
const seen: SeenRequest[] = [];

beforeAll(async () => {
  registry = createServer((request: IncomingMessage, response) => {
    seen.push({ method: request.method ?? "", url: request.url ?? "", authorized: request.headers.authorization !== undefined });
    response.writeHead(request.method === "GET" ? 404 : 405, { "content-type": "application/json" });
    response.end(JSON.stringify({ error: "not found" }));
  });
  await new Promise<void>((resolve) => registry.listen(0, "127.0.0.1", resolve));
  registryUrl = `http://127.0.0.1:${(registry.address() as AddressInfo).port}/`;
});

afterAll(async () => {
  await new Promise((resolve) => registry.close(resolve));
});

/** Runs npm asynchronously (the stand-in registry answers from this process meanwhile). */
function npm(args: string[], cwd: string): Promise<NodeRun> {
  return runCommand("npm", args, cwd);
}

interface PackResult {
  name: string;
  version: string;
  files: { path: string }[];
}

/** Every file an entry of the manifest points at: `exports` targets, `main`, `types`, `bin`. */
function namedFiles(manifest: PackageManifest): string[] {
  const targets: string[] = [];
  const collect = (value: unknown): void => {
    if (typeof value === "string") targets.push(value);
    else if (value && typeof value === "object") Object.values(value).forEach(collect);
  };
  collect(manifest.exports);
  collect(manifest.main);
  collect(manifest.types);
  collect(manifest.bin);
  return [...new Set(targets.filter((target) => !target.includes("*")).map((target) => target.replace(/^\.\//, "")))];
}

/** Test sources, test helpers, test reports and build caches: none belongs in a tarball. */
const NOT_SHIPPED = /(^|\/)[^/]+\.test(-d)?\.[cm]?[jt]sx?(\.map)?$|\.test(-d)?\.d\.[cm]?ts(\.map)?$|(^|\/)(test-support|__tests__|test-fixtures)\/|(^|\/)\.(vitest|jest)-report[^/]*$|\.tsbuildinfo$|(^|\/)\.turbo\//;

const rootLicense = readFileSync(join(repoRoot, "LICENSE"), "utf8");

describe.each(publicPackages())("$name", ({ name, version, dir, manifest }) => {
  let published: PackResult;
  let warnings: string;

  beforeAll(async () => {
    const run = await npm(
      ["publish", "--dry-run", "--json", `--registry=${registryUrl}`, `--@cairn:registry=${registryUrl}`, "--fetch-retries=0"],
      dir,
    );
    if (run.exit !== 0) throw new Error(`npm publish --dry-run exited with ${run.exit}:\n${run.stderr}`);
    const json = JSON.parse(run.stdout) as PackResult | Record<string, PackResult>;
    published = "files" in json ? (json as PackResult) : (Object.values(json)[0] as PackResult);
    warnings = run.stderr;
  });

  it("publishes as itself, at its version", () => {
    expect({ name: published.name, version: published.version }).toEqual({ name, version });
  });

  it("ships README.md, LICENSE, package.json and both builds", () => {
    const files = published.files.map((file) => file.path);
    expect(files).toEqual(expect.arrayContaining(["README.md", "LICENSE", "package.json", "dist/index.mjs", "dist/cjs/index.js"]));
  });

  it("ships every file its exports, main, types and bin name", () => {
    const files = new Set(published.files.map((file) => file.path));
    expect(namedFiles(manifest).filter((target) => !files.has(target))).toEqual([]);
  });

  it("ships no test files, test reports or build caches", () => {
    expect(published.files.map((file) => file.path).filter((path) => NOT_SHIPPED.test(path))).toEqual([]);
  });

  it("ships the TypeScript every source map and declaration map points at", () => {
    // "Go to definition" and stack traces land in src/ only if the files the maps name are in the tarball.
    const files = new Set(published.files.map((file) => file.path));
    const maps = [...files].filter((path) => path.endsWith(".map"));
    expect(maps.length).toBeGreaterThan(0);
    const named = maps.flatMap((map) => {
      const { sources, sourceRoot = "" } = JSON.parse(readFileSync(join(dir, map), "utf8")) as { sources: string[]; sourceRoot?: string };
      return sources.map((source) => ({ map, source: relative(dir, join(dir, dirname(map), sourceRoot, source)) }));
    });
    const outside = named.filter(({ source }) => source.startsWith("..")).map(({ map, source }) => `${map} -> ${source}`);
    const unshipped = named.filter(({ source }) => !source.startsWith("..") && !files.has(source)).map(({ map, source }) => `${map} -> ${source}`);
    expect({ unshipped, outside }).toEqual({ unshipped: [], outside: [] });
  });

  it("needs no correction from npm (its package.json is published as written)", () => {
    expect(warnings).not.toMatch(/auto-corrected|errors corrected/);
  });

  it("ships the repository's Apache-2.0 licence", () => {
    expect(readFileSync(join(dir, "LICENSE"), "utf8")).toBe(rootLicense);
    expect(manifest.license).toBe("Apache-2.0");
  });

  it("carries what the registry shows: repository, engines, public access", () => {
    expect(manifest.repository).toEqual({ type: "git", url: "git+https://github.com/cairn-dev/cairn.git", directory: relative(repoRoot, dir) });
    expect(manifest.engines?.node).toBeDefined();
    expect(manifest.publishConfig?.access).toBe("public");
  });
});

it("npm sent the stand-in registry anonymous reads only", () => {
  expect(seen.length).toBeGreaterThan(0);
  expect(seen.filter((request) => request.method !== "GET" || request.authorized)).toEqual([]);
});

it("changesets version the public packages together, and only them", () => {
  const config = JSON.parse(readFileSync(join(repoRoot, ".changeset", "config.json"), "utf8")) as {
    fixed: string[][];
    access: string;
    baseBranch: string;
    privatePackages: { version: boolean; tag: boolean };
  };
  expect(config.fixed.map((group) => [...group].sort())).toEqual([publicPackages().map((pkg) => pkg.name).sort()]);
  expect(config).toMatchObject({ access: "public", baseBranch: "main", privatePackages: { version: false, tag: false } });
});
