// Answering a callback from the page: a `cairn run` waits on the callback in another process, the
// form on the page succeeds it with a payload, and the run picks the answer up and completes.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { sharedBrowser } from "./support/browser.js";
import { inspect, startCairn, startUi, type RunningCairn, type UiServer } from "./support/cli.js";
import { fixturePath } from "./support/fixture-store.js";
import { newPage, openExecution } from "./support/page.js";

const browser = sharedBrowser();
let server: UiServer | undefined;
let run: RunningCairn | undefined;
const store = mkdtempSync(join(tmpdir(), "cairn-ui-callback-"));

afterAll(async () => {
  await browser.dispose();
  await server?.stop();
  await run?.stop();
  rmSync(store, { recursive: true, force: true });
});

describe("cairn ui: callbacks", () => {
  it("succeeds a waiting callback from the page, and the execution completes with its payload", async () => {
    run = startCairn(["run", fixturePath("approval"), "--store", store]);
    const [, id] = await run.waitFor(/execution ([0-9A-HJKMNP-TV-Z]{26})/);
    await run.waitFor(/waiting for callback/);
    const waiting = await inspect(store, id as string);
    expect(waiting.status).toBe("RUNNING");
    const callbackId = waiting.callbacks.find((cb) => cb.status === "STARTED")?.callbackId;
    expect(callbackId).toBeTruthy();

    server = await startUi(store);
    const { page } = await newPage(await browser.get());
    await openExecution(page, server.url, id as string);
    const form = page.locator(`form[data-testid="callback-form"][data-callback-id="${callbackId}"]`);
    await form.waitFor({ timeout: 15_000 });
    await form.locator('textarea[name="payload"]').fill('{"approved": true, "by": "dana"}');
    await form.locator('button[data-action="succeed"]').click();
    await page.locator('[data-testid="callback-result"]').waitFor({ timeout: 15_000 });

    // The waiting run polls the store for the answer and carries on to the end.
    const code = await Promise.race([
      run.exited,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`the run did not end within 30s of the answer:\n${run?.output()}`)), 30_000)),
    ]);
    expect(code, run.output()).toBe(0);
    const done = await inspect(store, id as string);
    expect(done.status).toBe("SUCCEEDED");
    const callback = done.operations.find((op) => op.Id === waiting.callbacks[0]?.operationId);
    expect(callback?.Status).toBe("SUCCEEDED");
    expect(JSON.stringify(done)).toContain("dana");

    // The page refreshes to the new state.
    await expect.poll(() => page.locator('[data-testid="execution-status"]').innerText(), { timeout: 20_000, message: "status on the page after the answer" }).toContain("SUCCEEDED");
    await page.close();
  });
});
