// One execution in `cairn ui`: the timeline agrees with `cairn inspect --json` row for row, shows
// attempts, retry delays, waits and invocations, and a click opens an operation's details.
import { copyFileSync, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { afterAll, describe, expect, inject, it } from "vitest";
import { shared, sharedBrowser } from "./support/browser.js";
import { inspect, startUi, type InspectedExecution, type UiServer } from "./support/cli.js";
import type { FixtureName } from "./support/fixture-store.js";
import { drawnOperations, expectedBarClasses, newPage, openExecution, timelineRows } from "./support/page.js";

const fixtures = inject("fixtures");
const ARTIFACTS = fileURLToPath(new URL("../artifacts/", import.meta.url));
const DOCS_IMAGES = fileURLToPath(new URL("../../../docs/images/", import.meta.url));
const browser = sharedBrowser();
const server = shared(() => startUi(fixtures.store), (ui: UiServer) => ui.stop());

afterAll(async () => {
  await browser.dispose();
  await server.dispose();
});

async function open(name: FixtureName): Promise<{ page: Page; execution: InspectedExecution; requests: string[] }> {
  const execution = await inspect(fixtures.store, fixtures.ids[name]);
  const { page, requests } = await newPage(await browser.get());
  await openExecution(page, (await server.get()).url, fixtures.ids[name]);
  return { page, execution, requests };
}

function row(page: Page, operationId: string) {
  return page.locator(`[data-testid="timeline-row"][data-operation-id="${operationId}"]`);
}

function opNamed(execution: InspectedExecution, name: string, type?: string) {
  const op = execution.operations.find((candidate) => candidate.Name === name && (type === undefined || candidate.Type === type));
  if (op === undefined) throw new Error(`no operation named ${name} in ${execution.id}`);
  return op;
}

describe("cairn ui: the timeline of one execution", () => {
  it.each(["plain", "retry", "batch", "approval", "failing"] as const)("%s: one row per operation, with its status classes", async (name) => {
    const { page, execution } = await open(name);
    const expected = drawnOperations(execution.operations);
    const rows = (await timelineRows(page)).filter((r) => !r.synthetic);
    expect(rows.map((r) => r.operationId).sort()).toEqual(expected.map((op) => op.Id).sort());
    expect(await page.locator('[data-testid="timeline"]').getAttribute("data-row-count")).toBe(String(expected.length));
    for (const op of expected) {
      const drawn = rows.find((r) => r.operationId === op.Id);
      expect(drawn?.status, `data-status of ${op.Id}`).toBe(op.Status);
      expect(drawn?.type, `data-type of ${op.Id}`).toBe(op.Type);
      if (drawn?.timedOut) expect(op.Status, `a timed-out item is stored FAILED (${op.Id})`).toBe("FAILED");
      for (const cls of expectedBarClasses(op, execution.status, drawn?.timedOut)) expect(drawn?.barClasses, `classes of the bar of ${op.Id} (${op.Type} ${op.Status})`).toContain(cls);
    }
    await expect.poll(() => page.locator('[data-testid="execution-status"]').innerText()).toContain(execution.status);
    await page.close();
  });

  it("draws a retried step's three attempts and the two delays between them", async () => {
    const { page, execution } = await open("retry");
    const step = opNamed(execution, "flaky-fetch");
    expect(step.StepDetails?.Attempt).toBe(3);
    const [drawn] = (await timelineRows(page)).filter((r) => r.operationId === step.Id);
    expect(drawn?.attempts).toBe(3);
    expect(drawn?.retryDelays).toBe(2);
    const attemptNumbers = await row(page, step.Id).locator(".tl-attempt").evaluateAll((els) => els.map((el) => el.getAttribute("data-attempt")));
    expect(attemptNumbers).toEqual(["1", "2", "3"]);
    await page.close();
  });

  it("draws one band per invocation and a wait as waiting", async () => {
    for (const name of ["plain", "retry"] as const) {
      const { page, execution } = await open(name);
      expect(execution.invocationCount).toBeGreaterThan(1);
      expect(await page.locator(".tl-invocation").count(), `invocation bands of ${name}`).toBe(execution.invocationCount);
      if (name === "plain") {
        const wait = opNamed(execution, "cool-down", "WAIT");
        await expect.poll(() => row(page, wait.Id).locator(".tl-bar").getAttribute("class")).toMatch(/\bwaiting\b/);
        const step = opNamed(execution, "charge", "STEP");
        expect(await row(page, step.Id).locator(".tl-bar").getAttribute("class")).not.toMatch(/\bwaiting\b/);
      }
      await page.close();
    }
  });

  it("shows an operation's result, attempts and history when its row is clicked", async () => {
    const { page, execution } = await open("plain");
    const step = opNamed(execution, "charge", "STEP");
    await row(page, step.Id).click();
    const details = page.locator('[data-testid="details"]');
    await details.waitFor({ timeout: 15_000 });
    const result = await details.locator('pre[data-testid="details-result"]').innerText();
    expect(JSON.parse(result)).toEqual({ amount: 42, currency: "EUR" });
    expect(result).toContain('\n  "amount": 42'); // pretty-printed
    expect(await details.locator('[data-testid="details-attempts"]').innerText()).toMatch(/1/);
    expect(await details.locator('[data-testid="details-history"]').innerText()).toMatch(/Step/i);
    await page.close();
  });

  it("shows a failed step's error", async () => {
    const { page, execution } = await open("failing");
    const step = opNamed(execution, "charge-card", "STEP");
    await row(page, step.Id).click();
    const error = page.locator('[data-testid="details"] pre[data-testid="details-error"]');
    await error.waitFor({ timeout: 15_000 });
    expect(await error.innerText()).toContain("card declined: insufficient funds");
    await page.close();
  });

  it("draws every map item as the handler's BatchResult reports it: timed out, and skipped without an operation", async () => {
    const { page, execution } = await open("batch");
    const map = opNamed(execution, "records", "CONTEXT");
    const report = opNamed(execution, "report", "STEP");
    // The handler's own view of its items, returned by its last step.
    const { statuses } = JSON.parse(report.StepDetails?.Result ?? "{}") as { statuses: string[] };
    expect(statuses).toContain("TIMED_OUT");
    expect(statuses).toContain("SKIPPED");
    const rows = await timelineRows(page);
    statuses.forEach((status, index) => {
      const drawn = rows.find((r) => r.operationId === `${map.Id}-${index + 1}`);
      expect(drawn, `a row for item ${index}`).toBeDefined();
      expect(drawn?.barClasses, `item ${index} is ${status}`).toContain(`status-${status.toLowerCase().replace(/_/g, "-")}`);
      expect(drawn?.synthetic, `item ${index}: a row without an operation only when it never ran`).toBe(
        !execution.operations.some((op) => op.Id === `${map.Id}-${index + 1}`),
      );
    });
    await page.close();
  });

  it("marks the abandoned wait of a timed-out item and folds a map's items away", async () => {
    const { page, execution } = await open("batch");
    const slow = opNamed(execution, "slow-io", "WAIT");
    expect(slow.Status).toBe("STARTED");
    expect(await row(page, slow.Id).locator(".tl-bar").getAttribute("class")).toMatch(/\babandoned\b/);
    const map = opNamed(execution, "records", "CONTEXT");
    const before = await page.locator('[data-testid="timeline-row"]').count();
    // Its items' operations and their insides, plus a row for each item that never ran.
    const inside = (await timelineRows(page)).filter((r) => r.operationId.startsWith(`${map.Id}-`)).length;
    expect(inside).toBeGreaterThan(drawnOperations(execution.operations).filter((op) => op.Id.startsWith(`${map.Id}-`)).length);
    const toggle = row(page, map.Id).locator('button[data-testid="toggle-children"]');
    await toggle.click();
    await expect.poll(() => page.locator('[data-testid="timeline-row"]').count(), { message: "rows after folding the map" }).toBe(
      before - inside,
    );
    await toggle.click();
    await expect.poll(() => page.locator('[data-testid="timeline-row"]').count(), { message: "rows after unfolding the map" }).toBe(before);
    await page.close();
  });

  it("shows the operation tree and the waiting callback's form", async () => {
    const { page, execution } = await open("approval");
    const tree = await page.locator('[data-testid="operation-tree"]').innerText();
    for (const name of ["review", "checks", "credit-check", "approval", "manager-approval"]) expect(tree).toContain(name);
    const callback = execution.callbacks.find((cb) => cb.status === "STARTED");
    expect(callback?.callbackId).toBeTruthy();
    const form = page.locator(`form[data-testid="callback-form"][data-callback-id="${callback?.callbackId}"]`);
    await form.waitFor({ timeout: 15_000 });
    await page.close();
  });

  it("saves a screenshot of the richest timeline (docs/images/timeline.png with CAIRN_UPDATE_SCREENSHOTS=1)", async () => {
    const { page } = await open("batch");
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: `${ARTIFACTS}execution-page.png`, fullPage: true });
    const file = `${ARTIFACTS}timeline.png`;
    const png = await page.locator('[data-testid="timeline"]').screenshot({ path: file });
    expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
    expect(png.length).toBeGreaterThan(10_000); // a blank box compresses to a few hundred bytes
    if (process.env.CAIRN_UPDATE_SCREENSHOTS === "1") {
      mkdirSync(DOCS_IMAGES, { recursive: true });
      copyFileSync(file, `${DOCS_IMAGES}timeline.png`);
    }
    await page.close();
  });
});
