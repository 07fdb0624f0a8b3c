// @cairn/testing exports every name @aws/durable-execution-sdk-js-testing exports — each value as
// a value, each type as a type — and its enums have the same members. The AWS list is read from
// the installed package's declarations, so a new AWS export fails this test until Cairn has it.
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import * as cairn from "./index.js";

const require = createRequire(import.meta.url);
const root = fileURLToPath(new URL("../../../", import.meta.url));
// The package's main file is dist-cjs/index.js; its declarations sit beside, in dist-types.
const awsEntry = require.resolve("@aws/durable-execution-sdk-js-testing").replace(/dist-cjs[\\/]index\.js$/, "dist-types/index.d.ts");
const cairnEntry = fileURLToPath(new URL("./index.ts", import.meta.url));

interface Exported {
  values: Set<string>;
  types: Set<string>;
}

/** What a module exports, resolved through re-exports, split into values and types. */
function exportsOf(program: ts.Program, file: string): Exported {
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file);
  const module = source && checker.getSymbolAtLocation(source);
  if (!module) throw new Error(`TypeScript could not read the module ${file}`);
  const result: Exported = { values: new Set(), types: new Set() };
  for (const symbol of checker.getExportsOfModule(module)) {
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    // `export type { X }` makes even a class a type-only export.
    const typeOnly = symbol.declarations?.some((d) => ts.isTypeOnlyImportOrExportDeclaration(d)) ?? false;
    if (target.flags & ts.SymbolFlags.Value && !typeOnly) result.values.add(symbol.name);
    if (target.flags & ts.SymbolFlags.Type) result.types.add(symbol.name);
  }
  return result;
}

describe("the AWS testing library's surface", () => {
  it("is all exported by @cairn/testing, values as values and types as types", { timeout: 60_000 }, () => {
    const program = ts.createProgram([awsEntry, cairnEntry], {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      skipLibCheck: true,
      noEmit: true,
      types: [],
      // Cairn's packages from source, so the check never reads a stale build.
      baseUrl: root,
      paths: { "@cairn/sdk": ["packages/sdk/src/index.ts"] },
    });
    const aws = exportsOf(program, awsEntry);
    const ours = exportsOf(program, cairnEntry);
    // The list is read, not assumed: the AWS package exports at least these.
    expect([...aws.values]).toEqual(
      expect.arrayContaining(["LocalDurableTestRunner", "CloudDurableTestRunner", "WaitingOperationStatus", "ExecutionStatus", "InvocationType"]),
    );
    expect([...aws.types]).toEqual(expect.arrayContaining(["DurableTestRunner", "TestResult", "WireOperation", "CloudDurableTestRunnerConfig"]));
    expect([...aws.values].filter((name) => !ours.values.has(name)), "AWS values missing from @cairn/testing").toEqual([]);
    expect([...aws.types].filter((name) => !ours.types.has(name)), "AWS types missing from @cairn/testing").toEqual([]);
  });

  it("has enums with the same members and values", () => {
    const awsTesting = require("@aws/durable-execution-sdk-js-testing") as Record<string, unknown>;
    const clientLambda = require("@aws-sdk/client-lambda") as Record<string, unknown>;
    for (const name of ["ExecutionStatus", "InvocationType", "OperationStatus", "OperationType", "WaitingOperationStatus"] as const) {
      expect({ ...(cairn[name] as object) }, name).toEqual({ ...(awsTesting[name] as object) });
    }
    expect({ ...cairn.ExecutionStatus }).toEqual({ ...(clientLambda.ExecutionStatus as object) });
    expect({ ...cairn.InvocationType }).toEqual({ ...(clientLambda.InvocationType as object) });
  });
});
