// The handler bundle check, shared by testing/publish/handler-bundle.test.ts (which fails when a
// Cairn handler's bundle pulls in code a handler never runs) and the bench (which prints the sizes
// beside the AWS SDK's).
//
// One small, realistic handler (withDurableExecution, ctx.step with createRetryStrategy, ctx.map,
// ctx.wait) is written once and imported from "@cairn/sdk" or from "@aws/durable-execution-sdk-js".
// It is bundled by esbuild as a user would bundle a Lambda handler: platform node, default
// conditions, ESM and CommonJS, minified and not, from a temporary project outside the repo
// whose node_modules holds @cairn/sdk unpacked from the tarball `npm pack` makes (the files that
// would be published, nothing else). The packed package's own dependencies, and the AWS SDK,
// are linked from the workspace's node_modules, where they are installed as published.
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const root = fileURLToPath(new URL("../..", import.meta.url));
const sdkDir = join(root, "packages", "sdk");

/** The package each side's handler imports. */
export const SDK_PACKAGES = { cairn: "@cairn/sdk", aws: "@aws/durable-execution-sdk-js" };

/** The handler, with its import specifier left open; both SDKs accept the same code. */
export function handlerSource(specifier) {
  return `import { createRetryStrategy, withDurableExecution } from ${JSON.stringify(specifier)};

const retryStrategy = createRetryStrategy({ maxAttempts: 5, initialDelay: { seconds: 2 }, backoffRate: 2 });

export const handler = withDurableExecution(async (event, ctx) => {
  const order = await ctx.step("load-order", async () => ({ id: event.orderId, skus: event.skus ?? [] }), { retryStrategy });
  const reserved = await ctx.map(
    "reserve-items",
    order.skus,
    async (itemCtx, sku) => itemCtx.step(\`reserve-\${sku}\`, async () => ({ sku, at: Date.now() }), { retryStrategy }),
    { maxConcurrency: 4 },
  );
  await ctx.wait("cool-off", { minutes: 5 });
  return ctx.step("confirm", async () => ({ orderId: order.id, reserved: reserved.successCount }));
});
`;
}

// npm sets these for the script that runs us; a nested `npm pack` must not think it is in the repo.
function childEnv() {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) => !/^npm_(package|lifecycle)_|^npm_config_(local_prefix|workspaces?|include_workspace_root|global|prefix)$/i.test(key),
    ),
  );
}

/** Runs a command without blocking the event loop (a test worker must keep answering its runner). */
function run(command, args, cwd) {
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd, env: childEnv(), maxBuffer: 64 * 1024 * 1024, shell: process.platform === "win32" }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${command} ${args.join(" ")} failed (${error.code ?? error.signal}):\n${stderr || stdout || error.message}`));
      else resolve(stdout);
    });
  });
}

/** The folder of an installed package, found from the package that depends on it. */
function installedPackageDir(name, fromDir) {
  const require = createRequire(join(fromDir, "package.json"));
  // `exports` may hide package.json; walk up from the resolved entry instead.
  let dir = dirname(require.resolve(name));
  while (dir !== dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, "utf8")).name === name) return realpathSync(dir);
    dir = dirname(dir);
  }
  throw new Error(`cannot find the folder of ${name} from ${fromDir}`);
}

function linkPackage(projectDir, name, targetDir) {
  const link = join(projectDir, "node_modules", ...name.split("/"));
  mkdirSync(dirname(link), { recursive: true });
  symlinkSync(targetDir, link, "junction");
}

/**
 * A temporary project with both handlers and a node_modules holding @cairn/sdk from its packed
 * tarball (needs a built packages/sdk). `dispose()` deletes it.
 * @returns {Promise<{ dir: string, packMs: number, dispose: () => void }>}
 */
export async function createHandlerProject() {
  const dir = mkdtempSync(join(tmpdir(), "cairn-handler-bundle-"));
  try {
    const started = performance.now();
    const packed = JSON.parse(await run("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", dir], sdkDir));
    const tarball = join(dir, packed[0].filename);
    const installed = join(dir, "node_modules", "@cairn", "sdk");
    mkdirSync(installed, { recursive: true });
    await run("tar", ["-xzf", tarball, "-C", installed, "--strip-components=1"], dir);
    const packMs = performance.now() - started;
    const manifest = JSON.parse(readFileSync(join(installed, "package.json"), "utf8"));
    for (const dependency of Object.keys(manifest.dependencies ?? {})) {
      linkPackage(dir, dependency, installedPackageDir(dependency, sdkDir));
    }
    linkPackage(dir, SDK_PACKAGES.aws, installedPackageDir(SDK_PACKAGES.aws, root));
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "handler-bundle", private: true, type: "module" }));
    for (const [sdk, specifier] of Object.entries(SDK_PACKAGES)) writeFileSync(join(dir, `${sdk}-handler.mjs`), handlerSource(specifier));
    return { dir, packMs, dispose: () => rmSync(dir, { recursive: true, force: true }) };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/**
 * @typedef {object} BundleOptions
 * @property {"cairn"|"aws"} sdk
 * @property {"esm"|"cjs"} format
 * @property {boolean} minify
 * @property {boolean} awsSdkExternal  `@aws-sdk/*` left out, as Lambda's Node runtime provides it
 *
 * @typedef {BundleOptions & {
 *   bytes: number, gzipBytes: number, inputs: string[], forbidden: string[],
 *   largest: { path: string, bytes: number }[],
 * }} HandlerBundle   `largest`: the ten inputs that put the most bytes into the output
 */

