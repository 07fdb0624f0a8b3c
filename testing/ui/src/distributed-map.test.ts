// A distributed map's progress on the page: real maps run by `cairn run` on the file store (their
// children executions of the same handler), one ended with children never started, one caught
// while a child waits on a callback, then carried to its end by `cairn resume`.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Page } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";
import { shared, sharedBrowser } from "./support/browser.js";
import { inspect, runCairn, startUi, type UiServer } from "./support/cli.js";
import { fixturePath } from "./support/fixture-store.js";
import { newPage, openExecution, waitReady } from "./support/page.js";

const browser = sharedBrowser();
const store = mkdtempSync(join(tmpdir(), "cairn-ui-dm-"));
const server = shared(() => startUi(store), (ui: UiServer) => ui.stop());

afterAll(async () => {
  await browser.dispose();
  await server.dispose();
  rmSync(store, { recursive: true, force: true });
});

/** Runs the distributed-map fixture with `input`; returns the parent execution's id. */
async function runMap(input: Record<string, unknown>, expectedExit: number): Promise<string> {
  const run = await runCairn(["run", fixturePath("distributed-map"), "--store", store, "--input", JSON.stringify(input)], 90_000);
  expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(expectedExit);
  const id = /execution ([0-9A-HJKMNP-TV-Z]{26}) started/.exec(run.stdout)?.[1];
  expect(id, run.stdout).toBeDefined();
  return id as string;
}

/** What the map's panel and its partitions' timeline rows show. */
interface ShownMap {
  status: string;
  reason: string | null;
  figures: Record<string, number>;
  progress: { processed: string | null; total: string | null } | null;
  partitions: (string | null)[];
}

function shownMap(page: Page): Promise<ShownMap> {
  return page.$eval('[data-testid="distributed-map"]', (panel) => {
    const figures: Record<string, number> = {};
    for (const group of ["dm-children", "dm-items"]) {
      for (const figure of panel.querySelectorAll(`[data-testid="${group}"] [data-count]`)) {
        figures[`${group === "dm-children" ? "children" : "items"}.${figure.getAttribute("data-count")}`] = Number(figure.querySelector(".dm-value")?.textContent);
      }
    }
    const progress = panel.querySelector('[data-testid="dm-progress"]');
    return {
      status: panel.querySelector('[data-testid="dm-status"]')?.textContent ?? "",
      reason: panel.querySelector('[data-testid="dm-completion-reason"]')?.textContent ?? null,
      figures,
      progress: progress === null ? null : { processed: progress.getAttribute("data-processed"), total: progress.getAttribute("data-total") },
      partitions: [...document.querySelectorAll('[data-testid="timeline-row"][data-partition]')]
        .sort((a, b) => Number(a.getAttribute("data-partition")) - Number(b.getAttribute("data-partition")))
        .map((row) => row.getAttribute("data-partition-status")),
    };
  });
}

const children = (c: { planned: number; started: number; running: number; finished: number; failed: number; notStarted: number }): Record<string, number> => ({
  "children.planned": c.planned,
  "children.started": c.started,
  "children.running": c.running,
  "children.finished": c.finished,
  "children.failed": c.failed,
  "children.notStarted": c.notStarted,
});
const items = (succeeded: number, failed: number, pending: number, total: number): Record<string, number> => ({
  "items.succeeded": succeeded,
  "items.failed": failed,
  "items.timedOut": 0,
  "items.skipped": 0,
  "items.pending": pending,
  "items.total": total,
});

