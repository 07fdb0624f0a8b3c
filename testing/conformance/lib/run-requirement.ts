import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { LocalDurableTestRunner, type LocalDurableTestRunnerParameters } from "@cairn/testing";
import { startCallbackActions } from "./callback-actions.js";
import type { HandlerModule } from "./handler-module.js";
import { withLogCapture, type LogLine } from "./log-capture.js";
import type { Requirement } from "./loader.js";
import { deepEqual, matchHistory, matchLogs, summarizeEvent, type Bindings, type EventLike } from "./matcher.js";

export type TimeMode = "skipped-time" | "real-time";

export interface RequirementOutcome {
  failures: string[];
  /** Actual history, one line per event, for failure reports. */
  history: string[];
  /** The history without timestamps or payloads: what must not depend on the time mode. */
  sequence: string[];
  /** The run was stopped after its first invocation (see stopsAtFirstSuspension). */
  stoppedEarly: boolean;
}

function show(value: unknown): string {
  if (value === undefined) return "undefined";
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

/** Where a requirement's execution is stored (e.g. another ExecutionStore); default a fresh memory store. */
export type RunnerOverrides = Pick<LocalDurableTestRunnerParameters, "store" | "createService">;

/**
 * Runs one requirement's handler on the local runner and compares status, result, history and
 * logs with the vector. Returns the list of differences (empty = pass).
 */
export async function runRequirement(
  req: Requirement,
  mod: HandlerModule,
  mode: TimeMode,
  overrides: RunnerOverrides = {},
): Promise<RequirementOutcome> {
  // Every log line of this run — ctx.logger records and what the handler or its plugins print —
  // in the order written, kept apart from requirements running at the same time.
  return withLogCapture((logs) => runCaptured(req, mod, mode, logs, overrides));
}

async function runCaptured(
  req: Requirement,
  mod: HandlerModule,
  mode: TimeMode,
  logs: LogLine[],
  overrides: RunnerOverrides,
): Promise<RequirementOutcome> {
  const skipTime = mode === "skipped-time";
  const runner = new LocalDurableTestRunner({
    ...overrides,
    handlerFunction: mod.handler,
    skipTime,
    // Records come through onLog; printing them as well would put each line in the stdout capture twice.
    printLogs: false,
    onLog: (r) => logs.push({ ...r }),
  });
  for (const [id, fn] of Object.entries(mod.options?.durableFunctions ?? {})) runner.registerDurableFunction(id, fn);
  for (const [id, fn] of Object.entries(mod.options?.functions ?? {})) runner.registerFunction(id, fn);
  const stop = new AbortController();
  const running = runner.run({
    payload: req.input,
    ...(mod.options?.faults ? { faults: mod.options.faults } : {}),
    signal: stop.signal,
  });
  const actions = startCallbackActions(runner, req.callbackActions);
  const stoppedEarly = !skipTime && stopsAtFirstSuspension(req);
  if (stoppedEarly) {
    // An AsyncInvoke vector without an expected outcome (e.g. a one-hour wait) asserts only the
    // first invocation. Once its first operation has started, let that invocation finish and stop
    // instead of sleeping through the timer. In skipped time the run simply completes.
    runner
      .getOperationByIndex(0)
      .waitForData()
      .then(
        () => stop.abort(),
        () => undefined,
      );
  }
  const result = await running;

  const failures: string[] = [...(await actions.outcome())];
  const events = result.getHistoryEvents() as unknown as EventLike[];
  const history = events.map(summarizeEvent);

  const expected = req.expectedResult;
  if (expected?.ExecutionStatus !== undefined) {
    const status = String(result.getStatus());
    if (status !== expected.ExecutionStatus) {
      const error = result.getError();
      failures.push(
        `status: expected ${expected.ExecutionStatus}, got ${status}` + (error ? ` (error: ${show(error)})` : ""),
      );
    } else if (status === "SUCCEEDED" && "Result" in expected) {
      // `Result` is optional in a vector: absent means the result is not part of the requirement
      // (several vectors' handlers return a random payload); present, it must match exactly.
      const actual = normalizeResult(result.getResult());
      const want = expected.Result ?? null;
      if (!deepEqual(want, actual ?? null)) failures.push(`result: expected ${show(want)}, got ${show(actual)}`);
    }
  }

  const bindings: Bindings = new Map();
  for (const m of matchHistory(req.expectedHistory, events, bindings)) failures.push(`history ${m.path}: ${m.reason}`);

  if (req.expectedLogs.length > 0) {
    for (const m of matchLogs(req.expectedLogs, logs, bindings)) {
      failures.push(`${m.path}: ${m.reason}; lines: ${show(logs.map((l) => l.message ?? l))}`);
    }
  }
  const dump = process.env.CONFORMANCE_DUMP;
  if (dump) {
    // Diagnostics: the actual run, one JSON file per requirement and mode.
    mkdirSync(dump, { recursive: true });
    writeFileSync(
      join(dump, `${req.category}_${req.id}_${mode}.json`),
      JSON.stringify({ status: result.getStatus(), result: result.getResult(), error: result.getError(), events, logs }, null, 2),
    );
  }
  const sequence = events.map((e) => [e.EventType, e.SubType, e.Id, e.ParentId, e.Name].map((v) => v ?? "").join("|"));
  return { failures, history, sequence, stoppedEarly };
}

export function stopsAtFirstSuspension(req: Requirement): boolean {
  return req.asyncInvoke && req.expectedResult === undefined;
}

/** The handler's result as JSON would carry it. */
function normalizeResult(value: unknown): unknown {
  if (value === undefined) return undefined;
  return JSON.parse(JSON.stringify(value)) as unknown;
}
