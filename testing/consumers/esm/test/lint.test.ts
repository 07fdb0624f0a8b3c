// @cairn/eslint-plugin as an ESM TypeScript project uses it: eslint.config.js with
// typescript-eslint and the plugin's recommended config, run through ESLint's own API.
import { ESLint } from "eslint";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const project = fileURLToPath(new URL("..", import.meta.url));

const careless = `
import { withDurableExecution } from "@cairn/sdk";

export const handler = withDurableExecution(async (_event: unknown, ctx) => {
  let total = 0;
  const startedAt = Date.now();
  ctx.wait("cool-down", { seconds: 5 });
  await ctx.step("count", async () => {
    total += 1;
    await ctx.wait("inside", { seconds: 1 });
  });
  return { total, startedAt };
});
`;

describe("@cairn/eslint-plugin from the installed tarball", () => {
  it("finds nothing in the project's own handler", async () => {
    const eslint = new ESLint({ cwd: project });
    const results = await eslint.lintFiles(["src/**/*.ts"]);
    expect(results.length).toBeGreaterThan(0);
    expect(results.flatMap((result) => result.messages)).toEqual([]);
  });

  it("reports each determinism mistake under its rule", async () => {
    const eslint = new ESLint({ cwd: project });
    const [result] = await eslint.lintText(careless, { filePath: `${project}src/careless.ts` });
    const ruleIds = result!.messages.map((message) => message.ruleId).sort();
    expect(ruleIds).toEqual([
      "@cairn/no-floating-durable-promises",
      "@cairn/no-mutation-in-step",
      "@cairn/no-nested-durable-operations",
      "@cairn/no-non-deterministic-outside-step",
    ]);
    expect(result!.errorCount).toBe(4);
  });
});
