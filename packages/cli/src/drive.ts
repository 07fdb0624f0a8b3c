import type { LoadedHandler } from "./handler-loader.js";
import { CountdownClock, ProgressReporter, describeTimerFrom, observeService } from "./live-progress.js";
import type { Output } from "./output.js";
import { runExecution, type ExecutionTarget } from "@cairn/sdk/orchestrator";
import { type ExecutionSummary, type NondeterminismPolicy } from "@cairn/sdk/service";
import { CallbackWaits } from "./callback-waits.js";
import { showExecution } from "./show-execution.js";
import { DEFAULT_STORE_DIR, openService, shortIdOf, storeDirectory, storeFlag, writeSidecar } from "./store.js";
import { EXIT } from "./usage-error.js";

/** The function name a handler run by the CLI sees (`lambdaContext.functionName`), and can invoke itself by. */
export const SELF_FUNCTION_NAME = "cairn-local";

export interface DriveOptions {
  out: Output;
  directory: string;
  handler: LoadedHandler;
  target: ExecutionTarget;
  /** For a resumed execution: what it looked like before this run. */
  resuming?: ExecutionSummary;
  /** For a resumed execution: the recorded hash of the handler file it started with, if any. */
  startedWithSha256?: string | undefined;
  /** Stop instead of waiting once a callback waits, with or without a timeout (--no-wait). */
  noWait?: boolean;
  /** What a replay mismatch does (--on-nondeterminism); default `block`. */
  onNondeterminism?: NondeterminismPolicy;
  /** Stops the run between invocations, as SIGINT does (e.g. `cairn dev` when a file changes). */
  signal?: AbortSignal;
}

/** How a drive ended: the exit code, and the execution when one was started or resumed. */
export interface DriveOutcome {
  code: number;
  executionArn?: string | undefined;
}

export function resumeCommandFor(directory: string, id: string): string {
  return `cairn resume ${id}${storeFlag(directory)}`;
}

/**
 * Drives an execution to the end in real time, printing progress, then its tree and result.
 * SIGINT/SIGTERM stop it between invocations (or during a wait), leaving it RUNNING and resumable.
 */
