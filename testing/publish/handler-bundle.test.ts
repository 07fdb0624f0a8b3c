import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  bundleHandler,
  bundleMatrix,
  bundleSizeTable,
  createHandlerProject,
  describeSource,
  forbiddenContent,
  type HandlerBundle,
  type HandlerProject,
} from "./handler-bundle.mjs";

// A Lambda handler that imports "@cairn/sdk" bundles without the parts of the package a handler
// never runs: node:fs, the file store, the checkpoint service core, the orchestrator and ulid.
// Bundled with esbuild from @cairn/sdk's packed tarball (needs the build `npm test` runs first);
// the AWS SDK's equivalent handler is bundled beside it and only measured.

let project: HandlerProject | undefined;
const bundles: HandlerBundle[] = [];
const label = (b: HandlerBundle) => `${b.format}${b.minify ? ", minified" : ""}${b.awsSdkExternal ? ", @aws-sdk/* external" : ""}`;

beforeAll(async () => {
  project = await createHandlerProject();
  const started = performance.now();
  for (const options of bundleMatrix()) bundles.push(await bundleHandler(project, options));
  console.log(
    `Handler bundle sizes (esbuild, platform node; ${describeSource()}; ` +
      `pack ${(project.packMs / 1000).toFixed(1)} s, ${bundles.length} bundles ${((performance.now() - started) / 1000).toFixed(1)} s)\n` +
      bundleSizeTable(bundles),
  );
});

afterAll(() => project?.dispose());

describe("a Cairn handler's bundle", () => {
  const cairnCases = bundleMatrix()
    .filter((o) => o.sdk === "cairn")
    .map((o) => `${o.format}${o.minify ? ", minified" : ""}${o.awsSdkExternal ? ", @aws-sdk/* external" : ""}`);

  it.each(cairnCases)("%s: no node:fs, file store, service core, orchestrator or ulid", (name) => {
    const bundle = bundles.find((b) => b.sdk === "cairn" && label(b) === name);
    expect(bundle, `no bundle for ${name}`).toBeDefined();
    const largest = bundle!.largest.map((f) => `  ${f.bytes} B  ${f.path}`).join("\n");
    expect(bundle!.forbidden, `the handler bundle (${name}, ${bundle!.bytes} B) contains:\n${bundle!.forbidden.join("\n")}\nlargest inputs:\n${largest}`).toEqual(
      [],
    );
  });

  it("the AWS SDK's handler bundled beside it (measured, not checked)", () => {
    const aws = bundles.filter((b) => b.sdk === "aws");
    expect(aws).toHaveLength(bundleMatrix().filter((o) => o.sdk === "aws").length);
    for (const bundle of aws) expect(bundle.bytes, label(bundle)).toBeGreaterThan(0);
  });
});

describe("forbiddenContent", () => {
  const clean = ["node_modules/@cairn/sdk/dist/cjs/context/step-operation.js", "node_modules/@cairn/sdk/dist/index.mjs", "handler.mjs"];

  it("passes a bundle of handler code only", () => {
    expect(forbiddenContent(clean, ["node:async_hooks", "node:crypto"], 'require("node:crypto")')).toEqual([]);
  });

  it("finds fs through the metafile's external imports and in the output text, minified or not", () => {
    expect(forbiddenContent(clean, ["node:fs/promises"], "")).toEqual(["imports node:fs/promises"]);
    expect(forbiddenContent(clean, [], 'import { open } from "fs";')).toEqual(['output text loads fs: from "fs"']);
    expect(forbiddenContent(clean, [], 'var a=b("node:fs");')).toEqual(['output text loads fs: ("node:fs"']);
    expect(forbiddenContent(clean, [], 'const offset = "fs";')).toEqual([]);
  });

  it("finds the file store, the service core and the orchestrator, installed or from the workspace", () => {
    const found = forbiddenContent(
      [
        ...clean,
        "node_modules/@cairn/sdk/dist/cjs/service/file-store/file-store.js",
        "../../work/packages/sdk/dist/orchestrator/run-execution.js",
      ],
      [],
      "",
    );
    expect(found).toHaveLength(3);
    expect(found[0]).toMatch(/^the file store: 1 file/);
    expect(found[1]).toMatch(/^the service core: 1 file/);
    expect(found[2]).toMatch(/^the orchestrator: 1 file/);
  });

  it("finds ulid", () => {
    expect(forbiddenContent([...clean, "../../node_modules/ulid/dist/node/index.cjs"], [], "")).toEqual(["ulid (../../node_modules/ulid/dist/node/index.cjs)"]);
  });
});
