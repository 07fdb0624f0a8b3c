#!/usr/bin/env node
// Second half of a package build, run after `tsc -p tsconfig.build.json` in the package folder.
// tsc writes the ESM tree (dist/**/*.js) and the declarations (dist/**/*.d.ts); this adds:
//
//   dist/cjs/**/*.js        the CommonJS build: one file per source file the package entries
//                           reach, so module identity is file identity as in the ESM tree
//   dist/cjs/**/*.d.ts      the declarations again, read as CommonJS through
//   dist/cjs/package.json   {"type":"commonjs"}
//   dist/cjs/vendor/*.js    runtime dependencies that ship ESM only (superjson 2), bundled
//   dist/<entry>.mjs        what `import` loads in Node: a generated ESM wrapper that re-exports
//                           the CommonJS entry's names, so `import` and `require` in one process
//                           share one copy of every module (instanceof, registries, loggers)
//
// Entries come from the package.json `exports` map: each subpath's `require` target
// ./dist/cjs/<name>.js is built from src/<name>.ts. Entries named with `--esm-only <name>` (an
// entry that imports an ESM-only peer, e.g. vitest) get an ESM file instead of a wrapper: the tsc
// output with its relative imports pointed at the CommonJS tree, so it still shares that tree.
//
//
// Dynamic import() becomes require() in the CommonJS build: jest's CommonJS runtime cannot execute
// import() without experimental flags. A file named with `--keep-import <src path>` keeps its
// import() calls (the CLI importing a user's handler file by URL, which require cannot load).
//
// Usage (from a package folder):
//   node ../../scripts/build-cjs.mjs [--esm-only <entry>]... [--keep-import <src/file.ts>]...
import { build } from "esbuild";
import { createRequire } from "node:module";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";

const pkgDir = process.cwd();
const pkg = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));
const srcDir = join(pkgDir, "src");
const distDir = join(pkgDir, "dist");
const cjsDir = join(distDir, "cjs");
const started = Date.now();

const esmOnly = new Set();
const keepImport = new Set();
for (let i = 2; i < process.argv.length; i++) {
  if (process.argv[i] === "--esm-only" && process.argv[i + 1]) esmOnly.add(process.argv[++i]);
  else if (process.argv[i] === "--keep-import" && process.argv[i + 1]) keepImport.add(resolve(pkgDir, process.argv[++i]));
  else fail(`unknown argument ${process.argv[i]}; usage: build-cjs.mjs [--esm-only <entry>]... [--keep-import <src/file.ts>]...`);
}

function fail(message) {
  console.error(`build-cjs (${pkg.name}): ${message}`);
  process.exit(1);
}

const toPosix = (path) => path.split(sep).join("/");
const relativeImport = (fromDir, target) => {
  const path = toPosix(relative(fromDir, target));
  return path.startsWith(".") ? path : `./${path}`;
};

// ---- entries, from the exports map --------------------------------------------------------
const entries = Object.entries(pkg.exports ?? {})
  .filter(([subpath]) => subpath !== "./package.json")
  .map(([subpath, target]) => {
    const requireTarget = target?.require?.default;
    const match = /^\.\/dist\/cjs\/(.+)\.js$/.exec(requireTarget ?? "");
    if (!match) fail(`exports["${subpath}"].require.default must be ./dist/cjs/<entry>.js, got ${requireTarget}`);
    const name = match[1];
    const source = join(srcDir, `${name}.ts`);
    if (!existsSync(source)) fail(`exports["${subpath}"] needs ${relative(pkgDir, source)}`);
    const importTarget = target?.import?.default;
    if (importTarget !== `./dist/${name}.mjs`) fail(`exports["${subpath}"].import.default must be ./dist/${name}.mjs`);
    return { subpath, name, source };
  });
if (entries.length === 0) fail("package.json has no exports to build");
for (const name of esmOnly) {
  if (!entries.some((entry) => entry.name === name)) fail(`--esm-only ${name}: no such entry in exports`);
}

