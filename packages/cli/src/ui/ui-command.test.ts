// `cairn ui` and `cairn inspect --html` as a user runs them: the built bin, a real store.
import { createServer } from "node:net";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, startCli, tempDir } from "../test-support/spawn-cli.js";
import { RETRY_WAIT_MAP, runToEnd, startWaiting } from "./test-support/ui-store.js";
import type { ExecutionView } from "./view-types.js";

let dir: { path: string; cleanup: () => void };
let store: string;
let id: string;
let waiting: { id: string; callbackId: string };

beforeAll(async () => {
  dir = tempDir("cairn-ui-cmd-");
  store = join(dir.path, "store");
  // The input carries what could end the embedding script early if it were not escaped.
  id = await runToEnd(store, RETRY_WAIT_MAP, JSON.stringify({ note: "</script><script>window.pwned=1</script><!--" }));
  waiting = await startWaiting(store, dir.path);
}, 60_000);
afterAll(() => dir?.cleanup());

const SPAWNS = { timeout: 30_000 };

describe("cairn ui", () => {
  it("prints its URL (port 0: the port it got), serves the page and its assets, and exits 0 on SIGTERM", SPAWNS, async () => {
    const ui = startCli(["ui", "--store", store, "--port", "0"]);
    try {
      const [, url] = (await ui.waitForOutput(/^cairn ui: (http:\/\/127\.0\.0\.1:(\d+)\/)$/m)) as RegExpMatchArray;
      expect(url).not.toMatch(/:0\/$/);
      const page = await fetch(url as string);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<div id="app">');
      for (const asset of ["app.js", "app.css"]) expect((await fetch(new URL(asset, url))).status, asset).toBe(200);
      const list = (await (await fetch(new URL("api/executions", url))).json()) as { id: string }[];
      expect(list.map((item) => item.id).sort()).toEqual([id, waiting.id].sort());
    } finally {
      ui.child.kill("SIGTERM");
    }
    const done = await ui.done;
    expect(done.code, done.stderr).toBe(0);
  });

  it.each([
    [["--port", "http"], /--port "http" is not a port/],
    [["--port", "70000"], /--port "70000" is not a port/],
    [["--port", "-1"], /--port/],
    [["--colour"], /Unknown option --colour/],
    [["extra"], /Unexpected argument "extra"/],
  ])("refuses %j with exit 2 and a message", SPAWNS, async (args, message) => {
    const result = await runCli(["ui", "--store", store, ...args]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it("refuses a store that does not exist (exit 2), and a port already taken (exit 1)", SPAWNS, async () => {
    const missing = await runCli(["ui", "--store", join(dir.path, "nope"), "--port", "0"]);
    expect([missing.code, missing.stderr]).toEqual([2, expect.stringContaining("No Cairn store at")]);
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    const port = (taken.address() as { port: number }).port;
    try {
      const busy = await runCli(["ui", "--store", store, "--port", String(port)]);
      expect([busy.code, busy.stderr]).toEqual([1, expect.stringContaining(`port ${port} is in use`)]);
    } finally {
      taken.close();
    }
  });

  it("is listed in the help", SPAWNS, async () => {
    const help = await runCli(["--help"]);
    expect(help.stdout).toMatch(/^ {2}ui {8}serve a web view/m);
    const own = await runCli(["ui", "--help"]);
    expect([own.code, own.stdout]).toEqual([0, expect.stringContaining("Usage: cairn ui [options]")]);
  });
});

describe("cairn inspect --html", () => {
  it("writes one self-contained page: CSS and script inline, the execution embedded, nothing external", SPAWNS, async () => {
    const file = join(dir.path, "execution.html");
    const result = await runCli(["inspect", id, "--store", store, "--html", file]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`wrote execution ${id} (SUCCEEDED, 9 operations) to ${file}`);
    const html = readFileSync(file, "utf8");
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/<script[^>]+\bsrc=/i);
    expect(html).not.toMatch(/\b(src|href)\s*=\s*["']?(https?:)?\/\//i);
    expect(html).not.toMatch(/@import|url\(\s*["']?https?:/i);
    expect(html).toMatch(/<style>[^<]*\.tl-bar/);
    // Exactly two scripts (the data, the page): the payload's "</script>" did not close one early.
    expect(html.match(/<\/script>/g)).toHaveLength(2);
    const data = /<script type="application\/json" id="cairn-execution">([\s\S]*?)<\/script>/.exec(html)?.[1];
    const view = JSON.parse(data as string) as ExecutionView;
    expect(view.id).toBe(id);
    expect(view.status).toBe("SUCCEEDED");
    expect(view.input).toEqual({ note: "</script><script>window.pwned=1</script><!--" });
    expect(view.operations.find((op) => op.Name === "flaky-fetch")?.StepDetails?.Attempt).toBe(3);
    expect(view.history.length).toBeGreaterThan(20);
    expect(view.invocations).toHaveLength(4);
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)?.[1] ?? "";
    expect(() => new Function(script)).not.toThrow(); // the inline page script parses
  });

  it("exports a waiting execution with its callback id but no form (there is no server to answer it)", SPAWNS, async () => {
    const file = join(dir.path, "waiting.html");
    expect((await runCli(["inspect", waiting.id, "--store", store, "--html", file])).code).toBe(0);
    const html = readFileSync(file, "utf8");
    expect(html).toContain(waiting.callbackId);
  });

  it("refuses a path in a missing directory, a directory, or --html with --json", SPAWNS, async () => {
    const inMissing = await runCli(["inspect", id, "--store", store, "--html", join(dir.path, "no", "x.html")]);
    expect([inMissing.code, inMissing.stderr]).toEqual([2, expect.stringContaining("does not exist")]);
    const isDir = await runCli(["inspect", id, "--store", store, "--html", dir.path]);
    expect([isDir.code, isDir.stderr]).toEqual([2, expect.stringContaining("is a directory")]);
    const both = await runCli(["inspect", id, "--store", store, "--html", join(dir.path, "y.html"), "--json"]);
    expect(both.code).toBe(2);
  });
});
