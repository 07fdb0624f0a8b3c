#!/usr/bin/env node
// Builds the API reference (TypeDoc) for every package into docs/api/, and fails on any warning.
//
// Entry points come from each packages/*/package.json `exports` map, as the build reads them:
// the subpath whose `require` target is ./dist/cjs/<name>.js is documented from src/<name>.ts,
// under its import specifier (`@cairn/sdk`, `@cairn/testing/vitest`, ...). Nothing is listed
// here by hand, so a new entry point is documented (and must be documented) as soon as it ships.
//
// Each package is converted alone, with its own tsconfig, and validated there: a name reachable
// from an entry point without a doc comment (notDocumented), a public type that refers to a type
// its package does not export (notExported). The packages are then merged into one site and the
// {@link} targets are checked across packages (invalidLink). treatWarningsAsErrors: one warning
// fails the run. The packages that import @cairn/sdk resolve it through its built declarations,
// so build first (`npm run docs:api` does).
//
// Usage: node scripts/api-docs.mjs [--out <dir>] [--package <name>]...
//   --out      where the HTML goes (default docs/api)
//   --package  document only these packages (repeatable), e.g. --package @cairn/sdk
import { mkdtempSync, readdirSync, readFileSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Application, Converter, LogLevel, ReflectionKind } from "typedoc";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const toPosix = (path) => path.split(sep).join("/");

/**
 * The documented entry points of every package under packages/, read from the `exports` maps.
 * @returns one item per package: its name, folder, tsconfig, and entry points
 *   (`specifier` is the import path, `source` the absolute path of src/<name>.ts).
 */
export function apiEntryPoints(root = repoRoot) {
  const packagesDir = join(root, "packages");
  return readdirSync(packagesDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(packagesDir, entry.name, "package.json")))
    .map((entry) => {
      const dir = join(packagesDir, entry.name);
      const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
      const entryPoints = Object.entries(pkg.exports ?? {})
        .filter(([subpath]) => subpath !== "./package.json")
        .map(([subpath, target]) => {
          const requireTarget = target?.require?.default ?? "";
          const match = /^\.\/dist\/cjs\/(.+)\.js$/.exec(requireTarget);
          if (!match) throw new Error(`${pkg.name}: exports["${subpath}"].require.default must be ./dist/cjs/<name>.js`);
          const source = join(dir, "src", `${match[1]}.ts`);
          if (!existsSync(source)) throw new Error(`${pkg.name}: exports["${subpath}"] has no source ${relative(root, source)}`);
          return { specifier: subpath === "." ? pkg.name : `${pkg.name}/${subpath.replace(/^\.\//, "")}`, source };
        });
      const tsconfig = ["tsconfig.build.json", "tsconfig.json"].map((name) => join(dir, name)).find(existsSync);
      return { name: pkg.name, dir, tsconfig, entryPoints };
    })
    .filter((pkg) => pkg.entryPoints.length > 0);
}

// Options every conversion shares. `@internal` names and private/protected members are not part
// of the reference (nor required to be documented).
const validation = { notExported: true, invalidLink: true, notDocumented: true, rewrittenLink: true };
const sharedOptions = {
  treatWarningsAsErrors: true,
  excludePrivate: true,
  excludeProtected: true,
  excludeInternal: true,
  sort: ["source-order"],
  githubPages: false,
  disableSources: true,
  logLevel: "Warn",
};

/** Runs one TypeDoc application, collecting its warnings and errors instead of only printing them. */
async function runTypeDoc(options, collect) {
  const app = await Application.bootstrapWithPlugins(options);
  const log = app.logger.log.bind(app.logger);
  app.logger.log = (message, level) => {
    // Without the terminal colours and the level prefix, so the test can print the list.
    if (level >= LogLevel.Warn) collect.push(`${level >= LogLevel.Error ? "error" : "warning"}: ${message.replace(/\x1b\[[0-9;]*m/g, "").replace(/^\[(warning|error)\] /, "")}`);
    log(message, level);
  };
  return app;
}

