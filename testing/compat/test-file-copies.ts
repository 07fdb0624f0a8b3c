// Emits the two copies of every test file in test-files/ (and the handler modules beside them)
// as the project of a user who runs them: `aws/` byte for byte, `cairn/` with the import lines
// ported by toCairn. Each copy is a CommonJS project (package.json "type": "commonjs", a
// tsconfig as ts-jest users write it, jest.config.cjs with the ts-jest preset) that also runs
// under vitest (vitest.config.mjs, globals on, ESM) — the same files, unchanged.
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { generatedDir, toCairn, type SdkName } from "./generate.js";

const here = fileURLToPath(new URL(".", import.meta.url));
export const testFilesDir = join(here, "test-files");
export const testFileCopiesDir = join(generatedDir, "test-files");
const repoRoot = join(here, "..", "..");

/** Upper bound for one test in either runner: a hung run fails with jest's/vitest's timeout message. */
export const TEST_TIMEOUT_MS = 30_000;

export interface TestFileCopies {
  /** Every ported file (test files and the handler modules they import), relative names. */
  files: string[];
  dirs: Record<SdkName, string>;
}

export function generateTestFileCopies(): TestFileCopies {
  const files = readdirSync(testFilesDir).filter((f) => f.endsWith(".ts")).sort();
  const dirs: Record<SdkName, string> = { aws: join(testFileCopiesDir, "aws"), cairn: join(testFileCopiesDir, "cairn") };
  for (const [sdk, dir] of Object.entries(dirs) as [SdkName, string][]) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    for (const file of files) {
      const source = readFileSync(join(testFilesDir, file), "utf8");
      writeFileSync(join(dir, file), sdk === "aws" ? source : toCairn(source));
    }
    writeProject(dir, sdk);
  }
  return { files, dirs };
}

function writeJson(path: string, value: unknown): void {
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
}

function writeProject(dir: string, sdk: SdkName): void {
  writeJson(join(dir, "package.json"), { name: "ported-tests", private: true, type: "commonjs" });
  // What a ts-jest project in CommonJS mode compiles with: packages resolved the Node 10 way
  // (`main`/`types`; jest itself loads them through the `require` condition of `exports`).
  writeJson(join(dir, "tsconfig.json"), {
    compilerOptions: {
      target: "ES2022",
      module: "commonjs",
      moduleResolution: "node10",
      strict: true,
      esModuleInterop: true,
      skipLibCheck: true,
      isolatedModules: false,
      types: ["jest", "node"],
    },
    include: ["*.ts"],
  });
  // The vitest flavour: the same files type-checked as ESM, with vitest's globals.
  writeJson(join(dir, "tsconfig.esm.json"), {
    compilerOptions: {
      target: "ES2022",
      module: "esnext",
      moduleResolution: "bundler",
      strict: true,
      esModuleInterop: true,
      skipLibCheck: true,
      noEmit: true,
      types: ["vitest/globals", "node"],
    },
    include: ["*.ts"],
  });
  writeFileSync(
    join(dir, "jest.config.cjs"),
    `// ts-jest's preset, CommonJS, type-checked (isolatedModules is off in tsconfig.json).
module.exports = {
  rootDir: __dirname,
  preset: "ts-jest",
  testEnvironment: "node",
  testMatch: ["<rootDir>/*.spec.ts"],
  testTimeout: ${TEST_TIMEOUT_MS},
};
`,
  );
  // COMPAT_CAIRN_FROM_SOURCE=1 (Cairn copy only) loads @cairn/* from the package sources instead
  // of their builds: for reading a difference while a package does not build.
  const fromSource =
    sdk === "cairn"
      ? `process.env.COMPAT_CAIRN_FROM_SOURCE ? ${JSON.stringify({
          "@cairn/sdk": join(repoRoot, "packages/sdk/src/index.ts"),
          "@cairn/testing": join(repoRoot, "packages/testing/src/index.ts"),
        })} : {}`
      : "{}";
  writeFileSync(
    join(dir, "vitest.config.mjs"),
    `// vitest as an ESM project runs the same test files: globals on, packages loaded through
// the \`import\` condition of their exports.
import { defineConfig } from "vitest/config";
import { fileURLToPath } from "node:url";

export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  resolve: { alias: ${fromSource} },
  test: {
    // Loaded by Node as an installed dependency is: the workspace links resolve outside
    // node_modules, where vitest would otherwise transform them as the project's own code.
    server: { deps: { external: [/\\/packages\\/[^/]+\\/dist\\//] } },
    globals: true,
    include: ["*.spec.ts"],
    // One file at a time, as jest runs with --runInBand here: with every file's checkpoint
    // server and fake clock in flight at once on a loaded machine, AWS's runner has hung.
    fileParallelism: false,
    testTimeout: ${TEST_TIMEOUT_MS},
    hookTimeout: ${TEST_TIMEOUT_MS},
  },
});
`,
  );
}