describe("cairn ui: distributed map progress", () => {
  it("shows an ended map's counts, its not-started children and why; the --html export shows the same", async () => {
    // 200 numbers, 50 to a child, one child at a time; every 25th fails. Two children finish
    // with 4 failures in all, past the 3 tolerated, so the other two are never started.
    const id = await runMap({ count: 200, itemsPerChild: 50, maxChildExecutions: 1, toleratedFailureCount: 3 }, 0);
    const result = (await inspect(store, id)) as unknown as { result: { counts: Record<string, number>; completionReason: string } };
    expect(result.result.counts).toEqual({ succeeded: 96, failed: 4, timedOut: 0, skipped: 0, pending: 100, total: 200 });

    const { page } = await newPage(await browser.get());
    await openExecution(page, (await server.get()).url, id);
    const expected: ShownMap = {
      status: "SUCCEEDED",
      reason: "FAILURE_TOLERANCE_EXCEEDED",
      figures: { ...children({ planned: 4, started: 2, running: 0, finished: 2, failed: 0, notStarted: 2 }), ...items(96, 4, 100, 200) },
      progress: { processed: "100", total: "200" },
      partitions: ["SUCCEEDED", "SUCCEEDED", "NOT_STARTED", "NOT_STARTED"],
    };
    expect(await shownMap(page)).toEqual(expected);
    const note = await page.locator('[data-testid="timeline-row"][data-partition="0"] .tl-dm-note').innerText();
    expect(note).toBe("succeeded · 48 ok, 2 failed");
    // "show in timeline" opens the map's row with its counts in the details.
    await page.locator('[data-testid="distributed-map"] .dm-show').click();
    const details = page.locator('[data-testid="details"]');
    await details.waitFor({ timeout: 10_000 });
    expect(await details.getAttribute("data-operation-id")).toBe(await page.locator('[data-testid="distributed-map"]').getAttribute("data-operation-id"));
    expect(await details.innerText()).toContain("2/4 children finished (2 not started)");
    await page.close();

    const file = join(store, "map.html");
    const exported = await runCairn(["inspect", id, "--html", file, "--store", store]);
    expect(exported.code, exported.stderr).toBe(0);
    const offline = await newPage(await browser.get());
    await offline.page.goto(pathToFileURL(file).href);
    await waitReady(offline.page, "the exported map.html");
    expect(await shownMap(offline.page)).toEqual(expected);
    await offline.page.close();
  });

  it("shows a running map's counts so far while a child waits, then the final ones live", async () => {
    // Number 10 (partition 0) waits on a callback: the other three children finish, the run stops
    // waiting (exit 3), and the map stays RUNNING with partition 0's child running.
    const id = await runMap({ count: 200, itemsPerChild: 50, hold: 10 }, 3);
    const { page } = await newPage(await browser.get());
    await openExecution(page, (await server.get()).url, id);
    expect(await shownMap(page)).toEqual({
      status: "RUNNING",
      reason: null,
      figures: { ...children({ planned: 4, started: 4, running: 1, finished: 3, failed: 0, notStarted: 0 }), ...items(144, 6, 0, 150) },
      progress: { processed: "150", total: "200" },
      partitions: ["RUNNING", "SUCCEEDED", "SUCCEEDED", "SUCCEEDED"],
    });

    // Answer the waiting child's callback and carry the parent (and so the child) to the end.
    const executions = JSON.parse((await runCairn(["list", "--store", store, "--json"])).stdout) as { id: string; status: string; executionName: string }[];
    const child = executions.find((e) => e.status === "RUNNING" && e.executionName.startsWith(`${id}.`));
    expect(child, JSON.stringify(executions)).toBeDefined();
    const callbackId = (await inspect(store, child?.id as string)).callbacks.find((cb) => cb.status === "STARTED")?.callbackId;
    expect(callbackId).toBeTruthy();
    const answered = await runCairn(["callback", "succeed", callbackId as string, "--store", store]);
    expect(answered.code, answered.stderr).toBe(0);
    const resumed = await runCairn(["resume", id, "--store", store], 90_000);
    expect(resumed.code, resumed.stderr).toBe(0);

    // The page refreshes itself while the execution runs, and shows the end when it comes.
    await expect.poll(() => page.locator('[data-testid="execution-status"]').innerText(), { timeout: 20_000, message: "status after the resume" }).toContain("SUCCEEDED");
    await expect.poll(() => shownMap(page), { timeout: 10_000, message: "the map's final counts" }).toEqual({
      status: "SUCCEEDED",
      reason: "ALL_COMPLETED",
      figures: { ...children({ planned: 4, started: 4, running: 0, finished: 4, failed: 0, notStarted: 0 }), ...items(192, 8, 0, 200) },
      progress: { processed: "200", total: "200" },
      partitions: ["SUCCEEDED", "SUCCEEDED", "SUCCEEDED", "SUCCEEDED"],
    });
    await page.close();
  });
});
