// The executions list of `cairn ui`: every execution of the store with its status, the status
// filter, the link to an execution, and no request leaving the machine.
import { afterAll, describe, expect, inject, it } from "vitest";
import { shared, sharedBrowser } from "./support/browser.js";
import { startUi, type UiServer } from "./support/cli.js";
import { FIXTURES, runFixture } from "./support/fixture-store.js";
import { newPage, waitReady } from "./support/page.js";

const fixtures = inject("fixtures");
const browser = sharedBrowser();
const server = shared(() => startUi(fixtures.store), (ui: UiServer) => ui.stop());

afterAll(async () => {
  await browser.dispose();
  await server.dispose();
});

async function listedRows(page: import("playwright-core").Page): Promise<{ id: string; status: string }[]> {
  return page.$$eval('table[data-testid="executions"] tbody tr[data-execution-id]', (rows) =>
    rows.map((row) => ({ id: row.getAttribute("data-execution-id") ?? "", status: row.getAttribute("data-status") ?? "" })),
  );
}

describe("cairn ui: executions list", () => {
  it("lists every execution of the store with the status its run ended in", async () => {
    const { page, requests } = await newPage(await browser.get());
    const base = (await server.get()).url;
    await page.goto(`${base}#/`);
    await waitReady(page, "the executions list");
    const rows = await listedRows(page);
    expect(rows).toHaveLength(FIXTURES.length);
    for (const name of FIXTURES) {
      expect(rows, `fixture ${name}`).toContainEqual({ id: fixtures.ids[name], status: fixtures.statuses[name] });
    }
    expect(new Set(Object.values(fixtures.statuses))).toEqual(new Set(["SUCCEEDED", "FAILED", "RUNNING"]));
    // Every asset ships with the CLI: nothing is fetched from anywhere but the local server.
    expect(requests.filter((url) => !url.startsWith(base))).toEqual([]);
    await page.close();
  });

  it("filters by status", async () => {
    const { page } = await newPage(await browser.get());
    await page.goto(`${(await server.get()).url}#/`);
    await waitReady(page, "the executions list");
    const filter = page.locator('select[data-testid="status-filter"]');
    for (const status of ["FAILED", "RUNNING", "SUCCEEDED"]) {
      await filter.selectOption(status);
      const expected = FIXTURES.filter((name) => fixtures.statuses[name] === status).map((name) => fixtures.ids[name]);
      await expect.poll(async () => (await listedRows(page)).map((row) => row.id).sort(), { timeout: 15_000, message: `rows shown for ${status}` }).toEqual(expected.sort());
      expect((await listedRows(page)).every((row) => row.status === status)).toBe(true);
    }
    await page.close();
  });

  it("opens an execution from its link", async () => {
    const { page } = await newPage(await browser.get());
    await page.goto(`${(await server.get()).url}#/`);
    await waitReady(page, "the executions list");
    await page.locator(`tr[data-execution-id="${fixtures.ids.failing}"] a[data-testid="execution-link"]`).click();
    await page.waitForSelector('[data-testid="timeline"]', { timeout: 30_000 });
    expect(page.url()).toContain(`#/executions/${fixtures.ids.failing}`);
    await expect.poll(() => page.locator('[data-testid="execution-status"]').innerText(), { timeout: 15_000 }).toContain("FAILED");
    await page.close();
  });

  // Last in the file: it adds an execution to the shared store (no other file counts them).
  it("shows an execution started while the page is open, without a reload", async () => {
    const { page } = await newPage(await browser.get());
    await page.goto(`${(await server.get()).url}#/`);
    await waitReady(page, "the executions list");
    const run = await runFixture(fixtures.store, "failing");
    await expect
      .poll(async () => (await listedRows(page)).find((row) => row.id === run.id)?.status, { timeout: 20_000, message: `the new execution ${run.id} in the open list` })
      .toBe("FAILED");
    await page.close();
  });
});
