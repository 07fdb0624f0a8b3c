#!/usr/bin/env node
// How fast `cairn ui` opens a large execution: runs a map over N items (10 000 by default, N + 1
// operations) with the real CLI on a temp file store, serves it with `cairn ui`, and opens the
// execution's page `--runs` times in headless Chromium, each in a fresh browser context (no
// cache). For each load it takes the time from navigation start to `body[data-ready="true"]`
// (stamped in the page by a MutationObserver, so the figure excludes the driver's round trips)
// the page's used JS heap after a garbage collection, and how long the execution's JSON took to
// fetch from the server; then the same for the `inspect --html` export opened from disk. Prints
// medians. Asserts nothing.
//
//   node src/ui-load.mjs [--items 10000] [--runs 7]
//
// Needs the built CLI (packages/cli/dist) and Chromium (CHROMIUM_PATH or /usr/bin/chromium).
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { readArgs } from "./cli-args.mjs";

const here = fileURLToPath(new URL(".", import.meta.url));
const bin = join(here, "../../../packages/cli/dist/bin.js");
const handler = join(here, "../../ui/fixtures/large.mjs");
// playwright-core is a dependency of the browser tests (testing/ui): resolve it from there.
const { chromium } = createRequire(join(here, "../../ui/package.json"))("playwright-core");
const usage = "usage: node src/ui-load.mjs [--items N] [--runs N]";
const BROWSER_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

const options = { items: 10_000, runs: 7 };
readArgs(process.argv.slice(2), usage, (arg, value) => {
  if (arg === "--items") options.items = Number(value());
  else if (arg === "--runs") options.runs = Number(value());
  else return false;
});

function cairn(args) {
  const result = spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", maxBuffer: 1 << 30, timeout: 300_000 });
  if (result.status !== 0) throw new Error(`cairn ${args.join(" ")} exited ${result.status}:\n${result.stderr}`);
  return result.stdout;
}

function startUi(store) {
  const child = spawn(process.execPath, [bin, "ui", "--store", store, "--port", "0"], { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`cairn ui printed no address within 30 s:\n${out}`)), 30_000);
    child.stdout.setEncoding("utf8").on("data", (chunk) => {
      out += chunk;
      const match = /cairn ui: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve({ url: match[1], stop: () => child.kill("SIGTERM") });
      }
    });
    child.on("exit", (code) => reject(new Error(`cairn ui exited ${code}:\n${out}`)));
  });
}

// Runs in the page before its own scripts: stamps the moment data-ready first turns "true".
function stampReady() {
  const check = () => {
    if (document.body?.getAttribute("data-ready") === "true" && window.__readyAt === undefined) window.__readyAt = performance.now();
  };
  new MutationObserver(check).observe(document, { attributes: true, subtree: true, attributeFilter: ["data-ready"], childList: true });
}

async function load(browser, url) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  await context.addInitScript(stampReady);
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForFunction(() => window.__readyAt !== undefined, undefined, { timeout: 60_000 });
  const readyMs = await page.evaluate(() => window.__readyAt);
  const rows = await page.locator('[data-testid="timeline"]').getAttribute("data-rendered-rows");
  // The execution's JSON from the server (none for the export, whose data is in the file).
  const api = await page.evaluate(() =>
    performance
      .getEntriesByType("resource")
      .filter((entry) => entry.name.includes("/api/executions/"))
      .map((entry) => ({ ms: entry.responseEnd - entry.startTime, bytes: entry.encodedBodySize }))[0],
  );
  const cdp = await context.newCDPSession(page);
  await cdp.send("HeapProfiler.collectGarbage");
  const { usedSize } = await cdp.send("Runtime.getHeapUsage");
  await context.close();
  return { readyMs, heapMb: usedSize / 1024 / 1024, renderedRows: Number(rows), apiMs: api?.ms, apiMb: api === undefined ? undefined : api.bytes / 1024 / 1024 };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

const store = mkdtempSync(join(tmpdir(), "cairn-ui-bench-"));
let server;
let browser;
try {
  const run = JSON.parse(cairn(["run", handler, "--store", store, "--json", "--input", JSON.stringify({ count: options.items })]));
  const html = join(store, "export.html");
  cairn(["inspect", run.id, "--html", html, "--store", store]);
  server = await startUi(store);
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: BROWSER_ARGS, timeout: 60_000 });
  console.log(`cairn ui, one execution of ${options.items + 1} operations (a map over ${options.items} items), ${options.runs} loads each, Chromium ${browser.version()}`);
  console.log("page                 median ready  min      max      JS heap (median)  rendered rows  execution JSON (median fetch, size)");
  for (const [label, url] of [
    ["cairn ui", `${server.url}#/executions/${run.id}`],
    ["inspect --html", pathToFileURL(html).href],
  ]) {
    const loads = [];
    await load(browser, url); // warm-up: the first Chromium page pays for process start-up
    for (let i = 0; i < options.runs; i++) loads.push(await load(browser, url));
    const ready = loads.map((l) => l.readyMs);
    console.log(
      `${label.padEnd(20)} ${median(ready).toFixed(0).padStart(9)} ms  ${Math.min(...ready).toFixed(0).padStart(5)} ms  ${Math.max(...ready).toFixed(0).padStart(5)} ms  ${median(loads.map((l) => l.heapMb)).toFixed(1).padStart(11)} MB  ${String(loads[0].renderedRows).padStart(13)}  ${loads[0].apiMs === undefined ? "embedded" : `${median(loads.map((l) => l.apiMs)).toFixed(0)} ms, ${loads[0].apiMb.toFixed(1)} MB`}`,
    );
  }
} finally {
  await browser?.close();
  server?.stop();
  rmSync(store, { recursive: true, force: true });
}