// ---- runtime dependencies: CommonJS ones stay external, ESM-only ones are bundled --------------
const requireFromPkg = createRequire(join(pkgDir, "package.json"));

/** Whether `file` is loaded as CommonJS by Node (by extension, else the nearest package.json). */
function isCommonJsFile(file) {
  if (file.endsWith(".cjs")) return true;
  if (file.endsWith(".mjs")) return false;
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest)) return JSON.parse(readFileSync(manifest, "utf8")).type !== "module";
    if (dirname(dir) === dir) return true;
  }
}

const vendored = new Map(); // dependency name -> absolute path of its bundled CommonJS file
for (const dep of Object.keys(pkg.dependencies ?? {})) {
  if (dep.startsWith("@cairn/")) continue; // built the same way: has a require entry
  let resolved;
  try {
    resolved = requireFromPkg.resolve(dep);
  } catch (error) {
    // ERR_PACKAGE_PATH_NOT_EXPORTED: the exports map has no `require` (or default) condition.
    if (error?.code !== "ERR_PACKAGE_PATH_NOT_EXPORTED") fail(`cannot resolve dependency ${dep}: ${error.message}`);
  }
  if (resolved === undefined || !isCommonJsFile(resolved)) {
    vendored.set(dep, join(cjsDir, "vendor", `${dep.replace(/^@/, "").replace(/\//g, "__")}.js`));
  }
}

// ---- which source files the entries reach at run time -------------------------------------------
// Type-only imports are erased, so this is exactly the set of modules the CommonJS tree needs.
const isBare = (path) => !path.startsWith(".") && !path.startsWith("/");
const graph = await build({
  absWorkingDir: pkgDir,
  entryPoints: entries.map((entry) => entry.source),
  bundle: true,
  write: false,
  metafile: true,
  format: "esm",
  platform: "node",
  outdir: join(pkgDir, ".build-cjs-graph"),
  logLevel: "error",
  plugins: [{ name: "bare-imports-external", setup: (b) => b.onResolve({ filter: /.*/ }, (args) => (isBare(args.path) ? { external: true } : undefined)) }],
});
const reached = Object.keys(graph.metafile.inputs)
  .map((input) => resolve(pkgDir, input))
  .filter((file) => file.startsWith(srcDir + sep) && file.endsWith(".ts"));

for (const file of keepImport) {
  if (!reached.includes(file)) fail(`--keep-import ${relative(pkgDir, file)}: not a module the entries reach`);
}
const keepsImport = reached.filter((file) => keepImport.has(file));
const lowersImport = reached.filter((file) => !keepImport.has(file));

// ---- the CommonJS tree ----------------------------------------------------------------------------
rmSync(cjsDir, { recursive: true, force: true });
mkdirSync(cjsDir, { recursive: true });
writeFileSync(join(cjsDir, "package.json"), `${JSON.stringify({ type: "commonjs" }, null, 2)}\n`);

// Vendored dependencies first: the tree's imports of them are written against their export names.
await Promise.all(
  [...vendored].map(([dep, outfile]) =>
    build({
      absWorkingDir: pkgDir,
      stdin: { contents: `export * from ${JSON.stringify(dep)};\nexport { default } from ${JSON.stringify(dep)};`, resolveDir: pkgDir },
      bundle: true,
      format: "cjs",
      platform: "node",
      target: "node20",
      outfile,
      logLevel: "warning",
      banner: { js: `// ${dep}@${dependencyVersion(dep)}, bundled for the CommonJS build (it ships ESM only).` },
      // The bundle needs the ESM build of the dependency: resolve it through the `import` condition.
      conditions: ["import"],
      mainFields: ["module", "main"],
    }),
  ),
);
const vendoredNames = new Map([...vendored].map(([dep, file]) => [dep, Object.keys(createRequire(file)(file)).filter((n) => n !== "__esModule")]));

/**
 * Keeps every import external. An ESM-only dependency is imported through a facade with its
 * ESM export names (default included), because esbuild gives a `type: module` importer Node's
 * semantics for a CommonJS file, where the default import would be the whole exports object.
 */