export async function driveExecution(options: DriveOptions): Promise<DriveOutcome> {
  const { out, directory, handler } = options;
  const clock = new CountdownClock(out);
  const base = openService(directory, clock);
  const reporter = new ProgressReporter(out);
  const service = observeService(base, (operations) => reporter.operationsChanged(operations));
  let executionArn: string | undefined;
  let shortId: string | undefined;
  clock.describeTimer = describeTimerFrom(base, () => executionArn);

  if (options.resuming) {
    const done = reporter.seed(await base.getOperations(options.resuming.executionArn));
    out.line(
      `resuming execution ${out.color.bold(shortIdOf(options.resuming))}` +
        out.color.dim(` — ${done} operation${done === 1 ? "" : "s"} already completed`),
    );
  }

  const controller = new AbortController();
  const waits = new CallbackWaits({
    out,
    service: base,
    clock,
    directory,
    noWait: options.noWait === true,
    stopRun: () => controller.abort(),
  });
  let stoppedBy: NodeJS.Signals | undefined;
  let notDurable = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    const resume = shortId === undefined ? "" : ` — resume with: ${resumeCommandFor(directory, shortId)}`;
    if (stoppedBy !== undefined) {
      // Second signal: leave now. The file store is crash-safe, so this is as resumable as a kill.
      out.error(`stopped immediately${resume}`);
      process.exit(signal === "SIGTERM" ? EXIT.terminated : EXIT.interrupted);
    }
    stoppedBy = signal;
    out.line(
      out.color.yellow(`${signal} received: stopping`) +
        out.color.dim(" (a running invocation may finish first; Ctrl-C again stops at once — the execution stays resumable)"),
    );
    controller.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  const abortRun = (): void => controller.abort();
  options.signal?.addEventListener("abort", abortRun, { once: true });
  if (options.signal?.aborted === true) controller.abort();
  try {
    const result = await runExecution({
      service,
      clock,
      handler: handler.handler,
      target: options.target,
      // The handler can invoke itself under the function name it sees, as a Lambda function can:
      // that is how a distributed map's children run (as executions in the same store).
      functionName: SELF_FUNCTION_NAME,
      functions: new Map([[SELF_FUNCTION_NAME, { durable: true, handler: handler.handler }]]),
      signal: controller.signal,
      onNondeterminism: options.onNondeterminism ?? "block",
      logSink: (record) => reporter.log(record),
      // Answers come from other processes (cairn callback) through the shared file store.
      onWaiting: waits.onWaiting,
      waitForExternalChange: waits.waitForExternalChange,
      onInvocation: (record) => {
        // A function that does not speak the durable protocol will never do better on a retry.
        if (record.outcome.kind === "crashed" && record.outcome.error.ErrorType === "Runtime.InvalidResponse") {
          notDurable = true;
          controller.abort();
          return;
        }
        reporter.invocationEnded(record);
      },
      onExecutionStarted: (execution) => {
        executionArn = execution.executionArn;
        shortId = shortIdOf(execution);
        if (!options.resuming) announceStart(out, directory, execution);
        writeSidecar(directory, {
          executionArn: execution.executionArn,
          handlerPath: handler.path,
          exportName: handler.exportName,
          startedAt: new Date(execution.startTimestamp).toISOString(),
          // A resume keeps the hash of the code the execution started with (none for an old
          // record), so every later resume still compares against that code.
          handlerSha256: options.resuming ? options.startedWithSha256 : handler.contentSha256,
        });
      },
    });
    const id = shortIdOf(result.execution);
    if (notDurable) {
      out.error(
        `cairn: export "${handler.exportName}" of ${handler.path} is not a durable handler: it returned something ` +
          "other than a durable invocation output. Export the function returned by withDurableExecution, e.g.\n" +
          '  export const handler = withDurableExecution(async (event, ctx) => { ... });\n' +
          `The execution is left RUNNING; after fixing the handler: ${resumeCommandFor(directory, id)}`,
      );
      return { code: EXIT.failed, executionArn: result.execution.executionArn };
    }
    // --no-wait stopped the run through its signal (a callback waits while a timer is pending).
    const waiting = result.state === "waiting" || (result.state === "aborted" && stoppedBy === undefined && waits.stoppedForCallback);
    if (result.state === "aborted" && !waiting) {
      out.line(`interrupted — resume with: ${resumeCommandFor(directory, id)}`);
      return { code: stoppedBy === "SIGTERM" ? EXIT.terminated : EXIT.interrupted, executionArn: result.execution.executionArn };
    }
    await showExecution(out, base, result.execution, { directory });
    if (result.state === "blocked") return { code: EXIT.blocked, executionArn: result.execution.executionArn };
    if (waiting) {
      out.line(
        out.color.yellow("waiting for an external event (e.g. a callback); nothing more to do now. ") +
          `Answer it with "cairn callback", then continue with: ${resumeCommandFor(directory, id)}`,
      );
      return { code: EXIT.waiting, executionArn: result.execution.executionArn };
    }
    return {
      code: result.execution.status === "SUCCEEDED" ? EXIT.succeeded : EXIT.failed,
      executionArn: result.execution.executionArn,
    };
  } catch (error) {
    if (executionArn !== undefined && error instanceof Error && error.name === "ExecutionClosedError") {
      // Ended from outside while this run drove it (cairn stop / cairn fail, or a client).
      const ended = await base.getExecution(executionArn);
      out.line(out.color.yellow(`execution ${shortIdOf(ended)} was ended from outside (${ended.status}) while this run drove it`));
      await showExecution(out, base, ended, { directory });
      return { code: ended.status === "SUCCEEDED" ? EXIT.succeeded : EXIT.failed, executionArn };
    }
    if (shortId !== undefined && error instanceof Error && !isStartError(error)) {
      // The execution exists and is still RUNNING: say how to pick it up after fixing the cause.
      out.error(`${error.name}: ${error.message}`);
      out.error(`The execution is left as it is; after fixing the cause: ${resumeCommandFor(directory, shortId)}`);
      return { code: EXIT.failed, executionArn };
    }
    throw error;
  } finally {
    options.signal?.removeEventListener("abort", abortRun);
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

function isStartError(error: Error): boolean {
  return error.name === "ExecutionAlreadyExistsError" || error.name === "InvalidRequestError";
}

function announceStart(out: Output, directory: string, execution: ExecutionSummary): void {
  const id = shortIdOf(execution);
  const store = directory === storeDirectory(undefined) ? `./${DEFAULT_STORE_DIR}` : directory;
  if (execution.invocationCount > 0 || execution.status !== "RUNNING") {
    out.line(
      `execution ${out.color.bold(id)} named "${execution.executionName}" already exists (${execution.status}) — continuing it`,
    );
    return;
  }
  const name = execution.executionName === id ? "" : ` (name "${execution.executionName}")`;
  out.line(`execution ${out.color.bold(id)}${name} started ${out.color.dim(`— store ${store}`)}`);
}
