import { mkdtempSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  COVERED_CATEGORIES,
  DEFAULT_REQUIREMENTS_DIR,
  listRequirementFiles,
  loadRequirement,
  resolveVariables,
  substitute,
} from "./lib/loader.js";

describe("variables", () => {
  it("generates GEN_STR values of the asked length, once", () => {
    const vars = resolveVariables({ A: "${GEN_STR:8}", B: "${GEN_STR:12}", C: "x-${A}" });
    expect(vars.A).toMatch(/^[A-Za-z0-9]{8}$/);
    expect(vars.B).toMatch(/^[A-Za-z0-9]{12}$/);
    expect(vars.C).toBe(`x-${vars.A}`);
  });

  it("substitutes known variables everywhere and keeps other tokens", () => {
    const out = substitute(
      { Input: "${A}", list: ['"${A}"', "${ID1}", "${/^a$/}"], n: 2, nothing: null },
      { A: "abc" },
    );
    expect(out).toEqual({ Input: "abc", list: ['"abc"', "${ID1}", "${/^a$/}"], n: 2, nothing: null });
  });
});

describe("loadRequirement", () => {
  it("reads a requirement with variables, history and logs", () => {
    const dir = mkdtempSync(join(tmpdir(), "conf-"));
    mkdirSync(join(dir, "step"));
    const file = join(dir, "step", "1-7.yaml");
    writeFileSync(
      file,
      [
        "---",
        "description: d",
        "Variables:",
        "  INPUT_1: ${GEN_STR:8}",
        "Input: ${INPUT_1}",
        "ExpectedResult:",
        "  ExecutionStatus: SUCCEEDED",
        "  Result: Hello, ${INPUT_1}!",
        "ExpectedExecutionHistory:",
        "  - EventType: StepStarted",
        "    EventId: 2",
        "    Id: ${ID1}",
        "ExpectedLogs:",
        "  - match:",
        "      message: '/${INPUT_1}/'",
        "    count: 1",
        "",
      ].join("\n"),
    );
    writeFileSync(join(dir, "step", "1-10.yaml"), "---\ndescription: x\nInput:\n");
    const req = loadRequirement(file, "step");
    const input = req.variables.INPUT_1!;
    expect(req.key).toBe("step/1-7");
    expect(req.input).toBe(input);
    expect(req.expectedResult).toEqual({ ExecutionStatus: "SUCCEEDED", Result: `Hello, ${input}!` });
    expect(req.expectedHistory).toEqual([{ EventType: "StepStarted", EventId: 2, Id: "${ID1}" }]);
    expect(req.expectedLogs).toEqual([{ match: { message: `/${input}/` }, count: 1 }]);
    expect(req.asyncInvoke).toBe(false);

    const empty = loadRequirement(join(dir, "step", "1-10.yaml"), "step");
    expect(empty.input).toBeNull();
    expect(empty.expectedResult).toBeUndefined();

    expect(listRequirementFiles(dir, ["step"]).map((f) => f.key)).toEqual(["step/1-7", "step/1-10"]);
  });

  it("covers every category of the shared vectors and loads each vector", () => {
    const shared = readdirSync(DEFAULT_REQUIREMENTS_DIR, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
    expect([...COVERED_CATEGORIES].sort()).toEqual(shared.sort());
    const files = listRequirementFiles();
    expect(files.length).toBe(118);
    for (const f of files) {
      const req = loadRequirement(f.file, f.category);
      expect(req.expectedHistory.length, f.key).toBeGreaterThan(0);
    }
  });
});
