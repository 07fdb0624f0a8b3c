import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runNode } from "./run-node.js";

// Are the types wrong? `attw --pack` packs each publishable package as npm would and resolves
// every entry point of its `exports` the four ways TypeScript can (node10, node16 from CommonJS,
// node16 from ESM, bundler); any problem fails. `npm test` builds every package before this runs.

const root = fileURLToPath(new URL("../..", import.meta.url));
const require = createRequire(import.meta.url);
const attwBin = join(dirname(require.resolve("@arethetypeswrong/cli/package.json")), "dist", "index.js");

interface PackageJson {
  name: string;
  private?: boolean;
  exports?: Record<string, unknown>;
}

interface AttwProblem {
  kind: string;
  entrypoint?: string;
  resolutionKind?: string;
}

const packages = readdirSync(join(root, "packages"))
  .map((name) => join(root, "packages", name))
  .filter((dir) => existsSync(join(dir, "package.json")))
  .map((dir) => ({ dir, pkg: JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as PackageJson }))
  .filter(({ pkg }) => pkg.private !== true);

/** attw's names for its problem kinds (its README), so a failure says what is wrong. */
const MEANING: Record<string, string> = {
  NoResolution: "the entry point does not resolve",
  UntypedResolution: "resolves to JavaScript without types",
  FalseCJS: "types say CommonJS, the JavaScript is ESM (masquerading as CJS)",
  FalseESM: "types say ESM, the JavaScript is CommonJS (masquerading as ESM)",
  CJSResolvesToESM: "require() resolves to an ES module",
  FallbackCondition: "resolved through a fallback condition",
  CJSOnlyExportsDefault: "CommonJS module exports only a default",
  NamedExports: "named exports of the types are missing from the JavaScript",
  FalseExportDefault: "types declare a default export the JavaScript lacks",
  MissingExportEquals: "types lack the `export =` the JavaScript uses",
  UnexpectedModuleSyntax: "syntax does not match the module kind",
  InternalResolutionError: "an import inside the types does not resolve",
};

/** Every file the `exports` map points at, so an unbuilt package fails with that, not with attw's puzzle. */
function exportTargets(exportsMap: Record<string, unknown>): string[] {
  const targets: string[] = [];
  const walk = (value: unknown) => {
    if (typeof value === "string") targets.push(value);
    else if (value && typeof value === "object") Object.values(value).forEach(walk);
  };
  walk(exportsMap);
  return targets.filter((t) => !t.includes("*"));
}

/** The fix for node10 (which ignores `exports`) failing on a subpath: a `typesVersions` entry. */
function node10Hint(pkg: PackageJson, entrypoint: string): string {
  const target = pkg.exports?.[entrypoint] as { require?: { types?: string } } | undefined;
  const types = target?.require?.types ?? "<the subpath's CommonJS .d.ts>";
  const key = entrypoint.replace(/^\.\//, "");
  return `node10 ignores "exports": add "typesVersions": { "*": { ${JSON.stringify(key)}: [${JSON.stringify(types)}] } } to ${pkg.name}'s package.json`;
}

describe("package types (@arethetypeswrong/cli, every resolution mode)", () => {
  it.each(packages.map((p) => [p.pkg.name, p] as const))("%s", async (_name, { dir, pkg }) => {
    const missing = exportTargets(pkg.exports ?? {}).filter((t) => !existsSync(join(dir, t)));
    expect(missing, `${pkg.name} is not built (run \`npx turbo run build\`): missing ${missing.join(", ")}`).toEqual([]);

    const result = await runNode([attwBin, "--pack", dir, "--format", "json"], root);
    let problems: AttwProblem[];
    try {
      const report = JSON.parse(result.stdout) as { analysis?: { problems?: AttwProblem[] } };
      problems = report.analysis?.problems ?? [];
    } catch {
      throw new Error(`attw gave no JSON report (exit ${result.exit}):\n${result.stdout}${result.stderr}`);
    }
    const lines = problems.map((p) => {
      const where = `${p.entrypoint ?? "(package)"} [${p.resolutionKind ?? "all"}]`;
      const hint = p.kind === "NoResolution" && p.resolutionKind === "node10" && p.entrypoint !== "." ? `\n    fix: ${node10Hint(pkg, p.entrypoint ?? "")}` : "";
      return `  ${where}: ${p.kind}: ${MEANING[p.kind] ?? ""}${hint}`;
    });
    expect(lines, `attw found ${lines.length} problem(s) in ${pkg.name}:\n${lines.join("\n")}`).toEqual([]);
  });
});
