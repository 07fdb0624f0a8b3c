// End-to-end: `cairn run` on TypeScript handlers, compiled on the fly (spawns the built CLI, like
// cli.test.ts), in a project of their own whose node_modules holds the SDK.
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EXECUTION_ID, runCli } from "./test-support/spawn-cli.js";
import { typeScriptProject, type TypeScriptProject } from "./test-support/typescript-project.js";

let project: TypeScriptProject;
let store: string;

beforeEach(() => {
  project = typeScriptProject();
  store = join(project.path, ".cairn");
});
afterEach(() => project.cleanup());

// Types, interfaces and a relative import written the TypeScript way ("./pricing.js" is pricing.ts).
const PRICING = `export interface Line {
  sku: string;
  qty: number;
}

export function priceOf(line: Line): number {
  return line.qty * 250;
}

export function refuse(line: Line): never {
  throw new RangeError(\`no stock for \${line.sku}\`);
}
`;
const REFUSE_LINE = 11; // the throw in PRICING

const HANDLER = `import { withDurableExecution, type DurableContext } from "@cairn/sdk";
import { priceOf, refuse, type Line } from "./lib/pricing.js";

type Order = { lines: Line[] };

export const handler = withDurableExecution(async (order: Order, ctx: DurableContext): Promise<{ total: number }> => {
  let total = 0;
  for (const line of order.lines) {
    if (line.qty < 0) {
      await ctx.step(\`refuse-\${line.sku}\`, async () => refuse(line), { retryStrategy: () => ({ shouldRetry: false }) });
    }
    total += await ctx.step(\`price-\${line.sku}\`, async (): Promise<number> => priceOf(line));
  }
  return { total };
});
`;

describe("cairn run with a TypeScript handler", () => {
  it("compiles a typed handler with a relative .ts import and runs it to success", async () => {
    project.write("lib/pricing.ts", PRICING);
    const handler = project.write("handler.ts", HANDLER);
    const run = await runCli(["run", handler, "--store", store, "--input", '{"lines":[{"sku":"A","qty":2},{"sku":"B","qty":1}]}']);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain("✓ step price-A (1)");
    expect(run.stdout).toContain('"total": 750');
    // The compiled module lives in the project's node_modules cache, where @cairn/sdk resolves.
    const cache = join(project.path, "node_modules", ".cache", "cairn");
    expect(readdirSync(cache).some((name) => /^handler\.[0-9a-f]{16}\.mjs$/.test(name))).toBe(true);
    // The execution records the .ts file, so resume compiles it again.
    const id = EXECUTION_ID.exec(run.stdout)?.[1] as string;
    const resumed = await runCli(["resume", id, "--store", store]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain("SUCCEEDED");
  });

  it("shows the user's own .ts file and line for an error thrown in a step", async () => {
    project.write("lib/pricing.ts", PRICING);
    const handler = project.write("handler.ts", HANDLER);
    const run = await runCli(["run", handler, "--store", store, "--input", '{"lines":[{"sku":"C","qty":-1}]}']);
    expect(run.code, run.stdout + run.stderr).toBe(1);
    expect(run.stdout).toMatch(/✗ step refuse-C \(1\).*RangeError: no stock for C/);
    // Mapped through the inline source map back to pricing.ts, not the compiled bundle.
    expect(run.stdout).toMatch(new RegExp(`\\n\\s+at refuse \\(.*lib[/\\\\]pricing\\.ts:${REFUSE_LINE}:\\d+\\) ← your code\\n`));
    expect(run.stdout).not.toMatch(/\.cache[/\\]cairn/);
  });

  it("refuses a handler that does not compile with esbuild's file:line message, exit 1, and no execution", async () => {
    project.write("lib/pricing.ts", PRICING.replace("return line.qty * 250;", "return line.qty * ;"));
    const handler = project.write("handler.ts", HANDLER);
    const run = await runCli(["run", handler, "--store", store, "--json"]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain(`cairn: HandlerLoadError: ${handler} does not compile:`);
    expect(run.stderr).toMatch(/lib[/\\]pricing\.ts:7:\d+:/);
    expect(run.stderr).toContain("No execution was started.");
    expect(existsSync(store)).toBe(false);
  });

  it("loads .mts as an ES module and .cts as CommonJS, each seeing its own location", async () => {
    const cjs = typeScriptProject(null);
    try {
      const mts = cjs.write(
        "esm/handler.mts",
        `import { withDurableExecution } from "@cairn/sdk";
export default withDurableExecution(async (): Promise<string> => new URL("./data.json", import.meta.url).pathname);
const ready: boolean = await Promise.resolve(true); // top-level await: ESM only
if (!ready) throw new Error("unreachable");
`,
      );
      const cts = cjs.write(
        "cjs/handler.cts",
        `import { withDurableExecution } from "@cairn/sdk";
export const handler = withDurableExecution(async (): Promise<string> => require("node:path").join(__dirname, "data.json"));
`,
      );
      const esmRun = await runCli(["run", mts, "--store", store, "--json"]);
      expect(esmRun.code, esmRun.stderr).toBe(0);
      expect((JSON.parse(esmRun.stdout) as { result: string }).result).toBe(join(cjs.path, "esm", "data.json").replaceAll("\\", "/"));
      const cjsRun = await runCli(["run", cts, "--store", store, "--json"]);
      expect(cjsRun.code, cjsRun.stderr).toBe(0);
      expect((JSON.parse(cjsRun.stdout) as { result: string }).result).toBe(join(cjs.path, "cjs", "data.json"));
    } finally {
      cjs.cleanup();
    }
  });
});
