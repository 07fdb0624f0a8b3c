// Every ```ts test block in docs/*.md is a complete handler module exporting `handler`,
// `payload` and `expected`, and optionally `setup(runner)`, called before the run (register
// invoke targets), and `respond(runner)`, run beside the run to play the outside world (answer
// callbacks). This suite runs each one on the local runner, so the
// examples in the docs are known to work as written.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { LocalDurableTestRunner } from "@cairn/testing";
import { describe, expect, it } from "vitest";

const docsDir = fileURLToPath(new URL("../../docs/", import.meta.url));
const outDir = fileURLToPath(new URL("./.generated/", import.meta.url));

interface Snippet {
  id: string;
  code: string;
}

function snippets(): Snippet[] {
  const found: Snippet[] = [];
  for (const file of readdirSync(docsDir).filter((f) => f.endsWith(".md")).sort()) {
    const text = readFileSync(join(docsDir, file), "utf8");
    const blocks = [...text.matchAll(/```ts test\n([\s\S]*?)```/g)];
    blocks.forEach((block, index) => found.push({ id: `${file.replace(/\.md$/, "")}-${index + 1}`, code: block[1] ?? "" }));
  }
  return found;
}

const all = snippets();
rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });

describe("runnable examples in docs/", () => {
  it("finds the documented examples", () => {
    expect(all.length).toBeGreaterThanOrEqual(2);
  });

  it.each(all)("$id runs and returns what the docs say", async ({ id, code }) => {
    const path = join(outDir, `${id}.ts`);
    writeFileSync(path, code);
    const module = (await import(/* @vite-ignore */ path)) as {
      handler: ConstructorParameters<typeof LocalDurableTestRunner>[0]["handlerFunction"];
      payload?: unknown;
      expected: unknown;
      /** Plays the outside world while the run goes on (e.g. answers a callback). */
      respond?: (runner: LocalDurableTestRunner) => Promise<void>;
      /** Prepares the runner before the run (e.g. registers the functions ctx.invoke calls). */
      setup?: (runner: LocalDurableTestRunner) => void;
    };
    const runner = new LocalDurableTestRunner({ handlerFunction: module.handler, skipTime: true });
    module.setup?.(runner);
    const running = runner.run({ payload: module.payload });
    if (module.respond) await module.respond(runner);
    const result = await running;
    const status = result.getStatus();
    expect(status === "SUCCEEDED" ? status : `${status}: ${result.getError().errorMessage}`).toBe("SUCCEEDED");
    expect(result.getResult()).toEqual(module.expected);
  });
});
