// The demo (`npm run demo`: the order-fulfilment example run by the CLI) as a user sees it next:
// `cairn ui` lists it and draws its timeline, and `inspect --html` exports it.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { shared, sharedBrowser } from "./support/browser.js";
import { inspect, runCairn, startUi, type UiServer } from "./support/cli.js";
import { drawnOperations, expectedBarClasses, newPage, timelineRows, waitReady } from "./support/page.js";

const DEMO_HANDLER = fileURLToPath(new URL("../../../examples/dist/order-fulfilment/handler.js", import.meta.url));
const store = mkdtempSync(join(tmpdir(), "cairn-ui-demo-"));
const browser = sharedBrowser();
const demo = shared(
  async () => {
    if (!existsSync(DEMO_HANDLER)) throw new Error(`${DEMO_HANDLER} is missing: build the examples first ("npx turbo run build").`);
    const run = await runCairn(["run", DEMO_HANDLER, "--store", store, "--json", "--input", '{"orderId":"ord-1001"}'], 120_000);
    if (run.code !== 0) throw new Error(`the demo run exited ${run.code}:\n${run.stdout}\n${run.stderr}`);
    const { id } = JSON.parse(run.stdout) as { id: string };
    return { id, ui: await startUi(store) };
  },
  async ({ ui }: { ui: UiServer }) => ui.stop(),
);

afterAll(async () => {
  await browser.dispose();
  await demo.dispose();
  rmSync(store, { recursive: true, force: true });
});

describe("the demo in the web view", () => {
  it("is listed, and its timeline has a row per operation with its status", async () => {
    const { id, ui } = await demo.get();
    const { page } = await newPage(await browser.get());
    await page.goto(`${ui.url}#/`);
    await waitReady(page, "the executions list");
    expect(await page.locator(`tr[data-execution-id="${id}"]`).getAttribute("data-status")).toBe("SUCCEEDED");
    await page.locator(`tr[data-execution-id="${id}"] a[data-testid="execution-link"]`).click();
    await page.waitForSelector('[data-testid="timeline"]', { timeout: 30_000 });
    await waitReady(page, "the demo's execution page");

    const execution = await inspect(store, id);
    const operations = drawnOperations(execution.operations);
    const rows = await timelineRows(page);
    expect(rows.map((row) => row.operationId).sort()).toEqual(operations.map((op) => op.Id).sort());
    for (const op of operations) {
      for (const cls of expectedBarClasses(op, execution.status)) expect(rows.find((row) => row.operationId === op.Id)?.barClasses, `bar of ${op.Id}`).toContain(cls);
    }
    expect(await page.locator(".tl-invocation").count()).toBe(execution.invocationCount);
    await page.close();
  });

  it("exports to one HTML file that draws the same rows", async () => {
    const { id } = await demo.get();
    const file = join(store, "demo.html");
    const exported = await runCairn(["inspect", id, "--html", file, "--store", store]);
    expect(exported.code, exported.stderr).toBe(0);
    const { page, requests } = await newPage(await browser.get());
    await page.goto(pathToFileURL(file).href);
    await waitReady(page, "the exported demo");
    const execution = await inspect(store, id);
    expect((await timelineRows(page)).map((row) => row.operationId).sort()).toEqual(drawnOperations(execution.operations).map((op) => op.Id).sort());
    expect(requests.filter((url) => !url.startsWith("file:") && !url.startsWith("data:"))).toEqual([]);
    await page.close();
  });
});
