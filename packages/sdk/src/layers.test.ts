// The layer rules (scripts/sdk-layers.js, wired in eslint.config.js) reject an upward import with
// a message, and leave downward and type-only-allowed imports alone.
import { ESLint } from "eslint";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const eslint = new ESLint({ cwd: root });

async function lint(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${root}packages/sdk/src/${file}` });
  return (result?.messages ?? []).filter((m) => m.ruleId === "@typescript-eslint/no-restricted-imports").map((m) => m.message);
}

describe("sdk layer rules", () => {
  it.each([
    ["engine/probe.ts", 'import { ContextImpl } from "../context/durable-context-impl.js";\nvoid ContextImpl;\n'],
    ["engine/probe.ts", 'import { CheckpointService } from "../service/checkpoint-service.js";\nvoid CheckpointService;\n'],
    ["context/batch/probe.ts", 'import { runExecution } from "../../orchestrator/run-execution.js";\nvoid runExecution;\n'],
    ["service/file-store/probe.ts", 'import { InvocationEngine } from "../../engine/invocation-engine.js";\nvoid InvocationEngine;\n'],
    ["protocol/probe.ts", 'import { ValidationError } from "../errors/validation-error.js";\nvoid ValidationError;\n'],
    ["index.ts", 'export { MemoryExecutionStore } from "./service/memory-store.js";\n'],
    ["backend.ts", 'export { runExecution } from "./orchestrator/run-execution.js";\n'],
    ["errors/probe.ts", 'import { createBatchResult } from "../types/batch.js";\nvoid createBatchResult;\n'],
  ])("%s: %s is refused", async (file, code) => {
    const messages = await lint(file, code);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/must not reach|below these folders/);
  });

  it.each([
    ["context/probe.ts", 'import { InvocationEngine } from "../engine/invocation-engine.js";\nvoid InvocationEngine;\n'],
    ["orchestrator/probe.ts", 'import { CheckpointService } from "../service/checkpoint-service.js";\nvoid CheckpointService;\n'],
    ["errors/probe.ts", 'import type { CompletionReason } from "../types/batch.js";\nexport type R = CompletionReason;\n'],
    ["context/batch/probe.ts", 'import { ContextImpl } from "../durable-context-impl.js";\nvoid ContextImpl;\n'],
  ])("%s: %s is allowed", async (file, code) => {
    expect(await lint(file, code)).toEqual([]);
  });

  it("tests may import across layers", async () => {
    expect(await lint("engine/probe.test.ts", 'import { CheckpointService } from "../service/checkpoint-service.js";\nvoid CheckpointService;\n')).toEqual([]);
  });
});