const externals = {
  name: "externals",
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind === "entry-point" || args.namespace === "vendor-facade") return undefined;
      const dep = [...vendored.keys()].find((name) => args.path === name || args.path.startsWith(`${name}/`));
      if (dep !== undefined) {
        if (args.path !== dep) fail(`${args.importer} imports ${args.path}; only the root of vendored ${dep} is bundled`);
        const outDir = join(cjsDir, relative(srcDir, dirname(args.importer)));
        return { path: dep, namespace: "vendor-facade", pluginData: { file: relativeImport(outDir, vendored.get(dep)) } };
      }
      return { path: args.path, external: true };
    });
    b.onResolve({ filter: /.*/, namespace: "vendor-facade" }, (args) => ({ path: args.path, external: true }));
    b.onLoad({ filter: /.*/, namespace: "vendor-facade" }, (args) => {
      const names = vendoredNames.get(args.path).filter((name) => name !== "default");
      const contents = [
        `const vendored = require(${JSON.stringify(args.pluginData.file)});`,
        "export default vendored.default;",
        `export const { ${names.join(", ")} } = vendored;`,
      ].join("\n");
      return { contents, loader: "js" };
    });
  },
};

/**
 * `import.meta.url` in the CommonJS tree reports the URL of the file's ESM twin in dist/, so a
 * file that finds assets relative to itself (the CLI reading its package.json) finds the same ones.
 */
const importMetaUrl = {
  name: "import-meta-url",
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, (args) => {
      const source = readFileSync(args.path, "utf8");
      if (!source.includes("import.meta")) return undefined;
      const twin = relativeImport(join(cjsDir, relative(srcDir, dirname(args.path))), join(distDir, relative(srcDir, args.path)).replace(/\.ts$/, ".js"));
      const shim = `const __importMetaUrl = require("node:url").pathToFileURL(require("node:path").join(__dirname, ${JSON.stringify(twin)})).href;\n`;
      return { contents: shim + source.replaceAll("import.meta.url", "__importMetaUrl"), loader: "ts" };
    });
  },
};

const common = {
  absWorkingDir: pkgDir,
  bundle: true, // with every import external: one output file per source file
  format: "cjs",
  platform: "node",
  target: "node20",
  outbase: srcDir,
  outdir: cjsDir,
  sourcemap: true,
  sourcesContent: false, // the maps point at src/, which is published
  logLevel: "warning",
  logOverride: { "empty-import-meta": "error" },
  plugins: [externals, importMetaUrl],
};
await Promise.all([
  lowersImport.length > 0 && build({ ...common, entryPoints: lowersImport, supported: { "dynamic-import": false } }),
  keepsImport.length > 0 && build({ ...common, entryPoints: keepsImport }),
]);

// The facades are inlined; their lines belong to the vendored bundle, which is published.
for (const file of listFiles(cjsDir).filter((f) => f.endsWith(".js.map"))) {
  const map = JSON.parse(readFileSync(file, "utf8"));
  if (!map.sources.some((source) => source.startsWith("vendor-facade:"))) continue;
  map.sources = map.sources.map((source) =>
    source.startsWith("vendor-facade:") ? relativeImport(dirname(file), vendored.get(source.slice("vendor-facade:".length))) : source,
  );
  writeFileSync(file, JSON.stringify(map));
}

