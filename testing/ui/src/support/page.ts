// Opening the web view's pages and reading the timeline, with waits that end in a message.
import type { Browser, Page } from "playwright-core";
import type { InspectedOperation } from "./cli.js";

const READY_TIMEOUT_MS = 30_000;

/** A page that records every URL it requests, to check that nothing leaves the machine. */
export async function newPage(browser: Browser): Promise<{ page: Page; requests: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const requests: string[] = [];
  page.on("request", (request) => requests.push(request.url()));
  return { page, requests };
}

/** Waits for `body[data-ready="true"]`, which the page sets once its data is rendered. */
export async function waitReady(page: Page, what: string): Promise<void> {
  try {
    await page.waitForSelector('body[data-ready="true"]', { state: "attached", timeout: READY_TIMEOUT_MS });
  } catch {
    throw new Error(`${what} did not set body[data-ready="true"] within ${READY_TIMEOUT_MS / 1000}s (url ${page.url()})`);
  }
}

/** Opens one execution's view (`#/executions/<id>`) and waits for its timeline. */
export async function openExecution(page: Page, baseUrl: string, id: string): Promise<void> {
  await page.goto(`${baseUrl}#/executions/${id}`);
  await waitReady(page, `the execution page of ${id}`);
  await page.waitForSelector('[data-testid="timeline"]', { timeout: READY_TIMEOUT_MS });
}

/** One timeline row as the page draws it. */
export interface TimelineRow {
  operationId: string;
  status: string | null;
  type: string | null;
  /** A batch item the page draws as timed out (its operation is FAILED with the item timeout). */
  timedOut: boolean;
  /** A row made from a batch's summary for an item that never ran (no operation of its own). */
  synthetic: boolean;
  barClasses: string[];
  attempts: number;
  retryDelays: number;
}

/** Every rendered timeline row, in page order. */
export function timelineRows(page: Page): Promise<TimelineRow[]> {
  return page.$$eval('[data-testid="timeline-row"]', (rows) =>
    rows.map((row) => {
      const bars = row.querySelectorAll(".tl-bar");
      return {
        operationId: row.getAttribute("data-operation-id") ?? "",
        status: row.getAttribute("data-status"),
        type: row.getAttribute("data-type"),
        timedOut: row.getAttribute("data-timed-out") === "true",
        synthetic: row.getAttribute("data-synthetic") === "true",
        barClasses: bars.length === 1 ? [...(bars[0] as Element).classList] : [`(${bars.length} .tl-bar elements)`],
        attempts: row.querySelectorAll(".tl-attempt[data-attempt]").length,
        retryDelays: row.querySelectorAll(".tl-retry-delay").length,
      };
    }),
  );
}

/** The operations the timeline draws: every operation but the EXECUTION one. */
export function drawnOperations(operations: readonly InspectedOperation[]): InspectedOperation[] {
  return operations.filter((op) => op.Type !== "EXECUTION");
}

const ENDED = new Set(["SUCCEEDED", "FAILED", "TIMED_OUT", "STOPPED"]);

/**
 * The classes an operation's bar must carry: `status-<status>` (lower case, `_` as `-`), plus
 * `abandoned` for an operation left STARTED by an execution that has ended, and `waiting` for a
 * wait or a callback (time spent waiting, not working).
 */
export function expectedBarClasses(op: InspectedOperation, executionStatus: string, timedOut = false): string[] {
  const classes = [`status-${(timedOut ? "TIMED_OUT" : op.Status).toLowerCase().replace(/_/g, "-")}`];
  if (op.Status === "STARTED" && ENDED.has(executionStatus)) classes.push("abandoned");
  if (op.Type === "WAIT" || op.Type === "CALLBACK") classes.push("waiting");
  return classes;
}