/**
 * Builds the reference. Returns the warnings and errors per package (an empty list: clean).
 * @param {{ out?: string, packages?: string[], quiet?: boolean }} [options]
 */
export async function buildApiDocs({ out = join(repoRoot, "docs/api"), packages, quiet = false } = {}) {
  const selected = apiEntryPoints().filter((pkg) => !packages?.length || packages.includes(pkg.name));
  if (selected.length === 0) throw new Error(`no package matches ${packages?.join(", ")}`);
  const workDir = mkdtempSync(join(tmpdir(), "cairn-api-docs-"));
  /** @type {Map<string, string[]>} */
  const problems = new Map();
  const say = (text) => {
    if (!quiet) console.log(text);
  };
  try {
    const jsonFiles = [];
    for (const pkg of selected) {
      const collect = [];
      problems.set(pkg.name, collect);
      const json = join(workDir, `${pkg.name.replace(/[@/]/g, "_")}.json`);
      const app = await runTypeDoc(
        {
          ...sharedOptions,
          name: pkg.name,
          entryPoints: pkg.entryPoints.map((entry) => entry.source),
          entryPointStrategy: "resolve",
          tsconfig: pkg.tsconfig,
          // The package READMEs link into the repository (../../docs), which a rendered page cannot.
          readme: "none",
          // Links to another package resolve only in the merged project (checked below).
          validation: { ...validation, invalidLink: false },
          logLevel: quiet ? "None" : "Warn",
        },
        collect,
      );
      // Each entry point is named by its import specifier, not by its file path.
      const specifierOf = new Map(pkg.entryPoints.map((entry) => [toPosix(relative(pkg.dir, entry.source)), entry.specifier]));
      app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
        for (const module of context.project.getChildrenByKind(ReflectionKind.Module)) {
          const specifier = specifierOf.get(context.project.getSymbolIdFromReflection(module)?.packagePath ?? "");
          if (specifier) module.name = specifier;
        }
      });
      const project = await app.convert();
      if (!project) {
        if (collect.length === 0) collect.push("error: TypeDoc could not convert the package");
        continue;
      }
      app.validate(project);
      await app.generateJson(project, json);
      jsonFiles.push(json);
      say(`${pkg.name}: ${collect.length} problem(s)`);
    }
    if (jsonFiles.length === selected.length) {
      const collect = [];
      problems.set("(merged)", collect);
      const app = await runTypeDoc(
        {
          ...sharedOptions,
          name: "Cairn",
          entryPoints: jsonFiles,
          entryPointStrategy: "merge",
          readme: "none",
          validation: { notExported: false, notDocumented: false, invalidLink: true, rewrittenLink: true },
          out,
          logLevel: quiet ? "None" : "Warn",
        },
        collect,
      );
      const project = await app.convert();
      if (project) {
        app.validate(project);
        await app.generateDocs(project, out);
        say(`API reference written to ${relative(process.cwd(), out) || "."}`);
      } else if (collect.length === 0) {
        collect.push("error: TypeDoc could not merge the packages");
      }
    }
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
  return problems;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const args = process.argv.slice(2);
  const packages = [];
  let out;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--out" && args[i + 1]) out = resolve(args[++i]);
    else if (args[i] === "--package" && args[i + 1]) packages.push(args[++i]);
    else {
      console.error(`unknown argument ${args[i]}; usage: api-docs.mjs [--out <dir>] [--package <name>]...`);
      process.exit(2);
    }
  }
  const problems = await buildApiDocs({ out, packages });
  const total = [...problems.values()].reduce((sum, list) => sum + list.length, 0);
  if (total > 0) {
    console.error(`\nAPI reference: ${total} problem(s)`);
    for (const [name, list] of problems) if (list.length) console.error(`  ${name}: ${list.length}`);
    process.exit(1);
  }
}
