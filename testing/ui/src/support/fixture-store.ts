// A real file store with real executions, made by running the fixture handlers (fixtures/*.mjs)
// with the real `cairn` bin: what the page is tested against.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runCairn } from "./cli.js";

/** The path of a fixture handler in testing/ui/fixtures. */
export function fixturePath(name: string): string {
  return fileURLToPath(new URL(`../../fixtures/${name}.mjs`, import.meta.url));
}

/** The executions in the store, by fixture, each with the status its run ended in. */
export interface FixtureStore {
  store: string;
  ids: Record<FixtureName, string>;
  statuses: Record<FixtureName, string>;
}

/**
 * plain: steps around a 1 s wait (2 invocations); retry: a step failing twice then succeeding;
 * batch: a retried load, a map with failed, timed-out and skipped items; approval: a parallel
 * whose branch waits on a callback (left RUNNING by --no-wait); failing: a FAILED execution;
 * large: a map over 10 000 items, 10 001 operations.
 */
export const FIXTURES = ["plain", "retry", "batch", "approval", "failing", "large"] as const;
/** One of {@link FIXTURES}. */
export type FixtureName = (typeof FIXTURES)[number];

const EXPECTED_EXIT: Record<FixtureName, number> = { plain: 0, retry: 0, batch: 0, approval: 3, failing: 1, large: 0 };

async function fixtureInput(name: FixtureName): Promise<unknown> {
  const module = (await import(fixturePath(name))) as { input?: unknown };
  return module.input;
}

/** Runs one fixture to its end (or, for approval, to its callback) in `store`; returns its run summary. */
export async function runFixture(store: string, name: FixtureName, extraArgs: readonly string[] = []): Promise<{ id: string; status: string }> {
  const input = await fixtureInput(name);
  const args = ["run", fixturePath(name), "--store", store, "--json", ...(input === undefined ? [] : ["--input", JSON.stringify(input)]), ...extraArgs];
  const result = await runCairn(args, 120_000);
  if (result.code !== EXPECTED_EXIT[name]) {
    throw new Error(`fixture ${name}: cairn run exited ${result.code}, expected ${EXPECTED_EXIT[name]}:\n${result.stdout}\n${result.stderr}`);
  }
  const summary = JSON.parse(result.stdout) as { id: string; status: string };
  return { id: summary.id, status: summary.status };
}

/** Makes a fresh store in a temp dir holding one execution of every fixture. */
export async function makeFixtureStore(): Promise<FixtureStore> {
  const store = mkdtempSync(join(tmpdir(), "cairn-ui-store-"));
  const ids = {} as Record<FixtureName, string>;
  const statuses = {} as Record<FixtureName, string>;
  // One at a time: the machine is small, and the runs include real waits of a second or two.
  for (const name of FIXTURES) {
    const run = await runFixture(store, name, name === "approval" ? ["--no-wait"] : []);
    ids[name] = run.id;
    statuses[name] = run.status;
  }
  return { store, ids, statuses };
}
