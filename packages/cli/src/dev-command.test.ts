// End-to-end: `cairn dev` runs a handler, runs it again when it or a module it imports changes,
// waits out a compile error, and ends with exit 0 on Ctrl-C (spawns the built CLI).
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startCli, type RunningCli } from "./test-support/spawn-cli.js";
import { typeScriptProject, type TypeScriptProject } from "./test-support/typescript-project.js";

let project: TypeScriptProject;
let dev: RunningCli | undefined;

beforeEach(() => {
  project = typeScriptProject();
});
afterEach(() => {
  // A failed assertion must not leave a watching process behind.
  if (dev !== undefined && dev.child.exitCode === null && dev.child.signalCode === null) dev.child.kill("SIGKILL");
  dev = undefined;
  project.cleanup();
});

const rate = (value: number) => `export const RATE: number = ${value};\n`;
const HANDLER = `import { withDurableExecution } from "@cairn/sdk";
import { RATE } from "./rate.js";

export const handler = withDurableExecution(async (event: { qty: number }, ctx) => {
  const total: number = await ctx.step("price", async () => event.qty * RATE);
  return { total };
});
`;

function startDev(args: string[]): void {
  dev = startCli(["dev", ...args], { cwd: project.path });
  printed = "";
  dev.child.stdout?.on("data", (chunk: string) => (printed += chunk));
}
let printed = "";

/** Waits (at most 20 s) for the `count`-th "cairn dev: <outcome>" line, failing with the output so far. */
async function outcome(count: number, pattern: RegExp): Promise<string> {
  const running = dev as RunningCli;
  const lines = new RegExp(`(?:[\\s\\S]*?^cairn dev: .*$){${count}}`, "m");
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`cairn dev printed no outcome line ${count} within 20 s; stdout so far:\n${printed}`)), 20_000);
  });
  const [seen] = await Promise.race([running.waitForOutput(lines), timeout]).finally(() => clearTimeout(timer));
  const last = seen.slice(seen.lastIndexOf("\ncairn dev: ") + 1);
  expect(last, `outcome ${count} of cairn dev:\n${seen}`).toMatch(pattern);
  return seen;
}

async function stop(): Promise<string> {
  const running = dev as RunningCli;
  running.child.kill("SIGINT");
  const ended = await running.done;
  expect(ended.code, ended.stdout + ended.stderr).toBe(0);
  return ended.stdout;
}

describe("cairn dev", () => {
  it("runs again, as a new execution with the same input, when an imported module changes", async () => {
    project.write("rate.ts", rate(10));
    const handler = project.write("handler.ts", HANDLER);
    startDev([handler, "--input", '{"qty":3}', "--store", join(project.path, ".cairn")]);
    const first = await outcome(1, /^cairn dev: succeeded \(exit 0\) — watching 2 files/);
    expect(first).toContain("──── cairn dev: run 1 ────");
    expect(first).toContain('"total": 30');

    project.write("rate.ts", rate(100));
    const second = await outcome(2, /^cairn dev: succeeded \(exit 0\)/);
    expect(second).toContain("──── cairn dev: run 2 — rate.ts changed ────");
    expect(second.slice(second.indexOf("run 2"))).toContain('"total": 300');
    const ids = [...second.matchAll(/execution ([0-9A-Z]{26}) started/g)].map((match) => match[1]);
    expect(new Set(ids).size).toBe(2);

    await stop();
  }, 40_000);

  it("reports a compile error, keeps watching, and runs once the file is fixed", async () => {
    project.write("rate.ts", rate(10));
    const handler = project.write("handler.ts", HANDLER);
    startDev([handler, "--input", '{"qty":2}', "--store", join(project.path, ".cairn")]);
    await outcome(1, /^cairn dev: succeeded/);

    project.write("handler.ts", HANDLER.replace("event.qty * RATE", "event.qty * * RATE"));
    await outcome(2, /^cairn dev: the handler did not load — watching 2 files/);

    project.write("handler.ts", HANDLER.replace("event.qty * RATE", "event.qty * RATE + 1"));
    const third = await outcome(3, /^cairn dev: succeeded/);
    expect(third.slice(third.indexOf("run 3"))).toContain('"total": 21');

    const stdout = await stop();
    expect(stdout.match(/ started — store/g)?.length).toBe(2);
    const stderr = (await (dev as RunningCli).done).stderr;
    expect(stderr).toMatch(/handler\.ts:5:\d+:/);
    expect(stderr).toContain("does not compile");
  }, 40_000);

  it("stops a run in progress when a file changes and starts the next; Ctrl-C during a run exits 0", async () => {
    const waiting = (name: string) => `import { withDurableExecution } from "@cairn/sdk";
export const handler = withDurableExecution(async (_event: unknown, ctx) => {
  await ctx.wait("${name}", { seconds: 600 });
  return "${name} done";
});
`;
    const handler = project.write("handler.ts", waiting("first-wait"));
    startDev([handler, "--store", join(project.path, ".cairn")]);
    await (dev as RunningCli).waitForOutput(/waiting \d+m? ?\d*s? for "first-wait"/);

    project.write("handler.ts", waiting("second-wait"));
    await outcome(1, /^cairn dev: stopped: a file changed \(exit 130\) — watching handler\.ts/);
    await (dev as RunningCli).waitForOutput(/run 2 — handler\.ts changed[\s\S]*waiting \d+m? ?\d*s? for "second-wait"/);

    const stdout = await stop();
    expect(stdout).toMatch(/\ncairn dev: interrupted \(exit 130\)\n/);
    expect(stdout).not.toContain("second-wait done");
  }, 40_000);

  it("refuses a handler file that does not exist with a usage error (exit 2)", async () => {
    startDev([join(project.path, "missing.ts")]);
    const ended = await (dev as RunningCli).done;
    expect(ended.code).toBe(2);
    expect(ended.stderr).toContain("Handler file not found");
  });
});