// A file that keeps import() must not use it for a package: that import would fail under jest.
for (const file of keepsImport) {
  const code = readFileSync(join(cjsDir, relative(srcDir, file)).replace(/\.ts$/, ".js"), "utf8");
  const literal = /\bimport\(\s*["'`]([^"'`]+)/.exec(code);
  if (literal) fail(`${relative(pkgDir, file)} keeps import() but imports "${literal[1]}" with it; move that import to another file`);
}

// Declarations, read as CommonJS under dist/cjs (maps re-pointed from their new folder).
for (const file of listFiles(distDir)) {
  if (file.startsWith(cjsDir + sep) || !/\.d\.ts(\.map)?$/.test(file)) continue;
  const target = join(cjsDir, relative(distDir, file));
  mkdirSync(dirname(target), { recursive: true });
  if (file.endsWith(".map")) {
    const map = JSON.parse(readFileSync(file, "utf8"));
    map.sources = map.sources.map((source) => toPosix(relative(dirname(target), resolve(dirname(file), map.sourceRoot ?? "", source))));
    delete map.sourceRoot;
    writeFileSync(target, JSON.stringify(map));
  } else {
    cpSync(file, target);
  }
}

// ---- what `import` loads ------------------------------------------------------------------------------
const requireBuilt = createRequire(join(cjsDir, "package.json"));
for (const entry of entries) {
  const cjsEntry = join(cjsDir, `${entry.name}.js`);
  const wrapperFile = join(distDir, `${entry.name}.mjs`);
  if (esmOnly.has(entry.name)) {
    await build({
      absWorkingDir: pkgDir,
      entryPoints: [join(distDir, `${entry.name}.js`)],
      bundle: true,
      format: "esm",
      platform: "node",
      outfile: wrapperFile,
      logLevel: "warning",
      plugins: [
        {
          name: "share-cjs-tree",
          setup: (b) =>
            b.onResolve({ filter: /.*/ }, (args) => {
              if (args.kind === "entry-point") return undefined;
              if (isBare(args.path)) return { external: true };
              const target = resolve(dirname(args.importer), args.path);
              return { path: relativeImport(dirname(wrapperFile), join(cjsDir, relative(distDir, target))), external: true };
            }),
        },
      ],
    });
    continue;
  }
  // The names come from the built module itself, so the wrapper never drifts from it.
  const names = Object.keys(requireBuilt(cjsEntry)).filter((name) => name !== "__esModule");
  const invalid = names.filter((name) => !/^[A-Za-z_$][\w$]*$/.test(name));
  if (invalid.length > 0) fail(`entry ${entry.name} exports names a wrapper cannot re-export: ${invalid.join(", ")}`);
  const named = names.filter((name) => name !== "default");
  const lines = [
    `// Generated by scripts/build-cjs.mjs: Node's \`import\` of ${pkg.name}${entry.subpath.slice(1)} runs the CommonJS`,
    "// build, so importing and requiring the package in one process share one copy of it.",
    `import cjs from ${JSON.stringify(relativeImport(dirname(wrapperFile), cjsEntry))};`,
    ...(named.length > 0 ? [`export const {\n${named.map((name) => `  ${name},`).join("\n")}\n} = cjs;`] : []),
    ...(names.includes("default") ? ["export default cjs.default;"] : []),
  ];
  writeFileSync(wrapperFile, `${lines.join("\n")}\n`);
}

// Smoke check: every entry loads through both conditions.
for (const entry of entries) {
  if (esmOnly.has(entry.name)) continue;
  requireBuilt(join(cjsDir, `${entry.name}.js`));
  await import(pathToFileURL(join(distDir, `${entry.name}.mjs`)).href);
}

const vendorNote = vendored.size > 0 ? `, bundled ${[...vendored.keys()].join(", ")}` : "";
console.log(`build-cjs: ${pkg.name}: ${reached.length} CommonJS modules, ${entries.length} entries${vendorNote} (${Date.now() - started} ms)`);

/** The installed version of a dependency (its package.json need not be exported). */
function dependencyVersion(dep) {
  for (let dir = pkgDir; ; dir = dirname(dir)) {
    const manifest = join(dir, "node_modules", dep, "package.json");
    if (existsSync(manifest)) return JSON.parse(readFileSync(manifest, "utf8")).version;
    if (dirname(dir) === dir) return "unknown";
  }
}

function listFiles(dir) {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((dirent) => dirent.isFile())
    .map((dirent) => join(dirent.parentPath ?? dirent.path, dirent.name));
}
