// `cairn inspect <id> --html`: one self-contained file that, opened from disk, draws the same
// timeline as the live page and requests nothing but itself (no server, no CDN).
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, inject, it } from "vitest";
import { shared, sharedBrowser } from "./support/browser.js";
import { inspect, runCairn, startUi, type UiServer } from "./support/cli.js";
import { drawnOperations, newPage, openExecution, timelineRows, waitReady } from "./support/page.js";

const fixtures = inject("fixtures");
const out = mkdtempSync(join(tmpdir(), "cairn-ui-export-"));
const browser = sharedBrowser();
const server = shared(() => startUi(fixtures.store), (ui: UiServer) => ui.stop());

afterAll(async () => {
  await browser.dispose();
  await server.dispose();
  rmSync(out, { recursive: true, force: true });
});

describe("cairn inspect --html", () => {
  it.each(["batch", "approval"] as const)("%s: the exported file draws the live page's timeline, offline", async (name) => {
    const id = fixtures.ids[name];
    const file = join(out, `${name}.html`);
    const exported = await runCairn(["inspect", id, "--html", file, "--store", fixtures.store]);
    expect(exported.code, exported.stderr).toBe(0);
    const html = readFileSync(file, "utf8");
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=["']?https?:/i);

    const offline = await newPage(await browser.get());
    await offline.page.goto(pathToFileURL(file).href);
    await waitReady(offline.page, `the exported ${name}.html`);
    const exportedRows = await timelineRows(offline.page);

    const live = await newPage(await browser.get());
    await openExecution(live.page, (await server.get()).url, id);
    const liveRows = await timelineRows(live.page);

    const execution = await inspect(fixtures.store, id);
    expect(exportedRows.filter((row) => !row.synthetic).map((row) => row.operationId).sort()).toEqual(drawnOperations(execution.operations).map((op) => op.Id).sort());
    expect(exportedRows).toEqual(liveRows);
    expect(offline.requests.length).toBeGreaterThan(0);
    expect(offline.requests.filter((url) => !url.startsWith("file:") && !url.startsWith("data:"))).toEqual([]);
    await offline.page.close();
    await live.page.close();
  });
});
