// A real file store with real executions, made by the built CLI as a user would: one that
// retried, waited and mapped (SUCCEEDED), and one waiting for a callback (RUNNING).
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import { EXECUTION_ID, eventually, fixture, runCli, sideEffects } from "../../test-support/spawn-cli.js";

/** The handler with a retried step, a wait and a map. */
export const RETRY_WAIT_MAP = fileURLToPath(new URL("./retry-wait-map.mjs", import.meta.url));

/** Runs `cairn run <handler>` to its end in `store` and returns the execution id. */
export async function runToEnd(store: string, handler: string, input?: string): Promise<string> {
  const run = await runCli(["run", handler, "--store", store, ...(input === undefined ? [] : ["--input", input])]);
  expect(run.code, run.stderr).toBe(0);
  return EXECUTION_ID.exec(run.stdout)?.[1] as string;
}

/** Starts the approval fixture with --no-wait: RUNNING, its callback waiting. Returns its id and callback id. */
export async function startWaiting(store: string, dir: string): Promise<{ id: string; callbackId: string }> {
  const effects = join(dir, `effects-${Date.now()}.log`);
  const run = await runCli(["run", fixture("approval.mjs"), "--store", store, "--no-wait"], { env: { CAIRN_FIXTURE_LOG: effects } });
  expect(run.code, run.stderr).toBe(3);
  await eventually(() => sideEffects(effects).length > 0);
  return { id: EXECUTION_ID.exec(run.stdout)?.[1] as string, callbackId: sideEffects(effects)[0] as string };
}