/**
 * Bundles one handler of the project with esbuild and reads what went into it.
 * @param {{ dir: string }} project
 * @param {BundleOptions} options
 * @returns {Promise<HandlerBundle>}
 */
export async function bundleHandler(project, options) {
  const result = await build({
    absWorkingDir: project.dir,
    entryPoints: [join(project.dir, `${options.sdk}-handler.mjs`)],
    outfile: join(project.dir, "out", `${options.sdk}-${options.format}${options.minify ? ".min" : ""}.js`),
    bundle: true,
    platform: "node",
    target: "node20",
    format: options.format,
    minify: options.minify,
    external: options.awsSdkExternal ? ["@aws-sdk/*"] : [],
    metafile: true,
    write: false,
    logLevel: "silent",
  });
  const output = result.outputFiles.find((f) => f.path.endsWith(".js"));
  if (!output) throw new Error("esbuild wrote no JavaScript output");
  const text = output.text;
  const inputs = Object.keys(result.metafile.inputs).map((p) => p.split(sep).join("/"));
  const outputs = Object.values(result.metafile.outputs);
  const externalImports = outputs.flatMap((o) => o.imports.map((i) => i.path));
  const largest = outputs
    .flatMap((o) => Object.entries(o.inputs).map(([path, { bytesInOutput }]) => ({ path: path.split(sep).join("/"), bytes: bytesInOutput })))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, 10);
  return {
    ...options,
    bytes: Buffer.byteLength(text),
    gzipBytes: gzipSync(text).length,
    inputs,
    forbidden: forbiddenContent(inputs, externalImports, text),
    largest,
  };
}

/** Where a bundled file lives inside @cairn/sdk (`dist/service/x.js`), or undefined for other packages. */
function pathInCairnSdk(input) {
  const match = /(?:^|\/)(?:node_modules\/@cairn\/sdk|packages\/sdk)\/(.*)$/.exec(input);
  return match?.[1];
}

