// 10 000 operations: the timeline draws a window of rows, not all of them (the big map starts
// folded; unfolded, still only a window), and scrolling to the bottom brings the last operation
// into view. (Load time is measured in testing/bench, not here.)
import { afterAll, describe, expect, inject, it } from "vitest";
import { shared, sharedBrowser } from "./support/browser.js";
import { inspect, startUi, type UiServer } from "./support/cli.js";
import { drawnOperations, newPage, openExecution } from "./support/page.js";

const fixtures = inject("fixtures");
const browser = sharedBrowser();
const server = shared(() => startUi(fixtures.store), (ui: UiServer) => ui.stop());

afterAll(async () => {
  await browser.dispose();
  await server.dispose();
});

describe("cairn ui: a 10 000-operation execution", () => {
  it("renders a window of the rows and reaches the last operation by scrolling", async () => {
    const execution = await inspect(fixtures.store, fixtures.ids.large);
    const drawn = drawnOperations(execution.operations);
    expect(drawn.length).toBeGreaterThanOrEqual(10_000);
    const last = drawn.find((op) => op.Name === "item-9999");
    expect(last).toBeDefined();

    const { page } = await newPage(await browser.get());
    await openExecution(page, (await server.get()).url, fixtures.ids.large);
    const timeline = page.locator('[data-testid="timeline"]');
    expect(await timeline.getAttribute("data-row-count")).toBe(String(drawn.length));
    // A batch this big starts folded; unfolded, its 10 000 rows are drawn a window at a time.
    const map = drawn.find((op) => op.Type === "CONTEXT" && op.Name === "items");
    const toggle = page.locator(`[data-testid="timeline-row"][data-operation-id="${map?.Id}"] button[data-testid="toggle-children"]`);
    if ((await toggle.getAttribute("aria-expanded")) === "false") {
      await toggle.click();
      await expect.poll(() => toggle.getAttribute("aria-expanded"), { message: "the map's rows unfolded" }).toBe("true");
    }
    const rendered = Number(await timeline.getAttribute("data-rendered-rows"));
    expect(rendered).toBeGreaterThan(10);
    expect(rendered).toBeLessThan(500);
    expect(await page.locator('[data-testid="timeline-row"]').count()).toBeLessThan(500);
    await expect(page.locator(`[data-testid="timeline-row"][data-operation-id="${last?.Id}"]`).count()).resolves.toBe(0);

    // Scroll whichever holds the rows (an element inside the timeline, the timeline itself or
    // one around it, else the document) to its end.
    await page.evaluate(() => {
      const timeline = document.querySelector('[data-testid="timeline"]') as HTMLElement;
      const scrolls = (el: Element): boolean => el.scrollHeight > el.clientHeight + 1 && /auto|scroll/.test(getComputedStyle(el).overflowY);
      let scroller: Element | null | undefined = [timeline, ...timeline.querySelectorAll("*")].find(scrolls);
      for (let el = timeline.parentElement; scroller === undefined && el !== null; el = el.parentElement) if (scrolls(el)) scroller = el;
      (scroller ?? document.scrollingElement ?? document.documentElement).scrollTop = 1e9;
    });
    const lastRow = page.locator(`[data-testid="timeline-row"][data-operation-id="${last?.Id}"]`);
    await lastRow.waitFor({ state: "visible", timeout: 15_000 });
    expect(Number(await timeline.getAttribute("data-rendered-rows"))).toBeLessThan(500);
    await page.close();
  });
});