const FS_MODULE = /^(node:)?fs(\/promises)?$/;
// `require("fs")`, `import("fs")`, a minified `__require` renamed to `x("node:fs")`, `from "fs"`.
const FS_IN_TEXT = /(?:\(\s*|from\s*)["'](?:node:)?fs(?:\/promises)?["']/;

/**
 * What a handler's bundle must not contain, found in esbuild's metafile (bundled files and the
 * modules left external) and in the output text.
 * @param {string[]} inputs          bundled files, as the metafile names them
 * @param {string[]} externalImports modules the output imports at run time (Node built-ins included)
 * @param {string} text              the bundle
 * @returns {string[]} one line per finding, empty when the bundle is clean
 */
export function forbiddenContent(inputs, externalImports, text) {
  const found = [];
  const fsImports = [...new Set(externalImports.filter((p) => FS_MODULE.test(p)))];
  if (fsImports.length > 0) found.push(`imports ${fsImports.join(", ")}`);
  const fsInText = FS_IN_TEXT.exec(text);
  if (fsInText) found.push(`output text loads fs: ${fsInText[0]}`);
  const inSdk = inputs.map((input) => ({ input, path: pathInCairnSdk(input) })).filter((f) => f.path !== undefined);
  const rules = [
    ["the file store", (p) => /(^|\/)file-(store|lock)(\/|\.|$)/.test(p)],
    ["the service core", (p) => /^dist\/(cjs\/)?service\//.test(p)],
    ["the orchestrator", (p) => /^dist\/(cjs\/)?orchestrator\//.test(p)],
  ];
  for (const [what, matches] of rules) {
    const files = inSdk.filter((f) => matches(f.path)).map((f) => f.path);
    if (files.length > 0) found.push(`${what}: ${files.length} file(s), e.g. ${files.slice(0, 3).join(", ")}`);
  }
  const ulid = inputs.filter((p) => /(^|\/)node_modules\/ulid\//.test(p));
  if (ulid.length > 0 || /require\s*\(\s*["']ulid["']\)|from\s*["']ulid["']/.test(text)) found.push(`ulid (${ulid[0] ?? "imported"})`);
  return found;
}

/** Every combination the check and the bench measure: 2 SDKs × 2 formats × minified or not × `@aws-sdk/*` external or not. */
export function bundleMatrix() {
  const options = [];
  for (const sdk of /** @type {const} */ (["cairn", "aws"])) {
    for (const format of /** @type {const} */ (["esm", "cjs"])) {
      for (const minify of [false, true]) {
        for (const awsSdkExternal of [false, true]) options.push({ sdk, format, minify, awsSdkExternal });
      }
    }
  }
  return options;
}

/**
 * Packs @cairn/sdk, bundles every combination, cleans up.
 * @returns {Promise<{ bundles: HandlerBundle[], packMs: number, bundleMs: number }>}
 */
export async function measureHandlerBundles() {
  const project = await createHandlerProject();
  try {
    const started = performance.now();
    const bundles = [];
    for (const options of bundleMatrix()) bundles.push(await bundleHandler(project, options));
    return { bundles, packMs: project.packMs, bundleMs: performance.now() - started };
  } finally {
    project.dispose();
  }
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

/** The sizes as a table: one row per format/minify, Cairn beside the AWS SDK with and without `@aws-sdk/*`. */
export function bundleSizeTable(bundles) {
  const find = (sdk, format, minify, awsSdkExternal) =>
    bundles.find((b) => b.sdk === sdk && b.format === format && b.minify === minify && b.awsSdkExternal === awsSdkExternal);
  const rows = [["bundle", "cairn", "gzip", "aws (all)", "gzip", "cairn/aws", "aws, @aws-sdk/* external", "gzip", "cairn/aws"]];
  for (const format of ["esm", "cjs"]) {
    for (const minify of [true, false]) {
      const cairn = find("cairn", format, minify, false);
      const aws = find("aws", format, minify, false);
      const awsExternal = find("aws", format, minify, true);
      if (!cairn || !aws || !awsExternal) continue;
      rows.push([
        `${format}${minify ? " minified" : ""}`,
        kb(cairn.bytes),
        kb(cairn.gzipBytes),
        kb(aws.bytes),
        kb(aws.gzipBytes),
        (cairn.bytes / aws.bytes).toFixed(2),
        kb(awsExternal.bytes),
        kb(awsExternal.gzipBytes),
        (cairn.bytes / awsExternal.bytes).toFixed(2),
      ]);
    }
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows
    .map((r, i) => {
      const line = r.map((v, c) => (c === 0 ? v.padEnd(widths[c]) : v.padStart(widths[c]))).join("  ");
      return i === 0 ? `${line}\n${widths.map((w) => "-".repeat(w)).join("  ")}` : line;
    })
    .join("\n");
}

/** Where the bundled @cairn/sdk came from, for the printed figures. */
export function describeSource() {
  return `@cairn/sdk from its packed tarball (${relative(root, sdkDir)}, built), the AWS SDK as installed in the workspace`;
}
